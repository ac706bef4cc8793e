#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "xianjiao/error.h"
#include "xianjiao/text.h"

static const struct {
	const char *code;
	const char *text;
	int http;
} errtab[XJ_ERR__MAX] = {
	[XJ_OK] = { "ok", "成功", 200 },
	[XJ_EINVAL] = { "invalid", "输入有误", 400 },
	[XJ_EUSAGE] = { "usage", "用法有误", 400 },
	[XJ_ENOTFOUND] = { "not_found", "对象不存在", 404 },
	[XJ_EEXIST] = { "exists", "对象已存在", 409 },
	[XJ_ECONFLICT] = { "conflict", "当前状态不允许此操作", 409 },
	[XJ_ETOOLARGE] = { "too_large", "超出大小限制", 413 },
	[XJ_EMETHOD] = { "method_not_allowed", "不支持该请求方法", 405 },
	[XJ_EUNAUTH] = { "unauthenticated", "未登录或会话已过期", 401 },
	[XJ_EFORBIDDEN] = { "forbidden", "无权进行此操作", 403 },
	[XJ_ELIMIT] = { "too_many_requests", "尝试次数过多，请稍后再试", 429 },
	[XJ_EIO] = { "io", "读写失败", 500 },
	[XJ_ESTORE] = { "store", "数据库操作失败", 500 },
	[XJ_ESCHEMA] = { "schema", "数据库版本高于本程序", 500 },
	[XJ_EINTERNAL] = { "internal", "内部错误", 500 },
};

static int valid(enum xj_err code)
{
	return (int)code >= 0 && code < XJ_ERR__MAX;
}

void xj_error_clear(struct xj_error *err)
{
	if (err == NULL)
		return;
	memset(err, 0, sizeof(*err));
}

/*
 * vsnprintf() cuts at a byte count; a cut inside a multi-byte character
 * leaves text that is not UTF-8, which a JSON encoder refuses and a
 * browser garbles. Drop the incomplete character at the end of s.
 */
static void trim_partial_utf8(char *s)
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

/*
 * Messages quote what the user sent, which may not be valid UTF-8; a
 * message must be (it is shown in a terminal and sent as JSON). Each bad
 * byte becomes "?", keeping the message's length.
 */
static void repair_utf8(char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(p + i, len - i, &cp);
		if (n == 0) {
			s[i] = '?';
			n = 1;
		}
		i += n;
	}
}

enum xj_err xj_error_vset(struct xj_error *err, enum xj_err code,
                          const char *fmt, va_list ap)
{
	int n = 0;

	if (err == NULL)
		return code;
	err->code = code;
	err->field[0] = '\0'; /* no field involved, unless xj_error_field */
	if (fmt != NULL && fmt[0] != '\0')
		n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	if (n <= 0) /* the message is never empty on error */
		snprintf(err->msg, sizeof(err->msg), "%s", xj_strerror(code));
	else if ((size_t)n >= sizeof(err->msg))
		trim_partial_utf8(err->msg);
	repair_utf8(err->msg);
	return code;
}

enum xj_err xj_error_set(struct xj_error *err, enum xj_err code,
                         const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xj_error_vset(err, code, fmt, ap);
	va_end(ap);
	return code;
}

enum xj_err xj_error_field(struct xj_error *err, enum xj_err code,
                           const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xj_error_vset(err, code, fmt, ap);
	va_end(ap);
	if (err == NULL || field == NULL)
		return code;
	if (snprintf(err->field, sizeof(err->field), "%s", field) >=
	    (int)sizeof(err->field))
		trim_partial_utf8(err->field);
	repair_utf8(err->field);
	return code;
}

const char *xj_strerror(enum xj_err code)
{
	return valid(code) ? errtab[code].text : "未知错误";
}

const char *xj_errcode(enum xj_err code)
{
	return valid(code) ? errtab[code].code : "unknown";
}

int xj_http_status(enum xj_err code)
{
	return valid(code) ? errtab[code].http : 500;
}

int xj_exit_code(enum xj_err code)
{
	if (code == XJ_OK)
		return 0;
	return code == XJ_EUSAGE ? 2 : 1;
}
