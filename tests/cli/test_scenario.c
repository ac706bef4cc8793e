/*
 * Stage 1 from the demo's 2005-02-20 to "ready to apply for 转段", for one
 * unit, through the real binary: sign-in sheets, notes, reflections, the
 * special members' rules, 两课两会, discussions; explain is checked after
 * each step, and the unit is ready at the end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/check.h"
#include "../lib/harness.h"

#define UNIT "U003"

static char *dir, *db;

enum {
	CAT_FRAIL = 1 << 2,
	CAT_MOBILE = 1 << 3,
	CAT_LOST = 1 << 4,
	CAT_LEADER = 1 << 7,
};

struct person {
	long long id;
	char idnum[32], name[64], branch[32];
	unsigned cats;
	int away;
};

static struct person people[400];
static int npeople;

static int setup(void **state)
{
	struct proc_result r;
	sqlite3_stmt *s;
	sqlite3 *h;

	(void)state;
	dir = tmpdir_make();
	db = path_join(dir, "s.db");
	xj_run(&r, "demo", "--db", db, NULL);
	assert_int_equal(r.status, 0);
	proc_result_release(&r);
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(
	        h,
	        "SELECT m.id_number, m.name, o.code, m.categories,"
	        " coalesce(m.absence_months, 0), m.id FROM members m"
	        " JOIN orgs o ON o.id = m.org_id JOIN org_tree t"
	        " ON t.descendant = o.id JOIN orgs u ON u.id = t.ancestor"
	        " WHERE u.code = '" UNIT
	        "' AND m.left_on IS NULL ORDER BY m.id",
	        -1, &s, NULL),
	    SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW && npeople < 400) {
		struct person *p = &people[npeople++];

		snprintf(p->idnum, sizeof(p->idnum), "%s",
		         (const char *)sqlite3_column_text(s, 0));
		snprintf(p->name, sizeof(p->name), "%s",
		         (const char *)sqlite3_column_text(s, 1));
		snprintf(p->branch, sizeof(p->branch), "%s",
		         (const char *)sqlite3_column_text(s, 2));
		p->cats = (unsigned)sqlite3_column_int(s, 3);
		p->away = sqlite3_column_int(s, 4);
		p->id = sqlite3_column_int64(s, 5);
	}
	sqlite3_finalize(s);
	sqlite3_close(h);
	assert_true(npeople > 5);
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

static json_t *explain(void)
{
	struct proc_result r;
	json_t *j;

	xj_run(&r, "explain", UNIT, "--db", db, "--json", NULL);
	if (r.status != 0)
		fail_msg("explain: %s", r.err);
	j = json_loads(r.out, 0, NULL);
	assert_non_null(j);
	proc_result_release(&r);
	return j;
}

/* Does requirement id pass in explain? */
static int passes(const char *id)
{
	json_t *j = explain(), *r;
	size_t i;
	int pass = -1;

	json_array_foreach(json_object_get(j, "requirements"), i, r)
	{
		if (strcmp(json_string_value(json_object_get(r, "id")), id) ==
		    0)
			pass = json_is_true(json_object_get(r, "pass"));
	}
	json_decref(j);
	if (pass < 0)
		fail_msg("no requirement %s in explain", id);
	return pass;
}

static int cannot_attend(const struct person *p)
{
	return (p->cats & CAT_LOST) || ((p->cats & CAT_MOBILE) && p->away >= 6);
}

/* A sheet of every member who can attend, imported for kind. */
static void sheet(const char *kind, const char *date, const char *data,
                  const char *extra_header, const char *extra)
{
	char *path = path_join(dir, "sheet.csv");
	FILE *f = fopen(path, "w");
	struct proc_result r;
	int i;

	assert_non_null(f);
	fprintf(f, "姓名,身份证号码%s%s\n", extra_header ? "," : "",
	        extra_header ? extra_header : "");
	for (i = 0; i < npeople; i++)
		if (!cannot_attend(&people[i]))
			fprintf(f, "%s,%s%s%s\n", people[i].name,
			        people[i].idnum, extra ? "," : "",
			        extra ? extra : "");
	fclose(f);
	xj_run(&r, "record", "import", kind, path, "--db", db, "--date", date,
	       "--data", data, NULL);
	if (r.status != 0)
		fail_msg("import %s %s: %s%s", kind, date, r.out, r.err);
	proc_result_release(&r);
	free(path);
}

static void add(const char *kind, const char *opt, const char *who,
                const char *date, const char *data)
{
	struct proc_result r;

	xj_run(&r, "record", "add", kind, "--db", db, opt, who, "--date", date,
	       "--data", data, NULL);
	if (r.status != 0)
		fail_msg("add %s: %s%s", kind, r.out, r.err);
	proc_result_release(&r);
}

/* Correct the branch's discussion record, if it has one, to data. */
static int correct_discussion(const char *branch, const char *data)
{
	struct proc_result r;
	char id[32];
	json_t *j, *rec;

	xj_run(&r, "record", "list", "--db", db, "--kind", "discussion",
	       "--org", branch, "--json", NULL);
	assert_int_equal(r.status, 0);
	j = json_loads(r.out, 0, NULL);
	assert_non_null(j);
	proc_result_release(&r);
	rec = json_array_get(j, 0);
	if (rec == NULL) {
		json_decref(j);
		return 0;
	}
	snprintf(id, sizeof(id), "%lld",
	         (long long)json_integer_value(json_object_get(rec, "id")));
	json_decref(j);
	xj_run(&r, "record", "correct", id, "--db", db, "--data", data, NULL);
	if (r.status != 0)
		fail_msg("correct %s: %s%s", id, r.out, r.err);
	proc_result_release(&r);
	return 1;
}

static void test_stage_one(void **state)
{
	static const char *const days[] = { "2005-02-21", "2005-02-22",
		                            "2005-02-23", "2005-02-24",
		                            "2005-02-25" };
	struct proc_result r;
	char lecture[128];
	json_t *j, *u;
	int i;

	(void)state;
	/* part-way through the stage: not ready, hours short */
	assert_false(passes("learn_hours"));

	/* the closed study, five days of eight hours; those who cannot come
	 * are reached by the plan's own rules */
	for (i = 0; i < 5; i++)
		sheet("study_attendance", days[i],
		      "{\"hours\":8,\"session\":\"封闭式学习\","
		      "\"makeup\":\"否\"}",
		      NULL, NULL);
	for (i = 0; i < npeople; i++) {
		if (people[i].cats & CAT_LOST) {
			add("contact_attempt", "--member", people[i].idnum,
			    "2005-02-21", "{\"method\":\"家访\"}");
		} else if (cannot_attend(&people[i])) {
			add("mailed_materials", "--member", people[i].idnum,
			    "2005-02-21", "{\"note\":\"寄送读本\"}");
		}
	}
	assert_true(passes("learn_hours"));
	assert_false(passes("learn_notes"));

	sheet("study_notes", "2005-02-26", "{\"paper\":\"是\"}", "zishu",
	      "10000");
	assert_true(passes("learn_notes"));
	assert_false(passes("learn_reflection"));
	sheet("reflection", "2005-02-27", "{\"title\":\"心得体会\"}", "zishu",
	      "3200");
	assert_true(passes("learn_reflection"));

	/* 两课两会 and the mobilisation, at the unit */
	add("mobilisation", "--org", UNIT, "2005-01-13", "{}");
	assert_true(passes("learn_mobilisation"));
	/* the 党课 is given by one of the unit's 党员领导干部 */
	for (i = 0; i < npeople && !(people[i].cats & CAT_LEADER); i++)
		;
	assert_true(i < npeople);
	snprintf(lecture, sizeof(lecture),
	         "{\"type\":\"党课\",\"speaker\":%lld}", people[i].id);
	add("lecture", "--org", UNIT, "2005-02-21", lecture);
	assert_true(passes("learn_party_lecture"));
	add("lecture", "--org", UNIT, "2005-02-22", "{\"type\":\"辅导课\"}");
	assert_true(passes("learn_tutorial"));
	add("lecture", "--org", UNIT, "2005-02-23",
	    "{\"type\":\"先进事迹报告会\"}");
	assert_true(passes("learn_model_report"));
	add("lecture", "--org", UNIT, "2005-02-24",
	    "{\"type\":\"形势报告会\"}");
	add("lecture", "--org", UNIT, "2005-02-25",
	    "{\"type\":\"形势报告会\"}");
	assert_true(passes("learn_situation_reports"));

	/* each branch's discussion, everyone present and speaking */
	for (i = 0; i < npeople; i++) {
		char data[160];
		int k, n = 0, seen = 0;

		for (k = 0; k < i; k++)
			seen |= strcmp(people[k].branch, people[i].branch) == 0;
		if (seen)
			continue;
		for (k = 0; k < npeople; k++)
			n += strcmp(people[k].branch, people[i].branch) == 0;
		snprintf(data, sizeof(data),
		         "{\"topic\":\"先进性具体要求\",\"expected\":%d,"
		         "\"participants\":%d,\"speakers\":%d}",
		         n, n, n);
		/* a discussion held short of 100%: those missing made it up,
		 * so the record is corrected; otherwise it is held now */
		if (!correct_discussion(people[i].branch, data))
			add("discussion", "--org", people[i].branch,
			    "2005-02-26", data);
	}
	assert_true(passes("learn_discussion_attendance"));
	assert_true(passes("learn_discussion_speaking"));

	/* every gate passes: ready to apply for 转段 */
	xj_run(&r, "status", "--db", db, "--unit", UNIT, "--json", NULL);
	assert_int_equal(r.status, 0);
	j = json_loads(r.out, 0, NULL);
	proc_result_release(&r);
	u = json_array_get(json_object_get(j, "units"), 0);
	assert_int_equal(
	    json_integer_value(json_object_get(u, "gates")),
	    json_integer_value(json_object_get(u, "gates_passed")));
	assert_true(json_is_true(json_object_get(u, "ready")));
	json_decref(j);
	/* and as of the demo's day it was not */
	xj_run(&r, "status", "--db", db, "--unit", UNIT, "--as-of",
	       "2005-02-20", "--json", NULL);
	j = json_loads(r.out, 0, NULL);
	proc_result_release(&r);
	u = json_array_get(json_object_get(j, "units"), 0);
	assert_false(json_is_true(json_object_get(u, "ready")));
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stage_one),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
