/*
 * bot_test_util.h - `clearance serve` as a child of an end-to-end test:
 * started on a config the test wrote, found through the port it prints,
 * stopped with SIGTERM, its log checked for sanitizer reports. Included by
 * one test program at a time (static functions).
 */
#ifndef BOT_TEST_UTIL_H
#define BOT_TEST_UTIL_H

#include "shell_test_util.h"
#include "http_client.h"
#include "webhook.h"

#include <jansson.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

struct bot_child {
	pid_t pid;
	unsigned int port;   /* from its "listening on" line */
	char log[300];       /* its stderr, appended across restarts */
	int deliveries;      /* sent by bot_child_deliver: the last id is e2e-PID-deliveries */
};
#define BOT_CHILD_INIT { -1, 0, "", 0 }

/*
 * Start `bin serve --config cfg` with its output in dir/bot.out and
 * dir/bot.err (CLEARANCE_NOW=now when now is not 0) and wait for it to
 * listen (up to 30 s: sanitizer builds on a busy machine start slowly).
 */
STU void bot_child_start(struct bot_child *b, const char *bin, const char *cfg, const char *dir,
	long long now)
{
	char out_path[300], env[32];
	int i;

	snprintf(out_path, sizeof(out_path), "%s/bot.out", dir);
	snprintf(b->log, sizeof(b->log), "%s/bot.err", dir);
	snprintf(env, sizeof(env), "%lld", now);
	unlink(out_path);   /* a restart must not read the old port */
	b->port = 0;
	b->pid = fork();
	assert_true(b->pid >= 0);
	if (b->pid == 0) {
#ifdef __linux__
		prctl(PR_SET_PDEATHSIG, SIGTERM);   /* a test that crashes leaves no server behind */
#endif
		if (now)
			setenv("CLEARANCE_NOW", env, 1);
		if (!freopen(out_path, "w", stdout) || !freopen(b->log, "a", stderr))
			_exit(127);
		execl(bin, bin, "serve", "--config", cfg, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 3000 && !b->port; i++) {
		FILE *f = fopen(out_path, "r");
		char line[512];

		if (f) {
			while (fgets(line, sizeof(line), f))
				if (sscanf(line, "clearance: listening on http://127.0.0.1:%u/", &b->port) == 1)
					break;
			fclose(f);
		}
		if (!b->port)
			usleep(10000);
	}
	if (!b->port) {
		sh("cat %s >&2", b->log);
		fail_msg("clearance serve did not start");
	}
}

/*
 * Stop it and wait. @return 1 when its log holds a sanitizer report (then
 * printed), for the caller to fail on; 0 otherwise.
 */
STU int bot_child_stop(struct bot_child *b)
{
	char out[256];

	if (b->pid > 0) {
		kill(b->pid, SIGTERM);
		waitpid(b->pid, NULL, 0);
	}
	b->pid = -1;
	if (*b->log && sh_status(out, sizeof(out), "grep -l 'Sanitizer\\|runtime error' %s", b->log) == 0) {
		sh("cat %s >&2", b->log);
		return 1;
	}
	return 0;
}

/*
 * Send `payload` as a webhook delivery the way GitHub (or Gitea, when
 * `gitea`) does: its event and delivery headers, signed with `secret`
 * (GitHub: "sha256=" hex in X-Hub-Signature-256; Gitea: bare hex). The
 * bot must answer 202.
 */
STU void bot_child_deliver(struct bot_child *b, int gitea, const char *secret, const char *event,
	json_t *payload)
{
	struct cl_http_client *c = NULL;
	struct cl_http_request req = CL_HTTP_REQUEST_INIT;
	struct cl_http_response resp = CL_HTTP_RESPONSE_INIT;
	char *body = json_dumps(payload, JSON_COMPACT);
	char url[128], sig[72], h_event[128], h_id[128], h_sig[128];
	const char *headers[5];
	const char *forge = gitea ? "Gitea" : "GitHub";

	assert_non_null(body);
	cl_webhook_sign(sig, secret, strlen(secret), body, strlen(body), !gitea);
	snprintf(h_event, sizeof(h_event), "X-%s-Event: %s", forge, event);
	snprintf(h_id, sizeof(h_id), "X-%s-Delivery: e2e-%d-%d", forge, (int)getpid(), ++b->deliveries);
	snprintf(h_sig, sizeof(h_sig), "%s: %s", gitea ? "X-Gitea-Signature" : "X-Hub-Signature-256",
		sig);
	headers[0] = h_event;
	headers[1] = h_id;
	headers[2] = h_sig;
	headers[3] = "Content-Type: application/json";
	headers[4] = NULL;
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/webhooks/%s", b->port, gitea ? "gitea" : "github");
	assert_int_equal(cl_http_client_new(&c, NULL), 0);
	req.method = "POST";
	req.url = url;
	req.body = body;
	req.body_len = strlen(body);
	req.headers = headers;
	assert_int_equal(cl_http_client_send(&resp, c, &req), 0);
	assert_int_equal(resp.status, 202);
	cl_http_response_dispose(&resp);
	cl_http_client_free(c);
	free(body);
}

#endif
