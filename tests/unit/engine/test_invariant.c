/*
 * The engine's invariant (STYLE.md, "Tests"; issue 5 "Proof"): for
 * thousands of random seeds, a random stream of records, corrections and
 * movements gives the same answers
 *   - from the engine updated incrementally (engine_add_*, engine_live),
 *   - from the same engine's views as of past dates (engine_view_at),
 *   - from an engine rebuilt from the store (engine_build), for a subset
 *     of the seeds,
 * and from a naive reference evaluator written inside this test from the
 * contract alone (the comment above naive_eval), which recomputes every
 * answer from the raw event lists with plain loops.
 *
 * Every seed derives from a fixed base, so a failure names the seed that
 * reproduces it. XJ_INVARIANT_SEEDS raises (or lowers) the number of
 * in-memory seeds; a 25th of them also go through the store.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/harness.h"
#include "../../lib/planfx.h"
#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/engine.h"
#include "xianjiao/store.h"
#include "xianjiao/strbuf.h"

#define SEED_BASE 0x5eed2005u
#define SEEDS_DEFAULT 2000
#define STORE_EVERY 25
#define REPORT_MAX 25 /* mismatches printed in full */

#define MAXO 24 /* root, 4 units, 4 党总支, 6 branches */
#define MAXM 64
#define MAXEV 260 /* records and movements the stream draws */
#define MAXMV (MAXEV + MAXM)
#define MAXEVS (MAXEV + MAXO + 2 * MAXM) /* with late orgs, members */
#define MAXSYS 2
#define NREQ_MAX 40

/* --- random numbers (splitmix64) ------------------------------------ */

struct rng {
	uint64_t s;
};

static uint64_t rnext(struct rng *g)
{
	uint64_t z = (g->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static int rint_in(struct rng *g, int lo, int hi)
{
	return lo + (int)(rnext(g) % (uint64_t)(hi - lo + 1));
}

static int chance(struct rng *g, int num, int den)
{
	return rint_in(g, 0, den - 1) < num;
}

/* --- the test plan ---------------------------------------------------- */

/* Texts records carry; where filters on TEXT fields name some of them. */
static const char *const texts[] = { "党章", "读本", "三个代表" };
#define NTEXTS 3

/*
 * Every metric type, where filters on ENUM, STATE and TEXT fields, every
 * scope, exemptions and treatments (exempt; away_months_min with another
 * metric; another threshold; another comparison), shares other than 1,
 * and every comparison. Thresholds are small, so that the random campaigns
 * below both pass and fail them.
 */
static struct plan *invariant_plan(void)
{
	struct plan *p = planfx_new();
	struct plan_req *r;
	struct plan_treat *t;

	/* A member-subject kind with two numbers, for a member ratio. */
	planfx_kind(p, "reading", "读书", SUBJECT_MEMBER);
	planfx_field(p, "pages", FIELD_NUMBER, 1);
	planfx_field(p, "assigned", FIELD_NUMBER, 1);
	planfx_field(p, "finished", FIELD_DATE, 0);

	/* Members. */
	r = planfx_req(p, "m_hours", PSCOPE_MEMBER, METRIC_SUM,
	               "study_attendance", "hours", CMP_GE, 4, 1);
	planfx_treat(r, MCAT_BIT(MCAT_FRAIL), 0, 1, CMP_GE, 0, 1);
	t = planfx_treat(r, MCAT_BIT(MCAT_MOBILE), 6, 0, CMP_GE, 1, 1);
	planfx_treat_metric(p, t, METRIC_COUNT, "mailed_materials", NULL);
	planfx_treat(r, MCAT_BIT(MCAT_RETIRED), 0, 0, CMP_GE, 3, 1);
	r = planfx_req(p, "m_notes", PSCOPE_MEMBER, METRIC_SUM, "study_notes",
	               "zishu", CMP_GE, 3000, 1);
	planfx_treat(r, MCAT_BIT(MCAT_FRAIL), 0, 1, CMP_GE, 0, 1);
	r->share = (struct plan_ratio){ 2, 3 };
	r = planfx_req(p, "m_reflection", PSCOPE_MEMBER, METRIC_MAX,
	               "reflection", "zishu", CMP_GE, 3000, 1);
	r->share = (struct plan_ratio){ 1, 2 };
	r = planfx_req(p, "m_talk", PSCOPE_MEMBER, METRIC_DISTINCT_SHARE,
	               "talk", "counterpart", CMP_GE, 2, 3);
	planfx_treat(r, MCAT_BIT(MCAT_LEADER), 0, 0, CMP_GE, 1, 1);
	r = planfx_req(p, "m_analysis", PSCOPE_MEMBER, METRIC_STATE,
	               "analysis_material", "state", CMP_GE, 4, 1);
	planfx_treat(r, MCAT_BIT(MCAT_LOST), 0, 1, CMP_GE, 0, 1);
	r->share = (struct plan_ratio){ 3, 4 };
	r = planfx_req(p, "m_makeup", PSCOPE_MEMBER, METRIC_COUNT,
	               "study_attendance", NULL, CMP_LE, 1, 1);
	planfx_where(p, &r->metric, "makeup", "是");
	r = planfx_req(p, "m_session", PSCOPE_MEMBER, METRIC_COUNT,
	               "study_attendance", NULL, CMP_GT, 0, 1);
	planfx_where(p, &r->metric, "session", "党章");
	r = planfx_req(p, "m_two_filters", PSCOPE_MEMBER, METRIC_SUM,
	               "study_attendance", "hours", CMP_GE, 2, 1);
	planfx_where(p, &r->metric, "makeup", "否");
	planfx_where(p, &r->metric, "session", "读本");
	r = planfx_req(p, "m_ratio", PSCOPE_MEMBER, METRIC_RATIO, "reading",
	               "pages", CMP_GE, 9, 10);
	planfx_field2(p, &r->metric, "assigned");
	t = planfx_treat(r, MCAT_BIT(MCAT_UNEMPLOYED) | MCAT_BIT(MCAT_NEW_ORG),
	                 0, 0, CMP_LT, 5, 1);
	planfx_treat_metric(p, t, METRIC_SUM, "self_study", "hours");
	r->share = (struct plan_ratio){ 1, 3 };
	r = planfx_req(p, "m_talks_eq", PSCOPE_MEMBER, METRIC_COUNT, "talk",
	               NULL, CMP_EQ, 2, 1);
	planfx_treat(r, MCAT_BIT(MCAT_ACTIVE), 3, 1, CMP_GE, 0, 1);
	r->share = (struct plan_ratio){ 1, 2 };
	r = planfx_req(p, "m_paper", PSCOPE_MEMBER, METRIC_COUNT, "reflection",
	               NULL, CMP_GE, 1, 1);
	planfx_where(p, &r->metric, "paper", "是");
	t = planfx_treat(r, MCAT_BIT(MCAT_RETIRED) | MCAT_BIT(MCAT_FRAIL), 0, 0,
	                 CMP_LT, 1, 1);
	t = planfx_treat(r, MCAT_BIT(MCAT_MOBILE), 1, 1, CMP_GE, 0, 1);
	r = planfx_req(p, "m_state_where", PSCOPE_MEMBER, METRIC_COUNT,
	               "analysis_material", NULL, CMP_GE, 1, 1);
	planfx_where(p, &r->metric, "state", "已审核");

	/* Branches. */
	r = planfx_req(p, "b_lecture", PSCOPE_BRANCH, METRIC_COUNT, "lecture",
	               NULL, CMP_GE, 1, 1);
	planfx_where(p, &r->metric, "type", "党课");
	r->share = (struct plan_ratio){ 1, 2 };
	r = planfx_req(p, "b_discussion", PSCOPE_BRANCH, METRIC_RATIO,
	               "discussion", "participants", CMP_GE, 1, 1);
	planfx_field2(p, &r->metric, "expected");
	r->share = (struct plan_ratio){ 2, 3 };
	r = planfx_req(p, "b_rectified", PSCOPE_BRANCH, METRIC_STATE,
	               "rectification_item", "state", CMP_GE, 2, 1);
	r = planfx_req(p, "b_speakers", PSCOPE_BRANCH, METRIC_MAX, "discussion",
	               "speakers", CMP_GT, 3, 1);
	r = planfx_req(p, "b_participants_le", PSCOPE_BRANCH, METRIC_SUM,
	               "discussion", "participants", CMP_LE, 15, 1);

	/* Units. */
	r = planfx_req(p, "u_situation", PSCOPE_UNIT, METRIC_COUNT, "lecture",
	               NULL, CMP_GE, 2, 1);
	planfx_where(p, &r->metric, "type", "形势报告会");
	r = planfx_req(p, "u_satisfaction", PSCOPE_UNIT, METRIC_RATIO,
	               "satisfaction_ballot", "satisfied", CMP_GE, 70, 100);
	planfx_field2(p, &r->metric, "total");
	planfx_where(p, &r->metric, "meeting", "专题组织生活会");
	r->share = (struct plan_ratio){ 2, 3 };
	r = planfx_req(p, "u_title", PSCOPE_UNIT, METRIC_COUNT, "lecture", NULL,
	               CMP_GE, 1, 1);
	planfx_where(p, &r->metric, "title", "三个代表");
	r = planfx_req(p, "u_items_eq", PSCOPE_UNIT, METRIC_COUNT,
	               "rectification_item", NULL, CMP_EQ, 1, 1);

	/* 系统. */
	r = planfx_req(p, "s_lectures", PSCOPE_SYSTEM, METRIC_COUNT, "lecture",
	               NULL, CMP_GE, 3, 1);
	r = planfx_req(p, "s_satisfaction", PSCOPE_SYSTEM, METRIC_RATIO,
	               "satisfaction_ballot", "satisfied", CMP_GT, 1, 2);
	planfx_field2(p, &r->metric, "total");
	r = planfx_req(p, "s_done", PSCOPE_SYSTEM, METRIC_COUNT,
	               "rectification_item", NULL, CMP_GE, 2, 1);
	planfx_where(p, &r->metric, "state", "已完成");
	r = planfx_req(p, "s_expected_lt", PSCOPE_SYSTEM, METRIC_MAX,
	               "discussion", "expected", CMP_LT, 15, 1);
	assert_true(p->nreqs <= NREQ_MAX);
	return p;
}

/* --- a random campaign ------------------------------------------------ */

struct c_org {
	int64_t parent;
	enum org_type type;
	int is_unit;
	int64_t system; /* units only */
	int batch;      /* units only */
};

struct c_member {
	int64_t org; /* first branch */
	uint32_t cats;
	int away;
	int32_t in_from;
};

struct c_record {
	struct eng_record r;       /* r.text unused: see text */
	int text[PLAN_FIELDS_MAX]; /* index into texts, -1: absent */
	int secs;                  /* entered_at second within the day */
};

enum { EV_RECORD, EV_MOVEMENT, EV_ORG, EV_MEMBER };

struct c_event {
	int type;
	int index;
};

struct world {
	uint64_t seed;
	int store_bound; /* every in_from comes with a 转入 on that day */
	struct c_org orgs[MAXO + 1]; /* by id; [0] unused */
	int norgs;
	struct c_member members[MAXM + 1];
	int nmembers;
	struct c_record recs[MAXEV];
	int nrecs;
	struct eng_movement movs[MAXMV];
	int nmovs;
	struct c_event evs[MAXEVS];
	int nevs;
	/* orgs 1..norgs0 and members 1..nmembers0 come before the stream,
	 * the others in it (EV_ORG, EV_MEMBER), in id order */
	int norgs0, nmembers0;
	int known_o, known_m;            /* while generating: added so far */
	unsigned char superseded[MAXEV]; /* by a later record */
	int32_t start, end;
	/* derived from the tree */
	unsigned char anc[MAXO + 1][MAXO + 1]; /* [a][b]: a is b or above it */
};

static int64_t add_org(struct world *c, int64_t parent, enum org_type type,
                       int is_unit)
{
	struct c_org *o;

	assert_true(c->norgs < MAXO);
	o = &c->orgs[++c->norgs];
	memset(o, 0, sizeof(*o));
	o->parent = parent;
	o->type = type;
	o->is_unit = is_unit;
	return c->norgs;
}

/* The ancestry matrix. Units are never nested, so "the 系统 of an org"
 * (of its nearest unit) and "in the subtree of a unit of the 系统" are
 * the same thing. */
static void derive_tree(struct world *c)
{
	int64_t a, b;
	int units;

	memset(c->anc, 0, sizeof(c->anc));
	for (b = 1; b <= c->norgs; b++) {
		units = 0;
		for (a = b; a != 0; a = c->orgs[a].parent) {
			c->anc[a][b] = 1;
			units += c->orgs[a].is_unit;
		}
		assert_true(units <= 1);
	}
}

/* The generator's picture of a member while the stream is made. */
struct g_member {
	int present;
	int dead;
	int64_t branch;
	int32_t last; /* date of the last movement */
};

static int64_t random_branch(struct rng *g, const struct world *c,
                             int64_t except)
{
	int64_t ids[MAXO];
	int n = 0;
	int64_t i;

	for (i = 1; i <= c->known_o; i++)
		if (c->orgs[i].type == ORG_BRANCH && i != except)
			ids[n++] = i;
	return n > 0 ? ids[rint_in(g, 0, n - 1)] : 0;
}

static int64_t random_member(struct rng *g, const struct world *c)
{
	/* Half the records go to a few busy members, so that some members
	 * reach the thresholds. */
	if (chance(g, 3, 5))
		return rint_in(g, 1, 3);
	return rint_in(g, 1, c->known_m);
}

static int64_t gen_amount(struct rng *g, const char *field)
{
	if (strcmp(field, "hours") == 0)
		return chance(g, 1, 3) ? rint_in(g, 0, 6) * 100
		                       : rint_in(g, 0, 600);
	if (strcmp(field, "zishu") == 0)
		return (int64_t)rint_in(g, 0, 60) * 10000;
	if (strcmp(field, "satisfied") == 0)
		return rint_in(g, 0, 100) * 100;
	if (strcmp(field, "total") == 0)
		return rint_in(g, 1, 100) * 100;
	if (strcmp(field, "expected") == 0)
		return rint_in(g, 0, 20) * 100;
	if (strcmp(field, "participants") == 0)
		return rint_in(g, 0, 20) * 100;
	if (strcmp(field, "speakers") == 0)
		return rint_in(g, 0, 8) * 100;
	if (strcmp(field, "pages") == 0 || strcmp(field, "assigned") == 0)
		return rint_in(g, 0, 3000);
	return rint_in(g, 0, 100000);
}

static void gen_fields(struct rng *g, const struct plan *p,
                       const struct world *c, const struct g_member *gm,
                       struct c_record *cr, int32_t day)
{
	const struct plan_kind *k = &p->kinds[cr->r.kind];
	int64_t branch, same[MAXM];
	int i, n;
	int64_t m;

	for (i = 0; i < PLAN_FIELDS_MAX; i++) {
		cr->r.num[i] = -1;
		cr->r.text[i] = NULL;
		cr->text[i] = -1;
	}
	for (i = 0; i < k->nfields; i++) {
		const struct plan_field *f = &k->fields[i];

		if (!f->required && chance(g, 1, 4))
			continue;
		switch (f->type) {
		case FIELD_NUMBER:
		case FIELD_ZISHU:
			cr->r.num[i] = gen_amount(g, f->name);
			break;
		case FIELD_ENUM:
		case FIELD_STATE:
			cr->r.num[i] = rint_in(g, 0, f->nvalues - 1);
			break;
		case FIELD_TEXT:
			cr->text[i] = rint_in(g, 0, NTEXTS - 1);
			break;
		case FIELD_MEMBER:
			/* Mostly someone of the subject's branch now. */
			branch = cr->r.member_id != 0
			             ? gm[cr->r.member_id].branch
			             : 0;
			n = 0;
			for (m = 1; m <= c->known_m; m++)
				if (gm[m].present && gm[m].branch == branch)
					same[n++] = m;
			if (n > 0 && chance(g, 4, 5))
				cr->r.num[i] = same[rint_in(g, 0, n - 1)];
			else if (chance(g, 1, 20)) /* no such member */
				cr->r.num[i] = c->nmembers + rint_in(g, 1, 500);
			else
				cr->r.num[i] = rint_in(g, 1, c->known_m);
			break;
		case FIELD_DATE:
			cr->r.num[i] = day - rint_in(g, 0, 30);
			break;
		}
	}
}

/* Kinds the stream draws from, with weights; some no requirement uses. */
static const struct {
	const char *kind;
	int weight;
} kind_weights[] = {
	{ "study_attendance", 4 },
	{ "study_notes", 2 },
	{ "reflection", 2 },
	{ "mailed_materials", 1 },
	{ "talk", 5 },
	{ "analysis_material", 2 },
	{ "self_study", 1 },
	{ "reading", 2 },
	{ "badge_check", 1 },
	{ "lecture", 4 },
	{ "discussion", 2 },
	{ "satisfaction_ballot", 2 },
	{ "rectification_item", 2 },
	{ "mobilisation", 1 },
};

static int random_kind(struct rng *g, const struct plan *p)
{
	int total = 0, x;
	size_t i;

	for (i = 0; i < sizeof(kind_weights) / sizeof(kind_weights[0]); i++)
		total += kind_weights[i].weight;
	x = rint_in(g, 0, total - 1);
	for (i = 0; x >= kind_weights[i].weight; i++)
		x -= kind_weights[i].weight;
	return planfx_kind_index(p, kind_weights[i].kind);
}

static void new_record(struct rng *g, const struct plan *p, struct world *c,
                       const struct g_member *gm, int32_t cursor)
{
	struct c_record *cr = &c->recs[c->nrecs];

	memset(cr, 0, sizeof(*cr));
	cr->r.id = c->nrecs + 1;
	cr->r.kind = random_kind(g, p);
	if (p->kinds[cr->r.kind].subject == SUBJECT_MEMBER) {
		cr->r.member_id = random_member(g, c);
		cr->r.org_id = gm[cr->r.member_id].branch;
	} else {
		cr->r.org_id = rint_in(g, 1, c->known_o);
	}
	cr->r.entered_on = cursor;
	cr->r.happened_on = cursor - (chance(g, 1, 3) ? 0 : rint_in(g, 0, 20));
	cr->secs = chance(g, 1, 4) ? (chance(g, 1, 2) ? 0 : 86399)
	                           : rint_in(g, 0, 86399);
	gen_fields(g, p, c, gm, cr, cr->r.happened_on);
	c->evs[c->nevs++] = (struct c_event){ EV_RECORD, c->nrecs };
	c->nrecs++;
}

static int new_correction(struct rng *g, const struct plan *p, struct world *c,
                          const struct g_member *gm, int32_t cursor)
{
	struct c_record *cr = &c->recs[c->nrecs];
	int current[MAXEV], n = 0, i;
	const struct c_record *old;

	for (i = 0; i < c->nrecs; i++)
		if (!c->superseded[i])
			current[n++] = i;
	if (n == 0)
		return 0;
	i = current[rint_in(g, 0, n - 1)];
	c->superseded[i] = 1;
	old = &c->recs[i];
	memset(cr, 0, sizeof(*cr));
	cr->r.id = c->nrecs + 1;
	cr->r.kind = old->r.kind;
	cr->r.member_id = old->r.member_id;
	cr->r.org_id = old->r.org_id;
	/* Now and then the correction is about another subject: the record
	 * was entered for the wrong member or organisation. */
	if (chance(g, 1, 8)) {
		if (cr->r.member_id != 0) {
			cr->r.member_id = random_member(g, c);
			cr->r.org_id = gm[cr->r.member_id].branch;
		} else {
			cr->r.org_id = rint_in(g, 1, c->known_o);
		}
	}
	cr->r.supersedes = old->r.id;
	cr->r.voided = chance(g, 1, 4);
	cr->r.entered_on = cursor;
	cr->r.happened_on =
	    chance(g, 1, 2) ? old->r.happened_on : cursor - rint_in(g, 0, 20);
	cr->secs = rint_in(g, 0, 86399);
	gen_fields(g, p, c, gm, cr, cr->r.happened_on);
	c->evs[c->nevs++] = (struct c_event){ EV_RECORD, c->nrecs };
	c->nrecs++;
	return 1;
}

static int new_movement(struct rng *g, struct world *c, struct g_member *gm,
                        int32_t cursor)
{
	struct eng_movement *mv = &c->movs[c->nmovs];
	struct g_member *s;
	int64_t m, to;
	int32_t on;
	int tries, k;

	for (tries = 0; tries < 6; tries++) {
		m = rint_in(g, 1, c->known_m);
		s = &gm[m];
		if (s->dead || c->members[m].in_from > cursor)
			continue;
		on = cursor - rint_in(g, 0, 3);
		if (on < s->last)
			on = s->last;
		if (on < c->members[m].in_from)
			on = c->members[m].in_from;
		to = 0;
		if (!s->present) {
			k = MOVE_IN;
			to = random_branch(g, c, 0);
		} else {
			k = rint_in(g, 0, 99);
			to = random_branch(g, c, s->branch);
			if (k < 50 && to != 0)
				k = MOVE_WITHIN;
			else if (k < 85)
				k = MOVE_OUT;
			else
				k = MOVE_DEATH;
		}
		if (k == MOVE_OUT || k == MOVE_DEATH)
			to = 0;
		*mv = (struct eng_movement){ m, k, on, to };
		s->last = on;
		s->present = k == MOVE_IN || k == MOVE_WITHIN;
		s->dead = k == MOVE_DEATH;
		if (to != 0)
			s->branch = to;
		c->evs[c->nevs++] = (struct c_event){ EV_MOVEMENT, c->nmovs };
		c->nmovs++;
		return 1;
	}
	return 0;
}

/* Members who join during the campaign: the store knows them by a first
 * 转入 on in_from (that is how engine_build reads them); in memory only
 * half of them come with that movement. */
static void first_move_in(struct rng *g, struct world *c, int64_t m)
{
	if (c->members[m].in_from == 0 || (!c->store_bound && chance(g, 1, 2)))
		return;
	c->movs[c->nmovs] =
	    (struct eng_movement){ m, MOVE_IN, c->members[m].in_from,
		                   c->members[m].org };
	c->evs[c->nevs++] = (struct c_event){ EV_MOVEMENT, c->nmovs++ };
}

/* The next late organisation, or else the next late member. */
static void arrive(struct rng *g, struct world *c)
{
	if (c->known_o < c->norgs) {
		c->known_o++;
		c->evs[c->nevs++] = (struct c_event){ EV_ORG, c->known_o };
		return;
	}
	c->known_m++;
	c->evs[c->nevs++] = (struct c_event){ EV_MEMBER, c->known_m };
	first_move_in(g, c, c->known_m);
}

static void gen_campaign(struct world *c, const struct plan *p, uint64_t seed,
                         int store_bound)
{
	struct rng g = { seed };
	struct g_member gm[MAXM + 1];
	int64_t units[4], general[4], parent, root;
	int nunits, nbranches, extra, i, x, nev;
	int32_t cursor;

	memset(c, 0, sizeof(*c));
	c->seed = seed;
	c->store_bound = store_bound;
	c->start = date_from_ymd(2005, 1, 10);
	root = add_org(c, 0, ORG_COMMITTEE, 0);
	nunits = rint_in(&g, 2, 4);
	for (i = 0; i < nunits; i++) {
		units[i] = add_org(
		    c, root, chance(&g, 1, 2) ? ORG_COMMITTEE : ORG_PARTY_GROUP,
		    1);
		c->orgs[units[i]].system =
		    chance(&g, 1, 8) ? 0 : rint_in(&g, 1, MAXSYS);
		c->orgs[units[i]].batch = rint_in(&g, 1, 2);
		general[i] = chance(&g, 1, 3)
		                 ? add_org(c, units[i], ORG_GENERAL_BRANCH, 0)
		                 : 0;
	}
	nbranches = rint_in(&g, 2, 6);
	for (i = 0; i < nbranches; i++) {
		if (chance(&g, 1, 10)) {
			parent = root; /* a branch outside any unit */
		} else {
			x = rint_in(&g, 0, nunits - 1);
			parent = general[x] != 0 && chance(&g, 1, 2)
			             ? general[x]
			             : units[x];
		}
		add_org(c, parent, ORG_BRANCH, 0);
	}
	/* A unit with a branch of its own, created last. */
	extra = chance(&g, 1, 4);
	if (extra) {
		parent = add_org(c, root, ORG_COMMITTEE, 1);
		c->orgs[parent].system = rint_in(&g, 0, MAXSYS);
		c->orgs[parent].batch = rint_in(&g, 1, 2);
		add_org(c, parent, ORG_BRANCH, 0);
	}
	derive_tree(c);
	/* Now and then the last organisations (branches, or that unit and
	 * its branch) and members arrive during the stream, as a registry
	 * import does while the server runs. */
	c->norgs0 = c->norgs;
	if (chance(&g, 1, 3))
		c->norgs0 -= rint_in(&g, 1, extra || nbranches > 2 ? 2 : 1);
	c->nmembers = rint_in(&g, 10, 60);
	c->nmembers0 = c->nmembers;
	if (chance(&g, 1, 3))
		c->nmembers0 -= rint_in(&g, 1, c->nmembers / 4);

	for (i = 1; i <= c->nmembers; i++) {
		struct c_member *m = &c->members[i];

		/* members there from the start are in early branches */
		c->known_o = i <= c->nmembers0 ? c->norgs0 : c->norgs;
		m->org = random_branch(&g, c, 0);
		for (x = 0; x < MCAT__MAX; x++)
			if (chance(&g, 1, 6))
				m->cats |= MCAT_BIT(x);
		if ((m->cats & MCAT_BIT(MCAT_MOBILE)) || chance(&g, 1, 5))
			m->away = rint_in(&g, 0, 12);
		if (chance(&g, 1, 8))
			m->in_from = c->start + rint_in(&g, 0, 90);
		gm[i] = (struct g_member){ 1, 0, m->org, m->in_from };
	}
	for (i = 1; i <= c->nmembers0; i++)
		first_move_in(&g, c, i);

	c->known_o = c->norgs0;
	c->known_m = c->nmembers0;
	cursor = c->start;
	nev = rint_in(&g, 20, MAXEV);
	while (c->nevs < nev) {
		if ((c->known_o < c->norgs || c->known_m < c->nmembers) &&
		    chance(&g, 1, 12)) {
			arrive(&g, c);
			continue;
		}
		if (chance(&g, 1, 2))
			cursor += chance(&g, 1, 8) ? rint_in(&g, 2, 9) : 1;
		x = rint_in(&g, 0, 99);
		if (x < 15 && new_correction(&g, p, c, gm, cursor))
			continue;
		if (x >= 15 && x < 35 && new_movement(&g, c, gm, cursor))
			continue;
		new_record(&g, p, c, gm, cursor);
	}
	while (c->known_o < c->norgs || c->known_m < c->nmembers)
		arrive(&g, c);
	c->end = cursor;
}

/* --- the naive reference evaluator ------------------------------------ */

/*
 * Written from the contract of issue 5 only (not from src/engine). Where
 * the contract leaves a choice, this is the reading taken:
 *   - The value of a subject that is ENG_NA or ENG_EXEMPT is not defined,
 *     so only the state (and for ENG_EXEMPT the treatment, threshold and
 *     comparison) is compared; a PASS/FAIL value is compared in full.
 *   - RATIO: each sum runs over the records that give that field (the
 *     test plan makes both fields required, so the reading never
 *     matters); a zero denominator gives 0/1.
 *   - DISTINCT_SHARE: a named id that is no member, or the member
 *     itself, or a member not present on D in m's branch on D is ignored.
 *   - A correction that supersedes a withdrawal (voided) counts as any
 *     other record: the chain continues from the newest record.
 *   - eng_org_count for PSCOPE_BRANCH and PSCOPE_UNIT: exempt is 0 (only
 *     members are ever exempt).
 *   - eng_system_count, PSCOPE_MEMBER: members present on D whose branch
 *     on D lies under some unit of the 系统 (each counted once).
 *   - Movements apply in the order they were added (the generator keeps
 *     each member's dates non-decreasing, as the header requires), and a
 *     member whose in_from is after D is absent whatever the movements.
 * The generator never nests units (a unit inside another unit), where
 * "the system of an org" and "a system's subtree" would disagree.
 */
/* How much of a campaign an engine has seen: the first nrecs records,
 * nmovs movements, norgs organisations and nmembers members. */
struct prefix {
	int nrecs, nmovs;
	int64_t norgs, nmembers;
};

struct naive {
	const struct plan *p;
	const struct world *c;
	int32_t D;
	int nrecs, nmovs; /* the prefix of the stream seen so far */
	int64_t norgs, nmembers;
	/* [s][o]: o lies in the subtree of a unit of 系统 s */
	unsigned char in_sys[MAXSYS + 1][MAXO + 1];
	int has_sys[MAXSYS + 1]; /* some unit carries 系统 s */
	int present[MAXM + 1];
	int64_t branch[MAXM + 1];
	int64_t branch_size[MAXO + 1]; /* members present on D */
	/* the records that count as of D, by kind */
	int bykind[PLAN_KINDS_MAX][MAXEV];
	int nbykind[PLAN_KINDS_MAX];
	struct eng_value mval[NREQ_MAX][MAXM + 1];
	struct eng_value oval[NREQ_MAX][MAXO + 1];
	struct eng_value sval[NREQ_MAX][MAXSYS + 1];
};

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

static struct plan_ratio reduced(int64_t num, int64_t den)
{
	struct plan_ratio r;
	int64_t g;

	if (den < 0) {
		num = -num;
		den = -den;
	}
	g = gcd64(num, den);
	if (g == 0)
		g = 1;
	r.num = num / g;
	r.den = den / g;
	return r;
}

/* value cmp threshold, by cross-multiplication (dens are positive). */
static int naive_compare(struct plan_ratio v, enum plan_cmp cmp,
                         struct plan_ratio t)
{
	__int128 a = (__int128)v.num * t.den, b = (__int128)t.num * v.den;

	switch (cmp) {
	case CMP_GE:
		return a >= b;
	case CMP_GT:
		return a > b;
	case CMP_LE:
		return a <= b;
	case CMP_LT:
		return a < b;
	case CMP_EQ:
		return a == b;
	}
	return 0;
}

static void naive_presence(struct naive *n)
{
	const struct world *c = n->c;
	int64_t m;
	int i;

	memset(n->branch_size, 0, sizeof(n->branch_size));
	for (m = 1; m <= n->nmembers; m++) {
		int32_t in_from = c->members[m].in_from;

		n->present[m] = in_from == 0 || in_from <= n->D;
		n->branch[m] = c->members[m].org;
		if (!n->present[m])
			continue; /* movements never precede in_from */
		for (i = 0; i < n->nmovs; i++) {
			const struct eng_movement *mv = &c->movs[i];

			if (mv->member_id != m || mv->on_date > n->D)
				continue;
			switch (mv->kind) {
			case MOVE_OUT:
			case MOVE_DEATH:
				n->present[m] = 0;
				break;
			case MOVE_IN:
			case MOVE_WITHIN:
				n->present[m] = 1;
				n->branch[m] = mv->to_org;
				break;
			}
		}
	}
	for (m = 1; m <= n->nmembers; m++) {
		if (!n->present[m])
			n->branch[m] = 0;
		else
			n->branch_size[n->branch[m]]++;
	}
}

static void naive_counting(struct naive *n)
{
	const struct world *c = n->c;
	unsigned char replaced[MAXEV] = { 0 };
	int i;

	/* Record ids are 1.. in the order of entry. */
	for (i = 0; i < n->nrecs; i++) {
		const struct eng_record *r = &c->recs[i].r;

		if (r->supersedes != 0 && r->entered_on <= n->D)
			replaced[r->supersedes - 1] = 1;
	}
	memset(n->nbykind, 0, sizeof(n->nbykind));
	for (i = 0; i < n->nrecs; i++) {
		const struct eng_record *r = &c->recs[i].r;

		if (r->happened_on <= n->D && r->entered_on <= n->D &&
		    !r->voided && !replaced[i])
			n->bykind[r->kind][n->nbykind[r->kind]++] = i;
	}
}

/* Does record i pass every where filter of m? */
static int naive_where(const struct naive *n, const struct plan_metric *m,
                       int i)
{
	const struct c_record *cr = &n->c->recs[i];
	const struct plan_kind *k = &n->p->kinds[m->kind];
	int w;

	for (w = 0; w < m->nwhere; w++) {
		const struct plan_field *f = &k->fields[m->where[w].field];
		int fi = m->where[w].field;

		if (f->type == FIELD_TEXT) {
			if (cr->text[fi] < 0 ||
			    strcmp(texts[cr->text[fi]], m->where[w].value) != 0)
				return 0;
		} else {
			int pos = -1, v;

			for (v = 0; v < f->nvalues; v++)
				if (strcmp(f->values[v], m->where[w].value) ==
				    0)
					pos = v;
			if (cr->r.num[fi] < 0 || cr->r.num[fi] != pos)
				return 0;
		}
	}
	return 1;
}

/* Whom a metric is about: a member, an organisation or a 系统. */
enum subj { SUBJ_MEMBER, SUBJ_ORG, SUBJ_SYSTEM };

static int naive_about(const struct naive *n, int i, enum subj s, int64_t id)
{
	const struct world *c = n->c;
	const struct eng_record *r = &c->recs[i].r;

	switch (s) {
	case SUBJ_MEMBER:
		return r->member_id == id;
	case SUBJ_ORG:
		return n->p->kinds[r->kind].subject == SUBJECT_ORG &&
		       c->anc[id][r->org_id];
	case SUBJ_SYSTEM:
		return n->p->kinds[r->kind].subject == SUBJECT_ORG &&
		       n->in_sys[id][r->org_id];
	}
	return 0;
}

static struct plan_ratio naive_metric(const struct naive *n,
                                      const struct plan_metric *m, enum subj s,
                                      int64_t id)
{
	int64_t count = 0, sum = 0, sum2 = 0, max = -1, seen[MAXEV];
	int nseen = 0, i, j, k, dup;
	int64_t v, b, den;

	for (k = 0; k < n->nbykind[m->kind]; k++) {
		const struct eng_record *r;

		i = n->bykind[m->kind][k];
		r = &n->c->recs[i].r;
		if (!naive_about(n, i, s, id) || !naive_where(n, m, i))
			continue;
		count++;
		if (m->field >= 0 && r->num[m->field] >= 0) {
			v = r->num[m->field];
			sum += v;
			if (v > max)
				max = v;
			dup = 0;
			for (j = 0; j < nseen; j++)
				if (seen[j] == v)
					dup = 1;
			if (!dup)
				seen[nseen++] = v;
		}
		if (m->field2 >= 0 && r->num[m->field2] >= 0)
			sum2 += r->num[m->field2];
	}
	switch (m->type) {
	case METRIC_COUNT:
		return reduced(count, 1);
	case METRIC_SUM:
		return reduced(sum, PLAN_CENTI);
	case METRIC_MAX:
		return max < 0 ? reduced(0, 1) : reduced(max, PLAN_CENTI);
	case METRIC_DISTINCT_SHARE:
		b = n->branch[id];
		den = n->branch_size[b] - 1;
		if (den <= 0)
			return reduced(1, 1);
		count = 0;
		for (j = 0; j < nseen; j++) {
			v = seen[j];
			if (v != id && v >= 1 && v <= n->nmembers &&
			    n->present[v] && n->branch[v] == b)
				count++;
		}
		return reduced(count, den);
	case METRIC_STATE:
		return reduced(max, 1);
	case METRIC_RATIO:
		return sum2 == 0 ? reduced(0, 1) : reduced(sum, sum2);
	case METRIC__MAX:
		break;
	}
	fail_msg("unknown metric type %d", (int)m->type);
	return reduced(0, 1);
}

static void naive_member(const struct naive *n, int req, int64_t m,
                         struct eng_value *out)
{
	const struct plan_req *r = &n->p->reqs[req];
	const struct c_member *cm = &n->c->members[m];
	const struct plan_metric *metric = &r->metric;
	int t;

	memset(out, 0, sizeof(*out));
	out->treat = -1;
	out->cmp = r->cmp;
	out->threshold = reduced(r->threshold.num, r->threshold.den);
	if (!n->present[m]) {
		out->state = ENG_NA;
		return;
	}
	for (t = 0; t < r->ntreats; t++) {
		const struct plan_treat *tr = &r->treats[t];

		if ((cm->cats & tr->when.categories) == 0)
			continue;
		if (tr->when.away_months_min != 0 &&
		    cm->away < tr->when.away_months_min)
			continue;
		out->treat = t;
		if (tr->exempt) {
			out->state = ENG_EXEMPT;
			return;
		}
		if (tr->has_metric)
			metric = &tr->metric;
		out->cmp = tr->cmp;
		out->threshold = reduced(tr->threshold.num, tr->threshold.den);
		break;
	}
	out->value = naive_metric(n, metric, SUBJ_MEMBER, m);
	out->state = naive_compare(out->value, out->cmp, out->threshold)
	                 ? ENG_PASS
	                 : ENG_FAIL;
}

static void naive_subject(const struct naive *n, int req, enum subj s,
                          int64_t id, struct eng_value *out)
{
	const struct plan_req *r = &n->p->reqs[req];

	memset(out, 0, sizeof(*out));
	out->treat = -1;
	out->cmp = r->cmp;
	out->threshold = reduced(r->threshold.num, r->threshold.den);
	out->value = naive_metric(n, &r->metric, s, id);
	out->state = naive_compare(out->value, r->cmp, out->threshold)
	                 ? ENG_PASS
	                 : ENG_FAIL;
}

/* Everything as of D over the first nrecs records and nmovs movements. */
static void naive_eval(struct naive *n, const struct plan *p,
                       const struct world *c, int32_t D,
                       const struct prefix *px)
{
	int req;
	int64_t id, u;

	n->p = p;
	n->c = c;
	n->D = D;
	n->nrecs = px->nrecs;
	n->nmovs = px->nmovs;
	n->norgs = px->norgs;
	n->nmembers = px->nmembers;
	memset(n->in_sys, 0, sizeof(n->in_sys));
	memset(n->has_sys, 0, sizeof(n->has_sys));
	for (u = 1; u <= n->norgs; u++) {
		if (!c->orgs[u].is_unit)
			continue;
		n->has_sys[c->orgs[u].system] = 1;
		for (id = 1; id <= n->norgs; id++)
			if (c->anc[u][id])
				n->in_sys[c->orgs[u].system][id] = 1;
	}
	naive_presence(n);
	naive_counting(n);
	for (req = 0; req < p->nreqs; req++) {
		enum plan_scope sc = p->reqs[req].scope;

		for (id = 1; id <= n->nmembers && sc == PSCOPE_MEMBER; id++)
			naive_member(n, req, id, &n->mval[req][id]);
		for (id = 1; id <= n->norgs; id++)
			if ((sc == PSCOPE_BRANCH &&
			     c->orgs[id].type == ORG_BRANCH) ||
			    (sc == PSCOPE_UNIT && c->orgs[id].is_unit))
				naive_subject(n, req, SUBJ_ORG, id,
				              &n->oval[req][id]);
		for (id = 1; id <= MAXSYS && sc == PSCOPE_SYSTEM; id++)
			if (n->has_sys[id])
				naive_subject(n, req, SUBJ_SYSTEM, id,
				              &n->sval[req][id]);
	}
}

static int naive_in_system(const struct naive *n, int64_t sys, int64_t org)
{
	return n->in_sys[sys][org];
}

static void naive_tally(struct eng_count *out, enum eng_state s)
{
	if (s == ENG_EXEMPT)
		out->exempt++;
	if (s == ENG_PASS || s == ENG_FAIL)
		out->counted++;
	if (s == ENG_PASS)
		out->passed++;
}

static void naive_pass(const struct plan_req *r, struct eng_count *out)
{
	out->pass = out->counted == 0 ||
	            out->passed * r->share.den >= r->share.num * out->counted;
}

/* org > 0: the subtree of org; org < 0: the units of 系统 -org. */
static void naive_count(const struct naive *n, int req, int64_t org,
                        struct eng_count *out)
{
	const struct world *c = n->c;
	const struct plan_req *r = &n->p->reqs[req];
	int64_t id;

#define NAIVE_UNDER(o)                                                         \
	(org > 0 ? c->anc[org][(o)] : naive_in_system(n, -org, (o)))

	memset(out, 0, sizeof(*out));
	switch (r->scope) {
	case PSCOPE_MEMBER:
		for (id = 1; id <= n->nmembers; id++)
			if (n->present[id] && NAIVE_UNDER(n->branch[id]))
				naive_tally(out, n->mval[req][id].state);
		break;
	case PSCOPE_BRANCH:
	case PSCOPE_UNIT:
		for (id = 1; id <= n->norgs; id++)
			if (((r->scope == PSCOPE_BRANCH &&
			      c->orgs[id].type == ORG_BRANCH) ||
			     (r->scope == PSCOPE_UNIT &&
			      c->orgs[id].is_unit)) &&
			    (org > 0 ? c->anc[org][id]
			     : c->orgs[id].is_unit
			         ? c->orgs[id].system == -org
			         : naive_in_system(n, -org, id)))
				naive_tally(out, n->oval[req][id].state);
		break;
	case PSCOPE_SYSTEM:
		if (org < 0)
			naive_tally(out, n->sval[req][-org].state);
		break;
	case PSCOPE__MAX:
		break;
	}
#undef NAIVE_UNDER
	naive_pass(r, out);
}

static int naive_unit_passes(const struct naive *n, int req, int64_t unit)
{
	const struct plan_req *r = &n->p->reqs[req];
	struct eng_count cnt;
	int64_t sys;

	switch (r->scope) {
	case PSCOPE_MEMBER:
	case PSCOPE_BRANCH:
		naive_count(n, req, unit, &cnt);
		return cnt.pass;
	case PSCOPE_UNIT:
		return n->oval[req][unit].state == ENG_PASS;
	case PSCOPE_SYSTEM:
		sys = n->c->orgs[unit].system;
		return sys == 0 || n->sval[req][sys].state == ENG_PASS;
	case PSCOPE__MAX:
		break;
	}
	return 0;
}

/* --- comparing ---------------------------------------------------------- */

static long mismatches;
static long checks;

static const char *state_name(enum eng_state s)
{
	static const char *const names[] = { "NA", "EXEMPT", "FAIL", "PASS" };

	return (int)s >= 0 && s <= ENG_PASS ? names[s] : "?";
}

static void mismatch(const struct world *c, const char *what, int32_t D,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void mismatch(const struct world *c, const char *what, int32_t D,
                     const char *fmt, ...)
{
	va_list ap;

	if (mismatches++ >= REPORT_MAX)
		return;
	fprintf(stderr, "MISMATCH seed %#llx (%s, as of %s%d): ",
	        (unsigned long long)c->seed, what, D == ENG_LIVE ? "LIVE " : "",
	        D == ENG_LIVE ? 0 : (int)D);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char *cmp_name(enum plan_cmp c)
{
	static const char *const names[] = { ">=", ">", "<=", "<", "==" };

	return (int)c >= 0 && c <= CMP_EQ ? names[c] : "?";
}

static int value_differs(const struct eng_value *e, const struct eng_value *w)
{
	struct plan_ratio ev, et;

	if (e->state != w->state)
		return 1;
	if (w->state == ENG_NA)
		return 0;
	if (e->threshold.den <= 0)
		return 1;
	et = reduced(e->threshold.num, e->threshold.den);
	if (e->treat != w->treat || e->cmp != w->cmp ||
	    et.num != w->threshold.num || et.den != w->threshold.den)
		return 1;
	if (w->state == ENG_EXEMPT)
		return 0;
	if (e->value.den <= 0)
		return 1;
	ev = reduced(e->value.num, e->value.den);
	return ev.num != w->value.num || ev.den != w->value.den;
}

static void value_text(const struct eng_value *v, char *buf, size_t size)
{
	snprintf(buf, size, "%s %lld/%lld (%s %lld/%lld, treat %d)",
	         state_name(v->state), (long long)v->value.num,
	         (long long)v->value.den, cmp_name(v->cmp),
	         (long long)v->threshold.num, (long long)v->threshold.den,
	         v->treat);
}

static void compare_value(const struct world *c, const char *what, int32_t D,
                          const char *req, const char *subject, int64_t id,
                          const struct eng_value *e, const struct eng_value *w)
{
	char a[160], b[160];

	if (!value_differs(e, w))
		return;
	value_text(e, a, sizeof(a));
	value_text(w, b, sizeof(b));
	mismatch(c, what, D, "requirement %s, %s %lld: engine %s, naive %s",
	         req, subject, (long long)id, a, b);
}

static void compare_count(const struct world *c, const char *what, int32_t D,
                          const char *req, const char *fn, int64_t id,
                          const struct eng_count *e, const struct eng_count *w)
{
	if (e->counted == w->counted && e->passed == w->passed &&
	    e->exempt == w->exempt && !e->pass == !w->pass)
		return;
	mismatch(c, what, D,
	         "requirement %s, %s(%lld): engine counted %lld passed %lld "
	         "exempt %lld pass %d, naive counted %lld passed %lld "
	         "exempt %lld pass %d",
	         req, fn, (long long)id, (long long)e->counted,
	         (long long)e->passed, (long long)e->exempt, e->pass,
	         (long long)w->counted, (long long)w->passed,
	         (long long)w->exempt, w->pass);
}

/*
 * Compare every answer of view v with the naive evaluator's as of D over
 * the prefix px of c.
 */
static void compare_view(const struct plan *p, const struct world *c,
                         const struct eng_view *v, int32_t D,
                         const struct prefix *px, const char *what,
                         struct naive *n)
{
	struct eng_value ev;
	struct eng_count ec, wc;
	int64_t id;
	int req, e, w;

	naive_eval(n, p, c, D, px);
	checks++;
	if (eng_view_date(v) != D)
		mismatch(c, what, D, "eng_view_date %d", (int)eng_view_date(v));
	for (id = 1; id <= px->nmembers; id++)
		if (eng_member_branch(v, id) != n->branch[id])
			mismatch(c, what, D,
			         "eng_member_branch(%lld): engine %lld, naive "
			         "%lld",
			         (long long)id,
			         (long long)eng_member_branch(v, id),
			         (long long)n->branch[id]);
	for (req = 0; req < p->nreqs; req++) {
		const char *rid = p->reqs[req].id;
		enum plan_scope sc = p->reqs[req].scope;

		for (id = 1; id <= px->nmembers && sc == PSCOPE_MEMBER; id++) {
			memset(&ev, 0, sizeof(ev));
			eng_member_value(v, req, id, &ev);
			compare_value(c, what, D, rid, "member", id, &ev,
			              &n->mval[req][id]);
		}
		for (id = 1; id <= px->norgs; id++) {
			if ((sc == PSCOPE_BRANCH &&
			     c->orgs[id].type == ORG_BRANCH) ||
			    (sc == PSCOPE_UNIT && c->orgs[id].is_unit)) {
				memset(&ev, 0, sizeof(ev));
				eng_org_value(v, req, id, &ev);
				compare_value(c, what, D, rid, "org", id, &ev,
				              &n->oval[req][id]);
			}
			memset(&ec, 0, sizeof(ec));
			eng_org_count(v, req, id, &ec);
			naive_count(n, req, id, &wc);
			compare_count(c, what, D, rid, "eng_org_count", id, &ec,
			              &wc);
			if (c->orgs[id].is_unit) {
				e = eng_unit_passes(v, req, id);
				w = naive_unit_passes(n, req, id);
				if (!e != !w)
					mismatch(
					    c, what, D,
					    "requirement %s, "
					    "eng_unit_passes(%lld): engine "
					    "%d, naive %d",
					    rid, (long long)id, e, w);
			}
		}
		for (id = 1; id <= MAXSYS; id++) {
			if (!n->has_sys[id])
				continue;
			if (sc == PSCOPE_SYSTEM) {
				memset(&ev, 0, sizeof(ev));
				eng_org_value(v, req, id, &ev);
				compare_value(c, what, D, rid, "系统", id, &ev,
				              &n->sval[req][id]);
			}
			memset(&ec, 0, sizeof(ec));
			eng_system_count(v, req, id, &ec);
			naive_count(n, req, -id, &wc);
			compare_count(c, what, D, rid, "eng_system_count", id,
			              &ec, &wc);
		}
	}
}

/* --- feeding an engine ------------------------------------------------ */

static void refused(const struct world *c, const char *what,
                    const struct xj_error *err)
{
	mismatch(c, what, 0, "refused: %s (%s)", err->msg, err->field);
}

static void feed_org(struct engine *e, const struct world *c, int64_t id)
{
	const struct c_org *o = &c->orgs[id];
	char name[64], code[64];
	struct eng_org eo = { id,        o->parent, o->type, o->is_unit,
		              o->system, o->batch,  name,    code };
	struct xj_error err;

	snprintf(name, sizeof(name), "组织%lld", (long long)id);
	snprintf(code, sizeof(code), "ORG-%lld", (long long)id);
	if (engine_add_org(e, &eo, &err) != XJ_OK)
		refused(c, "engine_add_org", &err);
}

static void feed_member(struct engine *e, const struct world *c, int64_t id)
{
	const struct c_member *m = &c->members[id];
	char name[64];
	struct eng_member em = {
		id, m->org, name, m->cats, m->away, m->in_from
	};
	struct xj_error err;

	snprintf(name, sizeof(name), "党员%lld", (long long)id);
	if (engine_add_member(e, &em, &err) != XJ_OK)
		refused(c, "engine_add_member", &err);
}

/* Add event i and count it in px. Texts are handed over in copies freed
 * right after, so an engine that kept the borrowed pointers would read
 * freed memory. */
static void feed_event(struct engine *e, const struct world *c, int i,
                       struct prefix *px)
{
	const struct c_event *ev = &c->evs[i];
	struct eng_record r;
	struct xj_error err;
	int f;

	switch (ev->type) {
	case EV_ORG:
		feed_org(e, c, ev->index);
		px->norgs++;
		return;
	case EV_MEMBER:
		feed_member(e, c, ev->index);
		px->nmembers++;
		return;
	case EV_MOVEMENT:
		if (engine_add_movement(e, &c->movs[ev->index], &err) != XJ_OK)
			refused(c, "engine_add_movement", &err);
		px->nmovs++;
		return;
	}
	r = c->recs[ev->index].r;
	for (f = 0; f < PLAN_FIELDS_MAX; f++)
		r.text[f] = c->recs[ev->index].text[f] >= 0
		                ? xstrdup(texts[c->recs[ev->index].text[f]])
		                : NULL;
	if (engine_add_record(e, &r, &err) != XJ_OK)
		refused(c, "engine_add_record", &err);
	for (f = 0; f < PLAN_FIELDS_MAX; f++)
		free((char *)r.text[f]);
	px->nrecs++;
}

/* Dates worth viewing as of: before, on and around the events, after. */
static int pick_dates(struct rng *g, const struct world *c, int32_t *d, int max)
{
	int n = 0, i;

	d[n++] = c->start - 1;
	d[n++] = c->end + 30;
	while (n < max && c->nevs > 0) {
		const struct c_event *ev = &c->evs[rint_in(g, 0, c->nevs - 1)];
		int32_t day;

		if (ev->type == EV_ORG || ev->type == EV_MEMBER)
			day = c->start + rint_in(g, 0, 30);
		else if (ev->type == EV_MOVEMENT)
			day = c->movs[ev->index].on_date;
		else if (chance(g, 1, 2))
			day = c->recs[ev->index].r.entered_on;
		else
			day = c->recs[ev->index].r.happened_on;
		d[n++] = day + rint_in(g, -1, 1);
	}
	for (i = 0; i < n; i++)
		if (d[i] == ENG_LIVE)
			d[i]--;
	return n;
}

static void compare_past(const struct plan *p, const struct world *c,
                         const struct engine *e, struct rng *g,
                         const char *what, struct naive *n)
{
	struct prefix all = { c->nrecs, c->nmovs, c->norgs, c->nmembers };
	struct eng_view *v;
	struct xj_error err;
	int32_t dates[6];
	int nd, i;

	nd = pick_dates(g, c, dates, 6);
	for (i = 0; i < nd; i++) {
		v = NULL;
		if (engine_view_at(e, dates[i], &v, &err) != XJ_OK) {
			refused(c, "engine_view_at", &err);
			continue;
		}
		compare_view(p, c, v, dates[i], &all, what, n);
		eng_view_free(v);
	}
}

static void run_memory_seed(const struct plan *p, uint64_t seed,
                            int every_event, struct world *c, struct naive *n)
{
	struct rng g = { seed ^ 0xc0ffee };
	struct eng_view *v;
	struct xj_error err;
	struct engine *e;
	struct prefix px = { 0, 0, 0, 0 };
	int i;

	gen_campaign(c, p, seed, 0);
	e = engine_new(p);
	assert_non_null(e);
	for (px.norgs = 1; px.norgs <= c->norgs0; px.norgs++)
		feed_org(e, c, px.norgs);
	px.norgs = c->norgs0;
	for (px.nmembers = 1; px.nmembers <= c->nmembers0; px.nmembers++)
		feed_member(e, c, px.nmembers);
	px.nmembers = c->nmembers0;
	compare_view(p, c, engine_live(e), ENG_LIVE, &px, "live", n);
	for (i = 0; i < c->nevs; i++) {
		feed_event(e, c, i, &px);
		if (every_event || chance(&g, 1, 40) || i == c->nevs - 1)
			compare_view(p, c, engine_live(e), ENG_LIVE, &px,
			             "live", n);
	}
	if (engine_record_count(e) != c->nrecs)
		mismatch(c, "engine_record_count", ENG_LIVE, "%lld, not %d",
		         (long long)engine_record_count(e), c->nrecs);
	if (engine_org_max(e) != c->norgs ||
	    engine_member_max(e) != c->nmembers)
		mismatch(c, "engine_org_max/engine_member_max", ENG_LIVE,
		         "%lld/%lld, not %d/%d", (long long)engine_org_max(e),
		         (long long)engine_member_max(e), c->norgs,
		         c->nmembers);
	compare_past(p, c, e, &g, "engine_view_at", n);
	/* The live view again, through engine_view_at. */
	if (engine_view_at(e, ENG_LIVE, &v, &err) == XJ_OK) {
		compare_view(p, c, v, ENG_LIVE, &px, "engine_view_at(ENG_LIVE)",
		             n);
		eng_view_free(v);
	} else {
		refused(c, "engine_view_at(ENG_LIVE)", &err);
	}
	engine_free(e);
}

/* --- the same campaign through the store ------------------------------ */

static void store_ok(const struct world *c, const char *what, enum xj_err rc,
                     const struct xj_error *err)
{
	if (rc != XJ_OK)
		fail_msg("seed %#llx: %s: %s (%s)", (unsigned long long)c->seed,
		         what, err->msg, err->field);
}

static void store_id(const struct world *c, const char *what, int64_t got,
                     int64_t want)
{
	if (got != want)
		fail_msg("seed %#llx: %s got id %lld, expected %lld",
		         (unsigned long long)c->seed, what, (long long)got,
		         (long long)want);
}

/* The record's payload as a client sends it: numbers in whole units with
 * up to two decimals, enum and state values by name, members by id. */
static void payload(const struct plan *p, const struct c_record *cr,
                    struct strbuf *sb)
{
	const struct plan_kind *k = &p->kinds[cr->r.kind];
	const char *sep = "";
	char d[DATE_STR_LEN];
	int i;
	int64_t v;

	strbuf_reset(sb);
	assert_int_equal(strbuf_adds(sb, "{"), XJ_OK);
	for (i = 0; i < k->nfields; i++) {
		const struct plan_field *f = &k->fields[i];

		v = cr->r.num[i];
		if (f->type == FIELD_TEXT ? cr->text[i] < 0 : v < 0)
			continue;
		assert_int_equal(strbuf_addf(sb, "%s\"%s\": ", sep, f->name),
		                 XJ_OK);
		sep = ", ";
		switch (f->type) {
		case FIELD_NUMBER:
		case FIELD_ZISHU:
			if (v % PLAN_CENTI == 0)
				assert_int_equal(
				    strbuf_addf(sb, "%lld",
				                (long long)(v / PLAN_CENTI)),
				    XJ_OK);
			else
				assert_int_equal(
				    strbuf_addf(sb, "%lld.%02lld",
				                (long long)(v / PLAN_CENTI),
				                (long long)(v % PLAN_CENTI)),
				    XJ_OK);
			break;
		case FIELD_ENUM:
		case FIELD_STATE:
			assert_int_equal(
			    strbuf_addf(sb, "\"%s\"", f->values[v]), XJ_OK);
			break;
		case FIELD_TEXT:
			assert_int_equal(
			    strbuf_addf(sb, "\"%s\"", texts[cr->text[i]]),
			    XJ_OK);
			break;
		case FIELD_MEMBER:
			assert_int_equal(strbuf_addf(sb, "%lld", (long long)v),
			                 XJ_OK);
			break;
		case FIELD_DATE:
			date_format((int32_t)v, d);
			assert_int_equal(strbuf_addf(sb, "\"%s\"", d), XJ_OK);
			break;
		}
	}
	if (cr->r.voided)
		assert_int_equal(strbuf_addf(sb, "%s\"voided\": true", sep),
		                 XJ_OK);
	assert_int_equal(strbuf_adds(sb, "}"), XJ_OK);
}

/*
 * Write campaign c into the store. Now and then a record of a kind the
 * plan does not know goes in as well: engine_build passes over it, so the
 * engine sees record ids with gaps. sid maps the campaign's record ids
 * to the store's.
 */
static void snapshot_now(struct store *st, const struct plan *p,
                         const struct world *c);

static void store_campaign(struct store *st, const struct plan *p,
                           const struct world *c, struct rng *g, int cut)
{
	struct store_ids {
		int64_t batch[3];
		int64_t rec[MAXEV + 1];
	} ids;
	struct xj_error err;
	struct strbuf sb;
	char name[64], code[64];
	int64_t cid, id;
	int i;

	store_ok(c, "store_begin", store_begin(st, &err), &err);
	{
		struct campaign camp = { 0, "不变式测试活动", c->start - 5,
			                 c->end + 365 };

		store_ok(c, "store_campaign_insert",
		         store_campaign_insert(st, &camp, &cid, &err), &err);
	}
	for (i = 1; i <= 2; i++) {
		struct batch b = { 0,        cid,
			           i,        i == 1 ? "第一批" : "第二批",
			           c->start, c->end + 180 };

		store_ok(c, "store_batch_insert",
		         store_batch_insert(st, &b, &ids.batch[i], &err), &err);
	}
	for (i = 1; i <= MAXSYS; i++) {
		struct xj_system s = { 0, cid,
			               i == 1 ? "经济系统" : "政法系统" };

		store_ok(c, "store_system_insert",
		         store_system_insert(st, &s, &id, &err), &err);
		store_id(c, "store_system_insert", id, i);
	}
	for (id = 1; id <= c->norgs; id++) {
		const struct c_org *co = &c->orgs[id];
		struct org o = { 0 };
		int64_t got;

		snprintf(name, sizeof(name), "组织%lld", (long long)id);
		snprintf(code, sizeof(code), "ORG-%lld", (long long)id);
		o.parent_id = co->parent;
		o.type = co->type;
		o.name = name;
		o.code = code;
		o.is_unit = co->is_unit;
		o.system_id = co->is_unit ? co->system : 0;
		o.batch_id = co->is_unit ? ids.batch[co->batch] : 0;
		store_ok(c, "store_org_insert",
		         store_org_insert(st, &o, &got, &err), &err);
		store_id(c, "store_org_insert", got, id);
	}
	for (id = 1; id <= c->nmembers; id++) {
		const struct c_member *cm = &c->members[id];
		struct member m = { 0 };
		int64_t got;

		snprintf(name, sizeof(name), "党员%lld", (long long)id);
		m.org_id = cm->org;
		m.name = name;
		m.gender = id % 2 ? GENDER_MALE : GENDER_FEMALE;
		m.birth_date = date_from_ymd(1950, 1, 1) + (int32_t)id * 97;
		m.joined_date = date_from_ymd(1990, 7, 1);
		m.status = MEMBER_FULL;
		m.categories = cm->cats;
		m.absence_months = cm->away;
		m.absence_start = cm->away ? c->start - 30 * cm->away : 0;
		store_ok(c, "store_member_insert",
		         store_member_insert(st, &m, &got, &err), &err);
		store_id(c, "store_member_insert", got, id);
	}
	strbuf_init(&sb, 1 << 16);
	for (i = 0; i < c->nevs; i++) {
		const struct c_event *ev = &c->evs[i];

		if (i == cut) {
			/* what is stored so far, snapshotted; the rest of
			 * the stream comes after it */
			store_ok(c, "store_commit", store_commit(st, &err),
			         &err);
			snapshot_now(st, p, c);
			store_ok(c, "store_begin", store_begin(st, &err), &err);
		}
		if (ev->type == EV_ORG || ev->type == EV_MEMBER) {
			continue; /* the store has them all already */
		} else if (ev->type == EV_MOVEMENT) {
			const struct eng_movement *mv = &c->movs[ev->index];

			store_ok(c, "store_movement",
			         store_movement(st, mv->member_id, mv->kind,
			                        mv->on_date, mv->to_org, NULL,
			                        &err),
			         &err);
		} else {
			const struct c_record *cr = &c->recs[ev->index];
			struct record rec = { 0 };

			if (chance(g, 1, 10)) {
				rec.campaign_id = cid;
				rec.kind = "foreign_kind";
				rec.org_id = 1;
				rec.happened_on = cr->r.happened_on;
				rec.entered_at =
				    (time_t)cr->r.entered_on * 86400;
				rec.payload = "{\"hours\": 99}";
				store_ok(
				    c, "store_record_append",
				    store_record_append(st, &rec, &id, &err),
				    &err);
			}
			payload(p, cr, &sb);
			rec.campaign_id = cid;
			rec.kind = p->kinds[cr->r.kind].id;
			rec.org_id = cr->r.org_id;
			rec.member_id = cr->r.member_id;
			rec.happened_on = cr->r.happened_on;
			/* Beijing time is UTC+8: the entry falls on
			 * entered_on there. */
			rec.entered_at = (time_t)cr->r.entered_on * 86400 -
			                 8 * 3600 + cr->secs;
			rec.supersedes =
			    cr->r.supersedes ? ids.rec[cr->r.supersedes] : 0;
			rec.payload = sb.buf;
			store_ok(c, "store_record_append",
			         store_record_append(st, &rec, &id, &err),
			         &err);
			ids.rec[cr->r.id] = id;
		}
	}
	strbuf_release(&sb);
	store_ok(c, "store_commit", store_commit(st, &err), &err);
	if (cut == c->nevs)
		snapshot_now(st, p, c);
}

/* Save the engine snapshot of what the store holds now. */
static void snapshot_now(struct store *st, const struct plan *p,
                         const struct world *c)
{
	struct xj_error err;
	struct engine *e = NULL;
	int64_t bytes = -1;

	store_ok(c, "engine_build (to snapshot)",
	         engine_build_ex(st, p, ENG_BUILD_FULL, NULL, &e, &err), &err);
	store_ok(c, "engine_snapshot_save",
	         engine_snapshot_save(e, st, &bytes, &err), &err);
	if (bytes < 0)
		fail_msg("seed %#llx: no snapshot size",
		         (unsigned long long)c->seed);
	engine_free(e);
}

/* An engine built from the store, checked against the reference: live,
 * and as of past dates. */
static void check_built(const struct plan *p, const struct world *c,
                        struct store *st, int flags,
                        struct eng_build_info *info, struct rng *g,
                        const char *what, struct naive *n)
{
	struct prefix all = { c->nrecs, c->nmovs, c->norgs, c->nmembers };
	struct xj_error err;
	struct engine *e = NULL;

	store_ok(c, what, engine_build_ex(st, p, flags, info, &e, &err), &err);
	compare_view(p, c, engine_live(e), ENG_LIVE, &all, what, n);
	if (engine_record_count(e) != c->nrecs)
		mismatch(c, what, ENG_LIVE, "engine_record_count %lld, not %d",
		         (long long)engine_record_count(e), c->nrecs);
	compare_past(p, c, e, g, what, n);
	engine_free(e);
}

/*
 * The campaign written into the store with a snapshot saved at a random
 * point of the stream (records, corrections of records on either side of
 * it, movements and unknown kinds after it): the engine built from the
 * snapshot plus the newer records, the one built from every record, and
 * the reference all agree.
 */
static void run_store_seed(const struct plan *p, uint64_t seed, struct world *c,
                           struct naive *n)
{
	struct rng g = { seed ^ 0x5707e };
	struct xj_error err;
	struct eng_build_info info;
	struct store *st;
	struct tmpdb t;
	int cut;

	gen_campaign(c, p, seed, 1);
	cut = rint_in(&g, 0, c->nevs);
	tmpdb_make(&t, "invariant.db");
	store_ok(c, "store_open",
	         store_open(t.db, STORE_CREATE | STORE_EXCL, &st, &err), &err);
	store_campaign(st, p, c, &g, cut);
	check_built(p, c, st, ENG_BUILD_FULL, &info, &g, "engine_build (full)",
	            n);
	if (info.snapshot || (info.replayed == 0 && c->nrecs > 0))
		mismatch(c, "engine_build (full)", ENG_LIVE,
		         "snapshot %d, replayed %lld", info.snapshot,
		         (long long)info.replayed);
	check_built(p, c, st, 0, &info, &g, "engine_build (snapshot)", n);
	if (!info.snapshot || info.fallback[0] != '\0')
		mismatch(c, "engine_build (snapshot)", ENG_LIVE,
		         "snapshot not used: %s", info.fallback);
	store_close(st);
	tmpdb_remove(&t);
}

/* --- snapshots that must not be used ---------------------------------- */

static void sql(const char *db, const char *q)
{
	sqlite3 *h;
	char *msg = NULL;

	if (sqlite3_open(db, &h) != SQLITE_OK ||
	    sqlite3_exec(h, q, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s: %s", db, q, msg ? msg : sqlite3_errmsg(h));
	sqlite3_close(h);
}

/* Change one byte of the first chunk, at an offset drawn from g. */
static void flip_byte(const char *db, struct rng *g)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	unsigned char *buf;
	int n;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h,
	                                    "SELECT data FROM "
	                                    "engine_snapshot_chunks WHERE "
	                                    "seq = 0",
	                                    -1, &s, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	n = sqlite3_column_bytes(s, 0);
	assert_true(n > 0);
	buf = xmalloc((size_t)n);
	memcpy(buf, sqlite3_column_blob(s, 0), (size_t)n);
	sqlite3_finalize(s);
	buf[rint_in(g, 0, n - 1)] ^= 0x10;
	assert_int_equal(sqlite3_prepare_v2(h,
	                                    "UPDATE engine_snapshot_chunks "
	                                    "SET data = ?1 WHERE seq = 0",
	                                    -1, &s, NULL),
	                 SQLITE_OK);
	sqlite3_bind_blob(s, 1, buf, n, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);
	sqlite3_close(h);
	free(buf);
}

/* Built with a snapshot that must be refused: the right answer anyway,
 * from every record, and the reason given contains why (or one of the
 * reasons, separated by |). */
static void expect_fallback(const struct plan *p, const struct world *c,
                            struct store *st, struct rng *g, const char *why,
                            const char *what, struct naive *n)
{
	struct eng_build_info info;

	char alt[256], *w, *save = NULL;
	int said = 0;

	check_built(p, c, st, 0, &info, g, what, n);
	snprintf(alt, sizeof(alt), "%s", why);
	for (w = strtok_r(alt, "|", &save); w; w = strtok_r(NULL, "|", &save))
		said |= strstr(info.fallback, w) != NULL;
	if (info.snapshot || !said)
		fail_msg("seed %#llx: %s: snapshot %d, fallback \"%s\", "
		         "expected \"%s\"",
		         (unsigned long long)c->seed, what, info.snapshot,
		         info.fallback, why);
}

static void run_bad_snapshots(const struct plan *p, uint64_t seed,
                              struct world *c, struct naive *n)
{
	struct rng g = { seed ^ 0xbad5 };
	struct xj_error err;
	struct eng_build_info info;
	struct store *st, *other;
	struct tmpdb t, t2;
	struct plan *p2 = xmalloc(sizeof(*p2));
	char q[1024];

	/* a snapshot of another database of the same campaign, whose
	 * records of unknown kinds fell elsewhere: the same organisations
	 * and members, records shifted */
	gen_campaign(c, p, seed, 1);
	tmpdb_make(&t2, "other.db");
	store_ok(c, "store_open",
	         store_open(t2.db, STORE_CREATE | STORE_EXCL, &other, &err),
	         &err);
	store_campaign(other, p, c, &g, c->nevs);
	store_close(other);

	gen_campaign(c, p, seed, 1);
	tmpdb_make(&t, "snapshot.db");
	store_ok(c, "store_open",
	         store_open(t.db, STORE_CREATE | STORE_EXCL, &st, &err), &err);
	store_campaign(st, p, c, &g, rint_in(&g, c->nevs / 2, c->nevs));
	check_built(p, c, st, 0, &info, &g, "good snapshot", n);
	assert_true(info.snapshot);

	flip_byte(t.db, &g);
	expect_fallback(p, c, st, &g, "校验和", "a changed byte", n);

	snapshot_now(st, p, c);
	sql(t.db, "UPDATE engine_snapshot_chunks SET data ="
	          " substr(data, 1, length(data) - 1)"
	          " WHERE seq = (SELECT max(seq) FROM engine_snapshot_chunks)");
	expect_fallback(p, c, st, &g, "长度不符", "a truncated chunk", n);

	snapshot_now(st, p, c);
	sql(t.db, "DELETE FROM engine_snapshot_chunks WHERE seq ="
	          " (SELECT max(seq) FROM engine_snapshot_chunks)");
	expect_fallback(p, c, st, &g, "不完整", "a missing chunk", n);

	/* another plan: the same kinds, no requirements, so no slots */
	memcpy(p2, p, sizeof(*p2));
	p2->nreqs = 0;
	snapshot_now(st, p2, c);
	expect_fallback(p, c, st, &g, "另一方案", "another plan's snapshot", n);

	snapshot_now(st, p, c);
	sql(t.db, "UPDATE engine_snapshot SET schema_version ="
	          " schema_version - 1");
	expect_fallback(p, c, st, &g, "数据库结构", "an older schema's", n);

	snprintf(q, sizeof(q),
	         "ATTACH '%s' AS o; DELETE FROM engine_snapshot;"
	         " DELETE FROM engine_snapshot_chunks;"
	         " INSERT INTO engine_snapshot SELECT * FROM o.engine_snapshot;"
	         " INSERT INTO engine_snapshot_chunks"
	         " SELECT * FROM o.engine_snapshot_chunks",
	         t2.db);
	sql(t.db, q);
	expect_fallback(p, c, st, &g, "不符|不在库中|无效",
	                "another database's snapshot", n);

	/* and saved again, it is used again */
	snapshot_now(st, p, c);
	check_built(p, c, st, 0, &info, &g, "good snapshot again", n);
	assert_true(info.snapshot);
	assert_int_equal(info.replayed, 0);
	free(p2);
	store_close(st);
	tmpdb_remove(&t);
	tmpdb_remove(&t2);
}

/* --- the tests -------------------------------------------------------- */

static long seeds_to_run(void)
{
	const char *s = getenv("XJ_INVARIANT_SEEDS");
	int64_t v;

	if (s == NULL || s[0] == '\0')
		return SEEDS_DEFAULT;
	if (util_parse_int(s, 1, 100000000, &v, "XJ_INVARIANT_SEEDS", NULL) !=
	    XJ_OK)
		fail_msg("XJ_INVARIANT_SEEDS must be a positive number: %s", s);
	return (long)v;
}

struct fixture {
	struct plan *p;
	struct world *c;
	struct naive *n;
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));

	f->p = invariant_plan();
	f->c = xcalloc(1, sizeof(*f->c));
	f->n = xcalloc(1, sizeof(*f->n));
	mismatches = 0;
	checks = 0;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	free(f->p);
	free(f->c);
	free(f->n);
	free(f);
	return 0;
}

static void finish(const char *what)
{
	if (mismatches > 0)
		fail_msg("%s: %ld mismatches in %ld views (the first %d above)",
		         what, mismatches, checks, REPORT_MAX);
}

/* Everything an event names has arrived before it; returns how many
 * organisations and members arrived during the stream. */
static int check_arrivals(const struct plan *p, const struct world *c)
{
	int64_t ko = c->norgs0, km = c->nmembers0, v;
	int i, f, n = 0;

	for (i = 0; i < c->nevs; i++) {
		const struct c_event *ev = &c->evs[i];
		const struct eng_record *r;
		const struct eng_movement *mv;

		switch (ev->type) {
		case EV_ORG:
			assert_int_equal(ev->index, ++ko);
			n++;
			break;
		case EV_MEMBER:
			assert_int_equal(ev->index, ++km);
			assert_true(c->members[km].org <= ko);
			n++;
			break;
		case EV_MOVEMENT:
			mv = &c->movs[ev->index];
			assert_true(mv->member_id <= km);
			assert_true(mv->to_org <= ko);
			break;
		case EV_RECORD:
			r = &c->recs[ev->index].r;
			assert_true(r->member_id <= km);
			assert_true(r->org_id >= 1 && r->org_id <= ko);
			for (f = 0; f < p->kinds[r->kind].nfields; f++) {
				v = r->num[f];
				if (p->kinds[r->kind].fields[f].type ==
				    FIELD_MEMBER)
					assert_true(v <= km || v > c->nmembers);
			}
			break;
		}
	}
	assert_int_equal(ko, c->norgs);
	assert_int_equal(km, c->nmembers);
	for (i = 1; i <= c->nmembers0; i++)
		assert_true(c->members[i].org <= c->norgs0);
	return n;
}

/* The generator makes what the contract promises the engine. */
static void test_generator(void **state)
{
	struct fixture *f = *state;
	long moved = 0, voided = 0, corrected = 0, late = 0, arrived = 0;
	uint64_t s;
	int i, j;

	for (s = 0; s < 200; s++) {
		struct world *c = f->c;
		int32_t last[MAXM + 1] = { 0 };

		gen_campaign(c, f->p, SEED_BASE + s, s % 2);
		assert_in_range(c->nmembers, 10, 60);
		for (i = 0; i < c->nrecs; i++) {
			const struct eng_record *r = &c->recs[i].r;

			assert_int_equal(r->id, i + 1);
			assert_true(r->happened_on <= r->entered_on);
			if (i > 0)
				assert_true(c->recs[i - 1].r.entered_on <=
				            r->entered_on);
			for (j = 0; j < i && r->supersedes; j++)
				if (c->recs[j].r.supersedes == r->supersedes)
					fail_msg("record %d superseded twice",
					         (int)r->supersedes);
			voided += r->voided;
			corrected += r->supersedes != 0;
			late += r->happened_on < r->entered_on;
		}
		for (i = 0; i < c->nmovs; i++) {
			const struct eng_movement *mv = &c->movs[i];

			assert_true(mv->on_date >= last[mv->member_id]);
			last[mv->member_id] = mv->on_date;
			moved++;
		}
		for (i = 1; i <= c->nmembers && s % 2; i++) {
			const struct eng_movement *first = NULL;

			for (j = 0; j < c->nmovs && first == NULL; j++)
				if (c->movs[j].member_id == i)
					first = &c->movs[j];
			if (c->members[i].in_from == 0)
				continue;
			assert_non_null(first);
			assert_int_equal(first->kind, MOVE_IN);
			assert_int_equal(first->on_date, c->members[i].in_from);
			assert_int_equal(first->to_org, c->members[i].org);
		}
		arrived += check_arrivals(f->p, c);
	}
	/* Every ingredient shows up. */
	assert_true(moved > 200 && voided > 50 && corrected > 200 &&
	            late > 200 && arrived > 50);
}

/* The naive evaluator itself, on a hand-made case, so that a broken
 * reference cannot agree with a broken engine by accident. */
static void test_naive_by_hand(void **state)
{
	struct fixture *f = *state;
	struct world *c = f->c;
	struct naive *n = f->n;
	const struct plan *p = f->p;
	int hours = planfx_kind_index(p, "study_attendance");
	int talk = planfx_kind_index(p, "talk");
	int r_hours = 0, r_talk = 3;
	struct eng_count cnt;
	struct prefix px;
	int i;

	assert_string_equal(p->reqs[r_hours].id, "m_hours");
	assert_string_equal(p->reqs[r_talk].id, "m_talk");
	memset(c, 0, sizeof(*c));
	add_org(c, 0, ORG_COMMITTEE, 0); /* 1 */
	add_org(c, 1, ORG_COMMITTEE, 1); /* 2: unit */
	add_org(c, 2, ORG_BRANCH, 0);    /* 3 */
	add_org(c, 2, ORG_BRANCH, 0);    /* 4 */
	c->orgs[2].system = 1;
	derive_tree(c);
	c->nmembers = 4;
	for (i = 1; i <= 4; i++)
		c->members[i].org = i <= 3 ? 3 : 4;
	c->members[3].cats = MCAT_BIT(MCAT_FRAIL);
	/* member 1: 3 + 2.5 hours, then the 3 corrected to 1 on day 20 */
	c->recs[0].r = (struct eng_record){ .id = 1,
		                            .kind = hours,
		                            .org_id = 3,
		                            .member_id = 1,
		                            .happened_on = 10,
		                            .entered_on = 10 };
	c->recs[1].r = (struct eng_record){ .id = 2,
		                            .kind = hours,
		                            .org_id = 3,
		                            .member_id = 1,
		                            .happened_on = 9,
		                            .entered_on = 12 };
	c->recs[2].r = (struct eng_record){ .id = 3,
		                            .kind = hours,
		                            .org_id = 3,
		                            .member_id = 1,
		                            .happened_on = 10,
		                            .entered_on = 20,
		                            .supersedes = 1 };
	c->recs[3].r = (struct eng_record){ .id = 4,
		                            .kind = talk,
		                            .org_id = 3,
		                            .member_id = 1,
		                            .happened_on = 11,
		                            .entered_on = 21 };
	for (i = 0; i < 4; i++)
		memset(c->recs[i].text, -1, sizeof(c->recs[i].text));
	c->superseded[0] = 1;
	for (i = 0; i < 4; i++)
		memset(c->recs[i].r.num, -1, sizeof(c->recs[i].r.num));
	c->recs[0].r.num[0] = 300;
	c->recs[1].r.num[0] = 250;
	c->recs[2].r.num[0] = 100;
	c->recs[3].r.num[0] = 2;
	c->nrecs = 4;
	/* member 2 leaves on day 15 */
	c->movs[0] = (struct eng_movement){ 2, MOVE_OUT, 15, 0 };
	c->nmovs = 1;
	px = (struct prefix){ 4, 1, c->norgs, c->nmembers };

	naive_eval(n, p, c, 11, &px);
	assert_int_equal(n->mval[r_hours][1].state, ENG_FAIL);
	assert_int_equal(n->mval[r_hours][1].value.num, 3);
	assert_int_equal(n->mval[r_hours][1].value.den, 1);
	naive_eval(n, p, c, 12, &px);
	assert_int_equal(n->mval[r_hours][1].value.num, 11); /* 5.5 >= 4 */
	assert_int_equal(n->mval[r_hours][1].value.den, 2);
	assert_int_equal(n->mval[r_hours][1].state, ENG_PASS);
	assert_int_equal(n->mval[r_hours][3].state, ENG_EXEMPT);
	assert_int_equal(n->mval[r_hours][4].value.num, 0);
	naive_count(n, r_hours, 3, &cnt);
	assert_int_equal(cnt.counted, 2);
	assert_int_equal(cnt.passed, 1);
	assert_int_equal(cnt.exempt, 1);
	assert_false(cnt.pass);
	naive_eval(n, p, c, ENG_LIVE, &px);
	assert_int_equal(n->mval[r_hours][1].value.num, 7); /* 1 + 2.5 */
	assert_int_equal(n->mval[r_hours][1].value.den, 2);
	assert_int_equal(n->mval[r_hours][1].state, ENG_FAIL);
	assert_int_equal(n->mval[r_hours][2].state, ENG_NA);
	/* talk: member 1 talked with 2, who has left: 0 of the 1 other
	 * member present (member 3) */
	assert_int_equal(n->mval[r_talk][1].value.num, 0);
	assert_int_equal(n->mval[r_talk][1].value.den, 1);
	naive_eval(n, p, c, 14, &px);
	assert_int_equal(n->mval[r_talk][1].state, ENG_FAIL);
	px.nmovs = 0; /* before the movement arrived */
	naive_eval(n, p, c, 21, &px);
	assert_int_equal(n->mval[r_talk][1].value.num, 1);
	assert_int_equal(n->mval[r_talk][1].value.den, 2);
	/* member 4 is alone in branch 4 */
	assert_int_equal(n->mval[r_talk][4].value.num, 1);
	assert_int_equal(n->mval[r_talk][4].value.den, 1);
	naive_count(n, r_hours, -1, &cnt);
	assert_int_equal(cnt.counted, 3);
}

static void test_incremental_and_as_of(void **state)
{
	struct fixture *f = *state;
	long seeds = seeds_to_run(), s;

	for (s = 0; s < seeds; s++)
		run_memory_seed(f->p, SEED_BASE + (uint64_t)s, s % 32 == 0,
		                f->c, f->n);
	finish("in-memory engines");
}

static void test_rebuilt_from_store(void **state)
{
	struct fixture *f = *state;
	long seeds = seeds_to_run() / STORE_EVERY, s;

	if (seeds < 1)
		seeds = 1;
	for (s = 0; s < seeds; s++)
		run_store_seed(
		    f->p, SEED_BASE + 0x100000u + (uint64_t)s * STORE_EVERY,
		    f->c, f->n);
	finish("engines rebuilt from the store");
}

static void test_bad_snapshots(void **state)
{
	struct fixture *f = *state;
	uint64_t s;

	for (s = 0; s < 8; s++)
		run_bad_snapshots(f->p, SEED_BASE + 0x200000u + s, f->c, f->n);
	finish("engines built past a bad snapshot");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_generator, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_naive_by_hand, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_incremental_and_as_of,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebuilt_from_store, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_bad_snapshots, setup,
		                                teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
