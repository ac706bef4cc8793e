#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "planfx.h"
#include "xianjiao/alloc.h"
#include "xianjiao/date.h"

static void planfx_die(const char *what, const char *id)
{
	fprintf(stderr, "planfx: %s: %s\n", what, id);
	abort();
}

static void copy(char *dst, size_t size, const char *src)
{
	if (strlen(src) >= size)
		planfx_die("too long", src);
	memcpy(dst, src, strlen(src) + 1);
}

int planfx_kind(struct plan *p, const char *id, const char *name,
                enum plan_subject subject)
{
	struct plan_kind *k;

	if (p->nkinds >= PLAN_KINDS_MAX)
		planfx_die("too many kinds", id);
	k = &p->kinds[p->nkinds];
	memset(k, 0, sizeof(*k));
	copy(k->id, sizeof(k->id), id);
	copy(k->name, sizeof(k->name), name);
	k->subject = subject;
	return p->nkinds++;
}

int planfx_field(struct plan *p, const char *name, enum plan_field_type type,
                 int required, ...)
{
	struct plan_kind *k;
	struct plan_field *f;
	const char *v;
	va_list ap;

	if (p->nkinds == 0)
		planfx_die("field before any kind", name);
	k = &p->kinds[p->nkinds - 1];
	if (k->nfields >= PLAN_FIELDS_MAX)
		planfx_die("too many fields", name);
	f = &k->fields[k->nfields];
	memset(f, 0, sizeof(*f));
	copy(f->name, sizeof(f->name), name);
	f->type = type;
	f->required = required;
	va_start(ap, required);
	if (type == FIELD_ENUM || type == FIELD_STATE) {
		while ((v = va_arg(ap, const char *)) != NULL) {
			if (f->nvalues >= PLAN_STATES_MAX)
				planfx_die("too many values", name);
			copy(f->values[f->nvalues], PLAN_NAME_MAX, v);
			f->nvalues++;
		}
	}
	va_end(ap);
	return k->nfields++;
}

/* The reference plan's kinds, in its order (/tmp/kinds.md). */
static void reference_kinds(struct plan *p)
{
	planfx_kind(p, "study_attendance", "集中学习出勤", SUBJECT_MEMBER);
	planfx_field(p, "hours", FIELD_NUMBER, 1);
	planfx_field(p, "session", FIELD_TEXT, 0);
	planfx_field(p, "makeup", FIELD_ENUM, 0, "否", "是", NULL);
	planfx_kind(p, "self_study", "自学", SUBJECT_MEMBER);
	planfx_field(p, "hours", FIELD_NUMBER, 1);
	planfx_kind(p, "study_notes", "学习笔记", SUBJECT_MEMBER);
	planfx_field(p, "zishu", FIELD_ZISHU, 1);
	planfx_field(p, "paper", FIELD_ENUM, 0, "否", "是", NULL);
	planfx_kind(p, "reflection", "心得体会", SUBJECT_MEMBER);
	planfx_field(p, "zishu", FIELD_ZISHU, 1);
	planfx_field(p, "title", FIELD_TEXT, 0);
	planfx_field(p, "paper", FIELD_ENUM, 0, "否", "是", NULL);
	planfx_kind(p, "mailed_materials", "寄送学习资料", SUBJECT_MEMBER);
	planfx_field(p, "note", FIELD_TEXT, 0);
	planfx_kind(p, "contact_attempt", "联系失联党员", SUBJECT_MEMBER);
	planfx_field(p, "method", FIELD_ENUM, 1, "家访", "信函", "电话", NULL);
	planfx_kind(p, "badge_check", "佩戴党徽检查", SUBJECT_MEMBER);
	planfx_field(p, "compliant", FIELD_ENUM, 1, "是", "否", NULL);
	planfx_kind(p, "service_card", "结对帮扶登记卡", SUBJECT_MEMBER);
	planfx_field(p, "item", FIELD_ENUM, 1, "读一本书", "结对帮扶困难户",
	             "撰写情况反映", NULL);
	planfx_kind(p, "talk", "谈心", SUBJECT_MEMBER);
	planfx_field(p, "counterpart", FIELD_MEMBER, 1);
	planfx_kind(p, "analysis_material", "党性分析材料", SUBJECT_MEMBER);
	planfx_field(p, "state", FIELD_STATE, 1, "草稿", "已提交", "审阅中",
	             "退回修改", "已审核", "已公示", "已修改完善", NULL);
	planfx_kind(p, "evaluation", "民主评议意见", SUBJECT_MEMBER);
	planfx_field(p, "opinion", FIELD_ENUM, 1, "履行党员义务、符合党员条件",
	             "需要教育帮助", NULL);
	planfx_kind(p, "rectification_plan", "个人整改计划", SUBJECT_MEMBER);
	planfx_kind(p, "mobilisation", "动员大会", SUBJECT_ORG);
	planfx_field(p, "note", FIELD_TEXT, 0);
	planfx_kind(p, "lecture", "两课两会", SUBJECT_ORG);
	planfx_field(p, "type", FIELD_ENUM, 1, "党课", "辅导课",
	             "先进事迹报告会", "形势报告会", NULL);
	planfx_field(p, "speaker", FIELD_MEMBER, 0);
	planfx_field(p, "title", FIELD_TEXT, 0);
	planfx_kind(p, "discussion", "专题大讨论", SUBJECT_ORG);
	planfx_field(p, "topic", FIELD_TEXT, 0);
	planfx_field(p, "expected", FIELD_NUMBER, 1);
	planfx_field(p, "participants", FIELD_NUMBER, 1);
	planfx_field(p, "speakers", FIELD_NUMBER, 1);
	planfx_kind(p, "study_column", "学习专栏", SUBJECT_ORG);
	planfx_field(p, "title", FIELD_TEXT, 0);
	planfx_kind(p, "notes_exhibition", "学习笔记展评", SUBJECT_ORG);
	planfx_field(p, "note", FIELD_TEXT, 0);
	planfx_kind(p, "study_exchange", "学习交流", SUBJECT_ORG);
	planfx_field(p, "note", FIELD_TEXT, 0);
	planfx_kind(p, "opinion_event", "征求意见", SUBJECT_ORG);
	planfx_field(p, "channel", FIELD_ENUM, 1, "座谈会", "征求意见函",
	             "征求意见表", "意见箱", "热线电话", "电子邮箱", "个别交谈",
	             "网络", NULL);
	planfx_field(p, "quantity", FIELD_NUMBER, 0);
	planfx_kind(p, "special_meeting", "专题民主生活会/组织生活会",
	            SUBJECT_ORG);
	planfx_field(p, "type", FIELD_ENUM, 1, "专题民主生活会",
	             "专题组织生活会", NULL);
	planfx_kind(p, "satisfaction_ballot", "满意度测评", SUBJECT_ORG);
	planfx_field(p, "meeting", FIELD_ENUM, 1, "专题民主生活会",
	             "专题组织生活会", "整改", NULL);
	planfx_field(p, "satisfied", FIELD_NUMBER, 1);
	planfx_field(p, "total", FIELD_NUMBER, 1);
	planfx_kind(p, "rectification_scheme", "整改方案", SUBJECT_ORG);
	planfx_field(p, "note", FIELD_TEXT, 0);
	planfx_kind(p, "rectification_item", "整改事项", SUBJECT_ORG);
	planfx_field(p, "state", FIELD_STATE, 1, "已列入", "整改中", "已完成",
	             NULL);
	planfx_field(p, "category", FIELD_ENUM, 0, "立即整改", "限期整改",
	             "说明情况、逐步解决", NULL);
}

struct plan *planfx_new(void)
{
	struct plan *p = xcalloc(1, sizeof(*p));

	copy(p->name, sizeof(p->name), "测试方案");
	copy(p->stages[0].id, PLAN_ID_MAX, "learn");
	copy(p->stages[0].name, PLAN_NAME_MAX, "学习动员");
	p->nstages = 1;
	p->batches[0].ordinal = 1;
	copy(p->batches[0].name, PLAN_NAME_MAX, "第一批");
	p->batches[0].start[0] = date_from_ymd(2005, 1, 10);
	p->batches[0].end[0] = date_from_ymd(2005, 3, 10);
	p->nbatches = 1;
	reference_kinds(p);
	return p;
}

int planfx_kind_index(const struct plan *p, const char *id)
{
	int i;

	for (i = 0; i < p->nkinds; i++)
		if (strcmp(p->kinds[i].id, id) == 0)
			return i;
	planfx_die("no such kind", id);
	return -1;
}

int planfx_field_index(const struct plan *p, int kind, const char *name)
{
	const struct plan_kind *k = &p->kinds[kind];
	int i;

	for (i = 0; i < k->nfields; i++)
		if (strcmp(k->fields[i].name, name) == 0)
			return i;
	planfx_die("no such field", name);
	return -1;
}

int planfx_value_index(const struct plan *p, int kind, int field,
                       const char *value)
{
	const struct plan_field *f = &p->kinds[kind].fields[field];
	int i;

	for (i = 0; i < f->nvalues; i++)
		if (strcmp(f->values[i], value) == 0)
			return i;
	planfx_die("no such value", value);
	return -1;
}

static void set_metric(const struct plan *p, struct plan_metric *m,
                       enum plan_metric_type type, const char *kind,
                       const char *field)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->kind = planfx_kind_index(p, kind);
	m->field = field != NULL ? planfx_field_index(p, m->kind, field) : -1;
	m->field2 = -1;
}

struct plan_req *planfx_req(struct plan *p, const char *id,
                            enum plan_scope scope, enum plan_metric_type type,
                            const char *kind, const char *field,
                            enum plan_cmp cmp, int64_t num, int64_t den)
{
	struct plan_req *r;

	if (p->nreqs >= PLAN_REQS_MAX)
		planfx_die("too many requirements", id);
	r = &p->reqs[p->nreqs++];
	memset(r, 0, sizeof(*r));
	copy(r->id, sizeof(r->id), id);
	copy(r->name, sizeof(r->name), id);
	r->stage = 0;
	r->scope = scope;
	r->kind = REQ_REQUIRED;
	set_metric(p, &r->metric, type, kind, field);
	r->cmp = cmp;
	r->threshold.num = num;
	r->threshold.den = den;
	r->share.num = 1;
	r->share.den = 1;
	return r;
}

void planfx_field2(const struct plan *p, struct plan_metric *m,
                   const char *field)
{
	m->field2 = planfx_field_index(p, m->kind, field);
}

void planfx_where(const struct plan *p, struct plan_metric *m,
                  const char *field, const char *value)
{
	struct plan_where *w;

	if (m->nwhere >= PLAN_WHERE_MAX)
		planfx_die("too many filters", field);
	w = &m->where[m->nwhere++];
	w->field = planfx_field_index(p, m->kind, field);
	copy(w->value, sizeof(w->value), value);
}

struct plan_treat *planfx_treat(struct plan_req *r, uint32_t categories,
                                int away_months_min, int exempt,
                                enum plan_cmp cmp, int64_t num, int64_t den)
{
	struct plan_treat *t;

	if (r->ntreats >= PLAN_TREATS_MAX)
		planfx_die("too many treatments", r->id);
	t = &r->treats[r->ntreats++];
	memset(t, 0, sizeof(*t));
	t->when.categories = categories;
	t->when.away_months_min = away_months_min;
	t->exempt = exempt;
	t->cmp = cmp;
	t->threshold.num = num;
	t->threshold.den = den;
	return t;
}

void planfx_treat_metric(const struct plan *p, struct plan_treat *t,
                         enum plan_metric_type type, const char *kind,
                         const char *field)
{
	t->has_metric = 1;
	set_metric(p, &t->metric, type, kind, field);
}
