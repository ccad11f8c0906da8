/*
 * Package URLs of dependencies (lib/purl.c): one table of
 * {ecosystem, name, version} -> expected purl, and one of names that have
 * no purl.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "buf.h"
#include "deps.h"
#include "error.h"
#include "purl.h"

#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void test_table(void **state)
{
	static const struct {
		const char *eco, *name, *version, *purl;
	} cases[] = {
		{ "npm", "left-pad", "1.3.0", "pkg:npm/left-pad@1.3.0" },
		{ "npm", "@babel/core", "7.24.0", "pkg:npm/%40babel/core@7.24.0" },
		{ "npm", "@scope/name", "1.0.0", "pkg:npm/%40scope/name@1.0.0" },
		{ "npm", "left-pad", "^1.3.0", "pkg:npm/left-pad" },          /* a range is no version */
		{ "npm", "left-pad", NULL, "pkg:npm/left-pad" },
		{ "maven", "org.apache.commons:commons-lang3", "3.14.0",
		  "pkg:maven/org.apache.commons/commons-lang3@3.14.0" },
		{ "maven", "g:a", "[1.0,2.0)", "pkg:maven/g/a" },
		{ "golang", "github.com/google/uuid", "v1.6.0", "pkg:golang/github.com/google/uuid@v1.6.0" },
		{ "golang", "golang.org/x/text", "v0.14.0", "pkg:golang/golang.org/x/text@v0.14.0" },
		{ "golang", "github.com/Azure/go-autorest", "v0.0.0-20240101-abcdef",
		  "pkg:golang/github.com/Azure/go-autorest@v0.0.0-20240101-abcdef" },
		{ "pypi", "Django_Rest.Framework", "3.15.1", "pkg:pypi/django-rest-framework@3.15.1" },
		{ "pypi", "requests", "==2.31.0", "pkg:pypi/requests" },
		{ "cargo", "serde", "1.0.197", "pkg:cargo/serde@1.0.197" },
		{ "gem", "rails", "7.1.3", "pkg:gem/rails@7.1.3" },
		{ "gem", "rails", "~> 7.1", "pkg:gem/rails" },
		{ "composer", "Laravel/Framework", "v10.0.0", "pkg:composer/laravel/framework@v10.0.0" },
		{ "nuget", "Newtonsoft.Json", "13.0.3", "pkg:nuget/Newtonsoft.Json@13.0.3" },
		{ "conan", "zlib", "1.3.1", "pkg:conan/zlib@1.3.1" },
		{ "vcpkg", "fmt", "10.2.1", "pkg:generic/fmt@10.2.1" },
		{ "githubactions", "actions/checkout", "v4", "pkg:github/actions/checkout@v4" },
		{ "githubactions", "GitHub/CodeQL-Action/init", "v3", "pkg:github/github/codeql-action@v3#init" },
		{ "githubactions", "owner/repo/.github/workflows/ci.yml", "main",
		  "pkg:github/owner/repo@main#.github/workflows/ci.yml" },
		{ "docker", "alpine", "3.19", "pkg:docker/alpine@3.19" },
		{ "docker", "ghcr.io/owner/img", "sha256:abc", "pkg:docker/owner/img@sha256:abc?repository_url=ghcr.io" },
		{ "gitsubmodule", "https://github.com/Owner/Repo.git", "0123abcd",
		  "pkg:github/owner/repo@0123abcd" },
		{ "gitsubmodule", "https://git.example.org/libs/foo.git", "0123abcd",
		  "pkg:generic/foo@0123abcd?vcs_url=https:%2F%2Fgit.example.org%2Flibs%2Ffoo.git" },
		/* Characters the spec wants encoded: '+', space-free unicode, '@', '/' in a name. */
		{ "cargo", "foo", "1.0.0+build.5", "pkg:cargo/foo@1.0.0%2Bbuild.5" },
		{ "nuget", "Caf\xc3\xa9", "1.0", "pkg:nuget/Caf%C3%A9@1.0" },
		{ "gem", "a@b/c", "1", "pkg:gem/a%40b%2Fc@1" },
		{ "golang", "example.com//a%b/", "v1", "pkg:golang/example.com/a%25b@v1" },
		{ "maven", "g:a:b", "1?x#y", "pkg:maven/g/a:b@1%3Fx%23y" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		struct cl_buf out = CL_BUF_INIT;
		struct cl_dep dep;
		int rc;

		memset(&dep, 0, sizeof(dep));
		dep.ecosystem = cases[i].eco;
		dep.name = cases[i].name;
		dep.version = cases[i].version;
		rc = cl_purl_from_dep(&out, &dep);
		if (rc != 0 || strcmp(cl_buf_cstr(&out), cases[i].purl))
			fail_msg("case %zu (%s %s): rc %d, got '%s', expected '%s' (%s)", i, cases[i].eco,
				cases[i].name, rc, cl_buf_cstr(&out), cases[i].purl, cl_error_last());
		cl_buf_dispose(&out);
	}
}

static void test_invalid(void **state)
{
	static const struct {
		const char *eco, *name;
	} cases[] = {
		{ "unknown-eco", "x" },
		{ "maven", "no-colon" },
		{ "maven", ":artifact" },
		{ "npm", "@scope/" },
		{ "npm", "" },
		{ "githubactions", "owner-only" },
		{ "golang", "///" },
		{ "docker", "ghcr.io/" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		struct cl_buf out = CL_BUF_INIT;
		struct cl_dep dep;
		int rc;

		memset(&dep, 0, sizeof(dep));
		dep.ecosystem = cases[i].eco;
		dep.name = cases[i].name;
		dep.version = "1.0";
		rc = cl_purl_from_dep(&out, &dep);
		if (rc != CL_EINVALID || !*cl_error_last())
			fail_msg("case %zu (%s '%s'): rc %d, expected CL_EINVALID with a message", i,
				cases[i].eco, cases[i].name, rc);
		cl_error_clear();
		cl_buf_dispose(&out);
	}
}

/* The cap of the caller's buffer holds: a purl longer than it fails cleanly. */
static void test_cap(void **state)
{
	struct cl_buf out;
	struct cl_dep dep;

	(void)state;
	cl_buf_init(&out, 16);
	memset(&dep, 0, sizeof(dep));
	dep.ecosystem = "npm";
	dep.name = "a-rather-long-package-name";
	dep.version = "1.0.0";
	assert_int_equal(cl_purl_from_dep(&out, &dep), CL_ETOOBIG);
	cl_buf_dispose(&out);
	cl_error_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
