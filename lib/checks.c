/*
 * checks.c - the check table. One row per check; a check's code lives in
 * its own module (dco.c, ...) and reaches the table through an adapter here.
 */
#include "check.h"
#include "approval_check.h"
#include "cla_run.h"
#include "deps_check.h"
#include "headers.h"

/* With `cla.with_dco: either`, the CLA row judges sign-offs too. */
static int dco_enabled(const struct cl_policy *policy)
{
	return cl_policy_dco(policy)->enabled && !cl_cla_takes_dco(policy);
}

static int dco_run(struct cl_check_ctx *ctx)
{
	int rc = cl_dco_check(ctx->findings, cl_policy_dco(ctx->policy), ctx->ref,
		ctx->commits, ctx->commit_count);
	return rc < 0 ? rc : 0;
}

static int headers_enabled(const struct cl_policy *policy)
{
	return cl_policy_headers(policy)->enabled;
}

static int headers_run(struct cl_check_ctx *ctx)
{
	return cl_headers_check(ctx, cl_policy_headers(ctx->policy));
}

static int deps_enabled(const struct cl_policy *policy)
{
	return cl_policy_deps(policy)->enabled;
}

static int deps_run(struct cl_check_ctx *ctx)
{
	return cl_deps_check(ctx, cl_policy_deps(ctx->policy));
}

static int cla_enabled(const struct cl_policy *policy)
{
	return cl_policy_cla(policy)->enabled;
}

static const struct cl_check check_table[] = {
	{ "dco", dco_enabled, dco_run },
	{ "cla", cla_enabled, cl_cla_run },
	{ "header", headers_enabled, headers_run },
	{ "deps", deps_enabled, deps_run },
	{ "approval", cl_approval_check_enabled, cl_approval_run },
};

const struct cl_check *cl_checks(size_t *count)
{
	*count = sizeof(check_table) / sizeof(check_table[0]);
	return check_table;
}
