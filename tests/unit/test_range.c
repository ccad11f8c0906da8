/*
 * Range computation: which commits each ref update brings in, built on real
 * repositories made with libgit2 in a temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "error.h"
#include "policy.h"
#include "push.h"
#include "range.h"

struct fixture {
	char dir[64];
	git_repository *repo;
	git_oid empty_tree;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	git_treebuilder *tb;
	git_libgit2_init();
	snprintf(fx->dir, sizeof(fx->dir), "%s", "/tmp/clearance-range-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	assert_int_equal(git_repository_init(&fx->repo, fx->dir, 1), 0);
	assert_int_equal(git_treebuilder_new(&tb, fx->repo, NULL), 0);
	assert_int_equal(git_treebuilder_write(&fx->empty_tree, tb), 0);
	git_treebuilder_free(tb);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];
	git_repository_free(fx->repo);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
	git_libgit2_shutdown();
	return 0;
}

/* A commit with the given parents and message; signed off or not. */
static git_oid commit(struct fixture *fx, const char *msg, size_t nparents, const git_oid *parents)
{
	git_signature *sig;
	git_tree *tree;
	const git_commit *pc[2];
	git_commit *owned[2] = { NULL, NULL };
	git_oid id;
	size_t i;
	static int clock = 1000000000;

	assert_int_equal(git_signature_new(&sig, "Ann Dev", "ann@example.com", clock++, 0), 0);
	assert_int_equal(git_tree_lookup(&tree, fx->repo, &fx->empty_tree), 0);
	for (i = 0; i < nparents; i++) {
		assert_int_equal(git_commit_lookup(&owned[i], fx->repo, &parents[i]), 0);
		pc[i] = owned[i];
	}
	assert_int_equal(git_commit_create(&id, fx->repo, NULL, sig, sig, NULL, msg, tree, nparents, pc), 0);
	for (i = 0; i < nparents; i++)
		git_commit_free(owned[i]);
	git_tree_free(tree);
	git_signature_free(sig);
	return id;
}

static void set_ref(struct fixture *fx, const char *name, const git_oid *id)
{
	git_reference *ref;
	assert_int_equal(git_reference_create(&ref, fx->repo, name, id, 1, NULL), 0);
	git_reference_free(ref);
}

static void assert_batch(struct cl_commit_batch *b, size_t n, const git_oid *expect)
{
	size_t i;
	assert_int_equal(b->count, n);
	for (i = 0; i < n; i++) {
		char hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(hex, sizeof(hex), &expect[i]);
		assert_string_equal(b->commits[i].id, hex);
	}
}

static void test_fast_forward_range(void **state)
{
	struct fixture *fx = *state;
	git_oid c[4];
	struct cl_commit_batch *b;

	c[0] = commit(fx, "one\n", 0, NULL);
	c[1] = commit(fx, "two\n", 1, &c[0]);
	set_ref(fx, "refs/heads/main", &c[1]);
	c[2] = commit(fx, "three\n", 1, &c[1]);
	c[3] = commit(fx, "four\n", 1, &c[2]);
	assert_int_equal(cl_range_commits(&b, fx->repo, &c[3], &c[1], 1), 0);
	assert_batch(b, 2, &c[2]);   /* oldest first */
	assert_string_equal(b->commits[0].author_email, "ann@example.com");
	assert_int_equal(b->commits[0].parent_count, 1);
	assert_string_equal(b->commits[1].message, "four\n");
	cl_commit_batch_free(b);
}

static void test_classify(void **state)
{
	struct fixture *fx = *state;
	git_oid c[4], tag;
	char h[4][GIT_OID_HEXSZ + 1], th[GIT_OID_HEXSZ + 1];
	struct cl_push *push;
	git_object *target;
	git_signature *sig;
	int i;

	c[0] = commit(fx, "root\n", 0, NULL);
	c[1] = commit(fx, "a\n", 1, &c[0]);
	c[2] = commit(fx, "b\n", 1, &c[1]);
	c[3] = commit(fx, "rewritten b\n", 1, &c[1]);
	for (i = 0; i < 4; i++)
		git_oid_tostr(h[i], sizeof(h[i]), &c[i]);
	assert_int_equal(git_object_lookup(&target, fx->repo, &c[2], GIT_OBJECT_COMMIT), 0);
	assert_int_equal(git_signature_new(&sig, "T", "t@example.com", 1, 0), 0);
	assert_int_equal(git_tag_create(&tag, fx->repo, "v1", target, sig, "v1\n", 0), 0);
	git_oid_tostr(th, sizeof(th), &tag);

	assert_int_equal(cl_push_new(&push), 0);
	assert_int_equal(cl_push_add(push, "refs/heads/ff", h[1], h[2]), 0);
	assert_int_equal(cl_push_add(push, "refs/heads/force", h[2], h[3]), 0);
	assert_int_equal(cl_push_add(push, "refs/heads/same", h[2], h[2]), 0);
	assert_int_equal(cl_push_add(push, "refs/tags/v1", h[1], th), 0);   /* tag moves forward */
	assert_int_equal(cl_push_classify(push, fx->repo), 0);
	assert_int_equal(push->updates[0].kind, CL_UPDATE_FAST_FORWARD);
	assert_int_equal(push->updates[1].kind, CL_UPDATE_FORCE);
	assert_int_equal(push->updates[2].kind, CL_UPDATE_FAST_FORWARD);
	assert_int_equal(push->updates[3].kind, CL_UPDATE_FAST_FORWARD);
	cl_push_free(push);
	git_signature_free(sig);
	git_object_free(target);
}

static void test_tag_of_tree_has_no_commits(void **state)
{
	struct fixture *fx = *state;
	git_object *tree;
	git_signature *sig;
	git_oid tag;
	struct cl_commit_batch *b;

	assert_int_equal(git_object_lookup(&tree, fx->repo, &fx->empty_tree, GIT_OBJECT_TREE), 0);
	assert_int_equal(git_signature_new(&sig, "T", "t@example.com", 1, 0), 0);
	assert_int_equal(git_tag_create(&tag, fx->repo, "treetag", tree, sig, "x\n", 0), 0);
	assert_int_equal(cl_range_commits(&b, fx->repo, &tag, NULL, 0), 0);
	assert_int_equal(b->count, 0);
	cl_commit_batch_free(b);
	git_signature_free(sig);
	git_object_free(tree);
}

static void test_missing_object_is_an_error(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit_batch *b = NULL;
	git_oid missing;
	git_oid_fromstr(&missing, "3333333333333333333333333333333333333333");
	assert_true(cl_range_commits(&b, fx->repo, &missing, NULL, 0) < 0);
	assert_null(b);
	assert_non_null(strstr(cl_error_last(), "cannot read pushed object"));
}

/*
 * The engine checks each commit once per push, only what no enforced ref
 * already has, and skips refs the policy does not enforce.
 */
static void test_engine_push(void **state)
{
	struct fixture *fx = *state;
	static const char policy_yaml[] =
		"refs:\n  exclude: [\"refs/heads/wip/**\"]\n"
		"dco: {enabled: true}\n";
	struct cl_policy *policy;
	struct cl_findings *findings;
	struct cl_engine_stats stats;
	struct cl_push *push;
	git_oid c[5];
	char h[5][GIT_OID_HEXSZ + 1];
	int i;

	c[0] = commit(fx, "base\n\nSigned-off-by: Ann Dev <ann@example.com>\n", 0, NULL);
	set_ref(fx, "refs/heads/main", &c[0]);
	c[1] = commit(fx, "unsigned, parked on wip\n", 1, &c[0]);
	set_ref(fx, "refs/heads/wip/x", &c[1]);
	c[2] = commit(fx, "signed\n\nSigned-off-by: Ann Dev <ann@example.com>\n", 1, &c[1]);
	c[3] = commit(fx, "unsigned feature\n", 1, &c[2]);
	c[4] = commit(fx, "unsigned on wip\n", 1, &c[3]);
	for (i = 0; i < 5; i++)
		git_oid_tostr(h[i], sizeof(h[i]), &c[i]);

	assert_int_equal(cl_policy_load_buffer(&policy, policy_yaml, sizeof(policy_yaml) - 1, "t.yml"), 0);
	assert_int_equal(cl_findings_new(&findings), 0);
	assert_int_equal(cl_push_new(&push), 0);
	/* main gets c1..c2; feature (new) gets c3 on top; wip moves on unchecked. */
	assert_int_equal(cl_push_add(push, "refs/heads/main", h[0], h[2]), 0);
	assert_int_equal(cl_push_add(push, "refs/heads/feature", "0000000000000000000000000000000000000000", h[3]), 0);
	assert_int_equal(cl_push_add(push, "refs/heads/wip/x", h[1], h[4]), 0);
	assert_int_equal(cl_push_classify(push, fx->repo), 0);
	assert_int_equal(cl_engine_check_push(findings, &stats, fx->repo, policy, push, NULL), 0);

	assert_int_equal(stats.refs_checked, 2);
	assert_int_equal(stats.refs_skipped, 1);
	/* c1 (reachable only from the unenforced wip ref) and c2 on main; c3 on feature. */
	assert_int_equal(stats.commits_checked, 3);
	assert_int_equal(cl_findings_count(findings), 2);
	assert_string_equal(cl_findings_get(findings, 0)->commit, h[1]);
	assert_string_equal(cl_findings_get(findings, 0)->ref, "refs/heads/main");
	assert_string_equal(cl_findings_get(findings, 1)->commit, h[3]);
	assert_string_equal(cl_findings_get(findings, 1)->ref, "refs/heads/feature");

	cl_push_free(push);
	cl_findings_free(findings);
	cl_policy_free(policy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fast_forward_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_classify, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tag_of_tree_has_no_commits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_object_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_engine_push, setup, teardown),
	};
	return cmocka_run_group_tests_name("range", tests, NULL, NULL);
}
