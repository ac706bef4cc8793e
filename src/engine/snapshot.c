/*
 * snapshot.c - the engine's record columns saved in the store and read
 * back, so that a rebuild replays only the records entered since.
 *
 * Records are append-only (a correction or a withdrawal is a new record),
 * so the columns of the records up to an id never change once built: kind,
 * void flag, subject, the two dates, the record that superseded it (among
 * those up to the id) and the value slots. Those bytes, in that order, for
 * ids 1..nrec, cut into chunks, are the snapshot. Everything else is read
 * fresh from the store by engine_build(): organisations, stages, members
 * (whose rows change), movements, and the records after the snapshot.
 *
 * A snapshot is used only when everything matches: its format, the
 * store's schema version, the digest of the plan's record layout (kinds,
 * fields, values, the slots the engine keeps: what the bytes mean), the
 * sizes, a BLAKE2b digest over its head and every byte, every record's
 * kind, subject and correction pointing where they may, and a sample of
 * records compared with the store's own rows. Otherwise engine_build()
 * says why on stderr and reads every record, as without one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/hash.h"
#include "xianjiao/store.h"

#define SNAP_FORMAT 1
#define SNAP_CHUNK ((size_t)8 << 20)
#define SNAP_SAMPLES 32

/* The plan's record layout, digested: what the bytes mean. */
static void layout_digest(const struct engine *e, char *hex)
{
	const struct plan *p = e->p;
	struct digest_ctx c;
	uint32_t order = 0x01020304; /* the host's byte order */
	int32_t n;
	int k, f, v;

	digest_begin(&c);
	digest_add(&c, "xianjiao engine snapshot", 25);
	digest_add(&c, &order, sizeof(order));
	n = SNAP_FORMAT;
	digest_add(&c, &n, sizeof(n));
	n = e->nslots;
	digest_add(&c, &n, sizeof(n));
	n = p->nkinds;
	digest_add(&c, &n, sizeof(n));
	for (k = 0; k < p->nkinds; k++) {
		const struct plan_kind *pk = &p->kinds[k];
		const struct ckind *ck = &e->kinds[k];

		digest_add(&c, pk->name, strlen(pk->name) + 1);
		n = (int32_t)pk->subject;
		digest_add(&c, &n, sizeof(n));
		n = pk->nfields;
		digest_add(&c, &n, sizeof(n));
		for (f = 0; f < pk->nfields; f++) {
			const struct plan_field *pf = &pk->fields[f];

			digest_add(&c, pf->name, strlen(pf->name) + 1);
			n = (int32_t)pf->type;
			digest_add(&c, &n, sizeof(n));
			n = ck->slot_of[f];
			digest_add(&c, &n, sizeof(n));
			n = pf->nvalues;
			digest_add(&c, &n, sizeof(n));
			for (v = 0; v < pf->nvalues; v++)
				digest_add(&c, pf->values[v],
				           strlen(pf->values[v]) + 1);
			n = ck->nwtext[f];
			digest_add(&c, &n, sizeof(n));
			for (v = 0; v < ck->nwtext[f]; v++)
				digest_add(&c, ck->wtext[f][v],
				           strlen(ck->wtext[f][v]) + 1);
		}
	}
	digest_end_hex(&c, hex);
}

/* The columns, in order, for ids 1..nrec. */
struct seg {
	char *p;
	size_t len;
};

static int segments(const struct engine *e, int64_t nrec, struct seg *s)
{
	size_t n = (size_t)nrec;

	s[0] = (struct seg){ (char *)(e->rkind + 1), n };
	s[1] = (struct seg){ (char *)(e->rvoid + 1), n };
	s[2] = (struct seg){ (char *)(e->rsubj + 1), n * 4 };
	s[3] = (struct seg){ (char *)(e->rhap + 1), n * 4 };
	s[4] = (struct seg){ (char *)(e->rent + 1), n * 4 };
	s[5] = (struct seg){ (char *)(e->rsupby + 1), n * 4 };
	s[6] = (struct seg){ (char *)(e->rval + e->nslots),
		             n * (size_t)e->nslots * 4 };
	return 7;
}

static int64_t snap_bytes(const struct engine *e, int64_t nrec)
{
	return nrec * (18 + 4 * (int64_t)e->nslots);
}

/* The head as digested (before the bytes). */
static void head_digest(struct digest_ctx *c, const struct store_snapshot *h)
{
	int64_t v[8] = { h->format, h->schema_version, h->last_record_id,
		         h->nrec,   h->live,           h->nslots,
		         h->bytes,  h->nchunks };

	digest_add(c, v, sizeof(v));
	digest_add(c, h->layout, strlen(h->layout));
}

/* A cursor over the segments: copy out (save) or in (load). */
struct cursor {
	struct seg s[7];
	int n, i;
	size_t off;
};

static void cursor_move(struct cursor *c, char *buf, size_t len, int in)
{
	while (len > 0 && c->i < c->n) {
		struct seg *s = &c->s[c->i];
		size_t k = s->len - c->off < len ? s->len - c->off : len;

		if (in)
			memcpy(s->p + c->off, buf, k);
		else
			memcpy(buf, s->p + c->off, k);
		buf += k;
		len -= k;
		c->off += k;
		if (c->off == s->len) {
			c->i++;
			c->off = 0;
		}
	}
}

enum xj_err engine_snapshot_save(const struct engine *e, struct store *st,
                                 int64_t *bytes, struct xj_error *err)
{
	struct store_snapshot h;
	struct digest_ctx dc;
	struct cursor cur;
	char *buf;
	int64_t seq, left;
	enum xj_err rc;

	if (e->covered < e->nrec || e->bulk)
		return xj_error_set(
		    err, XJ_EINVAL,
		    "引擎不是按库中记录依次建立的，不能保存快照");
	memset(&h, 0, sizeof(h));
	h.format = SNAP_FORMAT;
	h.schema_version = store_schema_version(st);
	layout_digest(e, h.layout);
	h.last_record_id = e->covered;
	h.nrec = e->nrec;
	h.live = e->nrec_live;
	h.nslots = e->nslots;
	h.bytes = snap_bytes(e, e->nrec);
	h.nchunks = (h.bytes + (int64_t)SNAP_CHUNK - 1) / (int64_t)SNAP_CHUNK;
	memset(&cur, 0, sizeof(cur));
	cur.n = segments(e, e->nrec, cur.s);
	digest_begin(&dc);
	head_digest(&dc, &h);
	buf = xmalloc(SNAP_CHUNK);
	rc = store_begin(st, err);
	if (rc == XJ_OK)
		rc = store_snapshot_clear(st, err);
	for (seq = 0, left = h.bytes; rc == XJ_OK && left > 0; seq++) {
		size_t len =
		    left < (int64_t)SNAP_CHUNK ? (size_t)left : SNAP_CHUNK;

		cursor_move(&cur, buf, len, 0);
		digest_add(&dc, buf, len);
		rc = store_snapshot_chunk_put(st, seq, buf, len, err);
		left -= (int64_t)len;
	}
	free(buf);
	digest_end_hex(&dc, h.digest);
	if (rc == XJ_OK)
		rc = store_snapshot_head_put(st, &h, err);
	if (rc == XJ_OK)
		rc = store_commit(st, err);
	if (rc != XJ_OK) {
		store_rollback(st);
		return rc;
	}
	if (bytes)
		*bytes = h.bytes;
	return XJ_OK;
}

int64_t engine_snapshot_covers(const struct engine *e)
{
	return e->covered >= e->nrec ? e->covered : -1;
}

/* --- loading ------------------------------------------------------------- */

struct load {
	const struct store_snapshot *h;
	struct cursor cur;
	struct digest_ctx dc;
	int64_t next, left;
	char *why;
	size_t whysize;
};

static int load_chunk(void *ctx, int64_t seq, const void *data, size_t len)
{
	struct load *l = ctx;
	size_t want =
	    l->left < (int64_t)SNAP_CHUNK ? (size_t)l->left : SNAP_CHUNK;

	if (seq != l->next || l->left <= 0 || len != want) {
		snprintf(l->why, l->whysize, "快照第 %lld 块缺失或长度不符",
		         (long long)l->next + 1);
		return 1;
	}
	digest_add(&l->dc, data, len);
	cursor_move(&l->cur, (char *)data, len, 1);
	l->left -= (int64_t)len;
	l->next++;
	return 0;
}

/* Each record's kind, flag, subject and correction where they may be;
 * the lists of a subject's records linked as engine_add_record links
 * them (newest first). 0 and why if one is not. */
static int check_link(struct engine *e, int64_t nrec, int64_t *live, char *why,
                      size_t whysize)
{
	const struct plan *p = e->p;
	int64_t id;

	*live = 0;
	for (id = 1; id <= nrec; id++) {
		int k = e->rkind[id];
		int32_t s = e->rsubj[id], sup = e->rsupby[id];

		if (k == NO_KIND)
			continue;
		if (k >= p->nkinds || e->rvoid[id] > 1 ||
		    (sup != 0 &&
		     (sup <= id || sup > nrec || e->rkind[sup] != k))) {
			snprintf(why, whysize, "快照中记录 %lld 的内容无效",
			         (long long)id);
			return 0;
		}
		if (p->kinds[k].subject == SUBJECT_MEMBER) {
			if (s <= 0 || s > e->nmem || e->mname[s] == NULL) {
				snprintf(why, whysize,
				         "快照中记录 %lld 的党员 %d 不在库中",
				         (long long)id, (int)s);
				return 0;
			}
			e->rnext[id] = e->mrec_head[s];
			e->mrec_head[s] = (int32_t)id;
		} else {
			if (s <= 0 || s > e->norg || e->org[s].id == 0) {
				snprintf(why, whysize,
				         "快照中记录 %lld 的组织 %d 不在库中",
				         (long long)id, (int)s);
				return 0;
			}
			e->rnext[id] = e->orec_head[s];
			e->orec_head[s] = (int32_t)id;
		}
		++*live;
	}
	return 1;
}

struct probe {
	const struct engine *e;
	int64_t nrec;
	int ok;
};

static int probe_record(void *ctx, const struct scan_record *r)
{
	struct probe *pr = ctx;
	const struct engine *e = pr->e;
	int k = plan_kind_find(e->p, r->kind);
	int64_t id = r->id;

	if (id > pr->nrec) {
		pr->ok = k < 0; /* beyond nrec only kinds not counted */
		return 1;
	}
	if (k < 0) {
		pr->ok = e->rkind[id] == NO_KIND;
		return 1;
	}
	pr->ok =
	    e->rkind[id] == k &&
	    e->rsubj[id] == (e->p->kinds[k].subject == SUBJECT_MEMBER
	                         ? r->member_id
	                         : r->org_id) &&
	    e->rhap[id] == r->happened_on &&
	    e->rent[id] == date_beijing(r->entered_at) &&
	    (r->supersedes == 0 || (r->supersedes > 0 && r->supersedes < id &&
	                            e->rsupby[r->supersedes] == id));
	return 1;
}

/* A sample of the records the snapshot covers, compared with the store's
 * rows: the last, and others spread over the ids. */
static int probe(const struct engine *e, struct store *st,
                 const struct store_snapshot *h, char *why, size_t whysize,
                 enum xj_err *fail, struct xj_error *err)
{
	int i;

	for (i = 0; i < SNAP_SAMPLES && h->last_record_id > 0; i++) {
		int64_t id =
		    i == 0 ? h->last_record_id
		           : 1 + (h->last_record_id - 1) * i / SNAP_SAMPLES;
		struct probe pr = { e, h->nrec, 0 };
		int found;

		*fail =
		    store_record_get(st, id, probe_record, &pr, &found, err);
		if (*fail != XJ_OK)
			return 0;
		if (!found && (id > h->nrec || e->rkind[id] == NO_KIND))
			continue; /* an id the store never used */
		if (!found || !pr.ok) {
			snprintf(why, whysize, "快照中的记录 %lld 与库中的不符",
			         (long long)id);
			return 0;
		}
	}
	return 1;
}

int eng_snapshot_load(struct engine *e, struct store *st, int64_t max_record,
                      char *why, size_t whysize, struct xj_error *err)
{
	struct store_snapshot h;
	struct load l;
	char layout[SHA256_HEX_LEN], digest[SHA256_HEX_LEN];
	enum xj_err rc;
	int found;
	int64_t live;

	why[0] = '\0';
	rc = store_snapshot_head(st, &h, &found, err);
	if (rc != XJ_OK)
		return -1;
	if (!found)
		return 0;
	layout_digest(e, layout);
	if (h.format != SNAP_FORMAT) {
		snprintf(why, whysize, "快照格式 %d 不是本程序的格式 %d",
		         h.format, SNAP_FORMAT);
		return 0;
	}
	if (h.schema_version != store_schema_version(st)) {
		snprintf(why, whysize,
		         "快照作于数据库结构第 %d 版，当前为第 %d 版",
		         h.schema_version, store_schema_version(st));
		return 0;
	}
	if (strcmp(h.layout, layout) != 0 || h.nslots != e->nslots) {
		snprintf(why, whysize, "快照作于另一方案的记录格式");
		return 0;
	}
	if (h.nrec < 0 || h.nrec > h.last_record_id ||
	    h.last_record_id > max_record || h.nrec >= INT32_MAX ||
	    h.live < 0 || h.live > h.nrec || h.bytes != snap_bytes(e, h.nrec) ||
	    h.nchunks !=
	        (h.bytes + (int64_t)SNAP_CHUNK - 1) / (int64_t)SNAP_CHUNK) {
		snprintf(why, whysize,
		         "快照覆盖到记录 %lld，与库中记录（最大编号 %lld）不符",
		         (long long)h.last_record_id, (long long)max_record);
		return 0;
	}
	eng_reserve(e, 0, 0, max_record);
	memset(&l, 0, sizeof(l));
	l.h = &h;
	l.cur.n = segments(e, h.nrec, l.cur.s);
	l.left = h.bytes;
	l.why = why;
	l.whysize = whysize;
	digest_begin(&l.dc);
	head_digest(&l.dc, &h);
	rc = store_snapshot_chunks(st, load_chunk, &l, err);
	if (rc != XJ_OK)
		return -1;
	if (why[0] != '\0')
		return 0;
	if (l.left != 0 || l.next != h.nchunks) {
		snprintf(why, whysize, "快照不完整：缺少第 %lld 块起的内容",
		         (long long)l.next + 1);
		return 0;
	}
	digest_end_hex(&l.dc, digest);
	if (strcmp(digest, h.digest) != 0) {
		snprintf(why, whysize, "快照校验和不符");
		return 0;
	}
	if (!check_link(e, h.nrec, &live, why, whysize))
		return 0;
	if (live != h.live) {
		snprintf(why, whysize, "快照的记录数 %lld 与其说明 %lld 不符",
		         (long long)live, (long long)h.live);
		return 0;
	}
	if (!probe(e, st, &h, why, whysize, &rc, err))
		return rc != XJ_OK ? -1 : 0;
	e->nrec = h.nrec;
	e->nrec_live = h.live;
	e->covered = h.last_record_id;
	return 1;
}
