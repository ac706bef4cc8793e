#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "xianjiao/hash.h"
#include "xianjiao/store.h"
#include "xianjiao/strbuf.h"

static const struct cli_opt opts[] = {
	{ "db", "FILE", 1, "要创建的 SQLite 数据库文件" },
	{ "force", NULL, 0, "文件已存在时删除并重新创建" },
	{ "admin", "NAME", 0, "首个先教办管理员的用户名（默认 admin）" },
	{ NULL, NULL, 0, NULL },
};

/* Remove path and the WAL files SQLite keeps beside it. */
static enum xj_err remove_db(const char *path, struct xj_error *err)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	struct strbuf sb;
	size_t i;

	strbuf_init(&sb, 4096);
	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		strbuf_reset(&sb);
		if (strbuf_addf(&sb, "%s%s", path, suffix[i]) != XJ_OK) {
			strbuf_release(&sb);
			return xj_error_field(err, XJ_EUSAGE, "db",
			                      "文件名过长: %s", path);
		}
		if (unlink(sb.buf) != 0 && errno != ENOENT) {
			xj_error_set(err, XJ_EIO, "无法删除 %s: %s", sb.buf,
			             strerror(errno));
			strbuf_release(&sb);
			return XJ_EIO;
		}
	}
	strbuf_release(&sb);
	return XJ_OK;
}

/* Shared with `demo`: create a fresh database at path. */
enum xj_err cli_create_db(const char *path, int force, struct store **out,
                          struct xj_error *err);

enum xj_err cli_create_db(const char *path, int force, struct store **out,
                          struct xj_error *err)
{
	struct stat sb;
	enum xj_err rc;

	if (stat(path, &sb) == 0) {
		if (!force)
			return xj_error_field(err, XJ_EEXIST, "db",
			                      "数据库文件已存在: %s（如需覆盖，"
			                      "请加 --force）",
			                      path);
		if (!S_ISREG(sb.st_mode))
			return xj_error_field(err, XJ_EINVAL, "db",
			                      "不是普通文件: %s", path);
		rc = remove_db(path, err);
		if (rc != XJ_OK)
			return rc;
	}
	return store_open(path, STORE_CREATE | STORE_EXCL, out, err);
}

enum xj_err cli_create_admin(struct store *st, const char *login,
                             struct xj_error *err)
{
	char pw[PASSWORD_MAX + 1], hash[PASSWORD_HASH_MAX];
	struct grant g = { 0 };
	int generated;
	enum xj_err e;

	e = cli_password("XJ_ADMIN_PASSWORD", pw, sizeof(pw), &generated, err);
	if (e == XJ_OK)
		e = password_hash(pw, hash, sizeof(hash), err);
	if (e == XJ_OK)
		e = store_begin(st, err);
	if (e != XJ_OK)
		return e;
	e = store_user_insert(st, login, "先教办管理员", hash, 0, &g.user_id,
	                      err);
	g.role = ROLE_OFFICE;
	if (e == XJ_OK)
		e = store_grant_add(st, &g, NULL, err);
	if (e == XJ_OK)
		e = store_commit(st, err);
	if (e != XJ_OK) {
		store_rollback(st);
		return e;
	}
	if (generated)
		printf("先教办管理员: 用户名 %s，初始密码 %s"
		       "（只显示这一次，请登录后修改）\n",
		       login, pw);
	else
		printf("先教办管理员: 用户名 %s，密码取自环境变量 "
		       "XJ_ADMIN_PASSWORD\n",
		       login);
	return XJ_OK;
}

static enum xj_err run(const struct cli_args *a, struct xj_error *err)
{
	const char *path = cli_get(a, &cmd_init, "db");
	const char *admin = cli_get(a, &cmd_init, "admin");
	struct store *st;
	enum xj_err rc;

	if (admin == NULL)
		admin = "admin";
	/* Check the name before anything is created on disk. */
	rc = login_validate(admin, err);
	if (rc != XJ_OK) {
		char why[XJ_ERROR_MSG_MAX];

		memcpy(why, err->msg, sizeof(why));
		return xj_error_field(err, XJ_EUSAGE, "admin", "--admin: %s",
		                      why);
	}
	rc = cli_create_db(path, cli_get(a, &cmd_init, "force") != NULL, &st,
	                   err);
	if (rc != XJ_OK)
		return rc;
	printf("已创建数据库 %s（数据库结构版本 %d）\n", path,
	       store_schema_version(st));
	rc = cli_create_admin(st, admin, err);
	store_close(st);
	if (rc != XJ_OK)
		unlink(path); /* no database without an administrator */
	return rc;
}

const struct cli_cmd cmd_init = {
	.name = "init",
	.summary = "创建新的数据库",
	.args = "",
	.opts = opts,
	.min_pos = 0,
	.max_pos = 0,
	.fn = run,
};
