/*
 * approval_check.c - outbound commits must be covered by an approval.
 */
#include "approval_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "approvals.h"
#include "cla_run.h"
#include "error.h"

int cl_approval_check_enabled(const struct cl_policy *policy)
{
	const struct cl_approval_options *o = cl_policy_approvals(policy);
	return o->enabled && o->outbound_repos.count > 0 && o->employee_domain_count > 0;
}

int cl_approval_is_employee(const char *email, char *const *domains, size_t count)
{
	const char *at = email ? strrchr(email, '@') : NULL, *host;
	size_t i, hlen, dlen;

	if (!at || !at[1])
		return 0;
	host = at + 1;
	hlen = strlen(host);
	for (i = 0; i < count; i++) {
		const char *d = domains[i];
		if (!strncmp(d, "*.", 2)) {
			d += 2;
			dlen = strlen(d);
			/* the domain itself or any subdomain of it */
			if (!strcasecmp(host, d) || (hlen > dlen + 1 && host[hlen - dlen - 1] == '.' &&
			    !strcasecmp(host + hlen - dlen, d)))
				return 1;
		} else if (!strcasecmp(host, d)) {
			return 1;
		}
	}
	return 0;
}

/* "owner/name" from the repository's directory (".../owner/name.git/"). */
static int repo_name(char *out, size_t size, git_repository *repo)
{
	const char *path = git_repository_is_bare(repo) ? git_repository_path(repo) :
		git_repository_workdir(repo);
	char buf[4096], *end, *name, *owner;
	size_t len;

	if (!path || (len = strlen(path)) == 0 || len >= sizeof(buf))
		return CL_ENOTFOUND;
	memcpy(buf, path, len + 1);
	while (len > 1 && buf[len - 1] == '/')
		buf[--len] = '\0';
	if (len > 4 && !strcmp(buf + len - 4, ".git"))
		buf[len -= 4] = '\0';
	if (!(end = strrchr(buf, '/')))
		return CL_ENOTFOUND;
	name = end + 1;
	*end = '\0';
	owner = strrchr(buf, '/');
	owner = owner ? owner + 1 : buf;
	if (!*name || !*owner || (size_t)snprintf(out, size, "%s/%s", owner, name) >= size)
		return CL_ENOTFOUND;
	return 0;
}

int cl_approval_run(struct cl_check_ctx *ctx)
{
	const struct cl_approval_options *o = cl_policy_approvals(ctx->policy);
	struct cl_approvals *store = NULL;
	char name[512], message[1024], remedy[600], key[600], subject[128], *path = NULL;
	const char *short_name;
	int64_t now = (int64_t)time(NULL), id;
	size_t i;
	int error, rc;

	if (!ctx->repo || repo_name(name, sizeof(name), ctx->repo) < 0)
		return 0;   /* no repository to name: nothing is outbound */
	if ((rc = cl_pattern_list_match(&o->outbound_repos, name)) <= 0)
		return rc;
	short_name = strchr(name, '/') + 1;
	for (i = 0; i < ctx->commit_count; i++)
		if (cl_approval_is_employee(ctx->commits[i].author_email, o->employee_domains,
				o->employee_domain_count))
			break;
	if (i == ctx->commit_count)
		return 0;   /* syncing the fork with upstream: nobody's commits to judge */
	if ((error = cl_cla_store_path(&path, ctx->repo, cl_policy_cla(ctx->policy))) < 0)
		return error;
	if ((error = cl_approvals_open(&store, path, 0)) < 0 && error != CL_ENOTFOUND) {
		error = cl_error_setc(error, "approval check: %s", cl_error_last());
		goto done;
	}
	cl_error_clear();
	error = 0;
	for (i = 0; i < ctx->commit_count; i++) {
		const struct cl_commit *c = &ctx->commits[i];
		struct cl_finding f;

		if (!cl_approval_is_employee(c->author_email, o->employee_domains,
				o->employee_domain_count))
			continue;
		if (store) {
			rc = cl_approval_covering(&id, store, c->author_email, short_name, now);
			if (rc == 0)
				continue;
			if (rc != CL_ENOTFOUND) {
				error = rc;
				goto done;
			}
			cl_error_clear();
		}
		cl_commit_subject(subject, sizeof(subject), c);
		snprintf(message, sizeof(message), "%s <%s> has no approval in force to contribute to "
			"the upstream project of %s (outbound repository)", c->author_name,
			c->author_email, name);
		snprintf(remedy, sizeof(remedy), "ask the OSPO for an outbound contribution approval%s%s",
			o->request_url ? ": " : " (clearance approvals request)",
			o->request_url ? o->request_url : "");
		snprintf(key, sizeof(key), "approval:%s:%s", name, c->author_email);
		memset(&f, 0, sizeof(f));
		f.check = "approval";
		f.severity = CL_SEVERITY_ERROR;
		f.ref = ctx->ref;
		f.commit = c->id;
		f.subject = subject;
		f.rule = "approval.missing";
		f.message = message;
		f.remedy = remedy;
		f.key = key;
		if ((error = cl_findings_add(ctx->findings, &f)) < 0)
			goto done;
	}
done:
	cl_approvals_free(store);
	free(path);
	return error < 0 ? error : 0;
}
