/*
 * internal.h - what the HTTP module's files share: the server, the
 * per-request context and the response helpers.
 */
#ifndef XJ_HTTP_INTERNAL_H
#define XJ_HTTP_INTERNAL_H

#include <microhttpd.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "router.h"
#include "session.h"
#include "xianjiao/arena.h"
#include "xianjiao/error.h"
#include "xianjiao/http.h"
#include "xianjiao/strbuf.h"

#define HTTP_JSON_TYPE "application/json; charset=utf-8"

struct http_server {
	const struct http_config *cfg; /* borrowed */
	/*
	 * The store is borrowed and, like every struct store, used by one
	 * thread at a time: store_lock is held around every use, from
	 * http_store_acquire() to http_store_release().
	 */
	struct store *st;
	pthread_mutex_t store_lock;
	char *web_root; /* realpath() of cfg->web_dir (owned), or NULL */
	size_t web_root_len;
	/* Requests whose headers have arrived and that have not completed
	 * yet (the ones a shutdown waits for); guarded by lock. */
	pthread_mutex_t lock;
	unsigned inflight;
	/* Set once shutting down: responses then close their connection. */
	atomic_int draining;
	struct throttle throttle; /* failed logins (session.h) */
	/*
	 * The evaluation engine over the store, built on first use and
	 * guarded by store_lock. engine_stamp is the audit log's last id the
	 * engine reflects: a write by anyone else (the command line) moves
	 * the log on and the engine is rebuilt; the server's own records are
	 * added to it in place (route-engine.c).
	 */
	struct plan *plan;
	struct engine *engine;
	int64_t engine_stamp;
};

/* route-engine.c: the engine, fresh, with store_lock held. */
enum xj_err http_engine(struct http_req *req, struct store *st,
                        struct xj_error *err);
void http_engine_release(struct http_server *srv);

/*
 * One request, from its request line to the request-completed callback,
 * which frees it. Everything a handler allocates for the request comes
 * from arena.
 */
struct http_req {
	struct http_server *srv;
	struct MHD_Connection *conn;
	struct arena arena;
	const char *raw_uri; /* as received, before percent-decoding */
	const char *method;  /* set on the first access-handler call */
	const char *path;    /* percent-decoded by libmicrohttpd, no query */
	struct strbuf body;  /* the whole body, at most cfg->body_max */
	size_t discarded;    /* body bytes dropped past body_max */
	int started;         /* headers complete; counted in inflight */
	int too_large;       /* the body passed body_max */
	int replied;         /* a response was queued */
	enum MHD_Result queued;
	struct route_params params;
	const struct route *route; /* the matched route */
	/* Who is asking, filled by the router before the handler runs. */
	struct principal who;
	int authed;             /* who is valid */
	int via_token;          /* by an API token, not a session cookie */
	const char *set_cookie; /* Set-Cookie for the reply (arena), or NULL */
};

/*
 * Queue resp (which may be NULL: out of memory) with the headers every
 * response carries, then drop our reference to it. Returns what
 * MHD_queue_response() did.
 */
enum MHD_Result http_reply(struct http_req *req, unsigned status,
                           struct MHD_Response *resp);

/* Reply with body as JSON (status, Content-Type, no-store). Takes the
 * reference to body. */
enum MHD_Result http_reply_json(struct http_req *req, unsigned status,
                                json_t *body);

/*
 * Reply {"error":{"code":xj_errcode(code),"message":M,"field":field}}
 * with status xj_http_status(code). M is fmt formatted, or
 * xj_strerror(code) when fmt is NULL or the result is empty or not valid
 * UTF-8 (it may quote what the client sent). field may be NULL or "" for
 * none (JSON null).
 */
enum MHD_Result http_error(struct http_req *req, enum xj_err code,
                           const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The same, with an Allow header (405 answers must carry one). */
enum MHD_Result http_error_allow(struct http_req *req, const char *allow,
                                 const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Take and give back the store (see struct http_server). */
struct store *http_store_acquire(struct http_req *req);
void http_store_release(struct http_req *req);

/* Reply with bytes (a file to download): data is malloc'd and taken.
 * filename, if not NULL, is percent-encoded UTF-8 for
 * Content-Disposition. */
enum MHD_Result http_reply_bytes(struct http_req *req, unsigned status,
                                 const char *type, const char *filename,
                                 char *data, size_t len);

/* The client's address as text, for the login throttle. */
void http_client_addr(struct http_req *req, char *buf, size_t size);
/* Set (token) or clear (NULL) the session cookie on the reply. */
void http_set_session_cookie(struct http_req *req, const char *token);
/* A write transaction as the caller: begin with the audit actor set; end
 * commits when e is XJ_OK, else rolls back, and returns the outcome. */
enum xj_err http_tx_begin(struct http_req *req, struct store *st,
                          struct xj_error *err);
enum xj_err http_tx_end(struct http_req *req, struct store *st, enum xj_err e,
                        struct xj_error *err);
/* principal_json() for GET /api/v1/session and the login answer. */
json_t *principal_json(const struct principal *p);

/*
 * The router's scope check (router.c) for an organisation named in a
 * request body rather than the path, through the roles of the matched
 * route: XJ_ENOTFOUND naming field when it is outside the caller's scope.
 * The one scope mechanism; handlers never decide permissions themselves.
 */
/* The same check for a member named in a body or a query. */
enum xj_err http_scope_member(struct http_req *req, int64_t member_id,
                              const char *field, struct xj_error *err);
enum xj_err http_scope_org(struct http_req *req, int64_t org_id,
                           const char *field, struct xj_error *err);
/* And for an opinion (a correction names the one it supersedes). */
enum xj_err http_scope_opinion(struct http_req *req, int64_t opinion_id,
                               const char *field, struct xj_error *err);

/* Answer an /api/ request through router_tables (router.c). */
enum MHD_Result router_dispatch(struct http_req *req);

/*
 * static.c: resolve dir to the web root once at start (caller frees
 * *root); XJ_EUSAGE with field "web" when it is not a directory. Then
 * answer one non-API request from it.
 */
enum xj_err static_root(const char *dir, char **root, struct xj_error *err);
enum MHD_Result static_serve(struct http_req *req);

#endif
