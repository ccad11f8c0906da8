/*
 * fuzz_deps_packages_lock - the packages.lock.json parser on hostile bytes.
 *
 * Input: the whole file. Beyond "no crash, no leak": on success every entry
 * has a non-empty name and ecosystem and names the file; on failure the
 * code is CL_EINVALID (or CL_ETOOBIG), the message starts with the path and
 * the list is exactly as before (one sentinel entry).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "deps.h"
#include "deps_nuget.h"
#include "error.h"

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
	static const char path[] = "app/packages.lock.json";
	struct cl_dep sentinel = { "sentinel", "s", "1", CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL, "x", 1 };
	struct cl_dep_list l = CL_DEP_LIST_INIT;
	char *copy;
	size_t i;
	int rc;

	/* an exact-size heap copy: ASan catches any read past the end */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, bytes, size);
	if (cl_dep_list_add(&l, &sentinel) < 0)
		abort();
	rc = cl_deps_nuget_parse_lock(&l, path, copy, size);
	if (rc == 0) {
		for (i = 1; i < l.count; i++)
			if (!l.items[i].name || !l.items[i].name[0] || !l.items[i].ecosystem ||
			    !l.items[i].ecosystem[0] || strcmp(l.items[i].manifest, path) != 0)
				abort();
	} else {
		if (rc != CL_EINVALID && rc != CL_ETOOBIG)
			abort();
		if (strncmp(cl_error_last(), path, sizeof(path) - 1) != 0)
			abort();
		if (l.count != 1 || strcmp(l.items[0].ecosystem, "sentinel") != 0)
			abort();
	}
	cl_dep_list_dispose(&l);
	free(copy);
	return 0;
}
