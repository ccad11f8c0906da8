/*
 * engine.h - run the policy's checks over a push or a local range.
 *
 * Layer rule: the one place that ties pushes (push.h), history (range.h),
 * the policy (policy.h) and the check table (check.h) together. Front-ends
 * call these and render the findings; they never walk history themselves.
 *
 * Which commits are checked: for each enforced ref update, the commits
 * reachable from the new value and from no existing enforced ref (git's
 * `new --not --all`, restricted to refs the policy guards, so a commit that
 * slipped in through an unguarded ref is still checked when it reaches a
 * guarded one) and from no ref updated earlier in the same push (each
 * commit is checked once per push, under the first ref that brings it).
 */
#ifndef CL_ENGINE_H
#define CL_ENGINE_H

#include <git2.h>

#include "finding.h"
#include "pending.h"
#include "policy.h"
#include "push.h"

struct cl_engine_stats {
	size_t refs_checked;     /* enforced updates looked at */
	size_t refs_skipped;     /* updates to refs the policy does not enforce */
	size_t commits_checked;
};

struct cl_engine_env;

/*
 * Check every update of `push` (already classified) against `policy`,
 * appending findings; `env` (may be NULL) as for cl_engine_check_range_env.
 * @return 0 (findings are not errors) or < 0 when the repository could not
 * be read: then the caller must refuse the push.
 */
int cl_engine_check_push(struct cl_findings *findings, struct cl_engine_stats *stats,
	git_repository *repo, const struct cl_policy *policy, const struct cl_push *push,
	const struct cl_engine_env *env);

/*
 * Check the commits of `tip --not hide` (a local `clearance check A..B`),
 * reporting them under `label` (e.g. "HEAD"). Ref rules (deny_delete...) do
 * not apply to a local range.
 */
int cl_engine_check_range(struct cl_findings *findings, struct cl_engine_stats *stats,
	git_repository *repo, const struct cl_policy *policy, const char *label,
	const git_oid *tip, const git_oid *hide, size_t hide_count);

/*
 * What a front-end knows beyond the commits. The bot knows which forge
 * account each commit email belongs to (the forge says so per pull
 * request); the hooks know nothing more. NULL members: not known.
 */
struct cl_engine_env {
	/* email -> forge login, as cl_cla_login_fn (cla.h) */
	int (*login_for_email)(char *login, size_t size, const char *email, void *payload);
	void *payload;
	/* is `login` a member of team "org/team" (asked of the forge)? 1 / 0 / < 0;
	 * NULL where nobody can ask (hooks: the policy's approvals.teams instead) */
	int (*in_team)(const char *login, const char *team, void *payload);
	/*
	 * Where checks put the writes that must wait for the push to be
	 * accepted (a "one contribution" approval used up): the front-end
	 * applies them once it knows (pending.h). NULL: they are written at
	 * once, for front-ends that judge what already happened (the bot's
	 * review of a pull request's branch, post-receive).
	 */
	struct cl_pending *pending;
};

/* cl_engine_check_range with what the front-end knows (`env` may be NULL). */
int cl_engine_check_range_env(struct cl_findings *findings, struct cl_engine_stats *stats,
	git_repository *repo, const struct cl_policy *policy, const char *label,
	const git_oid *tip, const git_oid *hide, size_t hide_count, const struct cl_engine_env *env);

#endif
