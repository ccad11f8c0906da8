/*
 * fuzz_deps_cargo_lock - cl_deps_cargo_lock_parse() (Cargo.lock v1-v4) on hostile input.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_cargo.h"

FUZZ_DEPS(cl_deps_cargo_lock_parse, "Cargo.lock")
