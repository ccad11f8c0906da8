/* Policy patterns: globs and re: expressions, as a table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "error.h"
#include "pattern.h"

struct match_case {
	const char *pattern;
	unsigned int flags;
	const char *subject;
	int expect;
};

static const struct match_case matches[] = {
	{ "refs/heads/*", CL_PATTERN_PATH, "refs/heads/main", 1 },
	{ "refs/heads/*", CL_PATTERN_PATH, "refs/heads/feature/x", 0 },
	{ "refs/heads/**", CL_PATTERN_PATH, "refs/heads/feature/x", 1 },
	{ "**/go.sum", CL_PATTERN_PATH, "go.sum", 1 },
	{ "**/go.sum", CL_PATTERN_PATH, "a/b/go.sum", 1 },
	{ "**/go.sum", CL_PATTERN_PATH, "a/b/xgo.sum", 0 },
	{ "vendor/**", CL_PATTERN_PATH, "vendor/a/b.c", 1 },
	{ "src/**/test.c", CL_PATTERN_PATH, "src/test.c", 1 },
	{ "src/**/test.c", CL_PATTERN_PATH, "src/a/b/test.c", 1 },
	{ "a**/x", CL_PATTERN_PATH, "abc/d/x", 1 },
	{ "?.c", CL_PATTERN_PATH, "a.c", 1 },
	{ "?.c", CL_PATTERN_PATH, "/.c", 0 },
	{ "*[bot]@users.noreply.github.com", CL_PATTERN_CASELESS,
	  "49699333+dependabot[bot]@users.noreply.github.com", 1 },
	{ "*[bot]@users.noreply.github.com", CL_PATTERN_CASELESS, "dependabot@users.noreply.github.com", 0 },
	{ "*@EXAMPLE.com", CL_PATTERN_CASELESS, "ann@example.COM", 1 },
	{ "*@EXAMPLE.com", 0, "ann@example.COM", 0 },
	{ "a\\*b", 0, "a*b", 1 },
	{ "a\\*b", 0, "axb", 0 },
	{ "re:refs/(heads|tags)/v[0-9]+", CL_PATTERN_PATH, "refs/tags/v12", 1 },
	{ "re:refs/(heads|tags)/v[0-9]+", CL_PATTERN_PATH, "refs/tags/v12x", 0 },
	/* An unbalanced ")" must not unanchor the rest of the expression. */
	{ "re:a)|(?:.*", 0, "zzz", -1 },
};

static void test_matches(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(matches) / sizeof(matches[0]); i++) {
		struct cl_pattern *p = NULL;
		int rc = cl_pattern_compile(&p, matches[i].pattern, matches[i].flags);
		if (matches[i].expect < 0) {
			if (rc != CL_EINVALID)
				fail_msg("'%s' should not compile", matches[i].pattern);
			continue;
		}
		if (rc < 0)
			fail_msg("'%s': %s", matches[i].pattern, cl_error_last());
		if (cl_pattern_match(p, matches[i].subject) != matches[i].expect)
			fail_msg("'%s' vs '%s': expected %d", matches[i].pattern, matches[i].subject,
				matches[i].expect);
		cl_pattern_free(p);
	}
}

static void test_errors(void **state)
{
	struct cl_pattern *p = NULL;
	(void)state;
	assert_int_equal(cl_pattern_compile(&p, "", 0), CL_EINVALID);
	assert_int_equal(cl_pattern_compile(&p, "abc\\", 0), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "trailing backslash at offset 3"));
	assert_int_equal(cl_pattern_compile(&p, "re:(", 0), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "at offset 4"));
	assert_null(p);
}

static void test_match_limit(void **state)
{
	struct cl_pattern *p = NULL;
	char subject[64];
	(void)state;
	/* Catastrophic backtracking ends at the match limit, as an error. */
	assert_int_equal(cl_pattern_compile(&p, "re:(a+)+$", 0), 0);
	memset(subject, 'a', sizeof(subject) - 2);
	subject[sizeof(subject) - 2] = 'b';
	subject[sizeof(subject) - 1] = '\0';
	assert_true(cl_pattern_match(p, subject) < 0);
	cl_pattern_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_match_limit),
	};
	return cmocka_run_group_tests_name("pattern", tests, NULL, NULL);
}
