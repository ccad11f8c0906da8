/*
 * commit.h - a commit as the checks see it: plain data, no libgit2 types.
 *
 * Layer rule: checks take arrays of struct cl_commit so they run the same on
 * commits read from a repository (range.h), on webhook payloads and on test
 * data (the DCO conformance corpus), without a repository at hand.
 */
#ifndef CL_COMMIT_H
#define CL_COMMIT_H

#include <stddef.h>

#define CL_OID_HEXSZ 40

struct cl_commit {
	char id[CL_OID_HEXSZ + 1];   /* full hex id, NUL-terminated */
	const char *message;         /* raw message, borrowed */
	const char *author_name;     /* borrowed; never NULL ("" when absent) */
	const char *author_email;
	const char *committer_name;
	const char *committer_email;
	unsigned int parent_count;
	long long time;              /* author time, seconds since the epoch */
};

/*
 * Copy the subject (first line, without the newline) into `out` of `size`
 * bytes, truncating with "..." when it does not fit.
 */
void cl_commit_subject(char *out, size_t size, const struct cl_commit *commit);

#endif
