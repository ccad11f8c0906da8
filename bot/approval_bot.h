/*
 * approval_bot.h - outbound contribution approvals on the forge: requests
 * are issues in the OSPO's repository (the policy's approvals.repository),
 * opened from the issue form; approvers answer with slash commands; the
 * issue's labels and open/closed state follow the record (lib/approvals.h).
 *
 * Layer rule: bot/ module over approvals.h, approval_form.h and forge.h.
 * cl_bot_process routes `issues` and `issue_comment` deliveries here first.
 *
 * The approvals settings come from the server's policy (bot.yml `policy:`),
 * never from a repository's .clearance.yml: a repository must not be able
 * to name its own approvers.
 *
 * Store writes and forge calls cannot commit together (worker.h): a
 * delivery processed again after a crash finds the record already moved by
 * the same comment (its URL is the decision's) and only repeats the labels,
 * which are idempotent.
 */
#ifndef CL_BOT_APPROVAL_BOT_H
#define CL_BOT_APPROVAL_BOT_H

#include <stdint.h>

#include "bot.h"
#include "webhook.h"

/*
 * Handle an `issues` (opened, edited, reopened) or `issue_comment`
 * (created, on an issue) event if it belongs to the approvals repository.
 * @return 1 handled (the caller does nothing else with it), 0 not ours,
 *   < 0 error (the delivery is retried)
 */
int cl_bot_approvals_event(struct cl_bot *bot, struct cl_forge *forge,
	const struct cl_webhook_event *ev);

/*
 * A pull request `from`..`to` to repository `fork` ("owner/name", the
 * mirror `repo`): when the fork is outbound (approvals.outbound_repos) and
 * the change touches a license file or adds SPDX ids an approval for that
 * upstream did not record, each such approved record moves to
 * needs-re-review (audited, with `url`) and its request issue is told and
 * relabelled on the forge it was made on. Nothing to do returns 0 at once.
 * @return 0, or < 0 (store, repository, forge)
 */
struct git_repository;
struct git_oid;
int cl_bot_approvals_relicense(struct cl_bot *bot, const char *fork,
	struct git_repository *repo, const struct git_oid *from, const struct git_oid *to,
	const char *url);

/*
 * The upstream named `upstream` changed licensing as `d` says (what a
 * hosted fork's post-receive saw): as cl_bot_approvals_relicense, with the
 * comparison already made. @return 0, or < 0 (store, forge)
 */
struct cl_license_diff;
int cl_bot_approvals_relicensed(struct cl_bot *bot, const char *upstream,
	const struct cl_license_diff *d, const char *url);

/*
 * Is `login` a member of team `team` ("org/team": GitHub's slug, Gitea's
 * name), asked of the forge? A team the forge does not know has no members.
 * Used for approver teams and for approvals granted to a team.
 * @return 1, 0, or < 0 when the forge cannot be asked
 */
int cl_bot_approvals_in_team(struct cl_forge *forge, const char *login, const char *team);

/*
 * The periodic sweep: expire approvals past their date and warn requesters
 * `warn_days` ahead (one comment each, never repeated), labelling and
 * closing the issues of expired ones. Cheap when nothing is due (two
 * indexed queries); cl_bot_process runs it on every delivery.
 * @param now seconds since the epoch (cl_bot_approvals_now() in production)
 * @return 0 or an error (what was done stays done)
 */
int cl_bot_approvals_sweep(struct cl_bot *bot, struct cl_forge *forge, int64_t now);

/* The clock: $CLEARANCE_NOW (seconds since the epoch) when set, for tests; else time(). */
int64_t cl_bot_approvals_now(void);

#endif
