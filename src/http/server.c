/*
 * server.c - the libmicrohttpd daemon: request lifecycle, bodies,
 * responses, startup and shutdown.
 *
 * Threading. The daemon runs an internal polling thread pool (epoll on
 * Linux) of cfg->threads workers, not a thread per connection. A browser
 * keeps up to six keep-alive connections per user, mostly idle; a pool
 * serves hundreds of them with a fixed number of threads, where
 * thread-per-connection would spend a thread (and its stack) on each. The
 * cost of a pool is that a handler that blocks stalls the other
 * connections of its worker; our handlers are short (reads come from the
 * in-memory engine, writes are one store transaction) and all store work
 * is serialised by one mutex anyway, so more threads would only wait on
 * it. Static files go out with sendfile() and do not hold a worker.
 *
 * A request's life: on_uri() (MHD_OPTION_URI_LOG_CALLBACK, once per
 * request, with the raw URI) makes its struct http_req; on_request() is
 * called for the headers, then for each piece of the body, then once more
 * with no data, when the request is answered; on_completed() frees it.
 * libmicrohttpd calls on_completed() for every request on_uri() saw, also
 * when the client goes away or the daemon stops.
 *
 * Bodies are collected whole (bounded by cfg->body_max) before a handler
 * runs, so a handler sees the complete body and a response is only ever
 * queued once the request is complete - except the early 413 below.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "xianjiao/alloc.h"
#include "xianjiao/text.h"

/* An idle or stalled connection is closed after this many seconds. */
#define CONN_TIMEOUT_S 30
/* Per connection: the request line and headers must fit in this. */
#define CONN_MEMORY_LIMIT ((size_t)64 * 1024)
#define CONN_LIMIT 1000u
/*
 * libmicrohttpd cannot queue a response in the middle of a body, so a
 * chunked body that outgrows body_max is read on and dropped until it
 * ends, and answered 413 then. A client that sends more than this past
 * the limit is cut off without an answer (nginx's lingering close gives
 * up the same way).
 */
#define DISCARD_MAX ((size_t)1 << 20)
#define REQ_ARENA_CHUNK 4096
#define DRAIN_TICK_MS 20

/* The answer when even building an error answer failed. */
static const char internal_json[] =
    "{\"error\":{\"code\":\"internal\",\"message\":\"内部错误\","
    "\"field\":null}}";

void http_config_init(struct http_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->host, "127.0.0.1", sizeof("127.0.0.1"));
	cfg->port = 8080;
	cfg->web_dir = NULL;
	cfg->body_max = HTTP_BODY_MAX_DEFAULT;
	cfg->threads = 0;
	cfg->announce = NULL;
}

static enum xj_err bad_listen(struct xj_error *err, const char *s,
                              const char *why)
{
	return xj_error_field(err, XJ_EUSAGE, "listen",
	                      "监听地址 --listen %s 有误：%s；格式为 "
	                      "IPv4地址:端口，例如 127.0.0.1:8080",
	                      s, why);
}

enum xj_err http_parse_listen(const char *s, struct http_config *cfg,
                              struct xj_error *err)
{
	char host[HTTP_HOST_MAX];
	struct in_addr addr;
	const char *colon;
	int64_t port;
	size_t hlen;

	if (s == NULL || s[0] == '\0')
		return xj_error_field(err, XJ_EUSAGE, "listen",
		                      "监听地址 --listen 为空；格式为 "
		                      "IPv4地址:端口，例如 127.0.0.1:8080");
	colon = strrchr(s, ':');
	if (colon == NULL)
		return bad_listen(err, s, "缺少端口");
	hlen = (size_t)(colon - s);
	if (hlen == 0 || hlen >= sizeof(host))
		return bad_listen(err, s, "主机应为 IPv4 地址");
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	/* inet_pton takes exactly the dotted quad: no names, no short
	 * forms like "127.1", no octal. */
	if (inet_pton(AF_INET, host, &addr) != 1)
		return bad_listen(err, s, "主机应为 IPv4 地址");
	if (util_parse_int(colon + 1, 0, 65535, &port, "port", NULL) != XJ_OK)
		return bad_listen(err, s, "端口应为 0 至 65535 之间的整数");
	memcpy(cfg->host, host, hlen + 1);
	cfg->port = (unsigned short)port;
	return XJ_OK;
}

/* --- responses ---------------------------------------------------- */

enum MHD_Result http_reply(struct http_req *req, unsigned status,
                           struct MHD_Response *resp)
{
	enum MHD_Result rc;

	if (resp == NULL)
		return MHD_NO;
	rc = MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (rc == MHD_YES && req->set_cookie != NULL)
		rc = MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE,
		                             req->set_cookie);
	/* While draining, no connection takes a further request. */
	if (rc == MHD_YES && atomic_load(&req->srv->draining))
		rc = MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION,
		                             "close");
	if (rc == MHD_YES)
		rc = MHD_queue_response(req->conn, status, resp);
	MHD_destroy_response(resp);
	req->replied = 1;
	req->queued = rc;
	return rc;
}

/* A JSON response from text; with MHD_RESPMEM_MUST_FREE text is freed
 * with free() once sent. */
static struct MHD_Response *json_response(char *text,
                                          enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(strlen(text), text, mode);
	if (resp == NULL) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(text);
		return NULL;
	}
	if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	                            HTTP_JSON_TYPE) != MHD_YES ||
	    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
	                            "no-store") != MHD_YES) {
		MHD_destroy_response(resp);
		return NULL;
	}
	return resp;
}

static enum MHD_Result reply_internal(struct http_req *req)
{
	return http_reply(
	    req, MHD_HTTP_INTERNAL_SERVER_ERROR,
	    json_response((char *)internal_json, MHD_RESPMEM_PERSISTENT));
}

enum MHD_Result http_reply_json(struct http_req *req, unsigned status,
                                json_t *body)
{
	char *text;

	if (body == NULL) /* json_pack() failed: a bug */
		return reply_internal(req);
	/* jansson allocates with malloc(), so libmicrohttpd may free(). */
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (text == NULL)
		return reply_internal(req);
	return http_reply(req, status,
	                  json_response(text, MHD_RESPMEM_MUST_FREE));
}

static enum MHD_Result error_reply(struct http_req *req, enum xj_err code,
                                   const char *field, const char *allow,
                                   const char *fmt, va_list ap)
{
	char msg[XJ_ERROR_MSG_MAX] = "";
	struct MHD_Response *resp;
	json_t *body;
	char *text;

	if (fmt != NULL)
		vsnprintf(msg, sizeof(msg), fmt, ap);
	/* The message may quote the path or a field the client sent, and
	 * snprintf may have cut a character in two: jansson only takes
	 * valid UTF-8, so fall back to the generic text. */
	if (msg[0] == '\0' ||
	    utf8_validate(msg, strlen(msg), NULL, NULL) != XJ_OK)
		snprintf(msg, sizeof(msg), "%s", xj_strerror(code));
	if (field != NULL &&
	    (field[0] == '\0' ||
	     utf8_validate(field, strlen(field), NULL, NULL) != XJ_OK))
		field = NULL;
	body = json_pack("{s:{s:s,s:s,s:s?}}", "error", "code",
	                 xj_errcode(code), "message", msg, "field", field);
	if (body == NULL)
		return reply_internal(req);
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (text == NULL)
		return reply_internal(req);
	resp = json_response(text, MHD_RESPMEM_MUST_FREE);
	if (resp != NULL && allow != NULL &&
	    MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow) !=
	        MHD_YES) {
		MHD_destroy_response(resp);
		resp = NULL;
	}
	return http_reply(req, (unsigned)xj_http_status(code), resp);
}

enum MHD_Result http_error(struct http_req *req, enum xj_err code,
                           const char *field, const char *fmt, ...)
{
	enum MHD_Result rc;
	va_list ap;

	va_start(ap, fmt);
	rc = error_reply(req, code, field, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

enum MHD_Result http_error_allow(struct http_req *req, const char *allow,
                                 const char *fmt, ...)
{
	enum MHD_Result rc;
	va_list ap;

	va_start(ap, fmt);
	rc = error_reply(req, XJ_EMETHOD, NULL, allow, fmt, ap);
	va_end(ap);
	return rc;
}

struct store *http_store_acquire(struct http_req *req)
{
	pthread_mutex_lock(&req->srv->store_lock);
	return req->srv->st;
}

void http_store_release(struct http_req *req)
{
	pthread_mutex_unlock(&req->srv->store_lock);
}

/* --- the request lifecycle ---------------------------------------- */

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct http_server *srv = cls;
	struct http_req *req = xcalloc(1, sizeof(*req));

	req->srv = srv;
	req->conn = conn;
	arena_init(&req->arena, REQ_ARENA_CHUNK);
	strbuf_init(&req->body, srv->cfg->body_max);
	req->raw_uri = arena_strdup(&req->arena, uri);
	return req;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
                         enum MHD_RequestTerminationCode why)
{
	struct http_server *srv = cls;
	struct http_req *req = *req_cls;

	(void)conn;
	(void)why;
	if (req == NULL)
		return;
	*req_cls = NULL;
	if (req->started) {
		pthread_mutex_lock(&srv->lock);
		srv->inflight--;
		pthread_mutex_unlock(&srv->lock);
	}
	strbuf_release(&req->body);
	arena_release(&req->arena);
	free(req);
}

/* Does the request announce a body larger than body_max? (RFC 9110
 * §8.6; libmicrohttpd has already refused a malformed Content-Length.) */
static int declared_too_large(struct http_req *req)
{
	const char *cl = MHD_lookup_connection_value(
	    req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	uint64_t v = 0;

	if (cl == NULL)
		return 0;
	for (; *cl >= '0' && *cl <= '9'; cl++) {
		if (v > (UINT64_MAX - 9) / 10)
			return 1;
		v = v * 10 + (uint64_t)(*cl - '0');
	}
	return v > req->srv->cfg->body_max;
}

static enum MHD_Result too_large(struct http_req *req)
{
	return http_error(req, XJ_ETOOLARGE, NULL, "请求体超过 %zu 字节的上限",
	                  req->srv->cfg->body_max);
}

static int is_api(const char *path)
{
	return strncmp(path, "/api", 4) == 0 &&
	       (path[4] == '\0' || path[4] == '/');
}

static enum MHD_Result dispatch(struct http_req *req)
{
	if (is_api(req->path))
		return router_dispatch(req);
	if (req->srv->web_root != NULL)
		return static_serve(req);
	return http_error(req, XJ_ENOTFOUND, NULL, "页面不存在: %s", req->path);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls)
{
	struct http_req *req = *req_cls;
	size_t n = *upload_data_size;

	(void)cls;
	(void)conn;
	(void)version;
	if (req == NULL) /* on_uri() makes one for every request */
		return MHD_NO;
	if (!req->started) {
		/* In flight from here (headers complete) to on_completed():
		 * the shutdown waits for it. A request still sending its
		 * headers is not waited for. */
		pthread_mutex_lock(&req->srv->lock);
		req->srv->inflight++;
		pthread_mutex_unlock(&req->srv->lock);
		req->started = 1;
		req->method = arena_strdup(&req->arena, method);
		req->path = arena_strdup(&req->arena, url);
		/* Refuse at once, before the body is sent: a client that
		 * asked "Expect: 100-continue" never sends it. */
		if (declared_too_large(req))
			return too_large(req);
		return MHD_YES;
	}
	if (n > 0) {
		*upload_data_size = 0;
		if (req->replied)
			return MHD_YES;
		if (!req->too_large &&
		    strbuf_add(&req->body, upload_data, n) == XJ_OK)
			return MHD_YES;
		req->too_large = 1;
		req->discarded += n;
		return req->discarded > DISCARD_MAX ? MHD_NO : MHD_YES;
	}
	if (req->replied)
		return MHD_YES;
	if (req->too_large)
		return too_large(req);
	return dispatch(req);
}

/* --- startup and shutdown ----------------------------------------- */

static const char *bind_reason(int e)
{
	switch (e) {
	case EADDRINUSE:
		return "端口已被占用";
	case EACCES:
		return "没有权限（1024 以下的端口需要特权）";
	case EADDRNOTAVAIL:
		return "本机没有这个地址";
	default:
		return strerror(e);
	}
}

/*
 * Bind the listening socket ourselves rather than let libmicrohttpd do
 * it: MHD_start_daemon() only returns NULL, and the user needs to know
 * that the port is taken.
 */
static enum xj_err listen_socket(const struct http_config *cfg, int *out,
                                 struct xj_error *err)
{
	struct sockaddr_in sa;
	int fd, one = 1, e;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(cfg->port);
	if (inet_pton(AF_INET, cfg->host, &sa.sin_addr) != 1)
		return xj_error_field(err, XJ_EUSAGE, "listen",
		                      "监听地址 --listen 的主机 %s 不是 IPv4 "
		                      "地址",
		                      cfg->host);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return xj_error_set(err, XJ_EIO, "无法创建套接字: %s",
		                    strerror(errno));
	/* A restart right after a shutdown must not wait for TIME_WAIT. */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(fd, SOMAXCONN) != 0) {
		e = errno;
		close(fd);
		return xj_error_field(err, XJ_EIO, "listen",
		                      "无法监听 %s:%u：%s", cfg->host,
		                      (unsigned)cfg->port, bind_reason(e));
	}
	*out = fd;
	return XJ_OK;
}

static unsigned bound_port(struct MHD_Daemon *d, int fd)
{
	const union MHD_DaemonInfo *info =
	    MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);

	if (info != NULL && info->port != 0)
		return info->port;
	if (getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		return ntohs(sa.sin_port);
	return 0;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)(t.tv_sec - t0->tv_sec) * 1000 +
	       (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * Stop accepting, then wait (bounded) until no request is in flight. A
 * second signal ends the wait. Connections without a request whose
 * headers are complete (idle keep-alive, or a request line still coming)
 * are not waited for: MHD_stop_daemon() closes them. A client that sent
 * its headers and then stalls holds the exit up to HTTP_DRAIN_SECONDS.
 * Returns the listening socket if libmicrohttpd handed it back.
 */
static int drain(struct http_server *srv, struct MHD_Daemon *d,
                 const sigset_t *sigs)
{
	const struct timespec tick = { 0, DRAIN_TICK_MS * 1000000L };
	struct timespec t0;
	MHD_socket lfd;

	atomic_store(&srv->draining, 1);
	lfd = MHD_quiesce_daemon(d);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (elapsed_ms(&t0) < HTTP_DRAIN_SECONDS * 1000L) {
		unsigned n;

		pthread_mutex_lock(&srv->lock);
		n = srv->inflight;
		pthread_mutex_unlock(&srv->lock);
		if (n == 0)
			break;
		if (sigtimedwait(sigs, NULL, &tick) >= 0)
			break;
	}
	return lfd == MHD_INVALID_SOCKET ? -1 : lfd;
}

enum xj_err http_serve(const struct http_config *cfg, struct store *st,
                       struct xj_error *err)
{
	const struct timespec zero = { 0, 0 };
	struct http_server srv;
	struct MHD_Daemon *d = NULL;
	sigset_t sigs, old;
	unsigned threads;
	int fd = -1, sig, masked = 0;
	enum xj_err rc;

	memset(&srv, 0, sizeof(srv));
	srv.cfg = cfg;
	srv.st = st;
	pthread_mutex_init(&srv.store_lock, NULL);
	pthread_mutex_init(&srv.lock, NULL);
	throttle_init(&srv.throttle);
	atomic_init(&srv.draining, 0);
	if (cfg->web_dir != NULL) {
		rc = static_root(cfg->web_dir, &srv.web_root, err);
		if (rc != XJ_OK)
			goto out;
		srv.web_root_len = strlen(srv.web_root);
	}
	rc = listen_socket(cfg, &fd, err);
	if (rc != XJ_OK)
		goto out;

	/* Block the signals before the daemon starts its threads, so they
	 * inherit the mask and only sigwait() below ever takes them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, &old);
	masked = 1;

	threads = cfg->threads ? cfg->threads : HTTP_THREADS_DEFAULT;
	if (threads > HTTP_THREADS_MAX)
		threads = HTTP_THREADS_MAX;
	d = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC, 0,
	    NULL, NULL, on_request, &srv, MHD_OPTION_LISTEN_SOCKET,
	    (MHD_socket)fd, MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, &srv,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONN_TIMEOUT_S,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONN_MEMORY_LIMIT,
	    MHD_OPTION_CONNECTION_LIMIT, CONN_LIMIT, MHD_OPTION_END);
	if (d == NULL) {
		/* Whether libmicrohttpd closed the socket it was given on
		 * failure differs between versions; nothing else runs now,
		 * so the fd number cannot have been reused. */
		if (fcntl(fd, F_GETFD) != -1)
			close(fd);
		fd = -1;
		rc = xj_error_set(err, XJ_EIO, "无法启动 HTTP 服务 (%s:%u)",
		                  cfg->host, (unsigned)cfg->port);
		goto out;
	}
	if (cfg->announce != NULL) {
		fprintf(cfg->announce, "listening on http://%s:%u/\n",
		        cfg->host, bound_port(d, fd));
		fflush(cfg->announce);
	}
	fd = -1; /* the daemon's now, until MHD_quiesce_daemon() */

	while (sigwait(&sigs, &sig) != 0)
		;
	fd = drain(&srv, d, &sigs);
	MHD_stop_daemon(d);
	rc = XJ_OK;
out:
	if (fd >= 0)
		close(fd);
	if (masked) {
		/* A signal that came after the first must not kill the
		 * process once it is unblocked: it asked for what is done. */
		while (sigtimedwait(&sigs, NULL, &zero) >= 0)
			;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	free(srv.web_root);
	http_engine_release(&srv);
	throttle_release(&srv.throttle);
	pthread_mutex_destroy(&srv.lock);
	pthread_mutex_destroy(&srv.store_lock);
	return rc;
}

void http_client_addr(struct http_req *req, char *buf, size_t size)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
	    req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr_in *sin;

	snprintf(buf, size, "unknown");
	if (ci == NULL || ci->client_addr == NULL ||
	    ci->client_addr->sa_family != AF_INET)
		return;
	sin = (const struct sockaddr_in *)(const void *)ci->client_addr;
	inet_ntop(AF_INET, &sin->sin_addr, buf, (socklen_t)size);
}

void http_set_session_cookie(struct http_req *req, const char *token)
{
	struct strbuf sb;

	/* HttpOnly: scripts cannot read it; SameSite=Strict: other sites
	 * cannot make the browser send it; Secure when behind TLS. */
	strbuf_init(&sb, 512);
	if (strbuf_addf(
	        &sb,
	        "%s=%s; Path=/; HttpOnly; SameSite=Strict; "
	        "Max-Age=%d%s",
	        SESSION_COOKIE, token ? token : "", token ? SESSION_TTL : 0,
	        req->srv->cfg->secure_cookies ? "; Secure" : "") == XJ_OK)
		req->set_cookie = arena_strdup(&req->arena, sb.buf);
	strbuf_release(&sb);
}

enum xj_err http_tx_begin(struct http_req *req, struct store *st,
                          struct xj_error *err)
{
	enum xj_err e = store_begin(st, err);

	if (e == XJ_OK)
		store_set_actor(st, req->who.user_id);
	return e;
}

enum xj_err http_tx_end(struct http_req *req, struct store *st, enum xj_err e,
                        struct xj_error *err)
{
	(void)req;
	if (e == XJ_OK)
		e = store_commit(st, err);
	if (e != XJ_OK)
		store_rollback(st);
	store_set_actor(st, 0);
	return e;
}

enum MHD_Result http_reply_bytes(struct http_req *req, unsigned status,
                                 const char *type, const char *filename,
                                 char *data, size_t len)
{
	struct MHD_Response *resp;
	char disp[256];

	/* MHD frees data with free() once sent. */
	resp =
	    MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(data);
		return MHD_NO;
	}
	if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type) !=
	        MHD_YES ||
	    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
	                            "no-store") != MHD_YES) {
		MHD_destroy_response(resp);
		return MHD_NO;
	}
	if (filename != NULL) {
		/* RFC 6266 §4.3: an ASCII fallback and the UTF-8 name. */
		snprintf(disp, sizeof(disp),
		         "attachment; filename=\"export\"; filename*=UTF-8''%s",
		         filename);
		if (MHD_add_response_header(resp, "Content-Disposition",
		                            disp) != MHD_YES) {
			MHD_destroy_response(resp);
			return MHD_NO;
		}
	}
	return http_reply(req, status, resp);
}
