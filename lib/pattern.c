#define PCRE2_CODE_UNIT_WIDTH 8
#include "pattern.h"
#include "buf.h"
#include "error.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

/* Generous for refnames and e-mails, tiny against catastrophic backtracking. */
#define PATTERN_MATCH_LIMIT 100000
#define PATTERN_DEPTH_LIMIT 1000
#define PATTERN_MAX_LEN     4096

struct cl_pattern {
	char *text;
	pcre2_code *code;
	pcre2_match_context *mctx;   /* read-only once set: shared by concurrent matches */
};

static int glob_to_regex(struct cl_buf *re, const char *glob, unsigned int flags)
{
	const char *p;
	int error = 0;

	error |= cl_buf_puts(re, "^(?:");
	for (p = glob; *p && error >= 0; p++) {
		if (*p == '*' && p[1] == '*') {
			const char *run = p;
			while (p[1] == '*')
				p++;
			/* A whole-segment ** followed by '/' may match no directory at all. */
			if (p[1] == '/' && (run == glob || run[-1] == '/')) {
				error = cl_buf_puts(re, "(?:.*/)?");
				p++;
			} else {
				error = cl_buf_puts(re, ".*");
			}
		} else if (*p == '*') {
			error = cl_buf_puts(re, (flags & CL_PATTERN_PATH) ? "[^/]*" : ".*");
		} else if (*p == '?') {
			error = cl_buf_puts(re, (flags & CL_PATTERN_PATH) ? "[^/]" : ".");
		} else {
			if (*p == '\\') {
				if (!p[1])
					return cl_error_setc(CL_EINVALID,
						"trailing backslash at offset %zu", (size_t)(p - glob));
				p++;
			}
			/* \Q..\E cannot quote a "\E" inside it; escape one byte at a time. */
			if (strchr("\\^$.|?*+()[]{}/-#", *p))
				error = cl_buf_putc(re, '\\');
			if (error >= 0)
				error = cl_buf_putc(re, *p);
		}
	}
	if (error >= 0)
		error = cl_buf_puts(re, ")$");
	return error;
}

int cl_pattern_compile(struct cl_pattern **out, const char *text, unsigned int flags)
{
	struct cl_pattern *pat = NULL;
	struct cl_buf re = CL_BUF_INIT;
	const char *src;
	uint32_t options = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY;
	int errcode, error = 0;
	PCRE2_SIZE erroff;

	if (!*text)
		return cl_error_setc(CL_EINVALID, "empty pattern");
	if (strlen(text) > PATTERN_MAX_LEN)
		return cl_error_setc(CL_EINVALID, "pattern longer than %d bytes", PATTERN_MAX_LEN);
	if (flags & CL_PATTERN_CASELESS)
		options |= PCRE2_CASELESS;

	if (strncmp(text, "re:", 3) == 0) {
		/*
		 * Anchored by options, not by wrapping it in ^(?:...)$: an unbalanced
		 * ")" in the user's text could close our group and unanchor the rest.
		 */
		options |= PCRE2_ANCHORED | PCRE2_ENDANCHORED;
		if ((error = cl_buf_puts(&re, text + 3)) < 0)
			goto done;
	} else if ((error = glob_to_regex(&re, text, flags)) < 0) {
		goto done;
	}
	src = cl_buf_cstr(&re);

	pat = calloc(1, sizeof(*pat));
	CL_CHECK_ALLOC(pat);
	pat->text = strdup(text);
	CL_CHECK_ALLOC(pat->text);
	pat->code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, options,
		&errcode, &erroff, NULL);
	if (!pat->code) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		/* Report offsets in the user's text, not in our wrapped regex. */
		size_t off = strncmp(text, "re:", 3) == 0 ? (size_t)erroff + 3 : (size_t)erroff;
		if (off > strlen(text))
			off = strlen(text);
		error = cl_error_setc(CL_EINVALID, "%s at offset %zu", (char *)msg, off);
		goto done;
	}
	/* Policies match every path of a tree against dozens of globs: JIT them.
	 * Where the JIT is not available, the interpreter does the same work. */
	(void)pcre2_jit_compile(pat->code, PCRE2_JIT_COMPLETE);
	pat->mctx = pcre2_match_context_create(NULL);
	CL_CHECK_ALLOC(pat->mctx);
	pcre2_set_match_limit(pat->mctx, PATTERN_MATCH_LIMIT);
	pcre2_set_depth_limit(pat->mctx, PATTERN_DEPTH_LIMIT);
	*out = pat;
	pat = NULL;
done:
	cl_pattern_free(pat);
	cl_buf_dispose(&re);
	return error;
}

static int pattern_match_with(const struct cl_pattern *pattern, const char *subject,
	pcre2_match_data *md)
{
	int rc = pcre2_match(pattern->code, (PCRE2_SPTR)subject, PCRE2_ZERO_TERMINATED, 0, 0, md,
		pattern->mctx);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return cl_error_set("pattern '%s' could not be matched (error %d; match limit?)",
		pattern->text, rc);
}

int cl_pattern_match(const struct cl_pattern *pattern, const char *subject)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int rc;

	if (!md)
		return cl_error_set("out of memory");
	rc = pattern_match_with(pattern, subject, md);
	pcre2_match_data_free(md);
	return rc;
}

const char *cl_pattern_text(const struct cl_pattern *pattern)
{
	return pattern->text;
}

void cl_pattern_free(struct cl_pattern *pattern)
{
	if (!pattern)
		return;
	pcre2_match_context_free(pattern->mctx);
	pcre2_code_free(pattern->code);
	free(pattern->text);
	free(pattern);
}

int cl_pattern_list_add(struct cl_pattern_list *list, const char *text, unsigned int flags)
{
	struct cl_pattern *pat, **items;
	int error;

	if ((error = cl_pattern_compile(&pat, text, flags)) < 0)
		return error;
	items = realloc(list->items, (list->count + 1) * sizeof(*items));
	if (!items) {
		cl_pattern_free(pat);
		return cl_error_set("out of memory");
	}
	items[list->count++] = pat;
	list->items = items;
	return 0;
}

int cl_pattern_list_match(const struct cl_pattern_list *list, const char *subject)
{
	pcre2_match_data *md;
	size_t i;
	int rc = 0;

	if (list->count == 0)
		return 0;
	/* One match block for the whole list: it is the per-call cost that dominates. */
	if ((md = pcre2_match_data_create(1, NULL)) == NULL)
		return cl_error_set("out of memory");
	for (i = 0; i < list->count && rc == 0; i++)
		rc = pattern_match_with(list->items[i], subject, md);
	pcre2_match_data_free(md);
	return rc;
}

void cl_pattern_list_dispose(struct cl_pattern_list *list)
{
	size_t i;
	for (i = 0; i < list->count; i++)
		cl_pattern_free(list->items[i]);
	free(list->items);
	list->items = NULL;
	list->count = 0;
}
