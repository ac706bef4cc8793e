/*
 * Unit tests of http_parse_listen() and of the router's pattern matching
 * and lookup (src/http/router.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../../src/http/router.h"
#include "xianjiao/http.h"

/* --- http_parse_listen -------------------------------------------- */

static void listen_good(void **state)
{
	static const struct {
		const char *in;
		const char *host;
		unsigned short port;
	} cases[] = {
		{ "127.0.0.1:8080", "127.0.0.1", 8080 },
		{ "0.0.0.0:0", "0.0.0.0", 0 },
		{ "255.255.255.255:65535", "255.255.255.255", 65535 },
		{ "10.1.2.3:1", "10.1.2.3", 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct http_config cfg;
		struct xj_error err;

		http_config_init(&cfg);
		xj_error_clear(&err);
		assert_int_equal(http_parse_listen(cases[i].in, &cfg, &err),
		                 XJ_OK);
		assert_string_equal(cfg.host, cases[i].host);
		assert_int_equal(cfg.port, cases[i].port);
		assert_string_equal(err.msg, "");
	}
}

static void listen_bad(void **state)
{
	static const char *const cases[] = {
		"",
		"localhost",
		"localhost:8080",
		"1.2.3.4",
		"1.2.3.4:",
		"1.2.3.4:99999",
		"1.2.3.4:65536",
		"1.2.3.4:-1",
		"1.2.3.4:+80",
		"1.2.3.4:80x",
		"1.2.3.4: 80",
		":80",
		"1.2.3:80",
		"127.1:80",
		"1.2.3.4.5:80",
		"256.1.1.1:80",
		"1.2.3.4:80:80",
		"[::1]:80",
		"::1:80",
		"1234567890123456789:80",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct http_config cfg;
		struct xj_error err;

		http_config_init(&cfg);
		xj_error_clear(&err);
		assert_int_equal(http_parse_listen(cases[i], &cfg, &err),
		                 XJ_EUSAGE);
		assert_int_equal(err.code, XJ_EUSAGE);
		assert_string_equal(err.field, "listen");
		assert_non_null(strstr(err.msg, "--listen"));
		/* cfg is left as it was */
		assert_string_equal(cfg.host, "127.0.0.1");
		assert_int_equal(cfg.port, 8080);
	}
}

static void listen_null(void **state)
{
	struct http_config cfg;
	struct xj_error err;

	(void)state;
	http_config_init(&cfg);
	xj_error_clear(&err);
	assert_int_equal(http_parse_listen(NULL, &cfg, &err), XJ_EUSAGE);
	assert_string_equal(err.field, "listen");
}

static void config_defaults(void **state)
{
	struct http_config cfg;

	(void)state;
	memset(&cfg, 0x5a, sizeof(cfg));
	http_config_init(&cfg);
	assert_string_equal(cfg.host, "127.0.0.1");
	assert_int_equal(cfg.port, 8080);
	assert_null(cfg.web_dir);
	assert_int_equal(cfg.body_max, HTTP_BODY_MAX_DEFAULT);
	assert_int_equal(cfg.threads, 0);
	assert_null(cfg.announce);
}

/* --- route_match -------------------------------------------------- */

static void match_literal(void **state)
{
	struct route_params p;

	(void)state;
	assert_true(route_match("/api/v1/health", "/api/v1/health", &p));
	assert_int_equal(p.n, 0);
	assert_true(route_match("/api/v1/health", "/api/v1/health", NULL));
	assert_false(route_match("/api/v1/health", "/api/v1/health/", &p));
	assert_false(route_match("/api/v1/health", "/api/v1/healt", &p));
	assert_false(route_match("/api/v1/health", "/api/v1/healthz", &p));
	assert_false(route_match("/api/v1/health", "/api/v1", &p));
	assert_false(route_match("/api/v1/health", "/api//v1/health", &p));
	assert_false(route_match("/api/v1/health", "//api/v1/health", &p));
	assert_false(route_match("/api/v1/health", "api/v1/health", &p));
	assert_false(route_match("/api/v1/health", "/API/v1/health", &p));
	assert_false(route_match("/api/v1/health", "", &p));
	assert_false(route_match("/api/v1/health", "/", &p));
}

static void match_ids(void **state)
{
	static const char *const bad[] = {
		"/api/v1/orgs/0",
		"/api/v1/orgs/007",
		"/api/v1/orgs/-1",
		"/api/v1/orgs/+1",
		"/api/v1/orgs/1a",
		"/api/v1/orgs/a1",
		"/api/v1/orgs/1.5",
		"/api/v1/orgs/ 1",
		"/api/v1/orgs/",
		"/api/v1/orgs",
		"/api/v1/orgs/42/",
		"/api/v1/orgs//42",
		"/api/v1/orgs/9007199254740992",
		"/api/v1/orgs/99999999999999999999",
		"/api/v1/orgs/{id}",
	};
	struct route_params p;
	size_t i;

	(void)state;
	assert_true(route_match("/api/v1/orgs/{id}", "/api/v1/orgs/42", &p));
	assert_int_equal(p.n, 1);
	assert_int_equal(p.id[0], 42);
	assert_true(route_match("/api/v1/orgs/{id}", "/api/v1/orgs/1", &p));
	assert_int_equal(p.id[0], 1);
	assert_true(route_match("/api/v1/orgs/{id}",
	                        "/api/v1/orgs/9007199254740991", &p));
	assert_true(p.id[0] == ROUTE_ID_MAX);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (route_match("/api/v1/orgs/{id}", bad[i], &p))
			fail_msg("matched %s", bad[i]);
}

static void match_two_ids(void **state)
{
	const char *pat = "/api/v1/orgs/{id}/members/{member}";
	struct route_params p;

	(void)state;
	assert_true(route_match(pat, "/api/v1/orgs/7/members/123", &p));
	assert_int_equal(p.n, 2);
	assert_int_equal(p.id[0], 7);
	assert_int_equal(p.id[1], 123);
	assert_false(route_match(pat, "/api/v1/orgs/7/member/123", &p));
	assert_false(route_match(pat, "/api/v1/orgs/7/members", &p));
	assert_false(route_match(pat, "/api/v1/orgs/7/members/123/x", &p));
	assert_false(route_match(pat, "/api/v1/orgs/x/members/123", &p));
}

static void match_limits(void **state)
{
	struct route_params p;

	(void)state;
	/* four placeholders fit, a fifth does not */
	assert_true(route_match("/{a}/{b}/{c}/{d}", "/1/2/3/4", &p));
	assert_int_equal(p.n, 4);
	assert_int_equal(p.id[3], 4);
	assert_false(route_match("/{a}/{b}/{c}/{d}/{e}", "/1/2/3/4/5", &p));
	/* at most ROUTE_SEGMENTS_MAX segments */
	assert_true(route_match("/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a",
	                        "/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a", &p));
	assert_false(route_match("/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a",
	                         "/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a", &p));
}

/* --- router_find -------------------------------------------------- */

static enum xj_err dummy(struct http_req *req, struct xj_error *err)
{
	(void)req;
	(void)err;
	return XJ_OK;
}

static enum xj_err dummy2(struct http_req *req, struct xj_error *err)
{
	(void)req;
	(void)err;
	return XJ_EINTERNAL;
}

static const struct route table_a[] = {
	{ "GET", "/x", 0, SCOPE_NONE, dummy },
	{ "POST", "/x", 0, SCOPE_NONE, dummy2 },
	{ NULL, NULL, 0, SCOPE_NONE, NULL },
};

static const struct route table_b[] = {
	{ "DELETE", "/y/{id}", 0, SCOPE_NONE, dummy },
	{ "GET", "/x", 0, SCOPE_NONE, dummy2 }, /* shadowed by table_a */
	{ NULL, NULL, 0, SCOPE_NONE, NULL },
};

static const struct route *const tables[] = { table_a, table_b, NULL };

static void find_routes(void **state)
{
	char allow[ROUTE_ALLOW_MAX];
	const struct route *r = NULL;
	struct route_params p;

	(void)state;
	assert_int_equal(
	    router_find(tables, "GET", "/x", &r, &p, allow, sizeof(allow)),
	    ROUTER_FOUND);
	assert_ptr_equal(r, &table_a[0]);
	assert_int_equal(
	    router_find(tables, "HEAD", "/x", &r, &p, allow, sizeof(allow)),
	    ROUTER_FOUND);
	assert_ptr_equal(r, &table_a[0]);
	assert_int_equal(
	    router_find(tables, "POST", "/x", &r, &p, allow, sizeof(allow)),
	    ROUTER_FOUND);
	assert_ptr_equal(r, &table_a[1]);
	assert_int_equal(router_find(tables, "DELETE", "/y/12", &r, &p, allow,
	                             sizeof(allow)),
	                 ROUTER_FOUND);
	assert_ptr_equal(r, &table_b[0]);
	assert_int_equal(p.n, 1);
	assert_int_equal(p.id[0], 12);
}

static void find_misses(void **state)
{
	char allow[ROUTE_ALLOW_MAX];
	const struct route *r = NULL;
	struct route_params p;

	(void)state;
	assert_int_equal(
	    router_find(tables, "PUT", "/x", &r, &p, allow, sizeof(allow)),
	    ROUTER_NO_METHOD);
	assert_string_equal(allow, "GET, HEAD, POST");
	assert_int_equal(
	    router_find(tables, "GET", "/y/3", &r, &p, allow, sizeof(allow)),
	    ROUTER_NO_METHOD);
	assert_string_equal(allow, "DELETE");
	assert_int_equal(
	    router_find(tables, "GET", "/z", &r, &p, allow, sizeof(allow)),
	    ROUTER_NO_PATH);
	assert_string_equal(allow, "");
	/* a bad id is no path at all, not a wrong method */
	assert_int_equal(
	    router_find(tables, "DELETE", "/y/0", &r, &p, allow, sizeof(allow)),
	    ROUTER_NO_PATH);
	/* method names are case-sensitive (RFC 9110 §9.1) */
	assert_int_equal(
	    router_find(tables, "get", "/x", &r, &p, allow, sizeof(allow)),
	    ROUTER_NO_METHOD);
	/* a small buffer truncates, never overflows */
	{
		char tiny[5];

		memset(tiny, 'z', sizeof(tiny));
		assert_int_equal(router_find(tables, "PUT", "/x", &r, &p, tiny,
		                             sizeof(tiny)),
		                 ROUTER_NO_METHOD);
		assert_int_equal(tiny[sizeof(tiny) - 1], '\0');
	}
}

static void server_tables(void **state)
{
	char allow[ROUTE_ALLOW_MAX];
	const struct route *r = NULL;
	struct route_params p;

	(void)state;
	assert_int_equal(router_find(router_tables, "GET", "/api/v1/health", &r,
	                             &p, allow, sizeof(allow)),
	                 ROUTER_FOUND);
	assert_int_equal(r->roles, 0);
	assert_int_equal(router_find(router_tables, "POST", "/api/v1/health",
	                             &r, &p, allow, sizeof(allow)),
	                 ROUTER_NO_METHOD);
	assert_string_equal(allow, "GET, HEAD");
}

static void authorize(void **state)
{
	const struct route pub = { "GET", "/p", 0, SCOPE_NONE, NULL };
	const struct route office = { "GET", "/o", ROLE_BIT(ROLE_OFFICE),
		                      SCOPE_NONE, NULL };
	struct xj_error err;

	(void)state;
	xj_error_clear(&err);
	assert_int_equal(route_authorize(&pub, 0, 0, &err), XJ_OK);
	assert_int_equal(route_authorize(&office, 0, 0, &err), XJ_EUNAUTH);
	assert_int_not_equal(err.msg[0], '\0');
	assert_int_equal(
	    route_authorize(&office, 1, ROLE_BIT(ROLE_MEMBER), &err),
	    XJ_EFORBIDDEN);
	assert_int_equal(
	    route_authorize(&office, 1,
	                    ROLE_BIT(ROLE_MEMBER) | ROLE_BIT(ROLE_OFFICE),
	                    &err),
	    XJ_OK);
	/* a session with no role at all gets nothing */
	assert_int_equal(route_authorize(&office, 1, 0, &err), XJ_EFORBIDDEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(listen_good),
		cmocka_unit_test(listen_bad),
		cmocka_unit_test(listen_null),
		cmocka_unit_test(config_defaults),
		cmocka_unit_test(match_literal),
		cmocka_unit_test(match_ids),
		cmocka_unit_test(match_two_ids),
		cmocka_unit_test(match_limits),
		cmocka_unit_test(find_routes),
		cmocka_unit_test(find_misses),
		cmocka_unit_test(server_tables),
		cmocka_unit_test(authorize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
