/*
 * deps_cpp.h - C/C++ package manifests: vcpkg.json (purl type "vcpkg") and
 * conanfile.txt (purl type "conan").
 *
 * Layer rule: as deps.h; vcpkg.json is read with Jansson, conanfile.txt (an
 * INI-like line format) with a small strict reader.
 *
 *   vcpkg.json     "dependencies": a string "name", or an object {name,
 *                  "version>=", features, "default-features", host,
 *                  platform}. version = ">=" + the "version>=" value, or
 *                  NULL. An "overrides" entry pins the exact version that
 *                  vcpkg resolves ("overrides take precedence over all
 *                  other constraints"), so a dependency with an override
 *                  gets the override's version (+ "#port-version");
 *                  overrides of names that are not dependencies are not
 *                  dependencies themselves and are not reported. host: true
 *                  -> build; everything else runtime; all direct.
 *   conanfile.txt  [requires] -> runtime, [tool_requires] and
 *                  [build_requires] -> build, [test_requires] -> test; a
 *                  line is "name/version[@user/channel][#revision]"; name =
 *                  name, version = version (a range "[>1.0 <2]" kept as
 *                  written); the @user/channel and #revision parts are not
 *                  part of the version and are dropped. Other sections
 *                  ([generators], [options], [imports], [layout]) are
 *                  skipped; '#' starts a comment line.
 */
#ifndef CL_DEPS_CPP_H
#define CL_DEPS_CPP_H

#include "deps.h"

int cl_deps_vcpkg_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len);
int cl_deps_conanfile_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len);

/* {"vcpkg.json", "conanfile.txt"}, then a zero entry. */
extern const struct cl_dep_format cl_deps_cpp_formats[];

#endif
