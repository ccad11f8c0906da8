/*
 * Outbound contribution approvals through the bot, end to end:
 * `clearance serve` as a child process, the stand-in forge
 * (tests/tools/forge_standin.c), and signed `issues` / `issue_comment`
 * deliveries built from GitHub's published examples
 * (tests/bot/webhooks/github, npm @octokit/webhooks-examples).
 *
 *   - an issue opened from the form in the OSPO repository is recorded,
 *     labelled "approval: requested" and answered with what happens next
 *   - a non-approver's /approve is refused with a comment, nothing changes
 *   - a named approver's /approve approves: label, closed issue, answer
 *   - an incomplete form is answered with exactly what is missing
 *   - a member of an approver team (asked of the forge) can /deny
 *   - a permissive, small request is approved at once by a pre-approval rule
 *   - the expiry sweep on a fixed clock ($CLEARANCE_NOW): one warning, then expiry
 *   - the CLI lists what the bot recorded
 *   - a pull request to an outbound repository (a fork of an upstream
 *     project): clearance/approval passes for an approved employee's
 *     commit and fails for an employee without an approval
 * Every request the bot sent is checked against GitHub's OpenAPI
 * description by the stand-in, and the token appears in no log.
 */
#include "forge_test_util.h"
#include "bot_test_util.h"
#include "git_daemon_util.h"
#include "webhook.h"
#include "approvals.h"

#include <sys/stat.h>

static char root[64];
static char clearance_bin[1024];
static struct standin forge;
static struct bot_child bot = BOT_CHILD_INIT;

static char *read_src(const char *rel)
{
	struct cl_buf b = CL_BUF_INIT;
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", srcdir(), rel);
	cl_buf_init(&b, 0);
	assert_int_equal(cl_buf_read_path(&b, path), 0);
	return cl_buf_detach(&b);
}

/* Start (or restart) the bot; `now` fixes its clock when not 0. */
static void bot_start(long long now)
{
	char cfg[512], policy[512], text[4096];

	snprintf(policy, sizeof(policy), "%s/policy.yml", root);
	write_file(policy,
		"approvals:\n"
		"  enabled: true\n"
		"  repository: acme/ospo\n"
		"  approvers: [olivia]\n"
		"  approver_teams: [acme/ospo-approvers]\n"
		"  pre_approved:\n"
		"    - {licenses: [MIT, \"BSD-*\", Apache-2.0], max_lines: 100}\n"
		"  outbound_repos: [\"acme-forks/*\"]\n"
		"  employee_domains: [acme.example]\n");
	snprintf(cfg, sizeof(cfg), "%s/bot.yml", root);
	snprintf(text, sizeof(text),
		"listen: 127.0.0.1:0\n"
		"data_dir: %s/data\n"
		"policy: %s\n"
		"bot_login: clearance-bot\n"
		"github:\n"
		"  webhook_secret: e2e-secret\n"
		"  token: " TEST_TOKEN "\n"
		"  base_url: %s\n"
		"gitea:\n"
		"  webhook_secret: e2e-gitea-secret\n"
		"  token: " TEST_TOKEN "\n"
		"  base_url: %s\n", root, policy, forge.base, forge.base);
	write_file(cfg, text);
	bot_child_start(&bot, clearance_bin, cfg, root, now);
}

static void bot_stop(void)
{
	if (bot_child_stop(&bot))
		fail_msg("the bot reported a sanitizer error");
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/cl-approvals-e2e-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	standin_start(&forge);
	json_decref(standin_control(&forge, "POST", "teams",
		"{\"org\": \"acme\", \"slug\": \"ospo-approvers\", \"members\": [\"tara\"]}"));
	bot_start(0);
	return 0;
}

static int teardown(void **state)
{
	int dirty;
	(void)state;
	/* a sanitizer build of serve reports into its log (kept across restarts) */
	dirty = bot_child_stop(&bot);
	standin_stop(&forge);
	sh("rm -rf %s", root);
	return dirty ? -1 : 0;
}

/* ---- the forge side ---- */

/* An engineer opens an issue in acme/ospo (through the API, as the form does). */
static long long open_issue(const char *title, const char *body)
{
	struct cl_http_client *c = NULL;
	struct cl_http_request req = CL_HTTP_REQUEST_INIT;
	struct cl_http_response resp = CL_HTTP_RESPONSE_INIT;
	const char *headers[] = { "Authorization: Bearer " TEST_TOKEN,
		"Accept: application/vnd.github+json", "X-GitHub-Api-Version: 2022-11-28",
		"Content-Type: application/json", NULL };
	json_t *j = json_pack("{s:s, s:s}", "title", title, "body", body), *answer;
	char url[256], *text = json_dumps(j, JSON_COMPACT);
	long long number;

	snprintf(url, sizeof(url), "%s/repos/acme/ospo/issues", forge.base);
	assert_int_equal(cl_http_client_new(&c, NULL), 0);
	req.method = "POST";
	req.url = url;
	req.body = text;
	req.body_len = strlen(text);
	req.headers = headers;
	assert_int_equal(cl_http_client_send(&resp, c, &req), 0);
	assert_int_equal(resp.status, 201);
	answer = json_loadb(resp.body.ptr, resp.body.size, 0, NULL);
	number = json_integer_value(json_object_get(answer, "number"));
	json_decref(answer);
	cl_http_response_dispose(&resp);
	cl_http_client_free(c);
	free(text);
	json_decref(j);
	return number;
}

static void deliver_to(int gitea, const char *event, json_t *payload)
{
	bot_child_deliver(&bot, gitea, gitea ? "e2e-gitea-secret" : "e2e-secret", event, payload);
}

static void deliver(const char *event, json_t *payload)
{
	deliver_to(0, event, payload);
}

static json_t *fixture(const char *name)
{
	char path[1024];
	json_t *j;
	snprintf(path, sizeof(path), "%s/tests/bot/webhooks/github/%s", srcdir(), name);
	if (!(j = json_load_file(path, 0, NULL)))
		fail_msg("cannot read fixture %s", path);
	return j;
}

static void retarget(json_t *payload)
{
	json_t *repo = json_object_get(payload, "repository");
	json_object_set_new(repo, "full_name", json_string("acme/ospo"));
	json_object_set_new(repo, "name", json_string("ospo"));
	json_object_set_new(json_object_get(repo, "owner"), "login", json_string("acme"));
	json_object_del(payload, "installation");
}

static void deliver_issue(const char *action, long long number, const char *author, const char *body)
{
	json_t *p = fixture(!strcmp(action, "edited") ? "issues.edited.json" : "issues.opened.json");
	json_t *issue = json_object_get(p, "issue");
	char url[128];

	retarget(p);
	json_object_set_new(p, "action", json_string(action));
	snprintf(url, sizeof(url), "https://github.example/acme/ospo/issues/%lld", number);
	json_object_set_new(issue, "number", json_integer(number));
	json_object_set_new(issue, "body", json_string(body));
	json_object_set_new(issue, "html_url", json_string(url));
	json_object_set_new(json_object_get(issue, "user"), "login", json_string(author));
	deliver("issues", p);
	json_decref(p);
}

static void deliver_comment(long long number, const char *login, const char *body)
{
	static int comment_seq;
	json_t *p = fixture("issue_comment.created.json"), *issue, *comment;
	char url[160];

	retarget(p);
	json_object_set_new(p, "action", json_string("created"));
	issue = json_object_get(p, "issue");
	json_object_set_new(issue, "number", json_integer(number));
	json_object_del(issue, "pull_request");
	comment = json_object_get(p, "comment");
	snprintf(url, sizeof(url), "https://github.example/acme/ospo/issues/%lld#issuecomment-%d",
		number, ++comment_seq);
	json_object_set_new(comment, "body", json_string(body));
	json_object_set_new(comment, "html_url", json_string(url));
	json_object_set_new(json_object_get(comment, "user"), "login", json_string(login));
	deliver("issue_comment", p);
	json_decref(p);
}

/* ---- looking at the forge ---- */

static json_t *repo_state(void)
{
	json_t *all = standin_control(&forge, "GET", "state", NULL);
	json_t *r = json_incref(json_object_get(json_object_get(all, "repos"), "acme/ospo"));
	json_decref(all);
	return r ? r : json_pack("{s:[], s:[]}", "issues", "comments");
}

static json_t *issue_of(json_t *repo, long long number)
{
	json_t *it;
	size_t i;
	json_array_foreach(json_object_get(repo, "issues"), i, it)
		if (json_integer_value(json_object_get(it, "number")) == number)
			return it;
	return NULL;
}

static int has_label(json_t *issue, const char *name)
{
	json_t *l;
	size_t i;
	json_array_foreach(json_object_get(issue, "labels"), i, l)
		if (!strcmp(json_string_value(json_object_get(l, "name")), name))
			return 1;
	return 0;
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

struct want {
	long long number;
	const char *label;      /* must be on the issue, or NULL */
	const char *state;      /* "open"/"closed", or NULL */
	const char *comment;    /* a comment must contain it, or NULL */
};

static int ready(json_t *repo, const struct want *w)
{
	json_t *issue = issue_of(repo, w->number);
	if (!issue)
		return 0;
	if (w->label && !has_label(issue, w->label))
		return 0;
	if (w->state && strcmp(json_string_value(json_object_get(issue, "state")), w->state))
		return 0;
	return !w->comment || count_comments(repo, w->number, w->comment) > 0;
}

static json_t *wait_for(const struct want *w, const char *what)
{
	int i;
	for (i = 0; i < 1200; i++) {
		json_t *repo = repo_state();
		if (ready(repo, w))
			return repo;
		json_decref(repo);
		usleep(100000);
	}
	sh("cat %s >&2", bot.log);
	fail_msg("timed out waiting for %s", what);
	return NULL;
}

/* ---- the flow ---- */

static void test_request_and_decisions(void **state)
{
	char *complete = read_src("tests/approvals/form-complete.md");
	char *incomplete = read_src("tests/approvals/form-incomplete.md");
	char out[8192];
	long long one, two, three;
	json_t *repo;
	struct want w;
	(void)state;

	/* Opened from the form: recorded, labelled, answered with what happens next. */
	one = open_issue("Contribute to: libgit2", complete);
	deliver_issue("opened", one, "dev", complete);
	w = (struct want){ one, "approval: requested", "open", "is recorded and waits for the OSPO" };
	repo = wait_for(&w, "the request recorded and labelled");
	assert_int_equal(count_comments(repo, one, "clearance:approval-status"), 1);
	assert_int_equal(count_comments(repo, one, "@olivia, @acme/ospo-approvers"), 1);
	json_decref(repo);

	/* Someone who is not an approver: refused with a comment, nothing changes. */
	deliver_comment(one, "mallory", "/approve full-trust");
	w = (struct want){ one, "approval: requested", "open", "@mallory, only the OSPO's approvers" };
	json_decref(wait_for(&w, "mallory's /approve refused"));

	/* A named approver: approved, labelled, closed, answered. */
	deliver_comment(one, "olivia", "Thanks, fine.\n/approve project until 2027-06-30");
	w = (struct want){ one, "approval: approved", "closed", "is **approved** by @olivia: scope **project**, until 2027-06-30" };
	repo = wait_for(&w, "the approval by olivia");
	assert_false(has_label(issue_of(repo, one), "approval: requested"));
	json_decref(repo);

	/* An incomplete form: exactly what is missing. */
	two = open_issue("Contribute to: something", incomplete);
	deliver_issue("opened", two, "dev2", incomplete);
	w = (struct want){ two, "approval: needs-info", "open", "missing: Business reason" };
	repo = wait_for(&w, "the incomplete request answered");
	assert_int_equal(count_comments(repo, two, "Work email: &#39;dev at acme&#39; is not an email address"), 1);
	json_decref(repo);
	/* Edited into a complete form: the same status comment now says it is recorded. */
	deliver_issue("edited", two, "dev2", complete);
	w = (struct want){ two, "approval: requested", "open", "is recorded and waits" };
	repo = wait_for(&w, "the edited request recorded");
	assert_int_equal(count_comments(repo, two, "clearance:approval-status"), 1);
	assert_int_equal(count_comments(repo, two, "missing:"), 0);
	json_decref(repo);

	/* A member of the approver team (asked of the forge) denies. */
	deliver_comment(two, "tara", "/deny we maintain our own fork of this");
	w = (struct want){ two, "approval: denied", "closed", "is **denied** by @tara: we maintain our own fork of this" };
	json_decref(wait_for(&w, "tara's /deny"));
	assert_true(standin_count(&forge, "GET", "/orgs/acme/teams/ospo-approvers/members") >= 1);

	/* A permissive license and a small patch: approved at once by the policy. */
	{
		char *small = strdup(complete), *p;
		assert_non_null(small);
		p = strstr(small, "GPL-2.0-only WITH GCC-exception-2.0");
		memcpy(p, "MIT                                ", 35);
		three = open_issue("Contribute to: small", small);
		deliver_issue("opened", three, "dev3", small);
		free(small);
	}
	w = (struct want){ three, "approval: approved", "closed", "by the policy (pre_approved[0]" };
	json_decref(wait_for(&w, "the pre-approval"));

	/* A malformed command from an approver is answered, not applied. */
	deliver_comment(three, "olivia", "/revoke");
	w = (struct want){ three, "approval: approved", NULL, "/revoke needs a reason" };
	json_decref(wait_for(&w, "the malformed /revoke answered"));

	/* The OSPO's CLI sees what the bot recorded, with the audit trail. */
	sh_out(out, sizeof(out), "%s approvals --store %s/data/clearance.db list", clearance_bin, root);
	assert_non_null(strstr(out, "approved        https://github.com/libgit2/libgit2"));
	assert_non_null(strstr(out, "denied"));
	sh_out(out, sizeof(out), "%s approvals --store %s/data/clearance.db show 1", clearance_bin, root);
	assert_non_null(strstr(out, "approve     olivia    requested -> approved  https://github.example/acme/ospo/issues/"));
	standin_assert_clean(&forge, NULL);
	free(complete);
	free(incomplete);
}

/* ---- pull requests to an outbound repository ---- */

static struct git_daemon daemon_;

static const char *status_of(json_t *repo, const char *sha, const char *context)
{
	json_t *st;
	size_t i;
	const char *state = NULL;
	json_array_foreach(json_object_get(repo, "statuses"), i, st)
		if (!strcmp(json_string_value(json_object_get(st, "sha")), sha) &&
		    !strcmp(json_string_value(json_object_get(st, "context")), context))
			state = json_string_value(json_object_get(st, "state"));
	return state;
}

/* The pull request's commit also writes pr_text to pr_file (when set). */
static const char *pr_file = "", *pr_text = "";

/* A pull request of one commit by `email` (the forge's account `login`, or
 * NULL: none) to acme-forks/libgit2; waits for clearance/approval. */
static void pull_request_as(const char *email, const char *login, const char *branch,
	const char *want)
{
	char base[64], head[64], body[1024], commits[512], clone[256];
	json_t *created, *p, *pr, *all, *repo = NULL;
	long long number;
	int i;

	sh_out(base, sizeof(base), "git -C %s/work rev-parse main | tr -d '\n'", root);
	sh("cd %s/work && git checkout -q -b %s main && echo %s >> README && "
	   "{ [ -z '%s' ] || { printf '%%s\\n' '%s' > '%s' && git add '%s'; }; } && "
	   "git -c user.email=%s commit -q -s -am 'Fix the pack parser'", root, branch, branch,
	   pr_file, pr_text, pr_file, pr_file, email);
	sh_out(head, sizeof(head), "git -C %s/work rev-parse HEAD | tr -d '\n'", root);
	commits[0] = '\0';
	if (login)
		snprintf(commits, sizeof(commits), ", \"commits\": [{\"sha\": \"%s\", \"commit\": "
			"{\"author\": {\"name\": \"x\", \"email\": \"%s\"}}, \"author\": "
			"{\"login\": \"%s\"}}]", head, email, login);
	snprintf(body, sizeof(body), "{\"owner\": \"acme-forks\", \"repo\": \"libgit2\", "
		"\"title\": \"fix\", \"base\": {\"ref\": \"main\", \"sha\": \"%s\"}, "
		"\"head\": {\"ref\": \"%s\", \"sha\": \"%s\"}%s}", base, branch, head, commits);
	created = standin_control(&forge, "POST", "pulls", body);
	number = json_integer_value(json_object_get(created, "number"));
	json_decref(created);
	sh("cd %s/work && git push -q ../forge/acme-forks/libgit2.git HEAD:refs/pull/%lld/head",
		root, number);

	p = fixture("pull_request.opened.json");
	json_object_del(p, "installation");
	snprintf(clone, sizeof(clone), "git://127.0.0.1:%d/acme-forks/libgit2.git", daemon_.port);
	json_object_set_new(json_object_get(p, "repository"), "full_name", json_string("acme-forks/libgit2"));
	json_object_set_new(json_object_get(p, "repository"), "clone_url", json_string(clone));
	json_object_set_new(p, "action", json_string("opened"));
	json_object_set_new(p, "number", json_integer(number));
	pr = json_object_get(p, "pull_request");
	json_object_set_new(pr, "number", json_integer(number));
	json_object_set_new(json_object_get(pr, "base"), "ref", json_string("main"));
	json_object_set_new(json_object_get(pr, "base"), "sha", json_string(base));
	json_object_set_new(json_object_get(pr, "head"), "sha", json_string(head));
	deliver("pull_request", p);
	json_decref(p);

	for (i = 0; i < 1200; i++) {
		const char *state;
		all = standin_control(&forge, "GET", "state", NULL);
		repo = json_object_get(json_object_get(all, "repos"), "acme-forks/libgit2");
		state = repo ? status_of(repo, head, "clearance/approval") : NULL;
		if (state && !strcmp(state, want)) {
			json_decref(all);
			return;
		}
		json_decref(all);
		usleep(100000);
	}
	sh("cat %s >&2", bot.log);
	fail_msg("timed out waiting for clearance/approval %s", want);
}

static void pull_request_by(const char *email, const char *branch, const char *want)
{
	pull_request_as(email, NULL, branch, want);
}

static void test_pull_request_outbound(void **state)
{
	char base[128];
	int i;
	(void)state;

	/* The fork, served by git daemon as the forge's git side. */
	sh("cd %s && mkdir -p forge/acme-forks && git init -q --bare forge/acme-forks/libgit2.git && "
	   "git init -q -b main work && cd work && git config user.name 'Dee Dev' && "
	   "git config user.email dev@acme.example && echo hello > README && git add README && "
	   "git commit -q -s -m first && git push -q ../forge/acme-forks/libgit2.git main", root);
	snprintf(base, sizeof(base), "%s/forge", root);
	assert_int_equal(git_daemon_start(&daemon_, base, "acme-forks/libgit2.git"), 0);
	bot_stop();
	bot_start(0);

	/* dev@acme.example holds approval #3 (libgit2, pre-approved): passes. */
	pull_request_by("dev@acme.example", "covered", "success");
	/* eve@acme.example has none: fails, with where to ask. */
	pull_request_by("eve@acme.example", "uncovered", "failure");
	{
		json_t *all = standin_control(&forge, "GET", "state", NULL);
		json_t *repo = json_object_get(json_object_get(all, "repos"), "acme-forks/libgit2");
		json_t *c;
		size_t i;
		int found = 0;
		json_array_foreach(json_object_get(repo, "comments"), i, c)
			if (strstr(json_string_value(json_object_get(c, "body")), "approval.missing"))
				found = 1;
		assert_true(found);
		json_decref(all);
	}
	/* An approval granted to a team covers a member: the forge says who is in it. */
	json_decref(standin_control(&forge, "POST", "teams",
		"{\"org\": \"acme\", \"slug\": \"kernel\", \"members\": [\"kim\"]}"));
	sh("%s approvals --store %s/data/clearance.db --actor lead request --upstream "
	   "https://github.com/libgit2/libgit2 --license MIT --requester lead --email lead@acme.example "
	   ">/dev/null && %s approvals --store %s/data/clearance.db --actor olivia approve 4 "
	   "--scope project --team acme/kernel >/dev/null", clearance_bin, root, clearance_bin, root);
	pull_request_as("kim@acme.example", "kim", "team-member", "success");
	assert_true(standin_count(&forge, "GET", "/orgs/acme/teams/kernel/members") >= 1);
	/* not a member of it: not covered */
	pull_request_as("pat@acme.example", "pat", "not-member", "failure");
	/*
	 * "Until the next major release": covered while the fork's tags stay
	 * on major 2; the mirror fetches the outbound fork's tags, so the
	 * synced v3.0.0 ends it.
	 */
	sh("%s approvals --store %s/data/clearance.db --actor mo request --upstream "
	   "https://github.com/libgit2/libgit2 --license MIT --requester mo --email mo@acme.example "
	   "--upstream-version v2.1.0 >/dev/null && %s approvals --store %s/data/clearance.db "
	   "--actor olivia approve 5 --scope major >/dev/null", clearance_bin, root, clearance_bin,
	   root);
	sh("cd %s/work && git tag v2.4.0 main && git push -q ../forge/acme-forks/libgit2.git v2.4.0",
	   root);
	pull_request_by("mo@acme.example", "major-2", "success");
	sh("cd %s/work && git tag v3.0.0 main && git push -q ../forge/acme-forks/libgit2.git v3.0.0",
	   root);
	pull_request_by("mo@acme.example", "major-3", "failure");
	/*
	 * A pull request that relicenses a file: approvals for libgit2 that
	 * recorded MIT go back to review, and their request issues say so.
	 */
	pr_file = "new.c";
	pr_text = "/* SPDX-License-Identifier: GPL-3.0-only */";
	pull_request_as("kim@acme.example", "kim", "relicense", "success");
	pr_file = pr_text = "";
	{
		char out[8192];
		json_t *all = standin_control(&forge, "GET", "state", NULL);
		json_t *ospo = json_object_get(json_object_get(all, "repos"), "acme/ospo"), *c;
		size_t i;
		int told = 0;
		json_array_foreach(json_object_get(ospo, "comments"), i, c)
			if (strstr(json_string_value(json_object_get(c, "body")), "needs a new review: "
					"an SPDX header now says &#39;GPL-3.0-only&#39;"))
				told = 1;
		assert_true(told);
		json_decref(all);
		sh_out(out, sizeof(out), "%s approvals --store %s/data/clearance.db show 3", clearance_bin,
			root);
		assert_non_null(strstr(out, "approval #3: needs-re-review"));
		assert_non_null(strstr(out, "clearance"));
		sh_out(out, sizeof(out), "%s approvals --store %s/data/clearance.db show 4", clearance_bin,
			root);
		assert_non_null(strstr(out, "approval #4: needs-re-review"));
	}
	/*
	 * Syncing the fork with an upstream that relicensed (a push to its
	 * main changing LICENSE, by the upstream's author) sends the approvals
	 * of that upstream back to review too.
	 */
	{
		char out[8192], before[64], after[64];
		json_t *p;

		sh("%s approvals --store %s/data/clearance.db --actor ann request --upstream "
		   "https://github.com/libgit2/libgit2 --license MIT --requester ann "
		   "--email ann@acme.example >/dev/null && %s approvals --store %s/data/clearance.db "
		   "--actor olivia approve 6 --scope project >/dev/null", clearance_bin, root,
		   clearance_bin, root);
		sh_out(before, sizeof(before), "git -C %s/work rev-parse main | tr -d '\n'", root);
		sh("cd %s/work && git checkout -q main && printf 'Business Source License 1.1\n' > LICENSE && "
		   "git add LICENSE && git -c user.email=up@upstream.org commit -q -s -m 'Relicense' && "
		   "git push -q ../forge/acme-forks/libgit2.git main", root);
		sh_out(after, sizeof(after), "git -C %s/work rev-parse main | tr -d '\n'", root);
		p = fixture("push.json");
		json_object_del(p, "installation");
		snprintf(out, sizeof(out), "git://127.0.0.1:%d/acme-forks/libgit2.git", daemon_.port);
		json_object_set_new(json_object_get(p, "repository"), "full_name",
			json_string("acme-forks/libgit2"));
		json_object_set_new(json_object_get(p, "repository"), "clone_url", json_string(out));
		json_object_set_new(p, "ref", json_string("refs/heads/main"));
		json_object_set_new(p, "before", json_string(before));
		json_object_set_new(p, "after", json_string(after));
		deliver("push", p);
		json_decref(p);
		for (i = 0; i < 300; i++) {
			sh_out(out, sizeof(out), "%s approvals --store %s/data/clearance.db show 6",
				clearance_bin, root);
			if (strstr(out, "approval #6: needs-re-review"))
				break;
			usleep(100000);
		}
		assert_non_null(strstr(out, "approval #6: needs-re-review"));
		assert_non_null(strstr(out, "the license file 'LICENSE' changed"));
		assert_non_null(strstr(out, "acme-forks/libgit2@"));
	}
	/* every employee commit the reviews saw is tracked, with what covered it */
	{
		char out[8192];
		sh_out(out, sizeof(out), "%s report contributions --store %s/data/clearance.db "
			"--since 2000-01-01 --format csv", clearance_bin, root);
		assert_non_null(strstr(out, "dev@acme.example,1,1,1\n"));
		assert_non_null(strstr(out, "eve@acme.example,1,1,0\n"));
		assert_non_null(strstr(out, "kim@acme.example,2,1,2\n"));
		assert_non_null(strstr(out, "mo@acme.example,2,1,1\n"));
	}
	git_daemon_stop(&daemon_);
	standin_assert_clean(&forge, NULL);
}

/*
 * The same request made on a Gitea: its `issues` event (Gitea's payload:
 * the issue's number also at the top, X-Gitea-* headers, a bare-hex
 * signature) opens a request recorded as Gitea's, labelled and answered
 * through Gitea's API.
 */
static void test_gitea_request(void **state)
{
	char *complete = read_src("tests/approvals/form-complete.md");
	char out[8192], url[128];
	json_t *p, *issue;
	struct want w;
	long long n;
	(void)state;

	n = open_issue("Contribute to: libgit2 (gitea)", complete);
	p = fixture("issues.opened.json");
	retarget(p);
	issue = json_object_get(p, "issue");
	snprintf(url, sizeof(url), "https://gitea.example/acme/ospo/issues/%lld", n);
	json_object_set_new(p, "action", json_string("opened"));
	json_object_set_new(p, "number", json_integer(n));
	json_object_set_new(issue, "number", json_integer(n));
	json_object_set_new(issue, "body", json_string(complete));
	json_object_set_new(issue, "html_url", json_string(url));
	json_object_set_new(json_object_get(issue, "user"), "login", json_string("gdev"));
	deliver_to(1, "issues", p);
	json_decref(p);
	w = (struct want){ n, "approval: requested", "open", "is recorded and waits for the OSPO" };
	json_decref(wait_for(&w, "the Gitea request recorded and labelled"));
	sh_out(out, sizeof(out), "%s approvals --store %s/data/clearance.db export --format json",
		clearance_bin, root);
	assert_non_null(strstr(out, "https://gitea.example/acme/ospo/issues/"));
	assert_non_null(strstr(out, "\"requester\": \"gdev\""));
	{
		/* recorded as Gitea's issue, so that its answers go back to Gitea */
		struct cl_approvals *store = NULL;
		struct cl_approval a;
		char path[600];
		snprintf(path, sizeof(path), "%s/data/clearance.db", root);
		assert_int_equal(cl_approvals_open(&store, path, 0), 0);
		assert_int_equal(cl_approval_find_issue(&a, store, "gitea", "acme/ospo", n), 0);
		assert_int_equal(a.state, CL_APPROVAL_REQUESTED);
		assert_string_equal(a.requester, "gdev");
		cl_approval_dispose(&a);
		cl_approvals_free(store);
	}
	free(complete);
}

/* The clock moves on: one warning 14 days ahead (never repeated), then expiry. */
static void test_expiry(void **state)
{
	struct want w;
	json_t *repo;
	long long one = 1;
	(void)state;

	/* Approval #1 was given "until 2027-06-30" (23:59:59 UTC). */
	bot_stop();
	bot_start(1813536000LL);   /* 2027-06-21T00:00:00Z: 9 days before */
	deliver_comment(one, "someone", "thanks!");   /* any delivery runs the sweep */
	w = (struct want){ one, NULL, NULL, "expires on 2027-06-30" };
	repo = wait_for(&w, "the expiry warning");
	json_decref(repo);
	deliver_comment(one, "someone", "thanks again");
	usleep(1500000);
	repo = repo_state();
	assert_int_equal(count_comments(repo, one, "expires on 2027-06-30"), 1);
	json_decref(repo);

	bot_stop();
	bot_start(1814400000LL);   /* 2027-07-01: past */
	deliver_comment(one, "someone", "still there?");
	w = (struct want){ one, "approval: expired", "closed", "has **expired**" };
	repo = wait_for(&w, "the expiry");
	assert_false(has_label(issue_of(repo, one), "approval: approved"));
	json_decref(repo);
	standin_assert_clean(&forge, NULL);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_and_decisions),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_pull_request_outbound),
		cmocka_unit_test(test_gitea_request),
	};
	char *copy;
	(void)argc;

	test_argv0 = argv[0];
	copy = strdup(argv[0]);
	snprintf(clearance_bin, sizeof(clearance_bin), "%s/../clearance", dirname(copy));
	free(copy);
	return cmocka_run_group_tests_name("approvals_e2e", tests, setup, teardown);
}
