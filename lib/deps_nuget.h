/*
 * deps_nuget.h - .NET NuGet dependencies (issue 4, item 1: .NET): MSBuild
 * project files, packages.config and packages.lock.json.
 *
 * Layer rule: a leaf parser over deps.h; libxml2 and Jansson; no git,
 * policy or network.
 */
#ifndef CL_DEPS_NUGET_H
#define CL_DEPS_NUGET_H

#include <stddef.h>

#include "deps.h"

/* *.csproj, *.fsproj, *.vbproj, Directory.*.props, packages.config, packages.lock.json; then all zero. */
extern const struct cl_dep_format cl_deps_nuget_formats[];

/*
 * <PackageReference Include|Update="X" Version="V"/> (Version also as a
 * child element) and central <PackageVersion> entries of an MSBuild file.
 * @return 0, CL_EINVALID ("PATH:LINE:COL: problem"), CL_ETOOBIG
 */
int cl_deps_nuget_parse_project(struct cl_dep_list *out, const char *path, const char *data, size_t len);

/* <package id= version= developmentDependency=> of packages.config. Same returns. */
int cl_deps_nuget_parse_packages_config(struct cl_dep_list *out, const char *path, const char *data, size_t len);

/* packages.lock.json (v1, v2), deduplicated across target frameworks. Same returns. */
int cl_deps_nuget_parse_lock(struct cl_dep_list *out, const char *path, const char *data, size_t len);

/* packages.lock.json above this size is refused (CL_ETOOBIG). */
#define CL_DEPS_NUGET_LOCK_MAX ((size_t)64 << 20)

#endif
