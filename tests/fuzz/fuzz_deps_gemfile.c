/*
 * fuzz_deps_gemfile - the Gemfile (Ruby DSL tokenizer) parser (cl_deps_gemfile_parse) on hostile input.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_ruby.h"

FUZZ_DEPS(cl_deps_gemfile_parse, "Gemfile")
