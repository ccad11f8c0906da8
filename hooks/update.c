/*
 * update: git runs it once per ref, with "<ref> <old> <new>" as arguments,
 * for servers that do not run pre-receive. Rejecting refuses only this ref.
 */
#include "../cli/commands.h"
#include "error.h"
#include "hook.h"
#include "push.h"

#include <stdio.h>

int hook_update(int argc, char **argv)
{
	struct cl_push *push = NULL;
	int rc = 1;

	if (argc != 4) {
		fprintf(stderr, "clearance: usage: update <ref> <old> <new> (as git runs it)\n");
		return 1;
	}
	if (cl_push_new(&push) < 0 || cl_push_add(push, argv[1], argv[2], argv[3]) < 0) {
		fprintf(stderr, "clearance: update of '%s' refused: %s\n", argv[1], cl_error_last());
		goto done;
	}
	rc = hook_judge("update", push, "", 0, argc, argv);
done:
	cl_push_free(push);
	return rc;
}
