/*
 * router.h - route tables and the matching of a request path against them.
 *
 * Each src/http/route-*.c exports one table of struct route, ended by an
 * entry with a NULL method. A route names its method, a path pattern, the
 * roles that may call it, what its {id} names (for the scope check) and
 * the handler. The router finds the route, authenticates, checks the
 * roles, the CSRF token and the object's scope, and only then runs the
 * handler, so no handler checks who may call it.
 *
 * Patterns are absolute paths split on '/'. A segment "{name}" matches a
 * decimal id in [1, ROUTE_ID_MAX] written without sign or leading zeros
 * (so each object has exactly one URL); every other segment matches
 * itself only. No empty segments, no trailing slash.
 *
 * Nothing here allocates; this header needs no libmicrohttpd, so unit
 * tests include it directly.
 */
#ifndef XJ_HTTP_ROUTER_H
#define XJ_HTTP_ROUTER_H

#include <stddef.h>
#include <stdint.h>

#include "xianjiao/core.h"
#include "xianjiao/error.h"

#define ROUTE_PARAMS_MAX 4
#define ROUTE_SEGMENTS_MAX 16
/* Ids travel to the browser as JSON numbers: keep them exact in a double
 * (2^53 - 1, JavaScript's Number.MAX_SAFE_INTEGER). */
#define ROUTE_ID_MAX INT64_C(9007199254740991)
/* Room for an Allow header value listing every method. */
#define ROUTE_ALLOW_MAX 64

/*
 * What the first {id} of a route names. The router checks that object
 * against the caller's scope before the handler runs; outside the scope
 * it answers 404, exactly as for an id that does not exist.
 */
enum route_scope {
	SCOPE_NONE,   /* no object, or one any holder of the role may use */
	SCOPE_ORG,    /* an organisation: store_scope_org() */
	SCOPE_MEMBER, /* a member: store_scope_member() */
	SCOPE_UNIT,   /* a unit (单位): store_scope_org(), and an organisation
	               * that is not a unit does not exist here either */
	SCOPE_OPINION, /* an opinion (征求意见): store_opinion_visible(), the
	                * visibility its lists use */
};

/* The {placeholders} of a matched pattern, in the order they appear. */
struct route_params {
	int n;
	int64_t id[ROUTE_PARAMS_MAX];
};

struct http_req;

struct route {
	const char *method;  /* "GET", "POST"...; NULL ends a table */
	const char *pattern; /* "/api/v1/orgs/{id}" */
	/* ROLE_BIT mask of the roles (core.h) that may call it; 0: public,
	 * no session needed. */
	unsigned roles;
	enum route_scope scope;
	/*
	 * Runs with the params in req->params. Returns XJ_OK after replying
	 * (http_reply_json()), or an error with err filled, which the router
	 * answers as a JSON error.
	 */
	enum xj_err (*handler)(struct http_req *req, struct xj_error *err);
};

/*
 * Match path against pattern. Returns 1 and fills p (may be NULL) on a
 * match, 0 otherwise (p is then unspecified).
 */
int route_match(const char *pattern, const char *path, struct route_params *p);

enum router_result {
	ROUTER_FOUND,     /* *out is the route, p its params */
	ROUTER_NO_PATH,   /* no route has this path: 404 */
	ROUTER_NO_METHOD, /* the path exists with other methods: 405 */
};

/*
 * Look method and path up in tables (a NULL-terminated array of tables).
 * A HEAD request matches a GET route. On ROUTER_NO_METHOD, allow receives
 * the methods the path accepts, "GET, HEAD, POST", in table order.
 */
enum router_result router_find(const struct route *const *tables,
                               const char *method, const char *path,
                               const struct route **out, struct route_params *p,
                               char *allow, size_t allow_size);

/*
 * May a caller holding roles (a ROLE_BIT mask; authenticated 0 for no
 * session) call route r? XJ_OK, XJ_EUNAUTH (no session on a non-public
 * route) or XJ_EFORBIDDEN (none of the route's roles), with err filled.
 * The scope of the object is checked separately, against the store.
 */
enum xj_err route_authorize(const struct route *r, int authenticated,
                            unsigned roles, struct xj_error *err);

/* The tables, one per src/http/route-*.c. */
extern const struct route routes_health[];
extern const struct route routes_session[];
extern const struct route routes_users[];
extern const struct route routes_orgs[];
extern const struct route routes_audit[];
extern const struct route routes_registry[];
extern const struct route routes_members[];
extern const struct route routes_engine[];
extern const struct route routes_transition[];
extern const struct route routes_opinion[];

/* Every table the server routes through, NULL-terminated. */
extern const struct route *const router_tables[];

#endif
