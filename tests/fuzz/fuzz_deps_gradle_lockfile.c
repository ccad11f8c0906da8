/*
 * fuzz_deps_gradle_lockfile - the gradle.lockfile parser on hostile bytes.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_gradle.h"

FUZZ_DEPS(cl_deps_gradle_parse_lockfile, "app/gradle.lockfile")
