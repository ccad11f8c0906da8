/*
 * fuzz_deps_pnpm_lock - the pnpm-lock.yaml (5.x, 6.x, 9.0) parser on hostile input.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_npm.h"

FUZZ_DEPS(cl_deps_pnpm_parse, "pnpm-lock.yaml")
