/*
 * peer_pg.c - the PostgreSQL peer: the same generated campaign loaded
 * with COPY into tables equivalent to xianjiao's SQLite schema
 * (bench/sql/pg-schema.sql; payloads as jsonb, dates as date), the same
 * indexes created afterwards (bench/sql/pg-indexes.sql) with ANALYZE,
 * and the question asked in SQL (bench/sql/pg-question.sql).
 *
 * The tables are created and filled in one transaction, so with
 * wal_level = minimal (bench/pg.sh) the COPY writes no WAL, as a bulk
 * load would be set up.
 */
#include <libpq-fe.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xianjiao/alloc.h"
#include "xianjiao/core.h"
#include "xianjiao/date.h"

#include "bench.h"

static PGconn *pg_connect(const char *conninfo)
{
	PGconn *c = PQconnectdb(conninfo);

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "engine_bench: PostgreSQL: %s",
		        PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	return c;
}

/* Run sql (one or more statements); the last result is returned in *out
 * when out is given, else cleared. */
static int pexec(PGconn *c, const char *sql, PGresult **out)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
	    st != PGRES_COPY_IN) {
		fprintf(stderr, "engine_bench: PostgreSQL: %s  in: %.200s\n",
		        PQresultErrorMessage(r), sql);
		PQclear(r);
		return -1;
	}
	if (out)
		*out = r;
	else
		PQclear(r);
	return 0;
}

/* --- COPY ----------------------------------------------------------------- */

struct copy {
	PGconn *c;
	char *buf;
	size_t len, cap;
	int failed;
};

static void copy_flush(struct copy *cp)
{
	if (cp->len == 0 || cp->failed)
		return;
	if (PQputCopyData(cp->c, cp->buf, (int)cp->len) != 1) {
		fprintf(stderr, "engine_bench: COPY: %s",
		        PQerrorMessage(cp->c));
		cp->failed = 1;
	}
	cp->len = 0;
}

static void copy_addf(struct copy *cp, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Append one formatted piece of a row; the texts the generator writes
 * hold no tab, newline or backslash, so they need no escaping. */
static void copy_addf(struct copy *cp, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (cp->cap - cp->len < 4096) {
		copy_flush(cp);
		if (cp->cap < 1 << 20) {
			cp->cap = 1 << 20;
			cp->buf = xreallocarray(cp->buf, cp->cap, 1);
		}
	}
	va_start(ap, fmt);
	n = vsnprintf(cp->buf + cp->len, cp->cap - cp->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= cp->cap - cp->len) {
		cp->failed = 1;
		return;
	}
	cp->len += (size_t)n;
}

static void copy_id(struct copy *cp, int64_t id, const char *sep)
{
	if (id == 0)
		copy_addf(cp, "\\N%s", sep);
	else
		copy_addf(cp, "%lld%s", (long long)id, sep);
}

static void copy_date(struct copy *cp, int32_t d, const char *sep)
{
	char buf[DATE_STR_LEN];

	if (d == 0) {
		copy_addf(cp, "\\N%s", sep);
		return;
	}
	date_format(d, buf);
	copy_addf(cp, "%s%s", buf, sep);
}

static int copy_begin(struct copy *cp, const char *sql)
{
	cp->len = 0;
	cp->failed = 0;
	return pexec(cp->c, sql, NULL);
}

static int copy_end(struct copy *cp)
{
	PGresult *r;
	int rc = 0;

	copy_flush(cp);
	if (PQputCopyEnd(cp->c, cp->failed ? "engine_bench failed" : NULL) != 1)
		cp->failed = 1;
	while ((r = PQgetResult(cp->c)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			fprintf(stderr, "engine_bench: COPY: %s",
			        PQresultErrorMessage(r));
			rc = -1;
		}
		PQclear(r);
	}
	return cp->failed ? -1 : rc;
}

/* Records stream straight into COPY; movements (few) are kept for a
 * COPY of their own afterwards. */
struct pg_load {
	struct copy cp;
	char *indexes;
	struct gen_move *mv;
	size_t nmv, capmv;
	double index_start, index_end;
	pthread_t waiter;
	int have_waiter, index_rc;
};

int pg_load_record(struct pg_load *P, const struct gen_rec *r)
{
	struct copy *cp = &P->cp;
	char payload[512], at[TIMESTAMP_STR_LEN];

	if (gen_payload_json(r, payload, sizeof(payload)) < 0)
		return 1;
	timestamp_format((time_t)r->entered * 86400 + r->entered_sec, at);
	copy_addf(cp, "%lld\t1\t%s\t%d\t", (long long)r->id,
	          gen_kinds[r->kind].id, (int)r->org);
	copy_id(cp, r->member, "\t");
	copy_date(cp, r->happened, "\t");
	copy_addf(cp, "%s\t", at);
	copy_id(cp, r->supersedes, "\t");
	copy_addf(cp, "%s\n", payload);
	return cp->failed;
}

int pg_load_movement(struct pg_load *P, const struct gen_move *mv)
{
	if (P->nmv == P->capmv) {
		P->capmv = P->capmv ? P->capmv * 2 : 1024;
		P->mv = xreallocarray(P->mv, P->capmv, sizeof(*P->mv));
	}
	P->mv[P->nmv++] = *mv;
	return 0;
}

static int copy_structure(struct copy *cp, const struct gen *g)
{
	static const char *const seat[] = { NULL, "书记", "副书记", "委员" };
	char name[256], code[32], idn[19];
	int32_t i, p;
	int d, rc;

	if (pexec(
	        cp->c,
	        "INSERT INTO campaigns VALUES (1, '保持共产党员先进性教育活动',"
	        " '2005-01-10', '2005-12-31', '2005-01-05T00:00:00Z');"
	        "INSERT INTO batches VALUES (1, 1, 1, '第一批', '2005-01-10',"
	        " '2005-06-10'), (2, 1, 2, '第二批', '2005-07-01',"
	        " '2005-12-31');",
	        NULL))
		return -1;
	rc = copy_begin(cp, "COPY systems FROM STDIN");
	for (i = 1; !rc && i <= g->nsystems; i++)
		copy_addf(cp, "%d\t1\t%s\n", (int)i,
		          gen_system_name(i, name, sizeof(name)));
	if (rc || copy_end(cp))
		return -1;
	rc = copy_begin(cp, "COPY orgs FROM STDIN");
	for (i = 1; !rc && i <= g->norgs; i++) {
		const struct gen_org *o = &g->orgs[i];

		gen_org_name(g, i, name, sizeof(name));
		gen_org_code(g, i, code, sizeof(code));
		copy_addf(cp, "%d\t", (int)i);
		copy_id(cp, o->parent, "\t");
		copy_addf(cp, "%d\t%s\t%s\t", o->type, name, code);
		copy_id(cp, o->is_unit ? o->system : 0, "\t");
		copy_id(cp, o->is_unit ? 1 : 0, "\t");
		copy_addf(cp, "%d\t0\t%d\t2005-01-05T00:00:00Z\t", o->is_unit,
		          o->depth);
		copy_id(cp, o->type == ORG_BRANCH ? o->first_member : 0, "\n");
	}
	if (rc || copy_end(cp))
		return -1;
	rc = copy_begin(cp, "COPY org_tree FROM STDIN");
	for (i = 1; !rc && i <= g->norgs; i++)
		for (p = i, d = 0; p != 0; p = g->orgs[p].parent, d++)
			copy_addf(cp, "%d\t%d\t%d\n", (int)p, (int)i, d);
	if (rc || copy_end(cp))
		return -1;
	rc = copy_begin(cp, "COPY members FROM STDIN");
	for (i = 1; !rc && i <= g->nmembers; i++) {
		const struct gen_member *m = &g->members[i];
		int mobile = (m->categories & MCAT_BIT(MCAT_MOBILE)) != 0;

		gen_member_name(g, i, name, sizeof(name));
		gen_member_idnum(g, i, idn);
		copy_addf(cp, "%d\t%d\t%s\t%d\t", (int)i, (int)m->final_branch,
		          name, m->female ? GENDER_FEMALE : GENDER_MALE);
		copy_date(cp, m->birth, "\t");
		copy_addf(cp, "%s\t\\N\t", idn);
		copy_date(cp, m->joined, "\t");
		copy_addf(cp, "0\t%u\t", (unsigned)m->categories);
		if (mobile) {
			copy_addf(cp, "广东省深圳市\t");
			copy_date(cp,
			          date_from_ymd(2005, 1, 1) -
			              30 * (m->absence_months / 2),
			          "\t");
			copy_addf(cp, "%d\t", m->absence_months);
		} else {
			copy_addf(cp, "\\N\t\\N\t\\N\t");
		}
		copy_addf(cp, "2005-01-05T00:00:00Z\t%s\t%s\t",
		          g->orgs[m->branch].first_member == i ? "支部书记"
		                                               : "\\N",
		          mobile ? "每月电话联系" : "\\N");
		copy_date(cp, m->left_on, "\n");
	}
	if (rc || copy_end(cp))
		return -1;
	rc = copy_begin(cp, "COPY body_seats FROM STDIN");
	for (i = 0; !rc && i < g->nunits; i++) {
		const struct gen_unit *u = &g->units[i];
		int32_t m;

		for (m = u->first_member; m < u->first_member + u->nmembers;
		     m++)
			if (g->members[m].seat)
				copy_addf(cp, "%d\t%d\t%s\n", (int)u->body,
				          (int)m, seat[g->members[m].seat]);
	}
	if (rc || copy_end(cp))
		return -1;
	return 0;
}

static int64_t db_size(PGconn *c)
{
	PGresult *r;
	int64_t n = 0;

	if (pexec(c, "SELECT pg_database_size(current_database())", &r))
		return 0;
	if (PQntuples(r) == 1)
		n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return n;
}

static void pg_free(struct pg_load *P)
{
	PQfinish(P->cp.c);
	free(P->cp.buf);
	free(P->indexes);
	free(P->mv);
	free(P);
}

struct pg_load *pg_load_begin(const char *conninfo, const char *sql_dir,
                              const struct gen *g)
{
	struct pg_load *P = xcalloc(1, sizeof(*P));
	char *schema = read_text(sql_dir, "pg-schema.sql");

	P->indexes = read_text(sql_dir, "pg-indexes.sql");
	P->cp.c = pg_connect(conninfo);
	if (P->cp.c == NULL || schema == NULL || P->indexes == NULL ||
	    pexec(P->cp.c, "SET client_min_messages = warning; BEGIN", NULL) ||
	    pexec(P->cp.c, schema, NULL) || copy_structure(&P->cp, g) ||
	    copy_begin(&P->cp, "COPY records (id, campaign_id, kind, org_id,"
	                       " member_id, happened_on, entered_at,"
	                       " supersedes, payload) FROM STDIN")) {
		free(schema);
		pg_free(P);
		return NULL;
	}
	free(schema);
	return P;
}

int pg_load_commit(struct pg_load *P)
{
	struct copy *cp = &P->cp;
	size_t i;

	if (copy_end(cp) ||
	    copy_begin(cp, "COPY movements (member_id, kind, on_date,"
	                   " from_org_id, to_org_id, entered_at) FROM STDIN"))
		return -1;
	for (i = 0; i < P->nmv; i++) {
		const struct gen_move *mv = &P->mv[i];

		copy_addf(cp, "%d\t%d\t", (int)mv->member, mv->kind);
		copy_date(cp, mv->on, "\t");
		copy_id(cp, mv->from_org, "\t");
		copy_id(cp, mv->to_org, "\t");
		copy_date(cp, mv->on, "T02:00:00Z\n");
	}
	return copy_end(cp) || pexec(cp->c, "COMMIT", NULL) ? -1 : 0;
}

/* A thread waits for the indexes, so their own time is known while this
 * thread builds SQLite's. */
static void *index_wait(void *arg)
{
	struct pg_load *P = arg;
	PGresult *r;

	while ((r = PQgetResult(P->cp.c)) != NULL) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			fprintf(stderr, "engine_bench: PostgreSQL: %s",
			        PQresultErrorMessage(r));
			P->index_rc = -1;
		}
		PQclear(r);
	}
	P->index_end = now_sec();
	return NULL;
}

int pg_index_start(struct pg_load *P)
{
	P->index_start = now_sec();
	if (PQsendQuery(P->cp.c, P->indexes) != 1) {
		fprintf(stderr, "engine_bench: PostgreSQL: %s",
		        PQerrorMessage(P->cp.c));
		return -1;
	}
	if (pthread_create(&P->waiter, NULL, index_wait, P) != 0) {
		fprintf(stderr, "engine_bench: pthread_create failed\n");
		index_wait(P);
		return P->index_rc;
	}
	P->have_waiter = 1;
	return 0;
}

int pg_index_finish(struct pg_load *P, struct peer_times *t)
{
	int rc;

	if (P->have_waiter)
		pthread_join(P->waiter, NULL);
	rc = P->index_rc;
	t->index = P->index_end - P->index_start;
	if (rc == 0)
		t->db_bytes = db_size(P->cp.c);
	pg_free(P);
	return rc;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int pg_question(const char *conninfo, const char *sql_dir, struct answer *a,
                struct peer_times *t)
{
	PGconn *c = pg_connect(conninfo);
	char *sql = read_text(sql_dir, "pg-question.sql");
	double times[100];
	PGresult *r = NULL;
	int i, n, rc = -1;

	if (c == NULL || sql == NULL)
		goto out;
	for (i = 0; i < t->repeat; i++) {
		double t0 = now_sec();
		int row;

		answer_clear(a);
		if (pexec(c, sql, &r))
			goto out;
		n = PQntuples(r);
		if (PQnfields(r) != 6)
			n = 0;
		for (row = 0; row < n; row++)
			if (answer_take_row(
			        a, PQgetvalue(r, row, 0)[0],
			        strtoll(PQgetvalue(r, row, 1), NULL, 10),
			        PQgetvalue(r, row, 2),
			        strtoll(PQgetvalue(r, row, 3), NULL, 10),
			        strtoll(PQgetvalue(r, row, 4), NULL, 10),
			        strtoll(PQgetvalue(r, row, 5), NULL, 10)) !=
			    0) {
				fprintf(stderr,
				        "engine_bench: PostgreSQL: unexpected "
				        "row %s %s %s\n",
				        PQgetvalue(r, row, 0),
				        PQgetvalue(r, row, 1),
				        PQgetvalue(r, row, 2));
				goto out;
			}
		PQclear(r);
		r = NULL;
		times[i] = now_sec() - t0;
		fprintf(stderr, "engine_bench: PostgreSQL question: %.3f s\n",
		        times[i]);
	}
	qsort(times, (size_t)t->repeat, sizeof(times[0]), cmp_dbl);
	t->best = times[0];
	t->median = times[t->repeat / 2];
	rc = 0;
out:
	PQclear(r);
	free(sql);
	PQfinish(c);
	return rc;
}
