/*
 * core.h - the domain's types and their validation (../shared/DOMAIN.md).
 *
 * Plain structs with integer ids; strings in them are borrowed (owned by
 * whoever filled the struct: an arena, a parser, a test). Names shown to
 * users are the terms of DOMAIN.md in 简体中文.
 */
#ifndef XJ_CORE_H
#define XJ_CORE_H

#include <stdint.h>
#include <time.h>

#include "xianjiao/error.h"

/* Organisation node types, DOMAIN.md §3.1. */
enum org_type {
	ORG_COMMITTEE, /* 党委 (incl. 机关党委, 企业党委, 镇党委) */
	ORG_WORK_COMMITTEE, /* 党工委 */
	ORG_PARTY_GROUP,    /* 党组 */
	ORG_GENERAL_BRANCH, /* 党总支 */
	ORG_BRANCH,         /* 党支部 */
	ORG_LEADERSHIP, /* 领导班子: a body whose members also belong to a
			     * branch (双重组织生活, §3.3) */
	ORG_TYPE__MAX
};

/* Member categories that change what is required, DOMAIN.md §3.3. A
 * member may be in several at once, so they are bits of a mask. */
enum member_category {
	MCAT_ACTIVE,     /* 在职 */
	MCAT_RETIRED,    /* 离退休 */
	MCAT_FRAIL,      /* 年老体弱/长期患病 */
	MCAT_MOBILE,     /* 流动党员 */
	MCAT_LOST,       /* 失去联系 */
	MCAT_UNEMPLOYED, /* 下岗失业 */
	MCAT_NEW_ORG,    /* 两新组织 */
	MCAT_LEADER,     /* 党员领导干部 */
	MCAT__MAX
};

#define MCAT_BIT(c) (1u << (c))

enum member_status {
	MEMBER_FULL,         /* 正式党员 */
	MEMBER_PROBATIONARY, /* 预备党员 */
	MEMBER_STATUS__MAX
};

enum gender { GENDER_MALE, GENDER_FEMALE, GENDER__MAX };

/*
 * Roles, ../shared/DESIGN.md "Who uses it" and DOMAIN.md §2. A user may
 * hold several; each grant is bound to a scope: the whole campaign
 * (office), a 系统 (supervision group), an organisation subtree (unit
 * office, branch secretary) or the user's own member record (member).
 */
enum role {
	ROLE_OFFICE,     /* 先教办: whole campaign */
	ROLE_SUPERVISOR, /* 督导组: the units of one 系统 */
	ROLE_UNIT,       /* 单位领导小组/党委: one unit's subtree */
	ROLE_SECRETARY,  /* 支部书记: one branch */
	ROLE_MEMBER,     /* 党员: self */
	ROLE__MAX
};

#define ROLE_BIT(r) (1u << (r))
#define ROLE_ALL ((1u << ROLE__MAX) - 1)

/* Chinese name for users ("先教办") and the code used by the CLI and
 * the API ("office"). */
const char *role_name(enum role r);
const char *role_code(enum role r);
/* Accepts the code or the Chinese name; -1 if neither. */
int role_parse(const char *s);

/* Deepest organisation tree accepted (中央 to 党支部 is about 8). */
#define ORG_DEPTH_MAX 16
#define NAME_MAX_CHARS 64
#define TEXT_FIELD_MAX 200 /* short free text: destinations, arrangements */

struct org {
	int64_t id;
	int64_t parent_id; /* 0 for a root */
	enum org_type type;
	const char *name;
	const char *code;  /* stable key for imports, unique */
	int64_t system_id; /* 系统, 0 if none */
	int64_t batch_id;  /* 批次, 0 if none */
	int is_unit;       /* the node at which the campaign runs (单位) */
	int weak;          /* 软弱涣散 */
};

struct member {
	int64_t id;
	int64_t org_id; /* the branch (党支部) */
	const char *name;
	enum gender gender;
	int32_t birth_date; /* days since epoch, see date.h */
	const char *id_number;
	const char *phone; /* may be NULL */
	int32_t joined_date;
	enum member_status status;
	uint32_t categories; /* MCAT_BIT mask */
	/* 流动党员: where to and since when, expected months away */
	const char *mobile_dest;
	int32_t absence_start; /* 0 if not absent */
	int absence_months;
	const char *post; /* 职务, e.g. 支部书记; may be NULL */
	const char *contact_arrangement; /* how a 流动党员 is kept in touch */
	int32_t left_on; /* date of 转出 or 去世, 0 while a member here */
};

/* Nonzero when two members hold the same registry data (id aside). */
int member_same(const struct member *a, const struct member *b);

/*
 * A record: something that happened, dated. Records are append-only; a
 * correction is a new record whose supersedes names the old one.
 */
struct record {
	int64_t id;
	int64_t campaign_id;
	const char *kind; /* record kind code, defined by the plan */
	int64_t org_id;
	int64_t member_id;   /* 0 if about an organisation */
	int32_t happened_on; /* the date the activity happened */
	time_t entered_at;   /* when it was entered */
	int64_t entered_by;  /* user id, 0 for the system */
	int64_t supersedes;  /* id of the record it corrects, 0 if none */
	const char *payload; /* JSON object text */
	int64_t session_id;  /* attendance: the study_session record, or 0 */
};

const char *org_type_name(enum org_type t);
/* Returns -1 if name is not an organisation type. */
int org_type_parse(const char *name);
const char *member_category_name(enum member_category c);
int member_category_parse(const char *name);
const char *member_status_name(enum member_status s);
const char *gender_name(enum gender g);

/*
 * 公民身份号码 (GB 11643-1999): 17 digits and a check character computed
 * with ISO 7064 MOD 11-2. Returns the check character for the first 17
 * digits of s, or 0 if they are not 17 digits.
 */
char idnum_check_char(const char *s);
/* Validate an 18-character ID number, naming field in the error. */
enum xj_err idnum_validate(const char *s, const char *field,
                           struct xj_error *err);
/* Mask for lists: "430***********1234". buf holds at least 19 bytes. */
void idnum_mask(const char *s, char *buf);

/* Validate a name: valid UTF-8, 1..NAME_MAX_CHARS characters, no control
 * characters or leading/trailing spaces. */
enum xj_err name_validate(const char *s, const char *field,
                          struct xj_error *err);

/*
 * Check an organisation or member before it is stored: names, codes,
 * enum ranges, ID number checksum, dates in order (born before joining).
 * The error names the field.
 */
enum xj_err org_validate(const struct org *o, struct xj_error *err);
enum xj_err member_validate(const struct member *m, struct xj_error *err);

#endif
