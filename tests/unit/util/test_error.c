/*
 * test_error.c - the error enum, its tables and the error detail
 * (src/util/error.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "xianjiao/alloc.h"
#include "xianjiao/error.h"
#include "xianjiao/text.h"

static int valid_utf8(const char *s)
{
	return utf8_validate(s, strlen(s), "s", NULL) == XJ_OK;
}

static const struct {
	enum xj_err code;
	const char *name;
	int http;
	int exit;
} expect[] = {
	{ XJ_OK, "ok", 200, 0 },
	{ XJ_EINVAL, "invalid", 400, 1 },
	{ XJ_EUSAGE, "usage", 400, 2 },
	{ XJ_ENOTFOUND, "not_found", 404, 1 },
	{ XJ_EEXIST, "exists", 409, 1 },
	{ XJ_ECONFLICT, "conflict", 409, 1 },
	{ XJ_ETOOLARGE, "too_large", 413, 1 },
	{ XJ_EMETHOD, "method_not_allowed", 405, 1 },
	{ XJ_EUNAUTH, "unauthenticated", 401, 1 },
	{ XJ_EFORBIDDEN, "forbidden", 403, 1 },
	{ XJ_ELIMIT, "too_many_requests", 429, 1 },
	{ XJ_EIO, "io", 500, 1 },
	{ XJ_ESTORE, "store", 500, 1 },
	{ XJ_ESCHEMA, "schema", 500, 1 },
	{ XJ_EINTERNAL, "internal", 500, 1 },
};

static void test_table_covers_every_code(void **state)
{
	(void)state;
	/* A new enum member must be added to this test too. */
	assert_int_equal(sizeof(expect) / sizeof(expect[0]), XJ_ERR__MAX);
}

static void test_mappings(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		enum xj_err c = expect[i].code;

		assert_int_equal(c, (enum xj_err)i);
		assert_string_equal(xj_errcode(c), expect[i].name);
		if (xj_http_status(c) != expect[i].http)
			fail_msg("%s: HTTP %d, want %d", expect[i].name,
			         xj_http_status(c), expect[i].http);
		if (xj_exit_code(c) != expect[i].exit)
			fail_msg("%s: exit %d, want %d", expect[i].name,
			         xj_exit_code(c), expect[i].exit);
	}
}

static void test_strings_present_and_unique(void **state)
{
	int i, j;

	(void)state;
	for (i = 0; i < XJ_ERR__MAX; i++) {
		const char *text = xj_strerror((enum xj_err)i);
		const char *code = xj_errcode((enum xj_err)i);
		const char *p;

		assert_non_null(text);
		assert_non_null(code);
		assert_true(text[0] != '\0');
		assert_true(code[0] != '\0');
		assert_string_not_equal(text, "未知错误");
		assert_string_not_equal(code, "unknown");
		assert_true(valid_utf8(text));
		/* Machine-readable codes are [a-z_]. */
		for (p = code; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
				fail_msg("code \"%s\" has '%c'", code, *p);
		if (i != XJ_OK) {
			int st = xj_http_status((enum xj_err)i);

			assert_in_range(st, 400, 599);
		}
		for (j = 0; j < i; j++) {
			assert_string_not_equal(code,
			                        xj_errcode((enum xj_err)j));
			assert_string_not_equal(text,
			                        xj_strerror((enum xj_err)j));
		}
	}
}

static void test_out_of_range_codes(void **state)
{
	const enum xj_err bad[] = { XJ_ERR__MAX, (enum xj_err)(XJ_ERR__MAX + 7),
		                    (enum xj_err) - 1 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_string_equal(xj_strerror(bad[i]), "未知错误");
		assert_string_equal(xj_errcode(bad[i]), "unknown");
		assert_int_equal(xj_http_status(bad[i]), 500);
		assert_int_equal(xj_exit_code(bad[i]), 1);
	}
}

static void test_clear(void **state)
{
	struct xj_error err;

	(void)state;
	memset(&err, 0x7F, sizeof(err));
	xj_error_clear(&err);
	assert_int_equal(err.code, XJ_OK);
	assert_string_equal(err.field, "");
	assert_string_equal(err.msg, "");
	assert_int_equal(err.row, 0);
	assert_int_equal(err.line, 0);
	assert_int_equal(err.column, 0);
	xj_error_clear(NULL);
}

static void test_set_formats(void **state)
{
	struct xj_error err;

	(void)state;
	xj_error_clear(&err);
	assert_int_equal(xj_error_set(&err, XJ_ENOTFOUND, "组织 %d 不存在: %s",
	                              42, "第一支部"),
	                 XJ_ENOTFOUND);
	assert_int_equal(err.code, XJ_ENOTFOUND);
	assert_string_equal(err.msg, "组织 42 不存在: 第一支部");
	assert_string_equal(err.field, "");
}

static void test_field_names_field(void **state)
{
	struct xj_error err;

	(void)state;
	xj_error_clear(&err);
	assert_int_equal(
	    xj_error_field(&err, XJ_EINVAL, "姓名", "%s 不能为空", "姓名"),
	    XJ_EINVAL);
	assert_int_equal(err.code, XJ_EINVAL);
	assert_string_equal(err.field, "姓名");
	assert_string_equal(err.msg, "姓名 不能为空");

	/* A later error replaces the message and code. */
	xj_error_field(&err, XJ_ETOOLARGE, "正文", "%s 太长", "正文");
	assert_int_equal(err.code, XJ_ETOOLARGE);
	assert_string_equal(err.field, "正文");
	assert_string_equal(err.msg, "正文 太长");
}

static void test_set_after_field_forgets_field(void **state)
{
	struct xj_error err;

	(void)state;
	/* The detail is reused: an error about no field must not keep the
	 * field of an earlier one ("" when no field is involved). */
	xj_error_clear(&err);
	xj_error_field(&err, XJ_EINVAL, "姓名", "姓名 不能为空");
	xj_error_set(&err, XJ_ESTORE, "数据库已锁定");
	assert_int_equal(err.code, XJ_ESTORE);
	assert_string_equal(err.field, "");
	assert_string_equal(err.msg, "数据库已锁定");

	xj_error_field(&err, XJ_EINVAL, "姓名", "姓名 不能为空");
	xj_error_field(&err, XJ_EINVAL, NULL, "输入有误");
	assert_string_equal(err.field, "");
}

/* xj_error_vset through a variadic wrapper, with any format. */
static enum xj_err vset(struct xj_error *err, enum xj_err code, const char *fmt,
                        ...)
{
	enum xj_err rc;
	va_list ap;

	va_start(ap, fmt);
	rc = xj_error_vset(err, code, fmt, ap);
	va_end(ap);
	return rc;
}

static void test_message_never_empty(void **state)
{
	struct xj_error err;

	(void)state;
	xj_error_clear(&err);
	assert_int_equal(vset(&err, XJ_EFORBIDDEN, NULL), XJ_EFORBIDDEN);
	assert_string_equal(err.msg, xj_strerror(XJ_EFORBIDDEN));
	xj_error_clear(&err);
	assert_int_equal(vset(&err, XJ_ENOTFOUND, ""), XJ_ENOTFOUND);
	assert_string_equal(err.msg, xj_strerror(XJ_ENOTFOUND));
	/* A format that happens to produce nothing. */
	xj_error_clear(&err);
	assert_int_equal(xj_error_set(&err, XJ_ESTORE, "%s", ""), XJ_ESTORE);
	assert_string_equal(err.msg, xj_strerror(XJ_ESTORE));
	xj_error_clear(&err);
	xj_error_field(&err, XJ_EINVAL, "x", "%s", "");
	assert_string_equal(err.msg, xj_strerror(XJ_EINVAL));
	assert_string_equal(err.field, "x");
}

static void test_null_err_accepted(void **state)
{
	(void)state;
	assert_int_equal(xj_error_set(NULL, XJ_EIO, "读 %s 失败", "a.csv"),
	                 XJ_EIO);
	assert_int_equal(xj_error_field(NULL, XJ_EINVAL, "f", "%d", 1),
	                 XJ_EINVAL);
	assert_int_equal(vset(NULL, XJ_ECONFLICT, "x"), XJ_ECONFLICT);
}

static void test_truncation_ascii(void **state)
{
	/* Heap-allocated at its exact size so ASan sees any overflow. */
	struct xj_error *err = xmalloc(sizeof(*err));
	char *big = xmalloc(4001);

	(void)state;
	memset(big, 'a', 4000);
	big[4000] = '\0';
	xj_error_clear(err);
	xj_error_field(err, XJ_EINVAL, big, "值: %s", big);
	assert_int_equal(strlen(err->msg), XJ_ERROR_MSG_MAX - 1);
	assert_memory_equal(err->msg, "值: aaa", strlen("值: aaa"));
	assert_int_equal(strlen(err->field), XJ_ERROR_FIELD_MAX - 1);
	assert_int_equal(err->code, XJ_EINVAL);
	free(big);
	free(err);
}

static void test_truncation_keeps_utf8_whole(void **state)
{
	struct xj_error *err = xmalloc(sizeof(*err));
	char *big = xmalloc(3000 + 3);
	size_t i, pre;

	(void)state;
	/* Three-byte characters after 0, 1 and 2 ASCII bytes put the cut
	 * at every position inside a character; four-byte ones likewise. */
	for (pre = 0; pre < 4; pre++) {
		for (i = 0; i < pre; i++)
			big[i] = 'a';
		for (i = 0; i < 900; i++)
			memcpy(big + pre + 3 * i, "党", 3);
		big[pre + 2700] = '\0';
		xj_error_clear(err);
		xj_error_field(err, XJ_EINVAL, big, "%s", big);
		if (!valid_utf8(err->msg))
			fail_msg("message cut inside a character (prefix %zu)",
			         pre);
		if (!valid_utf8(err->field))
			fail_msg("field cut inside a character (prefix %zu)",
			         pre);
		/* Only the partial character is dropped. */
		assert_in_range(strlen(err->msg), XJ_ERROR_MSG_MAX - 3,
		                XJ_ERROR_MSG_MAX - 1);
		assert_in_range(strlen(err->field), XJ_ERROR_FIELD_MAX - 3,
		                XJ_ERROR_FIELD_MAX - 1);
		assert_memory_equal(err->msg, big, strlen(err->msg));

		for (i = 0; i < 700; i++)
			memcpy(big + pre + 4 * i, "\xF0\x9F\x98\x80", 4);
		big[pre + 2800] = '\0';
		xj_error_set(err, XJ_EINVAL, "%s", big);
		if (!valid_utf8(err->msg))
			fail_msg("message cut inside an emoji (prefix %zu)",
			         pre);
		assert_in_range(strlen(err->msg), XJ_ERROR_MSG_MAX - 4,
		                XJ_ERROR_MSG_MAX - 1);
	}
	/* A message that fits exactly is kept whole. */
	for (i = 0; i < 170; i++)
		memcpy(big + 3 * i, "党", 3);
	big[510] = 'z';
	big[511] = '\0';
	xj_error_set(err, XJ_EINVAL, "%s", big);
	assert_string_equal(err->msg, big);
	free(big);
	free(err);
}

/* A message quoting bytes that are not UTF-8 is still valid UTF-8. */
static void test_invalid_input_quoted(void **state)
{
	struct xj_error err;

	(void)state;
	xj_error_field(&err, XJ_EINVAL, "k\xff", "日期无法识别: %s",
	               "2005/3/1\x97\xb6");
	assert_true(valid_utf8(err.msg));
	assert_true(valid_utf8(err.field));
	assert_string_equal(err.msg, "日期无法识别: 2005/3/1??");
	assert_string_equal(err.field, "k?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_covers_every_code),
		cmocka_unit_test(test_mappings),
		cmocka_unit_test(test_strings_present_and_unique),
		cmocka_unit_test(test_out_of_range_codes),
		cmocka_unit_test(test_clear),
		cmocka_unit_test(test_set_formats),
		cmocka_unit_test(test_field_names_field),
		cmocka_unit_test(test_set_after_field_forgets_field),
		cmocka_unit_test(test_message_never_empty),
		cmocka_unit_test(test_null_err_accepted),
		cmocka_unit_test(test_truncation_ascii),
		cmocka_unit_test(test_truncation_keeps_utf8_whole),
		cmocka_unit_test(test_invalid_input_quoted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
