/*
 * fuzz_deps_gemfile_lock - the Gemfile.lock parser (cl_deps_gemfile_lock_parse) on hostile input.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_ruby.h"

FUZZ_DEPS(cl_deps_gemfile_lock_parse, "Gemfile.lock")
