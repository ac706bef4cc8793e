/*
 * csv.c - reading CSV (RFC 4180) with libcsv.
 *
 * libcsv runs in strict mode: a quote inside an unquoted field, text
 * after a closing quote (RFC 4180 §2 rules 5-7) and a quoted field still
 * open at the end of the file are errors. Its default of trimming spaces
 * and tabs around unquoted fields is turned off: cells keep their text.
 *
 * libcsv does not count lines, so the input is fed to it one line at a
 * time (a line ends at LF, CRLF or a lone CR, inside quotes or not, as an
 * editor shows it). A record's first line is the line of the chunk in
 * which it began; a field's first line likewise. Empty lines between
 * records make no row (libcsv skips them); each row keeps the line it
 * starts on in source_row.
 */
#include <csv.h>
#include <string.h>

#include "xianjiao/text.h"

#include "internal.h"

struct csv_state {
	struct tb *b;
	struct table_dec dec;
	enum table_encoding asked; /* as the caller asked: AUTO or not */
	int bom;                   /* the file starts with a UTF-8 BOM */
	long line;                 /* 1-based line of the chunk being fed */
	long rec_line;             /* line where the current record starts */
	long field_line;           /* line where the current field starts */
	int rec_started;           /* the current record began before line */
	int row_begun;             /* tb_row() done for the current record */
	int ended;                 /* a record ended in the current chunk */
	size_t col;                /* 0-based index of the next field */
	enum xj_err rc;            /* first error; then callbacks do nothing */
};

static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

/* Lines before offset bad of a field that starts on line first. */
static long line_at(long first, const char *s, size_t bad)
{
	size_t i;

	for (i = 0; i < bad; i++)
		if (s[i] == '\n' ||
		    (s[i] == '\r' && (i + 1 >= bad || s[i + 1] != '\n')))
			first++;
	return first;
}

static enum xj_err decode_error(struct csv_state *s, const char *field,
                                size_t bad)
{
	long line = line_at(s->field_line, field, bad);
	long col = (long)s->col + 1;
	size_t byte = bad + 1;

	if (s->dec.enc == TABLE_ENC_UTF8 && s->asked == TABLE_ENC_AUTO)
		return tb_fail(s->b, XJ_EINVAL, line, col,
		               "文件开头标明是 UTF-8 编码，但这里不是有效的 "
		               "UTF-8 文本（单元格第 %zu 个字节）",
		               byte);
	if (s->dec.enc == TABLE_ENC_UTF8)
		return tb_fail(s->b, XJ_EINVAL, line, col,
		               "不是有效的 UTF-8 文本（单元格第 %zu 个字节）；"
		               "如果文件是 Excel 另存的普通 CSV，请选择 "
		               "GB18030（GBK）编码",
		               byte);
	if (s->asked == TABLE_ENC_AUTO)
		return tb_fail(
		    s->b, XJ_EINVAL, line, col,
		    "无法识别文件编码：既不是有效的 UTF-8，也不是有效的 "
		    "GB18030（GBK）文本（单元格第 %zu 个字节）",
		    byte);
	return tb_fail(s->b, XJ_EINVAL, line, col,
	               "不是有效的 GB18030（GBK）文本（单元格第 %zu 个字节）；"
	               "如果文件是 UTF-8 编码，请选择 UTF-8",
	               byte);
}

/* libcsv: one field has ended. */
static void on_field(void *field, size_t len, void *data)
{
	struct csv_state *s = data;
	const char *text;
	size_t tlen, bad;

	if (s->rc != XJ_OK)
		return;
	if (!s->row_begun) {
		tb_row(s->b, s->rec_line);
		s->row_begun = 1;
	}
	if (table_dec_run(&s->dec, field, len, &text, &tlen, &bad) != 0)
		s->rc = decode_error(s, field, bad);
	else
		s->rc = tb_cell(s->b, s->col, text, tlen);
	s->col++;
	/* The next field starts after this one's delimiter, on the line
	 * being fed. */
	s->field_line = s->line;
}

/* libcsv: one record has ended. */
static void on_record(int c, void *data)
{
	struct csv_state *s = data;

	(void)c;
	if (s->rc != XJ_OK)
		return;
	if (!s->row_begun)
		tb_row(s->b, s->rec_line);
	s->row_begun = 0;
	s->rec_started = 0;
	s->col = 0;
	s->ended = 1;
}

/* End of the line that starts at data[pos]: after its LF, CRLF or lone
 * CR, or at the end of the data. */
static size_t line_end(const unsigned char *data, size_t len, size_t pos)
{
	while (pos < len && data[pos] != '\n' && data[pos] != '\r')
		pos++;
	if (pos < len) {
		if (data[pos] == '\r' && pos + 1 < len && data[pos + 1] == '\n')
			pos++;
		pos++;
	}
	return pos;
}

enum xj_err table_csv_read(struct tb *b, const unsigned char *data, size_t len,
                           enum table_encoding enc)
{
	struct csv_parser p;
	struct csv_state s;
	size_t skip, pos, end, n;
	enum xj_err rc;

	memset(&s, 0, sizeof(s));
	s.b = b;
	s.asked = enc;
	enc = table_enc_detect(data, len, enc, &skip);
	b->t->encoding = enc;
	rc = table_dec_init(&s.dec, enc, b->err);
	if (rc != XJ_OK)
		return rc;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		table_dec_release(&s.dec);
		return xj_error_set(b->err, XJ_EINTERNAL,
		                    "无法初始化 CSV 解析");
	}
	csv_set_space_func(&p, no_space);
	/* libcsv grows its field buffer by a fixed step; a sixteenth of
	 * the input bounds a field of any length to 16 steps, so the
	 * copying stays linear. */
	csv_set_blk_size(&p, len / 16 > 4096 ? len / 16 : 4096);

	s.line = 1;
	for (pos = skip; pos < len; pos = end, s.line++) {
		end = line_end(data, len, pos);
		if (!s.rec_started)
			s.rec_line = s.field_line = s.line;
		s.ended = 0;
		n = csv_parse(&p, data + pos, end - pos, on_field, on_record,
		              &s);
		if (s.rc != XJ_OK) {
			rc = s.rc;
			goto out;
		}
		if (n != end - pos) {
			if (csv_error(&p) == CSV_EPARSE)
				rc = tb_fail(
				    b, XJ_EINVAL, s.line, (long)s.col + 1,
				    "引号位置不正确：字段中的引号要写成两个"
				    "（\"\"），并且整个字段要用引号括起来");
			else
				rc = xj_error_set(b->err, XJ_EINTERNAL,
				                  "解析 CSV 时内存不足");
			goto out;
		}
		/* A record that began on this line and did not end on it
		 * (a quoted field goes on) started here. */
		if (!s.ended && data[pos] != '\r' && data[pos] != '\n')
			s.rec_started = 1;
	}
	if (csv_fini(&p, on_field, on_record, &s) != 0) {
		rc = tb_fail(b, XJ_EINVAL, s.field_line, (long)s.col + 1,
		             "引号没有闭合：从这里开始的带引号字段直到文件末尾"
		             "都没有结束");
		goto out;
	}
	rc = s.rc;
out:
	csv_free(&p);
	table_dec_release(&s.dec);
	return rc;
}
