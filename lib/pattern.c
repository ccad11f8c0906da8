#define PCRE2_CODE_UNIT_WIDTH 8
#include "pattern.h"
#include "pattern_priv.h"
#include "buf.h"
#include "error.h"

#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Generous for refnames and e-mails, tiny against catastrophic backtracking. */
#define PATTERN_MATCH_LIMIT 100000
#define PATTERN_DEPTH_LIMIT 1000
#define PATTERN_MAX_LEN     4096

/*
 * A glob is also compiled to a small program that cl_pattern_match runs
 * without PCRE2 on printable-ASCII subjects (nearly every path): a tree
 * check asks each of its files against the 69 default skip globs, and the
 * PCRE2 call costs more than the match. The program is an NFA simulated
 * state-set at a time, so it is linear in the subject and needs no match
 * limit. Other subjects (control characters that could be line ends for
 * '.', UTF-8 where '?' is one code point) and caseless globs go to PCRE2,
 * which stays the reference: both must agree on every subject the fast
 * path takes (tests/unit/test_pattern.c compares them).
 */
enum glob_op_kind {
	GLOB_LIT,    /* the byte c */
	GLOB_ONE,    /* '?': one byte, not '/' when slash is set */
	GLOB_STAR,   /* '*': any run, not crossing '/' when slash is set */
	GLOB_JUMP    /* "**" "/" at a segment start: skip the next two ops (ANY-run, '/') or enter them */
};

struct glob_op {
	unsigned char kind;
	unsigned char c;
	unsigned char slash;     /* GLOB_ONE, GLOB_STAR: stop at '/' */
	unsigned char required;  /* GLOB_LIT outside the optional "**" "/" group */
};

struct glob_prog {
	struct glob_op *ops;
	size_t count;
	size_t prefix, suffix;   /* leading and trailing required literals */
	char *inner;             /* the longest run of required literals, or NULL */
	size_t words;            /* uint64_t words of a state set (count + 1 states) */
};

struct cl_pattern {
	char *text;
	pcre2_code *code;
	pcre2_match_context *mctx;   /* read-only once set: shared by concurrent matches */
	struct glob_prog *glob;      /* NULL: PCRE2 only ("re:", caseless) */
	int first, last;             /* the bytes a subject must start and end with, or -1 */
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

/* Bounds the state set on the stack; longer globs are left to PCRE2. */
#define GLOB_MAX_OPS 511
#define GLOB_WORDS   ((GLOB_MAX_OPS + 1 + 63) / 64)

static void glob_prog_free(struct glob_prog *g)
{
	if (!g)
		return;
	free(g->ops);
	free(g->inner);
	free(g);
}

static int glob_emit(struct glob_prog *g, size_t cap, enum glob_op_kind kind, unsigned char c,
	int slash, int required)
{
	if (g->count == cap)
		return -1;
	g->ops[g->count].kind = (unsigned char)kind;
	g->ops[g->count].c = c;
	g->ops[g->count].slash = (unsigned char)slash;
	g->ops[g->count].required = (unsigned char)required;
	g->count++;
	return 0;
}

/*
 * The program of a glob, read exactly as glob_to_regex reads it (the two
 * must stay in step). *out is NULL when the glob is too long for the fast
 * path. @return 0, or CL_ERROR when out of memory.
 */
static int glob_prog_compile(struct glob_prog **out, const char *glob, unsigned int flags)
{
	struct glob_prog *g = NULL;
	const int slash = (flags & CL_PATTERN_PATH) != 0;
	const char *p;
	size_t i, run, best = 0, best_at = 0;
	int error = 0, full = 0;

	*out = NULL;
	g = calloc(1, sizeof(*g));
	CL_CHECK_ALLOC(g);
	g->ops = malloc(GLOB_MAX_OPS * sizeof(*g->ops));
	CL_CHECK_ALLOC(g->ops);
	for (p = glob; *p && !full; p++) {
		if (*p == '*' && p[1] == '*') {
			const char *stars = p;
			while (p[1] == '*')
				p++;
			if (p[1] == '/' && (stars == glob || stars[-1] == '/')) {
				full = glob_emit(g, GLOB_MAX_OPS, GLOB_JUMP, 0, 0, 0) < 0 ||
				       glob_emit(g, GLOB_MAX_OPS, GLOB_STAR, 0, 0, 0) < 0 ||
				       glob_emit(g, GLOB_MAX_OPS, GLOB_LIT, '/', 0, 0) < 0;
				p++;
			} else {
				full = glob_emit(g, GLOB_MAX_OPS, GLOB_STAR, 0, 0, 0) < 0;
			}
		} else if (*p == '*') {
			full = glob_emit(g, GLOB_MAX_OPS, GLOB_STAR, 0, slash, 0) < 0;
		} else if (*p == '?') {
			full = glob_emit(g, GLOB_MAX_OPS, GLOB_ONE, 0, slash, 0) < 0;
		} else {
			if (*p == '\\')
				p++;   /* a trailing one was refused by glob_to_regex */
			full = glob_emit(g, GLOB_MAX_OPS, GLOB_LIT, (unsigned char)*p, 0, 1) < 0;
		}
	}
	if (full)
		goto done;   /* too long: PCRE2 alone, *out stays NULL */
	g->words = (g->count + 1 + 63) / 64;
	while (g->prefix < g->count && g->ops[g->prefix].kind == GLOB_LIT && g->ops[g->prefix].required)
		g->prefix++;
	while (g->suffix < g->count - g->prefix &&
	       g->ops[g->count - 1 - g->suffix].kind == GLOB_LIT && g->ops[g->count - 1 - g->suffix].required)
		g->suffix++;
	/* Of a glob such as "**" "/vendor/" "**", only the middle narrows the subjects. */
	for (i = 0, run = 0; i <= g->count; i++) {
		if (i < g->count && g->ops[i].kind == GLOB_LIT && g->ops[i].required) {
			run++;
			continue;
		}
		if (run > best) {
			best = run;
			best_at = i - run;
		}
		run = 0;
	}
	if (best > 0 && best_at > 0 && best_at + best < g->count) {
		g->inner = malloc(best + 1);
		CL_CHECK_ALLOC(g->inner);
		for (i = 0; i < best; i++)
			g->inner[i] = (char)g->ops[best_at + i].c;
		g->inner[best] = '\0';
	}
	*out = g;
	g = NULL;
done:
	glob_prog_free(g);
	return error;
}

static void glob_set(uint64_t *set, size_t i)
{
	set[i >> 6] |= (uint64_t)1 << (i & 63);
}

/* Add what the states of `set` reach without a byte: a star's empty run, the skipped group. */
static void glob_closure(const struct glob_prog *g, uint64_t *set)
{
	size_t w;

	/* Empty moves only go forward, so lowest-first visits every state once. */
	for (w = 0; w < g->words; w++) {
		uint64_t done = 0, left;
		while ((left = set[w] & ~done) != 0) {
			unsigned int b = (unsigned int)__builtin_ctzll(left);
			size_t i = w * 64 + b;
			done |= (uint64_t)1 << b;
			if (i >= g->count)
				continue;
			if (g->ops[i].kind == GLOB_STAR) {
				glob_set(set, i + 1);
			} else if (g->ops[i].kind == GLOB_JUMP) {
				glob_set(set, i + 1);
				glob_set(set, i + 3);
			}
		}
	}
}

/* 1 match, 0 no match; `subject` is printable ASCII, `n` bytes long. */
static int glob_prog_match(const struct glob_prog *g, const char *subject, size_t n)
{
	uint64_t cur[GLOB_WORDS], next[GLOB_WORDS];
	size_t i, k, w;

	if (n < g->prefix || n < g->suffix)
		return 0;
	for (k = 0; k < g->prefix; k++)
		if ((unsigned char)subject[k] != g->ops[k].c)
			return 0;
	for (k = 0; k < g->suffix; k++)
		if ((unsigned char)subject[n - g->suffix + k] != g->ops[g->count - g->suffix + k].c)
			return 0;
	if (g->inner && !strstr(subject, g->inner))
		return 0;

	memset(cur, 0, g->words * sizeof(cur[0]));
	glob_set(cur, 0);
	glob_closure(g, cur);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)subject[i];
		int any = 0;
		memset(next, 0, g->words * sizeof(next[0]));
		for (w = 0; w < g->words; w++) {
			uint64_t left = cur[w];
			while (left) {
				unsigned int b = (unsigned int)__builtin_ctzll(left);
				size_t s = w * 64 + b;
				const struct glob_op *op = &g->ops[s];
				left &= left - 1;
				if (s >= g->count)
					continue;
				switch (op->kind) {
				case GLOB_LIT:
					if (c == op->c)
						glob_set(next, s + 1);
					break;
				case GLOB_ONE:
					if (!(op->slash && c == '/'))
						glob_set(next, s + 1);
					break;
				case GLOB_STAR:
					if (!(op->slash && c == '/'))
						glob_set(next, s);
					break;
				case GLOB_JUMP:
					break;   /* moves on no byte: glob_closure took it */
				default:
					CL_BUG("glob op out of range");
				}
			}
		}
		glob_closure(g, next);
		for (w = 0; w < g->words; w++) {
			cur[w] = next[w];
			any |= next[w] != 0;
		}
		if (!any)
			return 0;
	}
	return (cur[g->count >> 6] >> (g->count & 63)) & 1;
}

/*
 * The fast path's domain: printable ASCII, where '.' and '[^/]' are plain
 * byte tests and no byte is a line end. Sets *len for the caller.
 */
static int glob_subject_ok(const char *subject, size_t *len)
{
	const unsigned char *p;

	for (p = (const unsigned char *)subject; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return 0;
	*len = (size_t)(p - (const unsigned char *)subject);
	return 1;
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
	if (strncmp(text, "re:", 3) != 0 && !(flags & CL_PATTERN_CASELESS) &&
	    (error = glob_prog_compile(&pat->glob, text, flags)) < 0)
		goto done;
	pat->first = pat->glob && pat->glob->prefix ? pat->glob->ops[0].c : -1;
	pat->last = pat->glob && pat->glob->suffix ? pat->glob->ops[pat->glob->count - 1].c : -1;
	*out = pat;
	pat = NULL;
done:
	cl_pattern_free(pat);
	cl_buf_dispose(&re);
	return error;
}

static int pcre2_match_with(const struct cl_pattern *pattern, const char *subject,
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
	size_t len;

	if (pattern->glob && glob_subject_ok(subject, &len))
		return glob_prog_match(pattern->glob, subject, len);
	return cl_pattern__match_pcre(pattern, subject);
}

int cl_pattern__match_pcre(const struct cl_pattern *pattern, const char *subject)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int rc;

	if (!md)
		return cl_error_set("out of memory");
	rc = pcre2_match_with(pattern, subject, md);
	pcre2_match_data_free(md);
	return rc;
}

int cl_pattern__has_program(const struct cl_pattern *pattern)
{
	return pattern->glob != NULL;
}

const char *cl_pattern_text(const struct cl_pattern *pattern)
{
	return pattern->text;
}

void cl_pattern_free(struct cl_pattern *pattern)
{
	if (!pattern)
		return;
	glob_prog_free(pattern->glob);
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
	pcre2_match_data *md = NULL;
	size_t i, len = 0;
	int rc = 0, plain = glob_subject_ok(subject, &len);

	for (i = 0; i < list->count && rc == 0; i++) {
		const struct cl_pattern *pat = list->items[i];
		if (pat->glob && plain) {
			/*
			 * Most skip globs name an extension ("**.png") or a tree at the
			 * top ("vendor/" then "**"): their last or first byte turns nearly
			 * every path away before a call.
			 */
			if ((pat->last >= 0 && (len == 0 || (unsigned char)subject[len - 1] != pat->last)) ||
			    (pat->first >= 0 && (unsigned char)subject[0] != pat->first))
				continue;
			rc = glob_prog_match(pat->glob, subject, len);
			continue;
		}
		/* One match block for the rest of the list: it is the per-call cost that dominates. */
		if (!md && (md = pcre2_match_data_create(1, NULL)) == NULL)
			return cl_error_set("out of memory");
		rc = pcre2_match_with(pat, subject, md);
	}
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

/*
 * Patterns by the last byte a subject needs (CSR: order[start[b]..start[b+1])
 * for byte b, then those that need none), each bucket in list order.
 */
struct cl_pattern_index {
	const struct cl_pattern_list *list;
	int programs_only;       /* every pattern has a glob program */
	size_t start[258];       /* start[256]..start[257]: no last byte needed */
	const struct cl_pattern **order;
};

static size_t index_bucket(const struct cl_pattern *pat)
{
	return pat->last >= 0 ? (size_t)pat->last : 256;
}

int cl_pattern_index_new(struct cl_pattern_index **out, const struct cl_pattern_list *list)
{
	struct cl_pattern_index *idx = NULL;
	size_t fill[257], i, b;
	int error = 0;

	idx = calloc(1, sizeof(*idx));
	CL_CHECK_ALLOC(idx);
	idx->list = list;
	idx->programs_only = 1;
	if (list->count) {
		idx->order = malloc(list->count * sizeof(*idx->order));
		CL_CHECK_ALLOC(idx->order);
	}
	for (i = 0; i < list->count; i++) {
		idx->programs_only &= list->items[i]->glob != NULL;
		idx->start[index_bucket(list->items[i]) + 1]++;
	}
	for (b = 1; b < 258; b++)
		idx->start[b] += idx->start[b - 1];
	memcpy(fill, idx->start, sizeof(fill));
	for (i = 0; i < list->count; i++)
		idx->order[fill[index_bucket(list->items[i])]++] = list->items[i];
	*out = idx;
	idx = NULL;
done:
	cl_pattern_index_free(idx);
	return error;
}

static int index_bucket_match(const struct cl_pattern_index *idx, size_t b, const char *subject,
	size_t len)
{
	size_t i;

	for (i = idx->start[b]; i < idx->start[b + 1]; i++) {
		const struct cl_pattern *pat = idx->order[i];
		if (pat->first >= 0 && (unsigned char)subject[0] != pat->first)
			continue;
		if (glob_prog_match(pat->glob, subject, len))
			return 1;
	}
	return 0;
}

int cl_pattern_index_match(const struct cl_pattern_index *idx, const char *subject)
{
	size_t len;

	/*
	 * Only programs answer without a possible error, so only then may the
	 * order of the list give way to the buckets; otherwise ask the list.
	 */
	if (!idx->programs_only || !glob_subject_ok(subject, &len))
		return cl_pattern_list_match(idx->list, subject);
	if (len > 0 && index_bucket_match(idx, (unsigned char)subject[len - 1], subject, len))
		return 1;
	return index_bucket_match(idx, 256, subject, len);
}

void cl_pattern_index_free(struct cl_pattern_index *idx)
{
	if (!idx)
		return;
	free(idx->order);
	free(idx);
}
