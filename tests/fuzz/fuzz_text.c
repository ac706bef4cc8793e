/* libFuzzer harness: UTF-8 validation, 字数 and loose date parsing must
 * accept or refuse any bytes without a crash, and every refusal must
 * carry a valid UTF-8 message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xianjiao/date.h"
#include "xianjiao/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *s = malloc(len + 1);
	struct xj_error err;
	uint64_t n;
	int32_t d;

	memcpy(s, data, len);
	s[len] = '\0';
	xj_error_clear(&err);
	if (text_zishu(s, len, &n, &err) == XJ_OK) {
		if (n > len)
			abort(); /* never more 字 than bytes */
	} else if (utf8_validate(err.msg, strlen(err.msg), NULL, NULL) !=
	           XJ_OK) {
		abort();
	}
	xj_error_clear(&err);
	if (date_parse_loose(s, &d, "日期", &err) != XJ_OK &&
	    (err.msg[0] == '\0' ||
	     utf8_validate(err.msg, strlen(err.msg), NULL, NULL) != XJ_OK))
		abort();
	free(s);
	return 0;
}
