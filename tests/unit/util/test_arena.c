/*
 * test_arena.c - the region allocator (src/util/arena.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include "../../lib/check.h"

#include <signal.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "xianjiao/alloc.h"
#include "xianjiao/arena.h"

#define ALIGN (alignof(max_align_t))

static size_t round_up(size_t n)
{
	if (n == 0)
		n = 1;
	return (n + ALIGN - 1) / ALIGN * ALIGN;
}

static int is_aligned(const void *p)
{
	return (uintptr_t)p % ALIGN == 0;
}

static void test_init_does_not_allocate(void **state)
{
	struct arena a;

	(void)state;
	memset(&a, 0x5A, sizeof(a));
	arena_init(&a, 1000);
	assert_null(a.head);
	assert_int_equal(a.chunk_size, 1000);
	assert_int_equal(a.total, 0);
	arena_release(&a);
	assert_null(a.head);

	arena_init(&a, 0);
	assert_int_equal(a.chunk_size, 4096); /* the default */
	arena_release(&a);
}

static void test_alignment(void **state)
{
	struct arena a;
	size_t size;

	(void)state;
	arena_init(&a, 512);
	for (size = 0; size <= 300; size++) {
		unsigned char *p = arena_alloc(&a, size);

		assert_non_null(p);
		if (!is_aligned(p))
			fail_msg("arena_alloc(%zu) = %p is not aligned to %zu",
			         size, (void *)p, ALIGN);
		/* The whole block is writable (ASan checks the bounds). */
		memset(p, 0xC3, size);
	}
	/* The odd sized helpers keep the alignment too. */
	assert_true(is_aligned(arena_strdup(&a, "x")));
	assert_true(is_aligned(arena_strndup(&a, "abcdef", 3)));
	assert_true(is_aligned(arena_calloc(&a, 3, 7)));
	{
		long double *ld = arena_alloc(&a, sizeof(*ld));

		*ld = 1.5L;
		assert_true(*ld == 1.5L);
	}
	arena_release(&a);
}

static void test_zero_size_gives_distinct_pointers(void **state)
{
	struct arena a;
	void *p, *q;

	(void)state;
	arena_init(&a, 64);
	p = arena_alloc(&a, 0);
	q = arena_alloc(&a, 0);
	assert_non_null(p);
	assert_non_null(q);
	assert_ptr_not_equal(p, q);
	arena_release(&a);
}

static void test_many_small(void **state)
{
	enum { N = 20000 };
	unsigned char **ptrs = xcalloc(N, sizeof(*ptrs));
	struct arena a;
	size_t i, j;

	(void)state;
	arena_init(&a, 1024);
	for (i = 0; i < N; i++) {
		size_t size = 1 + i % 37;

		ptrs[i] = arena_alloc(&a, size);
		assert_true(is_aligned(ptrs[i]));
		memset(ptrs[i], (int)(i & 0xFF), size);
	}
	/* No block overlaps another: every pattern is intact. */
	for (i = 0; i < N; i++)
		for (j = 0; j < 1 + i % 37; j++)
			if (ptrs[i][j] != (unsigned char)(i & 0xFF))
				fail_msg("block %zu byte %zu overwritten", i,
				         j);
	arena_release(&a);
	free(ptrs);
}

static void test_oversized(void **state)
{
	struct arena a;
	unsigned char *small, *big, *next;
	size_t i;

	(void)state;
	arena_init(&a, 256);
	small = arena_alloc(&a, 16);
	big = arena_alloc(&a, 10000);
	assert_non_null(big);
	assert_true(is_aligned(big));
	memset(big, 0x77, 10000);
	memset(small, 0x11, 16);
	/* The free space of the current chunk is still used after an
	 * oversized block, which got a chunk of its own. */
	next = arena_alloc(&a, 16);
	assert_ptr_equal(next, small + round_up(16));
	memset(next, 0x22, 16);
	for (i = 0; i < 10000; i++)
		if (big[i] != 0x77)
			fail_msg("big byte %zu overwritten", i);
	assert_int_equal(a.total, round_up(16) * 2 + round_up(10000));
	arena_release(&a);

	/* An oversized block as the very first allocation. */
	arena_init(&a, 64);
	big = arena_alloc(&a, 5000);
	memset(big, 0x33, 5000);
	next = arena_alloc(&a, 64);
	memset(next, 0x44, 64);
	assert_true(next + 64 <= big || next >= big + 5000);
	arena_release(&a);
}

static void test_calloc_zeroes(void **state)
{
	struct arena a;
	unsigned char *p;
	size_t i;

	(void)state;
	/* Dirty memory, free it, and let calloc likely get it back. */
	arena_init(&a, 4096);
	p = arena_alloc(&a, 4000);
	memset(p, 0xAA, 4000);
	arena_release(&a);

	p = arena_calloc(&a, 100, 40);
	assert_true(is_aligned(p));
	for (i = 0; i < 4000; i++)
		if (p[i] != 0)
			fail_msg("byte %zu of arena_calloc is 0x%02X", i, p[i]);
	/* Also zeroes when carved from a dirty part of a chunk. */
	memset(arena_alloc(&a, 16), 0xAA, 16);
	p = arena_calloc(&a, 4, 4);
	for (i = 0; i < 16; i++)
		assert_int_equal(p[i], 0);
	assert_non_null(arena_calloc(&a, 0, 10));
	assert_non_null(arena_calloc(&a, 10, 0));
	arena_release(&a);
}

static void test_strdup(void **state)
{
	static const char unterminated[4] = { 'w', 'x', 'y', 'z' };
	struct arena a;
	const char *src = "保持共产党员先进性 abc";
	char *s;

	(void)state;
	arena_init(&a, 64);
	s = arena_strdup(&a, src);
	assert_string_equal(s, src);
	assert_ptr_not_equal(s, src);
	assert_string_equal(arena_strdup(&a, ""), "");
	assert_string_equal(arena_strndup(&a, "abcdef", 3), "abc");
	assert_string_equal(arena_strndup(&a, "ab", 10), "ab");
	assert_string_equal(arena_strndup(&a, "abc", 0), "");
	/* Reads at most n bytes: ASan would see a read past the array. */
	s = arena_strndup(&a, unterminated, sizeof(unterminated));
	assert_string_equal(s, "wxyz");
	arena_release(&a);
}

static void test_release_and_reuse(void **state)
{
	struct arena a;
	int round;

	(void)state;
	arena_init(&a, 128);
	for (round = 0; round < 3; round++) {
		char *s;
		int i;

		for (i = 0; i < 100; i++)
			memset(arena_alloc(&a, 50), i, 50);
		s = arena_strdup(&a, "still here");
		assert_non_null(a.head);
		assert_true(a.total >= 100 * 50);
		assert_string_equal(s, "still here");
		arena_release(&a);
		assert_null(a.head);
		assert_int_equal(a.total, 0);
		assert_int_equal(a.chunk_size, 128);
	}
}

static void test_total_accounting(void **state)
{
	struct arena a;
	size_t want = 0;

	(void)state;
	arena_init(&a, 256);
	arena_alloc(&a, 1);
	want += round_up(1);
	assert_int_equal(a.total, want);
	arena_alloc(&a, ALIGN);
	want += ALIGN;
	assert_int_equal(a.total, want);
	arena_alloc(&a, ALIGN + 1);
	want += 2 * ALIGN;
	assert_int_equal(a.total, want);
	arena_alloc(&a, 0);
	want += round_up(0);
	assert_int_equal(a.total, want);
	arena_strdup(&a, "abc");
	want += round_up(4);
	assert_int_equal(a.total, want);
	arena_calloc(&a, 3, 10);
	want += round_up(30);
	assert_int_equal(a.total, want);
	arena_alloc(&a, 1000); /* oversized: counted too */
	want += round_up(1000);
	assert_int_equal(a.total, want);
	arena_release(&a);
	assert_int_equal(a.total, 0);
}

/* Run fn in a child; nonzero if it ended by abort() (SIGABRT). */
static void huge_alloc(void)
{
	struct arena a;
	unsigned char *p;

	arena_init(&a, 4096);
	/* Rounded up, this plus the chunk header wraps around SIZE_MAX. */
	p = arena_alloc(&a, SIZE_MAX - 2 * ALIGN + 1);
	p[0] = 1;
}

static void huge_alloc_max(void)
{
	struct arena a;

	arena_init(&a, 4096);
	arena_alloc(&a, SIZE_MAX);
}

static void huge_calloc(void)
{
	struct arena a;

	arena_init(&a, 4096);
	arena_calloc(&a, SIZE_MAX / 2, 3);
}

static void test_impossible_sizes_abort(void **state)
{
	(void)state;
	assert_true(check_aborts(huge_alloc));
	assert_true(check_aborts(huge_alloc_max));
	assert_true(check_aborts(huge_calloc));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_does_not_allocate),
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_zero_size_gives_distinct_pointers),
		cmocka_unit_test(test_many_small),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_calloc_zeroes),
		cmocka_unit_test(test_strdup),
		cmocka_unit_test(test_release_and_reuse),
		cmocka_unit_test(test_total_accounting),
		cmocka_unit_test(test_impossible_sizes_abort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
