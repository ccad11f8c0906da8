/*
 * DCO conformance: the DCO GitHub App's own test cases (transcribed in the
 * shared corpus, conformance/dcoapp/) run through clearance's DCO check.
 *
 * The App's behaviour, expressed in clearance's options:
 *   - lenient: the App accepts `^Signed-off-by: (.*) <(.*)>\s*$` on any line;
 *   - match name-and-email, accept_committer: the App wants both name and
 *     e-mail, and takes the author's or the committer's;
 *   - remediation_individual / remediation_third_party from
 *     allowRemediationCommits (third party only counts with individual on,
 *     as in the App);
 *   - exemptions: the App skips commits whose forge account is a Bot, and,
 *     with require.members false, verified commits by exempt logins. Our
 *     check knows no forge accounts, only author e-mails, so each such
 *     commit's author e-mail becomes an exact exempt pattern. When one
 *     e-mail would have to be exempt for one commit and not for another,
 *     e-mail patterns cannot say it and the case is skipped (counted).
 *
 * A case agrees when pass/fail and the multiset of failing commits match.
 * deliberate_differences[] lists, by the case's `source`, where clearance
 * differs on purpose. The test fails when an unlisted case disagrees, and
 * also when a listed case agrees (so the list stays honest).
 *
 * Corpus: $CLEARANCE_SHARED/conformance/dcoapp/, else ../shared/... from the
 * working directory (tests run from the repository root). Absent: skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "dco.h"
#include "error.h"
#include "finding.h"
#include "pattern.h"

struct deliberate {
	const char *source;
	const char *reason;
};

static const struct deliberate deliberate_differences[] = {
#define TRIMMED_NAME "clearance compares names after trimming the blanks around them " \
	"(git normalises them the same way when it writes a sign-off); the App " \
	"compares \"  Brandon Keepers \" with the author's name as written and fails"
	{ "test/dco.test.js:620", TRIMMED_NAME },
	{ "test/dco.test.js:2794", TRIMMED_NAME },
	{ "test/dco.test.js:6086", TRIMMED_NAME },
#define EMAIL_SYNTAX "the App rejects an author address without a top-level domain " \
	"(hiimbex@bexo); clearance does not judge whether an address is deliverable, " \
	"only that the sign-off names the author, and this one does"
	{ "test/dco.test.js:875", EMAIL_SYNTAX },
	{ "test/dco.test.js:3107", EMAIL_SYNTAX },
	{ "test/dco.test.js:6399", EMAIL_SYNTAX },
#define SQUASH_NAME "in the merge queue the App accepts the synthesized squash commit " \
	"when its sign-off carries the pull request author's identity; clearance " \
	"judges each commit against its own author (name and e-mail in this mapping)"
	{ "test/index.test.js:2071", SQUASH_NAME },
	{ "test/index.test.js:2087", SQUASH_NAME },
	{ "test/index.test.js:2163", SQUASH_NAME },
	{ "test/index.test.js:2304", SQUASH_NAME },
#undef TRIMMED_NAME
#undef EMAIL_SYNTAX
#undef SQUASH_NAME
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct tally {
	size_t agree, deliberate, skipped, unexpected, dishonest;
};

static const struct deliberate *deliberate_find(const char *source)
{
	size_t i;

	for (i = 0; i < COUNT(deliberate_differences); i++)
		if (strcmp(deliberate_differences[i].source, source) == 0)
			return &deliberate_differences[i];
	return NULL;
}

/* ---- loading ---------------------------------------------------------- */

static const char *corpus_dir(struct cl_buf *path)
{
	const char *shared = getenv("CLEARANCE_SHARED");

	cl_buf_clear(path);
	cl_buf_printf(path, "%s/conformance/dcoapp", shared && *shared ? shared : "../shared");
	return cl_buf_cstr(path);
}

static json_t *load_corpus(const char *file, struct cl_buf *shown)
{
	struct cl_buf dir = CL_BUF_INIT;
	json_error_t jerr;
	json_t *root;

	cl_buf_clear(shown);
	cl_buf_printf(shown, "%s/%s", corpus_dir(&dir), file);
	cl_buf_dispose(&dir);
	if (access(cl_buf_cstr(shown), R_OK) != 0)
		return NULL;
	root = json_load_file(cl_buf_cstr(shown), 0, &jerr);
	if (!root)
		fail_msg("cannot parse %s: %s (line %d)", cl_buf_cstr(shown), jerr.text, jerr.line);
	if (!json_is_array(root))
		fail_msg("%s: expected an array of cases", cl_buf_cstr(shown));
	return root;
}

static const char *jstr(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}

/* ---- one case --------------------------------------------------------- */

struct case_data {
	struct cl_commit *commits;
	int *exempt;
	size_t count;
};

static void case_data_dispose(struct case_data *cd)
{
	free(cd->commits);
	free(cd->exempt);
	memset(cd, 0, sizeof(*cd));
}

static int login_is_exempt(const json_t *config, const json_t *commit)
{
	const json_t *require = json_object_get(config, "require");
	const json_t *logins = json_object_get(require, "exempt_logins");
	const json_t *gh = json_object_get(commit, "github_author");
	const char *login = json_string_value(json_object_get(gh, "login"));
	size_t i;

	if (!json_is_false(json_object_get(require, "members")) || !login)
		return 0;
	if (!json_is_true(json_object_get(commit, "verified")))
		return 0;
	for (i = 0; i < json_array_size(logins); i++)
		if (strcmp(json_string_value(json_array_get(logins, i)) ?
			json_string_value(json_array_get(logins, i)) : "", login) == 0)
			return 1;
	return 0;
}

static int is_bot(const json_t *commit)
{
	const json_t *gh = json_object_get(commit, "github_author");
	const char *type = json_string_value(json_object_get(gh, "type"));

	return type && strcmp(type, "Bot") == 0;
}

/* Append `commits` (a JSON array) to `cd`, oldest first as given. */
static void add_commits(struct case_data *cd, const json_t *config, const json_t *commits)
{
	size_t i, n = json_array_size(commits);

	cd->commits = realloc(cd->commits, (cd->count + n + 1) * sizeof(*cd->commits));
	cd->exempt = realloc(cd->exempt, (cd->count + n + 1) * sizeof(*cd->exempt));
	assert_non_null(cd->commits);
	assert_non_null(cd->exempt);
	for (i = 0; i < n; i++) {
		const json_t *j = json_array_get(commits, i);
		struct cl_commit *c = &cd->commits[cd->count];
		const json_t *sha = json_object_get(j, "sha");

		memset(c, 0, sizeof(*c));
		/* A few of the App's tests leave the sha undefined. */
		if (json_is_string(sha))
			snprintf(c->id, sizeof(c->id), "%s", json_string_value(sha));
		else
			snprintf(c->id, sizeof(c->id), "(no sha #%zu)", cd->count);
		c->message = jstr(j, "message");
		c->author_name = jstr(j, "author_name");
		c->author_email = jstr(j, "author_email");
		c->committer_name = jstr(j, "committer_name");
		c->committer_email = jstr(j, "committer_email");
		c->parent_count = (unsigned int)json_integer_value(json_object_get(j, "parents"));
		cd->exempt[cd->count] = is_bot(j) || login_is_exempt(config, j);
		cd->count++;
	}
}

/* The glob for exactly `email` (pattern.h: only '*', '?' and '\' are special). */
static void glob_literal(struct cl_buf *out, const char *email)
{
	cl_buf_clear(out);
	for (; *email; email++) {
		if (*email == '*' || *email == '?' || *email == '\\')
			cl_buf_putc(out, '\\');
		cl_buf_putc(out, *email);
	}
}

/*
 * Map the case's config and exemptions to options. Returns a reason when
 * the case cannot be expressed, else NULL.
 */
static const char *case_options(struct cl_dco_options *opts, const struct case_data *cd,
	const json_t *config)
{
	const json_t *rem = json_object_get(config, "allowRemediationCommits");
	struct cl_buf glob = CL_BUF_INIT;
	size_t i, k;

	opts->enabled = 1;
	opts->lenient = 1;
	opts->match = CL_DCO_MATCH_NAME_AND_EMAIL;
	opts->accept_committer = 1;
	opts->check_merges = 0;
	opts->remediation_individual = json_is_true(json_object_get(rem, "individual"));
	opts->remediation_third_party = json_is_true(json_object_get(rem, "thirdParty"));

	for (i = 0; i < cd->count; i++) {
		if (!cd->exempt[i])
			continue;
		if (!*cd->commits[i].author_email)
			return "an exempt commit has no author e-mail to exempt";
		for (k = 0; k < cd->count; k++)
			if (!cd->exempt[k] &&
			    strcasecmp(cd->commits[k].author_email, cd->commits[i].author_email) == 0)
				return "one e-mail is exempt for one commit and not for another";
		glob_literal(&glob, cd->commits[i].author_email);
		if (cl_pattern_list_add(&opts->exempt_authors, cl_buf_cstr(&glob),
			CL_PATTERN_CASELESS) < 0)
			fail_msg("cannot compile exempt pattern '%s': %s", cl_buf_cstr(&glob),
				cl_error_last());
	}
	cl_buf_dispose(&glob);
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted, ", "-joined list: a multiset in a comparable form. */
static void join_sorted(struct cl_buf *out, const char **items, size_t n)
{
	size_t i;

	qsort(items, n, sizeof(*items), cmp_str);
	cl_buf_clear(out);
	cl_buf_putc(out, '[');
	for (i = 0; i < n; i++)
		cl_buf_printf(out, "%s%s", i ? ", " : "", items[i]);
	cl_buf_putc(out, ']');
}

static void run_case(struct tally *t, const json_t *jcase, int merge_queue)
{
	const char *source = jstr(jcase, "source");
	const json_t *config = json_object_get(jcase, "config");
	const json_t *want_shas = json_object_get(jcase, "failing_shas");
	const struct deliberate *listed = deliberate_find(source);
	struct cl_dco_options opts = CL_DCO_OPTIONS_INIT;
	struct case_data cd = { NULL, NULL, 0 };
	struct cl_findings *findings = NULL;
	struct cl_buf want = CL_BUF_INIT, got = CL_BUF_INIT;
	const char **list = NULL;
	const char *why_skip;
	size_t i, n;
	int rc, agree, expect_fail = strcmp(jstr(jcase, "expect"), "fail") == 0;

	if (merge_queue) {
		/* The pull request's commits, then what the queue made of them. */
		add_commits(&cd, config, json_object_get(jcase, "pr_commits"));
		add_commits(&cd, config, json_object_get(jcase, "range_commits"));
	} else {
		add_commits(&cd, config, json_object_get(jcase, "commits"));
	}
	why_skip = case_options(&opts, &cd, config);
	if (why_skip) {
		print_message("dco conformance: %s skipped: %s\n", source, why_skip);
		t->skipped++;
		goto done;
	}

	assert_int_equal(cl_findings_new(&findings), 0);
	rc = cl_dco_check(findings, &opts, NULL, cd.commits, cd.count);
	if (rc < 0)
		fail_msg("%s: cl_dco_check: %s", source, cl_error_last());

	n = cl_findings_count(findings);
	list = calloc(n + json_array_size(want_shas) + 1, sizeof(*list));
	assert_non_null(list);
	for (i = 0; i < n; i++)
		list[i] = cl_findings_get(findings, i)->commit;
	join_sorted(&got, list, n);
	for (i = 0; i < json_array_size(want_shas); i++)
		list[i] = json_string_value(json_array_get(want_shas, i));
	join_sorted(&want, list, json_array_size(want_shas));

	/*
	 * The merge-queue corpus repeats one sha for several commits (its
	 * test data); there only the set of failing commits is meaningful.
	 */
	if (merge_queue) {
		agree = (n > 0) == expect_fail;
		for (i = 0; agree && i < n; i++)
			agree = strstr(cl_buf_cstr(&want), cl_findings_get(findings, i)->commit) != NULL;
		for (i = 0; agree && i < json_array_size(want_shas); i++)
			agree = strstr(cl_buf_cstr(&got),
				json_string_value(json_array_get(want_shas, i))) != NULL;
	} else {
		agree = (n > 0) == expect_fail && strcmp(cl_buf_cstr(&want), cl_buf_cstr(&got)) == 0;
	}

	if (agree && !listed) {
		t->agree++;
	} else if (!agree && listed) {
		t->deliberate++;
	} else if (agree && listed) {
		t->dishonest++;
		print_error("dco conformance: %s is listed as a deliberate difference but agrees "
			"(failing %s); remove it from deliberate_differences[]\n", source,
			cl_buf_cstr(&got));
	} else {
		t->unexpected++;
		print_error("dco conformance: %s (%s) disagrees: the App fails %s, clearance fails %s\n",
			source, jstr(jcase, "name"), cl_buf_cstr(&want), cl_buf_cstr(&got));
		for (i = 0; i < n; i++)
			print_error("    %s %s: %s\n", cl_findings_get(findings, i)->commit,
				cl_findings_get(findings, i)->rule, cl_findings_get(findings, i)->message);
	}
done:
	free(list);
	cl_buf_dispose(&want);
	cl_buf_dispose(&got);
	cl_findings_free(findings);
	cl_dco_options_dispose(&opts);
	case_data_dispose(&cd);
}

static void run_file(const char *file, const char *label, int merge_queue, int required)
{
	struct cl_buf shown = CL_BUF_INIT;
	struct tally t = { 0, 0, 0, 0, 0 };
	json_t *root = load_corpus(file, &shown);
	size_t i;

	if (!root) {
		print_message("%s: SKIPPED: corpus not found at %s\n", label, cl_buf_cstr(&shown));
		cl_buf_dispose(&shown);
		if (required)
			skip();
		return;
	}
	for (i = 0; i < json_array_size(root); i++)
		run_case(&t, json_array_get(root, i), merge_queue);
	print_message("%s: %zu agree, %zu differ deliberately, %zu skipped\n", label, t.agree,
		t.deliberate, t.skipped);
	json_decref(root);
	cl_buf_dispose(&shown);
	if (t.unexpected || t.dishonest)
		fail_msg("%s: %zu unexpected difference(s), %zu listed difference(s) that agree",
			label, t.unexpected, t.dishonest);
}

static void test_dco_app_cases(void **state)
{
	(void)state;
	run_file("dco_cases.json", "dco conformance", 0, 1);
}

static void test_dco_app_merge_queue(void **state)
{
	(void)state;
	run_file("dco_mergequeue_cases.json", "dco conformance (merge queue)", 1, 1);
}

/* Every listed difference must name a case that exists in the corpus. */
static void test_list_is_current(void **state)
{
	struct cl_buf shown = CL_BUF_INIT;
	json_t *roots[2];
	size_t d, r, i, stale = 0;
	int found;

	(void)state;
	roots[0] = load_corpus("dco_cases.json", &shown);
	if (!roots[0]) {
		print_message("dco conformance: SKIPPED: corpus not found at %s\n", cl_buf_cstr(&shown));
		cl_buf_dispose(&shown);
		skip();
	}
	roots[1] = load_corpus("dco_mergequeue_cases.json", &shown);
	for (d = 0; d < COUNT(deliberate_differences); d++) {
		found = 0;
		for (r = 0; r < 2 && !found; r++)
			for (i = 0; roots[r] && i < json_array_size(roots[r]) && !found; i++)
				found = strcmp(jstr(json_array_get(roots[r], i), "source"),
					deliberate_differences[d].source) == 0;
		if (!found && (roots[1] || strstr(deliberate_differences[d].source, "index") == NULL)) {
			print_error("deliberate_differences[] names %s, which is not in the corpus\n",
				deliberate_differences[d].source);
			stale++;
		}
	}
	json_decref(roots[0]);
	json_decref(roots[1]);
	cl_buf_dispose(&shown);
	if (stale)
		fail_msg("%zu stale entries in deliberate_differences[]", stale);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dco_app_cases),
		cmocka_unit_test(test_dco_app_merge_queue),
		cmocka_unit_test(test_list_is_current),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
