/*
 * One unit through the whole campaign of the reference plan
 * (plans/2005-xianjiao.yaml): in each stage its 回头看 and 自查, an
 * application refused while the stage's gating requirements fail, the
 * records that satisfy them, the 督导组's signature and the 先教办's
 * approval; after the last stage the summary and 完成. Status and explain
 * are checked after every step, and every step is in the audit log.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/check.h"
#include "../../lib/harness.h"
#include "xianjiao/date.h"
#include "xianjiao/engine.h"
#include "xianjiao/plan.h"
#include "xianjiao/store.h"
#include "xianjiao/workflow.h"

#define REFERENCE "plans/2005-xianjiao.yaml"
#define NBRANCH 2
#define NMEM 3
#define TODAY date_from_ymd(2005, 6, 30)

static struct {
	struct tmpdb db;
	struct store *st;
	struct plan *p;
	int64_t campaign, unit, other, branch[NBRANCH];
	int64_t member[NBRANCH][NMEM];
	int64_t office, sup, unit_user;
	int64_t transitions;
} s;

static int64_t org(int64_t parent, const char *code, enum org_type t,
                   int64_t sys, int64_t batch, int unit)
{
	struct org o = { .parent_id = parent,
		         .type = t,
		         .name = code,
		         .code = code,
		         .system_id = sys,
		         .batch_id = batch,
		         .is_unit = unit };
	struct xj_error err;
	int64_t id;

	if (store_org_insert(s.st, &o, &id, &err) != XJ_OK)
		fail_msg("%s", err.msg);
	return id;
}

static int64_t user(const char *login, enum role r, int64_t org_id, int64_t sys)
{
	struct grant g = { .role = r, .org_id = org_id, .system_id = sys };
	struct xj_error err;
	int64_t id;

	assert_int_equal(
	    store_user_insert(s.st, login, login, NULL, 0, &id, &err), XJ_OK);
	g.user_id = id;
	assert_int_equal(store_grant_add(s.st, &g, NULL, &err), XJ_OK);
	return id;
}

static int setup(void **state)
{
	struct plan_problems pp;
	struct xj_error err;
	struct campaign c = { 0, "示范活动", date_from_ymd(2005, 1, 6),
		              date_from_ymd(2005, 12, 31) };
	struct batch b = { 0,
		           0,
		           1,
		           "第一批",
		           date_from_ymd(2005, 1, 6),
		           date_from_ymd(2005, 6, 30) };
	struct xj_system y = { 0, 0, "经济" };
	int64_t batch, sys, root;
	int i, k;

	(void)state;
	if (plan_load(REFERENCE, &s.p, &pp, &err) != XJ_OK)
		fail_msg("%s", err.msg);
	tmpdb_make(&s.db, "scenario.db");
	assert_int_equal(store_open(s.db.db, STORE_CREATE, &s.st, &err), XJ_OK);
	assert_int_equal(store_campaign_insert(s.st, &c, &s.campaign, &err),
	                 XJ_OK);
	b.campaign_id = y.campaign_id = s.campaign;
	assert_int_equal(store_batch_insert(s.st, &b, &batch, &err), XJ_OK);
	assert_int_equal(store_system_insert(s.st, &y, &sys, &err), XJ_OK);
	root = org(0, "CITY", ORG_COMMITTEE, 0, 0, 0);
	s.unit = org(root, "U001", ORG_PARTY_GROUP, sys, batch, 1);
	s.other = org(root, "U002", ORG_PARTY_GROUP, sys, batch, 1);
	org(s.other, "U002-B01", ORG_BRANCH, 0, 0, 0);
	for (i = 0; i < NBRANCH; i++) {
		char code[32];

		snprintf(code, sizeof(code), "U001-B0%d", i + 1);
		s.branch[i] = org(s.unit, code, ORG_BRANCH, 0, 0, 0);
		for (k = 0; k < NMEM; k++) {
			char name[40];
			struct member m = { .org_id = s.branch[i],
				            .name = name,
				            .categories = MCAT_BIT(MCAT_ACTIVE),
				            .joined_date =
				                date_from_ymd(1985, 7, 1) };

			snprintf(name, sizeof(name), "党员%d%d", i, k);
			assert_int_equal(store_member_insert(
			                     s.st, &m, &s.member[i][k], &err),
			                 XJ_OK);
		}
	}
	s.office = user("office", ROLE_OFFICE, 0, 0);
	s.sup = user("dudao", ROLE_SUPERVISOR, 0, sys);
	s.unit_user = user("danwei", ROLE_UNIT, s.unit, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	store_close(s.st);
	plan_free(s.p);
	tmpdb_remove(&s.db);
	return 0;
}

static void record(const char *kind, int64_t org_id, int64_t member, int32_t on,
                   const char *payload)
{
	struct record r = { .campaign_id = s.campaign,
		            .kind = kind,
		            .org_id = org_id,
		            .member_id = member,
		            .happened_on = on,
		            .entered_at = (time_t)on * 86400,
		            .payload = payload };
	struct xj_error err;
	int64_t id;

	if (store_record_append(s.st, &r, &id, &err) != XJ_OK)
		fail_msg("%s %s: %s", kind, payload, err.msg);
}

/* Every member's records of kind, and one per branch (org kinds). */
static void members(const char *kind, int32_t on, const char *payload)
{
	int i, k;

	for (i = 0; i < NBRANCH; i++)
		for (k = 0; k < NMEM; k++)
			record(kind, s.branch[i], s.member[i][k], on, payload);
}

static void branches(const char *kind, int32_t on, const char *payload)
{
	int i;

	for (i = 0; i < NBRANCH; i++)
		record(kind, s.branch[i], 0, on, payload);
}

/* Records that satisfy every gating requirement of a stage, as the
 * reference plan declares them (/tmp/kinds.md payloads). */
static void satisfy(const char *stage, int32_t on)
{
	if (strcmp(stage, "learn") == 0) {
		record("mobilisation", s.unit, 0, on,
		       "{\"note\":\"动员大会\"}");
		members("study_attendance", on,
		        "{\"hours\": 40, \"session\": \"封闭式学习\"}");
		members("study_notes", on, "{\"zishu\": 10000}");
		members("reflection", on,
		        "{\"zishu\": 3200, \"title\": \"学习心得\"}");
		record("lecture", s.unit, 0, on, "{\"type\":\"党课\"}");
		record("lecture", s.unit, 0, on, "{\"type\":\"辅导课\"}");
		record("lecture", s.unit, 0, on,
		       "{\"type\":\"先进事迹报告会\"}");
		record("lecture", s.unit, 0, on, "{\"type\":\"形势报告会\"}");
		record("lecture", s.unit, 0, on, "{\"type\":\"形势报告会\"}");
		branches("discussion", on,
		         "{\"topic\":\"先进性具体要求\",\"expected\":3,"
		         "\"participants\":3,\"speakers\":3}");
	} else if (strcmp(stage, "review") == 0) {
		record("transition_meeting", s.unit, 0, on,
		       "{\"stage\":\"分析评议\"}");
		record("stage_plan", s.unit, 0, on, "{\"stage\":\"分析评议\"}");
		record("opinion_event", s.unit, 0, on,
		       "{\"channel\":\"座谈会\",\"quantity\":12}");
		members("analysis_material", on, "{\"state\":\"已审核\"}");
		record("special_meeting", s.unit, 0, on,
		       "{\"type\":\"专题民主生活会\"}");
		branches("special_meeting", on,
		         "{\"type\":\"专题组织生活会\"}");
		record("satisfaction_ballot", s.unit, 0, on,
		       "{\"meeting\":\"专题民主生活会\",\"satisfied\":9,"
		       "\"total\":10}");
		branches("satisfaction_ballot", on,
		         "{\"meeting\":\"专题组织生活会\",\"satisfied\":8,"
		         "\"total\":10}");
		members("evaluation", on,
		        "{\"opinion\":\"履行党员义务、符合党员条件\"}");
	} else {
		record("transition_meeting", s.unit, 0, on,
		       "{\"stage\":\"整改提高\"}");
		members("rectification_plan", on, "{}");
		branches("rectification_scheme", on, "{\"note\":\"整改方案\"}");
		record("rectification_item", s.unit, 0, on,
		       "{\"state\":\"已完成\",\"category\":\"立即整改\"}");
		record("satisfaction_ballot", s.unit, 0, on,
		       "{\"meeting\":\"整改\",\"satisfied\":7,\"total\":10}");
	}
}

static enum xj_err step(int64_t actor, enum wf_action a, int32_t on,
                        const char *item, const char *text,
                        struct wf_outcome *o, char *msg, size_t size)
{
	struct wf_ctx c = { s.st, s.p, NULL, actor, TODAY };
	struct wf_request r;
	struct xj_error err;
	enum xj_err e;

	memset(&r, 0, sizeof(r));
	r.action = a;
	r.unit = s.unit;
	r.on = on;
	r.item = item;
	r.text = text;
	r.reason = a == WF_APPROVE ? "同意转段" : NULL;
	xj_error_clear(&err);
	e = store_begin(s.st, &err);
	if (e == XJ_OK)
		e = workflow_act(&c, &r, o, &err);
	if (e == XJ_OK)
		e = store_commit(s.st, &err);
	if (e != XJ_OK)
		store_rollback(s.st);
	if (msg != NULL)
		snprintf(msg, size, "%s", err.msg);
	if (e == XJ_OK)
		s.transitions++;
	return e;
}

static void ok(int64_t actor, enum wf_action a, int32_t on, const char *item,
               const char *text)
{
	struct wf_outcome o;
	char msg[1024];

	if (step(actor, a, on, item, text, &o, msg, sizeof(msg)) != XJ_OK)
		fail_msg("%s: %s", wf_action_code(a), msg);
}

/* Status and explain of the unit as the CLI shows them (with the
 * workflow's annotation): its stage, readiness and 转段 state. */
static void check_status(const char *stage, int ready, const char *state,
                         int32_t as_of)
{
	struct wf_ctx c = { s.st, s.p, NULL, 0, TODAY };
	struct wf_annotations *a;
	struct engine *e;
	struct eng_view *v = NULL;
	struct xj_error err;
	json_t *j, *u, *r;
	size_t i;

	assert_int_equal(engine_build(s.st, s.p, &e, &err), XJ_OK);
	c.e = e;
	assert_int_equal(workflow_annotate(&c, &a, &err), XJ_OK);
	if (as_of != 0)
		assert_int_equal(engine_view_at(e, as_of, &v, &err), XJ_OK);
	assert_int_equal(eng_status_json(s.st, v ? v : engine_live(e), -1,
	                                 s.unit, 0, &j, &err),
	                 XJ_OK);
	u = json_array_get(json_object_get(j, "units"), 0);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(u, "stage"), "id")),
	                    stage);
	if (json_is_true(json_object_get(u, "ready")) != ready)
		fail_msg("%s: ready %d, failing %s", stage, !ready,
		         json_dumps(json_object_get(u, "failing"), 0));
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(u, "transition"), "state")),
	                    state);
	json_decref(j);
	/* explain goes through the stage's own requirements */
	assert_int_equal(eng_explain_json(s.st, v ? v : engine_live(e), -1,
	                                  s.unit, 5, &j, &err),
	                 XJ_OK);
	json_array_foreach(json_object_get(j, "requirements"), i, r)
	{
		int req = -1, k;

		for (k = 0; k < s.p->nreqs; k++)
			if (strcmp(s.p->reqs[k].id,
			           json_string_value(
			               json_object_get(r, "id"))) == 0)
				req = k;
		assert_true(req >= 0);
		assert_string_equal(s.p->stages[s.p->reqs[req].stage].id,
		                    stage);
		if (ready && json_is_true(json_object_get(r, "gate")))
			assert_true(json_is_true(json_object_get(r, "pass")));
	}
	json_decref(j);
	eng_view_free(v);
	workflow_annotations_free(a);
	engine_free(e);
}

/* One stage, from 进行中 to approved. */
static void stage(const char *id, int32_t begin, int32_t end)
{
	int si = plan_stage_find(s.p, id), i;
	const struct plan_stage *ps = &s.p->stages[si];
	struct wf_outcome o;
	char msg[4096];

	check_status(id, 0, "in_stage", 0);
	for (i = 0; i < ps->nlookback; i++) {
		char answer[128];

		snprintf(answer, sizeof(answer), "第 %d 项：已对照检查", i + 1);
		ok(s.unit_user, WF_LOOKBACK_ANSWER, begin, ps->lookback[i].id,
		   answer);
	}
	ok(s.unit_user, WF_SELFCHECK_SUBMIT, begin, NULL, "自查报告");
	check_status(id, 0, "selfcheck", 0);
	/* too early: the gates fail, and the refusal says which */
	assert_int_equal(step(s.unit_user, WF_APPLY, begin, NULL, NULL, &o, msg,
	                      sizeof(msg)),
	                 XJ_ECONFLICT);
	assert_contains(msg, "未达到转段条件");
	assert_true(json_array_size(json_object_get(o.refusal, "failing")) > 0);
	json_decref(o.refusal);
	satisfy(id, begin + 7);
	check_status(id, 1, "selfcheck", 0);
	ok(s.unit_user, WF_APPLY, end - 2, NULL, NULL);
	check_status(id, 1, "applied", 0);
	ok(s.sup, WF_SIGN, end - 1, NULL, NULL);
	check_status(id, 1, "signed", 0);
	ok(s.office, WF_APPROVE, end, NULL, NULL);
}

struct audit_ctx {
	int64_t n;
};

static int count_audit(void *ctx, const struct audit_entry *e)
{
	struct audit_ctx *c = ctx;

	if (strncmp(e->action, "transition.", 11) == 0)
		c->n++;
	return 0;
}

static void test_scenario(void **state)
{
	struct wf_ctx c = { s.st, s.p, NULL, 0, TODAY };
	struct audit_ctx a = { 0 };
	struct audit_check chk;
	struct xj_error err;
	json_t *j;
	int32_t d[4] = { date_from_ymd(2005, 1, 10), date_from_ymd(2005, 3, 10),
		         date_from_ymd(2005, 4, 25),
		         date_from_ymd(2005, 6, 10) };

	(void)state;
	stage("learn", d[0], d[1]);
	check_status("review", 0, "in_stage", 0);
	/* as of the day before the approval the unit was still learning */
	check_status("learn", 1, "in_stage", d[1] - 1);
	stage("review", d[1] + 1, d[2]);
	check_status("rectify", 0, "in_stage", 0);
	stage("rectify", d[2] + 1, d[3]);
	check_status("rectify", 1, "summary", 0);
	ok(s.unit_user, WF_SUMMARIZE, d[3] + 5, NULL,
	   "总结：三个阶段的工作全部完成，继续巩固整改成果");
	check_status("rectify", 1, "done", 0);
	/* the other unit has not moved */
	assert_int_equal(workflow_unit_json(&c, s.other, &j, &err), XJ_OK);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(j, "stage"), "id")),
	                    "learn");
	json_decref(j);
	/* the unit's page: 完成, nothing more allowed but follow-up */
	assert_int_equal(workflow_unit_json(&c, s.unit, &j, &err), XJ_OK);
	assert_string_equal(json_string_value(json_object_get(j, "state")),
	                    "done");
	assert_int_equal(json_array_size(json_object_get(j, "allowed")), 0);
	assert_contains(json_string_value(json_object_get(j, "next")),
	                "活动机构暂不撤销");
	assert_contains(json_string_value(json_object_get(
	                    json_object_get(j, "summary"), "report")),
	                "巩固整改成果");
	json_decref(j);
	/* the history has every step, and so does the audit log */
	assert_int_equal(workflow_history_json(&c, s.unit, &j, &err), XJ_OK);
	assert_int_equal(json_array_size(json_object_get(j, "history")),
	                 s.transitions);
	json_decref(j);
	/* 4 + 5 answers, and per stage a self-check, application,
	 * signature and approval; then the summary */
	assert_int_equal(s.transitions, 4 + 5 + 3 * 4 + 1);
	assert_int_equal(
	    store_audit_each(s.st, "transition", 0, 0, count_audit, &a, &err),
	    XJ_OK);
	assert_int_equal(a.n, s.transitions);
	assert_int_equal(store_audit_verify(s.st, &chk, &err), XJ_OK);
	assert_false(chk.broken);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenario),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
