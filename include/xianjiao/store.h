/*
 * store.h - the storage interface. The store is the source of truth;
 * everything else (the engine, reports) is rebuilt from it.
 *
 * One interface, one enum of statements (src/store/stmt.h) shared by every
 * backend; SQLite is the embedded default. Opening a database applies the
 * forward-only migrations it lacks in one transaction; a database whose
 * schema is newer than this program is refused (XJ_ESCHEMA).
 *
 * A struct store is used by one thread at a time; callers that share one
 * between threads serialise access (the HTTP server holds a mutex).
 *
 * Writes happen inside store_begin()/store_commit(); any failing call
 * leaves the transaction to be rolled back by the caller with
 * store_rollback(), which undoes every write since store_begin().
 */
#ifndef XJ_STORE_H
#define XJ_STORE_H

#include <stdint.h>

#include "xianjiao/core.h"
#include "xianjiao/error.h"

struct store;

enum store_open_flags {
	STORE_CREATE = 1 << 0, /* create the database if it does not exist */
	STORE_EXCL = 1 << 1,   /* with STORE_CREATE: fail if it exists */
};

/* Open (and migrate) the database at path. *out is owned by the caller
 * and closed with store_close(). */
enum xj_err store_open(const char *path, int flags, struct store **out,
                       struct xj_error *err);
void store_close(struct store *st);

/* The schema version of the open database, and the newest one this
 * program knows. */
int store_schema_version(const struct store *st);
int store_schema_latest(void);

enum xj_err store_begin(struct store *st, struct xj_error *err);
enum xj_err store_commit(struct store *st, struct xj_error *err);
void store_rollback(struct store *st);

/* --- campaigns, batches, 系统 ------------------------------------- */

struct campaign {
	int64_t id;
	const char *name;
	int32_t start_date;
	int32_t end_date;
};

struct batch {
	int64_t id;
	int64_t campaign_id;
	int ordinal; /* 1, 2, 3: 第一批 ... */
	const char *name;
	int32_t start_date;
	int32_t end_date;
};

struct xj_system {
	int64_t id;
	int64_t campaign_id;
	const char *name;
};

enum xj_err store_campaign_insert(struct store *st, const struct campaign *c,
                                  int64_t *id, struct xj_error *err);
enum xj_err store_batch_insert(struct store *st, const struct batch *b,
                               int64_t *id, struct xj_error *err);
enum xj_err store_system_insert(struct store *st, const struct xj_system *s,
                                int64_t *id, struct xj_error *err);

/* --- organisations and members ------------------------------------ */

/*
 * Insert an organisation under o->parent_id (0 for a root). Its ancestry
 * is recorded (a closure table) so subtree queries are one indexed query.
 * Refused: unknown parent, a tree deeper than ORG_DEPTH_MAX, a duplicate
 * code.
 */
enum xj_err store_org_insert(struct store *st, const struct org *o, int64_t *id,
                             struct xj_error *err);
enum xj_err store_member_insert(struct store *st, const struct member *m,
                                int64_t *id, struct xj_error *err);
/* Seat a member in a 领导班子 (a body of type ORG_LEADERSHIP). */
enum xj_err store_body_seat(struct store *st, int64_t body_org_id,
                            int64_t member_id, const char *title,
                            struct xj_error *err);

/* --- records ------------------------------------------------------ */

/*
 * Append a record. When r->supersedes is set, the record it names must
 * exist, be of the same kind and not already be superseded: a correction
 * supersedes exactly one record, never overwrites it. Records cannot be
 * updated or deleted (the database refuses).
 */
enum xj_err store_record_append(struct store *st, const struct record *r,
                                int64_t *id, struct xj_error *err);

/* --- counts (for health, demo and tests) -------------------------- */

enum store_count {
	COUNT_ORGS,
	COUNT_UNITS,
	COUNT_MEMBERS,
	COUNT_SYSTEMS,
	COUNT_RECORDS,
	COUNT_CURRENT_RECORDS, /* records not superseded */
	COUNT__MAX
};

enum xj_err store_count(struct store *st, enum store_count what, int64_t *n,
                        struct xj_error *err);
/* Members whose branch lies in the subtree rooted at org_id. */
enum xj_err store_subtree_members(struct store *st, int64_t org_id, int64_t *n,
                                  struct xj_error *err);
/* Members in category c (enum member_category). */
enum xj_err store_category_members(struct store *st, int c, int64_t *n,
                                   struct xj_error *err);

#endif
