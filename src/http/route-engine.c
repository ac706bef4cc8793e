/*
 * route-engine.c - the engine's answers over HTTP (status, explain, what
 * late entries changed, a member's own progress) and entering records.
 *
 * The server keeps one engine (struct http_server), built on first use.
 * Records entered here are added to it in place (O(depth)); anything else
 * that writes the store (the command line, an import) moves the audit log
 * on, and the next question rebuilds it. A rebuild that had to read many
 * records from their rows (no snapshot, or an old one) saves a new engine
 * snapshot (engine.h), so that the next rebuild reads only what is newer.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "request.h"
#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/engine.h"
#include "xianjiao/entry.h"
#include "xianjiao/opinion.h"
#include "xianjiao/plan.h"
#include "xianjiao/store.h"
#include "xianjiao/table.h"
#include "xianjiao/workflow.h"

/* Records read from their rows in one rebuild above which the server
 * saves a new snapshot (about a second of rebuilding). */
#define HTTP_SNAPSHOT_AFTER 500000

void http_engine_release(struct http_server *srv)
{
	engine_free(srv->engine);
	plan_free(srv->plan);
	srv->engine = NULL;
	srv->plan = NULL;
	srv->engine_stamp = 0;
}

enum xj_err http_engine(struct http_req *req, struct store *st,
                        struct xj_error *err)
{
	struct http_server *srv = req->srv;
	struct eng_build_info info;
	int64_t stamp;
	enum xj_err e = store_audit_last_id(st, &stamp, err);

	if (e != XJ_OK)
		return e;
	if (srv->engine != NULL && stamp == srv->engine_stamp)
		return XJ_OK;
	http_engine_release(srv);
	e = engine_plan_in_force(st, &srv->plan, err);
	if (e == XJ_OK)
		e = engine_build_ex(st, srv->plan, 0, &info, &srv->engine, err);
	if (e != XJ_OK) {
		http_engine_release(srv);
		return e;
	}
	srv->engine_stamp = stamp;
	if (info.replayed >= HTTP_SNAPSHOT_AFTER) {
		struct xj_error serr;

		/* a cache: the answer does not depend on it */
		if (engine_snapshot_save(srv->engine, st, NULL, &serr) != XJ_OK)
			fprintf(stderr, "保存引擎快照未成功：%s\n", serr.msg);
	}
	return XJ_OK;
}

/* --- questions ------------------------------------------------------------ */

static const struct field status_query[] = {
	{ "as_of", FIELD_STRING, 0, 10, 10 },
	{ "stage", FIELD_STRING, 0, 1, PLAN_ID_MAX },
	{ "system_id", FIELD_ID, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static const char *query(struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
	                                   name);
}

/* as_of and stage from the query: ENG_LIVE and -1 when absent. */
static enum xj_err when(struct http_req *req, const struct plan *p,
                        int32_t *as_of, int *stage, struct xj_error *err)
{
	const char *d = query(req, "as_of"), *s = query(req, "stage");

	*as_of = ENG_LIVE;
	*stage = -1;
	if (d != NULL && date_parse(d, as_of, "as_of", err) != XJ_OK)
		return XJ_EINVAL;
	if (s != NULL && (*stage = plan_stage_find(p, s)) < 0)
		return xj_error_field(err, XJ_EINVAL, "stage",
		                      "方案中没有阶段 %s", s);
	return XJ_OK;
}

/* The view asked for: the live one or one built as of a date. */
static enum xj_err view_of(struct http_req *req, int32_t as_of,
                           struct eng_view **at, const struct eng_view **v,
                           struct xj_error *err)
{
	*at = NULL;
	if (as_of == ENG_LIVE) {
		*v = engine_live(req->srv->engine);
		return XJ_OK;
	}
	if (engine_view_at(req->srv->engine, as_of, at, err) != XJ_OK)
		return XJ_EINVAL;
	*v = *at;
	return XJ_OK;
}

/* Each unit's 转段 state (and an office override's reason) beside its
 * status, for as long as the store lock is held; NULL if it cannot be
 * read, and the answer goes without it. */
static struct wf_annotations *annotate(struct http_req *req, struct store *st)
{
	struct wf_ctx c = { st, req->srv->plan, req->srv->engine, 0,
		            date_beijing(time(NULL)) };
	struct wf_annotations *a = NULL;
	struct xj_error err;

	if (workflow_annotate(&c, &a, &err) != XJ_OK)
		return NULL;
	return a;
}

/* Keep only the units (and 系统) the caller may see. The office sees
 * all; others see the units in their scope, and a 系统's summary only
 * when they supervise it. */
static enum xj_err filter_scope(struct http_req *req, struct store *st,
                                json_t *status, struct xj_error *err)
{
	unsigned mask = req->route->roles & req->who.roles;
	json_t *units = json_object_get(status, "units");
	json_t *systems = json_object_get(status, "systems");
	size_t i;
	int g;

	if (req->who.roles & ROLE_BIT(ROLE_OFFICE))
		return XJ_OK;
	for (i = json_array_size(units); i-- > 0;) {
		int64_t id = json_integer_value(
		    json_object_get(json_array_get(units, i), "id"));
		int in = 0;
		enum xj_err e =
		    store_scope_org(st, req->who.user_id, mask, id, &in, err);

		if (e != XJ_OK)
			return e;
		if (!in)
			json_array_remove(units, i);
	}
	for (i = json_array_size(systems); i-- > 0;) {
		int64_t id = json_integer_value(
		    json_object_get(json_array_get(systems, i), "id"));
		int keep = 0;

		for (g = 0; g < req->who.ngrants; g++)
			keep |= req->who.grants[g].role == ROLE_SUPERVISOR &&
			        req->who.grants[g].system_id == id;
		if (!keep)
			json_array_remove(systems, i);
	}
	return XJ_OK;
}

/* What a question about the engine runs on: the store (held until
 * ask_end), the view asked for (live, or built as of a date) and the
 * stage asked for (-1: each unit's own). */
struct ask {
	struct store *st;
	struct eng_view *at; /* owned, when built for a date */
	const struct eng_view *v;
	int stage;
};

/* Check the query against q, take the store and a fresh engine, and pick
 * the view. On success ask_end() must follow. */
static enum xj_err ask_begin(struct http_req *req, const struct field *q,
                             struct ask *a, struct xj_error *err)
{
	int32_t as_of;
	enum xj_err e = http_query_check(req, q, err);

	memset(a, 0, sizeof(*a));
	if (e != XJ_OK)
		return e;
	a->st = http_store_acquire(req);
	e = http_engine(req, a->st, err);
	if (e == XJ_OK)
		e = when(req, req->srv->plan, &as_of, &a->stage, err);
	if (e == XJ_OK)
		e = view_of(req, as_of, &a->at, &a->v, err);
	if (e != XJ_OK) {
		eng_view_free(a->at);
		http_store_release(req);
	}
	return e;
}

static void ask_end(struct http_req *req, struct ask *a)
{
	eng_view_free(a->at);
	http_store_release(req);
}

static enum xj_err status(struct http_req *req, struct xj_error *err)
{
	struct wf_annotations *wf;
	struct ask a;
	json_t *j = NULL;
	enum xj_err e = ask_begin(req, status_query, &a, err);

	if (e != XJ_OK)
		return e;
	wf = annotate(req, a.st);
	e = eng_status_json(a.st, a.v, a.stage, 0,
	                    query_int(req, "system_id", 0), &j, err);
	workflow_annotations_free(wf);
	if (e == XJ_OK)
		e = filter_scope(req, a.st, j, err);
	ask_end(req, &a);
	if (e != XJ_OK) {
		json_decref(j);
		return e;
	}
	http_reply_json(req, 200, j);
	return XJ_OK;
}

static const struct field explain_query[] = {
	{ "as_of", FIELD_STRING, 0, 10, 10 },
	{ "stage", FIELD_STRING, 0, 1, PLAN_ID_MAX },
	{ "max", FIELD_INT, 0, 0, 10000 },
	{ NULL, 0, 0, 0, 0 },
};

static enum xj_err explain(struct http_req *req, struct xj_error *err)
{
	struct wf_annotations *wf = NULL;
	struct ask a;
	json_t *j = NULL;
	int64_t unit;
	int in = 0;
	enum xj_err e = ask_begin(req, explain_query, &a, err);

	if (e != XJ_OK)
		return e;
	/* an organisation stands for the unit it belongs to */
	unit = engine_unit_of(req->srv->engine, req->params.id[0]);
	e = store_scope_org(a.st, req->who.user_id,
	                    req->route->roles & req->who.roles, unit, &in, err);
	if (e == XJ_OK && !in)
		e = xj_error_set(err, XJ_ENOTFOUND, "该组织不属于您所管的单位");
	if (e == XJ_OK) {
		wf = annotate(req, a.st);
		e = eng_explain_json(a.st, a.v, a.stage, unit,
		                     (int)query_int(req, "max", 50), &j, err);
		workflow_annotations_free(wf);
	}
	ask_end(req, &a);
	if (e != XJ_OK)
		return e;
	http_reply_json(req, 200, j);
	return XJ_OK;
}

static const struct field late_query[] = {
	{ "as_of", FIELD_STRING, 0, 10, 10 },
	{ "system_id", FIELD_ID, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

/* What late entries changed about a past day (as_of; default a week ago,
 * the day last week's ranking was made). */
static enum xj_err late(struct http_req *req, struct xj_error *err)
{
	struct eng_view *then = NULL, *later = NULL;
	json_t *j = NULL;
	int32_t as_of;
	int stage;
	struct store *st;
	enum xj_err e = http_query_check(req, late_query, err);

	if (e != XJ_OK)
		return e;
	st = http_store_acquire(req);
	e = http_engine(req, st, err);
	if (e == XJ_OK)
		e = when(req, req->srv->plan, &as_of, &stage, err);
	if (e == XJ_OK && as_of == ENG_LIVE)
		as_of = date_beijing(time(NULL)) - 7;
	if (e == XJ_OK)
		e = engine_view_at(req->srv->engine, as_of, &then, err);
	if (e == XJ_OK)
		e = engine_view_known(req->srv->engine, as_of, ENG_LIVE, &later,
		                      err);
	if (e == XJ_OK)
		e = eng_late_json(st, then, later,
		                  query_int(req, "system_id", 0), &j, err);
	eng_view_free(then);
	eng_view_free(later);
	http_store_release(req);
	if (e != XJ_OK)
		return e;
	http_reply_json(req, 200, j);
	return XJ_OK;
}

/* A member's own standing on every member requirement of the stage: the
 * 我的 page ("what is still missing, and by when"). */
static enum xj_err progress(struct http_req *req, struct xj_error *err)
{
	const struct eng_view *v;
	const struct plan *p;
	json_t *reqs = NULL, *j = NULL;
	int stage, r;
	int64_t m = req->params.id[0];
	struct ask a;
	enum xj_err e = ask_begin(req, status_query, &a, err);

	if (e != XJ_OK)
		return e;
	v = a.v;
	stage = a.stage;
	{
		int64_t branch = eng_member_branch(v, m);
		int64_t unit = engine_unit_of(req->srv->engine, branch);

		int32_t start = 0, deadline = 0;
		char day[DATE_STR_LEN];

		p = req->srv->plan;
		if (stage < 0)
			stage = eng_unit_stage(v, unit);
		/* by when: the unit's own dates for the stage */
		e = wf_stage_dates(a.st, p, unit, stage, &start, &deadline,
		                   err);
		if (e == XJ_ENOTFOUND)
			e = XJ_OK; /* a member with no unit: no dates */
		if (e != XJ_OK) {
			ask_end(req, &a);
			return e;
		}
		reqs = json_array();
		for (r = 0; r < p->nreqs; r++) {
			const struct plan_req *q = &p->reqs[r];
			struct eng_value val;
			char got[64], want[64];
			static const char *const states[] = {
				"不适用", "免于要求", "未达标", "达标"
			};

			if (q->stage != stage || q->scope != PSCOPE_MEMBER)
				continue;
			eng_member_value(v, r, m, &val);
			eng_format_value(p, r, val.treat, val.raw, got,
			                 sizeof(got));
			eng_format_threshold(p, r, val.treat, want,
			                     sizeof(want));
			json_array_append_new(
			    reqs,
			    json_pack("{s:s,s:s,s:s,s:b,s:s,s:s,s:s,s:s,s:s}",
			              "id", q->id, "name", q->name, "kind",
			              q->kind == REQ_REQUIRED ? "规定动作"
			                                      : "自选动作",
			              "gate", q->gate, "state",
			              states[val.state], "value", got,
			              "threshold", want, "compare",
			              plan_cmp_text(val.cmp), "unit", q->unit));
			if (q->deadline_days > 0 && start > 0)
				date_format(start + q->deadline_days, day);
			else if (deadline > 0)
				date_format(deadline, day);
			else
				continue;
			json_object_set_new(
			    json_array_get(reqs, json_array_size(reqs) - 1),
			    "due", json_string(day));
		}
		j = json_pack("{s:I,s:s,s:I,s:{s:s,s:s},s:o}", "member_id",
		              (json_int_t)m, "name",
		              engine_member_name(req->srv->engine, m)
		                  ? engine_member_name(req->srv->engine, m)
		                  : "",
		              "branch_id", (json_int_t)branch, "stage", "id",
		              p->stages[stage].id, "name",
		              p->stages[stage].name, "requirements", reqs);
		if (deadline > 0) {
			date_format(deadline, day);
			json_object_set_new(j, "stage_deadline",
			                    json_string(day));
		}
	}
	/* the escalation ladders (佩戴党徽): where the member stands now */
	{
		json_t *esc = NULL;

		e = eng_escalations_json(a.st, p, 0, m, &esc, err);
		json_object_set_new(j, "escalations", esc);
	}
	ask_end(req, &a);
	if (e != XJ_OK) {
		json_decref(j);
		return e;
	}
	http_reply_json(req, 200, j);
	return XJ_OK;
}

/* --- the plan in force --------------------------------------------------- */

static json_t *field_json(const struct plan_kind *k, const struct plan_field *f)
{
	json_t *o =
	    json_pack("{s:s,s:s,s:b}", "name", f->name, "type",
	              plan_field_type_name(f->type), "required", f->required);
	int v;

	(void)k;
	if (f->type == FIELD_ENUM || f->type == FIELD_STATE) {
		json_t *vals = json_array();

		for (v = 0; v < f->nvalues; v++)
			json_array_append_new(vals, json_string(f->values[v]));
		json_object_set_new(o, "values", vals);
		json_object_set_new(o, "multiple", json_boolean(f->multiple));
	}
	if (f->type == FIELD_MEMBER && f->must_categories != 0) {
		json_t *cats = json_array(), *m;
		int c;

		for (c = 0; c < MCAT__MAX; c++)
			if (f->must_categories & MCAT_BIT(c))
				json_array_append_new(
				    cats, json_string(member_category_name(
				              (enum member_category)c)));
		m = json_pack("{s:o,s:b,s:b}", "categories", cats, "same_unit",
		              f->must_same_unit, "required", f->must_required);
		if (f->must_when_field >= 0)
			json_object_set_new(
			    m, "when",
			    json_pack("{s:s,s:s}", "field", f->must_when_name,
			              "value", f->must_when_value));
		json_object_set_new(o, "must_be", m);
	}
	return o;
}

static json_t *names_json(const char *(*name)(int), int n)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(name(i)));
	return a;
}

/* The lists an opinion is entered and processed with (opinion.h, DOMAIN.md
 * §6): fixed by the software, not by the plan, sent beside it so that the
 * forms hold no copy. */
static json_t *opinion_lists_json(void)
{
	json_t *persons = json_array();
	int t;

	for (t = 0; t < OPT__MAX; t++)
		if (opinion_target_is_person((enum opinion_target)t))
			json_array_append_new(
			    persons, json_string(opinion_target_name(t)));
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "channels",
	                 names_json(opinion_channel_name, OPC__MAX), "targets",
	                 names_json(opinion_target_name, OPT__MAX), "stages",
	                 names_json(opinion_stage_name, OPS__MAX), "categories",
	                 names_json(opinion_category_name, OPK__MAX),
	                 "dimensions",
	                 names_json(opinion_dimension_name, OPD__MAX),
	                 "person_targets", persons);
}

static json_t *plan_json(const struct plan *p)
{
	json_t *kinds = json_array(), *stages = json_array();
	json_t *batches = json_array(), *reqs = json_array();
	char a[DATE_STR_LEN], b[DATE_STR_LEN];
	int i, j;

	for (i = 0; i < p->nkinds; i++) {
		const struct plan_kind *k = &p->kinds[i];
		json_t *fields = json_array();

		for (j = 0; j < k->nfields; j++)
			json_array_append_new(fields,
			                      field_json(k, &k->fields[j]));
		json_array_append_new(
		    kinds,
		    json_pack("{s:s,s:s,s:s,s:o}", "id", k->id, "name", k->name,
		              "subject",
		              k->subject == SUBJECT_MEMBER ? "member" : "org",
		              "fields", fields));
	}
	for (i = 0; i < p->nstages; i++) {
		const struct plan_stage *st = &p->stages[i];
		json_t *after = json_array(), *lb = json_array();

		for (j = 0; j < st->nafter; j++)
			json_array_append_new(
			    after, json_string(p->stages[st->after[j]].id));
		for (j = 0; j < st->nlookback; j++)
			json_array_append_new(
			    lb, json_pack("{s:s,s:s}", "id", st->lookback[j].id,
			                  "text", st->lookback[j].text));
		json_array_append_new(
		    stages, json_pack("{s:s,s:s,s:i,s:o,s:o}", "id", st->id,
		                      "name", st->name, "order", st->order,
		                      "after", after, "lookback", lb));
	}
	for (i = 0; i < p->nbatches; i++) {
		const struct plan_batch *bt = &p->batches[i];
		json_t *win = json_object();

		for (j = 0; j < p->nstages; j++) {
			date_format(bt->start[j], a);
			date_format(bt->end[j], b);
			json_object_set_new(
			    win, p->stages[j].id,
			    json_pack("{s:s,s:s}", "start", a, "end", b));
		}
		json_array_append_new(
		    batches, json_pack("{s:i,s:s,s:o}", "ordinal", bt->ordinal,
		                       "name", bt->name, "stages", win));
	}
	for (i = 0; i < p->nreqs; i++) {
		const struct plan_req *q = &p->reqs[i];

		json_array_append_new(
		    reqs,
		    json_pack(
		        "{s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:s}", "id", q->id,
		        "name", q->name, "stage", p->stages[q->stage].id,
		        "scope", plan_scope_name(q->scope), "kind",
		        q->kind == REQ_REQUIRED ? "规定动作" : "自选动作",
		        "gate", q->gate, "record", p->kinds[q->metric.kind].id,
		        "metric", plan_metric_name(q->metric.type), "unit",
		        q->unit));
	}
	return json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o}", "campaign", p->name,
	                 "source", p->source, "record_kinds", kinds, "stages",
	                 stages, "batches", batches, "requirements", reqs,
	                 "opinions", opinion_lists_json());
}

static const struct field no_query[] = {
	{ NULL, 0, 0, 0, 0 },
};

/* The plan in force, read-only: what the entry forms are drawn from
 * (record kinds with their fields and lists of values, stages with their
 * 回头看 questions, batches' windows, requirement names). */
static enum xj_err plan_get(struct http_req *req, struct xj_error *err)
{
	struct store *st;
	json_t *j = NULL;
	enum xj_err e = http_query_check(req, no_query, err);

	if (e != XJ_OK)
		return e;
	st = http_store_acquire(req);
	e = http_engine(req, st, err);
	if (e == XJ_OK)
		j = plan_json(req->srv->plan);
	http_store_release(req);
	if (e != XJ_OK)
		return e;
	http_reply_json(req, 200, j);
	return XJ_OK;
}

/* --- progress over time ------------------------------------------------- */

/* At most this many dates in one series: each is a view built from the
 * engine's arrays (tens of milliseconds on a city, seconds on a
 * province), so a series is bounded like any other answer. */
#define SERIES_POINTS_MAX 60

static const struct field series_query[] = {
	{ "from", FIELD_STRING, 1, 10, 10 },
	{ "to", FIELD_STRING, 1, 10, 10 },
	{ "step", FIELD_INT, 0, 1, 366 },
	{ "stage", FIELD_STRING, 0, 1, PLAN_ID_MAX },
	{ "system_id", FIELD_ID, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

/* One point of the series from a status answer already cut to the
 * caller's scope: the units, how many may apply for 转段, their mean
 * completion, and per gating requirement the units passing it. Adds the
 * names of requirements met for the first time to names. */
static json_t *series_point(int32_t day, json_t *status, json_t *names)
{
	json_t *units = json_object_get(status, "units"), *u, *r;
	json_t *per = json_object(), *reqs = json_array(), *v;
	double completion = 0;
	size_t i, k;
	int ready = 0;
	const char *id;
	char d[DATE_STR_LEN];

	json_array_foreach(units, i, u)
	{
		ready += json_is_true(json_object_get(u, "ready"));
		completion +=
		    json_number_value(json_object_get(u, "completion"));
		json_array_foreach(json_object_get(u, "requirements"), k, r)
		{
			json_t *c;

			if (!json_is_true(json_object_get(r, "gate")))
				continue;
			id = json_string_value(json_object_get(r, "id"));
			c = json_object_get(per, id);
			if (c == NULL) {
				c = json_pack("{s:s,s:i,s:i}", "id", id,
				              "units", 0, "passed", 0);
				json_object_set_new(per, id, c);
				json_array_append(reqs, c);
				if (json_object_get(names, id) == NULL)
					json_object_set(
					    names, id,
					    json_object_get(r, "name"));
			}
			json_object_set_new(
			    c, "units",
			    json_integer(json_integer_value(
			                     json_object_get(c, "units")) +
			                 1));
			if (json_is_true(json_object_get(r, "pass")))
				json_object_set_new(
				    c, "passed",
				    json_integer(
				        json_integer_value(
				            json_object_get(c, "passed")) +
				        1));
		}
	}
	json_decref(per);
	date_format(day, d);
	v = json_pack("{s:s,s:i,s:i,s:f,s:o}", "date", d, "units",
	              (int)json_array_size(units), "ready", ready, "completion",
	              json_array_size(units)
	                  ? completion / (double)json_array_size(units)
	                  : 0.0,
	              "requirements", reqs);
	return v;
}

/* Completion of the gating requirements over dates, each evaluated as of
 * that date (what the status page shows with as_of), within the caller's
 * scope: from, to, every step days (7), at most SERIES_POINTS_MAX. */
static enum xj_err series(struct http_req *req, struct xj_error *err)
{
	int32_t from, to, day, step = (int32_t)query_int(req, "step", 7);
	int stage = -1;
	const char *s;
	struct store *st;
	json_t *points, *names, *reqs, *j = NULL;
	const char *id;
	json_t *name;
	enum xj_err e = http_query_check(req, series_query, err);

	if (e != XJ_OK)
		return e;
	if (date_parse(query(req, "from"), &from, "from", err) != XJ_OK ||
	    date_parse(query(req, "to"), &to, "to", err) != XJ_OK)
		return XJ_EINVAL;
	if (to < from)
		return xj_error_field(err, XJ_EINVAL, "to",
		                      "结束日期不能早于开始日期");
	if ((to - from + step - 1) / step + 1 > SERIES_POINTS_MAX)
		return xj_error_field(
		    err, XJ_EINVAL, "step",
		    "最多 %d 个日期，请加大间隔天数或缩短时段",
		    SERIES_POINTS_MAX);
	st = http_store_acquire(req);
	e = http_engine(req, st, err);
	s = query(req, "stage");
	if (e == XJ_OK && s != NULL &&
	    (stage = plan_stage_find(req->srv->plan, s)) < 0)
		e = xj_error_field(err, XJ_EINVAL, "stage", "方案中没有阶段 %s",
		                   s);
	points = json_array();
	names = json_object();
	for (day = from; e == XJ_OK; day += step) {
		struct eng_view *at = NULL;
		json_t *status = NULL;

		if (day > to)
			day = to; /* the last point is always the end date */
		e = engine_view_at(req->srv->engine, day, &at, err);
		if (e == XJ_OK)
			e = eng_status_json(st, at, stage, 0,
			                    query_int(req, "system_id", 0),
			                    &status, err);
		if (e == XJ_OK)
			e = filter_scope(req, st, status, err);
		if (e == XJ_OK)
			json_array_append_new(points,
			                      series_point(day, status, names));
		json_decref(status);
		eng_view_free(at);
		if (day == to)
			break;
	}
	http_store_release(req);
	if (e == XJ_OK) {
		reqs = json_array();
		json_object_foreach(names, id, name)
		{
			json_array_append_new(
			    reqs,
			    json_pack("{s:s,s:O}", "id", id, "name", name));
		}
		j = json_pack("{s:s,s:s,s:i,s:o,s:o}", "from",
		              query(req, "from"), "to", query(req, "to"),
		              "step", step, "requirements", reqs, "points",
		              points);
	} else {
		json_decref(points);
	}
	json_decref(names);
	if (e != XJ_OK)
		return e;
	http_reply_json(req, 200, j);
	return XJ_OK;
}

/* --- entering records ------------------------------------------------------ */

static const struct field record_fields[] = {
	{ "kind", FIELD_STRING, 1, 1, PLAN_ID_MAX },
	{ "member_id", FIELD_ID, 0, 0, 0 },
	{ "org_id", FIELD_ID, 0, 0, 0 },
	{ "happened_on", FIELD_STRING, 1, 10, 10 },
	{ "payload", FIELD_OBJECT, 1, 0, 0 },
	{ "supersedes", FIELD_ID, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

/*
 * Records our own write appended, to add to the engine in place once the
 * transaction has committed (O(depth) each), when the engine was current
 * before it; otherwise the next question rebuilds.
 */
struct pending {
	const struct plan *plan;
	struct eng_record *r;
	size_t n, cap;
	int bad; /* one could not be read: rebuild instead */
};

static void pend(void *ctx, const struct entry *in,
                 const struct entry_result *res)
{
	struct pending *pd = ctx;
	struct eng_record r;
	struct xj_error err;
	int kind = pd->plan ? plan_kind_find(pd->plan, in->kind) : -1;

	memset(&r, 0, sizeof(r));
	if (kind < 0 || eng_record_from_json(pd->plan, kind, in->payload, &r,
	                                     NULL, &err) != XJ_OK) {
		pd->bad = 1;
		return;
	}
	r.id = res->id;
	r.kind = kind;
	r.org_id = res->org_id;
	r.member_id = in->member_id;
	r.happened_on = in->happened_on;
	r.entered_on = date_beijing(time(NULL));
	r.supersedes = in->supersedes;
	if (pd->n == pd->cap) {
		pd->cap = pd->cap ? pd->cap * 2 : 8;
		pd->r = xreallocarray(pd->r, pd->cap, sizeof(*pd->r));
	}
	pd->r[pd->n++] = r;
}

static void engine_follow(struct http_req *req, struct store *st,
                          int64_t before, struct pending *pd)
{
	struct http_server *srv = req->srv;
	struct xj_error err;
	int64_t after;
	size_t i;

	if (srv->engine == NULL || before != srv->engine_stamp || pd->bad ||
	    store_audit_last_id(st, &after, &err) != XJ_OK)
		goto stale;
	for (i = 0; i < pd->n; i++)
		if (engine_add_record(srv->engine, &pd->r[i], &err) != XJ_OK)
			goto stale;
	srv->engine_stamp = after;
	return;
stale:
	http_engine_release(srv);
}

/* The 字数 the server counted for each zishu field of an accepted record
 * (a text is counted by text_zishu(), a paper copy's count is as given),
 * so the form shows what will be credited. Called while the plan the
 * record was checked against is held. */
static json_t *counted_zishu(const struct plan *p, const struct entry *in)
{
	json_t *o = json_object();
	struct eng_record r;
	struct xj_error err;
	int kind = plan_kind_find(p, in->kind), i;

	memset(&r, 0, sizeof(r));
	if (kind < 0 ||
	    eng_record_from_json(p, kind, in->payload, &r, NULL, &err) != XJ_OK)
		return o;
	for (i = 0; i < p->kinds[kind].nfields; i++) {
		const struct plan_field *f = &p->kinds[kind].fields[i];

		if (f->type != FIELD_ZISHU || r.num[i] < 0)
			continue;
		if (r.num[i] % PLAN_CENTI == 0)
			json_object_set_new(
			    o, f->name,
			    json_integer((json_int_t)(r.num[i] / PLAN_CENTI)));
		else
			json_object_set_new(
			    o, f->name,
			    json_real((double)r.num[i] / PLAN_CENTI));
	}
	return o;
}

static enum xj_err record_add(struct http_req *req, struct xj_error *err)
{
	struct entry in;
	struct entry_result res;
	struct pending pd = { NULL, NULL, 0, 0, 0 };
	json_t *body, *counted = NULL;
	char *payload = NULL;
	int64_t before = 0;
	time_t now = time(NULL);
	struct store *st;
	enum xj_err e = http_body_json(req, record_fields, &body, err);

	if (e != XJ_OK)
		return e;
	memset(&in, 0, sizeof(in));
	in.kind = body_str(body, "kind");
	in.member_id = body_int(body, "member_id");
	in.org_id = body_int(body, "org_id");
	in.supersedes = body_int(body, "supersedes");
	e = date_parse(body_str(body, "happened_on"), &in.happened_on,
	               "happened_on", err);
	/* the subject must be in the caller's scope */
	if (e == XJ_OK && in.member_id != 0)
		e = http_scope_member(req, in.member_id, "member_id", err);
	if (e == XJ_OK && in.org_id != 0)
		e = http_scope_org(req, in.org_id, "org_id", err);
	if (e == XJ_OK) {
		payload = json_dumps(body_obj(body, "payload"),
		                     JSON_COMPACT | JSON_PRESERVE_ORDER);
		in.payload = payload;
		st = http_store_acquire(req);
		e = http_engine(req, st, err);
		if (e == XJ_OK)
			before = req->srv->engine_stamp;
		if (e == XJ_OK)
			e = http_tx_begin(req, st, err);
		if (e == XJ_OK) {
			e = entry_add(st, req->srv->plan, &in,
			              date_beijing(now), now, req->who.user_id,
			              &res, err);
			if (e == XJ_OK) {
				pd.plan = req->srv->plan;
				pend(&pd, &in, &res);
			}
			e = http_tx_end(req, st, e, err);
		}
		if (e == XJ_OK) {
			counted = counted_zishu(req->srv->plan, &in);
			engine_follow(req, st, before, &pd);
		}
		http_store_release(req);
	}
	free(pd.r);
	free(payload);
	json_decref(body);
	if (e != XJ_OK)
		return e;
	http_reply_json(req, 201,
	                json_pack("{s:I,s:b,s:s,s:o}", "id", (json_int_t)res.id,
	                          "late", res.late, "note", res.note, "counted",
	                          counted));
	return XJ_OK;
}

/* --- 集中学习: a session and its attendance list in one request ----------- */

static const struct field session_fields[] = {
	{ "org_id", FIELD_ID, 1, 0, 0 },
	{ "happened_on", FIELD_STRING, 1, 10, 10 },
	{ "session", FIELD_OBJECT, 1, 0, 0 },
	{ "attendance", FIELD_ARRAY, 1, 1, ENTRY_SESSION_MAX },
	{ NULL, 0, 0, 0, 0 },
};

/* The list as attendees: {"member_id": N} present, with "absent":
 * "病假" absent; anything else is refused with its position. */
static enum xj_err attendees(json_t *arr, struct entry_attendee *list,
                             struct xj_error *err)
{
	size_t i;
	json_t *o;

	json_array_foreach(arr, i, o)
	{
		json_t *id = json_object_get(o, "member_id");
		json_t *why = json_object_get(o, "absent");
		const char *key;
		json_t *v;

		if (!json_is_object(o))
			return xj_error_field(err, XJ_EINVAL, "attendance",
			                      "名单第 %zu 项应为对象", i + 1);
		json_object_foreach(o, key, v) if (
		    strcmp(key, "member_id") != 0 &&
		    strcmp(key, "absent") !=
		        0) return xj_error_field(err, XJ_EINVAL, "attendance",
		                                 "名单第 %zu 项：没有字段 "
		                                 "%s（只有 member_id 和 "
		                                 "absent）",
		                                 i + 1, key);
		if (!json_is_integer(id) || json_integer_value(id) <= 0)
			return xj_error_field(
			    err, XJ_EINVAL, "attendance",
			    "名单第 %zu 项：member_id 应为党员编号", i + 1);
		if (why != NULL && !json_is_null(why) &&
		    (!json_is_string(why) || json_string_length(why) == 0))
			return xj_error_field(
			    err, XJ_EINVAL, "attendance",
			    "名单第 %zu 项：absent 应为缺勤原因，如 病假",
			    i + 1);
		list[i].member_id = json_integer_value(id);
		list[i].absent = json_string_value(why);
	}
	return XJ_OK;
}

static json_t *session_problems(const struct entry_session_result *res)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < res->nproblems; i++) {
		const struct entry_session_problem *q = &res->problems[i];

		json_array_append_new(
		    arr, json_pack("{s:I,s:I,s:s,s:s,s:s}", "index",
		                   (json_int_t)q->index, "member_id",
		                   (json_int_t)q->member_id, "name", q->name,
		                   "field", q->field, "reason", q->reason));
	}
	return arr;
}

static enum xj_err session_add(struct http_req *req, struct xj_error *err)
{
	struct entry_session in;
	struct entry_session_result res;
	struct entry_attendee *list = NULL;
	struct pending pd = { NULL, NULL, 0, 0, 0 };
	json_t *body, *arr;
	char *payload = NULL;
	int64_t before = 0;
	time_t now = time(NULL);
	struct store *st;
	enum xj_err e = http_body_json(req, session_fields, &body, err);

	if (e != XJ_OK)
		return e;
	memset(&in, 0, sizeof(in));
	memset(&res, 0, sizeof(res));
	arr = json_object_get(body, "attendance");
	list = xcalloc(json_array_size(arr), sizeof(*list));
	in.org_id = body_int(body, "org_id");
	in.list = list;
	in.n = json_array_size(arr);
	in.today = date_beijing(now);
	in.now = now;
	in.actor = req->who.user_id;
	in.appended = pend;
	in.ctx = &pd;
	e = date_parse(body_str(body, "happened_on"), &in.happened_on,
	               "happened_on", err);
	if (e == XJ_OK)
		e = attendees(arr, list, err);
	/* the organisation holding it must be in the caller's scope; the
	 * names must belong to it, so they are too */
	if (e == XJ_OK)
		e = http_scope_org(req, in.org_id, "org_id", err);
	if (e == XJ_OK) {
		payload = json_dumps(body_obj(body, "session"),
		                     JSON_COMPACT | JSON_PRESERVE_ORDER);
		in.payload = payload;
		st = http_store_acquire(req);
		e = http_engine(req, st, err);
		if (e == XJ_OK) {
			before = req->srv->engine_stamp;
			pd.plan = req->srv->plan;
			e = http_tx_begin(req, st, err);
		}
		if (e == XJ_OK) {
			e = entry_session(st, req->srv->plan, &in, &res, err);
			e = http_tx_end(req, st, e, err);
		}
		if (e == XJ_OK)
			engine_follow(req, st, before, &pd);
		http_store_release(req);
	}
	if (e == XJ_EINVAL && res.nproblems > 0) {
		/* every refused name with its position, for the page to
		 * show beside each row; nothing was stored */
		http_reply_json(req, 400,
		                json_pack("{s:{s:s,s:s,s:s},s:o}", "error",
		                          "code", xj_errcode(e), "message",
		                          err->msg, "field", "attendance",
		                          "problems", session_problems(&res)));
		e = XJ_OK;
	} else if (e == XJ_OK) {
		http_reply_json(req, 201,
		                json_pack("{s:I,s:I,s:I,s:b,s:s}", "session_id",
		                          (json_int_t)res.session_id, "present",
		                          (json_int_t)res.present, "absent",
		                          (json_int_t)res.absent, "late",
		                          res.late, "note", res.note));
	}
	entry_session_release(&res);
	free(pd.r);
	free(payload);
	free(list);
	json_decref(body);
	return e;
}

/* --- sign-in sheets (签到表): the CLI's record import over HTTP ---------- */

static const struct field sheet_query[] = {
	{ "kind", FIELD_STRING, 1, 1, PLAN_ID_MAX },
	{ "date", FIELD_STRING, 0, 10, 10 },
	{ "data", FIELD_STRING, 0, 2, 2000 },
	{ "dry_run", FIELD_INT, 0, 0, 1 },
	{ "encoding", FIELD_STRING, 0, 0, 8 },
	{ NULL, 0, 0, 0, 0 },
};

/* The rows as they would be (preview) or were entered, and the records
 * for the engine. */
struct sheet_rows {
	struct store *st;
	json_t *rows;
	struct pending pd;
};

static void sheet_row(void *ctx, long row, const struct entry *in,
                      const struct entry_result *res)
{
	struct sheet_rows *sr = ctx;
	struct member_row m;
	struct xj_error err;
	char day[DATE_STR_LEN];
	int found = 0;

	if (in->member_id != 0 &&
	    store_member_get(sr->st, in->member_id, &m, &found, &err) != XJ_OK)
		found = 0;
	date_format(in->happened_on, day);
	json_array_append_new(
	    sr->rows, json_pack("{s:i,s:I,s:s,s:I,s:s,s:o*}", "row", (int)row,
	                        "member_id", (json_int_t)in->member_id, "name",
	                        found ? m.name : "", "org_id",
	                        (json_int_t)res->org_id, "happened_on", day,
	                        "payload", json_loads(in->payload, 0, NULL)));
	pend(&sr->pd, in, res);
}

/*
 * Enter one record per row of the sheet, all or nothing, each row checked
 * as POST /records checks a record and its person against the caller's
 * scope. dry_run: check and answer the rows as they would be entered,
 * storing nothing. error_file: answer the rejected rows as a file in the
 * sheet's format (the CLI's --errors), storing nothing.
 */
static enum xj_err sheet_import(struct http_req *req, int error_file,
                                struct xj_error *err)
{
	struct import_scope scope = { req->who.user_id,
		                      req->route->roles & req->who.roles };
	struct sheet_rows sr;
	struct entry_sheet opt;
	struct import_result res;
	struct table t;
	const char *date;
	int64_t before = 0;
	time_t now = time(NULL);
	int dry;
	enum xj_err e = http_query_check(req, sheet_query, err);

	if (e != XJ_OK)
		return e;
	memset(&opt, 0, sizeof(opt));
	memset(&res, 0, sizeof(res));
	memset(&sr, 0, sizeof(sr));
	date = query(req, "date");
	if (date != NULL && date_parse(date, &opt.date, "date", err) != XJ_OK)
		return XJ_EINVAL;
	e = http_body_table(req, "签到表（CSV 或 XLSX 文件）", &t, err);
	if (e != XJ_OK)
		return e;
	dry = error_file || query_int(req, "dry_run", 0) == 1;
	opt.defaults = query(req, "data");
	opt.now = now;
	opt.today = date_beijing(now);
	opt.actor = req->who.user_id;
	opt.scope = &scope;
	opt.row = sheet_row;
	opt.ctx = &sr;
	sr.rows = json_array();
	sr.st = http_store_acquire(req);
	e = http_engine(req, sr.st, err);
	if (e == XJ_OK) {
		before = req->srv->engine_stamp;
		sr.pd.plan = req->srv->plan;
		e = http_tx_begin(req, sr.st, err);
	}
	if (e == XJ_OK) {
		e = entry_import(sr.st, req->srv->plan, query(req, "kind"), &t,
		                 &opt, &res, err);
		if (dry && e == XJ_OK) {
			/* a preview: nothing stays */
			store_rollback(sr.st);
			store_set_actor(sr.st, 0);
		} else {
			e = http_tx_end(req, sr.st, e, err);
		}
	}
	if (e == XJ_OK && !dry)
		engine_follow(req, sr.st, before, &sr.pd);
	http_store_release(req);
	if (error_file) {
		char *data;
		size_t len;

		if (e == XJ_EINVAL && res.nproblems > 0 &&
		    import_error_file(&t, &res, t.format, &data, &len, err) ==
		        XJ_OK) {
			http_reply_bytes(
			    req, 200,
			    t.format == TABLE_XLSX
			        ? "application/vnd.openxmlformats-"
			          "officedocument.spreadsheetml.sheet"
			        : "text/csv; charset=utf-8",
			    t.format == TABLE_XLSX
			        ? "%E9%94%99%E8%AF%AF%E6%B8%85%E5%8D%95.xlsx"
			        : "%E9%94%99%E8%AF%AF%E6%B8%85%E5%8D%95.csv",
			    data, len);
			e = XJ_OK;
		} else if (e == XJ_OK) {
			http_reply_json(req, 200,
			                json_pack("{s:I}", "problems", 0));
		}
	} else if (e == XJ_OK) {
		http_reply_json(req, dry ? 200 : 201,
		                json_pack("{s:I,s:I,s:b,s:O}", "rows",
		                          (json_int_t)res.rows, "inserted",
		                          (json_int_t)res.inserted, "dry_run",
		                          dry, "records", sr.rows));
	} else if (e == XJ_EINVAL && res.nproblems > 0) {
		/* every rejected row with its row, column and reason, and
		 * the rows that were fine, for the page's preview */
		http_reply_json(
		    req, 400,
		    json_pack("{s:{s:s,s:s,s:s},s:o,s:I,s:O}", "error", "code",
		              xj_errcode(e), "message", err->msg, "field",
		              "problems", "problems", http_problems_json(&res),
		              "problems_total", (json_int_t)res.nproblems,
		              "records", sr.rows));
		e = XJ_OK;
	}
	json_decref(sr.rows);
	free(sr.pd.r);
	import_result_release(&res);
	table_release(&t);
	return e;
}

static enum xj_err records_import(struct http_req *req, struct xj_error *err)
{
	return sheet_import(req, 0, err);
}

static enum xj_err records_import_errors(struct http_req *req,
                                         struct xj_error *err)
{
	return sheet_import(req, 1, err);
}

/* Where the members of an organisation's subtree stand on the plan's
 * escalation ladders (佩戴党徽, DOMAIN.md §12.3). */
static enum xj_err org_escalations(struct http_req *req, struct xj_error *err)
{
	struct store *st;
	json_t *j = NULL;
	enum xj_err e = http_query_check(req, no_query, err);

	if (e != XJ_OK)
		return e;
	st = http_store_acquire(req);
	e = http_engine(req, st, err);
	if (e == XJ_OK)
		e = eng_escalations_json(st, req->srv->plan, req->params.id[0],
		                         0, &j, err);
	http_store_release(req);
	if (e != XJ_OK)
		return e;
	http_reply_json(req, 200,
	                json_pack("{s:I,s:o}", "org_id",
	                          (json_int_t)req->params.id[0], "kinds", j));
	return XJ_OK;
}

/* --- 情况反映 of 党委（党组）成员: the supervision group's review ------- */

static const struct field reports_query[] = {
	{ "pending", FIELD_INT, 0, 0, 1 },
	{ NULL, 0, 0, 0, 0 },
};

static int add_report(void *ctx, const struct report_row *r)
{
	json_t *review = json_null();

	if (r->review_id != 0)
		review = json_pack("{s:I,s:s,s:s,s:s}", "id",
		                   (json_int_t)r->review_id, "comment",
		                   r->comment, "reviewer", r->reviewer,
		                   "reviewed_on", r->reviewed_on);
	json_array_append_new(
	    ctx,
	    json_pack("{s:I,s:I,s:s,s:s,s:I,s:s,s:o*,s:o}", "id",
	              (json_int_t)r->id, "member_id", (json_int_t)r->member_id,
	              "name", r->name, "seat", r->seat ? r->seat : "", "org_id",
	              (json_int_t)r->org_id, "happened_on", r->happened_on,
	              "payload", json_loads(r->payload, 0, NULL), "review",
	              review));
	return 0;
}

/* The 情况反映 of 党委成员 in the caller's scope (?pending=1: those
 * waiting for review, the supervision group's queue), oldest first. */
static enum xj_err reports(struct http_req *req, struct xj_error *err)
{
	json_t *arr;
	enum xj_err e = http_query_check(req, reports_query, err);

	if (e != XJ_OK)
		return e;
	arr = json_array();
	e = store_reports(
	    http_store_acquire(req), ENTRY_REPORT_KIND, ENTRY_REPORT_ITEM,
	    req->who.user_id, req->route->roles & req->who.roles,
	    query_int(req, "pending", 0) == 1, 0, add_report, arr, err);
	http_store_release(req);
	if (e != XJ_OK) {
		json_decref(arr);
		return e;
	}
	http_reply_json(req, 200, json_pack("{s:o}", "reports", arr));
	return XJ_OK;
}

static const struct field review_fields[] = {
	/* empty or blank: entry_report_review() says so in words */
	{ "comment", FIELD_STRING, 1, 0, ENTRY_COMMENT_MAX },
	{ NULL, 0, 0, 0, 0 },
};

static enum xj_err report_review(struct http_req *req, struct xj_error *err)
{
	struct store *st;
	json_t *body;
	int64_t id = 0;
	time_t now = time(NULL);
	enum xj_err e = http_body_json(req, review_fields, &body, err);

	if (e != XJ_OK)
		return e;
	st = http_store_acquire(req);
	e = http_tx_begin(req, st, err);
	if (e == XJ_OK) {
		e = entry_report_review(st, req->params.id[0], req->who.user_id,
		                        req->route->roles & req->who.roles,
		                        body_str(body, "comment"),
		                        date_beijing(now), &id, err);
		e = http_tx_end(req, st, e, err);
	}
	http_store_release(req);
	json_decref(body);
	if (e != XJ_OK)
		return e;
	http_reply_json(req, 201, json_pack("{s:I}", "id", (json_int_t)id));
	return XJ_OK;
}

static const struct field records_query[] = {
	{ "kind", FIELD_STRING, 0, 1, PLAN_ID_MAX },
	{ "all", FIELD_INT, 0, 0, 1 },
	{ "before", FIELD_ID, 0, 0, 0 },
	{ "limit", FIELD_INT, 0, 1, 500 },
	{ NULL, 0, 0, 0, 0 },
};

/* A list of records being built, with the engine for members' names. */
struct record_list {
	json_t *arr;
	const struct engine *e;
};

static int add_record(void *ctx, const struct scan_record *r)
{
	struct record_list *l = ctx;
	char day[DATE_STR_LEN], at[TIMESTAMP_STR_LEN];
	const char *name = r->member_id != 0 && l->e != NULL
	                       ? engine_member_name(l->e, r->member_id)
	                       : NULL;
	json_error_t je;

	date_format(r->happened_on, day);
	timestamp_format(r->entered_at, at);
	json_array_append_new(
	    l->arr,
	    json_pack("{s:I,s:s,s:I,s:I,s:s,s:s,s:I,s:I,s:I,s:I,s:o*}", "id",
	              (json_int_t)r->id, "kind", r->kind, "org_id",
	              (json_int_t)r->org_id, "member_id",
	              (json_int_t)r->member_id, "happened_on", day,
	              "entered_at", at, "entered_by", (json_int_t)r->entered_by,
	              "supersedes", (json_int_t)r->supersedes, "superseded_by",
	              (json_int_t)r->superseded_by, "session_id",
	              (json_int_t)r->session_id, "payload",
	              json_loads(r->payload, 0, &je)));
	if (name != NULL)
		json_object_set_new(
		    json_array_get(l->arr, json_array_size(l->arr) - 1),
		    "member_name", json_string(name));
	return 0;
}

/* Records of the route's member or in the subtree of its organisation,
 * newest first (the router has checked the scope). */
static enum xj_err records(struct http_req *req, int64_t member, int64_t org,
                           struct xj_error *err)
{
	struct record_list l = { NULL, NULL };
	struct store *st;
	enum xj_err e = http_query_check(req, records_query, err);

	if (e != XJ_OK)
		return e;
	l.arr = json_array();
	st = http_store_acquire(req);
	/* names from the engine when it can be had; the list goes without */
	if (http_engine(req, st, err) == XJ_OK)
		l.e = req->srv->engine;
	e = store_records_list(
	    st, query(req, "kind"), member, org, query_int(req, "all", 0) == 0,
	    query_int(req, "before", 0), (int)query_int(req, "limit", 100),
	    add_record, &l, err);
	http_store_release(req);
	if (e != XJ_OK) {
		json_decref(l.arr);
		return e;
	}
	http_reply_json(req, 200, json_pack("{s:o}", "records", l.arr));
	return XJ_OK;
}

static enum xj_err org_records(struct http_req *req, struct xj_error *err)
{
	return records(req, 0, req->params.id[0], err);
}

static enum xj_err member_records(struct http_req *req, struct xj_error *err)
{
	return records(req, req->params.id[0], 0, err);
}

#define WATCH_ROLES                                                            \
	(ROLE_BIT(ROLE_OFFICE) | ROLE_BIT(ROLE_SUPERVISOR) |                   \
	 ROLE_BIT(ROLE_UNIT))
#define ENTRY_ROLES                                                            \
	(ROLE_BIT(ROLE_OFFICE) | ROLE_BIT(ROLE_UNIT) | ROLE_BIT(ROLE_SECRETARY))
#define READ_ROLES (WATCH_ROLES | ROLE_BIT(ROLE_SECRETARY))
#define REVIEW_READERS (ROLE_BIT(ROLE_OFFICE) | ROLE_BIT(ROLE_SUPERVISOR))

const struct route routes_engine[] = {
	{ "GET", "/api/v1/status", WATCH_ROLES, SCOPE_NONE, status },
	{ "GET", "/api/v1/units/{id}/explain", WATCH_ROLES, SCOPE_ORG,
	  explain },
	{ "GET", "/api/v1/status/series", WATCH_ROLES, SCOPE_NONE, series },
	{ "GET", "/api/v1/late", ROLE_BIT(ROLE_OFFICE), SCOPE_NONE, late },
	{ "GET", "/api/v1/plan", ROLE_ALL, SCOPE_NONE, plan_get },
	{ "GET", "/api/v1/members/{id}/progress", ROLE_ALL, SCOPE_MEMBER,
	  progress },
	{ "POST", "/api/v1/records", ENTRY_ROLES, SCOPE_NONE, record_add },
	{ "POST", "/api/v1/sessions", ENTRY_ROLES, SCOPE_NONE, session_add },
	{ "GET", "/api/v1/orgs/{id}/escalations", READ_ROLES, SCOPE_ORG,
	  org_escalations },
	{ "GET", "/api/v1/reports", REVIEW_READERS, SCOPE_NONE, reports },
	{ "POST", "/api/v1/reports/{id}/review", ROLE_BIT(ROLE_SUPERVISOR),
	  SCOPE_NONE, report_review },
	{ "POST", "/api/v1/records/import", ENTRY_ROLES, SCOPE_NONE,
	  records_import },
	{ "POST", "/api/v1/records/import/errors", ENTRY_ROLES, SCOPE_NONE,
	  records_import_errors },
	{ "GET", "/api/v1/orgs/{id}/records", READ_ROLES, SCOPE_ORG,
	  org_records },
	{ "GET", "/api/v1/members/{id}/records", ROLE_ALL, SCOPE_MEMBER,
	  member_records },
	{ NULL, NULL, 0, SCOPE_NONE, NULL },
};
