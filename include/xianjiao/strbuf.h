/*
 * strbuf.h - a growable byte buffer with a hard maximum.
 *
 * The buffer is always NUL-terminated once anything is added. Input that
 * would take it past its maximum is refused with XJ_ETOOLARGE and leaves
 * the buffer as it was; it never aborts on user-controlled sizes.
 *
 *   struct strbuf sb;
 *   strbuf_init(&sb, 1 << 20);      no allocation yet
 *   strbuf_addf(&sb, "%d", n);
 *   ... sb.buf, sb.len ...
 *   strbuf_release(&sb);            frees sb.buf, back to empty
 */
#ifndef XJ_STRBUF_H
#define XJ_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "xianjiao/error.h"

struct strbuf {
	char *buf;    /* owned; "" (static) until the first add */
	size_t len;   /* bytes used, excluding the NUL */
	size_t alloc; /* bytes allocated, 0 while buf is the static "" */
	size_t max;   /* most bytes len may reach */
};

void strbuf_init(struct strbuf *sb, size_t max);
void strbuf_release(struct strbuf *sb);
/* Return the buffer (caller frees) and reset sb to empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_reset(struct strbuf *sb);

enum xj_err strbuf_add(struct strbuf *sb, const void *data, size_t len);
enum xj_err strbuf_adds(struct strbuf *sb, const char *s);
enum xj_err strbuf_addch(struct strbuf *sb, char c);
enum xj_err strbuf_addf(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
enum xj_err strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

#endif
