/* Demo accounts, one per role (demo.h). */
#include <stdio.h>
#include <string.h>

#include "xianjiao/demo.h"
#include "xianjiao/hash.h"
#include "xianjiao/store.h"

const struct demo_account demo_accounts[DEMO_ACCOUNTS] = {
	{ "admin", "先教办管理员", ROLE_OFFICE },
	{ "dudao", "督导组组长", ROLE_SUPERVISOR },
	{ "danwei", "单位领导小组", ROLE_UNIT },
	{ "shuji", "支部书记", ROLE_SECRETARY },
	{ "dangyuan", "党员", ROLE_MEMBER },
};

#define DEMO_UNIT "U001"
#define DEMO_BRANCH "U001-B01"

static int first_member(void *ctx, const struct member_row *r)
{
	*(int64_t *)ctx = r->m.id;
	return 1;
}

static enum xj_err create(struct store *st, const char *hash,
                          struct xj_error *err)
{
	struct org_row unit;
	int64_t unit_id, branch_id, member_id = 0;
	enum xj_err e;
	int i, found;

	e = store_org_by_code(st, DEMO_UNIT, &unit_id, err);
	if (e == XJ_OK)
		e = store_org_by_code(st, DEMO_BRANCH, &branch_id, err);
	if (e == XJ_OK && (unit_id == 0 || branch_id == 0))
		e = xj_error_set(err, XJ_ECONFLICT,
		                 "示范账户需要先生成示范数据 (缺少 %s)",
		                 DEMO_BRANCH);
	if (e == XJ_OK)
		e = store_org_get(st, unit_id, &unit, &found, err);
	if (e == XJ_OK)
		e = store_subtree_member_list(st, branch_id, 0, 1, 0, NULL,
		                              first_member, &member_id, err);
	for (i = 0; e == XJ_OK && i < DEMO_ACCOUNTS; i++) {
		const struct demo_account *a = &demo_accounts[i];
		struct grant g = { .role = a->role };

		e = store_user_insert(st, a->login, a->display_name, hash,
		                      a->role == ROLE_MEMBER ? member_id : 0,
		                      &g.user_id, err);
		if (a->role == ROLE_SUPERVISOR)
			g.system_id = unit.o.system_id;
		else if (a->role == ROLE_UNIT)
			g.org_id = unit_id;
		else if (a->role == ROLE_SECRETARY)
			g.org_id = branch_id;
		if (e == XJ_OK)
			e = store_grant_add(st, &g, NULL, err);
	}
	return e;
}

enum xj_err demo_create_accounts(struct store *st, const char *password,
                                 struct xj_error *err)
{
	char hash[PASSWORD_HASH_MAX];
	enum xj_err e = password_hash(password, hash, sizeof(hash), err);

	if (e == XJ_OK)
		e = store_begin(st, err);
	if (e != XJ_OK)
		return e;
	e = create(st, hash, err);
	if (e == XJ_OK)
		e = store_commit(st, err);
	if (e != XJ_OK)
		store_rollback(st);
	return e;
}
