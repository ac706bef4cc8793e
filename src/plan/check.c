/*
 * From a YAML tree to a struct plan: the top level, record kinds, stages
 * and batches, and the scalar readers every part uses. Requirements are
 * in check-req.c. Every problem is reported where it is, and checking
 * goes on, so one run lists every mistake in the file.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "xianjiao/date.h"
#include "xianjiao/strbuf.h"
#include "xianjiao/text.h"

const char *ck_type_name(const struct ynode *v)
{
	switch (v->type) {
	case YN_SEQ:
		return "列表";
	case YN_MAP:
		return "映射";
	default:
		return "文本";
	}
}

int ck_map(struct ck *c, const struct ynode *n, const char *what,
           const struct ckey *keys, const struct ynode **out)
{
	int i, j, k, nkeys;
	char q[128];

	for (nkeys = 0; keys[nkeys].name != NULL; nkeys++)
		out[nkeys] = NULL;
	if (n->type != YN_MAP) {
		PROB(c, n, "%s应为映射（键: 值），而不是%s", what,
		     ck_type_name(n));
		return 0;
	}
	for (i = 0; i + 1 < n->nkids; i += 2) {
		const struct ynode *key = n->kids[i];

		if (key->type != YN_SCALAR) {
			PROB(c, key, "%s的键应为文本，而不是%s", what,
			     ck_type_name(key));
			continue;
		}
		for (k = 0; k < nkeys; k++)
			if (strcmp(keys[k].name, key->text) == 0)
				break;
		if (k == nkeys) {
			struct strbuf sb;

			strbuf_init(&sb, 256);
			for (j = 0; j < nkeys; j++)
				if (strbuf_addf(&sb, "%s%s", j ? ", " : "",
				                keys[j].name) != XJ_OK)
					break;
			PROB(c, key, "%s中有未知的键 \"%s\"（可用的键：%s）",
			     what, shorten(key->text, q, 60), sb.buf);
			strbuf_release(&sb);
			continue;
		}
		if (out[k] != NULL) {
			PROB(c, key, "%s中的键 \"%s\" 重复", what,
			     keys[k].name);
			continue;
		}
		out[k] = n->kids[i + 1];
	}
	for (k = 0; k < nkeys; k++)
		if (keys[k].required && out[k] == NULL)
			PROB(c, n, "%s缺少必需的键 \"%s\"", what, keys[k].name);
	return 1;
}

/* A scalar, or a problem naming key. 1 if a non-null scalar, 0 if
 * absent or null (reported when required and null), -1 if reported. */
static int scalar(struct ck *c, const struct ynode *v, const char *key)
{
	if (v == NULL)
		return 0;
	if (v->type != YN_SCALAR) {
		PROB(c, v, "\"%s\" 应为文本，而不是%s", key, ck_type_name(v));
		return -1;
	}
	return ynode_is_null(v) ? 0 : 1;
}

/* Valid UTF-8 without control characters; newlines (and tabs) only if
 * multiline. */
static int text_ok(struct ck *c, const struct ynode *v, const char *key,
                   int multiline)
{
	const unsigned char *s = (const unsigned char *)v->text;
	size_t i = 0, n;
	uint32_t cp;

	while (i < v->len) {
		n = utf8_decode(s + i, v->len - i, &cp);
		if (n == 0) {
			PROB(c, v, "\"%s\" 不是有效的 UTF-8 文本", key);
			return 0;
		}
		if ((cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) &&
		    !(multiline && (cp == '\n' || cp == '\t'))) {
			PROB(c, v, "\"%s\" 中有控制字符 U+%04X", key,
			     (unsigned)cp);
			return 0;
		}
		i += n;
	}
	return 1;
}

int ck_text(struct ck *c, const struct ynode *v, const char *key, char *buf,
            size_t size, int multiline)
{
	int r = scalar(c, v, key);

	buf[0] = '\0';
	if (r <= 0) {
		if (r == 0 && v != NULL) {
			PROB(c, v, "\"%s\" 不能为空", key);
			return -1;
		}
		return r;
	}
	if (v->len == 0) {
		PROB(c, v, "\"%s\" 不能为空", key);
		return -1;
	}
	if (!text_ok(c, v, key, multiline))
		return -1;
	if (v->len >= size) {
		PROB(c, v,
		     "\"%s\" 过长：%zu 字节，最多 %zu 字节（约 %zu 个汉字）",
		     key, v->len, size - 1, (size - 1) / 3);
		return -1;
	}
	memcpy(buf, v->text, v->len + 1);
	return 1;
}

/* Ids: [a-z0-9_], 1..PLAN_ID_MAX-1 bytes. */
static int id_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len >= PLAN_ID_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

int ck_id(struct ck *c, const struct ynode *v, const char *key, char *buf)
{
	int r = scalar(c, v, key);
	char q[128];

	buf[0] = '\0';
	if (r == 0 && v != NULL) {
		PROB(c, v, "\"%s\" 不能为空", key);
		return -1;
	}
	if (r <= 0)
		return r;
	if (!id_valid(v->text, v->len)) {
		/* kept as written (if it fits and is text) so that names
		 * referring to it match and report nothing more */
		if (v->len < PLAN_ID_MAX && strlen(v->text) == v->len)
			memcpy(buf, v->text, v->len + 1);
		PROB(c, v,
		     "\"%s\" 的值 \"%s\" 不是有效的标识：只能用小写字母 a-z、"
		     "数字和下划线，1 到 %d 个字符",
		     key, shorten(v->text, q, 60), PLAN_ID_MAX - 1);
		return -1;
	}
	memcpy(buf, v->text, v->len + 1);
	return 1;
}

int ck_bool(struct ck *c, const struct ynode *v, const char *key, int *out)
{
	int r = scalar(c, v, key);

	if (r <= 0)
		return r;
	if (v->plain && strcmp(v->text, "true") == 0) {
		*out = 1;
		return 1;
	}
	if (v->plain && strcmp(v->text, "false") == 0) {
		*out = 0;
		return 1;
	}
	PROB(c, v, "\"%s\" 应为 true 或 false", key);
	return -1;
}

int ck_int(struct ck *c, const struct ynode *v, const char *key, long min,
           long max, int *out)
{
	int r = scalar(c, v, key);
	const char *s;
	long val = 0;
	int neg = 0;

	if (r <= 0)
		return r;
	s = v->text;
	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (!v->plain || *s == '\0' || strspn(s, "0123456789") != strlen(s) ||
	    strlen(s) > 9) {
		PROB(c, v, "\"%s\" 应为 %ld 到 %ld 之间的整数", key, min, max);
		return -1;
	}
	for (; *s != '\0'; s++)
		val = val * 10 + (*s - '0');
	if (neg)
		val = -val;
	if (val < min || val > max) {
		PROB(c, v, "\"%s\" 应在 %ld 到 %ld 之间，而不是 %ld", key, min,
		     max, val);
		return -1;
	}
	*out = (int)val;
	return 1;
}

int ck_choice(struct ck *c, const struct ynode *v, const char *key,
              const char *const *names, int n, int *out)
{
	int r = scalar(c, v, key), i;
	char list[256] = "", q[128];
	size_t used = 0;

	if (r == 0 && v != NULL) {
		PROB(c, v, "\"%s\" 不能为空", key);
		return -1;
	}
	if (r <= 0)
		return r;
	for (i = 0; i < n; i++)
		if (strcmp(names[i], v->text) == 0) {
			*out = i;
			return 1;
		}
	for (i = 0; i < n && used < sizeof(list); i++)
		used += (size_t)snprintf(list + used, sizeof(list) - used,
		                         "%s%s", i ? ", " : "", names[i]);
	PROB(c, v, "\"%s\" 的值 \"%s\" 无效（可选：%s）", key,
	     shorten(v->text, q, 60), list);
	return -1;
}

int ck_seq(struct ck *c, const struct ynode *v, const char *key)
{
	if (v == NULL || ynode_is_null(v))
		return 0;
	if (v->type != YN_SEQ) {
		PROB(c, v, "\"%s\" 应为列表，而不是%s", key, ck_type_name(v));
		return -1;
	}
	return 1;
}

static int ck_date(struct ck *c, const struct ynode *v, const char *key,
                   int32_t *out)
{
	int r = scalar(c, v, key);
	char q[128];

	if (r == 0 && v != NULL) {
		PROB(c, v, "\"%s\" 不能为空", key);
		return -1;
	}
	if (r <= 0)
		return r;
	if (strlen(v->text) != v->len ||
	    date_parse(v->text, out, key, NULL) != XJ_OK) {
		PROB(c, v, "\"%s\" 的值 \"%s\" 不是有效日期（应为 YYYY-MM-DD）",
		     key, shorten(v->text, q, 60));
		return -1;
	}
	return 1;
}

/* --- record kinds ---------------------------------------------------- */

const char *const ck_field_types[FIELD_DATE + 1] = {
	[FIELD_NUMBER] = "number", [FIELD_ZISHU] = "zishu",
	[FIELD_TEXT] = "text",     [FIELD_ENUM] = "enum",
	[FIELD_STATE] = "state",   [FIELD_MEMBER] = "member",
	[FIELD_DATE] = "date",
};

static const char *const subjects[] = {
	[SUBJECT_MEMBER] = "member",
	[SUBJECT_ORG] = "org",
};

static void check_values(struct ck *c, const struct ynode *v,
                         struct plan_field *f, int *bad)
{
	int i, j, r = ck_seq(c, v, "values");

	if (r < 0) {
		*bad = 1;
		return;
	}
	if (r == 0 || v->nkids == 0) {
		PROB(c, v, "\"values\" 不能为空");
		*bad = 1;
		return;
	}
	for (i = 0; i < v->nkids; i++) {
		const struct ynode *x = v->kids[i];
		char q[128];

		if (f->nvalues == PLAN_STATES_MAX) {
			PROB(c, x, "取值过多（最多 %d 个）", PLAN_STATES_MAX);
			*bad = 1;
			return;
		}
		if (ck_text(c, x, "values", f->values[f->nvalues],
		            PLAN_NAME_MAX, 0) <= 0) {
			if (x->type == YN_SCALAR && ynode_is_null(x))
				PROB(c, x, "取值不能为空");
			*bad = 1;
			continue;
		}
		for (j = 0; j < f->nvalues; j++)
			if (strcmp(f->values[j], f->values[f->nvalues]) == 0)
				break;
		if (j < f->nvalues) {
			PROB(c, x, "取值 \"%s\" 重复",
			     shorten(f->values[j], q, 60));
			*bad = 1;
			continue;
		}
		f->nvalues++;
	}
}

/* must_be: {category: [...], same_unit, required, when: {field: value}};
 * the when field is resolved once every field of the kind is known. */
static int check_must_be(struct ck *c, const struct ynode *n,
                         struct plan_field *f)
{
	static const struct ckey keys[] = {
		{ "category", 1 }, { "same_unit", 0 }, { "required", 0 },
		{ "when", 0 },     { NULL, 0 },
	};
	const struct ynode *v[4];
	int ok = 1;

	if (!ck_map(c, n, "must_be", keys, v))
		return 0;
	f->must_categories = check_categories(c, v[0], "category");
	if (f->must_categories == 0)
		ok = 0;
	if (ck_bool(c, v[1], "same_unit", &f->must_same_unit) < 0 ||
	    ck_bool(c, v[2], "required", &f->must_required) < 0)
		ok = 0;
	if (v[3] == NULL)
		return ok;
	if (v[3]->type != YN_MAP || v[3]->nkids != 2) {
		PROB(c, v[3], "\"when\" 应为一个条件（字段: 取值）");
		return 0;
	}
	if (ck_id(c, v[3]->kids[0], "when", f->must_when_name) < 0 ||
	    ck_text(c, v[3]->kids[1], f->must_when_name, f->must_when_value,
	            sizeof(f->must_when_value), 0) < 0)
		return 0;
	f->must_when_field = -2; /* resolved by resolve_must_be() */
	return ok;
}

/* Point each must_be's when at its field, and check its value. */
static void resolve_must_be(struct ck *c, const struct ynode *fields,
                            struct plan_kind *k)
{
	int i, j, w;

	for (i = 0; i < k->nfields; i++) {
		struct plan_field *f = &k->fields[i];
		const struct ynode *at =
		    i < fields->nkids ? fields->kids[i] : fields;
		const struct plan_field *g;

		if (f->must_when_field != -2)
			continue;
		f->must_when_field = -1;
		w = plan_field_find(k, f->must_when_name);
		if (w < 0) {
			PROB(c, at, "must_be 的 when 引用了不存在的字段 \"%s\"",
			     f->must_when_name);
			continue;
		}
		g = &k->fields[w];
		if ((g->type != FIELD_ENUM && g->type != FIELD_STATE &&
		     g->type != FIELD_TEXT) ||
		    g->multiple) {
			PROB(c, at,
			     "must_be 的 when 只能按 text、enum 或 state 类型"
			     "的字段（多选字段除外）");
			continue;
		}
		for (j = 0; j < g->nvalues; j++)
			if (strcmp(g->values[j], f->must_when_value) == 0)
				break;
		if (g->type != FIELD_TEXT && j == g->nvalues) {
			PROB(c, at,
			     "must_be 的 when：\"%s\" 不是字段 %s 的可选值",
			     f->must_when_value, g->name);
			continue;
		}
		f->must_when_field = w;
	}
}

/* The condition an escalation counts by: {field: value}. */
static int check_count(struct ck *c, const struct ynode *n, struct plan_kind *k)
{
	struct plan_escalation *x = &k->escalation;
	const struct ynode *key, *val;
	const struct plan_field *fd;
	char q[128];
	int f, j;

	if (n->type != YN_MAP || n->nkids != 2) {
		PROB(c, n,
		     "\"count\" 应为一个条件（字段: 取值），如 "
		     "{compliant: 否}");
		return 0;
	}
	key = n->kids[0];
	val = n->kids[1];
	f = key->type == YN_SCALAR ? plan_field_find(k, key->text) : -1;
	if (f < 0) {
		PROB(c, key, "记录类型 \"%s\" 没有字段 \"%s\"", k->id,
		     key->type == YN_SCALAR ? shorten(key->text, q, 60) : "");
		return 0;
	}
	fd = &k->fields[f];
	if ((fd->type != FIELD_TEXT && fd->type != FIELD_ENUM &&
	     fd->type != FIELD_STATE) ||
	    fd->multiple) {
		PROB(c, key,
		     "\"count\" 只能按 text、enum 或 state 类型的字段（多选"
		     "字段除外），\"%s\" 是 %s",
		     fd->name, ck_field_types[fd->type]);
		return 0;
	}
	if (ck_text(c, val, fd->name, x->value, sizeof(x->value), 0) <= 0) {
		if (val->type == YN_SCALAR && ynode_is_null(val))
			PROB(c, val, "\"count\" 中 \"%s\" 的取值不能为空",
			     fd->name);
		return 0;
	}
	for (j = 0; j < fd->nvalues; j++)
		if (strcmp(fd->values[j], x->value) == 0)
			break;
	if (fd->type != FIELD_TEXT && j == fd->nvalues) {
		PROB(c, val, "\"%s\" 不是字段 %s 的取值",
		     shorten(x->value, q, 60), fd->name);
		return 0;
	}
	x->field = f;
	return 1;
}

/* escalation: {count: {field: value}, steps: [...]} on a member kind
 * (plan.h, struct plan_escalation). */
static void check_escalation(struct ck *c, const struct ynode *n,
                             struct plan_kind *k)
{
	static const struct ckey keys[] = {
		{ "count", 1 },
		{ "steps", 1 },
		{ NULL, 0 },
	};
	struct plan_escalation *x = &k->escalation;
	const struct ynode *v[2];
	int i, j, r, ok = 1, nsteps = 0;
	char q[128];

	if (n == NULL || ynode_is_null(n))
		return;
	if (!ck_map(c, n, "escalation", keys, v))
		return;
	if (k->subject != SUBJECT_MEMBER) {
		PROB(c, n, "只有以党员为对象的记录类型可以有 \"escalation\"");
		return;
	}
	if (v[0] != NULL && !check_count(c, v[0], k))
		ok = 0;
	r = ck_seq(c, v[1], "steps");
	if (r < 0)
		return;
	if (r == 0 || v[1]->nkids == 0) {
		if (v[1] != NULL)
			PROB(c, v[1], "\"steps\" 不能为空");
		return;
	}
	for (i = 0; i < v[1]->nkids; i++) {
		const struct ynode *s = v[1]->kids[i];

		if (nsteps == PLAN_ESCALATION_MAX) {
			PROB(c, s, "\"steps\" 过多（最多 %d 级）",
			     PLAN_ESCALATION_MAX);
			return;
		}
		if (ck_text(c, s, "steps", x->steps[nsteps], PLAN_NAME_MAX,
		            0) <= 0) {
			if (s->type == YN_SCALAR && ynode_is_null(s))
				PROB(c, s, "\"steps\" 中的一级不能为空");
			ok = 0;
			continue;
		}
		for (j = 0; j < nsteps; j++)
			if (strcmp(x->steps[j], x->steps[nsteps]) == 0)
				break;
		if (j < nsteps) {
			PROB(c, s, "\"steps\" 中 \"%s\" 重复",
			     shorten(x->steps[j], q, 60));
			ok = 0;
			continue;
		}
		nsteps++;
	}
	if (ok && v[0] != NULL)
		x->nsteps = nsteps;
}

static void check_field(struct ck *c, const struct ynode *n, int kind)
{
	static const struct ckey keys[] = {
		{ "name", 1 },   { "type", 1 },    { "required", 0 },
		{ "values", 0 }, { "must_be", 0 }, { "multiple", 0 },
		{ NULL, 0 },
	};
	struct plan_kind *k = &c->p->kinds[kind];
	struct plan_field *f = &k->fields[k->nfields];
	const struct ynode *v[6];
	int bad = 0, type = -1, j;

	if (!ck_map(c, n, "字段", keys, v)) {
		c->fields_bad[kind] = 1;
		return;
	}
	memset(f, 0, sizeof(*f));
	f->must_when_field = -1;
	if (ck_id(c, v[0], "name", f->name) < 0)
		bad = 1;
	if (f->name[0] == '\0') {
		c->fields_bad[kind] = 1;
		return;
	}
	for (j = 0; j < k->nfields; j++)
		if (strcmp(k->fields[j].name, f->name) == 0) {
			PROB(c, v[0], "字段 \"%s\" 重复", f->name);
			return;
		}
	if (ck_choice(c, v[1], "type", ck_field_types, FIELD_DATE + 1, &type) <=
	    0)
		bad = 1;
	else
		f->type = (enum plan_field_type)type;
	if (ck_bool(c, v[2], "required", &f->required) < 0)
		bad = 1;
	if (type == FIELD_ENUM || type == FIELD_STATE) {
		if (v[3] == NULL) {
			PROB(c, n, "%s 类型的字段须给出 \"values\"",
			     ck_field_types[type]);
			bad = 1;
		} else {
			check_values(c, v[3], f, &bad);
		}
	} else if (v[3] != NULL && type >= 0) {
		PROB(c, v[3], "只有 enum 和 state 类型的字段可以有 \"values\"");
		bad = 1;
	}
	if (ck_bool(c, v[5], "multiple", &f->multiple) < 0) {
		bad = 1;
	} else if (f->multiple && type >= 0 && type != FIELD_ENUM) {
		PROB(c, v[5], "只有 enum 类型的字段可以有 \"multiple\"");
		bad = 1;
	}
	if (v[4] != NULL && type != FIELD_MEMBER) {
		PROB(c, v[4], "只有 member 类型的字段可以有 \"must_be\"");
		bad = 1;
	} else if (v[4] != NULL && !check_must_be(c, v[4], f)) {
		bad = 1;
	}
	c->field_bad[kind][k->nfields] = (unsigned char)bad;
	k->nfields++;
}

static void check_kind(struct ck *c, const struct ynode *n)
{
	static const struct ckey keys[] = {
		{ "id", 1 },     { "name", 1 },       { "subject", 1 },
		{ "fields", 0 }, { "escalation", 0 }, { NULL, 0 },
	};
	struct plan *p = c->p;
	struct plan_kind *k = &p->kinds[p->nkinds];
	const struct ynode *v[5];
	int bad = 0, i, j, subject;

	if (!ck_map(c, n, "记录类型", keys, v))
		return;
	memset(k, 0, sizeof(*k));
	k->line = n->line;
	k->column = n->column;
	if (ck_id(c, v[0], "id", k->id) < 0)
		bad = 1;
	if (k->id[0] == '\0')
		return;
	for (i = 0; i < p->nkinds; i++)
		if (strcmp(p->kinds[i].id, k->id) == 0) {
			PROB(c, v[0],
			     "记录类型 id \"%s\" 重复（第 %d 行已定义）", k->id,
			     p->kinds[i].line);
			return;
		}
	ck_text(c, v[1], "name", k->name, sizeof(k->name), 0);
	if (ck_choice(c, v[2], "subject", subjects, 2, &subject) <= 0)
		bad = 1;
	else
		k->subject = (enum plan_subject)subject;
	c->kind_bad[p->nkinds] = (unsigned char)bad;
	p->nkinds++;
	i = ck_seq(c, v[3], "fields");
	if (i < 0)
		c->fields_bad[p->nkinds - 1] = 1;
	for (j = 0; i > 0 && j < v[3]->nkids; j++) {
		if (k->nfields == PLAN_FIELDS_MAX) {
			PROB(c, v[3]->kids[j], "字段过多（每种记录最多 %d 个）",
			     PLAN_FIELDS_MAX);
			c->fields_bad[p->nkinds - 1] = 1;
			break;
		}
		check_field(c, v[3]->kids[j], p->nkinds - 1);
	}
	if (i > 0)
		resolve_must_be(c, v[3], k);
	if (!c->fields_bad[p->nkinds - 1])
		check_escalation(c, v[4], k);
}

static void check_kinds(struct ck *c, const struct ynode *seq)
{
	int i, r = ck_seq(c, seq, "record_kinds");

	if (r < 0)
		return;
	if (r == 0 || seq->nkids == 0) {
		if (seq != NULL)
			PROB(c, seq, "\"record_kinds\" 不能为空");
		return;
	}
	for (i = 0; i < seq->nkids; i++) {
		if (c->p->nkinds == PLAN_KINDS_MAX) {
			PROB(c, seq->kids[i], "记录类型过多（最多 %d 种）",
			     PLAN_KINDS_MAX);
			break;
		}
		check_kind(c, seq->kids[i]);
	}
}

/* --- stages ---------------------------------------------------------- */

/* One 回头看 item of stage s (DOMAIN.md §5.1 step 1, workflow.h). */
static void check_lookback_item(struct ck *c, const struct ynode *n,
                                struct plan_stage *s)
{
	static const struct ckey keys[] = {
		{ "id", 1 },
		{ "text", 1 },
		{ "source", 1 },
		{ NULL, 0 },
	};
	struct plan_lookback *l = &s->lookback[s->nlookback];
	const struct ynode *v[3];
	int i;

	if (!ck_map(c, n, "回头看事项", keys, v))
		return;
	memset(l, 0, sizeof(*l));
	if (ck_id(c, v[0], "id", l->id) < 0 || l->id[0] == '\0')
		return;
	for (i = 0; i < s->nlookback; i++)
		if (strcmp(s->lookback[i].id, l->id) == 0) {
			PROB(c, v[0], "阶段 %s 的回头看事项 id \"%s\" 重复",
			     s->id, l->id);
			return;
		}
	ck_text(c, v[1], "text", l->text, sizeof(l->text), 0);
	ck_text(c, v[2], "source", l->source, sizeof(l->source), 1);
	s->nlookback++;
}

static void check_lookback(struct ck *c, const struct ynode *seq,
                           struct plan_stage *s)
{
	int i;

	if (ck_seq(c, seq, "lookback") <= 0)
		return;
	for (i = 0; i < seq->nkids; i++) {
		if (s->nlookback == PLAN_LOOKBACK_MAX) {
			PROB(c, seq->kids[i],
			     "回头看事项过多（每个阶段最多 %d 项）",
			     PLAN_LOOKBACK_MAX);
			break;
		}
		check_lookback_item(c, seq->kids[i], s);
	}
}

static void check_stage(struct ck *c, const struct ynode *n)
{
	static const struct ckey keys[] = {
		{ "id", 1 },       { "name", 1 }, { "after", 0 },
		{ "lookback", 0 }, { NULL, 0 },
	};
	struct plan *p = c->p;
	struct plan_stage *s = &p->stages[p->nstages];
	const struct ynode *v[4];
	int bad = 0, i;

	if (!ck_map(c, n, "阶段", keys, v))
		return;
	memset(s, 0, sizeof(*s));
	s->line = n->line;
	s->column = n->column;
	if (ck_id(c, v[0], "id", s->id) < 0)
		bad = 1;
	if (s->id[0] == '\0')
		return;
	for (i = 0; i < p->nstages; i++)
		if (strcmp(p->stages[i].id, s->id) == 0) {
			PROB(c, v[0], "阶段 id \"%s\" 重复（第 %d 行已定义）",
			     s->id, p->stages[i].line);
			return;
		}
	ck_text(c, v[1], "name", s->name, sizeof(s->name), 0);
	check_lookback(c, v[3], s);
	c->stage_bad[p->nstages] = (unsigned char)bad;
	c->stage_after[p->nstages] = v[2];
	p->nstages++;
}

/* Resolve each stage's `after` list, now that every stage is known. */
static void resolve_after(struct ck *c)
{
	struct plan *p = c->p;
	int i, j, k, m;

	for (i = 0; i < p->nstages; i++) {
		const struct ynode *a = c->stage_after[i];
		struct plan_stage *s = &p->stages[i];
		const struct ynode *one[1];
		const struct ynode *const *items = one;
		int n = 1;
		char q[128];

		if (a == NULL || ynode_is_null(a))
			continue;
		if (a->type == YN_SEQ) {
			items = (const struct ynode *const *)a->kids;
			n = a->nkids;
		} else if (a->type == YN_SCALAR) {
			one[0] = a; /* after: learn, one stage */
		} else {
			PROB(c, a, "\"after\" 应为阶段 id 的列表，而不是%s",
			     ck_type_name(a));
			c->stage_bad[i] = 1;
			continue;
		}
		for (j = 0; j < n; j++) {
			const struct ynode *x = items[j];

			if (x->type != YN_SCALAR) {
				PROB(c, x, "\"after\" 的每一项应为阶段 id");
				c->stage_bad[i] = 1;
				continue;
			}
			for (k = 0; k < p->nstages; k++)
				if (strcmp(p->stages[k].id, x->text) == 0)
					break;
			if (k == p->nstages) {
				PROB(c, x, "\"after\" 中的阶段 \"%s\" 不存在",
				     shorten(x->text, q, 60));
				c->stage_bad[i] = 1;
				continue;
			}
			for (m = 0; m < s->nafter; m++)
				if (s->after[m] == k)
					break;
			if (m < s->nafter) {
				PROB(c, x, "\"after\" 中的阶段 \"%s\" 重复",
				     p->stages[k].id);
				continue;
			}
			s->after[s->nafter++] = k;
		}
	}
}

/*
 * Order the stages (Kahn's algorithm, earliest declared first among the
 * ready ones) and report every cycle by its stages.
 */
static void order_stages(struct ck *c)
{
	struct plan *p = c->p;
	int done[PLAN_STAGES_MAX] = { 0 }, reported[PLAN_STAGES_MAX] = { 0 };
	int placed = 0, i, j, progress = 1;

	while (progress) {
		progress = 0;
		for (i = 0; i < p->nstages; i++) {
			int ready = !done[i];

			for (j = 0; ready && j < p->stages[i].nafter; j++)
				ready = done[p->stages[i].after[j]];
			if (ready) {
				done[i] = 1;
				p->stages[i].order = placed++;
				progress = 1;
				break;
			}
		}
	}
	if (placed == p->nstages) {
		c->order_ok = 1;
		return;
	}
	/* Each stage left follows another one left: walking back along
	 * `after` from one of them must come round to a stage twice. */
	for (i = 0; i < p->nstages; i++) {
		int path[PLAN_STAGES_MAX + 1], seen[PLAN_STAGES_MAX] = { 0 };
		int n = 0, cur = i, start, fresh = 1;
		char text[PLAN_STAGES_MAX * (PLAN_ID_MAX + 8)];
		size_t used = 0;

		if (done[i] || reported[i])
			continue;
		while (!seen[cur]) {
			seen[cur] = 1;
			path[n++] = cur;
			for (j = 0; j < p->stages[cur].nafter; j++)
				if (!done[p->stages[cur].after[j]])
					break;
			cur = p->stages[cur].after[j];
		}
		for (start = 0; path[start] != cur; start++)
			;
		for (j = start; j < n; j++)
			fresh &= !reported[path[j]];
		if (!fresh)
			continue;
		/* name the cycle from its earliest declared stage, in the
		 * order the stages run: a after b is written b → a */
		{
			int first = start, len = n - start, m;

			for (j = start; j < n; j++)
				if (path[j] < path[first])
					first = j;
			for (m = 0; m <= len; m++) {
				int idx =
				    path[start +
				         ((first - start) - m + len * 2) % len];

				used += (size_t)snprintf(
				    text + used, sizeof(text) - used, "%s%s",
				    m ? " → " : "", p->stages[idx].id);
				if (used >= sizeof(text))
					break;
			}
			for (j = start; j < n; j++)
				reported[path[j]] = 1;
			probs_add(c->pp, p->stages[path[first]].line,
			          p->stages[path[first]].column,
			          "阶段顺序有环：%s", text);
		}
	}
}

static void check_stages(struct ck *c, const struct ynode *seq)
{
	int i, r = ck_seq(c, seq, "stages");

	if (r < 0)
		return;
	if (r == 0 || seq->nkids == 0) {
		if (seq != NULL)
			PROB(c, seq, "\"stages\" 不能为空");
		return;
	}
	for (i = 0; i < seq->nkids; i++) {
		if (c->p->nstages == PLAN_STAGES_MAX) {
			PROB(c, seq->kids[i], "阶段过多（最多 %d 个）",
			     PLAN_STAGES_MAX);
			break;
		}
		check_stage(c, seq->kids[i]);
	}
	resolve_after(c);
	order_stages(c);
}

/* --- batches --------------------------------------------------------- */

static void check_windows(struct ck *c, const struct ynode *n, int b)
{
	static const struct ckey keys[] = {
		{ "start", 1 },
		{ "end", 1 },
		{ NULL, 0 },
	};
	struct plan *p = c->p;
	struct plan_batch *bt = &p->batches[b];
	const struct ynode *start_node[PLAN_STAGES_MAX] = { NULL };
	int have[PLAN_STAGES_MAX] = { 0 };
	int i, k, j;
	char q[128], d1[DATE_STR_LEN], d2[DATE_STR_LEN];

	if (n->type != YN_MAP) {
		PROB(c, n, "\"stages\" 应为映射（阶段 id: 起止日期），而不是%s",
		     ck_type_name(n));
		return;
	}
	for (i = 0; i + 1 < n->nkids; i += 2) {
		const struct ynode *key = n->kids[i], *val = n->kids[i + 1];
		const struct ynode *v[2];
		int ok = 1;

		if (key->type != YN_SCALAR) {
			PROB(c, key, "批次的 \"stages\" 的键应为阶段 id");
			continue;
		}
		for (k = 0; k < p->nstages; k++)
			if (strcmp(p->stages[k].id, key->text) == 0)
				break;
		if (k == p->nstages) {
			PROB(c, key, "阶段 \"%s\" 不存在",
			     shorten(key->text, q, 60));
			continue;
		}
		if (have[k]) {
			PROB(c, key, "阶段 \"%s\" 的起止日期重复",
			     p->stages[k].id);
			continue;
		}
		have[k] = 1;
		if (!ck_map(c, val, "阶段起止日期", keys, v))
			continue;
		if (ck_date(c, v[0], "start", &bt->start[k]) <= 0)
			ok = 0;
		if (ck_date(c, v[1], "end", &bt->end[k]) <= 0)
			ok = 0;
		if (ok && bt->end[k] < bt->start[k]) {
			date_format(bt->start[k], d1);
			date_format(bt->end[k], d2);
			PROB(c, v[1], "结束日期 %s 早于开始日期 %s", d2, d1);
			ok = 0;
		}
		c->window_ok[b][k] = (unsigned char)ok;
		start_node[k] = v[0];
	}
	for (k = 0; k < p->nstages; k++)
		if (!have[k]) {
			PROB(c, n, "批次缺少阶段 \"%s\" 的起止日期",
			     p->stages[k].id);
			c->batches_ok = 0;
		} else if (!c->window_ok[b][k]) {
			c->batches_ok = 0;
		}
	/* a stage starts no earlier than the end of each stage it follows */
	for (k = 0; k < p->nstages; k++) {
		const struct plan_stage *s = &p->stages[k];

		for (j = 0; j < s->nafter; j++) {
			int a = s->after[j];

			/* with a cycle, some stage always starts too early:
			 * the cycle is the problem, reported once */
			if (!c->order_ok || !c->window_ok[b][k] ||
			    !c->window_ok[b][a] || bt->start[k] >= bt->end[a])
				continue;
			date_format(bt->start[k], d1);
			date_format(bt->end[a], d2);
			PROB(c, start_node[k],
			     "阶段 \"%s\" 开始于 %s，早于它之前的阶段 \"%s\" "
			     "的结束日期 %s",
			     s->id, d1, p->stages[a].id, d2);
			c->window_ok[b][k] = 0;
			c->batches_ok = 0;
		}
	}
}

static void check_batch(struct ck *c, const struct ynode *n)
{
	static const struct ckey keys[] = {
		{ "ordinal", 1 },
		{ "name", 1 },
		{ "stages", 1 },
		{ NULL, 0 },
	};
	struct plan *p = c->p;
	struct plan_batch *b = &p->batches[p->nbatches];
	const struct ynode *v[3];
	int i;

	if (!ck_map(c, n, "批次", keys, v)) {
		c->batches_ok = 0;
		return;
	}
	memset(b, 0, sizeof(*b));
	if (ck_int(c, v[0], "ordinal", 1, 99, &b->ordinal) <= 0) {
		c->batches_ok = 0;
		return;
	}
	for (i = 0; i < p->nbatches; i++)
		if (p->batches[i].ordinal == b->ordinal) {
			PROB(c, v[0], "批次序号 %d 重复", b->ordinal);
			c->batches_ok = 0;
			return;
		}
	ck_text(c, v[1], "name", b->name, sizeof(b->name), 0);
	p->nbatches++;
	if (v[2] == NULL) {
		c->batches_ok = 0;
		return;
	}
	check_windows(c, v[2], p->nbatches - 1);
}

static void check_batches(struct ck *c, const struct ynode *seq)
{
	int i, r = ck_seq(c, seq, "batches");

	c->batches_ok = 1;
	if (r < 0 || r == 0 || seq->nkids == 0) {
		if (r == 0 && seq != NULL)
			PROB(c, seq, "\"batches\" 不能为空");
		c->batches_ok = 0;
		return;
	}
	for (i = 0; i < seq->nkids; i++) {
		if (c->p->nbatches == PLAN_BATCHES_MAX) {
			PROB(c, seq->kids[i], "批次过多（最多 %d 个）",
			     PLAN_BATCHES_MAX);
			break;
		}
		check_batch(c, seq->kids[i]);
	}
}

/* --- the whole plan -------------------------------------------------- */

void plan_check_tree(const struct ynode *root, struct plan *p,
                     struct plan_problems *pp)
{
	static const struct ckey keys[] = {
		{ "campaign", 1 }, { "source", 0 },  { "record_kinds", 1 },
		{ "stages", 1 },   { "batches", 1 }, { "requirements", 1 },
		{ NULL, 0 },
	};
	const struct ynode *v[6];
	struct ck c;

	memset(&c, 0, sizeof(c));
	c.p = p;
	c.pp = pp;
	if (!ck_map(&c, root, "方案", keys, v))
		return;
	ck_text(&c, v[0], "campaign", p->name, sizeof(p->name), 0);
	ck_text(&c, v[1], "source", p->source, sizeof(p->source), 1);
	/* in this order whatever the order in the file: each part refers
	 * only to the ones before it */
	check_kinds(&c, v[2]);
	check_stages(&c, v[3]);
	check_batches(&c, v[4]);
	ck_requirements(&c, v[5]);
}
