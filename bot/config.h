/*
 * config.h - the bot's configuration file (bot.yml), docs/bot.md describes it.
 *
 * Layer rule: bot/ front-end module over libyaml. It only reads and checks
 * settings; the server, the intake, the workers and the forge clients take
 * what they need from the struct. Every key has a default, so an empty or
 * missing file gives a bot that listens on 127.0.0.1:8080 and keeps its
 * store in ./clearance-data.
 */
#ifndef CL_BOT_CONFIG_H
#define CL_BOT_CONFIG_H

#include <stddef.h>

#include "db.h"

/*
 * One forge's settings. The webhook secret verifies what the forge sends
 * us; the rest is for the forge client (bot/forge.h) that calls it back.
 * Secrets come from the file, from `<key>_file` (a path whose content,
 * trailing newline removed, is the secret) or from the environment
 * (CLEARANCE_GITHUB_WEBHOOK_SECRET, CLEARANCE_GITHUB_TOKEN, and the
 * same with GITEA), the environment winning.
 */
struct cl_bot_forge_config {
	char *kind;              /* github: "github"; gitea: "gitea" or "forgejo" */
	char *webhook_secret;    /* NULL: this forge's route refuses every delivery */
	char *base_url;          /* API root; NULL: https://api.github.com for github */
	char *token;             /* personal or bot token; NULL when an app is used */
	long long app_id;        /* GitHub App id; 0 when none */
	char *private_key_path;  /* the App's PEM key */
	long long installation_id;  /* the App's installation; 0: from each delivery's payload */
	unsigned int team_cache_seconds;  /* team listings kept (forge.h), 300; 0: none */
};

struct cl_bot_config {
	char *listen_address;    /* "127.0.0.1" */
	unsigned int port;       /* 8080; 0 picks a free port */
	char *data_dir;          /* "./clearance-data" */
	char *policy_path;       /* the server's default policy; NULL = built-in default */
	char *bot_login;         /* the bot's own forge login, or NULL */
	enum cl_db_sync durability;  /* process (NORMAL) by default, or power (FULL) */

	size_t max_body_bytes;       /* 25 MB */
	unsigned int connections;    /* open connections at once, 1024 */
	unsigned int connections_per_ip;  /* 0: no per-address limit */
	unsigned int connection_timeout;  /* seconds a connection may stay idle, 10 */
	unsigned int request_timeout;     /* seconds to send a whole request body, 30 */
	unsigned int http_threads;        /* server threads, 4 */
	size_t connection_memory;         /* per-connection header memory, 64 KB */

	unsigned int workers;         /* processing threads, 2 */
	unsigned int max_attempts;    /* tries before a delivery is parked as failed, 5 */
	unsigned int retry_base_ms;   /* first retry delay, doubled each time, 1000 */
	unsigned int retry_max_ms;    /* longest retry delay, 300000 */
	unsigned int lease_seconds;   /* a claim older than this is taken back, 600 */

	struct cl_bot_forge_config github, gitea;

	/*
	 * Hosted repositories (docs/bot.md "Hosted repositories"): their
	 * post-receive posts push events to /events/push, signed with this
	 * secret (NULL: the route refuses everything), and their issues go to
	 * `tracker` ("owner/repo") on `tracker_forge` ("github" or "gitea";
	 * NULL: github when it has credentials, else gitea) unless the event
	 * names a tracker of its own.
	 */
	char *events_secret;
	char *tracker;
	char *tracker_forge;
	/* Added to every follow-up issue (forge pushes too); NULL-terminated or NULL. */
	char **labels;
	char **assignees;
	/*
	 * GET /dashboard (bot/dashboard.h) asks for this token (Bearer header
	 * or cookie); NULL: the dashboard is off (404). 16 to 256 characters
	 * that are safe in a cookie and a header, checked at load.
	 */
	char *dashboard_token;
};

/*
 * Read `path` (NULL: defaults only) and apply the environment.
 * @return 0; CL_EINVALID with "FILE:LINE:COL: problem (hint: ...)" for a
 *   bad file; CL_ERROR when a file cannot be read. *out only on success.
 */
int cl_bot_config_load(struct cl_bot_config **out, const char *path);

void cl_bot_config_free(struct cl_bot_config *cfg);

#endif
