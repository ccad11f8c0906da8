/*
 * http_client.h - the bot's one HTTP client (libcurl), for forge APIs.
 *
 * Layer rule: bot-only; knows HTTP, not any forge. It retries what is worth
 * retrying (transport failures, 5xx, 429, GitHub's rate limits) with
 * backoff, caps every response, finds the `Link: rel="next"` page, counts
 * calls by status for /metrics, and keeps secrets out of every log line and
 * error message it writes. Sleeping and the clock go through a table
 * (struct cl_http_sys) so tests never actually wait.
 *
 * Thread-safety: one client may be shared by several threads; each request
 * uses its own curl handle, and counters and secrets are under a mutex.
 */
#ifndef CL_HTTP_CLIENT_H
#define CL_HTTP_CLIENT_H

#include "buf.h"

#include <stddef.h>
#include <time.h>

struct cl_http_client;

/* Injectable system calls (STYLE.md 3): NULL members mean the real ones. */
struct cl_http_sys {
	void (*sleep_ms)(unsigned long ms, void *ctx);
	time_t (*now)(void *ctx);
	void *ctx;
};

/* One log line per attempt and per wait; already redacted. Called from
 * whichever thread made the request: must be thread-safe. */
typedef void (*cl_http_log_cb)(const char *line, void *payload);

struct cl_http_options {
	const char *user_agent;        /* required by GitHub; default "clearance" */
	long connect_timeout_ms;       /* default 10 s */
	long timeout_ms;               /* whole request; default 30 s */
	unsigned int max_retries;      /* attempts after the first; default 3 */
	unsigned long backoff_base_ms; /* first backoff wait; default 500 ms, doubled each retry */
	unsigned long backoff_max_ms;  /* cap on one backoff wait; default 30 s */
	/*
	 * Longest wait a server may ask for (Retry-After, X-RateLimit-Reset).
	 * A longer one fails at once with CL_ERATELIMITED rather than parking a
	 * worker for up to an hour; the delivery queue retries later. Default 60 s.
	 */
	unsigned long max_wait_ms;
	size_t max_response;           /* response body cap; default 16 MiB */
	const struct cl_http_sys *sys; /* NULL: real sleep and clock */
	cl_http_log_cb log;            /* NULL: no logging */
	void *log_payload;
};

#define CL_HTTP_OPTIONS_INIT { NULL, 0, 0, 3, 0, 0, 0, 0, NULL, NULL, NULL }

/* Returned when the server rate-limits for longer than max_wait_ms. */
#define CL_ERATELIMITED (-40)

struct cl_http_request {
	const char *method;            /* "GET", "POST", "PATCH", "PUT", "DELETE" */
	const char *url;
	const char *const *headers;    /* NULL-terminated "Name: value" lines, or NULL */
	const char *body;              /* NULL: no body */
	size_t body_len;
};

#define CL_HTTP_REQUEST_INIT { "GET", NULL, NULL, NULL, 0 }

/* Caller-owned; cl_http_response_dispose frees what the client filled in. */
struct cl_http_response {
	long status;
	struct cl_buf body;
	char *next_url;        /* the Link header's rel="next" target, or NULL */
	unsigned int attempts; /* how many times the request was sent */
};

#define CL_HTTP_RESPONSE_INIT { 0, CL_BUF_INIT, NULL, 0 }

void cl_http_response_dispose(struct cl_http_response *resp);

/* Counters for /metrics: calls by final HTTP status of each attempt. */
struct cl_http_counts {
	unsigned long by_status[600]; /* index = status code (100..599) */
	unsigned long transport_errors; /* no HTTP answer at all */
	unsigned long retries;          /* attempts beyond the first */
	unsigned long rate_limited;     /* 429 and 403 rate-limit answers */
};

/*
 * Create a client. Calls curl_global_init (reference-counted by libcurl,
 * thread-safe since 7.84).
 * @return 0, or CL_ERROR (options invalid, out of memory, curl failed)
 */
int cl_http_client_new(struct cl_http_client **out, const struct cl_http_options *opts);
void cl_http_client_free(struct cl_http_client *client);

/*
 * Register a secret (a token, a JWT): from now on it is replaced by
 * "[REDACTED]" in every log line and error message the client writes.
 * @return 0, or CL_ERROR when out of memory
 */
int cl_http_client_add_secret(struct cl_http_client *client, const char *secret);

/*
 * Send a request, retrying transport failures, 5xx, 429 and rate-limit
 * 403s with exponential backoff (or the server's Retry-After /
 * X-RateLimit-Reset, whichever it gave) up to max_retries.
 * @return 0 when a final HTTP answer arrived (out->status says which: 2xx,
 *         or a 4xx that is not worth retrying); CL_ERROR for transport
 *         failures and retryable statuses that outlived the retries;
 *         CL_ETOOBIG when the body passed max_response; CL_ERATELIMITED.
 *         On error, `out` is left disposed. Messages name the method and the
 *         redacted URL, never a secret.
 */
int cl_http_client_send(struct cl_http_response *out, struct cl_http_client *client,
	const struct cl_http_request *req);

/* A snapshot of the counters. */
void cl_http_client_counts(struct cl_http_counts *out, struct cl_http_client *client);

/*
 * Write `text` into `out` with the client's secrets, URL credentials
 * (`user:pass@`) and secret-looking query values (token=, access_token=,
 * client_secret=, jwt=, password=, sig=) replaced. `client` may be NULL.
 * @return 0, or an error from cl_buf
 */
int cl_http_redact(struct cl_buf *out, struct cl_http_client *client, const char *text);

/*
 * The rel="next" target of a Link header value, or NULL (no next page or
 * out of memory). Exposed for tests; free() the result.
 */
char *cl_http_link_next(const char *link);

#endif
