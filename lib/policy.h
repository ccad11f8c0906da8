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
 *   dco:        the sign-off check (dco.h)
 *   headers:    the license-header check (headers.h)
 *   deps:       the dependency check (deps_options.h, deps_check.h)
 *   cla:        the CLA check (cla.h), signatures in the store (cla_store.h)
 *   approvals:  outbound contribution approvals (approval_options.h, approvals.h)
 *   bot:        where a hosted repository's post-receive sends its push events
 */
#ifndef CL_POLICY_H
#define CL_POLICY_H

#include <stddef.h>

#include "approval_options.h"
#include "cla.h"
#include "dco.h"
#include "deps_options.h"
#include "headers.h"
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

/*
 * bot: where post-receive hands push events (hooks/post_receive.c) and how
 * the bot files their issues. All optional; no store and no url: the hook
 * sends nothing. git config clearance.botStore / botUrl / botSecretFile of
 * the repository (written by install-hooks --store / --bot) win over these.
 */
struct cl_policy_bot {
	char *store;          /* the bot's SQLite store: events go straight into its queue */
	char *url;            /* the bot's base URL: events go to POST <url>/events/push */
	char *secret_file;    /* the shared secret of /events/push (HMAC-SHA256) */
	char *tracker;        /* "owner/repo" of the OSPO tracker; NULL: the bot's */
	char *name;           /* what issues call this repository; NULL: its path */
	char *commit_url;     /* prefix of a commit link; the id is appended */
	char **labels;        /* added to clearance and clearance:<check> */
	size_t label_count;
	char **assignees;
	size_t assignee_count;
};

struct cl_policy;
struct cl_buf;

/* The only policy version this clearance reads (`version:` is optional). */
#define CL_POLICY_VERSION 1

/* A policy is a few hundred lines; anything past this is refused unread. */
#define CL_POLICY_MAX_SIZE (1024 * 1024)

/*
 * Load and validate the policy at `path`. On failure returns CL_EINVALID for
 * a policy that is not valid, CL_ETOOBIG past CL_POLICY_MAX_SIZE, or
 * CL_ENOTFOUND / CL_ERROR when the file cannot be read, and sets a message.
 * Problems in the file read "FILE:LINE:COLUMN: problem (hint: ...)" (line
 * and column 1-based); unreadable files read "cannot open policy 'PATH': ...".
 * Nothing is returned on failure: the first problem fails the whole load.
 *
 * An empty file (or one holding only comments) is the default policy. YAML
 * anchors, aliases and tags are refused, so a policy cannot expand itself.
 * Thread-safe; cost linear in the file size.
 */
int cl_policy_load(struct cl_policy **out, const char *path);

/*
 * The same from a buffer (need not be NUL-terminated); `name` is used in
 * messages in place of a path (NULL: "<policy>").
 */
int cl_policy_load_buffer(struct cl_policy **out, const char *data, size_t len, const char *name);

/* The built-in default policy (DCO on, everything else off). */
int cl_policy_default(struct cl_policy **out);

void cl_policy_free(struct cl_policy *policy);

/* Section accessors; the returned structs live as long as the policy. */
const struct cl_policy_refs *cl_policy_refs(const struct cl_policy *policy);
const struct cl_policy_overrides *cl_policy_overrides(const struct cl_policy *policy);
const struct cl_policy_identity *cl_policy_identity(const struct cl_policy *policy);
const struct cl_dco_options *cl_policy_dco(const struct cl_policy *policy);
const struct cl_cla_options *cl_policy_cla(const struct cl_policy *policy);
const struct cl_header_options *cl_policy_headers(const struct cl_policy *policy);
const struct cl_deps_options *cl_policy_deps(const struct cl_policy *policy);
const struct cl_approval_options *cl_policy_approvals(const struct cl_policy *policy);
const struct cl_policy_bot *cl_policy_bot(const struct cl_policy *policy);

/*
 * Point the CLA check at `path` whatever the policy says: the bot judges
 * forge repositories against its own store, and a repository's
 * .clearance.yml must not send it to another file.
 */
int cl_policy_set_cla_store(struct cl_policy *policy, const char *path);

/* Where the policy came from (path or name given at load). */
const char *cl_policy_source(const struct cl_policy *policy);

/*
 * Is `refname` enforced? (matches an include pattern and no exclude pattern)
 * @return 1 yes, 0 no, <0 on a pattern error.
 */
int cl_policy_ref_enforced(const struct cl_policy *policy, const char *refname);

/*
 * Is `login` one of overrides.admins? 1 / 0. The comparison is exact and
 * case-sensitive: a near miss refuses the override instead of granting it.
 */
int cl_policy_is_admin(const struct cl_policy *policy, const char *login);

/*
 * Append the effective policy (every key, defaults filled in) to `out` as
 * YAML that cl_policy_load_buffer reads back to an equal policy.
 * @return 0, or CL_ETOOBIG / CL_ERROR from the buffer.
 */
int cl_policy_write_yaml(struct cl_buf *out, const struct cl_policy *policy);

#endif
