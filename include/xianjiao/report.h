/*
 * report.h - exports for offices: rosters (花名册) of members and
 * organisations, coverage lists (一个不漏) and empty templates (模板), in
 * CSV or XLSX, within a subtree. An exported roster imports again
 * unchanged (import.h). ID numbers and phones are masked unless the
 * caller asks for them and may see them (full_id).
 */
#ifndef XJ_REPORT_H
#define XJ_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "xianjiao/error.h"
#include "xianjiao/import.h"
#include "xianjiao/table.h"

struct store;

/* root: the subtree to export; 0 for the whole campaign. *data is
 * malloc'd bytes for the caller to free. */
enum xj_err export_members(struct store *st, int64_t root, int full_id,
                           enum table_format fmt, char **data, size_t *len,
                           struct xj_error *err);
enum xj_err export_orgs(struct store *st, int64_t root, enum table_format fmt,
                        char **data, size_t *len, struct xj_error *err);
enum xj_err export_coverage(struct store *st, int64_t root,
                            enum table_format fmt, char **data, size_t *len,
                            struct xj_error *err);
/* The header row of kind's roster, nothing else. */
enum xj_err export_template(enum import_kind kind, enum table_format fmt,
                            char **data, size_t *len, struct xj_error *err);

#endif
