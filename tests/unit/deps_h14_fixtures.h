/*
 * deps_h14_fixtures.h - shared driver of the fixture tests of the Ruby,
 * Composer, C/C++, git-submodule and GitHub Actions dependency parsers
 * (tests/unit/test_deps_{ruby,composer,cpp,git,actions}.c).
 *
 * Layout: tests/deps/ECO/CASE/FILE is parsed by the format of the table whose
 * glob matches FILE's base name (or whose name is FILE's name minus a
 * ".fixture" suffix). Next to it, FILE.expected lists the result, one
 * dependency a line, tab-separated:
 *     ecosystem name version relation scope license line
 * with "-" for NULL; or FILE.err holds a substring the error message must
 * contain (the message must also start with the path).
 *
 * Every input is also parsed from each of its prefixes (truncation): the
 * parser returns 0 or CL_EINVALID, and a failure leaves the list untouched.
 */
#ifndef DEPS_H14_FIXTURES_H
#define DEPS_H14_FIXTURES_H

#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "deps.h"
#include "error.h"

#define H14_UNUSED __attribute__((unused))

/* Parse from an exact-size heap copy so ASan sees any read past the end. */
H14_UNUSED static int h14_parse(cl_dep_parse_fn fn, struct cl_dep_list *out, const char *path, const char *data,
				size_t len)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, data, len);
	rc = fn(out, path, copy, len);
	free(copy);
	return rc;
}

H14_UNUSED static const char *h14_rel(enum cl_dep_relation r)
{
	return r == CL_DEP_DIRECT ? "direct" : r == CL_DEP_TRANSITIVE ? "transitive" : "unknown";
}

/* The list in the .expected format. */
H14_UNUSED static void h14_dump(struct cl_buf *b, const struct cl_dep_list *list, size_t from)
{
	size_t i;

	for (i = from; i < list->count; i++) {
		const struct cl_dep *d = &list->items[i];
		assert_int_equal(cl_buf_printf(b, "%s\t%s\t%s\t%s\t%s\t%s\t%u\n", d->ecosystem, d->name,
					       d->version ? d->version : "-", h14_rel(d->relation),
					       cl_dep_scope_name(d->scope), d->license ? d->license : "-", d->line),
				 0);
	}
}

H14_UNUSED static const struct cl_dep_format *h14_format_for(const struct cl_dep_format *formats, const char *base)
{
	size_t n = strlen(base), i;
	const char *suffix = ".fixture";

	for (i = 0; formats[i].name; i++) {
		if (n > strlen(suffix) && strcmp(base + n - strlen(suffix), suffix) == 0 &&
		    strncmp(base, formats[i].name, n - strlen(suffix)) == 0 && formats[i].name[n - strlen(suffix)] == '\0')
			return &formats[i];
	}
	/* Fixtures sit in flat case directories: match a path glob's last part. */
	for (i = 0; formats[i].name; i++) {
		const char *m = strrchr(formats[i].match, '/');
		if (fnmatch(m ? m + 1 : formats[i].match, base, 0) == 0)
			return &formats[i];
	}
	return NULL;
}

/* Every prefix of `data` parses to 0 or CL_EINVALID; failures leave `out` alone. */
H14_UNUSED static void h14_truncations(cl_dep_parse_fn fn, const char *path, const char *data, size_t len)
{
	size_t cut;

	for (cut = 0; cut < len; cut++) {
		struct cl_dep_list list = CL_DEP_LIST_INIT;
		struct cl_dep sentinel = { "x", "sentinel", NULL, CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL, "m", 0 };
		int rc;

		assert_int_equal(cl_dep_list_add(&list, &sentinel), 0);
		rc = h14_parse(fn, &list, path, data, cut);
		if (rc != 0 && rc != CL_EINVALID)
			fail_msg("%s cut at %zu: rc %d (%s)", path, cut, rc, cl_error_last());
		if (rc != 0) {
			assert_int_equal(list.count, 1);
			assert_int_equal(strncmp(cl_error_last(), path, strlen(path)), 0);
		}
		for (size_t i = 0; i < list.count; i++) {
			assert_non_null(list.items[i].name);
			assert_true(list.items[i].name[0] != '\0');
			assert_true(list.items[i].ecosystem[0] != '\0');
		}
		cl_dep_list_dispose(&list);
	}
}

/* Run every fixture under tests/deps/ECO; @return the number of inputs checked. */
H14_UNUSED static int h14_run_fixtures(const char *eco, const struct cl_dep_format *formats)
{
	char dirpath[512], casepath[768], file[1024], exp[1100];
	struct dirent **cases = NULL, **files = NULL;
	int ncases, nfiles, c, f, checked = 0;

	snprintf(dirpath, sizeof(dirpath), "tests/deps/%s", eco);
	ncases = scandir(dirpath, &cases, NULL, alphasort);
	if (ncases < 0)
		fail_msg("cannot read %s", dirpath);
	for (c = 0; c < ncases; c++) {
		if (cases[c]->d_name[0] == '.') {
			free(cases[c]);
			continue;
		}
		snprintf(casepath, sizeof(casepath), "%s/%s", dirpath, cases[c]->d_name);
		nfiles = scandir(casepath, &files, NULL, alphasort);
		if (nfiles < 0)
			fail_msg("cannot read %s", casepath);
		for (f = 0; f < nfiles; f++) {
			const char *base = files[f]->d_name;
			const struct cl_dep_format *fmt;
			struct cl_buf in = CL_BUF_INIT, want = CL_BUF_INIT, got = CL_BUF_INIT;
			struct cl_dep_list list = CL_DEP_LIST_INIT;
			size_t bl = strlen(base);
			int rc, is_err = 0;

			if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0 ||
			    (bl > 9 && strcmp(base + bl - 9, ".expected") == 0) ||
			    (bl > 4 && strcmp(base + bl - 4, ".err") == 0)) {
				free(files[f]);
				continue;
			}
			snprintf(file, sizeof(file), "%s/%s", casepath, base);
			fmt = h14_format_for(formats, base);
			if (!fmt)
				fail_msg("%s: no format matches", file);
			assert_int_equal(cl_buf_read_path(&in, file), 0);
			snprintf(exp, sizeof(exp), "%s.expected", file);
			if (cl_buf_read_path(&want, exp) < 0) {
				snprintf(exp, sizeof(exp), "%s.err", file);
				if (cl_buf_read_path(&want, exp) < 0)
					fail_msg("%s: no .expected or .err file", file);
				is_err = 1;
				while (want.size && want.ptr[want.size - 1] == '\n')
					want.ptr[--want.size] = '\0';
			}
			cl_error_clear();
			rc = h14_parse(fmt->parse, &list, file, in.ptr ? in.ptr : "", in.size);
			if (is_err) {
				if (rc == 0 || !strstr(cl_error_last(), cl_buf_cstr(&want)) ||
				    strncmp(cl_error_last(), file, strlen(file)) != 0)
					fail_msg("%s: rc %d, message '%s', want '%s'", file, rc, cl_error_last(),
						 cl_buf_cstr(&want));
				assert_int_equal(list.count, 0);
			} else {
				if (rc != 0)
					fail_msg("%s: %s", file, cl_error_last());
				h14_dump(&got, &list, 0);
				if (strcmp(cl_buf_cstr(&got), cl_buf_cstr(&want)) != 0)
					fail_msg("%s: got\n%s\nwant\n%s", file, cl_buf_cstr(&got), cl_buf_cstr(&want));
			}
			h14_truncations(fmt->parse, file, in.ptr ? in.ptr : "", in.size);
			checked++;
			cl_dep_list_dispose(&list);
			cl_buf_dispose(&in);
			cl_buf_dispose(&want);
			cl_buf_dispose(&got);
			free(files[f]);
		}
		free(files);
		free(cases[c]);
	}
	free(cases);
	return checked;
}

/* The shared corpus dir, or NULL (with the SKIPPED line printed) when absent. */
H14_UNUSED static const char *h14_conformance_dir(char *buf, size_t size, const char *sub, const char *eco)
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

/* Parse DIR/NAME with `fn` into `out` (asserting success). */
H14_UNUSED static void h14_parse_file(struct cl_dep_list *out, cl_dep_parse_fn fn, const char *dir, const char *name)
{
	struct cl_buf in = CL_BUF_INIT;
	char path[2200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (cl_buf_read_path(&in, path) < 0)
		fail_msg("%s: %s", path, cl_error_last());
	if (h14_parse(fn, out, path, in.ptr ? in.ptr : "", in.size) != 0)
		fail_msg("%s: %s", path, cl_error_last());
	cl_buf_dispose(&in);
}

H14_UNUSED static const struct cl_dep *h14_find(const struct cl_dep_list *l, const char *name)
{
	size_t i;

	for (i = 0; i < l->count; i++)
		if (strcmp(l->items[i].name, name) == 0)
			return &l->items[i];
	fail_msg("dependency '%s' not found", name);
	return NULL;
}

/* Assert one dependency's fields (version/license NULL = expect NULL). */
H14_UNUSED static void h14_expect(const struct cl_dep_list *l, const char *name, const char *version,
				  enum cl_dep_relation rel, enum cl_dep_scope scope, const char *license)
{
	const struct cl_dep *d = h14_find(l, name);

	if (version)
		assert_string_equal(d->version, version);
	else
		assert_null(d->version);
	if (license)
		assert_string_equal(d->license, license);
	else
		assert_null(d->license);
	assert_int_equal(d->relation, rel);
	assert_int_equal(d->scope, scope);
}

/* Parse a generated big input; it must finish within `secs` seconds, either way. */
H14_UNUSED static void h14_big(cl_dep_parse_fn fn, const char *path, const char *data, size_t len, double secs,
			       int *rc_out, size_t *count_out)
{
	struct cl_dep_list list = CL_DEP_LIST_INIT;
	struct timespec a, b;
	double el;

	clock_gettime(CLOCK_MONOTONIC, &a);
	*rc_out = fn(&list, path, data, len);
	clock_gettime(CLOCK_MONOTONIC, &b);
	el = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	printf("%s: %zu bytes, rc %d, %zu deps, %.3f s (%.1f MB/s)\n", path, len, *rc_out, list.count, el,
	       el > 0 ? (double)len / 1e6 / el : 0.0);
	*count_out = list.count;
	cl_dep_list_dispose(&list);
	if (el > secs)
		fail_msg("%s: %.2f s > %.2f s", path, el, secs);
}

#endif
