/*
 * httpc.h - a raw-socket HTTP/1.1 client for tests, and a helper that runs
 * `xianjiao serve` on a loopback port.
 *
 * Requests are sent exactly as given, so tests can send what no real
 * client would ("GET /%2e%2e/x", "GET /../x"). A response is read until
 * the server closes the connection, so requests should carry
 * "Connection: close" (httpc_request() adds nothing; httpc_get() does).
 * Failures to connect or read abort the test process with a message:
 * a test either gets a parsed response or stops.
 */
#ifndef XJ_TEST_HTTPC_H
#define XJ_TEST_HTTPC_H

#include <stddef.h>
#include <sys/types.h>

#define HTTPC_TIMEOUT_MS 10000
#define HTTPC_HEADERS_MAX 32

struct http_resp {
	int status; /* 0 if the server closed without a status line */
	int nheaders;
	char *name[HTTPC_HEADERS_MAX];  /* as received */
	char *value[HTTPC_HEADERS_MAX]; /* leading/trailing blanks removed */
	char *body;                     /* de-chunked, NUL-terminated */
	size_t body_len;
	char *raw; /* everything received, NUL-terminated */
	size_t raw_len;
};

/* A connected socket to 127.0.0.1:port; aborts on failure. */
int httpc_connect(unsigned short port);
/* Try to connect; returns the socket or -1 (errno set). */
int httpc_try_connect(unsigned short port);
/* Send all of len bytes; aborts on failure. */
void httpc_send(int fd, const char *data, size_t len);
void httpc_sends(int fd, const char *s);
/*
 * Read until the peer closes (or timeout_ms passes), close fd and parse.
 * Returns 0, or -1 if nothing parseable arrived (r->raw still holds what
 * did).
 */
int httpc_read(int fd, struct http_resp *r, int timeout_ms);
/* Read up to and including the next "\r\n\r\n" (a 1xx answer); returns
 * the status or -1. */
int httpc_read_interim(int fd, int timeout_ms);

/* Connect, send raw, read the answer. Returns as httpc_read(). */
int httpc_request(unsigned short port, const char *raw, struct http_resp *r);
/* "METHOD path HTTP/1.1" with Host and Connection: close. */
int httpc_get(unsigned short port, const char *method, const char *path,
              struct http_resp *r);

/* The first header called name (any case), or NULL. */
const char *http_resp_header(const struct http_resp *r, const char *name);
void http_resp_release(struct http_resp *r);

/*
 * A running `xianjiao serve` on 127.0.0.1:0 with a fresh database (made
 * with `xianjiao init`) and a web directory, all under one temp dir:
 *   dir/db.sqlite, dir/web/ (filled by the test before or after start).
 */
struct xj_server {
	char *dir;
	char *db;
	char *web;
	pid_t pid;
	int out_fd; /* the server's stdout */
	unsigned short port;
};

/* Make dir, db and web (empty); no server yet. */
void xj_server_prepare(struct xj_server *s);
/*
 * Start the server with --db, --listen 127.0.0.1:0, --web and the extra
 * arguments (NULL-terminated, may be NULL), and wait for its
 * "listening on" line. Returns 0, or -1 if it never announced (then
 * s->pid is reaped and 0).
 */
int xj_server_start(struct xj_server *s, char *const extra[]);
/* SIGTERM, and its exit status (proc_wait()); -1 on timeout. */
int xj_server_stop(struct xj_server *s);
/* Stop if running, remove the temp dir, free everything. */
void xj_server_release(struct xj_server *s);

/*
 * A request to the server on port, with a session cookie and a CSRF token
 * (either may be NULL) and a body (may be NULL); fails the test if it
 * cannot be sent or read.
 */
void xj_request(unsigned short port, const char *method, const char *path,
                const char *cookie, const char *csrf, const char *body,
                struct http_resp *r);
/* Log in; fills the session cookie's value and the CSRF token. Checks the
 * cookie's attributes (HttpOnly, SameSite=Strict). */
void xj_login(unsigned short port, const char *login, const char *password,
              char *cookie, size_t csize, char *csrf, size_t xsize);

/* Write len bytes to path (created or truncated); aborts on failure. */
void write_file(const char *path, const char *data);

#endif
