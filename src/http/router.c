/*
 * router.c - match /api/ requests against the route tables, check the
 * route's role, run its handler, and answer 404/405 for the rest.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

const struct route *const router_tables[] = {
	routes_health,
	NULL,
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

enum xj_err route_authorize(enum route_role role, struct xj_error *err)
{
	switch (role) {
	case ROLE_PUBLIC:
		return XJ_OK;
	case ROLE__MAX:
		break;
	}
	/* A role this router does not know: refuse rather than guess. */
	return xj_error_set(err, XJ_EFORBIDDEN, "无权访问此接口");
}

enum MHD_Result router_dispatch(struct http_req *req)
{
	char allow[ROUTE_ALLOW_MAX];
	const struct route *r = NULL;
	struct xj_error err;
	enum xj_err rc;

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
	rc = route_authorize(r->role, &err);
	if (rc == XJ_OK)
		rc = r->handler(req, &err);
	if (rc != XJ_OK)
		return http_error(req, rc, err.field, "%s", err.msg);
	if (!req->replied) /* a handler said XJ_OK without answering */
		return http_error(req, XJ_EINTERNAL, NULL, NULL);
	return req->queued;
}
