/*
 * xianjiao engine snapshot through the real binary on the demo campaign:
 * saved, used (the same answers, the newer records replayed), and a
 * damaged one refused with a reason on stderr and the same answers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/check.h"
#include "../lib/harness.h"

static char *dir, *db;

static void sql(const char *q)
{
	sqlite3 *h;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	if (sqlite3_exec(h, q, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", q, msg);
	sqlite3_close(h);
}

static int setup(void **state)
{
	struct proc_result r;

	(void)state;
	dir = tmpdir_make();
	db = path_join(dir, "s.db");
	xj_run(&r, "demo", "--db", db, NULL);
	assert_int_equal(r.status, 0);
	proc_result_release(&r);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tmpdir_remove(dir);
	free(db);
	free(dir);
	return 0;
}

/* xianjiao status --json: its output, and nothing on stderr unless
 * stderr_has says what must be there. */
static char *status_json(const char *stderr_has)
{
	struct proc_result r;
	char *out;

	xj_run(&r, "status", "--db", db, "--json", NULL);
	if (r.status != 0)
		fail_msg("status: %s%s", r.out, r.err);
	if (stderr_has == NULL && r.err[0] != '\0')
		fail_msg("status said on stderr: %s", r.err);
	if (stderr_has != NULL)
		assert_contains(r.err, stderr_has);
	out = strdup(r.out);
	proc_result_release(&r);
	return out;
}

static void snapshot(const char *out_has)
{
	struct proc_result r;

	xj_run(&r, "engine", "snapshot", "--db", db, NULL);
	if (r.status != 0)
		fail_msg("engine snapshot: %s%s", r.out, r.err);
	assert_contains(r.out, "快照已保存");
	assert_contains(r.out, out_has);
	proc_result_release(&r);
}

static void test_snapshot(void **state)
{
	struct proc_result r;
	char *before, *after;

	(void)state;
	before = status_json(NULL);
	snapshot("由全部");
	after = status_json(NULL);
	assert_string_equal(after, before);
	free(after);

	/* a record entered after it: replayed, and counted */
	xj_run(&r, "record", "add", "lecture", "--db", db, "--org", "U001",
	       "--date", "2005-02-25", "--data",
	       "{\"type\":\"形势报告会\",\"title\":\"当前形势\"}", NULL);
	if (r.status != 0)
		fail_msg("record add: %s%s", r.out, r.err);
	proc_result_release(&r);
	free(before);
	before = status_json(NULL);
	snapshot("加上其后的 1 条记录");
	after = status_json(NULL);
	assert_string_equal(after, before);
	free(after);

	/* damaged: refused, said so, the same answer from every record */
	sql("UPDATE engine_snapshot SET digest = CASE substr(digest, 1, 1) "
	    "WHEN '0' THEN '1' ELSE '0' END || substr(digest, 2)");
	after = status_json("引擎快照不可用（快照校验和不符）");
	assert_string_equal(after, before);
	free(after);
	/* a snapshot from an older schema */
	snapshot("由全部");
	sql("UPDATE engine_snapshot SET schema_version = schema_version - 1");
	after = status_json("数据库结构");
	assert_string_equal(after, before);
	free(after);
	free(before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snapshot),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
