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
	STMT_AUDIT_LAST,
	STMT_AUDIT_INSERT,
	STMT_AUDIT_SELECT,
	STMT_USER_INSERT,
	STMT_USER_BY_LOGIN,
	STMT_USER_BY_ID,
	STMT_USER_SET_DISABLED,
	STMT_USER_SET_PASSWORD,
	STMT_USERS_ALL,
	STMT_GRANT_INSERT,
	STMT_GRANT_FIND,
	STMT_GRANT_DELETE,
	STMT_GRANTS_OF,
	STMT_SESSION_INSERT,
	STMT_SESSION_LOOKUP,
	STMT_SESSION_TOUCH,
	STMT_SESSION_DELETE,
	STMT_TOKEN_INSERT,
	STMT_TOKEN_LOOKUP,
	STMT_TOKEN_REVOKE,
	STMT_SCOPE_ORG,
	STMT_SCOPE_MEMBER,
	STMT_ORG_BY_CODE,
	STMT_SYSTEM_BY_NAME,
	STMT_TOKENS_OF,
	STMT_ORG_GET,
	STMT_SUBTREE_MEMBER_LIST,
	STMT_SUBTREE_MEMBER_BY_IDNUM,
	STMT_MEMBER_MOVEMENT_LIST,
	STMT_MEMBER_GET,
	STMT_SCOPED_CHILDREN,
	STMT_SUBTREE_CATEGORY_COUNTS,
	STMT_MEMBER_BY_IDNUM,
	STMT_MEMBER_UPDATE,
	STMT_MEMBER_SET_LEFT,
	STMT_MOVEMENT_INSERT,
	STMT_ORG_SET_SECRETARY,
	STMT_ORG_UPDATE,
	STMT_SUBTREE_ORG_LIST,
	STMT_BATCH_BY_ORDINAL,
	STMT_SYSTEM_NAME,
	STMT_BATCH_ORDINAL,
	STMT_COVERAGE_NO_BRANCH,
	STMT_COVERAGE_LOST,
	STMT_COVERAGE_MOBILE_NO_CONTACT,
	STMT_COVERAGE_NO_SECRETARY,
	STMT_BRANCHES_BY_NAME,
	STMT_MEMBERS_ALL,
	STMT_ROOTS,
	STMT_ORG_SECRETARY,
	STMT_UNIT_BODY_OF,
	STMT_SEAT_UPSERT,
	STMT_SEAT_DELETE,
	STMT_SCAN_ORGS,
	STMT_SCAN_MEMBERS,
	STMT_SCAN_MOVEMENTS,
	STMT_SCAN_RECORDS,
	STMT_PLAN_INSERT,
	STMT_PLAN_CURRENT,
	STMT_RECORD_GET,
	STMT_RECORDS_LIST,
	STMT_MEMBER_DAY_HOURS,
	STMT_MEMBER_MOVES,
	STMT_MEMBER_ORG,
	STMT_CAMPAIGN_FIRST,
	STMT_AUDIT_LAST_ID,
	STMT_WF_UNITS,
	STMT_WF_UNIT_INSERT,
	STMT_WF_UNIT_UPDATE,
	STMT_WF_TRANSITION_INSERT,
	STMT_WF_HISTORY,
	STMT_WF_ANSWER_INSERT,
	STMT_WF_ANSWERS,
	STMT_WF_REMEDY_INSERT,
	STMT_WF_REMEDY_DONE,
	STMT_WF_REMEDY_STATE,
	STMT_WF_REMEDIES,
	STMT_WF_EXTENSION_INSERT,
	STMT_WF_STAGE_CHANGES,
	STMT_SPOT_INSERT,
	STMT_SPOT_UNIT_INSERT,
	STMT_SPOT_CHECKS,
	STMT_SPOT_UNITS,
	STMT_SPOT_DRAWN,
	STMT_SPOT_FINDING_INSERT,
	STMT_SPOT_FINDINGS,
	STMT_OPINION_INSERT,
	STMT_OPINION_STATE,
	STMT_OPINION_ACTION_INSERT,
	STMT_OPINION_VISIBLE,
	STMT_OPINIONS_LIST,
	STMT_OPINIONS_PUBLISHED,
	STMT_OPINION_STATS,
	STMT_MAX_IDS,
	STMT_SCAN_RECORDS_AFTER,
	STMT_SNAPSHOT_HEAD,
	STMT_SNAPSHOT_HEAD_DELETE,
	STMT_SNAPSHOT_HEAD_INSERT,
	STMT_SNAPSHOT_CHUNKS_DELETE,
	STMT_SNAPSHOT_CHUNK_INSERT,
	STMT_SNAPSHOT_CHUNKS,
	STMT_ORG_WITHIN,
	STMT_MATCH_COUNTS,
	STMT_REPORTS,
	STMT_REPORT_REVIEW_INSERT,
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
	int64_t actor; /* user id written to the audit log, 0: system */
	/* The audit log's last entry, known inside a write transaction
	 * (which holds the write lock, so nobody else appends): saves a
	 * query per write. Forgotten at every begin, commit and rollback. */
	int audit_known;
	int64_t audit_last_id;
	char audit_last_hash[65];
};

/* A bound parameter. */
enum sval_type { SV_NULL, SV_INT, SV_TEXT, SV_BLOB };
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
/* A blob of i bytes at s (not copied: it must live until the statement
 * runs). */
#define SV_BLOB(p, n) ((struct sval){ .t = SV_BLOB, .s = (p), .i = (n) })
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
/* Rows changed by the last write. */
int st_changes(struct store *st);

/* A result row, valid inside an st_each() callback. */
struct st_row;
int64_t st_row_int(const struct st_row *r, int col);
/* Text of a column, "" for NULL; valid until the callback returns. */
const char *st_row_text(const struct st_row *r, int col);
int st_row_is_null(const struct st_row *r, int col);
/* A blob column and its length; valid until the callback returns. */
const void *st_row_blob(const struct st_row *r, int col, size_t *len);

/* Run a query and call fn for each row; fn returns nonzero to stop. */
enum xj_err st_each(struct store *st, enum stmt_id id, const struct sval *p,
                    int n, int (*fn)(void *ctx, const struct st_row *r),
                    void *ctx, struct xj_error *err);

/* A date bound as "YYYY-MM-DD" text, or NULL for 0 ("unknown"); b holds
 * the text until the statement runs. */
struct st_datebuf {
	char s[11];
};
struct sval st_date(int32_t d, struct st_datebuf *b);

/* Run a query returning ORG / MEMBER_COLS rows and pass each as a row
 * struct to fn (read.c). */
enum xj_err st_org_each(struct store *st, enum stmt_id id, const struct sval *p,
                        int n, int (*fn)(void *ctx, const struct org_row *r),
                        void *ctx, struct xj_error *err);
enum xj_err st_member_each(struct store *st, enum stmt_id id,
                           const struct sval *p, int n,
                           int (*fn)(void *ctx, const struct member_row *r),
                           void *ctx, struct xj_error *err);
/* The first member row of a query into r; *found 0 if none. */
enum xj_err st_member_one(struct store *st, enum stmt_id id,
                          const struct sval *p, int n, struct member_row *r,
                          int *found, struct xj_error *err);

/* Fill an org_row / member_row from a row of the ORG / MEMBER_COLS
 * columns (read.c). */
void st_take_org(const struct st_row *r, struct org_row *o);
void st_take_member(const struct st_row *r, struct member_row *m);

/*
 * Append the audit entry for a write made in this transaction (audit.c).
 * state is formatted like printf and digested, never stored: callers leave
 * out passwords, tokens, ID numbers and phones.
 */
enum xj_err audit_append(struct store *st, const char *action,
                         const char *object_type, int64_t object_id,
                         struct xj_error *err, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#endif
