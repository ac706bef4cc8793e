/* The CLI as a real process: exit codes and messages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/harness.h"

static int setup(void **state)
{
	struct tmpdb *f = calloc(1, sizeof(*f));

	tmpdb_make(f, "x.db");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	tmpdb_remove(*state);
	free(*state);
	return 0;
}

/* Exactly one line on stderr, containing want. */
static void assert_one_line(const char *s, const char *want)
{
	const char *nl = strchr(s, '\n');

	assert_non_null(nl);
	assert_int_equal(nl[1], '\0');
	if (strstr(s, want) == NULL)
		fail_msg("stderr \"%s\" lacks \"%s\"", s, want);
}

static void test_no_command(void **state)
{
	struct proc_result r;

	(void)state;
	xj_run(&r, NULL);
	assert_int_equal(r.status, 2);
	assert_one_line(r.err, "缺少命令");
	assert_string_equal(r.out, "");
	proc_result_release(&r);
}

static void test_unknown_command(void **state)
{
	struct proc_result r;

	(void)state;
	xj_run(&r, "frobnicate", NULL);
	assert_int_equal(r.status, 2);
	assert_one_line(r.err, "未知命令 \"frobnicate\"");
	proc_result_release(&r);
}

static void test_version(void **state)
{
	struct proc_result r;

	(void)state;
	xj_run(&r, "version", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "xianjiao 0."));
	assert_non_null(strstr(r.out, "数据库结构版本"));
	assert_string_equal(r.err, "");
	proc_result_release(&r);
	xj_run(&r, "--version", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "xianjiao "));
	proc_result_release(&r);
	xj_run(&r, "version", "extra", NULL);
	assert_int_equal(r.status, 2);
	assert_one_line(r.err, "多余的参数: extra");
	proc_result_release(&r);
}

static void test_help(void **state)
{
	static const char *const cmds[] = { "init", "version" };
	struct proc_result r;
	size_t i;

	(void)state;
	xj_run(&r, "--help", NULL);
	assert_int_equal(r.status, 0);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		assert_non_null(strstr(r.out, cmds[i]));
	proc_result_release(&r);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		xj_run(&r, cmds[i], "--help", NULL);
		assert_int_equal(r.status, 0);
		assert_non_null(strstr(r.out, "用法: xianjiao "));
		assert_non_null(strstr(r.out, cmds[i]));
		proc_result_release(&r);
	}
	xj_run(&r, "help", "init", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "--db FILE"));
	proc_result_release(&r);
}

static void test_init_twice(void **state)
{
	struct tmpdb *f = *state;
	struct proc_result r;
	struct stat sb1, sb2;

	xj_run(&r, "init", "--db", f->db, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "已创建数据库"));
	proc_result_release(&r);
	assert_int_equal(stat(f->db, &sb1), 0);

	xj_run(&r, "init", "--db", f->db, NULL);
	assert_int_equal(r.status, 1);
	assert_one_line(r.err, "数据库文件已存在");
	assert_non_null(strstr(r.err, "--force"));
	proc_result_release(&r);
	assert_int_equal(stat(f->db, &sb2), 0);
	assert_int_equal(sb1.st_ino, sb2.st_ino);
	assert_int_equal(sb1.st_size, sb2.st_size);

	xj_run(&r, "init", "--db", f->db, "--force", NULL);
	assert_int_equal(r.status, 0);
	proc_result_release(&r);
	xj_run(&r, "init", "--force", "--db=", NULL);
	assert_int_equal(r.status, 2);
	assert_one_line(r.err, "缺少参数");
	proc_result_release(&r);
}

static void test_init_usage_errors(void **state)
{
	struct tmpdb *f = *state;
	struct proc_result r;

	xj_run(&r, "init", NULL);
	assert_int_equal(r.status, 2);
	assert_one_line(r.err, "缺少必需的选项 --db");
	proc_result_release(&r);

	xj_run(&r, "init", "--db", NULL);
	assert_int_equal(r.status, 2);
	assert_one_line(r.err, "选项 --db 缺少参数");
	proc_result_release(&r);

	xj_run(&r, "init", "--db", f->db, "--colour", NULL);
	assert_int_equal(r.status, 2);
	assert_one_line(r.err, "未知选项 --colour");
	proc_result_release(&r);

	xj_run(&r, "init", "-d", f->db, NULL);
	assert_int_equal(r.status, 2);
	assert_one_line(r.err, "未知选项 -d");
	proc_result_release(&r);

	xj_run(&r, "init", "--db", f->db, "--db", f->db, NULL);
	assert_int_equal(r.status, 2);
	assert_one_line(r.err, "选项 --db 重复");
	proc_result_release(&r);

	xj_run(&r, "init", "--db", f->db, "--force=yes", NULL);
	assert_int_equal(r.status, 2);
	assert_one_line(r.err, "选项 --force 不带参数");
	proc_result_release(&r);

	/* nothing was created by any of the refused commands */
	assert_int_equal(access(f->db, F_OK), -1);
}

static void test_init_runtime_errors(void **state)
{
	struct tmpdb *f = *state;
	struct proc_result r;
	char *nodir = path_join(f->dir, "no/such/dir/x.db");

	xj_run(&r, "init", "--db", nodir, NULL);
	assert_int_equal(r.status, 1);
	assert_one_line(r.err, "无法创建数据库文件");
	proc_result_release(&r);
	free(nodir);

	/* a directory is not overwritten even with --force */
	xj_run(&r, "init", "--db", f->dir, "--force", NULL);
	assert_int_equal(r.status, 1);
	assert_one_line(r.err, "不是普通文件");
	proc_result_release(&r);
}

/* xianjiao(1) lists every command the program has. */
static void test_man_page(void **state)
{
	struct proc_result r;
	char *man, *line, *save = NULL, entry[128];
	FILE *f;
	long n;

	(void)state;
	f = fopen("docs/man/xianjiao.1", "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	man = malloc((size_t)n + 1);
	assert_non_null(man);
	assert_int_equal(fread(man, 1, (size_t)n, f), (size_t)n);
	man[n] = '\0';
	fclose(f);
	xj_run(&r, "--help", NULL);
	for (line = strtok_r(r.out, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[64];
		size_t len;

		if (strncmp(line, "  ", 2) != 0 || line[2] < 'a' ||
		    line[2] > 'z')
			continue;
		/* "  user add       新建用户…": one or two lowercase words */
		len = strspn(line + 2, "abcdefghijklmnopqrstuvwxyz ");
		while (len > 0 && line[2 + len - 1] == ' ')
			len--;
		if (len >= sizeof(name))
			continue;
		memcpy(name, line + 2, len);
		name[len] = '\0';
		snprintf(entry, sizeof(entry), ".B xianjiao %s\n", name);
		if (strstr(man, entry) == NULL)
			fail_msg("docs/man/xianjiao.1 lacks %s", name);
	}
	proc_result_release(&r);
	free(man);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_command),
		cmocka_unit_test(test_unknown_command),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_man_page),
		cmocka_unit_test_setup_teardown(test_init_twice, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_init_usage_errors, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_init_runtime_errors, setup,
		                                teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
