/*
 * fixture.h - a small campaign for the workflow tests: a plan of three
 * stages (built in code, the reference plan's shape in miniature), two
 * 系统 of three units each, a branch of three members per unit, users of
 * every role, and records that make a unit pass a stage's gates.
 * Included by each test of tests/unit/workflow/.
 */
#ifndef XJ_TEST_WF_FIXTURE_H
#define XJ_TEST_WF_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../../lib/harness.h"
#include "xianjiao/date.h"
#include "xianjiao/engine.h"
#include "xianjiao/plan.h"
#include "xianjiao/store.h"
#include "xianjiao/workflow.h"

/* Not every test uses every helper. */
#define FX static __attribute__((unused))

#define FX_UNITS 6
#define FX_MEMBERS 3

/* Stage indices of the fixture plan. */
enum { LEARN, REVIEW, RECTIFY };

struct wfx {
	struct tmpdb db;
	struct store *st;
	struct plan *p;
	int64_t campaign, batch, sys[2];
	int64_t unit[FX_UNITS], branch[FX_UNITS];
	int64_t member[FX_UNITS][FX_MEMBERS];
	/* users: the office, a supervisor of each 系统, the office of
	 * unit 0, a branch secretary of unit 0 */
	int64_t office, sup[2], unit_user, secretary;
};

FX void fx_kind(struct plan *p, const char *id, enum plan_subject s,
                const char *field)
{
	struct plan_kind *k = &p->kinds[p->nkinds++];

	snprintf(k->id, sizeof(k->id), "%s", id);
	snprintf(k->name, sizeof(k->name), "%s", id);
	k->subject = s;
	if (field != NULL) {
		snprintf(k->fields[0].name, sizeof(k->fields[0].name), "%s",
		         field);
		k->fields[0].type = FIELD_NUMBER;
		k->fields[0].required = 1;
		k->nfields = 1;
	}
}

FX void fx_stage(struct plan *p, const char *id, const char *name, int order)
{
	struct plan_stage *s = &p->stages[p->nstages++];

	snprintf(s->id, sizeof(s->id), "%s", id);
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->order = order;
	if (order > 0) {
		s->after[0] = order - 1;
		s->nafter = 1;
	}
}

FX void fx_lookback(struct plan *p, int stage, const char *id, const char *text)
{
	struct plan_stage *s = &p->stages[stage];
	struct plan_lookback *l = &s->lookback[s->nlookback++];

	snprintf(l->id, sizeof(l->id), "%s", id);
	snprintf(l->text, sizeof(l->text), "%s", text);
	snprintf(l->source, sizeof(l->source), "fixture");
}

FX void fx_req(struct plan *p, const char *id, int stage, enum plan_scope scope,
               enum plan_metric_type m, int kind, int field, int64_t threshold,
               int gate)
{
	struct plan_req *r = &p->reqs[p->nreqs++];

	snprintf(r->id, sizeof(r->id), "%s", id);
	snprintf(r->name, sizeof(r->name), "要求 %s", id);
	snprintf(r->source, sizeof(r->source), "fixture");
	r->stage = stage;
	r->scope = scope;
	r->kind = gate ? REQ_REQUIRED : REQ_OPTIONAL;
	r->metric.type = m;
	r->metric.kind = kind;
	r->metric.field = field;
	r->metric.field2 = -1;
	r->cmp = CMP_GE;
	r->threshold.num = threshold;
	r->threshold.den = 1;
	r->share.num = r->share.den = 1;
	r->gate = gate;
	r->weight = 10;
}

/* learn 2005-01-10..03-10, review 03-11..04-25, rectify 04-26..06-10 */
static struct plan *fx_plan(void)
{
	struct plan *p = calloc(1, sizeof(*p));
	struct plan_batch *b;

	snprintf(p->name, sizeof(p->name), "测试方案");
	fx_kind(p, "study", SUBJECT_MEMBER, "hours");  /* 0 */
	fx_kind(p, "mobilisation", SUBJECT_ORG, NULL); /* 1 */
	fx_kind(p, "meeting", SUBJECT_ORG, NULL);      /* 2 */
	fx_kind(p, "scheme", SUBJECT_ORG, NULL);       /* 3 */
	fx_kind(p, "column", SUBJECT_ORG, NULL);       /* 4 */
	fx_stage(p, "learn", "学习动员", 0);
	fx_stage(p, "review", "分析评议", 1);
	fx_stage(p, "rectify", "整改提高", 2);
	fx_lookback(p, LEARN, "awareness", "对活动重要性的认识是否提高了");
	fx_lookback(p, LEARN, "fixed", "具备整改条件的问题是否整改了");
	fx_lookback(p, REVIEW, "opinions", "征求意见是否广泛真实");
	b = &p->batches[p->nbatches++];
	b->ordinal = 1;
	snprintf(b->name, sizeof(b->name), "第一批");
	b->start[LEARN] = date_from_ymd(2005, 1, 10);
	b->end[LEARN] = date_from_ymd(2005, 3, 10);
	b->start[REVIEW] = date_from_ymd(2005, 3, 11);
	b->end[REVIEW] = date_from_ymd(2005, 4, 25);
	b->start[RECTIFY] = date_from_ymd(2005, 4, 26);
	b->end[RECTIFY] = date_from_ymd(2005, 6, 10);
	fx_req(p, "learn_hours", LEARN, PSCOPE_MEMBER, METRIC_SUM, 0, 0, 40, 1);
	fx_req(p, "learn_mobilisation", LEARN, PSCOPE_UNIT, METRIC_COUNT, 1, -1,
	       1, 1);
	fx_req(p, "learn_column", LEARN, PSCOPE_UNIT, METRIC_COUNT, 4, -1, 5,
	       0);
	fx_req(p, "review_meeting", REVIEW, PSCOPE_UNIT, METRIC_COUNT, 2, -1, 1,
	       1);
	fx_req(p, "rectify_scheme", RECTIFY, PSCOPE_UNIT, METRIC_COUNT, 3, -1,
	       1, 1);
	return p;
}

FX int64_t fx_org(struct wfx *f, int64_t parent, const char *code,
                  enum org_type t, int64_t sys, int unit)
{
	struct org o = { .parent_id = parent,
		         .type = t,
		         .name = code,
		         .code = code,
		         .system_id = sys,
		         .batch_id = unit ? f->batch : 0,
		         .is_unit = unit };
	struct xj_error err;
	int64_t id;

	if (store_org_insert(f->st, &o, &id, &err) != XJ_OK)
		fail_msg("org %s: %s", code, err.msg);
	return id;
}

FX int64_t fx_user(struct wfx *f, const char *login, enum role r, int64_t org,
                   int64_t sys)
{
	struct grant g = { .role = r, .org_id = org, .system_id = sys };
	struct xj_error err;
	int64_t id;

	if (store_user_insert(f->st, login, login, NULL, 0, &id, &err) != XJ_OK)
		fail_msg("user %s: %s", login, err.msg);
	g.user_id = id;
	if (store_grant_add(f->st, &g, NULL, &err) != XJ_OK)
		fail_msg("grant %s: %s", login, err.msg);
	return id;
}

FX void fx_setup(struct wfx *f)
{
	struct campaign c = { 0, "测试活动", date_from_ymd(2005, 1, 6),
		              date_from_ymd(2005, 12, 31) };
	struct batch b = { 0,
		           0,
		           1,
		           "第一批",
		           date_from_ymd(2005, 1, 6),
		           date_from_ymd(2005, 6, 30) };
	struct xj_error err;
	int64_t root;
	int i, k;

	memset(f, 0, sizeof(*f));
	tmpdb_make(&f->db, "wf.db");
	if (store_open(f->db.db, STORE_CREATE, &f->st, &err) != XJ_OK)
		fail_msg("open: %s", err.msg);
	f->p = fx_plan();
	if (store_campaign_insert(f->st, &c, &f->campaign, &err) != XJ_OK)
		fail_msg("campaign: %s", err.msg);
	b.campaign_id = f->campaign;
	if (store_batch_insert(f->st, &b, &f->batch, &err) != XJ_OK)
		fail_msg("batch: %s", err.msg);
	for (i = 0; i < 2; i++) {
		struct xj_system s = { 0, f->campaign, i ? "经济" : "党群" };

		if (store_system_insert(f->st, &s, &f->sys[i], &err) != XJ_OK)
			fail_msg("system: %s", err.msg);
	}
	root = fx_org(f, 0, "CITY", ORG_COMMITTEE, 0, 0);
	for (i = 0; i < FX_UNITS; i++) {
		char code[16], bcode[24], name[40];

		snprintf(code, sizeof(code), "U%d", i);
		snprintf(bcode, sizeof(bcode), "U%d-B1", i);
		f->unit[i] =
		    fx_org(f, root, code, ORG_PARTY_GROUP, f->sys[i / 3], 1);
		f->branch[i] = fx_org(f, f->unit[i], bcode, ORG_BRANCH, 0, 0);
		for (k = 0; k < FX_MEMBERS; k++) {
			struct member m = { .org_id = f->branch[i],
				            .name = name,
				            .categories = MCAT_BIT(MCAT_ACTIVE),
				            .joined_date =
				                date_from_ymd(1990, 7, 1) };

			snprintf(name, sizeof(name), "党员%d%d", i, k);
			if (store_member_insert(f->st, &m, &f->member[i][k],
			                        &err) != XJ_OK)
				fail_msg("member: %s", err.msg);
		}
	}
	f->office = fx_user(f, "office", ROLE_OFFICE, 0, 0);
	f->sup[0] = fx_user(f, "dudao1", ROLE_SUPERVISOR, 0, f->sys[0]);
	f->sup[1] = fx_user(f, "dudao2", ROLE_SUPERVISOR, 0, f->sys[1]);
	f->unit_user = fx_user(f, "danwei", ROLE_UNIT, f->unit[0], 0);
	f->secretary = fx_user(f, "shuji", ROLE_SECRETARY, f->branch[0], 0);
}

FX void fx_teardown(struct wfx *f)
{
	store_close(f->st);
	free(f->p);
	tmpdb_remove(&f->db);
}

FX void fx_record(struct wfx *f, const char *kind, int64_t org, int64_t member,
                  const char *payload)
{
	struct record r = { .campaign_id = f->campaign,
		            .kind = kind,
		            .org_id = org,
		            .member_id = member,
		            .happened_on = date_from_ymd(2005, 2, 1),
		            .entered_at = 1107216000, /* 2005-02-01 */
		            .payload = payload };
	struct xj_error err;
	int64_t id;

	if (store_record_append(f->st, &r, &id, &err) != XJ_OK)
		fail_msg("record %s: %s", kind, err.msg);
}

/* Records that make unit i pass the gates of stage s. */
FX void fx_pass(struct wfx *f, int i, int s)
{
	int k;

	if (s == LEARN) {
		for (k = 0; k < FX_MEMBERS; k++)
			fx_record(f, "study", f->branch[i], f->member[i][k],
			          "{\"hours\": 40}");
		fx_record(f, "mobilisation", f->unit[i], 0, "{}");
	} else {
		fx_record(f, s == REVIEW ? "meeting" : "scheme", f->unit[i], 0,
		          "{}");
	}
}

FX struct wf_ctx fx_ctx(struct wfx *f, int64_t actor, int32_t today)
{
	struct wf_ctx c = { f->st, f->p, NULL, actor, today };

	return c;
}

/* One step in its own transaction, as the CLI and the server take it. */
FX enum xj_err fx_step(struct wfx *f, int64_t actor, int32_t today,
                       const struct wf_request *r, struct wf_outcome *o,
                       struct xj_error *err)
{
	struct wf_ctx c = fx_ctx(f, actor, today);
	struct wf_outcome local;
	enum xj_err e;

	if (o == NULL)
		o = &local;
	e = store_begin(f->st, err);
	if (e == XJ_OK)
		e = workflow_act(&c, r, o, err);
	if (e == XJ_OK)
		e = store_commit(f->st, err);
	if (e != XJ_OK)
		store_rollback(f->st);
	if (o == &local && local.refusal)
		json_decref(local.refusal);
	return e;
}

/* The unit's state as stored. */
struct fx_state {
	int state;
	char stage[PLAN_ID_MAX];
	int64_t version;
	int open;
	char override[1024];
};

FX int fx_take_state(void *ctx, const struct wf_unit_row *u)
{
	struct fx_state *s = ctx;

	s->state = u->state;
	snprintf(s->stage, sizeof(s->stage), "%s", u->stage);
	s->version = u->version;
	s->open = u->open_remedies;
	snprintf(s->override, sizeof(s->override), "%s", u->override_reason);
	return 1;
}

FX struct fx_state fx_state(struct wfx *f, int64_t unit)
{
	struct fx_state s;
	struct xj_error err;

	memset(&s, 0, sizeof(s));
	if (store_wf_units_each(f->st, unit, fx_take_state, &s, &err) != XJ_OK)
		fail_msg("state: %s", err.msg);
	return s;
}

#endif
