/*
 * cli_options.h - "--name VALUE" options and operands for the commands that
 * take many named values (cla, approvals).
 *
 * Layer rule: cli/ only; prints usage problems itself, as commands do.
 */
#ifndef CL_CLI_OPTIONS_H
#define CL_CLI_OPTIONS_H

#include <stddef.h>

struct cli_opt {
	const char *name;     /* "--email" */
	const char **value;   /* set when given */
};

/*
 * Take "--name VALUE" (or "--name=VALUE") pairs listed in `opts` out of
 * argv, leaving at most `max_operands` operands in `operands`. `cmd` names
 * the command in messages. @return 0, or -1 after printing why.
 */
int cli_parse_options(int argc, char **argv, const struct cli_opt *opts, size_t nopts,
	char **operands, int *noperands, int max_operands, const char *cmd);

/* 0 when `value` is given, else -1 after printing that `what` is required. */
int cli_need(const char *value, const char *what, const char *cmd);

#endif
