/*
 * vcpkg.json and conanfile.txt (lib/deps_cpp.c).
 *
 * 1. Fixtures under tests/deps/cpp/ (see deps_h14_fixtures.h), each input
 *    also parsed from every prefix.
 * 2. Hostile input: deep nesting, generated 100 MB files (over the cap),
 *    a generated large conanfile.txt (throughput), wrong types.
 * 3. Conformance over ../shared/conformance/deps-examples/cpp/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "deps_cpp.h"
#include "deps_h14_fixtures.h"

static void test_fixtures(void **state)
{
	(void)state;
	assert_true(h14_run_fixtures("cpp", cl_deps_cpp_formats) >= 6);
}

static void test_deep_nesting(void **state)
{
	size_t n = 100000, i, len = 0;
	char *doc = malloc(2 * n + 32);
	struct cl_dep_list list = CL_DEP_LIST_INIT;

	(void)state;
	assert_non_null(doc);
	len += (size_t)snprintf(doc, 32, "{\"dependencies\":");
	for (i = 0; i < n; i++)
		doc[len++] = '[';
	for (i = 0; i < n; i++)
		doc[len++] = ']';
	doc[len++] = '}';
	assert_int_equal(h14_parse(cl_deps_vcpkg_parse, &list, "vcpkg.json", doc, len), CL_EINVALID);
	assert_int_equal(list.count, 0);
	free(doc);
}

static void test_bad_conan(void **state)
{
	static const char *const bad[] = {
		"[requires]\nzlib\n", "[requires]\n/1.0\n", "[requires]\nzlib/\n", "[requires]\nzlib/1.0 extra\n",
		"[requires]\nzlib/[>1.0\n", "[requires]\nzlib/1.0@user/\n", "[requires]\nzlib/1.0#\n",
		"[requires\nzlib/1.0\n", "[]\n", "[requires]\nzl\0ib/1.0\n", "[requires]\nzlib/1.0@/x\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cl_dep_list list = CL_DEP_LIST_INIT;
		size_t len = strlen(bad[i]);
		int rc;

		if (i == 9)
			len = 21;
		rc = h14_parse(cl_deps_conanfile_parse, &list, "c/conanfile.txt", bad[i], len);
		if (rc != CL_EINVALID)
			fail_msg("case %zu: rc %d", i, rc);
		assert_int_equal(strncmp(cl_error_last(), "c/conanfile.txt:", 16), 0);
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
	h14_big(cl_deps_conanfile_parse, "huge/conanfile.txt", doc, len, 1.0, &rc, &count);
	assert_int_equal(rc, CL_ETOOBIG);
	h14_big(cl_deps_vcpkg_parse, "huge/vcpkg.json", doc, len, 1.0, &rc, &count);
	assert_int_equal(rc, CL_ETOOBIG);
	free(doc);
}

static void test_big(void **state)
{
	struct cl_buf b = CL_BUF_INIT;
	size_t i, count;
	int rc;

	(void)state;
	assert_int_equal(cl_buf_puts(&b, "[requires]\n"), 0);
	for (i = 0; i < 400000; i++)
		assert_int_equal(cl_buf_printf(&b, "package%zu/1.%zu.3@user/stable#0123456789abcdef\n", i, i), 0);
	h14_big(cl_deps_conanfile_parse, "big/conanfile.txt", b.ptr, b.size, 5.0, &rc, &count);
	assert_int_equal(rc, 0);
	assert_int_equal(count, 400000);
	cl_buf_clear(&b);
	assert_int_equal(cl_buf_puts(&b, "{\"dependencies\": [\n"), 0);
	for (i = 0; i < 100000; i++)
		assert_int_equal(cl_buf_printf(&b, "  {\"name\": \"port%zu\", \"version>=\": \"1.%zu\", \"host\": %s},\n",
					       i, i, i % 2 ? "true" : "false"), 0);
	assert_int_equal(cl_buf_puts(&b, "  \"last\"\n]}\n"), 0);
	h14_big(cl_deps_vcpkg_parse, "big/vcpkg.json", b.ptr, b.size, 5.0, &rc, &count);
	assert_int_equal(rc, 0);
	assert_int_equal(count, 100001);
	cl_buf_dispose(&b);
}

static void test_conformance(void **state)
{
	struct cl_dep_list list = CL_DEP_LIST_INIT;
	char buf[1024];
	const char *dir = h14_conformance_dir(buf, sizeof(buf), "cpp", "cpp");

	(void)state;
	if (!dir) {
		skip();
		return;
	}
	h14_parse_file(&list, cl_deps_vcpkg_parse, dir, "vcpkg.json");
	assert_int_equal(list.count, 2);
	/* the override pins fmt below its "version>=" floor: vcpkg resolves 6.0.0 */
	h14_expect(&list, "fmt", "6.0.0", CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL);
	h14_expect(&list, "zlib", ">=1.2.11#7", CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL);
	cl_dep_list_dispose(&list);

	h14_parse_file(&list, cl_deps_conanfile_parse, dir, "conanfile.txt");
	assert_int_equal(list.count, 3);
	h14_expect(&list, "libxslt", "1.1.34", CL_DEP_DIRECT, CL_DEP_BUILD, NULL);
	h14_expect(&list, "libcurl", "7.85.0", CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL);
	h14_expect(&list, "zlib", "1.2.13", CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL);
	assert_int_equal(h14_find(&list, "zlib")->line, 8);
	cl_dep_list_dispose(&list);
	printf("deps conformance (cpp): 2 files, 5 dependencies checked\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_bad_conan),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_big),
		cmocka_unit_test(test_conformance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
