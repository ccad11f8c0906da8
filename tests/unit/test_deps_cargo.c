/*
 * The Cargo.toml and Cargo.lock parsers (lib/deps_cargo.c).
 *
 * 1. Fixtures under tests/deps/cargo/ (see deps_h12_fixtures.h for the
 *    layout): expected results and expected failures.
 * 2. Every fixture cut at every length.
 * 3. Hostile input: 100 MB (over the cap: fails fast), deep nesting, wrong
 *    types; a 40 MB Cargo.lock parsed in linear time (prints MB/s).
 * 4. Conformance over ../shared/conformance/deps-examples/rust/.
 */
#include "deps_h12_fixtures.h"
#include "deps_cargo.h"

static void test_fixtures(void **state)
{
	(void)state;
	assert_true(fx_run_dir(cl_deps_cargo_formats, "tests/deps/cargo", 0) >= 8);
}

static void test_truncated(void **state)
{
	(void)state;
	fx_run_dir(cl_deps_cargo_formats, "tests/deps/cargo", 1);
}

#define LOCK_ITEM "[[package]]\nname = \"crate%u\"\nversion = \"1.0.0\"\n" \
	"source = \"registry+https://github.com/rust-lang/crates.io-index\"\n" \
	"checksum = \"b2969dcb958b36655471fc61f7e416fa76033bdd4bfed0678d8fee1e2d07a1f0\"\n" \
	"dependencies = [\n \"memchr\",\n \"regex 1.0.0\",\n]\n\n"

static void test_big(void **state)
{
	struct cl_buf b;
	double dt;

	(void)state;
	fx_build(&b, (size_t)100 << 20, "version = 3\n\n", LOCK_ITEM, "");
	dt = fx_time_parse(cl_deps_cargo_lock_parse, "Cargo.lock", &b, CL_ETOOBIG);
	assert_true(dt < 1.0);
	cl_buf_dispose(&b);

	fx_build(&b, (size_t)40 << 20,
		 "version = 3\n\n[[package]]\nname = \"root\"\nversion = \"0.1.0\"\ndependencies = [\"crate1\"]\n\n",
		 LOCK_ITEM, "");
	dt = fx_time_parse(cl_deps_cargo_lock_parse, "Cargo.lock", &b, 0);
	printf("Cargo.lock: %.1f MB in %.3f s: %.0f MB/s\n", b.size / 1e6, dt, b.size / 1e6 / dt);
	assert_true(dt < 30.0);
	cl_buf_dispose(&b);

	fx_build(&b, (size_t)20 << 20, "[dependencies]\n", "crate%u = \"1.0\"\n", "");
	dt = fx_time_parse(cl_deps_cargo_toml_parse, "Cargo.toml", &b, 0);
	printf("Cargo.toml: %.1f MB in %.3f s: %.0f MB/s\n", b.size / 1e6, dt, b.size / 1e6 / dt);
	cl_buf_dispose(&b);
}

static void test_hostile(void **state)
{
	static const struct {
		int lock;
		const char *doc, *msg;
	} bad[] = {
		{ 0, "[dependencies]\nx = [1]\n", "must be a string or a table" },
		{ 0, "dependencies = 3\n", "[dependencies] must be a table" },
		{ 0, "[dependencies]\nx = { version = 1 }\n", "wrong type" },
		{ 0, "[dependencies]\nx = { workspace = \"yes\" }\n", "wrong type" },
		{ 0, "target = 1\n", "[target] must be a table" },
		{ 0, "[target]\nx = 1\n", "must be a table" },
		{ 0, "[workspace]\ndependencies = []\n", "[workspace.dependencies] must be a table" },
		{ 1, "package = 1\n", "must be an array of tables" },
		{ 1, "[[package]]\nname = 1\nversion = \"1\"\n", "needs a string name" },
		{ 1, "[[package]]\nname = \"a\"\nversion = \"1\"\nsource = 2\n", "source must be a string" },
		{ 1, "[[package]]\nname = \"a\"\nversion = \"1\"\ndependencies = \"b\"\n", "must be an array" },
		{ 1, "[[package]]\nname = \"a\"\nversion = \"1\"\ndependencies = [1]\n", "must be strings" },
		{ 1, "[[package]]\nname = \"a\"\nversion = \"1\"\ndependencies = [\" b\"]\n", "malformed dependency" },
		{ 1, "[[package]]\nname = \"a\"\nversion = \"1\"\ndependencies = [\"b 1 x\"]\n", "malformed dependency" },
		{ 1, "root = 1\n", "[root] must be a table" },
		{ 1, "[[package]]\nname = \"\"\nversion = \"1\"\nsource = \"x\"\n", "empty name" },
	};
	struct cl_buf deep;
	size_t i;

	(void)state;
	for (i = 0; i < FX_COUNT(bad); i++) {
		struct cl_dep_list out = CL_DEP_LIST_INIT;
		const char *path = bad[i].lock ? "Cargo.lock" : "Cargo.toml";
		int rc = fx_parse_checked(bad[i].lock ? cl_deps_cargo_lock_parse : cl_deps_cargo_toml_parse,
					  &out, path, bad[i].doc, strlen(bad[i].doc));
		if (rc != CL_EINVALID || !strstr(cl_error_last(), bad[i].msg))
			fail_msg("case %zu: rc %d, message '%s', expected '%s'", i, rc, cl_error_last(), bad[i].msg);
		cl_dep_list_dispose(&out);
	}
	/* Deep nesting stops at the TOML reader's depth limit. */
	fx_build(&deep, 1 << 20, "[dependencies]\nx = ", "[", "");
	for (i = 0; i < 2; i++) {
		struct cl_dep_list out = CL_DEP_LIST_INIT;
		int rc = fx_parse_checked(i ? cl_deps_cargo_lock_parse : cl_deps_cargo_toml_parse, &out,
					  i ? "Cargo.lock" : "Cargo.toml", deep.ptr, deep.size);
		assert_int_equal(rc, CL_EINVALID);
		cl_dep_list_dispose(&out);
	}
	cl_buf_dispose(&deep);
}

static void test_conformance(void **state)
{
	static const struct fx_conf cases[] = {
		{ "Cargo.toml", cl_deps_cargo_toml_parse, 3, {
			"cargo\tcfg-if\t0.1.9\tdirect\truntime\t-",
			"cargo\trand\t0.6.5\tdirect\tdev\t-",
			"cargo\tspin\t0.5.0\tdirect\tbuild\t-",
			NULL } },
		{ "Cargo.subcrate.toml", cl_deps_cargo_toml_parse, 3, {
			"cargo\tcfg-if\t0.1.9\tdirect\truntime\t-",
			"cargo\tspin\t0.5.0\tdirect\tdev\t-",
			"cargo\tintegration\t-\tdirect\tdev\t-",
			NULL } },
		{ "Cargo.v1.lock", cl_deps_cargo_lock_parse, 3, {
			"cargo\tcfg-if\t0.1.9\tdirect\truntime\t-",
			"cargo\tspin\t0.4.10\tdirect\truntime\t-",
			"cargo\tspin\t0.5.0\tdirect\truntime\t-",
			NULL } },
		{ "Cargo.v4.lock", cl_deps_cargo_lock_parse, 1, {
			"cargo\tlog\t0.4.29\tdirect\truntime\t-",
			NULL } },
	};

	(void)state;
	fx_conformance(cases, FX_COUNT(cases), "rust", "cargo");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_big),
		cmocka_unit_test(test_conformance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
