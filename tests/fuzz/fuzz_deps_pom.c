/*
 * fuzz_deps_pom - the pom.xml parser on hostile bytes.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_maven.h"

FUZZ_DEPS(cl_deps_maven_parse_pom, "app/pom.xml")
