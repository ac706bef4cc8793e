/*
 * test_write.c - table_writer: CSV and XLSX out (src/table/write.c).
 *
 * XLSX files are opened with libzip and their XML parts searched; every
 * test runs with a private $TMPDIR so it can see what the writer leaves
 * behind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include "../../lib/check.h"
#include "../../lib/harness.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#include "xianjiao/alloc.h"
#include "xianjiao/strbuf.h"
#include "xianjiao/table.h"

#define BOM "\xEF\xBB\xBF"
#define SHEET "xl/worksheets/sheet1.xml"

/* --- fixture: a private $TMPDIR --- */

struct fixture {
	char *tmp;
	char *old_tmpdir; /* NULL if TMPDIR was unset */
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	const char *old = getenv("TMPDIR");

	f->old_tmpdir = old != NULL ? xstrdup(old) : NULL;
	f->tmp = tmpdir_make();
	if (setenv("TMPDIR", f->tmp, 1) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int rc;

	rc = f->old_tmpdir != NULL ? setenv("TMPDIR", f->old_tmpdir, 1)
	                           : unsetenv("TMPDIR");
	tmpdir_remove(f->tmp);
	free(f->tmp);
	free(f->old_tmpdir);
	free(f);
	return rc;
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

static const char *fixture_tmp(void **state)
{
	return ((struct fixture *)*state)->tmp;
}

/* Entries in dir other than . and .. */
static size_t dir_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* Open file descriptors of this process. */
static size_t open_fds(void)
{
	return dir_entries("/proc/self/fd");
}

/* --- writing helpers --- */

static struct table_writer *new_writer(enum table_format fmt, const char *sheet)
{
	struct table_writer *w = NULL;
	struct xj_error err;

	xj_error_clear(&err);
	if (table_writer_new(fmt, sheet, &w, &err) != XJ_OK)
		fail_msg("table_writer_new: %s", err.msg);
	assert_non_null(w);
	return w;
}

static void add_row(struct table_writer *w, const char *const *cells, size_t n)
{
	struct xj_error err;

	xj_error_clear(&err);
	if (table_writer_row(w, cells, n, &err) != XJ_OK)
		fail_msg("table_writer_row: %s", err.msg);
}

static char *finish(struct table_writer *w, size_t *len)
{
	struct xj_error err;
	char *data = NULL;

	xj_error_clear(&err);
	if (table_writer_finish(w, &data, len, &err) != XJ_OK)
		fail_msg("table_writer_finish: %s", err.msg);
	assert_non_null(data);
	return data;
}

/* Write nrows rows of ncols cells each (row-major) and finish. */
static char *write_grid(enum table_format fmt, const char *sheet,
                        const char *const *cells, size_t nrows, size_t ncols,
                        size_t *len)
{
	struct table_writer *w = new_writer(fmt, sheet);
	size_t r;

	for (r = 0; r < nrows; r++)
		add_row(w, cells + r * ncols, ncols);
	return finish(w, len);
}

/* Expect a refused row: code, row and column, and message fragments. */
static void expect_refused(struct table_writer *w, const char *const *cells,
                           size_t n, enum xj_err code, long row, long col,
                           const char *msg1, const char *msg2)
{
	struct xj_error err;

	xj_error_clear(&err);
	assert_int_equal(table_writer_row(w, cells, n, &err), code);
	assert_int_equal(err.code, code);
	assert_int_equal(err.row, row);
	assert_int_equal(err.column, col);
	assert_contains(err.msg, msg1);
	if (msg2 != NULL)
		assert_contains(err.msg, msg2);
}

/* A string of n copies of unit. */
static char *repeat(const char *unit, size_t n)
{
	struct strbuf sb;
	size_t i;

	strbuf_init(&sb, (size_t)1 << 30);
	for (i = 0; i < n; i++)
		assert_int_equal(strbuf_adds(&sb, unit), XJ_OK);
	return strbuf_detach(&sb, NULL);
}

/* --- XLSX helpers: libzip over the bytes --- */

/*
 * The part name of the zip in data, NUL-terminated (at most max bytes of
 * it when max > 0), or NULL if there is no such part. Fails the test if
 * data is not a consistent zip archive.
 */
static char *zip_part(const char *data, size_t len, const char *name,
                      size_t max)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *za;
	zip_stat_t st;
	zip_file_t *zf;
	char *buf;
	size_t want;
	zip_int64_t got;

	zip_error_init(&ze);
	src = zip_source_buffer_create(data, len, 0, &ze);
	assert_non_null(src);
	za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (za == NULL) {
		zip_source_free(src);
		fail_msg("not a zip archive: %s", zip_error_strerror(&ze));
	}
	zip_error_fini(&ze);
	if (zip_stat(za, name, 0, &st) != 0) {
		zip_discard(za);
		return NULL;
	}
	want = (size_t)st.size;
	if (max > 0 && want > max)
		want = max;
	buf = xmalloc(want + 1);
	zf = zip_fopen(za, name, 0);
	assert_non_null(zf);
	got = zip_fread(zf, buf, want);
	assert_int_equal(got, (zip_int64_t)want);
	buf[want] = '\0';
	zip_fclose(zf);
	zip_discard(za);
	return buf;
}

static char *xlsx_sheet(const char *data, size_t len)
{
	char *xml = zip_part(data, len, SHEET, 0);

	assert_non_null(xml);
	return xml;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* Width set for 1-based column col in a sheet's <cols>, 0 if none. */
static double col_width(const char *xml, int col)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "<col min=\"%d\" max=\"%d\" width=\"", col,
	         col);
	p = strstr(xml, key);
	return p != NULL ? strtod(p + strlen(key), NULL) : 0;
}

/* No cell of the sheet is anything but a string. */
static void assert_only_strings(const char *xml)
{
	assert_null(strstr(xml, "<f>"));
	assert_null(strstr(xml, "<f "));
	assert_null(strstr(xml, "<v>")); /* numbers, booleans, formulas */
	assert_true(count(xml, "<c ") > 0);
	assert_int_equal(count(xml, "<c "), count(xml, "t=\"inlineStr\""));
}

/* --- CSV --- */

static void test_csv_bytes(void **state)
{
	static const char expect[] =
	    BOM "姓名,单位,备注\r\n"
	        "张三,第一支部,\"他说\"\"好\"\"\"\r\n"
	        "李四,\"机关, 二支部\",\"第一行\r\n第二行\"\r\n"
	        "王五,,\"只有\n换行\"\r\n"
	        "末行\r\n"
	        "\r\n"
	        "a,,c\r\n";
	const char *r1[] = { "姓名", "单位", "备注" };
	const char *r2[] = { "张三", "第一支部", "他说\"好\"" };
	const char *r3[] = { "李四", "机关, 二支部", "第一行\r\n第二行" };
	const char *r4[] = { "王五", "", "只有\n换行" };
	const char *r5[] = { "末行" };
	const char *r7[] = { "a", NULL, "c" };
	struct table_writer *w;
	char *data;
	size_t len;

	(void)state;
	w = new_writer(TABLE_CSV, NULL);
	add_row(w, r1, 3);
	add_row(w, r2, 3);
	add_row(w, r3, 3);
	add_row(w, r4, 3);
	add_row(w, r5, 1);
	add_row(w, NULL, 0);
	add_row(w, r7, 3);
	data = finish(w, &len);
	assert_int_equal(len, sizeof(expect) - 1);
	assert_memory_equal(data, expect, len);
	assert_int_equal(data[len], '\0');
	free(data);
}

static void test_csv_empty_is_bom(void **state)
{
	char *data;
	size_t len;

	(void)state;
	data = finish(new_writer(TABLE_CSV, NULL), &len);
	assert_int_equal(len, 3);
	assert_memory_equal(data, BOM, 3);
	free(data);
}

static const struct {
	const char *in;
	const char *csv; /* the line as written, without CRLF */
	const char *xml; /* the sheet XML text of the cell */
} neutral_cases[] = {
	{ "=SUM(A1)", "'=SUM(A1)", "<t>'=SUM(A1)</t>" },
	{ "+86 139 0000 0000", "'+86 139 0000 0000",
	  "<t>'+86 139 0000 0000</t>" },
	{ "-", "'-", "<t>'-</t>" },
	{ "-5", "'-5", "<t>'-5</t>" },
	{ "@x", "'@x", "<t>'@x</t>" },
	{ "\tx", "'\tx", "<t>'\tx</t>" },
	{ "\rx", "\"'\rx\"", "<t>'_x000D_x</t>" },
	{ "=HYPERLINK(\"http://x\",\"y\")",
	  "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
	  "<t>'=HYPERLINK(\"http://x\",\"y\")</t>" },
	/* apostrophes already before a formula get one more */
	{ "'=x", "''=x", "<t>''=x</t>" },
	{ "''-1", "'''-1", "<t>'''-1</t>" },
	{ "'abc", "'abc", "<t>'abc</t>" }, /* untouched */
	/* untouched */
	{ "张三", "张三", "<t>张三</t>" },
	{ "a=b", "a=b", "<t>a=b</t>" },
	{ " =x", " =x", "<t xml:space=\"preserve\"> =x</t>" },
	{ "1+1", "1+1", "<t>1+1</t>" },
	{ "＝1", "＝1", "<t>＝1</t>" }, /* fullwidth: not a formula */
	{ "42", "42", "<t>42</t>" },
};
#define NNEUTRAL (sizeof(neutral_cases) / sizeof(neutral_cases[0]))

static void test_csv_neutralise(void **state)
{
	struct strbuf expect;
	char *data;
	size_t i, len;

	(void)state;
	for (i = 0; i < NNEUTRAL; i++) {
		data = write_grid(TABLE_CSV, NULL, &neutral_cases[i].in, 1, 1,
		                  &len);
		strbuf_init(&expect, 1024);
		assert_int_equal(
		    strbuf_addf(&expect, BOM "%s\r\n", neutral_cases[i].csv),
		    XJ_OK);
		if (len != expect.len || memcmp(data, expect.buf, len) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, data,
			         expect.buf);
		strbuf_release(&expect);
		free(data);
	}
}

/* --- XLSX --- */

static void test_xlsx_neutralise(void **state)
{
	const char *cells[NNEUTRAL];
	char *data, *xml;
	size_t i, len;

	(void)state;
	for (i = 0; i < NNEUTRAL; i++)
		cells[i] = neutral_cases[i].in;
	data = write_grid(TABLE_XLSX, NULL, cells, NNEUTRAL, 1, &len);
	xml = xlsx_sheet(data, len);
	for (i = 0; i < NNEUTRAL; i++)
		assert_contains(xml, neutral_cases[i].xml);
	assert_only_strings(xml);
	free(xml);
	free(data);
}

static void test_xlsx_structure(void **state)
{
	const char *head[] = { "姓名", "所在党支部", "手机号码", "备注",
		               "说明" };
	const char *row[] = { "张三", "中共某某市某某区机关第一党支部委员会",
		              "+86 139", "abcdefghijklmnopqr", NULL };
	const char *other[] = { "李四", "一支部", "138", "", "" };
	const char *late[] = { "王五", "",
		               "这是第一千零二行的一段很长很长很长"
		               "很长很长很长很长很长的文字",
		               "", "" };
	struct table_writer *w;
	char *data, *xml, *part, *wide;
	size_t len, i;

	(void)state;
	wide = repeat("宽", 100);
	row[4] = wide;
	w = new_writer(TABLE_XLSX, "党员名册");
	add_row(w, head, 5);
	add_row(w, row, 5);
	for (i = 2; i < 1001; i++)
		add_row(w, other, 5);
	add_row(w, late, 5); /* row 1002: past the width sample */
	data = finish(w, &len);
	free(wide);

	assert_true(len > 4 && memcmp(data, "PK\3\4", 4) == 0);
	part = zip_part(data, len, "[Content_Types].xml", 0);
	assert_non_null(part);
	free(part);
	part = zip_part(data, len, "xl/workbook.xml", 0);
	assert_non_null(part);
	assert_contains(part, "<sheet name=\"党员名册\"");
	free(part);
	part = zip_part(data, len, "docProps/core.xml", 0);
	assert_non_null(part);
	assert_contains(part, ">2005-01-01T00:00:00Z</dcterms:created>");
	assert_contains(part, ">2005-01-01T00:00:00Z</dcterms:modified>");
	free(part);
	part = zip_part(data, len, "xl/styles.xml", 0);
	assert_non_null(part);
	assert_contains(part, "<b/>");
	free(part);

	xml = xlsx_sheet(data, len);
	assert_contains(xml, "<dimension ref=\"A1:E1002\"/>");
	assert_contains(xml, "<t>中共某某市某某区机关第一党支部委员会</t>");
	assert_contains(xml, "<t>'+86 139</t>");
	assert_only_strings(xml);
	/* The header is bold (style 1) and frozen; the rest is not bold. */
	assert_contains(xml, "<c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t>姓名"
	                     "</t></is></c>");
	assert_contains(xml, "<c r=\"E1\" s=\"1\" t=\"inlineStr\">");
	assert_contains(xml, "<c r=\"A2\" t=\"inlineStr\"><is><t>张三</t>");
	assert_int_equal(count(xml, "s=\"1\""), 5);
	assert_contains(xml, "<pane ySplit=\"1\" topLeftCell=\"A2\" "
	                     "activePane=\"bottomLeft\" state=\"frozen\"/>");
	/* Widths: a hanzi counts 2, a letter 1, plus 2; short columns keep
	 * Excel's default; 60 at most; rows past 1000 are not measured. */
	assert_true(col_width(xml, 1) == 0);
	assert_true(col_width(xml, 2) >= 38 && col_width(xml, 2) < 39);
	assert_true(col_width(xml, 3) >= 10 && col_width(xml, 3) < 11);
	assert_true(col_width(xml, 4) >= 20 && col_width(xml, 4) < 21);
	assert_true(col_width(xml, 5) >= 60 && col_width(xml, 5) < 61);
	free(xml);
	free(data);
}

static void test_xlsx_empty(void **state)
{
	char *data, *xml;
	size_t len;

	(void)state;
	data = finish(new_writer(TABLE_XLSX, NULL), &len);
	xml = xlsx_sheet(data, len);
	assert_contains(xml, "<sheetData/>");
	free(xml);
	free(data);
}

/*
 * "_xHHHH_" in XLSX text means U+HHHH (ECMA-376 §22.9.2.19): a literal
 * one is escaped so that Excel shows it as typed; control characters come
 * out in that form.
 */
static void test_xlsx_ooxml_escapes(void **state)
{
	const char *cells[] = { "_x0041_",
		                "_x0041_x0042_",
		                "a_x00_b",
		                "a_x004g_b",
		                "a\x01"
		                "b",
		                "__x00e9__" };
	char *data, *xml, *many;
	size_t len;
	struct table_writer *w;
	const char *row[1];

	(void)state;
	data = write_grid(TABLE_XLSX, NULL, cells, 1, 6, &len);
	xml = xlsx_sheet(data, len);
	assert_contains(xml, "<t>_x005F_x0041_</t>");
	assert_contains(xml, "<t>_x005F_x0041_x005F_x0042_</t>");
	assert_contains(xml, "<t>a_x00_b</t>");
	assert_contains(xml, "<t>a_x004g_b</t>");
	assert_contains(xml, "<t>a_x0001_b</t>");
	assert_contains(xml, "<t>__x005F_x00e9__</t>");
	free(xml);
	free(data);

	/* 4,681 escapes are 32,767 characters, within Excel's limit, but
	 * 6 more each once escaped: XLSX refuses, CSV does not. */
	many = repeat("_x0041_", 4681);
	row[0] = many;
	w = new_writer(TABLE_XLSX, NULL);
	expect_refused(w, row, 1, XJ_ETOOLARGE, 1, 1, "第 1 行第 1 列",
	               "_x0000_");
	table_writer_free(w);
	w = new_writer(TABLE_CSV, NULL);
	add_row(w, row, 1);
	data = finish(w, &len);
	assert_int_equal(len, 3 + 4681 * 7 + 2);
	free(data);
	free(many);
}

/* --- refused input, both formats --- */

static void test_invalid_utf8(void **state)
{
	static const char *const bad[] = {
		"\xFF",             /* never in UTF-8 */
		"ab\xC3",           /* truncated */
		"\xC0\xAF",         /* overlong '/' */
		"\xED\xA0\x80",     /* surrogate U+D800 */
		"\xF4\x90\x80\x80", /* above U+10FFFF */
		"\xD5\xC5\xC8\xFD", /* 张三 in GBK */
	};
	const char *ok[] = { "a", "b", "c" };
	const char *after[] = { "之后", "x", "y" };
	const char *row[3];
	enum table_format fmt;
	struct table_writer *w;
	char *data, *xml;
	size_t i, len;

	(void)state;
	for (fmt = TABLE_CSV; fmt <= TABLE_XLSX; fmt++) {
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			w = new_writer(fmt, NULL);
			add_row(w, ok, 3);
			row[0] = "被拒绝的行";
			row[1] = "ok";
			row[2] = bad[i];
			expect_refused(w, row, 3, XJ_EINVAL, 2, 3,
			               "第 2 行第 3 列", "UTF-8");
			row[0] = bad[i];
			row[2] = "z";
			expect_refused(w, row, 3, XJ_EINVAL, 2, 1,
			               "第 2 行第 1 列", "UTF-8");
			/* The writer goes on; the refused rows left nothing. */
			add_row(w, after, 3);
			data = finish(w, &len);
			if (fmt == TABLE_CSV) {
				static const char want[] =
				    BOM "a,b,c\r\n之后,x,y\r\n";

				assert_int_equal(len, sizeof(want) - 1);
				assert_memory_equal(data, want, len);
			} else {
				xml = xlsx_sheet(data, len);
				assert_contains(xml,
				                "<row r=\"2\">"
				                "<c r=\"A2\" t=\"inlineStr\">"
				                "<is><t>之后</t>");
				assert_null(strstr(xml, "被拒绝的行"));
				assert_null(strstr(xml, "<row r=\"3\""));
				free(xml);
			}
			free(data);
		}
	}
}

static void test_cell_length_limit(void **state)
{
	char *a32767 = repeat("a", 32767), *a32768 = repeat("a", 32768);
	char *eq_ok = repeat("a", 32766), *eq_bad = repeat("a", 32767);
	char *emoji16384 = repeat("😀", 16384), *emoji_ok;
	char *han32767 = repeat("中", 32767);
	const char *row[2] = { "x", NULL };
	enum table_format fmt;
	struct table_writer *w;
	char *data, *xml;
	size_t len, want;

	(void)state;
	eq_ok[0] = '=';
	eq_bad[0] = '=';
	emoji_ok = repeat("😀", 16383);
	emoji_ok = xreallocarray(emoji_ok, 16383 * 4 + 2, 1);
	memcpy(emoji_ok + 16383 * 4, "a", 2);

	for (fmt = TABLE_CSV; fmt <= TABLE_XLSX; fmt++) {
		w = new_writer(fmt, NULL);
		row[1] = a32767;
		add_row(w, row, 2);
		row[1] = a32768;
		expect_refused(w, row, 2, XJ_ETOOLARGE, 2, 2,
		               "第 2 行第 2 列有 32768 个字符", "32767");
		row[1] = eq_ok; /* with its apostrophe: 32,767 */
		add_row(w, row, 2);
		row[1] = eq_bad; /* with its apostrophe: 32,768 */
		expect_refused(w, row, 2, XJ_ETOOLARGE, 3, 2,
		               "第 3 行第 2 列有 32768 个字符", "32767");
		row[1] = emoji_ok; /* 16,383 pairs and one: 32,767 */
		add_row(w, row, 2);
		row[1] = emoji16384; /* 32,768 UTF-16 code units */
		expect_refused(w, row, 2, XJ_ETOOLARGE, 4, 2,
		               "第 4 行第 2 列有 32768 个字符", "32767");
		row[1] = han32767;
		add_row(w, row, 2);
		data = finish(w, &len);
		if (fmt == TABLE_CSV) {
			want = 3 + 4 * 4 + 32767 + (32766 + 1) +
			       (16383 * 4 + 1) + 32767 * 3;
			assert_int_equal(len, want);
		} else {
			xml = xlsx_sheet(data, len);
			assert_contains(xml, "<dimension ref=\"A1:B4\"/>");
			assert_int_equal(count(xml, "<c "), 8);
			free(xml);
		}
		free(data);
	}
	free(a32767);
	free(a32768);
	free(eq_ok);
	free(eq_bad);
	free(emoji16384);
	free(emoji_ok);
	free(han32767);
}

static void test_column_limit(void **state)
{
	const char **cells = xcalloc(16385, sizeof(*cells));
	enum table_format fmt;
	struct table_writer *w;
	char *data, *xml;
	size_t i, len;

	(void)state;
	for (i = 0; i < 16385; i++)
		cells[i] = "x";
	for (fmt = TABLE_CSV; fmt <= TABLE_XLSX; fmt++) {
		w = new_writer(fmt, NULL);
		add_row(w, cells, 16384);
		expect_refused(w, cells, 16385, XJ_ETOOLARGE, 2, 16385,
		               "第 2 行有 16385 列", "16384");
		data = finish(w, &len);
		if (fmt == TABLE_CSV) {
			assert_int_equal(len, 3 + 16384 * 2 - 1 + 2);
		} else {
			xml = xlsx_sheet(data, len);
			assert_contains(xml, "<dimension ref=\"A1:XFD1\"/>");
			free(xml);
		}
		free(data);
	}
	free(cells);
}

static void test_row_limit(void **state)
{
	const char *last[] = { "末行" }, *more[] = { "多一行" };
	enum table_format fmt;
	struct table_writer *w;
	char *data, *xml;
	size_t i, len;

	(void)state;
	for (fmt = TABLE_CSV; fmt <= TABLE_XLSX; fmt++) {
		w = new_writer(fmt, NULL);
		for (i = 1; i < 1048576; i++)
			add_row(w, NULL, 0);
		add_row(w, last, 1); /* row 1,048,576 */
		expect_refused(w, more, 1, XJ_ETOOLARGE, 1048577, 0,
		               "第 1048577 行", "1048576");
		expect_refused(w, NULL, 0, XJ_ETOOLARGE, 1048577, 0,
		               "第 1048577 行", "1048576");
		data = finish(w, &len);
		if (fmt == TABLE_CSV) {
			assert_int_equal(len,
			                 3 + 1048575 * 2 + strlen("末行\r\n"));
			assert_memory_equal(data + len - 10, "\r\n末行\r\n",
			                    10);
		} else {
			xml = xlsx_sheet(data, len);
			assert_contains(xml, "<row r=\"1048576\"><c "
			                     "r=\"A1048576\" t=\"inlineStr\">"
			                     "<is><t>末行</t>");
			free(xml);
		}
		free(data);
	}
}

static void test_sheet_names(void **state)
{
	static const struct {
		const char *name;
		const char *msg;
	} bad[] = {
		{ "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"
		  "一二",
		  "32 个字符" },
		{ "a/b", "不能包含" },
		{ "a\\b", "不能包含" },
		{ "a:b", "不能包含" },
		{ "a?b", "不能包含" },
		{ "a*b", "不能包含" },
		{ "[x]", "不能包含" },
		{ "'x", "单引号" },
		{ "x'", "单引号" },
		{ "History", "History" },
		{ "history", "History" },
		{ "\xFF", "UTF-8" },
	};
	struct table_writer *w;
	struct xj_error err;
	char *data, *part;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		xj_error_clear(&err);
		w = (struct table_writer *)&err; /* must be reset to NULL */
		assert_int_equal(
		    table_writer_new(TABLE_XLSX, bad[i].name, &w, &err),
		    XJ_EINVAL);
		assert_null(w);
		assert_string_equal(err.field, "sheet");
		assert_contains(err.msg, "工作表名称");
		assert_contains(err.msg, bad[i].msg);
	}
	/* Refused names leave no temporary directory behind. */
	assert_int_equal(dir_entries(fixture_tmp(state)), 0);

	/* 31 characters is the most; none or "" give Excel's default. */
	data = finish(new_writer(TABLE_XLSX, "一二三四五六七八九十一二三四五六"
	                                     "七八九十一二三四五六七八九十一"),
	              &len);
	part = zip_part(data, len, "xl/workbook.xml", 0);
	assert_contains(part, "<sheet name=\"一二三四五六七八九十一二三四五六"
	                      "七八九十一二三四五六七八九十一\"");
	free(part);
	free(data);
	data = finish(new_writer(TABLE_XLSX, NULL), &len);
	part = zip_part(data, len, "xl/workbook.xml", 0);
	assert_contains(part, "<sheet name=\"Sheet1\"");
	free(part);
	free(data);
	data = finish(new_writer(TABLE_XLSX, ""), &len);
	part = zip_part(data, len, "xl/workbook.xml", 0);
	assert_contains(part, "<sheet name=\"Sheet1\"");
	free(part);
	free(data);

	/* CSV has no sheets: the name is not even looked at. */
	data = finish(new_writer(TABLE_CSV, "a/b"), &len);
	assert_int_equal(len, 3);
	free(data);
}

static void test_bad_arguments(void **state)
{
	struct table_writer *w = (struct table_writer *)state; /* not NULL */
	struct xj_error err;
	char *data;
	size_t len;

	xj_error_clear(&err);
	assert_int_equal(table_writer_new(TABLE_FORMAT__MAX, NULL, &w, &err),
	                 XJ_EINTERNAL);
	assert_null(w);
	assert_contains(err.msg, "不支持的导出格式");

	w = new_writer(TABLE_CSV, NULL);
	xj_error_clear(&err);
	assert_int_equal(table_writer_row(w, NULL, 2, &err), XJ_EINTERNAL);
	assert_contains(err.msg, "导出参数有误");
	data = finish(w, &len);
	assert_int_equal(len, 3);
	free(data);
}

/* --- determinism, cleanup, size --- */

static char *sample_xlsx(const char *last, size_t *len)
{
	const char *cells[] = { "姓名", "备注", "张三", "=1+2", "李四", last };

	return write_grid(TABLE_XLSX, "名册", cells, 3, 2, len);
}

static void test_xlsx_deterministic(void **state)
{
	struct timespec pause = { 1, 100000000 }; /* past a clock second */
	char *a, *b, *c;
	size_t alen, blen, clen;

	(void)state;
	a = sample_xlsx("党员", &alen);
	assert_int_equal(nanosleep(&pause, NULL), 0);
	b = sample_xlsx("党员", &blen);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	/* The comparison sees a difference where there is one. */
	c = sample_xlsx("群众", &clen);
	assert_true(clen != alen || memcmp(a, c, alen) != 0);
	free(a);
	free(b);
	free(c);
}

static void test_cleanup(void **state)
{
	const char *cells[] = { "姓名", "备注" };
	const char *tmp = fixture_tmp(state);
	enum table_format fmt;
	struct table_writer *w;
	size_t fds = open_fds(), i, len;
	char *data;

	for (fmt = TABLE_CSV; fmt <= TABLE_XLSX; fmt++) {
		/* freed at once */
		table_writer_free(new_writer(fmt, NULL));
		assert_int_equal(dir_entries(tmp), 0);
		assert_int_equal(open_fds(), fds);

		/* freed after rows, some already in libxlsxwriter's file */
		w = new_writer(fmt, "未完成");
		if (fmt == TABLE_XLSX)
			assert_int_equal(dir_entries(tmp), 1);
		for (i = 0; i < 2000; i++)
			add_row(w, cells, 2);
		table_writer_free(w);
		assert_int_equal(dir_entries(tmp), 0);
		assert_int_equal(open_fds(), fds);

		/* finished */
		w = new_writer(fmt, NULL);
		add_row(w, cells, 2);
		data = finish(w, &len);
		free(data);
		assert_int_equal(dir_entries(tmp), 0);
		assert_int_equal(open_fds(), fds);
	}
	table_writer_free(NULL);
}

static void test_tmpdir_unusable(void **state)
{
	struct table_writer *w = NULL;
	struct xj_error err;
	struct strbuf missing;
	char *data;
	size_t len;

	strbuf_init(&missing, 4096);
	assert_int_equal(
	    strbuf_addf(&missing, "%s/没有这个目录", fixture_tmp(state)),
	    XJ_OK);
	assert_int_equal(setenv("TMPDIR", missing.buf, 1), 0);
	xj_error_clear(&err);
	assert_int_equal(table_writer_new(TABLE_XLSX, NULL, &w, &err), XJ_EIO);
	assert_null(w);
	assert_contains(err.msg, "无法在");
	assert_contains(err.msg, "没有这个目录");
	assert_contains(err.msg, "临时目录");
	/* CSV is made in memory and does not care. */
	data = finish(new_writer(TABLE_CSV, NULL), &len);
	assert_int_equal(len, 3);
	free(data);
	strbuf_release(&missing);
}

static void test_xlsx_100k_rows(void **state)
{
	char buf[12][48];
	const char *cells[12];
	struct table_writer *w;
	char *data, *head;
	size_t r, c, len;

	(void)state;
	w = new_writer(TABLE_XLSX, "十万行");
	for (r = 0; r < 100000; r++) {
		for (c = 0; c < 12; c++) {
			snprintf(buf[c], sizeof(buf[c]), "第%zu行党员%zu号", r,
			         c);
			cells[c] = buf[c];
		}
		add_row(w, cells, 12);
	}
	data = finish(w, &len);
	head = zip_part(data, len, SHEET, 4096);
	assert_non_null(head);
	assert_contains(head, "<dimension ref=\"A1:L100000\"/>");
	free(head);
	free(data);
	assert_int_equal(dir_entries(fixture_tmp(state)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_csv_bytes),
		TEST(test_csv_empty_is_bom),
		TEST(test_csv_neutralise),
		TEST(test_xlsx_neutralise),
		TEST(test_xlsx_structure),
		TEST(test_xlsx_empty),
		TEST(test_xlsx_ooxml_escapes),
		TEST(test_invalid_utf8),
		TEST(test_cell_length_limit),
		TEST(test_column_limit),
		TEST(test_row_limit),
		TEST(test_sheet_names),
		TEST(test_bad_arguments),
		TEST(test_xlsx_deterministic),
		TEST(test_cleanup),
		TEST(test_tmpdir_unusable),
		TEST(test_xlsx_100k_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
