/*
 * fuzz_deps_conanfile - the conanfile.txt parser (cl_deps_conanfile_parse) on hostile input.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_cpp.h"

FUZZ_DEPS(cl_deps_conanfile_parse, "conanfile.txt")
