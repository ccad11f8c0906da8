/*
 * deps_npm.h - the npm ecosystem's dependency files: package.json,
 * package-lock.json / npm-shrinkwrap.json (v1, v2, v3), yarn.lock (classic
 * v1 and berry) and pnpm-lock.yaml (5.x, 6.x, 9.0).
 *
 * Layer rule: pure parsers on top of deps.h; nothing here reads git, the
 * policy or the network. Each function has the cl_dep_parse_fn contract:
 * append to `out` on success, leave it untouched on failure (CL_EINVALID
 * with "PATH:LINE:COLUMN: problem" or "PATH: problem", CL_ETOOBIG past
 * CL_DEPS_NPM_MAX_SIZE, CL_ERROR when out of memory). Thread-safe: no
 * shared state. Cost is linear in the input.
 */
#ifndef CL_DEPS_NPM_H
#define CL_DEPS_NPM_H

#include <stddef.h>

#include "deps.h"

/* Files larger than this are refused (CL_ETOOBIG) before any parsing. */
#define CL_DEPS_NPM_MAX_SIZE ((size_t)64 << 20)

int cl_deps_npm_parse_manifest(struct cl_dep_list *out, const char *path, const char *data, size_t len);
int cl_deps_npm_parse_lock(struct cl_dep_list *out, const char *path, const char *data, size_t len);
int cl_deps_yarn_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len);
int cl_deps_pnpm_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len);

/* NULL-terminated: package.json, package-lock.json, npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml. */
extern const struct cl_dep_format cl_deps_npm_formats[];

#endif
