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

#include <jansson.h>
#include <stddef.h>

#include "xianjiao/error.h"
#include "xianjiao/workflow.h"

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

/* Create the first office administrator (先教办) called login, with the
 * password in XJ_ADMIN_PASSWORD or a generated one printed once. */
enum xj_err cli_create_admin(struct store *st, const char *login,
                             struct xj_error *err);

struct user;
struct grant;

/* Open the existing database named by the command's --db. */
enum xj_err cli_open_db(const struct cli_args *a, const struct cli_cmd *c,
                        struct store **st, struct xj_error *err);
/* Open --db and run op in one transaction, rolled back on any error. */
typedef enum xj_err (*cli_op)(struct store *st, const struct cli_args *a,
                              struct xj_error *err);
enum xj_err cli_with_db(const struct cli_cmd *c, const struct cli_args *a,
                        cli_op op, struct xj_error *err);
/* The user called login, or XJ_ENOTFOUND naming it. */
enum xj_err cli_user(struct store *st, const char *login, struct user *u,
                     struct xj_error *err);
/* --as LOGIN: its user id and the mask of the roles its grants hold; with
 * no login (the operator at the command line), 0 and every role. A
 * disabled user is refused. */
enum xj_err cli_as_user(struct store *st, const char *login, int64_t *user,
                        unsigned *mask, struct xj_error *err);
/* Fill g's role and scope from --role, --org CODE and --system NAME. */
enum xj_err cli_grant_scope(struct store *st, const struct cli_args *a,
                            const struct cli_cmd *c, struct grant *g,
                            struct xj_error *err);
/* A password from environment variable env, or a generated one
 * (*generated set) for the caller to print once. */
enum xj_err cli_password(const char *env, char *out, size_t size,
                         int *generated, struct xj_error *err);

struct json_t;
/* One line on a unit's 转段 state (a workflow "transition" object, as the
 * status and explain JSON carry it), after indent; nothing for NULL. */
void cli_print_transition(const struct json_t *t, const char *indent);

/*
 * The 转段 commands' common start (cmd-transition.c): open --db and the
 * plan in force, take the actor from --as (none: the system operator,
 * acting as the office), find unit by its code (NULL: none) and check the
 * actor holds one of roles with the unit in its scope (0: no check), as
 * the HTTP router would. c.today is --today or today (Beijing).
 */
struct cli_wf {
	struct store *st;
	struct plan *p;
	struct wf_ctx c;
	int64_t unit;
};
enum xj_err cli_wf_begin(const struct cli_cmd *cmd, const struct cli_args *a,
                         unsigned roles, const char *unit, struct cli_wf *r,
                         struct xj_error *err);
void cli_wf_end(struct cli_wf *r);

struct plan;
/* Read and check the plan file at path: its text (malloc'd) and the
 * parsed plan (plan_free). Every problem is printed to stderr as
 * FILE:LINE:COLUMN: reason. */
enum xj_err cli_read_plan(const char *path, char **text, struct plan **plan,
                          struct xj_error *err);

struct table;
struct import_result;
/* Write data to path (stdout when NULL). */
enum xj_err cli_write_file(const char *path, const char *data, size_t len,
                           struct xj_error *err);
/* Read a CSV or XLSX file (sniffed); encoding auto|utf8|gbk or NULL. */
enum xj_err cli_read_table(const char *path, const char *encoding,
                           struct table *t, struct xj_error *err);
/* Print an import's problems (row, column, reason) to stderr and, if
 * errors is set, write the rows with problems there as an error file. */
void cli_print_problems(const struct table *t, const struct import_result *res,
                        const char *errors);

/* Reading and printing the JSON the engine and workflow answer with: a
 * member's string ("" if absent) or integer, and the whole, indented. */
const char *cli_jstr(const json_t *o, const char *key);
json_int_t cli_jint(const json_t *o, const char *key);
void cli_print_json(const json_t *j);

extern const struct cli_cmd cmd_version;
extern const struct cli_cmd cmd_record_add;
extern const struct cli_cmd cmd_record_correct;
extern const struct cli_cmd cmd_record_list;
extern const struct cli_cmd cmd_record_import;
extern const struct cli_cmd cmd_record_session;
extern const struct cli_cmd cmd_escalation;
extern const struct cli_cmd cmd_situation_queue;
extern const struct cli_cmd cmd_situation_review;
extern const struct cli_cmd cmd_user_add, cmd_user_list, cmd_user_disable,
    cmd_user_enable, cmd_user_passwd, cmd_user_grant, cmd_user_revoke;
extern const struct cli_cmd cmd_token_create, cmd_token_list, cmd_token_revoke;
extern const struct cli_cmd cmd_audit_verify, cmd_audit_show;
extern const struct cli_cmd cmd_import_orgs, cmd_import_members;
extern const struct cli_cmd cmd_export_members, cmd_export_orgs,
    cmd_export_coverage;
extern const struct cli_cmd cmd_template_members, cmd_template_orgs;
extern const struct cli_cmd cmd_member_move;
extern const struct cli_cmd cmd_plan_check;
extern const struct cli_cmd cmd_init;
extern const struct cli_cmd cmd_status;
extern const struct cli_cmd cmd_engine_snapshot;
extern const struct cli_cmd cmd_explain;
extern const struct cli_cmd cmd_late;
extern const struct cli_cmd cmd_plan_install;
extern const struct cli_cmd cmd_transition_lookback, cmd_transition_selfcheck,
    cmd_transition_apply, cmd_transition_override, cmd_transition_sign,
    cmd_transition_return, cmd_transition_approve, cmd_transition_remedy,
    cmd_transition_done, cmd_transition_extend, cmd_transition_summary,
    cmd_transition_show, cmd_transition_history, cmd_transition_queue,
    cmd_transition_overdue;
extern const struct cli_cmd cmd_spotcheck_draw, cmd_spotcheck_list,
    cmd_spotcheck_finding;
extern const struct cli_cmd cmd_opinion_add, cmd_opinion_list,
    cmd_opinion_classify, cmd_opinion_publish, cmd_opinion_feedback,
    cmd_opinion_stats;
extern const struct cli_cmd cmd_demo;
extern const struct cli_cmd cmd_serve;

#endif
