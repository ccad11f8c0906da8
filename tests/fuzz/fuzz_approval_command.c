/*
 * fuzz_approval_command - the slash commands approvers write in comments on
 * a request's issue (/approve, /deny, /revoke, /info), on hostile comments:
 * anyone may comment, and the bot reads every comment there.
 *
 * Beyond "no crash": a command found has a verb; a malformed one says why;
 * the reason is NUL-terminated, valid UTF-8 when the comment is (the
 * length cap never cuts a sequence), and a /deny, /revoke or /info accepted has one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "approval_form.h"
#include "error.h"
#include "json_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cl_approval_command c;
	int rc = cl_approval_command_parse(&c, (const char *)data, size);
	size_t n;

	if (rc != 0 && rc != 1 && rc != CL_EINVALID && rc != CL_ETOOBIG)
		abort();
	if (rc == 0 && c.verb != CL_APPROVAL_CMD_NONE)
		abort();
	if ((rc == 1 || rc == CL_EINVALID) && c.verb == CL_APPROVAL_CMD_NONE)
		abort();
	if (rc == CL_EINVALID && !c.problem[0])
		abort();
	n = strnlen(c.text, sizeof(c.text));
	if (n == sizeof(c.text))
		abort();
	if (rc == 1 && c.verb != CL_APPROVAL_CMD_APPROVE && n == 0)
		abort();
	/* valid UTF-8 in, valid UTF-8 out: the length cap never cuts a sequence */
	if (cl_utf8_valid_prefix((const char *)data, size) == size &&
	    cl_utf8_valid_prefix(c.text, n) != n)
		abort();
	cl_error_clear();
	return 0;
}
