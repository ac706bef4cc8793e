/*
 * gen_roster N CODES... - print a member roster CSV of N generated members
 * (valid GB 11643 ID numbers, region 439999, not real people) spread over
 * the branch codes given, for bench/import.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "xianjiao/alloc.h"
#include "xianjiao/core.h"

static uint64_t rng = 0x2005;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

int main(int argc, char **argv)
{
	static const char *const sur[] = { "王", "李", "张", "刘", "陈", "杨" };
	static const char *const giv[] = { "建国", "秀英", "志强", "桂兰",
		                           "海燕", "卫东", "红梅", "国庆" };
	int64_t n, i;
	char id[19];

	if (argc < 3 || util_parse_int(argv[1], 1, 10000000, &n, "N", NULL)) {
		fprintf(stderr, "usage: gen_roster N BRANCH-CODE...\n");
		return 2;
	}
	printf("身份证号码,姓名,性别,出生日期,入党时间,组织代码,人员类别\r\n");
	for (i = 0; i < n; i++) {
		int y = 1940 + (int)(next() % 60), m = 1 + (int)(next() % 12);
		int d = 1 + (int)(next() % 28);
		int male = (int)(next() % 2);
		int order = (int)(i % 500) * 2 + male; /* odd: male */

		/* 6 region + 8 birth + 3 order: i / 500 picks the region and
		 * i % 500 the order, so no two members share an ID. */
		snprintf(id, sizeof(id), "%02d%04d%04d%02d%02d%03d",
		         43 + (int)(i / 500 / 10000), (int)(i / 500 % 10000), y,
		         m, d, order % 1000);
		id[17] = idnum_check_char(id);
		id[18] = '\0';
		printf("%s,%s%s,%s,%04d-%02d-%02d,%04d-07-01,%s,在职\r\n", id,
		       sur[next() % 6], giv[next() % 8], male ? "男" : "女", y,
		       m, d, y + 25 > 2004 ? 2004 : y + 25,
		       argv[2 + next() % (uint64_t)(argc - 2)]);
	}
	return 0;
}
