/*
 * trailer.c - commit-message trailers, by the rules of git 2.39's
 * `git interpret-trailers --parse` (trailer.c, and ignore_non_trailer() and
 * wt_status_locate_end() which it borrows from commit.c and wt-status.c).
 *
 * The message is a byte range, not a C string: every scan below is bounded
 * by the length, so a message that is not NUL-terminated (or is hostile) can
 * never be read past its end. git itself works on a NUL-terminated buffer, so
 * a NUL byte ends the message for it; we cut there too, to agree with it.
 *
 * Divisions:
 *   1. git's ctype and line helpers
 *   2. where the trailer block ends (patch divider, scissors, comments)
 *   3. where the trailer block starts (the 25 % rule)
 *   4. splitting the block into trailers, unfolding values
 *
 * Deliberate difference: git 2.39 loops for ever when the scissors line comes
 * after a "---" divider (wt_status_locate_end() returns an offset past the
 * end it was given; fixed upstream later). We clamp that offset to the
 * message end, which is what later git versions do.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "trailer.h"

#define TRAILER_COMMENT_CHAR '#'
#define TRAILER_SEPARATORS   ":"
#define TRAILER_NPOS         ((size_t)-1)

/* The whole line, newline included: "# ---- >8 ----\r\n" is only a comment. */
static const char trailer_scissors[] =
	"# ------------------------ >8 ------------------------\n";

/* Prefixes git writes itself; one of them lets a block pass with 25 % trailers. */
static const char *const trailer_git_prefixes[] = {
	"Signed-off-by: ",
	"(cherry picked from commit ",
};

/* ---- 1. git's ctype and line helpers ---------------------------------- */

/*
 * git uses its own ctype table (ctype.c), not the C library's: only these
 * four bytes are space (no \v, no \f) and only ASCII letters and digits are
 * alphanumeric, whatever the locale. Matching it byte for byte is what makes
 * our block boundaries agree with git's.
 */
static int trailer_isspace(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int trailer_isalnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Offset just past the '\n' that ends the line at `pos`, or `len`. */
static size_t trailer_next_line(const char *buf, size_t len, size_t pos)
{
	const char *nl = memchr(buf + pos, '\n', len - pos);
	return nl ? (size_t)(nl - buf) + 1 : len;
}

/* git's last_line(): start of the line that ends at `len`; NPOS when len is 0. */
static size_t trailer_last_line(const char *buf, size_t len)
{
	size_t i;

	if (len == 0)
		return TRAILER_NPOS;
	if (len == 1)
		return 0;
	/* A final '\n' belongs to the last line, so start looking before it. */
	for (i = len - 1; i > 0; i--)
		if (buf[i - 1] == '\n')
			return i;
	return 0;
}

static int trailer_is_blank_line(const char *buf, size_t len, size_t pos)
{
	while (pos < len && buf[pos] != '\n' && trailer_isspace((unsigned char)buf[pos]))
		pos++;
	return pos == len || buf[pos] == '\n';
}

static int trailer_starts_with(const char *buf, size_t len, size_t pos, const char *prefix)
{
	size_t plen = strlen(prefix);
	return len - pos >= plen && memcmp(buf + pos, prefix, plen) == 0;
}

/*
 * git's find_separator(): "<token><optional whitespace><separator>" where the
 * token is letters, digits and '-'. Returns the separator's offset from
 * `pos`, or -1 when the line is not of that form. A return of 0 means the
 * line starts with the separator, which callers reject as an empty token.
 */
static long trailer_find_separator(const char *buf, size_t len, size_t pos)
{
	int whitespace_found = 0;
	size_t c;

	for (c = pos; c < len; c++) {
		unsigned char ch = (unsigned char)buf[c];

		if (ch != '\0' && strchr(TRAILER_SEPARATORS, ch))
			return (long)(c - pos);
		if (!whitespace_found && (trailer_isalnum(ch) || ch == '-'))
			continue;
		if (c != pos && (ch == ' ' || ch == '\t')) {
			whitespace_found = 1;
			continue;
		}
		break;
	}
	return -1;
}

/* ---- 2. where the trailer block ends ---------------------------------- */

/* A line "---" followed by whitespace starts the patch (format-patch output). */
static size_t trailer_find_patch_start(const char *buf, size_t len)
{
	size_t s;

	for (s = 0; s < len; s = trailer_next_line(buf, len, s))
		if (trailer_starts_with(buf, len, s, "---") && s + 3 < len &&
		    trailer_isspace((unsigned char)buf[s + 3]))
			return s;
	return len;
}

/* First occurrence of `needle` in buf[0..len), or NPOS. */
static size_t trailer_find(const char *buf, size_t len, const char *needle, size_t nlen)
{
	const char *p = buf, *end = buf + len;

	while ((size_t)(end - p) >= nlen) {
		p = memchr(p, needle[0], (size_t)(end - p) - nlen + 1);
		if (!p)
			break;
		if (memcmp(p, needle, nlen) == 0)
			return (size_t)(p - buf);
		p++;
	}
	return TRAILER_NPOS;
}

/*
 * wt_status_locate_end(): `git commit -v` puts the diff below a scissors
 * line, and everything from there on is not message. git searches the whole
 * message (`msg_len`), even past the patch divider that ended `len`; the
 * result is clamped to `len` (see the file comment).
 */
static size_t trailer_locate_end(const char *buf, size_t msg_len, size_t len)
{
	size_t slen = sizeof(trailer_scissors) - 1;
	size_t p = 0, hit;

	if (trailer_starts_with(buf, msg_len, 0, trailer_scissors))
		return 0;
	/* git looks for "\n" + scissors: the first hit that starts a line. */
	while (p < msg_len &&
	       (hit = trailer_find(buf + p, msg_len - p, trailer_scissors, slen)) != TRAILER_NPOS) {
		hit += p;
		if (hit > 0 && buf[hit - 1] == '\n')
			return hit < len ? hit : len;
		p = hit + 1;
	}
	return len;
}

/*
 * ignore_non_trailer(): trailing comment lines, empty lines and an old-style
 * "Conflicts:" block (tab-indented paths) are not part of the trailer block.
 * Returns where the block may end.
 */
static size_t trailer_find_end(const char *buf, size_t msg_len, size_t len)
{
	size_t boc = 0, bol = 0;
	int in_old_conflicts_block = 0;
	size_t cutoff = trailer_locate_end(buf, msg_len, len);

	while (bol < cutoff) {
		size_t next = trailer_next_line(buf, len, bol);

		if (buf[bol] == TRAILER_COMMENT_CHAR || buf[bol] == '\n') {
			/*
			 * git keeps the start of the run in `boc` and uses 0 for
			 * "no run", so a run starting on the very first line is
			 * not recognised; we copy that quirk on purpose.
			 */
			if (!boc)
				boc = bol;
		} else if (trailer_starts_with(buf, len, bol, "Conflicts:\n")) {
			in_old_conflicts_block = 1;
			if (!boc)
				boc = bol;
		} else if (in_old_conflicts_block && buf[bol] == '\t') {
			; /* a path in the conflicts block */
		} else if (boc) {
			boc = 0;
			in_old_conflicts_block = 0;
		}
		bol = next;
	}
	return boc ? boc : cutoff;
}

/* ---- 3. where the trailer block starts -------------------------------- */

/*
 * find_trailer_start(): the block is the last paragraph before `len`, and it
 * counts when (i) all its lines are trailers, or (ii) it holds a line git
 * writes itself and at least 25 % of its lines are trailers. Lines starting
 * with whitespace may continue the trailer above them, so they count as
 * trailer or non-trailer lines depending on what precedes them. The first
 * paragraph is the subject and never holds trailers. Returns `len` when
 * there is no block.
 */
static size_t trailer_find_start(const char *buf, size_t len)
{
	size_t s, l, end_of_title, i;
	size_t trailer_lines = 0, non_trailer_lines = 0, possible_continuation_lines = 0;
	int only_spaces = 1, recognized_prefix = 0;

	for (s = 0; s < len; s = trailer_next_line(buf, len, s)) {
		if (buf[s] == TRAILER_COMMENT_CHAR)
			continue;
		if (trailer_is_blank_line(buf, len, s))
			break;
	}
	end_of_title = s;

	for (l = trailer_last_line(buf, len);
	     l != TRAILER_NPOS && l >= end_of_title;
	     l = trailer_last_line(buf, l)) {
		long separator_pos;
		int generated = 0;

		if (buf[l] == TRAILER_COMMENT_CHAR) {
			non_trailer_lines += possible_continuation_lines;
			possible_continuation_lines = 0;
			continue;
		}
		if (trailer_is_blank_line(buf, len, l)) {
			if (only_spaces)
				continue;
			non_trailer_lines += possible_continuation_lines;
			if (recognized_prefix && trailer_lines * 3 >= non_trailer_lines)
				return trailer_next_line(buf, len, l);
			if (trailer_lines && !non_trailer_lines)
				return trailer_next_line(buf, len, l);
			return len;
		}
		only_spaces = 0;

		for (i = 0; i < sizeof(trailer_git_prefixes) / sizeof(trailer_git_prefixes[0]); i++) {
			if (trailer_starts_with(buf, len, l, trailer_git_prefixes[i])) {
				generated = 1;
				break;
			}
		}
		if (generated) {
			trailer_lines++;
			possible_continuation_lines = 0;
			recognized_prefix = 1;
			continue;
		}

		separator_pos = trailer_find_separator(buf, len, l);
		if (separator_pos >= 1 && !trailer_isspace((unsigned char)buf[l])) {
			trailer_lines++;
			possible_continuation_lines = 0;
		} else if (trailer_isspace((unsigned char)buf[l])) {
			possible_continuation_lines++;
		} else {
			non_trailer_lines++;
			non_trailer_lines += possible_continuation_lines;
			possible_continuation_lines = 0;
		}
	}
	return len;
}

/* ---- 4. splitting the block into trailers ----------------------------- */

static void trailer_trim(const char **start, const char **end)
{
	while (*start < *end && trailer_isspace((unsigned char)**start))
		(*start)++;
	while (*end > *start && trailer_isspace((unsigned char)(*end)[-1]))
		(*end)--;
}

static char *trailer_dup(const char *start, const char *end)
{
	size_t n = (size_t)(end - start);
	char *s = malloc(n + 1);

	if (!s)
		return NULL;
	memcpy(s, start, n);
	s[n] = '\0';
	return s;
}

/*
 * git's unfold_value(): a newline and the whitespace after it become one
 * space, then the ends are trimmed again. Whitespace inside a line is kept
 * as written ("a  b" stays "a  b"), as git keeps it.
 */
static char *trailer_unfold(const char *start, const char *end)
{
	char *out, *o;
	const char *p;

	trailer_trim(&start, &end);
	out = malloc((size_t)(end - start) + 1);
	if (!out)
		return NULL;
	o = out;
	p = start;
	while (p < end) {
		char c = *p++;
		if (c == '\n') {
			while (p < end && trailer_isspace((unsigned char)*p))
				p++;
			*o++ = ' ';
		} else {
			*o++ = c;
		}
	}
	/* The collapsed text never starts with space; it may end with one. */
	while (o > out && trailer_isspace((unsigned char)o[-1]))
		o--;
	*o = '\0';
	return out;
}

static int trailer_push(struct cl_trailers *list, size_t *alloc, const char *buf,
	size_t start, size_t end, long separator_pos, unsigned int line)
{
	const char *kstart = buf + start, *kend = buf + start + separator_pos;
	struct cl_trailer *item;
	char *key = NULL, *value = NULL;
	int error = 0;

	if (list->count == *alloc) {
		size_t nalloc = *alloc ? *alloc * 2 : 8;
		struct cl_trailer *items = realloc(list->items, nalloc * sizeof(*items));
		CL_CHECK_ALLOC(items);
		list->items = items;
		*alloc = nalloc;
	}
	trailer_trim(&kstart, &kend);
	key = trailer_dup(kstart, kend);
	CL_CHECK_ALLOC(key);
	value = trailer_unfold(buf + start + separator_pos + 1, buf + end);
	CL_CHECK_ALLOC(value);

	item = &list->items[list->count++];
	item->key = key;
	item->value = value;
	item->line = line;
	key = value = NULL;
done:
	free(key);
	free(value);
	return error;
}

int cl_trailers_parse(struct cl_trailers *out, const char *message, size_t len)
{
	struct cl_trailers list = CL_TRAILERS_INIT;
	size_t alloc = 0, msg_len, patch_start, end, start, pos, counted = 0;
	size_t cur_start = 0, cur_end = 0;
	long cur_sep = -1;
	unsigned int line = 1, cur_line = 0;
	const char *nul;
	int error = 0;

	if (!out || (!message && len))
		CL_BUG("cl_trailers_parse: NULL argument");
	if (!message)
		return 0;

	nul = memchr(message, '\0', len);
	msg_len = nul ? (size_t)(nul - message) : len;

	patch_start = trailer_find_patch_start(message, msg_len);
	end = trailer_find_end(message, msg_len, patch_start);
	start = trailer_find_start(message, end);

	for (pos = start; pos < end; ) {
		size_t next = trailer_next_line(message, end, pos);
		unsigned char first = (unsigned char)message[pos];

		/* Line numbers: count the newlines we skip to get here. */
		for (; counted < pos; counted++)
			if (message[counted] == '\n')
				line++;

		/* git's trailer_info_get(): whitespace-led lines continue a trailer. */
		if (cur_sep >= 1 && trailer_isspace(first)) {
			cur_end = next;
			pos = next;
			continue;
		}
		if (cur_sep >= 1 &&
		    (error = trailer_push(&list, &alloc, message, cur_start, cur_end,
				cur_sep, cur_line)) < 0)
			goto done;
		cur_start = pos;
		cur_end = next;
		cur_line = line;
		/* Comment lines are never trailers and end any continuation. */
		cur_sep = first == TRAILER_COMMENT_CHAR ? -1
			: trailer_find_separator(message, end, pos);
		pos = next;
	}
	if (cur_sep >= 1 &&
	    (error = trailer_push(&list, &alloc, message, cur_start, cur_end,
			cur_sep, cur_line)) < 0)
		goto done;

	*out = list;
	list.items = NULL;
	list.count = 0;
done:
	cl_trailers_dispose(&list);
	return error;
}

void cl_trailers_dispose(struct cl_trailers *trailers)
{
	size_t i;

	if (!trailers)
		return;
	for (i = 0; i < trailers->count; i++) {
		free(trailers->items[i].key);
		free(trailers->items[i].value);
	}
	free(trailers->items);
	trailers->items = NULL;
	trailers->count = 0;
}
