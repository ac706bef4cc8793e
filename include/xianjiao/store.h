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
#include <time.h>

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
/* The campaign this database holds (the first one), 0 if none yet. */
enum xj_err store_campaign_first(struct store *st, int64_t *id,
                                 struct xj_error *err);
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

/* An organisation read back, with its strings in the struct. */
struct org_row {
	struct org o; /* o.name and o.code point into the buffers below */
	int depth;
	int has_children; /* read by store_scoped_children only, else 0 */
	char name[NAME_MAX_CHARS * 4 + 1];
	char code[NAME_MAX_CHARS * 4 + 1];
};

/* A member read back. ID number and phone are as stored: callers mask
 * them (idnum_mask) unless the caller may see them. */
struct member_row {
	struct member m; /* string fields point into the buffers below */
	char name[NAME_MAX_CHARS * 4 + 1];
	char id_number[19];
	char phone[32];
	char mobile_dest[TEXT_FIELD_MAX * 4 + 1];
	char post[NAME_MAX_CHARS * 4 + 1];
	char contact_arrangement[TEXT_FIELD_MAX * 4 + 1];
	char seat_title[NAME_MAX_CHARS * 4 + 1]; /* 领导班子职务, "" if none */
};

/* The member with this ID number; *found 0 if none. */
enum xj_err store_member_by_idnum(struct store *st, const char *id_number,
                                  struct member_row *r, int *found,
                                  struct xj_error *err);
/* Replace a member's registry data (audited); m->id names the member. */
enum xj_err store_member_update(struct store *st, const struct member *m,
                                struct xj_error *err);
/*
 * Seat member_id in the 领导班子 of the unit its branch belongs to with
 * title (书记, 副书记, 委员 ...), or, with title NULL or "", take the seat
 * away. Audited only when something changes.
 */
enum xj_err store_member_seat(struct store *st, int64_t member_id,
                              int64_t branch_id, const char *title,
                              const char *current, struct xj_error *err);

/* Make member_id the secretary (支部书记) of branch org_id. */
enum xj_err store_org_set_secretary(struct store *st, int64_t org_id,
                                    int64_t member_id, struct xj_error *err);
/* Replace an organisation's data; o->id names it (its code is its key
 * and does not change). */
enum xj_err store_org_update(struct store *st, const struct org *o,
                             struct xj_error *err);
/* Every organisation in the subtree of root, parents before children. */
enum xj_err store_subtree_orgs(struct store *st, int64_t root,
                               int (*fn)(void *ctx, const struct org_row *r),
                               void *ctx, struct xj_error *err);
/* Batch by its ordinal (1 第一批 ...), 系统 name and batch ordinal by id:
 * 0 / "" when there is none. */
enum xj_err store_batch_by_ordinal(struct store *st, int ordinal, int64_t *id,
                                   struct xj_error *err);
enum xj_err store_system_name(struct store *st, int64_t id, char *buf,
                              size_t size, struct xj_error *err);
enum xj_err store_batch_ordinal(struct store *st, int64_t id, int *ordinal,
                                struct xj_error *err);

/* Branches (党支部) called name: *count of them (at most 3 counted) and
 * the first one's id. */
enum xj_err store_branch_by_name(struct store *st, const char *name,
                                 int64_t *id, int *count, struct xj_error *err);
/* Every member, by id (for exports of the whole campaign). */
enum xj_err store_members_all(struct store *st,
                              int (*fn)(void *ctx, const struct member_row *r),
                              void *ctx, struct xj_error *err);
/* The roots of the organisation tree. */
enum xj_err store_roots(struct store *st,
                        int (*fn)(void *ctx, const struct org_row *r),
                        void *ctx, struct xj_error *err);

/* Movements during a campaign (DOMAIN.md §3, registry). */
enum movement_kind {
	MOVE_IN,     /* 转入: joins to_org */
	MOVE_OUT,    /* 转出: leaves the campaign's organisations */
	MOVE_DEATH,  /* 去世 */
	MOVE_WITHIN, /* 调动: from one branch to another */
	MOVE__MAX
};
const char *movement_name(enum movement_kind k);
/*
 * Record a movement on date and apply it to the member: MOVE_IN and
 * MOVE_WITHIN set the branch to to_org (which must be a 党支部); MOVE_OUT
 * and MOVE_DEATH set the date the member left. Refused: a member who has
 * already left (except MOVE_IN), a date before joining the party.
 */
enum xj_err store_movement(struct store *st, int64_t member_id,
                           enum movement_kind kind, int32_t date,
                           int64_t to_org, const char *note,
                           struct xj_error *err);

/* A movement read back (store_member_movements). */
struct movement_row {
	int64_t id;
	enum movement_kind kind;
	int32_t on_date;
	int64_t from_org, to_org; /* 0 if none */
	char from_name[NAME_MAX_CHARS * 4 + 1];
	char to_name[NAME_MAX_CHARS * 4 + 1];
	char note[TEXT_FIELD_MAX * 4 + 1];
	char entered_at[32]; /* UTC, ISO 8601 */
};
/* Every movement of member_id, oldest first (by date, then entry). */
enum xj_err store_member_movements(struct store *st, int64_t member_id,
                                   int (*fn)(void *ctx,
                                             const struct movement_row *r),
                                   void *ctx, struct xj_error *err);

/* 一个不漏: who could be missed in the subtree of root. */
enum coverage_list {
	COVER_NO_BRANCH,         /* members with no branch (whole campaign) */
	COVER_LOST,              /* 失去联系 */
	COVER_MOBILE_NO_CONTACT, /* 流动党员 with no contact arrangement */
	COVER__MEMBERS,
	COVER_NO_SECRETARY = COVER__MEMBERS, /* 党支部 with no secretary */
	COVER__MAX
};
enum xj_err
store_coverage_members(struct store *st, enum coverage_list l, int64_t root,
                       int (*fn)(void *ctx, const struct member_row *r),
                       void *ctx, struct xj_error *err);
enum xj_err store_coverage_orgs(struct store *st, int64_t root,
                                int (*fn)(void *ctx, const struct org_row *r),
                                void *ctx, struct xj_error *err);

enum xj_err store_org_get(struct store *st, int64_t id, struct org_row *r,
                          int *found, struct xj_error *err);
enum xj_err store_member_get(struct store *st, int64_t id, struct member_row *r,
                             int *found, struct xj_error *err);
/*
 * Members in the subtree of org_id with id > after, at most limit, by id
 * (keyset paging: pass the last id seen as after); only those in one of
 * the categories (MCAT_BIT mask, 0: any) matching name_part (NULL: any):
 * a whole 18-character ID number finds that member (by its index), four
 * characters also match the last four of the ID number (the part a
 * masked ID number shows), anything else is a part of the name.
 */
enum xj_err
store_subtree_member_list(struct store *st, int64_t org_id, int64_t after,
                          int limit, uint32_t categories, const char *name_part,
                          int (*fn)(void *ctx, const struct member_row *r),
                          void *ctx, struct xj_error *err);
/*
 * Organisations visible to user_id through roles in role_mask: with
 * parent 0 the tops of the user's scope, otherwise the children of parent
 * that lie in scope. The scope filter is in the query itself, so a list
 * can never show what a check would refuse.
 */
enum xj_err store_scoped_children(struct store *st, int64_t user_id,
                                  unsigned role_mask, int64_t parent,
                                  int (*fn)(void *ctx, const struct org_row *r),
                                  void *ctx, struct xj_error *err);
/* Members in the subtree of org_id: total and per category. */
struct category_counts {
	int64_t total;
	int64_t category[MCAT__MAX];
};
enum xj_err store_subtree_category_counts(struct store *st, int64_t org_id,
                                          struct category_counts *c,
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

/* --- bulk reads for the evaluation engine ------------------------- */

struct scan_org {
	int64_t id, parent_id; /* parent 0 for a root */
	enum org_type type;
	int is_unit;
	int64_t system_id;
	int batch_ordinal; /* 0 if none */
	const char *name, *code;
};

struct scan_member {
	int64_t id, org_id; /* org_id: the current branch, 0 if none */
	const char *name;
	uint32_t categories;
	int absence_months;
};

struct scan_movement {
	int64_t member_id;
	enum movement_kind kind;
	int32_t on_date;
	int64_t from_org, to_org; /* 0 if none */
};

struct scan_record {
	int64_t id;
	const char *kind;
	int64_t org_id, member_id; /* member 0 for an organisation's record */
	int32_t happened_on;
	time_t entered_at;
	int64_t supersedes;
	const char *payload;
	int64_t entered_by;    /* user id, 0: command line (lists only) */
	int64_t superseded_by; /* 0 if current (lists only) */
	int64_t session_id;    /* its study session, 0 if none (lists only) */
};

/* Everything, in one pass each: organisations parents first, members and
 * records by id, movements by member then date. Strings live until fn
 * returns; fn returns nonzero to stop. */
enum xj_err store_scan_orgs(struct store *st,
                            int (*fn)(void *ctx, const struct scan_org *o),
                            void *ctx, struct xj_error *err);
enum xj_err store_scan_members(struct store *st,
                               int (*fn)(void *ctx,
                                         const struct scan_member *m),
                               void *ctx, struct xj_error *err);
enum xj_err store_scan_movements(struct store *st,
                                 int (*fn)(void *ctx,
                                           const struct scan_movement *mv),
                                 void *ctx, struct xj_error *err);
enum xj_err store_scan_records(struct store *st,
                               int (*fn)(void *ctx,
                                         const struct scan_record *r),
                               void *ctx, struct xj_error *err);

/* The largest ids in use (0 for an empty table): for sizing arrays once. */
enum xj_err store_max_ids(struct store *st, int64_t *org, int64_t *member,
                          int64_t *record, struct xj_error *err);
/* Records with an id above after, by id (as store_scan_records). */
enum xj_err store_scan_records_after(struct store *st, int64_t after,
                                     int (*fn)(void *ctx,
                                               const struct scan_record *r),
                                     void *ctx, struct xj_error *err);

/* --- the engine's snapshot ------------------------------------------ */

/*
 * A saved copy of the evaluation engine's record columns (engine.h,
 * engine_snapshot_save), kept in the database as a head and chunks of
 * bytes. It is derived data, like an index: not audited, replaced whole,
 * at most one. The store keeps and returns the bytes; the engine decides
 * what they mean and whether they can be trusted.
 */
struct store_snapshot {
	int format;
	int schema_version;
	char layout[65]; /* digest of the plan's record layout, hex */
	int64_t last_record_id;
	int64_t nrec, live;
	int nslots;
	int64_t bytes, nchunks;
	char digest[65]; /* hex */
};

/* The snapshot's head; *found 0 if there is none. */
enum xj_err store_snapshot_head(struct store *st, struct store_snapshot *s,
                                int *found, struct xj_error *err);
/* Its chunks in order; data lives until fn returns, fn returns nonzero to
 * stop. */
enum xj_err store_snapshot_chunks(struct store *st,
                                  int (*fn)(void *ctx, int64_t seq,
                                            const void *data, size_t len),
                                  void *ctx, struct xj_error *err);
/* Writing one, inside store_begin()/store_commit(): clear removes the old
 * head and chunks, then the chunks, then the head. */
enum xj_err store_snapshot_clear(struct store *st, struct xj_error *err);
enum xj_err store_snapshot_chunk_put(struct store *st, int64_t seq,
                                     const void *data, size_t len,
                                     struct xj_error *err);
enum xj_err store_snapshot_head_put(struct store *st,
                                    const struct store_snapshot *s,
                                    struct xj_error *err);

/* --- records as people list and check them ------------------------ */

/* The record with this id; *found 0 if none. Strings live until fn
 * returns (called once). */
enum xj_err store_record_get(struct store *st, int64_t id,
                             int (*fn)(void *ctx, const struct scan_record *r),
                             void *ctx, int *found, struct xj_error *err);
/*
 * Records newest first (id < before; 0: from the newest), at most limit:
 * of kind (NULL: any), of member_id (0: any), on organisations in the
 * subtree of org_id (0: any; a member's record is on its branch). With
 * current_only, records a correction superseded are left out.
 */
enum xj_err
store_records_list(struct store *st, const char *kind, int64_t member_id,
                   int64_t org_id, int current_only, int64_t before, int limit,
                   int (*fn)(void *ctx, const struct scan_record *r), void *ctx,
                   struct xj_error *err);
/* Hours (a payload field "hours", in hundredths) credited to a member on
 * a day by current records of kind, leaving out record except_id (0:
 * none). */
enum xj_err store_member_day_hours(struct store *st, int64_t member_id,
                                   const char *kind, int32_t day,
                                   int64_t except_id, int64_t *centi,
                                   struct xj_error *err);
/* The branch a member was in on day (replaying movements), 0 if the
 * member had left or not yet come. */
enum xj_err store_member_branch_on(struct store *st, int64_t member_id,
                                   int32_t day, int64_t *branch,
                                   struct xj_error *err);

/* Per member, how many current records of kind have payload field ==
 * value (on organisations in org_id's subtree, 0: any; of member_id, 0:
 * any), most first. The name lives until fn returns; fn returns nonzero
 * to stop. */
struct match_count {
	int64_t member_id;
	const char *name;
	int64_t count;
};
enum xj_err
store_match_counts(struct store *st, const char *kind, const char *field,
                   const char *value, int64_t org_id, int64_t member_id,
                   int (*fn)(void *ctx, const struct match_count *c), void *ctx,
                   struct xj_error *err);

/* --- 情况反映 reviewed by the supervision group ---------------------- */

/* One 情况反映 (a record of kind whose item is the report's value) of a
 * member holding a 领导班子 seat, with its review if any (review_id 0).
 * Strings live until fn returns. */
struct report_row {
	int64_t id, member_id, org_id;
	const char *name, *seat, *happened_on, *payload;
	int64_t review_id;
	const char *comment, *reviewer, *reviewed_on;
};
/* Those in the scope of user_id's grants in role_mask (user 0: all),
 * only the unreviewed with pending_only, only record_id if not 0; oldest
 * first, at most 1000. */
enum xj_err store_reports(struct store *st, const char *kind, const char *item,
                          int64_t user_id, unsigned role_mask, int pending_only,
                          int64_t record_id,
                          int (*fn)(void *ctx, const struct report_row *r),
                          void *ctx, struct xj_error *err);
/* Append the review (audited); a second review of the same record is
 * refused by the database (XJ_ECONFLICT). */
enum xj_err store_report_review(struct store *st, int64_t record_id,
                                int64_t reviewer_id, const char *comment,
                                int32_t day, int64_t *id, struct xj_error *err);

/* Is org in the subtree of ancestor (itself included)? */
enum xj_err store_org_within(struct store *st, int64_t ancestor, int64_t org,
                             int *yes, struct xj_error *err);

/* --- plans (方案) ---------------------------------------------------- */

/* Keep the text of a checked plan; the newest one installed applies.
 * Plans are never changed or removed (audited, append-only). */
enum xj_err store_plan_install(struct store *st, const char *text, int64_t *id,
                               struct xj_error *err);
/* The plan in force: *text is malloc'd (NULL and *found 0 if none). */
enum xj_err store_plan_current(struct store *st, char **text, int *found,
                               struct xj_error *err);

/* --- 转段: the stage-transition workflow's rows ---------------------- */

/*
 * The store keeps the rows; workflow.h gives them their meaning (states,
 * actions, who may do what). Strings in the row structs below live until
 * the callback returns. Dates are days (date.h), 0 when unknown.
 */

/* A unit and its transition state. A unit with no state row yet is in
 * the plan's first stage: stage "", state 0, version 0. */
struct wf_unit_row {
	int64_t unit_id;
	const char *code, *name;
	int64_t system_id; /* 0 if none */
	int batch_ordinal; /* 0 if none */
	const char *stage; /* plan stage id, "" when there is no row */
	int state;
	int32_t entered_on; /* the day it entered its stage, 0 unknown */
	int64_t version;
	const char *override_reason; /* "" when none */
	int64_t override_by;
	int32_t extended_until;  /* newest extension of this stage, 0 none */
	int open_remedies;       /* 补课 items not yet done (any stage) */
	int32_t remedy_deadline; /* earliest deadline among them, 0 none */
	int32_t last_on;         /* the day of its latest transition, 0 none */
};

/* Every unit (unit 0) or one unit, by id. */
enum xj_err store_wf_units_each(struct store *st, int64_t unit,
                                int (*fn)(void *ctx,
                                          const struct wf_unit_row *u),
                                void *ctx, struct xj_error *err);

/*
 * One step of a unit's workflow: append the transition and set the
 * unit's state row to stage, to_state, entered_on and override (NULL or
 * "": none; override_by is the store's actor), in the caller's
 * transaction. expect_version is the version the caller read (0: there
 * was no row); when the row has moved on since (someone else acted
 * first) nothing is written and the answer is XJ_ECONFLICT. The actor
 * is the one set with store_set_actor(). Audited as
 * "transition.<action>" on object "transition".
 */
struct wf_step {
	int64_t unit_id;
	const char *stage; /* the stage the step happens in */
	int from_state, to_state;
	const char *to_stage; /* set when the unit moves to another stage */
	const char *action;   /* "apply", "sign" ... */
	int32_t on_date;      /* the day it happened */
	const char *reason;   /* may be NULL */
	const char *details;  /* a JSON object's text, NULL for {} */
	int32_t entered_on;   /* the row's after the step, 0 for unknown */
	const char *override_reason;
	int64_t expect_version;
};
enum xj_err store_wf_step(struct store *st, const struct wf_step *s,
                          int64_t *transition_id, int64_t *version,
                          struct xj_error *err);

struct wf_transition_row {
	int64_t id, unit_id;
	const char *stage;
	int from_state, to_state;
	const char *to_stage; /* "" when the stage did not change */
	const char *action;
	int64_t actor_id; /* 0: the command line */
	const char *actor_login, *actor_name;
	int32_t on_date;
	const char *at; /* when entered, UTC "YYYY-MM-DDTHH:MM:SSZ" */
	const char *reason;
	const char *details; /* JSON object text */
};
/* A unit's transitions (unit 0: every unit's), oldest first. */
enum xj_err store_wf_history_each(struct store *st, int64_t unit,
                                  int (*fn)(void *ctx,
                                            const struct wf_transition_row *t),
                                  void *ctx, struct xj_error *err);

/* 回头看: record an answer (part of transition_id); the newest answer to
 * an item is the one that counts. */
enum xj_err store_wf_answer_add(struct store *st, int64_t unit,
                                const char *stage, const char *item,
                                const char *answer, int64_t transition_id,
                                struct xj_error *err);
struct wf_answer_row {
	const char *item, *answer;
	int64_t actor_id;
	const char *actor_login;
	int32_t on_date;
	const char *at;
};
enum xj_err
store_wf_answers_each(struct store *st, int64_t unit, const char *stage,
                      int (*fn)(void *ctx, const struct wf_answer_row *a),
                      void *ctx, struct xj_error *err);

/* 补课 items: ordered by transition_id (and a spot-check finding, 0 if
 * none), later marked done once with evidence. */
enum xj_err store_wf_remedy_add(struct store *st, int64_t unit,
                                const char *stage, const char *text,
                                int32_t deadline, int64_t transition_id,
                                int64_t finding_id, int64_t *id,
                                struct xj_error *err);
/* Mark item id of unit done by the store's actor: XJ_ENOTFOUND if the
 * unit has no such item, XJ_ECONFLICT if it is done already. */
enum xj_err store_wf_remedy_done(struct store *st, int64_t id, int64_t unit,
                                 int32_t on_date, const char *evidence,
                                 struct xj_error *err);
struct wf_remedy_row {
	int64_t id, unit_id;
	const char *stage, *text;
	int32_t deadline;
	int64_t transition_id, finding_id;
	const char *done_at; /* "" while open */
	int64_t done_by;
	const char *done_login;
	int32_t done_on;
	const char *evidence;
};
/* Items of a unit (0: all units), only the open ones if open_only. */
enum xj_err
store_wf_remedies_each(struct store *st, int64_t unit, int open_only,
                       int (*fn)(void *ctx, const struct wf_remedy_row *r),
                       void *ctx, struct xj_error *err);

/* A new deadline for the unit's stage; reason must not be blank. */
enum xj_err store_wf_extension_add(struct store *st, int64_t unit,
                                   const char *stage, int32_t until,
                                   const char *reason, int64_t transition_id,
                                   struct xj_error *err);

/* For the engine: every move of a unit into another stage, by unit and
 * in order, with the day it happened. */
enum xj_err store_scan_stage_changes(struct store *st,
                                     int (*fn)(void *ctx, int64_t unit,
                                               const char *stage,
                                               int32_t on_date),
                                     void *ctx, struct xj_error *err);

/* 明查暗访: a recorded draw of units for a stage. */
struct spot_check_row {
	int64_t id;
	const char *stage;
	int64_t seed;   /* 0 .. 2^53 - 1 */
	int per_system; /* 2..4 */
	int batch;      /* 0: every batch */
	int32_t on_date;
	const char *at;
	int64_t actor_id;
	const char *actor_login;
};
/* Insert the draw and its n units (units[i] in system systems[i], in
 * the order drawn). */
enum xj_err store_spot_check_add(struct store *st,
                                 const struct spot_check_row *sc,
                                 const int64_t *units, const int64_t *systems,
                                 int n, int64_t *id, struct xj_error *err);
/* Every draw (id 0) or one. */
enum xj_err store_spot_checks_each(struct store *st, int64_t id,
                                   int (*fn)(void *ctx,
                                             const struct spot_check_row *s),
                                   void *ctx, struct xj_error *err);
struct spot_unit_row {
	int64_t unit_id;
	const char *code, *name;
	int64_t system_id;
	const char *system_name;
	int position;
};
enum xj_err store_spot_units_each(struct store *st, int64_t spot_check,
                                  int (*fn)(void *ctx,
                                            const struct spot_unit_row *u),
                                  void *ctx, struct xj_error *err);
/* Was unit drawn in spot_check? */
enum xj_err store_spot_drawn(struct store *st, int64_t spot_check, int64_t unit,
                             int *drawn, struct xj_error *err);
struct spot_finding_row {
	int64_t id, spot_check_id, unit_id;
	const char *code, *name;
	const char *mode; /* 明查 or 暗访 */
	const char *text;
	int remedy; /* it ordered 补课 */
	int32_t on_date;
	const char *at;
	int64_t actor_id;
	const char *actor_login;
};
/* A finding at a drawn unit (by the store's actor). */
enum xj_err store_spot_finding_add(struct store *st,
                                   const struct spot_finding_row *f,
                                   int64_t *id, struct xj_error *err);
enum xj_err
store_spot_findings_each(struct store *st, int64_t spot_check,
                         int (*fn)(void *ctx, const struct spot_finding_row *f),
                         void *ctx, struct xj_error *err);

/* --- opinions (征求意见, DOMAIN.md §6) ------------------------------ */

/* An opinion as the opinion module (opinion.h) checked it. The store
 * keeps ints for the enums of opinion.h. */
struct opinion_insert {
	int64_t org_id; /* the organisation that solicited it */
	int channel, target_kind, stage;
	int64_t target_org_id, target_member_id; /* exactly one set */
	int64_t home_org_id; /* the target, or the target member's branch */
	int anonymous;
	const char *giver_name, *giver_contact; /* NULL when anonymous */
	const char *text;
	int32_t received_on;
	int64_t supersedes; /* 0: none */
};
/* Append an opinion (audited; the digest leaves the giver out). The
 * opinion superseded must exist and be current. */
enum xj_err store_opinion_insert(struct store *st,
                                 const struct opinion_insert *o, int64_t *id,
                                 struct xj_error *err);
/* *found 0 if no such opinion; else whether it is about a person, has
 * been superseded and has been classified. */
enum xj_err store_opinion_state(struct store *st, int64_t id, int *found,
                                int *person, int *superseded, int *classified,
                                struct xj_error *err);
/* Record what was done with an opinion by the store's actor: action is
 * "classify" (category >= 0, dimension -1 for none), "publish" or
 * "feedback"; note may be NULL. Audited. */
enum xj_err store_opinion_action(struct store *st, int64_t id,
                                 const char *action, int category,
                                 int dimension, const char *note,
                                 int32_t on_date, struct xj_error *err);

struct opinion_row {
	int64_t id, org_id;
	const char *org_name;
	int channel, target_kind, stage;
	int64_t target_org_id, target_member_id; /* 0: not that kind */
	const char *target_name;
	int anonymous;
	/* "" unless the reader may see them (never the target, never a
	 * branch secretary or member) */
	const char *giver_name, *giver_contact;
	const char *text;
	int32_t received_on;
	const char *entered_at;
	int64_t supersedes;
	int category, dimension; /* -1: not (yet) classified */
	int32_t published_on;    /* the first publication, 0: none */
	int32_t feedback_on;     /* the newest feedback, 0: none */
	const char
	    *feedback_by; /* its actor's login, "" for the command line */
};
/*
 * Visibility is decided in the query (DOMAIN.md §6.5, §19): for user_id
 * through the roles in role_mask (user 0: the command line, everything).
 * The office sees every opinion, a unit office or a secretary those about
 * its subtree (not those about the user's own person), a member those
 * about themself once feedback was given; the giver only as
 * struct opinion_row says.
 */
enum xj_err store_opinion_visible(struct store *st, int64_t user_id,
                                  unsigned role_mask, int64_t id, int *in,
                                  struct xj_error *err);
/* Current opinions visible to user_id, by id: about the subtree of org_id
 * (0: any), about member_id (0: any). Strings live until fn returns. */
enum xj_err
store_opinions_list(struct store *st, int64_t user_id, unsigned role_mask,
                    int64_t org_id, int64_t member_id,
                    int (*fn)(void *ctx, const struct opinion_row *o),
                    void *ctx, struct xj_error *err);
/* The published opinions of the organisations user_id belongs to (its
 * member's branch and every organisation above), without givers. */
enum xj_err store_opinions_published(struct store *st, int64_t user_id,
                                     int (*fn)(void *ctx,
                                               const struct opinion_row *o),
                                     void *ctx, struct xj_error *err);
struct opinion_stat_row {
	int64_t unit_id; /* 0: above any unit */
	const char *unit_name;
	int channel, target_kind, stage;
	int64_t count, classified, published, fed_back;
};
/* Counts of current opinions about the subtree of org_id, one row per
 * unit, channel, target kind and stage present. */
enum xj_err store_opinion_stats(struct store *st, int64_t org_id,
                                int (*fn)(void *ctx,
                                          const struct opinion_stat_row *r),
                                void *ctx, struct xj_error *err);

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

/* --- who is writing, and the audit log ---------------------------- */

/*
 * Every write through this interface appends one audit entry in the same
 * transaction: the actor set here (0: the command line / the system), the
 * time, the action, the object and a SHA-256 digest of its new state. The
 * digested state never includes passwords, tokens, ID numbers or phones.
 */
void store_set_actor(struct store *st, int64_t user_id);

struct audit_entry {
	int64_t id;
	const char *at;
	int64_t actor_id; /* 0: command line / system */
	const char *actor_login;
	const char *action;
	const char *object_type;
	int64_t object_id;
	const char *digest;
	const char *prev_hash;
	const char *hash;
};

/* The id of the audit log's last entry (0 if empty): it moves with every
 * write, so a cache of the store knows when it is stale. */
enum xj_err store_audit_last_id(struct store *st, int64_t *id,
                                struct xj_error *err);

/* Call fn for each entry matching the filters (NULL / 0: any), oldest
 * first. fn returns nonzero to stop. Strings live until fn returns. */
enum xj_err store_audit_each(struct store *st, const char *object_type,
                             int64_t object_id, int64_t actor_id,
                             int (*fn)(void *ctx, const struct audit_entry *e),
                             void *ctx, struct xj_error *err);

struct audit_check {
	int64_t count;    /* entries checked */
	char head[65];    /* hash of the last entry ("" if empty) */
	int broken;       /* nonzero when the chain breaks */
	int64_t bad_id;   /* then: the first bad entry's id */
	int64_t bad_pos;  /* its 1-based position in the log */
	char reason[256]; /* why it is bad, 简体中文 */
};

/*
 * Recompute the hash chain. An edited, inserted, deleted or reordered
 * entry breaks it: bad_id names the first entry where it breaks. A
 * truncated tail is caught only against a head recorded earlier, so the
 * head is reported for the office to keep.
 */
enum xj_err store_audit_verify(struct store *st, struct audit_check *out,
                               struct xj_error *err);

/* --- accounts ------------------------------------------------------ */

#define LOGIN_MAX 64

struct user {
	int64_t id;
	char login[LOGIN_MAX * 4 + 1];
	char display_name[NAME_MAX_CHARS * 4 + 1];
	char password_hash[160];
	int64_t member_id; /* 0 if the user is not a member */
	int disabled;
};

struct grant {
	int64_t id;
	int64_t user_id;
	enum role role;
	int64_t org_id;    /* unit office, secretary */
	int64_t system_id; /* supervisor */
};

/* login: 1..64 characters of [A-Za-z0-9._-] or CJK; display name as
 * name_validate(). password_hash is from password_hash() (may be NULL:
 * the user cannot log in until a password is set). */
enum xj_err store_user_insert(struct store *st, const char *login,
                              const char *display_name,
                              const char *password_hash, int64_t member_id,
                              int64_t *id, struct xj_error *err);
/* *found is 0 when there is no such user (not an error). */
enum xj_err store_user_by_login(struct store *st, const char *login,
                                struct user *u, int *found,
                                struct xj_error *err);
enum xj_err store_user_by_id(struct store *st, int64_t id, struct user *u,
                             int *found, struct xj_error *err);
enum xj_err store_user_set_disabled(struct store *st, int64_t id, int disabled,
                                    struct xj_error *err);
enum xj_err store_user_set_password(struct store *st, int64_t id,
                                    const char *password_hash,
                                    struct xj_error *err);
enum xj_err store_users_each(struct store *st,
                             int (*fn)(void *ctx, const struct user *u),
                             void *ctx, struct xj_error *err);
enum xj_err login_validate(const char *login, struct xj_error *err);

/* Grants: the scope must match the role (see enum role). */
enum xj_err store_grant_add(struct store *st, const struct grant *g,
                            int64_t *id, struct xj_error *err);
/* Remove the grant equal to g (user, role, scope); XJ_ENOTFOUND if none. */
enum xj_err store_grant_remove(struct store *st, const struct grant *g,
                               struct xj_error *err);
/* Up to max grants of user_id into out; *n is how many. */
enum xj_err store_grants_of(struct store *st, int64_t user_id,
                            struct grant *out, int max, int *n,
                            struct xj_error *err);

/* Sessions: the caller makes the token; only its hash is stored. */
struct session {
	int64_t id;
	int64_t user_id;
	char csrf_token[65];
	int64_t created_at, last_seen, expires_at; /* Unix seconds */
};

enum xj_err store_session_create(struct store *st, int64_t user_id,
                                 const char *token_hash, const char *csrf,
                                 int64_t now, int64_t expires_at, int64_t *id,
                                 struct xj_error *err);
/* A live session for token_hash: not expired at now, seen within
 * idle_seconds, of a user not disabled. *found 0 otherwise. */
enum xj_err store_session_lookup(struct store *st, const char *token_hash,
                                 int64_t now, int64_t idle_seconds,
                                 struct session *s, int *found,
                                 struct xj_error *err);
/* Record activity (bookkeeping, not audited). */
enum xj_err store_session_touch(struct store *st, int64_t id, int64_t now,
                                struct xj_error *err);
enum xj_err store_session_delete(struct store *st, int64_t id,
                                 struct xj_error *err);

/* API tokens for scripts. */
enum xj_err store_token_create(struct store *st, int64_t user_id,
                               const char *name, const char *token_hash,
                               int64_t *id, struct xj_error *err);
/* The user of a live (not revoked) token of an enabled user. */
enum xj_err store_token_lookup(struct store *st, const char *token_hash,
                               int64_t *user_id, int *found,
                               struct xj_error *err);
enum xj_err store_token_revoke(struct store *st, int64_t id,
                               struct xj_error *err);

struct api_token {
	int64_t id;
	int64_t user_id;
	const char *login;
	const char *name;
	const char *created_at;
	const char *revoked_at; /* "" while live */
};

/* Tokens of user_id (0: all users), oldest first. */
enum xj_err store_tokens_each(struct store *st, int64_t user_id,
                              int (*fn)(void *ctx, const struct api_token *t),
                              void *ctx, struct xj_error *err);

/* Look-ups by the keys people type. *id is 0 when there is none. */
enum xj_err store_org_by_code(struct store *st, const char *code, int64_t *id,
                              struct xj_error *err);
enum xj_err store_system_by_name(struct store *st, const char *name,
                                 int64_t *id, struct xj_error *err);

/* --- scope ----------------------------------------------------------- */

/*
 * Is organisation org_id inside the scope of user_id's grants whose role is
 * in role_mask (ROLE_BIT set)? Office grants cover everything, supervisor
 * grants the units of their 系统 and below, unit and secretary grants
 * their subtree.
 */
enum xj_err store_scope_org(struct store *st, int64_t user_id,
                            unsigned role_mask, int64_t org_id, int *in,
                            struct xj_error *err);
/* As store_scope_org for the member's branch; and a ROLE_MEMBER grant in
 * role_mask covers the user's own member record. */
enum xj_err store_scope_member(struct store *st, int64_t user_id,
                               unsigned role_mask, int64_t member_id, int *in,
                               struct xj_error *err);

#endif
