/*
 * The bot end to end: `clearance serve` as a child process, a real bare
 * repository served by `git daemon` on 127.0.0.1 as the forge's git side,
 * the stand-in forge (tests/tools/forge_standin.c) as its REST side, and
 * signed deliveries built from GitHub's published example payloads
 * (tests/bot/webhooks/github, from npm @octokit/webhooks-examples).
 *
 *   - a pull request with an unsigned commit gets a failing clearance/dco
 *     status and one summary comment; the fixed push turns the status green
 *     and edits the same comment; "/clearance recheck" runs it again
 *   - a push to main adding a dependency under deps.on_new: review opens
 *     one issue; a second push touching it opens no other; removing the
 *     dependency closes it
 * Every request the bot sent is checked against GitHub's OpenAPI
 * description by the stand-in, and the token appears in no log.
 */
#include "forge_test_util.h"
#include "bot_test_util.h"
#include "git_daemon_util.h"
#include "webhook.h"

#include <fcntl.h>
#include <sys/stat.h>

static char root[64];
static char clearance_bin[1024];
static struct standin forge;
static struct git_daemon daemon_;
static struct bot_child bot = BOT_CHILD_INIT;

static void bot_start_with(const char *github_auth);

static void bot_start(void)
{
	bot_start_with("  token: " TEST_TOKEN "\n");
}

/* `github_auth`: the lines of bot.yml's github section that authenticate. */
static void bot_start_with(const char *github_auth)
{
	char cfg[512], policy[512], text[4096];

	snprintf(policy, sizeof(policy), "%s/policy.yml", root);
	write_file(policy,
		"dco:\n  enabled: true\n"
		"deps:\n  enabled: true\n  on_new: review\n  on_unknown_license: notice\n");
	snprintf(cfg, sizeof(cfg), "%s/bot.yml", root);
	snprintf(text, sizeof(text),
		"listen: 127.0.0.1:0\n"
		"data_dir: %s/data\n"
		"policy: %s\n"
		"bot_login: clearance-bot\n"
		"github:\n"
		"  webhook_secret: e2e-secret\n"
		"%s"
		"  base_url: %s\n"
		"gitea:\n"
		"  webhook_secret: e2e-gitea-secret\n"
		"  token: " TEST_TOKEN "\n"
		"  base_url: %s\n", root, policy, github_auth, forge.base, forge.base);
	write_file(cfg, text);
	bot_child_start(&bot, clearance_bin, cfg, root, 0);
}

static void bot_stop(void)
{
	if (bot_child_stop(&bot))
		fail_msg("the bot reported a sanitizer error");
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/cl-bot-e2e-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	sh("cd %s && mkdir -p forge/acme data && git init -q --bare forge/acme/widget.git && "
	   "git init -q -b main work && cd work && git config user.name 'Ann Author' && "
	   "git config user.email ann@example.com && echo hello > README && git add README && "
	   "git commit -q -s -m 'first' && git push -q ../forge/acme/widget.git main", root);
	{
		char base[128];
		snprintf(base, sizeof(base), "%s/forge", root);
		if (git_daemon_start(&daemon_, base, "acme/widget.git") < 0)
			return -1;
	}
	standin_start(&forge);
	bot_start();
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

/* ---- deliveries ---- */

static json_t *fixture_of(const char *forge_dir, const char *name)
{
	char path[1024];
	json_t *j;
	snprintf(path, sizeof(path), "%s/tests/bot/webhooks/%s/%s", srcdir(), forge_dir, name);
	j = json_load_file(path, 0, NULL);
	if (!j)
		fail_msg("cannot read fixture %s", path);
	return j;
}

static json_t *fixture(const char *name)
{
	return fixture_of("github", name);
}

/* Point a published example at our repository. */
static void retarget(json_t *payload)
{
	json_t *repo = json_object_get(payload, "repository");
	char url[512];

	snprintf(url, sizeof(url), "git://127.0.0.1:%d/acme/widget.git", daemon_.port);
	json_object_set_new(repo, "full_name", json_string("acme/widget"));
	json_object_set_new(repo, "name", json_string("widget"));
	json_object_set_new(repo, "clone_url", json_string(url));
	json_object_set_new(json_object_get(repo, "owner"), "login", json_string("acme"));
	json_object_del(payload, "installation");
}

static void deliver_to(int gitea, const char *event, json_t *payload)
{
	bot_child_deliver(&bot, gitea, gitea ? "e2e-gitea-secret" : "e2e-secret", event, payload);
}

static void deliver(const char *event, json_t *payload)
{
	deliver_to(0, event, payload);
}

static void deliver_pr(const char *fixture_name, const char *action, long long number,
	const char *base_sha, const char *head_sha)
{
	json_t *p = fixture(fixture_name), *pr;

	retarget(p);
	json_object_set_new(p, "action", json_string(action));
	json_object_set_new(p, "number", json_integer(number));
	pr = json_object_get(p, "pull_request");
	json_object_set_new(pr, "number", json_integer(number));
	json_object_set_new(json_object_get(pr, "base"), "ref", json_string("main"));
	json_object_set_new(json_object_get(pr, "base"), "sha", json_string(base_sha));
	json_object_set_new(json_object_get(pr, "head"), "sha", json_string(head_sha));
	deliver("pull_request", p);
	json_decref(p);
}

static void deliver_push(const char *before, const char *after)
{
	json_t *p = fixture("push.json");
	retarget(p);
	json_object_set_new(p, "ref", json_string("refs/heads/main"));
	json_object_set_new(p, "before", json_string(before));
	json_object_set_new(p, "after", json_string(after));
	deliver("push", p);
	json_decref(p);
}

/* ---- looking at what the forge received ---- */

static json_t *repo_state(void)
{
	json_t *all = standin_control(&forge, "GET", "state", NULL);
	json_t *r = json_incref(json_object_get(json_object_get(all, "repos"), "acme/widget"));
	json_decref(all);
	return r ? r : json_pack("{s:[], s:[], s:[]}", "issues", "comments", "statuses");
}

static const char *status_of(json_t *repo, const char *sha, const char *context)
{
	json_t *s;
	size_t i;
	const char *state = NULL;
	json_array_foreach(json_object_get(repo, "statuses"), i, s)
		if (!strcmp(json_string_value(json_object_get(s, "sha")), sha) &&
		    !strcmp(json_string_value(json_object_get(s, "context")), context))
			state = json_string_value(json_object_get(s, "state"));   /* the latest wins */
	return state;
}

static int count_comments(json_t *repo, long long number, const char *needle)
{
	json_t *c;
	size_t i;
	int n = 0;
	json_array_foreach(json_object_get(repo, "comments"), i, c)
		if (json_integer_value(json_object_get(c, "issue_number")) == number &&
		    strstr(json_string_value(json_object_get(c, "body")), needle))
			n++;
	return n;
}

static json_t *issue_with(json_t *repo, const char *needle, int *count)
{
	json_t *it, *found = NULL;
	size_t i;
	*count = 0;
	json_array_foreach(json_object_get(repo, "issues"), i, it) {
		const char *body = json_string_value(json_object_get(it, "body"));
		if (body && strstr(body, needle) && !json_object_get(it, "pull_request")) {
			found = it;
			++*count;
		}
	}
	return found;
}

/* Wait (up to 120 s: sanitizer builds on a busy machine) until `ready` holds. */
static json_t *wait_for(int (*ready)(json_t *repo, void *arg), void *arg, const char *what)
{
	int i;
	for (i = 0; i < 1200; i++) {
		json_t *repo = repo_state();
		if (ready(repo, arg))
			return repo;
		json_decref(repo);
		usleep(100000);
	}
	sh("cat %s >&2", bot.log);
	fail_msg("timed out waiting for %s", what);
	return NULL;
}

struct status_wait { const char *sha, *context, *state; };

static int status_ready(json_t *repo, void *arg)
{
	struct status_wait *w = arg;
	const char *s = status_of(repo, w->sha, w->context);
	return s && !strcmp(s, w->state);
}

/* ---- the pull request ---- */

static void test_pull_request_dco(void **state)
{
	char base[64], head[64], fixed[64], body[256];
	struct status_wait w;
	json_t *created, *repo;
	long long number;
	(void)state;

	sh_out(base, sizeof(base), "git -C %s/work rev-parse HEAD", root);
	sh("cd %s/work && git checkout -q -b feature && echo change >> README && "
	   "git commit -q -am 'unsigned change' && "
	   "git push -q ../forge/acme/widget.git HEAD:refs/pull/1/head", root);
	sh_out(head, sizeof(head), "git -C %s/work rev-parse HEAD", root);
	snprintf(body, sizeof(body), "{\"owner\": \"acme\", \"repo\": \"widget\", \"title\": \"change\", "
		"\"base\": {\"ref\": \"main\", \"sha\": \"%s\"}, \"head\": {\"ref\": \"feature\", "
		"\"sha\": \"%s\"}}", base, head);
	created = standin_control(&forge, "POST", "pulls", body);
	number = json_integer_value(json_object_get(created, "number"));
	json_decref(created);

	deliver_pr("pull_request.opened.json", "opened", number, base, head);
	w.sha = head;
	w.context = "clearance/dco";
	w.state = "failure";
	repo = wait_for(status_ready, &w, "a failing clearance/dco status");
	assert_int_equal(count_comments(repo, number, "clearance:pr-summary"), 1);
	assert_int_equal(count_comments(repo, number, "dco.missing"), 1);
	json_decref(repo);

	/* The author signs off and force-pushes: green, and the same comment edited. */
	sh("cd %s/work && git commit -q --amend -s --no-edit && "
	   "git push -q -f ../forge/acme/widget.git HEAD:refs/pull/1/head", root);
	sh_out(fixed, sizeof(fixed), "git -C %s/work rev-parse HEAD", root);
	deliver_pr("pull_request.synchronize.json", "synchronize", number, base, fixed);
	w.sha = fixed;
	w.state = "success";
	repo = wait_for(status_ready, &w, "a passing clearance/dco status");
	assert_int_equal(count_comments(repo, number, "clearance:pr-summary"), 1);
	assert_int_equal(count_comments(repo, number, "all checks pass"), 1);
	json_decref(repo);
	standin_assert_clean(&forge, NULL);

	/* /metrics counts the forge calls the review made. */
	{
		struct cl_http_client *c = NULL;
		struct cl_http_request req = CL_HTTP_REQUEST_INIT;
		struct cl_http_response resp = CL_HTTP_RESPONSE_INIT;
		char url[128];
		snprintf(url, sizeof(url), "http://127.0.0.1:%u/metrics", bot.port);
		assert_int_equal(cl_http_client_new(&c, NULL), 0);
		req.url = url;
		assert_int_equal(cl_http_client_send(&resp, c, &req), 0);
		assert_int_equal(resp.status, 200);
		assert_non_null(strstr(cl_buf_cstr(&resp.body),
			"clearance_forge_api_calls_total{forge=\"github\",status=\"201\"}"));
		cl_http_response_dispose(&resp);
		cl_http_client_free(c);
	}
}

/* ---- the push follow-up ---- */

struct issue_wait { const char *needle; const char *state; };

static int issue_ready(json_t *repo, void *arg)
{
	struct issue_wait *w = arg;
	int n;
	json_t *it = issue_with(repo, w->needle, &n);
	return it && !strcmp(json_string_value(json_object_get(it, "state")), w->state);
}

static void push_main(char *before, char *after, size_t size, const char *change)
{
	sh_out(before, size, "git -C %s/work rev-parse main", root);
	sh("cd %s/work && git checkout -q main && %s && git add -A && git commit -q -s -m step && "
	   "git push -q ../forge/acme/widget.git main", root, change);
	sh_out(after, size, "git -C %s/work rev-parse main", root);
}

static void test_push_dependency_issue(void **state)
{
	char before[64], after[64];
	struct issue_wait w = { "clearance:deps:npm:left-pad", "open" };
	json_t *repo;
	int n;
	(void)state;

	push_main(before, after, sizeof(before),
		"printf '{\"name\": \"w\", \"dependencies\": {\"left-pad\": \"1.3.0\"}}\\n' > package.json");
	deliver_push(before, after);
	repo = wait_for(issue_ready, &w, "an issue for left-pad");
	issue_with(repo, w.needle, &n);
	assert_int_equal(n, 1);
	json_decref(repo);

	/* Touching the same dependency again opens no second issue. */
	push_main(before, after, sizeof(before),
		"printf '{\"name\": \"w\", \"version\": \"2.0.0\", \"dependencies\": {\"left-pad\": \"1.3.0\"}}\\n' > package.json");
	deliver_push(before, after);
	/* The forge redelivers (a new delivery id, same push): still one issue. */
	deliver_push(before, after);
	usleep(1000000);
	repo = wait_for(issue_ready, &w, "the same issue still open");
	issue_with(repo, w.needle, &n);
	assert_int_equal(n, 1);
	json_decref(repo);

	/* A force push naming a `before` the mirror never saw is still processed. */
	{
		char out[8192], id[64];
		int i, done = 0;
		deliver_push("1111111111111111111111111111111111111111", after);
		snprintf(id, sizeof(id), "e2e-%d-%d", (int)getpid(), bot.deliveries);
		for (i = 0; i < 600 && !done; i++) {
			sh_out(out, sizeof(out), "%s deliveries --data-dir %s/data list --state done "
				"--limit 100", clearance_bin, root);
			done = strstr(out, id) != NULL;
			if (!done)
				usleep(100000);
		}
		if (!done) {
			sh("%s deliveries --data-dir %s/data list --limit 100 >&2; cat %s >&2", clearance_bin,
				root, bot.log);
			fail_msg("the force-push delivery %s was not processed", id);
		}
	}

	/* Removing it closes the issue, with a comment. */
	push_main(before, after, sizeof(before),
		"printf '{\"name\": \"w\", \"dependencies\": {}}\\n' > package.json");
	deliver_push(before, after);
	w.state = "closed";
	repo = wait_for(issue_ready, &w, "the left-pad issue closed");
	issue_with(repo, w.needle, &n);
	assert_int_equal(n, 1);
	json_decref(repo);
	standin_assert_clean(&forge, NULL);
}


/* ---- CLA signing through the bot ---- */

static void deliver_comment(long long number, const char *login, const char *body)
{
	json_t *p = fixture("issue_comment.created.json"), *issue, *comment;

	retarget(p);
	json_object_set_new(p, "action", json_string("created"));
	issue = json_object_get(p, "issue");
	json_object_set_new(issue, "number", json_integer(number));
	json_object_set_new(issue, "pull_request", json_pack("{s:s}", "url", "https://example.invalid/pr"));
	comment = json_object_get(p, "comment");
	json_object_set_new(comment, "body", json_string(body));
	json_object_set_new(json_object_get(comment, "user"), "login", json_string(login));
	deliver("issue_comment", p);
	json_decref(p);
}

static void test_pull_request_cla(void **state)
{
	char base[64], head[64], body[1024], cmd[1536], out[4096];
	struct status_wait w;
	json_t *created, *repo;
	long long number;
	(void)state;

	/* The repository's own policy on its base branch turns the CLA on. */
	sh("cd %s/work && git checkout -q main && printf 'cla:\n  enabled: true\n  agreement: acme-icla\n"
	   "  version: \"1.0\"\n  sign_url: https://cla.example.com\n' > .clearance.yml && "
	   "git add .clearance.yml && git commit -q -s -m 'Require the CLA' && "
	   "git push -q ../forge/acme/widget.git main", root);
	sh_out(base, sizeof(base), "git -C %s/work rev-parse main", root);
	sh("cd %s/work && git checkout -q -b contribution && echo more >> README && "
	   "git -c user.name='Cee Contributor' -c user.email=cee@example.com commit -q -s -am 'Contribute'",
	   root);
	sh_out(head, sizeof(head), "git -C %s/work rev-parse HEAD", root);
	snprintf(body, sizeof(body), "{\"owner\": \"acme\", \"repo\": \"widget\", \"title\": \"contribution\", "
		"\"base\": {\"ref\": \"main\", \"sha\": \"%s\"}, \"head\": {\"ref\": \"contribution\", "
		"\"sha\": \"%s\"}, \"commits\": [{\"sha\": \"%s\", \"commit\": {\"author\": "
		"{\"name\": \"Cee Contributor\", \"email\": \"cee@example.com\"}}, \"author\": {\"login\": \"cee\"}}]}",
		base, head, head);
	created = standin_control(&forge, "POST", "pulls", body);
	number = json_integer_value(json_object_get(created, "number"));
	json_decref(created);
	sh("cd %s/work && git push -q ../forge/acme/widget.git HEAD:refs/pull/%lld/head", root, number);

	deliver_pr("pull_request.opened.json", "opened", number, base, head);
	w.sha = head;
	w.context = "clearance/cla";
	w.state = "failure";
	repo = wait_for(status_ready, &w, "a failing clearance/cla status");
	assert_int_equal(count_comments(repo, number, "cla.missing"), 1);
	assert_int_equal(count_comments(repo, number, "I have read the CLA Document"), 1);
	json_decref(repo);

	/* Someone else's signing comment signs nothing for the author. */
	deliver_comment(number, "mallory", "I have read the CLA Document and I hereby sign the CLA");
	/* The author's own comment does; the status turns green. */
	deliver_comment(number, "cee", "I have read the CLA Document and I hereby sign the CLA.");
	w.state = "success";
	repo = wait_for(status_ready, &w, "a passing clearance/cla status after signing");
	json_decref(repo);

	snprintf(cmd, sizeof(cmd), "%s cla --store %s/data/clearance.db list", clearance_bin, root);
	sh_out(out, sizeof(out), "%s", cmd);
	assert_non_null(strstr(out, "cee"));
	assert_null(strstr(out, "mallory"));
	assert_non_null(strstr(out, "acme-icla@1.0"));
	standin_assert_clean(&forge, NULL);
}

/* ---- Gitea: the same review, over Gitea's webhook and API ---- */

static void test_gitea_pull_request(void **state)
{
	char base[64], head[64], body[1024];
	struct status_wait w;
	json_t *created, *repo, *p, *pr;
	long long number;
	(void)state;

	sh_out(base, sizeof(base), "git -C %s/work rev-parse main", root);
	sh("cd %s/work && git checkout -q -b gitea-change main && echo g >> README && "
	   "git commit -q -am 'no sign-off, on gitea'", root);
	sh_out(head, sizeof(head), "git -C %s/work rev-parse HEAD", root);
	snprintf(body, sizeof(body), "{\"owner\": \"acme\", \"repo\": \"widget\", \"title\": \"g\", "
		"\"base\": {\"ref\": \"main\", \"sha\": \"%s\"}, \"head\": {\"ref\": \"gitea-change\", "
		"\"sha\": \"%s\"}}", base, head);
	created = standin_control(&forge, "POST", "pulls", body);
	number = json_integer_value(json_object_get(created, "number"));
	json_decref(created);
	sh("cd %s/work && git push -q ../forge/acme/widget.git HEAD:refs/pull/%lld/head", root, number);

	p = fixture_of("gitea", "pull_request.opened.json");
	retarget(p);
	json_object_set_new(p, "number", json_integer(number));
	pr = json_object_get(p, "pull_request");
	json_object_set_new(pr, "number", json_integer(number));
	json_object_set_new(json_object_get(pr, "base"), "ref", json_string("main"));
	json_object_set_new(json_object_get(pr, "base"), "sha", json_string(base));
	json_object_set_new(json_object_get(pr, "head"), "sha", json_string(head));
	deliver_to(1, "pull_request", p);
	json_decref(p);

	w.sha = head;
	w.context = "clearance/dco";
	w.state = "failure";
	repo = wait_for(status_ready, &w, "a failing clearance/dco status from the Gitea delivery");
	assert_int_equal(count_comments(repo, number, "clearance:pr-summary"), 1);
	json_decref(repo);
	assert_true(standin_count(&forge, "POST", "/api/v1/repos/acme/widget/statuses/") > 0);
	standin_assert_clean(&forge, NULL);
}

/* ---- GitHub App: check runs with annotations instead of statuses ---- */

static int check_run_ready(json_t *repo, void *arg)
{
	const char *sha = arg;
	json_t *r;
	size_t i;
	json_array_foreach(json_object_get(repo, "check_runs"), i, r)
		if (!strcmp(json_string_value(json_object_get(r, "head_sha")), sha) &&
		    !strcmp(json_string_value(json_object_get(r, "name")), "clearance/headers"))
			return 1;
	return 0;
}

static void test_app_check_runs(void **state)
{
	char base[64], head[64], body[1024], auth[1024];
	json_t *created, *repo, *r, *run = NULL, *note;
	long long number;
	size_t i;
	(void)state;

	/* The same bot, now authenticated as a GitHub App installation. */
	sh("openssl genrsa -out %s/app.pem 2048 2>/dev/null", root);
	snprintf(auth, sizeof(auth), "  app_id: 4242\n  private_key_path: %s/app.pem\n"
		"  installation_id: 77\n", root);
	bot_stop();
	bot_start_with(auth);

	sh("cd %s/work && git checkout -q main && printf 'headers:\n  enabled: true\n' > .clearance.yml && "
	   "git commit -q -s -am 'Require license headers' && git push -q ../forge/acme/widget.git main", root);
	sh_out(base, sizeof(base), "git -C %s/work rev-parse main", root);
	sh("cd %s/work && git checkout -q -b no-header && mkdir -p src && "
	   "printf 'int main(void)\\n{\\n\\treturn 0;\\n}\\n' > src/tool.c && git add src && "
	   "git commit -q -s -m 'A tool without a header'", root);
	sh_out(head, sizeof(head), "git -C %s/work rev-parse HEAD", root);
	snprintf(body, sizeof(body), "{\"owner\": \"acme\", \"repo\": \"widget\", \"title\": \"tool\", "
		"\"base\": {\"ref\": \"main\", \"sha\": \"%s\"}, \"head\": {\"ref\": \"no-header\", "
		"\"sha\": \"%s\"}}", base, head);
	created = standin_control(&forge, "POST", "pulls", body);
	number = json_integer_value(json_object_get(created, "number"));
	json_decref(created);
	sh("cd %s/work && git push -q ../forge/acme/widget.git HEAD:refs/pull/%lld/head", root, number);

	deliver_pr("pull_request.opened.json", "opened", number, base, head);
	repo = wait_for(check_run_ready, head, "a clearance/headers check run");
	json_array_foreach(json_object_get(repo, "check_runs"), i, r)
		if (!strcmp(json_string_value(json_object_get(r, "name")), "clearance/headers") &&
		    !strcmp(json_string_value(json_object_get(r, "head_sha")), head))
			run = r;
	assert_non_null(run);
	assert_string_equal(json_string_value(json_object_get(run, "conclusion")), "failure");
	note = json_array_get(json_object_get(run, "annotations"), 0);
	assert_non_null(note);
	assert_string_equal(json_string_value(json_object_get(note, "path")), "src/tool.c");
	assert_string_equal(json_string_value(json_object_get(note, "annotation_level")), "failure");
	/* No commit status for it: the check run replaces it. */
	assert_null(status_of(repo, head, "clearance/headers"));
	json_decref(repo);
	/* The installation token was asked for, and the token is in no log. */
	assert_true(standin_count(&forge, "POST", "/app/installations/77/access_tokens") >= 1);
	standin_assert_clean(&forge, NULL);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pull_request_dco),
		cmocka_unit_test(test_push_dependency_issue),
		cmocka_unit_test(test_pull_request_cla),
		cmocka_unit_test(test_gitea_pull_request),
		cmocka_unit_test(test_app_check_runs),
	};
	char *copy;
	(void)argc;

	test_argv0 = argv[0];
	copy = strdup(argv[0]);
	snprintf(clearance_bin, sizeof(clearance_bin), "%s/../clearance", dirname(copy));
	free(copy);
	return cmocka_run_group_tests_name("bot_e2e", tests, setup, teardown);
}
