/*
 * review.c - the supervision group's review of a 党委（党组）成员's 情况
 * 反映 (entry.h): once, by a supervisor in scope, with a comment.
 */
#include <stdio.h>
#include <string.h>

#include "xianjiao/entry.h"
#include "xianjiao/store.h"
#include "xianjiao/text.h"

struct find {
	int64_t id;
	int64_t org_id, review_id;
	char reviewed_on[16];
	int found;
};

static int take(void *ctx, const struct report_row *r)
{
	struct find *f = ctx;

	if (r->id != f->id)
		return 0;
	f->found = 1;
	f->org_id = r->org_id;
	f->review_id = r->review_id;
	snprintf(f->reviewed_on, sizeof(f->reviewed_on), "%s", r->reviewed_on);
	return 1;
}

enum xj_err entry_report_review(struct store *st, int64_t record_id,
                                int64_t reviewer, unsigned role_mask,
                                const char *comment, int32_t today, int64_t *id,
                                struct xj_error *err)
{
	struct find f;
	size_t n = comment ? strlen(comment) : 0;
	int in = 0;
	enum xj_err e;

	memset(&f, 0, sizeof(f));
	f.id = record_id;
	if (text_blank(comment))
		return xj_error_field(err, XJ_EINVAL, "comment",
		                      "审查意见不能为空");
	if (utf8_validate(comment, n, "comment", err) != XJ_OK)
		return XJ_EINVAL;
	if (utf8_length(comment, n) > ENTRY_COMMENT_MAX)
		return xj_error_field(err, XJ_EINVAL, "comment",
		                      "审查意见最多 %d 字", ENTRY_COMMENT_MAX);
	e = store_reports(st, ENTRY_REPORT_KIND, ENTRY_REPORT_ITEM, 0, 0, 0,
	                  record_id, take, &f, err);
	if (e == XJ_OK && f.found)
		e = store_scope_org(st, reviewer, role_mask, f.org_id, &in,
		                    err);
	if (e != XJ_OK)
		return e;
	if (!f.found || !in)
		return xj_error_field(
		    err, XJ_ENOTFOUND, "id",
		    "没有编号为 %lld 的党委（党组）成员情况反映",
		    (long long)record_id);
	if (f.review_id != 0)
		return xj_error_field(err, XJ_ECONFLICT, "id",
		                      "这份情况反映已于 %s 审查",
		                      f.reviewed_on);
	return store_report_review(st, record_id, reviewer, comment, today, id,
	                           err);
}
