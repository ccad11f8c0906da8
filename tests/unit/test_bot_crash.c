/*
 * The bot as a separate process: `clearance serve` killed with SIGKILL in
 * the middle of a burst of 2,000 signed deliveries, restarted, and every
 * delivery that was answered 202 processed exactly once (the default
 * processing function records each event in processed_events, in the same
 * transaction that marks the delivery done). Then the admin commands
 * `clearance deliveries list|show|retry` on the same store.
 *
 * The program is found next to this test: BUILD/tests/test_bot_crash runs
 * BUILD/clearance (or $CLEARANCE_BIN).
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
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "webhook.h"

#define SECRET "crash-test-secret"
#define BURST 2000

static char bin[4096];
static char dir[64];
static char cfg_path[128];
static char *body;
static size_t body_len;
static pid_t live_child;   /* a server still running, killed by the teardown if a test fails */

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Start `clearance serve`; its first stdout line names the port. */
static pid_t serve(unsigned int *port)
{
	int out[2];
	pid_t pid;
	char line[512];
	size_t got = 0;
	const char *p;
	long long deadline = now_ms() + 20000;

	assert_int_equal(pipe(out), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		dup2(out[1], 1);
		if (devnull >= 0)
			dup2(devnull, 2);   /* refusals are logged; not this test's subject */
		close(out[0]);
		close(out[1]);
		setenv("CLEARANCE_GITHUB_WEBHOOK_SECRET", SECRET, 1);
		execl(bin, bin, "serve", "--config", cfg_path, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	while (got < sizeof(line) - 1 && !memchr(line, '\n', got)) {
		struct pollfd pf = { out[0], POLLIN, 0 };
		ssize_t r;
		if (poll(&pf, 1, (int)(deadline - now_ms())) <= 0)
			break;
		r = read(out[0], line + got, sizeof(line) - 1 - got);
		if (r <= 0)
			break;
		got += (size_t)r;
		line[got] = '\0';
	}
	close(out[0]);
	line[got] = '\0';
	live_child = pid;
	p = strstr(line, "127.0.0.1:");
	if (!p)
		fail_msg("serve did not start: '%s'", line);
	*port = (unsigned int)strtoul(p + 10, NULL, 10);
	return pid;
}

static int post(unsigned int port, const char *delivery)
{
	struct sockaddr_in sa;
	char head[512], sig[72], reply[512];
	size_t got = 0;
	int fd, n, status = -1;

	cl_webhook_sign(sig, SECRET, strlen(SECRET), body, body_len, 1);
	n = snprintf(head, sizeof(head), "POST /webhooks/github HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
		"X-GitHub-Event: pull_request\r\nX-GitHub-Delivery: %s\r\nX-Hub-Signature-256: %s\r\n"
		"Content-Length: %zu\r\n\r\n", delivery, sig, body_len);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    send(fd, head, (size_t)n, MSG_NOSIGNAL) != n ||
	    send(fd, body, body_len, MSG_NOSIGNAL) != (ssize_t)body_len)
		goto done;
	for (;;) {
		ssize_t r = recv(fd, reply + got, sizeof(reply) - 1 - got, 0);
		if (r <= 0)
			break;
		got += (size_t)r;
		if (got == sizeof(reply) - 1)
			break;
	}
	reply[got] = '\0';
	if (got >= 12 && strncmp(reply, "HTTP/1.1 ", 9) == 0)
		status = (int)strtol(reply + 9, NULL, 10);
done:
	close(fd);
	return status;
}

/* ---- the burst ---- */

struct burst {
	unsigned int port;
	pthread_mutex_t lock;
	int next;
	int status[BURST];
	int accepted;
};

static void *burst_main(void *arg)
{
	struct burst *b = arg;
	char id[32];
	for (;;) {
		int i, st;
		pthread_mutex_lock(&b->lock);
		i = b->next < BURST ? b->next++ : -1;
		pthread_mutex_unlock(&b->lock);
		if (i < 0)
			break;
		snprintf(id, sizeof(id), "burst-%d", i);
		st = post(b->port, id);
		pthread_mutex_lock(&b->lock);
		b->status[i] = st;
		if (st == 202)
			b->accepted++;
		pthread_mutex_unlock(&b->lock);
	}
	return NULL;
}

static sqlite3 *open_store(void)
{
	char path[128];
	sqlite3 *db = NULL;
	snprintf(path, sizeof(path), "%s/clearance.db", dir);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	return db;
}

static long long query(sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (arg)
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void wait_drained(void)
{
	long long deadline = now_ms() + 60000, left = -1;
	while (now_ms() < deadline) {
		sqlite3 *db = open_store();
		left = query(db, "SELECT count(*) FROM deliveries WHERE state IN ('queued', 'running')", NULL);
		sqlite3_close(db);
		if (left == 0)
			return;
		usleep(50000);
	}
	fail_msg("queue not drained: %lld left", left);
}

static void stop(pid_t pid)
{
	int status;
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	live_child = 0;
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_kill9_during_burst(void **state)
{
	static struct burst b;
	pthread_t th[16];
	unsigned int port;
	pid_t pid;
	sqlite3 *db;
	char id[32];
	int i, status, killed_at, accepted_before, redelivered_new = 0;

	(void)state;
	memset(&b, 0, sizeof(b));
	pthread_mutex_init(&b.lock, NULL);
	pid = serve(&port);
	b.port = port;
	for (i = 0; i < 16; i++)
		assert_int_equal(pthread_create(&th[i], NULL, burst_main, &b), 0);
	/* kill in the middle: some deliveries answered, some in flight, some not sent */
	for (;;) {
		pthread_mutex_lock(&b.lock);
		killed_at = b.accepted;
		pthread_mutex_unlock(&b.lock);
		if (killed_at >= BURST / 3)
			break;
		usleep(1000);
	}
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	live_child = 0;
	assert_true(WIFSIGNALED(status));
	for (i = 0; i < 16; i++)
		pthread_join(th[i], NULL);
	accepted_before = b.accepted;
	assert_true(accepted_before >= BURST / 3);
	assert_true(accepted_before < BURST);
	db = open_store();
	print_message("kill -9 after %d accepted; %d accepted in all; in the store at the kill: "
		"%lld queued, %lld running, %lld done\n", killed_at, accepted_before,
		query(db, "SELECT count(*) FROM deliveries WHERE state = 'queued'", NULL),
		query(db, "SELECT count(*) FROM deliveries WHERE state = 'running'", NULL),
		query(db, "SELECT count(*) FROM deliveries WHERE state = 'done'", NULL));
	sqlite3_close(db);

	/* restart: deliveries left running by the dead process are claimed again */
	pid = serve(&port);
	wait_drained();
	db = open_store();
	for (i = 0; i < BURST; i++) {
		if (b.status[i] != 202)
			continue;
		snprintf(id, sizeof(id), "burst-%d", i);
		if (query(db, "SELECT count(*) FROM processed_events p JOIN deliveries d ON p.delivery = d.id"
				" WHERE d.delivery_id = ?1", id) != 1)
			fail_msg("delivery %s was answered 202 but processed %lld times", id,
				query(db, "SELECT count(*) FROM processed_events p JOIN deliveries d"
					" ON p.delivery = d.id WHERE d.delivery_id = ?1", id));
	}
	assert_int_equal(query(db, "SELECT count(*) FROM (SELECT delivery FROM processed_events"
		" GROUP BY delivery HAVING count(*) > 1)", NULL), 0);
	assert_int_equal(query(db, "SELECT count(*) FROM deliveries WHERE state <> 'done'", NULL), 0);
	sqlite3_close(db);

	/* the forge redelivers what it saw fail: stored ones are duplicates, the rest new */
	for (i = 0; i < BURST; i++) {
		int st;
		snprintf(id, sizeof(id), "burst-%d", i);
		st = post(port, id);
		if (b.status[i] == 202)
			assert_int_equal(st, 200);
		else if (st == 202)
			redelivered_new++;
		else
			assert_int_equal(st, 200);   /* stored before the kill, reply lost */
	}
	wait_drained();
	db = open_store();
	assert_int_equal(query(db, "SELECT count(*) FROM deliveries", NULL), BURST);
	assert_int_equal(query(db, "SELECT count(DISTINCT delivery) FROM processed_events", NULL), BURST);
	assert_int_equal(query(db, "SELECT count(*) FROM processed_events", NULL), BURST);
	sqlite3_close(db);
	print_message("after redelivery: %d new, every one of %d processed exactly once\n",
		redelivered_new, BURST);
	stop(pid);
}

/* Run the program, capture stdout; the exit status. */
static int run(char *out, size_t size, const char *const args[])
{
	int p[2], status;
	size_t got = 0;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		execv(bin, (char *const *)args);
		_exit(127);
	}
	close(p[1]);
	for (;;) {
		ssize_t r = read(p[0], out + got, size - 1 - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	out[got] = '\0';
	close(p[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_deliveries_commands(void **state)
{
	char out[65536];
	unsigned int port;
	pid_t pid;
	sqlite3 *db;
	const char *list[] = { bin, "deliveries", "--config", cfg_path, "list", "--limit", "3", NULL };
	const char *failed[] = { bin, "deliveries", "--data-dir", dir, "list", "--state", "failed", NULL };
	const char *show[] = { bin, "deliveries", "--data-dir", dir, "show", "1", NULL };
	const char *retry[] = { bin, "deliveries", "--data-dir", dir, "retry", "1", NULL };
	const char *missing[] = { bin, "deliveries", "--data-dir", dir, "show", "999999", NULL };
	const char *badstate[] = { bin, "deliveries", "--data-dir", dir, "list", "--state", "lost", NULL };
	const char *nostore[] = { bin, "deliveries", "--data-dir", "/nonexistent/x", "list", NULL };

	(void)state;
	assert_int_equal(run(out, sizeof(out), list), 0);
	assert_non_null(strstr(out, "ID       FORGE   EVENT                        STATE    DELIVERY"));
	assert_non_null(strstr(out, "github  pull_request.opened          done     burst-"));
	{
		/* a header and three rows */
		int lines = 0;
		const char *p;
		for (p = out; *p; p++)
			lines += *p == '\n';
		assert_int_equal(lines, 4);
	}
	assert_int_equal(run(out, sizeof(out), failed), 0);
	assert_null(strstr(out, "burst-"));
	assert_int_equal(run(out, sizeof(out), show), 0);
	assert_non_null(strstr(out, "id:          1\nforge:       github\n"));
	assert_non_null(strstr(out, "event:       pull_request.opened\n"));
	assert_non_null(strstr(out, "repository:  Codertocat/Hello-World\n"));
	assert_non_null(strstr(out, "state:       done\n"));
	assert_non_null(strstr(out, "body:        25194 bytes\n"));
	assert_int_equal(run(out, sizeof(out), missing), 2);
	assert_non_null(strstr(out, "no delivery 999999"));
	assert_int_equal(run(out, sizeof(out), badstate), 2);
	assert_int_equal(run(out, sizeof(out), nostore), 2);
	assert_non_null(strstr(out, "no store at '/nonexistent/x/clearance.db'"));

	/* an admin's retry is processed again by a running server */
	pid = serve(&port);
	assert_int_equal(run(out, sizeof(out), retry), 0);
	assert_string_equal(out, "delivery 1 queued again\n");
	{
		long long deadline = now_ms() + 10000, n = 0;
		while (now_ms() < deadline) {
			db = open_store();
			n = query(db, "SELECT count(*) FROM processed_events WHERE delivery = 1", NULL);
			sqlite3_close(db);
			if (n == 2)
				break;
			usleep(50000);
		}
		assert_int_equal(n, 2);
	}
	stop(pid);
	assert_int_equal(run(out, sizeof(out), show), 0);
	assert_non_null(strstr(out, "state:       done\nattempts:    1\n"));
}

static int group_setup(void **state)
{
	const char *env = getenv("CLEARANCE_BIN");
	FILE *fp;
	struct cl_buf b = CL_BUF_INIT;

	(void)state;
	if (env) {
		snprintf(bin, sizeof(bin), "%s", env);
	} else {
		/* BUILD/tests/test_bot_crash -> BUILD/clearance */
		ssize_t n = readlink("/proc/self/exe", bin, sizeof(bin) - 1);
		char *slash;
		if (n <= 0)
			return -1;
		bin[n] = '\0';
		slash = strrchr(bin, '/');
		if (!slash)
			return -1;
		*slash = '\0';
		slash = strrchr(bin, '/');
		if (!slash)
			return -1;
		snprintf(slash, sizeof(bin) - (size_t)(slash - bin), "/clearance");
	}
	if (access(bin, X_OK) != 0) {
		fprintf(stderr, "no program at %s\n", bin);
		return -1;
	}
	snprintf(dir, sizeof(dir), "/tmp/cl-test-botcrash-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(cfg_path, sizeof(cfg_path), "%s/bot.yml", dir);
	fp = fopen(cfg_path, "w");
	if (!fp)
		return -1;
	fprintf(fp, "listen: 127.0.0.1:0\ndata_dir: %s\nworkers:\n  count: 2\n", dir);
	fclose(fp);
	cl_buf_init(&b, 0);
	if (cl_buf_read_path(&b, "tests/bot/webhooks/github/pull_request.opened.json") < 0)
		return -1;
	body_len = b.size;
	body = cl_buf_detach(&b);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[128];
	(void)state;
	if (live_child > 0) {
		kill(live_child, SIGKILL);
		waitpid(live_child, NULL, 0);
	}
	free(body);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill9_during_burst),
		cmocka_unit_test(test_deliveries_commands),
	};
	return cmocka_run_group_tests_name("bot_crash", tests, group_setup, group_teardown);
}
