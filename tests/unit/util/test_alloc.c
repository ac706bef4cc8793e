/*
 * test_alloc.c - allocation wrappers and util_parse_int (src/util/alloc.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include "../../lib/check.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xianjiao/alloc.h"

/* --- size_mul_overflow --- */

static void test_size_mul_overflow(void **state)
{
	size_t out;

	(void)state;
	out = 1;
	assert_int_equal(size_mul_overflow(0, SIZE_MAX, &out), 0);
	assert_int_equal(out, 0);
	assert_int_equal(size_mul_overflow(3, 7, &out), 0);
	assert_int_equal(out, 21);
	assert_int_equal(size_mul_overflow(SIZE_MAX, 1, &out), 0);
	assert_int_equal(out, SIZE_MAX);
	assert_int_equal(size_mul_overflow(SIZE_MAX / 3, 3, &out), 0);
	assert_int_equal(out, SIZE_MAX / 3 * 3);
	assert_int_not_equal(size_mul_overflow(SIZE_MAX / 3 + 1, 3, &out), 0);
	assert_int_not_equal(size_mul_overflow(SIZE_MAX / 2 + 1, 2, &out), 0);
	assert_int_not_equal(size_mul_overflow(SIZE_MAX, SIZE_MAX, &out), 0);
	assert_int_not_equal(size_mul_overflow(2, SIZE_MAX, &out), 0);
	if (sizeof(size_t) == 8) {
		assert_int_not_equal(
		    size_mul_overflow((size_t)1 << 32, (size_t)1 << 32, &out),
		    0);
		assert_int_equal(
		    size_mul_overflow((size_t)1 << 31, (size_t)1 << 32, &out),
		    0);
		assert_int_equal(out, (size_t)1 << 63);
	}
}

/* --- xgrow, xreallocarray, xcalloc, xstrndup --- */

static void test_xgrow(void **state)
{
	int *arr = NULL, *before;
	size_t alloc = 0, i;

	(void)state;
	xgrow((void **)&arr, &alloc, 1, sizeof(*arr));
	assert_non_null(arr);
	assert_int_equal(alloc, 8); /* a small first step */
	for (i = 0; i < alloc; i++)
		arr[i] = (int)i * 3;
	before = arr;
	xgrow((void **)&arr, &alloc, 8, sizeof(*arr));
	assert_ptr_equal(arr, before); /* already big enough */
	assert_int_equal(alloc, 8);
	xgrow((void **)&arr, &alloc, 9, sizeof(*arr));
	assert_int_equal(alloc, 16); /* doubling */
	for (i = 8; i < alloc; i++)
		arr[i] = (int)i * 3;
	xgrow((void **)&arr, &alloc, 100, sizeof(*arr));
	assert_int_equal(alloc, 128);
	for (i = 16; i < alloc; i++)
		arr[i] = (int)i * 3;
	before = arr;
	xgrow((void **)&arr, &alloc, 50, sizeof(*arr));
	assert_ptr_equal(arr, before); /* never shrinks */
	assert_int_equal(alloc, 128);
	/* Contents survive every move. */
	for (i = 0; i < alloc; i++)
		assert_int_equal(arr[i], (int)i * 3);
	/* From a non-power-of-two start. */
	alloc = 10;
	xgrow((void **)&arr, &alloc, 11, sizeof(*arr));
	assert_int_equal(alloc, 20);
	for (i = 0; i < 10; i++)
		assert_int_equal(arr[i], (int)i * 3);
	free(arr);
}

static void test_xreallocarray(void **state)
{
	char *p = xreallocarray(NULL, 10, 1);

	(void)state;
	memcpy(p, "0123456789", 10);
	p = xreallocarray(p, 1000, 4);
	assert_memory_equal(p, "0123456789", 10);
	memset(p + 10, 'x', 3990); /* the new size is usable */
	p = xreallocarray(p, 0, 8);
	assert_non_null(p);
	free(p);
}

static void test_xcalloc_zeroes(void **state)
{
	unsigned char *p;
	size_t i;

	(void)state;
	/* Dirty a block and free it so calloc may get it back. */
	p = xmalloc(8000);
	memset(p, 0xAA, 8000);
	free(p);
	p = xcalloc(1000, 8);
	for (i = 0; i < 8000; i++)
		if (p[i] != 0)
			fail_msg("xcalloc byte %zu is 0x%02X", i, p[i]);
	free(p);
	p = xcalloc(0, 8);
	assert_non_null(p);
	free(p);
	p = xcalloc(8, 0);
	assert_non_null(p);
	free(p);
	p = xmalloc(0);
	assert_non_null(p);
	free(p);
}

static void test_xstrndup(void **state)
{
	static const char unterminated[4] = { 'w', 'x', 'y', 'z' };
	const char *src = "中文 text";
	char *s;

	(void)state;
	s = xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = xstrndup("ab", 10);
	assert_string_equal(s, "ab");
	free(s);
	s = xstrndup("abc", 0);
	assert_string_equal(s, "");
	free(s);
	/* Reads at most n bytes: ASan would see a read past the array. */
	s = xstrndup(unterminated, sizeof(unterminated));
	assert_string_equal(s, "wxyz");
	free(s);
	s = xstrdup(src);
	assert_string_equal(s, src);
	assert_ptr_not_equal(s, src);
	free(s);
	s = xstrdup("");
	assert_string_equal(s, "");
	free(s);
}

/* Run fn in a child; nonzero if it ended by abort() (SIGABRT). */
static void calloc_overflow(void)
{
	free(xcalloc(SIZE_MAX / 2, 3));
}

static void reallocarray_overflow(void)
{
	free(xreallocarray(NULL, SIZE_MAX / 4, 8));
}

static void grow_overflow(void)
{
	char *p = NULL;
	size_t alloc = 0;

	xgrow((void **)&p, &alloc, SIZE_MAX, 1);
	free(p);
}

static void test_overflow_aborts(void **state)
{
	(void)state;
	assert_true(check_aborts(calloc_overflow));
	assert_true(check_aborts(reallocarray_overflow));
	assert_true(check_aborts(grow_overflow));
}

/* --- util_parse_int --- */

static void parse_ok(const char *s, int64_t min, int64_t max, int64_t want)
{
	struct xj_error err;
	int64_t v = 0x5A5A;

	xj_error_clear(&err);
	if (util_parse_int(s, min, max, &v, "人数", &err) != XJ_OK)
		fail_msg("\"%s\" refused: %s", s, err.msg);
	if (v != want)
		fail_msg("\"%s\" parsed as %lld", s, (long long)v);
	assert_int_equal(err.code, XJ_OK);
}

static void test_parse_int_valid(void **state)
{
	(void)state;
	parse_ok("0", 0, 100, 0);
	parse_ok("42", 0, 100, 42);
	parse_ok("007", 0, 100, 7);
	parse_ok("-42", -100, 100, -42);
	parse_ok("-0", 0, 100, 0);
	parse_ok("1", 1, 100, 1);     /* min itself */
	parse_ok("100", 1, 100, 100); /* max itself */
	parse_ok("-5", -5, -5, -5);
	parse_ok("9223372036854775807", INT64_MIN, INT64_MAX, INT64_MAX);
	parse_ok("-9223372036854775808", INT64_MIN, INT64_MAX, INT64_MIN);
}

/* A refused input: out untouched, err names field, msg contains what. */
static void parse_bad(const char *s, int64_t min, int64_t max, const char *what)
{
	struct xj_error err;
	int64_t v = 0x5A5A;

	xj_error_clear(&err);
	if (util_parse_int(s, min, max, &v, "人数", &err) != XJ_EINVAL)
		fail_msg("\"%s\" accepted as %lld", s ? s : "(null)",
		         (long long)v);
	assert_int_equal(v, 0x5A5A);
	assert_int_equal(err.code, XJ_EINVAL);
	assert_string_equal(err.field, "人数");
	assert_contains(err.msg, "人数");
	assert_contains(err.msg, what);
	if (s != NULL && s[0] != '\0' && strlen(s) < 100)
		assert_contains(err.msg, s); /* the user sees what they typed */
}

static void test_parse_int_range(void **state)
{
	(void)state;
	parse_bad("0", 1, 100, "超出范围 (1 至 100)");
	parse_bad("101", 1, 100, "超出范围");
	parse_bad("-1", 0, 100, "超出范围");
	parse_bad("-6", -5, 5, "超出范围 (-5 至 5)");
	parse_bad("9223372036854775807", 0, INT64_MAX - 1, "超出范围");
	parse_bad("99999999999999999999", INT64_MIN, INT64_MAX, "超出范围");
	parse_bad("-99999999999999999999", INT64_MIN, INT64_MAX, "超出范围");
	parse_bad("9223372036854775808", INT64_MIN, INT64_MAX, "超出范围");
	parse_bad("-9223372036854775809", INT64_MIN, INT64_MAX, "超出范围");
}

static void test_parse_int_junk(void **state)
{
	static const char *const junk[] = {
		"12a",  "a12",  "1 2",  "12 ", " 12",  "\t12", "\n12",
		"\r12", "\v12", "\f12", "+5",  "-",    "--5",  "-+5",
		"- 5",  "0x10", "1e3",  "1.0", "12\n", "１２", "abc",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		parse_bad(junk[i], INT64_MIN, INT64_MAX, "不是整数");
		/* Junk is reported as junk even when the number in front of
		 * it would be out of range. */
		parse_bad(junk[i], 0, 1, "不是整数");
	}
	parse_bad("99999999999999999999x", INT64_MIN, INT64_MAX, "不是整数");
}

static void test_parse_int_empty(void **state)
{
	(void)state;
	parse_bad("", 0, 100, "不能为空");
	parse_bad(NULL, 0, 100, "不能为空");
}

static void test_parse_int_without_field_or_err(void **state)
{
	struct xj_error err;
	int64_t v = 3;

	(void)state;
	xj_error_clear(&err);
	assert_int_equal(util_parse_int("x", 0, 9, &v, NULL, &err), XJ_EINVAL);
	assert_string_equal(err.field, "");
	assert_contains(err.msg, "数值");
	assert_contains(err.msg, "不是整数");
	assert_int_equal(util_parse_int("", 0, 9, &v, NULL, NULL), XJ_EINVAL);
	assert_int_equal(util_parse_int("10", 0, 9, &v, "f", NULL), XJ_EINVAL);
	assert_int_equal(util_parse_int("1x", 0, 9, &v, "f", NULL), XJ_EINVAL);
	assert_int_equal(v, 3);
	assert_int_equal(util_parse_int("9", 0, 9, &v, NULL, NULL), XJ_OK);
	assert_int_equal(v, 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_size_mul_overflow),
		cmocka_unit_test(test_xgrow),
		cmocka_unit_test(test_xreallocarray),
		cmocka_unit_test(test_xcalloc_zeroes),
		cmocka_unit_test(test_xstrndup),
		cmocka_unit_test(test_overflow_aborts),
		cmocka_unit_test(test_parse_int_valid),
		cmocka_unit_test(test_parse_int_range),
		cmocka_unit_test(test_parse_int_junk),
		cmocka_unit_test(test_parse_int_empty),
		cmocka_unit_test(test_parse_int_without_field_or_err),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
