/*
 * dco.h - the Developer Certificate of Origin sign-off check.
 *
 * Layer rule: works on struct cl_commit arrays (commit.h) and appends to a
 * findings list; knows nothing of repositories or policy files. policy.c
 * fills struct cl_dco_options from the `dco:` section.
 */
#ifndef CL_DCO_H
#define CL_DCO_H

#include "commit.h"
#include "finding.h"
#include "pattern.h"

enum cl_dco_match {
	CL_DCO_MATCH_EMAIL = 0,      /* sign-off e-mail equals the author's (case-insensitive) */
	CL_DCO_MATCH_NAME_AND_EMAIL  /* name must be equal too */
};

struct cl_dco_options {
	int enabled;
	int check_merges;                 /* 0: merge commits are skipped [default] */
	enum cl_dco_match match;          /* [email] */
	int accept_committer;             /* committer's sign-off also counts [off] */
	int remediation_individual;       /* "I, Name <e>, hereby add my Signed-off-by ..." [off] */
	int remediation_third_party;      /* "On behalf of Name <e>, I, ..." [off]; needs individual */
	int lenient;                      /* a sign-off line anywhere in the message counts [off] */
	struct cl_pattern_list exempt_authors; /* author e-mail globs that need no sign-off */
};

#define CL_DCO_OPTIONS_INIT { 1, 0, CL_DCO_MATCH_EMAIL, 0, 0, 0, 0, CL_PATTERN_LIST_INIT }

/* Release what the options own (the exempt pattern list). */
void cl_dco_options_dispose(struct cl_dco_options *opts);

/* An identity in a trailer value, "Name <email>"; both point into the value. */
struct cl_ident {
	const char *name;
	size_t name_len;
	const char *email;
	size_t email_len;
};

/*
 * Parse a trailer value ("Signed-off-by:", "Co-authored-by:") as git writes
 * it: the name is what precedes the last '<' (trimmed), the email what the
 * angle brackets hold. @return 0, or CL_EINVALID when it is not of that form.
 */
int cl_ident_parse(struct cl_ident *out, const char *value, size_t len);

/*
 * Check `count` commits pushed to `ref` (may be NULL) and append one finding
 * (check "dco", severity error) per failing commit, with the expected and
 * found identities and the command that fixes it. Commits are given oldest
 * first, as a push introduces them; a remediation commit may sign off for
 * any earlier commit in the same array (full or >= 7-digit abbreviated id),
 * and must itself pass like any other commit.
 *
 * Finding rules: "dco.missing" (no sign-off at all, line 0),
 * "dco.mismatch" (sign-offs, none by the author; line of the closest one),
 * "dco.misplaced" (a Signed-off-by line outside the trailer block git reads),
 * "dco.malformed" (a sign-off that is not "Name <email>"). Key: "dco:<id>".
 *
 * Cost: linear in the total size of the messages (plus a sort of the
 * remediation declarations). Thread-safe for distinct `findings`.
 *
 * @return the number of failing commits (>= 0), or < 0 on error (an
 * exempt pattern hit its match limit, or allocation failed); findings
 * already appended stay in the list.
 */
int cl_dco_check(struct cl_findings *findings, const struct cl_dco_options *opts,
	const char *ref, const struct cl_commit *commits, size_t count);

#endif
