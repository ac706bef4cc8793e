/*
 * route-opinion.c - opinion solicitation (征求意见, DOMAIN.md §6) over
 * HTTP. The router checks roles and the scope of the path's organisation,
 * member or opinion (SCOPE_OPINION: the lists' own visibility); what a
 * list shows, giver included, is decided by the store's queries.
 */
#include <string.h>
#include <time.h>

#include "internal.h"
#include "request.h"
#include "xianjiao/date.h"
#include "xianjiao/opinion.h"
#include "xianjiao/store.h"

#define HANDLER_ROLES                                                          \
	(ROLE_BIT(ROLE_OFFICE) | ROLE_BIT(ROLE_UNIT) | ROLE_BIT(ROLE_SECRETARY))
#define STATS_ROLES (HANDLER_ROLES | ROLE_BIT(ROLE_SUPERVISOR))

static const struct field opinion_fields[] = {
	{ "org_id", FIELD_ID, 1, 0, 0 },
	{ "channel", FIELD_STRING, 1, 1, 16 },
	{ "target", FIELD_STRING, 1, 1, 16 },
	{ "target_org_id", FIELD_ID, 0, 0, 0 },
	{ "target_member_id", FIELD_ID, 0, 0, 0 },
	{ "anonymous", FIELD_INT, 1, 0, 1 },
	{ "giver_name", FIELD_STRING, 0, 0, OPINION_GIVER_MAX },
	{ "giver_contact", FIELD_STRING, 0, 0, OPINION_GIVER_MAX },
	{ "text", FIELD_STRING, 1, 0, OPINION_TEXT_MAX },
	{ "received_on", FIELD_STRING, 1, 10, 10 },
	{ "stage", FIELD_STRING, 0, 1, 16 },
	{ "supersedes", FIELD_ID, 0, 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static enum xj_err named(int v, const char *field, const char *what,
                         struct xj_error *err)
{
	if (v < 0)
		return xj_error_field(err, XJ_EINVAL, field, "未知的%s", what);
	return XJ_OK;
}

static enum xj_err opinion_post(struct http_req *req, struct xj_error *err)
{
	struct opinion_in in;
	const char *stage;
	struct store *st;
	int64_t id = 0;
	json_t *body;
	enum xj_err e = http_body_json(req, opinion_fields, &body, err);

	if (e != XJ_OK)
		return e;
	memset(&in, 0, sizeof(in));
	in.org_id = body_int(body, "org_id");
	in.channel = opinion_channel_parse(body_str(body, "channel"));
	in.target = opinion_target_parse(body_str(body, "target"));
	stage = body_str(body, "stage");
	in.stage = stage ? opinion_stage_parse(stage) : OPS_LEARN;
	in.target_org_id = body_int(body, "target_org_id");
	in.target_member_id = body_int(body, "target_member_id");
	in.anonymous = (int)body_int(body, "anonymous");
	in.giver_name = body_str(body, "giver_name");
	in.giver_contact = body_str(body, "giver_contact");
	in.text = body_str(body, "text");
	in.supersedes = body_int(body, "supersedes");
	e = named(in.channel, "channel", "征求意见渠道", err);
	if (e == XJ_OK)
		e = named(in.target, "target", "意见对象", err);
	if (e == XJ_OK)
		e = named(in.stage, "stage", "阶段", err);
	if (e == XJ_OK)
		e = date_parse(body_str(body, "received_on"), &in.received_on,
		               "received_on", err);
	/* the soliciting organisation, the target and a corrected opinion
	 * must all lie in the caller's scope */
	if (e == XJ_OK)
		e = http_scope_org(req, in.org_id, "org_id", err);
	if (e == XJ_OK && in.target_org_id != 0)
		e = http_scope_org(req, in.target_org_id, "target_org_id", err);
	if (e == XJ_OK && in.target_member_id != 0)
		e = http_scope_member(req, in.target_member_id,
		                      "target_member_id", err);
	if (e == XJ_OK && in.supersedes != 0)
		e = http_scope_opinion(req, in.supersedes, "supersedes", err);
	if (e == XJ_OK) {
		st = http_store_acquire(req);
		e = http_tx_begin(req, st, err);
		if (e == XJ_OK) {
			e = opinion_add(st, &in, &id, err);
			e = http_tx_end(req, st, e, err);
		}
		http_store_release(req);
	}
	json_decref(body);
	if (e != XJ_OK)
		return e;
	http_reply_json(req, 201, json_pack("{s:I}", "id", (json_int_t)id));
	return XJ_OK;
}

static json_t *day_json(int32_t d)
{
	char buf[DATE_STR_LEN];

	if (d == 0)
		return json_null();
	date_format(d, buf);
	return json_string(buf);
}

static int add_opinion(void *ctx, const struct opinion_row *o)
{
	json_t *j = json_pack(
	    "{s:I,s:I,s:s,s:s,s:s,s:I,s:I,s:s,s:b,s:s,s:o,s:s,s:s,s:I,s:o,"
	    "s:o,s:o,s:o}",
	    "id", (json_int_t)o->id, "org_id", (json_int_t)o->org_id,
	    "org_name", o->org_name, "channel",
	    opinion_channel_name(o->channel), "target",
	    opinion_target_name(o->target_kind), "target_org_id",
	    (json_int_t)o->target_org_id, "target_member_id",
	    (json_int_t)o->target_member_id, "target_name", o->target_name,
	    "anonymous", o->anonymous, "text", o->text, "received_on",
	    day_json(o->received_on), "stage", opinion_stage_name(o->stage),
	    "entered_at", o->entered_at, "supersedes",
	    (json_int_t)o->supersedes, "category",
	    o->category >= 0 ? json_string(opinion_category_name(o->category))
	                     : json_null(),
	    "dimension",
	    o->dimension >= 0
	        ? json_string(opinion_dimension_name(o->dimension))
	        : json_null(),
	    "published_on", day_json(o->published_on), "feedback_on",
	    day_json(o->feedback_on));

	/* present only where the store showed them (struct opinion_row) */
	if (o->giver_name[0])
		json_object_set_new(j, "giver_name",
		                    json_string(o->giver_name));
	if (o->giver_contact[0])
		json_object_set_new(j, "giver_contact",
		                    json_string(o->giver_contact));
	if (o->feedback_on)
		json_object_set_new(j, "feedback_by",
		                    json_string(o->feedback_by));
	json_array_append_new(ctx, j);
	return 0;
}

static enum xj_err reply_list(struct http_req *req, json_t *arr, enum xj_err e)
{
	if (e != XJ_OK) {
		json_decref(arr);
		return e;
	}
	http_reply_json(req, 200, json_pack("{s:o}", "opinions", arr));
	return XJ_OK;
}

static enum xj_err list(struct http_req *req, int64_t org, int64_t member,
                        struct xj_error *err)
{
	json_t *arr = json_array();
	enum xj_err e =
	    store_opinions_list(http_store_acquire(req), req->who.user_id,
	                        req->route->roles & req->who.roles, org, member,
	                        add_opinion, arr, err);

	http_store_release(req);
	return reply_list(req, arr, e);
}

static enum xj_err org_opinions(struct http_req *req, struct xj_error *err)
{
	return list(req, req->params.id[0], 0, err);
}

static enum xj_err member_opinions(struct http_req *req, struct xj_error *err)
{
	return list(req, 0, req->params.id[0], err);
}

static enum xj_err published(struct http_req *req, struct xj_error *err)
{
	json_t *arr = json_array();
	enum xj_err e = store_opinions_published(
	    http_store_acquire(req), req->who.user_id, add_opinion, arr, err);

	http_store_release(req);
	return reply_list(req, arr, e);
}

static const struct field classify_fields[] = {
	{ "category", FIELD_STRING, 1, 1, 64 },
	{ "dimension", FIELD_STRING, 0, 1, 16 },
	{ "date", FIELD_STRING, 0, 10, 10 },
	{ NULL, 0, 0, 0, 0 },
};

static const struct field publish_fields[] = {
	{ "form", FIELD_STRING, 0, 0, OPINION_NOTE_MAX },
	{ "date", FIELD_STRING, 0, 10, 10 },
	{ NULL, 0, 0, 0, 0 },
};

static const struct field feedback_fields[] = {
	{ "note", FIELD_STRING, 0, 0, OPINION_NOTE_MAX },
	{ "date", FIELD_STRING, 0, 10, 10 },
	{ NULL, 0, 0, 0, 0 },
};

enum step { STEP_CLASSIFY, STEP_PUBLISH, STEP_FEEDBACK };

/* One step on the path's opinion (the router checked its visibility). */
static enum xj_err step(struct http_req *req, enum step s, struct xj_error *err)
{
	static const struct field *const fields[] = { classify_fields,
		                                      publish_fields,
		                                      feedback_fields };
	int64_t id = req->params.id[0];
	const char *d, *dim;
	int32_t on = date_beijing(time(NULL));
	int cat = -1, dimension = -1;
	struct store *st;
	json_t *body;
	enum xj_err e = http_body_json(req, fields[s], &body, err);

	if (e != XJ_OK)
		return e;
	d = body_str(body, "date");
	if (d != NULL)
		e = date_parse(d, &on, "date", err);
	if (e == XJ_OK && s == STEP_CLASSIFY) {
		cat = opinion_category_parse(body_str(body, "category"));
		e = named(cat, "category", "问题类别", err);
		dim = body_str(body, "dimension");
		if (e == XJ_OK && dim != NULL) {
			dimension = opinion_dimension_parse(dim);
			e = named(dimension, "dimension", "意见方面", err);
		}
	}
	if (e == XJ_OK) {
		st = http_store_acquire(req);
		e = http_tx_begin(req, st, err);
		if (e == XJ_OK) {
			if (s == STEP_CLASSIFY)
				e = opinion_classify(st, id, cat, dimension, on,
				                     err);
			else if (s == STEP_PUBLISH)
				e = opinion_publish(
				    st, id, body_str(body, "form"), on, err);
			else
				e = opinion_feedback(
				    st, id, body_str(body, "note"), on, err);
			e = http_tx_end(req, st, e, err);
		}
		http_store_release(req);
	}
	json_decref(body);
	if (e != XJ_OK)
		return e;
	http_reply_json(req, 200, json_pack("{s:I}", "id", (json_int_t)id));
	return XJ_OK;
}

static enum xj_err classify(struct http_req *req, struct xj_error *err)
{
	return step(req, STEP_CLASSIFY, err);
}

static enum xj_err publish(struct http_req *req, struct xj_error *err)
{
	return step(req, STEP_PUBLISH, err);
}

static enum xj_err feedback(struct http_req *req, struct xj_error *err)
{
	return step(req, STEP_FEEDBACK, err);
}

static json_t *counts(const int64_t *v, int n, const char *(*name)(int))
{
	json_t *o = json_object();
	int i;

	for (i = 0; i < n; i++)
		json_object_set_new(o, name(i), json_integer(v[i]));
	return o;
}

static enum xj_err stats(struct http_req *req, struct xj_error *err)
{
	struct opinion_stats s;
	json_t *units;
	int i;
	enum xj_err e =
	    opinion_stats(http_store_acquire(req), req->params.id[0], &s, err);

	http_store_release(req);
	if (e != XJ_OK)
		return e;
	units = json_array();
	for (i = 0; i < s.nunits; i++)
		json_array_append_new(
		    units, json_pack("{s:I,s:s,s:I,s:o}", "unit_id",
		                     (json_int_t)s.units[i].unit_id, "name",
		                     s.units[i].name, "count",
		                     (json_int_t)s.units[i].count, "by_target",
		                     counts(s.units[i].target, OPT__MAX,
		                            opinion_target_name)));
	http_reply_json(
	    req, 200,
	    json_pack(
	        "{s:I,s:I,s:I,s:I,s:o,s:o,s:o,s:o}", "total",
	        (json_int_t)s.total, "classified", (json_int_t)s.classified,
	        "published", (json_int_t)s.published, "fed_back",
	        (json_int_t)s.fed_back, "by_channel",
	        counts(s.channel, OPC__MAX, opinion_channel_name), "by_target",
	        counts(s.target, OPT__MAX, opinion_target_name), "by_stage",
	        counts(s.stage, OPS__MAX, opinion_stage_name), "units", units));
	opinion_stats_release(&s);
	return XJ_OK;
}

const struct route routes_opinion[] = {
	{ "POST", "/api/v1/opinions", HANDLER_ROLES, SCOPE_NONE, opinion_post },
	{ "GET", "/api/v1/opinions/published", ROLE_ALL, SCOPE_NONE,
	  published },
	{ "GET", "/api/v1/orgs/{id}/opinions", HANDLER_ROLES, SCOPE_ORG,
	  org_opinions },
	{ "GET", "/api/v1/members/{id}/opinions",
	  HANDLER_ROLES | ROLE_BIT(ROLE_MEMBER), SCOPE_MEMBER,
	  member_opinions },
	{ "POST", "/api/v1/opinions/{id}/classify", HANDLER_ROLES,
	  SCOPE_OPINION, classify },
	{ "POST", "/api/v1/opinions/{id}/publish", HANDLER_ROLES, SCOPE_OPINION,
	  publish },
	{ "POST", "/api/v1/opinions/{id}/feedback", HANDLER_ROLES,
	  SCOPE_OPINION, feedback },
	{ "GET", "/api/v1/orgs/{id}/opinion-stats", STATS_ROLES, SCOPE_ORG,
	  stats },
	{ NULL, NULL, 0, SCOPE_NONE, NULL },
};
