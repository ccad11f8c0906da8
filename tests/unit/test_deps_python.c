/*
 * The Python parsers (lib/deps_python.c): requirements*.txt,
 * pyproject.toml, Pipfile, poetry.lock, Pipfile.lock, uv.lock.
 *
 * 1. Fixtures under tests/deps/python/ (see deps_h12_fixtures.h for the
 *    layout): expected results and expected failures.
 * 2. Every fixture cut at every length.
 * 3. The include list of a requirements file; PEP 503 names; PEP 508
 *    edge cases as a table.
 * 4. Hostile input: 100 MB (over the cap: fails fast), deep nesting,
 *    wrong types; big lock files in linear time (prints MB/s).
 * 5. Conformance over ../shared/conformance/deps-examples/python/.
 */
#include "deps_h12_fixtures.h"
#include "deps_python.h"
#include "json_arena.h"

static void test_fixtures(void **state)
{
	(void)state;
	assert_true(fx_run_dir(cl_deps_python_formats, "tests/deps/python", 0) >= 14);
}

static void test_truncated(void **state)
{
	(void)state;
	fx_run_dir(cl_deps_python_formats, "tests/deps/python", 1);
}

static void test_includes(void **state)
{
	struct cl_deps_include_list incs = CL_DEPS_INCLUDE_LIST_INIT;
	struct cl_buf data;

	(void)state;
	assert_int_equal(fx_read(&data, "tests/deps/python/requirements/requirements.txt"), 0);
	assert_int_equal(cl_deps_requirements_includes(&incs, "requirements.txt", data.ptr, data.size), 0);
	assert_int_equal(incs.count, 2);
	assert_string_equal(incs.items[0].path, "requirements-dev.txt");
	assert_int_equal(incs.items[0].constraint, 0);
	assert_int_equal(incs.items[0].line, 16);
	assert_string_equal(incs.items[1].path, "constraints.txt");
	assert_int_equal(incs.items[1].constraint, 1);
	assert_int_equal(incs.items[1].line, 17);
	/* A malformed file leaves the list alone. */
	assert_int_equal(cl_deps_requirements_includes(&incs, "r.txt", "-r\n", 3), CL_EINVALID);
	assert_string_equal(cl_error_last(), "r.txt:1:1: option '-r' needs a file");
	assert_int_equal(incs.count, 2);
	assert_int_equal(cl_deps_requirements_includes(&incs, "r.txt", "-c c.txt\n-r a.txt\n--what\n", 24),
			 CL_EINVALID);
	assert_int_equal(incs.count, 2);
	assert_int_equal(cl_deps_requirements_includes(&incs, "r.txt", "--requirement=base.txt\n", 23), 0);
	assert_int_equal(incs.count, 3);
	assert_string_equal(incs.items[2].path, "base.txt");
	cl_deps_include_list_dispose(&incs);
	cl_buf_dispose(&data);
}

static void test_normalize(void **state)
{
	static const char *const cases[][2] = {
		{ "Django", "django" }, { "zope.interface", "zope-interface" }, { "A__B--C..d", "a-b-c-d" },
		{ "Flask_SQLAlchemy", "flask-sqlalchemy" }, { "x", "x" }, { "a-_.b", "a-b" },
	};
	char buf[64];
	size_t i;

	(void)state;
	for (i = 0; i < FX_COUNT(cases); i++) {
		snprintf(buf, sizeof(buf), "%s", cases[i][0]);
		cl_deps_pypi_normalize(buf);
		assert_string_equal(buf, cases[i][1]);
	}
}

/* One requirements line: the expected dependency ("name\tversion") or "" for none, or an error. */
static void test_pep508(void **state)
{
	static const struct {
		const char *line, *want;
		int rc;
	} cases[] = {
		{ "name", "name\t-", 0 },
		{ "name[quux, strange];python_version<'2.7' and platform_version=='2'", "name\t-", 0 },
		{ "name[extra]>=1.0,<2 ; extra == 'x'", "name\t>=1.0,<2", 0 },
		{ "name @ file:///localbuilds/pip-1.3.1.zip ; python_version < '3'", "name\t-", 0 },
		{ "name (>=1.0, !=1.5)", "name\t>=1.0,!=1.5", 0 },
		{ "A.B-C_D===1.0+local", "a-b-c-d\t===1.0+local", 0 },
		{ "pkg==1.0 --hash=sha256:abc --hash sha256:def", "pkg\t==1.0", 0 },
		{ "pkg==1.0 --global-option=x", "pkg\t==1.0", 0 },
		{ "pkg # comment # more", "pkg\t-", 0 },
		{ "pkg#notacomment", NULL, CL_EINVALID },
		{ "git+https://github.com/pypa/pip#egg=pip", "", 0 },
		{ "file:../dist/pkg.tar.gz", "", 0 },
		{ "-e ./local", "", 0 },
		{ "--editable=git+https://example.com/x.git", "", 0 },
		{ "--pre", "", 0 },
		{ "--index-url", NULL, CL_EINVALID },
		{ "name 1.0", NULL, CL_EINVALID },
		{ "name[extra", NULL, CL_EINVALID },
		{ "name (>=1", NULL, CL_EINVALID },
		{ "name @ ", NULL, CL_EINVALID },
		{ "-name", NULL, CL_EINVALID },
		{ "name-", NULL, CL_EINVALID },
		{ "name==1 --unknown", NULL, CL_EINVALID },
		{ "name==1 ) x", NULL, CL_EINVALID },
	};
	size_t i;

	(void)state;
	for (i = 0; i < FX_COUNT(cases); i++) {
		struct cl_dep_list out = CL_DEP_LIST_INIT;
		char got[256];
		int rc = fx_parse_checked(cl_deps_requirements_parse, &out, "requirements.txt", cases[i].line,
					  strlen(cases[i].line));
		if (rc != cases[i].rc)
			fail_msg("'%s': rc %d (%s)", cases[i].line, rc, cl_error_last());
		if (rc == 0) {
			if (out.count == 1)
				got[0] = '\0';
			else
				snprintf(got, sizeof(got), "%s\t%s", out.items[1].name,
					 out.items[1].version ? out.items[1].version : "-");
			if (out.count > 2 || strcmp(got, cases[i].want) != 0)
				fail_msg("'%s': got '%s', expected '%s'", cases[i].line, got, cases[i].want);
		}
		cl_dep_list_dispose(&out);
	}
}

#define UV_ITEM "[[package]]\nname = \"pkg%u\"\nversion = \"1.0.0\"\n" \
	"source = { registry = \"https://pypi.org/simple\" }\n" \
	"dependencies = [\n    { name = \"idna\" },\n    { name = \"sniffio\" },\n]\n" \
	"sdist = { url = \"https://files.pythonhosted.org/packages/x.tar.gz\", hash = \"sha256:5aadc6a1bbb7cdb0bede386cac5e2940f5e2ff3aa20277e991cf028e0585ce94\", size = 163930 }\n\n"

static void test_big(void **state)
{
	struct cl_buf b;
	double dt;

	(void)state;
	fx_build(&b, (size_t)100 << 20, "", "package%u==1.0.0 --hash=sha256:0123456789abcdef\n", "");
	dt = fx_time_parse(cl_deps_requirements_parse, "requirements.txt", &b, CL_ETOOBIG);
	assert_true(dt < 1.0);
	cl_buf_dispose(&b);
	fx_build(&b, (size_t)100 << 20, "{\"default\": {", "\"p%u\": {\"version\": \"==1.0\"},", "\"z\": {}}}");
	dt = fx_time_parse(cl_deps_pipfile_lock_parse, "Pipfile.lock", &b, CL_ETOOBIG);
	assert_true(dt < 1.0);
	cl_buf_dispose(&b);
	fx_build(&b, (size_t)100 << 20, "version = 1\n\n", UV_ITEM, "");
	dt = fx_time_parse(cl_deps_uv_lock_parse, "uv.lock", &b, CL_ETOOBIG);
	assert_true(dt < 1.0);
	cl_buf_dispose(&b);

	fx_build(&b, (size_t)40 << 20, "", "package%u[extra]>=1.0,<2.0 ; python_version >= \"3.8\"\n", "");
	dt = fx_time_parse(cl_deps_requirements_parse, "requirements.txt", &b, 0);
	printf("requirements.txt: %.1f MB in %.3f s: %.0f MB/s\n", b.size / 1e6, dt, b.size / 1e6 / dt);
	cl_buf_dispose(&b);

	fx_build(&b, (size_t)40 << 20,
		 "version = 1\n\n[[package]]\nname = \"root\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\n"
		 "dependencies = [{ name = \"pkg1\" }]\n\n", UV_ITEM, "");
	dt = fx_time_parse(cl_deps_uv_lock_parse, "uv.lock", &b, 0);
	printf("uv.lock: %.1f MB in %.3f s: %.0f MB/s\n", b.size / 1e6, dt, b.size / 1e6 / dt);
	assert_true(dt < 30.0);
	cl_buf_dispose(&b);

	fx_build(&b, (size_t)40 << 20, "{\"_meta\": {}, \"default\": {",
		 "\"p%u\": {\"hashes\": [\"sha256:539cc1d13202e33ca466e88b2807e29f4c13049d6d87031a3c110744495cb082\"], \"version\": \"==1.0\"},",
		 "\"z\": {}}}");
	dt = fx_time_parse(cl_deps_pipfile_lock_parse, "Pipfile.lock", &b, 0);
	printf("Pipfile.lock: %.1f MB in %.3f s: %.0f MB/s\n", b.size / 1e6, dt, b.size / 1e6 / dt);
	cl_buf_dispose(&b);

	/* A logical line joined from a million continuations: linear, and rejected. */
	fx_build(&b, (size_t)8 << 20, "pkg", " \\\n", "$\n");
	dt = fx_time_parse(cl_deps_requirements_parse, "requirements.txt", &b, CL_EINVALID);
	assert_true(dt < 5.0);
	cl_buf_dispose(&b);
}

static void test_hostile(void **state)
{
	static const struct {
		cl_dep_parse_fn parse;
		const char *path, *doc, *msg;
	} bad[] = {
		{ cl_deps_pyproject_parse, "pyproject.toml", "project = 1\n", "[project] must be a table" },
		{ cl_deps_pyproject_parse, "pyproject.toml", "[project]\ndependencies = [1]\n", "array of strings" },
		{ cl_deps_pyproject_parse, "pyproject.toml", "[project]\noptional-dependencies = []\n", "must be a table" },
		{ cl_deps_pyproject_parse, "pyproject.toml", "[project.optional-dependencies]\nx = \"a\"\n", "array of strings" },
		{ cl_deps_pyproject_parse, "pyproject.toml", "[dependency-groups]\nx = [{a = 1}]\n", "array of strings" },
		{ cl_deps_pyproject_parse, "pyproject.toml", "[tool.poetry.dependencies]\nx = 1\n", "must be a string or a table" },
		{ cl_deps_pyproject_parse, "pyproject.toml", "[tool.poetry.dependencies]\nx = {version = 1}\n", "version must be a string" },
		{ cl_deps_pyproject_parse, "pyproject.toml", "[tool.poetry.dependencies]\nx = [1]\n", "a table or tables" },
		{ cl_deps_pyproject_parse, "pyproject.toml", "[tool.poetry]\ngroup = 1\n", "[tool.poetry.group] must be a table" },
		{ cl_deps_pyproject_parse, "pyproject.toml", "[project]\ndependencies = [\"a b\"]\n", "pyproject.toml: project.dependencies: version specifier of 'a' must start with an operator" },
		{ cl_deps_poetry_lock_parse, "poetry.lock", "package = 1\n", "must be an array of tables" },
		{ cl_deps_poetry_lock_parse, "poetry.lock", "[[package]]\nname = \"a\"\n", "needs a string name and version" },
		{ cl_deps_poetry_lock_parse, "poetry.lock", "[[package]]\nname = \"a\"\nversion = \"1\"\ncategory = 1\n", "category must be a string" },
		{ cl_deps_poetry_lock_parse, "poetry.lock", "[[package]]\nname = \"a\"\nversion = \"1\"\ngroups = []\n", "non-empty array" },
		{ cl_deps_poetry_lock_parse, "poetry.lock", "[[package]]\nname = \"a\"\nversion = \"1\"\ngroups = [1]\n", "must be strings" },
		{ cl_deps_pipfile_lock_parse, "Pipfile.lock", "[]", "top level must be an object" },
		{ cl_deps_pipfile_lock_parse, "Pipfile.lock", "{\"default\": []}", "must be an object" },
		{ cl_deps_pipfile_lock_parse, "Pipfile.lock", "{\"default\": {\"a\": {\"version\": 1}}}", "string version" },
		{ cl_deps_pipfile_lock_parse, "Pipfile.lock", "{\"default\": {\"a\": ", "Pipfile.lock:1:" },
		{ cl_deps_pipfile_lock_parse, "Pipfile.lock", "{\"develop\": {\"hnull}\\\n}", "Pipfile.lock:2:0: invalid escape near" },
		{ cl_deps_uv_lock_parse, "uv.lock", "[[package]]\nname = \"a\"\nsource = \"x\"\n", "source must be a table" },
		{ cl_deps_uv_lock_parse, "uv.lock", "[manifest]\nmembers = 1\n", "members must be an array" },
		{ cl_deps_uv_lock_parse, "uv.lock", "[[package]]\nname = \"a\"\nsource = { virtual = \".\" }\ndependencies = [{}]\n", "need a string name" },
		{ cl_deps_uv_lock_parse, "uv.lock", "[[package]]\nname = \"a\"\nsource = { virtual = \".\" }\ndev-dependencies = []\n", "must be tables" },
		{ cl_deps_uv_lock_parse, "uv.lock", "[manifest]\nmembers = [1]\n", "members must be strings" },
		{ cl_deps_uv_lock_parse, "uv.lock", "[[package]]\nname = \"r\"\nsource = { virtual = \".\" }\ndependencies = [{ name = \"a\" }]\n[[package]]\nname = \"a\"\ndependencies = 1\n", "lists must be arrays" },
		{ cl_deps_uv_lock_parse, "uv.lock", "[[package]]\nname = \"r\"\nsource = { virtual = \".\" }\ndependencies = [{ name = \"a\" }]\n[[package]]\nname = \"a\"\ndependencies = [{}]\n", "need a string name" },
		{ cl_deps_pipfile_parse, "Pipfile", "[packages]\nx = true\n", "must be a string or a table" },
		{ cl_deps_requirements_parse, "requirements.txt", "a\nb\0\n", "requirements.txt:2:1: NUL byte" },
		{ cl_deps_requirements_parse, "requirements.txt", "a\nb==\3771\n", "requirements.txt:2:4: invalid UTF-8" },
		{ cl_deps_poetry_lock_parse, "poetry.lock", "[[package]]\nname = \"\\u0000\"\nversion = \"1\"\n", "empty package name" },
		{ cl_deps_uv_lock_parse, "uv.lock", "[[package]]\nname = \"\\u0000\"\n", "empty name" },
	};
	struct cl_buf deep;
	size_t i;

	(void)state;
	for (i = 0; i < FX_COUNT(bad); i++) {
		struct cl_dep_list out = CL_DEP_LIST_INIT;
		size_t len = strlen(bad[i].doc) + (strstr(bad[i].msg, "NUL byte") ? 2 : 0);
		int rc = fx_parse_checked(bad[i].parse, &out, bad[i].path, bad[i].doc, len);
		if (rc != CL_EINVALID || !strstr(cl_error_last(), bad[i].msg))
			fail_msg("case %zu: rc %d, message '%s', expected '%s'", i, rc, cl_error_last(), bad[i].msg);
		cl_dep_list_dispose(&out);
	}
	/* Deep nesting: the TOML reader's and Jansson's depth limits. */
	fx_build(&deep, 1 << 20, "x = ", "[", "");
	{
		cl_dep_parse_fn fns[] = { cl_deps_pyproject_parse, cl_deps_poetry_lock_parse, cl_deps_uv_lock_parse,
					  cl_deps_pipfile_parse };
		for (i = 0; i < FX_COUNT(fns); i++) {
			struct cl_dep_list out = CL_DEP_LIST_INIT;
			assert_int_equal(fx_parse_checked(fns[i], &out, "deep", deep.ptr, deep.size), CL_EINVALID);
			cl_dep_list_dispose(&out);
		}
	}
	cl_buf_dispose(&deep);
	fx_build(&deep, 1 << 20, "", "[", "");
	{
		struct cl_dep_list out = CL_DEP_LIST_INIT;
		assert_int_equal(fx_parse_checked(cl_deps_pipfile_lock_parse, &out, "Pipfile.lock", deep.ptr, deep.size),
				 CL_EINVALID);
		cl_dep_list_dispose(&out);
	}
	cl_buf_dispose(&deep);
}

static void test_conformance(void **state)
{
	static const struct fx_conf cases[] = {
		{ "requirements.txt", cl_deps_requirements_parse, 6, {
			"pypi\tpytest\t-\tdirect\truntime\t-",
			"pypi\tdocopt\t==0.6.1\tdirect\truntime\t-",
			"pypi\trequests\t>=2.8.1,==2.8.*\tdirect\truntime\t-",
			"pypi\turllib3\t-\tdirect\truntime\t-",
			NULL } },
		{ "requirements.markers.txt", cl_deps_requirements_parse, 7, {
			"pypi\tclick\t>6,<6.8\tdirect\truntime\t-",
			"pypi\tlicense-expression\t-\tdirect\truntime\t-",
			"pypi\twerkzeug\t==0.15.3\tdirect\truntime\t-",
			NULL } },
		{ "pyproject.pep621.toml", cl_deps_pyproject_parse, 8, {
			"pypi\tgidgethub\t>4.0.0\tdirect\truntime\t-",
			"pypi\tdjango\t>2.0\tdirect\truntime\t-",
			"pypi\tpyqt5\t-\tdirect\toptional\t-",
			"pypi\thatchling\t-\tdirect\tbuild\t-",
			NULL } },
		{ "pyproject.poetry.toml", cl_deps_pyproject_parse, 8, {
			"pypi\tgraphviz\t>=0.13.2,<0.20.0\tdirect\truntime\t-",
			"pypi\tcontextvars\t^2.4\tdirect\truntime\t-",
			"pypi\tblack\t^19.0\tdirect\tdev\t-",
			NULL } },
		{ "Pipfile", cl_deps_pipfile_parse, 1, { "pypi\tdjango\t==2.1.11\tdirect\truntime\t-", NULL } },
		{ "Pipfile.lock", cl_deps_pipfile_lock_parse, 2, {
			"pypi\tdjango\t2.1.11\tunknown\truntime\t-",
			"pypi\tpytz\t2019.3\tunknown\truntime\t-",
			NULL } },
		{ "poetry.lock", cl_deps_poetry_lock_parse, 2, {
			"pypi\tcontextvars\t2.4\tunknown\truntime\t-",
			"pypi\tgraphviz\t0.19.1\tunknown\truntime\t-",
			NULL } },
		{ "uv.lock", cl_deps_uv_lock_parse, 1, { "pypi\tmore-itertools\t10.8.0\tdirect\truntime\t-", NULL } },
	};
	struct cl_deps_include_list incs = CL_DEPS_INCLUDE_LIST_INIT;
	struct cl_buf dir, path = CL_BUF_INIT, data;

	(void)state;
	fx_conformance(cases, FX_COUNT(cases), "python", "python");
	if (!fx_corpus(&dir, "python", "python")) {
		cl_buf_dispose(&dir);
		return;
	}
	cl_buf_init(&path, 0);
	assert_int_equal(cl_buf_printf(&path, "%s/requirements.txt", cl_buf_cstr(&dir)), 0);
	assert_int_equal(fx_read(&data, cl_buf_cstr(&path)), 0);
	assert_int_equal(cl_deps_requirements_includes(&incs, "requirements.txt", data.ptr, data.size), 0);
	assert_int_equal(incs.count, 2);
	assert_string_equal(incs.items[0].path, "other-requirements.txt");
	assert_int_equal(incs.items[0].constraint, 0);
	assert_string_equal(incs.items[1].path, "constraints.txt");
	assert_int_equal(incs.items[1].constraint, 1);
	cl_deps_include_list_dispose(&incs);
	cl_buf_dispose(&data);
	cl_buf_dispose(&path);
	cl_buf_dispose(&dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_includes),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_pep508),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_big),
		cmocka_unit_test(test_conformance),
	};

	/* as the program does: the Jansson parsers run in their arenas (json_arena.h) */
	cl_json_arena_install();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
