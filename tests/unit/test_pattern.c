/* Policy patterns: globs and re: expressions, as a table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "error.h"
#include "pattern.h"
#include "pattern_priv.h"

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

/*
 * Globs run as a program on printable-ASCII subjects and through PCRE2
 * otherwise: on every subject the two must agree. Every glob against every
 * subject, with and without CL_PATTERN_PATH.
 */
static const char *const agree_globs[] = {
	"**.png", "**.min.js", "**/vendor/**", "vendor/**", "LICENSE", "LICENSE.*", "**/LICENSE.*",
	"**/go.sum", "go.sum", "src/**/test.c", "a**/x", "**", "*", "?", "?.c", "*/*", "a*b*c",
	"**/", "a/**/", "**/**/x", "a/**/b/**/c", "x**", "**x", "*.c", "src/*.c", "a\\*b",
	"a\\?", "**a**a**a**b", "*a*a*a*a*a*b", "docs/**/*.md", "**/a?c/**", "a/**b", "a**/",
	"/**", "**//x", "a?/b", "???", "**/*.license", ".reuse/dep5",
};

static const char *const agree_subjects[] = {
	"", "a", "x", "a.c", "/.c", "ab.c", "a/b.c", "src/a.c", "src/a/b.c", "src/test.c",
	"src/a/b/test.c", "vendor", "vendor/", "vendor/a", "a/vendor/b/c.png", "xvendor/a",
	"LICENSE", "LICENSE.txt", "a/LICENSE.md", "a/LICENSE.d/x", "go.sum", "a/go.sum", "ago.sum",
	"x.png", "a/b/x.png", "a/b/x.png/y", "abc", "abc/d/x", "a/x", "a/b/x", "//x", "a//x",
	"a*b", "axb", "a?", "ab", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "aaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	"docs/a/b.md", "docs/b.md", "q/abc/r", "abc/", "a/b", "a/bb", "a/", "/", "/x", "x/", "a/x/",
	"b/c/x", "a/b/b/c", "a/b/c", "a/b/x/b/y/c", "f.json.license", "a/b.license", ".reuse/dep5",
	"a\\b", "sp ace/x.c", "~!@#$%^&()_+{}|:<>", "a.min.js", "x/a.min.js",
	/* outside the fast path: PCRE2 answers both times */
	"a\nb", "caf\xc3\xa9.png", "\xff.png", "a\tb",
};

static void test_program_agrees_with_pcre(void **state)
{
	static const unsigned int flags[] = { 0, CL_PATTERN_PATH };
	size_t g, s, f, programs = 0;
	(void)state;
	for (f = 0; f < sizeof(flags) / sizeof(flags[0]); f++) {
		for (g = 0; g < sizeof(agree_globs) / sizeof(agree_globs[0]); g++) {
			struct cl_pattern *p = NULL;
			if (cl_pattern_compile(&p, agree_globs[g], flags[f]) < 0)
				fail_msg("'%s': %s", agree_globs[g], cl_error_last());
			programs += (size_t)cl_pattern__has_program(p);
			for (s = 0; s < sizeof(agree_subjects) / sizeof(agree_subjects[0]); s++) {
				int fast = cl_pattern_match(p, agree_subjects[s]);
				int ref = cl_pattern__match_pcre(p, agree_subjects[s]);
				if (fast != ref)
					fail_msg("'%s' (flags %u) vs '%s': program %d, PCRE2 %d", agree_globs[g],
						flags[f], agree_subjects[s], fast, ref);
			}
			cl_pattern_free(p);
		}
	}
	assert_int_equal(programs, 2 * sizeof(agree_globs) / sizeof(agree_globs[0]));
}

/* An index of a list answers as the list does, whatever the list holds. */
static void test_index_agrees_with_list(void **state)
{
	static const char *const extra[] = { "re:a.*", "*@EXAMPLE.com" };
	size_t n, s, e;
	(void)state;
	for (e = 0; e <= sizeof(extra) / sizeof(extra[0]); e++) {
		/* Growing prefixes of the globs, with one PCRE2-only pattern or none. */
		for (n = 0; n <= sizeof(agree_globs) / sizeof(agree_globs[0]); n += 7) {
			struct cl_pattern_list list = CL_PATTERN_LIST_INIT;
			struct cl_pattern_index *idx = NULL;
			size_t g;
			for (g = 0; g < n; g++)
				assert_int_equal(cl_pattern_list_add(&list, agree_globs[g], CL_PATTERN_PATH), 0);
			if (e < sizeof(extra) / sizeof(extra[0]))
				assert_int_equal(cl_pattern_list_add(&list, extra[e],
					e == 1 ? CL_PATTERN_CASELESS : 0), 0);
			assert_int_equal(cl_pattern_index_new(&idx, &list), 0);
			for (s = 0; s < sizeof(agree_subjects) / sizeof(agree_subjects[0]); s++) {
				int want = cl_pattern_list_match(&list, agree_subjects[s]);
				int got = cl_pattern_index_match(idx, agree_subjects[s]);
				if (got != want)
					fail_msg("%zu globs (+%zu) vs '%s': index %d, list %d", n, e,
						agree_subjects[s], got, want);
			}
			cl_pattern_index_free(idx);
			cl_pattern_list_dispose(&list);
		}
	}
}

static void test_no_program(void **state)
{
	struct cl_pattern *p = NULL;
	(void)state;
	/* Expressions and caseless globs are PCRE2's alone. */
	assert_int_equal(cl_pattern_compile(&p, "re:a.*", CL_PATTERN_PATH), 0);
	assert_int_equal(cl_pattern__has_program(p), 0);
	cl_pattern_free(p);
	assert_int_equal(cl_pattern_compile(&p, "*@example.com", CL_PATTERN_CASELESS), 0);
	assert_int_equal(cl_pattern__has_program(p), 0);
	cl_pattern_free(p);
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
		cmocka_unit_test(test_program_agrees_with_pcre),
		cmocka_unit_test(test_index_agrees_with_list),
		cmocka_unit_test(test_no_program),
		cmocka_unit_test(test_match_limit),
	};
	return cmocka_run_group_tests_name("pattern", tests, NULL, NULL);
}
