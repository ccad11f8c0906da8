/*
 * range.h - which commits a ref update brings in, read with libgit2.
 *
 * Layer rule: the only module that walks history. Commits come back as
 * struct cl_commit records (commit.h), oldest first, with their strings held
 * by the batch, so checks never see libgit2 objects and the object cache can
 * be dropped as the walk goes.
 *
 * Inside a pre-receive hook the pushed objects are still in git's quarantine
 * directory; the repository must have been opened with
 * GIT_REPOSITORY_OPEN_FROM_ENV (see cl_repo_open_from_env) to see them.
 */
#ifndef CL_RANGE_H
#define CL_RANGE_H

#include <git2.h>
#include <stddef.h>

#include "commit.h"

struct cl_commit_batch {
	struct cl_commit *commits;   /* oldest first */
	size_t count;
	char **blocks;               /* one allocation of strings per commit */
	size_t alloc;
};

void cl_commit_batch_free(struct cl_commit_batch *batch);

/* Cap on commits in one range: past it the walk fails rather than exhaust memory. */
#define CL_RANGE_MAX_COMMITS 2000000

/*
 * The commits reachable from `tip` and from none of `hide` (`tip --not
 * hide...`), oldest first (topological). A `tip` that does not peel to a
 * commit (a tag of a tree) gives an empty batch.
 */
int cl_range_commits(struct cl_commit_batch **out, git_repository *repo,
	const git_oid *tip, const git_oid *hide, size_t hide_count);

/*
 * Open the repository git runs a hook in: honours GIT_DIR, GIT_OBJECT_DIRECTORY
 * and GIT_ALTERNATE_OBJECT_DIRECTORIES (the quarantine), falling back to `path`.
 */
int cl_repo_open_from_env(git_repository **out, const char *path);

#endif
