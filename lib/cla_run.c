/*
 * cla_run.c - the CLA row of the check table.
 */
#include "cla_run.h"

#include <stdlib.h>
#include <string.h>

#include "cla.h"
#include "dco.h"
#include "engine.h"
#include "error.h"
#include "repo_policy.h"

#define CLA_DEFAULT_STORE "clearance.db"

int cl_cla_takes_dco(const struct cl_policy *policy)
{
	const struct cl_cla_options *cla = cl_policy_cla(policy);
	return cla->enabled && cla->with_dco == CL_CLA_WITH_DCO_EITHER &&
		cl_policy_dco(policy)->enabled;
}

int cl_cla_store_path(char **out, git_repository *repo, const struct cl_cla_options *opts)
{
	const char *path = opts->store ? opts->store : CLA_DEFAULT_STORE;

	if (path[0] == '/' || !repo) {
		if (!(*out = strdup(path)))
			return cl_error_set("out of memory");
		return 0;
	}
	return cl_repo_path(out, repo, path);
}

static int has_commit(const struct cl_findings *list, const char *commit)
{
	size_t i;
	for (i = 0; i < cl_findings_count(list); i++) {
		const struct cl_finding *f = cl_findings_get(list, i);
		if (f->commit && !strcmp(f->commit, commit))
			return 1;
	}
	return 0;
}

/* Copy the findings of `from` whose commit also failed in `other`. */
static int copy_failing_both(struct cl_findings *to, const struct cl_findings *from,
	const struct cl_findings *other)
{
	size_t i;
	int error;

	for (i = 0; i < cl_findings_count(from); i++) {
		const struct cl_finding *f = cl_findings_get(from, i);
		if (f->commit && !has_commit(other, f->commit))
			continue;
		if ((error = cl_findings_add(to, f)) < 0)
			return error;
	}
	return 0;
}

int cl_cla_run(struct cl_check_ctx *ctx)
{
	const struct cl_cla_options *opts = cl_policy_cla(ctx->policy);
	struct cl_cla_store *store = NULL;
	struct cl_findings *cla = NULL, *dco = NULL;
	cl_cla_login_fn login_fn = NULL;
	void *login_payload = NULL;
	char *path = NULL;
	int error;

	if ((error = cl_cla_store_path(&path, ctx->repo, opts)) < 0)
		return error;
	if ((error = cl_cla_store_open(&store, path, 0)) < 0) {
		error = cl_error_setc(error, "CLA check: %s (hint: cla.store in the policy names "
			"the store the bot and `clearance cla` keep)", cl_error_last());
		goto done;
	}
	if (ctx->env) {
		login_fn = ctx->env->login_for_email;
		login_payload = ctx->env->payload;
	}
	if (!cl_cla_takes_dco(ctx->policy)) {
		error = cl_cla_check(ctx->findings, opts, store, ctx->ref, ctx->commits,
			ctx->commit_count, login_fn, login_payload);
		goto done;
	}
	if ((error = cl_findings_new(&cla)) < 0 || (error = cl_findings_new(&dco)) < 0)
		goto done;
	if ((error = cl_cla_check(cla, opts, store, ctx->ref, ctx->commits, ctx->commit_count,
			login_fn, login_payload)) < 0 ||
	    (error = cl_dco_check(dco, cl_policy_dco(ctx->policy), ctx->ref, ctx->commits,
			ctx->commit_count)) < 0)
		goto done;
	if ((error = copy_failing_both(ctx->findings, dco, cla)) < 0 ||
	    (error = copy_failing_both(ctx->findings, cla, dco)) < 0)
		goto done;
done:
	cl_findings_free(cla);
	cl_findings_free(dco);
	cl_cla_store_free(store);
	free(path);
	return error < 0 ? error : 0;
}
