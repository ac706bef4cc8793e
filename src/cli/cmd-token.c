/* xianjiao token create|list|revoke: API tokens for scripts. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "xianjiao/alloc.h"
#include "xianjiao/hash.h"
#include "xianjiao/store.h"

/* Tokens are "xjt_" and 64 hex digits; the database keeps SHA-256 of the
 * whole string, so a stolen database yields no usable token. */
#define TOKEN_PREFIX "xjt_"

static const struct cli_opt create_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "user", "NAME", 1, "令牌所属用户的用户名" },
	{ "name", "LABEL", 0, "令牌用途说明，如 “每日导出脚本”" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err create_op(struct store *st, const struct cli_args *a,
                             struct xj_error *err)
{
	const char *login = cli_get(a, &cmd_token_create, "user");
	const char *name = cli_get(a, &cmd_token_create, "name");
	char token[sizeof(TOKEN_PREFIX) + 64], hash[SHA256_HEX_LEN];
	struct user u;
	int64_t id;
	enum xj_err e = cli_user(st, login, &u, err);

	if (e != XJ_OK)
		return e;
	if (u.disabled)
		return xj_error_field(err, XJ_ECONFLICT, "user",
		                      "用户 %s 已停用，不能创建令牌", login);
	memcpy(token, TOKEN_PREFIX, sizeof(TOKEN_PREFIX) - 1);
	random_hex(token + sizeof(TOKEN_PREFIX) - 1, 32);
	sha256_hex(token, strlen(token), hash);
	e = store_token_create(st, u.id, name ? name : "脚本", hash, &id, err);
	if (e == XJ_OK) {
		printf("已为用户 %s 创建令牌 (编号 %lld)，只显示这一次:\n%s\n",
		       login, (long long)id, token);
		printf("使用方法: Authorization: Bearer %s\n", token);
	}
	return e;
}

static enum xj_err create_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_token_create, a, create_op, err);
}

const struct cli_cmd cmd_token_create = {
	.name = "token create",
	.summary = "为用户创建 API 令牌（供脚本使用，可撤销）",
	.args = "",
	.opts = create_opts,
	.fn = create_run,
};

static const struct cli_opt list_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "user", "NAME", 0, "只列出该用户的令牌" },
	{ NULL, NULL, 0, NULL },
};

static int print_token(void *ctx, const struct api_token *t)
{
	(void)ctx;
	printf("%lld\t%s\t%s\t%s\t%s\n", (long long)t->id, t->login, t->name,
	       t->created_at, t->revoked_at[0] ? "已撤销" : "有效");
	return 0;
}

static enum xj_err list_run(const struct cli_args *a, struct xj_error *err)
{
	const char *login = cli_get(a, &cmd_token_list, "user");
	struct store *st;
	struct user u = { 0 };
	enum xj_err e = cli_open_db(a, &cmd_token_list, &st, err);

	if (e != XJ_OK)
		return e;
	if (login != NULL)
		e = cli_user(st, login, &u, err);
	if (e == XJ_OK) {
		printf("编号\t用户名\t用途\t创建时间\t状态\n");
		e = store_tokens_each(st, u.id, print_token, NULL, err);
	}
	store_close(st);
	return e;
}

const struct cli_cmd cmd_token_list = {
	.name = "token list",
	.summary = "列出 API 令牌（不显示令牌本身）",
	.args = "",
	.opts = list_opts,
	.fn = list_run,
};

static const struct cli_opt revoke_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "id", "N", 1, "令牌编号（见 token list）" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err revoke_op(struct store *st, const struct cli_args *a,
                             struct xj_error *err)
{
	int64_t id;
	enum xj_err e = util_parse_int(cli_get(a, &cmd_token_revoke, "id"), 1,
	                               INT64_MAX, &id, "id", err);

	if (e != XJ_OK)
		return xj_error_field(err, XJ_EUSAGE, "id",
		                      "--id 应为令牌编号");
	e = store_token_revoke(st, id, err);
	if (e == XJ_OK)
		printf("已撤销令牌 %lld\n", (long long)id);
	return e;
}

static enum xj_err revoke_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_token_revoke, a, revoke_op, err);
}

const struct cli_cmd cmd_token_revoke = {
	.name = "token revoke",
	.summary = "撤销 API 令牌",
	.args = "",
	.opts = revoke_opts,
	.fn = revoke_run,
};
