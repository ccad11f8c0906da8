/*
 * cla_run.h - the CLA check as a row of the check table: open the store the
 * policy names, and combine with the DCO check when either one suffices.
 *
 * Layer rule: the adapter between check.h and cla.h (which cannot include
 * check.h: the policy includes cla.h).
 */
#ifndef CL_CLA_RUN_H
#define CL_CLA_RUN_H

#include "check.h"

/*
 * Run the CLA check on ctx's commits. With `with_dco: either` and the DCO
 * check enabled, a commit fails only when both checks fail it, and then
 * both sets of findings are reported (either remedy will do).
 * @return 0 (problems are findings), or < 0 when the store cannot be read:
 *   a hook then refuses the push, since nobody could be judged.
 */
int cl_cla_run(struct cl_check_ctx *ctx);

/* Whether the DCO row runs on its own (not when the CLA row judges both). */
int cl_cla_takes_dco(const struct cl_policy *policy);

/* Where the policy's store is for `repo` (malloc'd): cla.store, absolute or
 * relative to the repository directory, else "clearance.db" there. */
int cl_cla_store_path(char **out, git_repository *repo, const struct cl_cla_options *opts);

#endif
