/*
 * deps_tree.h - every dependency declared in a git tree: the tree walk that
 * finds the manifests and lock files (deps.h's format table) and parses
 * each one, for `clearance deps inventory`.
 *
 * Layer rule: reads git objects through libgit2 and hands the bytes to the
 * parsers of deps.h; no policy, no output, no network.
 *
 * What is walked: every blob (regular or executable file) of the tree.
 * Symbolic links are not followed (their blob is a target path, not a
 * manifest) and gitlinks are only read through .gitmodules. Directories
 * named node_modules or vendor, at any depth, are skipped: they hold
 * vendored copies of packages whose own manifests would list each vendored
 * package's dependencies as if they were the project's (an npm install tree
 * holds thousands). The vendored packages themselves are still listed by
 * the project's lock files. A ".git" directory committed by mistake is
 * skipped too.
 */
#ifndef CL_DEPS_TREE_H
#define CL_DEPS_TREE_H

#include "deps.h"

#include <git2.h>

/* A blob larger than this is not read: no manifest is this big. */
#define CL_DEPS_TREE_MAX_BLOB ((size_t)64 * 1024 * 1024)

/*
 * A file that could not be inventoried.
 * @param path     the file's path in the tree
 * @param code     CL_EINVALID (malformed: `message` is "PATH:LINE:COL: problem"
 *                 or "PATH: problem") or CL_ETOOBIG (over a size cap: the
 *                 blob over CL_DEPS_TREE_MAX_BLOB, or a parser's own cap)
 * @param message  one line, naming the path
 * @return 0 to go on with the next file; a negative code stops the walk and
 *         is returned by cl_deps_from_tree unchanged.
 */
typedef int (*cl_deps_problem_cb)(const char *path, int code, const char *message, void *payload);

/*
 * Append the dependencies of every manifest and lock file in `tree` to
 * `out`, in tree order (git's path order), each with its manifest path
 * relative to the top of the tree. Dependencies are reported per file as
 * the parser reports them: a package listed by both package.json and
 * package-lock.json appears twice, once per manifest.
 * .gitmodules gets the pinned commits of its submodules from the tree's
 * gitlinks as versions.
 *
 * @param cb  told about each file that cannot be inventoried, and the walk
 *            goes on; NULL: the first such file fails the call with its code
 * @return 0; the callback's negative code; CL_EINVALID / CL_ETOOBIG (cb
 *         NULL); CL_ERROR when the repository cannot be read or out of
 *         memory. On failure `out` keeps whatever had been appended.
 * Cost: reads each manifest blob once; the walk itself reads every tree
 * object but no other blob.
 */
int cl_deps_from_tree(struct cl_dep_list *out, git_repository *repo, git_tree *tree,
	cl_deps_problem_cb cb, void *payload);

/*
 * Parse the one manifest or lock file at `path` of `tree`, blob `id` (the
 * entry's own id, passed so that the caller's diff need not look it up
 * again), appending its dependencies to `out` as cl_deps_from_tree does.
 * @return 0; CL_ENOTFOUND when no parser reads `path`; CL_EINVALID /
 *         CL_ETOOBIG with "PATH...: problem" as in cl_deps_problem_cb;
 *         CL_ERROR when the repository cannot be read or out of memory.
 */
int cl_deps_from_blob(struct cl_dep_list *out, git_repository *repo, git_tree *tree,
	const char *path, const git_oid *id);

/*
 * 1 when a directory of this base name holds vendored copies, never the
 * project's manifests (node_modules, vendor, .git), else 0.
 */
int cl_deps_tree_skipped_dir(const char *name);

#endif
