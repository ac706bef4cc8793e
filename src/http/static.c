/*
 * static.c - serve the web UI's built files from the web root, and
 * nothing outside it.
 *
 * Containment, in three layers:
 *   1. the path is checked as text: libmicrohttpd has percent-decoded it,
 *      so "%2e%2e" and "%2f" arrive as "." and "/"; a path with a NUL
 *      (seen as "%00" in the raw URI: the decoded string stops there), a
 *      backslash, a control byte, an empty segment ("//") or a segment
 *      starting with "." (".", "..", ".git") is refused;
 *   2. the candidate is resolved with realpath() and must lie inside the
 *      web root, itself resolved once at start: a symlink inside the root
 *      that points out of it is refused;
 *   3. the resolved path is opened with O_NOFOLLOW and must be a regular
 *      file (fstat on the open descriptor, so no FIFO or device).
 * Every refusal answers 404 (as if the file did not exist), never 403, so
 * a probe learns nothing about what lies outside.
 *
 * Between realpath() and open() a directory could be swapped for a
 * symlink; that needs write access to the web root, which an attacker
 * who can do it does not need us for.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "xianjiao/strbuf.h"

enum found {
	FOUND_FILE,    /* *fd is an open regular file */
	FOUND_DIR,     /* a directory inside the root */
	FOUND_MISSING, /* no such file (ENOENT; "file/x" is REFUSED) */
	FOUND_REFUSED, /* exists but outside the root, or not a file */
};

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{ "html", "text/html; charset=utf-8" },
	{ "js", "text/javascript; charset=utf-8" },
	{ "css", "text/css; charset=utf-8" },
	{ "json", "application/json; charset=utf-8" },
	{ "map", "application/json; charset=utf-8" },
	{ "svg", "image/svg+xml" },
	{ "png", "image/png" },
	{ "jpg", "image/jpeg" },
	{ "jpeg", "image/jpeg" },
	{ "ico", "image/x-icon" },
	{ "woff2", "font/woff2" },
	{ "txt", "text/plain; charset=utf-8" },
};

enum xj_err static_root(const char *dir, char **root, struct xj_error *err)
{
	struct stat sb;
	char *r;

	*root = NULL;
	r = realpath(dir, NULL);
	if (r == NULL) {
		if (errno == ENOENT || errno == ENOTDIR)
			return xj_error_field(err, XJ_EUSAGE, "web",
			                      "静态文件目录 --web %s 不存在",
			                      dir);
		return xj_error_field(err, XJ_EUSAGE, "web",
		                      "无法访问静态文件目录 --web %s: %s", dir,
		                      strerror(errno));
	}
	if (stat(r, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		free(r);
		return xj_error_field(err, XJ_EUSAGE, "web",
		                      "--web %s 不是目录", dir);
	}
	if (access(r, R_OK | X_OK) != 0) {
		free(r);
		return xj_error_field(err, XJ_EUSAGE, "web",
		                      "无法读取静态文件目录 --web %s: %s", dir,
		                      strerror(errno));
	}
	*root = r;
	return XJ_OK;
}

static enum MHD_Result not_found(struct http_req *req)
{
	return http_error(req, XJ_ENOTFOUND, NULL, "页面或文件不存在: %s",
	                  req->path);
}

/* Does the raw request target carry an encoded NUL before its query? */
static int raw_has_nul(const char *raw)
{
	const char *s;

	for (s = raw; *s != '\0' && *s != '?' && *s != '#'; s++)
		if (s[0] == '%' && s[1] == '0' && s[2] == '0')
			return 1;
	return 0;
}

/* Layer 1: is the decoded path acceptable as text? */
static int path_ok(const char *path)
{
	const char *seg;

	if (path[0] != '/')
		return 0;
	for (seg = path + 1;; seg++) {
		size_t len = strcspn(seg, "/");
		size_t i;

		if (len == 0 && seg[0] == '/')
			return 0; /* empty segment: "//" */
		if (len > 0 && seg[0] == '.')
			return 0; /* ".", "..", hidden files */
		for (i = 0; i < len; i++) {
			unsigned char c = (unsigned char)seg[i];

			if (c < 0x20 || c == 0x7f || c == '\\')
				return 0;
		}
		seg += len;
		if (*seg == '\0')
			return 1;
	}
}

static int inside_root(const struct http_server *srv, const char *real)
{
	size_t n = srv->web_root_len;

	if (n == 1) /* the root is "/" */
		return 1;
	return strncmp(real, srv->web_root, n) == 0 &&
	       (real[n] == '\0' || real[n] == '/');
}

/* Layers 2 and 3 for rel, a path relative to the root ("" for it). */
static enum found find(const struct http_server *srv, const char *rel, int *fd,
                       struct stat *sb)
{
	struct strbuf cand;
	char *real;
	int e;

	*fd = -1;
	strbuf_init(&cand, PATH_MAX);
	if (strbuf_addf(&cand, "%s/%s", srv->web_root, rel) != XJ_OK) {
		strbuf_release(&cand);
		return FOUND_REFUSED;
	}
	real = realpath(cand.buf, NULL);
	e = errno;
	strbuf_release(&cand);
	if (real == NULL)
		return e == ENOENT ? FOUND_MISSING : FOUND_REFUSED;
	if (!inside_root(srv, real)) {
		free(real);
		return FOUND_REFUSED;
	}
	/* O_NONBLOCK: opening a FIFO must not hang a worker. */
	*fd = open(real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	free(real);
	if (*fd < 0)
		return FOUND_REFUSED;
	if (fstat(*fd, sb) == 0 && S_ISDIR(sb->st_mode)) {
		close(*fd);
		*fd = -1;
		return FOUND_DIR;
	}
	if (fstat(*fd, sb) != 0 || !S_ISREG(sb->st_mode)) {
		close(*fd);
		*fd = -1;
		return FOUND_REFUSED;
	}
	return FOUND_FILE;
}

/* The extension of the last segment of path, or NULL. */
static const char *extension(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash != NULL ? slash : path, '.');

	return dot != NULL && dot[1] != '\0' ? dot + 1 : NULL;
}

static const char *content_type(const char *file)
{
	const char *ext = extension(file);
	size_t i;

	if (ext != NULL)
		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcasecmp(ext, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

/*
 * HTML is revalidated on every load so a new build shows at once; the
 * build tool puts content-hashed names under /assets/, which never change
 * and are cached for a year; anything else for an hour.
 */
static const char *cache_control(const char *url_path, const char *file)
{
	const char *type = content_type(file);

	if (strncmp(type, "text/html", 9) == 0)
		return "no-cache";
	if (strncmp(url_path, "/assets/", 8) == 0)
		return "public, max-age=31536000, immutable";
	return "public, max-age=3600";
}

static enum MHD_Result send_file(struct http_req *req, int fd,
                                 const struct stat *sb, const char *file)
{
	struct MHD_Response *resp;

	/* The response owns fd from here and closes it when freed. */
	resp = MHD_create_response_from_fd64((uint64_t)sb->st_size, fd);
	if (resp == NULL) {
		close(fd);
		return http_error(req, XJ_EIO, NULL, "无法读取文件");
	}
	if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	                            content_type(file)) != MHD_YES ||
	    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
	                            cache_control(req->path, file)) !=
	        MHD_YES) {
		MHD_destroy_response(resp);
		return MHD_NO;
	}
	return http_reply(req, MHD_HTTP_OK, resp);
}

enum MHD_Result static_serve(struct http_req *req)
{
	struct http_server *srv = req->srv;
	const char *rel = req->path + 1;
	struct stat sb;
	enum found f;
	int fd;

	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0)
		return http_error_allow(req, "GET, HEAD",
		                        "静态文件只支持 GET 和 HEAD 方法，"
		                        "不支持 %s",
		                        req->method);
	if (raw_has_nul(req->raw_uri) || !path_ok(req->path))
		return not_found(req);
	f = find(srv, rel, &fd, &sb);
	if (f == FOUND_FILE)
		return send_file(req, fd, &sb, rel);
	if (f == FOUND_DIR) {
		size_t len = strlen(rel);
		const char *sep = len == 0 || rel[len - 1] == '/' ? "" : "/";
		size_t size = len + strlen(sep) + sizeof("index.html");
		char *index = arena_alloc(&req->arena, size);

		snprintf(index, size, "%s%sindex.html", rel, sep);
		if (find(srv, index, &fd, &sb) == FOUND_FILE)
			return send_file(req, fd, &sb, index);
		return not_found(req);
	}
	/* History-mode routing of a single-page app: /campaigns/3 is a view
	 * of index.html, not a file. A missing file with an extension is a
	 * real 404. */
	if (f == FOUND_MISSING && extension(rel) == NULL &&
	    find(srv, "index.html", &fd, &sb) == FOUND_FILE)
		return send_file(req, fd, &sb, "index.html");
	return not_found(req);
}
