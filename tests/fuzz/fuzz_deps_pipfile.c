/*
 * fuzz_deps_pipfile - cl_deps_pipfile_parse() (Pipfile) on hostile input.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_python.h"

FUZZ_DEPS(cl_deps_pipfile_parse, "Pipfile")
