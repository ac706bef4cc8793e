/*
 * spot.c - 明查暗访: the office's reproducible draw of 2-4 units per 系统
 * for a stage (DOMAIN.md §5.1 step 5, 「抽查每个市直系统的2-4个单位」),
 * and the findings recorded at the units drawn, which may order 补课.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/hash.h"

/*
 * SplitMix64 (Steele, Lea, Flood: "Fast splittable pseudorandom number
 * generators", OOPSLA 2014): a 64-bit counter advanced by the golden
 * ratio, each output a bijective mix of the counter. Written here so the
 * draw never changes with a library: the same seed gives the same units
 * everywhere, for ever.
 */
struct sm64 {
	uint64_t s;
};

static uint64_t sm64_next(struct sm64 *r)
{
	uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0: outputs at or above the largest multiple of
 * n that fits are drawn again, so no index is more likely than another. */
static uint64_t sm64_below(struct sm64 *r, uint64_t n)
{
	uint64_t lim = UINT64_MAX - UINT64_MAX % n, x;

	do
		x = sm64_next(r);
	while (x >= lim);
	return x % n;
}

void wf_draw(uint64_t seed, int64_t system, const int64_t *pool, int npool,
             int n, int64_t *out)
{
	/* one stream per 系统: the seed plus the 系统's id times an odd
	 * constant (mod 2^64) */
	struct sm64 r = { seed +
		          (uint64_t)system * UINT64_C(0xd1b54a32d192ed03) };
	int64_t *t = xcalloc((size_t)npool + 1, sizeof(*t));
	int i;

	memcpy(t, pool, (size_t)npool * sizeof(*t));
	for (i = 0; i < n && i < npool; i++) {
		/* partial Fisher-Yates: t[i] takes a unit from t[i..] */
		int j = i + (int)sm64_below(&r, (uint64_t)(npool - i));
		int64_t x = t[i];

		t[i] = t[j];
		t[j] = x;
		out[i] = t[i];
	}
	free(t);
}

struct pool_ctx {
	int batch;
	int64_t *unit, *system;
	size_t n, cap;
};

static int take_pool(void *ctx, const struct wf_unit_row *r)
{
	struct pool_ctx *c = ctx;

	if (r->system_id <= 0 || (c->batch > 0 && r->batch_ordinal != c->batch))
		return 0;
	if (c->n + 1 > c->cap) {
		size_t cap = c->cap;

		xgrow((void **)&c->unit, &cap, c->n + 1, sizeof(*c->unit));
		xgrow((void **)&c->system, &c->cap, c->n + 1,
		      sizeof(*c->system));
	}
	c->unit[c->n] = r->unit_id;
	c->system[c->n] = r->system_id;
	c->n++;
	return 0;
}

static int cmp_pair(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;

	if (x[0] != y[0])
		return (x[0] > y[0]) - (x[0] < y[0]);
	return (x[1] > y[1]) - (x[1] < y[1]);
}

enum xj_err workflow_draw(const struct wf_ctx *c, int stage, int64_t seed,
                          int per_system, int batch, int64_t *id,
                          struct xj_error *err)
{
	struct pool_ctx pc = { batch, NULL, NULL, 0, 0 };
	struct spot_check_row sc;
	int64_t *pairs = NULL, *units = NULL, *systems = NULL, *pool = NULL;
	size_t i, k, ndrawn = 0;
	enum xj_err e;

	if (stage < 0 || stage >= c->p->nstages)
		return xj_error_field(err, XJ_EINVAL, "stage",
		                      "方案中没有此阶段");
	if (per_system < 2 || per_system > 4)
		return xj_error_field(err, XJ_EINVAL, "per_system",
		                      "每个系统抽查 2 至 4 个单位");
	if (seed < -1 || seed > WF_SEED_MAX)
		return xj_error_field(err, XJ_EINVAL, "seed",
		                      "随机种子须在 0 至 %lld 之间",
		                      (long long)WF_SEED_MAX);
	if (batch < 0)
		return xj_error_field(err, XJ_EINVAL, "batch", "批次无效");
	if (seed == -1) {
		char hex[15];
		int64_t v = 0;

		random_hex(hex, 7); /* 56 random bits, kept to 53 */
		for (i = 0; hex[i]; i++)
			v = v * 16 +
			    (hex[i] <= '9' ? hex[i] - '0' : hex[i] - 'a' + 10);
		seed = v & WF_SEED_MAX;
	}
	e = store_wf_units_each(c->st, 0, take_pool, &pc, err);
	if (e != XJ_OK)
		goto out;
	if (pc.n == 0) {
		e = xj_error_set(err, XJ_ECONFLICT,
		                 "没有可抽查的单位（须属于某个系统%s）",
		                 batch ? "，且在所选批次" : "");
		goto out;
	}
	/* (系统, unit) pairs in order: each 系统's pool sorted by id */
	pairs = xcalloc(pc.n * 2, sizeof(*pairs));
	for (i = 0; i < pc.n; i++) {
		pairs[2 * i] = pc.system[i];
		pairs[2 * i + 1] = pc.unit[i];
	}
	qsort(pairs, pc.n, 2 * sizeof(*pairs), cmp_pair);
	units = xcalloc(pc.n, sizeof(*units));
	systems = xcalloc(pc.n, sizeof(*systems));
	pool = xcalloc(pc.n, sizeof(*pool));
	for (i = 0; i < pc.n; i = k) {
		int64_t s = pairs[2 * i];
		int np = 0, take;

		for (k = i; k < pc.n && pairs[2 * k] == s; k++)
			pool[np++] = pairs[2 * k + 1];
		take = np < per_system ? np : per_system;
		wf_draw((uint64_t)seed, s, pool, np, take, units + ndrawn);
		while (take-- > 0)
			systems[ndrawn++] = s;
	}
	memset(&sc, 0, sizeof(sc));
	sc.stage = c->p->stages[stage].id;
	sc.seed = seed;
	sc.per_system = per_system;
	sc.batch = batch;
	sc.on_date = c->today;
	store_set_actor(c->st, c->actor);
	e = store_spot_check_add(c->st, &sc, units, systems, (int)ndrawn, id,
	                         err);
out:
	free(pc.unit);
	free(pc.system);
	free(pairs);
	free(units);
	free(systems);
	free(pool);
	return e;
}

struct one_spot {
	char stage[PLAN_ID_MAX];
	int found;
};

static int take_one(void *ctx, const struct spot_check_row *s)
{
	struct one_spot *o = ctx;

	snprintf(o->stage, sizeof(o->stage), "%s", s->stage);
	o->found = 1;
	return 1;
}

enum xj_err workflow_finding(const struct wf_ctx *c, const struct wf_finding *f,
                             int64_t *finding_id, struct wf_outcome *out,
                             struct xj_error *err)
{
	struct spot_finding_row row;
	struct one_spot sp = { "", 0 };
	struct wf_request r;
	struct wf_unit u;
	int drawn = 0, remedy;
	int32_t on = f->on ? f->on : c->today;
	enum xj_err e;

	memset(out, 0, sizeof(*out));
	if (f->mode == NULL ||
	    (strcmp(f->mode, "明查") != 0 && strcmp(f->mode, "暗访") != 0))
		return xj_error_field(err, XJ_EINVAL, "mode",
		                      "方式须为 明查 或 暗访");
	e = wf_text(f->text, "text", "发现的情况", WF_ANSWER_MAX, 1, err);
	if (e != XJ_OK)
		return e;
	if (on > c->today)
		return xj_error_field(err, XJ_EINVAL, "on",
		                      "办理日期不能晚于今天");
	e = store_spot_checks_each(c->st, f->spot_check, take_one, &sp, err);
	if (e != XJ_OK)
		return e;
	if (!sp.found || f->spot_check <= 0)
		return xj_error_field(err, XJ_ENOTFOUND, "spot_check",
		                      "没有编号为 %lld 的抽查",
		                      (long long)f->spot_check);
	e = wf_unit_load(c->st, c->p, f->unit, &u, err);
	if (e == XJ_OK)
		e = store_spot_drawn(c->st, f->spot_check, f->unit, &drawn,
		                     err);
	if (e != XJ_OK)
		return e;
	if (!drawn)
		return xj_error_field(err, XJ_ENOTFOUND, "unit",
		                      "单位“%s”不在第 %lld 次抽查之列", u.name,
		                      (long long)f->spot_check);
	remedy = f->items != NULL && f->items[0] != '\0';
	if (remedy && strcmp(c->p->stages[u.stage].id, sp.stage) != 0)
		return xj_error_set(err, XJ_ECONFLICT,
		                    "单位“%s”已不在抽查的阶段（现在%s），不能"
		                    "据此责令补课",
		                    u.name, c->p->stages[u.stage].name);
	memset(&row, 0, sizeof(row));
	row.spot_check_id = f->spot_check;
	row.unit_id = f->unit;
	row.mode = f->mode;
	row.text = f->text;
	row.remedy = remedy;
	row.on_date = on;
	store_set_actor(c->st, c->actor);
	e = store_spot_finding_add(c->st, &row, finding_id, err);
	if (e != XJ_OK || !remedy)
		return e;
	memset(&r, 0, sizeof(r));
	r.action = WF_FINDING;
	r.unit = f->unit;
	r.on = on;
	r.reason = f->text;
	r.items = f->items;
	r.date = f->deadline;
	return wf_finding_step(c, &u, &r, *finding_id, out, err);
}

struct spots_ctx {
	const struct wf_ctx *c;
	json_t *arr;
	struct xj_error *err;
	enum xj_err e;
};

static int add_unit(void *ctx, const struct spot_unit_row *u)
{
	json_array_append_new(
	    ctx, json_pack("{s:I,s:s,s:s,s:I,s:s,s:i}", "id",
	                   (json_int_t)u->unit_id, "code", u->code, "name",
	                   u->name, "system_id", (json_int_t)u->system_id,
	                   "system", u->system_name, "position", u->position));
	return 0;
}

static int add_finding(void *ctx, const struct spot_finding_row *f)
{
	json_array_append_new(
	    ctx, json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:b,s:o,s:s,s:s}", "id",
	                   (json_int_t)f->id, "unit", (json_int_t)f->unit_id,
	                   "code", f->code, "name", f->name, "mode", f->mode,
	                   "text", f->text, "remedy", f->remedy, "on",
	                   wf_date_json(f->on_date), "at", f->at, "by",
	                   f->actor_login));
	return 0;
}

static int add_spot(void *ctx, const struct spot_check_row *s)
{
	struct spots_ctx *c = ctx;
	json_t *units = json_array(), *findings = json_array();
	int st = plan_stage_find(c->c->p, s->stage);

	c->e = store_spot_units_each(c->c->st, s->id, add_unit, units, c->err);
	if (c->e == XJ_OK)
		c->e = store_spot_findings_each(c->c->st, s->id, add_finding,
		                                findings, c->err);
	json_array_append_new(
	    c->arr,
	    json_pack("{s:I,s:{s:s,s:s},s:I,s:i,s:i,s:o,s:s,s:s,s:o,s:o}", "id",
	              (json_int_t)s->id, "stage", "id", s->stage, "name",
	              st >= 0 ? c->c->p->stages[st].name : "", "seed",
	              (json_int_t)s->seed, "per_system", s->per_system, "batch",
	              s->batch, "on", wf_date_json(s->on_date), "at", s->at,
	              "by", s->actor_login, "units", units, "findings",
	              findings));
	return c->e != XJ_OK;
}

enum xj_err workflow_spotchecks_json(const struct wf_ctx *c, int64_t id,
                                     json_t **out, struct xj_error *err)
{
	struct spots_ctx s = { c, json_array(), err, XJ_OK };
	enum xj_err e = store_spot_checks_each(c->st, id, add_spot, &s, err);

	if (e == XJ_OK)
		e = s.e;
	if (e == XJ_OK && id != 0 && json_array_size(s.arr) == 0)
		e = xj_error_field(err, XJ_ENOTFOUND, "spot_check",
		                   "没有编号为 %lld 的抽查", (long long)id);
	if (e != XJ_OK) {
		json_decref(s.arr);
		return e;
	}
	*out = json_pack("{s:o}", "spot_checks", s.arr);
	return XJ_OK;
}
