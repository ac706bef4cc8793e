/*
 * workflow.h - 转段, the gated move of a unit from one stage of the plan to
 * the next (DOMAIN.md §5), with 补课 orders, deadlines and extensions, and
 * the office's 明查暗访 spot checks.
 *
 * Per unit, within its current stage k (stage ids and their 回头看 items
 * come from the plan, plan.h):
 *
 *   进行中 (in stage k) --lookback--> 回头看 --selfcheck--> 自查
 *       --apply--> 申请转段 --sign--> 督导组已验收 --approve--> in stage k+1
 *                          --return--> 回头看          --remedy--> in stage k
 *   and after the last stage: --approve--> 总结 --summary--> 完成
 *
 * - 回头看 (§5.1 step 1): the unit answers every look-back item of its
 *   stage; revising an answer after the self-check takes it back to 回头看.
 * - 申请转段 (step 2) is refused while a gating requirement of the stage
 *   fails in the engine's live view, or while a 补课 item is open: the
 *   refusal lists them with the engine's explanation. The office may
 *   apply over them (override) only with a written reason, which is kept
 *   on the unit until it leaves the stage and shown with its status.
 * - 督导组验收 (step 3): signed, or returned with reasons, by a supervisor
 *   of the unit's 系统; the office does not sign for the group.
 * - 先教办审批 (step 4, §17 A1/A18): the office approves, or orders 补课
 *   (items with a deadline, step 6): the unit is back in stage k with the
 *   items open until each is marked done with its evidence.
 * - 完成 is the consolidation state of §3.2: the unit's campaign bodies
 *   are kept (nothing is archived).
 *
 * Every step is one row of the unit's history (store.h wf_transitions):
 * actor, the day it happened, when it was entered, reason and details,
 * and an audit entry. Illegal steps are refused with XJ_ECONFLICT naming
 * the state and what is allowed from it. Each unit's state row carries a
 * version: a step names the version it read, so of two people acting on
 * one unit at once only the first succeeds.
 *
 * Deadlines (§5.2, §17 A17) are soft: a stage's deadline is the end of the
 * unit's batch window for it in the plan, moved back by as many days as
 * the unit entered the stage late (顺延, seed 001), unless the office has
 * extended it (a reason is required: 时间服从质量). Overdue units are
 * listed, never blocked.
 *
 * Functions that write run inside the caller's transaction (store_begin
 * ... store_commit; roll back on any error). Strings passed in are
 * borrowed; JSON returned is a new reference the caller json_decref()s.
 */
#ifndef XJ_WORKFLOW_H
#define XJ_WORKFLOW_H

#include <stdint.h>

#include "xianjiao/core.h"
#include "xianjiao/error.h"

struct store;
struct plan;
struct engine;
struct json_t;
struct wf_unit_row;

enum wf_state {
	WF_IN_STAGE,  /* 进行中: working on stage k */
	WF_LOOKBACK,  /* 回头看 */
	WF_SELFCHECK, /* 自查: the self-check report is in */
	WF_APPLIED,   /* 申请转段: waiting for the 督导组 */
	WF_SIGNED,    /* 督导组已验收: waiting for 先教办审批 */
	WF_SUMMARY,   /* 总结: the last stage is approved */
	WF_DONE,      /* 完成: consolidation, bodies kept (§3.2) */
	WF_STATE__MAX
};

enum wf_action {
	WF_LOOKBACK_ANSWER,  /* lookback: answer one 回头看 item */
	WF_SELFCHECK_SUBMIT, /* selfcheck: submit the 自查 report */
	WF_APPLY,            /* apply: 申请转段, gated */
	WF_OVERRIDE,         /* override: the office applies over the gate */
	WF_SIGN,             /* sign: 督导组验收签字 */
	WF_RETURN,           /* return: 督导组退回, with reasons */
	WF_APPROVE,          /* approve: 先教办批准转段 */
	WF_REMEDY,           /* remedy: 先教办责令补课 */
	WF_REMEDY_DONE,      /* done: one 补课 item done, with evidence */
	WF_EXTEND,           /* extend: a later stage deadline, with reason */
	WF_SUMMARIZE,        /* summary: the closing summary (总结) */
	WF_FINDING,          /* finding: a spot check orders 补课 */
	WF_ACTION__MAX
};

/* Who may take each action (core.h ROLE_BIT masks); the HTTP routes use
 * the same masks, and a test holds them equal. */
#define WF_ROLES_UNIT (ROLE_BIT(ROLE_OFFICE) | ROLE_BIT(ROLE_UNIT))
#define WF_ROLES_SUPERVISOR ROLE_BIT(ROLE_SUPERVISOR)
#define WF_ROLES_OFFICE ROLE_BIT(ROLE_OFFICE)
/* Who may see a unit's transition state and history. */
#define WF_ROLES_READ                                                          \
	(ROLE_BIT(ROLE_OFFICE) | ROLE_BIT(ROLE_SUPERVISOR) |                   \
	 ROLE_BIT(ROLE_UNIT))

/* Bounds on what people write, in characters. */
#define WF_REASON_MAX 500
#define WF_ANSWER_MAX 2000
#define WF_REPORT_MAX 20000
#define WF_ITEM_MAX 200                       /* one 补课 item */
#define WF_ITEMS_MAX 20                       /* items in one order */
#define WF_SEED_MAX INT64_C(9007199254740991) /* 2^53 - 1: exact in JSON */

unsigned wf_action_roles(enum wf_action a);
const char *wf_state_code(enum wf_state s);   /* "in_stage" ... */
const char *wf_state_name(enum wf_state s);   /* "进行中" ... */
const char *wf_action_code(enum wf_action a); /* "lookback" ... */
const char *wf_action_name(enum wf_action a); /* "回头看" ... */
/* -1 if code names no action. */
int wf_action_parse(const char *code);

/*
 * The state an action leads to from s, or -1 when it is not allowed
 * there (whatever the guards say). WF_APPROVE from WF_SIGNED gives
 * WF_IN_STAGE (of the next stage), or WF_SUMMARY after the last stage;
 * actions that record something without moving (done, extend) give s.
 */
int wf_next(enum wf_state s, enum wf_action a, int last_stage);
/* The actions allowed from s (bits 1 << enum wf_action). */
unsigned wf_allowed(enum wf_state s);

/* What every call needs. */
struct wf_ctx {
	struct store *st;
	const struct plan *p;
	/* The engine for the gate (apply, override); NULL: one is built
	 * from the store when needed. A given engine is kept in step:
	 * engine_set_unit_stage() after an approval. */
	struct engine *e;
	int64_t actor; /* user id; 0: the command line (system operator) */
	int32_t today; /* Beijing date (date.h) */
};

struct wf_request {
	enum wf_action action;
	int64_t unit;
	int32_t on;             /* the day it happened, <= today; 0: today */
	const char *reason;     /* required for return, override, remedy,
	                     * extend; optional otherwise */
	const char *text;       /* lookback: the answer; selfcheck, summary: the
	                     * report; done: the evidence */
	const char *item;       /* lookback: the plan's look-back item id */
	int64_t item_id;        /* done: the 补课 item */
	const char *items;      /* remedy: the items, one per line (or split
	                     * by ; or ；) */
	int32_t date;           /* remedy: the deadline; extend: the new one */
	int64_t expect_version; /* the version acted on; 0: the current */
};

struct wf_outcome {
	int64_t transition_id;
	int64_t version; /* the unit's version after the step */
	enum wf_state from, to;
	int stage, to_stage; /* plan.stages indices */
	/* On XJ_ECONFLICT from workflow_act(): why, as JSON for the caller
	 * to show: {"state", "state_name", "stage", "version", "allowed":
	 * [{"action","name"}], "failing": [explained requirements],
	 * "open_remedies": [...]} (NULL otherwise). */
	struct json_t *refusal;
};

/*
 * Take one step on a unit. Refusals: XJ_ENOTFOUND (no such unit),
 * XJ_EINVAL naming the field (a missing reason, an unknown item, a date
 * in the future...), XJ_ECONFLICT with out->refusal (not allowed in this
 * state, the gate, an open 补课 item, a stale expect_version). Who may
 * take it is the caller's check (the router, or workflow_authorize()).
 */
enum xj_err workflow_act(const struct wf_ctx *c, const struct wf_request *r,
                         struct wf_outcome *out, struct xj_error *err);

/*
 * May user act with the given roles mask on unit: holding one of the
 * roles, with the unit inside that role's scope (store_scope_org), the
 * decision the HTTP router makes. user 0 is the command line's operator,
 * who acts as the office: only WF_ROLES_OFFICE actions are allowed to it.
 * XJ_EFORBIDDEN (no such role held) or XJ_ENOTFOUND (out of scope, as
 * if it did not exist).
 */
enum xj_err workflow_authorize(struct store *st, int64_t user, unsigned roles,
                               int64_t unit, struct xj_error *err);

/*
 * The deadline of stage for a unit of batch ordinal batch that entered
 * the stage on entered (0: at the window's start), extended to
 * extended_until (0: not extended); 0 when the plan gives no window.
 */
int32_t wf_stage_deadline(const struct plan *p, int batch, int stage,
                          int32_t entered, int32_t extended_until);

/*
 * When stage began for unit (the day it entered, or its batch's window
 * start) and the day it must end (wf_stage_deadline: late entry and
 * extensions counted); 0 for what the plan does not give. A requirement
 * with deadline_days is due that many days after *start, any other at
 * *deadline. XJ_ENOTFOUND when unit is not a unit.
 */
enum xj_err wf_stage_dates(struct store *st, const struct plan *p, int64_t unit,
                           int stage, int32_t *start, int32_t *deadline,
                           struct xj_error *err);

/* --- what people read (JSON) ------------------------------------------ */

/*
 * A unit's workflow: stage, state, version, deadline and overdue days,
 * the override, the 回头看 items with their answers, the current self-
 * check report, the 补课 items, and the actions allowed now with who may
 * take them and the next step in words.
 */
enum xj_err workflow_unit_json(const struct wf_ctx *c, int64_t unit,
                               struct json_t **out, struct xj_error *err);
/* Its history, oldest first. */
enum xj_err workflow_history_json(const struct wf_ctx *c, int64_t unit,
                                  struct json_t **out, struct xj_error *err);
/*
 * What waits for c->actor, by role held, with counts: the office's
 * signed units to approve and overdue units; a supervisor's units of its
 * 系统 that applied; a unit office's open 补课 items and next steps.
 */
enum xj_err workflow_queue_json(const struct wf_ctx *c, struct json_t **out,
                                struct xj_error *err);
/* Units past their stage deadline and 补课 items past theirs, as of
 * c->today, most overdue first. */
enum xj_err workflow_overdue_json(const struct wf_ctx *c, struct json_t **out,
                                  struct xj_error *err);

/*
 * Show each unit's 转段 state in the engine's status and explain JSON
 * (engine_set_unit_hook): a "transition" object with the state, the
 * deadline and, above all, an office override's reason. The annotations
 * hold a copy of what they show; free them after the engine's last
 * report (the hook is removed then).
 */
struct wf_annotations;
enum xj_err workflow_annotate(const struct wf_ctx *c,
                              struct wf_annotations **out,
                              struct xj_error *err);
void workflow_annotations_free(struct wf_annotations *a);

/* --- 明查暗访 spot checks (§5.1 step 5, §12.2) ------------------------ */

/*
 * The draw, a pure function: n of the npool unit ids in pool (sorted by
 * id), in the order drawn, into out (n <= npool). The generator is
 * SplitMix64 (Steele, Lea and Flood, 2014) seeded with the seed and the
 * 系统's id, so each 系统's draw depends only on the seed and its own
 * units; indices are drawn without bias by rejection and taken by a
 * partial Fisher-Yates shuffle. The same inputs always give the same
 * draw, on any machine.
 */
void wf_draw(uint64_t seed, int64_t system, const int64_t *pool, int npool,
             int n, int64_t *out);

/*
 * Draw per_system (2..4, DOMAIN §5.1: 「抽查每个市直系统的2-4个单位」)
 * units of every 系统 for stage (of batch ordinal batch, 0: all), with
 * seed (-1: a random one), and record it. A 系统 with fewer units gives
 * all of them. *id is the spot check.
 */
enum xj_err workflow_draw(const struct wf_ctx *c, int stage, int64_t seed,
                          int per_system, int batch, int64_t *id,
                          struct xj_error *err);

/*
 * Record a finding at a drawn unit: mode 明查 or 暗访, what was found,
 * and optionally 补课 items with a deadline (items NULL or "": none),
 * which send a unit that is still in the spot check's stage back to
 * 进行中 with the items open (a WF_FINDING step, in out).
 */
struct wf_finding {
	int64_t spot_check, unit;
	const char *mode;
	const char *text;
	const char *items;
	int32_t deadline;
	int32_t on; /* 0: today */
};
enum xj_err workflow_finding(const struct wf_ctx *c, const struct wf_finding *f,
                             int64_t *finding_id, struct wf_outcome *out,
                             struct xj_error *err);
/* Spot checks (id 0: all) with their units and findings. */
enum xj_err workflow_spotchecks_json(const struct wf_ctx *c, int64_t id,
                                     struct json_t **out, struct xj_error *err);

#endif
