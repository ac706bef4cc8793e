/*
 * xianjiao opinion through the real binary on the demo campaign: bad
 * input refused with its message and nothing stored, a member's own
 * opinion visible only after feedback and never with its giver, another
 * member's never, publication to an organisation's members, statistics.
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
static char self[32], peer[32], other[32]; /* ID numbers */

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

static void qtext(const char *sql, char *buf, size_t size)
{
	sqlite3_stmt *s;
	sqlite3 *h;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(buf, size, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(h);
}

static int setup(void **state)
{
	struct proc_result r;

	(void)state;
	dir = tmpdir_make();
	db = path_join(dir, "o.db");
	xj_run(&r, "demo", "--db", db, NULL);
	assert_int_equal(r.status, 0);
	proc_result_release(&r);
	qtext("SELECT m.id_number FROM users u JOIN members m ON m.id ="
	      " u.member_id WHERE u.login = 'dangyuan'",
	      self, sizeof(self));
	qtext("SELECT m.id_number FROM members m JOIN orgs o ON o.id ="
	      " m.org_id WHERE o.code = 'U001-B01' AND m.left_on IS NULL"
	      " AND m.id != (SELECT member_id FROM users WHERE login ="
	      " 'dangyuan') ORDER BY m.id LIMIT 1",
	      peer, sizeof(peer));
	qtext("SELECT m.id_number FROM members m JOIN orgs o ON o.id ="
	      " m.org_id WHERE o.code = 'U001-B02' AND m.left_on IS NULL"
	      " ORDER BY m.id LIMIT 1",
	      other, sizeof(other));
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

/* Run and expect success; the output is returned (free it). */
#define OK(r, ...)                                                             \
	do {                                                                   \
		xj_run(&(r), __VA_ARGS__, NULL);                               \
		if ((r).status != 0)                                           \
			fail_msg("exit %d: %s", (r).status, (r).err);          \
	} while (0)

/* An anonymous opinion about target_member that must be refused. */
static void refused(const char *want, const char *channel,
                    const char *target_member, const char *text, const char *as)
{
	struct proc_result r;
	int64_t n0 = q("SELECT count(*) FROM opinions");
	int64_t a0 = q("SELECT count(*) FROM audit_log");

	xj_run(&r, "opinion", "add", "--db", db, "--org", "U001-B01",
	       "--channel", channel, "--target", "党员", "--target-member",
	       target_member, "--text", text, "--date", "2005-02-10", "--as",
	       as, "--anonymous", NULL);
	assert_int_not_equal(r.status, 0);
	assert_contains(r.err, want);
	proc_result_release(&r);
	assert_int_equal(q("SELECT count(*) FROM opinions"), n0);
	assert_int_equal(q("SELECT count(*) FROM audit_log"), a0);
}

static void test_bad_input(void **state)
{
	(void)state;
	refused("未知的征求意见渠道：传真", "传真", peer, "意见", "shuji");
	/* an anonymous opinion with a giver, an unknown target */
	{
		struct proc_result r;
		int64_t n0 = q("SELECT count(*) FROM opinions");

		xj_run(&r, "opinion", "add", "--db", db, "--org", "U001-B01",
		       "--channel", "意见箱", "--target", "党员",
		       "--target-member", peer, "--text", "意见", "--date",
		       "2005-02-10", "--anonymous", "--giver", "张三", NULL);
		assert_int_not_equal(r.status, 0);
		assert_contains(r.err, "匿名意见不能记录提意见人");
		proc_result_release(&r);
		xj_run(&r, "opinion", "add", "--db", db, "--org", "U001-B01",
		       "--channel", "意见箱", "--target", "先进分子",
		       "--target-member", peer, "--text", "意见", "--date",
		       "2005-02-10", "--anonymous", NULL);
		assert_int_not_equal(r.status, 0);
		assert_contains(r.err, "未知的意见对象：先进分子");
		proc_result_release(&r);
		assert_int_equal(q("SELECT count(*) FROM opinions"), n0);
	}
	refused("意见内容不能为空", "意见箱", peer, "  ", "shuji");
	/* the secretary of U001-B01 and a member of U001-B02 */
	refused("不在您的管理范围内", "意见箱", other, "意见", "shuji");
	/* a member does not enter opinions */
	refused("无权录入或处理意见", "意见箱", peer, "意见", "dangyuan");
}

static void test_feedback_and_privacy(void **state)
{
	struct proc_result r;
	char id[32], peer_id[32];

	(void)state;
	OK(r, "opinion", "add", "--db", db, "--org", "U001-B01", "--channel",
	   "意见箱", "--target", "党员", "--target-member", self, "--giver",
	   "赵提议", "--contact", "13900000000", "--text", "学习笔记应付了事",
	   "--date", "2005-02-10", "--as", "shuji");
	assert_contains(r.out, "已录入意见");
	snprintf(id, sizeof(id), "%lld",
	         (long long)q("SELECT max(id) FROM opinions"));
	proc_result_release(&r);
	OK(r, "opinion", "add", "--db", db, "--org", "U001-B01", "--channel",
	   "个别交谈", "--target", "党员", "--target-member", peer,
	   "--anonymous", "--text", "他人之事", "--date", "2005-02-11");
	snprintf(peer_id, sizeof(peer_id), "%lld",
	         (long long)q("SELECT max(id) FROM opinions"));
	proc_result_release(&r);

	/* the office (operator) sees the giver; the secretary does not */
	OK(r, "opinion", "list", "--db", db, "--org", "U001-B01");
	assert_contains(r.out, "赵提议");
	proc_result_release(&r);
	OK(r, "opinion", "list", "--db", db, "--as", "shuji");
	assert_contains(r.out, "学习笔记应付了事");
	assert_null(strstr(r.out, "赵提议"));
	proc_result_release(&r);
	/* the member: nothing before feedback */
	OK(r, "opinion", "list", "--db", db, "--as", "dangyuan");
	assert_string_equal(r.out, "");
	proc_result_release(&r);
	/* feedback needs a classification first */
	xj_run(&r, "opinion", "feedback", id, "--db", db, "--as", "shuji",
	       NULL);
	assert_int_not_equal(r.status, 0);
	assert_contains(r.err, "尚未分类");
	proc_result_release(&r);
	OK(r, "opinion", "classify", id, "--db", db, "--category",
	   "党员和党组织自身存在的突出问题", "--dimension", "工作学习", "--as",
	   "shuji");
	proc_result_release(&r);
	xj_run(&r, "opinion", "publish", id, "--db", db, NULL);
	assert_int_not_equal(r.status, 0);
	assert_contains(r.err, "只向本人如实反馈");
	proc_result_release(&r);
	OK(r, "opinion", "feedback", id, "--db", db, "--as", "shuji", "--date",
	   "2005-02-20", "--note", "结合谈心");
	proc_result_release(&r);
	OK(r, "opinion", "list", "--db", db, "--as", "dangyuan");
	assert_contains(r.out, "学习笔记应付了事");
	assert_contains(r.out, "已反馈 2005-02-20 shuji");
	assert_null(strstr(r.out, "赵提议"));
	assert_null(strstr(r.out, "13900000000"));
	assert_null(strstr(r.out, "他人之事"));
	proc_result_release(&r);
	/* fed back to the peer: still not the member's to see */
	OK(r, "opinion", "classify", peer_id, "--db", db, "--category",
	   "党风政风行风方面的突出问题");
	proc_result_release(&r);
	OK(r, "opinion", "feedback", peer_id, "--db", db);
	proc_result_release(&r);
	OK(r, "opinion", "list", "--db", db, "--as", "dangyuan", "--member",
	   peer);
	assert_string_equal(r.out, "");
	proc_result_release(&r);
	/* the audit log records who gave the feedback */
	assert_int_equal(q("SELECT count(*) FROM opinion_actions a JOIN users"
	                   " u ON u.id = a.actor_id WHERE u.login = 'shuji'"
	                   " AND a.action = 'feedback'"),
	                 1);
}

static void test_publication_and_stats(void **state)
{
	struct proc_result r;
	char id[32], want[64];

	(void)state;
	OK(r, "opinion", "add", "--db", db, "--org", "U001", "--channel",
	   "征求意见表", "--target", "领导班子", "--target-org", "U001-LB",
	   "--anonymous", "--text", "班子下基层调研少", "--date", "2005-02-12",
	   "--as", "danwei");
	snprintf(id, sizeof(id), "%lld",
	         (long long)q("SELECT max(id) FROM opinions"));
	proc_result_release(&r);
	OK(r, "opinion", "list", "--db", db, "--as", "dangyuan", "--published");
	assert_null(strstr(r.out, "班子下基层调研少"));
	proc_result_release(&r);
	OK(r, "opinion", "classify", id, "--db", db, "--category",
	   "党风政风行风方面的突出问题", "--as", "danwei");
	proc_result_release(&r);
	xj_run(&r, "opinion", "feedback", id, "--db", db, NULL);
	assert_int_not_equal(r.status, 0);
	assert_contains(r.err, "不作个人反馈");
	proc_result_release(&r);
	/* the secretary cannot handle the unit's team opinion */
	xj_run(&r, "opinion", "publish", id, "--db", db, "--as", "shuji", NULL);
	assert_int_not_equal(r.status, 0);
	assert_contains(r.err, "意见不存在");
	proc_result_release(&r);
	OK(r, "opinion", "publish", id, "--db", db, "--as", "danwei", "--form",
	   "公示栏", "--date", "2005-02-25");
	proc_result_release(&r);
	OK(r, "opinion", "list", "--db", db, "--as", "dangyuan", "--published");
	assert_contains(r.out, "班子下基层调研少");
	assert_contains(r.out, "已公布 2005-02-25");
	proc_result_release(&r);

	/* statistics equal the rows, counted by hand in SQL */
	OK(r, "opinion", "stats", "--db", db, "--org", "U001");
	snprintf(want, sizeof(want), "意见合计 %lld 条",
	         (long long)q("SELECT count(*) FROM opinions o WHERE NOT"
	                      " EXISTS (SELECT 1 FROM opinions c WHERE"
	                      " c.supersedes = o.id)"));
	assert_contains(r.out, want);
	assert_contains(r.out, "征求意见表 1");
	assert_contains(r.out, "领导班子 1");
	assert_contains(r.out, "党员 2");
	assert_contains(r.out, "已公布 1，已反馈 2");
	proc_result_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_feedback_and_privacy),
		cmocka_unit_test(test_publication_and_stats),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
