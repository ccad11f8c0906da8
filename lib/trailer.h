/*
 * trailer.h - commit-message trailers, by git's own rules.
 *
 * Layer rule: pure text processing, no git, no policy. The rules are those of
 * `git interpret-trailers --parse` (git 2.39 trailer.c): the trailer block is
 * the last paragraph of the message, never the subject paragraph; a patch
 * divider ("---" + whitespace) ends the message; trailing comment lines,
 * the scissors line and an old "Conflicts:" block are ignored; a block counts
 * when all its lines are trailers, or when it holds a git-generated trailer
 * ("Signed-off-by: ", "(cherry picked from commit ") and at least 25 % of its
 * lines are trailers; continuation lines (leading whitespace) fold into the
 * trailer above; "Key : value" spacing is accepted; values are unfolded.
 */
#ifndef CL_TRAILER_H
#define CL_TRAILER_H

#include <stddef.h>

struct cl_trailer {
	char *key;          /* trimmed, as written ("Signed-off-by") */
	char *value;        /* trimmed and unfolded */
	unsigned int line;  /* 1-based line of the key in the message */
};

struct cl_trailers {
	struct cl_trailer *items;
	size_t count;
};

#define CL_TRAILERS_INIT { NULL, 0 }

/*
 * Parse the trailers of `message` (`len` bytes, need not be NUL-terminated)
 * into `out`, which must be initialised and empty. Dispose of it with
 * cl_trailers_dispose. @return 0, or CL_ERROR on allocation failure.
 * A message with no trailer block yields an empty list, not an error.
 * A NUL byte ends the message, as it does for git. Linear in `len`; keys
 * are letters, digits and '-', values hold no newline. On failure `out`
 * is left empty.
 */
int cl_trailers_parse(struct cl_trailers *out, const char *message, size_t len);

void cl_trailers_dispose(struct cl_trailers *trailers);

#endif
