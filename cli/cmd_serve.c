/*
 * clearance serve [--config bot.yml] [--listen ADDR:PORT] [--data-dir DIR]
 *
 * Runs the webhook bot until SIGINT or SIGTERM. The work is in bot/; this
 * file reads the arguments, raises the open-file limit to fit the
 * configured connections, and waits for a signal.
 */
#include "commands.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "../bot/bot.h"
#include "../bot/config.h"
#include "../bot/server.h"
#include "error.h"

static void serve_usage(FILE *fp)
{
	fprintf(fp,
		"usage: clearance serve [--config FILE] [--listen ADDR:PORT] [--data-dir DIR]\n"
		"\n"
		"Run the webhook bot: POST /webhooks/github and /webhooks/gitea, GET /healthz\n"
		"and /metrics. Without a configuration file it listens on 127.0.0.1:8080 and\n"
		"keeps its store in ./clearance-data/clearance.db. Webhook secrets come from\n"
		"the file or from CLEARANCE_GITHUB_WEBHOOK_SECRET / CLEARANCE_GITEA_WEBHOOK_SECRET.\n"
		"Port 0 picks a free port; the bound one is printed. docs/bot.md has the rest.\n");
}

/* Each connection is a descriptor; the default soft limit (1024) is often too low. */
static void raise_nofile(unsigned int connections)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)connections + 256;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want ? want : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		fprintf(stderr, "level=warn component=serve msg=\"cannot raise the open-file limit\"\n");
}

/* Replace a string setting from the command line. */
static int override(char **slot, const char *value)
{
	char *copy = strdup(value);
	if (!copy)
		return cl_error_set("out of memory");
	free(*slot);
	*slot = copy;
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	const char *config = NULL, *listen = NULL, *data_dir = NULL;
	struct cl_bot_config *cfg = NULL;
	struct cl_bot_server *srv = NULL;
	struct cl_bot_server_options server_opts = CL_BOT_SERVER_OPTIONS_INIT;
	struct cl_bot *bot = NULL;
	sigset_t set;
	int i, sig = 0, rc = CL_EXIT_CONFIG;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			serve_usage(stdout);
			return CL_EXIT_OK;
		} else if (!strcmp(argv[i], "--config") && i + 1 < argc) {
			config = argv[++i];
		} else if (!strcmp(argv[i], "--listen") && i + 1 < argc) {
			listen = argv[++i];
		} else if (!strcmp(argv[i], "--data-dir") && i + 1 < argc) {
			data_dir = argv[++i];
		} else {
			fprintf(stderr, "clearance serve: unknown argument '%s'\n", argv[i]);
			serve_usage(stderr);
			return CL_EXIT_CONFIG;
		}
	}
	if (cl_bot_config_load(&cfg, config) < 0) {
		cli_error("serve");
		return CL_EXIT_CONFIG;
	}
	if (listen) {
		/* the same syntax as the file's listen key, through a one-line document */
		const char *colon = strrchr(listen, ':');
		char *end;
		long port;
		if (!colon || colon == listen) {
			fprintf(stderr, "clearance serve: --listen takes ADDR:PORT\n");
			goto done;
		}
		port = strtol(colon + 1, &end, 10);
		if (*end || port < 0 || port > 65535 || end == colon + 1) {
			fprintf(stderr, "clearance serve: invalid port in '%s'\n", listen);
			goto done;
		}
		free(cfg->listen_address);
		cfg->listen_address = NULL;
		if (listen[0] == '[' && colon[-1] == ']') {
			cfg->listen_address = strndup(listen + 1, (size_t)(colon - listen - 2));
		} else {
			cfg->listen_address = strndup(listen, (size_t)(colon - listen));
		}
		if (!cfg->listen_address) {
			fprintf(stderr, "clearance serve: out of memory\n");
			goto done;
		}
		cfg->port = (unsigned int)port;
	}
	if (data_dir && override(&cfg->data_dir, data_dir) < 0) {
		cli_error("serve");
		goto done;
	}
	if (!cfg->github.webhook_secret && !cfg->gitea.webhook_secret)
		fprintf(stderr, "level=warn component=serve msg=\"no webhook secret configured: "
			"every delivery will be refused (401); see docs/bot.md\"\n");

	raise_nofile(cfg->connections);
	/* the signals are taken by sigwait below, never by a handler in a random thread */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* The forge clients and the default policy fail here, at start-up, not at
	 * the first delivery. */
	if (cl_bot_new(&bot, cfg) < 0) {
		cli_error("serve");
		goto done;
	}
	server_opts.process = cl_bot_process;
	server_opts.process_payload = bot;
	server_opts.forge_metrics = cl_bot_forge_metrics;
	server_opts.forge_metrics_payload = bot;
	if (cl_bot_server_start(&srv, cfg, &server_opts) < 0) {
		cli_error("serve");
		goto done;
	}
	printf("clearance: listening on http://%s%s%s:%u/ (store %s)\n",
		strchr(cfg->listen_address, ':') ? "[" : "", cfg->listen_address,
		strchr(cfg->listen_address, ':') ? "]" : "", cl_bot_server_port(srv),
		cl_bot_server_db_path(srv));
	fflush(stdout);
	sigwait(&set, &sig);
	fprintf(stderr, "level=info component=serve msg=\"signal %d: stopping\"\n", sig);
	rc = CL_EXIT_OK;
done:
	cl_bot_server_stop(srv);
	cl_bot_free(bot);
	cl_bot_config_free(cfg);
	return rc;
}
