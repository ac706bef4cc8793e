#include <stdint.h>

#include "xianjiao/text.h"

/* RFC 3629 §4 syntax, checked byte by byte. */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	uint32_t v;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xC2) /* continuation byte, or overlong 2-byte lead */
		return 0;
	if (c < 0xE0) {
		n = 2;
		v = c & 0x1F;
	} else if (c < 0xF0) {
		n = 3;
		v = c & 0x0F;
	} else if (c < 0xF5) {
		n = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && v < 0x10000))
		return 0; /* overlong */
	if (v >= 0xD800 && v <= 0xDFFF)
		return 0; /* surrogate */
	if (v > 0x10FFFF)
		return 0;
	*cp = v;
	return n;
}

enum xj_err utf8_validate(const char *s, size_t len, const char *field,
                          struct xj_error *err)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(p + i, len - i, &cp);
		if (n == 0 || cp == 0) {
			xj_error_field(err, XJ_EINVAL, field,
			               "%s%s第 %zu 字节处不是有效的 UTF-8 文本",
			               field ? field : "", field ? ": " : "",
			               i + 1);
			if (err != NULL)
				err->column = (long)(i + 1);
			return XJ_EINVAL;
		}
		i += n;
	}
	return XJ_OK;
}

size_t utf8_length(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

int text_is_cjk(uint32_t cp)
{
	return (cp >= 0x3400 && cp <= 0x4DBF) ||   /* Extension A */
	       (cp >= 0x4E00 && cp <= 0x9FFF) ||   /* Unified Ideographs */
	       (cp >= 0xF900 && cp <= 0xFAFF) ||   /* Compatibility */
	       (cp >= 0x20000 && cp <= 0x2FA1F) || /* Ext B-F, Compat Supp */
	       (cp >= 0x30000 && cp <= 0x323AF) || /* Ext G, H */
	       cp == 0x3007;                       /* 〇 */
}

static int is_digit(uint32_t cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

/* Letters that make up a "word" (非中文单词) for 字数. */
static int is_letter(uint32_t cp)
{
	return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
	       (cp >= 0xFF21 && cp <= 0xFF3A) || /* fullwidth A-Z */
	       (cp >= 0xFF41 && cp <= 0xFF5A) || /* fullwidth a-z */
	       (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
	       (cp >= 0x370 && cp <= 0x3FF) || /* Greek */
	       (cp >= 0x400 && cp <= 0x4FF);   /* Cyrillic */
}

int text_blank(const char *s)
{
	if (s == NULL)
		return 1;
	while (*s != '\0') {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		else if (strncmp(s, "\xE3\x80\x80", 3) == 0)
			s += 3;
		else
			return 0;
	}
	return 1;
}

enum xj_err text_zishu(const char *s, size_t len, uint64_t *count,
                       struct xj_error *err)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t total = 0;
	int in_word = 0, prev_digit = 0;
	size_t i = 0, n;
	uint32_t cp, next;
	enum xj_err rc;

	rc = utf8_validate(s, len, "正文", err);
	if (rc != XJ_OK)
		return rc;
	while (i < len) {
		n = utf8_decode(p + i, len - i, &cp);
		if (is_letter(cp) || is_digit(cp)) {
			if (!in_word)
				total++;
			in_word = 1;
			prev_digit = is_digit(cp);
		} else if ((cp == '.' || cp == ',') && in_word && prev_digit &&
		           i + n < len &&
		           utf8_decode(p + i + n, len - i - n, &next) != 0 &&
		           is_digit(next)) {
			/* "40.5", "12,120": a separator inside a number */
		} else {
			in_word = 0;
			prev_digit = 0;
			if (text_is_cjk(cp))
				total++;
		}
		i += n;
	}
	*count = total;
	return XJ_OK;
}
