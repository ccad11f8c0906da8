/*
 * The go.mod parser (lib/deps_go.c).
 *
 * 1. Fixtures under tests/deps/go/ (see deps_h12_fixtures.h for the
 *    layout): expected results and expected failures.
 * 2. Every fixture cut at every length.
 * 3. Hostile input: 100 MB (over the cap: fails fast), a 40 MB valid file
 *    (linear time; prints the throughput), very long lines, NUL bytes.
 * 4. Conformance over ../shared/conformance/deps-examples/go/.
 */
#include "deps_h12_fixtures.h"
#include "deps_go.h"

static void test_fixtures(void **state)
{
	(void)state;
	assert_true(fx_run_dir(cl_deps_go_formats, "tests/deps/go", 0) >= 5);
}

static void test_truncated(void **state)
{
	(void)state;
	fx_run_dir(cl_deps_go_formats, "tests/deps/go", 1);
}

static void test_big(void **state)
{
	struct cl_buf b;
	double dt;

	(void)state;
	fx_build(&b, (size_t)100 << 20, "module x\n\nrequire (\n", "\texample.com/m%u v1.0.0 // indirect\n", ")\n");
	dt = fx_time_parse(cl_deps_gomod_parse, "go.mod", &b, CL_ETOOBIG);
	assert_true(dt < 1.0);
	cl_buf_dispose(&b);

	fx_build(&b, (size_t)40 << 20, "module x\n\nrequire (\n", "\texample.com/m%u v1.0.0 // indirect\n", ")\n");
	dt = fx_time_parse(cl_deps_gomod_parse, "go.mod", &b, 0);
	printf("go.mod: %.1f MB in %.3f s: %.0f MB/s\n", b.size / 1e6, dt, b.size / 1e6 / dt);
	assert_true(dt < 20.0);
	cl_buf_dispose(&b);

	/* One 8 MB line of one token, then one of many: bounded, no quadratic scan. */
	fx_build(&b, (size_t)8 << 20, "require example.com/", "a%u", " v1.0.0\n");
	dt = fx_time_parse(cl_deps_gomod_parse, "go.mod", &b, 0);
	assert_true(dt < 5.0);
	cl_buf_dispose(&b);
	fx_build(&b, (size_t)8 << 20, "require", " a%u", "\n");
	dt = fx_time_parse(cl_deps_gomod_parse, "go.mod", &b, CL_EINVALID);
	assert_true(dt < 5.0);
	cl_buf_dispose(&b);
}

static void test_hostile(void **state)
{
	static const struct {
		const char *doc, *msg;
	} bad[] = {
		{ "require a v1\0", "go.mod:1:1: NUL byte" },
		{ "require (\n\ta v1.0.0\n", "go.mod:1:1: block not closed" },
		{ "require \"a v1.0.0\n", "go.mod:1:9: unterminated quoted string" },
		{ ")\n", "go.mod:1:1: unknown directive ')'" },
		{ "require ((\n", "go.mod:1:1: misplaced '('" },
		{ "replace a => b\n", "go.mod:1:1: replacement without a version" },
		{ "require a\n", "go.mod:1:1: usage: require" },
		{ "require (\n)\n)\n", "go.mod:3:1: unknown directive ')'" },
		{ "module (\n", "go.mod:1:1: misplaced '('" },
		{ "require a v\317.0\n", "go.mod:1:12: invalid UTF-8" },
		{ "require a v1.0.0\nreplace a v\355\240\200 => b v2\n", "go.mod:2:12: invalid UTF-8" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < FX_COUNT(bad); i++) {
		struct cl_dep_list out = CL_DEP_LIST_INIT;
		size_t len = strlen(bad[i].doc) + (i == 0 ? 1 : 0);
		int rc = fx_parse_checked(cl_deps_gomod_parse, &out, "go.mod", bad[i].doc, len);
		if (rc != CL_EINVALID || !strstr(cl_error_last(), bad[i].msg))
			fail_msg("case %zu: rc %d, message '%s', expected '%s'", i, rc, cl_error_last(), bad[i].msg);
		cl_dep_list_dispose(&out);
	}
}

static void test_conformance(void **state)
{
	static const struct fx_conf cases[] = {
		{ "go.mod", cl_deps_gomod_parse, 4, {
			"golang\tgithub.com/fatih/color\tv1.13.0\tdirect\truntime\t-",
			"golang\tgithub.com/mattn/go-colorable\tv0.1.12\ttransitive\truntime\t-",
			"golang\tgolang.org/x/sys\tv0.0.0-20220610221304-9f5ed59c137d\ttransitive\truntime\t-",
			NULL } },
		{ "go.local-replace.mod", cl_deps_gomod_parse, 7, {
			"golang\tgithub.com/fatih/color\tv1.15.0\tdirect\truntime\t-",
			"golang\tgithub.com/oss-review-toolkit/ort/utils\t-\tdirect\truntime\t-",
			"golang\tgithub.com/google/uuid\tv1.0.0\ttransitive\truntime\t-",
			"golang\tgolang.org/x/sys\tv0.6.0\ttransitive\truntime\t-",
			NULL } },
	};

	(void)state;
	fx_conformance(cases, FX_COUNT(cases), "go", "go");
}

static void test_formats_table(void **state)
{
	(void)state;
	assert_string_equal(cl_deps_go_formats[0].match, "go.mod");
	assert_null(cl_deps_go_formats[1].name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_big),
		cmocka_unit_test(test_conformance),
		cmocka_unit_test(test_formats_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
