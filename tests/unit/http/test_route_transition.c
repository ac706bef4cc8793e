/* The 转段 routes take their roles from the workflow itself: each step's
 * route is open to exactly the roles workflow.h gives the action, and
 * names its unit for the router's scope check. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "../../../src/http/router.h"
#include "xianjiao/workflow.h"

static void test_roles_are_the_workflows(void **state)
{
	const char *prefix = "/api/v1/units/{id}/transition/";
	const struct route *r;
	unsigned seen = 0;
	int a;

	(void)state;
	for (r = routes_transition; r->method != NULL; r++) {
		if (strncmp(r->pattern, prefix, strlen(prefix)) != 0 ||
		    strcmp(r->method, "POST") != 0)
			continue;
		a = wf_action_parse(r->pattern + strlen(prefix));
		if (a < 0)
			fail_msg("%s names no action", r->pattern);
		assert_int_equal(r->roles, wf_action_roles(a));
		assert_int_equal(r->scope, SCOPE_UNIT);
		seen |= 1u << a;
	}
	/* every action has its route but the finding, which is posted to
	 * a spot check */
	for (a = 0; a < WF_ACTION__MAX; a++)
		if (a != WF_FINDING && !(seen & (1u << a)))
			fail_msg("no route for %s", wf_action_code(a));
	/* the supervision group signs; the office does not sign for it */
	assert_false(wf_action_roles(WF_SIGN) & ROLE_BIT(ROLE_OFFICE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles_are_the_workflows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
