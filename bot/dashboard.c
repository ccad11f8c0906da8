/*
 * dashboard.c - GET /dashboard: access, headers, the chart's geometry and
 * the page (dashboard.h). The numbers come from dashboard_data.c.
 *
 * Divisions: the token; replies; the charts; the page; the request.
 */
#include "dashboard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "error.h"
#include "template.h"

/* ---- the token ------------------------------------------------------------ */

int cl_dashboard_token_matches(const char *token, const char *presented)
{
	unsigned char want[SHA256_DIGEST_LENGTH], got[SHA256_DIGEST_LENGTH];

	if (!token || !*token || !presented || !*presented)
		return 0;
	SHA256((const unsigned char *)token, strlen(token), want);
	SHA256((const unsigned char *)presented, strlen(presented), got);
	return CRYPTO_memcmp(want, got, sizeof(want)) == 0;
}

/* The credentials of `Authorization: Bearer TOKEN` (scheme case-insensitive), or NULL. */
static const char *bearer(const char *authorization)
{
	if (!authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
		return NULL;
	authorization += 7;
	while (*authorization == ' ')
		authorization++;
	return authorization;
}

/*
 * Does the Cookie header carry our cookie with the token? Every cookie of
 * that name is tried (a browser may send one per path), each compared in
 * constant time. Values are copied into a bounded buffer; a longer one
 * cannot be the token (config.c caps its length).
 */
static int cookie_matches(const char *token, const char *header)
{
	const size_t name_len = strlen(CL_DASHBOARD_COOKIE);
	const char *p = header;
	int found = 0, tries = 0;

	while (p && *p && tries < 16) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len > 0 && (*p == ' ' || *p == '\t'))
			p++, len--;
		if (len > name_len && !strncmp(p, CL_DASHBOARD_COOKIE, name_len) && p[name_len] == '=') {
			char value[512];
			size_t vlen = len - name_len - 1;
			while (vlen > 0 && (p[name_len + 1 + vlen - 1] == ' ' || p[name_len + 1 + vlen - 1] == '\t'))
				vlen--;
			tries++;
			if (vlen < sizeof(value)) {
				memcpy(value, p + name_len + 1, vlen);
				value[vlen] = '\0';
				found |= cl_dashboard_token_matches(token, value);
			}
		}
		p = end ? end + 1 : NULL;
	}
	return found;
}

/* ---- replies ---------------------------------------------------------------- */

/*
 * Every answer of the route carries these: nothing may load from elsewhere
 * or run (the page has no script; a value that escaped escaping still could
 * not execute), no type sniffing, no Referer leaking the address, no copy
 * kept by a browser or a proxy, no framing.
 */
static const struct cl_dashboard_header security_headers[] = {
	{ "Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
	  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "Referrer-Policy", "no-referrer" },
	{ "Cache-Control", "no-store" },
	{ "X-Frame-Options", "DENY" },
};

static void reply_init(struct cl_dashboard_reply *reply, unsigned int status)
{
	size_t i;

	memset(reply, 0, sizeof(*reply));
	reply->status = status;
	reply->content_type = "text/html; charset=utf-8";
	cl_buf_init(&reply->body, CL_DASHBOARD_MAX_PAGE);
	for (i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
		reply->headers[reply->header_count++] = security_headers[i];
}

static void reply_header(struct cl_dashboard_reply *reply, const char *name, const char *value)
{
	if (reply->header_count >= CL_DASHBOARD_MAX_HEADERS)
		CL_BUG("too many dashboard headers");
	reply->headers[reply->header_count].name = name;
	reply->headers[reply->header_count].value = value;
	reply->header_count++;
}

void cl_dashboard_reply_dispose(struct cl_dashboard_reply *reply)
{
	if (!reply)
		return;
	cl_buf_dispose(&reply->body);
	if (reply->set_cookie) {
		memset(reply->set_cookie, 0, strlen(reply->set_cookie));
		free(reply->set_cookie);
	}
	reply->set_cookie = NULL;
	reply->header_count = 0;
}

/* A page from a template that takes no data; a failure leaves a one-line text. */
static void static_page(struct cl_dashboard_reply *reply, const char *name, const char *fallback)
{
	struct cl_buf holder = CL_BUF_INIT;
	const char *tmpl;
	size_t len;

	cl_buf_clear(&reply->body);
	if (cl_template_find(&tmpl, &len, &holder, name) < 0 ||
	    cl_template_render(&reply->body, name, tmpl, len, NULL, 0) < 0) {
		fprintf(stderr, "level=error component=dashboard msg=\"%s\"\n", cl_error_last());
		cl_error_clear();
		cl_buf_clear(&reply->body);
		reply->content_type = "text/plain; charset=utf-8";
		cl_buf_puts(&reply->body, fallback);
	}
	cl_buf_dispose(&holder);
}

/* ---- the charts ------------------------------------------------------------ */

/*
 * The template cannot compute, so each bar gets its coordinates here.
 * Plain SVG rectangles and text: readable without script, styles or
 * fonts from elsewhere, and labels go through the template's escaping
 * like every other value.
 */
#define BAR_ROW 26          /* horizontal chart: height of one project's row */
#define BAR_LABEL_W 220     /* its label column */
#define BAR_AREA_W 380      /* the longest bar */
#define MONTH_W 52          /* vertical chart: one month's column */
#define MONTH_PLOT_H 150    /* the tallest bar */
#define MONTH_TOP 20        /* room for the count above the tallest bar */
#define CHART_LABEL_MAX 32  /* characters of a project name in the chart (the table has it whole) */

static long long max_count(json_t *list)
{
	long long max = 0;
	size_t i;
	json_t *row;

	json_array_foreach(list, i, row) {
		long long c = json_integer_value(json_object_get(row, "count"));
		if (c > max)
			max = c;
	}
	return max;
}

/* A bar's length: proportional, at least 1 for a non-zero count so it shows. */
static long long scale(long long count, long long max, long long full)
{
	long long v;
	if (count <= 0 || max <= 0)
		return 0;
	v = count * full / max;
	return v < 1 ? 1 : v;
}

/* The first CHART_LABEL_MAX characters of a label (UTF-8 aware), with an ellipsis when cut. */
static json_t *short_label(const char *label)
{
	size_t i = 0, chars = 0, n = strlen(label);
	char buf[CHART_LABEL_MAX * 4 + 4];

	while (i < n && chars < CHART_LABEL_MAX) {
		i++;
		while (i < n && ((unsigned char)label[i] & 0xc0) == 0x80)
			i++;
		chars++;
	}
	if (i >= n)
		return json_string(label);
	memcpy(buf, label, i);
	memcpy(buf + i, "\xe2\x80\xa6", 4);
	return json_string(buf);
}

static int set_geometry(json_t *row, long long x, long long y, long long w, long long h,
	long long tx, long long ty)
{
	json_t *bar = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "x", (json_int_t)x, "y", (json_int_t)y,
		"w", (json_int_t)w, "h", (json_int_t)h, "tx", (json_int_t)tx, "ty", (json_int_t)ty);
	if (!bar || json_object_set_new(row, "bar", bar) < 0)
		return cl_error_set("out of memory");
	return 0;
}

static int chart_projects(json_t *section)
{
	json_t *list = json_object_get(section, "per_project"), *row;
	long long max = max_count(list);
	size_t i;
	int error;

	json_array_foreach(list, i, row) {
		long long c = json_integer_value(json_object_get(row, "count"));
		long long y = (long long)i * BAR_ROW, w = scale(c, max, BAR_AREA_W);
		const char *label = json_string_value(json_object_get(row, "label"));
		json_t *shortened = short_label(label ? label : "");
		if (!shortened || json_object_set_new(row, "short", shortened) < 0)
			return cl_error_set("out of memory");
		if ((error = set_geometry(row, BAR_LABEL_W, y + 4, w, BAR_ROW - 8,
				BAR_LABEL_W + w + 6, y + BAR_ROW / 2 + 4)) < 0)
			return error;
	}
	return json_object_set_new(section, "projects_chart", json_pack("{s:I, s:I}",
		"width", (json_int_t)(BAR_LABEL_W + BAR_AREA_W + 60),
		"height", (json_int_t)(json_array_size(list) * BAR_ROW + 4))) < 0 ?
		cl_error_set("out of memory") : 0;
}

static int chart_months(json_t *section)
{
	json_t *list = json_object_get(section, "per_month"), *row;
	long long max = max_count(list);
	size_t i;
	int error;

	json_array_foreach(list, i, row) {
		long long c = json_integer_value(json_object_get(row, "count"));
		long long h = scale(c, max, MONTH_PLOT_H), x = (long long)i * MONTH_W + 6;
		long long base = MONTH_TOP + MONTH_PLOT_H;
		if ((error = set_geometry(row, x, base - h, MONTH_W - 12, h, x + (MONTH_W - 12) / 2,
				base - h - 5)) < 0)
			return error;
	}
	return json_object_set_new(section, "months_chart", json_pack("{s:I, s:I, s:I, s:I}",
		"width", (json_int_t)(json_array_size(list) * MONTH_W + 12),
		"height", (json_int_t)(MONTH_TOP + MONTH_PLOT_H + 24),
		"axis", (json_int_t)(MONTH_TOP + MONTH_PLOT_H),
		"label_y", (json_int_t)(MONTH_TOP + MONTH_PLOT_H + 16))) < 0 ?
		cl_error_set("out of memory") : 0;
}

/* ---- the page ------------------------------------------------------------- */

/*
 * "K_any": true when list K has rows, for each list of `obj` and of the
 * objects in it: the template opens a table only around rows, and Mustache
 * has no "is this list empty" of its own that does not repeat per row.
 */
static int add_any_flags(json_t *obj, int depth)
{
	const char *keys[32];
	json_t *lists[32], *v;
	const char *key;
	size_t n = 0, i;
	int error;

	if (depth > 4)
		return 0;
	json_object_foreach(obj, key, v) {
		if (json_is_object(v) && (error = add_any_flags(v, depth + 1)) < 0)
			return error;
		if (json_is_array(v) && n < sizeof(keys) / sizeof(keys[0])) {
			keys[n] = key;
			lists[n++] = v;
		}
	}
	for (i = 0; i < n; i++) {
		char name[96];
		snprintf(name, sizeof(name), "%s_any", keys[i]);
		if (json_object_set_new(obj, name, json_boolean(json_array_size(lists[i]) > 0)) < 0)
			return cl_error_set("out of memory");
	}
	return 0;
}

int cl_dashboard_render(struct cl_buf *out, json_t *data)
{
	struct cl_buf holder = CL_BUF_INIT, page = CL_BUF_INIT;
	json_t *contributions = json_object_get(data, "contributions");
	const char *tmpl;
	size_t len;
	int error;

	cl_buf_init(&page, CL_DASHBOARD_MAX_PAGE);
	if (contributions &&
	    ((error = chart_projects(contributions)) < 0 || (error = chart_months(contributions)) < 0))
		goto done;
	if ((error = add_any_flags(data, 0)) < 0)
		goto done;
	if ((error = cl_template_find(&tmpl, &len, &holder, "dashboard.html")) < 0 ||
	    (error = cl_template_render(&page, "dashboard.html", tmpl, len, data, 0)) < 0)
		goto done;
	error = cl_buf_put(out, page.ptr, page.size);
done:
	cl_buf_dispose(&page);
	cl_buf_dispose(&holder);
	return error;
}

/* ---- the request ---------------------------------------------------------- */

/* How long the cookie lasts: a working day, then the link with the token again. */
#define COOKIE_MAX_AGE 28800

static void serve_page(struct cl_dashboard_reply *reply, struct cl_queue *q, pthread_mutex_t *lock,
	int64_t now)
{
	json_t *data = NULL;
	int error;

	if (lock)
		pthread_mutex_lock(lock);
	error = cl_dashboard_data(&data, q, now);
	if (lock)
		pthread_mutex_unlock(lock);
	if (error == 0)
		error = cl_dashboard_render(&reply->body, data);
	json_decref(data);
	if (error < 0) {
		fprintf(stderr, "level=error component=dashboard msg=\"%s\"\n", cl_error_last());
		cl_error_clear();
		reply->status = 500;
		static_page(reply, "dashboard-error.html", "the dashboard cannot be shown; see the bot's log\n");
	}
}

void cl_dashboard_handle(struct cl_dashboard_reply *reply, const struct cl_dashboard_request *req,
	struct cl_queue *q, pthread_mutex_t *lock, int64_t now)
{
	const char *token = req->token;

	if (!token || !*token) {
		/* off: answered like any unknown path, so a scan learns nothing */
		reply_init(reply, 404);
		reply->content_type = "application/json";
		cl_buf_puts(&reply->body, "{\"status\":\"not_found\",\"message\":\"no such route\"}");
		return;
	}
	if (req->query_token) {
		int https = req->forwarded_proto && !strcasecmp(req->forwarded_proto, "https");
		size_t size;
		if (!cl_dashboard_token_matches(token, req->query_token))
			goto denied;
		/*
		 * Trade the token in the address for a cookie and send the browser
		 * to the address without it, so it stays out of the history, the
		 * logs of proxies and any Referer. The redirect is relative, so a
		 * proxy that serves the bot under a prefix keeps working.
		 */
		reply_init(reply, 303);
		size = strlen(token) + 128;
		if ((reply->set_cookie = malloc(size)) == NULL) {
			reply->status = 500;
			static_page(reply, "dashboard-error.html", "out of memory\n");
			return;
		}
		snprintf(reply->set_cookie, size, "%s=%s; Max-Age=%d; HttpOnly; SameSite=Strict%s",
			CL_DASHBOARD_COOKIE, token, COOKIE_MAX_AGE, https ? "; Secure" : "");
		reply_header(reply, "Set-Cookie", reply->set_cookie);
		reply_header(reply, "Location", "dashboard");
		cl_buf_puts(&reply->body, "<!DOCTYPE html><title>clearance</title><a href=\"dashboard\">dashboard</a>\n");
		return;
	}
	if (!cl_dashboard_token_matches(token, bearer(req->authorization)) &&
	    !(req->cookie && cookie_matches(token, req->cookie)))
		goto denied;
	reply_init(reply, 200);
	serve_page(reply, q, lock, now);
	return;

denied:
	reply_init(reply, 401);
	reply_header(reply, "WWW-Authenticate", "Bearer realm=\"clearance dashboard\"");
	static_page(reply, "dashboard-401.html", "401: the dashboard needs its token\n");
}
