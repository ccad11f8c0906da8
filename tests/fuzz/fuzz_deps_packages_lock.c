/*
 * fuzz_deps_packages_lock - the packages.lock.json parser on hostile bytes.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_nuget.h"

FUZZ_DEPS(cl_deps_nuget_parse_lock, "app/packages.lock.json")
