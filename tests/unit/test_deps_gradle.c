/*
 * test_deps_gradle - build.gradle, build.gradle.kts and gradle.lockfile:
 * fixtures under tests/deps/gradle/, hostile inputs, and the shared
 * conformance corpus (../shared/conformance/deps-examples/java/).
 */
#include "deps_h13_fixtures.h"
#include "deps_gradle.h"

static void test_fixtures(void **state)
{
	(void)state;
	fx_run_dir("tests/deps/gradle", cl_deps_gradle_formats);
}

static void test_format_table(void **state)
{
	(void)state;
	assert_ptr_equal(fx_format_for(cl_deps_gradle_formats, "build.gradle")->parse, cl_deps_gradle_parse_script);
	assert_ptr_equal(fx_format_for(cl_deps_gradle_formats, "settings.gradle.kts")->parse,
	                 cl_deps_gradle_parse_script);
	assert_ptr_equal(fx_format_for(cl_deps_gradle_formats, "gradle.lockfile")->parse,
	                 cl_deps_gradle_parse_lockfile);
	assert_true(fx_format_for(cl_deps_gradle_formats, "gradle.lockfile")->lockfile);
	assert_null(fx_format_for(cl_deps_gradle_formats, "gradle.properties"));
}

static const struct {
	const char *input, *text;
} bad_scripts[] = {
	{ "dependencies {", "s.gradle:1:15: unexpected end of file" },
	{ "dependencies { implementation(", "s.gradle:1:" },
	{ "}", "s.gradle:1:1: unbalanced '}'" },
	{ "dependencies { implementation \"a:b:${v\" }", "s.gradle:1:31: unterminated string" },
	{ "x = '''abc", "s.gradle:1:5: unterminated string" },
	{ "dependencies { implementation(platform('a:b:1']) }", "s.gradle:1:" },
};

static const struct {
	const char *input, *text;
	size_t len;             /* 0: strlen(input) */
} bad_locks[] = {
	{ "a:b:1=x\nnot a line\n", "l.lockfile:2:1:", 0 },
	{ "a:b:c:d=x\n", "l.lockfile:1:1:", 0 },
	{ ":b:1=x\n", "l.lockfile:1:1:", 0 },
	{ "a:b:=x\n", "l.lockfile:1:1:", 0 },
	{ "a b:c:1=x\n", "l.lockfile:1:1:", 0 },
	{ "a:b:1=x\n\0:b:1=x\n", "l.lockfile:2:1: NUL byte", 14 },
};

static void test_malformed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_scripts) / sizeof(bad_scripts[0]); i++) {
		struct cl_dep_list l = CL_DEP_LIST_INIT;

		fx_sentinel(&l);
		fx_expect_failure(cl_deps_gradle_parse_script(&l, "s.gradle", bad_scripts[i].input,
		                                              strlen(bad_scripts[i].input)),
		                  "s.gradle", &l, "EINVALID", bad_scripts[i].text);
		cl_dep_list_dispose(&l);
	}
	for (i = 0; i < sizeof(bad_locks) / sizeof(bad_locks[0]); i++) {
		struct cl_dep_list l = CL_DEP_LIST_INIT;

		fx_sentinel(&l);
		fx_expect_failure(cl_deps_gradle_parse_lockfile(&l, "l.lockfile", bad_locks[i].input,
		                                                bad_locks[i].len ? bad_locks[i].len :
		                                                strlen(bad_locks[i].input)),
		                  "l.lockfile", &l, "EINVALID", bad_locks[i].text);
		cl_dep_list_dispose(&l);
	}
}

/* Every prefix of a script and a lock file: no read past `len`, no crash. */
static void test_prefixes(void **state)
{
	static const char script[] = "dependencies {\n  implementation(\"g:a:1\") { exclude(group = \"x\") }\n"
	                             "  api group: 'g', name: 'b', version: '2'\n}\n";
	static const char lock[] = "g:a:1=runtimeClasspath\ng:b:2=testRuntimeClasspath\nempty=\n";
	size_t n;

	(void)state;
	for (n = 0; n <= sizeof(script) - 1; n++) {
		struct cl_dep_list l = CL_DEP_LIST_INIT;
		char *copy = malloc(n + 1);

		assert_non_null(copy);
		memcpy(copy, script, n);
		(void)cl_deps_gradle_parse_script(&l, "s.gradle", copy, n);
		cl_dep_list_dispose(&l);
		free(copy);
	}
	for (n = 0; n <= sizeof(lock) - 1; n++) {
		struct cl_dep_list l = CL_DEP_LIST_INIT;
		char *copy = malloc(n + 1);

		assert_non_null(copy);
		memcpy(copy, lock, n);
		(void)cl_deps_gradle_parse_lockfile(&l, "l.lockfile", copy, n);
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
	/* 100 MB: refused by size */
	assert_int_equal(cl_buf_puts(&b, "dependencies {\n"), 0);
	while (b.size < (size_t)100 << 20)
		assert_int_equal(cl_buf_puts(&b, "    implementation 'org.example:artifact:1.0.0'\n"), 0);
	assert_int_equal(cl_buf_puts(&b, "}\n"), 0);
	assert_int_equal(fx_timed(cl_deps_gradle_parse_script, "big.gradle", b.ptr, b.size, 2.0, NULL), CL_ETOOBIG);
	assert_int_equal(fx_timed(cl_deps_gradle_parse_lockfile, "big.lockfile", b.ptr, b.size, 2.0, NULL),
	                 CL_ETOOBIG);

	/* deep nesting of every bracket kind and of string templates */
	cl_buf_clear(&b);
	for (i = 0; i < 100000; i++)
		assert_int_equal(cl_buf_puts(&b, "dependencies { ( ["), 0);
	assert_int_equal(fx_timed(cl_deps_gradle_parse_script, "deep.gradle", b.ptr, b.size, 2.0, NULL), CL_EINVALID);
	cl_buf_clear(&b);
	assert_int_equal(cl_buf_puts(&b, "dependencies { implementation \""), 0);
	for (i = 0; i < 100000; i++)
		assert_int_equal(cl_buf_puts(&b, "${"), 0);
	assert_int_equal(fx_timed(cl_deps_gradle_parse_script, "deep.gradle", b.ptr, b.size, 2.0, NULL), CL_EINVALID);

	/* a large script that parses: throughput */
	cl_buf_clear(&b);
	assert_int_equal(cl_buf_puts(&b, "dependencies {\n"), 0);
	for (i = 0; b.size < (size_t)15 << 20; i++)
		assert_int_equal(cl_buf_printf(&b, "    implementation 'org.example.g%zu:artifact-%zu:1.%zu.0' // c\n",
		                               i, i, i), 0);
	assert_int_equal(cl_buf_puts(&b, "}\n"), 0);
	assert_int_equal(fx_timed(cl_deps_gradle_parse_script, "many.gradle", b.ptr, b.size, 5.0, &secs), 0);
	print_message("build.gradle: %zu deps, %.1f MB in %.2fs = %.0f MB/s\n", i, b.size / 1e6, secs,
	              b.size / 1e6 / secs);

	/* a large lock file: throughput */
	cl_buf_clear(&b);
	for (i = 0; b.size < (size_t)60 << 20; i++)
		assert_int_equal(cl_buf_printf(&b, "org.example.group%zu:artifact-%zu:1.%zu.0=compileClasspath,"
		                                   "runtimeClasspath,testCompileClasspath,testRuntimeClasspath\n",
		                               i, i, i), 0);
	assert_int_equal(fx_timed(cl_deps_gradle_parse_lockfile, "big.lockfile", b.ptr, b.size, 5.0, &secs), 0);
	print_message("gradle.lockfile: %zu deps, %.1f MB in %.2fs = %.0f MB/s\n", i, b.size / 1e6, secs,
	              b.size / 1e6 / secs);
	cl_buf_dispose(&b);
}

static void test_conformance(void **state)
{
	struct cl_dep_list l = CL_DEP_LIST_INIT;
	char buf[1024];
	const char *dir = fx_conformance_dir(buf, sizeof(buf), "java", "gradle");

	(void)state;
	if (!dir)
		skip();
	fx_parse_file(&l, dir, "build.gradle", cl_deps_gradle_parse_script);
	assert_int_equal(l.count, 3);
	fx_check(&l, "org.apache.commons:commons-text", "1.1", CL_DEP_DIRECT, CL_DEP_RUNTIME);
	fx_check(&l, "org.apache.struts:struts2-assembly", "2.5.14.1", CL_DEP_DIRECT, CL_DEP_RUNTIME);
	fx_check(&l, "junit:junit", "4.12", CL_DEP_DIRECT, CL_DEP_TEST);
	assert_int_equal(fx_find(&l, "junit:junit", NULL)->line, 12);
	cl_dep_list_dispose(&l);

	fx_parse_file(&l, dir, "build.bom.gradle", cl_deps_gradle_parse_script);
	assert_int_equal(l.count, 4);
	fx_check(&l, "com.fasterxml.jackson:jackson-bom", "2.12.2", CL_DEP_DIRECT, CL_DEP_RUNTIME);
	fx_check(&l, "com.fasterxml.jackson.core:jackson-core", NULL, CL_DEP_DIRECT, CL_DEP_RUNTIME);
	fx_check(&l, "org.junit:junit-bom", "5.7.2", CL_DEP_DIRECT, CL_DEP_TEST);
	fx_check(&l, "org.junit.platform:junit-platform-commons", NULL, CL_DEP_DIRECT, CL_DEP_TEST);
	cl_dep_list_dispose(&l);

	/* project(":core") is no external module; kotlin("stdlib") is */
	fx_parse_file(&l, dir, "build.gradle.kts", cl_deps_gradle_parse_script);
	assert_int_equal(l.count, 1);
	fx_check(&l, "org.jetbrains.kotlin:kotlin-stdlib", NULL, CL_DEP_DIRECT, CL_DEP_RUNTIME);
	cl_dep_list_dispose(&l);

	fx_parse_file(&l, dir, "gradle.lockfile", cl_deps_gradle_parse_lockfile);
	assert_int_equal(l.count, 13);
	fx_check(&l, "ch.qos.logback:logback-classic", "1.5.11", CL_DEP_UNKNOWN, CL_DEP_RUNTIME);
	fx_check(&l, "junit:junit", "4.13.2", CL_DEP_UNKNOWN, CL_DEP_TEST);
	fx_check(&l, "com.google.errorprone:javac", "9+181-r4173-1", CL_DEP_UNKNOWN, CL_DEP_BUILD);
	fx_check(&l, "org.checkerframework:checker-qual", "3.37.0", CL_DEP_UNKNOWN, CL_DEP_BUILD);
	fx_check(&l, "org.checkerframework:checker-qual", "3.42.0", CL_DEP_UNKNOWN, CL_DEP_RUNTIME);
	fx_check(&l, "org.projectlombok:lombok", "1.18.34", CL_DEP_UNKNOWN, CL_DEP_BUILD);
	assert_int_equal(fx_find(&l, "org.yaml:snakeyaml", "2.2")->line, 16);
	cl_dep_list_dispose(&l);
	printf("deps conformance (gradle): build.gradle 3, build.bom.gradle 4, build.gradle.kts 1, "
	       "gradle.lockfile 13: ok\n");
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
	return cmocka_run_group_tests(tests, NULL, NULL);
}
