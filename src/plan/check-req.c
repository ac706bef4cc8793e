/*
 * Requirements: their metric, comparison and threshold, treatments,
 * aggregation share, gate, weight and deadline. Everything the engine
 * will rely on is checked here: indices in range, field types that fit
 * the metric, record kinds whose subject fits the scope, thresholds on
 * the metric's own scale.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "xianjiao/date.h"

static const char *const scopes[PSCOPE__MAX] = {
	[PSCOPE_MEMBER] = "member",
	[PSCOPE_BRANCH] = "branch",
	[PSCOPE_UNIT] = "unit",
	[PSCOPE_SYSTEM] = "system",
};

static const char *const req_kinds[] = {
	[REQ_REQUIRED] = "规定动作",
	[REQ_OPTIONAL] = "自选动作",
};

static const char *const metric_types[METRIC__MAX] = {
	[METRIC_COUNT] = "count", [METRIC_SUM] = "sum",
	[METRIC_MAX] = "max",     [METRIC_DISTINCT_SHARE] = "distinct_share",
	[METRIC_STATE] = "state", [METRIC_RATIO] = "ratio",
};

static const char *const cmps[] = {
	[CMP_GE] = ">=", [CMP_GT] = ">",  [CMP_LE] = "<=",
	[CMP_LT] = "<",  [CMP_EQ] = "==",
};

/* For messages; the names member_category_parse() accepts. */
static const char category_list[] =
    "在职、离退休、年老体弱、流动党员、失去联系、下岗失业、两新组织、"
    "党员领导干部";

/* "否、是" for messages. */
static void join_values(const struct plan_field *f, char *buf, size_t size)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < f->nvalues && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s",
		                         i ? "、" : "", f->values[i]);
	if (used >= size) {
		/* cut at a character, with room for "…" */
		char tmp[512];
		size_t keep = (size < sizeof(tmp) ? size : sizeof(tmp)) - 8;

		shorten(buf, tmp, keep);
		memcpy(buf, tmp, strlen(tmp) + 1);
	}
}

static int value_index(const struct plan_field *f, const char *s)
{
	int i;

	for (i = 0; i < f->nvalues; i++)
		if (strcmp(f->values[i], s) == 0)
			return i;
	return -1;
}

/* A name referring to a declaration: a non-empty scalar. */
static int ref_text(struct ck *c, const struct ynode *v, const char *key)
{
	if (v->type != YN_SCALAR) {
		PROB(c, v, "\"%s\" 应为文本，而不是%s", key, ck_type_name(v));
		return 0;
	}
	if (ynode_is_null(v)) {
		PROB(c, v, "\"%s\" 不能为空", key);
		return 0;
	}
	return 1;
}

/*
 * Field `key` of kind k for a metric of type t: its index, or -1 after a
 * problem (or silently when the field's declaration had one). want is a
 * mask of 1 << enum plan_field_type.
 */
static int metric_field(struct ck *c, const struct ynode *mnode,
                        const struct ynode *v, const char *key, int k,
                        enum plan_metric_type t, unsigned want,
                        const char *want_text)
{
	const struct plan_kind *kind = &c->p->kinds[k];
	char q[128];
	int f;

	if (v == NULL) {
		PROB(c, mnode, "%s 指标须给出 \"%s\"（%s 类型的字段）",
		     metric_types[t], key, want_text);
		return -1;
	}
	if (!ref_text(c, v, key))
		return -1;
	f = plan_field_find(kind, v->text);
	if (f < 0) {
		if (!c->fields_bad[k])
			PROB(c, v, "记录类型 \"%s\" 没有字段 \"%s\"", kind->id,
			     shorten(v->text, q, 60));
		return -1;
	}
	if (c->field_bad[k][f])
		return -1;
	if (!(want & (1u << kind->fields[f].type))) {
		PROB(c, v, "%s 需要 %s 类型的字段，\"%s\" 是 %s",
		     metric_types[t], want_text, kind->fields[f].name,
		     ck_field_types[kind->fields[f].type]);
		return -1;
	}
	return f;
}

static int check_where(struct ck *c, const struct ynode *w, int k,
                       struct plan_metric *m)
{
	const struct plan_kind *kind = &c->p->kinds[k];
	int i, j, ok = 1;
	char q[128], list[512];

	if (ynode_is_null(w))
		return 1;
	if (w->type != YN_MAP) {
		PROB(c, w, "\"where\" 应为映射（字段: 取值），而不是%s",
		     ck_type_name(w));
		return 0;
	}
	for (i = 0; i + 1 < w->nkids; i += 2) {
		const struct ynode *key = w->kids[i], *val = w->kids[i + 1];
		struct plan_where *wh;
		const struct plan_field *fd;
		int f;

		if (m->nwhere == PLAN_WHERE_MAX) {
			PROB(c, key, "\"where\" 条件过多（最多 %d 个）",
			     PLAN_WHERE_MAX);
			return 0;
		}
		if (!ref_text(c, key, "where")) {
			ok = 0;
			continue;
		}
		f = plan_field_find(kind, key->text);
		if (f < 0) {
			if (!c->fields_bad[k])
				PROB(c, key, "记录类型 \"%s\" 没有字段 \"%s\"",
				     kind->id, shorten(key->text, q, 60));
			ok = 0;
			continue;
		}
		if (c->field_bad[k][f]) {
			ok = 0;
			continue;
		}
		fd = &kind->fields[f];
		for (j = 0; j < m->nwhere; j++)
			if (m->where[j].field == f)
				break;
		if (j < m->nwhere) {
			PROB(c, key, "\"where\" 中字段 \"%s\" 重复", fd->name);
			ok = 0;
			continue;
		}
		if (fd->type != FIELD_TEXT && fd->type != FIELD_ENUM &&
		    fd->type != FIELD_STATE) {
			PROB(c, key,
			     "\"where\" 只能按 text、enum 或 state 类型的字段"
			     "筛选，\"%s\" 是 %s",
			     fd->name, ck_field_types[fd->type]);
			ok = 0;
			continue;
		}
		if (fd->multiple) {
			PROB(c, key, "\"where\" 不能按多选字段 \"%s\" 筛选",
			     fd->name);
			ok = 0;
			continue;
		}
		wh = &m->where[m->nwhere];
		if (ck_text(c, val, fd->name, wh->value, sizeof(wh->value),
		            0) <= 0) {
			if (val->type == YN_SCALAR && ynode_is_null(val))
				PROB(c, val,
				     "\"where\" 中 \"%s\" 的取值不能为空",
				     fd->name);
			ok = 0;
			continue;
		}
		if (fd->type != FIELD_TEXT && value_index(fd, wh->value) < 0) {
			join_values(fd, list, sizeof(list));
			PROB(c, val, "\"%s\" 不是字段 %s 的取值（可选：%s）",
			     shorten(wh->value, q, 60), fd->name, list);
			ok = 0;
			continue;
		}
		wh->field = f;
		m->nwhere++;
	}
	return ok;
}

/*
 * A metric for a requirement of the given scope (scope < 0: unknown).
 * Returns 1 when it is complete and valid, so that a threshold can be
 * checked against it; 0 otherwise (reported, or quiet when it refers to
 * a declaration that already had a problem).
 */
static int check_metric(struct ck *c, const struct ynode *n, int scope,
                        struct plan_metric *m)
{
	static const struct ckey keys[] = {
		{ "type", 1 },   { "record", 1 }, { "field", 0 },
		{ "field2", 0 }, { "where", 0 },  { NULL, 0 },
	};
	const struct ynode *v[5];
	const struct plan_kind *kind;
	int type = -1, k, ok = 1;
	char q[128];

	memset(m, 0, sizeof(*m));
	m->kind = -1;
	m->field = -1;
	m->field2 = -1;
	if (!ck_map(c, n, "指标", keys, v))
		return 0;
	if (ck_choice(c, v[0], "type", metric_types, METRIC__MAX, &type) <= 0)
		ok = 0;
	else
		m->type = (enum plan_metric_type)type;
	if (type == METRIC_DISTINCT_SHARE && scope >= 0 &&
	    scope != PSCOPE_MEMBER) {
		PROB(c, v[0],
		     "distinct_share 只能用于党员（member）范围的要求");
		ok = 0;
	}
	if (v[1] == NULL || !ref_text(c, v[1], "record"))
		return 0;
	k = plan_kind_find(c->p, v[1]->text);
	if (k < 0) {
		PROB(c, v[1], "未知的记录类型 \"%s\"",
		     shorten(v[1]->text, q, 60));
		return 0;
	}
	if (c->kind_bad[k])
		return 0;
	m->kind = k;
	kind = &c->p->kinds[k];
	if (scope == PSCOPE_MEMBER && kind->subject != SUBJECT_MEMBER) {
		PROB(c, v[1],
		     "党员范围的要求须统计以党员为对象（subject: member）的"
		     "记录，\"%s\" 的对象是组织",
		     kind->id);
		ok = 0;
	} else if (scope > PSCOPE_MEMBER && kind->subject != SUBJECT_ORG) {
		PROB(c, v[1],
		     "%s范围的要求须统计以组织为对象（subject: org）的记录，"
		     "\"%s\" 的对象是党员",
		     plan_scope_name((enum plan_scope)scope), kind->id);
		ok = 0;
	}
	if (v[4] != NULL && !check_where(c, v[4], k, m))
		ok = 0;
	if (type < 0)
		return 0;
	if (type == METRIC_COUNT && v[2] != NULL) {
		PROB(c, v[2], "count 指标不使用 \"field\"");
		ok = 0;
	}
	if (type != METRIC_RATIO && v[3] != NULL) {
		PROB(c, v[3], "只有 ratio 指标使用 \"field2\"");
		ok = 0;
	}
	switch (type) {
	case METRIC_SUM:
	case METRIC_MAX:
		m->field = metric_field(
		    c, n, v[2], "field", k, (enum plan_metric_type)type,
		    (1u << FIELD_NUMBER) | (1u << FIELD_ZISHU),
		    "number 或 zishu");
		break;
	case METRIC_DISTINCT_SHARE:
		m->field =
		    metric_field(c, n, v[2], "field", k, METRIC_DISTINCT_SHARE,
		                 1u << FIELD_MEMBER, "member");
		break;
	case METRIC_STATE:
		m->field = metric_field(c, n, v[2], "field", k, METRIC_STATE,
		                        1u << FIELD_STATE, "state");
		break;
	case METRIC_RATIO:
		m->field = metric_field(c, n, v[2], "field", k, METRIC_RATIO,
		                        1u << FIELD_NUMBER, "number");
		m->field2 = metric_field(c, n, v[3], "field2", k, METRIC_RATIO,
		                         1u << FIELD_NUMBER, "number");
		if (m->field >= 0 && m->field == m->field2) {
			PROB(c, v[3], "ratio 的分子与分母不能是同一个字段");
			ok = 0;
		}
		if (m->field2 < 0)
			ok = 0;
		break;
	default:
		break;
	}
	if (type != METRIC_COUNT && m->field < 0)
		ok = 0;
	return ok;
}

static int share_metric(enum plan_metric_type t)
{
	return t == METRIC_DISTINCT_SHARE || t == METRIC_RATIO;
}

static void amount_problem(struct ck *c, const struct ynode *v, const char *key,
                           enum amount_err e)
{
	char q[128];

	switch (e) {
	case AMOUNT_NEGATIVE:
		PROB(c, v, "\"%s\" 不能为负数", key);
		break;
	case AMOUNT_DECIMALS:
		PROB(c, v, "\"%s\" 最多两位小数", key);
		break;
	case AMOUNT_TOO_BIG:
		PROB(c, v, "\"%s\" 的数值过大", key);
		break;
	case AMOUNT_ZERO_DEN:
		PROB(c, v, "\"%s\" 的分母不能为 0", key);
		break;
	default:
		PROB(c, v,
		     "\"%s\" 的值 \"%s\" 不是有效的数值（可写 40、2.5、2/3、"
		     "70%%）",
		     key, shorten(v->text, q, 60));
		break;
	}
}

/*
 * threshold v for metric m (valid) under comparison cmp. Returns 1 and
 * sets *out when it is valid.
 */
static int check_threshold(struct ck *c, const struct ynode *v,
                           const struct plan_metric *m, enum plan_cmp cmp,
                           struct plan_ratio *out)
{
	const struct plan_field *fd = NULL;
	enum amount_form form;
	enum amount_err e;
	struct plan_ratio r;
	char q[128], list[512];

	if (v->type != YN_SCALAR || ynode_is_null(v)) {
		PROB(c, v, "\"threshold\" 应为数值或状态名，而不是%s",
		     v->type == YN_SCALAR ? "空值" : ck_type_name(v));
		return 0;
	}
	if (m->type == METRIC_STATE) {
		int i;

		fd = &c->p->kinds[m->kind].fields[m->field];
		i = value_index(fd, v->text);
		if (i < 0) {
			join_values(fd, list, sizeof(list));
			PROB(c, v,
			     "阈值 \"%s\" 不是字段 %s 的状态之一（可选：%s）",
			     shorten(v->text, q, 60), fd->name, list);
			return 0;
		}
		if ((cmp == CMP_LT && i == 0) ||
		    (cmp == CMP_GT && i == fd->nvalues - 1)) {
			PROB(c, v, "比较 \"%s %s\" 永远不成立", cmps[cmp],
			     fd->values[i]);
			return 0;
		}
		out->num = i;
		out->den = 1;
		return 1;
	}
	e = amount_parse(v->text, &r, &form);
	if (e != AMOUNT_OK) {
		amount_problem(c, v, "threshold", e);
		return 0;
	}
	if (share_metric(m->type)) {
		if (r.num > r.den) {
			PROB(c, v,
			     "%s 的阈值应在 0 到 1 之间（如 2/3、70%%、1），"
			     "而不是 %s",
			     metric_types[m->type], shorten(v->text, q, 60));
			return 0;
		}
		if (cmp == CMP_GT && r.num == r.den) {
			PROB(c, v, "比较 \"> %s\" 永远不成立（%s 最大为 1）",
			     v->text, metric_types[m->type]);
			return 0;
		}
	} else {
		if (form == AMOUNT_FRACTION || form == AMOUNT_PERCENT) {
			PROB(c, v,
			     "%s 的阈值应为数值（如 40 或 2.5），不能写成分数或"
			     "百分数",
			     metric_types[m->type]);
			return 0;
		}
		if (m->type == METRIC_COUNT && r.den != 1) {
			PROB(c, v, "count 的阈值应为整数，而不是 %s", v->text);
			return 0;
		}
		if (r.num > (int64_t)PLAN_NUMBER_MAX * r.den) {
			PROB(c, v, "阈值超过上限 %d", PLAN_NUMBER_MAX);
			return 0;
		}
	}
	if (cmp == CMP_LT && r.num == 0) {
		PROB(c, v, "比较 \"< 0\" 永远不成立");
		return 0;
	}
	*out = r;
	return 1;
}

/* Categories: one name or a list. Returns the mask, 0 after a problem. */
uint32_t check_categories(struct ck *c, const struct ynode *v, const char *key)
{
	const struct ynode *one[1] = { v };
	const struct ynode *const *items = one;
	uint32_t mask = 0;
	int n = 1, i, bad = 0;
	char q[128];

	if (v->type == YN_SEQ) {
		items = (const struct ynode *const *)v->kids;
		n = v->nkids;
		if (n == 0) {
			PROB(c, v, "\"%s\" 不能为空", key);
			return 0;
		}
	} else if (v->type != YN_SCALAR) {
		PROB(c, v, "\"%s\" 应为党员类别或其列表，而不是%s", key,
		     ck_type_name(v));
		return 0;
	}
	for (i = 0; i < n; i++) {
		int cat;

		if (!ref_text(c, items[i], key)) {
			bad = 1;
			continue;
		}
		cat = member_category_parse(items[i]->text);
		if (cat < 0) {
			PROB(c, items[i], "未知的党员类别 \"%s\"（可选：%s）",
			     shorten(items[i]->text, q, 60), category_list);
			bad = 1;
			continue;
		}
		mask |= MCAT_BIT(cat);
	}
	return bad ? 0 : mask;
}

static int check_when(struct ck *c, const struct ynode *n, struct plan_cond *w)
{
	static const struct ckey keys[] = {
		{ "category", 1 },
		{ "away_months_at_least", 0 },
		{ NULL, 0 },
	};
	const struct ynode *v[2];
	int ok = 1;

	memset(w, 0, sizeof(*w));
	if (!ck_map(c, n, "条件（when）", keys, v))
		return 0;
	if (v[0] == NULL ||
	    (w->categories = check_categories(c, v[0], "category")) == 0)
		ok = 0;
	if (ck_int(c, v[1], "away_months_at_least", 1, 120,
	           &w->away_months_min) < 0)
		ok = 0;
	else if (ok && w->away_months_min > 0 &&
	         !(w->categories & MCAT_BIT(MCAT_MOBILE))) {
		PROB(c, v[1],
		     "away_months_at_least 只适用于流动党员："
		     "category 中须有 流动党员");
		ok = 0;
	}
	return ok;
}

struct reqctx {
	struct plan_req *r;
	int metric_ok;
	int threshold_ok;
};

static void check_treat(struct ck *c, const struct ynode *n, struct reqctx *rq)
{
	static const struct ckey keys[] = {
		{ "when", 1 },    { "exempt", 0 },    { "metric", 0 },
		{ "compare", 0 }, { "threshold", 0 }, { "note", 0 },
		{ NULL, 0 },
	};
	struct plan_req *r = rq->r;
	struct plan_treat *t = &r->treats[r->ntreats];
	const struct ynode *v[6];
	int metric_ok = rq->metric_ok, cmp = r->cmp;

	memset(t, 0, sizeof(*t));
	if (!ck_map(c, n, "处理规则", keys, v))
		return;
	if (v[0] != NULL)
		check_when(c, v[0], &t->when);
	ck_bool(c, v[1], "exempt", &t->exempt);
	ck_text(c, v[5], "note", t->note, sizeof(t->note), 1);
	r->ntreats++;
	if (t->exempt) {
		int i;

		for (i = 2; i <= 4; i++)
			if (v[i] != NULL) {
				PROB(c, v[i],
				     "免于要求（exempt: true）的处理规则不能再"
				     "给出 metric、compare 或 threshold");
				break;
			}
		return;
	}
	if (v[2] == NULL && v[3] == NULL && v[4] == NULL) {
		PROB(c, n,
		     "处理规则须为 exempt: true，或给出 metric、compare、"
		     "threshold 中的至少一项");
		return;
	}
	if (ck_choice(c, v[3], "compare", cmps, 5, &cmp) < 0)
		metric_ok = 0;
	t->cmp = (enum plan_cmp)cmp;
	if (v[2] != NULL) {
		t->has_metric = 1;
		metric_ok = check_metric(c, v[2], PSCOPE_MEMBER, &t->metric);
		if (v[4] == NULL) {
			PROB(c, n,
			     "给出 metric 的处理规则须同时给出 threshold");
			return;
		}
	} else {
		t->metric = r->metric;
	}
	t->threshold = r->threshold;
	if (v[4] != NULL && metric_ok)
		check_threshold(c, v[4], &t->metric, t->cmp, &t->threshold);
}

/* `exempt: [cats]`: one treatment, placed first. */
static void check_exempt(struct ck *c, const struct ynode *v,
                         struct plan_req *r)
{
	struct plan_treat *t = &r->treats[0];
	size_t used;
	int i;

	memset(t, 0, sizeof(*t));
	t->exempt = 1;
	t->when.categories = check_categories(c, v, "exempt");
	r->ntreats = 1;
	used = (size_t)snprintf(t->note, sizeof(t->note), "免于要求：");
	for (i = 0; i < MCAT__MAX && used < sizeof(t->note); i++)
		if (t->when.categories & MCAT_BIT(i))
			used += (size_t)snprintf(
			    t->note + used, sizeof(t->note) - used, "%s%s",
			    used > strlen("免于要求：") ? "、" : "",
			    member_category_name((enum member_category)i));
}

/* A later treatment whose categories an earlier, unconditional one
 * already takes never applies (the first matching one does). */
static void check_reachable(struct ck *c, struct plan_req *r,
                            const struct ynode *const *nodes)
{
	int i, j;

	for (j = 1; j < r->ntreats; j++) {
		uint32_t cj = r->treats[j].when.categories;

		if (cj == 0)
			continue;
		for (i = 0; i < j; i++) {
			const struct plan_cond *w = &r->treats[i].when;

			if (w->categories != 0 && w->away_months_min == 0 &&
			    (cj & ~w->categories) == 0) {
				probs_add(c->pp, nodes[j]->line,
				          nodes[j]->column,
				          "此处理规则不会生效：前面的第 %d 条"
				          "（含 exempt）已包含这些党员类别",
				          i + 1);
				break;
			}
		}
	}
}

static void check_deadline(struct ck *c, const struct ynode *v,
                           const struct plan_req *r)
{
	const struct plan *p = c->p;
	char d1[DATE_STR_LEN], d2[DATE_STR_LEN];
	int b;

	for (b = 0; b < p->nbatches; b++) {
		const struct plan_batch *bt = &p->batches[b];
		int32_t len;

		if (!c->window_ok[b][r->stage])
			continue;
		len = bt->end[r->stage] - bt->start[r->stage];
		if (r->deadline_days <= len)
			continue;
		date_format(bt->start[r->stage], d1);
		date_format(bt->end[r->stage], d2);
		PROB(c, v,
		     "deadline_days 为 %d 天，超出了%s“%s”阶段的时间（%s 至 "
		     "%s，开始后最多 %d 天）",
		     r->deadline_days, bt->name, p->stages[r->stage].name, d1,
		     d2, (int)len);
		return;
	}
}

static void check_req(struct ck *c, const struct ynode *n)
{
	static const struct ckey keys[] = {
		{ "id", 1 },        { "name", 1 },
		{ "stage", 1 },     { "scope", 1 },
		{ "kind", 1 },      { "source", 1 },
		{ "metric", 1 },    { "compare", 0 },
		{ "threshold", 1 }, { "unit", 0 },
		{ "exempt", 0 },    { "treat", 0 },
		{ "share", 0 },     { "gate", 0 },
		{ "weight", 0 },    { "deadline_days", 0 },
		{ NULL, 0 },
	};
	enum {
		K_ID,
		K_NAME,
		K_STAGE,
		K_SCOPE,
		K_KIND,
		K_SOURCE,
		K_METRIC,
		K_COMPARE,
		K_THRESHOLD,
		K_UNIT,
		K_EXEMPT,
		K_TREAT,
		K_SHARE,
		K_GATE,
		K_WEIGHT,
		K_DEADLINE,
		K__MAX
	};
	struct plan *p = c->p;
	struct plan_req *r = &p->reqs[p->nreqs];
	const struct ynode *v[K__MAX];
	const struct ynode *treat_nodes[PLAN_TREATS_MAX];
	struct reqctx rq = { r, 0, 0 };
	int add = 1, scope = -1, kind = 0, cmp = CMP_GE, stage_ok = 0, i;
	char q[128];

	if (!ck_map(c, n, "要求", keys, v))
		return;
	memset(r, 0, sizeof(*r));
	r->line = n->line;
	r->column = n->column;
	r->stage = -1;
	if (ck_id(c, v[K_ID], "id", r->id) <= 0)
		add = 0;
	for (i = 0; add && i < p->nreqs; i++)
		if (strcmp(p->reqs[i].id, r->id) == 0) {
			PROB(c, v[K_ID],
			     "要求 id \"%s\" 重复（第 %d 行已定义）", r->id,
			     p->reqs[i].line);
			add = 0;
		}
	ck_text(c, v[K_NAME], "name", r->name, sizeof(r->name), 0);
	ck_text(c, v[K_SOURCE], "source", r->source, sizeof(r->source), 1);
	ck_text(c, v[K_UNIT], "unit", r->unit, sizeof(r->unit), 0);
	if (v[K_STAGE] != NULL && ref_text(c, v[K_STAGE], "stage")) {
		r->stage = plan_stage_find(p, v[K_STAGE]->text);
		if (r->stage < 0)
			PROB(c, v[K_STAGE], "未知的阶段 \"%s\"",
			     shorten(v[K_STAGE]->text, q, 60));
		else
			stage_ok = !c->stage_bad[r->stage];
	}
	if (ck_choice(c, v[K_SCOPE], "scope", scopes, PSCOPE__MAX, &scope) <= 0)
		scope = -1;
	else
		r->scope = (enum plan_scope)scope;
	if (ck_choice(c, v[K_KIND], "kind", req_kinds, 2, &kind) > 0)
		r->kind = (enum plan_req_kind)kind;
	if (v[K_METRIC] != NULL)
		rq.metric_ok = check_metric(c, v[K_METRIC], scope, &r->metric);
	if (ck_choice(c, v[K_COMPARE], "compare", cmps, 5, &cmp) < 0)
		rq.metric_ok = 0;
	r->cmp = (enum plan_cmp)cmp;
	if (v[K_THRESHOLD] != NULL && rq.metric_ok)
		rq.threshold_ok = check_threshold(c, v[K_THRESHOLD], &r->metric,
		                                  r->cmp, &r->threshold);

	/* treatments, members only */
	if ((v[K_EXEMPT] != NULL || v[K_TREAT] != NULL) && scope >= 0 &&
	    scope != PSCOPE_MEMBER) {
		PROB(c, v[K_EXEMPT] != NULL ? v[K_EXEMPT] : v[K_TREAT],
		     "处理规则（exempt、treat）只能用于党员（member）范围的要"
		     "求");
	} else {
		if (v[K_EXEMPT] != NULL && !ynode_is_null(v[K_EXEMPT])) {
			check_exempt(c, v[K_EXEMPT], r);
			treat_nodes[0] = v[K_EXEMPT];
		}
		if (ck_seq(c, v[K_TREAT], "treat") > 0) {
			for (i = 0; i < v[K_TREAT]->nkids; i++) {
				const struct ynode *t = v[K_TREAT]->kids[i];

				if (r->ntreats == PLAN_TREATS_MAX) {
					PROB(c, t,
					     "处理规则过多（含 exempt，最多 %d "
					     "条）",
					     PLAN_TREATS_MAX);
					break;
				}
				treat_nodes[r->ntreats] = t;
				check_treat(c, t, &rq);
			}
		}
		check_reachable(c, r, treat_nodes);
	}

	r->share.num = 1;
	r->share.den = 1;
	if (v[K_SHARE] != NULL) {
		const struct ynode *s = v[K_SHARE];
		enum amount_form form;
		enum amount_err e;

		if (s->type != YN_SCALAR || ynode_is_null(s)) {
			PROB(c, s, "\"share\" 应为份额（如 1、2/3、90%%）");
		} else if ((e = amount_parse(s->text, &r->share, &form)) !=
		           AMOUNT_OK) {
			amount_problem(c, s, "share", e);
		} else if (r->share.num == 0 || r->share.num > r->share.den) {
			PROB(
			    c, s,
			    "\"share\" 应大于 0 且不超过 1（如 1、2/3、90%%），"
			    "而不是 %s",
			    shorten(s->text, q, 60));
		}
	}
	ck_bool(c, v[K_GATE], "gate", &r->gate);
	ck_int(c, v[K_WEIGHT], "weight", 0, 100, &r->weight);
	if (ck_int(c, v[K_DEADLINE], "deadline_days", 0, 100000,
	           &r->deadline_days) > 0 &&
	    stage_ok)
		check_deadline(c, v[K_DEADLINE], r);
	if (add)
		p->nreqs++;
}

void ck_requirements(struct ck *c, const struct ynode *seq)
{
	int i, r = ck_seq(c, seq, "requirements");

	if (r < 0)
		return;
	if (r == 0 || seq->nkids == 0) {
		if (seq != NULL)
			PROB(c, seq, "\"requirements\" 不能为空");
		return;
	}
	for (i = 0; i < seq->nkids; i++) {
		if (c->p->nreqs == PLAN_REQS_MAX) {
			PROB(c, seq->kids[i], "要求过多（最多 %d 项）",
			     PLAN_REQS_MAX);
			break;
		}
		check_req(c, seq->kids[i]);
	}
}
