/*
 * session.c - a 集中学习 session and its attendance list entered in one
 * go (entry.h): the session is a record of kind study_session, each name
 * an attendance or absence record linked to it. All or nothing.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/entry.h"
#include "xianjiao/store.h"

#define KIND_SESSION "study_session"
#define KIND_PRESENT "study_attendance"
#define KIND_ABSENT "study_absence"

static void problem(struct entry_session_result *res, size_t index,
                    int64_t member, const char *name, const char *field,
                    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void problem(struct entry_session_result *res, size_t index,
                    int64_t member, const char *name, const char *field,
                    const char *fmt, ...)
{
	struct entry_session_problem *q = &res->problems[res->nproblems++];
	va_list ap;

	q->index = index;
	q->member_id = member;
	snprintf(q->name, sizeof(q->name), "%s", name ? name : "");
	snprintf(q->field, sizeof(q->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(q->reason, sizeof(q->reason), fmt, ap);
	va_end(ap);
}

static int by_member(const void *a, const void *b, void *list)
{
	const struct entry_attendee *l = list;
	int64_t x = l[*(const size_t *)a].member_id;
	int64_t y = l[*(const size_t *)b].member_id;

	if (x != y)
		return (x > y) - (x < y);
	return (*(const size_t *)a > *(const size_t *)b) -
	       (*(const size_t *)a < *(const size_t *)b);
}

static int by_index(const void *a, const void *b)
{
	const struct entry_session_problem *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

/* Copy the session's field name into o when the attendance kind has it. */
static void carry(const struct plan *p, const char *kind, json_t *session,
                  const char *name, json_t *o)
{
	int k = plan_kind_find(p, kind);
	json_t *v = json_object_get(session, name);

	if (k >= 0 && v != NULL && plan_field_find(&p->kinds[k], name) >= 0)
		json_object_set(o, name, v);
}

/* The payload of one name's record. */
static char *name_payload(const struct plan *p, json_t *session,
                          const char *label, const struct entry_attendee *a)
{
	const char *kind = a->absent ? KIND_ABSENT : KIND_PRESENT;
	json_t *o = json_object();
	char *s;

	carry(p, kind, session, "hours", o);
	json_object_set_new(o, "session", json_string(label));
	if (a->absent) {
		json_object_set_new(o, "reason", json_string(a->absent));
	} else {
		carry(p, kind, session, "start", o);
		carry(p, kind, session, "makeup", o);
	}
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

static enum xj_err check_kinds(const struct plan *p, struct xj_error *err)
{
	static const char *const kinds[] = { KIND_SESSION, KIND_PRESENT,
		                             KIND_ABSENT };
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (plan_kind_find(p, kinds[i]) < 0)
			return xj_error_field(err, XJ_EINVAL, "kind",
			                      "方案中没有记录类型“%s”，"
			                      "不能按次录入集中学习",
			                      kinds[i]);
	return XJ_OK;
}

void entry_session_release(struct entry_session_result *res)
{
	free(res->problems);
	res->problems = NULL;
	res->nproblems = 0;
}

enum xj_err entry_session(struct store *st, const struct plan *p,
                          const struct entry_session *in,
                          struct entry_session_result *res,
                          struct xj_error *err)
{
	struct entry head;
	struct entry_result out;
	json_t *session = NULL;
	json_error_t je;
	size_t *order = NULL, i;
	char label[PLAN_NAME_MAX + 32];
	const char *title;
	enum xj_err e;

	memset(res, 0, sizeof(*res));
	e = check_kinds(p, err);
	if (e != XJ_OK)
		return e;
	if (in->n == 0)
		return xj_error_field(err, XJ_EINVAL, "attendance",
		                      "出勤名单是空的：请勾选到会或缺勤的党员");
	if (in->n > ENTRY_SESSION_MAX)
		return xj_error_field(err, XJ_EINVAL, "attendance",
		                      "一次学习的名单最多 %d 人",
		                      ENTRY_SESSION_MAX);
	session = json_loads(in->payload ? in->payload : "{}", 0, &je);
	if (!json_is_object(session)) {
		json_decref(session);
		return xj_error_field(err, XJ_EINVAL, "session",
		                      "学习的内容应为 JSON 对象");
	}
	/* the hours of one session: positive, within a day (the session is
	 * an organisation's record, so entry_add() does not hold it to a
	 * member's day) */
	{
		json_t *h = json_object_get(session, "hours");

		if (json_is_number(h) && !(json_number_value(h) > 0)) {
			e = xj_error_field(err, XJ_EINVAL, "hours",
			                   "字段 hours：学时应大于 0");
			goto out;
		}
		if (json_is_number(h) && json_number_value(h) > 24) {
			e = xj_error_field(err, XJ_EINVAL, "hours",
			                   "字段 hours：一次学习不能超过 24 "
			                   "小时");
			goto out;
		}
	}
	memset(&head, 0, sizeof(head));
	head.kind = KIND_SESSION;
	head.org_id = in->org_id;
	head.happened_on = in->happened_on;
	head.payload = in->payload ? in->payload : "{}";
	e = entry_add(st, p, &head, in->today, in->now, in->actor, &out, err);
	if (e != XJ_OK)
		goto out;
	res->session_id = out.id;
	if (in->appended)
		in->appended(in->ctx, &head, &out);
	title = json_string_value(json_object_get(session, "title"));
	if (title != NULL && title[0] != '\0')
		snprintf(label, sizeof(label), "%s", title);
	else
		snprintf(label, sizeof(label), "集中学习（记录 %" PRId64 "）",
		         out.id);

	res->problems = xcalloc(in->n, sizeof(*res->problems));
	/* the same name twice: sort positions by member, keep the first */
	order = xcalloc(in->n, sizeof(*order));
	for (i = 0; i < in->n; i++)
		order[i] = i;
	qsort_r(order, in->n, sizeof(*order), by_member, (void *)in->list);
	for (i = 0; i < in->n; i++) {
		const struct entry_attendee *a = &in->list[order[i]];
		struct member_row m;
		struct entry rec;
		int64_t branch = 0;
		char *payload;
		int found = 0, within = 0;

		/* a name is shown only for members of the organisation
		 * holding the session: the list must not tell the caller
		 * who someone elsewhere is */
		if (a->member_id > 0)
			e = store_member_get(st, a->member_id, &m, &found, err);
		if (e == XJ_OK && found)
			e = store_member_branch_on(
			    st, a->member_id, in->happened_on, &branch, err);
		if (e == XJ_OK && branch != 0)
			e = store_org_within(st, in->org_id, branch, &within,
			                     err);
		if (e != XJ_OK)
			goto out;
		if (!found) {
			problem(res, order[i], a->member_id, NULL, "member_id",
			        "党员编号 %" PRId64 " 不存在", a->member_id);
			continue;
		}
		if (branch == 0) {
			problem(res, order[i], a->member_id, NULL, "member_id",
			        "党员编号 %" PRId64
			        " 当天不在本活动的组织中（已"
			        "转出、去世或尚未转入），不能登记",
			        a->member_id);
			continue;
		}
		if (!within) {
			problem(res, order[i], a->member_id, NULL, "member_id",
			        "党员编号 %" PRId64 " 当天不属于举办这次学习的"
			        "组织，不能登记在本次学习的名单上",
			        a->member_id);
			continue;
		}
		if (i > 0 && a->member_id == in->list[order[i - 1]].member_id) {
			problem(
			    res, order[i], a->member_id, m.name, "member_id",
			    "%s 与名单第 %zu 项重复：同一名党员只能登记一次",
			    m.name, order[i - 1] + 1);
			continue;
		}
		memset(&rec, 0, sizeof(rec));
		rec.kind = a->absent ? KIND_ABSENT : KIND_PRESENT;
		rec.member_id = a->member_id;
		rec.happened_on = in->happened_on;
		rec.session_id = res->session_id;
		payload = name_payload(p, session, label, a);
		rec.payload = payload;
		e = entry_add(st, p, &rec, in->today, in->now, in->actor, &out,
		              err);
		if (e == XJ_OK && in->appended)
			in->appended(in->ctx, &rec, &out);
		free(payload);
		if (e == XJ_EINVAL || e == XJ_ECONFLICT) {
			problem(res, order[i], a->member_id, m.name, err->field,
			        "%s", err->msg);
			xj_error_clear(err);
			e = XJ_OK;
			continue;
		}
		if (e != XJ_OK)
			goto out;
		if (a->absent) {
			res->absent++;
		} else if (res->present++ == 0) {
			/* the hours' lateness, as any attendance shows it */
			res->late = out.late;
			snprintf(res->note, sizeof(res->note), "%s", out.note);
		}
	}
	if (res->nproblems > 0) {
		/* in list order, as the user sees the list */
		qsort(res->problems, res->nproblems, sizeof(*res->problems),
		      by_index);
		e = xj_error_field(err, XJ_EINVAL, "attendance",
		                   "名单中 %zu 人有问题，这次学习未录入",
		                   res->nproblems);
	}
out:
	free(order);
	json_decref(session);
	return e;
}
