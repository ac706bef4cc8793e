/*
 * xianjiao spotcheck draw | list | finding: the office's 明查暗访 during
 * 转段 (DOMAIN.md §5.1 step 5): a recorded, reproducible draw of 2-4 units
 * per 系统, and what was found at them, which may order 补课. The actor
 * is --as or the command line's operator, as for `transition`.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/plan.h"
#include "xianjiao/store.h"
#include "xianjiao/workflow.h"

static void print_spots(const json_t *j)
{
	const json_t *s, *u, *f;
	size_t i, k;

	if (json_array_size(json_object_get(j, "spot_checks")) == 0)
		printf("还没有抽查\n");
	json_array_foreach(json_object_get(j, "spot_checks"), i, s)
	{
		int64_t sys = 0;

		printf(
		    "第 %lld 次抽查：%s阶段，%s，随机种子 %lld，每个系统 %lld "
		    "个单位%s\n",
		    (long long)cli_jint(s, "id"),
		    cli_jstr(json_object_get(s, "stage"), "name"),
		    cli_jstr(s, "on"), (long long)cli_jint(s, "seed"),
		    (long long)cli_jint(s, "per_system"),
		    cli_jint(s, "batch") ? "（限本批次）" : "");
		json_array_foreach(json_object_get(s, "units"), k, u)
		{
			if (cli_jint(u, "system_id") != sys) {
				sys = cli_jint(u, "system_id");
				printf("  %s：", cli_jstr(u, "system"));
			} else {
				printf("、");
			}
			printf("%s %s", cli_jstr(u, "code"),
			       cli_jstr(u, "name"));
			if (k + 1 ==
			        json_array_size(json_object_get(s, "units")) ||
			    cli_jint(json_array_get(json_object_get(s, "units"),
			                            k + 1),
			             "system_id") != sys)
				printf("\n");
		}
		json_array_foreach(json_object_get(s, "findings"), k, f)
		{
			printf("  发现 #%lld %s %s（%s）：%s%s\n",
			       (long long)cli_jint(f, "id"),
			       cli_jstr(f, "code"), cli_jstr(f, "name"),
			       cli_jstr(f, "mode"), cli_jstr(f, "text"),
			       json_is_true(json_object_get(f, "remedy"))
			           ? "；已责令补课"
			           : "");
		}
	}
}

static const struct cli_opt draw_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "stage", "ID", 1, "抽查的阶段（方案中的阶段 id）" },
	{ "seed", "N", 0,
	  "随机种子（0 至 9007199254740991；不给则随机选取并记录）" },
	{ "per-system", "N", 0, "每个系统抽几个单位（2 至 4，默认 2）" },
	{ "batch", "N", 0, "只抽某一批次的单位" },
	{ "as", "LOGIN", 0, "办理人（须为先教办）；不给则以系统操作员身份" },
	{ "json", NULL, 0, "输出 JSON" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err draw_run(const struct cli_args *a, struct xj_error *err)
{
	const char *seed = cli_get(a, &cmd_spotcheck_draw, "seed");
	const char *per = cli_get(a, &cmd_spotcheck_draw, "per-system");
	const char *batch = cli_get(a, &cmd_spotcheck_draw, "batch");
	const char *stage = cli_get(a, &cmd_spotcheck_draw, "stage");
	int64_t s = -1, n = 2, b = 0, id = 0;
	struct cli_wf r;
	json_t *j = NULL;
	int st;
	enum xj_err e;

	if ((seed != NULL && util_parse_int(seed, 0, WF_SEED_MAX, &s, "--seed",
	                                    err) != XJ_OK) ||
	    (per != NULL &&
	     util_parse_int(per, 2, 4, &n, "--per-system", err) != XJ_OK) ||
	    (batch != NULL &&
	     util_parse_int(batch, 1, 99, &b, "--batch", err) != XJ_OK))
		return XJ_EUSAGE;
	e = cli_wf_begin(&cmd_spotcheck_draw, a, WF_ROLES_OFFICE, NULL, &r,
	                 err);
	st = e == XJ_OK ? plan_stage_find(r.p, stage) : -1;
	if (e == XJ_OK && st < 0)
		e = xj_error_field(err, XJ_EUSAGE, "--stage",
		                   "方案中没有阶段 %s", stage);
	if (e == XJ_OK) {
		store_set_actor(r.st, r.c.actor);
		e = store_begin(r.st, err);
	}
	if (e == XJ_OK)
		e = workflow_draw(&r.c, st, s, (int)n, (int)b, &id, err);
	if (e == XJ_OK)
		e = store_commit(r.st, err);
	if (e != XJ_OK)
		store_rollback(r.st);
	if (e == XJ_OK)
		e = workflow_spotchecks_json(&r.c, id, &j, err);
	if (e == XJ_OK && cli_get(a, &cmd_spotcheck_draw, "json"))
		cli_print_json(j);
	else if (e == XJ_OK)
		print_spots(j);
	json_decref(j);
	cli_wf_end(&r);
	return e;
}

const struct cli_cmd cmd_spotcheck_draw = {
	.name = "spotcheck draw",
	.summary = "明查暗访：每个系统随机抽 2 至 4 个单位，记录随机种子（同一"
	           "种子抽出同样的单位）",
	.args = "",
	.opts = draw_opts,
	.fn = draw_run,
};

static const struct cli_opt list_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "id", "N", 0, "只看一次抽查" },
	{ "as", "LOGIN", 0, "以该用户身份查看（须为先教办）" },
	{ "json", NULL, 0, "输出 JSON" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err list_run(const struct cli_args *a, struct xj_error *err)
{
	const char *ids = cli_get(a, &cmd_spotcheck_list, "id");
	int64_t id = 0;
	struct cli_wf r;
	json_t *j = NULL;
	enum xj_err e;

	if (ids != NULL &&
	    util_parse_int(ids, 1, INT64_MAX, &id, "--id", err) != XJ_OK)
		return XJ_EUSAGE;
	e = cli_wf_begin(&cmd_spotcheck_list, a, WF_ROLES_OFFICE, NULL, &r,
	                 err);
	if (e == XJ_OK)
		e = workflow_spotchecks_json(&r.c, id, &j, err);
	if (e == XJ_OK && cli_get(a, &cmd_spotcheck_list, "json"))
		cli_print_json(j);
	else if (e == XJ_OK)
		print_spots(j);
	json_decref(j);
	cli_wf_end(&r);
	return e;
}

const struct cli_cmd cmd_spotcheck_list = {
	.name = "spotcheck list",
	.summary = "历次抽查：阶段、随机种子、抽到的单位和发现的问题",
	.args = "",
	.opts = list_opts,
	.fn = list_run,
};

static const struct cli_opt finding_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "unit", "CODE", 1, "抽到的单位（组织代码）" },
	{ "mode", "MODE", 1, "明查 或 暗访" },
	{ "text", "TEXT", 1, "发现的情况" },
	{ "items", "TEXT", 0,
	  "责令补课的事项，每行一项（或以 ; 分隔）；须同时给 --deadline" },
	{ "deadline", "DATE", 0, "补课期限（YYYY-MM-DD）" },
	{ "on", "DATE", 0, "日期（默认今天）" },
	{ "as", "LOGIN", 0, "办理人（须为先教办）；不给则以系统操作员身份" },
	{ "json", NULL, 0, "输出 JSON" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err finding_run(const struct cli_args *a, struct xj_error *err)
{
	const struct cli_cmd *c = &cmd_spotcheck_finding;
	const char *deadline = cli_get(a, c, "deadline");
	const char *on = cli_get(a, c, "on");
	struct wf_finding f;
	struct wf_outcome o;
	struct cli_wf r;
	int64_t fid = 0;
	enum xj_err e;

	memset(&f, 0, sizeof(f));
	memset(&o, 0, sizeof(o));
	if (util_parse_int(a->pos[0], 1, INT64_MAX, &f.spot_check, "ID", err) !=
	        XJ_OK ||
	    (deadline != NULL &&
	     date_parse(deadline, &f.deadline, "--deadline", err) != XJ_OK) ||
	    (on != NULL && date_parse(on, &f.on, "--on", err) != XJ_OK))
		return XJ_EUSAGE;
	f.mode = cli_get(a, c, "mode");
	f.text = cli_get(a, c, "text");
	f.items = cli_get(a, c, "items");
	e = cli_wf_begin(c, a, WF_ROLES_OFFICE, cli_get(a, c, "unit"), &r, err);
	f.unit = r.unit;
	if (e == XJ_OK) {
		store_set_actor(r.st, r.c.actor);
		e = store_begin(r.st, err);
	}
	if (e == XJ_OK)
		e = workflow_finding(&r.c, &f, &fid, &o, err);
	if (e == XJ_OK)
		e = store_commit(r.st, err);
	if (e != XJ_OK)
		store_rollback(r.st);
	if (e == XJ_OK && cli_get(a, c, "json")) {
		json_t *j = json_pack(
		    "{s:I,s:I,s:b,s:I}", "finding", (json_int_t)fid, "unit",
		    (json_int_t)f.unit, "remedy", o.transition_id != 0,
		    "transition", (json_int_t)o.transition_id);

		cli_print_json(j);
		json_decref(j);
	} else if (e == XJ_OK) {
		printf("已记录第 %lld 次抽查的发现 #%lld（%s）%s\n",
		       (long long)f.spot_check, (long long)fid,
		       cli_get(a, c, "unit"),
		       o.transition_id ? "，已责令补课，单位退回本阶段进行中"
		                       : "");
	}
	json_decref(o.refusal);
	cli_wf_end(&r);
	return e;
}

const struct cli_cmd cmd_spotcheck_finding = {
	.name = "spotcheck finding",
	.summary = "记录抽查中发现的情况，可同时责令补课",
	.args = "ID",
	.opts = finding_opts,
	.min_pos = 1,
	.max_pos = 1,
	.fn = finding_run,
};
