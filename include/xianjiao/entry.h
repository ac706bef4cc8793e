/*
 * entry.h - entering records: a record checked against the plan in force
 * and the registry, then appended (append-only; a correction supersedes,
 * never overwrites).
 *
 * Checks, each refused with the field and the reason, nothing stored:
 * the kind is one the plan declares; the payload has the plan's fields
 * (eng_record_from_json: types, required fields, lists of values, at most
 * two decimals; a required text not blank); the activity happened on a
 * real day no later than today; a member's record is for someone who
 * belonged to the campaign's organisations on that day (not transferred
 * out, dead or not yet come);
 * members named in the payload exist (and are who a must_be rule asks
 * for); a member is credited at most 24 hours ("hours" fields) in one day
 * by records of one kind, and sessions with a start time ("start",
 * HH:MM) never overlap, nor is one session ("session") entered twice on
 * a day; a correction names a current record
 * of the same kind. A record dated after the end of its stage (the stages
 * whose requirements count its kind, in the window of the unit's batch)
 * is accepted and flagged late, with the reason.
 */
#ifndef XJ_ENTRY_H
#define XJ_ENTRY_H

#include <stdint.h>
#include <time.h>

#include "xianjiao/error.h"
#include "xianjiao/import.h"
#include "xianjiao/plan.h"
#include "xianjiao/table.h"

struct store;

struct entry {
	const char *kind;    /* a record kind id of the plan */
	int64_t org_id;      /* organisation kinds: whose record it is */
	int64_t member_id;   /* member kinds: whose record it is */
	int32_t happened_on; /* the day it happened */
	const char *payload; /* a JSON object with the kind's fields */
	int64_t supersedes;  /* a correction: the record it replaces */
	int64_t session_id;  /* attendance: its study_session record, or 0 */
};

struct entry_result {
	int64_t id;
	int64_t org_id; /* for member kinds, the member's branch that day */
	int late;       /* dated after its stage ended */
	char note[320]; /* why it is flagged, 简体中文 ("" if not) */
};

/* Check and append in the caller's transaction. today is the day of
 * entry (Beijing), now the time stored as entered_at, actor the user. */
enum xj_err entry_add(struct store *st, const struct plan *p,
                      const struct entry *in, int32_t today, time_t now,
                      int64_t actor, struct entry_result *out,
                      struct xj_error *err);

/* How a sheet of records is entered. */
struct entry_sheet {
	int32_t date;         /* the day of every row without a 日期 column */
	const char *defaults; /* JSON object: fields every row shares (the
	                       * session's hours, its name), or NULL */
	int32_t today;
	time_t now;
	int64_t actor;
	/* Rows whose member (or organisation) is outside the scope of
	 * scope->user_id's grants in scope->role_mask are refused, before
	 * anything about that person is shown. NULL: the command line,
	 * anywhere. */
	const struct import_scope *scope;
	/* Told of each row's record as it is appended (preview: the caller
	 * rolls back afterwards); row is as shown in the sheet. May be
	 * NULL. */
	void (*row)(void *ctx, long row, const struct entry *in,
	            const struct entry_result *res);
	void *ctx;
};

/*
 * Enter one record of kind per row of t (the header row names the
 * columns: 身份证号码 for a member's record or 组织代码 for an
 * organisation's, 日期 unless opt->date is set, 姓名 (checked against the
 * ID number), and the kind's fields by their plan names). Each row is
 * checked as entry_add() checks it, and the same person twice on one day
 * is refused with both rows named. Runs in the caller's transaction: on
 * XJ_EINVAL res lists every problem (row, column, reason) and the caller
 * rolls back, so nothing is stored. err must not be NULL.
 */
enum xj_err entry_import(struct store *st, const struct plan *p,
                         const char *kind, const struct table *t,
                         const struct entry_sheet *opt,
                         struct import_result *res, struct xj_error *err);

/* --- 集中学习: one session and its attendance list ----------------------- */

#define ENTRY_SESSION_MAX 5000 /* names on one attendance list */

struct entry_attendee {
	int64_t member_id;
	const char *absent; /* NULL: present; else why absent (a value of
	                     * study_absence's reason: 请假, 病假, 外出 ...) */
};

/* Told of each record appended (the session first), e.g. to add it to a
 * live engine once the transaction commits; in->payload lives only for
 * the call. */
typedef void entry_appended_fn(void *ctx, const struct entry *in,
                               const struct entry_result *res);

struct entry_session {
	int64_t org_id;      /* the unit or branch that held it */
	int32_t happened_on; /* its day */
	const char *payload; /* the study_session fields: hours, start,
	                      * title, makeup (补课), materials */
	const struct entry_attendee *list;
	size_t n;
	int32_t today;
	time_t now;
	int64_t actor;
	entry_appended_fn *appended; /* may be NULL */
	void *ctx;
};

struct entry_session_problem {
	size_t index; /* position in the list, from 0 */
	int64_t member_id;
	char name[64];  /* the member's name, "" if there is no such member */
	char field[48]; /* the field at fault, "" for the member as a whole */
	char reason[320];
};

struct entry_session_result {
	int64_t session_id; /* the study_session record */
	size_t present, absent;
	int late;                               /* the session is late */
	char note[320];                         /* why, 简体中文 */
	size_t nproblems;                       /* one per refused name */
	struct entry_session_problem *problems; /* entry_session_release() */
};

/*
 * Enter a 集中学习 session (a study_session record on in->org_id) and its
 * attendance list in one go: a study_attendance record (the session's
 * hours, start, 补课 flag) for each member present and a study_absence
 * record (the hours missed, the reason) for each member absent, each
 * linked to the session. Every name is checked as entry_add() checks a
 * record, and also: the member exists, belonged on that day to the
 * organisation holding the session (its subtree), and is named once.
 * Runs in the caller's transaction. A problem with the session itself is
 * returned as the error (its field named); problems with names are all
 * listed in res (index, member, field, reason) and XJ_EINVAL is returned:
 * the caller rolls back and nothing is stored.
 */
enum xj_err entry_session(struct store *st, const struct plan *p,
                          const struct entry_session *in,
                          struct entry_session_result *res,
                          struct xj_error *err);
void entry_session_release(struct entry_session_result *res);

/* --- 情况反映 of 党委（党组）成员, reviewed by the supervision group ------ */

/* A 情况反映 is a record of this kind whose item is this value (the "三个
 * 一", DOMAIN.md §13); one by a member holding a 领导班子 seat goes to the
 * supervision group (004「单位党委（党组）成员撰写的情况反映要交市委督导组
 * 审查」). */
#define ENTRY_REPORT_KIND "service_card"
#define ENTRY_REPORT_ITEM "撰写情况反映"
#define ENTRY_COMMENT_MAX 2000 /* characters */

/*
 * Review record_id as reviewer, whose grants in role_mask must cover the
 * report's organisation (a report outside them "does not exist",
 * XJ_ENOTFOUND, as for one that is not a 情况反映 of a 党委成员); comment
 * is required. Once only: a reviewed report is XJ_ECONFLICT. Appended and
 * audited in the caller's transaction.
 */
enum xj_err entry_report_review(struct store *st, int64_t record_id,
                                int64_t reviewer, unsigned role_mask,
                                const char *comment, int32_t today, int64_t *id,
                                struct xj_error *err);

#endif
