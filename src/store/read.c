/* Reads of organisations and members for lists, pages and statistics. */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "xianjiao/date.h"

void st_take_org(const struct st_row *r, struct org_row *o)
{
	memset(o, 0, sizeof(*o));
	o->o.id = st_row_int(r, 0);
	o->o.parent_id = st_row_int(r, 1);
	o->o.type = (enum org_type)st_row_int(r, 2);
	snprintf(o->name, sizeof(o->name), "%s", st_row_text(r, 3));
	snprintf(o->code, sizeof(o->code), "%s", st_row_text(r, 4));
	o->o.name = o->name;
	o->o.code = o->code;
	o->o.system_id = st_row_int(r, 5);
	o->o.batch_id = st_row_int(r, 6);
	o->o.is_unit = (int)st_row_int(r, 7);
	o->o.weak = (int)st_row_int(r, 8);
	o->depth = (int)st_row_int(r, 9);
}

static int32_t row_date(const struct st_row *r, int col)
{
	int32_t d = 0;

	if (date_parse(st_row_text(r, col), &d, NULL, NULL) != XJ_OK)
		return 0;
	return d;
}

void st_take_member(const struct st_row *r, struct member_row *m)
{
	memset(m, 0, sizeof(*m));
	m->m.id = st_row_int(r, 0);
	m->m.org_id = st_row_int(r, 1);
	snprintf(m->name, sizeof(m->name), "%s", st_row_text(r, 2));
	m->m.name = m->name;
	m->m.gender = (enum gender)st_row_int(r, 3);
	m->m.birth_date = row_date(r, 4);
	snprintf(m->id_number, sizeof(m->id_number), "%s", st_row_text(r, 5));
	m->m.id_number = m->id_number[0] ? m->id_number : NULL;
	snprintf(m->phone, sizeof(m->phone), "%s", st_row_text(r, 6));
	m->m.phone = m->phone[0] ? m->phone : NULL;
	m->m.joined_date = row_date(r, 7);
	m->m.status = (enum member_status)st_row_int(r, 8);
	m->m.categories = (uint32_t)st_row_int(r, 9);
	snprintf(m->mobile_dest, sizeof(m->mobile_dest), "%s",
	         st_row_text(r, 10));
	m->m.mobile_dest = m->mobile_dest[0] ? m->mobile_dest : NULL;
	m->m.absence_start = row_date(r, 11);
	m->m.absence_months = (int)st_row_int(r, 12);
	snprintf(m->post, sizeof(m->post), "%s", st_row_text(r, 13));
	m->m.post = m->post[0] ? m->post : NULL;
	snprintf(m->contact_arrangement, sizeof(m->contact_arrangement), "%s",
	         st_row_text(r, 14));
	m->m.contact_arrangement =
	    m->contact_arrangement[0] ? m->contact_arrangement : NULL;
	m->m.left_on = row_date(r, 15);
	snprintf(m->seat_title, sizeof(m->seat_title), "%s",
	         st_row_text(r, 16));
}

static int one_org(void *ctx, const struct st_row *r)
{
	st_take_org(r, ctx);
	return 1;
}

enum xj_err store_org_get(struct store *st, int64_t id, struct org_row *r,
                          int *found, struct xj_error *err)
{
	struct sval p[1] = { SV_INT(id) };
	enum xj_err e;

	memset(r, 0, sizeof(*r));
	e = st_each(st, STMT_ORG_GET, p, 1, one_org, r, err);
	*found = e == XJ_OK && r->o.id != 0;
	return e;
}

struct sval st_date(int32_t d, struct st_datebuf *b)
{
	if (d == 0)
		return SV_TEXT(NULL);
	date_format(d, b->s);
	return SV_TEXT(b->s);
}

struct member_each {
	int (*fn)(void *ctx, const struct member_row *r);
	void *ctx;
};

static int each_member(void *ctx, const struct st_row *r)
{
	struct member_each *c = ctx;
	struct member_row m;

	st_take_member(r, &m);
	return c->fn(c->ctx, &m);
}

enum xj_err st_member_each(struct store *st, enum stmt_id id,
                           const struct sval *p, int n,
                           int (*fn)(void *ctx, const struct member_row *r),
                           void *ctx, struct xj_error *err)
{
	struct member_each c = { fn, ctx };

	return st_each(st, id, p, n, each_member, &c, err);
}

static int one_member(void *ctx, const struct st_row *r)
{
	st_take_member(r, ctx);
	return 1;
}

enum xj_err st_member_one(struct store *st, enum stmt_id id,
                          const struct sval *p, int n, struct member_row *r,
                          int *found, struct xj_error *err)
{
	enum xj_err e;

	memset(r, 0, sizeof(*r));
	e = st_each(st, id, p, n, one_member, r, err);
	*found = e == XJ_OK && r->m.id != 0;
	return e;
}

struct org_each {
	int (*fn)(void *ctx, const struct org_row *r);
	void *ctx;
};

static int each_org(void *ctx, const struct st_row *r)
{
	struct org_each *c = ctx;
	struct org_row o;

	st_take_org(r, &o);
	return c->fn(c->ctx, &o);
}

enum xj_err st_org_each(struct store *st, enum stmt_id id, const struct sval *p,
                        int n, int (*fn)(void *ctx, const struct org_row *r),
                        void *ctx, struct xj_error *err)
{
	struct org_each c = { fn, ctx };

	return st_each(st, id, p, n, each_org, &c, err);
}

enum xj_err store_member_get(struct store *st, int64_t id, struct member_row *r,
                             int *found, struct xj_error *err)
{
	struct sval p[1] = { SV_INT(id) };

	return st_member_one(st, STMT_MEMBER_GET, p, 1, r, found, err);
}

enum xj_err
store_subtree_member_list(struct store *st, int64_t org_id, int64_t after,
                          int limit, uint32_t categories, const char *name_part,
                          int (*fn)(void *ctx, const struct member_row *r),
                          void *ctx, struct xj_error *err)
{
	struct sval p[5] = { SV_INT(org_id), SV_INT(after), SV_INT(limit),
		             SV_INT(categories), SV_TEXT(name_part) };
	int whole_id = name_part != NULL && strlen(name_part) == 18 &&
	               strspn(name_part, "0123456789") >= 17;

	return st_member_each(st,
	                      whole_id ? STMT_SUBTREE_MEMBER_BY_IDNUM
	                               : STMT_SUBTREE_MEMBER_LIST,
	                      p, 5, fn, ctx, err);
}

struct child_each {
	int (*fn)(void *ctx, const struct org_row *r);
	void *ctx;
};

static int each_child(void *ctx, const struct st_row *r)
{
	struct child_each *c = ctx;
	struct org_row o;

	st_take_org(r, &o);
	o.has_children = st_row_int(r, 10) != 0;
	return c->fn(c->ctx, &o);
}

enum xj_err store_scoped_children(struct store *st, int64_t user_id,
                                  unsigned role_mask, int64_t parent,
                                  int (*fn)(void *ctx, const struct org_row *r),
                                  void *ctx, struct xj_error *err)
{
	struct sval p[3] = { SV_INT(user_id), SV_INT(role_mask),
		             SV_INT(parent) };

	struct child_each c = { fn, ctx };

	return st_each(st, STMT_SCOPED_CHILDREN, p, 3, each_child, &c, err);
}

struct movement_each {
	int (*fn)(void *ctx, const struct movement_row *r);
	void *ctx;
};

static int each_movement(void *ctx, const struct st_row *r)
{
	struct movement_each *c = ctx;
	struct movement_row m;

	memset(&m, 0, sizeof(m));
	m.id = st_row_int(r, 0);
	m.kind = (enum movement_kind)st_row_int(r, 1);
	m.on_date = row_date(r, 2);
	m.from_org = st_row_int(r, 3);
	snprintf(m.from_name, sizeof(m.from_name), "%s", st_row_text(r, 4));
	m.to_org = st_row_int(r, 5);
	snprintf(m.to_name, sizeof(m.to_name), "%s", st_row_text(r, 6));
	snprintf(m.note, sizeof(m.note), "%s", st_row_text(r, 7));
	snprintf(m.entered_at, sizeof(m.entered_at), "%s", st_row_text(r, 8));
	return c->fn(c->ctx, &m);
}

enum xj_err store_member_movements(struct store *st, int64_t member_id,
                                   int (*fn)(void *ctx,
                                             const struct movement_row *r),
                                   void *ctx, struct xj_error *err)
{
	struct sval p[1] = { SV_INT(member_id) };
	struct movement_each c = { fn, ctx };

	return st_each(st, STMT_MEMBER_MOVEMENT_LIST, p, 1, each_movement, &c,
	               err);
}

static int take_count(void *ctx, const struct st_row *r)
{
	struct category_counts *c = ctx;
	int64_t bit = st_row_int(r, 0);

	if (bit < 0)
		c->total = st_row_int(r, 1);
	else if (bit < MCAT__MAX)
		c->category[bit] = st_row_int(r, 1);
	return 0;
}

enum xj_err store_subtree_category_counts(struct store *st, int64_t org_id,
                                          struct category_counts *c,
                                          struct xj_error *err)
{
	struct sval p[1] = { SV_INT(org_id) };

	memset(c, 0, sizeof(*c));
	return st_each(st, STMT_SUBTREE_CATEGORY_COUNTS, p, 1, take_count, c,
	               err);
}
