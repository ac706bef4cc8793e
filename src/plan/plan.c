/*
 * plan.c - reading a plan file, look-ups and exact comparison.
 *
 * plan_parse() runs in three steps, each only on what the one before
 * accepted: the bytes must be UTF-8 (text.h), the text must be one YAML
 * document (yaml.c), and the document must describe a complete and
 * consistent plan (check.c, check-req.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "xianjiao/alloc.h"
#include "xianjiao/text.h"

/* The first byte that is not UTF-8 (or a NUL): a problem at its place. */
static int check_utf8(const char *text, size_t len, struct plan_problems *pp)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n;
	uint32_t cp;
	int line, column;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0 || cp == 0) {
			text_position(text, len, i, &line, &column);
			if (n == 0)
				probs_add(pp, line, column,
				          "不是有效的 UTF-8 编码（第 %zu 字节 "
				          "0x%02X）；方案文件须用 UTF-8 保存",
				          i + 1, s[i]);
			else
				probs_add(pp, line, column,
				          "文件中有空字符（第 %zu 字节）",
				          i + 1);
			return -1;
		}
		i += n;
	}
	return 0;
}

enum xj_err plan_parse(const char *text, size_t len, const char *name,
                       struct plan **out, struct plan_problems *probs,
                       struct xj_error *err)
{
	struct plan_problems *pp = probs;
	struct plan *p = NULL;
	struct ytree t;
	enum xj_err rc = XJ_OK;

	*out = NULL;
	if (name == NULL)
		name = "方案";
	if (text == NULL) {
		text = ""; /* libyaml wants a string even when it is empty */
		len = 0;
	}
	if (pp == NULL)
		pp = xcalloc(1, sizeof(*pp));
	memset(pp, 0, sizeof(*pp));
	if (len > PLAN_FILE_MAX) {
		probs_add(pp, 0, 0, "方案文件过大：%zu 字节，最多 %d 字节", len,
		          PLAN_FILE_MAX);
	} else if (check_utf8(text, len, pp) == 0) {
		if (ytree_parse(&t, text, len, pp) == 0) {
			p = xcalloc(1, sizeof(*p));
			if (t.root == NULL)
				probs_add(pp, 1, 1, "方案文件是空的");
			else
				plan_check_tree(t.root, p, pp);
		}
		ytree_release(&t);
	}
	if (pp->n > 0) {
		const struct plan_problem *q = &pp->p[0];

		plan_free(p);
		p = NULL;
		if (q->line > 0)
			rc = xj_error_set(err, XJ_EINVAL, "%s:%d:%d: %s", name,
			                  q->line, q->column, q->msg);
		else
			rc = xj_error_set(err, XJ_EINVAL, "%s: %s", name,
			                  q->msg);
		if (err != NULL) {
			err->line = q->line;
			err->column = q->column;
		}
	}
	if (pp != probs)
		free(pp);
	*out = p;
	return rc;
}

enum xj_err plan_load(const char *path, struct plan **out,
                      struct plan_problems *probs, struct xj_error *err)
{
	FILE *f;
	char *buf;
	size_t n;
	enum xj_err rc;

	*out = NULL;
	if (probs != NULL)
		memset(probs, 0, sizeof(*probs));
	f = fopen(path, "rb");
	if (f == NULL)
		return xj_error_set(err, XJ_EIO, "无法打开方案文件 %s: %s",
		                    path, strerror(errno));
	/* one byte more than the limit, so that too large is seen */
	buf = xmalloc(PLAN_FILE_MAX + 2);
	n = fread(buf, 1, PLAN_FILE_MAX + 1, f);
	if (ferror(f)) {
		rc = xj_error_set(err, XJ_EIO, "无法读取方案文件 %s: %s", path,
		                  strerror(errno));
		fclose(f);
		free(buf);
		return rc;
	}
	fclose(f);
	buf[n] = '\0';
	rc = plan_parse(buf, n, path, out, probs, err);
	free(buf);
	return rc;
}

void plan_free(struct plan *p)
{
	free(p);
}

int plan_kind_find(const struct plan *p, const char *id)
{
	int i;

	for (i = 0; i < p->nkinds; i++)
		if (strcmp(p->kinds[i].id, id) == 0)
			return i;
	return -1;
}

int plan_field_find(const struct plan_kind *k, const char *name)
{
	int i;

	for (i = 0; i < k->nfields; i++)
		if (strcmp(k->fields[i].name, name) == 0)
			return i;
	return -1;
}

int plan_stage_find(const struct plan *p, const char *id)
{
	int i;

	for (i = 0; i < p->nstages; i++)
		if (strcmp(p->stages[i].id, id) == 0)
			return i;
	return -1;
}

int plan_batch_find(const struct plan *p, int ordinal)
{
	int i;

	for (i = 0; i < p->nbatches; i++)
		if (p->batches[i].ordinal == ordinal)
			return i;
	return -1;
}

/*
 * a/b cmp c/d with b, d > 0 is a*d cmp c*b. Each product of two int64
 * values fits in 128 bits, so the comparison is exact for every value
 * (a threshold of 2/3 against 6,667 of 10,000 is decided right).
 */
int plan_compare(struct plan_ratio value, enum plan_cmp cmp,
                 struct plan_ratio threshold)
{
	__int128 l, r;

	if (value.den == 0 || threshold.den == 0)
		return 0;
	l = (__int128)value.num * threshold.den;
	r = (__int128)threshold.num * value.den;
	/* multiplying by b*d < 0 (one negative denominator) turns the
	 * comparison round */
	if ((value.den < 0) != (threshold.den < 0)) {
		l = -l;
		r = -r;
	}
	switch (cmp) {
	case CMP_GE:
		return l >= r;
	case CMP_GT:
		return l > r;
	case CMP_LE:
		return l <= r;
	case CMP_LT:
		return l < r;
	case CMP_EQ:
		return l == r;
	}
	return 0;
}

const char *plan_cmp_text(enum plan_cmp c)
{
	static const char *const t[] = {
		[CMP_GE] = ">=", [CMP_GT] = ">",  [CMP_LE] = "<=",
		[CMP_LT] = "<",  [CMP_EQ] = "==",
	};

	return (int)c >= 0 && c <= CMP_EQ ? t[c] : "?";
}

const char *plan_scope_name(enum plan_scope s)
{
	static const char *const t[PSCOPE__MAX] = {
		[PSCOPE_MEMBER] = "党员",
		[PSCOPE_BRANCH] = "党支部",
		[PSCOPE_UNIT] = "单位",
		[PSCOPE_SYSTEM] = "系统",
	};

	return (int)s >= 0 && s < PSCOPE__MAX ? t[s] : "?";
}

const char *plan_metric_name(enum plan_metric_type t)
{
	static const char *const n[METRIC__MAX] = {
		[METRIC_COUNT] = "count",
		[METRIC_SUM] = "sum",
		[METRIC_MAX] = "max",
		[METRIC_DISTINCT_SHARE] = "distinct_share",
		[METRIC_STATE] = "state",
		[METRIC_RATIO] = "ratio",
	};

	return (int)t >= 0 && t < METRIC__MAX ? n[t] : "?";
}

const char *plan_field_type_name(enum plan_field_type t)
{
	return (int)t >= 0 && t <= FIELD_DATE ? ck_field_types[t] : "?";
}
