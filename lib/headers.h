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

#include <git2.h>
#include <jansson.h>
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
	char *copyright_pattern_text;        /* copyright_pattern's expression as written [NULL] */
};

/*
 * copyright_pattern is compiled to find its expression anywhere in the text
 * it is matched against: give cl_pattern_match one line of the head at a
 * time, without its newline ("." does not cross lines). It is case-sensitive
 * unless the expression says (?i).
 */

#define CL_HEADER_OPTIONS_INIT \
	{ 0, CL_PATTERN_LIST_INIT, CL_COPYRIGHT_OPTIONAL, 4096, 0, 1, NULL, NULL, 0, \
	  CL_PATTERN_LIST_INIT, 1, NULL }

/* Bounds of window_bytes and min_bytes that a policy may set. */
#define CL_HEADER_WINDOW_MAX (1024 * 1024)
#define CL_HEADER_MIN_BYTES_MAX (1024 * 1024)

/*
 * CL_HEADER_OPTIONS_INIT plus the default `skip` globs (vendored and
 * generated trees, lock files, license texts and REUSE metadata, binary-ish
 * extensions; docs/policy.md lists them). On failure returns CL_ERROR (out
 * of memory) and leaves `opts` disposed.
 */
int cl_header_options_init(struct cl_header_options *opts);

/* Release what the options own. */
void cl_header_options_dispose(struct cl_header_options *opts);

/* Release what one `headers.paths` entry owns. */
void cl_header_path_rule_dispose(struct cl_header_path_rule *rule);

/* What the options ask of one path, once `skip` and `paths` are applied. */
struct cl_header_effective {
	int skip;                                /* 1: not checked */
	const struct cl_pattern_list *licenses;  /* points into the options; empty = any valid id */
	enum cl_copyright_rule copyright;
	const struct cl_header_path_rule *rule;  /* the `paths` entry that decided, or NULL */
};

/*
 * Apply `skip` and `paths` to `path` (relative to the top of the tree, '/'
 * separated). The last `paths` entry whose `match` matches decides; keys it
 * leaves out take the section's values, not an earlier entry's. A path that
 * `skip` matches is skipped whatever `paths` says. Size (min_bytes) is the
 * caller's to apply.
 * @return 0, or CL_ERROR when a pattern hit its match limit (message set).
 */
int cl_header_options_resolve(struct cl_header_effective *out,
	const struct cl_header_options *opts, const char *path);

/* 1 when `path` is not checked at all (skip globs, a skipping paths entry), 0, or < 0. */
int cl_header_path_skipped(const struct cl_header_options *opts, const char *path);

/* What `clearance check --tree` counts. */
struct cl_header_stats {
	size_t files;          /* files judged (not skipped, not binary, not too small) */
	size_t compliant;      /* of those, files with no finding */
	size_t skipped;        /* skipped by the policy, binary or below min_bytes */
	json_t *by_license;    /* canonical expression -> number of compliant files */
	json_t *by_problem;    /* rule id -> number of findings */
};

int cl_header_stats_init(struct cl_header_stats *stats);
void cl_header_stats_dispose(struct cl_header_stats *stats);

struct cl_check_ctx;
struct cl_findings;

/*
 * The check-table entry: judge the files the update's new commits add or
 * change (their content at the tip; every commit's version with per_commit),
 * each (path, blob) once per push through ctx->seen_blobs. Findings (check
 * "header") name the commit that brought the version, the path and line,
 * and a `clearance fix-headers` command.
 */
int cl_headers_check(struct cl_check_ctx *ctx, const struct cl_header_options *opts);

/*
 * Judge every file of `commit_id`'s tree (clearance check --tree), filling
 * `stats` when not NULL. Findings carry `label` as their ref and no commit.
 */
int cl_headers_check_tree(struct cl_findings *findings, struct cl_header_stats *stats,
	git_repository *repo, const struct cl_header_options *opts, const git_oid *commit_id,
	const char *label);

#endif
