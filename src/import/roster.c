/*
 * Roster import (import.h): map spreadsheet rows to organisations and
 * members, check every cell, then upsert by stable key in one
 * transaction. The rules for each column are in include/xianjiao/roster.h
 * and DOMAIN.md §3.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xianjiao/alloc.h"
#include "xianjiao/core.h"
#include "xianjiao/date.h"
#include "xianjiao/hash.h"
#include "xianjiao/import.h"
#include "xianjiao/roster.h"
#include "xianjiao/store.h"
#include "xianjiao/strbuf.h"
#include "xianjiao/text.h"

/* What is known while checking one file. */
struct run {
	struct store *st;
	const struct table *t;
	const struct import_scope *scope;
	struct import_result *res;
	int col[(int)MCOL__MAX > (int)OCOL__MAX
	            ? (int)MCOL__MAX
	            : (int)OCOL__MAX]; /* -1: absent */
	size_t row;                    /* the table row being checked */
	int row_bad;                   /* this row has a problem */
	/* Keys seen so far, to find a key repeated in the file: keys[row]
	 * points into the table; slots hold row numbers (0: empty). */
	const char **keys;
	size_t *slots, nslots;
	/* Organisations named so far (org_lookup). */
	struct org_seen **orgs;
	size_t norg, norg_slots;
	struct xj_error *err;
	int dry_run;
};

static void problem(struct run *r, int column, const char *const *headers,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void problem(struct run *r, int column, const char *const *headers,
                    const char *fmt, ...)
{
	struct import_result *res = r->res;
	struct import_problem *p;
	va_list ap;

	r->row_bad = 1;
	if (r->row > 0)
		res->actions[r->row] = IMPORT_ROW_REJECTED;
	res->nproblems++;
	if (res->nlisted >= IMPORT_PROBLEMS_MAX)
		return;
	if (res->problems == NULL)
		res->problems = xcalloc(IMPORT_PROBLEMS_MAX, sizeof(*p));
	p = &res->problems[res->nlisted++];
	p->index = r->row;
	p->row = r->t->source_row[r->row];
	snprintf(p->column, sizeof(p->column), "%s",
	         column >= 0 && headers != NULL ? headers[column] : "");
	va_start(ap, fmt);
	vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
	va_end(ap);
}

/* The cell of column c in the current row, "" when the column is absent. */
static const char *cell(struct run *r, int c)
{
	if (r->col[c] < 0)
		return "";
	return table_cell(r->t, r->row, (size_t)r->col[c]);
}

static int row_empty(const struct table *t, size_t row)
{
	size_t c;

	for (c = 0; c < t->ncols; c++)
		if (table_cell(t, row, c)[0] != '\0')
			return 0;
	return 1;
}

/* Map the header row to columns; problems for unknown and repeated
 * headers and for missing required ones. */
static void map_header(struct run *r, int ncols_known,
                       int (*parse)(const char *), const char *const *headers,
                       const int *required)
{
	size_t c;
	int k;

	for (k = 0; k < ncols_known; k++)
		r->col[k] = -1;
	r->row = 0;
	for (c = 0; c < r->t->ncols; c++) {
		const char *h = table_cell(r->t, 0, c);

		if (h[0] == '\0')
			continue;
		k = parse(h);
		if (k < 0) {
			problem(r, -1, NULL, "第 %zu 列的列名“%s”无法识别",
			        c + 1, h);
			continue;
		}
		if (r->col[k] >= 0) {
			problem(r, k, headers,
			        "列名重复（第 %d 列和第 %zu 列）",
			        r->col[k] + 1, c + 1);
			continue;
		}
		r->col[k] = (int)c;
	}
	for (k = 0; required[k] >= 0; k++)
		if (r->col[required[k]] < 0)
			problem(r, required[k], headers, "缺少必需的列“%s”",
			        headers[required[k]]);
}

/* Cells in columns that have no header would be silently dropped. */
static void check_stray_cells(struct run *r, const char *const *headers)
{
	size_t c;

	for (c = 0; c < r->t->ncols; c++)
		if (table_cell(r->t, 0, c)[0] == '\0' &&
		    table_cell(r->t, r->row, c)[0] != '\0')
			problem(r, -1, headers,
			        "第 %zu 列有内容但没有列名，请补上列名或删除",
			        c + 1);
}

/* A key seen in an earlier row of this file: that row's number. */
static long repeated(struct run *r, const char *key)
{
	size_t mask = r->nslots - 1, h = 14695981039346656037u, i;
	const unsigned char *p;

	/* FNV-1a into an open-addressed table of row numbers: one probe
	 * sequence per row, so a 100,000-row file costs 100,000 lookups,
	 * not 5 billion comparisons. */
	for (p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	for (i = h & mask;; i = (i + 1) & mask) {
		size_t row = r->slots[i];

		if (row == 0) {
			r->slots[i] = r->row;
			r->keys[r->row] = key;
			return 0;
		}
		if (strcmp(r->keys[row], key) == 0)
			return r->t->source_row[row];
	}
}

static int in_scope(struct run *r, int64_t org_id)
{
	int in = 0;

	if (r->scope == NULL || r->scope->user_id == 0)
		return 1;
	if (store_scope_org(r->st, r->scope->user_id, r->scope->role_mask,
	                    org_id, &in, NULL) != XJ_OK)
		return 0;
	return in;
}

static int yes_no(const char *s, int *out)
{
	if (s[0] == '\0' || strcmp(s, "否") == 0) {
		*out = 0;
		return 1;
	}
	if (strcmp(s, "是") == 0) {
		*out = 1;
		return 1;
	}
	return 0;
}

/* --- members ------------------------------------------------------- */

/* Birth date and sex as the ID number records them (GB 11643). */
static void idnum_facts(const char *id, int32_t *birth, enum gender *g)
{
	int y = 0, m = 0, d = 0, i;

	for (i = 6; i < 10; i++)
		y = y * 10 + (id[i] - '0');
	m = (id[10] - '0') * 10 + (id[11] - '0');
	d = (id[12] - '0') * 10 + (id[13] - '0');
	*birth = m >= 1 && m <= 12 && d >= 1 && d <= date_days_in_month(y, m)
	             ? date_from_ymd(y, m, d)
	             : 0;
	*g = (id[16] - '0') % 2 ? GENDER_MALE : GENDER_FEMALE;
}

/* 人员类别: names joined with 、，, ; or spaces. */
static int parse_categories(struct run *r, const char *s, uint32_t *mask)
{
	char name[64];
	size_t n = 0;
	const char *p = s;

	*mask = 0;
	for (;;) {
		int sep = *p == '\0' || *p == ',' || *p == ';' || *p == ' ' ||
		          strncmp(p, "、", 3) == 0 ||
		          strncmp(p, "，", 3) == 0 || strncmp(p, "；", 3) == 0;

		if (sep) {
			if (n > 0) {
				int c;

				name[n] = '\0';
				c = member_category_parse(name);
				if (c < 0) {
					problem(
					    r, MCOL_CATEGORIES,
					    member_col_header,
					    "人员类别“%s”无法识别（可用: "
					    "在职、离退休、年老体弱、流动党员、"
					    "失去联系、下岗失业、两新组织、"
					    "党员领导干部）",
					    name);
					return 0;
				}
				*mask |= MCAT_BIT(c);
				n = 0;
			}
			if (*p == '\0')
				break;
			p += (unsigned char)*p >= 0x80 ? 3 : 1;
			continue;
		}
		if (n + 1 >= sizeof(name)) {
			problem(r, MCOL_CATEGORIES, member_col_header,
			        "人员类别过长");
			return 0;
		}
		name[n++] = *p++;
	}
	if (*mask == 0)
		*mask = MCAT_BIT(MCAT_ACTIVE);
	return 1;
}

static int date_cell(struct run *r, int c, int32_t *out)
{
	const char *s = cell(r, c);
	struct xj_error e;

	*out = 0;
	if (s[0] == '\0')
		return 1;
	if (date_parse_loose(s, out, member_col_header[c], &e) != XJ_OK) {
		problem(r, c, member_col_header, "%s", e.msg);
		return 0;
	}
	return 1;
}

/* Find the branch a member row names; 0 after a problem. */
/* What a branch code resolved to; cached per import run. */
struct org_seen {
	char *code;
	int64_t id;   /* 0: no such organisation */
	int in_scope; /* the importer may put members there */
	struct org_row row;
};

/* Look a code up once per run: a roster names the same few hundred
 * branches over and over (open addressing on FNV-1a, grown at half
 * full). */
static struct org_seen *org_lookup(struct run *r, const char *code)
{
	size_t h = 14695981039346656037u, i, mask;
	const unsigned char *p;
	struct org_seen *o;
	int found;

	if (r->norg * 2 >= r->norg_slots) {
		struct org_seen **old = r->orgs;
		size_t n = r->norg_slots, k;

		r->norg_slots = n ? 2 * n : 64;
		r->orgs = xcalloc(r->norg_slots, sizeof(*r->orgs));
		for (k = 0; k < n; k++) {
			if (old[k] == NULL)
				continue;
			for (p = (const unsigned char *)old[k]->code,
			    h = 14695981039346656037u;
			     *p; p++)
				h = (h ^ *p) * 1099511628211u;
			for (i = h & (r->norg_slots - 1); r->orgs[i];
			     i = (i + 1) & (r->norg_slots - 1))
				;
			r->orgs[i] = old[k];
		}
		free(old);
		h = 14695981039346656037u;
	}
	for (p = (const unsigned char *)code; *p; p++)
		h = (h ^ *p) * 1099511628211u;
	mask = r->norg_slots - 1;
	for (i = h & mask; r->orgs[i]; i = (i + 1) & mask)
		if (strcmp(r->orgs[i]->code, code) == 0)
			return r->orgs[i];
	o = xcalloc(1, sizeof(*o));
	o->code = xstrdup(code);
	if (store_org_by_code(r->st, code, &o->id, r->err) != XJ_OK ||
	    (o->id != 0 &&
	     store_org_get(r->st, o->id, &o->row, &found, r->err) != XJ_OK)) {
		free(o->code);
		free(o);
		return NULL;
	}
	o->in_scope = o->id != 0 && in_scope(r, o->id);
	r->orgs[i] = o;
	r->norg++;
	return o;
}

static void org_cache_free(struct run *r)
{
	size_t i;

	for (i = 0; i < r->norg_slots; i++)
		if (r->orgs[i] != NULL) {
			free(r->orgs[i]->code);
			free(r->orgs[i]);
		}
	free(r->orgs);
}

static int64_t member_branch(struct run *r)
{
	const char *code = cell(r, MCOL_ORG_CODE);
	const char *name = cell(r, MCOL_ORG_NAME);
	const struct org_seen *o;
	int64_t id = 0;
	int n;

	if (code[0] != '\0') {
		o = org_lookup(r, code);
		if (o == NULL)
			return -1;
		if (!o->in_scope) {
			problem(r, MCOL_ORG_CODE, member_col_header,
			        "组织代码“%s”不存在或不在您的管理范围内", code);
			return 0;
		}
		if (o->row.o.type != ORG_BRANCH) {
			problem(r, MCOL_ORG_CODE, member_col_header,
			        "“%s”是%s，党员应登记在党支部", code,
			        org_type_name(o->row.o.type));
			return 0;
		}
		if (name[0] != '\0' && strcmp(name, o->row.name) != 0) {
			problem(r, MCOL_ORG_NAME, member_col_header,
			        "所在党组织“%s”与组织代码 %s（%s）不符", name,
			        code, o->row.name);
			return 0;
		}
		return o->id;
	}
	if (name[0] == '\0') {
		problem(r, MCOL_ORG_CODE, member_col_header,
		        "须填写组织代码或所在党组织");
		return 0;
	}
	if (store_branch_by_name(r->st, name, &id, &n, r->err) != XJ_OK)
		return -1;
	if (n == 0 || !in_scope(r, id)) {
		problem(r, MCOL_ORG_NAME, member_col_header,
		        "党支部“%s”不存在或不在您的管理范围内", name);
		return 0;
	}
	if (n > 1) {
		problem(r, MCOL_ORG_NAME, member_col_header,
		        "有多个名为“%s”的党支部，请填写组织代码", name);
		return 0;
	}
	return id;
}

/* The column of a field name from core's validation (member_validate). */
static int field_col(const char *field)
{
	static const struct {
		const char *field;
		int col;
	} map[] = {
		{ "name", MCOL_NAME },
		{ "gender", MCOL_GENDER },
		{ "status", MCOL_STATUS },
		{ "categories", MCOL_CATEGORIES },
		{ "id_number", MCOL_IDNUM },
		{ "joined_date", MCOL_JOINED },
		{ "mobile_dest", MCOL_MOBILE_DEST },
		{ "contact_arrangement", MCOL_CONTACT },
		{ "post", MCOL_POST },
		{ "absence_months", MCOL_ABSENT_MONTHS },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].field, field) == 0)
			return map[i].col;
	return -1;
}

struct member_plan {
	struct member m;
	int secretary;    /* 职务 is 支部书记 */
	size_t row;       /* the table row it came from */
	const char *seat; /* 领导班子职务; NULL when the column is absent */
};

/* Check one member row into plan; 0 on a problem (recorded). */
static int check_member(struct run *r, struct member_plan *plan)
{
	struct member *m = &plan->m;
	const char *idn = cell(r, MCOL_IDNUM), *s;
	struct xj_error e;
	int32_t birth_id;
	enum gender g_id;
	long seen;
	int64_t v;

	memset(plan, 0, sizeof(*plan));
	if (idnum_validate(idn, member_col_header[MCOL_IDNUM], &e) != XJ_OK) {
		problem(r, MCOL_IDNUM, member_col_header, "%s",
		        idn[0] ? e.msg : "身份证号码不能为空");
		return 0;
	}
	if ((seen = repeated(r, idn)) != 0)
		problem(r, MCOL_IDNUM, member_col_header,
		        "身份证号码与第 %ld 行重复", seen);
	m->id_number = idn;
	idnum_facts(idn, &birth_id, &g_id);
	m->name = cell(r, MCOL_NAME);
	if (name_validate(m->name, member_col_header[MCOL_NAME], &e) != XJ_OK)
		problem(r, MCOL_NAME, member_col_header, "%s", e.msg);
	s = cell(r, MCOL_GENDER);
	if (s[0] == '\0')
		m->gender = g_id;
	else if (strcmp(s, "男") == 0 || strcmp(s, "女") == 0)
		m->gender = strcmp(s, "男") == 0 ? GENDER_MALE : GENDER_FEMALE;
	else
		problem(r, MCOL_GENDER, member_col_header,
		        "性别应为“男”或“女”，而不是“%s”", s);
	if (s[0] != '\0' && m->gender != g_id)
		problem(r, MCOL_GENDER, member_col_header,
		        "性别与身份证号码（第 17 位）不符");
	if (date_cell(r, MCOL_BIRTH, &m->birth_date)) {
		if (m->birth_date == 0)
			m->birth_date = birth_id;
		else if (m->birth_date != birth_id)
			problem(r, MCOL_BIRTH, member_col_header,
			        "出生日期与身份证号码不符");
	}
	s = cell(r, MCOL_PHONE);
	m->phone = s[0] ? s : NULL;
	if (m->phone != NULL &&
	    (strlen(s) > 20 || strspn(s, "0123456789-+ ") != strlen(s)))
		problem(r, MCOL_PHONE, member_col_header,
		        "联系电话只能包含数字、空格和 + -，且不超过 20 位");
	date_cell(r, MCOL_JOINED, &m->joined_date);
	s = cell(r, MCOL_STATUS);
	if (s[0] == '\0' || strcmp(s, "正式党员") == 0)
		m->status = MEMBER_FULL;
	else if (strcmp(s, "预备党员") == 0)
		m->status = MEMBER_PROBATIONARY;
	else
		problem(r, MCOL_STATUS, member_col_header,
		        "党员状态应为“正式党员”或“预备党员”");
	parse_categories(r, cell(r, MCOL_CATEGORIES), &m->categories);
	s = cell(r, MCOL_POST);
	m->post = s[0] ? s : NULL;
	plan->secretary = s[0] && strcmp(s, "支部书记") == 0;
	s = cell(r, MCOL_MOBILE_DEST);
	m->mobile_dest = s[0] ? s : NULL;
	date_cell(r, MCOL_ABSENT_FROM, &m->absence_start);
	s = cell(r, MCOL_ABSENT_MONTHS);
	if (s[0] != '\0') {
		if (util_parse_int(s, 0, 240, &v, NULL, NULL) != XJ_OK)
			problem(r, MCOL_ABSENT_MONTHS, member_col_header,
			        "预计外出月数应为 0 至 240 之间的整数");
		else
			m->absence_months = (int)v;
	}
	s = cell(r, MCOL_CONTACT);
	m->contact_arrangement = s[0] ? s : NULL;
	if (r->col[MCOL_SEAT] >= 0) {
		plan->seat = cell(r, MCOL_SEAT);
		if (plan->seat[0] != '\0' &&
		    name_validate(plan->seat, member_col_header[MCOL_SEAT],
		                  &e) != XJ_OK)
			problem(r, MCOL_SEAT, member_col_header, "%s", e.msg);
	}
	m->org_id = member_branch(r);
	if (m->org_id < 0)
		return -1;
	if (m->org_id > 0 && !r->row_bad) {
		struct member_row old;
		int found;

		/* Importing an ID number into one's own branch must not move
		 * a member away from a branch one does not manage. */
		if (store_member_by_idnum(r->st, idn, &old, &found, r->err) !=
		    XJ_OK)
			return -1;
		if (found && old.m.org_id != 0 && old.m.org_id != m->org_id &&
		    !in_scope(r, old.m.org_id))
			problem(r, MCOL_IDNUM, member_col_header,
			        "该党员已登记在您管理范围以外的党组织，"
			        "须由其所在组织办理转出");
	}
	if (!r->row_bad && member_validate(m, &e) != XJ_OK)
		problem(r, field_col(e.field), member_col_header, "%s", e.msg);
	return !r->row_bad;
}

/* A column the file does not have leaves what is stored as it is: an
 * update never erases data the user did not mention. */
static void keep_absent_columns(struct run *r, struct member *m,
                                const struct member *old)
{
	if (r->col[MCOL_GENDER] < 0)
		m->gender = old->gender;
	if (r->col[MCOL_BIRTH] < 0)
		m->birth_date = old->birth_date;
	if (r->col[MCOL_PHONE] < 0)
		m->phone = old->phone;
	if (r->col[MCOL_JOINED] < 0)
		m->joined_date = old->joined_date;
	if (r->col[MCOL_STATUS] < 0)
		m->status = old->status;
	if (r->col[MCOL_CATEGORIES] < 0)
		m->categories = old->categories;
	if (r->col[MCOL_POST] < 0)
		m->post = old->post;
	if (r->col[MCOL_MOBILE_DEST] < 0)
		m->mobile_dest = old->mobile_dest;
	if (r->col[MCOL_ABSENT_FROM] < 0)
		m->absence_start = old->absence_start;
	if (r->col[MCOL_ABSENT_MONTHS] < 0)
		m->absence_months = old->absence_months;
	if (r->col[MCOL_CONTACT] < 0)
		m->contact_arrangement = old->contact_arrangement;
}

static enum xj_err apply_member(struct run *r, const struct member_plan *p)
{
	struct member_row old;
	struct member m = p->m;
	enum xj_err e;
	int found;

	e = store_member_by_idnum(r->st, m.id_number, &old, &found, r->err);
	if (e != XJ_OK)
		return e;
	if (!found) {
		e = store_member_insert(r->st, &m, &m.id, r->err);
		r->res->inserted++;
		r->res->actions[p->row] = IMPORT_ROW_INSERT;
	} else {
		m.id = old.m.id;
		m.left_on = old.m.left_on;
		keep_absent_columns(r, &m, &old.m);
		if (member_same(&m, &old.m)) {
			r->res->unchanged++;
			r->res->actions[p->row] = IMPORT_ROW_UNCHANGED;
		} else {
			e = store_member_update(r->st, &m, r->err);
			r->res->updated++;
			r->res->actions[p->row] = IMPORT_ROW_UPDATE;
		}
	}
	if (e == XJ_OK && p->secretary)
		e = store_org_set_secretary(r->st, m.org_id, m.id, r->err);
	if (e == XJ_OK && p->seat != NULL) {
		struct xj_error e1;

		/* A seat that cannot be given (no 领导班子 in the unit) is a
		 * problem of this row, and the whole import is refused. */
		if (store_member_seat(r->st, m.id, m.org_id, p->seat,
		                      found ? old.seat_title : "",
		                      &e1) != XJ_OK) {
			r->row = p->row;
			problem(r, MCOL_SEAT, member_col_header, "%s", e1.msg);
		}
	}
	return e;
}

static enum xj_err import_members(struct run *r)
{
	static const int required[] = { MCOL_IDNUM, MCOL_NAME, -1 };
	struct member_plan *plans;
	size_t i, nplans = 0;
	enum xj_err e = XJ_OK;
	int ok;

	map_header(r, MCOL__MAX, member_col_parse, member_col_header, required);
	if (r->res->nproblems > 0)
		return XJ_EINVAL;
	plans = xcalloc(r->t->nrows, sizeof(*plans));
	for (r->row = 1; r->row < r->t->nrows; r->row++) {
		if (row_empty(r->t, r->row))
			continue;
		r->res->rows++;
		r->row_bad = 0;
		check_stray_cells(r, member_col_header);
		ok = check_member(r, &plans[nplans]);
		plans[nplans].row = r->row;
		if (ok < 0) {
			e = XJ_ESTORE;
			goto out;
		}
		if (ok && plans[nplans].secretary) {
			for (i = 0; i < nplans; i++)
				if (plans[i].secretary &&
				    plans[i].m.org_id == plans[nplans].m.org_id)
					problem(r, MCOL_POST, member_col_header,
					        "同一党支部有两名支部书记（另见"
					        "身份证号码 %s）",
					        plans[i].m.id_number);
		}
		if (!r->row_bad)
			nplans++;
	}
	/* A dry run goes on with the valid rows, to preview them. */
	if (r->res->nproblems > 0 && !r->dry_run) {
		e = XJ_EINVAL;
		goto out;
	}
	for (i = 0; i < nplans && e == XJ_OK; i++)
		e = apply_member(r, &plans[i]);
	if (e == XJ_OK && r->res->nproblems > 0)
		e = XJ_EINVAL;
out:
	free(plans);
	return e;
}

/* --- organisations -------------------------------------------------- */

static enum xj_err import_orgs(struct run *r)
{
	static const int required[] = { OCOL_CODE, OCOL_NAME, OCOL_TYPE, -1 };
	struct org_row old;
	struct xj_error e1;
	enum xj_err e = XJ_OK;
	int found, t, ord;

	map_header(r, OCOL__MAX, org_col_parse, org_col_header, required);
	if (r->res->nproblems > 0)
		return XJ_EINVAL;
	/* Rows are applied as they are checked (a parent may be defined
	 * by an earlier row); the caller rolls back if any row fails. */
	for (r->row = 1; r->row < r->t->nrows; r->row++) {
		const char *code = cell(r, OCOL_CODE), *s;
		struct org o = { 0 };
		long seen;

		if (row_empty(r->t, r->row))
			continue;
		r->res->rows++;
		r->row_bad = 0;
		check_stray_cells(r, org_col_header);
		o.code = code;
		o.name = cell(r, OCOL_NAME);
		if (name_validate(code, org_col_header[OCOL_CODE], &e1) !=
		    XJ_OK)
			problem(r, OCOL_CODE, org_col_header, "%s", e1.msg);
		else if ((seen = repeated(r, code)) != 0)
			problem(r, OCOL_CODE, org_col_header,
			        "组织代码与第 %ld 行重复", seen);
		if (name_validate(o.name, org_col_header[OCOL_NAME], &e1) !=
		    XJ_OK)
			problem(r, OCOL_NAME, org_col_header, "%s", e1.msg);
		t = org_type_parse(cell(r, OCOL_TYPE));
		if (t < 0)
			problem(r, OCOL_TYPE, org_col_header,
			        "组织类型“%s”无法识别（可用: 党委、党工委、"
			        "党组、党总支、党支部、领导班子）",
			        cell(r, OCOL_TYPE));
		o.type = (enum org_type)(t < 0 ? 0 : t);
		s = cell(r, OCOL_PARENT);
		if (s[0] != '\0') {
			if ((e = store_org_by_code(r->st, s, &o.parent_id,
			                           r->err)) != XJ_OK)
				break;
			if (o.parent_id == 0)
				problem(r, OCOL_PARENT, org_col_header,
				        "上级组织“%s”不存在（上级组织须已登记"
				        "或在本表前面的行中）",
				        s);
		}
		s = cell(r, OCOL_SYSTEM);
		if (s[0] != '\0') {
			if ((e = store_system_by_name(r->st, s, &o.system_id,
			                              r->err)) != XJ_OK)
				break;
			if (o.system_id == 0)
				problem(r, OCOL_SYSTEM, org_col_header,
				        "系统“%s”不存在", s);
		}
		s = cell(r, OCOL_BATCH);
		if (s[0] != '\0') {
			ord = batch_ordinal_parse(s);
			if (ord == 0)
				problem(r, OCOL_BATCH, org_col_header,
				        "批次应为“第一批”“第二批”或“第三批”");
			else if ((e = store_batch_by_ordinal(r->st, ord,
			                                     &o.batch_id,
			                                     r->err)) != XJ_OK)
				break;
			else if (o.batch_id == 0)
				problem(r, OCOL_BATCH, org_col_header,
				        "本活动没有%s", s);
		}
		if (!yes_no(cell(r, OCOL_UNIT), &o.is_unit))
			problem(r, OCOL_UNIT, org_col_header,
			        "参学单位应填“是”或“否”");
		if (!yes_no(cell(r, OCOL_WEAK), &o.weak))
			problem(r, OCOL_WEAK, org_col_header,
			        "软弱涣散应填“是”或“否”");
		if (r->row_bad)
			continue;
		if ((e = store_org_by_code(r->st, code, &o.id, r->err)) !=
		    XJ_OK)
			break;
		if (o.id == 0) {
			if (store_org_insert(r->st, &o, NULL, &e1) != XJ_OK) {
				problem(r, -1, NULL, "%s", e1.msg);
			} else {
				r->res->inserted++;
				r->res->actions[r->row] = IMPORT_ROW_INSERT;
			}
			continue;
		}
		if ((e = store_org_get(r->st, o.id, &old, &found, r->err)) !=
		    XJ_OK)
			break;
		/* Columns the file does not have keep what is stored. */
		if (r->col[OCOL_PARENT] < 0)
			o.parent_id = old.o.parent_id;
		if (r->col[OCOL_SYSTEM] < 0)
			o.system_id = old.o.system_id;
		if (r->col[OCOL_BATCH] < 0)
			o.batch_id = old.o.batch_id;
		if (r->col[OCOL_UNIT] < 0)
			o.is_unit = old.o.is_unit;
		if (r->col[OCOL_WEAK] < 0)
			o.weak = old.o.weak;
		if (old.o.parent_id != o.parent_id) {
			problem(r, OCOL_PARENT, org_col_header,
			        "不能通过导入更改已登记组织的上级组织");
			continue;
		}
		if (old.o.type == o.type && strcmp(old.name, o.name) == 0 &&
		    old.o.system_id == o.system_id &&
		    old.o.batch_id == o.batch_id &&
		    old.o.is_unit == o.is_unit && old.o.weak == o.weak) {
			r->res->unchanged++;
			r->res->actions[r->row] = IMPORT_ROW_UNCHANGED;
		} else if (store_org_update(r->st, &o, &e1) != XJ_OK) {
			problem(r, -1, NULL, "%s", e1.msg);
		} else {
			r->res->updated++;
			r->res->actions[r->row] = IMPORT_ROW_UPDATE;
		}
	}
	if (e == XJ_OK && r->res->nproblems > 0)
		e = XJ_EINVAL;
	return e;
}

enum xj_err import_table(struct store *st, enum import_kind kind,
                         const struct table *t, int dry_run,
                         const struct import_scope *scope,
                         struct import_result *res, struct xj_error *err)
{
	struct run r;
	enum xj_err e;

	memset(res, 0, sizeof(*res));
	memset(&r, 0, sizeof(r));
	r.st = st;
	r.t = t;
	r.scope = scope;
	r.res = res;
	r.err = err;
	r.dry_run = dry_run;
	if (t->nrows == 0)
		return xj_error_set(err, XJ_EINVAL, "文件是空的，没有表头行");
	res->actions = xcalloc(t->nrows, 1);
	r.keys = xcalloc(t->nrows, sizeof(*r.keys));
	for (r.nslots = 16; r.nslots < 2 * t->nrows; r.nslots *= 2)
		;
	r.slots = xcalloc(r.nslots, sizeof(*r.slots));
	e = store_begin(st, err);
	if (e != XJ_OK)
		goto out;
	store_set_actor(st, scope ? scope->user_id : 0);
	e = kind == IMPORT_ORGS ? import_orgs(&r) : import_members(&r);
	if (e == XJ_EINVAL)
		xj_error_set(err, XJ_EINVAL,
		             "有 %zu 处错误，未导入任何数据；请按错误清单修改后"
		             "重新导入",
		             res->nproblems);
	/* Stored only when every row passed and this is not a dry run. */
	if (e == XJ_OK && !dry_run)
		e = store_commit(st, err);
	if (e != XJ_OK || dry_run)
		store_rollback(st);
	store_set_actor(st, 0);
out:
	org_cache_free(&r);
	free(r.slots);
	free(r.keys);
	return e;
}

const char *import_action_name(enum import_action a)
{
	static const char *const names[IMPORT_ROW__MAX] = {
		[IMPORT_ROW_NONE] = "",
		[IMPORT_ROW_INSERT] = "新增",
		[IMPORT_ROW_UPDATE] = "更新",
		[IMPORT_ROW_UNCHANGED] = "不变",
		[IMPORT_ROW_REJECTED] = "有错误",
	};

	return (unsigned)a < IMPORT_ROW__MAX ? names[a] : "";
}

void import_result_release(struct import_result *res)
{
	free(res->actions);
	free(res->problems);
	memset(res, 0, sizeof(*res));
}

enum xj_err import_error_file(const struct table *t,
                              const struct import_result *res,
                              enum table_format fmt, char **data, size_t *len,
                              struct xj_error *err)
{
	struct table_writer *w;
	const char **cells;
	struct strbuf why;
	enum xj_err e;
	size_t i, c, k;

	e = table_writer_new(fmt, "错误清单", &w, err);
	if (e != XJ_OK)
		return e;
	cells = xcalloc(t->ncols + 1, sizeof(*cells));
	strbuf_init(&why, 64 * 1024);
	for (i = 0; i < t->nrows && e == XJ_OK; i++) {
		int listed = i == 0;

		strbuf_reset(&why);
		for (k = 0; k < res->nlisted; k++) {
			const struct import_problem *p = &res->problems[k];

			if (p->index != i)
				continue;
			listed = 1;
			if (strbuf_addf(&why, "%s%s%s%s", why.len ? "；" : "",
			                p->column, p->column[0] ? ": " : "",
			                p->reason) != XJ_OK)
				break;
		}
		if (!listed)
			continue;
		for (c = 0; c < t->ncols; c++)
			cells[c] = table_cell(t, i, c);
		cells[t->ncols] = i == 0 ? "错误原因" : why.buf;
		e = table_writer_row(w, cells, t->ncols + 1, err);
	}
	strbuf_release(&why);
	free(cells);
	return table_writer_done(w, e, data, len, err);
}
