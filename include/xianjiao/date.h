/*
 * date.h - calendar dates and timestamps.
 *
 * A date is the number of days since 1970-01-01 in the proleptic
 * Gregorian calendar (int32_t), so dates compare and subtract as integers.
 * Text form is ISO 8601 "YYYY-MM-DD", the form stored in the database and
 * sent over the API; the UI may show 2005年3月10日.
 */
#ifndef XJ_DATE_H
#define XJ_DATE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "xianjiao/error.h"

#define DATE_MIN_YEAR 1900
#define DATE_MAX_YEAR 2199
#define DATE_STR_LEN 11      /* "YYYY-MM-DD" + NUL */
#define TIMESTAMP_STR_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t days, int *y, int *m, int *d);
int date_days_in_month(int y, int m);

/*
 * Parse exactly "YYYY-MM-DD" with a real calendar date between
 * DATE_MIN_YEAR and DATE_MAX_YEAR. field names the input in errors.
 */
enum xj_err date_parse(const char *s, int32_t *out, const char *field,
                       struct xj_error *err);
/*
 * Parse a date as people type it into a spreadsheet: "2005-03-10",
 * "2005/3/10", "2005.3.10", "2005年3月10日", "20050310", or an Excel
 * serial day number as an XLSX date cell holds it ("38421"; 1900 date
 * system). The date must exist in the calendar: "2005-02-30" is refused.
 */
enum xj_err date_parse_loose(const char *s, int32_t *out, const char *field,
                             struct xj_error *err);
/* Write "YYYY-MM-DD" into buf (at least DATE_STR_LEN bytes). */
void date_format(int32_t days, char *buf);
/* Today in UTC. */
int32_t date_today(void);

/* Write a UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" (TIMESTAMP_STR_LEN). */
void timestamp_format(time_t t, char *buf);
/* Parse exactly "YYYY-MM-DDTHH:MM:SSZ" (UTC). */
enum xj_err timestamp_parse(const char *s, time_t *out, const char *field,
                            struct xj_error *err);
/* The calendar date of t in Beijing time (UTC+8, no daylight saving):
 * the day a record counts as entered on. */
int32_t date_beijing(time_t t);

#endif
