/*
 * approval_form.h - the outbound-contribution issue form, as the forge
 * renders it into the body, read back into a request.
 *
 * Layer rule: a parser of outside input (anyone can open an issue), with a
 * size cap and a libFuzzer harness (tests/fuzz/fuzz_approval_form.c). It
 * knows the form's labels (templates/outbound-contribution.yml) and
 * nothing of stores or forges.
 *
 * GitHub renders each form field as "### LABEL", a blank line, and the
 * value; an optional field left empty reads "_No response_". A checkbox
 * list renders "- [x] text". Headings the form does not have are ignored
 * (an OSPO may add questions); a field given twice is a problem, since the
 * two values cannot both be the request.
 */
#ifndef CL_APPROVAL_FORM_H
#define CL_APPROVAL_FORM_H

#include <stddef.h>

#include "approvals.h"

/* Issue bodies are at most 65536 characters on GitHub; anything past this is refused unread. */
#define CL_APPROVAL_FORM_MAX (256 * 1024)
/* Longest value kept for one field. */
#define CL_APPROVAL_FORM_FIELD_MAX 8192

struct cl_approval_form {
	/* Owned strings (NULL: not given). */
	char *upstream_url, *license, *kind, *size, *cla_text, *cla_document, *scope_text;
	char *email, *business_unit, *justification;
	char *upstream_version;   /* optional: the upstream's release now ("2.4.0") */
	/* Decoded. */
	long long expected_lines;
	enum cl_approval_cla cla;
	enum cl_approval_scope scope;
	char host[256], owner[256], repo[256];
	/* One problem per line ("missing: Upstream project URL"), "" when complete. */
	char *problems;
	size_t problem_count;
};

/*
 * Parse a rendered form body of `len` bytes (need not be NUL-terminated).
 * @return 0 when the request is complete and well-formed; CL_EINVALID when
 *   the body is a form with problems (out->problems says exactly what is
 *   missing or wrong, one line each, in the form's order); CL_ETOOBIG past
 *   CL_APPROVAL_FORM_MAX; CL_ERROR when out of memory. `out` is filled as
 *   far as it could be in every case but CL_ERROR; dispose it always.
 */
int cl_approval_form_parse(struct cl_approval_form *out, const char *body, size_t len);
void cl_approval_form_dispose(struct cl_approval_form *form);

/*
 * Does the body look like this form at all (its first required heading)?
 * The bot answers issues in the approvals repository that are not requests
 * (questions, discussions) with nothing. 1 / 0.
 */
int cl_approval_form_detect(const char *body, size_t len);

/* Fill the request facts of `req` from a complete form (borrowing its strings). */
void cl_approval_form_to_request(struct cl_approval *req, const struct cl_approval_form *form);

/* ---- slash commands in comments on a request's issue ---- */

enum cl_approval_verb {
	CL_APPROVAL_CMD_NONE = 0,
	CL_APPROVAL_CMD_APPROVE,   /* /approve [SCOPE] [until YYYY-MM-DD] [team:ORG/TEAM]
	                              [signed-by:WHO] */
	CL_APPROVAL_CMD_DENY,      /* /deny REASON */
	CL_APPROVAL_CMD_REVOKE,    /* /revoke REASON */
	CL_APPROVAL_CMD_INFO       /* /info QUESTION */
};

/* Comments are at most 65536 characters on GitHub; longer ones are not read. */
#define CL_APPROVAL_COMMAND_MAX (256 * 1024)

struct cl_approval_command {
	enum cl_approval_verb verb;
	int has_scope;
	enum cl_approval_scope scope;
	long long until;           /* the end of that day, UTC, in seconds; 0: not given */
	char team[128];            /* "org/team" the approval is granted to; "" not given */
	char cla_signer[128];      /* who signed the upstream's CLA; "" not given */
	char text[2048];           /* the reason or question: the rest of the comment, trimmed */
	char problem[256];         /* CL_EINVALID: what is wrong, for the answer */
};

/*
 * Find the first command in a comment: a line that starts with /approve,
 * /deny, /revoke or /info (blanks before it allowed), as people type them.
 * The reason of /deny and /revoke and the question of /info are the rest of
 * that line and the lines after it.
 * @return 0 no command (out->verb NONE); 1 a command; CL_EINVALID a command
 *   that is malformed (out->verb set, out->problem says what: an unknown
 *   scope, a bad date, a missing reason); CL_ETOOBIG past the cap.
 */
int cl_approval_command_parse(struct cl_approval_command *out, const char *body, size_t len);

#endif
