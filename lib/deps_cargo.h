/*
 * deps_cargo.h - Rust crate dependencies (ecosystem "cargo").
 *
 * Layer rule: pure parsers over deps.h and toml.h; no files, no network.
 *
 * Cargo.toml: [dependencies] (runtime; `optional = true` makes it
 * optional), [dev-dependencies] (dev), [build-dependencies] (build), the
 * same three under every [target.'cfg(...)'] table, and the legacy
 * spellings dev_dependencies / build_dependencies. All are direct. The
 * version is the requirement as written ("0.1.9", "^1", "=2.0.1"); a
 * table's `version`; for `workspace = true`, the requirement of the same
 * name in this file's [workspace.dependencies] when there is one, else
 * NULL (the member cannot see its workspace root); NULL for path and git
 * dependencies without a version. `package = "real"` renames: the
 * dependency is reported under the crate's real name. Entries of
 * [workspace.dependencies] are reported too (runtime, direct), except the
 * ones this same file already uses through `workspace = true`, so a
 * crate is listed once per file. The [package] license belongs to the
 * project, not to its dependencies, so `license` stays NULL.
 *
 * Cargo.lock (v1 "name ver (source)" references with [metadata]
 * checksums, v2, v3 and v4): one dependency per [[package]] that has a
 * `source`, with its exact version. Packages without a source are the
 * workspace's own crates (the root and path dependencies), not
 * third-party code, and are not reported. Direct: referenced from the
 * dependencies list of a package without a source (or from the ancient
 * [root] table); else transitive. The lock file does not record dev or
 * build scope, so the scope is runtime.
 */
#ifndef CL_DEPS_CARGO_H
#define CL_DEPS_CARGO_H

#include "deps.h"

int cl_deps_cargo_toml_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len);
int cl_deps_cargo_lock_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len);

/* {Cargo.toml, Cargo.lock}; NULL-terminated. */
extern const struct cl_dep_format cl_deps_cargo_formats[];

#endif
