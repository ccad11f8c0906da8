/*
 * fuzz_deps_actions - the GitHub Actions workflow / action.yml parser (cl_deps_actions_parse) on hostile input.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_actions.h"

FUZZ_DEPS(cl_deps_actions_parse, "ci.yml")
