/*
 * events.c - hosted push events into issues and store rows (events.h).
 *
 * Divisions: schema; labels and assignees; recording; processing; listing.
 */
#include "events.h"
#include "approval_bot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "followup.h"

/* ---- schema ---------------------------------------------------------------- */

const struct cl_db_migration cl_events_schema[] = {
	{ "outbound", 1,
	  "CREATE TABLE outbound_commits ("
	  "  event_id TEXT NOT NULL, repository TEXT NOT NULL, ref TEXT NOT NULL,"
	  "  commit_id TEXT NOT NULL, author TEXT, email TEXT, committed_at INTEGER,"
	  "  pusher TEXT, pushed_at TEXT, PRIMARY KEY (event_id, ref, commit_id));"
	  "CREATE INDEX outbound_commits_by_email ON outbound_commits (email);" },
	{ "overrides", 1,
	  "CREATE TABLE overrides ("
	  "  event_id TEXT NOT NULL, repository TEXT NOT NULL, ref TEXT NOT NULL,"
	  "  pusher TEXT, reason TEXT NOT NULL, findings INTEGER NOT NULL, time TEXT,"
	  "  recorded_at INTEGER NOT NULL DEFAULT (strftime('%s', 'now')),"
	  "  PRIMARY KEY (event_id, ref));" },
};
const size_t cl_events_schema_count = sizeof(cl_events_schema) / sizeof(cl_events_schema[0]);

int cl_events_store_open(sqlite3 **out, const char *path, int create)
{
	struct cl_db_options opts = CL_DB_OPTIONS_INIT;
	sqlite3 *db = NULL;
	int error;

	opts.create = create;
	/* one connection, each module's steps applied in turn */
	if ((error = cl_db_open(&db, path, &opts, "outbound", cl_events_schema,
			cl_events_schema_count)) < 0)
		return error;
	cl_db_close(db);
	return cl_db_open(out, path, &opts, "overrides", cl_events_schema, cl_events_schema_count);
}

/* ---- labels and assignees -------------------------------------------------- */

/* `a` then those of `b` not in it, NULL-terminated; the strings stay borrowed. */
static int merge_names(const char ***out, char *const *a, size_t na, char *const *b)
{
	const char **all;
	size_t nb = 0, n = 0, i, j;

	while (b && b[nb])
		nb++;
	*out = NULL;
	if (na + nb == 0)
		return 0;
	if (!(all = calloc(na + nb + 1, sizeof(*all))))
		return cl_error_set("out of memory");
	for (i = 0; i < na; i++)
		all[n++] = a[i];
	for (i = 0; i < nb; i++) {
		int dup = 0;
		for (j = 0; j < n && !dup; j++)
			dup = !strcmp(all[j], b[i]);
		if (!dup)
			all[n++] = b[i];
	}
	*out = all;
	return 0;
}

int cl_bot_issue_people(const char ***labels, const char ***assignees,
	const struct cl_bot_config *cfg, const struct cl_policy *policy)
{
	const struct cl_policy_bot *pb = policy ? cl_policy_bot(policy) : NULL;
	int error;

	*labels = NULL;
	*assignees = NULL;
	if ((error = merge_names(labels, pb ? pb->labels : NULL, pb ? pb->label_count : 0,
			cfg->labels)) < 0)
		return error;
	if ((error = merge_names(assignees, pb ? pb->assignees : NULL, pb ? pb->assignee_count : 0,
			pb && pb->assignee_count ? NULL : cfg->assignees)) < 0) {
		free(*labels);
		*labels = NULL;
	}
	return error;
}

/* ---- recording ------------------------------------------------------------- */

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

int cl_events_record(sqlite3 *db, const struct cl_push_event *ev)
{
	sqlite3_stmt *commit_st = NULL, *override_st = NULL;
	size_t i, j;
	int error = 0, in_tx = 0;

	/* INSERT OR IGNORE: an event processed again (a retry) adds nothing */
	if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO outbound_commits (event_id, repository, ref, "
			"commit_id, author, email, committed_at, pusher, pushed_at) VALUES "
			"(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", -1, &commit_st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO overrides (event_id, repository, ref, pusher, "
			"reason, findings, time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", -1, &override_st,
			NULL) != SQLITE_OK) {
		error = cl_error_from_sqlite(db, "hosted event store");
		goto done;
	}
	if ((error = cl_db_exec(db, "BEGIN IMMEDIATE")) < 0)
		goto done;
	in_tx = 1;
	for (i = 0; i < ev->ref_count; i++) {
		const struct cl_push_event_ref *r = &ev->refs[i];
		for (j = 0; j < r->commit_count; j++) {
			const struct cl_push_event_commit *c = &r->commits[j];
			sqlite3_reset(commit_st);
			sqlite3_bind_text(commit_st, 1, ev->id, -1, SQLITE_STATIC);
			sqlite3_bind_text(commit_st, 2, ev->name ? ev->name : ev->repository, -1, SQLITE_STATIC);
			sqlite3_bind_text(commit_st, 3, r->ref, -1, SQLITE_STATIC);
			sqlite3_bind_text(commit_st, 4, c->id, -1, SQLITE_STATIC);
			bind_opt(commit_st, 5, c->author);
			bind_opt(commit_st, 6, c->email);
			sqlite3_bind_int64(commit_st, 7, c->time);
			bind_opt(commit_st, 8, ev->pusher);
			bind_opt(commit_st, 9, ev->time);
			if (sqlite3_step(commit_st) != SQLITE_DONE) {
				error = cl_error_from_sqlite(db, "outbound commits");
				goto done;
			}
		}
		if (!ev->has_override)
			continue;
		sqlite3_reset(override_st);
		sqlite3_bind_text(override_st, 1, ev->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(override_st, 2, ev->name ? ev->name : ev->repository, -1, SQLITE_STATIC);
		sqlite3_bind_text(override_st, 3, r->ref, -1, SQLITE_STATIC);
		bind_opt(override_st, 4, ev->override_pusher ? ev->override_pusher : ev->pusher);
		sqlite3_bind_text(override_st, 5, ev->override_reason, -1, SQLITE_STATIC);
		sqlite3_bind_int64(override_st, 6, ev->override_findings);
		bind_opt(override_st, 7, ev->time);
		if (sqlite3_step(override_st) != SQLITE_DONE) {
			error = cl_error_from_sqlite(db, "overrides");
			goto done;
		}
	}
	error = cl_db_exec(db, "COMMIT");
	in_tx = error < 0;
done:
	if (in_tx)
		cl_db_exec(db, "ROLLBACK");
	sqlite3_finalize(commit_st);
	sqlite3_finalize(override_st);
	return error;
}

/* ---- processing ------------------------------------------------------------ */

static int is_zero(const char *hex)
{
	return strspn(hex, "0") == strlen(hex);
}

/* A hosted outbound fork synced with an upstream that relicensed (the hook compared). */
static int relicensed(struct cl_bot *bot, const struct cl_push_event *ev)
{
	char url[700];
	size_t i;
	int error;

	for (i = 0; i < ev->ref_count; i++) {
		const struct cl_push_event_ref *r = &ev->refs[i];

		if (!r->license_upstream)
			continue;
		snprintf(url, sizeof(url), "%s@%.12s (push to %s)", ev->name ? ev->name : ev->repository,
			r->after, r->ref);
		if ((error = cl_bot_approvals_relicensed(bot, r->license_upstream, &r->license, url)) < 0)
			return error;
	}
	return 0;
}

int cl_bot_hosted_process(struct cl_bot *bot, const struct cl_delivery *d)
{
	const struct cl_bot_config *cfg = bot->config;
	struct cl_push_event *ev = NULL;
	struct cl_followup_target target;
	struct cl_followup_stats stats;
	struct cl_forge *forge;
	const char *forge_name, *tracker;
	const char **labels = NULL, **assignees = NULL;
	char owner[256];
	size_t i;
	int error;

	if ((error = cl_push_event_parse(&ev, d->body, d->body_len)) < 0)
		return error;
	/* the store first: the rows matter even when no issue can be filed */
	if ((error = cl_events_record(d->db, ev)) < 0 || (error = relicensed(bot, ev)) < 0)
		goto done;
	tracker = ev->tracker ? ev->tracker : cfg->tracker;
	if (cfg->tracker_forge)
		forge_name = cfg->tracker_forge;
	else
		forge_name = bot->github || !bot->gitea ? "github" : "gitea";
	forge = !strcmp(forge_name, "github") ? bot->github : bot->gitea;
	if (!tracker) {
		error = cl_error_setc(CL_EINVALID, "push event of '%s' names no tracker, and the bot has none "
			"(set tracker: OWNER/REPO in bot.yml, or bot.tracker in the repository's policy)",
			ev->name ? ev->name : ev->repository);
		goto done;
	}
	if (!forge) {
		error = cl_error_setc(CL_EINVALID, "no %s credentials for the tracker '%s' (set %s.token)",
			forge_name, tracker, forge_name);
		goto done;
	}
	if ((error = merge_names(&labels, ev->labels, ev->label_count, cfg->labels)) < 0 ||
	    (error = merge_names(&assignees, ev->assignees, ev->assignee_count,
			ev->assignee_count ? NULL : cfg->assignees)) < 0)
		goto done;
	memset(&target, 0, sizeof(target));
	if ((error = cl_forge_repo_parse(&target.tracker, owner, sizeof(owner), tracker)) < 0)
		goto done;
	target.forge = forge;
	target.forge_name = forge_name;
	target.source = ev->name ? ev->name : ev->repository;
	target.commit_url_base = ev->commit_url;
	target.labels = labels;
	target.assignees = assignees;
	for (i = 0; i < ev->ref_count; i++) {
		const struct cl_push_event_ref *r = &ev->refs[i];
		struct cl_followup_facts facts;

		if (is_zero(r->after))
			continue;   /* a deletion leaves nothing to follow up */
		memset(&facts, 0, sizeof(facts));
		facts.deps = (const char *const *)r->deps;
		facts.dep_count = r->dep_count;
		facts.deps_known = r->deps_known;
		facts.header_failing = (const char *const *)r->header_failing;
		facts.header_failing_count = r->header_failing_count;
		facts.headers_known = r->headers_known;
		target.facts = &facts;
		if ((error = cl_followup_sync(&stats, d->db, &target, NULL, NULL, r->ref, r->before,
				r->after, r->findings)) < 0)
			goto done;
		fprintf(stderr, "level=info component=hosted event=%s repo=\"%s\" ref=%s opened=%zu "
			"updated=%zu closed=%zu\n", ev->id, target.source, r->ref, stats.opened,
			stats.updated, stats.closed);
	}
done:
	free(labels);
	free(assignees);
	cl_push_event_free(ev);
	return error;
}

/* ---- listing --------------------------------------------------------------- */

int cl_overrides_list(sqlite3 *db, int limit, cl_override_row_cb cb, void *payload)
{
	sqlite3_stmt *st = NULL;
	int rc, error = 0;

	if (sqlite3_prepare_v2(db, "SELECT event_id, repository, ref, pusher, reason, findings, time "
			"FROM overrides ORDER BY recorded_at DESC, rowid DESC LIMIT ?1", -1, &st,
			NULL) != SQLITE_OK)
		return cl_error_from_sqlite(db, "overrides");
	sqlite3_bind_int(st, 1, limit > 0 ? limit : -1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cl_override_row row;
		row.event_id = (const char *)sqlite3_column_text(st, 0);
		row.repository = (const char *)sqlite3_column_text(st, 1);
		row.ref = (const char *)sqlite3_column_text(st, 2);
		row.pusher = (const char *)sqlite3_column_text(st, 3);
		row.reason = (const char *)sqlite3_column_text(st, 4);
		row.findings = sqlite3_column_int64(st, 5);
		row.time = (const char *)sqlite3_column_text(st, 6);
		if (cb(&row, payload))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		error = cl_error_from_sqlite(db, "overrides");
	sqlite3_finalize(st);
	return error;
}
