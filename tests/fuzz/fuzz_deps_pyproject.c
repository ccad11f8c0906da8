/*
 * fuzz_deps_pyproject - cl_deps_pyproject_parse() (PEP 621, PEP 735 and Poetry pyproject.toml) on hostile input.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_python.h"

FUZZ_DEPS(cl_deps_pyproject_parse, "pyproject.toml")
