/*
 * request.h - typed input for handlers: JSON bodies and query strings
 * checked against a declared table of fields (kcgi's kvalid is the
 * model). Unknown fields are refused by name; handlers only see values
 * that passed.
 */
#ifndef XJ_HTTP_REQUEST_H
#define XJ_HTTP_REQUEST_H

#include <jansson.h>
#include <stdint.h>

#include "xianjiao/error.h"

struct http_req;

enum field_type {
	FIELD_STRING,
	FIELD_ID,
	FIELD_INT,
	FIELD_OBJECT, /* a JSON object, checked by the handler (bodies only) */
	FIELD_ARRAY,  /* a JSON array of min..max items, each checked by the
	               * handler (bodies only) */
};

struct field {
	const char *name;
	enum field_type type;
	int required;
	int64_t min, max; /* FIELD_INT bounds; FIELD_STRING length in chars */
};

/*
 * Parse the request body as a JSON object whose members are declared in
 * fields (terminated by a NULL name). On success *out is a new reference
 * the caller decrefs. Errors name the field, or the line and column of a
 * JSON syntax error.
 */
enum xj_err http_body_json(struct http_req *req, const struct field *fields,
                           json_t **out, struct xj_error *err);

/* A checked member of a parsed body: NULL / 0 when absent. */
const char *body_str(json_t *o, const char *name);
int64_t body_int(json_t *o, const char *name);
json_t *body_obj(json_t *o, const char *name); /* borrowed */

/*
 * Check the query string against fields (every argument must be declared
 * and valid), then read one: 0 / NULL when absent.
 */
enum xj_err http_query_check(struct http_req *req, const struct field *fields,
                             struct xj_error *err);
int64_t query_int(struct http_req *req, const char *name, int64_t dflt);

struct table;
struct import_result;

/*
 * The request body as a table (CSV or XLSX, sniffed), in the query's
 * encoding (auto, utf8, gbk). An empty body is refused as not being what
 * ("签到表（CSV 或 XLSX 文件）").
 */
enum xj_err http_body_table(struct http_req *req, const char *what,
                            struct table *t, struct xj_error *err);

/* An import's listed problems as [{row, column, reason}]. */
json_t *http_problems_json(const struct import_result *res);

#endif
