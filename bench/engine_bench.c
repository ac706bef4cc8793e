/*
 * engine_bench - the benchmark of issue 5 (bench/README.md). `make bench`
 * builds it and bench/run.sh runs it end to end; it is not a test and
 * `make test` never runs it.
 *
 *   engine_bench SCALE [--seed N] [--plan FILE] [--db FILE] [--pg]
 *                [--sql DIR] [--updates N] [--repeat N] [--reuse-db]
 *                [--no-sql]
 *
 * In one run, over one generated campaign (gen.h):
 *   a. feeding the engine: engine_new + engine_add_*, records per second
 *      (the generator's own time, measured alone first, taken off);
 *   b. one record's update: engine_add_record timed one call each
 *      (p50, p99) for --updates records spread over the second half of
 *      the stream, and for its last --updates records (late entries and
 *      corrections);
 *   c. the question (bench.h) over the live view: best of 5 and median;
 *   d. memory: engine_memory() per record, and the process's RSS;
 *   e. engine_view_at() as of 2005-02-20;
 *   f. with --db and/or --pg: the same data written into that SQLite
 *      file (made by `xianjiao init`) and into PostgreSQL (bench/pg.sh
 *      sets PGHOST etc.), cold rebuilds from the SQLite file (from every
 *      record; then, after engine_snapshot_save, from the snapshot),
 *      whose answers must equal the fed engine's, then the question in
 *      SQL of each peer. Every answer is checked against the engine's:
 *      MISMATCH and exit status 1 if any differs.
 *
 * --reuse-db: the --db file already holds this scale and seed's campaign
 * (from an earlier run with --db): it is not loaded again. --no-sql: no
 * question in SQL (the rebuilds only).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "xianjiao/alloc.h"
#include "xianjiao/date.h"
#include "xianjiao/engine.h"
#include "xianjiao/store.h"

#include "bench.h"

struct options {
	int scale;
	uint64_t seed;
	const char *plan;
	const char *db;
	const char *sql;
	int pg;
	int reuse_db, no_sql;
	int64_t updates;
	int repeat;
};

static void usage(void)
{
	fprintf(stderr, "用法: engine_bench city|province|nation [--seed N] "
	                "[--plan FILE]\n"
	                "                    [--db FILE] [--pg] [--sql DIR] "
	                "[--updates N] [--repeat N]\n"
	                "                    [--reuse-db] [--no-sql]\n");
	exit(2);
}

static int64_t int_arg(const char *s, int64_t lo, int64_t hi, const char *n)
{
	struct xj_error err;
	int64_t v;

	if (util_parse_int(s, lo, hi, &v, n, &err) != XJ_OK) {
		fprintf(stderr, "engine_bench: %s\n", err.msg);
		exit(2);
	}
	return v;
}

static void parse_args(int argc, char **argv, struct options *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->seed = 2005;
	o->plan = "plans/2005-xianjiao.yaml";
	o->sql = "bench/sql";
	o->updates = 100000;
	o->repeat = 3;
	if (argc < 2 || (o->scale = gen_scale_parse(argv[1])) < 0)
		usage();
	for (i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--pg") == 0) {
			o->pg = 1;
			continue;
		}
		if (strcmp(a, "--reuse-db") == 0) {
			o->reuse_db = 1;
			continue;
		}
		if (strcmp(a, "--no-sql") == 0) {
			o->no_sql = 1;
			continue;
		}
		if (v == NULL)
			usage();
		i++;
		if (strcmp(a, "--seed") == 0)
			o->seed = (uint64_t)int_arg(v, 0, INT64_MAX, "seed");
		else if (strcmp(a, "--plan") == 0)
			o->plan = v;
		else if (strcmp(a, "--db") == 0)
			o->db = v;
		else if (strcmp(a, "--sql") == 0)
			o->sql = v;
		else if (strcmp(a, "--updates") == 0)
			o->updates = int_arg(v, 1, 100000000, "updates");
		else if (strcmp(a, "--repeat") == 0)
			o->repeat = (int)int_arg(v, 1, 100, "repeat");
		else
			usage();
	}
}

/* --- the generator's kinds in the plan --------------------------------- */

struct kmap {
	int kind[GK__MAX];
	int field[GK__MAX][GEN_FIELDS_MAX];
};

static int field_fits(const struct gen_field *gf, const struct plan_field *pf)
{
	int i;

	switch (gf->type) {
	case GF_NUMBER:
		return pf->type == FIELD_NUMBER;
	case GF_ZISHU:
		return pf->type == FIELD_ZISHU;
	case GF_TEXT:
		return pf->type == FIELD_TEXT;
	case GF_MEMBER:
		return pf->type == FIELD_MEMBER;
	default:
		if (pf->type != FIELD_ENUM)
			return 0;
		for (i = 0; i < pf->nvalues; i++)
			if (i >= GEN_VALUES_MAX || gf->values[i] == NULL ||
			    strcmp(gf->values[i], pf->values[i]) != 0)
				return 0;
		return i == GEN_VALUES_MAX || gf->values[i] == NULL;
	}
}

/* The generator writes the kinds of /tmp/kinds.md: check the plan has
 * them with the same fields, types and values, and that every field the
 * plan requires is one the generator writes. */
static int map_kinds(const struct plan *p, struct kmap *km)
{
	int k, f, j;

	for (k = 0; k < GK__MAX; k++) {
		const struct gen_kind_def *gk = &gen_kinds[k];
		const struct plan_kind *pk;

		km->kind[k] = plan_kind_find(p, gk->id);
		if (km->kind[k] < 0) {
			fprintf(stderr, "engine_bench: 方案中没有记录类型 %s\n",
			        gk->id);
			return -1;
		}
		pk = &p->kinds[km->kind[k]];
		if ((pk->subject == SUBJECT_MEMBER) != gk->member_subject) {
			fprintf(stderr, "engine_bench: %s 的对象不符\n",
			        gk->id);
			return -1;
		}
		for (f = 0; f < gk->nfields; f++) {
			j = plan_field_find(pk, gk->fields[f].name);
			if (j < 0 ||
			    !field_fits(&gk->fields[f], &pk->fields[j])) {
				fprintf(stderr,
				        "engine_bench: %s.%s 与方案不符\n",
				        gk->id, gk->fields[f].name);
				return -1;
			}
			km->field[k][f] = j;
		}
		for (j = 0; j < pk->nfields; j++) {
			for (f = 0; f < gk->nfields; f++)
				if (km->field[k][f] == j)
					break;
			if (pk->fields[j].required && f == gk->nfields) {
				fprintf(stderr,
				        "engine_bench: 生成器不写 %s.%s\n",
				        gk->id, pk->fields[j].name);
				return -1;
			}
		}
	}
	return 0;
}

/* --- feeding the engine ------------------------------------------------ */

struct lat {
	int64_t *ns;
	int64_t n, max;
};

struct lat_sum {
	int64_t n;
	double p50_us, p99_us, max_us;
};

static void lat_init(struct lat *l, int64_t max)
{
	l->ns = xcalloc((size_t)max + 1, sizeof(*l->ns));
	l->n = 0;
	l->max = max;
}

struct feed {
	struct engine *e;
	const struct kmap *km;
	/* Timed one call each (ns): the last records of the stream, and
	 * every k-th record of its second half. */
	struct lat tail, spread;
	int64_t tail_from, spread_from, spread_every;
	struct xj_error err;
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void to_eng(const struct kmap *km, const struct gen_rec *g,
                   struct eng_record *r)
{
	const struct gen_kind_def *gk = &gen_kinds[g->kind];
	int f;

	r->id = g->id;
	r->kind = km->kind[g->kind];
	r->org_id = g->org;
	r->member_id = g->member;
	r->happened_on = g->happened;
	r->entered_on = g->entered;
	r->supersedes = g->supersedes;
	r->voided = g->voided;
	for (f = 0; f < PLAN_FIELDS_MAX; f++) {
		r->num[f] = -1;
		r->text[f] = NULL;
	}
	for (f = 0; f < gk->nfields; f++) {
		int j = km->field[g->kind][f];

		if (gk->fields[f].type == GF_TEXT)
			r->text[j] = g->t[f];
		else
			r->num[j] = g->v[f];
	}
}

static int feed_record(void *ctx, const struct gen_rec *g)
{
	struct feed *fd = ctx;
	struct eng_record r;
	struct lat *lat = NULL;
	enum xj_err e;
	int64_t t0;

	to_eng(fd->km, g, &r);
	if (g->id >= fd->tail_from)
		lat = &fd->tail;
	else if (g->id >= fd->spread_from && g->id % fd->spread_every == 0)
		lat = &fd->spread;
	if (lat == NULL) {
		e = engine_add_record(fd->e, &r, &fd->err);
	} else {
		t0 = now_ns();
		e = engine_add_record(fd->e, &r, &fd->err);
		if (lat->n < lat->max)
			lat->ns[lat->n++] = now_ns() - t0;
	}
	if (e != XJ_OK)
		fprintf(stderr, "engine_bench: 记录 %lld: %s\n",
		        (long long)g->id, fd->err.msg);
	return e != XJ_OK;
}

static int feed_movement(void *ctx, const struct gen_move *mv)
{
	struct feed *fd = ctx;
	struct eng_movement m = { mv->member, mv->kind, mv->on, mv->to_org };

	if (engine_add_movement(fd->e, &m, &fd->err) != XJ_OK) {
		fprintf(stderr, "engine_bench: 变动 %d: %s\n", (int)mv->member,
		        fd->err.msg);
		return 1;
	}
	return 0;
}

static int null_record(void *ctx, const struct gen_rec *g)
{
	(void)ctx;
	(void)g;
	return 0;
}

static int null_movement(void *ctx, const struct gen_move *mv)
{
	(void)ctx;
	(void)mv;
	return 0;
}

/* Organisations and members, as the store would hand them over. */
static int feed_structure(struct engine *e, const struct gen *g)
{
	struct xj_error err;
	char name[256], code[32];
	int32_t i;

	for (i = 1; i <= g->norgs; i++) {
		const struct gen_org *o = &g->orgs[i];
		struct eng_org eo;

		gen_org_name(g, i, name, sizeof(name));
		gen_org_code(g, i, code, sizeof(code));
		eo.id = i;
		eo.parent_id = o->parent;
		eo.type = (enum org_type)o->type;
		eo.is_unit = o->is_unit;
		eo.system_id = o->is_unit ? o->system : 0;
		eo.batch_ordinal = o->is_unit ? 1 : 0;
		eo.name = name;
		eo.code = code;
		if (engine_add_org(e, &eo, &err) != XJ_OK) {
			fprintf(stderr, "engine_bench: 组织 %d: %s\n", (int)i,
			        err.msg);
			return -1;
		}
	}
	for (i = 1; i <= g->nmembers; i++) {
		const struct gen_member *m = &g->members[i];
		struct eng_member em;

		gen_member_name(g, i, name, sizeof(name));
		em.id = i;
		em.org_id = m->branch;
		em.name = name;
		em.categories = m->categories;
		em.absence_months = m->absence_months;
		em.in_from = 0;
		if (engine_add_member(e, &em, &err) != XJ_OK) {
			fprintf(stderr, "engine_bench: 党员 %d: %s\n", (int)i,
			        err.msg);
			return -1;
		}
	}
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void lat_sum(struct lat *l, struct lat_sum *out)
{
	out->n = l->n;
	if (l->n > 0) {
		qsort(l->ns, (size_t)l->n, sizeof(*l->ns), cmp_i64);
		out->p50_us = l->ns[l->n / 2] / 1e3;
		out->p99_us = l->ns[l->n * 99 / 100] / 1e3;
		out->max_us = l->ns[l->n - 1] / 1e3;
	}
	free(l->ns);
}

/* --- the question ------------------------------------------------------ */

static int answer_from_engine(struct answer *a, const struct engine *e,
                              const struct plan *p, int64_t nsys)
{
	int learn = plan_stage_find(p, "learn"), i;
	int64_t id, n = 0, max = engine_org_max(e);
	struct answer model;

	memset(&model, 0, sizeof(model));
	model.p = p;
	if (learn < 0) {
		fprintf(stderr, "engine_bench: 方案中没有 learn 阶段\n");
		return -1;
	}
	for (i = 0; i < p->nreqs; i++)
		if (p->reqs[i].stage == learn && p->reqs[i].gate)
			model.req[model.nreq++] = i;
	model.unit = xcalloc((size_t)max + 1, sizeof(*model.unit));
	model.unit_sys = xcalloc((size_t)max + 1, sizeof(*model.unit_sys));
	for (id = 1; id <= max; id++) {
		const struct eng_org *o = engine_org(e, id);

		if (o == NULL || !o->is_unit)
			continue;
		model.unit[n] = (int32_t)id;
		model.unit_sys[n++] = (int32_t)o->system_id;
	}
	model.nunits = n;
	model.nsys = nsys;
	answer_like(a, &model);
	free(model.unit);
	free(model.unit_sys);
	return 0;
}

/* The question, asked of a view: what every caller of the engine would
 * do to show the 先教办 who is behind. */
static void engine_question(const struct eng_view *v, struct answer *a)
{
	int64_t u, s;
	int r;

	memset(a->units, 0, (size_t)(a->nsys + 1) * sizeof(*a->units));
	memset(a->allpass, 0, (size_t)(a->nsys + 1) * sizeof(*a->allpass));
	for (u = 0; u < a->nunits; u++) {
		int all = 1;

		for (r = 0; r < a->nreq; r++) {
			int pass = eng_unit_passes(v, a->req[r], a->unit[u]);

			a->fail[u * a->nreq + r] = (uint8_t)!pass;
			all &= pass;
		}
		s = a->unit_sys[u];
		if (s > 0 && s <= a->nsys) {
			a->units[s]++;
			a->allpass[s] += all;
		}
	}
	for (s = 1; s <= a->nsys; s++)
		for (r = 0; r < a->nreq; r++) {
			struct eng_count c;
			int64_t *x = &a->cnt[(s * a->nreq + r) * 3];

			eng_system_count(v, a->req[r], s, &c);
			x[0] = c.counted;
			x[1] = c.passed;
			x[2] = c.exempt;
		}
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Best and median of n timed runs of the question. */
static void time_question(const struct eng_view *v, struct answer *a, int n,
                          double *best, double *median)
{
	double t[16];
	int i;

	for (i = 0; i < n; i++) {
		double t0 = now_sec();

		engine_question(v, a);
		t[i] = now_sec() - t0;
	}
	qsort(t, (size_t)n, sizeof(t[0]), cmp_dbl);
	*best = t[0];
	*median = t[n / 2];
}

/* --- memory ------------------------------------------------------------ */

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0;
	char buf[128];

	if (f == NULL)
		return 0;
	if (fgets(buf, sizeof(buf), f) != NULL) {
		char *p = strchr(buf, ' ');

		if (p != NULL)
			pages = strtol(p + 1, NULL, 10);
	}
	fclose(f);
	return pages * (sysconf(_SC_PAGESIZE) / 1024);
}

static long peak_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* --- report ------------------------------------------------------------ */

struct results {
	int64_t nrec, nmov, nfail_pairs, nfail_units;
	int64_t gate_fail[PLAN_REQS_MAX];
	double gen_sec, feed_sec, feed_rate;
	struct lat_sum tail, spread;
	double eval_best, eval_median;
	size_t eng_bytes;
	double bytes_per_rec;
	long rss_fed_kb;
	double view_at_sec;
	int64_t view_at_fail_pairs;
	double rebuild_sec; /* from every record (ENG_BUILD_FULL) */
	double rebuild_cpu; /* the same, CPU seconds of this process */
	double snap_rebuild_cpu;
	double rebuilt_bytes;    /* engine_memory() per record, rebuilt */
	double snap_save_sec;    /* engine_snapshot_save */
	int64_t snap_bytes;      /* its size */
	double snap_rebuild_sec; /* engine_build() reading the snapshot */
	double load_sec;         /* both peers, one pass of the generator */
	int have_lite, have_pg;
	struct peer_times lite, pg;
	int64_t mismatches;
};

static const char *met(int ok)
{
	return ok ? "达到 met" : "未达到 NOT met";
}

static void report(const struct options *o, const struct gen *g,
                   const struct answer *a, const struct results *R)
{
	const struct plan *p = a->p;
	double faster = 0;
	double worst_p50 = R->spread.p50_us > R->tail.p50_us ? R->spread.p50_us
	                                                     : R->tail.p50_us;
	int r;

	printf("\n== xianjiao 评估引擎基准 / engine benchmark: %s, seed "
	       "%llu, plan %s ==\n",
	       gen_scale_name((enum gen_scale)o->scale),
	       (unsigned long long)o->seed, o->plan);
	printf("data: %d orgs, %d units, %d 系统, %d members, %lld records "
	       "(%.1f per member), %lld movements\n",
	       (int)g->norgs, (int)g->nunits, (int)g->nsystems,
	       (int)g->nmembers, (long long)R->nrec,
	       (double)R->nrec / g->nmembers, (long long)R->nmov);
	printf("gates of stage learn:");
	for (r = 0; r < a->nreq; r++)
		printf(" %s(%lld units fail)", p->reqs[a->req[r]].id,
		       (long long)R->gate_fail[r]);
	printf("\nunits failing at least one gate: %lld of %lld; failing "
	       "(unit, gate) pairs: %lld\n\n",
	       (long long)R->nfail_units, (long long)a->nunits,
	       (long long)R->nfail_pairs);

	printf("%-44s %14s\n", "feeding the engine (records/s)", "");
	printf("  %-42s %14.0f  (%.2f s for %lld records; generator "
	       "alone %.2f s)\n",
	       "engine_add_*", R->feed_rate, R->feed_sec, (long long)R->nrec,
	       R->gen_sec);
	printf("  %-42s %11.3f µs  p99 %.3f µs, max %.1f µs (%lld calls:"
	       " every k-th record of the stream's second half)\n",
	       "one record's update, p50", R->spread.p50_us, R->spread.p99_us,
	       R->spread.max_us, (long long)R->spread.n);
	printf("  %-42s %11.3f µs  p99 %.3f µs, max %.1f µs (%lld calls:"
	       " the stream's last records, mostly late entries and "
	       "corrections)\n",
	       "  the same, the last records, p50", R->tail.p50_us,
	       R->tail.p99_us, R->tail.max_us, (long long)R->tail.n);
	printf("  %-42s %11.1f B   (engine_memory %.1f MiB; RSS after "
	       "feeding %.1f MiB, peak %.1f MiB)\n",
	       "memory per record", R->bytes_per_rec, R->eng_bytes / 1048576.0,
	       R->rss_fed_kb / 1024.0, peak_kb() / 1024.0);
	printf("  %-42s %11.1f ms  (%lld failing pairs then)\n",
	       "engine_view_at(2005-02-20)", R->view_at_sec * 1e3,
	       (long long)R->view_at_fail_pairs);
	if (o->db) {
		printf("  %-42s %11.2f s   (CPU %.2f s; %.1f B per record in "
		       "the rebuilt engine)\n",
		       "cold engine_build() from every record", R->rebuild_sec,
		       R->rebuild_cpu, R->rebuilt_bytes);
		printf("  %-42s %11.2f s   (%.2f GiB)\n",
		       "engine_snapshot_save()", R->snap_save_sec,
		       R->snap_bytes / 1073741824.0);
		printf("  %-42s %11.2f s   (CPU %.2f s)\n",
		       "cold engine_build() from the snapshot",
		       R->snap_rebuild_sec, R->snap_rebuild_cpu);
	}

	printf("\n%-30s %14s %14s %14s\n", "the question", "engine", "SQLite",
	       "PostgreSQL");
	printf("%-30s %11.3f ms", "  best", R->eval_best * 1e3);
	if (R->have_lite)
		printf(" %12.3f s", R->lite.best);
	else
		printf(" %14s", "-");
	if (R->have_pg)
		printf(" %12.3f s", R->pg.best);
	else
		printf(" %14s", "-");
	printf("\n%-30s %11.3f ms", "  median", R->eval_median * 1e3);
	if (R->have_lite)
		printf(" %12.3f s", R->lite.median);
	else
		printf(" %14s", "-");
	if (R->have_pg)
		printf(" %12.3f s", R->pg.median);
	else
		printf(" %14s", "-");
	printf("\n%-30s %14s", "  ratio SQL / engine (best)", "1");
	if (R->have_lite)
		printf(" %13.0fx", R->lite.best / R->eval_best);
	else
		printf(" %14s", "-");
	if (R->have_pg)
		printf(" %13.0fx", R->pg.best / R->eval_best);
	else
		printf(" %14s", "-");
	printf("\n%-30s %14s", "  runs", "5");
	if (R->have_lite)
		printf(" %14d", R->lite.repeat);
	else
		printf(" %14s", "-");
	if (R->have_pg)
		printf(" %14d", R->pg.repeat);
	else
		printf(" %14s", "-");
	printf("\n");
	if (R->have_lite || R->have_pg)
		printf("loading the peers from one pass of the generator "
		       "(PostgreSQL parses its COPY in parallel): %.1f s\n",
		       R->load_sec);
	if (R->have_lite)
		printf("SQLite: indexes+ANALYZE %.1f s, file %.2f GiB\n",
		       R->lite.index, R->lite.db_bytes / 1073741824.0);
	if (R->have_pg)
		printf("PostgreSQL: indexes+ANALYZE %.1f s (side by side "
		       "with SQLite's), database %.2f GiB\n",
		       R->pg.index, R->pg.db_bytes / 1073741824.0);

	if (R->have_lite)
		faster = R->lite.best;
	if (R->have_pg && (faster == 0 || R->pg.best < faster))
		faster = R->pg.best;
	printf("\ntargets (issue 5; stated for the province scale):\n");
	printf("  full evaluation < 200 ms           %10.3f ms   %s\n",
	       R->eval_best * 1e3, met(R->eval_best < 0.2));
	printf("  one record's update p50 < 5 µs     %10.3f µs   %s\n",
	       worst_p50, met(worst_p50 < 5));
	if (faster > 0)
		printf("  >= 100x the faster SQL peer        %10.0fx      "
		       "%s\n",
		       faster / R->eval_best,
		       met(faster / R->eval_best >= 100));
	printf("  < 64 bytes per record              %10.1f B    %s\n",
	       R->bytes_per_rec, met(R->bytes_per_rec < 64));
	if (o->db)
		printf("  cold rebuild from SQLite < 60 s    %10.2f s    %s"
		       " (from the snapshot; %.2f s from every record)\n",
		       R->snap_rebuild_sec, met(R->snap_rebuild_sec < 60),
		       R->rebuild_sec);
	if (R->mismatches)
		printf("answers checked: MISMATCH\n");
	else if ((o->db || o->pg) && !o->no_sql)
		printf("answers checked: the engine's = the rebuilt engine's = "
		       "the SQL peers' (every unit, gate and 系统)\n");
	else if (o->db)
		printf("answers checked: the engine's = both rebuilt engines' "
		       "(every unit, gate and 系统; no SQL asked)\n");
	else
		printf("answers checked: none (the engine alone)\n");
}

/* --- main -------------------------------------------------------------- */

static double cpu_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* One cold build from the SQLite file, timed (wall clock and this
 * process's CPU: the machine is shared), its answer checked. */
static struct engine *build_timed(const struct options *o, const struct plan *p,
                                  int flags, const char *what,
                                  const struct answer *want, struct results *R,
                                  double *sec, double *cpu)
{
	struct xj_error err;
	struct eng_build_info info;
	struct store *st;
	struct engine *e;
	struct answer got;
	double t0, c0;
	int64_t n;

	if (store_open(o->db, 0, &st, &err) != XJ_OK) {
		fprintf(stderr, "engine_bench: %s: %s\n", o->db, err.msg);
		return NULL;
	}
	fprintf(stderr, "engine_bench: cold engine_build() from %s, %s\n",
	        o->db, what);
	t0 = now_sec();
	c0 = cpu_sec();
	if (engine_build_ex(st, p, flags, &info, &e, &err) != XJ_OK) {
		fprintf(stderr, "engine_bench: engine_build: %s (记录 %ld)\n",
		        err.msg, err.row);
		store_close(st);
		return NULL;
	}
	*sec = now_sec() - t0;
	*cpu = cpu_sec() - c0;
	store_close(st);
	if (!(flags & ENG_BUILD_FULL) && !info.snapshot) {
		fprintf(stderr, "engine_bench: the snapshot was not used: %s\n",
		        info.fallback);
		engine_free(e);
		return NULL;
	}
	answer_like(&got, want);
	engine_question(engine_live(e), &got);
	n = answer_diff(want, &got, what);
	R->mismatches += n;
	answer_release(&got);
	fprintf(stderr,
	        "engine_bench: %s: %.2f s, CPU %.2f s (%lld records from the "
	        "snapshot, %lld read from the store), answer %s\n",
	        what, *sec, *cpu,
	        info.snapshot ? (long long)info.snapshot_to : 0LL,
	        (long long)info.replayed, n ? "MISMATCH" : "equal");
	return e;
}

/* The cold rebuilds: from every record, then the snapshot saved, then
 * from the snapshot. */
static int rebuild(const struct options *o, const struct plan *p,
                   const struct answer *want, struct results *R)
{
	struct xj_error err;
	struct store *st;
	struct engine *e;
	double t0;

	e = build_timed(o, p, ENG_BUILD_FULL, "rebuilt-engine (every record)",
	                want, R, &R->rebuild_sec, &R->rebuild_cpu);
	if (e == NULL)
		return -1;
	R->rebuilt_bytes =
	    (double)engine_memory(e) / (double)engine_record_count(e);
	if (store_open(o->db, 0, &st, &err) != XJ_OK) {
		fprintf(stderr, "engine_bench: %s: %s\n", o->db, err.msg);
		return -1;
	}
	t0 = now_sec();
	if (engine_snapshot_save(e, st, &R->snap_bytes, &err) != XJ_OK) {
		fprintf(stderr, "engine_bench: engine_snapshot_save: %s\n",
		        err.msg);
		return -1;
	}
	R->snap_save_sec = now_sec() - t0;
	store_close(st);
	engine_free(e);
	fprintf(stderr, "engine_bench: snapshot saved in %.2f s (%.2f GiB)\n",
	        R->snap_save_sec, R->snap_bytes / 1073741824.0);
	e = build_timed(o, p, 0, "rebuilt-engine (snapshot)", want, R,
	                &R->snap_rebuild_sec, &R->snap_rebuild_cpu);
	if (e == NULL)
		return -1;
	engine_free(e);
	return 0;
}

/* Both peers fed by one sink. */
struct both {
	struct lite_load *L;
	struct pg_load *P;
};

static int both_record(void *ctx, const struct gen_rec *r)
{
	struct both *b = ctx;

	return (b->L && sqlite_load_record(b->L, r) != 0) ||
	       (b->P && pg_load_record(b->P, r) != 0);
}

static int both_movement(void *ctx, const struct gen_move *mv)
{
	struct both *b = ctx;

	return (b->L && sqlite_load_movement(b->L, mv) != 0) ||
	       (b->P && pg_load_movement(b->P, mv) != 0);
}

static void peer_check(const char *who, struct answer *got,
                       const struct answer *want, struct results *R)
{
	int64_t n = answer_diff(want, got, who);

	R->mismatches += n;
	fprintf(stderr, "engine_bench: %s answer %s\n", who,
	        n ? "MISMATCH" : "equal");
}

int main(int argc, char **argv)
{
	struct options o;
	struct plan *p = NULL;
	struct plan_problems probs;
	struct xj_error err;
	struct kmap km;
	struct gen *g;
	struct engine *e;
	struct feed fd;
	struct answer ans, past;
	struct eng_view *v;
	struct results R;
	struct gen_sink null_sink = { NULL, null_record, null_movement };
	struct gen_sink feed_sink;
	double t0, t[3];
	int64_t u, n;
	int r, i, status = 0;

	parse_args(argc, argv, &o);
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(&R, 0, sizeof(R));
	if (plan_load(o.plan, &p, &probs, &err) != XJ_OK) {
		fprintf(stderr, "engine_bench: %s: %s\n", o.plan, err.msg);
		for (i = 0; i < probs.n; i++)
			fprintf(stderr, "  %d:%d %s\n", probs.p[i].line,
			        probs.p[i].column, probs.p[i].msg);
		return 1;
	}
	if (map_kinds(p, &km) != 0)
		return 1;
	g = gen_new((enum gen_scale)o.scale, o.seed);
	fprintf(stderr,
	        "engine_bench: %s: %d orgs, %d members; generating alone\n",
	        gen_scale_name((enum gen_scale)o.scale), (int)g->norgs,
	        (int)g->nmembers);

	/* The generator alone, for its time and the record count. */
	t0 = now_sec();
	gen_run(g, &null_sink);
	R.gen_sec = now_sec() - t0;
	R.nrec = g->nrecords;
	R.nmov = g->nmovements;

	/* (a, b) Feeding the engine; the last records timed one by one. */
	memset(&fd, 0, sizeof(fd));
	fd.km = &km;
	n = o.updates < R.nrec / 4 ? o.updates : R.nrec / 4;
	lat_init(&fd.tail, n);
	lat_init(&fd.spread, n);
	fd.tail_from = R.nrec - n + 1;
	fd.spread_from = R.nrec / 2;
	fd.spread_every = (R.nrec / 2 - n) / n > 1 ? (R.nrec / 2 - n) / n : 1;
	feed_sink.ctx = &fd;
	feed_sink.record = feed_record;
	feed_sink.movement = feed_movement;
	fprintf(stderr, "engine_bench: feeding the engine (%lld records)\n",
	        (long long)R.nrec);
	t0 = now_sec();
	e = fd.e = engine_new(p);
	if (feed_structure(e, g) != 0 || gen_run(g, &feed_sink) != 0)
		return 1;
	R.feed_sec = now_sec() - t0 - R.gen_sec;
	R.feed_rate = (double)R.nrec / R.feed_sec;
	lat_sum(&fd.tail, &R.tail);
	lat_sum(&fd.spread, &R.spread);

	/* (d) Memory. */
	R.eng_bytes = engine_memory(e);
	R.bytes_per_rec = (double)R.eng_bytes / (double)engine_record_count(e);
	R.rss_fed_kb = rss_kb();

	/* (c) The question over the live view. */
	if (answer_from_engine(&ans, e, p, g->nsystems) != 0)
		return 1;
	time_question(engine_live(e), &ans, 5, &R.eval_best, &R.eval_median);
	for (u = 0; u < ans.nunits; u++) {
		int any = 0;

		for (r = 0; r < ans.nreq; r++) {
			R.gate_fail[r] += ans.fail[u * ans.nreq + r];
			any |= ans.fail[u * ans.nreq + r];
		}
		R.nfail_units += any;
	}
	for (u = 0; u < ans.nunits * ans.nreq; u++)
		R.nfail_pairs += ans.fail[u];

	/* (e) A view as of a past date. */
	for (i = 0; i < 3; i++) {
		t0 = now_sec();
		if (engine_view_at(e, date_from_ymd(2005, 2, 20), &v, &err) !=
		    XJ_OK) {
			fprintf(stderr, "engine_bench: view_at: %s\n", err.msg);
			return 1;
		}
		t[i] = now_sec() - t0;
		if (i == 0) {
			answer_like(&past, &ans);
			engine_question(v, &past);
			for (u = 0; u < past.nunits * past.nreq; u++)
				R.view_at_fail_pairs += past.fail[u];
			answer_release(&past);
		}
		eng_view_free(v);
	}
	qsort(t, 3, sizeof(t[0]), cmp_dbl);
	R.view_at_sec = t[0];
	engine_free(e);
	fprintf(stderr, "engine_bench: engine done: %.3f ms per question\n",
	        R.eval_best * 1e3);

	/* (f) The peers: both filled from one pass of the generator, their
	 * indexes built side by side; then the cold rebuild and each
	 * peer's question, each timed alone. */
	if ((o.db != NULL && !o.reuse_db) || o.pg) {
		struct both b = { NULL, NULL };
		struct gen_sink both_sink = { &b, both_record, both_movement };

		fprintf(stderr, "engine_bench: loading the SQL peers\n");
		t0 = now_sec();
		if (o.db && !o.reuse_db &&
		    (b.L = sqlite_load_begin(o.db, g)) == NULL)
			return 1;
		if (o.pg && (b.P = pg_load_begin("", o.sql, g)) == NULL)
			return 1;
		if (gen_run(g, &both_sink) != 0 ||
		    (b.L && sqlite_load_commit(b.L) != 0) ||
		    (b.P && pg_load_commit(b.P) != 0))
			return 1;
		R.load_sec = now_sec() - t0;
		fprintf(stderr, "engine_bench: loaded in %.1f s; indexes\n",
		        R.load_sec);
		if ((b.P && pg_index_start(b.P) != 0) ||
		    (b.L && sqlite_load_end(b.L, &R.lite) != 0) ||
		    (b.P && pg_index_finish(b.P, &R.pg) != 0))
			return 1;
	}
	if (o.db != NULL) {
		if (rebuild(&o, p, &ans, &R) != 0)
			return 1;
	}
	if (o.db != NULL && !o.no_sql) {
		struct answer got;

		answer_like(&got, &ans);
		R.lite.repeat = o.repeat;
		if (sqlite_question(o.db, o.sql, &got, &R.lite) != 0)
			return 1;
		peer_check("SQLite", &got, &ans, &R);
		answer_release(&got);
		R.have_lite = 1;
	}
	if (o.pg && !o.no_sql) {
		struct answer got;

		answer_like(&got, &ans);
		R.pg.repeat = o.repeat;
		if (pg_question("", o.sql, &got, &R.pg) != 0)
			return 1;
		peer_check("PostgreSQL", &got, &ans, &R);
		answer_release(&got);
		R.have_pg = 1;
	}
	report(&o, g, &ans, &R);
	if (R.mismatches)
		status = 1;
	answer_release(&ans);
	gen_free(g);
	plan_free(p);
	return status;
}
