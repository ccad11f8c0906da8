/*
 * fuzz_deps_gitmodules - the .gitmodules parser (cl_deps_gitmodules_parse) on hostile input.
 *
 * The input is parsed from an exact-size heap copy (no terminator) into a
 * list that already holds one entry. Beyond "no crash, no leak, no hang":
 *   - the result is 0 or CL_EINVALID (inputs are far below the size cap);
 *   - on success every added dependency has a non-empty name and ecosystem
 *     and names ".gitmodules" as its manifest;
 *   - on failure the list is exactly as it was, and the message starts
 *     with ".gitmodules:" on one line.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "deps_git.h"
#include "error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char path[] = ".gitmodules";
	struct cl_dep_list list = CL_DEP_LIST_INIT;
	struct cl_dep first = { "x", "first", "1", CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL, "m", 1 };
	char *doc = malloc(size ? size : 1);
	size_t i;
	int rc;

	if (!doc)
		return 0;
	memcpy(doc, data, size);
	if (cl_dep_list_add(&list, &first) < 0)
		abort();
	rc = cl_deps_gitmodules_parse(&list, path, doc, size);
	free(doc);
	if (rc == 0) {
		for (i = 1; i < list.count; i++) {
			const struct cl_dep *d = &list.items[i];
			if (!d->name || !d->name[0] || !d->ecosystem || !d->ecosystem[0] || strcmp(d->manifest, path) != 0)
				abort();
		}
	} else if (rc == CL_EINVALID) {
		const char *m = cl_error_last();
		if (list.count != 1 || strcmp(list.items[0].name, "first") != 0)
			abort();
		if (strncmp(m, path, strlen(path)) != 0 || m[strlen(path)] != ':' || strchr(m, '\n'))
			abort();
	} else {
		abort();
	}
	cl_dep_list_dispose(&list);
	cl_error_clear();
	return 0;
}
