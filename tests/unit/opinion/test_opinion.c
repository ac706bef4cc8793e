/*
 * Opinions (征求意见, DOMAIN.md §6): every bad input refused with its
 * field and nothing stored, anonymity down to every table, who sees what
 * (store queries), publication, feedback, and statistics against hand
 * counts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/harness.h"
#include "xianjiao/date.h"
#include "xianjiao/opinion.h"
#include "xianjiao/store.h"

/*
 *   root R ── unit A ── 领导班子 LB, branch A1 (甲 sec, 乙), branch A2 (丙)
 *          └─ unit B ── branch B1 (丁)
 */
struct fx {
	char *dir, *path;
	struct store *st;
	int64_t root, ua, lb, a1, a2, ub, b1;
	int64_t jia, yi, bing, ding;
	int64_t office, unita, seca1, u_yi, u_bing;
};

static int64_t org(struct fx *f, int64_t parent, const char *code,
                   enum org_type t, int unit)
{
	struct org o = { .parent_id = parent,
		         .type = t,
		         .name = code,
		         .code = code,
		         .is_unit = unit };
	struct xj_error err;
	int64_t id;

	assert_int_equal(store_org_insert(f->st, &o, &id, &err), XJ_OK);
	return id;
}

static int64_t member(struct fx *f, int64_t branch, const char *name)
{
	struct member m = { .org_id = branch, .name = name };
	struct xj_error err;
	int64_t id;

	assert_int_equal(store_member_insert(f->st, &m, &id, &err), XJ_OK);
	return id;
}

static int64_t user(struct fx *f, const char *login, int64_t member_id,
                    enum role role, int64_t org_id)
{
	struct grant g = { .role = role, .org_id = org_id };
	struct xj_error err;

	assert_int_equal(store_user_insert(f->st, login, login, NULL, member_id,
	                                   &g.user_id, &err),
	                 XJ_OK);
	assert_int_equal(store_grant_add(f->st, &g, NULL, &err), XJ_OK);
	return g.user_id;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct campaign c = { 0, "活动", date_from_ymd(2005, 1, 6),
		              date_from_ymd(2005, 12, 31) };
	struct xj_error err;
	int64_t cid;

	f->dir = tmpdir_make();
	f->path = path_join(f->dir, "o.db");
	assert_int_equal(store_open(f->path, STORE_CREATE, &f->st, &err),
	                 XJ_OK);
	assert_int_equal(store_campaign_insert(f->st, &c, &cid, &err), XJ_OK);
	f->root = org(f, 0, "R", ORG_COMMITTEE, 0);
	f->ua = org(f, f->root, "A", ORG_COMMITTEE, 1);
	f->lb = org(f, f->ua, "A-LB", ORG_LEADERSHIP, 0);
	f->a1 = org(f, f->ua, "A1", ORG_BRANCH, 0);
	f->a2 = org(f, f->ua, "A2", ORG_BRANCH, 0);
	f->ub = org(f, f->root, "B", ORG_COMMITTEE, 1);
	f->b1 = org(f, f->ub, "B1", ORG_BRANCH, 0);
	f->jia = member(f, f->a1, "甲");
	f->yi = member(f, f->a1, "乙");
	f->bing = member(f, f->a2, "丙");
	f->ding = member(f, f->b1, "丁");
	f->office = user(f, "office", 0, ROLE_OFFICE, 0);
	f->unita = user(f, "unita", 0, ROLE_UNIT, f->ua);
	f->seca1 = user(f, "seca1", f->jia, ROLE_SECRETARY, f->a1);
	f->u_yi = user(f, "yi", f->yi, ROLE_MEMBER, 0);
	f->u_bing = user(f, "bing", f->bing, ROLE_MEMBER, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	store_close(f->st);
	tmpdir_remove(f->dir);
	free(f->path);
	free(f->dir);
	free(f);
	return 0;
}

static struct opinion_in base(struct fx *f)
{
	struct opinion_in in;

	memset(&in, 0, sizeof(in));
	in.org_id = f->a1;
	in.channel = OPC_BOX;
	in.target = OPT_MEMBER;
	in.target_member_id = f->yi;
	in.anonymous = 1;
	in.text = "学习笔记抄书";
	in.received_on = date_from_ymd(2005, 2, 10);
	in.stage = OPS_LEARN;
	return in;
}

static int64_t add(struct fx *f, const struct opinion_in *in)
{
	struct xj_error err;
	int64_t id = 0;

	assert_int_equal(store_begin(f->st, &err), XJ_OK);
	if (opinion_add(f->st, in, &id, &err) != XJ_OK)
		fail_msg("opinion_add: %s (%s)", err.msg, err.field);
	assert_int_equal(store_commit(f->st, &err), XJ_OK);
	return id;
}

static int64_t count(struct fx *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int64_t n = -1;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

/* Refused with field, nothing stored (not even an audit entry). */
static void refused(struct fx *f, const struct opinion_in *in,
                    const char *field, const char *msg)
{
	int64_t before = count(f, "SELECT count(*) FROM opinions");
	int64_t audit = count(f, "SELECT count(*) FROM audit_log");
	struct xj_error err;
	int64_t id = 0;

	assert_int_equal(store_begin(f->st, &err), XJ_OK);
	assert_int_not_equal(opinion_add(f->st, in, &id, &err), XJ_OK);
	store_rollback(f->st);
	assert_string_equal(err.field, field);
	if (strstr(err.msg, msg) == NULL)
		fail_msg("message '%s' lacks '%s'", err.msg, msg);
	assert_int_equal(count(f, "SELECT count(*) FROM opinions"), before);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log"), audit);
}

static void test_bad_input(void **state)
{
	struct fx *f = *state;
	struct opinion_in in;

	in = base(f);
	in.channel = OPC__MAX;
	refused(f, &in, "channel", "未知的征求意见渠道");
	in = base(f);
	in.channel = -1;
	refused(f, &in, "channel", "未知的征求意见渠道");
	in = base(f);
	in.target = OPT__MAX;
	refused(f, &in, "target", "未知的意见对象");
	in = base(f);
	in.stage = 2;
	refused(f, &in, "stage", "学习动员或分析评议");
	in = base(f);
	in.giver_name = "张三";
	refused(f, &in, "giver_name", "匿名意见不能记录提意见人");
	in = base(f);
	in.giver_contact = "13800000000";
	refused(f, &in, "giver_contact", "联系方式");
	in = base(f);
	in.anonymous = 0;
	refused(f, &in, "giver_name", "记名意见须写明提意见人");
	in = base(f);
	in.anonymous = 0;
	in.channel = OPC_FORM;
	in.giver_name = "张三";
	refused(f, &in, "anonymous", "无记名");
	in = base(f);
	in.text = "";
	refused(f, &in, "text", "意见内容不能为空");
	in = base(f);
	in.text = "  \n ";
	refused(f, &in, "text", "意见内容不能为空");
	in = base(f);
	in.text = NULL;
	refused(f, &in, "text", "意见内容不能为空");
	in = base(f);
	in.text = "\xff\xfe";
	refused(f, &in, "text", "");
	in = base(f);
	in.received_on = 0;
	refused(f, &in, "received_on", "日期");
	in = base(f);
	in.target_member_id = 9999;
	refused(f, &in, "target_member_id", "党员不存在");
	in = base(f);
	in.target_member_id = 0;
	refused(f, &in, "target_member_id", "请指明是哪位党员");
	in = base(f);
	in.target_org_id = f->a1;
	refused(f, &in, "target_org_id", "应指明党员而不是组织");
	in = base(f);
	in.org_id = 9999;
	refused(f, &in, "org_id", "征求意见的组织不存在");
	in = base(f);
	in.target = OPT_TEAM;
	in.target_member_id = 0;
	in.target_org_id = f->a1;
	refused(f, &in, "target_org_id", "不是领导班子");
	in = base(f);
	in.target = OPT_BRANCH;
	in.target_member_id = 0;
	in.target_org_id = f->lb;
	refused(f, &in, "target_org_id", "不是党支部");
	in = base(f);
	in.target = OPT_ORG;
	in.target_member_id = 0;
	refused(f, &in, "target_org_id", "请指明是哪个组织");
	in = base(f);
	in.supersedes = 9999;
	refused(f, &in, "supersedes", "要更正的意见");
}

struct seen {
	int n;
	int64_t ids[16];
	char giver[16][64];
};

static int take(void *ctx, const struct opinion_row *o)
{
	struct seen *s = ctx;

	if (s->n < 16) {
		s->ids[s->n] = o->id;
		snprintf(s->giver[s->n], sizeof(s->giver[0]), "%s",
		         o->giver_name);
		s->n++;
	}
	return 0;
}

static struct seen list(struct fx *f, int64_t user, unsigned mask, int64_t org,
                        int64_t member)
{
	struct seen s;
	struct xj_error err;

	memset(&s, 0, sizeof(s));
	assert_int_equal(
	    store_opinions_list(f->st, user, mask, org, member, take, &s, &err),
	    XJ_OK);
	return s;
}

static int has(const struct seen *s, int64_t id)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->ids[i] == id)
			return 1;
	return 0;
}

static void step(struct fx *f, enum xj_err want, int which, int64_t id)
{
	struct xj_error err;
	int32_t on = date_from_ymd(2005, 2, 20);
	enum xj_err e;

	assert_int_equal(store_begin(f->st, &err), XJ_OK);
	store_set_actor(f->st, f->seca1);
	e = which == 0
	        ? opinion_classify(f->st, id, OPK_SELF, OPD_WORK, on, &err)
	    : which == 1 ? opinion_publish(f->st, id, "公示栏", on, &err)
	                 : opinion_feedback(f->st, id, "结合谈心", on, &err);
	store_set_actor(f->st, 0);
	if (e == XJ_OK)
		assert_int_equal(store_commit(f->st, &err), XJ_OK);
	else
		store_rollback(f->st);
	if (e != want)
		fail_msg("step %d on %lld: %d (%s), want %d", which,
		         (long long)id, e, err.msg, want);
}

static void test_anonymous_leaves_no_giver(void **state)
{
	struct fx *f = *state;
	struct opinion_in in = base(f);
	sqlite3 *db;
	sqlite3_stmt *t;
	int64_t id;
	int tables = 0;

	in.text = "匿名意见：会风不正";
	id = add(f, &in);
	(void)id;
	/* a named one for contrast: its giver is found, so the search
	 * would see one */
	in = base(f);
	in.anonymous = 0;
	in.giver_name = "王实名";
	in.giver_contact = "wang@example.cn";
	add(f, &in);
	assert_int_equal(count(f, "SELECT count(*) FROM opinions WHERE"
	                          " anonymous = 1 AND (giver_name IS NOT NULL"
	                          " OR giver_contact IS NOT NULL)"),
	                 0);
	/* every text column of every table: the named giver appears only
	 * in opinions.giver_name, never in the audit log */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT name FROM sqlite_master "
	                                    "WHERE type = 'table'",
	                                    -1, &t, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(t) == SQLITE_ROW) {
		char sql[256];
		sqlite3_stmt *r;
		int cols, c;

		snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"",
		         sqlite3_column_text(t, 0));
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &r, NULL),
		                 SQLITE_OK);
		cols = sqlite3_column_count(r);
		while (sqlite3_step(r) == SQLITE_ROW)
			for (c = 0; c < cols; c++) {
				const char *v =
				    (const char *)sqlite3_column_text(r, c);
				int giver_col =
				    strcmp(sqlite3_column_name(r, c),
				           "giver_name") == 0;

				if (v != NULL && strstr(v, "王实名") &&
				    !(giver_col &&
				      strcmp((const char *)sqlite3_column_text(
				                 t, 0),
				             "opinions") == 0))
					fail_msg("giver in %s.%s",
					         sqlite3_column_text(t, 0),
					         sqlite3_column_name(r, c));
				/* an anonymous row has no giver column set */
				if (giver_col && v != NULL &&
				    strstr(v, "王实名") == NULL)
					fail_msg("unexpected giver %s", v);
			}
		sqlite3_finalize(r);
		tables++;
	}
	sqlite3_finalize(t);
	sqlite3_close(db);
	assert_true(tables > 20);
	/* both were audited (the digest itself is one-way) */
	assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE"
	                          " action = 'opinion.add'"),
	                 2);
}

static void test_visibility(void **state)
{
	struct fx *f = *state;
	struct opinion_in in = base(f);
	const unsigned MEM = ROLE_BIT(ROLE_MEMBER);
	struct seen s;
	int64_t about_yi, about_bing, about_jia, about_ding;

	in.anonymous = 0;
	in.giver_name = "背靠背";
	about_yi = add(f, &in);
	in = base(f);
	in.org_id = f->a2;
	in.target_member_id = f->bing;
	about_bing = add(f, &in);
	in = base(f);
	in.target = OPT_BRANCH_HEAD;
	in.target_member_id = f->jia;
	about_jia = add(f, &in);
	in = base(f);
	in.org_id = f->b1;
	in.target_member_id = f->ding;
	about_ding = add(f, &in);

	/* the office sees all four, and the named giver */
	s = list(f, f->office, ROLE_ALL, 0, 0);
	assert_int_equal(s.n, 4);
	assert_string_equal(s.giver[0], "背靠背");
	/* the unit office its unit, with the giver */
	s = list(f, f->unita, ROLE_ALL, 0, 0);
	assert_int_equal(s.n, 3);
	assert_false(has(&s, about_ding));
	assert_string_equal(s.giver[0], "背靠背");
	/* the secretary of A1: its members, never the giver, and not the
	 * opinion about the secretary's own person */
	s = list(f, f->seca1, ROLE_ALL, 0, 0);
	assert_int_equal(s.n, 1);
	assert_true(has(&s, about_yi));
	assert_string_equal(s.giver[0], "");
	assert_false(has(&s, about_jia));
	/* 乙 sees nothing before feedback, nothing about 丙 ever */
	s = list(f, f->u_yi, MEM, 0, f->yi);
	assert_int_equal(s.n, 0);
	step(f, XJ_ECONFLICT, 2, about_yi); /* not classified yet */
	step(f, XJ_OK, 0, about_yi);
	s = list(f, f->u_yi, MEM, 0, f->yi);
	assert_int_equal(s.n, 0); /* classified is not fed back */
	step(f, XJ_OK, 2, about_yi);
	s = list(f, f->u_yi, MEM, 0, 0);
	assert_int_equal(s.n, 1);
	assert_true(has(&s, about_yi));
	assert_string_equal(s.giver[0], ""); /* 背靠背 */
	s = list(f, f->u_bing, MEM, 0, 0);
	assert_int_equal(s.n, 0);
	step(f, XJ_OK, 0, about_bing);
	step(f, XJ_OK, 2, about_bing);
	s = list(f, f->u_yi, MEM, 0, 0);
	assert_int_equal(s.n, 1);
	assert_false(has(&s, about_bing));
	s = list(f, f->u_bing, MEM, 0, 0);
	assert_int_equal(s.n, 1);
	assert_true(has(&s, about_bing));
	/* a personal opinion is not published */
	step(f, XJ_ECONFLICT, 1, about_yi);
	/* the visibility check agrees with the lists */
	{
		struct xj_error err;
		int in_scope = 1;

		assert_int_equal(store_opinion_visible(f->st, f->seca1,
		                                       ROLE_ALL, about_bing,
		                                       &in_scope, &err),
		                 XJ_OK);
		assert_false(in_scope);
		assert_int_equal(store_opinion_visible(f->st, f->u_yi, MEM,
		                                       about_yi, &in_scope,
		                                       &err),
		                 XJ_OK);
		assert_true(in_scope);
	}
}

static int take_count(void *ctx, const struct opinion_row *o)
{
	(void)o;
	(*(int *)ctx)++;
	return 0;
}

static void test_publication_and_correction(void **state)
{
	struct fx *f = *state;
	struct opinion_in in = base(f);
	struct xj_error err;
	int64_t team, corr;
	int n = 0;

	in.org_id = f->ua;
	in.target = OPT_TEAM;
	in.target_member_id = 0;
	in.target_org_id = f->lb;
	in.channel = OPC_FORM;
	team = add(f, &in);
	step(f, XJ_ECONFLICT, 1, team); /* classify first */
	step(f, XJ_OK, 0, team);
	assert_int_equal(
	    store_opinions_published(f->st, f->u_yi, take_count, &n, &err),
	    XJ_OK);
	assert_int_equal(n, 0);
	step(f, XJ_ECONFLICT, 2, team); /* not fed back to anyone */
	step(f, XJ_OK, 1, team);
	/* the unit's members see it; 丁 of unit B would not */
	assert_int_equal(
	    store_opinions_published(f->st, f->u_yi, take_count, &n, &err),
	    XJ_OK);
	assert_int_equal(n, 1);
	n = 0;
	assert_int_equal(
	    store_opinions_published(f->st, f->unita, take_count, &n, &err),
	    XJ_OK);
	assert_int_equal(n, 0); /* not a member */
	/* a correction supersedes: the old one leaves the lists and can
	 * no longer be handled */
	in.text = "班子调研少（更正）";
	in.supersedes = team;
	corr = add(f, &in);
	{
		struct seen s = list(f, f->office, ROLE_ALL, f->ua, 0);

		assert_true(has(&s, corr));
		assert_false(has(&s, team));
	}
	step(f, XJ_ECONFLICT, 0, team);
	refused(f, &in, "supersedes", "已被更正");
	/* append-only */
	{
		sqlite3 *db;

		assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
		assert_int_not_equal(
		    sqlite3_exec(db, "UPDATE opinions SET text = 'x'", NULL,
		                 NULL, NULL),
		    SQLITE_OK);
		assert_int_not_equal(sqlite3_exec(db,
		                                  "DELETE FROM opinion_actions",
		                                  NULL, NULL, NULL),
		                     SQLITE_OK);
		sqlite3_close(db);
	}
}

static void test_stats(void **state)
{
	struct fx *f = *state;
	struct opinion_in in;
	struct opinion_stats s;
	struct xj_error err;
	int i;
	/* hand counts: 3 symposium opinions on A's team, 2 box opinions on
	 * 乙 (one later corrected), 1 letter on branch B1, 1 online on 丁
	 * in stage 2 */
	for (i = 0; i < 3; i++) {
		in = base(f);
		in.org_id = f->ua;
		in.channel = OPC_SYMPOSIUM;
		in.target = OPT_TEAM;
		in.target_member_id = 0;
		in.target_org_id = f->lb;
		add(f, &in);
	}
	in = base(f);
	add(f, &in);
	in.supersedes = add(f, &in);
	in.text = "更正后的意见";
	add(f, &in);
	in = base(f);
	in.org_id = f->ub;
	in.channel = OPC_LETTER;
	in.target = OPT_BRANCH;
	in.target_member_id = 0;
	in.target_org_id = f->b1;
	add(f, &in);
	in = base(f);
	in.org_id = f->b1;
	in.channel = OPC_ONLINE;
	in.target_member_id = f->ding;
	in.stage = OPS_ANALYSE;
	add(f, &in);

	assert_int_equal(opinion_stats(f->st, f->root, &s, &err), XJ_OK);
	assert_int_equal(s.total, 7);
	assert_int_equal(s.channel[OPC_SYMPOSIUM], 3);
	assert_int_equal(s.channel[OPC_BOX], 2);
	assert_int_equal(s.channel[OPC_LETTER], 1);
	assert_int_equal(s.channel[OPC_ONLINE], 1);
	assert_int_equal(s.target[OPT_TEAM], 3);
	assert_int_equal(s.target[OPT_MEMBER], 3);
	assert_int_equal(s.target[OPT_BRANCH], 1);
	assert_int_equal(s.stage[OPS_LEARN], 6);
	assert_int_equal(s.stage[OPS_ANALYSE], 1);
	assert_int_equal(s.classified, 0);
	assert_int_equal(s.nunits, 2);
	assert_int_equal(s.units[0].unit_id, f->ua);
	assert_int_equal(s.units[0].count, 5);
	assert_int_equal(s.units[0].target[OPT_TEAM], 3);
	assert_int_equal(s.units[1].unit_id, f->ub);
	assert_int_equal(s.units[1].count, 2);
	opinion_stats_release(&s);
	/* a branch counts only its own */
	assert_int_equal(opinion_stats(f->st, f->a1, &s, &err), XJ_OK);
	assert_int_equal(s.total, 2);
	opinion_stats_release(&s);
}

static void test_names(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < OPC__MAX; i++)
		assert_int_equal(opinion_channel_parse(opinion_channel_name(i)),
		                 i);
	assert_int_equal(opinion_channel_parse("征求意见箱"), OPC_BOX);
	assert_int_equal(opinion_channel_parse("传真"), -1);
	for (i = 0; i < OPT__MAX; i++)
		assert_int_equal(opinion_target_parse(opinion_target_name(i)),
		                 i);
	for (i = 0; i < OPK__MAX; i++)
		assert_int_equal(
		    opinion_category_parse(opinion_category_name(i)), i);
	for (i = 0; i < OPD__MAX; i++)
		assert_int_equal(
		    opinion_dimension_parse(opinion_dimension_name(i)), i);
	assert_int_equal(opinion_target_parse(NULL), -1);
	assert_true(opinion_target_is_person(OPT_BRANCH_COMMITTEE));
	assert_false(opinion_target_is_person(OPT_TEAM));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_bad_input, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_anonymous_leaves_no_giver,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_visibility, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_publication_and_correction,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
