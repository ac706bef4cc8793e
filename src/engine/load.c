/*
 * load.c - reading record payloads, and building an engine from the store.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/store.h"
#include "xianjiao/text.h"

static enum xj_err field_bad(struct xj_error *err, const char *field,
                             const char *why)
{
	return xj_error_field(err, XJ_EINVAL, field, "字段 %s：%s", field, why);
}

/* A JSON number as centi-units: non-negative, at most two decimals. */
static enum xj_err take_number(const json_t *j, const char *name, int64_t *out,
                               struct xj_error *err)
{
	double d, c;

	if (json_is_integer(j)) {
		json_int_t i = json_integer_value(j);

		if (i < 0 || i > PLAN_NUMBER_MAX)
			return field_bad(err, name,
			                 "数值须在 0 至 10000000 之间");
		*out = (int64_t)i * PLAN_CENTI;
		return XJ_OK;
	}
	if (!json_is_real(j))
		return field_bad(err, name, "应为数字");
	d = json_real_value(j);
	if (!(d >= 0) || d > PLAN_NUMBER_MAX)
		return field_bad(err, name, "数值须在 0 至 10000000 之间");
	c = round(d * PLAN_CENTI);
	if (fabs(c - d * PLAN_CENTI) > 1e-6 * (c > 1 ? c : 1))
		return field_bad(err, name, "最多保留两位小数");
	*out = (int64_t)c;
	return XJ_OK;
}

/* A multiple enum: a non-empty list of distinct values; the slot holds
 * how many (such a field is never filtered on). */
static enum xj_err take_list(const struct plan_field *f, const json_t *j,
                             struct eng_record *r, int i, struct xj_error *err)
{
	size_t n, a, b;
	int v;

	if (!json_is_array(j) || json_array_size(j) == 0)
		return field_bad(err, f->name, "应为取值的列表，至少一项");
	n = json_array_size(j);
	for (a = 0; a < n; a++) {
		const char *s = json_string_value(json_array_get(j, a));

		if (s == NULL)
			return field_bad(err, f->name, "列表中应为文字");
		for (v = 0; v < f->nvalues; v++)
			if (strcmp(f->values[v], s) == 0)
				break;
		if (v == f->nvalues)
			return xj_error_field(err, XJ_EINVAL, f->name,
			                      "字段 %s：“%s”不是可选的值之一",
			                      f->name, s);
		for (b = 0; b < a; b++)
			if (strcmp(json_string_value(json_array_get(j, b)),
			           s) == 0)
				return xj_error_field(err, XJ_EINVAL, f->name,
				                      "字段 %s：“%s”重复",
				                      f->name, s);
	}
	r->num[i] = (int64_t)n;
	return XJ_OK;
}

static enum xj_err take_field(const struct plan_field *f, const json_t *j,
                              struct eng_record *r, int i, struct xj_error *err)
{
	const char *s;
	int v;

	switch (f->type) {
	case FIELD_ZISHU:
		/* plan.h: the text itself, counted by text_zishu(), or the
		 * count of a paper copy. */
		if (json_is_string(j)) {
			uint64_t n;

			if (text_zishu(json_string_value(j),
			               json_string_length(j), &n, err) != XJ_OK)
				return field_bad(err, f->name,
				                 "不是有效的 UTF-8 文字");
			if (n > PLAN_NUMBER_MAX)
				return field_bad(err, f->name, "字数过多");
			r->num[i] = (int64_t)n * PLAN_CENTI;
			return XJ_OK;
		}
		return take_number(j, f->name, &r->num[i], err);
	case FIELD_NUMBER:
		return take_number(j, f->name, &r->num[i], err);
	case FIELD_TEXT:
		if (!json_is_string(j))
			return field_bad(err, f->name, "应为文字");
		r->text[i] = json_string_value(j);
		return XJ_OK;
	case FIELD_ENUM:
	case FIELD_STATE:
		if (f->multiple)
			return take_list(f, j, r, i, err);
		if (!json_is_string(j))
			return field_bad(err, f->name, "应为文字");
		s = json_string_value(j);
		for (v = 0; v < f->nvalues; v++)
			if (strcmp(f->values[v], s) == 0) {
				r->num[i] = v;
				return XJ_OK;
			}
		return field_bad(err, f->name, "不是可选的值之一");
	case FIELD_MEMBER:
		if (!json_is_integer(j) || json_integer_value(j) <= 0 ||
		    json_integer_value(j) > INT32_MAX)
			return field_bad(err, f->name, "应为党员编号");
		r->num[i] = json_integer_value(j);
		return XJ_OK;
	case FIELD_DATE:
		if (!json_is_string(j))
			return field_bad(err, f->name, "应为日期 YYYY-MM-DD");
		{
			int32_t d;

			if (date_parse(json_string_value(j), &d, f->name,
			               err) != XJ_OK)
				return XJ_EINVAL;
			r->num[i] = d;
		}
		return XJ_OK;
	}
	return field_bad(err, f->name, "类型未知");
}

enum xj_err eng_record_from_json(const struct plan *p, int kind,
                                 const char *payload, struct eng_record *r,
                                 void **json_out, struct xj_error *err)
{
	const struct plan_kind *k;
	json_error_t je;
	json_t *root, *val;
	const char *key;
	enum xj_err e = XJ_OK;
	int i;

	if (json_out)
		*json_out = NULL;
	if (kind < 0 || kind >= p->nkinds)
		return xj_error_field(err, XJ_EINVAL, "kind", "记录类型未知");
	k = &p->kinds[kind];
	for (i = 0; i < PLAN_FIELDS_MAX; i++) {
		r->num[i] = -1;
		r->text[i] = NULL;
	}
	r->voided = 0;
	root =
	    json_loads(payload ? payload : "{}", JSON_REJECT_DUPLICATES, &je);
	if (root == NULL || !json_is_object(root)) {
		json_decref(root);
		return xj_error_field(err, XJ_EINVAL, "payload",
		                      "记录内容应为 JSON 对象");
	}
	json_object_foreach(root, key, val)
	{
		if (strcmp(key, "voided") == 0) {
			if (!json_is_boolean(val)) {
				e = field_bad(err, "voided",
				              "应为 true 或 false");
				goto out;
			}
			r->voided = json_is_true(val);
			continue;
		}
		i = plan_field_find(k, key);
		if (i < 0) {
			e = xj_error_field(err, XJ_EINVAL, key,
			                   "“%s”记录没有字段 %s", k->name, key);
			goto out;
		}
		if (json_is_null(val))
			continue;
		e = take_field(&k->fields[i], val, r, i, err);
		if (e != XJ_OK)
			goto out;
	}
	if (!r->voided)
		for (i = 0; i < k->nfields; i++)
			if (k->fields[i].required && r->num[i] < 0 &&
			    r->text[i] == NULL) {
				e = field_bad(err, k->fields[i].name,
				              "必须填写");
				goto out;
			}
out:
	if (e == XJ_OK && json_out)
		*json_out = root;
	else
		json_decref(root);
	if (e == XJ_OK && json_out == NULL)
		for (i = 0; i < PLAN_FIELDS_MAX; i++)
			r->text[i] = NULL;
	return e;
}

/* --- building from the store -------------------------------------------- */

struct build {
	struct engine *e;
	struct store *st;
	struct xj_error *err;
	enum xj_err fail;
	/* members with movements, read first: their first branch */
	int32_t *first_from;
	int32_t *first_in; /* date of a first 转入, 0 if none */
	int64_t cap;
	int64_t last_member;
	int64_t covered; /* the highest record id read */
	int64_t replayed;
};

static int build_org(void *ctx, const struct scan_org *o)
{
	struct build *b = ctx;
	struct eng_org eo = { o->id,      o->parent_id, o->type,
		              o->is_unit, o->system_id, o->batch_ordinal,
		              o->name,    o->code };

	b->fail = engine_add_org(b->e, &eo, b->err);
	return b->fail != XJ_OK;
}

static int first_moves(void *ctx, const struct scan_movement *mv)
{
	struct build *b = ctx;

	if (mv->member_id == b->last_member)
		return 0;
	b->last_member = mv->member_id;
	if (mv->member_id >= b->cap) {
		int64_t cap = b->cap ? b->cap : 1024;

		while (cap <= mv->member_id)
			cap *= 2;
		b->first_from = xreallocarray(b->first_from, (size_t)cap, 4);
		b->first_in = xreallocarray(b->first_in, (size_t)cap, 4);
		memset(b->first_from + b->cap, 0, (size_t)(cap - b->cap) * 4);
		memset(b->first_in + b->cap, 0, (size_t)(cap - b->cap) * 4);
		b->cap = cap;
	}
	if (mv->kind == MOVE_IN) {
		b->first_in[mv->member_id] = mv->on_date;
		b->first_from[mv->member_id] = (int32_t)mv->to_org;
	} else {
		b->first_from[mv->member_id] =
		    mv->from_org ? (int32_t)mv->from_org : -1;
	}
	return 0;
}

static int build_member(void *ctx, const struct scan_member *m)
{
	struct build *b = ctx;
	struct eng_member em = { m->id,         m->org_id,         m->name,
		                 m->categories, m->absence_months, 0 };

	if (m->id < b->cap && b->first_from[m->id] != 0) {
		/* moved during the campaign: start where the first movement
		 * started, and after a first 转入 only from its date */
		em.org_id = b->first_from[m->id] > 0 ? b->first_from[m->id] : 0;
		em.in_from = b->first_in[m->id];
	}
	b->fail = engine_add_member(b->e, &em, b->err);
	return b->fail != XJ_OK;
}

static int build_movement(void *ctx, const struct scan_movement *mv)
{
	struct build *b = ctx;
	struct eng_movement em = { mv->member_id, mv->kind, mv->on_date,
		                   mv->to_org };

	b->fail = engine_add_movement(b->e, &em, b->err);
	return b->fail != XJ_OK;
}

/*
 * The payloads in the store were checked when they were entered and are
 * flat objects of strings and numbers, so a rebuild reads the common ones
 * with this scanner instead of building a jansson object per record (that
 * was most of a province's rebuild time, bench/README.md). Anything it does
 * not expect — an escape, a nested value, an exponent, a duplicate or
 * unknown key, a missing required field — returns 0, and the record goes
 * through eng_record_from_json() with its full checks and messages.
 * Texts are copied into buf (NUL-terminated) for the where-slots.
 */
#define FAST_TEXT_MAX 4096

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

/* A string without escapes: *start and *len; returns past the quote. */
static const char *fast_string(const char *s, const char **start, size_t *len)
{
	const char *q;

	if (*s != '"')
		return NULL;
	for (q = s + 1; *q != '"'; q++)
		if (*q == '\0' || *q == '\\' || (unsigned char)*q < 0x20)
			return NULL;
	*start = s + 1;
	*len = (size_t)(q - s - 1);
	return q + 1;
}

/* A non-negative number with at most two decimals, in hundredths. */
static const char *fast_number(const char *s, int64_t *centi)
{
	int64_t v = 0, frac = 0;
	int digits = 0, decimals = 0;

	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (*s++ - '0');
		if (++digits > 9)
			return NULL;
	}
	if (digits == 0)
		return NULL;
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9') {
			if (++decimals > 2)
				return NULL;
			frac = frac * 10 + (*s++ - '0');
		}
		if (decimals == 0)
			return NULL;
		if (decimals == 1)
			frac *= 10;
	}
	if (*s == 'e' || *s == 'E' || v > PLAN_NUMBER_MAX)
		return NULL;
	*centi = v * PLAN_CENTI + frac;
	return s;
}

static int fast_payload(const struct plan_kind *k, const char *s,
                        struct eng_record *r, char *buf)
{
	unsigned seen = 0;
	size_t used = 0;
	int i;

	for (i = 0; i < PLAN_FIELDS_MAX; i++) {
		r->num[i] = -1;
		r->text[i] = NULL;
	}
	r->voided = 0;
	s = skip_ws(s);
	if (*s++ != '{')
		return 0;
	s = skip_ws(s);
	if (*s == '}')
		goto end;
	for (;;) {
		const char *key, *str;
		size_t klen, slen;
		const struct plan_field *f;
		int64_t n;

		s = fast_string(s, &key, &klen);
		if (s == NULL)
			return 0;
		s = skip_ws(s);
		if (*s++ != ':')
			return 0;
		s = skip_ws(s);
		if (klen == 6 && memcmp(key, "voided", 6) == 0) {
			if (strncmp(s, "true", 4) != 0 || (seen & 0x100))
				return 0;
			seen |= 0x100;
			r->voided = 1;
			s += 4;
			goto next;
		}
		for (i = 0; i < k->nfields; i++)
			if (strlen(k->fields[i].name) == klen &&
			    memcmp(k->fields[i].name, key, klen) == 0)
				break;
		if (i == k->nfields || (seen & (1u << i)))
			return 0;
		seen |= 1u << i;
		f = &k->fields[i];
		switch (f->type) {
		case FIELD_NUMBER:
		case FIELD_ZISHU:
			s = fast_number(s, &n);
			if (s == NULL)
				return 0;
			r->num[i] = n;
			break;
		case FIELD_MEMBER:
			s = fast_number(s, &n);
			if (s == NULL || n % PLAN_CENTI != 0 || n == 0)
				return 0;
			r->num[i] = n / PLAN_CENTI;
			break;
		case FIELD_ENUM:
		case FIELD_STATE: {
			int v;

			if (f->multiple)
				return 0; /* a list: the full path */
			s = fast_string(s, &str, &slen);
			if (s == NULL)
				return 0;
			for (v = 0; v < f->nvalues; v++)
				if (strlen(f->values[v]) == slen &&
				    memcmp(f->values[v], str, slen) == 0)
					break;
			if (v == f->nvalues)
				return 0;
			r->num[i] = v;
			break;
		}
		case FIELD_TEXT:
			s = fast_string(s, &str, &slen);
			if (s == NULL || used + slen + 1 > FAST_TEXT_MAX)
				return 0;
			memcpy(buf + used, str, slen);
			buf[used + slen] = '\0';
			if (utf8_validate(buf + used, slen, f->name, NULL) !=
			    XJ_OK)
				return 0;
			r->text[i] = buf + used;
			used += slen + 1;
			break;
		default:
			return 0; /* dates: the full path */
		}
	next:
		s = skip_ws(s);
		if (*s == ',') {
			s = skip_ws(s + 1);
			continue;
		}
		if (*s != '}')
			return 0;
		break;
	}
end:
	if (*skip_ws(s + 1) != '\0')
		return 0;
	if (!r->voided)
		for (i = 0; i < k->nfields; i++)
			if (k->fields[i].required && r->num[i] < 0 &&
			    r->text[i] == NULL)
				return 0;
	return 1;
}

static int build_record(void *ctx, const struct scan_record *sr)
{
	struct build *b = ctx;
	const struct plan *p = b->e->p;
	struct eng_record r;
	void *json = NULL;
	char buf[FAST_TEXT_MAX];
	int kind = plan_kind_find(p, sr->kind);

	b->covered = sr->id;
	b->replayed++;
	if (kind < 0)
		return 0; /* a kind the plan in force does not count */
	memset(&r, 0, sizeof(r));
	if (fast_payload(&p->kinds[kind], sr->payload, &r, buf))
		b->fail = XJ_OK;
	else
		b->fail = eng_record_from_json(p, kind, sr->payload, &r, &json,
		                               b->err);
	if (b->fail == XJ_OK) {
		r.id = sr->id;
		r.kind = kind;
		r.org_id = sr->org_id;
		r.member_id = sr->member_id;
		r.happened_on = sr->happened_on;
		r.entered_on = date_beijing(sr->entered_at);
		r.supersedes = sr->supersedes;
		b->fail = engine_add_record(b->e, &r, b->err);
	}
	json_decref(json);
	if (b->fail != XJ_OK && b->err)
		b->err->row = (long)sr->id;
	return b->fail != XJ_OK;
}

static int build_stage(void *ctx, int64_t unit, const char *stage,
                       int32_t on_date)
{
	struct build *b = ctx;
	int s = plan_stage_find(b->e->p, stage);

	if (s < 0)
		return 0; /* a stage the plan in force does not have */
	b->fail = engine_set_unit_stage(b->e, unit, s, on_date, b->err);
	return b->fail != XJ_OK;
}

/* One attempt: with the snapshot unless flags say ENG_BUILD_FULL. *retry
 * is set when a snapshot was found unusable after the engine's records
 * were touched (info->fallback says why): build again, in full. */
static enum xj_err build(struct store *st, const struct plan *p, int flags,
                         struct eng_build_info *info, struct engine **out,
                         int *retry, struct xj_error *err)
{
	struct build b;
	enum xj_err e;
	int64_t max_org = 0, max_mem = 0, max_rec = 0;

	*retry = 0;
	memset(&b, 0, sizeof(b));
	b.e = engine_new(p);
	b.st = st;
	b.err = err;
	b.last_member = -1;
	b.e->bulk = 1;
	/* the arrays sized once, from the largest ids */
	e = store_max_ids(st, &max_org, &max_mem, &max_rec, err);
	if (e == XJ_OK && (max_org > INT32_MAX || max_mem > INT32_MAX ||
	                   max_rec >= INT32_MAX))
		e = xj_error_set(err, XJ_ESTORE, "库中编号超出引擎的范围");
	if (e == XJ_OK)
		eng_reserve(b.e, max_org, max_mem, max_rec);
	if (e == XJ_OK)
		e = store_scan_orgs(st, build_org, &b, err);
	if (e == XJ_OK && b.fail == XJ_OK)
		e = store_scan_stage_changes(st, build_stage, &b, err);
	if (e == XJ_OK && b.fail == XJ_OK)
		e = store_scan_movements(st, first_moves, &b, err);
	if (e == XJ_OK && b.fail == XJ_OK)
		e = store_scan_members(st, build_member, &b, err);
	if (e == XJ_OK && b.fail == XJ_OK)
		e = store_scan_movements(st, build_movement, &b, err);
	if (e == XJ_OK && b.fail == XJ_OK && !(flags & ENG_BUILD_FULL)) {
		int r = eng_snapshot_load(b.e, st, max_rec, info->fallback,
		                          sizeof(info->fallback), err);

		if (r < 0)
			e = XJ_ESTORE;
		else if (r == 0 && info->fallback[0] != '\0')
			*retry = 1;
		else if (r == 1) {
			info->snapshot = 1;
			info->snapshot_to = b.e->covered;
			b.covered = b.e->covered;
		}
	}
	if (e == XJ_OK && b.fail == XJ_OK && !*retry)
		e = info->snapshot
		        ? store_scan_records_after(st, b.covered, build_record,
		                                   &b, err)
		        : store_scan_records(st, build_record, &b, err);
	free(b.first_from);
	free(b.first_in);
	if (e == XJ_OK)
		e = b.fail;
	if (e != XJ_OK || *retry) {
		engine_free(b.e);
		*out = NULL;
		return e;
	}
	info->replayed = b.replayed;
	b.e->covered = b.covered;
	b.e->bulk = 0;
	eng_view_free(b.e->live);
	b.e->live = view_alloc(b.e, ENG_LIVE, 1);
	view_compute(b.e->live);
	*out = b.e;
	return XJ_OK;
}

enum xj_err engine_build_ex(struct store *st, const struct plan *p, int flags,
                            struct eng_build_info *info, struct engine **out,
                            struct xj_error *err)
{
	struct eng_build_info own;
	enum xj_err e;
	int retry;

	if (info == NULL)
		info = &own;
	memset(info, 0, sizeof(*info));
	e = build(st, p, flags, info, out, &retry, err);
	if (e == XJ_OK && retry) {
		fprintf(stderr, "引擎快照不可用（%s），改为从全部记录重建。\n",
		        info->fallback);
		e = build(st, p, flags | ENG_BUILD_FULL, info, out, &retry,
		          err);
	}
	return e;
}

enum xj_err engine_build(struct store *st, const struct plan *p,
                         struct engine **out, struct xj_error *err)
{
	return engine_build_ex(st, p, 0, NULL, out, err);
}

enum xj_err engine_plan_in_force(struct store *st, struct plan **p,
                                 struct xj_error *err)
{
	struct plan_problems probs;
	char *text;
	int found;
	enum xj_err e = store_plan_current(st, &text, &found, err);

	*p = NULL;
	if (e != XJ_OK)
		return e;
	if (!found)
		return xj_error_set(
		    err, XJ_ENOTFOUND,
		    "尚未安装方案：请先由先教办运行 xianjiao plan "
		    "install --db FILE 方案.yaml");
	e = plan_parse(text, strlen(text), "已安装的方案", p, &probs, err);
	free(text);
	return e;
}
