#include <string.h>

#include "xianjiao/roster.h"

const char *const member_col_header[MCOL__MAX] = {
	[MCOL_IDNUM] = "身份证号码",
	[MCOL_NAME] = "姓名",
	[MCOL_GENDER] = "性别",
	[MCOL_BIRTH] = "出生日期",
	[MCOL_PHONE] = "联系电话",
	[MCOL_JOINED] = "入党时间",
	[MCOL_STATUS] = "党员状态",
	[MCOL_ORG_CODE] = "组织代码",
	[MCOL_ORG_NAME] = "所在党组织",
	[MCOL_CATEGORIES] = "人员类别",
	[MCOL_POST] = "职务",
	[MCOL_MOBILE_DEST] = "流动去向",
	[MCOL_ABSENT_FROM] = "外出日期",
	[MCOL_ABSENT_MONTHS] = "预计外出月数",
	[MCOL_CONTACT] = "联系方式安排",
	[MCOL_SEAT] = "领导班子职务",
};

const char *const org_col_header[OCOL__MAX] = {
	[OCOL_CODE] = "组织代码", [OCOL_NAME] = "组织名称",
	[OCOL_TYPE] = "组织类型", [OCOL_PARENT] = "上级组织代码",
	[OCOL_SYSTEM] = "系统",   [OCOL_BATCH] = "批次",
	[OCOL_UNIT] = "参学单位", [OCOL_WEAK] = "软弱涣散",
};

struct alias {
	const char *name;
	int col;
};

static const struct alias member_aliases[] = {
	{ "身份证号", MCOL_IDNUM },
	{ "公民身份号码", MCOL_IDNUM },
	{ "身份证", MCOL_IDNUM },
	{ "手机号码", MCOL_PHONE },
	{ "电话", MCOL_PHONE },
	{ "手机", MCOL_PHONE },
	{ "入党日期", MCOL_JOINED },
	{ "所在党支部", MCOL_ORG_NAME },
	{ "所在支部", MCOL_ORG_NAME },
	{ "党员类别", MCOL_CATEGORIES },
	{ "正式/预备", MCOL_STATUS },
	{ "班子职务", MCOL_SEAT },
	{ NULL, 0 },
};

static const struct alias org_aliases[] = {
	{ "名称", OCOL_NAME },       { "党组织名称", OCOL_NAME },
	{ "类型", OCOL_TYPE },       { "上级代码", OCOL_PARENT },
	{ "所属系统", OCOL_SYSTEM }, { NULL, 0 },
};

static int parse(const char *h, const char *const *headers, int n,
                 const struct alias *aliases)
{
	size_t len;
	int i;

	if (h == NULL)
		return -1;
	while (*h == ' ')
		h++;
	len = strlen(h);
	while (len > 0 && h[len - 1] == ' ')
		len--;
	for (i = 0; i < n; i++)
		if (strlen(headers[i]) == len &&
		    memcmp(headers[i], h, len) == 0)
			return i;
	for (; aliases->name != NULL; aliases++)
		if (strlen(aliases->name) == len &&
		    memcmp(aliases->name, h, len) == 0)
			return aliases->col;
	return -1;
}

int member_col_parse(const char *header)
{
	return parse(header, member_col_header, MCOL__MAX, member_aliases);
}

int org_col_parse(const char *header)
{
	return parse(header, org_col_header, OCOL__MAX, org_aliases);
}

static const char *const batch_names[] = { "", "第一批", "第二批", "第三批" };

int batch_ordinal_parse(const char *s)
{
	int i;

	if (s == NULL)
		return 0;
	for (i = 1; i <= 3; i++)
		if (strcmp(s, batch_names[i]) == 0 ||
		    (s[0] == '0' + i && s[1] == '\0'))
			return i;
	return 0;
}

const char *batch_ordinal_name(int ordinal)
{
	return ordinal >= 1 && ordinal <= 3 ? batch_names[ordinal] : "";
}
