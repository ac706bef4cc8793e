/*
 * encoding.c - how a CSV is encoded, and decoding its cells to UTF-8.
 *
 * Excel on Chinese Windows saves "CSV (逗号分隔)" in the ANSI code page,
 * 936 (GBK), and "CSV UTF-8" with a byte order mark; other programs
 * write UTF-8 without one. GB18030 is decoded with glibc's iconv: it is
 * a superset of GBK and GB2312, so one decoder reads all three.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>

#include "xianjiao/alloc.h"
#include "xianjiao/text.h"

#include "internal.h"

static const unsigned char utf8_bom[3] = { 0xEF, 0xBB, 0xBF };
/* U+FEFF in GB18030, which a few programs write as a byte order mark. */
static const unsigned char gb18030_bom[4] = { 0x84, 0x31, 0x95, 0x33 };

/*
 * Valid UTF-8 throughout (RFC 3629)? If not, *bad is the offset of the
 * first bad byte. NUL is allowed here: the builder refuses it with a
 * message of its own.
 */
static int is_utf8(const unsigned char *s, size_t len, size_t *bad)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			*bad = i;
			return 0;
		}
		i += n;
	}
	return 1;
}

enum table_encoding table_enc_detect(const unsigned char *data, size_t len,
                                     enum table_encoding want, size_t *skip)
{
	int has_utf8_bom = len >= 3 && memcmp(data, utf8_bom, 3) == 0;
	int has_gb_bom = len >= 4 && memcmp(data, gb18030_bom, 4) == 0;
	size_t bad;

	*skip = 0;
	if (want == TABLE_ENC_AUTO) {
		if (has_utf8_bom)
			want = TABLE_ENC_UTF8;
		else if (is_utf8(data, len, &bad))
			want = TABLE_ENC_UTF8;
		else
			want = TABLE_ENC_GB18030;
	}
	if (want == TABLE_ENC_UTF8 && has_utf8_bom)
		*skip = 3;
	else if (want == TABLE_ENC_GB18030 && has_gb_bom)
		*skip = 4;
	return want;
}

enum xj_err table_dec_init(struct table_dec *d, enum table_encoding enc,
                           struct xj_error *err)
{
	d->enc = enc;
	d->cd = (iconv_t)-1;
	d->buf = NULL;
	d->alloc = 0;
	if (enc != TABLE_ENC_GB18030)
		return XJ_OK;
	d->cd = iconv_open("UTF-8", "GB18030");
	if (d->cd == (iconv_t)-1)
		return xj_error_set(err, XJ_EINTERNAL,
		                    "系统不支持 GB18030 编码转换（iconv）");
	return XJ_OK;
}

void table_dec_release(struct table_dec *d)
{
	if (d->cd != (iconv_t)-1)
		iconv_close(d->cd);
	d->cd = (iconv_t)-1;
	free(d->buf);
	d->buf = NULL;
	d->alloc = 0;
}

static int is_ascii(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

int table_dec_run(struct table_dec *d, const char *s, size_t len,
                  const char **out, size_t *outlen, size_t *bad)
{
	char *in, *o;
	size_t inleft, oleft, need;

	if (d->enc == TABLE_ENC_UTF8 &&
	    !is_utf8((const unsigned char *)s, len, bad))
		return -1;
	/* GB18030 is ASCII below 0x80, like UTF-8. */
	if (d->enc != TABLE_ENC_GB18030 || is_ascii(s, len)) {
		*out = s;
		*outlen = len;
		return 0;
	}
	/* A GB18030 character of n bytes is at most 3 bytes of UTF-8 for
	 * n = 2 and 4 for n = 4: twice the input always fits. */
	if (size_mul_overflow(len, 2, &need))
		abort();
	need += 4;
	if (d->alloc < need) {
		free(d->buf);
		d->buf = xmalloc(need);
		d->alloc = need;
	}
	iconv(d->cd, NULL, NULL, NULL, NULL);
	in = (char *)s; /* iconv's prototype wants char **; it only reads */
	inleft = len;
	o = d->buf;
	oleft = d->alloc;
	if (iconv(d->cd, &in, &inleft, &o, &oleft) == (size_t)-1 ||
	    iconv(d->cd, NULL, NULL, &o, &oleft) == (size_t)-1) {
		/* EILSEQ: not GB18030; EINVAL: cut short by the end of
		 * the cell; E2BIG cannot happen (see above). */
		*bad = (size_t)(in - s);
		return -1;
	}
	*out = d->buf;
	*outlen = (size_t)(o - d->buf);
	return 0;
}
