/*
 * xianjiao opinion add|list|classify|publish|feedback|stats: opinion
 * solicitation (征求意见, DOMAIN.md §6). With --as LOGIN a command acts
 * as that user, within the scope of the user's roles, as the HTTP API
 * would; without it the operator at the command line acts as the office.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/opinion.h"
#include "xianjiao/store.h"

/* The roles that enter and handle opinions (the HTTP routes' roles). */
#define HANDLER_ROLES                                                          \
	(ROLE_BIT(ROLE_OFFICE) | ROLE_BIT(ROLE_UNIT) | ROLE_BIT(ROLE_SECRETARY))

/* A writer acting --as: must hold a handling role. */
static enum xj_err as_handler(struct store *st, const char *login,
                              int64_t *user, unsigned *mask,
                              struct xj_error *err)
{
	enum xj_err e = cli_as_user(st, login, user, mask, err);

	if (e != XJ_OK)
		return e;
	*mask &= HANDLER_ROLES;
	if (*mask == 0)
		return xj_error_field(err, XJ_EFORBIDDEN, "as",
		                      "用户 %s 无权录入或处理意见", login);
	store_set_actor(st, *user);
	return XJ_OK;
}

static enum xj_err org_code(struct store *st, const char *code,
                            const char *field, int64_t *id,
                            struct xj_error *err)
{
	enum xj_err e = store_org_by_code(st, code, id, err);

	if (e == XJ_OK && *id == 0)
		return xj_error_field(err, XJ_ENOTFOUND, field,
		                      "没有组织代码为 %s 的组织", code);
	return e;
}

static enum xj_err member_idnum(struct store *st, const char *idnum,
                                const char *field, int64_t *id,
                                struct xj_error *err)
{
	struct member_row m;
	int found = 0;
	enum xj_err e = store_member_by_idnum(st, idnum, &m, &found, err);

	if (e == XJ_OK && !found)
		return xj_error_field(err, XJ_ENOTFOUND, field,
		                      "没有身份证号码为 %s 的党员", idnum);
	*id = m.m.id;
	return e;
}

static enum xj_err date_opt(const char *s, const char *field, int32_t *d,
                            struct xj_error *err)
{
	if (s == NULL) {
		*d = date_beijing(time(NULL));
		return XJ_OK;
	}
	return date_parse(s, d, field, err);
}

/* In the scope of user (0: the operator) through mask, as the router's
 * check: outside it the object "does not exist". */
static enum xj_err in_scope(struct store *st, int64_t user, unsigned mask,
                            int64_t org, int64_t member, const char *field,
                            struct xj_error *err)
{
	int in = 1;
	enum xj_err e = XJ_OK;

	if (user == 0)
		return XJ_OK;
	if (member != 0)
		e = store_scope_member(st, user, mask, member, &in, err);
	else if (org != 0)
		e = store_scope_org(st, user, mask, org, &in, err);
	if (e == XJ_OK && !in)
		e = xj_error_field(err, XJ_ENOTFOUND, field,
		                   "%s不存在或不在您的管理范围内",
		                   member ? "党员" : "组织");
	return e;
}

static const struct cli_opt add_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "org", "CODE", 1, "征求意见的组织（组织代码）" },
	{ "channel", "CHANNEL", 1,
	  "渠道：座谈会 征求意见函 征求意见表 意见箱 热线电话 电子邮箱 "
	  "个别交谈 网络" },
	{ "target", "KIND", 1,
	  "意见对象：组织 领导班子 班子成员 支部 支部负责人 支部成员 党员" },
	{ "target-org", "CODE", 0, "对组织、领导班子、支部的意见：其组织代码" },
	{ "target-member", "ID", 0, "对个人的意见：其身份证号码" },
	{ "anonymous", NULL, 0, "匿名意见（不记录提意见人）" },
	{ "giver", "NAME", 0, "记名意见的提意见人（不向被提意见人透露）" },
	{ "contact", "TEXT", 0, "提意见人的联系方式" },
	{ "text", "TEXT", 1, "意见内容" },
	{ "date", "DATE", 1, "收到意见的日期 YYYY-MM-DD" },
	{ "stage", "STAGE", 0, "阶段：学习动员（默认）或分析评议" },
	{ "corrects", "ID", 0, "更正编号为 ID 的意见" },
	{ "as", "LOGIN", 0, "以该用户的身份和范围录入" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err enum_opt(const char *s, int v, const char *field,
                            const char *what, struct xj_error *err)
{
	if (v < 0)
		return xj_error_field(err, XJ_EINVAL, field, "未知的%s：%s",
		                      what, s);
	return XJ_OK;
}

static enum xj_err add_op(struct store *st, const struct cli_args *a,
                          struct xj_error *err)
{
	const struct cli_cmd *c = &cmd_opinion_add;
	const char *torg = cli_get(a, c, "target-org");
	const char *tmem = cli_get(a, c, "target-member");
	const char *stage = cli_get(a, c, "stage");
	const char *corr = cli_get(a, c, "corrects");
	struct opinion_in in;
	int64_t user, id = 0;
	unsigned mask;
	enum xj_err e;

	memset(&in, 0, sizeof(in));
	e = as_handler(st, cli_get(a, c, "as"), &user, &mask, err);
	in.channel = opinion_channel_parse(cli_get(a, c, "channel"));
	in.target = opinion_target_parse(cli_get(a, c, "target"));
	in.stage = stage ? opinion_stage_parse(stage) : OPS_LEARN;
	if (e == XJ_OK)
		e = enum_opt(cli_get(a, c, "channel"), in.channel, "channel",
		             "征求意见渠道", err);
	if (e == XJ_OK)
		e = enum_opt(cli_get(a, c, "target"), in.target, "target",
		             "意见对象", err);
	if (e == XJ_OK)
		e = enum_opt(stage, in.stage, "stage", "阶段", err);
	if (e == XJ_OK)
		e = date_parse(cli_get(a, c, "date"), &in.received_on, "date",
		               err);
	if (e == XJ_OK)
		e = org_code(st, cli_get(a, c, "org"), "org", &in.org_id, err);
	if (e == XJ_OK && torg != NULL)
		e = org_code(st, torg, "target-org", &in.target_org_id, err);
	if (e == XJ_OK && tmem != NULL)
		e = member_idnum(st, tmem, "target-member",
		                 &in.target_member_id, err);
	if (e == XJ_OK && corr != NULL)
		e = util_parse_int(corr, 1, INT64_MAX, &in.supersedes,
		                   "corrects", err);
	if (e == XJ_OK)
		e = in_scope(st, user, mask, in.org_id, 0, "org", err);
	if (e == XJ_OK)
		e = in_scope(st, user, mask, in.target_org_id,
		             in.target_member_id, "target", err);
	if (e != XJ_OK)
		return e;
	in.anonymous = cli_get(a, c, "anonymous") != NULL;
	in.giver_name = cli_get(a, c, "giver");
	in.giver_contact = cli_get(a, c, "contact");
	in.text = cli_get(a, c, "text");
	e = opinion_add(st, &in, &id, err);
	if (e == XJ_OK)
		printf("已录入意见 %lld%s\n", (long long)id,
		       in.supersedes ? "（更正）" : "");
	return e;
}

static enum xj_err add_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_opinion_add, a, add_op, err);
}

const struct cli_cmd cmd_opinion_add = {
	.name = "opinion add",
	.summary = "录入一条征求到的意见（匿名意见不记录提意见人）",
	.args = "",
	.opts = add_opts,
	.min_pos = 0,
	.max_pos = 0,
	.fn = add_run,
};

/* --- the steps on one opinion -------------------------------------- */

/* ID (positional) visible to --as through the handling roles. */
static enum xj_err step_begin(struct store *st, const struct cli_args *a,
                              const struct cli_cmd *c, int64_t *id, int32_t *on,
                              struct xj_error *err)
{
	int64_t user;
	unsigned mask;
	int in = 1;
	enum xj_err e = util_parse_int(a->pos[0], 1, INT64_MAX, id, "ID", err);

	if (e == XJ_OK)
		e = as_handler(st, cli_get(a, c, "as"), &user, &mask, err);
	if (e == XJ_OK)
		e = date_opt(cli_get(a, c, "date"), "date", on, err);
	if (e == XJ_OK && user != 0)
		e = store_opinion_visible(st, user, mask, *id, &in, err);
	if (e == XJ_OK && !in)
		e = xj_error_field(err, XJ_ENOTFOUND, "id",
		                   "意见不存在 (编号 %lld)", (long long)*id);
	return e;
}

static const struct cli_opt classify_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "category", "KIND", 1,
	  "问题类别：党员和党组织自身存在的突出问题 "
	  "党风政风行风方面的突出问题 影响改革发展稳定的突出问题 "
	  "涉及群众切身利益的突出问题" },
	{ "dimension", "DIM", 0, "意见方面：理想信念 工作学习 工作作风" },
	{ "date", "DATE", 0, "日期（默认今天）" },
	{ "as", "LOGIN", 0, "以该用户的身份和范围处理" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err classify_op(struct store *st, const struct cli_args *a,
                               struct xj_error *err)
{
	const struct cli_cmd *c = &cmd_opinion_classify;
	const char *cat = cli_get(a, c, "category");
	const char *dim = cli_get(a, c, "dimension");
	int k = opinion_category_parse(cat);
	int d = dim ? opinion_dimension_parse(dim) : -1;
	int64_t id;
	int32_t on;
	enum xj_err e = step_begin(st, a, c, &id, &on, err);

	if (e == XJ_OK)
		e = enum_opt(cat, k, "category", "问题类别", err);
	if (e == XJ_OK && dim != NULL)
		e = enum_opt(dim, d, "dimension", "意见方面", err);
	if (e == XJ_OK)
		e = opinion_classify(st, id, k, d, on, err);
	if (e == XJ_OK)
		printf("意见 %lld 已归类：%s\n", (long long)id,
		       opinion_category_name(k));
	return e;
}

static enum xj_err classify_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_opinion_classify, a, classify_op, err);
}

const struct cli_cmd cmd_opinion_classify = {
	.name = "opinion classify",
	.summary = "给意见归类（问题类别，可注明意见方面）",
	.args = "ID",
	.opts = classify_opts,
	.min_pos = 1,
	.max_pos = 1,
	.fn = classify_run,
};

static const struct cli_opt publish_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "form", "TEXT", 0, "公布形式，如 会议通报、公示栏" },
	{ "date", "DATE", 0, "公布日期（默认今天）" },
	{ "as", "LOGIN", 0, "以该用户的身份和范围处理" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err publish_op(struct store *st, const struct cli_args *a,
                              struct xj_error *err)
{
	const struct cli_cmd *c = &cmd_opinion_publish;
	int64_t id;
	int32_t on;
	enum xj_err e = step_begin(st, a, c, &id, &on, err);

	if (e == XJ_OK)
		e = opinion_publish(st, id, cli_get(a, c, "form"), on, err);
	if (e == XJ_OK)
		printf("意见 %lld 已公布\n", (long long)id);
	return e;
}

static enum xj_err publish_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_opinion_publish, a, publish_op, err);
}

const struct cli_cmd cmd_opinion_publish = {
	.name = "opinion publish",
	.summary = "公布对组织的意见（本组织党员可见）",
	.args = "ID",
	.opts = publish_opts,
	.min_pos = 1,
	.max_pos = 1,
	.fn = publish_run,
};

static const struct cli_opt feedback_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "note", "TEXT", 0, "说明，如 结合谈心反馈" },
	{ "date", "DATE", 0, "反馈日期（默认今天）" },
	{ "as", "LOGIN", 0, "反馈人（以该用户的身份和范围处理）" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err feedback_op(struct store *st, const struct cli_args *a,
                               struct xj_error *err)
{
	const struct cli_cmd *c = &cmd_opinion_feedback;
	int64_t id;
	int32_t on;
	enum xj_err e = step_begin(st, a, c, &id, &on, err);

	if (e == XJ_OK)
		e = opinion_feedback(st, id, cli_get(a, c, "note"), on, err);
	if (e == XJ_OK)
		printf("意见 %lld 已向本人反馈\n", (long long)id);
	return e;
}

static enum xj_err feedback_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_opinion_feedback, a, feedback_op, err);
}

const struct cli_cmd cmd_opinion_feedback = {
	.name = "opinion feedback",
	.summary = "记录对个人的意见已向本人如实反馈（谁、何时）",
	.args = "ID",
	.opts = feedback_opts,
	.min_pos = 1,
	.max_pos = 1,
	.fn = feedback_run,
};

/* --- reading --------------------------------------------------------- */

static int print_opinion(void *ctx, const struct opinion_row *o)
{
	char day[DATE_STR_LEN];

	(void)ctx;
	date_format(o->received_on, day);
	printf("%lld\t%s\t%s\t%s：%s\t%s\t%s", (long long)o->id, day,
	       opinion_channel_name(o->channel),
	       opinion_target_name(o->target_kind), o->target_name,
	       opinion_stage_name(o->stage), o->anonymous ? "匿名" : "记名");
	if (o->giver_name[0])
		printf("（%s%s%s）", o->giver_name,
		       o->giver_contact[0] ? " " : "", o->giver_contact);
	printf("\t%s", o->category >= 0 ? opinion_category_name(o->category)
	                                : "未归类");
	if (o->published_on) {
		date_format(o->published_on, day);
		printf("\t已公布 %s", day);
	}
	if (o->feedback_on) {
		date_format(o->feedback_on, day);
		printf("\t已反馈 %s%s%s", day, o->feedback_by[0] ? " " : "",
		       o->feedback_by);
	}
	printf("\n\t%s\n", o->text);
	return 0;
}

static const struct cli_opt list_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "org", "CODE", 0, "只列该组织及其下级的意见" },
	{ "member", "ID", 0, "只列对该党员（身份证号码）的意见" },
	{ "published", NULL, 0, "列出 --as 用户所在组织已公布的意见" },
	{ "as", "LOGIN", 0, "以该用户能看到的为限" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err list_op(struct store *st, const struct cli_args *a,
                           struct xj_error *err)
{
	const struct cli_cmd *c = &cmd_opinion_list;
	const char *org = cli_get(a, c, "org");
	const char *mem = cli_get(a, c, "member");
	int64_t user, org_id = 0, member_id = 0;
	unsigned mask;
	enum xj_err e = cli_as_user(st, cli_get(a, c, "as"), &user, &mask, err);

	if (e == XJ_OK && org != NULL)
		e = org_code(st, org, "org", &org_id, err);
	if (e == XJ_OK && mem != NULL)
		e = member_idnum(st, mem, "member", &member_id, err);
	if (e != XJ_OK)
		return e;
	if (cli_get(a, c, "published") != NULL)
		return store_opinions_published(st, user, print_opinion, NULL,
		                                err);
	return store_opinions_list(st, user, mask, org_id, member_id,
	                           print_opinion, NULL, err);
}

static enum xj_err list_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_opinion_list, a, list_op, err);
}

const struct cli_cmd cmd_opinion_list = {
	.name = "opinion list",
	.summary = "列出意见（对个人的意见只有反馈后本人可见，提意见人不"
	           "向本人透露）",
	.args = "",
	.opts = list_opts,
	.min_pos = 0,
	.max_pos = 0,
	.fn = list_run,
};

static const struct cli_opt stats_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "org", "CODE", 1, "统计该组织及其下级" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err stats_op(struct store *st, const struct cli_args *a,
                            struct xj_error *err)
{
	struct opinion_stats s;
	int64_t org;
	int i, k;
	enum xj_err e = org_code(st, cli_get(a, &cmd_opinion_stats, "org"),
	                         "org", &org, err);

	if (e == XJ_OK)
		e = opinion_stats(st, org, &s, err);
	if (e != XJ_OK)
		return e;
	printf("意见合计 %lld 条：已归类 %lld，已公布 %lld，已反馈 %lld\n",
	       (long long)s.total, (long long)s.classified,
	       (long long)s.published, (long long)s.fed_back);
	printf("按渠道：");
	for (i = 0; i < OPC__MAX; i++)
		printf("%s %lld%s", opinion_channel_name(i),
		       (long long)s.channel[i], i + 1 < OPC__MAX ? "，" : "\n");
	printf("按对象：");
	for (i = 0; i < OPT__MAX; i++)
		printf("%s %lld%s", opinion_target_name(i),
		       (long long)s.target[i], i + 1 < OPT__MAX ? "，" : "\n");
	printf("按阶段：");
	for (i = 0; i < OPS__MAX; i++)
		printf("%s %lld%s", opinion_stage_name(i),
		       (long long)s.stage[i], i + 1 < OPS__MAX ? "，" : "\n");
	for (i = 0; i < s.nunits; i++) {
		printf("%s\t%lld",
		       s.units[i].unit_id ? s.units[i].name : "（单位以上）",
		       (long long)s.units[i].count);
		for (k = 0; k < OPT__MAX; k++)
			if (s.units[i].target[k])
				printf("\t%s %lld", opinion_target_name(k),
				       (long long)s.units[i].target[k]);
		printf("\n");
	}
	opinion_stats_release(&s);
	return XJ_OK;
}

static enum xj_err stats_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_opinion_stats, a, stats_op, err);
}

const struct cli_cmd cmd_opinion_stats = {
	.name = "opinion stats",
	.summary = "意见统计：按单位、渠道、对象、阶段",
	.args = "",
	.opts = stats_opts,
	.min_pos = 0,
	.max_pos = 0,
	.fn = stats_run,
};
