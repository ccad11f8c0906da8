/*
 * pattern.h - the globs and regular expressions a policy file may contain.
 *
 * Layer rule: leaf module over PCRE2. Every pattern, whatever its spelling,
 * is compiled to PCRE2 and matched with match and depth limits, so a hostile
 * policy or subject cannot backtrack for ever.
 *
 * Glob syntax (deliberately small, so a pattern means what it looks like):
 *   *    any run of characters (with CL_PATTERN_PATH: not crossing '/')
 *   **   any run of characters, '/' included; followed by '/' at the start
 *        or after a '/', it also matches no directory at all, so that
 *        "**" + "/go.sum" matches a top-level "go.sum" as in .gitignore
 *   ?    one character (with CL_PATTERN_PATH: not '/')
 *   \c   the character c literally
 * Everything else is literal, brackets included: "*[bot]@users.noreply.github.com"
 * matches the text "[bot]", as GitHub's bot e-mails need. A pattern written
 * "re:EXPR" is a PCRE2 expression, anchored at both ends.
 */
#ifndef CL_PATTERN_H
#define CL_PATTERN_H

#include <stddef.h>

#define CL_PATTERN_PATH     (1u << 0)  /* '*' and '?' stop at '/' */
#define CL_PATTERN_CASELESS (1u << 1)  /* case-insensitive (e-mails) */

struct cl_pattern;

/*
 * Compile `text`. On a bad pattern returns CL_EINVALID with a message that
 * names the offset and the problem (e.g. "missing ) at offset 4").
 */
int cl_pattern_compile(struct cl_pattern **out, const char *text, unsigned int flags);

/*
 * @return 1 on match, 0 on no match, CL_ERROR when a match limit was hit.
 * Cost: a glob (not "re:", not caseless) against a printable-ASCII subject
 * runs as a small automaton, linear in the subject and never at a limit;
 * anything else is a PCRE2 match. Thread-safe.
 */
int cl_pattern_match(const struct cl_pattern *pattern, const char *subject);

/* The pattern as written. */
const char *cl_pattern_text(const struct cl_pattern *pattern);

void cl_pattern_free(struct cl_pattern *pattern);

/* An owned list of patterns (policy lists such as refs.include). */
struct cl_pattern_list {
	struct cl_pattern **items;
	size_t count;
};

#define CL_PATTERN_LIST_INIT { NULL, 0 }

/* Compile and append one pattern. */
int cl_pattern_list_add(struct cl_pattern_list *list, const char *text, unsigned int flags);

/* @return 1 when any pattern matches, 0 when none does, <0 on error. */
int cl_pattern_list_match(const struct cl_pattern_list *list, const char *subject);

void cl_pattern_list_dispose(struct cl_pattern_list *list);

/*
 * A list made ready for one question asked of many subjects: does any of
 * its patterns match? Globs are bucketed by the byte a subject must end
 * with, so a path meets only the few globs that could match it, not all
 * of them (the 69 default headers.skip globs, per file of a tree).
 * The index borrows the list's patterns: the list must outlive it and not
 * change meanwhile.
 * @return 0, or CL_ERROR when out of memory (*out untouched).
 */
struct cl_pattern_index;
int cl_pattern_index_new(struct cl_pattern_index **out, const struct cl_pattern_list *list);

/* Same answer as cl_pattern_list_match on the list. Thread-safe. */
int cl_pattern_index_match(const struct cl_pattern_index *index, const char *subject);

void cl_pattern_index_free(struct cl_pattern_index *index);

#endif
