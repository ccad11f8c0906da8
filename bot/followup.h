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

struct cl_followup_target {
	struct cl_forge *forge;
	const char *forge_name;          /* "github", "gitea": part of the store key */
	struct cl_forge_repo tracker;    /* where issues are opened */
	const char *source;              /* the pushed repository, for titles and links */
	const char *commit_url_base;     /* "https://host/owner/repo/commit/" or NULL */
};

struct cl_followup_stats {
	size_t opened, updated, reopened, closed, unchanged;
};

/*
 * Open, update and close issues for a push of `ref` from `before` to
 * `after` (hex ids; `before` all zeros for a new branch) whose findings are
 * `findings`. Only errors and review findings make issues. `repo` holds
 * `after` (used to decide what is resolved). @return 0, or an error (the
 * forge or the store): what was done before it stays done and recorded.
 */
int cl_followup_sync(struct cl_followup_stats *stats, sqlite3 *db,
	const struct cl_followup_target *target, git_repository *repo,
	const struct cl_policy *policy, const char *ref, const char *before, const char *after,
	const struct cl_findings *findings);

#endif
