/*
 * view.c - evaluated state: computing a view in one pass (as of a date, or
 * the live view after a bulk load), keeping the live view up to date, and
 * answering questions about a view.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "xianjiao/alloc.h"
#include "xianjiao/store.h"

static void grow0(void *arrp, int64_t old, int64_t new, size_t elem)
{
	void **arr = arrp;
	char *p = xreallocarray(*arr, (size_t) new, elem);

	if (new > old)
		memset(p + (size_t)old * elem, 0, (size_t)(new - old) * elem);
	*arr = p;
}

/* Resize every array to the engine's current sizes (new parts zeroed). */
void view_grow(struct eng_view *v)
{
	const struct engine *e = v->e;
	int64_t m0 = v->nmem + 1, m1 = e->nmem + 1;
	int64_t o0 = v->norg + 1, o1 = e->norg + 1;
	int64_t s0 = v->nsys + 1, s1 = e->nsys + 1;

	if (m1 > m0) {
		grow0(&v->branch, m0, m1, sizeof(int32_t));
		grow0(&v->macc, m0 * e->nmr, m1 * e->nmr, sizeof(struct acc));
		grow0(&v->mstate, m0 * e->nmr, m1 * e->nmr, 1);
		if (v->live) {
			grow0(&v->bnext, m0, m1, sizeof(int32_t));
			grow0(&v->bprev, m0, m1, sizeof(int32_t));
		}
		v->nmem = e->nmem;
	}
	if (o1 > o0) {
		grow0(&v->mcnt, o0 * e->nmr * 3, o1 * e->nmr * 3,
		      sizeof(int32_t));
		grow0(&v->oacc, o0 * e->nor, o1 * e->nor, sizeof(struct acc));
		grow0(&v->ostate, o0 * e->nor, o1 * e->nor, 1);
		grow0(&v->ocnt, o0 * e->nor * 2, o1 * e->nor * 2,
		      sizeof(int32_t));
		grow0(&v->bsize, o0, o1, sizeof(int32_t));
		grow0(&v->stack, o0, o1, sizeof(int32_t));
		if (v->live)
			grow0(&v->bhead, o0, o1, sizeof(int32_t));
		v->norg = e->norg;
	}
	if (s1 > s0) {
		int64_t s;
		int i;

		grow0(&v->sacc, s0 * e->nsr, s1 * e->nsr, sizeof(struct acc));
		grow0(&v->sstate, s0 * e->nsr, s1 * e->nsr, 1);
		for (s = s0; s < s1; s++)
			for (i = 0; i < e->nsr; i++)
				v->sstate[s * e->nsr + i] =
				    (uint8_t)eng_judge_org(
				        e, &e->reqs[e->sr[i]],
				        &v->sacc[s * e->nsr + i]);
		v->nsys = e->nsys;
	}
}

struct eng_view *view_alloc(const struct engine *e, int32_t date, int live)
{
	struct eng_view *v = xcalloc(1, sizeof(*v));

	v->e = e;
	v->date = date;
	v->known = date;
	v->live = live;
	v->nmem = v->norg = v->nsys = -1;
	view_grow(v);
	return v;
}

void eng_view_free(struct eng_view *v)
{
	if (v == NULL)
		return;
	free(v->branch);
	free(v->bhead);
	free(v->bnext);
	free(v->bprev);
	free(v->bsize);
	free(v->macc);
	free(v->mstate);
	free(v->mcnt);
	free(v->oacc);
	free(v->ostate);
	free(v->ocnt);
	free(v->sacc);
	free(v->sstate);
	free(v->scratch);
	free(v->stack);
	free(v);
}

const struct engine *eng_view_engine(const struct eng_view *v)
{
	return v->e;
}

int32_t eng_view_date(const struct eng_view *v)
{
	return v->date;
}

int view_counts(const struct eng_view *v, int64_t rec)
{
	const struct engine *e = v->e;
	int32_t by;

	if (e->rkind[rec] == NO_KIND || e->rvoid[rec])
		return 0;
	by = e->rsupby[rec];
	if (v->live)
		return by == 0;
	if (e->rhap[rec] > v->date || e->rent[rec] > v->known)
		return 0;
	return by == 0 || e->rent[by] > v->known;
}

/* --- accumulating ------------------------------------------------------ */

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

/* Recompute member m's accumulator for member requirement i. */
static void member_rescan(struct eng_view *v, int i, int64_t m)
{
	const struct engine *e = v->e;
	const struct creq *c = &e->reqs[e->mr[i]];
	struct acc *a = &v->macc[m * e->nmr + i];
	const struct cmetric *cm;
	int32_t r, b = v->branch[m];
	size_t n = 0, j, distinct = 0;
	int t;

	a->a = a->b = 0;
	cm = eng_effective(e, c, m, &t);
	if (cm == NULL)
		return;
	for (r = e->mrec_head[m]; r != 0; r = e->rnext[r]) {
		if (e->rkind[r] != cm->kind || !view_counts(v, r) ||
		    !eng_where_match(e, cm, r))
			continue;
		if (cm->type != METRIC_DISTINCT_SHARE) {
			eng_acc_add(e, cm, a, r, 1);
			continue;
		}
		if (n == v->nscratch) {
			v->nscratch = v->nscratch ? v->nscratch * 2 : 64;
			v->scratch = xreallocarray(v->scratch, v->nscratch,
			                           sizeof(int32_t));
		}
		v->scratch[n++] = e->rval[r * e->nslots + cm->slot];
	}
	if (cm->type != METRIC_DISTINCT_SHARE)
		return;
	if (n > 1) /* qsort(NULL, 0, ...) is undefined */
		qsort(v->scratch, n, sizeof(int32_t), cmp_i32);
	for (j = 0; j < n; j++) {
		int32_t x = v->scratch[j];

		if (j > 0 && x == v->scratch[j - 1])
			continue;
		if (b != 0 && x > 0 && x <= v->nmem && x != m &&
		    v->branch[x] == b)
			distinct++;
	}
	a->a = (int64_t)distinct;
	a->b = b != 0 ? v->bsize[b] - 1 : 0;
}

/* The units whose subtrees make up 系统 s, without nesting twice. */
static int top_unit(const struct engine *e, int64_t u, int64_t s)
{
	int64_t p;

	for (p = e->org[u].parent_id; p != 0; p = e->org[p].parent_id)
		if (e->org[p].is_unit && e->org[p].system_id == s)
			return 0;
	return 1;
}

/* Add the counting org records in the subtree of root to a for cm. */
static void subtree_add(struct eng_view *v, const struct cmetric *cm,
                        int64_t root, struct acc *a)
{
	const struct engine *e = v->e;
	int64_t sp = 0;

	v->stack[sp++] = (int32_t)root;
	while (sp > 0) {
		int32_t o = v->stack[--sp], ch, r;

		for (r = e->orec_head[o]; r != 0; r = e->rnext[r])
			if (e->rkind[r] == cm->kind && view_counts(v, r) &&
			    eng_where_match(e, cm, r))
				eng_acc_add(e, cm, a, r, 1);
		for (ch = e->first_child[o]; ch != 0; ch = e->next_sibling[ch])
			v->stack[sp++] = ch;
	}
}

static void org_rescan(struct eng_view *v, int i, int64_t o)
{
	const struct engine *e = v->e;
	struct acc *a = &v->oacc[o * e->nor + i];

	a->a = a->b = 0;
	subtree_add(v, &e->reqs[e->orq[i]].m, o, a);
}

static void sys_rescan(struct eng_view *v, int i, int64_t s)
{
	const struct engine *e = v->e;
	struct acc *a = &v->sacc[s * e->nsr + i];
	int32_t u;

	a->a = a->b = 0;
	for (u = e->sys_head[s]; u != 0; u = e->sys_next[u])
		if (top_unit(e, u, s))
			subtree_add(v, &e->reqs[e->sr[i]].m, u, a);
}

/* Call fn for each distinct 系统 whose units contain org o. */
static int systems_over(const struct engine *e, int64_t o, int32_t *out)
{
	int n = 0, j;
	int64_t p;

	for (p = o; p != 0; p = e->org[p].parent_id) {
		int32_t s = (int32_t)e->org[p].system_id;

		if (!e->org[p].is_unit || s <= 0)
			continue;
		for (j = 0; j < n && out[j] != s; j++)
			;
		if (j == n)
			out[n++] = s;
	}
	return n;
}

/* --- computing a whole view -------------------------------------------- */

static int32_t branch_on(const struct engine *e, int64_t m, int32_t d)
{
	int32_t b, i;

	b = e->in_from[m] <= d ? e->branch0[m] : 0;
	for (i = e->mv_head[m]; i != 0; i = e->mv_next[i]) {
		if (e->mv_date[i] > d)
			break;
		if (e->mv_kind[i] == MOVE_OUT || e->mv_kind[i] == MOVE_DEATH)
			b = 0;
		else
			b = e->mv_to[i];
	}
	return b;
}

static void list_add(struct eng_view *v, int64_t m, int32_t b)
{
	v->bprev[m] = 0;
	v->bnext[m] = v->bhead[b];
	if (v->bhead[b])
		v->bprev[v->bhead[b]] = (int32_t)m;
	v->bhead[b] = (int32_t)m;
}

static void list_remove(struct eng_view *v, int64_t m, int32_t b)
{
	if (v->bprev[m])
		v->bnext[v->bprev[m]] = v->bnext[m];
	else
		v->bhead[b] = v->bnext[m];
	if (v->bnext[m])
		v->bprev[v->bnext[m]] = v->bprev[m];
	v->bnext[m] = v->bprev[m] = 0;
}

static void add_record(struct eng_view *v, int64_t r)
{
	const struct engine *e = v->e;
	const struct ckind *k = &e->kinds[e->rkind[r]];
	int64_t subj = e->rsubj[r];
	int j, t;

	if (e->p->kinds[e->rkind[r]].subject == SUBJECT_MEMBER) {
		for (j = 0; j < k->nmreqs; j++) {
			const struct creq *c = &e->reqs[k->mreqs[j]];
			const struct cmetric *cm =
			    eng_effective(e, c, subj, &t);

			if (cm == NULL || cm->kind != e->rkind[r] ||
			    cm->type == METRIC_DISTINCT_SHARE ||
			    !eng_where_match(e, cm, r))
				continue;
			eng_acc_add(e, cm, &v->macc[subj * e->nmr + c->idx], r,
			            1);
		}
		return;
	}
	for (j = 0; j < k->noreqs; j++) {
		const struct creq *c = &e->reqs[k->oreqs[j]];
		int64_t p;

		if (!eng_where_match(e, &c->m, r))
			continue;
		if (c->scope == PSCOPE_SYSTEM) {
			int32_t sys[ORG_DEPTH_MAX];
			int n = systems_over(e, subj, sys), q;

			for (q = 0; q < n; q++)
				eng_acc_add(e, &c->m,
				            &v->sacc[sys[q] * e->nsr + c->idx],
				            r, 1);
			continue;
		}
		for (p = subj; p != 0; p = e->org[p].parent_id)
			if (eng_org_in(e, p, c))
				eng_acc_add(e, &c->m,
				            &v->oacc[p * e->nor + c->idx], r,
				            1);
	}
}

void view_compute(struct eng_view *v)
{
	const struct engine *e = v->e;
	int64_t m, o, r, s, q;
	int i;

	view_grow(v);
	for (m = 1; m <= e->nmem; m++) {
		int32_t b;

		if (e->mname[m] == NULL)
			continue;
		b = branch_on(e, m, v->date);
		v->branch[m] = b;
		if (b != 0) {
			v->bsize[b]++;
			if (v->live)
				list_add(v, m, b);
		}
	}
	for (r = 1; r <= e->nrec; r++)
		if (view_counts(v, r))
			add_record(v, r);
	for (m = 1; m <= e->nmem; m++) {
		if (e->mname[m] == NULL)
			continue;
		for (i = 0; i < e->nmr; i++) {
			const struct creq *c = &e->reqs[e->mr[i]];
			const struct cmetric *cm;
			int64_t b = v->branch[m];
			enum eng_state st;
			int t;

			cm = eng_effective(e, c, m, &t);
			if (cm != NULL && cm->type == METRIC_DISTINCT_SHARE)
				member_rescan(v, i, m);
			st = eng_judge(e, c, m, &v->macc[m * e->nmr + i],
			               b != 0);
			v->mstate[m * e->nmr + i] = (uint8_t)st;
			if (b != 0) {
				int32_t *cnt = &v->mcnt[(b * e->nmr + i) * 3];

				cnt[0] += st == ENG_PASS || st == ENG_FAIL;
				cnt[1] += st == ENG_PASS;
				cnt[2] += st == ENG_EXEMPT;
			}
		}
	}
	for (o = 1; o <= e->norg; o++) {
		if (e->org[o].id == 0)
			continue;
		for (i = 0; i < e->nor; i++) {
			const struct creq *c = &e->reqs[e->orq[i]];
			enum eng_state st;

			if (!eng_org_in(e, o, c))
				continue;
			st = eng_judge_org(e, c, &v->oacc[o * e->nor + i]);
			v->ostate[o * e->nor + i] = (uint8_t)st;
			v->ocnt[(o * e->nor + i) * 2] += 1;
			v->ocnt[(o * e->nor + i) * 2 + 1] += st == ENG_PASS;
		}
	}
	/* Children after parents in e->order: fold each into its parent,
	 * last first, so every subtree total is complete when folded. */
	for (q = e->norder - 1; q >= 0; q--) {
		int64_t p;

		o = e->order[q];
		p = e->org[o].parent_id;
		if (p == 0)
			continue;
		for (i = 0; i < e->nmr * 3; i++)
			v->mcnt[p * e->nmr * 3 + i] +=
			    v->mcnt[o * e->nmr * 3 + i];
		for (i = 0; i < e->nor * 2; i++)
			v->ocnt[p * e->nor * 2 + i] +=
			    v->ocnt[o * e->nor * 2 + i];
	}
	for (s = 1; s <= e->nsys; s++)
		for (i = 0; i < e->nsr; i++)
			v->sstate[s * e->nsr + i] = (uint8_t)eng_judge_org(
			    e, &e->reqs[e->sr[i]], &v->sacc[s * e->nsr + i]);
}

enum xj_err engine_view_at(const struct engine *e, int32_t as_of,
                           struct eng_view **out, struct xj_error *err)
{
	return engine_view_known(e, as_of, as_of, out, err);
}

enum xj_err engine_view_known(const struct engine *e, int32_t as_of,
                              int32_t known, struct eng_view **out,
                              struct xj_error *err)
{
	if (known < as_of)
		return xj_error_field(err, XJ_EINVAL, "known",
		                      "录入截止日期不能早于发生截止日期");
	*out = view_alloc(e, as_of, 0);
	(*out)->known = known;
	view_compute(*out);
	return XJ_OK;
}

int64_t engine_late_records(const struct engine *e, int32_t as_of,
                            int32_t known)
{
	int64_t r, n = 0;

	for (r = 1; r <= e->nrec; r++)
		n += e->rkind[r] != NO_KIND && e->rhap[r] <= as_of &&
		     e->rent[r] > as_of && e->rent[r] <= known;
	return n;
}

/* --- the live view ------------------------------------------------------ */

/* Add sign times a member's state to the counts of b and its ancestors. */
static void member_contrib(struct eng_view *v, int i, int64_t b,
                           enum eng_state st, int sign)
{
	const struct engine *e = v->e;
	int64_t p;

	if (b == 0 || st == ENG_NA)
		return;
	for (p = b; p != 0; p = e->org[p].parent_id) {
		int32_t *cnt = &v->mcnt[(p * e->nmr + i) * 3];

		cnt[0] += sign * (st == ENG_PASS || st == ENG_FAIL);
		cnt[1] += sign * (st == ENG_PASS);
		cnt[2] += sign * (st == ENG_EXEMPT);
	}
}

/* Re-judge member m on requirement i (rescanning first if asked). */
static void member_refresh(struct eng_view *v, int i, int64_t m, int rescan)
{
	const struct engine *e = v->e;
	uint8_t *st = &v->mstate[m * e->nmr + i];
	enum eng_state now;

	if (rescan)
		member_rescan(v, i, m);
	now = eng_judge(e, &e->reqs[e->mr[i]], m, &v->macc[m * e->nmr + i],
	                v->branch[m] != 0);
	if (now == *st)
		return;
	member_contrib(v, i, v->branch[m], (enum eng_state) * st, -1);
	member_contrib(v, i, v->branch[m], now, 1);
	*st = (uint8_t)now;
}

static int is_distinct(const struct engine *e, int i, int64_t m)
{
	const struct cmetric *cm;
	int t;

	cm = eng_effective(e, &e->reqs[e->mr[i]], m, &t);
	return cm != NULL && cm->type == METRIC_DISTINCT_SHARE;
}

/* Talk coverage of everyone in branch b depends on who is in b. */
static void branch_refresh(struct eng_view *v, int64_t b)
{
	const struct engine *e = v->e;
	int32_t x;
	int i;

	if (b == 0 || !e->has_distinct)
		return;
	for (x = v->bhead[b]; x != 0; x = v->bnext[x])
		for (i = 0; i < e->nmr; i++)
			if (is_distinct(e, i, x))
				member_refresh(v, i, x, 1);
}

void view_live_member_move(struct eng_view *v, int64_t m, int32_t b)
{
	const struct engine *e = v->e;
	int32_t old = v->branch[m];
	int i;

	for (i = 0; i < e->nmr; i++)
		member_contrib(v, i, old,
		               (enum eng_state)v->mstate[m * e->nmr + i], -1);
	if (old != 0) {
		list_remove(v, m, old);
		v->bsize[old]--;
	}
	v->branch[m] = b;
	if (b != 0) {
		list_add(v, m, b);
		v->bsize[b]++;
	}
	for (i = 0; i < e->nmr; i++) {
		enum eng_state st;

		if (is_distinct(e, i, m))
			member_rescan(v, i, m);
		st = eng_judge(e, &e->reqs[e->mr[i]], m,
		               &v->macc[m * e->nmr + i], b != 0);
		v->mstate[m * e->nmr + i] = (uint8_t)st;
		member_contrib(v, i, b, st, 1);
	}
	if (old != b) {
		branch_refresh(v, old);
		branch_refresh(v, b);
	}
}

static void org_refresh(struct eng_view *v, int i, int64_t o)
{
	const struct engine *e = v->e;
	uint8_t *st = &v->ostate[o * e->nor + i];
	enum eng_state now;
	int64_t p;

	now = eng_judge_org(e, &e->reqs[e->orq[i]], &v->oacc[o * e->nor + i]);
	if (now == *st)
		return;
	for (p = o; p != 0; p = e->org[p].parent_id)
		v->ocnt[(p * e->nor + i) * 2 + 1] +=
		    (now == ENG_PASS) - (*st == ENG_PASS);
	*st = (uint8_t)now;
}

void view_live_org_added(struct eng_view *v, int64_t o)
{
	const struct engine *e = v->e;
	int i;

	for (i = 0; i < e->nor; i++) {
		const struct creq *c = &e->reqs[e->orq[i]];
		enum eng_state st;
		int64_t p;

		if (!eng_org_in(e, o, c))
			continue;
		st = eng_judge_org(e, c, &v->oacc[o * e->nor + i]);
		v->ostate[o * e->nor + i] = (uint8_t)st;
		for (p = o; p != 0; p = e->org[p].parent_id) {
			v->ocnt[(p * e->nor + i) * 2] += 1;
			v->ocnt[(p * e->nor + i) * 2 + 1] += st == ENG_PASS;
		}
	}
}

void view_live_record(struct eng_view *v, int64_t r, int sign)
{
	const struct engine *e = v->e;
	const struct ckind *k = &e->kinds[e->rkind[r]];
	int64_t subj = e->rsubj[r];
	int j, t;

	if (e->p->kinds[e->rkind[r]].subject == SUBJECT_MEMBER) {
		for (j = 0; j < k->nmreqs; j++) {
			const struct creq *c = &e->reqs[k->mreqs[j]];
			const struct cmetric *cm =
			    eng_effective(e, c, subj, &t);

			if (cm == NULL || cm->kind != e->rkind[r] ||
			    !eng_where_match(e, cm, r))
				continue;
			if (cm->type == METRIC_DISTINCT_SHARE ||
			    (sign < 0 && eng_needs_rescan(cm))) {
				member_refresh(v, c->idx, subj, 1);
				continue;
			}
			eng_acc_add(e, cm, &v->macc[subj * e->nmr + c->idx], r,
			            sign);
			member_refresh(v, c->idx, subj, 0);
		}
		return;
	}
	for (j = 0; j < k->noreqs; j++) {
		const struct creq *c = &e->reqs[k->oreqs[j]];
		int rescan = sign < 0 && eng_needs_rescan(&c->m);
		int64_t p;

		if (!eng_where_match(e, &c->m, r))
			continue;
		if (c->scope == PSCOPE_SYSTEM) {
			int32_t sys[ORG_DEPTH_MAX];
			int n = systems_over(e, subj, sys), q;

			for (q = 0; q < n; q++) {
				int64_t at = sys[q] * e->nsr + c->idx;

				if (rescan)
					sys_rescan(v, c->idx, sys[q]);
				else
					eng_acc_add(e, &c->m, &v->sacc[at], r,
					            sign);
				v->sstate[at] =
				    (uint8_t)eng_judge_org(e, c, &v->sacc[at]);
			}
			continue;
		}
		for (p = subj; p != 0; p = e->org[p].parent_id) {
			if (!eng_org_in(e, p, c))
				continue;
			if (rescan)
				org_rescan(v, c->idx, p);
			else
				eng_acc_add(e, &c->m,
				            &v->oacc[p * e->nor + c->idx], r,
				            sign);
			org_refresh(v, c->idx, p);
		}
	}
}

/* --- questions ---------------------------------------------------------- */

static void fill_value(const struct engine *e, const struct creq *c,
                       const struct cmetric *cm, int t, const struct acc *a,
                       enum eng_state st, struct eng_value *out)
{
	const struct plan_req *pr = &e->p->reqs[c->req];

	out->state = st;
	out->value = eng_acc_value(cm, a);
	out->raw = eng_acc_raw(cm, a);
	out->cmp = pr->cmp;
	out->threshold = pr->threshold;
	out->treat = t;
	if (t >= 0 && !pr->treats[t].exempt) {
		out->cmp = pr->treats[t].cmp;
		out->threshold = pr->treats[t].threshold;
	}
}

static void value_na(struct eng_value *out)
{
	memset(out, 0, sizeof(*out));
	out->state = ENG_NA;
	out->value.den = out->threshold.den = out->raw.den = 1;
	out->treat = -1;
}

void eng_member_value(const struct eng_view *v, int req, int64_t m,
                      struct eng_value *out)
{
	const struct engine *e = v->e;
	const struct creq *c;
	const struct cmetric *cm;
	int t;

	value_na(out);
	if (req < 0 || req >= e->nreqs || m <= 0 || m > v->nmem ||
	    e->mname[m] == NULL)
		return;
	c = &e->reqs[req];
	if (c->scope != PSCOPE_MEMBER)
		return;
	cm = eng_effective(e, c, m, &t);
	fill_value(e, c, cm ? cm : &c->m, t, &v->macc[m * e->nmr + c->idx],
	           (enum eng_state)v->mstate[m * e->nmr + c->idx], out);
}

void eng_org_value(const struct eng_view *v, int req, int64_t id,
                   struct eng_value *out)
{
	const struct engine *e = v->e;
	const struct creq *c;

	value_na(out);
	if (req < 0 || req >= e->nreqs || id <= 0)
		return;
	c = &e->reqs[req];
	if (c->scope == PSCOPE_SYSTEM) {
		if (id > v->nsys || !e->sys_seen[id])
			return;
		fill_value(e, c, &c->m, -1, &v->sacc[id * e->nsr + c->idx],
		           (enum eng_state)v->sstate[id * e->nsr + c->idx],
		           out);
		return;
	}
	if (c->scope == PSCOPE_MEMBER || id > v->norg || e->org[id].id == 0 ||
	    !eng_org_in(e, id, c))
		return;
	fill_value(e, c, &c->m, -1, &v->oacc[id * e->nor + c->idx],
	           (enum eng_state)v->ostate[id * e->nor + c->idx], out);
}

static void count_pass(const struct plan_req *pr, struct eng_count *out)
{
	out->pass =
	    out->counted == 0 || (__int128)out->passed * pr->share.den >=
	                             (__int128)pr->share.num * out->counted;
}

static void add_counts(const struct eng_view *v, const struct creq *c,
                       int64_t o, struct eng_count *out)
{
	const struct engine *e = v->e;

	if (c->scope == PSCOPE_MEMBER) {
		const int32_t *cnt = &v->mcnt[(o * e->nmr + c->idx) * 3];

		out->counted += cnt[0];
		out->passed += cnt[1];
		out->exempt += cnt[2];
	} else if (c->scope != PSCOPE_SYSTEM) {
		const int32_t *cnt = &v->ocnt[(o * e->nor + c->idx) * 2];

		out->counted += cnt[0];
		out->passed += cnt[1];
	}
}

void eng_org_count(const struct eng_view *v, int req, int64_t o,
                   struct eng_count *out)
{
	const struct engine *e = v->e;

	memset(out, 0, sizeof(*out));
	out->pass = 1;
	if (req < 0 || req >= e->nreqs || o <= 0 || o > v->norg ||
	    e->org[o].id == 0)
		return;
	add_counts(v, &e->reqs[req], o, out);
	count_pass(&e->p->reqs[req], out);
}

void eng_system_count(const struct eng_view *v, int req, int64_t s,
                      struct eng_count *out)
{
	const struct engine *e = v->e;
	const struct creq *c;
	int32_t u;

	memset(out, 0, sizeof(*out));
	out->pass = 1;
	if (req < 0 || req >= e->nreqs || s <= 0 || s > v->nsys ||
	    !e->sys_seen[s])
		return;
	c = &e->reqs[req];
	if (c->scope == PSCOPE_SYSTEM) {
		out->counted = 1;
		out->passed =
		    v->sstate[s * e->nsr + c->idx] == ENG_PASS ? 1 : 0;
	} else {
		for (u = e->sys_head[s]; u != 0; u = e->sys_next[u])
			if (top_unit(e, u, s))
				add_counts(v, c, u, out);
	}
	count_pass(&e->p->reqs[req], out);
}

int eng_unit_passes(const struct eng_view *v, int req, int64_t unit)
{
	const struct engine *e = v->e;
	const struct creq *c;
	struct eng_count n;
	struct eng_value val;
	int64_t s;

	if (req < 0 || req >= e->nreqs || unit <= 0 || unit > v->norg ||
	    e->org[unit].id == 0)
		return 0;
	c = &e->reqs[req];
	switch (c->scope) {
	case PSCOPE_MEMBER:
	case PSCOPE_BRANCH:
		eng_org_count(v, req, unit, &n);
		return n.pass;
	case PSCOPE_UNIT:
		eng_org_value(v, req, unit, &val);
		return val.state == ENG_PASS;
	default:
		s = e->org[unit].system_id;
		if (s <= 0)
			return 1;
		eng_org_value(v, req, s, &val);
		return val.state == ENG_PASS;
	}
}

int64_t eng_member_branch(const struct eng_view *v, int64_t m)
{
	if (m <= 0 || m > v->nmem)
		return 0;
	return v->branch[m];
}
