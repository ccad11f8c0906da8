/*
 * dashboard.h - the OSPO's read-only dashboard, GET /dashboard (docs/bot.md
 * "Dashboard"): approvals by state and expiring, outbound contributions per
 * project and per month (an inline SVG bar chart), the latest overrides,
 * deliveries and failures.
 *
 * Layer rule: bot/ module over the store (queue.h, events.h and the
 * approvals tables, read only) and lib/template.h. It knows nothing of
 * libmicrohttpd: server.c hands it the request's few inputs and sends the
 * reply it describes, so every decision (access, headers, the page) is
 * here and testable without a socket.
 *
 * The page is rendered from templates/dashboard.html with HTML escaping on
 * every value; it loads no external asset and runs no script, and its
 * headers forbid both (Content-Security-Policy).
 */
#ifndef CL_BOT_DASHBOARD_H
#define CL_BOT_DASHBOARD_H

#include <jansson.h>
#include <stdint.h>

#include "buf.h"
#include "queue.h"

/* The cookie that carries the token once the browser has it. */
#define CL_DASHBOARD_COOKIE "clearance_dashboard"

/* Rendered pages larger than this are refused (500); the queries' LIMITs keep them far below. */
#define CL_DASHBOARD_MAX_PAGE (2 * 1024 * 1024)

/* What the handler needs of a request; all borrowed, any may be NULL. */
struct cl_dashboard_request {
	const char *token;          /* the configured token; NULL: the dashboard is off */
	const char *authorization;  /* the Authorization header */
	const char *cookie;         /* the Cookie header */
	const char *query_token;    /* ?token=, URL-decoded */
	const char *forwarded_proto; /* X-Forwarded-Proto: "https" marks the cookie Secure */
};

/* One response header; both strings borrowed (static) or owned by the reply. */
struct cl_dashboard_header {
	const char *name;
	const char *value;
};

#define CL_DASHBOARD_MAX_HEADERS 10

/*
 * The reply to send. `body` is HTML (or empty); `headers` are to be added
 * as they are, security headers included. Dispose with
 * cl_dashboard_reply_dispose.
 */
struct cl_dashboard_reply {
	unsigned int status;        /* 200, 303, 401, 404, 500 */
	const char *content_type;
	struct cl_buf body;
	struct cl_dashboard_header headers[CL_DASHBOARD_MAX_HEADERS];
	size_t header_count;
	char *set_cookie;           /* owned; the value of headers[] "Set-Cookie" */
};

void cl_dashboard_reply_dispose(struct cl_dashboard_reply *reply);

/*
 * Does `presented` equal `token`? Both are hashed (SHA-256) and the
 * digests compared with CRYPTO_memcmp, so neither the time taken nor an
 * early exit tells a caller how much of a guess was right, or the token's
 * length. NULL or empty `presented` is 0.
 */
int cl_dashboard_token_matches(const char *token, const char *presented);

/*
 * The store's numbers as the template's data: { generated, approvals: {
 * by_state[], total, expiring[] }, contributions: { per_project[],
 * per_month[], total }, overrides[], deliveries: { counts, latest[],
 * failed[] } }. Every list is bounded (LIMIT), every text cut to a few
 * hundred bytes. Tables a store does not have yet (no approval or hosted
 * push ever recorded) give empty sections, not errors.
 *
 * @param q a reader of the store; used by one thread at a time (the
 *   caller's lock). The queries run in one read transaction.
 * @param now seconds since the epoch ("expiring soon" is the next 30 days,
 *   the months are the 12 up to now's)
 * @return 0 and *out (json_decref it), or CL_ERROR
 */
int cl_dashboard_data(json_t **out, struct cl_queue *q, int64_t now);

/*
 * Render the page for `data` (cl_dashboard_data) into `out`, capped at
 * CL_DASHBOARD_MAX_PAGE. Adds the chart geometry to `data`.
 * @return 0, CL_ETOOBIG, CL_ERROR
 */
int cl_dashboard_render(struct cl_buf *out, json_t *data);

/*
 * The whole request: 404 when no token is configured; a good ?token= sets
 * the cookie and redirects (303) to /dashboard, so the token leaves the
 * address bar and the history; a good Bearer header or cookie gets the
 * page (data read from `q`, `lock` held meanwhile when not NULL); anything
 * else 401 with a plain page. Never fails: a store error is a 500 page
 * (logged to stderr without the token).
 */
void cl_dashboard_handle(struct cl_dashboard_reply *reply, const struct cl_dashboard_request *req,
	struct cl_queue *q, pthread_mutex_t *lock, int64_t now);

#endif
