/*
 * followup.h - issues for what a push needs from a person, when the push
 * itself could not be blocked (a forge's protected branch, or a hosted
 * repository's post-receive).
 *
 * Layer rule: bot/ module over forge.h and the store. One issue per key:
 *   deps:<ecosystem>:<name>     a dependency to review (the finding's key)
 *   cla:<email>                 a person not covered by a CLA
 *   <check>:<ref>@<range>       the DCO or header problems of one push
 * An issue is found again through the store and, when the store lost it,
 * through its hidden marker, so none is ever opened twice; it is edited
 * when its facts change and closed, with a comment, once they are gone
 * (a dependency no longer in the tree, every file of a header issue
 * fixed), as Allstar does.
 */
#ifndef CL_FOLLOWUP_H
#define CL_FOLLOWUP_H

#include <git2.h>
#include <sqlite3.h>

#include "db.h"
#include "finding.h"
#include "forge.h"
#include "policy.h"

/* The store's tables for follow-up issues (module "followup"). */
extern const struct cl_db_migration cl_followup_schema[];
extern const size_t cl_followup_schema_count;

/*
 * What the pushed tree holds, for deciding what is resolved when the bot
 * has no copy of the repository (a hosted repository's post-receive sends
 * these in its event, see push_event.h). Unknown facts resolve nothing.
 */
struct cl_followup_facts {
	const char *const *deps;         /* "ecosystem:name" of every dependency at the tip */
	size_t dep_count;
	int deps_known;
	const char *const *header_failing;  /* every path at the tip failing the header check */
	size_t header_failing_count;
	int headers_known;
};

struct cl_followup_target {
	struct cl_forge *forge;
	const char *forge_name;          /* "github", "gitea": part of the store key */
	struct cl_forge_repo tracker;    /* where issues are opened */
	const char *source;              /* the pushed repository, for titles and links */
	const char *commit_url_base;     /* "https://host/owner/repo/commit/" or NULL */
	/* Added to "clearance" and "clearance:<check>" on new issues; NULL-terminated or NULL. */
	const char *const *labels;
	const char *const *assignees;    /* logins for new issues; NULL-terminated or NULL */
	/* When `repo` is NULL: what decides resolution; NULL: nothing is resolved. */
	const struct cl_followup_facts *facts;
};

struct cl_followup_stats {
	size_t opened, updated, reopened, closed, unchanged;
};

/*
 * Open, update and close issues for a push of `ref` from `before` to
 * `after` (hex ids; `before` all zeros for a new branch) whose findings are
 * `findings`. Only errors and review findings make issues. `repo` holds
 * `after` (used to decide what is resolved); NULL when the bot has no copy
 * of the repository, and then target->facts decide. @return 0, or an error (the
 * forge or the store): what was done before it stays done and recorded.
 */
int cl_followup_sync(struct cl_followup_stats *stats, sqlite3 *db,
	const struct cl_followup_target *target, git_repository *repo,
	const struct cl_policy *policy, const char *ref, const char *before, const char *after,
	const struct cl_findings *findings);

#endif
