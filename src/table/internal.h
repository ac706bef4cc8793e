/*
 * internal.h - what the table reader's source files share.
 *
 * The format readers (csv.c, xlsx.c) do not build struct table
 * themselves: they hand rows and cells to a builder (struct tb, read.c),
 * which applies every limit and every cell rule in one place (valid UTF-8,
 * no NUL, length, the neutralising apostrophe) and lays the grid out at
 * the end. Nothing here is visible outside src/table/.
 */
#ifndef XJ_TABLE_INTERNAL_H
#define XJ_TABLE_INTERNAL_H

#include <iconv.h>
#include <stddef.h>

#include "xianjiao/error.h"
#include "xianjiao/table.h"

/* One row as read: its cells are tb.cells[first .. first + n). */
struct tb_row {
	size_t first, n;
	long source; /* CSV line where the record starts, or sheet row */
};

/* One non-empty cell; empty cells are not stored (they are padding). */
struct tb_cell {
	const char *s; /* in the table's arena */
	size_t col;    /* 0-based */
};

struct tb {
	struct table *t;
	const struct table_limits *lim;
	struct xj_error *err;
	enum table_format fmt;

	/* Rows stored so far (at most lim->max_rows); seen counts rows
	 * past the limit too, which may only be empty. */
	struct tb_row *rows;
	size_t nrows, rows_alloc, seen;
	long cur_source; /* source of the row cells go to now */
	int cur_stored;  /* the current row is rows[nrows - 1] */

	struct tb_cell *cells;
	size_t ncells, cells_alloc;
	size_t ncols; /* 1 + the largest column of a non-empty cell */

	/* Strings are packed into blocks taken from the arena. */
	char *pool;
	size_t pool_left;
	char *empty; /* the one "" every padding cell points to */
};

void tb_init(struct tb *b, struct table *t, const struct table_limits *lim,
             enum table_format fmt, struct xj_error *err);
/* Start the next row of the table; source as in table.source_row. */
void tb_row(struct tb *b, long source);
/*
 * Add the cell at 0-based column col of the current row: s[0..len) is
 * the decoded text. Empty text adds nothing. Checks the text (UTF-8, no
 * NUL) and the limits, strips the neutralising apostrophe and copies the
 * text into the table's arena.
 */
enum xj_err tb_cell(struct tb *b, size_t col, const char *s, size_t len);
/* Drop the empty rows at the end and lay the grid out in b->t. */
void tb_finish(struct tb *b);
/* Free the builder's scratch arrays (not the table). */
void tb_release(struct tb *b);
/* Copy s[0..len) into the table's arena, NUL-terminated. */
char *tb_strdup(struct tb *b, const char *s, size_t len);

/*
 * Fail with a message about row and column (1-based; 0 leaves that part
 * out of the message): "第 12 行第 3 列: ..." and, for XLSX, the cell's
 * name: "第 5 行第 2 列 (B5): ...". Sets err->row, err->line (CSV) and
 * err->column.
 */
enum xj_err tb_fail(struct tb *b, enum xj_err code, long row, long col,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The spreadsheet name of 0-based column col: 0 → "A", 27 → "AB". */
void table_col_name(size_t col, char buf[8]);

/* Write a byte count for a message: "16 MiB", "20.0 MiB", "300 字节". */
void table_format_size(char *buf, size_t size, size_t bytes);

/* The format readers. */
enum xj_err table_csv_read(struct tb *b, const unsigned char *data, size_t len,
                           enum table_encoding enc);
enum xj_err table_xlsx_read(struct tb *b, const unsigned char *data,
                            size_t len);

/*
 * encoding.c: deciding how a CSV is encoded and decoding its cells.
 * The CSV is split into cells before decoding: in GB18030 no byte of a
 * multi-byte character is below 0x30, so '"', ',', CR and LF only ever
 * stand for themselves, and a decoding error can name its cell.
 */
struct table_dec {
	enum table_encoding enc; /* TABLE_ENC_UTF8 or TABLE_ENC_GB18030 */
	iconv_t cd;              /* GB18030 → UTF-8, or (iconv_t)-1 */
	char *buf;               /* decoded text, reused cell to cell */
	size_t alloc;
};

/*
 * Decide the encoding of data[0..len) (want may be TABLE_ENC_AUTO) and
 * how many bytes of byte order mark to skip. Rules: a UTF-8 BOM means
 * UTF-8; else valid UTF-8 throughout means UTF-8; else GB18030.
 */
enum table_encoding table_enc_detect(const unsigned char *data, size_t len,
                                     enum table_encoding want, size_t *skip);
/* Set up decoding from enc; fails only if iconv lacks GB18030. */
enum xj_err table_dec_init(struct table_dec *d, enum table_encoding enc,
                           struct xj_error *err);
/*
 * Decode s[0..len) to UTF-8 in *out (s itself or d->buf, valid until the
 * next call). Returns 0, or -1 with the 0-based offset of the first byte
 * that does not decode in *bad. UTF-8 input is checked and returned as
 * is. NUL bytes pass: the builder refuses them.
 */
int table_dec_run(struct table_dec *d, const char *s, size_t len,
                  const char **out, size_t *outlen, size_t *bad);
void table_dec_release(struct table_dec *d);

/* A cell starting (after any apostrophes) with one of these would be
 * evaluated by a spreadsheet: = + - @ TAB CR (OWASP, CSV injection). The
 * writer neutralises such a cell and the reader undoes exactly that. */
int table_formula_char(char c);

#endif
