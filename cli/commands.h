/*
 * commands.h - the subcommands of the `clearance` program.
 *
 * Layer rule: cli/ and hooks/ are front-ends. They parse arguments, call the
 * library, print, and turn results into exit codes:
 *   0  success / accepted
 *   1  findings that reject (the push, the range)
 *   2  usage or configuration error (bad policy, unreadable repository)
 */
#ifndef CL_COMMANDS_H
#define CL_COMMANDS_H

#define CL_EXIT_OK       0
#define CL_EXIT_REJECT   1
#define CL_EXIT_CONFIG   2

int cmd_check(int argc, char **argv);          /* clearance check [RANGE] */
int cmd_policy(int argc, char **argv);         /* clearance policy check FILE */
int cmd_install_hooks(int argc, char **argv);  /* clearance install-hooks REPO */
int cmd_hook(int argc, char **argv);           /* clearance hook pre-receive|update ... */

/* Hook entry points, also reached through argv[0] ("pre-receive", "update"). */
int hook_pre_receive(int argc, char **argv);
int hook_update(int argc, char **argv);
int hook_post_receive(int argc, char **argv);

int cmd_fix_headers(int argc, char **argv);    /* clearance fix-headers [PATHS] */
int cmd_deps(int argc, char **argv);           /* clearance deps inventory [REV], deps diff A..B */
int cmd_cla(int argc, char **argv);            /* clearance cla sign|revoke|list|... */
int cmd_serve(int argc, char **argv);          /* clearance serve [--config bot.yml] */
int cmd_deliveries(int argc, char **argv);     /* clearance deliveries list|show|retry */
int cmd_spool(int argc, char **argv);          /* clearance spool flush|status [REPO] */
int cmd_doctor(int argc, char **argv);         /* clearance doctor [REPO] */
int cmd_overrides(int argc, char **argv);      /* clearance overrides list --store PATH */
int cmd_approvals(int argc, char **argv);      /* clearance approvals request|list|show|approve|... */
int cmd_report(int argc, char **argv);         /* clearance report contributions */

struct cl_policy;
typedef struct git_repository git_repository;

/*
 * The policy for commands run in a work tree: `given` when not NULL, else
 * the repository's (git config clearance.policy, .git/clearance.yml), else
 * .clearance.yml at the top of the work tree, else the built-in default.
 * *source names where it came from (malloc'd).
 */
int cli_load_policy(struct cl_policy **out, char **source, git_repository *repo, const char *given);

struct cl_buf;
/* Where git runs `repo`'s hooks from: core.hooksPath, else <git dir>/hooks. */
int cli_hooks_dir(struct cl_buf *out, git_repository *repo);

/* Print "clearance: <msg>" for the library's last error to stderr. */
void cli_error(const char *what);

#endif
