/*
 * approval_check.h - the approval check as a row of the check table: on an
 * outbound repository (the policy's approvals.outbound_repos, forks of
 * upstream projects), every new commit authored by an employee (an email
 * of approvals.employee_domains) must be covered by an approval in force
 * for that person and that upstream project (approvals.h).
 *
 * Layer rule: the adapter between check.h and approvals.h. Hooks and the
 * bot's pull-request review run it through the engine like any check: a
 * push is rejected, a pull request gets a failing clearance/approval.
 */
#ifndef CL_APPROVAL_CHECK_H
#define CL_APPROVAL_CHECK_H

#include <stdint.h>

#include "check.h"

/* Enabled with approvals.enabled, outbound_repos and employee_domains all set. */
int cl_approval_check_enabled(const struct cl_policy *policy);

/*
 * Judge ctx's commits. The repository's name is the last two components of
 * its directory ("acme-forks/libgit2" for /srv/git/acme-forks/libgit2.git,
 * the bot's mirrors are OWNER/REPO.git); a repository outbound_repos does
 * not match is not judged. The fork is taken to keep its upstream's name:
 * approvals for any upstream called "libgit2" cover it. The store is the
 * one cla.store names (the bot's own store in the bot), shared with the
 * CLA check. Findings: "approval.missing" (error) per uncovered commit.
 * @return 0, or < 0 when the store cannot be read (nobody could be judged)
 */
int cl_approval_run(struct cl_check_ctx *ctx);

/*
 * What a change to an outbound repository does to licensing, for sending
 * approvals back to review when the upstream relicenses: the first license
 * file it touches (LICENSE*, LICENCE*, COPYING*, any directory) and the
 * license ids of the SPDX-License-Identifier lines it adds.
 */
#define CL_LICENSE_DIFF_IDS 16
struct cl_license_diff {
	char file[256];                        /* "" when no license file changed */
	char ids[CL_LICENSE_DIFF_IDS][64];     /* ids seen on added SPDX lines, each once */
	size_t id_count;
};

/*
 * Fill `out` from the changes between commits `from` (NULL: the empty tree)
 * and `to` of `repo`. @return 0, or < 0 when the repository cannot be read
 */
int cl_approval_license_diff(struct cl_license_diff *out, git_repository *repo,
	const git_oid *from, const git_oid *to);

/*
 * Does `d` change licensing against an approval that recorded `license`
 * (an SPDX expression; NULL: unknown)? A touched license file always does;
 * an added SPDX id that `license` does not name does. `why` (of `size`)
 * says which, for the audit row and the comment. 1 / 0
 */
int cl_approval_license_differs(char *why, size_t size, const struct cl_license_diff *d,
	const char *license);

/*
 * Is `repo` an outbound repository of `policy` (approvals enabled, its
 * name matching approvals.outbound_repos)? Its "owner/name" (as
 * cl_approval_run names it) goes to `name`. @return 1, 0, or < 0
 */
int cl_approval_outbound(char *name, size_t size, git_repository *repo,
	const struct cl_policy *policy);

struct cl_approvals;

/* Told of each record cl_approvals_relicense moved, with why; < 0 stops. */
typedef int (*cl_approval_relicensed_cb)(int64_t id, const char *why, void *payload);

/*
 * The upstream project `upstream` (its name, as approvals record it)
 * changed licensing as `d` says: every approved record for it whose
 * license `d` differs from moves to needs-re-review, audited as
 * "clearance" with `url` and why; `moved` (may be NULL) hears of each.
 * Used by the hooks (a push syncing the fork) and by the bot (pull
 * requests, forge pushes, hosted pushes), so both decide alike.
 * @return 0, or < 0 (what was moved stays moved)
 */
int cl_approvals_relicense(struct cl_approvals *store, const char *upstream,
	const struct cl_license_diff *d, const char *url, int64_t default_expiry, int64_t now,
	cl_approval_relicensed_cb moved, void *payload);

/* Is `email`'s domain one of `domains` ("example.com", "*.example.com")? 1 / 0 */
int cl_approval_is_employee(const char *email, char *const *domains, size_t count);

#endif
