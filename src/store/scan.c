/*
 * scan.c - bulk reads for the evaluation engine, one query per table,
 * and the plans (方案) table.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/hash.h"

struct scan_ctx {
	void *fn;
	void *ctx;
	struct xj_error *err;
	enum xj_err bad; /* a row the store should never hold */
	int listing;     /* rows carry entered_by and superseded_by */
	int64_t rows;
};

static int bad_row(struct scan_ctx *c, enum xj_err e)
{
	c->bad = e;
	return 1;
}

static int take_org(void *ctx, const struct st_row *r)
{
	struct scan_ctx *c = ctx;
	int (*fn)(void *, const struct scan_org *) =
	    (int (*)(void *, const struct scan_org *))c->fn;
	struct scan_org o;

	o.id = st_row_int(r, 0);
	o.parent_id = st_row_int(r, 1);
	o.type = (enum org_type)st_row_int(r, 2);
	o.is_unit = (int)st_row_int(r, 3);
	o.system_id = st_row_int(r, 4);
	o.batch_ordinal = (int)st_row_int(r, 5);
	o.name = st_row_text(r, 6);
	o.code = st_row_text(r, 7);
	return fn(c->ctx, &o);
}

enum xj_err store_scan_orgs(struct store *st,
                            int (*fn)(void *ctx, const struct scan_org *o),
                            void *ctx, struct xj_error *err)
{
	struct scan_ctx c = { (void *)fn, ctx, err, XJ_OK, 0, 0 };

	return st_each(st, STMT_SCAN_ORGS, NULL, 0, take_org, &c, err);
}

static int take_member(void *ctx, const struct st_row *r)
{
	struct scan_ctx *c = ctx;
	int (*fn)(void *, const struct scan_member *) =
	    (int (*)(void *, const struct scan_member *))c->fn;
	struct scan_member m;

	m.id = st_row_int(r, 0);
	m.org_id = st_row_int(r, 1);
	m.name = st_row_text(r, 2);
	m.categories = (uint32_t)st_row_int(r, 3);
	m.absence_months = (int)st_row_int(r, 4);
	return fn(c->ctx, &m);
}

enum xj_err store_scan_members(struct store *st,
                               int (*fn)(void *ctx,
                                         const struct scan_member *m),
                               void *ctx, struct xj_error *err)
{
	struct scan_ctx c = { (void *)fn, ctx, err, XJ_OK, 0, 0 };

	return st_each(st, STMT_SCAN_MEMBERS, NULL, 0, take_member, &c, err);
}

static int take_movement(void *ctx, const struct st_row *r)
{
	struct scan_ctx *c = ctx;
	int (*fn)(void *, const struct scan_movement *) =
	    (int (*)(void *, const struct scan_movement *))c->fn;
	struct scan_movement mv;

	mv.member_id = st_row_int(r, 0);
	mv.kind = (enum movement_kind)st_row_int(r, 1);
	if (date_parse(st_row_text(r, 2), &mv.on_date, "on_date", c->err) !=
	    XJ_OK)
		return bad_row(c, XJ_ESTORE);
	mv.from_org = st_row_int(r, 3);
	mv.to_org = st_row_int(r, 4);
	return fn(c->ctx, &mv);
}

enum xj_err store_scan_movements(struct store *st,
                                 int (*fn)(void *ctx,
                                           const struct scan_movement *mv),
                                 void *ctx, struct xj_error *err)
{
	struct scan_ctx c = { (void *)fn, ctx, err, XJ_OK, 0, 0 };
	enum xj_err e;

	e = st_each(st, STMT_SCAN_MOVEMENTS, NULL, 0, take_movement, &c, err);
	return e != XJ_OK ? e : c.bad;
}

static int take_record(void *ctx, const struct st_row *r)
{
	struct scan_ctx *c = ctx;
	int (*fn)(void *, const struct scan_record *) =
	    (int (*)(void *, const struct scan_record *))c->fn;
	struct scan_record rec;

	rec.id = st_row_int(r, 0);
	rec.kind = st_row_text(r, 1);
	rec.org_id = st_row_int(r, 2);
	rec.member_id = st_row_int(r, 3);
	if (date_parse(st_row_text(r, 4), &rec.happened_on, "happened_on",
	               c->err) != XJ_OK ||
	    timestamp_parse(st_row_text(r, 5), &rec.entered_at, "entered_at",
	                    c->err) != XJ_OK) {
		if (c->err)
			c->err->row = (long)rec.id;
		return bad_row(c, XJ_ESTORE);
	}
	rec.supersedes = st_row_int(r, 6);
	rec.payload = st_row_text(r, 7);
	rec.entered_by = c->listing ? st_row_int(r, 8) : 0;
	rec.superseded_by = c->listing ? st_row_int(r, 9) : 0;
	rec.session_id = c->listing ? st_row_int(r, 10) : 0;
	c->rows++;
	return fn(c->ctx, &rec);
}

enum xj_err store_scan_records(struct store *st,
                               int (*fn)(void *ctx,
                                         const struct scan_record *r),
                               void *ctx, struct xj_error *err)
{
	struct scan_ctx c = { (void *)fn, ctx, err, XJ_OK, 0, 0 };
	enum xj_err e;

	e = st_each(st, STMT_SCAN_RECORDS, NULL, 0, take_record, &c, err);
	return e != XJ_OK ? e : c.bad;
}

enum xj_err store_scan_records_after(struct store *st, int64_t after,
                                     int (*fn)(void *ctx,
                                               const struct scan_record *r),
                                     void *ctx, struct xj_error *err)
{
	struct scan_ctx c = { (void *)fn, ctx, err, XJ_OK, 0, 0 };
	struct sval p[1] = { SV_INT(after) };
	enum xj_err e;

	e = st_each(st, STMT_SCAN_RECORDS_AFTER, p, 1, take_record, &c, err);
	return e != XJ_OK ? e : c.bad;
}

static int take_max_ids(void *ctx, const struct st_row *r)
{
	int64_t **out = ctx;

	*out[0] = st_row_int(r, 0);
	*out[1] = st_row_int(r, 1);
	*out[2] = st_row_int(r, 2);
	return 1;
}

enum xj_err store_max_ids(struct store *st, int64_t *org, int64_t *member,
                          int64_t *record, struct xj_error *err)
{
	int64_t *out[3] = { org, member, record };

	*org = *member = *record = 0;
	return st_each(st, STMT_MAX_IDS, NULL, 0, take_max_ids, out, err);
}

/* --- the engine's snapshot ---------------------------------------------- */

struct snap_head_ctx {
	struct store_snapshot *s;
	int found;
};

static void copy_hex(char *dst, const char *src)
{
	size_t n = strlen(src);

	if (n > 64)
		n = 64;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int take_snap_head(void *ctx, const struct st_row *r)
{
	struct snap_head_ctx *c = ctx;
	struct store_snapshot *s = c->s;

	s->format = (int)st_row_int(r, 0);
	s->schema_version = (int)st_row_int(r, 1);
	copy_hex(s->layout, st_row_text(r, 2));
	s->last_record_id = st_row_int(r, 3);
	s->nrec = st_row_int(r, 4);
	s->live = st_row_int(r, 5);
	s->nslots = (int)st_row_int(r, 6);
	s->bytes = st_row_int(r, 7);
	s->nchunks = st_row_int(r, 8);
	copy_hex(s->digest, st_row_text(r, 9));
	c->found = 1;
	return 1;
}

enum xj_err store_snapshot_head(struct store *st, struct store_snapshot *s,
                                int *found, struct xj_error *err)
{
	struct snap_head_ctx c = { s, 0 };
	enum xj_err e;

	memset(s, 0, sizeof(*s));
	e = st_each(st, STMT_SNAPSHOT_HEAD, NULL, 0, take_snap_head, &c, err);
	*found = c.found;
	return e;
}

struct snap_chunk_ctx {
	int (*fn)(void *ctx, int64_t seq, const void *data, size_t len);
	void *ctx;
};

static int take_snap_chunk(void *ctx, const struct st_row *r)
{
	struct snap_chunk_ctx *c = ctx;
	size_t len;
	const void *data = st_row_blob(r, 1, &len);

	return c->fn(c->ctx, st_row_int(r, 0), data, len);
}

enum xj_err store_snapshot_chunks(struct store *st,
                                  int (*fn)(void *ctx, int64_t seq,
                                            const void *data, size_t len),
                                  void *ctx, struct xj_error *err)
{
	struct snap_chunk_ctx c = { fn, ctx };

	return st_each(st, STMT_SNAPSHOT_CHUNKS, NULL, 0, take_snap_chunk, &c,
	               err);
}

enum xj_err store_snapshot_clear(struct store *st, struct xj_error *err)
{
	enum xj_err e = st_exec(st, STMT_SNAPSHOT_HEAD_DELETE, NULL, 0, err);

	if (e == XJ_OK)
		e = st_exec(st, STMT_SNAPSHOT_CHUNKS_DELETE, NULL, 0, err);
	return e;
}

enum xj_err store_snapshot_chunk_put(struct store *st, int64_t seq,
                                     const void *data, size_t len,
                                     struct xj_error *err)
{
	struct sval p[2] = { SV_INT(seq), SV_BLOB(data, (int64_t)len) };

	return st_exec(st, STMT_SNAPSHOT_CHUNK_INSERT, p, 2, err);
}

enum xj_err store_snapshot_head_put(struct store *st,
                                    const struct store_snapshot *s,
                                    struct xj_error *err)
{
	struct sval p[10] = {
		SV_INT(s->format),  SV_INT(s->schema_version),
		SV_STR(s->layout),  SV_INT(s->last_record_id),
		SV_INT(s->nrec),    SV_INT(s->live),
		SV_INT(s->nslots),  SV_INT(s->bytes),
		SV_INT(s->nchunks), SV_STR(s->digest),
	};

	return st_exec(st, STMT_SNAPSHOT_HEAD_INSERT, p, 10, err);
}

enum xj_err store_plan_install(struct store *st, const char *text, int64_t *id,
                               struct xj_error *err)
{
	char hex[SHA256_HEX_LEN];
	struct sval p[2];
	enum xj_err e;

	sha256_hex(text, strlen(text), hex);
	p[0] = SV_STR(hex);
	p[1] = SV_STR(text);
	e = st_exec(st, STMT_PLAN_INSERT, p, 2, err);
	if (e != XJ_OK)
		return e;
	*id = st_last_id(st);
	return audit_append(st, "plan.install", "plan", *id, err, "sha256 %s",
	                    hex);
}

static int take_text(void *ctx, const struct st_row *r)
{
	char **out = ctx;

	*out = xstrdup(st_row_text(r, 0));
	return 1;
}

enum xj_err store_plan_current(struct store *st, char **text, int *found,
                               struct xj_error *err)
{
	enum xj_err e;

	*text = NULL;
	e = st_each(st, STMT_PLAN_CURRENT, NULL, 0, take_text, text, err);
	if (e != XJ_OK) {
		free(*text);
		*text = NULL;
	}
	*found = *text != NULL;
	return e;
}

enum xj_err store_record_get(struct store *st, int64_t id,
                             int (*fn)(void *ctx, const struct scan_record *r),
                             void *ctx, int *found, struct xj_error *err)
{
	struct scan_ctx c = { (void *)fn, ctx, err, XJ_OK, 1, 0 };
	struct sval p[1] = { SV_INT(id) };
	enum xj_err e;

	e = st_each(st, STMT_RECORD_GET, p, 1, take_record, &c, err);
	*found = c.rows > 0;
	return e != XJ_OK ? e : c.bad;
}

enum xj_err
store_records_list(struct store *st, const char *kind, int64_t member_id,
                   int64_t org_id, int current_only, int64_t before, int limit,
                   int (*fn)(void *ctx, const struct scan_record *r), void *ctx,
                   struct xj_error *err)
{
	struct scan_ctx c = { (void *)fn, ctx, err, XJ_OK, 1, 0 };
	struct sval p[6] = { SV_TEXT(kind),  SV_INT(member_id),
		             SV_INT(org_id), SV_INT(current_only != 0),
		             SV_INT(before), SV_INT(limit) };
	enum xj_err e;

	e = st_each(st, STMT_RECORDS_LIST, p, 6, take_record, &c, err);
	return e != XJ_OK ? e : c.bad;
}

enum xj_err store_member_day_hours(struct store *st, int64_t member_id,
                                   const char *kind, int32_t day,
                                   int64_t except_id, int64_t *centi,
                                   struct xj_error *err)
{
	struct st_datebuf d;
	struct sval p[4] = { SV_INT(member_id), st_date(day, &d),
		             SV_INT(except_id), SV_STR(kind) };

	return st_int(st, STMT_MEMBER_DAY_HOURS, p, 4, centi, NULL, err);
}

struct match_ctx {
	int (*fn)(void *ctx, const struct match_count *c);
	void *ctx;
};

static int take_match(void *ctx, const struct st_row *r)
{
	struct match_ctx *m = ctx;
	struct match_count c;

	c.member_id = st_row_int(r, 0);
	c.name = st_row_text(r, 1);
	c.count = st_row_int(r, 2);
	return m->fn(m->ctx, &c);
}

enum xj_err
store_match_counts(struct store *st, const char *kind, const char *field,
                   const char *value, int64_t org_id, int64_t member_id,
                   int (*fn)(void *ctx, const struct match_count *c), void *ctx,
                   struct xj_error *err)
{
	struct match_ctx m = { fn, ctx };
	char path[80];
	struct sval p[5];

	snprintf(path, sizeof(path), "$.%s", field);
	p[0] = SV_INT(org_id);
	p[1] = SV_STR(kind);
	p[2] = SV_STR(path);
	p[3] = SV_STR(value);
	p[4] = SV_INT(member_id);
	return st_each(st, STMT_MATCH_COUNTS, p, 5, take_match, &m, err);
}

struct reports_ctx {
	int (*fn)(void *ctx, const struct report_row *r);
	void *ctx;
};

static int take_report(void *ctx, const struct st_row *r)
{
	struct reports_ctx *c = ctx;
	struct report_row x;

	x.id = st_row_int(r, 0);
	x.member_id = st_row_int(r, 1);
	x.name = st_row_text(r, 2);
	x.seat = st_row_text(r, 3);
	x.org_id = st_row_int(r, 4);
	x.happened_on = st_row_text(r, 5);
	x.payload = st_row_text(r, 6);
	x.review_id = st_row_int(r, 7);
	x.comment = st_row_text(r, 8);
	x.reviewer = st_row_text(r, 9);
	x.reviewed_on = st_row_text(r, 10);
	return c->fn(c->ctx, &x);
}

enum xj_err store_reports(struct store *st, const char *kind, const char *item,
                          int64_t user_id, unsigned role_mask, int pending_only,
                          int64_t record_id,
                          int (*fn)(void *ctx, const struct report_row *r),
                          void *ctx, struct xj_error *err)
{
	struct reports_ctx c = { fn, ctx };
	struct sval p[6] = {
		SV_INT(user_id), SV_INT(role_mask), SV_INT(pending_only != 0),
		SV_STR(kind),    SV_STR(item),      SV_INT(record_id)
	};

	return st_each(st, STMT_REPORTS, p, 6, take_report, &c, err);
}

enum xj_err store_report_review(struct store *st, int64_t record_id,
                                int64_t reviewer_id, const char *comment,
                                int32_t day, int64_t *id, struct xj_error *err)
{
	struct st_datebuf d;
	struct sval p[4] = { SV_INT(record_id), SV_ID(reviewer_id),
		             SV_STR(comment), st_date(day, &d) };
	enum xj_err e = st_exec(st, STMT_REPORT_REVIEW_INSERT, p, 4, err);

	if (e != XJ_OK)
		return e;
	*id = st_last_id(st);
	return audit_append(st, "report.review", "report_review", *id, err,
	                    "record=%lld\nreviewer=%lld\non=%s\ncomment=%s",
	                    (long long)record_id, (long long)reviewer_id, d.s,
	                    comment);
}

enum xj_err store_org_within(struct store *st, int64_t ancestor, int64_t org,
                             int *yes, struct xj_error *err)
{
	struct sval p[2] = { SV_INT(ancestor), SV_INT(org) };
	int64_t n = 0;
	enum xj_err e = st_int(st, STMT_ORG_WITHIN, p, 2, &n, NULL, err);

	*yes = n > 0;
	return e;
}

struct moves {
	int32_t day;
	int64_t branch;
	int first;
	struct xj_error *err;
	enum xj_err bad;
};

static int take_move(void *ctx, const struct st_row *r)
{
	struct moves *m = ctx;
	int kind = (int)st_row_int(r, 0);
	int32_t on;
	int64_t from = st_row_int(r, 2), to = st_row_int(r, 3);

	if (date_parse(st_row_text(r, 1), &on, "on_date", m->err) != XJ_OK) {
		m->bad = XJ_ESTORE;
		return 1;
	}
	if (m->first) {
		/* before the first movement: where it started from, or
		 * nowhere before a first 转入 */
		m->first = 0;
		m->branch = kind == MOVE_IN ? 0 : from;
	}
	if (on > m->day)
		return 1;
	m->branch = kind == MOVE_OUT || kind == MOVE_DEATH ? 0 : to;
	return 0;
}

enum xj_err store_member_branch_on(struct store *st, int64_t member_id,
                                   int32_t day, int64_t *branch,
                                   struct xj_error *err)
{
	struct moves m = { day, 0, 1, err, XJ_OK };
	struct sval p[1] = { SV_INT(member_id) };
	int found;
	enum xj_err e;

	e = st_int(st, STMT_MEMBER_ORG, p, 1, &m.branch, &found, err);
	if (e != XJ_OK)
		return e;
	if (!found)
		return xj_error_field(err, XJ_ENOTFOUND, "member_id",
		                      "党员不存在（编号 %lld）",
		                      (long long)member_id);
	e = st_each(st, STMT_MEMBER_MOVES, p, 1, take_move, &m, err);
	if (e == XJ_OK)
		e = m.bad;
	*branch = m.branch;
	return e;
}

enum xj_err store_campaign_first(struct store *st, int64_t *id,
                                 struct xj_error *err)
{
	return st_int(st, STMT_CAMPAIGN_FIRST, NULL, 0, id, NULL, err);
}

enum xj_err store_audit_last_id(struct store *st, int64_t *id,
                                struct xj_error *err)
{
	return st_int(st, STMT_AUDIT_LAST_ID, NULL, 0, id, NULL, err);
}
