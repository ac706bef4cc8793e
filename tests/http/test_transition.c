/*
 * 转段 over HTTP against the real server on the demo campaign: a unit
 * taken from its 回头看 to the next stage by the people whose steps they
 * are; refusals answer 409 with the state and what is allowed; a stale
 * version is refused; bodies are checked by their declared fields; the
 * queues; a spot check with a finding that orders 补课.
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
#include "../lib/httpc.h"

#define PASSWORD "xianjiao2005"

static struct xj_server srv;
static int64_t unit, other;

struct who {
	const char *login;
	char cookie[128];
	char csrf[80];
};

static struct who office = { .login = "admin" }, sup = { .login = "dudao" },
                  danwei = { .login = "danwei" },
                  member = { .login = "dangyuan" };

static int64_t q(const char *sql)
{
	sqlite3_stmt *s;
	sqlite3 *db;
	int64_t v = 0;

	assert_int_equal(sqlite3_open(srv.db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void request(const char *method, const char *path, const struct who *w,
                    const char *body, struct http_resp *r)
{
	char raw[8192];
	int n;

	n = snprintf(raw, sizeof(raw),
	             "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: "
	             "close\r\n%s%s%s%s%s%sContent-Length: %zu\r\n\r\n%s",
	             method, path, w ? "Cookie: xj_session=" : "",
	             w ? w->cookie : "", w ? "\r\n" : "",
	             w && body ? "X-CSRF-Token: " : "",
	             w && body ? w->csrf : "", w && body ? "\r\n" : "",
	             body ? strlen(body) : 0, body ? body : "");
	assert_true(n > 0 && (size_t)n < sizeof(raw));
	assert_int_equal(httpc_request(srv.port, raw, r), 0);
}

static void login(struct who *w)
{
	char body[256];
	struct http_resp r;
	const char *sc, *end;
	json_t *j;

	snprintf(body, sizeof(body), "{\"login\":\"%s\",\"password\":\"%s\"}",
	         w->login, PASSWORD);
	request("POST", "/api/v1/session", NULL, body, &r);
	assert_int_equal(r.status, 200);
	sc = http_resp_header(&r, "Set-Cookie");
	end = strchr(sc, ';');
	snprintf(w->cookie, sizeof(w->cookie), "%.*s", (int)(end - sc - 11),
	         sc + 11);
	j = json_loads(r.body, 0, NULL);
	snprintf(w->csrf, sizeof(w->csrf), "%s",
	         json_string_value(json_object_get(j, "csrf_token")));
	json_decref(j);
	http_resp_release(&r);
}

static int setup(void **state)
{
	struct proc_result pr;

	(void)state;
	xj_server_prepare(&srv);
	xj_run(&pr, "demo", "--db", srv.db, "--force", NULL);
	if (pr.status != 0)
		fail_msg("demo: %s", pr.err);
	proc_result_release(&pr);
	unit = q("SELECT id FROM orgs WHERE code = 'U001'");
	other = q("SELECT id FROM orgs WHERE code = 'U002'");
	assert_int_equal(xj_server_start(&srv, NULL), 0);
	login(&office);
	login(&sup);
	login(&danwei);
	login(&member);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(xj_server_stop(&srv), 0);
	xj_server_release(&srv);
	return 0;
}

/* POST a step on unit u; the answer's JSON (caller decrefs). */
static json_t *post(const struct who *w, int64_t u, const char *what,
                    const char *body, int want)
{
	char path[128];
	struct http_resp r;
	json_t *j;

	snprintf(path, sizeof(path), "/api/v1/units/%lld/transition/%s",
	         (long long)u, what);
	request("POST", path, w, body, &r);
	if (r.status != want)
		fail_msg("POST %s as %s: %d, want %d: %s", what, w->login,
		         r.status, want, r.body);
	j = json_loads(r.body, 0, NULL);
	assert_non_null(j);
	http_resp_release(&r);
	return j;
}

static json_t *get(const struct who *w, const char *path, int want)
{
	struct http_resp r;
	json_t *j;

	request("GET", path, w, NULL, &r);
	if (r.status != want)
		fail_msg("GET %s: %d %s", path, r.status, r.body);
	j = json_loads(r.body, 0, NULL);
	assert_non_null(j);
	http_resp_release(&r);
	return j;
}

static const char *state_of(json_t *j)
{
	return json_string_value(
	    json_object_get(json_object_get(j, "unit"), "state"));
}

static void test_flow(void **state)
{
	static const char *const items[] = { "awareness", "three_represents",
		                             "requirements_clear",
		                             "fix_as_you_learn" };
	char path[128], body[256];
	json_t *j, *t;
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "/api/v1/units/%lld/transition",
	         (long long)unit);
	j = get(&danwei, path, 200);
	assert_string_equal(json_string_value(json_object_get(j, "state")),
	                    "in_stage");
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(j, "lookback"), "total")),
	                 4);
	json_decref(j);
	/* a member has no business here; a branch is not a unit */
	json_decref(get(&member, path, 403));
	snprintf(path, sizeof(path), "/api/v1/units/%lld/transition",
	         (long long)q("SELECT id FROM orgs WHERE code = 'U001-B01'"));
	json_decref(get(&office, path, 404));
	/* bodies: unknown fields are refused by name, types checked */
	j = post(&danwei, unit, "lookback",
	         "{\"item\":\"awareness\",\"answer\":\"x\",\"grade\":1}", 400);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(j, "error"), "field")),
	                    "grade");
	json_decref(j);
	j = post(
	    &danwei, unit, "lookback",
	    "{\"item\":\"awareness\",\"answer\":\"x\",\"on\":\"2005-02-30\"}",
	    400);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(j, "error"), "field")),
	                    "on");
	json_decref(j);
	for (i = 0; i < 4; i++) {
		snprintf(body, sizeof(body),
		         "{\"item\":\"%s\",\"answer\":\"已对照检查\","
		         "\"on\":\"2005-02-20\"}",
		         items[i]);
		j = post(&danwei, unit, "lookback", body, 200);
		assert_string_equal(state_of(j), "lookback");
		json_decref(j);
	}
	j = post(&danwei, unit, "selfcheck",
	         "{\"report\":\"自查报告\",\"on\":\"2005-02-21\"}", 200);
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(j, "step"), "version")),
	                 5);
	json_decref(j);
	/* the gate: 409 with the failing requirements explained */
	j = post(&danwei, unit, "apply", "{\"on\":\"2005-02-21\"}", 409);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(j, "error"), "code")),
	                    "conflict");
	t = json_object_get(j, "transition");
	assert_string_equal(json_string_value(json_object_get(t, "state")),
	                    "selfcheck");
	assert_true(json_array_size(json_object_get(t, "failing")) > 0);
	assert_non_null(
	    json_object_get(json_array_get(json_object_get(t, "failing"), 0),
	                    "failing_members"));
	json_decref(j);
	/* a stale version is refused, naming the current one */
	j = post(&office, unit, "override",
	         "{\"reason\":\"时间服从质量\",\"expect_version\":4,"
	         "\"on\":\"2005-02-22\"}",
	         409);
	assert_contains(json_string_value(json_object_get(
	                    json_object_get(j, "error"), "message")),
	                "现为第 5 版，您看到的是第 4 版");
	json_decref(j);
	j = post(&office, unit, "override",
	         "{\"reason\":\"时间服从质量\",\"expect_version\":5,"
	         "\"on\":\"2005-02-22\"}",
	         200);
	assert_string_equal(state_of(j), "applied");
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_object_get(json_object_get(j, "unit"), "override"),
	        "reason")),
	    "时间服从质量");
	json_decref(j);
	/* the supervisor's queue has it; the office cannot sign for it */
	j = get(&sup, "/api/v1/transition/queue", 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	json_decref(post(&office, unit, "sign", "{}", 403));
	/* not allowed now: 409 naming the state and what is allowed */
	j = post(&office, unit, "approve", "{}", 409);
	t = json_object_get(j, "transition");
	assert_string_equal(json_string_value(json_object_get(t, "state")),
	                    "applied");
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(t, "allowed"), 0), "action")),
	    "sign");
	json_decref(j);
	j = post(&sup, unit, "sign",
	         "{\"reason\":\"验收合格\",\"on\":"
	         "\"2005-02-23\"}",
	         200);
	assert_string_equal(state_of(j), "signed");
	json_decref(j);
	j = get(&office, "/api/v1/transition/queue?today=2005-02-24", 200);
	assert_int_equal(json_integer_value(json_object_get(
	                     json_array_get(json_object_get(j, "queues"), 0),
	                     "to_approve_count")),
	                 1);
	json_decref(j);
	j = post(&office, unit, "approve", "{\"on\":\"2005-02-24\"}", 200);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_object_get(json_object_get(j, "unit"), "stage"), "id")),
	    "review");
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/units/%lld/transition/history",
	         (long long)unit);
	j = get(&sup, path, 200);
	/* 4 answers, self-check, override, signature, approval */
	assert_int_equal(json_array_size(json_object_get(j, "history")), 8);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_object_get(
	            json_array_get(json_object_get(j, "history"), 6), "actor"),
	        "login")),
	    "dudao");
	json_decref(j);
	/* the server's own status and explain follow the approval: U001 is
	 * evaluated on 分析评议, its override shown beside it */
	snprintf(path, sizeof(path), "/api/v1/units/%lld/explain",
	         (long long)unit);
	j = get(&danwei, path, 200);
	t = json_object_get(json_object_get(j, "unit"), "transition");
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_object_get(json_object_get(j, "unit"), "stage"), "id")),
	    "review");
	assert_string_equal(json_string_value(json_object_get(t, "state")),
	                    "in_stage");
	json_decref(j);
	j = get(&office, "/api/v1/status", 200);
	{
		json_t *x;
		size_t k;
		int seen = 0;

		json_array_foreach(json_object_get(j, "units"), k, x)
		{
			if (json_integer_value(json_object_get(x, "id")) !=
			    unit)
				continue;
			seen = 1;
			assert_string_equal(
			    json_string_value(json_object_get(
			        json_object_get(x, "stage"), "id")),
			    "review");
			assert_non_null(json_object_get(x, "transition"));
		}
		assert_true(seen);
	}
	json_decref(j);
	/* the unit office of U001 cannot act on U002 */
	json_decref(post(&danwei, other, "lookback",
	                 "{\"item\":\"awareness\",\"answer\":\"x\"}", 404));
}

static void test_spotcheck(void **state)
{
	char body[512];
	json_t *j, *u;
	int64_t spot, drawn;

	(void)state;
	{
		struct http_resp r;

		request("POST", "/api/v1/spotchecks", &office,
		        "{\"stage\":\"learn\",\"seed\":42,\"per_system\":3}",
		        &r);
		assert_int_equal(r.status, 201);
		j = json_loads(r.body, 0, NULL);
		http_resp_release(&r);
	}
	u = json_object_get(
	    json_array_get(json_object_get(j, "spot_checks"), 0), "units");
	assert_int_equal(json_array_size(u), 30);
	spot = json_integer_value(json_object_get(
	    json_array_get(json_object_get(j, "spot_checks"), 0), "id"));
	drawn = json_integer_value(json_object_get(json_array_get(u, 0), "id"));
	json_decref(j);
	snprintf(body, sizeof(body),
	         "{\"spot_check_id\":%lld,\"unit_id\":%lld,\"mode\":\"暗访\","
	         "\"text\":\"三人缺席\",\"items\":\"组织补学\","
	         "\"deadline\":\"2099-01-01\"}",
	         (long long)spot, (long long)drawn);
	{
		struct http_resp r;

		request("POST", "/api/v1/spotchecks/findings", &office, body,
		        &r);
		assert_int_equal(r.status, 201);
		assert_contains(r.body, "\"remedy\":true");
		http_resp_release(&r);
		/* a unit that was not drawn */
		snprintf(body, sizeof(body),
		         "{\"spot_check_id\":%lld,\"unit_id\":%lld,\"mode\":"
		         "\"明查\",\"text\":\"x\"}",
		         (long long)spot,
		         (long long)q("SELECT id FROM orgs WHERE is_unit = 1 "
		                      "AND id NOT IN (SELECT unit_id FROM "
		                      "spot_check_units) LIMIT 1"));
		request("POST", "/api/v1/spotchecks/findings", &office, body,
		        &r);
		assert_int_equal(r.status, 404);
		assert_contains(r.body, "不在第");
		http_resp_release(&r);
	}
	j = get(&office, "/api/v1/spotchecks", 200);
	assert_int_equal(
	    json_integer_value(json_object_get(
	        json_array_get(json_object_get(j, "spot_checks"), 0), "seed")),
	    42);
	json_decref(j);
	j = get(&office, "/api/v1/transition/overdue?today=2099-02-01", 200);
	assert_true(
	    json_integer_value(json_object_get(j, "remedies_overdue")) >= 1);
	json_decref(j);
	json_decref(get(&office, "/api/v1/transition/overdue?when=x", 400));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flow),
		cmocka_unit_test(test_spotcheck),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
