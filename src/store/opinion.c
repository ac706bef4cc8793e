/*
 * opinion.c - the rows of opinion solicitation (征求意见, DOMAIN.md §6):
 * opinions and what was done with them. Who may see what is decided in
 * the statements (sql-sqlite.c, OPINION_VISIBLE), never by callers.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "xianjiao/date.h"

#define NPARAM(p) ((int)(sizeof(p) / sizeof((p)[0])))

static int32_t day_of(const char *s)
{
	int32_t d = 0;

	if (s[0] == '\0' || date_parse(s, &d, "date", NULL) != XJ_OK)
		return 0;
	return d;
}

enum xj_err store_opinion_insert(struct store *st,
                                 const struct opinion_insert *o, int64_t *id,
                                 struct xj_error *err)
{
	struct st_datebuf d;
	struct sval p[14];
	enum xj_err e;
	int64_t newid;

	if (o->supersedes != 0) {
		int found = 0, person, superseded, classified;

		e = store_opinion_state(st, o->supersedes, &found, &person,
		                        &superseded, &classified, err);
		if (e != XJ_OK)
			return e;
		if (!found)
			return xj_error_field(err, XJ_ENOTFOUND, "supersedes",
			                      "要更正的意见 %lld 不存在",
			                      (long long)o->supersedes);
		if (superseded)
			return xj_error_field(err, XJ_ECONFLICT, "supersedes",
			                      "意见 %lld 已被更正，请更正最新的"
			                      "一条",
			                      (long long)o->supersedes);
	}
	p[0] = SV_INT(o->org_id);
	p[1] = SV_INT(o->channel);
	p[2] = SV_INT(o->target_kind);
	p[3] = SV_ID(o->target_org_id);
	p[4] = SV_ID(o->target_member_id);
	p[5] = SV_INT(o->home_org_id);
	p[6] = SV_INT(o->anonymous != 0);
	p[7] = o->anonymous ? SV_TEXT(NULL) : SV_TEXT(o->giver_name);
	p[8] = o->anonymous ? SV_TEXT(NULL) : SV_TEXT(o->giver_contact);
	p[9] = SV_STR(o->text);
	p[10] = st_date(o->received_on, &d);
	p[11] = SV_INT(o->stage);
	p[12] = SV_ID(st->actor);
	p[13] = SV_ID(o->supersedes);
	e = st_exec(st, STMT_OPINION_INSERT, p, NPARAM(p), err);
	if (e != XJ_OK)
		return e;
	newid = st_last_id(st);
	if (id != NULL)
		*id = newid;
	/* The giver stays out of the digest: the audit log must not be a
	 * way to learn who said what (DOMAIN.md §19). */
	return audit_append(
	    st, "opinion.add", "opinion", newid, err,
	    "org=%lld\nchannel=%d\ntarget_kind=%d\ntarget_org=%lld\n"
	    "target_member=%lld\nanonymous=%d\ntext=%s\nreceived=%s\n"
	    "stage=%d\nsupersedes=%lld",
	    (long long)o->org_id, o->channel, o->target_kind,
	    (long long)o->target_org_id, (long long)o->target_member_id,
	    o->anonymous != 0, o->text, d.s, o->stage,
	    (long long)o->supersedes);
}

struct state {
	int found, person, superseded, classified;
};

static int take_state(void *ctx, const struct st_row *r)
{
	struct state *s = ctx;

	s->found = 1;
	s->person = (int)st_row_int(r, 0);
	s->superseded = (int)st_row_int(r, 1);
	s->classified = (int)st_row_int(r, 2);
	return 1;
}

enum xj_err store_opinion_state(struct store *st, int64_t id, int *found,
                                int *person, int *superseded, int *classified,
                                struct xj_error *err)
{
	struct sval p[] = { SV_INT(id) };
	struct state s = { 0, 0, 0, 0 };
	enum xj_err e =
	    st_each(st, STMT_OPINION_STATE, p, NPARAM(p), take_state, &s, err);

	*found = s.found;
	*person = s.person;
	*superseded = s.superseded;
	*classified = s.classified;
	return e;
}

enum xj_err store_opinion_action(struct store *st, int64_t id,
                                 const char *action, int category,
                                 int dimension, const char *note,
                                 int32_t on_date, struct xj_error *err)
{
	struct st_datebuf d;
	struct sval p[7];
	int classify = strcmp(action, "classify") == 0;
	enum xj_err e;

	p[0] = SV_INT(id);
	p[1] = SV_STR(action);
	p[2] = classify ? SV_INT(category) : SV_TEXT(NULL);
	p[3] = classify && dimension >= 0 ? SV_INT(dimension) : SV_TEXT(NULL);
	p[4] = SV_TEXT(note);
	p[5] = st_date(on_date, &d);
	p[6] = SV_ID(st->actor);
	e = st_exec(st, STMT_OPINION_ACTION_INSERT, p, NPARAM(p), err);
	if (e != XJ_OK)
		return e;
	return audit_append(st,
	                    action[0] == 'c'   ? "opinion.classify"
	                    : action[0] == 'p' ? "opinion.publish"
	                                       : "opinion.feedback",
	                    "opinion", id, err,
	                    "category=%d\ndimension=%d\nnote=%s\non=%s",
	                    classify ? category : -1, classify ? dimension : -1,
	                    note ? note : "", d.s);
}

enum xj_err store_opinion_visible(struct store *st, int64_t user_id,
                                  unsigned role_mask, int64_t id, int *in,
                                  struct xj_error *err)
{
	struct sval p[] = { SV_INT(user_id), SV_INT(role_mask), SV_INT(id) };
	int64_t v = 0;
	enum xj_err e =
	    st_int(st, STMT_OPINION_VISIBLE, p, NPARAM(p), &v, NULL, err);

	*in = e == XJ_OK && v != 0;
	return e;
}

struct each {
	int (*fn)(void *ctx, const struct opinion_row *o);
	void *ctx;
};

static int take_opinion(void *ctx, const struct st_row *r)
{
	struct each *c = ctx;
	struct opinion_row o;

	o.id = st_row_int(r, 0);
	o.org_id = st_row_int(r, 1);
	o.org_name = st_row_text(r, 2);
	o.channel = (int)st_row_int(r, 3);
	o.target_kind = (int)st_row_int(r, 4);
	o.target_org_id = st_row_int(r, 5);
	o.target_member_id = st_row_int(r, 6);
	o.target_name = st_row_text(r, 7);
	o.anonymous = (int)st_row_int(r, 8);
	o.giver_name = st_row_text(r, 9);
	o.giver_contact = st_row_text(r, 10);
	o.text = st_row_text(r, 11);
	o.received_on = day_of(st_row_text(r, 12));
	o.stage = (int)st_row_int(r, 13);
	o.entered_at = st_row_text(r, 14);
	o.supersedes = st_row_int(r, 15);
	o.category = (int)st_row_int(r, 16);
	o.dimension = (int)st_row_int(r, 17);
	o.published_on = day_of(st_row_text(r, 18));
	o.feedback_on = day_of(st_row_text(r, 19));
	o.feedback_by = st_row_text(r, 20);
	return c->fn(c->ctx, &o);
}

enum xj_err
store_opinions_list(struct store *st, int64_t user_id, unsigned role_mask,
                    int64_t org_id, int64_t member_id,
                    int (*fn)(void *ctx, const struct opinion_row *o),
                    void *ctx, struct xj_error *err)
{
	struct sval p[] = { SV_INT(user_id), SV_INT(role_mask), SV_INT(org_id),
		            SV_INT(member_id) };
	struct each c = { fn, ctx };

	return st_each(st, STMT_OPINIONS_LIST, p, NPARAM(p), take_opinion, &c,
	               err);
}

enum xj_err store_opinions_published(struct store *st, int64_t user_id,
                                     int (*fn)(void *ctx,
                                               const struct opinion_row *o),
                                     void *ctx, struct xj_error *err)
{
	/* mask 0: OPINION_COLS then shows no giver */
	struct sval p[] = { SV_INT(user_id), SV_INT(0) };
	struct each c = { fn, ctx };

	if (user_id == 0)
		return XJ_OK; /* the command line is nobody's member */
	return st_each(st, STMT_OPINIONS_PUBLISHED, p, NPARAM(p), take_opinion,
	               &c, err);
}

struct each_stat {
	int (*fn)(void *ctx, const struct opinion_stat_row *r);
	void *ctx;
};

static int take_stat(void *ctx, const struct st_row *r)
{
	struct each_stat *c = ctx;
	struct opinion_stat_row s;

	s.unit_id = st_row_int(r, 0);
	s.unit_name = st_row_text(r, 1);
	s.channel = (int)st_row_int(r, 2);
	s.target_kind = (int)st_row_int(r, 3);
	s.stage = (int)st_row_int(r, 4);
	s.count = st_row_int(r, 5);
	s.classified = st_row_int(r, 6);
	s.published = st_row_int(r, 7);
	s.fed_back = st_row_int(r, 8);
	return c->fn(c->ctx, &s);
}

enum xj_err store_opinion_stats(struct store *st, int64_t org_id,
                                int (*fn)(void *ctx,
                                          const struct opinion_stat_row *r),
                                void *ctx, struct xj_error *err)
{
	struct sval p[] = { SV_INT(org_id) };
	struct each_stat c = { fn, ctx };

	return st_each(st, STMT_OPINION_STATS, p, NPARAM(p), take_stat, &c,
	               err);
}
