/*
 * metrics.c - counters by label set, two latency histograms.
 */
#include "metrics.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "http_client.h"

#define LABEL_MAX 48

/* Buckets in seconds: intake replies are milliseconds, processing may take seconds. */
static const double buckets[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
	0.25, 0.5, 1, 2.5, 5, 10, 30 };
#define NBUCKETS (sizeof(buckets) / sizeof(buckets[0]))

struct series {
	char a[LABEL_MAX], b[LABEL_MAX], c[LABEL_MAX];
	unsigned long long count;
};

struct histogram {
	unsigned long long bucket[NBUCKETS];
	unsigned long long count;
	double sum;
};

struct cl_bot_metrics {
	pthread_mutex_t lock;
	struct series deliveries[CL_METRICS_MAX_SERIES];   /* forge, event, outcome */
	size_t ndeliveries;
	struct series processed[CL_METRICS_MAX_SERIES];    /* event, outcome */
	size_t nprocessed;
	struct histogram intake, processing;
};

int cl_bot_metrics_new(struct cl_bot_metrics **out)
{
	struct cl_bot_metrics *m = calloc(1, sizeof(*m));
	if (!m)
		return cl_error_set("out of memory");
	pthread_mutex_init(&m->lock, NULL);
	*out = m;
	return 0;
}

void cl_bot_metrics_free(struct cl_bot_metrics *m)
{
	if (!m)
		return;
	pthread_mutex_destroy(&m->lock);
	free(m);
}

/* A label value we can print without escaping: [a-z0-9_], else "other". */
static void label(char dst[LABEL_MAX], const char *src)
{
	size_t i;
	if (!src || !*src || strlen(src) >= LABEL_MAX)
		goto other;
	for (i = 0; src[i]; i++)
		if (!((src[i] >= 'a' && src[i] <= 'z') || (src[i] >= '0' && src[i] <= '9') || src[i] == '_'))
			goto other;
	memcpy(dst, src, i + 1);
	return;
other:
	memcpy(dst, "other", 6);
}

static struct series *find(struct series *tab, size_t n, const char *a, const char *b, const char *c)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!strcmp(tab[i].a, a) && !strcmp(tab[i].b, b) && !strcmp(tab[i].c, c))
			return &tab[i];
	return NULL;
}

/*
 * Count one sample. The last OVERFLOW_SLOTS slots only take series whose
 * event is "other", so once the table is nearly full new events still count.
 * Lock held.
 */
#define OVERFLOW_SLOTS 16
static void bump(struct series *tab, size_t *n, const char *a, const char *b, const char *c)
{
	char la[LABEL_MAX], lb[LABEL_MAX], lc[LABEL_MAX];
	struct series *s;

	label(la, a);
	label(lb, b);
	label(lc, c);
	if ((s = find(tab, *n, la, lb, lc)) == NULL && *n >= CL_METRICS_MAX_SERIES - OVERFLOW_SLOTS) {
		memcpy(lb, "other", 6);
		s = find(tab, *n, la, lb, lc);
	}
	if (!s) {
		if (*n >= CL_METRICS_MAX_SERIES)
			return;
		s = &tab[(*n)++];
		memcpy(s->a, la, sizeof(la));
		memcpy(s->b, lb, sizeof(lb));
		memcpy(s->c, lc, sizeof(lc));
		s->count = 0;
	}
	s->count++;
}

static void observe(struct histogram *h, double seconds)
{
	size_t i;
	for (i = 0; i < NBUCKETS; i++)
		if (seconds <= buckets[i])
			h->bucket[i]++;
	h->count++;
	h->sum += seconds;
}

void cl_bot_metrics_delivery(struct cl_bot_metrics *m, const char *forge, const char *event,
	const char *outcome)
{
	pthread_mutex_lock(&m->lock);
	bump(m->deliveries, &m->ndeliveries, forge, event, outcome);
	pthread_mutex_unlock(&m->lock);
}

void cl_bot_metrics_intake_seconds(struct cl_bot_metrics *m, double seconds)
{
	pthread_mutex_lock(&m->lock);
	observe(&m->intake, seconds);
	pthread_mutex_unlock(&m->lock);
}

void cl_bot_metrics_processed(struct cl_bot_metrics *m, const char *event, const char *outcome,
	double seconds)
{
	pthread_mutex_lock(&m->lock);
	bump(m->processed, &m->nprocessed, "", event, outcome);
	observe(&m->processing, seconds);
	pthread_mutex_unlock(&m->lock);
}

static int render_histogram(struct cl_buf *out, const char *name, const char *help,
	const struct histogram *h)
{
	size_t i;
	int error = cl_buf_printf(out, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
	for (i = 0; i < NBUCKETS && error == 0; i++)
		error = cl_buf_printf(out, "%s_bucket{le=\"%g\"} %llu\n", name, buckets[i], h->bucket[i]);
	if (error == 0)
		error = cl_buf_printf(out, "%s_bucket{le=\"+Inf\"} %llu\n%s_sum %.6f\n%s_count %llu\n",
			name, h->count, name, h->sum, name, h->count);
	return error;
}

int cl_bot_metrics_render(struct cl_buf *out, struct cl_bot_metrics *m, const long long gauges[4])
{
	static const char *const states[4] = { "queued", "running", "done", "failed" };
	size_t i;
	int error;

	pthread_mutex_lock(&m->lock);
	error = cl_buf_puts(out,
		"# HELP clearance_deliveries_total Webhook requests by forge, event and outcome.\n"
		"# TYPE clearance_deliveries_total counter\n");
	for (i = 0; i < m->ndeliveries && error == 0; i++)
		error = cl_buf_printf(out, "clearance_deliveries_total{forge=\"%s\",event=\"%s\",outcome=\"%s\"} %llu\n",
			m->deliveries[i].a, m->deliveries[i].b, m->deliveries[i].c, m->deliveries[i].count);
	if (error == 0)
		error = cl_buf_puts(out,
			"# HELP clearance_processed_total Processing attempts by event and outcome.\n"
			"# TYPE clearance_processed_total counter\n");
	for (i = 0; i < m->nprocessed && error == 0; i++)
		error = cl_buf_printf(out, "clearance_processed_total{event=\"%s\",outcome=\"%s\"} %llu\n",
			m->processed[i].b, m->processed[i].c, m->processed[i].count);
	if (error == 0)
		error = render_histogram(out, "clearance_intake_seconds",
			"Time from a request's last byte to its reply (verify, decode, durable commit).",
			&m->intake);
	if (error == 0)
		error = render_histogram(out, "clearance_processing_seconds",
			"Time one processing attempt of a delivery took.", &m->processing);
	pthread_mutex_unlock(&m->lock);
	if (error == 0)
		error = cl_buf_puts(out,
			"# HELP clearance_queue_deliveries Deliveries in the store by state.\n"
			"# TYPE clearance_queue_deliveries gauge\n");
	for (i = 0; i < 4 && error == 0; i++)
		if (gauges[i] >= 0)
			error = cl_buf_printf(out, "clearance_queue_deliveries{state=\"%s\"} %lld\n",
				states[i], gauges[i]);
	if (error == 0 && gauges[0] >= 0)
		error = cl_buf_printf(out,
			"# HELP clearance_queue_depth Deliveries waiting or being processed.\n"
			"# TYPE clearance_queue_depth gauge\nclearance_queue_depth %lld\n",
			gauges[0] + (gauges[1] > 0 ? gauges[1] : 0));
	return error;
}

int cl_bot_metrics_render_forge(struct cl_buf *out, const char *forge,
	const struct cl_http_counts *counts, int with_help)
{
	char lf[LABEL_MAX];
	size_t i;
	int error = 0;

	label(lf, forge);
	if (with_help)
		error = cl_buf_puts(out,
			"# HELP clearance_forge_api_calls_total Forge API call attempts by forge and HTTP status.\n"
			"# TYPE clearance_forge_api_calls_total counter\n"
			"# HELP clearance_forge_api_errors_total Forge API attempts without an HTTP answer.\n"
			"# TYPE clearance_forge_api_errors_total counter\n"
			"# HELP clearance_forge_api_retries_total Forge API attempts beyond the first.\n"
			"# TYPE clearance_forge_api_retries_total counter\n"
			"# HELP clearance_forge_api_rate_limited_total Forge API rate-limit answers (429, 403).\n"
			"# TYPE clearance_forge_api_rate_limited_total counter\n");
	for (i = 100; i < 600 && error == 0; i++)
		if (counts->by_status[i])
			error = cl_buf_printf(out, "clearance_forge_api_calls_total{forge=\"%s\",status=\"%zu\"} %lu\n",
				lf, i, counts->by_status[i]);
	if (error == 0)
		error = cl_buf_printf(out,
			"clearance_forge_api_errors_total{forge=\"%s\"} %lu\n"
			"clearance_forge_api_retries_total{forge=\"%s\"} %lu\n"
			"clearance_forge_api_rate_limited_total{forge=\"%s\"} %lu\n",
			lf, counts->transport_errors, lf, counts->retries, lf, counts->rate_limited);
	return error;
}
