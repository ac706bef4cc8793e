/* libFuzzer harness: the spreadsheet reader, as CSV (detected encoding)
 * and as XLSX, with small limits. Any input is read or refused with a
 * message; nothing crashes, leaks or overruns. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xianjiao/table.h"
#include "xianjiao/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void check(enum xj_err e, const struct xj_error *err,
                  const struct table *t)
{
	size_t r, c;

	if (e != XJ_OK) {
		if (err->msg[0] == '\0' ||
		    utf8_validate(err->msg, strlen(err->msg), NULL, NULL) !=
		        XJ_OK)
			abort();
		return;
	}
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			const char *s = table_cell(t, r, c);

			if (utf8_validate(s, strlen(s), NULL, NULL) != XJ_OK)
				abort(); /* every cell is valid text */
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct table_limits lim;
	struct xj_error err;
	struct table t;
	enum xj_err e;

	table_limits_default(&lim);
	lim.max_bytes = 1 << 20;
	lim.max_part_bytes = 4 << 20;
	lim.max_rows = 1000;
	lim.max_cols = 32;
	lim.max_cell_chars = 200;
	xj_error_clear(&err);
	e = table_read(data, len, TABLE_CSV, TABLE_ENC_AUTO, &lim, &t, &err);
	check(e, &err, &t);
	if (e == XJ_OK)
		table_release(&t);
	xj_error_clear(&err);
	e = table_read(data, len, TABLE_XLSX, TABLE_ENC_AUTO, &lim, &t, &err);
	check(e, &err, &t);
	if (e == XJ_OK)
		table_release(&t);
	return 0;
}
