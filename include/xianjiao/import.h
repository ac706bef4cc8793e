/*
 * import.h - rosters (花名册) from spreadsheets into the registry.
 *
 * All or nothing: every row is checked first, inside one transaction;
 * if any row has a problem nothing is stored and every problem is
 * reported with its row number as the user sees it in the spreadsheet,
 * the column header and a reason a branch secretary understands. With
 * dry_run nothing is stored either way. Rows are matched to what is
 * stored by a stable key (身份证号码 for members, 组织代码 for
 * organisations): importing the same file twice changes nothing.
 */
#ifndef XJ_IMPORT_H
#define XJ_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "xianjiao/error.h"
#include "xianjiao/table.h"

struct store;

enum import_kind { IMPORT_ORGS, IMPORT_MEMBERS, IMPORT_KIND__MAX };

#define IMPORT_PROBLEMS_MAX 1000

struct import_problem {
	long row;        /* as shown in the spreadsheet (header is row 1) */
	size_t index;    /* the table row (for the error file) */
	char column[64]; /* the header, "" for the whole row */
	char reason[256];
};

/* What became, or with dry_run would become, of one table row. */
enum import_action {
	IMPORT_ROW_NONE,      /* the header, an empty row */
	IMPORT_ROW_INSERT,    /* 新增 */
	IMPORT_ROW_UPDATE,    /* 更新 */
	IMPORT_ROW_UNCHANGED, /* 不变 */
	IMPORT_ROW_REJECTED,  /* 有错误: a problem names this row */
	IMPORT_ROW__MAX
};

struct import_result {
	size_t rows; /* data rows read (empty rows skipped) */
	size_t inserted, updated, unchanged;
	size_t nproblems;                /* all found, even past the cap */
	struct import_problem *problems; /* the first IMPORT_PROBLEMS_MAX */
	size_t nlisted;
	/*
	 * Per table row (t->nrows entries, index 0 the header), what the
	 * row does. A dry run checks and applies every valid row inside
	 * the rolled-back transaction even when other rows have problems,
	 * so the counts and actions preview the valid rows; a real import
	 * with problems applies nothing, its valid rows stay NONE.
	 */
	unsigned char *actions; /* enum import_action */
};

/* 新增, 更新, 不变, 有错误 ("" for IMPORT_ROW_NONE). */
const char *import_action_name(enum import_action a);

/*
 * Who is importing: member rows naming a branch outside the scope of
 * user_id's grants in role_mask are refused. user_id 0: the command line,
 * which may import anywhere. Organisations are imported by the office
 * only (the route says so), so their rows are not scope-checked.
 */
struct import_scope {
	int64_t user_id;
	unsigned role_mask;
};

/*
 * Import table t as kind. Returns XJ_OK when every row was valid (and
 * stored unless dry_run); XJ_EINVAL when there were problems (listed in
 * res; nothing stored); another error if the store failed. The actor for
 * the audit log is the scope's user.
 */
enum xj_err import_table(struct store *st, enum import_kind kind,
                         const struct table *t, int dry_run,
                         const struct import_scope *scope,
                         struct import_result *res, struct xj_error *err);
void import_result_release(struct import_result *res);

/*
 * The error file: the header, then every row with a problem, as it was,
 * with a last column 错误原因 listing its problems; in format fmt, so the
 * user fixes the rows there and imports that file again.
 */
enum xj_err import_error_file(const struct table *t,
                              const struct import_result *res,
                              enum table_format fmt, char **data, size_t *len,
                              struct xj_error *err);

#endif
