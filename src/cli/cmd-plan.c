/* xianjiao plan check FILE */
#include <stdio.h>

#include "cli.h"
#include "xianjiao/alloc.h"
#include "xianjiao/plan.h"

static const struct cli_opt check_opts[] = {
	{ NULL, NULL, 0, NULL },
};

/* Every problem as FILE:LINE:COLUMN: reason, in file order, the way a
 * compiler reports, so an editor can jump to each one. */
static void print_problems(const char *path, const struct plan_problems *pp)
{
	int i;

	for (i = 0; i < pp->n; i++)
		if (pp->p[i].line > 0)
			fprintf(stderr, "%s:%d:%d: %s\n", path, pp->p[i].line,
			        pp->p[i].column, pp->p[i].msg);
		else
			fprintf(stderr, "%s: %s\n", path, pp->p[i].msg);
	if (pp->more)
		fprintf(stderr, "%s: ……另有错误未列出（只列出前 %d 处）\n",
		        path, PLAN_PROBLEMS_MAX);
}

static enum xj_err check_run(const struct cli_args *a, struct xj_error *err)
{
	const char *path = a->pos[0];
	struct plan_problems *pp = xcalloc(1, sizeof(*pp));
	struct plan *p;
	enum xj_err e;
	int i, gates = 0;

	e = plan_load(path, &p, pp, err);
	if (e == XJ_OK) {
		for (i = 0; i < p->nreqs; i++)
			gates += p->reqs[i].gate != 0;
		printf("方案检查通过：%s（%s）：%d 个阶段，%d 个批次，%d 种记录"
		       "类型，%d 项要求，其中 %d 项为转段条件\n",
		       path, p->name, p->nstages, p->nbatches, p->nkinds,
		       p->nreqs, gates);
		plan_free(p);
	} else if (e == XJ_EINVAL && pp->n > 0) {
		print_problems(path, pp);
		e = xj_error_set(err, XJ_EINVAL, "方案 %s 有 %d 处%s错误", path,
		                 pp->n, pp->more ? "以上" : "");
	}
	free(pp);
	return e;
}

const struct cli_cmd cmd_plan_check = {
	.name = "plan check",
	.summary = "检查方案文件（YAML）：逐条列出错误的行号、列号和原因",
	.args = "FILE",
	.opts = check_opts,
	.min_pos = 1,
	.max_pos = 1,
	.fn = check_run,
};
