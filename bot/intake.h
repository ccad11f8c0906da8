/*
 * intake.h - deciding whether a webhook request is accepted, and storing the
 * accepted ones durably with group commit.
 *
 * Layer rule: bot/ module between the HTTP server (server.c, which knows
 * libmicrohttpd) and the queue (queue.h, which knows SQLite). Nothing here
 * knows HTTP connections: the judge takes header values and the raw body,
 * the writer takes jobs and calls back when they are durable.
 *
 * Group commit: one writer thread owns the intake's store connection. Jobs
 * submitted while it commits wait in a list; it takes them all and inserts
 * them in one transaction, then calls every job's `done`. A durable
 * delivery then costs one commit (one WAL fsync with durability power, a
 * write() with process) shared by all requests that arrived meanwhile, and
 * each reply still waits for its own row to be committed.
 */
#ifndef CL_INTAKE_H
#define CL_INTAKE_H

#include <pthread.h>
#include <stddef.h>

#include "db.h"
#include "queue.h"
#include "webhook.h"

enum cl_intake_outcome {
	CL_INTAKE_ACCEPTED = 0,   /* 202, stored */
	CL_INTAKE_DUPLICATE,      /* 200, this delivery id was stored before */
	CL_INTAKE_PING,           /* 200, answered, not stored */
	CL_INTAKE_UNAUTHORIZED,   /* 401: no, malformed or wrong signature; no secret configured */
	CL_INTAKE_BAD_REQUEST,    /* 400: headers missing, payload not JSON / too deep / wrong shape */
	CL_INTAKE_TOO_LARGE,      /* 413 */
	CL_INTAKE_ERROR           /* 503: the store failed; the forge will redeliver */
};

/* Outcome name for logs and metrics ("accepted", "unauthorized", ...). */
const char *cl_intake_outcome_name(enum cl_intake_outcome outcome);
/* HTTP status of an outcome. */
int cl_intake_outcome_status(enum cl_intake_outcome outcome);

/* The header values the intake reads; NULL when absent. */
struct cl_intake_headers {
	const char *signature;   /* X-Hub-Signature-256, X-Gitea-Signature, X-Forgejo-Signature */
	const char *event;       /* X-GitHub-Event, X-Gitea-Event, X-Forgejo-Event */
	const char *delivery;    /* X-GitHub-Delivery, X-Gitea-Delivery, X-Forgejo-Delivery */
};

/* Longest delivery id kept; GitHub and Gitea send 36-character UUIDs. */
#define CL_INTAKE_MAX_DELIVERY_ID 128

struct cl_intake_verdict {
	enum cl_intake_outcome outcome;   /* ACCEPTED here means "store it" */
	char message[256];               /* why, for the reply and the log; no secrets */
	char *zen;                       /* ping: GitHub's zen line when present (malloc'd) */
	struct cl_webhook_event *event;  /* ACCEPTED: the decoded payload */
};

/*
 * Judge a complete request: signature (constant-time, over the raw body),
 * required headers, then the payload. Checks run in that order, so nothing
 * unauthenticated reaches the JSON parser.
 * @param secret the forge's webhook secret; NULL refuses everything (401)
 * Free the verdict with cl_intake_verdict_dispose. Thread-safe.
 */
void cl_intake_judge(struct cl_intake_verdict *out, enum cl_webhook_forge forge, const char *secret,
	const struct cl_intake_headers *h, const char *body, size_t len);
/* The same with the secret keyed once (cl_webhook_key_new), as the server
 * does: NULL refuses everything (401). Thread-safe. */
void cl_intake_judge_key(struct cl_intake_verdict *out, enum cl_webhook_forge forge,
	const struct cl_webhook_key *key, const struct cl_intake_headers *h, const char *body, size_t len);
void cl_intake_verdict_dispose(struct cl_intake_verdict *v);

/* A delivery waiting to be stored. `row`'s strings must stay valid until `done`. */
struct cl_intake_job {
	struct cl_queue_insert row;
	int error;          /* out: 0 stored (row.inserted tells new or duplicate), < 0 not stored */
	void (*done)(struct cl_intake_job *job, void *arg);   /* from the writer thread; last touch */
	void *arg;
	struct cl_intake_job *next;   /* private */
};

struct cl_intake;

/*
 * Start the writer on the store at `db_path`.
 * @param committed called (from the writer) after each batch with new rows, to wake workers
 */
int cl_intake_new(struct cl_intake **out, const char *db_path, enum cl_db_sync sync,
	pthread_mutex_t *write_lock, void (*committed)(void *arg), void *committed_arg);

/* Queue a job; `done` is called once it is committed or failed. After
 * cl_intake_free began, jobs fail at once. Thread-safe. */
void cl_intake_submit(struct cl_intake *in, struct cl_intake_job *job);

/* Commit what is pending and stop the writer; jobs submitted afterwards
 * fail at once. Idempotent. */
void cl_intake_shutdown(struct cl_intake *in);

/* Shut down (if not yet) and free. NULL is a no-op. */
void cl_intake_free(struct cl_intake *in);

#endif
