/*
 * check.h - the table of checks and the context each one runs in.
 *
 * Layer rule: adding a check means one new file and one row in checks.c.
 * The engine (engine.h) builds a context per ref update and runs every
 * enabled row; a check reads the policy and the commits and appends findings.
 */
#ifndef CL_CHECK_H
#define CL_CHECK_H

#include <git2.h>
#include <stddef.h>

#include "commit.h"
#include "finding.h"
#include "oid_set.h"
#include "policy.h"

struct cl_engine_env;

struct cl_check_ctx {
	git_repository *repo;              /* NULL when commits are not from a repository */
	const struct cl_policy *policy;
	const char *ref;                   /* the ref being updated; may be NULL */
	const struct cl_commit *commits;   /* new commits, oldest first */
	size_t commit_count;
	struct cl_findings *findings;      /* where to append */
	struct cl_oid_set *seen_blobs;     /* blobs already checked in this push (one set per
	                                      push, shared by its refs); NULL = no sharing */
	/*
	 * The two trees a tree-comparing check (deps) compares: the commit the
	 * ref moves from and the one it moves to. For a new ref, `old_tip` is
	 * the merge base with HEAD or another enforced ref (what the branch
	 * forked from); NULL when there is none (a first push: the empty
	 * tree). `new_tip` is NULL when commits do not come from a ref update.
	 * Both may name tags; peel them.
	 */
	const git_oid *old_tip;
	const git_oid *new_tip;
	const struct cl_engine_env *env;   /* what the front-end knows; may be NULL */
};

struct cl_check {
	const char *name;      /* "dco"; also the finding's `check` */
	int (*enabled)(const struct cl_policy *policy);
	int (*run)(struct cl_check_ctx *ctx);   /* 0 or < 0 on error; problems are findings */
};

/* The table, in the order checks run and report. */
const struct cl_check *cl_checks(size_t *count);

#endif
