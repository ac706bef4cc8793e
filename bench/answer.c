/*
 * answer.c - the benchmark's answer (bench.h): shaping, filling from SQL
 * rows, comparing; and small helpers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xianjiao/alloc.h"

#include "bench.h"

double now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *read_text(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;
	char *buf = NULL;
	size_t len = 0, alloc = 0, n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "engine_bench: 无法读取 %s: %s\n", path,
		        strerror(errno));
		return NULL;
	}
	do {
		if (len + 4096 + 1 > alloc) {
			alloc = alloc * 2 + 8192;
			buf = xreallocarray(buf, alloc, 1);
		}
		n = fread(buf + len, 1, alloc - len - 1, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

void answer_like(struct answer *a, const struct answer *model)
{
	size_t nu = (size_t)model->nunits, ns = (size_t)model->nsys + 1;

	memset(a, 0, sizeof(*a));
	a->p = model->p;
	a->nreq = model->nreq;
	memcpy(a->req, model->req, sizeof(a->req));
	a->nunits = model->nunits;
	a->unit = xcalloc(nu + 1, sizeof(*a->unit));
	a->unit_sys = xcalloc(nu + 1, sizeof(*a->unit_sys));
	memcpy(a->unit, model->unit, nu * sizeof(*a->unit));
	memcpy(a->unit_sys, model->unit_sys, nu * sizeof(*a->unit_sys));
	a->fail = xcalloc(nu * (size_t)a->nreq + 1, 1);
	a->nsys = model->nsys;
	a->cnt = xcalloc(ns * (size_t)a->nreq * 3, sizeof(*a->cnt));
	a->units = xcalloc(ns, sizeof(*a->units));
	a->allpass = xcalloc(ns, sizeof(*a->allpass));
}

void answer_release(struct answer *a)
{
	free(a->unit);
	free(a->unit_sys);
	free(a->fail);
	free(a->cnt);
	free(a->units);
	free(a->allpass);
	memset(a, 0, sizeof(*a));
}

void answer_clear(struct answer *a)
{
	size_t ns = (size_t)a->nsys + 1;

	memset(a->fail, 0, (size_t)a->nunits * (size_t)a->nreq);
	memset(a->cnt, 0, ns * (size_t)a->nreq * 3 * sizeof(*a->cnt));
	memset(a->units, 0, ns * sizeof(*a->units));
	memset(a->allpass, 0, ns * sizeof(*a->allpass));
}

static int64_t unit_index(const struct answer *a, int64_t id)
{
	int64_t lo = 0, hi = a->nunits;

	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;

		if (a->unit[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < a->nunits && a->unit[lo] == id ? lo : -1;
}

static int gate_index(const struct answer *a, const char *id)
{
	int r;

	for (r = 0; r < a->nreq; r++)
		if (strcmp(a->p->reqs[a->req[r]].id, id) == 0)
			return r;
	return -1;
}

int answer_take_row(struct answer *a, char tag, int64_t id, const char *req,
                    int64_t c, int64_t p, int64_t x)
{
	int64_t u;
	int r;

	switch (tag) {
	case 'F':
		u = unit_index(a, id);
		r = gate_index(a, req);
		if (u < 0 || r < 0)
			return -1;
		a->fail[u * a->nreq + r] = 1;
		return 0;
	case 'S':
		r = gate_index(a, req);
		if (id < 1 || id > a->nsys || r < 0)
			return -1;
		a->cnt[(id * a->nreq + r) * 3] = c;
		a->cnt[(id * a->nreq + r) * 3 + 1] = p;
		a->cnt[(id * a->nreq + r) * 3 + 2] = x;
		return 0;
	case 'A':
		if (id < 1 || id > a->nsys)
			return -1;
		a->units[id] = c;
		a->allpass[id] = p;
		return 0;
	default:
		return -1;
	}
}

int64_t answer_diff(const struct answer *want, const struct answer *got,
                    const char *who)
{
	int64_t n = 0, u, s, shown = 0;
	int r, k;
	static const char *const what[3] = { "counted", "passed", "exempt" };

	for (u = 0; u < want->nunits; u++)
		for (r = 0; r < want->nreq; r++) {
			uint8_t w = want->fail[u * want->nreq + r];

			if (w == got->fail[u * want->nreq + r])
				continue;
			if (shown++ < 10)
				fprintf(stderr,
				        "MISMATCH %s: unit %d %s: engine %s, "
				        "%s %s\n",
				        who, (int)want->unit[u],
				        want->p->reqs[want->req[r]].id,
				        w ? "fails" : "passes", who,
				        w ? "passes" : "fails");
			n++;
		}
	for (s = 1; s <= want->nsys; s++) {
		for (r = 0; r < want->nreq; r++)
			for (k = 0; k < 3; k++) {
				int64_t i = (s * want->nreq + r) * 3 + k;

				if (want->cnt[i] == got->cnt[i])
					continue;
				if (shown++ < 10)
					fprintf(stderr,
					        "MISMATCH %s: 系统 %d %s %s: "
					        "engine %lld, %s %lld\n",
					        who, (int)s,
					        want->p->reqs[want->req[r]].id,
					        what[k],
					        (long long)want->cnt[i], who,
					        (long long)got->cnt[i]);
				n++;
			}
		if (want->units[s] != got->units[s] ||
		    want->allpass[s] != got->allpass[s]) {
			if (shown++ < 10)
				fprintf(
				    stderr,
				    "MISMATCH %s: 系统 %d units passing all "
				    "gates: engine %lld/%lld, %s %lld/%lld\n",
				    who, (int)s, (long long)want->allpass[s],
				    (long long)want->units[s], who,
				    (long long)got->allpass[s],
				    (long long)got->units[s]);
			n++;
		}
	}
	return n;
}
