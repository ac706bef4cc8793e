/* xianjiao escalation: where each member stands on the plan's escalation
 * ladders (佩戴党徽 inspections, DOMAIN.md §12.3) */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "xianjiao/engine.h"
#include "xianjiao/plan.h"
#include "xianjiao/store.h"

static const struct cli_opt opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "org", "CODE", 0, "单位或支部的组织代码：列出处于各级的党员" },
	{ "member", "ID", 0, "一名党员的身份证号码：他处于哪一级" },
	{ "json", NULL, 0, "输出 JSON" },
	{ NULL, NULL, 0, NULL },
};

static void print_org(const json_t *kinds)
{
	const json_t *k, *l, *m;
	size_t i, j, n;

	json_array_foreach(kinds, i, k)
	{
		printf("%s（%s 为“%s”的次数）\n", cli_jstr(k, "name"),
		       cli_jstr(k, "field"), cli_jstr(k, "value"));
		json_array_foreach(json_object_get(k, "levels"), j, l)
		{
			const json_t *ms = json_object_get(l, "members");

			printf("  发现 %lld 次%s：%s（%zu 人）\n",
			       (long long)json_integer_value(
			           json_object_get(l, "level")),
			       j + 1 == json_array_size(
			                    json_object_get(k, "levels"))
			           ? "及以上"
			           : "",
			       cli_jstr(l, "step"), json_array_size(ms));
			json_array_foreach(ms, n, m)
			    printf("    %s（%lld 次）\n", cli_jstr(m, "name"),
			           (long long)json_integer_value(
			               json_object_get(m, "count")));
		}
	}
	if (json_array_size(kinds) == 0)
		printf("方案中没有设定逐次升级的处理（escalation）\n");
}

static void print_member(const json_t *kinds)
{
	const json_t *k;
	size_t i;

	json_array_foreach(kinds, i, k)
	{
		printf(
		    "%s：%lld 次", cli_jstr(k, "name"),
		    (long long)json_integer_value(json_object_get(k, "count")));
		if (json_integer_value(json_object_get(k, "level")) > 0)
			printf("，当前：%s", cli_jstr(k, "step"));
		printf("\n");
	}
	if (json_array_size(kinds) == 0)
		printf("方案中没有设定逐次升级的处理（escalation）\n");
}

static enum xj_err run(const struct cli_args *a, struct xj_error *err)
{
	const struct cli_cmd *c = &cmd_escalation;
	const char *org = cli_get(a, c, "org");
	const char *member = cli_get(a, c, "member");
	int64_t org_id = 0, member_id = 0;
	struct member_row m;
	struct plan *p = NULL;
	struct store *st;
	json_t *j = NULL;
	int found;
	enum xj_err e;

	if ((org == NULL) == (member == NULL))
		return xj_error_set(err, XJ_EUSAGE,
		                    "须给出 --org 或 --member 二者之一");
	e = cli_open_db(a, c, &st, err);
	if (e != XJ_OK)
		return e;
	e = engine_plan_in_force(st, &p, err);
	if (e == XJ_OK && org != NULL) {
		e = store_org_by_code(st, org, &org_id, err);
		if (e == XJ_OK && org_id == 0)
			e = xj_error_field(err, XJ_ENOTFOUND, "org",
			                   "没有组织代码为 %s 的组织", org);
	}
	if (e == XJ_OK && member != NULL) {
		e = store_member_by_idnum(st, member, &m, &found, err);
		if (e == XJ_OK && !found)
			e = xj_error_field(err, XJ_ENOTFOUND, "member",
			                   "没有身份证号码为 %s 的党员",
			                   member);
		member_id = m.m.id;
	}
	if (e == XJ_OK)
		e = eng_escalations_json(st, p, org_id, member_id, &j, err);
	if (e == XJ_OK) {
		if (cli_get(a, c, "json"))
			cli_print_json(j);
		else if (member_id)
			print_member(j);
		else
			print_org(j);
	}
	json_decref(j);
	plan_free(p);
	store_close(st);
	return e;
}

const struct cli_cmd cmd_escalation = {
	.name = "escalation",
	.summary =
	    "逐次升级的处理（如佩戴党徽检查：发现一次当场指出、两次批评、"
	    "三次警告并通报）：各级有哪些党员，或一名党员处于哪一级",
	.args = "",
	.opts = opts,
	.fn = run,
};
