/*
 * The audit log: one entry per write, in the write's transaction, chained
 * by SHA-256 so that editing, inserting, deleting or reordering entries
 * breaks the chain (store.h, store_audit_verify).
 *
 *   hash(n) = SHA-256(prev_hash "\n" id "\n" at "\n" actor "\n" action
 *                     "\n" object_type "\n" object_id "\n" digest)
 *   prev_hash(1) = 64 zeros; prev_hash(n) = hash(n - 1)
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "xianjiao/date.h"
#include "xianjiao/hash.h"
#include "xianjiao/strbuf.h"

#define GENESIS                                                                \
	"0000000000000000000000000000000000000000000000000000000000000000"

void store_set_actor(struct store *st, int64_t user_id)
{
	st->actor = user_id;
}

static void chain_hash(const char *prev, int64_t id, const char *at,
                       int64_t actor, const char *action, const char *type,
                       int64_t object_id, const char *digest, char *out)
{
	struct sha256_ctx c;
	char num[3][24];

	snprintf(num[0], sizeof(num[0]), "%lld", (long long)id);
	snprintf(num[1], sizeof(num[1]), "%lld", (long long)actor);
	snprintf(num[2], sizeof(num[2]), "%lld", (long long)object_id);
	sha256_begin(&c);
	sha256_add(&c, prev, strlen(prev));
	sha256_add(&c, "\n", 1);
	sha256_add(&c, num[0], strlen(num[0]));
	sha256_add(&c, "\n", 1);
	sha256_add(&c, at, strlen(at));
	sha256_add(&c, "\n", 1);
	sha256_add(&c, num[1], strlen(num[1]));
	sha256_add(&c, "\n", 1);
	sha256_add(&c, action, strlen(action));
	sha256_add(&c, "\n", 1);
	sha256_add(&c, type, strlen(type));
	sha256_add(&c, "\n", 1);
	sha256_add(&c, num[2], strlen(num[2]));
	sha256_add(&c, "\n", 1);
	sha256_add(&c, digest, strlen(digest));
	sha256_end_hex(&c, out);
}

struct last {
	int64_t id;
	char hash[SHA256_HEX_LEN];
};

static int take_last(void *ctx, const struct st_row *r)
{
	struct last *l = ctx;

	l->id = st_row_int(r, 0);
	snprintf(l->hash, sizeof(l->hash), "%s", st_row_text(r, 1));
	return 1;
}

enum xj_err audit_append(struct store *st, const char *action,
                         const char *object_type, int64_t object_id,
                         struct xj_error *err, const char *fmt, ...)
{
	char digest[SHA256_HEX_LEN], hash[SHA256_HEX_LEN];
	char at[TIMESTAMP_STR_LEN];
	struct last last = { 0, GENESIS };
	struct strbuf state;
	struct sval p[9];
	va_list ap;
	enum xj_err e;

	/* The digested state is formatted into a bounded buffer. */
	strbuf_init(&state, 1u << 20);
	va_start(ap, fmt);
	e = strbuf_vaddf(&state, fmt, ap);
	va_end(ap);
	if (e != XJ_OK) {
		strbuf_release(&state);
		return xj_error_set(err, e, "审计记录内容过长");
	}
	sha256_hex(state.buf, state.len, digest);
	strbuf_release(&state);

	if (st->audit_known) {
		last.id = st->audit_last_id;
		memcpy(last.hash, st->audit_last_hash, sizeof(last.hash));
	} else {
		e = st_each(st, STMT_AUDIT_LAST, NULL, 0, take_last, &last,
		            err);
		if (e != XJ_OK)
			return e;
	}
	timestamp_format(time(NULL), at);
	chain_hash(last.hash, last.id + 1, at, st->actor, action, object_type,
	           object_id, digest, hash);
	p[0] = SV_INT(last.id + 1);
	p[1] = SV_STR(at);
	p[2] = SV_ID(st->actor);
	p[3] = SV_TEXT(action);
	p[4] = SV_TEXT(object_type);
	p[5] = SV_ID(object_id);
	p[6] = SV_STR(digest);
	p[7] = SV_STR(last.hash);
	p[8] = SV_STR(hash);
	e = st_exec(st, STMT_AUDIT_INSERT, p, 9, err);
	if (e == XJ_OK && st->in_tx) {
		st->audit_known = 1;
		st->audit_last_id = last.id + 1;
		memcpy(st->audit_last_hash, hash, sizeof(st->audit_last_hash));
	}
	return e;
}

struct each_ctx {
	int (*fn)(void *ctx, const struct audit_entry *e);
	void *ctx;
};

static void entry_from_row(const struct st_row *r, struct audit_entry *e)
{
	e->id = st_row_int(r, 0);
	e->at = st_row_text(r, 1);
	e->actor_id = st_row_int(r, 2);
	e->actor_login = st_row_text(r, 3);
	e->action = st_row_text(r, 4);
	e->object_type = st_row_text(r, 5);
	e->object_id = st_row_int(r, 6);
	e->digest = st_row_text(r, 7);
	e->prev_hash = st_row_text(r, 8);
	e->hash = st_row_text(r, 9);
}

static int each_row(void *ctx, const struct st_row *r)
{
	struct each_ctx *c = ctx;
	struct audit_entry e;

	entry_from_row(r, &e);
	return c->fn(c->ctx, &e);
}

enum xj_err store_audit_each(struct store *st, const char *object_type,
                             int64_t object_id, int64_t actor_id,
                             int (*fn)(void *ctx, const struct audit_entry *e),
                             void *ctx, struct xj_error *err)
{
	struct each_ctx c = { fn, ctx };
	struct sval p[3];

	p[0] = SV_TEXT(object_type);
	p[1] = SV_ID(object_id);
	p[2] = SV_ID(actor_id);
	return st_each(st, STMT_AUDIT_SELECT, p, 3, each_row, &c, err);
}

static int verify_row(void *ctx, const struct audit_entry *e)
{
	struct audit_check *c = ctx;
	char want[SHA256_HEX_LEN];
	const char *prev = c->count == 0 ? GENESIS : c->head;

	c->count++;
	if (e->id != c->count) {
		snprintf(c->reason, sizeof(c->reason),
		         c->count == 1 || e->id > c->count
		             ? "编号不连续：第 %lld 条之前的记录被删除"
		             : "编号顺序异常：第 %lld 条记录被插入或调换",
		         (long long)c->count);
		goto bad;
	}
	if (strcmp(e->prev_hash, prev) != 0) {
		snprintf(c->reason, sizeof(c->reason),
		         "与前一条记录的哈希链接不符：记录被插入、删除或调换");
		goto bad;
	}
	chain_hash(e->prev_hash, e->id, e->at, e->actor_id, e->action,
	           e->object_type, e->object_id, e->digest, want);
	if (strcmp(want, e->hash) != 0) {
		snprintf(c->reason, sizeof(c->reason),
		         "内容与哈希不符：记录被修改");
		goto bad;
	}
	snprintf(c->head, sizeof(c->head), "%s", e->hash);
	return 0;
bad:
	c->broken = 1;
	c->bad_id = e->id;
	c->bad_pos = c->count;
	return 1;
}

enum xj_err store_audit_verify(struct store *st, struct audit_check *out,
                               struct xj_error *err)
{
	memset(out, 0, sizeof(*out));
	return store_audit_each(st, NULL, 0, 0, verify_row, out, err);
}
