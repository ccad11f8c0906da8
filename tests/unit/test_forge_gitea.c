/*
 * test_forge_gitea.c - the Gitea/Forgejo forge client against the
 * stand-in's /api/v1: the same operations as GitHub, with Gitea's
 * differences (label ids, created when missing; labels replaced through
 * their own endpoint; no checks API; teams found by name; `limit` pages).
 */
#include "forge_test_util.h"

#include "forge.h"

struct ctx {
	struct standin s;
	struct fake_sys fs;
	struct cl_http_sys sys;
	struct cl_buf log;
	struct cl_forge *f;
	struct cl_forge_repo repo;
};

static int setup(void **state)
{
	struct cl_forge_options o = CL_FORGE_OPTIONS_INIT;
	struct ctx *c = calloc(1, sizeof(*c));
	assert_non_null(c);
	standin_start(&c->s);
	c->fs.now = time(NULL);
	c->sys.sleep_ms = fake_sleep;
	c->sys.now = fake_now;
	c->sys.ctx = &c->fs;
	cl_buf_init(&c->log, 0);
	c->repo.owner = "ospo";
	c->repo.name = "widget";
	o.kind = CL_FORGE_KIND_GITEA;
	o.base_url = c->s.base; /* "/api/v1" is added */
	o.token = TEST_TOKEN;
	o.per_page = 2;
	o.sys = &c->sys;
	o.log = capture_log;
	o.log_payload = &c->log;
	assert_int_equal(cl_forge_new(&c->f, &o), 0);
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
	cl_buf_dispose(&c->log);
	free(c);
	return 0;
}

static const char SHA[] = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

static json_t *repo_state(struct ctx *c)
{
	json_t *st = standin_control(&c->s, "GET", "state", NULL);
	json_t *r = json_incref(json_object_get(json_object_get(st, "repos"), "ospo/widget"));
	json_decref(st);
	assert_non_null(r);
	return r;
}

static json_t *issue_state(json_t *r, uint64_t n)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(r, "issues"), i, it) {
		if (json_integer_value(json_object_get(it, "number")) == (json_int_t)n)
			return it;
	}
	fail_msg("no issue %d", (int)n);
	return NULL;
}

static uint64_t new_issue(struct ctx *c, const char *key)
{
	char body[200];
	const char *labels[] = { "clearance", "deps", NULL };
	const char *assignees[] = { "ospo-alice", NULL };
	struct cl_forge_issue_spec spec = { "Review dependency", body, labels, assignees };
	uint64_t n = 0;
	snprintf(body, sizeof(body), "A new dependency.\n\n<!-- clearance:%s -->", key);
	assert_int_equal(cl_forge_issue_create(&n, c->f, &c->repo, &spec), 0);
	assert_true(n > 0);
	return n;
}

static void test_status_and_check(void **state)
{
	struct ctx *c = *state;
	struct cl_forge_status st = { CL_FORGE_PENDING, "clearance/dco", "checking", NULL };
	struct cl_forge_check ck;
	uint64_t id = 5;
	json_t *r;
	assert_int_equal(cl_forge_status_set(c->f, &c->repo, SHA, &st), 0);
	/* no checks API: the check run becomes a status */
	memset(&ck, 0, sizeof(ck));
	ck.name = "clearance/headers";
	ck.head_sha = SHA;
	ck.completed = 1;
	ck.conclusion = CL_FORGE_SUCCESS;
	ck.title = "all files carry a header";
	assert_false(cl_forge_has_checks(c->f));
	assert_int_equal(cl_forge_check_set(&id, c->f, &c->repo, &ck), 0);
	assert_true(id == 0);
	r = repo_state(c);
	assert_int_equal(json_array_size(json_object_get(r, "statuses")), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(r, "statuses"), 1),
		"state")), "success");
	json_decref(r);
	assert_int_equal(standin_count(&c->s, "POST", "/api/v1/repos/ospo/widget/statuses/"), 2);
}

static int count_comment(const struct cl_forge_comment *cm, void *payload)
{
	(void)cm;
	(*(int *)payload)++;
	return 0;
}

static void test_comments(void **state)
{
	struct ctx *c = *state;
	struct cl_forge_comment found = { 0, NULL, NULL };
	uint64_t n = new_issue(c, "x"), id = 0;
	int i, count = 0;
	for (i = 0; i < 4; i++)
		assert_int_equal(cl_forge_comment_create(NULL, c->f, &c->repo, n, "hello"), 0);
	assert_int_equal(cl_forge_comment_upsert(&id, c->f, &c->repo, n, "summary", "v1 <!-- clearance:summary -->"), 0);
	assert_int_equal(cl_forge_comment_upsert(NULL, c->f, &c->repo, n, "summary", "v2 <!-- clearance:summary -->"), 0);
	assert_int_equal(cl_forge_comment_find(&found, c->f, &c->repo, n, "summary"), 0);
	assert_true(found.id == id);
	assert_string_equal(found.body, "v2 <!-- clearance:summary -->");
	cl_forge_comment_dispose(&found);
	assert_int_equal(cl_forge_comments_foreach(c->f, &c->repo, n, count_comment, &count), 0);
	assert_int_equal(count, 5);
	/* Gitea lists an issue's comments whole (its API has no page parameters there):
	 * one request each for the two upserts' searches, the find and the walk */
	assert_int_equal(standin_count(&c->s, "GET", "/comments"), 4);
}

static void test_issues_and_labels(void **state)
{
	struct ctx *c = *state;
	struct cl_forge_issue is = { 0, 0, NULL, NULL };
	const char *relabel[] = { "clearance", "license-change", NULL };
	const char *add[] = { "needs-review", NULL };
	struct cl_forge_issue_spec edit = { NULL, "new body <!-- clearance:deps:a -->", relabel, NULL };
	uint64_t n;
	json_t *r, *issue;

	new_issue(c, "other");
	n = new_issue(c, "deps:a");
	/* the labels were created once (by id), then reused */
	assert_int_equal(standin_count(&c->s, "POST", "/api/v1/repos/ospo/widget/labels"), 2);
	assert_int_equal(cl_forge_issue_find(&is, c->f, &c->repo, "deps:a", "deps"), 0);
	assert_true(is.number == n);
	assert_true(is.open);
	cl_forge_issue_dispose(&is);

	assert_int_equal(cl_forge_issue_edit(c->f, &c->repo, n, &edit), 0);
	assert_int_equal(standin_count(&c->s, "PUT", "/issues/2/labels"), 1);
	assert_int_equal(cl_forge_labels_add(c->f, &c->repo, n, add), 0);
	assert_int_equal(cl_forge_label_remove(c->f, &c->repo, n, "clearance"), 0);
	assert_int_equal(cl_forge_label_remove(c->f, &c->repo, n, "no-such-label"), 0);
	r = repo_state(c);
	issue = issue_state(r, n);
	assert_int_equal(json_array_size(json_object_get(issue, "labels")), 2); /* license-change, needs-review */
	assert_string_equal(json_string_value(json_object_get(issue, "body")), "new body <!-- clearance:deps:a -->");
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(issue, "assignees"), 0),
		"login")), "ospo-alice");
	json_decref(r);

	assert_int_equal(cl_forge_issue_close(c->f, &c->repo, n, "Resolved."), 0);
	assert_int_equal(cl_forge_issue_find(&is, c->f, &c->repo, "deps:a", NULL), 0);
	assert_false(is.open);
	cl_forge_issue_dispose(&is);
	assert_int_equal(cl_forge_issue_reopen(c->f, &c->repo, n), 0);
	assert_int_equal(cl_forge_issue_find(&is, c->f, &c->repo, "deps:a", NULL), 0);
	assert_true(is.open);
	cl_forge_issue_dispose(&is);
}

static void test_labels_paginated(void **state)
{
	struct ctx *c = *state;
	const char *many[] = { "l1", "l2", "l3", "l4", "l5", NULL };
	const char *pick[] = { "l5", NULL };
	uint64_t n = new_issue(c, "pages");
	json_t *r;
	/* five more labels: the id lookup walks 7 labels in pages of 2 (limit=2, Link) */
	assert_int_equal(cl_forge_labels_add(c->f, &c->repo, n, many), 0);
	assert_int_equal(cl_forge_labels_add(c->f, &c->repo, n, pick), 0);
	assert_int_equal(standin_count(&c->s, "POST", "/api/v1/repos/ospo/widget/labels"), 2 + 5);
	r = repo_state(c);
	assert_int_equal(json_array_size(json_object_get(issue_state(r, n), "labels")), 7);
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
		"{\"org\":\"ospo\",\"slug\":\"approvers-extra\",\"members\":[\"z\"]}"));
	json_decref(standin_control(&c->s, "POST", "teams",
		"{\"org\":\"ospo\",\"slug\":\"approvers\",\"members\":[\"b1\",\"b2\",\"b3\"]}"));
	assert_int_equal(cl_forge_team_members_foreach(c->f, "ospo", "approvers", collect_login, &b), 0);
	assert_string_equal(cl_buf_cstr(&b), "b1,b2,b3,");
	assert_int_equal(cl_forge_team_members_foreach(c->f, "ospo", "nobody", collect_login, &b), CL_ENOTFOUND);
	cl_buf_dispose(&b);
}

static void test_retry_and_clone(void **state)
{
	struct ctx *c = *state;
	struct cl_forge_status st = { CL_FORGE_SUCCESS, "clearance/dco", "ok", NULL };
	char *url = NULL, *user = NULL, *pass = NULL, want[300];
	standin_fault(&c->s, "{\"path\":\"/statuses/\",\"status\":503,\"count\":2}");
	assert_int_equal(cl_forge_status_set(c->f, &c->repo, SHA, &st), 0);
	assert_int_equal(c->fs.nsleeps, 2);
	assert_int_equal(cl_forge_clone_url(&url, c->f, &c->repo), 0);
	snprintf(want, sizeof(want), "%s/ospo/widget.git", c->s.base);
	assert_string_equal(url, want);
	free(url);
	assert_int_equal(cl_forge_git_credentials(&user, &pass, c->f), 0);
	assert_string_equal(user, "clearance");
	assert_string_equal(pass, TEST_TOKEN);
	free(user);
	free(pass);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_status_and_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_comments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_issues_and_labels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_labels_paginated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_team_members, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry_and_clone, setup, teardown),
	};
	(void)argc;
	test_argv0 = argv[0];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
