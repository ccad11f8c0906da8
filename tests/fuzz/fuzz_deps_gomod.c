/*
 * fuzz_deps_gomod - cl_deps_gomod_parse() (go.mod) on hostile input.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_go.h"

FUZZ_DEPS(cl_deps_gomod_parse, "go.mod")
