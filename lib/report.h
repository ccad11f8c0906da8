/*
 * report.h - findings rendered for people (text) and machines (JSON).
 *
 * Layer rule: the only place that turns a findings list into output. Text is
 * rendered through templates/report.txt so wording lives in one file.
 */
#ifndef CL_REPORT_H
#define CL_REPORT_H

#include <jansson.h>

#include "buf.h"
#include "finding.h"

struct cl_report_options {
	int verbose;            /* also say something when there is nothing to report */
	const char *verdict;    /* "rejected", "accepted", "accepted with override" ... */
	const char *hint;       /* extra closing line (e.g. how to override), may be NULL */
};

#define CL_REPORT_OPTIONS_INIT { 0, NULL, NULL }

/*
 * The JSON document of a report: {"verdict":..., "summary":{"errors":N,...},
 * "refs":[{"ref":..., "commits":[{"commit":..., "short":..., "subject":...,
 * "findings":[...]}], "findings":[... not tied to a commit ...]}]}.
 * Findings keep their input order within each group.
 */
int cl_report_json(json_t **out, const struct cl_findings *findings,
	const struct cl_report_options *opts);

/* Text for a terminal, grouped by ref and commit; empty when nothing to say. */
int cl_report_text(struct cl_buf *out, const struct cl_findings *findings,
	const struct cl_report_options *opts);

/* Make a JSON string from bytes that may not be UTF-8 (invalid bytes become U+FFFD). */
json_t *cl_json_string_lossy(const char *s);

#endif
