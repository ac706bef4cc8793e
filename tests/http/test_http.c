/*
 * The HTTP server over a loopback socket: the real `xianjiao serve`
 * binary, spoken to by a raw client (tests/lib/httpc.h) so requests can be
 * as malformed as an attacker likes.
 *
 * Layout of the shared server's temp dir:
 *   secret.txt                next to the web root, never to be served
 *   web/index.html            the single-page app
 *   web/assets/app.js, web/css/site.css, web/data.json, web/logo.svg
 *   web/docs/index.html       a directory index
 *   web/empty/                a directory without index
 *   web/.hidden.txt           hidden file
 *   web/pipe.txt              a FIFO
 *   web/link-out -> DIR       symlink to the dir holding secret.txt
 *   web/link-file -> DIR/secret.txt
 *   web/link-in.html -> index.html   a symlink that stays inside
 */
#include <errno.h>
#include <jansson.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../lib/harness.h"
#include "../lib/httpc.h"
#include "xianjiao/store.h"
#include "xianjiao/strbuf.h"
#include "xianjiao/text.h"

#define BODY_MAX 1024
#define BODY_MAX_S "1024"
#define SECRET "TOP-SECRET-c0ffee-4242"
#define INDEX "<!doctype html><title>先教</title><p>INDEX-PAGE</p>\n"
#define DOCS "<p>DOCS-INDEX</p>\n"
#define APP_JS "console.log('APP-JS');\n"
#define SITE_CSS "body{color:red}/*SITE-CSS*/\n"

static struct xj_server srv;

static char *const server_args[] = { (char *)"--body-max", (char *)BODY_MAX_S,
	                             NULL };

static void mkdir_in(const char *dir, const char *name)
{
	char *p = path_join(dir, name);

	if (mkdir(p, 0700) != 0)
		abort();
	free(p);
}

static void file_in(const char *dir, const char *name, const char *data)
{
	char *p = path_join(dir, name);

	write_file(p, data);
	free(p);
}

static void symlink_in(const char *dir, const char *name, const char *to)
{
	char *p = path_join(dir, name);

	if (symlink(to, p) != 0)
		abort();
	free(p);
}

static void fill_web(struct xj_server *s)
{
	char *secret = path_join(s->dir, "secret.txt");
	char *fifo = path_join(s->web, "pipe.txt");

	write_file(secret, SECRET "\n");
	file_in(s->web, "index.html", INDEX);
	mkdir_in(s->web, "assets");
	file_in(s->web, "assets/app.js", APP_JS);
	mkdir_in(s->web, "css");
	file_in(s->web, "css/site.css", SITE_CSS);
	file_in(s->web, "data.json", "{\"ok\":true}\n");
	file_in(s->web, "logo.svg",
	        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
	mkdir_in(s->web, "docs");
	file_in(s->web, "docs/index.html", DOCS);
	mkdir_in(s->web, "empty");
	file_in(s->web, ".hidden.txt", "HIDDEN-FILE\n");
	if (mkfifo(fifo, 0600) != 0)
		abort();
	symlink_in(s->web, "link-out", s->dir);
	symlink_in(s->web, "link-file", secret);
	symlink_in(s->web, "link-in.html", "index.html");
	free(secret);
	free(fifo);
}

static int group_setup(void **state)
{
	(void)state;
	xj_server_prepare(&srv);
	fill_web(&srv);
	return xj_server_start(&srv, server_args);
}

static int group_teardown(void **state)
{
	int st;

	(void)state;
	st = xj_server_stop(&srv);
	xj_server_release(&srv);
	return st == 0 ? 0 : -1;
}

/* --- helpers ------------------------------------------------------ */

static void get(const char *method, const char *path, struct http_resp *r)
{
	if (httpc_get(srv.port, method, path, r) != 0)
		fail_msg("%s %s: no HTTP response: %s", method, path, r->raw);
}

static void raw(const char *request, struct http_resp *r)
{
	if (httpc_request(srv.port, request, r) != 0)
		fail_msg("no HTTP response to %s: %s", request, r->raw);
}

static int has_cjk(const char *s)
{
	size_t len = strlen(s), i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n =
		    utf8_decode((const unsigned char *)s + i, len - i, &cp);

		if (n == 0)
			return 0;
		if (text_is_cjk(cp))
			return 1;
		i += n;
	}
	return 0;
}

static void assert_common_headers(const struct http_resp *r)
{
	const char *h = http_resp_header(r, "X-Content-Type-Options");

	assert_non_null(h);
	assert_string_equal(h, "nosniff");
}

/*
 * r is a JSON error with the given status and code: the right
 * Content-Type, a non-empty Chinese message, field null or a string.
 */
static void assert_json_error(const struct http_resp *r, int status,
                              const char *code)
{
	const char *ct = http_resp_header(r, "Content-Type");
	json_error_t jerr;
	json_t *doc, *e, *msg, *field;

	assert_int_equal(r->status, status);
	assert_common_headers(r);
	assert_non_null(ct);
	assert_string_equal(ct, "application/json; charset=utf-8");
	doc = json_loadb(r->body, r->body_len, 0, &jerr);
	if (doc == NULL)
		fail_msg("not JSON (%s): %s", jerr.text, r->body);
	e = json_object_get(doc, "error");
	assert_true(json_is_object(e));
	assert_string_equal(json_string_value(json_object_get(e, "code")),
	                    code);
	msg = json_object_get(e, "message");
	assert_true(json_is_string(msg));
	assert_true(has_cjk(json_string_value(msg)));
	field = json_object_get(e, "field");
	assert_true(field == NULL || json_is_null(field) ||
	            json_is_string(field));
	json_decref(doc);
}

static void assert_no_secret(const struct http_resp *r)
{
	if (memmem(r->raw, r->raw_len, SECRET, strlen(SECRET)) != NULL)
		fail_msg("the secret leaked: %s", r->raw);
	if (memmem(r->raw, r->raw_len, "root:", 5) != NULL)
		fail_msg("/etc/passwd leaked: %s", r->raw);
	if (memmem(r->raw, r->raw_len, "HIDDEN-FILE", 11) != NULL)
		fail_msg("a hidden file leaked: %s", r->raw);
}

/* --- the API ------------------------------------------------------ */

static void health(void **state)
{
	struct http_resp r;
	json_t *doc;
	json_error_t jerr;

	(void)state;
	get("GET", "/api/v1/health", &r);
	assert_int_equal(r.status, 200);
	assert_common_headers(&r);
	assert_string_equal(http_resp_header(&r, "Content-Type"),
	                    "application/json; charset=utf-8");
	doc = json_loadb(r.body, r.body_len, 0, &jerr);
	if (doc == NULL)
		fail_msg("not JSON: %s", r.body);
	assert_string_equal(json_string_value(json_object_get(doc, "name")),
	                    "xianjiao");
	assert_string_equal(json_string_value(json_object_get(doc, "version")),
	                    XJ_VERSION);
	assert_string_equal(json_string_value(json_object_get(doc, "status")),
	                    "ok");
	assert_true(json_is_integer(json_object_get(doc, "schema_version")));
	/* a fresh database is at the newest schema */
	assert_int_equal(
	    json_integer_value(json_object_get(doc, "schema_version")),
	    store_schema_latest());
	assert_int_equal(
	    json_integer_value(json_object_get(doc, "schema_latest")),
	    store_schema_latest());
	assert_true(store_schema_latest() >= 1);
	json_decref(doc);
	http_resp_release(&r);
}

static void health_head(void **state)
{
	struct http_resp r;

	(void)state;
	get("HEAD", "/api/v1/health", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, 0);
	assert_string_equal(http_resp_header(&r, "Content-Type"),
	                    "application/json; charset=utf-8");
	http_resp_release(&r);
}

static void api_unknown(void **state)
{
	static const char *const paths[] = {
		"/api/v1/nope",
		"/api",
		"/api/",
		"/api/v1/health/",
		"/api/v1/health/1",
		"/api/v2/health",
		"/api/v1//health",
		"/api/v1/%E5%85%88%E6%95%99",
		"/api/v1/%ff%fe",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct http_resp r;

		get("GET", paths[i], &r);
		assert_json_error(&r, 404, "not_found");
		http_resp_release(&r);
	}
}

static void api_wrong_method(void **state)
{
	static const char *const methods[] = { "POST", "PUT", "DELETE",
		                               "PATCH" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		struct http_resp r;

		get(methods[i], "/api/v1/health", &r);
		assert_json_error(&r, 405, "method_not_allowed");
		assert_non_null(http_resp_header(&r, "Allow"));
		assert_string_equal(http_resp_header(&r, "Allow"), "GET, HEAD");
		http_resp_release(&r);
	}
}

/* --- body limits -------------------------------------------------- */

static void body_too_large_by_length(void **state)
{
	struct http_resp r;

	(void)state;
	/* Only the headers: the answer must come without the body. */
	raw("POST /api/v1/health HTTP/1.1\r\nHost: x\r\n"
	    "Content-Type: application/json\r\n"
	    "Content-Length: 1025\r\nConnection: close\r\n\r\n",
	    &r);
	assert_json_error(&r, 413, "too_large");
	http_resp_release(&r);

	/* Far too large, on a path that does not even exist. */
	raw("PUT /api/v1/nope HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 99999999999\r\nConnection: close\r\n\r\n",
	    &r);
	assert_json_error(&r, 413, "too_large");
	http_resp_release(&r);
}

static void body_too_large_expect_continue(void **state)
{
	struct http_resp r;

	(void)state;
	/* A client asking first is refused before sending: no 100. */
	raw("POST /api/v1/health HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 5000\r\nExpect: 100-continue\r\n"
	    "Connection: close\r\n\r\n",
	    &r);
	assert_json_error(&r, 413, "too_large");
	assert_null(strstr(r.raw, "100 Continue"));
	http_resp_release(&r);
}

/* A chunked request whose chunks total len bytes, in pieces of 300. */
static char *chunked(const char *path, size_t len)
{
	struct strbuf sb;

	strbuf_init(&sb, 1 << 20);
	assert_int_equal(strbuf_addf(&sb,
	                             "POST %s HTTP/1.1\r\nHost: x\r\n"
	                             "Transfer-Encoding: chunked\r\n"
	                             "Connection: close\r\n\r\n",
	                             path),
	                 0);
	while (len > 0) {
		size_t n = len < 300 ? len : 300;

		assert_int_equal(strbuf_addf(&sb, "%zx\r\n", n), 0);
		while (n-- > 0) {
			assert_int_equal(strbuf_addch(&sb, 'a'), 0);
			len--;
		}
		assert_int_equal(strbuf_adds(&sb, "\r\n"), 0);
	}
	assert_int_equal(strbuf_adds(&sb, "0\r\n\r\n"), 0);
	return strbuf_detach(&sb, NULL);
}

static void body_too_large_chunked(void **state)
{
	struct http_resp r;
	char *req;

	(void)state;
	req = chunked("/api/v1/health", BODY_MAX + 1);
	raw(req, &r);
	free(req);
	assert_json_error(&r, 413, "too_large");
	http_resp_release(&r);

	req = chunked("/api/v1/health", 20 * BODY_MAX);
	raw(req, &r);
	free(req);
	assert_json_error(&r, 413, "too_large");
	http_resp_release(&r);
}

static void body_at_limit(void **state)
{
	struct strbuf sb;
	struct http_resp r;
	char *req;

	(void)state;
	/* Exactly body_max bytes is allowed: the route answers (405). */
	strbuf_init(&sb, 1 << 20);
	assert_int_equal(strbuf_addf(&sb,
	                             "POST /api/v1/health HTTP/1.1\r\n"
	                             "Host: x\r\nContent-Length: %d\r\n"
	                             "Connection: close\r\n\r\n",
	                             BODY_MAX),
	                 0);
	for (int i = 0; i < BODY_MAX; i++)
		assert_int_equal(strbuf_addch(&sb, 'b'), 0);
	raw(sb.buf, &r);
	strbuf_release(&sb);
	assert_json_error(&r, 405, "method_not_allowed");
	http_resp_release(&r);

	req = chunked("/api/v1/health", BODY_MAX);
	raw(req, &r);
	free(req);
	assert_json_error(&r, 405, "method_not_allowed");
	http_resp_release(&r);
}

/* Far past the limit the server stops reading and hangs up, and stays
 * well. */
static void body_endless_chunked(void **state)
{
	static const char head[] = "POST /api/v1/health HTTP/1.1\r\nHost: x\r\n"
	                           "Transfer-Encoding: chunked\r\n\r\n";
	struct timeval tv = { HTTPC_TIMEOUT_MS / 1000, 0 };
	char chunk[4096 + 16];
	struct http_resp r;
	int fd, i;

	(void)state;
	memcpy(chunk, "1000\r\n", 6);
	memset(chunk + 6, 'c', 4096);
	memcpy(chunk + 6 + 4096, "\r\n", 2);
	fd = httpc_connect(srv.port);
	httpc_sends(fd, head);
	/* 16 MiB, far more than the 1 MiB dropped before hanging up: the
	 * sends fail once the server has closed. A server that read on
	 * would take it all and wait for the last chunk. */
	assert_int_equal(
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)), 0);
	for (i = 0; i < 4096; i++)
		if (send(fd, chunk, 6 + 4096 + 2, MSG_NOSIGNAL) <= 0)
			break;
	assert_true(i < 4096);
	/* refused by the server, not a send timing out */
	assert_true(errno == EPIPE || errno == ECONNRESET);
	close(fd);
	get("GET", "/api/v1/health", &r);
	assert_int_equal(r.status, 200);
	http_resp_release(&r);
}

/* --- static files ------------------------------------------------- */

static void static_index(void **state)
{
	struct http_resp r;

	(void)state;
	get("GET", "/", &r);
	assert_int_equal(r.status, 200);
	assert_common_headers(&r);
	assert_string_equal(http_resp_header(&r, "Content-Type"),
	                    "text/html; charset=utf-8");
	assert_string_equal(http_resp_header(&r, "Cache-Control"), "no-cache");
	assert_string_equal(r.body, INDEX);
	http_resp_release(&r);

	get("GET", "/index.html", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, INDEX);
	http_resp_release(&r);

	/* a query string does not change the file */
	get("GET", "/?v=3", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, INDEX);
	http_resp_release(&r);
}

static void static_types(void **state)
{
	static const struct {
		const char *path, *type, *body;
	} cases[] = {
		{ "/assets/app.js", "text/javascript; charset=utf-8", APP_JS },
		{ "/css/site.css", "text/css; charset=utf-8", SITE_CSS },
		{ "/data.json", "application/json; charset=utf-8",
		  "{\"ok\":true}\n" },
		{ "/logo.svg", "image/svg+xml",
		  "<svg xmlns=\"http://www.w3.org/2000/svg\"/>" },
		{ "/docs/", "text/html; charset=utf-8", DOCS },
		{ "/docs", "text/html; charset=utf-8", DOCS },
		{ "/link-in.html", "text/html; charset=utf-8", INDEX },
		/* a symlink out and back in again stays inside */
		{ "/link-out/web/index.html", "text/html; charset=utf-8",
		  INDEX },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct http_resp r;

		get("GET", cases[i].path, &r);
		if (r.status != 200)
			fail_msg("%s: %d %s", cases[i].path, r.status, r.body);
		assert_string_equal(http_resp_header(&r, "Content-Type"),
		                    cases[i].type);
		assert_string_equal(r.body, cases[i].body);
		assert_common_headers(&r);
		http_resp_release(&r);
	}
}

static void static_cache(void **state)
{
	struct http_resp r;

	(void)state;
	get("GET", "/assets/app.js", &r);
	assert_string_equal(http_resp_header(&r, "Cache-Control"),
	                    "public, max-age=31536000, immutable");
	http_resp_release(&r);
	get("GET", "/css/site.css", &r);
	assert_string_equal(http_resp_header(&r, "Cache-Control"),
	                    "public, max-age=3600");
	http_resp_release(&r);
}

static void static_spa_fallback(void **state)
{
	static const char *const views[] = { "/campaigns", "/campaigns/42",
		                             "/orgs/7/members", "/a/b/c/" };
	static const char *const missing[] = { "/missing.js", "/assets/x.css",
		                               "/campaigns/42.json" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		struct http_resp r;

		get("GET", views[i], &r);
		if (r.status != 200)
			fail_msg("%s: %d", views[i], r.status);
		assert_string_equal(http_resp_header(&r, "Content-Type"),
		                    "text/html; charset=utf-8");
		assert_string_equal(r.body, INDEX);
		http_resp_release(&r);
	}
	for (i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		struct http_resp r;

		get("GET", missing[i], &r);
		assert_json_error(&r, 404, "not_found");
		http_resp_release(&r);
	}
}

static void static_head(void **state)
{
	struct http_resp r;
	char len[32];

	(void)state;
	get("HEAD", "/", &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body_len, 0);
	snprintf(len, sizeof(len), "%zu", strlen(INDEX));
	assert_string_equal(http_resp_header(&r, "Content-Length"), len);
	assert_string_equal(http_resp_header(&r, "Content-Type"),
	                    "text/html; charset=utf-8");
	http_resp_release(&r);
}

static void static_methods(void **state)
{
	static const char *const methods[] = { "POST", "PUT", "DELETE" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		struct http_resp r;

		get(methods[i], "/index.html", &r);
		assert_json_error(&r, 405, "method_not_allowed");
		assert_string_equal(http_resp_header(&r, "Allow"), "GET, HEAD");
		http_resp_release(&r);
	}
}

static void static_traversal(void **state)
{
	static const char *const paths[] = {
		"/../secret.txt",
		"/%2e%2e/secret.txt",
		"/%2E%2E/secret.txt",
		"/%2E%2E%2Fsecret.txt",
		"/a/../../secret.txt",
		"/..%2fsecret.txt",
		"/..%2Fsecret.txt",
		"/%2e%2e%2f%2e%2e%2fetc/passwd",
		"/../../../../../../etc/passwd",
		"/..",
		"/../",
		"/./index.html",
		"/assets/./app.js",
		"/assets/../index.html",
		"//etc/passwd",
		"//secret.txt",
		"/assets//app.js",
		"/..\\secret.txt",
		"/%5c..%5csecret.txt",
		"/link-out/secret.txt",
		"/link-out/./secret.txt",
		"/link-out",
		"/link-out/",
		"/link-file",
		"/link-file/",
		"/%6cink-file",
		"/index.html%00.png",
		"/%00",
		"/.hidden.txt",
		"/%2ehidden.txt",
		"/pipe.txt",
		"/empty",
		"/empty/",
		"/assets/app.js%0a",
		"/%01",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct http_resp r;

		get("GET", paths[i], &r);
		assert_no_secret(&r);
		if (r.status != 404 && r.status != 403 && r.status != 400)
			fail_msg("%s answered %d: %s", paths[i], r.status,
			         r.body);
		if (r.status == 404)
			assert_json_error(&r, 404, "not_found");
		http_resp_release(&r);
	}
}

/* Absolute-form and odd request targets are refused too. */
static void static_odd_targets(void **state)
{
	static const char *const requests[] = {
		"GET http://127.0.0.1/../secret.txt HTTP/1.1\r\nHost: x\r\n"
		"Connection: close\r\n\r\n",
		"GET ../secret.txt HTTP/1.1\r\nHost: x\r\n"
		"Connection: close\r\n\r\n",
		"GET /link-out/secret.txt HTTP/1.0\r\n\r\n",
		"GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(requests) / sizeof(requests[0]); i++) {
		struct http_resp r;
		int fd = httpc_connect(srv.port);

		httpc_sends(fd, requests[i]);
		httpc_read(fd, &r, HTTPC_TIMEOUT_MS);
		assert_no_secret(&r);
		if (r.status == 200)
			fail_msg("answered 200 to %s", requests[i]);
		http_resp_release(&r);
	}
}

/* The server is still well after all of the above. */
static void still_healthy(void **state)
{
	struct http_resp r;

	(void)state;
	get("GET", "/api/v1/health", &r);
	assert_int_equal(r.status, 200);
	http_resp_release(&r);
}

/* --- shutdown ----------------------------------------------------- */

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void stop_on_signal(int sig)
{
	struct xj_server s;
	struct http_resp r;
	unsigned short port;
	int fd;

	xj_server_prepare(&s);
	assert_int_equal(xj_server_start(&s, NULL), 0);
	port = s.port;
	assert_int_equal(httpc_get(port, "GET", "/api/v1/health", &r), 0);
	assert_int_equal(r.status, 200);
	http_resp_release(&r);
	/* A keep-alive connection left idle after its answer must not hold
	 * up the exit: well under HTTP_DRAIN_SECONDS. */
	fd = httpc_connect(port);
	httpc_sends(fd, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n");
	assert_int_equal(httpc_read_interim(fd, HTTPC_TIMEOUT_MS), 200);
	assert_int_equal(kill(s.pid, sig), 0);
	assert_int_equal(proc_wait(s.pid, 5000), 0);
	s.pid = 0;
	close(fd);
	/* the port is closed */
	fd = httpc_try_connect(port);
	if (fd >= 0)
		close(fd);
	assert_int_equal(fd, -1);
	assert_int_equal(errno, ECONNREFUSED);
	xj_server_release(&s);
}

static void stop_sigterm(void **state)
{
	(void)state;
	stop_on_signal(SIGTERM);
}

static void stop_sigint(void **state)
{
	(void)state;
	stop_on_signal(SIGINT);
}

static void stop_after_inflight(void **state)
{
	const char *part1 = "{\"half\":", *part2 = "\"the rest\"}";
	char head[256];
	struct xj_server s;
	struct http_resp r;
	int fd, st;

	(void)state;
	xj_server_prepare(&s);
	assert_int_equal(xj_server_start(&s, NULL), 0);
	fd = httpc_connect(s.port);
	/* "Expect: 100-continue" makes the server say when it has read
	 * the headers: from then on the request is in flight. */
	snprintf(head, sizeof(head),
	         "POST /api/v1/health HTTP/1.1\r\nHost: x\r\n"
	         "Content-Type: application/json\r\n"
	         "Content-Length: %zu\r\nExpect: 100-continue\r\n"
	         "Connection: close\r\n\r\n",
	         strlen(part1) + strlen(part2));
	httpc_sends(fd, head);
	assert_int_equal(httpc_read_interim(fd, HTTPC_TIMEOUT_MS), 100);
	httpc_sends(fd, part1);
	assert_int_equal(kill(s.pid, SIGTERM), 0);
	sleep_ms(300);
	/* still waiting for us */
	assert_int_equal(waitpid(s.pid, &st, WNOHANG), 0);
	httpc_sends(fd, part2);
	assert_int_equal(httpc_read(fd, &r, HTTPC_TIMEOUT_MS), 0);
	assert_json_error(&r, 405, "method_not_allowed");
	assert_string_equal(http_resp_header(&r, "Connection"), "close");
	http_resp_release(&r);
	assert_int_equal(proc_wait(s.pid, 3 * HTTPC_TIMEOUT_MS), 0);
	s.pid = 0;
	xj_server_release(&s);
}

/* A second signal ends the wait for a stalled request at once. */
static void stop_second_signal(void **state)
{
	struct xj_server s;
	int fd, st;

	(void)state;
	xj_server_prepare(&s);
	assert_int_equal(xj_server_start(&s, NULL), 0);
	fd = httpc_connect(s.port);
	httpc_sends(fd, "POST /api/v1/health HTTP/1.1\r\nHost: x\r\n"
	                "Content-Length: 10\r\nExpect: 100-continue\r\n\r\n");
	assert_int_equal(httpc_read_interim(fd, HTTPC_TIMEOUT_MS), 100);
	assert_int_equal(kill(s.pid, SIGTERM), 0);
	sleep_ms(300);
	assert_int_equal(waitpid(s.pid, &st, WNOHANG), 0);
	assert_int_equal(kill(s.pid, SIGINT), 0);
	/* well under HTTP_DRAIN_SECONDS */
	assert_int_equal(proc_wait(s.pid, 5000), 0);
	s.pid = 0;
	close(fd);
	xj_server_release(&s);
}

/* --- serve's command line ----------------------------------------- */

/* stderr is one line that mentions want. */
static void assert_one_line(const struct proc_result *r, const char *want)
{
	size_t len = strlen(r->err);

	if (strstr(r->err, want) == NULL)
		fail_msg("stderr lacks \"%s\": %s", want, r->err);
	assert_true(len > 0);
	assert_int_equal(r->err[len - 1], '\n');
	assert_null(memchr(r->err, '\n', len - 1));
	assert_string_equal(r->out, "");
}

static void cli_errors(void **state)
{
	struct xj_server s;
	struct proc_result r;
	char *nodb, *noweb, *file;

	(void)state;
	xj_server_prepare(&s);
	nodb = path_join(s.dir, "nope.sqlite");
	noweb = path_join(s.dir, "no-web");
	file = path_join(s.dir, "plain.txt");
	write_file(file, "x");

	xj_run(&r, "serve", "--listen", "127.0.0.1:0", NULL);
	assert_int_equal(r.status, 2);
	assert_one_line(&r, "--db");
	proc_result_release(&r);

	xj_run(&r, "serve", "--db", s.db, NULL);
	assert_int_equal(r.status, 2);
	assert_one_line(&r, "--listen");
	proc_result_release(&r);

	{
		static const char *const bad[] = { "localhost", "1.2.3.4:99999",
			                           "1.2.3.4",
			                           "127.0.0.1:http" };
		size_t i;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			xj_run(&r, "serve", "--db", s.db, "--listen", bad[i],
			       NULL);
			assert_int_equal(r.status, 2);
			assert_one_line(&r, "--listen");
			assert_non_null(strstr(r.err, bad[i]));
			proc_result_release(&r);
		}
	}

	xj_run(&r, "serve", "--db", nodb, "--listen", "127.0.0.1:0", NULL);
	assert_int_equal(r.status, 1);
	assert_one_line(&r, "不存在");
	proc_result_release(&r);
	/* and it was not created */
	assert_int_equal(access(nodb, F_OK), -1);

	xj_run(&r, "serve", "--db", s.db, "--listen", "127.0.0.1:0", "--web",
	       noweb, NULL);
	assert_int_equal(r.status, 2);
	assert_one_line(&r, "--web");
	proc_result_release(&r);

	xj_run(&r, "serve", "--db", s.db, "--listen", "127.0.0.1:0", "--web",
	       file, NULL);
	assert_int_equal(r.status, 2);
	assert_one_line(&r, "不是目录");
	proc_result_release(&r);

	xj_run(&r, "serve", "--db", s.db, "--listen", "127.0.0.1:0",
	       "--body-max", "lots", NULL);
	assert_int_equal(r.status, 2);
	assert_one_line(&r, "--body-max");
	proc_result_release(&r);

	xj_run(&r, "serve", "--db", s.db, "--listen", "127.0.0.1:0",
	       "--body-max", "0", NULL);
	assert_int_equal(r.status, 2);
	assert_one_line(&r, "--body-max");
	proc_result_release(&r);

	xj_run(&r, "serve", "--db", s.db, "--listen", "127.0.0.1:0", "extra",
	       NULL);
	assert_int_equal(r.status, 2);
	proc_result_release(&r);

	free(nodb);
	free(noweb);
	free(file);
	xj_server_release(&s);
}

static void cli_port_in_use(void **state)
{
	struct proc_result r;
	char listen[32];

	(void)state;
	/* the shared server holds its port */
	snprintf(listen, sizeof(listen), "127.0.0.1:%u", srv.port);
	xj_run(&r, "serve", "--db", srv.db, "--listen", listen, NULL);
	assert_int_equal(r.status, 1);
	assert_one_line(&r, "端口已被占用");
	assert_non_null(strstr(r.err, listen));
	proc_result_release(&r);
}

static void cli_help(void **state)
{
	struct proc_result r;

	(void)state;
	xj_run(&r, "serve", "--help", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "--listen HOST:PORT"));
	assert_non_null(strstr(r.out, "--web DIR"));
	assert_non_null(strstr(r.out, "--body-max BYTES"));
	proc_result_release(&r);
	xj_run(&r, "--help", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "serve"));
	proc_result_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(health),
		cmocka_unit_test(health_head),
		cmocka_unit_test(api_unknown),
		cmocka_unit_test(api_wrong_method),
		cmocka_unit_test(body_too_large_by_length),
		cmocka_unit_test(body_too_large_expect_continue),
		cmocka_unit_test(body_too_large_chunked),
		cmocka_unit_test(body_at_limit),
		cmocka_unit_test(body_endless_chunked),
		cmocka_unit_test(static_index),
		cmocka_unit_test(static_types),
		cmocka_unit_test(static_cache),
		cmocka_unit_test(static_spa_fallback),
		cmocka_unit_test(static_head),
		cmocka_unit_test(static_methods),
		cmocka_unit_test(static_traversal),
		cmocka_unit_test(static_odd_targets),
		cmocka_unit_test(still_healthy),
		cmocka_unit_test(cli_port_in_use),
		cmocka_unit_test(cli_help),
		cmocka_unit_test(cli_errors),
		cmocka_unit_test(stop_sigterm),
		cmocka_unit_test(stop_sigint),
		cmocka_unit_test(stop_after_inflight),
		cmocka_unit_test(stop_second_signal),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
