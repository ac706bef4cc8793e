/*
 * 转段 through the real binary on the demo campaign: who may act (--as
 * and the operator), the gate's refusal with its explanation, the
 * office's override shown by status and explain, signature, approval,
 * 补课 and its follow-up, extensions and the overdue list, queues, stale
 * versions, spot checks, and two processes approving one unit at once.
 */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../lib/check.h"
#include "../lib/harness.h"

static char *dir, *db;

static const char *const learn_items[] = { "awareness", "three_represents",
	                                   "requirements_clear",
	                                   "fix_as_you_learn" };

static int setup(void **state)
{
	struct proc_result r;

	(void)state;
	dir = tmpdir_make();
	db = path_join(dir, "t.db");
	xj_run(&r, "demo", "--db", db, NULL);
	if (r.status != 0)
		fail_msg("demo: %s%s", r.out, r.err);
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

/* xianjiao transition WHAT UNIT --db DB args... */
#define RUN(r, ...) xj_run((r), __VA_ARGS__, "--db", db, NULL)

static void expect_ok(struct proc_result *r)
{
	if (r->status != 0)
		fail_msg("exit %d\n%s%s", r->status, r->out, r->err);
}

static void answer_all(const char *unit, const char *as)
{
	struct proc_result r;
	size_t i;

	for (i = 0; i < 4; i++) {
		RUN(&r, "transition", "lookback", unit, "--as", as, "--item",
		    learn_items[i], "--answer", "已对照检查，认识明显提高",
		    "--on", "2005-02-20");
		expect_ok(&r);
		proc_result_release(&r);
	}
	RUN(&r, "transition", "selfcheck", unit, "--as", as, "--report",
	    "学习动员阶段自查报告", "--on", "2005-02-21");
	expect_ok(&r);
	proc_result_release(&r);
}

static json_t *json_of(struct proc_result *r)
{
	json_t *j = json_loads(r->out, 0, NULL);

	if (j == NULL)
		fail_msg("not JSON: %s", r->out);
	return j;
}

static void test_who_may_act(void **state)
{
	struct proc_result r;

	(void)state;
	RUN(&r, "transition", "show", "U001");
	expect_ok(&r);
	assert_contains(r.out, "学习动员·进行中（第 0 版）");
	assert_contains(r.out, "回头看（已答 0/4）");
	assert_contains(r.out, "fix_as_you_learn：是否坚持边学边改");
	proc_result_release(&r);
	/* the unit office of U001 answers for U001, not for U002 */
	RUN(&r, "transition", "lookback", "U002", "--as", "danwei", "--item",
	    "awareness", "--answer", "x");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "单位不存在");
	proc_result_release(&r);
	/* a branch secretary and a member take no part */
	RUN(&r, "transition", "lookback", "U001", "--as", "shuji", "--item",
	    "awareness", "--answer", "x");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "您的角色无权使用此功能");
	proc_result_release(&r);
	RUN(&r, "transition", "show", "U001", "--as", "dangyuan");
	assert_int_equal(r.status, 1);
	proc_result_release(&r);
	RUN(&r, "transition", "lookback", "U001", "--as", "nobody", "--item",
	    "awareness", "--answer", "x");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "用户不存在: nobody");
	proc_result_release(&r);
	/* usage: required options, dates, numbers */
	RUN(&r, "transition", "lookback", "U001", "--item", "awareness");
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "缺少必需的选项 --answer");
	proc_result_release(&r);
	RUN(&r, "transition", "extend", "U001", "--until", "2005-02-30",
	    "--reason", "x");
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "--until");
	proc_result_release(&r);
	RUN(&r, "transition", "lookback", "U001", "--item", "awareness",
	    "--answer", "x", "--expect-version", "abc");
	assert_int_equal(r.status, 2);
	proc_result_release(&r);
	RUN(&r, "transition", "show", "NOPE");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "没有组织代码为 NOPE 的单位");
	proc_result_release(&r);
	/* a branch is not a unit */
	RUN(&r, "transition", "show", "U001-B01");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "须为单位");
	proc_result_release(&r);
}

static void test_gate_override_sign_approve(void **state)
{
	struct proc_result r;
	json_t *j;

	(void)state;
	RUN(&r, "transition", "selfcheck", "U001", "--as", "danwei", "--report",
	    "太早");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "回头看还有 4 项未回答");
	assert_contains(r.err, "未回答 awareness");
	proc_result_release(&r);
	answer_all("U001", "danwei");
	/* the demo's stage 1 is part-way: the gate refuses, explaining */
	RUN(&r, "transition", "apply", "U001", "--as", "danwei", "--on",
	    "2005-02-21");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "未达到转段条件，不能申请转段");
	assert_contains(r.err, "✗ 集中学习不少于40小时：党员");
	assert_contains(r.err, "小时，要求 >= 40小时");
	proc_result_release(&r);
	RUN(&r, "transition", "apply", "U001", "--as", "danwei", "--on",
	    "2005-02-21", "--json");
	assert_int_equal(r.status, 1);
	j = json_of(&r);
	assert_string_equal(json_string_value(json_object_get(j, "state")),
	                    "selfcheck");
	assert_true(json_array_size(json_object_get(j, "failing")) > 0);
	json_decref(j);
	proc_result_release(&r);
	/* only the office overrides, only with a reason */
	RUN(&r, "transition", "override", "U001", "--as", "danwei", "--reason",
	    "想转");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "您的角色无权使用此功能");
	proc_result_release(&r);
	RUN(&r, "transition", "override", "U001");
	assert_int_equal(r.status, 2);
	proc_result_release(&r);
	RUN(&r, "transition", "override", "U001", "--reason", "　", "--on",
	    "2005-02-22");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "越过转段条件的理由不能为空");
	proc_result_release(&r);
	RUN(&r, "transition", "override", "U001", "--as", "admin", "--reason",
	    "封闭学习因春节顺延，缺课者已安排补学", "--on", "2005-02-22");
	expect_ok(&r);
	assert_contains(r.out, "学习动员·申请转段（待督导组验收）");
	proc_result_release(&r);
	/* the reason is shown wherever the unit's status is */
	RUN(&r, "status", "--unit", "U001");
	expect_ok(&r);
	assert_contains(r.out, "先教办越过未达标的转段条件准予申请，理由：封闭"
	                       "学习因春节顺延，缺课者已安排补学");
	proc_result_release(&r);
	RUN(&r, "explain", "U001");
	expect_ok(&r);
	assert_contains(r.out, "转段：学习动员·申请转段（待督导组验收）");
	assert_contains(r.out, "理由：封闭学习因春节顺延");
	proc_result_release(&r);
	RUN(&r, "status", "--unit", "U001", "--json");
	expect_ok(&r);
	assert_contains(r.out, "\"override\"");
	proc_result_release(&r);
	/* the sign-off is the supervision group's, of U001's 系统 */
	RUN(&r, "transition", "sign", "U001", "--on", "2005-02-23");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "--as");
	proc_result_release(&r);
	RUN(&r, "transition", "sign", "U001", "--as", "admin");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "您的角色无权使用此功能");
	proc_result_release(&r);
	RUN(&r, "transition", "queue", "--as", "dudao", "--json");
	expect_ok(&r);
	j = json_of(&r);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	proc_result_release(&r);
	RUN(&r, "transition", "sign", "U001", "--as", "dudao", "--reason",
	    "验收合格", "--on", "2005-02-23");
	expect_ok(&r);
	proc_result_release(&r);
	/* approving is the office's; it is not the supervisor's */
	RUN(&r, "transition", "approve", "U001", "--as", "dudao");
	assert_int_equal(r.status, 1);
	proc_result_release(&r);
	RUN(&r, "transition", "queue", "--today", "2005-02-24");
	expect_ok(&r);
	assert_contains(r.out, "先教办：待审批 1 个单位，逾期 0 个单位");
	assert_contains(r.out, "U001   市委机关党委");
	proc_result_release(&r);
	RUN(&r, "transition", "approve", "U001", "--on", "2005-02-24",
	    "--json");
	expect_ok(&r);
	j = json_of(&r);
	assert_string_equal(json_string_value(json_object_get(j, "to_stage")),
	                    "review");
	json_decref(j);
	proc_result_release(&r);
	/* status and explain now evaluate U001 on 分析评议 */
	RUN(&r, "explain", "U001");
	expect_ok(&r);
	assert_contains(r.out, "分析评议");
	assert_contains(r.out, "召开分析评议阶段动员会");
	proc_result_release(&r);
	RUN(&r, "transition", "history", "U001");
	expect_ok(&r);
	assert_contains(r.out, "2005-02-22 学习动员 先教办越过未达标条件准予申"
	                       "请：自查 → 申请转段");
	assert_contains(r.out, "（dudao，");
	assert_contains(r.out, "先教办批准转段");
	proc_result_release(&r);
	/* nothing to undo: the history is final */
	RUN(&r, "transition", "approve", "U001");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "分析评议·进行中，不能先教办批准转段；现在可以："
	                       "回头看、提交自查报告、延长期限");
	proc_result_release(&r);
	RUN(&r, "audit", "verify");
	expect_ok(&r);
	proc_result_release(&r);
}

static void to_signed(const char *unit)
{
	struct proc_result r;

	answer_all(unit, "admin");
	RUN(&r, "transition", "override", unit, "--reason", "时间服从质量",
	    "--on", "2005-02-22");
	expect_ok(&r);
	proc_result_release(&r);
	RUN(&r, "transition", "sign", unit, "--as", "dudao", "--on",
	    "2005-02-23");
	expect_ok(&r);
	proc_result_release(&r);
}

static void test_remedy_and_deadlines(void **state)
{
	struct proc_result r;
	json_t *j, *items;
	char id[32];

	(void)state;
	to_signed("U002");
	RUN(&r, "transition", "remedy", "U002", "--items",
	    "补写学习笔记;补开专题讨论会", "--deadline", "2005-03-05",
	    "--reason", "学习笔记字数不足", "--on", "2005-02-24");
	expect_ok(&r);
	assert_contains(r.out,
	                "督导组已验收（待先教办审批） → 学习动员·进行中");
	proc_result_release(&r);
	RUN(&r, "transition", "show", "U002", "--json", "--today",
	    "2005-03-08");
	expect_ok(&r);
	j = json_of(&r);
	items = json_object_get(j, "remedies");
	assert_int_equal(json_array_size(items), 2);
	assert_int_equal(json_integer_value(json_object_get(
	                     json_array_get(items, 0), "overdue_days")),
	                 3);
	snprintf(id, sizeof(id), "%lld",
	         (long long)json_integer_value(
	             json_object_get(json_array_get(items, 0), "id")));
	json_decref(j);
	proc_result_release(&r);
	/* the overdue list has the items, and the unit's office its queue */
	RUN(&r, "transition", "overdue", "--today", "2005-03-08");
	expect_ok(&r);
	assert_contains(r.out, "2 项补课逾期");
	assert_contains(r.out, "补写学习笔记，期限 2005-03-05，已逾期 3 天");
	proc_result_release(&r);
	RUN(&r, "transition", "done", "U002", "--item", id, "--evidence",
	    "已补写，支部书记审阅", "--on", "2005-03-01");
	expect_ok(&r);
	proc_result_release(&r);
	RUN(&r, "transition", "done", "U002", "--item", id, "--evidence",
	    "again", "--on", "2005-03-01");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "已经完成");
	proc_result_release(&r);
	RUN(&r, "transition", "done", "U002", "--item", "0", "--evidence", "x");
	assert_int_equal(r.status, 2);
	proc_result_release(&r);
	/* still one open: the application is refused for it */
	RUN(&r, "transition", "selfcheck", "U002", "--report", "补课后自查",
	    "--on", "2005-03-02");
	expect_ok(&r);
	proc_result_release(&r);
	RUN(&r, "transition", "apply", "U002", "--on", "2005-03-02");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "1 项补课未完成");
	assert_contains(r.err, "补课 #");
	assert_contains(r.err, "补开专题讨论会");
	proc_result_release(&r);
	/* a stage deadline: 3月10日, extended with a reason */
	RUN(&r, "transition", "overdue", "--today", "2005-03-12", "--json");
	expect_ok(&r);
	j = json_of(&r);
	assert_true(json_integer_value(json_object_get(j, "units_overdue")) >
	            100);
	json_decref(j);
	proc_result_release(&r);
	RUN(&r, "transition", "extend", "U003", "--until", "2005-03-31");
	assert_int_equal(r.status, 2);
	proc_result_release(&r);
	RUN(&r, "transition", "extend", "U003", "--until", "2005-03-09",
	    "--reason", "时间服从质量", "--on", "2005-03-01");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "新期限须晚于现在的期限 2005-03-10");
	proc_result_release(&r);
	RUN(&r, "transition", "extend", "U003", "--until", "2005-03-31",
	    "--reason", "时间服从质量：春节后补学", "--on", "2005-03-01");
	expect_ok(&r);
	proc_result_release(&r);
	RUN(&r, "transition", "overdue", "--today", "2005-03-12");
	expect_ok(&r);
	assert_true(strstr(r.out, "U003 ") == NULL);
	assert_contains(r.out, "U004 ");
	proc_result_release(&r);
	/* acting on a version that has moved on is refused */
	RUN(&r, "transition", "lookback", "U004", "--item", "awareness",
	    "--answer", "x", "--expect-version", "3", "--on", "2005-03-01");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "现为第 0 版，您看到的是第 3 版");
	proc_result_release(&r);
	RUN(&r, "transition", "queue", "--as", "danwei");
	expect_ok(&r);
	assert_contains(r.out, "单位：待办 1 项（其中补课 0 项）");
	proc_result_release(&r);
}

/* Two processes approve one unit at once: one wins, one is refused. */
static void test_race(void **state)
{
	char *argv[] = { (char *)xj_bin(), "transition", "approve",
		         "U005",           "--db",       db,
		         "--on",           "2005-02-24", NULL };
	struct proc_result r;
	pid_t pid[2];
	int fd[2], st[2], i;

	(void)state;
	to_signed("U005");
	for (i = 0; i < 2; i++)
		pid[i] = proc_start(argv, &fd[i]);
	for (i = 0; i < 2; i++) {
		st[i] = proc_wait(pid[i], 20000);
		close(fd[i]);
	}
	assert_true((st[0] == 0 && st[1] == 1) || (st[0] == 1 && st[1] == 0));
	RUN(&r, "transition", "show", "U005", "--json");
	expect_ok(&r);
	assert_contains(r.out, "\"version\": 8");
	assert_contains(r.out, "\"id\": \"review\"");
	proc_result_release(&r);
}

static void test_spotcheck(void **state)
{
	struct proc_result r;
	json_t *ja, *jb, *a, *b, *u;
	const char *code;
	char spot[16];

	(void)state;
	RUN(&r, "spotcheck", "draw", "--stage", "learn", "--seed", "2005",
	    "--json");
	expect_ok(&r);
	ja = json_of(&r);
	proc_result_release(&r);
	RUN(&r, "spotcheck", "draw", "--stage", "learn", "--seed", "2005",
	    "--json");
	expect_ok(&r);
	jb = json_of(&r);
	proc_result_release(&r);
	/* the same seed draws the same units: 2 of each of the 10 系统 */
	a = json_object_get(
	    json_array_get(json_object_get(ja, "spot_checks"), 0), "units");
	b = json_object_get(
	    json_array_get(json_object_get(jb, "spot_checks"), 0), "units");
	assert_int_equal(json_array_size(a), 20);
	assert_true(json_equal(a, b));
	u = json_array_get(a, 0);
	code = json_string_value(json_object_get(u, "code"));
	RUN(&r, "spotcheck", "draw", "--stage", "learn", "--per-system", "5");
	assert_int_equal(r.status, 2);
	proc_result_release(&r);
	RUN(&r, "spotcheck", "draw", "--stage", "nope");
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "方案中没有阶段 nope");
	proc_result_release(&r);
	RUN(&r, "spotcheck", "draw", "--stage", "learn", "--as", "danwei");
	assert_int_equal(r.status, 1);
	proc_result_release(&r);
	/* findings: at a drawn unit, optionally ordering 补课 */
	snprintf(spot, sizeof(spot), "1");
	RUN(&r, "spotcheck", "finding", spot, "--unit", code, "--mode", "暗访",
	    "--text", "集中学习时三人缺席", "--items", "组织缺席者补学",
	    "--deadline", "2005-03-20", "--on", "2005-03-03");
	expect_ok(&r);
	assert_contains(r.out, "已责令补课");
	proc_result_release(&r);
	RUN(&r, "spotcheck", "finding", spot, "--unit", code, "--mode", "突击",
	    "--text", "x");
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "方式须为 明查 或 暗访");
	proc_result_release(&r);
	RUN(&r, "spotcheck", "list", "--id", "1");
	expect_ok(&r);
	assert_contains(r.out, "随机种子 2005，每个系统 2 个单位");
	assert_contains(r.out, "（暗访）：集中学习时三人缺席；已责令补课");
	proc_result_release(&r);
	RUN(&r, "transition", "show", code);
	expect_ok(&r);
	assert_contains(r.out, "组织缺席者补学（期限 2005-03-20）");
	proc_result_release(&r);
	json_decref(ja);
	json_decref(jb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_who_may_act),
		cmocka_unit_test(test_gate_override_sign_approve),
		cmocka_unit_test(test_remedy_and_deadlines),
		cmocka_unit_test(test_race),
		cmocka_unit_test(test_spotcheck),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
