/*
 * fuzz_approval_form - the outbound-contribution issue form reader
 * (lib/approval_form.c) on hostile issue bodies: anyone may open an issue
 * in the OSPO's repository.
 *
 * Beyond "no crash": the result is 0 exactly when no problem was listed,
 * every problem is one line (the requester's text quoted in it included),
 * the problems are valid UTF-8 when the body is, a complete form has a URL that splits into
 * host/owner/repo and a positive size, and detecting the form never
 * disagrees with a complete parse.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "approval_form.h"
#include "error.h"
#include "json_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cl_approval_form f;
	int rc = cl_approval_form_parse(&f, (const char *)data, size);
	size_t lines = 0;
	const char *p;

	if (rc != 0 && rc != CL_EINVALID && rc != CL_ETOOBIG)
		abort();
	if (rc != CL_ETOOBIG) {
		if (!f.problems)
			abort();
		for (p = f.problems; *p; p++)
			lines += *p == '\n';
		if (lines != f.problem_count || (rc == 0) != (f.problem_count == 0))
			abort();
		if (cl_utf8_valid_prefix((const char *)data, size) == size &&
		    cl_utf8_valid_prefix(f.problems, strlen(f.problems)) != strlen(f.problems))
			abort();
	}
	if (rc == 0) {
		if (!f.host[0] || !f.owner[0] || !f.repo[0] || f.expected_lines <= 0 || !f.license)
			abort();
		if (!cl_approval_form_detect((const char *)data, size))
			abort();
	}
	cl_approval_form_dispose(&f);
	cl_error_clear();
	return 0;
}
