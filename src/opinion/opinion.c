/*
 * opinion.c - entering opinions and the steps that follow (opinion.h,
 * DOMAIN.md §6): input is checked completely before anything is
 * written, so a refused opinion leaves no trace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xianjiao/alloc.h"
#include "xianjiao/core.h"
#include "xianjiao/opinion.h"
#include "xianjiao/store.h"
#include "xianjiao/text.h"

static const char *const channel_names[OPC__MAX] = {
	[OPC_SYMPOSIUM] = "座谈会", [OPC_LETTER] = "征求意见函",
	[OPC_FORM] = "征求意见表",  [OPC_BOX] = "意见箱",
	[OPC_HOTLINE] = "热线电话", [OPC_EMAIL] = "电子邮箱",
	[OPC_TALK] = "个别交谈",    [OPC_ONLINE] = "网络",
};

static const char *const target_names[OPT__MAX] = {
	[OPT_ORG] = "组织",
	[OPT_TEAM] = "领导班子",
	[OPT_TEAM_MEMBER] = "班子成员",
	[OPT_BRANCH] = "支部",
	[OPT_BRANCH_HEAD] = "支部负责人",
	[OPT_BRANCH_COMMITTEE] = "支部成员",
	[OPT_MEMBER] = "党员",
};

static const char *const stage_names[OPS__MAX] = {
	[OPS_LEARN] = "学习动员",
	[OPS_ANALYSE] = "分析评议",
};

static const char *const category_names[OPK__MAX] = {
	[OPK_SELF] = "党员和党组织自身存在的突出问题",
	[OPK_CONDUCT] = "党风政风行风方面的突出问题",
	[OPK_REFORM] = "影响改革发展稳定的突出问题",
	[OPK_INTERESTS] = "涉及群众切身利益的突出问题",
};

static const char *const dimension_names[OPD__MAX] = {
	[OPD_IDEALS] = "理想信念",
	[OPD_WORK] = "工作学习",
	[OPD_STYLE] = "工作作风",
};

static const char *name_of(const char *const *names, int n, int i)
{
	return i >= 0 && i < n ? names[i] : "";
}

static int parse(const char *const *names, int n, const char *s)
{
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *opinion_channel_name(int c)
{
	return name_of(channel_names, OPC__MAX, c);
}

int opinion_channel_parse(const char *s)
{
	if (s != NULL && strcmp(s, "征求意见箱") == 0)
		return OPC_BOX;
	return parse(channel_names, OPC__MAX, s);
}

const char *opinion_target_name(int t)
{
	return name_of(target_names, OPT__MAX, t);
}

int opinion_target_parse(const char *s)
{
	return parse(target_names, OPT__MAX, s);
}

const char *opinion_stage_name(int s)
{
	return name_of(stage_names, OPS__MAX, s);
}

int opinion_stage_parse(const char *s)
{
	return parse(stage_names, OPS__MAX, s);
}

const char *opinion_category_name(int c)
{
	return name_of(category_names, OPK__MAX, c);
}

int opinion_category_parse(const char *s)
{
	return parse(category_names, OPK__MAX, s);
}

const char *opinion_dimension_name(int d)
{
	return name_of(dimension_names, OPD__MAX, d);
}

int opinion_dimension_parse(const char *s)
{
	return parse(dimension_names, OPD__MAX, s);
}

int opinion_target_is_person(enum opinion_target t)
{
	return t == OPT_TEAM_MEMBER || t == OPT_BRANCH_HEAD ||
	       t == OPT_BRANCH_COMMITTEE || t == OPT_MEMBER;
}

/* Valid UTF-8, 1..max characters, not only spaces. */
static enum xj_err text_check(const char *s, size_t max, const char *field,
                              const char *what, struct xj_error *err)
{
	size_t len;
	enum xj_err e;

	if (text_blank(s))
		return xj_error_field(err, XJ_EINVAL, field, "%s不能为空",
		                      what);
	len = strlen(s);
	e = utf8_validate(s, len, field, err);
	if (e != XJ_OK)
		return e;
	if (utf8_length(s, len) > max)
		return xj_error_field(err, XJ_ETOOLARGE, field,
		                      "%s过长（至多 %zu 字）", what, max);
	return XJ_OK;
}

/* The target exists and is of the target kind; its home organisation
 * (where scope is decided) into *home. */
static enum xj_err target_check(struct store *st, const struct opinion_in *in,
                                int64_t *home, struct xj_error *err)
{
	enum xj_err e;
	int found = 0;

	if (opinion_target_is_person(in->target)) {
		struct member_row m;

		if (in->target_org_id != 0)
			return xj_error_field(err, XJ_EINVAL, "target_org_id",
			                      "意见对象是%s，应指明党员而"
			                      "不是组织",
			                      opinion_target_name(in->target));
		if (in->target_member_id == 0)
			return xj_error_field(err, XJ_EINVAL,
			                      "target_member_id",
			                      "意见对象是%s，请指明是哪位党员",
			                      opinion_target_name(in->target));
		e = store_member_get(st, in->target_member_id, &m, &found, err);
		if (e != XJ_OK)
			return e;
		if (!found)
			return xj_error_field(err, XJ_ENOTFOUND,
			                      "target_member_id",
			                      "党员不存在 (编号 %lld)",
			                      (long long)in->target_member_id);
		if (m.m.org_id == 0 || m.m.left_on != 0)
			return xj_error_field(err, XJ_EINVAL,
			                      "target_member_id",
			                      "党员%s不在任何党支部，无法征求"
			                      "对其的意见",
			                      m.name);
		*home = m.m.org_id;
	} else {
		struct org_row o;

		if (in->target_member_id != 0)
			return xj_error_field(err, XJ_EINVAL,
			                      "target_member_id",
			                      "意见对象是%s，应指明组织而"
			                      "不是党员",
			                      opinion_target_name(in->target));
		if (in->target_org_id == 0)
			return xj_error_field(err, XJ_EINVAL, "target_org_id",
			                      "意见对象是%s，请指明是哪个组织",
			                      opinion_target_name(in->target));
		e = store_org_get(st, in->target_org_id, &o, &found, err);
		if (e != XJ_OK)
			return e;
		if (!found)
			return xj_error_field(err, XJ_ENOTFOUND,
			                      "target_org_id",
			                      "组织不存在 (编号 %lld)",
			                      (long long)in->target_org_id);
		if (in->target == OPT_TEAM && o.o.type != ORG_LEADERSHIP)
			return xj_error_field(err, XJ_EINVAL, "target_org_id",
			                      "%s不是领导班子", o.name);
		if (in->target == OPT_BRANCH && o.o.type != ORG_BRANCH)
			return xj_error_field(err, XJ_EINVAL, "target_org_id",
			                      "%s不是党支部", o.name);
		if (in->target == OPT_ORG && o.o.type == ORG_LEADERSHIP)
			return xj_error_field(err, XJ_EINVAL, "target",
			                      "%s是领导班子，意见对象应为"
			                      "“领导班子”",
			                      o.name);
		*home = o.o.id;
	}
	return XJ_OK;
}

/* Named or anonymous (§6.2, §19): an anonymous opinion carries no giver
 * at all, and a 征求意见表 is 无记名 (seed 003). */
static enum xj_err giver_check(const struct opinion_in *in,
                               struct xj_error *err)
{
	enum xj_err e;

	if (in->anonymous) {
		if (in->giver_name != NULL)
			return xj_error_field(err, XJ_EINVAL, "giver_name",
			                      "匿名意见不能记录提意见人");
		if (in->giver_contact != NULL)
			return xj_error_field(err, XJ_EINVAL, "giver_contact",
			                      "匿名意见不能记录提意见人的联系"
			                      "方式");
		return XJ_OK;
	}
	if (in->channel == OPC_FORM)
		return xj_error_field(err, XJ_EINVAL, "anonymous",
		                      "征求意见表是无记名的，只能作为匿名"
		                      "意见录入");
	if (text_blank(in->giver_name))
		return xj_error_field(err, XJ_EINVAL, "giver_name",
		                      "记名意见须写明提意见人（不愿具名的请"
		                      "作为匿名意见录入）");
	e = text_check(in->giver_name, OPINION_GIVER_MAX, "giver_name",
	               "提意见人", err);
	if (e == XJ_OK && in->giver_contact != NULL)
		e = text_check(in->giver_contact, OPINION_GIVER_MAX,
		               "giver_contact", "联系方式", err);
	return e;
}

enum xj_err opinion_add(struct store *st, const struct opinion_in *in,
                        int64_t *id, struct xj_error *err)
{
	struct opinion_insert o;
	struct org_row org;
	int found = 0;
	enum xj_err e;

	if (in->channel < 0 || in->channel >= OPC__MAX)
		return xj_error_field(err, XJ_EINVAL, "channel",
		                      "未知的征求意见渠道");
	if (in->target < 0 || in->target >= OPT__MAX)
		return xj_error_field(err, XJ_EINVAL, "target",
		                      "未知的意见对象");
	if (in->stage < 0 || in->stage >= OPS__MAX)
		return xj_error_field(err, XJ_EINVAL, "stage",
		                      "阶段应为学习动员或分析评议");
	if (in->received_on == 0)
		return xj_error_field(err, XJ_EINVAL, "received_on",
		                      "请填写收到意见的日期");
	e = text_check(in->text, OPINION_TEXT_MAX, "text", "意见内容", err);
	if (e == XJ_OK)
		e = giver_check(in, err);
	if (e != XJ_OK)
		return e;
	e = store_org_get(st, in->org_id, &org, &found, err);
	if (e != XJ_OK)
		return e;
	if (!found)
		return xj_error_field(err, XJ_ENOTFOUND, "org_id",
		                      "征求意见的组织不存在 (编号 %lld)",
		                      (long long)in->org_id);
	memset(&o, 0, sizeof(o));
	e = target_check(st, in, &o.home_org_id, err);
	if (e != XJ_OK)
		return e;
	o.org_id = in->org_id;
	o.channel = in->channel;
	o.target_kind = in->target;
	o.stage = in->stage;
	o.target_org_id = in->target_org_id;
	o.target_member_id = in->target_member_id;
	o.anonymous = in->anonymous != 0;
	o.giver_name = in->anonymous ? NULL : in->giver_name;
	o.giver_contact = in->anonymous ? NULL : in->giver_contact;
	o.text = in->text;
	o.received_on = in->received_on;
	o.supersedes = in->supersedes;
	return store_opinion_insert(st, &o, id, err);
}

/* A current opinion: *person says whether it is about a person. */
static enum xj_err current(struct store *st, int64_t id, int *person,
                           int *classified, struct xj_error *err)
{
	int found = 0, superseded = 0;
	enum xj_err e = store_opinion_state(st, id, &found, person, &superseded,
	                                    classified, err);

	if (e != XJ_OK)
		return e;
	if (!found)
		return xj_error_field(err, XJ_ENOTFOUND, "id",
		                      "意见不存在 (编号 %lld)", (long long)id);
	if (superseded)
		return xj_error_field(err, XJ_ECONFLICT, "id",
		                      "意见 %lld 已被更正，请处理更正后的一条",
		                      (long long)id);
	return XJ_OK;
}

static enum xj_err note_check(const char *note, const char *field,
                              struct xj_error *err)
{
	if (note == NULL)
		return XJ_OK;
	return text_check(note, OPINION_NOTE_MAX, field, "说明", err);
}

enum xj_err opinion_classify(struct store *st, int64_t id, int category,
                             int dimension, int32_t on_date,
                             struct xj_error *err)
{
	int person, classified;
	enum xj_err e;

	if (category < 0 || category >= OPK__MAX)
		return xj_error_field(err, XJ_EINVAL, "category",
		                      "未知的问题类别");
	if (dimension < -1 || dimension >= OPD__MAX)
		return xj_error_field(err, XJ_EINVAL, "dimension",
		                      "未知的意见方面");
	if (on_date == 0)
		return xj_error_field(err, XJ_EINVAL, "date", "请填写日期");
	e = current(st, id, &person, &classified, err);
	if (e != XJ_OK)
		return e;
	return store_opinion_action(st, id, "classify", category, dimension,
	                            NULL, on_date, err);
}

/* §6.5: sort and classify first, then publish or feed back. */
static enum xj_err ready(struct store *st, int64_t id, int want_person,
                         struct xj_error *err)
{
	int person, classified;
	enum xj_err e = current(st, id, &person, &classified, err);

	if (e != XJ_OK)
		return e;
	if (person != want_person)
		return xj_error_field(
		    err, XJ_ECONFLICT, "id",
		    person ? "对党员个人的意见只向本人如实反馈，不公布"
		           : "对组织的意见通过适当形式公布，不作个人反馈");
	if (!classified)
		return xj_error_field(err, XJ_ECONFLICT, "id",
		                      "意见 %lld 尚未分类，请先归类整理",
		                      (long long)id);
	return XJ_OK;
}

enum xj_err opinion_publish(struct store *st, int64_t id, const char *form,
                            int32_t on_date, struct xj_error *err)
{
	enum xj_err e = note_check(form, "form", err);

	if (e == XJ_OK && on_date == 0)
		e = xj_error_field(err, XJ_EINVAL, "date", "请填写日期");
	if (e == XJ_OK)
		e = ready(st, id, 0, err);
	if (e != XJ_OK)
		return e;
	return store_opinion_action(st, id, "publish", -1, -1, form, on_date,
	                            err);
}

enum xj_err opinion_feedback(struct store *st, int64_t id, const char *note,
                             int32_t on_date, struct xj_error *err)
{
	enum xj_err e = note_check(note, "note", err);

	if (e == XJ_OK && on_date == 0)
		e = xj_error_field(err, XJ_EINVAL, "date", "请填写日期");
	if (e == XJ_OK)
		e = ready(st, id, 1, err);
	if (e != XJ_OK)
		return e;
	return store_opinion_action(st, id, "feedback", -1, -1, note, on_date,
	                            err);
}

struct stats_ctx {
	struct opinion_stats *s;
	size_t alloc;
};

static int add_stat(void *ctx, const struct opinion_stat_row *r)
{
	struct stats_ctx *c = ctx;
	struct opinion_stats *s = c->s;
	struct opinion_unit_count *u;

	if (r->channel < 0 || r->channel >= OPC__MAX || r->target_kind < 0 ||
	    r->target_kind >= OPT__MAX || r->stage < 0 || r->stage >= OPS__MAX)
		return 0; /* the schema's CHECKs make this impossible */
	s->total += r->count;
	s->classified += r->classified;
	s->published += r->published;
	s->fed_back += r->fed_back;
	s->channel[r->channel] += r->count;
	s->target[r->target_kind] += r->count;
	s->stage[r->stage] += r->count;
	/* rows come by unit: a new unit starts a new entry */
	if (s->nunits == 0 || s->units[s->nunits - 1].unit_id != r->unit_id) {
		xgrow((void **)&s->units, &c->alloc, (size_t)s->nunits + 1,
		      sizeof(*s->units));
		u = &s->units[s->nunits++];
		memset(u, 0, sizeof(*u));
		u->unit_id = r->unit_id;
		snprintf(u->name, sizeof(u->name), "%s", r->unit_name);
	}
	u = &s->units[s->nunits - 1];
	u->count += r->count;
	u->target[r->target_kind] += r->count;
	return 0;
}

enum xj_err opinion_stats(struct store *st, int64_t org_id,
                          struct opinion_stats *out, struct xj_error *err)
{
	struct stats_ctx c = { out, 0 };

	memset(out, 0, sizeof(*out));
	return store_opinion_stats(st, org_id, add_stat, &c, err);
}

void opinion_stats_release(struct opinion_stats *s)
{
	free(s->units);
	s->units = NULL;
	s->nunits = 0;
}
