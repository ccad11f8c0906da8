/*
 * events.h - the bot's side of hosted repositories: the push events their
 * post-receive sends (lib/push_event.h) become the same follow-up issues as
 * forge pushes (followup.h), and their outbound commits and overrides rows
 * of the store.
 *
 * Layer rule: bot/ module over followup.h, the store and push_event.h. The
 * queue stores a hosted event as a delivery of forge "hosted", event
 * "push", delivery id = the event id (so a spool delivered twice is
 * processed once); cl_bot_process routes it here.
 *
 * Store tables:
 *   outbound_commits (module "outbound"): one row per commit a hosted push
 *     brought, for the approval reports (issue 7)
 *   overrides (module "overrides"): one row per ref of a push an admin let
 *     through, for the dashboard (`clearance overrides list` until then)
 */
#ifndef CL_BOT_EVENTS_H
#define CL_BOT_EVENTS_H

#include <sqlite3.h>

#include "bot.h"
#include "db.h"
#include "policy.h"
#include "push_event.h"

/* The forge name hosted events are stored under in the delivery queue. */
#define CL_EVENTS_FORGE "hosted"

extern const struct cl_db_migration cl_events_schema[];
extern const size_t cl_events_schema_count;

/* Open the store at `path` with the outbound and overrides tables (created when missing). */
int cl_events_store_open(sqlite3 **out, const char *path, int create);

/* Process one stored hosted event (cl_bot_process's route for forge "hosted"). */
int cl_bot_hosted_process(struct cl_bot *bot, const struct cl_delivery *d);

/* Record the outbound commits and the override of `ev` (idempotent). */
int cl_events_record(sqlite3 *db, const struct cl_push_event *ev);

/*
 * Labels and assignees for the follow-up issues of a forge push: the
 * policy's bot.labels and the bot config's labels; the policy's
 * bot.assignees, else the config's. Both arrays NULL-terminated (or NULL),
 * the strings borrowed from `cfg` and `policy`; free() the arrays.
 */
int cl_bot_issue_people(const char ***labels, const char ***assignees,
	const struct cl_bot_config *cfg, const struct cl_policy *policy);

/* One row of the overrides table; strings borrowed for the callback's duration. */
struct cl_override_row {
	const char *event_id, *repository, *ref, *pusher, *reason, *time;
	long long findings;
};
typedef int (*cl_override_row_cb)(const struct cl_override_row *row, void *payload);

/* Overrides newest first, at most `limit` (0: all); cb returns nonzero to stop. */
int cl_overrides_list(sqlite3 *db, int limit, cl_override_row_cb cb, void *payload);

#endif
