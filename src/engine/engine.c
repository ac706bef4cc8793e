/*
 * engine.c - building the engine and keeping the live view up to date.
 *
 * Adding a record touches only its subject: the accumulators of the
 * requirements that read its kind are updated (count, sum, ratio: by
 * adding; max, state, distinct share: by rescanning the subject's few
 * records), and when a subject's state changes the pass counts of its
 * ancestors are adjusted, O(depth of the tree).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "xianjiao/alloc.h"
#include "xianjiao/store.h"

/* Grow an array from old to new elements, zeroing the new ones. A first
 * allocation comes zeroed from calloc (for a rebuild's arrays, sized once,
 * fresh pages from the system: nothing is written twice). */
static void grow0(void *arrp, int64_t old, int64_t new, size_t elem)
{
	void **arr = arrp;
	char *p;

	if (*arr == NULL) {
		*arr = xcalloc((size_t) new, elem);
		return;
	}
	p = xreallocarray(*arr, (size_t) new, elem);
	memset(p + (size_t)old * elem, 0, (size_t)(new - old) * elem);
	*arr = p;
}

static int64_t next_cap(int64_t cap, int64_t need)
{
	if (cap < 16)
		cap = 16;
	while (cap <= need)
		cap *= 2;
	return cap;
}

/* Grow the per-organisation, per-member and per-record arrays to cap. */
static void org_cap(struct engine *e, int64_t cap)
{
	grow0(&e->org, e->caporg, cap, sizeof(*e->org));
	grow0(&e->unit_of, e->caporg, cap, sizeof(int32_t));
	grow0(&e->sys_of, e->caporg, cap, sizeof(int32_t));
	grow0(&e->depth, e->caporg, cap, 1);
	grow0(&e->first_child, e->caporg, cap, sizeof(int32_t));
	grow0(&e->next_sibling, e->caporg, cap, sizeof(int32_t));
	grow0(&e->order, e->caporg, cap, sizeof(int32_t));
	grow0(&e->sys_next, e->caporg, cap, sizeof(int32_t));
	grow0(&e->orec_head, e->caporg, cap, sizeof(int32_t));
	grow0(&e->stg_head, e->caporg, cap, sizeof(int32_t));
	grow0(&e->stg_tail, e->caporg, cap, sizeof(int32_t));
	e->caporg = cap;
}

static void mem_cap(struct engine *e, int64_t cap)
{
	grow0(&e->branch0, e->capmem, cap, sizeof(int32_t));
	grow0(&e->in_from, e->capmem, cap, sizeof(int32_t));
	grow0(&e->cats, e->capmem, cap, sizeof(uint32_t));
	grow0(&e->away, e->capmem, cap, sizeof(int16_t));
	grow0(&e->mname, e->capmem, cap, sizeof(char *));
	grow0(&e->mrec_head, e->capmem, cap, sizeof(int32_t));
	grow0(&e->mv_head, e->capmem, cap, sizeof(int32_t));
	grow0(&e->mv_tail, e->capmem, cap, sizeof(int32_t));
	e->capmem = cap;
}

static void rec_cap(struct engine *e, int64_t cap)
{
	grow0(&e->rkind, e->caprec, cap, 1);
	memset(e->rkind + e->caprec, NO_KIND, (size_t)(cap - e->caprec));
	grow0(&e->rvoid, e->caprec, cap, 1);
	grow0(&e->rsubj, e->caprec, cap, sizeof(int32_t));
	grow0(&e->rhap, e->caprec, cap, sizeof(int32_t));
	grow0(&e->rent, e->caprec, cap, sizeof(int32_t));
	grow0(&e->rsupby, e->caprec, cap, sizeof(int32_t));
	grow0(&e->rnext, e->caprec, cap, sizeof(int32_t));
	grow0(&e->rval, e->caprec * e->nslots, cap * e->nslots,
	      sizeof(int32_t));
	e->caprec = cap;
}

void eng_reserve(struct engine *e, int64_t org, int64_t mem, int64_t rec)
{
	if (org >= e->caporg)
		org_cap(e, org + 1);
	if (mem >= e->capmem)
		mem_cap(e, mem + 1);
	if (rec >= e->caprec)
		rec_cap(e, rec + 1);
}

/* --- compiling the plan ----------------------------------------------- */

static int8_t use_field(struct engine *e, int kind, int field)
{
	struct ckind *k = &e->kinds[kind];

	if (field < 0)
		return -1;
	if (k->slot_of[field] < 0)
		k->slot_of[field] = (int8_t)k->nslots++;
	if (k->nslots > e->nslots)
		e->nslots = k->nslots;
	return k->slot_of[field];
}

static int32_t where_value(struct engine *e, int kind,
                           const struct plan_where *w)
{
	const struct plan_field *f = &e->p->kinds[kind].fields[w->field];
	struct ckind *k = &e->kinds[kind];
	int i;

	if (f->type == FIELD_TEXT) {
		for (i = 0; i < k->nwtext[w->field]; i++)
			if (strcmp(k->wtext[w->field][i], w->value) == 0)
				return i;
		k->wtext[w->field][k->nwtext[w->field]] = w->value;
		return k->nwtext[w->field]++;
	}
	for (i = 0; i < f->nvalues; i++)
		if (strcmp(f->values[i], w->value) == 0)
			return i;
	return -2;
}

static void compile_metric(struct engine *e, const struct plan_metric *pm,
                           struct cmetric *cm)
{
	int i;

	memset(cm, 0, sizeof(*cm));
	cm->type = (uint8_t)pm->type;
	cm->kind = (uint8_t)pm->kind;
	cm->slot = use_field(e, pm->kind, pm->field);
	cm->slot2 = use_field(e, pm->kind, pm->field2);
	cm->nwhere = (int8_t)pm->nwhere;
	for (i = 0; i < pm->nwhere; i++) {
		cm->wslot[i] = use_field(e, pm->kind, pm->where[i].field);
		cm->wval[i] = where_value(e, pm->kind, &pm->where[i]);
	}
}

static void add_reader(int **list, int *n, int c)
{
	int i;

	for (i = 0; i < *n; i++)
		if ((*list)[i] == c)
			return;
	*list = xreallocarray(*list, (size_t)*n + 1, sizeof(int));
	(*list)[(*n)++] = c;
}

struct engine *engine_new(const struct plan *p)
{
	struct engine *e = xcalloc(1, sizeof(*e));
	int i, t;

	e->p = p;
	for (i = 0; i < PLAN_KINDS_MAX; i++)
		memset(e->kinds[i].slot_of, -1, sizeof(e->kinds[i].slot_of));
	e->nreqs = p->nreqs;
	e->reqs = xcalloc((size_t)p->nreqs + 1, sizeof(*e->reqs));
	e->mr = xcalloc((size_t)p->nreqs + 1, sizeof(int));
	e->orq = xcalloc((size_t)p->nreqs + 1, sizeof(int));
	e->sr = xcalloc((size_t)p->nreqs + 1, sizeof(int));
	for (i = 0; i < p->nreqs; i++) {
		const struct plan_req *pr = &p->reqs[i];
		struct creq *c = &e->reqs[i];

		c->req = i;
		c->scope = pr->scope;
		compile_metric(e, &pr->metric, &c->m);
		for (t = 0; t < pr->ntreats; t++)
			if (pr->treats[t].has_metric)
				compile_metric(e, &pr->treats[t].metric,
				               &c->tm[t]);
		switch (pr->scope) {
		case PSCOPE_MEMBER:
			c->idx = e->nmr;
			e->mr[e->nmr++] = i;
			add_reader(&e->kinds[pr->metric.kind].mreqs,
			           &e->kinds[pr->metric.kind].nmreqs, i);
			for (t = 0; t < pr->ntreats; t++)
				if (pr->treats[t].has_metric) {
					int k = pr->treats[t].metric.kind;

					add_reader(&e->kinds[k].mreqs,
					           &e->kinds[k].nmreqs, i);
				}
			if (pr->metric.type == METRIC_DISTINCT_SHARE)
				e->has_distinct = 1;
			for (t = 0; t < pr->ntreats; t++)
				if (pr->treats[t].has_metric &&
				    pr->treats[t].metric.type ==
				        METRIC_DISTINCT_SHARE)
					e->has_distinct = 1;
			break;
		case PSCOPE_BRANCH:
		case PSCOPE_UNIT:
			c->idx = e->nor;
			e->orq[e->nor++] = i;
			add_reader(&e->kinds[pr->metric.kind].oreqs,
			           &e->kinds[pr->metric.kind].noreqs, i);
			break;
		default:
			c->idx = e->nsr;
			e->sr[e->nsr++] = i;
			add_reader(&e->kinds[pr->metric.kind].oreqs,
			           &e->kinds[pr->metric.kind].noreqs, i);
			break;
		}
	}
	if (e->nslots == 0)
		e->nslots = 1;
	e->live = view_alloc(e, ENG_LIVE, 1);
	return e;
}

void engine_free(struct engine *e)
{
	int64_t i;
	int k;

	if (e == NULL)
		return;
	eng_view_free(e->live);
	for (i = 1; i <= e->norg; i++) {
		free((char *)e->org[i].name);
		free((char *)e->org[i].code);
	}
	for (i = 1; i <= e->nmem; i++)
		free(e->mname[i]);
	for (k = 0; k < PLAN_KINDS_MAX; k++) {
		free(e->kinds[k].mreqs);
		free(e->kinds[k].oreqs);
	}
	free(e->reqs);
	free(e->mr);
	free(e->orq);
	free(e->sr);
	free(e->org);
	free(e->unit_of);
	free(e->sys_of);
	free(e->depth);
	free(e->first_child);
	free(e->next_sibling);
	free(e->order);
	free(e->sys_next);
	free(e->sys_head);
	free(e->sys_seen);
	free(e->branch0);
	free(e->in_from);
	free(e->cats);
	free(e->away);
	free(e->mname);
	free(e->mrec_head);
	free(e->mv_head);
	free(e->mv_tail);
	free(e->mv_kind);
	free(e->mv_date);
	free(e->mv_to);
	free(e->mv_next);
	free(e->rkind);
	free(e->rvoid);
	free(e->rsubj);
	free(e->rhap);
	free(e->rent);
	free(e->rsupby);
	free(e->rnext);
	free(e->rval);
	free(e->orec_head);
	free(e->stg_head);
	free(e->stg_tail);
	free(e->stg_stage);
	free(e->stg_date);
	free(e->stg_next);
	free(e);
}

const struct plan *engine_plan(const struct engine *e)
{
	return e->p;
}

const struct eng_view *engine_live(const struct engine *e)
{
	return e->live;
}

/* --- evaluation helpers shared with view.c -------------------------- */

static int cond_matches(const struct engine *e, const struct plan_cond *w,
                        int64_t m)
{
	if ((e->cats[m] & w->categories) == 0)
		return 0;
	return w->away_months_min == 0 || e->away[m] >= w->away_months_min;
}

const struct cmetric *eng_effective(const struct engine *e,
                                    const struct creq *c, int64_t m, int *treat)
{
	const struct plan_req *pr = &e->p->reqs[c->req];
	int t;

	for (t = 0; t < pr->ntreats; t++) {
		if (!cond_matches(e, &pr->treats[t].when, m))
			continue;
		*treat = t;
		if (pr->treats[t].exempt)
			return NULL;
		return pr->treats[t].has_metric ? &c->tm[t] : &c->m;
	}
	*treat = -1;
	return &c->m;
}

int eng_where_match(const struct engine *e, const struct cmetric *cm,
                    int64_t rec)
{
	const int32_t *val = &e->rval[rec * e->nslots];
	int i;

	for (i = 0; i < cm->nwhere; i++)
		if (val[cm->wslot[i]] != cm->wval[i])
			return 0;
	return 1;
}

int eng_needs_rescan(const struct cmetric *cm)
{
	return cm->type == METRIC_MAX || cm->type == METRIC_STATE ||
	       cm->type == METRIC_DISTINCT_SHARE;
}

/* Add (sign 1) or take away (sign -1, count/sum/ratio only) a record. */
void eng_acc_add(const struct engine *e, const struct cmetric *cm,
                 struct acc *a, int64_t rec, int sign)
{
	const int32_t *val = &e->rval[rec * e->nslots];
	int32_t x;

	switch (cm->type) {
	case METRIC_COUNT:
		a->a += sign;
		break;
	case METRIC_SUM:
		if (val[cm->slot] >= 0)
			a->a += sign * (int64_t)val[cm->slot];
		break;
	case METRIC_MAX:
	case METRIC_STATE:
		x = val[cm->slot];
		if (x >= 0 && (a->b == 0 || x > a->a)) {
			a->a = x;
			a->b = 1;
		}
		break;
	case METRIC_RATIO:
		if (val[cm->slot] >= 0)
			a->a += sign * (int64_t)val[cm->slot];
		if (val[cm->slot2] >= 0)
			a->b += sign * (int64_t)val[cm->slot2];
		break;
	default:
		break; /* distinct share: computed by view_member_rescan */
	}
}

static int64_t gcd64(int64_t a, int64_t b)
{
	if (a < 0)
		a = -a;
	while (b != 0) {
		int64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static struct plan_ratio reduce(int64_t num, int64_t den)
{
	int64_t g;

	if (den < 0) {
		num = -num;
		den = -den;
	}
	g = gcd64(num, den);
	if (g > 1) {
		num /= g;
		den /= g;
	}
	return (struct plan_ratio){ num, den };
}

/* The value an accumulator stands for. For max and state, b is 1 once a
 * record was seen; for distinct share, b is the number of others. */
struct plan_ratio eng_acc_value(const struct cmetric *cm, const struct acc *a)
{
	switch (cm->type) {
	case METRIC_COUNT:
		return reduce(a->a, 1);
	case METRIC_SUM:
		return reduce(a->a, PLAN_CENTI);
	case METRIC_MAX:
		return a->b ? reduce(a->a, PLAN_CENTI) : reduce(0, 1);
	case METRIC_STATE:
		return a->b ? reduce(a->a, 1) : reduce(-1, 1);
	case METRIC_RATIO:
	case METRIC_DISTINCT_SHARE:
		if (a->b == 0)
			return cm->type == METRIC_RATIO ? reduce(0, 1)
			                                : reduce(1, 1);
		return reduce(a->a, a->b);
	default:
		return reduce(0, 1);
	}
}

/* The same value before reduction, as counted. */
struct plan_ratio eng_acc_raw(const struct cmetric *cm, const struct acc *a)
{
	switch (cm->type) {
	case METRIC_COUNT:
		return (struct plan_ratio){ a->a, 1 };
	case METRIC_SUM:
		return (struct plan_ratio){ a->a, PLAN_CENTI };
	case METRIC_MAX:
		return (struct plan_ratio){ a->b ? a->a : 0, PLAN_CENTI };
	case METRIC_STATE:
		return (struct plan_ratio){ a->b ? a->a : -1, 1 };
	default:
		return (struct plan_ratio){ a->a, a->b };
	}
}

enum eng_state eng_judge(const struct engine *e, const struct creq *c,
                         int64_t m, const struct acc *a, int present)
{
	const struct plan_req *pr = &e->p->reqs[c->req];
	const struct cmetric *cm;
	enum plan_cmp cmp = pr->cmp;
	struct plan_ratio th = pr->threshold;
	int t;

	if (!present)
		return ENG_NA;
	cm = eng_effective(e, c, m, &t);
	if (cm == NULL)
		return ENG_EXEMPT;
	if (t >= 0) {
		cmp = pr->treats[t].cmp;
		th = pr->treats[t].threshold;
	}
	return plan_compare(eng_acc_value(cm, a), cmp, th) ? ENG_PASS
	                                                   : ENG_FAIL;
}

enum eng_state eng_judge_org(const struct engine *e, const struct creq *c,
                             const struct acc *a)
{
	const struct plan_req *pr = &e->p->reqs[c->req];

	return plan_compare(eng_acc_value(&c->m, a), pr->cmp, pr->threshold)
	           ? ENG_PASS
	           : ENG_FAIL;
}

/* Is org o a subject of the branch- or unit-scope requirement c? */
int eng_org_in(const struct engine *e, int64_t o, const struct creq *c)
{
	if (c->scope == PSCOPE_BRANCH)
		return e->org[o].type == ORG_BRANCH;
	return e->org[o].is_unit;
}

/* --- input ------------------------------------------------------------ */

static enum xj_err bad(struct xj_error *err, const char *field, int64_t id,
                       const char *what)
{
	return xj_error_field(err, XJ_EINVAL, field, "%s（编号 %lld）", what,
	                      (long long)id);
}

enum xj_err engine_add_org(struct engine *e, const struct eng_org *o,
                           struct xj_error *err)
{
	int64_t id = o->id, par = o->parent_id, s;

	if (id <= 0 || id > INT32_MAX)
		return bad(err, "org_id", id, "组织编号无效");
	if (id <= e->norg && e->org[id].id != 0)
		return bad(err, "org_id", id, "组织重复");
	if (par < 0 || par > e->norg || (par > 0 && e->org[par].id == 0))
		return bad(err, "parent_id", par, "上级组织未知");
	if (par > 0 && e->depth[par] + 1 >= ORG_DEPTH_MAX)
		return bad(err, "parent_id", par, "组织层级过深");
	if (o->type < 0 || o->type >= ORG_TYPE__MAX)
		return bad(err, "type", id, "组织类型无效");
	if (o->system_id < 0 || o->system_id > INT32_MAX)
		return bad(err, "system_id", o->system_id, "系统编号无效");
	if (id >= e->caporg)
		org_cap(e, next_cap(e->caporg, id));
	if (id > e->norg)
		e->norg = id;
	e->org[id] = *o;
	e->org[id].name = xstrdup(o->name ? o->name : "");
	e->org[id].code = xstrdup(o->code ? o->code : "");
	e->depth[id] = par ? (uint8_t)(e->depth[par] + 1) : 0;
	e->next_sibling[id] = par ? e->first_child[par] : 0;
	if (par)
		e->first_child[par] = (int32_t)id;
	e->order[e->norder++] = (int32_t)id;
	if (o->is_unit) {
		e->unit_of[id] = (int32_t)id;
		e->sys_of[id] = (int32_t)o->system_id;
	} else if (par) {
		e->unit_of[id] = e->unit_of[par];
		e->sys_of[id] = e->sys_of[par];
	}
	s = o->is_unit ? o->system_id : 0;
	if (s > 0) {
		if (s >= e->capsys) {
			int64_t cap = next_cap(e->capsys, s);

			grow0(&e->sys_head, e->capsys, cap, sizeof(int32_t));
			grow0(&e->sys_seen, e->capsys, cap, 1);
			e->capsys = cap;
		}
		if (s > e->nsys)
			e->nsys = s;
		e->sys_seen[s] = 1;
		e->sys_next[id] = e->sys_head[s];
		e->sys_head[s] = (int32_t)id;
	}
	if (!e->bulk) {
		view_grow(e->live);
		view_live_org_added(e->live, id);
	}
	return XJ_OK;
}

enum xj_err engine_add_member(struct engine *e, const struct eng_member *m,
                              struct xj_error *err)
{
	int64_t id = m->id;

	if (id <= 0 || id > INT32_MAX)
		return bad(err, "member_id", id, "党员编号无效");
	if (id <= e->nmem && e->mname[id] != NULL)
		return bad(err, "member_id", id, "党员重复");
	if (m->org_id < 0 || m->org_id > e->norg ||
	    (m->org_id > 0 && e->org[m->org_id].id == 0))
		return bad(err, "org_id", m->org_id, "所在支部未知");
	if (id >= e->capmem)
		mem_cap(e, next_cap(e->capmem, id));
	if (id > e->nmem)
		e->nmem = id;
	e->branch0[id] = (int32_t)m->org_id;
	e->in_from[id] = m->in_from;
	e->cats[id] = m->categories;
	e->away[id] =
	    (int16_t)(m->absence_months < 0       ? 0
	              : m->absence_months > 32767 ? 32767
	                                          : m->absence_months);
	e->mname[id] = xstrdup(m->name ? m->name : "");
	if (!e->bulk) {
		view_grow(e->live);
		view_live_member_move(e->live, id, (int32_t)m->org_id);
	}
	return XJ_OK;
}

enum xj_err engine_add_movement(struct engine *e, const struct eng_movement *mv,
                                struct xj_error *err)
{
	int64_t m = mv->member_id, i;

	if (m <= 0 || m > e->nmem || e->mname[m] == NULL)
		return bad(err, "member_id", m, "党员未知");
	if (mv->kind < MOVE_IN || mv->kind >= MOVE__MAX)
		return bad(err, "kind", mv->kind, "组织关系变动类型无效");
	if ((mv->kind == MOVE_IN || mv->kind == MOVE_WITHIN) &&
	    (mv->to_org <= 0 || mv->to_org > e->norg ||
	     e->org[mv->to_org].id == 0))
		return bad(err, "to_org", mv->to_org, "转入组织未知");
	if (e->mv_tail[m] && e->mv_date[e->mv_tail[m]] > mv->on_date)
		return bad(err, "on_date", m, "组织关系变动须按日期先后录入");
	if (e->nmv + 1 >= e->capmv) {
		int64_t cap = next_cap(e->capmv, e->nmv + 1);

		grow0(&e->mv_kind, e->capmv, cap, 1);
		grow0(&e->mv_date, e->capmv, cap, sizeof(int32_t));
		grow0(&e->mv_to, e->capmv, cap, sizeof(int32_t));
		grow0(&e->mv_next, e->capmv, cap, sizeof(int32_t));
		e->capmv = cap;
	}
	i = ++e->nmv;
	e->mv_kind[i] = (uint8_t)mv->kind;
	e->mv_date[i] = mv->on_date;
	e->mv_to[i] = (int32_t)mv->to_org;
	if (e->mv_tail[m])
		e->mv_next[e->mv_tail[m]] = (int32_t)i;
	else
		e->mv_head[m] = (int32_t)i;
	e->mv_tail[m] = (int32_t)i;
	if (!e->bulk)
		view_live_member_move(e->live, m,
		                      mv->kind == MOVE_OUT ||
		                              mv->kind == MOVE_DEATH
		                          ? 0
		                          : (int32_t)mv->to_org);
	return XJ_OK;
}

static int32_t text_slot(const struct ckind *k, int f, const char *t)
{
	int i;

	if (t == NULL)
		return -1;
	for (i = 0; i < k->nwtext[f]; i++)
		if (strcmp(k->wtext[f][i], t) == 0)
			return i;
	return -2;
}

enum xj_err engine_add_record(struct engine *e, const struct eng_record *r,
                              struct xj_error *err)
{
	const struct plan_kind *pk;
	const struct ckind *k;
	int64_t id = r->id, subj, sup = r->supersedes;
	int f;

	if (r->kind < 0 || r->kind >= e->p->nkinds)
		return bad(err, "kind", r->kind, "记录类型未知");
	pk = &e->p->kinds[r->kind];
	k = &e->kinds[r->kind];
	if (id <= e->nrec || id > INT32_MAX - 1)
		return bad(err, "id", id, "记录编号须递增");
	subj = pk->subject == SUBJECT_MEMBER ? r->member_id : r->org_id;
	if (pk->subject == SUBJECT_MEMBER &&
	    (subj <= 0 || subj > e->nmem || e->mname[subj] == NULL))
		return bad(err, "member_id", subj, "党员未知");
	if (pk->subject == SUBJECT_ORG &&
	    (subj <= 0 || subj > e->norg || e->org[subj].id == 0))
		return bad(err, "org_id", subj, "组织未知");
	if (sup != 0 && (sup < 0 || sup > e->nrec || e->rkind[sup] == NO_KIND))
		return bad(err, "supersedes", sup, "所更正的记录不存在");
	if (sup != 0 && e->rsupby[sup] != 0)
		return bad(err, "supersedes", sup, "所更正的记录已被更正");
	if (sup != 0 && e->rkind[sup] != r->kind)
		return bad(err, "supersedes", sup,
		           "更正记录须与原记录类型相同");
	if (r->voided && sup == 0)
		return bad(err, "voided", id, "只有更正记录可以撤销原记录");
	for (f = 0; f < pk->nfields; f++)
		if (k->slot_of[f] >= 0 && pk->fields[f].type != FIELD_TEXT &&
		    (r->num[f] < -1 ||
		     r->num[f] > (int64_t)PLAN_NUMBER_MAX * PLAN_CENTI))
			return bad(err, pk->fields[f].name, id, "数值超出范围");
	if (id >= e->caprec)
		rec_cap(e, next_cap(e->caprec, id));
	/* Live additions keep the engine a snapshot of the store only while
	 * they come without gaps (engine_snapshot_save). */
	if (!e->bulk)
		e->covered = id == e->covered + 1 ? id : -1;
	e->nrec = id;
	e->nrec_live++;
	e->rkind[id] = (uint8_t)r->kind;
	e->rvoid[id] = r->voided ? 1 : 0;
	e->rsubj[id] = (int32_t)subj;
	e->rhap[id] = r->happened_on;
	e->rent[id] = r->entered_on;
	for (f = 0; f < pk->nfields; f++) {
		int s = k->slot_of[f];

		if (s < 0)
			continue;
		e->rval[id * e->nslots + s] = pk->fields[f].type == FIELD_TEXT
		                                  ? text_slot(k, f, r->text[f])
		                                  : (int32_t)r->num[f];
	}
	if (pk->subject == SUBJECT_MEMBER) {
		e->rnext[id] = e->mrec_head[subj];
		e->mrec_head[subj] = (int32_t)id;
	} else {
		e->rnext[id] = e->orec_head[subj];
		e->orec_head[subj] = (int32_t)id;
	}
	if (sup != 0) {
		e->rsupby[sup] = (int32_t)id;
		if (!e->bulk && !e->rvoid[sup])
			view_live_record(e->live, sup, -1);
	}
	if (!e->bulk && !r->voided)
		view_live_record(e->live, id, 1);
	return XJ_OK;
}

/* --- inspecting --------------------------------------------------------- */

int64_t engine_org_max(const struct engine *e)
{
	return e->norg;
}

int64_t engine_member_max(const struct engine *e)
{
	return e->nmem;
}

int64_t engine_record_count(const struct engine *e)
{
	return e->nrec_live;
}

const struct eng_org *engine_org(const struct engine *e, int64_t id)
{
	if (id <= 0 || id > e->norg || e->org[id].id == 0)
		return NULL;
	return &e->org[id];
}

const char *engine_member_name(const struct engine *e, int64_t id)
{
	if (id <= 0 || id > e->nmem)
		return NULL;
	return e->mname[id];
}

int64_t engine_unit_of(const struct engine *e, int64_t org_id)
{
	if (org_id <= 0 || org_id > e->norg)
		return 0;
	return e->unit_of[org_id];
}

size_t engine_memory(const struct engine *e)
{
	size_t n = sizeof(*e);
	const struct eng_view *v = e->live;

	n += (size_t)e->caporg * (sizeof(struct eng_org) + 9 * 4 + 1);
	n += (size_t)e->capstg * (1 + 2 * 4);
	n += (size_t)e->capmem * (4 * 4 + 4 + 2 + sizeof(char *) + 4 + 16);
	n += (size_t)e->capmv * 13;
	n += (size_t)e->caprec * (2 + 5 * 4 + (size_t)e->nslots * 4);
	if (v != NULL) {
		n += (size_t)(v->nmem + 1) *
		     (4 * 3 + (size_t)e->nmr * (sizeof(struct acc) + 1));
		n += (size_t)(v->norg + 1) *
		     (4 * 2 + (size_t)e->nmr * 12 +
		      (size_t)e->nor * (sizeof(struct acc) + 1 + 8));
		n += (size_t)(v->nsys + 1) * (size_t)e->nsr *
		     (sizeof(struct acc) + 1);
	}
	return n;
}

/* --- units' stages (转段) ---------------------------------------------- */

enum xj_err engine_set_unit_stage(struct engine *e, int64_t unit, int stage,
                                  int32_t on_date, struct xj_error *err)
{
	int64_t i;

	if (unit <= 0 || unit > e->norg || e->org[unit].id == 0 ||
	    !e->org[unit].is_unit)
		return bad(err, "unit", unit, "单位未知");
	if (stage < 0 || stage >= e->p->nstages)
		return xj_error_field(err, XJ_EINVAL, "stage",
		                      "方案中没有第 %d 个阶段", stage + 1);
	if (e->stg_tail[unit] != 0 && on_date < e->stg_date[e->stg_tail[unit]])
		return xj_error_field(err, XJ_EINVAL, "on",
		                      "转段日期早于该单位上一次转段");
	if (e->nstg + 1 >= e->capstg) {
		int64_t cap = next_cap(e->capstg, e->nstg + 1);

		grow0(&e->stg_stage, e->capstg, cap, 1);
		grow0(&e->stg_date, e->capstg, cap, sizeof(int32_t));
		grow0(&e->stg_next, e->capstg, cap, sizeof(int32_t));
		e->capstg = cap;
	}
	i = ++e->nstg; /* index 0 means "none" */
	e->stg_stage[i] = (int8_t)stage;
	e->stg_date[i] = on_date;
	e->stg_next[i] = 0;
	if (e->stg_tail[unit] != 0)
		e->stg_next[e->stg_tail[unit]] = (int32_t)i;
	else
		e->stg_head[unit] = (int32_t)i;
	e->stg_tail[unit] = (int32_t)i;
	return XJ_OK;
}

void engine_set_unit_hook(struct engine *e, eng_unit_hook fn, void *ctx)
{
	e->hook = fn;
	e->hook_ctx = ctx;
}
