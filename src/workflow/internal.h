/*
 * internal.h - what the workflow's source files share: a unit's state as
 * loaded, the plan's stage order, and checked text.
 */
#ifndef XJ_WORKFLOW_INTERNAL_H
#define XJ_WORKFLOW_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "xianjiao/plan.h"
#include "xianjiao/store.h"
#include "xianjiao/workflow.h"

/* A unit's 转段 state, read from the store (store_wf_units_each). */
struct wf_unit {
	int64_t id, system_id;
	char code[NAME_MAX_CHARS * 4 + 1];
	char name[NAME_MAX_CHARS * 4 + 1];
	int batch;
	int stage; /* index into plan.stages */
	enum wf_state state;
	int32_t entered_on, extended_until, remedy_deadline, last_on;
	int64_t version; /* 0: no state row yet */
	int64_t override_by;
	char override_reason[WF_REASON_MAX * 4 + 1];
	int open_remedies;
};

/* The first stage (order 0), and the one after s (-1 after the last). */
int wf_first_stage(const struct plan *p);
int wf_next_stage(const struct plan *p, int s);

/* Fill u from a stored row; XJ_ECONFLICT when the row names a stage the
 * plan in force does not have. */
enum xj_err wf_unit_take(const struct plan *p, const struct wf_unit_row *r,
                         struct wf_unit *u, struct xj_error *err);
/* Load unit id: XJ_ENOTFOUND when it is not a unit (单位). */
enum xj_err wf_unit_load(struct store *st, const struct plan *p, int64_t id,
                         struct wf_unit *u, struct xj_error *err);
/* The unit's current stage deadline (0: none). */
int32_t wf_unit_deadline(const struct plan *p, const struct wf_unit *u);

/*
 * Check text a person wrote for field: valid UTF-8, at most max
 * characters and, when required, not blank. NULL is "not given".
 */
enum xj_err wf_text(const char *s, const char *field, const char *what,
                    size_t max, int required, struct xj_error *err);

/* A step taken for a spot-check finding (spot.c) on loaded unit u. */
enum xj_err wf_finding_step(const struct wf_ctx *c, const struct wf_unit *u,
                            const struct wf_request *r, int64_t finding_id,
                            struct wf_outcome *out, struct xj_error *err);

/* JSON helpers. */
json_t *wf_date_json(int32_t d); /* "YYYY-MM-DD", null for 0 */
json_t *wf_stage_json(const struct plan *p, int s);
json_t *wf_unit_brief(const struct plan *p, const struct wf_unit *u,
                      int32_t today);
json_t *wf_allowed_json(const struct wf_unit *u, const struct plan *p);
/* The 补课 items of a unit (0: all), only open ones if open_only. */
enum xj_err wf_remedies_json(struct store *st, int64_t unit, int open_only,
                             int32_t today, json_t **out, struct xj_error *err);

#endif
