/*
 * The benchmark's campaign generator (gen.h).
 *
 * Determinism: every decision is a function of the seed and of what it is
 * about (a unit, a member, an event), drawn from splitmix64, so the
 * stream does not depend on the order anything is asked for and nothing
 * reads the clock, the environment or rand().
 *
 * The records follow the stage-1 calendar of DOMAIN.md §4: a unit
 * mobilises, holds 5 days (10 half-day sessions of 4 hours) of closed
 * study with make-up sessions for those who missed one (§4.2 "两个确保"),
 * members hand in notes weekly towards 10,000 字 and one 心得体会 of 3,000
 * 字 or more ("三个完成"), the unit holds its 两课两会 (§4.3) and each
 * branch its 专题大讨论 (§4.4). Units differ in diligence, which is
 * where the gaps come from: a missed session never made up, a note not
 * handed in, a reflection too short, a 形势报告会 never held, a discussion
 * short of 100% participation. Secretaries enter records a few days
 * late, sometimes twice (a duplicate, usually withdrawn later) or wrong
 * (a typo, usually corrected later): 2-3% of the records are corrections.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "xianjiao/alloc.h"
#include "xianjiao/core.h"
#include "xianjiao/date.h"
#include "xianjiao/store.h"

#include "gen.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* --- random numbers ----------------------------------------------- */

/*
 * splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom
 * number generators", 2014): a Weyl sequence through a 64-bit finaliser.
 * Written here from the published constants. It serves as a stream
 * (struct rng) and, through mix(), as a hash of a tuple of integers.
 */
static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint64_t mix(uint64_t a, uint64_t b)
{
	uint64_t x = a ^ (b * 0xd1342543de82ef95u);

	return splitmix64(&x);
}

struct rng {
	uint64_t s;
};

/* A stream for one subject: the seed, a purpose tag and two ids. */
static struct rng rng_for(uint64_t seed, uint64_t tag, uint64_t a, uint64_t b)
{
	struct rng r = { mix(mix(mix(seed, tag), a), b) };

	return r;
}

static uint64_t rng_next(struct rng *r)
{
	return splitmix64(&r->s);
}

/* Uniform in [0, n) by multiply-shift (Lemire); the bias of at most
 * n / 2^32 does not matter here. */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

static int rng_range(struct rng *r, int lo, int hi)
{
	return lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

/* True with probability ppm / 1,000,000. */
static int rng_ppm(struct rng *r, int ppm)
{
	return (int)rng_below(r, 1000000) < ppm;
}

/* --- record kinds ------------------------------------------------- */

#define YN                                                                     \
	{                                                                      \
		"否", "是"                                                    \
	}

/* Field order and values as /tmp/kinds.md fixes them for the reference
 * plan; engine_bench checks them against the loaded plan. TEXT fields
 * list the texts the generator writes (v[] holds the index). */
const struct gen_kind_def gen_kinds[GK__MAX] = {
	[GK_STUDY_ATTENDANCE] = { "study_attendance",
	                          1,
	                          { { "hours", GF_NUMBER, { NULL } },
	                            { "session",
	                              GF_TEXT,
	                              { "党章", "先进性教育读本",
	                                "胡锦涛同志讲话",
	                                "江泽民谈加强和改进执政党建设",
	                                "补课" } },
	                            { "makeup", GF_ENUM, YN } },
	                          3 },
	[GK_SELF_STUDY] = { "self_study",
	                    1,
	                    { { "hours", GF_NUMBER, { NULL } } },
	                    1 },
	[GK_STUDY_NOTES] = { "study_notes",
	                     1,
	                     { { "zishu", GF_ZISHU, { NULL } },
	                       { "paper", GF_ENUM, YN } },
	                     2 },
	[GK_REFLECTION] = { "reflection",
	                    1,
	                    { { "zishu", GF_ZISHU, { NULL } },
	                      { "title",
	                        GF_TEXT,
	                        { "学习党章的体会", "保持先进性的思考",
	                          "立党为公执政为民心得" } },
	                      { "paper", GF_ENUM, YN } },
	                    3 },
	[GK_MAILED_MATERIALS] = { "mailed_materials",
	                          1,
	                          { { "note",
	                              GF_TEXT,
	                              { "寄送读本和学习提纲" } } },
	                          1 },
	[GK_CONTACT_ATTEMPT] = { "contact_attempt",
	                         1,
	                         { { "method",
	                             GF_ENUM,
	                             { "家访", "信函", "电话" } } },
	                         1 },
	[GK_BADGE_CHECK] = { "badge_check",
	                     1,
	                     { { "compliant", GF_ENUM, { "是", "否" } } },
	                     1 },
	[GK_SERVICE_CARD] = { "service_card",
	                      1,
	                      { { "item",
	                          GF_ENUM,
	                          { "读一本书", "结对帮扶困难户",
	                            "撰写情况反映" } } },
	                      1 },
	[GK_TALK] = { "talk",
	              1,
	              { { "counterpart", GF_MEMBER, { NULL } } },
	              1 },
	[GK_MOBILISATION] = { "mobilisation",
	                      0,
	                      { { "note",
	                          GF_TEXT,
	                          { "动员大会", "支部大会再动员" } } },
	                      1 },
	[GK_LECTURE] = { "lecture",
	                 0,
	                 { { "type",
	                     GF_ENUM,
	                     { "党课", "辅导课", "先进事迹报告会",
	                       "形势报告会" } },
	                   { "speaker", GF_MEMBER, { NULL } },
	                   { "title",
	                     GF_TEXT,
	                     { "三个代表重要思想", "保持共产党员先进性",
	                       "立党为公、执政为民" } } },
	                 3 },
	[GK_DISCUSSION] = { "discussion",
	                    0,
	                    { { "topic",
	                        GF_TEXT,
	                        { "先进性的具体要求", "理想信念", "宗旨观念",
	                          "机关作风", "发展意识",
	                          "建设坚强有力的支部" } },
	                      { "expected", GF_NUMBER, { NULL } },
	                      { "participants", GF_NUMBER, { NULL } },
	                      { "speakers", GF_NUMBER, { NULL } } },
	                    4 },
	[GK_STUDY_COLUMN] = { "study_column",
	                      0,
	                      { { "title",
	                          GF_TEXT,
	                          { "学习园地第一期", "学习园地第二期" } } },
	                      1 },
	[GK_NOTES_EXHIBITION] = { "notes_exhibition",
	                          0,
	                          { { "note", GF_TEXT, { "学习笔记展评" } } },
	                          1 },
	[GK_STUDY_EXCHANGE] = { "study_exchange",
	                        0,
	                        { { "note", GF_TEXT, { "学习交流会" } } },
	                        1 },
	[GK_OPINION_EVENT] = { "opinion_event",
	                       0,
	                       { { "channel",
	                           GF_ENUM,
	                           { "座谈会", "征求意见函", "征求意见表",
	                             "意见箱", "热线电话", "电子邮箱",
	                             "个别交谈", "网络" } },
	                         { "quantity", GF_NUMBER, { NULL } } },
	                       2 },
};

/* --- scales ------------------------------------------------------- */

#define SIZE_CLASSES 4

struct scale_def {
	const char *name;
	int provinces;  /* under the root; 0: the root is the province */
	int cities;     /* per province; 0: the root is the locality */
	int localities; /* per city */
	int units;      /* per locality */
	int systems;    /* per locality */
	int size_lo[SIZE_CLASSES], size_hi[SIZE_CLASSES];
	int size_pm[SIZE_CLASSES]; /* share of units per size class, ‰ */
	int branch_lo, branch_hi;  /* members per branch */
};

static const struct scale_def scales[SCALE__MAX] = {
	/* Seed 004's city: 107 units in 10 系统, about 4,000 members. */
	[SCALE_CITY] = { "city",
	                 0,
	                 0,
	                 1,
	                 107,
	                 10,
	                 { 15, 28, 50, 130 },
	                 { 25, 45, 80, 180 },
	                 { 500, 300, 150, 50 },
	                 12,
	                 30 },
	/* A province: 14 cities of 9 county-level localities, 300 units
	 * each (37,800 units, 1,260 系统), about 106 members a unit. */
	/* One city of the province (a prefecture: 9 localities), 1/14 of
	 * it: for quick runs, and not one of issue 5's scales. */
	[SCALE_PREFECTURE] = { "prefecture",
	                       0,
	                       1,
	                       9,
	                       300,
	                       10,
	                       { 20, 50, 100, 250 },
	                       { 40, 90, 200, 450 },
	                       { 300, 350, 250, 100 },
	                       20,
	                       40 },
	[SCALE_PROVINCE] = { "province",
	                     0,
	                     14,
	                     9,
	                     300,
	                     10,
	                     { 20, 50, 100, 250 },
	                     { 40, 90, 200, 450 },
	                     { 300, 350, 250, 100 },
	                     20,
	                     40 },
	/* A nation shard: two provinces under one root. */
	[SCALE_NATION] = { "nation",
	                   2,
	                   14,
	                   9,
	                   300,
	                   10,
	                   { 20, 50, 100, 250 },
	                   { 40, 90, 200, 450 },
	                   { 300, 350, 250, 100 },
	                   20,
	                   40 },
};

int gen_scale_parse(const char *name)
{
	int i;

	for (i = 0; i < SCALE__MAX; i++)
		if (strcmp(name, scales[i].name) == 0)
			return i;
	return -1;
}

const char *gen_scale_name(enum gen_scale s)
{
	return scales[s].name;
}

/* Purpose tags for rng_for(), so two decisions about the same subject
 * never share a stream. */
enum tag {
	T_UNIT = 1,
	T_MEMBER,
	T_MOVE,
	T_EVENT,
	T_ATTEND,
	T_MAKEUP,
	T_SELF,
	T_NOTES,
	T_REFLECT,
	T_TALK,
	T_OTHER,
	T_ORGREC,
	T_BRANCH,
	T_ERROR,
	T_NAME,
};

/* --- the layout ----------------------------------------------------- */

static int32_t add_org(struct gen *g, size_t *alloc, int32_t parent, int type)
{
	struct gen_org *o;

	if ((size_t)g->norgs + 2 > *alloc) {
		*alloc = *alloc ? *alloc * 2 : 1024;
		g->orgs = xreallocarray(g->orgs, *alloc, sizeof(*g->orgs));
	}
	o = &g->orgs[++g->norgs];
	memset(o, 0, sizeof(*o));
	o->parent = parent;
	o->type = (uint8_t)type;
	o->depth = parent ? (uint8_t)(g->orgs[parent].depth + 1) : 0;
	o->unit = -1;
	if (parent) {
		o->system = g->orgs[parent].system;
		o->unit = g->orgs[parent].unit;
	}
	return g->norgs;
}

/* Which class of member: it decides how they take part. */
enum mclass { MC_NORMAL, MC_FRAIL, MC_AWAY_SHORT, MC_AWAY_LONG, MC_LOST };

static enum mclass member_class(const struct gen_member *m)
{
	if (m->categories & MCAT_BIT(MCAT_LOST))
		return MC_LOST;
	if (m->categories & MCAT_BIT(MCAT_FRAIL))
		return MC_FRAIL;
	if (m->categories & MCAT_BIT(MCAT_MOBILE))
		return m->absence_months >= 6 ? MC_AWAY_LONG : MC_AWAY_SHORT;
	return MC_NORMAL;
}

static void make_member(struct gen *g, int32_t id, int32_t branch, int retired)
{
	struct gen_member *m = &g->members[id];
	struct rng r = rng_for(g->seed, T_MEMBER, (uint64_t)id, 0);
	int y;

	memset(m, 0, sizeof(*m));
	m->branch = m->final_branch = branch;
	m->female = (uint8_t)(id % 2 == 0);
	if (retired) {
		m->categories = MCAT_BIT(MCAT_RETIRED);
		if (rng_ppm(&r, 250000))
			m->categories |= MCAT_BIT(MCAT_FRAIL);
		y = rng_range(&r, 1922, 1944);
	} else {
		m->categories = MCAT_BIT(MCAT_ACTIVE);
		if (rng_ppm(&r, 5000))
			m->categories |= MCAT_BIT(MCAT_FRAIL);
		if (rng_ppm(&r, 40000)) {
			m->categories |= MCAT_BIT(MCAT_MOBILE);
			m->absence_months =
			    (uint8_t)(rng_ppm(&r, 550000)
			                  ? rng_range(&r, 1, 5)
			                  : rng_range(&r, 6, 18));
		}
		if (rng_ppm(&r, 6000))
			m->categories |= MCAT_BIT(MCAT_LOST);
		if (rng_ppm(&r, 20000))
			m->categories |= MCAT_BIT(MCAT_UNEMPLOYED);
		if (rng_ppm(&r, 30000))
			m->categories |= MCAT_BIT(MCAT_NEW_ORG);
		y = rng_range(&r, 1945, 1982);
	}
	m->birth = date_from_ymd(y, rng_range(&r, 1, 12), rng_range(&r, 1, 28));
	y += rng_range(&r, 19, 40);
	if (y > 2004)
		y = 2004;
	m->joined =
	    date_from_ymd(y, rng_range(&r, 1, 12), rng_range(&r, 1, 28));
}

static void layout_unit(struct gen *g, size_t *oalloc, size_t *balloc,
                        int32_t parent, int loc, int k)
{
	const struct scale_def *sd = &scales[g->scale];
	static const int types[] = { ORG_PARTY_GROUP, ORG_PARTY_GROUP,
		                     ORG_COMMITTEE, ORG_WORK_COMMITTEE };
	struct rng r = rng_for(g->seed, T_UNIT, (uint64_t)g->nunits, 0);
	struct gen_unit *u = &g->units[g->nunits];
	int cls, pm, n, nb, ngen, retired, retiree_branch, i, j;
	int32_t id, gen0 = 0;

	/* Stratified: unit k draws from stratum (37k mod units) of [0, 1000),
	 * so every locality gets the size classes in their shares, in an
	 * order that differs between 系统 (37 is prime to 107 and 300). */
	pm = (int)((((int64_t)k * 37 % sd->units) * 1000 +
	            rng_range(&r, 0, 999)) /
	           sd->units);
	for (cls = 0; cls < SIZE_CLASSES - 1; cls++) {
		if (pm < sd->size_pm[cls])
			break;
		pm -= sd->size_pm[cls];
	}
	n = rng_range(&r, sd->size_lo[cls], sd->size_hi[cls]);
	nb = n / rng_range(&r, sd->branch_lo, sd->branch_hi);
	if (nb < 1)
		nb = 1;
	memset(u, 0, sizeof(*u));
	u->system =
	    (int16_t)(loc * sd->systems + k * sd->systems / sd->units + 1);
	pm = rng_range(&r, 0, 999);
	u->diligence = pm < 800 ? 0 : pm < 920 ? 1 : 2;
	u->study_start = g->stage_start + 7 + rng_range(&r, 0, 14);

	id = add_org(g, oalloc, parent, types[rng_below(&r, NELEM(types))]);
	g->orgs[id].is_unit = 1;
	g->orgs[id].system = u->system;
	g->orgs[id].unit = g->nunits;
	u->org = id;
	u->body = add_org(g, oalloc, id, ORG_LEADERSHIP);
	/* Large units group their branches under 党总支 (§3.1). */
	ngen = nb >= 4 ? (nb + 3) / 4 : 0;
	for (i = 0; i < ngen; i++) {
		j = add_org(g, oalloc, id, ORG_GENERAL_BRANCH);
		if (i == 0)
			gen0 = j;
	}
	/* Retired members have a 退休支部 of their own in units of three
	 * branches or more; elsewhere they sit with everyone else. */
	retired = n / 5;
	retiree_branch = nb >= 3;
	u->nbranches = nb;
	u->first_member = g->nmembers + 1;
	u->nmembers = n;
	if ((size_t)g->nbranches + (size_t)nb > *balloc) {
		*balloc = *balloc * 2 + (size_t)nb;
		g->branches =
		    xreallocarray(g->branches, *balloc, sizeof(int32_t));
	}
	u->branch0 = g->nbranches;
	for (i = 0; i < nb; i++) {
		int size, last = i == nb - 1, active = n - retired;
		int32_t b =
		    add_org(g, oalloc, ngen ? gen0 + i % ngen : id, ORG_BRANCH);

		g->branches[g->nbranches++] = b;
		if (retiree_branch)
			size = last ? retired
			            : active / (nb - 1) +
			                  (i < active % (nb - 1) ? 1 : 0);
		else
			size = n / nb + (i < n % nb ? 1 : 0);
		g->orgs[b].first_member = g->nmembers + 1;
		g->orgs[b].nmembers = size;
		for (j = 0; j < size; j++) {
			int32_t mid = ++g->nmembers;
			struct rng mr =
			    rng_for(g->seed, T_MEMBER, (uint64_t)mid, 1);

			make_member(g, mid, b,
			            retiree_branch ? last
			                           : rng_ppm(&mr, 200000));
		}
	}
	/* The 领导班子: the first three active members of the first
	 * branch (书记, 副书记, 委员), all 党员领导干部. */
	for (i = 0, j = u->first_member; i < 3 && j < u->first_member + n;
	     j++) {
		struct gen_member *m = &g->members[j];

		if (m->categories & MCAT_BIT(MCAT_RETIRED))
			continue;
		m->categories = MCAT_BIT(MCAT_ACTIVE) | MCAT_BIT(MCAT_LEADER);
		m->absence_months = 0;
		m->seat = (uint8_t)++i;
	}
	g->nunits++;
}

/* Movements late in the stage (DOMAIN.md registry): 调动 to another
 * branch of the unit or of a unit nearby, 转出, 去世. */
static void plan_movements(struct gen *g)
{
	int32_t id;

	for (id = 1; id <= g->nmembers; id++) {
		struct gen_member *m = &g->members[id];
		struct rng r = rng_for(g->seed, T_MOVE, (uint64_t)id, 0);
		int32_t uidx = g->orgs[m->branch].unit, on;
		const struct gen_unit *u = &g->units[uidx];
		int retired = (m->categories & MCAT_BIT(MCAT_RETIRED)) != 0;
		int pm = rng_range(&r, 0, 999999);

		on = g->stage_start + 35 + rng_range(&r, 0, 24);
		if (pm < 6000 && !m->seat) {
			const struct gen_unit *t = u;

			if (u->nbranches < 2 || rng_ppm(&r, 300000)) {
				int32_t tu = uidx + rng_range(&r, -5, 5);

				if (tu >= 0 && tu < g->nunits)
					t = &g->units[tu];
			}
			m->final_branch =
			    g->branches[t->branch0 +
			                rng_below(&r, (uint32_t)t->nbranches)];
			if (m->final_branch == m->branch)
				continue;
			m->move_kind = MOVE_WITHIN;
		} else if (pm < 8000 && !m->seat) {
			m->move_kind = MOVE_OUT;
			m->left_on = on;
		} else if (pm < 8000 + (retired ? 2000 : 200) && !m->seat) {
			m->move_kind = MOVE_DEATH;
			m->left_on = on;
		} else {
			continue;
		}
		m->move_on = on;
		g->nmovements++;
	}
}

struct gen *gen_new(enum gen_scale scale, uint64_t seed)
{
	const struct scale_def *sd = &scales[scale];
	struct gen *g = xcalloc(1, sizeof(*g));
	size_t oalloc = 0, balloc = 0, malloc_n;
	int nprov = sd->provinces ? sd->provinces : 1;
	int ncity = sd->cities ? sd->cities : 1;
	int p, c, l, k, loc = 0;
	int32_t root, prov, city, lid;

	g->scale = scale;
	g->seed = seed;
	g->stage_start = date_from_ymd(2005, 1, 10);
	g->stage_end = date_from_ymd(2005, 3, 10);
	g->nlocalities = nprov * ncity * sd->localities;
	g->nsystems = g->nlocalities * sd->systems;
	g->units = xcalloc((size_t)g->nlocalities * (size_t)sd->units,
	                   sizeof(*g->units));
	/* Members: at most the largest class for every unit. */
	malloc_n = (size_t)g->nlocalities * (size_t)sd->units *
	               (size_t)sd->size_hi[SIZE_CLASSES - 1] +
	           1;
	g->members = xcalloc(malloc_n, sizeof(*g->members));

	root = add_org(g, &oalloc, 0, ORG_COMMITTEE);
	for (p = 0; p < nprov; p++) {
		prov = sd->provinces ? add_org(g, &oalloc, root, ORG_COMMITTEE)
		                     : root;
		for (c = 0; c < ncity; c++) {
			city = sd->cities
			           ? add_org(g, &oalloc, prov, ORG_COMMITTEE)
			           : prov;
			for (l = 0; l < sd->localities; l++, loc++) {
				lid = sd->cities ? add_org(g, &oalloc, city,
				                           ORG_COMMITTEE)
				                 : city;
				for (k = 0; k < sd->units; k++)
					layout_unit(g, &oalloc, &balloc, lid,
					            loc, k);
			}
		}
	}
	g->members = xreallocarray(g->members, (size_t)g->nmembers + 1,
	                           sizeof(*g->members));
	plan_movements(g);
	return g;
}

void gen_free(struct gen *g)
{
	if (g == NULL)
		return;
	free(g->orgs);
	free(g->members);
	free(g->units);
	free(g->branches);
	free(g);
}

/* --- names ------------------------------------------------------------ */

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
	"徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
	"郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
};
static const char *const given[] = {
	"建国", "秀英", "志强", "桂兰", "海燕", "卫东", "红梅", "国庆",
	"建华", "丽娟", "德明", "淑珍", "春生", "玉兰", "文斌", "爱华",
	"永红", "新民", "晓东", "雪梅", "立新", "金凤", "振华", "小平",
	"伟",   "静",   "军",   "敏",   "勇",   "芳",   "磊",   "霞",
};
static const char *const depts[] = {
	"教育局",     "卫生局",     "公安局",   "财政局",     "民政局",
	"司法局",     "农业局",     "林业局",   "水利局",     "交通局",
	"建设局",     "国土资源局", "环保局",   "统计局",     "审计局",
	"人事局",     "劳动局",     "文化局",   "广播电视局", "体育局",
	"工商局",     "税务局",     "物价局",   "粮食局",     "商务局",
	"人民法院",   "人民检察院", "人民医院", "中医院",     "第一中学",
	"第二中学",   "职业中专",   "供销社",   "信用联社",   "电力公司",
	"自来水公司", "经济开发区", "工业园",   "乡镇企业局", "档案局",
};

/* The locality and the number of a unit within it, from its index. */
static void unit_place(const struct gen *g, int32_t uidx, int *loc, int *k)
{
	int per = scales[g->scale].units;

	*loc = uidx / per;
	*k = uidx % per;
}

static void locality_name(const struct gen *g, int loc, char *buf, size_t size)
{
	const struct scale_def *sd = &scales[g->scale];

	if (!sd->cities)
		snprintf(buf, size, "示范市");
	else
		snprintf(buf, size, "第%d市第%d县", loc / sd->localities + 1,
		         loc % sd->localities + 1);
}

void gen_org_name(const struct gen *g, int32_t id, char *buf, size_t size)
{
	const struct gen_org *o = &g->orgs[id];
	char loc[64], unit[128];
	int l, k;
	int32_t i;

	if (o->unit < 0) {
		/* Above the units: 省委, 市委, 县委. */
		snprintf(buf, size, "中共第%d级第%d委员会", o->depth + 1, id);
		if (id == 1)
			snprintf(buf, size, "%s",
			         g->scale == SCALE_CITY ? "中共示范市委员会"
			                                : "中共示范省委员会");
		return;
	}
	unit_place(g, o->unit, &l, &k);
	locality_name(g, l, loc, sizeof(loc));
	if (k < (int)NELEM(depts))
		snprintf(unit, sizeof(unit), "%s%s", loc, depts[k]);
	else
		snprintf(unit, sizeof(unit), "%s第%d基层单位", loc, k + 1);
	switch (o->type) {
	case ORG_LEADERSHIP:
		snprintf(buf, size, "%s领导班子", unit);
		break;
	case ORG_GENERAL_BRANCH:
		snprintf(buf, size, "%s党总支(%d)", unit, id);
		break;
	case ORG_BRANCH:
		for (i = 0; i < g->units[o->unit].nbranches; i++)
			if (g->branches[g->units[o->unit].branch0 + i] == id)
				break;
		snprintf(buf, size, "%s第%d党支部", unit, (int)i + 1);
		break;
	default:
		snprintf(buf, size, "%s%s", unit,
		         o->type == ORG_PARTY_GROUP ? "党组" : "党委");
	}
}

void gen_org_code(const struct gen *g, int32_t id, char *buf, size_t size)
{
	(void)g;
	snprintf(buf, size, "B%07d", (int)id);
}

void gen_member_name(const struct gen *g, int32_t id, char *buf, size_t size)
{
	struct rng r = rng_for(g->seed, T_NAME, (uint64_t)id, 0);
	const char *s = surnames[rng_below(&r, NELEM(surnames))];

	snprintf(buf, size, "%s%s", s, given[rng_below(&r, NELEM(given))]);
}

/* GB 11643: 6-digit region, birth date, 3-digit order (odd: male),
 * check character. Region 43xxxx and the order come from the id, so no
 * two members share a number (ids below 10,000,000). */
void gen_member_idnum(const struct gen *g, int32_t id, char *buf19)
{
	const struct gen_member *m = &g->members[id];
	unsigned uid = (unsigned)id, order = uid % 500 * 2 + !m->female;
	char tmp[64];
	int y, mo, d;

	date_to_ymd(m->birth, &y, &mo, &d);
	snprintf(tmp, sizeof(tmp), "%02u%04u%04u%02u%02u%03u",
	         43 + uid / 500 / 10000 % 50, uid / 500 % 10000,
	         (unsigned)y % 10000, (unsigned)mo % 100, (unsigned)d % 100,
	         order % 1000);
	memcpy(buf19, tmp, 17);
	buf19[17] = idnum_check_char(buf19);
	buf19[18] = '\0';
}

const char *gen_system_name(int32_t id, char *buf, size_t size)
{
	static const char *const names[] = {
		"党群系统", "政法系统",     "经济系统", "农业农村系统",
		"教育系统", "卫生系统",     "城建系统", "财贸系统",
		"工交系统", "文化旅游系统",
	};

	snprintf(buf, size, "%s(%d)", names[(id - 1) % 10], (int)id);
	return buf;
}

/* --- the record stream ---------------------------------------------- */

enum ev_type {
	EV_SESSION,
	EV_MAKEUP,
	EV_SELF,
	EV_NOTES,
	EV_REFLECT,
	EV_TALK,
	EV_BADGE,
	EV_SERVICE,
	EV_MAILED,
	EV_CONTACT,
	EV_MOBILISE,
	EV_BRANCH_MOB,
	EV_LECTURE,
	EV_DISCUSS,
	EV_COLUMN,
	EV_EXHIBIT,
	EV_EXCHANGE,
	EV_OPINION,
	EV__MAX
};

/* How many of each event a unit has. */
static const int ev_count[EV__MAX] = {
	[EV_SESSION] = 10, [EV_MAKEUP] = 3,   [EV_SELF] = 8,
	[EV_NOTES] = 5,    [EV_REFLECT] = 1,  [EV_TALK] = 4,
	[EV_BADGE] = 1,    [EV_SERVICE] = 1,  [EV_MAILED] = 2,
	[EV_CONTACT] = 3,  [EV_MOBILISE] = 1, [EV_BRANCH_MOB] = 1,
	[EV_LECTURE] = 6,  [EV_DISCUSS] = 1,  [EV_COLUMN] = 2,
	[EV_EXHIBIT] = 1,  [EV_EXCHANGE] = 1, [EV_OPINION] = 4,
};

/* Days (entry lag) are small, so an event fits in 12 bytes. */
struct event {
	int32_t unit;
	uint8_t type, idx;
	int16_t happened; /* days after stage_start */
	int16_t entered;
};

/* Probabilities in ppm by unit diligence (diligent, average, slack). */
static const int p_miss_session[3] = { 40000, 80000, 150000 };
static const int p_no_makeup[3] = { 1000, 20000, 100000 };
static const int p_miss_note[3] = { 100, 2000, 30000 };
static const int p_miss_reflect[3] = { 100, 1500, 15000 };
static const int p_short_reflect[3] = { 100, 1500, 15000 };
static const int p_no_mobilise[3] = { 0, 20000, 100000 };
static const int p_no_lecture[6][3] = {
	{ 5000, 30000, 150000 },   /* 党课 */
	{ 50000, 100000, 200000 }, /* 辅导课 */
	{ 50000, 150000, 300000 }, /* 辅导课 */
	{ 20000, 80000, 200000 },  /* 先进事迹报告会 */
	{ 5000, 20000, 80000 },    /* 形势报告会 */
	{ 20000, 100000, 300000 }, /* the second 形势报告会 */
};
static const int lecture_type[6] = { 0, 1, 1, 2, 3, 3 };
static const int p_short_discussion[3] = { 20000, 100000, 300000 };
static const int p_short_speaking[3] = { 10000, 50000, 200000 };
/* Late for a session (3.5 hours entered, 40 no longer reached). */
static const int p_late_arrival[3] = { 0, 500, 3000 };
/* 流动党员 away less than half a year must come back (§3.3); most make
 * up what they missed, and write their notes and reflection. */
static const int p_away_no_makeup[3] = { 5000, 50000, 300000 };
static const int p_away_miss_note[3] = { 1000, 10000, 50000 };
/* Those away half a year or more are sent the materials (DOMAIN.md §17
 * A12) and post back their notes and reflection. */
static const int p_away_long_miss[3] = { 5000, 20000, 100000 };
/* A typo never corrected (diligent secretaries correct all). */
static const int p_typo_kept[3] = { 0, 20000, 200000 };

/* Secretaries: late entries, duplicates and typos (ppm of records). */
#define P_LATE 10000
#define P_DUP 12000
#define P_DUP_WITHDRAWN 850000
#define P_TYPO 18000

/* A record waiting for its entry day: entered late, or a correction. */
struct pending {
	int64_t supersedes;
	int32_t org, member;
	int32_t v[GEN_FIELDS_MAX];
	int16_t happened;
	uint8_t kind, voided;
};

struct pend_day {
	struct pending *p;
	size_t n, alloc;
};

struct run {
	struct gen *g;
	const struct gen_sink *sink;
	int64_t next_id;
	int day; /* entry day being emitted, days after stage_start */
	struct pend_day *pend;
	int ndays;
	int stop;
};

static void unit_events(const struct gen *g, int32_t uidx, struct event *ev)
{
	const struct gen_unit *u = &g->units[uidx];
	int s = u->study_start - g->stage_start, t, i, n = 0, h;
	struct rng r = rng_for(g->seed, T_EVENT, (uint64_t)uidx, 0);
	int lag_hi = u->diligence == 0 ? 1 : u->diligence == 1 ? 3 : 6;

	for (t = 0; t < EV__MAX; t++) {
		for (i = 0; i < ev_count[t]; i++) {
			switch (t) {
			case EV_SESSION:
				h = s + i / 2;
				break;
			case EV_MAKEUP:
				h = s + 7 + 7 * i;
				break;
			case EV_SELF:
				h = 7 * i + 6;
				break;
			case EV_NOTES:
				h = s + 3 + 7 * i;
				break;
			case EV_REFLECT:
				h = s + 21 + rng_range(&r, 0, 6);
				break;
			case EV_TALK:
				h = s + 14 + 7 * i;
				break;
			case EV_BADGE:
				h = s + 2;
				break;
			case EV_SERVICE:
				h = s + 20;
				break;
			case EV_MAILED:
				h = s + 1 + 14 * i;
				break;
			case EV_CONTACT:
				h = 5 + 14 * i;
				break;
			case EV_MOBILISE:
				h = rng_range(&r, 2, 5);
				break;
			case EV_BRANCH_MOB:
				h = 6;
				break;
			case EV_LECTURE: {
				static const int off[6] = {
					0, 2, 3, 4, 10, 24
				};

				h = s + off[i];
				break;
			}
			case EV_DISCUSS:
				h = s + 28 + rng_range(&r, 0, 7);
				break;
			case EV_COLUMN:
				h = s + 5 + 14 * i;
				break;
			case EV_EXHIBIT:
				h = s + 33;
				break;
			case EV_EXCHANGE:
				h = s + 30;
				break;
			default: /* EV_OPINION */
				h = s + 14 + 3 * i;
				break;
			}
			if (h > g->stage_end - g->stage_start)
				h = g->stage_end - g->stage_start;
			ev[n].unit = uidx;
			ev[n].type = (uint8_t)t;
			ev[n].idx = (uint8_t)i;
			ev[n].happened = (int16_t)h;
			ev[n].entered = (int16_t)(h + rng_range(&r, 0, lag_hi));
			n++;
		}
	}
}

static void pend_push(struct run *R, int day, const struct pending *p)
{
	struct pend_day *d;

	if (day >= R->ndays)
		day = R->ndays - 1;
	d = &R->pend[day];
	if (d->n == d->alloc) {
		d->alloc = d->alloc ? d->alloc * 2 : 256;
		d->p = xreallocarray(d->p, d->alloc, sizeof(*d->p));
	}
	d->p[d->n++] = *p;
}

static void rec_finish(struct run *R, struct gen_rec *r)
{
	const struct gen_kind_def *k = &gen_kinds[r->kind];
	int f;

	for (f = 0; f < k->nfields; f++)
		r->t[f] = k->fields[f].type == GF_TEXT && r->v[f] >= 0
		              ? k->fields[f].values[r->v[f]]
		              : NULL;
	for (; f < GEN_FIELDS_MAX; f++) {
		r->v[f] = -1;
		r->t[f] = NULL;
	}
	r->id = ++R->next_id;
	r->entered = R->g->stage_start + R->day;
	r->entered_sec = 3600 + (int)(mix(R->g->seed, (uint64_t)r->id) % 32400);
}

static void to_pending(const struct gen_rec *r, struct pending *p,
                       int32_t stage_start)
{
	int f;

	memset(p, 0, sizeof(*p));
	p->org = r->org;
	p->member = r->member;
	p->kind = (uint8_t)r->kind;
	p->happened = (int16_t)(r->happened - stage_start);
	for (f = 0; f < GEN_FIELDS_MAX; f++)
		p->v[f] = (int32_t)r->v[f];
}

static void from_pending(const struct pending *p, struct gen_rec *r,
                         int32_t stage_start)
{
	int f;

	memset(r, 0, sizeof(*r));
	r->org = p->org;
	r->member = p->member;
	r->kind = (enum gen_kind)p->kind;
	r->happened = stage_start + p->happened;
	r->supersedes = p->supersedes;
	r->voided = p->voided;
	for (f = 0; f < GEN_FIELDS_MAX; f++)
		r->v[f] = p->v[f];
}

static void sink_rec(struct run *R, struct gen_rec *r)
{
	if (R->stop)
		return;
	rec_finish(R, r);
	R->g->nrecords++;
	R->stop = R->sink->record(R->sink->ctx, r);
}

/* The field a typo hits: the first numeric one. */
static int typo_field(enum gen_kind k)
{
	switch (k) {
	case GK_STUDY_ATTENDANCE:
	case GK_SELF_STUDY:
	case GK_STUDY_NOTES:
	case GK_REFLECTION:
		return 0;
	case GK_DISCUSSION:
		return 2;
	default:
		return -1;
	}
}

/*
 * Emit one record as a secretary enters it: perhaps late (queued for a
 * later day), perhaps with a typo corrected later, perhaps twice with the
 * duplicate withdrawn later.
 */
static void emit(struct run *R, struct gen_rec *r, int may_be_late)
{
	struct rng e = rng_for(R->g->seed, T_ERROR, R->next_id + 1,
	                       (uint64_t)r->member * 64 + r->kind);
	int32_t start = R->g->stage_start;
	struct pending p;
	int tf = typo_field(r->kind);
	int dil = R->g->units[R->g->orgs[r->org].unit].diligence;

	if (may_be_late && rng_ppm(&e, P_LATE)) {
		to_pending(r, &p, start);
		pend_push(R, R->day + rng_range(&e, 4, 14), &p);
		return;
	}
	if (tf >= 0 && rng_ppm(&e, P_TYPO)) {
		struct gen_rec right = *r;

		r->v[tf] = r->v[tf] / 10;
		sink_rec(R, r);
		if (!rng_ppm(&e, p_typo_kept[dil])) {
			to_pending(&right, &p, start);
			p.supersedes = r->id;
			pend_push(R, R->day + rng_range(&e, 1, 10), &p);
		}
		return;
	}
	sink_rec(R, r);
	if (rng_ppm(&e, P_DUP)) {
		struct gen_rec dup = *r;

		sink_rec(R, &dup);
		if (rng_ppm(&e, P_DUP_WITHDRAWN)) {
			to_pending(&dup, &p, start);
			p.supersedes = dup.id;
			p.voided = 1;
			pend_push(R, R->day + rng_range(&e, 1, 10), &p);
		}
	}
}

static void rec_init(struct gen_rec *r, enum gen_kind k, int32_t org,
                     int32_t member, int32_t happened)
{
	int f;

	memset(r, 0, sizeof(*r));
	r->kind = k;
	r->org = org;
	r->member = member;
	r->happened = happened;
	for (f = 0; f < GEN_FIELDS_MAX; f++)
		r->v[f] = -1;
}

/* The branch a member was in on day d. */
static int32_t branch_on(const struct gen_member *m, int32_t d)
{
	return m->move_on && m->move_kind == MOVE_WITHIN && d >= m->move_on
	           ? m->final_branch
	           : m->branch;
}

static int missed(const struct gen *g, int32_t id, int s, int miss_ppm)
{
	struct rng r = rng_for(g->seed, T_ATTEND, (uint64_t)id, (uint64_t)s);

	return rng_ppm(&r, miss_ppm);
}

static int session_miss_ppm(enum mclass c, int dil)
{
	switch (c) {
	case MC_NORMAL:
		return p_miss_session[dil];
	case MC_FRAIL:
		return 700000;
	case MC_AWAY_SHORT:
		return 500000;
	default:
		return 1000000;
	}
}

/* The member events of one unit event, member by member. */
static void member_event(struct run *R, const struct event *ev)
{
	const struct gen *g = R->g;
	const struct gen_unit *u = &g->units[ev->unit];
	int dil = u->diligence, s, ppm;
	int32_t id, end = u->first_member + u->nmembers;
	struct gen_rec r;

	for (id = u->first_member; id < end && !R->stop; id++) {
		const struct gen_member *m = &g->members[id];
		enum mclass c = member_class(m);
		int32_t h = g->stage_start + ev->happened;
		struct rng x;

		if (m->left_on && h >= m->left_on)
			continue;
		switch (ev->type) {
		case EV_SESSION:
			if (missed(g, id, ev->idx, session_miss_ppm(c, dil)))
				break;
			x = rng_for(g->seed, T_ATTEND, (uint64_t)id,
			            100 + ev->idx);
			rec_init(&r, GK_STUDY_ATTENDANCE, branch_on(m, h), id,
			         h);
			r.v[0] = rng_ppm(&x, p_late_arrival[dil]) ? 350 : 400;
			r.v[1] = ev->idx % 4;
			r.v[2] = 0;
			emit(R, &r, 1);
			break;
		case EV_MAKEUP:
			if (c == MC_NORMAL)
				ppm = p_no_makeup[dil];
			else if (c == MC_AWAY_SHORT)
				ppm = p_away_no_makeup[dil];
			else
				break;
			for (s = 0; s < ev_count[EV_SESSION]; s++) {
				if (!missed(g, id, s, session_miss_ppm(c, dil)))
					continue;
				x = rng_for(g->seed, T_MAKEUP, (uint64_t)id,
				            (uint64_t)s);
				if (rng_ppm(&x, ppm) ||
				    (int)rng_below(&x, 3) != ev->idx)
					continue;
				rec_init(&r, GK_STUDY_ATTENDANCE,
				         branch_on(m, h), id, h);
				r.v[0] = 400;
				r.v[1] = 4;
				r.v[2] = 1;
				emit(R, &r, 1);
			}
			break;
		case EV_SELF:
			x = rng_for(g->seed, T_SELF, (uint64_t)id, ev->idx);
			if (c == MC_LOST ||
			    !rng_ppm(&x, c == MC_FRAIL ? 100000 : 650000))
				break;
			h -= rng_range(&x, 0, 5);
			rec_init(&r, GK_SELF_STUDY, branch_on(m, h), id, h);
			r.v[0] = 50 * rng_range(&x, 2, 8);
			emit(R, &r, 1);
			break;
		case EV_NOTES:
			x = rng_for(g->seed, T_NOTES, (uint64_t)id, ev->idx);
			ppm = c == MC_NORMAL       ? p_miss_note[dil]
			      : c == MC_FRAIL      ? 700000
			      : c == MC_AWAY_SHORT ? p_away_miss_note[dil]
			      : c == MC_AWAY_LONG  ? p_away_long_miss[dil]
			                           : 1000000;
			if (rng_ppm(&x, ppm))
				break;
			rec_init(&r, GK_STUDY_NOTES, branch_on(m, h), id, h);
			r.v[0] = 100 * rng_range(&x, 2000, 2800);
			r.v[1] = rng_ppm(&x, 850000);
			emit(R, &r, 1);
			break;
		case EV_REFLECT:
			x = rng_for(g->seed, T_REFLECT, (uint64_t)id, 0);
			ppm = c == MC_NORMAL      ? p_miss_reflect[dil]
			      : c == MC_FRAIL     ? 600000
			      : c == MC_AWAY_LONG ? p_away_long_miss[dil]
			      : c == MC_LOST      ? 1000000
			                          : p_away_miss_note[dil];
			if (rng_ppm(&x, ppm))
				break;
			rec_init(&r, GK_REFLECTION, branch_on(m, h), id, h);
			r.v[0] = 100 * (rng_ppm(&x, p_short_reflect[dil])
			                    ? rng_range(&x, 2400, 2990)
			                    : rng_range(&x, 3000, 5200));
			r.v[1] = rng_below(&x, 3);
			r.v[2] = rng_ppm(&x, 800000);
			emit(R, &r, 1);
			break;
		case EV_TALK: {
			const struct gen_org *b = &g->orgs[m->branch];

			x = rng_for(g->seed, T_TALK, (uint64_t)id, ev->idx);
			if (c == MC_LOST || c == MC_AWAY_LONG ||
			    b->nmembers < 2 || !rng_ppm(&x, 600000))
				break;
			rec_init(&r, GK_TALK, branch_on(m, h), id, h);
			do
				r.v[0] = b->first_member +
				         rng_below(&x, (uint32_t)b->nmembers);
			while (r.v[0] == id);
			emit(R, &r, 1);
			break;
		}
		case EV_BADGE:
			x = rng_for(g->seed, T_OTHER, (uint64_t)id, 1);
			if (c != MC_NORMAL || !rng_ppm(&x, 900000))
				break;
			rec_init(&r, GK_BADGE_CHECK, branch_on(m, h), id, h);
			r.v[0] = rng_ppm(&x, 50000);
			emit(R, &r, 1);
			break;
		case EV_SERVICE:
			x = rng_for(g->seed, T_OTHER, (uint64_t)id, 2);
			if (c != MC_NORMAL || !rng_ppm(&x, 300000))
				break;
			rec_init(&r, GK_SERVICE_CARD, branch_on(m, h), id, h);
			r.v[0] = rng_below(&x, 3);
			emit(R, &r, 1);
			break;
		case EV_MAILED:
			x = rng_for(g->seed, T_OTHER, (uint64_t)id,
			            3 + ev->idx);
			if (!(c == MC_AWAY_LONG ||
			      (c == MC_AWAY_SHORT && ev->idx == 0 &&
			       rng_ppm(&x, 500000))))
				break;
			rec_init(&r, GK_MAILED_MATERIALS, branch_on(m, h), id,
			         h);
			r.v[0] = 0;
			emit(R, &r, 1);
			break;
		default: /* EV_CONTACT */
			x = rng_for(g->seed, T_OTHER, (uint64_t)id,
			            5 + ev->idx);
			if (c != MC_LOST || !rng_ppm(&x, 800000))
				break;
			rec_init(&r, GK_CONTACT_ATTEMPT, branch_on(m, h), id,
			         h);
			r.v[0] = rng_below(&x, 3);
			emit(R, &r, 1);
			break;
		}
	}
}

/* Members of branch b still there on day d. */
static int branch_present(const struct gen *g, int32_t b, int32_t d)
{
	const struct gen_org *o = &g->orgs[b];
	int32_t id;
	int n = 0;

	for (id = o->first_member; id < o->first_member + o->nmembers; id++)
		if (!g->members[id].left_on || d < g->members[id].left_on)
			n++;
	return n;
}

static void org_event(struct run *R, const struct event *ev)
{
	const struct gen *g = R->g;
	const struct gen_unit *u = &g->units[ev->unit];
	int dil = u->diligence, i;
	int32_t h = g->stage_start + ev->happened;
	struct rng x = rng_for(g->seed, T_ORGREC, (uint64_t)ev->unit,
	                       (uint64_t)ev->type * 64 + ev->idx);
	struct gen_rec r;

	switch (ev->type) {
	case EV_MOBILISE:
		if (rng_ppm(&x, p_no_mobilise[dil]))
			return;
		rec_init(&r, GK_MOBILISATION, u->org, 0, h);
		r.v[0] = 0;
		emit(R, &r, 0);
		return;
	case EV_LECTURE:
		if (rng_ppm(&x, p_no_lecture[ev->idx][dil]))
			return;
		rec_init(&r, GK_LECTURE, rng_ppm(&x, 300000) ? u->body : u->org,
		         0, h);
		r.v[0] = lecture_type[ev->idx];
		r.v[1] = u->first_member;
		r.v[2] = rng_below(&x, 3);
		emit(R, &r, 0);
		return;
	case EV_COLUMN:
	case EV_EXHIBIT:
	case EV_EXCHANGE:
	case EV_OPINION:
		if (!rng_ppm(&x, ev->type == EV_COLUMN ? 800000 : 700000))
			return;
		rec_init(&r,
		         ev->type == EV_COLUMN     ? GK_STUDY_COLUMN
		         : ev->type == EV_EXHIBIT  ? GK_NOTES_EXHIBITION
		         : ev->type == EV_EXCHANGE ? GK_STUDY_EXCHANGE
		                                   : GK_OPINION_EVENT,
		         u->org, 0, h);
		if (ev->type == EV_OPINION) {
			r.v[0] = rng_below(&x, 8);
			r.v[1] = 100 * rng_range(&x, 10, 300);
		} else {
			r.v[0] = ev->type == EV_COLUMN ? ev->idx : 0;
		}
		emit(R, &r, 0);
		return;
	default:
		break;
	}
	/* Per branch: 支部大会 and 专题大讨论. */
	for (i = 0; i < u->nbranches && !R->stop; i++) {
		int32_t b = g->branches[u->branch0 + i];
		struct rng y =
		    rng_for(g->seed, T_BRANCH, (uint64_t)b, ev->type);
		int n, part, speak;

		if (ev->type == EV_BRANCH_MOB) {
			if (!rng_ppm(&y, 700000))
				continue;
			rec_init(&r, GK_MOBILISATION, b, 0, h);
			r.v[0] = 1;
			emit(R, &r, 0);
			continue;
		}
		n = branch_present(g, b, h);
		part = n;
		if (rng_ppm(&y, p_short_discussion[dil]))
			part = n - rng_range(&y, 1, 3);
		if (part < 0)
			part = 0;
		speak = rng_ppm(&y, p_short_speaking[dil])
		            ? part - rng_range(&y, 1, 2)
		            : part;
		if (speak < 0)
			speak = 0;
		rec_init(&r, GK_DISCUSSION, b, 0, h);
		r.v[0] = rng_below(&y, 6);
		r.v[1] = 100 * n;
		r.v[2] = 100 * part;
		r.v[3] = 100 * speak;
		emit(R, &r, 0);
	}
}

static int movement_out(struct run *R, int32_t id)
{
	const struct gen_member *m = &R->g->members[id];
	struct gen_move mv;

	mv.member = id;
	mv.kind = m->move_kind;
	mv.on = m->move_on;
	mv.from_org = m->branch;
	mv.to_org = m->move_kind == MOVE_WITHIN ? m->final_branch : 0;
	return R->sink->movement(R->sink->ctx, &mv);
}

int gen_run(struct gen *g, const struct gen_sink *sink)
{
	struct run R;
	struct event *ev;
	size_t nev = 0, i, *start;
	int32_t *moves, u, id;
	size_t *mstart;
	int d, per_unit = 0, t;
	struct gen_rec r;

	for (t = 0; t < EV__MAX; t++)
		per_unit += ev_count[t];
	memset(&R, 0, sizeof(R));
	R.g = g;
	R.sink = sink;
	/* Entry days: the stage, a week of late entries, the corrections
	 * of those and some slack. */
	R.ndays = g->stage_end - g->stage_start + 40;
	R.pend = xcalloc((size_t)R.ndays, sizeof(*R.pend));
	g->nrecords = 0;

	/* Every unit event, bucketed by entry day (a counting sort keeps
	 * the unit order within a day). */
	{
		struct event *all =
		    xcalloc((size_t)g->nunits * per_unit, sizeof(*all));

		for (u = 0; u < g->nunits; u++)
			unit_events(g, u, all + (size_t)u * per_unit);
		nev = (size_t)g->nunits * per_unit;
		start = xcalloc((size_t)R.ndays + 1, sizeof(*start));
		for (i = 0; i < nev; i++)
			start[all[i].entered + 1]++;
		for (d = 0; d < R.ndays; d++)
			start[d + 1] += start[d];
		ev = xcalloc(nev, sizeof(*ev));
		for (i = 0; i < nev; i++)
			ev[start[all[i].entered]++] = all[i];
		free(all);
		/* start[d] is now the end of day d: shift back. */
		for (d = R.ndays; d > 0; d--)
			start[d] = start[d - 1];
		start[0] = 0;
	}
	/* Movements, bucketed by date the same way. */
	mstart = xcalloc((size_t)R.ndays + 1, sizeof(*mstart));
	moves = xcalloc((size_t)g->nmovements + 1, sizeof(*moves));
	for (id = 1; id <= g->nmembers; id++)
		if (g->members[id].move_on)
			mstart[g->members[id].move_on - g->stage_start + 1]++;
	for (d = 0; d < R.ndays; d++)
		mstart[d + 1] += mstart[d];
	for (id = 1; id <= g->nmembers; id++)
		if (g->members[id].move_on)
			moves[mstart[g->members[id].move_on -
			             g->stage_start]++] = id;
	for (d = R.ndays; d > 0; d--)
		mstart[d] = mstart[d - 1];
	mstart[0] = 0;

	for (d = 0; d < R.ndays && !R.stop; d++) {
		struct pend_day *pd = &R.pend[d];

		R.day = d;
		for (i = mstart[d]; i < mstart[d + 1] && !R.stop; i++)
			R.stop = movement_out(&R, moves[i]);
		for (i = start[d]; i < start[d + 1] && !R.stop; i++) {
			if (ev[i].type < EV_MOBILISE)
				member_event(&R, &ev[i]);
			else
				org_event(&R, &ev[i]);
		}
		/* Late entries and corrections due today. New ones only
		 * ever go to later days. */
		for (i = 0; i < pd->n && !R.stop; i++) {
			from_pending(&pd->p[i], &r, g->stage_start);
			if (r.supersedes)
				sink_rec(&R, &r);
			else
				emit(&R, &r, 0);
		}
		free(pd->p);
		pd->p = NULL;
	}
	for (d = 0; d < R.ndays; d++)
		free(R.pend[d].p);
	free(R.pend);
	free(ev);
	free(start);
	free(moves);
	free(mstart);
	return R.stop;
}

/* --- payloads ----------------------------------------------------- */

static int put(char *buf, size_t size, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int put(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size - *len)
		return -1;
	*len += (size_t)n;
	return 0;
}

/* Hundredths as a JSON number: 400 -> 4, 350 -> 3.5, 325 -> 3.25. */
static int put_centi(char *buf, size_t size, size_t *len, int64_t v)
{
	if (v % 100 == 0)
		return put(buf, size, len, "%lld", (long long)(v / 100));
	if (v % 10 == 0)
		return put(buf, size, len, "%lld.%lld", (long long)(v / 100),
		           (long long)(v % 100 / 10));
	return put(buf, size, len, "%lld.%02lld", (long long)(v / 100),
	           (long long)(v % 100));
}

int gen_payload_json(const struct gen_rec *r, char *buf, size_t size)
{
	const struct gen_kind_def *k = &gen_kinds[r->kind];
	size_t len = 0;
	int f, first = 1, rc = 0;

	rc |= put(buf, size, &len, "{");
	for (f = 0; f < k->nfields; f++) {
		const struct gen_field *fd = &k->fields[f];

		if (r->v[f] < 0)
			continue;
		rc |= put(buf, size, &len, "%s\"%s\":", first ? "" : ",",
		          fd->name);
		first = 0;
		switch (fd->type) {
		case GF_NUMBER:
		case GF_ZISHU:
			rc |= put_centi(buf, size, &len, r->v[f]);
			break;
		case GF_MEMBER:
			rc |= put(buf, size, &len, "%lld", (long long)r->v[f]);
			break;
		default: /* the texts and values have no quote or backslash */
			rc |=
			    put(buf, size, &len, "\"%s\"", fd->values[r->v[f]]);
			break;
		}
	}
	if (r->voided)
		rc |=
		    put(buf, size, &len, "%s\"voided\":true", first ? "" : ",");
	rc |= put(buf, size, &len, "}");
	return rc ? -1 : (int)len;
}
