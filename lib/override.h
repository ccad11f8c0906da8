/*
 * override.h - who is pushing, whether they asked to bypass the policy, and
 * the audit record of a bypass.
 *
 * Layer rule: the environment is read only through the lookup callback the
 * front-end passes in (tests give a table; hooks give getenv), so nothing
 * here depends on process-global state.
 */
#ifndef CL_OVERRIDE_H
#define CL_OVERRIDE_H

#include <jansson.h>

#include "policy.h"

/* Look up an environment variable; NULL when unset. */
typedef const char *(*cl_env_cb)(const char *name, void *payload);

/*
 * The pusher's identity: the first non-empty variable of identity.env
 * (GITHUB_USER_LOGIN, GL_USERNAME, GL_USER, REMOTE_USER by default), else
 * the Unix user name of the process. `*out` is malloc'd.
 */
int cl_identity_resolve(char **out, const struct cl_policy_identity *identity,
	cl_env_cb env, void *payload);

/*
 * Find the override push option (`git push -o clearance.override=REASON`)
 * among GIT_PUSH_OPTION_0..GIT_PUSH_OPTION_<COUNT-1>.
 * @return 1 with `*reason` malloc'd when requested, 0 when not, CL_EINVALID
 * when requested without a reason (an override must say why).
 */
int cl_override_requested(char **reason, const struct cl_policy_overrides *overrides,
	cl_env_cb env, void *payload);

/*
 * Is `name=value` (or bare `name`) among the push options? 1 / 0; the value
 * is returned in *value (malloc'd, may be "") when value is not NULL.
 */
int cl_push_option(char **value, const char *name, cl_env_cb env, void *payload);

/*
 * Append `record` as one JSON line to the audit log at `path`, atomically
 * with respect to concurrent pushes (O_APPEND, one write, an flock).
 */
int cl_audit_append(const char *path, const json_t *record);

#endif
