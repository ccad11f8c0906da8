/*
 * deps_h12_fixtures.h - the fixture, hostile-input and conformance runner
 * shared by test_deps_python.c, test_deps_go.c and test_deps_cargo.c
 * (header-only: the Makefile links each test from its one .c file).
 *
 * Fixtures: tests/deps/<eco>/<case>/ holds files named as in a real tree
 * (requirements-dev.txt, go.mod, Cargo.lock, ...), and beside each FILE
 * either
 *   FILE.expected  one line per dependency, tab-separated:
 *                  ecosystem name version relation scope license line
 *                  ("-" for NULL), in the order the parser reports them; or
 *   FILE.err       the parse must fail: line 1 the code (EINVALID or
 *                  ETOOBIG), line 2 a text the message must contain. The
 *                  message must start with the path and `out` must be
 *                  unchanged.
 * The parser of a file is the first format whose glob matches its name.
 * DEPS_FIXTURE_PRINT=1 prints what the parsers returned.
 *
 * Every fixture is also parsed cut at every length (truncation), which
 * must never crash and must either succeed or fail cleanly.
 */
#ifndef DEPS_H12_FIXTURES_H
#define DEPS_H12_FIXTURES_H

#include <dirent.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "buf.h"
#include "deps.h"
#include "error.h"

#define FX_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *fx_relation(enum cl_dep_relation r)
{
	return r == CL_DEP_DIRECT ? "direct" : r == CL_DEP_TRANSITIVE ? "transitive" : "unknown";
}

static void fx_format(struct cl_buf *b, const struct cl_dep *d, int with_line)
{
	assert_int_equal(cl_buf_printf(b, "%s\t%s\t%s\t%s\t%s\t%s", d->ecosystem, d->name,
				       d->version ? d->version : "-", fx_relation(d->relation),
				       cl_dep_scope_name(d->scope), d->license ? d->license : "-"), 0);
	if (with_line)
		assert_int_equal(cl_buf_printf(b, "\t%u", d->line), 0);
	assert_int_equal(cl_buf_putc(b, '\n'), 0);
}

static const struct cl_dep_format *fx_format_for(const struct cl_dep_format *formats, const char *base)
{
	for (; formats->name; formats++)
		if (fnmatch(formats->match, base, 0) == 0)
			return formats;
	return NULL;
}

static int fx_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int fx_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted entry names of `dir` (without . and ..); free with fx_names_free. */
static char **fx_names(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;

	if (!d)
		fail_msg("cannot open '%s'", dir);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' && (e->d_name[1] == '\0' || (e->d_name[1] == '.' && e->d_name[2] == '\0')))
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		assert_non_null(names);
		names[n] = strdup(e->d_name);
		assert_non_null(names[n++]);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), fx_cmp);
	*count = n;
	return names;
}

static void fx_names_free(char **names, size_t n)
{
	while (n--)
		free(names[n]);
	free(names);
}

static int fx_read(struct cl_buf *b, const char *path)
{
	cl_buf_init(b, (size_t)256 << 20);
	return cl_buf_read_path(b, path);
}

/* A sentinel already in `out`, to prove a failed parse leaves it alone. */
static void fx_sentinel(struct cl_dep_list *out)
{
	struct cl_dep d;
	memset(&d, 0, sizeof(d));
	d.ecosystem = "sentinel";
	d.name = "sentinel";
	assert_int_equal(cl_dep_list_add(out, &d), 0);
}

/*
 * Parse `len` bytes from an exact-size heap copy (so ASan sees overreads)
 * and check the invariants every outcome must keep. @return the code.
 */
static int fx_parse_checked(cl_dep_parse_fn parse, struct cl_dep_list *out, const char *path,
			    const char *data, size_t len)
{
	char *copy = malloc(len ? len : 1);
	size_t before, i;
	int rc;

	assert_non_null(copy);
	if (len)
		memcpy(copy, data, len);
	fx_sentinel(out);
	before = out->count;
	cl_error_clear();
	rc = parse(out, path, copy, len);
	free(copy);
	if (rc < 0) {
		if (rc != CL_EINVALID && rc != CL_ETOOBIG)
			fail_msg("%s: unexpected code %d (%s)", path, rc, cl_error_last());
		if (out->count != before)
			fail_msg("%s: failed parse changed the list", path);
		if (strncmp(cl_error_last(), path, strlen(path)) != 0 || strchr(cl_error_last(), '\n'))
			fail_msg("%s: message does not start with the path: '%s'", path, cl_error_last());
	} else {
		for (i = before; i < out->count; i++) {
			const struct cl_dep *d = &out->items[i];
			if (!d->name || !d->name[0] || !d->ecosystem || !d->ecosystem[0] || !d->manifest ||
			    strcmp(d->manifest, path) != 0)
				fail_msg("%s: dependency %zu lacks a name, ecosystem or manifest", path, i);
		}
	}
	return rc;
}

static void fx_check_one(const struct cl_dep_format *fmt, const char *file, const char *base_dir)
{
	struct cl_buf data, expect, got = CL_BUF_INIT, side = CL_BUF_INIT;
	struct cl_dep_list out = CL_DEP_LIST_INIT;
	int rc, has_expected, has_err;
	size_t i;

	(void)base_dir;
	cl_buf_init(&got, 0);
	cl_buf_init(&side, 0);
	assert_int_equal(fx_read(&data, file), 0);
	assert_int_equal(cl_buf_printf(&side, "%s.expected", file), 0);
	has_expected = access(cl_buf_cstr(&side), R_OK) == 0;
	if (!has_expected) {
		cl_buf_clear(&side);
		assert_int_equal(cl_buf_printf(&side, "%s.err", file), 0);
	}
	has_err = !has_expected && access(cl_buf_cstr(&side), R_OK) == 0;
	if (!has_expected && !has_err)
		fail_msg("%s: no .expected or .err beside it", file);
	assert_int_equal(fx_read(&expect, cl_buf_cstr(&side)), 0);

	rc = fx_parse_checked(fmt->parse, &out, file, data.ptr ? data.ptr : "", data.size);
	if (has_expected) {
		if (rc != 0)
			fail_msg("%s: parse failed: %s", file, cl_error_last());
		for (i = 1; i < out.count; i++)
			fx_format(&got, &out.items[i], 1);
		if (getenv("DEPS_FIXTURE_PRINT"))
			printf("== %s\n%s", file, cl_buf_cstr(&got));
		if (strcmp(cl_buf_cstr(&got), cl_buf_cstr(&expect)) != 0)
			fail_msg("%s: got\n%s\nexpected\n%s", file, cl_buf_cstr(&got), cl_buf_cstr(&expect));
	} else {
		const char *e = cl_buf_cstr(&expect), *nl = strchr(e, '\n');
		char want[512];
		int code;
		size_t n;

		assert_non_null(nl);
		code = strncmp(e, "ETOOBIG", 7) == 0 ? CL_ETOOBIG : CL_EINVALID;
		n = strcspn(nl + 1, "\n");
		assert_true(n < sizeof(want));
		memcpy(want, nl + 1, n);
		want[n] = '\0';
		if (getenv("DEPS_FIXTURE_PRINT"))
			printf("== %s: %d %s\n", file, rc, cl_error_last());
		if (rc != code)
			fail_msg("%s: expected code %d, got %d (%s)", file, code, rc, cl_error_last());
		if (!strstr(cl_error_last(), want))
			fail_msg("%s: message '%s' lacks '%s'", file, cl_error_last(), want);
	}
	cl_dep_list_dispose(&out);
	cl_buf_dispose(&data);
	cl_buf_dispose(&expect);
	cl_buf_dispose(&got);
	cl_buf_dispose(&side);
}

/*
 * Every case directory of `dir`: every file with a parser. @return the
 * number of files checked. With `truncate`, also every prefix of each.
 */
static size_t fx_run_dir(const struct cl_dep_format *formats, const char *dir, int truncate)
{
	size_t ncase, c, nfile, f, checked = 0;
	char **cases = fx_names(dir, &ncase);

	for (c = 0; c < ncase; c++) {
		struct cl_buf cdir = CL_BUF_INIT;
		char **files;

		cl_buf_init(&cdir, 0);
		assert_int_equal(cl_buf_printf(&cdir, "%s/%s", dir, cases[c]), 0);
		files = fx_names(cl_buf_cstr(&cdir), &nfile);
		for (f = 0; f < nfile; f++) {
			const struct cl_dep_format *fmt;
			struct cl_buf file = CL_BUF_INIT;

			if (fx_ends_with(files[f], ".expected") || fx_ends_with(files[f], ".err"))
				continue;
			fmt = fx_format_for(formats, files[f]);
			if (!fmt)
				fail_msg("%s/%s: no format matches", cl_buf_cstr(&cdir), files[f]);
			cl_buf_init(&file, 0);
			assert_int_equal(cl_buf_printf(&file, "%s/%s", cl_buf_cstr(&cdir), files[f]), 0);
			if (truncate) {
				struct cl_buf data;
				size_t len;
				assert_int_equal(fx_read(&data, cl_buf_cstr(&file)), 0);
				for (len = 0; len <= data.size; len++) {
					struct cl_dep_list out = CL_DEP_LIST_INIT;
					fx_parse_checked(fmt->parse, &out, cl_buf_cstr(&file), data.ptr ? data.ptr : "", len);
					cl_dep_list_dispose(&out);
				}
				cl_buf_dispose(&data);
			} else {
				fx_check_one(fmt, cl_buf_cstr(&file), cl_buf_cstr(&cdir));
			}
			checked++;
			cl_buf_dispose(&file);
		}
		fx_names_free(files, nfile);
		cl_buf_dispose(&cdir);
	}
	fx_names_free(cases, ncase);
	return checked;
}

/* ---- conformance ------------------------------------------------------ */

struct fx_conf {
	const char *file;             /* relative to the corpus directory */
	cl_dep_parse_fn parse;
	size_t count;
	const char *entries[6];       /* formatted lines (no line number) that must appear */
};

/* The corpus directory, or NULL (after printing why) when absent. */
static const char *fx_corpus(struct cl_buf *dir, const char *sub, const char *eco)
{
	const char *shared = getenv("CLEARANCE_SHARED");

	cl_buf_init(dir, 0);
	assert_int_equal(cl_buf_printf(dir, "%s/conformance/deps-examples/%s",
				       shared && *shared ? shared : "../shared", sub), 0);
	if (access(cl_buf_cstr(dir), R_OK) != 0) {
		printf("deps conformance (%s): SKIPPED: corpus not found at %s\n", eco, cl_buf_cstr(dir));
		return NULL;
	}
	return cl_buf_cstr(dir);
}

static void fx_conformance(const struct fx_conf *cases, size_t ncases, const char *sub, const char *eco)
{
	struct cl_buf dir;
	size_t i, j, total = 0;

	if (!fx_corpus(&dir, sub, eco)) {
		cl_buf_dispose(&dir);
		skip();
		return;
	}
	for (i = 0; i < ncases; i++) {
		struct cl_buf path = CL_BUF_INIT, data, got = CL_BUF_INIT;
		struct cl_dep_list out = CL_DEP_LIST_INIT;
		size_t k;

		cl_buf_init(&path, 0);
		cl_buf_init(&got, 0);
		assert_int_equal(cl_buf_printf(&path, "%s/%s", cl_buf_cstr(&dir), cases[i].file), 0);
		if (fx_read(&data, cl_buf_cstr(&path)) < 0)
			fail_msg("deps conformance (%s): cannot read %s", eco, cl_buf_cstr(&path));
		if (fx_parse_checked(cases[i].parse, &out, cl_buf_cstr(&path), data.ptr ? data.ptr : "", data.size) != 0)
			fail_msg("%s: %s", cases[i].file, cl_error_last());
		for (k = 1; k < out.count; k++)
			fx_format(&got, &out.items[k], 0);
		if (out.count - 1 != cases[i].count)
			fail_msg("%s: %zu dependencies, expected %zu:\n%s", cases[i].file, out.count - 1,
				 cases[i].count, cl_buf_cstr(&got));
		for (j = 0; j < FX_COUNT(cases[i].entries) && cases[i].entries[j]; j++) {
			struct cl_buf line = CL_BUF_INIT;
			cl_buf_init(&line, 0);
			assert_int_equal(cl_buf_printf(&line, "%s\n", cases[i].entries[j]), 0);
			if (!strstr(cl_buf_cstr(&got), cl_buf_cstr(&line)))
				fail_msg("%s: missing entry '%s' in\n%s", cases[i].file, cases[i].entries[j],
					 cl_buf_cstr(&got));
			cl_buf_dispose(&line);
		}
		total += cases[i].count;
		cl_dep_list_dispose(&out);
		cl_buf_dispose(&path);
		cl_buf_dispose(&data);
		cl_buf_dispose(&got);
	}
	printf("deps conformance (%s): %zu files, %zu dependencies, all as expected\n", eco, ncases, total);
	cl_buf_dispose(&dir);
}

/* ---- big inputs ------------------------------------------------------- */

static double fx_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Build a document of at least `target` bytes: `head`, then `item`
 * (a printf format taking one unsigned int, the index) repeated, then
 * `tail`.
 */
static void fx_build(struct cl_buf *b, size_t target, const char *head, const char *item, const char *tail)
{
	unsigned int i = 0;

	cl_buf_init(b, 0);
	assert_int_equal(cl_buf_puts(b, head), 0);
	while (b->size < target)
		assert_int_equal(cl_buf_printf(b, item, i++), 0);
	assert_int_equal(cl_buf_puts(b, tail), 0);
}

/*
 * Parse `b` and return the wall time in seconds; the result code must be
 * `want` (0 also checks at least one dependency came back).
 */
static double fx_time_parse(cl_dep_parse_fn parse, const char *path, const struct cl_buf *b, int want)
{
	struct cl_dep_list out = CL_DEP_LIST_INIT;
	double t0 = fx_now(), dt;
	int rc = parse(&out, path, b->ptr, b->size);

	dt = fx_now() - t0;
	if (rc != want)
		fail_msg("%s: %zu bytes: got %d, expected %d (%s)", path, b->size, rc, want, cl_error_last());
	if (want == 0)
		assert_true(out.count > 0);
	else
		assert_int_equal(out.count, 0);
	cl_dep_list_dispose(&out);
	return dt;
}

#endif
