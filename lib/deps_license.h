/*
 * deps_license.h - the license of a dependency: where it is read from
 * (vendored metadata in the tree being checked) and how the policy's
 * licenses.allow / licenses.deny judge it.
 *
 * Layer rule: spdx.h for expressions, pattern.h for the policy's globs,
 * libgit2 only to read vendored metadata blobs of a given tree. No policy
 * loading, no findings, no network (deps_online.h is the network source).
 *
 * Judging an expression. Each license of the expression is ok when no
 * licenses.deny pattern matches it (deny wins over allow) and, if
 * licenses.allow is not empty, an allow pattern matches it; matching is
 * cl_spdx_satisfies' (caseless globs; a "+" or "-or-later" id matches its
 * "-only" form; an exception only adds permissions). The expression is
 * allowed when one OR branch has only ok licenses (AND needs every part).
 * NOASSERTION, NONE, non-standard, UNKNOWN, UNLICENSED, "SEE LICENSE IN
 * ...", empty text and text that is not an SPDX expression are unknown,
 * never "invalid": a dependency's metadata is not the project's to fix.
 */
#ifndef CL_DEPS_LICENSE_H
#define CL_DEPS_LICENSE_H

#include <git2.h>
#include <stddef.h>

#include "deps.h"
#include "pattern.h"
#include "spdx.h"

/* Vendored metadata files larger than this are not read. */
#define CL_DEPS_LICENSE_MAX_METADATA ((size_t)1024 * 1024)

enum cl_deps_license_verdict {
	CL_DEPS_LICENSE_ALLOWED = 0,
	CL_DEPS_LICENSE_DENIED,        /* no branch without a denied license */
	CL_DEPS_LICENSE_NOT_ALLOWED,   /* no branch wholly on licenses.allow */
	CL_DEPS_LICENSE_UNKNOWN        /* no usable expression (see above) */
};

struct cl_deps_license_result {
	enum cl_deps_license_verdict verdict;
	char *expression;   /* canonical text when it parsed, else as given; NULL when none */
	char *detail;       /* DENIED: "GPL-3.0-only matches 'GPL-*'"; NOT_ALLOWED: the ids
	                       not allowed; UNKNOWN: why ("NOASSERTION", "not an SPDX
	                       expression: ..."); NULL for ALLOWED */
};

/* "allowed", "denied", "not-allowed", "unknown". */
const char *cl_deps_license_verdict_name(enum cl_deps_license_verdict verdict);

/*
 * Parse a dependency's license expression leniently: operators in any case
 * (CL_SPDX_PARSE_LAX), and "(A OR B) WITH E" - which SPDX's grammar does not
 * have but Maven and npm metadata write - read as "(A OR B)": an exception
 * only adds permissions, so it never changes a verdict.
 * @return 0; CL_EINVALID / CL_ETOOBIG from cl_spdx_parse; CL_ERROR (memory).
 */
int cl_deps_license_parse(struct cl_spdx_expr **out, const char *text);

/* 1 when `text` says "no usable license" (see the top), else 0. */
int cl_deps_license_is_unknown(const char *text);

/*
 * Judge `text` (may be NULL) against the policy lists (see the top).
 * @param out   filled on success; dispose with cl_deps_license_result_dispose
 * @return 0, or CL_ERROR (a pattern hit its match limit, or memory).
 * Cost: one parse, and one match per distinct license id and pattern.
 */
int cl_deps_license_judge(struct cl_deps_license_result *out, const char *text,
	const struct cl_pattern_list *allow, const struct cl_pattern_list *deny);

void cl_deps_license_result_dispose(struct cl_deps_license_result *result);

/*
 * Do two expressions name the same licenses? Compared canonically (case of
 * ids, spacing, redundant parentheses do not matter); text that does not
 * parse compares caselessly as written. NULLs are equal only to each other.
 */
int cl_deps_license_equal(const char *a, const char *b);

/*
 * The license a package.json declares: "license" (a string, or the old
 * {"type": ...} object), else "licenses" (the old array), joined with OR.
 * @return 0 and a malloc'd *out; CL_ENOTFOUND when it declares none;
 *         CL_EINVALID when it is not a JSON object.
 */
int cl_deps_license_from_package_json(char **out, const char *data, size_t len);

/*
 * The license of a Python distribution's METADATA (core metadata, RFC 822
 * headers): License-Expression (PEP 639), else License when it is an SPDX
 * expression, else the "License ::" classifiers that name one license
 * (several are joined with OR).
 * @return 0 and a malloc'd *out; CL_ENOTFOUND when none says.
 */
int cl_deps_license_from_metadata(char **out, const char *data, size_t len);

/*
 * The license vendored metadata in `tree` declares for `dep`:
 *   npm   DIR/node_modules/NAME/package.json, DIR the manifest's directory
 *   pypi  DIR/{,vendor/,_vendor/,site-packages/}NAME-VERSION.dist-info/METADATA
 *         (NAME compared as PEP 503 says; any version when dep has none)
 * Other ecosystems vendor no license metadata clearance reads (Go's
 * vendor/modules.txt names modules only).
 * @return 0 and a malloc'd *out; CL_ENOTFOUND; CL_ERROR when the
 *         repository cannot be read. Unreadable metadata is CL_ENOTFOUND:
 *         the license is then looked for elsewhere.
 */
int cl_deps_license_vendored(char **out, git_repository *repo, git_tree *tree,
	const struct cl_dep *dep);

#endif
