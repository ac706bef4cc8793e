#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xianjiao/alloc.h"

static void die_oom(size_t size)
{
	fprintf(stderr, "xianjiao: 内存不足 (申请 %zu 字节)\n", size);
	abort();
}

int size_mul_overflow(size_t a, size_t b, size_t *out)
{
	return __builtin_mul_overflow(a, b, out);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		die_oom(size);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	size_t total;
	void *p;

	if (size_mul_overflow(n, size, &total))
		die_oom(SIZE_MAX);
	p = calloc(total ? n : 1, total ? size : 1);
	if (p == NULL)
		die_oom(total);
	return p;
}

void *xreallocarray(void *ptr, size_t n, size_t size)
{
	size_t total;
	void *p;

	if (size_mul_overflow(n, size, &total))
		die_oom(SIZE_MAX);
	p = realloc(ptr, total ? total : 1);
	if (p == NULL)
		die_oom(total);
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void xgrow(void **arr, size_t *alloc, size_t need, size_t size)
{
	size_t n = *alloc;

	if (need <= n)
		return;
	if (n < 8)
		n = 8;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			die_oom(SIZE_MAX);
		n *= 2;
	}
	*arr = xreallocarray(*arr, n, size);
	*alloc = n;
}

enum xj_err util_parse_int(const char *s, int64_t min, int64_t max,
                           int64_t *out, const char *field,
                           struct xj_error *err)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0')
		return xj_error_field(err, XJ_EINVAL, field, "%s 不能为空",
		                      field ? field : "数值");
	/* strtoll() skips any leading white space and takes a '+'; the
	 * whole string must be an optional '-' and digits. */
	if (*s != '-' && (*s < '0' || *s > '9'))
		goto bad;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (end == s || *end != '\0')
		goto bad;
	if (errno == ERANGE || v < min || v > max)
		return xj_error_field(
		    err, XJ_EINVAL, field, "%s 超出范围 (%lld 至 %lld): %s",
		    field ? field : "数值", (long long)min, (long long)max, s);
	*out = v;
	return XJ_OK;
bad:
	return xj_error_field(err, XJ_EINVAL, field, "%s 不是整数: %s",
	                      field ? field : "数值", s);
}
