/*
 * dashboard_fixture.h - what the dashboard tests share (test_bot_dashboard.c,
 * test_dashboard_chromium.c): a store seeded with approvals (through
 * lib/approvals.h), outbound commits and overrides (the tables of
 * bot/events.h), deliveries with a failure (bot/queue.h), hostile strings
 * in every kind of cell; the bot's server in-process on 127.0.0.1 with an
 * ephemeral port; and a plain HTTP/1.1 client.
 *
 * The clock is fixed ($CLEARANCE_NOW = DASH_NOW), so "expiring in 30 days"
 * and the months of the chart are known.
 */
#ifndef DASHBOARD_FIXTURE_H
#define DASHBOARD_FIXTURE_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "approvals.h"
#include "buf.h"
#include "config.h"
#include "error.h"
#include "events.h"
#include "queue.h"
#include "server.h"

#define DASH_TOKEN "s3cr3t-dashboard-token_0123456789"
#define DASH_NOW 1795000000LL      /* 2026-11-18 11:06 UTC */
#define DASH_DAY 86400LL

/* The hostile strings, each stored where the page shows it. */
#define HOSTILE_SCRIPT "<script>alert(1)</script>"
#define HOSTILE_ATTR "\"onmouseover=alert(1) x=\""
#define HOSTILE_SVG "</svg><script>alert(2)</script>"
#define HOSTILE_REASON "<script>alert(3)</script> hotfix"
#define HOSTILE_ERROR "</svg><img src=x onerror=alert(5)>"

struct dash {
	char dir[64];
	char db[128];
	struct cl_bot_config *cfg;
	struct cl_bot_server *srv;
	unsigned int port;
};

/* ---- seeding ---- */

static inline int dash_approval(struct cl_approvals *store, const char *requester, const char *email,
	const char *url, int number, const char *issue_url, enum cl_approval_state to,
	int64_t expires_at)
{
	struct cl_approval req;
	struct cl_approval_decision d = CL_APPROVAL_DECISION_INIT;
	int64_t id;

	memset(&req, 0, sizeof(req));
	req.requester = requester;
	req.email = email;
	req.upstream_url = url;
	req.license = "MIT";
	req.justification = "work";
	req.forge = "github";
	req.issue_repo = "acme/ospo";
	req.issue_number = number;
	req.issue_url = issue_url;
	/* the CLA the form asked about: alice's upstream needs a corporate one */
	if (number == 1)
		req.cla = CL_APPROVAL_CLA_CORPORATE;
	if (cl_approval_request(&id, NULL, store, &req, requester, issue_url, DASH_NOW - 30 * DASH_DAY) < 0)
		return -1;
	if (to == CL_APPROVAL_REQUESTED)
		return 0;
	d.actor = "ospo-lead";
	d.message = "ok";
	d.url = "cli";
	d.expires_at = expires_at;
	/* who signed, as /approve signed-by:WHO records it; the hostile one is hostile here too */
	d.cla_signer = number == 1 ? "acme-legal" : number == 2 ? requester : NULL;
	return cl_approval_transition(store, id, to, &d, 365 * DASH_DAY, DASH_NOW - 20 * DASH_DAY);
}

static inline int dash_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "seed: %s\n", msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* `n` outbound commits by Eve to `repo`, as the approval check records them. */
static inline int dash_commit(struct cl_approvals *store, const char *repo, int n, long long at)
{
	struct cl_contribution c;
	char id[64];
	int i, rc = 0;

	memset(&c, 0, sizeof(c));
	c.repository = repo;
	c.ref = "refs/heads/main";
	c.upstream_repo = strchr(repo, '/') ? strchr(repo, '/') + 1 : repo;
	c.author = "Eve";
	c.email = "eve@acme.example";
	c.approval = 1;
	for (i = 0; i < n && rc == 0; i++) {
		snprintf(id, sizeof(id), "%s-%d-%lld", repo, i, at);
		c.commit = id;
		c.committed_at = c.seen_at = at - i * 3600;
		rc = cl_approval_contribution_record(store, &c);
	}
	return rc;
}

/*
 * approvals: approved 3 (2 expiring within 30 days), requested 1, denied 1;
 * outbound: acme/libgit2-fork 7 (4 this month, 3 last), acme/curl-fork 3
 * (two months back), HOSTILE_SVG 2 (this month); 1 override; deliveries:
 * 3 stored, 1 failed.
 */
static inline int dash_seed(const char *path)
{
	struct cl_approvals *store = NULL;
	struct cl_queue *q = NULL;
	struct cl_delivery *d = NULL;
	struct cl_queue_insert ins[3];
	struct cl_queue_outcome o;
	sqlite3 *db = NULL;
	long long next = 0;
	int error = -1;

	if (cl_approvals_open(&store, path, 1) < 0 ||
	    dash_approval(store, "alice", "alice@acme.example", "https://github.com/libgit2/libgit2", 1,
			"https://github.com/acme/ospo/issues/1", CL_APPROVAL_APPROVED, DASH_NOW + 10 * DASH_DAY) < 0 ||
	    dash_approval(store, HOSTILE_SCRIPT, HOSTILE_ATTR "@acme.example", "https://github.com/curl/curl", 2,
			"javascript:alert(9)", CL_APPROVAL_APPROVED, DASH_NOW + 20 * DASH_DAY) < 0 ||
	    dash_approval(store, "bob", "bob@acme.example", "https://github.com/git/git", 3,
			"https://github.com/acme/ospo/issues/3", CL_APPROVAL_APPROVED, DASH_NOW + 200 * DASH_DAY) < 0 ||
	    dash_approval(store, "carol", "carol@acme.example", "https://github.com/nodejs/node", 4,
			"https://github.com/acme/ospo/issues/4", CL_APPROVAL_REQUESTED, 0) < 0 ||
	    dash_approval(store, "dave", "dave@acme.example", "https://github.com/redis/redis", 5,
			"https://github.com/acme/ospo/issues/5", CL_APPROVAL_DENIED, 0) < 0)
		goto done;
	if (dash_commit(store, "acme/libgit2-fork", 4, DASH_NOW - 2 * DASH_DAY) < 0 ||
	    dash_commit(store, "acme/libgit2-fork", 3, DASH_NOW - 40 * DASH_DAY) < 0 ||
	    dash_commit(store, "acme/curl-fork", 3, DASH_NOW - 70 * DASH_DAY) < 0 ||
	    dash_commit(store, HOSTILE_SVG, 2, DASH_NOW - 1 * DASH_DAY) < 0 ||
	    cl_events_store_open(&db, path, 1) < 0 ||
	    dash_exec(db, "INSERT INTO overrides (event_id, repository, ref, pusher, reason, findings, time) "
			"VALUES ('ev-2', 'acme/libgit2-fork', 'refs/heads/main', '" HOSTILE_ATTR "', '"
			HOSTILE_REASON "', 3, '2026-11-17T10:00:00Z')") < 0)
		goto done;
	if (cl_queue_open(&q, path, CL_DB_SYNC_NORMAL, NULL) < 0)
		goto done;
	memset(ins, 0, sizeof(ins));
	ins[0].forge = "github", ins[0].delivery_id = "d-1", ins[0].event = "pull_request";
	ins[0].action = "opened", ins[0].repo = "acme/widgets", ins[0].body = "{}", ins[0].body_len = 2;
	ins[1] = ins[0], ins[1].delivery_id = "d-2", ins[1].repo = HOSTILE_SCRIPT;
	ins[2] = ins[0], ins[2].delivery_id = "d-3", ins[2].event = "push", ins[2].action = NULL;
	ins[0].received_at = ins[1].received_at = ins[2].received_at = DASH_NOW * 1000;
	if (cl_queue_insert_batch(q, ins, 3) < 0 ||
	    cl_queue_claim(&d, &next, q, "test", cl_queue_now_ms() + 1000, 60000) < 0)
		goto done;
	memset(&o, 0, sizeof(o));
	o.ok = 0;
	o.error = HOSTILE_ERROR;
	o.max_attempts = 1;
	if (cl_queue_finish(q, d, &o, cl_queue_now_ms()) < 0)
		goto done;
	error = 0;
done:
	if (error < 0)
		fprintf(stderr, "seed: %s\n", cl_error_last());
	cl_delivery_free(d);
	cl_queue_close(q);
	cl_db_close(db);
	cl_approvals_free(store);
	return error;
}

/* ---- the server ---- */

/* A store in a fresh directory, seeded unless `empty`, and the server on it. */
static inline int dash_start(struct dash *fx, const char *token, int empty)
{
	char now[32];

	memset(fx, 0, sizeof(*fx));
	signal(SIGPIPE, SIG_IGN);
	snprintf(now, sizeof(now), "%lld", DASH_NOW);
	setenv("CLEARANCE_NOW", now, 1);
	unsetenv("CLEARANCE_DASHBOARD_TOKEN");
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/cl-test-dash-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->db, sizeof(fx->db), "%s/clearance.db", fx->dir);
	if (!empty && dash_seed(fx->db) < 0)
		return -1;
	if (cl_bot_config_load(&fx->cfg, NULL) < 0)
		return -1;
	free(fx->cfg->data_dir);
	fx->cfg->data_dir = strdup(fx->dir);
	fx->cfg->port = 0;
	fx->cfg->workers = 0;          /* the seeded deliveries stay as they are */
	fx->cfg->dashboard_token = token ? strdup(token) : NULL;
	if (cl_bot_server_start(&fx->srv, fx->cfg, NULL) < 0) {
		fprintf(stderr, "start: %s\n", cl_error_last());
		return -1;
	}
	fx->port = cl_bot_server_port(fx->srv);
	return 0;
}

static inline void dash_stop(struct dash *fx)
{
	char cmd[128];
	cl_bot_server_stop(fx->srv);
	cl_bot_config_free(fx->cfg);
	fx->srv = NULL;
	fx->cfg = NULL;
	if (fx->dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", fx->dir);
	}
}

/* ---- a plain HTTP client ---- */

struct http_reply {
	int status;
	char *head;      /* status line and headers */
	char *body;
};

static inline void http_reply_free(struct http_reply *r)
{
	free(r->head);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

/*
 * One request on its own connection ("Connection: close"), the whole reply
 * read (at most 4 MiB, 10 s). `headers` are extra lines, each ending "\r\n".
 * @return the status, or -1
 */
static inline int http_get(struct http_reply *out, unsigned int port, const char *method, const char *path,
	const char *headers)
{
	struct sockaddr_in sa;
	struct cl_buf req = CL_BUF_INIT, resp = CL_BUF_INIT;
	char chunk[16384], *split;
	size_t sent = 0;
	int fd, status = -1;
	time_t deadline = time(NULL) + 10;

	memset(out, 0, sizeof(*out));
	cl_buf_init(&req, 0);
	cl_buf_init(&resp, 4 * 1024 * 1024);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		goto done;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		goto done;
	if (cl_buf_printf(&req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s\r\n",
			method, path, headers ? headers : "") < 0)
		goto done;
	while (sent < req.size) {
		ssize_t n = send(fd, req.ptr + sent, req.size - sent, 0);
		if (n <= 0)
			goto done;
		sent += (size_t)n;
	}
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;
		if (time(NULL) > deadline || poll(&p, 1, 1000) < 0)
			goto done;
		if (!(p.revents & (POLLIN | POLLHUP)))
			continue;
		if ((n = recv(fd, chunk, sizeof(chunk), 0)) < 0)
			goto done;
		if (n == 0)
			break;
		if (cl_buf_put(&resp, chunk, (size_t)n) < 0)
			goto done;
	}
	if (!resp.ptr || sscanf(resp.ptr, "HTTP/1.1 %d", &status) != 1)
		goto done;
	split = strstr(resp.ptr, "\r\n\r\n");
	if (!split) {
		status = -1;
		goto done;
	}
	out->head = strndup(resp.ptr, (size_t)(split - resp.ptr) + 2);
	out->body = strdup(split + 4);
	out->status = status;
done:
	if (fd >= 0)
		close(fd);
	cl_buf_dispose(&req);
	cl_buf_dispose(&resp);
	return out->status ? out->status : -1;
}

/* The value of header `name` in a reply's head (case-insensitive name), copied into dst. */
static inline int http_header(char *dst, size_t size, const struct http_reply *r, const char *name)
{
	const char *p = r->head;
	size_t len = strlen(name);

	while (p && (p = strstr(p, "\r\n")) != NULL) {
		p += 2;
		if (strncasecmp(p, name, len) == 0 && p[len] == ':') {
			const char *v = p + len + 1, *end = strstr(v, "\r\n");
			while (*v == ' ')
				v++;
			snprintf(dst, size, "%.*s", (int)(end ? end - v : (long)strlen(v)), v);
			return 0;
		}
	}
	return -1;
}

/* How many times `needle` occurs in `hay`. */
static inline int count_of(const char *hay, const char *needle)
{
	int n = 0;
	size_t len = strlen(needle);
	while (hay && (hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += len;
	}
	return n;
}

/* Does `hay` hold `needle`, ASCII case ignored? */
static inline int contains_ci(const char *hay, const char *needle)
{
	size_t len = strlen(needle);
	for (; hay && *hay; hay++)
		if (strncasecmp(hay, needle, len) == 0)
			return 1;
	return 0;
}

/* "YYYY-MM" of a time. */
static inline void month_of(char out[16], long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 16, "%Y-%m", &tm);
}

#endif
