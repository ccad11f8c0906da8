/*
 * Gemfile and Gemfile.lock (lib/deps_ruby.c).
 *
 * 1. Fixtures under tests/deps/ruby/ (see deps_h14_fixtures.h), each input
 *    also parsed from every prefix.
 * 2. Tokenizer cases: a table of {Gemfile text, expected dump or error}.
 * 3. Hostile input: deep nesting, generated 100 MB files (over the cap),
 *    a generated large Gemfile.lock (throughput).
 * 4. Conformance over ../shared/conformance/deps-examples/ruby/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "deps_h14_fixtures.h"
#include "deps_ruby.h"

static void test_fixtures(void **state)
{
	(void)state;
	assert_true(h14_run_fixtures("ruby", cl_deps_ruby_formats) >= 6);
}

static const struct {
	const char *in, *want;   /* want: the dump, or "!" + an error substring */
} gemfile_cases[] = {
	{ "gem 'a'", "gem\ta\t-\tdirect\truntime\t-\t1\n" },
	{ "gem 'a', '>= 1',\n    '< 2',\n    require: false\ngem 'b'\n",
	  "gem\ta\t>= 1, < 2\tdirect\truntime\t-\t1\ngem\tb\t-\tdirect\truntime\t-\t4\n" },
	{ "gem \"a\\\"b\"; gem 'c\\'d'", "gem\ta\"b\t-\tdirect\truntime\t-\t1\ngem\tc'd\t-\tdirect\truntime\t-\t1\n" },
	{ "group(:test) do gem 'a' end", "gem\ta\t-\tdirect\ttest\t-\t1\n" },
	{ "group 'development' do\n gem 'a', group: :production\nend",
	  "gem\ta\t-\tdirect\truntime\t-\t2\n" },
	{ "gem 'a', :group => 'test'", "gem\ta\t-\tdirect\ttest\t-\t1\n" },
	{ "gem 'a', groups: %w[development test]", "gem\ta\t-\tdirect\truntime\t-\t1\n" },
	{ "x = if true then 1 else 2 end\ngem 'a'", "gem\ta\t-\tdirect\truntime\t-\t2\n" },
	{ "while false do\nend\ngem 'a'", "gem\ta\t-\tdirect\truntime\t-\t3\n" },
	{ "gem 'a', \"#{'x'}\"", "gem\ta\t#{'x'}\tdirect\truntime\t-\t1\n" },
	{ "gem x", "" },
	{ "if c then gem 'a' else gem 'b', '1' end",
	  "gem\ta\t-\tdirect\truntime\t-\t1\ngem\tb\t1\tdirect\truntime\t-\t1\n" },
	{ "gem 'a' unless ENV['CI']\ngem 'b'", "gem\ta\t-\tdirect\truntime\t-\t1\ngem\tb\t-\tdirect\truntime\t-\t2\n" },
	{ "foo.gem 'a'", "" },
	{ "end", "!Gemfile:1:1: 'end' without an open block" },
	{ "gem 'a'\n)", "!Gemfile:2:1: unbalanced closing bracket" },
	{ "gem('a'", "!unclosed bracket" },
	{ "x = <<~EOS\nabc\n", "!Gemfile:1:5: unterminated heredoc" },
	{ "=begin\ngem 'a'\n", "!Gemfile:1:1: unterminated =begin comment" },
	{ "gem :'a\n", "!unterminated string" },
	{ "gem 'a'\0", "!NUL byte" },
};

static void test_gemfile_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(gemfile_cases) / sizeof(gemfile_cases[0]); i++) {
		struct cl_dep_list list = CL_DEP_LIST_INIT;
		struct cl_buf got = CL_BUF_INIT;
		const char *want = gemfile_cases[i].want;
		size_t len = strlen(gemfile_cases[i].in) + (strstr(want, "NUL") ? 1 : 0);
		int rc = h14_parse(cl_deps_gemfile_parse, &list, "Gemfile", gemfile_cases[i].in, len);

		if (want[0] == '!') {
			if (rc != CL_EINVALID || !strstr(cl_error_last(), want + 1))
				fail_msg("case %zu: rc %d '%s', want '%s'", i, rc, cl_error_last(), want + 1);
			assert_int_equal(list.count, 0);
		} else {
			if (rc != 0)
				fail_msg("case %zu: %s", i, cl_error_last());
			h14_dump(&got, &list, 0);
			if (strcmp(cl_buf_cstr(&got), want) != 0)
				fail_msg("case %zu: got\n%s\nwant\n%s", i, cl_buf_cstr(&got), want);
		}
		h14_truncations(cl_deps_gemfile_parse, "Gemfile", gemfile_cases[i].in, len);
		cl_dep_list_dispose(&list);
		cl_buf_dispose(&got);
	}
}

static void test_deep_nesting(void **state)
{
	size_t n = 1000000, i;
	char *doc = malloc(n * 3);
	struct cl_dep_list list = CL_DEP_LIST_INIT;

	(void)state;
	assert_non_null(doc);
	for (i = 0; i < n; i++)
		doc[i] = '(';
	assert_int_equal(h14_parse(cl_deps_gemfile_parse, &list, "Gemfile", doc, n), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "nested too deeply"));
	for (i = 0; i < n; i++)
		memcpy(doc + 3 * i, "do\n", 3);
	assert_int_equal(h14_parse(cl_deps_gemfile_parse, &list, "Gemfile", doc, 3 * n), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "nested too deeply"));
	assert_int_equal(list.count, 0);
	free(doc);
}

static void test_huge(void **state)
{
	size_t len = 100u * 1024 * 1024, count;
	char *doc = malloc(len);
	int rc;

	(void)state;
	assert_non_null(doc);
	memset(doc, '\n', len);
	h14_big(cl_deps_gemfile_parse, "huge/Gemfile", doc, len, 1.0, &rc, &count);
	assert_int_equal(rc, CL_ETOOBIG);
	h14_big(cl_deps_gemfile_lock_parse, "huge/Gemfile.lock", doc, len, 1.0, &rc, &count);
	assert_int_equal(rc, CL_ETOOBIG);
	free(doc);
}

static void test_big(void **state)
{
	struct cl_buf b = CL_BUF_INIT;
	size_t i, count, n = 200000;
	int rc;

	(void)state;
	assert_int_equal(cl_buf_puts(&b, "GEM\n  remote: https://rubygems.org/\n  specs:\n"), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(cl_buf_printf(&b, "    gem-number-%zu (1.%zu.0)\n      activesupport (>= 6.1, < 8)\n"
					       "      rack (~> 2.2)\n", i, i), 0);
	assert_int_equal(cl_buf_puts(&b, "\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n"), 0);
	for (i = 0; i < n; i += 10)
		assert_int_equal(cl_buf_printf(&b, "  gem-number-%zu (~> 1.0)\n", i), 0);
	assert_int_equal(cl_buf_puts(&b, "\nBUNDLED WITH\n   2.5.3\n"), 0);
	h14_big(cl_deps_gemfile_lock_parse, "big/Gemfile.lock", b.ptr, b.size, 5.0, &rc, &count);
	assert_int_equal(rc, 0);
	assert_int_equal(count, n);
	cl_buf_clear(&b);
	for (i = 0; i < n; i++)
		assert_int_equal(cl_buf_printf(&b, "gem \"gem-number-%zu\", \"~> 1.%zu\", require: false # why\n", i, i),
				 0);
	h14_big(cl_deps_gemfile_parse, "big/Gemfile", b.ptr, b.size, 5.0, &rc, &count);
	assert_int_equal(rc, 0);
	assert_int_equal(count, n);
	cl_buf_dispose(&b);
}

static void test_conformance(void **state)
{
	struct cl_dep_list list = CL_DEP_LIST_INIT;
	char buf[1024];
	const char *dir = h14_conformance_dir(buf, sizeof(buf), "ruby", "ruby");

	(void)state;
	if (!dir) {
		skip();
		return;
	}
	h14_parse_file(&list, cl_deps_gemfile_parse, dir, "Gemfile");
	assert_int_equal(list.count, 5);
	h14_expect(&list, "nokogiri", NULL, CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL);
	h14_expect(&list, "rack", "~>2.1", CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL);
	h14_expect(&list, "rubocop", NULL, CL_DEP_DIRECT, CL_DEP_OPTIONAL, NULL);
	h14_expect(&list, "rspec", NULL, CL_DEP_DIRECT, CL_DEP_TEST, NULL);
	h14_expect(&list, "elasticsearch-rails", NULL, CL_DEP_DIRECT, CL_DEP_TEST, NULL);
	cl_dep_list_dispose(&list);

	h14_parse_file(&list, cl_deps_gemfile_lock_parse, dir, "Gemfile.lock");
	assert_int_equal(list.count, 25);
	h14_expect(&list, "elasticsearch-rails", "7.2.1", CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL);
	h14_expect(&list, "nokogiri", "1.19.3", CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL);
	h14_expect(&list, "rack", "2.2.23", CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL);
	h14_expect(&list, "racc", "1.8.1", CL_DEP_TRANSITIVE, CL_DEP_RUNTIME, NULL);
	h14_expect(&list, "language_server-protocol", "3.17.0.5", CL_DEP_TRANSITIVE, CL_DEP_RUNTIME, NULL);
	assert_int_equal(h14_find(&list, "elasticsearch-rails")->line, 6);
	cl_dep_list_dispose(&list);
	printf("deps conformance (ruby): 2 files, 30 dependencies counted, 10 checked\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_gemfile_table),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_big),
		cmocka_unit_test(test_conformance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
