/*
 * xianjiao transition ...: the 转段 workflow (workflow.h) from the command
 * line, one descriptor per command.
 *
 * Who acts: --as LOGIN names the user, whose grants are checked as the
 * HTTP API checks them (role and scope, workflow_authorize()), and who is
 * recorded as the actor. Without --as the command line acts as the system
 * operator with the office's (先教办) rights, recorded as actor 0 ("命令
 * 行"): it may take every action the office may, but not the supervision
 * group's signature or return, which need --as a supervisor of the unit's
 * 系统 (DOMAIN.md §5.1 step 3).
 */
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

void cli_print_transition(const struct json_t *t, const char *indent)
{
	const json_t *ovr = json_object_get(t, "override");

	if (t == NULL)
		return;
	printf("%s转段：%s·%s（第 %lld 版）", indent,
	       cli_jstr(json_object_get(t, "stage"), "name"),
	       cli_jstr(t, "state_name"), (long long)cli_jint(t, "version"));
	if (json_is_string(json_object_get(t, "deadline")))
		printf("；期限 %s", cli_jstr(t, "deadline"));
	if (cli_jint(t, "overdue_days") > 0)
		printf("，已逾期 %lld 天",
		       (long long)cli_jint(t, "overdue_days"));
	if (cli_jint(t, "open_remedies") > 0)
		printf("；补课 %lld 项未完成",
		       (long long)cli_jint(t, "open_remedies"));
	if (json_is_object(ovr))
		printf("；先教办越过未达标的转段条件准予申请，理由：%s",
		       cli_jstr(ovr, "reason"));
	printf("\n");
}

/* --- shared by every command ------------------------------------------ */

static enum xj_err parse_date(const char *s, const char *field, int32_t *out,
                              struct xj_error *err)
{
	*out = 0;
	if (s == NULL)
		return XJ_OK;
	if (date_parse(s, out, field, err) != XJ_OK)
		return XJ_EUSAGE;
	return XJ_OK;
}

enum xj_err cli_wf_begin(const struct cli_cmd *cmd, const struct cli_args *a,
                         unsigned roles, const char *unit, struct cli_wf *r,
                         struct xj_error *err)
{
	const char *as = cli_get(a, cmd, "as");
	const char *today = cli_get(a, cmd, "today");
	struct user u;
	enum xj_err e;

	memset(r, 0, sizeof(*r));
	e = parse_date(today, "--today", &r->c.today, err);
	if (e == XJ_OK && today == NULL)
		r->c.today = date_beijing(time(NULL));
	if (e == XJ_OK)
		e = cli_open_db(a, cmd, &r->st, err);
	if (e == XJ_OK)
		e = engine_plan_in_force(r->st, &r->p, err);
	if (e == XJ_OK && as != NULL) {
		e = cli_user(r->st, as, &u, err);
		if (e == XJ_OK && u.disabled)
			e = xj_error_field(err, XJ_EFORBIDDEN, "as",
			                   "用户 %s 已停用", as);
		r->c.actor = u.id;
	}
	if (e == XJ_OK && unit != NULL) {
		e = store_org_by_code(r->st, unit, &r->unit, err);
		if (e == XJ_OK && r->unit == 0)
			e = xj_error_field(err, XJ_ENOTFOUND, "unit",
			                   "没有组织代码为 %s 的单位", unit);
	}
	if (e == XJ_OK && roles != 0)
		e = workflow_authorize(r->st, r->c.actor, roles, r->unit, err);
	r->c.st = r->st;
	r->c.p = r->p;
	return e;
}

void cli_wf_end(struct cli_wf *r)
{
	plan_free(r->p);
	if (r->st != NULL)
		store_close(r->st);
}

/* What a refusal needs the user to see besides its one-line reason:
 * the failing requirements with the engine's figures, open 补课 items,
 * the look-back items still to answer. */
static void print_refusal(const json_t *r)
{
	const json_t *x, *m;
	size_t i, k;

	json_array_foreach(json_object_get(r, "failing"), i, x)
	{
		const json_t *subj = json_object_get(x, "subjects");
		const json_t *val = json_object_get(x, "value");

		fprintf(stderr, "  ✗ %s", cli_jstr(x, "name"));
		if (subj != NULL)
			fprintf(stderr, "：%s %lld/%lld 达标",
			        cli_jstr(x, "scope"),
			        (long long)cli_jint(subj, "passed"),
			        (long long)cli_jint(subj, "counted"));
		else if (json_object_get(val, "value") != NULL)
			fprintf(stderr, "：%s，要求 %s %s",
			        cli_jstr(val, "value"),
			        cli_jstr(val, "compare"),
			        cli_jstr(val, "threshold"));
		fprintf(stderr, "\n");
		json_array_foreach(json_object_get(x, "failing_members"), k, m)
		{
			fprintf(stderr, "      %s（%s）%s%s，要求 %s %s%s\n",
			        cli_jstr(m, "name"), cli_jstr(m, "branch_name"),
			        cli_jstr(m, "value"), cli_jstr(x, "unit"),
			        cli_jstr(m, "compare"),
			        cli_jstr(m, "threshold"), cli_jstr(x, "unit"));
		}
		if (cli_jint(x, "more_members") > 0)
			fprintf(stderr, "      另有 %lld 人未达标\n",
			        (long long)cli_jint(x, "more_members"));
	}
	json_array_foreach(json_object_get(r, "open_remedies"), i, x)
	{
		fprintf(stderr, "  补课 #%lld：%s（期限 %s）\n",
		        (long long)cli_jint(x, "id"), cli_jstr(x, "text"),
		        cli_jstr(x, "deadline"));
	}
	json_array_foreach(json_object_get(r, "unanswered"), i, x)
	{
		fprintf(stderr, "  未回答 %s：%s\n", cli_jstr(x, "id"),
		        cli_jstr(x, "text"));
	}
}

/* --- the steps ---------------------------------------------------------- */

static enum xj_err act(const struct cli_cmd *cmd, enum wf_action action,
                       const struct cli_args *a, struct xj_error *err)
{
	const char *expect = cli_get(a, cmd, "expect-version");
	const char *item = cli_get(a, cmd, "item");
	struct wf_outcome o;
	struct wf_request q;
	struct cli_wf r;
	int64_t n;
	enum xj_err e;

	memset(&q, 0, sizeof(q));
	memset(&o, 0, sizeof(o));
	q.action = action;
	q.reason = cli_get(a, cmd, "reason");
	q.items = cli_get(a, cmd, "items");
	q.text = cli_get(a, cmd, "answer");
	if (q.text == NULL)
		q.text = cli_get(a, cmd, "report");
	if (q.text == NULL)
		q.text = cli_get(a, cmd, "evidence");
	e = parse_date(cli_get(a, cmd, "on"), "--on", &q.on, err);
	if (e == XJ_OK)
		e = parse_date(cli_get(a, cmd, "deadline"), "--deadline",
		               &q.date, err);
	if (e == XJ_OK && q.date == 0)
		e = parse_date(cli_get(a, cmd, "until"), "--until", &q.date,
		               err);
	if (e == XJ_OK && expect != NULL &&
	    util_parse_int(expect, 1, INT64_MAX, &q.expect_version,
	                   "--expect-version", err) != XJ_OK)
		e = XJ_EUSAGE;
	if (e == XJ_OK && item != NULL && action == WF_REMEDY_DONE) {
		if (util_parse_int(item, 1, INT64_MAX, &n, "--item", err) !=
		    XJ_OK)
			e = XJ_EUSAGE;
		q.item_id = n;
	} else {
		q.item = item;
	}
	if (e != XJ_OK)
		return e;
	e = cli_wf_begin(cmd, a, wf_action_roles(action), a->pos[0], &r, err);
	q.unit = r.unit;
	if (e == XJ_OK) {
		store_set_actor(r.st, r.c.actor);
		e = store_begin(r.st, err);
	}
	if (e == XJ_OK)
		e = workflow_act(&r.c, &q, &o, err);
	if (e == XJ_OK)
		e = store_commit(r.st, err);
	if (e != XJ_OK)
		store_rollback(r.st);
	if (e == XJ_OK && cli_get(a, cmd, "json")) {
		json_t *j = json_pack(
		    "{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:I}", "unit",
		    (json_int_t)r.unit, "action", wf_action_code(action),
		    "from", wf_state_code(o.from), "to", wf_state_code(o.to),
		    "stage", r.p->stages[o.stage].id, "to_stage",
		    r.p->stages[o.to_stage].id, "version",
		    (json_int_t)o.version, "transition",
		    (json_int_t)o.transition_id);

		cli_print_json(j);
		json_decref(j);
	} else if (e == XJ_OK) {
		printf("%s：%s·%s → %s·%s（%s，第 %lld 版）\n", a->pos[0],
		       r.p->stages[o.stage].name, wf_state_name(o.from),
		       r.p->stages[o.to_stage].name, wf_state_name(o.to),
		       wf_action_name(action), (long long)o.version);
	} else if (o.refusal != NULL) {
		if (cli_get(a, cmd, "json"))
			cli_print_json(o.refusal);
		else
			print_refusal(o.refusal);
	}
	json_decref(o.refusal);
	cli_wf_end(&r);
	return e;
}

/* Options every step takes. */
#define STEP_OPTS                                                                                       \
	{ "db", "FILE", 1, "数据库文件" },                                                              \
	    { "as", "LOGIN", 0,                                                                         \
	      "办理人（其角色和范围按网页端同样检查）；不给则以系统操作员" \
	      "（先教办）身份办理" },                                                                   \
	    { "on", "DATE", 0, "办理日期（YYYY-MM-DD，默认今天）" },                                    \
	    { "expect-version", "N", 0,                                                                 \
	      "只在该单位的转段状态仍为第 N 版时办理（防止两人同时办理）" },                            \
	{                                                                                               \
		"json", NULL, 0, "输出 JSON"                                                          \
	}

#define STEP(id, cname, csummary, action, ...)                                 \
	static const struct cli_opt id##_opts[] = {                            \
		STEP_OPTS,                                                     \
		__VA_ARGS__{ NULL, NULL, 0, NULL },                            \
	};                                                                     \
	static enum xj_err id##_run(const struct cli_args *a,                  \
	                            struct xj_error *err)                      \
	{                                                                      \
		return act(&cmd_transition_##id, action, a, err);              \
	}                                                                      \
	const struct cli_cmd cmd_transition_##id = {                           \
		.name = cname,                                                 \
		.summary = csummary,                                           \
		.args = "UNIT",                                                \
		.opts = id##_opts,                                             \
		.min_pos = 1,                                                  \
		.max_pos = 1,                                                  \
		.fn = id##_run,                                                \
	}

STEP(lookback, "transition lookback", "回头看：回答方案中本阶段的一个问题",
     WF_LOOKBACK_ANSWER,
     { "item", "ID", 1, "回头看事项的 id（见 transition show）" },
     { "answer", "TEXT", 1, "回答" }, );
STEP(selfcheck, "transition selfcheck", "提交自查报告（回头看各项均已回答后）",
     WF_SELFCHECK_SUBMIT, { "report", "TEXT", 1, "自查报告" }, );
STEP(apply, "transition apply",
     "申请转段：本阶段转段条件未达标或补课未完成时拒绝并列明", WF_APPLY,
     { "reason", "TEXT", 0, "说明" }, );
STEP(override, "transition override",
     "先教办越过未达标的转段条件准予申请（须写明理由）", WF_OVERRIDE,
     { "reason", "TEXT", 1, "理由（记录在案，随单位状态显示）" }, );
STEP(sign, "transition sign", "督导组验收签字（须 --as 本系统督导组成员）",
     WF_SIGN, { "reason", "TEXT", 0, "验收意见" }, );
STEP(return, "transition return", "督导组退回申请（须写明理由）", WF_RETURN,
           { "reason", "TEXT", 1, "退回的理由" }, );
STEP(approve, "transition approve", "先教办批准转段（进入下一阶段或总结）",
     WF_APPROVE, { "reason", "TEXT", 0, "审批意见" }, );
STEP(remedy, "transition remedy", "先教办责令补课：列出事项和期限", WF_REMEDY,
     { "items", "TEXT", 1, "补课事项，每行一项（或以 ; 分隔）" },
     { "deadline", "DATE", 1, "完成期限（YYYY-MM-DD）" },
     { "reason", "TEXT", 1, "理由" }, );
STEP(done, "transition done", "一项补课完成：写明完成情况和佐证",
     WF_REMEDY_DONE, { "item", "N", 1, "补课事项编号（见 transition show）" },
     { "evidence", "TEXT", 1, "完成情况和佐证" }, );
STEP(extend, "transition extend", "延长本阶段期限（须写明理由，时间服从质量）",
     WF_EXTEND, { "until", "DATE", 1, "新的期限（YYYY-MM-DD）" },
     { "reason", "TEXT", 1, "延期的理由" }, );
STEP(summary, "transition summary", "最后一个阶段批准后提交总结，单位转为完成",
     WF_SUMMARIZE, { "report", "TEXT", 1, "总结" }, );

/* --- reading ------------------------------------------------------------ */

static void print_unit(const json_t *j)
{
	const json_t *x, *lb = json_object_get(j, "lookback");
	size_t i;

	printf("%s %s（%s）\n", cli_jstr(j, "code"), cli_jstr(j, "name"),
	       cli_jstr(j, "system"));
	cli_print_transition(j, "");
	printf("下一步：%s\n", cli_jstr(j, "next"));
	if (cli_jint(lb, "total") > 0)
		printf("\n回头看（已答 %lld/%lld）\n",
		       (long long)cli_jint(lb, "answered"),
		       (long long)cli_jint(lb, "total"));
	json_array_foreach(json_object_get(lb, "items"), i, x)
	{
		printf("  %s %s：%s\n",
		       json_is_string(json_object_get(x, "answer")) ? "✓" : "·",
		       cli_jstr(x, "id"), cli_jstr(x, "text"));
		if (json_is_string(json_object_get(x, "answer")))
			printf("      答（%s，%s）：%s\n", cli_jstr(x, "by"),
			       cli_jstr(x, "on"), cli_jstr(x, "answer"));
	}
	x = json_object_get(j, "selfcheck");
	if (json_is_object(x))
		printf("\n自查报告（%s）：%s\n", cli_jstr(x, "on"),
		       cli_jstr(x, "report"));
	if (json_array_size(json_object_get(j, "remedies")) > 0)
		printf("\n补课\n");
	json_array_foreach(json_object_get(j, "remedies"), i, x)
	{
		const json_t *d = json_object_get(x, "done");

		printf("  #%lld %s %s（期限 %s）", (long long)cli_jint(x, "id"),
		       json_is_true(json_object_get(x, "open")) ? "未完成"
		                                                : "已完成",
		       cli_jstr(x, "text"), cli_jstr(x, "deadline"));
		if (cli_jint(x, "overdue_days") > 0)
			printf("，已逾期 %lld 天",
			       (long long)cli_jint(x, "overdue_days"));
		if (json_is_object(d))
			printf("：%s（%s）", cli_jstr(d, "evidence"),
			       cli_jstr(d, "on"));
		printf("\n");
	}
	if (json_array_size(json_object_get(j, "allowed")) > 0)
		printf("\n现在可以：");
	json_array_foreach(json_object_get(j, "allowed"), i, x)
	{
		printf("%s%s (%s)", i ? "、" : "", cli_jstr(x, "name"),
		       cli_jstr(x, "action"));
	}
	printf("\n");
}

static const struct cli_opt show_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "as", "LOGIN", 0, "以该用户的角色和范围查看" },
	{ "today", "DATE", 0, "按某日计算期限和逾期（默认今天）" },
	{ "json", NULL, 0, "输出 JSON" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err show_run(const struct cli_args *a, struct xj_error *err)
{
	struct cli_wf r;
	json_t *j = NULL;
	enum xj_err e = cli_wf_begin(&cmd_transition_show, a, WF_ROLES_READ,
	                             a->pos[0], &r, err);

	if (e == XJ_OK)
		e = workflow_unit_json(&r.c, r.unit, &j, err);
	if (e == XJ_OK && cli_get(a, &cmd_transition_show, "json"))
		cli_print_json(j);
	else if (e == XJ_OK)
		print_unit(j);
	json_decref(j);
	cli_wf_end(&r);
	return e;
}

const struct cli_cmd cmd_transition_show = {
	.name = "transition show",
	.summary = "一个单位的转段状态：阶段、期限、回头看、补课、可办理的操作",
	.args = "UNIT",
	.opts = show_opts,
	.min_pos = 1,
	.max_pos = 1,
	.fn = show_run,
};

static enum xj_err history_run(const struct cli_args *a, struct xj_error *err)
{
	const json_t *x;
	struct cli_wf r;
	json_t *j = NULL;
	size_t i;
	enum xj_err e = cli_wf_begin(&cmd_transition_history, a, WF_ROLES_READ,
	                             a->pos[0], &r, err);

	if (e == XJ_OK)
		e = workflow_history_json(&r.c, r.unit, &j, err);
	if (e == XJ_OK && cli_get(a, &cmd_transition_history, "json"))
		cli_print_json(j);
	else if (e == XJ_OK)
		json_array_foreach(json_object_get(j, "history"), i, x)
		{
			const json_t *who = json_object_get(x, "actor");

			printf("%s %s %s：%s → %s（%s%s%s）%s%s\n",
			       cli_jstr(x, "on"), cli_jstr(x, "stage_name"),
			       cli_jstr(x, "action_name"),
			       cli_jstr(x, "from_name"), cli_jstr(x, "to_name"),
			       cli_jint(who, "id") ? cli_jstr(who, "login")
			                           : cli_jstr(who, "name"),
			       "，录入 ", cli_jstr(x, "at"),
			       cli_jstr(x, "reason")[0] ? "理由：" : "",
			       cli_jstr(x, "reason"));
		}
	json_decref(j);
	cli_wf_end(&r);
	return e;
}

const struct cli_cmd cmd_transition_history = {
	.name = "transition history",
	.summary = "一个单位转段的每一步：谁、哪天、为什么",
	.args = "UNIT",
	.opts = show_opts,
	.min_pos = 1,
	.max_pos = 1,
	.fn = history_run,
};

static void print_brief(const json_t *u, const char *extra)
{
	printf("  %-6s %s：%s·%s%s\n", cli_jstr(u, "code"), cli_jstr(u, "name"),
	       cli_jstr(json_object_get(u, "stage"), "name"),
	       cli_jstr(u, "state_name"), extra);
}

static void print_queue(const json_t *j)
{
	const json_t *q, *u, *x;
	size_t i, k, l;

	printf("%s 的待办（%s）：共 %lld 项\n", cli_jstr(j, "user"),
	       cli_jstr(j, "today"), (long long)cli_jint(j, "total"));
	if (json_array_size(json_object_get(j, "queues")) == 0)
		printf("（没有与转段有关的角色）\n");
	json_array_foreach(json_object_get(j, "queues"), i, q)
	{
		const char *role = cli_jstr(q, "role");

		if (strcmp(role, "office") == 0) {
			printf(
			    "\n先教办：待审批 %lld 个单位，逾期 %lld 个单位，"
			    "逾期补课 %lld 项\n",
			    (long long)cli_jint(q, "to_approve_count"),
			    (long long)cli_jint(q, "overdue_count"),
			    (long long)cli_jint(q, "overdue_remedies_count"));
			json_array_foreach(json_object_get(q, "to_approve"), k,
			                   u) print_brief(u, "");
			json_array_foreach(json_object_get(q, "overdue"), k, u)
			{
				char extra[64];

				snprintf(
				    extra, sizeof(extra), "，已逾期 %lld 天",
				    (long long)cli_jint(u, "overdue_days"));
				print_brief(u, extra);
			}
		} else if (strcmp(role, "supervisor") == 0) {
			printf("\n督导组（%s）：待验收 %lld 个单位\n",
			       cli_jstr(q, "system"),
			       (long long)cli_jint(q, "count"));
			json_array_foreach(json_object_get(q, "to_sign"), k, u)
			    print_brief(u, "");
		} else {
			printf("\n单位：待办 %lld 项（其中补课 %lld 项）\n",
			       (long long)cli_jint(q, "count"),
			       (long long)cli_jint(q, "open_remedies"));
			json_array_foreach(json_object_get(q, "units"), k, u)
			{
				char extra[300];

				snprintf(extra, sizeof(extra), "；下一步：%s",
				         cli_jstr(u, "next"));
				print_brief(u, extra);
				json_array_foreach(
				    json_object_get(u, "remedies"), l, x)
				{
					printf(
					    "      补课 #%lld：%s（期限 %s）\n",
					    (long long)cli_jint(x, "id"),
					    cli_jstr(x, "text"),
					    cli_jstr(x, "deadline"));
				}
			}
		}
	}
}

static const struct cli_opt queue_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "as", "LOGIN", 0, "看谁的待办（默认：系统操作员，即先教办的）" },
	{ "today", "DATE", 0, "按某日计算逾期（默认今天）" },
	{ "json", NULL, 0, "输出 JSON" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err queue_run(const struct cli_args *a, struct xj_error *err)
{
	struct cli_wf r;
	json_t *j = NULL;
	/* everyone has a queue, if only an empty one */
	enum xj_err e =
	    cli_wf_begin(&cmd_transition_queue, a, 0, NULL, &r, err);

	if (e == XJ_OK)
		e = workflow_queue_json(&r.c, &j, err);
	if (e == XJ_OK && cli_get(a, &cmd_transition_queue, "json"))
		cli_print_json(j);
	else if (e == XJ_OK)
		print_queue(j);
	json_decref(j);
	cli_wf_end(&r);
	return e;
}

const struct cli_cmd cmd_transition_queue = {
	.name = "transition queue",
	.summary = "待办：督导组待验收、先教办待审批和逾期、单位的补课和下一步",
	.args = "",
	.opts = queue_opts,
	.fn = queue_run,
};

static enum xj_err overdue_run(const struct cli_args *a, struct xj_error *err)
{
	const json_t *u;
	struct cli_wf r;
	json_t *j = NULL;
	size_t i;
	enum xj_err e = cli_wf_begin(&cmd_transition_overdue, a,
	                             WF_ROLES_OFFICE, NULL, &r, err);

	if (e == XJ_OK)
		e = workflow_overdue_json(&r.c, &j, err);
	if (e == XJ_OK && cli_get(a, &cmd_transition_overdue, "json")) {
		cli_print_json(j);
	} else if (e == XJ_OK) {
		printf("截至 %s：%lld 个单位逾期，%lld 项补课逾期\n",
		       cli_jstr(j, "today"),
		       (long long)cli_jint(j, "units_overdue"),
		       (long long)cli_jint(j, "remedies_overdue"));
		json_array_foreach(json_object_get(j, "units"), i, u)
		{
			char extra[96];

			snprintf(extra, sizeof(extra),
			         "，期限 %s，已逾期 %lld 天",
			         cli_jstr(u, "deadline"),
			         (long long)cli_jint(u, "overdue_days"));
			print_brief(u, extra);
		}
		json_array_foreach(json_object_get(j, "remedies"), i, u)
		{
			printf("  %-6s %s：补课 #%lld %s，期限 %s，已逾期 "
			       "%lld 天\n",
			       cli_jstr(u, "code"), cli_jstr(u, "name"),
			       (long long)cli_jint(u, "id"),
			       cli_jstr(u, "text"), cli_jstr(u, "deadline"),
			       (long long)cli_jint(u, "overdue_days"));
		}
	}
	json_decref(j);
	cli_wf_end(&r);
	return e;
}

const struct cli_cmd cmd_transition_overdue = {
	.name = "transition overdue",
	.summary = "逾期清单：超过本阶段期限的单位和超过期限的补课（只提醒，"
	           "不阻止）",
	.args = "",
	.opts = queue_opts,
	.fn = overdue_run,
};
