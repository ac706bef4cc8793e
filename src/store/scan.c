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
	struct scan_ctx c = { (void *)fn, ctx, err, XJ_OK };

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
	struct scan_ctx c = { (void *)fn, ctx, err, XJ_OK };

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
	struct scan_ctx c = { (void *)fn, ctx, err, XJ_OK };
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
	return fn(c->ctx, &rec);
}

enum xj_err store_scan_records(struct store *st,
                               int (*fn)(void *ctx,
                                         const struct scan_record *r),
                               void *ctx, struct xj_error *err)
{
	struct scan_ctx c = { (void *)fn, ctx, err, XJ_OK };
	enum xj_err e;

	e = st_each(st, STMT_SCAN_RECORDS, NULL, 0, take_record, &c, err);
	return e != XJ_OK ? e : c.bad;
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
