/*
 * fuzz_deps_uv_lock - cl_deps_uv_lock_parse() (uv.lock) on hostile input.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_python.h"

FUZZ_DEPS(cl_deps_uv_lock_parse, "uv.lock")
