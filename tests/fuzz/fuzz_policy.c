/*
 * fuzz_policy - the policy loader on hostile YAML.
 *
 * Input: the policy file, loaded from an exact-size heap copy so ASan sees
 * any read past `len` (the loader must not assume a terminating NUL).
 *
 * Beyond "no crash":
 *   - a failed load returns CL_EINVALID or CL_ETOOBIG with a message of the
 *     form "fuzz.yml:LINE:COLUMN: problem (hint: ...)", LINE and COLUMN >= 1,
 *     and leaves *out untouched;
 *   - a policy that loads prints (cl_policy_write_yaml) as YAML that loads
 *     again and prints the same: `clearance policy show` is a fixed point.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_policy: invariant broken: %s\nlast error: %s\n", what, cl_error_last());
		abort();
	}
}

/* "fuzz.yml:L:C: ... (hint: ...)" with L, C positive decimal numbers. */
static int well_formed(const char *msg)
{
	static const char name[] = "fuzz.yml:";
	const char *p = msg + sizeof(name) - 1;
	size_t len = strlen(msg);
	int field;

	if (strncmp(msg, name, sizeof(name) - 1) != 0)
		return 0;
	for (field = 0; field < 2; field++) {
		if (*p < '1' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
		if (*p++ != ':')
			return 0;
	}
	return *p == ' ' && p[1] != '\0' && strstr(p, " (hint: ") != NULL && len > 0 && msg[len - 1] == ')';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cl_policy *policy = (struct cl_policy *)&policy, *again = NULL;
	struct cl_buf first = CL_BUF_INIT, second = CL_BUF_INIT;
	char *copy = malloc(size ? size : 1);
	int rc;

	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	rc = cl_policy_load_buffer(&policy, copy, size, "fuzz.yml");
	free(copy);
	if (rc < 0) {
		if (rc == CL_ERROR && strcmp(cl_error_last(), "out of memory") == 0)
			return 0;
		check(rc == CL_EINVALID || rc == CL_ETOOBIG, "failure code");
		check(policy == (struct cl_policy *)&policy, "*out untouched on failure");
		check(well_formed(cl_error_last()), "message form FILE:LINE:COLUMN: problem (hint: ...)");
		return 0;
	}
	check(cl_policy_write_yaml(&first, policy) == 0, "print");
	check(cl_policy_load_buffer(&again, first.ptr, first.size, "printed.yml") == 0,
		"printed policy loads");
	check(cl_policy_write_yaml(&second, again) == 0, "print again");
	check(first.size == second.size && memcmp(first.ptr, second.ptr, first.size) == 0,
		"printing is a fixed point");
	cl_buf_dispose(&first);
	cl_buf_dispose(&second);
	cl_policy_free(again);
	cl_policy_free(policy);
	return 0;
}
