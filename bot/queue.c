/*
 * queue.c - the delivery queue's tables and state moves.
 */
#include "queue.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "body_log.h"
#include "error.h"

/*
 * processed_events: one row per completed processing, written by
 * cl_queue_finish in the transaction that moves the delivery to done (the
 * same one as the processing function's own writes). An audit of what was
 * processed when, and what the exactly-once tests count.
 */
static const struct cl_db_migration queue_migrations[] = {
	{ "queue", 1,
	  "CREATE TABLE deliveries ("
	  " id INTEGER PRIMARY KEY,"
	  " forge TEXT NOT NULL,"
	  " delivery_id TEXT NOT NULL,"
	  " event TEXT NOT NULL,"
	  " action TEXT,"
	  " repo TEXT,"
	  " received_at INTEGER NOT NULL,"
	  " state TEXT NOT NULL DEFAULT 'queued'"
	  "  CHECK (state IN ('queued', 'running', 'done', 'failed')),"
	  " attempts INTEGER NOT NULL DEFAULT 0,"
	  " next_attempt_at INTEGER NOT NULL,"
	  " lease_owner TEXT,"
	  " lease_until INTEGER,"
	  " last_error TEXT,"
	  " finished_at INTEGER,"
	  " UNIQUE (forge, delivery_id));"
	  "CREATE INDEX deliveries_ready ON deliveries (state, next_attempt_at);"
	  /* apart from the row: SQLite rewrites a whole record, overflow pages
	   * included, when a column changes size, and a state move would then
	   * rewrite a 25 KB payload three times per delivery */
	  "CREATE TABLE delivery_bodies ("
	  " id INTEGER PRIMARY KEY REFERENCES deliveries (id),"
	  " body BLOB NOT NULL);"
	  "CREATE TABLE processed_events ("
	  " id INTEGER PRIMARY KEY,"
	  " delivery INTEGER NOT NULL REFERENCES deliveries (id),"
	  " event TEXT NOT NULL,"
	  " action TEXT,"
	  " repo TEXT,"
	  " processed_at INTEGER NOT NULL);"
	  "CREATE INDEX processed_events_delivery ON processed_events (delivery);" },
	/*
	 * Payloads move out of the store into the body log (body_log.h); the
	 * row keeps where its payload is. Rows from before keep theirs in
	 * delivery_bodies (body_segment NULL).
	 */
	{ "queue", 2,
	  "ALTER TABLE deliveries ADD COLUMN body_segment INTEGER;"
	  "ALTER TABLE deliveries ADD COLUMN body_offset INTEGER;"
	  "ALTER TABLE deliveries ADD COLUMN body_length INTEGER;"
	  "ALTER TABLE deliveries ADD COLUMN body_check INTEGER;" },
};

enum {
	ST_INSERT, ST_FIND, ST_CLAIM, ST_BODY, ST_NEXT, ST_DONE, ST_LOG, ST_REQUEUE,
	ST_FAIL, ST_COUNT
};

static const char *const statement_sql[ST_COUNT] = {
	[ST_INSERT] = "INSERT INTO deliveries (forge, delivery_id, event, action, repo, received_at,"
		" next_attempt_at, body_segment, body_offset, body_length, body_check)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, ?10)"
		" ON CONFLICT (forge, delivery_id) DO NOTHING",
	[ST_BODY] = "SELECT body FROM delivery_bodies WHERE id = ?1",
	[ST_FIND] = "SELECT id FROM deliveries WHERE forge = ?1 AND delivery_id = ?2",
	[ST_CLAIM] = "UPDATE deliveries SET state = 'running', attempts = attempts + 1,"
		" lease_owner = ?1, lease_until = ?2"
		" WHERE id IN (SELECT id FROM deliveries WHERE state = 'queued' AND next_attempt_at <= ?3"
		" ORDER BY next_attempt_at, id LIMIT ?4)"
		" RETURNING id, forge, delivery_id, event, action, repo, state, attempts, received_at,"
		" next_attempt_at, finished_at, lease_owner, last_error, body_segment, body_offset,"
		" body_length, body_check",
	[ST_NEXT] = "SELECT min(next_attempt_at) FROM deliveries WHERE state = 'queued'",
	[ST_DONE] = "UPDATE deliveries SET state = 'done', finished_at = ?3, lease_owner = NULL,"
		" lease_until = NULL, last_error = NULL WHERE id = ?1 AND state = 'running' AND lease_owner = ?2",
	[ST_LOG] = "INSERT INTO processed_events (delivery, event, action, repo, processed_at)"
		" SELECT id, event, action, repo, ?2 FROM deliveries WHERE id = ?1",
	[ST_REQUEUE] = "UPDATE deliveries SET state = 'queued', next_attempt_at = ?3, last_error = ?4,"
		" lease_owner = NULL, lease_until = NULL WHERE id = ?1 AND state = 'running' AND lease_owner = ?2",
	[ST_FAIL] = "UPDATE deliveries SET state = 'failed', finished_at = ?3, last_error = ?4,"
		" lease_owner = NULL, lease_until = NULL WHERE id = ?1 AND state = 'running' AND lease_owner = ?2",
};

struct cl_queue {
	sqlite3 *db;
	pthread_mutex_t *write_lock;
	int page_size;             /* read at the first checkpoint */
	int busy_ms;               /* the connection's busy timeout */
	struct cl_body_log *bodies;
	sqlite3_stmt *st[ST_COUNT];
};

long long cl_queue_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

sqlite3 *cl_queue_db(struct cl_queue *q)
{
	return q->db;
}

int cl_queue_open(struct cl_queue **out, const char *path, enum cl_db_sync sync,
	pthread_mutex_t *write_lock)
{
	struct cl_db_options opts = CL_DB_OPTIONS_INIT;
	opts.sync = sync;
	opts.page_size = CL_QUEUE_PAGE_SIZE;
	return cl_queue_open_opts(out, path, &opts, write_lock);
}

int cl_queue_checkpoint(struct cl_queue *q, long long *wal_bytes, long long *behind)
{
	int frames = 0, copied = 0, rc;

	rc = sqlite3_wal_checkpoint_v2(q->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
	/* BUSY: another checkpoint runs; the next round catches up */
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		return cl_error_from_sqlite(q->db, "store: checkpoint failed");
	if (q->page_size == 0) {
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(q->db, "PRAGMA page_size", -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			q->page_size = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (frames < 0 || copied < 0)
		frames = copied = 0;   /* not in WAL mode: nothing held */
	if (wal_bytes)
		*wal_bytes = (long long)frames * q->page_size;
	if (behind)
		*behind = (long long)(frames - copied) * q->page_size;
	return 0;
}

int cl_queue_sync_db(struct cl_queue *q)
{
	sqlite3_file *f = NULL;

	if (sqlite3_file_control(q->db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f ||
	    !f->pMethods)
		return cl_error_set("store: no database file to sync");
	if (f->pMethods->xSync(f, SQLITE_SYNC_NORMAL) != SQLITE_OK)
		return cl_error_set("store: cannot sync the database file");
	return 0;
}

int cl_queue_checkpoint_truncate(struct cl_queue *q)
{
	int rc;

	/* the caller holds the writers back: waiting for a reader would stall them too */
	sqlite3_busy_timeout(q->db, 0);
	rc = sqlite3_wal_checkpoint_v2(q->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	sqlite3_busy_timeout(q->db, q->busy_ms);

	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		return cl_error_from_sqlite(q->db, "store: checkpoint failed");
	return 0;
}

int cl_queue_open_opts(struct cl_queue **out, const char *path, const struct cl_db_options *opts,
	pthread_mutex_t *write_lock)
{
	static const struct cl_db_options defaults = CL_DB_OPTIONS_INIT;
	struct cl_queue *q = calloc(1, sizeof(*q));
	int error = 0, i;

	CL_CHECK_ALLOC(q);
	q->write_lock = write_lock;
	q->busy_ms = opts ? opts->busy_timeout_ms : defaults.busy_timeout_ms;
	if ((error = cl_db_open(&q->db, path, opts, "queue", queue_migrations,
			sizeof(queue_migrations) / sizeof(queue_migrations[0]))) < 0 ||
	    (error = cl_body_log_open(&q->bodies, path,
			(opts ? opts->sync : defaults.sync) == CL_DB_SYNC_FULL)) < 0)
		goto done;
	for (i = 0; i < ST_COUNT; i++)
		if (sqlite3_prepare_v3(q->db, statement_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
				&q->st[i], NULL) != SQLITE_OK) {
			error = cl_error_from_sqlite(q->db, "store: cannot prepare a queue statement");
			goto done;
		}
	*out = q;
	q = NULL;
done:
	cl_queue_close(q);
	return error;
}

void cl_queue_close(struct cl_queue *q)
{
	int i;
	if (!q)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(q->st[i]);
	cl_db_close(q->db);
	cl_body_log_close(q->bodies);
	free(q);
}

void cl_delivery_free(struct cl_delivery *d)
{
	if (!d)
		return;
	free(d->forge);
	free(d->delivery_id);
	free(d->event);
	free(d->action);
	free(d->repo);
	free(d->state);
	free(d->lease_owner);
	free(d->last_error);
	free(d->body);
	free(d);
}

/* ---- the write lock and transactions ---------------------------------- */

static void queue_lock(struct cl_queue *q)
{
	if (q->write_lock)
		pthread_mutex_lock(q->write_lock);
}

static void queue_unlock(struct cl_queue *q)
{
	if (q->write_lock)
		pthread_mutex_unlock(q->write_lock);
}

static int queue_begin(struct cl_queue *q)
{
	int error;
	queue_lock(q);
	if ((error = cl_db_exec(q->db, "BEGIN IMMEDIATE")) < 0)
		queue_unlock(q);
	return error;
}

/* Commit (or, when `error` < 0, roll back) and release the lock. */
static int queue_end(struct cl_queue *q, int error)
{
	if (error >= 0)
		error = cl_db_exec(q->db, "COMMIT");
	if (error < 0 && !sqlite3_get_autocommit(q->db))
		sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
	queue_unlock(q);
	return error;
}

void cl_queue_rollback(struct cl_queue *q)
{
	if (sqlite3_get_autocommit(q->db))
		return;
	sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
	queue_unlock(q);
}

int cl_delivery_begin(struct cl_delivery *d)
{
	if (!sqlite3_get_autocommit(d->db))
		return cl_error_set("delivery %lld: a transaction is already open", d->id);
	return queue_begin(d->queue);
}

/* ---- insert ------------------------------------------------------------ */

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

int cl_queue_insert_batch(struct cl_queue *q, struct cl_queue_insert *items, size_t count)
{
	sqlite3_stmt *ins = q->st[ST_INSERT], *find = q->st[ST_FIND];
	size_t i;
	int error;

	if ((error = queue_begin(q)) < 0)
		return error;
	if ((error = cl_body_log_begin(q->bodies)) < 0)
		return queue_end(q, error);
	for (i = 0; i < count && error == 0; i++) {
		struct cl_queue_insert *it = &items[i];
		struct cl_body_ref ref;
		cl_body_log_place(q->bodies, &ref, it->body, it->body_len);
		sqlite3_reset(ins);
		sqlite3_clear_bindings(ins);
		bind_text(ins, 1, it->forge);
		bind_text(ins, 2, it->delivery_id);
		bind_text(ins, 3, it->event);
		bind_text(ins, 4, it->action);
		bind_text(ins, 5, it->repo);
		sqlite3_bind_int64(ins, 6, it->received_at);
		sqlite3_bind_int64(ins, 7, ref.segment);
		sqlite3_bind_int64(ins, 8, ref.offset);
		sqlite3_bind_int64(ins, 9, ref.length);
		sqlite3_bind_int64(ins, 10, ref.check);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			error = cl_error_from_sqlite(q->db, "store: cannot insert a delivery");
			break;
		}
		it->inserted = sqlite3_changes(q->db) == 1;
		if (it->inserted) {
			it->id = sqlite3_last_insert_rowid(q->db);
			error = cl_body_log_add(q->bodies, &ref, it->body);
			continue;
		}
		sqlite3_reset(find);
		bind_text(find, 1, it->forge);
		bind_text(find, 2, it->delivery_id);
		if (sqlite3_step(find) == SQLITE_ROW)
			it->id = sqlite3_column_int64(find, 0);
		else
			error = cl_error_from_sqlite(q->db, "store: cannot find a duplicate delivery");
		sqlite3_reset(find);
	}
	sqlite3_reset(ins);
	sqlite3_clear_bindings(ins);
	/* the payloads before the rows that point at them */
	if (error == 0)
		error = cl_body_log_write(q->bodies);
	else
		cl_body_log_abort(q->bodies);
	return queue_end(q, error);
}

/* ---- reading rows ------------------------------------------------------ */

static int dup_column(char **out, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	*out = NULL;
	if (!s)
		return 0;
	if ((*out = strdup((const char *)s)) == NULL)
		return cl_error_set("out of memory");
	return 0;
}

static int copy_body(struct cl_delivery *d, sqlite3_stmt *st, int col)
{
	const void *b = sqlite3_column_blob(st, col);
	int n = sqlite3_column_bytes(st, col);
	free(d->body);
	if ((d->body = malloc((size_t)n + 1)) == NULL)
		return cl_error_set("out of memory");
	if (n > 0)
		memcpy(d->body, b, (size_t)n);
	d->body[n] = '\0';
	d->body_len = (size_t)n;
	return 0;
}

/*
 * Columns in the order id, forge, delivery_id, event, action, repo, state,
 * attempts, received_at, next_attempt_at, finished_at, lease_owner,
 * last_error - the claim's RETURNING and the SELECTs below agree.
 */
static int row_to_delivery(struct cl_delivery **out, sqlite3_stmt *st)
{
	struct cl_delivery *d = calloc(1, sizeof(*d));
	int error = 0;

	CL_CHECK_ALLOC(d);
	d->id = sqlite3_column_int64(st, 0);
	if ((error = dup_column(&d->forge, st, 1)) < 0 ||
	    (error = dup_column(&d->delivery_id, st, 2)) < 0 ||
	    (error = dup_column(&d->event, st, 3)) < 0 ||
	    (error = dup_column(&d->action, st, 4)) < 0 ||
	    (error = dup_column(&d->repo, st, 5)) < 0 ||
	    (error = dup_column(&d->state, st, 6)) < 0 ||
	    (error = dup_column(&d->lease_owner, st, 11)) < 0 ||
	    (error = dup_column(&d->last_error, st, 12)) < 0)
		goto done;
	d->attempts = sqlite3_column_int(st, 7);
	d->received_at = sqlite3_column_int64(st, 8);
	d->next_attempt_at = sqlite3_column_int64(st, 9);
	d->finished_at = sqlite3_column_int64(st, 10);
	*out = d;
	d = NULL;
done:
	cl_delivery_free(d);
	return error;
}

#define ROW_COLUMNS "id, forge, delivery_id, event, action, repo, state, attempts, received_at," \
	" next_attempt_at, finished_at, lease_owner, last_error"
/* after ROW_COLUMNS where the payload is read */
#define REF_COLUMNS "body_segment, body_offset, body_length, body_check"
#define REF_COLUMN 13

/* Where a row's payload is in the body log; 0 when the row predates it (delivery_bodies). */
static int column_ref(struct cl_body_ref *ref, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return 0;
	ref->segment = sqlite3_column_int64(st, col);
	ref->offset = sqlite3_column_int64(st, col + 1);
	ref->length = sqlite3_column_int64(st, col + 2);
	ref->check = sqlite3_column_int64(st, col + 3);
	return 1;
}

/* The payload of `d`, at `ref` in the body log or, when `ref` is NULL, in delivery_bodies. */
static int load_body(struct cl_queue *q, struct cl_delivery *d, const struct cl_body_ref *ref)
{
	sqlite3_stmt *body = q->st[ST_BODY];
	int error;

	if (ref) {
		free(d->body);
		d->body = NULL;
		if ((error = cl_body_log_read(&d->body, &d->body_len, q->bodies, ref)) < 0) {
			char why[512];
			snprintf(why, sizeof(why), "%s", cl_error_last());
			return cl_error_setc(error, "delivery %lld: %s", d->id, why);
		}
		return 0;
	}
	sqlite3_bind_int64(body, 1, d->id);
	if (sqlite3_step(body) == SQLITE_ROW)
		error = copy_body(d, body, 0);
	else
		error = cl_error_from_sqlite(q->db, "store: a delivery without its body");
	sqlite3_reset(body);
	return error;
}

/* ---- claim and finish -------------------------------------------------- */

int cl_queue_claim(struct cl_delivery **out, long long *next_ms, struct cl_queue *q,
	const char *owner, long long now_ms, long long lease_ms)
{
	size_t n = 0;
	int error = cl_queue_claim_batch(out, &n, 1, next_ms, q, owner, now_ms, lease_ms);
	return error < 0 ? error : 0;
}

static int by_id(const void *a, const void *b)
{
	const struct cl_delivery *x = *(const struct cl_delivery *const *)a;
	const struct cl_delivery *y = *(const struct cl_delivery *const *)b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Park a claimed delivery whose payload cannot be read as failed, with the
 * reason, in the claim's transaction: it would fail every attempt, and it
 * must not stop the deliveries behind it.
 */
static int park_unreadable(struct cl_queue *q, const struct cl_delivery *d, const char *owner,
	long long now_ms, const char *why)
{
	sqlite3_stmt *st = q->st[ST_FAIL];
	int error = 0;

	sqlite3_bind_int64(st, 1, d->id);
	sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now_ms);
	sqlite3_bind_text(st, 4, why, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_DONE)
		error = cl_error_from_sqlite(q->db, "store: cannot park a delivery");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return error;
}

int cl_queue_claim_batch(struct cl_delivery **out, size_t *count, size_t max, long long *next_ms,
	struct cl_queue *q, const char *owner, long long now_ms, long long lease_ms)
{
	sqlite3_stmt *st = q->st[ST_CLAIM];
	struct cl_body_ref *refs = calloc(max ? max : 1, sizeof(*refs));
	char *has_ref = calloc(max ? max : 1, 1);
	size_t n, kept = 0, parked, i;
	int error, rc;

	*next_ms = 0;
	*count = 0;
	if (!refs || !has_ref) {
		free(refs);
		free(has_ref);
		return cl_error_set("out of memory");
	}
	if ((error = queue_begin(q)) < 0)
		goto out;
again:
	n = parked = 0;
	sqlite3_bind_text(st, 1, owner, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now_ms + lease_ms);
	sqlite3_bind_int64(st, 3, now_ms);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)max);
	/* the update happens at the first step; the rest hands out the RETURNING rows */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max) {
		has_ref[n] = (char)column_ref(&refs[n], st, REF_COLUMN);
		if ((error = row_to_delivery(&out[n++], st)) < 0)
			break;
	}
	if (error == 0 && rc != SQLITE_ROW && rc != SQLITE_DONE)
		error = cl_error_from_sqlite(q->db, "store: cannot claim deliveries");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	for (i = 0; i < n && error == 0; i++) {
		struct cl_delivery *d = out[i];
		out[i] = NULL;
		error = load_body(q, d, has_ref[i] ? &refs[i] : NULL);
		if (error == CL_EINVALID) {
			error = park_unreadable(q, d, owner, now_ms, cl_error_last());
			cl_delivery_free(d);
			parked++;
			continue;
		}
		out[kept++] = d;
	}
	/* every one claimed was parked: the next ready ones, each round parks at least one */
	if (error == 0 && kept == 0 && parked > 0)
		goto again;
	if (error == 0 && kept == 0) {
		sqlite3_stmt *next = q->st[ST_NEXT];
		if (sqlite3_step(next) == SQLITE_ROW)
			*next_ms = sqlite3_column_int64(next, 0);
		sqlite3_reset(next);
		error = queue_end(q, 0);
		if (error == 0)
			error = CL_ENOTFOUND;
		goto out;
	}
	if ((error = queue_end(q, error)) < 0) {
		for (i = 0; i < n; i++) {
			cl_delivery_free(out[i]);
			out[i] = NULL;
		}
		goto out;
	}
	qsort(out, kept, sizeof(*out), by_id);
	*count = kept;
out:
	free(refs);
	free(has_ref);
	return error;
}

int cl_queue_finish(struct cl_queue *q, struct cl_delivery *d, const struct cl_queue_outcome *o,
	long long now_ms)
{
	sqlite3_stmt *st;
	int error = 0;

	if (sqlite3_get_autocommit(q->db) && (error = queue_begin(q)) < 0)
		return error;
	if (o->ok)
		st = q->st[ST_DONE];
	else
		st = q->st[d->attempts >= o->max_attempts ? ST_FAIL : ST_REQUEUE];
	sqlite3_bind_int64(st, 1, d->id);
	sqlite3_bind_text(st, 2, d->lease_owner, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, o->ok || d->attempts >= o->max_attempts ? now_ms : o->retry_at);
	if (!o->ok)
		bind_text(st, 4, o->error ? o->error : "failed");
	if (sqlite3_step(st) != SQLITE_DONE)
		error = cl_error_from_sqlite(q->db, "store: cannot finish a delivery");
	else if (sqlite3_changes(q->db) != 1)
		error = cl_error_setc(CL_ENOTFOUND, "delivery %lld was reclaimed by another worker", d->id);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (error == 0 && o->ok) {
		sqlite3_stmt *log = q->st[ST_LOG];
		sqlite3_bind_int64(log, 1, d->id);
		sqlite3_bind_int64(log, 2, now_ms);
		if (sqlite3_step(log) != SQLITE_DONE)
			error = cl_error_from_sqlite(q->db, "store: cannot record a processed delivery");
		sqlite3_reset(log);
	}
	return queue_end(q, error);
}

/* ---- reclaim ----------------------------------------------------------- */

void cl_queue_owner_id(char out[320])
{
	char host[256];
	struct timespec ts;

	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &ts);
	/* the nonce tells a restarted process that reuses a pid (pid 1 in a container) from its predecessor */
	snprintf(out, 320, "%s:%ld:%lld%09ld", host, (long)getpid(), (long long)ts.tv_sec, ts.tv_nsec);
}

/* Is `owner` a process of this host that is gone? Unknown hosts wait for the lease. */
static int owner_is_dead(const char *owner, const char *self)
{
	const char *a = strrchr(owner, ':'), *b;
	const char *sa = strrchr(self, ':');
	char *end;
	long pid;
	size_t hlen;

	if (!a || !sa || !strcmp(owner, self))
		return 0;
	for (b = a - 1; b > owner && *b != ':'; b--)
		;
	if (b <= owner)
		return 0;
	hlen = (size_t)(b - owner);
	if (strncmp(owner, self, hlen) != 0 || self[hlen] != ':')
		return 0;
	errno = 0;
	pid = strtol(b + 1, &end, 10);
	if (errno || end != a || pid <= 0)
		return 0;
	if (pid == (long)getpid())
		return 1;   /* our pid, another nonce: our predecessor */
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

int cl_queue_reclaim(int *count, struct cl_queue *q, const char *self, long long now_ms)
{
	sqlite3_stmt *sel = NULL, *upd = NULL;
	int error, n = 0;

	if ((error = queue_begin(q)) < 0)
		return error;
	if (sqlite3_prepare_v2(q->db, "SELECT id, lease_owner, lease_until FROM deliveries"
			" WHERE state = 'running'", -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(q->db, "UPDATE deliveries SET state = 'queued', lease_owner = NULL,"
			" lease_until = NULL, last_error = ?2 WHERE id = ?1", -1, &upd, NULL) != SQLITE_OK) {
		error = cl_error_from_sqlite(q->db, "store: cannot reclaim deliveries");
		goto done;
	}
	while (sqlite3_step(sel) == SQLITE_ROW) {
		const char *owner = (const char *)sqlite3_column_text(sel, 1);
		long long until = sqlite3_column_int64(sel, 2);
		const char *why = NULL;
		if (until < now_ms)
			why = "lease expired; claimed again";
		else if (owner && owner_is_dead(owner, self))
			why = "the worker's process ended while running it; claimed again";
		if (!why)
			continue;
		sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
		sqlite3_bind_text(upd, 2, why, -1, SQLITE_STATIC);
		if (sqlite3_step(upd) != SQLITE_DONE) {
			error = cl_error_from_sqlite(q->db, "store: cannot reclaim a delivery");
			goto done;
		}
		sqlite3_reset(upd);
		n++;
	}
done:
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	if ((error = queue_end(q, error)) == 0)
		*count = n;
	return error;
}

/* ---- admin ------------------------------------------------------------- */

int cl_queue_list(struct cl_queue *q, const char *state, int limit, cl_delivery_cb cb, void *payload)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	if (sqlite3_prepare_v2(q->db, "SELECT " ROW_COLUMNS " FROM deliveries"
			" WHERE ?1 IS NULL OR state = ?1 ORDER BY id DESC LIMIT ?2", -1, &st, NULL) != SQLITE_OK)
		return cl_error_from_sqlite(q->db, "store: cannot list deliveries");
	bind_text(st, 1, state);
	sqlite3_bind_int(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cl_delivery *d = NULL;
		int stop;
		if ((error = row_to_delivery(&d, st)) < 0)
			goto done;
		stop = cb(d, payload);
		cl_delivery_free(d);
		if (stop)
			goto done;
	}
	if (rc != SQLITE_DONE)
		error = cl_error_from_sqlite(q->db, "store: cannot list deliveries");
done:
	sqlite3_finalize(st);
	return error;
}

int cl_queue_get(struct cl_delivery **out, struct cl_queue *q, long long id)
{
	sqlite3_stmt *st = NULL;
	int error = 0, rc;

	if (sqlite3_prepare_v2(q->db, "SELECT " ROW_COLUMNS ", " REF_COLUMNS " FROM deliveries WHERE id = ?1",
			-1, &st, NULL) != SQLITE_OK)
		return cl_error_from_sqlite(q->db, "store: cannot read a delivery");
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		struct cl_body_ref ref;
		int has_ref = column_ref(&ref, st, REF_COLUMN);
		if ((error = row_to_delivery(out, st)) == 0 &&
		    (error = load_body(q, *out, has_ref ? &ref : NULL)) < 0) {
			cl_delivery_free(*out);
			*out = NULL;
		}
	} else if (rc == SQLITE_DONE)
		error = cl_error_setc(CL_ENOTFOUND, "no delivery %lld", id);
	else
		error = cl_error_from_sqlite(q->db, "store: cannot read a delivery");
	sqlite3_finalize(st);
	return error;
}

int cl_queue_retry(struct cl_queue *q, long long id, long long now_ms)
{
	struct cl_delivery *d = NULL;
	sqlite3_stmt *st = NULL;
	int error;

	if ((error = queue_begin(q)) < 0)
		return error;
	if ((error = cl_queue_get(&d, q, id)) < 0)
		goto done;
	if (strcmp(d->state, "done") != 0 && strcmp(d->state, "failed") != 0) {
		error = cl_error_setc(CL_EINVALID, "delivery %lld is %s; only done or failed ones are retried",
			id, d->state);
		goto done;
	}
	if (sqlite3_prepare_v2(q->db, "UPDATE deliveries SET state = 'queued', attempts = 0,"
			" next_attempt_at = ?2, finished_at = NULL, last_error = NULL WHERE id = ?1",
			-1, &st, NULL) != SQLITE_OK) {
		error = cl_error_from_sqlite(q->db, "store: cannot retry a delivery");
		goto done;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now_ms);
	if (sqlite3_step(st) != SQLITE_DONE)
		error = cl_error_from_sqlite(q->db, "store: cannot retry a delivery");
done:
	sqlite3_finalize(st);
	cl_delivery_free(d);
	return queue_end(q, error);
}

int cl_queue_counts(struct cl_queue_counts *out, struct cl_queue *q)
{
	sqlite3_stmt *st = NULL;
	struct cl_queue_counts c = { 0, 0, 0, 0 };
	int rc;

	if (sqlite3_prepare_v2(q->db, "SELECT state, count(*) FROM deliveries GROUP BY state",
			-1, &st, NULL) != SQLITE_OK)
		return cl_error_from_sqlite(q->db, "store: cannot count deliveries");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		long long n = sqlite3_column_int64(st, 1);
		if (!s)
			continue;
		if (!strcmp(s, "queued"))
			c.queued = n;
		else if (!strcmp(s, "running"))
			c.running = n;
		else if (!strcmp(s, "done"))
			c.done = n;
		else if (!strcmp(s, "failed"))
			c.failed = n;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cl_error_from_sqlite(q->db, "store: cannot count deliveries");
	*out = c;
	return 0;
}

int cl_queue_ping(struct cl_queue *q)
{
	sqlite3_stmt *st = NULL;
	int rc;
	if (sqlite3_prepare_v2(q->db, "SELECT id FROM deliveries LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return cl_error_from_sqlite(q->db, "store: unreadable");
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cl_error_from_sqlite(q->db, "store: unreadable");
	return 0;
}
