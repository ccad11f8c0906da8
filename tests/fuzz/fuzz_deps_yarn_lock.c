/*
 * fuzz_deps_yarn_lock - the yarn.lock (classic and berry) parser on hostile input.
 *
 * The input is parsed as "yarn.lock" from an exact-size heap copy (no
 * terminator) so ASan sees any read past `len`. Beyond "no crash, no leak,
 * no hang": the result is 0 or CL_EINVALID (CL_ETOOBIG cannot happen below
 * the 64 MiB cap); on success every new entry has a non-empty name, the
 * ecosystem "npm" and the path as manifest; on failure the list is exactly
 * as before and the message starts with the path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "deps.h"
#include "deps_npm.h"
#include "error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char path[] = "yarn.lock";
	struct cl_dep_list list = CL_DEP_LIST_INIT;
	struct cl_dep sentinel = { "npm", "sentinel", "1", CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL, "x", 1 };
	char *doc = malloc(size ? size : 1);
	size_t i;
	int rc;

	if (!doc || cl_dep_list_add(&list, &sentinel) < 0)
		abort();
	memcpy(doc, data, size);
	rc = cl_deps_yarn_parse(&list, path, doc, size);
	free(doc);
	if (rc == 0) {
		for (i = 1; i < list.count; i++) {
			const struct cl_dep *d = &list.items[i];
			if (!d->name || !*d->name || !d->ecosystem || strcmp(d->ecosystem, "npm") != 0 ||
			    !d->manifest || strcmp(d->manifest, path) != 0)
				abort();
		}
	} else if (rc == CL_EINVALID) {
		if (list.count != 1 || strcmp(list.items[0].name, "sentinel") != 0)
			abort();
		if (strncmp(cl_error_last(), path, strlen(path)) != 0 || strchr(cl_error_last(), '\n'))
			abort();
	} else {
		abort();
	}
	if (strcmp(list.items[0].name, "sentinel") != 0)
		abort();
	cl_dep_list_dispose(&list);
	cl_error_clear();
	return 0;
}
