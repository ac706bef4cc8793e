/* xianjiao audit verify|show */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "xianjiao/alloc.h"
#include "xianjiao/store.h"

static const struct cli_opt verify_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "head", "HASH", 0, "此前记下的末条哈希：用于发现末尾记录被删除" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err verify_run(const struct cli_args *a, struct xj_error *err)
{
	const char *head = cli_get(a, &cmd_audit_verify, "head");
	struct audit_check c;
	struct store *st;
	enum xj_err e = cli_open_db(a, &cmd_audit_verify, &st, err);

	if (e != XJ_OK)
		return e;
	e = store_audit_verify(st, &c, err);
	store_close(st);
	if (e != XJ_OK)
		return e;
	if (c.broken)
		return xj_error_set(err, XJ_ECONFLICT,
		                    "审计日志校验失败: 第 %lld 条记录 "
		                    "(编号 %lld) %s",
		                    (long long)c.bad_pos, (long long)c.bad_id,
		                    c.reason);
	if (head != NULL && strcmp(head, c.head) != 0)
		return xj_error_set(err, XJ_ECONFLICT,
		                    "审计日志校验失败: 末条哈希与记下的 %s "
		                    "不符，末尾记录可能被删除（现有 %lld 条）",
		                    head, (long long)c.count);
	printf("审计日志完好: 共 %lld 条记录，末条哈希 %s\n",
	       (long long)c.count, c.count ? c.head : "(无)");
	return XJ_OK;
}

const struct cli_cmd cmd_audit_verify = {
	.name = "audit verify",
	.summary = "校验审计日志的哈希链，指出第一条被篡改的记录",
	.args = "",
	.opts = verify_opts,
	.fn = verify_run,
};

static const struct cli_opt show_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "object", "TYPE:ID", 0, "只显示某个对象，如 member:12 或 user:1" },
	{ "actor", "LOGIN", 0, "只显示某个用户的操作" },
	{ NULL, NULL, 0, NULL },
};

static int print_entry(void *ctx, const struct audit_entry *e)
{
	(void)ctx;
	printf("%lld\t%s\t%s\t%s\t%s:%lld\t%.16s\n", (long long)e->id, e->at,
	       e->actor_id ? e->actor_login : "(命令行)", e->action,
	       e->object_type, (long long)e->object_id, e->hash);
	return 0;
}

static enum xj_err show_run(const struct cli_args *a, struct xj_error *err)
{
	const char *object = cli_get(a, &cmd_audit_show, "object");
	const char *actor = cli_get(a, &cmd_audit_show, "actor");
	char type[64] = "";
	int64_t object_id = 0;
	struct user u = { 0 };
	struct store *st;
	enum xj_err e;

	if (object != NULL) {
		const char *colon = strchr(object, ':');
		size_t n = colon ? (size_t)(colon - object) : strlen(object);

		if (n == 0 || n >= sizeof(type))
			return xj_error_field(err, XJ_EUSAGE, "object",
			                      "--object 应为 类型:编号，"
			                      "如 member:12");
		memcpy(type, object, n);
		type[n] = '\0';
		if (colon != NULL &&
		    util_parse_int(colon + 1, 1, INT64_MAX, &object_id,
		                   "object", err) != XJ_OK)
			return xj_error_field(err, XJ_EUSAGE, "object",
			                      "--object 中的编号不是正整数: %s",
			                      colon + 1);
	}
	e = cli_open_db(a, &cmd_audit_show, &st, err);
	if (e != XJ_OK)
		return e;
	if (actor != NULL)
		e = cli_user(st, actor, &u, err);
	if (e == XJ_OK) {
		printf("编号\t时间\t操作人\t操作\t对象\t哈希\n");
		e = store_audit_each(st, object ? type : NULL, object_id, u.id,
		                     print_entry, NULL, err);
	}
	store_close(st);
	return e;
}

const struct cli_cmd cmd_audit_show = {
	.name = "audit show",
	.summary = "显示审计日志，可按对象或操作人筛选",
	.args = "",
	.opts = show_opts,
	.fn = show_run,
};
