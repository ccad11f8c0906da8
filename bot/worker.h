/*
 * worker.h - threads that take deliveries off the queue and process them.
 *
 * Layer rule: bot/ module over queue.h. What "processing" means is not
 * here: it is the `process` function the server is started with (the
 * integration point for pull-request and push handling). The workers own
 * claiming, retries with exponential backoff, parking as failed, and the
 * exactly-once bookkeeping:
 *
 * - A delivery's move to done, its row in processed_events and the
 *   processing function's own store writes commit in one transaction when
 *   the function opens it with cl_delivery_begin(); a kill -9 before that commit leaves the delivery
 *   running under a dead owner, which the next start claims again, and
 *   none of the function's writes. So store effects happen exactly once.
 * - Side effects outside the store (forge API calls) cannot join that
 *   transaction: a crash after the call and before the commit repeats the
 *   call. They are at-least-once; a processing function makes them
 *   idempotent through the delivery id and the finding keys (find the
 *   comment or issue again through its hidden marker before creating one).
 */
#ifndef CL_WORKER_H
#define CL_WORKER_H

#include <pthread.h>

#include "db.h"
#include "queue.h"

/*
 * Process one delivery. d->db is the worker's own connection to the store;
 * call cl_delivery_begin(d) before writing to it so the writes commit with
 * the delivery's completion. Return 0 when done, or a negative code with
 * cl_error_set() describing the failure: the delivery is retried later
 * until the attempts are used up, then parked as failed with that message.
 * Called from several worker threads at once.
 */
typedef int (*cl_process_fn)(const struct cl_delivery *d, void *payload);

/* Observer of each processed attempt (metrics); may be NULL. */
typedef void (*cl_worker_observe_fn)(const struct cl_delivery *d, int outcome,
	double seconds, void *payload);
enum { CL_WORKER_DONE = 0, CL_WORKER_RETRY, CL_WORKER_FAILED };

struct cl_worker_options {
	unsigned int threads;
	unsigned int max_attempts;
	unsigned int retry_base_ms, retry_max_ms;
	unsigned int lease_seconds;
	enum cl_db_sync sync;
	cl_process_fn process;       /* NULL: cl_worker_default_process */
	void *process_payload;
	cl_worker_observe_fn observe;
	void *observe_payload;
	int checkpoints;             /* 1: the workers' commits checkpoint the WAL themselves;
	                                0: another thread does (the server's checkpointer) */
};
#define CL_WORKER_OPTIONS_INIT { 2, 5, 1000, 300000, 600, CL_DB_SYNC_NORMAL, NULL, NULL, NULL, NULL, 1 }

struct cl_workers;

/*
 * Reclaim deliveries left running by dead processes, then start the
 * threads on the store at `db_path`.
 * @param write_lock the process's store write lock (see queue.h)
 */
int cl_workers_start(struct cl_workers **out, const char *db_path, pthread_mutex_t *write_lock,
	const struct cl_worker_options *opts);

/* Wake idle workers: new deliveries were committed. Thread-safe. */
void cl_workers_notify(struct cl_workers *w);

/* Let each thread finish its current delivery, then join and free. NULL ok. */
void cl_workers_stop(struct cl_workers *w);

/*
 * The processing function when the server is started without one (tests,
 * a bot with no forge wired in): it decodes the payload, a payload that no
 * longer decodes being a failure. Like every processing, its completion is
 * recorded in processed_events by the worker. bot/bot.h's cl_bot_process
 * is the real one, which `clearance serve` uses.
 */
int cl_worker_default_process(const struct cl_delivery *d, void *payload);

/* Delay before attempt `attempts` + 1: base * 2^(attempts-1), capped. */
long long cl_worker_backoff_ms(unsigned int attempts, unsigned int base_ms, unsigned int max_ms);

#endif
