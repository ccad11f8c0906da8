/*
 * server.c - libmicrohttpd glue: routes, request bodies under a cap, replies,
 * /healthz and /metrics, start and orderly stop.
 *
 * Divisions: replies, routes, the request handler, start/stop.
 */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>

#include "approval_bot.h"
#include "dashboard.h"
#include "error.h"
#include "events.h"
#include "checkpointer.h"
#include "intake.h"
#include "push_event.h"
#include "metrics.h"
#include "queue.h"

struct cl_bot_server {
	const struct cl_bot_config *cfg;     /* borrowed: the caller keeps it alive */
	struct cl_bot_server_options opts;
	char *db_path;
	pthread_mutex_t write_lock;
	int have_lock;
	struct cl_bot_metrics *metrics;
	struct cl_queue *reader;             /* /metrics and /healthz queries */
	pthread_mutex_t reader_lock;
	struct cl_workers *workers;
	struct cl_intake *intake;
	/* the secrets keyed once: NULL where none is configured */
	struct cl_webhook_key *forge_keys[2];   /* by enum cl_webhook_forge */
	struct cl_webhook_key *events_key;
	struct MHD_Daemon *daemon;
	unsigned int port;

	struct cl_checkpointer *checkpointer;   /* the only connection that checkpoints */
};

enum route { ROUTE_GITHUB, ROUTE_GITEA, ROUTE_HEALTHZ, ROUTE_METRICS, ROUTE_EVENTS, ROUTE_DASHBOARD };

static const struct {
	const char *path;
	const char *method;
	enum route route;
} routes[] = {
	{ "/webhooks/github", "POST", ROUTE_GITHUB },
	{ "/webhooks/gitea", "POST", ROUTE_GITEA },
	{ "/healthz", "GET", ROUTE_HEALTHZ },
	{ "/metrics", "GET", ROUTE_METRICS },
	{ "/events/push", "POST", ROUTE_EVENTS },
	{ "/dashboard", "GET", ROUTE_DASHBOARD },
};

/* Where each forge puts the three headers the intake reads, first match wins. */
static const struct {
	const char *signature[2], *event[2], *delivery[2];
} forge_headers[] = {
	[CL_FORGE_GITHUB] = { { "X-Hub-Signature-256", NULL }, { "X-GitHub-Event", NULL },
		{ "X-GitHub-Delivery", NULL } },
	[CL_FORGE_GITEA] = { { "X-Gitea-Signature", "X-Forgejo-Signature" },
		{ "X-Gitea-Event", "X-Forgejo-Event" }, { "X-Gitea-Delivery", "X-Forgejo-Delivery" } },
};

enum phase { PHASE_READING, PHASE_STORING, PHASE_STORED };

/* One webhook request, from its headers to the reply (MHD's con_cls). */
struct request {
	struct cl_bot_server *srv;
	struct MHD_Connection *conn;
	enum cl_webhook_forge forge;
	int hosted;                      /* /events/push: a hosted repository's post-receive */
	char hosted_repo[256];           /* its name, for the queue row */
	struct cl_buf body;
	struct timespec started, body_done;
	enum phase phase;
	struct cl_intake_verdict verdict;
	struct cl_intake_job job;
	char delivery[CL_INTAKE_MAX_DELIVERY_ID + 1];
};

static double elapsed(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- replies ----------------------------------------------------------- */

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int status,
	const char *content_type, const char *text, size_t len, const char *allow)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(len, (void *)text, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
	if (allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
	ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* {"status": status, "message": message [, "zen": zen]} with JSON escaping. */
static enum MHD_Result reply_json(struct MHD_Connection *conn, unsigned int status,
	const char *word, const char *message, const char *zen, const char *allow)
{
	json_t *obj = json_object();
	char *text = NULL;
	enum MHD_Result ret = MHD_NO;

	if (!obj)
		return MHD_NO;
	json_object_set_new(obj, "status", json_string(word));
	if (message)
		json_object_set_new(obj, "message", json_string(message));
	if (zen)
		json_object_set_new(obj, "zen", json_string(zen));
	text = json_dumps(obj, JSON_COMPACT);
	if (text) {
		size_t len = strlen(text);
		text[len] = '\0';
		ret = reply(conn, status, "application/json", text, len, allow);
	}
	free(text);
	json_decref(obj);
	return ret;
}

static void client_address(char *dst, size_t size, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn,
		MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = info ? info->client_addr : NULL;

	snprintf(dst, size, "-");
	if (!sa)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, dst, (socklen_t)size);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, dst, (socklen_t)size);
}

/* The forge name of logs, metrics and the queue row. */
static const char *forge_label(const struct request *r)
{
	return r->hosted ? CL_EVENTS_FORGE : cl_webhook_forge_name(r->forge);
}

/* One line per refused or failed request; accepted ones only when asked. */
static void log_request(struct request *r, enum cl_intake_outcome outcome, const char *event,
	const char *message)
{
	char addr[64];
	if (outcome == CL_INTAKE_ACCEPTED && !r->srv->opts.log_accepted)
		return;
	client_address(addr, sizeof(addr), r->conn);
	fprintf(stderr, "level=%s component=intake forge=%s remote=%s event=%s delivery=%s"
		" status=%d outcome=%s msg=\"%s\"\n",
		outcome <= CL_INTAKE_PING ? "info" : outcome == CL_INTAKE_ERROR ? "error" : "warn",
		forge_label(r), addr, event ? event : "-",
		*r->delivery ? r->delivery : "-", cl_intake_outcome_status(outcome),
		cl_intake_outcome_name(outcome), message);
}

/* Count and log a refusal, then answer it. Events are only trusted after the signature. */
static enum MHD_Result refuse(struct request *r, enum cl_intake_outcome outcome, const char *event,
	const char *message)
{
	cl_bot_metrics_delivery(r->srv->metrics, forge_label(r),
		outcome == CL_INTAKE_UNAUTHORIZED || outcome == CL_INTAKE_TOO_LARGE ? "unknown" : event,
		cl_intake_outcome_name(outcome));
	log_request(r, outcome, outcome == CL_INTAKE_UNAUTHORIZED ? NULL : event, message);
	return reply_json(r->conn, (unsigned int)cl_intake_outcome_status(outcome),
		cl_intake_outcome_name(outcome), message, NULL, NULL);
}

/* ---- GET routes -------------------------------------------------------- */

static enum MHD_Result serve_metrics(struct cl_bot_server *s, struct MHD_Connection *conn)
{
	struct cl_buf out = CL_BUF_INIT;
	struct cl_queue_counts counts;
	long long gauges[4] = { -1, -1, -1, -1 };
	enum MHD_Result ret = MHD_NO;
	int error;

	pthread_mutex_lock(&s->reader_lock);
	if (cl_queue_counts(&counts, s->reader) == 0) {
		gauges[0] = counts.queued;
		gauges[1] = counts.running;
		gauges[2] = counts.done;
		gauges[3] = counts.failed;
	}
	pthread_mutex_unlock(&s->reader_lock);
	cl_buf_init(&out, 4 * 1024 * 1024);
	error = cl_bot_metrics_render(&out, s->metrics, gauges);
	if (error == 0) {
		if (s->opts.forge_metrics)
			error = s->opts.forge_metrics(&out, s->opts.forge_metrics_payload);
		else
			error = cl_buf_puts(&out,
				"# HELP clearance_forge_api_calls_total Forge API calls by forge and HTTP status.\n"
				"# TYPE clearance_forge_api_calls_total counter\n");
	}
	if (error == 0)
		ret = reply(conn, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8",
			out.ptr, out.size, NULL);
	else
		ret = reply_json(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "error", cl_error_last(), NULL, NULL);
	cl_buf_dispose(&out);
	return ret;
}

static enum MHD_Result serve_healthz(struct cl_bot_server *s, struct MHD_Connection *conn)
{
	int error;

	pthread_mutex_lock(&s->reader_lock);
	error = cl_queue_ping(s->reader);
	pthread_mutex_unlock(&s->reader_lock);
	if (error < 0)
		return reply_json(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "error", "store unreadable", NULL, NULL);
	return reply(conn, MHD_HTTP_OK, "application/json", "{\"status\":\"ok\"}", 15, NULL);
}

/*
 * GET /dashboard: bot/dashboard.c decides everything (access, headers,
 * page) from these few inputs; this only reads them off the connection
 * and sends what it says. The page reads the store through the reader.
 */
static enum MHD_Result serve_dashboard(struct cl_bot_server *s, struct MHD_Connection *conn)
{
	struct cl_dashboard_request req;
	struct cl_dashboard_reply out;
	struct MHD_Response *resp;
	enum MHD_Result ret = MHD_NO;
	size_t i;

	req.token = s->cfg->dashboard_token;
	req.authorization = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	req.cookie = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
	req.query_token = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "token");
	req.forwarded_proto = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
	cl_dashboard_handle(&out, &req, s->reader, &s->reader_lock, cl_bot_approvals_now());
	if (out.status == MHD_HTTP_UNAUTHORIZED) {
		char addr[64];
		client_address(addr, sizeof(addr), conn);
		fprintf(stderr, "level=warn component=dashboard remote=%s status=401 msg=\"no valid token\"\n",
			addr);
	}
	resp = MHD_create_response_from_buffer(out.body.size, out.body.ptr ? out.body.ptr : (void *)"",
		MHD_RESPMEM_MUST_COPY);
	if (resp) {
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, out.content_type);
		for (i = 0; i < out.header_count; i++)
			MHD_add_response_header(resp, out.headers[i].name, out.headers[i].value);
		ret = MHD_queue_response(conn, out.status, resp);
		MHD_destroy_response(resp);
	}
	cl_dashboard_reply_dispose(&out);
	return ret;
}

/* ---- webhooks ---------------------------------------------------------- */

/* From the intake writer thread: the row is committed (or failed). */
static void stored(struct cl_intake_job *job, void *arg)
{
	struct request *r = arg;
	(void)job;
	r->phase = PHASE_STORED;
	MHD_resume_connection(r->conn);
}

static const char *lookup(struct MHD_Connection *conn, const char *const names[2])
{
	const char *v = NULL;
	size_t i;
	for (i = 0; i < 2 && !v && names[i]; i++)
		v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, names[i]);
	return v;
}

/*
 * A hosted repository's push event: the same durable intake as a webhook,
 * with the events secret, the event id as delivery id (so a spool
 * delivered twice is stored once) and the event's own format.
 */
static enum MHD_Result events_complete(struct request *r)
{
	struct cl_bot_server *s = r->srv;
	const char *sig = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Clearance-Signature-256");
	const char *id = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-Clearance-Event-Id");
	const char *body = cl_buf_cstr(&r->body);
	struct cl_push_event *ev = NULL;
	char msg[256];

	clock_gettime(CLOCK_MONOTONIC, &r->body_done);
	if (!s->cfg->events_secret)
		return refuse(r, CL_INTAKE_UNAUTHORIZED, "push", "no events secret is configured");
	if (cl_webhook_verify_key(s->events_key, body, r->body.size, sig) < 0) {
		snprintf(msg, sizeof(msg), "%s", cl_error_last());
		cl_error_clear();
		return refuse(r, CL_INTAKE_UNAUTHORIZED, "push", msg);
	}
	if (cl_push_event_parse(&ev, body, r->body.size) < 0) {
		snprintf(msg, sizeof(msg), "%s", cl_error_last());
		cl_error_clear();
		return refuse(r, CL_INTAKE_BAD_REQUEST, "push", msg);
	}
	if (!id || strcmp(id, ev->id) != 0) {
		cl_push_event_free(ev);
		return refuse(r, CL_INTAKE_BAD_REQUEST, "push",
			"X-Clearance-Event-Id is missing or not the event's id");
	}
	snprintf(r->delivery, sizeof(r->delivery), "%s", ev->id);
	snprintf(r->hosted_repo, sizeof(r->hosted_repo), "%s", ev->name ? ev->name : ev->repository);
	cl_push_event_free(ev);
	r->job.row.forge = CL_EVENTS_FORGE;
	r->job.row.delivery_id = r->delivery;
	r->job.row.event = "push";
	r->job.row.action = NULL;
	r->job.row.repo = r->hosted_repo;
	r->job.row.body = r->body.ptr ? r->body.ptr : "";
	r->job.row.body_len = r->body.size;
	r->job.row.received_at = cl_queue_now_ms();
	r->job.done = stored;
	r->job.arg = r;
	r->phase = PHASE_STORING;
	MHD_suspend_connection(r->conn);
	cl_intake_submit(s->intake, &r->job);
	return MHD_YES;
}

static enum MHD_Result webhook_complete(struct request *r)
{
	struct cl_bot_server *s = r->srv;
	struct cl_intake_headers h;
	struct cl_webhook_event *ev;

	if (r->hosted)
		return events_complete(r);
	clock_gettime(CLOCK_MONOTONIC, &r->body_done);
	h.signature = lookup(r->conn, forge_headers[r->forge].signature);
	h.event = lookup(r->conn, forge_headers[r->forge].event);
	h.delivery = lookup(r->conn, forge_headers[r->forge].delivery);
	cl_intake_judge_key(&r->verdict, r->forge, s->forge_keys[r->forge], &h, cl_buf_cstr(&r->body),
		r->body.size);
	if (r->verdict.outcome != CL_INTAKE_UNAUTHORIZED && h.delivery &&
	    strlen(h.delivery) <= CL_INTAKE_MAX_DELIVERY_ID)
		snprintf(r->delivery, sizeof(r->delivery), "%s", h.delivery);

	if (r->verdict.outcome == CL_INTAKE_PING) {
		cl_bot_metrics_delivery(s->metrics, forge_label(r), "ping", "ping");
		log_request(r, CL_INTAKE_PING, "ping", "pong");
		return reply_json(r->conn, MHD_HTTP_OK, "pong", NULL, r->verdict.zen, NULL);
	}
	if (r->verdict.outcome != CL_INTAKE_ACCEPTED)
		return refuse(r, r->verdict.outcome, h.event, r->verdict.message);

	ev = r->verdict.event;
	r->job.row.forge = forge_label(r);
	r->job.row.delivery_id = r->delivery;
	r->job.row.event = ev->event;
	r->job.row.action = ev->action;
	r->job.row.repo = ev->repo_full_name;
	r->job.row.body = r->body.ptr ? r->body.ptr : "";
	r->job.row.body_len = r->body.size;
	r->job.row.received_at = cl_queue_now_ms();
	r->job.done = stored;
	r->job.arg = r;
	r->phase = PHASE_STORING;
	/* suspend first: the writer may resume the connection before submit returns */
	MHD_suspend_connection(r->conn);
	cl_intake_submit(s->intake, &r->job);
	return MHD_YES;
}

static enum MHD_Result webhook_stored(struct request *r)
{
	struct cl_bot_server *s = r->srv;
	const char *forge = forge_label(r), *event = r->hosted ? "push" : r->verdict.event->event;
	char text[CL_INTAKE_MAX_DELIVERY_ID + 96];
	int n;

	if (r->job.error < 0)
		return refuse(r, CL_INTAKE_ERROR, event, "the delivery could not be stored; redeliver it");
	cl_bot_metrics_intake_seconds(s->metrics, elapsed(&r->body_done));
	cl_bot_metrics_delivery(s->metrics, forge, event, r->job.row.inserted ? "accepted" : "duplicate");
	log_request(r, r->job.row.inserted ? CL_INTAKE_ACCEPTED : CL_INTAKE_DUPLICATE, event,
		r->job.row.inserted ? "stored" : "already stored; not processed again");
	/* the delivery id is a checked token, so no escaping is needed */
	n = snprintf(text, sizeof(text), "{\"status\":\"%s\",\"delivery\":\"%s\",\"id\":%lld}",
		r->job.row.inserted ? "accepted" : "duplicate", r->delivery, r->job.row.id);
	return reply(r->conn, r->job.row.inserted ? MHD_HTTP_ACCEPTED : MHD_HTTP_OK, "application/json",
		text, (size_t)n, NULL);
}

static enum MHD_Result webhook_first(struct cl_bot_server *s, struct MHD_Connection *conn,
	enum route route, void **con_cls)
{
	struct request *r = calloc(1, sizeof(*r));
	const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	unsigned long long declared = 0;

	if (!r)
		return MHD_NO;
	r->srv = s;
	r->conn = conn;
	r->forge = route == ROUTE_GITHUB ? CL_FORGE_GITHUB : CL_FORGE_GITEA;
	r->hosted = route == ROUTE_EVENTS;
	clock_gettime(CLOCK_MONOTONIC, &r->started);
	cl_buf_init(&r->body, s->cfg->max_body_bytes);
	*con_cls = r;   /* freed by request_completed from here on */
	if (cl) {
		char *end;
		errno = 0;
		declared = strtoull(cl, &end, 10);
		if (errno || *end)
			declared = 0;   /* libmicrohttpd refuses a malformed length itself */
	}
	if (declared > s->cfg->max_body_bytes) {
		char msg[96];
		snprintf(msg, sizeof(msg), "body of %llu bytes is over the limit of %zu", declared,
			s->cfg->max_body_bytes);
		/* answered before reading: the body is never received, the connection is closed */
		return refuse(r, CL_INTAKE_TOO_LARGE, NULL, msg);
	}
	/* one allocation of the announced size instead of doubling through it;
	 * only up to 1 MB, since a client may announce far more than it sends */
	if (declared > 0 && declared <= 1024 * 1024 && cl_buf_put(&r->body, "", 0) == 0) {
		char *p = realloc(r->body.ptr, (size_t)declared + 1);
		if (p) {
			r->body.ptr = p;
			r->body.asize = (size_t)declared + 1;
		}
	}
	return MHD_YES;
}

static enum MHD_Result webhook_upload(struct request *r, const char *data, size_t *size)
{
	if (elapsed(&r->started) > (double)r->srv->cfg->request_timeout) {
		/* a body trickled in slower than the limit allows: drop the connection */
		log_request(r, CL_INTAKE_BAD_REQUEST, NULL, "request body timed out");
		cl_bot_metrics_delivery(r->srv->metrics, forge_label(r), "unknown", "timeout");
		return MHD_NO;
	}
	if (cl_buf_put(&r->body, data, *size) < 0) {
		/* A chunked body went past the cap. libmicrohttpd cannot answer in the
		 * middle of an upload, so the connection is closed without reading on. */
		log_request(r, CL_INTAKE_TOO_LARGE, NULL, "chunked body over the limit; connection closed");
		cl_bot_metrics_delivery(r->srv->metrics, forge_label(r), "unknown", "too_large");
		return MHD_NO;
	}
	*size = 0;
	return MHD_YES;
}

/* ---- the handler -------------------------------------------------------- */

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
	const char *method, const char *version, const char *upload_data, size_t *upload_data_size,
	void **con_cls)
{
	struct cl_bot_server *s = cls;
	struct request *r = *con_cls;
	size_t i;

	(void)version;
	if (!r) {
		for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
			if (strcmp(url, routes[i].path) != 0)
				continue;
			if (strcmp(method, routes[i].method) != 0 &&
			    !(routes[i].method[0] == 'G' && !strcmp(method, "HEAD")))
				return reply_json(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
					"method not allowed", NULL, routes[i].method);
			switch (routes[i].route) {
			case ROUTE_HEALTHZ:
				return serve_healthz(s, conn);
			case ROUTE_METRICS:
				return serve_metrics(s, conn);
			case ROUTE_DASHBOARD:
				return serve_dashboard(s, conn);
			case ROUTE_GITHUB:
			case ROUTE_GITEA:
			case ROUTE_EVENTS:
				return webhook_first(s, conn, routes[i].route, con_cls);
			}
			CL_BUG("unknown route");
		}
		return reply_json(conn, MHD_HTTP_NOT_FOUND, "not_found", "no such route", NULL, NULL);
	}
	switch (r->phase) {
	case PHASE_READING:
		if (*upload_data_size)
			return webhook_upload(r, upload_data, upload_data_size);
		return webhook_complete(r);
	case PHASE_STORING:
		return MHD_YES;   /* woken before the writer resumed us; keep waiting */
	case PHASE_STORED:
		return webhook_stored(r);
	}
	CL_BUG("unknown request phase");
}

static void request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
	enum MHD_RequestTerminationCode toe)
{
	struct request *r = *con_cls;
	(void)cls;
	(void)conn;
	(void)toe;
	if (!r)
		return;
	cl_buf_dispose(&r->body);
	cl_intake_verdict_dispose(&r->verdict);
	free(r);
	*con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;
	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	fprintf(stderr, "level=warn component=http msg=\"%s\"\n", msg);
}

/* ---- start and stop ---------------------------------------------------- */

char *cl_bot_db_path(const char *data_dir)
{
	size_t len = strlen(data_dir) + sizeof("/clearance.db");
	char *p = malloc(len);
	if (p)
		snprintf(p, len, "%s/clearance.db", data_dir);
	return p;
}

/* mkdir -p, private to the bot's user: the store holds payloads. */
static int make_dirs(const char *path)
{
	char buf[4096];
	size_t i, len = strlen(path);

	if (len == 0 || len >= sizeof(buf))
		return cl_error_set("invalid data directory '%s'", path);
	memcpy(buf, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST) {
			char what[4200];
			snprintf(what, sizeof(what), "cannot create data directory '%s'", buf);
			return cl_error_from_errno(what);
		}
		buf[i] = i < len ? '/' : '\0';
	}
	return 0;
}

static void observe_processed(const struct cl_delivery *d, int outcome, double seconds, void *payload)
{
	static const char *const names[] = { "done", "retry", "failed" };
	cl_bot_metrics_processed(payload, d->event, names[outcome], seconds);
}

static void wake_workers(void *arg)
{
	cl_workers_notify(arg);
}

int cl_bot_server_start(struct cl_bot_server **out, const struct cl_bot_config *cfg,
	const struct cl_bot_server_options *opts)
{
	struct cl_bot_server_options defaults = CL_BOT_SERVER_OPTIONS_INIT;
	struct cl_worker_options wopts = CL_WORKER_OPTIONS_INIT;
	struct cl_bot_server *s = calloc(1, sizeof(*s));
	struct addrinfo hints, *ai = NULL;
	const union MHD_DaemonInfo *info;
	unsigned int flags;
	int error = 0, gai;

	CL_CHECK_ALLOC(s);
	s->cfg = cfg;
	s->opts = opts ? *opts : defaults;
	pthread_mutex_init(&s->write_lock, NULL);
	pthread_mutex_init(&s->reader_lock, NULL);
	s->have_lock = 1;
	if ((error = make_dirs(cfg->data_dir)) < 0)
		goto done;
	if ((cfg->github.webhook_secret && (error = cl_webhook_key_new(&s->forge_keys[CL_FORGE_GITHUB],
			cfg->github.webhook_secret, strlen(cfg->github.webhook_secret))) < 0) ||
	    (cfg->gitea.webhook_secret && (error = cl_webhook_key_new(&s->forge_keys[CL_FORGE_GITEA],
			cfg->gitea.webhook_secret, strlen(cfg->gitea.webhook_secret))) < 0) ||
	    (cfg->events_secret && (error = cl_webhook_key_new(&s->events_key, cfg->events_secret,
			strlen(cfg->events_secret))) < 0))
		goto done;
	s->db_path = cl_bot_db_path(cfg->data_dir);
	CL_CHECK_ALLOC(s->db_path);
	if ((error = cl_bot_metrics_new(&s->metrics)) < 0 ||
	    (error = cl_queue_open(&s->reader, s->db_path, cfg->durability, &s->write_lock)) < 0 ||
	    (error = cl_checkpointer_start(&s->checkpointer, s->db_path, cfg->durability,
			&s->write_lock, NULL)) < 0)
		goto done;

	wopts.threads = cfg->workers;
	wopts.max_attempts = cfg->max_attempts;
	wopts.retry_base_ms = cfg->retry_base_ms;
	wopts.retry_max_ms = cfg->retry_max_ms;
	wopts.lease_seconds = cfg->lease_seconds;
	wopts.sync = cfg->durability;
	wopts.process = s->opts.process;
	wopts.process_payload = s->opts.process_payload;
	wopts.observe = observe_processed;
	wopts.observe_payload = s->metrics;
	wopts.checkpoints = 0;
	if ((error = cl_workers_start(&s->workers, s->db_path, &s->write_lock, &wopts)) < 0 ||
	    (error = cl_intake_new(&s->intake, s->db_path, cfg->durability, &s->write_lock,
			wake_workers, s->workers)) < 0)
		goto done;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if ((gai = getaddrinfo(cfg->listen_address, NULL, &hints, &ai)) != 0) {
		error = cl_error_set("cannot resolve listen address '%s': %s", cfg->listen_address,
			gai_strerror(gai));
		goto done;
	}
	if (ai->ai_family == AF_INET)
		((struct sockaddr_in *)(void *)ai->ai_addr)->sin_port = htons((unsigned short)cfg->port);
	else
		((struct sockaddr_in6 *)(void *)ai->ai_addr)->sin6_port = htons((unsigned short)cfg->port);

	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
		MHD_USE_ERROR_LOG | (ai->ai_family == AF_INET6 ? MHD_USE_IPv6 : 0);
	/* the logger first, or libmicrohttpd prints what comes before it itself */
	s->daemon = MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL, handle, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
		MHD_OPTION_SOCK_ADDR, ai->ai_addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cfg->http_threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)cfg->connections_per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->connection_timeout,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)cfg->connection_memory,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)(cfg->connections < 4096 ? 4096 : cfg->connections),
		MHD_OPTION_NOTIFY_COMPLETED, request_completed, s,
		MHD_OPTION_END);
	if (!s->daemon) {
		error = cl_error_set("cannot listen on %s:%u (in use, or not an address of this machine)",
			cfg->listen_address, cfg->port);
		goto done;
	}
	info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : cfg->port;

	*out = s;
	s = NULL;
done:
	if (ai)
		freeaddrinfo(ai);
	cl_bot_server_stop(s);
	return error;
}

unsigned int cl_bot_server_port(const struct cl_bot_server *s)
{
	return s->port;
}

const char *cl_bot_server_db_path(const struct cl_bot_server *s)
{
	return s->db_path;
}

void cl_bot_server_stop(struct cl_bot_server *s)
{
	if (!s)
		return;
	if (s->daemon) {
		MHD_socket fd = MHD_quiesce_daemon(s->daemon);   /* no new connections */
		if (fd != MHD_INVALID_SOCKET)
			close(fd);
	}
	/* every request waiting for a commit gets its reply and is resumed
	 * before libmicrohttpd stops, as it requires of suspended connections */
	if (s->intake)
		cl_intake_shutdown(s->intake);
	if (s->daemon)
		MHD_stop_daemon(s->daemon);
	cl_intake_free(s->intake);
	cl_workers_stop(s->workers);
	cl_checkpointer_stop(s->checkpointer);
	cl_queue_close(s->reader);
	cl_bot_metrics_free(s->metrics);
	if (s->have_lock) {
		pthread_mutex_destroy(&s->write_lock);
		pthread_mutex_destroy(&s->reader_lock);
	}
	cl_webhook_key_free(s->forge_keys[CL_FORGE_GITHUB]);
	cl_webhook_key_free(s->forge_keys[CL_FORGE_GITEA]);
	cl_webhook_key_free(s->events_key);
	free(s->db_path);
	free(s);
}
