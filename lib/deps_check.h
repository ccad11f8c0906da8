/*
 * deps_check.h - the dependency check (issue 4): what a ref update adds,
 * removes, upgrades or relicenses in the manifests and lock files it
 * changes, judged against the policy's `deps:` section.
 *
 * Layer rule: reads git through libgit2 (deps_tree.h parses the blobs),
 * compares with deps_diff.h, finds licenses through deps_license.h and
 * (optionally) deps_online.h, and appends findings. No printing.
 *
 * What is compared: the trees of the old and the new tip (struct
 * cl_check_ctx). Only directories where a manifest or lock file changed
 * (blob ids differ) are looked at; in such a directory every manifest and
 * lock file is read - unchanged ones once, for both sides - so that a lock
 * file is reconciled with its manifest (a direct dependency is reported
 * once, with its locked version and the manifest's scope). Directories
 * named node_modules and vendor hold vendored copies and are never read as
 * manifests (deps_tree.h); their metadata is a license source.
 *
 * Where a license comes from, first hit wins: the lock file or manifest
 * itself; vendored metadata in the same tree (deps_license.h); the policy's
 * deps.known; the online source when deps.online.enabled. A deps.known
 * entry that disagrees with what the lock file declares for the same
 * version is a relicensing to report.
 */
#ifndef CL_DEPS_CHECK_H
#define CL_DEPS_CHECK_H

#include <git2.h>
#include <stddef.h>

#include "deps_diff.h"
#include "deps_options.h"

/* One change, with both licenses resolved. */
struct cl_deps_delta {
	/*
	 * The kind cl_deps_diff gave, except that VERSION_CHANGED becomes
	 * LICENSE_CHANGED when the resolved licenses are both known and differ
	 * (cl_deps_license_equal).
	 */
	enum cl_dep_change_kind kind;
	const struct cl_dep *before;     /* NULL for an addition; points into changes */
	const struct cl_dep *after;      /* NULL for a removal */
	char *before_license;            /* resolved; NULL = unknown */
	char *after_license;
	const char *before_source;       /* "lock file", "vendored metadata", "deps.known", "online"; or NULL */
	const char *after_source;
	char *after_note;                /* why after's license is unknown, when a source failed; or NULL */
	const char *known_conflict;      /* deps.known's license for `after` when it differs from
	                                    the lock file's (points into the options); or NULL */
	int scope_promoted;              /* 1: same version, but it moved out of an ignored scope
	                                    (a dev dependency became a runtime one); kind is
	                                    VERSION_CHANGED with equal versions */
};

/* A manifest of the new tree that could not be read. */
struct cl_deps_problem {
	char *path;
	char *message;     /* one line naming the path */
	int code;          /* CL_EINVALID or CL_ETOOBIG */
};

struct cl_deps_deltas {
	struct cl_deps_delta *items;
	size_t count;
	struct cl_deps_problem *problems;
	size_t problem_count;
	struct cl_dep_changes changes;   /* what items point into */
};

#define CL_DEPS_DELTAS_INIT { NULL, 0, NULL, 0, CL_DEP_CHANGES_INIT }

/*
 * Compare the dependencies of `old_tree` (NULL: the empty tree) with those
 * of `new_tree` and resolve the licenses of both sides (see the top).
 * Manifests of the old tree that do not parse count as empty; those of
 * the new tree are listed in out->problems and count as empty too.
 * With opts->ignore_scopes, a dependency whose version did not change but
 * which left an ignored scope is a delta too (scope_promoted): ignoring it
 * before must not mean never judging it.
 *
 * @param opts  known and online are used; NULL: no policy sources
 * @return 0 (filled `out`), or CL_ERROR when the repository cannot be
 *         read or memory ran out (`out` left empty).
 * Cost: one tree diff, one parse per changed or sibling manifest blob,
 * one tree lookup per changed npm/PyPI dependency for vendored metadata.
 */
int cl_deps_deltas_compute(struct cl_deps_deltas *out, git_repository *repo,
	git_tree *old_tree, git_tree *new_tree, const struct cl_deps_options *opts);

void cl_deps_deltas_dispose(struct cl_deps_deltas *deltas);

struct cl_check_ctx;

/*
 * The check-table entry: compute the deltas of ctx->old_tip..ctx->new_tip
 * and append one finding (check "deps", key "deps:ECOSYSTEM:NAME") per
 * judgement:
 *   deps.package-denied      error    a packages.deny entry names it
 *   deps.license-denied      error    every OR branch has a denied license
 *   deps.license-not-allowed error    no OR branch is wholly on licenses.allow
 *   deps.license-unknown     on_unknown_license
 *   deps.license-changed     on_license_change (both licenses and versions)
 *   deps.new                 on_new, for an addition nothing else was said about
 *   deps.unparsable          error    a changed manifest that cannot be read
 *                                     (keyed "deps:file:PATH": it names no package)
 * Removals and dependencies of ignore_scopes are not judged. Findings name
 * the manifest and line, and carry no commit: they are about the ref's
 * new state, whichever commit brought it.
 */
int cl_deps_check(struct cl_check_ctx *ctx, const struct cl_deps_options *opts);

#endif
