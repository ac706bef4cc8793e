/*
 * test_types.c - domain type names, ID numbers and names
 * (src/core/types.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include "../../lib/check.h"

#include <string.h>

#include "xianjiao/core.h"

/* --- organisation types --- */

static void test_org_type_names(void **state)
{
	(void)state;
	assert_string_equal(org_type_name(ORG_COMMITTEE), "党委");
	assert_string_equal(org_type_name(ORG_WORK_COMMITTEE), "党工委");
	assert_string_equal(org_type_name(ORG_PARTY_GROUP), "党组");
	assert_string_equal(org_type_name(ORG_GENERAL_BRANCH), "党总支");
	assert_string_equal(org_type_name(ORG_BRANCH), "党支部");
	assert_string_equal(org_type_name(ORG_LEADERSHIP), "领导班子");
	assert_string_equal(org_type_name(ORG_TYPE__MAX), "?");
	assert_string_equal(org_type_name((enum org_type) - 1), "?");
}

static void test_org_type_round_trip(void **state)
{
	int t, u;

	(void)state;
	for (t = 0; t < ORG_TYPE__MAX; t++) {
		const char *name = org_type_name((enum org_type)t);

		assert_non_null(name);
		assert_string_not_equal(name, "?");
		assert_int_equal(org_type_parse(name), t);
		for (u = 0; u < t; u++)
			assert_string_not_equal(
			    name, org_type_name((enum org_type)u));
	}
}

static void test_org_type_unknown(void **state)
{
	static const char *const unknown[] = {
		"", "党小组", "党委 ", " 党委", "党", "branch", "党支部党支部",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		if (org_type_parse(unknown[i]) != -1)
			fail_msg("\"%s\" parsed as an org type", unknown[i]);
	assert_int_equal(org_type_parse(NULL), -1);
}

/* --- member categories, statuses, genders --- */

static void test_member_category_round_trip(void **state)
{
	int c, d;

	(void)state;
	for (c = 0; c < MCAT__MAX; c++) {
		const char *name =
		    member_category_name((enum member_category)c);

		assert_non_null(name);
		assert_string_not_equal(name, "?");
		assert_int_equal(member_category_parse(name), c);
		for (d = 0; d < c; d++)
			assert_string_not_equal(
			    name,
			    member_category_name((enum member_category)d));
	}
	assert_string_equal(member_category_name(MCAT_FRAIL), "年老体弱");
	assert_string_equal(member_category_name(MCAT_MOBILE), "流动党员");
	assert_string_equal(member_category_name(MCAT_LEADER), "党员领导干部");
	assert_string_equal(member_category_name(MCAT__MAX), "?");
	assert_string_equal(member_category_name((enum member_category) - 1),
	                    "?");
}

static void test_member_category_aliases(void **state)
{
	(void)state;
	/* DOMAIN.md §3.3: one category under four names. */
	assert_int_equal(member_category_parse("年老体弱"), MCAT_FRAIL);
	assert_int_equal(member_category_parse("长期患病"), MCAT_FRAIL);
	assert_int_equal(member_category_parse("体弱多病"), MCAT_FRAIL);
	assert_int_equal(member_category_parse("行动不便"), MCAT_FRAIL);
	/* The canonical name is what is shown. */
	assert_string_equal(
	    member_category_name(member_category_parse("长期患病")),
	    "年老体弱");
}

static void test_member_category_unknown(void **state)
{
	(void)state;
	assert_int_equal(member_category_parse(""), -1);
	assert_int_equal(member_category_parse(NULL), -1);
	assert_int_equal(member_category_parse("退休"), -1);
	assert_int_equal(member_category_parse("长期"), -1);
	assert_int_equal(member_category_parse("长期患病 "), -1);
	assert_int_equal(member_category_parse("active"), -1);
}

static void test_status_and_gender_names(void **state)
{
	(void)state;
	assert_string_equal(member_status_name(MEMBER_FULL), "正式党员");
	assert_string_equal(member_status_name(MEMBER_PROBATIONARY),
	                    "预备党员");
	assert_string_equal(member_status_name(MEMBER_STATUS__MAX), "?");
	assert_string_equal(member_status_name((enum member_status) - 1), "?");
	assert_string_equal(gender_name(GENDER_MALE), "男");
	assert_string_equal(gender_name(GENDER_FEMALE), "女");
	assert_string_equal(gender_name(GENDER__MAX), "?");
	assert_string_equal(gender_name((enum gender) - 1), "?");
}

/* --- 公民身份号码 --- */

/*
 * ISO 7064 MOD 11-2 as GB 11643-1999 states it, independent of the
 * tables in types.c: the digit at position i (counted from the right,
 * the check character being position 1) has weight 2^(i-1) mod 11, and
 * the check value is (12 - sum mod 11) mod 11, written X for 10.
 */
static char ref_check_char(const char *s17)
{
	int sum = 0, i;

	for (i = 0; i < 17; i++) {
		int pos = 18 - i, w = 1, k;

		for (k = 1; k < pos; k++)
			w = w * 2 % 11;
		sum += (s17[i] - '0') * w;
	}
	sum = (12 - sum % 11) % 11;
	return sum == 10 ? 'X' : (char)('0' + sum);
}

static void test_idnum_published_example(void **state)
{
	struct xj_error err;

	(void)state;
	/* The example of GB 11643-1999. */
	assert_int_equal(ref_check_char("11010519491231002"), 'X');
	assert_int_equal(idnum_check_char("11010519491231002"), 'X');
	assert_int_equal(idnum_check_char("11010519491231002X"), 'X');
	xj_error_clear(&err);
	assert_int_equal(
	    idnum_validate("11010519491231002X", "身份证号码", &err), XJ_OK);
	assert_int_equal(err.code, XJ_OK);
	/* Lowercase x is how many people type it. */
	assert_int_equal(
	    idnum_validate("11010519491231002x", "身份证号码", &err), XJ_OK);
	assert_int_equal(idnum_validate("11010519491231002X", NULL, NULL),
	                 XJ_OK);
}

static void test_idnum_check_char_many(void **state)
{
	uint64_t x = 0x2005031000001ULL;
	char s[19];
	int n, i, seen_x = 0;

	(void)state;
	for (n = 0; n < 5000; n++) {
		char want, c;

		for (i = 0; i < 17; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			s[i] = (char)('0' + (x >> 33) % 10);
		}
		want = ref_check_char(s);
		s[17] = '\0';
		if (idnum_check_char(s) != want)
			fail_msg("check char of %s: '%c', want '%c'", s,
			         idnum_check_char(s), want);
		seen_x += want == 'X';
		s[18] = '\0';
		/* The right check character passes, every other fails. */
		for (c = '0'; c <= '9' + 1; c++) {
			struct xj_error err;
			char cc = c > '9' ? 'X' : c;

			s[17] = cc;
			xj_error_clear(&err);
			if (cc == want) {
				assert_int_equal(
				    idnum_validate(s, "身份证号码", &err),
				    XJ_OK);
				continue;
			}
			if (idnum_validate(s, "身份证号码", &err) != XJ_EINVAL)
				fail_msg("%s accepted (check char is '%c')", s,
				         want);
			assert_contains(err.msg, "校验位不正确");
		}
	}
	assert_true(seen_x > 0);
}

static void test_idnum_check_char_not_digits(void **state)
{
	(void)state;
	assert_int_equal(idnum_check_char("1101051949123100A"), 0);
	assert_int_equal(idnum_check_char("A1010519491231002"), 0);
	assert_int_equal(idnum_check_char("11010519491231 02"), 0);
	assert_int_equal(idnum_check_char("1234"), 0); /* stops at NUL */
	assert_int_equal(idnum_check_char(""), 0);
}

static void idnum_bad(const char *s, const char *field, const char *what)
{
	struct xj_error err;

	xj_error_clear(&err);
	if (idnum_validate(s, field, &err) != XJ_EINVAL)
		fail_msg("\"%s\" accepted", s ? s : "(null)");
	assert_int_equal(err.code, XJ_EINVAL);
	assert_contains(err.msg, what);
	if (field != NULL) {
		assert_string_equal(err.field, field);
		assert_contains(err.msg, field);
	} else {
		assert_string_equal(err.field, "");
		assert_contains(err.msg, "身份证号码");
	}
}

static void test_idnum_validate_bad(void **state)
{
	(void)state;
	idnum_bad("11010519491231002", "证件号", "应为 18 位"); /* 17 */
	idnum_bad("11010519491231002XX", "证件号", "应为 18 位");
	idnum_bad("", "证件号", "应为 18 位");
	idnum_bad(NULL, "证件号", "应为 18 位");
	idnum_bad("11010519491231002", NULL, "应为 18 位");
	idnum_bad("1101051949123100AX", "证件号", "前 17 位应为数字");
	idnum_bad("X10105194912310021", "证件号", "前 17 位应为数字");
	idnum_bad("11010519491231 02X", "证件号", "前 17 位应为数字");
	idnum_bad("110105194912310021", "证件号", "校验位不正确");
	idnum_bad("11010519491231002Y", "证件号", "校验位不正确");
	idnum_bad("11010519491231002 ", "证件号", "校验位不正确");
	idnum_bad("110105194912310020", NULL, "校验位不正确");
	/* Digits 1-17 are checked too: a typo there changes the check. */
	idnum_bad("11010519491231003X", "证件号", "校验位不正确");
	assert_int_equal(idnum_validate("1101051949123100", "f", NULL),
	                 XJ_EINVAL);
}

static void test_idnum_mask(void **state)
{
	char buf[24];

	(void)state;
	memset(buf, '#', sizeof(buf));
	idnum_mask("11010519491231002X", buf);
	assert_string_equal(buf, "110***********002X");
	assert_int_equal(strlen(buf), 18);
	assert_int_equal(buf[19], '#'); /* writes 19 bytes, no more */
	idnum_mask("430102198001011234", buf);
	assert_string_equal(buf, "430***********1234");
	/* Anything not 18 long is masked entirely. */
	idnum_mask("1101051949123100", buf);
	assert_string_equal(buf, "******************");
	idnum_mask("", buf);
	assert_string_equal(buf, "******************");
	idnum_mask(NULL, buf);
	assert_string_equal(buf, "******************");
	assert_int_equal(buf[19], '#');
}

/* --- names --- */

static void name_ok(const char *s)
{
	struct xj_error err;

	xj_error_clear(&err);
	if (name_validate(s, "姓名", &err) != XJ_OK)
		fail_msg("\"%s\" refused: %s", s, err.msg);
}

static void name_bad(const char *s, const char *what)
{
	struct xj_error err;

	xj_error_clear(&err);
	if (name_validate(s, "姓名", &err) != XJ_EINVAL)
		fail_msg("\"%s\" accepted", s ? s : "(null)");
	assert_int_equal(err.code, XJ_EINVAL);
	assert_string_equal(err.field, "姓名");
	assert_contains(err.msg, "姓名");
	assert_contains(err.msg, what);
}

static void test_name_validate_ok(void **state)
{
	char buf[64 * 3 + 1];
	int i;

	(void)state;
	name_ok("张三");
	name_ok("欧阳娜娜");
	name_ok("阿依古丽·买买提");
	name_ok("John Smith");
	name_ok("中共某某市委员会机关党委第一党支部");
	name_ok("x");
	/* Exactly NAME_MAX_CHARS characters, counted as characters. */
	for (i = 0; i < NAME_MAX_CHARS; i++)
		memcpy(buf + 3 * i, "党", 3);
	buf[3 * NAME_MAX_CHARS] = '\0';
	name_ok(buf);
	memset(buf, 'a', NAME_MAX_CHARS);
	buf[NAME_MAX_CHARS] = '\0';
	name_ok(buf);
}

static void test_name_validate_bad(void **state)
{
	char buf[65 * 3 + 1];
	struct xj_error err;
	int i;

	(void)state;
	name_bad("", "不能为空");
	name_bad(NULL, "不能为空");
	for (i = 0; i < NAME_MAX_CHARS + 1; i++)
		memcpy(buf + 3 * i, "党", 3);
	buf[3 * (NAME_MAX_CHARS + 1)] = '\0';
	name_bad(buf, "不能超过 64 个字");
	memset(buf, 'a', NAME_MAX_CHARS + 1);
	buf[NAME_MAX_CHARS + 1] = '\0';
	name_bad(buf, "不能超过 64 个字");
	name_bad("张\t三", "控制字符");
	name_bad("张三\n", "控制字符");
	name_bad("\x1b[31m张三", "控制字符");
	name_bad("张\x7f三", "控制字符");
	name_bad("张\xC2\x85三", "控制字符"); /* U+0085, a C1 control */
	name_bad("张\xC2\x9F三", "控制字符"); /* U+009F */
	name_bad(" 张三", "首尾不能有空格");
	name_bad("张三 ", "首尾不能有空格");
	name_bad(" ", "首尾不能有空格");
	name_bad("张\xFF三", "UTF-8");
	name_bad("\xE5\xBC", "UTF-8");
	/* The byte offset of the bad byte is reported. */
	xj_error_clear(&err);
	assert_int_equal(name_validate("张\xFF三", "姓名", &err), XJ_EINVAL);
	assert_int_equal(err.column, 4);
	/* Characters near the C1 range are fine. */
	name_ok("Zoë \xC2\xA0Müller");
	/* Without a field name the message still says what is wrong. */
	xj_error_clear(&err);
	assert_int_equal(name_validate("", NULL, &err), XJ_EINVAL);
	assert_contains(err.msg, "名称");
	assert_int_equal(name_validate(" a", NULL, NULL), XJ_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_org_type_names),
		cmocka_unit_test(test_org_type_round_trip),
		cmocka_unit_test(test_org_type_unknown),
		cmocka_unit_test(test_member_category_round_trip),
		cmocka_unit_test(test_member_category_aliases),
		cmocka_unit_test(test_member_category_unknown),
		cmocka_unit_test(test_status_and_gender_names),
		cmocka_unit_test(test_idnum_published_example),
		cmocka_unit_test(test_idnum_check_char_many),
		cmocka_unit_test(test_idnum_check_char_not_digits),
		cmocka_unit_test(test_idnum_validate_bad),
		cmocka_unit_test(test_idnum_mask),
		cmocka_unit_test(test_name_validate_ok),
		cmocka_unit_test(test_name_validate_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
