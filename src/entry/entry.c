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
#include "xianjiao/text.h"

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

/* Does the record meet field f's must_be condition (its when)? */
static int must_applies(const struct plan_kind *k, const struct plan_field *f,
                        const struct eng_record *r)
{
	const struct plan_field *g;
	int w = f->must_when_field;

	if (f->must_categories == 0)
		return 0;
	if (w < 0)
		return 1;
	g = &k->fields[w];
	if (g->type == FIELD_TEXT)
		return r->text[w] != NULL &&
		       strcmp(r->text[w], f->must_when_value) == 0;
	return r->num[w] >= 0 && r->num[w] < g->nvalues &&
	       strcmp(g->values[r->num[w]], f->must_when_value) == 0;
}

static void category_names(uint32_t mask, char *buf, size_t size)
{
	size_t n = 0;
	int c;

	buf[0] = '\0';
	for (c = 0; c < MCAT__MAX && n < size; c++)
		if (mask & MCAT_BIT(c))
			n += (size_t)snprintf(
			    buf + n, size - n, "%s%s", n ? "或" : "",
			    member_category_name((enum member_category)c));
}

/* Members named in the payload must exist, and be who the plan says
 * (must_be: 党课 by a 党员领导干部 of the unit). */
static enum xj_err named_members(struct store *st, const struct plan_kind *k,
                                 const struct entry *in, int64_t org,
                                 const struct eng_record *r,
                                 struct xj_error *err)
{
	struct member_row m;
	struct org_row u1, u2;
	char cats[128];
	const char *when;
	int64_t branch;
	int f, found, f1, f2;

	for (f = 0; f < k->nfields; f++) {
		const struct plan_field *fd = &k->fields[f];
		int must = must_applies(k, fd, r);
		enum xj_err e;

		if (fd->type != FIELD_MEMBER)
			continue;
		when = fd->must_when_field >= 0 ? fd->must_when_value : k->name;
		category_names(fd->must_categories, cats, sizeof(cats));
		if (r->num[f] < 0) {
			if (must && fd->must_required)
				return xj_error_field(
				    err, XJ_EINVAL, fd->name,
				    "字段 %s：%s须写明由哪位%s%s担任", fd->name,
				    when, fd->must_same_unit ? "本单位" : "",
				    cats);
			continue;
		}
		e = store_member_get(st, r->num[f], &m, &found, err);
		if (e != XJ_OK)
			return e;
		if (!found)
			return xj_error_field(err, XJ_EINVAL, fd->name,
			                      "字段 %s：党员 %" PRId64
			                      " 不存在",
			                      fd->name, r->num[f]);
		if (!must)
			continue;
		if ((m.m.categories & fd->must_categories) == 0)
			return xj_error_field(err, XJ_EINVAL, fd->name,
			                      "字段 %s：%s不是%s，不能担任%s",
			                      fd->name, m.name, cats, when);
		if (!fd->must_same_unit)
			continue;
		e = store_member_branch_on(st, m.m.id, in->happened_on, &branch,
		                           err);
		if (e == XJ_OK)
			e = unit_of(st, branch, &u1, &f1, err);
		if (e == XJ_OK)
			e = unit_of(st, org, &u2, &f2, err);
		if (e != XJ_OK)
			return e;
		if (!f1 || !f2 || u1.o.id != u2.o.id)
			return xj_error_field(
			    err, XJ_EINVAL, fd->name,
			    "字段 %s：%s不是本单位的%s，不能担任%s", fd->name,
			    m.name, cats, when);
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
	e = store_member_day_hours(st, in->member_id, k->id, in->happened_on,
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

/* "HH:MM" as minutes after midnight, -1 if it is not a time. */
static int minutes(const char *s)
{
	int h, m;

	if (s == NULL || strlen(s) != 5 || s[2] != ':' || s[0] < '0' ||
	    s[0] > '2' || s[1] < '0' || s[1] > '9' || s[3] < '0' ||
	    s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	return h < 24 ? h * 60 + m : -1;
}

/* The new session, and what it collides with. */
struct sessions {
	int32_t day;
	int64_t except;
	int start, end;      /* minutes; start -1 if not given */
	const char *session; /* NULL if not given */
	int64_t clash;       /* the record it collides with */
	int overlap;         /* 1: times overlap, 0: same session twice */
	char clash_start[8];
};

static int take_session(void *ctx, const struct scan_record *r)
{
	struct sessions *s = ctx;
	json_t *j, *v;
	const char *start, *session;
	int a;

	if (r->happened_on != s->day || r->id == s->except)
		return 0;
	j = json_loads(r->payload, 0, NULL);
	if (j == NULL || json_is_true(json_object_get(j, "voided"))) {
		json_decref(j);
		return 0;
	}
	start = json_string_value(json_object_get(j, "start"));
	session = json_string_value(json_object_get(j, "session"));
	v = json_object_get(j, "hours");
	a = minutes(start);
	if (s->start >= 0 && a >= 0 && json_is_number(v) &&
	    s->start < a + (int)(json_number_value(v) * 60) && a < s->end) {
		s->clash = r->id;
		s->overlap = 1;
		snprintf(s->clash_start, sizeof(s->clash_start), "%s", start);
	} else if ((s->start < 0 || a < 0) && s->session != NULL &&
	           session != NULL && strcmp(s->session, session) == 0) {
		s->clash = r->id;
		s->overlap = 0;
	}
	json_decref(j);
	return s->clash != 0;
}

/* One member's sessions on a day: never overlapping in time, and the same
 * session not entered twice (the same hours are never credited twice). */
static enum xj_err check_sessions(struct store *st, const struct plan_kind *k,
                                  const struct entry *in,
                                  const struct eng_record *r,
                                  struct xj_error *err)
{
	struct sessions s;
	int fs = plan_field_find(k, "start"), fh = plan_field_find(k, "hours");
	int fn = plan_field_find(k, "session");
	enum xj_err e;

	memset(&s, 0, sizeof(s));
	s.day = in->happened_on;
	s.except = in->supersedes;
	s.start = -1;
	if (r->voided)
		return XJ_OK;
	if (fs >= 0 && k->fields[fs].type == FIELD_TEXT && r->text[fs]) {
		s.start = minutes(r->text[fs]);
		if (s.start < 0)
			return xj_error_field(err, XJ_EINVAL, "start",
			                      "字段 start：开始时间应为 HH:MM，"
			                      "如 08:30");
		if (k->subject != SUBJECT_MEMBER)
			return XJ_OK; /* a session's own time: its names
			               * are checked one by one */
		s.end = s.start + (fh >= 0 && r->num[fh] > 0
		                       ? (int)(r->num[fh] * 60 / PLAN_CENTI)
		                       : 0);
	}
	if (fn >= 0 && k->fields[fn].type == FIELD_TEXT)
		s.session = r->text[fn];
	if (s.start < 0 && s.session == NULL)
		return XJ_OK;
	e = store_records_list(st, k->id, in->member_id, 0, 1, 0, 100000,
	                       take_session, &s, err);
	if (e != XJ_OK || s.clash == 0)
		return e;
	if (s.overlap)
		return xj_error_field(err, XJ_EINVAL, "start",
		                      "与同一天 %s 开始的学习（记录 %" PRId64
		                      "）时间重叠：同一时间不能重复计学时",
		                      s.clash_start, s.clash);
	return xj_error_field(err, XJ_EINVAL, "session",
	                      "同一天的“%s”已经登记（记录 %" PRId64 "）",
	                      s.session, s.clash);
}

/* What the payload reader lets through because stored records are read
 * as they were entered, refused here for new ones: a blank required text
 * (as a missing one is) and a paper copy's 字数 that is not a whole
 * number of characters. */
static enum xj_err required_texts(const struct plan_kind *k,
                                  const struct eng_record *r,
                                  struct xj_error *err)
{
	int f;

	if (r->voided)
		return XJ_OK;
	for (f = 0; f < k->nfields; f++) {
		const struct plan_field *fd = &k->fields[f];

		if (fd->required && fd->type == FIELD_TEXT &&
		    r->text[f] != NULL && text_blank(r->text[f]))
			return xj_error_field(err, XJ_EINVAL, fd->name,
			                      "字段 %s：必须填写", fd->name);
		if (fd->type == FIELD_ZISHU && r->num[f] > 0 &&
		    r->num[f] % PLAN_CENTI != 0)
			return xj_error_field(err, XJ_EINVAL, fd->name,
			                      "字段 %s：字数应为整数",
			                      fd->name);
	}
	return XJ_OK;
}

struct old_record {
	char kind[PLAN_ID_MAX * 2];
	int64_t superseded_by;
	int64_t session_id;
};

static int take_old(void *ctx, const struct scan_record *r)
{
	struct old_record *o = ctx;

	snprintf(o->kind, sizeof(o->kind), "%s", r->kind);
	o->superseded_by = r->superseded_by;
	o->session_id = r->session_id;
	return 1;
}

/* A correction of a session's attendance stays linked to the session
 * (*session: the original's link). */
static enum xj_err check_correction(struct store *st, const struct entry *in,
                                    int64_t *session, struct xj_error *err)
{
	struct old_record o;
	int found;
	enum xj_err e;

	*session = in->session_id;
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
	if (*session == 0)
		*session = o.session_id;
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
	int64_t org = in->org_id, session = 0;
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
	if (e == XJ_OK)
		e = required_texts(k, &r, err);
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
		if (e == XJ_OK)
			e = check_sessions(st, k, in, &r, err);
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
		if (e == XJ_OK)
			e = check_sessions(st, k, in, &r, err);
	}
	if (e == XJ_OK)
		e = named_members(st, k, in, org, &r, err);
	json_decref(json);
	if (e == XJ_OK)
		e = check_correction(st, in, &session, err);
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
	rec.session_id = session;
	rec.payload = in->payload ? in->payload : "{}";
	out->org_id = org;
	return store_record_append(st, &rec, &out->id, err);
}
