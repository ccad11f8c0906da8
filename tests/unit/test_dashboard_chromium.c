/*
 * The dashboard in a real browser: headless Chromium (Debian packages
 * `chromium` and `chromium-driver`) loads GET /dashboard from the bot's
 * server in-process on 127.0.0.1 and dumps the DOM it built. No network
 * beyond loopback: the page has no external asset.
 *
 * Asserted on the DOM: the token link sets the cookie and lands on the
 * page (so the redirect and the cookie work in a browser, not only in our
 * client), the seeded numbers are there, a browser without the token gets
 * the 401 page, and hostile strings from the store are text: no script or
 * img element, no event-handler attribute, the charts' SVG not broken out
 * of.
 *
 * Chromium is installed with apt-get when missing (CI runs as root); where
 * that cannot be done the tests are skipped with a message saying why.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "dashboard_fixture.h"

/* One Chromium run may take this long (a cold start on a loaded machine). */
#define CHROMIUM_TIMEOUT_S 25

struct browser {
	struct dash fx;
	char chromium[256];
	char why_not[256];      /* set when Chromium is unavailable */
	int runs;
};

/* ---- finding or installing Chromium ---- */

static int find_program(char *out, size_t size, const char *name)
{
	const char *path = getenv("PATH");
	char dirs[4096], *save = NULL, *dir;

	snprintf(dirs, sizeof(dirs), "%s", path ? path : "/usr/bin:/bin");
	for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		snprintf(out, size, "%s/%s", dir, name);
		if (access(out, X_OK) == 0)
			return 0;
	}
	return -1;
}

static int find_chromium(struct browser *b)
{
	return find_program(b->chromium, sizeof(b->chromium), "chromium") == 0 ||
		find_program(b->chromium, sizeof(b->chromium), "chromium-browser") == 0 ? 0 : -1;
}

/*
 * The issue asks for the Debian packages; install them when missing. Only
 * root can, and only where apt-get exists; the package lists are refreshed
 * once if the first try finds no candidate.
 */
static void ensure_chromium(struct browser *b)
{
	const char *install = "DEBIAN_FRONTEND=noninteractive apt-get install -y -q "
		"-o DPkg::Lock::Timeout=300 --no-install-recommends chromium chromium-driver "
		">/dev/null 2>&1";

	if (find_chromium(b) == 0)
		return;
	if (geteuid() != 0) {
		snprintf(b->why_not, sizeof(b->why_not), "chromium is not installed and installing it "
			"needs root (apt-get install chromium chromium-driver)");
		return;
	}
	if (access("/usr/bin/apt-get", X_OK) != 0) {
		snprintf(b->why_not, sizeof(b->why_not), "chromium is not installed and there is no "
			"apt-get to install it with");
		return;
	}
	fprintf(stderr, "test_dashboard_chromium: installing chromium and chromium-driver with apt-get\n");
	if (system(install) != 0 &&
	    (system("DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1") != 0 ||
	     system(install) != 0)) {
		snprintf(b->why_not, sizeof(b->why_not), "apt-get could not install chromium "
			"chromium-driver (no network or no package source?)");
		return;
	}
	if (find_chromium(b) < 0)
		snprintf(b->why_not, sizeof(b->why_not), "chromium was installed but is not on PATH");
}

/* ---- running it ---- */

/*
 * chromium --headless --dump-dom URL with its own profile directory (so
 * cookies are per test), stdout into a file, killed after the timeout.
 * @return the serialized DOM (free it), or NULL
 */
static char *dump_dom(struct browser *b, const char *path_and_query, const char *profile)
{
	char url[256], out_path[160], log_path[160], profile_arg[200];
	struct cl_buf dom = CL_BUF_INIT;
	time_t deadline;
	pid_t pid;
	int status = 0;

	snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", b->fx.port, path_and_query);
	snprintf(out_path, sizeof(out_path), "%s/dom-%d.html", b->fx.dir, b->runs);
	snprintf(log_path, sizeof(log_path), "%s/chromium-%d.log", b->fx.dir, b->runs);
	snprintf(profile_arg, sizeof(profile_arg), "--user-data-dir=%s/%s", b->fx.dir, profile);
	b->runs++;
	if ((pid = fork()) < 0)
		return NULL;
	if (pid == 0) {
		char *argv[] = { b->chromium, "--headless", "--no-sandbox", "--disable-gpu",
			"--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
			"--disable-extensions", "--disable-background-networking", "--disable-sync",
			"--disable-component-update", "--metrics-recording-only", "--mute-audio",
			profile_arg, "--dump-dom", url, NULL };
		int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int err = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
			_exit(127);
		execv(b->chromium, argv);
		_exit(127);
	}
	deadline = time(NULL) + CHROMIUM_TIMEOUT_S;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return NULL;
		if (time(NULL) > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fprintf(stderr, "chromium did not finish in %d s (log: %s)\n", CHROMIUM_TIMEOUT_S, log_path);
			return NULL;
		}
		usleep(50 * 1000);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "chromium failed (status %d, log: %s)\n", status, log_path);
		return NULL;
	}
	cl_buf_init(&dom, 8 * 1024 * 1024);
	if (cl_buf_read_path(&dom, out_path) < 0) {
		cl_buf_dispose(&dom);
		return NULL;
	}
	return cl_buf_detach(&dom);
}

/*
 * Is every occurrence of `needle` in text, not in markup? The serialized
 * DOM escapes '<' and '>' in text nodes, so an occurrence is inside a tag
 * exactly when the last '<' before it comes after the last '>'.
 */
static int only_in_text(const char *dom, const char *needle)
{
	const char *p = dom;
	while ((p = strstr(p, needle)) != NULL) {
		const char *q, *lt = NULL, *gt = NULL;
		for (q = p; q > dom && (!lt || !gt); q--) {
			if (!lt && q[-1] == '<')
				lt = q - 1;
			if (!gt && q[-1] == '>')
				gt = q - 1;
		}
		if (lt && (!gt || lt > gt))
			return 0;
		p += strlen(needle);
	}
	return 1;
}

/* ---- fixture ---- */

static int group_setup(void **state)
{
	struct browser *b = calloc(1, sizeof(*b));

	if (!b)
		return -1;
	ensure_chromium(b);
	/* no D-Bus session in a test; set before the server's threads start, not in the child */
	setenv("DBUS_SESSION_BUS_ADDRESS", "disabled:", 1);
	if (!b->why_not[0] && dash_start(&b->fx, DASH_TOKEN, 0) < 0)
		return -1;
	*state = b;
	return 0;
}

static int group_teardown(void **state)
{
	struct browser *b = *state;
	if (b->fx.srv)
		dash_stop(&b->fx);
	free(b);
	return 0;
}

#define NEED_CHROMIUM(b) do { \
	if ((b)->why_not[0]) { \
		fprintf(stderr, "SKIPPED: %s\n", (b)->why_not); \
		skip(); \
	} \
} while (0)

/* ---- tests ---- */

static void test_token_link_loads_the_page(void **state)
{
	struct browser *b = *state;
	char *dom, month[16], want[96];

	NEED_CHROMIUM(b);
	/* the link the OSPO hands out: 303 with the cookie, then the page without the token */
	dom = dump_dom(b, "/dashboard?token=" DASH_TOKEN, "profile-link");
	assert_non_null(dom);
	assert_non_null(strstr(dom, "<title>clearance dashboard</title>"));
	assert_non_null(strstr(dom, "Approvals by state"));
	assert_null(strstr(dom, "401: this dashboard needs its token"));
	/* the seeded numbers */
	assert_non_null(strstr(dom, "<td>approved</td><td class=\"n\">3</td>"));
	assert_non_null(strstr(dom, "<td>requested</td><td class=\"n\">1</td>"));
	assert_non_null(strstr(dom, "<th>all</th><th class=\"n\">5</th>"));
	assert_non_null(strstr(dom, "<td class=\"wrap\">acme/libgit2-fork</td><td class=\"n\">7</td>"));
	assert_non_null(strstr(dom, "<b>12</b>outbound commits to 3 repositories"));
	month_of(month, DASH_NOW);
	snprintf(want, sizeof(want), "<title>%s: 6 commits</title>", month);
	assert_non_null(strstr(dom, want));
	assert_non_null(strstr(dom, "<b>1</b>failed deliveries"));
	/* the charts are SVG in the DOM, one bar per non-empty month and repository */
	assert_int_equal(count_of(dom, "<svg "), 2);
	assert_int_equal(count_of(dom, "<rect class=\"bar\""), 6);
	assert_null(strstr(dom, DASH_TOKEN));
	free(dom);
}

static void test_without_token_401(void **state)
{
	struct browser *b = *state;
	char *dom;

	NEED_CHROMIUM(b);
	dom = dump_dom(b, "/dashboard", "profile-none");
	assert_non_null(dom);
	assert_non_null(strstr(dom, "401: this dashboard needs its token"));
	assert_null(strstr(dom, "Approvals by state"));
	assert_null(strstr(dom, "libgit2"));
	free(dom);
	/* a wrong token in the link neither shows the page nor sets a cookie that would */
	dom = dump_dom(b, "/dashboard?token=not-the-token-0123456789", "profile-wrong");
	assert_non_null(dom);
	assert_non_null(strstr(dom, "401: this dashboard needs its token"));
	free(dom);
	dom = dump_dom(b, "/dashboard", "profile-wrong");
	assert_non_null(dom);
	assert_non_null(strstr(dom, "401: this dashboard needs its token"));
	free(dom);
}

static void test_hostile_strings_harmless(void **state)
{
	struct browser *b = *state;
	char *dom;

	NEED_CHROMIUM(b);
	dom = dump_dom(b, "/dashboard?token=" DASH_TOKEN, "profile-hostile");
	assert_non_null(dom);
	assert_non_null(strstr(dom, "Approvals by state"));
	/* no element was injected: not a script, not an img, no handler attribute */
	assert_false(contains_ci(dom, "<script"));
	assert_false(contains_ci(dom, "<img"));
	assert_true(only_in_text(dom, "onmouseover"));
	assert_true(only_in_text(dom, "onerror"));
	/* the SVG was not closed early by a repository named "</svg>..." */
	assert_int_equal(count_of(dom, "<svg "), 2);
	assert_int_equal(count_of(dom, "</svg>"), 2);
	/* and each hostile string is on the page as text */
	assert_non_null(strstr(dom, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(dom, "\"onmouseover=alert(1) x=\""));
	assert_non_null(strstr(dom, "&lt;/svg&gt;&lt;script&gt;alert(2)&lt;/script&gt;"));
	assert_non_null(strstr(dom, "&lt;script&gt;alert(3)&lt;/script&gt; hotfix"));
	assert_non_null(strstr(dom, "&lt;/svg&gt;&lt;img src=x onerror=alert(5)&gt;"));
	/* a stored javascript: address did not become a link */
	assert_null(strstr(dom, "javascript:"));
	free(dom);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_token_link_loads_the_page),
		cmocka_unit_test(test_without_token_401),
		cmocka_unit_test(test_hostile_strings_harmless),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
