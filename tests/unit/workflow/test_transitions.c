/*
 * Every action in every state, through the real workflow: each state is
 * reached by legal steps on fresh data (one transaction, rolled back
 * after each case), then the action is taken. Legal ones must succeed
 * and land where wf_next() says; illegal ones must be refused with
 * XJ_ECONFLICT naming the state and what is allowed from it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../lib/check.h"
#include "fixture.h"

#define TODAY date_from_ymd(2005, 5, 1)

static struct wfx fx;

static int setup(void **state)
{
	(void)state;
	fx_setup(&fx);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fx_teardown(&fx);
	return 0;
}

/* The expected table, written out independently of state.c. */
static int expect(int s, int a, int last)
{
	switch (a) {
	case WF_LOOKBACK_ANSWER:
		return s <= WF_SELFCHECK ? WF_LOOKBACK : -1;
	case WF_SELFCHECK_SUBMIT:
		return s <= WF_SELFCHECK ? WF_SELFCHECK : -1;
	case WF_APPLY:
	case WF_OVERRIDE:
		return s == WF_SELFCHECK ? WF_APPLIED : -1;
	case WF_SIGN:
		return s == WF_APPLIED ? WF_SIGNED : -1;
	case WF_RETURN:
		return s == WF_APPLIED ? WF_LOOKBACK : -1;
	case WF_APPROVE:
		return s == WF_SIGNED ? (last ? WF_SUMMARY : WF_IN_STAGE) : -1;
	case WF_REMEDY:
		return s == WF_SIGNED ? WF_IN_STAGE : -1;
	case WF_REMEDY_DONE:
		return s;
	case WF_EXTEND:
		return s <= WF_SIGNED ? s : -1;
	case WF_SUMMARIZE:
		return s == WF_SUMMARY ? WF_DONE : -1;
	case WF_FINDING:
		return s <= WF_SIGNED ? WF_IN_STAGE : -1;
	}
	return -1;
}

static void test_table(void **state)
{
	int s, a;

	(void)state;
	for (s = 0; s < WF_STATE__MAX; s++)
		for (a = 0; a < WF_ACTION__MAX; a++) {
			assert_int_equal(wf_next(s, a, 0), expect(s, a, 0));
			assert_int_equal(wf_next(s, a, 1), expect(s, a, 1));
			assert_int_equal((wf_allowed(s) >> a) & 1,
			                 expect(s, a, 0) >= 0);
		}
	assert_int_equal(wf_next(WF_STATE__MAX, WF_APPLY, 0), -1);
	assert_int_equal(wf_next(WF_SIGNED, WF_ACTION__MAX, 0), -1);
	/* who may take what (DOMAIN.md §5.1 steps 2-4) */
	assert_int_equal(wf_action_roles(WF_APPLY), WF_ROLES_UNIT);
	assert_int_equal(wf_action_roles(WF_SIGN), WF_ROLES_SUPERVISOR);
	assert_int_equal(wf_action_roles(WF_RETURN), WF_ROLES_SUPERVISOR);
	assert_int_equal(wf_action_roles(WF_APPROVE), WF_ROLES_OFFICE);
	assert_int_equal(wf_action_roles(WF_OVERRIDE), WF_ROLES_OFFICE);
	assert_int_equal(wf_action_roles(WF_REMEDY), WF_ROLES_OFFICE);
	assert_int_equal(wf_action_roles(WF_EXTEND), WF_ROLES_OFFICE);
	assert_false(wf_action_roles(WF_SIGN) & ROLE_BIT(ROLE_OFFICE));
	for (a = 0; a < WF_ACTION__MAX; a++) {
		assert_int_equal(wf_action_parse(wf_action_code(a)), a);
		assert_true(wf_action_roles(a) != 0);
	}
	assert_int_equal(wf_action_parse("nope"), -1);
	assert_int_equal(wf_action_parse(NULL), -1);
	assert_string_equal(wf_state_name(WF_APPLIED),
	                    "申请转段（待督导组验收）");
}

static int64_t open_item; /* the open 补课 item of unit 0 */

/* One step inside the open transaction; fails the test if refused. */
static struct wf_outcome step(int64_t actor, enum wf_action a, const char *item,
                              const char *text, const char *reason)
{
	struct wf_ctx c = fx_ctx(&fx, actor, TODAY);
	struct wf_request r;
	struct wf_outcome o;
	struct xj_error err;

	memset(&r, 0, sizeof(r));
	r.action = a;
	r.unit = fx.unit[0];
	r.item = item;
	r.text = text;
	r.reason = reason;
	r.items = "补课事项一";
	r.item_id = open_item;
	r.date = date_from_ymd(2005, 6, 20);
	if (workflow_act(&c, &r, &o, &err) != XJ_OK)
		fail_msg("%s: %s", wf_action_code(a), err.msg);
	json_decref(o.refusal);
	return o;
}

/* Take unit 0 through a whole stage by override (the 补课 item ordered
 * at the start stays open), ending approved. */
static void through_stage(const char *item)
{
	if (item != NULL)
		step(fx.unit_user, WF_LOOKBACK_ANSWER, item, "已经回答", NULL);
	step(fx.unit_user, WF_SELFCHECK_SUBMIT, NULL, "自查报告", NULL);
	step(fx.office, WF_OVERRIDE, NULL, NULL, "补课事项正在落实");
	step(fx.sup[0], WF_SIGN, NULL, NULL, NULL);
	step(fx.office, WF_APPROVE, NULL, NULL, NULL);
}

/* Reach state s on unit 0 with one 补课 item open and every look-back
 * item answered. */
static void reach(int s)
{
	fx_pass(&fx, 0, LEARN);
	step(fx.unit_user, WF_LOOKBACK_ANSWER, "awareness", "提高了", NULL);
	step(fx.unit_user, WF_LOOKBACK_ANSWER, "fixed", "整改了", NULL);
	step(fx.unit_user, WF_SELFCHECK_SUBMIT, NULL, "自查报告", NULL);
	step(fx.unit_user, WF_APPLY, NULL, NULL, NULL);
	step(fx.sup[0], WF_SIGN, NULL, NULL, "同意");
	step(fx.office, WF_REMEDY, NULL, NULL, "学习笔记不足");
	if (s == WF_IN_STAGE)
		return;
	step(fx.unit_user, WF_LOOKBACK_ANSWER, "awareness", "再次回答", NULL);
	if (s == WF_LOOKBACK)
		return;
	step(fx.unit_user, WF_SELFCHECK_SUBMIT, NULL, "自查报告二", NULL);
	if (s == WF_SELFCHECK)
		return;
	step(fx.office, WF_OVERRIDE, NULL, NULL, "补课事项正在落实");
	if (s == WF_APPLIED)
		return;
	step(fx.sup[0], WF_SIGN, NULL, NULL, NULL);
	if (s == WF_SIGNED)
		return;
	step(fx.office, WF_APPROVE, NULL, NULL, NULL);
	fx_pass(&fx, 0, REVIEW);
	through_stage("opinions");
	fx_pass(&fx, 0, RECTIFY);
	through_stage(NULL);
	if (s == WF_SUMMARY)
		return;
	step(fx.unit_user, WF_SUMMARIZE, NULL, "总结", NULL);
}

static int take_open(void *ctx, const struct wf_remedy_row *r)
{
	(void)ctx;
	open_item = r->id;
	return 1;
}

static void test_every_state_and_action(void **state)
{
	struct xj_error err;
	int s, a, legal = 0, illegal = 0;

	(void)state;
	for (s = 0; s < WF_STATE__MAX; s++) {
		for (a = 0; a < WF_ACTION__MAX; a++) {
			struct wf_ctx c;
			struct wf_request r;
			struct wf_outcome o;
			struct fx_state before;
			int64_t actor;
			int want, last;
			enum xj_err e;

			if (a == WF_FINDING)
				continue; /* test_spot.c: only via a spot check */
			assert_int_equal(store_begin(fx.st, &err), XJ_OK);
			reach(s);
			open_item = 0;
			assert_int_equal(
			    store_wf_remedies_each(fx.st, fx.unit[0], 1,
			                           take_open, NULL, &err),
			    XJ_OK);
			assert_true(open_item > 0);
			if (a == WF_APPLY && s == WF_SELFCHECK)
				/* the open item would stop it: do it first */
				step(fx.unit_user, WF_REMEDY_DONE, NULL,
				     "已完成", NULL);
			before = fx_state(&fx, fx.unit[0]);
			assert_int_equal(before.state, s);
			memset(&r, 0, sizeof(r));
			r.action = a;
			r.unit = fx.unit[0];
			r.text = "文字";
			r.reason = "理由：时间服从质量";
			r.items = "补课事项二";
			r.item_id = open_item;
			r.date = date_from_ymd(2005, 7, 31);
			r.item = strcmp(before.stage, "review") == 0
			             ? "opinions"
			             : "awareness";
			actor = wf_action_roles(a) == WF_ROLES_SUPERVISOR
			            ? fx.sup[0]
			        : wf_action_roles(a) == WF_ROLES_OFFICE
			            ? fx.office
			            : fx.unit_user;
			if (a == WF_REMEDY_DONE)
				r.text = "完成情况";
			c = fx_ctx(&fx, actor, TODAY);
			last = strcmp(before.stage, "rectify") == 0;
			want = expect(s, a, last);
			e = workflow_act(&c, &r, &o, &err);
			if (want >= 0) {
				if (e != XJ_OK)
					fail_msg("%s in %s: %s",
					         wf_action_code(a),
					         wf_state_code(s), err.msg);
				assert_int_equal(o.from, s);
				assert_int_equal(o.to, want);
				assert_int_equal(
				    fx_state(&fx, fx.unit[0]).state, want);
				assert_int_equal(
				    fx_state(&fx, fx.unit[0]).version,
				    before.version + 1);
				assert_null(o.refusal);
				legal++;
			} else {
				json_t *allowed;
				size_t i;
				json_t *x;

				if (e != XJ_ECONFLICT)
					fail_msg("%s in %s: got %d (%s)",
					         wf_action_code(a),
					         wf_state_code(s), e, err.msg);
				assert_contains(err.msg, wf_state_name(s));
				assert_contains(err.msg, "现在可以");
				assert_non_null(o.refusal);
				assert_string_equal(
				    json_string_value(
				        json_object_get(o.refusal, "state")),
				    wf_state_code(s));
				allowed = json_object_get(o.refusal, "allowed");
				json_array_foreach(allowed, i, x)
				{
					int k =
					    wf_action_parse(json_string_value(
					        json_object_get(x, "action")));

					assert_true(expect(s, k, last) >= 0);
				}
				json_decref(o.refusal);
				assert_int_equal(
				    fx_state(&fx, fx.unit[0]).version,
				    before.version);
				illegal++;
			}
			store_rollback(fx.st);
		}
	}
	print_message("%d legal and %d illegal steps\n", legal, illegal);
	assert_int_equal(legal + illegal, WF_STATE__MAX * (WF_ACTION__MAX - 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_every_state_and_action),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
