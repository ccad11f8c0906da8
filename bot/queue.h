/*
 * queue.h - the durable delivery queue in the SQLite store.
 *
 * Layer rule: bot/ module over lib/db.h. The intake inserts deliveries, the
 * workers claim and finish them, `clearance deliveries` reads and replays
 * them; all through here, so the states and their moves live in one file:
 *
 *   queued --claim--> running --finish ok--> done
 *                        |  \--finish error, attempts left--> queued (later)
 *                        |  \--finish error, none left------> failed
 *                        \--owner died or lease expired--> queued (reclaim)
 *   failed/done --retry (admin)--> queued
 *
 * Payloads are kept in the body log beside the store (body_log.h), written
 * before the rows that point at them commit.
 *
 * Each thread opens its own struct cl_queue (one SQLite connection). The
 * threads of one process share a write lock (pthread mutex) so that they
 * take turns on the store's single writer slot without SQLite's busy
 * back-off sleeps, which would show up as intake latency.
 */
#ifndef CL_QUEUE_H
#define CL_QUEUE_H

#include <pthread.h>
#include <sqlite3.h>
#include <stddef.h>

#include "db.h"

struct cl_queue;

/* One delivery as stored. Strings are owned by the record. */
struct cl_delivery {
	long long id;               /* the store's row id, what `deliveries show` takes */
	char *forge;                /* "github", "gitea" */
	char *delivery_id;          /* the forge's X-*-Delivery */
	char *event, *action, *repo;
	char *state;                /* queued, running, done, failed */
	int attempts;               /* claims so far, this one included */
	long long received_at, next_attempt_at, finished_at;  /* unix ms; 0 when unset */
	char *lease_owner;
	char *last_error;
	char *body;                 /* the raw payload as received, NUL-terminated */
	size_t body_len;

	/*
	 * Set by the worker for the processing function: its own connection to
	 * the store, and the queue it belongs to (for cl_delivery_begin).
	 */
	sqlite3 *db;
	struct cl_queue *queue;
};

void cl_delivery_free(struct cl_delivery *d);

/*
 * Open the store at `path` (creating it and the queue's tables).
 * @param write_lock shared by the threads of this process; NULL when the
 *   connection is the process's only writer (the CLI)
 */
int cl_queue_open(struct cl_queue **out, const char *path, enum cl_db_sync sync,
	pthread_mutex_t *write_lock);
/*
 * Page size of a store the queue creates: SQLite's 4 KB. The rows are
 * small since payloads went to the body log; and when payloads were still
 * in rows, 16 KB pages (a 25 KB payload in two pages instead of seven)
 * measured slower anyway, 8,800 deliveries/s against 10,100, since every
 * commit rewrites whole index pages.
 */
#define CL_QUEUE_PAGE_SIZE 4096

/* The same, with the store's options (durability, checkpointing) spelled out. */
int cl_queue_open_opts(struct cl_queue **out, const char *path, const struct cl_db_options *opts,
	pthread_mutex_t *write_lock);
void cl_queue_close(struct cl_queue *q);

/*
 * Copy committed WAL pages into the database file without blocking writers
 * (a PASSIVE checkpoint). For a thread of its own when the writers' own
 * checkpoints are off (checkpoint_pages = -1): the copy and its fsync then
 * stay out of their commits. *wal_bytes (may be NULL) receives how much
 * the WAL holds, *behind (may be NULL) how much of that is not copied yet.
 * @return 0 or CL_ERROR
 */
int cl_queue_checkpoint(struct cl_queue *q, long long *wal_bytes, long long *behind);

/*
 * Flush the database file to disk (through SQLite's own file handle: a
 * second descriptor, once closed, would drop SQLite's POSIX locks). A
 * passive pass that never reaches the WAL's end (commits keep coming)
 * never syncs the database file, so written pages pile up for the one
 * pass that does; syncing between passes keeps that pass short.
 * @return 0 or CL_ERROR
 */
int cl_queue_sync_db(struct cl_queue *q);

/*
 * Copy the whole WAL and cut its file to nothing (a TRUNCATE checkpoint):
 * for a moment without writers (the caller holds their lock). Readers in
 * the WAL make it give up; a later round tries again. @return 0 or CL_ERROR
 */
int cl_queue_checkpoint_truncate(struct cl_queue *q);
sqlite3 *cl_queue_db(struct cl_queue *q);

/* One delivery for cl_queue_insert_batch; `inserted` and `id` are outputs. */
struct cl_queue_insert {
	const char *forge, *delivery_id, *event, *action, *repo;  /* action, repo may be NULL */
	const char *body;
	size_t body_len;
	long long received_at;      /* unix ms */
	int inserted;               /* out: 1 new, 0 the (forge, delivery id) was known */
	long long id;               /* out: the row, new or old */
};

/*
 * Insert deliveries in one transaction (group commit): all are durable, at
 * the store's durability, when this returns 0; none are when it fails.
 * A delivery id already stored (or repeated in the batch) is not inserted
 * again and comes back with inserted = 0.
 */
int cl_queue_insert_batch(struct cl_queue *q, struct cl_queue_insert *items, size_t count);

/*
 * Claim the oldest ready delivery (queued, next_attempt_at <= now): it
 * becomes running under `owner` until now + lease_ms, its attempts + 1.
 * @return 0; CL_ENOTFOUND when nothing is ready (*next_ms then holds the
 *   earliest next_attempt_at of a queued delivery, or 0 when none).
 */
int cl_queue_claim(struct cl_delivery **out, long long *next_ms, struct cl_queue *q,
	const char *owner, long long now_ms, long long lease_ms);

/*
 * Claim up to `max` ready deliveries in one transaction, oldest first, into
 * out[0..*count). Same moves and return codes as cl_queue_claim; each claim
 * is then finished on its own.
 */
int cl_queue_claim_batch(struct cl_delivery **out, size_t *count, size_t max, long long *next_ms,
	struct cl_queue *q, const char *owner, long long now_ms, long long lease_ms);

/*
 * Take the store's write lock and open a write transaction on d->db, for a
 * processing function whose own store writes must commit together with the
 * delivery's move to done (the worker commits or rolls back). Call it after
 * any forge calls: the lock stops every other writer, the intake included.
 */
int cl_delivery_begin(struct cl_delivery *d);

/* Roll back the transaction cl_delivery_begin opened, if any, releasing the lock. */
void cl_queue_rollback(struct cl_queue *q);

/* What the worker does once the processing function has returned. */
struct cl_queue_outcome {
	int ok;                     /* 1: done */
	const char *error;          /* when not ok: the message kept as last_error */
	int max_attempts;           /* not ok and attempts >= this: failed */
	long long retry_at;         /* not ok and attempts left: next_attempt_at */
};

/*
 * Finish a claimed delivery, in the transaction cl_delivery_begin opened
 * (if any; otherwise in one of its own). Done deliveries also get their row
 * in processed_events, in that transaction. The move happens only while the
 * row is still running under d->lease_owner: if it was reclaimed meanwhile,
 * nothing is written (the processor's writes are rolled back too) and
 * CL_ENOTFOUND is returned, since the other claimant owns the delivery.
 */
int cl_queue_finish(struct cl_queue *q, struct cl_delivery *d, const struct cl_queue_outcome *o,
	long long now_ms);

/*
 * Put running deliveries back to queued when their lease expired or their
 * owner is a process of this host that no longer runs (a kill -9). `self`
 * is this process's owner id. *count gets how many moved.
 */
int cl_queue_reclaim(int *count, struct cl_queue *q, const char *self, long long now_ms);

/* This process's owner id: "host:pid:nonce". `out` holds 320 bytes. */
void cl_queue_owner_id(char out[320]);

/* Deliveries newest first, `state` NULL for all; cb returns nonzero to stop. */
typedef int (*cl_delivery_cb)(const struct cl_delivery *d, void *payload);
int cl_queue_list(struct cl_queue *q, const char *state, int limit, cl_delivery_cb cb, void *payload);

/* One delivery by row id, body included. @return 0 or CL_ENOTFOUND */
int cl_queue_get(struct cl_delivery **out, struct cl_queue *q, long long id);

/* Queue a done or failed delivery again now (attempts reset). @return 0,
 * CL_ENOTFOUND, or CL_EINVALID when it is queued or running. */
int cl_queue_retry(struct cl_queue *q, long long id, long long now_ms);

/* How many deliveries are in each state. */
struct cl_queue_counts { long long queued, running, done, failed; };
int cl_queue_counts(struct cl_queue_counts *out, struct cl_queue *q);

/* Can the store be read? A cheap query for /healthz. @return 0 or CL_ERROR */
int cl_queue_ping(struct cl_queue *q);

/* Unix time in milliseconds. */
long long cl_queue_now_ms(void);

#endif
