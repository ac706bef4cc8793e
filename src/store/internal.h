/*
 * internal.h - what the store's source files share: the statement enum
 * (one table of SQL per backend, indexed by it), the connection struct and
 * the bound-parameter helpers. Nothing here is visible above the store.
 */
#ifndef XJ_STORE_INTERNAL_H
#define XJ_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdint.h>

#include "xianjiao/store.h"

/* Every statement the store runs. A backend supplies one SQL text per id;
 * no SQL is assembled at run time. */
enum stmt_id {
	STMT_BEGIN,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_SCHEMA_TABLE_EXISTS,
	STMT_SCHEMA_VERSION,
	STMT_SCHEMA_RECORD,
	STMT_CAMPAIGN_INSERT,
	STMT_BATCH_INSERT,
	STMT_SYSTEM_INSERT,
	STMT_ORG_DEPTH,
	STMT_ORG_TYPE,
	STMT_ORG_INSERT,
	STMT_ORG_TREE_SELF,
	STMT_ORG_TREE_ANCESTORS,
	STMT_MEMBER_INSERT,
	STMT_BODY_SEAT,
	STMT_RECORD_KIND,
	STMT_RECORD_SUPERSEDED_BY,
	STMT_RECORD_INSERT,
	STMT_COUNT_ORGS,
	STMT_COUNT_UNITS,
	STMT_COUNT_MEMBERS,
	STMT_COUNT_SYSTEMS,
	STMT_COUNT_RECORDS,
	STMT_COUNT_CURRENT_RECORDS,
	STMT_SUBTREE_MEMBERS,
	STMT_CATEGORY_MEMBERS,
	STMT__MAX
};

extern const char *const sqlite_sql[STMT__MAX];

struct migration {
	int version;
	const char *summary;
	const char *sql;
};

extern const struct migration sqlite_migrations[];
extern const int sqlite_migrations_count;

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[STMT__MAX]; /* prepared on first use */
	int version;
	int in_tx;
};

/* A bound parameter. */
enum sval_type { SV_NULL, SV_INT, SV_TEXT };
struct sval {
	enum sval_type t;
	int64_t i;
	const char *s;
};

#define SV_INT(x) ((struct sval){ .t = SV_INT, .i = (x) })
#define SV_TEXT(x) ((struct sval){ .t = (x) ? SV_TEXT : SV_NULL, .s = (x) })
/* Text known not to be NULL (e.g. an array). */
#define SV_STR(x) ((struct sval){ .t = SV_TEXT, .s = (x) })
/* An id where 0 means "none": bound as NULL. */
#define SV_ID(x) ((struct sval){ .t = (x) ? SV_INT : SV_NULL, .i = (x) })

/* Run a statement that returns no rows. */
enum xj_err st_exec(struct store *st, enum stmt_id id, const struct sval *p,
                    int n, struct xj_error *err);
/* Run a statement that returns at most one integer; *found tells whether
 * a row came back (found may be NULL when a row is certain). */
enum xj_err st_int(struct store *st, enum stmt_id id, const struct sval *p,
                   int n, int64_t *out, int *found, struct xj_error *err);
/* Same, for one text column copied into buf. */
enum xj_err st_text(struct store *st, enum stmt_id id, const struct sval *p,
                    int n, char *buf, size_t size, int *found,
                    struct xj_error *err);
int64_t st_last_id(struct store *st);

#endif
