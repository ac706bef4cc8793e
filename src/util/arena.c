#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xianjiao/alloc.h"
#include "xianjiao/arena.h"

struct arena_chunk {
	struct arena_chunk *next;
	size_t size; /* usable bytes in data */
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

#define ALIGN (alignof(max_align_t))

void arena_init(struct arena *a, size_t chunk_size)
{
	a->head = NULL;
	a->chunk_size = chunk_size ? chunk_size : 4096;
	a->total = 0;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head;

	while (c != NULL) {
		struct arena_chunk *next = c->next;

		free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
}

void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_chunk *c = a->head;
	size_t rounded, want;

	if (size == 0)
		size = 1;
	/* Room for the rounding and for a chunk header in front, so
	 * that neither sum below wraps around. */
	if (size > SIZE_MAX - ALIGN - sizeof(*c))
		abort();
	rounded = (size + ALIGN - 1) & ~(ALIGN - 1);
	if (c == NULL || c->size - c->used < rounded) {
		want = rounded > a->chunk_size ? rounded : a->chunk_size;
		c = xmalloc(sizeof(*c) + want);
		c->size = want;
		c->used = 0;
		/* An oversized chunk goes behind the current one so the
		 * current one's free space is still used. */
		if (rounded > a->chunk_size && a->head != NULL) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	a->total += rounded;
	c->used += rounded;
	return c->data + c->used - rounded;
}

void *arena_calloc(struct arena *a, size_t n, size_t size)
{
	size_t total;
	void *p;

	if (size_mul_overflow(n, size, &total))
		abort();
	p = arena_alloc(a, total);
	memset(p, 0, total);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}
