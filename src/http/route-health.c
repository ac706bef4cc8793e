/*
 * route-health.c - GET /api/v1/health: is the server up, which program
 * and which database schema. Public: a load balancer or the web UI asks
 * it before anyone logs in.
 */
#include "internal.h"
#include "xianjiao/store.h"

static enum xj_err health(struct http_req *req, struct xj_error *err)
{
	struct store *st;
	int version;

	(void)err;
	st = http_store_acquire(req);
	version = store_schema_version(st);
	http_store_release(req);
	http_reply_json(req, MHD_HTTP_OK,
	                json_pack("{s:s,s:s,s:i,s:i,s:s}", "name", "xianjiao",
	                          "version", XJ_VERSION, "schema_version",
	                          version, "schema_latest",
	                          store_schema_latest(), "status", "ok"));
	return XJ_OK;
}

const struct route routes_health[] = {
	{ "GET", "/api/v1/health", 0, SCOPE_NONE, health },
	{ NULL, NULL, 0, SCOPE_NONE, NULL },
};
