/*
 * internal.h - the engine's arrays, shared by its source files.
 *
 * Everything is indexed by the dense ids the store hands out (organisation,
 * member, record); index 0 is unused. Records are columns (struct of
 * arrays): a kind byte, flags, the subject, two dates, the record that
 * superseded it, the next record of the same subject, and the values of
 * only those payload fields the plan's metrics read (slots).
 *
 * A view (struct eng_view) holds every evaluated value: per member and
 * member-scope requirement an accumulator and a state; per organisation the
 * pass counts of its subtree; per branch/unit/系统 subject its own value.
 * The live view is updated in place; a view as of a date is computed in
 * one pass over the records.
 */
#ifndef XJ_ENGINE_INTERNAL_H
#define XJ_ENGINE_INTERNAL_H

#include <stdint.h>

#include "xianjiao/engine.h"

#define NO_KIND 0xff

/* A metric compiled against slots: where to read each value. */
struct cmetric {
	uint8_t type; /* enum plan_metric_type */
	uint8_t kind;
	int8_t slot, slot2; /* -1 if unused */
	int8_t nwhere;
	int8_t wslot[PLAN_WHERE_MAX];
	int32_t wval[PLAN_WHERE_MAX]; /* value to equal; -2 never matches */
};

/* A requirement as the engine uses it. */
struct creq {
	int req; /* index into plan.reqs */
	enum plan_scope scope;
	int idx; /* index among requirements of its scope group */
	struct cmetric m;
	struct cmetric tm[PLAN_TREATS_MAX]; /* per treatment (if has_metric) */
};

struct acc {
	int64_t a, b;
};

/* Per kind: the fields kept, and the requirements that read the kind. */
struct ckind {
	int8_t slot_of[PLAN_FIELDS_MAX]; /* field -> slot, -1 if not kept */
	int nslots;
	/* TEXT fields used in where: the values compared with */
	const char *wtext[PLAN_FIELDS_MAX][PLAN_REQS_MAX];
	int nwtext[PLAN_FIELDS_MAX];
	int *mreqs; /* member-scope creq indices reading this kind */
	int nmreqs;
	int *oreqs; /* org-scope creq indices reading this kind */
	int noreqs;
};

struct engine {
	const struct plan *p;
	struct creq *reqs; /* one per plan requirement */
	int nreqs;
	int nmr;            /* member-scope requirements */
	int nor;            /* branch- and unit-scope requirements */
	int nsr;            /* system-scope requirements */
	int *mr, *orq, *sr; /* creq index of each, by group index */
	int has_distinct;
	struct ckind kinds[PLAN_KINDS_MAX];
	int nslots; /* slots per record (largest over kinds) */

	/* organisations, by id */
	int64_t norg, caporg;
	struct eng_org *org; /* name/code owned */
	int32_t *unit_of;    /* nearest ancestor-or-self unit, 0 if none */
	int32_t *sys_of;     /* system of unit_of, 0 if none */
	uint8_t *depth;
	int32_t *first_child, *next_sibling;
	int32_t *order; /* ids in insertion order (parents first) */
	int64_t norder;
	int32_t *sys_next; /* next unit of the same system */
	int32_t *sys_head; /* first unit of system s */
	int64_t nsys, capsys;
	uint8_t *sys_seen;

	/* members, by id */
	int64_t nmem, capmem;
	int32_t *branch0; /* branch before any movement */
	int32_t *in_from; /* first day counted */
	uint32_t *cats;
	int16_t *away;
	char **mname;
	int32_t *mrec_head; /* first record of the member */
	int32_t *mv_head, *mv_tail;

	/* movements */
	int64_t nmv, capmv;
	uint8_t *mv_kind;
	int32_t *mv_date, *mv_to, *mv_next;

	/* records, by id */
	int64_t nrec, caprec, nrec_live;
	uint8_t *rkind; /* NO_KIND for an unused id */
	uint8_t *rvoid;
	int32_t *rsubj; /* member id, or org id for SUBJECT_ORG kinds */
	int32_t *rhap, *rent;
	int32_t *rsupby;    /* the record that superseded it, 0 if none */
	int32_t *rnext;     /* next record of the same subject */
	int32_t *rval;      /* nslots per record */
	int32_t *orec_head; /* by org: first org record */

	/* stages of units: per unit a list of moves into a stage (转段),
	 * in date order; a unit without one is in the first stage */
	int32_t *stg_head, *stg_tail; /* by org: first and last move */
	int64_t nstg, capstg;
	int8_t *stg_stage;
	int32_t *stg_date, *stg_next;

	/* adds to each unit's status JSON (engine_set_unit_hook) */
	eng_unit_hook hook;
	void *hook_ctx;

	/* every store record with an id up to this is in the arrays (set by
	 * engine_build); -1 once a live addition skipped an id */
	int64_t covered;

	struct eng_view *live;
	int bulk; /* loading: the live view is computed once at the end */
};

struct eng_view {
	const struct engine *e;
	int32_t date;  /* what had happened by then */
	int32_t known; /* counting what had been entered by then */
	int live;
	int64_t nmem, norg, nsys; /* sizes the arrays below cover */
	int32_t *branch; /* by member: branch on the date, 0 if absent */
	/* live only: members of each branch (present), doubly linked */
	int32_t *bhead, *bnext, *bprev;
	int32_t *bsize;   /* present members per branch */
	struct acc *macc; /* [m * nmr + i] */
	uint8_t *mstate;
	int32_t *mcnt;    /* [o * nmr + i] * 3: counted, passed, exempt */
	struct acc *oacc; /* [o * nor + i]: own value of branch/unit subjects */
	uint8_t *ostate;
	int32_t *ocnt;    /* [o * nor + i] * 2: subjects in subtree, passing */
	struct acc *sacc; /* [s * nsr + i] */
	uint8_t *sstate;
	int32_t *scratch; /* distinct share: counterparts being counted */
	size_t nscratch;
	int32_t *stack; /* subtree walks */
};

/* engine.c */
const struct cmetric *eng_effective(const struct engine *e,
                                    const struct creq *c, int64_t m,
                                    int *treat);
int eng_where_match(const struct engine *e, const struct cmetric *cm,
                    int64_t rec);
void eng_acc_add(const struct engine *e, const struct cmetric *cm,
                 struct acc *a, int64_t rec, int sign);
int eng_needs_rescan(const struct cmetric *cm);
struct plan_ratio eng_acc_value(const struct cmetric *cm, const struct acc *a);
struct plan_ratio eng_acc_raw(const struct cmetric *cm, const struct acc *a);
enum eng_state eng_judge(const struct engine *e, const struct creq *c,
                         int64_t m, const struct acc *a, int present);
enum eng_state eng_judge_org(const struct engine *e, const struct creq *c,
                             const struct acc *a);
int eng_org_in(const struct engine *e, int64_t o, const struct creq *c);

/* Size the organisation, member and record arrays for ids up to these
 * at once (a rebuild knows the largest ids), instead of doubling. */
void eng_reserve(struct engine *e, int64_t org, int64_t mem, int64_t rec);

/* snapshot.c: fill the record columns from the store's snapshot. 1: done,
 * records up to e->covered are in; 0: not usable, why says why ("" if
 * there is none; the engine's records may be half-filled: start again);
 * -1: the store failed (err). */
int eng_snapshot_load(struct engine *e, struct store *st, int64_t max_record,
                      char *why, size_t whysize, struct xj_error *err);

/* view.c */
struct eng_view *view_alloc(const struct engine *e, int32_t date, int live);
void view_compute(struct eng_view *v);
void view_grow(struct eng_view *v);
int view_counts(const struct eng_view *v, int64_t rec);
/* live view: a member moved to branch b (0: left), a record started (sign
 * 1) or stopped (-1) counting, an organisation was added */
void view_live_member_move(struct eng_view *v, int64_t m, int32_t b);
void view_live_record(struct eng_view *v, int64_t rec, int sign);
void view_live_org_added(struct eng_view *v, int64_t o);

#endif
