/*
 * hook.h - what pre-receive and update share: open the repository git runs
 * us in (quarantine included), load the server's policy, check, decide on
 * overrides, print, and hand over to a chained hook.
 */
#ifndef CL_HOOK_H
#define CL_HOOK_H

#include <stddef.h>

#include "push.h"

/*
 * Judge `push` and return the hook's exit code (0 accept, 1 reject).
 * `input` is the hook's stdin (passed on to a chained hook); `argv` are the
 * hook's arguments, argv[0] being the path git ran.
 */
int hook_judge(const char *hook_name, struct cl_push *push, const char *input, size_t input_len,
	int argc, char **argv);

/*
 * Run hooks/<name>.chained (an admin's own hook, kept by install-hooks) with
 * `input` as its stdin, when git ran us as `hook_name`.
 * @return its exit code; 0 when there is none
 */
int hook_run_chained(const char *hook_name, const char *input, size_t input_len, int argc, char **argv);

#endif
