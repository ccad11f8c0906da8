/*
 * repo_check.h - run the policy's checks on a forge repository's commits.
 *
 * Layer rule: bot/ module that the pull-request review and the push
 * follow-up share: fetch into the mirror, take the policy from the base
 * (never from the commits under review), run the engine.
 */
#ifndef CL_REPO_CHECK_H
#define CL_REPO_CHECK_H

#include <git2.h>

#include "bot.h"
#include "engine.h"
#include "finding.h"
#include "policy.h"

/* The repository's own policy file on its base branch. */
#define CL_BOT_REPO_POLICY_FILE ".clearance.yml"

struct cl_repo_check {
	git_repository *repo;           /* the mirror */
	struct cl_policy *policy;       /* NULL when the policy is not valid */
	char *policy_error;             /* then: why, "FILE:LINE:COL: ..." */
	struct cl_findings *findings;
	struct cl_engine_stats stats;
};

struct cl_repo_check_spec {
	const char *full_name;          /* "owner/repo" */
	const char *clone_url;          /* from the payload; NULL: ask the forge */
	const char *const *refspecs;    /* what to fetch */
	size_t refspec_count;
	const char *policy_rev;         /* commit whose .clearance.yml applies (the base) */
	const char *tip;                /* commits reachable from tip ... */
	const char *hide;               /* ... and not from hide (NULL: none) */
	const char *label;              /* ref name findings are reported under */
	const struct cl_engine_env *env;  /* what the forge told us (logins); may be NULL */
};

/*
 * Fetch, load the layered policy and check. A policy that does not load is
 * not an error: `policy_error` says why and no check ran (the caller
 * reports it on every status). @return 0 or an error (fetch, repository).
 */
int cl_repo_check_run(struct cl_repo_check *out, struct cl_bot *bot, struct cl_forge *forge,
	const struct cl_repo_check_spec *spec);

void cl_repo_check_dispose(struct cl_repo_check *rc);

/*
 * Fetch `base_ref` into the mirror and load the layered policy at
 * `base_sha` (for commands in comments, which run under the base's policy).
 * @return 0; CL_EINVALID / CL_ETOOBIG for a policy that does not load;
 *   other errors for the fetch.
 */
int cl_repo_check_base_policy(struct cl_policy **out, struct cl_bot *bot, struct cl_forge *forge,
	const char *full_name, const char *clone_url, const char *base_ref, const char *base_sha);

/* The layered policy at `rev` of `repo`: server default + .clearance.yml. */
int cl_repo_check_policy(struct cl_policy **out, struct cl_bot *bot, git_repository *repo,
	const char *full_name, const char *rev);

#endif
