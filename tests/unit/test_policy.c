/*
 * The policy loader. Cases are files: every .yml file in tests/policy/good must
 * load, and every tests/policy/bad/NAME.yml must fail with exactly the
 * message in NAME.err (the directory prefix removed), so adding a case means
 * adding files. The tests below the file loops pin the values that matter.
 *
 * Run from the top of the source tree (as `make test` does), or set
 * CLEARANCE_SRCDIR to it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "headers.h"
#include "pattern.h"
#include "policy.h"

static const char *srcdir(void)
{
	const char *d = getenv("CLEARANCE_SRCDIR");
	return d && *d ? d : ".";
}

/* "SRCDIR/rel" into a fresh buffer. */
static char *src_path(const char *rel)
{
	struct cl_buf b = CL_BUF_INIT;
	assert_int_equal(cl_buf_printf(&b, "%s/%s", srcdir(), rel), 0);
	return cl_buf_detach(&b);
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in `dir` ending in `suffix`, sorted (so failures read in order). */
static size_t list_dir(char ***out, const char *dir, const char *suffix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t count = 0;

	if (!d)
		fail_msg("cannot open the test data directory '%s' (run from the source tree "
			"or set CLEARANCE_SRCDIR)", dir);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || !has_suffix(e->d_name, suffix))
			continue;
		names = realloc(names, (count + 1) * sizeof(*names));
		assert_non_null(names);
		names[count] = strdup(e->d_name);
		assert_non_null(names[count]);
		count++;
	}
	closedir(d);
	qsort(names, count, sizeof(*names), compare_names);
	*out = names;
	return count;
}

static void free_names(char **names, size_t count)
{
	size_t i;
	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

static char *read_text(const char *path)
{
	struct cl_buf b;
	cl_buf_init(&b, 1 << 20);
	if (cl_buf_read_path(&b, path) < 0)
		fail_msg("cannot read '%s': %s", path, cl_error_last());
	/* The expected message is one line; the file may end with a newline. */
	while (b.size > 0 && (b.ptr[b.size - 1] == '\n' || b.ptr[b.size - 1] == '\r'))
		b.ptr[--b.size] = '\0';
	return cl_buf_detach(&b);
}

static struct cl_policy *load_ok(const char *rel)
{
	struct cl_policy *policy = NULL;
	char *path = src_path(rel);
	if (cl_policy_load(&policy, path) < 0)
		fail_msg("'%s' did not load: %s", path, cl_error_last());
	free(path);
	return policy;
}

static char *to_yaml(const struct cl_policy *policy)
{
	struct cl_buf b = CL_BUF_INIT;
	assert_int_equal(cl_policy_write_yaml(&b, policy), 0);
	return cl_buf_detach(&b);
}

/*
 * The printed policy must load back to the same policy: `policy show`
 * output is a policy one can start from.
 */
static void assert_round_trip(const struct cl_policy *policy)
{
	struct cl_policy *again = NULL;
	char *first = to_yaml(policy), *second;

	if (cl_policy_load_buffer(&again, first, strlen(first), "show") < 0)
		fail_msg("printed policy of '%s' did not load: %s\n%s", cl_policy_source(policy),
			cl_error_last(), first);
	second = to_yaml(again);
	assert_string_equal(first, second);
	free(first);
	free(second);
	cl_policy_free(again);
}

static void test_good_files(void **state)
{
	char *dir = src_path("tests/policy/good"), **names;
	size_t i, count = list_dir(&names, dir, ".yml"), failed = 0;
	(void)state;

	assert_true(count >= 10);
	for (i = 0; i < count; i++) {
		struct cl_buf path = CL_BUF_INIT;
		struct cl_policy *policy = NULL;
		assert_int_equal(cl_buf_printf(&path, "%s/%s", dir, names[i]), 0);
		if (cl_policy_load(&policy, path.ptr) < 0) {
			print_error("good/%s: did not load: %s\n", names[i], cl_error_last());
			failed++;
		} else {
			assert_string_equal(cl_policy_source(policy), path.ptr);
			assert_round_trip(policy);
			cl_policy_free(policy);
		}
		cl_buf_dispose(&path);
	}
	free_names(names, count);
	free(dir);
	assert_int_equal(failed, 0);
}

static void test_bad_files(void **state)
{
	char *dir = src_path("tests/policy/bad"), **names, **errs;
	size_t i, count = list_dir(&names, dir, ".yml"), nerrs = list_dir(&errs, dir, ".err");
	size_t failed = 0, prefix_len;
	struct cl_buf prefix = CL_BUF_INIT;
	(void)state;

	assert_true(count >= 30);
	assert_int_equal(cl_buf_printf(&prefix, "%s/", dir), 0);
	prefix_len = prefix.size;
	/* An .err without its .yml is a case that silently stopped running. */
	for (i = 0; i < nerrs; i++) {
		struct cl_buf yml = CL_BUF_INIT;
		struct stat st;
		assert_int_equal(cl_buf_printf(&yml, "%s%.*s.yml", prefix.ptr,
			(int)(strlen(errs[i]) - 4), errs[i]), 0);
		if (stat(yml.ptr, &st) < 0) {
			print_error("bad/%s: no matching .yml\n", errs[i]);
			failed++;
		}
		cl_buf_dispose(&yml);
	}
	for (i = 0; i < count; i++) {
		struct cl_buf path = CL_BUF_INIT, err_path = CL_BUF_INIT;
		struct cl_policy *policy = (struct cl_policy *)&policy;   /* must stay untouched */
		const char *msg;
		char *expected;
		int rc;

		assert_int_equal(cl_buf_printf(&path, "%s%s", prefix.ptr, names[i]), 0);
		assert_int_equal(cl_buf_printf(&err_path, "%s%.*s.err", prefix.ptr,
			(int)(strlen(names[i]) - 4), names[i]), 0);
		expected = read_text(err_path.ptr);
		rc = cl_policy_load(&policy, path.ptr);
		msg = cl_error_last();
		if (rc >= 0) {
			print_error("bad/%s: loaded, expected: %s\n", names[i], expected);
			cl_policy_free(policy);
			failed++;
		} else if (policy != (struct cl_policy *)&policy) {
			print_error("bad/%s: *out was written on failure\n", names[i]);
			failed++;
		} else if (rc != CL_EINVALID) {
			print_error("bad/%s: returned %d, expected CL_EINVALID\n", names[i], rc);
			failed++;
		} else if (strncmp(msg, prefix.ptr, prefix_len) != 0 || strcmp(msg + prefix_len, expected) != 0) {
			print_error("bad/%s:\n  expected: %s\n  actual:   %s\n", names[i], expected, msg);
			failed++;
		}
		free(expected);
		cl_buf_dispose(&path);
		cl_buf_dispose(&err_path);
	}
	cl_buf_dispose(&prefix);
	free_names(names, count);
	free_names(errs, nerrs);
	free(dir);
	assert_int_equal(failed, 0);
}

static void assert_patterns(const struct cl_pattern_list *list, const char *const *texts, size_t n)
{
	size_t i;
	assert_int_equal(list->count, n);
	for (i = 0; i < n; i++)
		assert_string_equal(cl_pattern_text(list->items[i]), texts[i]);
}

/* One path against the headers options: skipped? which licenses? copyright? */
struct resolve_case {
	const char *path;
	int skip;
	const char *first_license;   /* NULL: the list is empty */
	size_t license_count;
	enum cl_copyright_rule copyright;
	int rule;                    /* index of the deciding paths entry, -1 for none */
};

static void assert_resolves(const struct cl_header_options *h, const struct resolve_case *cases, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		struct cl_header_effective eff;
		const struct resolve_case *c = &cases[i];
		if (cl_header_options_resolve(&eff, h, c->path) < 0)
			fail_msg("'%s': %s", c->path, cl_error_last());
		if (eff.skip != c->skip)
			fail_msg("'%s': skip %d, expected %d", c->path, eff.skip, c->skip);
		if (c->skip)
			continue;
		if (eff.licenses->count != c->license_count)
			fail_msg("'%s': %zu licenses, expected %zu", c->path, eff.licenses->count, c->license_count);
		if (c->first_license)
			assert_string_equal(cl_pattern_text(eff.licenses->items[0]), c->first_license);
		if (eff.copyright != c->copyright)
			fail_msg("'%s': copyright %d, expected %d", c->path, (int)eff.copyright, (int)c->copyright);
		if (c->rule < 0)
			assert_null(eff.rule);
		else if (eff.rule != &h->paths[c->rule])
			fail_msg("'%s': decided by the wrong paths entry, expected %d", c->path, c->rule);
	}
}

/* Every headers key at its default, the skip globs included. */
static void assert_header_defaults(const struct cl_header_options *h)
{
	/* Skipped at any depth where a project keeps such files. */
	static const char *const skipped[] = {
		"vendor/github.com/x/y.go", "src/vendor/a.c", "third_party/zlib/zlib.h",
		"libs/third_party/a.c", "node_modules/left-pad/index.js", "web/node_modules/x/y.js",
		"app.min.js", "static/js/app.min.js", "static/css/site.min.css", "static/js/app.js.map",
		"Cargo.lock", "crates/x/Cargo.lock", "yarn.lock", "poetry.lock", "web/yarn.lock",
		"package-lock.json", "web/package-lock.json", "pnpm-lock.yaml", "go.sum", "tools/go.sum",
		"LICENSES/MIT.txt", "LICENSES/LicenseRef-x.txt", "LICENSE", "LICENSE.md", "pkg/LICENSE",
		"pkg/LICENSE.txt", "COPYING", "COPYING.LESSER", "src/COPYING", "NOTICE", "src/NOTICE",
		"src/main.c.license", "logo.png.license", "REUSE.toml", "docs/REUSE.toml", ".reuse/dep5",
		"logo.png", "docs/img/a.jpg", "favicon.ico", "doc/manual.pdf", "dist/app.tar",
		"fonts/x.woff2", "lib/libz.so", "a.o", "build/App.class", "x/y.wasm",
	};
	/* Ordinary sources, and near misses of the globs above. */
	static const char *const checked[] = {
		"src/main.c", "README.md", "Makefile", "docs/vendor.md", "src/vendoring.c",
		"LICENSE_HEADER.txt", "src/license.c", "lockfile.c", "mapper.c", "src/LICENSES.c",
		"images.svg", "go.mod", "package.json", "Cargo.toml", "REUSE.toml.c",
	};
	size_t i;

	assert_int_equal(h->licenses.count, 0);
	assert_int_equal(h->copyright, CL_COPYRIGHT_OPTIONAL);
	assert_null(h->copyright_pattern);
	assert_null(h->copyright_pattern_text);
	assert_int_equal(h->window_bytes, 4096);
	assert_int_equal(h->min_bytes, 1);
	assert_false(h->per_commit);
	assert_true(h->reuse);
	assert_int_equal(h->path_count, 0);
	assert_true(h->skip.count >= 40);
	for (i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++)
		if (cl_pattern_list_match(&h->skip, skipped[i]) != 1)
			fail_msg("'%s' is not skipped by default", skipped[i]);
	for (i = 0; i < sizeof(checked) / sizeof(checked[0]); i++)
		if (cl_pattern_list_match(&h->skip, checked[i]) != 0)
			fail_msg("'%s' is skipped by default", checked[i]);
}

static void assert_defaults(const struct cl_policy *p)
{
	static const char *const include[] = { "refs/heads/**", "refs/tags/**" };
	static const char *const env[] = { "GITHUB_USER_LOGIN", "GL_USERNAME", "GL_USER", "REMOTE_USER" };
	const struct cl_policy_refs *refs = cl_policy_refs(p);
	const struct cl_policy_overrides *ov = cl_policy_overrides(p);
	const struct cl_policy_identity *id = cl_policy_identity(p);
	const struct cl_dco_options *dco = cl_policy_dco(p);
	size_t i;

	assert_patterns(&refs->include, include, 2);
	assert_int_equal(refs->exclude.count, 0);
	assert_int_equal(refs->deny_delete.count, 0);
	assert_int_equal(refs->deny_force_push.count, 0);
	assert_true(ov->enabled);
	assert_int_equal(ov->admin_count, 0);
	assert_string_equal(ov->push_option, "clearance.override");
	assert_string_equal(ov->audit_log, "clearance-audit.log");
	assert_int_equal(id->env_count, 4);
	for (i = 0; i < 4; i++)
		assert_string_equal(id->env[i], env[i]);
	assert_true(dco->enabled);
	assert_false(dco->check_merges);
	assert_int_equal(dco->match, CL_DCO_MATCH_EMAIL);
	assert_false(dco->accept_committer);
	assert_false(dco->remediation_individual);
	assert_false(dco->remediation_third_party);
	assert_false(dco->lenient);
	assert_int_equal(dco->exempt_authors.count, 0);
	assert_false(cl_policy_cla(p)->enabled);
	assert_header_defaults(cl_policy_headers(p));
	assert_false(cl_policy_headers(p)->enabled);
	assert_false(cl_policy_deps(p)->enabled);
	assert_false(cl_policy_approvals(p)->enabled);
}

/* Empty files, comments, `{}` and `---` are all the default policy. */
static void test_defaults(void **state)
{
	static const char *const files[] = {
		"tests/policy/good/empty.yml", "tests/policy/good/comments_only.yml",
		"tests/policy/good/empty_mapping.yml", "tests/policy/good/empty_document.yml",
		"tests/policy/good/version_only.yml", "tests/policy/good/empty_sections.yml",
		"tests/policy/good/later_sections_off.yml",
	};
	struct cl_policy *p;
	char *want, *got;
	size_t i;
	(void)state;

	assert_int_equal(cl_policy_default(&p), 0);
	assert_defaults(p);
	assert_string_equal(cl_policy_source(p), "(built-in default)");
	want = to_yaml(p);
	cl_policy_free(p);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		p = load_ok(files[i]);
		assert_defaults(p);
		got = to_yaml(p);
		assert_string_equal(got, want);
		free(got);
		cl_policy_free(p);
	}
	/* A zero-length buffer needs no data pointer. */
	assert_int_equal(cl_policy_load_buffer(&p, NULL, 0, NULL), 0);
	assert_string_equal(cl_policy_source(p), "<policy>");
	assert_defaults(p);
	cl_policy_free(p);
	free(want);
}

static void test_full(void **state)
{
	static const char *const include[] = { "refs/heads/**", "refs/tags/v*", "re:refs/pull/[0-9]+/head" };
	static const char *const exclude[] = { "refs/heads/wip/**", "refs/heads/*/scratch" };
	static const char *const deny_delete[] = { "refs/heads/main", "refs/tags/**" };
	static const char *const deny_force[] = { "refs/heads/main", "refs/heads/release/*" };
	static const char *const exempt[] = { "*[bot]@users.noreply.github.com", "re:.*@build\\.example\\.com" };
	struct cl_policy *p = load_ok("tests/policy/good/full.yml");
	const struct cl_policy_refs *refs = cl_policy_refs(p);
	const struct cl_policy_overrides *ov = cl_policy_overrides(p);
	const struct cl_policy_identity *id = cl_policy_identity(p);
	const struct cl_dco_options *dco = cl_policy_dco(p);
	(void)state;

	assert_patterns(&refs->include, include, 3);
	assert_patterns(&refs->exclude, exclude, 2);
	assert_patterns(&refs->deny_delete, deny_delete, 2);
	assert_patterns(&refs->deny_force_push, deny_force, 2);
	assert_false(ov->enabled);
	assert_int_equal(ov->admin_count, 3);
	assert_string_equal(ov->admins[0], "alice");
	assert_string_equal(ov->admins[1], "bob-ops");
	assert_string_equal(ov->admins[2], "carol.smith");
	assert_string_equal(ov->push_option, "ospo.bypass");
	assert_string_equal(ov->audit_log, "/var/log/clearance/audit.log");
	assert_int_equal(id->env_count, 2);
	assert_string_equal(id->env[0], "GL_USER");
	assert_string_equal(id->env[1], "REMOTE_USER");
	assert_true(dco->enabled);
	assert_true(dco->check_merges);
	assert_patterns(&dco->exempt_authors, exempt, 2);
	assert_int_equal(dco->match, CL_DCO_MATCH_NAME_AND_EMAIL);
	assert_true(dco->accept_committer);
	assert_true(dco->remediation_individual);
	assert_true(dco->remediation_third_party);
	assert_true(dco->lenient);

	/* Globs are path globs for refs, caseless for e-mails. */
	assert_int_equal(cl_policy_ref_enforced(p, "refs/heads/feature/x"), 1);
	assert_int_equal(cl_policy_ref_enforced(p, "refs/heads/wip/a/b"), 0);
	assert_int_equal(cl_policy_ref_enforced(p, "refs/heads/me/scratch"), 0);
	assert_int_equal(cl_policy_ref_enforced(p, "refs/heads/a/b/scratch"), 1);
	assert_int_equal(cl_policy_ref_enforced(p, "refs/tags/v1.0"), 1);
	assert_int_equal(cl_policy_ref_enforced(p, "refs/tags/release-1"), 0);
	assert_int_equal(cl_policy_ref_enforced(p, "refs/pull/12/head"), 1);
	assert_int_equal(cl_policy_ref_enforced(p, "refs/pull/12/merge"), 0);
	assert_int_equal(cl_policy_ref_enforced(p, "refs/notes/commits"), 0);
	assert_int_equal(cl_pattern_list_match(&refs->deny_force_push, "refs/heads/release/2.x"), 1);
	assert_int_equal(cl_pattern_list_match(&refs->deny_force_push, "refs/heads/release/2/x"), 0);
	assert_int_equal(cl_pattern_list_match(&dco->exempt_authors, "Dependabot[bot]@USERS.noreply.github.com"), 1);
	assert_int_equal(cl_pattern_list_match(&dco->exempt_authors, "ci@Build.Example.com"), 1);
	assert_int_equal(cl_pattern_list_match(&dco->exempt_authors, "ci@buildXexample.com"), 0);

	assert_int_equal(cl_policy_is_admin(p, "alice"), 1);
	assert_int_equal(cl_policy_is_admin(p, "bob-ops"), 1);
	assert_int_equal(cl_policy_is_admin(p, "Alice"), 0);   /* exact: a near miss is refused */
	assert_int_equal(cl_policy_is_admin(p, "alic"), 0);
	assert_int_equal(cl_policy_is_admin(p, ""), 0);
	assert_int_equal(cl_policy_is_admin(p, NULL), 0);
	cl_policy_free(p);
}

static void test_values(void **state)
{
	struct cl_policy *p;
	const struct cl_dco_options *dco;
	(void)state;

	p = load_ok("tests/policy/good/dco_app_like.yml");
	dco = cl_policy_dco(p);
	assert_true(dco->enabled);
	assert_int_equal(dco->match, CL_DCO_MATCH_NAME_AND_EMAIL);
	assert_true(dco->lenient);
	assert_false(dco->check_merges);
	assert_true(dco->remediation_individual);
	assert_true(dco->remediation_third_party);
	assert_int_equal(dco->exempt_authors.count, 1);
	cl_policy_free(p);

	p = load_ok("tests/policy/good/dco_off.yml");
	assert_false(cl_policy_dco(p)->enabled);
	assert_int_equal(cl_pattern_list_match(&cl_policy_refs(p)->deny_delete, "refs/heads/main"), 1);
	assert_int_equal(cl_policy_refs(p)->include.count, 2);   /* untouched keys keep defaults */
	cl_policy_free(p);

	/* include: [] enforces no ref; identity.env: [] leaves only the Unix user. */
	p = load_ok("tests/policy/good/empty_lists.yml");
	assert_int_equal(cl_policy_refs(p)->include.count, 0);
	assert_int_equal(cl_policy_ref_enforced(p, "refs/heads/main"), 0);
	assert_int_equal(cl_policy_identity(p)->env_count, 0);
	assert_int_equal(cl_policy_overrides(p)->admin_count, 0);
	cl_policy_free(p);

	p = load_ok("tests/policy/good/bool_spellings.yml");
	assert_false(cl_policy_overrides(p)->enabled);
	assert_true(cl_policy_dco(p)->enabled);
	assert_true(cl_policy_dco(p)->lenient);
	assert_false(cl_policy_dco(p)->accept_committer);
	cl_policy_free(p);

	p = load_ok("tests/policy/good/flow_style.yml");
	assert_int_equal(cl_policy_ref_enforced(p, "refs/heads/main"), 1);
	assert_int_equal(cl_policy_ref_enforced(p, "refs/heads/dev"), 0);
	assert_true(cl_policy_dco(p)->check_merges);
	cl_policy_free(p);

	p = load_ok("tests/policy/good/numeric_admin.yml");
	assert_int_equal(cl_policy_is_admin(p, "12345"), 1);
	cl_policy_free(p);

	p = load_ok("tests/policy/good/unicode.yml");
	assert_int_equal(cl_policy_is_admin(p, "jürgen"), 1);
	assert_int_equal(cl_pattern_list_match(&cl_policy_dco(p)->exempt_authors, "a@bücher.example"), 1);
	cl_policy_free(p);

	p = load_ok("tests/policy/good/utf8_bom.yml");
	assert_false(cl_policy_dco(p)->enabled);
	cl_policy_free(p);

	p = load_ok("tests/policy/good/crlf.yml");
	assert_false(cl_policy_dco(p)->enabled);
	assert_true(cl_policy_dco(p)->check_merges);
	cl_policy_free(p);
}

static void test_headers_full(void **state)
{
	static const char *const licenses[] = { "MIT", "Apache-2.0", "GPL-*", "LicenseRef-*" };
	static const char *const skip[] = { "build/**", "**.generated.c" };
	static const struct resolve_case cases[] = {
		{ "src/main.c", 0, "MIT", 4, CL_COPYRIGHT_REQUIRED, -1 },
		{ "docs/guide.md", 0, "CC-BY-4.0", 1, CL_COPYRIGHT_REQUIRED, 0 },
		{ "third_party/zlib/zlib.h", 1, NULL, 0, CL_COPYRIGHT_OPTIONAL, 1 },
		{ "third_party/ours/a.c", 0, "MIT", 1, CL_COPYRIGHT_OPTIONAL, 2 },
		/* The winner alone counts: the docs entry no longer lends its licenses. */
		{ "docs/legal/terms.md", 0, "MIT", 4, CL_COPYRIGHT_REQUIRED, 3 },
		/* skip replaced the defaults: vendor/ is checked, build/ is not. */
		{ "vendor/x/y.c", 0, "MIT", 4, CL_COPYRIGHT_REQUIRED, -1 },
		{ "build/out.c", 1, NULL, 0, CL_COPYRIGHT_OPTIONAL, -1 },
		{ "src/parser.generated.c", 1, NULL, 0, CL_COPYRIGHT_OPTIONAL, -1 },
		/* A matching skip glob wins over a paths entry that would check the file. */
		{ "docs/build/x.md", 0, "CC-BY-4.0", 1, CL_COPYRIGHT_REQUIRED, 0 },
		{ "build/docs/x.md", 1, NULL, 0, CL_COPYRIGHT_OPTIONAL, -1 },
	};
	struct cl_policy *p = load_ok("tests/policy/good/headers-full.yml");
	const struct cl_header_options *h = cl_policy_headers(p);
	char *yaml;
	(void)state;

	assert_true(h->enabled);
	assert_patterns(&h->licenses, licenses, 4);
	assert_int_equal(h->copyright, CL_COPYRIGHT_REQUIRED);
	assert_string_equal(h->copyright_pattern_text, "Copyright \\(c\\) [0-9]{4} Example Corp");
	assert_int_equal(h->window_bytes, 8192);
	assert_int_equal(h->min_bytes, 16);
	assert_true(h->per_commit);
	assert_false(h->reuse);
	assert_patterns(&h->skip, skip, 2);
	assert_int_equal(h->path_count, 4);
	assert_string_equal(cl_pattern_text(h->paths[0].match), "docs/**");
	assert_true(h->paths[0].has_licenses);
	assert_false(h->paths[0].has_copyright);
	assert_false(h->paths[0].skip);
	assert_true(h->paths[1].skip);
	assert_false(h->paths[1].has_licenses);
	assert_true(h->paths[2].has_licenses);
	assert_true(h->paths[2].has_copyright);
	assert_int_equal(h->paths[2].copyright, CL_COPYRIGHT_OPTIONAL);
	assert_false(h->paths[3].has_licenses);
	assert_int_equal(h->paths[3].copyright, CL_COPYRIGHT_REQUIRED);
	assert_resolves(h, cases, sizeof(cases) / sizeof(cases[0]));

	/* License ids are caseless (SPDX says so); globs cover families. */
	assert_int_equal(cl_pattern_list_match(&h->licenses, "mit"), 1);
	assert_int_equal(cl_pattern_list_match(&h->licenses, "GPL-2.0-only"), 1);
	assert_int_equal(cl_pattern_list_match(&h->licenses, "gpl-3.0-or-later"), 1);
	assert_int_equal(cl_pattern_list_match(&h->licenses, "LicenseRef-Acme"), 1);
	assert_int_equal(cl_pattern_list_match(&h->licenses, "LGPL-2.1-only"), 0);
	assert_int_equal(cl_pattern_list_match(&h->licenses, "BSD-3-Clause"), 0);
	/* The copyright pattern is found anywhere in a line, case-sensitively. */
	assert_int_equal(cl_pattern_match(h->copyright_pattern,
		" * Copyright (c) 2024 Example Corp. All rights reserved."), 1);
	assert_int_equal(cl_pattern_match(h->copyright_pattern, "Copyright (c) 2024 Example Corp"), 1);
	assert_int_equal(cl_pattern_match(h->copyright_pattern, "copyright (c) 2024 example corp"), 0);
	assert_int_equal(cl_pattern_match(h->copyright_pattern, "Copyright (c) 24 Example Corp"), 0);

	/* `policy show` prints what was written, the paths in order. */
	yaml = to_yaml(p);
	assert_non_null(strstr(yaml, "headers:\n  enabled: true\n  licenses:\n    - \"MIT\"\n"));
	assert_non_null(strstr(yaml, "  copyright_pattern: \"Copyright \\\\(c\\\\) [0-9]{4} Example Corp\"\n"));
	assert_non_null(strstr(yaml, "  window_bytes: 8192\n  min_bytes: 16\n  per_commit: true\n  reuse: false\n"));
	assert_non_null(strstr(yaml,
		"  paths:\n"
		"    - match: \"docs/**\"\n      skip: false\n      licenses:\n        - \"CC-BY-4.0\"\n"
		"    - match: \"third_party/**\"\n      skip: true\n"
		"    - match: \"third_party/ours/**\"\n      skip: false\n      licenses:\n        - \"MIT\"\n"
		"      copyright: optional\n"
		"    - match: \"docs/legal/**\"\n      skip: false\n      copyright: required\n"
		"deps:\n"));
	free(yaml);
	assert_round_trip(p);
	cl_policy_free(p);
}

static void test_headers_values(void **state)
{
	static const struct resolve_case cases[] = {
		{ "README.md", 0, NULL, 0, CL_COPYRIGHT_OPTIONAL, 0 },
		{ "a/generated/x.c", 1, NULL, 0, CL_COPYRIGHT_OPTIONAL, 1 },
		{ "generated/x.c", 1, NULL, 0, CL_COPYRIGHT_OPTIONAL, 1 },
		{ "src/a.c", 0, NULL, 0, CL_COPYRIGHT_OPTIONAL, 2 },
		/* Last match wins, whole: the src entry decides, and it does not skip. */
		{ "src/generated/b.md", 0, NULL, 0, CL_COPYRIGHT_OPTIONAL, 2 },
		{ "vendor/x.c", 0, NULL, 0, CL_COPYRIGHT_OPTIONAL, -1 },   /* skip: [] skips nothing */
	};
	static const char anchored[] =
		"headers:\n  copyright_pattern: '^\\(C\\) \\d{4}(-\\d{4})? Example Corp'\n";
	static const struct resolve_case docs_cases[] = {
		{ "docs/guide.md", 0, "CC-BY-4.0", 1, CL_COPYRIGHT_OPTIONAL, 0 },
		{ "docs/conf/build.py", 0, "Apache-2.0", 1, CL_COPYRIGHT_REQUIRED, 3 },
		{ "src/main.c", 0, "Apache-2.0", 1, CL_COPYRIGHT_REQUIRED, -1 },
		{ "examples/hello.c", 0, "Apache-2.0", 3, CL_COPYRIGHT_REQUIRED, 1 },
		{ "third_party/zlib/zlib.h", 1, NULL, 0, CL_COPYRIGHT_OPTIONAL, 2 },
		{ "docs/logo.png", 1, NULL, 0, CL_COPYRIGHT_OPTIONAL, 0 },
	};
	struct cl_policy *p;
	const struct cl_header_options *h;
	char *yaml;
	(void)state;

	/* headers: {enabled: true}: the defaults, skip globs included. */
	p = load_ok("tests/policy/good/headers-defaults.yml");
	h = cl_policy_headers(p);
	assert_true(h->enabled);
	assert_header_defaults(h);
	/* The printed skip list is the one to copy when extending it. */
	yaml = to_yaml(p);
	assert_non_null(strstr(yaml, "  # copyright_pattern: none\n"));
	assert_non_null(strstr(yaml, "  skip:\n    - \"vendor/**\"\n    - \"**/vendor/**\"\n"));
	assert_non_null(strstr(yaml, "  paths: []\ndeps:\n"));
	free(yaml);
	cl_policy_free(p);

	/* docs/policy.md's per-path example means what the text under it says. */
	p = load_ok("tests/policy/good/headers-docs-example.yml");
	assert_resolves(cl_policy_headers(p), docs_cases, sizeof(docs_cases) / sizeof(docs_cases[0]));
	cl_policy_free(p);

	p = load_ok("tests/policy/good/headers-flow.yml");
	h = cl_policy_headers(p);
	assert_int_equal(h->window_bytes, 65536);
	assert_int_equal(h->min_bytes, 0);
	assert_int_equal(h->licenses.count, 0);
	assert_int_equal(h->skip.count, 0);
	/* "re:" is allowed and dropped; (?i) makes the pattern caseless. */
	assert_string_equal(h->copyright_pattern_text, "(?i)all rights reserved");
	assert_int_equal(cl_pattern_match(h->copyright_pattern, "# (C) Acme. ALL RIGHTS RESERVED."), 1);
	assert_int_equal(h->path_count, 3);
	assert_true(h->paths[0].has_licenses);
	assert_int_equal(h->paths[0].licenses.count, 0);
	assert_resolves(h, cases, sizeof(cases) / sizeof(cases[0]));
	cl_policy_free(p);

	/* docs/policy.md's copyright_pattern: ^ and $ anchor inside the search. */
	assert_int_equal(cl_policy_load_buffer(&p, anchored, sizeof(anchored) - 1, "a.yml"), 0);
	h = cl_policy_headers(p);
	assert_int_equal(cl_pattern_match(h->copyright_pattern, "(C) 2024 Example Corp"), 1);
	assert_int_equal(cl_pattern_match(h->copyright_pattern, "(C) 2020-2024 Example Corp, Inc."), 1);
	assert_int_equal(cl_pattern_match(h->copyright_pattern, "Portions (C) 2024 Example Corp"), 0);
	assert_int_equal(cl_pattern_match(h->copyright_pattern, "(C) 2024 Example Corp$"), 1);
	cl_policy_free(p);
}

/* window_bytes and min_bytes: {input, expected value or message}. */
static void test_headers_sizes(void **state)
{
	static const struct {
		const char *yaml;
		size_t value;          /* when msg is NULL */
		const char *msg;       /* the problem, without "s.yml:L:C: " and the hint */
	} cases[] = {
		{ "window_bytes: 1", 1, NULL },
		{ "window_bytes: 1048576", 1048576, NULL },
		{ "window_bytes: 0x1000", 4096, NULL },
		{ "window_bytes: 0o10", 8, NULL },
		{ "window_bytes: +64", 64, NULL },
		{ "window_bytes: 0100", 100, NULL },   /* YAML 1.2: decimal, not octal */
		{ "window_bytes: 0", 0, "invalid value 0 for 'headers.window_bytes': the minimum is 1" },
		{ "window_bytes: -0", 0, "invalid value -0 for 'headers.window_bytes': the minimum is 1" },
		{ "window_bytes: -1", 0, "invalid value -1 for 'headers.window_bytes': the minimum is 1" },
		{ "window_bytes: 1048577", 0, "invalid value 1048577 for 'headers.window_bytes': the maximum is 1048576" },
		{ "window_bytes: 99999999999999999999999", 0,
		  "invalid value 99999999999999999999999 for 'headers.window_bytes': the maximum is 1048576" },
		{ "window_bytes: -99999999999999999999999", 0,
		  "invalid value -99999999999999999999999 for 'headers.window_bytes': the minimum is 1" },
		{ "window_bytes: 0xFFFFFFFFFFFFFFFFFFFF", 0,
		  "invalid value 0xFFFFFFFFFFFFFFFFFFFF for 'headers.window_bytes': the maximum is 1048576" },
		{ "window_bytes: 4k", 0, "expected an integer for 'headers.window_bytes', got a string '4k'" },
		{ "window_bytes: 4 KiB", 0, "expected an integer for 'headers.window_bytes', got a string '4 KiB'" },
		{ "window_bytes: '4096'", 0, "expected an integer for 'headers.window_bytes', got a string '4096'" },
		{ "window_bytes: 1e3", 0, "expected an integer for 'headers.window_bytes', got a number '1e3'" },
		{ "window_bytes: .inf", 0, "expected an integer for 'headers.window_bytes', got a number '.inf'" },
		{ "window_bytes: true", 0, "expected an integer for 'headers.window_bytes', got a boolean 'true'" },
		{ "window_bytes: [1]", 0, "expected an integer for 'headers.window_bytes', got a list" },
		{ "window_bytes:", 0, "expected an integer for 'headers.window_bytes', got an empty value" },
		{ "min_bytes: 0", 0, NULL },
		{ "min_bytes: 1048576", 1048576, NULL },
		{ "min_bytes: 1048577", 0, "invalid value 1048577 for 'headers.min_bytes': the maximum is 1048576" },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cl_buf text = CL_BUF_INIT;
		struct cl_policy *p = NULL;
		int rc;

		assert_int_equal(cl_buf_printf(&text, "headers:\n  %s\n", cases[i].yaml), 0);
		rc = cl_policy_load_buffer(&p, text.ptr, text.size, "s.yml");
		if (!cases[i].msg) {
			const struct cl_header_options *h;
			if (rc < 0)
				fail_msg("'%s': %s", cases[i].yaml, cl_error_last());
			h = cl_policy_headers(p);
			assert_int_equal(cases[i].yaml[0] == 'w' ? h->window_bytes : h->min_bytes, cases[i].value);
			assert_round_trip(p);
			cl_policy_free(p);
		} else if (rc != CL_EINVALID) {
			fail_msg("'%s': returned %d, expected %s", cases[i].yaml, rc, cases[i].msg);
		} else if (strncmp(cl_error_last(), "s.yml:2:", 8) != 0 || !strstr(cl_error_last(), cases[i].msg) ||
			   !strstr(cl_error_last(), " (hint: ")) {
			fail_msg("'%s':\n  expected: %s\n  actual:   %s", cases[i].yaml, cases[i].msg, cl_error_last());
		}
		cl_buf_dispose(&text);
	}
}

/* headers.licenses entries: ids, globs, one license WITH its exception; no expressions. */
static void test_headers_license_entries(void **state)
{
	static const char *const good[] = {
		"MIT", "GPL-*", "LicenseRef-Acme-1.0", "DocumentRef-spdx:LicenseRef-x", "GPL-2.0+",
		"GPL-2.0-only WITH Classpath-exception-2.0", "GPL-* WITH *", "re:GPL-[23]\\.0 (AND|OR) .*",
	};
	static const char *const bad[] = {
		"MIT OR Apache-2.0", "MIT AND Apache-2.0", "GPL 2", "GPL-2.0-only WITH ", " WITH X",
		"MIT WITH A WITH B", "MIT,Apache-2.0", "(MIT)", "MIT with Foo", "Apache 2.0",
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(good) / sizeof(good[0]) + sizeof(bad) / sizeof(bad[0]); i++) {
		int is_good = i < sizeof(good) / sizeof(good[0]);
		const char *entry = is_good ? good[i] : bad[i - sizeof(good) / sizeof(good[0])];
		struct cl_buf text = CL_BUF_INIT, want = CL_BUF_INIT;
		struct cl_policy *p = NULL;
		int rc;

		assert_int_equal(cl_buf_printf(&text, "headers:\n  licenses: ['%s']\n", entry), 0);
		rc = cl_policy_load_buffer(&p, text.ptr, text.size, "l.yml");
		if (is_good) {
			if (rc < 0)
				fail_msg("'%s' refused: %s", entry, cl_error_last());
			assert_string_equal(cl_pattern_text(cl_policy_headers(p)->licenses.items[0]), entry);
			cl_policy_free(p);
		} else {
			assert_int_equal(cl_buf_printf(&want, "l.yml:2:14: invalid license id '%s' in "
				"'headers.licenses' (hint: ", entry), 0);
			if (rc != CL_EINVALID || strncmp(cl_error_last(), want.ptr, want.size) != 0)
				fail_msg("'%s': returned %d: %s", entry, rc, cl_error_last());
		}
		cl_buf_dispose(&text);
		cl_buf_dispose(&want);
	}
}

/* A failure in the last paths entry frees the entries before it (ASan checks). */
static void test_headers_fail_late_frees(void **state)
{
	static const char text[] =
		"headers:\n"
		"  licenses: [MIT]\n"
		"  copyright_pattern: 'Copyright'\n"
		"  skip: [a, b]\n"
		"  paths:\n"
		"    - {match: 'docs/**', licenses: [CC-BY-4.0, CC0-1.0]}\n"
		"    - {match: 'x/**', copyright: required}\n"
		"    - {match: 'y/**', licenses: [MIT, 're:(']}\n";
	static const char twice[] =
		"headers:\n"
		"  paths: [{match: a, licenses: [MIT]}]\n"
		"  copyright_pattern: x\n"
		"  copyright_pattern: y\n";
	struct cl_policy *p = NULL;
	(void)state;

	assert_int_equal(cl_policy_load_buffer(&p, text, sizeof(text) - 1, "late.yml"), CL_EINVALID);
	assert_string_equal(cl_error_last(), "late.yml:8:39: invalid pattern 're:(' in "
		"'headers.paths[2].licenses': missing closing parenthesis at offset 4 (hint: list SPDX "
		"license ids one per entry, such as [MIT, Apache-2.0]; * and ? are wildcards, and 're:' "
		"starts a PCRE2 regular expression)");
	assert_null(p);
	assert_int_equal(cl_policy_load_buffer(&p, twice, sizeof(twice) - 1, "twice.yml"), CL_EINVALID);
	assert_string_equal(cl_error_last(), "twice.yml:4:3: duplicate key 'headers.copyright_pattern' "
		"(hint: it was first given at line 3; keep one)");
	assert_null(p);
}

/* The sample policy install-hooks copies must load, and say what the defaults say. */
static void test_template(void **state)
{
	struct cl_policy *p = load_ok("templates/policy.yml");
	(void)state;
	assert_true(cl_policy_dco(p)->enabled);
	assert_int_equal(cl_policy_ref_enforced(p, "refs/heads/main"), 1);
	assert_int_equal(cl_policy_ref_enforced(p, "refs/tags/v1"), 1);
	assert_false(cl_policy_headers(p)->enabled);
	assert_header_defaults(cl_policy_headers(p));
	assert_round_trip(p);
	cl_policy_free(p);
}

static void test_default_refs(void **state)
{
	struct cl_policy *p;
	(void)state;
	assert_int_equal(cl_policy_default(&p), 0);
	assert_int_equal(cl_policy_ref_enforced(p, "refs/heads/main"), 1);
	assert_int_equal(cl_policy_ref_enforced(p, "refs/heads/a/b/c"), 1);
	assert_int_equal(cl_policy_ref_enforced(p, "refs/tags/v1.0"), 1);
	assert_int_equal(cl_policy_ref_enforced(p, "refs/notes/commits"), 0);
	assert_int_equal(cl_policy_ref_enforced(p, "refs/meta/config"), 0);
	assert_int_equal(cl_policy_ref_enforced(p, "HEAD"), 0);
	assert_int_equal(cl_policy_is_admin(p, "root"), 0);
	cl_policy_free(p);
}

static void test_missing_file(void **state)
{
	struct cl_policy *p = NULL;
	char *dir = src_path("tests/policy/good");
	struct cl_buf want = CL_BUF_INIT;
	(void)state;

	assert_int_equal(cl_policy_load(&p, "tests/policy/no-such-file.yml"), CL_ENOTFOUND);
	assert_string_equal(cl_error_last(),
		"cannot open policy 'tests/policy/no-such-file.yml': No such file or directory");
	assert_null(p);
	/* A directory opens but does not read. */
	assert_int_equal(cl_policy_load(&p, dir), CL_ERROR);
	assert_int_equal(cl_buf_printf(&want, "cannot read policy '%s': Is a directory", dir), 0);
	assert_string_equal(cl_error_last(), want.ptr);
	assert_null(p);
	cl_buf_dispose(&want);
	free(dir);
}

static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
	struct cl_buf b = CL_BUF_INIT;
	size_t i;
	assert_int_equal(cl_buf_puts(&b, head), 0);
	for (i = 0; i < n; i++)
		assert_int_equal(cl_buf_puts(&b, unit), 0);
	assert_int_equal(cl_buf_puts(&b, tail), 0);
	return cl_buf_detach(&b);
}

/* Hostile sizes are refused fast, whatever their shape. */
static void test_huge_input(void **state)
{
	struct cl_policy *p = (struct cl_policy *)&p;
	char *data;
	size_t len;
	clock_t start = clock();
	(void)state;

	/* One byte over the cap, refused unread. */
	data = malloc(CL_POLICY_MAX_SIZE + 1);
	assert_non_null(data);
	memset(data, '#', CL_POLICY_MAX_SIZE + 1);
	assert_int_equal(cl_policy_load_buffer(&p, data, CL_POLICY_MAX_SIZE + 1, "big.yml"), CL_ETOOBIG);
	assert_string_equal(cl_error_last(), "big.yml:1:1: policy larger than 1048576 bytes "
		"(hint: a policy is a few hundred lines; is this the right file?)");
	assert_ptr_equal(p, (struct cl_policy *)&p);
	/* Exactly at the cap is fine (a megabyte of comment). */
	data[CL_POLICY_MAX_SIZE - 1] = '\n';
	assert_int_equal(cl_policy_load_buffer(&p, data, CL_POLICY_MAX_SIZE, "big.yml"), 0);
	cl_policy_free(p);
	free(data);

	/* Nearly a megabyte of '[' under a key. */
	data = repeat("dco:\n  exempt_authors: ", "[", CL_POLICY_MAX_SIZE - 64, "\n");
	len = strlen(data);
	assert_int_equal(cl_policy_load_buffer(&p, data, len, "deep.yml"), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "deep.yml:2:33: values nested deeper than 16 levels"));
	free(data);

	/* A thousand items is the cap; one more is refused before any more compiling. */
	data = repeat("refs:\n  exclude: [", "\"refs/heads/x/**\", ", 1000, "]\n");
	assert_int_equal(cl_policy_load_buffer(&p, data, strlen(data), "many.yml"), 0);
	assert_int_equal(cl_policy_refs(p)->exclude.count, 1000);
	cl_policy_free(p);
	free(data);
	data = repeat("refs:\n  exclude: [", "\"refs/heads/x/**\", ", 50000, "]\n");
	assert_int_equal(cl_policy_load_buffer(&p, data, strlen(data), "many.yml"), CL_EINVALID);
	assert_string_equal(cl_error_last(), "many.yml:2:19013: more than 1000 items in 'refs.exclude' "
		"(hint: a policy list is a handful of entries; one ** glob or re: pattern can cover many)");
	free(data);
	data = repeat("overrides:\n  admins:\n", "    - someone\n", 1001, "");
	assert_int_equal(cl_policy_load_buffer(&p, data, strlen(data), "admins.yml"), CL_EINVALID);
	assert_string_equal(cl_error_last(), "admins.yml:1003:7: more than 1000 items in 'overrides.admins' "
		"(hint: a policy list is a handful of entries)");
	free(data);

	/* A megabyte of aliases is refused at the first one: nothing is expanded. */
	data = repeat("refs:\n  include: [", "*a, ", 200000, "]\n");
	assert_int_equal(cl_policy_load_buffer(&p, data, strlen(data), "laughs.yml"), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "laughs.yml:2:13: YAML aliases are not supported"));
	free(data);

	/* Generous for a sanitizer build; a quadratic path would take minutes. */
	assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 20.0);
}

/* The loader reads exactly `len` bytes: no terminating NUL is assumed. */
static void test_unterminated_buffer(void **state)
{
	static const char text[] = "dco:\n  enabled: false\n";
	size_t len = sizeof(text) - 1;
	struct cl_policy *p;
	char *data = malloc(len);
	(void)state;

	assert_non_null(data);
	memcpy(data, text, len);
	assert_int_equal(cl_policy_load_buffer(&p, data, len, "t.yml"), 0);
	assert_false(cl_policy_dco(p)->enabled);
	cl_policy_free(p);
	/* Cut in the middle of "false": "fal" is not a boolean. */
	assert_int_equal(cl_policy_load_buffer(&p, data, 19, "t.yml"), CL_EINVALID);
	assert_string_equal(cl_error_last(), "t.yml:2:12: expected a boolean for 'dco.enabled', "
		"got a string 'fal' (hint: write true or false)");
	free(data);
}

/* User text in messages is cut short and made printable. */
static void test_message_quoting(void **state)
{
	struct cl_policy *p;
	char *data = repeat("dco:\n  ", "\xc3\xa9", 30, ": true\n");   /* "é" x 30 */
	(void)state;

	assert_int_equal(cl_policy_load_buffer(&p, data, strlen(data), "q.yml"), CL_EINVALID);
	/* 40 bytes (20 whole characters), then "...". */
	assert_non_null(strstr(cl_error_last(), "unknown key '\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
		"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9...' in 'dco'"));
	free(data);
	data = repeat("overrides:\n  admins: [\"a\\tb\"]", "", 0, "\n");
	assert_int_equal(cl_policy_load_buffer(&p, data, strlen(data), "q.yml"), CL_EINVALID);
	assert_string_equal(cl_error_last(), "q.yml:2:12: invalid login 'a?b' in 'overrides.admins' "
		"(hint: an admin is a login as the git server names the pusher, without spaces)");
	free(data);
}

/* Strings the printer must quote come back as they were. */
static void test_write_yaml_quoting(void **state)
{
	static const char text[] =
		"overrides:\n"
		"  audit_log: \"logs/\\\"audit\\\" #1: \\\\x.log\"\n"
		"  admins: ['true', 'null', '-x', '#y']\n"
		"dco:\n"
		"  exempt_authors: ['re:a\\.b\\\\c', \"*\\u00e9@x\"]\n"
		/* Found by fuzz_policy: C1 controls and YAML line breaks must print escaped. */
		"refs:\n"
		"  exclude: [\"A\\u009eB\\u0085C\\u2028D\\u2029E\\ufeffF\\x7fG\"]\n";
	struct cl_policy *p;
	const struct cl_policy_overrides *ov;
	(void)state;

	assert_int_equal(cl_policy_load_buffer(&p, text, sizeof(text) - 1, "q.yml"), 0);
	ov = cl_policy_overrides(p);
	assert_string_equal(ov->audit_log, "logs/\"audit\" #1: \\x.log");
	assert_int_equal(ov->admin_count, 4);
	assert_string_equal(ov->admins[0], "true");
	assert_string_equal(ov->admins[3], "#y");
	assert_string_equal(cl_pattern_text(cl_policy_dco(p)->exempt_authors.items[0]), "re:a\\.b\\\\c");
	assert_string_equal(cl_pattern_text(cl_policy_dco(p)->exempt_authors.items[1]), "*\xc3\xa9@x");
	assert_string_equal(cl_pattern_text(cl_policy_refs(p)->exclude.items[0]),
		"A\xc2\x9e" "B\xc2\x85" "C\xe2\x80\xa8" "D\xe2\x80\xa9" "E\xef\xbb\xbf" "F\x7f" "G");
	assert_round_trip(p);
	cl_policy_free(p);
}

/* A bad case must leave nothing half-built behind (the sanitizer build checks leaks). */
static void test_fail_late_frees(void **state)
{
	static const char text[] =
		"refs: {include: [a, b], exclude: [c]}\n"
		"overrides: {admins: [x, y], push_option: p, audit_log: l}\n"
		"identity: {env: [A, B]}\n"
		"dco: {exempt_authors: [e], enabled: maybe}\n";
	struct cl_policy *p = NULL;
	(void)state;
	assert_int_equal(cl_policy_load_buffer(&p, text, sizeof(text) - 1, "late.yml"), CL_EINVALID);
	assert_string_equal(cl_error_last(), "late.yml:4:37: expected a boolean for 'dco.enabled', "
		"got a string 'maybe' (hint: write true or false)");
	assert_null(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_files),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_default_refs),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_huge_input),
		cmocka_unit_test(test_unterminated_buffer),
		cmocka_unit_test(test_message_quoting),
		cmocka_unit_test(test_write_yaml_quoting),
		cmocka_unit_test(test_fail_late_frees),
		cmocka_unit_test(test_headers_full),
		cmocka_unit_test(test_headers_values),
		cmocka_unit_test(test_headers_sizes),
		cmocka_unit_test(test_headers_license_entries),
		cmocka_unit_test(test_headers_fail_late_frees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
