/*
 * composer.json and composer.lock (lib/deps_composer.c).
 *
 * 1. Fixtures under tests/deps/composer/ (see deps_h14_fixtures.h), each
 *    input also parsed from every prefix.
 * 2. Hostile input: deep nesting, a generated 100 MB file (over the cap:
 *    CL_ETOOBIG at once), a generated large lock (throughput), wrong types.
 * 3. Conformance over ../shared/conformance/deps-examples/php/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "deps_composer.h"
#include "json_arena.h"
#include "deps_h14_fixtures.h"

static void test_fixtures(void **state)
{
	(void)state;
	assert_true(h14_run_fixtures("composer", cl_deps_composer_formats) >= 6);
}

static void test_deep_nesting(void **state)
{
	size_t n = 100000, i;
	char *doc = malloc(2 * n + 20);
	struct cl_dep_list list = CL_DEP_LIST_INIT;
	size_t len = 0;

	(void)state;
	assert_non_null(doc);
	len += (size_t)snprintf(doc, 20, "{\"require\":");
	for (i = 0; i < n; i++)
		doc[len++] = '[';
	for (i = 0; i < n; i++)
		doc[len++] = ']';
	doc[len++] = '}';
	assert_int_equal(h14_parse(cl_deps_composer_json_parse, &list, "composer.json", doc, len), CL_EINVALID);
	assert_int_equal(h14_parse(cl_deps_composer_lock_parse, &list, "composer.lock", doc, len), CL_EINVALID);
	assert_int_equal(list.count, 0);
	free(doc);
}

static void test_wrong_types(void **state)
{
	static const char *const bad[] = {
		"[]", "\"x\"", "{\"packages\": {}}", "{\"packages\": [1]}", "{\"packages\": [{\"version\": \"1\"}]}",
		"{\"packages\": [{\"name\": \"\"}]}", "{\"packages\": [{\"name\": \"a/b\", \"require\": \"x\"}]}",
		"{\"packages\": [{\"name\": \"a/b\", \"license\": [1]}]}", "{}", "{\"packages\": [] ,",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cl_dep_list list = CL_DEP_LIST_INIT;
		int rc = h14_parse(cl_deps_composer_lock_parse, &list, "x/composer.lock", bad[i], strlen(bad[i]));

		if (rc != CL_EINVALID)
			fail_msg("'%s': rc %d", bad[i], rc);
		assert_int_equal(strncmp(cl_error_last(), "x/composer.lock:", 16), 0);
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
	memset(doc, ' ', len);
	doc[0] = '{';
	doc[len - 1] = '}';
	h14_big(cl_deps_composer_lock_parse, "huge/composer.lock", doc, len, 1.0, &rc, &count);
	assert_int_equal(rc, CL_ETOOBIG);
	assert_int_equal(strncmp(cl_error_last(), "huge/composer.lock:", 19), 0);
	free(doc);
}

/* A real-shaped lock with 20,000 packages: parse throughput. */
static void test_big_lock(void **state)
{
	struct cl_buf b = CL_BUF_INIT;
	size_t i, count;
	int rc;

	(void)state;
	assert_int_equal(cl_buf_puts(&b, "{\n    \"packages\": [\n"), 0);
	for (i = 0; i < 20000; i++)
		assert_int_equal(cl_buf_printf(&b,
			"        {\n            \"name\": \"vendor%zu/pkg%zu\",\n            \"version\": \"1.%zu.0\",\n"
			"            \"source\": {\"type\": \"git\", \"url\": \"https://github.com/vendor/pkg.git\", "
			"\"reference\": \"c915e2634718dbc8a4a15c61b0e62e7a44e14448\"},\n"
			"            \"require\": {\"php\": \">=8.1\", \"vendor%zu/pkg%zu\": \"^1.0\"},\n"
			"            \"type\": \"library\",\n            \"license\": [\"MIT\", \"Apache-2.0\"],\n"
			"            \"description\": \"A package\"\n        }%s\n",
			i, i, i, i + 1, i + 1, i + 1 < 20000 ? "," : ""), 0);
	assert_int_equal(cl_buf_puts(&b, "    ],\n    \"packages-dev\": []\n}\n"), 0);
	h14_big(cl_deps_composer_lock_parse, "big/composer.lock", b.ptr, b.size, 5.0, &rc, &count);
	assert_int_equal(rc, 0);
	assert_int_equal(count, 20000);
	cl_buf_dispose(&b);
}

static void test_conformance(void **state)
{
	struct cl_dep_list list = CL_DEP_LIST_INIT;
	char buf[1024];
	const char *dir = h14_conformance_dir(buf, sizeof(buf), "php", "composer");

	(void)state;
	if (!dir) {
		skip();
		return;
	}
	h14_parse_file(&list, cl_deps_composer_json_parse, dir, "composer.json");
	assert_int_equal(list.count, 2);
	h14_expect(&list, "monolog/monolog", "2.2.*", CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL);
	h14_expect(&list, "phpunit/phpunit", "8.5.14", CL_DEP_DIRECT, CL_DEP_DEV, NULL);
	cl_dep_list_dispose(&list);

	h14_parse_file(&list, cl_deps_composer_lock_parse, dir, "composer.lock.trimmed.json");
	assert_int_equal(list.count, 3);
	h14_expect(&list, "monolog/monolog", "2.2.0", CL_DEP_DIRECT, CL_DEP_RUNTIME, "MIT");
	h14_expect(&list, "psr/log", "1.1.3", CL_DEP_UNKNOWN, CL_DEP_RUNTIME, "MIT");
	h14_expect(&list, "phpunit/phpunit", "8.5.14", CL_DEP_DIRECT, CL_DEP_DEV, "BSD-3-Clause");
	cl_dep_list_dispose(&list);
	printf("deps conformance (composer): 2 files, 5 dependencies checked\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_big_lock),
		cmocka_unit_test(test_conformance),
	};

	/* as the program does: the Jansson parsers run in their arenas (json_arena.h) */
	cl_json_arena_install();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
