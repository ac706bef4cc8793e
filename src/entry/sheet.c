/*
 * sheet.c - records from a spreadsheet: a sign-in sheet (签到表) of a study
 * session, a list of notes handed in. One record per row, all or nothing,
 * every problem with its row, column and reason.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/entry.h"
#include "xianjiao/store.h"

static const char *const idnum_headers[] = { "身份证号码", "公民身份号码",
	                                     "身份证号", NULL };
static const char *const org_headers[] = { "组织代码", NULL };
static const char *const date_headers[] = { "日期", "活动日期", NULL };
static const char *const name_headers[] = { "姓名", NULL };

static int is_one_of(const char *h, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(h, *list) == 0)
			return 1;
	return 0;
}

enum col_role { COL_IDNUM, COL_ORG, COL_DATE, COL_NAME, COL_FIELD };

struct col {
	enum col_role role;
	int field; /* COL_FIELD: index into the kind's fields */
};

static void problem(struct import_result *res, const struct table *t,
                    size_t row, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void problem(struct import_result *res, const struct table *t,
                    size_t row, const char *column, const char *fmt, ...)
{
	struct import_problem *p;
	va_list ap;

	res->nproblems++;
	if (res->nlisted >= IMPORT_PROBLEMS_MAX)
		return;
	p = &res->problems[res->nlisted++];
	p->row = t->source_row[row];
	p->index = row;
	snprintf(p->column, sizeof(p->column), "%s", column ? column : "");
	va_start(ap, fmt);
	vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
	va_end(ap);
}

/* A cell as the JSON value the field takes; NULL with a reason if not. */
static json_t *cell_value(const struct plan_field *f, const char *s,
                          const char **why)
{
	char *end;
	double d;
	long long v;

	switch (f->type) {
	case FIELD_NUMBER:
	case FIELD_ZISHU:
		d = strtod(s, &end);
		if (end == s || *end != '\0') {
			*why = "应为数字";
			return NULL;
		}
		return json_real(d);
	case FIELD_MEMBER:
		v = strtoll(s, &end, 10);
		if (end == s || *end != '\0' || v <= 0) {
			*why = "应为党员编号";
			return NULL;
		}
		return json_integer(v);
	default:
		return json_string(s);
	}
}

/* The column a problem with field belongs in. */
static const char *column_of(const struct plan_kind *k, const char *field)
{
	if (strcmp(field, "member_id") == 0)
		return "身份证号码";
	if (strcmp(field, "org_id") == 0)
		return "组织代码";
	if (strcmp(field, "happened_on") == 0)
		return "日期";
	return plan_field_find(k, field) >= 0 ? field : NULL;
}

struct seen {
	int64_t subject;
	int32_t day;
	size_t row;
};

static int seen_cmp(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;

	if (x->subject != y->subject)
		return (x->subject > y->subject) - (x->subject < y->subject);
	if (x->day != y->day)
		return (x->day > y->day) - (x->day < y->day);
	return (x->row > y->row) - (x->row < y->row);
}

static int row_empty(const struct table *t, size_t r)
{
	size_t c;

	for (c = 0; c < t->ncols; c++)
		if (table_cell(t, r, c)[0] != '\0')
			return 0;
	return 1;
}

enum xj_err entry_import(struct store *st, const struct plan *p,
                         const char *kind_id, const struct table *t,
                         const struct entry_sheet *opt,
                         struct import_result *res, struct xj_error *err)
{
	const struct plan_kind *k;
	struct col *cols = NULL;
	struct seen *seen = NULL;
	json_t *defaults = NULL;
	json_error_t je;
	size_t r, c, nseen = 0;
	int kind, have_subject = 0, have_date = opt->date != 0, header_ok;
	enum xj_err e = XJ_OK;

	memset(res, 0, sizeof(*res));
	res->problems = xcalloc(IMPORT_PROBLEMS_MAX, sizeof(*res->problems));
	kind = plan_kind_find(p, kind_id);
	if (kind < 0)
		return xj_error_field(err, XJ_EINVAL, "kind",
		                      "方案中没有记录类型“%s”", kind_id);
	k = &p->kinds[kind];
	defaults = json_loads(opt->defaults ? opt->defaults : "{}", 0, &je);
	if (!json_is_object(defaults)) {
		json_decref(defaults);
		return xj_error_field(err, XJ_EINVAL, "data",
		                      "共同内容应为 JSON 对象");
	}
	if (t->nrows == 0) {
		json_decref(defaults);
		return xj_error_set(err, XJ_EINVAL,
		                    "表格是空的：第一行应为表头");
	}
	cols = xcalloc(t->ncols + 1, sizeof(*cols));
	for (c = 0; c < t->ncols; c++) {
		const char *h = table_cell(t, 0, c);

		if (is_one_of(h, idnum_headers))
			cols[c].role = COL_IDNUM;
		else if (is_one_of(h, org_headers))
			cols[c].role = COL_ORG;
		else if (is_one_of(h, date_headers))
			cols[c].role = COL_DATE;
		else if (is_one_of(h, name_headers))
			cols[c].role = COL_NAME;
		else if ((cols[c].field = plan_field_find(k, h)) >= 0)
			cols[c].role = COL_FIELD;
		else
			problem(
			    res, t, 0, h,
			    "不认识的列：“%s”记录的列为 身份证号码/组织代码、"
			    "日期、姓名 和方案规定的字段",
			    k->name);
		have_date |= cols[c].role == COL_DATE;
		have_subject |=
		    cols[c].role ==
		    (k->subject == SUBJECT_MEMBER ? COL_IDNUM : COL_ORG);
	}
	if (!have_subject)
		problem(res, t, 0, NULL, "缺少“%s”列",
		        k->subject == SUBJECT_MEMBER ? "身份证号码"
		                                     : "组织代码");
	if (!have_date)
		problem(res, t, 0, NULL, "缺少“日期”列（或在命令中给出日期）");
	seen = xcalloc(t->nrows + 1, sizeof(*seen));
	header_ok = res->nproblems == 0;
	for (r = 1; header_ok && r < t->nrows; r++) {
		struct entry in;
		struct entry_result out;
		struct member_row m;
		json_t *payload;
		const char *name = NULL;
		char *text;
		int found, bad = 0;

		if (row_empty(t, r))
			continue;
		res->rows++;
		memset(&in, 0, sizeof(in));
		in.kind = k->id;
		in.happened_on = opt->date;
		payload = json_deep_copy(defaults);
		for (c = 0; c < t->ncols; c++) {
			const char *s = table_cell(t, r, c);
			const char *h = table_cell(t, 0, c);
			const char *why = NULL;

			if (s[0] == '\0')
				continue;
			switch (cols[c].role) {
			case COL_IDNUM:
				e = store_member_by_idnum(st, s, &m, &found,
				                          err);
				if (e != XJ_OK)
					goto out;
				if (found && opt->scope != NULL) {
					int in_scope = 0;

					e = store_scope_member(
					    st, opt->scope->user_id,
					    opt->scope->role_mask, m.m.id,
					    &in_scope, err);
					if (e != XJ_OK)
						goto out;
					found = in_scope;
				}
				if (!found) {
					/* the same words for someone outside
					 * the scope: nothing about them shows */
					problem(res, t, r, h,
					        "没有身份证号码为 %s 的党员"
					        "（或不在您的范围内）",
					        s);
					bad = 1;
				} else {
					in.member_id = m.m.id;
				}
				break;
			case COL_ORG:
				e = store_org_by_code(st, s, &in.org_id, err);
				if (e != XJ_OK)
					goto out;
				if (in.org_id != 0 && opt->scope != NULL) {
					int in_scope = 0;

					e = store_scope_org(
					    st, opt->scope->user_id,
					    opt->scope->role_mask, in.org_id,
					    &in_scope, err);
					if (e != XJ_OK)
						goto out;
					if (!in_scope)
						in.org_id = 0;
				}
				if (in.org_id == 0) {
					problem(res, t, r, h,
					        "没有组织代码为 %s 的组织"
					        "（或不在您的范围内）",
					        s);
					bad = 1;
				}
				break;
			case COL_DATE:
				if (date_parse_loose(s, &in.happened_on, h,
				                     NULL) != XJ_OK) {
					problem(
					    res, t, r, h,
					    "日期“%s”无法识别，应如 2005-03-10",
					    s);
					bad = 1;
				}
				break;
			case COL_NAME:
				name = s;
				break;
			case COL_FIELD: {
				json_t *v = cell_value(
				    &k->fields[cols[c].field], s, &why);

				if (v == NULL) {
					problem(res, t, r, h, "“%s”%s", s, why);
					bad = 1;
				} else {
					json_object_set_new(payload, h, v);
				}
				break;
			}
			}
		}
		/* a name that is not the ID number's holder is a wrong row */
		if (!bad && name != NULL && in.member_id != 0 &&
		    strcmp(name, m.m.name) != 0) {
			problem(res, t, r, "姓名",
			        "姓名“%s”与身份证号码登记的“%s”不符", name,
			        m.m.name);
			bad = 1;
		}
		if (!bad && in.member_id == 0 && in.org_id == 0) {
			problem(res, t, r, NULL, "没有填写%s",
			        k->subject == SUBJECT_MEMBER ? "身份证号码"
			                                     : "组织代码");
			bad = 1;
		}
		if (bad) {
			json_decref(payload);
			continue;
		}
		seen[nseen].subject = in.member_id ? in.member_id : -in.org_id;
		seen[nseen].day = in.happened_on;
		seen[nseen].row = r;
		nseen++;
		text = json_dumps(payload, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(payload);
		in.payload = text;
		e = entry_add(st, p, &in, opt->today, opt->now, opt->actor,
		              &out, err);
		if (e == XJ_OK && opt->row != NULL)
			opt->row(opt->ctx, t->source_row[r], &in, &out);
		free(text);
		if (e == XJ_EINVAL || e == XJ_ECONFLICT) {
			problem(res, t, r, column_of(k, err->field), "%s",
			        err->msg);
			xj_error_clear(err);
			e = XJ_OK;
			continue;
		}
		if (e != XJ_OK)
			goto out;
		res->inserted++;
	}
	/* the same person (or organisation) twice on one day: a sheet
	 * copied twice, or a name ticked twice */
	if (nseen > 1)
		qsort(seen, nseen, sizeof(*seen), seen_cmp);
	for (r = 1; r < nseen; r++)
		if (seen[r].subject == seen[r - 1].subject &&
		    seen[r].day == seen[r - 1].day)
			problem(res, t, seen[r].row, NULL,
			        "与第 %ld 行重复：同一人同一天只能登记一次",
			        t->source_row[seen[r - 1].row]);
	if (res->nproblems > 0)
		e = xj_error_set(err, XJ_EINVAL, "%zu 处错误，未写入任何记录",
		                 res->nproblems);
out:
	json_decref(defaults);
	free(cols);
	free(seen);
	return e;
}
