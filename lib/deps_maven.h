/*
 * deps_maven.h - Maven pom.xml dependencies (issue 4, item 1: Java).
 *
 * Layer rule: a leaf parser over deps.h; depends on libxml2 and nothing of
 * git, the policy or the network. deps_nuget.c borrows the safe XML reader.
 */
#ifndef CL_DEPS_MAVEN_H
#define CL_DEPS_MAVEN_H

#include <stddef.h>

#include "deps.h"

/* {"pom.xml", ...} then an all-zero entry. */
extern const struct cl_dep_format cl_deps_maven_formats[];

/*
 * Parse pom.xml `data` (`len` bytes). Reports <dependencies> (direct) and
 * <dependencyManagement> entries (relation unknown: a managed version is a
 * constraint, not a dependency); see deps_maven.c for the rules.
 * @return 0, CL_EINVALID (message "PATH:LINE:COL: problem"), CL_ETOOBIG
 */
int cl_deps_maven_parse_pom(struct cl_dep_list *out, const char *path, const char *data, size_t len);

/*
 * Private to the deps parsers (deps_nuget.c): read an XML document with no
 * network, no DTD (a DOCTYPE is refused before any entity is declared), no
 * entity substitution and libxml2's default depth and size limits. On
 * failure sets "PATH:LINE:COL: problem" and returns CL_EINVALID/CL_ETOOBIG.
 * `*out` is a libxml2 xmlDocPtr; free it with xmlFreeDoc.
 */
int cl_deps_maven__read_xml(void **out, const char *path, const char *data, size_t len);

/*
 * Private to the deps parsers: move every entry of `tmp` onto the end of
 * `out` (both own their strings with malloc, as deps.c does). On failure
 * (out of memory) neither list changes. `tmp` is left empty on success.
 */
int cl_deps_maven__splice(struct cl_dep_list *out, struct cl_dep_list *tmp);

/* Private to the deps parsers: an xmlNodePtr's 1-based line, 0 when unknown. */
unsigned int cl_deps_maven__line(const void *node);

/* The cap on one XML manifest; larger files fail with CL_ETOOBIG. */
#define CL_DEPS_XML_MAX ((size_t)64 << 20)

#endif
