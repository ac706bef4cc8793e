#include <stdio.h>
#include <string.h>
#include <time.h>

#include "xianjiao/date.h"

/*
 * Days from civil and back: the well-known era-based algorithm (Howard
 * Hinnant, "chrono-Compatible Low-Level Date Algorithms"), written out
 * here because libc has no timezone-free equivalent for dates alone.
 */
int32_t date_from_ymd(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_to_ymd(int32_t days, int *y, int *m, int *d)
{
	int z = days + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

int date_days_in_month(int y, int m)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30,
		                       31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && leap ? 29 : mdays[m - 1];
}

static int digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

enum xj_err date_parse(const char *s, int32_t *out, const char *field,
                       struct xj_error *err)
{
	int y, m, d;

	if (s == NULL || s[0] == '\0')
		return xj_error_field(err, XJ_EINVAL, field, "%s 不能为空",
		                      field ? field : "日期");
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || s[10] != '\0')
		return xj_error_field(
		    err, XJ_EINVAL, field,
		    "%s 格式应为 YYYY-MM-DD (如 2005-03-10): %s",
		    field ? field : "日期", s);
	if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR || m < 1 || m > 12 ||
	    d < 1 || d > date_days_in_month(y, m))
		return xj_error_field(err, XJ_EINVAL, field,
		                      "%s 不是有效日期: %s",
		                      field ? field : "日期", s);
	*out = date_from_ymd(y, m, d);
	return XJ_OK;
}

void date_format(int32_t days, char *buf)
{
	int y, m, d;

	date_to_ymd(days, &y, &m, &d);
	/* By hand: snprintf cannot prove to -Wformat-truncation that the
	 * fields fit, and dates outside years 0..9999 are never stored. */
	if (y < 0 || y > 9999)
		y = 0;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
}

int32_t date_today(void)
{
	return (int32_t)(time(NULL) / 86400);
}

void timestamp_format(time_t t, char *buf)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, TIMESTAMP_STR_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Read 1..max digits at *s; advances *s. -1 if none. */
static int take_num(const char **s, int max)
{
	int v = 0, n = 0;

	while (n < max && **s >= '0' && **s <= '9') {
		v = v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	return n ? v : -1;
}

static int take_sep(const char **s, const char *sep)
{
	size_t n = strlen(sep);

	if (strncmp(*s, sep, n) != 0)
		return 0;
	*s += n;
	return 1;
}

enum xj_err date_parse_loose(const char *s, int32_t *out, const char *field,
                             struct xj_error *err)
{
	const char *p = s, *f = field ? field : "日期";
	size_t len = s ? strlen(s) : 0, i;
	int y, m, d, all_digits = len > 0;

	if (len == 0)
		return xj_error_field(err, XJ_EINVAL, field, "%s 不能为空", f);
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			all_digits = 0;
	if (all_digits && len == 8) {
		y = take_num(&p, 4);
		m = take_num(&p, 2);
		d = take_num(&p, 2);
	} else if (all_digits && len <= 6) {
		/* Excel serial: day 1 is 1900-01-01, and Excel counts a
		 * 1900-02-29 that never was, so from day 61 on the days
		 * are counted from 1899-12-30. */
		int64_t serial = 0;

		for (i = 0; i < len; i++)
			serial = serial * 10 + (s[i] - '0');
		if (serial < 61)
			goto bad;
		*out = date_from_ymd(1899, 12, 30) + (int32_t)serial;
		date_to_ymd(*out, &y, &m, &d);
		if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR)
			goto bad;
		return XJ_OK;
	} else {
		y = take_num(&p, 4);
		if (take_sep(&p, "-") || take_sep(&p, "/") ||
		    take_sep(&p, ".")) {
			char sep = p[-1];

			m = take_num(&p, 2);
			if (*p != sep)
				goto bad;
			p++;
			d = take_num(&p, 2);
		} else if (take_sep(&p, "年")) {
			m = take_num(&p, 2);
			if (!take_sep(&p, "月"))
				goto bad;
			d = take_num(&p, 2);
			if (!take_sep(&p, "日"))
				goto bad;
		} else {
			goto bad;
		}
	}
	if (*p != '\0' || y < 0 || m < 0 || d < 0)
		goto bad;
	if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR || m < 1 || m > 12 ||
	    d < 1 || d > date_days_in_month(y, m))
		return xj_error_field(err, XJ_EINVAL, field,
		                      "%s 不是有效日期: %s", f, s);
	*out = date_from_ymd(y, m, d);
	return XJ_OK;
bad:
	return xj_error_field(err, XJ_EINVAL, field,
	                      "%s 无法识别: %s（应为 2005-03-10 或 "
	                      "2005年3月10日 这样的日期）",
	                      f, s);
}

enum xj_err timestamp_parse(const char *s, time_t *out, const char *field,
                            struct xj_error *err)
{
	char day[DATE_STR_LEN];
	int32_t d;
	int hh, mm, ss;

	if (strlen(s) != TIMESTAMP_STR_LEN - 1 || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		goto bad;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (date_parse(day, &d, field, err) != XJ_OK)
		return XJ_EINVAL;
	s += 11;
	hh = take_num(&s, 2);
	s++;
	mm = take_num(&s, 2);
	s++;
	ss = take_num(&s, 2);
	if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60)
		goto bad;
	*out = (time_t)d * 86400 + hh * 3600 + mm * 60 + ss;
	return XJ_OK;
bad:
	return xj_error_field(err, XJ_EINVAL, field,
	                      "时间格式应为 YYYY-MM-DDTHH:MM:SSZ");
}

int32_t date_beijing(time_t t)
{
	int64_t s = (int64_t)t + 8 * 3600;

	return (int32_t)(s >= 0 ? s / 86400 : -((-s + 86399) / 86400));
}
