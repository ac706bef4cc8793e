#include <stdio.h>

#include "cli.h"
#include "xianjiao/store.h"

static const struct cli_opt opts[] = { { NULL, NULL, 0, NULL } };

static enum xj_err run(const struct cli_args *a, struct xj_error *err)
{
	(void)a;
	(void)err;
	printf("xianjiao %s (数据库结构版本 %d)\n", XJ_VERSION,
	       store_schema_latest());
	return XJ_OK;
}

const struct cli_cmd cmd_version = {
	.name = "version",
	.summary = "显示程序版本和数据库结构版本",
	.args = "",
	.opts = opts,
	.min_pos = 0,
	.max_pos = 0,
	.fn = run,
};
