/*
 * approval_options.c - defaults of the `approvals:` policy section and the
 * pre-approval judgement.
 */
#include "approval_options.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "spdx.h"

static void strings_free(char **items, size_t count)
{
	size_t i;
	for (i = 0; i < count; i++)
		free(items[i]);
	free(items);
}

void cl_approval_rule_dispose(struct cl_approval_rule *rule)
{
	if (!rule)
		return;
	cl_pattern_list_dispose(&rule->licenses);
	cl_pattern_list_dispose(&rule->projects);
}

void cl_approval_team_dispose(struct cl_approval_team *team)
{
	if (!team)
		return;
	free(team->name);
	strings_free(team->members, team->member_count);
	memset(team, 0, sizeof(*team));
}

size_t cl_approval_teams_of(const char **out, size_t max, const struct cl_approval_options *opts,
	const char *email, const char *login)
{
	size_t i, j, n = 0;

	for (i = 0; i < opts->team_count && n < max; i++) {
		const struct cl_approval_team *t = &opts->teams[i];
		for (j = 0; j < t->member_count; j++) {
			if ((email && *email && !strcasecmp(t->members[j], email)) ||
			    (login && *login && !strcasecmp(t->members[j], login))) {
				out[n++] = t->name;
				break;
			}
		}
	}
	return n;
}

void cl_approval_options_dispose(struct cl_approval_options *o)
{
	size_t i;
	char **labels[] = { &o->labels.requested, &o->labels.approved, &o->labels.denied,
		&o->labels.needs_info, &o->labels.expired, &o->labels.revoked, &o->labels.needs_re_review };

	free(o->repository);
	strings_free(o->approvers, o->approver_count);
	strings_free(o->approver_teams, o->approver_team_count);
	for (i = 0; i < o->pre_approved_count; i++)
		cl_approval_rule_dispose(&o->pre_approved[i]);
	free(o->pre_approved);
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		free(*labels[i]);
	free(o->request_url);
	cl_pattern_list_dispose(&o->outbound_repos);
	strings_free(o->employee_domains, o->employee_domain_count);
	for (i = 0; i < o->team_count; i++)
		cl_approval_team_dispose(&o->teams[i]);
	free(o->teams);
	memset(o, 0, sizeof(*o));
}

int cl_approval_options_init(struct cl_approval_options *o)
{
	static const char *const names[] = { "approval: requested", "approval: approved",
		"approval: denied", "approval: needs-info", "approval: expired", "approval: revoked",
		"approval: needs-re-review" };
	char **labels[] = { &o->labels.requested, &o->labels.approved, &o->labels.denied,
		&o->labels.needs_info, &o->labels.expired, &o->labels.revoked, &o->labels.needs_re_review };
	size_t i;

	memset(o, 0, sizeof(*o));
	o->expiry_days = CL_APPROVAL_EXPIRY_DAYS_DEFAULT;
	o->warn_days = CL_APPROVAL_WARN_DAYS_DEFAULT;
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		if ((*labels[i] = strdup(names[i])) == NULL) {
			cl_approval_options_dispose(o);
			return cl_error_set("out of memory");
		}
	}
	return 0;
}

struct license_walk {
	const struct cl_pattern_list *allowed;
	int ids;
};

static int license_allowed(const char *id, int is_exception, void *payload)
{
	struct license_walk *w = payload;
	int rc;

	if (is_exception)
		return 0;   /* an exception only widens what its license permits */
	w->ids++;
	if ((rc = cl_pattern_list_match(w->allowed, id)) < 0)
		return rc;
	return rc ? 0 : 1;
}

int cl_approval_pre_approved(const struct cl_approval_options *opts, const char *project,
	const char *license, long long lines)
{
	struct cl_spdx_expr *expr = NULL;
	size_t i;
	int error = CL_ENOTFOUND, rc;

	if (license && *license && cl_spdx_parse(&expr, license, strlen(license)) < 0) {
		cl_error_clear();
		expr = NULL;   /* an unreadable license is pre-approved by no license rule */
	}
	for (i = 0; i < opts->pre_approved_count; i++) {
		const struct cl_approval_rule *r = &opts->pre_approved[i];

		if (r->max_lines && (lines <= 0 || (unsigned long long)lines > r->max_lines))
			continue;
		if (r->has_projects) {
			if (!project || !*project)
				continue;
			if ((rc = cl_pattern_list_match(&r->projects, project)) < 0) {
				error = rc;
				goto done;
			}
			if (!rc)
				continue;
		}
		if (r->has_licenses) {
			struct license_walk w = { &r->licenses, 0 };
			if (!expr)
				continue;
			if ((rc = cl_spdx_expr_foreach_id(expr, license_allowed, &w)) < 0) {
				error = rc;
				goto done;
			}
			if (rc != 0 || w.ids == 0)
				continue;
		}
		error = (int)i;
		break;
	}
	if (error == CL_ENOTFOUND)
		cl_error_setc(CL_ENOTFOUND, "no pre-approval rule applies");
done:
	cl_spdx_expr_free(expr);
	return error;
}

int cl_approval_is_named_approver(const struct cl_approval_options *opts, const char *login)
{
	size_t i;

	if (!login || !*login)
		return 0;
	for (i = 0; i < opts->approver_count; i++)
		if (!strcasecmp(opts->approvers[i], login))
			return 1;
	return 0;
}
