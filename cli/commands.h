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

/* Print "clearance: <msg>" for the library's last error to stderr. */
void cli_error(const char *what);

#endif
