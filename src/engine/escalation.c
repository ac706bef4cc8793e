/*
 * escalation.c - escalation ladders (plan.h, struct plan_escalation): per
 * member, how many current records match the ladder's condition and the
 * step that count has reached (DOMAIN.md §12.3: a badge found missing
 * once is pointed out, twice criticised, three times warned and named in
 * the unit). Counted by the store in one grouped query per ladder.
 */
#include <jansson.h>
#include <string.h>

#include "xianjiao/engine.h"
#include "xianjiao/store.h"

static int level_of(const struct plan_escalation *x, int64_t count)
{
	return count <= 0 ? 0 : count >= x->nsteps ? x->nsteps : (int)count;
}

static json_t *steps_json(const struct plan_escalation *x)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < x->nsteps; i++)
		json_array_append_new(a, json_string(x->steps[i]));
	return a;
}

struct ladder {
	const struct plan_escalation *x;
	json_t *levels; /* org: one array of members per level */
	int64_t count;  /* member: the count */
};

static int take_org(void *ctx, const struct match_count *c)
{
	struct ladder *l = ctx;
	int level = level_of(l->x, c->count);

	if (level > 0)
		json_array_append_new(
		    json_object_get(json_array_get(l->levels, level - 1),
		                    "members"),
		    json_pack("{s:I,s:s,s:I}", "member_id",
		              (json_int_t)c->member_id, "name", c->name,
		              "count", (json_int_t)c->count));
	return 0;
}

static int take_member(void *ctx, const struct match_count *c)
{
	struct ladder *l = ctx;

	l->count = c->count;
	return 1;
}

enum xj_err eng_escalations_json(struct store *st, const struct plan *p,
                                 int64_t org_id, int64_t member_id,
                                 struct json_t **out, struct xj_error *err)
{
	json_t *kinds = json_array();
	enum xj_err e = XJ_OK;
	int k, i;

	*out = NULL;
	for (k = 0; k < p->nkinds && e == XJ_OK; k++) {
		const struct plan_kind *pk = &p->kinds[k];
		const struct plan_escalation *x = &pk->escalation;
		struct ladder l = { x, NULL, 0 };
		int level;

		if (x->nsteps == 0)
			continue;
		if (member_id != 0) {
			e = store_match_counts(
			    st, pk->id, pk->fields[x->field].name, x->value, 0,
			    member_id, take_member, &l, err);
			level = level_of(x, l.count);
			json_array_append_new(
			    kinds,
			    json_pack("{s:s,s:s,s:s,s:s,s:I,s:i,s:s,s:o}",
			              "kind", pk->id, "name", pk->name, "field",
			              pk->fields[x->field].name, "value",
			              x->value, "count", (json_int_t)l.count,
			              "level", level, "step",
			              level ? x->steps[level - 1] : "", "steps",
			              steps_json(x)));
			continue;
		}
		l.levels = json_array();
		for (i = 0; i < x->nsteps; i++)
			json_array_append_new(
			    l.levels,
			    json_pack("{s:i,s:s,s:[]}", "level", i + 1, "step",
			              x->steps[i], "members"));
		e = store_match_counts(st, pk->id, pk->fields[x->field].name,
		                       x->value, org_id, 0, take_org, &l, err);
		json_array_append_new(
		    kinds,
		    json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "kind", pk->id,
		              "name", pk->name, "field",
		              pk->fields[x->field].name, "value", x->value,
		              "steps", steps_json(x), "levels", l.levels));
	}
	if (e != XJ_OK) {
		json_decref(kinds);
		return e;
	}
	*out = kinds;
	return XJ_OK;
}
