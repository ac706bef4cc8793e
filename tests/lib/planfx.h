/*
 * planfx.h - plans built directly in C for the engine tests, so they do
 * not depend on the YAML parser. The record kinds are those of the
 * reference plan (their ids are fixed, see plans/2005-xianjiao.yaml).
 *
 * Every helper aborts the test process on misuse (an unknown id, a table
 * full): a fixture that cannot be built is a bug in the test.
 */
#ifndef XJ_TEST_PLANFX_H
#define XJ_TEST_PLANFX_H

#include <stdint.h>

#include "xianjiao/plan.h"

/* A zeroed plan (free()) with one stage "learn" and one batch, and the
 * reference plan's record kinds. */
struct plan *planfx_new(void);

/* Add a record kind; returns its index. Fields follow with
 * planfx_field(). */
int planfx_kind(struct plan *p, const char *id, const char *name,
                enum plan_subject subject);
/* Add a field to the last kind; values (ENUM, STATE) NULL-terminated. */
int planfx_field(struct plan *p, const char *name, enum plan_field_type type,
                 int required, ...);

/* Look-ups that abort when the id is not there. */
int planfx_kind_index(const struct plan *p, const char *id);
int planfx_field_index(const struct plan *p, int kind, const char *name);
/* Position of value among the field's values. */
int planfx_value_index(const struct plan *p, int kind, int field,
                       const char *value);

/*
 * Add a requirement: metric type over kind (by id) and field (by name,
 * NULL for none), compared with cmp against num/den. Share 1, no
 * treatments, stage 0. Returns the requirement, to be refined.
 */
struct plan_req *planfx_req(struct plan *p, const char *id,
                            enum plan_scope scope, enum plan_metric_type type,
                            const char *kind, const char *field,
                            enum plan_cmp cmp, int64_t num, int64_t den);
/* RATIO: the denominator field. */
void planfx_field2(const struct plan *p, struct plan_metric *m,
                   const char *field);
/* Add an equality filter on field (by name) to m. */
void planfx_where(const struct plan *p, struct plan_metric *m,
                  const char *field, const char *value);
/* Add a treatment to r for members in categories (MCAT_BIT mask) away
 * at least away_months_min months (0: any): exempt, or held to cmp and
 * num/den over the requirement's own metric. Returns it, so a test can
 * give it a metric of its own (planfx_treat_metric). */
struct plan_treat *planfx_treat(struct plan_req *r, uint32_t categories,
                                int away_months_min, int exempt,
                                enum plan_cmp cmp, int64_t num, int64_t den);
void planfx_treat_metric(const struct plan *p, struct plan_treat *t,
                         enum plan_metric_type type, const char *kind,
                         const char *field);

#endif
