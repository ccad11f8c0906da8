/* CSV: quoting, the formula guard, and the reader on {input, expected} tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "error.h"

static void test_writer(void **state)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "plain", "plain," },
		{ "a,b", "\"a,b\"," },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"," },
		{ "two\nlines", "\"two\nlines\"," },
		{ "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"," },
		{ "+1", "'+1," },
		{ "-cmd", "'-cmd," },
		{ "@SUM(A1)", "'@SUM(A1)," },
		{ "", "," },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cl_buf b = CL_BUF_INIT;
		assert_int_equal(cl_csv_put_field(&b, cases[i].in, 0), 0);
		assert_string_equal(b.ptr, cases[i].out);
		cl_buf_dispose(&b);
	}
}

static void test_reader(void **state)
{
	static const struct { const char *in; const char *expect; } cases[] = {
		/* expect: records separated by '|', fields by '/' */
		{ "a,b,c\n1,2,3\n", "a/b/c|1/2/3" },
		{ "a,b\r\nc,d", "a/b|c/d" },
		{ "\"x,y\",\"say \"\"hi\"\"\"\n", "x,y/say \"hi\"" },
		{ "\"multi\nline\",z\n\n\nnext\n", "multi\nline/z|next" },
		{ "a,,\n", "a//" },
		{ "\"\"\n", "" },
		{ "", "" },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cl_csv_reader *r = NULL;
		struct cl_csv_record *rec;
		struct cl_buf got = CL_BUF_INIT;
		size_t f;
		int n = 0, rc;

		assert_int_equal(cl_csv_reader_new(&r, cases[i].in, strlen(cases[i].in), 10, 100), 0);
		while ((rc = cl_csv_next(&rec, r)) == 0) {
			for (f = 0; f < rec->count; f++)
				cl_buf_printf(&got, "%s%s", f ? "/" : (n ? "|" : ""), rec->fields[f]);
			n++;
		}
		assert_int_equal(rc, CL_ITEROVER);
		assert_string_equal(got.ptr ? got.ptr : "", cases[i].expect);
		cl_buf_dispose(&got);
		cl_csv_reader_free(r);
	}
}

static void test_reader_errors(void **state)
{
	static const struct { const char *in; int code; const char *msg; } cases[] = {
		{ "ok\n\"open", CL_EINVALID, "2:" },
		{ "a\"b\n", CL_EINVALID, "1:2: a quote inside an unquoted field" },
		{ "\"a\"b\n", CL_EINVALID, "text after a closing quote" },
		{ "a\0b", CL_EINVALID, "1:2: a NUL byte" },   /* once looped for ever */
		{ "\"a\"\0", CL_EINVALID, "text after a closing quote" },
		{ "1,2,3,4\n", CL_ETOOBIG, "more than 3 fields" },
		{ "0123456789x\n", CL_ETOOBIG, "longer than 10 bytes" },
		{ "\"0123456789x\"\n", CL_ETOOBIG, "longer than 10 bytes" },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cl_csv_reader *r = NULL;
		struct cl_csv_record *rec;
		int rc;

		size_t len = strlen(cases[i].in);
		if (strstr(cases[i].msg, "NUL") || (len == 3 && cases[i].in[0] == '"'))
			len++;   /* the NUL byte is part of the input */
		assert_int_equal(cl_csv_reader_new(&r, cases[i].in, len, 3, 10), 0);
		while ((rc = cl_csv_next(&rec, r)) == 0)
			;
		assert_int_equal(rc, cases[i].code);
		assert_non_null(strstr(cl_error_last(), cases[i].msg));
		cl_csv_reader_free(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_reader_errors),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
