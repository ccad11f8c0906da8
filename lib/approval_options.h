/*
 * approval_options.h - the policy's `approvals:` section: who decides
 * outbound contribution requests, where they are asked, how long an
 * approval lasts, what the policy approves by itself, and (for the
 * enforcement on outbound repositories) which repositories and which
 * authors it covers.
 *
 * Layer rule: plain data filled by policy.c (the only YAML reader) and read
 * by approvals.h's users: the bot, the CLI and the hooks. Judging a request
 * against the pre-approval rules is here because it needs nothing but the
 * rules and the request's facts.
 */
#ifndef CL_APPROVAL_OPTIONS_H
#define CL_APPROVAL_OPTIONS_H

#include <stddef.h>

#include "pattern.h"

/*
 * One pre-approval rule: a request matching every key the rule gives is
 * approved at once (recorded as such, with the rule's index). At least one
 * of licenses / projects is given (the loader refuses a rule that would
 * approve everything).
 */
struct cl_approval_rule {
	struct cl_pattern_list licenses;   /* SPDX ids / globs; every id of the upstream's
	                                      expression must match one */
	struct cl_pattern_list projects;   /* "github.com/owner/repo" globs */
	size_t max_lines;                  /* expected size at most this; 0: any size */
	int has_licenses, has_projects;    /* set by the loader: keys given */
};

/*
 * One `approvals.teams` entry: who is in a team, for hooks that cannot ask
 * the forge. An approval granted to the team (`/approve team:ORG/TEAM`)
 * covers commits by its members.
 */
struct cl_approval_team {
	char *name;           /* "org/team" */
	char **members;       /* forge logins and/or emails, compared case-insensitively */
	size_t member_count;
};

/* Issue labels that mirror a request's state (all set; defaults below). */
struct cl_approval_labels {
	char *requested, *approved, *denied, *needs_info, *expired, *revoked, *needs_re_review;
};

struct cl_approval_options {
	int enabled;                      /* [false] */
	char *repository;                 /* the OSPO's "owner/repo" where requests are issues */
	char **approvers;                 /* forge logins */
	size_t approver_count;
	char **approver_teams;            /* "org/team-slug", members asked of the forge */
	size_t approver_team_count;
	size_t expiry_days;               /* [365] */
	size_t warn_days;                 /* [14]: warn the requester this long before expiry */
	struct cl_approval_rule *pre_approved;
	size_t pre_approved_count;
	struct cl_approval_labels labels;
	char *request_url;                /* where to ask (rejections link to it), or NULL */
	/* Enforcement (hooks, bot) on outbound repositories. */
	struct cl_pattern_list outbound_repos;   /* "owner/repo" globs of the forks */
	char **employee_domains;                 /* "example.com" or "*.example.com" */
	size_t employee_domain_count;
	struct cl_approval_team *teams;          /* team approvals: who is in which team */
	size_t team_count;
};

#define CL_APPROVAL_EXPIRY_DAYS_DEFAULT 365
#define CL_APPROVAL_WARN_DAYS_DEFAULT 14

/* Defaults (labels "approval: requested", ...). @return 0 or CL_ERROR (memory) */
int cl_approval_options_init(struct cl_approval_options *opts);
void cl_approval_options_dispose(struct cl_approval_options *opts);
void cl_approval_rule_dispose(struct cl_approval_rule *rule);
void cl_approval_team_dispose(struct cl_approval_team *team);

/*
 * The names of the policy's teams that list `email` or `login` (either may
 * be NULL) among their members, into `out` (at most `max`; borrowed from
 * `opts`). @return how many were found
 */
size_t cl_approval_teams_of(const char **out, size_t max, const struct cl_approval_options *opts,
	const char *email, const char *login);

/*
 * Which pre-approval rule, if any, approves a request for `project`
 * ("host/owner/repo") under `license` (an SPDX expression; every license
 * id in it must be allowed: "MIT OR GPL-3.0" under a permissive rule is not
 * pre-approved, since the OSPO cannot know which branch applies) of
 * `lines` expected lines.
 * @return the rule's index (>= 0), CL_ENOTFOUND when none, < 0 on error.
 */
int cl_approval_pre_approved(const struct cl_approval_options *opts, const char *project,
	const char *license, long long lines);

/*
 * Is `login` a configured approver by name? (teams are asked of the forge
 * by the caller). Case-insensitive, as forges treat logins. 1 / 0.
 */
int cl_approval_is_named_approver(const struct cl_approval_options *opts, const char *login);

#endif
