/*
 * deliver.c - where the bot is, and handing it spooled push events (deliver.h).
 *
 * Divisions: target; the store; HTTP; flush; check.
 */
#include "deliver.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "../bot/events.h"
#include "../bot/http_client.h"
#include "../bot/queue.h"
#include "repo_policy.h"
#include "webhook.h"

/* A secret file holds one line. */
#define SECRET_MAX_BYTES 16384
/*
 * A push waits for its post-receive: a bot that does not answer quickly is
 * treated as down and the event stays spooled for the next run.
 */
#define DELIVER_CONNECT_MS 2000
#define DELIVER_TIMEOUT_MS 10000
#define DELIVER_BUSY_MS 5000

/* ---- target ---------------------------------------------------------------- */

void hook_bot_target_dispose(struct hook_bot_target *t)
{
	free(t->store);
	free(t->url);
	free(t->secret_file);
	free(t->spool_dir);
	memset(t, 0, sizeof(*t));
}

int hook_bot_target_configured(const struct hook_bot_target *t)
{
	return t->store != NULL || t->url != NULL;
}

/* git config `name` as a path of the repository (relative: to its directory). */
static int config_path(char **out, git_repository *repo, git_config *cfg, const char *name)
{
	git_buf value = GIT_BUF_INIT;
	int error = git_config_get_string_buf(&value, cfg, name);

	*out = NULL;
	if (error == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (error < 0)
		return cl_error_from_git(name);
	error = value.ptr[0] && strstr(name, "Url") ? ((*out = strdup(value.ptr)) ? 0 :
		cl_error_set("out of memory")) : cl_repo_path(out, repo, value.ptr);
	git_buf_dispose(&value);
	return error;
}

static int policy_path(char **out, git_repository *repo, const char *value)
{
	*out = NULL;
	return value ? cl_repo_path(out, repo, value) : 0;
}

int hook_bot_target_load(struct hook_bot_target *out, git_repository *repo,
	const struct cl_policy *policy)
{
	const struct cl_policy_bot *pb = policy ? cl_policy_bot(policy) : NULL;
	struct hook_bot_target t;
	git_config *cfg = NULL;
	int error;

	memset(&t, 0, sizeof(t));
	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return cl_error_from_git("cannot read the repository's config");
	if ((error = config_path(&t.store, repo, cfg, HOOK_CONFIG_BOT_STORE)) < 0 ||
	    (error = config_path(&t.url, repo, cfg, HOOK_CONFIG_BOT_URL)) < 0 ||
	    (error = config_path(&t.secret_file, repo, cfg, HOOK_CONFIG_BOT_SECRET_FILE)) < 0)
		goto done;
	if (pb && !t.store && !t.url) {
		if ((error = policy_path(&t.store, repo, pb->store)) < 0)
			goto done;
		if (pb->url && !(t.url = strdup(pb->url))) {
			error = cl_error_set("out of memory");
			goto done;
		}
	}
	if (pb && !t.secret_file && (error = policy_path(&t.secret_file, repo, pb->secret_file)) < 0)
		goto done;
	if ((error = cl_repo_path(&t.spool_dir, repo, CL_SPOOL_DIR)) < 0)
		goto done;
	*out = t;
	memset(&t, 0, sizeof(t));
done:
	hook_bot_target_dispose(&t);
	git_config_free(cfg);
	return error;
}

/* ---- the store ------------------------------------------------------------- */

static int store_open(struct cl_queue **q, const char *path)
{
	struct cl_db_options opts = CL_DB_OPTIONS_INIT;

	/* never create one: a missing store is a bot not set up, not a new bot */
	opts.create = 0;
	opts.busy_timeout_ms = DELIVER_BUSY_MS;
	return cl_queue_open_opts(q, path, &opts, NULL);
}

static int store_deliver(struct cl_queue *q, const struct cl_push_event *ev, const char *data,
	size_t len)
{
	struct cl_queue_insert item;

	memset(&item, 0, sizeof(item));
	item.forge = CL_EVENTS_FORGE;
	item.delivery_id = ev->id;
	item.event = "push";
	item.repo = ev->name ? ev->name : ev->repository;
	item.body = data;
	item.body_len = len;
	item.received_at = cl_queue_now_ms();
	/* inserted = 0 is the bot's dedup at work: the event is there already */
	return cl_queue_insert_batch(q, &item, 1);
}

/* ---- HTTP ------------------------------------------------------------------ */

static int read_secret(struct cl_buf *out, const char *path)
{
	int error;

	cl_buf_init(out, SECRET_MAX_BYTES);
	if ((error = cl_buf_read_path(out, path)) < 0)
		return error;
	while (out->size && (out->ptr[out->size - 1] == '\n' || out->ptr[out->size - 1] == '\r'))
		out->ptr[--out->size] = '\0';
	if (out->size == 0 || strlen(out->ptr) != out->size)
		return cl_error_setc(CL_EINVALID, "secret file '%s' is empty or holds a NUL byte", path);
	return 0;
}

struct http_ctx {
	struct cl_http_client *client;
	struct cl_buf secret;
	char *url;
};

static void http_dispose(struct http_ctx *h)
{
	cl_http_client_free(h->client);
	if (h->secret.ptr)
		memset(h->secret.ptr, 0, h->secret.size);
	cl_buf_dispose(&h->secret);
	free(h->url);
}

static int http_open(struct http_ctx *h, const struct hook_bot_target *t, const char *path)
{
	struct cl_http_options opts = CL_HTTP_OPTIONS_INIT;
	struct cl_buf url = CL_BUF_INIT;
	size_t n = strlen(t->url);
	int error;

	memset(h, 0, sizeof(*h));
	if (t->secret_file && (error = read_secret(&h->secret, t->secret_file)) < 0)
		return error;
	if (path && !t->secret_file)
		return cl_error_setc(CL_EINVALID, "no secret file for the bot at '%s' "
			"(install-hooks --secret-file, or bot.secret_file in the policy)", t->url);
	opts.user_agent = "clearance-post-receive";
	opts.connect_timeout_ms = DELIVER_CONNECT_MS;
	opts.timeout_ms = DELIVER_TIMEOUT_MS;
	opts.max_retries = 0;   /* the spool is the retry */
	if ((error = cl_http_client_new(&h->client, &opts)) < 0)
		return error;
	while (n && t->url[n - 1] == '/')
		n--;
	if ((error = cl_buf_printf(&url, "%.*s%s", (int)n, t->url, path ? path : "/healthz")) < 0)
		return error;
	h->url = url.ptr;
	return 0;
}

static int http_deliver(struct http_ctx *h, const struct cl_push_event *ev, const char *data,
	size_t len)
{
	struct cl_http_request req = CL_HTTP_REQUEST_INIT;
	struct cl_http_response resp = CL_HTTP_RESPONSE_INIT;
	char sig[72], sig_header[128], id_header[64 + CL_PUSH_EVENT_MAX_ID];
	const char *headers[4];
	int error;

	cl_webhook_sign(sig, h->secret.ptr, h->secret.size, data, len, 1);
	snprintf(sig_header, sizeof(sig_header), "X-Clearance-Signature-256: %s", sig);
	snprintf(id_header, sizeof(id_header), "X-Clearance-Event-Id: %s", ev->id);
	headers[0] = "Content-Type: application/json";
	headers[1] = sig_header;
	headers[2] = id_header;
	headers[3] = NULL;
	req.method = "POST";
	req.url = h->url;
	req.headers = headers;
	req.body = data;
	req.body_len = len;
	if ((error = cl_http_client_send(&resp, h->client, &req)) < 0)
		return error;
	/* 202 stored now, 200 stored before (a repeat): both are delivered */
	if (resp.status != 200 && resp.status != 202)
		error = cl_error_set("the bot at '%s' answered %ld: %.200s", h->url, resp.status,
			cl_buf_cstr(&resp.body));
	cl_http_response_dispose(&resp);
	return error;
}

/* ---- flush ----------------------------------------------------------------- */

struct flush_ctx {
	const struct hook_bot_target *t;
	struct cl_queue *queue;      /* opened at the first event */
	struct http_ctx http;
	int http_open;
	FILE *report;
};

static int flush_one(const struct cl_push_event *ev, const char *data, size_t len, void *payload)
{
	struct flush_ctx *c = payload;
	int error;

	if (c->t->store) {
		if (!c->queue && (error = store_open(&c->queue, c->t->store)) < 0)
			return error;
		return store_deliver(c->queue, ev, data, len);
	}
	if (!c->http_open) {
		if ((error = http_open(&c->http, c->t, "/events/push")) < 0)
			return error;
		c->http_open = 1;
	}
	return http_deliver(&c->http, ev, data, len);
}

static void flush_bad(const char *name, const char *problem, void *payload)
{
	struct flush_ctx *c = payload;
	if (c->report)
		fprintf(c->report, "clearance: spool file '%s' is corrupt (%s); moved to %s/bad/\n",
			name, problem, c->t->spool_dir);
}

int hook_spool_flush(struct cl_spool_stats *stats, const struct hook_bot_target *t, FILE *report)
{
	struct flush_ctx c;
	int error;

	memset(&c, 0, sizeof(c));
	c.t = t;
	c.report = report;
	if (!hook_bot_target_configured(t)) {
		memset(stats, 0, sizeof(*stats));
		return cl_error_setc(CL_EINVALID, "no bot is configured (install-hooks --store or --bot)");
	}
	error = cl_spool_flush(stats, t->spool_dir, flush_one, flush_bad, &c);
	cl_queue_close(c.queue);
	if (c.http_open)
		http_dispose(&c.http);
	return error;
}

/* ---- check ----------------------------------------------------------------- */

int hook_bot_check(const struct hook_bot_target *t)
{
	struct cl_http_request req = CL_HTTP_REQUEST_INIT;
	struct cl_http_response resp = CL_HTTP_RESPONSE_INIT;
	struct cl_queue *q = NULL;
	struct http_ctx h;
	int error;

	if (t->store) {
		if ((error = store_open(&q, t->store)) == CL_ENOTFOUND)
			error = cl_error_setc(CL_ENOTFOUND, "the store '%s' does not exist", t->store);
		if (error == 0)
			error = cl_queue_ping(q);
		cl_queue_close(q);
		return error;
	}
	if (!t->url)
		return cl_error_setc(CL_EINVALID, "no bot is configured");
	memset(&h, 0, sizeof(h));
	if ((error = http_open(&h, t, NULL)) < 0)
		goto done;
	if (!t->secret_file) {
		error = cl_error_setc(CL_EINVALID, "no secret file for /events/push");
		goto done;
	}
	req.url = h.url;
	if ((error = cl_http_client_send(&resp, h.client, &req)) < 0)
		goto done;
	if (resp.status != 200)
		error = cl_error_set("GET %s answered %ld", h.url, resp.status);
	cl_http_response_dispose(&resp);
done:
	http_dispose(&h);
	return error;
}
