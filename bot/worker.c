/*
 * worker.c - the worker threads and the default processing function.
 */
#include "worker.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "webhook.h"

struct cl_workers {
	struct cl_worker_options opts;
	char *db_path;
	pthread_mutex_t *write_lock;
	char owner[320];

	pthread_mutex_t lock;
	pthread_cond_t wake;
	unsigned long long generation;   /* bumped by notify; a waiter rechecks when it moved */
	int stopping;

	pthread_t *threads;
	unsigned int started;
	long long next_reclaim_ms;   /* under lock: when a worker next looks for abandoned claims */
};

/*
 * Deliveries one claim takes: one transaction instead of eight. Small, so
 * that a backlog still spreads over the workers and a crash leaves few
 * claims to take back.
 */
#define CLAIM_BATCH 8

/* How often a running server looks for claims abandoned by other processes. */
#define RECLAIM_EVERY_MS 30000

long long cl_worker_backoff_ms(unsigned int attempts, unsigned int base_ms, unsigned int max_ms)
{
	long long delay = base_ms;
	unsigned int i;
	for (i = 1; i < attempts && delay < max_ms; i++)
		delay *= 2;
	return delay > max_ms ? max_ms : delay;
}

int cl_worker_default_process(const struct cl_delivery *d, void *payload)
{
	struct cl_webhook_event *ev = NULL;
	enum cl_webhook_forge forge = strcmp(d->forge, "gitea") == 0 ? CL_FORGE_GITEA : CL_FORGE_GITHUB;
	int error;

	(void)payload;
	/* a stored payload that no longer decodes (a newer decoder is stricter) fails loudly */
	if ((error = cl_webhook_decode(&ev, forge, d->event, d->body, d->body_len)) < 0)
		return error;
	cl_webhook_event_free(ev);
	return 0;   /* the worker records the event in processed_events as it marks it done */
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void log_line(const char *level, const struct cl_delivery *d, const char *msg)
{
	/* one line per event, key=value; the body and any secret stay out */
	fprintf(stderr, "level=%s component=worker delivery=%lld forge=%s delivery_id=%s event=%s"
		" attempt=%d msg=\"%s\"\n", level, d->id, d->forge, d->delivery_id, d->event,
		d->attempts, msg);
}

static void worker_run_one(struct cl_workers *w, struct cl_queue *q, struct cl_delivery *d)
{
	struct cl_queue_outcome o = { 0, NULL, (int)w->opts.max_attempts, 0 };
	cl_process_fn process = w->opts.process ? w->opts.process : cl_worker_default_process;
	struct timespec t0;
	char *message = NULL;
	int rc, error, outcome;

	d->db = cl_queue_db(q);
	d->queue = q;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cl_error_clear();
	rc = process(d, w->opts.process_payload);
	if (rc < 0) {
		/* keep the message: the rollback below may overwrite the error slot */
		message = strdup(*cl_error_last() ? cl_error_last() : "processing failed");
		cl_queue_rollback(q);
	}
	o.ok = rc >= 0;
	o.error = message ? message : "processing failed";
	o.retry_at = cl_queue_now_ms() + cl_worker_backoff_ms((unsigned int)d->attempts,
		w->opts.retry_base_ms, w->opts.retry_max_ms);
	outcome = o.ok ? CL_WORKER_DONE :
		d->attempts >= (int)w->opts.max_attempts ? CL_WORKER_FAILED : CL_WORKER_RETRY;
	if ((error = cl_queue_finish(q, d, &o, cl_queue_now_ms())) < 0)
		log_line("error", d, cl_error_last());
	else if (!o.ok)
		log_line(outcome == CL_WORKER_FAILED ? "error" : "warn", d, o.error);
	if (error >= 0 && w->opts.observe)
		w->opts.observe(d, outcome, seconds_since(&t0), w->opts.observe_payload);
	free(message);
}

/* Sleep until notified, stopped, or `until_ms` (unix ms; 0: a second). */
static void worker_wait(struct cl_workers *w, unsigned long long seen, long long until_ms)
{
	struct timespec ts;
	long long now = cl_queue_now_ms(), wait_ms;

	wait_ms = until_ms > now ? until_ms - now : (until_ms ? 1 : 1000);
	if (wait_ms > 1000)
		wait_ms = 1000;   /* a retry another process queued (deliveries retry) is seen within a second */
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += wait_ms / 1000;
	ts.tv_nsec += (wait_ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&w->lock);
	while (!w->stopping && w->generation == seen)
		if (pthread_cond_timedwait(&w->wake, &w->lock, &ts) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&w->lock);
}

static void *worker_main(void *arg)
{
	struct cl_workers *w = arg;
	struct cl_queue *q = NULL;
	struct cl_db_options dbo = CL_DB_OPTIONS_INIT;
	long long lease_ms = (long long)w->opts.lease_seconds * 1000;

	/* a checkpoint inside a commit would hold the process's write lock,
	 * and with it the intake: checkpoints are the server's job (server.h) */
	dbo.sync = w->opts.sync;
	dbo.checkpoint_pages = w->opts.checkpoints ? 0 : -1;
	dbo.page_size = CL_QUEUE_PAGE_SIZE;
	if (cl_queue_open_opts(&q, w->db_path, &dbo, w->write_lock) < 0) {
		fprintf(stderr, "level=error component=worker msg=\"%s\"\n", cl_error_last());
		return NULL;
	}
	for (;;) {
		struct cl_delivery *batch[CLAIM_BATCH];
		size_t nbatch = 0;
		unsigned long long seen;
		long long next_ms = 0;
		int rc;

		int reclaim = 0, n = 0;

		pthread_mutex_lock(&w->lock);
		seen = w->generation;
		rc = w->stopping;
		if (cl_queue_now_ms() >= w->next_reclaim_ms) {
			/* one worker at a time: another bot instance on the same store may have died */
			w->next_reclaim_ms = cl_queue_now_ms() + RECLAIM_EVERY_MS;
			reclaim = 1;
		}
		pthread_mutex_unlock(&w->lock);
		if (rc)
			break;
		if (reclaim && cl_queue_reclaim(&n, q, w->owner, cl_queue_now_ms()) == 0 && n > 0)
			fprintf(stderr, "level=info component=worker msg=\"reclaimed %d abandoned deliveries\"\n", n);
		rc = cl_queue_claim_batch(batch, &nbatch, CLAIM_BATCH, &next_ms, q, w->owner,
			cl_queue_now_ms(), lease_ms);
		if (rc == 0) {
			size_t i;
			for (i = 0; i < nbatch; i++) {
				worker_run_one(w, q, batch[i]);
				cl_delivery_free(batch[i]);
			}
			continue;
		}
		if (rc != CL_ENOTFOUND) {
			fprintf(stderr, "level=error component=worker msg=\"%s\"\n", cl_error_last());
			next_ms = cl_queue_now_ms() + 1000;
		}
		worker_wait(w, seen, next_ms);
	}
	cl_queue_close(q);
	return NULL;
}

int cl_workers_start(struct cl_workers **out, const char *db_path, pthread_mutex_t *write_lock,
	const struct cl_worker_options *opts)
{
	struct cl_worker_options defaults = CL_WORKER_OPTIONS_INIT;
	struct cl_workers *w = calloc(1, sizeof(*w));
	struct cl_queue *q = NULL;
	int error = 0, reclaimed = 0;
	unsigned int i;

	CL_CHECK_ALLOC(w);
	w->opts = opts ? *opts : defaults;
	w->write_lock = write_lock;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	cl_queue_owner_id(w->owner);
	w->db_path = strdup(db_path);
	CL_CHECK_ALLOC(w->db_path);

	if ((error = cl_queue_open(&q, db_path, w->opts.sync, write_lock)) < 0 ||
	    (error = cl_queue_reclaim(&reclaimed, q, w->owner, cl_queue_now_ms())) < 0)
		goto done;
	if (reclaimed > 0)
		fprintf(stderr, "level=info component=worker msg=\"reclaimed %d deliveries left running\"\n",
			reclaimed);
	w->next_reclaim_ms = cl_queue_now_ms() + RECLAIM_EVERY_MS;

	if (w->opts.threads > 0) {
		w->threads = calloc(w->opts.threads, sizeof(*w->threads));
		CL_CHECK_ALLOC(w->threads);
	}
	for (i = 0; i < w->opts.threads; i++) {
		if (pthread_create(&w->threads[i], NULL, worker_main, w) != 0) {
			error = cl_error_set("cannot start worker thread");
			goto done;
		}
		w->started++;
	}
	*out = w;
	w = NULL;
done:
	cl_queue_close(q);
	cl_workers_stop(w);
	return error;
}

void cl_workers_notify(struct cl_workers *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->generation++;
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

void cl_workers_stop(struct cl_workers *w)
{
	unsigned int i;
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->lock);
	for (i = 0; i < w->started; i++)
		pthread_join(w->threads[i], NULL);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w->threads);
	free(w->db_path);
	free(w);
}
