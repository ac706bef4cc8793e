/*
 * Amounts as a plan writes them: 40, 2.5, 2/3, 70%, 66.67%. Parsed by
 * hand into an exact fraction; a threshold is never a float, so "2/3 of
 * the branch" means exactly two thirds (DOMAIN.md §7).
 */
#include <string.h>

#include "internal.h"

static int64_t gcd64(int64_t a, int64_t b)
{
	while (b != 0) {
		int64_t t = a % b;

		a = b;
		b = t;
	}
	return a < 0 ? -a : a;
}

void ratio_reduce(struct plan_ratio *r)
{
	int64_t g = gcd64(r->num, r->den);

	if (g > 1) {
		r->num /= g;
		r->den /= g;
	}
}

/* Digits at *s: their value (at most maxdigits of them) and count. */
static int digits(const char **s, int maxdigits, int64_t *v)
{
	int n = 0;

	*v = 0;
	while (**s >= '0' && **s <= '9') {
		if (++n > maxdigits)
			return -1;
		*v = *v * 10 + (**s - '0');
		(*s)++;
	}
	return n;
}

enum amount_err amount_parse(const char *s, struct plan_ratio *out,
                             enum amount_form *form)
{
	int64_t ip, fp = 0, den = 1;
	int n, nd = 0;

	if (s[0] == '-' && s[1] >= '0' && s[1] <= '9')
		return AMOUNT_NEGATIVE;
	n = digits(&s, 12, &ip);
	if (n < 0)
		return AMOUNT_TOO_BIG;
	if (n == 0)
		return AMOUNT_SYNTAX;
	if (*s == '/') {
		s++;
		if (ip > 1000000000)
			return AMOUNT_TOO_BIG;
		n = digits(&s, 10, &den);
		if (n < 0 || den > 1000000000)
			return AMOUNT_TOO_BIG;
		if (n == 0 || *s != '\0')
			return AMOUNT_SYNTAX;
		if (den == 0)
			return AMOUNT_ZERO_DEN;
		out->num = ip;
		out->den = den;
		*form = AMOUNT_FRACTION;
		ratio_reduce(out);
		return AMOUNT_OK;
	}
	*form = AMOUNT_INT;
	if (*s == '.') {
		s++;
		nd = digits(&s, 2, &fp);
		if (nd < 0)
			return AMOUNT_DECIMALS;
		if (nd == 0)
			return AMOUNT_SYNTAX;
		den = nd == 1 ? 10 : 100;
		*form = AMOUNT_DECIMAL;
	}
	/* ip < 10^12 and den <= 100: no overflow */
	out->num = ip * den + fp;
	out->den = den;
	if (*s == '%') {
		s++;
		out->den *= 100;
		*form = AMOUNT_PERCENT;
	}
	if (*s != '\0')
		return AMOUNT_SYNTAX;
	ratio_reduce(out);
	return AMOUNT_OK;
}
