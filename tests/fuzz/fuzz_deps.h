/*
 * fuzz_deps.h - the one body of every dependency-parser harness.
 *
 * A harness is one line: FUZZ_DEPS(parse_fn, "path/of/the/file"). The input
 * is the whole file, parsed from an exact-size heap copy (ASan sees any read
 * past `len`) into a list that already holds one sentinel entry. Beyond "no
 * crash, no leak, no hang":
 *   - on success every new entry has a non-empty name and ecosystem and names
 *     the file as its manifest;
 *   - on failure the code is CL_EINVALID or CL_ETOOBIG, the message starts
 *     with "PATH:" and is one line, and the list is exactly as before.
 */
#ifndef CL_FUZZ_DEPS_H
#define CL_FUZZ_DEPS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "deps.h"
#include "error.h"

static int fuzz_deps_run(cl_dep_parse_fn parse, const char *path, const uint8_t *data, size_t size)
{
	struct cl_dep sentinel = { "sentinel", "sentinel", "1", CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL, "x", 1 };
	struct cl_dep_list list = CL_DEP_LIST_INIT;
	size_t plen = strlen(path), i;
	char *doc = malloc(size ? size : 1);
	int rc;

	if (!doc)
		return 0;
	if (size)
		memcpy(doc, data, size);
	if (cl_dep_list_add(&list, &sentinel) < 0)
		abort();
	rc = parse(&list, path, doc, size);
	free(doc);
	if (rc == 0) {
		for (i = 1; i < list.count; i++) {
			const struct cl_dep *d = &list.items[i];
			if (!d->name || !d->name[0] || !d->ecosystem || !d->ecosystem[0] ||
			    !d->manifest || strcmp(d->manifest, path) != 0)
				abort();
		}
	} else {
		const char *m = cl_error_last();
		if (rc != CL_EINVALID && rc != CL_ETOOBIG)
			abort();
		if (strncmp(m, path, plen) != 0 || m[plen] != ':' || strchr(m, '\n'))
			abort();
		if (list.count != 1 || strcmp(list.items[0].name, "sentinel") != 0)
			abort();
	}
	cl_dep_list_dispose(&list);
	cl_error_clear();
	return 0;
}

#define FUZZ_DEPS(parse, path) \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size); \
	int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) \
	{ \
		return fuzz_deps_run((parse), (path), data, size); \
	}

#endif
