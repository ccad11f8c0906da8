/*
 * review.h - a pull request's checks, reported where its author looks:
 * one commit status (or, with GitHub App auth, one check run with
 * annotations) per check, and one summary comment edited in place.
 *
 * Layer rule: bot/ module over repo_check.h and forge.h.
 */
#ifndef CL_REVIEW_H
#define CL_REVIEW_H

#include "bot.h"
#include "webhook.h"

/* Marker key of the summary comment. */
#define CL_REVIEW_COMMENT_KEY "pr-summary"

/*
 * Review pull request `ev->pr_number` at `ev->head_sha` against
 * `ev->base_sha`. @return 0 (problems are reported, not errors), or an
 * error when the forge or the repository could not be reached (the worker
 * retries the delivery).
 */
int cl_bot_review_pr(struct cl_bot *bot, struct cl_forge *forge, const struct cl_webhook_event *ev);

/* The status context of a check: "clearance/dco", "clearance/headers", ... */
const char *cl_review_context(const char *check);

#endif
