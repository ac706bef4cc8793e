/*
 * check.h - assertions the cmocka tests share. Include after <cmocka.h>.
 */
#ifndef XJ_TEST_CHECK_H
#define XJ_TEST_CHECK_H

/* Fail unless hay contains needle, showing both. */
#define assert_contains(hay, needle)                                           \
	check_contains_at((hay), (needle), __FILE__, __LINE__)

void check_contains_at(const char *hay, const char *needle, const char *file,
                       int line);

/* Run fn in a child process; nonzero if it ended by SIGABRT (the
 * allocation wrappers' answer to an impossible size). */
int check_aborts(void (*fn)(void));

#endif
