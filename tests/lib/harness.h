/*
 * harness.h - helpers for tests that drive the real xianjiao binary.
 *
 * The binary is $XJ_BIN (set by tests/run), else build/xianjiao.
 */
#ifndef XJ_TEST_HARNESS_H
#define XJ_TEST_HARNESS_H

#include <stddef.h>
#include <sys/types.h>

struct proc_result {
	int status; /* exit code, or 128 + signal number */
	char *out;  /* everything written to stdout, NUL-terminated */
	char *err;  /* everything written to stderr */
};

/* Path of the xianjiao binary under test. */
const char *xj_bin(void);

/*
 * Run argv (argv[0] is looked up as given, not on PATH) with the extra
 * environment entries env (NAME=VALUE, NULL-terminated, may be NULL), wait
 * for it and capture its output. Aborts the test process on spawn failure.
 */
void proc_run(char *const argv[], char *const env[], struct proc_result *r);
void proc_result_release(struct proc_result *r);

/* Run the xianjiao binary with the given arguments (NULL-terminated). */
void xj_run(struct proc_result *r, ...);

/*
 * Start argv in the background with stdout to a pipe. Returns its pid and
 * stores the read end of its stdout in *out_fd.
 */
pid_t proc_start(char *const argv[], int *out_fd);

/* Read one line (without the newline) from fd within timeout_ms. Returns
 * 0 on success, -1 on EOF or timeout. */
int fd_read_line(int fd, char *buf, size_t size, int timeout_ms);

/* Wait for pid within timeout_ms; returns exit status as proc_result.status
 * does, or -1 on timeout (the process is then killed). */
int proc_wait(pid_t pid, int timeout_ms);

/* A fresh temporary directory (mkdtemp under $TMPDIR or /tmp), removed
 * with tmpdir_remove(). Returns a malloc'd path. */
char *tmpdir_make(void);
void tmpdir_remove(const char *path);

/* A fresh temporary directory and the path of a database file in it
 * (not created): the fixture most tests start from. */
struct tmpdb {
	char *dir;
	char *db;
};
void tmpdb_make(struct tmpdb *t, const char *name);
void tmpdb_remove(struct tmpdb *t);

/* Join a directory and a name into a malloc'd path. */
char *path_join(const char *dir, const char *name);

#endif
