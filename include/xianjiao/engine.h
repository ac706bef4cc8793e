/*
 * engine.h - the evaluation engine: who is behind, on what, by how much.
 *
 * The engine holds the organisations, members, movements and records of a
 * campaign in arrays indexed by dense ids, and evaluates every requirement
 * of a plan (plan.h) for every member, 党支部, unit and 系统.
 *
 * Two dates per record: happened_on (when the activity took place) and
 * entered_on (the day it was entered, Beijing time). A view "as of D"
 * counts the records that had happened and had been entered by D, with
 * the corrections entered by D applied, and the members as they stood on
 * D (a member counts from joining, or from 转入, until 转出 or 去世; in the
 * branch they were in on D). So a ranking published on a Monday can be
 * reproduced exactly after late entries arrive.
 *
 * The live view (everything entered so far) is kept up to date as records
 * and movements arrive: engine_add_record() updates the member's or the
 * organisation's value and the pass counts of its ancestors, in O(depth
 * of the tree) for count and sum metrics. engine_view_at() builds the view
 * as of a date in one pass over the records.
 */
#ifndef XJ_ENGINE_H
#define XJ_ENGINE_H

#include <stdint.h>

#include "xianjiao/core.h"
#include "xianjiao/error.h"
#include "xianjiao/plan.h"

struct engine;
struct eng_view;
struct store;
struct json_t;

/* As-of date meaning "everything": the live view. */
#define ENG_LIVE INT32_MAX

/* --- input ----------------------------------------------------------- */

struct eng_org {
	int64_t id; /* dense: 1..n */
	int64_t parent_id;
	enum org_type type;
	int is_unit;
	int64_t system_id; /* on the unit (inherited below it); 0 if none */
	int batch_ordinal; /* on the unit; 0 if none */
	const char *name;  /* copied */
	const char *code;  /* copied */
};

struct eng_member {
	int64_t id;       /* dense: 1..n */
	int64_t org_id;   /* the branch it starts in (before any movement) */
	const char *name; /* copied */
	uint32_t categories;
	int absence_months;
	int32_t in_from; /* first day counted; 0: from the start */
};

/* A movement (store.h enum movement_kind). to_org for MOVE_IN and
 * MOVE_WITHIN. Movements of one member arrive in date order. */
struct eng_movement {
	int64_t member_id;
	int kind;
	int32_t on_date;
	int64_t to_org;
};

/* A record with its payload already reduced to the plan's fields. */
struct eng_record {
	int64_t id; /* dense, increasing in the order of entry */
	int kind;   /* index into plan.kinds */
	int64_t org_id;
	int64_t member_id; /* 0 for SUBJECT_ORG kinds */
	int32_t happened_on;
	int32_t entered_on;
	int64_t supersedes; /* 0 if none */
	int voided;         /* a correction that withdraws the record */
	/* per field of the kind: NUMBER/ZISHU in centi-units, STATE and
	 * ENUM the value's position, MEMBER the member id, DATE the day;
	 * -1 when the payload does not give the field */
	int64_t num[PLAN_FIELDS_MAX];
	/* TEXT fields: the text (borrowed), NULL if absent */
	const char *text[PLAN_FIELDS_MAX];
};

/*
 * Reduce a JSON payload (an object) to r->num/r->text for kind. Refuses,
 * naming the field: a required field missing, a wrong type, a negative or
 * too large number, more than two decimals, a value not in the list. The
 * key "voided": true marks a withdrawal (only with supersedes). Text
 * pointers point into *json_out, which the caller frees with json_decref
 * (pass NULL to get no texts).
 */
enum xj_err eng_record_from_json(const struct plan *p, int kind,
                                 const char *payload, struct eng_record *r,
                                 void **json_out, struct xj_error *err);

/* --- building --------------------------------------------------------- */

/* An empty engine for plan p (borrowed: it must outlive the engine). */
struct engine *engine_new(const struct plan *p);
void engine_free(struct engine *e);

/* Organisations parents first; members after their branch; then records
 * and movements in any interleaving, each record after the one it
 * supersedes. Refused with a reason: an unknown org/member/kind, a record
 * that supersedes one not yet known or already superseded. */
enum xj_err engine_add_org(struct engine *e, const struct eng_org *o,
                           struct xj_error *err);
enum xj_err engine_add_member(struct engine *e, const struct eng_member *m,
                              struct xj_error *err);
enum xj_err engine_add_record(struct engine *e, const struct eng_record *r,
                              struct xj_error *err);
enum xj_err engine_add_movement(struct engine *e, const struct eng_movement *mv,
                                struct xj_error *err);

/* The plan in force in the store (the newest installed), parsed:
 * plan_free() it. XJ_ENOTFOUND, saying how to install one, if none. */
enum xj_err engine_plan_in_force(struct store *st, struct plan **p,
                                 struct xj_error *err);

/* Load everything from the store into a new engine for plan p: from the
 * engine snapshot kept in the store (engine_snapshot_save) and the
 * records entered after it, when there is one and it checks out; if one
 * is there but does not (another plan's record layout, another schema,
 * a wrong checksum, missing chunks, records that differ from the
 * store's), says why on stderr and reads every record instead. */
enum xj_err engine_build(struct store *st, const struct plan *p,
                         struct engine **out, struct xj_error *err);

enum eng_build_flags {
	ENG_BUILD_FULL = 1 << 0, /* read every record, ignore any snapshot */
};

/* How a build went. */
struct eng_build_info {
	int snapshot; /* 1: records up to snapshot_to from the snapshot */
	int64_t snapshot_to; /* the last record id it covered */
	int64_t replayed;    /* records read from the store's rows */
	char fallback[256];  /* why a snapshot found was not used, or "" */
};

/* engine_build with flags (enum eng_build_flags); info may be NULL. */
enum xj_err engine_build_ex(struct store *st, const struct plan *p, int flags,
                            struct eng_build_info *info, struct engine **out,
                            struct xj_error *err);

/* Save the engine's record columns in the store as its snapshot,
 * replacing any other, in one transaction of its own (*bytes: its size;
 * may be NULL). Only for an engine that holds exactly the store's records
 * up to an id: one from engine_build(), perhaps with records added after
 * it in id order. A cache, not a record of the campaign: not audited. */
enum xj_err engine_snapshot_save(const struct engine *e, struct store *st,
                                 int64_t *bytes, struct xj_error *err);
/* The last record id of the store the engine holds everything up to (what
 * a snapshot saved now would cover); -1 if it cannot be saved. */
int64_t engine_snapshot_covers(const struct engine *e);

/* --- views ------------------------------------------------------------ */

/* The live view, owned by the engine, updated by every engine_add_*. */
const struct eng_view *engine_live(const struct engine *e);
/* The view as of date D (freed with eng_view_free). */
enum xj_err engine_view_at(const struct engine *e, int32_t as_of,
                           struct eng_view **out, struct xj_error *err);
void eng_view_free(struct eng_view *v);
/*
 * What had happened by as_of, counting the records (and corrections)
 * entered by known (known >= as_of; ENG_LIVE: everything entered so far).
 * engine_view_at(e, D) is engine_view_known(e, D, D): the answer that could
 * be given on D. Set beside engine_view_known(e, D, ENG_LIVE) it shows what
 * late entries changed about D.
 */
enum xj_err engine_view_known(const struct engine *e, int32_t as_of,
                              int32_t known, struct eng_view **out,
                              struct xj_error *err);
/* Records that happened by as_of but were entered after it, by known. */
int64_t engine_late_records(const struct engine *e, int32_t as_of,
                            int32_t known);

enum eng_state {
	ENG_NA,     /* not a subject here (not a member on that date, etc.) */
	ENG_EXEMPT, /* 免于要求 by a treatment */
	ENG_FAIL,
	ENG_PASS,
};

/* The value of requirement req for one subject. */
struct eng_value {
	enum eng_state state;
	struct plan_ratio value;     /* reduced: 32/1 hours, 2/3 of a branch */
	struct plan_ratio raw;       /* as counted: 3200/100, 6/9 */
	struct plan_ratio threshold; /* the one that applies (treatments) */
	enum plan_cmp cmp;
	int treat; /* index of the treatment that applies, -1 if none */
};

/* Members, branches, units, 系统: scope must be the requirement's own,
 * or wider for the counts below. */
void eng_member_value(const struct eng_view *v, int req, int64_t member_id,
                      struct eng_value *out);
/* For a branch-, unit- or system-scope requirement: the subject's own
 * value. id is an org id, or a 系统 id for PSCOPE_SYSTEM. */
void eng_org_value(const struct eng_view *v, int req, int64_t id,
                   struct eng_value *out);

/*
 * How an organisation stands on a requirement of a narrower scope: of the
 * subjects in its subtree (members for PSCOPE_MEMBER, branches for
 * PSCOPE_BRANCH, units for PSCOPE_UNIT), how many count (not exempt,
 * present) and how many pass; and whether the org passes (passing/counted
 * >= share; an org with nothing to count passes).
 */
struct eng_count {
	int64_t counted, passed, exempt;
	int pass;
};
void eng_org_count(const struct eng_view *v, int req, int64_t org_id,
                   struct eng_count *out);
/* The same over the units of a 系统. */
void eng_system_count(const struct eng_view *v, int req, int64_t system_id,
                      struct eng_count *out);

/* Does unit pass requirement req (its own value for unit scope, the
 * aggregate for member and branch scope)? */
int eng_unit_passes(const struct eng_view *v, int req, int64_t unit_id);

/* The engine behind a view, and its plan. */
const struct engine *eng_view_engine(const struct eng_view *v);
const struct plan *engine_plan(const struct engine *e);

/* --- inspecting the loaded data (reports, explain) -------------------- */

int64_t engine_org_max(const struct engine *e);    /* largest org id */
int64_t engine_member_max(const struct engine *e); /* largest member id */
int64_t engine_record_count(const struct engine *e);
/* NULL if there is no such id. */
const struct eng_org *engine_org(const struct engine *e, int64_t id);
const char *engine_member_name(const struct engine *e, int64_t id);
/* The unit an organisation belongs to (itself if a unit), 0 if none. */
int64_t engine_unit_of(const struct engine *e, int64_t org_id);
/* The branch a member was in on the view's date, 0 if not a member then. */
int64_t eng_member_branch(const struct eng_view *v, int64_t member_id);
int32_t eng_view_date(const struct eng_view *v);

/* Bytes the engine holds (for the benchmark's bytes per record). */
size_t engine_memory(const struct engine *e);

/* --- reports: status and explain (explain.c) ------------------------- */

/*
 * A value as people read it, for requirement req with the metric that
 * applies (treat: eng_value.treat): "32.5" (hours), "3" (a count),
 * "6/9" (a share, from raw), "已审核" (a state).
 */
void eng_format_value(const struct plan *p, int req, int treat,
                      struct plan_ratio raw, char *buf, size_t size);
void eng_format_threshold(const struct plan *p, int req, int treat, char *buf,
                          size_t size);

/*
 * The stage a unit is in on the view's date: the first stage until 转段
 * (workflow.h) moves it on. engine_build() loads the moves from the store
 * (store_scan_stage_changes); engine_set_unit_stage() records a new one
 * in a live engine: unit entered stage (an index into plan.stages) on
 * on_date, which may not be earlier than its previous move.
 */
int eng_unit_stage(const struct eng_view *v, int64_t unit);
enum xj_err engine_set_unit_stage(struct engine *e, int64_t unit, int stage,
                                  int32_t on_date, struct xj_error *err);

/*
 * A hook that adds to each unit's object in the status and explain JSON
 * (the 转段 state and an office override, from workflow.h), called with
 * the unit's id and its object; NULL removes it. ctx is borrowed.
 */
typedef void (*eng_unit_hook)(void *ctx, int64_t unit, struct json_t *obj);
void engine_set_unit_hook(struct engine *e, eng_unit_hook fn, void *ctx);

/*
 * Status of every unit (or the units of one 系统, or one unit) for stage
 * (-1: each unit's own): gating requirements passed, ready for 转段,
 * weighted completion; units ordered by how far behind; and per 系统 the
 * share of units passing each gating requirement of stage (-1: of the
 * least advanced listed unit's stage, which is the "stage" shown). System
 * names come from the store. A new JSON object (json_decref).
 */
enum xj_err eng_status_json(struct store *st, const struct eng_view *v,
                            int stage, int64_t unit, int64_t system,
                            struct json_t **out, struct xj_error *err);
/*
 * What late entries changed: for every unit (or the units of one 系统),
 * each requirement of its stage whose standing differs between then (the
 * view as of D) and later (as of D counting later entries): pass, and
 * passed/counted subjects before and after; and the late records' count.
 */
enum xj_err eng_late_json(struct store *st, const struct eng_view *then,
                          const struct eng_view *later, int64_t system,
                          struct json_t **out, struct xj_error *err);
/*
 * Explain a unit: every requirement of the stage, and for each that fails
 * the branches and members that fail it and by how much (at most
 * max_members members per requirement, the count of the rest given).
 */
enum xj_err eng_explain_json(struct store *st, const struct eng_view *v,
                             int stage, int64_t unit, int max_members,
                             struct json_t **out, struct xj_error *err);
/*
 * The escalation ladders of the plan's kinds (plan.h, struct
 * plan_escalation; DOMAIN.md §12.3), counted by the store over current
 * records. With member_id: an array, per ladder, of that member's count,
 * level (0: none yet) and step. Otherwise per ladder the members of
 * org_id's subtree at each level 1..n (most records first; the last level
 * holds every count beyond it). A new JSON array (json_decref).
 */
enum xj_err eng_escalations_json(struct store *st, const struct plan *p,
                                 int64_t org_id, int64_t member_id,
                                 struct json_t **out, struct xj_error *err);

#endif
