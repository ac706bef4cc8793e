/*
 * peer_sqlite.c - the SQLite peer: the generated campaign written into a
 * database with xianjiao's own schema, and the question asked in SQL.
 *
 * Loading bypasses the store (no per-row checks, no audit log entries:
 * a benchmark needs the data, not its history) but writes every table
 * the store would, with the values the store would: organisations with
 * their closure table (org_tree, as store_org_insert fills it), members
 * as they stand after their movements, 领导班子 seats, the movements, and
 * the records with their JSON payloads. One transaction, prepared
 * statements. The two indexes on records are dropped for the load and
 * created again from their own DDL afterwards (as a bulk load would),
 * then ANALYZE.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xianjiao/alloc.h"
#include "xianjiao/core.h"
#include "xianjiao/date.h"
#include "xianjiao/store.h"

#include "bench.h"

#define CREATED "2005-01-05T00:00:00Z"

static int fail(sqlite3 *db, const char *what)
{
	fprintf(stderr, "engine_bench: SQLite %s: %s\n", what,
	        sqlite3_errmsg(db));
	return -1;
}

static int exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "engine_bench: SQLite: %s\n  in: %.200s\n",
		        msg ? msg : "?", sql);
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		fail(db, sql);
		return NULL;
	}
	return s;
}

static int step(sqlite3 *db, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? 0 : fail(db, "insert");
}

static void bind_date(sqlite3_stmt *s, int i, int32_t d)
{
	char buf[DATE_STR_LEN];

	if (d == 0) {
		sqlite3_bind_null(s, i);
		return;
	}
	date_format(d, buf);
	sqlite3_bind_text(s, i, buf, -1, SQLITE_TRANSIENT);
}

static void bind_id(sqlite3_stmt *s, int i, int64_t id)
{
	if (id == 0)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, id);
}

/* --- loading ------------------------------------------------------------ */

/* The DDL of the indexes on records, kept to create them again. */
#define SAVED_MAX 8

struct lite_load {
	sqlite3 *db;
	sqlite3_stmt *rec, *mv;
	char *index_sql[SAVED_MAX];
	int nindex;
	const char *path;
};

int sqlite_load_record(struct lite_load *L, const struct gen_rec *r)
{
	char payload[512], day[DATE_STR_LEN], at[TIMESTAMP_STR_LEN];
	int n = gen_payload_json(r, payload, sizeof(payload));

	if (n < 0)
		return fail(L->db, "payload too long");
	date_format(r->happened, day);
	timestamp_format((time_t)r->entered * 86400 + r->entered_sec, at);
	sqlite3_bind_int64(L->rec, 1, r->id);
	sqlite3_bind_text(L->rec, 2, gen_kinds[r->kind].id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(L->rec, 3, r->org);
	bind_id(L->rec, 4, r->member);
	sqlite3_bind_text(L->rec, 5, day, -1, SQLITE_STATIC);
	sqlite3_bind_text(L->rec, 6, at, -1, SQLITE_STATIC);
	bind_id(L->rec, 7, r->supersedes);
	sqlite3_bind_text(L->rec, 8, payload, n, SQLITE_STATIC);
	return step(L->db, L->rec);
}

int sqlite_load_movement(struct lite_load *L, const struct gen_move *mv)
{
	char at[TIMESTAMP_STR_LEN];

	timestamp_format((time_t)mv->on * 86400 + 3600 * 2, at);
	sqlite3_bind_int64(L->mv, 1, mv->member);
	sqlite3_bind_int(L->mv, 2, mv->kind);
	bind_date(L->mv, 3, mv->on);
	bind_id(L->mv, 4, mv->from_org);
	bind_id(L->mv, 5, mv->to_org);
	sqlite3_bind_text(L->mv, 6, at, -1, SQLITE_STATIC);
	return step(L->db, L->mv);
}

static int load_structure(sqlite3 *db, const struct gen *g)
{
	static const char *const seat[] = { NULL, "书记", "副书记", "委员" };
	sqlite3_stmt *s;
	char name[256], code[32], idn[19];
	int32_t i, p;
	int d, rc = 0;

	if (exec(db, "INSERT INTO campaigns (id, name, start_date, end_date,"
	             " created_at) VALUES (1, '保持共产党员先进性教育活动',"
	             " '2005-01-10', '2005-12-31', '" CREATED "');"
	             "INSERT INTO batches (id, campaign_id, ordinal, name,"
	             " start_date, end_date) VALUES (1, 1, 1, '第一批',"
	             " '2005-01-10', '2005-06-10'), (2, 1, 2, '第二批',"
	             " '2005-07-01', '2005-12-31');"))
		return -1;
	s = prep(db, "INSERT INTO systems (id, campaign_id, name)"
	             " VALUES (?1, 1, ?2)");
	for (i = 1; s && !rc && i <= g->nsystems; i++) {
		sqlite3_bind_int(s, 1, i);
		sqlite3_bind_text(s, 2, gen_system_name(i, name, sizeof(name)),
		                  -1, SQLITE_STATIC);
		rc = step(db, s);
	}
	sqlite3_finalize(s);
	s = prep(db, "INSERT INTO orgs (id, parent_id, type, name, code,"
	             " system_id, batch_id, is_unit, weak, depth, created_at,"
	             " secretary_member_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	             " ?7, ?8, 0, ?9, '" CREATED "', ?10)");
	for (i = 1; s && !rc && i <= g->norgs; i++) {
		const struct gen_org *o = &g->orgs[i];

		gen_org_name(g, i, name, sizeof(name));
		gen_org_code(g, i, code, sizeof(code));
		sqlite3_bind_int(s, 1, i);
		bind_id(s, 2, o->parent);
		sqlite3_bind_int(s, 3, o->type);
		sqlite3_bind_text(s, 4, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, code, -1, SQLITE_STATIC);
		bind_id(s, 6, o->is_unit ? o->system : 0);
		bind_id(s, 7, o->is_unit ? 1 : 0);
		sqlite3_bind_int(s, 8, o->is_unit);
		sqlite3_bind_int(s, 9, o->depth);
		bind_id(s, 10, o->type == ORG_BRANCH ? o->first_member : 0);
		rc = step(db, s);
	}
	sqlite3_finalize(s);
	/* The closure table, as store_org_insert fills it. */
	s = prep(db, "INSERT INTO org_tree (ancestor, descendant, distance)"
	             " VALUES (?1, ?2, ?3)");
	for (i = 1; s && !rc && i <= g->norgs; i++)
		for (p = i, d = 0; p != 0 && !rc; p = g->orgs[p].parent, d++) {
			sqlite3_bind_int(s, 1, p);
			sqlite3_bind_int(s, 2, i);
			sqlite3_bind_int(s, 3, d);
			rc = step(db, s);
		}
	sqlite3_finalize(s);
	/* Members as they stand after their movements: the branch moved
	 * to, or, for 转出 and 去世, the branch they left with left_on. */
	s = prep(db, "INSERT INTO members (id, org_id, name, gender,"
	             " birth_date, id_number, joined_date, status,"
	             " categories, mobile_dest, absence_start, absence_months,"
	             " created_at, post, contact_arrangement, left_on)"
	             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, ?8, ?9, ?10,"
	             " ?11, '" CREATED "', ?12, ?13, ?14)");
	for (i = 1; s && !rc && i <= g->nmembers; i++) {
		const struct gen_member *m = &g->members[i];
		int mobile = (m->categories & MCAT_BIT(MCAT_MOBILE)) != 0;

		gen_member_name(g, i, name, sizeof(name));
		gen_member_idnum(g, i, idn);
		sqlite3_bind_int(s, 1, i);
		sqlite3_bind_int(s, 2, m->final_branch);
		sqlite3_bind_text(s, 3, name, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 4, m->female ? GENDER_FEMALE : GENDER_MALE);
		bind_date(s, 5, m->birth);
		sqlite3_bind_text(s, 6, idn, 18, SQLITE_STATIC);
		bind_date(s, 7, m->joined);
		sqlite3_bind_int(s, 8, m->categories);
		if (mobile) {
			sqlite3_bind_text(s, 9, "广东省深圳市", -1,
			                  SQLITE_STATIC);
			bind_date(s, 10,
			          date_from_ymd(2005, 1, 1) -
			              30 * (m->absence_months / 2));
			sqlite3_bind_int(s, 11, m->absence_months);
			sqlite3_bind_text(s, 13, "每月电话联系", -1,
			                  SQLITE_STATIC);
		}
		if (g->orgs[m->branch].first_member == i)
			sqlite3_bind_text(s, 12, "支部书记", -1, SQLITE_STATIC);
		bind_date(s, 14, m->left_on);
		rc = step(db, s);
	}
	sqlite3_finalize(s);
	s = prep(db, "INSERT INTO body_seats (body_id, member_id, title)"
	             " VALUES (?1, ?2, ?3)");
	for (i = 0; s && !rc && i < g->nunits; i++) {
		const struct gen_unit *u = &g->units[i];
		int32_t m;

		for (m = u->first_member;
		     !rc && m < u->first_member + u->nmembers; m++) {
			if (g->members[m].seat == 0)
				continue;
			sqlite3_bind_int(s, 1, u->body);
			sqlite3_bind_int(s, 2, m);
			sqlite3_bind_text(s, 3, seat[g->members[m].seat], -1,
			                  SQLITE_STATIC);
			rc = step(db, s);
		}
	}
	sqlite3_finalize(s);
	return rc;
}

/* Drop the indexes on records, keeping their DDL. */
static int drop_record_indexes(struct lite_load *L)
{
	sqlite3_stmt *s = prep(L->db, "SELECT name, sql FROM sqlite_master"
	                              " WHERE type = 'index' AND tbl_name ="
	                              " 'records' AND sql IS NOT NULL");
	char *names[SAVED_MAX], drop[256];
	int i, rc = 0;

	if (s == NULL)
		return -1;
	while (sqlite3_step(s) == SQLITE_ROW && L->nindex < SAVED_MAX) {
		names[L->nindex] =
		    xstrdup((const char *)sqlite3_column_text(s, 0));
		L->index_sql[L->nindex++] =
		    xstrdup((const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	for (i = 0; i < L->nindex; i++) {
		snprintf(drop, sizeof(drop), "DROP INDEX \"%s\"", names[i]);
		if (rc == 0)
			rc = exec(L->db, drop);
		free(names[i]);
	}
	return rc;
}

static void lite_free(struct lite_load *L)
{
	int i;

	sqlite3_finalize(L->rec);
	sqlite3_finalize(L->mv);
	sqlite3_close(L->db);
	for (i = 0; i < L->nindex; i++)
		free(L->index_sql[i]);
	free(L);
}

struct lite_load *sqlite_load_begin(const char *path, const struct gen *g)
{
	struct lite_load *L = xcalloc(1, sizeof(*L));

	L->path = path;
	if (sqlite3_open_v2(path, &L->db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		fail(L->db, path);
		goto bad;
	}
	/* A bulk load: no fsync, a rollback journal (a WAL would hold
	 * the whole load a second time), a 1 GiB page cache. */
	if (exec(L->db, "PRAGMA journal_mode = DELETE; PRAGMA synchronous ="
	                " OFF; PRAGMA cache_size = -1048576;") ||
	    drop_record_indexes(L) || exec(L->db, "BEGIN") ||
	    load_structure(L->db, g))
		goto bad;
	L->rec = prep(L->db, "INSERT INTO records (id, campaign_id, kind,"
	                     " org_id, member_id, happened_on, entered_at,"
	                     " supersedes, payload) VALUES (?1, 1, ?2, ?3,"
	                     " ?4, ?5, ?6, ?7, ?8)");
	L->mv = prep(L->db, "INSERT INTO movements (member_id, kind, on_date,"
	                    " from_org_id, to_org_id, entered_at)"
	                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (L->rec == NULL || L->mv == NULL)
		goto bad;
	return L;
bad:
	lite_free(L);
	return NULL;
}

int sqlite_load_commit(struct lite_load *L)
{
	return exec(L->db, "COMMIT");
}

int sqlite_load_end(struct lite_load *L, struct peer_times *t)
{
	struct stat sb;
	double t0;
	int rc = -1, i;

	t0 = now_sec();
	for (i = 0; i < L->nindex; i++)
		if (exec(L->db, L->index_sql[i]))
			goto out;
	if (exec(L->db, "ANALYZE; PRAGMA journal_mode = WAL;"))
		goto out;
	t->index = now_sec() - t0;
	if (stat(L->path, &sb) == 0)
		t->db_bytes = (int64_t)sb.st_size;
	rc = 0;
out:
	lite_free(L);
	return rc;
}

/* --- the question ------------------------------------------------------- */

/* Run every statement of sql; rows of 6 columns are the answer's. */
static int run_script(sqlite3 *db, const char *sql, struct answer *a)
{
	const char *tail = sql;
	sqlite3_stmt *s;
	int rc;

	while (*tail) {
		if (sqlite3_prepare_v2(db, tail, -1, &s, &tail) != SQLITE_OK)
			return fail(db, "question");
		if (s == NULL)
			break;
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			const char *tag;

			if (sqlite3_column_count(s) != 6)
				continue;
			tag = (const char *)sqlite3_column_text(s, 0);
			if (answer_take_row(
			        a, tag ? tag[0] : '?',
			        sqlite3_column_int64(s, 1),
			        (const char *)sqlite3_column_text(s, 2),
			        sqlite3_column_int64(s, 3),
			        sqlite3_column_int64(s, 4),
			        sqlite3_column_int64(s, 5)) != 0) {
				fprintf(stderr,
				        "engine_bench: SQLite: unexpected row "
				        "%s %lld %s\n",
				        tag ? tag : "?",
				        (long long)sqlite3_column_int64(s, 1),
				        sqlite3_column_text(s, 2));
				sqlite3_finalize(s);
				return -1;
			}
		}
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return fail(db, "question");
	}
	return 0;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int sqlite_question(const char *path, const char *sql_dir, struct answer *a,
                    struct peer_times *t)
{
	sqlite3 *db = NULL;
	char *sql = read_text(sql_dir, "sqlite-question.sql");
	double times[100];
	int i, rc = -1;

	if (sql == NULL)
		return -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		fail(db, path);
		goto out;
	}
	/* The store's settings, with a 1 GiB page cache. */
	if (exec(db, "PRAGMA cache_size = -1048576;"))
		goto out;
	for (i = 0; i < t->repeat; i++) {
		double t0 = now_sec();

		answer_clear(a);
		if (run_script(db, sql, a) != 0)
			goto out;
		times[i] = now_sec() - t0;
		fprintf(stderr, "engine_bench: SQLite question: %.3f s\n",
		        times[i]);
	}
	qsort(times, (size_t)t->repeat, sizeof(times[0]), cmp_dbl);
	t->best = times[0];
	t->median = times[t->repeat / 2];
	rc = 0;
out:
	sqlite3_close(db);
	free(sql);
	return rc;
}
