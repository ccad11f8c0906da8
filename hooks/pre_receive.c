/*
 * pre-receive: git gives every ref update of the push on stdin, before any
 * ref moves and while the new objects sit in quarantine. Rejecting here
 * rejects the whole push atomically.
 */
#include "../cli/commands.h"
#include "buf.h"
#include "error.h"
#include "hook.h"
#include "push.h"

#include <stdio.h>

int hook_pre_receive(int argc, char **argv)
{
	struct cl_buf input;
	struct cl_push *push = NULL;
	int rc = 1;

	cl_buf_init(&input, CL_PUSH_MAX_INPUT);
	if (cl_buf_read_file(&input, stdin) < 0 ||
	    cl_push_parse(&push, cl_buf_cstr(&input), input.size) < 0) {
		fprintf(stderr, "clearance: push refused: cannot read the ref updates from git: %s\n",
			cl_error_last());
		goto done;
	}
	rc = hook_judge("pre-receive", push, cl_buf_cstr(&input), input.size, argc, argv);
done:
	cl_push_free(push);
	cl_buf_dispose(&input);
	return rc;
}
