#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "request.h"
#include "xianjiao/alloc.h"
#include "xianjiao/import.h"
#include "xianjiao/table.h"
#include "xianjiao/text.h"

static const struct field *find(const struct field *f, const char *name)
{
	for (; f->name != NULL; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static enum xj_err check_value(const struct field *f, json_t *v,
                               struct xj_error *err)
{
	size_t chars;

	switch (f->type) {
	case FIELD_STRING:
		if (!json_is_string(v))
			return xj_error_field(err, XJ_EINVAL, f->name,
			                      "字段 %s 应为字符串", f->name);
		chars =
		    utf8_length(json_string_value(v), json_string_length(v));
		if (strlen(json_string_value(v)) != json_string_length(v))
			return xj_error_field(err, XJ_EINVAL, f->name,
			                      "字段 %s 含有空字符", f->name);
		if ((int64_t)chars < f->min || (int64_t)chars > f->max)
			return xj_error_field(
			    err, XJ_EINVAL, f->name,
			    "字段 %s 的长度应在 %lld 至 %lld 个字符之间",
			    f->name, (long long)f->min, (long long)f->max);
		return XJ_OK;
	case FIELD_ID:
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			return xj_error_field(err, XJ_EINVAL, f->name,
			                      "字段 %s 应为正整数编号",
			                      f->name);
		return XJ_OK;
	case FIELD_INT:
		if (!json_is_integer(v) || json_integer_value(v) < f->min ||
		    json_integer_value(v) > f->max)
			return xj_error_field(
			    err, XJ_EINVAL, f->name,
			    "字段 %s 应为 %lld 至 %lld 之间的整数", f->name,
			    (long long)f->min, (long long)f->max);
		return XJ_OK;
	case FIELD_OBJECT:
		if (!json_is_object(v))
			return xj_error_field(err, XJ_EINVAL, f->name,
			                      "字段 %s 应为对象", f->name);
		return XJ_OK;
	case FIELD_ARRAY:
		if (!json_is_array(v))
			return xj_error_field(err, XJ_EINVAL, f->name,
			                      "字段 %s 应为列表", f->name);
		if ((int64_t)json_array_size(v) < f->min ||
		    (int64_t)json_array_size(v) > f->max)
			return xj_error_field(err, XJ_EINVAL, f->name,
			                      "字段 %s 应有 %lld 至 %lld 项",
			                      f->name, (long long)f->min,
			                      (long long)f->max);
		return XJ_OK;
	}
	return xj_error_set(err, XJ_EINTERNAL, NULL);
}

enum xj_err http_body_json(struct http_req *req, const struct field *fields,
                           json_t **out, struct xj_error *err)
{
	const struct field *f;
	json_error_t jerr;
	const char *key;
	json_t *o, *v;
	enum xj_err e;

	*out = NULL;
	if (req->body.len == 0)
		return xj_error_set(err, XJ_EINVAL,
		                    "请求体应为 JSON 对象，但为空");
	o = json_loadb(req->body.buf, req->body.len, JSON_REJECT_DUPLICATES,
	               &jerr);
	if (o == NULL) {
		xj_error_set(err, XJ_EINVAL,
		             "JSON 格式错误 (第 %d 行第 %d 列): %s", jerr.line,
		             jerr.column, jerr.text);
		if (err != NULL) {
			err->line = jerr.line;
			err->column = jerr.column;
		}
		return XJ_EINVAL;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		return xj_error_set(err, XJ_EINVAL, "请求体应为 JSON 对象");
	}
	json_object_foreach(o, key, v)
	{
		f = find(fields, key);
		if (f == NULL) {
			e = xj_error_field(err, XJ_EINVAL, key,
			                   "不认识的字段: %s", key);
			goto fail;
		}
		if (json_is_null(v) && !f->required)
			continue;
		e = check_value(f, v, err);
		if (e != XJ_OK)
			goto fail;
	}
	for (f = fields; f->name != NULL; f++)
		if (f->required && json_object_get(o, f->name) == NULL) {
			e = xj_error_field(err, XJ_EINVAL, f->name,
			                   "缺少字段: %s", f->name);
			goto fail;
		}
	*out = o;
	return XJ_OK;
fail:
	json_decref(o);
	return e;
}

const char *body_str(json_t *o, const char *name)
{
	return json_string_value(json_object_get(o, name));
}

json_t *body_obj(json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);

	return json_is_object(v) ? v : NULL;
}

int64_t body_int(json_t *o, const char *name)
{
	return json_integer_value(json_object_get(o, name));
}

struct query_ctx {
	const struct field *fields;
	struct xj_error *err;
	enum xj_err e;
};

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind,
                                 const char *key, const char *value)
{
	struct query_ctx *c = cls;
	const struct field *f = find(c->fields, key);
	int64_t v;

	(void)kind;
	if (f == NULL) {
		c->e = xj_error_field(c->err, XJ_EINVAL, key,
		                      "不认识的查询参数: %s", key);
		return MHD_NO;
	}
	if (value == NULL ||
	    utf8_validate(value, strlen(value), key, NULL) != XJ_OK) {
		c->e = xj_error_field(c->err, XJ_EINVAL, key,
		                      "查询参数 %s 的值无效", key);
		return MHD_NO;
	}
	/* an id is any positive integer, whatever bounds its table row
	 * leaves at 0 (as the body check in field_check does) */
	if (f->type != FIELD_STRING &&
	    util_parse_int(value, f->type == FIELD_ID ? 1 : f->min,
	                   f->type == FIELD_ID ? INT64_MAX : f->max, &v, key,
	                   c->err) != XJ_OK) {
		c->e = XJ_EINVAL;
		return MHD_NO;
	}
	return MHD_YES;
}

enum xj_err http_query_check(struct http_req *req, const struct field *fields,
                             struct xj_error *err)
{
	struct query_ctx c = { fields, err, XJ_OK };

	MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, check_arg,
	                          &c);
	if (c.e != XJ_OK)
		return c.e;
	for (; fields->name != NULL; fields++)
		if (fields->required &&
		    MHD_lookup_connection_value(
		        req->conn, MHD_GET_ARGUMENT_KIND, fields->name) == NULL)
			return xj_error_field(err, XJ_EINVAL, fields->name,
			                      "缺少查询参数: %s", fields->name);
	return XJ_OK;
}

int64_t query_int(struct http_req *req, const char *name, int64_t dflt)
{
	const char *v =
	    MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
	int64_t out;

	if (v == NULL ||
	    util_parse_int(v, INT64_MIN, INT64_MAX, &out, name, NULL) != XJ_OK)
		return dflt;
	return out;
}

enum xj_err http_body_table(struct http_req *req, const char *what,
                            struct table *t, struct xj_error *err)
{
	const char *enc = MHD_lookup_connection_value(
	    req->conn, MHD_GET_ARGUMENT_KIND, "encoding");
	enum table_encoding e = TABLE_ENC_AUTO;
	struct table_limits lim;

	if (enc != NULL && strcmp(enc, "utf8") == 0)
		e = TABLE_ENC_UTF8;
	else if (enc != NULL && strcmp(enc, "gbk") == 0)
		e = TABLE_ENC_GB18030;
	else if (enc != NULL && strcmp(enc, "auto") != 0)
		return xj_error_field(err, XJ_EINVAL, "encoding",
		                      "encoding 应为 auto、utf8 或 gbk");
	if (req->body.len == 0)
		return xj_error_set(err, XJ_EINVAL, "请求体应为%s，但为空",
		                    what);
	table_limits_default(&lim);
	return table_read(req->body.buf, req->body.len,
	                  table_sniff(req->body.buf, req->body.len), e, &lim, t,
	                  err);
}

json_t *http_problems_json(const struct import_result *res)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < res->nlisted; i++)
		json_array_append_new(
		    arr, json_pack("{s:I,s:s,s:s}", "row",
		                   (json_int_t)res->problems[i].row, "column",
		                   res->problems[i].column, "reason",
		                   res->problems[i].reason));
	return arr;
}
