/*
 * The npm-family dependency parsers (lib/deps_npm.c, deps_yarn.c,
 * deps_pnpm.c).
 *
 * 1. Fixtures: tests/deps/npm/valid/CASE/FILE with FILE.expected, one line
 *    per dependency in the order parsed, tab-separated: ecosystem name
 *    version relation scope license line ("-" for none). FILE's base name
 *    picks the format through cl_deps_npm_formats, as the lead's table will.
 *    tests/deps/npm/invalid/CASE/FILE with FILE.err: a substring of the
 *    message (which must start with the path), and `out` stays unchanged.
 * 2. Hostile input: every prefix of every valid fixture (never a crash, a
 *    failure leaves `out` alone), deep nesting, a generated 100 MB file
 *    (CL_ETOOBIG at once), and a big generated lock of each kind, parsed in
 *    a few seconds (throughput printed).
 * 3. Conformance: ../shared/conformance/deps-examples/npm (or
 *    $CLEARANCE_SHARED/conformance/...), counts and named entries; skipped
 *    with a message when absent.
 *
 * Tests run from the repository root (tests/run-all.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "deps.h"
#include "deps_npm.h"
#include "json_arena.h"
#include "error.h"

#define FIXTURES "tests/deps/npm"

/* line 4 is indented past an entry's dependency block */
#define LITERAL_YARN_DEEP "a@^1:\n  version \"1\"\n  dependencies:\n      b \"1\"\n"

/* ---- helpers ------------------------------------------------------------ */

static const struct cl_dep_format *format_for(const char *base)
{
	const struct cl_dep_format *f;

	for (f = cl_deps_npm_formats; f->name; f++)
		if (fnmatch(f->match, base, 0) == 0)
			return f;
	return NULL;
}

static const char *relation_name(enum cl_dep_relation r)
{
	return r == CL_DEP_DIRECT ? "direct" : r == CL_DEP_TRANSITIVE ? "transitive" : "unknown";
}

static void dump(struct cl_buf *b, const struct cl_dep_list *list, size_t from)
{
	size_t i;

	for (i = from; i < list->count; i++) {
		const struct cl_dep *d = &list->items[i];
		assert_int_equal(cl_buf_printf(b, "%s\t%s\t%s\t%s\t%s\t%s\t%u\n", d->ecosystem, d->name,
				d->version ? d->version : "-", relation_name(d->relation),
				cl_dep_scope_name(d->scope), d->license ? d->license : "-", d->line), 0);
	}
}

static void read_file(struct cl_buf *b, const char *path)
{
	cl_buf_init(b, 0);
	if (cl_buf_read_path(b, path) < 0)
		fail_msg("cannot read %s: %s", path, cl_error_last());
}

/* Parse from an exact-size heap copy so ASan sees any read past the end. */
static int parse_exact(struct cl_dep_list *out, const struct cl_dep_format *f, const char *path,
		const char *data, size_t len)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, data, len);
	rc = f->parse(out, path, copy, len);
	free(copy);
	return rc;
}

static int has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

/* A sentinel entry that a failing parse must leave in place, alone. */
static void add_sentinel(struct cl_dep_list *list)
{
	struct cl_dep d = { "npm", "sentinel", "0", CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL, "x", 1 };
	assert_int_equal(cl_dep_list_add(list, &d), 0);
}

static void check_unchanged(const struct cl_dep_list *list)
{
	assert_int_equal(list->count, 1);
	assert_string_equal(list->items[0].name, "sentinel");
}

typedef void (*case_fn)(const char *dir, const char *file, void *payload);

/* Call fn for each FILE of each CASE under root that is not an expectation. */
static int foreach_case(const char *root, case_fn fn, void *payload)
{
	DIR *d = opendir(root), *c;
	struct dirent *de, *ce;
	char dir[1024];
	int n = 0;

	if (!d)
		fail_msg("cannot open %s", root);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", root, de->d_name);
		c = opendir(dir);
		if (!c)
			continue;
		while ((ce = readdir(c)) != NULL) {
			if (ce->d_name[0] == '.' || has_suffix(ce->d_name, ".expected") || has_suffix(ce->d_name, ".err"))
				continue;
			fn(dir, ce->d_name, payload);
			n++;
		}
		closedir(c);
	}
	closedir(d);
	return n;
}

/* ---- 1. fixtures ---------------------------------------------------------- */

static void valid_case(const char *dir, const char *file, void *payload)
{
	struct cl_dep_list list = CL_DEP_LIST_INIT;
	struct cl_buf in, want, got = CL_BUF_INIT;
	const struct cl_dep_format *f = format_for(file);
	char path[2048], epath[2100];
	int rc;

	(void)payload;
	if (!f)
		fail_msg("no npm format for %s/%s", dir, file);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	snprintf(epath, sizeof(epath), "%s.expected", path);
	read_file(&in, path);
	read_file(&want, epath);
	rc = parse_exact(&list, f, path, in.ptr ? in.ptr : "", in.size);
	if (rc < 0)
		fail_msg("%s: parse failed: %s", path, cl_error_last());
	dump(&got, &list, 0);
	if (strcmp(cl_buf_cstr(&got), cl_buf_cstr(&want)) != 0)
		fail_msg("%s: got\n%s\nwant\n%s", path, cl_buf_cstr(&got), cl_buf_cstr(&want));
	if (list.count)
		assert_string_equal(list.items[0].manifest, path);
	cl_dep_list_dispose(&list);
	cl_buf_dispose(&in);
	cl_buf_dispose(&want);
	cl_buf_dispose(&got);
}

static void test_fixtures_valid(void **state)
{
	(void)state;
	assert_true(foreach_case(FIXTURES "/valid", valid_case, NULL) >= 8);
}

static void invalid_case(const char *dir, const char *file, void *payload)
{
	struct cl_dep_list list = CL_DEP_LIST_INIT;
	struct cl_buf in, want;
	const struct cl_dep_format *f = format_for(file);
	char path[2048], epath[2100];
	const char *msg;
	int rc;

	(void)payload;
	if (!f)
		fail_msg("no npm format for %s/%s", dir, file);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	snprintf(epath, sizeof(epath), "%s.err", path);
	read_file(&in, path);
	read_file(&want, epath);
	while (want.size && want.ptr[want.size - 1] == '\n')
		want.ptr[--want.size] = '\0';
	add_sentinel(&list);
	rc = parse_exact(&list, f, path, in.ptr ? in.ptr : "", in.size);
	msg = cl_error_last();
	if (rc != CL_EINVALID)
		fail_msg("%s: want CL_EINVALID, got %d (%s)", path, rc, msg);
	if (strncmp(msg, path, strlen(path)) != 0 || !strstr(msg, cl_buf_cstr(&want)))
		fail_msg("%s: message '%s' lacks '%s'", path, msg, cl_buf_cstr(&want));
	check_unchanged(&list);
	cl_dep_list_dispose(&list);
	cl_buf_dispose(&in);
	cl_buf_dispose(&want);
	cl_error_clear();
}

static void test_fixtures_invalid(void **state)
{
	(void)state;
	assert_true(foreach_case(FIXTURES "/invalid", invalid_case, NULL) >= 10);
}

/* ---- 2. hostile input ----------------------------------------------------- */

static void prefix_case(const char *dir, const char *file, void *payload)
{
	const struct cl_dep_format *f = format_for(file);
	struct cl_buf in;
	char path[2048];
	size_t cut;

	(void)payload;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	read_file(&in, path);
	for (cut = 0; cut < in.size; cut++) {
		struct cl_dep_list list = CL_DEP_LIST_INIT;
		size_t i;
		int rc;

		add_sentinel(&list);
		rc = parse_exact(&list, f, path, in.ptr, cut);
		if (rc < 0) {
			if (rc != CL_EINVALID)
				fail_msg("%s cut at %zu: code %d", path, cut, rc);
			if (strncmp(cl_error_last(), path, strlen(path)) != 0)
				fail_msg("%s cut at %zu: message '%s'", path, cut, cl_error_last());
			check_unchanged(&list);
		} else {
			for (i = 1; i < list.count; i++)
				assert_true(list.items[i].name[0] != '\0');
		}
		cl_dep_list_dispose(&list);
		cl_error_clear();
	}
	cl_buf_dispose(&in);
}

static void test_truncated(void **state)
{
	(void)state;
	foreach_case(FIXTURES "/valid", prefix_case, NULL);
}

static void expect_invalid(const char *file, const char *data, size_t len, const char *needle)
{
	struct cl_dep_list list = CL_DEP_LIST_INIT;
	const struct cl_dep_format *f = format_for(file);
	int rc;

	assert_non_null(f);
	add_sentinel(&list);
	rc = f->parse(&list, file, data, len);
	if (rc != CL_EINVALID || !strstr(cl_error_last(), needle) ||
	    strncmp(cl_error_last(), file, strlen(file)) != 0)
		fail_msg("%s: rc %d, message '%s', want '%s'", file, rc, cl_error_last(), needle);
	check_unchanged(&list);
	cl_dep_list_dispose(&list);
	cl_error_clear();
}

static char *repeat(const char *head, const char *unit, size_t n, const char *tail, size_t *len)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
	char *s = malloc(hl + ul * n + tl + 1);

	assert_non_null(s);
	memcpy(s, head, hl);
	for (i = 0; i < n; i++)
		memcpy(s + hl + i * ul, unit, ul);
	memcpy(s + hl + n * ul, tail, tl);
	*len = hl + ul * n + tl;
	s[*len] = '\0';
	return s;
}

static void test_deep_nesting(void **state)
{
	size_t len;
	char *s;

	(void)state;
	/* JSON: Jansson's own depth limit */
	s = repeat("{\"dependencies\":", "[", 100000, "", &len);
	expect_invalid("package.json", s, len, "package.json:1:");
	free(s);
	/* v1 lock: nested "dependencies" objects past our limit */
	s = repeat("{\"lockfileVersion\":1,\"dependencies\":", "{\"a\":{\"version\":\"1\",\"dependencies\":", 1000, "", &len);
	expect_invalid("package-lock.json", s, len, "package-lock.json");
	free(s);
	s = repeat("{\"lockfileVersion\":1,\"dependencies\":", "{\"a\":{\"version\":\"1\",\"dependencies\":", 300, "{}", &len);
	{
		char *t = malloc(len + 300 * 2 + 2);
		size_t i;
		assert_non_null(t);
		memcpy(t, s, len);
		for (i = 0; i < 300; i++) {
			memcpy(t + len, "}}", 2);
			len += 2;
		}
		t[len++] = '}';
		expect_invalid("package-lock.json", t, len, "nested too deep");
		free(t);
	}
	free(s);
	/* YAML flow and block nesting */
	s = repeat("lockfileVersion: '9.0'\nimporters: ", "[", 100000, "", &len);
	expect_invalid("pnpm-lock.yaml", s, len, "pnpm-lock.yaml:2:");
	free(s);
	s = repeat("__metadata:\n  version: 8\n\"a@npm:1\": ", "{a: ", 100000, "", &len);
	expect_invalid("yarn.lock", s, len, "nesting too deep");
	free(s);
	/* yarn classic: indentation beyond an entry's dependencies */
	expect_invalid("yarn.lock", LITERAL_YARN_DEEP, sizeof(LITERAL_YARN_DEEP) - 1, "yarn.lock:4:7: unexpected indentation");
}

static void test_yaml_features(void **state)
{
	static const char alias[] = "lockfileVersion: '9.0'\nimporters:\n  .: &x {}\n  b: *x\n";
	static const char dup[] = "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {}\n  a@1.0.0: {}\n";
	static const char two[] = "lockfileVersion: '9.0'\n---\nlockfileVersion: '9.0'\n";
	static const char badver[] = "lockfileVersion: 'x'\n";

	(void)state;
	expect_invalid("pnpm-lock.yaml", alias, sizeof(alias) - 1, "anchors");
	expect_invalid("pnpm-lock.yaml", dup, sizeof(dup) - 1, "pnpm-lock.yaml:4:");
	expect_invalid("pnpm-lock.yaml", two, sizeof(two) - 1, "more than one YAML document");
	expect_invalid("pnpm-lock.yaml", badver, sizeof(badver) - 1, "unsupported lockfileVersion");
}

static void test_too_big(void **state)
{
	const struct cl_dep_format *f;
	size_t len = (size_t)100 << 20;
	char *s = malloc(len);
	clock_t t0;

	(void)state;
	assert_non_null(s);
	memset(s, ' ', len);
	s[0] = '{';
	for (f = cl_deps_npm_formats; f->name; f++) {
		struct cl_dep_list list = CL_DEP_LIST_INIT;
		t0 = clock();
		add_sentinel(&list);
		assert_int_equal(f->parse(&list, f->name, s, len), CL_ETOOBIG);
		assert_true(strncmp(cl_error_last(), f->name, strlen(f->name)) == 0);
		check_unchanged(&list);
		assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 0.5);
		cl_dep_list_dispose(&list);
	}
	free(s);
	cl_error_clear();
}

/* A big lock of each kind: N packages, parsed well within a few seconds. */
static void big_lock(const char *file, size_t n, size_t want)
{
	struct cl_dep_list list = CL_DEP_LIST_INIT;
	struct cl_buf b;
	const struct cl_dep_format *f = format_for(file);
	struct timespec t0, t1;
	double secs;
	size_t i;

	cl_buf_init(&b, 0);
	if (strcmp(file, "package-lock.json") == 0) {
		assert_int_equal(cl_buf_puts(&b, "{\"name\":\"big\",\"lockfileVersion\":3,\"packages\":{\"\":{\"dependencies\":{\"pkg-0\":\"1\"}}"), 0);
		for (i = 0; i < n; i++)
			assert_int_equal(cl_buf_printf(&b, ",\n\"node_modules/pkg-%zu\":{\"version\":\"1.0.%zu\",\"resolved\":"
				"\"https://registry.npmjs.org/pkg-%zu/-/pkg-%zu-1.0.%zu.tgz\",\"integrity\":\"sha512-"
				"XTggHWSooYhq49F2opQhuHWgzucfF2YgODK4e1566GQs5BIfP30B0oenwBJHfWxAs2fyPB1s7Mg949zLf61Yw==\","
				"\"license\":\"MIT\",\"dependencies\":{\"pkg-%zu\":\"^1.0.0\"},\"engines\":{\"node\":\">=8\"}}",
				i, i, i, i, i, i + 1), 0);
		assert_int_equal(cl_buf_puts(&b, "}}\n"), 0);
	} else if (strcmp(file, "yarn.lock") == 0) {
		assert_int_equal(cl_buf_puts(&b, "# yarn lockfile v1\n\n"), 0);
		for (i = 0; i < n; i++)
			assert_int_equal(cl_buf_printf(&b, "\"pkg-%zu@^1.0.0\", pkg-%zu@^1.0:\n  version \"1.0.%zu\"\n"
				"  resolved \"https://registry.yarnpkg.com/pkg-%zu/-/pkg-%zu-1.0.%zu.tgz#fac9e56abdea0ce9d9ce0f3bc67f1de02ca637a7\"\n"
				"  integrity sha512-XTggHWSooYhq49F2opQhuHWgzucfF2YgODK4e1566GQs5BIfP30B0oenwBJHfWxAs2fyPB1s7Mg949zLf61Yw==\n"
				"  dependencies:\n    pkg-%zu \"^1.0.0\"\n\n", i, i, i, i, i, i, i + 1), 0);
	} else {
		assert_int_equal(cl_buf_puts(&b, "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n"
			"      pkg-0:\n        specifier: ^1.0.0\n        version: 1.0.0\n\npackages:\n\n"), 0);
		for (i = 0; i < n; i++)
			assert_int_equal(cl_buf_printf(&b, "  pkg-%zu@1.0.%zu:\n    resolution: {integrity: sha512-"
				"XTggHWSooYhq49F2opQhuHWgzucfF2YgODK4e1566GQs5BIfP30B0oenwBJHfWxAs2fyPB1s7Mg949zLf61Yw==}\n"
				"    engines: {node: '>=8'}\n\n", i, i), 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (f->parse(&list, file, b.ptr, b.size) < 0)
		fail_msg("%s: %s", file, cl_error_last());
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("big %s: %zu packages, %.1f MB in %.3f s (%.0f MB/s)\n", file, list.count,
			(double)b.size / 1e6, secs, (double)b.size / 1e6 / secs);
	assert_int_equal(list.count, want);
	assert_true(secs < 10.0);
	cl_dep_list_dispose(&list);
	cl_buf_dispose(&b);
}

static void test_big(void **state)
{
	(void)state;
	big_lock("package-lock.json", 100000, 100000);
	big_lock("yarn.lock", 100000, 100000);
	big_lock("pnpm-lock.yaml", 100000, 100000);
}

/* ---- 3. conformance -------------------------------------------------------- */

struct expect_dep {
	const char *name, *version, *relation, *scope, *license;
};

static void check_conf(const char *dir, const char *file, const char *as, size_t count,
		const struct expect_dep *named, size_t nnamed)
{
	struct cl_dep_list list = CL_DEP_LIST_INIT;
	const struct cl_dep_format *f = format_for(as);
	struct cl_buf in;
	char path[2048];
	size_t i, j;

	assert_non_null(f);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	read_file(&in, path);
	if (f->parse(&list, path, in.ptr ? in.ptr : "", in.size) < 0)
		fail_msg("%s: %s", path, cl_error_last());
	if (list.count != count) {
		struct cl_buf got = CL_BUF_INIT;
		dump(&got, &list, 0);
		fail_msg("%s: %zu dependencies, want %zu:\n%s", path, list.count, count, cl_buf_cstr(&got));
	}
	for (j = 0; j < nnamed; j++) {
		const struct expect_dep *e = &named[j];
		for (i = 0; i < list.count; i++) {
			const struct cl_dep *d = &list.items[i];
			if (strcmp(d->name, e->name) == 0 && strcmp(d->version ? d->version : "-", e->version) == 0)
				break;
		}
		if (i == list.count)
			fail_msg("%s: no %s@%s", path, e->name, e->version);
		assert_string_equal(list.items[i].ecosystem, "npm");
		assert_string_equal(relation_name(list.items[i].relation), e->relation);
		assert_string_equal(cl_dep_scope_name(list.items[i].scope), e->scope);
		assert_string_equal(list.items[i].license ? list.items[i].license : "-", e->license);
		assert_string_equal(list.items[i].manifest, path);
	}
	cl_dep_list_dispose(&list);
	cl_buf_dispose(&in);
}

static void test_conformance(void **state)
{
	static const struct expect_dep manifest[] = {
		{ "cheerio", "1.0.0-rc.1", "direct", "runtime", "-" },
		{ "web-animations-js", "github:web-animations/web-animations-js#2.3.2", "direct", "runtime", "-" },
		{ "cson", "~4.1.0", "direct", "dev", "-" },
		{ "@lmdb/lmdb-darwin-arm64", "3.0.13", "direct", "optional", "-" },
	};
	static const struct expect_dep v1pkg[] = {
		{ "tcompare", "^4.0.1", "direct", "dev", "-" },
		{ "inflight", "^1.0.6", "direct", "optional", "-" },
	};
	static const struct expect_dep wrappy[] = {
		{ "tap", "^2.3.1", "direct", "dev", "-" },
	};
	static const struct expect_dep lock1[] = {
		{ "diff-frag", "1.0.1", "unknown", "dev", "-" },
		{ "inflight", "1.0.6", "unknown", "optional", "-" },
		{ "wrappy", "1.0.2", "unknown", "runtime", "-" },
	};
	static const struct expect_dep lock2[] = {
		{ "is-ci", "3.0.1", "direct", "runtime", "-" },
		{ "husky", "8.0.3", "direct", "dev", "-" },
		{ "ci-info", "3.8.0", "transitive", "runtime", "-" },
	};
	static const struct expect_dep lock3[] = {
		{ "set-value", "2.0.1", "direct", "runtime", "MIT" },
		{ "extend-shallow", "2.0.1", "transitive", "runtime", "MIT" },
		{ "extend-shallow", "3.0.2", "transitive", "runtime", "MIT" },
		{ "is-extendable", "1.0.1", "transitive", "runtime", "MIT" },
	};
	static const struct expect_dep yarn1[] = {
		{ "@vector-im/matrix-wysiwyg", "2.38.5", "unknown", "runtime", "-" },
	};
	static const struct expect_dep berry[] = {
		{ "resolve", "1.22.8", "direct", "runtime", "-" },
		{ "function-bind", "1.1.2", "transitive", "runtime", "-" },
		{ "supports-preserve-symlinks-flag", "1.0.0", "transitive", "runtime", "-" },
	};
	static const struct expect_dep pnpm[] = {
		{ "proxy-from-env", "1.1.0", "direct", "runtime", "-" },
	};
	const char *shared = getenv("CLEARANCE_SHARED");
	char dir[1024];
	struct stat st;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/conformance/deps-examples/npm", shared && *shared ? shared : "../shared");
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		printf("deps conformance (npm): SKIPPED: corpus not found at %s\n", dir);
		skip();
	}
#define N(a) a, sizeof(a) / sizeof(a[0])
	check_conf(dir, "package.json", "package.json", 6, N(manifest));
	check_conf(dir, "package-lock.v1.package.json", "package.json", 3, N(v1pkg));
	check_conf(dir, "package-lock.v3.package.json", "package.json", 1, NULL, 0);
	check_conf(dir, "pnpm.package.json", "package.json", 1, NULL, 0);
	check_conf(dir, "yarn.berry.package.json", "package.json", 1, NULL, 0);
	check_conf(dir, "node_modules/wrappy/package.json", "package.json", 1, N(wrappy));
	check_conf(dir, "package-lock.v1.json", "package-lock.json", 5, N(lock1));
	check_conf(dir, "package-lock.v2.trimmed.json", "package-lock.json", 3, N(lock2));
	check_conf(dir, "package-lock.v3.json", "package-lock.json", 9, N(lock3));
	check_conf(dir, "yarn.v1.lock", "yarn.lock", 1, N(yarn1));
	check_conf(dir, "yarn.berry.lock", "yarn.lock", 6, N(berry));
	check_conf(dir, "pnpm-lock.yaml", "pnpm-lock.yaml", 1, N(pnpm));
#undef N
	printf("deps conformance (npm): 12 files ok\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_valid),
		cmocka_unit_test(test_fixtures_invalid),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_yaml_features),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_big),
		cmocka_unit_test(test_conformance),
	};

	/* as the program does: the Jansson parsers run in their arenas (json_arena.h) */
	cl_json_arena_install();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
