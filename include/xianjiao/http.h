/*
 * http.h - the HTTP server: libmicrohttpd for the protocol, jansson for
 * JSON, routes declared in tables (src/http/route-*.c).
 *
 * http_serve() runs until SIGINT or SIGTERM, then stops accepting, lets
 * requests in flight finish and returns. The store is borrowed.
 */
#ifndef XJ_HTTP_H
#define XJ_HTTP_H

#include <stddef.h>

#include "xianjiao/error.h"

struct store;

#define HTTP_BODY_MAX_DEFAULT (8u << 20) /* 8 MiB: a large roster XLSX */

struct http_config {
	const char *host;    /* "127.0.0.1" */
	unsigned short port; /* 0: any free port */
	const char *web_dir; /* static files, NULL for none */
	size_t body_max;     /* request bodies above this answer 413 */
	unsigned threads;    /* worker threads, 0 for the default */
	/* Once listening, the address is printed to this stream as
	 * "listening on http://HOST:PORT/" (the port chosen if port was 0).
	 * NULL for silence. */
	void *announce; /* FILE * */
};

/*
 * Parse "HOST:PORT" (IPv4 address; PORT 0-65535). On error returns
 * XJ_EUSAGE naming the --listen option.
 */
enum xj_err http_parse_listen(const char *s, struct http_config *cfg,
                              struct xj_error *err);

enum xj_err http_serve(const struct http_config *cfg, struct store *st,
                       struct xj_error *err);

#endif
