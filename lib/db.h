/*
 * db.h - opening the one SQLite store that the bot, the hooks (CLA,
 * post-receive spool) and the license cache share.
 *
 * Layer rule: leaf module over SQLite. Every module that keeps tables in the
 * store opens it here with its own migrations; nothing else sets pragmas, so
 * every connection agrees on WAL, the busy timeout and foreign keys.
 *
 * Migrations are per module: a module lists its schema steps in order
 * (version 1, 2, ...), and cl_db_open applies the steps newer than what the
 * store records for that module, each in its own transaction. Modules never
 * share a version counter, so adding a table to one never renumbers another.
 */
#ifndef CL_DB_H
#define CL_DB_H

#include <sqlite3.h>
#include <stddef.h>

struct cl_db_migration {
	const char *module;   /* "queue", "cla", "license_cache" */
	int version;          /* 1, 2, ... in order within a module */
	const char *sql;      /* one or more statements */
};

/* Durability of a commit: FULL survives power loss, NORMAL (WAL) a crash of
 * the process (kill -9) but maybe not of the machine. */
enum cl_db_sync { CL_DB_SYNC_FULL = 0, CL_DB_SYNC_NORMAL };

struct cl_db_options {
	enum cl_db_sync sync;
	int busy_timeout_ms;  /* how long a writer waits for another's lock */
	int create;           /* create the file when missing */
	/*
	 * WAL pages after which a commit also checkpoints: 0 is SQLite's default
	 * (1000); -1 never, for a connection whose commits must stay short while
	 * another thread checkpoints (the bot's intake writer).
	 */
	int checkpoint_pages;
	/*
	 * Page size of a store this open creates (512..65536, a power of two);
	 * 0: SQLite's default (4096). An existing store keeps its own.
	 */
	int page_size;
};
#define CL_DB_OPTIONS_INIT { CL_DB_SYNC_FULL, 10000, 1, 0, 0 }

/*
 * Open (and when `opts->create`, create) the store at `path`, in WAL mode,
 * then bring `module`'s tables up to date with `migrations` (entries of
 * other modules are ignored, so one array may serve several modules).
 * @param opts NULL for CL_DB_OPTIONS_INIT
 * @return 0; CL_ENOTFOUND when the file is missing and create is off;
 *   CL_EINVALID when the store records a newer version of the module than
 *   this program knows (an older clearance must not write a newer schema);
 *   CL_ERROR otherwise. On failure nothing is left open.
 * Thread safety: the returned connection belongs to one thread at a time.
 */
int cl_db_open(sqlite3 **out, const char *path, const struct cl_db_options *opts,
	const char *module, const struct cl_db_migration *migrations, size_t count);

/* Close a connection from cl_db_open; NULL is a no-op. */
void cl_db_close(sqlite3 *db);

/* Set the error message from the connection's last error, prefixed by `what`. */
int cl_error_from_sqlite(sqlite3 *db, const char *what);

/* Run `sql` (statements without results); @return 0 or CL_ERROR. */
int cl_db_exec(sqlite3 *db, const char *sql);

/*
 * Small statement helpers shared by the stores (CLA, approvals, ...).
 * `what` names the store in error messages ("cla store").
 */
int cl_db_prepare(sqlite3_stmt **st, sqlite3 *db, const char *sql, const char *what);

/* Bind a string; NULL and "" bind SQL NULL (absent stays absent). */
void cl_db_bind_text(sqlite3_stmt *st, int i, const char *s);

/* Step a statement that returns no rows, then finalize it. */
int cl_db_step_done(sqlite3 *db, sqlite3_stmt *st, const char *what);

/* BEGIN IMMEDIATE: a change and its audit row commit together or not at all. */
int cl_db_begin(sqlite3 *db);

/* COMMIT when error is 0, else ROLLBACK; returns error (or COMMIT's). */
int cl_db_end(sqlite3 *db, int error);

#endif
