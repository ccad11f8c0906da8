/*
 * deps_composer.h - PHP Composer manifests and lock files (purl type
 * "composer").
 *
 * Layer rule: as deps.h; pure functions over a file's bytes, JSON read with
 * Jansson.
 *
 *   composer.json  "require" -> runtime, "require-dev" -> dev, all direct;
 *                  version = the constraint as written. Platform packages
 *                  (php, php-64bit, hhvm, ext-*, lib-*, composer,
 *                  composer-plugin-api, composer-runtime-api) are skipped:
 *                  every real Composer package is named "vendor/name", so
 *                  a name without '/' is a platform requirement.
 *   composer.lock  "packages" -> runtime, "packages-dev" -> dev; version =
 *                  the locked "version"; "license" array joined with " OR "
 *                  (Composer documents multiple licenses as a disjunction).
 *                  The lock has no list of the root's requirements, so the
 *                  relation is inferred from the lock's own graph: a package
 *                  that no other locked package requires can only be there
 *                  because the root requires it, so it is direct; every other
 *                  package is unknown (the root may require it as well).
 */
#ifndef CL_DEPS_COMPOSER_H
#define CL_DEPS_COMPOSER_H

#include "deps.h"

int cl_deps_composer_json_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len);
int cl_deps_composer_lock_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len);

/* {"composer.json", "composer.lock"}, then a zero entry. */
extern const struct cl_dep_format cl_deps_composer_formats[];

#endif
