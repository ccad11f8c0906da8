/* The store opener: WAL, per-module migrations, refusing a newer schema. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "error.h"

static const struct cl_db_migration steps[] = {
	{ "alpha", 1, "CREATE TABLE a (x INTEGER)" },
	{ "beta", 1, "CREATE TABLE b (y TEXT)" },
	{ "alpha", 2, "ALTER TABLE a ADD COLUMN z TEXT; CREATE INDEX a_x ON a (x)" },
};

static char path[64];

static int setup(void **state)
{
	int fd;
	(void)state;
	snprintf(path, sizeof(path), "/tmp/cl-test-db-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(path);
	return 0;
}

static int teardown(void **state)
{
	char side[80];
	(void)state;
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	return 0;
}

static int query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int v = -1;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void test_migrates_each_module_alone(void **state)
{
	sqlite3 *db = NULL;
	(void)state;

	assert_int_equal(cl_db_open(&db, path, NULL, "alpha", steps, 3), 0);
	assert_int_equal(query_int(db, "SELECT version FROM schema_versions WHERE module='alpha'"), 2);
	assert_int_equal(query_int(db, "SELECT count(*) FROM schema_versions WHERE module='beta'"), 0);
	assert_int_equal(cl_db_exec(db, "INSERT INTO a (x, z) VALUES (1, 'kept')"), 0);
	cl_db_close(db);

	/* Reopening is idempotent and keeps data; another module adds its own. */
	assert_int_equal(cl_db_open(&db, path, NULL, "alpha", steps, 3), 0);
	cl_db_close(db);
	assert_int_equal(cl_db_open(&db, path, NULL, "beta", steps, 3), 0);
	assert_int_equal(query_int(db, "SELECT count(*) FROM a WHERE z = 'kept'"), 1);
	assert_int_equal(query_int(db, "SELECT version FROM schema_versions WHERE module='beta'"), 1);
	assert_int_equal(query_int(db, "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode='wal'"), 1);
	cl_db_close(db);
}

static void test_refuses_newer_schema(void **state)
{
	sqlite3 *db = NULL;
	(void)state;

	assert_int_equal(cl_db_open(&db, path, NULL, "alpha", steps, 3), 0);
	cl_db_close(db);
	db = NULL;
	/* An older program knows only version 1 of alpha. */
	assert_int_equal(cl_db_open(&db, path, NULL, "alpha", steps, 1), CL_EINVALID);
	assert_null(db);
	assert_non_null(strstr(cl_error_last(), "newer than this clearance knows"));
}

static void test_missing_file_without_create(void **state)
{
	struct cl_db_options opts = CL_DB_OPTIONS_INIT;
	sqlite3 *db = NULL;
	(void)state;

	opts.create = 0;
	assert_int_equal(cl_db_open(&db, path, &opts, "alpha", steps, 3), CL_ENOTFOUND);
	assert_null(db);
	assert_int_equal(access(path, F_OK), -1);
}

static void test_broken_step_leaves_nothing_half_done(void **state)
{
	static const struct cl_db_migration bad[] = {
		{ "gamma", 1, "CREATE TABLE g (x INTEGER)" },
		{ "gamma", 2, "CREATE TABLE h (y INTEGER); THIS IS NOT SQL" },
	};
	sqlite3 *db = NULL;
	(void)state;

	assert_true(cl_db_open(&db, path, NULL, "gamma", bad, 2) < 0);
	assert_null(db);
	assert_int_equal(cl_db_open(&db, path, NULL, "gamma", bad, 1), 0);
	/* Step 1 stayed; step 2 rolled back whole (no table h). */
	assert_int_equal(query_int(db, "SELECT version FROM schema_versions WHERE module='gamma'"), 1);
	assert_int_equal(query_int(db, "SELECT count(*) FROM sqlite_master WHERE name='h'"), 0);
	cl_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrates_each_module_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refuses_newer_schema, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file_without_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken_step_leaves_nothing_half_done, setup, teardown),
	};
	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
