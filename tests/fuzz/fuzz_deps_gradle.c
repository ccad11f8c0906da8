/*
 * fuzz_deps_gradle - the Gradle build script (Groovy and Kotlin DSL) parser on hostile bytes.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_gradle.h"

FUZZ_DEPS(cl_deps_gradle_parse_script, "app/build.gradle")
