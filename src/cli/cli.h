/*
 * cli.h - the command descriptors and the central argument parser.
 *
 * Each src/cli/cmd-*.c exports one struct cli_cmd. The dispatcher in
 * main.c parses argv against the command's option table, answers --help,
 * and calls the command only with arguments that passed; no command
 * parses argv itself (tmux's cmd-*.c is the model).
 */
#ifndef XJ_CLI_H
#define XJ_CLI_H

#include "xianjiao/error.h"

#define CLI_OPTS_MAX 16

struct cli_opt {
	const char *name; /* long name without "--" */
	const char *arg;  /* argument placeholder, e.g. "FILE"; NULL: flag */
	int required;     /* missing is a usage error */
	const char *help; /* one line, 简体中文 */
};

struct cli_args {
	const char *val[CLI_OPTS_MAX]; /* by option index; "" for a flag */
	char **pos;                    /* positional arguments */
	int npos;
};

struct cli_cmd {
	const char *name;
	const char *summary;        /* one line for `xianjiao --help` */
	const char *args;           /* positional usage, e.g. "FILE", or "" */
	const struct cli_opt *opts; /* terminated by a NULL name */
	int min_pos, max_pos;
	/* Runs the command; returns XJ_OK or fills err. */
	enum xj_err (*fn)(const struct cli_args *a, struct xj_error *err);
};

/* The value of option name, or NULL if not given. */
const char *cli_get(const struct cli_args *a, const struct cli_cmd *cmd,
                    const char *name);

struct store;

/* Create a fresh database at path (init, demo). An existing file is an
 * error unless force, in which case it and its WAL files are removed. */
enum xj_err cli_create_db(const char *path, int force, struct store **out,
                          struct xj_error *err);

extern const struct cli_cmd cmd_version;
extern const struct cli_cmd cmd_init;
extern const struct cli_cmd cmd_serve;

#endif
