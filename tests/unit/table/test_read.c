/*
 * test_read.c - reading CSV and XLSX into a table (src/table/read.c,
 * csv.c, xlsx.c, encoding.c). Every fixture is made here at run time:
 * GBK bytes with iconv, XLSX files with libzip.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include "../../lib/check.h"
#include "../../lib/harness.h"

#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "xianjiao/alloc.h"
#include "xianjiao/strbuf.h"
#include "xianjiao/table.h"
#include "xianjiao/text.h"

static char *tmpdir;

static int setup(void **state)
{
	(void)state;
	tmpdir = tmpdir_make();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tmpdir_remove(tmpdir);
	free(tmpdir);
	return 0;
}

/* ---- helpers ---- */

static enum xj_err read_csv(const char *s, size_t len, enum table_encoding enc,
                            const struct table_limits *lim, struct table *t,
                            struct xj_error *err)
{
	struct table_limits def;

	if (lim == NULL) {
		table_limits_default(&def);
		lim = &def;
	}
	return table_read(s, len, TABLE_CSV, enc, lim, t, err);
}

/* Read NUL-terminated CSV text that must succeed. */
static void read_ok(const char *s, enum table_encoding enc, struct table *t)
{
	struct xj_error err;
	enum xj_err rc = read_csv(s, strlen(s), enc, NULL, t, &err);

	if (rc != XJ_OK)
		fail_msg("table_read: %s", err.msg);
}

/* The released state: nothing, but never NULL. */
static void assert_released(const struct table *t)
{
	assert_int_equal(t->nrows, 0);
	assert_int_equal(t->ncols, 0);
	assert_non_null(t->cells);
	assert_non_null(t->source_row);
	assert_string_equal(table_cell(t, 0, 0), "");
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	assert_int_equal(fclose(f), 0);
	*len = (size_t)n;
	return buf;
}

/* UTF-8 → code (GBK as Excel on Chinese Windows writes CSV) with iconv. */
static char *convert(const char *utf8, const char *code, size_t *len)
{
	iconv_t cd = iconv_open(code, "UTF-8");
	size_t inleft = strlen(utf8), outleft = inleft * 2 + 1;
	char *out = xmalloc(outleft), *o = out, *in = (char *)utf8;

	assert_true(cd != (iconv_t)-1);
	assert_true(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
	assert_int_equal(inleft, 0);
	iconv_close(cd);
	*len = (size_t)(o - out);
	return out;
}

static char *to_gbk(const char *utf8, size_t *len)
{
	return convert(utf8, "GBK", len);
}

/* ---- limits, sniffing, small API ---- */

static void test_limits_default(void **state)
{
	struct table_limits lim;

	(void)state;
	memset(&lim, 0, sizeof(lim));
	table_limits_default(&lim);
	assert_int_equal(lim.max_bytes, 16 * 1024 * 1024);
	assert_int_equal(lim.max_part_bytes, 256 * 1024 * 1024);
	assert_int_equal(lim.max_rows, 200001);
	assert_int_equal(lim.max_cols, 64);
	assert_int_equal(lim.max_cell_chars, 2000);
}

static void test_sniff(void **state)
{
	(void)state;
	assert_int_equal(table_sniff("PK\3\4\x14\0", 6), TABLE_XLSX);
	assert_int_equal(table_sniff("PK\3\4", 4), TABLE_XLSX);
	assert_int_equal(table_sniff("PK\3", 3), TABLE_CSV);
	assert_int_equal(table_sniff("PK\5\6", 4), TABLE_CSV);
	assert_int_equal(table_sniff("姓名,性别\r\n", strlen("姓名,性别\r\n")),
	                 TABLE_CSV);
	assert_int_equal(table_sniff("", 0), TABLE_CSV);
}

static void test_cell_and_release(void **state)
{
	struct table t;

	(void)state;
	read_ok("a,b\nc\n", TABLE_ENC_AUTO, &t);
	assert_int_equal(t.nrows, 2);
	assert_int_equal(t.ncols, 2);
	assert_string_equal(table_cell(&t, 1, 0), "c");
	assert_string_equal(table_cell(&t, 1, 1), ""); /* padding */
	assert_string_equal(table_cell(&t, 2, 0), ""); /* out of range */
	assert_string_equal(table_cell(&t, 0, 2), "");
	table_release(&t);
	assert_released(&t);
	table_release(&t); /* twice is harmless */
	assert_released(&t);
}

/* ---- CSV: encodings ---- */

static void test_csv_utf8_bom(void **state)
{
	static const char csv[] = "\xEF\xBB\xBF姓名,性别\r\n张三,男\r\n";
	struct table t;

	(void)state;
	read_ok(csv, TABLE_ENC_AUTO, &t);
	assert_int_equal(t.format, TABLE_CSV);
	assert_int_equal(t.encoding, TABLE_ENC_UTF8);
	assert_int_equal(t.nrows, 2);
	assert_int_equal(t.ncols, 2);
	assert_string_equal(table_cell(&t, 0, 0), "姓名"); /* no BOM */
	assert_string_equal(table_cell(&t, 0, 1), "性别");
	assert_string_equal(table_cell(&t, 1, 0), "张三");
	assert_string_equal(table_cell(&t, 1, 1), "男");
	assert_int_equal(t.source_row[0], 1);
	assert_int_equal(t.source_row[1], 2);
	table_release(&t);

	/* Said to be UTF-8: the BOM is still not part of the text. */
	read_ok(csv, TABLE_ENC_UTF8, &t);
	assert_string_equal(table_cell(&t, 0, 0), "姓名");
	table_release(&t);
}

static void test_csv_utf8_no_bom(void **state)
{
	struct table t;

	(void)state;
	read_ok("姓名,性别\n李四,女", TABLE_ENC_AUTO, &t); /* no final LF */
	assert_int_equal(t.encoding, TABLE_ENC_UTF8);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(table_cell(&t, 0, 0), "姓名");
	assert_string_equal(table_cell(&t, 1, 0), "李四");
	assert_string_equal(table_cell(&t, 1, 1), "女");
	assert_int_equal(t.source_row[1], 2);
	table_release(&t);

	/* Plain ASCII is UTF-8 as well. */
	read_ok("a,b\r\n", TABLE_ENC_AUTO, &t);
	assert_int_equal(t.encoding, TABLE_ENC_UTF8);
	assert_string_equal(table_cell(&t, 0, 1), "b");
	table_release(&t);
}

static void test_csv_gbk(void **state)
{
	struct table t;
	struct xj_error err;
	size_t len;
	char *gbk = to_gbk(
	    "姓名,性别\r\n张三,男\r\n\"王 五\",\"女,\"\"甲\"\"\"\r\n", &len);

	(void)state;
	/* Not UTF-8 (that is what the detection relies on). */
	assert_int_equal(read_csv(gbk, len, TABLE_ENC_UTF8, NULL, &t, &err),
	                 XJ_EINVAL);
	assert_released(&t);
	assert_int_equal(err.row, 1);
	assert_int_equal(err.column, 1);
	assert_contains(err.msg, "第 1 行第 1 列");
	assert_contains(err.msg, "UTF-8");
	assert_contains(err.msg, "GB18030");

	assert_int_equal(read_csv(gbk, len, TABLE_ENC_AUTO, NULL, &t, &err),
	                 XJ_OK);
	assert_int_equal(t.encoding, TABLE_ENC_GB18030);
	assert_int_equal(t.nrows, 3);
	assert_int_equal(t.ncols, 2);
	assert_string_equal(table_cell(&t, 0, 0), "姓名");
	assert_string_equal(table_cell(&t, 0, 1), "性别");
	assert_string_equal(table_cell(&t, 1, 0), "张三");
	assert_string_equal(table_cell(&t, 1, 1), "男");
	assert_string_equal(table_cell(&t, 2, 0), "王 五");
	assert_string_equal(table_cell(&t, 2, 1), "女,\"甲\"");
	table_release(&t);

	assert_int_equal(read_csv(gbk, len, TABLE_ENC_GB18030, NULL, &t, &err),
	                 XJ_OK);
	assert_int_equal(t.encoding, TABLE_ENC_GB18030);
	assert_string_equal(table_cell(&t, 1, 0), "张三");
	table_release(&t);
	free(gbk);

	/* GB18030's own byte order mark (U+FEFF) is not text either. */
	gbk = convert("\xEF\xBB\xBF姓名,性别\r\n", "GB18030", &len);
	assert_memory_equal(gbk, "\x84\x31\x95\x33", 4);
	assert_int_equal(read_csv(gbk, len, TABLE_ENC_AUTO, NULL, &t, &err),
	                 XJ_OK);
	assert_int_equal(t.encoding, TABLE_ENC_GB18030);
	assert_string_equal(table_cell(&t, 0, 0), "姓名");
	table_release(&t);
	free(gbk);
}

static void test_csv_gb18030_errors(void **state)
{
	/* 0x80 and 0xFF begin no character in GB18030 or UTF-8. */
	static const char bad[] = "a,b\r\nc,\xB0\xA1\x80x\r\n";
	struct table t;
	struct xj_error err;

	(void)state;
	assert_int_equal(
	    read_csv(bad, strlen(bad), TABLE_ENC_AUTO, NULL, &t, &err),
	    XJ_EINVAL);
	assert_released(&t);
	assert_int_equal(err.row, 2);
	assert_int_equal(err.column, 2);
	assert_contains(err.msg, "第 2 行第 2 列");
	assert_contains(err.msg, "无法识别文件编码");
	assert_contains(err.msg, "第 3 个字节");

	assert_int_equal(
	    read_csv(bad, strlen(bad), TABLE_ENC_GB18030, NULL, &t, &err),
	    XJ_EINVAL);
	assert_int_equal(err.row, 2);
	assert_int_equal(err.column, 2);
	assert_contains(err.msg, "不是有效的 GB18030（GBK）文本");

	/* A lead byte cut off by the end of its cell. */
	assert_int_equal(
	    read_csv("x\n\xB0,y\n", 6, TABLE_ENC_GB18030, NULL, &t, &err),
	    XJ_EINVAL);
	assert_int_equal(err.row, 2);
	assert_int_equal(err.column, 1);
}

static void test_csv_invalid_utf8_explicit(void **state)
{
	static const char bad[] = "姓名,性别\n张三,男\n李四,\xE5\xA5\n";
	struct table t;
	struct xj_error err;

	(void)state;
	assert_int_equal(
	    read_csv(bad, strlen(bad), TABLE_ENC_UTF8, NULL, &t, &err),
	    XJ_EINVAL);
	assert_released(&t);
	assert_int_equal(err.code, XJ_EINVAL);
	assert_int_equal(err.row, 3);
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 2);
	assert_contains(err.msg, "第 3 行第 2 列");
	assert_contains(err.msg, "不是有效的 UTF-8 文本");

	/* In a cell over several lines, the line of the bad byte. */
	assert_int_equal(read_csv("h,i\n\"ok\r\nbad\xFF\",x\n", 17,
	                          TABLE_ENC_UTF8, NULL, &t, &err),
	                 XJ_EINVAL);
	assert_int_equal(err.row, 3);
	assert_int_equal(err.column, 1);
	assert_contains(err.msg, "第 3 行第 1 列");
	assert_contains(err.msg, "单元格第 8 个字节");

	/* With a BOM, the file says it is UTF-8: no second guess. */
	assert_int_equal(read_csv("\xEF\xBB\xBFok\n\xC4\xD0\n", 9,
	                          TABLE_ENC_AUTO, NULL, &t, &err),
	                 XJ_EINVAL);
	assert_int_equal(err.row, 2);
	assert_int_equal(err.column, 1);
	assert_contains(err.msg, "标明是 UTF-8");
}

static void test_csv_nul(void **state)
{
	struct table t;
	struct xj_error err;

	(void)state;
	assert_int_equal(
	    read_csv("a,b\nc,d\0e\n", 10, TABLE_ENC_AUTO, NULL, &t, &err),
	    XJ_EINVAL);
	assert_released(&t);
	assert_int_equal(err.row, 2);
	assert_int_equal(err.column, 2);
	assert_contains(err.msg, "第 2 行第 2 列");
	assert_contains(err.msg, "空字符");
}

/* ---- CSV: syntax ---- */

static void test_csv_quoted(void **state)
{
	static const char csv[] = "名称,说明,备注\r\n"
	                          "\"a,b\",\"他说\"\"好\"\"\",\"第一行\r\n"
	                          "第二行\n第三行\"\r\n"
	                          "x,\"\",z\r\n"
	                          "\"第一\r\n格\",y,z\r\n"
	                          "end\r\n";
	struct table t;

	(void)state;
	read_ok(csv, TABLE_ENC_AUTO, &t);
	assert_int_equal(t.nrows, 5);
	assert_int_equal(t.ncols, 3);
	assert_string_equal(table_cell(&t, 1, 0), "a,b");
	assert_string_equal(table_cell(&t, 1, 1), "他说\"好\"");
	assert_string_equal(table_cell(&t, 1, 2), "第一行\r\n第二行\n第三行");
	assert_string_equal(table_cell(&t, 2, 0), "x");
	assert_string_equal(table_cell(&t, 2, 1), "");
	assert_string_equal(table_cell(&t, 2, 2), "z");
	/* The record that spans lines 2-4 starts on 2; the next on 5. */
	assert_int_equal(t.source_row[0], 1);
	assert_int_equal(t.source_row[1], 2);
	assert_int_equal(t.source_row[2], 5);
	/* A first field that spans lines 6-7; the next record is on 8. */
	assert_string_equal(table_cell(&t, 3, 0), "第一\r\n格");
	assert_string_equal(table_cell(&t, 3, 1), "y");
	assert_int_equal(t.source_row[3], 6);
	assert_string_equal(table_cell(&t, 4, 0), "end");
	assert_int_equal(t.source_row[4], 8);
	table_release(&t);
}

static void test_csv_keeps_text(void **state)
{
	struct table t;

	(void)state;
	/* No trimming; a lone CR ends a line too. */
	read_ok(" a , b\t,\"  q  \"\r\x20\r\nnext", TABLE_ENC_AUTO, &t);
	assert_int_equal(t.nrows, 3);
	assert_string_equal(table_cell(&t, 0, 0), " a ");
	assert_string_equal(table_cell(&t, 0, 1), " b\t");
	assert_string_equal(table_cell(&t, 0, 2), "  q  ");
	assert_string_equal(table_cell(&t, 1, 0), " ");
	assert_string_equal(table_cell(&t, 2, 0), "next");
	assert_int_equal(t.source_row[1], 2);
	assert_int_equal(t.source_row[2], 3);
	table_release(&t);
}

static void test_csv_unterminated_quote(void **state)
{
	static const char csv[] = "姓名,备注\r\n张三,好\r\n李四,\"没有结束\r\n"
	                          "下一行\r\n";
	static const char later[] = "a,b\n\"x\ny\",\"open\n";
	struct table t;
	struct xj_error err;

	(void)state;
	assert_int_equal(
	    read_csv(csv, strlen(csv), TABLE_ENC_AUTO, NULL, &t, &err),
	    XJ_EINVAL);
	assert_released(&t);
	assert_int_equal(err.row, 3);
	assert_int_equal(err.column, 2);
	assert_contains(err.msg, "第 3 行第 2 列");
	assert_contains(err.msg, "引号没有闭合");

	/* The record starts on line 2, the open field on line 3. */
	assert_int_equal(
	    read_csv(later, strlen(later), TABLE_ENC_AUTO, NULL, &t, &err),
	    XJ_EINVAL);
	assert_int_equal(err.row, 3);
	assert_int_equal(err.column, 2);
	assert_contains(err.msg, "第 3 行第 2 列");
}

static void test_csv_bad_quotes(void **state)
{
	struct table t;
	struct xj_error err;

	(void)state;
	assert_int_equal(
	    read_csv("h1,h2\nok,ab\"c\n", 14, TABLE_ENC_AUTO, NULL, &t, &err),
	    XJ_EINVAL);
	assert_released(&t);
	assert_int_equal(err.row, 2);
	assert_int_equal(err.column, 2);
	assert_contains(err.msg, "第 2 行第 2 列");
	assert_contains(err.msg, "引号位置不正确");

	assert_int_equal(
	    read_csv("\"ab\"c,d\n", 8, TABLE_ENC_AUTO, NULL, &t, &err),
	    XJ_EINVAL);
	assert_int_equal(err.row, 1);
	assert_int_equal(err.column, 1);
	assert_contains(err.msg, "引号位置不正确");
}

static void test_csv_ragged_and_empty_rows(void **state)
{
	struct table t;

	(void)state;
	read_ok("a,b,c\n"
	        "1\n"
	        "\n"            /* blank line: no row */
	        "2,x,y,extra\n" /* more cells than the header */
	        ",,\n"          /* interior empty row: kept */
	        "3,,,\n"        /* trailing empty fields are padding */
	        ",,,\n"
	        "\r\n"
	        ",\n",
	        TABLE_ENC_AUTO, &t);
	assert_int_equal(t.nrows, 5); /* the last two rows were empty */
	assert_int_equal(t.ncols, 4);
	assert_string_equal(table_cell(&t, 1, 0), "1");
	assert_string_equal(table_cell(&t, 1, 1), "");
	assert_string_equal(table_cell(&t, 1, 3), "");
	assert_string_equal(table_cell(&t, 2, 3), "extra");
	assert_string_equal(table_cell(&t, 3, 0), "");
	assert_string_equal(table_cell(&t, 4, 0), "3");
	assert_int_equal(t.source_row[0], 1);
	assert_int_equal(t.source_row[1], 2);
	assert_int_equal(t.source_row[2], 4);
	assert_int_equal(t.source_row[3], 5);
	assert_int_equal(t.source_row[4], 6);
	table_release(&t);

	/* Nothing at all, or only empty rows: no rows, no columns. */
	read_ok("", TABLE_ENC_AUTO, &t);
	assert_int_equal(t.nrows, 0);
	assert_int_equal(t.ncols, 0);
	table_release(&t);
	read_ok("\xEF\xBB\xBF,,\r\n\r\n", TABLE_ENC_AUTO, &t);
	assert_int_equal(t.nrows, 0);
	assert_int_equal(t.ncols, 0);
	table_release(&t);
}

/* ---- CSV: limits ---- */

static void test_csv_long_cell(void **state)
{
	struct strbuf sb;
	struct table t;
	struct xj_error err;
	size_t i;

	(void)state;
	strbuf_init(&sb, 1 << 20);
	assert_int_equal(strbuf_adds(&sb, "姓名,简历\n张三,短\n李四,"), XJ_OK);
	for (i = 0; i < 100000; i++)
		assert_int_equal(strbuf_adds(&sb, i % 2 ? "字" : "a"), XJ_OK);
	assert_int_equal(strbuf_adds(&sb, "\n"), XJ_OK);
	assert_int_equal(
	    read_csv(sb.buf, sb.len, TABLE_ENC_AUTO, NULL, &t, &err),
	    XJ_ETOOLARGE);
	assert_released(&t);
	assert_int_equal(err.row, 3);
	assert_int_equal(err.column, 2);
	assert_contains(err.msg, "第 3 行第 2 列");
	assert_contains(err.msg, "100000 个字符");
	assert_contains(err.msg, "2000");
	strbuf_release(&sb);
}

static void test_csv_cell_chars_exact(void **state)
{
	struct table_limits lim;
	struct table t;
	struct xj_error err;

	(void)state;
	table_limits_default(&lim);
	lim.max_cell_chars = 3;
	/* Characters, not bytes: three CJK characters are 9 bytes. */
	assert_int_equal(read_csv("张三丰,abc\n", strlen("张三丰,abc\n"),
	                          TABLE_ENC_AUTO, &lim, &t, &err),
	                 XJ_OK);
	assert_string_equal(table_cell(&t, 0, 0), "张三丰");
	table_release(&t);
	assert_int_equal(read_csv("张三丰,abcd\n", strlen("张三丰,abcd\n"),
	                          TABLE_ENC_AUTO, &lim, &t, &err),
	                 XJ_ETOOLARGE);
	assert_int_equal(err.row, 1);
	assert_int_equal(err.column, 2);
	/* The neutralising apostrophe does not count. */
	assert_int_equal(read_csv("'=1+\n", 5, TABLE_ENC_AUTO, &lim, &t, &err),
	                 XJ_OK);
	assert_string_equal(table_cell(&t, 0, 0), "=1+");
	table_release(&t);
}

static void test_csv_max_bytes(void **state)
{
	struct table_limits lim;
	struct table t;
	struct xj_error err;

	(void)state;
	table_limits_default(&lim);
	lim.max_bytes = 10;
	assert_int_equal(
	    read_csv("0123456789", 10, TABLE_ENC_AUTO, &lim, &t, &err), XJ_OK);
	assert_string_equal(table_cell(&t, 0, 0), "0123456789");
	table_release(&t);
	assert_int_equal(
	    read_csv("0123456789\n", 11, TABLE_ENC_AUTO, &lim, &t, &err),
	    XJ_ETOOLARGE);
	assert_released(&t);
	assert_contains(err.msg, "11 字节");
	assert_contains(err.msg, "超过上限 10 字节");
}

static void test_read_file(void **state)
{
	char *path = path_join(tmpdir, "名单.csv");
	char *big = path_join(tmpdir, "big.csv");
	char *missing = path_join(tmpdir, "missing.csv");
	struct table_limits lim;
	struct table t;
	struct xj_error err;
	int fd;

	(void)state;
	write_file(path, "姓名\n张三\n", strlen("姓名\n张三\n"));
	assert_int_equal(
	    table_read_file(path, TABLE_CSV, TABLE_ENC_AUTO, NULL, &t, &err),
	    XJ_OK);
	assert_int_equal(t.nrows, 2);
	assert_string_equal(table_cell(&t, 1, 0), "张三");
	table_release(&t);

	/* One byte over a small limit. */
	table_limits_default(&lim);
	lim.max_bytes = strlen("姓名\n张三\n") - 1;
	assert_int_equal(
	    table_read_file(path, TABLE_CSV, TABLE_ENC_AUTO, &lim, &t, &err),
	    XJ_ETOOLARGE);
	assert_released(&t);
	assert_contains(err.msg, "超过上限 13 字节");

	/* 20 MiB against the default 16 MiB: refused by its size (the
	 * file is sparse; it is never read). */
	fd = open(big, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 20 * 1024 * 1024), 0);
	assert_int_equal(close(fd), 0);
	table_limits_default(&lim);
	assert_int_equal(
	    table_read_file(big, TABLE_CSV, TABLE_ENC_AUTO, &lim, &t, &err),
	    XJ_ETOOLARGE);
	assert_released(&t);
	assert_int_equal(err.code, XJ_ETOOLARGE);
	assert_contains(err.msg, "20 MiB");
	assert_contains(err.msg, "超过上限 16 MiB");

	assert_int_equal(
	    table_read_file(missing, TABLE_CSV, TABLE_ENC_AUTO, &lim, &t, &err),
	    XJ_EIO);
	assert_released(&t);
	assert_contains(err.msg, "不存在");
	assert_int_equal(
	    table_read_file(tmpdir, TABLE_CSV, TABLE_ENC_AUTO, &lim, &t, &err),
	    XJ_EIO);
	assert_contains(err.msg, "是目录");
	unlink(path);
	unlink(big);
	free(path);
	free(big);
	free(missing);
}

static void test_csv_too_many_cols(void **state)
{
	struct table_limits lim;
	struct table t;
	struct xj_error err;
	struct strbuf sb;
	size_t i;

	(void)state;
	table_limits_default(&lim);
	lim.max_cols = 3;
	assert_int_equal(
	    read_csv("a,b,c\n1,2,3,,,\n", 15, TABLE_ENC_AUTO, &lim, &t, &err),
	    XJ_OK); /* empty cells past the limit are padding */
	assert_int_equal(t.ncols, 3);
	table_release(&t);
	assert_int_equal(read_csv("a,b,c\n1,2,3\n4,5,6,7\n", 20, TABLE_ENC_AUTO,
	                          &lim, &t, &err),
	                 XJ_ETOOLARGE);
	assert_released(&t);
	assert_int_equal(err.row, 3);
	assert_int_equal(err.column, 4);
	assert_contains(err.msg, "第 3 行第 4 列");
	assert_contains(err.msg, "最多 3 列");

	/* The default: 64 columns. */
	strbuf_init(&sb, 4096);
	for (i = 0; i < 65; i++)
		assert_int_equal(strbuf_addf(&sb, "%sc%zu", i ? "," : "", i),
		                 XJ_OK);
	assert_int_equal(
	    read_csv(sb.buf, sb.len, TABLE_ENC_AUTO, NULL, &t, &err),
	    XJ_ETOOLARGE);
	assert_int_equal(err.row, 1);
	assert_int_equal(err.column, 65);
	assert_contains(err.msg, "最多 64 列");
	strbuf_release(&sb);
}

static void test_csv_too_many_rows(void **state)
{
	struct table_limits lim;
	struct table t;
	struct xj_error err;

	(void)state;
	table_limits_default(&lim);
	lim.max_rows = 3;
	/* Empty rows after the limit are trailing: dropped, not counted. */
	assert_int_equal(
	    read_csv("h\n1\n2\n,\n,\n", 10, TABLE_ENC_AUTO, &lim, &t, &err),
	    XJ_OK);
	assert_int_equal(t.nrows, 3);
	table_release(&t);
	assert_int_equal(
	    read_csv("h\n1\n2\n\n,\n3\n", 11, TABLE_ENC_AUTO, &lim, &t, &err),
	    XJ_ETOOLARGE);
	assert_released(&t);
	assert_int_equal(err.row, 6);
	assert_contains(err.msg, "第 6 行");
	assert_contains(err.msg, "最多 3 行");
}

static void test_apostrophe(void **state)
{
	struct table t;

	(void)state;
	read_ok("'=1+2,'+1,'-1,'@SUM(A1),'\tx,\"'\rx\",'abc,'',''=1,a'=b,=1\n",
	        TABLE_ENC_AUTO, &t);
	assert_string_equal(table_cell(&t, 0, 0), "=1+2");
	assert_string_equal(table_cell(&t, 0, 1), "+1");
	assert_string_equal(table_cell(&t, 0, 2), "-1");
	assert_string_equal(table_cell(&t, 0, 3), "@SUM(A1)");
	assert_string_equal(table_cell(&t, 0, 4), "\tx");
	assert_string_equal(table_cell(&t, 0, 5), "\rx");
	assert_string_equal(table_cell(&t, 0, 6), "'abc");
	assert_string_equal(table_cell(&t, 0, 7), "''");
	assert_string_equal(table_cell(&t, 0, 8), "'=1"); /* one less */
	assert_string_equal(table_cell(&t, 0, 9), "a'=b");
	assert_string_equal(table_cell(&t, 0, 10), "=1");
	table_release(&t);
	read_ok("'\n", TABLE_ENC_AUTO, &t);
	assert_string_equal(table_cell(&t, 0, 0), "'");
	table_release(&t);
	read_ok("'''-x,'''x,''',''\t\n", TABLE_ENC_AUTO, &t);
	assert_string_equal(table_cell(&t, 0, 0), "''-x");
	assert_string_equal(table_cell(&t, 0, 1), "'''x");
	assert_string_equal(table_cell(&t, 0, 2), "'''");
	assert_string_equal(table_cell(&t, 0, 3), "'\t");
	table_release(&t);
}

/* Not a timing: 100,000 rows of 12 columns read completely. */
static void test_csv_100k_rows(void **state)
{
	struct strbuf sb;
	struct table t;
	struct xj_error err;
	size_t i, j;

	(void)state;
	strbuf_init(&sb, 64 << 20);
	for (j = 0; j < 12; j++)
		assert_int_equal(strbuf_addf(&sb, "%s列%zu", j ? "," : "", j),
		                 XJ_OK);
	assert_int_equal(strbuf_adds(&sb, "\r\n"), XJ_OK);
	for (i = 0; i < 100000; i++) {
		for (j = 0; j < 12; j++)
			assert_int_equal(
			    strbuf_addf(&sb, "%s张%zu-%zu", j ? "," : "", i, j),
			    XJ_OK);
		assert_int_equal(strbuf_adds(&sb, "\r\n"), XJ_OK);
	}
	assert_int_equal(
	    read_csv(sb.buf, sb.len, TABLE_ENC_AUTO, NULL, &t, &err), XJ_OK);
	assert_int_equal(t.nrows, 100001);
	assert_int_equal(t.ncols, 12);
	assert_string_equal(table_cell(&t, 0, 11), "列11");
	assert_string_equal(table_cell(&t, 100000, 11), "张99999-11");
	assert_string_equal(table_cell(&t, 50000, 3), "张49999-3");
	assert_int_equal(t.source_row[100000], 100001);
	table_release(&t);
	strbuf_release(&sb);
}

/* ---- XLSX ---- */

struct part {
	const char *name, *text;
};

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
    "content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/"
    "vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    "</Types>";

static const char root_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
    "relationships\"><Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";

#define MAIN_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define REL_NS                                                                 \
	"http://schemas.openxmlformats.org/officeDocument/2006/relationships"

static const char workbook[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<workbook xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS "\">"
    "<sheets><sheet name=\"党员名单\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
    "</workbook>";

static const char workbook_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
    "relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" REL_NS "/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" REL_NS "/sharedStrings\" "
    "Target=\"sharedStrings.xml\"/>"
    "</Relationships>";

static const char shared_strings[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<sst xmlns=\"" MAIN_NS "\" count=\"6\" uniqueCount=\"6\">"
    "<si><t>姓名</t></si>"
    "<si><t>性别</t></si>"
    "<si><r><rPr><b/></rPr><t>出生</t></r><r><t xml:space=\"preserve\">"
    "日期 </t></r><rPh sb=\"0\" eb=\"2\"><t>しゅっせい</t></rPh>"
    "<phoneticPr fontId=\"1\"/></si>"
    "<si><t>张三</t></si>"
    "<si><t>'=1+2</t></si>"
    "<si><t>第一行_x000D_\n第二行</t></si>"
    "</sst>";

/* Columns A, B, D (C is a gap), rows 1, 2, 4 (3 is a gap); row 6 has
 * only a formatted empty cell, so it is not a row at all. */
static const char sheet1[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<worksheet xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS "\">"
    "<dimension ref=\"A1:D6\"/><sheetData>"
    "<row r=\"1\" spans=\"1:4\">"
    "<c r=\"A1\" t=\"s\"><v>0</v></c>"
    "<c r=\"B1\" t=\"s\"><v>1</v></c>"
    "<c r=\"D1\" t=\"s\"><v>2</v></c></row>"
    "<row r=\"2\">"
    "<c r=\"A2\" t=\"s\"><v>3</v></c>"
    "<c r=\"B2\" t=\"inlineStr\"><is><t>男</t></is></c>"
    "<c r=\"C2\" s=\"3\"/>"
    "<c r=\"D2\" s=\"4\"><v>38421</v></c></row>"
    "<row r=\"4\">"
    "<c r=\"A4\" t=\"s\"><v>4</v></c>"
    "<c r=\"B4\" t=\"b\"><v>1</v></c>"
    "<c r=\"C4\" t=\"str\"><f>A1&amp;B1</f><v>姓名性别</v></c>"
    "<c r=\"D4\"><v>3.5</v></c></row>"
    "<row r=\"5\"><c r=\"A5\" t=\"s\"><v>5</v></c>"
    "<c r=\"B5\" t=\"b\"><v>0</v></c></row>"
    "<row r=\"6\"><c r=\"B6\" s=\"2\"/></row>"
    "</sheetData></worksheet>";

/* Zip parts into a file under tmpdir and return its bytes. */
/* Deflated parts, unless store_parts is set (then stored as they are). */
static int store_parts;

static char *make_zip(const struct part *parts, size_t n, size_t *len)
{
	zip_int64_t idx;
	char *path = path_join(tmpdir, "t.xlsx");
	zip_t *za;
	zip_source_t *src;
	char *data;
	int zerr;
	size_t i;

	za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	assert_non_null(za);
	for (i = 0; i < n; i++) {
		if (parts[i].name == NULL)
			continue;
		src = zip_source_buffer(za, parts[i].text,
		                        strlen(parts[i].text), 0);
		assert_non_null(src);
		idx = zip_file_add(za, parts[i].name, src, ZIP_FL_ENC_UTF_8);
		assert_true(idx >= 0);
		if (store_parts)
			assert_int_equal(
			    zip_set_file_compression(za, (zip_uint64_t)idx,
			                             ZIP_CM_STORE, 0),
			    0);
	}
	assert_int_equal(zip_close(za), 0);
	data = slurp(path, len);
	unlink(path);
	free(path);
	return data;
}

/* The standard parts, with the sheet's and the shared strings' text as
 * given (NULL leaves that part out). */
static char *make_xlsx(const char *sheet, const char *sst, size_t *len)
{
	struct part parts[] = {
		{ "[Content_Types].xml", content_types },
		{ "_rels/.rels", root_rels },
		{ "xl/workbook.xml", workbook },
		{ "xl/_rels/workbook.xml.rels", workbook_rels },
		{ "xl/worksheets/sheet1.xml", sheet },
		{ sst != NULL ? "xl/sharedStrings.xml" : NULL, sst },
	};

	return make_zip(parts, sizeof(parts) / sizeof(parts[0]), len);
}

static enum xj_err read_xlsx(const char *data, size_t len,
                             const struct table_limits *lim, struct table *t,
                             struct xj_error *err)
{
	struct table_limits def;

	if (lim == NULL) {
		table_limits_default(&def);
		lim = &def;
	}
	/* The encoding is ignored for XLSX. */
	return table_read(data, len, TABLE_XLSX, TABLE_ENC_GB18030, lim, t,
	                  err);
}

static void test_xlsx_basic(void **state)
{
	struct table t;
	struct xj_error err;
	size_t len;
	char *data = make_xlsx(sheet1, shared_strings, &len);

	(void)state;
	assert_int_equal(table_sniff(data, len), TABLE_XLSX);
	if (read_xlsx(data, len, NULL, &t, &err) != XJ_OK)
		fail_msg("table_read: %s", err.msg);
	assert_int_equal(t.format, TABLE_XLSX);
	assert_int_equal(t.nrows, 5);
	assert_int_equal(t.ncols, 4);
	assert_string_equal(table_cell(&t, 0, 0), "姓名");
	assert_string_equal(table_cell(&t, 0, 1), "性别");
	assert_string_equal(table_cell(&t, 0, 2), ""); /* gap column */
	assert_string_equal(table_cell(&t, 0, 3), "出生日期 ");
	assert_string_equal(table_cell(&t, 1, 0), "张三");
	assert_string_equal(table_cell(&t, 1, 1), "男");
	assert_string_equal(table_cell(&t, 1, 2), "");
	assert_string_equal(table_cell(&t, 1, 3), "38421");
	assert_string_equal(table_cell(&t, 2, 0), ""); /* gap row */
	assert_string_equal(table_cell(&t, 2, 3), "");
	assert_string_equal(table_cell(&t, 3, 0), "=1+2");
	assert_string_equal(table_cell(&t, 3, 1), "TRUE");
	assert_string_equal(table_cell(&t, 3, 2), "姓名性别");
	assert_string_equal(table_cell(&t, 3, 3), "3.5");
	assert_string_equal(table_cell(&t, 4, 0), "第一行\r\n第二行");
	assert_string_equal(table_cell(&t, 4, 1), "FALSE");
	assert_int_equal(t.source_row[0], 1);
	assert_int_equal(t.source_row[1], 2);
	assert_int_equal(t.source_row[2], 3);
	assert_int_equal(t.source_row[3], 4);
	assert_int_equal(t.source_row[4], 5);
	table_release(&t);
	free(data);
}

static void test_xlsx_sst_out_of_range(void **state)
{
	static const char sheet[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<worksheet xmlns=\"" MAIN_NS "\"><sheetData>"
	    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"
	    "<row r=\"5\"><c r=\"A5\" t=\"s\"><v>3</v></c>"
	    "<c r=\"B5\" t=\"s\"><v>6</v></c></row>"
	    "</sheetData></worksheet>";
	struct table t;
	struct xj_error err;
	size_t len;
	char *data = make_xlsx(sheet, shared_strings, &len);

	(void)state;
	assert_int_equal(read_xlsx(data, len, NULL, &t, &err), XJ_EINVAL);
	assert_released(&t);
	assert_int_equal(err.row, 5);
	assert_int_equal(err.column, 2);
	assert_contains(err.msg, "第 5 行第 2 列 (B5)");
	assert_contains(err.msg, "共享字符串编号 6 超出范围");
	free(data);

	/* No shared strings part at all: every index is out of range. */
	data = make_xlsx(sheet, NULL, &len);
	assert_int_equal(read_xlsx(data, len, NULL, &t, &err), XJ_EINVAL);
	assert_int_equal(err.row, 1);
	assert_int_equal(err.column, 1);
	assert_contains(err.msg, "第 1 行第 1 列 (A1)");
	free(data);
}

static void test_xlsx_first_sheet_in_order(void **state)
{
	/* Workbook order, not part names: the first sheet is rId7, whose
	 * part is sheet2.xml; sheet1.xml is the second sheet. */
	static const char wb[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<x:workbook xmlns:x=\"" MAIN_NS "\" xmlns:rel=\"" REL_NS "\">"
	    "<x:sheets><x:sheet name=\"图表\" sheetId=\"3\" rel:id=\"rId9\"/>"
	    "<x:sheet name=\"名单\" sheetId=\"2\" rel:id=\"rId7\"/>"
	    "<x:sheet name=\"旧\" sheetId=\"1\" rel:id=\"rId1\"/>"
	    "</x:sheets></x:workbook>";
	static const char rels[] =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/"
	    "2006/relationships\">"
	    "<Relationship Id=\"rId1\" Type=\"" REL_NS "/worksheet\" "
	    "Target=\"worksheets/sheet1.xml\"/>"
	    "<Relationship Id=\"rId9\" Type=\"" REL_NS "/chartsheet\" "
	    "Target=\"chartsheets/sheet1.xml\"/>"
	    "<Relationship Id=\"rId7\" Type=\"" REL_NS "/worksheet\" "
	    "Target=\"/xl/worksheets/./sub/../sheet2.xml\"/>"
	    "</Relationships>";
	static const char first[] =
	    "<worksheet xmlns=\"" MAIN_NS "\"><sheetData><row r=\"1\">"
	    "<c r=\"A1\" t=\"inlineStr\"><is><t>对的</t></is></c>"
	    "</row></sheetData></worksheet>";
	static const char other[] =
	    "<worksheet xmlns=\"" MAIN_NS "\"><sheetData><row r=\"1\">"
	    "<c r=\"A1\" t=\"inlineStr\"><is><t>错的</t></is></c>"
	    "</row></sheetData></worksheet>";
	const struct part parts[] = {
		{ "[Content_Types].xml", content_types },
		{ "_rels/.rels", root_rels },
		{ "xl/workbook.xml", wb },
		{ "xl/_rels/workbook.xml.rels", rels },
		{ "xl/worksheets/sheet1.xml", other },
		{ "xl/worksheets/sheet2.xml", first },
		{ "xl/chartsheets/sheet1.xml", other },
	};
	struct table t;
	struct xj_error err;
	size_t len;
	char *data = make_zip(parts, sizeof(parts) / sizeof(parts[0]), &len);

	(void)state;
	if (read_xlsx(data, len, NULL, &t, &err) != XJ_OK)
		fail_msg("table_read: %s", err.msg);
	assert_int_equal(t.nrows, 1);
	assert_string_equal(table_cell(&t, 0, 0), "对的");
	table_release(&t);
	free(data);
}

static void test_xlsx_without_rels(void **state)
{
	const struct part parts[] = {
		{ "[Content_Types].xml", content_types },
		{ "xl/workbook.xml", workbook },
		{ "xl/worksheets/sheet1.xml", sheet1 },
		{ "xl/sharedStrings.xml", shared_strings },
	};
	const struct part no_sheet[] = {
		{ "xl/workbook.xml", workbook },
		{ "xl/worksheets/sheet2.xml", sheet1 },
	};
	struct table t;
	struct xj_error err;
	size_t len;
	char *data = make_zip(parts, sizeof(parts) / sizeof(parts[0]), &len);

	(void)state;
	if (read_xlsx(data, len, NULL, &t, &err) != XJ_OK)
		fail_msg("table_read: %s", err.msg);
	assert_int_equal(t.nrows, 5);
	assert_string_equal(table_cell(&t, 1, 0), "张三");
	table_release(&t);
	free(data);

	data = make_zip(no_sheet, 2, &len);
	assert_int_equal(read_xlsx(data, len, NULL, &t, &err), XJ_EINVAL);
	assert_released(&t);
	assert_contains(err.msg, "缺少 xl/worksheets/sheet1.xml");
	free(data);
}

static void test_xlsx_corrupt(void **state)
{
	struct table t;
	struct xj_error err;
	size_t len, i;
	char *data = make_xlsx(sheet1, shared_strings, &len);
	char noise[4096], *name;
	unsigned seed = 20050101;

	(void)state;
	/* The first half of a valid file. */
	assert_int_equal(read_xlsx(data, len / 2, NULL, &t, &err), XJ_EINVAL);
	assert_released(&t);
	assert_contains(err.msg, "不是有效的 XLSX 文件（压缩包损坏）");

	/* Damage inside the sheet's compressed data (just after its name
	 * in its local header); the directory is intact. */
	name = memmem(data, len, "xl/worksheets/sheet1.xml", 24);
	assert_non_null(name);
	for (i = 0; i < 40; i++)
		name[30 + i] ^= 0x5A;
	assert_int_equal(read_xlsx(data, len, NULL, &t, &err), XJ_EINVAL);
	assert_released(&t);
	assert_contains(err.msg, "不是有效的 XLSX 文件");
	free(data);

	/* A stored (not deflated) part with one byte changed: only its
	 * CRC-32 tells. */
	store_parts = 1;
	data = make_xlsx(sheet1, shared_strings, &len);
	store_parts = 0;
	name = memmem(data, len, "<v>38421</v>", 12);
	assert_non_null(name);
	name[5] = '9';
	assert_int_equal(read_xlsx(data, len, NULL, &t, &err), XJ_EINVAL);
	assert_released(&t);
	assert_contains(err.msg, "不是有效的 XLSX 文件（压缩包损坏）");
	assert_contains(err.msg, "xl/worksheets/sheet1.xml");
	name[5] = '4'; /* as it was: reads again */
	assert_int_equal(read_xlsx(data, len, NULL, &t, &err), XJ_OK);
	assert_string_equal(table_cell(&t, 1, 3), "38421");
	table_release(&t);
	free(data);

	/* Random bytes, and random bytes behind a zip signature. */
	for (i = 0; i < sizeof(noise); i++) {
		seed = seed * 1103515245u + 12345u;
		noise[i] = (char)(seed >> 16);
	}
	noise[0] = 'x';
	assert_int_equal(read_xlsx(noise, sizeof(noise), NULL, &t, &err),
	                 XJ_EINVAL);
	assert_released(&t);
	assert_contains(err.msg, "不是有效的 XLSX 文件（不是 ZIP 压缩包）");
	memcpy(noise, "PK\3\4", 4);
	assert_int_equal(read_xlsx(noise, sizeof(noise), NULL, &t, &err),
	                 XJ_EINVAL);
	assert_contains(err.msg, "不是有效的 XLSX 文件（压缩包损坏）");

	/* A CSV said to be XLSX; an old .xls file. */
	assert_int_equal(
	    read_xlsx("姓名,性别\r\n", strlen("姓名,性别\r\n"), NULL, &t, &err),
	    XJ_EINVAL);
	assert_contains(err.msg, "不是 ZIP 压缩包");
	assert_int_equal(read_xlsx("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10,
	                           NULL, &t, &err),
	                 XJ_EINVAL);
	assert_contains(err.msg, ".xls");
	assert_int_equal(read_xlsx("", 0, NULL, &t, &err), XJ_EINVAL);
	assert_released(&t);
}

static void test_xlsx_bad_xml(void **state)
{
	static const char doctype[] =
	    "<?xml version=\"1.0\"?>\n<!DOCTYPE lol [<!ENTITY a \"aaaa\">]>"
	    "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\">"
	    "<is><t>&a;</t></is></c></row></sheetData></worksheet>";
	static const char broken[] = "<worksheet><sheetData><row r=\"1\">"
	                             "<c r=\"A1\"><v>1</v></row></sheetData>";
	static const char order[] =
	    "<worksheet><sheetData><row r=\"2\"><c r=\"A2\"><v>1</v></c></row>"
	    "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData>"
	    "</worksheet>";
	static const char badindex[] =
	    "<worksheet><sheetData><row r=\"2\"><c r=\"C2\" t=\"s\">"
	    "<v>一二三四五六七八</v></c></row></sheetData></worksheet>";
	static const char badbool[] =
	    "<worksheet><sheetData><row><c t=\"b\"><v>是</v></c></row>"
	    "</sheetData></worksheet>";
	struct table t;
	struct xj_error err;
	size_t len;
	char *data = make_xlsx(doctype, shared_strings, &len);

	(void)state;
	assert_int_equal(read_xlsx(data, len, NULL, &t, &err), XJ_EINVAL);
	assert_released(&t);
	assert_contains(err.msg, "DTD");
	free(data);

	data = make_xlsx(broken, shared_strings, &len);
	assert_int_equal(read_xlsx(data, len, NULL, &t, &err), XJ_EINVAL);
	assert_contains(err.msg,
	                "xl/worksheets/sheet1.xml 第 1 行 XML 格式错误");
	free(data);

	data = make_xlsx(badindex, shared_strings, &len);
	assert_int_equal(read_xlsx(data, len, NULL, &t, &err), XJ_EINVAL);
	assert_int_equal(err.row, 2);
	assert_int_equal(err.column, 3);
	/* Quoted up to 20 bytes, cut between characters. */
	assert_contains(
	    err.msg, "第 2 行第 3 列 (C2): 共享字符串编号“一二三四五六”无效");
	assert_int_equal(utf8_validate(err.msg, strlen(err.msg), NULL, NULL),
	                 XJ_OK);
	free(data);

	data = make_xlsx(badbool, shared_strings, &len);
	assert_int_equal(read_xlsx(data, len, NULL, &t, &err), XJ_EINVAL);
	assert_int_equal(err.row, 1);
	assert_int_equal(err.column, 1);
	assert_contains(err.msg, "第 1 行第 1 列 (A1): 布尔值“是”无效");
	free(data);

	data = make_xlsx(order, shared_strings, &len);
	assert_int_equal(read_xlsx(data, len, NULL, &t, &err), XJ_EINVAL);
	assert_int_equal(err.row, 1);
	assert_contains(err.msg, "第 1 行");
	assert_contains(err.msg, "顺序错乱");
	free(data);
}

static void test_xlsx_limits(void **state)
{
	struct table_limits lim;
	struct table t;
	struct xj_error err;
	struct strbuf sb;
	size_t len, i;
	char *data = make_xlsx(sheet1, shared_strings, &len);

	(void)state;
	table_limits_default(&lim);
	lim.max_cols = 3;
	assert_int_equal(read_xlsx(data, len, &lim, &t, &err), XJ_ETOOLARGE);
	assert_released(&t);
	assert_int_equal(err.row, 1);
	assert_int_equal(err.column, 4);
	assert_contains(err.msg, "第 1 行第 4 列 (D1)");
	assert_contains(err.msg, "最多 3 列");

	table_limits_default(&lim);
	lim.max_rows = 4;
	assert_int_equal(read_xlsx(data, len, &lim, &t, &err), XJ_ETOOLARGE);
	assert_int_equal(err.row, 5);
	assert_contains(err.msg, "第 5 行");
	assert_contains(err.msg, "最多 4 行");

	table_limits_default(&lim);
	lim.max_cell_chars = 4;
	assert_int_equal(read_xlsx(data, len, &lim, &t, &err), XJ_ETOOLARGE);
	assert_int_equal(err.row, 1);
	assert_int_equal(err.column, 4);
	assert_contains(err.msg, "第 1 行第 4 列 (D1)");
	assert_contains(err.msg, "5 个字符");

	table_limits_default(&lim);
	lim.max_bytes = len - 1;
	assert_int_equal(read_xlsx(data, len, &lim, &t, &err), XJ_ETOOLARGE);
	assert_contains(err.msg, "超过上限");
	free(data);

	/* A sheet that inflates past the limit is refused by its stated
	 * size before it is inflated, though the file itself is small. */
	strbuf_init(&sb, 1 << 20);
	assert_int_equal(strbuf_adds(&sb, "<worksheet><sheetData>"), XJ_OK);
	for (i = 1; i <= 5000; i++)
		assert_int_equal(strbuf_addf(&sb,
		                             "<row r=\"%zu\"><c r=\"A%zu\">"
		                             "<v>1</v></c></row>",
		                             i, i),
		                 XJ_OK);
	assert_int_equal(strbuf_adds(&sb, "</sheetData></worksheet>"), XJ_OK);
	data = make_xlsx(sb.buf, shared_strings, &len);
	table_limits_default(&lim);
	lim.max_part_bytes = sb.len - 1;
	assert_true(len < lim.max_part_bytes);
	assert_int_equal(read_xlsx(data, len, &lim, &t, &err), XJ_ETOOLARGE);
	assert_released(&t);
	assert_contains(err.msg, "xl/worksheets/sheet1.xml 解压后为");
	lim.max_part_bytes = sb.len;
	assert_int_equal(read_xlsx(data, len, &lim, &t, &err), XJ_OK);
	assert_int_equal(t.nrows, 5000);
	table_release(&t);
	free(data);
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limits_default),
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_cell_and_release),
		cmocka_unit_test(test_csv_utf8_bom),
		cmocka_unit_test(test_csv_utf8_no_bom),
		cmocka_unit_test(test_csv_gbk),
		cmocka_unit_test(test_csv_gb18030_errors),
		cmocka_unit_test(test_csv_invalid_utf8_explicit),
		cmocka_unit_test(test_csv_nul),
		cmocka_unit_test(test_csv_quoted),
		cmocka_unit_test(test_csv_keeps_text),
		cmocka_unit_test(test_csv_unterminated_quote),
		cmocka_unit_test(test_csv_bad_quotes),
		cmocka_unit_test(test_csv_ragged_and_empty_rows),
		cmocka_unit_test(test_csv_long_cell),
		cmocka_unit_test(test_csv_cell_chars_exact),
		cmocka_unit_test(test_csv_max_bytes),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_csv_too_many_cols),
		cmocka_unit_test(test_csv_too_many_rows),
		cmocka_unit_test(test_apostrophe),
		cmocka_unit_test(test_csv_100k_rows),
		cmocka_unit_test(test_xlsx_basic),
		cmocka_unit_test(test_xlsx_sst_out_of_range),
		cmocka_unit_test(test_xlsx_first_sheet_in_order),
		cmocka_unit_test(test_xlsx_without_rels),
		cmocka_unit_test(test_xlsx_corrupt),
		cmocka_unit_test(test_xlsx_bad_xml),
		cmocka_unit_test(test_xlsx_limits),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
