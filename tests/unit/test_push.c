/* Parsing of pre-receive input into ref updates: a table of inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "error.h"
#include "push.h"

#define A "1111111111111111111111111111111111111111"
#define B "2222222222222222222222222222222222222222"
#define Z "0000000000000000000000000000000000000000"

struct push_case {
	const char *input;
	int expect_error;        /* 0 ok, else the code */
	size_t count;
	enum cl_update_kind first_kind;
	const char *first_ref;
	const char *error_text;  /* substring of the message */
};

static const struct push_case cases[] = {
	{ A " " B " refs/heads/main\n", 0, 1, CL_UPDATE_FAST_FORWARD, "refs/heads/main", NULL },
	{ Z " " B " refs/heads/new\n", 0, 1, CL_UPDATE_CREATE, "refs/heads/new", NULL },
	{ A " " Z " refs/heads/gone\n", 0, 1, CL_UPDATE_DELETE, "refs/heads/gone", NULL },
	{ A " " B " refs/heads/a\n" Z " " B " refs/tags/v1\n" A " " Z " refs/heads/c\n", 0, 3,
	  CL_UPDATE_FAST_FORWARD, "refs/heads/a", NULL },
	{ A " " B " refs/heads/no-newline", 0, 1, CL_UPDATE_FAST_FORWARD, "refs/heads/no-newline", NULL },
	{ A " " B " refs/heads/crlf\r\n", 0, 1, CL_UPDATE_FAST_FORWARD, "refs/heads/crlf", NULL },
	{ "\n\n" A " " B " refs/heads/blank-lines\n\n", 0, 1, CL_UPDATE_FAST_FORWARD, "refs/heads/blank-lines", NULL },
	{ "", 0, 0, CL_UPDATE_CREATE, NULL, NULL },
	{ Z " " Z " refs/heads/x\n", CL_EINVALID, 0, 0, NULL, "both old and new are zero" },
	{ A " " B "\n", CL_EINVALID, 0, 0, NULL, "line 1: expected" },
	{ A " " B " \n", CL_EINVALID, 0, 0, NULL, "line 1: expected" },
	{ "111 " B " refs/heads/short\n", CL_EINVALID, 0, 0, NULL, "not a full object id" },
	{ "GGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG " B " refs/heads/x\n", CL_EINVALID, 0, 0, NULL,
	  "not a full object id" },
	{ A " " B " refs/heads/ok\n" A " " B " refs/heads/bad..name\n", CL_EINVALID, 0, 0, NULL,
	  "line 2: 'refs/heads/bad..name' is not a valid ref name" },
	{ A " " B " refs/heads/sp ace\n", CL_EINVALID, 0, 0, NULL, "not a valid ref name" },
	{ A "  " B " refs/heads/x\n", CL_EINVALID, 0, 0, NULL, "not a full object id" },
};

static void test_parse_table(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cl_push *push = NULL;
		int rc = cl_push_parse(&push, cases[i].input, strlen(cases[i].input));
		if (rc != cases[i].expect_error)
			fail_msg("case %zu: rc %d, expected %d (%s)", i, rc, cases[i].expect_error, cl_error_last());
		if (rc == 0) {
			assert_int_equal(push->count, cases[i].count);
			if (cases[i].count) {
				assert_int_equal(push->updates[0].kind, cases[i].first_kind);
				assert_string_equal(push->updates[0].refname, cases[i].first_ref);
			}
			cl_push_free(push);
		} else {
			assert_null(push);
			if (!strstr(cl_error_last(), cases[i].error_text))
				fail_msg("case %zu: message '%s' lacks '%s'", i, cl_error_last(), cases[i].error_text);
		}
	}
}

static void test_nul_in_refname(void **state)
{
	static const char input[] = A " " B " refs/heads/a\0b\n";
	struct cl_push *push = NULL;
	(void)state;
	assert_int_equal(cl_push_parse(&push, input, sizeof(input) - 1), CL_EINVALID);
	assert_null(push);
}

static void test_update_args(void **state)
{
	struct cl_push *push = NULL;
	(void)state;
	assert_int_equal(cl_push_new(&push), 0);
	assert_int_equal(cl_push_add(push, "refs/heads/main", A, B), 0);
	assert_int_equal(cl_push_add(push, "refs/heads/x", Z, Z), CL_EINVALID);
	assert_int_equal(cl_push_add(push, "HEAD..", A, B), CL_EINVALID);
	assert_int_equal(push->count, 1);
	cl_push_free(push);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_nul_in_refname),
		cmocka_unit_test(test_update_args),
	};
	int rc;
	/* Ref-name validation goes through libgit2, which must be initialised. */
	git_libgit2_init();
	rc = cmocka_run_group_tests_name("push", tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
