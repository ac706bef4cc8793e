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
/* Take one row of a SQL peer's result (bench/sql/sqlite-question.sql):
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
	double load;   /* writing the generated data (both peers at once) */
	double index;  /* creating the indexes, ANALYZE */
	double best;   /* the question: best of repeat */
	double median; /* and the median */
	int repeat;
	int64_t db_bytes; /* size of the database */
};

/*
 * Loading: begin (the organisations and members go in at once), then
 * every record and movement of one gen_run(), then end. Both peers can be
 * filled from the same pass of the generator: PostgreSQL parses its COPY
 * in its own process while SQLite inserts in this one.
 */
struct lite_load;
struct pg_load;

/* The SQLite database at path, made by `xianjiao init`, filled with the
 * campaign g, bypassing the store's audit log. */
struct lite_load *sqlite_load_begin(const char *path, const struct gen *g);
int sqlite_load_record(struct lite_load *L, const struct gen_rec *r);
int sqlite_load_movement(struct lite_load *L, const struct gen_move *mv);
int sqlite_load_commit(struct lite_load *L);
/* The indexes and ANALYZE (t->index); frees L. */
int sqlite_load_end(struct lite_load *L, struct peer_times *t);

/* PostgreSQL; conninfo "" takes PGHOST etc. from the environment
 * (bench/pg.sh sets them). */
struct pg_load *pg_load_begin(const char *conninfo, const char *sql_dir,
                              const struct gen *g);
int pg_load_record(struct pg_load *P, const struct gen_rec *r);
int pg_load_movement(struct pg_load *P, const struct gen_move *mv);
/* End the COPY and commit. */
int pg_load_commit(struct pg_load *P);
/* Send the indexes and ANALYZE without waiting; finish waits for them
 * (t->index: from start to finish) and frees P. */
int pg_index_start(struct pg_load *P);
int pg_index_finish(struct pg_load *P, struct peer_times *t);

/* The question (bench/sql/sqlite-question.sql, pg-question.sql), asked
 * t->repeat times. */
int sqlite_question(const char *path, const char *sql_dir, struct answer *a,
                    struct peer_times *t);
int pg_question(const char *conninfo, const char *sql_dir, struct answer *a,
                struct peer_times *t);

/* Read a whole file (malloc'd, NUL-terminated); NULL with a message on
 * stderr if it cannot. */
char *read_text(const char *dir, const char *name);

#endif
