#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xianjiao/alloc.h"
#include "xianjiao/strbuf.h"

static char empty[1];

void strbuf_init(struct strbuf *sb, size_t max)
{
	sb->buf = empty;
	sb->len = 0;
	sb->alloc = 0;
	sb->max = max;
}

void strbuf_release(struct strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	strbuf_init(sb, sb->max);
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *p = sb->alloc ? sb->buf : xstrdup("");

	if (len != NULL)
		*len = sb->len;
	strbuf_init(sb, sb->max);
	return p;
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->alloc)
		sb->buf[0] = '\0';
}

static enum xj_err grow(struct strbuf *sb, size_t extra)
{
	size_t need;

	if (extra > sb->max - sb->len)
		return XJ_ETOOLARGE;
	need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return XJ_OK;
	if (sb->alloc == 0) {
		char *p = NULL;
		size_t n = 0;

		xgrow((void **)&p, &n, need, 1);
		sb->buf = p;
		sb->buf[0] = '\0';
		sb->alloc = n;
		return XJ_OK;
	}
	xgrow((void **)&sb->buf, &sb->alloc, need, 1);
	return XJ_OK;
}

enum xj_err strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	if (grow(sb, len) != XJ_OK)
		return XJ_ETOOLARGE;
	if (len == 0)
		return XJ_OK;
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
	return XJ_OK;
}

enum xj_err strbuf_adds(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

enum xj_err strbuf_addch(struct strbuf *sb, char c)
{
	return strbuf_add(sb, &c, 1);
}

enum xj_err strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return XJ_EINTERNAL;
	if (grow(sb, (size_t)n) != XJ_OK)
		return XJ_ETOOLARGE;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
	return XJ_OK;
}

enum xj_err strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	enum xj_err e;
	va_list ap;

	va_start(ap, fmt);
	e = strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return e;
}
