/*
 * roster.h - the columns of the organisation and member rosters (花名册)
 * that offices import and export, with the Chinese headers a campaign
 * office uses. Shared by import/ and report/ so that an exported file
 * imports again unchanged.
 */
#ifndef XJ_ROSTER_H
#define XJ_ROSTER_H

#include <stddef.h>

enum member_col {
	MCOL_IDNUM,      /* 身份证号码: the stable key */
	MCOL_NAME,       /* 姓名 */
	MCOL_GENDER,     /* 性别 */
	MCOL_BIRTH,      /* 出生日期 */
	MCOL_PHONE,      /* 联系电话 */
	MCOL_JOINED,     /* 入党时间 */
	MCOL_STATUS,     /* 党员状态: 正式党员 / 预备党员 */
	MCOL_ORG_CODE,   /* 组织代码 of the branch */
	MCOL_ORG_NAME,   /* 所在党组织 */
	MCOL_CATEGORIES, /* 人员类别, several joined with 、 */
	MCOL_POST, /* 职务 (支部书记 makes the branch's secretary) */
	MCOL_MOBILE_DEST,   /* 流动去向 */
	MCOL_ABSENT_FROM,   /* 外出日期 */
	MCOL_ABSENT_MONTHS, /* 预计外出月数 */
	MCOL_CONTACT,       /* 联系方式安排 */
	MCOL_SEAT, /* 领导班子职务: seat in the unit's 领导班子 */
	MCOL__MAX
};

enum org_col {
	OCOL_CODE,   /* 组织代码: the stable key */
	OCOL_NAME,   /* 组织名称 */
	OCOL_TYPE,   /* 组织类型: 党委, 党组 ... */
	OCOL_PARENT, /* 上级组织代码, empty for a root */
	OCOL_SYSTEM, /* 系统 */
	OCOL_BATCH,  /* 批次: 第一批 ... */
	OCOL_UNIT,   /* 参学单位: 是 / 否 */
	OCOL_WEAK,   /* 软弱涣散: 是 / 否 */
	OCOL__MAX
};

/* The header written for each column. */
extern const char *const member_col_header[MCOL__MAX];
extern const char *const org_col_header[OCOL__MAX];

/* The column a header names, accepting common variants ("身份证号",
 * "公民身份号码", "手机号码", "所在党支部" ...); -1 if none. Surrounding
 * spaces are not part of a header. */
int member_col_parse(const char *header);
int org_col_parse(const char *header);

/* Batch ordinal from "第一批", "第二批", "第三批" or "1".."3"; 0 if not. */
int batch_ordinal_parse(const char *s);
const char *batch_ordinal_name(int ordinal);

#endif
