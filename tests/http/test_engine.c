/*
 * The engine over HTTP on the demo campaign: status within the caller's
 * scope, explain, a member's progress, entering records (the engine
 * follows at once), bad records refused by field with nothing stored, and
 * a write from the command line seen on the next question.
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
static char admin_ck[128], admin_csrf[80];
static char sup_ck[128], sup_csrf[80];
static char sec_ck[128], sec_csrf[80];
static char mem_ck[128], mem_csrf[80];
static int64_t self_id, peer_id, other_id, unit_id;
static char peer_idnum[32];

static int64_t q(const char *sql)
{
	sqlite3_stmt *s;
	sqlite3 *db;
	int64_t v = 0;

	assert_int_equal(sqlite3_open(srv.db, &db), SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static int64_t q_count(void)
{
	return q("SELECT count(*) FROM records");
}

static json_t *get(const char *ck, const char *path, int want)
{
	struct http_resp r;
	json_t *j;

	xj_request(srv.port, "GET", path, ck, NULL, NULL, &r);
	if (r.status != want)
		fail_msg("GET %s: %d, want %d: %s", path, r.status, want,
		         r.body);
	j = json_loads(r.body, 0, NULL);
	assert_non_null(j);
	http_resp_release(&r);
	return j;
}

static json_t *post(const char *ck, const char *csrf, const char *path,
                    const char *body, int want)
{
	struct http_resp r;
	json_t *j;

	xj_request(srv.port, "POST", path, ck, csrf, body, &r);
	if (r.status != want)
		fail_msg("POST %s %s: %d, want %d: %s", path, body, r.status,
		         want, r.body);
	j = json_loads(r.body, 0, NULL);
	assert_non_null(j);
	http_resp_release(&r);
	return j;
}

static int setup(void **state)
{
	struct proc_result pr;
	sqlite3_stmt *s;
	sqlite3 *db;

	(void)state;
	xj_server_prepare(&srv);
	xj_run(&pr, "demo", "--db", srv.db, "--force", NULL);
	if (pr.status != 0)
		fail_msg("demo: %s", pr.err);
	proc_result_release(&pr);
	self_id = q("SELECT member_id FROM users WHERE login = 'dangyuan'");
	peer_id =
	    q("SELECT m.id FROM members m JOIN orgs o ON o.id = m.org_id"
	      " WHERE o.code = 'U001-B01' AND m.id != (SELECT member_id"
	      " FROM users WHERE login = 'dangyuan') AND m.left_on IS NULL"
	      " LIMIT 1");
	other_id = q("SELECT m.id FROM members m JOIN orgs o ON o.id = "
	             "m.org_id WHERE o.code = 'U002-B01' LIMIT 1");
	unit_id = q("SELECT id FROM orgs WHERE code = 'U001'");
	assert_int_equal(sqlite3_open(srv.db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT id_number, name FROM "
	                                    "members WHERE id = ?1",
	                                    -1, &s, NULL),
	                 SQLITE_OK);
	sqlite3_bind_int64(s, 1, peer_id);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(peer_idnum, sizeof(peer_idnum), "%s",
	         (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
	assert_int_equal(xj_server_start(&srv, NULL), 0);
	xj_login(srv.port, "admin", PASSWORD, admin_ck, sizeof(admin_ck),
	         admin_csrf, sizeof(admin_csrf));
	xj_login(srv.port, "dudao", PASSWORD, sup_ck, sizeof(sup_ck), sup_csrf,
	         sizeof(sup_csrf));
	xj_login(srv.port, "shuji", PASSWORD, sec_ck, sizeof(sec_ck), sec_csrf,
	         sizeof(sec_csrf));
	xj_login(srv.port, "dangyuan", PASSWORD, mem_ck, sizeof(mem_ck),
	         mem_csrf, sizeof(mem_csrf));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(xj_server_stop(&srv), 0);
	xj_server_release(&srv);
	return 0;
}

/* The office sees every unit and 系统; a supervision group only the units
 * of its own 系统 and that 系统's summary. */
static void test_status_scope(void **state)
{
	json_t *all = get(admin_ck, "/api/v1/status", 200);
	json_t *sup = get(sup_ck, "/api/v1/status", 200);
	json_t *u;
	size_t i, n;

	(void)state;
	assert_int_equal(json_array_size(json_object_get(all, "units")), 107);
	assert_int_equal(json_array_size(json_object_get(all, "systems")), 10);
	n = json_array_size(json_object_get(sup, "units"));
	assert_true(n > 0 && n < 107);
	assert_int_equal(json_array_size(json_object_get(sup, "systems")), 1);
	json_array_foreach(json_object_get(sup, "units"), i, u)
	{
		assert_string_equal(
		    json_string_value(json_object_get(u, "system")),
		    json_string_value(json_object_get(
		        json_array_get(json_object_get(sup, "systems"), 0),
		        "name")));
	}
	json_decref(all);
	json_decref(sup);
	/* a bad date names its parameter */
	all = get(admin_ck, "/api/v1/status?as_of=2005-13-01", 400);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(all, "error"), "field")),
	                    "as_of");
	json_decref(all);
}

/* The hours of a member's progress, as the API formats them. */
static double hours(const char *ck, int64_t member)
{
	char path[96];
	json_t *j, *r;
	size_t i;
	double h = -1;

	snprintf(path, sizeof(path), "/api/v1/members/%lld/progress",
	         (long long)member);
	j = get(ck, path, 200);
	json_array_foreach(json_object_get(j, "requirements"), i, r)
	{
		if (strcmp(json_string_value(json_object_get(r, "unit")),
		           "小时") == 0 &&
		    strcmp(json_string_value(json_object_get(r, "state")),
		           "免于要求") != 0)
			h = strtod(
			    json_string_value(json_object_get(r, "value")),
			    NULL);
	}
	json_decref(j);
	return h;
}

/* A branch secretary enters a study day; the member's progress follows at
 * once, and the member sees it on their own page. */
static void test_record_and_progress(void **state)
{
	char body[512];
	double before = hours(sec_ck, peer_id), after;
	json_t *j;

	(void)state;
	assert_true(before >= 0);
	snprintf(body, sizeof(body),
	         "{\"kind\":\"study_attendance\",\"member_id\":%lld,"
	         "\"happened_on\":\"2005-02-22\",\"payload\":{\"hours\":6.5,"
	         "\"session\":\"补课\",\"makeup\":\"是\"}}",
	         (long long)peer_id);
	j = post(sec_ck, sec_csrf, "/api/v1/records", body, 201);
	assert_true(json_integer_value(json_object_get(j, "id")) > 0);
	json_decref(j);
	after = hours(sec_ck, peer_id);
	assert_true(after == before + 6.5);
	/* the member's own page: allowed for themselves only */
	assert_true(hours(mem_ck, self_id) >= 0);
	{
		char path[96];
		json_t *e;

		snprintf(path, sizeof(path), "/api/v1/members/%lld/progress",
		         (long long)peer_id);
		e = get(mem_ck, path, 404);
		json_decref(e);
	}
}

/* By when (the 我的 page): the stage's deadline for the member's unit (a
 * first-batch unit of the demo that entered 学习动员 with its batch: the
 * window's end, 2005-03-10), and each requirement's due day (the plan
 * sets no deadline_days, so every one is due then). */
static void test_progress_due(void **state)
{
	char path[96];
	json_t *j, *r;
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "/api/v1/members/%lld/progress",
	         (long long)peer_id);
	j = get(sec_ck, path, 200);
	assert_string_equal(
	    json_string_value(json_object_get(j, "stage_deadline")),
	    "2005-03-10");
	assert_true(json_array_size(json_object_get(j, "requirements")) > 0);
	json_array_foreach(json_object_get(j, "requirements"), i, r)
	{
		assert_string_equal(
		    json_string_value(json_object_get(r, "due")), "2005-03-10");
	}
	json_decref(j);
}

/* Bad records are refused by field, and nothing is stored. */
static void test_bad_records(void **state)
{
	char body[512];
	int64_t n0 = q("SELECT count(*) FROM records");
	json_t *j;

	(void)state;
	snprintf(body, sizeof(body),
	         "{\"kind\":\"study_attendance\",\"member_id\":%lld,"
	         "\"happened_on\":\"2005-02-23\",\"payload\":{\"hours\":-1}}",
	         (long long)peer_id);
	j = post(sec_ck, sec_csrf, "/api/v1/records", body, 400);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(j, "error"), "field")),
	                    "hours");
	json_decref(j);
	snprintf(body, sizeof(body),
	         "{\"kind\":\"study_attendance\",\"member_id\":%lld,"
	         "\"happened_on\":\"2005-02-23\",\"payload\":{\"hours\":25}}",
	         (long long)peer_id);
	json_decref(post(sec_ck, sec_csrf, "/api/v1/records", body, 400));
	snprintf(body, sizeof(body),
	         "{\"kind\":\"no_such_kind\",\"member_id\":%lld,"
	         "\"happened_on\":\"2005-02-23\",\"payload\":{}}",
	         (long long)peer_id);
	json_decref(post(sec_ck, sec_csrf, "/api/v1/records", body, 400));
	/* another unit's member is outside a branch secretary's scope */
	snprintf(body, sizeof(body),
	         "{\"kind\":\"self_study\",\"member_id\":%lld,"
	         "\"happened_on\":\"2005-02-23\",\"payload\":{\"hours\":1}}",
	         (long long)other_id);
	json_decref(post(sec_ck, sec_csrf, "/api/v1/records", body, 404));
	/* an unknown field in the payload is named */
	snprintf(body, sizeof(body),
	         "{\"kind\":\"self_study\",\"member_id\":%lld,"
	         "\"happened_on\":\"2005-02-23\",\"payload\":{\"hours\":1,"
	         "\"minutes\":5}}",
	         (long long)peer_id);
	j = post(sec_ck, sec_csrf, "/api/v1/records", body, 400);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(j, "error"), "field")),
	                    "minutes");
	json_decref(j);
	assert_int_equal(q("SELECT count(*) FROM records"), n0);
}

/* A record entered from the command line while the server runs is seen
 * on the next question (the engine is rebuilt when the store moved on). */
static void test_outside_write(void **state)
{
	struct proc_result pr;
	double before = hours(admin_ck, peer_id);

	(void)state;
	xj_run(&pr, "record", "add", "study_attendance", "--db", srv.db,
	       "--member", peer_idnum, "--date", "2005-02-24", "--data",
	       "{\"hours\":2,\"makeup\":\"否\"}", NULL);
	if (pr.status != 0)
		fail_msg("record add: %s%s", pr.out, pr.err);
	proc_result_release(&pr);
	assert_true(hours(admin_ck, peer_id) == before + 2);
}

/* explain of a unit, and of a branch (which stands for its unit). */
static void test_explain(void **state)
{
	char path[96];
	json_t *a, *b;

	(void)state;
	snprintf(path, sizeof(path), "/api/v1/units/%lld/explain",
	         (long long)unit_id);
	a = get(sup_ck, path, 200);
	assert_true(json_array_size(json_object_get(a, "requirements")) > 0);
	snprintf(path, sizeof(path),
	         "/api/v1/units/%lld/explain?as_of=2005-01-09",
	         (long long)q("SELECT id FROM orgs WHERE code = 'U001-B01'"));
	b = get(admin_ck, path, 200);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(b, "unit"), "code")),
	                    "U001");
	assert_string_equal(json_string_value(json_object_get(b, "as_of")),
	                    "2005-01-09");
	json_decref(a);
	json_decref(b);
}

/* The plan in force, for the entry forms: every record kind with its
 * fields, the 党课 speaker's rule, the stages' 回头看 questions. */
static void test_plan(void **state)
{
	json_t *j = get(sec_ck, "/api/v1/plan", 200), *k, *f, *lecture = NULL;
	json_t *learn;
	size_t i;

	(void)state;
	json_array_foreach(json_object_get(j, "record_kinds"), i, k)
	{
		if (strcmp(json_string_value(json_object_get(k, "id")),
		           "lecture") == 0)
			lecture = k;
	}
	assert_non_null(lecture);
	assert_string_equal(
	    json_string_value(json_object_get(lecture, "subject")), "org");
	f = json_array_get(json_object_get(lecture, "fields"), 0);
	assert_string_equal(json_string_value(json_object_get(f, "name")),
	                    "type");
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(f, "values"), 0)),
	    "党课");
	f = json_array_get(json_object_get(lecture, "fields"), 1);
	assert_string_equal(json_string_value(json_object_get(f, "type")),
	                    "member");
	assert_string_equal(
	    json_string_value(json_array_get(
	        json_object_get(json_object_get(f, "must_be"), "categories"),
	        0)),
	    "党员领导干部");
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_object_get(json_object_get(f, "must_be"), "when"),
	        "value")),
	    "党课");
	learn = json_array_get(json_object_get(j, "stages"), 0);
	assert_string_equal(json_string_value(json_object_get(learn, "id")),
	                    "learn");
	assert_int_equal(json_array_size(json_object_get(learn, "lookback")),
	                 4);
	assert_true(json_array_size(json_object_get(j, "requirements")) > 10);
	/* the opinion module's lists beside it */
	assert_string_equal(
	    json_string_value(json_array_get(
	        json_object_get(json_object_get(j, "opinions"), "targets"), 6)),
	    "党员");
	assert_int_equal(json_array_size(json_object_get(
	                     json_object_get(j, "opinions"), "categories")),
	                 4);
	assert_string_equal(json_string_value(json_array_get(
	                        json_object_get(json_object_get(j, "opinions"),
	                                        "person_targets"),
	                        0)),
	                    "班子成员");
	json_decref(j);
	/* a member may read it too; nobody without a session */
	json_decref(get(mem_ck, "/api/v1/plan", 200));
	{
		struct http_resp r;

		xj_request(srv.port, "GET", "/api/v1/plan", NULL, NULL, NULL,
		           &r);
		assert_int_equal(r.status, 401);
		http_resp_release(&r);
	}
	json_decref(get(sec_ck, "/api/v1/plan?x=1", 400));
}

/* A reflection given as text: the reply says the 字数 the server counted
 * (汉字 one each, a run of digits one), which is what the engine credits. */
static void test_zishu_counted(void **state)
{
	char body[512];
	json_t *j;

	(void)state;
	snprintf(body, sizeof(body),
	         "{\"kind\":\"reflection\",\"member_id\":%lld,"
	         "\"happened_on\":\"2005-02-22\",\"payload\":{\"zishu\":"
	         "\"学习心得，2005年。\",\"title\":\"体会\"}}",
	         (long long)peer_id);
	j = post(sec_ck, sec_csrf, "/api/v1/records", body, 201);
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(j, "counted"), "zishu")),
	                 6);
	json_decref(j);
	/* a paper copy's count is taken as given */
	snprintf(body, sizeof(body),
	         "{\"kind\":\"study_notes\",\"member_id\":%lld,"
	         "\"happened_on\":\"2005-02-22\",\"payload\":{\"zishu\":"
	         "3200,\"paper\":\"是\"}}",
	         (long long)peer_id);
	j = post(sec_ck, sec_csrf, "/api/v1/records", body, 201);
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(j, "counted"), "zishu")),
	                 3200);
	json_decref(j);
	/* the lists name the member */
	{
		char path[128];
		json_t *r;

		snprintf(path, sizeof(path),
		         "/api/v1/members/%lld/records?kind=reflection&limit=1",
		         (long long)peer_id);
		j = get(sec_ck, path, 200);
		r = json_array_get(json_object_get(j, "records"), 0);
		assert_string_equal(
		    json_string_value(json_object_get(
		        json_object_get(r, "payload"), "title")),
		    "体会");
		assert_true(strlen(json_string_value(
		                json_object_get(r, "member_name"))) > 0);
		json_decref(j);
	}
}

/* Progress over time: one point per step, each evaluated as of its date,
 * the last on the end date; bounded; within the caller's scope. */
static void test_series(void **state)
{
	json_t *j = get(admin_ck,
	                "/api/v1/status/series?from=2005-01-10&to=2005-03-10",
	                200),
	       *pts = json_object_get(j, "points"), *p, *r, *s, *st;
	size_t i, k;
	json_int_t prev = -1;

	(void)state;
	/* 2005-01-10 + 7k up to 03-07, then 03-10 */
	assert_int_equal(json_array_size(pts), 10);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(pts, 0), "date")),
	    "2005-01-10");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(pts, 9), "date")),
	    "2005-03-10");
	assert_true(json_array_size(json_object_get(j, "requirements")) > 0);
	/* the demo holds its mobilisation meetings in January: the units
	 * passing it grow, and as of the end date the point equals /status
	 * as of that date */
	json_array_foreach(pts, i, p)
	{
		assert_int_equal(
		    json_integer_value(json_object_get(p, "units")), 107);
		json_array_foreach(json_object_get(p, "requirements"), k, r)
		{
			if (strcmp(json_string_value(json_object_get(r, "id")),
			           "learn_mobilisation") != 0)
				continue;
			assert_true(json_integer_value(
			                json_object_get(r, "passed")) >= prev);
			prev = json_integer_value(json_object_get(r, "passed"));
		}
	}
	assert_true(prev > 0);
	st = get(admin_ck, "/api/v1/status?as_of=2005-03-10", 200);
	{
		json_int_t ready = 0;

		json_array_foreach(json_object_get(st, "units"), i, s)
		{
			ready += json_is_true(json_object_get(s, "ready"));
		}
		assert_int_equal(json_integer_value(json_object_get(
		                     json_array_get(pts, 9), "ready")),
		                 ready);
	}
	json_decref(st);
	json_decref(j);
	/* a supervision group's series counts its own units only */
	j = get(sup_ck,
	        "/api/v1/status/series?from=2005-02-01&to=2005-02-15&step=14",
	        200);
	pts = json_object_get(j, "points");
	assert_int_equal(json_array_size(pts), 2);
	assert_true(json_integer_value(json_object_get(json_array_get(pts, 0),
	                                               "units")) < 107);
	json_decref(j);
	/* one 系统 (the dashboard's filter): its units only, as many as
	 * the status's summary of that 系统 counts */
	st = get(admin_ck, "/api/v1/status", 200);
	s = json_array_get(json_object_get(st, "systems"), 0);
	assert_non_null(s);
	{
		char path[160];

		snprintf(
		    path, sizeof(path),
		    "/api/v1/status/series?from=2005-02-01&to=2005-02-15&"
		    "step=14&system_id=%lld",
		    (long long)json_integer_value(json_object_get(s, "id")));
		j = get(admin_ck, path, 200);
	}
	pts = json_object_get(j, "points");
	assert_int_equal(json_array_size(pts), 2);
	assert_int_equal(json_integer_value(
	                     json_object_get(json_array_get(pts, 1), "units")),
	                 json_integer_value(json_object_get(s, "units")));
	assert_true(json_integer_value(json_object_get(s, "units")) < 107);
	json_decref(j);
	json_decref(st);
	/* one stage of the plan for every unit */
	json_decref(get(admin_ck,
	                "/api/v1/status/series?from=2005-02-01&to=2005-02-15&"
	                "step=14&stage=review",
	                200));
	/* refusals name the field */
	j = get(admin_ck,
	        "/api/v1/status/series?from=2005-02-01&to=2005-02-15&"
	        "stage=nosuch",
	        400);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(j, "error"), "field")),
	                    "stage");
	json_decref(j);
	j = get(admin_ck,
	        "/api/v1/status/series?from=2005-02-01&to=2005-02-15&"
	        "system_id=0",
	        400);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(j, "error"), "field")),
	                    "system_id");
	json_decref(j);
	j = get(admin_ck, "/api/v1/status/series?from=2005-03-10&to=2005-01-10",
	        400);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(j, "error"), "field")),
	                    "to");
	json_decref(j);
	j = get(admin_ck,
	        "/api/v1/status/series?from=2005-01-01&to=2005-12-31&step=1",
	        400);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(j, "error"), "field")),
	                    "step");
	json_decref(j);
	/* a required query parameter left out is named */
	j = get(admin_ck, "/api/v1/status/series?to=2005-01-10", 400);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(j, "error"), "field")),
	                    "from");
	assert_non_null(strstr(json_string_value(json_object_get(
	                           json_object_get(j, "error"), "message")),
	                       "缺少查询参数"));
	json_decref(j);
	json_decref(get(mem_ck,
	                "/api/v1/status/series?from=2005-01-10&to=2005-01-17",
	                403));
}

/* One request: a session of the secretary's branch and its whole list.
 * The hours reach every present member's progress at once; a list with
 * refused names answers every one of them by position and stores
 * nothing. */
static void test_session(void **state)
{
	char body[16384], item[96];
	int64_t branch = q("SELECT id FROM orgs WHERE code = 'U001-B01'");
	int64_t n0, ids[256], sid;
	double before, after;
	size_t n = 0, len, i;
	sqlite3_stmt *s;
	sqlite3 *db;
	json_t *j, *pr;

	(void)state;
	assert_int_equal(sqlite3_open(srv.db, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db,
	                       "SELECT m.id FROM members m WHERE m.org_id = ?1"
	                       " AND m.left_on IS NULL ORDER BY m.id",
	                       -1, &s, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(s, 1, branch);
	while (sqlite3_step(s) == SQLITE_ROW && n < 256)
		ids[n++] = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	assert_true(n >= 3);
	before = hours(sec_ck, peer_id);
	len = (size_t)snprintf(
	    body, sizeof(body),
	    "{\"org_id\":%lld,\"happened_on\":\"2005-02-26\",\"session\":"
	    "{\"hours\":3.5,\"start\":\"14:00\",\"title\":\"读本第三章\","
	    "\"materials\":[\"保持共产党员先进性教育读本\"]},\"attendance\":[",
	    (long long)branch);
	for (i = 0; i < n; i++) {
		snprintf(item, sizeof(item), "%s{\"member_id\":%lld%s}",
		         i ? "," : "", (long long)ids[i],
		         ids[i] == self_id ? ",\"absent\":\"外出\"" : "");
		len += (size_t)snprintf(body + len, sizeof(body) - len, "%s",
		                        item);
	}
	snprintf(body + len, sizeof(body) - len, "]}");
	n0 = q("SELECT count(*) FROM records");
	j = post(sec_ck, sec_csrf, "/api/v1/sessions", body, 201);
	sid = json_integer_value(json_object_get(j, "session_id"));
	assert_true(sid > 0);
	assert_int_equal(json_integer_value(json_object_get(j, "present")) +
	                     json_integer_value(json_object_get(j, "absent")),
	                 (json_int_t)n);
	json_decref(j);
	assert_int_equal(q("SELECT count(*) FROM records"),
	                 n0 + (int64_t)n + 1);
	after = hours(sec_ck, peer_id);
	assert_true(after == before + 3.5);
	/* the member's records name the session */
	{
		char path[96];
		json_t *recs, *r;
		size_t k, linked = 0;

		snprintf(path, sizeof(path),
		         "/api/v1/members/%lld/records?limit=5",
		         (long long)peer_id);
		recs = get(sec_ck, path, 200);
		json_array_foreach(json_object_get(recs, "records"), k, r)
		    linked +=
		    json_integer_value(json_object_get(r, "session_id")) == sid;
		assert_int_equal(linked, 1);
		json_decref(recs);
	}

	/* the same afternoon again with a stranger and a bad reason: every
	 * name answered by its position, nothing stored */
	n0 = q("SELECT count(*) FROM records");
	snprintf(body, sizeof(body),
	         "{\"org_id\":%lld,\"happened_on\":\"2005-02-26\",\"session\":"
	         "{\"hours\":1,\"start\":\"15:00\"},\"attendance\":["
	         "{\"member_id\":%lld},{\"member_id\":%lld},"
	         "{\"member_id\":%lld,\"absent\":\"睡过头\"}]}",
	         (long long)branch, (long long)peer_id, (long long)other_id,
	         (long long)ids[n - 1]);
	j = post(sec_ck, sec_csrf, "/api/v1/sessions", body, 400);
	pr = json_object_get(j, "problems");
	assert_int_equal(json_array_size(pr), 3);
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(pr, 0), "index")),
	    0);
	assert_contains(
	    json_string_value(json_object_get(json_array_get(pr, 0), "reason")),
	    "时间重叠");
	assert_contains(
	    json_string_value(json_object_get(json_array_get(pr, 1), "reason")),
	    "不属于举办这次学习的组织");
	/* no name for someone outside the branch */
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(pr, 1), "name")),
	    "");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(pr, 2), "field")),
	    "reason");
	json_decref(j);
	assert_int_equal(q("SELECT count(*) FROM records"), n0);
	assert_true(hours(sec_ck, peer_id) == after);

	/* another branch's session is outside a secretary's scope */
	snprintf(body, sizeof(body),
	         "{\"org_id\":%lld,\"happened_on\":\"2005-02-26\",\"session\":"
	         "{\"hours\":1,\"start\":\"08:00\"},\"attendance\":["
	         "{\"member_id\":%lld}]}",
	         (long long)q("SELECT id FROM orgs WHERE code = 'U002-B01'"),
	         (long long)other_id);
	json_decref(post(sec_ck, sec_csrf, "/api/v1/sessions", body, 404));
	/* an empty list and a malformed item are refused by field */
	snprintf(body, sizeof(body),
	         "{\"org_id\":%lld,\"happened_on\":\"2005-02-26\",\"session\":"
	         "{\"hours\":1,\"start\":\"08:00\"},\"attendance\":[]}",
	         (long long)branch);
	j = post(sec_ck, sec_csrf, "/api/v1/sessions", body, 400);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(j, "error"), "field")),
	                    "attendance");
	json_decref(j);
	snprintf(body, sizeof(body),
	         "{\"org_id\":%lld,\"happened_on\":\"2005-02-26\",\"session\":"
	         "{\"hours\":1,\"start\":\"08:00\"},\"attendance\":["
	         "{\"member_id\":%lld,\"late\":true}]}",
	         (long long)branch, (long long)peer_id);
	j = post(sec_ck, sec_csrf, "/api/v1/sessions", body, 400);
	assert_contains(json_string_value(json_object_get(
	                    json_object_get(j, "error"), "message")),
	                "没有字段 late");
	json_decref(j);
	assert_int_equal(q("SELECT count(*) FROM records"), n0);
}

/* A sign-in sheet over HTTP: a preview lists the rows and every problem
 * by row and column and stores nothing; the rejected rows come back as a
 * file; someone outside the caller's scope is refused without a word
 * about them; a clean sheet goes in and counts at once. */
static void test_sheet(void **state)
{
	const char *q = "/api/v1/records/import?kind=study_attendance"
	                "&date=2005-02-27&data=%7B%22hours%22%3A2.5%2C"
	                "%22start%22%3A%2219%3A00%22%7D";
	char sheet[1024], path[256], peer_name[64], other_idnum[32];
	char other_name[64];
	struct http_resp r;
	int64_t n0 = q_count();
	double before = hours(sec_ck, peer_id);
	json_t *j, *pr;
	sqlite3_stmt *s;
	sqlite3 *db;

	(void)state;
	assert_int_equal(sqlite3_open(srv.db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT name FROM members "
	                                    "WHERE id = ?1",
	                                    -1, &s, NULL),
	                 SQLITE_OK);
	sqlite3_bind_int64(s, 1, peer_id);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(peer_name, sizeof(peer_name), "%s",
	         (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT id_number, name FROM "
	                                    "members WHERE id = ?1",
	                                    -1, &s, NULL),
	                 SQLITE_OK);
	sqlite3_bind_int64(s, 1, other_id);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	snprintf(other_idnum, sizeof(other_idnum), "%s",
	         (const char *)sqlite3_column_text(s, 0));
	snprintf(other_name, sizeof(other_name), "%s",
	         (const char *)sqlite3_column_text(s, 1));
	sqlite3_finalize(s);
	sqlite3_close(db);

	/* row 3 names the wrong person, row 4 is another unit's member */
	snprintf(sheet, sizeof(sheet),
	         "姓名,身份证号码\n%s,%s\n错名字,%s\n,%s\n", peer_name,
	         peer_idnum, peer_idnum, other_idnum);
	snprintf(path, sizeof(path), "%s&dry_run=1", q);
	xj_request(srv.port, "POST", path, sec_ck, sec_csrf, sheet, &r);
	assert_int_equal(r.status, 400);
	j = json_loads(r.body, 0, NULL);
	assert_non_null(j);
	pr = json_object_get(j, "problems");
	assert_int_equal(json_array_size(pr), 2);
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(pr, 0), "row")),
	    3);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(pr, 0), "column")),
	    "姓名");
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(pr, 1), "row")),
	    4);
	assert_contains(
	    json_string_value(json_object_get(json_array_get(pr, 1), "reason")),
	    "不在您的范围内");
	/* the good row, as it would be entered */
	assert_int_equal(json_array_size(json_object_get(j, "records")), 1);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(j, "records"), 0), "name")),
	    peer_name);
	json_decref(j);
	http_resp_release(&r);
	assert_int_equal(q_count(), n0);

	/* the rejected rows as a file, with their reasons */
	snprintf(path, sizeof(path), "%s",
	         "/api/v1/records/import/errors?kind=study_attendance"
	         "&date=2005-02-27&data=%7B%22hours%22%3A2.5%7D");
	xj_request(srv.port, "POST", path, sec_ck, sec_csrf, sheet, &r);
	assert_int_equal(r.status, 200);
	assert_contains(r.body, "错误原因");
	assert_contains(r.body, "错名字");
	assert_true(strstr(r.body, other_name) == NULL);
	http_resp_release(&r);
	assert_int_equal(q_count(), n0);

	/* the same sheet for real: refused, nothing stored */
	xj_request(srv.port, "POST", q, sec_ck, sec_csrf, sheet, &r);
	assert_int_equal(r.status, 400);
	http_resp_release(&r);
	assert_int_equal(q_count(), n0);

	/* fixed: the preview stores nothing, the import counts at once */
	snprintf(sheet, sizeof(sheet), "姓名,身份证号码\n%s,%s\n", peer_name,
	         peer_idnum);
	snprintf(path, sizeof(path), "%s&dry_run=1", q);
	j = post(sec_ck, sec_csrf, path, sheet, 200);
	assert_true(json_is_true(json_object_get(j, "dry_run")));
	json_decref(j);
	assert_int_equal(q_count(), n0);
	j = post(sec_ck, sec_csrf, q, sheet, 201);
	assert_int_equal(json_integer_value(json_object_get(j, "inserted")), 1);
	json_decref(j);
	assert_int_equal(q_count(), n0 + 1);
	assert_true(hours(sec_ck, peer_id) == before + 2.5);
	/* no kind, an empty body: refused by name */
	j = post(sec_ck, sec_csrf, "/api/v1/records/import?date=2005-02-27",
	         sheet, 400);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(j, "error"), "field")),
	                    "kind");
	json_decref(j);
	j = post(sec_ck, sec_csrf, q, "", 400);
	assert_contains(json_string_value(json_object_get(
	                    json_object_get(j, "error"), "message")),
	                "签到表");
	json_decref(j);
}

/* 佩戴党徽 over HTTP: an inspection entered by the secretary shows at
 * once on the member's progress and on the branch's list. */
static void test_escalations(void **state)
{
	char body[256], path[96];
	int64_t branch = q("SELECT id FROM orgs WHERE code = 'U001-B01'");
	json_t *j, *k, *lv;
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		snprintf(body, sizeof(body),
		         "{\"kind\":\"badge_check\",\"member_id\":%lld,"
		         "\"happened_on\":\"2005-02-1%d\",\"payload\":"
		         "{\"compliant\":\"否\"}}",
		         (long long)peer_id, i + 1);
		json_decref(
		    post(sec_ck, sec_csrf, "/api/v1/records", body, 201));
	}
	snprintf(path, sizeof(path), "/api/v1/members/%lld/progress",
	         (long long)peer_id);
	j = get(sec_ck, path, 200);
	k = json_array_get(json_object_get(j, "escalations"), 0);
	assert_string_equal(json_string_value(json_object_get(k, "kind")),
	                    "badge_check");
	assert_int_equal(json_integer_value(json_object_get(k, "count")), 2);
	assert_string_equal(json_string_value(json_object_get(k, "step")),
	                    "提出批评");
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/orgs/%lld/escalations",
	         (long long)branch);
	j = get(sec_ck, path, 200);
	k = json_array_get(json_object_get(j, "kinds"), 0);
	lv = json_array_get(json_object_get(k, "levels"), 1);
	assert_string_equal(json_string_value(json_object_get(lv, "step")),
	                    "提出批评");
	assert_int_equal(json_integer_value(json_object_get(
	                     json_array_get(json_object_get(lv, "members"), 0),
	                     "member_id")),
	                 peer_id);
	json_decref(j);
	/* another unit's branch is not the secretary's to see */
	snprintf(path, sizeof(path), "/api/v1/orgs/%lld/escalations",
	         (long long)q("SELECT id FROM orgs WHERE code = 'U002-B01'"));
	json_decref(get(sec_ck, path, 404));
}

/* The 情况反映 of a 党委成员: in the supervision group's queue, reviewed
 * once with a comment by a supervisor; a secretary may not review. */
static void test_report_review(void **state)
{
	char body[512], path[96];
	int64_t seated = q("SELECT m.id FROM members m JOIN body_seats s ON"
	                   " s.member_id = m.id JOIN orgs o ON o.id = m.org_id"
	                   " WHERE o.code = 'U001-B01' LIMIT 1");
	int64_t rid;
	json_t *j, *rep;
	size_t i, found = 0;

	(void)state;
	snprintf(body, sizeof(body),
	         "{\"kind\":\"service_card\",\"member_id\":%lld,"
	         "\"happened_on\":\"2005-02-21\",\"payload\":{\"item\":"
	         "\"撰写情况反映\",\"note\":\"群众反映窗口排队时间长\"}}",
	         (long long)seated);
	j = post(sec_ck, sec_csrf, "/api/v1/records", body, 201);
	rid = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	j = get(sup_ck, "/api/v1/reports?pending=1", 200);
	json_array_foreach(json_object_get(j, "reports"), i, rep) found +=
	    json_integer_value(json_object_get(rep, "id")) == rid;
	assert_int_equal(found, 1);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/reports/%lld/review",
	         (long long)rid);
	json_decref(post(sec_ck, sec_csrf, path, "{\"comment\":\"好\"}", 403));
	j = post(sup_ck, sup_csrf, path, "{\"comment\":\"  \"}", 400);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(j, "error"), "field")),
	                    "comment");
	json_decref(j);
	json_decref(post(sup_ck, sup_csrf, path,
	                 "{\"comment\":\"情况属实，转单位整改\"}", 201));
	json_decref(
	    post(sup_ck, sup_csrf, path, "{\"comment\":\"再审\"}", 409));
	/* out of the queue, kept with the review */
	j = get(sup_ck, "/api/v1/reports?pending=1", 200);
	json_array_foreach(json_object_get(j, "reports"), i, rep)
	    assert_true(json_integer_value(json_object_get(rep, "id")) != rid);
	json_decref(j);
	j = get(admin_ck, "/api/v1/reports", 200);
	found = 0;
	json_array_foreach(
	    json_object_get(j, "reports"), i,
	    rep) if (json_integer_value(json_object_get(rep, "id")) == rid)
	{
		assert_string_equal(
		    json_string_value(json_object_get(
		        json_object_get(rep, "review"), "comment")),
		    "情况属实，转单位整改");
		found++;
	}
	assert_int_equal(found, 1);
	json_decref(j);
	/* an ordinary record is not a report to review */
	snprintf(path, sizeof(path), "/api/v1/reports/%lld/review",
	         (long long)q("SELECT min(id) FROM records"));
	json_decref(post(sup_ck, sup_csrf, path, "{\"comment\":\"x\"}", 404));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_scope),
		cmocka_unit_test(test_record_and_progress),
		cmocka_unit_test(test_progress_due),
		cmocka_unit_test(test_bad_records),
		cmocka_unit_test(test_outside_write),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_zishu_counted),
		cmocka_unit_test(test_series),
		cmocka_unit_test(test_session),
		cmocka_unit_test(test_sheet),
		cmocka_unit_test(test_escalations),
		cmocka_unit_test(test_report_review),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
