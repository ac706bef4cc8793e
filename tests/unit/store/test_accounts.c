/* Accounts in the store: grants and their scopes, sessions, tokens. */
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

/*
 * A small campaign:
 *   root (市委)
 *   ├── unit A (系统 S1) ── branch A1 (member ma), branch A2 (member ma2)
 *   └── unit B (系统 S2) ── branch B1 (member mb)
 *   member nobranch has no branch.
 */
struct fx {
	char *dir, *path;
	struct store *st;
	int64_t root, ua, a1, a2, ub, b1, s1, s2;
	int64_t ma, ma2, mb, nobranch;
	int64_t office, sup1, unita, seca1, self_ma;
};

static int64_t org(struct fx *f, int64_t parent, const char *code,
                   enum org_type t, int64_t sys, int unit)
{
	struct org o = { .parent_id = parent,
		         .type = t,
		         .name = code,
		         .code = code,
		         .system_id = sys,
		         .is_unit = unit };
	struct xj_error err;
	int64_t id;

	assert_int_equal(store_org_insert(f->st, &o, &id, &err), XJ_OK);
	return id;
}

static int64_t member(struct fx *f, int64_t branch, const char *name)
{
	struct member m = { .org_id = branch, .name = name };
	struct xj_error err;
	int64_t id;

	assert_int_equal(store_member_insert(f->st, &m, &id, &err), XJ_OK);
	return id;
}

static int64_t user(struct fx *f, const char *login, int64_t member_id,
                    enum role role, int64_t org_id, int64_t sys)
{
	struct grant g = { .role = role, .org_id = org_id, .system_id = sys };
	struct xj_error err;

	assert_int_equal(store_user_insert(f->st, login, login, NULL, member_id,
	                                   &g.user_id, &err),
	                 XJ_OK);
	assert_int_equal(store_grant_add(f->st, &g, NULL, &err), XJ_OK);
	return g.user_id;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct campaign c = { 0, "活动", date_from_ymd(2005, 1, 6),
		              date_from_ymd(2005, 12, 31) };
	struct xj_system s = { 0 };
	struct xj_error err;

	f->dir = tmpdir_make();
	f->path = path_join(f->dir, "a.db");
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->st, &err),
	                 XJ_OK);
	assert_int_equal(store_campaign_insert(f->st, &c, &s.campaign_id, &err),
	                 XJ_OK);
	s.name = "一系统";
	assert_int_equal(store_system_insert(f->st, &s, &f->s1, &err), XJ_OK);
	s.name = "二系统";
	assert_int_equal(store_system_insert(f->st, &s, &f->s2, &err), XJ_OK);
	f->root = org(f, 0, "R", ORG_COMMITTEE, 0, 0);
	f->ua = org(f, f->root, "A", ORG_PARTY_GROUP, f->s1, 1);
	f->a1 = org(f, f->ua, "A1", ORG_BRANCH, 0, 0);
	f->a2 = org(f, f->ua, "A2", ORG_BRANCH, 0, 0);
	f->ub = org(f, f->root, "B", ORG_COMMITTEE, f->s2, 1);
	f->b1 = org(f, f->ub, "B1", ORG_BRANCH, 0, 0);
	f->ma = member(f, f->a1, "甲");
	f->ma2 = member(f, f->a2, "乙");
	f->mb = member(f, f->b1, "丙");
	f->nobranch = member(f, 0, "丁");
	f->office = user(f, "office", 0, ROLE_OFFICE, 0, 0);
	f->sup1 = user(f, "sup1", 0, ROLE_SUPERVISOR, 0, f->s1);
	f->unita = user(f, "unita", 0, ROLE_UNIT, f->ua, 0);
	f->seca1 = user(f, "seca1", f->ma, ROLE_SECRETARY, f->a1, 0);
	f->self_ma = user(f, "ma", f->ma, ROLE_MEMBER, 0, 0);
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

static int org_in(struct fx *f, int64_t u, unsigned mask, int64_t o)
{
	struct xj_error err;
	int in = -1;

	assert_int_equal(store_scope_org(f->st, u, mask, o, &in, &err), XJ_OK);
	return in;
}

static int mem_in(struct fx *f, int64_t u, unsigned mask, int64_t m)
{
	struct xj_error err;
	int in = -1;

	assert_int_equal(store_scope_member(f->st, u, mask, m, &in, &err),
	                 XJ_OK);
	return in;
}

static void test_scope_orgs(void **state)
{
	struct fx *f = *state;
	const unsigned all = ROLE_ALL;

	/* office: everything, including the root */
	assert_true(org_in(f, f->office, all, f->root));
	assert_true(org_in(f, f->office, all, f->b1));
	/* supervisor of 系统 1: unit A and below, not B, not the root */
	assert_true(org_in(f, f->sup1, all, f->ua));
	assert_true(org_in(f, f->sup1, all, f->a2));
	assert_false(org_in(f, f->sup1, all, f->ub));
	assert_false(org_in(f, f->sup1, all, f->b1));
	assert_false(org_in(f, f->sup1, all, f->root));
	/* unit office of A */
	assert_true(org_in(f, f->unita, all, f->ua));
	assert_true(org_in(f, f->unita, all, f->a1));
	assert_false(org_in(f, f->unita, all, f->b1));
	assert_false(org_in(f, f->unita, all, f->root));
	/* secretary of A1: A1 only, not the unit (its statistics) */
	assert_true(org_in(f, f->seca1, all, f->a1));
	assert_false(org_in(f, f->seca1, all, f->a2));
	assert_false(org_in(f, f->seca1, all, f->ua));
	/* a member sees no organisation */
	assert_false(org_in(f, f->self_ma, all, f->a1));
	/* the role mask restricts which grants count */
	assert_false(org_in(f, f->office, ROLE_BIT(ROLE_UNIT), f->a1));
	assert_false(org_in(f, f->seca1, ROLE_BIT(ROLE_MEMBER), f->a1));
	/* an id that does not exist is simply not in scope */
	assert_false(org_in(f, f->unita, all, 99999));
	assert_false(org_in(f, 99999, all, f->a1));
}

static void test_scope_members(void **state)
{
	struct fx *f = *state;
	const unsigned all = ROLE_ALL;

	assert_true(mem_in(f, f->office, all, f->nobranch));
	assert_true(mem_in(f, f->office, all, f->mb));
	assert_true(mem_in(f, f->sup1, all, f->ma2));
	assert_false(mem_in(f, f->sup1, all, f->mb));
	assert_false(mem_in(f, f->sup1, all, f->nobranch));
	assert_true(mem_in(f, f->unita, all, f->ma));
	assert_false(mem_in(f, f->unita, all, f->mb));
	assert_true(mem_in(f, f->seca1, all, f->ma));
	assert_false(mem_in(f, f->seca1, all, f->ma2));
	/* a member: self only, and only through the member role */
	assert_true(mem_in(f, f->self_ma, all, f->ma));
	assert_false(mem_in(f, f->self_ma, all, f->ma2));
	assert_false(mem_in(f, f->self_ma, ROLE_BIT(ROLE_SECRETARY), f->ma));
	/* the secretary is member ma but holds no member grant */
	assert_true(mem_in(f, f->seca1, ROLE_BIT(ROLE_SECRETARY), f->ma));
	assert_false(mem_in(f, f->seca1, ROLE_BIT(ROLE_MEMBER), f->ma));
	assert_false(mem_in(f, f->office, all, 99999));
}

static void test_revoke_narrows_scope(void **state)
{
	struct fx *f = *state;
	struct grant g = { .user_id = f->unita,
		           .role = ROLE_UNIT,
		           .org_id = f->ua };
	struct xj_error err;
	struct grant out[4];
	int n;

	assert_int_equal(store_grants_of(f->st, f->unita, out, 4, &n, &err),
	                 XJ_OK);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].org_id, f->ua);
	assert_int_equal(store_grant_remove(f->st, &g, &err), XJ_OK);
	assert_false(org_in(f, f->unita, ROLE_ALL, f->a1));
	assert_int_equal(store_grant_remove(f->st, &g, &err), XJ_ENOTFOUND);
	/* mismatched scopes are refused before the database sees them */
	g.role = ROLE_SUPERVISOR;
	assert_int_equal(store_grant_add(f->st, &g, NULL, &err), XJ_EINVAL);
	g.role = ROLE_OFFICE;
	assert_int_equal(store_grant_add(f->st, &g, NULL, &err), XJ_EINVAL);
	assert_string_equal(err.field, "org");
	g.org_id = 0;
	assert_int_equal(store_grant_add(f->st, &g, NULL, &err), XJ_OK);
	assert_int_equal(store_grant_add(f->st, &g, NULL, &err), XJ_EEXIST);
}

static void test_sessions(void **state)
{
	struct fx *f = *state;
	struct session s;
	struct xj_error err;
	int64_t id;
	int found;

	assert_int_equal(store_session_create(f->st, f->seca1, "h1", "csrf1",
	                                      1000, 1000 + 3600, &id, &err),
	                 XJ_OK);
	assert_int_equal(
	    store_session_lookup(f->st, "h1", 1500, 1800, &s, &found, &err),
	    XJ_OK);
	assert_true(found);
	assert_int_equal(s.user_id, f->seca1);
	assert_string_equal(s.csrf_token, "csrf1");
	/* idle too long */
	assert_int_equal(store_session_lookup(f->st, "h1", 1000 + 1800, 1800,
	                                      &s, &found, &err),
	                 XJ_OK);
	assert_false(found);
	/* activity keeps it alive */
	assert_int_equal(store_session_touch(f->st, id, 2500, &err), XJ_OK);
	assert_int_equal(
	    store_session_lookup(f->st, "h1", 3000, 1800, &s, &found, &err),
	    XJ_OK);
	assert_true(found);
	/* but not past its absolute expiry */
	assert_int_equal(store_session_touch(f->st, id, 4500, &err), XJ_OK);
	assert_int_equal(
	    store_session_lookup(f->st, "h1", 4600, 1800, &s, &found, &err),
	    XJ_OK);
	assert_false(found);
	/* wrong token */
	assert_int_equal(
	    store_session_lookup(f->st, "h2", 1500, 1800, &s, &found, &err),
	    XJ_OK);
	assert_false(found);
	/* a disabled user's live session is dead */
	assert_int_equal(store_session_create(f->st, f->unita, "h3", "c", 1000,
	                                      9000, &id, &err),
	                 XJ_OK);
	assert_int_equal(store_user_set_disabled(f->st, f->unita, 1, &err),
	                 XJ_OK);
	assert_int_equal(
	    store_session_lookup(f->st, "h3", 1500, 1800, &s, &found, &err),
	    XJ_OK);
	assert_false(found);
	assert_int_equal(store_user_set_disabled(f->st, f->unita, 0, &err),
	                 XJ_OK);
	assert_int_equal(
	    store_session_lookup(f->st, "h3", 1500, 1800, &s, &found, &err),
	    XJ_OK);
	assert_true(found);
	/* logout */
	assert_int_equal(store_session_delete(f->st, id, &err), XJ_OK);
	assert_int_equal(
	    store_session_lookup(f->st, "h3", 1500, 1800, &s, &found, &err),
	    XJ_OK);
	assert_false(found);
}

static void test_tokens(void **state)
{
	struct fx *f = *state;
	struct xj_error err;
	int64_t id, uid;
	int found;

	assert_int_equal(
	    store_token_create(f->st, f->sup1, "脚本", "th", &id, &err), XJ_OK);
	assert_int_equal(store_token_lookup(f->st, "th", &uid, &found, &err),
	                 XJ_OK);
	assert_true(found);
	assert_int_equal(uid, f->sup1);
	assert_int_equal(store_token_revoke(f->st, id, &err), XJ_OK);
	assert_int_equal(store_token_lookup(f->st, "th", &uid, &found, &err),
	                 XJ_OK);
	assert_false(found);
	assert_int_equal(store_token_revoke(f->st, id, &err), XJ_ENOTFOUND);
}

static void test_audit_covers_writes(void **state)
{
	struct fx *f = *state;
	struct audit_check c;
	struct xj_error err;

	/* setup wrote: campaign, 2 systems, 6 orgs, 4 members, 5 users with
	 * 5 grants = 23 entries, one per write */
	assert_int_equal(store_audit_verify(f->st, &c, &err), XJ_OK);
	assert_false(c.broken);
	assert_int_equal(c.count, 23);
	store_set_actor(f->st, f->office);
	assert_int_equal(store_user_set_disabled(f->st, f->sup1, 1, &err),
	                 XJ_OK);
	assert_int_equal(store_audit_verify(f->st, &c, &err), XJ_OK);
	assert_int_equal(c.count, 24);
	assert_int_equal(strlen(c.head), 64);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_scope_orgs),
		T(test_scope_members),
		T(test_revoke_narrows_scope),
		T(test_sessions),
		T(test_tokens),
		T(test_audit_covers_writes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
