/*
 * intake.c - the judge of webhook requests and the group-commit writer.
 */
#include "intake.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "error.h"

/* Most deliveries one transaction takes; more wait for the next one. */
#define INTAKE_BATCH_MAX 1024

static const struct {
	const char *name;
	int status;
} outcomes[] = {
	[CL_INTAKE_ACCEPTED] = { "accepted", 202 },
	[CL_INTAKE_DUPLICATE] = { "duplicate", 200 },
	[CL_INTAKE_PING] = { "ping", 200 },
	[CL_INTAKE_UNAUTHORIZED] = { "unauthorized", 401 },
	[CL_INTAKE_BAD_REQUEST] = { "bad_request", 400 },
	[CL_INTAKE_TOO_LARGE] = { "too_large", 413 },
	[CL_INTAKE_ERROR] = { "error", 503 },
};

const char *cl_intake_outcome_name(enum cl_intake_outcome outcome)
{
	return outcomes[outcome].name;
}

int cl_intake_outcome_status(enum cl_intake_outcome outcome)
{
	return outcomes[outcome].status;
}

/* ---- the judge --------------------------------------------------------- */

static void verdict(struct cl_intake_verdict *v, enum cl_intake_outcome outcome, const char *msg)
{
	v->outcome = outcome;
	snprintf(v->message, sizeof(v->message), "%s", msg);
}

/* Delivery ids go into replies, logs and the store: a plain token only. */
static int delivery_id_ok(const char *id)
{
	size_t i;
	if (!id || !*id || strlen(id) > CL_INTAKE_MAX_DELIVERY_ID)
		return 0;
	for (i = 0; id[i]; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') ||
		      (id[i] >= '0' && id[i] <= '9') || id[i] == '-' || id[i] == '_' || id[i] == '.'))
			return 0;
	return 1;
}

void cl_intake_judge(struct cl_intake_verdict *out, enum cl_webhook_forge forge, const char *secret,
	const struct cl_intake_headers *h, const char *body, size_t len)
{
	struct cl_webhook_key *key = NULL;

	if (secret && cl_webhook_key_new(&key, secret, strlen(secret)) < 0) {
		memset(out, 0, sizeof(*out));
		verdict(out, CL_INTAKE_ERROR, cl_error_last());
		cl_error_clear();
		return;
	}
	cl_intake_judge_key(out, forge, key, h, body, len);
	cl_webhook_key_free(key);
}

void cl_intake_judge_key(struct cl_intake_verdict *out, enum cl_webhook_forge forge,
	const struct cl_webhook_key *key, const struct cl_intake_headers *h, const char *body, size_t len)
{
	memset(out, 0, sizeof(*out));
	if (!key) {
		snprintf(out->message, sizeof(out->message),
			"no webhook secret is configured for %s", cl_webhook_forge_name(forge));
		out->outcome = CL_INTAKE_UNAUTHORIZED;
		return;
	}
	if (cl_webhook_verify_key(key, body, len, h->signature) < 0) {
		verdict(out, CL_INTAKE_UNAUTHORIZED, cl_error_last());
		cl_error_clear();
		return;
	}
	if (!h->event || !*h->event) {
		verdict(out, CL_INTAKE_BAD_REQUEST, forge == CL_FORGE_GITHUB ?
			"missing X-GitHub-Event header" : "missing X-Gitea-Event header");
		return;
	}
	if (!delivery_id_ok(h->delivery)) {
		verdict(out, CL_INTAKE_BAD_REQUEST, forge == CL_FORGE_GITHUB ?
			"missing or malformed X-GitHub-Delivery header" :
			"missing or malformed X-Gitea-Delivery header");
		return;
	}
	if (cl_webhook_decode(&out->event, forge, h->event, body, len) < 0) {
		verdict(out, CL_INTAKE_BAD_REQUEST, cl_error_last());
		cl_error_clear();
		return;
	}
	if (!strcmp(h->event, "ping")) {
		/* answered, not stored: a ping asks for nothing to be done */
		if (out->event->zen && strlen(out->event->zen) < 1024)
			out->zen = strdup(out->event->zen);
		cl_webhook_event_free(out->event);
		out->event = NULL;
		verdict(out, CL_INTAKE_PING, "pong");
		return;
	}
	verdict(out, CL_INTAKE_ACCEPTED, "accepted");
}

void cl_intake_verdict_dispose(struct cl_intake_verdict *v)
{
	cl_webhook_event_free(v->event);
	free(v->zen);
	v->event = NULL;
	v->zen = NULL;
}

/* ---- the writer -------------------------------------------------------- */

struct cl_intake {
	struct cl_queue *queue;
	pthread_mutex_t lock;
	pthread_cond_t more;
	struct cl_intake_job *head, *tail;
	int stopping;
	pthread_t thread;
	int started;
	void (*committed)(void *arg);
	void *committed_arg;
};

/* Call `done` for a chain of jobs; each job may be freed by its callback. */
static void finish_chain(struct cl_intake_job *job, int error)
{
	while (job) {
		struct cl_intake_job *next = job->next;
		if (error < 0)
			job->error = error;
		job->done(job, job->arg);
		job = next;
	}
}

static void *intake_main(void *arg)
{
	struct cl_intake *in = arg;
	struct cl_queue_insert *rows = calloc(INTAKE_BATCH_MAX, sizeof(*rows));
	struct cl_intake_job *jobs[INTAKE_BATCH_MAX];

	for (;;) {
		struct cl_intake_job *job;
		size_t n = 0, i, fresh = 0;
		int error;

		pthread_mutex_lock(&in->lock);
		while (!in->head && !in->stopping)
			pthread_cond_wait(&in->more, &in->lock);
		if (!in->head && in->stopping) {
			pthread_mutex_unlock(&in->lock);
			break;
		}
		while (in->head && n < INTAKE_BATCH_MAX) {
			job = in->head;
			in->head = job->next;
			job->next = NULL;
			jobs[n++] = job;
		}
		if (!in->head)
			in->tail = NULL;
		pthread_mutex_unlock(&in->lock);

		if (!rows) {
			error = cl_error_set("out of memory");
		} else {
			for (i = 0; i < n; i++)
				rows[i] = jobs[i]->row;
			error = cl_queue_insert_batch(in->queue, rows, n);
		}
		if (error < 0)
			fprintf(stderr, "level=error component=intake msg=\"cannot store %zu deliveries: %s\"\n",
				n, cl_error_last());
		for (i = 0; i < n; i++) {
			jobs[i]->error = error < 0 ? error : 0;
			if (error >= 0) {
				jobs[i]->row.inserted = rows[i].inserted;
				jobs[i]->row.id = rows[i].id;
				fresh += (size_t)rows[i].inserted;
			}
		}
		if (fresh && in->committed)
			in->committed(in->committed_arg);
		for (i = 0; i < n; i++)
			jobs[i]->done(jobs[i], jobs[i]->arg);   /* last touch: the job may be gone after */
	}
	free(rows);
	return NULL;
}

int cl_intake_new(struct cl_intake **out, const char *db_path, enum cl_db_sync sync,
	pthread_mutex_t *write_lock, void (*committed)(void *arg), void *committed_arg)
{
	struct cl_intake *in = calloc(1, sizeof(*in));
	struct cl_db_options opts = CL_DB_OPTIONS_INIT;
	int error = 0;

	CL_CHECK_ALLOC(in);
	pthread_mutex_init(&in->lock, NULL);
	pthread_cond_init(&in->more, NULL);
	in->committed = committed;
	in->committed_arg = committed_arg;
	/* no checkpoints in the writer's commits: the server's checkpointer
	 * thread does them (checkpointer.h) */
	opts.sync = sync;
	opts.checkpoint_pages = -1;
	opts.page_size = CL_QUEUE_PAGE_SIZE;
	if ((error = cl_queue_open_opts(&in->queue, db_path, &opts, write_lock)) < 0)
		goto done;
	/* no journal_size_limit: cutting a big WAL back inside a commit stalled
	 * every waiting request (checkpointer.h does it when idle) */
	if (pthread_create(&in->thread, NULL, intake_main, in) != 0) {
		error = cl_error_set("cannot start the intake writer thread");
		goto done;
	}
	in->started = 1;
	*out = in;
	in = NULL;
done:
	cl_intake_free(in);
	return error;
}

void cl_intake_submit(struct cl_intake *in, struct cl_intake_job *job)
{
	job->next = NULL;
	job->error = 0;
	pthread_mutex_lock(&in->lock);
	if (in->stopping) {
		pthread_mutex_unlock(&in->lock);
		finish_chain(job, cl_error_set("the intake is shutting down"));
		return;
	}
	if (in->tail)
		in->tail->next = job;
	else
		in->head = job;
	in->tail = job;
	pthread_cond_signal(&in->more);
	pthread_mutex_unlock(&in->lock);
}

void cl_intake_shutdown(struct cl_intake *in)
{
	pthread_mutex_lock(&in->lock);
	in->stopping = 1;
	pthread_cond_signal(&in->more);
	pthread_mutex_unlock(&in->lock);
	if (in->started)
		pthread_join(in->thread, NULL);
	in->started = 0;
}

void cl_intake_free(struct cl_intake *in)
{
	if (!in)
		return;
	cl_intake_shutdown(in);
	cl_queue_close(in->queue);
	pthread_cond_destroy(&in->more);
	pthread_mutex_destroy(&in->lock);
	free(in);
}
