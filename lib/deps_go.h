/*
 * deps_go.h - Go module dependencies (ecosystem "golang").
 *
 * Layer rule: a pure parser over deps.h; reads no files, no network.
 *
 * go.mod: every `require` (single line or block) is a dependency, direct
 * unless its comment is `// indirect` (or starts with `// indirect;`),
 * scope runtime, version the required one. `replace` directives are
 * applied as the go command would: a version-specific replacement wins
 * over a wildcard one; the dependency keeps the module path the code
 * imports and takes the replacement's version; a replacement by a local
 * directory (`=> ../utils`) leaves the version NULL, because no published
 * version of anything is used. Replacements of modules that are not
 * required are ignored, and so are `exclude`, `retract`, `module`, `go`,
 * `toolchain`, `godebug`, `tool` and `ignore`. Unknown directives are an
 * error, as they are for the go command.
 */
#ifndef CL_DEPS_GO_H
#define CL_DEPS_GO_H

#include "deps.h"

/* Parse a go.mod; see deps.h for the contract. */
int cl_deps_gomod_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len);

/* {go.mod}; NULL-terminated. */
extern const struct cl_dep_format cl_deps_go_formats[];

#endif
