/* libFuzzer harness: plan_parse() must accept or refuse any bytes without
 * a crash, a leak or undefined behaviour. A refusal lists its problems in
 * file order, each with a valid UTF-8 reason; an accepted plan holds
 * only what the engine may rely on (plan.h): every index in range, every
 * field of the type its metric needs, every threshold on its scale. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xianjiao/plan.h"
#include "xianjiao/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void check(int ok)
{
	if (!ok)
		abort();
}

static void check_metric(const struct plan *p, const struct plan_metric *m,
                         enum plan_scope scope)
{
	const struct plan_kind *k;
	int i;

	check(m->type >= 0 && m->type < METRIC__MAX);
	check(m->kind >= 0 && m->kind < p->nkinds);
	k = &p->kinds[m->kind];
	check((k->subject == SUBJECT_MEMBER) == (scope == PSCOPE_MEMBER));
	if (m->type == METRIC_COUNT) {
		check(m->field == -1);
	} else {
		enum plan_field_type t;

		check(m->field >= 0 && m->field < k->nfields);
		t = k->fields[m->field].type;
		switch (m->type) {
		case METRIC_SUM:
		case METRIC_MAX:
			check(t == FIELD_NUMBER || t == FIELD_ZISHU);
			break;
		case METRIC_DISTINCT_SHARE:
			check(t == FIELD_MEMBER && scope == PSCOPE_MEMBER);
			break;
		case METRIC_STATE:
			check(t == FIELD_STATE);
			break;
		default:
			check(t == FIELD_NUMBER);
			break;
		}
	}
	if (m->type == METRIC_RATIO) {
		check(m->field2 >= 0 && m->field2 < k->nfields);
		check(k->fields[m->field2].type == FIELD_NUMBER);
		check(m->field2 != m->field);
	} else {
		check(m->field2 == -1);
	}
	check(m->nwhere >= 0 && m->nwhere <= PLAN_WHERE_MAX);
	for (i = 0; i < m->nwhere; i++) {
		const struct plan_field *f;
		int j, found = 0;

		check(m->where[i].field >= 0 && m->where[i].field < k->nfields);
		f = &k->fields[m->where[i].field];
		check(f->type == FIELD_TEXT || f->type == FIELD_ENUM ||
		      f->type == FIELD_STATE);
		for (j = 0; j < f->nvalues; j++)
			found |= strcmp(f->values[j], m->where[i].value) == 0;
		check(f->type == FIELD_TEXT || found);
	}
}

static void check_threshold(const struct plan *p, const struct plan_metric *m,
                            struct plan_ratio t)
{
	check(t.den > 0 && t.num >= 0);
	if (m->type == METRIC_STATE)
		check(t.den == 1 &&
		      t.num < p->kinds[m->kind].fields[m->field].nvalues);
	else if (m->type == METRIC_DISTINCT_SHARE || m->type == METRIC_RATIO)
		check(t.num <= t.den);
	else
		check(t.num <= (int64_t)PLAN_NUMBER_MAX * t.den);
}

static void check_plan(const struct plan *p)
{
	int i, j;

	check(p->nkinds > 0 && p->nkinds <= PLAN_KINDS_MAX);
	check(p->nstages > 0 && p->nstages <= PLAN_STAGES_MAX);
	check(p->nbatches > 0 && p->nbatches <= PLAN_BATCHES_MAX);
	check(p->nreqs > 0 && p->nreqs <= PLAN_REQS_MAX);
	/* must_be rules sit on member fields and name a field of their kind */
	for (i = 0; i < p->nkinds; i++)
		for (j = 0; j < p->kinds[i].nfields; j++) {
			const struct plan_field *f = &p->kinds[i].fields[j];

			check(f->must_categories == 0 ||
			      f->type == FIELD_MEMBER);
			check(f->must_when_field >= -1 &&
			      f->must_when_field < p->kinds[i].nfields);
		}
	for (i = 0; i < p->nstages; i++) {
		const struct plan_stage *s = &p->stages[i];

		check(s->order >= 0 && s->order < p->nstages);
		for (j = 0; j < s->nafter; j++) {
			check(s->after[j] >= 0 && s->after[j] < p->nstages);
			check(p->stages[s->after[j]].order < s->order);
		}
	}
	for (i = 0; i < p->nbatches; i++)
		for (j = 0; j < p->nstages; j++) {
			const struct plan_batch *b = &p->batches[i];
			int a;

			check(b->start[j] <= b->end[j]);
			for (a = 0; a < p->stages[j].nafter; a++)
				check(b->start[j] >=
				      b->end[p->stages[j].after[a]]);
		}
	for (i = 0; i < p->nreqs; i++) {
		const struct plan_req *r = &p->reqs[i];

		check(r->stage >= 0 && r->stage < p->nstages);
		check(r->scope >= 0 && r->scope < PSCOPE__MAX);
		check_metric(p, &r->metric, r->scope);
		check_threshold(p, &r->metric, r->threshold);
		check(r->share.num > 0 && r->share.num <= r->share.den);
		check(r->weight >= 0 && r->weight <= 100);
		check(r->deadline_days >= 0);
		check(r->ntreats >= 0 && r->ntreats <= PLAN_TREATS_MAX);
		check(r->ntreats == 0 || r->scope == PSCOPE_MEMBER);
		for (j = 0; j < r->ntreats; j++) {
			const struct plan_treat *t = &r->treats[j];

			check(t->when.categories != 0);
			if (t->exempt)
				continue;
			check_metric(p, &t->metric, PSCOPE_MEMBER);
			check_threshold(p, &t->metric, t->threshold);
		}
		for (j = 0; j < p->nbatches; j++)
			check(p->batches[j].start[r->stage] +
			          r->deadline_days <=
			      p->batches[j].end[r->stage]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct plan_problems *pp = malloc(sizeof(*pp));
	struct xj_error err;
	struct plan *p;
	int i;

	xj_error_clear(&err);
	if (plan_parse((const char *)data, len, "fuzz", &p, pp, &err) ==
	    XJ_OK) {
		check(p != NULL && pp->n == 0);
		check_plan(p);
		plan_free(p);
	} else {
		check(p == NULL && pp->n > 0 && pp->n <= PLAN_PROBLEMS_MAX);
		check(utf8_validate(err.msg, strlen(err.msg), NULL, NULL) ==
		      XJ_OK);
		for (i = 0; i < pp->n; i++) {
			const struct plan_problem *q = &pp->p[i];

			check(q->msg[0] != '\0');
			check(utf8_validate(q->msg, strlen(q->msg), NULL,
			                    NULL) == XJ_OK);
			check(i == 0 || q->line > pp->p[i - 1].line ||
			      (q->line == pp->p[i - 1].line &&
			       q->column >= pp->p[i - 1].column));
		}
	}
	free(pp);
	return 0;
}
