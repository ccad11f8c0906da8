/*
 * server.h - the bot's HTTP server: routes, limits, and the wiring of
 * intake, queue, workers and metrics.
 *
 * Layer rule: bot/ module over libmicrohttpd; the only file that knows it.
 * cli/cmd_serve.c starts one server; the tests start theirs in-process.
 *
 * Routes: POST /webhooks/github, POST /webhooks/gitea (Gitea and Forgejo),
 * POST /events/push (hosted repositories' post-receive, events.h),
 * GET /healthz, GET /metrics, GET /dashboard (dashboard.h). Other paths 404,
 * other methods 405.
 *
 * Threads: libmicrohttpd's pool (`limits.http_threads`, epoll, event-driven,
 * so a client that sends a byte a second holds a connection slot, not a
 * thread), the intake writer, and the workers. A webhook request is
 * suspended while its delivery waits for the group commit, so a pool thread
 * is never blocked on the store.
 */
#ifndef CL_BOT_SERVER_H
#define CL_BOT_SERVER_H

#include "buf.h"
#include "config.h"
#include "worker.h"

/*
 * Appends the forge API call counters to the /metrics text (the forge
 * client's, bot/http_client.h); NULL prints the metric's HELP and TYPE with
 * no samples. Called from a server thread.
 */
typedef int (*cl_metrics_append_fn)(struct cl_buf *out, void *payload);

struct cl_bot_server_options {
	cl_process_fn process;          /* NULL: cl_worker_default_process */
	void *process_payload;
	cl_metrics_append_fn forge_metrics;
	void *forge_metrics_payload;
	int log_accepted;               /* one log line per accepted delivery too */
};
#define CL_BOT_SERVER_OPTIONS_INIT { NULL, NULL, NULL, NULL, 0 }

struct cl_bot_server;

/*
 * Create the data directory and the store, reclaim deliveries a dead
 * process left running, start the workers and listen.
 * @return 0; CL_ERROR (address in use, store unusable). *out only on success.
 */
int cl_bot_server_start(struct cl_bot_server **out, const struct cl_bot_config *cfg,
	const struct cl_bot_server_options *opts);

/* The port the server listens on (the one chosen when the config said 0). */
unsigned int cl_bot_server_port(const struct cl_bot_server *s);

/* The store's path, "<data_dir>/clearance.db". */
const char *cl_bot_server_db_path(const struct cl_bot_server *s);

/* Stop listening, answer what waits for a commit, finish the workers'
 * current deliveries, free. NULL is a no-op. */
void cl_bot_server_stop(struct cl_bot_server *s);

/* Path of the store inside a data directory (malloc'd). */
char *cl_bot_db_path(const char *data_dir);

#endif
