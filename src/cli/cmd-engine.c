/* xianjiao status | explain | plan install: the engine's answers */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/engine.h"
#include "xianjiao/plan.h"
#include "xianjiao/store.h"
#include "xianjiao/workflow.h"

/* Options shared by status and explain. */
struct eval_args {
	int32_t as_of;
	int stage;
};

static enum xj_err eval_args(struct store *st, const struct plan *p,
                             const struct cli_args *a, const struct cli_cmd *c,
                             struct eval_args *out, struct xj_error *err)
{
	const char *as_of = cli_get(a, c, "as-of");
	const char *stage = cli_get(a, c, "stage");

	(void)st;
	out->as_of = ENG_LIVE;
	out->stage = -1;
	if (as_of != NULL &&
	    date_parse(as_of, &out->as_of, "--as-of", err) != XJ_OK)
		return XJ_EUSAGE;
	if (stage != NULL) {
		out->stage = plan_stage_find(p, stage);
		if (out->stage < 0)
			return xj_error_field(err, XJ_EUSAGE, "--stage",
			                      "方案中没有阶段 %s", stage);
	}
	return XJ_OK;
}

/* Everything a report needs, opened and built; closed by eval_end. */
struct eval {
	struct store *st;
	struct plan *p;
	struct engine *e;
	struct eng_view *at; /* NULL: the live view */
	const struct eng_view *v;
	struct eval_args args;
	struct wf_annotations *wf; /* each unit's 转段 state in the JSON */
};

static enum xj_err eval_begin(const struct cli_args *a, const struct cli_cmd *c,
                              struct eval *ev, struct xj_error *err)
{
	enum xj_err e;

	memset(ev, 0, sizeof(*ev));
	e = cli_open_db(a, c, &ev->st, err);
	if (e == XJ_OK)
		e = engine_plan_in_force(ev->st, &ev->p, err);
	if (e == XJ_OK)
		e = eval_args(ev->st, ev->p, a, c, &ev->args, err);
	if (e == XJ_OK)
		e = engine_build(ev->st, ev->p, &ev->e, err);
	if (e == XJ_OK) {
		struct wf_ctx wc = { ev->st, ev->p, ev->e, 0,
			             date_beijing(time(NULL)) };

		e = workflow_annotate(&wc, &ev->wf, err);
	}
	if (e == XJ_OK && ev->args.as_of != ENG_LIVE)
		e = engine_view_at(ev->e, ev->args.as_of, &ev->at, err);
	if (e == XJ_OK)
		ev->v = ev->at ? ev->at : engine_live(ev->e);
	return e;
}

static void eval_end(struct eval *ev)
{
	workflow_annotations_free(ev->wf);
	eng_view_free(ev->at);
	engine_free(ev->e);
	plan_free(ev->p);
	if (ev->st)
		store_close(ev->st);
}

static enum xj_err find_unit(struct store *st, const char *code, int64_t *id,
                             struct xj_error *err)
{
	enum xj_err e = store_org_by_code(st, code, id, err);

	if (e == XJ_OK && *id == 0)
		return xj_error_field(err, XJ_ENOTFOUND, "unit",
		                      "没有组织代码为 %s 的单位", code);
	return e;
}

static void print_as_of(json_t *j)
{
	const char *d = json_string_value(json_object_get(j, "as_of"));

	if (d != NULL)
		printf("截至 %s（按当日已发生且已录入的记录）", d);
	else
		printf("截至目前（全部已录入的记录）");
}

static void print_status(json_t *j)
{
	json_t *units = json_object_get(j, "units");
	json_t *systems = json_object_get(j, "systems");
	json_t *u, *s, *r, *t;
	size_t i, k, l;
	int ready = 0;

	printf("%s · %s · ", cli_jstr(j, "campaign"),
	       cli_jstr(json_object_get(j, "stage"), "name"));
	print_as_of(j);
	printf("\n\n");
	json_array_foreach(units, i, u)
	{
		ready += json_is_true(json_object_get(u, "ready"));
	}
	printf("单位 %zu 个，具备转段条件 %d 个；以下按差距从大到小排列。\n\n",
	       json_array_size(units), ready);
	json_array_foreach(units, i, u)
	{
		json_t *failing = json_object_get(u, "failing");
		json_t *reqs = json_object_get(u, "requirements");
		int first = 1;

		printf("%-6s %s（%s）转段条件 %lld/%lld%s，完成度 %.1f%%",
		       cli_jstr(u, "code"), cli_jstr(u, "name"),
		       cli_jstr(u, "system"),
		       (long long)cli_jint(u, "gates_passed"),
		       (long long)cli_jint(u, "gates"),
		       json_is_true(json_object_get(u, "ready")) ? " 已具备"
		                                                 : " 未具备",
		       json_real_value(json_object_get(u, "completion")));
		if (json_array_size(failing) > 0) {
			printf("；未达标：");
			json_array_foreach(reqs, k, r)
			{
				if (!json_is_true(json_object_get(r, "gate")) ||
				    json_is_true(json_object_get(r, "pass")))
					continue;
				printf("%s%s", first ? "" : "、",
				       cli_jstr(r, "name"));
				first = 0;
			}
		}
		printf("\n");
		/* the 转段 state, where there is something to say */
		t = json_object_get(u, "transition");
		if (t != NULL &&
		    (cli_jint(t, "version") > 0 ||
		     cli_jint(t, "overdue_days") > 0 ||
		     json_is_object(json_object_get(t, "override"))))
			cli_print_transition(t, "       ");
	}
	if (json_array_size(systems) > 0)
		printf("\n各系统汇总\n");
	json_array_foreach(systems, i, s)
	{
		printf("%s：%lld 个单位，%lld 个具备转段条件\n",
		       cli_jstr(s, "name"), (long long)cli_jint(s, "units"),
		       (long long)cli_jint(s, "ready"));
		json_array_foreach(json_object_get(s, "requirements"), l, r)
		{
			printf("    %s：%lld/%lld 个单位达标",
			       cli_jstr(r, "name"),
			       (long long)cli_jint(r, "units_passed"),
			       (long long)cli_jint(r, "units"));
			if (cli_jint(r, "counted") > 0)
				printf("（对象 %lld/%lld 达标）",
				       (long long)cli_jint(r, "passed"),
				       (long long)cli_jint(r, "counted"));
			printf("\n");
		}
	}
}

static const struct cli_opt status_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "unit", "CODE", 0, "只看一个单位（组织代码）" },
	{ "system", "NAME", 0, "只看一个系统" },
	{ "as-of", "DATE", 0,
	  "截至某日（YYYY-MM-DD）：只计当日及以前发生并录入的记录" },
	{ "stage", "ID", 0, "按方案中的某一阶段评估（默认各单位所处阶段）" },
	{ "json", NULL, 0, "输出 JSON" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err status_run(const struct cli_args *a, struct xj_error *err)
{
	const char *unit = cli_get(a, &cmd_status, "unit");
	const char *system = cli_get(a, &cmd_status, "system");
	int64_t unit_id = 0, system_id = 0;
	struct eval ev;
	json_t *j = NULL;
	enum xj_err e = eval_begin(a, &cmd_status, &ev, err);

	if (e == XJ_OK && unit != NULL)
		e = find_unit(ev.st, unit, &unit_id, err);
	if (e == XJ_OK && system != NULL) {
		e = store_system_by_name(ev.st, system, &system_id, err);
		if (e == XJ_OK && system_id == 0)
			e = xj_error_field(err, XJ_ENOTFOUND, "system",
			                   "没有名为 %s 的系统", system);
	}
	if (e == XJ_OK)
		e = eng_status_json(ev.st, ev.v, ev.args.stage, unit_id,
		                    system_id, &j, err);
	if (e == XJ_OK) {
		if (cli_get(a, &cmd_status, "json"))
			cli_print_json(j);
		else
			print_status(j);
	}
	json_decref(j);
	eval_end(&ev);
	return e;
}

const struct cli_cmd cmd_status = {
	.name = "status",
	.summary = "各单位、各系统的进度：转段条件、完成度，按差距排列",
	.args = "",
	.opts = status_opts,
	.fn = status_run,
};

static void print_explain(json_t *j)
{
	json_t *u = json_object_get(j, "unit"), *r, *x;
	size_t i, k;

	printf("%s %s（%s）· %s · ", cli_jstr(u, "code"), cli_jstr(u, "name"),
	       cli_jstr(u, "system"),
	       cli_jstr(json_object_get(u, "stage"), "name"));
	print_as_of(j);
	printf("\n转段条件 %lld/%lld %s，完成度 %.1f%%\n",
	       (long long)cli_jint(u, "gates_passed"),
	       (long long)cli_jint(u, "gates"),
	       json_is_true(json_object_get(u, "ready")) ? "已具备" : "未具备",
	       json_real_value(json_object_get(u, "completion")));
	cli_print_transition(json_object_get(u, "transition"), "");
	printf("\n");
	json_array_foreach(json_object_get(j, "requirements"), i, r)
	{
		json_t *subj = json_object_get(r, "subjects");
		json_t *val = json_object_get(r, "value");

		printf("%s %s [%s%s]",
		       json_is_true(json_object_get(r, "pass")) ? "✓" : "✗",
		       cli_jstr(r, "name"), cli_jstr(r, "kind"),
		       json_is_true(json_object_get(r, "gate")) ? "·转段条件"
		                                                : "");
		if (subj != NULL) {
			printf(" %s %lld/%lld 达标", cli_jstr(r, "scope"),
			       (long long)cli_jint(subj, "passed"),
			       (long long)cli_jint(subj, "counted"));
			if (cli_jint(subj, "exempt") > 0)
				printf("（免于要求 %lld 人）",
				       (long long)cli_jint(subj, "exempt"));
		} else if (val != NULL && json_object_get(val, "value")) {
			printf(" %s %s %s", cli_jstr(val, "value"),
			       cli_jstr(val, "compare"),
			       cli_jstr(val, "threshold"));
		}
		printf("\n");
		json_array_foreach(json_object_get(r, "failing_branches"), k, x)
		{
			if (json_object_get(x, "value"))
				printf("    %s：%s，要求 %s %s\n",
				       cli_jstr(x, "name"),
				       cli_jstr(x, "value"),
				       cli_jstr(x, "compare"),
				       cli_jstr(x, "threshold"));
			else
				printf("    %s：%lld/%lld 人达标\n",
				       cli_jstr(x, "name"),
				       (long long)cli_jint(x, "passed"),
				       (long long)cli_jint(x, "counted"));
		}
		json_array_foreach(json_object_get(r, "failing_members"), k, x)
		{
			printf("      %s（%s）%s%s，要求 %s %s%s",
			       cli_jstr(x, "name"), cli_jstr(x, "branch_name"),
			       cli_jstr(x, "value"), cli_jstr(r, "unit"),
			       cli_jstr(x, "compare"), cli_jstr(x, "threshold"),
			       cli_jstr(r, "unit"));
			if (cli_jstr(x, "rule")[0])
				printf("（%s）", cli_jstr(x, "rule"));
			printf("\n");
		}
		if (cli_jint(r, "more_members") > 0)
			printf("      另有 %lld 人未达标\n",
			       (long long)cli_jint(r, "more_members"));
	}
}

static const struct cli_opt explain_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "as-of", "DATE", 0, "截至某日（YYYY-MM-DD）" },
	{ "stage", "ID", 0, "按方案中的某一阶段评估" },
	{ "max", "N", 0, "每项要求最多列出的党员人数（默认 20）" },
	{ "json", NULL, 0, "输出 JSON" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err explain_run(const struct cli_args *a, struct xj_error *err)
{
	const char *max = cli_get(a, &cmd_explain, "max");
	int64_t unit_id = 0, n = 20;
	struct eval ev;
	json_t *j = NULL;
	enum xj_err e;

	if (max != NULL &&
	    util_parse_int(max, 0, 100000, &n, "--max", err) != XJ_OK)
		return XJ_EUSAGE;
	e = eval_begin(a, &cmd_explain, &ev, err);
	if (e == XJ_OK)
		e = find_unit(ev.st, a->pos[0], &unit_id, err);
	if (e == XJ_OK)
		e = eng_explain_json(ev.st, ev.v, ev.args.stage, unit_id,
		                     (int)n, &j, err);
	if (e == XJ_OK) {
		if (cli_get(a, &cmd_explain, "json"))
			cli_print_json(j);
		else
			print_explain(j);
	}
	json_decref(j);
	eval_end(&ev);
	return e;
}

const struct cli_cmd cmd_explain = {
	.name = "explain",
	.summary = "说明一个单位哪些要求未达标、哪些支部和党员差多少",
	.args = "UNIT",
	.opts = explain_opts,
	.min_pos = 1,
	.max_pos = 1,
	.fn = explain_run,
};

static void print_standing(json_t *s)
{
	const char *verdict =
	    json_is_true(json_object_get(s, "pass")) ? "达标" : "未达标";

	if (json_object_get(s, "counted"))
		printf("%lld/%lld（%s）", (long long)cli_jint(s, "passed"),
		       (long long)cli_jint(s, "counted"), verdict);
	else
		printf("%s", verdict);
}

static void print_late(json_t *j)
{
	json_t *u, *r;
	size_t i, k;

	printf("截至 %s 的评估结果：之后补录了 %lld 条当日及以前发生的记录，"
	       "%lld 个单位的结果因此改变。\n",
	       cli_jstr(j, "as_of"), (long long)cli_jint(j, "late_records"),
	       (long long)cli_jint(j, "units_changed"));
	json_array_foreach(json_object_get(j, "units"), i, u)
	{
		printf("\n%s %s（%s）\n", cli_jstr(u, "code"),
		       cli_jstr(u, "name"), cli_jstr(u, "system"));
		json_array_foreach(json_object_get(u, "requirements"), k, r)
		{
			printf("    %s：当时 ", cli_jstr(r, "name"));
			print_standing(json_object_get(r, "then"));
			printf("，补录后 ");
			print_standing(json_object_get(r, "later"));
			printf("\n");
		}
	}
}

static const struct cli_opt late_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "as-of", "DATE", 1,
	  "评估日期（YYYY-MM-DD），如上周一发布排名的那天" },
	{ "system", "NAME", 0, "只看一个系统" },
	{ "json", NULL, 0, "输出 JSON" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err late_run(const struct cli_args *a, struct xj_error *err)
{
	const char *system = cli_get(a, &cmd_late, "system");
	int64_t system_id = 0;
	struct eng_view *later = NULL;
	struct eval ev;
	json_t *j = NULL;
	enum xj_err e = eval_begin(a, &cmd_late, &ev, err);

	if (e == XJ_OK && system != NULL) {
		e = store_system_by_name(ev.st, system, &system_id, err);
		if (e == XJ_OK && system_id == 0)
			e = xj_error_field(err, XJ_ENOTFOUND, "system",
			                   "没有名为 %s 的系统", system);
	}
	if (e == XJ_OK)
		e = engine_view_known(ev.e, ev.args.as_of, ENG_LIVE, &later,
		                      err);
	if (e == XJ_OK)
		e = eng_late_json(ev.st, ev.v, later, system_id, &j, err);
	if (e == XJ_OK) {
		if (cli_get(a, &cmd_late, "json"))
			cli_print_json(j);
		else
			print_late(j);
	}
	json_decref(j);
	eng_view_free(later);
	eval_end(&ev);
	return e;
}

const struct cli_cmd cmd_late = {
	.name = "late",
	.summary = "某日的评估结果在补录记录后有何变化（迟录的影响）",
	.args = "",
	.opts = late_opts,
	.fn = late_run,
};

static const struct cli_opt install_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ NULL, NULL, 0, NULL },
};

/* A database holds one campaign: the first plan installed names it, its
 * dates spanning the plan's batch windows. */
static enum xj_err ensure_campaign(struct store *st, const struct plan *p,
                                   struct xj_error *err)
{
	struct campaign c = { 0, p->name, 0, 0 };
	int64_t id;
	int b, s;
	enum xj_err e = store_campaign_first(st, &id, err);

	if (e != XJ_OK || id != 0)
		return e;
	for (b = 0; b < p->nbatches; b++)
		for (s = 0; s < p->nstages; s++) {
			if (c.start_date == 0 ||
			    p->batches[b].start[s] < c.start_date)
				c.start_date = p->batches[b].start[s];
			if (p->batches[b].end[s] > c.end_date)
				c.end_date = p->batches[b].end[s];
		}
	return store_campaign_insert(st, &c, &id, err);
}

static enum xj_err install_op(struct store *st, const struct cli_args *a,
                              struct xj_error *err)
{
	struct plan *p = NULL;
	char *text = NULL;
	int64_t id;
	enum xj_err e = cli_read_plan(a->pos[0], &text, &p, err);

	if (e != XJ_OK)
		return e;
	e = store_plan_install(st, text, &id, err);
	if (e == XJ_OK)
		e = ensure_campaign(st, p, err);
	if (e == XJ_OK)
		printf("方案“%s”已安装（第 %lld 版）：%d 个阶段，%d 项要求\n",
		       p->name, (long long)id, p->nstages, p->nreqs);
	plan_free(p);
	free(text);
	return e;
}

static enum xj_err install_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_plan_install, a, install_op, err);
}

const struct cli_cmd cmd_plan_install = {
	.name = "plan install",
	.summary = "检查并安装方案（此后的评估都按此方案）",
	.args = "FILE",
	.opts = install_opts,
	.min_pos = 1,
	.max_pos = 1,
	.fn = install_run,
};

/* xianjiao engine snapshot: save the engine's record columns in the
 * database, so that later rebuilds replay only newer records. */
static const struct cli_opt snapshot_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "full", NULL, 0, "不用已有的快照，从全部记录重建后再保存" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err snapshot_run(const struct cli_args *a, struct xj_error *err)
{
	struct store *st = NULL;
	struct plan *p = NULL;
	struct engine *e = NULL;
	struct eng_build_info info;
	int64_t bytes = 0;
	int flags =
	    cli_get(a, &cmd_engine_snapshot, "full") ? ENG_BUILD_FULL : 0;
	enum xj_err rc = cli_open_db(a, &cmd_engine_snapshot, &st, err);

	if (rc == XJ_OK)
		rc = engine_plan_in_force(st, &p, err);
	if (rc == XJ_OK)
		rc = engine_build_ex(st, p, flags, &info, &e, err);
	if (rc == XJ_OK)
		rc = engine_snapshot_save(e, st, &bytes, err);
	if (rc == XJ_OK) {
		if (info.snapshot)
			printf("由原有快照（至记录 %lld）加上其后的 %lld 条记录"
			       "建立引擎；",
			       (long long)info.snapshot_to,
			       (long long)info.replayed);
		else
			printf("由全部 %lld 条记录建立引擎；",
			       (long long)info.replayed);
		printf("快照已保存：%lld 条记录，至记录编号 %lld，%.1f MiB。\n",
		       (long long)engine_record_count(e),
		       (long long)engine_snapshot_covers(e),
		       (double)bytes / (1 << 20));
	}
	engine_free(e);
	plan_free(p);
	if (st)
		store_close(st);
	return rc;
}

const struct cli_cmd cmd_engine_snapshot = {
	.name = "engine snapshot",
	.summary =
	    "保存引擎快照（记录的评估数据），此后重建只需读取新录入的记录",
	.args = "",
	.opts = snapshot_opts,
	.fn = snapshot_run,
};
