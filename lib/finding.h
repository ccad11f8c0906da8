/*
 * finding.h - the one shape every check reports in (DESIGN.md "the spine").
 *
 * Layer rule: checks append findings; front-ends render them (report.h) to
 * text, JSON, commit statuses or issues. Nothing here prints.
 */
#ifndef CL_FINDING_H
#define CL_FINDING_H

#include <jansson.h>
#include <stddef.h>

enum cl_severity {
	CL_SEVERITY_ERROR = 0,   /* rejects the push / fails the status */
	CL_SEVERITY_WARNING,     /* shown, does not reject */
	CL_SEVERITY_NOTICE,      /* informational */
	/*
	 * Accepted, but a person must look at it (the OSPO reviews a new
	 * dependency, a relicensing): never rejects; the bot opens an issue
	 * per finding key. Last so that stored numbers of the others hold.
	 */
	CL_SEVERITY_REVIEW
};

/*
 * One problem. All strings are borrowed from the caller when passed to
 * cl_findings_add (which copies them); NULL means "does not apply".
 */
struct cl_finding {
	const char *check;     /* "dco", "cla", "header", "deps", "approval", "policy" */
	enum cl_severity severity;
	const char *ref;       /* "refs/heads/main" */
	const char *commit;    /* full hex id */
	const char *subject;   /* the commit's subject line */
	const char *path;      /* file, when one applies */
	unsigned int line;     /* 1-based line in path or message; 0 = none */
	const char *rule;      /* stable rule id, e.g. "dco.missing" */
	const char *message;   /* what is wrong, one or more sentences */
	const char *remedy;    /* the exact command or step that fixes it */
	const char *key;       /* stable identity for follow-up, e.g. "dco:<sha>" */
};

struct cl_findings;

int cl_findings_new(struct cl_findings **out);
void cl_findings_free(struct cl_findings *list);

/* Copy `f` (and every string in it) onto the end of the list. */
int cl_findings_add(struct cl_findings *list, const struct cl_finding *f);

size_t cl_findings_count(const struct cl_findings *list);

/* The i-th finding; its strings live as long as the list. */
const struct cl_finding *cl_findings_get(const struct cl_findings *list, size_t i);

/* How many findings have exactly this severity. */
size_t cl_findings_count_severity(const struct cl_findings *list, enum cl_severity sev);

/* "error", "warning", "notice", "review"; and the inverse (CL_EINVALID when unknown). */
const char *cl_severity_name(enum cl_severity sev);
int cl_severity_parse(enum cl_severity *out, const char *name);

/* One JSON object per finding, keys as in struct cl_finding (NULLs omitted;
 * bytes that are not UTF-8 become U+FFFD, see json_text.h). */
int cl_finding_to_json(json_t **out, const struct cl_finding *f);

#endif
