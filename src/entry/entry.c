/*
 * entry.c - checking a record against the plan and the registry, then
 * appending it (entry.h says what is checked).
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "xianjiao/date.h"
#include "xianjiao/engine.h"
#include "xianjiao/entry.h"
#include "xianjiao/store.h"

#define DAY_CENTI (24 * PLAN_CENTI)

/* The unit an organisation belongs to (itself if a unit), 0 if none. */
static enum xj_err unit_of(struct store *st, int64_t org, struct org_row *unit,
                           int *found, struct xj_error *err)
{
	int depth;

	*found = 0;
	for (depth = 0; org != 0 && depth <= ORG_DEPTH_MAX; depth++) {
		enum xj_err e = store_org_get(st, org, unit, found, err);

		if (e != XJ_OK || !*found)
			return e;
		if (unit->o.is_unit)
			return XJ_OK;
		org = unit->o.parent_id;
		*found = 0;
	}
	return XJ_OK;
}

/* Flag a record dated after the stages that count its kind. */
static enum xj_err lateness(struct store *st, const struct plan *p, int kind,
                            int64_t org, int32_t day, struct entry_result *out,
                            struct xj_error *err)
{
	struct org_row unit;
	char end[DATE_STR_LEN];
	int found, ordinal = 0, b, r, t, counted = 0, last = -1;
	int32_t last_end = 0;
	enum xj_err e = unit_of(st, org, &unit, &found, err);

	if (e != XJ_OK)
		return e;
	if (found && unit.o.batch_id != 0) {
		e = store_batch_ordinal(st, unit.o.batch_id, &ordinal, err);
		if (e != XJ_OK)
			return e;
	}
	b = plan_batch_find(p, ordinal);
	for (r = 0; r < p->nreqs; r++) {
		const struct plan_req *q = &p->reqs[r];
		int reads = q->metric.kind == kind;

		for (t = 0; t < q->ntreats; t++)
			reads |= q->treats[t].has_metric &&
			         q->treats[t].metric.kind == kind;
		if (!reads)
			continue;
		counted = 1;
		if (b >= 0 && p->batches[b].end[q->stage] > last_end) {
			last_end = p->batches[b].end[q->stage];
			last = q->stage;
		}
	}
	if (!counted) {
		snprintf(out->note, sizeof(out->note),
		         "方案中没有要求统计“%s”，此记录只作存档",
		         p->kinds[kind].name);
		return XJ_OK;
	}
	if (last >= 0 && day > last_end) {
		date_format(last_end, end);
		out->late = 1;
		snprintf(out->note, sizeof(out->note),
		         "迟于阶段截止日期：%s阶段已于 %s 结束，记录照常计入",
		         p->stages[last].name, end);
	}
	return XJ_OK;
}

/* Members named in the payload must exist. */
static enum xj_err named_members(struct store *st, const struct plan_kind *k,
                                 const struct eng_record *r,
                                 struct xj_error *err)
{
	struct member_row m;
	int f, found;

	for (f = 0; f < k->nfields; f++) {
		enum xj_err e;

		if (k->fields[f].type != FIELD_MEMBER || r->num[f] < 0)
			continue;
		e = store_member_get(st, r->num[f], &m, &found, err);
		if (e != XJ_OK)
			return e;
		if (!found)
			return xj_error_field(err, XJ_EINVAL, k->fields[f].name,
			                      "字段 %s：党员 %" PRId64
			                      " 不存在",
			                      k->fields[f].name, r->num[f]);
	}
	return XJ_OK;
}

static enum xj_err day_hours(struct store *st, const struct plan_kind *k,
                             const struct entry *in, const struct eng_record *r,
                             struct xj_error *err)
{
	char day[DATE_STR_LEN];
	int64_t before = 0;
	int f = plan_field_find(k, "hours");
	enum xj_err e;

	if (f < 0 || k->fields[f].type != FIELD_NUMBER || r->num[f] <= 0 ||
	    r->voided)
		return XJ_OK;
	if (r->num[f] > DAY_CENTI)
		return xj_error_field(err, XJ_EINVAL, "hours",
		                      "字段 hours：一天不能超过 24 小时");
	e = store_member_day_hours(st, in->member_id, in->happened_on,
	                           in->supersedes, &before, err);
	if (e != XJ_OK)
		return e;
	if (before + r->num[f] > DAY_CENTI) {
		date_format(in->happened_on, day);
		return xj_error_field(
		    err, XJ_EINVAL, "hours",
		    "该党员 %s 已计 %" PRId64 ".%02" PRId64
		    " 小时，再计 %" PRId64 ".%02" PRId64
		    " 小时将超过一天 24 小时",
		    day, before / PLAN_CENTI, before % PLAN_CENTI,
		    r->num[f] / PLAN_CENTI, r->num[f] % PLAN_CENTI);
	}
	return XJ_OK;
}

struct old_record {
	char kind[PLAN_ID_MAX * 2];
	int64_t superseded_by;
};

static int take_old(void *ctx, const struct scan_record *r)
{
	struct old_record *o = ctx;

	snprintf(o->kind, sizeof(o->kind), "%s", r->kind);
	o->superseded_by = r->superseded_by;
	return 1;
}

static enum xj_err check_correction(struct store *st, const struct entry *in,
                                    struct xj_error *err)
{
	struct old_record o;
	int found;
	enum xj_err e;

	if (in->supersedes == 0)
		return XJ_OK;
	e = store_record_get(st, in->supersedes, take_old, &o, &found, err);
	if (e != XJ_OK)
		return e;
	if (!found)
		return xj_error_field(err, XJ_EINVAL, "supersedes",
		                      "要更正的记录不存在（编号 %" PRId64 "）",
		                      in->supersedes);
	if (strcmp(o.kind, in->kind) != 0)
		return xj_error_field(
		    err, XJ_EINVAL, "supersedes",
		    "更正记录必须与原记录类型相同（原记录为 %s）", o.kind);
	if (o.superseded_by != 0)
		return xj_error_field(err, XJ_ECONFLICT, "supersedes",
		                      "该记录已被记录 %" PRId64
		                      " 更正，请更正最新的记录",
		                      o.superseded_by);
	return XJ_OK;
}

enum xj_err entry_add(struct store *st, const struct plan *p,
                      const struct entry *in, int32_t today, time_t now,
                      int64_t actor, struct entry_result *out,
                      struct xj_error *err)
{
	const struct plan_kind *k;
	struct eng_record r;
	struct record rec;
	char day[DATE_STR_LEN];
	void *json = NULL;
	int64_t org = in->org_id;
	int kind, found;
	enum xj_err e;

	memset(out, 0, sizeof(*out));
	kind = in->kind ? plan_kind_find(p, in->kind) : -1;
	if (kind < 0)
		return xj_error_field(err, XJ_EINVAL, "kind",
		                      "方案中没有记录类型“%s”",
		                      in->kind ? in->kind : "");
	k = &p->kinds[kind];
	if (in->happened_on == 0)
		return xj_error_field(err, XJ_EINVAL, "happened_on",
		                      "活动日期不能为空");
	if (in->happened_on > today) {
		date_format(in->happened_on, day);
		return xj_error_field(
		    err, XJ_EINVAL, "happened_on",
		    "活动日期 %s 晚于今天：只能录入已经发生的活动", day);
	}
	memset(&r, 0, sizeof(r));
	e = eng_record_from_json(p, kind, in->payload, &r, &json, err);
	if (e == XJ_OK && r.voided && in->supersedes == 0)
		e = xj_error_field(err, XJ_EINVAL, "voided",
		                   "只有更正记录可以撤销原记录");
	if (e == XJ_OK && k->subject == SUBJECT_MEMBER) {
		if (in->member_id <= 0) {
			e = xj_error_field(err, XJ_EINVAL, "member_id",
			                   "“%s”是党员个人的记录，须指明党员",
			                   k->name);
		} else {
			e = store_member_branch_on(st, in->member_id,
			                           in->happened_on, &org, err);
			if (e == XJ_OK && org == 0) {
				date_format(in->happened_on, day);
				e = xj_error_field(
				    err, XJ_EINVAL, "member_id",
				    "该党员 %s "
				    "不在本活动的组织中（已转出、去世或"
				    "尚未转入），不能记入",
				    day);
			}
		}
		if (e == XJ_OK)
			e = day_hours(st, k, in, &r, err);
	} else if (e == XJ_OK) {
		struct org_row o;

		if (in->member_id != 0)
			e = xj_error_field(err, XJ_EINVAL, "member_id",
			                   "“%s”是组织的记录，不能指明党员",
			                   k->name);
		else if (org <= 0)
			e = xj_error_field(err, XJ_EINVAL, "org_id",
			                   "“%s”是组织的记录，须指明组织",
			                   k->name);
		else if ((e = store_org_get(st, org, &o, &found, err)) ==
		             XJ_OK &&
		         !found)
			e = xj_error_field(err, XJ_EINVAL, "org_id",
			                   "组织不存在（编号 %" PRId64 "）",
			                   org);
	}
	if (e == XJ_OK)
		e = named_members(st, k, &r, err);
	json_decref(json);
	if (e == XJ_OK)
		e = check_correction(st, in, err);
	if (e == XJ_OK)
		e = lateness(st, p, kind, org, in->happened_on, out, err);
	if (e != XJ_OK)
		return e;
	memset(&rec, 0, sizeof(rec));
	e = store_campaign_first(st, &rec.campaign_id, err);
	if (e != XJ_OK)
		return e;
	if (rec.campaign_id == 0)
		return xj_error_set(err, XJ_ECONFLICT,
		                    "数据库中还没有活动：请先安装方案");
	rec.kind = k->id;
	rec.org_id = org;
	rec.member_id = k->subject == SUBJECT_MEMBER ? in->member_id : 0;
	rec.happened_on = in->happened_on;
	rec.entered_at = now;
	rec.entered_by = actor;
	rec.supersedes = in->supersedes;
	rec.payload = in->payload ? in->payload : "{}";
	out->org_id = org;
	return store_record_append(st, &rec, &out->id, err);
}
