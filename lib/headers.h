/*
 * headers.h - the license-header check: every file a push adds or changes
 * carries an SPDX-License-Identifier (and, when asked, a copyright notice)
 * that the policy allows, in that file type's comment syntax.
 *
 * Layer rule: policy.c fills struct cl_header_options from the `headers:`
 * section; headers.c reads blobs through libgit2 and appends findings. The
 * pieces it stands on: spdx.h (expressions, the SPDX list), comment_style.h
 * (syntax per file type), header_scan.h (finding the tags in a file's head).
 */
#ifndef CL_HEADERS_H
#define CL_HEADERS_H

#include <stddef.h>

#include "pattern.h"

enum cl_copyright_rule {
	CL_COPYRIGHT_OPTIONAL = 0,
	CL_COPYRIGHT_REQUIRED
};

/* One `headers.paths` entry; the last entry whose glob matches a path wins. */
struct cl_header_path_rule {
	struct cl_pattern *match;          /* CL_PATTERN_PATH glob on the repository path */
	int skip;                          /* 1: not checked at all */
	int has_licenses;                  /* `licenses:` given (may be empty = any valid id) */
	struct cl_pattern_list licenses;   /* allowed SPDX ids, globs such as "GPL-*" */
	int has_copyright;                 /* `copyright:` given */
	enum cl_copyright_rule copyright;
};

struct cl_header_options {
	int enabled;                         /* [false] */
	struct cl_pattern_list licenses;     /* allowed SPDX ids (globs); empty = any valid id */
	enum cl_copyright_rule copyright;    /* [optional] */
	size_t window_bytes;                 /* how much of a file's head is read [4096] */
	int per_commit;                      /* check every commit's version, not only the tip's [false] */
	int reuse;                           /* REUSE 3.3: sidecars, REUSE.toml, dep5, LICENSES/ [true] */
	struct cl_pattern *copyright_pattern;/* extra PCRE2 pattern that counts as a notice [none] */
	struct cl_header_path_rule *paths;   /* `headers.paths`, in file order */
	size_t path_count;
	struct cl_pattern_list skip;         /* never checked: vendored, generated, binary-ish
	                                        [see docs/policy.md for the defaults] */
	size_t min_bytes;                    /* files smaller than this are skipped [1] */
};

#define CL_HEADER_OPTIONS_INIT \
	{ 0, CL_PATTERN_LIST_INIT, CL_COPYRIGHT_OPTIONAL, 4096, 0, 1, NULL, NULL, 0, \
	  CL_PATTERN_LIST_INIT, 1 }

/* Release what the options own. */
void cl_header_options_dispose(struct cl_header_options *opts);

#endif
