/*
 * Registry writes beyond first insertion: updates by stable key, branch
 * secretaries, movements, and the coverage lists (一个不漏).
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "xianjiao/date.h"

static const char *const movement_names[MOVE__MAX] = {
	[MOVE_IN] = "转入",
	[MOVE_OUT] = "转出",
	[MOVE_DEATH] = "去世",
	[MOVE_WITHIN] = "调动",
};

const char *movement_name(enum movement_kind k)
{
	return (int)k >= 0 && k < MOVE__MAX ? movement_names[k] : "?";
}

enum xj_err store_member_by_idnum(struct store *st, const char *id_number,
                                  struct member_row *r, int *found,
                                  struct xj_error *err)
{
	struct sval p[1] = { SV_TEXT(id_number) };

	return st_member_one(st, STMT_MEMBER_BY_IDNUM, p, 1, r, found, err);
}

enum xj_err store_member_update(struct store *st, const struct member *m,
                                struct xj_error *err)
{
	struct st_datebuf b, j, a;
	struct sval p[15];
	enum xj_err e;

	e = member_validate(m, err);
	if (e != XJ_OK)
		return e;
	p[0] = SV_INT(m->id);
	p[1] = SV_ID(m->org_id);
	p[2] = SV_TEXT(m->name);
	p[3] = SV_INT(m->gender);
	p[4] = st_date(m->birth_date, &b);
	p[5] = SV_TEXT(m->id_number);
	p[6] = SV_TEXT(m->phone);
	p[7] = st_date(m->joined_date, &j);
	p[8] = SV_INT(m->status);
	p[9] = SV_INT(m->categories);
	p[10] = SV_TEXT(m->mobile_dest);
	p[11] = st_date(m->absence_start, &a);
	p[12] = m->absence_months ? SV_INT(m->absence_months) : SV_TEXT(NULL);
	p[13] = SV_TEXT(m->post);
	p[14] = SV_TEXT(m->contact_arrangement);
	e = st_exec(st, STMT_MEMBER_UPDATE, p, 15, err);
	if (e == XJ_EEXIST)
		return xj_error_field(err, XJ_EEXIST, "id_number",
		                      "身份证号码与已登记的党员重复");
	if (e != XJ_OK)
		return e;
	if (st_changes(st) == 0)
		return xj_error_set(err, XJ_ENOTFOUND, "党员不存在 (编号 %lld)",
		                    (long long)m->id);
	return audit_append(st, "member.update", "member", m->id, err,
	                    "org=%lld\nname=%s\ngender=%d\nstatus=%d\n"
	                    "categories=%u\nabsence_months=%d\npost=%s",
	                    (long long)m->org_id, m->name, (int)m->gender,
	                    (int)m->status, m->categories, m->absence_months,
	                    m->post ? m->post : "");
}

enum xj_err store_org_set_secretary(struct store *st, int64_t org_id,
                                    int64_t member_id, struct xj_error *err)
{
	struct sval p[2] = { SV_INT(org_id), SV_ID(member_id) };
	int64_t type, current = 0;
	enum xj_err e;
	int found;

	e = st_int(st, STMT_ORG_TYPE, p, 1, &type, &found, err);
	if (e != XJ_OK)
		return e;
	if (!found || type != ORG_BRANCH)
		return xj_error_field(err, XJ_EINVAL, "post",
		                      "只有党支部设支部书记");
	e = st_int(st, STMT_ORG_SECRETARY, p, 1, &current, &found, err);
	if (e != XJ_OK || current == member_id)
		return e; /* already so: nothing to write or audit */
	e = st_exec(st, STMT_ORG_SET_SECRETARY, p, 2, err);
	if (e != XJ_OK)
		return e;
	return audit_append(st, "org.secretary", "org", org_id, err,
	                    "secretary=%lld", (long long)member_id);
}

enum xj_err store_org_update(struct store *st, const struct org *o,
                             struct xj_error *err)
{
	struct sval p[8];
	enum xj_err e;

	e = org_validate(o, err);
	if (e != XJ_OK)
		return e;
	p[0] = SV_INT(o->id);
	p[1] = SV_ID(o->parent_id);
	p[2] = SV_INT(o->type);
	p[3] = SV_TEXT(o->name);
	p[4] = SV_ID(o->system_id);
	p[5] = SV_ID(o->batch_id);
	p[6] = SV_INT(o->is_unit ? 1 : 0);
	p[7] = SV_INT(o->weak ? 1 : 0);
	e = st_exec(st, STMT_ORG_UPDATE, p, 8, err);
	if (e != XJ_OK)
		return e;
	return audit_append(st, "org.update", "org", o->id, err,
	                    "parent=%lld\ntype=%d\nname=%s\nsystem=%lld\n"
	                    "batch=%lld\nunit=%d\nweak=%d",
	                    (long long)o->parent_id, (int)o->type, o->name,
	                    (long long)o->system_id, (long long)o->batch_id,
	                    o->is_unit ? 1 : 0, o->weak ? 1 : 0);
}

enum xj_err store_subtree_orgs(struct store *st, int64_t root,
                               int (*fn)(void *ctx, const struct org_row *r),
                               void *ctx, struct xj_error *err)
{
	struct sval p[1] = { SV_INT(root) };

	return st_org_each(st, STMT_SUBTREE_ORG_LIST, p, 1, fn, ctx, err);
}

enum xj_err store_batch_by_ordinal(struct store *st, int ordinal, int64_t *id,
                                   struct xj_error *err)
{
	struct sval p[1] = { SV_INT(ordinal) };
	int found;
	enum xj_err e;

	*id = 0;
	e = st_int(st, STMT_BATCH_BY_ORDINAL, p, 1, id, &found, err);
	if (e == XJ_OK && !found)
		*id = 0;
	return e;
}

enum xj_err store_system_name(struct store *st, int64_t id, char *buf,
                              size_t size, struct xj_error *err)
{
	struct sval p[1] = { SV_INT(id) };
	int found;
	enum xj_err e;

	buf[0] = '\0';
	e = st_text(st, STMT_SYSTEM_NAME, p, 1, buf, size, &found, err);
	if (e == XJ_OK && !found)
		buf[0] = '\0';
	return e;
}

enum xj_err store_batch_ordinal(struct store *st, int64_t id, int *ordinal,
                                struct xj_error *err)
{
	struct sval p[1] = { SV_INT(id) };
	int64_t v = 0;
	int found;
	enum xj_err e;

	e = st_int(st, STMT_BATCH_ORDINAL, p, 1, &v, &found, err);
	*ordinal = e == XJ_OK && found ? (int)v : 0;
	return e;
}

enum xj_err store_movement(struct store *st, int64_t member_id,
                           enum movement_kind kind, int32_t date,
                           int64_t to_org, const char *note,
                           struct xj_error *err)
{
	char d[DATE_STR_LEN];
	struct member_row r;
	struct sval p[6], q[3];
	int64_t type = -1;
	enum xj_err e;
	int found;

	if ((int)kind < 0 || kind >= MOVE__MAX)
		return xj_error_field(err, XJ_EINVAL, "kind", "变动类型不正确");
	if (date == 0)
		return xj_error_field(err, XJ_EINVAL, "date",
		                      "变动日期不能为空");
	p[0] = SV_INT(member_id);
	e = st_member_one(st, STMT_MEMBER_GET, p, 1, &r, &found, err);
	if (e != XJ_OK)
		return e;
	if (!found)
		return xj_error_set(err, XJ_ENOTFOUND, "党员不存在 (编号 %lld)",
		                    (long long)member_id);
	if (r.m.left_on != 0 && kind != MOVE_IN)
		return xj_error_field(err, XJ_ECONFLICT, "kind",
		                      "该党员已转出或去世，只能办理转入");
	if (r.m.joined_date != 0 && date < r.m.joined_date)
		return xj_error_field(err, XJ_EINVAL, "date",
		                      "变动日期早于入党时间");
	if (kind == MOVE_IN || kind == MOVE_WITHIN) {
		q[0] = SV_INT(to_org);
		e = st_int(st, STMT_ORG_TYPE, q, 1, &type, &found, err);
		if (e != XJ_OK)
			return e;
		if (!found || type != ORG_BRANCH)
			return xj_error_field(err, XJ_EINVAL, "to_org",
			                      "转入或调动须指定党支部");
	} else {
		to_org = 0;
	}
	date_format(date, d);
	p[1] = SV_INT(kind);
	p[2] = SV_STR(d);
	p[3] = SV_ID(r.m.org_id);
	p[4] = SV_ID(to_org);
	p[5] = SV_TEXT(note);
	e = st_exec(st, STMT_MOVEMENT_INSERT, p, 6, err);
	if (e != XJ_OK)
		return e;
	q[0] = SV_INT(member_id);
	if (kind == MOVE_IN || kind == MOVE_WITHIN) {
		q[1] = SV_TEXT(NULL);
		q[2] = SV_INT(to_org);
	} else {
		/* The member keeps the branch they left, for history. */
		q[1] = SV_STR(d);
		q[2] = SV_ID(r.m.org_id);
	}
	e = st_exec(st, STMT_MEMBER_SET_LEFT, q, 3, err);
	if (e != XJ_OK)
		return e;
	return audit_append(st, "member.movement", "member", member_id, err,
	                    "kind=%d\ndate=%s\nfrom=%lld\nto=%lld", (int)kind,
	                    d, (long long)r.m.org_id, (long long)to_org);
}

enum xj_err
store_coverage_members(struct store *st, enum coverage_list l, int64_t root,
                       int (*fn)(void *ctx, const struct member_row *r),
                       void *ctx, struct xj_error *err)
{
	static const enum stmt_id ids[COVER__MEMBERS] = {
		[COVER_NO_BRANCH] = STMT_COVERAGE_NO_BRANCH,
		[COVER_LOST] = STMT_COVERAGE_LOST,
		[COVER_MOBILE_NO_CONTACT] = STMT_COVERAGE_MOBILE_NO_CONTACT,
	};
	struct sval p[1] = { SV_INT(root) };

	if ((int)l < 0 || l >= COVER__MEMBERS)
		return xj_error_set(err, XJ_EINTERNAL, "未知的覆盖清单");
	return st_member_each(st, ids[l], p, l == COVER_NO_BRANCH ? 0 : 1, fn,
	                      ctx, err);
}

enum xj_err store_coverage_orgs(struct store *st, int64_t root,
                                int (*fn)(void *ctx, const struct org_row *r),
                                void *ctx, struct xj_error *err)
{
	struct sval p[1] = { SV_INT(root) };

	return st_org_each(st, STMT_COVERAGE_NO_SECRETARY, p, 1, fn, ctx, err);
}

struct count_ctx {
	int64_t first;
	int n;
};

static int count_ids(void *ctx, const struct st_row *r)
{
	struct count_ctx *c = ctx;

	if (c->n++ == 0)
		c->first = st_row_int(r, 0);
	return 0;
}

enum xj_err store_branch_by_name(struct store *st, const char *name,
                                 int64_t *id, int *count, struct xj_error *err)
{
	struct count_ctx c = { 0, 0 };
	struct sval p[1] = { SV_TEXT(name) };
	enum xj_err e;

	e = st_each(st, STMT_BRANCHES_BY_NAME, p, 1, count_ids, &c, err);
	*id = c.first;
	*count = c.n;
	return e;
}

enum xj_err store_members_all(struct store *st,
                              int (*fn)(void *ctx, const struct member_row *r),
                              void *ctx, struct xj_error *err)
{
	return st_member_each(st, STMT_MEMBERS_ALL, NULL, 0, fn, ctx, err);
}

enum xj_err store_roots(struct store *st,
                        int (*fn)(void *ctx, const struct org_row *r),
                        void *ctx, struct xj_error *err)
{
	return st_org_each(st, STMT_ROOTS, NULL, 0, fn, ctx, err);
}

enum xj_err store_member_seat(struct store *st, int64_t member_id,
                              int64_t branch_id, const char *title,
                              const char *current, struct xj_error *err)
{
	struct sval p[3];
	int64_t body = 0;
	enum xj_err e;
	int found;

	if (title == NULL)
		title = "";
	if (strcmp(title, current ? current : "") == 0)
		return XJ_OK; /* already so */
	if (title[0] == '\0') {
		p[0] = SV_INT(member_id);
		e = st_exec(st, STMT_SEAT_DELETE, p, 1, err);
		if (e != XJ_OK)
			return e;
		return audit_append(st, "body.unseat", "member", member_id, err,
		                    "seat removed");
	}
	e = name_validate(title, "seat", err);
	if (e != XJ_OK)
		return e;
	p[0] = SV_INT(branch_id);
	e = st_int(st, STMT_UNIT_BODY_OF, p, 1, &body, &found, err);
	if (e != XJ_OK)
		return e;
	if (!found)
		return xj_error_field(err, XJ_EINVAL, "seat",
		                      "所在单位没有登记领导班子");
	p[0] = SV_INT(body);
	p[1] = SV_INT(member_id);
	p[2] = SV_TEXT(title);
	e = st_exec(st, STMT_SEAT_UPSERT, p, 3, err);
	if (e != XJ_OK)
		return e;
	return audit_append(st, "body.seat", "org", body, err,
	                    "member=%lld\ntitle=%s", (long long)member_id,
	                    title);
}
