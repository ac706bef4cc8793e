/* xianjiao situation queue|review: the 情况反映 of 党委（党组）成员 and the
 * supervision group's review of them (DOMAIN.md §13, entry.h) */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/entry.h"
#include "xianjiao/store.h"

static const struct cli_opt queue_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "as", "LOGIN", 0, "以该用户（督导组、先教办）的范围列出" },
	{ "all", NULL, 0, "也列出已审查的" },
	{ "json", NULL, 0, "输出 JSON" },
	{ NULL, NULL, 0, NULL },
};

static int print_report(void *ctx, const struct report_row *r)
{
	json_t *arr = ctx;
	json_t *p = json_loads(r->payload, 0, NULL);

	if (arr != NULL) {
		json_array_append_new(
		    arr, json_pack("{s:I,s:I,s:s,s:s,s:s,s:o*,s:s,s:s,s:s}",
		                   "id", (json_int_t)r->id, "member_id",
		                   (json_int_t)r->member_id, "name", r->name,
		                   "seat", r->seat ? r->seat : "",
		                   "happened_on", r->happened_on, "payload", p,
		                   "comment", r->comment, "reviewer",
		                   r->reviewer, "reviewed_on", r->reviewed_on));
		return 0;
	}
	printf("%lld\t%s\t%s（%s）\t%s", (long long)r->id, r->happened_on,
	       r->name, r->seat ? r->seat : "",
	       json_string_value(json_object_get(p, "note"))
	           ? json_string_value(json_object_get(p, "note"))
	           : "");
	if (r->review_id)
		printf("\t已审查 %s %s：%s", r->reviewed_on, r->reviewer,
		       r->comment);
	printf("\n");
	json_decref(p);
	return 0;
}

static enum xj_err queue_run(const struct cli_args *a, struct xj_error *err)
{
	const struct cli_cmd *c = &cmd_situation_queue;
	json_t *arr = cli_get(a, c, "json") ? json_array() : NULL;
	int64_t user;
	unsigned mask;
	struct store *st;
	enum xj_err e = cli_open_db(a, c, &st, err);

	if (e != XJ_OK) {
		json_decref(arr);
		return e;
	}
	e = cli_as_user(st, cli_get(a, c, "as"), &user, &mask, err);
	if (e == XJ_OK && user != 0)
		mask &= ROLE_BIT(ROLE_OFFICE) | ROLE_BIT(ROLE_SUPERVISOR);
	if (e == XJ_OK && user != 0 && mask == 0)
		e = xj_error_field(err, XJ_EFORBIDDEN, "as",
		                   "用户 %s 不是督导组或先教办",
		                   cli_get(a, c, "as"));
	if (e == XJ_OK)
		e = store_reports(st, ENTRY_REPORT_KIND, ENTRY_REPORT_ITEM,
		                  user, mask, cli_get(a, c, "all") == NULL, 0,
		                  print_report, arr, err);
	if (e == XJ_OK && arr != NULL)
		cli_print_json(arr);
	json_decref(arr);
	store_close(st);
	return e;
}

const struct cli_cmd cmd_situation_queue = {
	.name = "situation queue",
	.summary =
	    "党委（党组）成员的情况反映：等待督导组审查的（--all 含已审查的）",
	.args = "",
	.opts = queue_opts,
	.fn = queue_run,
};

static const struct cli_opt review_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "as", "LOGIN", 1, "审查的督导组成员（按其范围检查）" },
	{ "comment", "TEXT", 1, "审查意见" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err review_op(struct store *st, const struct cli_args *a,
                             struct xj_error *err)
{
	const struct cli_cmd *c = &cmd_situation_review;
	int64_t id, user, rid;
	unsigned mask;
	enum xj_err e;

	if (util_parse_int(a->pos[0], 1, INT64_MAX, &id, "ID", err) != XJ_OK)
		return XJ_EUSAGE;
	e = cli_as_user(st, cli_get(a, c, "as"), &user, &mask, err);
	if (e != XJ_OK)
		return e;
	mask &= ROLE_BIT(ROLE_SUPERVISOR);
	if (mask == 0)
		return xj_error_field(
		    err, XJ_EFORBIDDEN, "as",
		    "情况反映由督导组审查：用户 %s 不是督导组",
		    cli_get(a, c, "as"));
	store_set_actor(st, user);
	e = entry_report_review(st, id, user, mask, cli_get(a, c, "comment"),
	                        date_beijing(time(NULL)), &rid, err);
	if (e == XJ_OK)
		printf("已审查情况反映 %lld\n", (long long)id);
	return e;
}

static enum xj_err review_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_situation_review, a, review_op, err);
}

const struct cli_cmd cmd_situation_review = {
	.name = "situation review",
	.summary =
	    "督导组审查一份党委（党组）成员的情况反映（一次，须写审查意见）",
	.args = "ID",
	.opts = review_opts,
	.min_pos = 1,
	.max_pos = 1,
	.fn = review_run,
};
