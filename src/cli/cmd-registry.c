/* xianjiao import orgs|members, export members|orgs|coverage,
 * template members|orgs: rosters in and out of the registry. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "xianjiao/import.h"
#include "xianjiao/report.h"
#include "xianjiao/store.h"
#include "xianjiao/table.h"

static enum xj_err parse_format(const char *s, const char *path,
                                enum table_format *fmt, struct xj_error *err)
{
	size_t n;

	if (s != NULL) {
		if (strcmp(s, "csv") == 0)
			*fmt = TABLE_CSV;
		else if (strcmp(s, "xlsx") == 0)
			*fmt = TABLE_XLSX;
		else
			return xj_error_field(err, XJ_EUSAGE, "format",
			                      "--format 应为 csv 或 xlsx");
		return XJ_OK;
	}
	n = path ? strlen(path) : 0;
	*fmt = n > 5 && strcmp(path + n - 5, ".xlsx") == 0 ? TABLE_XLSX
	                                                   : TABLE_CSV;
	return XJ_OK;
}

/* --- import -------------------------------------------------------- */

static const struct cli_opt import_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "dry-run", NULL, 0, "只检查，不写入数据库" },
	{ "encoding", "ENC", 0,
	  "CSV 的编码: auto（默认，自动识别）, utf8, gbk" },
	{ "errors", "FILE", 0,
	  "有错误时把出错的行及错误原因写入此文件（格式同导入文件）" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err run_import(const struct cli_cmd *c, const struct cli_args *a,
                              enum import_kind kind, struct xj_error *err)
{
	const char *path = a->pos[0];
	int dry = cli_get(a, c, "dry-run") != NULL;
	struct import_result res;
	struct store *st;
	struct table t;
	enum xj_err e;

	e = cli_read_table(path, cli_get(a, c, "encoding"), &t, err);
	if (e != XJ_OK)
		return e;
	e = cli_open_db(a, c, &st, err);
	if (e != XJ_OK) {
		table_release(&t);
		return e;
	}
	e = import_table(st, kind, &t, dry, NULL, &res, err);
	store_close(st);
	if (e == XJ_OK)
		printf("%s%s: 共 %zu 行，新增 %zu，更新 %zu，未变 %zu\n",
		       dry ? "检查通过（未写入）" : "已导入", path, res.rows,
		       res.inserted, res.updated, res.unchanged);
	else if (e == XJ_EINVAL && res.nproblems > 0)
		cli_print_problems(&t, &res, cli_get(a, c, "errors"));
	import_result_release(&res);
	table_release(&t);
	return e;
}

static enum xj_err import_orgs_run(const struct cli_args *a,
                                   struct xj_error *err)
{
	return run_import(&cmd_import_orgs, a, IMPORT_ORGS, err);
}

static enum xj_err import_members_run(const struct cli_args *a,
                                      struct xj_error *err)
{
	return run_import(&cmd_import_members, a, IMPORT_MEMBERS, err);
}

const struct cli_cmd cmd_import_orgs = {
	.name = "import orgs",
	.summary =
	    "从 CSV 或 XLSX 导入组织（按组织代码新增或更新，全部正确才写入）",
	.args = "FILE",
	.opts = import_opts,
	.min_pos = 1,
	.max_pos = 1,
	.fn = import_orgs_run,
};

const struct cli_cmd cmd_import_members = {
	.name = "import members",
	.summary = "从 CSV 或 XLSX "
	           "导入党员花名册（按身份证号码新增或更新，全部正确才写入）",
	.args = "FILE",
	.opts = import_opts,
	.min_pos = 1,
	.max_pos = 1,
	.fn = import_members_run,
};

/* --- export -------------------------------------------------------- */

static const struct cli_opt export_opts[] = {
	{ "db", "FILE", 1, "数据库文件" },
	{ "format", "FMT", 0,
	  "csv 或 xlsx（默认按 --out 的扩展名，否则 csv）" },
	{ "org", "CODE", 0, "只导出该组织及其下级" },
	{ "out", "FILE", 0, "写入此文件（默认标准输出）" },
	{ "full-id", NULL, 0, "导出完整的身份证号码和电话（默认遮蔽）" },
	{ NULL, NULL, 0, NULL },
};

enum export_what { EXPORT_MEMBERS, EXPORT_ORGS, EXPORT_COVERAGE };

static enum xj_err run_export(const struct cli_cmd *c, const struct cli_args *a,
                              enum export_what what, struct xj_error *err)
{
	const char *out = cli_get(a, c, "out"), *org = cli_get(a, c, "org");
	enum table_format fmt;
	struct store *st;
	int64_t root = 0;
	char *data = NULL;
	size_t len = 0;
	enum xj_err e;

	e = parse_format(cli_get(a, c, "format"), out, &fmt, err);
	if (e == XJ_OK)
		e = cli_open_db(a, c, &st, err);
	if (e != XJ_OK)
		return e;
	if (org != NULL) {
		e = store_org_by_code(st, org, &root, err);
		if (e == XJ_OK && root == 0)
			e = xj_error_field(err, XJ_ENOTFOUND, "org",
			                   "组织代码不存在: %s", org);
	}
	if (e == XJ_OK) {
		if (what == EXPORT_MEMBERS)
			e = export_members(st, root,
			                   cli_get(a, c, "full-id") != NULL,
			                   fmt, &data, &len, err);
		else if (what == EXPORT_ORGS)
			e = export_orgs(st, root, fmt, &data, &len, err);
		else
			e = export_coverage(st, root, fmt, &data, &len, err);
	}
	store_close(st);
	if (e == XJ_OK)
		e = cli_write_file(out, data, len, err);
	free(data);
	return e;
}

static enum xj_err export_members_run(const struct cli_args *a,
                                      struct xj_error *err)
{
	return run_export(&cmd_export_members, a, EXPORT_MEMBERS, err);
}

static enum xj_err export_orgs_run(const struct cli_args *a,
                                   struct xj_error *err)
{
	return run_export(&cmd_export_orgs, a, EXPORT_ORGS, err);
}

static enum xj_err export_coverage_run(const struct cli_args *a,
                                       struct xj_error *err)
{
	return run_export(&cmd_export_coverage, a, EXPORT_COVERAGE, err);
}

const struct cli_cmd cmd_export_members = {
	.name = "export members",
	.summary = "导出党员花名册（身份证号码和电话默认遮蔽）",
	.args = "",
	.opts = export_opts,
	.fn = export_members_run,
};

const struct cli_cmd cmd_export_orgs = {
	.name = "export orgs",
	.summary = "导出组织清单",
	.args = "",
	.opts = export_opts,
	.fn = export_orgs_run,
};

const struct cli_cmd cmd_export_coverage = {
	.name = "export coverage",
	.summary =
	    "导出“一个不漏”清单：未编入支部、失去联系、未落实联系方式的流动"
	    "党员、未配备书记的支部",
	.args = "",
	.opts = export_opts,
	.fn = export_coverage_run,
};

/* --- templates ------------------------------------------------------ */

static const struct cli_opt template_opts[] = {
	{ "format", "FMT", 0,
	  "csv 或 xlsx（默认按 --out 的扩展名，否则 csv）" },
	{ "out", "FILE", 0, "写入此文件（默认标准输出）" },
	{ NULL, NULL, 0, NULL },
};

static enum xj_err run_template(const struct cli_cmd *c,
                                const struct cli_args *a, enum import_kind k,
                                struct xj_error *err)
{
	const char *out = cli_get(a, c, "out");
	enum table_format fmt;
	char *data = NULL;
	size_t len = 0;
	enum xj_err e;

	e = parse_format(cli_get(a, c, "format"), out, &fmt, err);
	if (e == XJ_OK)
		e = export_template(k, fmt, &data, &len, err);
	if (e == XJ_OK)
		e = cli_write_file(out, data, len, err);
	free(data);
	return e;
}

static enum xj_err template_members_run(const struct cli_args *a,
                                        struct xj_error *err)
{
	return run_template(&cmd_template_members, a, IMPORT_MEMBERS, err);
}

static enum xj_err template_orgs_run(const struct cli_args *a,
                                     struct xj_error *err)
{
	return run_template(&cmd_template_orgs, a, IMPORT_ORGS, err);
}

const struct cli_cmd cmd_template_members = {
	.name = "template members",
	.summary = "下载党员花名册导入模板",
	.args = "",
	.opts = template_opts,
	.fn = template_members_run,
};

const struct cli_cmd cmd_template_orgs = {
	.name = "template orgs",
	.summary = "下载组织导入模板",
	.args = "",
	.opts = template_opts,
	.fn = template_orgs_run,
};
