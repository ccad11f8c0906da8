/*
 * fuzz_deps_poetry_lock - cl_deps_poetry_lock_parse() (poetry.lock) on hostile input.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_python.h"

FUZZ_DEPS(cl_deps_poetry_lock_parse, "poetry.lock")
