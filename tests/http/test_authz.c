/*
 * The authorization matrix: every route of the router's tables, as every
 * role and as nobody, on an object inside and one outside the caller's
 * scope, against the real server on the demo campaign. A route without a
 * row here fails the test, so no route ships unexamined.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/http/router.h"
#include "../lib/harness.h"
#include "../lib/httpc.h"

#define PASSWORD "xianjiao2005"
#define NOBODY ROLE__MAX /* the column for "no session" */

static struct xj_server srv;

/* Roster files the import rows send: one member of U001-B01 and one
 * organisation, both exactly as stored, so every allowed import succeeds
 * and changes nothing. */
static char import_csv[512], orgs_csv[512], sheet_csv[512];

/* Ids from the demo campaign, found by the codes demo.h documents. */
static struct {
	int64_t root, unit, branch, branch2, other_unit;
	int64_t self, peer, member_b2, member_other;
	int64_t victim;
	int64_t op_in, op_out; /* opinions about peer, about member_other */
	int64_t report;        /* a 情况反映 of a U001 党委成员 */
} id;

/* One logged-in session per role. */
static struct {
	const char *login;
	char cookie[128];
	char csrf[80];
} who[ROLE__MAX] = {
	[ROLE_OFFICE] = { "admin" },    [ROLE_SUPERVISOR] = { "dudao" },
	[ROLE_UNIT] = { "danwei" },     [ROLE_SECRETARY] = { "shuji" },
	[ROLE_MEMBER] = { "dangyuan" },
};

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
	if (v == 0)
		fail_msg("no row: %s", sql);
	return v;
}

/* An open 补课 item of unit, written as an order would write it, for
 * the matrix's row that marks one done. */
static int64_t remedy_item(int64_t unit)
{
	char sql[512];
	sqlite3 *db;

	assert_int_equal(sqlite3_open(srv.db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO wf_transitions (unit_id, stage, from_state,"
	         " to_state, action, on_date, at) VALUES (%lld, 'learn', 4,"
	         " 0, 'remedy', '2005-03-01', '2005-03-01T00:00:00Z');"
	         "INSERT INTO wf_remedies (unit_id, stage, text, deadline,"
	         " transition_id) VALUES (%lld, 'learn', '补写学习笔记',"
	         " '2099-12-31', last_insert_rowid());",
	         (long long)unit, (long long)unit);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("remedy item: %s", sqlite3_errmsg(db));
	sqlite3_close(db);
	return q("SELECT max(id) FROM wf_remedies");
}

/* An anonymous opinion about member, written as opinion_add() would,
 * for the rows on one opinion (SCOPE_OPINION). */
static int64_t opinion_about(int64_t member)
{
	char sql[512];
	sqlite3 *db;

	assert_int_equal(sqlite3_open(srv.db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	snprintf(sql, sizeof(sql),
	         "INSERT INTO opinions (org_id, channel, target_kind,"
	         " target_member_id, home_org_id, anonymous, text,"
	         " received_on, stage, entered_at) SELECT org_id, 0, 6, id,"
	         " org_id, 1, '学习笔记应付', '2005-02-10', 0,"
	         " '2005-02-10T00:00:00Z' FROM members WHERE id = %lld",
	         (long long)member);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("opinion: %s", sqlite3_errmsg(db));
	sqlite3_close(db);
	return q("SELECT max(id) FROM opinions");
}

/* Send a request; cookie/csrf may be NULL; body may be NULL. */
static void request(const char *method, const char *path, const char *cookie,
                    const char *csrf, const char *body, struct http_resp *r)
{
	xj_request(srv.port, method, path, cookie, csrf, body, r);
}

static void login(const char *login_name, char *cookie, size_t csize,
                  char *csrf, size_t xsize)
{
	xj_login(srv.port, login_name, PASSWORD, cookie, csize, csrf, xsize);
}

static int setup(void **state)
{
	struct proc_result pr;
	char *env[] = { NULL };
	int r;

	(void)state;
	(void)env;
	xj_server_prepare(&srv);
	xj_run(&pr, "demo", "--db", srv.db, "--force", NULL);
	if (pr.status != 0)
		fail_msg("demo: %s", pr.err);
	proc_result_release(&pr);
	xj_run(&pr, "user", "add", "--db", srv.db, "--login", "victim",
	       "--name", "受试用户", NULL);
	assert_int_equal(pr.status, 0);
	proc_result_release(&pr);
	id.root = q("SELECT id FROM orgs WHERE code = 'CITY'");
	id.unit = q("SELECT id FROM orgs WHERE code = 'U001'");
	id.branch = q("SELECT id FROM orgs WHERE code = 'U001-B01'");
	id.branch2 = q("SELECT id FROM orgs WHERE code = 'U001-B02'");
	id.other_unit = q("SELECT id FROM orgs WHERE is_unit = 1 AND "
	                  "system_id != (SELECT system_id FROM orgs WHERE "
	                  "code = 'U001') ORDER BY id LIMIT 1");
	id.self = q("SELECT member_id FROM users WHERE login = 'dangyuan'");
	id.peer = q("SELECT m.id FROM members m JOIN orgs o ON o.id = "
	            "m.org_id WHERE o.code = 'U001-B01' AND m.id != (SELECT "
	            "member_id FROM users WHERE login = 'dangyuan') LIMIT 1");
	id.member_b2 = q("SELECT m.id FROM members m JOIN orgs o ON o.id = "
	                 "m.org_id WHERE o.code = 'U001-B02' LIMIT 1");
	id.member_other =
	    q("SELECT m.id FROM members m JOIN org_tree t ON t.descendant "
	      "= m.org_id JOIN orgs u ON u.id = t.ancestor AND u.is_unit "
	      "= 1 WHERE u.system_id != (SELECT system_id FROM orgs WHERE "
	      "code = 'U001') LIMIT 1");
	id.victim = q("SELECT id FROM users WHERE login = 'victim'");
	{
		/* a 情况反映 by a member of U001's 领导班子, for the
		 * supervision group's review */
		sqlite3 *db;

		assert_int_equal(sqlite3_open(srv.db, &db), SQLITE_OK);
		if (sqlite3_exec(
		        db,
		        "INSERT INTO records (campaign_id, kind, org_id,"
		        " member_id, happened_on, entered_at, payload)"
		        " SELECT (SELECT min(id) FROM campaigns),"
		        " 'service_card', m.org_id, m.id, '2005-02-20',"
		        " '2005-02-20T00:00:00Z',"
		        " '{\"item\":\"撰写情况反映\",\"note\":\"窗口排队\"}'"
		        " FROM members m JOIN body_seats s ON s.member_id = "
		        "m.id"
		        " JOIN orgs o ON o.id = m.org_id WHERE o.code = "
		        "'U001-B01'"
		        " LIMIT 1",
		        NULL, NULL, NULL) != SQLITE_OK)
			fail_msg("report: %s", sqlite3_errmsg(db));
		sqlite3_close(db);
		id.report = q("SELECT max(id) FROM records WHERE kind = "
		              "'service_card'");
	}
	id.op_in = opinion_about(id.peer);
	id.op_out = opinion_about(id.member_other);
	{
		sqlite3_stmt *st;
		sqlite3 *h;

		assert_int_equal(sqlite3_open(srv.db, &h), SQLITE_OK);
		assert_int_equal(
		    sqlite3_prepare_v2(h,
		                       "SELECT m.id_number, m.name FROM "
		                       "members m WHERE m.id = ?1",
		                       -1, &st, NULL),
		    SQLITE_OK);
		sqlite3_bind_int64(st, 1, id.peer);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		snprintf(import_csv, sizeof(import_csv),
		         "身份证号码,姓名,组织代码\r\n%s,%s,U001-B01\r\n",
		         sqlite3_column_text(st, 0),
		         sqlite3_column_text(st, 1));
		snprintf(sheet_csv, sizeof(sheet_csv),
		         "身份证号码,姓名\r\n%s,%s\r\n",
		         sqlite3_column_text(st, 0),
		         sqlite3_column_text(st, 1));
		sqlite3_finalize(st);
		assert_int_equal(
		    sqlite3_prepare_v2(h,
		                       "SELECT name FROM orgs WHERE code = "
		                       "'U001-B02'",
		                       -1, &st, NULL),
		    SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		snprintf(orgs_csv, sizeof(orgs_csv),
		         "组织代码,组织名称,组织类型\r\nU001-B02,%s,党支部\r\n",
		         sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		sqlite3_close(h);
	}
	r = xj_server_start(&srv, NULL);
	assert_int_equal(r, 0);
	for (r = 0; r < ROLE__MAX; r++)
		login(who[r].login, who[r].cookie, sizeof(who[r].cookie),
		      who[r].csrf, sizeof(who[r].csrf));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(xj_server_stop(&srv), 0);
	xj_server_release(&srv);
	return 0;
}

/* For a route's scope kind: an object inside role's scope, and one
 * outside it (0 when every object is inside, as for the office). */
static void objects(enum route_scope scope, int role, int64_t *in, int64_t *out)
{
	*in = *out = 0;
	if (scope == SCOPE_ORG) {
		switch (role) {
		case ROLE_OFFICE:
			*in = id.other_unit;
			break;
		case ROLE_SUPERVISOR:
			*in = id.branch2;
			*out = id.other_unit;
			break;
		case ROLE_UNIT:
			*in = id.branch2;
			*out = id.other_unit;
			break;
		case ROLE_SECRETARY:
			*in = id.branch;
			*out = id.unit; /* the unit's statistics, say */
			break;
		default:
			*in = id.branch;
			*out = id.other_unit;
		}
	} else if (scope == SCOPE_UNIT) {
		/* a unit; its branches are not units */
		switch (role) {
		case ROLE_OFFICE:
			*in = id.other_unit;
			break;
		case ROLE_SUPERVISOR:
		case ROLE_UNIT:
			*in = id.unit;
			*out = id.other_unit;
			break;
		default:
			*in = id.unit;
		}
	} else if (scope == SCOPE_OPINION) {
		/* the roles that handle opinions; members never do */
		*in = id.op_in;
		if (role != ROLE_OFFICE)
			*out = id.op_out;
		else
			*in = id.op_out;
	} else if (scope == SCOPE_MEMBER) {
		switch (role) {
		case ROLE_OFFICE:
			*in = id.member_other;
			break;
		case ROLE_SUPERVISOR:
		case ROLE_UNIT:
			*in = id.member_b2;
			*out = id.member_other;
			break;
		case ROLE_SECRETARY:
			*in = id.peer;
			*out = id.member_b2;
			break;
		default: /* member: self only */
			*in = id.self;
			*out = id.peer;
		}
	}
}

/* The matrix rows: how to call each route, and what success is. */
struct row {
	const char *method;
	const char *pattern;
	int ok;           /* status when allowed and in scope */
	const char *body; /* "%s" is replaced by the role's login */
	int fresh;        /* use a throwaway session (it ends it) */
};

static const struct row rows[] = {
	{ "GET", "/api/v1/health", 200, NULL, 0 },
	{ "POST", "/api/v1/session", 200,
	  "{\"login\":\"admin\",\"password\":\"" PASSWORD "\"}", 0 },
	{ "GET", "/api/v1/session", 200, NULL, 0 },
	{ "DELETE", "/api/v1/session", 200, NULL, 1 },
	{ "GET", "/api/v1/users", 200, NULL, 0 },
	{ "POST", "/api/v1/users", 201,
	  "{\"login\":\"new-%s\",\"display_name\":\"新用户\","
	  "\"password\":\"pw-123456\"}",
	  0 },
	{ "POST", "/api/v1/users/{id}/disable", 200, "{}", 0 },
	{ "POST", "/api/v1/users/{id}/grants", 201, "{\"role\":\"member\"}",
	  0 },
	{ "GET", "/api/v1/orgs", 200, NULL, 0 },
	{ "GET", "/api/v1/orgs/{id}", 200, NULL, 0 },
	{ "GET", "/api/v1/orgs/{id}/stats", 200, NULL, 0 },
	{ "GET", "/api/v1/orgs/{id}/members", 200, NULL, 0 },
	{ "GET", "/api/v1/members/{id}", 200, NULL, 0 },
	{ "GET", "/api/v1/audit", 200, NULL, 0 },
	{ "POST", "/api/v1/import/members", 200, "@IMPORT", 0 },
	{ "POST", "/api/v1/import/members/errors", 200, "@IMPORT", 0 },
	{ "POST", "/api/v1/import/orgs", 200, "@ORGS", 0 },
	{ "GET", "/api/v1/export/members", 200, NULL, 0 },
	{ "GET", "/api/v1/export/orgs", 200, NULL, 0 },
	{ "GET", "/api/v1/coverage", 200, NULL, 0 },
	{ "GET", "/api/v1/orgs/{id}/export/members", 200, NULL, 0 },
	{ "GET", "/api/v1/orgs/{id}/export/orgs", 200, NULL, 0 },
	{ "GET", "/api/v1/orgs/{id}/coverage", 200, NULL, 0 },
	{ "GET", "/api/v1/templates/members", 200, NULL, 0 },
	{ "GET", "/api/v1/templates/orgs", 200, NULL, 0 },
	{ "GET", "/api/v1/members/{id}/movements", 200, NULL, 0 },
	{ "POST", "/api/v1/members/{id}/movements", 201, "@MOVE", 0 },
	{ "GET", "/api/v1/status", 200, NULL, 0 },
	{ "GET", "/api/v1/units/{id}/explain", 200, NULL, 0 },
	/* from and to are required: 400 once the router let the call in */
	{ "GET", "/api/v1/status/series", 400, NULL, 0 },
	{ "GET", "/api/v1/late", 200, NULL, 0 },
	{ "GET", "/api/v1/plan", 200, NULL, 0 },
	{ "GET", "/api/v1/members/{id}/progress", 200, NULL, 0 },
	{ "POST", "/api/v1/records", 201, "@RECORD", 0 },
	{ "POST", "/api/v1/sessions", 201, "@SESSION", 0 },
	{ "GET", "/api/v1/orgs/{id}/escalations", 200, NULL, 0 },
	{ "GET", "/api/v1/reports", 200, NULL, 0 },
	{ "POST", "/api/v1/reports/{id}/review", 201, "@REVIEW", 0 },
	{ "POST", "/api/v1/records/import", 201, "@SHEET", 0 },
	{ "POST", "/api/v1/records/import/errors", 200, "@SHEET", 0 },
	{ "GET", "/api/v1/orgs/{id}/records", 200, NULL, 0 },
	{ "GET", "/api/v1/members/{id}/records", 200, NULL, 0 },
	/* 转段: the first answer is a step any allowed role may take; the
	 * self-check then waits for the other items, so each later step is
	 * refused with 409 by the state, after every check of the router */
	{ "GET", "/api/v1/units/{id}/transition", 200, NULL, 0 },
	{ "GET", "/api/v1/units/{id}/transition/history", 200, NULL, 0 },
	{ "POST", "/api/v1/units/{id}/transition/lookback", 200,
	  "{\"item\":\"awareness\",\"answer\":\"已对照检查\"}", 0 },
	{ "POST", "/api/v1/units/{id}/transition/selfcheck", 409,
	  "{\"report\":\"自查报告\"}", 0 },
	{ "POST", "/api/v1/units/{id}/transition/apply", 409, "{}", 0 },
	{ "POST", "/api/v1/units/{id}/transition/override", 409,
	  "{\"reason\":\"时间服从质量\"}", 0 },
	{ "POST", "/api/v1/units/{id}/transition/sign", 409, "{}", 0 },
	{ "POST", "/api/v1/units/{id}/transition/return", 409,
	  "{\"reason\":\"谈心不够普遍\"}", 0 },
	{ "POST", "/api/v1/units/{id}/transition/approve", 409, "{}", 0 },
	{ "POST", "/api/v1/units/{id}/transition/remedy", 409,
	  "{\"items\":\"补课\",\"deadline\":\"2099-12-31\","
	  "\"reason\":\"笔记不足\"}",
	  0 },
	{ "POST", "/api/v1/units/{id}/transition/done", 200, "@REMEDY", 0 },
	{ "POST", "/api/v1/units/{id}/transition/extend", 200,
	  "{\"until\":\"2099-12-31\",\"reason\":\"时间服从质量\"}", 0 },
	{ "POST", "/api/v1/units/{id}/transition/summary", 409,
	  "{\"report\":\"总结\"}", 0 },
	{ "GET", "/api/v1/transition/queue", 200, NULL, 0 },
	{ "GET", "/api/v1/transition/overdue", 200, NULL, 0 },
	{ "GET", "/api/v1/spotchecks", 200, NULL, 0 },
	{ "POST", "/api/v1/spotchecks", 201, "{\"stage\":\"learn\",\"seed\":7}",
	  0 },
	{ "POST", "/api/v1/spotchecks/findings", 201, "@FINDING", 0 },
	/* 征求意见: the opinion rows act on an anonymous opinion about a
	 * member (peer); classified first, it is fed back, and publishing
	 * it is refused with 409 after every check of the router */
	{ "POST", "/api/v1/opinions", 201, "@OPINION", 0 },
	{ "GET", "/api/v1/opinions/published", 200, NULL, 0 },
	{ "GET", "/api/v1/orgs/{id}/opinions", 200, NULL, 0 },
	{ "GET", "/api/v1/members/{id}/opinions", 200, NULL, 0 },
	{ "POST", "/api/v1/opinions/{id}/classify", 200,
	  "{\"category\":\"党风政风行风方面的突出问题\"}", 0 },
	{ "POST", "/api/v1/opinions/{id}/publish", 409, "{}", 0 },
	{ "POST", "/api/v1/opinions/{id}/feedback", 200,
	  "{\"note\":\"结合谈心反馈\"}", 0 },
	{ "GET", "/api/v1/orgs/{id}/opinion-stats", 200, NULL, 0 },
};

static const struct row *row_for(const struct route *rt)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (strcmp(rows[i].method, rt->method) == 0 &&
		    strcmp(rows[i].pattern, rt->pattern) == 0)
			return &rows[i];
	return NULL;
}

/* The path of rt with its {id} replaced by obj. */
static void make_path(const struct route *rt, int64_t obj, char *buf,
                      size_t size)
{
	const char *brace = strchr(rt->pattern, '{');
	const char *close = brace ? strchr(brace, '}') : NULL;

	if (brace == NULL) {
		snprintf(buf, size, "%s", rt->pattern);
		return;
	}
	snprintf(buf, size, "%.*s%lld%s", (int)(brace - rt->pattern),
	         rt->pattern, (long long)obj, close + 1);
}

static int state_changing(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0;
}

static void call(const struct route *rt, const struct row *row, int role,
                 int64_t obj, int want)
{
	char path[256], body[512], cookie[128], csrf[80];
	const char *ck = NULL, *cs = NULL;
	struct http_resp r;

	make_path(rt,
	          row->body && strcmp(row->body, "@REVIEW") == 0 ? id.report
	                                                         : obj,
	          path, sizeof(path));
	if (row->body != NULL && strcmp(row->body, "@MOVE") == 0) {
		char sql[128];

		/* a move within the member's own branch: in scope for anyone
		 * who may see the member, and it changes nothing else */
		snprintf(sql, sizeof(sql),
		         "SELECT org_id FROM members WHERE id = %lld",
		         (long long)obj);
		snprintf(body, sizeof(body),
		         "{\"kind\":\"调动\",\"date\":\"2005-03-01\","
		         "\"to_org_id\":%lld}",
		         (long long)q(sql));
	} else if (row->body != NULL && strcmp(row->body, "@RECORD") == 0) {
		/* an hour of 自学 for a member every entering role may see */
		snprintf(body, sizeof(body),
		         "{\"kind\":\"self_study\",\"member_id\":%lld,"
		         "\"happened_on\":\"2005-02-01\","
		         "\"payload\":{\"hours\":1}}",
		         (long long)id.peer);
	} else if (row->body != NULL && strcmp(row->body, "@REVIEW") == 0) {
		snprintf(body, sizeof(body), "{\"comment\":\"情况属实\"}");
	} else if (row->body != NULL && strcmp(row->body, "@SESSION") == 0) {
		/* an hour's session of the branch with one member every
		 * entering role may see, on a new day each time */
		static int day;

		snprintf(body, sizeof(body),
		         "{\"org_id\":%lld,\"happened_on\":\"2005-01-%02d\","
		         "\"session\":{\"hours\":1,\"start\":\"20:00\"},"
		         "\"attendance\":[{\"member_id\":%lld}]}",
		         (long long)id.branch, 10 + day++ % 20,
		         (long long)id.peer);
	} else if (row->body != NULL && strcmp(row->body, "@REMEDY") == 0) {
		/* an open 补课 item of the unit to mark done */
		snprintf(body, sizeof(body),
		         "{\"item_id\":%lld,\"evidence\":\"已补写笔记\"}",
		         (long long)remedy_item(obj));
	} else if (row->body != NULL && strcmp(row->body, "@FINDING") == 0) {
		/* at a unit the latest spot check drew */
		snprintf(body, sizeof(body),
		         "{\"spot_check_id\":%lld,\"unit_id\":%lld,"
		         "\"mode\":\"明查\",\"text\":\"学习笔记抽查\"}",
		         (long long)q("SELECT max(id) FROM spot_checks"),
		         (long long)q("SELECT unit_id FROM spot_check_units "
		                      "WHERE spot_check_id = (SELECT max(id) "
		                      "FROM spot_checks) ORDER BY position "
		                      "LIMIT 1"));
	} else if (row->body != NULL && strcmp(row->body, "@OPINION") == 0) {
		/* about a member every entering role may see, asked by
		 * that member's branch */
		snprintf(body, sizeof(body),
		         "{\"org_id\":%lld,\"channel\":\"意见箱\","
		         "\"target\":\"党员\",\"target_member_id\":%lld,"
		         "\"anonymous\":1,\"text\":\"发言不积极\","
		         "\"received_on\":\"2005-02-12\"}",
		         (long long)id.branch, (long long)id.peer);
	} else if (row->body != NULL && strcmp(row->body, "@IMPORT") == 0)
		snprintf(body, sizeof(body), "%s", import_csv);
	else if (row->body != NULL && strcmp(row->body, "@ORGS") == 0)
		snprintf(body, sizeof(body), "%s", orgs_csv);
	else if (row->body != NULL && strcmp(row->body, "@SHEET") == 0) {
		/* a sign-in sheet of an hour's 自学 for a member every
		 * entering role may see */
		snprintf(body, sizeof(body), "%s", sheet_csv);
		snprintf(path + strlen(path), sizeof(path) - strlen(path),
		         "?kind=self_study&date=2005-02-02&data="
		         "%%7B%%22hours%%22%%3A1%%7D");
	} else if (row->body != NULL)
		snprintf(body, sizeof(body), row->body,
		         role < ROLE__MAX ? who[role].login : "nobody");
	if (role < ROLE__MAX) {
		if (row->fresh) {
			login(who[role].login, cookie, sizeof(cookie), csrf,
			      sizeof(csrf));
			ck = cookie;
			cs = csrf;
		} else {
			ck = who[role].cookie;
			cs = who[role].csrf;
		}
	}
	request(rt->method, path, ck, state_changing(rt->method) ? cs : NULL,
	        row->body ? body : NULL, &r);
	if (r.status != want)
		fail_msg("%s %s as %s: got %d, want %d: %s", rt->method, path,
		         role < ROLE__MAX ? who[role].login : "(nobody)",
		         r.status, want, r.body);
	/* Every refusal is a JSON error with a message. */
	if (want >= 400) {
		json_t *j = json_loads(r.body, 0, NULL);

		assert_non_null(j);
		assert_non_null(json_string_value(
		    json_object_get(json_object_get(j, "error"), "message")));
		json_decref(j);
	}
	http_resp_release(&r);
}

static void test_matrix(void **state)
{
	const struct route *const *t;
	const struct route *rt;
	int role, routes = 0, calls = 0;

	(void)state;
	for (t = router_tables; *t != NULL; t++) {
		for (rt = *t; rt->method != NULL; rt++) {
			const struct row *row = row_for(rt);
			int64_t in, out, obj;

			if (row == NULL)
				fail_msg("route %s %s has no row in the "
				         "authorization matrix",
				         rt->method, rt->pattern);
			routes++;
			for (role = 0; role <= NOBODY; role++) {
				int allowed = rt->roles == 0 ||
				              (role < ROLE__MAX &&
				               (rt->roles & ROLE_BIT(role)));

				objects(rt->scope, role, &in, &out);
				obj = rt->scope == SCOPE_NONE ? id.victim : in;
				if (rt->roles != 0 && role == NOBODY)
					call(rt, row, role, obj, 401);
				else if (!allowed)
					call(rt, row, role, obj, 403);
				else
					call(rt, row, role, obj, row->ok);
				calls++;
				if (allowed && role < ROLE__MAX && out != 0) {
					/* out of scope: as if it did not exist */
					call(rt, row, role, out, 404);
					calls++;
				}
			}
		}
	}
	assert_true(routes >= 25);
	print_message("authorization matrix: %d routes, %d requests\n", routes,
	              calls);
}

/* Guessing ids: a unit office walking through ids sees only its own. */
static void test_guess_ids(void **state)
{
	char path[64];
	int64_t i, seen = 0;

	(void)state;
	for (i = 1; i <= 600; i++) {
		struct http_resp r;

		snprintf(path, sizeof(path), "/api/v1/orgs/%lld", (long long)i);
		request("GET", path, who[ROLE_UNIT].cookie, NULL, NULL, &r);
		assert_true(r.status == 200 || r.status == 404);
		if (r.status == 200)
			seen++;
		http_resp_release(&r);
	}
	/* U001: the unit, its 领导班子 and its branches (2-6) */
	assert_true(seen >= 4 && seen <= 9);
}

static void test_csrf(void **state)
{
	struct http_resp r;
	const char *body = "{\"login\":\"csrf-x\",\"display_name\":\"某\","
	                   "\"password\":\"pw-123456\"}";

	(void)state;
	request("POST", "/api/v1/users", who[ROLE_OFFICE].cookie, NULL, body,
	        &r);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body, "CSRF"));
	http_resp_release(&r);
	request(
	    "POST", "/api/v1/users", who[ROLE_OFFICE].cookie,
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    body, &r);
	assert_int_equal(r.status, 403);
	http_resp_release(&r);
	/* another session's token does not do either */
	request("POST", "/api/v1/users", who[ROLE_OFFICE].cookie,
	        who[ROLE_UNIT].csrf, body, &r);
	assert_int_equal(r.status, 403);
	http_resp_release(&r);
	request("POST", "/api/v1/users", who[ROLE_OFFICE].cookie,
	        who[ROLE_OFFICE].csrf, body, &r);
	assert_int_equal(r.status, 201);
	http_resp_release(&r);
}

static void test_api_token(void **state)
{
	struct proc_result pr;
	struct http_resp r;
	char raw[512], tok[80], *t, *nl;

	(void)state;
	xj_run(&pr, "token", "create", "--db", srv.db, "--user", "admin", NULL);
	assert_int_equal(pr.status, 0);
	t = strstr(pr.out, "xjt_");
	assert_non_null(t);
	nl = strchr(t, '\n');
	assert_non_null(nl);
	*nl = '\0';
	snprintf(tok, sizeof(tok), "%s", t);
	snprintf(raw, sizeof(raw),
	         "GET /api/v1/users HTTP/1.1\r\nHost: x\r\nConnection: "
	         "close\r\nAuthorization: Bearer %s\r\n\r\n",
	         tok);
	assert_int_equal(httpc_request(srv.port, raw, &r), 0);
	assert_int_equal(r.status, 200);
	http_resp_release(&r);
	/* a token needs no CSRF token: it is not sent by browsers */
	snprintf(raw, sizeof(raw),
	         "POST /api/v1/users/%lld/grants HTTP/1.1\r\nHost: x\r\n"
	         "Connection: close\r\nAuthorization: Bearer %s\r\n"
	         "Content-Length: 17\r\n\r\n{\"role\":\"office\"}",
	         (long long)id.victim, tok);
	assert_int_equal(httpc_request(srv.port, raw, &r), 0);
	assert_int_equal(r.status, 201);
	http_resp_release(&r);
	proc_result_release(&pr);
	xj_run(&pr, "token", "revoke", "--db", srv.db, "--id", "1", NULL);
	assert_int_equal(pr.status, 0);
	proc_result_release(&pr);
	snprintf(raw, sizeof(raw),
	         "GET /api/v1/users HTTP/1.1\r\nHost: x\r\nConnection: "
	         "close\r\nAuthorization: Bearer %s\r\n\r\n",
	         tok);
	assert_int_equal(httpc_request(srv.port, raw, &r), 0);
	assert_int_equal(r.status, 401);
	http_resp_release(&r);
}

static void test_disabled_and_expired(void **state)
{
	char cookie[128], csrf[80];
	struct proc_result pr;
	struct http_resp r;
	sqlite3 *db;

	(void)state;
	login("shuji", cookie, sizeof(cookie), csrf, sizeof(csrf));
	xj_run(&pr, "user", "disable", "--db", srv.db, "--login", "shuji",
	       NULL);
	assert_int_equal(pr.status, 0);
	proc_result_release(&pr);
	request("GET", "/api/v1/session", cookie, NULL, NULL, &r);
	assert_int_equal(r.status, 401);
	http_resp_release(&r);
	xj_run(&pr, "user", "enable", "--db", srv.db, "--login", "shuji", NULL);
	assert_int_equal(pr.status, 0);
	proc_result_release(&pr);
	request("GET", "/api/v1/session", cookie, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	http_resp_release(&r);
	/* idle for an hour: expired */
	assert_int_equal(sqlite3_open(srv.db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_exec(db,
	                              "UPDATE sessions SET last_seen = "
	                              "last_seen - 3600 WHERE id = (SELECT "
	                              "max(id) FROM sessions)",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	request("GET", "/api/v1/session", cookie, NULL, NULL, &r);
	assert_int_equal(r.status, 401);
	assert_non_null(strstr(r.body, "unauthenticated"));
	http_resp_release(&r);
	/* and a made-up cookie */
	request("GET", "/api/v1/session",
	        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
	        "cdef",
	        NULL, NULL, &r);
	assert_int_equal(r.status, 401);
	http_resp_release(&r);
}

static void test_login_answers(void **state)
{
	struct http_resp r1, r2, r3;
	json_t *a, *b;

	(void)state;
	request("POST", "/api/v1/session", NULL, NULL,
	        "{\"login\":\"admin\",\"password\":\"wrong\"}", &r1);
	request("POST", "/api/v1/session", NULL, NULL,
	        "{\"login\":\"nosuchuser\",\"password\":\"wrong\"}", &r2);
	assert_int_equal(r1.status, 401);
	assert_int_equal(r2.status, 401);
	a = json_loads(r1.body, 0, NULL);
	b = json_loads(r2.body, 0, NULL);
	assert_true(json_equal(a, b));
	json_decref(a);
	json_decref(b);
	/* non-UTF-8 in the body is a JSON error, never a crash */
	request("POST", "/api/v1/session", NULL, NULL,
	        "{\"login\":\"\xff\xfe\",\"password\":\"x\"}", &r3);
	assert_int_equal(r3.status, 400);
	http_resp_release(&r1);
	http_resp_release(&r2);
	http_resp_release(&r3);
	request("POST", "/api/v1/session", NULL, NULL,
	        "{\"login\":\"admin\",\"password\":\"x\",\"remember\":true}",
	        &r1);
	assert_int_equal(r1.status, 400);
	assert_non_null(strstr(r1.body, "\"field\":\"remember\""));
	http_resp_release(&r1);
}

/* Several logins of one user at once: each gets its own live session. */
#define CONCURRENT 8

struct racer {
	char cookie[128];
	char csrf[80];
};

static void *race_login(void *arg)
{
	struct racer *r = arg;

	login("danwei", r->cookie, sizeof(r->cookie), r->csrf, sizeof(r->csrf));
	return NULL;
}

static void test_concurrent_logins(void **state)
{
	struct racer r[CONCURRENT];
	pthread_t t[CONCURRENT];
	int i, j;

	(void)state;
	for (i = 0; i < CONCURRENT; i++)
		assert_int_equal(pthread_create(&t[i], NULL, race_login, &r[i]),
		                 0);
	for (i = 0; i < CONCURRENT; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	for (i = 0; i < CONCURRENT; i++) {
		struct http_resp resp;

		for (j = 0; j < i; j++)
			assert_string_not_equal(r[i].cookie, r[j].cookie);
		request("GET", "/api/v1/session", r[i].cookie, NULL, NULL,
		        &resp);
		assert_int_equal(resp.status, 200);
		http_resp_release(&resp);
	}
}

/* An import names organisations in its rows: each is checked against the
 * importer's scope, row by row, and nothing is stored if one is out. */
static void test_import_scope(void **state)
{
	char body[1024];
	struct http_resp r;

	(void)state;
	/* the secretary of U001-B01 puts a member into U001-B02 */
	snprintf(body, sizeof(body), "%s", import_csv);
	memcpy(strstr(body, "U001-B01"), "U001-B02", 8);
	request("POST", "/api/v1/import/members", who[ROLE_SECRETARY].cookie,
	        who[ROLE_SECRETARY].csrf, body, &r);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "\"row\":2"));
	assert_non_null(strstr(r.body, "不在您的管理范围内"));
	http_resp_release(&r);
	/* the unit office may */
	request("POST", "/api/v1/import/members?dry_run=1",
	        who[ROLE_UNIT].cookie, who[ROLE_UNIT].csrf, body, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"updated\":1"));
	http_resp_release(&r);
	/* a secretary cannot move a member to a branch not theirs */
	{
		char path[96], mv[128];

		snprintf(path, sizeof(path), "/api/v1/members/%lld/movements",
		         (long long)id.peer);
		snprintf(mv, sizeof(mv),
		         "{\"kind\":\"调动\",\"date\":\"2005-03-01\","
		         "\"to_org_id\":%lld}",
		         (long long)id.branch2);
		request("POST", path, who[ROLE_SECRETARY].cookie,
		        who[ROLE_SECRETARY].csrf, mv, &r);
		assert_int_equal(r.status, 404);
		assert_non_null(strstr(r.body, "\"field\":\"to_org_id\""));
		http_resp_release(&r);
		/* a bad date names its field */
		request("POST", path, who[ROLE_SECRETARY].cookie,
		        who[ROLE_SECRETARY].csrf,
		        "{\"kind\":\"转出\",\"date\":\"2005-02-30\"}", &r);
		assert_int_equal(r.status, 400);
		assert_non_null(strstr(r.body, "\"field\":\"date\""));
		http_resp_release(&r);
	}
	/* a supervisor's export of another 系统's unit does not exist */
	{
		char path[96];

		snprintf(path, sizeof(path), "/api/v1/orgs/%lld/export/members",
		         (long long)id.other_unit);
		request("GET", path, who[ROLE_SUPERVISOR].cookie, NULL, NULL,
		        &r);
		assert_int_equal(r.status, 404);
		http_resp_release(&r);
	}
	/* and a scoped export never carries a full ID number */
	{
		char path[96];

		snprintf(path, sizeof(path),
		         "/api/v1/orgs/%lld/export/members?full_id=1",
		         (long long)id.branch);
		request("GET", path, who[ROLE_SECRETARY].cookie, NULL, NULL,
		        &r);
		assert_int_equal(r.status, 200);
		assert_non_null(strstr(r.body, "***********"));
		http_resp_release(&r);
	}
}

/* Member lists filter by category and name, and refuse what they do not
 * understand by its name. */
static void test_member_filters(void **state)
{
	char path[160];
	struct http_resp r;
	json_t *j, *arr, *m;
	size_t k;

	(void)state;
	snprintf(path, sizeof(path),
	         "/api/v1/orgs/%lld/members?category=%%E7%%A6%%BB%%E9%%80%%80"
	         "%%E4%%BC%%91&limit=500",
	         (long long)id.root); /* 离退休 */
	request("GET", path, who[ROLE_OFFICE].cookie, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	j = json_loads(r.body, 0, NULL);
	arr = json_object_get(j, "members");
	assert_true(json_array_size(arr) > 10);
	json_array_foreach(arr, k, m)
	{
		json_t *c = json_object_get(m, "categories");
		size_t x;
		json_t *v;
		int seen = 0;

		json_array_foreach(c, x, v) seen |=
		    strcmp(json_string_value(v), "离退休") == 0;
		assert_true(seen);
	}
	json_decref(j);
	http_resp_release(&r);

	snprintf(path, sizeof(path), "/api/v1/orgs/%lld/members?category=nope",
	         (long long)id.root);
	request("GET", path, who[ROLE_OFFICE].cookie, NULL, NULL, &r);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "\"field\":\"category\""));
	http_resp_release(&r);
	snprintf(path, sizeof(path), "/api/v1/orgs/%lld/members?limit=0",
	         (long long)id.root);
	request("GET", path, who[ROLE_OFFICE].cookie, NULL, NULL, &r);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "\"field\":\"limit\""));
	http_resp_release(&r);
	snprintf(path, sizeof(path), "/api/v1/orgs/%lld/members?sort=name",
	         (long long)id.root);
	request("GET", path, who[ROLE_OFFICE].cookie, NULL, NULL, &r);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "\"field\":\"sort\""));
	http_resp_release(&r);
}

/* What the 组织与党员 page asks: pages of members with "more", search by
 * name, by the last four or all of an ID number, the tree's
 * has_children, a member's movements. */
static void test_member_pages(void **state)
{
	char path[256], idnum[19], name[64], tail[5];
	struct http_resp r;
	json_t *j, *arr, *m;
	int64_t first_after;
	size_t k;

	(void)state;
	/* two pages of five members of the campaign, in id order */
	snprintf(path, sizeof(path), "/api/v1/orgs/%lld/members?limit=5",
	         (long long)id.root);
	request("GET", path, who[ROLE_OFFICE].cookie, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	j = json_loads(r.body, 0, NULL);
	arr = json_object_get(j, "members");
	assert_int_equal(json_array_size(arr), 5);
	assert_true(json_is_true(json_object_get(j, "more")));
	first_after =
	    json_integer_value(json_object_get(json_array_get(arr, 4), "id"));
	json_decref(j);
	http_resp_release(&r);
	snprintf(path, sizeof(path),
	         "/api/v1/orgs/%lld/members?limit=5&after=%lld",
	         (long long)id.root, (long long)first_after);
	request("GET", path, who[ROLE_OFFICE].cookie, NULL, NULL, &r);
	j = json_loads(r.body, 0, NULL);
	arr = json_object_get(j, "members");
	assert_int_equal(json_array_size(arr), 5);
	json_array_foreach(arr, k, m) assert_true(
	    json_integer_value(json_object_get(m, "id")) > first_after);
	json_decref(j);
	http_resp_release(&r);
	/* a branch's whole list fits one page: no more */
	snprintf(path, sizeof(path), "/api/v1/orgs/%lld/members?limit=500",
	         (long long)id.branch);
	request("GET", path, who[ROLE_SECRETARY].cookie, NULL, NULL, &r);
	j = json_loads(r.body, 0, NULL);
	assert_true(json_array_size(json_object_get(j, "members")) > 1);
	assert_true(json_is_false(json_object_get(j, "more")));
	json_decref(j);
	http_resp_release(&r);

	/* the peer found by its whole ID number, by its last four and by
	 * its name; the whole ID number outside the subtree finds nobody */
	{
		sqlite3_stmt *st;
		sqlite3 *h;

		assert_int_equal(sqlite3_open(srv.db, &h), SQLITE_OK);
		assert_int_equal(
		    sqlite3_prepare_v2(h,
		                       "SELECT id_number, name "
		                       "FROM members WHERE id = ?1",
		                       -1, &st, NULL),
		    SQLITE_OK);
		sqlite3_bind_int64(st, 1, id.peer);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		snprintf(idnum, sizeof(idnum), "%s",
		         (const char *)sqlite3_column_text(st, 0));
		snprintf(name, sizeof(name), "%s",
		         (const char *)sqlite3_column_text(st, 1));
		sqlite3_finalize(st);
		sqlite3_close(h);
	}
	memcpy(tail, idnum + 14, 5);
	snprintf(path, sizeof(path), "/api/v1/orgs/%lld/members?q=%s",
	         (long long)id.branch, idnum);
	request("GET", path, who[ROLE_SECRETARY].cookie, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	j = json_loads(r.body, 0, NULL);
	arr = json_object_get(j, "members");
	assert_int_equal(json_array_size(arr), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(arr, 0), "id")),
	    id.peer);
	/* the list shows the ID number masked, never whole */
	assert_null(strstr(r.body, idnum));
	json_decref(j);
	http_resp_release(&r);
	snprintf(path, sizeof(path), "/api/v1/orgs/%lld/members?q=%s",
	         (long long)id.branch2, idnum);
	request("GET", path, who[ROLE_UNIT].cookie, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	j = json_loads(r.body, 0, NULL);
	assert_int_equal(json_array_size(json_object_get(j, "members")), 0);
	json_decref(j);
	http_resp_release(&r);
	snprintf(path, sizeof(path), "/api/v1/orgs/%lld/members?q=%s",
	         (long long)id.branch, tail);
	request("GET", path, who[ROLE_SECRETARY].cookie, NULL, NULL, &r);
	j = json_loads(r.body, 0, NULL);
	arr = json_object_get(j, "members");
	assert_true(json_array_size(arr) >= 1);
	json_array_foreach(arr, k, m) assert_non_null(
	    strstr(json_string_value(json_object_get(m, "id_number")), tail));
	json_decref(j);
	http_resp_release(&r);
	{
		char enc[200];
		size_t i, n = 0;

		for (i = 0; name[i] != '\0' && n + 4 < sizeof(enc); i++)
			n += (size_t)snprintf(enc + n, sizeof(enc) - n,
			                      "%%%02X", (unsigned char)name[i]);
		snprintf(path, sizeof(path), "/api/v1/orgs/%lld/members?q=%s",
		         (long long)id.branch, enc);
	}
	request("GET", path, who[ROLE_SECRETARY].cookie, NULL, NULL, &r);
	j = json_loads(r.body, 0, NULL);
	arr = json_object_get(j, "members");
	assert_true(json_array_size(arr) >= 1);
	json_array_foreach(arr, k, m) assert_non_null(
	    strstr(json_string_value(json_object_get(m, "name")), name));
	json_decref(j);
	http_resp_release(&r);

	/* the statistics agree with the lists: the unit's total, and each
	 * category's count with the members that category filter lists */
	{
		static const char *const cats[] = {
			"%E5%9C%A8%E8%81%8C",                   /* 在职 */
			"%E7%A6%BB%E9%80%80%E4%BC%91",          /* 离退休 */
			"%E6%B5%81%E5%8A%A8%E5%85%9A%E5%91%98", /* 流动党员 */
		};
		static const char *const names[] = { "在职", "离退休",
			                             "流动党员" };
		json_t *st;
		size_t c;

		snprintf(path, sizeof(path), "/api/v1/orgs/%lld/stats",
		         (long long)id.unit);
		request("GET", path, who[ROLE_UNIT].cookie, NULL, NULL, &r);
		assert_int_equal(r.status, 200);
		st = json_loads(r.body, 0, NULL);
		http_resp_release(&r);
		for (c = 0; c <= 3; c++) {
			snprintf(path, sizeof(path),
			         "/api/v1/orgs/%lld/members?limit=500%s%s",
			         (long long)id.unit, c < 3 ? "&category=" : "",
			         c < 3 ? cats[c] : "");
			request("GET", path, who[ROLE_UNIT].cookie, NULL, NULL,
			        &r);
			assert_int_equal(r.status, 200);
			j = json_loads(r.body, 0, NULL);
			assert_true(json_is_false(json_object_get(j, "more")));
			assert_int_equal(
			    json_array_size(json_object_get(j, "members")),
			    json_integer_value(
			        c < 3 ? json_object_get(
			                    json_object_get(st, "categories"),
			                    names[c])
			              : json_object_get(st, "members")));
			json_decref(j);
			http_resp_release(&r);
		}
		assert_true(json_integer_value(json_object_get(
		                json_object_get(st, "categories"), "在职")) >
		            0);
		json_decref(st);
	}

	/* the tree: the unit has children, its branches none */
	request("GET", "/api/v1/orgs", who[ROLE_UNIT].cookie, NULL, NULL, &r);
	j = json_loads(r.body, 0, NULL);
	arr = json_object_get(j, "orgs");
	assert_int_equal(json_array_size(arr), 1);
	assert_true(json_is_true(
	    json_object_get(json_array_get(arr, 0), "has_children")));
	json_decref(j);
	http_resp_release(&r);
	snprintf(path, sizeof(path), "/api/v1/orgs?parent=%lld",
	         (long long)id.unit);
	request("GET", path, who[ROLE_UNIT].cookie, NULL, NULL, &r);
	j = json_loads(r.body, 0, NULL);
	arr = json_object_get(j, "orgs");
	assert_true(json_array_size(arr) > 1);
	json_array_foreach(arr, k, m)
	{
		int branch =
		    strcmp(json_string_value(json_object_get(m, "type")),
		           "党支部") == 0;

		if (branch)
			assert_true(
			    json_is_false(json_object_get(m, "has_children")));
	}
	json_decref(j);
	http_resp_release(&r);

	/* movements: a 调动 within the branch appears in the history */
	snprintf(path, sizeof(path), "/api/v1/members/%lld/movements",
	         (long long)id.peer);
	{
		char mv[160];

		snprintf(mv, sizeof(mv),
		         "{\"kind\":\"调动\",\"date\":\"2005-03-02\","
		         "\"to_org_id\":%lld,\"note\":\"支部内调整\"}",
		         (long long)id.branch);
		request("POST", path, who[ROLE_SECRETARY].cookie,
		        who[ROLE_SECRETARY].csrf, mv, &r);
		assert_int_equal(r.status, 201);
		http_resp_release(&r);
	}
	request("GET", path, who[ROLE_SECRETARY].cookie, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	j = json_loads(r.body, 0, NULL);
	arr = json_object_get(j, "movements");
	assert_true(json_array_size(arr) >= 1);
	m = json_array_get(arr, json_array_size(arr) - 1);
	assert_string_equal(json_string_value(json_object_get(m, "kind")),
	                    "调动");
	assert_string_equal(json_string_value(json_object_get(m, "date")),
	                    "2005-03-02");
	assert_string_equal(json_string_value(json_object_get(m, "note")),
	                    "支部内调整");
	assert_int_equal(json_integer_value(json_object_get(m, "to_org_id")),
	                 id.branch);
	json_decref(j);
	http_resp_release(&r);
	/* it takes no query parameters: one is refused by its name */
	snprintf(path, sizeof(path), "/api/v1/members/%lld/movements?x=1",
	         (long long)id.peer);
	request("GET", path, who[ROLE_SECRETARY].cookie, NULL, NULL, &r);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "\"field\":\"x\""));
	http_resp_release(&r);
}

/* A dry run previews every row (what it would do, ID numbers masked)
 * and stores nothing, even when its good rows are valid. */
static void test_import_preview(void **state)
{
	char body[1024], bad[256];
	int64_t before, after;
	struct http_resp r;
	json_t *j, *list, *pv;

	(void)state;
	before = q("SELECT count(*) + 1 FROM members");
	/* the stored peer (unchanged) and a new member with a bad ID */
	snprintf(bad, sizeof(bad), "110101199001011231,新党员,U001-B01\r\n");
	snprintf(body, sizeof(body), "%s%s", import_csv, bad);
	request("POST", "/api/v1/import/members?dry_run=1",
	        who[ROLE_SECRETARY].cookie, who[ROLE_SECRETARY].csrf, body, &r);
	assert_int_equal(r.status, 400);
	j = json_loads(r.body, 0, NULL);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "rows")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "unchanged")),
	                 1);
	list = json_object_get(j, "problems");
	assert_int_equal(json_array_size(list), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(list, 0), "row")),
	    3);
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(list, 0), "column")),
	                    "身份证号码");
	pv = json_object_get(j, "preview");
	assert_string_equal(json_string_value(json_array_get(
	                        json_object_get(pv, "columns"), 0)),
	                    "身份证号码");
	list = json_object_get(pv, "rows");
	assert_int_equal(json_array_size(list), 2);
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(list, 0), "action")),
	                    "不变");
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(list, 1), "action")),
	                    "有错误");
	assert_int_equal(
	    json_integer_value(json_object_get(json_array_get(list, 1), "row")),
	    3);
	/* the ID numbers come back masked */
	assert_null(strstr(r.body, "110101199001011231"));
	assert_non_null(strstr(r.body, "110***********1231"));
	json_decref(j);
	http_resp_release(&r);
	/* a valid new member: 新增 in the preview, still nothing stored */
	snprintf(body, sizeof(body), "%s110101199001011237,新党员,U001-B01\r\n",
	         import_csv);
	request("POST", "/api/v1/import/members?dry_run=1",
	        who[ROLE_SECRETARY].cookie, who[ROLE_SECRETARY].csrf, body, &r);
	assert_int_equal(r.status, 200);
	j = json_loads(r.body, 0, NULL);
	assert_int_equal(json_integer_value(json_object_get(j, "inserted")), 1);
	list = json_object_get(json_object_get(j, "preview"), "rows");
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(list, 1), "action")),
	                    "新增");
	json_decref(j);
	http_resp_release(&r);
	after = q("SELECT count(*) + 1 FROM members");
	assert_int_equal(before, after);
	/* an organisation file previews the same way */
	request("POST", "/api/v1/import/orgs?dry_run=1",
	        who[ROLE_OFFICE].cookie, who[ROLE_OFFICE].csrf, orgs_csv, &r);
	assert_int_equal(r.status, 200);
	j = json_loads(r.body, 0, NULL);
	list = json_object_get(json_object_get(j, "preview"), "rows");
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(list, 0), "action")),
	                    "不变");
	assert_string_equal(
	    json_string_value(json_array_get(
	        json_object_get(json_array_get(list, 0), "cells"), 0)),
	    "U001-B02");
	json_decref(j);
	http_resp_release(&r);
	/* a real import with a bad row stores nothing and lists no
	 * preview */
	snprintf(body, sizeof(body), "%s%s", import_csv, bad);
	request("POST", "/api/v1/import/members", who[ROLE_SECRETARY].cookie,
	        who[ROLE_SECRETARY].csrf, body, &r);
	assert_int_equal(r.status, 400);
	assert_null(strstr(r.body, "\"preview\""));
	http_resp_release(&r);
	assert_int_equal(q("SELECT count(*) + 1 FROM members"), before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matrix),
		cmocka_unit_test(test_guess_ids),
		cmocka_unit_test(test_csrf),
		cmocka_unit_test(test_api_token),
		cmocka_unit_test(test_disabled_and_expired),
		cmocka_unit_test(test_login_answers),
		cmocka_unit_test(test_concurrent_logins),
		cmocka_unit_test(test_import_scope),
		cmocka_unit_test(test_member_filters),
		cmocka_unit_test(test_member_pages),
		cmocka_unit_test(test_import_preview),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
