/*
 * The checkpointer keeps the store's WAL bounded while writes keep coming
 * (it starts over in the file's first pages instead of growing) and cuts
 * the file back once nothing is written, losing no committed row.
 * Real SQLite files, a real writer thread's pace; the policy's numbers are
 * scaled down so the test takes a second, not minutes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checkpointer.h"
#include "db.h"
#include "queue.h"

static long long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

static void test_wal_bounded_then_cut_back(void **state)
{
	struct cl_checkpointer_options opts = CL_CHECKPOINTER_OPTIONS_INIT;
	struct cl_db_options dbo = CL_DB_OPTIONS_INIT;
	struct cl_checkpointer *ck = NULL;
	struct cl_queue *writer = NULL;
	struct cl_queue_counts counts;
	pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;
	char dir[] = "/tmp/cl-checkpointer-XXXXXX", db[64], wal[64], ids[4][32];
	char *body = malloc(25000);
	long long written = 0, wal_max = 0;
	int batch, i;
	(void)state;

	assert_non_null(body);
	memset(body, 'x', 25000);
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/clearance.db", dir);
	snprintf(wal, sizeof(wal), "%s/clearance.db-wal", dir);
	/* the writer never checkpoints, as the server's intake writer */
	dbo.sync = CL_DB_SYNC_NORMAL;
	dbo.checkpoint_pages = -1;
	assert_int_equal(cl_queue_open_opts(&writer, db, &dbo, &write_lock), 0);
	opts.every_ms = 10;
	opts.restart_bytes = 1 << 20;
	opts.quick_pass_ms = 1000;   /* this disk is not judged: every pass counts as quick */
	opts.idle_ms = 300;
	opts.keep_bytes = 0;
	assert_int_equal(cl_checkpointer_start(&ck, db, CL_DB_SYNC_NORMAL, &write_lock, &opts), 0);

	/*
	 * 40 MB at a moderate pace, four rows to a commit. Payloads are in the
	 * body log, so the WAL grows with what processing writes (results,
	 * caches, approvals): blobs in a table of their own stand for that.
	 */
	assert_int_equal(cl_db_exec(cl_queue_db(writer), "CREATE TABLE filler (data BLOB NOT NULL)"), 0);
	for (batch = 0; batch < 400; batch++) {
		struct cl_queue_insert rows[4];
		sqlite3_stmt *fill = NULL;
		pthread_mutex_lock(&write_lock);
		assert_int_equal(cl_db_exec(cl_queue_db(writer), "BEGIN IMMEDIATE"), 0);
		assert_int_equal(sqlite3_prepare_v2(cl_queue_db(writer), "INSERT INTO filler VALUES (?1)", -1,
			&fill, NULL), SQLITE_OK);
		for (i = 0; i < 4; i++) {
			sqlite3_bind_blob(fill, 1, body, 25000, SQLITE_STATIC);
			assert_int_equal(sqlite3_step(fill), SQLITE_DONE);
			sqlite3_reset(fill);
		}
		sqlite3_finalize(fill);
		assert_int_equal(cl_db_exec(cl_queue_db(writer), "COMMIT"), 0);
		pthread_mutex_unlock(&write_lock);
		memset(rows, 0, sizeof(rows));
		for (i = 0; i < 4; i++) {
			snprintf(ids[i], sizeof(ids[i]), "d-%d-%d", batch, i);
			rows[i].forge = "github";
			rows[i].delivery_id = ids[i];
			rows[i].event = "pull_request";
			rows[i].body = body;
			rows[i].body_len = 25000;
			rows[i].received_at = cl_queue_now_ms();
		}
		assert_int_equal(cl_queue_insert_batch(writer, rows, 4), 0);
		written += 4 * 25000;
		if (file_size(wal) > wal_max)
			wal_max = file_size(wal);
		usleep(2000);
	}
	/* without starting over the WAL would hold all 40 MB */
	fprintf(stderr, "wrote %lld bytes; the WAL file peaked at %lld\n", written, wal_max);
	assert_true(wal_max < written / 4);

	/* idle: the file is cut back */
	for (i = 0; i < 300 && file_size(wal) > 0; i++)
		usleep(10000);
	assert_int_equal(file_size(wal), 0);

	cl_checkpointer_stop(ck);
	assert_int_equal(cl_queue_counts(&counts, writer), 0);
	assert_int_equal(counts.queued, 1600);
	{
		sqlite3_stmt *st = NULL;
		assert_int_equal(sqlite3_prepare_v2(cl_queue_db(writer), "SELECT count(*), sum(length(data)) FROM filler",
			-1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int64(st, 0), 1600);
		assert_int_equal(sqlite3_column_int64(st, 1), written);
		sqlite3_finalize(st);
	}
	cl_queue_close(writer);
	free(body);
	{
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		assert_int_equal(system(cmd), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wal_bounded_then_cut_back),
	};
	return cmocka_run_group_tests_name("checkpointer", tests, NULL, NULL);
}
