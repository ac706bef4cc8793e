/*
 * 转段 over HTTP (workflow.h): a unit's state and history, one POST per
 * step, the queues, the overdue list and the 明查暗访 spot checks. The
 * roles of each route are the workflow's own masks (WF_ROLES_*), and the
 * unit in the path is scope-checked by the router (SCOPE_UNIT), so the
 * handlers decide nothing about who may act.
 *
 * A refused step answers 409 with the error and, beside it, what the
 * unit's state is and what is allowed from it: {"error": {...},
 * "transition": {"state", "allowed", "failing", "open_remedies", ...}}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "request.h"
#include "xianjiao/date.h"
#include "xianjiao/plan.h"
#include "xianjiao/store.h"
#include "xianjiao/workflow.h"

/* Every field a step may take; each action accepts its own subset. */
#define F_ON                                                                   \
	{                                                                      \
		"on", FIELD_STRING, 0, 10, 10                                  \
	}
#define F_VERSION                                                              \
	{                                                                      \
		"expect_version", FIELD_INT, 0, 1, WF_SEED_MAX                 \
	}
#define F_REASON(req)                                                          \
	{                                                                      \
		"reason", FIELD_STRING, (req), 1, WF_REASON_MAX                \
	}
#define F_END                                                                  \
	{                                                                      \
		NULL, 0, 0, 0, 0                                               \
	}

static const struct field f_lookback[] = {
	{ "item", FIELD_STRING, 1, 1, PLAN_ID_MAX - 1 },
	{ "answer", FIELD_STRING, 1, 1, WF_ANSWER_MAX },
	F_ON,
	F_VERSION,
	F_END,
};
static const struct field f_report[] = {
	{ "report", FIELD_STRING, 1, 1, WF_REPORT_MAX },
	F_ON,
	F_VERSION,
	F_END,
};
static const struct field f_reason_opt[] = { F_REASON(0), F_ON, F_VERSION,
	                                     F_END };
static const struct field f_reason_req[] = { F_REASON(1), F_ON, F_VERSION,
	                                     F_END };
static const struct field f_remedy[] = {
	{ "items", FIELD_STRING, 1, 1, WF_ITEMS_MAX *(WF_ITEM_MAX + 1) },
	{ "deadline", FIELD_STRING, 1, 10, 10 },
	F_REASON(1),
	F_ON,
	F_VERSION,
	F_END,
};
static const struct field f_done[] = {
	{ "item_id", FIELD_ID, 1, 0, 0 },
	{ "evidence", FIELD_STRING, 1, 1, WF_ANSWER_MAX },
	F_ON,
	F_VERSION,
	F_END,
};
static const struct field f_extend[] = {
	{ "until", FIELD_STRING, 1, 10, 10 },
	F_REASON(1),
	F_ON,
	F_VERSION,
	F_END,
};

static const struct field *const fields_of[WF_ACTION__MAX] = {
	[WF_LOOKBACK_ANSWER] = f_lookback, [WF_SELFCHECK_SUBMIT] = f_report,
	[WF_APPLY] = f_reason_opt,         [WF_OVERRIDE] = f_reason_req,
	[WF_SIGN] = f_reason_opt,          [WF_RETURN] = f_reason_req,
	[WF_APPROVE] = f_reason_opt,       [WF_REMEDY] = f_remedy,
	[WF_REMEDY_DONE] = f_done,         [WF_EXTEND] = f_extend,
	[WF_SUMMARIZE] = f_report,
};

/* A date field of the body: 0 when absent. */
static enum xj_err body_date(json_t *body, const char *name, int32_t *out,
                             struct xj_error *err)
{
	const char *s = body_str(body, name);

	*out = 0;
	if (s == NULL)
		return XJ_OK;
	return date_parse(s, out, name, err);
}

static int32_t today(void)
{
	return date_beijing(time(NULL));
}

/*
 * The store and the server's engine with the plan in force, for one
 * request (route-engine.c keeps them): the gate is asked of the live view
 * the status answers from, and an approval moves the unit's stage there.
 */
static enum xj_err open_ctx(struct http_req *req, struct wf_ctx *c,
                            int64_t *before, struct xj_error *err)
{
	enum xj_err e;

	memset(c, 0, sizeof(*c));
	c->st = http_store_acquire(req);
	c->actor = req->who.user_id;
	c->today = today();
	e = http_engine(req, c->st, err);
	if (e != XJ_OK) {
		http_store_release(req);
		return e;
	}
	c->p = req->srv->plan;
	c->e = req->srv->engine;
	if (before != NULL)
		*before = req->srv->engine_stamp;
	return XJ_OK;
}

/*
 * After our own step: the engine already follows it (a step changes the
 * evaluation only by an approval, which workflow_act() applies to it), so
 * it stays current if it was before; if the step failed after an
 * approval touched it, or anyone else wrote meanwhile, rebuild it.
 */
static void engine_follow(struct http_req *req, struct store *st,
                          int64_t before, enum xj_err e, enum wf_action a)
{
	struct http_server *srv = req->srv;
	struct xj_error err;
	int64_t after;

	if (e != XJ_OK) {
		if (a == WF_APPROVE)
			http_engine_release(srv);
		return;
	}
	if (srv->engine == NULL || before != srv->engine_stamp ||
	    store_audit_last_id(st, &after, &err) != XJ_OK) {
		http_engine_release(srv);
		return;
	}
	srv->engine_stamp = after;
}

/* 409 with the refusal beside the error. */
static void reply_refusal(struct http_req *req, const struct xj_error *err,
                          json_t *refusal)
{
	http_reply_json(req, 409,
	                json_pack("{s:{s:s,s:s,s:n},s:O}", "error", "code",
	                          xj_errcode(XJ_ECONFLICT), "message", err->msg,
	                          "field", "transition", refusal));
}

static enum xj_err step(struct http_req *req, enum wf_action a,
                        struct xj_error *err)
{
	struct wf_request r;
	struct wf_outcome o;
	struct wf_ctx c;
	json_t *body = NULL, *unit = NULL;
	int64_t before = 0;
	enum xj_err e;

	memset(&r, 0, sizeof(r));
	memset(&o, 0, sizeof(o));
	e = http_body_json(req, fields_of[a], &body, err);
	if (e != XJ_OK)
		return e;
	r.action = a;
	r.unit = req->params.id[0];
	r.reason = body_str(body, "reason");
	r.item = body_str(body, "item");
	r.item_id = body_int(body, "item_id");
	r.items = body_str(body, "items");
	r.expect_version = body_int(body, "expect_version");
	r.text = body_str(body, "answer");
	if (r.text == NULL)
		r.text = body_str(body, "report");
	if (r.text == NULL)
		r.text = body_str(body, "evidence");
	e = body_date(body, "on", &r.on, err);
	if (e == XJ_OK)
		e = body_date(body, "deadline", &r.date, err);
	if (e == XJ_OK && r.date == 0)
		e = body_date(body, "until", &r.date, err);
	if (e == XJ_OK)
		e = open_ctx(req, &c, &before, err);
	if (e != XJ_OK) {
		json_decref(body);
		return e;
	}
	e = http_tx_begin(req, c.st, err);
	if (e == XJ_OK)
		e = workflow_act(&c, &r, &o, err);
	e = http_tx_end(req, c.st, e, err);
	engine_follow(req, c.st, before, e, a);
	if (e == XJ_OK)
		e = workflow_unit_json(&c, r.unit, &unit, err);
	http_store_release(req);
	json_decref(body);
	if (e == XJ_ECONFLICT && o.refusal != NULL) {
		reply_refusal(req, err, o.refusal);
		json_decref(o.refusal);
		return XJ_OK;
	}
	json_decref(o.refusal);
	if (e != XJ_OK)
		return e;
	http_reply_json(
	    req, 200,
	    json_pack("{s:{s:I,s:s,s:s,s:s,s:I},s:o}", "step", "transition",
	              (json_int_t)o.transition_id, "action", wf_action_code(a),
	              "from", wf_state_code(o.from), "to", wf_state_code(o.to),
	              "version", (json_int_t)o.version, "unit", unit));
	return XJ_OK;
}

#define STEP_HANDLER(name, action)                                             \
	static enum xj_err name(struct http_req *req, struct xj_error *err)    \
	{                                                                      \
		return step(req, action, err);                                 \
	}

STEP_HANDLER(lookback, WF_LOOKBACK_ANSWER)
STEP_HANDLER(selfcheck, WF_SELFCHECK_SUBMIT)
STEP_HANDLER(apply, WF_APPLY)
STEP_HANDLER(override, WF_OVERRIDE)
STEP_HANDLER(sign, WF_SIGN)
STEP_HANDLER(give_back, WF_RETURN)
STEP_HANDLER(approve, WF_APPROVE)
STEP_HANDLER(remedy, WF_REMEDY)
STEP_HANDLER(remedy_done, WF_REMEDY_DONE)
STEP_HANDLER(extend, WF_EXTEND)
STEP_HANDLER(summary, WF_SUMMARIZE)

/* --- reading ------------------------------------------------------------ */

static const struct field today_query[] = {
	{ "today", FIELD_STRING, 0, 10, 10 },
	{ NULL, 0, 0, 0, 0 },
};

enum view { V_UNIT, V_HISTORY, V_QUEUE, V_OVERDUE, V_SPOTCHECKS };

static enum xj_err view(struct http_req *req, enum view v, struct xj_error *err)
{
	const char *day = NULL;
	struct wf_ctx c;
	json_t *j = NULL;
	int32_t d = 0;
	enum xj_err e;

	e = http_query_check(req, today_query, err);
	if (e != XJ_OK)
		return e;
	day = MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
	                                  "today");
	if (day != NULL && date_parse(day, &d, "today", err) != XJ_OK)
		return XJ_EINVAL;
	e = open_ctx(req, &c, NULL, err);
	if (e != XJ_OK)
		return e;
	if (d != 0)
		c.today = d;
	switch (v) {
	case V_UNIT:
		e = workflow_unit_json(&c, req->params.id[0], &j, err);
		break;
	case V_HISTORY:
		e = workflow_history_json(&c, req->params.id[0], &j, err);
		break;
	case V_QUEUE:
		e = workflow_queue_json(&c, &j, err);
		break;
	case V_OVERDUE:
		e = workflow_overdue_json(&c, &j, err);
		break;
	case V_SPOTCHECKS:
		e = workflow_spotchecks_json(&c, 0, &j, err);
		break;
	}
	http_store_release(req);
	if (e != XJ_OK)
		return e;
	http_reply_json(req, 200, j);
	return XJ_OK;
}

static enum xj_err unit_state(struct http_req *req, struct xj_error *err)
{
	return view(req, V_UNIT, err);
}

static enum xj_err unit_history(struct http_req *req, struct xj_error *err)
{
	return view(req, V_HISTORY, err);
}

static enum xj_err queue(struct http_req *req, struct xj_error *err)
{
	return view(req, V_QUEUE, err);
}

static enum xj_err overdue(struct http_req *req, struct xj_error *err)
{
	return view(req, V_OVERDUE, err);
}

static enum xj_err spotchecks(struct http_req *req, struct xj_error *err)
{
	return view(req, V_SPOTCHECKS, err);
}

/* --- 明查暗访 ----------------------------------------------------------- */

static const struct field draw_fields[] = {
	{ "stage", FIELD_STRING, 1, 1, PLAN_ID_MAX - 1 },
	{ "seed", FIELD_INT, 0, 0, WF_SEED_MAX },
	{ "per_system", FIELD_INT, 0, 2, 4 },
	{ "batch", FIELD_INT, 0, 1, 99 },
	{ NULL, 0, 0, 0, 0 },
};

static enum xj_err draw(struct http_req *req, struct xj_error *err)
{
	struct wf_ctx c;
	json_t *body = NULL, *j = NULL;
	int64_t id = 0, before = 0;
	int stage;
	enum xj_err e = http_body_json(req, draw_fields, &body, err);

	if (e == XJ_OK)
		e = open_ctx(req, &c, &before, err);
	if (e != XJ_OK) {
		json_decref(body);
		return e;
	}
	stage = plan_stage_find(c.p, body_str(body, "stage"));
	if (stage < 0)
		e = xj_error_field(err, XJ_EINVAL, "stage", "方案中没有阶段 %s",
		                   body_str(body, "stage"));
	if (e == XJ_OK)
		e = http_tx_begin(req, c.st, err);
	if (e == XJ_OK) {
		e = workflow_draw(
		    &c, stage,
		    json_object_get(body, "seed") ? body_int(body, "seed") : -1,
		    json_object_get(body, "per_system")
		        ? (int)body_int(body, "per_system")
		        : 2,
		    (int)body_int(body, "batch"), &id, err);
		e = http_tx_end(req, c.st, e, err);
		engine_follow(req, c.st, before, e, WF_ACTION__MAX);
	}
	if (e == XJ_OK)
		e = workflow_spotchecks_json(&c, id, &j, err);
	http_store_release(req);
	json_decref(body);
	if (e != XJ_OK)
		return e;
	http_reply_json(req, 201, j);
	return XJ_OK;
}

static const struct field finding_fields[] = {
	{ "spot_check_id", FIELD_ID, 1, 0, 0 },
	{ "unit_id", FIELD_ID, 1, 0, 0 },
	{ "mode", FIELD_STRING, 1, 1, 8 },
	{ "text", FIELD_STRING, 1, 1, WF_ANSWER_MAX },
	{ "items", FIELD_STRING, 0, 1, WF_ITEMS_MAX *(WF_ITEM_MAX + 1) },
	{ "deadline", FIELD_STRING, 0, 10, 10 },
	F_ON,
	{ NULL, 0, 0, 0, 0 },
};

static enum xj_err finding(struct http_req *req, struct xj_error *err)
{
	struct wf_finding f;
	struct wf_outcome o;
	struct wf_ctx c;
	json_t *body = NULL;
	int64_t id = 0, before = 0;
	enum xj_err e = http_body_json(req, finding_fields, &body, err);

	memset(&f, 0, sizeof(f));
	memset(&o, 0, sizeof(o));
	if (e == XJ_OK) {
		f.spot_check = body_int(body, "spot_check_id");
		f.unit = body_int(body, "unit_id");
		f.mode = body_str(body, "mode");
		f.text = body_str(body, "text");
		f.items = body_str(body, "items");
		e = body_date(body, "deadline", &f.deadline, err);
	}
	if (e == XJ_OK)
		e = body_date(body, "on", &f.on, err);
	/* the unit named in the body: the router's own scope check */
	if (e == XJ_OK)
		e = http_scope_org(req, f.unit, "unit_id", err);
	if (e == XJ_OK)
		e = open_ctx(req, &c, &before, err);
	if (e != XJ_OK) {
		json_decref(body);
		return e;
	}
	e = http_tx_begin(req, c.st, err);
	if (e == XJ_OK)
		e = workflow_finding(&c, &f, &id, &o, err);
	e = http_tx_end(req, c.st, e, err);
	engine_follow(req, c.st, before, e, WF_FINDING);
	http_store_release(req);
	json_decref(body);
	json_decref(o.refusal);
	if (e != XJ_OK)
		return e;
	http_reply_json(req, 201,
	                json_pack("{s:I,s:b,s:o}", "id", (json_int_t)id,
	                          "remedy", o.transition_id != 0, "transition",
	                          o.transition_id
	                              ? json_integer(o.transition_id)
	                              : json_null()));
	return XJ_OK;
}

#define UNIT "/api/v1/units/{id}/transition"

const struct route routes_transition[] = {
	{ "GET", UNIT, WF_ROLES_READ, SCOPE_UNIT, unit_state },
	{ "GET", UNIT "/history", WF_ROLES_READ, SCOPE_UNIT, unit_history },
	{ "POST", UNIT "/lookback", WF_ROLES_UNIT, SCOPE_UNIT, lookback },
	{ "POST", UNIT "/selfcheck", WF_ROLES_UNIT, SCOPE_UNIT, selfcheck },
	{ "POST", UNIT "/apply", WF_ROLES_UNIT, SCOPE_UNIT, apply },
	{ "POST", UNIT "/override", WF_ROLES_OFFICE, SCOPE_UNIT, override },
	{ "POST", UNIT "/sign", WF_ROLES_SUPERVISOR, SCOPE_UNIT, sign },
	{ "POST", UNIT "/return", WF_ROLES_SUPERVISOR, SCOPE_UNIT, give_back },
	{ "POST", UNIT "/approve", WF_ROLES_OFFICE, SCOPE_UNIT, approve },
	{ "POST", UNIT "/remedy", WF_ROLES_OFFICE, SCOPE_UNIT, remedy },
	{ "POST", UNIT "/done", WF_ROLES_UNIT, SCOPE_UNIT, remedy_done },
	{ "POST", UNIT "/extend", WF_ROLES_OFFICE, SCOPE_UNIT, extend },
	{ "POST", UNIT "/summary", WF_ROLES_UNIT, SCOPE_UNIT, summary },
	{ "GET", "/api/v1/transition/queue", ROLE_ALL, SCOPE_NONE, queue },
	{ "GET", "/api/v1/transition/overdue", WF_ROLES_OFFICE, SCOPE_NONE,
	  overdue },
	{ "GET", "/api/v1/spotchecks", WF_ROLES_OFFICE, SCOPE_NONE,
	  spotchecks },
	{ "POST", "/api/v1/spotchecks", WF_ROLES_OFFICE, SCOPE_NONE, draw },
	{ "POST", "/api/v1/spotchecks/findings", WF_ROLES_OFFICE, SCOPE_NONE,
	  finding },
	{ NULL, NULL, 0, SCOPE_NONE, NULL },
};
