/*
 * fuzz_deps_vcpkg - the vcpkg.json parser (cl_deps_vcpkg_parse) on hostile input.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_cpp.h"

FUZZ_DEPS(cl_deps_vcpkg_parse, "vcpkg.json")
