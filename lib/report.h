/*
 * report.h - findings rendered for people (text) and machines (JSON).
 *
 * Layer rule: the only place that turns a findings list into output. Text is
 * rendered through templates/report.txt so wording lives in one file.
 */
#ifndef CL_REPORT_H
#define CL_REPORT_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "finding.h"
#include "json_text.h"   /* cl_json_string_lossy, for callers building reports */

struct cl_report_options {
	int verbose;            /* also say something when there is nothing to report */
	const char *verdict;    /* "rejected", "accepted", "accepted with override" ...;
	                           NULL: "rejected" when there are errors, else "accepted" */
	const char *hint;       /* extra closing line (e.g. how to override), may be NULL */
	size_t commits_checked; /* how many commits were looked at; 0 = not known */
	const char *policy;     /* where the policy came from (a path), may be NULL */
};

#define CL_REPORT_OPTIONS_INIT { 0, NULL, NULL, 0, NULL }

/* Commit ids are shortened to this many hex digits, in JSON and text alike. */
#define CL_REPORT_SHORT_ID 10

/* cl_report_text shows at most this many findings and counts the rest. */
#define CL_REPORT_TEXT_MAX_FINDINGS 100

/*
 * The JSON document of a report:
 *
 *   {"verdict": "rejected",
 *    "summary": {"problems": N, "errors": N, "warnings": N, "notices": N,
 *                "reviews": N,        -- accepted, but a person must look (review)
 *                "commits": N,        -- distinct commits with findings
 *                "checked": N},       -- only when opts->commits_checked > 0
 *    "policy": "...",                 -- only when opts->policy is set
 *    "hint": "...",                   -- only when opts->hint is set
 *    "refs": [{"ref": "refs/heads/main" or null,
 *              "findings": [...],     -- findings of the ref, not of a commit
 *              "commits": [{"commit": full id, "short": 10 digits,
 *                           "subject": "..." or null, "findings": [...]}]}]}
 *
 * Refs appear in the order they are first seen, commits within a ref too;
 * findings keep their input order within each group. Findings without a
 * ref share one group whose "ref" is null. Each finding is an object with
 * the keys of struct cl_finding (absent fields omitted). Every string
 * goes through cl_json_string_lossy, so commit messages and paths that
 * are not UTF-8 cannot make it fail. `opts` may be NULL (defaults).
 *
 * @return 0 and a new reference in *out; CL_ERROR when out of memory.
 */
int cl_report_json(json_t **out, const struct cl_findings *findings,
	const struct cl_report_options *opts);

/*
 * Text for a terminal, grouped by ref and commit, rendered from
 * templates/report.txt (overridable, see cl_template_find) with
 * CL_TEMPLATE_RAW. Appended to `out`; nothing at all when there are no
 * findings and opts->verbose is off. Control characters from the findings
 * are replaced by '?' so that a commit message cannot drive the reader's
 * terminal. At most CL_REPORT_TEXT_MAX_FINDINGS findings are shown.
 *
 * @return 0; CL_ETOOBIG past out's cap; CL_EINVALID when an override
 * template is malformed; CL_ERROR when out of memory. `out` is unchanged
 * on failure.
 */
int cl_report_text(struct cl_buf *out, const struct cl_findings *findings,
	const struct cl_report_options *opts);


#endif
