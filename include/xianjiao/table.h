/*
 * table.h - spreadsheets as grids of UTF-8 strings: reading CSV (UTF-8
 * with or without BOM, GBK/GB18030 as Excel on Chinese Windows saves it)
 * and XLSX, and writing CSV and XLSX. Nothing here knows what a member is;
 * import/ and report/ map rows to the domain.
 *
 * Reading is bounded (struct table_limits) and strict: a file that is not
 * what it claims, a cell that is not valid text after conversion, or a
 * limit passed is an error naming the row and column, never a guess.
 */
#ifndef XJ_TABLE_H
#define XJ_TABLE_H

#include <stddef.h>

#include "xianjiao/arena.h"
#include "xianjiao/error.h"

enum table_format { TABLE_CSV, TABLE_XLSX, TABLE_FORMAT__MAX };

enum table_encoding {
	TABLE_ENC_AUTO, /* BOM → UTF-8; valid UTF-8 → UTF-8; else GB18030 */
	TABLE_ENC_UTF8,
	TABLE_ENC_GB18030, /* a superset of GBK and GB2312 */
	TABLE_ENC__MAX
};

struct table_limits {
	size_t max_bytes;      /* the whole file as stored */
	size_t max_part_bytes; /* XLSX: each unpacked XML part (XML is
				 * several times the zipped size) */
	size_t max_rows;       /* including the header row */
	size_t max_cols;
	size_t max_cell_chars; /* characters (code points) in one cell */
};

/* 16 MiB a file, 256 MiB an XLSX part, 200,001 rows, 64 columns,
 * 2,000 characters a cell. */
void table_limits_default(struct table_limits *lim);

struct table {
	size_t nrows, ncols; /* every row padded to ncols with "" */
	char **cells;        /* nrows * ncols, row-major, never NULL */
	long *source_row;    /* per row: the 1-based line (CSV, where the
				record starts) or sheet row number (XLSX) */
	enum table_format format;
	enum table_encoding encoding; /* what the CSV was read as */
	struct arena arena;           /* owns cells, source_row, strings */
};

/*
 * Read data[0..len) as fmt into t. For CSV, enc says how to decode
 * (TABLE_ENC_AUTO detects); for XLSX it is ignored (XLSX is UTF-8 XML).
 * Empty trailing rows are dropped; cells keep their text exactly (no
 * trimming), except that a cell of apostrophes followed by a formula
 * character loses its first apostrophe, the one table_writer adds to
 * neutralise a formula (see below). XLSX: the first
 * worksheet in workbook order; shared strings, inline strings, numbers as
 * written in the file (a date cell arrives as its serial number, e.g.
 * "38421"); booleans as "TRUE"/"FALSE".
 * On error t is released and err names the row (err->row, 1-based as the
 * user sees it) and column (err->column, 1-based) where they apply.
 */
enum xj_err table_read(const void *data, size_t len, enum table_format fmt,
                       enum table_encoding enc, const struct table_limits *lim,
                       struct table *t, struct xj_error *err);
/* Guess the format from the bytes: XLSX if it starts with "PK\3\4". */
enum table_format table_sniff(const void *data, size_t len);
/* Read a whole file into memory (at most max bytes) and table_read() it. */
enum xj_err table_read_file(const char *path, enum table_format fmt,
                            enum table_encoding enc,
                            const struct table_limits *lim, struct table *t,
                            struct xj_error *err);
const char *table_cell(const struct table *t, size_t row, size_t col);
void table_release(struct table *t);

/*
 * Writing. Cells are UTF-8 text. A cell beginning with '=', '+', '-', '@',
 * TAB or CR, after any apostrophes, is written with one more leading
 * apostrophe so that no spreadsheet ever evaluates it (CSV injection);
 * table_read() removes one apostrophe from a cell of that shape, so
 * written files read back to the same cells ("'=x" is written "''=x"). CSV is
 * written as UTF-8 with a BOM (which Excel needs to show Chinese), CRLF
 * line ends, fields quoted when needed (RFC 4180). XLSX has one sheet
 * named sheet, every cell a string, and fixed document dates so the same
 * cells give the same bytes.
 */
struct table_writer;

/* sheet: the XLSX sheet name, NULL or "" for "Sheet1"; a name Excel
 * refuses (over 31 characters, one of : \ / ? * [ ], an apostrophe first
 * or last, "History") is XJ_EINVAL with err->field "sheet". Ignored for
 * CSV. On error *out is NULL. */
enum xj_err table_writer_new(enum table_format fmt, const char *sheet,
                             struct table_writer **out, struct xj_error *err);
/* Add a row of n cells (a NULL cell is ""). A row with a cell that is not
 * valid UTF-8 (XJ_EINVAL) or past Excel's limits of 1,048,576 rows,
 * 16,384 columns and 32,767 characters a cell, apostrophe included
 * (XJ_ETOOLARGE), is refused whole, err->row and err->column naming it
 * (rows counted from 1 as written); the writer stays usable. */
enum xj_err table_writer_row(struct table_writer *w, const char *const *cells,
                             size_t n, struct xj_error *err);
/* Finish and hand over the bytes (*data is malloc'd, caller frees). The
 * writer is freed in every case. */
enum xj_err table_writer_finish(struct table_writer *w, char **data,
                                size_t *len, struct xj_error *err);
/* The end of every writing function: with e XJ_OK, finish (as above);
 * otherwise free w (may be NULL) and return e. */
enum xj_err table_writer_done(struct table_writer *w, enum xj_err e,
                              char **data, size_t *len, struct xj_error *err);
/* Free a writer without producing anything (on an error path). */
void table_writer_free(struct table_writer *w);

#endif
