/*
 * spdx.h - SPDX license expressions and the SPDX license list.
 *
 * Layer rule: depends on buf.h, error.h and pattern.h only. The license list
 * is compiled in: the .tsv files of data/spdx/ (generated from the published
 * list by tools/spdx-update.sh, `make spdx-data`) become a sorted C table at
 * build time (tools/spdx-gen.c, mk/spdx.mk), so nothing here reads a file or
 * the network. Everything is reentrant; expressions are immutable once
 * parsed and may be shared between threads.
 *
 * Grammar (SPDX 2.3 annex D, SPDX 3.0 "License expressions"):
 *
 *   expression := or
 *   or         := and ("OR" and)*
 *   and        := primary ("AND" primary)*            AND binds tighter than OR
 *   primary    := "(" or ")" | simple ["WITH" addition] WITH binds tightest
 *   simple     := idstring ["+"] | license-ref
 *   license-ref:= ["DocumentRef-" idstring ":"] "LicenseRef-" idstring
 *   addition   := idstring | ["DocumentRef-" idstring ":"] "AdditionRef-" idstring
 *   idstring   := 1*(ALPHA | DIGIT | "-" | ".")
 *
 * Decisions where the spec leaves room:
 *  - Operators must be upper case by default, as the spec says they "should"
 *    be and as npm's spdx-expression-parse requires; "mit or x" fails with
 *    "operator 'or' must be upper case: 'OR'". CL_SPDX_PARSE_LAX accepts any
 *    case (REUSE's parser and PEP 639 do) for text the project does not
 *    control, such as a dependency's metadata.
 *  - License and exception ids match the list case-insensitively (the spec
 *    says they should) and are reported in the list's spelling: "mit" is
 *    "MIT". The prefixes LicenseRef-, DocumentRef- and AdditionRef- are
 *    matched case-insensitively too and written in their canonical case;
 *    the user-defined part after them is kept as written.
 *  - "+" must touch the id ("GPL-2.0+", not "GPL-2.0 +") and may not follow a
 *    LicenseRef; only one WITH per license; WITH applies to a single license,
 *    never to a parenthesized expression.
 *  - Whitespace is any of space, tab, CR, LF (an expression may be wrapped
 *    over comment lines by the caller's joining them).
 *  - Deprecated ids written with "+" ("GPL-2.0+"): the SPDX list also names
 *    them as ids of their own, but "+" is not an idstring character, so they
 *    parse as "GPL-2.0" with "+" and are reported as deprecated with the
 *    "+"-aware replacement ("GPL-2.0-or-later").
 */
#ifndef CL_SPDX_H
#define CL_SPDX_H

#include <stddef.h>

#include "buf.h"
#include "pattern.h"

/* Longest expression cl_spdx_parse accepts (CL_ETOOBIG beyond). */
#define CL_SPDX_MAX_LEN   65536
/* Deepest parenthesis nesting it accepts (CL_EINVALID beyond). */
#define CL_SPDX_MAX_DEPTH 64

/* ---- the SPDX license list ------------------------------------------- */

/* One license of the list. All strings are static. */
struct cl_spdx_license {
	const char *id;                /* canonical spelling, e.g. "GPL-2.0-only" */
	const char *name;              /* full name; "" when the source lacks it */
	int deprecated;                /* 1: deprecated by SPDX, use `replacement` */
	int osi_approved;              /* 1 yes, 0 no, -1 not known to the source */
	const char *replacement;       /* for a deprecated id: what to write instead
	                                  (an id or an expression), or NULL */
	const char *replacement_plus;  /* the same for the id written with "+", or NULL */
};

/* One exception of the list. All strings are static. */
struct cl_spdx_exception {
	const char *id;                /* canonical spelling, e.g. "Classpath-exception-2.0" */
	const char *name;              /* "" when the source lacks it (the npm packages do) */
	int deprecated;
	const char *replacement;       /* for a deprecated id, or NULL */
};

/*
 * Look an id up, case-insensitively (binary search, O(log n), no allocation).
 * @return the entry, or NULL when the list has no such id. "GPL-2.0+" is not
 *         an id (see above): look up "GPL-2.0".
 */
const struct cl_spdx_license *cl_spdx_license_find(const char *id);
const struct cl_spdx_exception *cl_spdx_exception_find(const char *id);

/* The whole list, in lookup order (ASCII case-folded): entry i of count. */
size_t cl_spdx_license_count(void);
const struct cl_spdx_license *cl_spdx_license_at(size_t i);
size_t cl_spdx_exception_count(void);
const struct cl_spdx_exception *cl_spdx_exception_at(size_t i);

/*
 * Where the compiled-in list came from, e.g. "spdx-license-ids@3.0.24
 * spdx-license-list@6.12.0 spdx-exceptions@2.5.0" (for --version output and
 * for findings that must say which list judged them).
 */
const char *cl_spdx_list_source(void);

/* ---- expressions ------------------------------------------------------ */

struct cl_spdx_expr;

#define CL_SPDX_PARSE_LAX (1u << 0)  /* accept "and", "Or", "with" as operators */

/*
 * Parse an SPDX license expression of `len` bytes (no NUL needed; a NUL byte
 * inside is an error). Ids are not judged here beyond their syntax: see
 * cl_spdx_validate. cl_spdx_parse is cl_spdx_parse_ext with flags 0.
 *
 * @param out    the expression, for cl_spdx_expr_free; untouched on failure
 * @return 0; CL_EINVALID with "offset N: problem" (N a 0-based byte offset
 *         into `text`), e.g. "offset 7: expected a license id after 'AND'";
 *         CL_ETOOBIG past CL_SPDX_MAX_LEN; CL_ERROR when out of memory.
 * Cost: linear in `len`; recursion only per parenthesis level.
 */
int cl_spdx_parse(struct cl_spdx_expr **out, const char *text, size_t len);
int cl_spdx_parse_ext(struct cl_spdx_expr **out, const char *text, size_t len,
	unsigned int flags);

void cl_spdx_expr_free(struct cl_spdx_expr *expr);

/*
 * The canonical text: list spellings, upper-case operators, single spaces,
 * no parentheses but those precedence needs ("A AND (B OR C)"), nested runs
 * of one operator flattened ("(A OR B) OR C" is "A OR B OR C"). Parsing the
 * result (strictly) and printing it again gives the same text. Appends to
 * `out`.
 * @return 0, or what cl_buf returns (CL_ETOOBIG at the buffer's cap).
 */
int cl_spdx_expr_to_string(struct cl_buf *out, const struct cl_spdx_expr *expr);

/*
 * Call `cb` for every id, left to right, in canonical spelling without "+"
 * ("DocumentRef-a:LicenseRef-b" whole); `is_exception` is 1 for the id after
 * WITH (its place, whatever list it is on). For the REUSE rule that
 * LICENSES/<id>.txt exists.
 * @return 0, or the first non-zero value `cb` returned (which stops the walk).
 */
typedef int (*cl_spdx_id_cb)(const char *id, int is_exception, void *payload);
int cl_spdx_expr_foreach_id(const struct cl_spdx_expr *expr, cl_spdx_id_cb cb, void *payload);

enum cl_spdx_problem_kind {
	CL_SPDX_UNKNOWN_LICENSE = 1,    /* not in the list, not a LicenseRef */
	CL_SPDX_DEPRECATED_LICENSE,     /* in the list, deprecated */
	CL_SPDX_UNKNOWN_EXCEPTION,      /* after WITH: not in the list, not an AdditionRef */
	CL_SPDX_DEPRECATED_EXCEPTION,
	CL_SPDX_EXCEPTION_AS_LICENSE,   /* an exception id where a license belongs */
	CL_SPDX_LICENSE_AS_EXCEPTION    /* a license id after WITH */
};

struct cl_spdx_problem {
	enum cl_spdx_problem_kind kind;
	const char *id;            /* as it stands, canonical spelling, "+" included */
	const char *replacement;   /* what to write instead (an id or an expression),
	                              or NULL when there is no single suggestion */
	size_t offset;             /* byte offset of the id in the parsed text */
	const char *message;       /* one line, e.g. "deprecated license id 'GPL-2.0':
	                              use 'GPL-2.0-only'" */
};

/* The problem's strings live until the callback returns. */
typedef int (*cl_spdx_problem_cb)(const struct cl_spdx_problem *problem, void *payload);

/*
 * Judge every id of `expr` against the list; call `cb` once per problem, left
 * to right. LicenseRef-/DocumentRef-/AdditionRef- ids are valid by definition.
 * An unknown id that the list has with ".0" appended ("Apache-2") gets that
 * as its replacement.
 * @return 0 when the walk finished (problems or not); the first non-zero value
 *         `cb` returned, which stops it (return 1 to ask "any problem?");
 *         CL_ERROR when out of memory.
 */
int cl_spdx_validate(const struct cl_spdx_expr *expr, cl_spdx_problem_cb cb, void *payload);

/*
 * Whether the licensee may use the work under licenses `allowed` admits:
 * an OR is satisfied by any one branch, an AND by all of its parts. A single
 * license "L[+] [WITH E]" is allowed when any of these texts matches a
 * pattern of `allowed` (with CL_PATTERN_CASELESS to ignore case):
 *   - "L WITH E" as written (canonically) - so a policy may allow an exact
 *     combination - and otherwise what follows, the exception ignored (an
 *     exception only adds permissions);
 *   - L itself; for a deprecated L, its single-id replacement too
 *     ("GPL-2.0" is allowed by "GPL-2.0-only");
 *   - with "+": "L+", and L's "or later" spelling ("GPL-2.0+" is allowed by
 *     "GPL-2.0-or-later"); a licensee may pick version L itself, so L's
 *     forms above count as well;
 *   - for an "X-or-later" id: "X-only" too (the licensee may pick X).
 * Unknown ids and LicenseRefs are matched as written. Validity is not
 * checked here (use cl_spdx_validate); an empty list allows nothing.
 * @return 1 allowed, 0 not, CL_ERROR when a pattern hit its match limit or
 *         memory ran out.
 */
int cl_spdx_satisfies(const struct cl_spdx_expr *expr, const struct cl_pattern_list *allowed);

#ifdef CL_SPDX_TABLE_INTERNAL
/*
 * For lib/spdx.c and the generated $(BUILD)/gen/spdx_data.c only: the tables
 * sorted by their ids, ASCII case-folded, so binary search finds any spelling.
 */
extern const struct cl_spdx_license cl_spdx__licenses[];
extern const size_t cl_spdx__license_count;
extern const struct cl_spdx_exception cl_spdx__exceptions[];
extern const size_t cl_spdx__exception_count;
extern const char cl_spdx__source[];
#endif

#endif
