/*
 * test_forge_github.c - the GitHub forge client against the stand-in forge:
 * every operation, pagination, retries, rate limits, and the two standing
 * assertions (no request outside GitHub's OpenAPI description, no token in
 * any log line or error message).
 */
#include "forge_test_util.h"

#include "forge.h"
#include "github_app.h"

#include <pthread.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

struct ctx {
	struct standin s;
	struct fake_sys fs;
	struct cl_http_sys sys;
	struct cl_buf log;
	struct cl_forge *f;
	struct cl_forge_repo repo;
	char key_path[300];
};

static int make_forge(struct ctx *c, const char *app_key_path)
{
	struct cl_forge_options o = CL_FORGE_OPTIONS_INIT;
	o.kind = CL_FORGE_KIND_GITHUB;
	o.base_url = c->s.base;
	if (app_key_path) {
		o.app_id = "12345";
		o.installation_id = "678";
		o.private_key_path = app_key_path;
	} else {
		o.token = TEST_TOKEN;
	}
	o.per_page = 2; /* small pages: five items are three pages */
	o.sys = &c->sys;
	o.log = capture_log;
	o.log_payload = &c->log;
	return cl_forge_new(&c->f, &o);
}

static int setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));
	assert_non_null(c);
	standin_start(&c->s);
	c->fs.now = time(NULL);
	c->sys.sleep_ms = fake_sleep;
	c->sys.now = fake_now;
	c->sys.ctx = &c->fs;
	cl_buf_init(&c->log, 0);
	c->repo.owner = "octo-org";
	c->repo.name = "hello";
	assert_int_equal(make_forge(c, NULL), 0);
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	struct ctx *c = *state;
	standin_assert_clean(&c->s, cl_buf_cstr(&c->log));
	assert_null(strstr(cl_error_last(), TEST_TOKEN));
	cl_forge_free(c->f);
	standin_stop(&c->s);
	if (c->key_path[0])
		unlink(c->key_path);
	cl_buf_dispose(&c->log);
	free(c);
	return 0;
}

static const char SHA[] = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

static json_t *repo_state(struct ctx *c)
{
	json_t *st = standin_control(&c->s, "GET", "state", NULL);
	json_t *r = json_incref(json_object_get(json_object_get(st, "repos"), "octo-org/hello"));
	json_decref(st);
	assert_non_null(r);
	return r;
}

static uint64_t new_issue(struct ctx *c, const char *key)
{
	struct cl_buf body = CL_BUF_INIT;
	const char *labels[] = { "clearance", "deps", NULL };
	const char *assignees[] = { "ospo-alice", NULL };
	struct cl_forge_issue_spec spec = { "Review dependency", NULL, labels, assignees };
	uint64_t n = 0;
	cl_buf_init(&body, 0);
	assert_int_equal(cl_buf_puts(&body, "A new dependency needs review.\n\n"), 0);
	assert_int_equal(cl_forge_marker(&body, key), 0);
	spec.body = body.ptr;
	assert_int_equal(cl_forge_issue_create(&n, c->f, &c->repo, &spec), 0);
	assert_true(n > 0);
	cl_buf_dispose(&body);
	return n;
}

static void test_status(void **state)
{
	struct ctx *c = *state;
	char desc[400];
	struct cl_forge_status st = { CL_FORGE_FAILURE, "clearance/dco", NULL, "https://ci.example/run/1" };
	json_t *r, *s;
	size_t i;

	/* 200 bytes with multi-byte characters and a newline: cut to 140 on a boundary */
	desc[0] = '\0';
	for (i = 0; i < 50; i++)
		strncat(desc, "\xc3\xa9\n", sizeof(desc) - strlen(desc) - 1);
	for (i = 0; i < 50; i++)
		strncat(desc, "ab", sizeof(desc) - strlen(desc) - 1);
	st.description = desc;
	assert_int_equal(cl_forge_status_set(c->f, &c->repo, SHA, &st), 0);
	r = repo_state(c);
	s = json_array_get(json_object_get(r, "statuses"), 0);
	assert_string_equal(json_string_value(json_object_get(s, "state")), "failure");
	assert_string_equal(json_string_value(json_object_get(s, "context")), "clearance/dco");
	assert_true(strlen(json_string_value(json_object_get(s, "description"))) <= 140);
	assert_null(strchr(json_string_value(json_object_get(s, "description")), '\n'));
	json_decref(r);
	/* not a commit id: refused before any request */
	assert_int_equal(cl_forge_status_set(c->f, &c->repo, "../../x", &st), CL_EINVALID);
	assert_int_equal(standin_count(&c->s, "POST", "/statuses/"), 1);
}

struct count_ctx {
	int n;
	char last[64];
};

static int count_comment(const struct cl_forge_comment *cm, void *payload)
{
	struct count_ctx *cc = payload;
	cc->n++;
	snprintf(cc->last, sizeof(cc->last), "%s", cm->author);
	return 0;
}

static void test_comments_paginated(void **state)
{
	struct ctx *c = *state;
	struct cl_forge_comment found = { 0, NULL, NULL };
	struct count_ctx cc = { 0, "" };
	uint64_t n = new_issue(c, "deps:npm:left-pad"), id = 0, id2 = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char body[64];
		snprintf(body, sizeof(body), "comment %d", i);
		assert_int_equal(cl_forge_comment_create(NULL, c->f, &c->repo, n, body), 0);
	}
	/* the fifth, last one carries the marker: found on page 3 */
	assert_int_equal(cl_forge_comment_upsert(&id, c->f, &c->repo, n, "summary",
		"first <!-- clearance:summary -->"), 0);
	assert_true(id > 0);
	assert_int_equal(cl_forge_comments_foreach(c->f, &c->repo, n, count_comment, &cc), 0);
	assert_int_equal(cc.n, 5);
	assert_string_equal(cc.last, "clearance-bot");
	/* upsert's search over 4 comments (2 pages) + the walk over 5 (3 pages) */
	assert_int_equal(standin_count(&c->s, "GET", "/comments"), 5);

	assert_int_equal(cl_forge_comment_upsert(&id2, c->f, &c->repo, n, "summary",
		"second <!-- clearance:summary -->"), 0);
	assert_true(id2 == id);
	assert_int_equal(cl_forge_comment_find(&found, c->f, &c->repo, n, "summary"), 0);
	assert_string_equal(found.body, "second <!-- clearance:summary -->");
	cl_forge_comment_dispose(&found);
	/* the same text again: no edit */
	assert_int_equal(cl_forge_comment_upsert(NULL, c->f, &c->repo, n, "summary",
		"second <!-- clearance:summary -->"), 0);
	assert_int_equal(standin_count(&c->s, "PATCH", "/issues/comments/"), 1);
	assert_int_equal(cl_forge_comment_find(&found, c->f, &c->repo, n, "nothing"), CL_ENOTFOUND);
	/* a missing issue is a 404 */
	assert_int_equal(cl_forge_comment_create(NULL, c->f, &c->repo, 999, "x"), CL_ENOTFOUND);
	assert_non_null(strstr(cl_error_last(), "404"));
}

static void test_issue_lifecycle(void **state)
{
	struct ctx *c = *state;
	struct cl_forge_issue is = { 0, 0, NULL, NULL };
	const char *new_labels[] = { "clearance", "license-change", NULL };
	struct cl_forge_issue_spec edit = { "Review dependency (updated)", NULL, new_labels, NULL };
	json_t *pr, *r, *issue;
	uint64_t n;
	int i;

	/* noise: other issues, and a pull request with the same marker (must be skipped) */
	pr = standin_control(&c->s, "POST", "pulls",
		"{\"owner\":\"octo-org\",\"repo\":\"hello\",\"title\":\"PR\",\"body\":\"<!-- clearance:deps:npm:a -->\"}");
	json_decref(pr);
	for (i = 0; i < 3; i++)
		new_issue(c, i == 0 ? "other:0" : i == 1 ? "other:1" : "other:2");
	n = new_issue(c, "deps:npm:a");
	assert_int_equal(cl_forge_issue_find(&is, c->f, &c->repo, "deps:npm:a", "clearance"), 0);
	assert_true(is.number == n);
	assert_true(is.open);
	assert_string_equal(is.title, "Review dependency");
	cl_forge_issue_dispose(&is);
	assert_int_equal(cl_forge_issue_find(&is, c->f, &c->repo, "deps:npm:zzz", NULL), CL_ENOTFOUND);

	assert_int_equal(cl_forge_issue_edit(c->f, &c->repo, n, &edit), 0);
	assert_int_equal(cl_forge_issue_close(c->f, &c->repo, n, "Resolved: the dependency was removed."), 0);
	assert_int_equal(cl_forge_issue_find(&is, c->f, &c->repo, "deps:npm:a", NULL), 0);
	assert_false(is.open);
	assert_string_equal(is.title, "Review dependency (updated)");
	cl_forge_issue_dispose(&is);
	r = repo_state(c);
	json_array_foreach(json_object_get(r, "issues"), i, issue) {
		if (json_integer_value(json_object_get(issue, "number")) == (json_int_t)n) {
			assert_string_equal(json_string_value(json_object_get(issue, "state_reason")), "completed");
			assert_int_equal(json_array_size(json_object_get(issue, "labels")), 2);
			assert_string_equal(json_string_value(json_object_get(json_array_get(
				json_object_get(issue, "assignees"), 0), "login")), "ospo-alice");
		}
	}
	json_decref(r);
	assert_int_equal(cl_forge_issue_reopen(c->f, &c->repo, n), 0);
	assert_int_equal(cl_forge_issue_find(&is, c->f, &c->repo, "deps:npm:a", NULL), 0);
	assert_true(is.open);
	cl_forge_issue_dispose(&is);
	assert_int_equal(cl_forge_issue_reopen(c->f, &c->repo, 4242), CL_ENOTFOUND);
}

static void test_labels(void **state)
{
	struct ctx *c = *state;
	const char *add[] = { "needs-review", "a b/c", NULL };
	uint64_t n = new_issue(c, "labels");
	json_t *r, *issue;
	assert_int_equal(cl_forge_labels_add(c->f, &c->repo, n, add), 0);
	assert_int_equal(cl_forge_label_remove(c->f, &c->repo, n, "deps"), 0);
	/* a label the issue does not carry: GitHub's 404 is not an error */
	assert_int_equal(cl_forge_label_remove(c->f, &c->repo, n, "never-there"), 0);
	r = repo_state(c);
	issue = json_array_get(json_object_get(r, "issues"), 0);
	assert_int_equal(json_array_size(json_object_get(issue, "labels")), 3);
	json_decref(r);
}

static int collect_login(const char *login, void *payload)
{
	struct cl_buf *b = payload;
	cl_buf_puts(b, login);
	cl_buf_putc(b, ',');
	return 0;
}

static void test_team_members(void **state)
{
	struct ctx *c = *state;
	struct cl_buf b = CL_BUF_INIT;
	cl_buf_init(&b, 0);
	json_decref(standin_control(&c->s, "POST", "teams",
		"{\"org\":\"octo-org\",\"slug\":\"ospo-approvers\",\"members\":[\"a1\",\"a2\",\"a3\",\"a4\",\"a5\"]}"));
	assert_int_equal(cl_forge_team_members_foreach(c->f, "octo-org", "ospo-approvers", collect_login, &b), 0);
	assert_string_equal(cl_buf_cstr(&b), "a1,a2,a3,a4,a5,");
	assert_int_equal(standin_count(&c->s, "GET", "/teams/ospo-approvers/members"), 3);
	assert_int_equal(cl_forge_team_members_foreach(c->f, "octo-org", "nobody", collect_login, &b), CL_ENOTFOUND);
	cl_buf_dispose(&b);
}

/*
 * With team_cache_seconds, a team is listed once per lifetime however
 * often it is asked about (every comment, every commit's author), a
 * missing team included; an older listing is taken again.
 */
static void test_team_members_cached(void **state)
{
	struct ctx *c = *state;
	struct cl_forge_options o = CL_FORGE_OPTIONS_INIT;
	struct cl_forge *cached = NULL;
	struct cl_buf b = CL_BUF_INIT;
	int i;

	o.base_url = c->s.base;
	o.token = TEST_TOKEN;
	o.per_page = 2;
	o.sys = &c->sys;
	o.team_cache_seconds = 300;
	assert_int_equal(cl_forge_new(&cached, &o), 0);
	cl_buf_init(&b, 0);
	json_decref(standin_control(&c->s, "POST", "teams",
		"{\"org\":\"octo-org\",\"slug\":\"ospo-approvers\",\"members\":[\"a1\",\"a2\",\"a3\"]}"));
	for (i = 0; i < 3; i++) {
		cl_buf_clear(&b);
		assert_int_equal(cl_forge_team_members_foreach(cached, "octo-org", "ospo-approvers",
			collect_login, &b), 0);
		assert_string_equal(cl_buf_cstr(&b), "a1,a2,a3,");
		assert_int_equal(cl_forge_team_members_foreach(cached, "octo-org", "nobody",
			collect_login, &b), CL_ENOTFOUND);
	}
	assert_int_equal(standin_count(&c->s, "GET", "/teams/ospo-approvers/members"), 2);   /* two pages */
	assert_int_equal(standin_count(&c->s, "GET", "/teams/nobody/members"), 1);
	/* a1 leaves the team; the listing still holds until it is 300 seconds old */
	json_decref(standin_control(&c->s, "POST", "teams",
		"{\"org\":\"octo-org\",\"slug\":\"ospo-approvers\",\"members\":[\"a2\",\"a3\"]}"));
	c->fs.now += 299;
	cl_buf_clear(&b);
	assert_int_equal(cl_forge_team_members_foreach(cached, "octo-org", "ospo-approvers",
		collect_login, &b), 0);
	assert_string_equal(cl_buf_cstr(&b), "a1,a2,a3,");
	c->fs.now += 1;
	cl_buf_clear(&b);
	assert_int_equal(cl_forge_team_members_foreach(cached, "octo-org", "ospo-approvers",
		collect_login, &b), 0);
	assert_string_equal(cl_buf_cstr(&b), "a2,a3,");
	assert_int_equal(standin_count(&c->s, "GET", "/teams/ospo-approvers/members"), 3);
	cl_buf_dispose(&b);
	cl_forge_free(cached);
}

static void test_check_with_token_is_status(void **state)
{
	struct ctx *c = *state;
	struct cl_forge_check ck;
	uint64_t id = 99;
	memset(&ck, 0, sizeof(ck));
	ck.name = "clearance/headers";
	ck.head_sha = SHA;
	ck.completed = 1;
	ck.conclusion = CL_FORGE_FAILURE;
	ck.title = "2 files lack an SPDX header";
	ck.summary = "...";
	assert_false(cl_forge_has_checks(c->f));
	assert_int_equal(cl_forge_check_set(&id, c->f, &c->repo, &ck), 0);
	assert_true(id == 0);
	assert_int_equal(standin_count(&c->s, "POST", "/statuses/"), 1);
	assert_int_equal(standin_count(&c->s, "POST", "/check-runs"), 0);
}

/* A throwaway RSA key, written as GitHub hands it out (PEM). */
static void write_key(struct ctx *c)
{
	EVP_PKEY *key = EVP_RSA_gen(2048);
	FILE *fp;
	assert_non_null(key);
	snprintf(c->key_path, sizeof(c->key_path), "%s/app.pem", c->s.dir);
	fp = fopen(c->key_path, "w");
	assert_non_null(fp);
	assert_int_equal(PEM_write_PrivateKey(fp, key, NULL, NULL, 0, NULL, NULL), 1);
	fclose(fp);
	EVP_PKEY_free(key);
}

static void test_app_check_run_annotations(void **state)
{
	struct ctx *c = *state;
	struct cl_forge_annotation ann[120];
	struct cl_forge_status st = { CL_FORGE_SUCCESS, "clearance/cla", "ok", NULL };
	struct cl_forge_check ck;
	char *user = NULL, *pass = NULL;
	uint64_t id = 0, id2;
	json_t *r, *run;
	size_t i;

	write_key(c);
	cl_forge_free(c->f);
	c->f = NULL;
	assert_int_equal(make_forge(c, c->key_path), 0);
	assert_true(cl_forge_has_checks(c->f));
	for (i = 0; i < 120; i++) {
		ann[i].path = "src/a.c";
		ann[i].start_line = (unsigned int)i + 1;
		ann[i].end_line = 0;
		ann[i].level = CL_FORGE_FAILURE_LEVEL;
		ann[i].title = "missing SPDX header";
		ann[i].message = "add: SPDX-License-Identifier: Apache-2.0";
	}
	memset(&ck, 0, sizeof(ck));
	ck.name = "clearance/headers";
	ck.head_sha = SHA;
	ck.completed = 0;
	ck.title = "Checking headers";
	ck.summary = "in progress";
	assert_int_equal(cl_forge_check_set(&id, c->f, &c->repo, &ck), 0);
	assert_true(id > 0);
	id2 = id;
	ck.completed = 1;
	ck.conclusion = CL_FORGE_FAILURE;
	ck.title = "120 files lack an SPDX header";
	ck.annotations = ann;
	ck.nannotations = 120;
	assert_int_equal(cl_forge_check_set(&id2, c->f, &c->repo, &ck), 0);
	assert_true(id2 == id);
	r = repo_state(c);
	run = json_array_get(json_object_get(r, "check_runs"), 0);
	assert_int_equal(json_array_size(json_object_get(run, "annotations")), 120);
	assert_string_equal(json_string_value(json_object_get(run, "conclusion")), "failure");
	json_decref(r);
	/* 50 per request: create, then update with 50 + 50 + 20 */
	assert_int_equal(standin_count(&c->s, "PATCH", "/check-runs/"), 3);
	/* one installation token served every call */
	assert_int_equal(standin_count(&c->s, "POST", "/access_tokens"), 1);
	assert_int_equal(cl_forge_git_credentials(&user, &pass, c->f), 0);
	assert_string_equal(user, "x-access-token");
	assert_non_null(strstr(pass, "ghs_standin"));
	free(user);
	free(pass);
	/* 400 s before expiry: still cached */
	c->fs.now += 3600 - 400;
	assert_int_equal(cl_forge_status_set(c->f, &c->repo, SHA, &st), 0);
	assert_int_equal(standin_count(&c->s, "POST", "/access_tokens"), 1);
	/* 200 s before: inside the 5-minute margin, refreshed */
	c->fs.now += 200;
	assert_int_equal(cl_forge_status_set(c->f, &c->repo, SHA, &st), 0);
	assert_int_equal(standin_count(&c->s, "POST", "/access_tokens"), 2);
}

static void test_enterprise_base(void **state)
{
	struct ctx *c = *state;
	struct cl_forge_options o = CL_FORGE_OPTIONS_INIT;
	struct cl_forge *ghe = NULL;
	struct cl_forge_status st = { CL_FORGE_SUCCESS, "clearance/dco", "ok", NULL };
	char base[200], *url = NULL, want[300];
	snprintf(base, sizeof(base), "%s/api/v3", c->s.base);
	o.base_url = base;
	o.token = TEST_TOKEN;
	o.sys = &c->sys;
	assert_int_equal(cl_forge_new(&ghe, &o), 0);
	assert_int_equal(cl_forge_status_set(ghe, &c->repo, SHA, &st), 0);
	assert_int_equal(standin_count(&c->s, "POST", "/api/v3/repos/octo-org/hello/statuses/"), 1);
	assert_int_equal(cl_forge_clone_url(&url, ghe, &c->repo), 0);
	snprintf(want, sizeof(want), "%s/octo-org/hello.git", c->s.base);
	assert_string_equal(url, want);
	free(url);
	cl_forge_free(ghe);
}

struct thread_arg {
	struct ctx *c;
	int failures;
};

static void *status_thread(void *p)
{
	struct thread_arg *a = p;
	struct cl_forge_status st = { CL_FORGE_SUCCESS, "clearance/dco", "ok", NULL };
	int i;
	for (i = 0; i < 10; i++)
		if (cl_forge_status_set(a->c->f, &a->c->repo, SHA, &st) != 0)
			a->failures++;
	return NULL;
}

/* One forge shared by workers: one App token fetched, every call made. */
static void test_threads_share_forge(void **state)
{
	struct ctx *c = *state;
	pthread_t t[4];
	struct thread_arg a[4];
	json_t *r;
	int i;
	write_key(c);
	cl_forge_free(c->f);
	c->f = NULL;
	/* real clock: the fake one is not meant for several threads */
	c->sys.now = NULL;
	c->sys.sleep_ms = NULL;
	assert_int_equal(make_forge(c, c->key_path), 0);
	for (i = 0; i < 4; i++) {
		a[i].c = c;
		a[i].failures = 0;
		assert_int_equal(pthread_create(&t[i], NULL, status_thread, &a[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(a[i].failures, 0);
	}
	r = repo_state(c);
	assert_int_equal(json_array_size(json_object_get(r, "statuses")), 40);
	json_decref(r);
	assert_int_equal(standin_count(&c->s, "POST", "/access_tokens"), 1);
}

static void test_retry_502(void **state)
{
	struct ctx *c = *state;
	struct cl_forge_status st = { CL_FORGE_SUCCESS, "clearance/dco", "all commits signed off", NULL };
	struct cl_http_counts counts;
	standin_fault(&c->s, "{\"path\":\"/statuses/\",\"status\":502,\"count\":1}");
	assert_int_equal(cl_forge_status_set(c->f, &c->repo, SHA, &st), 0);
	assert_int_equal(c->fs.nsleeps, 1);
	assert_int_equal(c->fs.sleeps[0], 500); /* first backoff step */
	cl_forge_counts(&counts, c->f);
	assert_int_equal(counts.by_status[502], 1);
	assert_int_equal(counts.by_status[201], 1);
	assert_int_equal(counts.retries, 1);
	assert_int_equal(standin_count(&c->s, "POST", "/statuses/"), 2);
}

static void test_429_retry_after(void **state)
{
	struct ctx *c = *state;
	struct cl_forge_status st = { CL_FORGE_SUCCESS, "clearance/dco", "ok", NULL };
	struct cl_http_counts counts;
	standin_fault(&c->s, "{\"path\":\"/statuses/\",\"status\":429,\"count\":1,\"retry_after\":\"1\"}");
	assert_int_equal(cl_forge_status_set(c->f, &c->repo, SHA, &st), 0);
	assert_int_equal(c->fs.nsleeps, 1);
	assert_int_equal(c->fs.sleeps[0], 1000);
	cl_forge_counts(&counts, c->f);
	assert_int_equal(counts.rate_limited, 1);
	assert_non_null(strstr(cl_buf_cstr(&c->log), "wait_ms=1000"));
}

static void test_secondary_rate_limit(void **state)
{
	struct ctx *c = *state;
	struct cl_forge_status st = { CL_FORGE_SUCCESS, "clearance/dco", "ok", NULL };
	char fault[200];
	/* secondary: 403 + Retry-After */
	standin_fault(&c->s, "{\"path\":\"/statuses/\",\"status\":403,\"count\":1,\"retry_after\":\"3\"}");
	assert_int_equal(cl_forge_status_set(c->f, &c->repo, SHA, &st), 0);
	assert_int_equal(c->fs.nsleeps, 1);
	assert_int_equal(c->fs.sleeps[0], 3000);
	/* primary: 403 + X-RateLimit-Remaining: 0 + X-RateLimit-Reset five seconds on */
	snprintf(fault, sizeof(fault),
		"{\"path\":\"/statuses/\",\"status\":403,\"count\":1,\"ratelimit_reset\":%lld}",
		(long long)c->fs.now + 5);
	standin_fault(&c->s, fault);
	assert_int_equal(cl_forge_status_set(c->f, &c->repo, SHA, &st), 0);
	assert_int_equal(c->fs.nsleeps, 2);
	assert_int_equal(c->fs.sleeps[1], 6000);
	/* a reset an hour away: no hour-long sleep, a clear error for the queue to retry */
	snprintf(fault, sizeof(fault),
		"{\"path\":\"/statuses/\",\"status\":403,\"count\":1,\"ratelimit_reset\":%lld}",
		(long long)c->fs.now + 3600);
	standin_fault(&c->s, fault);
	assert_int_equal(cl_forge_status_set(c->f, &c->repo, SHA, &st), CL_ERATELIMITED);
	assert_non_null(strstr(cl_error_last(), "rate limited"));
	assert_int_equal(c->fs.nsleeps, 2);
	/* a plain 403 (no rate-limit headers) is final, not retried */
	standin_fault(&c->s, "{\"path\":\"/statuses/\",\"status\":403,\"count\":1}");
	assert_int_equal(cl_forge_status_set(c->f, &c->repo, SHA, &st), CL_ERROR);
	assert_non_null(strstr(cl_error_last(), "403"));
	assert_int_equal(c->fs.nsleeps, 2);
}

static void test_retries_exhausted(void **state)
{
	struct ctx *c = *state;
	struct cl_forge_status st = { CL_FORGE_SUCCESS, "clearance/dco", "ok", NULL };
	standin_fault(&c->s, "{\"path\":\"/statuses/\",\"status\":502,\"count\":10}");
	assert_int_equal(cl_forge_status_set(c->f, &c->repo, SHA, &st), CL_ERROR);
	assert_non_null(strstr(cl_error_last(), "502"));
	assert_non_null(strstr(cl_error_last(), "gave up after 4 attempts"));
	assert_null(strstr(cl_error_last(), TEST_TOKEN));
	/* exponential: 500, 1000, 2000 */
	assert_int_equal(c->fs.nsleeps, 3);
	assert_int_equal(c->fs.sleeps[0], 500);
	assert_int_equal(c->fs.sleeps[1], 1000);
	assert_int_equal(c->fs.sleeps[2], 2000);
}

static void test_transport_error_and_cap(void **state)
{
	struct ctx *c = *state;
	struct cl_forge_options o = CL_FORGE_OPTIONS_INIT;
	struct cl_forge *dead = NULL;
	struct cl_forge_status st = { CL_FORGE_SUCCESS, "clearance/dco", "ok", NULL };
	struct cl_http_counts counts;
	struct cl_http_options ho = CL_HTTP_OPTIONS_INIT;
	struct cl_http_client *http = NULL;
	struct cl_http_request req = CL_HTTP_REQUEST_INIT;
	struct cl_http_response resp = CL_HTTP_RESPONSE_INIT;
	char url[300];

	/* nothing listens on port 1: retried, then a clear error */
	o.base_url = "http://127.0.0.1:1";
	o.token = TEST_TOKEN;
	o.sys = &c->sys;
	o.log = capture_log;
	o.log_payload = &c->log;
	assert_int_equal(cl_forge_new(&dead, &o), 0);
	assert_int_equal(cl_forge_status_set(dead, &c->repo, SHA, &st), CL_ERROR);
	assert_non_null(strstr(cl_error_last(), "gave up after 4 attempts"));
	cl_forge_counts(&counts, dead);
	assert_int_equal(counts.transport_errors, 4);
	assert_int_equal(c->fs.nsleeps, 3);
	cl_forge_free(dead);

	/* a response past the cap fails with CL_ETOOBIG, and is not retried */
	ho.max_response = 16;
	ho.sys = &c->sys;
	assert_int_equal(cl_http_client_new(&http, &ho), 0);
	snprintf(url, sizeof(url), "%s/_standin/state", c->s.base);
	req.url = url;
	assert_int_equal(cl_http_client_send(&resp, http, &req), CL_ETOOBIG);
	assert_non_null(strstr(cl_error_last(), "larger than 16 bytes"));
	assert_int_equal(c->fs.nsleeps, 3);
	cl_http_client_free(http);

	/* a 503 with Retry-After waits as asked */
	standin_fault(&c->s, "{\"path\":\"/statuses/\",\"status\":503,\"count\":1,\"retry_after\":\"2\"}");
	assert_int_equal(cl_forge_status_set(c->f, &c->repo, SHA, &st), 0);
	assert_int_equal(c->fs.sleeps[3], 2000);

	/* an upsert body without its marker would duplicate: refused */
	assert_int_equal(cl_forge_comment_upsert(NULL, c->f, &c->repo, 1, "summary", "no marker"), CL_EINVALID);
	assert_int_equal(cl_forge_comment_upsert(NULL, c->f, &c->repo, 1, "bad--key", "x"), CL_EINVALID);
}

static void test_bad_token_message(void **state)
{
	struct ctx *c = *state;
	struct cl_forge_options o = CL_FORGE_OPTIONS_INIT;
	struct cl_forge *bad = NULL;
	struct cl_forge_status st = { CL_FORGE_SUCCESS, "clearance/dco", "ok", NULL };
	o.base_url = c->s.base;
	o.token = "ghp_WRONGtoken_never_in_messages";
	o.sys = &c->sys;
	o.log = capture_log;
	o.log_payload = &c->log;
	assert_int_equal(cl_forge_new(&bad, &o), 0);
	assert_int_equal(cl_forge_status_set(bad, &c->repo, SHA, &st), CL_ERROR);
	assert_non_null(strstr(cl_error_last(), "401"));
	assert_non_null(strstr(cl_error_last(), "Bad credentials"));
	assert_null(strstr(cl_error_last(), "ghp_WRONG"));
	assert_null(strstr(cl_buf_cstr(&c->log), "ghp_WRONG"));
	cl_forge_free(bad);
	/* a base URL with credentials or a query is refused */
	o.base_url = "https://user:pw@example.com";
	assert_int_equal(cl_forge_new(&bad, &o), CL_EINVALID);
}

static void test_clone_url(void **state)
{
	struct ctx *c = *state;
	struct cl_forge_options o = CL_FORGE_OPTIONS_INIT;
	struct cl_forge *f = NULL;
	char *url = NULL, *user = NULL, *pass = NULL, want[300];
	assert_int_equal(cl_forge_clone_url(&url, c->f, &c->repo), 0);
	snprintf(want, sizeof(want), "%s/octo-org/hello.git", c->s.base);
	assert_string_equal(url, want);
	free(url);
	o.token = TEST_TOKEN;
	assert_int_equal(cl_forge_new(&f, &o), 0);
	assert_int_equal(cl_forge_clone_url(&url, f, &c->repo), 0);
	assert_string_equal(url, "https://github.com/octo-org/hello.git");
	free(url);
	cl_forge_free(f);
	o.base_url = "https://ghe.example.com/api/v3/";
	assert_int_equal(cl_forge_new(&f, &o), 0);
	assert_int_equal(cl_forge_clone_url(&url, f, &c->repo), 0);
	assert_string_equal(url, "https://ghe.example.com/octo-org/hello.git");
	free(url);
	assert_int_equal(cl_forge_git_credentials(&user, &pass, f), 0);
	assert_string_equal(user, "x-access-token");
	assert_string_equal(pass, TEST_TOKEN);
	free(user);
	free(pass);
	cl_forge_free(f);
}

static void test_redact_and_link(void **state)
{
	struct cl_buf b = CL_BUF_INIT;
	char *next;
	(void)state;
	cl_buf_init(&b, 0);
	assert_int_equal(cl_http_redact(&b, NULL,
		"GET https://x-access-token:ghs_abc@github.com/o/r.git?access_token=s3cret&page=2 failed"), 0);
	assert_string_equal(cl_buf_cstr(&b),
		"GET https://[REDACTED]@github.com/o/r.git?access_token=[REDACTED]&page=2 failed");
	cl_buf_dispose(&b);
	next = cl_http_link_next("<https://api.github.com/x?page=3>; rel=\"next\", <https://api.github.com/x?page=9>; rel=\"last\"");
	assert_string_equal(next, "https://api.github.com/x?page=3");
	free(next);
	next = cl_http_link_next("<https://a/x?page=1>; rel=\"prev first\", <https://a/x?page=3>; rel=\"last next\"");
	assert_string_equal(next, "https://a/x?page=3");
	free(next);
	assert_null(cl_http_link_next("<https://a/x?page=1>; rel=\"prev\""));
	assert_null(cl_http_link_next(""));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_comments_paginated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_issue_lifecycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_labels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_team_members, setup, teardown),
		cmocka_unit_test_setup_teardown(test_team_members_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_with_token_is_status, setup, teardown),
		cmocka_unit_test_setup_teardown(test_app_check_run_annotations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enterprise_base, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads_share_forge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry_502, setup, teardown),
		cmocka_unit_test_setup_teardown(test_429_retry_after, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secondary_rate_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retries_exhausted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transport_error_and_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_token_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clone_url, setup, teardown),
		cmocka_unit_test(test_redact_and_link),
	};
	(void)argc;
	test_argv0 = argv[0];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
