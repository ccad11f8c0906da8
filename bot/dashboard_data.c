/*
 * dashboard_data.c - the dashboard's numbers, read from the store into the
 * template's JSON (dashboard.h cl_dashboard_data).
 *
 * The approval and outbound tables belong to other modules (lib/approvals.c,
 * bot/events.c); this file only reads them, with its own bounded queries,
 * because their APIs list whole tables and the page shows a few rows.
 *
 * Divisions: text and time helpers; approvals; contributions; overrides;
 * deliveries; the whole.
 */
#include "dashboard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "approvals.h"
#include "db.h"
#include "error.h"
#include "events.h"

/* Rows per list: enough to act on, small enough for a page. */
#define LIST_ROWS 20
#define EXPIRING_ROWS 50
#define PROJECT_ROWS 15
#define MONTHS 12
/* "Expiring soon": the next 30 days, as in `clearance report contributions`. */
#define EXPIRING_SECONDS (30 * 86400LL)
/* Longest text shown in a cell; a reason or an error longer than this is cut. */
#define TEXT_MAX 300

/* ---- text and time helpers -------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/*
 * Store text as a JSON string the page can show: author names and error
 * texts come from git and forges, so invalid UTF-8 (which Jansson refuses)
 * becomes U+FFFD, control characters a space, and anything past `max`
 * bytes is cut on a character boundary with an ellipsis. NULL stays null.
 */
static json_t *text_value(const char *s, size_t max)
{
	struct cl_buf b = CL_BUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	size_t n, i = 0;
	json_t *v;

	if (!s)
		return json_null();
	n = strlen(s);
	cl_buf_init(&b, 0);
	while (i < n) {
		size_t len = utf8_seq(p + i, n - i);
		int error;
		if (b.size >= max) {
			error = cl_buf_puts(&b, "\xe2\x80\xa6");
			i = n;
		} else if (len == 0) {
			error = cl_buf_puts(&b, "\xef\xbf\xbd");
			i++;
		} else if (len == 1 && (p[i] < 0x20 || p[i] == 0x7f)) {
			error = cl_buf_putc(&b, ' ');
			i++;
		} else {
			error = cl_buf_put(&b, s + i, len);
			i += len;
		}
		if (error < 0) {
			cl_buf_dispose(&b);
			return NULL;
		}
	}
	v = json_stringn(b.ptr ? b.ptr : "", b.size);
	cl_buf_dispose(&b);
	return v;
}

static int set_text(json_t *obj, const char *key, const char *s)
{
	json_t *v = text_value(s, TEXT_MAX);
	if (!v || json_object_set_new(obj, key, v) < 0)
		return cl_error_set("out of memory");
	return 0;
}

static int set_int(json_t *obj, const char *key, long long n)
{
	if (json_object_set_new(obj, key, json_integer(n)) < 0)
		return cl_error_set("out of memory");
	return 0;
}

/* "2026-11-23 15:40 UTC"; empty for 0 (not set). */
static int set_time(json_t *obj, const char *key, long long seconds)
{
	char text[40] = "";
	struct tm tm;
	time_t t = (time_t)seconds;

	if (seconds > 0 && gmtime_r(&t, &tm))
		strftime(text, sizeof(text), "%Y-%m-%d %H:%M UTC", &tm);
	return set_text(obj, key, text);
}

/* A link target: only http(s) addresses, so a stored "javascript:" is never a link. */
static int set_url(json_t *obj, const char *key, const char *url)
{
	if (!url || (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0))
		url = NULL;
	return set_text(obj, key, url);
}

static int append(json_t *list, json_t *item)
{
	if (!item || json_array_append_new(list, item) < 0)
		return cl_error_set("out of memory");
	return 0;
}

static int has_table(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st = NULL;
	int found = 0;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
			-1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	sqlite3_finalize(st);
	return found;
}

static const char *column_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* ---- approvals ----------------------------------------------------------- */

/* States in which a person has to act; the page marks them. */
static int needs_action(const char *state)
{
	return !strcmp(state, "requested") || !strcmp(state, "needs-info") ||
		!strcmp(state, "needs-re-review");
}

static int approvals_by_state(json_t *section, sqlite3 *db, int have_table)
{
	long long counts[CL_APPROVAL_STATE_COUNT] = { 0 }, total = 0;
	json_t *list = json_array();
	sqlite3_stmt *st = NULL;
	int rc, i, error = 0;

	if (!list)
		return cl_error_set("out of memory");
	if (json_object_set_new(section, "by_state", list) < 0)
		return cl_error_set("out of memory");
	if (!have_table)
		goto rows;
	if (sqlite3_prepare_v2(db, "SELECT state, COUNT(*) FROM approvals GROUP BY state", -1, &st,
			NULL) != SQLITE_OK)
		return cl_error_from_sqlite(db, "dashboard: approvals");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		enum cl_approval_state state;
		const char *name = column_text(st, 0);
		if (name && cl_approval_state_parse(&state, name) == 0)
			counts[state] += sqlite3_column_int64(st, 1);
		else
			cl_error_clear();   /* a state this build does not know: counted in the total only */
		total += sqlite3_column_int64(st, 1);
	}
	if (rc != SQLITE_DONE)
		error = cl_error_from_sqlite(db, "dashboard: approvals");
	sqlite3_finalize(st);
rows:
	/* every state, zeros included, so the table reads the same from day one */
	for (i = 0; error == 0 && i < CL_APPROVAL_STATE_COUNT; i++) {
		const char *name = cl_approval_state_name((enum cl_approval_state)i);
		json_t *row = json_object();
		if ((error = append(list, row)) < 0)
			break;
		if ((error = set_text(row, "state", name)) < 0 ||
		    (error = set_int(row, "count", counts[i])) < 0)
			break;
		if (needs_action(name) && counts[i] > 0)
			error = json_object_set_new(row, "attention", json_true()) < 0 ?
				cl_error_set("out of memory") : 0;
	}
	if (error == 0)
		error = set_int(section, "total", total);
	return error;
}

static int approvals_expiring(json_t *section, sqlite3 *db, int64_t now)
{
	json_t *list = json_array();
	sqlite3_stmt *st = NULL;
	int rc, error = 0;

	if (!list || json_object_set_new(section, "expiring", list) < 0)
		return cl_error_set("out of memory");
	if (sqlite3_prepare_v2(db, "SELECT id, COALESCE(upstream_host || '/' || upstream_owner || '/' "
			"|| upstream_repo, upstream_url), requester, email, expires_at, issue_url, scope, "
			"cla, cla_signer FROM approvals WHERE state = 'approved' AND expires_at > 0 AND expires_at "
			"BETWEEN ?1 AND ?2 ORDER BY expires_at, id LIMIT ?3", -1, &st, NULL) != SQLITE_OK)
		return cl_error_from_sqlite(db, "dashboard: expiring approvals");
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, now + EXPIRING_SECONDS);
	sqlite3_bind_int(st, 3, EXPIRING_ROWS);
	while (error == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *row = json_object();
		long long expires = sqlite3_column_int64(st, 4);
		if ((error = append(list, row)) < 0 ||
		    (error = set_int(row, "id", sqlite3_column_int64(st, 0))) < 0 ||
		    (error = set_text(row, "project", column_text(st, 1))) < 0 ||
		    (error = set_text(row, "requester", column_text(st, 2))) < 0 ||
		    (error = set_text(row, "email", column_text(st, 3))) < 0 ||
		    (error = set_time(row, "expires", expires)) < 0 ||
		    (error = set_int(row, "days_left", (expires - now) / 86400)) < 0 ||
		    (error = set_url(row, "url", column_text(st, 5))) < 0 ||
		    (error = set_text(row, "scope", column_text(st, 6))) < 0 ||
		    (error = set_text(row, "cla", column_text(st, 7))) < 0 ||
		    (error = set_text(row, "cla_signer", column_text(st, 8))) < 0)
			break;
	}
	if (error == 0 && rc != SQLITE_DONE)
		error = cl_error_from_sqlite(db, "dashboard: expiring approvals");
	sqlite3_finalize(st);
	return error;
}

static int approvals_section(json_t *data, sqlite3 *db, int64_t now)
{
	json_t *section = json_object();
	int error, have_table = has_table(db, "approvals");

	if (!section || json_object_set_new(data, "approvals", section) < 0)
		return cl_error_set("out of memory");
	/* no table: no request was ever recorded in this store */
	if ((error = approvals_by_state(section, db, have_table)) < 0)
		return error;
	if (!have_table)
		return json_object_set_new(section, "expiring", json_array()) < 0 ?
			cl_error_set("out of memory") : 0;
	return approvals_expiring(section, db, now);
}

/* ---- contributions ------------------------------------------------------- */

/* Start of the month `back` months before the one holding `now`, and its "YYYY-MM". */
static int64_t month_start(char label[16], int64_t now, int back)
{
	time_t t = (time_t)now;
	struct tm tm;
	int year, month;

	if (!gmtime_r(&t, &tm))
		memset(&tm, 0, sizeof(tm));
	year = tm.tm_year + 1900;
	month = tm.tm_mon - back;
	while (month < 0) {
		month += 12;
		year--;
	}
	snprintf(label, 16, "%04d-%02d", year % 10000, (month + 1) % 100);
	/* days from the civil date, without timegm (not in C11 or POSIX) */
	{
		int y = year - (month + 1 <= 2), m = month + 1;
		long long era = (y >= 0 ? y : y - 399) / 400;
		long long yoe = y - era * 400;
		long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5;
		long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
		return (era * 146097 + doe - 719468) * 86400;
	}
}

static int per_project(json_t *section, sqlite3 *db)
{
	json_t *list = json_array();
	sqlite3_stmt *st = NULL;
	int rc, error = 0;

	if (!list || json_object_set_new(section, "per_project", list) < 0)
		return cl_error_set("out of memory");
	if (sqlite3_prepare_v2(db, "SELECT repository, COUNT(*), COUNT(DISTINCT email), "
			"MAX(committed_at) FROM contributions GROUP BY repository "
			"ORDER BY 2 DESC, 1 LIMIT ?1", -1, &st, NULL) != SQLITE_OK)
		return cl_error_from_sqlite(db, "dashboard: contributions");
	sqlite3_bind_int(st, 1, PROJECT_ROWS);
	while (error == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *row = json_object();
		if ((error = append(list, row)) < 0 ||
		    (error = set_text(row, "label", column_text(st, 0))) < 0 ||
		    (error = set_int(row, "count", sqlite3_column_int64(st, 1))) < 0 ||
		    (error = set_int(row, "engineers", sqlite3_column_int64(st, 2))) < 0 ||
		    (error = set_time(row, "last", sqlite3_column_int64(st, 3))) < 0)
			break;
	}
	if (error == 0 && rc != SQLITE_DONE)
		error = cl_error_from_sqlite(db, "dashboard: contributions");
	sqlite3_finalize(st);
	return error;
}

static int per_month(json_t *section, sqlite3 *db, int have_table, int64_t now)
{
	char labels[MONTHS][16], label[16];
	long long counts[MONTHS] = { 0 };
	int64_t since = month_start(labels[0], now, MONTHS - 1);
	json_t *list = json_array();
	sqlite3_stmt *st = NULL;
	int rc, i, error = 0;

	if (!list || json_object_set_new(section, "per_month", list) < 0)
		return cl_error_set("out of memory");
	for (i = 1; i < MONTHS; i++)
		month_start(labels[i], now, MONTHS - 1 - i);
	if (!have_table)
		goto rows;
	if (sqlite3_prepare_v2(db, "SELECT strftime('%Y-%m', committed_at, 'unixepoch'), "
			"COUNT(*) FROM contributions WHERE committed_at >= ?1 AND committed_at <= ?2 "
			"GROUP BY 1", -1, &st, NULL) != SQLITE_OK)
		return cl_error_from_sqlite(db, "dashboard: contributions per month");
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, now);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *m = column_text(st, 0);
		snprintf(label, sizeof(label), "%s", m ? m : "");
		for (i = 0; i < MONTHS; i++)
			if (!strcmp(label, labels[i]))
				counts[i] = sqlite3_column_int64(st, 1);
	}
	if (rc != SQLITE_DONE)
		error = cl_error_from_sqlite(db, "dashboard: contributions per month");
	sqlite3_finalize(st);
rows:
	/* every month, empty ones included, so the chart's axis is continuous */
	for (i = 0; error == 0 && i < MONTHS; i++) {
		json_t *row = json_object();
		if ((error = append(list, row)) < 0 ||
		    (error = set_text(row, "label", labels[i])) < 0)
			break;
		error = set_int(row, "count", counts[i]);
	}
	return error;
}

static int contributions_section(json_t *data, sqlite3 *db, int64_t now)
{
	json_t *section = json_object();
	sqlite3_stmt *st = NULL;
	int error = 0;

	if (!section || json_object_set_new(data, "contributions", section) < 0)
		return cl_error_set("out of memory");
	if (!has_table(db, "contributions")) {
		/* no approvals were ever kept here: the chart still shows its 12 empty months */
		if (json_object_set_new(section, "per_project", json_array()) < 0)
			return cl_error_set("out of memory");
		if ((error = set_int(section, "total", 0)) < 0 || (error = set_int(section, "projects", 0)) < 0)
			return error;
		return per_month(section, db, 0, now);
	}
	if (sqlite3_prepare_v2(db, "SELECT COUNT(*), COUNT(DISTINCT repository) FROM contributions",
			-1, &st, NULL) != SQLITE_OK)
		return cl_error_from_sqlite(db, "dashboard: contributions");
	if (sqlite3_step(st) == SQLITE_ROW) {
		if ((error = set_int(section, "total", sqlite3_column_int64(st, 0))) == 0)
			error = set_int(section, "projects", sqlite3_column_int64(st, 1));
	} else {
		error = cl_error_from_sqlite(db, "dashboard: contributions");
	}
	sqlite3_finalize(st);
	if (error < 0 || (error = per_project(section, db)) < 0)
		return error;
	return per_month(section, db, 1, now);
}

/* ---- overrides ------------------------------------------------------------ */

struct rows {
	json_t *list;
	int error;
};

static int override_row(const struct cl_override_row *o, void *payload)
{
	struct rows *r = payload;
	json_t *row = json_object();

	if ((r->error = append(r->list, row)) < 0 ||
	    (r->error = set_text(row, "repository", o->repository)) < 0 ||
	    (r->error = set_text(row, "ref", o->ref)) < 0 ||
	    (r->error = set_text(row, "pusher", o->pusher)) < 0 ||
	    (r->error = set_text(row, "reason", o->reason)) < 0 ||
	    (r->error = set_int(row, "findings", o->findings)) < 0 ||
	    (r->error = set_text(row, "time", o->time)) < 0)
		return 1;
	return 0;
}

static int overrides_section(json_t *data, sqlite3 *db)
{
	struct rows r = { json_array(), 0 };
	int error;

	if (!r.list || json_object_set_new(data, "overrides", r.list) < 0)
		return cl_error_set("out of memory");
	if (!has_table(db, "overrides"))
		return 0;   /* no override was ever recorded */
	if ((error = cl_overrides_list(db, LIST_ROWS, override_row, &r)) < 0)
		return error;
	return r.error;
}

/* ---- deliveries ----------------------------------------------------------- */

static int delivery_row(const struct cl_delivery *d, void *payload)
{
	struct rows *r = payload;
	json_t *row = json_object();

	if ((r->error = append(r->list, row)) < 0 ||
	    (r->error = set_int(row, "id", d->id)) < 0 ||
	    (r->error = set_text(row, "forge", d->forge)) < 0 ||
	    (r->error = set_text(row, "event", d->event)) < 0 ||
	    (r->error = set_text(row, "action", d->action)) < 0 ||
	    (r->error = set_text(row, "repo", d->repo)) < 0 ||
	    (r->error = set_text(row, "state", d->state)) < 0 ||
	    (r->error = set_int(row, "attempts", d->attempts)) < 0 ||
	    (r->error = set_time(row, "received", d->received_at / 1000)) < 0 ||
	    (r->error = set_time(row, "finished", d->finished_at / 1000)) < 0 ||
	    (r->error = set_text(row, "error", d->last_error)) < 0)
		return 1;
	if (d->state && !strcmp(d->state, "failed") &&
	    json_object_set_new(row, "is_failed", json_true()) < 0) {
		r->error = cl_error_set("out of memory");
		return 1;
	}
	return 0;
}

static int delivery_list(json_t *section, const char *key, struct cl_queue *q, const char *state)
{
	struct rows r = { json_array(), 0 };
	int error;

	if (!r.list || json_object_set_new(section, key, r.list) < 0)
		return cl_error_set("out of memory");
	if ((error = cl_queue_list(q, state, LIST_ROWS, delivery_row, &r)) < 0)
		return error;
	return r.error;
}

static int deliveries_section(json_t *data, struct cl_queue *q)
{
	json_t *section = json_object();
	struct cl_queue_counts c;
	int error;

	if (!section || json_object_set_new(data, "deliveries", section) < 0)
		return cl_error_set("out of memory");
	if ((error = cl_queue_counts(&c, q)) < 0)
		return error;
	if ((error = set_int(section, "queued", c.queued)) < 0 ||
	    (error = set_int(section, "running", c.running)) < 0 ||
	    (error = set_int(section, "done", c.done)) < 0 ||
	    (error = set_int(section, "failed_count", c.failed)) < 0 ||
	    (error = delivery_list(section, "latest", q, NULL)) < 0)
		return error;
	return delivery_list(section, "failed", q, "failed");
}

/* ---- the whole ------------------------------------------------------------ */

int cl_dashboard_data(json_t **out, struct cl_queue *q, int64_t now)
{
	sqlite3 *db = cl_queue_db(q);
	json_t *data = json_object();
	int error = 0, in_tx = 0;

	CL_CHECK_ALLOC(data);
	/* one snapshot: the numbers of every section agree with each other */
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		error = cl_error_from_sqlite(db, "dashboard: cannot read the store");
		goto done;
	}
	in_tx = 1;
	if ((error = set_time(data, "generated", now)) < 0 ||
	    (error = approvals_section(data, db, now)) < 0 ||
	    (error = contributions_section(data, db, now)) < 0 ||
	    (error = overrides_section(data, db)) < 0 ||
	    (error = deliveries_section(data, q)) < 0)
		goto done;
	*out = data;
	data = NULL;
done:
	if (in_tx)
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);   /* read only: nothing to keep or lose */
	json_decref(data);
	return error;
}
