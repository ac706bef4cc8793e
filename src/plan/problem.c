/* The problem list of a plan being checked, kept in file order. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "xianjiao/text.h"

/* Cut s (NUL-terminated) so it does not end inside a UTF-8 character. */
static void trim_utf8_tail(char *s)
{
	size_t len = strlen(s), i = len, need;
	unsigned char lead;

	while (i > 0 && len - i < 3 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	lead = (unsigned char)s[i - 1];
	if (lead < 0xC0)
		return;
	need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	if (len - (i - 1) < need)
		s[i - 1] = '\0';
}

static int before(int l1, int c1, int l2, int c2)
{
	return l1 < l2 || (l1 == l2 && c1 < c2);
}

void probs_add(struct plan_problems *pp, int line, int column, const char *fmt,
               ...)
{
	struct plan_problem *q;
	va_list ap;
	int i, at;

	/* after every kept problem at the same place or earlier: problems at
	 * one position stay in the order they were found */
	for (at = pp->n; at > 0; at--)
		if (!before(line, column, pp->p[at - 1].line,
		            pp->p[at - 1].column))
			break;
	if (at == PLAN_PROBLEMS_MAX) {
		pp->more = 1;
		return;
	}
	if (pp->n == PLAN_PROBLEMS_MAX) {
		pp->more = 1;
		pp->n--;
	}
	for (i = pp->n; i > at; i--)
		pp->p[i] = pp->p[i - 1];
	q = &pp->p[at];
	q->line = line;
	q->column = column;
	va_start(ap, fmt);
	vsnprintf(q->msg, sizeof(q->msg), fmt, ap);
	va_end(ap);
	trim_utf8_tail(q->msg);
	pp->n++;
}

void text_position(const char *text, size_t len, size_t off, int *line,
                   int *column)
{
	size_t i, bol = 0;
	int l = 1;

	if (off > len)
		off = len;
	for (i = 0; i < off; i++)
		if (text[i] == '\n') {
			l++;
			bol = i + 1;
		}
	*line = l;
	*column = (int)utf8_length(text + bol, off - bol) + 1;
}

const char *shorten(const char *s, char *buf, size_t max_bytes)
{
	size_t len = strlen(s);

	if (len <= max_bytes) {
		memcpy(buf, s, len + 1);
		return buf;
	}
	memcpy(buf, s, max_bytes);
	buf[max_bytes] = '\0';
	trim_utf8_tail(buf);
	memcpy(buf + strlen(buf), "…", sizeof("…"));
	return buf;
}
