/*
 * Two people act on one unit at once, each through their own connection
 * to the database: exactly one succeeds and the other is told of the
 * conflict. Also the optimistic check itself: a step that names the
 * version it read is refused once someone else has moved the unit on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>

#include "../../lib/check.h"
#include "fixture.h"

#define TODAY date_from_ymd(2005, 3, 12)

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

static void ok(int64_t actor, enum wf_action a, int i, const char *item,
               const char *text)
{
	struct wf_request r;
	struct xj_error err;

	memset(&r, 0, sizeof(r));
	r.action = a;
	r.unit = fx.unit[i];
	r.item = item;
	r.text = text;
	if (fx_step(&fx, actor, TODAY, &r, NULL, &err) != XJ_OK)
		fail_msg("%s: %s", wf_action_code(a), err.msg);
}

static void to_signed(int i)
{
	fx_pass(&fx, i, LEARN);
	ok(fx.office, WF_LOOKBACK_ANSWER, i, "awareness", "a");
	ok(fx.office, WF_LOOKBACK_ANSWER, i, "fixed", "b");
	ok(fx.office, WF_SELFCHECK_SUBMIT, i, NULL, "c");
	ok(fx.office, WF_APPLY, i, NULL, NULL);
	ok(fx.sup[i / 3], WF_SIGN, i, NULL, NULL);
}

struct racer {
	pthread_barrier_t *go;
	int64_t unit;
	enum wf_action action;
	enum xj_err result;
	char msg[XJ_ERROR_MSG_MAX];
};

/* One approver with a connection of its own. */
static void *race(void *arg)
{
	struct racer *r = arg;
	struct store *st;
	struct xj_error err;
	struct wf_request q;
	struct wf_outcome o;
	struct wf_ctx c;
	enum xj_err e;

	xj_error_clear(&err);
	e = store_open(fx.db.db, 0, &st, &err);
	if (e != XJ_OK) {
		r->result = e;
		return NULL;
	}
	c = fx_ctx(&fx, fx.office, TODAY);
	c.st = st;
	memset(&q, 0, sizeof(q));
	q.action = r->action;
	q.unit = r->unit;
	q.reason = "同意";
	q.items = "补课";
	q.date = TODAY;
	pthread_barrier_wait(r->go);
	e = store_begin(st, &err);
	if (e == XJ_OK)
		e = workflow_act(&c, &q, &o, &err);
	if (e == XJ_OK)
		e = store_commit(st, &err);
	if (e != XJ_OK)
		store_rollback(st);
	if (e == XJ_OK)
		assert_null(o.refusal);
	json_decref(o.refusal);
	r->result = e;
	snprintf(r->msg, sizeof(r->msg), "%s", err.msg);
	store_close(st);
	return NULL;
}

static void test_two_approvals(void **state)
{
	int i, round;

	(void)state;
	for (i = 0; i < FX_UNITS; i++)
		to_signed(i);
	for (round = 0; round < FX_UNITS; round++) {
		pthread_barrier_t go;
		struct racer r[2];
		pthread_t t[2];
		int k, wins = 0;

		pthread_barrier_init(&go, NULL, 2);
		for (k = 0; k < 2; k++) {
			memset(&r[k], 0, sizeof(r[k]));
			r[k].go = &go;
			r[k].unit = fx.unit[round];
			/* even rounds: two approvals; odd: an approval and
			 * a 补课 order, the office's two answers at once */
			r[k].action =
			    (round % 2 == 1 && k == 1) ? WF_REMEDY : WF_APPROVE;
			assert_int_equal(
			    pthread_create(&t[k], NULL, race, &r[k]), 0);
		}
		for (k = 0; k < 2; k++)
			assert_int_equal(pthread_join(t[k], NULL), 0);
		pthread_barrier_destroy(&go);
		for (k = 0; k < 2; k++) {
			if (r[k].result == XJ_OK) {
				wins++;
				continue;
			}
			if (r[k].result != XJ_ECONFLICT)
				fail_msg("round %d: %d %s", round, r[k].result,
				         r[k].msg);
			/* the loser is told what happened */
			assert_true(strstr(r[k].msg, "不能") != NULL ||
			            strstr(r[k].msg, "他人") != NULL ||
			            strstr(r[k].msg, "占用") != NULL);
		}
		assert_int_equal(wins, 1);
		/* one step was recorded, not two */
		assert_int_equal(fx_state(&fx, fx.unit[round]).version, 6);
	}
}

static void test_stale_version(void **state)
{
	struct fx_state seen;
	struct wf_request r;
	struct wf_outcome o;
	struct xj_error err;

	(void)state;
	/* two people open unit 0's page at the same version (6, after the
	 * race above); the first approves... */
	seen = fx_state(&fx, fx.unit[0]);
	assert_int_equal(seen.state, WF_IN_STAGE);
	memset(&r, 0, sizeof(r));
	r.action = WF_LOOKBACK_ANSWER;
	r.unit = fx.unit[0];
	r.item = "opinions";
	r.text = "第一人的回答";
	r.expect_version = seen.version;
	assert_int_equal(fx_step(&fx, fx.unit_user, TODAY, &r, NULL, &err),
	                 XJ_OK);
	/* ... the second, acting on what they saw, is refused even though
	 * the step itself would still be allowed */
	r.text = "第二人的回答";
	assert_int_equal(fx_step(&fx, fx.office, TODAY, &r, &o, &err),
	                 XJ_ECONFLICT);
	assert_contains(err.msg, "您看到的是第 6 版");
	assert_non_null(o.refusal);
	json_decref(o.refusal);
	assert_int_equal(fx_state(&fx, fx.unit[0]).version, seen.version + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_approvals),
		cmocka_unit_test(test_stale_version),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
