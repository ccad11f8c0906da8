/*
 * test_deps_nuget - .csproj/.fsproj/.vbproj, packages.config and
 * packages.lock.json: fixtures under tests/deps/nuget/, hostile inputs, and
 * the shared conformance corpus (../shared/conformance/deps-examples/dotnet/).
 */
#include "deps_h13_fixtures.h"
#include "deps_nuget.h"
#include "json_arena.h"

static void test_fixtures(void **state)
{
	(void)state;
	fx_run_dir("tests/deps/nuget", cl_deps_nuget_formats);
}

static void test_format_table(void **state)
{
	(void)state;
	assert_ptr_equal(fx_format_for(cl_deps_nuget_formats, "App.csproj")->parse, cl_deps_nuget_parse_project);
	assert_ptr_equal(fx_format_for(cl_deps_nuget_formats, "packages.config")->parse,
	                 cl_deps_nuget_parse_packages_config);
	assert_ptr_equal(fx_format_for(cl_deps_nuget_formats, "packages.lock.json")->parse, cl_deps_nuget_parse_lock);
	assert_true(fx_format_for(cl_deps_nuget_formats, "packages.lock.json")->lockfile);
	assert_null(fx_format_for(cl_deps_nuget_formats, "App.sln"));
}

static const struct {
	cl_dep_parse_fn parse;
	const char *input, *text;
} bad[] = {
	{ cl_deps_nuget_parse_lock, "[]", "f: expected a JSON object" },
	{ cl_deps_nuget_parse_lock, "{\"version\": \"1\", \"dependencies\": {}}", "'version' is not an integer" },
	{ cl_deps_nuget_parse_lock, "{\"version\": 1}", "'dependencies' is missing" },
	{ cl_deps_nuget_parse_lock, "{\"dependencies\": {\"net8.0\": []}}", "dependencies.'net8.0' is not an object" },
	{ cl_deps_nuget_parse_lock, "{\"dependencies\": {\"net8.0\": {\"A\": {\"type\": \"Direct\"}}}}",
	  "no resolved version" },
	{ cl_deps_nuget_parse_lock, "{\"dependencies\": {\"net8.0\": {\"A\": {\"type\": 3, \"resolved\": \"1\"}}}}",
	  "'A': expected an object" },
	{ cl_deps_nuget_parse_lock, "{\"dependencies\": {\"net8.0\": {\"A\": {\"type\": \"Direct\", \"resolved\": \"1\"}",
	  "f:1:" },
	{ cl_deps_nuget_parse_project, "<Project><ItemGroup><PackageReference Version=\"1\"/></ItemGroup></Project>",
	  "f:1: PackageReference without Include or Update" },
	{ cl_deps_nuget_parse_project, "<packages/>", "not an MSBuild 'Project'" },
	{ cl_deps_nuget_parse_project, "<Project><ItemGroup></Project>", "f:1:" },
	{ cl_deps_nuget_parse_project,
	  "<!DOCTYPE Project [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Project><ItemGroup>"
	  "<PackageReference Include=\"&x;\" Version=\"1\"/></ItemGroup></Project>", "f:1: DOCTYPE is not allowed" },
	{ cl_deps_nuget_parse_packages_config, "<Project/>", "not 'packages'" },
	{ cl_deps_nuget_parse_packages_config, "<packages><package id=\"a\" version=\"1\"></packages>", "f:1:" },
};

static void test_malformed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cl_dep_list l = CL_DEP_LIST_INIT;

		fx_sentinel(&l);
		fx_expect_failure(bad[i].parse(&l, "f", bad[i].input, strlen(bad[i].input)), "f", &l, "EINVALID",
		                  bad[i].text);
		cl_dep_list_dispose(&l);
	}
}

static void test_prefixes(void **state)
{
	static const char lock[] = "{\"version\": 2, \"dependencies\": {\"net8.0\": {\"A\": {\"type\": \"Direct\", "
	                           "\"resolved\": \"1.0.0\"}}}}";
	static const char proj[] = "<Project><ItemGroup><PackageReference Include=\"A\" Version=\"1\"/>"
	                           "</ItemGroup></Project>";
	size_t n;

	(void)state;
	for (n = 0; n <= sizeof(lock) - 1; n++) {
		struct cl_dep_list l = CL_DEP_LIST_INIT;
		char *copy = malloc(n + 1);

		assert_non_null(copy);
		memcpy(copy, lock, n);
		assert_int_equal(cl_deps_nuget_parse_lock(&l, "f", copy, n), n == sizeof(lock) - 1 ? 0 : CL_EINVALID);
		cl_dep_list_dispose(&l);
		free(copy);
	}
	for (n = 0; n <= sizeof(proj) - 1; n++) {
		struct cl_dep_list l = CL_DEP_LIST_INIT;
		char *copy = malloc(n + 1);

		assert_non_null(copy);
		memcpy(copy, proj, n);
		assert_int_equal(cl_deps_nuget_parse_project(&l, "f", copy, n), n == sizeof(proj) - 1 ? 0 : CL_EINVALID);
		cl_dep_list_dispose(&l);
		free(copy);
	}
}

static void test_hostile(void **state)
{
	struct cl_buf b;
	size_t i;
	double secs;

	(void)state;
	cl_buf_init(&b, 0);
	/* 100 MB lock file: refused by size */
	assert_int_equal(cl_buf_puts(&b, "{\"version\": 1, \"dependencies\": {\"net8.0\": {"), 0);
	for (i = 0; b.size < (size_t)100 << 20; i++)
		assert_int_equal(cl_buf_printf(&b, "\"P%zu\": {\"type\": \"Transitive\", \"resolved\": \"1.0.%zu\"},\n",
		                               i, i), 0);
	assert_int_equal(cl_buf_puts(&b, "\"Z\": {\"type\": \"Direct\", \"resolved\": \"1\"}}}}"), 0);
	assert_int_equal(fx_timed(cl_deps_nuget_parse_lock, "big.json", b.ptr, b.size, 2.0, NULL), CL_ETOOBIG);
	assert_int_equal(fx_timed(cl_deps_nuget_parse_project, "big.csproj", b.ptr, b.size, 2.0, NULL), CL_ETOOBIG);

	/* deep nesting */
	cl_buf_clear(&b);
	for (i = 0; i < 200000; i++)
		assert_int_equal(cl_buf_puts(&b, "{\"a\":["), 0);
	assert_int_equal(fx_timed(cl_deps_nuget_parse_lock, "deep.json", b.ptr, b.size, 2.0, NULL), CL_EINVALID);
	cl_buf_clear(&b);
	assert_int_equal(cl_buf_puts(&b, "<Project>"), 0);
	for (i = 0; i < 100000; i++)
		assert_int_equal(cl_buf_puts(&b, "<ItemGroup>"), 0);
	assert_int_equal(fx_timed(cl_deps_nuget_parse_project, "deep.csproj", b.ptr, b.size, 2.0, NULL), CL_EINVALID);

	/* a large lock file over three frameworks (deduplicated): throughput */
	cl_buf_clear(&b);
	assert_int_equal(cl_buf_puts(&b, "{\"version\": 1, \"dependencies\": {"), 0);
	{
		static const char *const fws[] = { "net8.0", "net6.0", "net48" };
		size_t f, per = 40000;

		for (f = 0; f < 3; f++) {
			assert_int_equal(cl_buf_printf(&b, "%s\"%s\": {", f ? "," : "", fws[f]), 0);
			for (i = 0; i < per; i++)
				assert_int_equal(cl_buf_printf(&b, "%s\n\"Company.Package%zu\": {\"type\": \"%s\", "
				                                   "\"requested\": \"[1.0.%zu, )\", \"resolved\": \"1.0.%zu\", "
				                                   "\"contentHash\": \"HrC5BXdl00IP9zeV+0Z848QWPAoCr9P3bDEZguI+g"
				                                   "kLcBKAOxix/tLEAAHC+UvDNPv4a2d18lOReHMOagPa+zQ==\", "
				                                   "\"dependencies\": {\"Serilog\": \"3.1.1\"}}",
				                               i ? "," : "", i, i % 10 ? "Transitive" : "Direct", i, i), 0);
			assert_int_equal(cl_buf_puts(&b, "}"), 0);
		}
		assert_int_equal(cl_buf_puts(&b, "}}"), 0);
		{
			struct cl_dep_list l = CL_DEP_LIST_INIT;
			double t0 = fx_now();

			assert_int_equal(cl_deps_nuget_parse_lock(&l, "many.json", b.ptr, b.size), 0);
			secs = fx_now() - t0;
			assert_int_equal(l.count, per);
			assert_int_equal(l.items[10].relation, CL_DEP_DIRECT);
			assert_int_equal(l.items[11].relation, CL_DEP_TRANSITIVE);
			cl_dep_list_dispose(&l);
		}
		print_message("packages.lock.json: %zu entries, %.1f MB in %.2fs = %.0f MB/s\n", 3 * per, b.size / 1e6,
		              secs, b.size / 1e6 / secs);
	}
	cl_buf_dispose(&b);
}

static void test_conformance(void **state)
{
	struct cl_dep_list l = CL_DEP_LIST_INIT;
	char buf[1024];
	const char *dir = fx_conformance_dir(buf, sizeof(buf), "dotnet", "nuget");
	const struct cl_dep *d;

	(void)state;
	if (!dir)
		skip();
	fx_parse_file(&l, dir, "test.csproj", cl_deps_nuget_parse_project);
	assert_int_equal(l.count, 5);
	fx_check(&l, "System.Globalization", "4.3.0", CL_DEP_DIRECT, CL_DEP_RUNTIME);
	fx_check(&l, "WebGrease", "1.5.2", CL_DEP_DIRECT, CL_DEP_BUILD);
	fx_check(&l, "System.Threading.Tasks.Extensions", "4.5.4", CL_DEP_DIRECT, CL_DEP_RUNTIME);
	d = fx_find(&l, "foobar", "1.2.3");
	assert_string_equal(d->ecosystem, "nuget");
	assert_int_equal(d->line, 8);
	cl_dep_list_dispose(&l);

	fx_parse_file(&l, dir, "packages.lock.json", cl_deps_nuget_parse_lock);
	assert_int_equal(l.count, 11);
	fx_check(&l, "BepInEx.Core", "5.4.21", CL_DEP_DIRECT, CL_DEP_RUNTIME);
	fx_check(&l, "UnityEngine.Modules", "5.6.0", CL_DEP_DIRECT, CL_DEP_RUNTIME);
	fx_check(&l, "HarmonyX", "2.7.0", CL_DEP_TRANSITIVE, CL_DEP_RUNTIME);
	fx_check(&l, "MonoMod.Utils", "21.12.13.1", CL_DEP_TRANSITIVE, CL_DEP_RUNTIME);
	assert_string_equal(l.items[0].name, "BepInEx.Analyzers");
	assert_string_equal(l.items[10].name, "MonoMod.Utils");
	cl_dep_list_dispose(&l);
	printf("deps conformance (nuget): test.csproj 5, packages.lock.json 11 (5 direct): ok\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_table),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_conformance),
	};

	/* as the program does: the Jansson parsers run in their arenas (json_arena.h) */
	cl_json_arena_install();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
