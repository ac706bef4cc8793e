#include <string.h>

#include "xianjiao/core.h"
#include "xianjiao/text.h"

static const char *const org_types[ORG_TYPE__MAX] = {
	[ORG_COMMITTEE] = "党委",   [ORG_WORK_COMMITTEE] = "党工委",
	[ORG_PARTY_GROUP] = "党组", [ORG_GENERAL_BRANCH] = "党总支",
	[ORG_BRANCH] = "党支部",    [ORG_LEADERSHIP] = "领导班子",
};

static const char *const categories[MCAT__MAX] = {
	[MCAT_ACTIVE] = "在职",      [MCAT_RETIRED] = "离退休",
	[MCAT_FRAIL] = "年老体弱",   [MCAT_MOBILE] = "流动党员",
	[MCAT_LOST] = "失去联系",    [MCAT_UNEMPLOYED] = "下岗失业",
	[MCAT_NEW_ORG] = "两新组织", [MCAT_LEADER] = "党员领导干部",
};

static const char *const statuses[MEMBER_STATUS__MAX] = {
	[MEMBER_FULL] = "正式党员",
	[MEMBER_PROBATIONARY] = "预备党员",
};

static const char *const genders[GENDER__MAX] = {
	[GENDER_MALE] = "男",
	[GENDER_FEMALE] = "女",
};

static const char *const role_names[ROLE__MAX] = {
	[ROLE_OFFICE] = "先教办",     [ROLE_SUPERVISOR] = "督导组",
	[ROLE_UNIT] = "单位领导小组", [ROLE_SECRETARY] = "支部书记",
	[ROLE_MEMBER] = "党员",
};

static const char *const role_codes[ROLE__MAX] = {
	[ROLE_OFFICE] = "office", [ROLE_SUPERVISOR] = "supervisor",
	[ROLE_UNIT] = "unit",     [ROLE_SECRETARY] = "secretary",
	[ROLE_MEMBER] = "member",
};

static int lookup(const char *const *tab, int n, const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(tab[i], name) == 0)
			return i;
	return -1;
}

const char *org_type_name(enum org_type t)
{
	return (int)t >= 0 && t < ORG_TYPE__MAX ? org_types[t] : "?";
}

int org_type_parse(const char *name)
{
	return lookup(org_types, ORG_TYPE__MAX, name);
}

const char *member_category_name(enum member_category c)
{
	return (int)c >= 0 && c < MCAT__MAX ? categories[c] : "?";
}

int member_category_parse(const char *name)
{
	/* The same category as 年老体弱 under its other names
	 * (DOMAIN.md §3.3). */
	static const char *const frail[] = { "长期患病", "体弱多病",
		                             "行动不便" };

	if (lookup(frail, (int)(sizeof(frail) / sizeof(frail[0])), name) >= 0)
		return MCAT_FRAIL;
	return lookup(categories, MCAT__MAX, name);
}

const char *member_status_name(enum member_status s)
{
	return (int)s >= 0 && s < MEMBER_STATUS__MAX ? statuses[s] : "?";
}

const char *gender_name(enum gender g)
{
	return (int)g >= 0 && g < GENDER__MAX ? genders[g] : "?";
}

char idnum_check_char(const char *s)
{
	static const int weight[17] = { 7, 9, 10, 5,  8, 4, 2, 1, 6,
		                        3, 7, 9,  10, 5, 8, 4, 2 };
	static const char check[11] = { '1', '0', 'X', '9', '8', '7',
		                        '6', '5', '4', '3', '2' };
	int i, sum = 0;

	for (i = 0; i < 17; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		sum += (s[i] - '0') * weight[i];
	}
	return check[sum % 11];
}

enum xj_err idnum_validate(const char *s, const char *field,
                           struct xj_error *err)
{
	const char *f = field ? field : "身份证号码";
	char c;

	if (s == NULL || strlen(s) != 18)
		return xj_error_field(err, XJ_EINVAL, field, "%s 应为 18 位",
		                      f);
	c = idnum_check_char(s);
	if (c == 0)
		return xj_error_field(err, XJ_EINVAL, field,
		                      "%s 前 17 位应为数字", f);
	if (s[17] != c && !(c == 'X' && s[17] == 'x'))
		return xj_error_field(err, XJ_EINVAL, field,
		                      "%s 校验位不正确，请核对", f);
	return XJ_OK;
}

void idnum_mask(const char *s, char *buf)
{
	size_t n = s ? strlen(s) : 0;

	if (n != 18) {
		memcpy(buf, "******************", 18);
		buf[18] = '\0';
		return;
	}
	memcpy(buf, s, 3);
	memset(buf + 3, '*', 11);
	memcpy(buf + 14, s + 14, 4);
	buf[18] = '\0';
}

enum xj_err name_validate(const char *s, const char *field,
                          struct xj_error *err)
{
	const char *f = field ? field : "名称";
	size_t len, i, n;
	enum xj_err rc;
	uint32_t cp;

	if (s == NULL || s[0] == '\0')
		return xj_error_field(err, XJ_EINVAL, field, "%s 不能为空", f);
	len = strlen(s);
	rc = utf8_validate(s, len, field, err);
	if (rc != XJ_OK)
		return rc;
	if (utf8_length(s, len) > NAME_MAX_CHARS)
		return xj_error_field(err, XJ_EINVAL, field,
		                      "%s 不能超过 %d 个字", f, NAME_MAX_CHARS);
	/* C0, DEL and the C1 controls U+0080..U+009F. */
	for (i = 0; i < len; i += n) {
		n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return xj_error_field(err, XJ_EINVAL, field,
			                      "%s 含有控制字符", f);
	}
	if (s[0] == ' ' || s[len - 1] == ' ')
		return xj_error_field(err, XJ_EINVAL, field,
		                      "%s 首尾不能有空格", f);
	return XJ_OK;
}

enum xj_err org_validate(const struct org *o, struct xj_error *err)
{
	enum xj_err rc;

	rc = name_validate(o->name, "name", err);
	if (rc != XJ_OK)
		return rc;
	rc = name_validate(o->code, "code", err);
	if (rc != XJ_OK)
		return rc;
	if ((int)o->type < 0 || o->type >= ORG_TYPE__MAX)
		return xj_error_field(err, XJ_EINVAL, "type", "组织类型不正确");
	if (o->is_unit && o->type == ORG_LEADERSHIP)
		return xj_error_field(err, XJ_EINVAL, "is_unit",
		                      "领导班子不能作为参学单位");
	return XJ_OK;
}

enum xj_err member_validate(const struct member *m, struct xj_error *err)
{
	enum xj_err rc;

	rc = name_validate(m->name, "name", err);
	if (rc != XJ_OK)
		return rc;
	if ((int)m->gender < 0 || m->gender >= GENDER__MAX)
		return xj_error_field(err, XJ_EINVAL, "gender",
		                      "性别应为“男”或“女”");
	if ((int)m->status < 0 || m->status >= MEMBER_STATUS__MAX)
		return xj_error_field(err, XJ_EINVAL, "status",
		                      "党员状态应为“正式党员”或“预备党员”");
	if (m->categories >> MCAT__MAX)
		return xj_error_field(err, XJ_EINVAL, "categories",
		                      "人员类别不正确");
	if (m->id_number != NULL) {
		rc = idnum_validate(m->id_number, "id_number", err);
		if (rc != XJ_OK)
			return rc;
	}
	if (m->birth_date != 0 && m->joined_date != 0 &&
	    m->joined_date <= m->birth_date)
		return xj_error_field(err, XJ_EINVAL, "joined_date",
		                      "入党时间应晚于出生日期");
	if (m->post != NULL) {
		rc = name_validate(m->post, "post", err);
		if (rc != XJ_OK)
			return rc;
	}
	if (m->mobile_dest != NULL &&
	    (utf8_validate(m->mobile_dest, strlen(m->mobile_dest),
	                   "mobile_dest", err) != XJ_OK ||
	     utf8_length(m->mobile_dest, strlen(m->mobile_dest)) >
	         TEXT_FIELD_MAX))
		return xj_error_field(err, XJ_EINVAL, "mobile_dest",
		                      "流动去向应为不超过 %d 字的文字",
		                      TEXT_FIELD_MAX);
	if (m->contact_arrangement != NULL &&
	    (utf8_validate(m->contact_arrangement,
	                   strlen(m->contact_arrangement),
	                   "contact_arrangement", err) != XJ_OK ||
	     utf8_length(m->contact_arrangement,
	                 strlen(m->contact_arrangement)) > TEXT_FIELD_MAX))
		return xj_error_field(err, XJ_EINVAL, "contact_arrangement",
		                      "联系方式安排应为不超过 %d 字的文字",
		                      TEXT_FIELD_MAX);
	if (m->absence_months < 0 || m->absence_months > 240)
		return xj_error_field(err, XJ_EINVAL, "absence_months",
		                      "外出时间应在 0 至 240 个月之间");
	return XJ_OK;
}

const char *role_name(enum role r)
{
	return (int)r >= 0 && r < ROLE__MAX ? role_names[r] : "?";
}

const char *role_code(enum role r)
{
	return (int)r >= 0 && r < ROLE__MAX ? role_codes[r] : "?";
}

int role_parse(const char *s)
{
	int r = lookup(role_codes, ROLE__MAX, s);

	return r >= 0 ? r : lookup(role_names, ROLE__MAX, s);
}

static int str_same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

int member_same(const struct member *a, const struct member *b)
{
	return a->org_id == b->org_id && str_same(a->name, b->name) &&
	       a->gender == b->gender && a->birth_date == b->birth_date &&
	       str_same(a->id_number, b->id_number) &&
	       str_same(a->phone, b->phone) &&
	       a->joined_date == b->joined_date && a->status == b->status &&
	       a->categories == b->categories &&
	       str_same(a->mobile_dest, b->mobile_dest) &&
	       a->absence_start == b->absence_start &&
	       a->absence_months == b->absence_months &&
	       str_same(a->post, b->post) &&
	       str_same(a->contact_arrangement, b->contact_arrangement);
}
