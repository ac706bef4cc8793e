#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "xianjiao/alloc.h"
#include "xianjiao/strbuf.h"

extern char **environ;

const char *xj_bin(void)
{
	const char *b = getenv("XJ_BIN");

	return b != NULL && b[0] != '\0' ? b : "build/xianjiao";
}

static void die(const char *what)
{
	fprintf(stderr, "harness: %s: %s\n", what, strerror(errno));
	abort();
}

static char **merge_env(char *const extra[])
{
	size_t n = 0, m = 0, i;
	char **env;

	while (environ[n] != NULL)
		n++;
	while (extra != NULL && extra[m] != NULL)
		m++;
	env = xcalloc(n + m + 1, sizeof(*env));
	for (i = 0; i < n; i++)
		env[i] = environ[i];
	for (i = 0; i < m; i++)
		env[n + i] = extra[i];
	return env;
}

static int status_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return -1;
}

void proc_run(char *const argv[], char *const env[], struct proc_result *r)
{
	posix_spawn_file_actions_t fa;
	int outp[2], errp[2], st;
	struct strbuf ob, eb;
	struct pollfd pfd[2];
	char **envp = merge_env(env);
	char buf[4096];
	pid_t pid;
	int open_fds = 2;

	if (pipe(outp) || pipe(errp))
		die("pipe");
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	posix_spawn_file_actions_addclose(&fa, outp[0]);
	posix_spawn_file_actions_addclose(&fa, errp[0]);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, envp) != 0)
		die(argv[0]);
	posix_spawn_file_actions_destroy(&fa);
	free(envp);
	close(outp[1]);
	close(errp[1]);
	strbuf_init(&ob, 64u << 20);
	strbuf_init(&eb, 64u << 20);
	pfd[0].fd = outp[0];
	pfd[1].fd = errp[0];
	pfd[0].events = pfd[1].events = POLLIN;
	while (open_fds > 0) {
		int i;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		for (i = 0; i < 2; i++) {
			ssize_t n;

			if (pfd[i].fd < 0 || pfd[i].revents == 0)
				continue;
			n = read(pfd[i].fd, buf, sizeof(buf));
			if (n <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				open_fds--;
				continue;
			}
			if (strbuf_add(i == 0 ? &ob : &eb, buf, (size_t)n))
				die("output too large");
		}
	}
	if (waitpid(pid, &st, 0) < 0)
		die("waitpid");
	r->status = status_code(st);
	r->out = strbuf_detach(&ob, NULL);
	r->err = strbuf_detach(&eb, NULL);
}

void proc_result_release(struct proc_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

void xj_run(struct proc_result *r, ...)
{
	char *argv[64];
	size_t n = 0;
	va_list ap;
	char *a;

	argv[n++] = (char *)xj_bin();
	va_start(ap, r);
	while ((a = va_arg(ap, char *)) != NULL && n < 63)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	proc_run(argv, NULL, r);
}

pid_t proc_start(char *const argv[], int *out_fd)
{
	posix_spawn_file_actions_t fa;
	int outp[2];
	pid_t pid;

	if (pipe(outp))
		die("pipe");
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_addclose(&fa, outp[0]);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0)
		die(argv[0]);
	posix_spawn_file_actions_destroy(&fa);
	close(outp[1]);
	*out_fd = outp[0];
	return pid;
}

int fd_read_line(int fd, char *buf, size_t size, int timeout_ms)
{
	size_t len = 0;

	while (len + 1 < size) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		char c;

		if (poll(&p, 1, timeout_ms) <= 0)
			return -1;
		n = read(fd, &c, 1);
		if (n <= 0)
			return -1;
		if (c == '\n')
			break;
		buf[len++] = c;
	}
	buf[len] = '\0';
	return 0;
}

int proc_wait(pid_t pid, int timeout_ms)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int waited = 0, st;

	for (;;) {
		pid_t w = waitpid(pid, &st, WNOHANG);

		if (w == pid)
			return status_code(st);
		if (w < 0)
			return -1;
		if (waited >= timeout_ms) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -1;
		}
		nanosleep(&ts, NULL);
		waited += 10;
	}
}

char *tmpdir_make(void)
{
	const char *base = getenv("TMPDIR");
	struct strbuf sb;

	strbuf_init(&sb, 4096);
	if (strbuf_addf(&sb, "%s/xj-test-XXXXXX",
	                base != NULL && base[0] ? base : "/tmp"))
		die("tmpdir path");
	if (mkdtemp(sb.buf) == NULL)
		die("mkdtemp");
	return strbuf_detach(&sb, NULL);
}

static int rm_entry(const char *p, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

void tmpdir_remove(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *path_join(const char *dir, const char *name)
{
	struct strbuf sb;

	strbuf_init(&sb, 4096);
	if (strbuf_addf(&sb, "%s/%s", dir, name))
		die("path too long");
	return strbuf_detach(&sb, NULL);
}

void tmpdb_make(struct tmpdb *t, const char *name)
{
	t->dir = tmpdir_make();
	t->db = path_join(t->dir, name);
}

void tmpdb_remove(struct tmpdb *t)
{
	tmpdir_remove(t->dir);
	free(t->db);
	free(t->dir);
	t->db = t->dir = NULL;
}
