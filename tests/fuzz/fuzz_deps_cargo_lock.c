/*
 * fuzz_deps_cargo_lock - cl_deps_cargo_lock_parse() (Cargo.lock v1-v4) on hostile input.
 *
 * The input is parsed from an exact-size heap copy (no terminator), so ASan
 * sees any read past its end, into a list that already holds one entry.
 * Beyond "no crash, no leak, no hang":
 *   - the result is 0, CL_EINVALID or CL_ETOOBIG;
 *   - on success every new dependency has a non-empty name and ecosystem
 *     and names the file as its manifest;
 *   - on failure the list is unchanged and the one-line message starts
 *     with the path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "deps_cargo.h"

#define FUZZ_PATH "Cargo.lock"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cl_dep_list out = CL_DEP_LIST_INIT;
	struct cl_dep sentinel;
	char *doc = malloc(size ? size : 1);
	size_t i;
	int rc;

	if (!doc)
		return 0;
	if (size)
		memcpy(doc, data, size);
	memset(&sentinel, 0, sizeof(sentinel));
	sentinel.ecosystem = "sentinel";
	sentinel.name = "sentinel";
	if (cl_dep_list_add(&out, &sentinel) < 0)
		abort();
	rc = cl_deps_cargo_lock_parse(&out, FUZZ_PATH, doc, size);
	if (rc == 0) {
		for (i = 1; i < out.count; i++) {
			const struct cl_dep *d = &out.items[i];
			if (!d->name || !d->name[0] || !d->ecosystem || !d->ecosystem[0] || !d->manifest ||
			    strcmp(d->manifest, FUZZ_PATH) != 0)
				abort();
		}
	} else if (rc == CL_EINVALID || rc == CL_ETOOBIG) {
		const char *m = cl_error_last();
		if (out.count != 1 || strncmp(m, FUZZ_PATH, strlen(FUZZ_PATH)) != 0 || strchr(m, '\n'))
			abort();
	} else {
		abort();   /* CL_ERROR: only allocation fails that way, and the fuzzer's malloc does not */
	}
	cl_dep_list_dispose(&out);
	free(doc);
	cl_error_clear();
	return 0;
}
