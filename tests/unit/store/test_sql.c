/* Every statement in the SQLite table exists and prepares against the
 * latest schema, so a missing or mistyped statement fails here and not
 * in front of a user. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "../../../src/store/internal.h"
#include "../../lib/harness.h"

static void test_every_statement_prepares(void **state)
{
	char *dir = tmpdir_make(), *path = path_join(dir, "s.db");
	struct xj_error err;
	struct store *st;
	int i;

	(void)state;
	assert_int_equal(store_open(path, STORE_CREATE, &st, &err), XJ_OK);
	for (i = 0; i < STMT__MAX; i++) {
		sqlite3_stmt *s = NULL;

		if (sqlite_sql[i] == NULL)
			fail_msg("statement %d has no SQL", i);
		if (sqlite3_prepare_v2(st->db, sqlite_sql[i], -1, &s, NULL) !=
		    SQLITE_OK)
			fail_msg("statement %d does not prepare: %s", i,
			         sqlite3_errmsg(st->db));
		sqlite3_finalize(s);
	}
	store_close(st);
	tmpdir_remove(dir);
	free(path);
	free(dir);
}

static void test_migrations_ordered(void **state)
{
	int i;

	(void)state;
	assert_true(sqlite_migrations_count >= 1);
	for (i = 0; i < sqlite_migrations_count; i++) {
		assert_int_equal(sqlite_migrations[i].version, i + 1);
		assert_non_null(sqlite_migrations[i].sql);
		assert_non_null(sqlite_migrations[i].summary);
	}
	assert_int_equal(store_schema_latest(), sqlite_migrations_count);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_statement_prepares),
		cmocka_unit_test(test_migrations_ordered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
