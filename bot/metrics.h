/*
 * metrics.h - the bot's counters and histograms, rendered for GET /metrics
 * in the Prometheus text exposition format (version 0.0.4).
 *
 * Layer rule: bot/ leaf module. Recording is thread-safe and cheap (one
 * mutex, no allocation after the first sight of a label set). Label values
 * that come from requests are bounded: events outside [a-z0-9_] or past
 * CL_METRICS_MAX_SERIES distinct series are counted as "other", so a
 * hostile sender cannot grow the metrics without bound.
 */
#ifndef CL_BOT_METRICS_H
#define CL_BOT_METRICS_H

#include "buf.h"

#define CL_METRICS_MAX_SERIES 256

struct cl_bot_metrics;

int cl_bot_metrics_new(struct cl_bot_metrics **out);
void cl_bot_metrics_free(struct cl_bot_metrics *m);

/* A request to a webhook route and its outcome ("accepted", "duplicate",
 * "ping", "unauthorized", "bad_request", "too_large", "error"). */
void cl_bot_metrics_delivery(struct cl_bot_metrics *m, const char *forge, const char *event,
	const char *outcome);

/* Seconds from the end of a request's body to its reply (signature, decode, commit). */
void cl_bot_metrics_intake_seconds(struct cl_bot_metrics *m, double seconds);

/* One processing attempt: outcome "done", "retry" or "failed". */
void cl_bot_metrics_processed(struct cl_bot_metrics *m, const char *event, const char *outcome,
	double seconds);

/*
 * Append the exposition. `gauges` are the queue's depth by state, read by
 * the caller from the store (queued, running, done, failed; -1 when unknown).
 */
int cl_bot_metrics_render(struct cl_buf *out, struct cl_bot_metrics *m, const long long gauges[4]);

struct cl_http_counts;

/*
 * Append the forge client's counters (bot/http_client.h) as
 * clearance_forge_api_calls_total{forge,status} and friends. With
 * `with_help`, the HELP and TYPE lines first (once per scrape).
 */
int cl_bot_metrics_render_forge(struct cl_buf *out, const char *forge,
	const struct cl_http_counts *counts, int with_help);

#endif
