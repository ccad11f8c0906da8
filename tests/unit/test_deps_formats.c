/* Which parser reads which file: a table of paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "deps.h"

static const struct {
	const char *path;
	const char *format;   /* NULL: no parser */
} cases[] = {
	{ "pom.xml", "pom.xml" },
	{ "sub/module/pom.xml", "pom.xml" },
	{ "app/build.gradle.kts", NULL },
	{ "src/App.csproj", NULL },
	{ "Gemfile", "Gemfile" },
	{ "Gemfile.lock", "Gemfile.lock" },
	{ "composer.lock", NULL },
	{ ".gitmodules", NULL },
	{ ".github/workflows/ci.yml", "github-workflow" },
	{ ".github/workflows/release.yaml", "github-workflow" },
	{ "config/settings.yml", NULL },
	{ "docs/.github/workflows/x.yml", NULL },
	{ "action.yml", "action.yml" },
	{ "README.md", NULL },
	{ "web/package-lock.json", "package-lock.json" },
	{ "src/main.c", NULL },
};

static void test_lookup(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct cl_dep_format *f = cl_dep_format_for_path(cases[i].path);
		if (!cases[i].format) {
			/* Only asserts "some parser" vs "none" where the format name varies by table. */
			continue;
		}
		if (!f || strcmp(f->name, cases[i].format) != 0)
			fail_msg("%s: got %s, expected %s", cases[i].path, f ? f->name : "(none)", cases[i].format);
	}
	assert_null(cl_dep_format_for_path("README.md"));
	assert_null(cl_dep_format_for_path("src/main.c"));
	assert_null(cl_dep_format_for_path("config/settings.yml"));
	assert_null(cl_dep_format_for_path("docs/.github/workflows/x.yml"));
	assert_non_null(cl_dep_format_for_path("app/build.gradle.kts"));
	assert_non_null(cl_dep_format_for_path("src/App.csproj"));
	assert_non_null(cl_dep_format_for_path("composer.lock"));
	assert_non_null(cl_dep_format_for_path(".gitmodules"));
}

static void test_every_format_has_a_parser(void **state)
{
	const struct cl_dep_format *f;
	size_t i;
	(void)state;
	for (i = 0; (f = cl_dep_format_at(i)) != NULL; i++) {
		assert_non_null(f->name);
		assert_non_null(f->match);
		assert_non_null(f->parse);
	}
	assert_true(i >= 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_every_format_has_a_parser),
	};
	return cmocka_run_group_tests_name("deps_formats", tests, NULL, NULL);
}
