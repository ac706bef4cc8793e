/*
 * arena.h - a region allocator for things that live as long as one task
 * (an HTTP request, an import). Allocate freely; arena_release() frees
 * everything at once. Pointers from an arena are never passed to free().
 */
#ifndef XJ_ARENA_H
#define XJ_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head; /* newest chunk first */
	size_t chunk_size;        /* default size of a new chunk */
	size_t total;             /* bytes handed out, for limits and tests */
};

/* Set up an empty arena; no allocation until the first arena_alloc(). */
void arena_init(struct arena *a, size_t chunk_size);
/* Free every chunk; the arena is empty and reusable afterwards. */
void arena_release(struct arena *a);

/* size bytes aligned for any type; aborts on exhaustion like xmalloc. */
void *arena_alloc(struct arena *a, size_t size);
void *arena_calloc(struct arena *a, size_t n, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);

#endif
