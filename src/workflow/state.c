/*
 * state.c - the 转段 state machine as tables: which action is allowed in
 * which state and where it leads, who may take it, and the names people
 * read (DOMAIN.md §5.1, §5.3).
 */
#include <string.h>

#include "internal.h"

#define X (-1) /* not allowed */
#define S (-2) /* allowed; the state stays as it is */

/*
 * next[state][action]. Look-back answers and the self-check may be
 * revised until the unit applies; the supervision group signs or returns
 * an application; only a signed one reaches the office. A 补课 item may
 * be marked done whenever one is open; a spot-check finding that orders
 * 补课 sends a unit that has not been approved out of the stage back to
 * 进行中.
 */
static const signed char next_tab[WF_STATE__MAX][WF_ACTION__MAX] = {
	[WF_IN_STAGE] = { [WF_LOOKBACK_ANSWER] = WF_LOOKBACK,
	                  [WF_SELFCHECK_SUBMIT] = WF_SELFCHECK,
	                  [WF_APPLY] = X,
	                  [WF_OVERRIDE] = X,
	                  [WF_SIGN] = X,
	                  [WF_RETURN] = X,
	                  [WF_APPROVE] = X,
	                  [WF_REMEDY] = X,
	                  [WF_REMEDY_DONE] = S,
	                  [WF_EXTEND] = S,
	                  [WF_SUMMARIZE] = X,
	                  [WF_FINDING] = WF_IN_STAGE },
	[WF_LOOKBACK] = { [WF_LOOKBACK_ANSWER] = WF_LOOKBACK,
	                  [WF_SELFCHECK_SUBMIT] = WF_SELFCHECK,
	                  [WF_APPLY] = X,
	                  [WF_OVERRIDE] = X,
	                  [WF_SIGN] = X,
	                  [WF_RETURN] = X,
	                  [WF_APPROVE] = X,
	                  [WF_REMEDY] = X,
	                  [WF_REMEDY_DONE] = S,
	                  [WF_EXTEND] = S,
	                  [WF_SUMMARIZE] = X,
	                  [WF_FINDING] = WF_IN_STAGE },
	[WF_SELFCHECK] = { [WF_LOOKBACK_ANSWER] = WF_LOOKBACK,
	                   [WF_SELFCHECK_SUBMIT] = WF_SELFCHECK,
	                   [WF_APPLY] = WF_APPLIED,
	                   [WF_OVERRIDE] = WF_APPLIED,
	                   [WF_SIGN] = X,
	                   [WF_RETURN] = X,
	                   [WF_APPROVE] = X,
	                   [WF_REMEDY] = X,
	                   [WF_REMEDY_DONE] = S,
	                   [WF_EXTEND] = S,
	                   [WF_SUMMARIZE] = X,
	                   [WF_FINDING] = WF_IN_STAGE },
	[WF_APPLIED] = { [WF_LOOKBACK_ANSWER] = X,
	                 [WF_SELFCHECK_SUBMIT] = X,
	                 [WF_APPLY] = X,
	                 [WF_OVERRIDE] = X,
	                 [WF_SIGN] = WF_SIGNED,
	                 [WF_RETURN] = WF_LOOKBACK,
	                 [WF_APPROVE] = X,
	                 [WF_REMEDY] = X,
	                 [WF_REMEDY_DONE] = S,
	                 [WF_EXTEND] = S,
	                 [WF_SUMMARIZE] = X,
	                 [WF_FINDING] = WF_IN_STAGE },
	[WF_SIGNED] = { [WF_LOOKBACK_ANSWER] = X,
	                [WF_SELFCHECK_SUBMIT] = X,
	                [WF_APPLY] = X,
	                [WF_OVERRIDE] = X,
	                [WF_SIGN] = X,
	                [WF_RETURN] = X,
	                [WF_APPROVE] = WF_IN_STAGE,
	                [WF_REMEDY] = WF_IN_STAGE,
	                [WF_REMEDY_DONE] = S,
	                [WF_EXTEND] = S,
	                [WF_SUMMARIZE] = X,
	                [WF_FINDING] = WF_IN_STAGE },
	[WF_SUMMARY] = { [WF_LOOKBACK_ANSWER] = X,
	                 [WF_SELFCHECK_SUBMIT] = X,
	                 [WF_APPLY] = X,
	                 [WF_OVERRIDE] = X,
	                 [WF_SIGN] = X,
	                 [WF_RETURN] = X,
	                 [WF_APPROVE] = X,
	                 [WF_REMEDY] = X,
	                 [WF_REMEDY_DONE] = S,
	                 [WF_EXTEND] = X,
	                 [WF_SUMMARIZE] = WF_DONE,
	                 [WF_FINDING] = X },
	[WF_DONE] = { [WF_LOOKBACK_ANSWER] = X,
	              [WF_SELFCHECK_SUBMIT] = X,
	              [WF_APPLY] = X,
	              [WF_OVERRIDE] = X,
	              [WF_SIGN] = X,
	              [WF_RETURN] = X,
	              [WF_APPROVE] = X,
	              [WF_REMEDY] = X,
	              [WF_REMEDY_DONE] = S,
	              [WF_EXTEND] = X,
	              [WF_SUMMARIZE] = X,
	              [WF_FINDING] = X },
};

static const unsigned roles_tab[WF_ACTION__MAX] = {
	[WF_LOOKBACK_ANSWER] = WF_ROLES_UNIT,
	[WF_SELFCHECK_SUBMIT] = WF_ROLES_UNIT,
	[WF_APPLY] = WF_ROLES_UNIT,
	[WF_OVERRIDE] = WF_ROLES_OFFICE,
	[WF_SIGN] = WF_ROLES_SUPERVISOR,
	[WF_RETURN] = WF_ROLES_SUPERVISOR,
	[WF_APPROVE] = WF_ROLES_OFFICE,
	[WF_REMEDY] = WF_ROLES_OFFICE,
	[WF_REMEDY_DONE] = WF_ROLES_UNIT,
	[WF_EXTEND] = WF_ROLES_OFFICE,
	[WF_SUMMARIZE] = WF_ROLES_UNIT,
	[WF_FINDING] = WF_ROLES_OFFICE,
};

static const char *const state_codes[WF_STATE__MAX] = {
	[WF_IN_STAGE] = "in_stage",   [WF_LOOKBACK] = "lookback",
	[WF_SELFCHECK] = "selfcheck", [WF_APPLIED] = "applied",
	[WF_SIGNED] = "signed",       [WF_SUMMARY] = "summary",
	[WF_DONE] = "done",
};

static const char *const state_names[WF_STATE__MAX] = {
	[WF_IN_STAGE] = "进行中",
	[WF_LOOKBACK] = "回头看",
	[WF_SELFCHECK] = "自查",
	[WF_APPLIED] = "申请转段（待督导组验收）",
	[WF_SIGNED] = "督导组已验收（待先教办审批）",
	[WF_SUMMARY] = "总结",
	[WF_DONE] = "完成（巩固整改成果）",
};

static const char *const action_codes[WF_ACTION__MAX] = {
	[WF_LOOKBACK_ANSWER] = "lookback",
	[WF_SELFCHECK_SUBMIT] = "selfcheck",
	[WF_APPLY] = "apply",
	[WF_OVERRIDE] = "override",
	[WF_SIGN] = "sign",
	[WF_RETURN] = "return",
	[WF_APPROVE] = "approve",
	[WF_REMEDY] = "remedy",
	[WF_REMEDY_DONE] = "done",
	[WF_EXTEND] = "extend",
	[WF_SUMMARIZE] = "summary",
	[WF_FINDING] = "finding",
};

static const char *const action_names[WF_ACTION__MAX] = {
	[WF_LOOKBACK_ANSWER] = "回头看",
	[WF_SELFCHECK_SUBMIT] = "提交自查报告",
	[WF_APPLY] = "申请转段",
	[WF_OVERRIDE] = "先教办越过未达标条件准予申请",
	[WF_SIGN] = "督导组验收签字",
	[WF_RETURN] = "督导组退回",
	[WF_APPROVE] = "先教办批准转段",
	[WF_REMEDY] = "先教办责令补课",
	[WF_REMEDY_DONE] = "补课事项完成",
	[WF_EXTEND] = "延长期限",
	[WF_SUMMARIZE] = "提交总结",
	[WF_FINDING] = "明查暗访责令补课",
};

unsigned wf_action_roles(enum wf_action a)
{
	return (int)a >= 0 && a < WF_ACTION__MAX ? roles_tab[a] : 0;
}

const char *wf_state_code(enum wf_state s)
{
	return (int)s >= 0 && s < WF_STATE__MAX ? state_codes[s] : "?";
}

const char *wf_state_name(enum wf_state s)
{
	return (int)s >= 0 && s < WF_STATE__MAX ? state_names[s] : "?";
}

const char *wf_action_code(enum wf_action a)
{
	return (int)a >= 0 && a < WF_ACTION__MAX ? action_codes[a] : "?";
}

const char *wf_action_name(enum wf_action a)
{
	return (int)a >= 0 && a < WF_ACTION__MAX ? action_names[a] : "?";
}

int wf_action_parse(const char *code)
{
	int a;

	for (a = 0; a < WF_ACTION__MAX && code != NULL; a++)
		if (strcmp(action_codes[a], code) == 0)
			return a;
	return -1;
}

int wf_next(enum wf_state s, enum wf_action a, int last_stage)
{
	int n;

	if ((int)s < 0 || s >= WF_STATE__MAX || (int)a < 0 ||
	    a >= WF_ACTION__MAX)
		return -1;
	n = next_tab[s][a];
	if (n == X)
		return -1;
	if (n == S)
		return (int)s;
	if (s == WF_SIGNED && a == WF_APPROVE && last_stage)
		return WF_SUMMARY;
	return n;
}

unsigned wf_allowed(enum wf_state s)
{
	unsigned m = 0;
	int a;

	for (a = 0; a < WF_ACTION__MAX; a++)
		if (wf_next(s, (enum wf_action)a, 0) >= 0)
			m |= 1u << a;
	return m;
}
