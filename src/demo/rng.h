/*
 * rng.h - the demo generators' random numbers: xoshiro256** seeded by
 * splitmix64, written here (a few lines) so a seed gives the same campaign
 * on every platform and C library.
 */
#ifndef XJ_DEMO_RNG_H
#define XJ_DEMO_RNG_H

#include <stddef.h>
#include <stdint.h>

/* --- random numbers ----------------------------------------------- */

struct rng {
	uint64_t s[4];
};

static inline uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static inline void rng_seed(struct rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman and Vigna). */
static inline uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/* Uniform in [0, n), n > 0, without modulo bias. */
static inline uint32_t rng_below(struct rng *r, uint32_t n)
{
	uint64_t limit = UINT64_MAX - UINT64_MAX % n, x;

	do
		x = rng_next(r);
	while (x >= limit);
	return (uint32_t)(x % n);
}

/* Uniform in [lo, hi]. */
static inline int rng_range(struct rng *r, int lo, int hi)
{
	return lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

/* True with probability permille / 1000. */
static inline int rng_chance(struct rng *r, int permille)
{
	return (int)rng_below(r, 1000) < permille;
}

static inline const char *rng_pick(struct rng *r, const char *const *tab,
                                   size_t n)
{
	return tab[rng_below(r, (uint32_t)n)];
}

#endif
