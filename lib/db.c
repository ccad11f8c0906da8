/*
 * db.c - the store's connection set-up and per-module migrations.
 */
#include "db.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "error.h"

int cl_error_from_sqlite(sqlite3 *db, const char *what)
{
	return cl_error_set("%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
}

int cl_db_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		cl_error_set("store: %s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return CL_ERROR;
	}
	return 0;
}

int cl_db_prepare(sqlite3_stmt **st, sqlite3 *db, const char *sql, const char *what)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		return cl_error_from_sqlite(db, what);
	return 0;
}

void cl_db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

int cl_db_step_done(sqlite3 *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cl_error_from_sqlite(db, what);
	return 0;
}

int cl_db_begin(sqlite3 *db)
{
	return cl_db_exec(db, "BEGIN IMMEDIATE");
}

int cl_db_end(sqlite3 *db, int error)
{
	if (error < 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return error;
	}
	return cl_db_exec(db, "COMMIT");
}

static int db_module_version(int *out, sqlite3 *db, const char *module)
{
	sqlite3_stmt *st = NULL;
	int rc, error = 0;

	if (sqlite3_prepare_v2(db, "SELECT version FROM schema_versions WHERE module = ?1",
			-1, &st, NULL) != SQLITE_OK)
		return cl_error_from_sqlite(db, "store: cannot read schema versions");
	sqlite3_bind_text(st, 1, module, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	else if (rc == SQLITE_DONE)
		*out = 0;
	else
		error = cl_error_from_sqlite(db, "store: cannot read schema versions");
	sqlite3_finalize(st);
	return error;
}

/*
 * One step per transaction, the version row written in the same one: a
 * crash between steps leaves a store that the next open carries on from.
 * BEGIN IMMEDIATE makes two processes opening a fresh store at once take
 * turns instead of both creating the tables.
 */
static int db_migrate(sqlite3 *db, const char *module,
	const struct cl_db_migration *migrations, size_t count)
{
	int current = 0, latest = 0, error;
	size_t i;

	for (i = 0; i < count; i++)
		if (strcmp(migrations[i].module, module) == 0 && migrations[i].version > latest)
			latest = migrations[i].version;

	if ((error = cl_db_exec(db, "CREATE TABLE IF NOT EXISTS schema_versions ("
			"module TEXT PRIMARY KEY, version INTEGER NOT NULL)")) < 0)
		return error;

	for (;;) {
		const struct cl_db_migration *step = NULL;

		if ((error = cl_db_exec(db, "BEGIN IMMEDIATE")) < 0)
			return error;
		if ((error = db_module_version(&current, db, module)) < 0)
			goto fail;
		if (current > latest) {
			error = cl_error_setc(CL_EINVALID, "store: module '%s' is at schema version %d, "
				"newer than this clearance knows (%d); upgrade clearance", module, current, latest);
			goto fail;
		}
		for (i = 0; i < count; i++)
			if (strcmp(migrations[i].module, module) == 0 &&
			    migrations[i].version == current + 1)
				step = &migrations[i];
		if (!step) {
			if (current < latest) {
				error = cl_error_set("store: module '%s' has no migration to version %d",
					module, current + 1);
				goto fail;
			}
			return cl_db_exec(db, "COMMIT");
		}
		if ((error = cl_db_exec(db, step->sql)) < 0)
			goto fail;
		{
			sqlite3_stmt *st = NULL;
			if (sqlite3_prepare_v2(db, "INSERT INTO schema_versions (module, version) "
					"VALUES (?1, ?2) ON CONFLICT(module) DO UPDATE SET version = ?2",
					-1, &st, NULL) != SQLITE_OK) {
				error = cl_error_from_sqlite(db, "store: cannot record schema version");
				goto fail;
			}
			sqlite3_bind_text(st, 1, module, -1, SQLITE_STATIC);
			sqlite3_bind_int(st, 2, step->version);
			if (sqlite3_step(st) != SQLITE_DONE)
				error = cl_error_from_sqlite(db, "store: cannot record schema version");
			sqlite3_finalize(st);
			if (error < 0)
				goto fail;
		}
		if ((error = cl_db_exec(db, "COMMIT")) < 0)
			goto fail;
	}
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return error;
}

int cl_db_open(sqlite3 **out, const char *path, const struct cl_db_options *opts,
	const char *module, const struct cl_db_migration *migrations, size_t count)
{
	struct cl_db_options defaults = CL_DB_OPTIONS_INIT;
	sqlite3 *db = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, error = 0;

	if (!opts)
		opts = &defaults;
	if (opts->create)
		flags |= SQLITE_OPEN_CREATE;
	else if (access(path, F_OK) != 0 && errno == ENOENT)
		return cl_error_setc(CL_ENOTFOUND, "store '%s' does not exist", path);

	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		error = cl_error_set("cannot open store '%s': %s", path,
			db ? sqlite3_errmsg(db) : "out of memory");
		goto done;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, opts->busy_timeout_ms);
	if (opts->page_size > 0) {
		/* only takes effect before the first table exists, so before WAL mode too */
		char sql[64];
		snprintf(sql, sizeof(sql), "PRAGMA page_size = %d", opts->page_size);
		if ((error = cl_db_exec(db, sql)) < 0)
			goto done;
	}
	if ((error = cl_db_exec(db, "PRAGMA journal_mode = WAL")) < 0 ||
	    (error = cl_db_exec(db, opts->sync == CL_DB_SYNC_FULL ?
			"PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")) < 0 ||
	    (error = cl_db_exec(db, "PRAGMA foreign_keys = ON")) < 0)
		goto done;
	if (opts->checkpoint_pages != 0)
		sqlite3_wal_autocheckpoint(db, opts->checkpoint_pages < 0 ? 0 : opts->checkpoint_pages);
	if (module && (error = db_migrate(db, module, migrations, count)) < 0)
		goto done;

	*out = db;
	db = NULL;
done:
	sqlite3_close(db);
	return error;
}

void cl_db_close(sqlite3 *db)
{
	sqlite3_close(db);
}
