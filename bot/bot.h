/*
 * bot.h - what the bot does with a delivery once the queue hands it over.
 *
 * Layer rule: bot/ module above forge.h, mirror.h and the library's engine.
 * The server and workers (server.h, worker.h) know nothing of pull requests;
 * they call cl_bot_process, which decodes the stored payload and routes it:
 *   pull_request opened/synchronize/reopened  -> review.c: statuses or check
 *       runs per check, one summary comment edited in place
 *   push to a branch the policy enforces      -> followup.c: one issue per
 *       finding key, updated, closed when resolved
 *   issue_comment "/clearance recheck" on a PR -> the pull-request review again
 * Everything the bot writes to the forge is idempotent (found again by a
 * hidden marker), so a delivery processed again after a crash repeats
 * nothing a person would see twice.
 */
#ifndef CL_BOT_H
#define CL_BOT_H

#include <sqlite3.h>
#include <stddef.h>

#include "config.h"
#include "forge.h"
#include "queue.h"

struct cl_bot {
	const struct cl_bot_config *config;
	struct cl_forge *github;        /* NULL when not configured */
	struct cl_forge *gitea;
	char *mirror_dir;               /* <data_dir>/mirrors */
	char *store_path;               /* <data_dir>/clearance.db: queue, CLA, follow-up */
	char *default_policy;           /* the server's policy YAML; "" = built-in default */
	size_t default_policy_len;
	char *default_policy_name;      /* for messages */
	char *self_login;               /* the bot's own login: its comments are ignored */
};

/*
 * Set up from a loaded configuration: forge clients for the forges that
 * have credentials, the mirror directory, the server's default policy.
 * @return 0, or an error naming what is wrong in the configuration.
 */
int cl_bot_new(struct cl_bot **out, const struct cl_bot_config *config);
void cl_bot_free(struct cl_bot *bot);

struct cl_buf;

/* The forge API counters for /metrics (cl_metrics_append_fn; payload: the bot). */
int cl_bot_forge_metrics(struct cl_buf *out, void *payload);

/* The processing function for worker.h; `payload` is the struct cl_bot. */
int cl_bot_process(const struct cl_delivery *d, void *payload);

#endif
