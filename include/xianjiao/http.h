/*
 * http.h - the HTTP server: libmicrohttpd for the protocol, jansson for
 * JSON, routes declared in tables (src/http/route-*.c).
 *
 *   struct http_config cfg;
 *   http_config_init(&cfg);                      defaults, no allocation
 *   http_parse_listen("127.0.0.1:0", &cfg, &err); host and port
 *   cfg.web_dir = "web/dist";                    optional static files
 *   cfg.announce = stdout;                       optional
 *   http_serve(&cfg, st, &err);                  until SIGINT/SIGTERM
 *
 * What the server answers:
 *   - /api/... is routed through the route tables. An unknown path answers
 *     404, a known path with another method 405 with an Allow header.
 *   - every other path is a static file under web_dir (404 when web_dir
 *     is NULL). Nothing outside web_dir is ever served: no "..", no
 *     symlink pointing out, no hidden file.
 *   - every error is JSON, {"error":{"code":C,"message":M,"field":F}},
 *     with C from xj_errcode(), M in 简体中文, F the input field or null,
 *     and the status from xj_http_status().
 *   - a request body larger than body_max answers 413 (code "too_large"):
 *     at once when Content-Length says so, after the body when chunked;
 *     a chunked body more than 1 MiB past the limit is cut off unanswered.
 *   - every response carries X-Content-Type-Options: nosniff, except the
 *     few libmicrohttpd writes itself for requests it cannot parse (400,
 *     431 for headers over 64 KiB), which are not JSON either.
 *
 * http_serve() runs until SIGINT or SIGTERM, then stops accepting, lets
 * requests in flight finish (at most HTTP_DRAIN_SECONDS) and returns
 * XJ_OK; a second signal while it waits stops at once. It blocks SIGINT
 * and SIGTERM in the calling thread while it runs (the server's threads
 * inherit that mask), takes them with sigwait() and restores the mask
 * before returning, so no signal handler is involved. Other threads of the
 * process must keep the two signals blocked too.
 *
 * Ownership: the config and everything it points to, and the store, are
 * borrowed for the duration of http_serve(). The store is used by one
 * request at a time (the server holds a mutex around every use).
 */
#ifndef XJ_HTTP_H
#define XJ_HTTP_H

#include <stddef.h>
#include <stdio.h>

#include "xianjiao/error.h"

struct store;

#define HTTP_BODY_MAX_DEFAULT                                                  \
	(16u << 20)                    /* 16 MiB: a roster, as table.h reads */
#define HTTP_BODY_MAX_LIMIT (1u << 30) /* the most --body-max accepts */
#define HTTP_THREADS_DEFAULT 4
#define HTTP_THREADS_MAX 64
#define HTTP_DRAIN_SECONDS 10 /* longest wait for requests in flight */
#define HTTP_HOST_MAX 16      /* "255.255.255.255" and its NUL */

struct http_config {
	char host[HTTP_HOST_MAX]; /* IPv4 dotted quad, "127.0.0.1" */
	unsigned short port;      /* 0: any free port */
	const char *web_dir;      /* static files, NULL for none */
	size_t body_max;          /* request bodies above this answer 413 */
	unsigned threads; /* worker pool: 0 for HTTP_THREADS_DEFAULT, at most
	                   * HTTP_THREADS_MAX */
	/* Once listening, "listening on http://HOST:PORT/\n" is written here
	 * and flushed (PORT is the one chosen if port was 0). NULL for
	 * silence. */
	FILE *announce;
	/* Mark the session cookie Secure: set when clients reach the server
	 * over TLS (a TLS-terminating proxy in front of it). */
	int secure_cookies;
};

/* Defaults: 127.0.0.1:8080, no web_dir, HTTP_BODY_MAX_DEFAULT, default
 * threads, no announce. Allocates nothing. */
void http_config_init(struct http_config *cfg);

/*
 * Parse "HOST:PORT" (HOST an IPv4 dotted quad, PORT 0-65535) into
 * cfg->host and cfg->port. On error returns XJ_EUSAGE with field "listen"
 * and a message naming --listen; cfg is then unchanged.
 */
enum xj_err http_parse_listen(const char *s, struct http_config *cfg,
                              struct xj_error *err);

/*
 * Serve until SIGINT or SIGTERM (see above). Errors before serving:
 * XJ_EUSAGE (field "web") when web_dir is not a readable directory,
 * XJ_EUSAGE (field "listen") for a bad host, XJ_EIO when the address
 * cannot be bound or the server cannot start.
 */
enum xj_err http_serve(const struct http_config *cfg, struct store *st,
                       struct xj_error *err);

#endif
