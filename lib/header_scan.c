/*
 * header_scan.c - SPDX tags and copyright notices in a file's head.
 *
 * Divisions:
 *   helpers      - byte tests, ASCII case folding, bounded searches
 *   ignore       - REUSE-IgnoreStart/End ranges, found before lexing
 *   matching     - the tag and the notices inside one piece of comment
 *   lexing       - one pass over the window tracking code, strings and
 *                  block comments, handing each comment piece to matching
 *   scan         - cl_header_scan
 *   preamble     - lines that must stay above a header (shebang, prolog...)
 *   rendering    - the header from templates/header.txt in a comment style
 *   fix          - cl_header_fix: rewrite tags, add a notice or a header,
 *                  then verify that the result is compliant
 *
 * Everything reads at most `len` bytes and never assumes a terminating
 * NUL: a blob head is cut wherever the window ends.
 */
#include "header_scan.h"
#include "error.h"
#include "template.h"

#include <assert.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE_POS SIZE_MAX

static const char TAG[] = "SPDX-License-Identifier:";
#define TAG_LEN (sizeof(TAG) - 1)
static const char NOTICE_PREFIX[] = "SPDX-FileCopyrightText: ";
static const char IGNORE_START[] = "REUSE-IgnoreStart";
static const char IGNORE_END[] = "REUSE-IgnoreEnd";

/*
 * Longest expression or copyright text fix accepts. Real expressions are
 * under 200 bytes; the cap keeps a header well inside the 4 KiB window.
 */
#define FIX_TEXT_MAX 512
/* Past this many bytes of a line beyond the window, the line counts as cut. */
#define FIX_WINDOW_SLACK CL_HEADER_WINDOW
/* Rewriting tags can pull later ones into the window; this bounds the rounds. */
#define FIX_MAX_ROUNDS 8

/* ---- helpers ---------------------------------------------------------- */

static int hs_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Letters, digits and "_": what makes "REM" in "REMARK" part of a longer word. */
static int hs_word(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static unsigned char hs_fold(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Whether d[p..] starts with `s` (folding ASCII case when `caseless`), within n. */
static int hs_at(const char *d, size_t n, size_t p, const char *s, int caseless)
{
	size_t i, m = strlen(s);

	if (p > n || n - p < m)
		return 0;
	for (i = 0; i < m; i++) {
		unsigned char a = (unsigned char)d[p + i], b = (unsigned char)s[i];
		if (caseless ? hs_fold(a) != hs_fold(b) : a != b)
			return 0;
	}
	return 1;
}

/* First position >= from where `s` starts and ends before `to`; NONE_POS if none. */
static size_t hs_find(const char *d, size_t from, size_t to, const char *s)
{
	size_t m = strlen(s), p;

	if (m == 0 || to < m || from > to - m)
		return NONE_POS;
	for (p = from; p <= to - m; p++) {
		const char *hit = memchr(d + p, s[0], to - m + 1 - p);
		if (!hit)
			return NONE_POS;
		p = (size_t)(hit - d);
		if (memcmp(d + p, s, m) == 0)
			return p;
	}
	return NONE_POS;
}

/*
 * First position >= from where "spdx-licen" starts in any case (the stem
 * of every spelling of the tag that the scan reports), or NONE_POS. It
 * goes from '-' to '-', which code has far fewer of than letters.
 */
static size_t hs_find_tag_stem(const char *d, size_t from, size_t to)
{
	size_t p = from + 4;

	while (p + 5 < to) {
		const char *hit = memchr(d + p, '-', to - 5 - p);
		if (!hit)
			return NONE_POS;
		p = (size_t)(hit - d);
		if (hs_fold((unsigned char)d[p - 4]) == 's' && hs_fold((unsigned char)d[p - 3]) == 'p' &&
		    hs_fold((unsigned char)d[p - 2]) == 'd' && hs_fold((unsigned char)d[p - 1]) == 'x' &&
		    hs_at(d, to, p + 1, "licen", 1))
			return p - 4;
		p++;
	}
	return NONE_POS;
}

static size_t hs_skip_blanks(const char *d, size_t p, size_t end)
{
	while (p < end && (d[p] == ' ' || d[p] == '\t'))
		p++;
	return p;
}

static size_t hs_trim_end(const char *d, size_t start, size_t end)
{
	while (end > start && hs_space((unsigned char)d[end - 1]))
		end--;
	return end;
}

static int hs_blank_span(const char *d, size_t start, size_t end)
{
	for (; start < end; start++)
		if (!hs_space((unsigned char)d[start]))
			return 0;
	return 1;
}

/* ---- the scan state --------------------------------------------------- */

enum hs_kind { HS_LINE, HS_BLOCK };

/* A piece of comment text on one line. */
struct hs_seg {
	size_t start, end;        /* the text: after the opener, before the closer */
	size_t opener;            /* the opener's position; NONE_POS: continued from above */
	size_t opener_end;
	size_t closer_end;        /* past the closer when closed on this line, else end */
	enum hs_kind kind;
	int block;                /* index into style->block for HS_BLOCK */
	int closed;               /* a block that ends on this line */
	int anchored;             /* lenient mode: tags and notices only at `start` */
};

/* One tag found in a comment (recorded for fix). */
struct hs_occ {
	size_t tag_start;
	size_t expr_start, expr_end;
	int exact;
	unsigned int line_no;
	size_t line_start, content_end;   /* content_end: before any CR LF */
	size_t nl;                        /* the line's LF, or NONE_POS */
	struct hs_seg seg;
};

struct hs_range {
	size_t start, end;
};

struct hs_scan {
	const char *d;
	size_t n;
	const struct cl_comment_style *style;   /* NULL: lenient */
	const struct cl_pattern *extra;
	int collect;                            /* record every tag in occ[] */

	struct hs_range *ign;
	size_t ign_count, ign_cursor;

	struct hs_occ *occ;
	size_t occ_count, occ_alloc;

	/* the line being lexed */
	unsigned int line_no;
	size_t line_start, content_end, nl;
	int line_tag;                           /* a tag was already taken on this line */

	int in_block;                           /* block index, -1 in code */
	unsigned char first[256];               /* bytes that can start a token in code */
	size_t copyright_nl;                    /* the notice's LF (for fix) */

	struct cl_buf text;                     /* scratch for extra-pattern subjects */
	struct cl_header_info info;
};

/* ---- ignore ----------------------------------------------------------- */

/* REUSE's reading: from each start to the next end, or to the window's end. */
static int hs_find_ignored(struct hs_scan *s)
{
	size_t from = 0, alloc = 0, st, en;
	int error = 0;

	while ((st = hs_find(s->d, from, s->n, IGNORE_START)) != NONE_POS) {
		if (s->ign_count == alloc) {
			size_t na = alloc ? alloc * 2 : 4;
			struct hs_range *r = realloc(s->ign, na * sizeof(*r));
			CL_CHECK_ALLOC(r);
			s->ign = r;
			alloc = na;
		}
		en = hs_find(s->d, st + sizeof(IGNORE_START) - 1, s->n, IGNORE_END);
		s->ign[s->ign_count].start = st;
		s->ign[s->ign_count].end = en == NONE_POS ? s->n : en + sizeof(IGNORE_END) - 1;
		from = s->ign[s->ign_count].end;
		s->ign_count++;
		if (en == NONE_POS)
			break;
	}
done:
	return error;
}

/* Positions are asked for line by line, so a cursor suffices. */
static int hs_ignored(struct hs_scan *s, size_t pos)
{
	size_t i;

	while (s->ign_cursor < s->ign_count && s->ign[s->ign_cursor].end <= s->line_start)
		s->ign_cursor++;
	for (i = s->ign_cursor; i < s->ign_count && s->ign[i].start <= pos; i++)
		if (pos < s->ign[i].end)
			return 1;
	return 0;
}

/* ---- matching --------------------------------------------------------- */

/*
 * Drop a frame that mirrors the text before the tag on its line, as REUSE
 * does for LLVM-style boxes: "|*  SPDX-License-Identifier: MIT  *|".
 */
static size_t hs_strip_frame(const struct hs_scan *s, size_t tag, size_t start, size_t end)
{
	size_t ps = s->line_start, pe = tag, m, i;

	while (ps < pe && hs_space((unsigned char)s->d[ps]))
		ps++;
	pe = hs_trim_end(s->d, ps, pe);
	m = pe - ps;
	if (m == 0 || end - start <= m)
		return end;
	for (i = 0; i < m; i++)
		if (s->d[end - 1 - i] != s->d[ps + i])
			return end;
	return hs_trim_end(s->d, start, end - m);
}

/*
 * Without a style, drop the comment closers the table knows from the end,
 * longest first ("--}}" before "}}").
 */
static size_t hs_strip_closers(const char *d, size_t start, size_t end)
{
	for (;;) {
		size_t i, best = 0;
		for (i = 0; i < cl_comment_style_count(); i++) {
			const struct cl_comment_block *b;
			for (b = cl_comment_style_at(i)->block; b->start; b++) {
				size_t m = strlen(b->end);
				if (m > best && end - start >= m && memcmp(d + end - m, b->end, m) == 0)
					best = m;
			}
		}
		if (best == 0)
			return end;
		end = hs_trim_end(d, start, end - best);
	}
}

/* The end of the text that belongs to a tag or notice starting in seg. */
static size_t hs_value_end(const struct hs_scan *s, const struct hs_seg *seg, size_t key,
	size_t start)
{
	size_t end = hs_trim_end(s->d, start, seg->end);

	if (!s->style || (s->style->flags & CL_COMMENT_NONE))
		end = hs_strip_closers(s->d, start, end);
	return hs_strip_frame(s, key, start, end);
}

enum hs_tag { HS_TAG_NONE = 0, HS_TAG_EXACT, HS_TAG_MISSPELLED };

/*
 * A tag at p? Sets where its expression starts. Misspellings are the case
 * variants and "Licence" of the tag, and a colon not followed by a blank.
 */
static enum hs_tag hs_tag_at(const char *d, size_t end, size_t p, size_t *expr)
{
	size_t q;

	if (!hs_at(d, end, p, "spdx-licen", 1))
		return HS_TAG_NONE;
	q = p + 10;
	if (!hs_at(d, end, q, "se-identifier", 1) && !hs_at(d, end, q, "ce-identifier", 1))
		return HS_TAG_NONE;
	q = hs_skip_blanks(d, q + 13, end);
	if (q >= end || d[q] != ':')
		return HS_TAG_NONE;
	*expr = hs_skip_blanks(d, q + 1, end);
	if (q == p + TAG_LEN - 1 && memcmp(d + p, TAG, TAG_LEN) == 0 &&
	    (q + 1 == end || d[q + 1] == ' ' || d[q + 1] == '\t'))
		return HS_TAG_EXACT;
	return HS_TAG_MISSPELLED;
}

/*
 * The notice forms REUSE accepts (copyright.py), case-sensitive. After
 * "Copyright" comes a blank or a symbol, so "Copyrighted" is not one.
 */
static const struct {
	const char *key;
	int symbol_or_blank;
} hs_notice_keys[] = {
	{ "SPDX-FileCopyrightText:", 0 },
	{ "SPDX-SnippetCopyrightText:", 0 },
	{ "Copyright", 1 },
	{ "\xc2\xa9", 0 },
};
static const char *const hs_copyright_symbols[] = { "(C)", "(c)", "\xc2\xa9" };

/* A built-in copyright notice at p? Sets where its text (after the keyword) starts. */
static int hs_notice_at(const char *d, size_t end, size_t p, size_t *text)
{
	size_t i, j, q = NONE_POS;

	for (i = 0; i < sizeof(hs_notice_keys) / sizeof(hs_notice_keys[0]) && q == NONE_POS; i++) {
		if (!hs_at(d, end, p, hs_notice_keys[i].key, 0))
			continue;
		q = p + strlen(hs_notice_keys[i].key);
		if (!hs_notice_keys[i].symbol_or_blank || (q < end && (d[q] == ' ' || d[q] == '\t')))
			break;
		for (j = 0; j < sizeof(hs_copyright_symbols) / sizeof(hs_copyright_symbols[0]); j++)
			if (hs_at(d, end, q, hs_copyright_symbols[j], 0))
				break;
		if (j == sizeof(hs_copyright_symbols) / sizeof(hs_copyright_symbols[0]))
			return 0;
		q += strlen(hs_copyright_symbols[j]);
	}
	if (q == NONE_POS)
		return 0;
	q = hs_skip_blanks(d, q, end);
	if (q >= end || hs_trim_end(d, q, end) == q)
		return 0;   /* a keyword with nothing after it is not a notice */
	*text = q;
	return 1;
}

static int hs_record_tag(struct hs_scan *s, const struct hs_seg *seg, size_t p,
	enum hs_tag kind, size_t expr)
{
	struct cl_header_info *info = &s->info;
	size_t end = hs_value_end(s, seg, p, expr);
	int error = 0;

	if (kind == HS_TAG_EXACT) {
		if (!info->found) {
			info->found = 1;
			info->expression = s->d + expr;
			info->expression_len = end - expr;
			info->line = s->line_no;
			info->expression_cut = s->nl == NONE_POS;
		} else if (info->expression_len != end - expr ||
			   memcmp(info->expression, s->d + expr, end - expr) != 0) {
			info->conflicting = 1;
		}
		info->tag_count++;
	} else if (!info->misspelled) {
		info->misspelled = 1;
		info->misspelled_line = s->line_no;
	}
	if (s->collect) {
		struct hs_occ *o;
		if (s->occ_count == s->occ_alloc) {
			size_t na = s->occ_alloc ? s->occ_alloc * 2 : 4;
			o = realloc(s->occ, na * sizeof(*o));
			CL_CHECK_ALLOC(o);
			s->occ = o;
			s->occ_alloc = na;
		}
		o = &s->occ[s->occ_count++];
		o->tag_start = p;
		o->expr_start = expr;
		o->expr_end = end;
		o->exact = kind == HS_TAG_EXACT;
		o->line_no = s->line_no;
		o->line_start = s->line_start;
		o->content_end = s->content_end;
		o->nl = s->nl;
		o->seg = *seg;
	}
done:
	return error;
}

static void hs_record_notice(struct hs_scan *s, size_t start, size_t end)
{
	s->info.copyright = 1;
	s->info.copyright_line = s->line_no;
	s->info.copyright_text = s->d + start;
	s->info.copyright_len = end - start;
	s->copyright_nl = s->nl;
}

/*
 * The comment text of seg for the extra pattern: markers and blanks at
 * both ends removed (" * (c) Acme" -> "(c) Acme").
 */
static int hs_extra_notice(struct hs_scan *s, const struct hs_seg *seg)
{
	const struct cl_comment_style *st = s->style;
	size_t a = seg->start, b = seg->end;
	int rc;

	while (a < b) {
		unsigned char c = (unsigned char)s->d[a];
		int marker = hs_space(c);
		if (!marker && st && seg->opener != NONE_POS)
			marker = memchr(s->d + seg->opener, c, seg->opener_end - seg->opener) != NULL;
		if (!marker && st && seg->kind == HS_BLOCK && st->write_middle)
			marker = c != ' ' && strchr(st->write_middle, c) != NULL;
		if (!marker)
			break;
		a++;
	}
	b = hs_trim_end(s->d, a, b);
	if (a == b || hs_ignored(s, a))
		return 0;
	cl_buf_clear(&s->text);
	if ((rc = cl_buf_put(&s->text, s->d + a, b - a)) < 0)
		return rc;
	rc = cl_pattern_match(s->extra, cl_buf_cstr(&s->text));
	if (rc < 0)
		return rc;
	if (rc == 1)
		hs_record_notice(s, a, b);
	return 0;
}

/* Bytes that can start a tag (1) or a built-in notice (2): S, s, C and the lead byte of "©". */
static const unsigned char hs_key_first[256] = {
	['S'] = 3, ['s'] = 1, ['C'] = 2, [0xc2] = 2,
};

/* Look for the tag and a notice in one piece of comment, in one pass. */
static int hs_segment(struct hs_scan *s, const struct hs_seg *seg)
{
	const char *d = s->d;
	size_t p, expr, text;
	enum hs_tag kind;
	int error, want_notice = !s->info.copyright;

	for (p = seg->start; p < seg->end; p++) {
		unsigned char key = hs_key_first[(unsigned char)d[p]];
		if ((key & 1) && !s->line_tag &&
		    (kind = hs_tag_at(d, seg->end, p, &expr)) != HS_TAG_NONE && !hs_ignored(s, p)) {
			s->line_tag = 1;
			if ((error = hs_record_tag(s, seg, p, kind, expr)) < 0)
				return error;
		}
		if ((key & 2) && want_notice && hs_notice_at(d, seg->end, p, &text) &&
		    !hs_ignored(s, p)) {
			hs_record_notice(s, p, hs_value_end(s, seg, p, text));
			want_notice = 0;
		}
		if (seg->anchored || (s->line_tag && !want_notice))
			break;
	}
	if (want_notice && s->extra)
		return hs_extra_notice(s, seg);
	return 0;
}

/* ---- lexing ----------------------------------------------------------- */

static void hs_outside(struct hs_scan *s, size_t p)
{
	if (!s->info.outside_comment && hs_at(s->d, s->content_end, p, TAG, 0) &&
	    !hs_ignored(s, p)) {
		s->info.outside_comment = 1;
		s->info.outside_line = s->line_no;
	}
}

static void hs_prepare(struct hs_scan *s)
{
	const struct cl_comment_style *st = s->style;
	const struct cl_comment_block *b;
	const char *const *lp;
	const char *q;

	memset(s->first, 0, sizeof(s->first));
	s->first['S'] = 1;   /* a tag outside comments is reported */
	for (b = st->block; b->start; b++)
		s->first[(unsigned char)b->start[0]] = 1;
	for (lp = st->line; *lp; lp++) {
		unsigned char c = (unsigned char)(*lp)[0];
		s->first[c] = 1;
		if (st->flags & CL_COMMENT_CASELESS) {
			s->first[hs_fold(c)] = 1;
			if (c >= 'a' && c <= 'z')
				s->first[c - ('a' - 'A')] = 1;
		}
	}
	for (q = st->quotes; *q; q++)
		s->first[(unsigned char)*q] = 1;
}

/* A line prefix at p; prefixes made of letters ("REM", "dnl") must be words. */
static int hs_prefix_at(const struct hs_scan *s, size_t p, const char *lp)
{
	const char *d = s->d;
	size_t m = strlen(lp);

	if (!hs_at(d, s->content_end, p, lp, (s->style->flags & CL_COMMENT_CASELESS) != 0))
		return 0;
	if (hs_word((unsigned char)lp[0]) && p > s->line_start && hs_word((unsigned char)d[p - 1]))
		return 0;
	if (hs_word((unsigned char)lp[m - 1]) && p + m < s->content_end &&
	    hs_word((unsigned char)d[p + m]))
		return 0;
	return 1;
}

static void hs_seg_init(struct hs_seg *seg, enum hs_kind kind, int block)
{
	memset(seg, 0, sizeof(*seg));
	seg->kind = kind;
	seg->block = block;
	seg->opener = NONE_POS;
}

/*
 * One line in the file's style. Strings and line comments end with the
 * line (a string left open does not run on: most languages forbid it, and
 * guessing wrong would hide every later comment); block comments carry on.
 */
static int hs_lex_line(struct hs_scan *s)
{
	const struct cl_comment_style *st = s->style;
	const char *d = s->d;
	size_t p = s->line_start, ce = s->content_end;
	int block_at_start = (st->flags & CL_COMMENT_BLOCK_AT_START) != 0;
	int line_at_start = (st->flags & CL_COMMENT_LINE_AT_START) != 0;
	int at_start = 1, error, k;
	unsigned char quote = 0;
	struct hs_seg seg;

	if (s->in_block >= 0) {
		const char *closer = st->block[s->in_block].end;
		size_t e;
		if (block_at_start) {
			size_t f = hs_skip_blanks(d, p, ce);
			e = hs_at(d, ce, f, closer, 0) ? f : NONE_POS;
		} else {
			e = hs_find(d, p, ce, closer);
		}
		hs_seg_init(&seg, HS_BLOCK, s->in_block);
		seg.start = p;
		seg.end = e == NONE_POS ? ce : e;
		seg.closed = e != NONE_POS;
		seg.closer_end = seg.closed ? e + strlen(closer) : seg.end;
		if ((error = hs_segment(s, &seg)) < 0)
			return error;
		if (!seg.closed)
			return 0;
		p = seg.closer_end;
		s->in_block = -1;
		at_start = 0;
	}
	while (p < ce) {
		unsigned char c = (unsigned char)d[p];
		int matched = 0;

		if (quote) {
			if (c == '\\') {
				p += 2;
				continue;
			}
			if (c == 'S')
				hs_outside(s, p);
			if (c == quote)
				quote = 0;
			p++;
			continue;
		}
		if (!s->first[c]) {
			if (!hs_space(c))
				at_start = 0;
			p++;
			continue;
		}
		for (k = 0; st->block[k].start && (!block_at_start || at_start); k++) {
			size_t open_end, e;
			if (!hs_at(d, ce, p, st->block[k].start, 0))
				continue;
			open_end = p + strlen(st->block[k].start);
			/* a block that must start a line cannot end on it either */
			e = block_at_start ? NONE_POS : hs_find(d, open_end, ce, st->block[k].end);
			hs_seg_init(&seg, HS_BLOCK, k);
			seg.start = open_end;
			seg.end = e == NONE_POS ? ce : e;
			seg.opener = p;
			seg.opener_end = open_end;
			seg.closed = e != NONE_POS;
			seg.closer_end = seg.closed ? e + strlen(st->block[k].end) : seg.end;
			if ((error = hs_segment(s, &seg)) < 0)
				return error;
			if (!seg.closed) {
				s->in_block = k;
				return 0;
			}
			p = seg.closer_end;
			at_start = 0;
			matched = 1;
			break;
		}
		if (matched)
			continue;
		for (k = 0; st->line[k] && (!line_at_start || at_start); k++) {
			if (!hs_prefix_at(s, p, st->line[k]))
				continue;
			hs_seg_init(&seg, HS_LINE, -1);
			seg.opener = p;
			seg.opener_end = p + strlen(st->line[k]);
			seg.start = seg.opener_end;
			seg.end = seg.closer_end = ce;
			return hs_segment(s, &seg);
		}
		if (c == 'S')
			hs_outside(s, p);
		if (strchr(st->quotes, c))
			quote = c;
		if (!hs_space(c))
			at_start = 0;
		p++;
	}
	return 0;
}

/*
 * Without a style, REUSE's reading limited to line starts: a tag counts
 * when only blanks and punctuation ("# ", " * ", "<!-- ") come before it.
 */
static int hs_lenient_line(struct hs_scan *s)
{
	const char *d = s->d;
	size_t p = s->line_start, ce = s->content_end, q;
	struct hs_seg seg;
	int error;

	/* bytes of UTF-8 sequences stop the run: "©" is a notice, not punctuation */
	while (p < ce && !hs_word((unsigned char)d[p]) && (unsigned char)d[p] < 0x80)
		p++;
	if (p < ce) {
		hs_seg_init(&seg, HS_LINE, -1);
		seg.start = p;
		seg.end = seg.closer_end = ce;
		seg.anchored = 1;
		if ((error = hs_segment(s, &seg)) < 0)
			return error;
	}
	if (!s->line_tag)
		for (q = s->line_start; q < ce; q++)
			if (d[q] == 'S')
				hs_outside(s, q);
	return 0;
}

static void hs_init(struct hs_scan *s, const char *d, size_t n,
	const struct cl_comment_style *style, const struct cl_pattern *extra, int collect)
{
	memset(s, 0, sizeof(*s));
	s->d = d;
	s->n = d ? n : 0;
	s->style = style;
	s->extra = extra;
	s->collect = collect;
	s->in_block = -1;
	s->copyright_nl = NONE_POS;
	cl_buf_init(&s->text, 0);
}

static void hs_dispose(struct hs_scan *s)
{
	free(s->ign);
	free(s->occ);
	s->ign = NULL;
	s->occ = NULL;
	s->ign_count = s->occ_count = s->occ_alloc = 0;
	cl_buf_dispose(&s->text);
}

static int hs_run(struct hs_scan *s)
{
	const char *d = s->d, *lf;
	size_t n = s->n, p = 0, next_check = 0;
	int lenient = !s->style || (s->style->flags & CL_COMMENT_NONE);
	int error;

	if (n == 0)
		return 0;
	if (memchr(d, '\0', n)) {
		s->info.binary = 1;
		return 0;
	}
	if (n >= 3 && memcmp(d, "\xef\xbb\xbf", 3) == 0) {
		s->info.bom = 1;
		p = 3;
	}
	lf = memchr(d + p, '\n', n - p);
	s->info.crlf = lf && lf > d + p && lf[-1] == '\r';
	if ((error = hs_find_ignored(s)) < 0)
		return error;
	if (!lenient)
		hs_prepare(s);
	s->line_no = 1;
	while (p < n) {
		size_t le;
		/*
		 * With a tag and a notice in hand, only another tag can change what
		 * the scan says (a conflict, a misspelling, one outside comments),
		 * and every spelling of it holds "spdx-licen". Most files carry
		 * their header at the top and nothing like it below: where the rest
		 * of the window holds no such stem, the lexing of it is skipped.
		 * Fix (collect) wants every position, so it reads on.
		 */
		if (!s->collect && s->info.found && s->info.copyright && p >= next_check) {
			size_t stem = hs_find_tag_stem(d, p, n);
			if (stem == NONE_POS)
				break;
			next_check = stem + 1;
		}
		lf = memchr(d + p, '\n', n - p);
		le = lf ? (size_t)(lf - d) : n;
		s->line_start = p;
		s->nl = lf ? le : NONE_POS;
		s->content_end = (le > p && d[le - 1] == '\r') ? le - 1 : le;
		s->line_tag = 0;
		if ((error = lenient ? hs_lenient_line(s) : hs_lex_line(s)) < 0)
			return error;
		p = lf ? le + 1 : n;
		s->line_no++;
	}
	return 0;
}

/* ---- scan ------------------------------------------------------------- */

int cl_header_scan(struct cl_header_info *out, const char *data, size_t len,
	const struct cl_comment_style *style, const struct cl_pattern *extra_copyright)
{
	struct hs_scan s;
	int error;

	assert(out);
	assert(data || len == 0);
	hs_init(&s, data, len, style, extra_copyright, 0);
	if ((error = hs_run(&s)) == 0)
		*out = s.info;
	hs_dispose(&s);
	return error;
}

/* ---- preamble --------------------------------------------------------- */

/* What sits above the header: it ends at `end`, a line start. */
struct hs_pre {
	size_t start;          /* after the BOM */
	size_t end;
	unsigned int lines;    /* lines taken so far */
	unsigned int docker;   /* of which Dockerfile parser directives */
	int php_open;          /* a "<?php" line was taken */
};

static size_t hs_line_end(const char *d, size_t n, size_t p)
{
	const char *lf = p < n ? memchr(d + p, '\n', n - p) : NULL;
	return lf ? (size_t)(lf - d) : n;
}

static size_t hs_next_line(const char *d, size_t n, size_t p)
{
	size_t le = hs_line_end(d, n, p);
	return le < n ? le + 1 : n;
}

typedef size_t (*hs_pre_fn)(const char *d, size_t n, size_t p, struct hs_pre *pre,
	const struct cl_comment_style *st);

static size_t hs_pre_shebang(const char *d, size_t n, size_t p, struct hs_pre *pre,
	const struct cl_comment_style *st)
{
	(void)st;
	/* "#![" opens a Rust inner attribute, not an interpreter line */
	if (p != pre->start || !hs_at(d, n, p, "#!", 0) || hs_at(d, n, p, "#![", 0))
		return 0;
	return hs_next_line(d, n, p);
}

static size_t hs_pre_xml(const char *d, size_t n, size_t p, struct hs_pre *pre,
	const struct cl_comment_style *st)
{
	size_t q, e;
	int depth = 0;
	char quote = 0;

	(void)st;
	if (p == pre->start && hs_at(d, n, p, "<?xml", 0)) {
		if ((e = hs_find(d, p, n, "?>")) == NONE_POS)
			return 0;
		return hs_next_line(d, n, e + 2);
	}
	if (!hs_at(d, n, p, "<!doctype", 1))
		return 0;
	/* an internal subset [ ... ] may hold '>' of its own */
	for (q = p + 9; q < n; q++) {
		char c = d[q];
		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '[') {
			depth++;
		} else if (c == ']' && depth > 0) {
			depth--;
		} else if (c == '>' && depth == 0) {
			return hs_next_line(d, n, q + 1);
		}
	}
	return 0;
}

static size_t hs_pre_php(const char *d, size_t n, size_t p, struct hs_pre *pre,
	const struct cl_comment_style *st)
{
	size_t le = hs_line_end(d, n, p);

	(void)st;
	if (!hs_at(d, n, p, "<?php", 1) || (p + 5 < le && hs_word((unsigned char)d[p + 5])))
		return 0;
	/* "<?php ... ?>" on one line leaves PHP again: a header after it would be text */
	if (hs_find(d, p + 5, le, "?>") != NONE_POS)
		return 0;
	pre->php_open = 1;
	return hs_next_line(d, n, p);
}

/* Magic comments that tools read only in the first two lines. */
static const char *const hs_magic[] = {
	"coding:", "coding=", "-*-", "frozen_string_literal:"
};

static size_t hs_pre_coding(const char *d, size_t n, size_t p, struct hs_pre *pre,
	const struct cl_comment_style *st)
{
	size_t le = hs_line_end(d, n, p), q = hs_skip_blanks(d, p, le), i;
	const char *const *lp;
	int comment = 0;

	if (pre->lines >= 2)
		return 0;
	for (lp = st->line; *lp && !comment; lp++)
		comment = hs_at(d, le, q, *lp, 0);
	if (!comment)
		return 0;
	for (i = 0; i < sizeof(hs_magic) / sizeof(hs_magic[0]); i++)
		if (hs_find(d, q, le, hs_magic[i]) != NONE_POS)
			return hs_next_line(d, n, p);
	return 0;
}

/* BuildKit stops looking for directives at the first comment or blank line. */
static const char *const hs_docker_directives[] = { "syntax", "escape", "check" };

static size_t hs_pre_docker(const char *d, size_t n, size_t p, struct hs_pre *pre,
	const struct cl_comment_style *st)
{
	size_t le = hs_line_end(d, n, p), q, i;

	(void)st;
	if (pre->lines != pre->docker || !hs_at(d, le, p, "#", 0))
		return 0;
	q = hs_skip_blanks(d, p + 1, le);
	for (i = 0; i < sizeof(hs_docker_directives) / sizeof(hs_docker_directives[0]); i++) {
		size_t m = strlen(hs_docker_directives[i]), r;
		if (!hs_at(d, le, q, hs_docker_directives[i], 1))
			continue;
		r = hs_skip_blanks(d, q + m, le);
		if (r < le && d[r] == '=') {
			pre->docker++;
			return hs_next_line(d, n, p);
		}
	}
	return 0;
}

static size_t hs_pre_tex(const char *d, size_t n, size_t p, struct hs_pre *pre,
	const struct cl_comment_style *st)
{
	size_t le = hs_line_end(d, n, p), q;

	(void)pre;
	(void)st;
	if (!hs_at(d, le, p, "%", 0))
		return 0;
	q = hs_skip_blanks(d, p + 1, le);
	if (hs_at(d, le, q, "!tex", 1) || hs_at(d, le, q, "!bib", 1))
		return hs_next_line(d, n, p);
	return 0;
}

/* Whether the line at p is `mark` alone (trailing blanks allowed). */
static int hs_line_is(const char *d, size_t n, size_t p, const char *mark)
{
	size_t le = hs_line_end(d, n, p);
	return hs_at(d, le, p, mark, 0) && hs_blank_span(d, p + strlen(mark), le);
}

static size_t hs_pre_front_matter(const char *d, size_t n, size_t p, struct hs_pre *pre,
	const struct cl_comment_style *st)
{
	const char *mark;
	size_t q;

	(void)st;
	if (p != pre->start)
		return 0;
	if (hs_line_is(d, n, p, "---"))
		mark = "---";
	else if (hs_line_is(d, n, p, "+++"))
		mark = "+++";
	else
		return 0;
	for (q = hs_next_line(d, n, p); q < n; q = hs_next_line(d, n, q))
		if (hs_line_is(d, n, q, mark) || (mark[0] == '-' && hs_line_is(d, n, q, "...")))
			return hs_next_line(d, n, q);
	return 0;   /* never closed: not front matter */
}

static size_t hs_pre_cabal(const char *d, size_t n, size_t p, struct hs_pre *pre,
	const struct cl_comment_style *st)
{
	(void)st;
	if (p != pre->start || !hs_at(d, n, p, "cabal-version:", 1))
		return 0;
	return hs_next_line(d, n, p);
}

/* TeX reads the first line before it knows what @c means. */
static size_t hs_pre_texinfo(const char *d, size_t n, size_t p, struct hs_pre *pre,
	const struct cl_comment_style *st)
{
	(void)st;
	if (p != pre->start || !hs_at(d, n, p, "\\input texinfo", 0))
		return 0;
	return hs_next_line(d, n, p);
}

static const struct {
	unsigned int flag;
	hs_pre_fn take;
} hs_pre_rules[] = {
	{ CL_COMMENT_SHEBANG, hs_pre_shebang },
	{ CL_COMMENT_XML_PROLOG, hs_pre_xml },
	{ CL_COMMENT_PHP_OPEN, hs_pre_php },
	{ CL_COMMENT_CODING, hs_pre_coding },
	{ CL_COMMENT_DOCKER_DIRECTIVE, hs_pre_docker },
	{ CL_COMMENT_TEX_MAGIC, hs_pre_tex },
	{ CL_COMMENT_FRONT_MATTER, hs_pre_front_matter },
	{ CL_COMMENT_CABAL_VERSION, hs_pre_cabal },
	{ CL_COMMENT_TEXINFO_INPUT, hs_pre_texinfo },
};

/* The lines that must stay above a header, by the style's flags. */
static void hs_preamble(struct hs_pre *pre, const char *d, size_t n,
	const struct cl_comment_style *st)
{
	memset(pre, 0, sizeof(*pre));
	if (n >= 3 && memcmp(d, "\xef\xbb\xbf", 3) == 0)
		pre->start = 3;
	pre->end = pre->start;
	while (pre->end < n) {
		size_t e = 0, i, q;
		for (i = 0; i < sizeof(hs_pre_rules) / sizeof(hs_pre_rules[0]) && e == 0; i++)
			if (st->flags & hs_pre_rules[i].flag)
				e = hs_pre_rules[i].take(d, n, pre->end, pre, st);
		if (e <= pre->end)
			break;
		for (q = pre->end; q < e; q++)
			if (d[q] == '\n')
				pre->lines++;
		pre->end = e;
	}
}

/* ---- rendering -------------------------------------------------------- */

static const char *hs_eol(const char *d, size_t n)
{
	const char *lf = n ? memchr(d, '\n', n) : NULL;
	return lf && lf > d && lf[-1] == '\r' ? "\r\n" : "\n";
}

static int hs_writes_lines(const struct cl_comment_style *st)
{
	return st->line[0] && !(st->flags & CL_COMMENT_WRITE_BLOCK);
}

/* `text` as a comment of its own on one line: "# text", "/" "* text *" "/". */
static int hs_put_one_line(struct cl_buf *b, const struct cl_comment_style *st,
	const char *text, size_t len)
{
	const char *end;
	int error;

	if (hs_writes_lines(st))
		return cl_buf_printf(b, "%s %.*s", st->line[0], (int)len, text);
	for (end = st->write_end; *end == ' '; end++)
		;
	if ((error = cl_buf_printf(b, "%s %.*s ", st->write_start, (int)len, text)) < 0)
		return error;
	return cl_buf_puts(b, end);
}

/* One line of the template's output as a line of the header comment. */
static int hs_put_header_line(struct cl_buf *b, const struct cl_comment_style *st,
	const char *text, size_t len, const char *eol)
{
	const char *prefix = hs_writes_lines(st) ? st->line[0] : st->write_middle;
	int error;

	if (*prefix && (error = cl_buf_puts(b, prefix)) < 0)
		return error;
	if (len && *prefix && (error = cl_buf_putc(b, ' ')) < 0)
		return error;
	if ((error = cl_buf_put(b, text, len)) < 0)
		return error;
	return cl_buf_puts(b, eol);
}

/*
 * templates/header.txt rendered with {license, copyright} and wrapped in
 * the style's comments, one eol-terminated line each.
 */
static int hs_render_header(struct cl_buf *out, const struct cl_comment_style *st,
	const char *expr, size_t elen, const char *copyright, size_t clen, const char *eol)
{
	struct cl_buf holder = CL_BUF_INIT, text = CL_BUF_INIT;
	const char *tmpl, *p, *end, *first = NULL, *last = NULL;
	size_t tlen;
	json_t *data = NULL, *v;
	int error = 0, block = !hs_writes_lines(st);

	if ((error = cl_template_find(&tmpl, &tlen, &holder, "header.txt")) < 0)
		goto done;
	data = json_object();
	CL_CHECK_ALLOC(data);
	v = json_stringn(expr, elen);
	if (!v || json_object_set_new(data, "license", v) < 0) {
		error = cl_error_setc(CL_EINVALID, "license expression is not valid UTF-8");
		goto done;
	}
	if (clen) {
		v = json_stringn(copyright, clen);
		if (!v || json_object_set_new(data, "copyright", v) < 0) {
			error = cl_error_setc(CL_EINVALID, "copyright text is not valid UTF-8");
			goto done;
		}
	}
	if ((error = cl_template_render(&text, "header.txt", tmpl, tlen, data, CL_TEMPLATE_RAW)) < 0)
		goto done;

	/* the non-blank lines from the first to the last, blank ones between kept */
	for (p = text.ptr, end = text.ptr + text.size; p && p < end;) {
		const char *lf = memchr(p, '\n', (size_t)(end - p)), *le = lf ? lf : end;
		if (!hs_blank_span(p, 0, (size_t)(le - p))) {
			if (!first)
				first = p;
			last = le;
		}
		p = lf ? lf + 1 : end;
	}
	if (!first) {
		error = cl_error_setc(CL_EINVALID, "template 'header.txt' renders an empty header");
		goto done;
	}
	if (block && (error = cl_buf_printf(out, "%s%s", st->write_start, eol)) < 0)
		goto done;
	for (p = first; p < last;) {
		const char *lf = memchr(p, '\n', (size_t)(last - p)), *le = lf ? lf : last;
		size_t l = hs_trim_end(p, 0, (size_t)(le - p));
		if ((error = hs_put_header_line(out, st, p, l, eol)) < 0)
			goto done;
		p = lf ? lf + 1 : last;
	}
	if (block && (error = cl_buf_printf(out, "%s%s", st->write_end, eol)) < 0)
		goto done;
done:
	json_decref(data);
	cl_buf_dispose(&text);
	cl_buf_dispose(&holder);
	return error;
}

/* ---- fix -------------------------------------------------------------- */

struct hs_want {
	const char *expr;
	size_t expr_len;
	const char *copyright;    /* NULL: not asked for */
	size_t copyright_len;
};

/*
 * The window fix judges by: the check's default window, extended to the end
 * of the line it cuts, so that a tag is never rewritten from half its line.
 */
static size_t hs_fix_window(const char *d, size_t n)
{
	size_t cap;
	const char *lf;

	if (n <= CL_HEADER_WINDOW)
		return n;
	cap = n - CL_HEADER_WINDOW < FIX_WINDOW_SLACK ? n : CL_HEADER_WINDOW + FIX_WINDOW_SLACK;
	lf = memchr(d + CL_HEADER_WINDOW - 1, '\n', cap - (CL_HEADER_WINDOW - 1));
	return lf ? (size_t)(lf - d) + 1 : cap;
}

/* Whether the check, reading CL_HEADER_WINDOW bytes of n, sees the whole line. */
static int hs_line_complete(size_t nl, size_t n)
{
	return nl != NONE_POS ? nl < CL_HEADER_WINDOW : n <= CL_HEADER_WINDOW;
}

static int hs_fix_scan(struct hs_scan *s, const char *d, size_t n,
	const struct cl_comment_style *st)
{
	hs_dispose(s);
	hs_init(s, d, hs_fix_window(d, n), st, NULL, 1);
	return hs_run(s);
}

static int hs_occ_wanted(const struct hs_scan *s, const struct hs_occ *o, const struct hs_want *w)
{
	return o->exact && o->expr_end - o->expr_start == w->expr_len &&
		memcmp(s->d + o->expr_start, w->expr, w->expr_len) == 0;
}

static int hs_needs_rewrite(const struct hs_scan *s, const struct hs_want *w)
{
	size_t i;

	for (i = 0; i < s->occ_count; i++)
		if (!hs_occ_wanted(s, &s->occ[i], w))
			return 1;
	return 0;
}

/* The first tag the check will read whole, or NULL. */
static const struct hs_occ *hs_complete_tag(const struct hs_scan *s, size_t n)
{
	size_t i;

	for (i = 0; i < s->occ_count; i++)
		if (hs_line_complete(s->occ[i].nl, n))
			return &s->occ[i];
	return NULL;
}

static int hs_has_notice(const struct hs_scan *s, size_t n)
{
	return s->info.copyright && hs_line_complete(s->copyright_nl, n);
}

static int hs_compliant(const struct hs_scan *s, size_t n, const struct hs_want *w)
{
	return !hs_needs_rewrite(s, w) && hs_complete_tag(s, n) &&
		(!w->copyright || hs_has_notice(s, n));
}

/* Every tag that is misspelled or carries another expression, rewritten in place. */
static int hs_rewrite_tags(struct cl_buf *b, const char *d, size_t n, const struct hs_scan *s,
	const struct hs_want *w)
{
	size_t pos = 0, i;
	int error;

	for (i = 0; i < s->occ_count; i++) {
		const struct hs_occ *o = &s->occ[i];
		if (hs_occ_wanted(s, o, w))
			continue;
		/* dropping the marker would bring what it hides into the header */
		if (hs_find(d, o->tag_start, o->expr_end, "REUSE-Ignore") != NONE_POS)
			return cl_error_setc(CL_EINVALID, "the license tag on line %u holds a REUSE-Ignore "
				"marker; fix that line by hand", o->line_no);
		if ((error = cl_buf_put(b, d + pos, o->tag_start - pos)) < 0 ||
		    (error = cl_buf_printf(b, "%s %.*s", TAG, (int)w->expr_len, w->expr)) < 0)
			return error;
		pos = o->expr_end;
	}
	return cl_buf_put(b, d + pos, n - pos);
}

/* A new header above everything but the preamble. */
static int hs_insert_header(struct cl_buf *b, const char *d, size_t n,
	const struct cl_comment_style *st, const struct hs_want *w, int with_copyright)
{
	const char *eol = hs_eol(d, n);
	struct hs_pre pre;
	int wrap, error;
	size_t at;

	hs_preamble(&pre, d, n, st);
	at = pre.end;
	wrap = (st->flags & CL_COMMENT_PHP_OPEN) && !pre.php_open;
	if ((error = cl_buf_put(b, d, at)) < 0)
		return error;
	if (at > pre.start && d[at - 1] != '\n' && (error = cl_buf_puts(b, eol)) < 0)
		return error;
	if (wrap && (error = cl_buf_printf(b, "<?php%s", eol)) < 0)
		return error;
	if ((error = hs_render_header(b, st, w->expr, w->expr_len, w->copyright,
		with_copyright ? w->copyright_len : 0, eol)) < 0)
		return error;
	/* PHP eats the one line end after "?>"; a blank line would be output */
	if (wrap && (error = cl_buf_printf(b, "?>%s", eol)) < 0)
		return error;
	if (!wrap && at < n && d[at] != '\n' && !(d[at] == '\r' && at + 1 < n && d[at + 1] == '\n') &&
	    (error = cl_buf_puts(b, eol)) < 0)
		return error;
	return cl_buf_put(b, d + at, n - at);
}

/* The right edge of a framed comment ("   *|") after the tag, if there is one. */
static int hs_put_frame(struct cl_buf *b, const char *d, const struct hs_occ *o)
{
	if (hs_blank_span(d, o->expr_end, o->seg.end))
		return 0;
	return cl_buf_put(b, d + o->expr_end, o->seg.end - o->expr_end);
}

/*
 * "SPDX-FileCopyrightText: ..." next to the tag `o`, in the same comment
 * syntax: above a line comment or a block's inner line with the same
 * prefix, below the first line of a block that goes on, or as a comment of
 * its own where code shares the tag's line.
 */
static int hs_insert_notice(struct cl_buf *b, const char *d, size_t n,
	const struct cl_comment_style *st, const struct hs_want *w, const struct hs_occ *o)
{
	const char *eol = hs_eol(d, n);
	struct cl_buf line = CL_BUF_INIT, text = CL_BUF_INIT;
	struct hs_pre pre;
	size_t ls = o->line_start, at = ls, pe;
	int error;

	hs_preamble(&pre, d, n, st);
	if ((error = cl_buf_printf(&text, "%s%.*s", NOTICE_PREFIX, (int)w->copyright_len,
		w->copyright)) < 0)
		goto done;
	if (ls < pre.end) {
		/* the tag shares a line that must stay first: a comment after those */
		int wrap = (st->flags & CL_COMMENT_PHP_OPEN) && !pre.php_open;
		at = pre.end;
		if (at > pre.start && d[at - 1] != '\n' && (error = cl_buf_puts(&line, eol)) < 0)
			goto done;
		if (wrap && (error = cl_buf_printf(&line, "<?php%s", eol)) < 0)
			goto done;
		if ((error = hs_put_one_line(&line, st, text.ptr, text.size)) < 0 ||
		    (error = cl_buf_puts(&line, eol)) < 0)
			goto done;
		if (wrap && (error = cl_buf_printf(&line, "?>%s", eol)) < 0)
			goto done;
	} else if (o->seg.opener == NONE_POS) {
		for (pe = ls; pe < o->tag_start && !hs_word((unsigned char)d[pe]) &&
		     (unsigned char)d[pe] < 0x80; pe++)
			;
		if ((error = cl_buf_put(&line, d + ls, pe - ls)) < 0 ||
		    (error = cl_buf_put(&line, text.ptr, text.size)) < 0 ||
		    (error = hs_put_frame(&line, d, o)) < 0 ||
		    (error = cl_buf_puts(&line, eol)) < 0)
			goto done;
	} else if (!hs_blank_span(d, ls, o->seg.opener)) {
		pe = hs_skip_blanks(d, ls, o->seg.opener);
		if ((error = cl_buf_put(&line, d + ls, pe - ls)) < 0 ||
		    (error = hs_put_one_line(&line, st, text.ptr, text.size)) < 0 ||
		    (error = cl_buf_puts(&line, eol)) < 0)
			goto done;
	} else if (o->seg.kind == HS_LINE || o->seg.closed) {
		pe = hs_skip_blanks(d, o->seg.opener_end, o->tag_start);
		if ((error = cl_buf_put(&line, d + ls, pe - ls)) < 0 ||
		    (error = cl_buf_put(&line, text.ptr, text.size)) < 0)
			goto done;
		if (o->seg.kind == HS_BLOCK)
			error = cl_buf_put(&line, d + o->expr_end, o->seg.closer_end - o->expr_end);
		else
			error = hs_put_frame(&line, d, o);
		if (error < 0)
			goto done;
		if ((error = cl_buf_puts(&line, eol)) < 0)
			goto done;
	} else {
		const char *mid = o->seg.block == 0 && st->write_middle ? st->write_middle : "";
		at = o->nl != NONE_POS ? o->nl + 1 : n;
		if (o->nl == NONE_POS && (error = cl_buf_puts(&line, eol)) < 0)
			goto done;
		if ((error = cl_buf_put(&line, d + ls, o->seg.opener - ls)) < 0 ||
		    (*mid && (error = cl_buf_printf(&line, "%s ", mid)) < 0) ||
		    (error = cl_buf_put(&line, text.ptr, text.size)) < 0)
			goto done;
		if (o->nl != NONE_POS && (error = cl_buf_puts(&line, eol)) < 0)
			goto done;
	}
	if ((error = cl_buf_put(b, d, at)) < 0 ||
	    (error = cl_buf_put(b, line.ptr, line.size)) < 0 ||
	    (error = cl_buf_put(b, d + at, n - at)) < 0)
		goto done;
done:
	cl_buf_dispose(&line);
	cl_buf_dispose(&text);
	return error;
}

/* Trim `text` into [*start, *start + *len) and refuse what would break the comment. */
static int hs_check_text(const char **start, size_t *len, const char *what, const char *text,
	const struct cl_comment_style *st)
{
	const struct cl_comment_block *blk;
	size_t a = 0, b, i;

	b = strlen(text);
	while (a < b && (text[a] == ' ' || text[a] == '\t'))
		a++;
	while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t'))
		b--;
	*start = text + a;
	*len = b - a;
	if (b - a > FIX_TEXT_MAX)
		return cl_error_setc(CL_EINVALID, "%s is longer than %d bytes", what, FIX_TEXT_MAX);
	for (i = a; i < b; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			return cl_error_setc(CL_EINVALID, "%s contains a control character", what);
	for (blk = st->block; blk->start; blk++)
		if (hs_find(text, a, b, blk->end) != NONE_POS)
			return cl_error_setc(CL_EINVALID, "%s contains '%s', which would end the %s comment",
				what, blk->end, st->name);
	if ((st->flags & CL_COMMENT_PHP_OPEN) && hs_find(text, a, b, "?>") != NONE_POS)
		return cl_error_setc(CL_EINVALID, "%s contains '?>', which would end the PHP code", what);
	if (hs_find(text, a, b, "REUSE-Ignore") != NONE_POS)
		return cl_error_setc(CL_EINVALID, "%s contains a REUSE-Ignore marker", what);
	for (i = a; i < b; i++)
		if (hs_at(text, b, i, "spdx-licen", 1))
			return cl_error_setc(CL_EINVALID, "%s contains an SPDX license tag", what);
	return 0;
}

int cl_header_fix(struct cl_buf *out, const char *data, size_t len,
	const struct cl_comment_style *style, const char *expression, const char *copyright)
{
	struct cl_buf cur = CL_BUF_INIT, next = CL_BUF_INIT;
	struct hs_scan s;
	struct hs_want w;
	const struct hs_occ *o;
	const char *d = data;
	size_t n = data ? len : 0;
	int error = 0, round;

	assert(out);
	assert(data || len == 0);
	hs_init(&s, NULL, 0, NULL, NULL, 0);
	if (!style || (style->flags & CL_COMMENT_NONE)) {
		error = cl_error_setc(CL_EINVALID, "this file type has no comment syntax for a header "
			"(use a .license file next to it)");
		goto done;
	}
	memset(&w, 0, sizeof(w));
	if ((error = hs_check_text(&w.expr, &w.expr_len, "license expression",
		expression ? expression : "", style)) < 0)
		goto done;
	if (w.expr_len == 0) {
		error = cl_error_setc(CL_EINVALID, "empty license expression");
		goto done;
	}
	if (copyright && (error = hs_check_text(&w.copyright, &w.copyright_len, "copyright text",
		copyright, style)) < 0)
		goto done;
	if (w.copyright_len == 0)
		w.copyright = NULL;
	if (n && memchr(d, '\0', n)) {
		error = cl_error_setc(CL_EINVALID, "binary file: no header can be written into it");
		goto done;
	}

	/* rewriting shortens or lengthens lines, which can bring later tags into the window */
	for (round = 0;; round++) {
		if ((error = hs_fix_scan(&s, d, n, style)) < 0)
			goto done;
		if (!hs_needs_rewrite(&s, &w))
			break;
		if (round == FIX_MAX_ROUNDS) {
			error = cl_error_setc(CL_EINVALID, "license tags keep changing while rewritten");
			goto done;
		}
		cl_buf_clear(&next);
		if ((error = hs_rewrite_tags(&next, d, n, &s, &w)) < 0)
			goto done;
		cl_buf_dispose(&cur);
		cur = next;
		cl_buf_init(&next, 0);
		d = cur.ptr;
		n = cur.size;
	}

	o = hs_complete_tag(&s, n);
	cl_buf_clear(&next);
	if (!o) {
		if ((error = hs_insert_header(&next, d, n, style, &w,
			w.copyright && !hs_has_notice(&s, n))) < 0)
			goto done;
	} else if (w.copyright && !hs_has_notice(&s, n)) {
		if ((error = hs_insert_notice(&next, d, n, style, &w, o)) < 0)
			goto done;
	} else {
		if ((error = cl_buf_put(out, d, n)) < 0)
			goto done;
		goto done;   /* compliant as it stands (after any rewrite) */
	}

	/* the result must be what the check accepts, or fix would not be idempotent */
	if ((error = hs_fix_scan(&s, next.ptr, next.size, style)) < 0)
		goto done;
	if (!hs_compliant(&s, next.size, &w)) {
		error = cl_error_setc(CL_EINVALID, "cannot place a license header within the first "
			"%d bytes of this file (long preamble, or a template without the SPDX tag)",
			CL_HEADER_WINDOW);
		goto done;
	}
	error = cl_buf_put(out, next.ptr, next.size);
done:
	hs_dispose(&s);
	cl_buf_dispose(&cur);
	cl_buf_dispose(&next);
	return error;
}
