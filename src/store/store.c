/*
 * Typed reads and writes over the statement table. Validation of what a
 * user typed happens in core (org_validate, member_validate); here are the
 * checks that need the database: parents, depth, supersession.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "xianjiao/date.h"

#define NPARAM(p) ((int)(sizeof(p) / sizeof((p)[0])))

static enum xj_err insert(struct store *st, enum stmt_id id,
                          const struct sval *p, int n, int64_t *out,
                          struct xj_error *err)
{
	enum xj_err e = st_exec(st, id, p, n, err);

	if (e == XJ_OK && out != NULL)
		*out = st_last_id(st);
	return e;
}

enum xj_err store_campaign_insert(struct store *st, const struct campaign *c,
                                  int64_t *id, struct xj_error *err)
{
	struct st_datebuf a, b;
	struct sval p[3];
	enum xj_err e;
	int64_t newid;

	e = name_validate(c->name, "name", err);
	if (e != XJ_OK)
		return e;
	if (c->start_date == 0 || c->end_date < c->start_date)
		return xj_error_field(err, XJ_EINVAL, "end_date",
		                      "活动结束日期不能早于开始日期");
	p[0] = SV_TEXT(c->name);
	p[1] = st_date(c->start_date, &a);
	p[2] = st_date(c->end_date, &b);
	e = insert(st, STMT_CAMPAIGN_INSERT, p, NPARAM(p), &newid, err);
	if (e == XJ_OK)
		e = audit_append(st, "campaign.create", "campaign", newid, err,
		                 "name=%s\nstart=%s\nend=%s", c->name, a.s,
		                 b.s);
	if (e == XJ_OK && id != NULL)
		*id = newid;
	return e;
}

enum xj_err store_batch_insert(struct store *st, const struct batch *b,
                               int64_t *id, struct xj_error *err)
{
	struct st_datebuf d1, d2;
	struct sval p[5];
	enum xj_err e;
	int64_t newid;

	e = name_validate(b->name, "name", err);
	if (e != XJ_OK)
		return e;
	if (b->ordinal < 1 || b->ordinal > 9)
		return xj_error_field(err, XJ_EINVAL, "ordinal",
		                      "批次序号应在 1 至 9 之间");
	if (b->start_date && b->end_date && b->end_date < b->start_date)
		return xj_error_field(err, XJ_EINVAL, "end_date",
		                      "批次结束日期不能早于开始日期");
	p[0] = SV_INT(b->campaign_id);
	p[1] = SV_INT(b->ordinal);
	p[2] = SV_TEXT(b->name);
	p[3] = st_date(b->start_date, &d1);
	p[4] = st_date(b->end_date, &d2);
	e = insert(st, STMT_BATCH_INSERT, p, NPARAM(p), &newid, err);
	if (e == XJ_OK)
		e = audit_append(st, "batch.create", "batch", newid, err,
		                 "campaign=%lld\nordinal=%d\nname=%s\n"
		                 "start=%s\nend=%s",
		                 (long long)b->campaign_id, b->ordinal, b->name,
		                 b->start_date ? d1.s : "",
		                 b->end_date ? d2.s : "");
	if (e == XJ_OK && id != NULL)
		*id = newid;
	return e;
}

enum xj_err store_system_insert(struct store *st, const struct xj_system *s,
                                int64_t *id, struct xj_error *err)
{
	struct sval p[2];
	enum xj_err e;
	int64_t newid;

	e = name_validate(s->name, "name", err);
	if (e != XJ_OK)
		return e;
	p[0] = SV_INT(s->campaign_id);
	p[1] = SV_TEXT(s->name);
	e = insert(st, STMT_SYSTEM_INSERT, p, NPARAM(p), &newid, err);
	if (e == XJ_OK)
		e = audit_append(st, "system.create", "system", newid, err,
		                 "campaign=%lld\nname=%s",
		                 (long long)s->campaign_id, s->name);
	if (e == XJ_OK && id != NULL)
		*id = newid;
	return e;
}

enum xj_err store_org_insert(struct store *st, const struct org *o, int64_t *id,
                             struct xj_error *err)
{
	int64_t depth = 0, newid;
	struct sval p[9], q[2];
	enum xj_err e;
	int found;

	e = org_validate(o, err);
	if (e != XJ_OK)
		return e;
	if (o->parent_id != 0) {
		q[0] = SV_INT(o->parent_id);
		e = st_int(st, STMT_ORG_DEPTH, q, 1, &depth, &found, err);
		if (e != XJ_OK)
			return e;
		if (!found)
			return xj_error_field(err, XJ_EINVAL, "parent_id",
			                      "上级组织不存在 (id %lld)",
			                      (long long)o->parent_id);
		depth++;
		if (depth >= ORG_DEPTH_MAX)
			return xj_error_field(err, XJ_ETOOLARGE, "parent_id",
			                      "组织层级不能超过 %d 级",
			                      ORG_DEPTH_MAX);
	}
	p[0] = SV_ID(o->parent_id);
	p[1] = SV_INT(o->type);
	p[2] = SV_TEXT(o->name);
	p[3] = SV_TEXT(o->code);
	p[4] = SV_ID(o->system_id);
	p[5] = SV_ID(o->batch_id);
	p[6] = SV_INT(o->is_unit ? 1 : 0);
	p[7] = SV_INT(o->weak ? 1 : 0);
	p[8] = SV_INT(depth);
	e = insert(st, STMT_ORG_INSERT, p, NPARAM(p), &newid, err);
	if (e == XJ_EEXIST && err != NULL)
		xj_error_field(err, XJ_EEXIST, "code", "组织代码重复: %s",
		               o->code);
	if (e != XJ_OK)
		return e;
	q[0] = SV_INT(newid);
	q[1] = SV_INT(o->parent_id);
	e = st_exec(st, STMT_ORG_TREE_SELF, q, 1, err);
	if (e == XJ_OK && o->parent_id != 0)
		e = st_exec(st, STMT_ORG_TREE_ANCESTORS, q, 2, err);
	if (e == XJ_OK)
		e = audit_append(st, "org.create", "org", newid, err,
		                 "parent=%lld\ntype=%d\nname=%s\ncode=%s\n"
		                 "system=%lld\nbatch=%lld\nunit=%d\nweak=%d",
		                 (long long)o->parent_id, (int)o->type, o->name,
		                 o->code, (long long)o->system_id,
		                 (long long)o->batch_id, o->is_unit ? 1 : 0,
		                 o->weak ? 1 : 0);
	if (e == XJ_OK && id != NULL)
		*id = newid;
	return e;
}

enum xj_err store_member_insert(struct store *st, const struct member *m,
                                int64_t *id, struct xj_error *err)
{
	struct st_datebuf b, j, a;
	struct sval p[14];
	enum xj_err e;
	int64_t newid;

	e = member_validate(m, err);
	if (e != XJ_OK)
		return e;
	p[0] = SV_ID(m->org_id);
	p[1] = SV_TEXT(m->name);
	p[2] = SV_INT(m->gender);
	p[3] = st_date(m->birth_date, &b);
	p[4] = SV_TEXT(m->id_number);
	p[5] = SV_TEXT(m->phone);
	p[6] = st_date(m->joined_date, &j);
	p[7] = SV_INT(m->status);
	p[8] = SV_INT(m->categories);
	p[9] = SV_TEXT(m->mobile_dest);
	p[10] = st_date(m->absence_start, &a);
	p[11] = m->absence_months ? SV_INT(m->absence_months) : SV_TEXT(NULL);
	p[12] = SV_TEXT(m->post);
	p[13] = SV_TEXT(m->contact_arrangement);
	e = insert(st, STMT_MEMBER_INSERT, p, NPARAM(p), &newid, err);
	if (e == XJ_EEXIST)
		return xj_error_field(err, XJ_EEXIST, "id_number",
		                      "身份证号码与已登记的党员重复");
	/* The digest leaves out the ID number and phone (DESIGN.md,
	 * "Security model"). */
	if (e == XJ_OK)
		e = audit_append(st, "member.create", "member", newid, err,
		                 "org=%lld\nname=%s\ngender=%d\nstatus=%d\n"
		                 "categories=%u\nabsence_months=%d",
		                 (long long)m->org_id, m->name, (int)m->gender,
		                 (int)m->status, m->categories,
		                 m->absence_months);
	if (e == XJ_OK && id != NULL)
		*id = newid;
	return e;
}

enum xj_err store_body_seat(struct store *st, int64_t body_org_id,
                            int64_t member_id, const char *title,
                            struct xj_error *err)
{
	struct sval p[3];
	int64_t type;
	enum xj_err e;
	int found;

	p[0] = SV_INT(body_org_id);
	e = st_int(st, STMT_ORG_TYPE, p, 1, &type, &found, err);
	if (e != XJ_OK)
		return e;
	if (!found || type != ORG_LEADERSHIP)
		return xj_error_field(err, XJ_EINVAL, "body_id",
		                      "只能加入领导班子 (id %lld)",
		                      (long long)body_org_id);
	p[1] = SV_INT(member_id);
	p[2] = SV_TEXT(title);
	e = st_exec(st, STMT_BODY_SEAT, p, NPARAM(p), err);
	if (e == XJ_OK)
		e = audit_append(st, "body.seat", "org", body_org_id, err,
		                 "member=%lld\ntitle=%s", (long long)member_id,
		                 title ? title : "");
	return e;
}

enum xj_err store_record_append(struct store *st, const struct record *r,
                                int64_t *id, struct xj_error *err)
{
	char kind[128], entered[TIMESTAMP_STR_LEN];
	struct st_datebuf h;
	struct sval p[10];
	char session[32];
	int64_t other, newid;
	enum xj_err e;
	int found;

	e = name_validate(r->kind, "kind", err);
	if (e != XJ_OK)
		return e;
	if (r->happened_on == 0)
		return xj_error_field(err, XJ_EINVAL, "happened_on",
		                      "活动日期不能为空");
	if (r->supersedes != 0) {
		p[0] = SV_INT(r->supersedes);
		e = st_text(st, STMT_RECORD_KIND, p, 1, kind, sizeof(kind),
		            &found, err);
		if (e != XJ_OK)
			return e;
		if (!found)
			return xj_error_field(err, XJ_EINVAL, "supersedes",
			                      "要更正的记录不存在 (id %lld)",
			                      (long long)r->supersedes);
		if (strcmp(kind, r->kind) != 0)
			return xj_error_field(err, XJ_EINVAL, "supersedes",
			                      "更正记录必须与原记录类型相同");
		e = st_int(st, STMT_RECORD_SUPERSEDED_BY, p, 1, &other, &found,
		           err);
		if (e != XJ_OK)
			return e;
		if (found)
			return xj_error_field(err, XJ_ECONFLICT, "supersedes",
			                      "该记录已被记录 %lld 更正，"
			                      "请更正最新的记录",
			                      (long long)other);
	}
	timestamp_format(r->entered_at, entered);
	p[0] = SV_INT(r->campaign_id);
	p[1] = SV_TEXT(r->kind);
	p[2] = SV_INT(r->org_id);
	p[3] = SV_ID(r->member_id);
	p[4] = st_date(r->happened_on, &h);
	p[5] = SV_STR(entered);
	p[6] = SV_ID(r->entered_by);
	p[7] = SV_ID(r->supersedes);
	p[8] = SV_TEXT(r->payload ? r->payload : "{}");
	p[9] = SV_ID(r->session_id);
	session[0] = '\0';
	if (r->session_id != 0)
		snprintf(session, sizeof(session), "\nsession=%lld",
		         (long long)r->session_id);
	e = insert(st, STMT_RECORD_INSERT, p, NPARAM(p), &newid, err);
	/* session= only when linked: older entries keep their form */
	if (e == XJ_OK)
		e = audit_append(
		    st, r->supersedes ? "record.correct" : "record.append",
		    "record", newid, err,
		    "kind=%s\norg=%lld\nmember=%lld\n"
		    "happened=%s\nentered=%s\nsupersedes=%lld\n"
		    "payload=%s%s",
		    r->kind, (long long)r->org_id, (long long)r->member_id, h.s,
		    entered, (long long)r->supersedes,
		    r->payload ? r->payload : "{}", session);
	if (e == XJ_OK && id != NULL)
		*id = newid;
	return e;
}

enum xj_err store_count(struct store *st, enum store_count what, int64_t *n,
                        struct xj_error *err)
{
	static const enum stmt_id ids[COUNT__MAX] = {
		[COUNT_ORGS] = STMT_COUNT_ORGS,
		[COUNT_UNITS] = STMT_COUNT_UNITS,
		[COUNT_MEMBERS] = STMT_COUNT_MEMBERS,
		[COUNT_SYSTEMS] = STMT_COUNT_SYSTEMS,
		[COUNT_RECORDS] = STMT_COUNT_RECORDS,
		[COUNT_CURRENT_RECORDS] = STMT_COUNT_CURRENT_RECORDS,
	};

	if ((int)what < 0 || what >= COUNT__MAX)
		return xj_error_set(err, XJ_EINTERNAL, "未知的统计项");
	return st_int(st, ids[what], NULL, 0, n, NULL, err);
}

enum xj_err store_subtree_members(struct store *st, int64_t org_id, int64_t *n,
                                  struct xj_error *err)
{
	struct sval p[1] = { SV_INT(org_id) };

	return st_int(st, STMT_SUBTREE_MEMBERS, p, 1, n, NULL, err);
}

enum xj_err store_category_members(struct store *st, int c, int64_t *n,
                                   struct xj_error *err)
{
	struct sval p[1];

	if (c < 0 || c >= MCAT__MAX)
		return xj_error_field(err, XJ_EINVAL, "category",
		                      "人员类别不正确");
	p[0] = SV_INT(MCAT_BIT(c));
	return st_int(st, STMT_CATEGORY_MEMBERS, p, 1, n, NULL, err);
}
