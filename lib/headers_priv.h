/*
 * headers_priv.h - what headers.c and header_options.c share beyond
 * headers.h; not part of the public interface.
 *
 * Layer rule: used by lib/headers.c and lib/header_options.c only.
 */
#ifndef CL_HEADERS_PRIV_H
#define CL_HEADERS_PRIV_H

#include "headers.h"
#include "pattern.h"

/*
 * cl_header_options_resolve with `skip` asked through an index of
 * opts->skip (NULL: the list itself), for a caller that resolves every
 * path of a tree. Same answers and returns.
 */
int cl_header_options__resolve(struct cl_header_effective *out,
	const struct cl_header_options *opts, const struct cl_pattern_index *skip, const char *path);

#endif
