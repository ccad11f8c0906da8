#include "range.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

void cl_commit_batch_free(struct cl_commit_batch *batch)
{
	size_t i;
	if (!batch)
		return;
	for (i = 0; i < batch->count; i++)
		free(batch->blocks[i]);
	free(batch->blocks);
	free(batch->commits);
	free(batch);
}

static int batch_grow(struct cl_commit_batch *batch)
{
	size_t n;
	struct cl_commit *c;
	char **b;

	if (batch->count < batch->alloc)
		return 0;
	if (batch->count >= CL_RANGE_MAX_COMMITS)
		return cl_error_setc(CL_ETOOBIG, "more than %d new commits in one update",
			CL_RANGE_MAX_COMMITS);
	n = batch->alloc ? batch->alloc * 2 : 64;
	if ((c = realloc(batch->commits, n * sizeof(*c))) == NULL)
		return cl_error_set("out of memory");
	batch->commits = c;
	if ((b = realloc(batch->blocks, n * sizeof(*b))) == NULL)
		return cl_error_set("out of memory");
	batch->blocks = b;
	batch->alloc = n;
	return 0;
}

/* Copy what checks need out of the libgit2 object into one block. */
static int batch_add(struct cl_commit_batch *batch, const git_commit *commit)
{
	const git_signature *a = git_commit_author(commit);
	const git_signature *c = git_commit_committer(commit);
	const char *msg = git_commit_message(commit);
	const char *parts[5];
	size_t lens[5], total = 0, i;
	struct cl_commit *rec;
	char *block, *p;
	int error;

	parts[0] = msg ? msg : "";
	parts[1] = a && a->name ? a->name : "";
	parts[2] = a && a->email ? a->email : "";
	parts[3] = c && c->name ? c->name : "";
	parts[4] = c && c->email ? c->email : "";
	for (i = 0; i < 5; i++)
		total += (lens[i] = strlen(parts[i])) + 1;

	if ((error = batch_grow(batch)) < 0)
		return error;
	if ((block = malloc(total)) == NULL)
		return cl_error_set("out of memory");
	rec = &batch->commits[batch->count];
	memset(rec, 0, sizeof(*rec));
	git_oid_tostr(rec->id, sizeof(rec->id), git_commit_id(commit));
	p = block;
	for (i = 0; i < 5; i++) {
		memcpy(p, parts[i], lens[i] + 1);
		parts[i] = p;
		p += lens[i] + 1;
	}
	rec->message = parts[0];
	rec->author_name = parts[1];
	rec->author_email = parts[2];
	rec->committer_name = parts[3];
	rec->committer_email = parts[4];
	rec->parent_count = git_commit_parentcount(commit);
	rec->time = a ? (long long)a->when.time : 0;
	batch->blocks[batch->count++] = block;
	return 0;
}

/* Hide an object if it peels to a commit; other objects hide nothing. */
static int walk_hide(git_revwalk *walk, git_repository *repo, const git_oid *id)
{
	git_object *obj = NULL, *peeled = NULL;
	int error = 0;

	if (git_object_lookup(&obj, repo, id, GIT_OBJECT_ANY) < 0 ||
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		/* A ref to a missing object or a tree hides nothing; not our fight. */
		git_error_clear();
		goto done;
	}
	if (git_revwalk_hide(walk, git_object_id(peeled)) < 0)
		error = cl_error_from_git("cannot walk history");
done:
	git_object_free(peeled);
	git_object_free(obj);
	return error;
}

int cl_range_commits(struct cl_commit_batch **out, git_repository *repo,
	const git_oid *tip, const git_oid *hide, size_t hide_count)
{
	struct cl_commit_batch *batch = NULL;
	git_revwalk *walk = NULL;
	git_object *obj = NULL, *peeled = NULL;
	git_oid id;
	size_t i;
	int error;

	batch = calloc(1, sizeof(*batch));
	CL_CHECK_ALLOC(batch);

	if (git_object_lookup(&obj, repo, tip, GIT_OBJECT_ANY) < 0) {
		error = cl_error_from_git("cannot read pushed object");
		goto done;
	}
	if (git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		git_error_clear();   /* a tag of a tree or blob: no commits */
		error = 0;
		*out = batch;
		batch = NULL;
		goto done;
	}
	if (git_revwalk_new(&walk, repo) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push(walk, git_object_id(peeled)) < 0) {
		error = cl_error_from_git("cannot walk history");
		goto done;
	}
	for (i = 0; i < hide_count; i++)
		if ((error = walk_hide(walk, repo, &hide[i])) < 0)
			goto done;

	while ((error = git_revwalk_next(&id, walk)) == 0) {
		git_commit *commit;
		if (git_commit_lookup(&commit, repo, &id) < 0) {
			error = cl_error_from_git("cannot read commit");
			goto done;
		}
		error = batch_add(batch, commit);
		git_commit_free(commit);
		if (error < 0)
			goto done;
	}
	if (error != GIT_ITEROVER) {
		error = cl_error_from_git("cannot walk history");
		goto done;
	}
	error = 0;
	*out = batch;
	batch = NULL;
done:
	git_revwalk_free(walk);
	git_object_free(peeled);
	git_object_free(obj);
	cl_commit_batch_free(batch);
	return error;
}

int cl_repo_open_from_env(git_repository **out, const char *path)
{
	int error;
	const char *gitdir = getenv("GIT_DIR");

	if (gitdir && *gitdir)
		error = git_repository_open_ext(out, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	else
		error = git_repository_open_ext(out, path ? path : ".", GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (error < 0)
		return cl_error_from_git("cannot open repository");
	return 0;
}
