/* POST/GET/DELETE /api/v1/session: log in, who am I, log out. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "request.h"

static const struct field login_fields[] = {
	{ "login", FIELD_STRING, 1, 1, LOGIN_MAX },
	{ "password", FIELD_STRING, 1, 0, PASSWORD_MAX },
	{ NULL, 0, 0, 0, 0 },
};

json_t *principal_json(const struct principal *p)
{
	json_t *roles = json_array(), *grants = json_array();
	int i, r;

	for (r = 0; r < ROLE__MAX; r++)
		if (p->roles & ROLE_BIT(r))
			json_array_append_new(roles, json_string(role_code(r)));
	for (i = 0; i < p->ngrants; i++) {
		const struct grant *g = &p->grants[i];

		json_array_append_new(
		    grants,
		    json_pack("{s:s,s:s,s:o,s:o}", "role", role_code(g->role),
		              "role_name", role_name(g->role), "org_id",
		              g->org_id ? json_integer(g->org_id) : json_null(),
		              "system_id",
		              g->system_id ? json_integer(g->system_id)
		                           : json_null()));
	}
	return json_pack(
	    "{s:{s:I,s:s,s:s,s:o},s:o,s:o,s:s}", "user", "id",
	    (json_int_t)p->user_id, "login", p->login, "display_name",
	    p->display_name, "member_id",
	    p->member_id ? json_integer(p->member_id) : json_null(), "roles",
	    roles, "grants", grants, "csrf_token", p->csrf);
}

static enum xj_err login(struct http_req *req, struct xj_error *err)
{
	char token[TOKEN_HEX + 1], addr[64];
	struct principal p;
	json_t *body;
	enum xj_err e;

	e = http_body_json(req, login_fields, &body, err);
	if (e != XJ_OK)
		return e;
	http_client_addr(req, addr, sizeof(addr));
	e = auth_login(http_store_acquire(req), &req->srv->throttle,
	               body_str(body, "login"), body_str(body, "password"),
	               addr, (int64_t)time(NULL), token, &p, err);
	http_store_release(req);
	json_decref(body);
	if (e != XJ_OK)
		return e;
	http_set_session_cookie(req, token);
	http_reply_json(req, 200, principal_json(&p));
	return XJ_OK;
}

static enum xj_err whoami(struct http_req *req, struct xj_error *err)
{
	(void)err;
	http_reply_json(req, 200, principal_json(&req->who));
	return XJ_OK;
}

static enum xj_err logout(struct http_req *req, struct xj_error *err)
{
	enum xj_err e;

	e = auth_logout(http_store_acquire(req), &req->who, err);
	http_store_release(req);
	if (e != XJ_OK)
		return e;
	http_set_session_cookie(req, NULL);
	http_reply_json(req, 200, json_pack("{s:b}", "ok", 1));
	return XJ_OK;
}

const struct route routes_session[] = {
	{ "POST", "/api/v1/session", 0, SCOPE_NONE, login },
	{ "GET", "/api/v1/session", ROLE_ALL, SCOPE_NONE, whoami },
	{ "DELETE", "/api/v1/session", ROLE_ALL, SCOPE_NONE, logout },
	{ NULL, NULL, 0, SCOPE_NONE, NULL },
};
