/*
 * policy.h - the policy file (YAML): what is enforced, where, and who may
 * bypass it.
 *
 * Layer rule: policy.c is the only code that reads policy YAML. It validates
 * everything at load time (unknown keys, wrong types, bad patterns) and fails
 * as a whole: a policy that did not load enforces nothing because it does not
 * exist, and every front-end refuses to proceed without one.
 *
 * Sections (docs/policy.md documents every key):
 *   version: 1
 *   refs:       include / exclude globs; deny_delete / deny_force_push globs
 *   overrides:  admins who may bypass with `git push -o clearance.override=REASON`
 *   identity:   environment variables that name the pusher, in order
 *   dco, cla, headers, deps, approvals: one section per check, each `enabled:`
 */
#ifndef CL_POLICY_H
#define CL_POLICY_H

#include <stddef.h>

#include "dco.h"
#include "pattern.h"

struct cl_policy_refs {
	struct cl_pattern_list include;          /* default: refs/heads/ and refs/tags/, all depths */
	struct cl_pattern_list exclude;          /* [] */
	struct cl_pattern_list deny_delete;      /* refs that may not be deleted [] */
	struct cl_pattern_list deny_force_push;  /* refs that may not be rewound [] */
};

struct cl_policy_overrides {
	int enabled;          /* [true] */
	char **admins;        /* pusher identities (logins) allowed to override */
	size_t admin_count;
	char *push_option;    /* ["clearance.override"] */
	char *audit_log;      /* JSON-lines file; relative = to the repository ["clearance-audit.log"] */
};

struct cl_policy_identity {
	char **env;           /* [GITHUB_USER_LOGIN, GL_USERNAME, GL_USER, REMOTE_USER] */
	size_t env_count;     /* then the Unix user */
};

/* Sections whose checks arrive in later versions: only `enabled` for now. */
struct cl_policy_section {
	int enabled;
};

struct cl_policy;

/*
 * Load and validate the policy at `path`. On failure returns CL_EINVALID (or
 * CL_ENOTFOUND / CL_ERROR) and sets a message of the form
 * "FILE:LINE:COLUMN: problem (hint: ...)". Nothing is returned on failure.
 */
int cl_policy_load(struct cl_policy **out, const char *path);

/* The same from a buffer; `name` is used in messages in place of a path. */
int cl_policy_load_buffer(struct cl_policy **out, const char *data, size_t len, const char *name);

/* The built-in default policy (DCO on, everything else off). */
int cl_policy_default(struct cl_policy **out);

void cl_policy_free(struct cl_policy *policy);

/* Section accessors; the returned structs live as long as the policy. */
const struct cl_policy_refs *cl_policy_refs(const struct cl_policy *policy);
const struct cl_policy_overrides *cl_policy_overrides(const struct cl_policy *policy);
const struct cl_policy_identity *cl_policy_identity(const struct cl_policy *policy);
const struct cl_dco_options *cl_policy_dco(const struct cl_policy *policy);
const struct cl_policy_section *cl_policy_cla(const struct cl_policy *policy);
const struct cl_policy_section *cl_policy_headers(const struct cl_policy *policy);
const struct cl_policy_section *cl_policy_deps(const struct cl_policy *policy);
const struct cl_policy_section *cl_policy_approvals(const struct cl_policy *policy);

/* Where the policy came from (path or name given at load). */
const char *cl_policy_source(const struct cl_policy *policy);

/*
 * Is `refname` enforced? (matches an include pattern and no exclude pattern)
 * @return 1 yes, 0 no, <0 on a pattern error.
 */
int cl_policy_ref_enforced(const struct cl_policy *policy, const char *refname);

/* Is `login` one of overrides.admins? 1 / 0. */
int cl_policy_is_admin(const struct cl_policy *policy, const char *login);

#endif
