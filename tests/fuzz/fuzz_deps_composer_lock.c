/*
 * fuzz_deps_composer_lock - the composer.lock parser (cl_deps_composer_lock_parse) on hostile input.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_composer.h"

FUZZ_DEPS(cl_deps_composer_lock_parse, "composer.lock")
