/*
 * .gitmodules (lib/deps_git.c).
 *
 * 1. Fixtures under tests/deps/git/ (see deps_h14_fixtures.h), each input
 *    also parsed from every prefix.
 * 2. Gitlink commits through the callback of cl_deps_gitmodules_parse_ext:
 *    found, not found (no version), and a failing lookup (passed up, list
 *    untouched).
 * 3. Hostile input: a generated 100 MB file (over the cap), a large file of
 *    many sections (throughput, no quadratic merge), junk bytes.
 * 4. Conformance over ../shared/conformance/deps-examples/git/ (every
 *    .gitmodules found there; the directory may be empty).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "deps_git.h"
#include "deps_h14_fixtures.h"

static void test_fixtures(void **state)
{
	(void)state;
	assert_true(h14_run_fixtures("git", cl_deps_git_formats) >= 5);
}

static int lookup(const char **out, const char *sub_path, void *payload)
{
	int *calls = payload;

	(*calls)++;
	if (strcmp(sub_path, "include/foo") == 0) {
		*out = "0123456789abcdef0123456789abcdef01234567";
		return 0;
	}
	if (strcmp(sub_path, "broken") == 0)
		return cl_error_set("cannot read tree");
	return cl_error_setc(CL_ENOTFOUND, "no gitlink at '%s'", sub_path);
}

static void test_gitlinks(void **state)
{
	static const char doc[] = "[submodule \"libfoo\"]\n\tpath = include/foo\n\turl = git://foo.com/lib.git\n"
				  "[submodule \"libbar\"]\n\tpath = include/bar\n\turl = git://bar.com/lib.git\n";
	static const char bad[] = "[submodule \"x\"]\n\tpath = broken\n\turl = u\n";
	struct cl_dep_list list = CL_DEP_LIST_INIT;
	int calls = 0;

	(void)state;
	assert_int_equal(cl_deps_gitmodules_parse_ext(&list, ".gitmodules", doc, sizeof(doc) - 1, lookup, &calls), 0);
	assert_int_equal(calls, 2);
	assert_int_equal(list.count, 2);
	h14_expect(&list, "git://foo.com/lib.git", "0123456789abcdef0123456789abcdef01234567", CL_DEP_DIRECT,
		   CL_DEP_RUNTIME, NULL);
	h14_expect(&list, "git://bar.com/lib.git", NULL, CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL);
	assert_int_equal(cl_deps_gitmodules_parse_ext(&list, ".gitmodules", bad, sizeof(bad) - 1, lookup, &calls),
			 CL_ERROR);
	assert_string_equal(cl_error_last(), "cannot read tree");
	assert_int_equal(list.count, 2);
	cl_dep_list_dispose(&list);
}

static void test_junk(void **state)
{
	static const char *const bad[] = {
		"[submodule \"a\"]\n\tpath = a\\q\n", "[ submodule]\n", "[submodule \"a\"\n", "[submodule \"a\"]]\n",
		"[s]\n\tkey value\n", "[s]\n\t=x\n", "[s]\n\tk = a\\", "\x01", "[s]\n\tk = a\0b\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cl_dep_list list = CL_DEP_LIST_INIT;
		size_t len = i == 8 ? 13 : strlen(bad[i]);
		int rc = h14_parse(cl_deps_gitmodules_parse, &list, "m/.gitmodules", bad[i], len);

		if (rc != CL_EINVALID)
			fail_msg("case %zu: rc %d", i, rc);
		assert_int_equal(strncmp(cl_error_last(), "m/.gitmodules:", 14), 0);
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
	h14_big(cl_deps_gitmodules_parse, "huge/.gitmodules", doc, len, 1.0, &rc, &count);
	assert_int_equal(rc, CL_ETOOBIG);
	free(doc);
}

static void test_big(void **state)
{
	struct cl_buf b = CL_BUF_INIT;
	size_t i, count, n = 200000;
	int rc;

	(void)state;
	for (i = 0; i < n; i++)
		assert_int_equal(cl_buf_printf(&b, "[submodule \"lib%zu\"]\n\tpath = third_party/lib%zu\n"
					       "\turl = https://github.com/acme/lib%zu.git\n\tbranch = main\n", i, i, i), 0);
	/* the same sections again: merges must stay linear */
	for (i = 0; i < n; i++)
		assert_int_equal(cl_buf_printf(&b, "[submodule \"lib%zu\"]\n\tbranch = stable\n", i), 0);
	h14_big(cl_deps_gitmodules_parse, "big/.gitmodules", b.ptr, b.size, 5.0, &rc, &count);
	assert_int_equal(rc, 0);
	assert_int_equal(count, n);
	cl_buf_dispose(&b);
}

static void test_conformance(void **state)
{
	char buf[1024], file[1200];
	const char *dir = h14_conformance_dir(buf, sizeof(buf), "git", "git");
	struct cl_dep_list list = CL_DEP_LIST_INIT;
	struct stat st;

	(void)state;
	if (!dir) {
		skip();
		return;
	}
	snprintf(file, sizeof(file), "%s/.gitmodules", dir);
	if (stat(file, &st) != 0) {
		printf("deps conformance (git): SKIPPED: no .gitmodules in %s\n", dir);
		skip();
		return;
	}
	h14_parse_file(&list, cl_deps_gitmodules_parse, dir, ".gitmodules");
	/* google/deps.dev .gitmodules @ 133c155c: one submodule */
	assert_int_equal(list.count, 1);
	h14_expect(&list, "https://github.com/googleapis/googleapis", NULL, CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL);
	assert_string_equal(list.items[0].ecosystem, "gitsubmodule");
	assert_int_equal(list.items[0].line, 1);
	printf("deps conformance (git): 1 file, %zu submodule checked\n", list.count);
	cl_dep_list_dispose(&list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_gitlinks),
		cmocka_unit_test(test_junk),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_big),
		cmocka_unit_test(test_conformance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
