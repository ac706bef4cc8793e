/*
 * report.c - what people read about 转段: a unit's state and history, the
 * queues of what waits for each role, the overdue list, and the state
 * shown beside every unit in the engine's status and explain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/engine.h"

json_t *wf_unit_brief(const struct plan *p, const struct wf_unit *u,
                      int32_t today)
{
	int32_t deadline = wf_unit_deadline(p, u);
	int late = deadline > 0 && today > deadline && u->state < WF_SUMMARY;
	json_t *ovr = json_null();

	if (u->override_reason[0])
		ovr = json_pack("{s:s,s:I}", "reason", u->override_reason, "by",
		                (json_int_t)u->override_by);
	return json_pack(
	    "{s:I,s:s,s:s,s:I,s:i,s:o,s:s,s:s,s:I,s:o,s:I,s:o,s:i}", "id",
	    (json_int_t)u->id, "code", u->code, "name", u->name, "system_id",
	    (json_int_t)u->system_id, "batch", u->batch, "stage",
	    wf_stage_json(p, u->stage), "state", wf_state_code(u->state),
	    "state_name", wf_state_name(u->state), "version",
	    (json_int_t)u->version, "deadline", wf_date_json(deadline),
	    "overdue_days", (json_int_t)(late ? today - deadline : 0),
	    "override", ovr, "open_remedies", u->open_remedies);
}

struct rem_ctx {
	json_t *arr;
	int32_t today;
};

static int take_remedy(void *ctx, const struct wf_remedy_row *r)
{
	struct rem_ctx *c = ctx;
	int open = r->done_at[0] == '\0';
	int late = open && r->deadline > 0 && c->today > r->deadline;
	json_t *done = json_null();

	if (!open)
		done = json_pack("{s:s,s:o,s:I,s:s,s:s}", "at", r->done_at,
		                 "on", wf_date_json(r->done_on), "by",
		                 (json_int_t)r->done_by, "login", r->done_login,
		                 "evidence", r->evidence);
	json_array_append_new(
	    c->arr,
	    json_pack("{s:I,s:I,s:s,s:s,s:o,s:b,s:I,s:I,s:I,s:o}", "id",
	              (json_int_t)r->id, "unit", (json_int_t)r->unit_id,
	              "stage", r->stage, "text", r->text, "deadline",
	              wf_date_json(r->deadline), "open", open, "overdue_days",
	              (json_int_t)(late ? c->today - r->deadline : 0),
	              "ordered_by_transition", (json_int_t)r->transition_id,
	              "finding", (json_int_t)r->finding_id, "done", done));
	return 0;
}

enum xj_err wf_remedies_json(struct store *st, int64_t unit, int open_only,
                             int32_t today, json_t **out, struct xj_error *err)
{
	struct rem_ctx c = { json_array(), today };
	enum xj_err e =
	    store_wf_remedies_each(st, unit, open_only, take_remedy, &c, err);

	if (e != XJ_OK) {
		json_decref(c.arr);
		return e;
	}
	*out = c.arr;
	return XJ_OK;
}

/* --- one unit ------------------------------------------------------------ */

struct answer_ctx {
	const struct plan_stage *s;
	json_t *items; /* one object per plan item, in the plan's order */
	int answered;
};

static int take_answer(void *ctx, const struct wf_answer_row *a)
{
	struct answer_ctx *c = ctx;
	int i;

	for (i = 0; i < c->s->nlookback; i++) {
		json_t *it = json_array_get(c->items, (size_t)i);

		if (strcmp(c->s->lookback[i].id, a->item) != 0)
			continue;
		if (json_is_null(json_object_get(it, "answer")))
			c->answered++;
		json_object_set_new(it, "answer", json_string(a->answer));
		json_object_set_new(it, "by", json_string(a->actor_login));
		json_object_set_new(it, "on", wf_date_json(a->on_date));
	}
	return 0;
}

static enum xj_err lookback_json(struct store *st, const struct plan *p,
                                 const struct wf_unit *u, json_t **out,
                                 int *unanswered, struct xj_error *err)
{
	const struct plan_stage *s = &p->stages[u->stage];
	struct answer_ctx c = { s, json_array(), 0 };
	enum xj_err e;
	int i;

	for (i = 0; i < s->nlookback; i++)
		json_array_append_new(c.items,
		                      json_pack("{s:s,s:s,s:s,s:n,s:n,s:n}",
		                                "id", s->lookback[i].id, "text",
		                                s->lookback[i].text, "source",
		                                s->lookback[i].source, "answer",
		                                "by", "on"));
	e = store_wf_answers_each(st, u->id, s->id, take_answer, &c, err);
	if (e != XJ_OK) {
		json_decref(c.items);
		return e;
	}
	*unanswered = s->nlookback - c.answered;
	*out = json_pack("{s:o,s:i,s:i}", "items", c.items, "answered",
	                 c.answered, "total", s->nlookback);
	return XJ_OK;
}

/* The next step, in words, as the unit sees it. */
static void next_words(const struct wf_unit *u, int unanswered, int nitems,
                       char *buf, size_t size)
{
	switch (u->state) {
	case WF_IN_STAGE:
		if (u->open_remedies > 0)
			snprintf(buf, size,
			         "完成补课事项（%d 项未完成），再回头看、自查后"
			         "申请转段",
			         u->open_remedies);
		else if (nitems > 0)
			snprintf(buf, size, "回头看：逐项回答 %d 个问题",
			         nitems);
		else
			snprintf(buf, size, "提交自查报告");
		break;
	case WF_LOOKBACK:
		if (unanswered > 0)
			snprintf(buf, size, "回头看：还有 %d 个问题未回答",
			         unanswered);
		else
			snprintf(buf, size, "提交自查报告");
		break;
	case WF_SELFCHECK:
		snprintf(buf, size,
		         u->open_remedies > 0 ? "完成补课事项后申请转段"
		                              : "申请转段");
		break;
	case WF_APPLIED:
		snprintf(buf, size, "等待督导组验收");
		break;
	case WF_SIGNED:
		snprintf(buf, size, "等待先教办审批");
		break;
	case WF_SUMMARY:
		snprintf(buf, size, "提交总结");
		break;
	default:
		snprintf(buf, size,
		         "已完成；继续巩固和扩大整改成果，活动机构暂不撤销");
		break;
	}
}

struct report_ctx {
	const char *stage;
	const char *action;
	json_t *found;
};

static int take_report(void *ctx, const struct wf_transition_row *t)
{
	struct report_ctx *c = ctx;
	json_t *d;

	if (strcmp(t->action, c->action) != 0 || strcmp(t->stage, c->stage))
		return 0;
	d = json_loads(t->details, 0, NULL);
	json_decref(c->found);
	c->found = json_pack(
	    "{s:O,s:o,s:s,s:s}", "report", json_object_get(d, "report"), "on",
	    wf_date_json(t->on_date), "at", t->at, "by", t->actor_login);
	json_decref(d);
	return 0;
}

enum xj_err workflow_unit_json(const struct wf_ctx *c, int64_t unit,
                               json_t **out, struct xj_error *err)
{
	struct report_ctx self = { NULL, "selfcheck", NULL };
	struct report_ctx sum = { NULL, "summary", NULL };
	json_t *j, *lb = NULL, *rem = NULL;
	char sys[256], next[256];
	struct wf_unit u;
	enum xj_err e;
	int unanswered = 0;

	e = wf_unit_load(c->st, c->p, unit, &u, err);
	if (e != XJ_OK)
		return e;
	self.stage = sum.stage = c->p->stages[u.stage].id;
	e = lookback_json(c->st, c->p, &u, &lb, &unanswered, err);
	if (e == XJ_OK)
		e = wf_remedies_json(c->st, u.id, 0, c->today, &rem, err);
	if (e == XJ_OK)
		e = store_wf_history_each(c->st, u.id, take_report, &self, err);
	if (e == XJ_OK && u.state >= WF_SUMMARY)
		e = store_wf_history_each(c->st, u.id, take_report, &sum, err);
	sys[0] = '\0';
	if (e == XJ_OK && u.system_id > 0)
		e = store_system_name(c->st, u.system_id, sys, sizeof(sys),
		                      err);
	if (e != XJ_OK) {
		json_decref(lb);
		json_decref(rem);
		json_decref(self.found);
		json_decref(sum.found);
		return e;
	}
	next_words(&u, unanswered, c->p->stages[u.stage].nlookback, next,
	           sizeof(next));
	j = wf_unit_brief(c->p, &u, c->today);
	json_object_set_new(j, "system", json_string(sys));
	json_object_set_new(j, "extended_until",
	                    wf_date_json(u.extended_until));
	json_object_set_new(j, "lookback", lb);
	json_object_set_new(j, "selfcheck",
	                    self.found ? self.found : json_null());
	json_object_set_new(j, "summary", sum.found ? sum.found : json_null());
	json_object_set_new(j, "remedies", rem);
	json_object_set_new(j, "allowed", wf_allowed_json(&u, c->p));
	json_object_set_new(j, "next", json_string(next));
	*out = j;
	return XJ_OK;
}

static const char *state_code_of(int s)
{
	return wf_state_code((enum wf_state)s);
}

struct hist_ctx {
	const struct plan *p;
	json_t *arr;
};

static int take_history(void *ctx, const struct wf_transition_row *t)
{
	struct hist_ctx *c = ctx;
	json_t *d = json_loads(t->details, 0, NULL), *j;
	int a = wf_action_parse(t->action);
	int s = plan_stage_find(c->p, t->stage);

	j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:{s:I,s:s,s:s},"
	              "s:o,s:s,s:s,s:o}",
	              "id", (json_int_t)t->id, "stage", t->stage, "action",
	              t->action, "action_name",
	              a >= 0 ? wf_action_name((enum wf_action)a) : t->action,
	              "from", state_code_of(t->from_state), "to",
	              state_code_of(t->to_state), "to_name",
	              wf_state_name((enum wf_state)t->to_state), "to_stage",
	              t->to_stage[0] ? json_string(t->to_stage) : json_null(),
	              "from_name", wf_state_name((enum wf_state)t->from_state),
	              "actor", "id", (json_int_t)t->actor_id, "login",
	              t->actor_id ? t->actor_login : "", "name",
	              t->actor_id ? t->actor_name : "命令行（系统操作员）",
	              "on", wf_date_json(t->on_date), "at", t->at, "reason",
	              t->reason, "details", d ? d : json_object());
	json_object_set_new(j, "stage_name",
	                    json_string(s >= 0 ? c->p->stages[s].name : ""));
	json_array_append_new(c->arr, j);
	return 0;
}

enum xj_err workflow_history_json(const struct wf_ctx *c, int64_t unit,
                                  json_t **out, struct xj_error *err)
{
	struct hist_ctx h = { c->p, NULL };
	struct wf_unit u;
	enum xj_err e = wf_unit_load(c->st, c->p, unit, &u, err);

	if (e != XJ_OK)
		return e;
	h.arr = json_array();
	e = store_wf_history_each(c->st, unit, take_history, &h, err);
	if (e != XJ_OK) {
		json_decref(h.arr);
		return e;
	}
	*out = json_pack("{s:o,s:o}", "unit", wf_unit_brief(c->p, &u, c->today),
	                 "history", h.arr);
	return XJ_OK;
}

/* --- every unit ---------------------------------------------------------- */

struct all_ctx {
	const struct plan *p;
	struct wf_unit *u;
	size_t n, cap;
	struct xj_error *err;
	enum xj_err e;
};

static int take_all(void *ctx, const struct wf_unit_row *r)
{
	struct all_ctx *c = ctx;

	xgrow((void **)&c->u, &c->cap, c->n + 1, sizeof(*c->u));
	c->e = wf_unit_take(c->p, r, &c->u[c->n], c->err);
	if (c->e != XJ_OK)
		return 1;
	c->n++;
	return 0;
}

/* Every unit's state into *units (free()). */
static enum xj_err load_all(const struct wf_ctx *c, struct wf_unit **units,
                            size_t *n, struct xj_error *err)
{
	struct all_ctx a = { c->p, NULL, 0, 0, err, XJ_OK };
	enum xj_err e = store_wf_units_each(c->st, 0, take_all, &a, err);

	if (e == XJ_OK)
		e = a.e;
	if (e != XJ_OK) {
		free(a.u);
		return e;
	}
	*units = a.u;
	*n = a.n;
	return XJ_OK;
}

struct late {
	int64_t days;
	json_t *j;
};

static int late_cmp(const void *a, const void *b)
{
	const struct late *x = a, *y = b;

	return (x->days < y->days) - (x->days > y->days);
}

/* Sort entries most overdue first into a JSON array (takes the refs). */
static json_t *late_array(struct late *l, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	if (n > 1)
		qsort(l, n, sizeof(*l), late_cmp);
	for (i = 0; i < n; i++)
		json_array_append_new(arr, l[i].j);
	return arr;
}

struct late_rem {
	struct late *l;
	size_t n, cap;
	const struct wf_unit *units;
	size_t nunits;
	int32_t today;
};

static int take_late_remedy(void *ctx, const struct wf_remedy_row *r)
{
	struct late_rem *c = ctx;
	const char *code = "", *name = "";
	size_t i;

	if (r->deadline <= 0 || c->today <= r->deadline)
		return 0;
	for (i = 0; i < c->nunits; i++)
		if (c->units[i].id == r->unit_id) {
			code = c->units[i].code;
			name = c->units[i].name;
		}
	xgrow((void **)&c->l, &c->cap, c->n + 1, sizeof(*c->l));
	c->l[c->n].days = c->today - r->deadline;
	c->l[c->n].j = json_pack(
	    "{s:I,s:I,s:s,s:s,s:s,s:s,s:o,s:I}", "id", (json_int_t)r->id,
	    "unit", (json_int_t)r->unit_id, "code", code, "name", name, "stage",
	    r->stage, "text", r->text, "deadline", wf_date_json(r->deadline),
	    "overdue_days", (json_int_t)c->l[c->n].days);
	c->n++;
	return 0;
}

/* The overdue units (stage deadline) and 补课 items of the list. */
static enum xj_err overdue(const struct wf_ctx *c, const struct wf_unit *units,
                           size_t n, json_t **ounits, json_t **orem,
                           struct xj_error *err)
{
	struct late *l = NULL;
	struct late_rem lr = { NULL, 0, 0, units, n, c->today };
	size_t nl = 0, cap = 0, i;
	enum xj_err e;

	for (i = 0; i < n; i++) {
		int32_t d = wf_unit_deadline(c->p, &units[i]);

		if (units[i].state >= WF_SUMMARY || d <= 0 || c->today <= d)
			continue;
		xgrow((void **)&l, &cap, nl + 1, sizeof(*l));
		l[nl].days = c->today - d;
		l[nl].j = wf_unit_brief(c->p, &units[i], c->today);
		nl++;
	}
	e = store_wf_remedies_each(c->st, 0, 1, take_late_remedy, &lr, err);
	if (e != XJ_OK) {
		for (i = 0; i < nl; i++)
			json_decref(l[i].j);
		for (i = 0; i < lr.n; i++)
			json_decref(lr.l[i].j);
		free(l);
		free(lr.l);
		return e;
	}
	*ounits = late_array(l, nl);
	*orem = late_array(lr.l, lr.n);
	free(l);
	free(lr.l);
	return XJ_OK;
}

enum xj_err workflow_overdue_json(const struct wf_ctx *c, json_t **out,
                                  struct xj_error *err)
{
	struct wf_unit *units = NULL;
	json_t *ou = NULL, *orem = NULL;
	size_t n = 0;
	enum xj_err e = load_all(c, &units, &n, err);

	if (e == XJ_OK)
		e = overdue(c, units, n, &ou, &orem, err);
	free(units);
	if (e != XJ_OK)
		return e;
	*out =
	    json_pack("{s:o,s:I,s:I,s:o,s:o}", "today", wf_date_json(c->today),
	              "units_overdue", (json_int_t)json_array_size(ou),
	              "remedies_overdue", (json_int_t)json_array_size(orem),
	              "units", ou, "remedies", orem);
	return XJ_OK;
}

/* --- queues --------------------------------------------------------------- */

static json_t *office_queue(const struct wf_ctx *c, const struct wf_unit *units,
                            size_t n, struct xj_error *err, enum xj_err *e)
{
	json_t *approve = json_array(), *ou = NULL, *orem = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		if (units[i].state == WF_SIGNED)
			json_array_append_new(
			    approve, wf_unit_brief(c->p, &units[i], c->today));
	*e = overdue(c, units, n, &ou, &orem, err);
	if (*e != XJ_OK) {
		json_decref(approve);
		return NULL;
	}
	return json_pack(
	    "{s:s,s:s,s:I,s:I,s:I,s:I,s:o,s:o,s:o}", "role", "office", "name",
	    role_name(ROLE_OFFICE), "count",
	    (json_int_t)(json_array_size(approve) + json_array_size(ou) +
	                 json_array_size(orem)),
	    "to_approve_count", (json_int_t)json_array_size(approve),
	    "overdue_count", (json_int_t)json_array_size(ou),
	    "overdue_remedies_count", (json_int_t)json_array_size(orem),
	    "to_approve", approve, "overdue", ou, "overdue_remedies", orem);
}

static json_t *supervisor_queue(const struct wf_ctx *c,
                                const struct wf_unit *units, size_t n,
                                int64_t system, struct xj_error *err,
                                enum xj_err *e)
{
	json_t *sign = json_array();
	char name[256];
	size_t i;

	name[0] = '\0';
	*e = store_system_name(c->st, system, name, sizeof(name), err);
	if (*e != XJ_OK) {
		json_decref(sign);
		return NULL;
	}
	for (i = 0; i < n; i++)
		if (units[i].state == WF_APPLIED &&
		    units[i].system_id == system)
			json_array_append_new(
			    sign, wf_unit_brief(c->p, &units[i], c->today));
	return json_pack("{s:s,s:s,s:I,s:s,s:I,s:o}", "role", "supervisor",
	                 "name", role_name(ROLE_SUPERVISOR), "system_id",
	                 (json_int_t)system, "system", name, "count",
	                 (json_int_t)json_array_size(sign), "to_sign", sign);
}

static json_t *unit_queue(const struct wf_ctx *c, const struct wf_unit *units,
                          size_t n, struct xj_error *err, enum xj_err *e)
{
	json_t *list = json_array();
	json_int_t count = 0, open = 0;
	size_t i;

	*e = XJ_OK;
	for (i = 0; i < n && *e == XJ_OK; i++) {
		json_t *j, *lb = NULL, *rem = NULL;
		char next[256];
		int in = 0, unanswered = 0;

		*e = store_scope_org(c->st, c->actor, ROLE_BIT(ROLE_UNIT),
		                     units[i].id, &in, err);
		if (*e != XJ_OK || !in)
			continue;
		*e = lookback_json(c->st, c->p, &units[i], &lb, &unanswered,
		                   err);
		if (*e == XJ_OK)
			*e = wf_remedies_json(c->st, units[i].id, 1, c->today,
			                      &rem, err);
		json_decref(lb);
		if (*e != XJ_OK)
			break;
		next_words(&units[i], unanswered,
		           c->p->stages[units[i].stage].nlookback, next,
		           sizeof(next));
		j = wf_unit_brief(c->p, &units[i], c->today);
		json_object_set_new(j, "next", json_string(next));
		json_object_set_new(j, "remedies", rem);
		/* the next step is the unit's own, not someone else's */
		if (units[i].state == WF_IN_STAGE ||
		    units[i].state == WF_LOOKBACK ||
		    units[i].state == WF_SELFCHECK ||
		    units[i].state == WF_SUMMARY)
			count++;
		open += (json_int_t)json_array_size(rem);
		json_array_append_new(list, j);
	}
	if (*e != XJ_OK) {
		json_decref(list);
		return NULL;
	}
	return json_pack("{s:s,s:s,s:I,s:I,s:o}", "role", "unit", "name",
	                 role_name(ROLE_UNIT), "count", count + open,
	                 "open_remedies", open, "units", list);
}

enum xj_err workflow_queue_json(const struct wf_ctx *c, json_t **out,
                                struct xj_error *err)
{
	struct grant g[64];
	struct wf_unit *units = NULL;
	struct user usr;
	json_t *queues = json_array(), *q;
	json_int_t total = 0;
	size_t n = 0;
	int ng = 0, i, found = 1;
	unsigned held = 0;
	enum xj_err e = XJ_OK;

	memset(&usr, 0, sizeof(usr));
	if (c->actor == 0) {
		held = ROLE_BIT(ROLE_OFFICE);
		snprintf(usr.login, sizeof(usr.login), "（命令行）");
	} else {
		e = store_user_by_id(c->st, c->actor, &usr, &found, err);
		if (e == XJ_OK && !found)
			e = xj_error_set(err, XJ_ENOTFOUND, "用户不存在");
		if (e == XJ_OK)
			e = store_grants_of(c->st, c->actor, g, 64, &ng, err);
		for (i = 0; i < ng; i++)
			held |= ROLE_BIT(g[i].role);
	}
	if (e == XJ_OK)
		e = load_all(c, &units, &n, err);
	if (e == XJ_OK && (held & ROLE_BIT(ROLE_OFFICE))) {
		q = office_queue(c, units, n, err, &e);
		if (q != NULL)
			json_array_append_new(queues, q);
	}
	for (i = 0; e == XJ_OK && i < ng; i++) {
		if (g[i].role != ROLE_SUPERVISOR)
			continue;
		q = supervisor_queue(c, units, n, g[i].system_id, err, &e);
		if (q != NULL)
			json_array_append_new(queues, q);
	}
	if (e == XJ_OK && (held & ROLE_BIT(ROLE_UNIT))) {
		q = unit_queue(c, units, n, err, &e);
		if (q != NULL)
			json_array_append_new(queues, q);
	}
	free(units);
	if (e != XJ_OK) {
		json_decref(queues);
		return e;
	}
	json_array_foreach(queues, n, q)
	{
		total += json_integer_value(json_object_get(q, "count"));
	}
	*out =
	    json_pack("{s:s,s:o,s:I,s:o}", "user", usr.login, "today",
	              wf_date_json(c->today), "total", total, "queues", queues);
	return XJ_OK;
}

/* --- beside the engine's status ----------------------------------------- */

struct wf_annotations {
	struct engine *e;
	json_t **by_unit; /* by org id */
	int64_t n;
};

static void annotate_hook(void *ctx, int64_t unit, json_t *obj)
{
	struct wf_annotations *a = ctx;

	if (unit > 0 && unit <= a->n && a->by_unit[unit] != NULL)
		json_object_set(obj, "transition", a->by_unit[unit]);
}

enum xj_err workflow_annotate(const struct wf_ctx *c,
                              struct wf_annotations **out, struct xj_error *err)
{
	struct wf_annotations *a;
	struct wf_unit *units = NULL;
	size_t n = 0, i;
	enum xj_err e;

	*out = NULL;
	if (c->e == NULL)
		return xj_error_set(err, XJ_EINTERNAL, "没有可注记的评估引擎");
	e = load_all(c, &units, &n, err);
	if (e != XJ_OK)
		return e;
	a = xcalloc(1, sizeof(*a));
	a->e = c->e;
	a->n = engine_org_max(c->e);
	a->by_unit = xcalloc((size_t)a->n + 1, sizeof(*a->by_unit));
	for (i = 0; i < n; i++)
		if (units[i].id <= a->n)
			a->by_unit[units[i].id] =
			    wf_unit_brief(c->p, &units[i], c->today);
	free(units);
	engine_set_unit_hook(c->e, annotate_hook, a);
	*out = a;
	return XJ_OK;
}

void workflow_annotations_free(struct wf_annotations *a)
{
	int64_t i;

	if (a == NULL)
		return;
	engine_set_unit_hook(a->e, NULL, NULL);
	for (i = 0; i <= a->n; i++)
		json_decref(a->by_unit[i]);
	free(a->by_unit);
	free(a);
}
