/*
 * cli_options.c - named options for the cla and approvals commands.
 */
#include "cli_options.h"

#include <stdio.h>
#include <string.h>

int cli_parse_options(int argc, char **argv, const struct cli_opt *opts, size_t nopts,
	char **operands, int *noperands, int max_operands, const char *cmd)
{
	int i;
	size_t k;

	*noperands = 0;
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];
		int matched = 0;

		if (arg[0] != '-' || !arg[1]) {
			if (*noperands >= max_operands) {
				fprintf(stderr, "clearance: %s: unexpected argument '%s'\n", cmd, arg);
				return -1;
			}
			operands[(*noperands)++] = argv[i];
			continue;
		}
		for (k = 0; k < nopts && !matched; k++) {
			size_t len = strlen(opts[k].name);
			if (strncmp(arg, opts[k].name, len) != 0)
				continue;
			if (arg[len] == '=') {
				*opts[k].value = arg + len + 1;
				matched = 1;
			} else if (arg[len] == '\0') {
				if (i + 1 >= argc) {
					fprintf(stderr, "clearance: %s: %s needs a value\n", cmd, opts[k].name);
					return -1;
				}
				*opts[k].value = argv[++i];
				matched = 1;
			}
		}
		if (!matched) {
			fprintf(stderr, "clearance: %s: unknown option '%s' (see clearance %s --help)\n",
				cmd, arg, cmd);
			return -1;
		}
	}
	return 0;
}

int cli_need(const char *value, const char *what, const char *cmd)
{
	if (value && *value)
		return 0;
	fprintf(stderr, "clearance: %s: %s is required (see clearance %s --help)\n", cmd, what, cmd);
	return -1;
}
