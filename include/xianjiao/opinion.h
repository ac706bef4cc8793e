/*
 * opinion.h - opinion solicitation (征求意见, DOMAIN.md §6): entering
 * opinions, classifying them, publishing an organisation's (公开) and
 * feeding a person's back to that person (反馈, §6.5, A11), and counting
 * them for the office (seed 003's statistics, §16).
 *
 * An opinion is about an organisation (组织, 领导班子, 支部) or a person
 * (班子成员, 支部负责人, 支部成员, 党员). It is named or anonymous: an
 * anonymous opinion stores no giver at all; a named one keeps the giver's
 * name and contact, never shown to the target (背靠背, §19 Privacy) nor
 * to branch secretaries or members (store.h, struct opinion_row).
 * Opinions and what is done with them are append-only and audited (the
 * digest leaves the giver out); a correction supersedes.
 *
 * Who sees what is decided by the store's queries (store_opinions_list);
 * this module checks input and the order of the steps. Functions write
 * inside the caller's transaction (store_begin) with the store's actor.
 */
#ifndef XJ_OPINION_H
#define XJ_OPINION_H

#include <stdint.h>

#include "xianjiao/error.h"

struct store;

/* Channels, §6.2 (seed 001's list, 003's figures; 网络 as the brief of
 * issue 6 names it). Stored as these numbers: append only. */
enum opinion_channel {
	OPC_SYMPOSIUM, /* 座谈会: face to face */
	OPC_LETTER,    /* 征求意见函 */
	OPC_FORM,      /* 征求意见表: 无记名, always anonymous (003) */
	OPC_BOX,       /* 意见箱 (征求意见箱): 背靠背 */
	OPC_HOTLINE,   /* 热线电话 */
	OPC_EMAIL,     /* 电子邮箱 */
	OPC_TALK,      /* 个别交谈 */
	OPC_ONLINE,    /* 网络 */
	OPC__MAX
};

/* Targets, §6.3 with A22 (支部成员 kept apart from 党员). */
enum opinion_target {
	OPT_ORG,  /* 组织: a party organisation as a whole */
	OPT_TEAM, /* 领导班子: an organisation of type 领导班子 */
	OPT_TEAM_MEMBER,      /* 班子成员 */
	OPT_BRANCH,           /* 支部: an organisation of type 党支部 */
	OPT_BRANCH_HEAD,      /* 支部负责人 */
	OPT_BRANCH_COMMITTEE, /* 支部成员 (branch committee member, A22) */
	OPT_MEMBER,           /* 党员 */
	OPT__MAX
};

/* Opinions about a person are fed back; about an organisation published. */
int opinion_target_is_person(enum opinion_target t);

/* The stage an opinion was gathered in, §6.4. */
enum opinion_stage { OPS_LEARN, OPS_ANALYSE, OPS__MAX };

/*
 * Classification (§6.5 "sort and classify"): the four kinds of prominent
 * problem of §11.1 (seed 003), so classified opinions feed rectification
 * directly. Plan-independent; stored as these numbers.
 */
enum opinion_category {
	OPK_SELF,      /* 党员和党组织自身存在的突出问题 */
	OPK_CONDUCT,   /* 党风、政风、行风方面的突出问题 */
	OPK_REFORM,    /* 影响改革发展稳定的突出问题 */
	OPK_INTERESTS, /* 涉及群众切身利益的突出问题 */
	OPK__MAX
};

/* Topic dimensions, §6.3 (seed 001): optional with a classification. */
enum opinion_dimension {
	OPD_IDEALS, /* 理想信念 */
	OPD_WORK,   /* 工作学习 */
	OPD_STYLE,  /* 工作作风 */
	OPD__MAX
};

/* Names shown to users (简体中文), and parsing them back: -1 if the text
 * is none of them. Channels also accept 征求意见箱 for 意见箱. */
const char *opinion_channel_name(int c);
int opinion_channel_parse(const char *s);
const char *opinion_target_name(int t);
int opinion_target_parse(const char *s);
const char *opinion_stage_name(int s);
int opinion_stage_parse(const char *s); /* 学习动员 / 分析评议 */
const char *opinion_category_name(int c);
int opinion_category_parse(const char *s);
const char *opinion_dimension_name(int d);
int opinion_dimension_parse(const char *s);

#define OPINION_TEXT_MAX 2000 /* characters */
#define OPINION_GIVER_MAX 64  /* characters, name and contact each */
#define OPINION_NOTE_MAX 200  /* characters */

/* An opinion as entered; strings are borrowed. */
struct opinion_in {
	int64_t org_id; /* the organisation that solicited it */
	int channel, target, stage;
	int64_t target_org_id;    /* for 组织, 领导班子, 支部 */
	int64_t target_member_id; /* for the person targets */
	int anonymous;
	const char *giver_name;    /* named: required; anonymous: NULL */
	const char *giver_contact; /* named: optional; anonymous: NULL */
	const char *text;
	int32_t received_on;
	int64_t supersedes; /* the opinion this corrects, 0: none */
};

/*
 * Check and append an opinion. Refused, naming the field, with nothing
 * stored: an unknown channel, target or stage; an unknown organisation
 * or member, or one of the wrong kind for the target (a 领导班子 target
 * must be a 领导班子, a 支部 target a 党支部, a person target names a
 * member and no organisation); an anonymous opinion with a giver, a named
 * one without, a named 征求意见表; empty or over-long text; no date.
 */
enum xj_err opinion_add(struct store *st, const struct opinion_in *in,
                        int64_t *id, struct xj_error *err);

/* Classify a current opinion (category enum opinion_category, dimension
 * enum opinion_dimension or -1). A later classification replaces it. */
enum xj_err opinion_classify(struct store *st, int64_t id, int category,
                             int dimension, int32_t on_date,
                             struct xj_error *err);
/* Publish a classified opinion about an organisation, in form (会议通报,
 * 公示栏 ...; may be NULL). An opinion about a person is refused. */
enum xj_err opinion_publish(struct store *st, int64_t id, const char *form,
                            int32_t on_date, struct xj_error *err);
/* Record that a classified opinion about a person was fed back to that
 * person on on_date, by the store's actor (A11), with an optional note
 * (combined with a 谈心 ...). An opinion about an organisation is
 * refused. */
enum xj_err opinion_feedback(struct store *st, int64_t id, const char *note,
                             int32_t on_date, struct xj_error *err);

/* Counts for the office (§16, seed 003): totals over the subtree of an
 * organisation, per channel, target kind and stage, and per unit. */
struct opinion_stats {
	int64_t total, classified, published, fed_back;
	int64_t channel[OPC__MAX];
	int64_t target[OPT__MAX];
	int64_t stage[OPS__MAX];
	struct opinion_unit_count {
		int64_t unit_id; /* 0: opinions above any unit */
		char name[257];
		int64_t count;
		int64_t target[OPT__MAX];
	} * units; /* by unit id; malloc'd */
	int nunits;
};
enum xj_err opinion_stats(struct store *st, int64_t org_id,
                          struct opinion_stats *out, struct xj_error *err);
void opinion_stats_release(struct opinion_stats *s);

#endif
