/*
 * explain.c - the office's two questions as JSON: how every unit stands
 * (status), and for one unit who fails what, and by how much (explain).
 * The CLI prints these; the HTTP API will send them as they are.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/store.h"

static const struct plan_metric *metric_of(const struct plan *p, int req,
                                           int treat)
{
	const struct plan_req *r = &p->reqs[req];

	if (treat >= 0 && r->treats[treat].has_metric)
		return &r->treats[treat].metric;
	return &r->metric;
}

/* "32", "32.5", "32.25" from a value in hundredths. */
static void centi(int64_t v, char *buf, size_t size)
{
	int64_t w = v / PLAN_CENTI, f = v % PLAN_CENTI;

	if (f < 0)
		f = -f;
	if (f == 0)
		snprintf(buf, size, "%" PRId64, w);
	else if (f % 10 == 0)
		snprintf(buf, size, "%" PRId64 ".%" PRId64, w, f / 10);
	else
		snprintf(buf, size, "%" PRId64 ".%02" PRId64, w, f);
}

static const char *state_name(const struct plan *p, const struct plan_metric *m,
                              int64_t pos)
{
	const struct plan_field *f = &p->kinds[m->kind].fields[m->field];

	if (pos < 0 || pos >= f->nvalues)
		return "无";
	return f->values[pos];
}

void eng_format_value(const struct plan *p, int req, int treat,
                      struct plan_ratio raw, char *buf, size_t size)
{
	const struct plan_metric *m = metric_of(p, req, treat);

	switch (m->type) {
	case METRIC_COUNT:
		snprintf(buf, size, "%" PRId64, raw.num);
		break;
	case METRIC_SUM:
	case METRIC_MAX:
		centi(raw.num * (PLAN_CENTI / (raw.den ? raw.den : 1)), buf,
		      size);
		break;
	case METRIC_STATE:
		snprintf(buf, size, "%s", state_name(p, m, raw.num));
		break;
	case METRIC_RATIO: {
		char a[32], b[32];

		if (raw.den == 0) {
			snprintf(buf, size, "无记录");
			break;
		}
		centi(raw.num, a, sizeof(a));
		centi(raw.den, b, sizeof(b));
		snprintf(buf, size, "%s/%s（%.0f%%）", a, b,
		         100.0 * (double)raw.num / (double)raw.den);
		break;
	}
	default:
		if (raw.den == 0)
			snprintf(buf, size, "支部无其他党员");
		else
			snprintf(buf, size, "%" PRId64 "/%" PRId64, raw.num,
			         raw.den);
		break;
	}
}

void eng_format_threshold(const struct plan *p, int req, int treat, char *buf,
                          size_t size)
{
	const struct plan_req *r = &p->reqs[req];
	const struct plan_metric *m = metric_of(p, req, treat);
	struct plan_ratio t = r->threshold;

	if (treat >= 0 && !r->treats[treat].exempt)
		t = r->treats[treat].threshold;
	if (m->type == METRIC_STATE)
		snprintf(buf, size, "%s", state_name(p, m, t.num));
	else if ((m->type == METRIC_RATIO ||
	          m->type == METRIC_DISTINCT_SHARE) &&
	         100 % t.den == 0)
		snprintf(buf, size, "%" PRId64 "%%", t.num * (100 / t.den));
	else if (t.den == 1)
		snprintf(buf, size, "%" PRId64, t.num);
	else if (PLAN_CENTI % t.den == 0)
		centi(t.num * (PLAN_CENTI / t.den), buf, size);
	else
		snprintf(buf, size, "%" PRId64 "/%" PRId64, t.num, t.den);
}

static int first_stage(const struct plan *p)
{
	int i;

	for (i = 0; i < p->nstages; i++)
		if (p->stages[i].order == 0)
			return i;
	return 0;
}

int eng_unit_stage(const struct eng_view *v, int64_t unit)
{
	const struct engine *e = v->e;
	int s = first_stage(e->p);
	int32_t i;

	if (unit <= 0 || unit > e->norg)
		return s;
	/* the last move into a stage made on or before the view's date */
	for (i = e->stg_head[unit]; i != 0; i = e->stg_next[i]) {
		if (e->stg_date[i] > v->date)
			break;
		s = e->stg_stage[i];
	}
	return s;
}

static json_t *date_json(int32_t d)
{
	char buf[DATE_STR_LEN];

	if (d == ENG_LIVE || d <= 0)
		return json_null();
	date_format(d, buf);
	return json_string(buf);
}

static json_t *stage_json(const struct plan *p, int s)
{
	return json_pack("{s:s,s:s}", "id", p->stages[s].id, "name",
	                 p->stages[s].name);
}

static const char *system_name(struct store *st, int64_t id, char *buf,
                               size_t size)
{
	struct xj_error e;

	buf[0] = '\0';
	if (id > 0 && store_system_name(st, id, buf, size, &e) != XJ_OK)
		buf[0] = '\0';
	return buf;
}

/* Completion of one requirement for a unit, 0..1 as a double (display
 * and ordering only; pass/fail is exact). */
static double unit_share(const struct eng_view *v, int req, int64_t unit)
{
	const struct creq *c = &v->e->reqs[req];
	struct eng_count n;

	if (c->scope == PSCOPE_MEMBER || c->scope == PSCOPE_BRANCH) {
		eng_org_count(v, req, unit, &n);
		return n.counted ? (double)n.passed / (double)n.counted : 1.0;
	}
	return eng_unit_passes(v, req, unit) ? 1.0 : 0.0;
}

struct unit_row {
	int64_t unit;
	int gates, passed;
	double score;
	json_t *j;
};

static int row_cmp(const void *a, const void *b)
{
	const struct unit_row *x = a, *y = b;
	int fx = x->gates - x->passed, fy = y->gates - y->passed;

	if (fx != fy)
		return fy - fx; /* more failing gates first */
	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return (x->unit > y->unit) - (x->unit < y->unit);
}

static json_t *unit_status(const struct eng_view *v, struct store *st,
                           int stage, int64_t u, struct unit_row *row)
{
	const struct engine *e = v->e;
	const struct plan *p = e->p;
	const struct eng_org *o = &e->org[u];
	json_t *failing = json_array(), *reqs = json_array(), *j;
	double wsum = 0, wdone = 0;
	char sys[256];
	int s = stage >= 0 ? stage : eng_unit_stage(v, u);
	int r;

	row->unit = u;
	row->gates = row->passed = 0;
	for (r = 0; r < p->nreqs; r++) {
		const struct plan_req *pr = &p->reqs[r];
		int pass;
		double share;

		if (pr->stage != s || pr->kind != REQ_REQUIRED)
			continue;
		pass = eng_unit_passes(v, r, u);
		share = unit_share(v, r, u);
		wsum += pr->weight;
		wdone += pr->weight * share;
		if (pr->gate) {
			row->gates++;
			row->passed += pass;
			if (!pass)
				json_array_append_new(failing,
				                      json_string(pr->id));
		}
		json_array_append_new(
		    reqs, json_pack("{s:s,s:s,s:b,s:b,s:f}", "id", pr->id,
		                    "name", pr->name, "gate", pr->gate, "pass",
		                    pass, "share", share));
	}
	row->score = wsum > 0 ? 100.0 * wdone / wsum : 100.0;
	j = json_pack("{s:I,s:s,s:s,s:s,s:i,s:o,s:i,s:i,s:b,s:f,s:o,s:o}", "id",
	              (json_int_t)u, "code", o->code, "name", o->name, "system",
	              system_name(st, o->system_id, sys, sizeof(sys)), "batch",
	              o->batch_ordinal, "stage", stage_json(p, s), "gates",
	              row->gates, "gates_passed", row->passed, "ready",
	              row->gates == row->passed, "completion", row->score,
	              "failing", failing, "requirements", reqs);
	if (e->hook != NULL && j != NULL)
		e->hook(e->hook_ctx, u, j);
	return j;
}

static json_t *system_status(const struct eng_view *v, struct store *st,
                             int stage, int64_t sys)
{
	const struct engine *e = v->e;
	const struct plan *p = e->p;
	json_t *reqs = json_array();
	int64_t units = 0, ready = 0;
	char name[256];
	int32_t u;
	int r;

	for (u = e->sys_head[sys]; u != 0; u = e->sys_next[u]) {
		int all = 1;

		units++;
		for (r = 0; r < p->nreqs; r++)
			if (p->reqs[r].stage == stage && p->reqs[r].gate &&
			    p->reqs[r].kind == REQ_REQUIRED &&
			    !eng_unit_passes(v, r, u))
				all = 0;
		ready += all;
	}
	for (r = 0; r < p->nreqs; r++) {
		int64_t passing = 0;
		struct eng_count n;

		if (p->reqs[r].stage != stage || !p->reqs[r].gate ||
		    p->reqs[r].kind != REQ_REQUIRED)
			continue;
		for (u = e->sys_head[sys]; u != 0; u = e->sys_next[u])
			passing += eng_unit_passes(v, r, u);
		eng_system_count(v, r, sys, &n);
		json_array_append_new(
		    reqs, json_pack("{s:s,s:s,s:I,s:I,s:I,s:I}", "id",
		                    p->reqs[r].id, "name", p->reqs[r].name,
		                    "units", (json_int_t)units, "units_passed",
		                    (json_int_t)passing, "counted",
		                    (json_int_t)n.counted, "passed",
		                    (json_int_t)n.passed));
	}
	return json_pack("{s:I,s:s,s:I,s:I,s:o}", "id", (json_int_t)sys, "name",
	                 system_name(st, sys, name, sizeof(name)), "units",
	                 (json_int_t)units, "ready", (json_int_t)ready,
	                 "requirements", reqs);
}

enum xj_err eng_status_json(struct store *st, const struct eng_view *v,
                            int stage, int64_t unit, int64_t system,
                            json_t **out, struct xj_error *err)
{
	const struct engine *e = v->e;
	const struct plan *p = e->p;
	struct unit_row *rows = NULL;
	size_t n = 0, cap = 0, i;
	json_t *units = json_array(), *systems = json_array();
	int64_t u, s;
	int st0 = stage, us;

	if (unit != 0 && engine_org(e, unit) == NULL)
		return xj_error_field(err, XJ_ENOTFOUND, "unit", "单位不存在");
	for (u = 1; u <= e->norg; u++) {
		if (e->org[u].id == 0 || !e->org[u].is_unit)
			continue;
		if ((unit != 0 && u != unit) ||
		    (system != 0 && e->org[u].system_id != system))
			continue;
		xgrow((void **)&rows, &cap, n + 1, sizeof(*rows));
		rows[n].j = unit_status(v, st, stage, u, &rows[n]);
		n++;
		/* without a stage given: the summary is for the least
		 * advanced unit's stage */
		us = eng_unit_stage(v, u);
		if (stage < 0 &&
		    (st0 < 0 || p->stages[us].order < p->stages[st0].order))
			st0 = us;
	}
	if (st0 < 0)
		st0 = first_stage(p);
	if (n > 1)
		qsort(rows, n, sizeof(*rows), row_cmp);
	for (i = 0; i < n; i++)
		json_array_append_new(units, rows[i].j);
	free(rows);
	for (s = 1; s <= e->nsys; s++) {
		if (!e->sys_seen[s] || (system != 0 && s != system) ||
		    unit != 0)
			continue;
		json_array_append_new(systems, system_status(v, st, st0, s));
	}
	*out =
	    json_pack("{s:s,s:o,s:o,s:I,s:o,s:o}", "campaign", p->name, "as_of",
	              date_json(v->date), "stage", stage_json(p, st0),
	              "records", (json_int_t)engine_record_count(e), "units",
	              units, "systems", systems);
	return XJ_OK;
}

/* --- explain ------------------------------------------------------------ */

static json_t *member_json(const struct eng_view *v, int req, int64_t m,
                           const struct eng_value *val)
{
	const struct engine *e = v->e;
	char got[64], want[64];
	const char *note = "";

	eng_format_value(e->p, req, val->treat, val->raw, got, sizeof(got));
	eng_format_threshold(e->p, req, val->treat, want, sizeof(want));
	if (val->treat >= 0)
		note = e->p->reqs[req].treats[val->treat].note;
	return json_pack(
	    "{s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)m, "name",
	    e->mname[m], "branch", (json_int_t)v->branch[m], "branch_name",
	    e->org[v->branch[m]].name, "value", got, "threshold", want,
	    "compare", plan_cmp_text(val->cmp), "rule", note);
}

static json_t *org_value_json(const struct eng_view *v, int req, int64_t o,
                              const struct eng_value *val)
{
	const struct engine *e = v->e;
	char got[64], want[64];

	eng_format_value(e->p, req, -1, val->raw, got, sizeof(got));
	eng_format_threshold(e->p, req, -1, want, sizeof(want));
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:b}", "id", (json_int_t)o,
	                 "name", e->org[o].name, "value", got, "threshold",
	                 want, "compare", plan_cmp_text(val->cmp), "pass",
	                 val->state == ENG_PASS);
}

static json_t *count_json(const struct eng_count *n)
{
	return json_pack("{s:I,s:I,s:I,s:b}", "counted", (json_int_t)n->counted,
	                 "passed", (json_int_t)n->passed, "exempt",
	                 (json_int_t)n->exempt, "pass", n->pass);
}

/* Member-scope requirement: failing branches, then failing members. */
static void explain_members(const struct eng_view *v, int req, int64_t unit,
                            const int32_t *mem, size_t nmem, int max, json_t *j)
{
	const struct engine *e = v->e;
	json_t *branches = json_array(), *members = json_array();
	int64_t shown = 0, more = 0, o;
	size_t i;

	for (o = 1; o <= e->norg; o++) {
		struct eng_count n;

		if (e->org[o].id == 0 || e->org[o].type != ORG_BRANCH ||
		    e->unit_of[o] != unit)
			continue;
		eng_org_count(v, req, o, &n);
		if (n.passed < n.counted) {
			json_t *b = count_json(&n);

			json_object_set_new(b, "id", json_integer(o));
			json_object_set_new(b, "name",
			                    json_string(e->org[o].name));
			json_array_append_new(branches, b);
		}
	}
	for (i = 0; i < nmem; i++) {
		struct eng_value val;

		eng_member_value(v, req, mem[i], &val);
		if (val.state != ENG_FAIL)
			continue;
		if (shown < max) {
			json_array_append_new(
			    members, member_json(v, req, mem[i], &val));
			shown++;
		} else {
			more++;
		}
	}
	json_object_set_new(j, "failing_branches", branches);
	json_object_set_new(j, "failing_members", members);
	json_object_set_new(j, "more_members", json_integer(more));
}

static void explain_branches(const struct eng_view *v, int req, int64_t unit,
                             json_t *j)
{
	const struct engine *e = v->e;
	json_t *branches = json_array();
	int64_t o;

	for (o = 1; o <= e->norg; o++) {
		struct eng_value val;

		if (e->org[o].id == 0 || e->org[o].type != ORG_BRANCH ||
		    e->unit_of[o] != unit)
			continue;
		eng_org_value(v, req, o, &val);
		if (val.state == ENG_FAIL)
			json_array_append_new(branches,
			                      org_value_json(v, req, o, &val));
	}
	json_object_set_new(j, "failing_branches", branches);
}

static int cmp_member_branch(const void *a, const void *b, void *ctx)
{
	const int32_t *branch = ctx;
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	if (branch[x] != branch[y])
		return (branch[x] > branch[y]) - (branch[x] < branch[y]);
	return (x > y) - (x < y);
}

enum xj_err eng_explain_json(struct store *st, const struct eng_view *v,
                             int stage, int64_t unit, int max_members,
                             json_t **out, struct xj_error *err)
{
	const struct engine *e = v->e;
	const struct plan *p = e->p;
	json_t *reqs = json_array(), *status;
	int32_t *mem = NULL;
	size_t nmem = 0, cap = 0;
	struct unit_row row;
	int64_t m;
	int r, s;

	if (unit <= 0 || unit > e->norg || e->org[unit].id == 0 ||
	    !e->org[unit].is_unit) {
		json_decref(reqs);
		return xj_error_field(err, XJ_ENOTFOUND, "unit",
		                      "单位不存在（须为单位，不是支部）");
	}
	s = stage >= 0 ? stage : eng_unit_stage(v, unit);
	for (m = 1; m <= e->nmem; m++) {
		int32_t b = m <= v->nmem ? v->branch[m] : 0;

		if (b == 0 || e->unit_of[b] != unit)
			continue;
		xgrow((void **)&mem, &cap, nmem + 1, sizeof(*mem));
		mem[nmem++] = (int32_t)m;
	}
	if (nmem > 1)
		qsort_r(mem, nmem, sizeof(*mem), cmp_member_branch, v->branch);
	for (r = 0; r < p->nreqs; r++) {
		const struct plan_req *pr = &p->reqs[r];
		char want[64];
		json_t *j;
		struct eng_count n;
		struct eng_value val;
		int pass;

		if (pr->stage != s)
			continue;
		pass = eng_unit_passes(v, r, unit);
		eng_format_threshold(p, r, -1, want, sizeof(want));
		j = json_pack(
		    "{s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:s,s:s,s:s}", "id", pr->id,
		    "name", pr->name, "source", pr->source, "scope",
		    plan_scope_name(pr->scope), "kind",
		    pr->kind == REQ_REQUIRED ? "规定动作" : "自选动作", "gate",
		    pr->gate, "pass", pass, "threshold", want, "compare",
		    plan_cmp_text(pr->cmp), "unit", pr->unit);
		switch (pr->scope) {
		case PSCOPE_MEMBER:
		case PSCOPE_BRANCH:
			eng_org_count(v, r, unit, &n);
			json_object_set_new(j, "subjects", count_json(&n));
			if (pass && n.passed == n.counted)
				break;
			if (pr->scope == PSCOPE_MEMBER)
				explain_members(v, r, unit, mem, nmem,
				                max_members, j);
			else
				explain_branches(v, r, unit, j);
			break;
		case PSCOPE_UNIT:
			eng_org_value(v, r, unit, &val);
			json_object_set_new(j, "value",
			                    org_value_json(v, r, unit, &val));
			break;
		default:
			if (e->org[unit].system_id > 0) {
				eng_org_value(v, r, e->org[unit].system_id,
				              &val);
				json_object_set_new(
				    j, "value",
				    json_pack("{s:s,s:b}", "threshold", want,
				              "pass", val.state == ENG_PASS));
			}
			break;
		}
		json_array_append_new(reqs, j);
	}
	free(mem);
	status = unit_status(v, st, s, unit, &row);
	*out = json_pack("{s:o,s:o,s:o}", "as_of", date_json(v->date), "unit",
	                 status, "requirements", reqs);
	return XJ_OK;
}

/* --- what late entries changed ----------------------------------------- */

static json_t *standing_json(const struct eng_view *v, int req, int64_t unit)
{
	const struct creq *c = &v->e->reqs[req];
	struct eng_count n;
	json_t *j = json_pack("{s:b}", "pass", eng_unit_passes(v, req, unit));

	if (c->scope == PSCOPE_MEMBER || c->scope == PSCOPE_BRANCH) {
		eng_org_count(v, req, unit, &n);
		json_object_set_new(j, "passed", json_integer(n.passed));
		json_object_set_new(j, "counted", json_integer(n.counted));
	}
	return j;
}

enum xj_err eng_late_json(struct store *st, const struct eng_view *then,
                          const struct eng_view *later, int64_t system,
                          json_t **out, struct xj_error *err)
{
	const struct engine *e = then->e;
	const struct plan *p = e->p;
	json_t *changes = json_array();
	int64_t u;
	int r, changed_units = 0;
	char sys[256];

	if (later->e != e || later->date != then->date)
		return xj_error_set(err, XJ_EINTERNAL,
		                    "比较的两个视图日期不一致");
	for (u = 1; u <= e->norg; u++) {
		json_t *reqs = NULL;
		int s;

		if (e->org[u].id == 0 || !e->org[u].is_unit ||
		    (system != 0 && e->org[u].system_id != system))
			continue;
		s = eng_unit_stage(then, u);
		for (r = 0; r < p->nreqs; r++) {
			json_t *a, *b;

			if (p->reqs[r].stage != s)
				continue;
			a = standing_json(then, r, u);
			b = standing_json(later, r, u);
			if (json_equal(a, b)) {
				json_decref(a);
				json_decref(b);
				continue;
			}
			if (reqs == NULL)
				reqs = json_array();
			json_array_append_new(reqs,
			                      json_pack("{s:s,s:s,s:b,s:o,s:o}",
			                                "id", p->reqs[r].id,
			                                "name", p->reqs[r].name,
			                                "gate", p->reqs[r].gate,
			                                "then", a, "later", b));
		}
		if (reqs == NULL)
			continue;
		changed_units++;
		json_array_append_new(
		    changes,
		    json_pack(
		        "{s:I,s:s,s:s,s:s,s:o}", "id", (json_int_t)u, "code",
		        e->org[u].code, "name", e->org[u].name, "system",
		        system_name(st, e->org[u].system_id, sys, sizeof(sys)),
		        "requirements", reqs));
	}
	*out = json_pack(
	    "{s:o,s:o,s:I,s:i,s:o}", "as_of", date_json(then->date), "known",
	    date_json(later->known), "late_records",
	    (json_int_t)engine_late_records(e, then->date, later->known),
	    "units_changed", changed_units, "units", changes);
	return XJ_OK;
}
