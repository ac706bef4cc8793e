/* xianjiao user add|list|disable|enable|passwd|grant|revoke */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "xianjiao/alloc.h"
#include "xianjiao/hash.h"
#include "xianjiao/store.h"

#define OPT_DB                                                                 \
	{                                                                      \
		"db", "FILE", 1, "数据库文件"                             \
	}
#define OPT_LOGIN                                                              \
	{                                                                      \
		"login", "NAME", 1, "用户名"                                \
	}
#define OPT_END                                                                \
	{                                                                      \
		NULL, NULL, 0, NULL                                            \
	}

static void print_password(const char *login, const char *pw, int generated)
{
	if (generated)
		printf("用户 %s 的初始密码: %s（只显示这一次，请登录后修改）\n",
		       login, pw);
	else
		printf("用户 %s 的密码已按环境变量 XJ_PASSWORD 设置\n", login);
}

/* --- add ----------------------------------------------------------- */

static const struct cli_opt add_opts[] = {
	OPT_DB,
	OPT_LOGIN,
	{ "name", "显示名", 1, "显示的姓名" },
	{ "member", "ID", 0, "对应的党员编号（党员本人的账户）" },
	{ "role", "ROLE", 0,
	  "同时授予的角色: office, supervisor, unit, secretary, member" },
	{ "org", "CODE", 0, "单位或支部的组织代码（unit, secretary）" },
	{ "system", "NAME", 0, "系统名称（supervisor）" },
	OPT_END,
};

static enum xj_err add_op(struct store *st, const struct cli_args *a,
                          struct xj_error *err)
{
	const char *login = cli_get(a, &cmd_user_add, "login");
	const char *member = cli_get(a, &cmd_user_add, "member");
	char pw[PASSWORD_MAX + 1], hash[PASSWORD_HASH_MAX];
	struct grant g = { 0 };
	int64_t member_id = 0, uid;
	int generated;
	enum xj_err e;

	if (member != NULL) {
		e = util_parse_int(member, 1, INT64_MAX, &member_id, "member",
		                   err);
		if (e != XJ_OK)
			return xj_error_field(err, XJ_EUSAGE, "member",
			                      "--member 应为党员编号: %s",
			                      member);
	}
	if (cli_get(a, &cmd_user_add, "role") != NULL) {
		e = cli_grant_scope(st, a, &cmd_user_add, &g, err);
		if (e != XJ_OK)
			return e;
	} else if (cli_get(a, &cmd_user_add, "org") != NULL ||
	           cli_get(a, &cmd_user_add, "system") != NULL) {
		return xj_error_set(err, XJ_EUSAGE,
		                    "--org 和 --system 须与 --role 一起使用");
	}
	e = cli_password("XJ_PASSWORD", pw, sizeof(pw), &generated, err);
	if (e == XJ_OK)
		e = password_hash(pw, hash, sizeof(hash), err);
	if (e == XJ_OK)
		e = store_user_insert(st, login,
		                      cli_get(a, &cmd_user_add, "name"), hash,
		                      member_id, &uid, err);
	if (e == XJ_OK && cli_get(a, &cmd_user_add, "role") != NULL) {
		g.user_id = uid;
		e = store_grant_add(st, &g, NULL, err);
	}
	if (e == XJ_OK) {
		printf("已创建用户 %s (编号 %lld)\n", login, (long long)uid);
		print_password(login, pw, generated);
	}
	return e;
}

static enum xj_err add_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_user_add, a, add_op, err);
}

const struct cli_cmd cmd_user_add = {
	.name = "user add",
	.summary = "新建用户（密码取自环境变量 XJ_PASSWORD，未设置则自动生成）",
	.args = "",
	.opts = add_opts,
	.fn = add_run,
};

/* --- list ---------------------------------------------------------- */

static const struct cli_opt list_opts[] = { OPT_DB, OPT_END };

struct list_ctx {
	struct store *st;
	struct xj_error *err;
	enum xj_err e;
};

static int print_user(void *ctx, const struct user *u)
{
	struct list_ctx *c = ctx;
	struct grant g[32];
	int n, i;

	printf("%lld\t%s\t%s\t%s", (long long)u->id, u->login, u->display_name,
	       u->disabled ? "已停用" : "正常");
	(void)c;
	c->e = store_grants_of(c->st, u->id, g, 32, &n, c->err);
	if (c->e != XJ_OK)
		return 1;
	for (i = 0; i < n; i++)
		printf("%s%s", i ? "、" : "\t", role_name(g[i].role));
	putchar('\n');
	return 0;
}

static enum xj_err list_run(const struct cli_args *a, struct xj_error *err)
{
	struct list_ctx c = { NULL, err, XJ_OK };
	enum xj_err e = cli_open_db(a, &cmd_user_list, &c.st, err);

	if (e != XJ_OK)
		return e;
	printf("编号\t用户名\t姓名\t状态\t角色\n");
	e = store_users_each(c.st, print_user, &c, err);
	if (e == XJ_OK)
		e = c.e;
	store_close(c.st);
	return e;
}

const struct cli_cmd cmd_user_list = {
	.name = "user list",
	.summary = "列出全部用户及其角色",
	.args = "",
	.opts = list_opts,
	.fn = list_run,
};

/* --- disable / enable / passwd -------------------------------------- */

static const struct cli_opt login_opts[] = { OPT_DB, OPT_LOGIN, OPT_END };

static enum xj_err set_disabled(struct store *st, const struct cli_args *a,
                                int disabled, struct xj_error *err)
{
	const char *login = cli_get(a, &cmd_user_disable, "login");
	struct user u;
	enum xj_err e = cli_user(st, login, &u, err);

	if (e == XJ_OK)
		e = store_user_set_disabled(st, u.id, disabled, err);
	if (e == XJ_OK)
		printf(disabled ? "已停用用户 %s，其会话和令牌随即失效\n"
		                : "已启用用户 %s\n",
		       login);
	return e;
}

static enum xj_err disable_op(struct store *st, const struct cli_args *a,
                              struct xj_error *err)
{
	return set_disabled(st, a, 1, err);
}

static enum xj_err enable_op(struct store *st, const struct cli_args *a,
                             struct xj_error *err)
{
	return set_disabled(st, a, 0, err);
}

static enum xj_err disable_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_user_disable, a, disable_op, err);
}

static enum xj_err enable_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_user_enable, a, enable_op, err);
}

const struct cli_cmd cmd_user_disable = {
	.name = "user disable",
	.summary = "停用用户（其会话和 API 令牌立即失效）",
	.args = "",
	.opts = login_opts,
	.fn = disable_run,
};

const struct cli_cmd cmd_user_enable = {
	.name = "user enable",
	.summary = "重新启用已停用的用户",
	.args = "",
	.opts = login_opts,
	.fn = enable_run,
};

static enum xj_err passwd_op(struct store *st, const struct cli_args *a,
                             struct xj_error *err)
{
	const char *login = cli_get(a, &cmd_user_passwd, "login");
	char pw[PASSWORD_MAX + 1], hash[PASSWORD_HASH_MAX];
	struct user u;
	int generated;
	enum xj_err e = cli_user(st, login, &u, err);

	if (e == XJ_OK)
		e = cli_password("XJ_PASSWORD", pw, sizeof(pw), &generated,
		                 err);
	if (e == XJ_OK)
		e = password_hash(pw, hash, sizeof(hash), err);
	if (e == XJ_OK)
		e = store_user_set_password(st, u.id, hash, err);
	if (e == XJ_OK)
		print_password(login, pw, generated);
	return e;
}

static enum xj_err passwd_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_user_passwd, a, passwd_op, err);
}

const struct cli_cmd cmd_user_passwd = {
	.name = "user passwd",
	.summary = "重设密码（取自环境变量 XJ_PASSWORD，未设置则自动生成）",
	.args = "",
	.opts = login_opts,
	.fn = passwd_run,
};

/* --- grant / revoke ------------------------------------------------ */

static const struct cli_opt grant_opts[] = {
	OPT_DB,
	OPT_LOGIN,
	{ "role", "ROLE", 1,
	  "角色: office 先教办, supervisor 督导组, unit 单位, "
	  "secretary 支部书记, member 党员" },
	{ "org", "CODE", 0, "单位或支部的组织代码（unit, secretary）" },
	{ "system", "NAME", 0, "系统名称（supervisor）" },
	OPT_END,
};

static enum xj_err grant_common(struct store *st, const struct cli_args *a,
                                const struct cli_cmd *c, int add,
                                struct xj_error *err)
{
	const char *login = cli_get(a, c, "login");
	struct grant g = { 0 };
	struct user u;
	enum xj_err e = cli_user(st, login, &u, err);

	if (e == XJ_OK)
		e = cli_grant_scope(st, a, c, &g, err);
	if (e != XJ_OK)
		return e;
	g.user_id = u.id;
	e = add ? store_grant_add(st, &g, NULL, err)
	        : store_grant_remove(st, &g, err);
	if (e == XJ_OK)
		printf(add ? "已授予 %s 角色: %s\n" : "已撤销 %s 的角色: %s\n",
		       login, role_name(g.role));
	return e;
}

static enum xj_err grant_op(struct store *st, const struct cli_args *a,
                            struct xj_error *err)
{
	return grant_common(st, a, &cmd_user_grant, 1, err);
}

static enum xj_err revoke_op(struct store *st, const struct cli_args *a,
                             struct xj_error *err)
{
	return grant_common(st, a, &cmd_user_revoke, 0, err);
}

static enum xj_err grant_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_user_grant, a, grant_op, err);
}

static enum xj_err revoke_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_user_revoke, a, revoke_op, err);
}

const struct cli_cmd cmd_user_grant = {
	.name = "user grant",
	.summary = "授予用户角色及其范围",
	.args = "",
	.opts = grant_opts,
	.fn = grant_run,
};

const struct cli_cmd cmd_user_revoke = {
	.name = "user revoke",
	.summary = "撤销用户的角色",
	.args = "",
	.opts = grant_opts,
	.fn = revoke_run,
};
