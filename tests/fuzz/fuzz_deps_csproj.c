/*
 * fuzz_deps_csproj - the MSBuild project (PackageReference) parser on hostile bytes.
 * The invariants are those of fuzz_deps.h.
 */
#include "fuzz_deps.h"
#include "deps_nuget.h"

FUZZ_DEPS(cl_deps_nuget_parse_project, "app/App.csproj")
