/*
 * fuzz_deps_cargo_toml - cl_deps_cargo_toml_parse() (Cargo.toml) on hostile input.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_cargo.h"

FUZZ_DEPS(cl_deps_cargo_toml_parse, "Cargo.toml")
