/* xianjiao plan check as a real process: the reference plan passes, a bad
 * plan lists every problem as FILE:LINE:COLUMN: reason and exits 1. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../lib/check.h"
#include "../lib/harness.h"

#define REFERENCE "plans/2005-xianjiao.yaml"
#define BAD_THREE "tests/fixtures/plans/bad-three.yaml"

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static void test_reference_passes(void **state)
{
	struct proc_result r;

	(void)state;
	xj_run(&r, "plan", "check", REFERENCE, NULL);
	if (r.status != 0)
		fail_msg("exit %d: %s", r.status, r.err);
	assert_string_equal(r.err, "");
	assert_int_equal(count_lines(r.out), 1);
	assert_contains(r.out, "方案检查通过：" REFERENCE);
	assert_contains(r.out, "3 个阶段");
	assert_contains(r.out, "项为转段条件");
	proc_result_release(&r);
}

static void test_bad_plan(void **state)
{
	struct proc_result r;
	const char *second, *third;

	(void)state;
	xj_run(&r, "plan", "check", BAD_THREE, NULL);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.out, "");
	/* three problems in file order, then the command's one-line
	 * summary */
	assert_int_equal(count_lines(r.err), 4);
	assert_true(strncmp(r.err, BAD_THREE ":20:5: ",
	                    strlen(BAD_THREE ":20:5: ")) == 0);
	second = strstr(r.err, "\n" BAD_THREE ":40:20: ");
	third = strstr(r.err, "\n" BAD_THREE ":60:13: ");
	assert_non_null(second);
	assert_non_null(third);
	assert_true(second < third);
	assert_contains(r.err, "未知的键 \"colour\"");
	assert_contains(r.err, "\"type\" 的值 \"average\" 无效");
	assert_contains(r.err, "\"weight\" 应在 0 到 100 之间");
	assert_contains(r.err, "xianjiao plan check: 方案 " BAD_THREE
	                       " 有 3 处错误\n");
	proc_result_release(&r);
}

static void test_syntax_error(void **state)
{
	struct proc_result r;

	(void)state;
	xj_run(&r, "plan", "check", "tests/fixtures/plans/bad-syntax.yaml",
	       NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "tests/fixtures/plans/bad-syntax.yaml:9:49: "
	                       "YAML 语法错误");
	proc_result_release(&r);
}

static void test_errors_and_usage(void **state)
{
	struct proc_result r;

	(void)state;
	xj_run(&r, "plan", "check", "tests/fixtures/plans/no-such.yaml", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "无法打开方案文件");
	assert_int_equal(count_lines(r.err), 1);
	proc_result_release(&r);

	xj_run(&r, "plan", "check", NULL);
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "缺少参数 FILE");
	proc_result_release(&r);

	xj_run(&r, "plan", "check", REFERENCE, REFERENCE, NULL);
	assert_int_equal(r.status, 2);
	proc_result_release(&r);

	xj_run(&r, "plan", NULL);
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "check");
	proc_result_release(&r);

	xj_run(&r, "plan", "check", "--help", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "用法: xianjiao plan check FILE");
	proc_result_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_passes),
		cmocka_unit_test(test_bad_plan),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_errors_and_usage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
