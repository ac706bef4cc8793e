/*
 * xianjiao - the command-line program. Dispatches to one descriptor per
 * command; exit status 0 on success, 1 on a runtime error, 2 on a usage
 * error (xj_exit_code()).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "xianjiao/error.h"

static const struct cli_cmd *const commands[] = {
	/* clang-format off */
	&cmd_init,
	&cmd_demo,
	&cmd_serve,
	&cmd_user_add,
	&cmd_user_list,
	&cmd_user_disable,
	&cmd_user_enable,
	&cmd_user_passwd,
	&cmd_user_grant,
	&cmd_user_revoke,
	&cmd_token_create,
	&cmd_token_list,
	&cmd_token_revoke,
	&cmd_audit_verify,
	&cmd_audit_show,
	&cmd_import_orgs,
	&cmd_import_members,
	&cmd_export_members,
	&cmd_export_orgs,
	&cmd_export_coverage,
	&cmd_template_members,
	&cmd_template_orgs,
	&cmd_member_move,
	&cmd_plan_check,
	&cmd_plan_install,
	&cmd_status,
	&cmd_explain,
	&cmd_late,
	&cmd_engine_snapshot,
	&cmd_record_add,
	&cmd_record_correct,
	&cmd_record_list,
	&cmd_record_import,
	&cmd_record_session,
	&cmd_escalation,
	&cmd_situation_queue,
	&cmd_situation_review,
	&cmd_transition_show,
	&cmd_transition_history,
	&cmd_transition_lookback,
	&cmd_transition_selfcheck,
	&cmd_transition_apply,
	&cmd_transition_override,
	&cmd_transition_sign,
	&cmd_transition_return,
	&cmd_transition_approve,
	&cmd_transition_remedy,
	&cmd_transition_done,
	&cmd_transition_extend,
	&cmd_transition_summary,
	&cmd_transition_queue,
	&cmd_transition_overdue,
	&cmd_spotcheck_draw,
	&cmd_spotcheck_list,
	&cmd_spotcheck_finding,
	&cmd_opinion_add,
	&cmd_opinion_list,
	&cmd_opinion_classify,
	&cmd_opinion_publish,
	&cmd_opinion_feedback,
	&cmd_opinion_stats,
	&cmd_version,
	/* clang-format on */
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/*
 * Find the command named by argv[1], or by argv[1] and argv[2] for
 * grouped commands ("user add"). *words is how many argv entries the name
 * took. Returns NULL if there is none; *group is then set when argv[1]
 * names a group, so the error can list its subcommands.
 */
static const struct cli_cmd *find(int argc, char **argv, int *words, int *group)
{
	size_t i, n = strlen(argv[1]);

	*group = 0;
	for (i = 0; i < NCOMMANDS; i++) {
		const char *name = commands[i]->name;

		if (strcmp(name, argv[1]) == 0) {
			*words = 1;
			return commands[i];
		}
		if (strncmp(name, argv[1], n) == 0 && name[n] == ' ') {
			*group = 1;
			if (argc > 2 && strcmp(name + n + 1, argv[2]) == 0) {
				*words = 2;
				return commands[i];
			}
		}
	}
	return NULL;
}

static void list_group(FILE *f, const char *group)
{
	size_t i, n = strlen(group);
	const char *sep = "";

	for (i = 0; i < NCOMMANDS; i++) {
		const char *name = commands[i]->name;

		if (strncmp(name, group, n) == 0 && name[n] == ' ') {
			fprintf(f, "%s%s", sep, name + n + 1);
			sep = ", ";
		}
	}
}

static void usage_all(FILE *f)
{
	size_t i;

	fprintf(f, "用法: xianjiao <命令> [选项]\n\n命令:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-14s %s\n", commands[i]->name,
		        commands[i]->summary);
	fprintf(f, "\n每个命令的用法: xianjiao <命令> --help\n");
}

static void usage_cmd(FILE *f, const struct cli_cmd *c)
{
	const struct cli_opt *o;

	fprintf(f, "用法: xianjiao %s", c->name);
	for (o = c->opts; o->name != NULL; o++) {
		fprintf(f, o->required ? " --%s" : " [--%s", o->name);
		if (o->arg != NULL)
			fprintf(f, " %s", o->arg);
		if (!o->required)
			fputc(']', f);
	}
	if (c->args[0] != '\0')
		fprintf(f, " %s", c->args);
	fprintf(f, "\n\n%s\n", c->summary);
	if (c->opts[0].name == NULL)
		return;
	fprintf(f, "\n选项:\n");
	for (o = c->opts; o->name != NULL; o++) {
		char left[64];

		snprintf(left, sizeof(left), "--%s%s%s", o->name,
		         o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-22s %s%s\n", left, o->help,
		        o->required ? "（必需）" : "");
	}
}

const char *cli_get(const struct cli_args *a, const struct cli_cmd *cmd,
                    const char *name)
{
	int i;

	for (i = 0; cmd->opts[i].name != NULL; i++)
		if (strcmp(cmd->opts[i].name, name) == 0)
			return a->val[i];
	return NULL;
}

static int find_opt(const struct cli_cmd *c, const char *name, size_t len)
{
	int i;

	for (i = 0; c->opts[i].name != NULL; i++)
		if (strlen(c->opts[i].name) == len &&
		    memcmp(c->opts[i].name, name, len) == 0)
			return i;
	return -1;
}

/* Parse argv[1..] of a command; "--" ends options. */
static enum xj_err parse(const struct cli_cmd *c, int argc, char **argv,
                         struct cli_args *a, int *help, struct xj_error *err)
{
	int i, only_pos = 0;

	memset(a, 0, sizeof(*a));
	a->pos = argv + argc; /* positional args are collected in place */
	for (i = 1; i < argc; i++) {
		const char *s = argv[i], *eq, *val = NULL;
		size_t len;
		int k;

		if (only_pos || s[0] != '-' || s[1] == '\0') {
			argv[a->npos++] = argv[i];
			continue;
		}
		if (strcmp(s, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
			*help = 1;
			return XJ_OK;
		}
		if (s[1] != '-')
			return xj_error_set(
			    err, XJ_EUSAGE,
			    "未知选项 %s (选项均为 --名称 形式)", s);
		s += 2;
		eq = strchr(s, '=');
		len = eq ? (size_t)(eq - s) : strlen(s);
		k = find_opt(c, s, len);
		if (k < 0)
			return xj_error_set(err, XJ_EUSAGE, "未知选项 --%.*s",
			                    (int)len, s);
		if (a->val[k] != NULL)
			return xj_error_set(err, XJ_EUSAGE, "选项 --%s 重复",
			                    c->opts[k].name);
		if (c->opts[k].arg == NULL) {
			if (eq != NULL)
				return xj_error_set(err, XJ_EUSAGE,
				                    "选项 --%s 不带参数",
				                    c->opts[k].name);
			a->val[k] = "";
			continue;
		}
		if (eq != NULL)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		if (val == NULL || val[0] == '\0')
			return xj_error_set(err, XJ_EUSAGE,
			                    "选项 --%s 缺少参数 %s",
			                    c->opts[k].name, c->opts[k].arg);
		a->val[k] = val;
	}
	a->pos = argv;
	for (i = 0; c->opts[i].name != NULL; i++)
		if (c->opts[i].required && a->val[i] == NULL)
			return xj_error_set(err, XJ_EUSAGE,
			                    "缺少必需的选项 --%s %s",
			                    c->opts[i].name, c->opts[i].arg);
	if (a->npos < c->min_pos)
		return xj_error_set(err, XJ_EUSAGE, "缺少参数 %s", c->args);
	if (a->npos > c->max_pos)
		return xj_error_set(err, XJ_EUSAGE, "多余的参数: %s",
		                    a->pos[c->max_pos]);
	return XJ_OK;
}

int main(int argc, char **argv)
{
	const struct cli_cmd *c;
	struct cli_args a;
	struct xj_error err;
	int help = 0, words = 1, group = 0;
	enum xj_err rc;

	xj_error_clear(&err);
	if (argc < 2) {
		fprintf(stderr, "xianjiao: 缺少命令（运行 xianjiao --help "
		                "查看全部命令）\n");
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 2 &&
		    (c = find(argc - 1, argv + 1, &words, &group)) != NULL) {
			usage_cmd(stdout, c);
			return 0;
		}
		usage_all(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0)
		argv[1] = (char *)"version";
	c = find(argc, argv, &words, &group);
	if (c == NULL && group) {
		fprintf(stderr, "xianjiao %s: %s子命令（可用: ", argv[1],
		        argc > 2 ? "未知的" : "缺少");
		list_group(stderr, argv[1]);
		fprintf(stderr, "）\n");
		return 2;
	}
	if (c == NULL) {
		fprintf(stderr,
		        "xianjiao: 未知命令 \"%s\"（运行 xianjiao --help "
		        "查看全部命令）\n",
		        argv[1]);
		return 2;
	}
	rc = parse(c, argc - words, argv + words, &a, &help, &err);
	if (rc == XJ_OK && help) {
		usage_cmd(stdout, c);
		return 0;
	}
	if (rc == XJ_OK)
		rc = c->fn(&a, &err);
	if (rc == XJ_OK)
		return 0;
	if (err.msg[0] == '\0')
		snprintf(err.msg, sizeof(err.msg), "%s", xj_strerror(rc));
	if (rc == XJ_EUSAGE)
		fprintf(stderr,
		        "xianjiao %s: %s（用法见 xianjiao %s --help）\n",
		        c->name, err.msg, c->name);
	else
		fprintf(stderr, "xianjiao %s: %s\n", c->name, err.msg);
	return xj_exit_code(rc);
}
