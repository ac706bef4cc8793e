/*
 * router.c - match /api/ requests against the route tables, check the
 * route's role, run its handler, and answer 404/405 for the rest.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal.h"

const struct route *const router_tables[] = {
	routes_health,     routes_session,  routes_users,   routes_orgs,
	routes_audit,      routes_registry, routes_members, routes_engine,
	routes_transition, routes_opinion,  NULL,
};

/* Length of the segment starting at s (up to '/' or the end). */
static size_t seglen(const char *s)
{
	const char *slash = strchr(s, '/');

	return slash != NULL ? (size_t)(slash - s) : strlen(s);
}

/* A canonical id: 1-ROUTE_ID_MAX, digits only, no leading zero. */
static int parse_id(const char *s, size_t len, int64_t *out)
{
	int64_t v = 0;
	size_t i;

	if (len == 0 || s[0] == '0')
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		if (v > (ROUTE_ID_MAX - (s[i] - '0')) / 10)
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

int route_match(const char *pattern, const char *path, struct route_params *p)
{
	struct route_params local;
	int nseg = 0;

	if (p == NULL)
		p = &local;
	p->n = 0;
	if (pattern[0] != '/' || path[0] != '/')
		return 0;
	for (;;) {
		size_t plen, slen;

		pattern++;
		path++;
		if (++nseg > ROUTE_SEGMENTS_MAX)
			return 0;
		plen = seglen(pattern);
		slen = seglen(path);
		if (slen == 0)
			return 0; /* "//", or a trailing "/" */
		if (plen >= 2 && pattern[0] == '{' &&
		    pattern[plen - 1] == '}') {
			if (p->n >= ROUTE_PARAMS_MAX ||
			    !parse_id(path, slen, &p->id[p->n]))
				return 0;
			p->n++;
		} else if (plen != slen || memcmp(pattern, path, plen) != 0) {
			return 0;
		}
		pattern += plen;
		path += slen;
		if (*pattern == '\0' || *path == '\0')
			return *pattern == '\0' && *path == '\0';
	}
}

/* Append method to the Allow list unless it is there already. */
static void allow_add(char *allow, size_t size, const char *method)
{
	size_t len = strlen(allow), mlen = strlen(method);
	const char *s = allow;

	while (*s != '\0') {
		size_t n = strcspn(s, ",");

		if (n == mlen && memcmp(s, method, n) == 0)
			return;
		s += n;
		while (*s == ',' || *s == ' ')
			s++;
	}
	snprintf(allow + len, size - len, "%s%s", len ? ", " : "", method);
}

enum router_result router_find(const struct route *const *tables,
                               const char *method, const char *path,
                               const struct route **out, struct route_params *p,
                               char *allow, size_t allow_size)
{
	/* HEAD is GET without the body (RFC 9110 §9.3.2): libmicrohttpd
	 * drops the body of a HEAD answer. */
	const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
	int path_seen = 0;
	size_t t;

	if (allow != NULL && allow_size > 0)
		allow[0] = '\0';
	for (t = 0; tables[t] != NULL; t++) {
		const struct route *r;

		for (r = tables[t]; r->method != NULL; r++) {
			if (!route_match(r->pattern, path, p))
				continue;
			if (strcmp(r->method, want) == 0) {
				*out = r;
				return ROUTER_FOUND;
			}
			path_seen = 1;
			if (allow != NULL && allow_size > 0) {
				allow_add(allow, allow_size, r->method);
				if (strcmp(r->method, "GET") == 0)
					allow_add(allow, allow_size, "HEAD");
			}
		}
	}
	return path_seen ? ROUTER_NO_METHOD : ROUTER_NO_PATH;
}

enum xj_err route_authorize(const struct route *r, int authenticated,
                            unsigned roles, struct xj_error *err)
{
	if (r->roles == 0)
		return XJ_OK;
	if (!authenticated)
		return xj_error_set(err, XJ_EUNAUTH, "请先登录");
	if ((r->roles & roles) == 0)
		return xj_error_set(err, XJ_EFORBIDDEN,
		                    "您的角色无权使用此功能");
	return XJ_OK;
}

static int state_changing(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/*
 * Who is asking: an API token (Authorization: Bearer) or a session
 * cookie. Sets req->authed and req->who; nothing found is not an error.
 */
static enum xj_err authenticate(struct http_req *req, struct xj_error *err)
{
	const char *auth = MHD_lookup_connection_value(
	    req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	const char *cookie = MHD_lookup_connection_value(
	    req->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
	struct store *st;
	enum xj_err e = XJ_OK;
	int found = 0;

	st = http_store_acquire(req);
	if (auth != NULL && strncmp(auth, "Bearer ", 7) == 0) {
		e = auth_bearer(st, auth + 7, &req->who, &found, err);
		req->via_token = 1;
	} else if (cookie != NULL) {
		e = auth_session(st, cookie, (int64_t)time(NULL), &req->who,
		                 &found, err);
	}
	http_store_release(req);
	req->authed = e == XJ_OK && found;
	return e;
}

/* The object a route's {id} names must lie in the caller's scope, through
 * the roles the route accepts; otherwise it "does not exist". */
static enum xj_err scope_check(struct http_req *req, enum route_scope scope,
                               int64_t id, const char *field,
                               struct xj_error *err)
{
	unsigned mask = req->route->roles & req->who.roles;
	struct store *st;
	enum xj_err e;
	int in = 0;

	if (scope == SCOPE_NONE)
		return XJ_OK;
	st = http_store_acquire(req);
	if (scope == SCOPE_MEMBER)
		e = store_scope_member(st, req->who.user_id, mask, id, &in,
		                       err);
	else if (scope == SCOPE_OPINION)
		e = store_opinion_visible(st, req->who.user_id, mask, id, &in,
		                          err);
	else
		e = store_scope_org(st, req->who.user_id, mask, id, &in, err);
	if (e == XJ_OK && in && scope == SCOPE_UNIT) {
		struct org_row o;
		int found = 0;

		e = store_org_get(st, id, &o, &found, err);
		in = found && o.o.is_unit;
	}
	http_store_release(req);
	if (e == XJ_OK && !in)
		e = xj_error_field(err, XJ_ENOTFOUND, field,
		                   "%s不存在 (编号 %lld)",
		                   scope == SCOPE_ORG       ? "组织"
		                   : scope == SCOPE_UNIT    ? "单位"
		                   : scope == SCOPE_OPINION ? "意见"
		                                            : "党员",
		                   (long long)id);
	return e;
}

static enum xj_err check_scope(struct http_req *req, const struct route *r,
                               struct xj_error *err)
{
	return scope_check(req, r->scope, req->params.id[0], NULL, err);
}

enum xj_err http_scope_member(struct http_req *req, int64_t member_id,
                              const char *field, struct xj_error *err)
{
	return scope_check(req, SCOPE_MEMBER, member_id, field, err);
}

enum xj_err http_scope_opinion(struct http_req *req, int64_t opinion_id,
                               const char *field, struct xj_error *err)
{
	return scope_check(req, SCOPE_OPINION, opinion_id, field, err);
}

enum xj_err http_scope_org(struct http_req *req, int64_t org_id,
                           const char *field, struct xj_error *err)
{
	return scope_check(req, SCOPE_ORG, org_id, field, err);
}

/*
 * Every check happens here, in this order, before any handler runs:
 * route, session, role, CSRF token, object scope. No handler checks
 * permissions itself.
 */
enum MHD_Result router_dispatch(struct http_req *req)
{
	char allow[ROUTE_ALLOW_MAX];
	const struct route *r = NULL;
	struct xj_error err;
	enum xj_err rc = XJ_OK;

	switch (router_find(router_tables, req->method, req->path, &r,
	                    &req->params, allow, sizeof(allow))) {
	case ROUTER_NO_PATH:
		return http_error(req, XJ_ENOTFOUND, NULL, "没有这个接口: %s",
		                  req->path);
	case ROUTER_NO_METHOD:
		return http_error_allow(req, allow,
		                        "接口 %s 不支持 %s 方法（支持: %s）",
		                        req->path, req->method, allow);
	case ROUTER_FOUND:
		break;
	}
	xj_error_clear(&err);
	req->route = r;
	if (r->roles != 0)
		rc = authenticate(req, &err);
	if (rc == XJ_OK)
		rc = route_authorize(r, req->authed, req->who.roles, &err);
	/* A browser sends the cookie by itself; only our page knows the
	 * CSRF token. API tokens are never sent by a browser. */
	if (rc == XJ_OK && r->roles != 0 && !req->via_token &&
	    state_changing(req->method)) {
		const char *t = MHD_lookup_connection_value(
		    req->conn, MHD_HEADER_KIND, "X-CSRF-Token");

		if (t == NULL || secret_compare(t, req->who.csrf) != 0)
			rc = xj_error_set(&err, XJ_EFORBIDDEN,
			                  "缺少或错误的 CSRF 令牌，请刷新页面"
			                  "后重试");
	}
	if (rc == XJ_OK && r->roles != 0)
		rc = check_scope(req, r, &err);
	if (rc == XJ_OK)
		rc = r->handler(req, &err);
	if (rc != XJ_OK)
		return http_error(req, rc, err.field, "%s", err.msg);
	if (!req->replied) /* a handler said XJ_OK without answering */
		return http_error(req, XJ_EINTERNAL, NULL, NULL);
	return req->queued;
}
