/*
 * demo.h - a deterministic generator of a city-scale demonstration
 * campaign, for trying the program out and for tests that need a
 * realistic database.
 *
 * The shape follows seed 004 (DOMAIN.md §16): 107 units and 3679 party
 * members in the first batch, spread over 10 系统 (§3.1). A fictional city,
 * 示范市, runs the 2005 保持共产党员先进性教育活动:
 *
 *   campaign   示范市保持共产党员先进性教育活动, 2005-01-06 .. 2005-12-31
 *              (the day after the central work meeting of 元月5日, §16)
 *   batches    第一批 2005-01-06 .. 2005-06-30, 第二批 2005-07-01 ..
 *              2005-12-31, 第三批 without dates: the seeds only mention it
 *              (§3.2), so its dates are left for an administrator to set
 *   系统       党群, 政法, 经济, 农业农村, 教育, 卫生, 城建, 财贸, 工交,
 *              文化旅游
 *   tree       中共示范市委员会 (code "CITY", 党委, not a unit)
 *                -> 107 units (党委/党组/党工委, codes "U001".."U107"), all
 *                   in 第一批, each in one 系统
 *                     -> 领导班子 ("U023-LB")
 *                     -> optionally a 党总支 ("U023-Z01") over the
 *                        in-service branches of a large unit
 *                     -> 2..6 党支部 ("U023-B01"..), among them a
 *                        离退休党支部 or a 两新组织 branch for some units
 *   members    3679, every one in a branch of at least 3 members, with
 *              valid GB 11643 ID numbers (fictional region codes 4399xx,
 *              which no real place has) whose birth date matches
 *              birth_date, generated names and mobile numbers. Every
 *              category of enum member_category occurs (§3.3). Each unit
 *              has 3..7 党员领导干部 (在职|党员领导干部), members of one of
 *              its branches and seated in its 领导班子 (双重组织生活).
 *
 * The same seed gives the same rows in the same order with the same ids
 * in a fresh database; only the created_at timestamps the store sets
 * differ. Generation is one transaction: on any error nothing is left.
 */
#ifndef XJ_DEMO_H
#define XJ_DEMO_H

#include <stdint.h>

#include "xianjiao/core.h"
#include "xianjiao/error.h"

struct store;

#define DEMO_SEED_DEFAULT 2005
#define DEMO_SYSTEMS 10
#define DEMO_UNITS 107
#define DEMO_MEMBERS 3679
#define DEMO_CAMPAIGN_NAME "示范市保持共产党员先进性教育活动"
#define DEMO_ROOT_CODE "CITY"

/* What was generated, for printing and for tests. */
struct demo_summary {
	uint64_t seed;
	int64_t campaign_id;
	int64_t root_org_id; /* 中共示范市委员会 */
	int batches;
	int systems;
	int units;
	int orgs; /* every node: the root, units, 领导班子, 党总支, 党支部 */
	int leadership_bodies; /* 领导班子 */
	int general_branches;  /* 党总支 */
	int branches;          /* 党支部 */
	int retiree_branches;  /* 离退休党支部 */
	int new_org_branches;  /* 两新组织 branches */
	int weak_orgs;         /* marked 软弱涣散 */
	int members;
	int probationary; /* 预备党员 */
	int seats;        /* 领导班子 seats */
	/* Members in each category; a member may count in several. */
	int category[MCAT__MAX];
	int mobile_short; /* 流动党员 expected away under six months */
	int mobile_long;  /* six months or more */
};

/*
 * Generate the demonstration campaign into st, which must hold no 系统,
 * organisation or member yet (XJ_ECONFLICT otherwise: demo data belongs in
 * a fresh database, and mixing it with real data would break both). st
 * must not be inside a transaction. On success *sum (may be NULL) is
 * filled; on failure everything is rolled back, *sum is zeroed and err
 * says why.
 */
enum xj_err demo_generate(struct store *st, uint64_t seed,
                          struct demo_summary *sum, struct xj_error *err);

/*
 * The day the demo campaign stands at: part-way through 学习动员, the
 * first stage of 第一批 (2005-01-10 .. 2005-03-10 in the reference plan).
 */
#define DEMO_TODAY "2005-02-20"

struct demo_records_summary {
	int records;     /* every record, corrections included */
	int corrections; /* records that supersede another */
	int late;        /* entered a week or more after they happened */
};

/*
 * Install plan_text (a plan that passed plan_parse, whose record kinds are
 * those of plans/2005-xianjiao.yaml) as the campaign's plan, and generate
 * the stage-1 records of every unit and member up to DEMO_TODAY, with the
 * gaps a real campaign has at that point (src/demo/records.c). One
 * transaction; requires demo_generate() to have run.
 */
enum xj_err demo_generate_records(struct store *st, int64_t campaign_id,
                                  const char *plan_text, uint64_t seed,
                                  struct demo_records_summary *sum,
                                  struct xj_error *err);

/*
 * Demo accounts, one per role, all with the given password, so a visitor
 * can see the system as each user sees it (DESIGN.md "Who uses it"):
 * admin 先教办; dudao 督导组 of unit U001's 系统; danwei 单位 U001;
 * shuji 支部书记 of U001-B01; dangyuan 党员, a member of U001-B01.
 * Requires demo_generate() to have run. One transaction.
 */
#define DEMO_ACCOUNTS 5

struct demo_account {
	const char *login;
	const char *display_name;
	enum role role;
};

extern const struct demo_account demo_accounts[DEMO_ACCOUNTS];

enum xj_err demo_create_accounts(struct store *st, const char *password,
                                 struct xj_error *err);

#endif
