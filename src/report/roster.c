/*
 * Roster exports (report.h). The columns are those of roster.h, so the
 * files import again unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xianjiao/alloc.h"
#include "xianjiao/core.h"
#include "xianjiao/date.h"
#include "xianjiao/report.h"
#include "xianjiao/roster.h"
#include "xianjiao/store.h"
#include "xianjiao/strbuf.h"

/* Organisations by dense id, loaded once per export: a member row needs
 * its branch's code and name without a query per member. */
struct orgs {
	struct org_row **by_id;
	size_t alloc;
	int64_t root; /* 0: everything */
};

static int keep_org(void *ctx, const struct org_row *r)
{
	struct orgs *o = ctx;
	size_t id = (size_t)r->o.id;

	if (id >= o->alloc) {
		size_t old = o->alloc;

		xgrow((void **)&o->by_id, &o->alloc, id + 1, sizeof(*o->by_id));
		memset(o->by_id + old, 0, (o->alloc - old) * sizeof(*o->by_id));
	}
	if (o->by_id[id] == NULL) {
		o->by_id[id] = xmalloc(sizeof(**o->by_id));
		*o->by_id[id] = *r;
		o->by_id[id]->o.name = o->by_id[id]->name;
		o->by_id[id]->o.code = o->by_id[id]->code;
	}
	return 0;
}

struct roots_ctx {
	struct store *st;
	struct orgs *orgs;
	struct xj_error *err;
	enum xj_err e;
};

static int load_root(void *ctx, const struct org_row *r)
{
	struct roots_ctx *c = ctx;

	c->e = store_subtree_orgs(c->st, r->o.id, keep_org, c->orgs, c->err);
	return c->e != XJ_OK;
}

static enum xj_err orgs_load(struct store *st, int64_t root, struct orgs *o,
                             struct xj_error *err)
{
	struct roots_ctx c = { st, o, err, XJ_OK };
	enum xj_err e;

	memset(o, 0, sizeof(*o));
	o->root = root;
	if (root != 0)
		return store_subtree_orgs(st, root, keep_org, o, err);
	e = store_roots(st, load_root, &c, err);
	return e != XJ_OK ? e : c.e;
}

static const struct org_row *orgs_get(const struct orgs *o, int64_t id)
{
	if (id <= 0 || (size_t)id >= o->alloc)
		return NULL;
	return o->by_id[id];
}

static void orgs_release(struct orgs *o)
{
	size_t i;

	for (i = 0; i < o->alloc; i++)
		free(o->by_id[i]);
	free(o->by_id);
}

static void date_cell(int32_t d, char *buf)
{
	buf[0] = '\0';
	if (d != 0)
		date_format(d, buf);
}

static void categories_text(uint32_t mask, char *buf, size_t size)
{
	size_t n = 0;
	int c;

	buf[0] = '\0';
	for (c = 0; c < MCAT__MAX; c++)
		if (mask & MCAT_BIT(c))
			n += (size_t)snprintf(buf + n, n < size ? size - n : 0,
			                      "%s%s", n ? "、" : "",
			                      member_category_name(c));
}

struct members_ctx {
	struct table_writer *w;
	const struct orgs *orgs;
	int full_id;
	struct xj_error *err;
	enum xj_err e;
};

static int write_member(void *ctx, const struct member_row *r)
{
	struct members_ctx *c = ctx;
	const struct org_row *org = orgs_get(c->orgs, r->m.org_id);
	char birth[DATE_STR_LEN], joined[DATE_STR_LEN], absent[DATE_STR_LEN];
	char idn[19], phone[32], cats[256], months[16];
	const char *cells[MCOL__MAX];

	if (c->orgs->root != 0 && org == NULL)
		return 0; /* not in the subtree exported */
	if (c->full_id) {
		snprintf(idn, sizeof(idn), "%s", r->id_number);
		snprintf(phone, sizeof(phone), "%s", r->phone);
	} else {
		idnum_mask(r->m.id_number, idn);
		if (r->m.id_number == NULL)
			idn[0] = '\0';
		/* 139****1234 */
		snprintf(phone, sizeof(phone), "%s", r->phone);
		if (strlen(phone) >= 11)
			memcpy(phone + 3, "****", 4);
	}
	date_cell(r->m.birth_date, birth);
	date_cell(r->m.joined_date, joined);
	date_cell(r->m.absence_start, absent);
	categories_text(r->m.categories, cats, sizeof(cats));
	months[0] = '\0';
	if (r->m.absence_months)
		snprintf(months, sizeof(months), "%d", r->m.absence_months);
	cells[MCOL_IDNUM] = idn;
	cells[MCOL_NAME] = r->name;
	cells[MCOL_GENDER] = gender_name(r->m.gender);
	cells[MCOL_BIRTH] = birth;
	cells[MCOL_PHONE] = phone;
	cells[MCOL_JOINED] = joined;
	cells[MCOL_STATUS] = member_status_name(r->m.status);
	cells[MCOL_ORG_CODE] = org ? org->code : "";
	cells[MCOL_ORG_NAME] = org ? org->name : "";
	cells[MCOL_CATEGORIES] = cats;
	cells[MCOL_POST] = r->post;
	cells[MCOL_MOBILE_DEST] = r->mobile_dest;
	cells[MCOL_ABSENT_FROM] = absent;
	cells[MCOL_ABSENT_MONTHS] = months;
	cells[MCOL_CONTACT] = r->contact_arrangement;
	cells[MCOL_SEAT] = r->seat_title;
	c->e = table_writer_row(c->w, cells, MCOL__MAX, c->err);
	return c->e != XJ_OK;
}

enum xj_err export_members(struct store *st, int64_t root, int full_id,
                           enum table_format fmt, char **data, size_t *len,
                           struct xj_error *err)
{
	struct members_ctx c = { NULL, NULL, full_id, err, XJ_OK };
	struct orgs orgs;
	enum xj_err e;

	e = orgs_load(st, root, &orgs, err);
	if (e == XJ_OK)
		e = table_writer_new(fmt, "党员花名册", &c.w, err);
	if (e == XJ_OK)
		e = table_writer_row(c.w, member_col_header, MCOL__MAX, err);
	c.orgs = &orgs;
	/* Members leave the registry only by a movement; those who left
	 * are exported too, so nothing entered is lost from a round trip. */
	if (e == XJ_OK)
		e = store_members_all(st, write_member, &c, err);
	if (e == XJ_OK)
		e = c.e;
	orgs_release(&orgs);
	return table_writer_done(c.w, e, data, len, err);
}

struct orgs_ctx {
	struct store *st;
	struct table_writer *w;
	const struct orgs *orgs;
	struct xj_error *err;
	enum xj_err e;
};

static int write_org(void *ctx, const struct org_row *r)
{
	struct orgs_ctx *c = ctx;
	const struct org_row *parent = orgs_get(c->orgs, r->o.parent_id);
	char sys[NAME_MAX_CHARS * 4 + 1] = "";
	const char *cells[OCOL__MAX];
	int ord = 0;

	if (r->o.system_id)
		c->e = store_system_name(c->st, r->o.system_id, sys,
		                         sizeof(sys), c->err);
	if (c->e == XJ_OK && r->o.batch_id)
		c->e = store_batch_ordinal(c->st, r->o.batch_id, &ord, c->err);
	if (c->e != XJ_OK)
		return 1;
	cells[OCOL_CODE] = r->code;
	cells[OCOL_NAME] = r->name;
	cells[OCOL_TYPE] = org_type_name(r->o.type);
	cells[OCOL_PARENT] = parent ? parent->code : "";
	cells[OCOL_SYSTEM] = sys;
	cells[OCOL_BATCH] = batch_ordinal_name(ord);
	cells[OCOL_UNIT] = r->o.is_unit ? "是" : "否";
	cells[OCOL_WEAK] = r->o.weak ? "是" : "否";
	c->e = table_writer_row(c->w, cells, OCOL__MAX, c->err);
	return c->e != XJ_OK;
}

static int write_orgs_of_root(void *ctx, const struct org_row *r)
{
	struct orgs_ctx *c = ctx;

	c->e = store_subtree_orgs(c->st, r->o.id, write_org, c, c->err);
	return c->e != XJ_OK;
}

enum xj_err export_orgs(struct store *st, int64_t root, enum table_format fmt,
                        char **data, size_t *len, struct xj_error *err)
{
	struct orgs_ctx c = { st, NULL, NULL, err, XJ_OK };
	struct orgs orgs;
	enum xj_err e;

	/* Parents first (by depth), so the file imports in one pass. */
	e = orgs_load(st, root, &orgs, err);
	c.orgs = &orgs;
	if (e == XJ_OK)
		e = table_writer_new(fmt, "组织", &c.w, err);
	if (e == XJ_OK)
		e = table_writer_row(c.w, org_col_header, OCOL__MAX, err);
	if (e == XJ_OK)
		e = root ? store_subtree_orgs(st, root, write_org, &c, err)
		         : store_roots(st, write_orgs_of_root, &c, err);
	if (e == XJ_OK)
		e = c.e;
	orgs_release(&orgs);
	return table_writer_done(c.w, e, data, len, err);
}

static const char *const coverage_header[] = {
	"清单", "身份证号码", "姓名", "组织代码", "所在党组织", "说明"
};
#define COVERAGE_COLS (sizeof(coverage_header) / sizeof(coverage_header[0]))

static const char *const coverage_names[COVER__MAX] = {
	[COVER_NO_BRANCH] = "未编入党支部的党员",
	[COVER_LOST] = "失去联系的党员",
	[COVER_MOBILE_NO_CONTACT] = "未落实联系方式的流动党员",
	[COVER_NO_SECRETARY] = "未配备支部书记的党支部",
};

struct cover_ctx {
	struct table_writer *w;
	const struct orgs *orgs;
	enum coverage_list list;
	struct xj_error *err;
	enum xj_err e;
};

static int write_cover_member(void *ctx, const struct member_row *r)
{
	struct cover_ctx *c = ctx;
	const struct org_row *org = orgs_get(c->orgs, r->m.org_id);
	char idn[19], note[TEXT_FIELD_MAX * 4 + 32] = "";
	const char *cells[COVERAGE_COLS];

	idnum_mask(r->m.id_number, idn);
	if (r->m.id_number == NULL)
		idn[0] = '\0';
	if (c->list == COVER_MOBILE_NO_CONTACT)
		snprintf(note, sizeof(note), "流动去向: %s",
		         r->mobile_dest[0] ? r->mobile_dest : "未登记");
	cells[0] = coverage_names[c->list];
	cells[1] = idn;
	cells[2] = r->name;
	cells[3] = org ? org->code : "";
	cells[4] = org ? org->name : "";
	cells[5] = note;
	c->e = table_writer_row(c->w, cells, COVERAGE_COLS, c->err);
	return c->e != XJ_OK;
}

static int write_cover_org(void *ctx, const struct org_row *r)
{
	struct cover_ctx *c = ctx;
	const struct org_row *parent = orgs_get(c->orgs, r->o.parent_id);
	const char *cells[COVERAGE_COLS];

	cells[0] = coverage_names[COVER_NO_SECRETARY];
	cells[1] = "";
	cells[2] = "";
	cells[3] = r->code;
	cells[4] = r->name;
	cells[5] = parent ? parent->name : "";
	c->e = table_writer_row(c->w, cells, COVERAGE_COLS, c->err);
	return c->e != XJ_OK;
}

struct cover_roots {
	struct store *st;
	struct cover_ctx *c;
};

static int cover_root(void *ctx, const struct org_row *r)
{
	struct cover_roots *cr = ctx;
	struct cover_ctx *c = cr->c;
	enum xj_err e;

	if (c->list == COVER_NO_SECRETARY)
		e = store_coverage_orgs(cr->st, r->o.id, write_cover_org, c,
		                        c->err);
	else
		e = store_coverage_members(cr->st, c->list, r->o.id,
		                           write_cover_member, c, c->err);
	if (e != XJ_OK)
		c->e = e;
	return c->e != XJ_OK;
}

enum xj_err export_coverage(struct store *st, int64_t root,
                            enum table_format fmt, char **data, size_t *len,
                            struct xj_error *err)
{
	struct cover_ctx c = { NULL, NULL, 0, err, XJ_OK };
	struct cover_roots cr = { st, &c };
	struct org_row top;
	struct orgs orgs;
	enum xj_err e;
	int l, found;

	e = orgs_load(st, root, &orgs, err);
	c.orgs = &orgs;
	if (e == XJ_OK)
		e = table_writer_new(fmt, "一个不漏", &c.w, err);
	if (e == XJ_OK)
		e = table_writer_row(c.w, coverage_header, COVERAGE_COLS, err);
	for (l = 0; e == XJ_OK && l < COVER__MAX; l++) {
		c.list = (enum coverage_list)l;
		if (l == COVER_NO_BRANCH) {
			/* Members with no branch belong to no subtree: only
			 * a whole-campaign export lists them. */
			if (root == 0)
				e = store_coverage_members(
				    st, COVER_NO_BRANCH, 0, write_cover_member,
				    &c, err);
		} else if (root != 0) {
			e = store_org_get(st, root, &top, &found, err);
			if (e == XJ_OK)
				cover_root(&cr, &top);
		} else {
			e = store_roots(st, cover_root, &cr, err);
		}
		if (e == XJ_OK)
			e = c.e;
	}
	orgs_release(&orgs);
	return table_writer_done(c.w, e, data, len, err);
}

enum xj_err export_template(enum import_kind kind, enum table_format fmt,
                            char **data, size_t *len, struct xj_error *err)
{
	struct table_writer *w;
	enum xj_err e;

	e = table_writer_new(fmt, kind == IMPORT_ORGS ? "组织" : "党员花名册",
	                     &w, err);
	if (e != XJ_OK)
		return e;
	e = kind == IMPORT_ORGS
	        ? table_writer_row(w, org_col_header, OCOL__MAX, err)
	        : table_writer_row(w, member_col_header, MCOL__MAX, err);
	return table_writer_done(w, e, data, len, err);
}
