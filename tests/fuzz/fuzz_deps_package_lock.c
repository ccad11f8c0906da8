/*
 * fuzz_deps_package_lock - the package-lock.json (v1, v2, v3) parser on hostile input.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_npm.h"

FUZZ_DEPS(cl_deps_npm_parse_lock, "package-lock.json")
