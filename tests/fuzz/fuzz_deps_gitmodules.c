/*
 * fuzz_deps_gitmodules - the .gitmodules parser (cl_deps_gitmodules_parse) on hostile input.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_git.h"

FUZZ_DEPS(cl_deps_gitmodules_parse, ".gitmodules")
