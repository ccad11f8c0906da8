/*
 * test_report.c - findings to JSON and to text.
 *
 * Text cases are data files, tests/report/NAME.txt (STYLE.md 5): free text,
 * then <findings> (a JSON array of findings), <options> (verdict, hint,
 * policy, checked, verbose) and <expect> (the exact text). Adding a case
 * is adding a file. Run from the top of the tree, or point
 * CLEARANCE_REPORT_CASES at the directory.
 *
 * Bytes that are not UTF-8 cannot be written in JSON, so those cases, the
 * grouping of the JSON document and the limits are tested in code below.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "buf.h"
#include "error.h"
#include "finding.h"
#include "report.h"

/* ---- case files ------------------------------------------------------- */

struct case_file {
	char *path;
	char *name;
};

/* The text between "<tag>\n" and "</tag>", or NULL. Points into text. */
static const char *section(size_t *len, const char *text, const char *tag)
{
	char open[64], close[64];
	const char *a, *b;

	snprintf(open, sizeof(open), "<%s>\n", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	if ((a = strstr(text, open)) == NULL)
		return NULL;
	a += strlen(open);
	if ((b = strstr(a, close)) == NULL)
		return NULL;
	*len = (size_t)(b - a);
	return a;
}

static json_t *section_json(const char *text, const char *tag, const char *file)
{
	const char *s;
	size_t len;
	json_error_t err;
	json_t *v;

	if ((s = section(&len, text, tag)) == NULL)
		fail_msg("%s: no <%s> section", file, tag);
	if ((v = json_loadb(s, len, 0, &err)) == NULL)
		fail_msg("%s: <%s> line %d: %s", file, tag, err.line, err.text);
	return v;
}

static const char *jstr(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static void add_findings(struct cl_findings *list, json_t *arr, const char *file)
{
	size_t i;
	json_t *o;

	json_array_foreach(arr, i, o) {
		struct cl_finding f;
		memset(&f, 0, sizeof(f));
		f.check = jstr(o, "check");
		if (cl_severity_parse(&f.severity, jstr(o, "severity") ? jstr(o, "severity") : "?") < 0)
			fail_msg("%s: finding %zu: %s", file, i, cl_error_last());
		f.ref = jstr(o, "ref");
		f.commit = jstr(o, "commit");
		f.subject = jstr(o, "subject");
		f.path = jstr(o, "path");
		f.line = (unsigned int)json_integer_value(json_object_get(o, "line"));
		f.rule = jstr(o, "rule");
		f.message = jstr(o, "message");
		f.remedy = jstr(o, "remedy");
		f.key = jstr(o, "key");
		assert_int_equal(cl_findings_add(list, &f), 0);
	}
}

static void test_case_file(void **state)
{
	const struct case_file *cf = *state;
	struct cl_buf text = CL_BUF_INIT, out;
	struct cl_findings *list = NULL;
	struct cl_report_options opts = CL_REPORT_OPTIONS_INIT;
	json_t *findings, *options;
	const char *expect;
	size_t expect_len;

	cl_buf_init(&out, 1 << 20);
	if (cl_buf_read_path(&text, cf->path) < 0)
		fail_msg("%s", cl_error_last());
	findings = section_json(cl_buf_cstr(&text), "findings", cf->name);
	options = section_json(cl_buf_cstr(&text), "options", cf->name);
	if ((expect = section(&expect_len, cl_buf_cstr(&text), "expect")) == NULL)
		fail_msg("%s: no <expect> section", cf->name);

	assert_int_equal(cl_findings_new(&list), 0);
	add_findings(list, findings, cf->name);
	opts.verbose = json_is_true(json_object_get(options, "verbose"));
	opts.verdict = jstr(options, "verdict");
	opts.hint = jstr(options, "hint");
	opts.policy = jstr(options, "policy");
	opts.commits_checked = (size_t)json_integer_value(json_object_get(options, "checked"));

	if (cl_report_text(&out, list, &opts) < 0)
		fail_msg("%s: %s", cf->name, cl_error_last());
	if (out.size != expect_len || memcmp(cl_buf_cstr(&out), expect, expect_len) != 0)
		fail_msg("%s: text differs\n--- got\n%s--- want\n%.*s---", cf->name,
			cl_buf_cstr(&out), (int)expect_len, expect);

	cl_findings_free(list);
	json_decref(findings);
	json_decref(options);
	cl_buf_dispose(&text);
	cl_buf_dispose(&out);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct case_file *)a)->name, ((const struct case_file *)b)->name);
}

static struct case_file *load_case_files(size_t *count)
{
	const char *dir = getenv("CLEARANCE_REPORT_CASES");
	struct case_file *files = NULL;
	size_t n = 0;
	struct dirent *e;
	DIR *d;

	if (!dir)
		dir = "tests/report";
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "test_report: cannot open '%s' (run from the top of the tree)\n", dir);
		*count = 0;
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		struct case_file *p;
		char path[4096];

		if (len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
			continue;
		if ((p = realloc(files, (n + 1) * sizeof(*p))) == NULL)
			abort();
		files = p;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		files[n].path = strdup(path);
		files[n].name = strdup(e->d_name);
		if (!files[n].path || !files[n].name)
			abort();
		n++;
	}
	closedir(d);
	if (n)
		qsort(files, n, sizeof(*files), name_cmp);
	*count = n;
	return files;
}

/* ---- helpers for the code cases --------------------------------------- */

static void add(struct cl_findings *list, enum cl_severity sev, const char *ref,
	const char *commit, const char *subject, const char *message)
{
	struct cl_finding f;

	memset(&f, 0, sizeof(f));
	f.check = "dco";
	f.severity = sev;
	f.ref = ref;
	f.commit = commit;
	f.subject = subject;
	f.rule = "dco.missing";
	f.message = message;
	assert_int_equal(cl_findings_add(list, &f), 0);
}

static const char *msg_of(json_t *arr, size_t i)
{
	return json_string_value(json_object_get(json_array_get(arr, i), "message"));
}

#define C1 "1111111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define C2 "2222222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define C3 "3333333333cccccccccccccccccccccccccccccc"

/* ---- JSON ------------------------------------------------------------- */

static void test_json_grouping(void **state)
{
	struct cl_findings *list;
	json_t *doc, *refs, *main_ref, *dev, *none, *commits, *c1;
	size_t n_refs;

	(void)state;
	assert_int_equal(cl_findings_new(&list), 0);
	add(list, CL_SEVERITY_ERROR, "refs/heads/main", C1, "First", "m1");
	add(list, CL_SEVERITY_WARNING, "refs/heads/dev", C2, NULL, "d1");
	add(list, CL_SEVERITY_ERROR, "refs/heads/main", C3, "Third", "m2");
	add(list, CL_SEVERITY_NOTICE, NULL, NULL, NULL, "n1");
	add(list, CL_SEVERITY_ERROR, "refs/heads/main", C1, "First", "m3");
	add(list, CL_SEVERITY_ERROR, "refs/heads/main", NULL, NULL, "m4");
	/* the subject arrives with a later finding of the same commit */
	add(list, CL_SEVERITY_WARNING, "refs/heads/dev", C2, "Second", "d2");
	/* the same commit reached through another ref is grouped under each */
	add(list, CL_SEVERITY_WARNING, "refs/heads/dev", C1, "First", "d3");

	assert_int_equal(cl_report_json(&doc, list, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(doc, "verdict")), "rejected");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "summary"),
		"problems")), 8);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "summary"),
		"errors")), 4);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "summary"),
		"warnings")), 3);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "summary"),
		"notices")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "summary"),
		"commits")), 3);
	assert_null(json_object_get(json_object_get(doc, "summary"), "checked"));
	assert_null(json_object_get(doc, "hint"));
	assert_null(json_object_get(doc, "policy"));

	refs = json_object_get(doc, "refs");
	n_refs = json_array_size(refs);
	assert_int_equal(n_refs, 3);
	main_ref = json_array_get(refs, 0);
	dev = json_array_get(refs, 1);
	none = json_array_get(refs, 2);
	assert_string_equal(json_string_value(json_object_get(main_ref, "ref")), "refs/heads/main");
	assert_string_equal(json_string_value(json_object_get(dev, "ref")), "refs/heads/dev");
	assert_true(json_is_null(json_object_get(none, "ref")));

	commits = json_object_get(main_ref, "commits");
	assert_int_equal(json_array_size(commits), 2);
	c1 = json_array_get(commits, 0);
	assert_string_equal(json_string_value(json_object_get(c1, "commit")), C1);
	assert_string_equal(json_string_value(json_object_get(c1, "short")), "1111111111");
	assert_int_equal(strlen(json_string_value(json_object_get(c1, "short"))), CL_REPORT_SHORT_ID);
	assert_string_equal(json_string_value(json_object_get(c1, "subject")), "First");
	assert_int_equal(json_array_size(json_object_get(c1, "findings")), 2);
	assert_string_equal(msg_of(json_object_get(c1, "findings"), 0), "m1");
	assert_string_equal(msg_of(json_object_get(c1, "findings"), 1), "m3");
	assert_string_equal(json_string_value(json_object_get(json_array_get(commits, 1), "commit")), C3);
	assert_int_equal(json_array_size(json_object_get(main_ref, "findings")), 1);
	assert_string_equal(msg_of(json_object_get(main_ref, "findings"), 0), "m4");

	commits = json_object_get(dev, "commits");
	assert_int_equal(json_array_size(commits), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(commits, 0), "subject")),
		"Second");
	assert_string_equal(msg_of(json_object_get(json_array_get(commits, 0), "findings"), 1), "d2");
	assert_string_equal(json_string_value(json_object_get(json_array_get(commits, 1), "commit")), C1);
	assert_int_equal(json_array_size(json_object_get(dev, "findings")), 0);

	assert_int_equal(json_array_size(json_object_get(none, "commits")), 0);
	assert_string_equal(msg_of(json_object_get(none, "findings"), 0), "n1");
	/* findings are complete records on their own */
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(c1, "findings"), 0), "rule")), "dco.missing");
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(json_object_get(c1, "findings"), 0), "severity")), "error");
	json_decref(doc);
	cl_findings_free(list);
}

static void test_json_options(void **state)
{
	struct cl_findings *list;
	struct cl_report_options opts = CL_REPORT_OPTIONS_INIT;
	json_t *doc;
	char *dump;

	(void)state;
	assert_int_equal(cl_findings_new(&list), 0);

	/* nothing found */
	assert_int_equal(cl_report_json(&doc, list, &opts), 0);
	assert_string_equal(json_string_value(json_object_get(doc, "verdict")), "accepted");
	assert_int_equal(json_array_size(json_object_get(doc, "refs")), 0);
	json_decref(doc);

	/* warnings alone do not reject */
	add(list, CL_SEVERITY_WARNING, "refs/heads/x", "abc", "Short id", "w");
	opts.commits_checked = 9;
	opts.hint = "h";
	opts.policy = "/p.yml";
	assert_int_equal(cl_report_json(&doc, list, &opts), 0);
	assert_string_equal(json_string_value(json_object_get(doc, "verdict")), "accepted");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "summary"),
		"checked")), 9);
	assert_string_equal(json_string_value(json_object_get(doc, "hint")), "h");
	assert_string_equal(json_string_value(json_object_get(doc, "policy")), "/p.yml");
	/* ids shorter than the short form are kept whole */
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(
		json_array_get(json_object_get(doc, "refs"), 0), "commits"), 0), "short")), "abc");
	/* the order a person reads a dump in */
	dump = json_dumps(doc, JSON_COMPACT);
	assert_non_null(dump);
	assert_true(strncmp(dump, "{\"verdict\":\"accepted\",\"summary\":{\"problems\":1,", 45) == 0);
	free(dump);
	json_decref(doc);

	opts.verdict = "accepted by override";
	assert_int_equal(cl_report_json(&doc, list, &opts), 0);
	assert_string_equal(json_string_value(json_object_get(doc, "verdict")),
		"accepted by override");
	json_decref(doc);
	cl_findings_free(list);
}

/* ---- lossy UTF-8 ------------------------------------------------------ */

#define FFFD "\xEF\xBF\xBD"

static void test_lossy_utf8(void **state)
{
	/* expectations follow Unicode 3.9 "U+FFFD Substitution of Maximal Subparts" */
	static const struct { const char *in, *out; } t[] = {
		{ "", "" },
		{ "plain ascii", "plain ascii" },
		{ "caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80", "caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80" },
		{ "\xFF", FFFD },
		{ "a\xFF" "b", "a" FFFD "b" },
		{ "latin-1 caf\xE9", "latin-1 caf" FFFD },
		{ "a\xC3", "a" FFFD },                          /* truncated at the end */
		{ "\xE2\x82" "x", FFFD "x" },                   /* one subpart, one U+FFFD */
		{ "\xF0\x9F\x98" "x", FFFD "x" },
		{ "\xC0\xAF", FFFD FFFD },                      /* overlong: C0 never starts one */
		{ "\xE0\x80\x80", FFFD FFFD FFFD },             /* overlong 3-byte */
		{ "\xED\xA0\x80", FFFD FFFD FFFD },             /* a surrogate */
		{ "\xED\x9F\xBF", "\xED\x9F\xBF" },             /* U+D7FF, just below them */
		{ "\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF" },     /* U+10FFFF */
		{ "\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD },    /* past U+10FFFF */
		{ "\xF5\x80", FFFD FFFD },
		{ "\x80\x80", FFFD FFFD },                      /* stray continuations */
		{ "\xC3\xA9\xC3", "\xC3\xA9" FFFD },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		json_t *s = cl_json_string_lossy(t[i].in);
		assert_non_null(s);
		if (strcmp(json_string_value(s), t[i].out) != 0)
			fail_msg("case %zu: got [%s] want [%s]", i, json_string_value(s), t[i].out);
		json_decref(s);
	}
}

static void test_not_utf8_findings(void **state)
{
	struct cl_findings *list;
	struct cl_buf out = CL_BUF_INIT;
	struct cl_finding f;
	json_t *doc, *c;
	char *dump;

	(void)state;
	assert_int_equal(cl_findings_new(&list), 0);
	memset(&f, 0, sizeof(f));
	f.check = "header";
	f.severity = CL_SEVERITY_ERROR;
	f.ref = "refs/heads/caf\xE9";
	f.commit = C1;
	f.subject = "R\xE9sum\xE9 support";
	f.path = "docs/r\xE9sum\xE9.txt";
	f.line = 3;
	f.rule = "header.missing";
	f.message = "no license header";
	assert_int_equal(cl_findings_add(list, &f), 0);
	/* a second ref differing only in an invalid byte stays a separate group */
	f.ref = "refs/heads/caf\xE8";
	assert_int_equal(cl_findings_add(list, &f), 0);

	assert_int_equal(cl_report_json(&doc, list, NULL), 0);
	dump = json_dumps(doc, 0);
	assert_non_null(dump);
	free(dump);
	assert_int_equal(json_array_size(json_object_get(doc, "refs")), 2);
	c = json_array_get(json_object_get(json_array_get(json_object_get(doc, "refs"), 0),
		"commits"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "subject")),
		"R" FFFD "sum" FFFD " support");
	json_decref(doc);

	assert_int_equal(cl_report_text(&out, list, NULL), 0);
	assert_non_null(strstr(cl_buf_cstr(&out), "\n  commit 1111111111 \"R" FFFD "sum" FFFD
		" support\"\n    error[header.missing]: docs/r" FFFD "sum" FFFD ".txt:3: no license header\n"));
	assert_non_null(strstr(cl_buf_cstr(&out), "\nrefs/heads/caf" FFFD "\n"));
	cl_buf_dispose(&out);
	cl_findings_free(list);
}

/* ---- text: limits and failures ---------------------------------------- */

static size_t count_substr(const char *s, const char *sub)
{
	size_t n = 0;
	while ((s = strstr(s, sub)) != NULL) {
		n++;
		s += strlen(sub);
	}
	return n;
}

static void test_text_truncates(void **state)
{
	struct cl_findings *list;
	struct cl_buf out = CL_BUF_INIT;
	char id[41], msg[32];
	size_t i, total = CL_REPORT_TEXT_MAX_FINDINGS + 25;

	(void)state;
	assert_int_equal(cl_findings_new(&list), 0);
	for (i = 0; i < total; i++) {
		snprintf(id, sizeof(id), "%040zx", i);
		snprintf(msg, sizeof(msg), "problem %zu", i);
		/* one ref-level finding first, to check the budget spans groups */
		add(list, CL_SEVERITY_ERROR, i % 2 ? "refs/heads/a" : "refs/heads/b",
			i == 0 ? NULL : id, "Subject", msg);
	}
	assert_int_equal(cl_report_text(&out, list, NULL), 0);
	assert_int_equal(count_substr(cl_buf_cstr(&out), "error[dco.missing]"),
		CL_REPORT_TEXT_MAX_FINDINGS);
	assert_int_equal(count_substr(cl_buf_cstr(&out), "  commit "),
		CL_REPORT_TEXT_MAX_FINDINGS - 1);
	assert_non_null(strstr(cl_buf_cstr(&out), "\n... and 25 more problems not shown\n\n"
		"125 errors, 0 warnings.\n"));
	assert_non_null(strstr(cl_buf_cstr(&out), "clearance: rejected (125 problems in 124 commits)\n"));
	/* the JSON is never trimmed */
	{
		json_t *doc;
		assert_int_equal(cl_report_json(&doc, list, NULL), 0);
		assert_int_equal(json_array_size(json_object_get(json_array_get(
			json_object_get(doc, "refs"), 0), "commits")), 62);
		json_decref(doc);
	}
	cl_buf_dispose(&out);
	cl_findings_free(list);
}

static void test_text_failure_leaves_buffer(void **state)
{
	struct cl_findings *list;
	struct cl_buf out;

	(void)state;
	assert_int_equal(cl_findings_new(&list), 0);
	add(list, CL_SEVERITY_ERROR, "refs/heads/main", C1, "Subject", "a problem");
	cl_buf_init(&out, 40);
	assert_int_equal(cl_buf_puts(&out, "before\n"), 0);
	assert_int_equal(cl_report_text(&out, list, NULL), CL_ETOOBIG);
	assert_string_equal(cl_buf_cstr(&out), "before\n");
	cl_buf_dispose(&out);
	cl_findings_free(list);
}

static void test_text_override_template(void **state)
{
	char dir[] = "/tmp/cl-report-XXXXXX", path[256];
	struct cl_findings *list;
	struct cl_buf out = CL_BUF_INIT;
	FILE *fp;

	(void)state;
	assert_int_equal(cl_findings_new(&list), 0);
	add(list, CL_SEVERITY_ERROR, "refs/heads/main", C1, "S <b>", "m");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/report.txt", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("{{verdict}}:{{#refs}}{{#commits}}{{title}}{{/commits}}{{/refs}}\n", fp);
	fclose(fp);
	setenv("CLEARANCE_TEMPLATE_DIR", dir, 1);
	assert_int_equal(cl_report_text(&out, list, NULL), 0);
	/* text is never HTML-escaped */
	assert_string_equal(cl_buf_cstr(&out), "rejected:S <b>\n");

	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("line one\n{{#refs}}\n", fp);
	fclose(fp);
	cl_buf_clear(&out);
	assert_int_equal(cl_report_text(&out, list, NULL), CL_EINVALID);
	assert_string_equal(cl_error_last(), "report.txt:2: unclosed section '{{#refs}}'");
	assert_int_equal(out.size, 0);

	unsetenv("CLEARANCE_TEMPLATE_DIR");
	remove(path);
	rmdir(dir);
	cl_buf_dispose(&out);
	cl_findings_free(list);
}

/* The shipped template keeps lines short enough for "remote: " on a terminal. */
static void test_text_line_width(void **state)
{
	struct cl_findings *list;
	struct cl_buf out = CL_BUF_INIT;
	struct cl_finding f;
	const char *line;
	char long_subject[300];

	(void)state;
	memset(long_subject, 'x', sizeof(long_subject) - 1);
	long_subject[sizeof(long_subject) - 1] = '\0';
	assert_int_equal(cl_findings_new(&list), 0);
	memset(&f, 0, sizeof(f));
	f.check = "dco";
	f.severity = CL_SEVERITY_ERROR;
	f.ref = "refs/heads/main";
	f.commit = C1;
	f.subject = long_subject;
	f.rule = "dco.missing";
	f.message = "no Signed-off-by trailer for the author";
	f.remedy = "git rebase --signoff origin/main";
	assert_int_equal(cl_findings_add(list, &f), 0);
	assert_int_equal(cl_report_text(&out, list, NULL), 0);
	for (line = cl_buf_cstr(&out); *line; ) {
		size_t len = strcspn(line, "\n");
		if (len > 92)   /* 100 less "remote: " */
			fail_msg("line of %zu columns: %.*s", len, (int)len, line);
		line += len + (line[len] == '\n');
	}
	cl_buf_dispose(&out);
	cl_findings_free(list);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_json_grouping),
		cmocka_unit_test(test_json_options),
		cmocka_unit_test(test_lossy_utf8),
		cmocka_unit_test(test_not_utf8_findings),
		cmocka_unit_test(test_text_truncates),
		cmocka_unit_test(test_text_failure_leaves_buffer),
		cmocka_unit_test(test_text_override_template),
		cmocka_unit_test(test_text_line_width),
	};
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]), nfiles, i;
	struct case_file *files;
	struct CMUnitTest *tests;
	int failed;

	unsetenv("CLEARANCE_TEMPLATE_DIR");
	files = load_case_files(&nfiles);
	if (nfiles == 0) {
		fprintf(stderr, "test_report: no case files found\n");
		return 1;
	}
	if ((tests = calloc(nfiles + nfixed, sizeof(*tests))) == NULL)
		return 1;
	for (i = 0; i < nfiles; i++) {
		tests[i].name = files[i].name;
		tests[i].test_func = test_case_file;
		tests[i].initial_state = &files[i];
	}
	memcpy(tests + nfiles, fixed, sizeof(fixed));
	failed = _cmocka_run_group_tests("report", tests, nfiles + nfixed, NULL, NULL);
	for (i = 0; i < nfiles; i++) {
		free(files[i].path);
		free(files[i].name);
	}
	free(files);
	free(tests);
	return failed;
}
