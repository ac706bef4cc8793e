/*
 * test_date.c - calendar dates and timestamps (src/util/date.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include "../../lib/check.h"

#include <string.h>
#include <time.h>

#include "xianjiao/date.h"

/* The Gregorian rule, written out independently of date.c. */
static int ref_days_in_month(int y, int m)
{
	static const int mdays[13] = { 0,  31, 28, 31, 30, 31, 30,
		                       31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return mdays[m];
}

static void test_known_days(void **state)
{
	(void)state;
	assert_int_equal(date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(date_from_ymd(1970, 1, 2), 1);
	assert_int_equal(date_from_ymd(1969, 12, 31), -1);
	assert_int_equal(date_from_ymd(1971, 1, 1), 365);
	assert_int_equal(date_from_ymd(2005, 3, 10), 12852);
	assert_int_equal(date_from_ymd(1900, 1, 1), -25567);
	assert_int_equal(date_from_ymd(2199, 12, 31), 84005);
	assert_int_equal(date_from_ymd(2000, 3, 1) - date_from_ymd(2000, 2, 28),
	                 2);
	assert_int_equal(date_from_ymd(1900, 3, 1) - date_from_ymd(1900, 2, 28),
	                 1);
}

/*
 * Every day of 1900..2199: consecutive dates are consecutive integers,
 * date_to_ymd inverts date_from_ymd, and format and parse agree.
 */
static void test_round_trip_every_day(void **state)
{
	int32_t prev = date_from_ymd(1899, 12, 31);
	long count = 0;
	int y, m, d;

	(void)state;
	for (y = DATE_MIN_YEAR; y <= DATE_MAX_YEAR; y++) {
		for (m = 1; m <= 12; m++) {
			for (d = 1; d <= ref_days_in_month(y, m); d++) {
				int32_t days = date_from_ymd(y, m, d),
				        parsed = 0;
				char buf[DATE_STR_LEN], want[48];
				int y2, m2, d2;

				if (days != prev + 1)
					fail_msg(
					    "%04d-%02d-%02d is day %d after "
					    "%d",
					    y, m, d, days, prev);
				date_to_ymd(days, &y2, &m2, &d2);
				if (y2 != y || m2 != m || d2 != d)
					fail_msg("%04d-%02d-%02d came back as "
					         "%04d-%02d-%02d",
					         y, m, d, y2, m2, d2);
				snprintf(want, sizeof(want), "%04d-%02d-%02d",
				         y, m, d);
				date_format(days, buf);
				assert_string_equal(buf, want);
				if (date_parse(buf, &parsed, "d", NULL) !=
				    XJ_OK)
					fail_msg("\"%s\" refused", buf);
				assert_int_equal(parsed, days);
				prev = days;
				count++;
			}
		}
	}
	assert_int_equal(count, 84005 + 25567 + 1);
}

static void test_days_in_month(void **state)
{
	(void)state;
	assert_int_equal(date_days_in_month(2000, 2), 29);
	assert_int_equal(date_days_in_month(1900, 2), 28);
	assert_int_equal(date_days_in_month(2004, 2), 29);
	assert_int_equal(date_days_in_month(2005, 2), 28);
	assert_int_equal(date_days_in_month(2100, 2), 28);
	assert_int_equal(date_days_in_month(2005, 1), 31);
	assert_int_equal(date_days_in_month(2005, 4), 30);
	assert_int_equal(date_days_in_month(2005, 12), 31);
	assert_int_equal(date_days_in_month(2005, 0), 0);
	assert_int_equal(date_days_in_month(2005, 13), 0);
	assert_int_equal(date_days_in_month(2005, -1), 0);
}

static void parse_ok(const char *s, int y, int m, int d)
{
	struct xj_error err;
	int32_t days = -999999;

	xj_error_clear(&err);
	if (date_parse(s, &days, "开始日期", &err) != XJ_OK)
		fail_msg("\"%s\" refused: %s", s, err.msg);
	assert_int_equal(days, date_from_ymd(y, m, d));
}

static void test_parse_good(void **state)
{
	(void)state;
	parse_ok("2005-03-10", 2005, 3, 10);
	parse_ok("2000-02-29", 2000, 2, 29);
	parse_ok("2004-02-29", 2004, 2, 29);
	parse_ok("1900-01-01", 1900, 1, 1);
	parse_ok("2199-12-31", 2199, 12, 31);
	parse_ok("2005-12-31", 2005, 12, 31);
	parse_ok("2005-04-30", 2005, 4, 30);
}

static void parse_bad(const char *s, const char *what)
{
	struct xj_error err;
	int32_t days = -999999;

	xj_error_clear(&err);
	if (date_parse(s, &days, "开始日期", &err) != XJ_EINVAL)
		fail_msg("\"%s\" accepted", s ? s : "(null)");
	assert_int_equal(days, -999999); /* not written */
	assert_int_equal(err.code, XJ_EINVAL);
	assert_string_equal(err.field, "开始日期");
	assert_contains(err.msg, "开始日期");
	assert_contains(err.msg, what);
	if (s != NULL && s[0] != '\0')
		assert_contains(err.msg, s);
}

static void test_parse_bad(void **state)
{
	static const char *const bad_format[] = {
		"2005-3-10",     "2005-03-1",   "2005-03-10x",
		"2005-03-10 ",   " 2005-03-10", "05-03-10",
		"2005/03/10",    "20050310",    "2005-03",
		"2005",          "2005-0a-10",  "２００５-03-10",
		"-005-03-10",    "+2005-03-10", "2005-03-10T00:00:00Z",
		"2005年3月10日",
	};
	static const char *const bad_date[] = {
		"2005-13-01", "2005-00-10", "2005-03-00", "2005-03-32",
		"2005-04-31", "2005-02-30", "1900-02-29", "2005-02-29",
		"2100-02-29", "1899-12-31", "2200-01-01", "0000-01-01",
		"9999-12-31",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_format) / sizeof(bad_format[0]); i++)
		parse_bad(bad_format[i], "格式应为 YYYY-MM-DD");
	for (i = 0; i < sizeof(bad_date) / sizeof(bad_date[0]); i++)
		parse_bad(bad_date[i], "不是有效日期");
	parse_bad("", "不能为空");
	parse_bad(NULL, "不能为空");
}

static void test_parse_without_field_or_err(void **state)
{
	struct xj_error err;
	int32_t days = 5;

	(void)state;
	xj_error_clear(&err);
	assert_int_equal(date_parse("2005-02-29", &days, NULL, &err),
	                 XJ_EINVAL);
	assert_string_equal(err.field, "");
	assert_contains(err.msg, "日期");
	assert_int_equal(date_parse("x", &days, "f", NULL), XJ_EINVAL);
	assert_int_equal(date_parse("", &days, "f", NULL), XJ_EINVAL);
	assert_int_equal(days, 5);
}

static void test_format(void **state)
{
	char buf[DATE_STR_LEN + 4];

	(void)state;
	memset(buf, '#', sizeof(buf));
	date_format(12852, buf);
	assert_string_equal(buf, "2005-03-10");
	assert_int_equal(buf[DATE_STR_LEN], '#'); /* nothing past the NUL */
	date_format(0, buf);
	assert_string_equal(buf, "1970-01-01");
	date_format(-1, buf);
	assert_string_equal(buf, "1969-12-31");
	date_format(date_from_ymd(2000, 2, 29), buf);
	assert_string_equal(buf, "2000-02-29");
}

static void test_timestamp_format(void **state)
{
	char buf[TIMESTAMP_STR_LEN + 4];

	(void)state;
	memset(buf, '#', sizeof(buf));
	timestamp_format(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	assert_int_equal(strlen(buf), TIMESTAMP_STR_LEN - 1);
	assert_int_equal(buf[TIMESTAMP_STR_LEN], '#');
	timestamp_format(86399, buf);
	assert_string_equal(buf, "1970-01-01T23:59:59Z");
	timestamp_format(1110443415, buf);
	assert_string_equal(buf, "2005-03-10T08:30:15Z");
	timestamp_format((time_t)date_from_ymd(2000, 2, 29) * 86400 + 3600,
	                 buf);
	assert_string_equal(buf, "2000-02-29T01:00:00Z");
	timestamp_format(-1, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
}

static void test_today(void **state)
{
	int32_t before, today, after;

	(void)state;
	before = (int32_t)(time(NULL) / 86400);
	today = date_today();
	after = (int32_t)(time(NULL) / 86400);
	assert_in_range(today, before, after);
	/* The machine's clock is after this code was written. */
	assert_true(today > date_from_ymd(2024, 1, 1));
}

/* Dates as people type them into spreadsheets (date_parse_loose). */
static void test_parse_loose(void **state)
{
	static const struct {
		const char *in;
		int y, m, d;
	} good[] = {
		{ "2005-03-10", 2005, 3, 10 }, { "2005/3/10", 2005, 3, 10 },
		{ "2005.3.1", 2005, 3, 1 },    { "2005年3月10日", 2005, 3, 10 },
		{ "20050310", 2005, 3, 10 },   { "38421", 2005, 3, 10 },
		{ "61", 1900, 3, 1 },          { "2004/2/29", 2004, 2, 29 },
	};
	static const char *const bad[] = {
		"2005-02-30", "2005/13/1",   "2005-3/10", "2005年3月10",
		"2005 03 10", "1899-12-31",  "60",        "3月10日",
		"abc",        "2005-03-10x", "9999999",
	};
	struct xj_error err;
	int32_t d;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (date_parse_loose(good[i].in, &d, "入党时间", &err) != XJ_OK)
			fail_msg("%s refused: %s", good[i].in, err.msg);
		assert_int_equal(
		    d, date_from_ymd(good[i].y, good[i].m, good[i].d));
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		xj_error_clear(&err);
		if (date_parse_loose(bad[i], &d, "入党时间", &err) != XJ_EINVAL)
			fail_msg("%s accepted", bad[i]);
		assert_string_equal(err.field, "入党时间");
		assert_contains(err.msg, bad[i]);
	}
	assert_int_equal(date_parse_loose("", &d, "出生日期", &err), XJ_EINVAL);
	assert_contains(err.msg, "不能为空");
	assert_int_equal(date_parse_loose("2005-02-30", &d, "x", &err),
	                 XJ_EINVAL);
	assert_contains(err.msg, "不是有效日期");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_days),
		cmocka_unit_test(test_round_trip_every_day),
		cmocka_unit_test(test_days_in_month),
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_without_field_or_err),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_timestamp_format),
		cmocka_unit_test(test_today),
		cmocka_unit_test(test_parse_loose),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
