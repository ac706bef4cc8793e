/* Helpers shared by the commands: opening the database, finding users,
 * organisations and 系统 by the names people type, passwords. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <jansson.h>

#include "cli.h"
#include "xianjiao/import.h"
#include "xianjiao/table.h"
#include "xianjiao/alloc.h"
#include "xianjiao/hash.h"
#include "xianjiao/plan.h"
#include "xianjiao/store.h"

enum xj_err cli_open_db(const struct cli_args *a, const struct cli_cmd *c,
                        struct store **st, struct xj_error *err)
{
	return store_open(cli_get(a, c, "db"), 0, st, err);
}

enum xj_err cli_user(struct store *st, const char *login, struct user *u,
                     struct xj_error *err)
{
	enum xj_err e;
	int found;

	e = store_user_by_login(st, login, u, &found, err);
	if (e == XJ_OK && !found)
		e = xj_error_field(err, XJ_ENOTFOUND, "login", "用户不存在: %s",
		                   login);
	return e;
}

enum xj_err cli_as_user(struct store *st, const char *login, int64_t *user,
                        unsigned *mask, struct xj_error *err)
{
	struct grant g[32];
	struct user u;
	int i, n = 0;
	enum xj_err e;

	*user = 0;
	*mask = ROLE_ALL;
	if (login == NULL)
		return XJ_OK;
	e = cli_user(st, login, &u, err);
	if (e == XJ_OK && u.disabled)
		e = xj_error_field(err, XJ_EFORBIDDEN, "as", "用户 %s 已停用",
		                   login);
	if (e == XJ_OK)
		e = store_grants_of(st, u.id, g, 32, &n, err);
	if (e != XJ_OK)
		return e;
	*user = u.id;
	*mask = 0;
	for (i = 0; i < n; i++)
		*mask |= ROLE_BIT(g[i].role);
	return XJ_OK;
}

enum xj_err cli_grant_scope(struct store *st, const struct cli_args *a,
                            const struct cli_cmd *c, struct grant *g,
                            struct xj_error *err)
{
	const char *role = cli_get(a, c, "role");
	const char *org = cli_get(a, c, "org");
	const char *sys = cli_get(a, c, "system");
	enum xj_err e;
	int r = role_parse(role);

	if (r < 0)
		return xj_error_field(err, XJ_EUSAGE, "role",
		                      "未知角色 \"%s\"（可用: office 先教办, "
		                      "supervisor 督导组, unit 单位, "
		                      "secretary 支部书记, member 党员）",
		                      role);
	g->role = (enum role)r;
	g->org_id = g->system_id = 0;
	if (org != NULL) {
		e = store_org_by_code(st, org, &g->org_id, err);
		if (e != XJ_OK)
			return e;
		if (g->org_id == 0)
			return xj_error_field(err, XJ_ENOTFOUND, "org",
			                      "组织代码不存在: %s", org);
	}
	if (sys != NULL) {
		e = store_system_by_name(st, sys, &g->system_id, err);
		if (e != XJ_OK)
			return e;
		if (g->system_id == 0)
			return xj_error_field(err, XJ_ENOTFOUND, "system",
			                      "系统不存在: %s", sys);
	}
	return XJ_OK;
}

enum xj_err cli_password(const char *env, char *out, size_t size,
                         int *generated, struct xj_error *err)
{
	const char *p = getenv(env);

	*generated = 0;
	if (p != NULL) {
		if (strlen(p) >= size)
			return xj_error_field(err, XJ_EINVAL, "password",
			                      "环境变量 %s 中的密码过长", env);
		snprintf(out, size, "%s", p);
		return XJ_OK;
	}
	if (size < 17)
		return xj_error_set(err, XJ_EINTERNAL, "密码缓冲区过小");
	random_hex(out, 8);
	*generated = 1;
	return XJ_OK;
}

enum xj_err cli_with_db(const struct cli_cmd *c, const struct cli_args *a,
                        cli_op op, struct xj_error *err)
{
	struct store *st;
	enum xj_err e = cli_open_db(a, c, &st, err);

	if (e != XJ_OK)
		return e;
	e = store_begin(st, err);
	if (e == XJ_OK)
		e = op(st, a, err);
	if (e == XJ_OK)
		e = store_commit(st, err);
	if (e != XJ_OK)
		store_rollback(st);
	store_close(st);
	return e;
}

/* Plans are small; a file beyond this is not a plan. */
#define PLAN_FILE_MAX (4 << 20)

enum xj_err cli_read_plan(const char *path, char **text, struct plan **plan,
                          struct xj_error *err)
{
	struct plan_problems probs;
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	enum xj_err e;
	int i;

	*text = NULL;
	*plan = NULL;
	if (f == NULL)
		return xj_error_set(err, XJ_EIO, "无法打开方案文件 %s", path);
	buf = xmalloc(PLAN_FILE_MAX + 1);
	n = fread(buf, 1, PLAN_FILE_MAX + 1, f);
	fclose(f);
	if (n > PLAN_FILE_MAX) {
		free(buf);
		return xj_error_set(err, XJ_ETOOLARGE,
		                    "%s 超过 4 MiB，不是方案文件", path);
	}
	buf[n] = '\0';
	e = plan_parse(buf, n, path, plan, &probs, err);
	if (e != XJ_OK) {
		for (i = 0; i < probs.n; i++)
			fprintf(stderr, "%s:%d:%d: %s\n", path, probs.p[i].line,
			        probs.p[i].column, probs.p[i].msg);
		free(buf);
		return e;
	}
	*text = buf;
	return XJ_OK;
}

enum xj_err cli_write_file(const char *path, const char *data, size_t len,
                           struct xj_error *err)
{
	FILE *f = path ? fopen(path, "wb") : stdout;
	int bad;

	if (f == NULL)
		return xj_error_set(err, XJ_EIO, "无法写入 %s: %s", path,
		                    strerror(errno));
	bad = fwrite(data, 1, len, f) != len;
	if (path != NULL)
		bad |= fclose(f) != 0;
	else
		bad |= fflush(f) != 0;
	if (bad)
		return xj_error_set(err, XJ_EIO, "写入 %s 失败",
		                    path ? path : "标准输出");
	return XJ_OK;
}

enum xj_err cli_read_table(const char *path, const char *encoding,
                           struct table *t, struct xj_error *err)
{
	enum table_encoding enc = TABLE_ENC_AUTO;
	struct table_limits lim;
	unsigned char magic[4] = { 0 };
	size_t n;
	FILE *f;

	if (encoding != NULL) {
		if (strcmp(encoding, "utf8") == 0 ||
		    strcmp(encoding, "utf-8") == 0)
			enc = TABLE_ENC_UTF8;
		else if (strcmp(encoding, "gbk") == 0 ||
		         strcmp(encoding, "gb18030") == 0)
			enc = TABLE_ENC_GB18030;
		else if (strcmp(encoding, "auto") != 0)
			return xj_error_field(err, XJ_EUSAGE, "encoding",
			                      "--encoding 应为 auto、utf8 或 "
			                      "gbk");
	}
	table_limits_default(&lim);
	f = fopen(path, "rb");
	if (f == NULL)
		return xj_error_set(err, XJ_EIO, "无法打开 %s: %s", path,
		                    strerror(errno));
	n = fread(magic, 1, sizeof(magic), f);
	fclose(f);
	return table_read_file(path, table_sniff(magic, n), enc, &lim, t, err);
}

void cli_print_problems(const struct table *t, const struct import_result *res,
                        const char *errors)
{
	char *data;
	size_t i, len;
	struct xj_error e2;

	for (i = 0; i < res->nlisted; i++)
		fprintf(stderr, "第 %ld 行%s%s%s: %s\n", res->problems[i].row,
		        res->problems[i].column[0] ? "“" : "",
		        res->problems[i].column,
		        res->problems[i].column[0] ? "”列" : "",
		        res->problems[i].reason);
	if (res->nproblems > res->nlisted)
		fprintf(stderr, "……另有 %zu 处错误未列出\n",
		        res->nproblems - res->nlisted);
	if (errors == NULL ||
	    import_error_file(t, res, t->format, &data, &len, &e2) != XJ_OK)
		return;
	if (cli_write_file(errors, data, len, &e2) == XJ_OK)
		fprintf(stderr, "出错的行已写入 %s，修改后可直接导入该文件\n",
		        errors);
	free(data);
}

const char *cli_jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

json_int_t cli_jint(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

void cli_print_json(const json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	if (s != NULL) {
		puts(s);
		free(s);
	}
}
