/* xianjiao member move: record a movement (转入, 转出, 去世, 调动). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "xianjiao/date.h"
#include "xianjiao/store.h"

static const struct cli_opt move_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "id-number", "ID", 1, "党员的身份证号码" },
	{ "kind", "KIND", 1, "转入、转出、去世 或 调动" },
	{ "date", "DATE", 1, "变动日期，如 2005-03-10" },
	{ "to", "CODE", 0, "转入或调动到的党支部的组织代码" },
	{ "note", "TEXT", 0, "说明" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err move_op(struct store *st, const struct cli_args *a,
                           struct xj_error *err)
{
	const char *kind = cli_get(a, &cmd_member_move, "kind");
	const char *to = cli_get(a, &cmd_member_move, "to");
	struct member_row r;
	int64_t to_org = 0;
	int32_t date;
	int k, found;
	enum xj_err e;

	for (k = 0; k < MOVE__MAX; k++)
		if (strcmp(kind, movement_name((enum movement_kind)k)) == 0)
			break;
	if (k == MOVE__MAX)
		return xj_error_field(err, XJ_EUSAGE, "kind",
		                      "--kind 应为 转入、转出、去世 或 调动");
	e = date_parse_loose(cli_get(a, &cmd_member_move, "date"), &date,
	                     "--date", err);
	if (e != XJ_OK) {
		err->code = XJ_EUSAGE; /* a bad option value: usage */
		return XJ_EUSAGE;
	}
	if (to != NULL) {
		e = store_org_by_code(st, to, &to_org, err);
		if (e == XJ_OK && to_org == 0)
			e = xj_error_field(err, XJ_ENOTFOUND, "to",
			                   "组织代码不存在: %s", to);
		if (e != XJ_OK)
			return e;
	}
	e = store_member_by_idnum(st, cli_get(a, &cmd_member_move, "id-number"),
	                          &r, &found, err);
	if (e == XJ_OK && !found)
		e = xj_error_field(err, XJ_ENOTFOUND, "id-number",
		                   "没有登记这个身份证号码的党员");
	if (e == XJ_OK)
		e = store_movement(st, r.m.id, (enum movement_kind)k, date,
		                   to_org, cli_get(a, &cmd_member_move, "note"),
		                   err);
	if (e == XJ_OK)
		printf("已登记: %s %s\n", r.name, kind);
	return e;
}

static enum xj_err move_run(const struct cli_args *a, struct xj_error *err)
{
	return cli_with_db(&cmd_member_move, a, move_op, err);
}

const struct cli_cmd cmd_member_move = {
	.name = "member move",
	.summary = "登记党员的转入、转出、去世或调动（只追加，不改写）",
	.args = "",
	.opts = move_opts,
	.fn = move_run,
};
