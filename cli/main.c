/*
 * clearance - one program behind the command line and the git hooks.
 * Run as "pre-receive" or "update" (a symlink git calls), it is that hook.
 */
#include "commands.h"
#include "error.h"
#include "json_arena.h"

#include <stdio.h>
#include <string.h>

#ifndef CL_VERSION
#define CL_VERSION "0.1.0"
#endif

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "check", cmd_check, "check a local range of commits before pushing" },
	{ "install-hooks", cmd_install_hooks, "install the server hooks into a bare repository" },
	{ "fix-headers", cmd_fix_headers, "insert or repair SPDX license headers in files" },
	{ "policy", cmd_policy, "validate or show a policy file" },
	{ "hook", cmd_hook, "run a hook by hand (pre-receive reads stdin)" },
	{ "deps", cmd_deps, "list the dependencies of a tree (inventory), or what a range changes (diff)" },
	{ "cla", cmd_cla, "CLA agreements and signatures: sign, revoke, list, import, export, companies" },
	{ "serve", cmd_serve, "run the webhook bot (GitHub, Gitea/Forgejo) on a local port" },
	{ "deliveries", cmd_deliveries, "list, show or retry the bot's webhook deliveries" },
	{ "spool", cmd_spool, "deliver (flush) or show the push events a repository's hooks spooled" },
	{ "doctor", cmd_doctor, "check a repository's hooks, policy, bot store and connection, spool" },
	{ "overrides", cmd_overrides, "list the admin overrides the bot recorded" },
	{ "approvals", cmd_approvals, "outbound contribution approvals: request, list, show, approve, deny, revoke" },
	{ "report", cmd_report, "the OSPO's numbers: report contributions --since DATE" },
};

static const struct command hook_entries[] = {
	{ "pre-receive", hook_pre_receive, NULL },
	{ "update", hook_update, NULL },
	{ "post-receive", hook_post_receive, NULL },
};

void cli_error(const char *what)
{
	const char *msg = cl_error_last();
	if (what && *msg)
		fprintf(stderr, "clearance: %s: %s\n", what, msg);
	else
		fprintf(stderr, "clearance: %s\n", what ? what : msg);
}

static void usage(FILE *fp)
{
	size_t i;
	fprintf(fp,
		"usage: clearance <command> [options]\n"
		"\n"
		"clearance enforces an open source program office's policy (DCO sign-off,\n"
		"CLAs, license headers, dependencies, outbound contribution approvals) in\n"
		"git server hooks, on your machine before you push, and as a webhook bot.\n"
		"\n"
		"commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "  %-15s %s\n", commands[i].name, commands[i].summary);
	fprintf(fp,
		"\n"
		"'clearance <command> --help' tells more; the policy file is described in\n"
		"docs/policy.md and the clearance(1) manual page.\n"
		"exit status: 0 ok, 1 policy findings (rejected), 2 usage or configuration error\n");
}

int cmd_hook(int argc, char **argv)
{
	size_t i;
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fprintf(argc < 2 ? stderr : stdout,
			"usage: clearance hook pre-receive < updates\n"
			"       clearance hook update <ref> <old> <new>\n"
			"       clearance hook post-receive < updates\n"
			"Runs a hook as git would, inside the repository in $GIT_DIR or the\n"
			"current directory.\n");
		return argc < 2 ? CL_EXIT_CONFIG : CL_EXIT_OK;
	}
	for (i = 0; i < sizeof(hook_entries) / sizeof(hook_entries[0]); i++)
		if (!strcmp(argv[1], hook_entries[i].name))
			return hook_entries[i].run(argc - 1, argv + 1);
	fprintf(stderr, "clearance: unknown hook '%s' (known: pre-receive, update, post-receive)\n", argv[1]);
	return CL_EXIT_CONFIG;
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	size_t i;

	/* before any Jansson call: the lock-file parsers build their trees in arenas */
	cl_json_arena_install();
	base = base ? base + 1 : argv[0];
	for (i = 0; i < sizeof(hook_entries) / sizeof(hook_entries[0]); i++)
		if (!strcmp(base, hook_entries[i].name))
			return hook_entries[i].run(argc, argv);

	if (argc < 2) {
		usage(stderr);
		return CL_EXIT_CONFIG;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return CL_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("clearance %s\n", CL_VERSION);
		return CL_EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "clearance: '%s' is not a command; see 'clearance --help'\n", argv[1]);
	return CL_EXIT_CONFIG;
}
