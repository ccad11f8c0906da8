/*
 * deps_h13_fixtures.h - the fixture runner shared by test_deps_maven.c,
 * test_deps_gradle.c and test_deps_nuget.c (header-only: each test is one
 * program, and the Makefile links a test from its one .c file).
 *
 * Layout: tests/deps/<eco>/<case>/ holds manifest files named as in a real
 * tree (pom.xml, build.gradle.kts, packages.lock.json, ...) and either
 *   expected  one line per dependency, tab-separated:
 *             ecosystem name version relation scope license line
 *             ("-" for a NULL string), in the order the files (sorted by
 *             name) and the parser report them; or
 *   error     the parse must fail: line 1 is the code (EINVALID, ETOOBIG),
 *             line 2 a text the message must contain. The message must
 *             also start with the file's path and `out` must be unchanged.
 * The parser of a file is the first format whose glob matches its name.
 * DEPS_FIXTURE_PRINT=1 prints what the parsers returned; DEPS_FIXTURE_UPDATE=1
 * writes it to `expected` (review the diff before keeping it).
 */
#ifndef DEPS_H13_FIXTURES_H
#define DEPS_H13_FIXTURES_H

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
#include <cmocka.h>

#include "buf.h"
#include "deps.h"
#include "error.h"

static int fx_read(struct cl_buf *b, const char *path)
{
	cl_buf_init(b, (size_t)256 << 20);
	return cl_buf_read_path(b, path);
}

static const char *fx_relation(enum cl_dep_relation r)
{
	return r == CL_DEP_DIRECT ? "direct" : r == CL_DEP_TRANSITIVE ? "transitive" : "unknown";
}

static void fx_format(struct cl_buf *b, const struct cl_dep *d, int with_line)
{
	assert_int_equal(cl_buf_printf(b, "%s\t%s\t%s\t%s\t%s\t%s", d->ecosystem, d->name, d->version ? d->version : "-",
	                               fx_relation(d->relation), cl_dep_scope_name(d->scope),
	                               d->license ? d->license : "-"), 0);
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

static int fx_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names of the entries of `dir` (not starting with '.'); count in *n. */
static char **fx_list(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t alloc = 0;

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (*n == alloc) {
			alloc = alloc ? alloc * 2 : 16;
			v = realloc(v, alloc * sizeof(*v));
			assert_non_null(v);
		}
		v[(*n)++] = strdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof(*v), fx_cmp);
	return v;
}

static void fx_free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* A list holding one sentinel entry, to check a failed parse left it alone. */
static void fx_sentinel(struct cl_dep_list *l)
{
	struct cl_dep d = { "sentinel", "x", "1", CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL, "s", 1 };

	assert_int_equal(cl_dep_list_add(l, &d), 0);
}

static void fx_expect_failure(int rc, const char *path, const struct cl_dep_list *l, const char *code, const char *text)
{
	const char *msg = cl_error_last();

	if (strcmp(code, "ETOOBIG") == 0)
		assert_int_equal(rc, CL_ETOOBIG);
	else
		assert_int_equal(rc, CL_EINVALID);
	if (strncmp(msg, path, strlen(path)) != 0 || !strstr(msg, text)) {
		print_error("%s: message '%s' (want prefix '%s', text '%s')\n", path, msg, path, text);
		fail();
	}
	assert_int_equal(l->count, 1);
	assert_string_equal(l->items[0].ecosystem, "sentinel");
}

static size_t fx_run_case(const char *casedir, const struct cl_dep_format *formats)
{
	struct cl_dep_list list = CL_DEP_LIST_INIT;
	struct cl_buf got, want, errtext, path;
	char **files;
	size_t n, i, checked = 0;
	int expect_error = 0;
	char code[32] = "", text[512] = "";

	cl_buf_init(&got, 0);
	cl_buf_init(&path, 0);
	assert_int_equal(cl_buf_printf(&path, "%s/error", casedir), 0);
	if (fx_read(&errtext, path.ptr) == 0) {
		char *nl;

		expect_error = 1;
		nl = strchr(errtext.ptr, '\n');
		assert_non_null(nl);
		snprintf(code, sizeof(code), "%.*s", (int)(nl - errtext.ptr), errtext.ptr);
		snprintf(text, sizeof(text), "%s", nl + 1);
		text[strcspn(text, "\n")] = '\0';
	}
	cl_buf_dispose(&errtext);

	files = fx_list(casedir, &n);
	for (i = 0; i < n; i++) {
		const struct cl_dep_format *f;
		struct cl_buf data;
		size_t before;
		int rc;

		if (strcmp(files[i], "expected") == 0 || strcmp(files[i], "error") == 0)
			continue;
		f = fx_format_for(formats, files[i]);
		if (!f) {
			print_error("%s/%s: no format matches\n", casedir, files[i]);
			fail();
		}
		cl_buf_clear(&path);
		assert_int_equal(cl_buf_printf(&path, "%s/%s", casedir, files[i]), 0);
		assert_int_equal(fx_read(&data, path.ptr), 0);
		if (expect_error) {
			fx_sentinel(&list);
			rc = f->parse(&list, path.ptr, data.ptr ? data.ptr : "", data.size);
			fx_expect_failure(rc, path.ptr, &list, code, text);
			cl_dep_list_dispose(&list);
		} else {
			before = list.count;
			rc = f->parse(&list, path.ptr, data.ptr ? data.ptr : "", data.size);
			if (rc != 0)
				print_error("%s: %s\n", path.ptr, cl_error_last());
			assert_int_equal(rc, 0);
			for (; before < list.count; before++) {
				assert_string_equal(list.items[before].manifest, path.ptr);
				fx_format(&got, &list.items[before], 1);
			}
		}
		cl_buf_dispose(&data);
		checked++;
	}
	fx_free_list(files, n);
	if (!expect_error) {
		cl_buf_clear(&path);
		assert_int_equal(cl_buf_printf(&path, "%s/expected", casedir), 0);
		if (getenv("DEPS_FIXTURE_PRINT"))
			fprintf(stderr, "== %s\n%s", casedir, cl_buf_cstr(&got));
		if (getenv("DEPS_FIXTURE_UPDATE")) {
			FILE *fp = fopen(path.ptr, "w");

			assert_non_null(fp);
			fputs(cl_buf_cstr(&got), fp);
			fclose(fp);
		}
		assert_int_equal(fx_read(&want, path.ptr), 0);
		if (strcmp(cl_buf_cstr(&want), cl_buf_cstr(&got)) != 0) {
			print_error("%s: got\n%s\nwant\n%s\n", casedir, cl_buf_cstr(&got), cl_buf_cstr(&want));
			fail();
		}
		cl_buf_dispose(&want);
	}
	assert_true(checked > 0);
	cl_dep_list_dispose(&list);
	cl_buf_dispose(&got);
	cl_buf_dispose(&path);
	return checked;
}

/* Every case directory under `dir`; fails when there are none. */
static void fx_run_dir(const char *dir, const struct cl_dep_format *formats)
{
	char **cases;
	size_t n, i, files = 0;

	cases = fx_list(dir, &n);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		char sub[1024];

		snprintf(sub, sizeof(sub), "%s/%s", dir, cases[i]);
		files += fx_run_case(sub, formats);
	}
	print_message("%s: %zu cases, %zu files\n", dir, n, files);
	fx_free_list(cases, n);
}

/* The conformance corpus directory, or NULL (with the SKIPPED line printed). */
static const char *fx_conformance_dir(char *buf, size_t size, const char *sub, const char *eco)
{
	const char *shared = getenv("CLEARANCE_SHARED");
	struct stat st;

	snprintf(buf, size, "%s/conformance/deps-examples/%s", shared && *shared ? shared : "../shared", sub);
	if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
		printf("deps conformance (%s): SKIPPED: corpus not found at %s\n", eco, buf);
		return NULL;
	}
	return buf;
}

/* Parse conformance file `name` of `dir` with `parse` into `list` (must succeed). */
static void fx_parse_file(struct cl_dep_list *list, const char *dir, const char *name, cl_dep_parse_fn parse)
{
	struct cl_buf data;
	char path[1024];
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(fx_read(&data, path), 0);
	rc = parse(list, path, data.ptr ? data.ptr : "", data.size);
	if (rc != 0)
		print_error("%s: %s\n", path, cl_error_last());
	assert_int_equal(rc, 0);
	cl_buf_dispose(&data);
}

/* The entry named `name` (and `version` unless NULL), else fail. */
static const struct cl_dep *fx_find(const struct cl_dep_list *l, const char *name, const char *version)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		if (strcmp(l->items[i].name, name) == 0 &&
		    (!version || (l->items[i].version && strcmp(l->items[i].version, version) == 0)))
			return &l->items[i];
	print_error("no dependency '%s' %s\n", name, version ? version : "");
	fail();
	return NULL;
}

static void fx_check(const struct cl_dep_list *l, const char *name, const char *version, enum cl_dep_relation rel,
                     enum cl_dep_scope scope)
{
	const struct cl_dep *d = fx_find(l, name, version);

	assert_int_equal(d->relation, rel);
	assert_int_equal(d->scope, scope);
	if (!version)
		assert_null(d->version);
}

static double fx_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Parse a generated input that must fail (or succeed) within `limit`
 * seconds; a failure must start with the path and leave the list alone.
 * @return the parse's return code
 */
static int fx_timed(cl_dep_parse_fn parse, const char *path, const char *data, size_t len, double limit, double *secs)
{
	struct cl_dep_list l = CL_DEP_LIST_INIT;
	double t0 = fx_now(), dt;
	int rc;

#if defined(__SANITIZE_ADDRESS__)
	/* sanitizers slow parsing several times over; the bound is about hangs */
	limit *= 5;
#endif
	fx_sentinel(&l);
	rc = parse(&l, path, data, len);
	dt = fx_now() - t0;
	if (secs)
		*secs = dt;
	if (dt > limit) {
		print_error("%s: %zu bytes took %.2fs (limit %.1fs)\n", path, len, dt, limit);
		fail();
	}
	if (rc < 0) {
		assert_int_equal(strncmp(cl_error_last(), path, strlen(path)), 0);
		assert_int_equal(l.count, 1);
	} else {
		size_t i;

		for (i = 1; i < l.count; i++)
			assert_true(l.items[i].name[0] && l.items[i].ecosystem[0]);
	}
	cl_dep_list_dispose(&l);
	return rc;
}

#endif
