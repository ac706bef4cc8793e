/*
 * workflow.c - the rows of the 转段 workflow (store.h): unit states with
 * their version, the append-only transitions, 回头看 answers, 补课 items,
 * deadline extensions and 明查暗访 spot checks. Every write appends its
 * audit entry in the caller's transaction; the meaning of states and
 * actions is workflow.h's.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "xianjiao/date.h"

#define NPARAM(p) ((int)(sizeof(p) / sizeof((p)[0])))

/* A date column the store wrote itself: "" (NULL) is 0. */
static int32_t day_of(const char *s)
{
	int32_t d = 0;

	if (s[0] == '\0' || date_parse(s, &d, "date", NULL) != XJ_OK)
		return 0;
	return d;
}

struct each {
	void *fn;
	void *ctx;
};

static int take_unit(void *ctx, const struct st_row *r)
{
	struct each *c = ctx;
	int (*fn)(void *, const struct wf_unit_row *) =
	    (int (*)(void *, const struct wf_unit_row *))c->fn;
	struct wf_unit_row u;

	u.unit_id = st_row_int(r, 0);
	u.code = st_row_text(r, 1);
	u.name = st_row_text(r, 2);
	u.system_id = st_row_int(r, 3);
	u.batch_ordinal = (int)st_row_int(r, 4);
	u.stage = st_row_text(r, 5);
	u.state = (int)st_row_int(r, 6);
	u.entered_on = day_of(st_row_text(r, 7));
	u.version = st_row_int(r, 8);
	u.override_reason = st_row_text(r, 9);
	u.override_by = st_row_int(r, 10);
	u.extended_until = day_of(st_row_text(r, 11));
	u.open_remedies = (int)st_row_int(r, 12);
	u.remedy_deadline = day_of(st_row_text(r, 13));
	u.last_on = day_of(st_row_text(r, 14));
	return fn(c->ctx, &u);
}

enum xj_err store_wf_units_each(struct store *st, int64_t unit,
                                int (*fn)(void *ctx,
                                          const struct wf_unit_row *u),
                                void *ctx, struct xj_error *err)
{
	struct each c = { (void *)fn, ctx };
	struct sval p[1] = { SV_ID(unit) };

	return st_each(st, STMT_WF_UNITS, p, NPARAM(p), take_unit, &c, err);
}

static enum xj_err moved_on(struct xj_error *err, int64_t unit)
{
	return xj_error_set(err, XJ_ECONFLICT,
	                    "该单位的转段状态刚被他人更新（单位编号 %lld），"
	                    "请刷新后重试",
	                    (long long)unit);
}

enum xj_err store_wf_step(struct store *st, const struct wf_step *s,
                          int64_t *transition_id, int64_t *version,
                          struct xj_error *err)
{
	struct st_datebuf on, entered;
	const char *ovr = s->override_reason && s->override_reason[0]
	                      ? s->override_reason
	                      : NULL;
	struct sval t[10], u[7];
	char action[64];
	enum xj_err e;
	int64_t id;

	if (s->on_date <= 0)
		return xj_error_field(err, XJ_EINVAL, "on", "缺少办理日期");
	u[0] = SV_INT(s->unit_id);
	u[1] = SV_STR(s->to_stage ? s->to_stage : s->stage);
	u[2] = SV_INT(s->to_state);
	u[3] = st_date(s->entered_on, &entered);
	u[4] = SV_TEXT(ovr);
	u[5] = ovr ? SV_ID(st->actor) : SV_TEXT(NULL);
	if (s->expect_version == 0) {
		e = st_exec(st, STMT_WF_UNIT_INSERT, u, 6, err);
		if (e == XJ_EEXIST) /* someone made the row first */
			return moved_on(err, s->unit_id);
	} else {
		u[6] = SV_INT(s->expect_version);
		e = st_exec(st, STMT_WF_UNIT_UPDATE, u, 7, err);
		if (e == XJ_OK && st_changes(st) == 0)
			return moved_on(err, s->unit_id);
	}
	if (e != XJ_OK)
		return e;
	t[0] = SV_INT(s->unit_id);
	t[1] = SV_STR(s->stage);
	t[2] = SV_INT(s->from_state);
	t[3] = SV_INT(s->to_state);
	t[4] = SV_TEXT(s->to_stage);
	t[5] = SV_STR(s->action);
	t[6] = SV_ID(st->actor);
	t[7] = st_date(s->on_date, &on);
	t[8] = SV_TEXT(s->reason);
	t[9] = SV_STR(s->details ? s->details : "{}");
	e = st_exec(st, STMT_WF_TRANSITION_INSERT, t, NPARAM(t), err);
	if (e != XJ_OK)
		return e;
	id = st_last_id(st);
	if (transition_id != NULL)
		*transition_id = id;
	if (version != NULL)
		*version = s->expect_version + 1;
	snprintf(action, sizeof(action), "transition.%s", s->action);
	return audit_append(
	    st, action, "transition", id, err,
	    "unit=%lld\nstage=%s\naction=%s\nfrom=%d\nto=%d\nto_stage=%s\n"
	    "on=%s\nreason=%s\ndetails=%s\noverride=%s\nversion=%lld",
	    (long long)s->unit_id, s->stage, s->action, s->from_state,
	    s->to_state, s->to_stage ? s->to_stage : "", on.s,
	    s->reason ? s->reason : "", s->details ? s->details : "{}",
	    ovr ? ovr : "", (long long)(s->expect_version + 1));
}

static int take_transition(void *ctx, const struct st_row *r)
{
	struct each *c = ctx;
	int (*fn)(void *, const struct wf_transition_row *) =
	    (int (*)(void *, const struct wf_transition_row *))c->fn;
	struct wf_transition_row t;

	t.id = st_row_int(r, 0);
	t.unit_id = st_row_int(r, 1);
	t.stage = st_row_text(r, 2);
	t.from_state = (int)st_row_int(r, 3);
	t.to_state = (int)st_row_int(r, 4);
	t.to_stage = st_row_text(r, 5);
	t.action = st_row_text(r, 6);
	t.actor_id = st_row_int(r, 7);
	t.actor_login = st_row_text(r, 8);
	t.actor_name = st_row_text(r, 9);
	t.on_date = day_of(st_row_text(r, 10));
	t.at = st_row_text(r, 11);
	t.reason = st_row_text(r, 12);
	t.details = st_row_text(r, 13);
	return fn(c->ctx, &t);
}

enum xj_err store_wf_history_each(struct store *st, int64_t unit,
                                  int (*fn)(void *ctx,
                                            const struct wf_transition_row *t),
                                  void *ctx, struct xj_error *err)
{
	struct each c = { (void *)fn, ctx };
	struct sval p[1] = { SV_ID(unit) };

	return st_each(st, STMT_WF_HISTORY, p, NPARAM(p), take_transition, &c,
	               err);
}

enum xj_err store_wf_answer_add(struct store *st, int64_t unit,
                                const char *stage, const char *item,
                                const char *answer, int64_t transition_id,
                                struct xj_error *err)
{
	struct sval p[5] = { SV_INT(unit), SV_STR(stage), SV_STR(item),
		             SV_STR(answer), SV_INT(transition_id) };
	enum xj_err e = st_exec(st, STMT_WF_ANSWER_INSERT, p, NPARAM(p), err);

	if (e != XJ_OK)
		return e;
	return audit_append(st, "lookback.answer", "lookback", st_last_id(st),
	                    err, "unit=%lld\nstage=%s\nitem=%s\nanswer=%s",
	                    (long long)unit, stage, item, answer);
}

static int take_answer(void *ctx, const struct st_row *r)
{
	struct each *c = ctx;
	int (*fn)(void *, const struct wf_answer_row *) =
	    (int (*)(void *, const struct wf_answer_row *))c->fn;
	struct wf_answer_row a;

	a.item = st_row_text(r, 0);
	a.answer = st_row_text(r, 1);
	a.actor_id = st_row_int(r, 2);
	a.actor_login = st_row_text(r, 3);
	a.on_date = day_of(st_row_text(r, 4));
	a.at = st_row_text(r, 5);
	return fn(c->ctx, &a);
}

enum xj_err
store_wf_answers_each(struct store *st, int64_t unit, const char *stage,
                      int (*fn)(void *ctx, const struct wf_answer_row *a),
                      void *ctx, struct xj_error *err)
{
	struct each c = { (void *)fn, ctx };
	struct sval p[2] = { SV_INT(unit), SV_STR(stage) };

	return st_each(st, STMT_WF_ANSWERS, p, NPARAM(p), take_answer, &c, err);
}

enum xj_err store_wf_remedy_add(struct store *st, int64_t unit,
                                const char *stage, const char *text,
                                int32_t deadline, int64_t transition_id,
                                int64_t finding_id, int64_t *id,
                                struct xj_error *err)
{
	struct st_datebuf d;
	struct sval p[6];
	enum xj_err e;
	int64_t newid;

	if (deadline <= 0)
		return xj_error_field(err, XJ_EINVAL, "deadline",
		                      "补课须有完成期限");
	p[0] = SV_INT(unit);
	p[1] = SV_STR(stage);
	p[2] = SV_STR(text);
	p[3] = st_date(deadline, &d);
	p[4] = SV_INT(transition_id);
	p[5] = SV_ID(finding_id);
	e = st_exec(st, STMT_WF_REMEDY_INSERT, p, NPARAM(p), err);
	if (e != XJ_OK)
		return e;
	newid = st_last_id(st);
	if (id != NULL)
		*id = newid;
	return audit_append(st, "remedy.order", "remedy", newid, err,
	                    "unit=%lld\nstage=%s\ntext=%s\ndeadline=%s\n"
	                    "transition=%lld\nfinding=%lld",
	                    (long long)unit, stage, text, d.s,
	                    (long long)transition_id, (long long)finding_id);
}

enum xj_err store_wf_remedy_done(struct store *st, int64_t id, int64_t unit,
                                 int32_t on_date, const char *evidence,
                                 struct xj_error *err)
{
	struct st_datebuf d;
	struct sval p[5];
	enum xj_err e;
	int64_t done;
	int found;

	p[0] = SV_INT(id);
	p[1] = SV_INT(unit);
	p[2] = SV_ID(st->actor);
	p[3] = st_date(on_date, &d);
	p[4] = SV_STR(evidence);
	e = st_exec(st, STMT_WF_REMEDY_DONE, p, NPARAM(p), err);
	if (e != XJ_OK)
		return e;
	if (st_changes(st) == 0) {
		e = st_int(st, STMT_WF_REMEDY_STATE, p, 2, &done, &found, err);
		if (e != XJ_OK)
			return e;
		if (!found)
			return xj_error_field(
			    err, XJ_ENOTFOUND, "item",
			    "该单位没有编号为 %lld 的补课事项", (long long)id);
		return xj_error_field(err, XJ_ECONFLICT, "item",
		                      "补课事项 %lld 已经完成", (long long)id);
	}
	return audit_append(st, "remedy.done", "remedy", id, err,
	                    "unit=%lld\non=%s\nevidence=%s", (long long)unit,
	                    d.s, evidence);
}

static int take_remedy(void *ctx, const struct st_row *r)
{
	struct each *c = ctx;
	int (*fn)(void *, const struct wf_remedy_row *) =
	    (int (*)(void *, const struct wf_remedy_row *))c->fn;
	struct wf_remedy_row m;

	m.id = st_row_int(r, 0);
	m.unit_id = st_row_int(r, 1);
	m.stage = st_row_text(r, 2);
	m.text = st_row_text(r, 3);
	m.deadline = day_of(st_row_text(r, 4));
	m.transition_id = st_row_int(r, 5);
	m.finding_id = st_row_int(r, 6);
	m.done_at = st_row_text(r, 7);
	m.done_by = st_row_int(r, 8);
	m.done_login = st_row_text(r, 9);
	m.done_on = day_of(st_row_text(r, 10));
	m.evidence = st_row_text(r, 11);
	return fn(c->ctx, &m);
}

enum xj_err
store_wf_remedies_each(struct store *st, int64_t unit, int open_only,
                       int (*fn)(void *ctx, const struct wf_remedy_row *r),
                       void *ctx, struct xj_error *err)
{
	struct each c = { (void *)fn, ctx };
	struct sval p[2] = { SV_ID(unit), SV_INT(open_only != 0) };

	return st_each(st, STMT_WF_REMEDIES, p, NPARAM(p), take_remedy, &c,
	               err);
}

enum xj_err store_wf_extension_add(struct store *st, int64_t unit,
                                   const char *stage, int32_t until,
                                   const char *reason, int64_t transition_id,
                                   struct xj_error *err)
{
	struct st_datebuf d;
	struct sval p[5];
	enum xj_err e;

	p[0] = SV_INT(unit);
	p[1] = SV_STR(stage);
	p[2] = st_date(until, &d);
	p[3] = SV_TEXT(reason);
	p[4] = SV_INT(transition_id);
	e = st_exec(st, STMT_WF_EXTENSION_INSERT, p, NPARAM(p), err);
	if (e == XJ_EINVAL)
		return xj_error_field(err, XJ_EINVAL, "reason",
		                      "延期须写明理由");
	if (e != XJ_OK)
		return e;
	return audit_append(st, "deadline.extend", "extension", st_last_id(st),
	                    err, "unit=%lld\nstage=%s\nuntil=%s\nreason=%s",
	                    (long long)unit, stage, d.s, reason);
}

struct change_ctx {
	int (*fn)(void *, int64_t, const char *, int32_t);
	void *ctx;
};

static int take_change(void *ctx, const struct st_row *r)
{
	struct change_ctx *c = ctx;

	return c->fn(c->ctx, st_row_int(r, 0), st_row_text(r, 1),
	             day_of(st_row_text(r, 2)));
}

enum xj_err store_scan_stage_changes(struct store *st,
                                     int (*fn)(void *ctx, int64_t unit,
                                               const char *stage,
                                               int32_t on_date),
                                     void *ctx, struct xj_error *err)
{
	struct change_ctx c = { fn, ctx };

	return st_each(st, STMT_WF_STAGE_CHANGES, NULL, 0, take_change, &c,
	               err);
}

/* --- 明查暗访 ------------------------------------------------------------ */

enum xj_err store_spot_check_add(struct store *st,
                                 const struct spot_check_row *sc,
                                 const int64_t *units, const int64_t *systems,
                                 int n, int64_t *id, struct xj_error *err)
{
	struct st_datebuf d;
	struct sval p[6];
	enum xj_err e;
	int64_t newid;
	int i;

	p[0] = SV_STR(sc->stage);
	p[1] = SV_INT(sc->seed);
	p[2] = SV_INT(sc->per_system);
	p[3] = SV_ID(sc->batch);
	p[4] = st_date(sc->on_date, &d);
	p[5] = SV_ID(st->actor);
	e = st_exec(st, STMT_SPOT_INSERT, p, NPARAM(p), err);
	if (e != XJ_OK)
		return e;
	newid = st_last_id(st);
	for (i = 0; i < n && e == XJ_OK; i++) {
		struct sval q[4] = { SV_INT(newid), SV_INT(units[i]),
			             SV_INT(systems[i]), SV_INT(i + 1) };

		e = st_exec(st, STMT_SPOT_UNIT_INSERT, q, NPARAM(q), err);
	}
	if (e != XJ_OK)
		return e;
	if (id != NULL)
		*id = newid;
	return audit_append(st, "spotcheck.draw", "spotcheck", newid, err,
	                    "stage=%s\nseed=%lld\nper_system=%d\nbatch=%d\n"
	                    "on=%s\nunits=%d",
	                    sc->stage, (long long)sc->seed, sc->per_system,
	                    sc->batch, d.s, n);
}

static int take_spot(void *ctx, const struct st_row *r)
{
	struct each *c = ctx;
	int (*fn)(void *, const struct spot_check_row *) =
	    (int (*)(void *, const struct spot_check_row *))c->fn;
	struct spot_check_row s;

	s.id = st_row_int(r, 0);
	s.stage = st_row_text(r, 1);
	s.seed = st_row_int(r, 2);
	s.per_system = (int)st_row_int(r, 3);
	s.batch = (int)st_row_int(r, 4);
	s.on_date = day_of(st_row_text(r, 5));
	s.at = st_row_text(r, 6);
	s.actor_id = st_row_int(r, 7);
	s.actor_login = st_row_text(r, 8);
	return fn(c->ctx, &s);
}

enum xj_err store_spot_checks_each(struct store *st, int64_t id,
                                   int (*fn)(void *ctx,
                                             const struct spot_check_row *s),
                                   void *ctx, struct xj_error *err)
{
	struct each c = { (void *)fn, ctx };
	struct sval p[1] = { SV_ID(id) };

	return st_each(st, STMT_SPOT_CHECKS, p, NPARAM(p), take_spot, &c, err);
}

static int take_spot_unit(void *ctx, const struct st_row *r)
{
	struct each *c = ctx;
	int (*fn)(void *, const struct spot_unit_row *) =
	    (int (*)(void *, const struct spot_unit_row *))c->fn;
	struct spot_unit_row u;

	u.unit_id = st_row_int(r, 0);
	u.code = st_row_text(r, 1);
	u.name = st_row_text(r, 2);
	u.system_id = st_row_int(r, 3);
	u.system_name = st_row_text(r, 4);
	u.position = (int)st_row_int(r, 5);
	return fn(c->ctx, &u);
}

enum xj_err store_spot_units_each(struct store *st, int64_t spot_check,
                                  int (*fn)(void *ctx,
                                            const struct spot_unit_row *u),
                                  void *ctx, struct xj_error *err)
{
	struct each c = { (void *)fn, ctx };
	struct sval p[1] = { SV_INT(spot_check) };

	return st_each(st, STMT_SPOT_UNITS, p, NPARAM(p), take_spot_unit, &c,
	               err);
}

enum xj_err store_spot_drawn(struct store *st, int64_t spot_check, int64_t unit,
                             int *drawn, struct xj_error *err)
{
	struct sval p[2] = { SV_INT(spot_check), SV_INT(unit) };
	int64_t n = 0;
	enum xj_err e =
	    st_int(st, STMT_SPOT_DRAWN, p, NPARAM(p), &n, NULL, err);

	*drawn = e == XJ_OK && n > 0;
	return e;
}

enum xj_err store_spot_finding_add(struct store *st,
                                   const struct spot_finding_row *f,
                                   int64_t *id, struct xj_error *err)
{
	struct st_datebuf d;
	struct sval p[7];
	enum xj_err e;
	int64_t newid;

	p[0] = SV_INT(f->spot_check_id);
	p[1] = SV_INT(f->unit_id);
	p[2] = SV_STR(f->mode);
	p[3] = SV_STR(f->text);
	p[4] = SV_INT(f->remedy != 0);
	p[5] = st_date(f->on_date, &d);
	p[6] = SV_ID(st->actor);
	e = st_exec(st, STMT_SPOT_FINDING_INSERT, p, NPARAM(p), err);
	if (e != XJ_OK)
		return e;
	newid = st_last_id(st);
	if (id != NULL)
		*id = newid;
	return audit_append(st, "spotcheck.finding", "finding", newid, err,
	                    "spotcheck=%lld\nunit=%lld\nmode=%s\ntext=%s\n"
	                    "remedy=%d\non=%s",
	                    (long long)f->spot_check_id, (long long)f->unit_id,
	                    f->mode, f->text, f->remedy != 0, d.s);
}

static int take_finding(void *ctx, const struct st_row *r)
{
	struct each *c = ctx;
	int (*fn)(void *, const struct spot_finding_row *) =
	    (int (*)(void *, const struct spot_finding_row *))c->fn;
	struct spot_finding_row f;

	f.id = st_row_int(r, 0);
	f.spot_check_id = st_row_int(r, 1);
	f.unit_id = st_row_int(r, 2);
	f.code = st_row_text(r, 3);
	f.name = st_row_text(r, 4);
	f.mode = st_row_text(r, 5);
	f.text = st_row_text(r, 6);
	f.remedy = (int)st_row_int(r, 7);
	f.on_date = day_of(st_row_text(r, 8));
	f.at = st_row_text(r, 9);
	f.actor_id = st_row_int(r, 10);
	f.actor_login = st_row_text(r, 11);
	return fn(c->ctx, &f);
}

enum xj_err
store_spot_findings_each(struct store *st, int64_t spot_check,
                         int (*fn)(void *ctx, const struct spot_finding_row *f),
                         void *ctx, struct xj_error *err)
{
	struct each c = { (void *)fn, ctx };
	struct sval p[1] = { SV_INT(spot_check) };

	return st_each(st, STMT_SPOT_FINDINGS, p, NPARAM(p), take_finding, &c,
	               err);
}
