/*
 * http_client.c - libcurl requests with retries, caps, redaction, counters.
 *
 * Divisions: options and lifecycle; redaction; response capture (body cap,
 * the few headers that steer retries); the retry loop; Link parsing.
 */
#include "http_client.h"
#include "error.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct cl_http_client {
	struct cl_http_options opts;
	char *user_agent;
	/*
	 * Connections, DNS answers and TLS sessions are shared by every request
	 * (each has its own easy handle, so threads never share one): without
	 * it every API call would pay a new TCP and TLS handshake.
	 */
	CURLSH *share;
	pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];
	pthread_mutex_t lock;      /* counts and secrets */
	struct cl_http_counts counts;
	char **secrets;
	size_t nsecrets;
};

/* ---- options and lifecycle ---- */

static void http_real_sleep(unsigned long ms, void *ctx)
{
	struct timespec ts;
	(void)ctx;
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	/* A signal cuts the wait short; waiting less is harmless here. */
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static time_t http_real_now(void *ctx)
{
	(void)ctx;
	return time(NULL);
}

static void http_sleep(struct cl_http_client *c, unsigned long ms)
{
	if (c->opts.sys && c->opts.sys->sleep_ms)
		c->opts.sys->sleep_ms(ms, c->opts.sys->ctx);
	else
		http_real_sleep(ms, NULL);
}

static time_t http_now(struct cl_http_client *c)
{
	if (c->opts.sys && c->opts.sys->now)
		return c->opts.sys->now(c->opts.sys->ctx);
	return http_real_now(NULL);
}

static void http_share_lock(CURL *h, curl_lock_data data, curl_lock_access access, void *userptr)
{
	struct cl_http_client *c = userptr;
	(void)h;
	(void)access;
	pthread_mutex_lock(&c->share_locks[data]);
}

static void http_share_unlock(CURL *h, curl_lock_data data, void *userptr)
{
	struct cl_http_client *c = userptr;
	(void)h;
	pthread_mutex_unlock(&c->share_locks[data]);
}

int cl_http_client_new(struct cl_http_client **out, const struct cl_http_options *opts)
{
	struct cl_http_client *c = NULL;
	int error = 0;

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return cl_error_set("cannot initialise libcurl");
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		curl_global_cleanup();
		return cl_error_set("out of memory");
	}
	if (opts)
		c->opts = *opts;
	else {
		struct cl_http_options def = CL_HTTP_OPTIONS_INIT;
		c->opts = def;
	}
	if (c->opts.connect_timeout_ms <= 0)
		c->opts.connect_timeout_ms = 10000;
	if (c->opts.timeout_ms <= 0)
		c->opts.timeout_ms = 30000;
	if (c->opts.backoff_base_ms == 0)
		c->opts.backoff_base_ms = 500;
	if (c->opts.backoff_max_ms == 0)
		c->opts.backoff_max_ms = 30000;
	if (c->opts.max_wait_ms == 0)
		c->opts.max_wait_ms = 60000;
	if (c->opts.max_response == 0)
		c->opts.max_response = 16u << 20;
	c->user_agent = strdup(c->opts.user_agent && *c->opts.user_agent ? c->opts.user_agent : "clearance");
	if (c->user_agent == NULL) {
		free(c);
		curl_global_cleanup();
		return cl_error_set("out of memory");
	}
	c->opts.user_agent = c->user_agent;
	pthread_mutex_init(&c->lock, NULL);
	{
		int i;
		for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
			pthread_mutex_init(&c->share_locks[i], NULL);
	}
	c->share = curl_share_init();
	if (c->share == NULL ||
	    curl_share_setopt(c->share, CURLSHOPT_LOCKFUNC, http_share_lock) != CURLSHE_OK ||
	    curl_share_setopt(c->share, CURLSHOPT_UNLOCKFUNC, http_share_unlock) != CURLSHE_OK ||
	    curl_share_setopt(c->share, CURLSHOPT_USERDATA, c) != CURLSHE_OK ||
	    curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) != CURLSHE_OK ||
	    curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) != CURLSHE_OK ||
	    curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) != CURLSHE_OK) {
		cl_http_client_free(c);
		return cl_error_set("cannot set up libcurl connection sharing");
	}
	*out = c;
	return error;
}

void cl_http_client_free(struct cl_http_client *c)
{
	size_t i;
	if (c == NULL)
		return;
	for (i = 0; i < c->nsecrets; i++) {
		/* Secrets do not outlive their use in freed memory either. */
		memset(c->secrets[i], 0, strlen(c->secrets[i]));
		free(c->secrets[i]);
	}
	free(c->secrets);
	free(c->user_agent);
	if (c->share)
		curl_share_cleanup(c->share);
	{
		int i;
		for (i = 0; i < CURL_LOCK_DATA_LAST; i++)
			pthread_mutex_destroy(&c->share_locks[i]);
	}
	pthread_mutex_destroy(&c->lock);
	free(c);
	curl_global_cleanup();
}

int cl_http_client_add_secret(struct cl_http_client *c, const char *secret)
{
	char **grown;
	char *copy;
	size_t i;
	int error = 0;

	/* Short strings would redact ordinary words; no real token is this short. */
	if (secret == NULL || strlen(secret) < 4)
		return 0;
	pthread_mutex_lock(&c->lock);
	for (i = 0; i < c->nsecrets; i++)
		if (strcmp(c->secrets[i], secret) == 0)
			goto done;
	copy = strdup(secret);
	if (copy == NULL) {
		error = cl_error_set("out of memory");
		goto done;
	}
	grown = realloc(c->secrets, (c->nsecrets + 1) * sizeof(*grown));
	if (grown == NULL) {
		free(copy);
		error = cl_error_set("out of memory");
		goto done;
	}
	c->secrets = grown;
	c->secrets[c->nsecrets++] = copy;
done:
	pthread_mutex_unlock(&c->lock);
	return error;
}

void cl_http_client_counts(struct cl_http_counts *out, struct cl_http_client *c)
{
	pthread_mutex_lock(&c->lock);
	*out = c->counts;
	pthread_mutex_unlock(&c->lock);
}

/* ---- redaction ---- */

static const char *const secret_params[] = {
	"token", "access_token", "client_secret", "jwt", "password", "sig", "code", NULL
};

/* Is text[i..] the start of a query parameter named like a secret? Its name length. */
static size_t redact_param_name(const char *text, size_t i)
{
	size_t k;
	if (i > 0 && text[i - 1] != '?' && text[i - 1] != '&')
		return 0;
	for (k = 0; secret_params[k]; k++) {
		size_t n = strlen(secret_params[k]);
		if (strncasecmp(text + i, secret_params[k], n) == 0 && text[i + n] == '=')
			return n;
	}
	return 0;
}

/* Pass 1: URL credentials and secret query values. */
static int redact_urls(struct cl_buf *out, const char *text)
{
	size_t i = 0, len = strlen(text);
	int error = 0;

	while (i < len) {
		size_t n;
		if (text[i] == ':' && text[i + 1] == '/' && text[i + 2] == '/') {
			/* userinfo: everything up to '@' before the next '/', space or end */
			size_t j = i + 3, at = 0;
			while (j < len && text[j] != '/' && text[j] != ' ' && text[j] != '?' &&
			       text[j] != '\'' && text[j] != '"') {
				if (text[j] == '@')
					at = j;
				j++;
			}
			if ((error = cl_buf_put(out, "://", 3)) < 0)
				return error;
			i += 3;
			if (at) {
				if ((error = cl_buf_puts(out, "[REDACTED]")) < 0)
					return error;
				i = at;
			}
			continue;
		}
		if ((n = redact_param_name(text, i)) > 0) {
			if ((error = cl_buf_put(out, text + i, n + 1)) < 0 ||
			    (error = cl_buf_puts(out, "[REDACTED]")) < 0)
				return error;
			i += n + 1;
			while (i < len && text[i] != '&' && text[i] != ' ' && text[i] != '#' &&
			       text[i] != '\'' && text[i] != '"')
				i++;
			continue;
		}
		if ((error = cl_buf_putc(out, text[i])) < 0)
			return error;
		i++;
	}
	return 0;
}

int cl_http_redact(struct cl_buf *out, struct cl_http_client *c, const char *text)
{
	struct cl_buf tmp = CL_BUF_INIT;
	int error;
	size_t k;

	cl_buf_init(&tmp, 0);
	if ((error = redact_urls(&tmp, text)) < 0)
		goto done;
	if (c == NULL) {
		error = cl_buf_put(out, tmp.ptr ? tmp.ptr : "", tmp.size);
		goto done;
	}
	pthread_mutex_lock(&c->lock);
	for (k = 0; k < c->nsecrets && error == 0; k++) {
		struct cl_buf next = CL_BUF_INIT;
		const char *p = cl_buf_cstr(&tmp), *hit;
		size_t n = strlen(c->secrets[k]);
		cl_buf_init(&next, 0);
		while (error == 0 && (hit = strstr(p, c->secrets[k])) != NULL) {
			if ((error = cl_buf_put(&next, p, (size_t)(hit - p))) == 0)
				error = cl_buf_puts(&next, "[REDACTED]");
			p = hit + n;
		}
		if (error == 0)
			error = cl_buf_puts(&next, p);
		cl_buf_dispose(&tmp);
		tmp = next;
	}
	pthread_mutex_unlock(&c->lock);
	if (error == 0)
		error = cl_buf_put(out, cl_buf_cstr(&tmp), tmp.size);
done:
	cl_buf_dispose(&tmp);
	return error;
}

/* Format, redact and hand to the log callback. */
static void http_log(struct cl_http_client *c, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
static void http_log(struct cl_http_client *c, const char *fmt, ...)
{
	struct cl_buf raw = CL_BUF_INIT, clean = CL_BUF_INIT;
	va_list ap;

	if (c->opts.log == NULL)
		return;
	cl_buf_init(&raw, 8192);
	cl_buf_init(&clean, 0);
	va_start(ap, fmt);
	/* A line too long for the cap is logged truncated; never fatal. */
	(void)cl_buf_vprintf(&raw, fmt, ap);
	va_end(ap);
	if (cl_http_redact(&clean, c, cl_buf_cstr(&raw)) == 0)
		c->opts.log(cl_buf_cstr(&clean), c->opts.log_payload);
	cl_buf_dispose(&raw);
	cl_buf_dispose(&clean);
}

/* Set the thread's error from a message that may hold a URL or secret. */
static int http_fail(struct cl_http_client *c, int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
static int http_fail(struct cl_http_client *c, int code, const char *fmt, ...)
{
	struct cl_buf raw = CL_BUF_INIT, clean = CL_BUF_INIT;
	va_list ap;

	cl_buf_init(&raw, 4096);
	cl_buf_init(&clean, 0);
	va_start(ap, fmt);
	(void)cl_buf_vprintf(&raw, fmt, ap);
	va_end(ap);
	if (cl_http_redact(&clean, c, cl_buf_cstr(&raw)) == 0)
		cl_error_setc(code, "%s", cl_buf_cstr(&clean));
	else
		cl_error_setc(code, "http request failed");
	cl_buf_dispose(&raw);
	cl_buf_dispose(&clean);
	return code;
}

/* ---- response capture ---- */

struct http_capture {
	struct cl_buf *body;
	int too_big;
	char *link;
	char *retry_after;
	char *rl_remaining;
	char *rl_reset;
};

static size_t http_write_cb(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct http_capture *cap = userdata;
	size_t n = size * nmemb;
	if (cl_buf_put(cap->body, data, n) < 0) {
		cap->too_big = 1;
		return 0; /* makes curl fail with CURLE_WRITE_ERROR */
	}
	return n;
}

/* Keep the header's value if `line` is "name: value"; later ones win. */
static void http_take_header(char **slot, const char *name, const char *line, size_t len)
{
	size_t n = strlen(name), end;
	const char *v;
	if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
		return;
	v = line + n + 1;
	end = len - n - 1;
	while (end > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		end--;
	}
	while (end > 0 && (v[end - 1] == '\r' || v[end - 1] == '\n' || v[end - 1] == ' '))
		end--;
	free(*slot);
	*slot = strndup(v, end);
}

static size_t http_header_cb(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct http_capture *cap = userdata;
	size_t n = size * nmemb;
	/* A redirect or 100-continue starts a new header block: forget the old one. */
	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		free(cap->link);
		free(cap->retry_after);
		free(cap->rl_remaining);
		free(cap->rl_reset);
		cap->link = cap->retry_after = cap->rl_remaining = cap->rl_reset = NULL;
	}
	http_take_header(&cap->link, "link", data, n);
	http_take_header(&cap->retry_after, "retry-after", data, n);
	http_take_header(&cap->rl_remaining, "x-ratelimit-remaining", data, n);
	http_take_header(&cap->rl_reset, "x-ratelimit-reset", data, n);
	return n;
}

static void http_capture_dispose(struct http_capture *cap)
{
	free(cap->link);
	free(cap->retry_after);
	free(cap->rl_remaining);
	free(cap->rl_reset);
	memset(cap, 0, sizeof(*cap));
}

void cl_http_response_dispose(struct cl_http_response *resp)
{
	if (resp == NULL)
		return;
	cl_buf_dispose(&resp->body);
	free(resp->next_url);
	resp->next_url = NULL;
	resp->status = 0;
}

/* ---- Link ---- */

char *cl_http_link_next(const char *link)
{
	const char *p = link;
	/* Link: <url>; rel="next", <url>; rel="last" (RFC 8288; GitHub and Gitea) */
	while (p && *p) {
		const char *lt = strchr(p, '<'), *gt, *end, *rel;
		if (lt == NULL)
			return NULL;
		gt = strchr(lt, '>');
		if (gt == NULL)
			return NULL;
		end = strchr(gt, ',');
		if (end == NULL)
			end = gt + strlen(gt);
		rel = gt;
		while ((rel = strstr(rel, "rel=")) != NULL && rel < end) {
			const char *v = rel + 4;
			size_t vlen;
			if (*v == '"')
				v++;
			vlen = strcspn(v, "\";, ");
			/* rel may list several space-separated types */
			while (vlen > 0) {
				if (vlen == 4 && strncmp(v, "next", 4) == 0)
					return strndup(lt + 1, (size_t)(gt - lt - 1));
				v += vlen;
				while (*v == ' ')
					v++;
				vlen = (*v == '"' || *v == ';' || *v == ',') ? 0 : strcspn(v, "\";, ");
			}
			rel += 4;
		}
		p = *end ? end + 1 : end;
	}
	return NULL;
}

/* ---- the retry loop ---- */

/* Non-negative seconds from a header value, or -1. */
static long http_parse_seconds(const char *v)
{
	char *end;
	long n;
	if (v == NULL || !isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < 0)
		return -1;
	return n;
}

/*
 * How long the server asked us to wait, in ms, or -1 when it did not say.
 * Retry-After is seconds or an HTTP date; X-RateLimit-Reset (only with
 * X-RateLimit-Remaining: 0) is an epoch second.
 */
static long long http_server_wait_ms(struct cl_http_client *c, const struct http_capture *cap)
{
	long s;
	if (cap->retry_after) {
		if ((s = http_parse_seconds(cap->retry_after)) >= 0)
			return (long long)s * 1000;
		else {
			time_t when = curl_getdate(cap->retry_after, NULL);
			if (when != (time_t)-1) {
				long long d = (long long)(when - http_now(c));
				return d > 0 ? d * 1000 : 0;
			}
		}
	}
	if (cap->rl_remaining && strcmp(cap->rl_remaining, "0") == 0 &&
	    (s = http_parse_seconds(cap->rl_reset)) >= 0) {
		/* +1 s: the reset second itself may still be limited */
		long long d = (long long)s - (long long)http_now(c) + 1;
		return d > 0 ? d * 1000 : 0;
	}
	return -1;
}

static int http_is_rate_limit(long status, const struct http_capture *cap)
{
	if (status == 429)
		return 1;
	/*
	 * GitHub answers both its primary (X-RateLimit-Remaining: 0) and its
	 * secondary rate limits (Retry-After) with 403; any other 403 is a
	 * real refusal and retrying it would only burn the quota.
	 */
	return status == 403 && (cap->retry_after != NULL ||
		(cap->rl_remaining && strcmp(cap->rl_remaining, "0") == 0));
}

static unsigned long http_backoff_ms(struct cl_http_client *c, unsigned int attempt)
{
	unsigned long ms = c->opts.backoff_base_ms;
	while (attempt-- > 1 && ms < c->opts.backoff_max_ms)
		ms *= 2;
	return ms > c->opts.backoff_max_ms ? c->opts.backoff_max_ms : ms;
}

static void http_count(struct cl_http_client *c, long status, int retry, int limited)
{
	pthread_mutex_lock(&c->lock);
	if (status >= 100 && status < 600)
		c->counts.by_status[status]++;
	else if (status == 0)
		c->counts.transport_errors++;
	if (retry)
		c->counts.retries++;
	if (limited)
		c->counts.rate_limited++;
	pthread_mutex_unlock(&c->lock);
}

/* One attempt. 0 with *status set, or a curl failure message in errbuf. */
static int http_attempt(struct cl_http_client *c, const struct cl_http_request *req,
	struct cl_buf *body, struct http_capture *cap, long *status, char *errbuf)
{
	CURL *h = NULL;
	struct curl_slist *hdrs = NULL, *tmp;
	CURLcode rc;
	int error = 0;
	size_t i;

	errbuf[0] = '\0';
	h = curl_easy_init();
	if (h == NULL) {
		snprintf(errbuf, CURL_ERROR_SIZE, "cannot create curl handle");
		return CL_ERROR;
	}
	for (i = 0; req->headers && req->headers[i]; i++) {
		if ((tmp = curl_slist_append(hdrs, req->headers[i])) == NULL) {
			snprintf(errbuf, CURL_ERROR_SIZE, "out of memory");
			error = CL_ERROR;
			goto done;
		}
		hdrs = tmp;
	}
	/* libcurl would send "Expect: 100-continue" for big bodies; forges do not need the round trip. */
	if ((tmp = curl_slist_append(hdrs, "Expect:")) == NULL) {
		snprintf(errbuf, CURL_ERROR_SIZE, "out of memory");
		error = CL_ERROR;
		goto done;
	}
	hdrs = tmp;
	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
	if (strcmp(req->method, "GET") == 0)
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	if (req->body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_USERAGENT, c->user_agent);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->opts.connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->opts.timeout_ms);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_SHARE, c->share);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, http_write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, cap);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, http_header_cb);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, cap);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	/*
	 * Redirects are followed (GitHub redirects renamed repositories) only
	 * over HTTP(S); libcurl drops our Authorization header on a host change.
	 */
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, 3L);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#endif
	cap->body = body;
	rc = curl_easy_perform(h);
	if (rc != CURLE_OK) {
		if (cap->too_big)
			snprintf(errbuf, CURL_ERROR_SIZE, "response larger than %zu bytes", c->opts.max_response);
		else if (errbuf[0] == '\0')
			snprintf(errbuf, CURL_ERROR_SIZE, "%s", curl_easy_strerror(rc));
		error = cap->too_big ? CL_ETOOBIG : CL_ERROR;
		goto done;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
done:
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	return error;
}

int cl_http_client_send(struct cl_http_response *out, struct cl_http_client *c,
	const struct cl_http_request *req)
{
	struct cl_http_response resp = CL_HTTP_RESPONSE_INIT;
	struct http_capture cap;
	char errbuf[CURL_ERROR_SIZE];
	unsigned int attempt;
	int error = 0;

	memset(&cap, 0, sizeof(cap));
	for (attempt = 1;; attempt++) {
		long status = 0;
		long long wait_ms = -1;
		int limited, retryable;

		http_capture_dispose(&cap);
		cl_buf_dispose(&resp.body);
		cl_buf_init(&resp.body, c->opts.max_response);
		error = http_attempt(c, req, &resp.body, &cap, &status, errbuf);
		resp.attempts = attempt;
		http_count(c, error < 0 ? 0 : status, attempt > 1, 0);
		if (error == CL_ETOOBIG) {
			http_fail(c, error, "%s %s: %s", req->method, req->url, errbuf);
			goto done;
		}
		if (error < 0) {
			http_log(c, "http %s %s error=\"%s\" attempt=%u", req->method, req->url, errbuf, attempt);
			retryable = 1;
			limited = 0;
		} else {
			http_log(c, "http %s %s status=%ld attempt=%u", req->method, req->url, status, attempt);
			limited = http_is_rate_limit(status, &cap);
			retryable = limited || status >= 500;
			if (limited)
				http_count(c, -1, 0, 1);
			/* A 503 may say when to come back too (RFC 9110 section 10.2.3). */
			if (retryable)
				wait_ms = http_server_wait_ms(c, &cap);
		}
		if (!retryable) {
			resp.status = status;
			break;
		}
		if (wait_ms > (long long)c->opts.max_wait_ms) {
			error = http_fail(c, CL_ERATELIMITED,
				"%s %s: rate limited (status %ld) for %lld s, longer than the %lu s this client waits",
				req->method, req->url, status, wait_ms / 1000, c->opts.max_wait_ms / 1000);
			goto done;
		}
		if (attempt > c->opts.max_retries) {
			if (error < 0)
				error = http_fail(c, CL_ERROR, "%s %s: %s (gave up after %u attempts)",
					req->method, req->url, errbuf, attempt);
			else
				error = http_fail(c, CL_ERROR, "%s %s: server answered %ld (gave up after %u attempts)",
					req->method, req->url, status, attempt);
			goto done;
		}
		if (wait_ms < 0)
			wait_ms = (long long)http_backoff_ms(c, attempt);
		/*
		 * Retrying a POST after a 5xx can repeat a write the forge did
		 * complete; the forge layer finds issues and comments again by
		 * their hidden markers, so a repeat is noticed on the next pass.
		 */
		http_log(c, "http retry %s %s wait_ms=%lld attempt=%u/%u", req->method, req->url,
			wait_ms, attempt, c->opts.max_retries + 1);
		http_sleep(c, (unsigned long)wait_ms);
	}
	error = 0;
	if (cap.link)
		resp.next_url = cl_http_link_next(cap.link);
done:
	if (error < 0) {
		cl_http_response_dispose(&resp);
	} else {
		*out = resp;
	}
	http_capture_dispose(&cap);
	return error;
}
