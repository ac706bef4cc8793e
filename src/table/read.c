/*
 * read.c - the reading entry points of table.h and the builder every
 * format reader fills (see internal.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xianjiao/alloc.h"
#include "xianjiao/arena.h"
#include "xianjiao/text.h"

#include "internal.h"

#define KIB ((size_t)1024)
#define MIB (KIB * 1024)

/* Strings are packed into blocks of this size; a longer one gets its own
 * allocation. The arena's chunks are the same size. */
#define POOL_BLOCK (64 * KIB)

/* What a released (or never read) table points at, so that cells and
 * source_row are never NULL. */
static char *no_cells[1];
static long no_rows[1];

void table_limits_default(struct table_limits *lim)
{
	lim->max_bytes = 16 * MIB;
	lim->max_part_bytes = 256 * MIB;
	lim->max_rows = 200001;
	lim->max_cols = 64;
	lim->max_cell_chars = 2000;
}

enum table_format table_sniff(const void *data, size_t len)
{
	if (len >= 4 && memcmp(data, "PK\3\4", 4) == 0)
		return TABLE_XLSX;
	return TABLE_CSV;
}

static void table_init(struct table *t)
{
	t->nrows = 0;
	t->ncols = 0;
	t->cells = no_cells;
	t->source_row = no_rows;
	t->format = TABLE_CSV;
	t->encoding = TABLE_ENC_UTF8;
	arena_init(&t->arena, POOL_BLOCK);
}

void table_release(struct table *t)
{
	arena_release(&t->arena);
	table_init(t);
}

/* Out of range reads as "": the same as the padding of a short row. */
const char *table_cell(const struct table *t, size_t row, size_t col)
{
	if (row >= t->nrows || col >= t->ncols)
		return "";
	return t->cells[row * t->ncols + col];
}

void table_format_size(char *buf, size_t size, size_t bytes)
{
	if (bytes >= MIB && bytes % MIB == 0)
		snprintf(buf, size, "%zu MiB", bytes / MIB);
	else if (bytes >= MIB)
		snprintf(buf, size, "%.1f MiB", (double)bytes / (double)MIB);
	else if (bytes >= KIB && bytes % KIB == 0)
		snprintf(buf, size, "%zu KiB", bytes / KIB);
	else if (bytes >= KIB)
		snprintf(buf, size, "%.1f KiB", (double)bytes / (double)KIB);
	else
		snprintf(buf, size, "%zu 字节", bytes);
}

void table_col_name(size_t col, char buf[8])
{
	char tmp[8];
	size_t n = 0, i;

	col++; /* bijective base 26: A..Z, AA.. */
	while (col > 0 && n < 7) {
		tmp[n++] = (char)('A' + (col - 1) % 26);
		col = (col - 1) / 26;
	}
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
}

enum xj_err tb_fail(struct tb *b, enum xj_err code, long row, long col,
                    const char *fmt, ...)
{
	char where[128], name[8], msg[XJ_ERROR_MSG_MAX];
	va_list ap;

	where[0] = '\0';
	if (row > 0 && col > 0 && b->fmt == TABLE_XLSX) {
		table_col_name((size_t)col - 1, name);
		snprintf(where, sizeof(where),
		         "第 %ld 行第 %ld 列 (%s%ld): ", row, col, name, row);
	} else if (row > 0 && col > 0) {
		snprintf(where, sizeof(where), "第 %ld 行第 %ld 列: ", row,
		         col);
	} else if (row > 0) {
		snprintf(where, sizeof(where), "第 %ld 行: ", row);
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	xj_error_set(b->err, code, "%s%s", where, msg);
	if (b->err != NULL) {
		b->err->row = row;
		b->err->line = b->fmt == TABLE_CSV ? row : 0;
		b->err->column = col;
	}
	return code;
}

void tb_init(struct tb *b, struct table *t, const struct table_limits *lim,
             enum table_format fmt, struct xj_error *err)
{
	memset(b, 0, sizeof(*b));
	b->t = t;
	b->lim = lim;
	b->fmt = fmt;
	b->err = err;
	b->empty = arena_strdup(&t->arena, "");
}

void tb_release(struct tb *b)
{
	free(b->rows);
	free(b->cells);
	b->rows = NULL;
	b->cells = NULL;
	b->nrows = b->ncells = b->rows_alloc = b->cells_alloc = 0;
}

char *tb_strdup(struct tb *b, const char *s, size_t len)
{
	char *p;

	if (len >= POOL_BLOCK / 4) {
		p = arena_alloc(&b->t->arena, len + 1);
	} else {
		if (len + 1 > b->pool_left) {
			b->pool = arena_alloc(&b->t->arena, POOL_BLOCK);
			b->pool_left = POOL_BLOCK;
		}
		p = b->pool;
		b->pool += len + 1;
		b->pool_left -= len + 1;
	}
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void tb_row(struct tb *b, long source)
{
	b->cur_source = source;
	b->cur_stored = 0;
	/* Rows past the limit are only counted: if one of them has a
	 * cell, tb_cell() fails; if none has, they were trailing. */
	if (b->seen < b->lim->max_rows) {
		xgrow((void **)&b->rows, &b->rows_alloc, b->nrows + 1,
		      sizeof(*b->rows));
		b->rows[b->nrows].first = b->ncells;
		b->rows[b->nrows].n = 0;
		b->rows[b->nrows].source = source;
		b->nrows++;
		b->cur_stored = 1;
	}
	b->seen++;
}

/*
 * The apostrophe table_writer puts before a cell that a spreadsheet
 * would evaluate (table.h): a cell of one or more apostrophes followed by
 * one of these characters loses its first apostrophe ("'=1" reads "=1",
 * "''=1" reads "'=1"); any other cell keeps its apostrophes.
 */
int table_formula_char(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
	       c == '\r';
}

static int neutralised(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] == '\'')
		i++;
	return i > 0 && i < len && table_formula_char(s[i]);
}

enum xj_err tb_cell(struct tb *b, size_t col, const char *s, size_t len)
{
	long row = b->cur_source;
	struct xj_error verr;
	size_t nchars;
	struct tb_cell *c;

	if (len == 0)
		return XJ_OK;
	if (!b->cur_stored)
		return tb_fail(b, XJ_ETOOLARGE, row, 0,
		               "行数超过上限（最多 %zu 行，含表头）",
		               b->lim->max_rows);
	if (col >= b->lim->max_cols)
		return tb_fail(b, XJ_ETOOLARGE, row, (long)col + 1,
		               "列数超过上限（最多 %zu 列）", b->lim->max_cols);
	if (memchr(s, '\0', len) != NULL)
		return tb_fail(b, XJ_EINVAL, row, (long)col + 1,
		               "单元格含有空字符（NUL），这不是文本表格的内容");
	/* utf8_validate() fills verr (column: the bad byte) on failure. */
	if (utf8_validate(s, len, NULL, &verr) != XJ_OK)
		return tb_fail(b, XJ_EINVAL, row, (long)col + 1,
		               "不是有效的 UTF-8 文本（单元格第 %ld 个字节）",
		               verr.column);
	if (neutralised(s, len)) {
		s++;
		len--;
	}
	nchars = utf8_length(s, len);
	if (nchars > b->lim->max_cell_chars)
		return tb_fail(b, XJ_ETOOLARGE, row, (long)col + 1,
		               "单元格有 %zu 个字符，超过上限（最多 %zu 个）",
		               nchars, b->lim->max_cell_chars);
	xgrow((void **)&b->cells, &b->cells_alloc, b->ncells + 1,
	      sizeof(*b->cells));
	c = &b->cells[b->ncells++];
	c->s = tb_strdup(b, s, len);
	c->col = col;
	b->rows[b->nrows - 1].n++;
	if (col + 1 > b->ncols)
		b->ncols = col + 1;
	return XJ_OK;
}

void tb_finish(struct tb *b)
{
	struct table *t = b->t;
	size_t i, j, total;

	while (b->nrows > 0 && b->rows[b->nrows - 1].n == 0)
		b->nrows--;
	t->nrows = b->nrows;
	t->ncols = b->nrows > 0 ? b->ncols : 0;
	if (t->nrows == 0)
		return;
	/* nrows <= max_rows and ncols <= max_cols; the check is for a
	 * caller that set absurd limits. */
	if (size_mul_overflow(t->nrows, t->ncols, &total))
		abort();
	t->cells = arena_calloc(&t->arena, total, sizeof(*t->cells));
	t->source_row = arena_calloc(&t->arena, t->nrows, sizeof(long));
	for (i = 0; i < total; i++)
		t->cells[i] = b->empty;
	for (i = 0; i < t->nrows; i++) {
		const struct tb_row *r = &b->rows[i];
		char **dst = t->cells + i * t->ncols;

		t->source_row[i] = r->source;
		/* The cell strings are the arena's; cells[] only points. */
		for (j = 0; j < r->n; j++)
			dst[b->cells[r->first + j].col] =
			    (char *)b->cells[r->first + j].s;
	}
}

enum xj_err table_read(const void *data, size_t len, enum table_format fmt,
                       enum table_encoding enc, const struct table_limits *lim,
                       struct table *t, struct xj_error *err)
{
	struct table_limits deflim;
	char have[32], max[32];
	struct tb b;
	enum xj_err rc;

	table_init(t);
	xj_error_clear(err);
	if (lim == NULL) {
		table_limits_default(&deflim);
		lim = &deflim;
	}
	if ((int)fmt < 0 || fmt >= TABLE_FORMAT__MAX || (int)enc < 0 ||
	    enc >= TABLE_ENC__MAX)
		return xj_error_set(err, XJ_EINTERNAL, "未知的表格格式或编码");
	if (len > lim->max_bytes) {
		table_format_size(have, sizeof(have), len);
		table_format_size(max, sizeof(max), lim->max_bytes);
		return xj_error_set(err, XJ_ETOOLARGE,
		                    "文件大小为 %s，超过上限 %s", have, max);
	}
	t->format = fmt;
	tb_init(&b, t, lim, fmt, err);
	if (fmt == TABLE_CSV)
		rc = table_csv_read(&b, data, len, enc);
	else
		rc = table_xlsx_read(&b, data, len);
	if (rc == XJ_OK)
		tb_finish(&b);
	tb_release(&b);
	if (rc != XJ_OK)
		table_release(t);
	return rc;
}

static enum xj_err open_error(const char *path, int errnum,
                              struct xj_error *err)
{
	switch (errnum) {
	case ENOENT:
		return xj_error_set(err, XJ_EIO, "文件 %s 不存在", path);
	case EACCES:
		return xj_error_set(err, XJ_EIO, "没有读取文件 %s 的权限",
		                    path);
	case EISDIR:
		return xj_error_set(err, XJ_EIO, "%s 是目录，不是文件", path);
	default:
		return xj_error_set(err, XJ_EIO, "无法读取文件 %s: %s", path,
		                    strerror(errnum));
	}
}

/*
 * A file larger than the limit is refused from its size alone (a 2 GB
 * upload is never read); a file that is not regular, or grows while it
 * is read, is read until one byte past the limit.
 */
enum xj_err table_read_file(const char *path, enum table_format fmt,
                            enum table_encoding enc,
                            const struct table_limits *lim, struct table *t,
                            struct xj_error *err)
{
	struct table_limits deflim;
	char have[32], max[32];
	struct stat st;
	size_t cap, len = 0, want;
	char *buf = NULL;
	ssize_t n;
	enum xj_err rc;
	int fd;

	table_init(t);
	xj_error_clear(err);
	if (lim == NULL) {
		table_limits_default(&deflim);
		lim = &deflim;
	}
	table_format_size(max, sizeof(max), lim->max_bytes);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return open_error(path, errno, err);
	if (fstat(fd, &st) != 0) {
		rc = open_error(path, errno, err);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = open_error(path, EISDIR, err);
		goto out;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > lim->max_bytes) {
		table_format_size(have, sizeof(have), (size_t)st.st_size);
		rc = xj_error_set(err, XJ_ETOOLARGE,
		                  "文件大小为 %s，超过上限 %s", have, max);
		goto out;
	}
	/* Room for one byte past the limit, to notice a longer file. */
	want = lim->max_bytes < SIZE_MAX ? lim->max_bytes + 1 : SIZE_MAX;
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 64 * KIB;
	if (cap > want)
		cap = want;
	buf = xmalloc(cap);
	for (;;) {
		if (len == cap) {
			if (cap == want)
				break;
			cap = cap > want / 2 ? want : cap * 2;
			buf = xreallocarray(buf, cap, 1);
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = open_error(path, errno, err);
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > lim->max_bytes) {
		rc =
		    xj_error_set(err, XJ_ETOOLARGE, "文件大小超过上限 %s", max);
		goto out;
	}
	rc = table_read(buf, len, fmt, enc, lim, t, err);
out:
	free(buf);
	close(fd);
	return rc;
}
