/*
 * fuzz_deps_yarn_lock - the yarn.lock (classic and berry) parser on hostile input.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_npm.h"

FUZZ_DEPS(cl_deps_yarn_parse, "yarn.lock")
