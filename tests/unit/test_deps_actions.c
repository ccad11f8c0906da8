/*
 * GitHub Actions workflows and action.yml (lib/deps_actions.c).
 *
 * 1. Fixtures under tests/deps/actions/ (see deps_h14_fixtures.h), each
 *    input also parsed from every prefix.
 * 2. Hostile input: deep nesting, an alias fan-out ("billion laughs" on
 *    steps lists and jobs), a generated 100 MB file (over the cap), a large
 *    workflow (throughput), wrong types.
 * 3. Conformance over ../shared/conformance/deps-examples/actions/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "deps_actions.h"
#include "deps_h14_fixtures.h"

static void test_fixtures(void **state)
{
	(void)state;
	assert_true(h14_run_fixtures("actions", cl_deps_actions_formats) >= 6);
}

static void test_deep_nesting(void **state)
{
	size_t n = 1000000, i;
	char *doc = malloc(n);
	struct cl_dep_list list = CL_DEP_LIST_INIT;

	(void)state;
	assert_non_null(doc);
	memset(doc, '[', n);
	assert_int_equal(h14_parse(cl_deps_actions_parse, &list, "w.yml", doc, n), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "nested deeper than 64"));
	for (i = 0; i < n; i++)
		doc[i] = i % 2 ? ' ' : '-';
	assert_int_equal(h14_parse(cl_deps_actions_parse, &list, "w.yml", doc, n), CL_EINVALID);
	assert_int_equal(list.count, 0);
	free(doc);
}

/* 100,000 jobs aliasing one steps list of 1,000 steps: read once, not 10^8 times. */
static void test_alias_fanout(void **state)
{
	struct cl_buf b = CL_BUF_INIT;
	size_t i, count;
	int rc;

	(void)state;
	assert_int_equal(cl_buf_puts(&b, "jobs:\n  first:\n    steps: &s\n"), 0);
	for (i = 0; i < 1000; i++)
		assert_int_equal(cl_buf_printf(&b, "      - uses: acme/a%zu@v1\n", i), 0);
	for (i = 0; i < 100000; i++)
		assert_int_equal(cl_buf_printf(&b, "  j%zu:\n    steps: *s\n", i), 0);
	h14_big(cl_deps_actions_parse, "fan/w.yml", b.ptr, b.size, 5.0, &rc, &count);
	assert_int_equal(rc, 0);
	assert_int_equal(count, 1000);
	cl_buf_dispose(&b);
}

static void test_wrong_types(void **state)
{
	static const char *const bad[] = {
		"- a\n- b\n", "jobs: [1]\n", "jobs:\n  a: 1\n", "jobs:\n  a:\n    steps:\n      - 1\n",
		"jobs:\n  a:\n    uses: ''\n", "jobs:\n  a:\n    uses: '@v1'\n", "runs:\n  steps: {a: 1}\n",
		"jobs:\n  a:\n    uses: docker://:tag\n", "a: b: c\n", "jobs: {a: {uses: \"x\\0y\"}}\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cl_dep_list list = CL_DEP_LIST_INIT;
		int rc = h14_parse(cl_deps_actions_parse, &list, "x/w.yml", bad[i], strlen(bad[i]));

		if (rc != CL_EINVALID)
			fail_msg("case %zu: rc %d", i, rc);
		assert_int_equal(strncmp(cl_error_last(), "x/w.yml:", 8), 0);
		assert_int_equal(list.count, 0);
	}
}

static void test_huge(void **state)
{
	size_t len = 100u * 1024 * 1024, count;
	char *doc = malloc(len);
	int rc;

	(void)state;
	assert_non_null(doc);
	memset(doc, '\n', len);
	h14_big(cl_deps_actions_parse, "huge/w.yml", doc, len, 1.0, &rc, &count);
	assert_int_equal(rc, CL_ETOOBIG);
	free(doc);
}

static void test_big(void **state)
{
	struct cl_buf b = CL_BUF_INIT;
	size_t i, count;
	int rc;

	(void)state;
	assert_int_equal(cl_buf_puts(&b, "name: big\non: [push]\njobs:\n"), 0);
	for (i = 0; i < 20000; i++)
		assert_int_equal(cl_buf_printf(&b, "  job%zu:\n    runs-on: ubuntu-latest\n    steps:\n"
					       "      - uses: actions/checkout@v4\n      - name: build\n"
					       "        run: make -j8 all\n      - uses: acme/tool%zu@v%zu # pinned\n"
					       "        with:\n          token: ${{ secrets.TOKEN }}\n", i, i, i), 0);
	h14_big(cl_deps_actions_parse, "big/w.yml", b.ptr, b.size, 10.0, &rc, &count);
	assert_int_equal(rc, 0);
	assert_int_equal(count, 40000);
	cl_buf_dispose(&b);
}

static void test_conformance(void **state)
{
	struct cl_dep_list list = CL_DEP_LIST_INIT;
	char buf[1024];
	const char *dir = h14_conformance_dir(buf, sizeof(buf), "actions", "actions");

	(void)state;
	if (!dir) {
		skip();
		return;
	}
	h14_parse_file(&list, cl_deps_actions_parse, dir, "dependency-review.yml");
	assert_int_equal(list.count, 1);   /* `uses: ./` is the action itself */
	h14_expect(&list, "actions/checkout", "v6", CL_DEP_DIRECT, CL_DEP_BUILD, NULL);
	cl_dep_list_dispose(&list);

	h14_parse_file(&list, cl_deps_actions_parse, dir, "local.yml");
	assert_int_equal(list.count, 2);
	h14_expect(&list, "actions/checkout", "3d3c42e5aac5ba805825da76410c181273ba90b1", CL_DEP_DIRECT, CL_DEP_BUILD,
		   NULL);
	h14_expect(&list, "docker/setup-buildx-action", "bb05f3f5519dd87d3ba754cc423b652a5edd6d2c", CL_DEP_DIRECT,
		   CL_DEP_BUILD, NULL);
	assert_int_equal(h14_find(&list, "actions/checkout")->line, 23);
	cl_dep_list_dispose(&list);

	h14_parse_file(&list, cl_deps_actions_parse, dir, "transitive.yml");
	assert_int_equal(list.count, 4);
	h14_expect(&list, "umbrelladocs/action-linkspector", "v1", CL_DEP_DIRECT, CL_DEP_BUILD, NULL);
	h14_expect(&list, "codecov/codecov-action", "v7", CL_DEP_DIRECT, CL_DEP_BUILD, NULL);
	h14_expect(&list, "actions/attest-build-provenance", "v4", CL_DEP_DIRECT, CL_DEP_BUILD, NULL);
	h14_expect(&list, "actions/upload-pages-artifact", "v3", CL_DEP_DIRECT, CL_DEP_BUILD, NULL);
	cl_dep_list_dispose(&list);
	printf("deps conformance (actions): 3 files, 7 dependencies checked\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_alias_fanout),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_big),
		cmocka_unit_test(test_conformance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
