/*
 * xianjiao serve - run the HTTP server on an existing database until
 * SIGINT or SIGTERM.
 */
#include <stdio.h>

#include "cli.h"
#include "xianjiao/alloc.h"
#include "xianjiao/http.h"
#include "xianjiao/store.h"

static const struct cli_opt opts[] = {
	{ "db", "FILE", 1, "SQLite 数据库文件（须已用 xianjiao init 创建）" },
	{ "listen", "HOST:PORT", 1,
	  "监听的 IPv4 地址和端口，例如 127.0.0.1:8080（端口 0 表示任选）" },
	{ "web", "DIR", 0, "网页界面的静态文件目录" },
	{ "body-max", "BYTES", 0, "请求体的字节数上限（默认 16 MiB）" },
	{ "secure-cookies", NULL, 0,
	  "会话 Cookie 加 Secure 标记（经 HTTPS 反向代理访问时使用）" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err run(const struct cli_args *a, struct xj_error *err)
{
	const char *body_max = cli_get(a, &cmd_serve, "body-max");
	struct http_config cfg;
	struct store *st;
	enum xj_err rc;

	http_config_init(&cfg);
	rc = http_parse_listen(cli_get(a, &cmd_serve, "listen"), &cfg, err);
	if (rc != XJ_OK)
		return rc;
	if (body_max != NULL) {
		int64_t n;

		if (util_parse_int(body_max, 1, HTTP_BODY_MAX_LIMIT, &n,
		                   "--body-max", err) != XJ_OK) {
			err->code = XJ_EUSAGE;
			return XJ_EUSAGE;
		}
		cfg.body_max = (size_t)n;
	}
	cfg.web_dir = cli_get(a, &cmd_serve, "web");
	cfg.announce = stdout;
	cfg.secure_cookies = cli_get(a, &cmd_serve, "secure-cookies") != NULL;
	rc = store_open(cli_get(a, &cmd_serve, "db"), 0, &st, err);
	if (rc != XJ_OK)
		return rc;
	rc = http_serve(&cfg, st, err);
	store_close(st);
	return rc;
}

const struct cli_cmd cmd_serve = {
	.name = "serve",
	.summary = "启动 HTTP 服务（网页界面和 JSON 接口），收到 SIGINT 或 "
	           "SIGTERM 后处理完进行中的请求再退出",
	.args = "",
	.opts = opts,
	.min_pos = 0,
	.max_pos = 0,
	.fn = run,
};
