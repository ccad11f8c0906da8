/*
 * clearance policy check|show: validate policy files before a hook has to
 * refuse every push over them, and print what a policy means in full.
 */
#include "commands.h"
#include "buf.h"
#include "error.h"
#include "policy.h"

#include <stdio.h>
#include <string.h>

static void policy_usage(FILE *fp)
{
	fprintf(fp,
		"usage: clearance policy check FILE...\n"
		"       clearance policy show FILE\n"
		"       clearance policy show --default\n"
		"\n"
		"  check   validate each FILE as the hooks would load it; prints 'FILE: ok', or the\n"
		"          first problem as FILE:LINE:COLUMN: problem (hint: ...)\n"
		"  show    print the effective policy of FILE (or the built-in default) as YAML,\n"
		"          with every key present and defaults filled in; the output is itself\n"
		"          a valid policy\n"
		"FILE '-' reads standard input. The policy file is described key by key in\n"
		"docs/policy.md; templates/policy.yml is a commented sample.\n"
		"exit status: 0 every policy is valid, 2 a policy is not valid or cannot be read\n");
}

/*
 * Standard input has no size to check first: read one byte past the cap at
 * most, and let the loader refuse it with its usual message.
 */
static int load_stdin(struct cl_policy **out)
{
	struct cl_buf data = CL_BUF_INIT;
	char chunk[8192];
	size_t n;
	int error = 0;

	while (data.size <= CL_POLICY_MAX_SIZE && (n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		if ((error = cl_buf_put(&data, chunk, n)) < 0)
			goto done;
	if (ferror(stdin)) {
		error = cl_error_from_errno("cannot read policy from standard input");
		goto done;
	}
	error = cl_policy_load_buffer(out, data.ptr, data.size > CL_POLICY_MAX_SIZE ?
		CL_POLICY_MAX_SIZE + 1 : data.size, "<stdin>");
done:
	cl_buf_dispose(&data);
	return error;
}

static int load_one(struct cl_policy **out, const char *file)
{
	if (!strcmp(file, "-"))
		return load_stdin(out);
	return cl_policy_load(out, file);
}

/* 1: --help was asked for; -1: an unknown option; 0: only operands. */
static int scan_options(int argc, char **argv, int allow_default)
{
	int i;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return 1;
		if (argv[i][0] == '-' && argv[i][1] && !(allow_default && !strcmp(argv[i], "--default"))) {
			fprintf(stderr, "clearance: unknown option '%s'\n", argv[i]);
			return -1;
		}
	}
	return 0;
}

static int policy_check(int argc, char **argv)
{
	int i, rc = CL_EXIT_OK;

	if ((i = scan_options(argc, argv, 0)) != 0 || argc < 2) {
		policy_usage(i > 0 ? stdout : stderr);
		return i > 0 ? CL_EXIT_OK : CL_EXIT_CONFIG;
	}
	/* Every file is checked even after a bad one: one run reports them all. */
	for (i = 1; i < argc; i++) {
		struct cl_policy *policy = NULL;
		if (load_one(&policy, argv[i]) < 0) {
			cli_error(NULL);
			rc = CL_EXIT_CONFIG;
			continue;
		}
		printf("%s: ok\n", !strcmp(argv[i], "-") ? "<stdin>" : argv[i]);
		cl_policy_free(policy);
	}
	return rc;
}

static int policy_show(int argc, char **argv)
{
	struct cl_policy *policy = NULL;
	struct cl_buf out = CL_BUF_INIT;
	const char *s;
	int opt, error, rc = CL_EXIT_CONFIG;

	if ((opt = scan_options(argc, argv, 1)) != 0 || argc != 2) {
		policy_usage(opt > 0 ? stdout : stderr);
		return opt > 0 ? CL_EXIT_OK : CL_EXIT_CONFIG;
	}
	if ((!strcmp(argv[1], "--default") ? cl_policy_default(&policy) : load_one(&policy, argv[1])) < 0) {
		cli_error(NULL);
		goto done;
	}
	/* A newline in a file name must not end the comment and become YAML. */
	error = cl_buf_puts(&out, "# effective policy of ");
	for (s = cl_policy_source(policy); error >= 0 && *s; s++)
		error = cl_buf_putc(&out, (unsigned char)*s < 0x20 ? '?' : *s);
	if (error < 0 || cl_buf_puts(&out, " (every key, defaults filled in)\n") < 0 ||
	    cl_policy_write_yaml(&out, policy) < 0) {
		cli_error(NULL);
		goto done;
	}
	if (fwrite(out.ptr, 1, out.size, stdout) != out.size || fflush(stdout) != 0) {
		cl_error_from_errno("cannot write the policy");
		cli_error(NULL);
		goto done;
	}
	rc = CL_EXIT_OK;
done:
	cl_buf_dispose(&out);
	cl_policy_free(policy);
	return rc;
}

int cmd_policy(int argc, char **argv)
{
	if (argc < 2) {
		policy_usage(stderr);
		return CL_EXIT_CONFIG;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		policy_usage(stdout);
		return CL_EXIT_OK;
	}
	if (!strcmp(argv[1], "check"))
		return policy_check(argc - 1, argv + 1);
	if (!strcmp(argv[1], "show"))
		return policy_show(argc - 1, argv + 1);
	fprintf(stderr, "clearance: unknown policy command '%s' (check, show); see 'clearance policy --help'\n",
		argv[1]);
	return CL_EXIT_CONFIG;
}
