/*
 * The SQLite backend: opening, migrations, transactions and the prepared
 * statement cache. Connection settings: WAL (readers never block the
 * writer), foreign keys on, a busy timeout so a second process waits
 * rather than fails at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "xianjiao/alloc.h"
#include "xianjiao/hash.h"

#define BUSY_TIMEOUT_MS 5000

int store_schema_latest(void)
{
	return sqlite_migrations[sqlite_migrations_count - 1].version;
}

int store_schema_version(const struct store *st)
{
	return st->version;
}

/* Map an SQLite failure to our error, without SQL text in the message. */
static enum xj_err sqlite_fail(struct store *st, int rc, struct xj_error *err)
{
	int ext = sqlite3_extended_errcode(st->db);
	const char *msg = sqlite3_errmsg(st->db);

	switch (ext) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return xj_error_set(err, XJ_EEXIST, "记录重复: %s", msg);
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return xj_error_set(err, XJ_EINVAL,
		                    "引用的对象不存在 (外键约束)");
	case SQLITE_CONSTRAINT_TRIGGER:
		return xj_error_set(err, XJ_ECONFLICT,
		                    "记录只能追加，不能修改或删除 (%s)", msg);
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_NOTNULL:
		return xj_error_set(err, XJ_EINVAL, "数据不符合约束: %s", msg);
	default:
		break;
	}
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return xj_error_set(err, XJ_ECONFLICT,
		                    "数据库正被其他操作占用，请稍后重试");
	case SQLITE_NOTADB:
		return xj_error_set(err, XJ_ESTORE,
		                    "不是 xianjiao 数据库文件: %s",
		                    sqlite3_db_filename(st->db, "main"));
	default:
		return xj_error_set(err, XJ_ESTORE, "数据库操作失败: %s", msg);
	}
}

static enum xj_err prepare(struct store *st, enum stmt_id id,
                           sqlite3_stmt **out, struct xj_error *err)
{
	int rc;

	if (st->stmt[id] == NULL) {
		rc = sqlite3_prepare_v3(st->db, sqlite_sql[id], -1,
		                        SQLITE_PREPARE_PERSISTENT,
		                        &st->stmt[id], NULL);
		if (rc != SQLITE_OK)
			return sqlite_fail(st, rc, err);
	}
	*out = st->stmt[id];
	return XJ_OK;
}

static enum xj_err bind(struct store *st, sqlite3_stmt *s, const struct sval *p,
                        int n, struct xj_error *err)
{
	int i, rc = SQLITE_OK;

	for (i = 0; i < n && rc == SQLITE_OK; i++) {
		switch (p[i].t) {
		case SV_NULL:
			rc = sqlite3_bind_null(s, i + 1);
			break;
		case SV_INT:
			rc = sqlite3_bind_int64(s, i + 1, p[i].i);
			break;
		case SV_TEXT:
			rc = sqlite3_bind_text(s, i + 1, p[i].s, -1,
			                       SQLITE_STATIC);
			break;
		case SV_BLOB:
			rc = sqlite3_bind_blob64(s, i + 1, p[i].s,
			                         (sqlite3_uint64)p[i].i,
			                         SQLITE_STATIC);
			break;
		}
	}
	return rc == SQLITE_OK ? XJ_OK : sqlite_fail(st, rc, err);
}

static void done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/* Prepare, bind and take the first step; *row tells if a row is ready. */
static enum xj_err step(struct store *st, enum stmt_id id, const struct sval *p,
                        int n, sqlite3_stmt **out, int *row,
                        struct xj_error *err)
{
	sqlite3_stmt *s = NULL;
	enum xj_err e;
	int rc;

	e = prepare(st, id, &s, err);
	if (e != XJ_OK)
		return e;
	e = bind(st, s, p, n, err);
	if (e != XJ_OK) {
		done(s);
		return e;
	}
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		e = sqlite_fail(st, rc, err);
		done(s);
		return e;
	}
	*row = rc == SQLITE_ROW;
	*out = s;
	return XJ_OK;
}

enum xj_err st_exec(struct store *st, enum stmt_id id, const struct sval *p,
                    int n, struct xj_error *err)
{
	sqlite3_stmt *s = NULL;
	enum xj_err e;
	int row;

	e = step(st, id, p, n, &s, &row, err);
	if (e == XJ_OK)
		done(s);
	return e;
}

enum xj_err st_int(struct store *st, enum stmt_id id, const struct sval *p,
                   int n, int64_t *out, int *found, struct xj_error *err)
{
	sqlite3_stmt *s = NULL;
	enum xj_err e;
	int row;

	e = step(st, id, p, n, &s, &row, err);
	if (e != XJ_OK)
		return e;
	if (row)
		*out = sqlite3_column_int64(s, 0);
	if (found != NULL)
		*found = row;
	done(s);
	if (!row && found == NULL)
		return xj_error_set(err, XJ_EINTERNAL, "查询没有返回结果");
	return XJ_OK;
}

enum xj_err st_text(struct store *st, enum stmt_id id, const struct sval *p,
                    int n, char *buf, size_t size, int *found,
                    struct xj_error *err)
{
	sqlite3_stmt *s = NULL;
	enum xj_err e;
	int row;

	e = step(st, id, p, n, &s, &row, err);
	if (e != XJ_OK)
		return e;
	if (row) {
		const unsigned char *t = sqlite3_column_text(s, 0);

		snprintf(buf, size, "%s", t ? (const char *)t : "");
	}
	*found = row;
	done(s);
	return XJ_OK;
}

int64_t st_last_id(struct store *st)
{
	return sqlite3_last_insert_rowid(st->db);
}

int st_changes(struct store *st)
{
	return sqlite3_changes(st->db);
}

struct st_row {
	sqlite3_stmt *s;
};

int64_t st_row_int(const struct st_row *r, int col)
{
	return sqlite3_column_int64(r->s, col);
}

const char *st_row_text(const struct st_row *r, int col)
{
	const unsigned char *t = sqlite3_column_text(r->s, col);

	return t != NULL ? (const char *)t : "";
}

int st_row_is_null(const struct st_row *r, int col)
{
	return sqlite3_column_type(r->s, col) == SQLITE_NULL;
}

const void *st_row_blob(const struct st_row *r, int col, size_t *len)
{
	const void *b = sqlite3_column_blob(r->s, col);

	*len = (size_t)sqlite3_column_bytes(r->s, col);
	return b;
}

enum xj_err st_each(struct store *st, enum stmt_id id, const struct sval *p,
                    int n, int (*fn)(void *ctx, const struct st_row *r),
                    void *ctx, struct xj_error *err)
{
	struct st_row row;
	sqlite3_stmt *s = NULL;
	enum xj_err e;
	int more, rc;

	e = step(st, id, p, n, &s, &more, err);
	if (e != XJ_OK)
		return e;
	row.s = s;
	while (more) {
		if (fn(ctx, &row) != 0)
			break;
		rc = sqlite3_step(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			e = sqlite_fail(st, rc, err);
			break;
		}
		more = rc == SQLITE_ROW;
	}
	done(s);
	return e;
}

enum xj_err store_begin(struct store *st, struct xj_error *err)
{
	enum xj_err e;

	if (st->in_tx)
		return xj_error_set(err, XJ_EINTERNAL, "事务已经开始");
	e = st_exec(st, STMT_BEGIN, NULL, 0, err);
	st->audit_known = 0;
	if (e == XJ_OK)
		st->in_tx = 1;
	return e;
}

enum xj_err store_commit(struct store *st, struct xj_error *err)
{
	enum xj_err e;

	if (!st->in_tx)
		return xj_error_set(err, XJ_EINTERNAL, "没有进行中的事务");
	e = st_exec(st, STMT_COMMIT, NULL, 0, err);
	st->audit_known = 0;
	if (e == XJ_OK)
		st->in_tx = 0;
	return e;
}

void store_rollback(struct store *st)
{
	if (!st->in_tx)
		return;
	/* A failed statement may already have ended the transaction. */
	if (!sqlite3_get_autocommit(st->db))
		st_exec(st, STMT_ROLLBACK, NULL, 0, NULL);
	st->in_tx = 0;
	st->audit_known = 0;
}

static enum xj_err read_version(struct store *st, int *version,
                                struct xj_error *err)
{
	int64_t exists, v = 0;
	enum xj_err e;

	e = st_int(st, STMT_SCHEMA_TABLE_EXISTS, NULL, 0, &exists, NULL, err);
	if (e != XJ_OK)
		return e;
	if (exists) {
		e = st_int(st, STMT_SCHEMA_VERSION, NULL, 0, &v, NULL, err);
		if (e != XJ_OK)
			return e;
	}
	*version = (int)v;
	return XJ_OK;
}

/* Apply every migration newer than the database, all in one transaction:
 * either the database reaches the latest version or it stays as it was. */
static enum xj_err migrate(struct store *st, struct xj_error *err)
{
	enum xj_err e;
	int i, version;
	char *msg = NULL;

	e = store_begin(st, err);
	if (e != XJ_OK)
		return e;
	e = read_version(st, &version, err);
	if (e != XJ_OK)
		goto out;
	if (version > store_schema_latest()) {
		e = xj_error_set(err, XJ_ESCHEMA,
		                 "数据库结构版本 %d 高于本程序支持的版本 %d，"
		                 "请使用更新版本的 xianjiao 打开",
		                 version, store_schema_latest());
		goto out;
	}
	for (i = 0; i < sqlite_migrations_count; i++) {
		const struct migration *m = &sqlite_migrations[i];
		struct sval p[2];

		if (m->version <= version)
			continue;
		if (sqlite3_exec(st->db, m->sql, NULL, NULL, &msg) !=
		    SQLITE_OK) {
			e = xj_error_set(err, XJ_ESTORE,
			                 "数据库升级到版本 %d 失败: %s",
			                 m->version, msg ? msg : "");
			sqlite3_free(msg);
			goto out;
		}
		p[0] = SV_INT(m->version);
		p[1] = SV_TEXT(m->summary);
		e = st_exec(st, STMT_SCHEMA_RECORD, p, 2, err);
		if (e != XJ_OK)
			goto out;
		version = m->version;
	}
	e = store_commit(st, err);
	if (e == XJ_OK)
		st->version = version;
out:
	if (e != XJ_OK)
		store_rollback(st);
	return e;
}

static enum xj_err pragma(struct store *st, const char *sql,
                          struct xj_error *err)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? XJ_OK : sqlite_fail(st, rc, err);
}

enum xj_err store_open(const char *path, int flags, struct store **out,
                       struct xj_error *err)
{
	struct store *st;
	enum xj_err e;
	int rc, oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX;

	*out = NULL;
	if (path == NULL || path[0] == '\0')
		return xj_error_field(err, XJ_EUSAGE, "db", "未指定数据库文件");
	if ((flags & STORE_CREATE) && (flags & STORE_EXCL)) {
		/* O_EXCL makes "refuse an existing file" atomic. */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);

		if (fd < 0)
			return xj_error_field(
			    err, errno == EEXIST ? XJ_EEXIST : XJ_EIO, "db",
			    "无法创建数据库文件 %s: %s", path,
			    errno == EEXIST ? "文件已存在" : strerror(errno));
		close(fd);
	} else if (flags & STORE_CREATE) {
		oflags |= SQLITE_OPEN_CREATE;
	} else if (access(path, F_OK) != 0) {
		return xj_error_field(err, XJ_ENOTFOUND, "db",
		                      "数据库文件不存在: %s（请先运行 "
		                      "xianjiao init --db %s）",
		                      path, path);
	}
	e = hash_init(err);
	if (e != XJ_OK)
		return e;
	st = xcalloc(1, sizeof(*st));
	rc = sqlite3_open_v2(path, &st->db, oflags, NULL);
	if (rc != SQLITE_OK) {
		e = xj_error_field(
		    err, XJ_EIO, "db", "无法打开数据库 %s: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : "内存不足");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	e = pragma(st, "PRAGMA foreign_keys = ON", err);
	if (e == XJ_OK)
		e = pragma(st, "PRAGMA journal_mode = WAL", err);
	if (e == XJ_OK)
		e = pragma(st, "PRAGMA synchronous = NORMAL", err);
	if (e == XJ_OK)
		e = migrate(st, err);
	if (e != XJ_OK)
		goto fail;
	*out = st;
	return XJ_OK;
fail:
	store_close(st);
	if ((flags & STORE_CREATE) && (flags & STORE_EXCL))
		unlink(path); /* we made it; leave nothing half-created */
	return e;
}

void store_close(struct store *st)
{
	int i;

	if (st == NULL)
		return;
	store_rollback(st);
	for (i = 0; i < STMT__MAX; i++)
		sqlite3_finalize(st->stmt[i]);
	sqlite3_close(st->db);
	free(st);
}
