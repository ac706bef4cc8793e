/*
 * act.c - taking a step in a unit's 转段 (workflow.h): the guards of each
 * action, the gate at the application, and the one write that records the
 * step with the version it was taken on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/engine.h"
#include "xianjiao/strbuf.h"
#include "xianjiao/text.h"

int wf_first_stage(const struct plan *p)
{
	int i;

	for (i = 0; i < p->nstages; i++)
		if (p->stages[i].order == 0)
			return i;
	return 0;
}

int wf_next_stage(const struct plan *p, int s)
{
	int i;

	for (i = 0; i < p->nstages; i++)
		if (p->stages[i].order == p->stages[s].order + 1)
			return i;
	return -1;
}

enum xj_err wf_unit_take(const struct plan *p, const struct wf_unit_row *r,
                         struct wf_unit *u, struct xj_error *err)
{
	memset(u, 0, sizeof(*u));
	u->id = r->unit_id;
	u->system_id = r->system_id;
	snprintf(u->code, sizeof(u->code), "%s", r->code);
	snprintf(u->name, sizeof(u->name), "%s", r->name);
	u->batch = r->batch_ordinal;
	u->stage =
	    r->stage[0] ? plan_stage_find(p, r->stage) : wf_first_stage(p);
	if (u->stage < 0)
		return xj_error_set(err, XJ_ECONFLICT,
		                    "单位“%s”所处的阶段 %s 不在现行方案中",
		                    r->name, r->stage);
	if (r->state < 0 || r->state >= WF_STATE__MAX)
		return xj_error_set(err, XJ_ESTORE,
		                    "单位“%s”的转段状态 %d 无效", r->name,
		                    r->state);
	u->state = (enum wf_state)r->state;
	u->entered_on = r->entered_on;
	u->extended_until = r->extended_until;
	u->remedy_deadline = r->remedy_deadline;
	u->last_on = r->last_on;
	u->version = r->version;
	u->override_by = r->override_by;
	snprintf(u->override_reason, sizeof(u->override_reason), "%s",
	         r->override_reason);
	u->open_remedies = r->open_remedies;
	return XJ_OK;
}

struct load_ctx {
	const struct plan *p;
	struct wf_unit *u;
	struct xj_error *err;
	enum xj_err e;
	int found;
};

static int load_one(void *ctx, const struct wf_unit_row *r)
{
	struct load_ctx *c = ctx;

	c->found = 1;
	c->e = wf_unit_take(c->p, r, c->u, c->err);
	return 1;
}

enum xj_err wf_unit_load(struct store *st, const struct plan *p, int64_t id,
                         struct wf_unit *u, struct xj_error *err)
{
	struct load_ctx c = { p, u, err, XJ_OK, 0 };
	enum xj_err e;

	if (id <= 0)
		return xj_error_field(err, XJ_ENOTFOUND, "unit", "单位不存在");
	e = store_wf_units_each(st, id, load_one, &c, err);
	if (e != XJ_OK)
		return e;
	if (!c.found)
		return xj_error_field(err, XJ_ENOTFOUND, "unit",
		                      "单位不存在（编号 %lld；须为单位，"
		                      "不是支部）",
		                      (long long)id);
	return c.e;
}

int32_t wf_stage_deadline(const struct plan *p, int batch, int stage,
                          int32_t entered, int32_t extended_until)
{
	int b = plan_batch_find(p, batch);
	int32_t start, end;

	if (extended_until > 0)
		return extended_until;
	if (b < 0 || stage < 0 || stage >= p->nstages)
		return 0;
	start = p->batches[b].start[stage];
	end = p->batches[b].end[stage];
	if (end <= 0)
		return 0;
	/* 「转段时间晚一些的部门和单位,适当向后顺延」(seed 001, §5.2):
	 * a unit that entered late keeps the stage's full length. */
	if (entered > 0 && start > 0 && entered > start)
		end += entered - start;
	return end;
}

int32_t wf_unit_deadline(const struct plan *p, const struct wf_unit *u)
{
	return wf_stage_deadline(p, u->batch, u->stage, u->entered_on,
	                         u->extended_until);
}

enum xj_err wf_stage_dates(struct store *st, const struct plan *p, int64_t unit,
                           int stage, int32_t *start, int32_t *deadline,
                           struct xj_error *err)
{
	struct wf_unit u;
	enum xj_err e;
	int b;

	*start = *deadline = 0;
	if (stage < 0 || stage >= p->nstages)
		return XJ_OK;
	e = wf_unit_load(st, p, unit, &u, err);
	if (e != XJ_OK)
		return e;
	b = plan_batch_find(p, u.batch);
	*start = b >= 0 ? p->batches[b].start[stage] : 0;
	if (stage == u.stage) {
		if (u.entered_on > 0)
			*start = u.entered_on;
		*deadline = wf_unit_deadline(p, &u);
	} else {
		*deadline = wf_stage_deadline(p, u.batch, stage, 0, 0);
	}
	return XJ_OK;
}

enum xj_err wf_text(const char *s, const char *field, const char *what,
                    size_t max, int required, struct xj_error *err)
{
	size_t len;

	if (s == NULL || text_blank(s)) {
		if (required)
			return xj_error_field(err, XJ_EINVAL, field,
			                      "%s不能为空", what);
		return XJ_OK;
	}
	len = strlen(s);
	if (utf8_validate(s, len, field, err) != XJ_OK)
		return xj_error_field(err, XJ_EINVAL, field,
		                      "%s不是有效的 UTF-8 文字", what);
	if (utf8_length(s, len) > max)
		return xj_error_field(err, XJ_EINVAL, field,
		                      "%s不能超过 %zu 个字", what, max);
	return XJ_OK;
}

json_t *wf_date_json(int32_t d)
{
	char buf[DATE_STR_LEN];

	if (d <= 0)
		return json_null();
	date_format(d, buf);
	return json_string(buf);
}

json_t *wf_stage_json(const struct plan *p, int s)
{
	return json_pack("{s:s,s:s}", "id", p->stages[s].id, "name",
	                 p->stages[s].name);
}

/* --- refusals ------------------------------------------------------------ */

/* The actions worth offering from u's state. */
static unsigned offered(const struct wf_unit *u)
{
	unsigned m = wf_allowed(u->state) & ~(1u << WF_FINDING);

	if (u->open_remedies == 0)
		m &= ~(1u << WF_REMEDY_DONE);
	return m;
}

json_t *wf_allowed_json(const struct wf_unit *u, const struct plan *p)
{
	json_t *arr = json_array();
	unsigned m = offered(u), roles;
	int a, r;

	(void)p;
	for (a = 0; a < WF_ACTION__MAX; a++) {
		json_t *who;

		if (!(m & (1u << a)))
			continue;
		who = json_array();
		roles = wf_action_roles((enum wf_action)a);
		for (r = 0; r < ROLE__MAX; r++)
			if (roles & ROLE_BIT(r))
				json_array_append_new(
				    who, json_string(role_code((enum role)r)));
		json_array_append_new(
		    arr,
		    json_pack("{s:s,s:s,s:o}", "action",
		              wf_action_code((enum wf_action)a), "name",
		              wf_action_name((enum wf_action)a), "roles", who));
	}
	return arr;
}

/* "回头看、提交自查报告" */
static void allowed_words(const struct wf_unit *u, char *buf, size_t size)
{
	unsigned m = offered(u);
	size_t n = 0;
	int a;

	buf[0] = '\0';
	for (a = 0; a < WF_ACTION__MAX && n < size; a++) {
		if (!(m & (1u << a)))
			continue;
		n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "、" : "",
		                      wf_action_name((enum wf_action)a));
	}
	if (buf[0] == '\0')
		snprintf(buf, size, "无");
}

static json_t *refusal_new(const struct wf_ctx *c, const struct wf_unit *u)
{
	return json_pack(
	    "{s:I,s:s,s:s,s:s,s:o,s:I,s:o}", "unit", (json_int_t)u->id, "code",
	    u->code, "state", wf_state_code(u->state), "state_name",
	    wf_state_name(u->state), "stage", wf_stage_json(c->p, u->stage),
	    "version", (json_int_t)u->version, "allowed",
	    wf_allowed_json(u, c->p));
}

static enum xj_err not_now(const struct wf_ctx *c, const struct wf_unit *u,
                           enum wf_action a, struct wf_outcome *out,
                           struct xj_error *err)
{
	char words[512];

	allowed_words(u, words, sizeof(words));
	out->refusal = refusal_new(c, u);
	return xj_error_set(err, XJ_ECONFLICT,
	                    "单位“%s”现在%s·%s，不能%s；现在可以：%s", u->name,
	                    c->p->stages[u->stage].name,
	                    wf_state_name(u->state), wf_action_name(a), words);
}

/* --- the gate ------------------------------------------------------------ */

/*
 * The stage's gating requirements that u fails in the engine's live view,
 * with the engine's explanation of each (DOMAIN.md §5.3 guards).
 */
static enum xj_err gate_failing(const struct wf_ctx *c, const struct wf_unit *u,
                                json_t **failing, int *ngates,
                                struct xj_error *err)
{
	struct engine *own = NULL;
	struct engine *e = c->e;
	const struct eng_view *v;
	json_t *ex = NULL, *r;
	enum xj_err rc = XJ_OK;
	size_t i;
	int k, nfail = 0;

	*failing = json_array();
	*ngates = 0;
	if (e == NULL) {
		rc = engine_build(c->st, c->p, &own, err);
		if (rc != XJ_OK)
			return rc;
		e = own;
	}
	v = engine_live(e);
	for (k = 0; k < c->p->nreqs; k++) {
		const struct plan_req *pr = &c->p->reqs[k];

		if (pr->stage != u->stage || !pr->gate ||
		    pr->kind != REQ_REQUIRED)
			continue;
		(*ngates)++;
		if (!eng_unit_passes(v, k, u->id))
			nfail++;
	}
	if (nfail > 0) {
		rc = eng_explain_json(c->st, v, u->stage, u->id, 20, &ex, err);
		json_array_foreach(json_object_get(ex, "requirements"), i, r)
		{
			if (json_is_true(json_object_get(r, "gate")) &&
			    !json_is_true(json_object_get(r, "pass")))
				json_array_append(*failing, r);
		}
	}
	json_decref(ex);
	engine_free(own);
	return rc;
}

/* --- remedy items ------------------------------------------------------- */

/* Split items into at most WF_ITEMS_MAX checked, trimmed texts. */
static enum xj_err split_items(const char *items, json_t **out,
                               struct xj_error *err)
{
	const char *s = items ? items : "";
	json_t *arr = json_array();
	enum xj_err e = XJ_OK;

	while (*s) {
		size_t n = strcspn(s, "\n;"), fw;
		const char *fws = strstr(s, "；");
		char *t;

		fw = fws ? (size_t)(fws - s) : SIZE_MAX;
		if (fw < n)
			n = fw;
		t = xstrndup(s, n);
		if (!text_blank(t)) {
			char *a = t, *z = t + strlen(t);

			while (*a == ' ' || *a == '\t' || *a == '\r')
				a++;
			while (z > a &&
			       (z[-1] == ' ' || z[-1] == '\t' || z[-1] == '\r'))
				*--z = '\0';
			e = wf_text(a, "items", "补课事项", WF_ITEM_MAX, 1,
			            err);
			if (e == XJ_OK && json_array_size(arr) >= WF_ITEMS_MAX)
				e = xj_error_field(err, XJ_EINVAL, "items",
				                   "一次最多责令 %d 项补课",
				                   WF_ITEMS_MAX);
			if (e == XJ_OK)
				json_array_append_new(arr, json_string(a));
		}
		free(t);
		if (e != XJ_OK)
			break;
		s += n;
		if (fws != NULL && s == fws)
			s += strlen("；");
		else if (*s)
			s++;
	}
	if (e == XJ_OK && json_array_size(arr) == 0)
		e = xj_error_field(err, XJ_EINVAL, "items",
		                   "补课须列出至少一项事项（每行一项）");
	if (e != XJ_OK) {
		json_decref(arr);
		return e;
	}
	*out = arr;
	return XJ_OK;
}

/* --- one step --------------------------------------------------------- */

struct answers {
	const struct plan_stage *s;
	int answered[PLAN_LOOKBACK_MAX];
};

static int take_answer(void *ctx, const struct wf_answer_row *a)
{
	struct answers *c = ctx;
	int i;

	for (i = 0; i < c->s->nlookback; i++)
		if (strcmp(c->s->lookback[i].id, a->item) == 0)
			c->answered[i] = 1;
	return 0;
}

static int lookback_index(const struct plan_stage *s, const char *id)
{
	int i;

	for (i = 0; id != NULL && i < s->nlookback; i++)
		if (strcmp(s->lookback[i].id, id) == 0)
			return i;
	return -1;
}

/* Everything a step writes besides the transition row. */
struct plan_step {
	json_t *details;
	json_t *items; /* remedy, finding */
	const char *override;
	int32_t entered_on;
	int to_stage;
	int64_t finding_id;
};

static enum xj_err guard(const struct wf_ctx *c, const struct wf_unit *u,
                         const struct wf_request *r, int32_t on,
                         struct plan_step *ps, struct wf_outcome *out,
                         struct xj_error *err)
{
	const struct plan_stage *stage = &c->p->stages[u->stage];
	char date[DATE_STR_LEN];
	json_t *failing = NULL, *open = NULL;
	enum xj_err e = XJ_OK;
	int i, ngates = 0;

	switch (r->action) {
	case WF_LOOKBACK_ANSWER:
		i = lookback_index(stage, r->item);
		if (i < 0) {
			struct strbuf ids;

			strbuf_init(&ids, 4096);
			for (i = 0; i < stage->nlookback; i++)
				strbuf_addf(&ids, "%s%s", i ? "、" : "",
				            stage->lookback[i].id);
			e = xj_error_field(
			    err, XJ_EINVAL, "item",
			    stage->nlookback
			        ? "%s的回头看没有事项 %s（可选：%s）"
			        : "%s没有回头看事项%s%s",
			    stage->name, r->item ? r->item : "", ids.buf);
			strbuf_release(&ids);
			return e;
		}
		e = wf_text(r->text, "answer", "回答", WF_ANSWER_MAX, 1, err);
		if (e != XJ_OK)
			return e;
		ps->details = json_pack(
		    "{s:s,s:s,s:s}", "item", stage->lookback[i].id, "question",
		    stage->lookback[i].text, "answer", r->text);
		return XJ_OK;
	case WF_SELFCHECK_SUBMIT:
	case WF_SUMMARIZE:
		e = wf_text(r->text, "report",
		            r->action == WF_SELFCHECK_SUBMIT ? "自查报告"
		                                             : "总结",
		            WF_REPORT_MAX, 1, err);
		if (e != XJ_OK)
			return e;
		if (r->action == WF_SELFCHECK_SUBMIT) {
			struct answers a;
			json_t *missing = json_array();
			struct strbuf names;

			memset(&a, 0, sizeof(a));
			a.s = stage;
			e = store_wf_answers_each(c->st, u->id, stage->id,
			                          take_answer, &a, err);
			strbuf_init(&names, 8192);
			for (i = 0; e == XJ_OK && i < stage->nlookback; i++)
				if (!a.answered[i]) {
					json_array_append_new(
					    missing,
					    json_pack("{s:s,s:s}", "id",
					              stage->lookback[i].id,
					              "text",
					              stage->lookback[i].text));
					strbuf_addf(&names, "%s%s",
					            names.len ? "；" : "",
					            stage->lookback[i].text);
				}
			if (e == XJ_OK && json_array_size(missing) > 0) {
				out->refusal = refusal_new(c, u);
				json_object_set(out->refusal, "unanswered",
				                missing);
				e = xj_error_set(err, XJ_ECONFLICT,
				                 "回头看还有 %zu 项未回答，"
				                 "不能提交自查报告：%s",
				                 json_array_size(missing),
				                 names.buf);
			}
			json_decref(missing);
			strbuf_release(&names);
			if (e != XJ_OK)
				return e;
		}
		ps->details = json_pack("{s:s}", "report", r->text);
		return XJ_OK;
	case WF_APPLY:
	case WF_OVERRIDE:
		if (r->action == WF_OVERRIDE) {
			e = wf_text(r->reason, "reason", "越过转段条件的理由",
			            WF_REASON_MAX, 1, err);
			if (e != XJ_OK)
				return e;
		}
		e = gate_failing(c, u, &failing, &ngates, err);
		if (e == XJ_OK)
			e = wf_remedies_json(c->st, u->id, 1, c->today, &open,
			                     err);
		if (e != XJ_OK)
			goto gate_out;
		if (r->action == WF_APPLY && (json_array_size(failing) > 0 ||
		                              json_array_size(open) > 0)) {
			struct strbuf names;
			size_t k;
			json_t *f;

			strbuf_init(&names, 16384);
			json_array_foreach(failing, k, f)
			{
				strbuf_addf(&names, "%s%s", k ? "、" : "",
				            json_string_value(
				                json_object_get(f, "name")));
			}
			out->refusal = refusal_new(c, u);
			json_object_set(out->refusal, "failing", failing);
			json_object_set(out->refusal, "open_remedies", open);
			e = xj_error_set(
			    err, XJ_ECONFLICT,
			    "单位“%s”未达到转段条件，不能申请转段：%zu "
			    "项转段条件"
			    "未达标%s%s%s，%zu 项补课未完成",
			    u->name, json_array_size(failing),
			    names.len ? "（" : "", names.buf,
			    names.len ? "）" : "", json_array_size(open));
			strbuf_release(&names);
			goto gate_out;
		}
		if (r->action == WF_OVERRIDE && json_array_size(failing) == 0 &&
		    json_array_size(open) == 0) {
			out->refusal = refusal_new(c, u);
			e = xj_error_set(
			    err, XJ_ECONFLICT,
			    "单位“%s”的转段条件均已达标、没有未完成"
			    "的补课，无需越过，请直接申请转段",
			    u->name);
			goto gate_out;
		}
		if (r->action == WF_OVERRIDE) {
			json_t *ids = json_array(), *f;
			size_t k;

			json_array_foreach(failing, k, f)
			{
				json_array_append(ids,
				                  json_object_get(f, "id"));
			}
			ps->details = json_pack(
			    "{s:b,s:o,s:I,s:i}", "override", 1, "failing", ids,
			    "open_remedies", (json_int_t)json_array_size(open),
			    "gates", ngates);
			ps->override = r->reason;
		} else {
			ps->details = json_pack("{s:i,s:i}", "gates", ngates,
			                        "gates_passed", ngates);
		}
	gate_out:
		json_decref(failing);
		json_decref(open);
		return e;
	case WF_SIGN:
		return wf_text(r->reason, "reason", "验收意见", WF_REASON_MAX,
		               0, err);
	case WF_RETURN:
		return wf_text(r->reason, "reason", "退回的理由", WF_REASON_MAX,
		               1, err);
	case WF_APPROVE:
		e = wf_text(r->reason, "reason", "审批意见", WF_REASON_MAX, 0,
		            err);
		if (e != XJ_OK)
			return e;
		ps->to_stage = wf_next_stage(c->p, u->stage);
		ps->override = NULL;
		if (ps->to_stage >= 0) {
			ps->entered_on = on;
			ps->details = json_pack("{s:s}", "to_stage",
			                        c->p->stages[ps->to_stage].id);
		}
		return XJ_OK;
	case WF_REMEDY:
	case WF_FINDING:
		if (r->action == WF_REMEDY) {
			e = wf_text(r->reason, "reason", "责令补课的理由",
			            WF_REASON_MAX, 1, err);
			if (e != XJ_OK)
				return e;
		}
		e = split_items(r->items, &ps->items, err);
		if (e != XJ_OK)
			return e;
		if (r->date <= 0)
			return xj_error_field(err, XJ_EINVAL, "deadline",
			                      "补课须有完成期限");
		if (r->date < on) {
			date_format(on, date);
			return xj_error_field(err, XJ_EINVAL, "deadline",
			                      "补课期限不能早于办理日期 %s",
			                      date);
		}
		date_format(r->date, date);
		ps->details = json_pack("{s:O,s:s}", "items", ps->items,
		                        "deadline", date);
		if (r->action == WF_FINDING)
			json_object_set_new(ps->details, "finding",
			                    json_integer(ps->finding_id));
		return XJ_OK;
	case WF_REMEDY_DONE:
		if (r->item_id <= 0)
			return xj_error_field(err, XJ_EINVAL, "item",
			                      "请指明完成的补课事项编号");
		e = wf_text(r->text, "evidence", "完成情况和佐证",
		            WF_ANSWER_MAX, 1, err);
		if (e != XJ_OK)
			return e;
		ps->details =
		    json_pack("{s:I,s:s}", "item", (json_int_t)r->item_id,
		              "evidence", r->text);
		return XJ_OK;
	case WF_EXTEND: {
		int32_t now = wf_unit_deadline(c->p, u);
		char prev[DATE_STR_LEN];

		e = wf_text(r->reason, "reason", "延期的理由", WF_REASON_MAX, 1,
		            err);
		if (e != XJ_OK)
			return e;
		if (r->date <= 0)
			return xj_error_field(err, XJ_EINVAL, "until",
			                      "请给出新的期限");
		if (now > 0 && r->date <= now) {
			date_format(now, prev);
			return xj_error_field(err, XJ_EINVAL, "until",
			                      "新期限须晚于现在的期限 %s",
			                      prev);
		}
		if (r->date < on) {
			date_format(on, prev);
			return xj_error_field(err, XJ_EINVAL, "until",
			                      "新期限不能早于办理日期 %s",
			                      prev);
		}
		date_format(r->date, date);
		ps->details = json_pack("{s:s,s:o}", "until", date, "previous",
		                        wf_date_json(now));
		return XJ_OK;
	}
	default:
		break;
	}
	return xj_error_set(err, XJ_EINVAL, "未知的转段操作");
}

static enum xj_err take_step(const struct wf_ctx *c, const struct wf_unit *u,
                             const struct wf_request *r, struct wf_outcome *out,
                             int64_t finding_id, struct xj_error *err)
{
	const struct plan *p = c->p;
	const char *stage = p->stages[u->stage].id;
	struct plan_step ps;
	struct wf_step s;
	char *details = NULL;
	int32_t on = r->on ? r->on : c->today;
	char d1[DATE_STR_LEN], d2[DATE_STR_LEN];
	enum xj_err e;
	int to;
	size_t i;

	memset(&ps, 0, sizeof(ps));
	ps.entered_on = u->entered_on;
	ps.override = u->override_reason[0] ? u->override_reason : NULL;
	ps.to_stage = -1;
	ps.finding_id = finding_id;
	out->from = u->state;
	out->stage = out->to_stage = u->stage;
	if (on > c->today) {
		date_format(c->today, d1);
		return xj_error_field(err, XJ_EINVAL, "on",
		                      "办理日期不能晚于今天（%s）", d1);
	}
	if (u->last_on > 0 && on < u->last_on) {
		date_format(on, d1);
		date_format(u->last_on, d2);
		return xj_error_field(err, XJ_EINVAL, "on",
		                      "办理日期 %s 早于该单位上一步的日期 %s",
		                      d1, d2);
	}
	if (r->expect_version != 0 && r->expect_version != u->version) {
		out->refusal = refusal_new(c, u);
		return xj_error_set(err, XJ_ECONFLICT,
		                    "单位“%s”的转段状态已变化（现为第 %lld 版，"
		                    "您看到的是第 %lld 版）：现在%s·%s，请刷新"
		                    "后重试",
		                    u->name, (long long)u->version,
		                    (long long)r->expect_version,
		                    p->stages[u->stage].name,
		                    wf_state_name(u->state));
	}
	to = wf_next(u->state, r->action, wf_next_stage(p, u->stage) < 0);
	if (to < 0)
		return not_now(c, u, r->action, out, err);
	e = guard(c, u, r, on, &ps, out, err);
	if (e != XJ_OK)
		goto out;
	if (ps.details != NULL)
		details =
		    json_dumps(ps.details, JSON_COMPACT | JSON_PRESERVE_ORDER);
	memset(&s, 0, sizeof(s));
	s.unit_id = u->id;
	s.stage = stage;
	s.from_state = u->state;
	s.to_state = to;
	s.to_stage = ps.to_stage >= 0 ? p->stages[ps.to_stage].id : NULL;
	s.action = wf_action_code(r->action);
	s.on_date = on;
	s.reason = r->reason && !text_blank(r->reason) ? r->reason : NULL;
	s.details = details;
	s.entered_on = ps.entered_on;
	s.override_reason = ps.override;
	s.expect_version = u->version;
	e = store_wf_step(c->st, &s, &out->transition_id, &out->version, err);
	if (e != XJ_OK)
		goto out;
	switch (r->action) {
	case WF_LOOKBACK_ANSWER:
		e = store_wf_answer_add(
		    c->st, u->id, stage,
		    json_string_value(json_object_get(ps.details, "item")),
		    r->text, out->transition_id, err);
		break;
	case WF_REMEDY:
	case WF_FINDING:
		for (i = 0; e == XJ_OK && i < json_array_size(ps.items); i++)
			e = store_wf_remedy_add(
			    c->st, u->id, stage,
			    json_string_value(json_array_get(ps.items, i)),
			    r->date, out->transition_id, finding_id, NULL, err);
		break;
	case WF_REMEDY_DONE:
		e = store_wf_remedy_done(c->st, r->item_id, u->id, on, r->text,
		                         err);
		break;
	case WF_EXTEND:
		e = store_wf_extension_add(c->st, u->id, stage, r->date,
		                           r->reason, out->transition_id, err);
		break;
	default:
		break;
	}
	if (e == XJ_OK && ps.to_stage >= 0 && c->e != NULL)
		e = engine_set_unit_stage(c->e, u->id, ps.to_stage, on, err);
	if (e == XJ_OK) {
		out->to = (enum wf_state)to;
		if (ps.to_stage >= 0)
			out->to_stage = ps.to_stage;
	}
out:
	free(details);
	json_decref(ps.details);
	json_decref(ps.items);
	return e;
}

enum xj_err workflow_act(const struct wf_ctx *c, const struct wf_request *r,
                         struct wf_outcome *out, struct xj_error *err)
{
	struct wf_unit u;
	enum xj_err e;

	memset(out, 0, sizeof(*out));
	if ((int)r->action < 0 || r->action >= WF_ACTION__MAX)
		return xj_error_set(err, XJ_EINVAL, "未知的转段操作");
	if (r->action == WF_FINDING)
		return xj_error_set(err, XJ_EINVAL,
		                    "明查暗访的发现须记在抽查之下"
		                    "（spotcheck finding）");
	e = wf_unit_load(c->st, c->p, r->unit, &u, err);
	if (e != XJ_OK)
		return e;
	store_set_actor(c->st, c->actor);
	return take_step(c, &u, r, out, 0, err);
}

/* A finding that orders 补课 is a step of the unit's workflow. */
enum xj_err wf_finding_step(const struct wf_ctx *c, const struct wf_unit *u,
                            const struct wf_request *r, int64_t finding_id,
                            struct wf_outcome *out, struct xj_error *err)
{
	return take_step(c, u, r, out, finding_id, err);
}

enum xj_err workflow_authorize(struct store *st, int64_t user, unsigned roles,
                               int64_t unit, struct xj_error *err)
{
	struct grant g[64];
	unsigned held = 0, mask;
	enum xj_err e;
	int n, i, in = 0;

	if (user == 0) {
		if (roles & ROLE_BIT(ROLE_OFFICE))
			return XJ_OK;
		return xj_error_set(err, XJ_EFORBIDDEN,
		                    "此操作须由督导组成员办理：请用 --as "
		                    "指明办理人");
	}
	e = store_grants_of(st, user, g, 64, &n, err);
	if (e != XJ_OK)
		return e;
	for (i = 0; i < n; i++)
		held |= ROLE_BIT(g[i].role);
	mask = held & roles;
	if (mask == 0)
		return xj_error_set(err, XJ_EFORBIDDEN,
		                    "您的角色无权使用此功能");
	if (unit == 0)
		return XJ_OK;
	e = store_scope_org(st, user, mask, unit, &in, err);
	if (e == XJ_OK && !in)
		e = xj_error_field(err, XJ_ENOTFOUND, "unit",
		                   "单位不存在（编号 %lld）", (long long)unit);
	return e;
}
