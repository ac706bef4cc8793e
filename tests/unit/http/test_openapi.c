/* docs/openapi.json and the router's tables describe the same API: every
 * route is documented with its roles, and nothing documented is missing
 * from the router. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <jansson.h>
#include <string.h>

#include "../../../src/http/router.h"

static json_t *load(void)
{
	json_error_t e;
	json_t *doc = json_load_file("docs/openapi.json", 0, &e);

	if (doc == NULL)
		fail_msg("docs/openapi.json: line %d: %s", e.line, e.text);
	return doc;
}

static void lower(const char *m, char *out, size_t size)
{
	size_t i;

	for (i = 0; m[i] && i + 1 < size; i++)
		out[i] = (char)tolower((unsigned char)m[i]);
	out[i] = '\0';
}

static void test_every_route_documented(void **state)
{
	json_t *doc = load(), *paths = json_object_get(doc, "paths");
	const struct route *const *t;
	const struct route *r;

	(void)state;
	for (t = router_tables; *t != NULL; t++)
		for (r = *t; r->method != NULL; r++) {
			char m[16];
			json_t *op, *roles, *v;
			unsigned documented = 0;
			size_t i;

			lower(r->method, m, sizeof(m));
			op = json_object_get(json_object_get(paths, r->pattern),
			                     m);
			if (op == NULL)
				fail_msg("%s %s is not in docs/openapi.json",
				         r->method, r->pattern);
			roles = json_object_get(op, "x-roles");
			json_array_foreach(roles, i, v)
			{
				int k = role_parse(json_string_value(v));

				assert_true(k >= 0);
				documented |= ROLE_BIT(k);
			}
			if (documented != r->roles)
				fail_msg("%s %s: documented roles differ from "
				         "the route's",
				         r->method, r->pattern);
			assert_non_null(
			    json_string_value(json_object_get(op, "summary")));
		}
	json_decref(doc);
}

static void test_nothing_extra_documented(void **state)
{
	json_t *doc = load(), *paths = json_object_get(doc, "paths"), *ops;
	const char *path, *method;
	json_t *op;

	(void)state;
	json_object_foreach(paths, path, ops)
	{
		json_object_foreach(ops, method, op)
		{
			const struct route *r = NULL;
			struct route_params p;
			char upper[16], allow[ROUTE_ALLOW_MAX];
			size_t i;
			/* A concrete path for the pattern: {id} becomes 1. */
			char concrete[256], *brace;

			for (i = 0; method[i] && i + 1 < sizeof(upper); i++)
				upper[i] =
				    (char)toupper((unsigned char)method[i]);
			upper[i] = '\0';
			snprintf(concrete, sizeof(concrete), "%s", path);
			while ((brace = strstr(concrete, "{id}")) != NULL) {
				brace[0] = '1';
				memmove(brace + 1, brace + 4,
				        strlen(brace + 4) + 1);
			}
			if (router_find(router_tables, upper, concrete, &r, &p,
			                allow, sizeof(allow)) != ROUTER_FOUND ||
			    strcmp(r->pattern, path) != 0)
				fail_msg("docs/openapi.json documents %s %s, "
				         "which the router does not have",
				         upper, path);
		}
	}
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route_documented),
		cmocka_unit_test(test_nothing_extra_documented),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
