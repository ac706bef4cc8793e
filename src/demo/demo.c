/*
 * The demonstration campaign (include/xianjiao/demo.h): a fictional city
 * shaped like seed 004's (DOMAIN.md §16), generated from a seed.
 *
 * Determinism: everything comes from one xoshiro256** stream seeded with
 * splitmix64, drawn in a fixed order; nothing reads the clock, the
 * environment or rand(). Rows are inserted in a fixed order, so a fresh
 * database gets the same ids.
 *
 * Shares of the member categories (§3.3) are kept with quota counters
 * rather than independent coin flips: each counter accumulates its rate
 * per member and fires when it passes a jittered threshold. The shares
 * are then close to the rates for every seed, and every category occurs
 * whatever the seed, while who gets it still varies.
 */
#include <string.h>

#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/demo.h"
#include "xianjiao/store.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#include "rng.h"

/* --- the city ----------------------------------------------------- */

#define CITY "示范市"
#define CITY_COMMITTEE "中共示范市委员会"

static const char *const system_names[DEMO_SYSTEMS] = {
	"党群系统", "政法系统", "经济系统", "农业农村系统", "教育系统",
	"卫生系统", "城建系统", "财贸系统", "工交系统",     "文化旅游系统",
};

enum {
	SYS_DQ,
	SYS_ZF,
	SYS_JJ,
	SYS_NY,
	SYS_JY,
	SYS_WS,
	SYS_CJ,
	SYS_CM,
	SYS_GJ,
	SYS_WL
};

/* What a unit is, which decides its branches and its members. */
enum unit_kind {
	KIND_ORGAN,      /* 机关 */
	KIND_POLICE,     /* 公安 */
	KIND_SCHOOL,     /* 学校 */
	KIND_HOSPITAL,   /* 医院 */
	KIND_BANK,       /* 银行, 信用社 */
	KIND_ENTERPRISE, /* 国有、集体企业 (改制中, 下岗) */
	KIND_ZONE,       /* 开发区, 工业园 (两新组织) */
	KIND__MAX
};

enum unit_size { SZ_S, SZ_M, SZ_L, SZ_XL, SZ__MAX };

/* Members per unit before the total is adjusted to DEMO_MEMBERS. */
static const int size_lo[SZ__MAX] = { 13, 26, 48, 130 };
static const int size_hi[SZ__MAX] = { 21, 40, 70, 170 };

#define F_NEWORG 1 /* has a branch of 两新组织 members */

struct unit_def {
	const char *dept; /* the department; the unit is dept + type */
	unsigned char type;
	unsigned char sys;
	unsigned char kind;
	unsigned char size;
	unsigned char flags;
};

#define PG ORG_PARTY_GROUP
#define PW ORG_COMMITTEE
#define GW ORG_WORK_COMMITTEE

/* Units in code order: U001 is the first. */
static const struct unit_def units[] = {
	/* 党群系统 */
	{ "市委机关", PW, SYS_DQ, KIND_ORGAN, SZ_L, 0 },
	{ "市人大常委会", PG, SYS_DQ, KIND_ORGAN, SZ_M, 0 },
	{ "市政府机关", PW, SYS_DQ, KIND_ORGAN, SZ_L, 0 },
	{ "市政协", PG, SYS_DQ, KIND_ORGAN, SZ_M, 0 },
	{ "市纪委机关", PW, SYS_DQ, KIND_ORGAN, SZ_M, 0 },
	{ "市直机关", GW, SYS_DQ, KIND_ORGAN, SZ_S, 0 },
	{ "市委党校", PW, SYS_DQ, KIND_SCHOOL, SZ_S, 0 },
	{ "市人事局", PG, SYS_DQ, KIND_ORGAN, SZ_S, 0 },
	{ "市总工会", PG, SYS_DQ, KIND_ORGAN, SZ_S, 0 },
	{ "团市委", PG, SYS_DQ, KIND_ORGAN, SZ_S, 0 },
	{ "市妇联", PG, SYS_DQ, KIND_ORGAN, SZ_S, 0 },
	{ "市科协", PG, SYS_DQ, KIND_ORGAN, SZ_S, 0 },
	{ "市残联", PG, SYS_DQ, KIND_ORGAN, SZ_S, 0 },
	{ "市档案局", PG, SYS_DQ, KIND_ORGAN, SZ_S, 0 },
	{ "市信访局", PG, SYS_DQ, KIND_ORGAN, SZ_S, 0 },
	/* 政法系统 */
	{ "市公安局", PW, SYS_ZF, KIND_POLICE, SZ_XL, 0 },
	{ "市人民法院", PG, SYS_ZF, KIND_ORGAN, SZ_L, 0 },
	{ "市人民检察院", PG, SYS_ZF, KIND_ORGAN, SZ_L, 0 },
	{ "市司法局", PG, SYS_ZF, KIND_ORGAN, SZ_M, 0 },
	{ "市公安局交通警察大队", PW, SYS_ZF, KIND_ORGAN, SZ_M, 0 },
	{ "市公安消防大队", PW, SYS_ZF, KIND_ORGAN, SZ_S, 0 },
	{ "市森林公安分局", PW, SYS_ZF, KIND_ORGAN, SZ_S, 0 },
	/* 经济系统 */
	{ "市发展和改革局", PG, SYS_JJ, KIND_ORGAN, SZ_M, 0 },
	{ "市经济贸易局", PG, SYS_JJ, KIND_ORGAN, SZ_M, 0 },
	{ "市劳动和社会保障局", PG, SYS_JJ, KIND_ORGAN, SZ_M, 0 },
	{ "市国土资源局", PG, SYS_JJ, KIND_ORGAN, SZ_L, 0 },
	{ "市统计局", PG, SYS_JJ, KIND_ORGAN, SZ_S, 0 },
	{ "市物价局", PG, SYS_JJ, KIND_ORGAN, SZ_S, 0 },
	{ "市招商局", PG, SYS_JJ, KIND_ORGAN, SZ_S, 0 },
	{ "市质量技术监督局", PG, SYS_JJ, KIND_ORGAN, SZ_S, 0 },
	{ "市安全生产监督管理局", PG, SYS_JJ, KIND_ORGAN, SZ_S, 0 },
	{ "市乡镇企业局", PG, SYS_JJ, KIND_ORGAN, SZ_S, 0 },
	{ "市经济开发区", GW, SYS_JJ, KIND_ZONE, SZ_L, F_NEWORG },
	/* 农业农村系统 */
	{ "市农业局", PG, SYS_NY, KIND_ORGAN, SZ_L, 0 },
	{ "市林业局", PG, SYS_NY, KIND_ORGAN, SZ_M, 0 },
	{ "市水利局", PG, SYS_NY, KIND_ORGAN, SZ_L, 0 },
	{ "市畜牧水产局", PG, SYS_NY, KIND_ORGAN, SZ_M, 0 },
	{ "市农业机械管理局", PG, SYS_NY, KIND_ORGAN, SZ_S, 0 },
	{ "市扶贫开发办公室", PG, SYS_NY, KIND_ORGAN, SZ_S, 0 },
	{ "市农业综合开发办公室", PG, SYS_NY, KIND_ORGAN, SZ_S, 0 },
	{ "市移民开发局", PG, SYS_NY, KIND_ORGAN, SZ_S, 0 },
	{ "市气象局", PG, SYS_NY, KIND_ORGAN, SZ_S, 0 },
	{ "市国有林场", PW, SYS_NY, KIND_ENTERPRISE, SZ_M, 0 },
	{ "市水产场", PW, SYS_NY, KIND_ENTERPRISE, SZ_S, 0 },
	/* 教育系统 */
	{ "市教育局", PG, SYS_JY, KIND_ORGAN, SZ_M, 0 },
	{ "市第一中学", PW, SYS_JY, KIND_SCHOOL, SZ_L, 0 },
	{ "市第二中学", PW, SYS_JY, KIND_SCHOOL, SZ_L, 0 },
	{ "市第三中学", PW, SYS_JY, KIND_SCHOOL, SZ_M, 0 },
	{ "市第五中学", PW, SYS_JY, KIND_SCHOOL, SZ_M, 0 },
	{ "市实验中学", PW, SYS_JY, KIND_SCHOOL, SZ_M, 0 },
	{ "市职业中专", PW, SYS_JY, KIND_SCHOOL, SZ_M, 0 },
	{ "市教师进修学校", PW, SYS_JY, KIND_SCHOOL, SZ_S, 0 },
	{ "市实验小学", PW, SYS_JY, KIND_SCHOOL, SZ_S, 0 },
	{ "市科学技术局", PG, SYS_JY, KIND_ORGAN, SZ_S, 0 },
	/* 卫生系统 */
	{ "市卫生局", PG, SYS_WS, KIND_ORGAN, SZ_M, 0 },
	{ "市人民医院", PW, SYS_WS, KIND_HOSPITAL, SZ_XL, 0 },
	{ "市中医医院", PW, SYS_WS, KIND_HOSPITAL, SZ_L, 0 },
	{ "市第二人民医院", PW, SYS_WS, KIND_HOSPITAL, SZ_M, 0 },
	{ "市妇幼保健院", PW, SYS_WS, KIND_HOSPITAL, SZ_M, 0 },
	{ "市疾病预防控制中心", PW, SYS_WS, KIND_ORGAN, SZ_M, 0 },
	{ "市人口和计划生育局", PG, SYS_WS, KIND_ORGAN, SZ_M, 0 },
	{ "市食品药品监督管理局", PG, SYS_WS, KIND_ORGAN, SZ_S, 0 },
	/* 城建系统 */
	{ "市建设局", PG, SYS_CJ, KIND_ORGAN, SZ_L, 0 },
	{ "市规划局", PG, SYS_CJ, KIND_ORGAN, SZ_S, 0 },
	{ "市房产管理局", PG, SYS_CJ, KIND_ORGAN, SZ_M, 0 },
	{ "市城市管理行政执法局", PG, SYS_CJ, KIND_ORGAN, SZ_M, 0 },
	{ "市环境保护局", PG, SYS_CJ, KIND_ORGAN, SZ_S, 0 },
	{ "市公用事业局", PG, SYS_CJ, KIND_ORGAN, SZ_S, 0 },
	{ "市住房公积金管理中心", PG, SYS_CJ, KIND_ORGAN, SZ_S, 0 },
	{ "市自来水公司", PW, SYS_CJ, KIND_ENTERPRISE, SZ_M, 0 },
	{ "市建筑工程总公司", PW, SYS_CJ, KIND_ENTERPRISE, SZ_M, 0 },
	/* 财贸系统 */
	{ "市财政局", PG, SYS_CM, KIND_ORGAN, SZ_L, 0 },
	{ "市审计局", PG, SYS_CM, KIND_ORGAN, SZ_S, 0 },
	{ "市国家税务局", PG, SYS_CM, KIND_ORGAN, SZ_L, 0 },
	{ "市地方税务局", PG, SYS_CM, KIND_ORGAN, SZ_L, 0 },
	{ "市工商行政管理局", PG, SYS_CM, KIND_ORGAN, SZ_L, F_NEWORG },
	{ "市商务局", PG, SYS_CM, KIND_ORGAN, SZ_S, 0 },
	{ "市烟草专卖局", PG, SYS_CM, KIND_ORGAN, SZ_M, 0 },
	{ "人民银行市支行", PW, SYS_CM, KIND_BANK, SZ_M, 0 },
	{ "农业银行市支行", PW, SYS_CM, KIND_BANK, SZ_L, 0 },
	{ "工商银行市支行", PW, SYS_CM, KIND_BANK, SZ_M, 0 },
	{ "建设银行市支行", PW, SYS_CM, KIND_BANK, SZ_M, 0 },
	{ "市农村信用合作联社", PW, SYS_CM, KIND_BANK, SZ_L, 0 },
	{ "市粮食局", PW, SYS_CM, KIND_ENTERPRISE, SZ_L, 0 },
	{ "市供销合作社", PW, SYS_CM, KIND_ENTERPRISE, SZ_L, 0 },
	{ "市物资总公司", PW, SYS_CM, KIND_ENTERPRISE, SZ_M, 0 },
	{ "市商业总公司", PW, SYS_CM, KIND_ENTERPRISE, SZ_M, 0 },
	/* 工交系统 */
	{ "市交通局", PG, SYS_GJ, KIND_ORGAN, SZ_L, 0 },
	{ "市公路局", PW, SYS_GJ, KIND_ENTERPRISE, SZ_M, 0 },
	{ "市供电局", PW, SYS_GJ, KIND_ENTERPRISE, SZ_L, 0 },
	{ "市电信分公司", PW, SYS_GJ, KIND_ENTERPRISE, SZ_M, 0 },
	{ "市邮政局", PW, SYS_GJ, KIND_ENTERPRISE, SZ_M, 0 },
	{ "市煤炭工业局", PG, SYS_GJ, KIND_ORGAN, SZ_M, 0 },
	{ "市工业园", GW, SYS_GJ, KIND_ZONE, SZ_M, F_NEWORG },
	{ "市汽车运输总公司", PW, SYS_GJ, KIND_ENTERPRISE, SZ_M, 0 },
	{ "市水泥厂", PW, SYS_GJ, KIND_ENTERPRISE, SZ_M, 0 },
	{ "市化肥厂", PW, SYS_GJ, KIND_ENTERPRISE, SZ_M, 0 },
	{ "市机械厂", PW, SYS_GJ, KIND_ENTERPRISE, SZ_S, 0 },
	/* 文化旅游系统 */
	{ "市文化局", PG, SYS_WL, KIND_ORGAN, SZ_M, 0 },
	{ "市旅游局", PG, SYS_WL, KIND_ORGAN, SZ_S, 0 },
	{ "市广播电视局", PW, SYS_WL, KIND_ORGAN, SZ_M, 0 },
	{ "市体育局", PG, SYS_WL, KIND_ORGAN, SZ_S, 0 },
	{ "市文学艺术界联合会", PG, SYS_WL, KIND_ORGAN, SZ_S, 0 },
	{ "市新华书店", PW, SYS_WL, KIND_ENTERPRISE, SZ_S, 0 },
	{ "市电影发行放映公司", PW, SYS_WL, KIND_ENTERPRISE, SZ_S, 0 },
	{ "市新闻信息中心", PG, SYS_WL, KIND_ORGAN, SZ_S, 0 },
	{ "市地方志办公室", PG, SYS_WL, KIND_ORGAN, SZ_S, 0 },
};

#undef PG
#undef PW
#undef GW

_Static_assert(NELEM(units) == DEMO_UNITS, "the unit table has 107 units");

/* Names of in-service branches by kind; ORGAN counts 机关第一.. instead. */
static const char *const branch_names[KIND__MAX][6] = {
	[KIND_POLICE] = { "机关党支部", "刑侦大队党支部", "治安大队党支部",
	                  "城区派出所党支部", "乡镇派出所党支部",
	                  "看守所党支部" },
	[KIND_SCHOOL] = { "行政党支部", "第一教工党支部", "第二教工党支部",
	                  "第三教工党支部", "第四教工党支部", "后勤党支部" },
	[KIND_HOSPITAL] = { "行政后勤党支部", "内科党支部", "外科党支部",
	                    "医技党支部", "门诊党支部", "护理党支部" },
	[KIND_BANK] = { "机关党支部", "营业部党支部", "城区网点党支部",
	                "乡镇网点党支部", "信贷党支部", "后勤党支部" },
	[KIND_ENTERPRISE] = { "机关党支部", "第一生产党支部", "第二生产党支部",
	                      "经营党支部", "第三生产党支部", "后勤党支部" },
	[KIND_ZONE] = { "管委会机关党支部", "管委会第二党支部",
	                "管委会第三党支部", "管委会第四党支部",
	                "管委会第五党支部", "管委会第六党支部" },
};

static const char *const numerals[] = { "一", "二", "三", "四", "五", "六" };

/* Share of men among in-service members, per mille, by kind. */
static const int male_permille[KIND__MAX] = {
	[KIND_ORGAN] = 720,    [KIND_POLICE] = 880, [KIND_SCHOOL] = 560,
	[KIND_HOSPITAL] = 450, [KIND_BANK] = 560,   [KIND_ENTERPRISE] = 760,
	[KIND_ZONE] = 680,
};

/* --- member categories: rates per mille (DOMAIN.md §3.3) ---------- */

enum event {
	EV_MOBILE,     /* 流动党员 */
	EV_LOST,       /* 失去联系 */
	EV_UNEMPLOYED, /* 下岗失业 */
	EV_FRAIL,      /* 长期患病 among in-service members */
	EV_PROBATION,  /* 预备党员, joined in 2004 */
	EV_SHORT,      /* a mobile member away under six months */
	EV__MAX
};

/* For in-service members by kind; leaders are exempt. Columns: 流动,
 * 失联, 下岗, 长期患病, 预备党员 (the events before EV_SHORT). */
static const int rate[KIND__MAX][EV_SHORT] = {
	[KIND_ORGAN] = { 8, 0, 0, 6, 22 },
	[KIND_POLICE] = { 5, 0, 0, 6, 22 },
	[KIND_SCHOOL] = { 8, 0, 0, 6, 28 },
	[KIND_HOSPITAL] = { 10, 0, 0, 6, 28 },
	[KIND_BANK] = { 10, 0, 30, 6, 20 },
	[KIND_ENTERPRISE] = { 50, 20, 170, 8, 10 },
	[KIND_ZONE] = { 40, 15, 0, 6, 30 },
};
/* For members of 两新组织 branches and of 离退休党支部. */
static const int rate_neworg[EV_SHORT] = { 45, 12, 0, 4, 40 };
static const int rate_retired[EV_SHORT] = { 30, 10, 0, 0, 0 };

struct quota {
	int acc, threshold;
};

/* Add rate to q; true when it passes its threshold. */
static int quota_fire(struct quota *q, struct rng *r, int permille)
{
	q->acc += permille;
	if (q->acc < q->threshold)
		return 0;
	q->acc -= q->threshold;
	q->threshold = rng_range(r, 500, 1500);
	return 1;
}

/* --- names, places, numbers --------------------------------------- */

static const char *const surnames_common[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
	"徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
};
static const char *const surnames_other[] = {
	"郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",   "邓", "曹",
	"彭", "曾", "肖", "田", "董", "袁", "潘", "蒋",   "蔡", "余",
	"杜", "叶", "程", "苏", "魏", "吕", "丁", "任",   "沈", "姚",
	"卢", "姜", "崔", "钟", "谭", "陆", "汪", "范",   "石", "廖",
	"贾", "夏", "付", "方", "邹", "熊", "邱", "江",   "尹", "段",
	"雷", "侯", "龙", "史", "陶", "黎", "贺", "毛",   "龚", "邵",
	"万", "严", "覃", "戴", "莫", "向", "汤", "欧阳", "资", "伍",
};
/* Given-name characters by gender and generation. */
static const char *const male_old[] = {
	"国", "建", "华", "德", "明", "文", "志", "春", "洪", "卫",
	"忠", "福", "贵", "生", "祥", "荣", "清", "光", "新", "民",
	"金", "兴", "保", "松", "友", "昌", "振", "发", "树", "桂",
};
static const char *const male_young[] = {
	"伟", "强", "军", "勇", "杰", "涛", "超", "斌", "鹏", "辉",
	"磊", "波", "亮", "峰", "俊", "浩", "宇", "晖", "鑫", "刚",
	"平", "毅", "海", "飞", "林", "阳", "凯", "彬", "智", "锋",
};
static const char *const female_old[] = {
	"秀", "英", "兰", "芳", "桂", "珍", "凤", "玉", "淑", "华",
	"梅", "翠", "琴", "素", "莲", "菊", "香", "云", "月", "荷",
};
static const char *const female_young[] = {
	"丽", "静", "敏", "燕", "艳", "娟", "霞", "玲", "婷", "雪",
	"琳", "颖", "洁", "慧", "红", "萍", "莉", "芬", "娜", "丹",
};
/* Names of well-known people the generator could otherwise produce:
 * demo members must not look like real persons. */
static const char *const famous[] = {
	"李鹏",   "李强",   "王刚",   "王明",   "王毅",   "王勇",
	"朱德",   "陈云",   "陈毅",   "宋平",   "马凯",   "黄菊",
	"汪洋",   "刘华清", "王洪文", "贺国强", "胡春华", "孙春兰",
	"张国清", "陈文清", "姚明",   "李娜",   "刘德华", "邓颖超",
};

/* Fictional region codes: province 43 has no prefecture 99. */
static const char *const regions[] = { "439901", "439902", "439921", "439922",
	                               "439923" };
static const char *const mobile_prefix[] = { "139", "138", "137", "136",
	                                     "135", "133", "130", "131" };
static const char *const destinations[] = {
	"广东省深圳市", "广东省广州市", "广东省东莞市", "广东省佛山市",
	"浙江省温州市", "浙江省义乌市", "上海市",       "北京市",
	"福建省厦门市", "江苏省苏州市", "海南省海口市", "湖南省长沙市",
};

/* Ages are counted at the campaign's start, 2005-01-06. */
#define REF_YEAR 2005

/* --- generator state ---------------------------------------------- */

#define IDSET_SIZE 16384 /* power of two, well over 2 * DEMO_MEMBERS */

struct gen {
	struct store *st;
	struct rng r;
	struct xj_error *err;
	struct demo_summary sum;
	int64_t campaign_id, batch1, system_id[DEMO_SYSTEMS];
	struct quota q[EV__MAX];
	uint64_t *idset; /* the first 17 digits of each ID number, 0 empty */
	int32_t ref;     /* 2005-01-06 */
};

enum branch_role { BR_ACTIVE, BR_RETIRED, BR_NEWORG };

struct branch_plan {
	enum branch_role role;
	int members;
	int leaders; /* of the unit's leaders, how many sit here */
	char name[96];
	char code[32];
	int weak;
	int64_t id;
};

/* Insert into the set; false if already there. */
static int idset_add(uint64_t *set, uint64_t key)
{
	size_t i =
	    (size_t)((key * 0x9e3779b97f4a7c15u) >> 50) & (IDSET_SIZE - 1);

	while (set[i] != 0) {
		if (set[i] == key)
			return 0;
		i = (i + 1) & (IDSET_SIZE - 1);
	}
	set[i] = key;
	return 1;
}

static int is_famous(const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(famous); i++)
		if (strcmp(famous[i], name) == 0)
			return 1;
	return 0;
}

static const char *given_char(struct rng *r, enum gender g, int old)
{
	if (g == GENDER_MALE)
		return old ? rng_pick(r, male_old, NELEM(male_old))
		           : rng_pick(r, male_young, NELEM(male_young));
	return old ? rng_pick(r, female_old, NELEM(female_old))
	           : rng_pick(r, female_young, NELEM(female_young));
}

/* A plausible name: surname and one or two characters whose style
 * follows the birth year. */
static void make_name(struct rng *r, enum gender g, int birth_year, char *buf,
                      size_t size)
{
	int old_share = birth_year < 1960 ? 700 : 250;

	do {
		const char *s =
		    rng_chance(r, 600)
		        ? rng_pick(r, surnames_common, NELEM(surnames_common))
		        : rng_pick(r, surnames_other, NELEM(surnames_other));
		const char *a = given_char(r, g, rng_chance(r, old_share));

		if (rng_chance(r, 700))
			snprintf(buf, size, "%s%s%s", s, a,
			         given_char(r, g, rng_chance(r, old_share)));
		else
			snprintf(buf, size, "%s%s", s, a);
	} while (is_famous(buf));
}

/* A GB 11643 number: region, birth date, a sequence whose last digit is
 * odd for men and even for women, and the check character. Distinct
 * across the generation. */
static void make_idnum(struct gen *g, int32_t birth, enum gender sex,
                       char buf[19])
{
	const char *region = rng_pick(&g->r, regions, NELEM(regions));
	int y, m, d, seq;
	uint64_t key;
	int i;

	date_to_ymd(birth, &y, &m, &d);
	for (;;) {
		seq = rng_range(&g->r, 0, 99) * 10 +
		      rng_range(&g->r, 0, 4) * 2 + (sex == GENDER_MALE);
		snprintf(buf, 19, "%s%04d%02d%02d%03d", region, y, m, d, seq);
		key = 0;
		for (i = 0; i < 17; i++)
			key = key * 10 + (uint64_t)(buf[i] - '0');
		if (idset_add(g->idset, key))
			break;
	}
	buf[17] = idnum_check_char(buf);
	buf[18] = '\0';
}

static void make_phone(struct rng *r, char *buf, size_t size)
{
	snprintf(buf, size, "%s%04d%04d",
	         rng_pick(r, mobile_prefix, NELEM(mobile_prefix)),
	         rng_range(r, 0, 9999), rng_range(r, 0, 9999));
}

/* A birth date for someone aged age on the reference day. */
static int32_t birth_for_age(struct gen *g, int age)
{
	int32_t b =
	    date_from_ymd(REF_YEAR - age - 1, 1, 7) + rng_range(&g->r, 0, 364);

	return b == 0 ? 1 : b; /* day 0 would be stored as unknown */
}

/* 18th birthday of someone born on b. */
static int32_t adult_on(int32_t b)
{
	int y, m, d;

	date_to_ymd(b, &y, &m, &d);
	if (m == 2 && d == 29)
		d = 28;
	return date_from_ymd(y + 18, m, d);
}

/* Joined after turning 18 (the party constitution's minimum age), no later
 * than latest, within span_years of coming of age. */
static int32_t joined_for(struct gen *g, int32_t birth, int span_years,
                          int32_t latest)
{
	int32_t first = adult_on(birth) + 1, last = first + span_years * 365;

	if (last > latest)
		last = latest;
	if (last <= first)
		return first;
	return first + (int32_t)rng_below(&g->r, (uint32_t)(last - first + 1));
}

/* --- members ------------------------------------------------------ */

enum mkind {
	MK_LEADER,
	MK_ACTIVE,
	MK_NEWORG,
	MK_RETIRED,
};

static enum xj_err add_member(struct gen *g, int64_t branch_id,
                              enum unit_kind kind, enum mkind mk, int64_t *out)
{
	struct rng *r = &g->r;
	const int *rates = mk == MK_RETIRED  ? rate_retired
	                   : mk == MK_NEWORG ? rate_neworg
	                                     : rate[kind];
	int fire[EV_SHORT] = { 0 }, ev, c, age, male, y, m, d;
	char name[64], idnum[19], phone[16];
	int32_t last_full = date_from_ymd(2003, 12, 31);
	struct member mb;
	enum xj_err e;

	memset(&mb, 0, sizeof(mb));
	mb.org_id = branch_id;
	mb.status = MEMBER_FULL;
	if (mk != MK_LEADER)
		for (ev = 0; ev < EV_SHORT; ev++)
			fire[ev] = quota_fire(&g->q[ev], r, rates[ev]);

	/* Who the member is decides the age, then the categories. */
	if (mk == MK_LEADER) {
		age = rng_range(r, 38, 57);
		male = rng_chance(r, 880);
		mb.categories = MCAT_BIT(MCAT_ACTIVE) | MCAT_BIT(MCAT_LEADER);
	} else if (mk == MK_RETIRED) {
		age = rng_range(r, 55, 69) + rng_range(r, 0, 16);
		male = rng_chance(r, 800);
		mb.categories = MCAT_BIT(MCAT_RETIRED);
		/* 年老体弱 grows with age (§3.3). */
		if (rng_chance(r, age >= 80   ? 700
		                  : age >= 75 ? 450
		                  : age >= 70 ? 200
		                              : 50))
			mb.categories |= MCAT_BIT(MCAT_FRAIL);
		if (fire[EV_LOST])
			mb.categories |= MCAT_BIT(MCAT_LOST);
		else if (fire[EV_MOBILE])
			mb.categories |= MCAT_BIT(MCAT_MOBILE);
	} else if (fire[EV_LOST]) {
		age = rng_range(r, 28, 55);
		male = rng_chance(r, 800);
		mb.categories = MCAT_BIT(MCAT_LOST);
		if (mk == MK_NEWORG)
			mb.categories |= MCAT_BIT(MCAT_NEW_ORG);
		else if (kind == KIND_ENTERPRISE && rng_chance(r, 500))
			mb.categories |= MCAT_BIT(MCAT_UNEMPLOYED);
	} else if (fire[EV_UNEMPLOYED]) {
		/* 下岗 in the enterprise reforms; some went away to work. */
		age = rng_range(r, 35, 52);
		male = rng_chance(r, 650);
		mb.categories = MCAT_BIT(MCAT_UNEMPLOYED);
		if (fire[EV_MOBILE] || rng_chance(r, 250))
			mb.categories |= MCAT_BIT(MCAT_MOBILE);
	} else if (fire[EV_MOBILE]) {
		age = rng_range(r, 24, 50);
		male = rng_chance(r, 750);
		/* Organs' members are away on study or secondment, still
		 * employed; enterprise members went to work elsewhere. */
		mb.categories = MCAT_BIT(MCAT_MOBILE);
		if (mk == MK_NEWORG)
			mb.categories |= MCAT_BIT(MCAT_NEW_ORG);
		else if (kind != KIND_ENTERPRISE && kind != KIND_ZONE)
			mb.categories |= MCAT_BIT(MCAT_ACTIVE);
	} else {
		if (fire[EV_PROBATION])
			age = rng_range(r, 22, 32);
		else if (mk == MK_NEWORG)
			age = rng_range(r, 23, 50);
		else
			age = 23 +
			      (rng_range(r, 0, 36) + rng_range(r, 0, 36)) / 2;
		male =
		    rng_chance(r, mk == MK_NEWORG ? 700 : male_permille[kind]);
		mb.categories = MCAT_BIT(MCAT_ACTIVE);
		if (mk == MK_NEWORG)
			mb.categories |= MCAT_BIT(MCAT_NEW_ORG);
		if (fire[EV_FRAIL])
			mb.categories |= MCAT_BIT(MCAT_FRAIL);
		if (fire[EV_PROBATION])
			mb.status = MEMBER_PROBATIONARY;
	}

	mb.gender = male ? GENDER_MALE : GENDER_FEMALE;
	mb.birth_date = birth_for_age(g, age);
	date_to_ymd(mb.birth_date, &y, &m, &d);
	make_name(r, mb.gender, y, name, sizeof(name));
	mb.name = name;
	make_idnum(g, mb.birth_date, mb.gender, idnum);
	mb.id_number = idnum;
	if (mb.status == MEMBER_PROBATIONARY)
		/* 预备期 of a year: joined in 2004, full in 2005. */
		mb.joined_date =
		    date_from_ymd(2004, 1, 1) + rng_range(r, 0, 365);
	else
		mb.joined_date = joined_for(
		    g, mb.birth_date, mk == MK_LEADER ? 15 : 30, last_full);

	if (mb.categories & MCAT_BIT(MCAT_MOBILE)) {
		int shrt = quota_fire(
		    &g->q[EV_SHORT], r,
		    mb.categories & MCAT_BIT(MCAT_ACTIVE) ? 600 : 250);

		if (mb.categories & MCAT_BIT(MCAT_RETIRED))
			shrt = 0; /* living with children elsewhere */
		mb.mobile_dest = rng_pick(r, destinations, NELEM(destinations));
		if (shrt) {
			mb.absence_start =
			    date_from_ymd(2004, 9, 1) + rng_range(r, 0, 120);
			mb.absence_months = rng_range(r, 2, 5);
			g->sum.mobile_short++;
		} else {
			mb.absence_start =
			    date_from_ymd(2002, 3, 1) + rng_range(r, 0, 960);
			mb.absence_months =
			    mb.categories & MCAT_BIT(MCAT_RETIRED)
			        ? rng_range(r, 12, 60)
			        : rng_range(r, 7, 36);
			g->sum.mobile_long++;
		}
	}

	/* Mobile numbers: none for the lost, fewer among the retired. */
	if (!(mb.categories & MCAT_BIT(MCAT_LOST)) &&
	    (!(mb.categories & MCAT_BIT(MCAT_RETIRED)) ||
	     rng_chance(r, mb.categories & MCAT_BIT(MCAT_FRAIL) ? 300 : 550))) {
		make_phone(r, phone, sizeof(phone));
		mb.phone = phone;
	}

	e = store_member_insert(g->st, &mb, out, g->err);
	if (e != XJ_OK)
		return e;
	g->sum.members++;
	if (mb.status == MEMBER_PROBATIONARY)
		g->sum.probationary++;
	for (c = 0; c < MCAT__MAX; c++)
		if (mb.categories & MCAT_BIT(c))
			g->sum.category[c]++;
	return XJ_OK;
}

/* --- organisations ------------------------------------------------ */

static enum xj_err add_org(struct gen *g, int64_t parent, enum org_type type,
                           const char *name, const char *code, int sys,
                           int is_unit, int weak, int64_t *id)
{
	struct org o;
	enum xj_err e;

	memset(&o, 0, sizeof(o));
	o.parent_id = parent;
	o.type = type;
	o.name = name;
	o.code = code;
	o.system_id = sys >= 0 ? g->system_id[sys] : 0;
	o.batch_id = sys >= 0 ? g->batch1 : 0;
	o.is_unit = is_unit;
	o.weak = weak;
	e = store_org_insert(g->st, &o, id, g->err);
	if (e != XJ_OK)
		return e;
	g->sum.orgs++;
	g->sum.weak_orgs += weak != 0;
	return XJ_OK;
}

/* "机关" to name an organ's branches, unless the department is one
 * already ("市委机关" has 市委机关第一党支部). */
static const char *organ_infix(const char *dept)
{
	static const char suffix[] = "机关";
	size_t n = strlen(dept), k = sizeof(suffix) - 1;

	return n >= k && memcmp(dept + n - k, suffix, k) == 0 ? "" : suffix;
}

/*
 * Split the unit's members over its branches: a 离退休党支部 for most
 * larger units, a 两新组织 branch where the unit has one, and 1..5
 * in-service branches; 2..6 branches in all, none under 3 members.
 */
static int plan_branches(struct gen *g, int ui, int size, int leaders,
                         struct branch_plan *b)
{
	const struct unit_def *u = &units[ui];
	int n = 0, rest = size, nact, i, retired = 0, neworg = 0;

	if (u->kind != KIND_ZONE &&
	    (u->size >= SZ_L || (u->size == SZ_M && rng_chance(&g->r, 600))))
		retired = size * rng_range(&g->r, 18, 28) / 100;
	if (u->flags & F_NEWORG)
		neworg = u->kind == KIND_ZONE
		             ? size * rng_range(&g->r, 45, 55) / 100
		             : size * rng_range(&g->r, 20, 25) / 100;
	if (retired > 0 && retired < 3)
		retired = 3;
	if (neworg > 0 && neworg < 3)
		neworg = 3;
	rest -= retired + neworg;
	nact = (rest + rng_range(&g->r, 0, 10)) / 15;
	if (nact < 1)
		nact = 1;
	if (nact + (retired > 0) + (neworg > 0) < 2)
		nact = 2;
	if (nact + (retired > 0) + (neworg > 0) > 6)
		nact = 6 - (retired > 0) - (neworg > 0);
	for (i = 0; i < nact; i++, n++) {
		memset(&b[n], 0, sizeof(b[n]));
		b[n].role = BR_ACTIVE;
		b[n].members = rest / nact + (i < rest % nact);
		b[n].leaders = leaders / nact + (i < leaders % nact);
		/* Some production branches of enterprises in reform are
		 * 软弱涣散 (§3.2: rectify weak organisations first). */
		b[n].weak = u->kind == KIND_ENTERPRISE && i > 0 &&
		            rng_chance(&g->r, 150);
		if (u->kind == KIND_ORGAN && nact == 1)
			snprintf(b[n].name, sizeof(b[n].name), "%s%s党支部",
			         u->dept, organ_infix(u->dept));
		else if (u->kind == KIND_ORGAN)
			snprintf(b[n].name, sizeof(b[n].name), "%s%s第%s党支部",
			         u->dept, organ_infix(u->dept), numerals[i]);
		else
			snprintf(b[n].name, sizeof(b[n].name), "%s%s", u->dept,
			         branch_names[u->kind][i]);
	}
	if (neworg > 0) {
		memset(&b[n], 0, sizeof(b[n]));
		b[n].role = BR_NEWORG;
		b[n].members = neworg;
		b[n].weak = rng_chance(&g->r, 500);
		snprintf(b[n].name, sizeof(b[n].name), "%s%s", u->dept,
		         u->kind == KIND_ZONE ? "非公企业联合党支部"
		                              : "个体私营企业联合党支部");
		n++;
	}
	if (retired > 0) {
		memset(&b[n], 0, sizeof(b[n]));
		b[n].role = BR_RETIRED;
		b[n].members = retired;
		snprintf(b[n].name, sizeof(b[n].name), "%s离退休党支部",
		         u->dept);
		n++;
	}
	return n;
}

static enum xj_err add_unit(struct gen *g, int ui, int size, int64_t root)
{
	const struct unit_def *u = &units[ui];
	struct branch_plan b[6];
	int64_t unit_id, body_id, parent, member_id;
	int64_t leader_ids[7];
	char name[96], code[32];
	int nb, i, k, nleaders, nact = 0, seated = 0;
	enum xj_err e;

	nleaders = 3 + size / 30 + rng_range(&g->r, 0, 1);
	if (nleaders > 7)
		nleaders = 7;

	snprintf(name, sizeof(name), "%s%s", u->dept,
	         org_type_name((enum org_type)u->type));
	snprintf(code, sizeof(code), "U%03d", ui + 1);
	e = add_org(g, root, (enum org_type)u->type, name, code, u->sys, 1, 0,
	            &unit_id);
	if (e != XJ_OK)
		return e;
	g->sum.units++;

	snprintf(name, sizeof(name), "%s领导班子", u->dept);
	snprintf(code, sizeof(code), "U%03d-LB", ui + 1);
	e = add_org(g, unit_id, ORG_LEADERSHIP, name, code, u->sys, 0, 0,
	            &body_id);
	if (e != XJ_OK)
		return e;
	g->sum.leadership_bodies++;

	nb = plan_branches(g, ui, size, nleaders, b);
	for (i = 0; i < nb; i++)
		nact += b[i].role == BR_ACTIVE;

	/* A 党总支 over the in-service branches of a large unit (§3.1). */
	parent = unit_id;
	if (nact >= 4) {
		snprintf(name, sizeof(name), "%s%s党总支", u->dept,
		         u->kind == KIND_ORGAN ? organ_infix(u->dept) : "");
		snprintf(code, sizeof(code), "U%03d-Z01", ui + 1);
		e = add_org(g, unit_id, ORG_GENERAL_BRANCH, name, code, u->sys,
		            0, 0, &parent);
		if (e != XJ_OK)
			return e;
		g->sum.general_branches++;
	}

	for (i = 0; i < nb; i++) {
		enum mkind mk = b[i].role == BR_RETIRED  ? MK_RETIRED
		                : b[i].role == BR_NEWORG ? MK_NEWORG
		                                         : MK_ACTIVE;

		snprintf(b[i].code, sizeof(b[i].code), "U%03d-B%02d", ui + 1,
		         i + 1);
		e = add_org(g, b[i].role == BR_ACTIVE ? parent : unit_id,
		            ORG_BRANCH, b[i].name, b[i].code, u->sys, 0,
		            b[i].weak, &b[i].id);
		if (e != XJ_OK)
			return e;
		g->sum.branches++;
		g->sum.retiree_branches += b[i].role == BR_RETIRED;
		g->sum.new_org_branches += b[i].role == BR_NEWORG;
		for (k = 0; k < b[i].members; k++) {
			int lead = k < b[i].leaders;

			e = add_member(g, b[i].id, (enum unit_kind)u->kind,
			               lead ? MK_LEADER : mk, &member_id);
			if (e != XJ_OK)
				return e;
			if (lead)
				leader_ids[seated++] = member_id;
		}
	}

	/* 双重组织生活: the leaders also sit in the 领导班子 (§3.3). The
	 * first leader placed is the 书记, then one or two 副书记. */
	for (i = 0; i < seated; i++) {
		const char *title =
		    u->type == ORG_PARTY_GROUP ? "成员" : "委员";

		if (i == 0)
			title = "书记";
		else if (i == 1 || (i == 2 && seated >= 5))
			title = "副书记";
		e = store_body_seat(g->st, body_id, leader_ids[i], title,
		                    g->err);
		if (e != XJ_OK)
			return e;
		g->sum.seats++;
	}
	return XJ_OK;
}

/* Unit sizes: drawn by size class, then nudged to DEMO_MEMBERS in all. */
static void plan_sizes(struct gen *g, int *size)
{
	int i, sum = 0;

	for (i = 0; i < DEMO_UNITS; i++) {
		size[i] = rng_range(&g->r, size_lo[units[i].size],
		                    size_hi[units[i].size]);
		sum += size[i];
	}
	while (sum != DEMO_MEMBERS) {
		i = (int)rng_below(&g->r, DEMO_UNITS);
		if (sum < DEMO_MEMBERS) {
			size[i]++;
			sum++;
		} else if (size[i] > size_lo[units[i].size]) {
			size[i]--;
			sum--;
		}
	}
}

/* --- the campaign ------------------------------------------------- */

static enum xj_err require_empty(struct gen *g)
{
	static const enum store_count what[] = { COUNT_SYSTEMS, COUNT_ORGS,
		                                 COUNT_MEMBERS };
	size_t i;
	int64_t n;
	enum xj_err e;

	for (i = 0; i < NELEM(what); i++) {
		e = store_count(g->st, what[i], &n, g->err);
		if (e != XJ_OK)
			return e;
		if (n != 0)
			return xj_error_set(
			    g->err, XJ_ECONFLICT,
			    "数据库中已有系统、组织或党员数据，示范数据只能"
			    "生成到新数据库中");
	}
	return XJ_OK;
}

static enum xj_err generate(struct gen *g)
{
	static const struct {
		const char *name;
		int y1, m1, d1, y2, m2, d2;
	} batches[] = {
		{ "第一批", 2005, 1, 6, 2005, 6, 30 },
		{ "第二批", 2005, 7, 1, 2005, 12, 31 },
		/* §3.2: the seeds only mention a third batch. */
		{ "第三批", 0, 0, 0, 0, 0, 0 },
	};
	struct campaign c;
	struct batch bt;
	struct xj_system sy;
	int size[DEMO_UNITS];
	int64_t root, id;
	size_t i;
	enum xj_err e;

	e = require_empty(g);
	if (e != XJ_OK)
		return e;

	memset(&c, 0, sizeof(c));
	c.name = DEMO_CAMPAIGN_NAME;
	c.start_date = g->ref;
	c.end_date = date_from_ymd(2005, 12, 31);
	e = store_campaign_insert(g->st, &c, &g->campaign_id, g->err);
	if (e != XJ_OK)
		return e;
	g->sum.campaign_id = g->campaign_id;

	for (i = 0; i < NELEM(batches); i++) {
		memset(&bt, 0, sizeof(bt));
		bt.campaign_id = g->campaign_id;
		bt.ordinal = (int)i + 1;
		bt.name = batches[i].name;
		if (batches[i].y1 != 0) {
			bt.start_date = date_from_ymd(
			    batches[i].y1, batches[i].m1, batches[i].d1);
			bt.end_date = date_from_ymd(
			    batches[i].y2, batches[i].m2, batches[i].d2);
		}
		e = store_batch_insert(g->st, &bt, &id, g->err);
		if (e != XJ_OK)
			return e;
		if (i == 0)
			g->batch1 = id;
		g->sum.batches++;
	}

	for (i = 0; i < DEMO_SYSTEMS; i++) {
		memset(&sy, 0, sizeof(sy));
		sy.campaign_id = g->campaign_id;
		sy.name = system_names[i];
		e = store_system_insert(g->st, &sy, &g->system_id[i], g->err);
		if (e != XJ_OK)
			return e;
		g->sum.systems++;
	}

	e = add_org(g, 0, ORG_COMMITTEE, CITY_COMMITTEE, DEMO_ROOT_CODE, -1, 0,
	            0, &root);
	if (e != XJ_OK)
		return e;
	g->sum.root_org_id = root;

	for (i = 0; i < EV__MAX; i++) {
		g->q[i].acc = rng_range(&g->r, 0, 999);
		g->q[i].threshold = rng_range(&g->r, 500, 1500);
	}
	plan_sizes(g, size);
	for (i = 0; i < DEMO_UNITS; i++) {
		e = add_unit(g, (int)i, size[i], root);
		if (e != XJ_OK)
			return e;
	}
	return XJ_OK;
}

enum xj_err demo_generate(struct store *st, uint64_t seed,
                          struct demo_summary *sum, struct xj_error *err)
{
	struct gen g;
	enum xj_err e;

	if (sum != NULL)
		memset(sum, 0, sizeof(*sum));
	memset(&g, 0, sizeof(g));
	g.st = st;
	g.err = err;
	g.sum.seed = seed;
	g.ref = date_from_ymd(REF_YEAR, 1, 6);
	rng_seed(&g.r, seed);

	e = store_begin(st, err);
	if (e != XJ_OK)
		return e;
	g.idset = xcalloc(IDSET_SIZE, sizeof(*g.idset));
	e = generate(&g);
	free(g.idset);
	if (e == XJ_OK)
		e = store_commit(st, err);
	if (e != XJ_OK) {
		store_rollback(st);
		return e;
	}
	if (sum != NULL)
		*sum = g.sum;
	return XJ_OK;
}
