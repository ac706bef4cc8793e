#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <jansson.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "httpc.h"
#include "xianjiao/alloc.h"
#include "xianjiao/strbuf.h"

#define RESP_MAX ((size_t)64 << 20)

static void die(const char *what)
{
	fprintf(stderr, "httpc: %s: %s\n", what, strerror(errno));
	abort();
}

int httpc_try_connect(unsigned short port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket");
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int httpc_connect(unsigned short port)
{
	int fd = httpc_try_connect(port);

	if (fd < 0)
		die("connect");
	return fd;
}

void httpc_send(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("send");
		data += n;
		len -= (size_t)n;
	}
}

void httpc_sends(int fd, const char *s)
{
	httpc_send(fd, s, strlen(s));
}

static char *dup_trim(const char *s, size_t len)
{
	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return xstrndup(s, len);
}

/* Parse three digits after "HTTP/1.x ". */
static int parse_status(const char *s, size_t len)
{
	int v = 0, i;

	if (len < 12 || memcmp(s, "HTTP/1.", 7) != 0 || s[8] != ' ')
		return 0;
	for (i = 9; i < 12; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Decode a chunked body (RFC 9112 §7.1) into out; -1 if malformed. */
static int dechunk(const char *s, size_t len, struct strbuf *out)
{
	size_t pos = 0;

	for (;;) {
		size_t size = 0, start = pos;
		const char *crlf;

		while (pos < len && strchr("0123456789abcdefABCDEF", s[pos]) &&
		       s[pos] != '\0') {
			int c = s[pos];
			int d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

			size = size * 16 + (size_t)d;
			pos++;
		}
		if (pos == start)
			return -1;
		crlf = memmem(s + pos, len - pos, "\r\n", 2);
		if (crlf == NULL)
			return -1;
		pos = (size_t)(crlf - s) + 2;
		if (size == 0)
			return 0;
		if (len - pos < size + 2)
			return -1;
		if (strbuf_add(out, s + pos, size) != 0)
			return -1;
		pos += size + 2;
	}
}

static int parse(struct http_resp *r)
{
	const char *s = r->raw, *end, *line, *te, *cl;
	size_t len = r->raw_len, hlen;
	struct strbuf body;

	/* Skip interim 1xx answers (100 Continue). */
	for (;;) {
		end = memmem(s, len, "\r\n\r\n", 4);
		if (end == NULL)
			return -1;
		r->status = parse_status(s, len);
		if (r->status < 100 || r->status >= 200)
			break;
		len -= (size_t)(end + 4 - s);
		s = end + 4;
	}
	if (r->status == 0)
		return -1;
	line = memmem(s, len, "\r\n", 2) + 2;
	while (line < end && r->nheaders < HTTPC_HEADERS_MAX) {
		const char *eol =
		    memmem(line, (size_t)(end + 2 - line), "\r\n", 2);
		const char *colon = memchr(line, ':', (size_t)(eol - line));

		if (colon != NULL) {
			r->name[r->nheaders] =
			    dup_trim(line, (size_t)(colon - line));
			r->value[r->nheaders] =
			    dup_trim(colon + 1, (size_t)(eol - colon - 1));
			r->nheaders++;
		}
		line = eol + 2;
	}
	s = end + 4;
	hlen = (size_t)(s - r->raw);
	len = r->raw_len - hlen;
	strbuf_init(&body, RESP_MAX);
	te = http_resp_header(r, "Transfer-Encoding");
	cl = http_resp_header(r, "Content-Length");
	if (te != NULL && strcasecmp(te, "chunked") == 0) {
		if (dechunk(s, len, &body) != 0) {
			strbuf_release(&body);
			return -1;
		}
	} else {
		if (cl != NULL) {
			size_t n = strtoul(cl, NULL, 10);

			if (n < len)
				len = n;
		}
		if (strbuf_add(&body, s, len) != 0)
			die("body too large");
	}
	free(r->body);
	r->body = strbuf_detach(&body, &r->body_len);
	return 0;
}

int httpc_read(int fd, struct http_resp *r, int timeout_ms)
{
	struct strbuf sb;
	char buf[4096];

	memset(r, 0, sizeof(*r));
	strbuf_init(&sb, RESP_MAX);
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, timeout_ms) <= 0)
			break;
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (strbuf_add(&sb, buf, (size_t)n) != 0)
			die("response too large");
	}
	close(fd);
	r->raw = strbuf_detach(&sb, &r->raw_len);
	r->body = xstrdup("");
	if (parse(r) != 0) {
		r->status = 0;
		return -1;
	}
	return 0;
}

int httpc_read_interim(int fd, int timeout_ms)
{
	char buf[512];
	size_t len = 0;

	while (len + 1 < sizeof(buf)) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, timeout_ms) <= 0 ||
		    recv(fd, buf + len, 1, 0) != 1)
			return -1;
		len++;
		if (len >= 4 && memcmp(buf + len - 4, "\r\n\r\n", 4) == 0)
			return parse_status(buf, len);
	}
	return -1;
}

int httpc_request(unsigned short port, const char *raw, struct http_resp *r)
{
	int fd = httpc_connect(port);

	httpc_sends(fd, raw);
	return httpc_read(fd, r, HTTPC_TIMEOUT_MS);
}

int httpc_get(unsigned short port, const char *method, const char *path,
              struct http_resp *r)
{
	struct strbuf sb;
	int rc;

	strbuf_init(&sb, 1 << 16);
	if (strbuf_addf(&sb,
	                "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	                "Connection: close\r\n\r\n",
	                method, path) != 0)
		die("request too long");
	rc = httpc_request(port, sb.buf, r);
	strbuf_release(&sb);
	return rc;
}

const char *http_resp_header(const struct http_resp *r, const char *name)
{
	int i;

	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->name[i], name) == 0)
			return r->value[i];
	return NULL;
}

void http_resp_release(struct http_resp *r)
{
	int i;

	for (i = 0; i < r->nheaders; i++) {
		free(r->name[i]);
		free(r->value[i]);
	}
	free(r->body);
	free(r->raw);
	memset(r, 0, sizeof(*r));
}

void write_file(const char *path, const char *data)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		die(path);
	if (fputs(data, f) < 0 || fclose(f) != 0)
		die(path);
}

void xj_server_prepare(struct xj_server *s)
{
	struct proc_result r;

	memset(s, 0, sizeof(*s));
	s->out_fd = -1;
	s->dir = tmpdir_make();
	s->db = path_join(s->dir, "db.sqlite");
	s->web = path_join(s->dir, "web");
	if (mkdir(s->web, 0700) != 0)
		die(s->web);
	xj_run(&r, "init", "--db", s->db, NULL);
	if (r.status != 0) {
		fprintf(stderr, "httpc: xianjiao init failed (%d): %s\n",
		        r.status, r.err);
		abort();
	}
	proc_result_release(&r);
}

int xj_server_start(struct xj_server *s, char *const extra[])
{
	static const char prefix[] = "listening on http://127.0.0.1:";
	char *argv[32], line[256];
	size_t n = 0, i;
	int64_t port;
	char *end;

	argv[n++] = (char *)xj_bin();
	argv[n++] = (char *)"serve";
	argv[n++] = (char *)"--db";
	argv[n++] = s->db;
	argv[n++] = (char *)"--listen";
	argv[n++] = (char *)"127.0.0.1:0";
	argv[n++] = (char *)"--web";
	argv[n++] = s->web;
	for (i = 0; extra != NULL && extra[i] != NULL && n < 31; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	s->pid = proc_start(argv, &s->out_fd);
	if (fd_read_line(s->out_fd, line, sizeof(line), HTTPC_TIMEOUT_MS) !=
	        0 ||
	    strncmp(line, prefix, sizeof(prefix) - 1) != 0) {
		kill(s->pid, SIGKILL);
		proc_wait(s->pid, HTTPC_TIMEOUT_MS);
		s->pid = 0;
		return -1;
	}
	port = strtoll(line + sizeof(prefix) - 1, &end, 10);
	if (port <= 0 || port > 65535 || strcmp(end, "/") != 0) {
		kill(s->pid, SIGKILL);
		proc_wait(s->pid, HTTPC_TIMEOUT_MS);
		s->pid = 0;
		return -1;
	}
	s->port = (unsigned short)port;
	return 0;
}

int xj_server_stop(struct xj_server *s)
{
	int st;

	if (s->pid <= 0)
		return -1;
	kill(s->pid, SIGTERM);
	st = proc_wait(s->pid, 3 * HTTPC_TIMEOUT_MS);
	s->pid = 0;
	if (s->out_fd >= 0)
		close(s->out_fd);
	s->out_fd = -1;
	return st;
}

void xj_server_release(struct xj_server *s)
{
	if (s->pid > 0)
		xj_server_stop(s);
	if (s->dir != NULL)
		tmpdir_remove(s->dir);
	free(s->dir);
	free(s->db);
	free(s->web);
	memset(s, 0, sizeof(*s));
	s->out_fd = -1;
}

void xj_request(unsigned short port, const char *method, const char *path,
                const char *cookie, const char *csrf, const char *body,
                struct http_resp *r)
{
	size_t len = 512 + strlen(path) + (body ? strlen(body) : 0);
	char *raw = malloc(len);
	int n;

	assert_non_null(raw);
	n = snprintf(raw, len,
	             "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	             "Connection: close\r\n%s%s%s%s%s%s"
	             "Content-Length: %zu\r\n\r\n%s",
	             method, path, cookie ? "Cookie: xj_session=" : "",
	             cookie ? cookie : "", cookie ? "\r\n" : "",
	             csrf ? "X-CSRF-Token: " : "", csrf ? csrf : "",
	             csrf ? "\r\n" : "", body ? strlen(body) : 0,
	             body ? body : "");
	assert_true(n > 0 && (size_t)n < len);
	assert_int_equal(httpc_request(port, raw, r), 0);
	free(raw);
}

void xj_login(unsigned short port, const char *login, const char *password,
              char *cookie, size_t csize, char *csrf, size_t xsize)
{
	char body[512];
	struct http_resp r;
	const char *sc, *end;
	json_t *j;

	snprintf(body, sizeof(body), "{\"login\":\"%s\",\"password\":\"%s\"}",
	         login, password);
	xj_request(port, "POST", "/api/v1/session", NULL, NULL, body, &r);
	if (r.status != 200)
		fail_msg("login %s: %d %s", login, r.status, r.body);
	sc = http_resp_header(&r, "Set-Cookie");
	assert_non_null(sc);
	assert_non_null(strstr(sc, "HttpOnly"));
	assert_non_null(strstr(sc, "SameSite=Strict"));
	assert_true(strncmp(sc, "xj_session=", 11) == 0);
	end = strchr(sc, ';');
	assert_non_null(end);
	snprintf(cookie, csize, "%.*s", (int)(end - sc - 11), sc + 11);
	j = json_loads(r.body, 0, NULL);
	assert_non_null(j);
	snprintf(csrf, xsize, "%s",
	         json_string_value(json_object_get(j, "csrf_token")));
	json_decref(j);
	http_resp_release(&r);
}
