/*
 * forge_test_util.h - shared by the forge tests: start the stand-in forge
 * (tests/tools/forge_standin.c) on 127.0.0.1, script it, read its request
 * log, and a fake clock/sleep table that records every wait instead of
 * waiting. Included by one test program at a time (static functions).
 */
#ifndef FORGE_TEST_UTIL_H
#define FORGE_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <libgen.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "http_client.h"

/* Not every test program uses every helper. */
#define FTU static __attribute__((unused))

#define TEST_TOKEN "ghp_TESTSECRETtoken0123456789abcdef"

/* Set by main from argv[0]: the stand-in is built next to the tests. */
static const char *test_argv0;

struct standin {
	pid_t pid;
	unsigned int port;
	char dir[256];
	char base[128];        /* http://127.0.0.1:PORT */
	char log_path[300];
};

/* ---- fake clock and sleep ---- */

struct fake_sys {
	time_t now;
	unsigned long sleeps[64];
	size_t nsleeps;
};

FTU void fake_sleep(unsigned long ms, void *ctx)
{
	struct fake_sys *fs = ctx;
	if (fs->nsleeps < 64)
		fs->sleeps[fs->nsleeps++] = ms;
	fs->now += (time_t)(ms / 1000);
}

FTU time_t fake_now(void *ctx)
{
	return ((struct fake_sys *)ctx)->now;
}

/* ---- log capture: every line the client logs, to search for secrets ---- */

/* Workers log from several threads: the callback must be thread-safe. */
static pthread_mutex_t capture_lock = PTHREAD_MUTEX_INITIALIZER;

FTU void capture_log(const char *line, void *payload)
{
	struct cl_buf *b = payload;
	pthread_mutex_lock(&capture_lock);
	cl_buf_puts(b, line);
	cl_buf_putc(b, '\n');
	pthread_mutex_unlock(&capture_lock);
}

/* ---- the stand-in ---- */

FTU const char *srcdir(void)
{
	const char *d = getenv("CLEARANCE_SRCDIR");
	return d && *d ? d : ".";
}

FTU void standin_start(struct standin *s)
{
	char bin[1024], spec[1024], gspec[1024], port_path[300], *copy;
	int i;

	memset(s, 0, sizeof(*s));
	copy = strdup(test_argv0);
	assert_non_null(copy);
	snprintf(bin, sizeof(bin), "%s/forge_standin", dirname(copy));
	free(copy);
	snprintf(spec, sizeof(spec), "%s/tests/bot/openapi/github-subset.json", srcdir());
	snprintf(gspec, sizeof(gspec), "%s/tests/bot/openapi/gitea-subset.json", srcdir());
	snprintf(s->dir, sizeof(s->dir), "/tmp/clearance-standin-XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	snprintf(port_path, sizeof(port_path), "%s/port", s->dir);
	snprintf(s->log_path, sizeof(s->log_path), "%s/log", s->dir);
	s->pid = fork();
	assert_true(s->pid >= 0);
	if (s->pid == 0) {
#ifdef __linux__
		/* A test that crashes must not leave its stand-in running. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
		execl(bin, bin, "--openapi", spec, "--openapi-gitea", gspec, "--port-file", port_path, "--log", s->log_path,
			"--token", TEST_TOKEN, (char *)NULL);
		fprintf(stderr, "cannot run '%s': %s\n", bin, strerror(errno));
		_exit(127);
	}
	/* The stand-in writes the port file once it listens (rename: never half written). */
	for (i = 0; i < 1500; i++) { /* up to 15 s: sanitizer builds on a busy machine start slowly */
		FILE *fp = fopen(port_path, "r");
		if (fp) {
			int ok = fscanf(fp, "%u", &s->port) == 1;
			fclose(fp);
			if (ok && s->port)
				break;
		}
		usleep(10000);
	}
	assert_true(s->port > 0);
	snprintf(s->base, sizeof(s->base), "http://127.0.0.1:%u", s->port);
}

FTU void standin_stop(struct standin *s)
{
	char path[400];
	int status;
	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, &status, 0);
	}
	snprintf(path, sizeof(path), "%s/port", s->dir);
	unlink(path);
	unlink(s->log_path);
	rmdir(s->dir);
}

/* A control request (faults, teams, pulls) or GET of the state. */
FTU json_t *standin_control(struct standin *s, const char *method, const char *what, const char *body)
{
	struct cl_http_client *c = NULL;
	struct cl_http_request req = CL_HTTP_REQUEST_INIT;
	struct cl_http_response resp = CL_HTTP_RESPONSE_INIT;
	char url[300];
	json_t *out;
	assert_int_equal(cl_http_client_new(&c, NULL), 0);
	snprintf(url, sizeof(url), "%s/_standin/%s", s->base, what);
	req.method = method;
	req.url = url;
	req.body = body;
	req.body_len = body ? strlen(body) : 0;
	assert_int_equal(cl_http_client_send(&resp, c, &req), 0);
	assert_true(resp.status == 200 || resp.status == 201);
	out = json_loadb(resp.body.ptr, resp.body.size, 0, NULL);
	assert_non_null(out);
	cl_http_response_dispose(&resp);
	cl_http_client_free(c);
	return out;
}

FTU void standin_fault(struct standin *s, const char *json)
{
	json_decref(standin_control(s, "POST", "faults", json));
}

/* How many logged requests have `method` and a path containing `path_part`. */
FTU int standin_count(struct standin *s, const char *method, const char *path_part)
{
	struct cl_buf b = CL_BUF_INIT;
	char *save = NULL, *line;
	int n = 0;
	cl_buf_init(&b, 0);
	assert_int_equal(cl_buf_read_path(&b, s->log_path), 0);
	for (line = strtok_r(b.ptr ? b.ptr : (char *)"", "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *j = json_loads(line, 0, NULL);
		const char *m = json_string_value(json_object_get(j, "method"));
		const char *p = json_string_value(json_object_get(j, "path"));
		if (m && p && strcmp(m, method) == 0 && strstr(p, path_part))
			n++;
		json_decref(j);
	}
	cl_buf_dispose(&b);
	return n;
}

/*
 * The checks every test ends with: no request broke the published API
 * description, and the token is in no log line (ours or the stand-in's).
 */
FTU void standin_assert_clean(struct standin *s, const char *client_log)
{
	struct cl_buf b = CL_BUF_INIT;
	cl_buf_init(&b, 0);
	assert_int_equal(cl_buf_read_path(&b, s->log_path), 0);
	if (strstr(cl_buf_cstr(&b), "\"violation\"")) {
		fprintf(stderr, "stand-in log:\n%s\n", cl_buf_cstr(&b));
		fail_msg("a request violated the forge's API description");
	}
	assert_null(strstr(cl_buf_cstr(&b), TEST_TOKEN));
	assert_null(strstr(cl_buf_cstr(&b), "ghs_standin"));
	if (client_log) {
		assert_null(strstr(client_log, TEST_TOKEN));
		assert_null(strstr(client_log, "ghs_standin"));
	}
	cl_buf_dispose(&b);
}

#endif
