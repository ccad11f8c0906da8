/*
 * fuzz_deps_package_json - the package.json parser on hostile input.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_npm.h"

FUZZ_DEPS(cl_deps_npm_parse_manifest, "package.json")
