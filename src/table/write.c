/*
 * write.c - table_writer: rows of UTF-8 cells out as CSV or XLSX.
 *
 * Both formats share the checks made before a row is accepted (valid
 * UTF-8, Excel's limits) and the neutralisation of formula-like cells, so
 * a CSV and an XLSX written from the same rows read back identically.
 *
 * A row that fails a check is refused as a whole and the writer stays
 * usable: nothing of that row is written. A failure of the XLSX library
 * itself leaves the writer broken; every later call repeats the error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "internal.h"

#include "xianjiao/alloc.h"
#include "xianjiao/strbuf.h"
#include "xianjiao/table.h"
#include "xianjiao/text.h"

/*
 * Excel's specifications and limits ("Excel specifications and limits",
 * Microsoft support): 1,048,576 rows by 16,384 columns a worksheet, and
 * 32,767 characters a cell. Excel counts characters in UTF-16 code units,
 * so a character outside the BMP (an emoji, a CJK Extension B ideograph)
 * counts 2; libxlsxwriter counts code points and would let such a cell
 * through for Excel to cut. The limits apply to CSV as well: the users
 * open CSV files in Excel, which drops what does not fit without a word.
 */
#define EXCEL_MAX_ROWS 1048576
#define EXCEL_MAX_COLS 16384
#define EXCEL_MAX_CELL_CHARS 32767

/* The most bytes a finished file may have; it is handed over in memory. */
#define WRITE_MAX_BYTES ((size_t)1 << 30)

/* Column widths are measured on the first rows only (header included). */
#define WIDTH_SAMPLE_ROWS 1000
/* Widths in Excel's unit, the width of a digit of the default font. */
#define WIDTH_PAD 2
#define WIDTH_MAX 60

/*
 * The creation and modification date written into docProps/core.xml:
 * 2005-01-01T00:00:00Z. libxlsxwriter stamps the current time unless told
 * otherwise, which would make every export of the same rows differ. Its
 * zip writer already dates every entry 1980-01-01 00:00, so with this the
 * bytes depend on the cells alone.
 */
#define XLSX_FIXED_TIME ((time_t)1104537600)

#define XLSX_DEFAULT_SHEET "Sheet1"
#define XLSX_TMP_PREFIX "xianjiao-xlsx-"
#define XLSX_TMP_FILE "out.xlsx"

struct xlsx_out {
	char *dir;  /* private temporary directory (mkdtemp), or NULL */
	char *path; /* dir/out.xlsx, where libxlsxwriter writes */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold;
	double *width; /* per column, display width in the sample rows */
	size_t nwidth, width_alloc;
	struct strbuf esc; /* scratch: a cell with "_xHHHH_" escaped */
};

struct table_writer {
	enum table_format fmt;
	size_t nrows;       /* rows accepted so far */
	enum xj_err broken; /* XJ_OK, or why nothing more can be written */
	struct strbuf cell; /* scratch: a neutralised cell */
	struct strbuf csv;  /* TABLE_CSV: the file so far */
	struct xlsx_out x;  /* TABLE_XLSX */
};

/*
 * CSV injection (OWASP): a spreadsheet evaluates a cell that starts with
 * one of these as a formula, or (TAB, CR) may shift it into one. Note
 * that '-' alone and "-5" are caught as well; the apostrophe turns them
 * into text, which is what a cell of this module holds anyway.
 */
static int needs_apostrophe(const char *s)
{
	/* Apostrophes already in front of a formula character get one more,
	 * which the reader takes away again: "'=x" is written "''=x" and
	 * reads back as "'=x", not "=x" (table.h). */
	while (*s == '\'')
		s++;
	return table_formula_char(s[0]);
}

/*
 * The cell as it goes into the file: *out points into w->cell or at s.
 * Fails only past the scratch buffer's maximum, which a cell that passed
 * check_row() cannot reach.
 */
static enum xj_err neutralise(struct table_writer *w, const char *s, size_t len,
                              const char **out, size_t *outlen)
{
	*out = s;
	*outlen = len;
	if (!needs_apostrophe(s))
		return XJ_OK;
	strbuf_reset(&w->cell);
	if (strbuf_addch(&w->cell, '\'') != XJ_OK ||
	    strbuf_add(&w->cell, s, len) != XJ_OK)
		return XJ_ETOOLARGE;
	*out = w->cell.buf;
	*outlen = w->cell.len;
	return XJ_OK;
}

/* Characters as Excel counts them: UTF-16 code units of valid UTF-8. */
static size_t excel_chars(const char *s, size_t len)
{
	size_t i, n = 0;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if ((c & 0xC0) != 0x80)
			n++;
		if (c >= 0xF0) /* four bytes: a surrogate pair in UTF-16 */
			n++;
	}
	return n;
}

static enum xj_err cell_error(struct xj_error *err, enum xj_err code,
                              size_t row, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static enum xj_err cell_error(struct xj_error *err, enum xj_err code,
                              size_t row, size_t col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xj_error_vset(err, code, fmt, ap);
	va_end(ap);
	if (err != NULL) {
		err->row = (long)row;
		err->line = 0;
		err->column = (long)col;
	}
	return code;
}

/* Nonzero if s[0..len) begins with an escape "_xHHHH_". */
static int is_ooxml_escape(const char *s, size_t len)
{
	size_t i;

	if (len < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
		return 0;
	for (i = 2; i < 6; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'A' && s[i] <= 'F') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* How many escapes "_xHHHH_" s[0..len) holds. */
static size_t count_ooxml_escapes(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (s[i] == '_' && is_ooxml_escape(s + i, len - i))
			n++;
	return n;
}

/*
 * ECMA-376 Part 1, §22.9.2.19 (ST_Xstring): in XLSX text, "_xHHHH_"
 * stands for the character U+HHHH; that is how control characters are
 * written, and Excel decodes it wherever it appears. libxlsxwriter 1.1.4
 * escapes control characters that way but passes a literal "_x0041_"
 * through, which Excel would then show as "A". Escape the underscore that
 * begins such a sequence as "_x005F_", as Excel itself does, so the cell
 * reads back as typed. *out is s itself when nothing needs escaping.
 */
static enum xj_err ooxml_escape(struct strbuf *sb, const char *s, size_t len,
                                const char **out)
{
	size_t i, start = 0;
	int found = 0;

	*out = s;
	strbuf_reset(sb);
	for (i = 0; i < len; i++) {
		if (s[i] != '_' || !is_ooxml_escape(s + i, len - i))
			continue;
		/* The 'x' after it stays, so an escape starting at the
		 * closing '_' of this one is found as well. */
		if (strbuf_add(sb, s + start, i - start) != XJ_OK ||
		    strbuf_adds(sb, "_x005F_") != XJ_OK)
			return XJ_ETOOLARGE;
		start = i + 1;
		found = 1;
	}
	if (!found)
		return XJ_OK;
	if (strbuf_add(sb, s + start, len - start) != XJ_OK)
		return XJ_ETOOLARGE;
	*out = sb->buf;
	return XJ_OK;
}

/* Check a whole row before any of it is written. row is 1-based. */
static enum xj_err check_row(enum table_format fmt, const char *const *cells,
                             size_t n, size_t row, struct xj_error *err)
{
	struct xj_error e;
	size_t c, len, chars;

	if (row > EXCEL_MAX_ROWS)
		return cell_error(err, XJ_ETOOLARGE, row, 0,
		                  "第 %zu 行超出 Excel 工作表上限 %d 行", row,
		                  EXCEL_MAX_ROWS);
	if (n > EXCEL_MAX_COLS)
		return cell_error(err, XJ_ETOOLARGE, row, EXCEL_MAX_COLS + 1,
		                  "第 %zu 行有 %zu 列，超出 Excel 上限 %d 列",
		                  row, n, EXCEL_MAX_COLS);
	for (c = 0; c < n; c++) {
		if (cells[c] == NULL)
			continue;
		len = strlen(cells[c]);
		xj_error_clear(&e);
		if (utf8_validate(cells[c], len, NULL, &e) != XJ_OK)
			return cell_error(err, XJ_EINVAL, row, c + 1,
			                  "第 %zu 行第 %zu 列不是有效的 UTF-8 "
			                  "文本（第 %ld 字节）",
			                  row, c + 1, e.column);
		chars = excel_chars(cells[c], len) +
		        (needs_apostrophe(cells[c]) ? 1 : 0);
		if (chars > EXCEL_MAX_CELL_CHARS)
			return cell_error(
			    err, XJ_ETOOLARGE, row, c + 1,
			    "第 %zu 行第 %zu 列有 %zu 个字符，超出 "
			    "Excel 单元格上限 %d 个字符",
			    row, c + 1, chars, EXCEL_MAX_CELL_CHARS);
		/* Each "_x005F_" added by ooxml_escape() counts towards the
		 * limit libxlsxwriter checks, although Excel sees one "_". */
		if (fmt == TABLE_XLSX &&
		    chars + 6 * count_ooxml_escapes(cells[c], len) >
		        EXCEL_MAX_CELL_CHARS)
			return cell_error(err, XJ_ETOOLARGE, row, c + 1,
			                  "第 %zu 行第 %zu 列含有过多“_x0000_”"
			                  "形式的文字，超出 XLSX 单元格上限",
			                  row, c + 1);
	}
	return XJ_OK;
}

static enum xj_err too_large(struct xj_error *err)
{
	return xj_error_set(err, XJ_ETOOLARGE,
	                    "导出文件超出 %zu MiB 上限，请缩小导出范围",
	                    WRITE_MAX_BYTES >> 20);
}

/* CSV (RFC 4180 §2) */

/* A field needs quotes if it holds a separator, a quote or a line end. */
static int csv_needs_quotes(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return 1;
	return 0;
}

static enum xj_err csv_field(struct strbuf *sb, const char *s, size_t len)
{
	size_t i, start;

	if (!csv_needs_quotes(s, len))
		return strbuf_add(sb, s, len);
	if (strbuf_addch(sb, '"') != XJ_OK)
		return XJ_ETOOLARGE;
	for (i = start = 0; i < len; i++) {
		if (s[i] != '"')
			continue;
		/* RFC 4180 §2.7: a quote inside is written twice */
		if (strbuf_add(sb, s + start, i + 1 - start) != XJ_OK)
			return XJ_ETOOLARGE;
		start = i;
	}
	if (strbuf_add(sb, s + start, len - start) != XJ_OK ||
	    strbuf_addch(sb, '"') != XJ_OK)
		return XJ_ETOOLARGE;
	return XJ_OK;
}

static enum xj_err csv_row(struct table_writer *w, const char *const *cells,
                           size_t n, struct xj_error *err)
{
	size_t before = w->csv.len, c, len;
	const char *s;

	for (c = 0; c < n; c++) {
		if (c > 0 && strbuf_addch(&w->csv, ',') != XJ_OK)
			goto toolarge;
		s = cells[c] != NULL ? cells[c] : "";
		if (neutralise(w, s, strlen(s), &s, &len) != XJ_OK ||
		    csv_field(&w->csv, s, len) != XJ_OK)
			goto toolarge;
	}
	if (strbuf_add(&w->csv, "\r\n", 2) != XJ_OK)
		goto toolarge;
	return XJ_OK;
toolarge:
	/* Take back the part of the row already added. */
	w->csv.len = before;
	w->csv.buf[before] = '\0';
	return too_large(err);
}

/* XLSX */

/* Display width of a code point: 2 for East Asian wide and fullwidth
 * characters (UAX #11), which is how much room a hanzi takes next to a
 * digit of the default font; 1 for the rest. */
static double char_width(uint32_t cp)
{
	if ((cp >= 0x1100 && cp <= 0x115F) || /* Hangul Jamo */
	    (cp >= 0x2E80 && cp <= 0x303E) || /* CJK radicals, punctuation */
	    (cp >= 0x3041 && cp <= 0x33FF) || /* kana, CJK compatibility */
	    (cp >= 0x3400 && cp <= 0x4DBF) || /* CJK Extension A */
	    (cp >= 0x4E00 && cp <= 0x9FFF) || /* CJK Unified Ideographs */
	    (cp >= 0xA000 && cp <= 0xA4CF) || /* Yi */
	    (cp >= 0xAC00 && cp <= 0xD7A3) || /* Hangul syllables */
	    (cp >= 0xF900 && cp <= 0xFAFF) || /* CJK compatibility */
	    (cp >= 0xFE30 && cp <= 0xFE4F) || /* CJK compatibility forms */
	    (cp >= 0xFF00 && cp <= 0xFF60) || /* fullwidth forms */
	    (cp >= 0xFFE0 && cp <= 0xFFE6) ||
	    (cp >= 0x1F300 && cp <= 0x1F64F) || /* emoji */
	    (cp >= 0x1F900 && cp <= 0x1F9FF) ||
	    (cp >= 0x20000 && cp <= 0x3FFFD)) /* CJK Extension B and on */
		return 2;
	return 1;
}

/* Width of the longest line of valid UTF-8 s. */
static double text_width(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	double line = 0, widest = 0;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(p + i, len - i, &cp);
		if (n == 0) /* cannot happen: the row was validated */
			break;
		if (cp == '\n') {
			line = 0;
		} else {
			line += char_width(cp);
			if (line > widest)
				widest = line;
		}
		i += n;
	}
	return widest;
}

/* $TMPDIR as the user set it, else /tmp. */
static const char *tmp_base(void)
{
	const char *d = getenv("TMPDIR");

	return d != NULL && d[0] != '\0' ? d : "/tmp";
}

static void xlsx_release(struct xlsx_out *x)
{
	if (x->wb != NULL) {
		/* lxw_workbook_free() leaves the constant-memory temporary
		 * file of an unfinished sheet open; only workbook_close()
		 * closes it. */
		if (x->ws != NULL && x->ws->optimize_tmpfile != NULL) {
			fclose(x->ws->optimize_tmpfile);
			x->ws->optimize_tmpfile = NULL;
		}
		lxw_workbook_free(x->wb);
	}
	/* Best effort, results deliberately unused: a cleanup path has no
	 * one to report to. unlink fails with ENOENT unless finish got as
	 * far as writing the file. */
	if (x->path != NULL)
		(void)unlink(x->path);
	if (x->dir != NULL)
		(void)rmdir(x->dir);
	free(x->path);
	free(x->dir);
	free(x->width);
	strbuf_release(&x->esc);
	memset(x, 0, sizeof(*x));
}

/*
 * Excel's rules for a sheet name: 1-31 characters, none of : \ / ? * [ ],
 * not beginning or ending with an apostrophe, and not "History", which
 * Excel keeps for itself.
 */
static enum xj_err check_sheet_name(const char *name, struct xj_error *err)
{
	size_t len = strlen(name), chars;

	if (utf8_validate(name, len, NULL, NULL) != XJ_OK)
		return xj_error_field(err, XJ_EINVAL, "sheet",
		                      "工作表名称不是有效的 UTF-8 文本");
	chars = excel_chars(name, len);
	if (chars > LXW_SHEETNAME_MAX)
		return xj_error_field(err, XJ_EINVAL, "sheet",
		                      "工作表名称有 %zu 个字符，最多 %d 个",
		                      chars, LXW_SHEETNAME_MAX);
	if (strpbrk(name, ":\\/?*[]") != NULL)
		return xj_error_field(
		    err, XJ_EINVAL, "sheet",
		    "工作表名称不能包含以下字符：: \\ / ? * [ ]");
	if (name[0] == '\'' || name[len - 1] == '\'')
		return xj_error_field(err, XJ_EINVAL, "sheet",
		                      "工作表名称不能以单引号开头或结尾");
	if (strcasecmp(name, "History") == 0)
		return xj_error_field(err, XJ_EINVAL, "sheet",
		                      "工作表名称不能是 History（Excel 保留）");
	return XJ_OK;
}

/*
 * libxlsxwriter 1.1.4 writes only to a named file (an in-memory output
 * came in a later version), so the workbook goes to a private directory
 * made here, which also holds the library's own temporary files (they are
 * unlinked as soon as they are open). finish reads the file back and
 * removes the directory; so does free, on every error path.
 */
static enum xj_err xlsx_new(struct xlsx_out *x, const char *sheet,
                            struct xj_error *err)
{
	lxw_workbook_options opt;
	lxw_doc_properties props;
	struct strbuf sb;
	enum xj_err rc;

	memset(x, 0, sizeof(*x));
	strbuf_init(&x->esc, WRITE_MAX_BYTES);
	if (sheet == NULL || sheet[0] == '\0')
		sheet = XLSX_DEFAULT_SHEET;
	rc = check_sheet_name(sheet, err);
	if (rc != XJ_OK)
		return rc;

	strbuf_init(&sb, 4096);
	if (strbuf_addf(&sb, "%s/%sXXXXXX", tmp_base(), XLSX_TMP_PREFIX) !=
	    XJ_OK) {
		strbuf_release(&sb);
		return xj_error_set(err, XJ_EIO, "临时目录路径过长");
	}
	x->dir = strbuf_detach(&sb, NULL);
	if (mkdtemp(x->dir) == NULL) {
		rc = xj_error_set(err, XJ_EIO, "无法在 %s 下创建临时目录：%s",
		                  tmp_base(), strerror(errno));
		free(x->dir);
		x->dir = NULL;
		goto out;
	}
	strbuf_init(&sb, 4096);
	if (strbuf_addf(&sb, "%s/%s", x->dir, XLSX_TMP_FILE) != XJ_OK) {
		rc = xj_error_set(err, XJ_EIO, "临时目录路径过长");
		goto out;
	}
	x->path = strbuf_detach(&sb, NULL);

	/* constant_memory: each row goes to a temporary file as soon as
	 * the next one starts, so 100,000 rows take kilobytes instead of
	 * hundreds of megabytes. Strings are then written inline in the
	 * sheet (t="inlineStr") rather than in xl/sharedStrings.xml, a form
	 * Excel reads like any other (and turns into shared strings when it
	 * saves). Rows must come in order, as they do here. */
	memset(&opt, 0, sizeof(opt));
	opt.constant_memory = LXW_TRUE;
	opt.tmpdir = x->dir;
	x->wb = workbook_new_opt(x->path, &opt);
	if (x->wb == NULL) {
		rc = xj_error_set(err, XJ_EINTERNAL, "无法创建 XLSX 工作簿");
		goto out;
	}
	memset(&props, 0, sizeof(props));
	props.created = XLSX_FIXED_TIME;
	if (workbook_set_properties(x->wb, &props) != LXW_NO_ERROR) {
		rc = xj_error_set(err, XJ_EINTERNAL, "无法设置 XLSX 文档属性");
		goto out;
	}
	x->ws = workbook_add_worksheet(x->wb, sheet);
	if (x->ws == NULL) {
		rc = xj_error_set(err, XJ_EIO, "无法创建 XLSX 工作表“%s”",
		                  sheet);
		goto out;
	}
	x->bold = workbook_add_format(x->wb);
	if (x->bold == NULL) {
		rc = xj_error_set(err, XJ_EINTERNAL, "无法创建 XLSX 格式");
		goto out;
	}
	format_set_bold(x->bold);
	/* The header row stays in view while the clerk scrolls. */
	worksheet_freeze_panes(x->ws, 1, 0);
	rc = XJ_OK;
out:
	if (rc != XJ_OK)
		xlsx_release(x);
	return rc;
}

static enum xj_err xlsx_row(struct table_writer *w, const char *const *cells,
                            size_t n, struct xj_error *err)
{
	struct xlsx_out *x = &w->x;
	lxw_row_t row = (lxw_row_t)w->nrows; /* 0-based: the row to write */
	lxw_format *fmt = w->nrows == 0 ? x->bold : NULL;
	lxw_error e;
	const char *s;
	size_t c, len;
	double width;

	if (w->nrows < WIDTH_SAMPLE_ROWS && n > x->nwidth) {
		xgrow((void **)&x->width, &x->width_alloc, n,
		      sizeof(*x->width));
		memset(x->width + x->nwidth, 0,
		       (n - x->nwidth) * sizeof(*x->width));
		x->nwidth = n;
	}
	for (c = 0; c < n; c++) {
		if (cells[c] == NULL || cells[c][0] == '\0')
			continue; /* an empty cell is no cell in XLSX */
		if (neutralise(w, cells[c], strlen(cells[c]), &s, &len) !=
		    XJ_OK)
			goto toolong;
		if (w->nrows < WIDTH_SAMPLE_ROWS) {
			width = text_width(s, len);
			if (width > x->width[c])
				x->width[c] = width;
		}
		if (ooxml_escape(&x->esc, s, len, &s) != XJ_OK)
			goto toolong;
		/* A string cell, always: never a formula or a number, even
		 * without the apostrophe. */
		e = worksheet_write_string(x->ws, row, (lxw_col_t)c, s, fmt);
		if (e != LXW_NO_ERROR)
			return cell_error(
			    err, XJ_EINTERNAL, w->nrows + 1, c + 1,
			    "第 %zu 行第 %zu 列写入 XLSX 失败：%s",
			    w->nrows + 1, c + 1, lxw_strerror(e));
	}
	return XJ_OK;
toolong: /* cannot happen: check_row() bounds the cell */
	return cell_error(err, XJ_ETOOLARGE, w->nrows + 1, c + 1,
	                  "第 %zu 行第 %zu 列过长", w->nrows + 1, c + 1);
}

static lxw_error xlsx_set_widths(struct xlsx_out *x)
{
	size_t c;
	double width;
	lxw_error e;

	for (c = 0; c < x->nwidth; c++) {
		width = x->width[c] + WIDTH_PAD;
		if (width <= LXW_DEF_COL_WIDTH)
			continue; /* Excel's default suits it */
		if (width > WIDTH_MAX)
			width = WIDTH_MAX;
		e = worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c,
		                         width, NULL);
		if (e != LXW_NO_ERROR)
			return e;
	}
	return LXW_NO_ERROR;
}

/* Read the whole of path into a malloc'd buffer. */
static enum xj_err read_back(const char *path, char **data, size_t *len,
                             struct xj_error *err)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0, size;
	ssize_t r;
	enum xj_err rc;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return xj_error_set(err, XJ_EIO, "无法读取生成的 XLSX 文件：%s",
		                    strerror(errno));
	if (fstat(fd, &st) != 0) {
		rc = xj_error_set(err, XJ_EIO, "无法读取生成的 XLSX 文件：%s",
		                  strerror(errno));
		goto out;
	}
	if (st.st_size < 0 || (uintmax_t)st.st_size > WRITE_MAX_BYTES) {
		rc = too_large(err);
		goto out;
	}
	size = (size_t)st.st_size;
	buf = xmalloc(size + 1);
	while (got < size) {
		r = read(fd, buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = xj_error_set(
			    err, XJ_EIO, "无法读取生成的 XLSX 文件：%s",
			    r < 0 ? strerror(errno) : "文件被截断");
			goto out;
		}
		got += (size_t)r;
	}
	buf[size] = '\0';
	*data = buf;
	*len = size;
	buf = NULL;
	rc = XJ_OK;
out:
	free(buf);
	close(fd);
	return rc;
}

static enum xj_err xlsx_finish(struct xlsx_out *x, char **data, size_t *len,
                               struct xj_error *err)
{
	lxw_error e;

	e = xlsx_set_widths(x);
	if (e != LXW_NO_ERROR)
		return xj_error_set(err, XJ_EINTERNAL, "设置 XLSX 列宽失败：%s",
		                    lxw_strerror(e));
	/* In constant-memory mode rows went to a temporary file through
	 * stdio without a check; a full disk would show only here. */
	if (x->ws->optimize_tmpfile != NULL &&
	    (fflush(x->ws->optimize_tmpfile) != 0 ||
	     ferror(x->ws->optimize_tmpfile)))
		return xj_error_set(err, XJ_EIO,
		                    "写入 XLSX 临时文件失败（磁盘空间不足？）");
	e = workbook_close(x->wb);
	x->wb = NULL; /* workbook_close frees it, whatever happened */
	if (e != LXW_NO_ERROR)
		return xj_error_set(err, XJ_EIO, "生成 XLSX 文件失败：%s",
		                    lxw_strerror(e));
	return read_back(x->path, data, len, err);
}

/* The writer */

enum xj_err table_writer_new(enum table_format fmt, const char *sheet,
                             struct table_writer **out, struct xj_error *err)
{
	struct table_writer *w;
	enum xj_err rc;

	*out = NULL;
	if (fmt != TABLE_CSV && fmt != TABLE_XLSX)
		return xj_error_set(err, XJ_EINTERNAL, "不支持的导出格式 %d",
		                    (int)fmt);
	w = xcalloc(1, sizeof(*w));
	w->fmt = fmt;
	strbuf_init(&w->cell, 4 * EXCEL_MAX_CELL_CHARS + 2);
	strbuf_init(&w->csv, WRITE_MAX_BYTES);
	if (fmt == TABLE_CSV) {
		/* The BOM is what makes Excel read the file as UTF-8 rather
		 * than GBK; it also keeps a first cell "ID" from passing for
		 * a SYLK file. Sheet names mean nothing to CSV. */
		rc = strbuf_add(&w->csv, "\xEF\xBB\xBF", 3);
	} else {
		rc = xlsx_new(&w->x, sheet, err);
	}
	if (rc != XJ_OK) {
		table_writer_free(w);
		return rc;
	}
	*out = w;
	return XJ_OK;
}

enum xj_err table_writer_row(struct table_writer *w, const char *const *cells,
                             size_t n, struct xj_error *err)
{
	enum xj_err rc;

	if (w == NULL || (cells == NULL && n > 0))
		return xj_error_set(err, XJ_EINTERNAL, "导出参数有误");
	if (w->broken != XJ_OK)
		return xj_error_set(err, w->broken, "导出已因先前的错误中止");
	rc = check_row(w->fmt, cells, n, w->nrows + 1, err);
	if (rc != XJ_OK)
		return rc; /* nothing written: the writer goes on */
	if (w->fmt == TABLE_CSV) {
		rc = csv_row(w, cells, n, err);
		if (rc != XJ_OK)
			return rc; /* taken back: the writer goes on */
	} else {
		rc = xlsx_row(w, cells, n, err);
		if (rc != XJ_OK) {
			w->broken = rc; /* part of the row may be written */
			return rc;
		}
	}
	w->nrows++;
	return XJ_OK;
}

enum xj_err table_writer_finish(struct table_writer *w, char **data,
                                size_t *len, struct xj_error *err)
{
	enum xj_err rc;

	*data = NULL;
	*len = 0;
	if (w == NULL)
		return xj_error_set(err, XJ_EINTERNAL, "导出参数有误");
	if (w->broken != XJ_OK) {
		rc = xj_error_set(err, w->broken, "导出已因先前的错误中止");
	} else if (w->fmt == TABLE_CSV) {
		*data = strbuf_detach(&w->csv, len);
		rc = XJ_OK;
	} else {
		rc = xlsx_finish(&w->x, data, len, err);
	}
	table_writer_free(w);
	return rc;
}

void table_writer_free(struct table_writer *w)
{
	if (w == NULL)
		return;
	if (w->fmt == TABLE_XLSX)
		xlsx_release(&w->x);
	strbuf_release(&w->cell);
	strbuf_release(&w->csv);
	free(w);
}

enum xj_err table_writer_done(struct table_writer *w, enum xj_err e,
                              char **data, size_t *len, struct xj_error *err)
{
	if (e != XJ_OK) {
		table_writer_free(w);
		return e;
	}
	return table_writer_finish(w, data, len, err);
}
