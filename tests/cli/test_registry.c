/*
 * Rosters through the real binary: import and export on the demo
 * campaign, the round trip, and every kind of bad file, each refused
 * with its rows named and the database left exactly as it was.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <iconv.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "../lib/check.h"
#include "../lib/harness.h"
#include "xianjiao/hash.h"

static char *dir, *db;

/* A digest of every row of every table, to prove nothing changed. */
static void db_digest(char *out)
{
	struct sha256_ctx c;
	sqlite3_stmt *tabs, *rows;
	sqlite3 *h;
	char sql[256];

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	sha256_begin(&c);
	assert_int_equal(sqlite3_prepare_v2(h,
	                                    "SELECT name FROM sqlite_master "
	                                    "WHERE type = 'table' ORDER BY "
	                                    "name",
	                                    -1, &tabs, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(tabs) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(tabs, 0);
		int i, n;

		snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"", t);
		assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &rows, NULL),
		                 SQLITE_OK);
		sha256_add(&c, t, strlen(t));
		while (sqlite3_step(rows) == SQLITE_ROW) {
			n = sqlite3_column_count(rows);
			for (i = 0; i < n; i++) {
				const unsigned char *v =
				    sqlite3_column_text(rows, i);

				sha256_add(&c, v ? (const char *)v : "\x01",
				           v ? strlen((const char *)v) : 1);
				sha256_add(&c, "\x1f", 1);
			}
		}
		sqlite3_finalize(rows);
	}
	sqlite3_finalize(tabs);
	sqlite3_close(h);
	sha256_end_hex(&c, out);
}

static char *path(const char *name)
{
	static char buf[8][512];
	static int k;

	k = (k + 1) % 8;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", dir, name);
	return buf[k];
}

static void put(const char *name, const void *data, size_t len)
{
	FILE *f = fopen(path(name), "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static char *slurp(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int setup(void **state)
{
	struct proc_result r;

	(void)state;
	assert_int_equal(hash_init(NULL), XJ_OK);
	dir = tmpdir_make();
	db = path_join(dir, "r.db");
	xj_run(&r, "demo", "--db", db, NULL);
	assert_int_equal(r.status, 0);
	proc_result_release(&r);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tmpdir_remove(dir);
	free(db);
	free(dir);
	return 0;
}

/* Import name; expect exit status want; return stderr (caller frees). */
static char *import(const char *name, int want, const char *enc)
{
	struct proc_result r;
	char *err;

	if (enc != NULL)
		xj_run(&r, "import", "members", path(name), "--db", db,
		       "--encoding", enc, NULL);
	else
		xj_run(&r, "import", "members", path(name), "--db", db, NULL);
	if (r.status != want)
		fail_msg("import %s: exit %d, want %d\n%s%s", name, r.status,
		         want, r.out, r.err);
	err = strdup(r.status == 0 ? r.out : r.err);
	proc_result_release(&r);
	return err;
}

/* A bad file: refused, naming what must be named, nothing changed. */
static void refused(const char *name, const char *enc, const char *const *want)
{
	char before[SHA256_HEX_LEN], after[SHA256_HEX_LEN], *msg;

	db_digest(before);
	msg = import(name, 1, enc);
	for (; *want != NULL; want++)
		assert_contains(msg, *want);
	free(msg);
	db_digest(after);
	assert_string_equal(before, after);
}

static void export_to(const char *name, const char *fmt)
{
	struct proc_result r;

	xj_run(&r, "export", "members", "--db", db, "--full-id", "--format",
	       fmt, "--out", path(name), NULL);
	if (r.status != 0)
		fail_msg("export: %s", r.err);
	proc_result_release(&r);
}

static void test_round_trip(void **state)
{
	char before[SHA256_HEX_LEN], after[SHA256_HEX_LEN], *msg, *a, *b;
	size_t la, lb;
	const char *fmts[] = { "csv", "xlsx" };
	char n1[32], n2[32];
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		snprintf(n1, sizeof(n1), "rt1.%s", fmts[i]);
		snprintf(n2, sizeof(n2), "rt2.%s", fmts[i]);
		export_to(n1, fmts[i]);
		db_digest(before);
		msg = import(n1, 0, NULL);
		assert_contains(msg, "共 3679 行，新增 0，更新 0，未变 3679");
		free(msg);
		db_digest(after);
		assert_string_equal(before, after); /* not even an audit row */
		export_to(n2, fmts[i]);
		a = slurp(path(n1), &la);
		b = slurp(path(n2), &lb);
		assert_int_equal(la, lb);
		assert_memory_equal(a, b, la);
		free(a);
		free(b);
	}
}

static const char header[] =
    "身份证号码,姓名,性别,出生日期,入党时间,组织代码,人员类别\r\n";

/* Valid new members: ids with correct check digits. */
static void test_good_files(void **state)
{
	/* 43990119800101001? with check digits computed by the binary's
	 * rule: the test uses known-good numbers from GB 11643's example
	 * and shifts the region. */
	const char *utf8 = "\xEF\xBB\xBF"
	                   "身份证号码,姓名,组织代码,人员类别\r\n"
	                   "11010519491231002X,王建国,U001-B01,在职\r\n";
	char *msg;

	(void)state;
	put("bom.csv", utf8, strlen(utf8));
	msg = import("bom.csv", 0, NULL);
	assert_contains(msg, "新增 1");
	free(msg);
	/* the same file again changes nothing */
	msg = import("bom.csv", 0, NULL);
	assert_contains(msg, "新增 0，更新 0，未变 1");
	free(msg);
}

static void test_gbk(void **state)
{
	const char *text = "身份证号码,姓名,组织代码\r\n"
	                   "11010519491231002X,王建国同志,U001-B01\r\n";
	char out[512], *in = (char *)text, *o = out, *msg;
	size_t inleft = strlen(text), outleft = sizeof(out);
	iconv_t cd = iconv_open("GBK", "UTF-8");

	(void)state;
	assert_true(cd != (iconv_t)-1);
	assert_true(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
	iconv_close(cd);
	put("gbk.csv", out, sizeof(out) - outleft);
	msg = import("gbk.csv", 0, NULL);
	assert_contains(msg, "更新 1");
	free(msg);
	{
		struct proc_result r;

		xj_run(&r, "export", "members", "--db", db, "--org", "U001-B01",
		       NULL);
		assert_int_equal(r.status, 0);
		assert_contains(r.out, "王建国同志");
		assert_contains(r.out, "110***********002X");
		proc_result_release(&r);
	}
}

static void test_row_problems(void **state)
{
	char buf[2048];
	const char *w1[] = { "第 3 行", "身份证号码", "与第 2 行重复", NULL };
	const char *w2[] = { "第 2 行", "校验位", NULL };
	const char *w3[] = { "第 2 行", "组织代码", "NOPE", NULL };
	const char *w4[] = { "第 2 行", "入党时间", "2005-02-30",
		             "不是有效日期", NULL };
	const char *w5[] = { "第 2 行", "性别", NULL };

	(void)state;
	snprintf(buf, sizeof(buf),
	         "%s11010519491231002X,甲,女,,,U001-B01,在职\r\n"
	         "11010519491231002X,乙,女,,,U001-B01,在职\r\n",
	         header);
	put("dup.csv", buf, strlen(buf));
	refused("dup.csv", NULL, w1);
	snprintf(buf, sizeof(buf),
	         "%s110105194912310021,甲,女,,,U001-B01,在职\r\n", header);
	put("check.csv", buf, strlen(buf));
	refused("check.csv", NULL, w2);
	snprintf(buf, sizeof(buf), "%s11010519491231002X,甲,女,,,NOPE,在职\r\n",
	         header);
	put("branch.csv", buf, strlen(buf));
	refused("branch.csv", NULL, w3);
	snprintf(buf, sizeof(buf),
	         "%s11010519491231002X,甲,女,,2005-02-30,U001-B01,在职\r\n",
	         header);
	put("date.csv", buf, strlen(buf));
	refused("date.csv", NULL, w4);
	snprintf(buf, sizeof(buf),
	         "%s11010519491231002X,甲,男,,,U001-B01,在职\r\n", header);
	put("sex.csv", buf, strlen(buf));
	refused("sex.csv", NULL, w5);
}

static void test_error_file(void **state)
{
	char buf[1024], *data;
	struct proc_result r;
	size_t len;

	(void)state;
	snprintf(buf, sizeof(buf),
	         "%s11010519491231002X,甲,女,,,U001-B01,在职\r\n"
	         "110105194912310021,乙,女,,,U001-B01,在职\r\n",
	         header);
	put("mixed.csv", buf, strlen(buf));
	xj_run(&r, "import", "members", path("mixed.csv"), "--db", db,
	       "--errors", path("mixed-errors.csv"), NULL);
	assert_int_equal(r.status, 1);
	proc_result_release(&r);
	data = slurp(path("mixed-errors.csv"), &len);
	assert_contains(data, "错误原因");
	assert_contains(data, "110105194912310021");
	assert_null(strstr(data, "11010519491231002X,甲")); /* good row left */
	free(data);
}

static void test_bad_files(void **state)
{
	const char *w_trunc[] = { "XLSX", NULL };
	const char *w_utf8[] = { "第 2 行", NULL };
	const char *w_big[] = { "第 2 行", "第 2 列", NULL };
	const char *w_huge[] = { "MiB", NULL };
	char *xlsx, *big;
	size_t len, i;
	FILE *f;

	(void)state;
	export_to("whole.xlsx", "xlsx");
	xlsx = slurp(path("whole.xlsx"), &len);
	put("trunc.xlsx", xlsx, len / 2);
	free(xlsx);
	refused("trunc.xlsx", NULL, w_trunc);

	put("bad.csv", "身份证号码,姓名\r\n11010519491231002X,\xff\xfe\r\n",
	    strlen("身份证号码,姓名\r\n11010519491231002X,\xff\xfe\r\n"));
	refused("bad.csv", "utf8", w_utf8);

	big = malloc(100000 * 3 + 64);
	len =
	    (size_t)snprintf(big, 64, "身份证号码,姓名\r\n11010519491231002X,");
	for (i = 0; i < 100000; i++) {
		memcpy(big + len, "字", 3);
		len += 3;
	}
	put("cell.csv", big, len);
	free(big);
	refused("cell.csv", NULL, w_big);

	f = fopen(path("huge.csv"), "wb");
	assert_non_null(f);
	fputs("身份证号码,姓名\r\n", f);
	for (i = 0; i < 20 * 1024 * 1024 / 32; i++)
		fputs("11010519491231002X,姓名姓名姓\r\n", f);
	fclose(f);
	refused("huge.csv", NULL, w_huge);
}

/* An XLSX whose sheet cites a shared string that does not exist. */
static void test_bad_shared_string(void **state)
{
	const char *want[] = { "第 2 行", NULL };
	zip_source_t *src;
	zip_t *z;
	char *sheet;
	const char *xml =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "<worksheet xmlns=\"http://schemas.openxmlformats.org/"
	    "spreadsheetml/2006/main\"><sheetData>"
	    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>身份证号码</t>"
	    "</is></c><c r=\"B1\" "
	    "t=\"inlineStr\"><is><t>姓名</t></is></c></row>"
	    "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>999999</v></c></row>"
	    "</sheetData></worksheet>";

	(void)state;
	export_to("ss.xlsx", "xlsx");
	z = zip_open(path("ss.xlsx"), 0, NULL);
	assert_non_null(z);
	sheet = strdup(xml);
	src = zip_source_buffer(z, sheet, strlen(sheet), 1);
	assert_non_null(src);
	assert_true(zip_file_add(z, "xl/worksheets/sheet1.xml", src,
	                         ZIP_FL_OVERWRITE) >= 0);
	assert_int_equal(zip_close(z), 0);
	refused("ss.xlsx", NULL, want);
}

static void test_dry_run_and_orgs(void **state)
{
	char before[SHA256_HEX_LEN], after[SHA256_HEX_LEN];
	const char *csv = "身份证号码,姓名,组织代码\r\n"
	                  "11010519491231002X,改名试试,U001-B01\r\n";
	struct proc_result r;

	(void)state;
	put("dry.csv", csv, strlen(csv));
	db_digest(before);
	xj_run(&r, "import", "members", path("dry.csv"), "--db", db,
	       "--dry-run", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "检查通过（未写入）");
	assert_contains(r.out, "更新 1");
	proc_result_release(&r);
	db_digest(after);
	assert_string_equal(before, after);

	/* organisations round-trip too */
	xj_run(&r, "export", "orgs", "--db", db, "--out", path("orgs.csv"),
	       NULL);
	assert_int_equal(r.status, 0);
	proc_result_release(&r);
	xj_run(&r, "import", "orgs", path("orgs.csv"), "--db", db, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "共 493 行，新增 0，更新 0，未变 493");
	proc_result_release(&r);
	db_digest(after);
	assert_string_equal(before, after);

	/* a template is just the header row */
	xj_run(&r, "template", "members", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "身份证号码,姓名,性别");
	assert_null(strchr(strchr(r.out, '\n') + 1, '\n'));
	proc_result_release(&r);

	/* coverage names who could be missed, with masked ID numbers */
	xj_run(&r, "export", "coverage", "--db", db, NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "失去联系的党员");
	assert_contains(r.out, "未配备支部书记的党支部");
	assert_contains(r.out, "***********");
	proc_result_release(&r);
	xj_run(&r, "export", "members", "--db", db, "--format", "pdf", NULL);
	assert_int_equal(r.status, 2);
	proc_result_release(&r);
	xj_run(&r, "export", "members", "--db", db, "--org", "NOPE", NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "组织代码不存在: NOPE");
	proc_result_release(&r);
}

static void test_member_move(void **state)
{
	struct proc_result r;

	(void)state;
	/* 11010519491231002X was imported into U001-B01 above */
	xj_run(&r, "member", "move", "--db", db, "--id-number",
	       "11010519491231002X", "--kind", "调动", "--date", "2005-03-01",
	       "--to", "U001-B02", NULL);
	assert_int_equal(r.status, 0);
	assert_contains(r.out, "调动");
	proc_result_release(&r);
	xj_run(&r, "member", "move", "--db", db, "--id-number",
	       "11010519491231002X", "--kind", "转出", "--date", "2005-04-01",
	       NULL);
	assert_int_equal(r.status, 0);
	proc_result_release(&r);
	xj_run(&r, "member", "move", "--db", db, "--id-number",
	       "11010519491231002X", "--kind", "去世", "--date", "2005-05-01",
	       NULL);
	assert_int_equal(r.status, 1);
	assert_contains(r.err, "已转出或去世");
	proc_result_release(&r);
	xj_run(&r, "member", "move", "--db", db, "--id-number",
	       "11010519491231002X", "--kind", "出国", "--date", "2005-05-01",
	       NULL);
	assert_int_equal(r.status, 2);
	proc_result_release(&r);
	xj_run(&r, "member", "move", "--db", db, "--id-number",
	       "11010519491231002X", "--kind", "转入", "--date", "2005-02-30",
	       "--to", "U001-B01", NULL);
	assert_int_equal(r.status, 2);
	assert_contains(r.err, "不是有效日期");
	proc_result_release(&r);
}

static int64_t seats_of(const char *idn)
{
	char sql[256];
	sqlite3_stmt *st;
	sqlite3 *h;
	int64_t n = -1;

	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM body_seats s JOIN members m ON m.id = "
	         "s.member_id WHERE m.id_number = '%s' AND s.title = '委员'",
	         idn);
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

/* 双重组织生活: a leading cadre sits in the unit's 领导班子 as well. */
static void test_leadership_seat(void **state)
{
	const char *seat = "身份证号码,姓名,组织代码,领导班子职务\r\n"
	                   "11010519491231002X,王建国同志,U001-B01,委员\r\n";
	const char *none = "身份证号码,姓名,组织代码,领导班子职务\r\n"
	                   "11010519491231002X,王建国同志,U001-B01,\r\n";
	char before[SHA256_HEX_LEN], after[SHA256_HEX_LEN], *msg;
	struct proc_result r;

	(void)state;
	/* back into a branch first (test_member_move moved them out) */
	xj_run(&r, "member", "move", "--db", db, "--id-number",
	       "11010519491231002X", "--kind", "转入", "--date", "2005-06-01",
	       "--to", "U001-B01", NULL);
	assert_int_equal(r.status, 0);
	proc_result_release(&r);
	put("seat.csv", seat, strlen(seat));
	msg = import("seat.csv", 0, NULL);
	free(msg);
	assert_int_equal(seats_of("11010519491231002X"), 1);
	db_digest(before);
	msg = import("seat.csv", 0, NULL);
	free(msg);
	db_digest(after);
	assert_string_equal(before, after);
	put("none.csv", none, strlen(none));
	msg = import("none.csv", 0, NULL);
	free(msg);
	assert_int_equal(seats_of("11010519491231002X"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_good_files),
		cmocka_unit_test(test_gbk),
		cmocka_unit_test(test_row_problems),
		cmocka_unit_test(test_error_file),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_bad_shared_string),
		cmocka_unit_test(test_dry_run_and_orgs),
		cmocka_unit_test(test_member_move),
		cmocka_unit_test(test_leadership_seat),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
