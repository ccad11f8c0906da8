/*
 * Hosted repositories end to end: a bare repository with clearance's hooks
 * (pre-receive and post-receive) served by a real `git daemon` with
 * receive-pack, `clearance serve` as a child process, and the stand-in
 * forge (tests/tools/forge_standin.c) holding the OSPO tracker ospo/tracker.
 *
 *   - a push adding a dependency under deps.on_new: review is accepted and
 *     opens exactly one issue in the tracker (with a link back); a second
 *     push touching it opens no other; removing it closes the issue
 *   - with the bot stopped pushes still succeed and spool; `clearance
 *     doctor` says so; once the bot is back `clearance spool flush` drains
 *     the spool and the issue appears once, also when an event is sent twice
 *   - a corrupt spool file is reported by doctor, set aside by the flush,
 *     and the events after it are delivered
 *   - an admin's override lands as a row of the store's overrides table
 *     (`clearance overrides list`) and shows on the dashboard
 *   - the store mode (install-hooks --store) queues events straight into
 *     the bot's store
 */
#include "forge_test_util.h"
#include "bot_test_util.h"
#include "git_daemon_util.h"
#include "webhook.h"
#include "../../bot/events.h"
#include "policy.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>

static char root[64];
static char clearance_bin[1024];
static char bare[128];
static struct standin forge;
static struct git_daemon daemon_;
static struct bot_child bot = BOT_CHILD_INIT;

static void bot_start(void)
{
	char cfg[512], policy[512], text[2048];

	snprintf(policy, sizeof(policy), "%s/bot-policy.yml", root);
	write_file(policy, "dco:\n  enabled: true\n"
		"approvals:\n  enabled: true\n  repository: ospo/approvals\n  approvers: [olivia]\n");
	snprintf(cfg, sizeof(cfg), "%s/bot.yml", root);
	/* the first start picks a port; restarts keep it, since the hooks know it */
	snprintf(text, sizeof(text),
		"listen: 127.0.0.1:%u\n"
		"data_dir: %s/data\n"
		"policy: %s\n"
		"events_secret_file: %s/events-secret\n"
		"tracker: ospo/tracker\n"
		"labels: [hosted]\n"
		"dashboard_token: hosted-dashboard-token-0123\n"
		"github:\n"
		"  webhook_secret: e2e-secret\n"
		"  token: " TEST_TOKEN "\n"
		"  base_url: %s\n", bot.port, root, policy, root, forge.base);
	write_file(cfg, text);
	bot_child_start(&bot, clearance_bin, cfg, root, 0);
}

static void bot_stop(void)
{
	if (bot_child_stop(&bot))
		fail_msg("the bot reported a sanitizer error");
}

static const char *me(void)
{
	struct passwd *pw = getpwuid(geteuid());
	return pw ? pw->pw_name : "root";
}

static void install(const char *how)
{
	sh("%s install-hooks %s --policy %s/policy.yml %s >/dev/null", clearance_bin, bare, root, how);
}

static int setup(void **state)
{
	char text[1024], base[128], how[256];
	(void)state;
	snprintf(root, sizeof(root), "/tmp/cl-hosted-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	snprintf(bare, sizeof(bare), "%s/srv/app.git", root);
	sh("cd %s && mkdir -p srv data && git init -q --bare srv/app.git && "
	   "git -C srv/app.git config receive.denyCurrentBranch ignore && "
	   "git init -q -b main work && cd work && git config user.name 'Ann Author' && "
	   "git config user.email ann@example.com && echo hello > README && git add README && "
	   "git commit -q -s -m first && git push -q ../srv/app.git main", root);
	snprintf(text, sizeof(text), "%s/events-secret", root);
	write_file(text, "hosted-secret\n");
	snprintf(text, sizeof(text),
		"dco:\n  enabled: true\n"
		"deps:\n  enabled: true\n  on_new: review\n  on_unknown_license: notice\n"
		"overrides:\n  admins: [%s]\n"
		"bot:\n  name: app\n  commit_url: https://git.example.com/app/commit/\n"
		"  labels: [ospo]\n"
		/* a fork of an upstream "app"; its approvals are the bot's */
		"cla:\n  store: %s/data/clearance.db\n"
		"approvals:\n  enabled: true\n  approvers: [olivia]\n  outbound_repos: [srv/app]\n"
		"  employee_domains: [acme.example]\n", me(), root);
	snprintf(base, sizeof(base), "%s/policy.yml", root);
	write_file(base, text);
	snprintf(base, sizeof(base), "%s/srv", root);
	if (git_daemon_start(&daemon_, base, "app.git") < 0)
		return -1;
	sh("git -C %s/work remote add origin git://127.0.0.1:%d/app.git", root, daemon_.port);
	standin_start(&forge);
	bot_start();
	snprintf(how, sizeof(how), "--bot http://127.0.0.1:%u --secret-file %s/events-secret", bot.port, root);
	install(how);
	return 0;
}

static int teardown(void **state)
{
	int dirty;
	(void)state;
	dirty = bot_child_stop(&bot);
	git_daemon_stop(&daemon_);
	standin_stop(&forge);
	sh("rm -rf %s", root);
	return dirty ? -1 : 0;
}

/* ---- the tracker ---- */

static json_t *tracker_state(void)
{
	json_t *all = standin_control(&forge, "GET", "state", NULL);
	json_t *r = json_incref(json_object_get(json_object_get(all, "repos"), "ospo/tracker"));
	json_decref(all);
	return r ? r : json_pack("{s:[], s:[], s:[]}", "issues", "comments", "statuses");
}

static json_t *issue_with(json_t *repo, const char *needle, int *count)
{
	json_t *it, *found = NULL;
	size_t i;
	*count = 0;
	json_array_foreach(json_object_get(repo, "issues"), i, it) {
		const char *body = json_string_value(json_object_get(it, "body"));
		if (body && strstr(body, needle)) {
			found = it;
			++*count;
		}
	}
	return found;
}

struct issue_wait { const char *needle; const char *state; };

static int issue_ready(json_t *repo, void *arg)
{
	struct issue_wait *w = arg;
	int n;
	json_t *it = issue_with(repo, w->needle, &n);
	return it && !strcmp(json_string_value(json_object_get(it, "state")), w->state);
}

/* Up to 120 s: sanitizer builds on a busy machine. */
static json_t *wait_for(int (*ready)(json_t *repo, void *arg), void *arg, const char *what)
{
	int i;
	for (i = 0; i < 1200; i++) {
		json_t *repo = tracker_state();
		if (ready(repo, arg))
			return repo;
		json_decref(repo);
		usleep(100000);
	}
	sh("cat %s >&2", bot.log);
	fail_msg("timed out waiting for %s", what);
	return NULL;
}

/* Every delivery of the store processed (done), so that counts are final. */
static void wait_idle(void)
{
	char out[4096];
	int i;
	for (i = 0; i < 1200; i++) {
		sh_status(out, sizeof(out), "%s deliveries --config %s/bot.yml list --state queued; "
			"%s deliveries --config %s/bot.yml list --state running", clearance_bin, root,
			clearance_bin, root);
		if (!strstr(out, "hosted"))
			return;
		usleep(100000);
	}
	fail_msg("the bot did not finish its deliveries");
}

static int spool_count(const char *sub)
{
	char out[64];
	sh_status(out, sizeof(out), "ls %s/clearance-spool/%s 2>/dev/null | grep -c '\\.event$'", bare, sub);
	return (int)strtol(out, NULL, 10);
}

/* Commit a change in the work tree and push it over git://; returns git push's status. */
static int push(const char *change, const char *options)
{
	char out[8192];
	int rc = sh_status(out, sizeof(out), "cd %s/work && %s && git add -A && git commit -q -s -m step && "
		"git push -q %s origin main", root, change, options ? options : "");
	if (rc != 0)
		fprintf(stderr, "push output:\n%s\n", out);
	/* the hooks run under the sanitizers in `make check`: a report there fails the test */
	if (strstr(out, "Sanitizer") || strstr(out, "runtime error") || strstr(out, "died of signal"))
		fail_msg("a hook failed:\n%s", out);
	return rc;
}

/* ---- tests ---- */

static void test_dependency_issue(void **state)
{
	struct issue_wait w = { "clearance:deps:npm:left-pad", "open" };
	json_t *repo, *it;
	int n;
	(void)state;

	assert_int_equal(push("printf '{\"name\": \"w\", \"dependencies\": {\"left-pad\": \"1.3.0\"}}\\n' "
		"> package.json", NULL), 0);
	repo = wait_for(issue_ready, &w, "an issue for left-pad in ospo/tracker");
	it = issue_with(repo, w.needle, &n);
	assert_int_equal(n, 1);
	/* the link back to the hosted repository and commit */
	assert_non_null(strstr(json_string_value(json_object_get(it, "body")), "https://git.example.com/app/commit/"));
	{
		char *labels = json_dumps(json_object_get(it, "labels"), 0);
		assert_non_null(labels);
		assert_non_null(strstr(labels, "\"ospo\""));
		assert_non_null(strstr(labels, "\"hosted\""));   /* the bot config's default */
		assert_non_null(strstr(labels, "\"clearance:deps\""));
		free(labels);
	}
	json_decref(repo);
	assert_int_equal(spool_count(""), 0);

	/* the same dependency touched again: no second issue */
	assert_int_equal(push("printf '{\"name\": \"w\", \"version\": \"2.0.0\", \"dependencies\": "
		"{\"left-pad\": \"1.3.0\"}}\\n' > package.json", NULL), 0);
	wait_idle();
	repo = wait_for(issue_ready, &w, "the same issue still open");
	issue_with(repo, w.needle, &n);
	assert_int_equal(n, 1);
	json_decref(repo);

	/* removed: closed */
	assert_int_equal(push("printf '{\"name\": \"w\", \"dependencies\": {}}\\n' > package.json", NULL), 0);
	w.state = "closed";
	repo = wait_for(issue_ready, &w, "the left-pad issue closed");
	issue_with(repo, w.needle, &n);
	assert_int_equal(n, 1);
	json_decref(repo);
	standin_assert_clean(&forge, NULL);
}

static void test_bot_down_spools(void **state)
{
	struct issue_wait w = { "clearance:deps:npm:is-odd", "open" };
	char out[8192], saved[512];
	json_t *repo;
	int n;
	(void)state;

	bot_stop();
	assert_int_equal(push("printf '{\"name\": \"w\", \"dependencies\": {\"is-odd\": \"3.0.1\"}}\\n' "
		"> package.json", NULL), 0);
	assert_int_equal(push("echo more >> README", NULL), 0);
	assert_int_equal(spool_count(""), 2);
	assert_int_equal(sh_status(out, sizeof(out), "%s doctor %s", clearance_bin, bare), 1);
	assert_non_null(strstr(out, "2 event(s) waiting"));

	/* keep a copy of the first event, to send it again once delivered */
	snprintf(saved, sizeof(saved), "%s/saved.event", root);
	sh("cp \"$(ls %s/clearance-spool/*.event | head -1)\" %s", bare, saved);

	bot_start();
	assert_int_equal(sh_status(out, sizeof(out), "%s spool flush %s", clearance_bin, bare), 0);
	assert_non_null(strstr(out, "2 delivered"));
	assert_int_equal(spool_count(""), 0);
	repo = wait_for(issue_ready, &w, "the is-odd issue after the flush");
	issue_with(repo, w.needle, &n);
	assert_int_equal(n, 1);
	json_decref(repo);

	/* the same event again (a crash between delivery and removal): stored once */
	sh("cp %s %s/clearance-spool/00000000000000000001-1-again.event", saved, bare);
	assert_int_equal(sh_status(out, sizeof(out), "%s spool flush %s", clearance_bin, bare), 0);
	wait_idle();
	repo = tracker_state();
	issue_with(repo, w.needle, &n);
	assert_int_equal(n, 1);
	json_decref(repo);
	assert_int_equal(sh_status(out, sizeof(out), "%s doctor %s", clearance_bin, bare), 0);
	assert_non_null(strstr(out, "healthy"));
	standin_assert_clean(&forge, NULL);
}

static void test_corrupt_spool_file(void **state)
{
	struct issue_wait w = { "clearance:deps:npm:is-even", "open" };
	char out[8192], path[512];
	json_t *repo;
	int n;
	(void)state;

	bot_stop();
	assert_int_equal(push("printf '{\"name\": \"w\", \"dependencies\": {\"is-odd\": \"3.0.1\", "
		"\"is-even\": \"1.0.0\"}}\\n' > package.json", NULL), 0);
	/* a file that sorts first and is not an event (a disk filled up, a person's edit) */
	snprintf(path, sizeof(path), "%s/clearance-spool/00000000000000000002-1-broken.event", bare);
	write_file(path, "{\"type\": \"clearance.push\", \"version\": 1, \"id\": ");
	assert_int_equal(sh_status(out, sizeof(out), "%s doctor %s", clearance_bin, bare), 1);
	assert_non_null(strstr(out, "broken.event' is corrupt"));
	assert_non_null(strstr(out, "1 event(s) waiting"));

	bot_start();
	assert_int_equal(sh_status(out, sizeof(out), "%s spool flush %s", clearance_bin, bare), 1);
	assert_non_null(strstr(out, "1 delivered, 1 moved to bad/"));
	assert_int_equal(spool_count(""), 0);
	assert_int_equal(spool_count("bad/"), 1);
	repo = wait_for(issue_ready, &w, "the is-even issue after the corrupt file");
	issue_with(repo, w.needle, &n);
	assert_int_equal(n, 1);
	json_decref(repo);
	/* doctor still points at what was set aside */
	assert_int_equal(sh_status(out, sizeof(out), "%s doctor %s", clearance_bin, bare), 1);
	assert_non_null(strstr(out, "set aside as corrupt"));
	sh("rm -rf %s/clearance-spool/bad", bare);
}

static void test_override_recorded(void **state)
{
	char out[8192];
	int i;
	(void)state;

	/* an unsigned commit: pre-receive rejects it, the admin overrides */
	assert_int_equal(sh_status(out, sizeof(out), "cd %s/work && echo urgent >> README && "
		"git commit -q -am hotfix && git push -q -o clearance.override='prod is down' origin main",
		root), 0);
	for (i = 0; i < 1200; i++) {
		sh_status(out, sizeof(out), "%s overrides list --store %s/data/clearance.db", clearance_bin, root);
		if (strstr(out, "prod is down"))
			break;
		usleep(100000);
	}
	assert_non_null(strstr(out, "prod is down"));
	assert_non_null(strstr(out, "\tapp\trefs/heads/main\t"));
	assert_non_null(strstr(out, "\t1\t"));   /* one finding was overridden */

	/* ... and the OSPO sees it on the dashboard. */
	assert_int_equal(sh_status(out, sizeof(out), "curl -sf -H 'Authorization: Bearer "
		"hosted-dashboard-token-0123' http://127.0.0.1:%u/dashboard | grep -o 'prod is down'",
		bot.port), 0);
	assert_non_null(strstr(out, "prod is down"));
}

static void test_store_mode(void **state)
{
	struct issue_wait w = { "clearance:deps:npm:left-right", "open" };
	char how[256];
	json_t *repo;
	int n;
	(void)state;

	snprintf(how, sizeof(how), "--store %s/data/clearance.db", root);
	install(how);
	assert_int_equal(push("printf '{\"name\": \"w\", \"dependencies\": {\"left-right\": \"0.1.0\"}}\\n' "
		"> package.json", NULL), 0);
	assert_int_equal(spool_count(""), 0);
	repo = wait_for(issue_ready, &w, "the left-right issue through the store");
	issue_with(repo, w.needle, &n);
	assert_int_equal(n, 1);
	json_decref(repo);
	standin_assert_clean(&forge, NULL);
}

/*
 * The hosted fork syncs with an upstream that changed its LICENSE: the
 * hook compares, the push event says so, and the bot sends the approval
 * for that upstream back to review in its store (the one the hooks enforce
 * from here, so the hook leaves it to the bot: the audit row is the bot's,
 * naming the repository as the event does).
 */
static void test_relicense_sync(void **state)
{
	char out[8192];
	int i;
	(void)state;

	sh("%s approvals --store %s/data/clearance.db --actor dev request --upstream "
	   "https://github.com/upstream/app --license MIT --requester dev --email dev@acme.example "
	   ">/dev/null && %s approvals --store %s/data/clearance.db --actor olivia approve 1 "
	   "--scope project >/dev/null", clearance_bin, root, clearance_bin, root);
	assert_int_equal(push("printf 'Business Source License 1.1\\n' > LICENSE", NULL), 0);
	for (i = 0; i < 300; i++) {
		sh_out(out, sizeof(out), "%s approvals --store %s/data/clearance.db show 1",
			clearance_bin, root);
		if (strstr(out, "approval #1: needs-re-review"))
			break;
		usleep(100000);
	}
	assert_non_null(strstr(out, "approval #1: needs-re-review"));
	assert_non_null(strstr(out, "clearance approved -> needs-re-review  app@"));
	assert_non_null(strstr(out, "(push to refs/heads/main)  the license file 'LICENSE' changed"));
	/* approved again: pushes that leave licensing as approved move nothing */
	sh("%s approvals --store %s/data/clearance.db --actor olivia approve 1 --scope project "
	   ">/dev/null", clearance_bin, root);
	assert_int_equal(push("echo more >> README", NULL), 0);
	assert_int_equal(push("printf '// SPDX-License-Identifier: MIT\\nint x;\\n' > x.c", NULL), 0);
	/* the events of those pushes are processed in order before this one's */
	assert_int_equal(push("printf '// SPDX-License-Identifier: MIT\\nint y;\\n' > y.c", NULL), 0);
	for (i = 0; i < 300; i++) {
		sh_out(out, sizeof(out), "{ %s deliveries --data-dir %s/data list --state queued; "
			"%s deliveries --data-dir %s/data list --state running; } | grep -c push- || true",
			clearance_bin, root, clearance_bin, root);
		if (!strcmp(out, "0\n"))
			break;
		usleep(100000);
	}
	sh_out(out, sizeof(out), "%s approvals --store %s/data/clearance.db show 1", clearance_bin, root);
	assert_non_null(strstr(out, "approval #1: approved"));
}

/* POST /events/push trusts nothing unsigned, and the id header must be the event's. */
static long post_event(const char *body, const char *secret, const char *id)
{
	struct cl_http_client *c = NULL;
	struct cl_http_request req = CL_HTTP_REQUEST_INIT;
	struct cl_http_response resp = CL_HTTP_RESPONSE_INIT;
	char url[128], sig[72], sig_h[128], id_h[256];
	const char *headers[3];
	long status;

	cl_webhook_sign(sig, secret, strlen(secret), body, strlen(body), 1);
	snprintf(sig_h, sizeof(sig_h), "X-Clearance-Signature-256: %s", sig);
	snprintf(id_h, sizeof(id_h), "X-Clearance-Event-Id: %s", id);
	headers[0] = sig_h;
	headers[1] = id_h;
	headers[2] = NULL;
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/events/push", bot.port);
	assert_int_equal(cl_http_client_new(&c, NULL), 0);
	req.method = "POST";
	req.url = url;
	req.headers = headers;
	req.body = body;
	req.body_len = strlen(body);
	assert_int_equal(cl_http_client_send(&resp, c, &req), 0);
	status = resp.status;
	cl_http_response_dispose(&resp);
	cl_http_client_free(c);
	return status;
}

static void test_events_route(void **state)
{
	const char *ev = "{\"type\": \"clearance.push\", \"version\": 1, \"id\": \"push-route\", "
		"\"repository\": \"/srv/x.git\", \"tracker\": \"ospo/tracker\", \"refs\": []}";
	(void)state;
	assert_int_equal(post_event(ev, "wrong-secret", "push-route"), 401);
	assert_int_equal(post_event(ev, "hosted-secret", "push-other"), 400);
	assert_int_equal(post_event("{\"type\": \"x\"}", "hosted-secret", "push-route"), 400);
	assert_int_equal(post_event(ev, "hosted-secret", "push-route"), 202);
	assert_int_equal(post_event(ev, "hosted-secret", "push-route"), 200);   /* stored once */
}

/* Forge pushes get the policy's labels and assignees too, over the config's defaults. */
static void test_issue_people(void **state)
{
	struct cl_bot_config *cfg = NULL;
	struct cl_policy *policy = NULL;
	const char **labels = NULL, **assignees = NULL;
	const char *yml = "bot:\n  labels: [ospo, hosted]\n  assignees: [ann]\n";
	char path[256];
	(void)state;

	snprintf(path, sizeof(path), "%s/bot.yml", root);
	assert_int_equal(cl_bot_config_load(&cfg, path), 0);
	assert_int_equal(cl_policy_load_buffer(&policy, yml, strlen(yml), NULL), 0);
	assert_int_equal(cl_bot_issue_people(&labels, &assignees, cfg, policy), 0);
	assert_string_equal(labels[0], "ospo");
	assert_string_equal(labels[1], "hosted");
	assert_null(labels[2]);            /* the config's "hosted" only once */
	assert_string_equal(assignees[0], "ann");
	assert_null(assignees[1]);
	free(labels);
	free(assignees);
	cl_policy_free(policy);
	assert_int_equal(cl_bot_issue_people(&labels, &assignees, cfg, NULL), 0);
	assert_string_equal(labels[0], "hosted");
	assert_null(assignees);
	free(labels);
	cl_bot_config_free(cfg);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dependency_issue),
		cmocka_unit_test(test_bot_down_spools),
		cmocka_unit_test(test_corrupt_spool_file),
		cmocka_unit_test(test_override_recorded),
		cmocka_unit_test(test_store_mode),
		cmocka_unit_test(test_relicense_sync),
		cmocka_unit_test(test_events_route),
		cmocka_unit_test(test_issue_people),
	};
	char *copy;
	(void)argc;

	test_argv0 = argv[0];
	copy = strdup(argv[0]);
	snprintf(clearance_bin, sizeof(clearance_bin), "%s/../clearance", dirname(copy));
	free(copy);
	return cmocka_run_group_tests_name("bot_hosted", tests, setup, teardown);
}
