/*
 * entry_add() over every record kind of the reference plan
 * (plans/2005-xianjiao.yaml), read with the plan loader: the kinds and
 * their fields are iterated, never listed here, so a kind added to the
 * plan is covered without touching this file. Per kind, one cmocka test
 * on a fresh store: a payload built from the field definitions is
 * accepted and stored as given; each missing required field, an unknown
 * field, a payload that is not a JSON object, a value outside an enum's
 * or state's list, a blank required text, a bad number, 字数, member or
 * date, a day in the future, a subject who had not yet come or had left,
 * a must_be rule broken, a bad correction are refused with the field
 * named and a message in Chinese, and nothing is stored (records and the
 * audit log counted inside the transaction and again after the
 * rollback). A text's 字数 is read back as text_zishu() counts it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/harness.h"
#include "xianjiao/date.h"
#include "xianjiao/engine.h"
#include "xianjiao/entry.h"
#include "xianjiao/plan.h"
#include "xianjiao/store.h"
#include "xianjiao/text.h"

#define REFERENCE "plans/2005-xianjiao.yaml"
#define TODAY date_from_ymd(2005, 12, 31)
#define NOW ((time_t)1136000000) /* 2005-12-31 */
#define UNKNOWN_FIELD "xj_no_such_field"
/* text_zishu's rule (text.h): 学习 党章 2005 年版 GB18030 编码 40.5 小时
 * Windows; punctuation and spaces not counted. */
#define ZISHU_TEXT "学习《党章》2005年版，GB18030 编码；40.5小时。Windows!"
#define ZISHU_COUNT 14

static struct plan *plan;
static long ncases; /* entry_add calls checked, all kinds */

/*
 *   CITY ── unit U ── branch UB: leader (党员领导干部), member, peer,
 *        │                       came (转入 on CAME_ON), left (转出 on
 *        │                       LEFT_ON), leader_left (党员领导干部,
 *        │                       转出 on LEFT_ON)
 *        └─ unit V ── branch VB: other_leader (党员领导干部)
 */
#define CAME_ON date_from_ymd(2005, 3, 1)
#define LEFT_ON date_from_ymd(2005, 4, 1)

struct fx {
	struct tmpdb db;
	struct store *st;
	int kind;
	int64_t unit, branch, other, other_branch;
	int64_t leader, member, peer, came, left, leader_left, other_leader;
	int32_t day; /* the next day no accepted record of member uses */
	int64_t other_record; /* a record of another kind */
};

static int64_t org(struct fx *f, int64_t parent, const char *code,
                   enum org_type t, int64_t sys, int64_t batch, int unit)
{
	struct org o = { .parent_id = parent,
		         .type = t,
		         .name = code,
		         .code = code,
		         .system_id = sys,
		         .batch_id = batch,
		         .is_unit = unit };
	struct xj_error err;
	int64_t id;

	if (store_org_insert(f->st, &o, &id, &err) != XJ_OK)
		fail_msg("org %s: %s", code, err.msg);
	return id;
}

static int64_t member(struct fx *f, int64_t branch, const char *name,
                      uint32_t categories)
{
	struct member m = { .org_id = branch,
		            .name = name,
		            .categories = categories,
		            .joined_date = date_from_ymd(1990, 7, 1) };
	struct xj_error err;
	int64_t id;

	if (store_member_insert(f->st, &m, &id, &err) != XJ_OK)
		fail_msg("member %s: %s", name, err.msg);
	return id;
}

static void move(struct fx *f, int64_t m, enum movement_kind k, int32_t on,
                 int64_t to)
{
	struct xj_error err;

	if (store_movement(f->st, m, k, on, to, NULL, &err) != XJ_OK)
		fail_msg("movement: %s", err.msg);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct campaign c = { 0, "测试活动", date_from_ymd(2005, 1, 6),
		              date_from_ymd(2005, 12, 31) };
	struct batch b = { 0,
		           0,
		           1,
		           "第一批",
		           date_from_ymd(2005, 1, 6),
		           date_from_ymd(2005, 6, 30) };
	struct xj_system y = { 0, 0, "党群" };
	uint32_t lead = MCAT_BIT(MCAT_ACTIVE) | MCAT_BIT(MCAT_LEADER);
	struct record other;
	struct xj_error err;
	int64_t campaign, batch, sys, root;

	f->kind = (int)(intptr_t)*state;
	tmpdb_make(&f->db, "entry.db");
	if (store_open(f->db.db, STORE_CREATE, &f->st, &err) != XJ_OK)
		fail_msg("open: %s", err.msg);
	assert_int_equal(store_campaign_insert(f->st, &c, &campaign, &err),
	                 XJ_OK);
	b.campaign_id = y.campaign_id = campaign;
	assert_int_equal(store_batch_insert(f->st, &b, &batch, &err), XJ_OK);
	assert_int_equal(store_system_insert(f->st, &y, &sys, &err), XJ_OK);
	root = org(f, 0, "CITY", ORG_COMMITTEE, 0, 0, 0);
	f->unit = org(f, root, "U", ORG_PARTY_GROUP, sys, batch, 1);
	f->branch = org(f, f->unit, "U-B1", ORG_BRANCH, 0, 0, 0);
	f->other = org(f, root, "V", ORG_PARTY_GROUP, sys, batch, 1);
	f->other_branch = org(f, f->other, "V-B1", ORG_BRANCH, 0, 0, 0);
	f->leader = member(f, f->branch, "书记甲", lead);
	f->member = member(f, f->branch, "党员乙", MCAT_BIT(MCAT_ACTIVE));
	f->peer = member(f, f->branch, "党员丙", MCAT_BIT(MCAT_ACTIVE));
	f->came = member(f, f->branch, "转入丁", MCAT_BIT(MCAT_ACTIVE));
	f->left = member(f, f->branch, "转出戊", MCAT_BIT(MCAT_ACTIVE));
	f->leader_left = member(f, f->branch, "转出己", lead);
	f->other_leader = member(f, f->other_branch, "外单位庚", lead);
	move(f, f->came, MOVE_IN, CAME_ON, f->branch);
	move(f, f->left, MOVE_OUT, LEFT_ON, 0);
	move(f, f->leader_left, MOVE_OUT, LEFT_ON, 0);
	/* a record of another kind, for a correction across kinds */
	memset(&other, 0, sizeof(other));
	other.campaign_id = campaign;
	other.kind = plan->kinds[(f->kind + 1) % plan->nkinds].id;
	other.org_id = f->unit;
	other.happened_on = date_from_ymd(2005, 1, 9);
	other.entered_at = NOW;
	other.payload = "{}";
	assert_int_equal(
	    store_record_append(f->st, &other, &f->other_record, &err), XJ_OK);
	f->day = date_from_ymd(2005, 1, 10);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->st);
	tmpdb_remove(&f->db);
	free(f);
	return 0;
}

/* --- counting what is stored ------------------------------------------ */

static int64_t file_count(struct fx *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t n = -1;

	assert_int_equal(sqlite3_open(f->db.db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

struct counts {
	int64_t records, audit;
};

/* As this connection sees them (inside a transaction: its writes too). */
static struct counts seen(struct fx *f)
{
	struct counts c;
	struct xj_error err;

	assert_int_equal(store_count(f->st, COUNT_RECORDS, &c.records, &err),
	                 XJ_OK);
	assert_int_equal(store_audit_last_id(f->st, &c.audit, &err), XJ_OK);
	return c;
}

/* As committed to the file. */
static struct counts stored(struct fx *f)
{
	struct counts c;

	c.records = file_count(f, "SELECT count(*) FROM records");
	c.audit = file_count(f, "SELECT count(*) FROM audit_log");
	return c;
}

/* --- entering ------------------------------------------------------- */

/* Valid UTF-8, not empty, with Chinese in it. */
static void assert_chinese(const char *msg)
{
	size_t len = strlen(msg), i = 0, n;
	uint32_t cp;
	int cjk = 0;

	if (len == 0)
		fail_msg("empty message");
	assert_int_equal(utf8_validate(msg, len, "msg", NULL), XJ_OK);
	while (i < len) {
		n = utf8_decode((const unsigned char *)msg + i, len - i, &cp);
		assert_true(n > 0);
		cjk |= text_is_cjk(cp);
		i += n;
	}
	if (!cjk)
		fail_msg("message without Chinese: %s", msg);
}

struct readback {
	int found;
	char kind[PLAN_ID_MAX];
	int64_t org_id, member_id, supersedes;
	int32_t happened_on;
	char *payload;
};

static int take(void *ctx, const struct scan_record *r)
{
	struct readback *b = ctx;

	b->found = 1;
	snprintf(b->kind, sizeof(b->kind), "%s", r->kind);
	b->org_id = r->org_id;
	b->member_id = r->member_id;
	b->supersedes = r->supersedes;
	b->happened_on = r->happened_on;
	b->payload = strdup(r->payload);
	return 1;
}

/* Accepted, committed, one record and its audit entry more, and read
 * back as given. */
static int64_t accept(struct fx *f, const struct entry *in)
{
	const struct plan_kind *k = &plan->kinds[f->kind];
	struct counts before = stored(f), after;
	struct entry_result res;
	struct readback b;
	struct xj_error err;
	int found;
	enum xj_err e;

	ncases++;
	assert_int_equal(store_begin(f->st, &err), XJ_OK);
	e = entry_add(f->st, plan, in, TODAY, NOW, 0, &res, &err);
	if (e != XJ_OK) {
		store_rollback(f->st);
		fail_msg("%s %s refused: %s (field %s)", in->kind,
		         in->payload ? in->payload : "NULL", err.msg,
		         err.field);
	}
	assert_int_equal(store_commit(f->st, &err), XJ_OK);
	after = stored(f);
	assert_int_equal(after.records, before.records + 1);
	assert_true(after.audit > before.audit);
	assert_true(res.id > 0);
	memset(&b, 0, sizeof(b));
	assert_int_equal(
	    store_record_get(f->st, res.id, take, &b, &found, &err), XJ_OK);
	assert_true(found && b.found);
	assert_string_equal(b.kind, k->id);
	assert_int_equal(b.happened_on, in->happened_on);
	assert_int_equal(b.supersedes, in->supersedes);
	if (k->subject == SUBJECT_MEMBER) {
		assert_int_equal(b.member_id, in->member_id);
		assert_int_equal(b.org_id, res.org_id);
		assert_int_not_equal(b.org_id, 0);
	} else {
		assert_int_equal(b.member_id, 0);
		assert_int_equal(b.org_id, in->org_id);
	}
	assert_string_equal(b.payload, in->payload ? in->payload : "{}");
	free(b.payload);
	return res.id;
}

/* Refused with code and field, a message in Chinese, and nothing
 * written: not inside the transaction, not after it. */
static void refuse(struct fx *f, const struct entry *in, enum xj_err code,
                   const char *field)
{
	struct counts before = stored(f), inside, after;
	struct entry_result res;
	struct xj_error err;
	enum xj_err e;

	ncases++;
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_begin(f->st, &err), XJ_OK);
	e = entry_add(f->st, plan, in, TODAY, NOW, 0, &res, &err);
	inside = seen(f);
	store_rollback(f->st);
	if (e == XJ_OK)
		fail_msg("%s %s on %d accepted, want %s refused", in->kind,
		         in->payload ? in->payload : "NULL",
		         (int)in->happened_on, field);
	if (e != code || strcmp(err.field, field) != 0)
		fail_msg("%s %s: %s (field '%s', code %d), want field '%s' "
		         "code %d",
		         in->kind, in->payload ? in->payload : "NULL", err.msg,
		         err.field, (int)e, field, (int)code);
	assert_chinese(err.msg);
	assert_int_equal(inside.records, before.records);
	assert_int_equal(inside.audit, before.audit);
	after = stored(f);
	assert_int_equal(after.records, before.records);
	assert_int_equal(after.audit, before.audit);
}

/* --- payloads from the field definitions ------------------------------ */

/* A member the field's must_be accepts: in its categories and, when it
 * asks for the same unit, of unit U. */
static int64_t fit_member(struct fx *f, const struct plan_field *fd)
{
	if (fd->must_categories == 0)
		return f->peer;
	if (fd->must_categories & MCAT_BIT(MCAT_LEADER))
		return f->leader;
	fail_msg("the fixture has no member in categories %#x: add one",
	         (unsigned)fd->must_categories);
	return 0;
}

/* The member field whose must_be is conditioned on field i, or -1. */
static int when_of(const struct plan_kind *k, int i)
{
	int g;

	for (g = 0; g < k->nfields; g++)
		if (k->fields[g].type == FIELD_MEMBER &&
		    k->fields[g].must_categories != 0 &&
		    k->fields[g].must_when_field == i)
			return g;
	return -1;
}

static int value_index(const struct plan_field *fd, const char *v)
{
	int i;

	for (i = 0; i < fd->nvalues; i++)
		if (strcmp(fd->values[i], v) == 0)
			return i;
	fail_msg("%s has no value %s", fd->name, v);
	return -1;
}

/* A valid value of field i (with full, the 字数 as a text). An enum
 * that conditions a must_be takes the value that makes it apply. */
static json_t *valid(struct fx *f, const struct plan_kind *k, int i, int full)
{
	const struct plan_field *fd = &k->fields[i];
	int g = when_of(k, i);
	json_t *a;

	switch (fd->type) {
	case FIELD_NUMBER:
		return json_real(1.25);
	case FIELD_ZISHU:
		return full ? json_string(ZISHU_TEXT) : json_integer(3000);
	case FIELD_TEXT:
		/* entry.h: a "start" is HH:MM */
		return json_string(strcmp(fd->name, "start") == 0 ? "08:30"
		                                                  : "学习");
	case FIELD_ENUM:
	case FIELD_STATE:
		if (fd->multiple) {
			a = json_array();
			json_array_append_new(a, json_string(fd->values[0]));
			if (fd->nvalues > 1)
				json_array_append_new(
				    a,
				    json_string(fd->values[fd->nvalues - 1]));
			return a;
		}
		if (g >= 0)
			return json_string(k->fields[g].must_when_value);
		return json_string(fd->values[fd->nvalues - 1]);
	case FIELD_MEMBER:
		return json_integer(fit_member(f, fd));
	case FIELD_DATE:
		return json_string("2005-01-08");
	}
	fail_msg("field %s: a type this test does not know", fd->name);
	return NULL;
}

/* Required fields and the members a must_be requires, or (full) every
 * field. */
static json_t *payload(struct fx *f, const struct plan_kind *k, int full)
{
	json_t *o = json_object();
	int i;

	for (i = 0; i < k->nfields; i++) {
		const struct plan_field *fd = &k->fields[i];

		if (full || fd->required ||
		    (fd->type == FIELD_MEMBER && fd->must_required))
			json_object_set_new(o, fd->name, valid(f, k, i, full));
	}
	return o;
}

/* base with name set to v (stolen), or removed when v is NULL. */
static char *with(const json_t *base, const char *name, json_t *v)
{
	json_t *o = json_deep_copy(base);
	char *s;

	if (v != NULL)
		json_object_set_new(o, name, v);
	else
		json_object_del(o, name);
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

static struct entry on(struct fx *f, const char *payload, int32_t day)
{
	const struct plan_kind *k = &plan->kinds[f->kind];
	struct entry in;

	memset(&in, 0, sizeof(in));
	in.kind = k->id;
	if (k->subject == SUBJECT_MEMBER)
		in.member_id = f->member;
	else
		in.org_id = f->unit;
	in.happened_on = day;
	in.payload = payload;
	return in;
}

/* Refused with field i set to v (stolen). */
static void refuse_value(struct fx *f, const json_t *base, const char *name,
                         json_t *v)
{
	char *s = with(base, name, v);
	struct entry in = on(f, s, f->day);

	refuse(f, &in, XJ_EINVAL, name);
	free(s);
}

/* --- the checks of one field ------------------------------------------ */

static void number_field(struct fx *f, const json_t *base, const char *name)
{
	refuse_value(f, base, name, json_integer(-1));
	refuse_value(f, base, name, json_real(-0.5));
	refuse_value(f, base, name, json_real(1.125));
	refuse_value(f, base, name, json_real(0.001));
	refuse_value(f, base, name, json_string("1"));
	refuse_value(f, base, name, json_true());
	refuse_value(f, base, name, json_array());
	refuse_value(f, base, name, json_integer(PLAN_NUMBER_MAX + 1));
}

/* The 字数 of the stored payload, read as the engine reads it. */
static int64_t stored_zishu(struct fx *f, int64_t id, int field)
{
	struct eng_record r;
	struct readback b;
	struct xj_error err;
	int found;

	memset(&b, 0, sizeof(b));
	assert_int_equal(store_record_get(f->st, id, take, &b, &found, &err),
	                 XJ_OK);
	assert_true(found);
	assert_int_equal(
	    eng_record_from_json(plan, f->kind, b.payload, &r, NULL, &err),
	    XJ_OK);
	free(b.payload);
	return r.num[field];
}

static void zishu_field(struct fx *f, const json_t *base, int i)
{
	const char *name = plan->kinds[f->kind].fields[i].name;
	uint64_t n;
	char *s;
	struct entry in;
	int64_t id;

	refuse_value(f, base, name, json_integer(-1));
	refuse_value(f, base, name, json_real(-2.5));
	refuse_value(f, base, name, json_true());
	refuse_value(f, base, name, json_integer(PLAN_NUMBER_MAX + 1));
	/* a paper copy's count is whole characters */
	refuse_value(f, base, name, json_real(3000.5));
	/* the text is counted by text_zishu()'s documented rule */
	assert_int_equal(text_zishu(ZISHU_TEXT, strlen(ZISHU_TEXT), &n, NULL),
	                 XJ_OK);
	assert_int_equal(n, ZISHU_COUNT);
	s = with(base, name, json_string(ZISHU_TEXT));
	in = on(f, s, f->day++);
	id = accept(f, &in);
	assert_int_equal(stored_zishu(f, id, i), ZISHU_COUNT * PLAN_CENTI);
	free(s);
	/* a paper copy's count as given */
	s = with(base, name, json_integer(3000));
	in = on(f, s, f->day++);
	id = accept(f, &in);
	assert_int_equal(stored_zishu(f, id, i), 3000 * PLAN_CENTI);
	free(s);
}

static void enum_field(struct fx *f, const json_t *base,
                       const struct plan_field *fd)
{
	json_t *a;

	if (!fd->multiple) {
		refuse_value(f, base, fd->name, json_string("不在列表中"));
		refuse_value(f, base, fd->name, json_string(""));
		refuse_value(f, base, fd->name, json_integer(0));
		a = json_array();
		json_array_append_new(a, json_string(fd->values[0]));
		refuse_value(f, base, fd->name, a);
		return;
	}
	/* multiple (load.c, xianjiao-plan(5)): a non-empty list of distinct
	 * values of the field's list */
	refuse_value(f, base, fd->name, json_string(fd->values[0]));
	refuse_value(f, base, fd->name, json_array());
	a = json_array();
	json_array_append_new(a, json_string(fd->values[0]));
	json_array_append_new(a, json_string(fd->values[0]));
	refuse_value(f, base, fd->name, a);
	a = json_array();
	json_array_append_new(a, json_string(fd->values[0]));
	json_array_append_new(a, json_string("不在列表中"));
	refuse_value(f, base, fd->name, a);
	a = json_array();
	json_array_append_new(a, json_integer(1));
	refuse_value(f, base, fd->name, a);
}

static void member_field(struct fx *f, const json_t *base, const char *name)
{
	refuse_value(f, base, name, json_integer(999999));
	refuse_value(f, base, name, json_integer(0));
	refuse_value(f, base, name, json_integer(-3));
	refuse_value(f, base, name, json_integer((json_int_t)INT32_MAX + 1));
	refuse_value(f, base, name, json_string("党员乙"));
	refuse_value(f, base, name, json_real((double)f->peer));
}

/* must_be: who may be named, when its condition holds; anyone who exists
 * when it does not. */
static void must_be(struct fx *f, const json_t *base, int i)
{
	const struct plan_kind *k = &plan->kinds[f->kind];
	const struct plan_field *fd = &k->fields[i];
	json_t *cond = json_deep_copy(base), *other;
	int w = fd->must_when_field;
	char *s;
	struct entry in;

	if (w >= 0)
		json_object_set_new(cond, k->fields[w].name,
		                    json_string(fd->must_when_value));
	if (fd->must_required)
		refuse_value(f, cond, fd->name, NULL);
	if (!(fd->must_categories & MCAT_BIT(MCAT_ACTIVE)))
		refuse_value(f, cond, fd->name, json_integer(f->peer));
	if (fd->must_same_unit) {
		refuse_value(f, cond, fd->name, json_integer(f->other_leader));
		/* of the unit on the record's day: before 转出, not after */
		s = with(cond, fd->name, json_integer(f->leader_left));
		in = on(f, s, LEFT_ON + 1);
		refuse(f, &in, XJ_EINVAL, fd->name);
		if (k->subject == SUBJECT_ORG) {
			in = on(f, s, LEFT_ON - 1);
			accept(f, &in);
		}
		free(s);
	}
	if (w >= 0 && !k->fields[w].multiple && k->fields[w].nvalues > 1) {
		int v = value_index(&k->fields[w], fd->must_when_value);

		other = json_deep_copy(base);
		json_object_set_new(
		    other, k->fields[w].name,
		    json_string(k->fields[w].values[v == 0 ? 1 : 0]));
		s = with(other, fd->name, json_integer(f->peer));
		in = on(f, s, f->day++);
		accept(f, &in);
		free(s);
		s = with(other, fd->name, NULL);
		in = on(f, s, f->day++);
		accept(f, &in);
		free(s);
		json_decref(other);
	}
	json_decref(cond);
}

/* entry.h: at most 24 hours a day by records of one kind, and sessions
 * with a start never overlapping, nor one session entered twice a day. */
static void day_rules(struct fx *f, const json_t *base)
{
	const struct plan_kind *k = &plan->kinds[f->kind];
	int h = plan_field_find(k, "hours"), st = plan_field_find(k, "start");
	int se = plan_field_find(k, "session");
	json_t *o;
	char *s;
	struct entry in;
	int32_t day;

	if (st >= 0 && k->fields[st].type == FIELD_TEXT) {
		refuse_value(f, base, "start", json_string("8:30"));
		refuse_value(f, base, "start", json_string("24:00"));
		refuse_value(f, base, "start", json_string("08:60"));
		refuse_value(f, base, "start", json_string("早上"));
	}
	if (k->subject != SUBJECT_MEMBER)
		return;
	if (h >= 0 && k->fields[h].type == FIELD_NUMBER) {
		refuse_value(f, base, "hours", json_real(24.01));
		day = f->day++;
		o = json_deep_copy(base);
		json_object_del(o, "start");
		json_object_del(o, "session");
		s = with(o, "hours", json_integer(20));
		in = on(f, s, day);
		accept(f, &in);
		free(s);
		s = with(o, "hours", json_real(4.5));
		in = on(f, s, day);
		refuse(f, &in, XJ_EINVAL, "hours");
		free(s);
		s = with(o, "hours", json_integer(4));
		in = on(f, s, day);
		accept(f, &in);
		free(s);
		json_decref(o);
	}
	if (st >= 0 && h >= 0 && k->fields[st].type == FIELD_TEXT) {
		day = f->day++;
		o = json_deep_copy(base);
		json_object_set_new(o, "hours", json_integer(2));
		json_object_del(o, "session");
		s = with(o, "start", json_string("08:30"));
		in = on(f, s, day);
		accept(f, &in);
		free(s);
		s = with(o, "start", json_string("10:00"));
		in = on(f, s, day);
		refuse(f, &in, XJ_EINVAL, "start");
		free(s);
		s = with(o, "start", json_string("10:30"));
		in = on(f, s, day);
		accept(f, &in);
		free(s);
		json_decref(o);
	}
	if (se >= 0 && k->fields[se].type == FIELD_TEXT) {
		day = f->day++;
		o = json_deep_copy(base);
		json_object_del(o, "start");
		if (h >= 0)
			json_object_set_new(o, "hours", json_integer(1));
		s = with(o, "session", json_string("第一讲"));
		in = on(f, s, day);
		accept(f, &in);
		refuse(f, &in, XJ_EINVAL, "session");
		free(s);
		json_decref(o);
	}
}

/* --- the per-kind test ------------------------------------------------- */

static void subject(struct fx *f, const char *full)
{
	const struct plan_kind *k = &plan->kinds[f->kind];
	struct entry in = on(f, full, f->day);

	if (k->subject == SUBJECT_MEMBER) {
		in.member_id = 0;
		refuse(f, &in, XJ_EINVAL, "member_id");
		in.member_id = -1;
		refuse(f, &in, XJ_EINVAL, "member_id");
		in.member_id = 999999;
		refuse(f, &in, XJ_ENOTFOUND, "member_id");
		/* belonged that day: from the day of 转入, until 转出 */
		in = on(f, full, CAME_ON - 1);
		in.member_id = f->came;
		refuse(f, &in, XJ_EINVAL, "member_id");
		in.happened_on = CAME_ON;
		accept(f, &in);
		in = on(f, full, LEFT_ON + 1);
		in.member_id = f->left;
		refuse(f, &in, XJ_EINVAL, "member_id");
		in.happened_on = LEFT_ON;
		refuse(f, &in, XJ_EINVAL, "member_id");
		in.happened_on = LEFT_ON - 1;
		accept(f, &in);
	} else {
		in.member_id = f->member;
		refuse(f, &in, XJ_EINVAL, "member_id");
		in = on(f, full, f->day);
		in.org_id = 0;
		refuse(f, &in, XJ_EINVAL, "org_id");
		in.org_id = 999999;
		refuse(f, &in, XJ_EINVAL, "org_id");
		/* a branch's record, and another unit's */
		in = on(f, full, f->day++);
		in.org_id = f->branch;
		accept(f, &in);
	}
}

static void corrections(struct fx *f, const char *full, int64_t id, int32_t day)
{
	struct entry in = on(f, full, day);
	int64_t fix;

	/* the original's own day: its hours and session are replaced, not
	 * added to */
	in.supersedes = id;
	fix = accept(f, &in);
	/* corrected already (on another day: on the same one, the
	 * correction's own session would be the first thing found) */
	in.happened_on = f->day++;
	refuse(f, &in, XJ_ECONFLICT, "supersedes");
	in.supersedes = 999999;
	refuse(f, &in, XJ_EINVAL, "supersedes");
	in.supersedes = f->other_record;
	refuse(f, &in, XJ_EINVAL, "supersedes");
	/* withdrawn: only by a correction */
	in = on(f, "{\"voided\":true}", day);
	refuse(f, &in, XJ_EINVAL, "voided");
	in.supersedes = fix;
	accept(f, &in);
	in = on(f, "{\"voided\":1}", day);
	in.supersedes = fix;
	refuse(f, &in, XJ_EINVAL, "voided");
}

static void test_kind(void **state)
{
	struct fx *f = *state;
	const struct plan_kind *k = &plan->kinds[f->kind];
	static const char *not_object[] = {
		"[]", "[{}]", "\"{}\"", "3",       "true",      "null",
		"",   "{",    "{}x",    "{'a':1}", "{\"a\" 1}",
	};
	long before = ncases;
	json_t *min = payload(f, k, 0), *full = payload(f, k, 1);
	char *smin = json_dumps(min, JSON_COMPACT);
	char *sfull = json_dumps(full, JSON_COMPACT), *s;
	struct entry in;
	int64_t id;
	int32_t day;
	size_t j;
	int i;

	/* valid: the required fields only, and every field */
	in = on(f, smin, f->day++);
	accept(f, &in);
	day = f->day++;
	in = on(f, sfull, day);
	id = accept(f, &in);
	/* today is not in the future; tomorrow is, and a day is needed */
	in = on(f, sfull, TODAY);
	accept(f, &in);
	in = on(f, sfull, TODAY + 1);
	refuse(f, &in, XJ_EINVAL, "happened_on");
	in = on(f, sfull, TODAY + 400);
	refuse(f, &in, XJ_EINVAL, "happened_on");
	in = on(f, sfull, 0);
	refuse(f, &in, XJ_EINVAL, "happened_on");
	in = on(f, sfull, f->day);
	in.kind = "xj_no_such_kind";
	refuse(f, &in, XJ_EINVAL, "kind");
	in.kind = NULL;
	refuse(f, &in, XJ_EINVAL, "kind");

	/* each required field missing, or null */
	for (i = 0; i < k->nfields; i++) {
		if (!k->fields[i].required)
			continue;
		refuse_value(f, full, k->fields[i].name, NULL);
		refuse_value(f, full, k->fields[i].name, json_null());
	}
	/* an unknown field; not an object; a key twice */
	refuse_value(f, full, UNKNOWN_FIELD, json_string("x"));
	refuse_value(f, min, UNKNOWN_FIELD, json_integer(1));
	for (j = 0; j < sizeof(not_object) / sizeof(not_object[0]); j++) {
		in = on(f, not_object[j], f->day);
		refuse(f, &in, XJ_EINVAL, "payload");
	}
	if (k->nfields > 0) {
		size_t len = strlen(sfull);

		s = malloc(len * 2 + 2);
		memcpy(s, sfull, len - 1);
		s[len - 1] = ',';
		memcpy(s + len, sfull + 1, len); /* ...,"a":1,...} */
		in = on(f, s, f->day);
		refuse(f, &in, XJ_EINVAL, "payload");
		free(s);
	}

	/* the checks of each field's type */
	for (i = 0; i < k->nfields; i++) {
		const struct plan_field *fd = &k->fields[i];

		switch (fd->type) {
		case FIELD_NUMBER:
			number_field(f, full, fd->name);
			break;
		case FIELD_ZISHU:
			zishu_field(f, full, i);
			break;
		case FIELD_TEXT:
			refuse_value(f, full, fd->name, json_integer(1));
			refuse_value(f, full, fd->name, json_array());
			/* required: a blank text is not an answer */
			if (fd->required) {
				refuse_value(f, full, fd->name,
				             json_string(""));
				refuse_value(f, full, fd->name,
				             json_string(" \t　"));
			}
			break;
		case FIELD_ENUM:
		case FIELD_STATE:
			enum_field(f, full, fd);
			break;
		case FIELD_MEMBER:
			member_field(f, full, fd->name);
			if (fd->must_categories != 0)
				must_be(f, full, i);
			break;
		case FIELD_DATE:
			refuse_value(f, full, fd->name,
			             json_string("2005-02-30"));
			refuse_value(f, full, fd->name, json_integer(20050201));
			break;
		}
	}
	day_rules(f, full);
	subject(f, sfull);
	corrections(f, sfull, id, day);
	print_message("%-22s %-8s %d fields: %ld cases\n", k->id,
	              k->subject == SUBJECT_MEMBER ? "member" : "org",
	              k->nfields, ncases - before);
	free(smin);
	free(sfull);
	json_decref(min);
	json_decref(full);
}

int main(void)
{
	struct plan_problems pp;
	struct xj_error err;
	struct CMUnitTest *tests;
	int i, rc;

	if (plan_load(REFERENCE, &plan, &pp, &err) != XJ_OK) {
		fprintf(stderr, "%s: %s\n", REFERENCE, err.msg);
		return 1;
	}
	if (plan->nkinds == 0) {
		fprintf(stderr, "%s: no record kinds\n", REFERENCE);
		return 1;
	}
	tests = calloc((size_t)plan->nkinds, sizeof(*tests));
	for (i = 0; i < plan->nkinds; i++) {
		tests[i].name = plan->kinds[i].id;
		tests[i].test_func = test_kind;
		tests[i].setup_func = setup;
		tests[i].teardown_func = teardown;
		tests[i].initial_state = (void *)(intptr_t)i;
	}
	rc = _cmocka_run_group_tests("entry: every kind of " REFERENCE, tests,
	                             (size_t)plan->nkinds, NULL, NULL);
	printf("%d record kinds, %ld entry_add cases\n", plan->nkinds, ncases);
	free(tests);
	plan_free(plan);
	return rc;
}
