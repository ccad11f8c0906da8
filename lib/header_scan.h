/*
 * header_scan.h - find the SPDX license tag and the copyright notice in the
 * head of a file, and write or repair them (`clearance fix-headers`).
 *
 * Layer rule: pure functions over bytes. The caller reads the blob (only
 * its head, for a check) and chooses the style (comment_style.h); nothing
 * here touches git, the policy or the SPDX list: an expression is handed
 * back as text for spdx.h to judge.
 *
 * What counts, following REUSE (fsfe/reuse-tool, extract.py):
 *   - "SPDX-License-Identifier:" spelled exactly so (REUSE matches it case-
 *     sensitively), then spaces or tabs, then the expression up to the end
 *     of the line. Other spellings of the tag ("spdx-license-identifier:",
 *     "SPDX-Licence-Identifier:", no space after the colon) are reported
 *     apart, so a check can say "tag misspelled" instead of "missing".
 *   - Copyright notices, case-sensitive as in REUSE: "SPDX-FileCopyrightText:"
 *     (or SPDX-SnippetCopyrightText:), "Copyright" followed by a space,
 *     "(C)", "(c)" or "©", and "©" alone, each followed by some text. A bare
 *     "(C) 2020 Jane" is not a notice (REUSE does not take it either);
 *     "SPDX-FileContributor:" is not one. The caller may add a pattern.
 *   - Text between "REUSE-IgnoreStart" and "REUSE-IgnoreEnd" (or the end of
 *     the window) is not looked at.
 * Unlike REUSE, a tag or notice counts only inside a comment of the file's
 * style, so `printf("SPDX-License-Identifier: MIT")` in code is not a
 * header. The scanner follows strings and block comments across the whole
 * window to know where comments are. With no style (NULL: unknown file
 * type) or the "none" style, a tag counts at the start of a line after
 * nothing but punctuation ("# ", " * ", "<!-- "), as REUSE would read it.
 *
 * The window is the caller's: a blob head may end mid-line or mid-UTF-8
 * sequence, and only `len` bytes are ever read. A UTF-8 byte-order mark is
 * skipped; lines end at LF with any CR before it dropped.
 */
#ifndef CL_HEADER_SCAN_H
#define CL_HEADER_SCAN_H

#include <stddef.h>

#include "buf.h"
#include "comment_style.h"
#include "pattern.h"

/* How much of a file's head is read by default (as REUSE reads). */
#define CL_HEADER_WINDOW 4096

/* What cl_header_scan found. Pointers point into the scanned data. */
struct cl_header_info {
	int binary;               /* a NUL byte in the window: nothing else is filled */
	int bom;                  /* starts with a UTF-8 byte-order mark */
	int crlf;                 /* its first line ends in CR LF */

	int found;                /* a correctly spelled tag inside a comment */
	const char *expression;   /* the first one's expression (trimmed, comment end removed) */
	size_t expression_len;    /* may be 0: "SPDX-License-Identifier:" with nothing after */
	unsigned int line;        /* its 1-based line; 0 when !found */
	int expression_cut;       /* its line runs into the end of the window: it may go on */
	unsigned int tag_count;   /* correctly spelled tags in comments */
	int conflicting;          /* two of them carry different expressions */

	int misspelled;           /* a tag in a comment spelled otherwise (case, "Licence", no space) */
	unsigned int misspelled_line;
	int outside_comment;      /* a correctly spelled tag outside any comment (code, string) */
	unsigned int outside_line;

	int copyright;            /* a copyright notice inside a comment */
	unsigned int copyright_line;
	const char *copyright_text;  /* the notice from its keyword to its end, trimmed */
	size_t copyright_len;
};

/*
 * Scan `len` bytes of `data` (the head of a file) for its license tag and
 * copyright notice.
 *
 * @param out              filled on success (zeroed first)
 * @param style            the file's comment style; NULL for an unknown type
 * @param extra_copyright  optional: a pattern (pattern.h) that also counts
 *                         as a notice, matched against the text of each
 *                         comment line with the comment markers and the
 *                         surrounding blanks removed
 * @return 0; CL_ERROR when extra_copyright hits its match limit or memory
 * runs out (out is then untouched). Cost: linear in len. Thread-safe.
 */
int cl_header_scan(struct cl_header_info *out, const char *data, size_t len,
	const struct cl_comment_style *style, const struct cl_pattern *extra_copyright);

/*
 * Give a file the header `expression` (and, when `copyright` is non-NULL
 * and non-empty, a copyright notice), appending the file's full new
 * content to `out`. Blanks around both texts are dropped.
 *
 * - A file already carrying exactly this expression in every tag, and the
 *   notice when one is asked for, comes back byte for byte unchanged.
 * - Existing tags in comments with another expression or a misspelled tag
 *   are rewritten in place, keeping their comment syntax, rather than a
 *   second header being added.
 * - Otherwise a header rendered from templates/header.txt (template.h;
 *   data: {license, copyright}) is wrapped in the style's comment syntax
 *   and inserted at the top, after whatever must stay first: shebang,
 *   encoding cookie and other magic comments, XML prolog and DOCTYPE,
 *   <?php, Dockerfile parser directives, front matter (per style flags).
 *   A PHP file without <?php gets the header in a <?php ... ?> of its own.
 * - A missing notice is added next to an existing tag, as
 *   "SPDX-FileCopyrightText: COPYRIGHT" in the tag's comment syntax. Only
 *   the built-in notice forms count as present here (no extra pattern).
 * - The BOM and the line ends (CRLF when the first line has one) are kept.
 *
 * Existing tags are looked for in the first CL_HEADER_WINDOW bytes (the
 * check's default window, extended to the end of that line). The result
 * is scanned again before it is returned and must be compliant within that
 * window, so fix is idempotent: fix(fix(x)) == fix(x).
 *
 * @return 0; CL_EINVALID when the style is NULL or has no comment syntax
 * (use a .license sidecar), the file is binary (a NUL byte), the
 * expression is empty, too long or contains a line break or one of the
 * style's comment closers, or the header cannot be placed so that it is
 * found (e.g. front matter longer than the window); CL_ENOTFOUND or
 * CL_EINVALID from the template; CL_ETOOBIG past out's cap; CL_ERROR when
 * out of memory. On failure `out` is left as it was. Thread-safe.
 */
int cl_header_fix(struct cl_buf *out, const char *data, size_t len,
	const struct cl_comment_style *style, const char *expression, const char *copyright);

#endif
