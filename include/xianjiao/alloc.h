/*
 * alloc.h - allocation wrappers and checked integer parsing.
 *
 * The x* functions never return NULL: on exhaustion or on a size that
 * overflows they print one line to stderr and abort(), so callers do not
 * test their result. Everything they return is freed with free().
 */
#ifndef XJ_ALLOC_H
#define XJ_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#include "xianjiao/error.h"

void *xmalloc(size_t size);
/* Zeroed array of n elements of size bytes; n * size is overflow-checked. */
void *xcalloc(size_t n, size_t size);
/* realloc of an array of n elements; n * size is overflow-checked. */
void *xreallocarray(void *ptr, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Nonzero if a * b overflows size_t; otherwise stores the product. */
int size_mul_overflow(size_t a, size_t b, size_t *out);

/*
 * Grow *arr (of *alloc elements of size bytes) so it holds at least need
 * elements, doubling. The git ALLOC_GROW idiom as a function.
 */
void xgrow(void **arr, size_t *alloc, size_t need, size_t size);

/*
 * Parse a whole string as a base-10 integer in [min, max]. Leading or
 * trailing junk, an empty string and overflow are errors; field names the
 * input in the error detail.
 */
enum xj_err util_parse_int(const char *s, int64_t min, int64_t max,
                           int64_t *out, const char *field,
                           struct xj_error *err);

#endif
