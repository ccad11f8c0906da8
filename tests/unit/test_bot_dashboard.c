/*
 * GET /dashboard (bot/dashboard.c, dashboard_data.c, server.c's route) on
 * the bot's server in-process, 127.0.0.1, an ephemeral port: off without a
 * token, 401 without or with a wrong one, 200 with the header and through
 * the cookie flow, the seeded numbers on the page, hostile strings only
 * escaped, security headers on every answer, bounded lists; and the token
 * settings of bot.yml.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dashboard.h"
#include "dashboard_fixture.h"

#define BEARER "Authorization: Bearer " DASH_TOKEN "\r\n"

static int setup(void **state)
{
	struct dash *fx = calloc(1, sizeof(*fx));
	if (!fx || dash_start(fx, DASH_TOKEN, 0) < 0)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct dash *fx = *state;
	dash_stop(fx);
	free(fx);
	return 0;
}

static void assert_security_headers(const struct http_reply *r)
{
	char v[512];

	assert_int_equal(http_header(v, sizeof(v), r, "Content-Security-Policy"), 0);
	assert_non_null(strstr(v, "default-src 'none'"));
	assert_non_null(strstr(v, "style-src 'unsafe-inline'"));
	assert_non_null(strstr(v, "img-src data:"));
	assert_null(strstr(v, "script-src"));
	assert_int_equal(http_header(v, sizeof(v), r, "X-Content-Type-Options"), 0);
	assert_string_equal(v, "nosniff");
	assert_int_equal(http_header(v, sizeof(v), r, "Referrer-Policy"), 0);
	assert_string_equal(v, "no-referrer");
	assert_int_equal(http_header(v, sizeof(v), r, "Cache-Control"), 0);
	assert_string_equal(v, "no-store");
}

/* ---- access ---- */

static void test_off_without_token(void **state)
{
	struct dash off;
	struct http_reply r;
	(void)state;

	assert_int_equal(dash_start(&off, NULL, 0), 0);
	assert_int_equal(http_get(&r, off.port, "GET", "/dashboard", NULL), 404);
	http_reply_free(&r);
	/* a token presented to a dashboard that is off opens nothing */
	assert_int_equal(http_get(&r, off.port, "GET", "/dashboard", BEARER), 404);
	http_reply_free(&r);
	assert_int_equal(http_get(&r, off.port, "GET", "/dashboard?token=" DASH_TOKEN, NULL), 404);
	assert_null(strstr(r.head, "Set-Cookie"));
	http_reply_free(&r);
	dash_stop(&off);
}

static void test_unauthorized(void **state)
{
	struct dash *fx = *state;
	static const char *const attempts[] = {
		NULL,
		"Authorization: Bearer wrong-token-0123456789\r\n",
		"Authorization: Bearer " DASH_TOKEN "x\r\n",
		"Authorization: Bearer\r\n",
		"Authorization: Basic " DASH_TOKEN "\r\n",
		"Cookie: clearance_dashboard=wrong-token-0123456789\r\n",
		"Cookie: other=" DASH_TOKEN "\r\n",
		"Cookie: clearance_dashboard=\r\n",
		"Cookie: xclearance_dashboard=" DASH_TOKEN "\r\n",
	};
	struct http_reply r;
	char v[256];
	size_t i;

	for (i = 0; i < sizeof(attempts) / sizeof(attempts[0]); i++) {
		assert_int_equal(http_get(&r, fx->port, "GET", "/dashboard", attempts[i]), 401);
		assert_non_null(strstr(r.body, "401: this dashboard needs its token"));
		/* nothing from the store leaks into the refusal */
		assert_null(strstr(r.body, "alice"));
		assert_null(strstr(r.body, "libgit2"));
		assert_security_headers(&r);
		assert_int_equal(http_header(v, sizeof(v), &r, "WWW-Authenticate"), 0);
		http_reply_free(&r);
	}
	/* a wrong token in the address sets no cookie */
	assert_int_equal(http_get(&r, fx->port, "GET", "/dashboard?token=guess-0123456789abc", NULL), 401);
	assert_int_not_equal(http_header(v, sizeof(v), &r, "Set-Cookie"), 0);
	http_reply_free(&r);
	/* read only: no other method */
	assert_int_equal(http_get(&r, fx->port, "POST", "/dashboard", BEARER "Content-Length: 0\r\n"), 405);
	http_reply_free(&r);
}

static void test_bearer(void **state)
{
	struct dash *fx = *state;
	struct http_reply r;
	char v[128];

	assert_int_equal(http_get(&r, fx->port, "GET", "/dashboard", BEARER), 200);
	assert_int_equal(http_header(v, sizeof(v), &r, "Content-Type"), 0);
	assert_string_equal(v, "text/html; charset=utf-8");
	assert_security_headers(&r);
	assert_non_null(strstr(r.body, "<title>clearance dashboard</title>"));
	http_reply_free(&r);
	/* HEAD: the same answer without the page */
	assert_int_equal(http_get(&r, fx->port, "HEAD", "/dashboard", BEARER), 200);
	assert_string_equal(r.body, "");
	assert_security_headers(&r);
	http_reply_free(&r);
	/* the scheme is case-insensitive */
	assert_int_equal(http_get(&r, fx->port, "GET", "/dashboard",
		"Authorization: bearer " DASH_TOKEN "\r\n"), 200);
	http_reply_free(&r);
}

static void test_cookie_flow(void **state)
{
	struct dash *fx = *state;
	struct http_reply r;
	char cookie[256], v[256], header[320];

	assert_int_equal(http_get(&r, fx->port, "GET", "/dashboard?token=" DASH_TOKEN, NULL), 303);
	assert_int_equal(http_header(v, sizeof(v), &r, "Location"), 0);
	assert_string_equal(v, "dashboard");   /* the token leaves the address */
	assert_int_equal(http_header(cookie, sizeof(cookie), &r, "Set-Cookie"), 0);
	assert_non_null(strstr(cookie, "clearance_dashboard=" DASH_TOKEN ";"));
	assert_non_null(strstr(cookie, "HttpOnly"));
	assert_non_null(strstr(cookie, "SameSite=Strict"));
	assert_null(strstr(cookie, "Secure"));   /* plain http on 127.0.0.1 */
	assert_security_headers(&r);
	assert_null(strstr(r.body, DASH_TOKEN));
	http_reply_free(&r);

	/* what the browser sends back */
	snprintf(header, sizeof(header), "Cookie: theme=dark; clearance_dashboard=%s; x=y\r\n", DASH_TOKEN);
	assert_int_equal(http_get(&r, fx->port, "GET", "/dashboard", header), 200);
	assert_non_null(strstr(r.body, "Approvals by state"));
	assert_null(strstr(r.body, DASH_TOKEN));   /* the page never shows the token */
	http_reply_free(&r);

	/* behind a TLS proxy the cookie is Secure */
	assert_int_equal(http_get(&r, fx->port, "GET", "/dashboard?token=" DASH_TOKEN,
		"X-Forwarded-Proto: https\r\n"), 303);
	assert_int_equal(http_header(cookie, sizeof(cookie), &r, "Set-Cookie"), 0);
	assert_non_null(strstr(cookie, "; Secure"));
	http_reply_free(&r);
}

/* ---- what the page shows ---- */

static void test_seeded_numbers(void **state)
{
	struct dash *fx = *state;
	struct http_reply r;
	char month[16], want[128];

	assert_int_equal(http_get(&r, fx->port, "GET", "/dashboard", BEARER), 200);
	/* approvals by state, every state listed */
	assert_non_null(strstr(r.body, "<td>approved</td><td class=\"n\">3</td>"));
	assert_non_null(strstr(r.body, "<tr class=\"attention\"><td>requested</td><td class=\"n\">1</td>"));
	assert_non_null(strstr(r.body, "<td>denied</td><td class=\"n\">1</td>"));
	assert_non_null(strstr(r.body, "<td>revoked</td><td class=\"n\">0</td>"));
	assert_non_null(strstr(r.body, "<tr><th>all</th><th class=\"n\">5</th></tr>"));
	/* expiring within 30 days: alice (10 days) and the hostile one (20), not bob (200) */
	assert_non_null(strstr(r.body, "<td class=\"wrap\">github.com/libgit2/libgit2</td>"));
	assert_non_null(strstr(r.body, "<td class=\"n\">10</td>"));
	assert_non_null(strstr(r.body, "<td class=\"n\">20</td>"));
	assert_null(strstr(r.body, "github.com/git/git"));
	/* the CLA and who signed it */
	assert_non_null(strstr(r.body, "<td>corporate, signed by acme-legal</td>"));
	assert_non_null(strstr(r.body, "<td>none, signed by &lt;script&gt;"));
	assert_non_null(strstr(r.body, "<a href=\"https://github.com/acme/ospo/issues/1\""));
	assert_null(strstr(r.body, "javascript:"));   /* not a link, not shown */
	/* contributions: cards, table, charts */
	assert_non_null(strstr(r.body, "<b>12</b>outbound commits to 3 repositories"));
	assert_non_null(strstr(r.body, "<td class=\"wrap\">acme/libgit2-fork</td><td class=\"n\">7</td><td class=\"n\">1</td>"));
	assert_non_null(strstr(r.body, "<td class=\"wrap\">acme/curl-fork</td><td class=\"n\">3</td>"));
	assert_non_null(strstr(r.body, "<title>acme/libgit2-fork: 7 commits</title>"));
	month_of(month, DASH_NOW);
	snprintf(want, sizeof(want), "<title>%s: 6 commits</title>", month);
	assert_non_null(strstr(r.body, want));
	month_of(month, DASH_NOW - 40 * DASH_DAY);
	snprintf(want, sizeof(want), "<title>%s: 3 commits</title>", month);
	assert_non_null(strstr(r.body, want));
	month_of(month, DASH_NOW - 70 * DASH_DAY);
	snprintf(want, sizeof(want), "<title>%s: 3 commits</title>", month);
	assert_non_null(strstr(r.body, want));
	assert_int_equal(count_of(r.body, "<rect class=\"bar\""), 3 + 3);  /* 3 months, 3 repositories */
	assert_int_equal(count_of(r.body, "<svg "), 2);
	/* the override */
	assert_non_null(strstr(r.body, "<td class=\"n\">3</td><td class=\"wrap\">&lt;script&gt;alert(3)&lt;/script&gt; hotfix</td>"));
	/* deliveries: 2 queued, 1 failed, its error shown */
	assert_non_null(strstr(r.body, "<p>2 queued, 0 running, 0 done, 1 failed.</p>"));
	assert_non_null(strstr(r.body, "<b>1</b>failed deliveries"));
	assert_non_null(strstr(r.body, "&lt;/svg&gt;&lt;img src=x onerror=alert(5)&gt;"));
	assert_int_equal(count_of(r.body, "<tr class=\"failed\">"), 2);   /* failures table + latest */
	http_reply_free(&r);
}

static void test_hostile_strings_escaped(void **state)
{
	struct dash *fx = *state;
	struct http_reply r;

	assert_int_equal(http_get(&r, fx->port, "GET", "/dashboard", BEARER), 200);
	/* no script element at all: the page has none of its own */
	assert_false(contains_ci(r.body, "<script"));
	assert_null(strstr(r.body, "<img"));
	assert_null(strstr(r.body, "\"onmouseover"));
	/* "onerror=" only inside the escaped text of the failure */
	assert_int_equal(count_of(r.body, "onerror="), count_of(r.body, "&lt;img src=x onerror="));
	/* the two charts close once each; the hostile "</svg>" is text */
	assert_int_equal(count_of(r.body, "</svg>"), 2);
	/* each hostile string is there, escaped */
	assert_non_null(strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(r.body, "&quot;onmouseover=alert(1) x=&quot;"));
	assert_non_null(strstr(r.body, "&lt;/svg&gt;&lt;script&gt;alert(2)&lt;/script&gt;"));
	/* in the chart too (label and tooltip) */
	assert_non_null(strstr(r.body, "<title>&lt;/svg&gt;&lt;script&gt;alert(2)&lt;/script&gt;: 2 commits</title>"));
	http_reply_free(&r);
}

static void test_empty_store(void **state)
{
	struct dash empty;
	struct http_reply r;
	(void)state;

	/* a bot that never saw an approval or a hosted push: no such tables yet */
	assert_int_equal(dash_start(&empty, DASH_TOKEN, 1), 0);
	assert_int_equal(http_get(&r, empty.port, "GET", "/dashboard", BEARER), 200);
	assert_non_null(strstr(r.body, "<tr><th>all</th><th class=\"n\">0</th></tr>"));
	assert_non_null(strstr(r.body, "No outbound commit recorded yet"));
	assert_non_null(strstr(r.body, "No admin override recorded."));
	assert_non_null(strstr(r.body, "No delivery received yet."));
	assert_int_equal(count_of(r.body, "<svg "), 1);    /* the 12 empty months */
	assert_int_equal(count_of(r.body, "<rect"), 0);
	http_reply_free(&r);
	dash_stop(&empty);
}

static void test_lists_bounded(void **state)
{
	struct dash *fx = *state;
	struct http_reply r;
	sqlite3 *db = NULL;
	char sql[256];
	int i;

	assert_int_equal(cl_events_store_open(&db, fx->db, 0), 0);
	assert_int_equal(dash_exec(db, "BEGIN"), 0);
	for (i = 0; i < 500; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO overrides (event_id, repository, ref, pusher, reason, "
			"findings, time) VALUES ('bulk-%d', 'acme/bulk', 'refs/heads/main', 'root', 'bulk "
			"override %d', 1, '2026-11-18T00:00:00Z')", i, i);
		assert_int_equal(dash_exec(db, sql), 0);
	}
	for (i = 0; i < 40; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO contributions (repository, commit_id, ref, "
			"upstream_repo, committed_at, seen_at) VALUES ('acme/repo-%02d', 'c%d', "
			"'refs/heads/main', 'repo-%02d', %lld, %lld)", i, i, i, DASH_NOW - 3600, DASH_NOW);
		assert_int_equal(dash_exec(db, sql), 0);
	}
	assert_int_equal(dash_exec(db, "COMMIT"), 0);
	cl_db_close(db);
	assert_int_equal(http_get(&r, fx->port, "GET", "/dashboard", BEARER), 200);
	assert_int_equal(count_of(r.body, "bulk override"), 20);
	assert_non_null(strstr(r.body, "bulk override 499"));   /* newest first */
	/* the repository list stops at 15 (chart and table), the total counts all */
	assert_int_equal(count_of(r.body, "<rect class=\"bar\" x=\"220\""), 15);
	assert_non_null(strstr(r.body, "<b>52</b>outbound commits to 43 repositories"));
	assert_true(strlen(r.body) < CL_DASHBOARD_MAX_PAGE);
	http_reply_free(&r);
}

/* ---- pieces ---- */

/* The handler without a socket: a page that cannot be rendered is a 500 that shows nothing. */
static void test_render_failure_500(void **state)
{
	struct dash *fx = *state;
	struct cl_dashboard_request req;
	struct cl_dashboard_reply reply;
	struct cl_queue *q = NULL;
	char dir[] = "/tmp/cl-test-dashtmpl-XXXXXX", path[96], cmd[96];
	FILE *f;

	assert_int_equal(cl_queue_open(&q, fx->db, CL_DB_SYNC_NORMAL, NULL), 0);
	memset(&req, 0, sizeof(req));
	req.token = DASH_TOKEN;
	req.authorization = "Bearer " DASH_TOKEN;
	cl_dashboard_handle(&reply, &req, q, NULL, DASH_NOW);
	assert_int_equal(reply.status, 200);
	assert_non_null(strstr(reply.body.ptr, "Approvals by state"));
	cl_dashboard_reply_dispose(&reply);

	/* an edited copy of the template with a mistake in it */
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dashboard.html", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("<p>{{#approvals}}never closed</p>\n", f);
	assert_int_equal(fclose(f), 0);
	setenv("CLEARANCE_TEMPLATE_DIR", dir, 1);
	cl_dashboard_handle(&reply, &req, q, NULL, DASH_NOW);
	unsetenv("CLEARANCE_TEMPLATE_DIR");
	assert_int_equal(reply.status, 500);
	assert_non_null(strstr(reply.body.ptr, "500: the dashboard cannot be shown"));
	assert_null(strstr(reply.body.ptr, "alice"));
	assert_true(reply.header_count >= 4);
	assert_string_equal(reply.headers[0].name, "Content-Security-Policy");
	cl_dashboard_reply_dispose(&reply);
	cl_queue_close(q);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_token_matches(void **state)
{
	(void)state;
	assert_true(cl_dashboard_token_matches(DASH_TOKEN, DASH_TOKEN));
	assert_false(cl_dashboard_token_matches(DASH_TOKEN, DASH_TOKEN "x"));
	assert_false(cl_dashboard_token_matches(DASH_TOKEN, "s3cr3t"));
	assert_false(cl_dashboard_token_matches(DASH_TOKEN, ""));
	assert_false(cl_dashboard_token_matches(DASH_TOKEN, NULL));
	assert_false(cl_dashboard_token_matches(NULL, DASH_TOKEN));
	assert_false(cl_dashboard_token_matches("", ""));
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void test_config_token(void **state)
{
	struct cl_bot_config *cfg = NULL;
	char dir[] = "/tmp/cl-test-dashcfg-XXXXXX", yml[128], secret[128], text[256], cmd[96];
	(void)state;

	assert_non_null(mkdtemp(dir));
	snprintf(yml, sizeof(yml), "%s/bot.yml", dir);
	snprintf(secret, sizeof(secret), "%s/token", dir);
	unsetenv("CLEARANCE_DASHBOARD_TOKEN");

	assert_int_equal(write_file(yml, "dashboard_token: " DASH_TOKEN "\n"), 0);
	assert_int_equal(cl_bot_config_load(&cfg, yml), 0);
	assert_string_equal(cfg->dashboard_token, DASH_TOKEN);
	cl_bot_config_free(cfg);

	assert_int_equal(write_file(secret, DASH_TOKEN "\n"), 0);
	snprintf(text, sizeof(text), "dashboard_token_file: %s\n", secret);
	assert_int_equal(write_file(yml, text), 0);
	assert_int_equal(cl_bot_config_load(&cfg, yml), 0);
	assert_string_equal(cfg->dashboard_token, DASH_TOKEN);
	cl_bot_config_free(cfg);

	/* too short, or a character a cookie cannot carry: refused without echoing it */
	assert_int_equal(write_file(yml, "dashboard_token: short\n"), 0);
	assert_int_equal(cl_bot_config_load(&cfg, yml), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "'dashboard_token'"));
	assert_null(strstr(cl_error_last(), "short\n"));
	assert_int_equal(write_file(yml, "dashboard_token: \"0123456789abcdef; x=1\"\n"), 0);
	assert_int_equal(cl_bot_config_load(&cfg, yml), CL_EINVALID);
	assert_null(strstr(cl_error_last(), "x=1"));

	/* the environment wins over the file, and is checked the same way */
	assert_int_equal(write_file(yml, "dashboard_token: " DASH_TOKEN "\n"), 0);
	setenv("CLEARANCE_DASHBOARD_TOKEN", "from-the-environment-0123", 1);
	assert_int_equal(cl_bot_config_load(&cfg, yml), 0);
	assert_string_equal(cfg->dashboard_token, "from-the-environment-0123");
	cl_bot_config_free(cfg);
	setenv("CLEARANCE_DASHBOARD_TOKEN", "bad token", 1);
	assert_int_equal(cl_bot_config_load(&cfg, yml), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "CLEARANCE_DASHBOARD_TOKEN"));
	unsetenv("CLEARANCE_DASHBOARD_TOKEN");
	cl_error_clear();

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_matches),
		cmocka_unit_test(test_config_token),
		cmocka_unit_test(test_off_without_token),
		cmocka_unit_test(test_empty_store),
		cmocka_unit_test_setup_teardown(test_unauthorized, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bearer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cookie_flow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seeded_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_strings_escaped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lists_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_failure_500, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
