/*
 * fuzz_dep5 - the .reuse/dep5 parser (Debian copyright format 1.0) and its
 * globs on hostile documents.
 *
 * Input: the document, parsed from an exact-size heap copy (no terminator)
 * so ASan sees any read past `len`. Beyond "no crash, no leak, no hang":
 *   - the outcome is 0 or CL_EINVALID (the input is under the 1 MiB cap);
 *   - a failure leaves *out alone and names a line no later than the
 *     document's last;
 *   - on success, lookups of a few fixed paths and of the document's own
 *     first line terminate, and a match yields a non-empty License synopsis
 *     without a line end in it;
 *   - a Files glob tried on itself as a path terminates (the matcher must
 *     not backtrack without bound on "*a*a*a...").
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "reuse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const paths[] = {
	"a", "README.md", "src/main.c", "docs/a/b/c.png", "po/x.pot", "*", "?", "\\", "",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cl_reuse_dep5 *d = (struct cl_reuse_dep5 *)&size;   /* must stay untouched on failure */
	char *copy = malloc(size ? size : 1);
	unsigned int line = 0, lines = 1;
	size_t i;
	int rc;

	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	for (i = 0; i < size; i++)
		lines += copy[i] == '\n';
	rc = cl_reuse_dep5_parse(&d, copy, size, &line);
	if (rc == CL_EINVALID) {
		if (d != (struct cl_reuse_dep5 *)&size || line > lines)
			abort();
	} else if (rc != 0) {
		abort();
	} else {
		char first[256];
		size_t n = 0;
		while (n < size && n < sizeof(first) - 1 && copy[n] != '\n' && copy[n] != '\0')
			n++;
		memcpy(first, copy, n);
		first[n] = '\0';
		for (i = 0; i < sizeof(paths) / sizeof(paths[0]) + 1; i++) {
			const char *lic = NULL;
			int cp = -1;
			const char *p = i < sizeof(paths) / sizeof(paths[0]) ? paths[i] : first;
			if (cl_reuse_dep5_match(&lic, &cp, d, p)) {
				if (!lic || !*lic || strchr(lic, '\n') || (cp != 0 && cp != 1))
					abort();
			}
		}
		cl_reuse_dep5_free(d);
	}
	/* The matcher alone, glob = path = the first 64 bytes. */
	{
		char g[65];
		size_t n = size < 64 ? size : 64;
		memcpy(g, copy, n);
		g[n] = '\0';
		(void)cl_reuse_dep5_glob(g, strlen(g), g);
	}
	cl_error_clear();
	free(copy);
	return 0;
}
