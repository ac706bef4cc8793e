/* Users, roles, tokens and the audit log from the command line,
 * including tampering with the audit log directly in SQLite. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/harness.h"

static void run_env(struct proc_result *r, const char *env, ...)
{
	char *argv[32], *envv[2] = { (char *)env, NULL };
	size_t n = 0;
	va_list ap;
	char *a;

	argv[n++] = (char *)xj_bin();
	va_start(ap, env);
	while ((a = va_arg(ap, char *)) != NULL && n < 31)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	proc_run(argv, env ? envv : NULL, r);
}

static void must(struct proc_result *r, int status)
{
	if (r->status != status)
		fail_msg("exit %d (want %d)\nstdout: %s\nstderr: %s", r->status,
		         status, r->out, r->err);
}

static int setup(void **state)
{
	struct tmpdb *f = calloc(1, sizeof(*f));
	struct proc_result r;

	tmpdb_make(f, "a.db");
	run_env(&r, "XJ_ADMIN_PASSWORD=管理员的密码", "init", "--db", f->db,
	        NULL);
	must(&r, 0);
	proc_result_release(&r);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	tmpdb_remove(*state);
	free(*state);
	return 0;
}

static void sql(const char *path, const char *q)
{
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, q, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", q, msg);
	sqlite3_close(db);
}

static void test_init_admin(void **state)
{
	struct tmpdb *f = *state;
	struct proc_result r;
	char *db2 = path_join(f->dir, "b.db");

	xj_run(&r, "user", "list", "--db", f->db, NULL);
	must(&r, 0);
	assert_non_null(strstr(r.out, "admin\t先教办管理员\t正常\t先教办"));
	proc_result_release(&r);

	/* without XJ_ADMIN_PASSWORD a password is generated and shown once */
	xj_run(&r, "init", "--db", db2, "--admin", "xjb", NULL);
	must(&r, 0);
	assert_non_null(strstr(r.out, "用户名 xjb，初始密码 "));
	assert_non_null(strstr(r.out, "只显示这一次"));
	proc_result_release(&r);

	/* a bad administrator name is a usage error and creates nothing */
	unlink(db2);
	xj_run(&r, "init", "--db", db2, "--admin", "bad name!", NULL);
	must(&r, 2);
	assert_non_null(strstr(r.err, "--admin: 用户名只能包含"));
	proc_result_release(&r);
	assert_int_equal(access(db2, F_OK), -1);
	free(db2);
}

static void test_user_lifecycle(void **state)
{
	struct tmpdb *f = *state;
	struct proc_result r;

	run_env(&r, "XJ_PASSWORD=pw-1", "user", "add", "--db", f->db, "--login",
	        "liu", "--name", "刘支书", NULL);
	must(&r, 0);
	assert_non_null(strstr(r.out, "已创建用户 liu"));
	assert_null(strstr(r.out, "pw-1")); /* a given password is not echoed */
	proc_result_release(&r);

	run_env(&r, "XJ_PASSWORD=pw-1", "user", "add", "--db", f->db, "--login",
	        "liu", "--name", "刘支书", NULL);
	must(&r, 1);
	assert_non_null(strstr(r.err, "用户名已存在: liu"));
	proc_result_release(&r);

	xj_run(&r, "user", "add", "--db", f->db, "--login", "x y", "--name",
	       "某", NULL);
	must(&r, 1);
	assert_non_null(strstr(r.err, "用户名只能包含"));
	proc_result_release(&r);

	xj_run(&r, "user", "add", "--db", f->db, "--login", "wang", "--name",
	       "王", "--org", "U1", NULL);
	must(&r, 2);
	assert_non_null(strstr(r.err, "须与 --role 一起使用"));
	proc_result_release(&r);

	xj_run(&r, "user", "grant", "--db", f->db, "--login", "liu", "--role",
	       "chairman", NULL);
	must(&r, 2);
	assert_non_null(strstr(r.err, "未知角色"));
	proc_result_release(&r);

	/* scope must match the role */
	xj_run(&r, "user", "grant", "--db", f->db, "--login", "liu", "--role",
	       "secretary", NULL);
	must(&r, 1);
	assert_non_null(strstr(r.err, "须指定组织"));
	proc_result_release(&r);

	xj_run(&r, "user", "grant", "--db", f->db, "--login", "liu", "--role",
	       "党员", NULL);
	must(&r, 0);
	proc_result_release(&r);
	xj_run(&r, "user", "grant", "--db", f->db, "--login", "liu", "--role",
	       "member", NULL);
	must(&r, 1);
	assert_non_null(strstr(r.err, "已有此角色"));
	proc_result_release(&r);

	xj_run(&r, "user", "disable", "--db", f->db, "--login", "liu", NULL);
	must(&r, 0);
	proc_result_release(&r);
	xj_run(&r, "user", "list", "--db", f->db, NULL);
	must(&r, 0);
	assert_non_null(strstr(r.out, "liu\t刘支书\t已停用\t党员"));
	proc_result_release(&r);

	xj_run(&r, "token", "create", "--db", f->db, "--user", "liu", NULL);
	must(&r, 1);
	assert_non_null(strstr(r.err, "已停用"));
	proc_result_release(&r);

	xj_run(&r, "user", "disable", "--db", f->db, "--login", "nobody", NULL);
	must(&r, 1);
	assert_non_null(strstr(r.err, "用户不存在: nobody"));
	proc_result_release(&r);

	xj_run(&r, "user", "passwd", "--db", f->db, "--login", "liu", NULL);
	must(&r, 0);
	assert_non_null(strstr(r.out, "初始密码"));
	proc_result_release(&r);
}

static void test_tokens(void **state)
{
	struct tmpdb *f = *state;
	struct proc_result r;

	xj_run(&r, "token", "create", "--db", f->db, "--user", "admin",
	       "--name", "每日导出", NULL);
	must(&r, 0);
	assert_non_null(strstr(r.out, "xjt_"));
	proc_result_release(&r);
	xj_run(&r, "token", "list", "--db", f->db, NULL);
	must(&r, 0);
	assert_non_null(strstr(r.out, "每日导出"));
	assert_null(
	    strstr(r.out, "xjt_")); /* the token itself is never shown */
	proc_result_release(&r);
	xj_run(&r, "token", "revoke", "--db", f->db, "--id", "1", NULL);
	must(&r, 0);
	proc_result_release(&r);
	xj_run(&r, "token", "revoke", "--db", f->db, "--id", "1", NULL);
	must(&r, 1);
	proc_result_release(&r);
	xj_run(&r, "token", "revoke", "--db", f->db, "--id", "x", NULL);
	must(&r, 2);
	proc_result_release(&r);
}

/* A log with a few entries: admin, grant, two users, a token. */
static void some_history(struct tmpdb *f)
{
	struct proc_result r;

	run_env(&r, "XJ_PASSWORD=p", "user", "add", "--db", f->db, "--login",
	        "u1", "--name", "甲", NULL);
	must(&r, 0);
	proc_result_release(&r);
	run_env(&r, "XJ_PASSWORD=p", "user", "add", "--db", f->db, "--login",
	        "u2", "--name", "乙", NULL);
	must(&r, 0);
	proc_result_release(&r);
	xj_run(&r, "token", "create", "--db", f->db, "--user", "u1", NULL);
	must(&r, 0);
	proc_result_release(&r);
}

static char *verify(struct tmpdb *f, int want, const char *head)
{
	struct proc_result r;
	char *text;

	if (head != NULL)
		xj_run(&r, "audit", "verify", "--db", f->db, "--head", head,
		       NULL);
	else
		xj_run(&r, "audit", "verify", "--db", f->db, NULL);
	must(&r, want);
	text = strdup(want == 0 ? r.out : r.err);
	proc_result_release(&r);
	return text;
}

static void expect_bad(struct tmpdb *f, const char *tamper, const char *names)
{
	char *msg;

	sql(f->db, tamper);
	msg = verify(f, 1, NULL);
	if (strstr(msg, names) == NULL)
		fail_msg("after \"%s\": \"%s\" lacks \"%s\"", tamper, msg,
		         names);
	free(msg);
}

#define UNLOCK                                                                 \
	"DROP TRIGGER IF EXISTS audit_no_update;"                              \
	"DROP TRIGGER IF EXISTS audit_no_delete;"

static void test_audit_untouched(void **state)
{
	struct tmpdb *f = *state;
	struct proc_result r;
	char *msg;

	some_history(f);
	msg = verify(f, 0, NULL);
	assert_non_null(strstr(msg, "审计日志完好: 共 5 条记录"));
	free(msg);
	xj_run(&r, "audit", "show", "--db", f->db, "--object", "user:2", NULL);
	must(&r, 0);
	assert_non_null(strstr(r.out, "user.create\tuser:2"));
	assert_null(strstr(r.out, "user:3"));
	proc_result_release(&r);
	xj_run(&r, "audit", "show", "--db", f->db, "--object", "user:x", NULL);
	must(&r, 2);
	proc_result_release(&r);
	/* nothing secret in the log: no password, token or its hash */
	xj_run(&r, "audit", "show", "--db", f->db, NULL);
	must(&r, 0);
	assert_null(strstr(r.out, "管理员的密码"));
	assert_null(strstr(r.out, "argon2"));
	proc_result_release(&r);
}

static void test_audit_edit(void **state)
{
	struct tmpdb *f = *state;

	some_history(f);
	expect_bad(f,
	           UNLOCK "UPDATE audit_log SET action = 'user.delete' "
	                  "WHERE id = 3",
	           "编号 3");
}

static void test_audit_edit_digest(void **state)
{
	struct tmpdb *f = *state;

	some_history(f);
	expect_bad(f,
	           UNLOCK "UPDATE audit_log SET digest = "
	                  "'00' || substr(digest, 3) WHERE id = 4",
	           "编号 4");
}

static void test_audit_delete(void **state)
{
	struct tmpdb *f = *state;

	some_history(f);
	expect_bad(f, UNLOCK "DELETE FROM audit_log WHERE id = 2", "编号 3");
}

static void test_audit_insert(void **state)
{
	struct tmpdb *f = *state;

	some_history(f);
	expect_bad(f,
	           "INSERT INTO audit_log VALUES (6, '2026-01-01T00:00:00Z',"
	           " NULL, 'user.create', 'user', 9, 'aa',"
	           " (SELECT hash FROM audit_log WHERE id = 5), 'bb')",
	           "编号 6");
}

static void test_audit_insert_front(void **state)
{
	struct tmpdb *f = *state;

	some_history(f);
	expect_bad(f,
	           "INSERT INTO audit_log VALUES (0, '2026-01-01T00:00:00Z',"
	           " NULL, 'user.create', 'user', 9, 'aa', 'bb', 'cc')",
	           "编号 0");
}

static void test_audit_swap(void **state)
{
	struct tmpdb *f = *state;

	some_history(f);
	expect_bad(f,
	           UNLOCK "UPDATE audit_log SET id = -1 WHERE id = 2;"
	                  "UPDATE audit_log SET id = 2 WHERE id = 3;"
	                  "UPDATE audit_log SET id = 3 WHERE id = -1;",
	           "编号 2");
}

static void test_audit_truncated_tail(void **state)
{
	struct tmpdb *f = *state;
	char *msg, *head;

	some_history(f);
	msg = verify(f, 0, NULL);
	head = strstr(msg, "末条哈希 ");
	assert_non_null(head);
	head = strdup(head + strlen("末条哈希 "));
	head[64] = '\0';
	free(msg);
	msg = verify(f, 0, head);
	free(msg);
	sql(f->db, UNLOCK "DELETE FROM audit_log WHERE id = 5");
	/* the chain alone still holds; the recorded head does not */
	msg = verify(f, 0, NULL);
	assert_non_null(strstr(msg, "共 4 条记录"));
	free(msg);
	msg = verify(f, 1, head);
	assert_non_null(strstr(msg, "末尾记录可能被删除"));
	free(msg);
	free(head);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_init_admin),
		T(test_user_lifecycle),
		T(test_tokens),
		T(test_audit_untouched),
		T(test_audit_edit),
		T(test_audit_edit_digest),
		T(test_audit_delete),
		T(test_audit_insert),
		T(test_audit_insert_front),
		T(test_audit_swap),
		T(test_audit_truncated_tail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
