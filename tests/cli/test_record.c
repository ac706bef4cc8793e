/*
 * Entering records through the real binary on the demo campaign: valid
 * records counted, every kind of bad input refused with its message and
 * nothing stored, corrections, sign-in sheets, late records flagged.
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
static char idnum[3][32], name[3][64]; /* members of U001-B01 */

static int64_t q(const char *sql)
{
	sqlite3_stmt *s;
	sqlite3 *h;
	int64_t v = 0;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	if (sqlite3_prepare_v2(h, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(h));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return v;
}

static int setup(void **state)
{
	struct proc_result r;
	sqlite3_stmt *s;
	sqlite3 *h;
	int i = 0;

	(void)state;
	dir = tmpdir_make();
	db = path_join(dir, "r.db");
	xj_run(&r, "demo", "--db", db, NULL);
	assert_int_equal(r.status, 0);
	proc_result_release(&r);
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(h,
	                       "SELECT m.id_number, m.name FROM members m JOIN "
	                       "orgs o ON o.id = m.org_id WHERE o.code = "
	                       "'U001-B01' AND m.left_on IS NULL ORDER BY m.id "
	                       "LIMIT 3",
	                       -1, &s, NULL),
	    SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW && i < 3) {
		snprintf(idnum[i], sizeof(idnum[i]), "%s",
		         (const char *)sqlite3_column_text(s, 0));
		snprintf(name[i], sizeof(name[i]), "%s",
		         (const char *)sqlite3_column_text(s, 1));
		i++;
	}
	sqlite3_finalize(s);
	sqlite3_close(h);
	assert_int_equal(i, 3);
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

/* record add that must fail with want in stderr, storing nothing. */
static void refused(const char *kind, const char *who_opt, const char *who,
                    const char *date, const char *data, const char *want)
{
	struct proc_result r;
	int64_t n0 = q("SELECT count(*) FROM records");

	xj_run(&r, "record", "add", kind, "--db", db, who_opt, who, "--date",
	       date, "--data", data, NULL);
	if (r.status == 0 || strstr(r.err, want) == NULL)
		fail_msg("%s %s: exit %d, want refusal with “%s”: %s%s", kind,
		         data, r.status, want, r.out, r.err);
	proc_result_release(&r);
	assert_int_equal(q("SELECT count(*) FROM records"), n0);
}

static void test_add_and_refuse(void **state)
{
	struct proc_result r;
	int64_t n0 = q("SELECT count(*) FROM records");

	(void)state;
	xj_run(&r, "record", "add", "study_attendance", "--db", db, "--member",
	       idnum[0], "--date", "2005-02-25", "--data",
	       "{\"hours\":16,\"session\":\"补课\",\"makeup\":\"是\"}", NULL);
	if (r.status != 0)
		fail_msg("%s%s", r.out, r.err);
	assert_contains(r.out, "已录入记录");
	proc_result_release(&r);
	assert_int_equal(q("SELECT count(*) FROM records"), n0 + 1);

	refused("study_attendance", "--member", idnum[0], "2005-02-25",
	        "{\"hours\":9}", "超过一天 24 小时");
	refused("study_attendance", "--member", idnum[1], "2005-02-25",
	        "{\"hours\":25}", "一天不能超过 24 小时");
	refused("study_attendance", "--member", idnum[1], "2005-02-25",
	        "{\"hours\":-2}", "hours");
	refused("study_attendance", "--member", idnum[1], "2005-02-25",
	        "{\"hours\":2.125}", "最多保留两位小数");
	refused("study_attendance", "--member", idnum[1], "2005-02-25",
	        "{\"session\":\"无学时\"}", "hours：必须填写");
	refused("study_attendance", "--member", "110101199001011237",
	        "2005-02-25", "{\"hours\":2}", "没有身份证号码为");
	refused("study_attendance", "--member", idnum[1], "2099-01-01",
	        "{\"hours\":2}", "晚于今天");
	refused("no_such_kind", "--member", idnum[1], "2005-02-25", "{}",
	        "方案中没有记录类型");
	refused("study_attendance", "--member", idnum[1], "2005-02-25",
	        "{\"hours\":2,\"minutes\":3}", "没有字段 minutes");
	refused("lecture", "--org", "U001", "2005-02-25", "{\"type\":\"座谈\"}",
	        "不是可选的值之一");
	refused("lecture", "--org", "U001", "2005-02-25",
	        "{\"type\":\"党课\",\"speaker\":999999}", "党员 999999 不存在");
	{
		char data[128];
		long long leader = q("SELECT m.id FROM members m JOIN orgs o"
		                     " ON o.id = m.org_id WHERE o.code LIKE "
		                     "'U001-%' AND m.categories & 128 LIMIT 1");
		long long plain = q("SELECT m.id FROM members m JOIN orgs o"
		                    " ON o.id = m.org_id WHERE o.code LIKE "
		                    "'U001-%' AND NOT m.categories & 128 "
		                    "LIMIT 1");
		long long elsewhere = q("SELECT m.id FROM members m JOIN orgs"
		                        " o ON o.id = m.org_id WHERE o.code "
		                        "LIKE 'U002-%' AND m.categories & 128 "
		                        "LIMIT 1");
		struct proc_result ok;

		refused("lecture", "--org", "U001", "2005-02-25",
		        "{\"type\":\"党课\"}",
		        "须写明由哪位本单位党员领导干部");
		snprintf(data, sizeof(data),
		         "{\"type\":\"党课\",\"speaker\":%lld}", plain);
		refused("lecture", "--org", "U001", "2005-02-25", data,
		        "不是党员领导干部，不能担任党课");
		snprintf(data, sizeof(data),
		         "{\"type\":\"党课\",\"speaker\":%lld}", elsewhere);
		refused("lecture", "--org", "U001", "2005-02-25", data,
		        "不是本单位的党员领导干部");
		/* a 辅导课 may be given by anyone */
		snprintf(data, sizeof(data),
		         "{\"type\":\"辅导课\",\"speaker\":%lld}", plain);
		xj_run(&ok, "record", "add", "lecture", "--db", db, "--org",
		       "U001", "--date", "2005-02-25", "--data", data, NULL);
		assert_int_equal(ok.status, 0);
		proc_result_release(&ok);
		snprintf(data, sizeof(data),
		         "{\"type\":\"党课\",\"speaker\":%lld}", leader);
		xj_run(&ok, "record", "add", "lecture", "--db", db, "--org",
		       "U001", "--date", "2005-02-25", "--data", data, NULL);
		if (ok.status != 0)
			fail_msg("党课 by a leader: %s", ok.err);
		proc_result_release(&ok);
	}
	refused("lecture", "--member", idnum[1], "2005-02-25",
	        "{\"type\":\"党课\"}", "不能指明党员");
}

/* The same hours are never credited twice: overlapping sessions and the
 * same session twice on one day are refused; an absence is kept with its
 * reason and credits nothing. */
static void test_sessions(void **state)
{
	struct proc_result r;

	(void)state;
	xj_run(&r, "record", "add", "study_attendance", "--db", db, "--member",
	       idnum[1], "--date", "2005-03-01", "--data",
	       "{\"hours\":3,\"session\":\"上午学习\",\"start\":\"08:30\"}",
	       NULL);
	if (r.status != 0)
		fail_msg("%s%s", r.out, r.err);
	proc_result_release(&r);
	refused("study_attendance", "--member", idnum[1], "2005-03-01",
	        "{\"hours\":2,\"session\":\"辅导\",\"start\":\"10:00\"}",
	        "时间重叠");
	refused("study_attendance", "--member", idnum[1], "2005-03-01",
	        "{\"hours\":2,\"session\":\"上午学习\"}", "已经登记");
	refused("study_attendance", "--member", idnum[1], "2005-03-01",
	        "{\"hours\":2,\"start\":\"25:00\"}", "HH:MM");
	/* the afternoon is free */
	xj_run(&r, "record", "add", "study_attendance", "--db", db, "--member",
	       idnum[1], "--date", "2005-03-01", "--data",
	       "{\"hours\":3,\"session\":\"下午学习\",\"start\":\"11:30\"}",
	       NULL);
	if (r.status != 0)
		fail_msg("%s%s", r.out, r.err);
	proc_result_release(&r);
	xj_run(&r, "record", "add", "study_absence", "--db", db, "--member",
	       idnum[0], "--date", "2005-03-01", "--data",
	       "{\"hours\":8,\"session\":\"封闭式学习\",\"reason\":\"病假\"}",
	       NULL);
	if (r.status != 0)
		fail_msg("%s%s", r.out, r.err);
	assert_contains(r.out, "只作存档");
	proc_result_release(&r);
	refused("study_absence", "--member", idnum[0], "2005-03-02",
	        "{\"hours\":8,\"reason\":\"睡过头\"}", "不是可选的值之一");
}

/* A member transferred out counts until the day before, not after. */
static void test_transferred_out(void **state)
{
	struct proc_result r;

	(void)state;
	xj_run(&r, "member", "move", "--db", db, "--id-number", idnum[2],
	       "--kind", "转出", "--date", "2005-02-15", NULL);
	if (r.status != 0)
		fail_msg("%s%s", r.out, r.err);
	proc_result_release(&r);
	refused("self_study", "--member", idnum[2], "2005-02-16",
	        "{\"hours\":2}", "不在本活动的组织中");
	xj_run(&r, "record", "add", "self_study", "--db", db, "--member",
	       idnum[2], "--date", "2005-02-14", "--data", "{\"hours\":2}",
	       NULL);
	assert_int_equal(r.status, 0);
	proc_result_release(&r);
}

static void test_correct_and_late(void **state)
{
	struct proc_result r;
	char id[32];
	int64_t last;

	(void)state;
	/* 自学 is not counted by the reference plan: kept, and said so */
	xj_run(&r, "record", "add", "self_study", "--db", db, "--member",
	       idnum[1], "--date", "2005-02-20", "--data", "{\"hours\":1}",
	       NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "只作存档");
	proc_result_release(&r);
	xj_run(&r, "record", "add", "study_attendance", "--db", db, "--member",
	       idnum[1], "--date", "2005-03-20", "--data",
	       "{\"hours\":3,\"makeup\":\"是\"}", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "迟于阶段截止日期");
	proc_result_release(&r);
	last = q("SELECT max(id) FROM records");
	snprintf(id, sizeof(id), "%lld", (long long)last);
	xj_run(&r, "record", "correct", id, "--db", db, "--data",
	       "{\"hours\":2,\"makeup\":\"是\"}", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "（更正）");
	proc_result_release(&r);
	/* the original stays, superseded; correcting it again is refused */
	assert_int_equal(q("SELECT count(*) FROM records WHERE supersedes = "
	                   "(SELECT max(id) - 1 FROM records)"),
	                 1);
	xj_run(&r, "record", "correct", id, "--db", db, "--void", NULL);
	assert_int_not_equal(r.status, 0);
	assert_contains(r.err, "请更正最新的记录");
	proc_result_release(&r);
	xj_run(&r, "record", "list", "--db", db, "--member", idnum[1], "--all",
	       "--limit", "2", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "已被记录");
	proc_result_release(&r);
}

static void write_sheet(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_sheet(void **state)
{
	char *good = path_join(dir, "sign.csv"), *bad = path_join(dir, "b.csv");
	char *errs = path_join(dir, "b-errors.csv");
	char text[1024];
	struct proc_result r;
	int64_t n0;

	(void)state;
	snprintf(text, sizeof(text), "姓名,身份证号码\n%s,%s\n%s,%s\n", name[0],
	         idnum[0], name[1], idnum[1]);
	write_sheet(good, text);
	n0 = q("SELECT count(*) FROM records");
	xj_run(&r, "record", "import", "study_attendance", good, "--db", db,
	       "--date", "2005-02-26", "--data",
	       "{\"hours\":8,\"session\":\"封闭式学习\",\"makeup\":\"否\"}",
	       NULL);
	if (r.status != 0)
		fail_msg("%s%s", r.out, r.err);
	assert_contains(r.out, "录入 2 条记录");
	proc_result_release(&r);
	assert_int_equal(q("SELECT count(*) FROM records"), n0 + 2);

	/* a duplicate row, a wrong name, a bad number: nothing stored */
	snprintf(text, sizeof(text),
	         "姓名,身份证号码,hours\n%s,%s,4\n%s,%s,4\n错名字,%s,4\n"
	         "%s,%s,四\n",
	         name[0], idnum[0], name[0], idnum[0], idnum[1], name[1],
	         idnum[1]);
	write_sheet(bad, text);
	n0 = q("SELECT count(*) FROM records");
	xj_run(&r, "record", "import", "study_attendance", bad, "--db", db,
	       "--date", "2005-02-27", "--errors", errs, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "与第 2 行重复");
	assert_contains(r.err, "与身份证号码登记的");
	assert_contains(r.err, "第 5 行“hours”列");
	proc_result_release(&r);
	assert_int_equal(q("SELECT count(*) FROM records"), n0);
	{
		FILE *f = fopen(errs, "r");

		assert_non_null(f);
		fclose(f);
	}
	free(good);
	free(bad);
	free(errs);
}

/* The ID numbers of U002-B01's members (comma-separated) and of one
 * member elsewhere. */
static int branch_ids(char *ids, size_t size, char *first, char *elsewhere)
{
	sqlite3_stmt *s;
	sqlite3 *h;
	size_t n = 0;
	int count = 0;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(h,
	                       "SELECT m.id_number FROM members m JOIN orgs o"
	                       " ON o.id = m.org_id WHERE o.code = 'U002-B01'"
	                       " AND m.left_on IS NULL ORDER BY m.id",
	                       -1, &s, NULL),
	    SQLITE_OK);
	ids[0] = '\0';
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(s, 0);

		if (count++ == 0)
			snprintf(first, 32, "%s", v);
		else
			n += (size_t)snprintf(ids + n, size - n, "%s%s",
			                      n ? "," : "", v);
		assert_true(n < size);
	}
	sqlite3_finalize(s);
	assert_int_equal(
	    sqlite3_prepare_v2(h,
	                       "SELECT m.id_number FROM members m JOIN orgs o"
	                       " ON o.id = m.org_id WHERE o.code = 'U003-B01'"
	                       " LIMIT 1",
	                       -1, &s, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(elsewhere, 32, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(h);
	return count;
}

/* record session: one session and its list in one go; every bad name is
 * named and nothing is stored; the session's own fields are checked. */
static void test_session_list(void **state)
{
	char ids[8192], first[32], elsewhere[32], present[8300], absent[64];
	struct proc_result r;
	int64_t n0 = q("SELECT count(*) FROM records"), session;
	int count;

	(void)state;
	count = branch_ids(ids, sizeof(ids), first, elsewhere);
	assert_true(count >= 3);
	snprintf(absent, sizeof(absent), "%s:病假", first);
	xj_run(&r, "record", "session", "--db", db, "--org", "U002-B01",
	       "--date", "2005-02-21", "--data",
	       "{\"hours\":4,\"start\":\"08:30\",\"title\":\"学习党章\","
	       "\"materials\":[\"党章\",\"保持共产党员先进性教育读本\"]}",
	       "--present", ids, "--absent", absent, NULL);
	if (r.status != 0)
		fail_msg("%s%s", r.out, r.err);
	assert_contains(r.out, "缺勤 1 人");
	proc_result_release(&r);
	session = q("SELECT max(id) FROM records WHERE kind = "
	            "'study_session'");
	assert_int_equal(q("SELECT count(*) FROM records"), n0 + count + 1);
	{
		char sql[160];

		snprintf(sql, sizeof(sql),
		         "SELECT count(*) FROM records WHERE session_id = %lld"
		         " AND kind = 'study_attendance'"
		         " AND json_extract(payload, '$.hours') = 4",
		         (long long)session);
		assert_int_equal(q(sql), count - 1);
		snprintf(sql, sizeof(sql),
		         "SELECT count(*) FROM records WHERE session_id = %lld"
		         " AND kind = 'study_absence'"
		         " AND json_extract(payload, '$.reason') = '病假'",
		         (long long)session);
		assert_int_equal(q(sql), 1);
	}

	/* a member of another branch, a name twice, a bad reason, and
	 * times overlapping the morning: each named, nothing stored */
	n0 = q("SELECT count(*) FROM records");
	snprintf(present, sizeof(present), "%s,%s,%s", first, elsewhere, first);
	xj_run(&r, "record", "session", "--db", db, "--org", "U002-B01",
	       "--date", "2005-02-21", "--data",
	       "{\"hours\":2,\"start\":\"13:00\"}", "--present", present, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "名单第 2 项: 党员编号");
	assert_contains(r.err, "不属于举办这次学习的组织");
	assert_contains(r.err, "与名单第 1 项重复");
	proc_result_release(&r);
	xj_run(&r, "record", "session", "--db", db, "--org", "U002-B01",
	       "--date", "2005-02-21", "--data",
	       "{\"hours\":2,\"start\":\"13:00\"}", "--absent", first, NULL);
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "须写明原因");
	proc_result_release(&r);
	assert_int_equal(q("SELECT count(*) FROM records"), n0);
	snprintf(absent, sizeof(absent), "%s:睡过头", first);
	xj_run(&r, "record", "session", "--db", db, "--org", "U002-B01",
	       "--date", "2005-02-21", "--data",
	       "{\"hours\":2,\"start\":\"11:00\"}", "--present", ids,
	       "--absent", absent, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "时间重叠");
	assert_contains(r.err, "不是可选的值之一");
	proc_result_release(&r);
	assert_int_equal(q("SELECT count(*) FROM records"), n0);

	/* the session itself */
	xj_run(&r, "record", "session", "--db", db, "--org", "U002-B01",
	       "--date", "2005-02-22", "--data",
	       "{\"hours\":2,\"start\":\"08:00\",\"materials\":[\"读本\"]}",
	       "--present", ids, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "“读本”不是可选的值之一");
	proc_result_release(&r);
	xj_run(&r, "record", "session", "--db", db, "--org", "U002-B01",
	       "--date", "2005-02-22", "--data",
	       "{\"hours\":25,\"start\":\"08:00\"}", "--present", ids, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "一次学习不能超过 24 小时");
	proc_result_release(&r);
	xj_run(&r, "record", "session", "--db", db, "--org", "U002-B01",
	       "--date", "2005-02-22", "--data", "{\"hours\":2}", "--present",
	       ids, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "start：必须填写");
	proc_result_release(&r);
	xj_run(&r, "record", "session", "--db", db, "--org", "U002-B01",
	       "--date", "2005-02-22", "--data",
	       "{\"hours\":2,\"start\":\"8点\"}", "--present", ids, NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "开始时间应为 HH:MM");
	proc_result_release(&r);
	xj_run(&r, "record", "session", "--db", db, "--org", "U002-B01",
	       "--date", "2005-02-22", "--data",
	       "{\"hours\":2,\"start\":\"08:00\"}", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "出勤名单是空的");
	proc_result_release(&r);
	assert_int_equal(q("SELECT count(*) FROM records"), n0);

	/* a correction of one attendance stays linked to the session */
	{
		char sql[160], id[32];

		snprintf(sql, sizeof(sql),
		         "SELECT min(id) FROM records WHERE session_id = %lld"
		         " AND kind = 'study_attendance'",
		         (long long)session);
		snprintf(id, sizeof(id), "%lld", (long long)q(sql));
		xj_run(&r, "record", "correct", id, "--db", db, "--data",
		       "{\"hours\":3,\"session\":\"学习党章\","
		       "\"start\":\"08:30\"}",
		       NULL);
		if (r.status != 0)
			fail_msg("%s%s", r.out, r.err);
		proc_result_release(&r);
		snprintf(sql, sizeof(sql),
		         "SELECT count(*) FROM records WHERE session_id = %lld"
		         " AND supersedes = %s",
		         (long long)session, id);
		assert_int_equal(q(sql), 1);
	}
}

/* 佩戴党徽: each inspection found without the badge moves the member one
 * step up the plan's ladder (DOMAIN.md §12.3); a compliant inspection and
 * a voided record do not count; the last step stays. */
static void test_escalation(void **state)
{
	static const char *const want[] = { "当场指出", "提出批评",
		                            "作出警告并在单位通报",
		                            "作出警告并在单位通报" };
	static const char *const days[] = { "2005-02-02", "2005-02-09",
		                            "2005-02-16", "2005-02-23" };
	struct proc_result r;
	char id[32];
	int i;

	(void)state;
	xj_run(&r, "escalation", "--db", db, "--member", idnum[1], NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "佩戴党徽检查：0 次");
	proc_result_release(&r);
	/* found wearing it: nothing */
	xj_run(&r, "record", "add", "badge_check", "--db", db, "--member",
	       idnum[1], "--date", "2005-02-01", "--data",
	       "{\"compliant\":\"是\"}", NULL);
	assert_int_equal(r.status, 0);
	proc_result_release(&r);
	for (i = 0; i < 4; i++) {
		xj_run(&r, "record", "add", "badge_check", "--db", db,
		       "--member", idnum[1], "--date", days[i], "--data",
		       "{\"compliant\":\"否\"}", NULL);
		assert_int_equal(r.status, 0);
		proc_result_release(&r);
		xj_run(&r, "escalation", "--db", db, "--member", idnum[1],
		       NULL);
		assert_int_equal(r.status, 0);
		assert_contains(r.out, want[i]);
		proc_result_release(&r);
	}
	/* the unit's list: the member at the last step, named */
	xj_run(&r, "escalation", "--db", db, "--org", "U001", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "发现 3 次及以上：作出警告并在单位通报（1 人）");
	assert_contains(r.out, name[1]);
	proc_result_release(&r);
	/* a record voided (entered twice by mistake) no longer counts */
	snprintf(id, sizeof(id), "%lld",
	         (long long)q("SELECT max(id) FROM records WHERE kind = "
	                      "'badge_check'"));
	xj_run(&r, "record", "correct", id, "--db", db, "--void", NULL);
	assert_int_equal(r.status, 0);
	proc_result_release(&r);
	xj_run(&r, "escalation", "--db", db, "--member", idnum[1], "--json",
	       NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "\"count\": 3");
	proc_result_release(&r);
	/* a bad inspection is refused */
	refused("badge_check", "--member", idnum[1], "2005-02-24",
	        "{\"compliant\":\"有时\"}", "不是可选的值之一");
	xj_run(&r, "escalation", "--db", db, NULL);
	assert_int_equal(r.status, 2);
	proc_result_release(&r);
}

/* 失去联系: a contact attempt names its channel, one of the plan's 家访,
 * 信函, 电话 (DOMAIN.md §3.3); anything else, or none, is refused. */
static void test_contact_attempt(void **state)
{
	struct proc_result r;
	int64_t n0 = q("SELECT count(*) FROM records WHERE kind = "
	               "'contact_attempt'");

	(void)state;
	refused("contact_attempt", "--member", idnum[0], "2005-02-20",
	        "{\"method\":\"短信\"}", "不是可选的值之一");
	refused("contact_attempt", "--member", idnum[0], "2005-02-20", "{}",
	        "method：必须填写");
	xj_run(&r, "record", "add", "contact_attempt", "--db", db, "--member",
	       idnum[0], "--date", "2005-02-20", "--data",
	       "{\"method\":\"信函\"}", NULL);
	if (r.status != 0)
		fail_msg("%s%s", r.out, r.err);
	proc_result_release(&r);
	assert_int_equal(q("SELECT json_extract(payload, '$.method') = '信函'"
	                   " FROM records WHERE kind = 'contact_attempt'"
	                   " ORDER BY id DESC LIMIT 1"),
	                 1);
	assert_int_equal(q("SELECT count(*) FROM records WHERE kind = "
	                   "'contact_attempt'"),
	                 n0 + 1);
}

/* 下基层 (004's 机关党员下乡): where, how many days, which round; kept
 * for the record (no requirement counts it, §17 A23), so the answer says
 * it is archive-only. */
static void test_grassroots(void **state)
{
	struct proc_result r;
	int64_t n0 = q("SELECT count(*) FROM records WHERE kind = "
	               "'grassroots_service'");

	(void)state;
	refused("grassroots_service", "--member", idnum[0], "2005-02-21",
	        "{\"days\":3}", "place：必须填写");
	refused("grassroots_service", "--member", idnum[0], "2005-02-21",
	        "{\"place\":\"东湖村\",\"days\":-2}", "days");
	assert_int_equal(q("SELECT count(*) FROM records WHERE kind = "
	                   "'grassroots_service'"),
	                 n0);
	xj_run(&r, "record", "add", "grassroots_service", "--db", db,
	       "--member", idnum[0], "--date", "2005-02-21", "--data",
	       "{\"place\":\"东湖村\",\"days\":3,\"round\":\"第二批下乡\"}",
	       NULL);
	if (r.status != 0)
		fail_msg("%s%s", r.out, r.err);
	assert_contains(r.out, "存档");
	proc_result_release(&r);
	assert_int_equal(q("SELECT json_extract(payload, '$.place') = '东湖村'"
	                   " FROM records WHERE kind = 'grassroots_service'"
	                   " ORDER BY id DESC LIMIT 1"),
	                 1);
}

/* 情况反映 of a 党委成员: queued for the supervision group, reviewed once
 * by a supervisor with a comment; nobody else may review, and an
 * ordinary member's report is not in the queue. */
static void test_situation(void **state)
{
	char seated[32], id[32];
	struct proc_result r;
	sqlite3_stmt *s;
	sqlite3 *h;
	int64_t n0;

	(void)state;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(h,
	                       "SELECT m.id_number FROM members m JOIN"
	                       " body_seats b ON b.member_id = m.id JOIN orgs"
	                       " o ON o.id = m.org_id WHERE o.code = 'U002-B01'"
	                       " LIMIT 1",
	                       -1, &s, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(seated, sizeof(seated), "%s",
	         (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(h);
	xj_run(&r, "record", "add", "service_card", "--db", db, "--member",
	       seated, "--date", "2005-02-22", "--data",
	       "{\"item\":\"撰写情况反映\",\"note\":\"群众反映窗口排队\"}",
	       NULL);
	assert_int_equal(r.status, 0);
	proc_result_release(&r);
	snprintf(id, sizeof(id), "%lld",
	         (long long)q("SELECT max(id) FROM records"));
	xj_run(&r, "situation", "queue", "--db", db, "--as", "dudao", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "群众反映窗口排队");
	proc_result_release(&r);
	n0 = q("SELECT count(*) FROM report_reviews");
	xj_run(&r, "situation", "review", id, "--db", db, "--as", "shuji",
	       "--comment", "好", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "不是督导组");
	proc_result_release(&r);
	xj_run(&r, "situation", "review", id, "--db", db, "--as", "dudao",
	       "--comment", " ", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "审查意见不能为空");
	proc_result_release(&r);
	assert_int_equal(q("SELECT count(*) FROM report_reviews"), n0);
	xj_run(&r, "situation", "review", id, "--db", db, "--as", "dudao",
	       "--comment", "情况属实", NULL);
	if (r.status != 0)
		fail_msg("%s%s", r.out, r.err);
	proc_result_release(&r);
	xj_run(&r, "situation", "review", id, "--db", db, "--as", "dudao",
	       "--comment", "再审", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "已于");
	proc_result_release(&r);
	assert_int_equal(q("SELECT count(*) FROM report_reviews"), n0 + 1);
	xj_run(&r, "situation", "queue", "--db", db, "--as", "dudao", "--all",
	       NULL);
	assert_contains(r.out, "已审查");
	assert_contains(r.out, "情况属实");
	proc_result_release(&r);
	xj_run(&r, "audit", "verify", "--db", db, NULL);
	assert_int_equal(r.status, 0);
	proc_result_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_refuse),
		cmocka_unit_test(test_sessions),
		cmocka_unit_test(test_transferred_out),
		cmocka_unit_test(test_correct_and_late),
		cmocka_unit_test(test_sheet),
		cmocka_unit_test(test_session_list),
		cmocka_unit_test(test_escalation),
		cmocka_unit_test(test_contact_attempt),
		cmocka_unit_test(test_grassroots),
		cmocka_unit_test(test_situation),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
