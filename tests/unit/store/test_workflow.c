/* The 转段 tables (migration 5): what is append-only stays so, a 补课
 * item is followed up once, an extension needs its reason, and a step
 * names the version it read. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../../src/store/internal.h"
#include "../../lib/check.h"
#include "../../lib/harness.h"
#include "xianjiao/date.h"

struct fx {
	struct tmpdb db;
	struct store *st;
	int64_t unit, sys, t1;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct campaign c = { 0, "活动", date_from_ymd(2005, 1, 1),
		              date_from_ymd(2005, 12, 31) };
	struct xj_system s = { 0, 0, "党群" };
	struct org o = { .type = ORG_PARTY_GROUP,
		         .name = "单位",
		         .code = "U",
		         .is_unit = 1 };
	struct wf_step step = { .stage = "learn",
		                .from_state = 0,
		                .to_state = 1,
		                .action = "lookback",
		                .on_date = date_from_ymd(2005, 3, 1),
		                .details = "{\"item\":\"a\"}" };
	struct xj_error err;
	int64_t cid, v;

	tmpdb_make(&f->db, "w.db");
	assert_int_equal(store_open(f->db.db, STORE_CREATE, &f->st, &err),
	                 XJ_OK);
	assert_int_equal(store_campaign_insert(f->st, &c, &cid, &err), XJ_OK);
	s.campaign_id = cid;
	assert_int_equal(store_system_insert(f->st, &s, &f->sys, &err), XJ_OK);
	o.system_id = f->sys;
	assert_int_equal(store_org_insert(f->st, &o, &f->unit, &err), XJ_OK);
	step.unit_id = f->unit;
	assert_int_equal(store_wf_step(f->st, &step, &f->t1, &v, &err), XJ_OK);
	assert_int_equal(v, 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->st);
	tmpdb_remove(&f->db);
	free(f);
	return 0;
}

static int rc_of(struct fx *f, const char *sql)
{
	return sqlite3_exec(f->st->db, sql, NULL, NULL, NULL) & 0xff;
}

static void test_append_only(void **state)
{
	struct fx *f = *state;
	struct xj_error err;
	int64_t rid = 0;
	struct spot_check_row sc = { .stage = "learn",
		                     .seed = 1,
		                     .per_system = 2,
		                     .on_date = date_from_ymd(2005, 3, 1) };
	struct spot_finding_row fd = { .mode = "明查",
		                       .text = "发现",
		                       .on_date = date_from_ymd(2005, 3, 2) };
	int64_t spot, fid;

	assert_int_equal(store_wf_answer_add(f->st, f->unit, "learn", "a",
	                                     "回答", f->t1, &err),
	                 XJ_OK);
	assert_int_equal(store_wf_remedy_add(f->st, f->unit, "learn", "补课",
	                                     date_from_ymd(2005, 3, 9), f->t1,
	                                     0, &rid, &err),
	                 XJ_OK);
	assert_int_equal(
	    store_spot_check_add(f->st, &sc, &f->unit, &f->sys, 1, &spot, &err),
	    XJ_OK);
	fd.spot_check_id = spot;
	fd.unit_id = f->unit;
	assert_int_equal(store_spot_finding_add(f->st, &fd, &fid, &err), XJ_OK);
	assert_int_equal(rc_of(f, "UPDATE wf_transitions SET reason = 'x'"),
	                 SQLITE_CONSTRAINT);
	assert_int_equal(rc_of(f, "DELETE FROM wf_transitions"),
	                 SQLITE_CONSTRAINT);
	assert_int_equal(rc_of(f, "UPDATE wf_lookback SET answer = 'x'"),
	                 SQLITE_CONSTRAINT);
	assert_int_equal(rc_of(f, "DELETE FROM spot_checks"),
	                 SQLITE_CONSTRAINT);
	assert_int_equal(rc_of(f, "UPDATE spot_check_units SET position = 9"),
	                 SQLITE_CONSTRAINT);
	assert_int_equal(rc_of(f, "UPDATE spot_findings SET text = 'x'"),
	                 SQLITE_CONSTRAINT);
	assert_int_equal(rc_of(f, "DELETE FROM wf_remedies"),
	                 SQLITE_CONSTRAINT);
	/* an item's order is never rewritten, its follow-up written once */
	assert_int_equal(rc_of(f, "UPDATE wf_remedies SET text = 'x'"),
	                 SQLITE_CONSTRAINT);
	assert_int_equal(store_wf_remedy_done(f->st, rid, f->unit,
	                                      date_from_ymd(2005, 3, 5), "已补",
	                                      &err),
	                 XJ_OK);
	assert_int_equal(store_wf_remedy_done(f->st, rid, f->unit,
	                                      date_from_ymd(2005, 3, 5), "再补",
	                                      &err),
	                 XJ_ECONFLICT);
	assert_int_equal(store_wf_remedy_done(f->st, rid + 1, f->unit,
	                                      date_from_ymd(2005, 3, 5), "x",
	                                      &err),
	                 XJ_ENOTFOUND);
	assert_int_equal(rc_of(f, "UPDATE wf_remedies SET evidence = 'x'"),
	                 SQLITE_CONSTRAINT);
	/* a finding only at a drawn unit */
	fd.unit_id = f->unit + 1000;
	assert_int_equal(store_spot_finding_add(f->st, &fd, &fid, &err),
	                 XJ_EINVAL);
	/* a drawn unit is known as drawn */
	{
		int d = 0;

		assert_int_equal(
		    store_spot_drawn(f->st, spot, f->unit, &d, &err), XJ_OK);
		assert_true(d);
		assert_int_equal(
		    store_spot_drawn(f->st, spot, f->unit + 1, &d, &err),
		    XJ_OK);
		assert_false(d);
	}
}

static void test_extension_reason(void **state)
{
	struct fx *f = *state;
	struct xj_error err;

	assert_int_equal(store_wf_extension_add(f->st, f->unit, "learn",
	                                        date_from_ymd(2005, 4, 1), "  ",
	                                        f->t1, &err),
	                 XJ_EINVAL);
	assert_string_equal(err.field, "reason");
	assert_int_equal(store_wf_extension_add(f->st, f->unit, "learn",
	                                        date_from_ymd(2005, 4, 1), NULL,
	                                        f->t1, &err),
	                 XJ_EINVAL);
	assert_int_equal(store_wf_extension_add(f->st, f->unit, "learn",
	                                        date_from_ymd(2005, 4, 1),
	                                        "时间服从质量", f->t1, &err),
	                 XJ_OK);
}

static int64_t until;

static int take_until(void *ctx, const struct wf_unit_row *u)
{
	(void)ctx;
	until = u->extended_until;
	assert_int_equal(u->version, 1);
	assert_int_equal(u->state, 1);
	assert_string_equal(u->stage, "learn");
	assert_int_equal(u->last_on, date_from_ymd(2005, 3, 1));
	return 0;
}

static void test_versions(void **state)
{
	struct fx *f = *state;
	struct wf_step s = { .unit_id = f->unit,
		             .stage = "learn",
		             .from_state = 1,
		             .to_state = 2,
		             .action = "selfcheck",
		             .on_date = date_from_ymd(2005, 3, 2) };
	struct xj_error err;
	int64_t v, id;

	/* the row exists: inserting it again (version 0) is a conflict */
	s.expect_version = 0;
	assert_int_equal(store_wf_step(f->st, &s, &id, &v, &err), XJ_ECONFLICT);
	s.expect_version = 2;
	assert_int_equal(store_wf_step(f->st, &s, &id, &v, &err), XJ_ECONFLICT);
	assert_int_equal(
	    store_wf_units_each(f->st, f->unit, take_until, NULL, &err), XJ_OK);
	s.expect_version = 1;
	s.details = "not json";
	assert_int_equal(store_wf_step(f->st, &s, &id, &v, &err), XJ_EINVAL);
	s.details = NULL;
	s.on_date = 0;
	assert_int_equal(store_wf_step(f->st, &s, &id, &v, &err), XJ_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_append_only, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_extension_reason, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_versions, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
