/* Registry storage: movements, secretaries, coverage lists, updates. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../lib/harness.h"
#include "xianjiao/date.h"
#include "xianjiao/store.h"

struct fx {
	char *dir, *path;
	struct store *st;
	int64_t unit, b1, b2, m1, m2, lost, mobile, orphan;
};

static int64_t org(struct fx *f, int64_t parent, const char *code,
                   enum org_type t)
{
	struct org o = { .parent_id = parent,
		         .type = t,
		         .name = code,
		         .code = code,
		         .is_unit = parent == 0 };
	struct xj_error err;
	int64_t id;

	assert_int_equal(store_org_insert(f->st, &o, &id, &err), XJ_OK);
	return id;
}

static int64_t member(struct fx *f, int64_t branch, const char *name,
                      uint32_t cats, const char *contact)
{
	struct member m = { .org_id = branch,
		            .name = name,
		            .categories = cats,
		            .joined_date = date_from_ymd(1990, 7, 1),
		            .contact_arrangement = contact };
	struct xj_error err;
	int64_t id;

	assert_int_equal(store_member_insert(f->st, &m, &id, &err), XJ_OK);
	return id;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct xj_error err;

	f->dir = tmpdir_make();
	f->path = path_join(f->dir, "r.db");
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->st, &err),
	                 XJ_OK);
	f->unit = org(f, 0, "U", ORG_COMMITTEE);
	f->b1 = org(f, f->unit, "U-B1", ORG_BRANCH);
	f->b2 = org(f, f->unit, "U-B2", ORG_BRANCH);
	f->m1 = member(f, f->b1, "甲", MCAT_BIT(MCAT_ACTIVE), NULL);
	f->m2 = member(f, f->b1, "乙", MCAT_BIT(MCAT_ACTIVE), NULL);
	f->lost = member(f, f->b2, "丙", MCAT_BIT(MCAT_LOST), NULL);
	f->mobile = member(f, f->b2, "丁", MCAT_BIT(MCAT_MOBILE), NULL);
	member(f, f->b2, "戊", MCAT_BIT(MCAT_MOBILE), "每月电话联系");
	f->orphan = member(f, 0, "己", MCAT_BIT(MCAT_ACTIVE), NULL);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->st);
	tmpdir_remove(f->dir);
	free(f->path);
	free(f->dir);
	free(f);
	return 0;
}

static int collect(void *ctx, const struct member_row *r)
{
	int64_t *ids = ctx;

	while (*ids)
		ids++;
	*ids = r->m.id;
	return 0;
}

static int collect_org(void *ctx, const struct org_row *r)
{
	int64_t *ids = ctx;

	while (*ids)
		ids++;
	*ids = r->o.id;
	return 0;
}

static void test_coverage(void **state)
{
	struct fx *f = *state;
	struct xj_error err;
	int64_t ids[8];

	memset(ids, 0, sizeof(ids));
	assert_int_equal(store_coverage_members(f->st, COVER_NO_BRANCH, 0,
	                                        collect, ids, &err),
	                 XJ_OK);
	assert_int_equal(ids[0], f->orphan);
	assert_int_equal(ids[1], 0);
	memset(ids, 0, sizeof(ids));
	assert_int_equal(store_coverage_members(f->st, COVER_LOST, f->unit,
	                                        collect, ids, &err),
	                 XJ_OK);
	assert_int_equal(ids[0], f->lost);
	assert_int_equal(ids[1], 0);
	memset(ids, 0, sizeof(ids));
	assert_int_equal(store_coverage_members(f->st, COVER_MOBILE_NO_CONTACT,
	                                        f->unit, collect, ids, &err),
	                 XJ_OK);
	assert_int_equal(ids[0], f->mobile); /* 戊 has an arrangement */
	assert_int_equal(ids[1], 0);
	/* branches without a secretary, until one is named */
	memset(ids, 0, sizeof(ids));
	assert_int_equal(
	    store_coverage_orgs(f->st, f->unit, collect_org, ids, &err), XJ_OK);
	assert_int_equal(ids[0], f->b1);
	assert_int_equal(ids[1], f->b2);
	assert_int_equal(store_org_set_secretary(f->st, f->b1, f->m1, &err),
	                 XJ_OK);
	assert_int_equal(store_org_set_secretary(f->st, f->unit, f->m1, &err),
	                 XJ_EINVAL);
	memset(ids, 0, sizeof(ids));
	assert_int_equal(
	    store_coverage_orgs(f->st, f->unit, collect_org, ids, &err), XJ_OK);
	assert_int_equal(ids[0], f->b2);
	assert_int_equal(ids[1], 0);
}

static void test_movements(void **state)
{
	struct fx *f = *state;
	struct member_row r;
	struct xj_error err;
	int found;

	/* 调动 to another branch */
	assert_int_equal(store_movement(f->st, f->m2, MOVE_WITHIN,
	                                date_from_ymd(2005, 3, 1), f->b2, NULL,
	                                &err),
	                 XJ_OK);
	assert_int_equal(store_member_get(f->st, f->m2, &r, &found, &err),
	                 XJ_OK);
	assert_int_equal(r.m.org_id, f->b2);
	/* only into a 党支部 */
	assert_int_equal(store_movement(f->st, f->m2, MOVE_WITHIN,
	                                date_from_ymd(2005, 3, 2), f->unit,
	                                NULL, &err),
	                 XJ_EINVAL);
	assert_string_equal(err.field, "to_org");
	/* not before joining the party */
	assert_int_equal(store_movement(f->st, f->m2, MOVE_OUT,
	                                date_from_ymd(1980, 1, 1), 0, NULL,
	                                &err),
	                 XJ_EINVAL);
	/* 转出: the member leaves, keeping the branch for history */
	assert_int_equal(store_movement(f->st, f->m2, MOVE_OUT,
	                                date_from_ymd(2005, 4, 1), 0,
	                                "调往外市", &err),
	                 XJ_OK);
	assert_int_equal(store_member_get(f->st, f->m2, &r, &found, &err),
	                 XJ_OK);
	assert_int_equal(r.m.left_on, date_from_ymd(2005, 4, 1));
	assert_int_equal(r.m.org_id, f->b2);
	/* a member who left can only come back */
	assert_int_equal(store_movement(f->st, f->m2, MOVE_DEATH,
	                                date_from_ymd(2005, 5, 1), 0, NULL,
	                                &err),
	                 XJ_ECONFLICT);
	assert_int_equal(store_movement(f->st, f->m2, MOVE_IN,
	                                date_from_ymd(2005, 6, 1), f->b1, NULL,
	                                &err),
	                 XJ_OK);
	assert_int_equal(store_member_get(f->st, f->m2, &r, &found, &err),
	                 XJ_OK);
	assert_int_equal(r.m.left_on, 0);
	assert_int_equal(r.m.org_id, f->b1);
	assert_int_equal(store_movement(f->st, 9999, MOVE_OUT,
	                                date_from_ymd(2005, 6, 1), 0, NULL,
	                                &err),
	                 XJ_ENOTFOUND);
}

static void test_update_by_idnum(void **state)
{
	struct fx *f = *state;
	struct member m = { .org_id = f->b1,
		            .name = "王",
		            .id_number = "11010519491231002X" };
	struct member_row r;
	struct xj_error err;
	int found;

	assert_int_equal(store_member_insert(f->st, &m, &m.id, &err), XJ_OK);
	assert_int_equal(store_member_by_idnum(f->st, "11010519491231002X", &r,
	                                       &found, &err),
	                 XJ_OK);
	assert_true(found);
	assert_true(member_same(&m, &r.m));
	m.name = "王建国";
	m.phone = "13900000000";
	assert_false(member_same(&m, &r.m));
	assert_int_equal(store_member_update(f->st, &m, &err), XJ_OK);
	assert_int_equal(store_member_get(f->st, m.id, &r, &found, &err),
	                 XJ_OK);
	assert_string_equal(r.name, "王建国");
	assert_string_equal(r.phone, "13900000000");
	m.id = 9999;
	assert_int_equal(store_member_update(f->st, &m, &err), XJ_ENOTFOUND);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_coverage),
		T(test_movements),
		T(test_update_by_idnum),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
