/*
 * Engine: each metric, treatment and aggregation on hand-computed cases
 * from DOMAIN.md (§4.2 40 hours, 1万字 notes, a 3000字 reflection; §7 talk
 * coverage 2/3, every member for a leading cadre; §3.3 年老体弱 and
 * 流动党员; §17 A7 70% satisfaction; §4.3 two 形势报告会 per unit), the
 * as-of rules of engine.h, eng_record_from_json and the refusals of
 * engine_add_*.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/check.h"
#include "../../lib/planfx.h"
#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/engine.h"
#include "xianjiao/store.h"

/*
 * The campaign every test starts from:
 *   1 市直机关工委 (root)
 *   2 教育局党委 (unit, 系统 1)     5 卫生局党委 (unit, 系统 2)
 *   3 第一党支部  4 第二党支部       6 卫生局机关党支部
 * Members 1-10 in branch 3 (2 is a 党员领导干部), 11-13 in branch 4 (11
 * 年老体弱, 12 流动党员 away 7 months, 13 流动党员 away 5 months), 14-16
 * in branch 6.
 */
#define NMEMBERS 16

struct fx {
	struct plan *p;
	struct engine *e;
	int64_t last_id;
	int r_hours, r_talk, r_notes, r_reflection, r_analysis;
	int r_satisfaction, r_situation, r_sys_lectures;
	int32_t d0; /* 2005-01-10 */
};

static int64_t branch_of(int64_t member)
{
	return member <= 10 ? 3 : member <= 13 ? 4 : 6;
}

static int req_index(const struct plan *p, const char *id)
{
	int i;

	for (i = 0; i < p->nreqs; i++)
		if (strcmp(p->reqs[i].id, id) == 0)
			return i;
	fail_msg("no requirement %s", id);
	return -1;
}

static struct plan *metrics_plan(void)
{
	struct plan *p = planfx_new();
	struct plan_req *r;
	struct plan_treat *t;

	/* DOMAIN.md §4.2 "两个确保": 40 hours; §3.3: 年老体弱 flexible,
	 * 流动党员 away and unable to return get mailed materials. */
	r = planfx_req(p, "study_hours", PSCOPE_MEMBER, METRIC_SUM,
	               "study_attendance", "hours", CMP_GE, 40, 1);
	planfx_treat(r, MCAT_BIT(MCAT_FRAIL), 0, 1, CMP_GE, 0, 1);
	t = planfx_treat(r, MCAT_BIT(MCAT_MOBILE), 6, 0, CMP_GE, 1, 1);
	planfx_treat_metric(p, t, METRIC_COUNT, "mailed_materials", NULL);
	/* §7: 2/3 of the branch, every member for a leading cadre. */
	r = planfx_req(p, "talk_coverage", PSCOPE_MEMBER, METRIC_DISTINCT_SHARE,
	               "talk", "counterpart", CMP_GE, 2, 3);
	planfx_treat(r, MCAT_BIT(MCAT_LEADER), 0, 0, CMP_GE, 1, 1);
	/* §4.2 "三个完成": 1万字 notes, one reflection of 3000字. */
	planfx_req(p, "notes_10000", PSCOPE_MEMBER, METRIC_SUM, "study_notes",
	           "zishu", CMP_GE, 10000, 1);
	r = planfx_req(p, "reflection_3000", PSCOPE_MEMBER, METRIC_MAX,
	               "reflection", "zishu", CMP_GE, 3000, 1);
	r->share = (struct plan_ratio){ 2, 3 };
	/* §8.3: the material reviewed (已审核). */
	planfx_req(p, "analysis_reviewed", PSCOPE_MEMBER, METRIC_STATE,
	           "analysis_material", "state", CMP_GE, 4, 1);
	/* §17 A7: 70% satisfied with the special meeting. */
	r = planfx_req(p, "meeting_satisfaction", PSCOPE_BRANCH, METRIC_RATIO,
	               "satisfaction_ballot", "satisfied", CMP_GE, 70, 100);
	planfx_field2(p, &r->metric, "total");
	planfx_where(p, &r->metric, "meeting", "专题组织生活会");
	/* §4.3: at least two 形势报告会 per unit. */
	r = planfx_req(p, "situation_reports", PSCOPE_UNIT, METRIC_COUNT,
	               "lecture", NULL, CMP_GE, 2, 1);
	planfx_where(p, &r->metric, "type", "形势报告会");
	planfx_req(p, "system_lectures", PSCOPE_SYSTEM, METRIC_COUNT, "lecture",
	           NULL, CMP_GE, 3, 1);
	return p;
}

static void add_org(struct engine *e, int64_t id, int64_t parent,
                    enum org_type type, int is_unit, int64_t system,
                    const char *name)
{
	struct eng_org o = { id, parent, type, is_unit, system, 1, name, name };
	struct xj_error err;

	assert_int_equal(engine_add_org(e, &o, &err), XJ_OK);
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	struct xj_error err;
	char name[32];
	int64_t m;

	f->p = metrics_plan();
	f->r_hours = req_index(f->p, "study_hours");
	f->r_talk = req_index(f->p, "talk_coverage");
	f->r_notes = req_index(f->p, "notes_10000");
	f->r_reflection = req_index(f->p, "reflection_3000");
	f->r_analysis = req_index(f->p, "analysis_reviewed");
	f->r_satisfaction = req_index(f->p, "meeting_satisfaction");
	f->r_situation = req_index(f->p, "situation_reports");
	f->r_sys_lectures = req_index(f->p, "system_lectures");
	f->d0 = date_from_ymd(2005, 1, 10);
	f->e = engine_new(f->p);
	assert_non_null(f->e);
	add_org(f->e, 1, 0, ORG_WORK_COMMITTEE, 0, 0, "市直机关工委");
	add_org(f->e, 2, 1, ORG_COMMITTEE, 1, 1, "教育局党委");
	add_org(f->e, 3, 2, ORG_BRANCH, 0, 0, "第一党支部");
	add_org(f->e, 4, 2, ORG_BRANCH, 0, 0, "第二党支部");
	add_org(f->e, 5, 1, ORG_COMMITTEE, 1, 2, "卫生局党委");
	add_org(f->e, 6, 5, ORG_BRANCH, 0, 0, "卫生局机关党支部");
	for (m = 1; m <= NMEMBERS; m++) {
		struct eng_member em = { m, branch_of(m), name, 0, 0, 0 };

		snprintf(name, sizeof(name), "党员%lld", (long long)m);
		if (m == 2)
			em.categories = MCAT_BIT(MCAT_LEADER);
		if (m == 11)
			em.categories =
			    MCAT_BIT(MCAT_FRAIL) | MCAT_BIT(MCAT_RETIRED);
		if (m == 12 || m == 13) {
			em.categories = MCAT_BIT(MCAT_MOBILE);
			em.absence_months = m == 12 ? 7 : 5;
		}
		assert_int_equal(engine_add_member(f->e, &em, &err), XJ_OK);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	engine_free(f->e);
	free(f->p);
	free(f);
	return 0;
}

/* --- records ------------------------------------------------------------ */

/* A record of kind about subject (a member for member kinds, else an
 * organisation), happened and entered on day d0 + day. */
static struct eng_record rec(const struct fx *f, const char *kind,
                             int64_t subject, int day)
{
	struct eng_record r;
	int i;

	memset(&r, 0, sizeof(r));
	r.kind = planfx_kind_index(f->p, kind);
	if (f->p->kinds[r.kind].subject == SUBJECT_MEMBER) {
		r.member_id = subject;
		r.org_id = branch_of(subject);
	} else {
		r.org_id = subject;
	}
	r.happened_on = f->d0 + day;
	r.entered_on = f->d0 + day;
	for (i = 0; i < PLAN_FIELDS_MAX; i++)
		r.num[i] = -1;
	return r;
}

static void set(const struct fx *f, struct eng_record *r, const char *field,
                int64_t v)
{
	r->num[planfx_field_index(f->p, r->kind, field)] = v;
}

static void set_value(const struct fx *f, struct eng_record *r,
                      const char *field, const char *value)
{
	int i = planfx_field_index(f->p, r->kind, field);

	r->num[i] = planfx_value_index(f->p, r->kind, i, value);
}

static int64_t put(struct fx *f, struct eng_record *r)
{
	struct xj_error err;

	r->id = ++f->last_id;
	if (engine_add_record(f->e, r, &err) != XJ_OK)
		fail_msg("engine_add_record: %s", err.msg);
	return r->id;
}

/* Shorthands: one record with one number (in centi-units). */
static int64_t put_num(struct fx *f, const char *kind, int64_t subject, int day,
                       const char *field, int64_t v)
{
	struct eng_record r = rec(f, kind, subject, day);

	set(f, &r, field, v);
	return put(f, &r);
}

static int64_t hours(struct fx *f, int64_t member, int day, int64_t centi)
{
	return put_num(f, "study_attendance", member, day, "hours", centi);
}

static int64_t talk(struct fx *f, int64_t member, int64_t with)
{
	return put_num(f, "talk", member, 1, "counterpart", with);
}

static int64_t correct(struct fx *f, int64_t old, const char *kind,
                       int64_t subject, int day, const char *field, int64_t v,
                       int voided)
{
	struct eng_record r = rec(f, kind, subject, day);

	if (field != NULL)
		set(f, &r, field, v);
	r.supersedes = old;
	r.voided = voided;
	return put(f, &r);
}

static void movement(struct fx *f, int64_t member, int kind, int day,
                     int64_t to)
{
	struct eng_movement mv = { member, kind, f->d0 + day, to };
	struct xj_error err;

	if (engine_add_movement(f->e, &mv, &err) != XJ_OK)
		fail_msg("engine_add_movement: %s", err.msg);
}

/* --- answers -------------------------------------------------------------- */

static int64_t gcd64(int64_t a, int64_t b)
{
	if (a < 0)
		a = -a;
	while (b != 0) {
		int64_t t = a % b;

		a = b;
		b = t;
	}
	return a == 0 ? 1 : a;
}

/* Fail unless v is state with value num/den (compared reduced). */
static void check_value(const struct eng_value *v, enum eng_state state,
                        int64_t num, int64_t den, int line)
{
	int64_t g1, g2;

	if (v->state != state)
		fail_msg("line %d: state %d, expected %d (value %lld/%lld)",
		         line, (int)v->state, (int)state,
		         (long long)v->value.num, (long long)v->value.den);
	if (state == ENG_NA || state == ENG_EXEMPT)
		return;
	if (v->value.den <= 0)
		fail_msg("line %d: denominator %lld", line,
		         (long long)v->value.den);
	g1 = gcd64(v->value.num, v->value.den);
	g2 = gcd64(num, den);
	if (v->value.num / g1 != num / g2 || v->value.den / g1 != den / g2)
		fail_msg("line %d: value %lld/%lld, expected %lld/%lld", line,
		         (long long)v->value.num, (long long)v->value.den,
		         (long long)num, (long long)den);
}

static void check_threshold(const struct eng_value *v, enum plan_cmp cmp,
                            int64_t num, int64_t den, int treat, int line)
{
	int64_t g1 = gcd64(v->threshold.num, v->threshold.den),
	        g2 = gcd64(num, den);

	if (v->cmp != cmp || v->treat != treat ||
	    v->threshold.num / g1 != num / g2 ||
	    v->threshold.den / g1 != den / g2)
		fail_msg("line %d: threshold %d %lld/%lld treat %d, expected "
		         "%d %lld/%lld treat %d",
		         line, (int)v->cmp, (long long)v->threshold.num,
		         (long long)v->threshold.den, v->treat, (int)cmp,
		         (long long)num, (long long)den, treat);
}

#define MEMBER_IS(view, req, m, state, num, den)                               \
	do {                                                                   \
		struct eng_value v_;                                           \
		memset(&v_, 0, sizeof(v_));                                    \
		eng_member_value((view), (req), (m), &v_);                     \
		check_value(&v_, (state), (num), (den), __LINE__);             \
	} while (0)

#define ORG_IS(view, req, id, state, num, den)                                 \
	do {                                                                   \
		struct eng_value v_;                                           \
		memset(&v_, 0, sizeof(v_));                                    \
		eng_org_value((view), (req), (id), &v_);                       \
		check_value(&v_, (state), (num), (den), __LINE__);             \
	} while (0)

#define COUNT_IS(view, req, org, c, p, x, ok)                                  \
	do {                                                                   \
		struct eng_count c_;                                           \
		memset(&c_, 0, sizeof(c_));                                    \
		eng_org_count((view), (req), (org), &c_);                      \
		if (c_.counted != (c) || c_.passed != (p) ||                   \
		    c_.exempt != (x) || !c_.pass != !(ok))                     \
			fail_msg("line %d: counted %lld passed %lld exempt "   \
			         "%lld pass %d, expected %d %d %d %d",         \
			         __LINE__, (long long)c_.counted,              \
			         (long long)c_.passed, (long long)c_.exempt,   \
			         c_.pass, (c), (p), (x), (ok));                \
	} while (0)

static struct eng_view *view_at(const struct fx *f, int day)
{
	struct eng_view *v = NULL;
	struct xj_error err;

	if (engine_view_at(f->e, f->d0 + day, &v, &err) != XJ_OK)
		fail_msg("engine_view_at: %s", err.msg);
	assert_int_equal(eng_view_date(v), f->d0 + day);
	return v;
}

/* --- sums, corrections, withdrawals ---------------------------------------- */

static void test_hours_32_of_40_fails(void **state)
{
	struct fx *f = *state;
	const struct eng_view *live = engine_live(f->e);
	struct eng_value v;

	MEMBER_IS(live, f->r_hours, 1, ENG_FAIL, 0, 1);
	hours(f, 1, 1, 2000); /* 20 hours, then 12 */
	hours(f, 1, 2, 1200);
	MEMBER_IS(live, f->r_hours, 1, ENG_FAIL, 32, 1);
	eng_member_value(live, f->r_hours, 1, &v);
	check_threshold(&v, CMP_GE, 40, 1, -1, __LINE__);
	hours(f, 1, 3, 750); /* 39.5 */
	MEMBER_IS(live, f->r_hours, 1, ENG_FAIL, 79, 2);
	hours(f, 1, 4, 50);
	MEMBER_IS(live, f->r_hours, 1, ENG_PASS, 40, 1);
	/* Another member's hours are not member 1's. */
	MEMBER_IS(live, f->r_hours, 3, ENG_FAIL, 0, 1);
}

static void test_correction_lowers_hours(void **state)
{
	struct fx *f = *state;
	const struct eng_view *live = engine_live(f->e);
	int64_t a;

	hours(f, 1, 1, 2400);
	a = hours(f, 1, 2, 1600);
	MEMBER_IS(live, f->r_hours, 1, ENG_PASS, 40, 1);
	COUNT_IS(live, f->r_hours, 3, 10, 1, 0, 0);
	/* 16 hours were really 8. */
	correct(f, a, "study_attendance", 1, 3, "hours", 800, 0);
	MEMBER_IS(live, f->r_hours, 1, ENG_FAIL, 32, 1);
	COUNT_IS(live, f->r_hours, 3, 10, 0, 0, 0);
	assert_int_equal(engine_record_count(f->e), 3);
}

static void test_voided_record_stops_counting(void **state)
{
	struct fx *f = *state;
	const struct eng_view *live = engine_live(f->e);
	int64_t a, w;

	a = hours(f, 1, 1, 4000);
	MEMBER_IS(live, f->r_hours, 1, ENG_PASS, 40, 1);
	w = correct(f, a, "study_attendance", 1, 2, "hours", 4000, 1);
	MEMBER_IS(live, f->r_hours, 1, ENG_FAIL, 0, 1);
	/* The withdrawal itself can be corrected: the record is back. */
	correct(f, w, "study_attendance", 1, 3, "hours", 4000, 0);
	MEMBER_IS(live, f->r_hours, 1, ENG_PASS, 40, 1);
}

/* --- talks (DOMAIN.md §7) -------------------------------------------------- */

static void test_talk_coverage(void **state)
{
	struct fx *f = *state;
	const struct eng_view *live = engine_live(f->e);
	struct eng_value v;
	int64_t m;

	/* Member 1 talks with 3..7 (5 of the 9 others), twice with 3, once
	 * with themself and with two members of another branch. */
	for (m = 3; m <= 7; m++)
		talk(f, 1, m);
	talk(f, 1, 3);
	talk(f, 1, 1);
	talk(f, 1, 11);
	talk(f, 1, 14);
	MEMBER_IS(live, f->r_talk, 1, ENG_FAIL, 5, 9);
	eng_member_value(live, f->r_talk, 1, &v);
	check_threshold(&v, CMP_GE, 2, 3, -1, __LINE__);
	talk(f, 1, 8);
	MEMBER_IS(live, f->r_talk, 1, ENG_PASS, 2, 3);

	/* The leading cadre (member 2) must talk with all nine. */
	for (m = 3; m <= 8; m++)
		talk(f, 2, m);
	MEMBER_IS(live, f->r_talk, 2, ENG_FAIL, 6, 9);
	eng_member_value(live, f->r_talk, 2, &v);
	check_threshold(&v, CMP_GE, 1, 1, 0, __LINE__);
	talk(f, 2, 9);
	talk(f, 2, 10);
	MEMBER_IS(live, f->r_talk, 2, ENG_FAIL, 8, 9);
	talk(f, 2, 1);
	MEMBER_IS(live, f->r_talk, 2, ENG_PASS, 1, 1);
}

static void test_talk_coverage_follows_the_branch(void **state)
{
	struct fx *f = *state;
	const struct eng_view *live = engine_live(f->e);
	struct eng_view *v;
	int64_t m;

	for (m = 3; m <= 8; m++)
		talk(f, 1, m);
	MEMBER_IS(live, f->r_talk, 1, ENG_PASS, 6, 9);
	/* Member 8 is transferred out on day 5: 5 of the 8 others. */
	movement(f, 8, MOVE_OUT, 5, 0);
	MEMBER_IS(live, f->r_talk, 1, ENG_FAIL, 5, 8);
	v = view_at(f, 4);
	MEMBER_IS(v, f->r_talk, 1, ENG_PASS, 6, 9);
	eng_view_free(v);
	/* Member 4 moves to the second branch on day 6. */
	movement(f, 4, MOVE_WITHIN, 6, 4);
	MEMBER_IS(live, f->r_talk, 1, ENG_FAIL, 4, 7);
}

/* --- notes and reflections (§4.2 "三个完成") -------------------------------- */

static void test_notes_sum_and_reflection_max(void **state)
{
	struct fx *f = *state;
	const struct eng_view *live = engine_live(f->e);

	put_num(f, "study_notes", 1, 1, "zishu", 400000);
	put_num(f, "study_notes", 1, 2, "zishu", 300000);
	MEMBER_IS(live, f->r_notes, 1, ENG_FAIL, 7000, 1);
	put_num(f, "study_notes", 1, 3, "zishu", 300000);
	MEMBER_IS(live, f->r_notes, 1, ENG_PASS, 10000, 1);

	/* Two reflections of 2000 and 2500 字 are not one of 3000. */
	put_num(f, "reflection", 1, 1, "zishu", 200000);
	put_num(f, "reflection", 1, 2, "zishu", 250000);
	MEMBER_IS(live, f->r_reflection, 1, ENG_FAIL, 2500, 1);
	put_num(f, "reflection", 1, 3, "zishu", 300000);
	MEMBER_IS(live, f->r_reflection, 1, ENG_PASS, 3000, 1);
	MEMBER_IS(live, f->r_reflection, 2, ENG_FAIL, 0, 1);
}

/* --- satisfaction (§17 A7) --------------------------------------------------- */

static void test_satisfaction_70_percent(void **state)
{
	struct fx *f = *state;
	const struct eng_view *live = engine_live(f->e);
	struct eng_record r;
	int64_t a;

	r = rec(f, "satisfaction_ballot", 3, 1);
	set_value(f, &r, "meeting", "专题组织生活会");
	set(f, &r, "satisfied", 6900);
	set(f, &r, "total", 10000);
	a = put(f, &r);
	/* A ballot on another meeting does not count. */
	r = rec(f, "satisfaction_ballot", 3, 1);
	set_value(f, &r, "meeting", "专题民主生活会");
	set(f, &r, "satisfied", 0);
	set(f, &r, "total", 10000);
	put(f, &r);
	ORG_IS(live, f->r_satisfaction, 3, ENG_FAIL, 69, 100);
	r = rec(f, "satisfaction_ballot", 3, 2);
	set_value(f, &r, "meeting", "专题组织生活会");
	set(f, &r, "satisfied", 7000);
	set(f, &r, "total", 10000);
	r.supersedes = a;
	put(f, &r);
	ORG_IS(live, f->r_satisfaction, 3, ENG_PASS, 7, 10);
	/* The second branch held no meeting: 0 of 0 is 0. */
	ORG_IS(live, f->r_satisfaction, 4, ENG_FAIL, 0, 1);
	/* Of the unit's two branches one passes (share 1). */
	COUNT_IS(live, f->r_satisfaction, 2, 2, 1, 0, 0);
	COUNT_IS(live, f->r_satisfaction, 3, 1, 1, 0, 1);
	assert_false(eng_unit_passes(live, f->r_satisfaction, 2));
}

/* --- treatments (§3.3) ----------------------------------------------------- */

static void test_frail_exempt(void **state)
{
	struct fx *f = *state;
	const struct eng_view *live = engine_live(f->e);
	struct eng_value v;

	/* 11 is 年老体弱: exempt, whatever was recorded. */
	hours(f, 11, 1, 500);
	MEMBER_IS(live, f->r_hours, 11, ENG_EXEMPT, 0, 1);
	eng_member_value(live, f->r_hours, 11, &v);
	assert_int_equal(v.treat, 0);
	/* Branch 4: 11 exempt, 12 and 13 counted (and failing). */
	COUNT_IS(live, f->r_hours, 4, 2, 0, 1, 0);
	hours(f, 13, 1, 4000);
	put_num(f, "mailed_materials", 12, 1, "note", -1);
	COUNT_IS(live, f->r_hours, 4, 2, 2, 1, 1);
	/* The unit: members 1-10 and 12, 13 counted, 11 exempt. */
	COUNT_IS(live, f->r_hours, 2, 12, 2, 1, 0);
	/* Exempt from hours is not exempt from the notes. */
	MEMBER_IS(live, f->r_notes, 11, ENG_FAIL, 0, 1);
}

static void test_mobile_member_mailed_materials(void **state)
{
	struct fx *f = *state;
	const struct eng_view *live = engine_live(f->e);
	struct eng_value v;

	/* 12 has been away 7 months: held to mailed materials >= 1. */
	hours(f, 12, 1, 4000);
	MEMBER_IS(live, f->r_hours, 12, ENG_FAIL, 0, 1);
	eng_member_value(live, f->r_hours, 12, &v);
	check_threshold(&v, CMP_GE, 1, 1, 1, __LINE__);
	put_num(f, "mailed_materials", 12, 2, "note", -1);
	MEMBER_IS(live, f->r_hours, 12, ENG_PASS, 1, 1);
	/* 13, away 5 months, is held to the 40 hours. */
	put_num(f, "mailed_materials", 13, 2, "note", -1);
	MEMBER_IS(live, f->r_hours, 13, ENG_FAIL, 0, 1);
	eng_member_value(live, f->r_hours, 13, &v);
	check_threshold(&v, CMP_GE, 40, 1, -1, __LINE__);
}

/* --- movements --------------------------------------------------------------- */

static void test_transferred_out(void **state)
{
	struct fx *f = *state;
	const struct eng_view *live = engine_live(f->e);
	struct eng_view *v;

	hours(f, 3, 1, 4000);
	movement(f, 3, MOVE_OUT, 10, 0);
	MEMBER_IS(live, f->r_hours, 3, ENG_NA, 0, 1);
	assert_int_equal(eng_member_branch(live, 3), 0);
	COUNT_IS(live, f->r_hours, 3, 9, 0, 0, 0);
	v = view_at(f, 10); /* the day of the transfer: gone */
	MEMBER_IS(v, f->r_hours, 3, ENG_NA, 0, 1);
	assert_int_equal(eng_member_branch(v, 3), 0);
	COUNT_IS(v, f->r_hours, 3, 9, 0, 0, 0);
	eng_view_free(v);
	v = view_at(f, 9); /* the day before: counted, and passing */
	MEMBER_IS(v, f->r_hours, 3, ENG_PASS, 40, 1);
	assert_int_equal(eng_member_branch(v, 3), 3);
	COUNT_IS(v, f->r_hours, 3, 10, 1, 0, 0);
	eng_view_free(v);
	/* 转入 again on day 20, into the second branch. */
	movement(f, 3, MOVE_IN, 20, 4);
	MEMBER_IS(live, f->r_hours, 3, ENG_PASS, 40, 1);
	assert_int_equal(eng_member_branch(live, 3), 4);
	v = view_at(f, 15);
	MEMBER_IS(v, f->r_hours, 3, ENG_NA, 0, 1);
	eng_view_free(v);
}

static void test_moved_between_branches(void **state)
{
	struct fx *f = *state;
	const struct eng_view *live = engine_live(f->e);
	struct eng_view *v;

	hours(f, 4, 1, 4000);
	movement(f, 4, MOVE_WITHIN, 10, 4);
	assert_int_equal(eng_member_branch(live, 4), 4);
	COUNT_IS(live, f->r_hours, 3, 9, 0, 0, 0);
	COUNT_IS(live, f->r_hours, 4, 3, 1, 1, 0);
	v = view_at(f, 9);
	assert_int_equal(eng_member_branch(v, 4), 3);
	COUNT_IS(v, f->r_hours, 3, 10, 1, 0, 0);
	COUNT_IS(v, f->r_hours, 4, 2, 0, 1, 0);
	eng_view_free(v);
	v = view_at(f, 10);
	assert_int_equal(eng_member_branch(v, 4), 4);
	COUNT_IS(v, f->r_hours, 4, 3, 1, 1, 0);
	/* The unit counts them either way. */
	COUNT_IS(v, f->r_hours, 2, 12, 1, 1, 0);
	eng_view_free(v);
	/* Moved to another unit: the first unit loses them. */
	movement(f, 4, MOVE_WITHIN, 12, 6);
	COUNT_IS(live, f->r_hours, 2, 11, 0, 1, 0);
	COUNT_IS(live, f->r_hours, 5, 4, 1, 0, 0);
}

/* --- as of a date -------------------------------------------------------------- */

static void test_late_entry_not_counted_before_entry(void **state)
{
	struct fx *f = *state;
	struct eng_record r = rec(f, "study_attendance", 1, 1);
	struct eng_view *v;

	/* Happened on day 1, entered on day 20. */
	set(f, &r, "hours", 4000);
	r.entered_on = f->d0 + 20;
	put(f, &r);
	v = view_at(f, 10);
	MEMBER_IS(v, f->r_hours, 1, ENG_FAIL, 0, 1);
	eng_view_free(v);
	v = view_at(f, 19);
	MEMBER_IS(v, f->r_hours, 1, ENG_FAIL, 0, 1);
	eng_view_free(v);
	v = view_at(f, 20);
	MEMBER_IS(v, f->r_hours, 1, ENG_PASS, 40, 1);
	eng_view_free(v);
	MEMBER_IS(engine_live(f->e), f->r_hours, 1, ENG_PASS, 40, 1);
}

static void test_late_correction_not_applied_before_entry(void **state)
{
	struct fx *f = *state;
	struct eng_view *v;
	int64_t a;

	a = hours(f, 1, 1, 4000);
	correct(f, a, "study_attendance", 1, 20, "hours", 3000, 0);
	v = view_at(f, 0);
	MEMBER_IS(v, f->r_hours, 1, ENG_FAIL, 0, 1);
	eng_view_free(v);
	v = view_at(f, 10);
	MEMBER_IS(v, f->r_hours, 1, ENG_PASS, 40, 1);
	eng_view_free(v);
	v = view_at(f, 20);
	MEMBER_IS(v, f->r_hours, 1, ENG_FAIL, 30, 1);
	eng_view_free(v);
	MEMBER_IS(engine_live(f->e), f->r_hours, 1, ENG_FAIL, 30, 1);
}

/* --- aggregation ----------------------------------------------------------------- */

static void test_unit_share_two_thirds(void **state)
{
	struct fx *f = *state;
	const struct eng_view *live = engine_live(f->e);

	/* Unit 5 has members 14-16; reflection_3000 has share 2/3. */
	put_num(f, "reflection", 14, 1, "zishu", 300000);
	COUNT_IS(live, f->r_reflection, 5, 3, 1, 0, 0);
	assert_false(eng_unit_passes(live, f->r_reflection, 5));
	put_num(f, "reflection", 15, 1, "zishu", 320000);
	COUNT_IS(live, f->r_reflection, 5, 3, 2, 0, 1);
	COUNT_IS(live, f->r_reflection, 6, 3, 2, 0, 1);
	assert_true(eng_unit_passes(live, f->r_reflection, 5));
	/* Notes need everyone (share 1). */
	put_num(f, "study_notes", 14, 1, "zishu", 1000000);
	put_num(f, "study_notes", 15, 1, "zishu", 1000000);
	COUNT_IS(live, f->r_notes, 5, 3, 2, 0, 0);
	assert_false(eng_unit_passes(live, f->r_notes, 5));
	/* The 系统 of unit 5 is 2: members 14-16 only. */
	{
		struct eng_count c;

		eng_system_count(live, f->r_reflection, 2, &c);
		assert_int_equal(c.counted, 3);
		assert_int_equal(c.passed, 2);
		assert_true(c.pass);
		eng_system_count(live, f->r_reflection, 1, &c);
		assert_int_equal(c.counted, 13); /* none exempt here */
		assert_int_equal(c.passed, 0);
	}
}

static void test_state_reaches_reviewed(void **state)
{
	struct fx *f = *state;
	const struct eng_view *live = engine_live(f->e);
	struct eng_record r;

	MEMBER_IS(live, f->r_analysis, 1, ENG_FAIL, -1, 1);
	r = rec(f, "analysis_material", 1, 1);
	set_value(f, &r, "state", "已提交");
	put(f, &r);
	MEMBER_IS(live, f->r_analysis, 1, ENG_FAIL, 1, 1);
	r = rec(f, "analysis_material", 1, 2);
	set_value(f, &r, "state", "已审核");
	put(f, &r);
	MEMBER_IS(live, f->r_analysis, 1, ENG_PASS, 4, 1);
	/* Sent back later: the furthest state reached still counts. */
	r = rec(f, "analysis_material", 1, 3);
	set_value(f, &r, "state", "退回修改");
	put(f, &r);
	MEMBER_IS(live, f->r_analysis, 1, ENG_PASS, 4, 1);
}

static void test_unit_situation_reports(void **state)
{
	struct fx *f = *state;
	const struct eng_view *live = engine_live(f->e);
	struct eng_record r;

	r = rec(f, "lecture", 3, 1); /* in a branch of unit 2 */
	set_value(f, &r, "type", "形势报告会");
	put(f, &r);
	r = rec(f, "lecture", 2, 2); /* a 党课 does not count */
	set_value(f, &r, "type", "党课");
	put(f, &r);
	ORG_IS(live, f->r_situation, 2, ENG_FAIL, 1, 1);
	assert_false(eng_unit_passes(live, f->r_situation, 2));
	r = rec(f, "lecture", 2, 3); /* by the unit itself */
	set_value(f, &r, "type", "形势报告会");
	put(f, &r);
	ORG_IS(live, f->r_situation, 2, ENG_PASS, 2, 1);
	assert_true(eng_unit_passes(live, f->r_situation, 2));
	ORG_IS(live, f->r_situation, 5, ENG_FAIL, 0, 1);
	/* Of the root's two units one passes. */
	COUNT_IS(live, f->r_situation, 1, 2, 1, 0, 0);
	/* 系统 1 has three lectures in all, 系统 2 none. */
	ORG_IS(live, f->r_sys_lectures, 1, ENG_PASS, 3, 1);
	ORG_IS(live, f->r_sys_lectures, 2, ENG_FAIL, 0, 1);
	assert_true(eng_unit_passes(live, f->r_sys_lectures, 2));
	assert_false(eng_unit_passes(live, f->r_sys_lectures, 5));
}

/* --- payloads (eng_record_from_json) ------------------------------------------ */

static enum xj_err from_json(const struct fx *f, const char *kind,
                             const char *payload, struct eng_record *r,
                             struct xj_error *err)
{
	void *json = NULL;
	enum xj_err e;

	memset(r, 0, sizeof(*r));
	xj_error_clear(err);
	e = eng_record_from_json(f->p, planfx_kind_index(f->p, kind), payload,
	                         r, &json, err);
	if (json != NULL)
		json_decref(json);
	return e;
}

static void refuses(const struct fx *f, const char *kind, const char *payload,
                    const char *field)
{
	struct eng_record r;
	struct xj_error err;

	if (from_json(f, kind, payload, &r, &err) == XJ_OK)
		fail_msg("%s accepted: %s", kind, payload);
	assert_int_equal(err.code, XJ_EINVAL);
	assert_string_equal(err.field, field);
	assert_true(err.msg[0] != '\0');
}

static void test_payload_accepted(void **state)
{
	struct fx *f = *state;
	int k = planfx_kind_index(f->p, "study_attendance");
	struct eng_record r;
	struct xj_error err;
	void *json = NULL;

	memset(&r, 0, sizeof(r));
	assert_int_equal(
	    eng_record_from_json(f->p, k,
	                         "{\"hours\": 2.5, \"session\": "
	                         "\"党章学习\", \"makeup\": \"是\"}",
	                         &r, &json, &err),
	    XJ_OK);
	assert_int_equal(r.num[0], 250);
	assert_non_null(r.text[1]);
	assert_string_equal(r.text[1], "党章学习");
	assert_int_equal(r.num[2], 1);
	assert_int_equal(r.voided, 0);
	json_decref(json);

	/* Optional fields left out are absent; whole numbers are fine. */
	assert_int_equal(
	    from_json(f, "study_attendance", "{\"hours\": 40}", &r, &err),
	    XJ_OK);
	assert_int_equal(r.num[0], 4000);
	assert_null(r.text[1]);
	assert_int_equal(r.num[2], -1);
	assert_int_equal(
	    from_json(f, "study_attendance", "{\"hours\": 0.05}", &r, &err),
	    XJ_OK);
	assert_int_equal(r.num[0], 5);
	/* Without json_out there are no texts. */
	memset(&r, 0, sizeof(r));
	assert_int_equal(eng_record_from_json(f->p, k,
	                                      "{\"hours\": 1, \"session\": "
	                                      "\"读本\"}",
	                                      &r, NULL, &err),
	                 XJ_OK);
	assert_int_equal(r.num[0], 100);
	assert_null(r.text[1]);

	/* 字数 as a number (a paper copy) or as the text itself. */
	assert_int_equal(
	    from_json(f, "reflection", "{\"zishu\": 3000}", &r, &err), XJ_OK);
	assert_int_equal(r.num[0], 300000);
	assert_int_equal(from_json(f, "reflection",
	                           "{\"zishu\": \"学习党章，2005年\"}", &r,
	                           &err),
	                 XJ_OK);
	assert_int_equal(r.num[0], 600); /* 学习党章 2005 年 */
	/* A state by name, a member by id. */
	assert_int_equal(from_json(f, "analysis_material",
	                           "{\"state\": \"已审核\"}", &r, &err),
	                 XJ_OK);
	assert_int_equal(r.num[0], 4);
	assert_int_equal(from_json(f, "talk", "{\"counterpart\": 7}", &r, &err),
	                 XJ_OK);
	assert_int_equal(r.num[0], 7);
	/* A kind without required fields takes an empty object. */
	assert_int_equal(from_json(f, "rectification_plan", "{}", &r, &err),
	                 XJ_OK);
}

static void test_payload_refused(void **state)
{
	struct fx *f = *state;

	refuses(f, "study_attendance", "{\"session\": \"党章\"}", "hours");
	refuses(f, "study_attendance", "{}", "hours");
	refuses(f, "study_attendance", "{\"hours\": -1}", "hours");
	refuses(f, "study_attendance", "{\"hours\": 1.234}", "hours");
	refuses(f, "study_attendance", "{\"hours\": \"两小时\"}", "hours");
	refuses(f, "study_attendance", "{\"hours\": 10000001}", "hours");
	refuses(f, "study_attendance", "{\"hours\": null}", "hours");
	refuses(f, "study_attendance", "{\"hours\": 1, \"makeup\": \"也许\"}",
	        "makeup");
	refuses(f, "study_attendance", "{\"hours\": 1, \"makeup\": 1}",
	        "makeup");
	refuses(f, "study_attendance", "{\"hours\": 1, \"session\": 5}",
	        "session");
	refuses(f, "talk", "{\"counterpart\": \"张三\"}", "counterpart");
	refuses(f, "talk", "{\"counterpart\": 1.5}", "counterpart");
	refuses(f, "analysis_material", "{\"state\": \"已完成\"}", "state");
	refuses(f, "lecture", "{\"type\": \"报告会\"}", "type");
	refuses(f, "satisfaction_ballot",
	        "{\"meeting\": \"整改\", \"satisfied\": 70}", "total");
	refuses(f, "study_attendance", "{\"hours\": 1, \"voided\": \"是\"}",
	        "voided");
	/* A field the kind does not have is named, not ignored. */
	refuses(f, "study_attendance", "{\"hours\": 1, \"minutes\": 30}",
	        "minutes");
}

/* What the user reads, in 简体中文 and naming the field. */
static void test_payload_messages(void **state)
{
	static const struct {
		const char *kind, *payload, *why;
	} cases[] = {
		{ "study_attendance", "{}", "必须填写" },
		{ "study_attendance", "{\"hours\": -1}", "0 至 10000000" },
		{ "study_attendance", "{\"hours\": 1.234}",
		  "最多保留两位小数" },
		{ "study_attendance", "{\"hours\": \"两小时\"}", "应为数字" },
		{ "study_attendance", "{\"hours\": 1, \"makeup\": \"也许\"}",
		  "不是可选的值之一" },
		{ "study_attendance", "{\"hours\": 1, \"minutes\": 30}",
		  "没有字段" },
		{ "talk", "{\"counterpart\": \"张三\"}", "应为党员编号" },
		{ "study_attendance", "[1]", "JSON 对象" },
	};
	struct fx *f = *state;
	struct eng_record r;
	struct xj_error err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(
		    from_json(f, cases[i].kind, cases[i].payload, &r, &err),
		    XJ_EINVAL);
		assert_contains(err.msg, cases[i].why);
		if (err.field[0] != '\0' && strcmp(err.field, "payload") != 0)
			assert_contains(err.msg, err.field);
	}
}

static void test_payload_not_an_object(void **state)
{
	struct fx *f = *state;
	struct eng_record r;
	struct xj_error err;

	assert_int_equal(from_json(f, "study_attendance", "[1]", &r, &err),
	                 XJ_EINVAL);
	assert_true(err.msg[0] != '\0');
	assert_int_equal(
	    from_json(f, "study_attendance", "{\"hours\": ", &r, &err),
	    XJ_EINVAL);
	assert_true(err.msg[0] != '\0');
}

static void test_payload_voided(void **state)
{
	struct fx *f = *state;
	int k = planfx_kind_index(f->p, "study_attendance");
	struct eng_record r;
	struct xj_error err;
	enum xj_err e;
	int64_t a;

	/* A withdrawal of a record. */
	a = hours(f, 1, 1, 4000);
	memset(&r, 0, sizeof(r));
	r.supersedes = a;
	assert_int_equal(eng_record_from_json(f->p, k,
	                                      "{\"hours\": 40, "
	                                      "\"voided\": true}",
	                                      &r, NULL, &err),
	                 XJ_OK);
	assert_int_equal(r.voided, 1);
	r.kind = k;
	r.member_id = 1;
	r.org_id = 3;
	r.happened_on = r.entered_on = f->d0 + 2;
	put(f, &r);
	MEMBER_IS(engine_live(f->e), f->r_hours, 1, ENG_FAIL, 0, 1);
	/* "voided": false is no withdrawal. */
	memset(&r, 0, sizeof(r));
	assert_int_equal(eng_record_from_json(f->p, k,
	                                      "{\"hours\": 40, "
	                                      "\"voided\": false}",
	                                      &r, NULL, &err),
	                 XJ_OK);
	assert_int_equal(r.voided, 0);
	/* A withdrawal that supersedes nothing is refused, by the payload
	 * check or else when it is added. */
	memset(&r, 0, sizeof(r));
	e = eng_record_from_json(f->p, k, "{\"hours\": 1, \"voided\": true}",
	                         &r, NULL, &err);
	if (e == XJ_OK) {
		r.id = f->last_id + 1;
		r.kind = k;
		r.member_id = 1;
		r.org_id = 3;
		r.happened_on = r.entered_on = f->d0 + 3;
		assert_int_not_equal(engine_add_record(f->e, &r, &err), XJ_OK);
		assert_true(err.msg[0] != '\0');
	} else {
		assert_string_equal(err.field, "voided");
	}
	MEMBER_IS(engine_live(f->e), f->r_hours, 1, ENG_FAIL, 0, 1);
}

/* --- refusals -------------------------------------------------------------------- */

/* r (given the next id) is refused naming field, for reason why. */
static void refused_record(struct fx *f, struct eng_record *r,
                           const char *field, const char *why)
{
	struct xj_error err;
	int64_t before = engine_record_count(f->e);

	xj_error_clear(&err);
	if (r->id == 0)
		r->id = f->last_id + 1;
	assert_int_not_equal(engine_add_record(f->e, r, &err), XJ_OK);
	assert_string_equal(err.field, field);
	assert_contains(err.msg, why);
	assert_int_equal(engine_record_count(f->e), before);
}

static void test_add_refusals(void **state)
{
	struct fx *f = *state;
	struct eng_org o = { 7, 99, ORG_BRANCH, 0, 0, 0, "无上级支部", "X" };
	struct eng_member m = { NMEMBERS + 1, 99, "无支部党员", 0, 0, 0 };
	struct eng_movement mv = { 99, MOVE_OUT, f->d0, 0 };
	struct eng_record r;
	struct xj_error err;
	int64_t a;

	xj_error_clear(&err);
	assert_int_not_equal(engine_add_org(f->e, &o, &err), XJ_OK);
	assert_true(err.msg[0] != '\0');
	xj_error_clear(&err);
	assert_int_not_equal(engine_add_member(f->e, &m, &err), XJ_OK);
	assert_string_equal(err.field, "org_id");
	assert_contains(err.msg, "支部未知");
	xj_error_clear(&err);
	assert_int_not_equal(engine_add_movement(f->e, &mv, &err), XJ_OK);
	assert_string_equal(err.field, "member_id");
	assert_contains(err.msg, "党员未知");
	/* Movements of a member come in date order. */
	movement(f, 5, MOVE_WITHIN, 10, 4);
	mv = (struct eng_movement){ 5, MOVE_WITHIN, f->d0 + 9, 3 };
	assert_int_not_equal(engine_add_movement(f->e, &mv, &err), XJ_OK);
	assert_string_equal(err.field, "on_date");
	assert_int_equal(engine_org_max(f->e), 6);
	assert_int_equal(engine_member_max(f->e), NMEMBERS);

	/* An unknown member, organisation, kind. */
	r = rec(f, "study_attendance", 1, 1);
	set(f, &r, "hours", 100);
	r.member_id = 99;
	refused_record(f, &r, "member_id", "党员未知");
	r = rec(f, "lecture", 3, 1);
	set_value(f, &r, "type", "党课");
	r.org_id = 99;
	refused_record(f, &r, "org_id", "组织未知");
	r = rec(f, "study_attendance", 1, 1);
	set(f, &r, "hours", 100);
	r.kind = f->p->nkinds;
	refused_record(f, &r, "kind", "记录类型未知");
	r.kind = -1;
	refused_record(f, &r, "kind", "记录类型未知");
	/* A number no payload could give. */
	r = rec(f, "study_attendance", 1, 1);
	set(f, &r, "hours", -5);
	refused_record(f, &r, "hours", "超出范围");

	/* Superseding a record not known, or already superseded, or of
	 * another kind. */
	a = hours(f, 1, 1, 4000);
	r = rec(f, "study_attendance", 1, 2);
	set(f, &r, "hours", 100);
	r.supersedes = a + 5;
	refused_record(f, &r, "supersedes", "不存在");
	correct(f, a, "study_attendance", 1, 2, "hours", 3000, 0);
	r = rec(f, "study_attendance", 1, 3);
	set(f, &r, "hours", 100);
	r.supersedes = a;
	refused_record(f, &r, "supersedes", "已被更正");
	r = rec(f, "self_study", 1, 3);
	set(f, &r, "hours", 100);
	r.supersedes = a + 1;
	refused_record(f, &r, "supersedes", "类型相同");
	/* Record ids only grow. */
	r = rec(f, "study_attendance", 1, 3);
	set(f, &r, "hours", 100);
	r.id = a;
	refused_record(f, &r, "id", "递增");
	MEMBER_IS(engine_live(f->e), f->r_hours, 1, ENG_FAIL, 30, 1);
	assert_int_equal(engine_record_count(f->e), 2);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_hours_32_of_40_fails),
		T(test_correction_lowers_hours),
		T(test_voided_record_stops_counting),
		T(test_talk_coverage),
		T(test_talk_coverage_follows_the_branch),
		T(test_notes_sum_and_reflection_max),
		T(test_satisfaction_70_percent),
		T(test_frail_exempt),
		T(test_mobile_member_mailed_materials),
		T(test_transferred_out),
		T(test_moved_between_branches),
		T(test_late_entry_not_counted_before_entry),
		T(test_late_correction_not_applied_before_entry),
		T(test_unit_share_two_thirds),
		T(test_state_reaches_reviewed),
		T(test_unit_situation_reports),
		T(test_payload_accepted),
		T(test_payload_refused),
		T(test_payload_messages),
		T(test_payload_not_an_object),
		T(test_payload_voided),
		T(test_add_refusals),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
