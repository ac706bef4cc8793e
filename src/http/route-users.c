/* /api/v1/users: the office manages accounts and their roles. */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "request.h"

#define OFFICE ROLE_BIT(ROLE_OFFICE)

struct list_ctx {
	struct store *st;
	json_t *arr;
	struct xj_error *err;
	enum xj_err e;
};

static int add_user(void *ctx, const struct user *u)
{
	struct list_ctx *c = ctx;
	struct grant g[PRINCIPAL_GRANTS_MAX];
	json_t *roles = json_array();
	int n, i;

	c->e =
	    store_grants_of(c->st, u->id, g, PRINCIPAL_GRANTS_MAX, &n, c->err);
	if (c->e != XJ_OK) {
		json_decref(roles);
		return 1;
	}
	for (i = 0; i < n; i++)
		json_array_append_new(roles, json_string(role_code(g[i].role)));
	json_array_append_new(
	    c->arr,
	    json_pack("{s:I,s:s,s:s,s:b,s:o,s:o}", "id", (json_int_t)u->id,
	              "login", u->login, "display_name", u->display_name,
	              "disabled", u->disabled, "member_id",
	              u->member_id ? json_integer(u->member_id) : json_null(),
	              "roles", roles));
	return 0;
}

static enum xj_err list(struct http_req *req, struct xj_error *err)
{
	struct list_ctx c = { http_store_acquire(req), json_array(), err,
		              XJ_OK };
	enum xj_err e = store_users_each(c.st, add_user, &c, err);

	http_store_release(req);
	if (e == XJ_OK)
		e = c.e;
	if (e != XJ_OK) {
		json_decref(c.arr);
		return e;
	}
	http_reply_json(req, 200, json_pack("{s:o}", "users", c.arr));
	return XJ_OK;
}

static const struct field create_fields[] = {
	{ "login", FIELD_STRING, 1, 1, LOGIN_MAX },
	{ "display_name", FIELD_STRING, 1, 1, NAME_MAX_CHARS },
	{ "password", FIELD_STRING, 1, 1, PASSWORD_MAX },
	{ "member_id", FIELD_ID, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static enum xj_err create(struct http_req *req, struct xj_error *err)
{
	char hash[PASSWORD_HASH_MAX];
	struct store *st;
	json_t *body;
	int64_t id = 0;
	enum xj_err e;

	e = http_body_json(req, create_fields, &body, err);
	if (e != XJ_OK)
		return e;
	/* Hash outside the store lock: it is the slow part. */
	e = password_hash(body_str(body, "password"), hash, sizeof(hash), err);
	if (e == XJ_OK) {
		st = http_store_acquire(req);
		e = http_tx_begin(req, st, err);
		if (e == XJ_OK)
			e = store_user_insert(st, body_str(body, "login"),
			                      body_str(body, "display_name"),
			                      hash, body_int(body, "member_id"),
			                      &id, err);
		e = http_tx_end(req, st, e, err);
		http_store_release(req);
	}
	json_decref(body);
	if (e != XJ_OK)
		return e;
	http_reply_json(req, 201, json_pack("{s:I}", "id", (json_int_t)id));
	return XJ_OK;
}

static enum xj_err disable(struct http_req *req, struct xj_error *err)
{
	struct store *st = http_store_acquire(req);
	enum xj_err e = http_tx_begin(req, st, err);

	if (e == XJ_OK)
		e = store_user_set_disabled(st, req->params.id[0], 1, err);
	e = http_tx_end(req, st, e, err);
	http_store_release(req);
	if (e != XJ_OK)
		return e;
	http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
	return XJ_OK;
}

static const struct field grant_fields[] = {
	{ "role", FIELD_STRING, 1, 1, 16 },
	{ "org_id", FIELD_ID, 0, 0, 0 },
	{ "system_id", FIELD_ID, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static enum xj_err grant(struct http_req *req, struct xj_error *err)
{
	struct grant g = { 0 };
	struct store *st;
	struct user u;
	json_t *body;
	int found, r;
	enum xj_err e;

	e = http_body_json(req, grant_fields, &body, err);
	if (e != XJ_OK)
		return e;
	r = role_parse(body_str(body, "role"));
	if (r < 0) {
		json_decref(body);
		return xj_error_field(err, XJ_EINVAL, "role",
		                      "未知角色（可用: office, supervisor, "
		                      "unit, secretary, member）");
	}
	g.user_id = req->params.id[0];
	g.role = (enum role)r;
	g.org_id = body_int(body, "org_id");
	g.system_id = body_int(body, "system_id");
	json_decref(body);
	st = http_store_acquire(req);
	e = store_user_by_id(st, g.user_id, &u, &found, err);
	if (e == XJ_OK && !found)
		e = xj_error_set(err, XJ_ENOTFOUND, "用户不存在");
	if (e == XJ_OK)
		e = http_tx_begin(req, st, err);
	if (e == XJ_OK) {
		e = store_grant_add(st, &g, NULL, err);
		e = http_tx_end(req, st, e, err);
	}
	http_store_release(req);
	if (e != XJ_OK)
		return e;
	http_reply_json(req, 201, json_pack("{s:b}", "ok", 1));
	return XJ_OK;
}

const struct route routes_users[] = {
	{ "GET", "/api/v1/users", OFFICE, SCOPE_NONE, list },
	{ "POST", "/api/v1/users", OFFICE, SCOPE_NONE, create },
	{ "POST", "/api/v1/users/{id}/disable", OFFICE, SCOPE_NONE, disable },
	{ "POST", "/api/v1/users/{id}/grants", OFFICE, SCOPE_NONE, grant },
	{ NULL, NULL, 0, SCOPE_NONE, NULL },
};
