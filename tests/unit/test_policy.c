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

/* The sample policy install-hooks copies must load, and say what the defaults say. */
static void test_template(void **state)
{
	struct cl_policy *p = load_ok("templates/policy.yml");
	(void)state;
	assert_true(cl_policy_dco(p)->enabled);
	assert_int_equal(cl_policy_ref_enforced(p, "refs/heads/main"), 1);
	assert_int_equal(cl_policy_ref_enforced(p, "refs/tags/v1"), 1);
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
