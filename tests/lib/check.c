#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

void check_contains_at(const char *hay, const char *needle, const char *file,
                       int line)
{
	if (hay == NULL || strstr(hay, needle) == NULL) {
		print_error("\"%s\" does not contain \"%s\"\n",
		            hay ? hay : "(null)", needle);
		_fail(file, line);
	}
}

int check_aborts(void (*fn)(void))
{
	pid_t pid = fork();
	int st;

	assert_true(pid >= 0);
	if (pid == 0) {
		fn();
		_exit(0); /* fn returned: it did not abort */
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT;
}
