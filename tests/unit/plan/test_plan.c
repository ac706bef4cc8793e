/*
 * test_plan.c - plan files (src/plan): the reference plan, amounts and
 * exact comparison, limits, and every malformed fixture in
 * tests/fixtures/plans/bad-*.yaml, each with the problems its first lines
 * announce ("# expect: LINE:COLUMN fragment of the reason", one line per
 * problem, in file order; the fixture must report exactly those).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include "../../lib/check.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/plan.h"
#include "xianjiao/strbuf.h"

#define REFERENCE "plans/2005-xianjiao.yaml"
#define FIXTURES "tests/fixtures/plans"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb;
	char buf[8192];
	size_t n;

	if (f == NULL)
		fail_msg("cannot open %s (tests run from the repository root)",
		         path);
	strbuf_init(&sb, 16 << 20);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		assert_int_equal(strbuf_add(&sb, buf, n), XJ_OK);
	fclose(f);
	return strbuf_detach(&sb, len);
}

/* Replace the first occurrence of old in s (which must contain it). */
static char *subst(const char *s, const char *old, const char *new)
{
	const char *at = strstr(s, old);
	struct strbuf sb;

	if (at == NULL)
		fail_msg("\"%s\" not found", old);
	strbuf_init(&sb, 16 << 20);
	assert_int_equal(strbuf_add(&sb, s, (size_t)(at - s)), XJ_OK);
	assert_int_equal(strbuf_adds(&sb, new), XJ_OK);
	assert_int_equal(strbuf_adds(&sb, at + strlen(old)), XJ_OK);
	return strbuf_detach(&sb, NULL);
}

static struct plan *parse_ok(const char *text, const char *name)
{
	struct plan_problems pp;
	struct xj_error err;
	struct plan *p;

	xj_error_clear(&err);
	if (plan_parse(text, strlen(text), name, &p, &pp, &err) != XJ_OK)
		fail_msg("%s: %s", name, err.msg);
	assert_int_equal(pp.n, 0);
	assert_non_null(p);
	return p;
}

/* Parse text that must fail with one problem containing want. */
static void parse_bad(const char *text, int line, int column, const char *want)
{
	struct plan_problems pp;
	struct xj_error err;
	struct plan *p = (struct plan *)&pp; /* must be reset to NULL */

	assert_int_equal(
	    plan_parse(text, strlen(text), "t.yaml", &p, &pp, &err), XJ_EINVAL);
	assert_null(p);
	if (pp.n != 1)
		fail_msg("%d problems, first: %d:%d %s", pp.n, pp.p[0].line,
		         pp.p[0].column, pp.p[0].msg);
	assert_contains(pp.p[0].msg, want);
	if (line >= 0) {
		assert_int_equal(pp.p[0].line, line);
		assert_int_equal(pp.p[0].column, column);
	}
}

static int req_find(const struct plan *p, const char *id)
{
	int i;

	for (i = 0; i < p->nreqs; i++)
		if (strcmp(p->reqs[i].id, id) == 0)
			return i;
	fail_msg("no requirement %s", id);
	return -1;
}

static void assert_ratio(struct plan_ratio r, int64_t num, int64_t den)
{
	if (r.num != num || r.den != den)
		fail_msg("%lld/%lld, expected %lld/%lld", (long long)r.num,
		         (long long)r.den, (long long)num, (long long)den);
}

/* --- the reference plan ---------------------------------------------- */

static void test_reference_structure(void **state)
{
	struct plan_problems pp;
	struct xj_error err;
	struct plan *p;
	int learn, review, rectify, b;

	(void)state;
	if (plan_load(REFERENCE, &p, &pp, &err) != XJ_OK)
		fail_msg("%s", err.msg);
	assert_string_equal(p->name, "保持共产党员先进性教育活动");
	assert_int_equal(p->nstages, 3);
	learn = plan_stage_find(p, "learn");
	review = plan_stage_find(p, "review");
	rectify = plan_stage_find(p, "rectify");
	assert_true(learn >= 0 && review >= 0 && rectify >= 0);
	assert_string_equal(p->stages[learn].name, "学习动员");
	assert_string_equal(p->stages[review].name, "分析评议");
	assert_string_equal(p->stages[rectify].name, "整改提高");
	assert_int_equal(p->stages[learn].order, 0);
	assert_int_equal(p->stages[review].order, 1);
	assert_int_equal(p->stages[rectify].order, 2);
	assert_int_equal(p->stages[learn].nafter, 0);
	assert_int_equal(p->stages[review].nafter, 1);
	assert_int_equal(p->stages[review].after[0], learn);
	assert_int_equal(p->stages[rectify].after[0], review);
	assert_int_equal(plan_stage_find(p, "consolidate"), -1);
	/* 回头看: 004's four questions, 001's five aspects, none given for
	 * 整改提高 (DOMAIN.md §5.1, §4B) */
	assert_int_equal(p->stages[learn].nlookback, 4);
	assert_string_equal(p->stages[learn].lookback[0].id, "awareness");
	assert_string_equal(p->stages[learn].lookback[3].id,
	                    "fix_as_you_learn");
	assert_contains(p->stages[learn].lookback[3].text,
	                "具备整改条件的问题是否整改了");
	assert_contains(p->stages[learn].lookback[3].source,
	                "004_22bbcba63c88aa97.txt「");
	assert_int_equal(p->stages[review].nlookback, 5);
	assert_string_equal(p->stages[review].lookback[0].id, "opinions");
	assert_contains(p->stages[review].lookback[4].source,
	                "001_e79b4a58c8d006b2.txt「看边议边改坚持得怎么样");
	assert_int_equal(p->stages[rectify].nlookback, 0);

	b = plan_batch_find(p, 1);
	assert_true(b >= 0);
	assert_string_equal(p->batches[b].name, "第一批");
	assert_int_equal(p->batches[b].start[learn],
	                 date_from_ymd(2005, 1, 10));
	assert_int_equal(p->batches[b].end[learn], date_from_ymd(2005, 3, 10));
	assert_int_equal(p->batches[b].start[review],
	                 date_from_ymd(2005, 3, 11));
	assert_int_equal(p->batches[b].end[review], date_from_ymd(2005, 4, 25));
	assert_int_equal(p->batches[b].start[rectify],
	                 date_from_ymd(2005, 4, 26));
	assert_int_equal(p->batches[b].end[rectify],
	                 date_from_ymd(2005, 6, 10));
	assert_int_equal(plan_batch_find(p, 3), -1);
	plan_free(p);
}

static void test_reference_requirements(void **state)
{
	struct plan_problems pp;
	struct xj_error err;
	const struct plan_req *r;
	const struct plan_treat *t;
	struct plan *p;
	int i, k;

	(void)state;
	if (plan_load(REFERENCE, &p, &pp, &err) != XJ_OK)
		fail_msg("%s", err.msg);

	/* 40 hours, 年老体弱 exempt (first), 流动党员 away 6 months by
	 * mailed materials */
	r = &p->reqs[req_find(p, "learn_hours")];
	assert_int_equal(r->stage, plan_stage_find(p, "learn"));
	assert_int_equal(r->scope, PSCOPE_MEMBER);
	assert_int_equal(r->kind, REQ_REQUIRED);
	assert_int_equal(r->metric.type, METRIC_SUM);
	k = plan_kind_find(p, "study_attendance");
	assert_int_equal(r->metric.kind, k);
	assert_int_equal(r->metric.field,
	                 plan_field_find(&p->kinds[k], "hours"));
	assert_int_equal(r->metric.field2, -1);
	assert_int_equal(r->cmp, CMP_GE);
	assert_ratio(r->threshold, 40, 1);
	assert_ratio(r->share, 1, 1);
	assert_string_equal(r->unit, "小时");
	assert_true(r->gate);
	assert_contains(r->source, "切实组织好5天40个小时的封闭式学习");
	assert_int_equal(r->ntreats, 3);
	assert_true(r->treats[0].exempt);
	assert_int_equal(r->treats[0].when.categories, MCAT_BIT(MCAT_FRAIL));
	assert_contains(r->treats[0].note, "年老体弱");
	for (i = 1; i < r->ntreats; i++)
		if (r->treats[i].when.categories == MCAT_BIT(MCAT_MOBILE))
			break;
	assert_true(i < r->ntreats);
	t = &r->treats[i];
	assert_false(t->exempt);
	assert_int_equal(t->when.away_months_min, 6);
	assert_true(t->has_metric);
	assert_int_equal(t->metric.type, METRIC_COUNT);
	assert_int_equal(t->metric.kind, plan_kind_find(p, "mailed_materials"));
	assert_int_equal(t->metric.field, -1);
	assert_int_equal(t->cmp, CMP_GE);
	assert_ratio(t->threshold, 1, 1);

	/* talk coverage 2/3; 党员领导干部 held to every member, same metric */
	r = &p->reqs[req_find(p, "review_talks")];
	assert_int_equal(r->metric.type, METRIC_DISTINCT_SHARE);
	assert_ratio(r->threshold, 2, 3);
	assert_false(r->gate); /* a warning, DOMAIN.md §17 A4 */
	assert_int_equal(r->ntreats, 1);
	t = &r->treats[0];
	assert_int_equal(t->when.categories, MCAT_BIT(MCAT_LEADER));
	assert_false(t->has_metric);
	assert_int_equal(t->metric.type, METRIC_DISTINCT_SHARE);
	assert_int_equal(t->metric.kind, r->metric.kind);
	assert_int_equal(t->cmp, CMP_GE);
	assert_ratio(t->threshold, 1, 1);

	/* analysis material reaches 已审核: a state position */
	r = &p->reqs[req_find(p, "review_analysis")];
	k = r->metric.kind;
	assert_int_equal(r->metric.type, METRIC_STATE);
	assert_string_equal(
	    p->kinds[k].fields[r->metric.field].values[r->threshold.num],
	    "已审核");
	assert_int_equal(r->threshold.den, 1);

	/* satisfaction 70% of the 专题民主生活会; the filter holds */
	r = &p->reqs[req_find(p, "review_team_satisfaction")];
	assert_int_equal(r->metric.type, METRIC_RATIO);
	assert_int_equal(r->scope, PSCOPE_UNIT);
	assert_ratio(r->threshold, 7, 10);
	assert_int_equal(r->metric.nwhere, 1);
	assert_string_equal(r->metric.where[0].value, "专题民主生活会");
	assert_int_equal(r->ntreats, 0);

	/* rectification satisfaction: a majority, strictly */
	r = &p->reqs[req_find(p, "rectify_satisfaction")];
	assert_int_equal(r->cmp, CMP_GT);
	assert_ratio(r->threshold, 1, 2);

	/* discussion rates per branch: 100% */
	r = &p->reqs[req_find(p, "learn_discussion_speaking")];
	assert_int_equal(r->scope, PSCOPE_BRANCH);
	assert_ratio(r->threshold, 1, 1);

	/* optional actions never gate and never weigh */
	for (i = 0; i < p->nreqs; i++) {
		r = &p->reqs[i];
		if (r->kind == REQ_OPTIONAL) {
			assert_false(r->gate);
			assert_int_equal(r->weight, 0);
		}
		assert_true(r->source[0] != '\0');
		assert_true(r->stage >= 0 && r->stage < p->nstages);
	}
	r = &p->reqs[req_find(p, "learn_study_column")];
	assert_int_equal(r->kind, REQ_OPTIONAL);
	plan_free(p);
}

/* The record kinds other code depends on, exactly as agreed. */
struct kfield {
	const char *name;
	enum plan_field_type type;
	int required;
	const char *values; /* "a,b,c" for enum and state */
};

struct kspec {
	const char *id;
	const char *name;
	enum plan_subject subject;
	struct kfield f[5];
};

static const struct kspec kinds[] = {
	{ "study_attendance",
	  "集中学习出勤",
	  SUBJECT_MEMBER,
	  { { "hours", FIELD_NUMBER, 1, NULL },
	    { "session", FIELD_TEXT, 0, NULL },
	    { "makeup", FIELD_ENUM, 0, "否,是" },
	    { "start", FIELD_TEXT, 0, NULL } } },
	{ "study_absence",
	  "集中学习缺勤",
	  SUBJECT_MEMBER,
	  { { "hours", FIELD_NUMBER, 1, NULL },
	    { "session", FIELD_TEXT, 0, NULL },
	    { "reason", FIELD_ENUM, 1, "请假,病假,外出,无故缺勤" } } },
	{ "self_study",
	  "自学",
	  SUBJECT_MEMBER,
	  { { "hours", FIELD_NUMBER, 1, NULL } } },
	{ "study_notes",
	  "学习笔记",
	  SUBJECT_MEMBER,
	  { { "zishu", FIELD_ZISHU, 1, NULL },
	    { "paper", FIELD_ENUM, 0, "否,是" } } },
	{ "reflection",
	  "心得体会",
	  SUBJECT_MEMBER,
	  { { "zishu", FIELD_ZISHU, 1, NULL },
	    { "title", FIELD_TEXT, 0, NULL },
	    { "paper", FIELD_ENUM, 0, "否,是" } } },
	{ "mailed_materials",
	  "寄送学习资料",
	  SUBJECT_MEMBER,
	  { { "note", FIELD_TEXT, 0, NULL } } },
	{ "contact_attempt",
	  "联系失联党员",
	  SUBJECT_MEMBER,
	  { { "method", FIELD_ENUM, 1, "家访,信函,电话" } } },
	{ "badge_check",
	  "佩戴党徽检查",
	  SUBJECT_MEMBER,
	  { { "compliant", FIELD_ENUM, 1, "是,否" } } },
	{ "service_card",
	  "结对帮扶登记卡",
	  SUBJECT_MEMBER,
	  { { "item", FIELD_ENUM, 1, "读一本书,结对帮扶困难户,撰写情况反映" },
	    { "note", FIELD_TEXT, 0, NULL } } },
	{ "grassroots_service",
	  "下基层服务",
	  SUBJECT_MEMBER,
	  { { "place", FIELD_TEXT, 1, NULL },
	    { "days", FIELD_NUMBER, 0, NULL },
	    { "round", FIELD_TEXT, 0, NULL },
	    { "note", FIELD_TEXT, 0, NULL } } },
	{ "study_session",
	  "集中学习",
	  SUBJECT_ORG,
	  { { "hours", FIELD_NUMBER, 1, NULL },
	    { "start", FIELD_TEXT, 1, NULL },
	    { "title", FIELD_TEXT, 0, NULL },
	    { "makeup", FIELD_ENUM, 0, "否,是" },
	    { "materials", FIELD_ENUM, 0,
	      "党章,保持共产党员先进性教育读本,胡锦涛同志在专题报告会上的讲话,"
	      "江泽民谈加强和改进执政党建设（专题摘编）" } } },
	{ "talk",
	  "谈心",
	  SUBJECT_MEMBER,
	  { { "counterpart", FIELD_MEMBER, 1, NULL } } },
	{ "analysis_material",
	  "党性分析材料",
	  SUBJECT_MEMBER,
	  { { "state", FIELD_STATE, 1,
	      "草稿,已提交,审阅中,退回修改,已审核,已公示,已修改完善" } } },
	{ "evaluation",
	  "民主评议意见",
	  SUBJECT_MEMBER,
	  { { "opinion", FIELD_ENUM, 1,
	      "履行党员义务、符合党员条件,需要教育帮助" } } },
	{ "rectification_plan", "个人整改计划", SUBJECT_MEMBER, { { NULL } } },
	{ "mobilisation",
	  "动员大会",
	  SUBJECT_ORG,
	  { { "note", FIELD_TEXT, 0, NULL } } },
	{ "lecture",
	  "两课两会",
	  SUBJECT_ORG,
	  { { "type", FIELD_ENUM, 1, "党课,辅导课,先进事迹报告会,形势报告会" },
	    { "speaker", FIELD_MEMBER, 0, NULL },
	    { "title", FIELD_TEXT, 0, NULL } } },
	{ "discussion",
	  "专题大讨论",
	  SUBJECT_ORG,
	  { { "topic", FIELD_TEXT, 0, NULL },
	    { "expected", FIELD_NUMBER, 1, NULL },
	    { "participants", FIELD_NUMBER, 1, NULL },
	    { "speakers", FIELD_NUMBER, 1, NULL } } },
	{ "study_column",
	  "学习专栏",
	  SUBJECT_ORG,
	  { { "title", FIELD_TEXT, 0, NULL } } },
	{ "notes_exhibition",
	  "学习笔记展评",
	  SUBJECT_ORG,
	  { { "note", FIELD_TEXT, 0, NULL } } },
	{ "study_exchange",
	  "学习交流",
	  SUBJECT_ORG,
	  { { "note", FIELD_TEXT, 0, NULL } } },
	{ "opinion_event",
	  "征求意见",
	  SUBJECT_ORG,
	  { { "channel", FIELD_ENUM, 1,
	      "座谈会,征求意见函,征求意见表,意见箱,热线电话,电子邮箱,"
	      "个别交谈,网络" },
	    { "quantity", FIELD_NUMBER, 0, NULL } } },
	{ "special_meeting",
	  "专题民主生活会/组织生活会",
	  SUBJECT_ORG,
	  { { "type", FIELD_ENUM, 1, "专题民主生活会,专题组织生活会" } } },
	{ "satisfaction_ballot",
	  "满意度测评",
	  SUBJECT_ORG,
	  { { "meeting", FIELD_ENUM, 1, "专题民主生活会,专题组织生活会,整改" },
	    { "satisfied", FIELD_NUMBER, 1, NULL },
	    { "total", FIELD_NUMBER, 1, NULL } } },
	{ "rectification_scheme",
	  "整改方案",
	  SUBJECT_ORG,
	  { { "note", FIELD_TEXT, 0, NULL } } },
	{ "rectification_item",
	  "整改事项",
	  SUBJECT_ORG,
	  { { "state", FIELD_STATE, 1, "已列入,整改中,已完成" },
	    { "category", FIELD_ENUM, 0,
	      "立即整改,限期整改,说明情况、逐步解决" } } },
};

static void assert_values(const struct plan_field *f, const char *list)
{
	char buf[1024];
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < f->nvalues; i++)
		used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%s",
		                         i ? "," : "", f->values[i]);
	assert_string_equal(buf, list);
}

static void test_reference_kinds(void **state)
{
	struct plan_problems pp;
	struct xj_error err;
	struct plan *p;
	size_t i;
	int j, k, n;

	(void)state;
	if (plan_load(REFERENCE, &p, &pp, &err) != XJ_OK)
		fail_msg("%s", err.msg);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const struct kspec *s = &kinds[i];
		const struct plan_kind *pk;

		k = plan_kind_find(p, s->id);
		if (k < 0)
			fail_msg("no record kind %s", s->id);
		pk = &p->kinds[k];
		assert_string_equal(pk->name, s->name);
		assert_int_equal(pk->subject, s->subject);
		for (n = 0; n < 5 && s->f[n].name != NULL; n++)
			;
		if (pk->nfields != n)
			fail_msg("%s has %d fields, expected %d", s->id,
			         pk->nfields, n);
		for (j = 0; j < n; j++) {
			const struct plan_field *f = &pk->fields[j];

			assert_string_equal(f->name, s->f[j].name);
			if (f->type != s->f[j].type ||
			    f->required != s->f[j].required)
				fail_msg("%s.%s: type %d required %d", s->id,
				         f->name, f->type, f->required);
			if (s->f[j].values != NULL)
				assert_values(f, s->f[j].values);
			else
				assert_int_equal(f->nvalues, 0);
		}
	}
	assert_int_equal(plan_kind_find(p, "no_such_kind"), -1);
	assert_int_equal(plan_field_find(&p->kinds[0], "no_such_field"), -1);
	plan_free(p);
}

/* The optional modules (DOMAIN.md §17 A23) are in the reference plan as
 * lines starting "#| ": with the prefix removed they must parse. */
static void test_reference_optional_modules(void **state)
{
	size_t len;
	char *text = slurp(REFERENCE, &len), *on;
	struct plan *base, *p;
	const struct plan_req *r;
	size_t i, o = 0;

	(void)state;
	on = xmalloc(len + 1);
	for (i = 0; i < len; i++) {
		if ((i == 0 || text[i - 1] == '\n') &&
		    strncmp(text + i, "#| ", 3) == 0)
			i += 3;
		on[o++] = text[i];
	}
	on[o] = '\0';
	base = parse_ok(text, REFERENCE);
	p = parse_ok(on, "modules");
	assert_int_equal(p->nreqs, base->nreqs + 4);
	r = &p->reqs[req_find(p, "learn_badge")];
	assert_int_equal(r->kind, REQ_OPTIONAL);
	assert_int_equal(r->cmp, CMP_LT);
	assert_ratio(r->threshold, 3, 1);
	assert_int_equal(r->metric.nwhere, 1);
	assert_string_equal(r->metric.where[0].value, "否");
	req_find(p, "learn_read_book");
	plan_free(base);
	plan_free(p);
	free(on);
	free(text);
}

static void test_good_minimal(void **state)
{
	size_t len;
	char *text = slurp(FIXTURES "/good-minimal.yaml", &len);
	struct plan *p;

	(void)state;
	p = parse_ok(text, "good-minimal.yaml");
	assert_int_equal(p->nkinds, 3);
	assert_int_equal(p->nreqs, 3);
	assert_int_equal(p->reqs[0].ntreats, 1);
	assert_ratio(p->reqs[2].threshold, 7, 10);
	plan_free(p);
	free(text);
}

/* The man page's example is a plan that passes. */
static void test_man_page_example(void **state)
{
	size_t len, i, o = 0;
	char *page = slurp("docs/man/xianjiao-plan.5", &len), *text;
	const char *start, *end;
	struct plan *p;

	(void)state;
	start = strstr(page, ".SH EXAMPLE\n.nf\n.ft CR\n");
	assert_non_null(start);
	start += strlen(".SH EXAMPLE\n.nf\n.ft CR\n");
	end = strstr(start, ".ft\n.fi\n");
	assert_non_null(end);
	text = xmalloc((size_t)(end - start) + 1);
	for (i = 0; start + i < end; i++) {
		if (start[i] == '\\' && start[i + 1] == '-')
			i++; /* roff's \- is a plain - in the example */
		text[o++] = start[i];
	}
	text[o] = '\0';
	p = parse_ok(text, "xianjiao-plan.5 EXAMPLE");
	assert_int_equal(p->stages[0].nlookback, 1);
	assert_string_equal(p->stages[0].lookback[0].id, "fixed");
	assert_int_equal(p->nreqs, 1);
	assert_int_equal(p->reqs[0].ntreats, 2);
	assert_int_equal(p->reqs[0].treats[1].when.away_months_min, 6);
	plan_free(p);
	free(text);
	free(page);
}

/* --- malformed fixtures ---------------------------------------------- */

struct expect {
	int line, column;
	char frag[256];
};

/* Read the "# expect: L:C fragment" lines at the top of text. */
static int read_expects(const char *name, const char *text, struct expect *ex,
                        int max)
{
	const char *s = text;
	int n = 0;

	while (strncmp(s, "# expect: ", 10) == 0) {
		const char *eol = strchr(s, '\n'), *sp;
		char *end;

		assert_non_null(eol);
		assert_true(n < max);
		s += 10;
		ex[n].line = (int)strtol(s, &end, 10);
		if (*end != ':')
			fail_msg("%s: bad expect line", name);
		ex[n].column = (int)strtol(end + 1, &end, 10);
		if (*end != ' ')
			fail_msg("%s: bad expect line", name);
		sp = end + 1;
		assert_true((size_t)(eol - sp) < sizeof(ex[n].frag));
		memcpy(ex[n].frag, sp, (size_t)(eol - sp));
		ex[n].frag[eol - sp] = '\0';
		n++;
		s = eol + 1;
	}
	if (n == 0)
		fail_msg("%s: no \"# expect:\" line", name);
	return n;
}

static void check_fixture(const char *name)
{
	struct expect ex[8];
	struct plan_problems pp;
	struct xj_error err;
	struct plan *p = (struct plan *)&pp;
	char path[512];
	size_t len;
	char *text;
	int n, i;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, name);
	text = slurp(path, &len);
	n = read_expects(name, text, ex, 8);
	xj_error_clear(&err);
	if (plan_load(path, &p, &pp, &err) != XJ_EINVAL)
		fail_msg("%s: accepted", name);
	assert_null(p);
	if (pp.n != n) {
		for (i = 0; i < pp.n; i++)
			print_message("  %d:%d %s\n", pp.p[i].line,
			              pp.p[i].column, pp.p[i].msg);
		fail_msg("%s: %d problems, expected %d", name, pp.n, n);
	}
	for (i = 0; i < n; i++) {
		if (pp.p[i].line != ex[i].line ||
		    pp.p[i].column != ex[i].column ||
		    strstr(pp.p[i].msg, ex[i].frag) == NULL)
			fail_msg("%s: got %d:%d %s, expected %d:%d ...%s...",
			         name, pp.p[i].line, pp.p[i].column,
			         pp.p[i].msg, ex[i].line, ex[i].column,
			         ex[i].frag);
	}
	/* the error names the first one, with the file's name */
	assert_int_equal(err.code, XJ_EINVAL);
	assert_int_equal(err.line, ex[0].line);
	assert_int_equal(err.column, ex[0].column);
	assert_contains(err.msg, path);
	assert_contains(err.msg, ex[0].frag);
	free(text);
}

static void test_bad_fixtures(void **state)
{
	DIR *d = opendir(FIXTURES);
	struct dirent *e;
	int n = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (strncmp(e->d_name, "bad-", 4) != 0 || len < 5 ||
		    strcmp(e->d_name + len - 5, ".yaml") != 0)
			continue;
		check_fixture(e->d_name);
		n++;
	}
	closedir(d);
	/* one per check, and more: none may quietly disappear */
	if (n < 60)
		fail_msg("only %d bad-*.yaml fixtures", n);
}

/* --- amounts and comparison ------------------------------------------ */

static struct plan_ratio share_threshold(const char *text)
{
	size_t len;
	char *base = slurp(FIXTURES "/good-minimal.yaml", &len), *t;
	char line[64];
	struct plan *p;
	struct plan_ratio r;

	snprintf(line, sizeof(line), "    threshold: \"%s\"", text);
	t = subst(base, "    threshold: 2/3", line);
	p = parse_ok(t, text);
	r = p->reqs[1].threshold;
	plan_free(p);
	free(t);
	free(base);
	return r;
}

static struct plan_ratio hours_threshold(const char *text)
{
	size_t len;
	char *base = slurp(FIXTURES "/good-minimal.yaml", &len), *t;
	char line[64];
	struct plan *p;
	struct plan_ratio r;

	snprintf(line, sizeof(line), "    threshold: %s", text);
	t = subst(base, "    threshold: 40", line);
	p = parse_ok(t, text);
	r = p->reqs[0].threshold;
	plan_free(p);
	free(t);
	free(base);
	return r;
}

static void test_thresholds(void **state)
{
	(void)state;
	assert_ratio(hours_threshold("40"), 40, 1);
	assert_ratio(hours_threshold("2.5"), 5, 2);
	assert_ratio(hours_threshold("2.50"), 5, 2);
	assert_ratio(hours_threshold("0.01"), 1, 100);
	assert_ratio(hours_threshold("0"), 0, 1);
	assert_ratio(hours_threshold("10000000"), 10000000, 1);
	assert_ratio(share_threshold("2/3"), 2, 3);
	assert_ratio(share_threshold("4/6"), 2, 3);
	assert_ratio(share_threshold("70%"), 7, 10);
	assert_ratio(share_threshold("100%"), 1, 1);
	assert_ratio(share_threshold("66.67%"), 6667, 10000);
	assert_ratio(share_threshold("0.7"), 7, 10);
	assert_ratio(share_threshold("1"), 1, 1);
	assert_ratio(share_threshold("0/5"), 0, 1);
}

static void test_bad_thresholds(void **state)
{
	static const struct {
		const char *text;
		const char *want;
	} bad[] = {
		{ "abc", "不是有效的数值" },
		{ "2/0", "分母不能为 0" },
		{ "1/", "不是有效的数值" },
		{ "/3", "不是有效的数值" },
		{ "2 / 3", "不是有效的数值" },
		{ ".5", "不是有效的数值" },
		{ "5.", "不是有效的数值" },
		{ "1e3", "不是有效的数值" },
		{ "0x10", "不是有效的数值" },
		{ "+1", "不是有效的数值" },
		{ "-1/2", "不能为负数" },
		{ "1.005", "最多两位小数" },
		{ "66.667%", "最多两位小数" },
		{ "1234567890123/2", "数值过大" },
		{ "2/12345678901", "数值过大" },
		{ "101%", "应在 0 到 1 之间" },
		{ "1.01", "应在 0 到 1 之间" },
	};
	size_t i, len;
	char *base = slurp(FIXTURES "/good-minimal.yaml", &len), *t;
	char line[96];

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line), "    threshold: \"%s\"",
		         bad[i].text);
		t = subst(base, "    threshold: 2/3", line);
		parse_bad(t, 48, 16, bad[i].want);
		free(t);
	}
	/* a state name where a number is wanted, and a list */
	t = subst(base, "    threshold: 40", "    threshold: 已审核");
	parse_bad(t, 39, 16, "不是有效的数值");
	free(t);
	t = subst(base, "    threshold: 40", "    threshold: [40]");
	parse_bad(t, 39, 16, "应为数值或状态名");
	free(t);
	t = subst(base, "    threshold: 40", "    threshold:");
	parse_bad(t, 39, 15, "应为数值或状态名，而不是空值");
	free(t);
	/* share compares can never pass above 1 */
	t = subst(base, "    threshold: 2/3",
	          "    compare: \">\"\n    threshold: 1");
	parse_bad(t, 49, 16, "永远不成立");
	free(t);
	free(base);
}

static void test_compare(void **state)
{
	struct plan_ratio two_thirds = { 2, 3 }, v;
	const int64_t big = INT64_MAX / 2 + 1;

	(void)state;
	/* 6,667 of 10,000 is above 2/3, 6,666 below: no rounding */
	v.num = 6667;
	v.den = 10000;
	assert_true(plan_compare(v, CMP_GE, two_thirds));
	assert_true(plan_compare(v, CMP_GT, two_thirds));
	assert_false(plan_compare(v, CMP_LE, two_thirds));
	v.num = 6666;
	assert_false(plan_compare(v, CMP_GE, two_thirds));
	assert_true(plan_compare(v, CMP_LT, two_thirds));
	/* equal values in other terms */
	v.num = 4;
	v.den = 6;
	assert_true(plan_compare(v, CMP_EQ, two_thirds));
	assert_true(plan_compare(v, CMP_GE, two_thirds));
	assert_true(plan_compare(v, CMP_LE, two_thirds));
	assert_false(plan_compare(v, CMP_GT, two_thirds));
	assert_false(plan_compare(v, CMP_LT, two_thirds));
	/* centi-units against whole units: 39.99 hours < 40 */
	v.num = 3999;
	v.den = 100;
	assert_false(plan_compare(v, CMP_GE, (struct plan_ratio){ 40, 1 }));
	v.num = 4000;
	assert_true(plan_compare(v, CMP_GE, (struct plan_ratio){ 40, 1 }));
	assert_true(plan_compare(v, CMP_EQ, (struct plan_ratio){ 40, 1 }));
	/* products beyond 64 bits: (big-1)/big < big/(big+1) */
	assert_true(plan_compare((struct plan_ratio){ big - 1, big }, CMP_LT,
	                         (struct plan_ratio){ big, big + 1 }));
	v.num = INT64_MAX;
	v.den = INT64_MAX - 1;
	assert_true(plan_compare(
	    v, CMP_LT, (struct plan_ratio){ INT64_MAX - 1, INT64_MAX - 2 }));
	assert_false(plan_compare(
	    v, CMP_GE, (struct plan_ratio){ INT64_MAX - 1, INT64_MAX - 2 }));
	assert_true(plan_compare((struct plan_ratio){ INT64_MAX, 1 }, CMP_GT,
	                         (struct plan_ratio){ INT64_MAX - 1, 1 }));
	assert_true(plan_compare((struct plan_ratio){ 0, 1 }, CMP_GE,
	                         (struct plan_ratio){ 0, 7 }));
	/* a zero denominator is never true, whatever the comparison */
	assert_false(plan_compare((struct plan_ratio){ 1, 0 }, CMP_GE,
	                          (struct plan_ratio){ 0, 1 }));
	assert_false(plan_compare((struct plan_ratio){ 1, 0 }, CMP_LT,
	                          (struct plan_ratio){ 0, 1 }));
	/* a negative denominator keeps the sense of the comparison */
	assert_true(plan_compare((struct plan_ratio){ -1, -2 }, CMP_EQ,
	                         (struct plan_ratio){ 1, 2 }));
	assert_true(plan_compare((struct plan_ratio){ 1, -2 }, CMP_LT,
	                         (struct plan_ratio){ 0, 1 }));
	assert_false(plan_compare((struct plan_ratio){ 1, -2 }, CMP_GT,
	                          (struct plan_ratio){ 0, 1 }));
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(plan_cmp_text(CMP_GE), ">=");
	assert_string_equal(plan_cmp_text(CMP_GT), ">");
	assert_string_equal(plan_cmp_text(CMP_LE), "<=");
	assert_string_equal(plan_cmp_text(CMP_LT), "<");
	assert_string_equal(plan_cmp_text(CMP_EQ), "==");
	assert_string_equal(plan_cmp_text((enum plan_cmp)9), "?");
	assert_string_equal(plan_scope_name(PSCOPE_MEMBER), "党员");
	assert_string_equal(plan_scope_name(PSCOPE_BRANCH), "党支部");
	assert_string_equal(plan_scope_name(PSCOPE_UNIT), "单位");
	assert_string_equal(plan_scope_name(PSCOPE_SYSTEM), "系统");
	assert_string_equal(plan_scope_name(PSCOPE__MAX), "?");
	assert_string_equal(plan_metric_name(METRIC_COUNT), "count");
	assert_string_equal(plan_metric_name(METRIC_SUM), "sum");
	assert_string_equal(plan_metric_name(METRIC_MAX), "max");
	assert_string_equal(plan_metric_name(METRIC_DISTINCT_SHARE),
	                    "distinct_share");
	assert_string_equal(plan_metric_name(METRIC_STATE), "state");
	assert_string_equal(plan_metric_name(METRIC_RATIO), "ratio");
	assert_string_equal(plan_metric_name(METRIC__MAX), "?");
}

/* --- limits and the problem list ------------------------------------- */

static void test_problem_limit(void **state)
{
	size_t len;
	char *base = slurp(FIXTURES "/good-minimal.yaml", &len), *t;
	struct strbuf sb;
	struct plan_problems pp;
	struct xj_error err;
	struct plan *p;
	int i;

	(void)state;
	/* 70 requirements with a bad id each, appended at the end */
	strbuf_init(&sb, 1 << 20);
	for (i = 0; i < 70; i++)
		assert_int_equal(
		    strbuf_addf(&sb,
		                "  - {id: Bad%d, name: x, stage: learn, "
		                "scope: unit, kind: 规定动作, source: x, "
		                "metric: {type: count, record: ballot}, "
		                "threshold: 1}\n",
		                i),
		    XJ_OK);
	t = xmalloc(len + sb.len + 1);
	memcpy(t, base, len);
	memcpy(t + len, sb.buf, sb.len + 1);
	assert_int_equal(plan_parse(t, strlen(t), "many", &p, &pp, &err),
	                 XJ_EINVAL);
	assert_null(p);
	assert_int_equal(pp.n, PLAN_PROBLEMS_MAX);
	assert_true(pp.more);
	/* the first 64 in file order, one per line */
	for (i = 0; i < pp.n; i++) {
		assert_int_equal(pp.p[i].line, pp.p[0].line + i);
		assert_contains(pp.p[i].msg, "不是有效的标识");
	}
	free(t);
	strbuf_release(&sb);
	free(base);
}

static void test_problem_order(void **state)
{
	size_t len;
	char *base = slurp(FIXTURES "/good-minimal.yaml", &len), *t, *u;
	struct plan_problems pp;
	struct xj_error err;
	struct plan *p;
	int i;

	(void)state;
	/* a stage problem found before a kind problem (kinds are checked
	 * first but the requirement comes later in the file) is still
	 * listed in file order */
	t = subst(base, "    threshold: 70%", "    threshold: 170%");
	u = subst(
	    t, "    subject: member\n    fields:\n      - {name: counterpart",
	    "    subject: person\n    fields:\n      - {name: counterpart");
	free(t);
	t = subst(u, "after: [learn]}", "after: [nope]}");
	free(u);
	assert_int_equal(plan_parse(t, strlen(t), "order", &p, &pp, &err),
	                 XJ_EINVAL);
	assert_int_equal(pp.n, 3);
	for (i = 1; i < pp.n; i++)
		assert_true(pp.p[i - 1].line < pp.p[i].line);
	assert_contains(pp.p[0].msg, "person");
	assert_contains(pp.p[1].msg, "nope");
	assert_contains(pp.p[2].msg, "170%");
	/* no problem list: the error alone names the first problem */
	xj_error_clear(&err);
	assert_int_equal(plan_parse(t, strlen(t), "order", &p, NULL, &err),
	                 XJ_EINVAL);
	assert_null(p);
	assert_contains(err.msg, "order:");
	assert_contains(err.msg, "order:13:14: ");
	assert_contains(err.msg, "person");
	/* no text at all */
	assert_int_equal(plan_parse(NULL, 0, "none", &p, &pp, &err), XJ_EINVAL);
	assert_int_equal(pp.n, 1);
	assert_contains(pp.p[0].msg, "方案文件是空的");
	/* nor an error */
	assert_int_equal(plan_parse(t, strlen(t), NULL, &p, NULL, NULL),
	                 XJ_EINVAL);
	free(t);
	free(base);
}

static void test_limits(void **state)
{
	size_t len, i;
	char *base = slurp(FIXTURES "/good-minimal.yaml", &len), *t;
	struct strbuf sb;
	struct plan_problems pp;
	struct xj_error err;
	struct plan *p;

	(void)state;
	/* 65 record kinds */
	strbuf_init(&sb, 1 << 20);
	for (i = 0; i < 62; i++)
		assert_int_equal(strbuf_addf(&sb,
		                             "  - {id: k%zu, name: k, subject: "
		                             "org}\n",
		                             i),
		                 XJ_OK);
	assert_int_equal(strbuf_adds(&sb, "stages:\n"), XJ_OK);
	t = subst(base, "stages:\n", sb.buf);
	parse_bad(t, 83, 5, "记录类型过多（最多 64 种）");
	free(t);
	strbuf_release(&sb);

	/* 9 fields */
	t = subst(base, "    subject: org\n    fields:\n",
	          "    subject: org\n    fields:\n"
	          "      - {name: a1, type: text}\n"
	          "      - {name: a2, type: text}\n"
	          "      - {name: a3, type: text}\n"
	          "      - {name: a4, type: text}\n"
	          "      - {name: a5, type: text}\n"
	          "      - {name: a6, type: text}\n"
	          "      - {name: a7, type: text}\n");
	parse_bad(t, 28, 9, "字段过多（每种记录最多 8 个）");
	free(t);

	/* 13 values */
	t = subst(base, "values: [否, 是]",
	          "values: [a, b, c, d, e, f, g, h, i, j, k, l, m]");
	parse_bad(t, 10, 81, "取值过多（最多 12 个）");
	free(t);

	/* nesting deeper than the checks go */
	strbuf_init(&sb, 1 << 20);
	assert_int_equal(strbuf_adds(&sb, "campaign: "), XJ_OK);
	for (i = 0; i < 40; i++)
		assert_int_equal(strbuf_adds(&sb, "["), XJ_OK);
	parse_bad(sb.buf, 1, 26, "嵌套过深");
	strbuf_release(&sb);

	/* a file over the size limit: a problem for the whole file */
	t = xmalloc(2 * 1024 * 1024 + 1);
	memset(t, '#', 2 * 1024 * 1024);
	t[2 * 1024 * 1024] = '\0';
	assert_int_equal(plan_parse(t, strlen(t), "big", &p, &pp, &err),
	                 XJ_EINVAL);
	assert_int_equal(pp.n, 1);
	assert_int_equal(pp.p[0].line, 0);
	assert_contains(pp.p[0].msg, "方案文件过大");
	assert_contains(err.msg, "big: 方案文件过大");
	free(t);

	/* NUL bytes, raw and escaped */
	assert_int_equal(
	    plan_parse("campaign: a\0b\n", 14, "nul", &p, &pp, &err),
	    XJ_EINVAL);
	assert_int_equal(pp.p[0].line, 1);
	assert_int_equal(pp.p[0].column, 12);
	assert_contains(pp.p[0].msg, "空字符");
	t = subst(base, "campaign: 测试活动", "campaign: \"测试\\0活动\"");
	assert_int_equal(plan_parse(t, strlen(t), "nul", &p, &pp, &err),
	                 XJ_EINVAL);
	assert_int_equal(pp.p[0].line, 3);
	assert_int_equal(pp.p[0].column, 11);
	assert_contains(pp.p[0].msg, "空字符");
	free(t);
	free(base);
}

static void test_load_errors(void **state)
{
	struct plan_problems pp;
	struct xj_error err;
	struct plan *p = (struct plan *)&pp;

	(void)state;
	assert_int_equal(
	    plan_load("tests/fixtures/plans/no-such.yaml", &p, &pp, &err),
	    XJ_EIO);
	assert_null(p);
	assert_int_equal(pp.n, 0);
	assert_contains(err.msg, "无法打开方案文件");
	assert_contains(err.msg, "no-such.yaml");
	/* a directory opens but does not read */
	assert_int_equal(plan_load("tests/fixtures/plans", &p, &pp, &err),
	                 XJ_EIO);
	assert_contains(err.msg, "无法读取方案文件");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_structure),
		cmocka_unit_test(test_reference_requirements),
		cmocka_unit_test(test_reference_kinds),
		cmocka_unit_test(test_reference_optional_modules),
		cmocka_unit_test(test_good_minimal),
		cmocka_unit_test(test_man_page_example),
		cmocka_unit_test(test_bad_fixtures),
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_bad_thresholds),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_problem_limit),
		cmocka_unit_test(test_problem_order),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_load_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
