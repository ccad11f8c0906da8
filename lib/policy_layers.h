/*
 * policy_layers.h - one policy from several files, later ones over earlier.
 *
 * Layer rule: above policy.h. The bot takes a repository's policy from its
 * base branch (`.clearance.yml`) merged over the server's default; an
 * organisation may add a layer in between. Each layer must be a valid
 * policy by itself, so a problem is reported with its own file, line and
 * column, never with positions in a merged text nobody wrote.
 *
 * Merging: mappings merge key by key, recursively; a scalar or a list in a
 * later layer replaces the earlier one whole (a repository that lists
 * `headers.licenses` means exactly that list, not the union).
 */
#ifndef CL_POLICY_LAYERS_H
#define CL_POLICY_LAYERS_H

#include <stddef.h>

#include "policy.h"

struct cl_policy_layer {
	const char *data;   /* YAML text, need not be NUL-terminated */
	size_t len;
	const char *name;   /* for messages: "server default", "acme/widget:.clearance.yml@main" */
};

/*
 * @return 0 and the merged policy, whose source names every layer;
 *   CL_EINVALID / CL_ETOOBIG as cl_policy_load_buffer for the first bad
 *   layer (its name, line and column in the message); CL_ERROR otherwise.
 */
int cl_policy_load_layers(struct cl_policy **out, const struct cl_policy_layer *layers,
	size_t count);

#endif
