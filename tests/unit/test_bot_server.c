/*
 * The bot's HTTP server in-process (bot/server.c, intake.c, queue.c,
 * worker.c) on 127.0.0.1 with an ephemeral port, spoken to over raw
 * sockets so that tests control every byte: signatures, limits, hostile
 * bodies, slow and many clients, duplicates, retries and failures.
 *
 * Bodies: the published GitHub examples in tests/bot/webhooks/github/ and
 * the Gitea bodies in tests/bot/webhooks/gitea/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "config.h"
#include "error.h"
#include "queue.h"
#include "server.h"
#include "webhook.h"

#define SECRET "It's a Secret to Everybody"
#define GITEA_SECRET "gitea-secret"

struct fixture {
	char dir[64];
	struct cl_bot_config *cfg;
	struct cl_bot_server *srv;
	unsigned int port;
	char *pr_body;
	size_t pr_len;
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *slurp(const char *path, size_t *len)
{
	struct cl_buf buf = CL_BUF_INIT;
	cl_buf_init(&buf, 0);
	assert_int_equal(cl_buf_read_path(&buf, path), 0);
	*len = buf.size;
	return cl_buf_detach(&buf);
}

/* ---- a processing function the tests steer ---- */

struct steer {
	pthread_mutex_t lock;
	int fail_first;         /* fail this many attempts of each delivery */
	int calls;
	long long call_ms[16];  /* when each call happened */
};

static struct steer steer = { PTHREAD_MUTEX_INITIALIZER, 0, 0, { 0 } };

static int steered_process(const struct cl_delivery *d, void *payload)
{
	struct steer *st = payload;
	int fail;
	pthread_mutex_lock(&st->lock);
	if (st->calls < 16)
		st->call_ms[st->calls] = now_ms();
	st->calls++;
	fail = d->attempts <= st->fail_first;
	pthread_mutex_unlock(&st->lock);
	if (fail)
		return cl_error_set("forge answered 502 on attempt %d", d->attempts);
	return cl_worker_default_process(d, NULL);
}

/* ---- server set-up ---- */

static int start(struct fixture *fx, cl_process_fn process)
{
	struct cl_bot_server_options opts = CL_BOT_SERVER_OPTIONS_INIT;
	opts.process = process;
	opts.process_payload = &steer;
	if (cl_bot_server_start(&fx->srv, fx->cfg, &opts) < 0) {
		fprintf(stderr, "start: %s\n", cl_error_last());
		return -1;
	}
	fx->port = cl_bot_server_port(fx->srv);
	return 0;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct rlimit rl;

	if (!fx)
		return -1;
	/* 1,000 client sockets plus the server's ends of them, in one process */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 4096) {
		rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGPIPE, SIG_IGN);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/cl-test-bot-XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	unsetenv("CLEARANCE_GITHUB_WEBHOOK_SECRET");
	unsetenv("CLEARANCE_GITEA_WEBHOOK_SECRET");
	if (cl_bot_config_load(&fx->cfg, NULL) < 0)
		return -1;
	free(fx->cfg->data_dir);
	fx->cfg->data_dir = strdup(fx->dir);
	fx->cfg->github.webhook_secret = strdup(SECRET);
	fx->cfg->gitea.webhook_secret = strdup(GITEA_SECRET);
	fx->cfg->port = 0;
	fx->cfg->retry_base_ms = 100;
	fx->cfg->retry_max_ms = 400;
	fx->cfg->max_attempts = 3;
	fx->cfg->connections = 1500;
	fx->pr_body = slurp("tests/bot/webhooks/github/pull_request.opened.json", &fx->pr_len);
	steer.fail_first = 0;
	steer.calls = 0;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];
	cl_bot_server_stop(fx->srv);
	cl_bot_config_free(fx->cfg);
	free(fx->pr_body);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", fx->dir);
	free(fx);
	return 0;
}

/* ---- raw HTTP ---- */

static int connect_to(unsigned int port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Read until the peer closes (we always send Connection: close); the status or -1. */
static int read_reply(int fd, char *out, size_t size, int timeout_ms)
{
	size_t got = 0;
	long long deadline = now_ms() + timeout_ms;
	int status = -1;

	out[0] = '\0';
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		long long left = deadline - now_ms();
		ssize_t r;
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			break;
		r = recv(fd, out + got, size - 1 - got, 0);
		if (r <= 0)
			break;
		got += (size_t)r;
		out[got] = '\0';
		if (got == size - 1)
			break;
	}
	if (got >= 12 && strncmp(out, "HTTP/1.1 ", 9) == 0)
		status = (int)strtol(out + 9, NULL, 10);
	return status;
}

static size_t request_text(char **out, const char *method, const char *path, const char *headers,
	const char *body, size_t len)
{
	struct cl_buf b = CL_BUF_INIT;
	size_t n;
	cl_buf_init(&b, 0);
	assert_int_equal(cl_buf_printf(&b, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
		"%sContent-Length: %zu\r\n\r\n", method, path, headers, len), 0);
	if (len)
		assert_int_equal(cl_buf_put(&b, body, len), 0);
	n = b.size;
	*out = cl_buf_detach(&b);
	return n;
}

static int http(unsigned int port, const char *method, const char *path, const char *headers,
	const char *body, size_t len, char *reply, size_t reply_size)
{
	char *req;
	size_t n = request_text(&req, method, path, headers, body, len);
	int fd = connect_to(port), status;
	assert_true(fd >= 0);
	assert_int_equal(send_all(fd, req, n), 0);
	free(req);
	status = read_reply(fd, reply, reply_size, 10000);
	close(fd);
	return status;
}

/* Headers of a signed GitHub delivery. */
static void github_headers(char *dst, size_t size, const char *event, const char *delivery,
	const char *secret, const char *body, size_t len)
{
	char sig[72];
	cl_webhook_sign(sig, secret, strlen(secret), body, len, 1);
	snprintf(dst, size, "Content-Type: application/json\r\nX-GitHub-Event: %s\r\n"
		"X-GitHub-Delivery: %s\r\nX-Hub-Signature-256: %s\r\n", event, delivery, sig);
}

static int post_github(struct fixture *fx, const char *event, const char *delivery,
	const char *body, size_t len, char *reply, size_t size)
{
	char headers[512];
	github_headers(headers, sizeof(headers), event, delivery, SECRET, body, len);
	return http(fx->port, "POST", "/webhooks/github", headers, body, len, reply, size);
}

/* ---- the store, read directly ---- */

static long long store_int(struct fixture *fx, const char *sql, const char *arg)
{
	char path[128];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -1;
	snprintf(path, sizeof(path), "%s/clearance.db", fx->dir);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Wait until `sql` gives `want` (workers run in the background). */
static long long wait_store(struct fixture *fx, const char *sql, const char *arg, long long want,
	int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms, v;
	while ((v = store_int(fx, sql, arg)) != want && now_ms() < deadline)
		usleep(20000);
	return v;
}

static long long rss_kb(void)
{
	FILE *fp = fopen("/proc/self/status", "r");
	char line[256];
	long long kb = -1;
	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp))
		if (strncmp(line, "VmRSS:", 6) == 0)
			kb = strtoll(line + 6, NULL, 10);
	fclose(fp);
	return kb;
}

/* ---- tests ---- */

static void test_signed_delivery_is_stored_and_processed(void **state)
{
	struct fixture *fx = *state;
	char reply[4096];

	assert_int_equal(start(fx, NULL), 0);
	assert_int_equal(post_github(fx, "pull_request", "72d3162e-cc78-11e3-81ab-4c9367dc0958",
		fx->pr_body, fx->pr_len, reply, sizeof(reply)), 202);
	assert_non_null(strstr(reply, "\"status\":\"accepted\""));
	/* committed before the reply: visible to another connection at once */
	assert_int_equal(store_int(fx, "SELECT count(*) FROM deliveries"
		" WHERE delivery_id = ?1 AND forge = 'github' AND event = 'pull_request' AND"
		" action = 'opened' AND repo = 'Codertocat/Hello-World' AND body_length = 25194",
		"72d3162e-cc78-11e3-81ab-4c9367dc0958"), 1);
	assert_int_equal(wait_store(fx, "SELECT count(*) FROM processed_events WHERE event = 'pull_request'"
		" AND action = 'opened'", NULL, 1, 5000), 1);
	assert_int_equal(wait_store(fx, "SELECT count(*) FROM deliveries WHERE state = 'done'", NULL, 1, 5000), 1);
}

static void test_signatures_refused(void **state)
{
	struct fixture *fx = *state;
	char reply[4096], headers[512];

	assert_int_equal(start(fx, NULL), 0);
	/* wrong secret */
	github_headers(headers, sizeof(headers), "pull_request", "d-1", "not the secret", fx->pr_body, fx->pr_len);
	assert_int_equal(http(fx->port, "POST", "/webhooks/github", headers, fx->pr_body, fx->pr_len,
		reply, sizeof(reply)), 401);
	/* right signature, body changed by one byte */
	github_headers(headers, sizeof(headers), "pull_request", "d-2", SECRET, fx->pr_body, fx->pr_len);
	fx->pr_body[100] ^= 1;
	assert_int_equal(http(fx->port, "POST", "/webhooks/github", headers, fx->pr_body, fx->pr_len,
		reply, sizeof(reply)), 401);
	fx->pr_body[100] ^= 1;
	/* no signature at all */
	assert_int_equal(http(fx->port, "POST", "/webhooks/github",
		"X-GitHub-Event: pull_request\r\nX-GitHub-Delivery: d-3\r\n", fx->pr_body, fx->pr_len,
		reply, sizeof(reply)), 401);
	assert_non_null(strstr(reply, "missing signature"));
	/* the GitHub header on the Gitea route is not Gitea's signature */
	assert_int_equal(http(fx->port, "POST", "/webhooks/gitea", headers, fx->pr_body, fx->pr_len,
		reply, sizeof(reply)), 401);
	assert_int_equal(store_int(fx, "SELECT count(*) FROM deliveries", NULL), 0);
}

static void test_gitea_and_forgejo_bare_hex(void **state)
{
	struct fixture *fx = *state;
	char reply[4096], headers[512], sig[72];
	size_t len;
	char *body = slurp("tests/bot/webhooks/gitea/pull_request.opened.json", &len);

	assert_int_equal(start(fx, NULL), 0);
	cl_webhook_sign(sig, GITEA_SECRET, strlen(GITEA_SECRET), body, len, 0);
	assert_int_equal(strlen(sig), 64);
	snprintf(headers, sizeof(headers), "X-Gitea-Event: pull_request\r\nX-Gitea-Delivery: g-1\r\n"
		"X-Gitea-Signature: %s\r\n", sig);
	assert_int_equal(http(fx->port, "POST", "/webhooks/gitea", headers, body, len, reply, sizeof(reply)), 202);
	snprintf(headers, sizeof(headers), "X-Forgejo-Event: pull_request\r\nX-Forgejo-Delivery: f-1\r\n"
		"X-Forgejo-Signature: %s\r\n", sig);
	assert_int_equal(http(fx->port, "POST", "/webhooks/gitea", headers, body, len, reply, sizeof(reply)), 202);
	assert_int_equal(store_int(fx, "SELECT count(*) FROM deliveries WHERE forge = 'gitea'"
		" AND repo = 'ospo/widget'", NULL), 2);
	/* the secret of GitHub does not open Gitea's route */
	cl_webhook_sign(sig, SECRET, strlen(SECRET), body, len, 0);
	snprintf(headers, sizeof(headers), "X-Gitea-Event: pull_request\r\nX-Gitea-Delivery: g-2\r\n"
		"X-Gitea-Signature: %s\r\n", sig);
	assert_int_equal(http(fx->port, "POST", "/webhooks/gitea", headers, body, len, reply, sizeof(reply)), 401);
	free(body);
}

static void test_oversized_body_refused_unread(void **state)
{
	struct fixture *fx = *state;
	char reply[4096], headers[512], chunk[65536];
	long long before, t0;
	size_t sent = 0;
	int fd, status;

	assert_int_equal(start(fx, NULL), 0);
	memset(chunk, ' ', sizeof(chunk));
	before = rss_kb();
	/* 30 MB announced: answered 413 before the body, which is never read */
	github_headers(headers, sizeof(headers), "pull_request", "big-1", SECRET, "", 0);
	fd = connect_to(fx->port);
	assert_true(fd >= 0);
	{
		/* the same request but with a 30 MB Content-Length */
		char head[1024];
		int hn = snprintf(head, sizeof(head), "POST /webhooks/github HTTP/1.1\r\nHost: x\r\n%s"
			"Content-Length: %d\r\n\r\n", headers, 30 * 1024 * 1024);
		assert_int_equal(send_all(fd, head, (size_t)hn), 0);
	}
	t0 = now_ms();
	/* keep sending until the server's answer shows up or it closes on us */
	while (sent < 30u * 1024 * 1024) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, 0) > 0)
			break;
		if (send(fd, chunk, sizeof(chunk), MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				usleep(1000);
				if (now_ms() - t0 > 10000)
					break;
				continue;
			}
			break;
		}
		sent += sizeof(chunk);
	}
	status = read_reply(fd, reply, sizeof(reply), 5000);
	close(fd);
	assert_int_equal(status, 413);
	/* socket buffers hold a few MB at most; the server never held 30 */
	assert_true(sent < 20u * 1024 * 1024);
	assert_true(rss_kb() - before < 10 * 1024);

	/* chunked, so no length up front: cut off at the cap, not buffered past it */
	cl_bot_server_stop(fx->srv);
	fx->srv = NULL;
	fx->cfg->max_body_bytes = 1024 * 1024;
	assert_int_equal(start(fx, NULL), 0);
	before = rss_kb();
	fd = connect_to(fx->port);
	assert_true(fd >= 0);
	{
		char head[1024];
		int hn = snprintf(head, sizeof(head), "POST /webhooks/github HTTP/1.1\r\nHost: x\r\n%s"
			"Transfer-Encoding: chunked\r\n\r\n", headers);
		assert_int_equal(send_all(fd, head, (size_t)hn), 0);
	}
	sent = 0;
	while (sent < 30u * 1024 * 1024) {
		char size_line[16];
		int sl = snprintf(size_line, sizeof(size_line), "%zx\r\n", sizeof(chunk));
		if (send_all(fd, size_line, (size_t)sl) < 0 || send_all(fd, chunk, sizeof(chunk)) < 0 ||
		    send_all(fd, "\r\n", 2) < 0)
			break;
		sent += sizeof(chunk);
	}
	close(fd);
	assert_true(sent < 20u * 1024 * 1024);
	assert_true(rss_kb() - before < 10 * 1024);
	assert_int_equal(store_int(fx, "SELECT count(*) FROM deliveries", NULL), 0);
}

static void test_bad_payloads_400(void **state)
{
	struct fixture *fx = *state;
	char reply[4096], *deep, *truncated;
	size_t i, deep_len = 5 + 2 * 10000 + 1;
	static const char *const cases[] = { "this is not json", "", "[1,2,3]", "{\"number\": 1}" };

	assert_int_equal(start(fx, NULL), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(post_github(fx, "pull_request", "bad-1", cases[i], strlen(cases[i]),
			reply, sizeof(reply)), 400);
	truncated = fx->pr_body;
	assert_int_equal(post_github(fx, "pull_request", "bad-2", truncated, fx->pr_len / 2,
		reply, sizeof(reply)), 400);
	assert_non_null(strstr(reply, "invalid JSON"));
	deep = malloc(deep_len + 1);
	assert_non_null(deep);
	memcpy(deep, "{\"x\":", 5);
	for (i = 0; i < 10000; i++) {
		deep[5 + i] = '[';
		deep[5 + 10000 + i] = ']';
	}
	deep[deep_len - 1] = '}';
	deep[deep_len] = '\0';
	assert_int_equal(post_github(fx, "pull_request", "bad-3", deep, deep_len, reply, sizeof(reply)), 400);
	assert_non_null(strstr(reply, "nested deeper"));
	free(deep);
	/* signed, but the event or delivery header is missing */
	{
		char headers[512], sig[72];
		cl_webhook_sign(sig, SECRET, strlen(SECRET), fx->pr_body, fx->pr_len, 1);
		snprintf(headers, sizeof(headers), "X-GitHub-Delivery: d\r\nX-Hub-Signature-256: %s\r\n", sig);
		assert_int_equal(http(fx->port, "POST", "/webhooks/github", headers, fx->pr_body, fx->pr_len,
			reply, sizeof(reply)), 400);
		snprintf(headers, sizeof(headers), "X-GitHub-Event: pull_request\r\nX-Hub-Signature-256: %s\r\n", sig);
		assert_int_equal(http(fx->port, "POST", "/webhooks/github", headers, fx->pr_body, fx->pr_len,
			reply, sizeof(reply)), 400);
	}
	assert_int_equal(store_int(fx, "SELECT count(*) FROM deliveries", NULL), 0);
}

static void test_routes_ping_metrics(void **state)
{
	struct fixture *fx = *state;
	char reply[65536];
	size_t len;
	char *ping = slurp("tests/bot/webhooks/github/ping.json", &len);

	assert_int_equal(start(fx, NULL), 0);
	assert_int_equal(http(fx->port, "GET", "/nope", "", NULL, 0, reply, sizeof(reply)), 404);
	assert_int_equal(http(fx->port, "POST", "/webhooks/gitlab", "", "{}", 2, reply, sizeof(reply)), 404);
	assert_int_equal(http(fx->port, "GET", "/webhooks/github", "", NULL, 0, reply, sizeof(reply)), 405);
	assert_non_null(strstr(reply, "Allow: POST"));
	assert_int_equal(http(fx->port, "POST", "/metrics", "", "{}", 2, reply, sizeof(reply)), 405);
	assert_int_equal(http(fx->port, "GET", "/healthz", "", NULL, 0, reply, sizeof(reply)), 200);

	assert_int_equal(post_github(fx, "ping", "p-1", ping, len, reply, sizeof(reply)), 200);
	assert_non_null(strstr(reply, "\"zen\":\"Anything added dilutes everything else.\""));
	assert_int_equal(store_int(fx, "SELECT count(*) FROM deliveries", NULL), 0);
	free(ping);

	assert_int_equal(post_github(fx, "pull_request", "m-1", fx->pr_body, fx->pr_len, reply, sizeof(reply)), 202);
	assert_int_equal(post_github(fx, "pull_request", "m-1", fx->pr_body, fx->pr_len, reply, sizeof(reply)), 200);
	wait_store(fx, "SELECT count(*) FROM deliveries WHERE state = 'done'", NULL, 1, 5000);
	{
		/* the worker counts an attempt just after its commit: wait for that too */
		long long deadline = now_ms() + 5000;
		do
			assert_int_equal(http(fx->port, "GET", "/metrics", "", NULL, 0, reply, sizeof(reply)), 200);
		while (!strstr(reply, "outcome=\"done\"} 1\n") && now_ms() < deadline && usleep(20000) == 0);
	}
	assert_non_null(strstr(reply, "Content-Type: text/plain; version=0.0.4"));
	assert_non_null(strstr(reply,
		"clearance_deliveries_total{forge=\"github\",event=\"pull_request\",outcome=\"accepted\"} 1\n"));
	assert_non_null(strstr(reply,
		"clearance_deliveries_total{forge=\"github\",event=\"pull_request\",outcome=\"duplicate\"} 1\n"));
	assert_non_null(strstr(reply, "clearance_deliveries_total{forge=\"github\",event=\"ping\",outcome=\"ping\"} 1\n"));
	assert_non_null(strstr(reply, "clearance_processed_total{event=\"pull_request\",outcome=\"done\"} 1\n"));
	assert_non_null(strstr(reply, "clearance_intake_seconds_count 2\n"));
	assert_non_null(strstr(reply, "clearance_processing_seconds_bucket{le=\"+Inf\"} 1\n"));
	assert_non_null(strstr(reply, "clearance_queue_depth 0\n"));
	assert_non_null(strstr(reply, "# TYPE clearance_forge_api_calls_total counter\n"));
}

static void test_duplicate_processed_once(void **state)
{
	struct fixture *fx = *state;
	char reply[4096];
	int i;

	assert_int_equal(start(fx, NULL), 0);
	for (i = 0; i < 5; i++)
		assert_int_equal(post_github(fx, "pull_request", "dup-1", fx->pr_body, fx->pr_len,
			reply, sizeof(reply)), i == 0 ? 202 : 200);
	assert_non_null(strstr(reply, "\"status\":\"duplicate\""));
	assert_int_equal(wait_store(fx, "SELECT count(*) FROM deliveries WHERE state = 'done'", NULL, 1, 5000), 1);
	usleep(300000);   /* give a wrong second processing the time to show */
	assert_int_equal(store_int(fx, "SELECT count(*) FROM processed_events", NULL), 1);
	/* the same id from the other forge is another delivery */
	assert_int_equal(store_int(fx, "SELECT count(*) FROM deliveries", NULL), 1);
}

struct slow_client {
	unsigned int port;
	const char *headers;
	int closed_by_server;
	long long closed_after_ms;
	int bytes_sent;
};

/* Send a body one byte a second; note when the server drops us. */
static void *slow_main(void *arg)
{
	struct slow_client *sc = arg;
	char head[1024];
	long long t0 = now_ms();
	int fd = connect_to(sc->port), hn, i;

	if (fd < 0)
		return NULL;
	hn = snprintf(head, sizeof(head), "POST /webhooks/github HTTP/1.1\r\nHost: x\r\n%s"
		"Content-Length: 1000\r\n\r\n", sc->headers);
	send_all(fd, head, (size_t)hn);
	for (i = 0; i < 20; i++) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (send(fd, "{", 1, MSG_NOSIGNAL) != 1) {
			sc->closed_by_server = 1;
			break;
		}
		sc->bytes_sent++;
		if (poll(&p, 1, 1000) > 0) {   /* readable: the server closed (or answered) */
			sc->closed_by_server = 1;
			break;
		}
	}
	sc->closed_after_ms = now_ms() - t0;
	close(fd);
	return NULL;
}

static void test_slow_client_does_not_starve_others(void **state)
{
	struct fixture *fx = *state;
	char reply[4096], headers[512], id[32];
	struct slow_client sc[8];
	pthread_t th[8];
	long long worst = 0;
	int i;

	fx->cfg->request_timeout = 3;
	fx->cfg->http_threads = 2;
	assert_int_equal(start(fx, NULL), 0);
	github_headers(headers, sizeof(headers), "pull_request", "slow", SECRET, "", 0);
	/* more slow clients than server threads */
	for (i = 0; i < 8; i++) {
		memset(&sc[i], 0, sizeof(sc[i]));
		sc[i].port = fx->port;
		sc[i].headers = headers;
		assert_int_equal(pthread_create(&th[i], NULL, slow_main, &sc[i]), 0);
	}
	usleep(200000);
	for (i = 0; i < 40; i++) {
		long long t0 = now_ms(), took;
		snprintf(id, sizeof(id), "fast-%d", i);
		assert_int_equal(post_github(fx, "pull_request", id, fx->pr_body, fx->pr_len, reply, sizeof(reply)), 202);
		took = now_ms() - t0;
		if (took > worst)
			worst = took;
		usleep(50000);
	}
	for (i = 0; i < 8; i++)
		pthread_join(th[i], NULL);
	/* every other request answered promptly while the slow ones trickled */
	assert_true(worst < 1000);
	/* and the slow ones were cut off at the request timeout, not served forever */
	for (i = 0; i < 8; i++) {
		assert_true(sc[i].closed_by_server);
		assert_true(sc[i].closed_after_ms >= 2500 && sc[i].closed_after_ms < 8000);
	}
	assert_int_equal(store_int(fx, "SELECT count(*) FROM deliveries", NULL), 40);
}

static void test_thousand_concurrent_connections(void **state)
{
	struct fixture *fx = *state;
	enum { N = 1000 };
	static int fds[N];
	static char *reqs[N];
	static size_t lens[N];
	int i, answered = 0, accepted = 0;
	char headers[512], id[32];
	long long deadline;

	assert_int_equal(start(fx, NULL), 0);
	/* all connected first, then all requests sent, then all replies read */
	for (i = 0; i < N; i++) {
		fds[i] = connect_to(fx->port);
		assert_true(fds[i] >= 0);
		snprintf(id, sizeof(id), "conc-%d", i);
		github_headers(headers, sizeof(headers), "pull_request", id, SECRET, fx->pr_body, fx->pr_len);
		lens[i] = request_text(&reqs[i], "POST", "/webhooks/github", headers, fx->pr_body, fx->pr_len);
	}
	for (i = 0; i < N; i++) {
		assert_int_equal(send_all(fds[i], reqs[i], lens[i]), 0);
		free(reqs[i]);
	}
	deadline = now_ms() + 60000;
	for (i = 0; i < N; i++) {
		char reply[1024];
		long long left = deadline - now_ms();
		int status = read_reply(fds[i], reply, sizeof(reply), left > 0 ? (int)left : 1);
		close(fds[i]);
		if (status > 0)
			answered++;
		if (status == 202)
			accepted++;
	}
	assert_int_equal(answered, N);
	assert_int_equal(accepted, N);
	assert_int_equal(store_int(fx, "SELECT count(*) FROM deliveries", NULL), N);
}

static void test_retry_backoff_then_failed(void **state)
{
	struct fixture *fx = *state;
	char reply[4096];
	long long gap1, gap2;

	steer.fail_first = 100;   /* always */
	assert_int_equal(start(fx, steered_process), 0);
	assert_int_equal(post_github(fx, "pull_request", "retry-1", fx->pr_body, fx->pr_len, reply, sizeof(reply)), 202);
	assert_int_equal(wait_store(fx, "SELECT count(*) FROM deliveries WHERE state = 'failed'", NULL, 1, 10000), 1);
	assert_int_equal(store_int(fx, "SELECT attempts FROM deliveries", NULL), 3);
	assert_int_equal(store_int(fx, "SELECT count(*) FROM deliveries WHERE last_error ="
		" 'forge answered 502 on attempt 3'", NULL), 1);
	assert_int_equal(store_int(fx, "SELECT count(*) FROM processed_events", NULL), 0);
	pthread_mutex_lock(&steer.lock);
	assert_int_equal(steer.calls, 3);
	gap1 = steer.call_ms[1] - steer.call_ms[0];
	gap2 = steer.call_ms[2] - steer.call_ms[1];
	pthread_mutex_unlock(&steer.lock);
	/* base 100 ms, doubled: ~100 then ~200 */
	assert_true(gap1 >= 90 && gap1 < 1500);
	assert_true(gap2 >= 190 && gap2 < 2000);
	assert_int_equal(cl_worker_backoff_ms(1, 100, 400), 100);
	assert_int_equal(cl_worker_backoff_ms(2, 100, 400), 200);
	assert_int_equal(cl_worker_backoff_ms(3, 100, 400), 400);
	assert_int_equal(cl_worker_backoff_ms(30, 100, 400), 400);
}

static void test_retry_then_done(void **state)
{
	struct fixture *fx = *state;
	char reply[4096];

	steer.fail_first = 2;   /* attempts 1 and 2 fail, 3 succeeds */
	assert_int_equal(start(fx, steered_process), 0);
	assert_int_equal(post_github(fx, "pull_request", "retry-2", fx->pr_body, fx->pr_len, reply, sizeof(reply)), 202);
	assert_int_equal(wait_store(fx, "SELECT count(*) FROM deliveries WHERE state = 'done'", NULL, 1, 10000), 1);
	assert_int_equal(store_int(fx, "SELECT attempts FROM deliveries", NULL), 3);
	assert_int_equal(store_int(fx, "SELECT count(*) FROM processed_events", NULL), 1);
	assert_int_equal(store_int(fx, "SELECT count(*) FROM deliveries WHERE last_error IS NULL", NULL), 1);
}

/* A claim held by a process that is gone is taken back; a live one is not. */
static void test_reclaim_dead_owner(void **state)
{
	struct fixture *fx = *state;
	struct cl_queue *q = NULL;
	struct cl_queue_insert rows[3];
	struct cl_delivery *d = NULL;
	char path[128], self[320], dead[400], live[400], host[256];
	long long next = 0, now = cl_queue_now_ms();
	int i, n = -1;

	snprintf(path, sizeof(path), "%s/clearance.db", fx->dir);
	assert_int_equal(cl_queue_open(&q, path, CL_DB_SYNC_NORMAL, NULL), 0);
	memset(rows, 0, sizeof(rows));
	for (i = 0; i < 3; i++) {
		rows[i].forge = "github";
		rows[i].event = "push";
		rows[i].body = "{}";
		rows[i].body_len = 2;
		rows[i].received_at = now;
	}
	rows[0].delivery_id = "r-dead";
	rows[1].delivery_id = "r-live";
	rows[2].delivery_id = "r-expired";
	assert_int_equal(cl_queue_insert_batch(q, rows, 3), 0);
	cl_queue_owner_id(self);
	gethostname(host, sizeof(host));
	host[sizeof(host) - 1] = '\0';
	/* pid 4194304 is past the kernel's pid_max: that process cannot exist */
	snprintf(dead, sizeof(dead), "%s:4194304:1", host);
	snprintf(live, sizeof(live), "%s:%ld:1", host, (long)getppid());
	assert_int_equal(cl_queue_claim(&d, &next, q, dead, now, 600000), 0);
	cl_delivery_free(d);
	assert_int_equal(cl_queue_claim(&d, &next, q, live, now, 600000), 0);
	cl_delivery_free(d);
	assert_int_equal(cl_queue_claim(&d, &next, q, "other-host:1:1", now, 10), 0);
	cl_delivery_free(d);
	assert_int_equal(cl_queue_claim(&d, &next, q, self, now, 600000), CL_ENOTFOUND);

	assert_int_equal(cl_queue_reclaim(&n, q, self, now + 1000), 0);
	assert_int_equal(n, 2);   /* the dead owner's and the expired lease */
	assert_int_equal(store_int(fx, "SELECT count(*) FROM deliveries WHERE state = 'running'"
		" AND delivery_id = 'r-live'", NULL), 1);
	assert_int_equal(store_int(fx, "SELECT count(*) FROM deliveries WHERE state = 'queued'", NULL), 2);
	/* a finish by the owner that lost its claim writes nothing */
	{
		struct cl_delivery lost = { 0 };
		struct cl_queue_outcome ok = { 1, NULL, 3, 0 };
		lost.id = 1;
		lost.lease_owner = dead;
		assert_int_equal(cl_queue_finish(q, &lost, &ok, now), CL_ENOTFOUND);
	}
	cl_queue_close(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_signed_delivery_is_stored_and_processed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signatures_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gitea_and_forgejo_bare_hex, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oversized_body_refused_unread, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_payloads_400, setup, teardown),
		cmocka_unit_test_setup_teardown(test_routes_ping_metrics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_processed_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_client_does_not_starve_others, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thousand_concurrent_connections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry_backoff_then_failed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry_then_done, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reclaim_dead_owner, setup, teardown),
	};
	return cmocka_run_group_tests_name("bot_server", tests, NULL, NULL);
}
