/* /api/v1/orgs and /api/v1/members: reads, filtered by the caller's
 * scope in the store query (lists) or by the router (single objects). */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "request.h"
#include "xianjiao/date.h"

/* Roles that work with organisations: everyone but a plain member. */
#define ORG_ROLES                                                              \
	(ROLE_BIT(ROLE_OFFICE) | ROLE_BIT(ROLE_SUPERVISOR) |                   \
	 ROLE_BIT(ROLE_UNIT) | ROLE_BIT(ROLE_SECRETARY))
#define MEMBERS_PAGE_MAX 500

static json_t *org_json(const struct org_row *r)
{
	return json_pack(
	    "{s:I,s:o,s:s,s:s,s:s,s:o,s:o,s:b,s:b,s:i}", "id",
	    (json_int_t)r->o.id, "parent_id",
	    r->o.parent_id ? json_integer(r->o.parent_id) : json_null(), "type",
	    org_type_name(r->o.type), "name", r->name, "code", r->code,
	    "system_id",
	    r->o.system_id ? json_integer(r->o.system_id) : json_null(),
	    "batch_id",
	    r->o.batch_id ? json_integer(r->o.batch_id) : json_null(),
	    "is_unit", r->o.is_unit, "weak", r->o.weak, "depth", r->depth);
}

static json_t *member_json(const struct member_row *r)
{
	char masked[19], date[DATE_STR_LEN] = "", left[DATE_STR_LEN] = "";
	json_t *cats = json_array();
	int c;

	for (c = 0; c < MCAT__MAX; c++)
		if (r->m.categories & MCAT_BIT(c))
			json_array_append_new(
			    cats, json_string(member_category_name(c)));
	if (r->m.joined_date)
		date_format(r->m.joined_date, date);
	if (r->m.left_on)
		date_format(r->m.left_on, left);
	/* ID numbers are masked (DESIGN.md, "Security model"). */
	idnum_mask(r->m.id_number, masked);
	return json_pack("{s:I,s:o,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:s}", "id",
	                 (json_int_t)r->m.id, "org_id",
	                 r->m.org_id ? json_integer(r->m.org_id) : json_null(),
	                 "name", r->name, "gender", gender_name(r->m.gender),
	                 "status", member_status_name(r->m.status), "id_number",
	                 r->m.id_number ? masked : "", "joined_date", date,
	                 "categories", cats, "post", r->post, "left_on", left);
}

/* A list entry also says whether the organisation has children, so a
 * tree can load one level at a time and know its leaves. */
static int add_org(void *ctx, const struct org_row *r)
{
	json_t *o = org_json(r);

	json_object_set_new(o, "has_children", json_boolean(r->has_children));
	json_array_append_new(ctx, o);
	return 0;
}

static const struct field list_query[] = {
	{ "parent", FIELD_ID, 0, 1, INT64_MAX },
	{ NULL, 0, 0, 0, 0 },
};

static enum xj_err list(struct http_req *req, struct xj_error *err)
{
	unsigned roles = req->route->roles & req->who.roles;
	int64_t parent;
	json_t *arr;
	enum xj_err e;

	e = http_query_check(req, list_query, err);
	if (e != XJ_OK)
		return e;
	parent = query_int(req, "parent", 0);
	/* A parent outside the caller's scope "does not exist", decided by
	 * the router's own check. */
	if (parent != 0) {
		e = http_scope_org(req, parent, "parent", err);
		if (e != XJ_OK)
			return e;
	}
	arr = json_array();
	e = store_scoped_children(http_store_acquire(req), req->who.user_id,
	                          roles, parent, add_org, arr, err);
	http_store_release(req);
	if (e != XJ_OK) {
		json_decref(arr);
		return e;
	}
	http_reply_json(req, 200, json_pack("{s:o}", "orgs", arr));
	return XJ_OK;
}

static enum xj_err get(struct http_req *req, struct xj_error *err)
{
	struct org_row r;
	int found;
	enum xj_err e = store_org_get(http_store_acquire(req),
	                              req->params.id[0], &r, &found, err);

	http_store_release(req);
	if (e == XJ_OK && !found)
		e = xj_error_set(err, XJ_ENOTFOUND, "组织不存在");
	if (e != XJ_OK)
		return e;
	http_reply_json(req, 200, org_json(&r));
	return XJ_OK;
}

static enum xj_err stats(struct http_req *req, struct xj_error *err)
{
	struct category_counts c;
	json_t *cats;
	enum xj_err e;
	int i;

	e = store_subtree_category_counts(http_store_acquire(req),
	                                  req->params.id[0], &c, err);
	http_store_release(req);
	if (e != XJ_OK)
		return e;
	cats = json_object();
	for (i = 0; i < MCAT__MAX; i++)
		json_object_set_new(cats, member_category_name(i),
		                    json_integer(c.category[i]));
	http_reply_json(req, 200,
	                json_pack("{s:I,s:I,s:o}", "org_id",
	                          (json_int_t)req->params.id[0], "members",
	                          (json_int_t)c.total, "categories", cats));
	return XJ_OK;
}

/* One page of members: one more than asked is read to tell whether
 * another page follows. */
struct member_page {
	json_t *arr;
	int64_t limit, n;
};

static int add_member(void *ctx, const struct member_row *r)
{
	struct member_page *pg = ctx;

	if (pg->n++ < pg->limit)
		json_array_append_new(pg->arr, member_json(r));
	return 0;
}

static const struct field members_query[] = {
	{ "after", FIELD_INT, 0, 0, INT64_MAX },
	{ "limit", FIELD_INT, 0, 1, MEMBERS_PAGE_MAX },
	{ "category", FIELD_STRING, 0, 1, 16 },
	{ "q", FIELD_STRING, 0, 0, NAME_MAX_CHARS },
	{ NULL, 0, 0, 0, 0 },
};

static enum xj_err members(struct http_req *req, struct xj_error *err)
{
	const char *cat = MHD_lookup_connection_value(
	    req->conn, MHD_GET_ARGUMENT_KIND, "category");
	const char *q =
	    MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, "q");
	struct member_page pg = { NULL, 0, 0 };
	int64_t after;
	uint32_t mask = 0;
	enum xj_err e;

	e = http_query_check(req, members_query, err);
	if (e != XJ_OK)
		return e;
	if (cat != NULL) {
		int c = member_category_parse(cat);

		if (c < 0)
			return xj_error_field(err, XJ_EINVAL, "category",
			                      "人员类别“%s”无法识别", cat);
		mask = MCAT_BIT(c);
	}
	after = query_int(req, "after", 0);
	pg.limit = query_int(req, "limit", 100);
	pg.arr = json_array();
	e = store_subtree_member_list(
	    http_store_acquire(req), req->params.id[0], after,
	    (int)pg.limit + 1, mask, q && q[0] ? q : NULL, add_member, &pg,
	    err);
	http_store_release(req);
	if (e != XJ_OK) {
		json_decref(pg.arr);
		return e;
	}
	http_reply_json(
	    req, 200,
	    json_pack("{s:o,s:b}", "members", pg.arr, "more", pg.n > pg.limit));
	return XJ_OK;
}

static enum xj_err member(struct http_req *req, struct xj_error *err)
{
	struct member_row r;
	int found;
	enum xj_err e = store_member_get(http_store_acquire(req),
	                                 req->params.id[0], &r, &found, err);

	http_store_release(req);
	if (e == XJ_OK && !found)
		e = xj_error_set(err, XJ_ENOTFOUND, "党员不存在");
	if (e != XJ_OK)
		return e;
	http_reply_json(req, 200, member_json(&r));
	return XJ_OK;
}

const struct route routes_orgs[] = {
	{ "GET", "/api/v1/orgs", ORG_ROLES, SCOPE_NONE, list },
	{ "GET", "/api/v1/orgs/{id}", ORG_ROLES, SCOPE_ORG, get },
	{ "GET", "/api/v1/orgs/{id}/stats", ORG_ROLES, SCOPE_ORG, stats },
	{ "GET", "/api/v1/orgs/{id}/members", ORG_ROLES, SCOPE_ORG, members },
	{ "GET", "/api/v1/members/{id}", ROLE_ALL, SCOPE_MEMBER, member },
	{ NULL, NULL, 0, SCOPE_NONE, NULL },
};

static const struct field movement_fields[] = {
	{ "kind", FIELD_STRING, 1, 1, 8 },
	{ "date", FIELD_STRING, 1, 1, 20 },
	{ "to_org_id", FIELD_ID, 0, 0, 0 },
	{ "note", FIELD_STRING, 0, 0, TEXT_FIELD_MAX },
	{ NULL, 0, 0, 0, 0 },
};

/* 转入, 转出, 去世, 调动 (or in, out, death, within). */
static int movement_parse(const char *s)
{
	static const char *const codes[MOVE__MAX] = { "in", "out", "death",
		                                      "within" };
	int k;

	for (k = 0; k < MOVE__MAX; k++)
		if (strcmp(s, codes[k]) == 0 ||
		    strcmp(s, movement_name((enum movement_kind)k)) == 0)
			return k;
	return -1;
}

static enum xj_err movement(struct http_req *req, struct xj_error *err)
{
	int64_t to_org;
	struct store *st;
	json_t *body;
	int32_t date;
	enum xj_err e;
	int kind;

	e = http_body_json(req, movement_fields, &body, err);
	if (e != XJ_OK)
		return e;
	kind = movement_parse(body_str(body, "kind"));
	to_org = body_int(body, "to_org_id");
	if (kind < 0)
		e = xj_error_field(err, XJ_EINVAL, "kind",
		                   "变动类型应为 转入、转出、去世 或 调动");
	if (e == XJ_OK)
		e = date_parse_loose(body_str(body, "date"), &date, "date",
		                     err);
	/* The branch a member moves to must be one the caller manages. */
	if (e == XJ_OK && to_org != 0)
		e = http_scope_org(req, to_org, "to_org_id", err);
	if (e == XJ_OK) {
		st = http_store_acquire(req);
		e = http_tx_begin(req, st, err);
		if (e == XJ_OK)
			e = store_movement(st, req->params.id[0],
			                   (enum movement_kind)kind, date,
			                   to_org, body_str(body, "note"), err);
		e = http_tx_end(req, st, e, err);
		http_store_release(req);
	}
	json_decref(body);
	if (e != XJ_OK)
		return e;
	http_reply_json(req, 201, json_pack("{s:b}", "ok", 1));
	return XJ_OK;
}

static int add_movement(void *ctx, const struct movement_row *r)
{
	char date[DATE_STR_LEN] = "";

	if (r->on_date)
		date_format(r->on_date, date);
	json_array_append_new(
	    ctx,
	    json_pack("{s:I,s:s,s:s,s:o,s:s,s:o,s:s,s:s,s:s}", "id",
	              (json_int_t)r->id, "kind", movement_name(r->kind), "date",
	              date, "from_org_id",
	              r->from_org ? json_integer(r->from_org) : json_null(),
	              "from_org", r->from_name, "to_org_id",
	              r->to_org ? json_integer(r->to_org) : json_null(),
	              "to_org", r->to_name, "note", r->note, "entered_at",
	              r->entered_at));
	return 0;
}

/* 转入/转出 history of a member in scope (the router checked {id}). */
static enum xj_err movements(struct http_req *req, struct xj_error *err)
{
	static const struct field none[] = { { NULL, 0, 0, 0, 0 } };
	json_t *arr;
	enum xj_err e;

	e = http_query_check(req, none, err);
	if (e != XJ_OK)
		return e;
	arr = json_array();
	e = store_member_movements(http_store_acquire(req), req->params.id[0],
	                           add_movement, arr, err);
	http_store_release(req);
	if (e != XJ_OK) {
		json_decref(arr);
		return e;
	}
	http_reply_json(req, 200,
	                json_pack("{s:I,s:o}", "member_id",
	                          (json_int_t)req->params.id[0], "movements",
	                          arr));
	return XJ_OK;
}

const struct route routes_members[] = {
	{ "GET", "/api/v1/members/{id}/movements", ROLE_ALL, SCOPE_MEMBER,
	  movements },
	{ "POST", "/api/v1/members/{id}/movements",
	  ROLE_BIT(ROLE_OFFICE) | ROLE_BIT(ROLE_UNIT) |
	      ROLE_BIT(ROLE_SECRETARY),
	  SCOPE_MEMBER, movement },
	{ NULL, NULL, 0, SCOPE_NONE, NULL },
};
