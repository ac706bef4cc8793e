/*
 * Registry in and out over HTTP: roster import (the file is the request
 * body), exports, coverage lists and templates. Who may import where is
 * decided per row by the store's scope query (import.h); exports of one
 * organisation are scope-checked by the router like every {id}.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "request.h"
#include "xianjiao/import.h"
#include "xianjiao/report.h"
#include "xianjiao/roster.h"
#include "xianjiao/table.h"

#define OFFICE ROLE_BIT(ROLE_OFFICE)
#define IMPORTERS                                                              \
	(ROLE_BIT(ROLE_OFFICE) | ROLE_BIT(ROLE_UNIT) | ROLE_BIT(ROLE_SECRETARY))
#define ORG_READERS                                                            \
	(ROLE_BIT(ROLE_OFFICE) | ROLE_BIT(ROLE_SUPERVISOR) |                   \
	 ROLE_BIT(ROLE_UNIT) | ROLE_BIT(ROLE_SECRETARY))

static const char *const mime[TABLE_FORMAT__MAX] = {
	[TABLE_CSV] = "text/csv; charset=utf-8",
	[TABLE_XLSX] = "application/vnd.openxmlformats-officedocument."
	               "spreadsheetml.sheet",
};

static const char *const ext[TABLE_FORMAT__MAX] = {
	[TABLE_CSV] = "csv",
	[TABLE_XLSX] = "xlsx",
};

static enum xj_err query_format(struct http_req *req, enum table_format *fmt,
                                struct xj_error *err)
{
	const char *f = MHD_lookup_connection_value(
	    req->conn, MHD_GET_ARGUMENT_KIND, "format");

	*fmt = TABLE_CSV;
	if (f == NULL || strcmp(f, "csv") == 0)
		return XJ_OK;
	if (strcmp(f, "xlsx") == 0) {
		*fmt = TABLE_XLSX;
		return XJ_OK;
	}
	return xj_error_field(err, XJ_EINVAL, "format",
	                      "format 应为 csv 或 xlsx");
}

/* Percent-encode a UTF-8 file name for Content-Disposition. */
static void encode_name(const char *base, enum table_format fmt, char *out,
                        size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	char name[128];
	size_t i, n = 0;

	snprintf(name, sizeof(name), "%s.%s", base, ext[fmt]);
	for (i = 0; name[i] != '\0' && n + 4 < size; i++) {
		unsigned char c = (unsigned char)name[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		    c == '_') {
			out[n++] = (char)c;
		} else {
			out[n++] = '%';
			out[n++] = hex[c >> 4];
			out[n++] = hex[c & 15];
		}
	}
	out[n] = '\0';
}

static enum xj_err send_file(struct http_req *req, enum table_format fmt,
                             const char *base, char *data, size_t len)
{
	char name[512];

	encode_name(base, fmt, name, sizeof(name));
	http_reply_bytes(req, 200, mime[fmt], name, data, len);
	return XJ_OK;
}

static const struct field import_query[] = {
	{ "dry_run", FIELD_INT, 0, 0, 1 },
	{ "encoding", FIELD_STRING, 0, 0, 8 },
	{ "format", FIELD_STRING, 0, 0, 8 },
	{ NULL, 0, 0, 0, 0 },
};

/* Rows shown in a dry run's preview: enough for a page to show what a
 * branch's or a unit's roster would do; the counts cover every row. */
#define PREVIEW_ROWS_MAX 500

/*
 * A dry run's preview: the file's header and its first rows as read,
 * each with what it would do (新增, 更新, 不变, 有错误). ID numbers and
 * phones are masked like every list (DESIGN.md "Security model"), even
 * though the caller sent them.
 */
static json_t *preview_json(enum import_kind kind, const struct table *t,
                            const struct import_result *res)
{
	json_t *cols = json_array(), *rows = json_array();
	int mask[64] = { 0 };
	size_t i, c, n = 0;

	for (c = 0; c < t->ncols; c++) {
		const char *h = table_cell(t, 0, c);
		int k = kind == IMPORT_MEMBERS ? member_col_parse(h) : -1;

		json_array_append_new(cols, json_string(h));
		if (c < 64)
			mask[c] = k == MCOL_IDNUM ? 1 : k == MCOL_PHONE ? 2 : 0;
	}
	for (i = 1; i < t->nrows && n < PREVIEW_ROWS_MAX; i++) {
		json_t *cells;

		if (res->actions == NULL || res->actions[i] == IMPORT_ROW_NONE)
			continue;
		cells = json_array();
		for (c = 0; c < t->ncols; c++) {
			const char *v = table_cell(t, i, c);
			char masked[19];

			if (c < 64 && mask[c] == 1 && v[0] != '\0') {
				idnum_mask(v, masked);
				v = masked;
			} else if (c < 64 && mask[c] == 2 && v[0] != '\0') {
				v = "********";
			}
			json_array_append_new(cells, json_string(v));
		}
		json_array_append_new(
		    rows, json_pack("{s:I,s:s,s:o}", "row",
		                    (json_int_t)t->source_row[i], "action",
		                    import_action_name(res->actions[i]),
		                    "cells", cells));
		n++;
	}
	return json_pack("{s:o,s:o}", "columns", cols, "rows", rows);
}

static enum xj_err run_import(struct http_req *req, enum import_kind kind,
                              int error_file, struct xj_error *err)
{
	struct import_scope scope = { req->who.user_id, req->who.roles };
	struct import_result res;
	enum table_format fmt;
	struct table t;
	char *data;
	size_t len;
	int dry;
	enum xj_err e;

	e = http_query_check(req, import_query, err);
	if (e == XJ_OK)
		e = http_body_table(req, "要导入的 CSV 或 XLSX 文件", &t, err);
	if (e != XJ_OK)
		return e;
	dry = error_file || query_int(req, "dry_run", 0) == 1;
	e = import_table(http_store_acquire(req), kind, &t, dry, &scope, &res,
	                 err);
	http_store_release(req);
	fmt = t.format;
	if (error_file) {
		if (e == XJ_EINVAL && res.nproblems > 0 &&
		    import_error_file(&t, &res, fmt, &data, &len, err) ==
		        XJ_OK) {
			e = send_file(req, fmt, "错误清单", data, len);
		} else if (e == XJ_OK) {
			http_reply_json(req, 200,
			                json_pack("{s:I}", "problems", 0));
		}
	} else if (e == XJ_OK) {
		json_t *o = json_pack(
		    "{s:I,s:I,s:I,s:I,s:b}", "rows", (json_int_t)res.rows,
		    "inserted", (json_int_t)res.inserted, "updated",
		    (json_int_t)res.updated, "unchanged",
		    (json_int_t)res.unchanged, "dry_run", dry);

		if (dry)
			json_object_set_new(o, "preview",
			                    preview_json(kind, &t, &res));
		http_reply_json(req, 200, o);
	} else if (e == XJ_EINVAL && res.nproblems > 0) {
		/* The rejected rows, each with its row, column and reason,
		 * for the page to show beside the file; a dry run also
		 * previews what its valid rows would do. */
		json_t *o =
		    json_pack("{s:{s:s,s:s,s:n},s:o,s:I}", "error", "code",
		              xj_errcode(e), "message", err->msg, "field",
		              "problems", http_problems_json(&res),
		              "problems_total", (json_int_t)res.nproblems);

		if (dry) {
			json_object_set_new(o, "rows",
			                    json_integer((json_int_t)res.rows));
			json_object_set_new(
			    o, "inserted",
			    json_integer((json_int_t)res.inserted));
			json_object_set_new(
			    o, "updated",
			    json_integer((json_int_t)res.updated));
			json_object_set_new(
			    o, "unchanged",
			    json_integer((json_int_t)res.unchanged));
			json_object_set_new(o, "preview",
			                    preview_json(kind, &t, &res));
		}
		http_reply_json(req, 400, o);
		e = XJ_OK;
	}
	import_result_release(&res);
	table_release(&t);
	return e;
}

static enum xj_err import_members(struct http_req *req, struct xj_error *err)
{
	return run_import(req, IMPORT_MEMBERS, 0, err);
}

static enum xj_err import_members_errors(struct http_req *req,
                                         struct xj_error *err)
{
	return run_import(req, IMPORT_MEMBERS, 1, err);
}

static enum xj_err import_orgs(struct http_req *req, struct xj_error *err)
{
	return run_import(req, IMPORT_ORGS, 0, err);
}

static const struct field export_query[] = {
	{ "format", FIELD_STRING, 0, 0, 8 },
	{ "full_id", FIELD_INT, 0, 0, 1 },
	{ NULL, 0, 0, 0, 0 },
};

enum what { MEMBERS, ORGS, COVERAGE };

/* root 0: the whole campaign (office routes only). */
static enum xj_err run_export(struct http_req *req, enum what what,
                              int64_t root, struct xj_error *err)
{
	static const char *const base[] = { "党员花名册", "组织", "一个不漏" };
	enum table_format fmt;
	struct store *st;
	char *data = NULL;
	size_t len = 0;
	enum xj_err e;

	e = http_query_check(req, export_query, err);
	if (e == XJ_OK)
		e = query_format(req, &fmt, err);
	if (e != XJ_OK)
		return e;
	st = http_store_acquire(req);
	if (what == MEMBERS)
		/* Full ID numbers only in the office's whole-campaign
		 * export, and only when asked (DESIGN.md "Security"). */
		e = export_members(st, root,
		                   root == 0 && query_int(req, "full_id", 0),
		                   fmt, &data, &len, err);
	else if (what == ORGS)
		e = export_orgs(st, root, fmt, &data, &len, err);
	else
		e = export_coverage(st, root, fmt, &data, &len, err);
	http_store_release(req);
	if (e != XJ_OK)
		return e;
	return send_file(req, fmt, base[what], data, len);
}

static enum xj_err export_members_all(struct http_req *req,
                                      struct xj_error *err)
{
	return run_export(req, MEMBERS, 0, err);
}

static enum xj_err export_orgs_all(struct http_req *req, struct xj_error *err)
{
	return run_export(req, ORGS, 0, err);
}

static enum xj_err coverage_all(struct http_req *req, struct xj_error *err)
{
	return run_export(req, COVERAGE, 0, err);
}

static enum xj_err export_members_of(struct http_req *req, struct xj_error *err)
{
	return run_export(req, MEMBERS, req->params.id[0], err);
}

static enum xj_err export_orgs_of(struct http_req *req, struct xj_error *err)
{
	return run_export(req, ORGS, req->params.id[0], err);
}

static enum xj_err coverage_of(struct http_req *req, struct xj_error *err)
{
	return run_export(req, COVERAGE, req->params.id[0], err);
}

static enum xj_err template(struct http_req *req, enum import_kind kind,
                            struct xj_error *err) {
	static const struct field q[] = { { "format", FIELD_STRING, 0, 0, 8 },
	                                  { NULL, 0, 0, 0, 0 } };
	enum table_format fmt;
	char * data;
	size_t len;
	enum xj_err e;

	e = http_query_check(req, q, err);
	if (e == XJ_OK) e = query_format(req, &fmt, err);
	if (e == XJ_OK) e = export_template(kind, fmt, &data, &len, err);
	if (e != XJ_OK) return e;
	return send_file(req, fmt,
	                 kind == IMPORT_ORGS ? "组织导入模板"
	                                     : "党员花名册导入模板",
	                 data, len);
}

static enum xj_err template_members(struct http_req *req, struct xj_error *err)
{
	return template(req, IMPORT_MEMBERS, err);
}

static enum xj_err template_orgs(struct http_req *req, struct xj_error *err)
{
	return template(req, IMPORT_ORGS, err);
}

const struct route routes_registry[] = {
	{ "POST", "/api/v1/import/members", IMPORTERS, SCOPE_NONE,
	  import_members },
	{ "POST", "/api/v1/import/members/errors", IMPORTERS, SCOPE_NONE,
	  import_members_errors },
	{ "POST", "/api/v1/import/orgs", OFFICE, SCOPE_NONE, import_orgs },
	{ "GET", "/api/v1/export/members", OFFICE, SCOPE_NONE,
	  export_members_all },
	{ "GET", "/api/v1/export/orgs", OFFICE, SCOPE_NONE, export_orgs_all },
	{ "GET", "/api/v1/coverage", OFFICE, SCOPE_NONE, coverage_all },
	{ "GET", "/api/v1/orgs/{id}/export/members", ORG_READERS, SCOPE_ORG,
	  export_members_of },
	{ "GET", "/api/v1/orgs/{id}/export/orgs", ORG_READERS, SCOPE_ORG,
	  export_orgs_of },
	{ "GET", "/api/v1/orgs/{id}/coverage", ORG_READERS, SCOPE_ORG,
	  coverage_of },
	{ "GET", "/api/v1/templates/members", ROLE_ALL, SCOPE_NONE,
	  template_members },
	{ "GET", "/api/v1/templates/orgs", ROLE_ALL, SCOPE_NONE,
	  template_orgs },
	{ NULL, NULL, 0, SCOPE_NONE, NULL },
};
