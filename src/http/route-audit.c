/* GET /api/v1/audit: the office checks the audit log. */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "request.h"

static enum xj_err audit(struct http_req *req, struct xj_error *err)
{
	struct audit_check c;
	enum xj_err e;

	e = http_query_check(
	    req, (const struct field[]){ { NULL, 0, 0, 0, 0 } }, err);
	if (e != XJ_OK)
		return e;
	e = store_audit_verify(http_store_acquire(req), &c, err);
	http_store_release(req);
	if (e != XJ_OK)
		return e;
	http_reply_json(
	    req, 200,
	    json_pack("{s:b,s:I,s:s,s:o,s:s}", "intact", !c.broken, "entries",
	              (json_int_t)c.count, "head", c.head, "first_bad_id",
	              c.broken ? json_integer(c.bad_id) : json_null(), "reason",
	              c.reason));
	return XJ_OK;
}

const struct route routes_audit[] = {
	{ "GET", "/api/v1/audit", ROLE_BIT(ROLE_OFFICE), SCOPE_NONE, audit },
	{ NULL, NULL, 0, SCOPE_NONE, NULL },
};
