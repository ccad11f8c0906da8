/*
 * deps_gradle.h - Gradle build scripts and gradle.lockfile (issue 4, item 1:
 * Java). Ecosystem "maven": Gradle resolves Maven coordinates.
 *
 * Layer rule: a leaf parser over deps.h; no git, policy or network.
 */
#ifndef CL_DEPS_GRADLE_H
#define CL_DEPS_GRADLE_H

#include <stddef.h>

#include "deps.h"

/* build.gradle, *.gradle, build.gradle.kts, *.gradle.kts, gradle.lockfile; then all zero. */
extern const struct cl_dep_format cl_deps_gradle_formats[];

/*
 * Dependency declarations of a Groovy or Kotlin DSL build script: calls with
 * literal arguments inside `dependencies { }` blocks (see deps_gradle.c).
 * @return 0, CL_EINVALID ("PATH:LINE:COL: problem"), CL_ETOOBIG
 */
int cl_deps_gradle_parse_script(struct cl_dep_list *out, const char *path, const char *data, size_t len);

/* "group:name:version=conf1,conf2" lines of a gradle.lockfile. Same returns. */
int cl_deps_gradle_parse_lockfile(struct cl_dep_list *out, const char *path, const char *data, size_t len);

/* Build scripts above this size are refused (CL_ETOOBIG). */
#define CL_DEPS_GRADLE_MAX ((size_t)16 << 20)
/* Lock files above this size are refused (CL_ETOOBIG). */
#define CL_DEPS_GRADLE_LOCK_MAX ((size_t)64 << 20)

#endif
