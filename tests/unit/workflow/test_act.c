/*
 * The workflow's steps with their guards: the gate and the office's
 * override, 补课 round trip, deadlines, extensions and the overdue list,
 * stale versions and dates, who may act, the queues, the engine's view of
 * each unit's stage, and the audit log.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../lib/check.h"
#include "fixture.h"

#define D(y, m, d) date_from_ymd((y), (m), (d))

static int setup(void **state)
{
	struct wfx *f = calloc(1, sizeof(*f));

	fx_setup(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fx_teardown(*state);
	free(*state);
	return 0;
}

struct req {
	enum wf_action a;
	int64_t unit;
	const char *item, *text, *reason, *items;
	int32_t date, on;
	int64_t item_id, version;
};

/* Take a step in its own transaction; *msg gets the refusal's text. */
static enum xj_err act(struct wfx *f, int64_t actor, int32_t today,
                       struct req q, struct wf_outcome *o, char *msg,
                       size_t size)
{
	struct wf_request r;
	struct xj_error err;
	enum xj_err e;

	memset(&r, 0, sizeof(r));
	r.action = q.a;
	r.unit = q.unit;
	r.item = q.item;
	r.text = q.text;
	r.reason = q.reason;
	r.items = q.items;
	r.date = q.date;
	r.on = q.on;
	r.item_id = q.item_id;
	r.expect_version = q.version;
	xj_error_clear(&err);
	e = fx_step(f, actor, today, &r, o, &err);
	if (msg != NULL)
		snprintf(msg, size, "%s|%s", err.msg, err.field);
	return e;
}

#define OK(f, actor, today, ...)                                               \
	do {                                                                   \
		char m_[1024];                                                 \
		if (act((f), (actor), (today), (struct req){ __VA_ARGS__ },    \
		        NULL, m_, sizeof(m_)) != XJ_OK)                        \
			fail_msg("refused: %s", m_);                           \
	} while (0)

/* Lookback, self-check and an application that passes the gate. */
static void to_applied(struct wfx *f, int i, int32_t today)
{
	OK(f, f->unit_user, today, .a = WF_LOOKBACK_ANSWER, .unit = f->unit[i],
	   .item = "awareness", .text = "认识提高了");
	OK(f, f->unit_user, today, .a = WF_LOOKBACK_ANSWER, .unit = f->unit[i],
	   .item = "fixed", .text = "能改的都改了");
	OK(f, f->unit_user, today, .a = WF_SELFCHECK_SUBMIT, .unit = f->unit[i],
	   .text = "自查报告：学习 40 小时全部完成");
	OK(f, f->unit_user, today, .a = WF_APPLY, .unit = f->unit[i]);
}

static void test_gate_and_override(void **state)
{
	struct wfx *f = *state;
	struct wf_outcome o;
	char msg[2048];
	json_t *failing, *first;
	struct fx_state s;
	int32_t today = D(2005, 3, 1);

	/* the unit office acts for unit 0 only */
	OK(f, f->unit_user, today, .a = WF_LOOKBACK_ANSWER, .unit = f->unit[0],
	   .item = "awareness", .text = "提高了");
	assert_int_equal(act(f, f->unit_user, today,
	                     (struct req){ .a = WF_LOOKBACK_ANSWER,
	                                   .unit = f->unit[0],
	                                   .item = "nosuch",
	                                   .text = "x" },
	                     NULL, msg, sizeof(msg)),
	                 XJ_EINVAL);
	assert_contains(msg, "学习动员的回头看没有事项 nosuch");
	assert_contains(msg, "（可选：awareness、fixed）|item");
	assert_int_equal(act(f, f->unit_user, today,
	                     (struct req){ .a = WF_LOOKBACK_ANSWER,
	                                   .unit = f->unit[0],
	                                   .item = "fixed",
	                                   .text = " \xe3\x80\x80 " },
	                     NULL, msg, sizeof(msg)),
	                 XJ_EINVAL);
	assert_contains(msg, "回答不能为空|answer");
	/* a self-check with an item unanswered is refused, naming it */
	assert_int_equal(act(f, f->unit_user, today,
	                     (struct req){ .a = WF_SELFCHECK_SUBMIT,
	                                   .unit = f->unit[0],
	                                   .text = "报告" },
	                     &o, msg, sizeof(msg)),
	                 XJ_ECONFLICT);
	assert_contains(msg, "回头看还有 1 项未回答");
	assert_contains(msg, "具备整改条件的问题是否整改了");
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(o.refusal, "unanswered"), 0),
	        "id")),
	    "fixed");
	json_decref(o.refusal);
	OK(f, f->unit_user, today, .a = WF_LOOKBACK_ANSWER, .unit = f->unit[0],
	   .item = "fixed", .text = "整改了");
	OK(f, f->unit_user, today, .a = WF_SELFCHECK_SUBMIT, .unit = f->unit[0],
	   .text = "自查报告");
	/* nothing recorded yet: the application lists the failing gates
	 * with the engine's explanation, down to the members */
	assert_int_equal(act(f, f->unit_user, today,
	                     (struct req){ .a = WF_APPLY, .unit = f->unit[0] },
	                     &o, msg, sizeof(msg)),
	                 XJ_ECONFLICT);
	assert_contains(msg, "2 项转段条件未达标（要求 learn_hours、要求 "
	                     "learn_mobilisation），0 项补课未完成");
	failing = json_object_get(o.refusal, "failing");
	assert_int_equal(json_array_size(failing), 2);
	first = json_array_get(failing, 0);
	assert_string_equal(json_string_value(json_object_get(first, "id")),
	                    "learn_hours");
	assert_int_equal(
	    json_array_size(json_object_get(first, "failing_members")), 3);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(first, "failing_members"), 0),
	        "value")),
	    "0");
	json_decref(o.refusal);
	assert_int_equal(fx_state(f, f->unit[0]).state, WF_SELFCHECK);
	/* the office overrides only with a written reason */
	assert_int_equal(
	    act(f, f->office, today,
	        (struct req){ .a = WF_OVERRIDE, .unit = f->unit[0] }, NULL, msg,
	        sizeof(msg)),
	    XJ_EINVAL);
	assert_contains(msg, "越过转段条件的理由不能为空|reason");
	assert_int_equal(act(f, f->office, today,
	                     (struct req){ .a = WF_OVERRIDE,
	                                   .unit = f->unit[0],
	                                   .reason = "\t\n" },
	                     NULL, msg, sizeof(msg)),
	                 XJ_EINVAL);
	/* and only the office: the unit may not */
	assert_int_equal(workflow_authorize(f->st, f->unit_user,
	                                    wf_action_roles(WF_OVERRIDE),
	                                    f->unit[0], NULL),
	                 XJ_EFORBIDDEN);
	assert_int_equal(act(f, f->office, today,
	                     (struct req){ .a = WF_OVERRIDE,
	                                   .unit = f->unit[0],
	                                   .reason = "封闭学习因汛期顺延，"
	                                             "已另行安排补学" },
	                     &o, msg, sizeof(msg)),
	                 XJ_OK);
	assert_int_equal(o.to, WF_APPLIED);
	s = fx_state(f, f->unit[0]);
	assert_string_equal(s.override, "封闭学习因汛期顺延，已另行安排补学");
	/* the reason is shown with the unit's status and explain */
	{
		struct engine *e;
		struct wf_ctx c = fx_ctx(f, 0, today);
		struct wf_annotations *a;
		struct xj_error err;
		json_t *j, *u;
		size_t i;
		int seen = 0;

		assert_int_equal(engine_build(f->st, f->p, &e, &err), XJ_OK);
		c.e = e;
		assert_int_equal(workflow_annotate(&c, &a, &err), XJ_OK);
		assert_int_equal(
		    eng_status_json(f->st, engine_live(e), -1, 0, 0, &j, &err),
		    XJ_OK);
		json_array_foreach(json_object_get(j, "units"), i, u)
		{
			json_t *t = json_object_get(u, "transition");

			assert_non_null(t);
			if (json_integer_value(json_object_get(u, "id")) !=
			    f->unit[0])
				continue;
			seen = 1;
			assert_string_equal(
			    json_string_value(json_object_get(
			        json_object_get(t, "override"), "reason")),
			    "封闭学习因汛期顺延，已另行安排补学");
			assert_string_equal(
			    json_string_value(json_object_get(t, "state")),
			    "applied");
		}
		assert_true(seen);
		json_decref(j);
		assert_int_equal(eng_explain_json(f->st, engine_live(e), -1,
		                                  f->unit[0], 5, &j, &err),
		                 XJ_OK);
		assert_non_null(json_object_get(
		    json_object_get(json_object_get(json_object_get(j, "unit"),
		                                    "transition"),
		                    "override"),
		    "reason"));
		json_decref(j);
		assert_int_equal(workflow_unit_json(&c, f->unit[0], &j, &err),
		                 XJ_OK);
		assert_string_equal(
		    json_string_value(json_object_get(
		        json_object_get(j, "override"), "reason")),
		    "封闭学习因汛期顺延，已另行安排补学");
		json_decref(j);
		workflow_annotations_free(a);
		engine_free(e);
	}
	/* a unit whose gates pass has nothing to override */
	fx_pass(f, 1, LEARN);
	OK(f, f->office, today, .a = WF_LOOKBACK_ANSWER, .unit = f->unit[1],
	   .item = "awareness", .text = "a");
	OK(f, f->office, today, .a = WF_LOOKBACK_ANSWER, .unit = f->unit[1],
	   .item = "fixed", .text = "b");
	OK(f, f->office, today, .a = WF_SELFCHECK_SUBMIT, .unit = f->unit[1],
	   .text = "c");
	assert_int_equal(act(f, f->office, today,
	                     (struct req){ .a = WF_OVERRIDE,
	                                   .unit = f->unit[1],
	                                   .reason = "不需要" },
	                     &o, msg, sizeof(msg)),
	                 XJ_ECONFLICT);
	assert_contains(msg, "无需越过");
	json_decref(o.refusal);
	OK(f, f->office, today, .a = WF_APPLY, .unit = f->unit[1]);
	assert_string_equal(fx_state(f, f->unit[1]).override, "");
}

static int64_t items[8];
static int nitems;

static int take_item(void *ctx, const struct wf_remedy_row *r)
{
	(void)ctx;
	items[nitems++] = r->id;
	return nitems >= 8;
}

static void test_remedy_round_trip(void **state)
{
	struct wfx *f = *state;
	struct wf_outcome o;
	struct xj_error err;
	char msg[2048];
	int32_t today = D(2005, 3, 5);

	fx_pass(f, 0, LEARN);
	to_applied(f, 0, today);
	OK(f, f->sup[0], today, .a = WF_SIGN, .unit = f->unit[0],
	   .reason = "验收合格");
	/* 补课 needs items, a deadline not before today, and a reason */
	assert_int_equal(act(f, f->office, today,
	                     (struct req){ .a = WF_REMEDY,
	                                   .unit = f->unit[0],
	                                   .reason = "笔记不足",
	                                   .items = " ;\n；",
	                                   .date = D(2005, 3, 20) },
	                     NULL, msg, sizeof(msg)),
	                 XJ_EINVAL);
	assert_contains(msg, "补课须列出至少一项事项（每行一项）|items");
	assert_int_equal(act(f, f->office, today,
	                     (struct req){ .a = WF_REMEDY,
	                                   .unit = f->unit[0],
	                                   .reason = "笔记不足",
	                                   .items = "补写笔记" },
	                     NULL, msg, sizeof(msg)),
	                 XJ_EINVAL);
	assert_contains(msg, "补课须有完成期限|deadline");
	assert_int_equal(act(f, f->office, today,
	                     (struct req){ .a = WF_REMEDY,
	                                   .unit = f->unit[0],
	                                   .reason = "笔记不足",
	                                   .items = "补写笔记",
	                                   .date = D(2005, 3, 1) },
	                     NULL, msg, sizeof(msg)),
	                 XJ_EINVAL);
	assert_contains(msg, "不能早于办理日期 2005-03-05");
	assert_int_equal(act(f, f->office, today,
	                     (struct req){ .a = WF_REMEDY,
	                                   .unit = f->unit[0],
	                                   .items = "补写笔记",
	                                   .date = D(2005, 3, 20) },
	                     NULL, msg, sizeof(msg)),
	                 XJ_EINVAL);
	assert_contains(msg, "责令补课的理由不能为空|reason");
	assert_int_equal(act(f, f->office, today,
	                     (struct req){ .a = WF_REMEDY,
	                                   .unit = f->unit[0],
	                                   .reason = "学习笔记字数不足",
	                                   .items = "补写学习笔记\n 补开"
	                                            "讨论会 ；补交心得;",
	                                   .date = D(2005, 3, 20) },
	                     &o, msg, sizeof(msg)),
	                 XJ_OK);
	assert_int_equal(o.to, WF_IN_STAGE);
	assert_int_equal(fx_state(f, f->unit[0]).open, 3);
	nitems = 0;
	assert_int_equal(
	    store_wf_remedies_each(f->st, f->unit[0], 1, take_item, NULL, &err),
	    XJ_OK);
	assert_int_equal(nitems, 3);
	/* the items block the application until each is done */
	OK(f, f->unit_user, today, .a = WF_SELFCHECK_SUBMIT, .unit = f->unit[0],
	   .text = "补课后的自查报告");
	assert_int_equal(act(f, f->unit_user, today,
	                     (struct req){ .a = WF_APPLY, .unit = f->unit[0] },
	                     &o, msg, sizeof(msg)),
	                 XJ_ECONFLICT);
	assert_contains(msg, "0 项转段条件未达标，3 项补课未完成");
	assert_int_equal(
	    json_array_size(json_object_get(o.refusal, "open_remedies")), 3);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(o.refusal, "open_remedies"), 1),
	        "text")),
	    "补开讨论会");
	json_decref(o.refusal);
	assert_int_equal(act(f, f->unit_user, today,
	                     (struct req){ .a = WF_REMEDY_DONE,
	                                   .unit = f->unit[0],
	                                   .item_id = items[0] },
	                     NULL, msg, sizeof(msg)),
	                 XJ_EINVAL);
	assert_contains(msg, "完成情况和佐证不能为空|evidence");
	OK(f, f->unit_user, today, .a = WF_REMEDY_DONE, .unit = f->unit[0],
	   .item_id = items[0], .text = "已补写，支部书记审阅");
	assert_int_equal(act(f, f->unit_user, today,
	                     (struct req){ .a = WF_REMEDY_DONE,
	                                   .unit = f->unit[0],
	                                   .item_id = items[0],
	                                   .text = "again" },
	                     NULL, msg, sizeof(msg)),
	                 XJ_ECONFLICT);
	assert_contains(msg, "已经完成|item");
	/* an item of another unit is not this unit's */
	assert_int_equal(act(f, f->office, today,
	                     (struct req){ .a = WF_REMEDY_DONE,
	                                   .unit = f->unit[1],
	                                   .item_id = items[1],
	                                   .text = "x" },
	                     NULL, msg, sizeof(msg)),
	                 XJ_ENOTFOUND);
	OK(f, f->unit_user, today, .a = WF_REMEDY_DONE, .unit = f->unit[0],
	   .item_id = items[1], .text = "讨论会已开");
	OK(f, f->unit_user, today, .a = WF_REMEDY_DONE, .unit = f->unit[0],
	   .item_id = items[2], .text = "心得已交");
	assert_int_equal(fx_state(f, f->unit[0]).open, 0);
	/* then the unit applies again, is signed off and approved */
	OK(f, f->unit_user, today, .a = WF_APPLY, .unit = f->unit[0]);
	OK(f, f->sup[0], today, .a = WF_SIGN, .unit = f->unit[0]);
	OK(f, f->office, today, .a = WF_APPROVE, .unit = f->unit[0],
	   .reason = "同意转入分析评议阶段");
	assert_string_equal(fx_state(f, f->unit[0]).stage, "review");
	assert_int_equal(fx_state(f, f->unit[0]).state, WF_IN_STAGE);
	/* the unit's page shows the items and their follow-up */
	{
		struct wf_ctx c = fx_ctx(f, 0, today);
		json_t *j, *rem;

		assert_int_equal(workflow_unit_json(&c, f->unit[0], &j, &err),
		                 XJ_OK);
		rem = json_object_get(j, "remedies");
		assert_int_equal(json_array_size(rem), 3);
		assert_false(json_is_true(
		    json_object_get(json_array_get(rem, 0), "open")));
		assert_string_equal(
		    json_string_value(json_object_get(
		        json_object_get(json_array_get(rem, 0), "done"),
		        "evidence")),
		    "已补写，支部书记审阅");
		assert_string_equal(
		    json_string_value(json_object_get(j, "next")),
		    "回头看：逐项回答 1 个问题");
		json_decref(j);
	}
}

static void test_deadlines(void **state)
{
	struct wfx *f = *state;
	struct wf_ctx c;
	struct xj_error err;
	char msg[1024];
	json_t *j, *u;

	/* the plan's window: learn ends 2005-03-10 */
	assert_int_equal(wf_stage_deadline(f->p, 1, LEARN, 0, 0),
	                 D(2005, 3, 10));
	assert_int_equal(wf_stage_deadline(f->p, 2, LEARN, 0, 0), 0);
	assert_int_equal(wf_stage_deadline(f->p, 1, LEARN, 0, D(2005, 4, 1)),
	                 D(2005, 4, 1));
	/* 顺延: entering review 9 days after it opened moves its end back */
	assert_int_equal(wf_stage_deadline(f->p, 1, REVIEW, D(2005, 3, 20), 0),
	                 D(2005, 5, 4));
	assert_int_equal(wf_stage_deadline(f->p, 1, REVIEW, D(2005, 3, 1), 0),
	                 D(2005, 4, 25));
	/* on 3月20日 every unit is 10 days overdue */
	c = fx_ctx(f, 0, D(2005, 3, 20));
	assert_int_equal(workflow_overdue_json(&c, &j, &err), XJ_OK);
	assert_int_equal(
	    json_integer_value(json_object_get(j, "units_overdue")), FX_UNITS);
	u = json_array_get(json_object_get(j, "units"), 0);
	assert_int_equal(json_integer_value(json_object_get(u, "overdue_days")),
	                 10);
	assert_string_equal(json_string_value(json_object_get(u, "deadline")),
	                    "2005-03-10");
	json_decref(j);
	/* an extension needs a reason and a later date */
	assert_int_equal(act(f, f->office, D(2005, 3, 20),
	                     (struct req){ .a = WF_EXTEND,
	                                   .unit = f->unit[2],
	                                   .date = D(2005, 3, 31) },
	                     NULL, msg, sizeof(msg)),
	                 XJ_EINVAL);
	assert_contains(msg, "延期的理由不能为空|reason");
	assert_int_equal(act(f, f->office, D(2005, 3, 20),
	                     (struct req){ .a = WF_EXTEND,
	                                   .unit = f->unit[2],
	                                   .reason = "时间服从质量",
	                                   .date = D(2005, 3, 9) },
	                     NULL, msg, sizeof(msg)),
	                 XJ_EINVAL);
	assert_contains(msg, "新期限须晚于现在的期限 2005-03-10|until");
	assert_int_equal(act(f, f->office, D(2005, 3, 20),
	                     (struct req){ .a = WF_EXTEND,
	                                   .unit = f->unit[2],
	                                   .reason = "时间服从质量" },
	                     NULL, msg, sizeof(msg)),
	                 XJ_EINVAL);
	assert_contains(msg, "请给出新的期限|until");
	OK(f, f->office, D(2005, 3, 20), .a = WF_EXTEND, .unit = f->unit[2],
	   .reason = "时间服从质量：学习笔记展评推迟", .date = D(2005, 3, 31));
	assert_int_equal(workflow_overdue_json(&c, &j, &err), XJ_OK);
	assert_int_equal(
	    json_integer_value(json_object_get(j, "units_overdue")),
	    FX_UNITS - 1);
	json_array_foreach(json_object_get(j, "units"), nitems, u)
	{
		assert_int_not_equal(
		    json_integer_value(json_object_get(u, "id")), f->unit[2]);
	}
	json_decref(j);
	/* a second extension must go further than the first */
	assert_int_equal(act(f, f->office, D(2005, 3, 20),
	                     (struct req){ .a = WF_EXTEND,
	                                   .unit = f->unit[2],
	                                   .reason = "再延",
	                                   .date = D(2005, 3, 31) },
	                     NULL, msg, sizeof(msg)),
	                 XJ_EINVAL);
	assert_contains(msg, "2005-03-31");
	/* an overdue 补课 item is listed too; approving a late unit moves
	 * its next deadline back (顺延) */
	fx_pass(f, 3, LEARN);
	OK(f, f->office, D(2005, 3, 20), .a = WF_LOOKBACK_ANSWER,
	   .unit = f->unit[3], .item = "awareness", .text = "a");
	OK(f, f->office, D(2005, 3, 20), .a = WF_LOOKBACK_ANSWER,
	   .unit = f->unit[3], .item = "fixed", .text = "b");
	OK(f, f->office, D(2005, 3, 20), .a = WF_SELFCHECK_SUBMIT,
	   .unit = f->unit[3], .text = "c");
	OK(f, f->office, D(2005, 3, 20), .a = WF_APPLY, .unit = f->unit[3]);
	OK(f, f->sup[1], D(2005, 3, 20), .a = WF_SIGN, .unit = f->unit[3]);
	OK(f, f->office, D(2005, 3, 20), .a = WF_REMEDY, .unit = f->unit[3],
	   .reason = "讨论不充分", .items = "补开专题讨论",
	   .date = D(2005, 3, 25));
	c = fx_ctx(f, 0, D(2005, 3, 30));
	assert_int_equal(workflow_overdue_json(&c, &j, &err), XJ_OK);
	u = json_array_get(json_object_get(j, "remedies"), 0);
	assert_string_equal(json_string_value(json_object_get(u, "text")),
	                    "补开专题讨论");
	assert_int_equal(json_integer_value(json_object_get(u, "overdue_days")),
	                 5);
	json_decref(j);
}

static void test_versions_and_dates(void **state)
{
	struct wfx *f = *state;
	struct wf_outcome o;
	char msg[1024];
	int32_t today = D(2005, 3, 5);

	OK(f, f->unit_user, today, .a = WF_LOOKBACK_ANSWER, .unit = f->unit[0],
	   .item = "awareness", .text = "a", .version = 0);
	assert_int_equal(fx_state(f, f->unit[0]).version, 1);
	/* acting on a version someone else has moved past is refused */
	assert_int_equal(act(f, f->unit_user, today,
	                     (struct req){ .a = WF_LOOKBACK_ANSWER,
	                                   .unit = f->unit[0],
	                                   .item = "fixed",
	                                   .text = "b",
	                                   .version = 7 },
	                     &o, msg, sizeof(msg)),
	                 XJ_ECONFLICT);
	assert_contains(msg, "现为第 1 版，您看到的是第 7 版");
	assert_int_equal(
	    json_integer_value(json_object_get(o.refusal, "version")), 1);
	json_decref(o.refusal);
	OK(f, f->unit_user, today, .a = WF_LOOKBACK_ANSWER, .unit = f->unit[0],
	   .item = "fixed", .text = "b", .version = 1);
	/* no dates in the future, none before the unit's last step */
	assert_int_equal(act(f, f->unit_user, today,
	                     (struct req){ .a = WF_SELFCHECK_SUBMIT,
	                                   .unit = f->unit[0],
	                                   .text = "r",
	                                   .on = D(2005, 3, 6) },
	                     NULL, msg, sizeof(msg)),
	                 XJ_EINVAL);
	assert_contains(msg, "办理日期不能晚于今天（2005-03-05）|on");
	assert_int_equal(act(f, f->unit_user, today,
	                     (struct req){ .a = WF_SELFCHECK_SUBMIT,
	                                   .unit = f->unit[0],
	                                   .text = "r",
	                                   .on = D(2005, 3, 4) },
	                     NULL, msg, sizeof(msg)),
	                 XJ_EINVAL);
	assert_contains(msg, "办理日期 2005-03-04 早于该单位上一步的日期 "
	                     "2005-03-05|on");
	/* a branch is not a unit */
	assert_int_equal(act(f, f->office, today,
	                     (struct req){ .a = WF_EXTEND,
	                                   .unit = f->branch[0],
	                                   .reason = "x",
	                                   .date = D(2005, 9, 1) },
	                     NULL, msg, sizeof(msg)),
	                 XJ_ENOTFOUND);
	assert_contains(msg, "须为单位，不是支部）|unit");
	{
		struct wf_ctx c = fx_ctx(f, 0, today);
		struct xj_error err;
		json_t *j = NULL;

		assert_int_equal(workflow_unit_json(&c, f->branch[0], &j, &err),
		                 XJ_ENOTFOUND);
		assert_null(j);
		assert_int_equal(
		    workflow_history_json(&c, f->branch[0], &j, &err),
		    XJ_ENOTFOUND);
		assert_int_equal(workflow_unit_json(&c, 0, &j, &err),
		                 XJ_ENOTFOUND);
	}
	/* and a spot-check finding is not taken directly */
	assert_int_equal(
	    act(f, f->office, today,
	        (struct req){ .a = WF_FINDING, .unit = f->unit[0] }, NULL, msg,
	        sizeof(msg)),
	    XJ_EINVAL);
	/* long texts are refused by their length */
	{
		char *big = malloc(WF_REASON_MAX * 3 + 4);
		int i;

		for (i = 0; i <= WF_REASON_MAX; i++)
			memcpy(big + 3 * i, "长", 3);
		big[3 * (WF_REASON_MAX + 1)] = '\0';
		assert_int_equal(act(f, f->office, today,
		                     (struct req){ .a = WF_EXTEND,
		                                   .unit = f->unit[0],
		                                   .reason = big,
		                                   .date = D(2005, 9, 1) },
		                     NULL, msg, sizeof(msg)),
		                 XJ_EINVAL);
		assert_contains(msg, "不能超过 500 个字|reason");
		big[3] = '\xff';
		assert_int_equal(act(f, f->office, today,
		                     (struct req){ .a = WF_EXTEND,
		                                   .unit = f->unit[0],
		                                   .reason = big,
		                                   .date = D(2005, 9, 1) },
		                     NULL, msg, sizeof(msg)),
		                 XJ_EINVAL);
		assert_contains(msg, "UTF-8");
		free(big);
	}
}

static void test_authorize(void **state)
{
	struct wfx *f = *state;
	struct xj_error err;

	/* the unit office: its own unit, unit actions only */
	assert_int_equal(workflow_authorize(f->st, f->unit_user, WF_ROLES_UNIT,
	                                    f->unit[0], &err),
	                 XJ_OK);
	assert_int_equal(workflow_authorize(f->st, f->unit_user, WF_ROLES_UNIT,
	                                    f->unit[1], &err),
	                 XJ_ENOTFOUND);
	assert_int_equal(workflow_authorize(f->st, f->unit_user,
	                                    WF_ROLES_OFFICE, f->unit[0], &err),
	                 XJ_EFORBIDDEN);
	assert_int_equal(workflow_authorize(f->st, f->unit_user,
	                                    WF_ROLES_SUPERVISOR, f->unit[0],
	                                    &err),
	                 XJ_EFORBIDDEN);
	/* a supervisor signs for the units of its own 系统 */
	assert_int_equal(workflow_authorize(f->st, f->sup[0],
	                                    WF_ROLES_SUPERVISOR, f->unit[2],
	                                    &err),
	                 XJ_OK);
	assert_int_equal(workflow_authorize(f->st, f->sup[0],
	                                    WF_ROLES_SUPERVISOR, f->unit[3],
	                                    &err),
	                 XJ_ENOTFOUND);
	assert_int_equal(workflow_authorize(f->st, f->sup[1],
	                                    WF_ROLES_SUPERVISOR, f->unit[3],
	                                    &err),
	                 XJ_OK);
	/* the office everywhere, but it does not sign for the group */
	assert_int_equal(workflow_authorize(f->st, f->office, WF_ROLES_UNIT,
	                                    f->unit[5], &err),
	                 XJ_OK);
	assert_int_equal(workflow_authorize(f->st, f->office,
	                                    WF_ROLES_SUPERVISOR, f->unit[5],
	                                    &err),
	                 XJ_EFORBIDDEN);
	/* a branch secretary takes no part */
	assert_int_equal(workflow_authorize(f->st, f->secretary, WF_ROLES_UNIT,
	                                    f->unit[0], &err),
	                 XJ_EFORBIDDEN);
	/* the command line acts as the office */
	assert_int_equal(
	    workflow_authorize(f->st, 0, WF_ROLES_OFFICE, f->unit[0], &err),
	    XJ_OK);
	assert_int_equal(
	    workflow_authorize(f->st, 0, WF_ROLES_SUPERVISOR, f->unit[0], &err),
	    XJ_EFORBIDDEN);
	assert_contains(err.msg, "--as");
}

static json_t *queue_of(json_t *j, const char *role)
{
	json_t *q;
	size_t i;

	json_array_foreach(json_object_get(j, "queues"), i, q)
	{
		if (strcmp(json_string_value(json_object_get(q, "role")),
		           role) == 0)
			return q;
	}
	return NULL;
}

static void test_queues(void **state)
{
	struct wfx *f = *state;
	struct xj_error err;
	struct wf_ctx c;
	json_t *j, *q;
	int32_t today = D(2005, 3, 12);

	fx_pass(f, 0, LEARN);
	fx_pass(f, 1, LEARN);
	fx_pass(f, 3, LEARN);
	to_applied(f, 0, today);
	OK(f, f->office, today, .a = WF_LOOKBACK_ANSWER, .unit = f->unit[1],
	   .item = "awareness", .text = "a");
	OK(f, f->office, today, .a = WF_LOOKBACK_ANSWER, .unit = f->unit[1],
	   .item = "fixed", .text = "b");
	OK(f, f->office, today, .a = WF_SELFCHECK_SUBMIT, .unit = f->unit[1],
	   .text = "c");
	OK(f, f->office, today, .a = WF_APPLY, .unit = f->unit[1]);
	OK(f, f->office, today, .a = WF_LOOKBACK_ANSWER, .unit = f->unit[3],
	   .item = "awareness", .text = "a");
	OK(f, f->office, today, .a = WF_LOOKBACK_ANSWER, .unit = f->unit[3],
	   .item = "fixed", .text = "b");
	OK(f, f->office, today, .a = WF_SELFCHECK_SUBMIT, .unit = f->unit[3],
	   .text = "c");
	OK(f, f->office, today, .a = WF_APPLY, .unit = f->unit[3]);
	OK(f, f->sup[0], today, .a = WF_SIGN, .unit = f->unit[1]);
	/* supervisor of 系统 0: unit 0 waits for its signature; unit 3
	 * (系统 1) is not its business */
	c = fx_ctx(f, f->sup[0], today);
	assert_int_equal(workflow_queue_json(&c, &j, &err), XJ_OK);
	q = queue_of(j, "supervisor");
	assert_non_null(q);
	assert_null(queue_of(j, "office"));
	assert_int_equal(json_integer_value(json_object_get(q, "count")), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(
	        json_array_get(json_object_get(q, "to_sign"), 0), "id")),
	    f->unit[0]);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
	json_decref(j);
	c = fx_ctx(f, f->sup[1], today);
	assert_int_equal(workflow_queue_json(&c, &j, &err), XJ_OK);
	q = queue_of(j, "supervisor");
	assert_int_equal(
	    json_integer_value(json_object_get(
	        json_array_get(json_object_get(q, "to_sign"), 0), "id")),
	    f->unit[3]);
	json_decref(j);
	/* the office: unit 1 to approve, and 2 overdue units (3月10日) */
	c = fx_ctx(f, f->office, today);
	assert_int_equal(workflow_queue_json(&c, &j, &err), XJ_OK);
	q = queue_of(j, "office");
	assert_int_equal(
	    json_integer_value(json_object_get(q, "to_approve_count")), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(
	        json_array_get(json_object_get(q, "to_approve"), 0), "id")),
	    f->unit[1]);
	assert_int_equal(
	    json_integer_value(json_object_get(q, "overdue_count")), FX_UNITS);
	json_decref(j);
	/* the command line sees the office's queue */
	c = fx_ctx(f, 0, today);
	assert_int_equal(workflow_queue_json(&c, &j, &err), XJ_OK);
	assert_non_null(queue_of(j, "office"));
	assert_string_equal(json_string_value(json_object_get(j, "user")),
	                    "（命令行）");
	json_decref(j);
	/* the unit office: its unit waits for the group, nothing for it */
	c = fx_ctx(f, f->unit_user, today);
	assert_int_equal(workflow_queue_json(&c, &j, &err), XJ_OK);
	q = queue_of(j, "unit");
	assert_int_equal(json_array_size(json_object_get(q, "units")), 1);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(q, "units"), 0), "next")),
	    "等待督导组验收");
	assert_int_equal(json_integer_value(json_object_get(q, "count")), 0);
	json_decref(j);
	/* ... until the group returns it, with reasons */
	{
		char msg[512];

		assert_int_equal(
		    act(f, f->sup[0], today,
		        (struct req){ .a = WF_RETURN, .unit = f->unit[0] },
		        NULL, msg, sizeof(msg)),
		    XJ_EINVAL);
		assert_contains(msg, "退回的理由不能为空|reason");
	}
	OK(f, f->sup[0], today, .a = WF_RETURN, .unit = f->unit[0],
	   .reason = "谈心覆盖面不够");
	assert_int_equal(workflow_queue_json(&c, &j, &err), XJ_OK);
	q = queue_of(j, "unit");
	assert_int_equal(json_integer_value(json_object_get(q, "count")), 1);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(q, "units"), 0), "next")),
	    "提交自查报告");
	json_decref(j);
	/* a branch secretary has no queue */
	c = fx_ctx(f, f->secretary, today);
	assert_int_equal(workflow_queue_json(&c, &j, &err), XJ_OK);
	assert_int_equal(json_array_size(json_object_get(j, "queues")), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 0);
	json_decref(j);
}

static void test_engine_stage(void **state)
{
	struct wfx *f = *state;
	struct engine *e;
	struct eng_view *v;
	struct xj_error err;
	struct wf_ctx c;
	struct wf_outcome o;
	struct wf_request r;
	json_t *j;

	fx_pass(f, 0, LEARN);
	to_applied(f, 0, D(2005, 3, 8));
	OK(f, f->sup[0], D(2005, 3, 9), .a = WF_SIGN, .unit = f->unit[0]);
	/* approval through a live engine keeps it in step */
	assert_int_equal(engine_build(f->st, f->p, &e, &err), XJ_OK);
	assert_int_equal(eng_unit_stage(engine_live(e), f->unit[0]), LEARN);
	c = fx_ctx(f, f->office, D(2005, 3, 12));
	c.e = e;
	memset(&r, 0, sizeof(r));
	r.action = WF_APPROVE;
	r.unit = f->unit[0];
	r.on = D(2005, 3, 11);
	assert_int_equal(store_begin(f->st, &err), XJ_OK);
	assert_int_equal(workflow_act(&c, &r, &o, &err), XJ_OK);
	assert_int_equal(store_commit(f->st, &err), XJ_OK);
	assert_int_equal(o.to_stage, REVIEW);
	assert_int_equal(eng_unit_stage(engine_live(e), f->unit[0]), REVIEW);
	engine_free(e);
	/* and a fresh engine reads it from the store, by date */
	assert_int_equal(engine_build(f->st, f->p, &e, &err), XJ_OK);
	assert_int_equal(eng_unit_stage(engine_live(e), f->unit[0]), REVIEW);
	assert_int_equal(eng_unit_stage(engine_live(e), f->unit[1]), LEARN);
	assert_int_equal(engine_view_at(e, D(2005, 3, 10), &v, &err), XJ_OK);
	assert_int_equal(eng_unit_stage(v, f->unit[0]), LEARN);
	eng_view_free(v);
	assert_int_equal(engine_view_at(e, D(2005, 3, 11), &v, &err), XJ_OK);
	assert_int_equal(eng_unit_stage(v, f->unit[0]), REVIEW);
	eng_view_free(v);
	/* status evaluates each unit on its own stage */
	assert_int_equal(
	    eng_status_json(f->st, engine_live(e), -1, f->unit[0], 0, &j, &err),
	    XJ_OK);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_object_get(json_array_get(json_object_get(j, "units"), 0),
	                        "stage"),
	        "id")),
	    "review");
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(j, "stage"), "id")),
	                    "review");
	json_decref(j);
	assert_int_equal(
	    eng_status_json(f->st, engine_live(e), -1, 0, 0, &j, &err), XJ_OK);
	/* the summary is for the least advanced unit's stage */
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(j, "stage"), "id")),
	                    "learn");
	json_decref(j);
	assert_int_equal(eng_explain_json(f->st, engine_live(e), -1, f->unit[0],
	                                  5, &j, &err),
	                 XJ_OK);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(j, "requirements"), 0), "id")),
	    "review_meeting");
	json_decref(j);
	/* a move before the previous one is refused by the engine */
	assert_int_equal(
	    engine_set_unit_stage(e, f->unit[0], RECTIFY, D(2005, 3, 1), &err),
	    XJ_EINVAL);
	assert_int_equal(engine_set_unit_stage(e, f->branch[0], RECTIFY,
	                                       D(2005, 4, 1), &err),
	                 XJ_EINVAL);
	assert_int_equal(
	    engine_set_unit_stage(e, f->unit[0], 7, D(2005, 4, 1), &err),
	    XJ_EINVAL);
	engine_free(e);
}

struct audit_ctx {
	int64_t ids[256];
	int n;
};

static int take_audit(void *ctx, const struct audit_entry *a)
{
	struct audit_ctx *c = ctx;

	if (strncmp(a->action, "transition.", 11) == 0 && c->n < 256)
		c->ids[c->n++] = a->object_id;
	return 0;
}

struct hist_ctx {
	int64_t ids[256];
	int n;
	int64_t actor_sign;
};

static int take_hist(void *ctx, const struct wf_transition_row *t)
{
	struct hist_ctx *c = ctx;

	c->ids[c->n++] = t->id;
	if (strcmp(t->action, "sign") == 0)
		c->actor_sign = t->actor_id;
	assert_true(t->on_date > 0);
	assert_true(t->at[0] != '\0');
	return 0;
}

static void test_audit(void **state)
{
	struct wfx *f = *state;
	struct audit_ctx a = { { 0 }, 0 };
	struct hist_ctx h = { { 0 }, 0, 0 };
	struct audit_check chk;
	struct xj_error err;
	int i;

	fx_pass(f, 0, LEARN);
	to_applied(f, 0, D(2005, 3, 8));
	OK(f, f->sup[0], D(2005, 3, 9), .a = WF_SIGN, .unit = f->unit[0]);
	OK(f, f->office, D(2005, 3, 9), .a = WF_REMEDY, .unit = f->unit[0],
	   .reason = "r", .items = "a", .date = D(2005, 3, 30));
	OK(f, f->office, D(2005, 3, 9), .a = WF_EXTEND, .unit = f->unit[0],
	   .reason = "时间服从质量", .date = D(2005, 3, 30));
	assert_int_equal(store_wf_history_each(f->st, 0, take_hist, &h, &err),
	                 XJ_OK);
	assert_int_equal(
	    store_audit_each(f->st, "transition", 0, 0, take_audit, &a, &err),
	    XJ_OK);
	assert_int_equal(h.n, 7);
	assert_int_equal(a.n, h.n);
	for (i = 0; i < h.n; i++)
		assert_int_equal(a.ids[i], h.ids[i]);
	assert_int_equal(h.actor_sign, f->sup[0]);
	assert_int_equal(store_audit_verify(f->st, &chk, &err), XJ_OK);
	assert_false(chk.broken);
	/* the history is append-only */
	{
		struct wf_step s = { .unit_id = f->unit[0],
			             .stage = "learn",
			             .action = "apply",
			             .on_date = D(2005, 3, 9),
			             .expect_version = 1 };

		assert_int_equal(store_wf_step(f->st, &s, NULL, NULL, &err),
		                 XJ_ECONFLICT);
		assert_contains(err.msg, "刚被他人更新");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gate_and_override, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_remedy_round_trip, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_deadlines, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_versions_and_dates, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_authorize, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_queues, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_stage, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_audit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
