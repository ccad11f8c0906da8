/*
 * cla.h - the CLA check: is every commit's author (and co-author, when the
 * policy says so) covered by a signature of the agreement version the
 * policy requires?
 *
 * Layer rule: judges commits against cla_store.h; knows nothing of hooks or
 * forges. A forge front-end may pass a function that maps an email to the
 * forge login it belongs to (the bot asks the forge); the hooks pass none.
 */
#ifndef CL_CLA_H
#define CL_CLA_H

#include <stddef.h>

#include "cla_store.h"
#include "commit.h"
#include "finding.h"
#include "pattern.h"

enum cl_cla_with_dco {
	CL_CLA_WITH_DCO_BOTH = 0,   /* each enabled check must pass on its own */
	CL_CLA_WITH_DCO_EITHER      /* a commit passes when its sign-off or its CLA does */
};

struct cl_cla_options {
	int enabled;                       /* [false] */
	char *store;                       /* SQLite store; relative = to the repository
	                                      ["clearance.db"] */
	char *individual;                  /* agreement id of the ICLA, or NULL */
	char *individual_version;          /* required version */
	char *corporate;                   /* agreement id of the CCLA, or NULL */
	char *corporate_version;
	char *sign_url;                    /* where the text is read and signed */
	char *sign_sentence;               /* the comment that signs, through the bot
	                                      ["I have read the CLA Document and I hereby sign the CLA"] */
	int co_authors;                    /* Co-authored-by: people must be covered too [false] */
	struct cl_pattern_list exempt;     /* author email globs that need no CLA (bots) */
	enum cl_cla_with_dco with_dco;     /* [both] */
};

#define CL_CLA_SIGN_SENTENCE_DEFAULT "I have read the CLA Document and I hereby sign the CLA"

void cl_cla_options_init(struct cl_cla_options *opts);
void cl_cla_options_dispose(struct cl_cla_options *opts);

/*
 * Map `email` to a forge login (written to `login`, `size` bytes).
 * @return 0 found; CL_ENOTFOUND when no account has that email (the email
 * is then "unlinked" unless a signature names it); 1 when it cannot tell
 * (judged by the email alone); < 0 on error.
 */
typedef int (*cl_cla_login_fn)(char *login, size_t size, const char *email, void *payload);

/*
 * Check `count` commits pushed to `ref` (may be NULL), appending one finding
 * (check "cla", severity error) per commit and uncovered person. Rules:
 * "cla.missing" (no signature), "cla.old-version" (only another version),
 * "cla.revoked", "cla.unlinked" (the email cannot be tied to a person).
 * Key: "cla:<email or login>", lower-cased, so the bot keeps one entry per
 * person. GitHub noreply addresses ("123+login@users.noreply.github.com")
 * name their login.
 * @param login_for_email may be NULL (hooks)
 * @return the number of failing commits (>= 0), or < 0 on error.
 */
int cl_cla_check(struct cl_findings *findings, const struct cl_cla_options *opts,
	struct cl_cla_store *store, const char *ref, const struct cl_commit *commits, size_t count,
	cl_cla_login_fn login_for_email, void *payload);

#endif
