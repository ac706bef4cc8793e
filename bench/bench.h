/*
 * bench.h - what engine_bench.c and its SQL peers share: the answer to the
 * benchmark's question, and clocks.
 *
 * The question, asked of the engine and of each SQL peer over the same
 * data: for every unit, which gating requirements of stage learn does it
 * fail; and per 系统, for each of those requirements, how many subjects
 * count, pass and are exempt (eng_system_count), with how many of its
 * units pass every gate.
 */
#ifndef XJ_BENCH_H
#define XJ_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "xianjiao/plan.h"

#include "gen.h"

struct answer {
	const struct plan *p;
	int nreq;
	int req[PLAN_REQS_MAX]; /* plan indices of the gates, in plan order */
	int64_t nunits;
	int32_t *unit;     /* unit org ids, ascending */
	int32_t *unit_sys; /* 系统 of each */
	uint8_t *fail;     /* [u * nreq + r]: 1 if unit u fails gate r */
	int64_t nsys;      /* 系统 ids are 1..nsys */
	int64_t *cnt;      /* [(s * nreq + r) * 3]: counted, passed, exempt */
	int64_t *units;    /* [s]: units of 系统 s */
	int64_t *allpass;  /* [s]: of them, passing every gate */
};

/* Shape an empty answer like model (same plan, gates, units, 系统). */
void answer_like(struct answer *a, const struct answer *model);
void answer_release(struct answer *a);
/* Forget every result (before a peer answers again). */
void answer_clear(struct answer *a);
/* Take one row of a SQL peer's result (bench/sql/README in README.md):
 * tag 'F' (id: unit, req: failing gate), 'S' (id: 系统, req, c/p/x:
 * counted/passed/exempt) or 'A' (id: 系统, c: units, p: passing all).
 * Returns 0, or -1 for a row that names nothing known. */
int answer_take_row(struct answer *a, char tag, int64_t id, const char *req,
                    int64_t c, int64_t p, int64_t x);
/* Number of differences between two answers; the first few are printed
 * to stderr as "MISMATCH <who>: ...". */
int64_t answer_diff(const struct answer *want, const struct answer *got,
                    const char *who);

double now_sec(void);

/* SQL peers (peer_sqlite.c, peer_pg.c). Times in seconds. */
struct peer_times {
	double load;   /* inserting / COPY of the generated data */
	double index;  /* creating the indexes, ANALYZE */
	double best;   /* the question: best of repeat */
	double median; /* and the median */
	int repeat;
	int64_t db_bytes; /* size of the database */
};

/* Fill the SQLite database at path (made by `xianjiao init`) with the
 * campaign g, bypassing the store's audit log. */
int sqlite_load(const char *path, struct gen *g, struct peer_times *t);
/* Ask the question of it (bench/sql/sqlite-question.sql). */
int sqlite_question(const char *path, const char *sql_dir, struct answer *a,
                    struct peer_times *t);

/* The same for PostgreSQL; conninfo "" takes PGHOST etc. from the
 * environment (bench/pg.sh sets them). */
int pg_load(const char *conninfo, const char *sql_dir, struct gen *g,
            struct peer_times *t);
int pg_question(const char *conninfo, const char *sql_dir, struct answer *a,
                struct peer_times *t);

/* Read a whole file (malloc'd, NUL-terminated); NULL with a message on
 * stderr if it cannot. */
char *read_text(const char *dir, const char *name);

#endif
