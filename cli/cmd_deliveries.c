/*
 * clearance deliveries list [--state S] [--limit N] | show ID | retry ID
 *
 * The admin's view of the bot's delivery queue, read from the same store
 * the server writes (SQLite WAL lets both work at once).
 */
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../bot/config.h"
#include "../bot/queue.h"
#include "../bot/server.h"
#include "error.h"

static void deliveries_usage(FILE *fp)
{
	fprintf(fp,
		"usage: clearance deliveries [--config FILE | --data-dir DIR] list [--state S] [--limit N]\n"
		"       clearance deliveries [--config FILE | --data-dir DIR] show ID\n"
		"       clearance deliveries [--config FILE | --data-dir DIR] retry ID\n"
		"\n"
		"States: queued, running, done, failed. 'retry' queues a done or failed\n"
		"delivery again; a running server picks it up within a second.\n");
}

static void format_time(char *dst, size_t size, long long ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	if (ms <= 0 || !gmtime_r(&t, &tm) || !strftime(dst, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(dst, size, "-");
}

static int print_row(const struct cl_delivery *d, void *payload)
{
	char when[32], event[96];
	(void)payload;
	format_time(when, sizeof(when), d->received_at);
	snprintf(event, sizeof(event), "%s%s%s", d->event, d->action ? "." : "", d->action ? d->action : "");
	printf("%-8lld %-7s %-28s %-8s %-36s %3d  %s\n", d->id, d->forge, event, d->state,
		d->delivery_id, d->attempts, when);
	return 0;
}

static int parse_id(long long *out, const char *s)
{
	char *end;
	long long v;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || end == s || v <= 0)
		return -1;
	*out = v;
	return 0;
}

static int list(struct cl_queue *q, int argc, char **argv)
{
	const char *state = NULL;
	long long limit = 50;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--state") && i + 1 < argc) {
			state = argv[++i];
			if (strcmp(state, "queued") && strcmp(state, "running") && strcmp(state, "done") &&
			    strcmp(state, "failed")) {
				fprintf(stderr, "clearance deliveries: unknown state '%s' "
					"(queued, running, done, failed)\n", state);
				return CL_EXIT_CONFIG;
			}
		} else if (!strcmp(argv[i], "--limit") && i + 1 < argc) {
			if (parse_id(&limit, argv[++i]) < 0 || limit > 1000000) {
				fprintf(stderr, "clearance deliveries: --limit takes a number from 1 to 1000000\n");
				return CL_EXIT_CONFIG;
			}
		} else {
			deliveries_usage(stderr);
			return CL_EXIT_CONFIG;
		}
	}
	printf("%-8s %-7s %-28s %-8s %-36s %3s  %s\n", "ID", "FORGE", "EVENT", "STATE",
		"DELIVERY", "TRY", "RECEIVED");
	if (cl_queue_list(q, state, (int)limit, print_row, NULL) < 0) {
		cli_error("deliveries list");
		return CL_EXIT_CONFIG;
	}
	return CL_EXIT_OK;
}

static int show(struct cl_queue *q, const char *arg)
{
	struct cl_delivery *d = NULL;
	char received[32], next[32], finished[32];
	long long id;

	if (parse_id(&id, arg) < 0) {
		fprintf(stderr, "clearance deliveries: '%s' is not a delivery number\n", arg);
		return CL_EXIT_CONFIG;
	}
	if (cl_queue_get(&d, q, id) < 0) {
		cli_error("deliveries show");
		return CL_EXIT_CONFIG;
	}
	format_time(received, sizeof(received), d->received_at);
	format_time(next, sizeof(next), d->next_attempt_at);
	format_time(finished, sizeof(finished), d->finished_at);
	printf("id:          %lld\n"
		"forge:       %s\n"
		"delivery:    %s\n"
		"event:       %s%s%s\n"
		"repository:  %s\n"
		"state:       %s\n"
		"attempts:    %d\n"
		"received:    %s\n"
		"next try:    %s\n"
		"finished:    %s\n"
		"last error:  %s\n"
		"body:        %zu bytes\n",
		d->id, d->forge, d->delivery_id, d->event, d->action ? "." : "", d->action ? d->action : "",
		d->repo ? d->repo : "-", d->state, d->attempts, received,
		!strcmp(d->state, "queued") ? next : "-", finished,
		d->last_error ? d->last_error : "-", d->body_len);
	cl_delivery_free(d);
	return CL_EXIT_OK;
}

static int retry(struct cl_queue *q, const char *arg)
{
	long long id;
	if (parse_id(&id, arg) < 0) {
		fprintf(stderr, "clearance deliveries: '%s' is not a delivery number\n", arg);
		return CL_EXIT_CONFIG;
	}
	if (cl_queue_retry(q, id, cl_queue_now_ms()) < 0) {
		cli_error("deliveries retry");
		return CL_EXIT_CONFIG;
	}
	printf("delivery %lld queued again\n", id);
	return CL_EXIT_OK;
}

int cmd_deliveries(int argc, char **argv)
{
	const char *config = NULL, *data_dir = NULL;
	struct cl_bot_config *cfg = NULL;
	struct cl_queue *q = NULL;
	char *db_path = NULL;
	int i = 1, rc = CL_EXIT_CONFIG;

	for (; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			config = argv[++i];
		else if (!strcmp(argv[i], "--data-dir") && i + 1 < argc)
			data_dir = argv[++i];
		else
			break;
	}
	if (i >= argc || !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
		deliveries_usage(i >= argc ? stderr : stdout);
		return i >= argc ? CL_EXIT_CONFIG : CL_EXIT_OK;
	}
	if (cl_bot_config_load(&cfg, config) < 0) {
		cli_error("deliveries");
		return CL_EXIT_CONFIG;
	}
	db_path = cl_bot_db_path(data_dir ? data_dir : cfg->data_dir);
	if (!db_path) {
		fprintf(stderr, "clearance deliveries: out of memory\n");
		goto done;
	}
	{
		/* an admin command never creates a store: a missing one is a wrong directory */
		FILE *fp = fopen(db_path, "rb");
		if (!fp) {
			fprintf(stderr, "clearance deliveries: no store at '%s' (use --data-dir or --config)\n",
				db_path);
			goto done;
		}
		fclose(fp);
	}
	if (cl_queue_open(&q, db_path, cfg->durability, NULL) < 0) {
		cli_error("deliveries");
		goto done;
	}
	if (!strcmp(argv[i], "list"))
		rc = list(q, argc - i, argv + i);
	else if (!strcmp(argv[i], "show") && i + 1 < argc)
		rc = show(q, argv[i + 1]);
	else if (!strcmp(argv[i], "retry") && i + 1 < argc)
		rc = retry(q, argv[i + 1]);
	else
		deliveries_usage(stderr);
done:
	cl_queue_close(q);
	free(db_path);
	cl_bot_config_free(cfg);
	return rc;
}
