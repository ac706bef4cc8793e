/* Logins, sessions, API tokens and the failed-login throttle. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../../../src/http/session.h"
#include "../../lib/harness.h"

struct fx {
	char *dir, *path;
	struct store *st;
	struct throttle t;
	int64_t uid;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct grant g = { .role = ROLE_OFFICE };
	char hash[PASSWORD_HASH_MAX];
	struct xj_error err;

	f->dir = tmpdir_make();
	f->path = path_join(f->dir, "s.db");
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->st, &err),
	                 XJ_OK);
	assert_int_equal(password_hash("正确的密码", hash, sizeof(hash), &err),
	                 XJ_OK);
	assert_int_equal(
	    store_user_insert(f->st, "zhou", "周主任", hash, 0, &f->uid, &err),
	    XJ_OK);
	g.user_id = f->uid;
	assert_int_equal(store_grant_add(f->st, &g, NULL, &err), XJ_OK);
	throttle_init(&f->t);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	throttle_release(&f->t);
	store_close(f->st);
	tmpdir_remove(f->dir);
	free(f->path);
	free(f->dir);
	free(f);
	return 0;
}

static enum xj_err login(struct fx *f, const char *l, const char *pw,
                         const char *addr, int64_t now, char *token,
                         struct principal *p, struct xj_error *err)
{
	xj_error_clear(err);
	return auth_login(f->st, &f->t, l, pw, addr, now, token, p, err);
}

static void test_login_and_session(void **state)
{
	struct fx *f = *state;
	char token[TOKEN_HEX + 1];
	struct principal p, q;
	struct xj_error err;
	int found;

	assert_int_equal(
	    login(f, "zhou", "正确的密码", "127.0.0.1", 1000, token, &p, &err),
	    XJ_OK);
	assert_int_equal(strlen(token), TOKEN_HEX);
	assert_int_equal(p.user_id, f->uid);
	assert_int_equal(p.roles, ROLE_BIT(ROLE_OFFICE));
	assert_int_equal(strlen(p.csrf), 64);
	assert_string_equal(p.display_name, "周主任");

	assert_int_equal(auth_session(f->st, token, 1100, &q, &found, &err),
	                 XJ_OK);
	assert_true(found);
	assert_int_equal(q.session_id, p.session_id);
	assert_string_equal(q.csrf, p.csrf);
	/* idle past the limit: gone */
	assert_int_equal(
	    auth_session(f->st, token, 1100 + SESSION_IDLE, &q, &found, &err),
	    XJ_OK);
	assert_false(found);
	/* malformed cookies never reach the database */
	assert_int_equal(auth_session(f->st, "abc", 1100, &q, &found, &err),
	                 XJ_OK);
	assert_false(found);
	token[0] = token[0] == 'a' ? 'b' : 'a';
	assert_int_equal(auth_session(f->st, token, 1100, &q, &found, &err),
	                 XJ_OK);
	assert_false(found);
}

static void test_logout(void **state)
{
	struct fx *f = *state;
	char token[TOKEN_HEX + 1];
	struct principal p, q;
	struct xj_error err;
	int found;

	assert_int_equal(
	    login(f, "zhou", "正确的密码", "a", 1000, token, &p, &err), XJ_OK);
	assert_int_equal(auth_logout(f->st, &p, &err), XJ_OK);
	assert_int_equal(auth_session(f->st, token, 1001, &q, &found, &err),
	                 XJ_OK);
	assert_false(found);
}

static void test_same_answer_for_unknown_user(void **state)
{
	struct fx *f = *state;
	char token[TOKEN_HEX + 1], m1[XJ_ERROR_MSG_MAX];
	struct principal p;
	struct xj_error err;

	assert_int_equal(login(f, "zhou", "错误", "a", 1000, token, &p, &err),
	                 XJ_EUNAUTH);
	memcpy(m1, err.msg, sizeof(m1));
	assert_int_equal(login(f, "nobody", "错误", "b", 1000, token, &p, &err),
	                 XJ_EUNAUTH);
	assert_string_equal(err.msg, m1);
	assert_string_equal(err.field, "password");
}

static void test_password_edge_cases(void **state)
{
	struct fx *f = *state;
	char token[TOKEN_HEX + 1], *big = malloc(10241);
	struct principal p;
	struct xj_error err;

	memset(big, 'x', 10240);
	big[10240] = '\0';
	assert_int_equal(login(f, "zhou", "", "a", 1000, token, &p, &err),
	                 XJ_EUNAUTH);
	assert_int_equal(login(f, "zhou", big, "b", 1000, token, &p, &err),
	                 XJ_EUNAUTH);
	/* and a 10 kB password cannot be set either */
	{
		char hash[PASSWORD_HASH_MAX];

		assert_int_equal(password_hash(big, hash, sizeof(hash), &err),
		                 XJ_EINVAL);
		assert_int_equal(password_hash("", hash, sizeof(hash), &err),
		                 XJ_EINVAL);
	}
	/* non-UTF-8 and absurd login names answer like a wrong password */
	assert_int_equal(login(f, "\xff\xfe", "x", "c", 1000, token, &p, &err),
	                 XJ_EUNAUTH);
	assert_int_equal(
	    login(f, "zh\xc0\xafou", "正确的密码", "c", 1000, token, &p, &err),
	    XJ_EUNAUTH);
	free(big);
}

static void test_throttle_per_account(void **state)
{
	struct fx *f = *state;
	char token[TOKEN_HEX + 1];
	struct principal p;
	struct xj_error err;
	int i;

	/* from different addresses, so only the account counter trips */
	for (i = 0; i < THROTTLE_LOGIN_MAX; i++) {
		char addr[32];

		snprintf(addr, sizeof(addr), "10.0.0.%d", i);
		assert_int_equal(
		    login(f, "zhou", "猜", addr, 1000 + i, token, &p, &err),
		    XJ_EUNAUTH);
	}
	/* now even the right password is refused, with a wait */
	assert_int_equal(
	    login(f, "zhou", "正确的密码", "10.9.9.9", 1010, token, &p, &err),
	    XJ_ELIMIT);
	assert_non_null(strstr(err.msg, "分钟后再试"));
	/* an unknown name throttles the same way: nothing leaks */
	for (i = 0; i < THROTTLE_LOGIN_MAX; i++)
		login(f, "ghost", "猜", "10.1.1.1", 1000 + i, token, &p, &err);
	assert_int_equal(
	    login(f, "ghost", "猜", "10.1.1.2", 1010, token, &p, &err),
	    XJ_ELIMIT);
	/* the window passes */
	assert_int_equal(login(f, "zhou", "正确的密码", "10.9.9.9",
	                       1004 + THROTTLE_WINDOW, token, &p, &err),
	                 XJ_OK);
}

static void test_throttle_per_address(void **state)
{
	struct fx *f = *state;
	char token[TOKEN_HEX + 1];
	struct principal p;
	struct xj_error err;
	int i;

	for (i = 0; i < THROTTLE_ADDR_MAX; i++) {
		char name[16];

		snprintf(name, sizeof(name), "n%d", i);
		login(f, name, "x", "192.0.2.7", 1000, token, &p, &err);
	}
	assert_int_equal(
	    login(f, "zhou", "正确的密码", "192.0.2.7", 1001, token, &p, &err),
	    XJ_ELIMIT);
	assert_int_equal(
	    login(f, "zhou", "正确的密码", "192.0.2.8", 1001, token, &p, &err),
	    XJ_OK);
}

static void test_disabled_user(void **state)
{
	struct fx *f = *state;
	char token[TOKEN_HEX + 1];
	struct principal p, q;
	struct xj_error err;
	int found;

	assert_int_equal(
	    login(f, "zhou", "正确的密码", "a", 1000, token, &p, &err), XJ_OK);
	assert_int_equal(store_user_set_disabled(f->st, f->uid, 1, &err),
	                 XJ_OK);
	/* the live session dies at once */
	assert_int_equal(auth_session(f->st, token, 1001, &q, &found, &err),
	                 XJ_OK);
	assert_false(found);
	/* a wrong password still says only "wrong" */
	assert_int_equal(login(f, "zhou", "错", "a", 1002, token, &p, &err),
	                 XJ_EUNAUTH);
	assert_null(strstr(err.msg, "停用"));
	/* the right password learns the account is disabled */
	assert_int_equal(
	    login(f, "zhou", "正确的密码", "a", 1003, token, &p, &err),
	    XJ_EUNAUTH);
	assert_non_null(strstr(err.msg, "停用"));
}

static void test_bearer(void **state)
{
	struct fx *f = *state;
	const char *tok = "xjt_00112233445566778899aabbccddeeff00112233445566"
	                  "778899aabbccddeeff";
	char hash[SHA256_HEX_LEN];
	struct principal p;
	struct xj_error err;
	int64_t id;
	int found;

	sha256_hex(tok, strlen(tok), hash);
	assert_int_equal(
	    store_token_create(f->st, f->uid, "脚本", hash, &id, &err), XJ_OK);
	assert_int_equal(auth_bearer(f->st, tok, &p, &found, &err), XJ_OK);
	assert_true(found);
	assert_int_equal(p.user_id, f->uid);
	assert_int_equal(p.session_id, 0);
	assert_int_equal(auth_logout(f->st, &p, &err), XJ_EINVAL);
	assert_int_equal(auth_bearer(f->st, "xjt_short", &p, &found, &err),
	                 XJ_OK);
	assert_false(found);
	assert_int_equal(store_token_revoke(f->st, id, &err), XJ_OK);
	assert_int_equal(auth_bearer(f->st, tok, &p, &found, &err), XJ_OK);
	assert_false(found);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_login_and_session),
		T(test_logout),
		T(test_same_answer_for_unknown_user),
		T(test_password_edge_cases),
		T(test_throttle_per_account),
		T(test_throttle_per_address),
		T(test_disabled_user),
		T(test_bearer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
