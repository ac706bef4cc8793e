/*
 * plan.h - a campaign plan (方案) as data: its batches, stages, record
 * kinds and requirements, read from a YAML file (libyaml). The format is
 * documented in docs/man/xianjiao-plan.5; plans/2005-xianjiao.yaml is the
 * reference plan.
 *
 * What a stage requires differs between localities (DOMAIN.md §17), so
 * none of it is in code: the engine (engine.h) evaluates whatever the
 * plan declares. A plan that plan_parse() accepts is complete and
 * consistent: every name it uses is defined, every threshold is in range
 * and the stage order has no cycle, so the engine never fails on it.
 *
 * A parsed plan is one heap block of fixed-size arrays (no pointers
 * inside), freed with plan_free().
 */
#ifndef XJ_PLAN_H
#define XJ_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "xianjiao/core.h"
#include "xianjiao/error.h"

#define PLAN_ID_MAX 48      /* ids: [a-z0-9_], 1..47 bytes */
#define PLAN_NAME_MAX 192   /* Chinese names, bytes incl. NUL */
#define PLAN_SOURCE_MAX 512 /* source notes, bytes incl. NUL */
#define PLAN_KINDS_MAX 64
#define PLAN_FIELDS_MAX 8 /* fields per record kind */
#define PLAN_STATES_MAX 12
#define PLAN_STAGES_MAX 8
#define PLAN_BATCHES_MAX 8
#define PLAN_REQS_MAX 256
#define PLAN_TREATS_MAX 4 /* treatment rules per requirement */
#define PLAN_WHERE_MAX 4  /* equality filters per metric */
#define PLAN_PROBLEMS_MAX 64

/* Values are exact: numbers are held in hundredths (centi-units), so
 * 2.5 hours is 250 and a count of 3 is 300. */
#define PLAN_CENTI 100
/* Largest number a record field may carry, in whole units. */
#define PLAN_NUMBER_MAX 10000000

/* What a record is about. */
enum plan_subject {
	SUBJECT_MEMBER, /* one member (member_id set; org_id is the branch) */
	SUBJECT_ORG,    /* an organisation (member_id 0) */
};

/* The type of a field in a record's JSON payload. */
enum plan_field_type {
	FIELD_NUMBER, /* non-negative number, e.g. hours; at most 2 decimals */
	FIELD_ZISHU, /* 字数 of a text: the payload gives the text (counted by
	              * text_zishu) or the count of a paper copy */
	FIELD_TEXT,  /* free text (may be used in `where`) */
	FIELD_ENUM,  /* one of `values` (may be used in `where`) */
	FIELD_STATE, /* a workflow state, one of the ordered `values` */
	FIELD_MEMBER, /* a member id (a counterpart, a speaker) */
	FIELD_DATE,   /* YYYY-MM-DD */
};

struct plan_field {
	char name[PLAN_ID_MAX];
	enum plan_field_type type;
	int required;
	/* FIELD_ENUM, FIELD_STATE: the values, in order (states: earliest
	 * first; a state metric compares positions). */
	char values[PLAN_STATES_MAX][PLAN_NAME_MAX];
	int nvalues;
	/* FIELD_ENUM, `multiple: true`: the payload gives a non-empty list
	 * of distinct values (the materials a session studied). Such a field
	 * is never a `where` filter nor a must_be condition. */
	int multiple;
	/*
	 * FIELD_MEMBER, `must_be`: who may be named. When the record's field
	 * must_when_field equals must_when_value (always, if -1), the member
	 * named must be given (must_required), be in one of must_categories
	 * and, with must_same_unit, belong on the record's date to the unit of
	 * the record's organisation: 党课 by a 党员领导干部 of the unit.
	 */
	uint32_t must_categories; /* 0: no rule */
	int must_required;
	int must_same_unit;
	int must_when_field;
	char must_when_name[PLAN_ID_MAX];
	char must_when_value[PLAN_NAME_MAX];
};

#define PLAN_ESCALATION_MAX 6 /* steps of an escalation ladder */

/*
 * An escalation ladder on a member kind (`escalation`, DOMAIN.md §12.3):
 * a member's current records of the kind whose field equals value are
 * counted, and the n-th reaches steps[n-1] (the last step stays). 佩戴党
 * 徽: 1st 当场指出, 2nd 提出批评, 3rd 作出警告并在单位通报. nsteps 0:
 * none.
 */
struct plan_escalation {
	int field; /* index into the kind's fields */
	char value[PLAN_NAME_MAX];
	char steps[PLAN_ESCALATION_MAX][PLAN_NAME_MAX];
	int nsteps;
};

/* A record kind: the records a plan's metrics count. */
struct plan_kind {
	char id[PLAN_ID_MAX];
	char name[PLAN_NAME_MAX];
	enum plan_subject subject;
	struct plan_field fields[PLAN_FIELDS_MAX];
	int nfields;
	struct plan_escalation escalation;
	int line, column; /* where it is declared */
};

/* Where a requirement's subjects are: DOMAIN.md "scope". */
enum plan_scope {
	PSCOPE_MEMBER, /* every member (of the unit's branches) */
	PSCOPE_BRANCH, /* every 党支部 */
	PSCOPE_UNIT,   /* every unit (单位) */
	PSCOPE_SYSTEM, /* every 系统 */
	PSCOPE__MAX
};

enum plan_req_kind {
	REQ_REQUIRED, /* 规定动作 */
	REQ_OPTIONAL, /* 自选动作: never stands in for a required one */
};

/*
 * Metrics, over the subject's current records of one kind that match
 * every `where` filter. A member's records are those with its member_id;
 * an organisation's (branch, unit, 系统) are the SUBJECT_ORG records on
 * any organisation in its subtree (a 系统: in its units' subtrees).
 */
enum plan_metric_type {
	METRIC_COUNT,          /* number of records */
	METRIC_SUM,            /* sum of a NUMBER or ZISHU field */
	METRIC_MAX,            /* largest single value of that field (one
	                        * 心得体会 of 3,000 字) */
	METRIC_DISTINCT_SHARE, /* members only: distinct members named in a
	                        * MEMBER field who belong to the subject's
	                        * branch, divided by the branch's other
	                        * members (talk coverage, DOMAIN.md §7) */
	METRIC_STATE,          /* furthest state reached in a STATE field; the
	                        * threshold is a state name */
	METRIC_RATIO,          /* sum of field over sum of field2 (ballots) */
	METRIC__MAX
};

struct plan_where {
	int field; /* index into the kind's fields (TEXT, ENUM or STATE) */
	char value[PLAN_NAME_MAX];
};

struct plan_metric {
	enum plan_metric_type type;
	int kind;   /* index into plan.kinds */
	int field;  /* index into the kind's fields, -1 for COUNT */
	int field2; /* RATIO: the denominator field, else -1 */
	struct plan_where where[PLAN_WHERE_MAX];
	int nwhere;
};

enum plan_cmp { CMP_GE, CMP_GT, CMP_LE, CMP_LT, CMP_EQ };

/* An exact fraction; den > 0. Thresholds are written 40, 2.5, 2/3, 70%. */
struct plan_ratio {
	int64_t num, den;
};

/* A condition on a member: in any of the categories in the mask and, if
 * away_months_min > 0, a 流动党员 whose absence (member.absence_months)
 * is at least that many months. */
struct plan_cond {
	uint32_t categories; /* MCAT_BIT mask; 0 is never true */
	int away_months_min;
};

/*
 * A treatment: members matching `when` are exempt (not counted at all,
 * shown as 免于要求 with the note) or held to another metric, comparison
 * and threshold. The first matching treatment applies; members only.
 */
struct plan_treat {
	struct plan_cond when;
	int exempt;
	int has_metric; /* else metric/cmp/threshold of the requirement */
	struct plan_metric metric;
	enum plan_cmp cmp;
	struct plan_ratio threshold;
	char note[PLAN_SOURCE_MAX];
};

struct plan_req {
	char id[PLAN_ID_MAX];
	char name[PLAN_NAME_MAX];     /* 集中学习不少于40小时 */
	char source[PLAN_SOURCE_MAX]; /* seed file and quotation */
	/* display unit: 小时, 字, 次 ("" if none) */
	char unit[PLAN_ID_MAX * 2];
	int stage; /* index into plan.stages */
	enum plan_scope scope;
	enum plan_req_kind kind;
	struct plan_metric metric;
	enum plan_cmp cmp;
	struct plan_ratio threshold; /* STATE: num is the state's position */
	struct plan_treat treats[PLAN_TREATS_MAX];
	int ntreats;
	/* How a unit (and a branch, a 系统) aggregates its subjects: it
	 * passes when passing ÷ counted subjects ≥ share. Default 1 (一个不
	 * 漏: every subject that is not exempt). */
	struct plan_ratio share;
	int gate;          /* must pass before the stage transition (转段) */
	int weight;        /* for ranking units, 0..100 */
	int deadline_days; /* days after the stage starts; 0: the stage end */
	int line, column;
};

#define PLAN_LOOKBACK_MAX 8 /* 回头看 items per stage */

/* One question of a stage's 回头看 (look-back) checklist: each unit answers
 * every item before its self-check and its application for 转段
 * (DOMAIN.md §5.1 step 1; workflow.h). */
struct plan_lookback {
	char id[PLAN_ID_MAX];
	char text[PLAN_SOURCE_MAX];   /* the question, 简体中文 */
	char source[PLAN_SOURCE_MAX]; /* seed file and quotation */
};

struct plan_stage {
	char id[PLAN_ID_MAX];
	char name[PLAN_NAME_MAX];
	int after[PLAN_STAGES_MAX]; /* indices of the stages it follows */
	int nafter;
	int order; /* 0-based position in a topological order */
	int line, column;
	/* the 回头看 before leaving this stage, in the plan's order */
	struct plan_lookback lookback[PLAN_LOOKBACK_MAX];
	int nlookback;
};

struct plan_batch {
	int ordinal; /* 1 第一批 ... */
	char name[PLAN_NAME_MAX];
	int32_t start[PLAN_STAGES_MAX]; /* per stage index, days (date.h) */
	int32_t end[PLAN_STAGES_MAX];
};

struct plan {
	char name[PLAN_NAME_MAX];     /* campaign name */
	char source[PLAN_SOURCE_MAX]; /* where the plan comes from */
	struct plan_kind kinds[PLAN_KINDS_MAX];
	int nkinds;
	struct plan_stage stages[PLAN_STAGES_MAX];
	int nstages;
	struct plan_batch batches[PLAN_BATCHES_MAX];
	int nbatches;
	struct plan_req reqs[PLAN_REQS_MAX];
	int nreqs;
};

struct plan_problem {
	int line, column; /* 1-based; 0 when the whole file is at fault */
	char msg[320];    /* 简体中文 */
};

struct plan_problems {
	struct plan_problem p[PLAN_PROBLEMS_MAX];
	int n;
	int more; /* problems beyond PLAN_PROBLEMS_MAX were not kept */
};

/*
 * Parse and check a plan. On success *out is the plan (plan_free()).
 * Otherwise every problem found is in probs (each with line:column and a
 * reason) and the return is XJ_EINVAL; err names the first one. name is
 * used in messages ("plans/x.yaml").
 */
enum xj_err plan_parse(const char *text, size_t len, const char *name,
                       struct plan **out, struct plan_problems *probs,
                       struct xj_error *err);
enum xj_err plan_load(const char *path, struct plan **out,
                      struct plan_problems *probs, struct xj_error *err);
void plan_free(struct plan *p);

/* Look-ups by id; -1 when there is none. */
int plan_kind_find(const struct plan *p, const char *id);
int plan_field_find(const struct plan_kind *k, const char *name);
int plan_stage_find(const struct plan *p, const char *id);
int plan_batch_find(const struct plan *p, int ordinal);

/* Compare a value with a threshold exactly: value cmp threshold. */
int plan_compare(struct plan_ratio value, enum plan_cmp cmp,
                 struct plan_ratio threshold);
const char *plan_cmp_text(enum plan_cmp c); /* ">=" ... */
const char *plan_scope_name(enum plan_scope s); /* 党员, 党支部, 单位, 系统 */
const char *plan_metric_name(enum plan_metric_type t); /* count ... */
/* The plan file's name of a field type: number, zishu, text ... */
const char *plan_field_type_name(enum plan_field_type t);

#endif
