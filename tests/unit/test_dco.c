/*
 * The DCO check (lib/dco.c): matching rules, options, finding shape, remedies.
 * Each test builds a few commits as plain data (commit.h) and reads the
 * findings back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "dco.h"
#include "error.h"
#include "finding.h"
#include "pattern.h"

#define SHA1 "1111111111111111111111111111111111111111"
#define SHA2 "2222222222222222222222222222222222222222"
#define SHA3 "3333333333333333333333333333333333333333"
#define REF  "refs/heads/main"

#define AUTHOR    "A U Thor"
#define AUTHOR_E  "author@example.com"
#define COMMITTER "C O Mitter"
#define COMMITTER_E "committer@example.com"
#define SOB_AUTHOR "Signed-off-by: " AUTHOR " <" AUTHOR_E ">"

static struct cl_commit commit_make(const char *id, const char *message, unsigned int parents)
{
	struct cl_commit c;

	memset(&c, 0, sizeof(c));
	snprintf(c.id, sizeof(c.id), "%s", id);
	c.message = message;
	c.author_name = AUTHOR;
	c.author_email = AUTHOR_E;
	c.committer_name = COMMITTER;
	c.committer_email = COMMITTER_E;
	c.parent_count = parents;
	return c;
}

struct fixture {
	struct cl_findings *findings;
	struct cl_dco_options opts;
};

static int setup(void **state)
{
	static struct fixture fx;
	struct cl_dco_options init = CL_DCO_OPTIONS_INIT;

	fx.opts = init;
	if (cl_findings_new(&fx.findings) < 0)
		return -1;
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	cl_findings_free(fx->findings);
	cl_dco_options_dispose(&fx->opts);
	return 0;
}

/* Run the check; assert the return equals the number of findings added. */
static int run(struct fixture *fx, const struct cl_commit *commits, size_t count)
{
	size_t before = cl_findings_count(fx->findings);
	int rc = cl_dco_check(fx->findings, &fx->opts, REF, commits, count);

	if (rc < 0)
		fail_msg("cl_dco_check: %s", cl_error_last());
	assert_int_equal(cl_findings_count(fx->findings) - before, (size_t)rc);
	return rc;
}

static const struct cl_finding *only_finding(struct fixture *fx)
{
	assert_int_equal(cl_findings_count(fx->findings), 1);
	return cl_findings_get(fx->findings, 0);
}

static void assert_contains(const char *haystack, const char *needle)
{
	if (!haystack || !strstr(haystack, needle))
		fail_msg("expected to find\n  %s\nin\n  %s", needle, haystack ? haystack : "(null)");
}

static void assert_lacks(const char *haystack, const char *needle)
{
	if (haystack && strstr(haystack, needle))
		fail_msg("did not expect\n  %s\nin\n  %s", needle, haystack);
}

/* ---- matching --------------------------------------------------------- */

static void test_signed(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit c = commit_make(SHA1, "Fix it\n\nBody.\n\n" SOB_AUTHOR "\n", 0);

	assert_int_equal(run(fx, &c, 1), 0);
}

static void test_unsigned_finding_shape(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit c = commit_make(SHA1, "Fix the frobnicator\n\nNo sign-off here.\n", 1);
	const struct cl_finding *f;

	assert_int_equal(run(fx, &c, 1), 1);
	f = only_finding(fx);
	assert_string_equal(f->check, "dco");
	assert_int_equal(f->severity, CL_SEVERITY_ERROR);
	assert_string_equal(f->ref, REF);
	assert_string_equal(f->commit, SHA1);
	assert_string_equal(f->subject, "Fix the frobnicator");
	assert_string_equal(f->rule, "dco.missing");
	assert_int_equal(f->line, 0);
	assert_string_equal(f->key, "dco:" SHA1);
	assert_null(f->path);
	assert_contains(f->message, "Signed-off-by: " AUTHOR " <" AUTHOR_E ">");
}

static void test_mismatched_email(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit c = commit_make(SHA1,
		"Fix it\n\nSigned-off-by: A U Thor <someone-else@example.com>\n", 0);
	const struct cl_finding *f;

	assert_int_equal(run(fx, &c, 1), 1);
	f = only_finding(fx);
	assert_string_equal(f->rule, "dco.mismatch");
	assert_int_equal(f->line, 3);
	assert_contains(f->message, "Expected \"" AUTHOR " <" AUTHOR_E ">\", but got \""
		AUTHOR " <someone-else@example.com>\"");
}

static void test_mismatch_lists_all_and_points_nearest(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit c = commit_make(SHA1,
		"Fix it\n\n"
		"Signed-off-by: Nobody <nobody@example.com>\n"
		"Signed-off-by: Other Name <" AUTHOR_E ">\n"
		"Signed-off-by: Third <third@example.com>\n", 0);
	const struct cl_finding *f;

	fx->opts.match = CL_DCO_MATCH_NAME_AND_EMAIL;
	assert_int_equal(run(fx, &c, 1), 1);
	f = only_finding(fx);
	assert_string_equal(f->rule, "dco.mismatch");
	/* The sign-off with the author's e-mail is the nearest miss. */
	assert_int_equal(f->line, 4);
	assert_contains(f->message, "\"Nobody <nobody@example.com>\" (line 3)");
	assert_contains(f->message, "\"Other Name <" AUTHOR_E ">\" (line 4)");
	assert_contains(f->message, "\"Third <third@example.com>\" (line 5)");
}

static void test_email_case_insensitive(void **state)
{
	struct fixture *fx = *state;
	/* match=email: the name may differ, the e-mail only in case. */
	struct cl_commit c = commit_make(SHA1,
		"Fix it\n\nsigned-off-by: Someone Else <AUTHOR@Example.COM>\n", 0);

	assert_int_equal(run(fx, &c, 1), 0);
}

static void test_name_and_email(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit ok = commit_make(SHA1,
		"Fix it\n\nSigned-off-by: a u THOR <Author@example.com>\n", 0);
	struct cl_commit other_name = commit_make(SHA2,
		"Fix it\n\nSigned-off-by: Someone Else <" AUTHOR_E ">\n", 0);

	fx->opts.match = CL_DCO_MATCH_NAME_AND_EMAIL;
	assert_int_equal(run(fx, &ok, 1), 0);
	assert_int_equal(run(fx, &other_name, 1), 1);
	assert_string_equal(cl_findings_get(fx->findings, 0)->rule, "dco.mismatch");
	assert_contains(cl_findings_get(fx->findings, 0)->message, "name and e-mail");
}

static void test_git_trailer_rules(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit commits[] = {
		/* "Key : value" spacing is a trailer for git. */
		commit_make(SHA1, "Fix it\n\nSigned-off-by : " AUTHOR " <" AUTHOR_E ">\n", 0),
		/* Trailing comments and the scissors part are not message. */
		commit_make(SHA2, "Fix it\n\n" SOB_AUTHOR "\n# Please enter the message\n"
			"# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n", 1),
		/* 25 % rule: prose mixed with a git-generated sign-off. */
		commit_make(SHA3, "Fix it\n\nsome prose\nmore prose\n" SOB_AUTHOR "\n", 1),
	};

	assert_int_equal(run(fx, commits, 3), 0);
}

static void test_misplaced_mid_body(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit c = commit_make(SHA1,
		"Fix it\n\n" SOB_AUTHOR "\n\nAnd then a paragraph of prose.\n", 0);
	const struct cl_finding *f;

	assert_int_equal(run(fx, &c, 1), 1);
	f = only_finding(fx);
	assert_string_equal(f->rule, "dco.misplaced");
	assert_int_equal(f->line, 3);
	assert_contains(f->message, "last paragraph");
	assert_lacks(f->message, "does not name the author");
}

static void test_misplaced_in_subject(void **state)
{
	struct fixture *fx = *state;
	/* A one-line message: the subject is never a trailer. */
	struct cl_commit c = commit_make(SHA1, SOB_AUTHOR, 0);

	assert_int_equal(run(fx, &c, 1), 1);
	assert_string_equal(only_finding(fx)->rule, "dco.misplaced");
	assert_int_equal(only_finding(fx)->line, 1);
}

static void test_misplaced_wrong_identity(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit c = commit_make(SHA1,
		"Fix it\n\nSigned-off-by: X <x@example.com>\n\nprose\n", 0);

	assert_int_equal(run(fx, &c, 1), 1);
	assert_string_equal(only_finding(fx)->rule, "dco.misplaced");
	assert_contains(only_finding(fx)->message, "does not name the author");
}

static void test_malformed(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit c = commit_make(SHA1, "Fix it\n\nSigned-off-by: A U Thor\n", 0);

	assert_int_equal(run(fx, &c, 1), 1);
	assert_string_equal(only_finding(fx)->rule, "dco.malformed");
	assert_int_equal(only_finding(fx)->line, 3);
	assert_contains(only_finding(fx)->message, "\"A U Thor\"");
	assert_contains(only_finding(fx)->message, "Name <email>");
}

static void test_untrusted_text_is_sanitised(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit c = commit_make(SHA1,
		"Fix it\n\nSigned-off-by: Evil \x1b[31mRed <evil@example.com>\n", 0);

	assert_int_equal(run(fx, &c, 1), 1);
	assert_lacks(only_finding(fx)->message, "\x1b");
	assert_contains(only_finding(fx)->message, "Evil ?[31mRed");
}

/* ---- options ---------------------------------------------------------- */

static void test_merges(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit merge = commit_make(SHA1, "Merge branch 'topic'\n", 2);

	assert_int_equal(run(fx, &merge, 1), 0);
	fx->opts.check_merges = 1;
	assert_int_equal(run(fx, &merge, 1), 1);
}

static void test_exempt_bot(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit commits[] = {
		commit_make(SHA1, "Bump left-pad from 1.0 to 1.1\n", 1),
		commit_make(SHA2, "Human change\n", 1),
	};

	commits[0].author_name = "dependabot[bot]";
	commits[0].author_email = "49699333+dependabot[bot]@users.noreply.github.com";
	assert_int_equal(cl_pattern_list_add(&fx->opts.exempt_authors,
		"*[bot]@users.noreply.github.com", CL_PATTERN_CASELESS), 0);
	assert_int_equal(run(fx, commits, 2), 1);
	assert_string_equal(only_finding(fx)->commit, SHA2);
}

static void test_accept_committer(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit c = commit_make(SHA1,
		"Fix it\n\nSigned-off-by: " COMMITTER " <" COMMITTER_E ">\n", 0);

	assert_int_equal(run(fx, &c, 1), 1);
	assert_lacks(only_finding(fx)->message, "(the committer)");
	fx->opts.accept_committer = 1;
	assert_int_equal(run(fx, &c, 1), 0);
}

static void test_lenient(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit commits[] = {
		commit_make(SHA1, "Fix it\n\n" SOB_AUTHOR "\n\nAnd then prose.\n", 1),
		commit_make(SHA2, SOB_AUTHOR "  ", 1),
		commit_make(SHA3, "Fix it\n\nsigned-off-by: A U Thor\n", 1),
	};
	const struct cl_finding *f;

	assert_int_equal(run(fx, commits, 3), 3);
	cl_findings_free(fx->findings);
	assert_int_equal(cl_findings_new(&fx->findings), 0);

	fx->opts.lenient = 1;
	assert_int_equal(run(fx, commits, 3), 1);
	f = only_finding(fx);
	assert_string_equal(f->commit, SHA3);
	assert_string_equal(f->rule, "dco.malformed");
}

static void test_disabled(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit c = commit_make(SHA1, "Fix it\n", 0);

	fx->opts.enabled = 0;
	assert_int_equal(run(fx, &c, 1), 0);
	assert_int_equal(run(fx, NULL, 0), 0);
}

/* ---- remediation commits ---------------------------------------------- */

static void test_remediation_individual(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit commits[] = {
		commit_make(SHA1, "Fix it\n", 1),
		commit_make(SHA2, "DCO Remediation Commit for " AUTHOR " <" AUTHOR_E ">\n\n"
			"I, " AUTHOR " <" AUTHOR_E ">, hereby add my Signed-off-by to this commit: "
			SHA1 "\n\n" SOB_AUTHOR "\n", 1),
	};

	/* Off: the first commit fails, the remediation commit itself passes. */
	assert_int_equal(run(fx, commits, 2), 1);
	assert_string_equal(only_finding(fx)->commit, SHA1);
	cl_findings_free(fx->findings);
	assert_int_equal(cl_findings_new(&fx->findings), 0);

	fx->opts.remediation_individual = 1;
	assert_int_equal(run(fx, commits, 2), 0);
}

static void test_remediation_abbreviated_sha(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit commits[] = {
		commit_make(SHA1, "Fix it\n", 1),
		commit_make(SHA2, "Remediate\n\nI, " AUTHOR " <" AUTHOR_E ">, hereby add my "
			"Signed-off-by to this commit: 1111111\n\n" SOB_AUTHOR "\n", 1),
	};

	fx->opts.remediation_individual = 1;
	assert_int_equal(run(fx, commits, 2), 0);
	/* Six digits are not enough to name a commit. */
	commits[1].message = "Remediate\n\nI, " AUTHOR " <" AUTHOR_E ">, hereby add my "
		"Signed-off-by to this commit: 111111\n\n" SOB_AUTHOR "\n";
	assert_int_equal(run(fx, commits, 2), 1);
	assert_string_equal(only_finding(fx)->commit, SHA1);
}

static void test_remediation_rules(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit commits[] = {
		commit_make(SHA1, "Fix it\n", 1),
		commit_make(SHA2, "Remediate\n\nI, " AUTHOR " <" AUTHOR_E ">, hereby add my "
			"Signed-off-by to this commit: " SHA1 "\n\n" SOB_AUTHOR "\n", 1),
	};
	size_t n;

	fx->opts.remediation_individual = 1;

	/* Authored by someone else: does not count. */
	commits[1].author_name = "Someone Else";
	commits[1].author_email = "else@example.com";
	assert_int_equal(run(fx, commits, 2), 2);
	commits[1].author_name = AUTHOR;
	commits[1].author_email = AUTHOR_E;

	/* A declaration can only be made after the commit it names. */
	commits[0].message = commits[1].message;
	snprintf(commits[0].id, sizeof(commits[0].id), "%s", SHA2);
	snprintf(commits[1].id, sizeof(commits[1].id), "%s", SHA1);
	commits[1].message = "Fix it\n";
	n = cl_findings_count(fx->findings);
	assert_int_equal(run(fx, commits, 2), 1);
	assert_string_equal(cl_findings_get(fx->findings, n)->commit, SHA1);
}

static void test_remediation_commit_must_be_signed(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit commits[] = {
		commit_make(SHA1, "Fix it\n", 1),
		commit_make(SHA2, "I, " AUTHOR " <" AUTHOR_E ">, hereby add my Signed-off-by to "
			"this commit: " SHA1 "\n", 1),
	};

	fx->opts.remediation_individual = 1;
	assert_int_equal(run(fx, commits, 2), 1);
	assert_string_equal(only_finding(fx)->commit, SHA2);
}

static void test_remediation_third_party(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit commits[] = {
		commit_make(SHA1, "Fix it\n", 1),
		commit_make(SHA2, "Remediate\n\nOn behalf of " AUTHOR " <" AUTHOR_E ">, I, "
			"Maintainer <maint@example.com>, hereby add my Signed-off-by to this commit: "
			SHA1 "\n\nSigned-off-by: Maintainer <maint@example.com>\n", 1),
	};

	commits[1].author_name = "Maintainer";
	commits[1].author_email = "maint@example.com";

	/* Third party needs individual remediation on as well (as in the App). */
	fx->opts.remediation_third_party = 1;
	assert_int_equal(run(fx, commits, 2), 1);
	fx->opts.remediation_individual = 1;
	assert_int_equal(run(fx, commits, 2), 0);

	/* The declarer must be the remediation commit's author or committer. */
	commits[1].author_name = "Intruder";
	commits[1].author_email = "intruder@example.com";
	assert_int_equal(run(fx, commits, 2), 2);
	commits[1].committer_name = "Maintainer";
	commits[1].committer_email = "maint@example.com";
	fx->opts.accept_committer = 1;
	assert_int_equal(run(fx, commits, 2), 0);
}

/* ---- remedies --------------------------------------------------------- */

static void test_remedy_single_newest(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit commits[] = {
		commit_make(SHA1, "Fix it\n\n" SOB_AUTHOR "\n", 1),
		commit_make(SHA2, "Fix more\n", 1),
	};
	const struct cl_finding *f;

	assert_int_equal(run(fx, commits, 2), 1);
	f = only_finding(fx);
	assert_contains(f->remedy, "git commit --amend --no-edit --signoff");
	assert_contains(f->remedy, "git push --force-with-lease");
	assert_contains(f->remedy, "\"" AUTHOR " <" AUTHOR_E ">\"");
	assert_lacks(f->remedy, "rebase");
	assert_lacks(f->remedy, "hereby");
}

static void test_remedy_several(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit commits[] = {
		commit_make(SHA1, "One\n\n" SOB_AUTHOR "\n", 1),
		commit_make(SHA2, "Two\n", 1),
		commit_make(SHA3, "Three\n", 1),
	};
	size_t i;

	assert_int_equal(run(fx, commits, 3), 2);
	for (i = 0; i < 2; i++) {
		const struct cl_finding *f = cl_findings_get(fx->findings, i);
		assert_contains(f->remedy, "git rebase --signoff " SHA2 "~1");
		assert_contains(f->remedy, "git push --force-with-lease");
	}
	assert_string_equal(cl_findings_get(fx->findings, 1)->key, "dco:" SHA3);
}

static void test_remedy_older_single_and_root(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit commits[] = {
		commit_make(SHA1, "Root commit\n", 0),
		commit_make(SHA2, "Two\n\n" SOB_AUTHOR "\n", 1),
	};

	/* One failing commit that is not the newest: amending will not reach it. */
	assert_int_equal(run(fx, commits, 2), 1);
	assert_contains(only_finding(fx)->remedy, "git rebase --signoff --root");
	assert_contains(only_finding(fx)->remedy, "git push --force-with-lease");
}

static void test_remedy_mentions_remediation(void **state)
{
	struct fixture *fx = *state;
	struct cl_commit c = commit_make(SHA1, "Fix it\n", 1);
	const struct cl_finding *f;

	fx->opts.remediation_individual = 1;
	fx->opts.remediation_third_party = 1;
	assert_int_equal(run(fx, &c, 1), 1);
	f = only_finding(fx);
	assert_contains(f->remedy, "git commit --amend --no-edit --signoff");
	assert_contains(f->remedy, "I, " AUTHOR " <" AUTHOR_E ">, hereby add my Signed-off-by to "
		"this commit: " SHA1);
	assert_contains(f->remedy, "On behalf of " AUTHOR " <" AUTHOR_E ">, I, ");
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_signed),
		T(test_unsigned_finding_shape),
		T(test_mismatched_email),
		T(test_mismatch_lists_all_and_points_nearest),
		T(test_email_case_insensitive),
		T(test_name_and_email),
		T(test_git_trailer_rules),
		T(test_misplaced_mid_body),
		T(test_misplaced_in_subject),
		T(test_misplaced_wrong_identity),
		T(test_malformed),
		T(test_untrusted_text_is_sanitised),
		T(test_merges),
		T(test_exempt_bot),
		T(test_accept_committer),
		T(test_lenient),
		T(test_disabled),
		T(test_remediation_individual),
		T(test_remediation_abbreviated_sha),
		T(test_remediation_rules),
		T(test_remediation_commit_must_be_signed),
		T(test_remediation_third_party),
		T(test_remedy_single_newest),
		T(test_remedy_several),
		T(test_remedy_older_single_and_root),
		T(test_remedy_mentions_remediation),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
