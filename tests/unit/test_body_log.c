/*
 * Deliveries' payloads in the body log (bot/body_log.h), through the queue
 * as the intake, the workers and `clearance deliveries` use it: real
 * SQLite files and real segment files in a temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "body_log.h"
#include "db.h"
#include "error.h"
#include "queue.h"

struct fixture {
	char dir[64];
	char db[96];
	char seg1[128], seg2[128];
	struct cl_queue *q;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/cl-body-log-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->db, sizeof(fx->db), "%s/clearance.db", fx->dir);
	snprintf(fx->seg1, sizeof(fx->seg1), "%s-bodies/00000001.log", fx->db);
	snprintf(fx->seg2, sizeof(fx->seg2), "%s-bodies/00000002.log", fx->db);
	if (cl_queue_open(&fx->q, fx->db, CL_DB_SYNC_NORMAL, NULL) < 0)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];

	cl_queue_close(fx->q);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx->dir);
	if (system(cmd) != 0)
		return -1;
	free(fx);
	return 0;
}

static long long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* Insert one delivery `id` with `body`; returns whether it was new. */
static int insert(struct cl_queue *q, const char *id, const char *body)
{
	struct cl_queue_insert row;

	memset(&row, 0, sizeof(row));
	row.forge = "github";
	row.delivery_id = id;
	row.event = "push";
	row.body = body;
	row.body_len = strlen(body);
	row.received_at = cl_queue_now_ms();
	assert_int_equal(cl_queue_insert_batch(q, &row, 1), 0);
	return row.inserted;
}

/* Claim the next delivery and check its payload. */
static void claim_expect(struct cl_queue *q, const char *delivery_id, const char *body)
{
	struct cl_delivery *d = NULL;
	long long next = 0;

	assert_int_equal(cl_queue_claim(&d, &next, q, "test:1:1", cl_queue_now_ms(), 60000), 0);
	assert_string_equal(d->delivery_id, delivery_id);
	assert_int_equal(d->body_len, strlen(body));
	assert_string_equal(d->body, body);
	cl_delivery_free(d);
}

static long long store_int(struct fixture *fx, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;

	assert_int_equal(sqlite3_prepare_v2(cl_queue_db(fx->q), sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* A batch with a repeated delivery: each payload once in the log, each read back whole. */
static void test_batch_round_trip(void **state)
{
	struct fixture *fx = *state;
	struct cl_queue_insert rows[4];
	const char *bodies[4] = { "{\"a\":1}", "{\"b\":\"two\"}", "{\"a\":1}", "" };
	const char *ids[4] = { "one", "two", "one", "empty" };
	int i;

	memset(rows, 0, sizeof(rows));
	for (i = 0; i < 4; i++) {
		rows[i].forge = "github";
		rows[i].delivery_id = ids[i];
		rows[i].event = "push";
		rows[i].body = bodies[i];
		rows[i].body_len = strlen(bodies[i]);
		rows[i].received_at = cl_queue_now_ms();
	}
	assert_int_equal(cl_queue_insert_batch(fx->q, rows, 4), 0);
	assert_int_equal(rows[0].inserted, 1);
	assert_int_equal(rows[2].inserted, 0);
	assert_int_equal(rows[2].id, rows[0].id);
	/* three records of a 16-byte header and the payload; the repeat wrote nothing */
	assert_int_equal(file_size(fx->seg1), 3 * 16 + 7 + 11 + 0);
	claim_expect(fx->q, "one", "{\"a\":1}");
	claim_expect(fx->q, "two", "{\"b\":\"two\"}");
	claim_expect(fx->q, "empty", "");
	/* and `deliveries show` reads the same */
	{
		struct cl_delivery *d = NULL;
		assert_int_equal(cl_queue_get(&d, fx->q, rows[1].id), 0);
		assert_string_equal(d->body, "{\"b\":\"two\"}");
		cl_delivery_free(d);
	}
}

/* A full segment: the next batch starts the next one, and both stay readable. */
static void test_segment_rolls_over(void **state)
{
	struct fixture *fx = *state;
	int fd;

	assert_int_equal(insert(fx->q, "first", "{\"in\":1}"), 1);
	/* fill segment 1 up to its limit without writing 64 MB (a sparse file) */
	fd = open(fx->seg1, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, CL_BODY_LOG_SEGMENT_BYTES), 0);
	close(fd);
	assert_int_equal(insert(fx->q, "second", "{\"in\":2}"), 1);
	assert_int_equal(file_size(fx->seg2), 16 + 8);
	assert_int_equal(store_int(fx, "SELECT body_segment FROM deliveries WHERE delivery_id = 'second'"), 2);
	claim_expect(fx->q, "first", "{\"in\":1}");
	claim_expect(fx->q, "second", "{\"in\":2}");

	/* a connection opened later appends to the newest segment */
	cl_queue_close(fx->q);
	assert_int_equal(cl_queue_open(&fx->q, fx->db, CL_DB_SYNC_FULL, NULL), 0);
	assert_int_equal(insert(fx->q, "third", "{\"in\":3}"), 1);
	assert_int_equal(file_size(fx->seg2), 2 * (16 + 8));
	claim_expect(fx->q, "third", "{\"in\":3}");
}

/*
 * Two connections (two processes, as the server and a post-receive hook)
 * take turns through the store's write lock; bytes that a batch left and
 * never committed (a crash between the write and the commit) are skipped.
 */
static void test_writers_take_turns_and_skip_orphans(void **state)
{
	struct fixture *fx = *state;
	struct cl_queue *other = NULL;
	int fd;

	assert_int_equal(cl_queue_open(&other, fx->db, CL_DB_SYNC_NORMAL, NULL), 0);
	assert_int_equal(insert(fx->q, "a", "{\"from\":\"server\"}"), 1);
	assert_int_equal(insert(other, "b", "{\"from\":\"hook\"}"), 1);
	fd = open(fx->seg1, O_WRONLY | O_APPEND);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "CLB1\x40\0\0\0half a record", 21), 21);
	close(fd);
	assert_int_equal(insert(fx->q, "c", "{\"from\":\"server again\"}"), 1);
	assert_int_equal(insert(other, "d", "{\"from\":\"hook again\"}"), 1);
	claim_expect(fx->q, "a", "{\"from\":\"server\"}");
	claim_expect(fx->q, "b", "{\"from\":\"hook\"}");
	claim_expect(other, "c", "{\"from\":\"server again\"}");
	claim_expect(other, "d", "{\"from\":\"hook again\"}");
	cl_queue_close(other);
}

/*
 * A payload damaged on disk, or a segment removed: the delivery is parked
 * as failed with the place named, and those behind it are still processed.
 */
static void test_damaged_payload_parked(void **state)
{
	struct fixture *fx = *state;
	struct cl_delivery *d = NULL;
	long long next = 0, off;
	int fd;

	assert_int_equal(insert(fx->q, "good", "{\"n\":1}"), 1);
	assert_int_equal(insert(fx->q, "bad", "{\"n\":2}"), 1);
	assert_int_equal(insert(fx->q, "after", "{\"n\":3}"), 1);
	off = store_int(fx, "SELECT body_offset FROM deliveries WHERE delivery_id = 'bad'");
	fd = open(fx->seg1, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "9", 1, (off_t)(off + 16 + 5)), 1);
	close(fd);

	claim_expect(fx->q, "good", "{\"n\":1}");
	claim_expect(fx->q, "after", "{\"n\":3}");
	assert_int_equal(store_int(fx, "SELECT count(*) FROM deliveries WHERE delivery_id = 'bad'"
		" AND state = 'failed' AND last_error LIKE '%00000001.log at %does not match its check%'"), 1);
	assert_int_equal(cl_queue_get(&d, fx->q, store_int(fx,
		"SELECT id FROM deliveries WHERE delivery_id = 'bad'")), CL_EINVALID);
	assert_null(d);
	assert_non_null(strstr(cl_error_last(), "does not match its check"));

	/* the whole segment gone (for a connection that did not have it open already) */
	assert_int_equal(insert(fx->q, "lost", "{\"n\":4}"), 1);
	assert_int_equal(unlink(fx->seg1), 0);
	cl_queue_close(fx->q);
	assert_int_equal(cl_queue_open(&fx->q, fx->db, CL_DB_SYNC_NORMAL, NULL), 0);
	assert_int_equal(cl_queue_claim(&d, &next, fx->q, "test:1:1", cl_queue_now_ms(), 60000), CL_ENOTFOUND);
	assert_int_equal(store_int(fx, "SELECT count(*) FROM deliveries WHERE delivery_id = 'lost'"
		" AND state = 'failed' AND last_error LIKE '%segment is missing%'"), 1);
}

/* A store from before the body log keeps its payloads in delivery_bodies. */
static void test_rows_from_before_read_from_the_store(void **state)
{
	struct fixture *fx = *state;
	sqlite3 *db = cl_queue_db(fx->q);

	assert_int_equal(cl_db_exec(db, "INSERT INTO deliveries (id, forge, delivery_id, event, received_at,"
		" next_attempt_at) VALUES (7, 'github', 'old', 'push', 1, 1);"
		"INSERT INTO delivery_bodies (id, body) VALUES (7, CAST('{\"old\":true}' AS BLOB))"), 0);
	claim_expect(fx->q, "old", "{\"old\":true}");
	assert_int_equal(insert(fx->q, "new", "{\"new\":true}"), 1);
	claim_expect(fx->q, "new", "{\"new\":true}");
}

/*
 * Segments are as private as the store: its mode, and its owner when root
 * (a hook run as root) makes them, or the bot could not append next.
 */
static void test_permissions_follow_the_store(void **state)
{
	struct fixture *fx = *state;
	char bodies[128];
	struct stat st;

	cl_queue_close(fx->q);
	fx->q = NULL;
	snprintf(bodies, sizeof(bodies), "%s-bodies", fx->db);
	assert_int_equal(rmdir(bodies), 0);
	assert_int_equal(chmod(fx->db, 0640), 0);
	if (geteuid() == 0)
		assert_int_equal(chown(fx->db, 65534, 65534), 0);
	assert_int_equal(cl_queue_open(&fx->q, fx->db, CL_DB_SYNC_NORMAL, NULL), 0);
	assert_int_equal(insert(fx->q, "private", "{}"), 1);
	assert_int_equal(stat(bodies, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0750);
	assert_int_equal(stat(fx->seg1, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	if (geteuid() == 0) {
		assert_int_equal(st.st_uid, 65534);
		assert_int_equal(st.st_gid, 65534);
	} else {
		fprintf(stderr, "not root: the owner half of this test is skipped\n");
	}
	claim_expect(fx->q, "private", "{}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_batch_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_segment_rolls_over, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writers_take_turns_and_skip_orphans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_payload_parked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rows_from_before_read_from_the_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_permissions_follow_the_store, setup, teardown),
	};
	return cmocka_run_group_tests_name("body_log", tests, NULL, NULL);
}
