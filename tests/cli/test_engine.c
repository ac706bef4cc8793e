/*
 * The engine through the real binary: plan install, status and explain on
 * the demo campaign (stage 1 part-way, DEMO_TODAY), now and as of a date.
 */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../lib/check.h"
#include "../lib/harness.h"

static char *dir, *db;

static int setup(void **state)
{
	struct proc_result r;

	(void)state;
	dir = tmpdir_make();
	db = path_join(dir, "e.db");
	xj_run(&r, "demo", "--db", db, NULL);
	if (r.status != 0)
		fail_msg("demo: %s%s", r.out, r.err);
	assert_contains(r.out, "学习动员阶段的记录截至 2005-02-20");
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

/* Run xianjiao with args and --json; parse stdout. */
static json_t *run_json(const char *a1, const char *a2, const char *a3,
                        const char *a4)
{
	struct proc_result r;
	json_error_t je;
	json_t *j;

	xj_run(&r, a1, "--db", db, "--json", a2, a3, a4, NULL);
	if (r.status != 0)
		fail_msg("%s: exit %d\n%s%s", a1, r.status, r.out, r.err);
	j = json_loads(r.out, 0, &je);
	if (j == NULL)
		fail_msg("%s: not JSON (%s): %.200s", a1, je.text, r.out);
	proc_result_release(&r);
	return j;
}

static long long sum_field(json_t *units, const char *key)
{
	long long n = 0;
	size_t i;
	json_t *u;

	json_array_foreach(units, i, u)
	{
		n += json_integer_value(json_object_get(u, key));
	}
	return n;
}

/* Every unit has a row; part-way through stage 1 some units are ready
 * and most are not; units behind come first. */
static void test_status(void **state)
{
	json_t *j = run_json("status", NULL, NULL, NULL);
	json_t *units = json_object_get(j, "units"), *u, *first, *last;
	size_t i, ready = 0;

	(void)state;
	assert_int_equal(json_array_size(units), 107);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(j, "stage"), "name")),
	                    "学习动员");
	json_array_foreach(units, i, u)
	{
		assert_true(json_integer_value(json_object_get(u, "gates")) >
		            0);
		ready += json_is_true(json_object_get(u, "ready"));
	}
	assert_true(ready < 107);
	first = json_array_get(units, 0);
	last = json_array_get(units, 106);
	assert_true(
	    json_integer_value(json_object_get(first, "gates")) -
	        json_integer_value(json_object_get(first, "gates_passed")) >=
	    json_integer_value(json_object_get(last, "gates")) -
	        json_integer_value(json_object_get(last, "gates_passed")));
	assert_int_equal(json_array_size(json_object_get(j, "systems")), 10);
	json_decref(j);
}

/* The same question as of an earlier date counts fewer records, and as of
 * the day before anything happened nobody has studied an hour. */
static void test_as_of(void **state)
{
	json_t *now = run_json("status", NULL, NULL, NULL);
	json_t *jan = run_json("status", "--as-of", "2005-01-25", NULL);
	json_t *before = run_json("explain", "U001", "--as-of", "2005-01-09");
	json_t *r;
	size_t i;
	int seen = 0;

	(void)state;
	assert_string_equal(json_string_value(json_object_get(jan, "as_of")),
	                    "2005-01-25");
	assert_true(json_is_null(json_object_get(now, "as_of")));
	assert_true(sum_field(json_object_get(jan, "units"), "gates_passed") <
	            sum_field(json_object_get(now, "units"), "gates_passed"));
	json_array_foreach(json_object_get(before, "requirements"), i, r)
	{
		json_t *m =
		    json_array_get(json_object_get(r, "failing_members"), 0);

		if (m != NULL &&
		    strcmp(json_string_value(json_object_get(r, "unit")),
		           "小时") == 0) {
			assert_string_equal(
			    json_string_value(json_object_get(m, "value")),
			    "0");
			seen = 1;
		}
	}
	assert_true(seen);
	json_decref(now);
	json_decref(jan);
	json_decref(before);
}

/* explain names the failing members and branches, with values below
 * their thresholds; the text form says the same in Chinese. */
static void test_explain(void **state)
{
	struct proc_result r;
	json_t *j, *req, *m;
	size_t i, k;
	int members = 0;

	(void)state;
	j = run_json("explain", "U001", NULL, NULL);
	json_array_foreach(json_object_get(j, "requirements"), i, req)
	{
		json_array_foreach(json_object_get(req, "failing_members"), k,
		                   m)
		{
			const char *v =
			    json_string_value(json_object_get(m, "value"));
			const char *t =
			    json_string_value(json_object_get(m, "threshold"));

			assert_non_null(json_string_value(
			    json_object_get(m, "branch_name")));
			if (strchr(v, '/') == NULL && strchr(t, '/') == NULL &&
			    strchr(t, '%') == NULL && v[0] >= '0' &&
			    v[0] <= '9')
				assert_true(strtod(v, NULL) < strtod(t, NULL));
			members++;
		}
		assert_false(json_is_true(json_object_get(req, "pass")) &&
		             json_integer_value(
		                 json_object_get(req, "more_members")) > 0);
	}
	assert_true(members > 0);
	json_decref(j);

	xj_run(&r, "explain", "U001", "--db", db, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "转段条件");
	assert_contains(r.out, "✗");
	assert_contains(r.out, "要求 >=");
	proc_result_release(&r);

	xj_run(&r, "explain", "NOSUCH", "--db", db, NULL);
	assert_int_not_equal(r.status, 0);
	assert_contains(r.err, "NOSUCH");
	proc_result_release(&r);

	xj_run(&r, "explain", "U001-B01", "--db", db, NULL);
	assert_int_not_equal(r.status, 0);
	assert_contains(r.err, "须为单位");
	proc_result_release(&r);

	xj_run(&r, "status", "--db", db, "--as-of", "2005-02-30", NULL);
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "--as-of");
	proc_result_release(&r);
}

/* Late entries: records that happened by D but were entered after it are
 * counted, and every change shown differs between then and later. */
static void test_late(void **state)
{
	json_t *j = run_json("late", "--as-of", "2005-02-01", NULL);
	json_t *u, *r;
	size_t i, k;
	struct proc_result pr;

	(void)state;
	assert_true(json_integer_value(json_object_get(j, "late_records")) > 0);
	assert_int_equal(
	    json_integer_value(json_object_get(j, "units_changed")),
	    json_array_size(json_object_get(j, "units")));
	json_array_foreach(json_object_get(j, "units"), i, u)
	{
		json_array_foreach(json_object_get(u, "requirements"), k, r)
		{
			assert_false(json_equal(json_object_get(r, "then"),
			                        json_object_get(r, "later")));
		}
	}
	json_decref(j);
	xj_run(&pr, "late", "--db", db, NULL);
	assert_int_equal(pr.status, 2);
	assert_contains(pr.err, "as-of");
	proc_result_release(&pr);
}

/* A database without a plan says how to install one; a bad plan is
 * refused with FILE:LINE:COLUMN and nothing is installed. */
static void test_plan_install(void **state)
{
	struct proc_result r;
	char *fresh = path_join(dir, "fresh.db");
	char *bad = path_join(dir, "bad.yaml");
	FILE *f;

	(void)state;
	xj_run(&r, "init", "--db", fresh, NULL);
	assert_int_equal(r.status, 0);
	proc_result_release(&r);
	xj_run(&r, "status", "--db", fresh, NULL);
	assert_int_not_equal(r.status, 0);
	assert_contains(r.err, "尚未安装方案");
	proc_result_release(&r);

	f = fopen(bad, "w");
	assert_non_null(f);
	fputs("campaign: 测试\nstages:\n  - {id: learn, name: [\n", f);
	fclose(f);
	xj_run(&r, "plan", "install", bad, "--db", fresh, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "bad.yaml:");
	proc_result_release(&r);
	xj_run(&r, "status", "--db", fresh, NULL);
	assert_contains(r.err, "尚未安装方案");
	proc_result_release(&r);

	xj_run(&r, "plan", "install", "plans/2005-xianjiao.yaml", "--db", fresh,
	       NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "已安装");
	proc_result_release(&r);
	xj_run(&r, "status", "--db", fresh, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "单位 0 个");
	proc_result_release(&r);
	free(fresh);
	free(bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_as_of),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_late),
		cmocka_unit_test(test_plan_install),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
