/*
 * records.c - the demo campaign's stage-1 records, up to DEMO_TODAY.
 *
 * Every unit holds its 封闭式学习 as 8-hour study days, one a week from
 * 2005-01-17 with the Spring Festival week off, so by DEMO_TODAY a typical
 * unit has held four (32 of the 40 hours), a keen one five and a slow one
 * three. Members miss days (请假, 病假, 外出) and some make them up (补课);
 * notes and reflections are partly written; 两课两会, discussions and
 * opinion solicitation are held by some units and not others; a few
 * entries are late and a few are corrected. So `xianjiao status` has
 * something true to say about every unit, and `explain` names who is
 * behind and by how much.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/demo.h"
#include "xianjiao/store.h"

struct dmember {
	int64_t id, branch;
	uint32_t cats;
	int away;
};

struct dorg {
	int64_t id, parent;
	enum org_type type;
	int is_unit;
	int64_t unit; /* nearest unit, 0 if none */
};

struct rgen {
	struct store *st;
	struct xj_error *err;
	struct rng r;
	int64_t campaign_id;
	int32_t today;
	struct dorg *org;
	int64_t norg, caporg;
	struct dmember *mem;
	size_t nmem, capmem;
	struct demo_records_summary sum;
};

static int take_org(void *ctx, const struct scan_org *o)
{
	struct rgen *g = ctx;

	if (o->id >= g->caporg) {
		int64_t cap = g->caporg ? g->caporg : 256;

		while (cap <= o->id)
			cap *= 2;
		g->org = xreallocarray(g->org, (size_t)cap, sizeof(*g->org));
		memset(g->org + g->caporg, 0,
		       (size_t)(cap - g->caporg) * sizeof(*g->org));
		g->caporg = cap;
	}
	if (o->id > g->norg)
		g->norg = o->id;
	g->org[o->id].id = o->id;
	g->org[o->id].parent = o->parent_id;
	g->org[o->id].type = o->type;
	g->org[o->id].is_unit = o->is_unit;
	g->org[o->id].unit =
	    o->is_unit ? o->id : (o->parent_id ? g->org[o->parent_id].unit : 0);
	return 0;
}

static int take_member(void *ctx, const struct scan_member *m)
{
	struct rgen *g = ctx;

	if (m->org_id == 0)
		return 0;
	xgrow((void **)&g->mem, &g->capmem, g->nmem + 1, sizeof(*g->mem));
	g->mem[g->nmem].id = m->id;
	g->mem[g->nmem].branch = m->org_id;
	g->mem[g->nmem].cats = m->categories;
	g->mem[g->nmem].away = m->absence_months;
	g->nmem++;
	return 0;
}

/* Entered at 10:00 Beijing time, delay days after the day it happened. */
static time_t entered(int32_t day, int delay)
{
	return (time_t)(day + delay) * 86400 + 2 * 3600;
}

/* How long after the event it was entered: mostly that day, sometimes
 * days later, now and then over a week late. */
static int entry_delay(struct rgen *g)
{
	if (rng_chance(&g->r, 700))
		return 0;
	if (rng_chance(&g->r, 850))
		return rng_range(&g->r, 1, 3);
	return rng_range(&g->r, 7, 12);
}

static enum xj_err put(struct rgen *g, const char *kind, int64_t org,
                       int64_t member, int32_t day, int delay,
                       int64_t supersedes, const char *payload, int64_t *id)
{
	struct record r;
	int64_t rid;
	enum xj_err e;

	if (day + delay > g->today)
		delay = g->today - day;
	memset(&r, 0, sizeof(r));
	r.campaign_id = g->campaign_id;
	r.kind = kind;
	r.org_id = org;
	r.member_id = member;
	r.happened_on = day;
	r.entered_at = entered(day, delay);
	r.supersedes = supersedes;
	r.payload = payload;
	e = store_record_append(g->st, &r, &rid, g->err);
	if (e != XJ_OK)
		return e;
	g->sum.records++;
	g->sum.late += delay >= 7;
	g->sum.corrections += supersedes != 0;
	if (id != NULL)
		*id = rid;
	return XJ_OK;
}

/* Chance in permille that a member of these categories attends a day. */
static int attend_permille(const struct dmember *m)
{
	if (m->cats & MCAT_BIT(MCAT_LOST))
		return 0;
	if (m->cats & MCAT_BIT(MCAT_MOBILE))
		return m->away >= 6 ? 0 : 450;
	if (m->cats & MCAT_BIT(MCAT_FRAIL))
		return 300;
	if (m->cats & MCAT_BIT(MCAT_RETIRED))
		return 750;
	return 940;
}

static const char *const absence_reasons[] = { "请假", "病假", "外出" };

/* The study days of a unit that has held n of them by today. */
static int study_days(struct rgen *g, int32_t *days, int n)
{
	static const int offsets[] = { 0, 7, 14, 28, 35, 42 };
	int32_t first = date_from_ymd(2005, 1, 17) + rng_range(&g->r, 0, 2);
	int i, k = 0;

	for (i = 0; i < n && i < (int)(sizeof(offsets) / sizeof(offsets[0]));
	     i++) {
		int32_t d = first + offsets[i];

		if (d > g->today)
			d = g->today - (n - i);
		days[k++] = d;
	}
	return k;
}

static enum xj_err member_study(struct rgen *g, const struct dmember *m,
                                const int32_t *days, int ndays)
{
	char payload[160];
	int64_t id;
	int i, notes, n, chance = attend_permille(m);
	enum xj_err e;

	for (i = 0; i < ndays; i++) {
		int makeup;

		if (rng_chance(&g->r, chance)) {
			e = put(g, "study_attendance", m->branch, m->id,
			        days[i], entry_delay(g), 0,
			        "{\"hours\":8,\"session\":\"封闭式学习\","
			        "\"makeup\":\"否\"}",
			        &id);
			if (e != XJ_OK)
				return e;
			/* left early: the secretary corrects the entry */
			if (rng_chance(&g->r, 12)) {
				e = put(g, "study_attendance", m->branch, m->id,
				        days[i], rng_range(&g->r, 2, 5), id,
				        "{\"hours\":4,\"session\":\"封闭式学习"
				        "（早退，已更正）\",\"makeup\":\"否\"}",
				        NULL);
				if (e != XJ_OK)
					return e;
			}
			continue;
		}
		/* missed the day: 补课 a few days later, or not yet */
		makeup = chance > 0 && rng_chance(&g->r, 450);
		if (makeup && days[i] + 4 <= g->today) {
			snprintf(
			    payload, sizeof(payload),
			    "{\"hours\":8,\"session\":\"补课（原因：%s）\","
			    "\"makeup\":\"是\"}",
			    absence_reasons[rng_below(&g->r, 3)]);
			e = put(g, "study_attendance", m->branch, m->id,
			        days[i] + rng_range(&g->r, 3, 4), 0, 0, payload,
			        NULL);
			if (e != XJ_OK)
				return e;
		}
	}
	if (chance == 0 && (m->cats & MCAT_BIT(MCAT_MOBILE)) &&
	    rng_chance(&g->r, 750)) {
		e = put(g, "mailed_materials", m->branch, m->id, days[0] + 3,
		        entry_delay(g), 0, "{\"note\":\"寄送读本及学习资料\"}",
		        NULL);
		if (e != XJ_OK)
			return e;
	}
	if (m->cats & MCAT_BIT(MCAT_LOST)) {
		static const char *const how[] = { "家访", "信函", "电话" };

		n = rng_chance(&g->r, 600) ? rng_range(&g->r, 1, 2) : 0;
		for (i = 0; i < n; i++) {
			snprintf(payload, sizeof(payload),
			         "{\"method\":\"%s\"}",
			         how[rng_below(&g->r, 3)]);
			e = put(g, "contact_attempt", m->branch, m->id,
			        days[0] + 5 * (i + 1), entry_delay(g), 0,
			        payload, NULL);
			if (e != XJ_OK)
				return e;
		}
		return XJ_OK;
	}
	/* 学习笔记 as the days go by, 心得体会 by some */
	notes =
	    chance == 0 ? rng_range(&g->r, 0, 1) : rng_range(&g->r, 1, ndays);
	for (i = 0; i < notes && i < ndays; i++) {
		snprintf(payload, sizeof(payload),
		         "{\"zishu\":%d,\"paper\":\"是\"}",
		         rng_range(&g->r, 1800, 3600));
		e = put(g, "study_notes", m->branch, m->id, days[i] + 1,
		        entry_delay(g), 0, payload, NULL);
		if (e != XJ_OK)
			return e;
	}
	if (rng_chance(&g->r, 350)) {
		snprintf(payload, sizeof(payload),
		         "{\"zishu\":%d,\"title\":\"学习心得体会\","
		         "\"paper\":\"是\"}",
		         rng_range(&g->r, 2400, 4600));
		e = put(g, "reflection", m->branch, m->id, days[ndays - 1] + 2,
		        entry_delay(g), 0, payload, NULL);
		if (e != XJ_OK)
			return e;
	}
	return XJ_OK;
}

static enum xj_err unit_events(struct rgen *g, int64_t unit, int64_t speaker,
                               const int32_t *days, int ndays)
{
	static const struct {
		const char *type;
		int permille;
	} lectures[] = {
		{ "党课", 700 },
		{ "辅导课", 600 },
		{ "先进事迹报告会", 450 },
	};
	char payload[200];
	int32_t mob = date_from_ymd(2005, 1, 12) + rng_range(&g->r, 0, 2);
	int i, n;
	enum xj_err e;

	if (rng_chance(&g->r, 970)) {
		e = put(g, "mobilisation", unit, 0, mob, entry_delay(g), 0,
		        "{\"note\":\"先进性教育活动动员大会\"}", NULL);
		if (e != XJ_OK)
			return e;
	}
	for (i = 0; i < 3; i++) {
		if (!rng_chance(&g->r, lectures[i].permille))
			continue;
		if (i == 0 && speaker != 0)
			snprintf(
			    payload, sizeof(payload),
			    "{\"type\":\"党课\",\"speaker\":%lld,"
			    "\"title\":\"保持先进性，立党为公、执政为民\"}",
			    (long long)speaker);
		else
			snprintf(payload, sizeof(payload), "{\"type\":\"%s\"}",
			         lectures[i].type);
		e = put(g, "lecture", unit, 0,
		        days[rng_below(&g->r, (uint32_t)ndays)], entry_delay(g),
		        0, payload, NULL);
		if (e != XJ_OK)
			return e;
	}
	n = rng_chance(&g->r, 300) ? 0 : rng_chance(&g->r, 570) ? 1 : 2;
	for (i = 0; i < n; i++) {
		e = put(g, "lecture", unit, 0, days[i % ndays] + 1,
		        entry_delay(g), 0, "{\"type\":\"形势报告会\"}", NULL);
		if (e != XJ_OK)
			return e;
	}
	if (rng_chance(&g->r, 400)) {
		e = put(g, "study_column", unit, 0, mob + 10, entry_delay(g), 0,
		        "{\"title\":\"先进性教育学习专栏 第一期\"}", NULL);
		if (e != XJ_OK)
			return e;
	}
	if (rng_chance(&g->r, 550)) {
		snprintf(payload, sizeof(payload),
		         "{\"channel\":\"座谈会\",\"quantity\":%d}",
		         rng_range(&g->r, 1, 5));
		e = put(g, "opinion_event", unit, 0, mob + 20, entry_delay(g),
		        0, payload, NULL);
		if (e != XJ_OK)
			return e;
	}
	return XJ_OK;
}

static enum xj_err branch_discussion(struct rgen *g, int64_t branch, int size,
                                     int32_t day)
{
	char payload[200];
	int part, speak;

	if (size == 0 || !rng_chance(&g->r, 550))
		return XJ_OK;
	part = rng_chance(&g->r, 800) ? size : size - rng_range(&g->r, 1, 3);
	if (part < 1)
		part = 1;
	speak = rng_chance(&g->r, 700) ? part : part - rng_range(&g->r, 1, 3);
	if (speak < 0)
		speak = 0;
	snprintf(payload, sizeof(payload),
	         "{\"topic\":\"保持共产党员先进性的具体要求\",\"expected\":%d,"
	         "\"participants\":%d,\"speakers\":%d}",
	         size, part, speak);
	return put(g, "discussion", branch, 0, day, entry_delay(g), 0, payload,
	           NULL);
}

static int by_branch(const void *a, const void *b)
{
	const struct dmember *x = a, *y = b;

	if (x->branch != y->branch)
		return (x->branch > y->branch) - (x->branch < y->branch);
	return (x->id > y->id) - (x->id < y->id);
}

static enum xj_err generate(struct rgen *g)
{
	int32_t days[8];
	int64_t u;
	size_t i, j;
	enum xj_err e;

	if (g->nmem > 1)
		qsort(g->mem, g->nmem, sizeof(*g->mem), by_branch);
	for (u = 1; u <= g->norg; u++) {
		int ndays, roll;
		int64_t speaker = 0;

		if (g->org[u].id == 0 || !g->org[u].is_unit)
			continue;
		roll = (int)rng_below(&g->r, 1000);
		ndays = study_days(g, days,
		                   roll < 120   ? 3
		                   : roll < 720 ? 4
		                                : 5);
		for (i = 0; i < g->nmem; i++)
			if (g->org[g->mem[i].branch].unit == u &&
			    (g->mem[i].cats & MCAT_BIT(MCAT_LEADER))) {
				speaker = g->mem[i].id;
				break;
			}
		e = unit_events(g, u, speaker, days, ndays);
		if (e != XJ_OK)
			return e;
		for (i = 0; i < g->nmem; i = j) {
			int64_t b = g->mem[i].branch;

			for (j = i; j < g->nmem && g->mem[j].branch == b; j++)
				;
			if (g->org[b].unit != u)
				continue;
			e = branch_discussion(g, b, (int)(j - i),
			                      days[ndays - 1]);
			if (e != XJ_OK)
				return e;
			for (; i < j; i++) {
				e = member_study(g, &g->mem[i], days, ndays);
				if (e != XJ_OK)
					return e;
			}
		}
	}
	return XJ_OK;
}

enum xj_err demo_generate_records(struct store *st, int64_t campaign_id,
                                  const char *plan_text, uint64_t seed,
                                  struct demo_records_summary *sum,
                                  struct xj_error *err)
{
	struct rgen g;
	int64_t plan_id;
	enum xj_err e;

	memset(&g, 0, sizeof(g));
	g.st = st;
	g.err = err;
	g.campaign_id = campaign_id;
	if (date_parse(DEMO_TODAY, &g.today, "today", err) != XJ_OK)
		return XJ_EINTERNAL;
	rng_seed(&g.r, seed ^ 0x5eedf00du);
	e = store_begin(st, err);
	if (e != XJ_OK)
		return e;
	e = store_plan_install(st, plan_text, &plan_id, err);
	if (e == XJ_OK)
		e = store_scan_orgs(st, take_org, &g, err);
	if (e == XJ_OK)
		e = store_scan_members(st, take_member, &g, err);
	if (e == XJ_OK)
		e = generate(&g);
	free(g.org);
	free(g.mem);
	if (e == XJ_OK)
		e = store_commit(st, err);
	if (e != XJ_OK) {
		store_rollback(st);
		return e;
	}
	if (sum != NULL)
		*sum = g.sum;
	return XJ_OK;
}
