/*
 * fuzz_deps_pipfile_lock - cl_deps_pipfile_lock_parse() (Pipfile.lock, JSON) on hostile input.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_python.h"

FUZZ_DEPS(cl_deps_pipfile_lock_parse, "Pipfile.lock")
