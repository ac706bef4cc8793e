/*
 * xianjiao demo --db FILE [--force] [--seed N]: create a fresh database
 * holding the demonstration campaign of include/xianjiao/demo.h.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "xianjiao/alloc.h"
#include "xianjiao/core.h"
#include "xianjiao/demo.h"
#include "xianjiao/plan.h"
#include "xianjiao/store.h"

static const struct cli_opt opts[] = {
	{ "db", "FILE", 1, "要创建的 SQLite 数据库文件" },
	{ "force", NULL, 0, "文件已存在时删除并重新创建" },
	{ "plan", "FILE", 0, "方案文件（默认 plans/2005-xianjiao.yaml）" },
	{ "seed", "N", 0,
	  "随机种子（非负整数，默认 2005）；种子相同，数据相同" },
	{ NULL, NULL, 0, NULL },
};

static void print_summary(const char *path, const struct demo_summary *s)
{
	int c;

	printf("已生成示范活动: %d 个系统, %d 个单位, %d 名党员"
	       "（随机种子 %llu）\n",
	       s->systems, s->units, s->members, (unsigned long long)s->seed);
	printf("  活动: %s，%d 个批次，全部单位参加第一批\n",
	       DEMO_CAMPAIGN_NAME, s->batches);
	printf("  组织: 共 %d 个，其中领导班子 %d 个、党总支 %d 个、"
	       "党支部 %d 个（离退休党支部 %d 个，两新组织党支部 %d 个，"
	       "软弱涣散 %d 个）\n",
	       s->orgs, s->leadership_bodies, s->general_branches, s->branches,
	       s->retiree_branches, s->new_org_branches, s->weak_orgs);
	printf("  党员: 预备党员 %d 名，领导班子成员 %d 人\n", s->probationary,
	       s->seats);
	printf("  人员类别:");
	for (c = 0; c < MCAT__MAX; c++)
		printf("%s %s %d", c ? "," : "",
		       member_category_name((enum member_category)c),
		       s->category[c]);
	printf("\n  流动党员: 外出不足半年 %d 名，半年以上 %d 名\n",
	       s->mobile_short, s->mobile_long);
	printf("  数据库: %s\n", path);
}

/* The demo runs on 127.0.0.1 for a visitor to look around; its shared
 * password is printed, and XJ_DEMO_PASSWORD replaces it. */
#define DEMO_PASSWORD "xianjiao2005"

static enum xj_err run(const struct cli_args *a, struct xj_error *err)
{
	const char *path = cli_get(a, &cmd_demo, "db");
	const char *seed_arg = cli_get(a, &cmd_demo, "seed");
	const char *pw = getenv("XJ_DEMO_PASSWORD");
	const char *plan_path = cli_get(a, &cmd_demo, "plan");
	struct demo_summary sum;
	struct demo_records_summary rsum;
	struct plan *plan = NULL;
	char *plan_text = NULL;
	struct store *st;
	int64_t seed = DEMO_SEED_DEFAULT;
	enum xj_err rc;
	int i;

	if (seed_arg != NULL) {
		rc = util_parse_int(seed_arg, 0, INT64_MAX, &seed, "seed", err);
		if (rc != XJ_OK) {
			/* A malformed option value is a usage error. */
			if (err != NULL)
				err->code = XJ_EUSAGE;
			return XJ_EUSAGE;
		}
	}
	if (plan_path == NULL)
		plan_path = "plans/2005-xianjiao.yaml";
	if (pw == NULL || pw[0] == '\0')
		pw = DEMO_PASSWORD;
	rc = cli_create_db(path, cli_get(a, &cmd_demo, "force") != NULL, &st,
	                   err);
	if (rc != XJ_OK)
		return rc;
	rc = cli_read_plan(plan_path, &plan_text, &plan, err);
	if (rc == XJ_OK)
		rc = demo_generate(st, (uint64_t)seed, &sum, err);
	if (rc == XJ_OK)
		rc = demo_generate_records(st, sum.campaign_id, plan_text,
		                           (uint64_t)seed, &rsum, err);
	if (rc == XJ_OK)
		rc = demo_create_accounts(st, pw, err);
	store_close(st);
	plan_free(plan);
	free(plan_text);
	if (rc != XJ_OK)
		return rc;
	print_summary(path, &sum);
	printf("  方案: %s；学习动员阶段的记录截至 %s: %d 条（其中更正 %d "
	       "条，迟录一周以上 %d 条）\n",
	       plan_path, DEMO_TODAY, rsum.records, rsum.corrections,
	       rsum.late);
	printf("示范账户（密码均为 %s，仅供本机演示）:\n", pw);
	for (i = 0; i < DEMO_ACCOUNTS; i++)
		printf("  %-10s %s\n", demo_accounts[i].login,
		       role_name(demo_accounts[i].role));
	return XJ_OK;
}

const struct cli_cmd cmd_demo = {
	.name = "demo",
	.summary = "创建新数据库并生成示范活动数据（107 个单位、3679 名党员）",
	.args = "",
	.opts = opts,
	.min_pos = 0,
	.max_pos = 0,
	.fn = run,
};
