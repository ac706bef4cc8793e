/* plan.c - the plan in force, read from the store for the workflow. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum xj_err workflow_load_plan(struct store *st, struct plan **p,
                               struct xj_error *err)
{
	struct plan_problems probs;
	char *text;
	int found;
	enum xj_err e = store_plan_current(st, &text, &found, err);

	*p = NULL;
	if (e != XJ_OK)
		return e;
	if (!found)
		return xj_error_set(err, XJ_ENOTFOUND,
		                    "尚未安装方案：请先运行 xianjiao plan "
		                    "install --db FILE 方案.yaml");
	e = plan_parse(text, strlen(text), "已安装的方案", p, &probs, err);
	free(text);
	return e;
}
