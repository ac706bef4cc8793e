/*
 * test_strbuf.c - the bounded growable buffer (src/util/strbuf.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "xianjiao/strbuf.h"

static void test_init_does_not_allocate(void **state)
{
	struct strbuf sb;

	(void)state;
	memset(&sb, 0x5A, sizeof(sb));
	strbuf_init(&sb, 100);
	assert_non_null(sb.buf);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.alloc, 0);
	assert_int_equal(sb.max, 100);
	/* Releasing a never-used buffer frees nothing (a free of the
	 * static "" would crash or be caught by ASan). */
	strbuf_release(&sb);
	assert_int_equal(sb.alloc, 0);
	assert_int_equal(sb.max, 100);
	strbuf_reset(&sb);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.alloc, 0);
}

static void test_add_variants(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb, 1024);
	assert_int_equal(strbuf_add(&sb, "abcXYZ", 3), XJ_OK);
	assert_string_equal(sb.buf, "abc");
	assert_int_equal(sb.len, 3);
	assert_true(sb.alloc > sb.len);
	assert_int_equal(strbuf_adds(&sb, "def"), XJ_OK);
	assert_int_equal(strbuf_addch(&sb, 'g'), XJ_OK);
	assert_string_equal(sb.buf, "abcdefg");
	assert_int_equal(strbuf_addf(&sb, "%d-%s-%05.1f", 42, "中", 2.5),
	                 XJ_OK);
	assert_string_equal(sb.buf, "abcdefg42-中-002.5");
	assert_int_equal(sb.len, strlen("abcdefg42-中-002.5"));
	assert_int_equal(strbuf_adds(&sb, ""), XJ_OK);
	assert_int_equal(strbuf_add(&sb, NULL, 0), XJ_OK);
	assert_int_equal(strbuf_addf(&sb, "%s", ""), XJ_OK);
	assert_int_equal(sb.len, strlen("abcdefg42-中-002.5"));
	assert_true(sb.alloc > sb.len);
	assert_int_equal(sb.buf[sb.len], '\0');
	strbuf_release(&sb);
}

static void test_add_binary(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb, 16);
	assert_int_equal(strbuf_add(&sb, "a\0b", 3), XJ_OK);
	assert_int_equal(strbuf_addch(&sb, '\0'), XJ_OK);
	assert_int_equal(sb.len, 4);
	assert_memory_equal(sb.buf, "a\0b\0", 5);
	strbuf_release(&sb);
}

static void test_empty_add_allocates_terminated_buffer(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb, 10);
	assert_int_equal(strbuf_adds(&sb, ""), XJ_OK);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);
	strbuf_release(&sb);
}

static void test_exact_max_accepted(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb, 5);
	assert_int_equal(strbuf_adds(&sb, "abc"), XJ_OK);
	assert_int_equal(strbuf_add(&sb, "de", 2), XJ_OK);
	assert_int_equal(sb.len, 5);
	assert_string_equal(sb.buf, "abcde");
	/* Nothing more fits, but an empty add still succeeds. */
	assert_int_equal(strbuf_adds(&sb, ""), XJ_OK);
	assert_int_equal(strbuf_addch(&sb, 'f'), XJ_ETOOLARGE);
	assert_int_equal(strbuf_addf(&sb, "%c", 'f'), XJ_ETOOLARGE);
	assert_int_equal(sb.len, 5);
	assert_string_equal(sb.buf, "abcde");
	strbuf_release(&sb);

	strbuf_init(&sb, 5);
	assert_int_equal(strbuf_addf(&sb, "%05d", 7), XJ_OK);
	assert_string_equal(sb.buf, "00007");
	strbuf_release(&sb);
}

static void test_one_over_refused_unchanged(void **state)
{
	struct strbuf sb;
	size_t alloc;

	(void)state;
	/* On an empty buffer: refused before anything is allocated. */
	strbuf_init(&sb, 5);
	assert_int_equal(strbuf_adds(&sb, "abcdef"), XJ_ETOOLARGE);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.alloc, 0);
	assert_string_equal(sb.buf, "");

	/* On a partly filled buffer. */
	assert_int_equal(strbuf_adds(&sb, "abc"), XJ_OK);
	alloc = sb.alloc;
	assert_int_equal(strbuf_add(&sb, "def", 3), XJ_ETOOLARGE);
	assert_int_equal(sb.len, 3);
	assert_int_equal(sb.alloc, alloc);
	assert_string_equal(sb.buf, "abc");
	/* A huge length is refused, not wrapped around. */
	assert_int_equal(strbuf_add(&sb, "x", SIZE_MAX), XJ_ETOOLARGE);
	assert_int_equal(strbuf_add(&sb, "x", SIZE_MAX - 1), XJ_ETOOLARGE);
	assert_string_equal(sb.buf, "abc");
	/* The buffer still works after a refusal. */
	assert_int_equal(strbuf_add(&sb, "de", 2), XJ_OK);
	assert_string_equal(sb.buf, "abcde");
	strbuf_release(&sb);

	/* max 0: only nothing fits. */
	strbuf_init(&sb, 0);
	assert_int_equal(strbuf_addch(&sb, 'a'), XJ_ETOOLARGE);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	assert_int_equal(strbuf_adds(&sb, ""), XJ_OK);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
}

static void test_addf_over_max_refused_unchanged(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb, 10);
	assert_int_equal(strbuf_addf(&sb, "%d", 12345), XJ_OK);
	assert_int_equal(strbuf_addf(&sb, "%s", "678901"), XJ_ETOOLARGE);
	assert_int_equal(sb.len, 5);
	assert_string_equal(sb.buf, "12345");
	assert_int_equal(strbuf_addf(&sb, "%05d", 42), XJ_OK);
	assert_string_equal(sb.buf, "1234500042");
	assert_int_equal(sb.len, 10);
	strbuf_release(&sb);

	strbuf_init(&sb, 3);
	assert_int_equal(strbuf_addf(&sb, "%d", 1234), XJ_ETOOLARGE);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.alloc, 0);
	assert_string_equal(sb.buf, "");
	strbuf_release(&sb);
}

static void test_detach(void **state)
{
	struct strbuf sb;
	size_t n = 99;
	char *s;

	(void)state;
	strbuf_init(&sb, 64);
	assert_int_equal(strbuf_adds(&sb, "hello 世界"), XJ_OK);
	s = strbuf_detach(&sb, &n);
	assert_string_equal(s, "hello 世界");
	assert_int_equal(n, strlen("hello 世界"));
	/* sb is empty again, keeps its maximum, and is usable. */
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.alloc, 0);
	assert_int_equal(sb.max, 64);
	assert_string_equal(sb.buf, "");
	assert_true(sb.buf != s);
	free(s);
	assert_int_equal(strbuf_adds(&sb, "again"), XJ_OK);
	s = strbuf_detach(&sb, NULL);
	assert_string_equal(s, "again");
	free(s);

	/* Detaching a buffer that never allocated gives a freeable "". */
	n = 99;
	s = strbuf_detach(&sb, &n);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(n, 0);
	free(s);
}

static void test_reset(void **state)
{
	struct strbuf sb;
	size_t alloc;
	char *buf;

	(void)state;
	strbuf_init(&sb, 64);
	assert_int_equal(strbuf_adds(&sb, "hello"), XJ_OK);
	alloc = sb.alloc;
	buf = sb.buf;
	strbuf_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	/* The memory is kept for reuse. */
	assert_int_equal(sb.alloc, alloc);
	assert_ptr_equal(sb.buf, buf);
	assert_int_equal(strbuf_adds(&sb, "hi"), XJ_OK);
	assert_string_equal(sb.buf, "hi");
	/* After a reset the whole maximum is available again. */
	strbuf_reset(&sb);
	assert_int_equal(strbuf_add(&sb,
	                            "0123456789012345678901234567890"
	                            "123456789012345678901234567890123",
	                            64),
	                 XJ_OK);
	assert_int_equal(sb.len, 64);
	strbuf_release(&sb);
}

static void test_release(void **state)
{
	struct strbuf sb;

	(void)state;
	strbuf_init(&sb, 32);
	assert_int_equal(strbuf_adds(&sb, "some text"), XJ_OK);
	strbuf_release(&sb);
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.alloc, 0);
	assert_int_equal(sb.max, 32);
	assert_string_equal(sb.buf, "");
	/* Usable again, and a second release is harmless. */
	assert_int_equal(strbuf_adds(&sb, "more"), XJ_OK);
	assert_string_equal(sb.buf, "more");
	strbuf_release(&sb);
	strbuf_release(&sb);
	assert_int_equal(sb.alloc, 0);
}

static void test_large_growth(void **state)
{
	const size_t max = (size_t)1 << 20;
	struct strbuf sb;
	char chunk[1024];
	size_t i;

	(void)state;
	strbuf_init(&sb, max);
	for (i = 0; i < max / sizeof(chunk); i++) {
		memset(chunk, 'a' + (int)(i % 26), sizeof(chunk));
		assert_int_equal(strbuf_add(&sb, chunk, sizeof(chunk)), XJ_OK);
		assert_int_equal(sb.len, (i + 1) * sizeof(chunk));
		assert_true(sb.alloc > sb.len);
	}
	assert_int_equal(sb.len, max);
	assert_int_equal(sb.buf[max], '\0');
	for (i = 0; i < max; i++)
		if (sb.buf[i] != 'a' + (int)(i / sizeof(chunk) % 26))
			fail_msg("byte %zu is '%c'", i, sb.buf[i]);
	assert_int_equal(strbuf_addch(&sb, 'z'), XJ_ETOOLARGE);
	assert_int_equal(sb.len, max);
	strbuf_release(&sb);

	/* Growth one byte at a time keeps every byte. */
	strbuf_init(&sb, 100000);
	for (i = 0; i < 100000; i++)
		assert_int_equal(strbuf_addch(&sb, (char)('0' + i % 10)),
		                 XJ_OK);
	assert_int_equal(sb.len, 100000);
	assert_int_equal(strlen(sb.buf), 100000);
	for (i = 0; i < 100000; i++)
		if (sb.buf[i] != (char)('0' + i % 10))
			fail_msg("byte %zu is '%c'", i, sb.buf[i]);
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_does_not_allocate),
		cmocka_unit_test(test_add_variants),
		cmocka_unit_test(test_add_binary),
		cmocka_unit_test(test_empty_add_allocates_terminated_buffer),
		cmocka_unit_test(test_exact_max_accepted),
		cmocka_unit_test(test_one_over_refused_unchanged),
		cmocka_unit_test(test_addf_over_max_refused_unchanged),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_large_growth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
