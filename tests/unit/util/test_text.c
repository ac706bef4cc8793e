/*
 * test_text.c - UTF-8 validation and decoding, 字数 (src/util/text.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include "../../lib/check.h"

#include <stdio.h>
#include <string.h>

#include "xianjiao/text.h"

static size_t decode(const char *bytes, size_t len, uint32_t *cp)
{
	return utf8_decode((const unsigned char *)bytes, len, cp);
}

/* --- utf8_decode: what it accepts --- */

static void test_decode_valid(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
		uint32_t cp;
	} tab[] = {
		{ "A", 1, 0x41 },
		{ "\x7F", 1, 0x7F },
		{ "\xC2\x80", 2, 0x80 },
		{ "\xC3\xA9", 2, 0xE9 },
		{ "\xDF\xBF", 2, 0x7FF },
		{ "\xE0\xA0\x80", 3, 0x800 },
		{ "\xE4\xB8\xAD", 3, 0x4E2D }, /* 中 */
		{ "\xED\x9F\xBF", 3, 0xD7FF }, /* just below surrogates */
		{ "\xEE\x80\x80", 3, 0xE000 }, /* just above surrogates */
		{ "\xEF\xBF\xBF", 3, 0xFFFF },
		{ "\xF0\x90\x80\x80", 4, 0x10000 },
		{ "\xF0\x9F\x98\x80", 4, 0x1F600 }, /* emoji */
		{ "\xF0\xA0\x80\x80", 4, 0x20000 }, /* CJK Ext B */
		{ "\xF4\x8F\xBF\xBF", 4, 0x10FFFF },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		uint32_t cp = 0xFFFFFFFFu;
		char buf[8];

		assert_int_equal(decode(tab[i].bytes, tab[i].len, &cp),
		                 tab[i].len);
		assert_int_equal(cp, tab[i].cp);
		/* Trailing bytes are not consumed. */
		memcpy(buf, tab[i].bytes, tab[i].len);
		memcpy(buf + tab[i].len, "zz", 2);
		cp = 0xFFFFFFFFu;
		assert_int_equal(decode(buf, tab[i].len + 2, &cp), tab[i].len);
		assert_int_equal(cp, tab[i].cp);
	}
}

static void test_decode_nul_is_a_code_point(void **state)
{
	uint32_t cp = 0xFFFFFFFFu;

	(void)state;
	/* Decoding accepts U+0000; refusing it is utf8_validate's job. */
	assert_int_equal(decode("\0", 1, &cp), 1);
	assert_int_equal(cp, 0);
}

/* --- utf8_decode: what it refuses --- */

static void assert_refused(const char *bytes, size_t len)
{
	uint32_t cp;

	assert_int_equal(decode(bytes, len, &cp), 0);
}

static void test_decode_overlong(void **state)
{
	(void)state;
	assert_refused("\xC0\x80", 2); /* U+0000 in two bytes */
	assert_refused("\xC0\xAF", 2); /* '/' in two bytes */
	assert_refused("\xC1\xBF", 2); /* U+007F in two bytes */
	assert_refused("\xE0\x80\x80", 3);
	assert_refused("\xE0\x9F\xBF", 3); /* U+07FF in three bytes */
	assert_refused("\xF0\x80\x80\x80", 4);
	assert_refused("\xF0\x8F\xBF\xBF", 4); /* U+FFFF in four bytes */
}

static void test_decode_surrogates(void **state)
{
	(void)state;
	assert_refused("\xED\xA0\x80", 3); /* U+D800 */
	assert_refused("\xED\xAF\xBF", 3); /* U+DBFF */
	assert_refused("\xED\xB0\x80", 3); /* U+DC00 */
	assert_refused("\xED\xBF\xBF", 3); /* U+DFFF */
}

static void test_decode_above_max(void **state)
{
	unsigned lead;

	(void)state;
	assert_refused("\xF4\x90\x80\x80", 4); /* U+110000 */
	assert_refused("\xF4\xBF\xBF\xBF", 4);
	for (lead = 0xF5; lead <= 0xFF; lead++) {
		char buf[6] = { (char)lead, '\x80', '\x80',
			        '\x80',     '\x80', '\x80' };
		uint32_t cp;

		if (decode(buf, sizeof(buf), &cp) != 0)
			fail_msg("lead byte 0x%02X accepted", lead);
	}
}

static void test_decode_lone_continuation(void **state)
{
	unsigned c;

	(void)state;
	for (c = 0x80; c <= 0xBF; c++) {
		char buf[3] = { (char)c, '\x80', 'a' };
		uint32_t cp;

		if (decode(buf, 1, &cp) != 0 || decode(buf, 3, &cp) != 0)
			fail_msg("continuation byte 0x%02X accepted", c);
	}
}

static void test_decode_truncated_and_broken(void **state)
{
	(void)state;
	/* Truncated at the end of the buffer. */
	assert_refused("\xC3", 1);
	assert_refused("\xE4\xB8", 2);
	assert_refused("\xE4", 1);
	assert_refused("\xF0\x9F\x98", 3);
	assert_refused("\xF0\x9F", 2);
	/* len is what counts, not what lies beyond it. */
	assert_refused("\xE4\xB8\xAD", 2);
	/* A non-continuation byte inside a sequence. */
	assert_refused("\xC3\x41", 2);
	assert_refused("\xC3\xC3\xA9", 3);
	assert_refused("\xE4\x41\xAD", 3);
	assert_refused("\xE4\xB8\x41", 3);
	assert_refused("\xF0\x9F\x98\x41", 4);
	assert_refused("\xE4\xB8\xE4\xB8\xAD", 5);
}

/* --- utf8_validate --- */

static void test_validate_ok(void **state)
{
	static const char *const ok[] = {
		"",
		"plain ASCII, with punctuation!",
		"保持共产党员先进性",
		"混合 mixed 文本 123",
		"\xF0\x9F\x98\x80 emoji",
		"\xF4\x8F\xBF\xBF",
		"\xEF\xBF\xBF",
		"\xC2\x80\xDF\xBF\xE0\xA0\x80\xF0\x90\x80\x80",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct xj_error err;

		xj_error_clear(&err);
		assert_int_equal(
		    utf8_validate(ok[i], strlen(ok[i]), "正文", &err), XJ_OK);
		assert_int_equal(err.code, XJ_OK);
		assert_string_equal(err.msg, "");
	}
	/* len bounds the check: the bad byte after it is not read. */
	assert_int_equal(utf8_validate("abc\xFF", 3, "x", NULL), XJ_OK);
}

static void test_validate_error_column(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
		long column;
	} tab[] = {
		{ "\x80", 1, 1 },
		{ "ab\x80", 3, 3 },
		{ "中\xC0\x80", 5, 4 },
		{ "\xC1\xBF", 2, 1 },
		{ "ok\xE0\x80\x80", 5, 3 },
		{ "\xE0\x9F\xBF", 3, 1 },
		{ "\xF0\x80\x80\x80", 4, 1 },
		{ "a\xF0\x8F\xBF\xBF", 5, 2 },
		{ "\xED\xA0\x80", 3, 1 },
		{ "中文\xED\xBF\xBF", 9, 7 },
		{ "\xF4\x90\x80\x80", 4, 1 },
		{ "x\xF5\x80\x80\x80", 5, 2 },
		{ "x\xFFy", 3, 2 },
		{ "a\xE4\xB8", 3, 2 },
		{ "ab\xF0\x9F\x98", 5, 3 },
		{ "\xE4\xB8\x41", 3, 1 },
		{ "a\0b", 3, 2 },
		{ "\0", 1, 1 },
		{ "学\0习", 7, 4 },
		/* Only the first error is reported. */
		{ "中\x80\x80\xFF", 6, 4 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		struct xj_error err;
		char where[32];

		xj_error_clear(&err);
		assert_int_equal(
		    utf8_validate(tab[i].bytes, tab[i].len, "姓名", &err),
		    XJ_EINVAL);
		assert_int_equal(err.code, XJ_EINVAL);
		if (err.column != tab[i].column)
			fail_msg("case %zu: column %ld, want %ld", i,
			         err.column, tab[i].column);
		assert_string_equal(err.field, "姓名");
		assert_true(err.msg[0] != '\0');
		assert_contains(err.msg, "姓名");
		assert_contains(err.msg, "UTF-8");
		snprintf(where, sizeof(where), "第 %ld 字节", tab[i].column);
		assert_contains(err.msg, where);
		/* The message itself is fit to show. */
		assert_int_equal(
		    utf8_validate(err.msg, strlen(err.msg), "m", NULL), XJ_OK);
	}
}

static void test_validate_null_err_and_field(void **state)
{
	struct xj_error err;

	(void)state;
	assert_int_equal(utf8_validate("\xFF", 1, "f", NULL), XJ_EINVAL);
	xj_error_clear(&err);
	assert_int_equal(utf8_validate("ab\xFF", 3, NULL, &err), XJ_EINVAL);
	assert_int_equal(err.column, 3);
	assert_string_equal(err.field, "");
	assert_true(err.msg[0] != '\0');
}

/* --- utf8_length --- */

static void test_utf8_length(void **state)
{
	(void)state;
	assert_int_equal(utf8_length("", 0), 0);
	assert_int_equal(utf8_length("abc", 3), 3);
	assert_int_equal(utf8_length("中文", 6), 2);
	assert_int_equal(utf8_length("a中\xF0\x9F\x98\x80", 8), 3);
	assert_int_equal(utf8_length("\xF4\x8F\xBF\xBF", 4), 1);
	assert_int_equal(utf8_length("\xC3\xA9t\xC3\xA9", 5), 3);
	assert_int_equal(utf8_length("保持共产党员先进性", 27), 9);
	/* Only len bytes are looked at. */
	assert_int_equal(utf8_length("中文", 3), 1);
}

/* --- text_is_cjk --- */

static void test_is_cjk_boundaries(void **state)
{
	static const struct {
		uint32_t cp;
		int cjk;
	} tab[] = {
		{ 'A', 0 },      { 0x3006, 0 },     { 0x3007, 1 }, /* 〇 */
		{ 0x3008, 0 },   { 0x33FF, 0 },     { 0x3400, 1 }, /* Ext A */
		{ 0x4DBF, 1 },   { 0x4DC0, 0 },     { 0x4DFF, 0 },
		{ 0x4E00, 1 },   { 0x4E2D, 1 },     { 0x9FFF, 1 },
		{ 0xA000, 0 },   { 0xF8FF, 0 },     { 0xF900, 1 }, /* compat */
		{ 0xFAFF, 1 },   { 0xFB00, 0 },     { 0xFF10, 0 }, /* ０ */
		{ 0x3002, 0 },   { 0xFF0C, 0 },     { 0x1F600, 0 },
		{ 0x1FFFF, 0 },  { 0x20000, 1 },    { 0x2A6DF, 1 },
		{ 0x2FA1F, 1 },  { 0x2FA20, 0 },    { 0x2FFFF, 0 },
		{ 0x30000, 1 },  { 0x323AF, 1 },    { 0x323B0, 0 },
		{ 0x10FFFF, 0 }, { 0xFFFFFFFF, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if ((text_is_cjk(tab[i].cp) != 0) != tab[i].cjk)
			fail_msg("U+%04X: text_is_cjk should be %d",
			         (unsigned)tab[i].cp, tab[i].cjk);
}

/* --- text_zishu --- */

static uint64_t zishu(const char *s)
{
	struct xj_error err;
	uint64_t n = 0xDEADBEEF;

	xj_error_clear(&err);
	if (text_zishu(s, strlen(s), &n, &err) != XJ_OK)
		fail_msg("text_zishu(\"%s\") failed: %s", s, err.msg);
	return n;
}

static void test_zishu_examples(void **state)
{
	static const struct {
		const char *text;
		uint64_t n;
	} tab[] = {
		{ "保持共产党员先进性", 9 },
		{ "学习，讨论。", 4 },
		{ "“三个代表”！", 4 },
		{ "《毛泽东选集》第三卷", 8 },
		{ "Windows XP", 2 },
		{ "Windows", 1 },
		{ "2005年", 2 },
		{ "GB18030编码", 3 },
		{ "40.5小时", 3 },
		{ "12,120份", 2 },
		{ "1.2.3", 1 },
		{ "v3.5", 1 },
		{ "40. 5", 2 },
		{ "5.", 1 },
		{ ".5", 1 },
		{ "12,,120", 2 },
		{ "a.b", 2 },
		{ "a,5", 2 },
		{ "12，120", 2 }, /* fullwidth comma is punctuation */
		{ "e-mail", 2 },
		{ "２００５", 1 },
		{ "２００５年", 2 },
		{ "Ｗｉｎｄｏｗｓ　ＸＰ", 2 },
		{ "Café au lait", 3 },
		{ "Россия", 1 },
		{ "αβγ δ", 2 },
		{ "3×4", 2 },
		{ "", 0 },
		{ " \t\r\n", 0 },
		{ "　　", 0 }, /* ideographic spaces */
		{ "!?.,;:()[]{}<>", 0 },
		{ "。，、；：？！“”《》", 0 },
		{ "\xF0\x9F\x98\x80\xF0\x9F\x91\x8D", 0 }, /* emoji */
		{ "学习\xF0\x9F\x98\x80", 2 },
		{ "\xF0\xA0\x80\x80", 1 }, /* U+20000, Ext B */
		{ "\xF0\xA0\x80\x80\xF0\xA0\x80\x81", 2 },
		{ "\xE3\x90\x80", 1 }, /* U+3400, Ext A */
		{ "\xEF\xA4\x80", 1 }, /* U+F900, compat */
		{ "〇", 1 },
		{ "我参加了2005年的学习，共40.5小时。", 13 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		uint64_t n = zishu(tab[i].text);

		if (n != tab[i].n)
			fail_msg("字数(\"%s\") = %llu, want %llu", tab[i].text,
			         (unsigned long long)n,
			         (unsigned long long)tab[i].n);
	}
}

static void test_zishu_respects_len(void **state)
{
	uint64_t n = 99;

	(void)state;
	/* Only the first two characters; "abc" is beyond len. */
	assert_int_equal(text_zishu("学习abc", 6, &n, NULL), XJ_OK);
	assert_int_equal(n, 2);
	/* "40." then end: the separator has no digit after it. */
	assert_int_equal(text_zishu("40.5", 3, &n, NULL), XJ_OK);
	assert_int_equal(n, 1);
}

static void test_zishu_large(void **state)
{
	static char buf[30000 * 3 + 1];
	uint64_t n = 0;
	size_t i;

	(void)state;
	for (i = 0; i < 30000; i++)
		memcpy(buf + 3 * i, "字", 3);
	assert_int_equal(text_zishu(buf, 30000 * 3, &n, NULL), XJ_OK);
	assert_int_equal(n, 30000);
}

static void test_zishu_invalid(void **state)
{
	static const struct {
		const char *bytes;
		size_t len;
		long column;
	} tab[] = {
		{ "学习\xC0\x80", 8, 7 },
		{ "学\0习", 7, 4 },
		{ "abc\xED\xA0\x80", 6, 4 },
		{ "\xE4\xB8", 2, 1 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		struct xj_error err;
		uint64_t n = 12345;

		xj_error_clear(&err);
		assert_int_equal(text_zishu(tab[i].bytes, tab[i].len, &n, &err),
		                 XJ_EINVAL);
		assert_int_equal(n, 12345); /* not written */
		assert_int_equal(err.code, XJ_EINVAL);
		assert_int_equal(err.column, tab[i].column);
		assert_string_equal(err.field, "正文");
		assert_contains(err.msg, "正文");
	}
	{
		uint64_t n = 7;

		assert_int_equal(text_zishu("\xFF", 1, &n, NULL), XJ_EINVAL);
		assert_int_equal(n, 7);
	}
}

/* A text that says nothing: ASCII white space and 全角空格 only. */
static void test_blank(void **state)
{
	(void)state;
	assert_true(text_blank(NULL));
	assert_true(text_blank(""));
	assert_true(text_blank(" \t\r\n"));
	assert_true(text_blank("\xE3\x80\x80 \xE3\x80\x80"));
	assert_false(text_blank("a"));
	assert_false(text_blank("\xE3\x80\x80学"));
	assert_false(
	    text_blank(" \xE3\x80")); /* a broken sequence is not space */
	assert_false(text_blank("\xC2\xA0")); /* NBSP is not counted as blank */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blank),
		cmocka_unit_test(test_decode_valid),
		cmocka_unit_test(test_decode_nul_is_a_code_point),
		cmocka_unit_test(test_decode_overlong),
		cmocka_unit_test(test_decode_surrogates),
		cmocka_unit_test(test_decode_above_max),
		cmocka_unit_test(test_decode_lone_continuation),
		cmocka_unit_test(test_decode_truncated_and_broken),
		cmocka_unit_test(test_validate_ok),
		cmocka_unit_test(test_validate_error_column),
		cmocka_unit_test(test_validate_null_err_and_field),
		cmocka_unit_test(test_utf8_length),
		cmocka_unit_test(test_is_cjk_boundaries),
		cmocka_unit_test(test_zishu_examples),
		cmocka_unit_test(test_zishu_respects_len),
		cmocka_unit_test(test_zishu_large),
		cmocka_unit_test(test_zishu_invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
