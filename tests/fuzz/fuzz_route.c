/* libFuzzer harness: request paths against the route patterns, and
 * --listen values. The input's first line is the path, the rest a
 * listen address. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/http/router.h"
#include "xianjiao/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *s = malloc(len + 1), *nl, allow[ROUTE_ALLOW_MAX];
	const struct route *r = NULL;
	struct http_config cfg;
	struct route_params p;
	struct xj_error err;

	memcpy(s, data, len);
	s[len] = '\0';
	nl = strchr(s, '\n');
	if (nl != NULL)
		*nl = '\0';
	if (router_find(router_tables, "GET", s, &r, &p, allow,
	                sizeof(allow)) == ROUTER_FOUND &&
	    (r == NULL || p.n > ROUTE_PARAMS_MAX))
		abort();
	http_config_init(&cfg);
	(void)http_parse_listen(nl ? nl + 1 : s, &cfg, &err);
	free(s);
	return 0;
}
