/*
 * SPDX expressions and the compiled-in SPDX list (lib/spdx.c).
 *
 * 1. The list: its size, a few ids everyone knows, lookup of every entry in
 *    any case, and every hand-kept replacement being itself a clean
 *    expression (data/spdx/replacements.tsv cannot rot silently).
 * 2. Tables of {expression, canonical text or error substring}, of
 *    {expression, problems}, and of {expression, allowed globs, verdict}.
 *    Every expression that parses is also printed, re-parsed and printed
 *    again: the canonical text must be a fixed point.
 * 3. Limits: long chains, deep and hostile nesting, input that is not
 *    NUL-terminated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "pattern.h"
#include "spdx.h"

/* ---- helpers ---------------------------------------------------------- */

/* Parse from an exact-size heap copy, so ASan sees any read past `len`. */
static int parse_exact(struct cl_spdx_expr **out, const char *text, size_t len, unsigned int flags)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, text, len);
	rc = cl_spdx_parse_ext(out, copy, len, flags);
	free(copy);
	return rc;
}

/* The canonical text of `expr` in `out`; then check it is a fixed point. */
static void canonical(struct cl_buf *out, const struct cl_spdx_expr *expr, unsigned int flags)
{
	struct cl_spdx_expr *again = NULL;
	struct cl_buf second = CL_BUF_INIT;

	cl_buf_clear(out);
	assert_int_equal(cl_spdx_expr_to_string(out, expr), 0);
	if (cl_spdx_parse_ext(&again, out->ptr, out->size, flags) < 0)
		fail_msg("canonical '%s' does not parse: %s", out->ptr, cl_error_last());
	assert_int_equal(cl_spdx_expr_to_string(&second, again), 0);
	if (strcmp(out->ptr, second.ptr) != 0)
		fail_msg("not a fixed point: '%s' -> '%s'", out->ptr, second.ptr);
	cl_spdx_expr_free(again);
	cl_buf_dispose(&second);
}

static const char *kind_name(enum cl_spdx_problem_kind kind)
{
	switch (kind) {
	case CL_SPDX_UNKNOWN_LICENSE:
		return "unknown";
	case CL_SPDX_DEPRECATED_LICENSE:
		return "deprecated";
	case CL_SPDX_UNKNOWN_EXCEPTION:
		return "unknown-exception";
	case CL_SPDX_DEPRECATED_EXCEPTION:
		return "deprecated-exception";
	case CL_SPDX_EXCEPTION_AS_LICENSE:
		return "exception-as-license";
	case CL_SPDX_LICENSE_AS_EXCEPTION:
		return "license-as-exception";
	}
	return "?";
}

/* Problems as "kind:id>replacement@offset" joined by "; " (no ">" without one). */
static int collect_problem(const struct cl_spdx_problem *pr, void *payload)
{
	struct cl_buf *out = payload;

	assert_non_null(pr->message);
	assert_non_null(strstr(pr->message, pr->id));
	if (out->size)
		cl_buf_puts(out, "; ");
	cl_buf_printf(out, "%s:%s", kind_name(pr->kind), pr->id);
	if (pr->replacement)
		cl_buf_printf(out, ">%s", pr->replacement);
	return 0;
}

static int stop_at_first(const struct cl_spdx_problem *pr, void *payload)
{
	(void)pr;
	(*(int *)payload)++;
	return 7;
}

/* ---- the list --------------------------------------------------------- */

static void test_list_contents(void **state)
{
	const struct cl_spdx_license *lic;
	const struct cl_spdx_exception *exc;

	(void)state;
	assert_true(cl_spdx_license_count() > 500);
	assert_true(cl_spdx_exception_count() > 40);

	lic = cl_spdx_license_find("MIT");
	assert_non_null(lic);
	assert_string_equal(lic->id, "MIT");
	assert_string_equal(lic->name, "MIT License");
	assert_int_equal(lic->deprecated, 0);
	assert_int_equal(lic->osi_approved, 1);
	assert_null(lic->replacement);

	lic = cl_spdx_license_find("apache-2.0");
	assert_non_null(lic);
	assert_string_equal(lic->id, "Apache-2.0");

	lic = cl_spdx_license_find("GPL-2.0");
	assert_non_null(lic);
	assert_int_equal(lic->deprecated, 1);
	assert_string_equal(lic->replacement, "GPL-2.0-only");
	assert_string_equal(lic->replacement_plus, "GPL-2.0-or-later");
	assert_int_equal(cl_spdx_license_find("GPL-2.0-only")->deprecated, 0);

	lic = cl_spdx_license_find("GPL-2.0-WITH-CLASSPATH-EXCEPTION");
	assert_non_null(lic);
	assert_string_equal(lic->replacement, "GPL-2.0-only WITH Classpath-exception-2.0");

	exc = cl_spdx_exception_find("Classpath-exception-2.0");
	assert_non_null(exc);
	assert_int_equal(exc->deprecated, 0);
	exc = cl_spdx_exception_find("llvm-EXCEPTION");
	assert_non_null(exc);
	assert_string_equal(exc->id, "LLVM-exception");

	/* Lists are separate; "+" and refs are not ids; NULL is not found. */
	assert_null(cl_spdx_license_find("Classpath-exception-2.0"));
	assert_null(cl_spdx_exception_find("MIT"));
	assert_null(cl_spdx_license_find("GPL-2.0+"));
	assert_null(cl_spdx_license_find("LicenseRef-x"));
	assert_null(cl_spdx_license_find(""));
	assert_null(cl_spdx_license_find(NULL));
	assert_null(cl_spdx_license_at(cl_spdx_license_count()));
	assert_null(cl_spdx_exception_at(cl_spdx_exception_count()));

	assert_non_null(strstr(cl_spdx_list_source(), "spdx-license-ids@"));
	assert_non_null(strstr(cl_spdx_list_source(), "spdx-exceptions@"));
}

/* Every entry is found by binary search under three spellings. */
static void test_list_lookup_every_entry(void **state)
{
	char lower[256], upper[256];
	size_t i, j;

	(void)state;
	for (i = 0; i < cl_spdx_license_count(); i++) {
		const struct cl_spdx_license *lic = cl_spdx_license_at(i);
		size_t n = strlen(lic->id);

		assert_true(n < sizeof(lower));
		for (j = 0; j <= n; j++) {
			char c = lic->id[j];
			lower[j] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
			upper[j] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
		}
		assert_ptr_equal(cl_spdx_license_find(lic->id), lic);
		assert_ptr_equal(cl_spdx_license_find(lower), lic);
		assert_ptr_equal(cl_spdx_license_find(upper), lic);
		assert_non_null(lic->name);
		assert_true(lic->osi_approved >= -1 && lic->osi_approved <= 1);
		if (!lic->deprecated) {
			assert_null(lic->replacement);
			assert_null(lic->replacement_plus);
		}
	}
	for (i = 0; i < cl_spdx_exception_count(); i++) {
		const struct cl_spdx_exception *exc = cl_spdx_exception_at(i);
		assert_ptr_equal(cl_spdx_exception_find(exc->id), exc);
		assert_null(cl_spdx_license_find(exc->id));
	}
}

static void check_clean(const char *text)
{
	struct cl_spdx_expr *expr = NULL;
	struct cl_buf problems = CL_BUF_INIT;

	if (cl_spdx_parse(&expr, text, strlen(text)) < 0)
		fail_msg("replacement '%s' does not parse: %s", text, cl_error_last());
	assert_int_equal(cl_spdx_validate(expr, collect_problem, &problems), 0);
	if (problems.size)
		fail_msg("replacement '%s' has problems: %s", text, problems.ptr);
	cl_spdx_expr_free(expr);
	cl_buf_dispose(&problems);
}

/* What the list suggests instead of a deprecated id must itself be clean. */
static void test_list_replacements_are_clean(void **state)
{
	size_t i, with_replacement = 0;

	(void)state;
	for (i = 0; i < cl_spdx_license_count(); i++) {
		const struct cl_spdx_license *lic = cl_spdx_license_at(i);
		if (lic->replacement) {
			check_clean(lic->replacement);
			with_replacement++;
		}
		if (lic->replacement_plus)
			check_clean(lic->replacement_plus);
	}
	for (i = 0; i < cl_spdx_exception_count(); i++) {
		const struct cl_spdx_exception *exc = cl_spdx_exception_at(i);
		char text[256];

		if (!exc->replacement)
			continue;
		/* An exception stands only after WITH. */
		snprintf(text, sizeof(text), "MIT WITH %s", exc->replacement);
		check_clean(text);
	}
	/* The GNU rule and the table between them cover nearly all of them. */
	assert_true(with_replacement >= 20);
}

/* ---- parsing ---------------------------------------------------------- */

struct parse_case {
	const char *text;
	unsigned int flags;
	const char *canonical;   /* NULL: must fail */
	const char *error;       /* substring of the message when it fails */
};

static const struct parse_case parse_cases[] = {
	/* simple ids, case-insensitive, canonical spelling */
	{ "MIT", 0, "MIT", NULL },
	{ "mit", 0, "MIT", NULL },
	{ "  \tApache-2.0\r\n", 0, "Apache-2.0", NULL },
	{ "gpl-2.0-OR-LATER", 0, "GPL-2.0-or-later", NULL },
	{ "Unknown-1.0", 0, "Unknown-1.0", NULL },
	{ "GPL-2.0+", 0, "GPL-2.0+", NULL },
	{ "lgpl-2.1+", 0, "LGPL-2.1+", NULL },
	{ "0BSD", 0, "0BSD", NULL },
	/* references */
	{ "LicenseRef-my-license.1", 0, "LicenseRef-my-license.1", NULL },
	{ "licenseref-Mine", 0, "LicenseRef-Mine", NULL },
	{ "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", 0,
	  "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", NULL },
	{ "documentref-a:licenseref-b", 0, "DocumentRef-a:LicenseRef-b", NULL },
	{ "GPL-2.0-or-later WITH AdditionRef-my-exception", 0,
	  "GPL-2.0-or-later WITH AdditionRef-my-exception", NULL },
	{ "GPL-2.0-or-later WITH DocumentRef-d:AdditionRef-e", 0,
	  "GPL-2.0-or-later WITH DocumentRef-d:AdditionRef-e", NULL },
	/* WITH */
	{ "GPL-2.0-only WITH Classpath-exception-2.0", 0,
	  "GPL-2.0-only WITH Classpath-exception-2.0", NULL },
	{ "gpl-2.0+ WITH classpath-exception-2.0", 0, "GPL-2.0+ WITH Classpath-exception-2.0", NULL },
	{ "Apache-2.0 WITH LLVM-exception OR MIT", 0, "Apache-2.0 WITH LLVM-exception OR MIT", NULL },
	{ "(Apache-2.0 WITH LLVM-exception)", 0, "Apache-2.0 WITH LLVM-exception", NULL },
	/* precedence: WITH > AND > OR; minimal parentheses; flattening */
	{ "MIT OR Apache-2.0 AND BSD-3-Clause", 0, "MIT OR Apache-2.0 AND BSD-3-Clause", NULL },
	{ "(MIT OR Apache-2.0) AND BSD-3-Clause", 0, "(MIT OR Apache-2.0) AND BSD-3-Clause", NULL },
	{ "MIT AND (Apache-2.0 OR BSD-3-Clause)", 0, "MIT AND (Apache-2.0 OR BSD-3-Clause)", NULL },
	{ "MIT OR (Apache-2.0 AND BSD-3-Clause)", 0, "MIT OR Apache-2.0 AND BSD-3-Clause", NULL },
	{ "((MIT))", 0, "MIT", NULL },
	{ "(MIT OR ISC) OR (Zlib OR 0BSD)", 0, "MIT OR ISC OR Zlib OR 0BSD", NULL },
	{ "MIT AND (ISC AND (Zlib AND 0BSD))", 0, "MIT AND ISC AND Zlib AND 0BSD", NULL },
	{ "(MIT AND ISC) OR Zlib", 0, "MIT AND ISC OR Zlib", NULL },
	{ "((MIT OR ISC) AND (Zlib OR 0BSD)) OR Unlicense", 0,
	  "(MIT OR ISC) AND (Zlib OR 0BSD) OR Unlicense", NULL },
	{ "(MIT)AND(ISC)", 0, "MIT AND ISC", NULL },
	{ "MIT\nAND\tISC\r\nOR\n\nZlib", 0, "MIT AND ISC OR Zlib", NULL },
	/* operators: upper case unless LAX */
	{ "MIT or Apache-2.0", 0, NULL, "offset 4: operator 'or' must be upper case: 'OR'" },
	{ "MIT And ISC", 0, NULL, "offset 4: operator 'And' must be upper case: 'AND'" },
	{ "GPL-2.0-only with Classpath-exception-2.0", 0, NULL, "operator 'with' must be upper case" },
	{ "MIT or Apache-2.0", CL_SPDX_PARSE_LAX, "MIT OR Apache-2.0", NULL },
	{ "mit and (isc Or zlib) With llvm-exception", CL_SPDX_PARSE_LAX, NULL,
	  "WITH must follow a single license id" },
	{ "gpl-2.0-only with classpath-exception-2.0 and mit", CL_SPDX_PARSE_LAX,
	  "GPL-2.0-only WITH Classpath-exception-2.0 AND MIT", NULL },
	/* malformed */
	{ "", 0, NULL, "offset 0: empty expression" },
	{ " \n\t ", 0, NULL, "offset 4: empty expression" },
	{ "MIT AND", 0, NULL, "offset 7: expected a license id after 'AND'" },
	{ "MIT OR ", 0, NULL, "offset 7: expected a license id after 'OR'" },
	{ "AND MIT", 0, NULL, "offset 0: expected a license id, found 'AND'" },
	{ "MIT AND OR ISC", 0, NULL, "offset 8: expected a license id after 'AND', found 'OR'" },
	{ "MIT AND and", 0, NULL, "expected a license id after 'AND', found 'and'" },
	{ "MIT WITH", 0, NULL, "offset 8: expected an exception id after 'WITH'" },
	{ "MIT WITH (LLVM-exception)", 0, NULL, "expected an exception id after 'WITH', found '('" },
	{ "MIT ISC", 0, NULL, "offset 4: expected AND, OR or WITH before 'ISC'" },
	{ "MIT WITH LLVM-exception ISC", 0, NULL, "expected AND or OR before 'ISC'" },
	{ "(MIT) ISC", 0, NULL, "offset 6: expected AND or OR before 'ISC'" },
	{ "MIT (ISC)", 0, NULL, "expected AND, OR or WITH before '('" },
	{ "(MIT", 0, NULL, "offset 4: missing ')' for the '(' at offset 0" },
	{ "((MIT) AND ISC", 0, NULL, "missing ')' for the '(' at offset 0" },
	{ "MIT)", 0, NULL, "offset 3: unbalanced ')'" },
	{ ")", 0, NULL, "offset 0: expected a license id, found ')'" },
	{ "()", 0, NULL, "offset 1: empty parentheses" },
	{ "MIT AND ()", 0, NULL, "offset 9: empty parentheses" },
	{ "MIT AND )", 0, NULL, "expected a license id after 'AND', found ')'" },
	{ "(MIT OR ISC) WITH LLVM-exception", 0, NULL,
	  "offset 13: WITH must follow a single license id, not a parenthesized expression" },
	{ "Apache-2.0 WITH LLVM-exception WITH Classpath-exception-2.0", 0, NULL,
	  "offset 31: a license takes one WITH exception at most" },
	{ "MIT/Apache-2.0", 0, NULL, "offset 3: unexpected character '/' (write ' OR ' between" },
	{ "MIT, ISC", 0, NULL, "unexpected character ',' (combine licenses with AND or OR)" },
	{ "LicenseRef-my_license", 0, NULL,
	  "offset 13: unexpected character '_' (an SPDX id has only letters" },
	{ "MIT \x1b[31m", 0, NULL, "offset 4: unexpected character '\\x1b'" },
	{ "Licen\xc3\xa7" "e", 0, NULL, "offset 5: unexpected character '\\xc3' (SPDX expressions are plain ASCII" },
	{ "MIT\xc2\xa0OR ISC", 0, NULL, "offset 3: unexpected character '\\xc2' (SPDX expressions" },
	{ "+", 0, NULL, "offset 0: '+' must directly follow a license id" },
	{ "GPL-2.0 +", 0, NULL, "offset 8: '+' must directly follow a license id" },
	{ "GPL-2.0++", 0, NULL, "offset 7: '+' may only end a license id" },
	{ "GPL-2.0+-only", 0, NULL, "'+' may only end a license id" },
	{ "LicenseRef-x+", 0, NULL, "offset 12: '+' cannot follow a LicenseRef" },
	{ "MIT WITH LLVM-exception+", 0, NULL, "'+' cannot follow an exception id" },
	{ "LicenseRef-", 0, NULL, "offset 0: 'LicenseRef-' needs an id after it" },
	{ "MIT WITH AdditionRef-", 0, NULL, "'AdditionRef-' needs an id after it" },
	{ "AdditionRef-x", 0, NULL, "'AdditionRef-x' names an exception; it may only follow WITH" },
	{ "MIT WITH LicenseRef-x", 0, NULL,
	  "offset 9: 'LicenseRef-x' names a license; after WITH write an exception id or AdditionRef-" },
	{ "DocumentRef-x", 0, NULL, "offset 13: expected ':LicenseRef-...' after 'DocumentRef-x'" },
	{ "DocumentRef-:LicenseRef-y", 0, NULL, "'DocumentRef-' needs an id after it" },
	{ "DocumentRef-x:MIT", 0, NULL, "offset 14: expected 'LicenseRef-' or 'AdditionRef-' after ':'" },
	{ "DocumentRef-x:LicenseRef-y:z", 0, NULL, "offset 26: a DocumentRef has one ':' only" },
	{ "DocumentRef-x:LicenseRef-", 0, NULL, "'LicenseRef-' needs an id after it" },
	{ "MIT:ISC", 0, NULL, "offset 3: ':' may only follow 'DocumentRef-...'" },
	{ "a-very-long-identifier-that-goes-on-and-on-and-on-for-ever ISC", 0, NULL,
	  "expected AND, OR or WITH before 'ISC'" },
	{ "MIT a-very-long-identifier-that-goes-on-and-on-and-on-for-ever", 0, NULL,
	  "before 'a-very-long-identifier-that-goes-on-and-...'" },
};

static void test_parse_table(void **state)
{
	struct cl_buf out = CL_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		size_t len = strlen(c->text);
		struct cl_spdx_expr *expr = NULL;
		int rc = parse_exact(&expr, c->text, len, c->flags);

		if (c->canonical) {
			if (rc < 0)
				fail_msg("case %zu '%s': %s", i, c->text, cl_error_last());
			canonical(&out, expr, c->flags);
			if (strcmp(out.ptr, c->canonical) != 0)
				fail_msg("case %zu '%s': got '%s', want '%s'", i, c->text, out.ptr,
					c->canonical);
			cl_spdx_expr_free(expr);
		} else {
			if (rc >= 0) {
				cl_buf_clear(&out);
				cl_spdx_expr_to_string(&out, expr);
				fail_msg("case %zu '%s': parsed as '%s', want error '%s'", i, c->text,
					out.ptr, c->error);
			}
			assert_int_equal(rc, CL_EINVALID);
			assert_null(expr);
			if (!strstr(cl_error_last(), c->error))
				fail_msg("case %zu '%s': error '%s', want '%s'", i, c->text,
					cl_error_last(), c->error);
		}
	}
	cl_buf_dispose(&out);
}

/* ---- validation ------------------------------------------------------- */

struct validate_case {
	const char *text;
	const char *problems;   /* "kind:id>replacement; ..."; "" for none */
};

static const struct validate_case validate_cases[] = {
	{ "MIT", "" },
	{ "Apache-2.0 WITH LLVM-exception OR GPL-2.0-or-later", "" },
	{ "LicenseRef-Mine AND DocumentRef-d:LicenseRef-x", "" },
	{ "GPL-3.0-or-later WITH AdditionRef-Mine", "" },
	/* deprecated ids: the GNU rule, "+" aware */
	{ "GPL-2.0", "deprecated:GPL-2.0>GPL-2.0-only" },
	{ "gpl-2.0+", "deprecated:GPL-2.0+>GPL-2.0-or-later" },
	{ "LGPL-2.1", "deprecated:LGPL-2.1>LGPL-2.1-only" },
	{ "LGPL-2.1+ OR MIT", "deprecated:LGPL-2.1+>LGPL-2.1-or-later" },
	{ "AGPL-3.0", "deprecated:AGPL-3.0>AGPL-3.0-only" },
	{ "GFDL-1.3+", "deprecated:GFDL-1.3+>GFDL-1.3-or-later" },
	/* deprecated ids: the table */
	{ "GPL-2.0-with-classpath-exception",
	  "deprecated:GPL-2.0-with-classpath-exception>GPL-2.0-only WITH Classpath-exception-2.0" },
	{ "GPL-2.0-with-classpath-exception+",
	  "deprecated:GPL-2.0-with-classpath-exception+>GPL-2.0-or-later WITH Classpath-exception-2.0" },
	{ "StandardML-NJ", "deprecated:StandardML-NJ>SMLNJ" },
	{ "Nunit+", "deprecated:Nunit+" },
	{ "Net-SNMP", "deprecated:Net-SNMP" },
	{ "GPL-2.0 AND GPL-3.0",
	  "deprecated:GPL-2.0>GPL-2.0-only; deprecated:GPL-3.0>GPL-3.0-only" },
	/* exceptions */
	{ "LGPL-2.1-only WITH Nokia-Qt-exception-1.1",
	  "deprecated-exception:Nokia-Qt-exception-1.1>Qt-LGPL-exception-1.1" },
	{ "MIT WITH Foo-exception", "unknown-exception:Foo-exception" },
	{ "GPL-2.0-only WITH MIT", "license-as-exception:MIT" },
	{ "Classpath-exception-2.0", "exception-as-license:Classpath-exception-2.0" },
	{ "MIT OR classpath-exception-2.0", "exception-as-license:Classpath-exception-2.0" },
	/* unknown ids, with the ".0" suggestion when it helps */
	{ "Foo-1.0", "unknown:Foo-1.0" },
	{ "Apache-2", "unknown:Apache-2>Apache-2.0" },
	{ "MPL-2+", "unknown:MPL-2+>MPL-2.0+" },
	{ "GPL-2", "unknown:GPL-2>GPL-2.0-only" },
	{ "GPL-3+", "unknown:GPL-3+>GPL-3.0-or-later" },
	{ "GPLv2", "unknown:GPLv2" },
	/* several problems, left to right, both halves of a WITH */
	{ "GPL-2.0 WITH Nokia-Qt-exception-1.1 OR Bogus WITH Bogus-exception",
	  "deprecated:GPL-2.0>GPL-2.0-only; "
	  "deprecated-exception:Nokia-Qt-exception-1.1>Qt-LGPL-exception-1.1; "
	  "unknown:Bogus; unknown-exception:Bogus-exception" },
};

static void test_validate_table(void **state)
{
	struct cl_buf problems = CL_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(validate_cases) / sizeof(validate_cases[0]); i++) {
		const struct validate_case *c = &validate_cases[i];
		struct cl_spdx_expr *expr = NULL;

		if (cl_spdx_parse(&expr, c->text, strlen(c->text)) < 0)
			fail_msg("case %zu '%s': %s", i, c->text, cl_error_last());
		cl_buf_clear(&problems);
		assert_int_equal(cl_spdx_validate(expr, collect_problem, &problems), 0);
		if (strcmp(cl_buf_cstr(&problems), c->problems) != 0)
			fail_msg("case %zu '%s': got '%s', want '%s'", i, c->text,
				cl_buf_cstr(&problems), c->problems);
		cl_spdx_expr_free(expr);
	}
	cl_buf_dispose(&problems);
}

struct first_problem {
	struct cl_spdx_problem copy;
	char id[64], message[256], replacement[128];
	int calls;
};

static int keep_first(const struct cl_spdx_problem *pr, void *payload)
{
	struct first_problem *f = payload;

	if (f->calls++ == 0) {
		f->copy = *pr;
		snprintf(f->id, sizeof(f->id), "%s", pr->id);
		snprintf(f->message, sizeof(f->message), "%s", pr->message);
		snprintf(f->replacement, sizeof(f->replacement), "%s",
			pr->replacement ? pr->replacement : "");
	}
	return 0;
}

/* Messages and offsets, which findings show to people. */
static void test_validate_messages(void **state)
{
	static const struct {
		const char *text;
		size_t offset;
		const char *message;
	} cases[] = {
		{ "MIT OR gpl-2.0", 7, "deprecated license id 'GPL-2.0': use 'GPL-2.0-only'" },
		{ "(MIT AND GPL-2.0+)", 9, "deprecated license id 'GPL-2.0+': use 'GPL-2.0-or-later'" },
		{ "Net-SNMP", 0, "deprecated license id 'Net-SNMP' (no single replacement" },
		{ "Apache-2", 0, "unknown license id 'Apache-2': did you mean 'Apache-2.0'?" },
		{ "Mine", 0, "unknown license id 'Mine' (not on the SPDX license list; "
		  "a license of your own is written 'LicenseRef-...')" },
		{ "MIT WITH Mine", 9, "unknown exception id 'Mine' (not on the SPDX exceptions list; "
		  "an exception of your own is written 'AdditionRef-...')" },
		{ "GPL-2.0-only WITH Apache-2.0", 18,
		  "'Apache-2.0' is a license, not an exception: combine licenses with AND, not WITH" },
		{ "LLVM-exception", 0, "'LLVM-exception' is an exception, not a license: "
		  "write it after WITH" },
		{ "LGPL-2.1-only WITH Nokia-Qt-exception-1.1", 19,
		  "deprecated exception id 'Nokia-Qt-exception-1.1': use 'Qt-LGPL-exception-1.1'" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cl_spdx_expr *expr = NULL;
		struct first_problem f;

		memset(&f, 0, sizeof(f));
		assert_int_equal(cl_spdx_parse(&expr, cases[i].text, strlen(cases[i].text)), 0);
		assert_int_equal(cl_spdx_validate(expr, keep_first, &f), 0);
		assert_int_equal(f.calls, 1);
		if (!strstr(f.message, cases[i].message))
			fail_msg("'%s': message '%s', want '%s'", cases[i].text, f.message,
				cases[i].message);
		assert_int_equal(f.copy.offset, cases[i].offset);
		cl_spdx_expr_free(expr);
	}
}

static void test_validate_stops(void **state)
{
	struct cl_spdx_expr *expr = NULL;
	const char *text = "GPL-2.0 AND Bogus AND LGPL-2.1";
	int calls = 0;

	(void)state;
	assert_int_equal(cl_spdx_parse(&expr, text, strlen(text)), 0);
	assert_int_equal(cl_spdx_validate(expr, stop_at_first, &calls), 7);
	assert_int_equal(calls, 1);
	cl_spdx_expr_free(expr);
}

/* ---- foreach_id ------------------------------------------------------- */

static int collect_id(const char *id, int is_exception, void *payload)
{
	struct cl_buf *out = payload;

	cl_buf_printf(out, "%s%s%s", out->size ? " " : "", id, is_exception ? "(e)" : "");
	return strcmp(id, "STOP") == 0 ? 42 : 0;
}

static void test_foreach_id(void **state)
{
	struct cl_spdx_expr *expr = NULL;
	struct cl_buf ids = CL_BUF_INIT;
	const char *text = "(mit OR gpl-2.0+ WITH classpath-exception-2.0) AND "
		"DocumentRef-d:LicenseRef-x AND (Bogus WITH AdditionRef-y OR ISC)";
	const char *stop = "MIT AND STOP AND ISC";

	(void)state;
	assert_int_equal(cl_spdx_parse(&expr, text, strlen(text)), 0);
	assert_int_equal(cl_spdx_expr_foreach_id(expr, collect_id, &ids), 0);
	assert_string_equal(ids.ptr, "MIT GPL-2.0 Classpath-exception-2.0(e) "
		"DocumentRef-d:LicenseRef-x Bogus AdditionRef-y(e) ISC");
	cl_spdx_expr_free(expr);

	cl_buf_clear(&ids);
	assert_int_equal(cl_spdx_parse(&expr, stop, strlen(stop)), 0);
	assert_int_equal(cl_spdx_expr_foreach_id(expr, collect_id, &ids), 42);
	assert_string_equal(ids.ptr, "MIT STOP");
	cl_spdx_expr_free(expr);
	cl_buf_dispose(&ids);
}

/* ---- satisfies -------------------------------------------------------- */

struct satisfies_case {
	const char *text;
	const char *allowed;   /* patterns separated by '|' */
	unsigned int flags;    /* pattern flags */
	int want;
};

#define CASELESS CL_PATTERN_CASELESS

static const struct satisfies_case satisfies_cases[] = {
	/* OR: one branch; AND: every part */
	{ "MIT", "MIT", 0, 1 },
	{ "MIT", "ISC", 0, 0 },
	{ "MIT OR GPL-3.0-only", "MIT", 0, 1 },
	{ "GPL-3.0-only OR MIT", "MIT", 0, 1 },
	{ "MIT AND GPL-3.0-only", "MIT", 0, 0 },
	{ "MIT AND GPL-3.0-only", "MIT|GPL-*", 0, 1 },
	{ "(MIT OR GPL-3.0-only) AND (ISC OR AGPL-3.0-only)", "MIT|ISC", 0, 1 },
	{ "(MIT OR GPL-3.0-only) AND (Zlib OR AGPL-3.0-only)", "MIT|ISC", 0, 0 },
	{ "MIT AND ISC OR GPL-3.0-only", "GPL-3.0-only", 0, 1 },
	{ "MIT AND ISC OR GPL-3.0-only", "MIT", 0, 0 },
	/* globs, case */
	{ "Apache-2.0", "Apache-*", 0, 1 },
	{ "apache-2.0", "Apache-2.0", 0, 1 },          /* canonical spelling is matched */
	{ "Apache-2.0", "apache-2.0", 0, 0 },
	{ "Apache-2.0", "apache-2.0", CASELESS, 1 },
	{ "LicenseRef-Mine", "LicenseRef-*", 0, 1 },
	{ "LicenseRef-Mine", "MIT", 0, 0 },
	{ "Bogus-1.0", "Bogus-1.0", 0, 1 },
	/* WITH: allowed when the license is, or when the exact combination is */
	{ "GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only", 0, 1 },
	{ "GPL-2.0-only WITH Classpath-exception-2.0",
	  "GPL-2.0-only WITH Classpath-exception-2.0", 0, 1 },
	{ "GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-* WITH Classpath-*", 0, 1 },
	{ "GPL-2.0-only WITH Classpath-exception-2.0", "Classpath-exception-2.0", 0, 0 },
	{ "GPL-2.0+ WITH Classpath-exception-2.0", "GPL-2.0+ WITH Classpath-exception-2.0", 0, 1 },
	/* "+": L+, L's or-later spelling, or L itself */
	{ "GPL-2.0+", "GPL-2.0+", 0, 1 },
	{ "GPL-2.0+", "GPL-2.0-or-later", 0, 1 },
	{ "GPL-2.0+", "GPL-2.0-only", 0, 1 },
	{ "GPL-2.0-only+", "GPL-2.0-or-later", 0, 1 },
	{ "LGPL-2.1-or-later", "LGPL-2.1-only", 0, 1 },   /* the licensee may pick 2.1 */
	{ "LGPL-2.1-only", "LGPL-2.1-or-later", 0, 0 },   /* but not the other way */
	{ "GPL-3.0+", "GPL-2.0-or-later", 0, 0 },
	{ "MPL-2.0+", "MPL-2.0", 0, 1 },
	/* deprecated ids match their replacement */
	{ "GPL-2.0", "GPL-2.0-only", 0, 1 },
	{ "GPL-2.0", "GPL-2.0-or-later", 0, 0 },
	{ "LGPL-2.1+", "LGPL-2.1-or-later", 0, 1 },
	{ "StandardML-NJ", "SMLNJ", 0, 1 },
	/* empty list allows nothing */
	{ "MIT", "", 0, 0 },
};

static void test_satisfies_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(satisfies_cases) / sizeof(satisfies_cases[0]); i++) {
		const struct satisfies_case *c = &satisfies_cases[i];
		struct cl_pattern_list allowed = CL_PATTERN_LIST_INIT;
		struct cl_spdx_expr *expr = NULL;
		char patterns[256], *p, *save = NULL;
		int rc;

		snprintf(patterns, sizeof(patterns), "%s", c->allowed);
		for (p = strtok_r(patterns, "|", &save); p; p = strtok_r(NULL, "|", &save))
			assert_int_equal(cl_pattern_list_add(&allowed, p, c->flags), 0);
		if (cl_spdx_parse(&expr, c->text, strlen(c->text)) < 0)
			fail_msg("case %zu '%s': %s", i, c->text, cl_error_last());
		rc = cl_spdx_satisfies(expr, &allowed);
		if (rc != c->want)
			fail_msg("case %zu '%s' against '%s': got %d, want %d", i, c->text,
				c->allowed, rc, c->want);
		cl_spdx_expr_free(expr);
		cl_pattern_list_dispose(&allowed);
	}
}

/* ---- limits ----------------------------------------------------------- */

static void test_long_chain(void **state)
{
	struct cl_buf text = CL_BUF_INIT, out = CL_BUF_INIT;
	struct cl_spdx_expr *expr = NULL;
	size_t n = 0;

	(void)state;
	/* About 5,000 operands: one flat node, no recursion per operand. */
	assert_int_equal(cl_buf_puts(&text, "MIT"), 0);
	while (text.size + 16 < CL_SPDX_MAX_LEN) {
		assert_int_equal(cl_buf_puts(&text, n % 3 ? " AND ISC" : " OR Zlib"), 0);
		n++;
	}
	assert_int_equal(parse_exact(&expr, text.ptr, text.size, 0), 0);
	canonical(&out, expr, 0);
	assert_string_equal(out.ptr, text.ptr);
	cl_spdx_expr_free(expr);

	/* Past the cap: refused before any work. */
	while (text.size <= CL_SPDX_MAX_LEN)
		assert_int_equal(cl_buf_puts(&text, " AND ISC"), 0);
	expr = NULL;
	assert_int_equal(cl_spdx_parse(&expr, text.ptr, text.size), CL_ETOOBIG);
	assert_null(expr);
	assert_non_null(strstr(cl_error_last(), "longer than 65536 bytes"));

	/* A long id is fine; a long message quotes only its start. */
	cl_buf_clear(&text);
	assert_int_equal(cl_buf_puts(&text, "LicenseRef-"), 0);
	while (text.size < 1000)
		assert_int_equal(cl_buf_putc(&text, 'x'), 0);
	assert_int_equal(parse_exact(&expr, text.ptr, text.size, 0), 0);
	cl_spdx_expr_free(expr);
	assert_int_equal(cl_buf_puts(&text, " y"), 0);
	assert_int_equal(parse_exact(&expr, text.ptr, text.size, 0), CL_EINVALID);
	assert_true(strlen(cl_error_last()) < 200);

	cl_buf_dispose(&text);
	cl_buf_dispose(&out);
}

static void nested(struct cl_buf *text, size_t depth, const char *inner)
{
	size_t i;

	cl_buf_clear(text);
	for (i = 0; i < depth; i++)
		cl_buf_puts(text, i % 2 ? "(ISC AND " : "(MIT OR ");
	cl_buf_puts(text, inner);
	for (i = 0; i < depth; i++)
		cl_buf_putc(text, ')');
}

static void test_deep_nesting(void **state)
{
	struct cl_buf text = CL_BUF_INIT, out = CL_BUF_INIT;
	struct cl_spdx_expr *expr = NULL;
	size_t i;

	(void)state;
	nested(&text, CL_SPDX_MAX_DEPTH, "Zlib");
	assert_int_equal(parse_exact(&expr, text.ptr, text.size, 0), 0);
	canonical(&out, expr, 0);
	assert_true(out.size < text.size);
	cl_spdx_expr_free(expr);

	nested(&text, CL_SPDX_MAX_DEPTH + 1, "Zlib");
	assert_int_equal(parse_exact(&expr, text.ptr, text.size, 0), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "parentheses nested deeper than 64"));

	/* Hostile: 60,000 bare parentheses fail fast at the limit, no deep recursion. */
	cl_buf_clear(&text);
	for (i = 0; i < 60000; i++)
		cl_buf_putc(&text, '(');
	assert_int_equal(parse_exact(&expr, text.ptr, text.size, 0), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "offset 64: parentheses nested deeper than 64"));

	/* Redundant parentheses count too: the limit is on the text. */
	cl_buf_clear(&text);
	for (i = 0; i < 70; i++)
		cl_buf_putc(&text, '(');
	cl_buf_puts(&text, "MIT");
	for (i = 0; i < 70; i++)
		cl_buf_putc(&text, ')');
	assert_int_equal(parse_exact(&expr, text.ptr, text.size, 0), CL_EINVALID);

	cl_buf_dispose(&text);
	cl_buf_dispose(&out);
}

/* A NUL byte is a character like any other: `len` rules, not the terminator. */
static void test_nul_byte(void **state)
{
	struct cl_spdx_expr *expr = NULL;

	(void)state;
	assert_int_equal(parse_exact(&expr, "MIT\0", 4, 0), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "offset 3: unexpected character '\\x00'"));
	assert_int_equal(parse_exact(&expr, "MIT\0garbage", 3, 0), 0);
	cl_spdx_expr_free(expr);
	assert_int_equal(cl_spdx_parse(&expr, NULL, 0), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "empty expression"));
}

/* to_string appends, and honours its buffer's cap. */
static void test_to_string_buffer(void **state)
{
	struct cl_buf out = CL_BUF_INIT;
	struct cl_spdx_expr *expr = NULL;
	const char *text = "MIT OR Apache-2.0";

	(void)state;
	assert_int_equal(cl_spdx_parse(&expr, text, strlen(text)), 0);
	cl_buf_puts(&out, "License: ");
	assert_int_equal(cl_spdx_expr_to_string(&out, expr), 0);
	assert_string_equal(out.ptr, "License: MIT OR Apache-2.0");
	cl_buf_dispose(&out);

	cl_buf_init(&out, 8);
	assert_int_equal(cl_spdx_expr_to_string(&out, expr), CL_ETOOBIG);
	cl_buf_dispose(&out);
	cl_spdx_expr_free(expr);
	cl_spdx_expr_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_contents),
		cmocka_unit_test(test_list_lookup_every_entry),
		cmocka_unit_test(test_list_replacements_are_clean),
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_validate_table),
		cmocka_unit_test(test_validate_messages),
		cmocka_unit_test(test_validate_stops),
		cmocka_unit_test(test_foreach_id),
		cmocka_unit_test(test_satisfies_table),
		cmocka_unit_test(test_long_chain),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_to_string_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
