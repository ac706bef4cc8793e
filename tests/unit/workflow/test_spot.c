/*
 * 明查暗访: the draw is reproducible from its recorded seed, takes 2-4
 * units of every 系统, does not favour any unit, and each 系统's draw
 * depends on its own units only; findings are recorded at drawn units
 * and may order 补课.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../lib/check.h"
#include "fixture.h"

#define TODAY date_from_ymd(2005, 3, 5)

static int setup(void **state)
{
	struct wfx *f = calloc(1, sizeof(*f));

	fx_setup(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_teardown(*state);
	free(*state);
	return 0;
}

static void test_draw_pure(void **state)
{
	int64_t pool[20], a[4], b[4], c[4];
	int counts[6] = { 0 }, i, k, same = 0;

	(void)state;
	for (i = 0; i < 20; i++)
		pool[i] = 100 + i;
	wf_draw(2005, 3, pool, 20, 4, a);
	wf_draw(2005, 3, pool, 20, 4, b);
	assert_memory_equal(a, b, sizeof(a));
	for (i = 0; i < 4; i++) {
		assert_true(a[i] >= 100 && a[i] < 120);
		for (k = 0; k < i; k++)
			assert_true(a[i] != a[k]);
	}
	/* another seed, or another 系统, draws otherwise */
	wf_draw(2006, 3, pool, 20, 4, c);
	same = memcmp(a, c, sizeof(a)) == 0;
	wf_draw(2005, 4, pool, 20, 4, c);
	same += memcmp(a, c, sizeof(a)) == 0;
	assert_int_equal(same, 0);
	/* pinned (computed independently from SplitMix64's published
	 * definition): a recorded seed must redraw the same units for ever */
	wf_draw(0, 0, pool, 20, 3, c);
	assert_int_equal(c[0], 115);
	assert_int_equal(c[1], 117);
	assert_int_equal(c[2], 103);
	assert_int_equal(a[0], 111);
	assert_int_equal(a[1], 114);
	assert_int_equal(a[2], 109);
	assert_int_equal(a[3], 113);
	/* no unit is favoured: 6000 draws of 1 from 6 */
	for (i = 0; i < 6000; i++) {
		wf_draw((uint64_t)i, 1, pool, 6, 1, a);
		counts[a[0] - 100]++;
	}
	for (i = 0; i < 6; i++)
		assert_true(counts[i] > 850 && counts[i] < 1150);
	/* asking for more than there are gives them all */
	wf_draw(7, 1, pool, 3, 3, a);
	assert_int_equal(a[0] + a[1] + a[2], 100 + 101 + 102);
}

struct units {
	int64_t id[32], sys[32];
	int n;
};

static int take_unit(void *ctx, const struct spot_unit_row *u)
{
	struct units *c = ctx;

	c->id[c->n] = u->unit_id;
	c->sys[c->n++] = u->system_id;
	return 0;
}

static struct units drawn(struct wfx *f, int64_t spot)
{
	struct units u;
	struct xj_error err;

	memset(&u, 0, sizeof(u));
	assert_int_equal(
	    store_spot_units_each(f->st, spot, take_unit, &u, &err), XJ_OK);
	return u;
}

static int64_t draw(struct wfx *f, int stage, int64_t seed, int per,
                    enum xj_err want, char *msg)
{
	struct wf_ctx c = fx_ctx(f, f->office, TODAY);
	struct xj_error err;
	int64_t id = 0;
	enum xj_err e;

	xj_error_clear(&err);
	assert_int_equal(store_begin(f->st, &err), XJ_OK);
	e = workflow_draw(&c, stage, seed, per, 0, &id, &err);
	if (e == XJ_OK)
		assert_int_equal(store_commit(f->st, &err), XJ_OK);
	else
		store_rollback(f->st);
	if (e != want)
		fail_msg("draw: %d %s", e, err.msg);
	if (msg != NULL)
		snprintf(msg, 1024, "%s|%s", err.msg, err.field);
	return id;
}

static int64_t seed_of;

static int take_seed(void *ctx, const struct spot_check_row *s)
{
	(void)ctx;
	seed_of = s->seed;
	assert_int_equal(s->on_date, TODAY);
	return 0;
}

static void test_draw_recorded(void **state)
{
	struct wfx *f = *state;
	struct units a, b, c;
	struct xj_error err;
	char msg[1024];
	int64_t id1, id2, id3;
	int i;

	id1 = draw(f, LEARN, 42, 2, XJ_OK, NULL);
	id2 = draw(f, LEARN, 42, 2, XJ_OK, NULL);
	a = drawn(f, id1);
	b = drawn(f, id2);
	/* 2 of each 系统's 3 units, the same with the same seed */
	assert_int_equal(a.n, 4);
	assert_memory_equal(a.id, b.id, sizeof(a.id));
	assert_int_equal(a.sys[0], f->sys[0]);
	assert_int_equal(a.sys[1], f->sys[0]);
	assert_int_equal(a.sys[2], f->sys[1]);
	assert_int_equal(a.sys[3], f->sys[1]);
	/* 4 per 系统 asked, 3 there: all of them */
	c = drawn(f, draw(f, LEARN, 42, 4, XJ_OK, NULL));
	assert_int_equal(c.n, 6);
	/* bounds: 2 to 4 per 系统 (seed 004), seeds exact in JSON */
	draw(f, LEARN, 42, 1, XJ_EINVAL, msg);
	assert_contains(msg, "每个系统抽查 2 至 4 个单位|per_system");
	draw(f, LEARN, 42, 5, XJ_EINVAL, NULL);
	draw(f, LEARN, WF_SEED_MAX + 1, 3, XJ_EINVAL, msg);
	assert_contains(msg, "|seed");
	draw(f, 9, 42, 3, XJ_EINVAL, NULL);
	/* a random seed is recorded, and redrawing with it agrees */
	id3 = draw(f, LEARN, -1, 3, XJ_OK, NULL);
	assert_int_equal(
	    store_spot_checks_each(f->st, id3, take_seed, NULL, &err), XJ_OK);
	assert_true(seed_of >= 0 && seed_of <= WF_SEED_MAX);
	a = drawn(f, id3);
	b = drawn(f, draw(f, LEARN, seed_of, 3, XJ_OK, NULL));
	assert_memory_equal(a.id, b.id, sizeof(a.id));
	/* a new unit in 系统 1 leaves 系统 0's draw as it was */
	a = drawn(f, id1);
	fx_org(f, 1, "U9", ORG_PARTY_GROUP, f->sys[1], 1);
	b = drawn(f, draw(f, LEARN, 42, 2, XJ_OK, NULL));
	for (i = 0; i < 2; i++)
		assert_int_equal(a.id[i], b.id[i]);
}

static void test_findings(void **state)
{
	struct wfx *f = *state;
	struct wf_ctx c = fx_ctx(f, f->office, TODAY);
	struct wf_finding fd;
	struct wf_outcome o;
	struct xj_error err;
	struct units u;
	int64_t spot, fid = 0, in, out = 0;
	json_t *j;
	int i;

	spot = draw(f, LEARN, 7, 2, XJ_OK, NULL);
	u = drawn(f, spot);
	in = u.id[0];
	for (i = 0; i < FX_UNITS; i++) {
		int k, hit = 0;

		for (k = 0; k < u.n; k++)
			hit |= u.id[k] == f->unit[i];
		if (!hit)
			out = f->unit[i];
	}
	assert_true(out != 0);
	memset(&fd, 0, sizeof(fd));
	fd.spot_check = spot;
	fd.unit = in;
	fd.mode = "暗访";
	fd.text = "集中学习时有三人缺席";
	/* only drawn units, only known modes, never without a text */
	fd.unit = out;
	assert_int_equal(workflow_finding(&c, &fd, &fid, &o, &err),
	                 XJ_ENOTFOUND);
	assert_contains(err.msg, "不在第");
	fd.unit = in;
	fd.mode = "突击";
	assert_int_equal(workflow_finding(&c, &fd, &fid, &o, &err), XJ_EINVAL);
	assert_string_equal(err.field, "mode");
	fd.mode = "暗访";
	fd.text = "";
	assert_int_equal(workflow_finding(&c, &fd, &fid, &o, &err), XJ_EINVAL);
	fd.text = "集中学习时有三人缺席";
	fd.spot_check = spot + 100;
	assert_int_equal(workflow_finding(&c, &fd, &fid, &o, &err),
	                 XJ_ENOTFOUND);
	fd.spot_check = spot;
	/* a finding alone changes nothing in the unit's workflow */
	assert_int_equal(store_begin(f->st, &err), XJ_OK);
	assert_int_equal(workflow_finding(&c, &fd, &fid, &o, &err), XJ_OK);
	assert_int_equal(store_commit(f->st, &err), XJ_OK);
	assert_true(fid > 0);
	assert_int_equal(fx_state(f, in).version, 0);
	/* one that orders 补课 sends the unit back with the items open */
	{
		struct wf_request r;

		memset(&r, 0, sizeof(r));
		r.unit = in;
		r.action = WF_LOOKBACK_ANSWER;
		r.item = "awareness";
		r.text = "a";
		assert_int_equal(fx_step(f, f->office, TODAY, &r, NULL, &err),
		                 XJ_OK);
	}
	assert_int_equal(fx_state(f, in).state, WF_LOOKBACK);
	fd.mode = "明查";
	fd.text = "缺席者未补课";
	fd.items = "组织缺席者补学\n通报批评";
	fd.deadline = date_from_ymd(2005, 3, 15);
	assert_int_equal(store_begin(f->st, &err), XJ_OK);
	assert_int_equal(workflow_finding(&c, &fd, &fid, &o, &err), XJ_OK);
	assert_int_equal(store_commit(f->st, &err), XJ_OK);
	assert_int_equal(o.from, WF_LOOKBACK);
	assert_int_equal(o.to, WF_IN_STAGE);
	assert_int_equal(fx_state(f, in).state, WF_IN_STAGE);
	assert_int_equal(fx_state(f, in).open, 2);
	/* without a deadline no 补课 is ordered */
	fd.deadline = 0;
	assert_int_equal(store_begin(f->st, &err), XJ_OK);
	assert_int_equal(workflow_finding(&c, &fd, &fid, &o, &err), XJ_EINVAL);
	store_rollback(f->st);
	assert_string_equal(err.field, "deadline");
	/* the record of it all */
	assert_int_equal(workflow_spotchecks_json(&c, spot, &j, &err), XJ_OK);
	{
		json_t *s =
		    json_array_get(json_object_get(j, "spot_checks"), 0);
		json_t *fs = json_object_get(s, "findings");

		assert_int_equal(json_integer_value(json_object_get(s, "seed")),
		                 7);
		assert_int_equal(json_array_size(json_object_get(s, "units")),
		                 4);
		assert_int_equal(json_array_size(fs), 2);
		assert_string_equal(json_string_value(json_object_get(
		                        json_array_get(fs, 1), "mode")),
		                    "明查");
		assert_true(json_is_true(
		    json_object_get(json_array_get(fs, 1), "remedy")));
		assert_string_equal(json_string_value(json_object_get(
		                        json_object_get(s, "stage"), "name")),
		                    "学习动员");
	}
	json_decref(j);
	assert_int_equal(workflow_spotchecks_json(&c, spot + 50, &j, &err),
	                 XJ_ENOTFOUND);
}

static void test_finding_other_stage(void **state)
{
	struct wfx *f = *state;
	struct wf_ctx c = fx_ctx(f, f->office, TODAY);
	struct wf_finding fd;
	struct wf_outcome o;
	struct xj_error err;
	int64_t spot, fid;
	struct units u;

	/* drawn for review while every unit is still in learn */
	spot = draw(f, REVIEW, 3, 2, XJ_OK, NULL);
	u = drawn(f, spot);
	memset(&fd, 0, sizeof(fd));
	fd.spot_check = spot;
	fd.unit = u.id[0];
	fd.mode = "明查";
	fd.text = "尚未开始分析评议";
	fd.items = "补课";
	fd.deadline = date_from_ymd(2005, 3, 30);
	assert_int_equal(workflow_finding(&c, &fd, &fid, &o, &err),
	                 XJ_ECONFLICT);
	assert_contains(err.msg, "已不在抽查的阶段");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_draw_pure),
		cmocka_unit_test_setup_teardown(test_draw_recorded, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_findings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_finding_other_stage, setup,
		                                teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
