/*
 * deliver.h - getting a hosted repository's push events to the bot: where
 * the bot is (its store, or its URL), the spool next to the repository, and
 * the two ways of delivering. Shared by post-receive, `clearance spool` and
 * `clearance doctor`.
 *
 * Layer rule: hooks/ front-end module over lib/spool.h, the bot's queue
 * (bot/queue.h: the store is the bot's durable queue, written directly) and
 * its HTTP client (bot/http_client.h: POST /events/push, signed like a
 * webhook). Nothing here prints except through the FILE the caller passes.
 *
 * Where the bot is, first found wins:
 *   git config clearance.botStore / clearance.botUrl / clearance.botSecretFile
 *     of the repository (what `install-hooks --store/--bot/--secret-file` write)
 *   the policy's bot: store / url / secret_file
 */
#ifndef CL_HOOK_DELIVER_H
#define CL_HOOK_DELIVER_H

#include <git2.h>
#include <stdio.h>

#include "policy.h"
#include "spool.h"

#define HOOK_CONFIG_BOT_STORE "clearance.botStore"
#define HOOK_CONFIG_BOT_URL "clearance.botUrl"
#define HOOK_CONFIG_BOT_SECRET_FILE "clearance.botSecretFile"

struct hook_bot_target {
	char *store;         /* the bot's SQLite store, or NULL */
	char *url;           /* the bot's base URL, or NULL (store wins when both) */
	char *secret_file;   /* where the /events/push secret is, or NULL */
	char *spool_dir;     /* <repo>/clearance-spool */
};

/*
 * Find where the bot is for `repo` (policy may be NULL). Neither store nor
 * url set: the hooks send nothing. @return 0 or an error
 */
int hook_bot_target_load(struct hook_bot_target *out, git_repository *repo,
	const struct cl_policy *policy);
void hook_bot_target_dispose(struct hook_bot_target *t);

/* Is there anywhere to deliver? 1 / 0 */
int hook_bot_target_configured(const struct hook_bot_target *t);

/*
 * Deliver the spool's events in order (cl_spool_flush); bad files are
 * reported on `report` (may be NULL). @return as cl_spool_flush
 */
int hook_spool_flush(struct cl_spool_stats *stats, const struct hook_bot_target *t, FILE *report);

/*
 * Can the bot be reached? The store: opens and has the queue's table; the
 * URL: GET /healthz answers 200, and the secret file is readable.
 * @return 0, or an error whose message says what is wrong
 */
int hook_bot_check(const struct hook_bot_target *t);

#endif
