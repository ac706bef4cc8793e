/* xianjiao record add|correct|list: entering and reading records */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/engine.h"
#include "xianjiao/entry.h"
#include "xianjiao/plan.h"
#include "xianjiao/store.h"
#include "xianjiao/table.h"

static enum xj_err member_by_idnum(struct store *st, const char *idnum,
                                   int64_t *id, struct xj_error *err)
{
	struct member_row m;
	int found;
	enum xj_err e = store_member_by_idnum(st, idnum, &m, &found, err);

	if (e == XJ_OK && !found)
		return xj_error_field(err, XJ_ENOTFOUND, "member",
		                      "没有身份证号码为 %s 的党员", idnum);
	*id = m.m.id;
	return e;
}

static enum xj_err org_by_code(struct store *st, const char *code, int64_t *id,
                               struct xj_error *err)
{
	enum xj_err e = store_org_by_code(st, code, id, err);

	if (e == XJ_OK && *id == 0)
		return xj_error_field(err, XJ_ENOTFOUND, "org",
		                      "没有组织代码为 %s 的组织", code);
	return e;
}

static enum xj_err append(struct store *st, const struct entry *in,
                          struct xj_error *err)
{
	struct entry_result res;
	struct plan *p;
	time_t now = time(NULL);
	enum xj_err e = engine_plan_in_force(st, &p, err);

	if (e != XJ_OK)
		return e;
	e = entry_add(st, p, in, date_beijing(now), now, 0, &res, err);
	plan_free(p);
	if (e != XJ_OK)
		return e;
	printf("已录入记录 %lld%s\n", (long long)res.id,
	       in->supersedes ? "（更正）" : "");
	if (res.note[0])
		printf("  注意：%s\n", res.note);
	return XJ_OK;
}

static const struct cli_opt add_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "member", "ID", 0, "党员个人的记录：党员的身份证号码" },
	{ "org", "CODE", 0, "组织的记录：组织代码" },
	{ "date", "DATE", 1, "活动日期 YYYY-MM-DD" },
	{ "data", "JSON", 0, "记录内容，方案规定的字段，如 {\"hours\":8}" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err add_op(struct store *st, const struct cli_args *a,
                          struct xj_error *err)
{
	const struct cli_cmd *c = &cmd_record_add;
	const char *member = cli_get(a, c, "member");
	const char *org = cli_get(a, c, "org");
	const char *data = cli_get(a, c, "data");
	struct entry in;
	enum xj_err e = XJ_OK;

	memset(&in, 0, sizeof(in));
	in.kind = a->pos[0];
	in.payload = data ? data : "{}";
	if (date_parse(cli_get(a, c, "date"), &in.happened_on, "--date", err) !=
	    XJ_OK)
		return XJ_EUSAGE;
	if (member != NULL)
		e = member_by_idnum(st, member, &in.member_id, err);
	if (e == XJ_OK && org != NULL)
		e = org_by_code(st, org, &in.org_id, err);
	if (e == XJ_OK)
		e = append(st, &in, err);
	return e;
}

static enum xj_err add_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_record_add, a, add_op, err);
}

const struct cli_cmd cmd_record_add = {
	.name = "record add",
	.summary =
	    "录入一条记录（按方案检查，迟于阶段截止日期的照常计入并提示）",
	.args = "KIND",
	.opts = add_opts,
	.min_pos = 1,
	.max_pos = 1,
	.fn = add_run,
};

struct original {
	char kind[PLAN_ID_MAX * 2];
	int64_t org_id, member_id;
	int32_t happened_on;
};

static int take_original(void *ctx, const struct scan_record *r)
{
	struct original *o = ctx;

	snprintf(o->kind, sizeof(o->kind), "%s", r->kind);
	o->org_id = r->org_id;
	o->member_id = r->member_id;
	o->happened_on = r->happened_on;
	return 1;
}

static const struct cli_opt correct_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "data", "JSON", 0, "更正后的完整记录内容" },
	{ "date", "DATE", 0, "更正后的活动日期（默认不变）" },
	{ "void", NULL, 0, "撤销原记录（如重复录入）" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err correct_op(struct store *st, const struct cli_args *a,
                              struct xj_error *err)
{
	const struct cli_cmd *c = &cmd_record_correct;
	const char *data = cli_get(a, c, "data");
	const char *date = cli_get(a, c, "date");
	int voiding = cli_get(a, c, "void") != NULL;
	struct original o;
	struct entry in;
	int64_t id;
	int found;
	enum xj_err e;

	if (util_parse_int(a->pos[0], 1, INT64_MAX, &id, "ID", err) != XJ_OK)
		return XJ_EUSAGE;
	if ((data == NULL) == !voiding)
		return xj_error_set(err, XJ_EUSAGE,
		                    "须给出 --data（更正内容）或 --void（撤销）"
		                    "二者之一");
	e = store_record_get(st, id, take_original, &o, &found, err);
	if (e != XJ_OK)
		return e;
	if (!found)
		return xj_error_field(err, XJ_ENOTFOUND, "ID",
		                      "没有编号为 %lld 的记录", (long long)id);
	memset(&in, 0, sizeof(in));
	in.kind = o.kind;
	in.member_id = o.member_id;
	in.org_id = o.member_id ? 0 : o.org_id;
	in.happened_on = o.happened_on;
	in.supersedes = id;
	in.payload = voiding ? "{\"voided\":true}" : data;
	if (date != NULL &&
	    date_parse(date, &in.happened_on, "--date", err) != XJ_OK)
		return XJ_EUSAGE;
	return append(st, &in, err);
}

static enum xj_err correct_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_record_correct, a, correct_op, err);
}

const struct cli_cmd cmd_record_correct = {
	.name = "record correct",
	.summary = "更正或撤销一条记录（原记录保留，新记录取代它）",
	.args = "ID",
	.opts = correct_opts,
	.min_pos = 1,
	.max_pos = 1,
	.fn = correct_run,
};

static const struct cli_opt list_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "kind", "KIND", 0, "只列某类记录" },
	{ "member", "ID", 0, "只列某党员的记录（身份证号码）" },
	{ "org", "CODE", 0, "只列某组织及其下级的记录" },
	{ "all", NULL, 0, "也列出已被更正的记录" },
	{ "limit", "N", 0, "最多列出条数（默认 50）" },
	{ "json", NULL, 0, "输出 JSON" },
	{ NULL, NULL, 0, NULL },
};

static int print_record(void *ctx, const struct scan_record *r)
{
	json_t *arr = ctx;
	char day[DATE_STR_LEN], at[TIMESTAMP_STR_LEN];
	json_error_t je;
	json_t *payload;

	date_format(r->happened_on, day);
	timestamp_format(r->entered_at, at);
	if (arr == NULL) {
		printf("%lld\t%s\t%s\t组织 %lld\t党员 %lld\t%s",
		       (long long)r->id, r->kind, day, (long long)r->org_id,
		       (long long)r->member_id, r->payload);
		if (r->supersedes)
			printf("\t更正记录 %lld", (long long)r->supersedes);
		if (r->superseded_by)
			printf("\t已被记录 %lld 更正",
			       (long long)r->superseded_by);
		printf("\n");
		return 0;
	}
	payload = json_loads(r->payload, 0, &je);
	json_array_append_new(
	    arr, json_pack("{s:I,s:s,s:I,s:I,s:s,s:s,s:I,s:I,s:o*}", "id",
	                   (json_int_t)r->id, "kind", r->kind, "org_id",
	                   (json_int_t)r->org_id, "member_id",
	                   (json_int_t)r->member_id, "happened_on", day,
	                   "entered_at", at, "supersedes",
	                   (json_int_t)r->supersedes, "superseded_by",
	                   (json_int_t)r->superseded_by, "payload", payload));
	return 0;
}

static enum xj_err list_run(const struct cli_args *a, struct xj_error *err)
{
	const struct cli_cmd *c = &cmd_record_list;
	const char *member = cli_get(a, c, "member");
	const char *org = cli_get(a, c, "org");
	const char *limit = cli_get(a, c, "limit");
	int64_t member_id = 0, org_id = 0, n = 50;
	json_t *arr = cli_get(a, c, "json") ? json_array() : NULL;
	struct store *st;
	enum xj_err e;

	if (limit != NULL &&
	    util_parse_int(limit, 1, 100000, &n, "--limit", err) != XJ_OK) {
		json_decref(arr);
		return XJ_EUSAGE;
	}
	e = cli_open_db(a, c, &st, err);
	if (e != XJ_OK) {
		json_decref(arr);
		return e;
	}
	if (member != NULL)
		e = member_by_idnum(st, member, &member_id, err);
	if (e == XJ_OK && org != NULL)
		e = org_by_code(st, org, &org_id, err);
	if (e == XJ_OK)
		e = store_records_list(st, cli_get(a, c, "kind"), member_id,
		                       org_id, cli_get(a, c, "all") == NULL, 0,
		                       (int)n, print_record, arr, err);
	if (e == XJ_OK && arr != NULL) {
		char *s = json_dumps(arr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

		if (s != NULL)
			puts(s);
		free(s);
	}
	json_decref(arr);
	store_close(st);
	return e;
}

const struct cli_cmd cmd_record_list = {
	.name = "record list",
	.summary = "列出记录（最新的在前；默认只列未被更正的）",
	.args = "",
	.opts = list_opts,
	.fn = list_run,
};

static const struct cli_opt import_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "date", "DATE", 0, "各行共同的活动日期（表中没有“日期”列时）" },
	{ "data", "JSON", 0,
	  "各行共同的内容，如 {\"hours\":8,\"session\":\"封闭式学习第一天\"}" },
	{ "dry-run", NULL, 0, "只检查，不写入" },
	{ "encoding", "ENC", 0, "CSV 的编码: auto（默认）, utf8, gbk" },
	{ "errors", "FILE", 0, "有错误时把出错的行及原因写入此文件" },
	{ NULL, NULL, 0, NULL },
};

/* A sign-in sheet (签到表) or any list of records, one per row. */
static enum xj_err import_run(const struct cli_args *a, struct xj_error *err)
{
	const struct cli_cmd *c = &cmd_record_import;
	const char *date = cli_get(a, c, "date");
	int dry = cli_get(a, c, "dry-run") != NULL;
	struct entry_sheet opt;
	struct import_result res;
	struct plan *p = NULL;
	struct store *st;
	struct table t;
	enum xj_err e;

	memset(&opt, 0, sizeof(opt));
	memset(&res, 0, sizeof(res));
	if (date != NULL && date_parse(date, &opt.date, "--date", err) != XJ_OK)
		return XJ_EUSAGE;
	opt.defaults = cli_get(a, c, "data");
	opt.now = time(NULL);
	opt.today = date_beijing(opt.now);
	e = cli_read_table(a->pos[1], cli_get(a, c, "encoding"), &t, err);
	if (e != XJ_OK)
		return e;
	e = cli_open_db(a, c, &st, err);
	if (e != XJ_OK) {
		table_release(&t);
		return e;
	}
	e = engine_plan_in_force(st, &p, err);
	if (e == XJ_OK)
		e = store_begin(st, err);
	if (e == XJ_OK) {
		e = entry_import(st, p, a->pos[0], &t, &opt, &res, err);
		if (e == XJ_OK && !dry)
			e = store_commit(st, err);
		else
			store_rollback(st);
	}
	if (e == XJ_OK)
		printf("%s%s: 共 %zu 行，%s %zu 条记录\n",
		       dry ? "检查通过（未写入）" : "已导入", a->pos[1],
		       res.rows, dry ? "可录入" : "录入", res.inserted);
	else if (e == XJ_EINVAL && res.nproblems > 0)
		cli_print_problems(&t, &res, cli_get(a, c, "errors"));
	import_result_release(&res);
	plan_free(p);
	store_close(st);
	table_release(&t);
	return e;
}

const struct cli_cmd cmd_record_import = {
	.name = "record import",
	.summary = "从签到表等表格（CSV/XLSX）成批录入记录，全部无误才写入",
	.args = "KIND FILE",
	.opts = import_opts,
	.min_pos = 2,
	.max_pos = 2,
	.fn = import_run,
};

static const struct cli_opt session_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "org", "CODE", 1, "举办学习的单位或支部的组织代码" },
	{ "date", "DATE", 1, "学习日期 YYYY-MM-DD" },
	{ "data", "JSON", 1,
	  "这次学习：{\"hours\":4,\"start\":\"08:30\",\"title\":...,"
	  "\"makeup\":\"是\",\"materials\":[\"党章\"]}" },
	{ "present", "IDS", 0, "到会党员的身份证号码，以逗号分隔" },
	{ "absent", "ID:原因,...", 0,
	  "缺勤党员的身份证号码和原因（请假、病假、外出），以逗号分隔" },
	{ NULL, NULL, 0, NULL },
};

/* Append "ID" or "ID:原因" items of a comma-separated list; *n grows. */
static enum xj_err session_names(struct store *st, const char *text, int absent,
                                 char **hold, struct entry_attendee *list,
                                 size_t *n, struct xj_error *err)
{
	char *s, *item, *save = NULL;
	enum xj_err e = XJ_OK;

	if (text == NULL)
		return XJ_OK;
	s = xstrdup(text);
	*hold = s;
	for (item = strtok_r(s, ",", &save); item != NULL;
	     item = strtok_r(NULL, ",", &save)) {
		char *why = strchr(item, ':');

		if (*n == ENTRY_SESSION_MAX)
			return xj_error_set(err, XJ_EUSAGE,
			                    "一次学习的名单最多 %d 人",
			                    ENTRY_SESSION_MAX);
		if (why != NULL)
			*why++ = '\0';
		if (absent && (why == NULL || *why == '\0'))
			return xj_error_field(
			    err, XJ_EUSAGE, "--absent",
			    "缺勤的 %s 须写明原因，如 %s:病假", item, item);
		if (!absent && why != NULL)
			return xj_error_field(err, XJ_EUSAGE, "--present",
			                      "到会的 %s 不需要原因", item);
		e = member_by_idnum(st, item, &list[*n].member_id, err);
		if (e != XJ_OK)
			return e;
		list[*n].absent = why;
		(*n)++;
	}
	return XJ_OK;
}

static enum xj_err session_op(struct store *st, const struct cli_args *a,
                              struct xj_error *err)
{
	const struct cli_cmd *c = &cmd_record_session;
	struct entry_session in;
	struct entry_session_result res;
	struct entry_attendee *list;
	struct plan *p = NULL;
	char *hold[2] = { NULL, NULL };
	size_t i;
	enum xj_err e;

	memset(&in, 0, sizeof(in));
	memset(&res, 0, sizeof(res));
	if (date_parse(cli_get(a, c, "date"), &in.happened_on, "--date", err) !=
	    XJ_OK)
		return XJ_EUSAGE;
	list = xcalloc(ENTRY_SESSION_MAX, sizeof(*list));
	e = org_by_code(st, cli_get(a, c, "org"), &in.org_id, err);
	if (e == XJ_OK)
		e = session_names(st, cli_get(a, c, "present"), 0, &hold[0],
		                  list, &in.n, err);
	if (e == XJ_OK)
		e = session_names(st, cli_get(a, c, "absent"), 1, &hold[1],
		                  list, &in.n, err);
	if (e == XJ_OK)
		e = engine_plan_in_force(st, &p, err);
	if (e == XJ_OK) {
		in.payload = cli_get(a, c, "data");
		in.list = list;
		in.now = time(NULL);
		in.today = date_beijing(in.now);
		e = entry_session(st, p, &in, &res, err);
	}
	for (i = 0; i < res.nproblems; i++)
		fprintf(stderr, "名单第 %zu 项%s%s%s: %s\n",
		        res.problems[i].index + 1,
		        res.problems[i].name[0] ? "（" : "",
		        res.problems[i].name,
		        res.problems[i].name[0] ? "）" : "",
		        res.problems[i].reason);
	if (e == XJ_OK) {
		printf(
		    "已录入集中学习（记录 %lld）：到会 %zu 人，缺勤 %zu 人\n",
		    (long long)res.session_id, res.present, res.absent);
		if (res.note[0])
			printf("  注意：%s\n", res.note);
	}
	entry_session_release(&res);
	plan_free(p);
	free(hold[0]);
	free(hold[1]);
	free(list);
	return e;
}

static enum xj_err session_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_record_session, a, session_op, err);
}

const struct cli_cmd cmd_record_session = {
	.name = "record session",
	.summary = "录入一次集中学习及其出勤名单（到会、缺勤及原因），"
	           "名单全部无误才写入",
	.args = "",
	.opts = session_opts,
	.fn = session_run,
};
