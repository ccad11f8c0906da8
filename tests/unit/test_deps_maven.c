/*
 * test_deps_maven - pom.xml: fixtures under tests/deps/maven/, hostile
 * inputs (XML bombs, 100 MB, deep nesting), and the shared conformance
 * corpus (../shared/conformance/deps-examples/java/).
 */
#include "deps_h13_fixtures.h"
#include "deps_maven.h"

static void test_fixtures(void **state)
{
	(void)state;
	fx_run_dir("tests/deps/maven", cl_deps_maven_formats);
}

static void test_format_table(void **state)
{
	(void)state;
	assert_ptr_equal(fx_format_for(cl_deps_maven_formats, "pom.xml")->parse, cl_deps_maven_parse_pom);
	assert_ptr_equal(fx_format_for(cl_deps_maven_formats, "guava-33.2.1-jre.pom")->parse, cl_deps_maven_parse_pom);
	assert_null(fx_format_for(cl_deps_maven_formats, "pom.xml.bak"));
	assert_false(cl_deps_maven_formats[0].lockfile);
}

static const struct {
	const char *input, *text;
} bad[] = {
	{ "", "p.xml" },
	{ "<project>", "p.xml:1:" },
	{ "<project><dependencies><dependency><groupId>a</groupId></dependency></dependencies></project>",
	  "without artifactId" },
	{ "<project><x></y></project>", "p.xml:1:" },
	{ "<?xml version=\"1.0\"?><!DOCTYPE project SYSTEM \"http://example.com/x.dtd\"><project/>", "DOCTYPE" },
	{ "<project>&ext;</project>", "p.xml:1:" },
	{ "\xff\xfe<\0p\0", "p.xml" },
};

static void test_malformed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cl_dep_list l = CL_DEP_LIST_INIT;
		size_t len = strlen(bad[i].input);
		int rc;

		if (i == sizeof(bad) / sizeof(bad[0]) - 1)
			len = 6;
		fx_sentinel(&l);
		rc = cl_deps_maven_parse_pom(&l, "p.xml", bad[i].input, len);
		fx_expect_failure(rc, "p.xml", &l, "EINVALID", bad[i].text);
		cl_dep_list_dispose(&l);
	}
}

/* Data is not NUL-terminated: a POM cut anywhere must not be read past. */
static void test_not_terminated(void **state)
{
	static const char pom[] = "<project><dependencies><dependency><groupId>g</groupId>"
	                          "<artifactId>a</artifactId><version>1</version></dependency></dependencies></project>";
	size_t n;

	(void)state;
	for (n = 0; n <= sizeof(pom) - 1; n++) {
		struct cl_dep_list l = CL_DEP_LIST_INIT;
		char *copy = malloc(n ? n : 1);
		int rc;

		assert_non_null(copy);
		memcpy(copy, pom, n);
		rc = cl_deps_maven_parse_pom(&l, "p.xml", copy, n);
		if (n == sizeof(pom) - 1) {
			assert_int_equal(rc, 0);
			assert_int_equal(l.count, 1);
			assert_string_equal(l.items[0].name, "g:a");
		} else {
			assert_int_equal(rc, CL_EINVALID);
		}
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
	/* 100 MB: refused by size before parsing */
	cl_buf_init(&b, 0);
	assert_int_equal(cl_buf_puts(&b, "<project><dependencies>"), 0);
	while (b.size < (size_t)100 << 20)
		assert_int_equal(cl_buf_puts(&b, "<dependency><groupId>g</groupId><artifactId>a</artifactId>"
		                                 "<version>1.0</version></dependency>\n"), 0);
	assert_int_equal(cl_buf_puts(&b, "</dependencies></project>"), 0);
	assert_int_equal(fx_timed(cl_deps_maven_parse_pom, "big.xml", b.ptr, b.size, 2.0, NULL), CL_ETOOBIG);

	/* deep nesting: libxml2's depth limit, not the stack */
	cl_buf_clear(&b);
	assert_int_equal(cl_buf_puts(&b, "<project>"), 0);
	for (i = 0; i < 100000; i++)
		assert_int_equal(cl_buf_puts(&b, "<a>"), 0);
	assert_int_equal(fx_timed(cl_deps_maven_parse_pom, "deep.xml", b.ptr, b.size, 2.0, NULL), CL_EINVALID);

	/* properties doubling at every level: capped, not exponential */
	cl_buf_clear(&b);
	assert_int_equal(cl_buf_puts(&b, "<project><properties><p0>xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</p0>"), 0);
	for (i = 1; i < 40; i++)
		assert_int_equal(cl_buf_printf(&b, "<p%zu>${p%zu}${p%zu}</p%zu>", i, i - 1, i - 1, i), 0);
	assert_int_equal(cl_buf_puts(&b, "</properties><dependencies><dependency><groupId>g</groupId>"
	                                 "<artifactId>a</artifactId><version>${p39}</version></dependency>"
	                                 "</dependencies></project>"), 0);
	assert_int_equal(fx_timed(cl_deps_maven_parse_pom, "bomb.xml", b.ptr, b.size, 2.0, NULL), 0);

	/* many properties and dependencies: lookups stay fast; throughput */
	cl_buf_clear(&b);
	assert_int_equal(cl_buf_puts(&b, "<project><properties>"), 0);
	for (i = 0; i < 20000; i++)
		assert_int_equal(cl_buf_printf(&b, "<v%zu>%zu.0</v%zu>\n", i, i, i), 0);
	assert_int_equal(cl_buf_puts(&b, "</properties><dependencies>"), 0);
	for (i = 0; b.size < (size_t)20 << 20; i++)
		assert_int_equal(cl_buf_printf(&b, "<dependency><groupId>org.example.g%zu</groupId><artifactId>a%zu"
		                                   "</artifactId><version>${v%zu}</version><scope>test</scope>"
		                                   "</dependency>\n", i, i, i % 20000), 0);
	assert_int_equal(cl_buf_puts(&b, "</dependencies></project>"), 0);
	assert_int_equal(fx_timed(cl_deps_maven_parse_pom, "many.xml", b.ptr, b.size, 10.0, &secs), 0);
	print_message("pom.xml: %zu deps, %.1f MB in %.2fs = %.0f MB/s\n", i, b.size / 1e6, secs, b.size / 1e6 / secs);
	cl_buf_dispose(&b);
}

static void test_conformance(void **state)
{
	struct cl_dep_list l = CL_DEP_LIST_INIT;
	char buf[1024];
	const char *dir = fx_conformance_dir(buf, sizeof(buf), "java", "maven");
	const struct cl_dep *d;

	(void)state;
	if (!dir)
		skip();
	fx_parse_file(&l, dir, "pom.parent.xml", cl_deps_maven_parse_pom);
	assert_int_equal(l.count, 0);
	fx_parse_file(&l, dir, "pom.xml", cl_deps_maven_parse_pom);
	assert_int_equal(l.count, 4);
	/* the property lives in the parent POM: no resolution across files */
	fx_check(&l, "org.apache.commons:commons-text", "${commons-text.version}", CL_DEP_DIRECT, CL_DEP_RUNTIME);
	fx_check(&l, "org.jenkins-ci:version-number", "${version-number.version}", CL_DEP_DIRECT, CL_DEP_RUNTIME);
	fx_check(&l, "org.apache.beam:beam-parent", "2.3.0", CL_DEP_DIRECT, CL_DEP_RUNTIME);
	fx_check(&l, "junit:junit", "${junit.version}", CL_DEP_DIRECT, CL_DEP_TEST);
	d = fx_find(&l, "org.apache.beam:beam-parent", NULL);
	assert_string_equal(d->ecosystem, "maven");
	assert_int_equal(d->line, 32);
	assert_null(d->license);
	printf("deps conformance (maven): pom.xml 4 dependencies, pom.parent.xml 0: ok\n");
	cl_dep_list_dispose(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_table),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_not_terminated),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_conformance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
