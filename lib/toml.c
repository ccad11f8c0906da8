/*
 * toml.c - a strict TOML 1.0 reader producing a Jansson tree.
 *
 * Divisions:
 *   1. parser state, positions and messages
 *   2. table bookkeeping: which tables may still be extended, and how
 *   3. the encoding pass: UTF-8 and control characters, once, up front
 *   4. keys
 *   5. strings
 *   6. integers, floats, booleans, dates and times
 *   7. values, arrays and inline tables
 *   8. key/value lines, table headers, the document
 *
 * The parser is a recursive descent over the bytes; only arrays and inline
 * tables recurse, and both are bounded by max_depth. Positions are plain
 * pointers; line and column are computed only when a message needs them.
 */
#include "toml.h"

#include "buf.h"
#include "error.h"

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- 1. parser state, positions and messages ------------------------- */

/*
 * How a table or an array of tables came to be, which decides what may
 * still happen to it. Objects and arrays with no entry in the map are
 * inline tables and static arrays: closed for good.
 */
enum toml_kind {
	KIND_IMPLICIT = 1,  /* parent in a header path: one header may still define it */
	KIND_DEFINED,       /* named by [header], or an element made by [[header]] */
	KIND_DOTTED,        /* made by dotted keys: more of them only in the same section */
	KIND_AOT            /* array made by [[header]]: later [[header]]s append */
};

struct toml_meta {
	const json_t *node;     /* borrowed from the tree; NULL: free slot */
	uint32_t kind;
	uint32_t section;       /* for KIND_DOTTED: the section that made it */
};

/* One part of a dotted key; the bytes are in toml_parser.keys. */
struct toml_part {
	size_t off;
	size_t len;
	const char *at;         /* points into the document, for messages */
};

struct toml_parser {
	const char *name;
	const char *start;      /* the document (borrowed), after any BOM */
	const char *doc;        /* the document as given, for line/column */
	const char *end;
	const char *p;          /* the cursor */
	unsigned int flags;
	unsigned int max_depth;

	json_t *root;
	json_t *table;          /* where key/value lines go; borrowed from root */
	unsigned int table_depth;
	uint32_t section;       /* id of the current [header] section */
	uint32_t next_section;  /* sections and inline tables each get one; a
				   16 MiB document cannot hold 2^32 of them */

	struct toml_meta *meta; /* open addressing, keyed by node address */
	size_t meta_cap;        /* a power of two, or 0 */
	size_t meta_count;

	/*
	 * Keys are a stack: a key/value inside an inline table pushes its parts
	 * above those of the key it is the value of, and pops them when done.
	 */
	struct cl_buf keys;
	struct toml_part *parts;
	size_t nparts;
	size_t parts_cap;

	struct cl_buf scratch;  /* decoded strings, cleaned numbers */
	locale_t c_locale;      /* made on the first float; (locale_t)0 until then */
};

/* Line and column (1-based; columns count characters) of `at`: only for messages. */
static void toml_position(size_t *line, size_t *col, const struct toml_parser *ps,
			  const char *at)
{
	const char *q, *bol = ps->doc;
	size_t l = 1, c = 1;

	if (at > ps->end)
		at = ps->end;
	for (q = ps->doc; q < at; q++) {
		if (*q == '\n') {
			l++;
			bol = q + 1;
		}
	}
	if (bol == ps->doc)
		bol = ps->start;   /* a BOM is no column */
	for (q = bol; q < at; q++)
		if (((unsigned char)*q & 0xC0) != 0x80)
			c++;
	*line = l;
	*col = c;
}

static int toml_fail(struct toml_parser *ps, const char *at, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

/* Every syntax or semantic error goes through here: "NAME:LINE:COL: problem". */
static int toml_fail(struct toml_parser *ps, const char *at, const char *fmt, ...)
{
	char msg[512];
	size_t line, col;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	toml_position(&line, &col, ps, at);
	return cl_error_setc(CL_EINVALID, "%s:%zu:%zu: %s", ps->name, line, col, msg);
}

static int toml_oom(void)
{
	return cl_error_set("out of memory");
}

/*
 * Printable text for a message: hostile bytes (newlines, escapes decoded
 * from \u0000, very long keys) must not break the one-line message.
 */
static void toml_show(char *dst, size_t cap, const char *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 8 < cap; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7F || c == '\'' || c == '\\')
			o += (size_t)snprintf(dst + o, cap - o, "\\x%02X", c);
		else
			dst[o++] = (char)c;
	}
	if (i < n && o + 4 <= cap) {
		/* do not leave half a UTF-8 sequence before the ellipsis */
		while (o > 0 && ((unsigned char)dst[o - 1] & 0xC0) == 0x80)
			o--;
		if (o > 0 && ((unsigned char)dst[o - 1] & 0xC0) == 0xC0)
			o--;
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o < cap ? o : cap - 1] = '\0';
}

/* What stands at `at`, for "expected X, found Y". */
static void toml_found(const struct toml_parser *ps, const char *at, char *dst, size_t cap)
{
	unsigned char c;

	if (at >= ps->end) {
		snprintf(dst, cap, "end of input");
		return;
	}
	c = (unsigned char)*at;
	if (c == '\n' || c == '\r')
		snprintf(dst, cap, "end of line");
	else if (c == '\'')
		snprintf(dst, cap, "\"'\"");
	else if (c > 0x20 && c < 0x7F)
		snprintf(dst, cap, "'%c'", c);
	else if (c == ' ' || c == '\t')
		snprintf(dst, cap, "whitespace");
	else
		snprintf(dst, cap, "a non-ASCII character");
}

static int toml_expected(struct toml_parser *ps, const char *at, const char *what)
{
	char found[32];

	toml_found(ps, at, found, sizeof(found));
	return toml_fail(ps, at, "expected %s, found %s", what, found);
}

/* The dotted key parts[first..upto] as text for a message. */
static void toml_path(const struct toml_parser *ps, size_t first, size_t upto,
		      char *dst, size_t cap)
{
	size_t i, o = 0;

	dst[0] = '\0';
	for (i = first; i <= upto && o + 8 < cap; i++) {
		const char *k = ps->keys.ptr + ps->parts[i].off;
		size_t n = ps->parts[i].len, j;
		int bare = n > 0;

		for (j = 0; j < n && bare; j++)
			bare = (k[j] >= 'a' && k[j] <= 'z') || (k[j] >= 'A' && k[j] <= 'Z') ||
			       (k[j] >= '0' && k[j] <= '9') || k[j] == '_' || k[j] == '-';
		if (i > first)
			dst[o++] = '.';
		if (!bare)
			dst[o++] = '"';
		toml_show(dst + o, cap - o - 1, k, n);
		o += strlen(dst + o);
		if (!bare)
			dst[o++] = '"';
		dst[o] = '\0';
	}
}

/* ---- 2. table bookkeeping --------------------------------------------- */

static size_t meta_slot(const struct toml_parser *ps, const json_t *node)
{
	uint64_t h = (uint64_t)(uintptr_t)node * UINT64_C(0x9E3779B97F4A7C15);

	return (size_t)(h >> 24) & (ps->meta_cap - 1);
}

static struct toml_meta *meta_find(const struct toml_parser *ps, const json_t *node)
{
	size_t i;

	if (ps->meta_cap == 0)
		return NULL;
	for (i = meta_slot(ps, node); ps->meta[i].node; i = (i + 1) & (ps->meta_cap - 1))
		if (ps->meta[i].node == node)
			return &ps->meta[i];
	return NULL;
}

static int meta_add(struct toml_parser *ps, const json_t *node, uint32_t kind, uint32_t section)
{
	size_t i;

	/* at most half full, so probes stay short */
	if ((ps->meta_count + 1) * 2 > ps->meta_cap) {
		struct toml_meta *old = ps->meta;
		size_t old_cap = ps->meta_cap, ncap = old_cap ? old_cap * 2 : 64;

		if (ncap > SIZE_MAX / sizeof(*old))
			return toml_oom();
		ps->meta = calloc(ncap, sizeof(*ps->meta));
		if (!ps->meta) {
			ps->meta = old;
			return toml_oom();
		}
		ps->meta_cap = ncap;
		for (i = 0; i < old_cap; i++) {
			size_t j;

			if (!old[i].node)
				continue;
			for (j = meta_slot(ps, old[i].node); ps->meta[j].node; j = (j + 1) & (ncap - 1))
				;
			ps->meta[j] = old[i];
		}
		free(old);
	}
	for (i = meta_slot(ps, node); ps->meta[i].node; i = (i + 1) & (ps->meta_cap - 1))
		;
	ps->meta[i].node = node;
	ps->meta[i].kind = kind;
	ps->meta[i].section = section;
	ps->meta_count++;
	return 0;
}

/* A new table under `parent` at key part `part`, recorded with `kind`. */
static int table_add(json_t **out, struct toml_parser *ps, json_t *parent,
		     const struct toml_part *part, uint32_t kind, uint32_t section)
{
	json_t *t = json_object();
	int error;

	if (!t)
		return toml_oom();
	if (json_object_setn_new_nocheck(parent, ps->keys.ptr + part->off, part->len, t) < 0)
		return toml_oom();   /* setn_new released t */
	if ((error = meta_add(ps, t, kind, section)) < 0)
		return error;
	*out = t;
	return 0;
}

/* ---- 3. the encoding pass --------------------------------------------- */

/*
 * TOML allows no control character but tab and newline anywhere: not in
 * strings (they must be escaped), not in comments, not as syntax; and CR
 * only as part of CRLF. So one pass over the document settles encoding
 * and control characters, and the parser proper only looks for syntax.
 */
static int toml_check_text(struct toml_parser *ps)
{
	const unsigned char *s = (const unsigned char *)ps->start;
	const unsigned char *e = (const unsigned char *)ps->end;

	while (s < e) {
		unsigned char c = *s;
		size_t need, i;
		unsigned char lo = 0x80, hi = 0xBF;

		if (c >= 0x20 && c < 0x7F) {
			s++;
			continue;
		}
		if (c == '\n' || c == '\t') {
			s++;
			continue;
		}
		if (c == '\r') {
			if (s + 1 < e && s[1] == '\n') {
				s += 2;
				continue;
			}
			return toml_fail(ps, (const char *)s, "carriage return not followed by a line feed");
		}
		if (c < 0x80)
			return toml_fail(ps, (const char *)s, "control character U+%04X is not allowed", c);
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0;       /* overlong */
			else if (c == 0xED)
				hi = 0x9F;       /* UTF-16 surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90;       /* overlong */
			else if (c == 0xF4)
				hi = 0x8F;       /* past U+10FFFF */
		} else {
			return toml_fail(ps, (const char *)s, "invalid UTF-8 (byte 0x%02X)", c);
		}
		if ((size_t)(e - s) <= need || s[1] < lo || s[1] > hi)
			return toml_fail(ps, (const char *)s, "invalid UTF-8 (byte 0x%02X)", c);
		for (i = 2; i <= need; i++)
			if ((s[i] & 0xC0) != 0x80)
				return toml_fail(ps, (const char *)s, "invalid UTF-8 (byte 0x%02X)", c);
		s += need + 1;
	}
	return 0;
}

/* ---- 4. keys ----------------------------------------------------------- */

static int is_bare_key_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static void skip_ws(struct toml_parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
}

static int parse_basic(struct toml_parser *ps, struct cl_buf *dst);
static int parse_literal(const char **s, size_t *n, struct toml_parser *ps);

/*
 * Record a key part: its bytes, already appended, run from `off` to the end
 * of ps->keys; `at` is where it starts in the document.
 */
static int part_push(struct toml_parser *ps, size_t off, const char *at)
{
	struct toml_part *part;

	if (ps->nparts == ps->parts_cap) {
		size_t ncap = ps->parts_cap ? ps->parts_cap * 2 : 16;
		struct toml_part *np;

		if (ncap > SIZE_MAX / sizeof(*np))
			return toml_oom();
		np = realloc(ps->parts, ncap * sizeof(*np));
		if (!np)
			return toml_oom();
		ps->parts = np;
		ps->parts_cap = ncap;
	}
	part = &ps->parts[ps->nparts++];
	part->off = off;
	part->len = ps->keys.size - off;
	part->at = at;
	return 0;
}

/*
 * A key: simple keys joined by dots, blanks allowed around the dots. Its
 * parts are pushed on the key stack from *first on. `base` is the depth of
 * the table the key starts from: a key may not nest deeper than max_depth.
 */
static int parse_key(size_t *first, struct toml_parser *ps, unsigned int base)
{
	size_t start = ps->nparts;
	int error;

	for (;;) {
		const char *at = ps->p;
		size_t off = ps->keys.size;

		if (ps->p < ps->end && is_bare_key_char((unsigned char)*ps->p)) {
			const char *s = ps->p;

			while (ps->p < ps->end && is_bare_key_char((unsigned char)*ps->p))
				ps->p++;
			if ((error = cl_buf_put(&ps->keys, s, (size_t)(ps->p - s))) < 0)
				return error;
		} else if (ps->p < ps->end && *ps->p == '"') {
			if ((error = parse_basic(ps, &ps->keys)) < 0)
				return error;
		} else if (ps->p < ps->end && *ps->p == '\'') {
			const char *s;
			size_t n;

			if ((error = parse_literal(&s, &n, ps)) < 0 ||
			    (error = cl_buf_put(&ps->keys, s, n)) < 0)
				return error;
		} else {
			return toml_expected(ps, ps->p, "a key");
		}
		if (base + (ps->nparts - start) + 1 > ps->max_depth)
			return toml_fail(ps, at, "nesting deeper than %u levels", ps->max_depth);
		if ((error = part_push(ps, off, at)) < 0)
			return error;
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != '.')
			break;
		ps->p++;
		skip_ws(ps);
	}
	*first = start;
	return 0;
}

/* Pop the key parts from `first` on. */
static void key_pop(struct toml_parser *ps, size_t first)
{
	ps->keys.size = ps->parts[first].off;
	ps->keys.ptr[ps->keys.size] = '\0';   /* keep the cl_buf promise */
	ps->nparts = first;
}

/* ---- 5. strings -------------------------------------------------------- */

static int hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int put_utf8(struct cl_buf *dst, uint32_t cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return cl_buf_put(dst, b, n);
}

/* One escape sequence at the cursor (a backslash) of a basic string. */
static int parse_escape(struct toml_parser *ps, struct cl_buf *dst)
{
	const char *at = ps->p;
	unsigned char c;
	char plain;

	if (ps->end - ps->p < 2)
		return toml_fail(ps, at, "unterminated string");
	c = (unsigned char)ps->p[1];
	switch (c) {
	case 'b': plain = '\b'; break;
	case 't': plain = '\t'; break;
	case 'n': plain = '\n'; break;
	case 'f': plain = '\f'; break;
	case 'r': plain = '\r'; break;
	case '"': plain = '"'; break;
	case '\\': plain = '\\'; break;
	case 'u':
	case 'U': {
		size_t n = c == 'u' ? 4 : 8, i;
		uint32_t cp = 0;

		if ((size_t)(ps->end - ps->p) < n + 2)
			return toml_fail(ps, at, "invalid unicode escape: \\%c takes %zu hex digits", c, n);
		for (i = 0; i < n; i++) {
			int v = hex_value((unsigned char)ps->p[2 + i]);

			if (v < 0)
				return toml_fail(ps, at, "invalid unicode escape: \\%c takes %zu hex digits", c, n);
			cp = (cp << 4) | (uint32_t)v;   /* 8 digits fit in 32 bits */
		}
		if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return toml_fail(ps, at, "invalid unicode escape: U+%04" PRIX32 " is not a Unicode scalar value", cp);
		ps->p += n + 2;
		return put_utf8(dst, cp);
	}
	default:
		if (c > 0x20 && c < 0x7F)
			return toml_fail(ps, at, "invalid escape sequence '\\%c'", c);
		return toml_fail(ps, at, "invalid escape sequence: backslash followed by %s",
				 c == ' ' || c == '\t' ? "whitespace" :
				 c == '\n' || c == '\r' ? "end of line" : "a non-ASCII character");
	}
	ps->p += 2;
	return cl_buf_put(dst, &plain, 1);
}

/*
 * A basic string "..." at the cursor, decoded and appended to `dst`. The
 * encoding pass already refused control characters; a newline is what is
 * left to refuse.
 */
static int parse_basic(struct toml_parser *ps, struct cl_buf *dst)
{
	const char *open = ps->p;
	int error;

	ps->p++;
	for (;;) {
		const char *s = ps->p;

		while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' &&
		       *ps->p != '\n' && *ps->p != '\r')
			ps->p++;
		if ((error = cl_buf_put(dst, s, (size_t)(ps->p - s))) < 0)
			return error;
		if (ps->p >= ps->end || *ps->p == '\n' || *ps->p == '\r')
			return toml_fail(ps, open, "unterminated string (a single-line string ends at the end of its line)");
		if (*ps->p == '"') {
			ps->p++;
			return 0;
		}
		if ((error = parse_escape(ps, dst)) < 0)
			return error;
	}
}

/* A literal string '...' at the cursor: no escapes, so a span of the document. */
static int parse_literal(const char **s, size_t *n, struct toml_parser *ps)
{
	const char *open = ps->p, *q = ps->p + 1;

	while (q < ps->end && *q != '\'' && *q != '\n' && *q != '\r')
		q++;
	if (q >= ps->end || *q != '\'')
		return toml_fail(ps, open, "unterminated string (a single-line string ends at the end of its line)");
	*s = open + 1;
	*n = (size_t)(q - open - 1);
	ps->p = q + 1;
	return 0;
}

/*
 * The end of a multi-line string at a run of quotes: up to two quotes may
 * stand right before the closing three, so a run of 3 to 5 closes the
 * string and its first 0 to 2 quotes are content; a longer run is an
 * error. `*closes` says whether the run closed the string.
 */
static int ml_quotes(int *closes, struct toml_parser *ps, struct cl_buf *dst, char q)
{
	const char *s = ps->p;
	size_t run = 0;

	while (ps->p < ps->end && *ps->p == q) {
		ps->p++;
		run++;
	}
	if (run >= 6)
		return toml_fail(ps, s + 5, "too many quotes: a multi-line string ends with at most five");
	*closes = run >= 3;
	return cl_buf_put(dst, s, run >= 3 ? run - 3 : run);
}

/* Skip the newline right after an opening """ or '''. */
static void ml_skip_first_newline(struct toml_parser *ps)
{
	if (ps->p < ps->end && *ps->p == '\n')
		ps->p++;
	else if (ps->end - ps->p >= 2 && ps->p[0] == '\r' && ps->p[1] == '\n')
		ps->p += 2;
}

/* A multi-line basic string """...""" at the cursor, decoded into `dst`. */
static int parse_ml_basic(struct toml_parser *ps, struct cl_buf *dst)
{
	const char *open = ps->p;
	int error, closes;

	ps->p += 3;
	ml_skip_first_newline(ps);
	for (;;) {
		const char *s = ps->p;

		while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' && *ps->p != '\r')
			ps->p++;
		if ((error = cl_buf_put(dst, s, (size_t)(ps->p - s))) < 0)
			return error;
		if (ps->p >= ps->end)
			return toml_fail(ps, open, "unterminated multi-line string");
		if (*ps->p == '\r') {
			/* CRLF (the encoding pass saw to the LF) becomes LF */
			ps->p += 2;
			if ((error = cl_buf_putc(dst, '\n')) < 0)
				return error;
		} else if (*ps->p == '"') {
			if ((error = ml_quotes(&closes, ps, dst, '"')) < 0)
				return error;
			if (closes)
				return 0;
		} else {
			/* a line-ending backslash: blanks, then a newline, trims up to the next text */
			const char *q = ps->p + 1;

			while (q < ps->end && (*q == ' ' || *q == '\t'))
				q++;
			if (q < ps->end && (*q == '\n' || *q == '\r')) {
				while (q < ps->end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
					q++;
				ps->p = q;
			} else if ((error = parse_escape(ps, dst)) < 0) {
				return error;
			}
		}
	}
}

/* A multi-line literal string '''...''' at the cursor, into `dst`. */
static int parse_ml_literal(struct toml_parser *ps, struct cl_buf *dst)
{
	const char *open = ps->p;
	int error, closes;

	ps->p += 3;
	ml_skip_first_newline(ps);
	for (;;) {
		const char *s = ps->p;

		while (ps->p < ps->end && *ps->p != '\'' && *ps->p != '\r')
			ps->p++;
		if ((error = cl_buf_put(dst, s, (size_t)(ps->p - s))) < 0)
			return error;
		if (ps->p >= ps->end)
			return toml_fail(ps, open, "unterminated multi-line string");
		if (*ps->p == '\r') {
			ps->p += 2;
			if ((error = cl_buf_putc(dst, '\n')) < 0)
				return error;
		} else {
			if ((error = ml_quotes(&closes, ps, dst, '\'')) < 0)
				return error;
			if (closes)
				return 0;
		}
	}
}

/* ---- 6. integers, floats, booleans, dates and times ---------------------- */

/* A tagged scalar, {"type": type, "value": text}. */
static int tagged_new(json_t **out, const char *type, const char *text, size_t len)
{
	json_t *o = json_object();

	/* json_object_set_new() takes its value's reference even when it fails */
	if (!o || json_object_set_new_nocheck(o, "type", json_string_nocheck(type)) < 0 ||
	    json_object_set_new_nocheck(o, "value", json_stringn_nocheck(text, len)) < 0) {
		json_decref(o);
		return toml_oom();
	}
	*out = o;
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Characters a number, a boolean, inf/nan or a date/time can be made of. */
static int is_token_char(unsigned char c)
{
	return is_bare_key_char(c) || c == '+' || c == '.' || c == ':';
}

/*
 * Digits of `base` with single underscores between them, from s[i]; the
 * index after them. s[i] itself must be a digit or nothing is taken.
 */
static size_t scan_digits(const char *s, size_t i, size_t n, int base)
{
	size_t j = i;

	while (j < n) {
		int v = hex_value((unsigned char)s[j]);

		if (v >= 0 && v < base) {
			j++;
		} else if (s[j] == '_' && j > i && j + 1 < n) {
			int w = hex_value((unsigned char)s[j + 1]);

			if (w < 0 || w >= base)
				break;
			j++;
		} else {
			break;
		}
	}
	return j;
}

static int make_int(json_t **out, struct toml_parser *ps, int64_t v)
{
	if (ps->flags & CL_TOML_TAGGED) {
		char text[32];
		int n = snprintf(text, sizeof(text), "%" PRId64, v);

		return tagged_new(out, "integer", text, (size_t)n);
	}
	*out = json_integer((json_int_t)v);
	return *out ? 0 : toml_oom();
}

/* 0x, 0o and 0b integers: no sign, leading zeros allowed, 0..INT64_MAX. */
static int parse_radix(json_t **out, struct toml_parser *ps, const char *s, size_t n)
{
	int base = s[1] == 'x' ? 16 : s[1] == 'o' ? 8 : 2;
	uint64_t v = 0;
	size_t i, j = scan_digits(s, 2, n, base);
	char shown[64];

	if (j == 2 || j != n) {
		toml_show(shown, sizeof(shown), s, n);
		return toml_fail(ps, s, "invalid %s integer '%s'",
				 base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary", shown);
	}
	for (i = 2; i < n; i++) {
		int d = hex_value((unsigned char)s[i]);

		if (d < 0)
			continue;   /* an underscore */
		if (v > ((uint64_t)INT64_MAX - (uint64_t)d) / (uint64_t)base) {
			toml_show(shown, sizeof(shown), s, n);
			return toml_fail(ps, s, "integer '%s' does not fit in 64 bits", shown);
		}
		v = v * (uint64_t)base + (uint64_t)d;
	}
	return make_int(out, ps, (int64_t)v);
}

/* The thread's C locale, so that "1.5" reads the same whatever setlocale() did. */
static int c_locale(locale_t *out, struct toml_parser *ps)
{
	if (ps->c_locale == (locale_t)0) {
		ps->c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
		if (ps->c_locale == (locale_t)0)
			return cl_error_from_errno("cannot make the C locale for reading floats");
	}
	*out = ps->c_locale;
	return 0;
}

/* A float already known to match the grammar; `s` is NUL-free, n bytes. */
static int make_float(json_t **out, struct toml_parser *ps, const char *s, size_t n)
{
	locale_t loc = (locale_t)0, old;
	char *endp, shown[64];
	const char *text;
	double v;
	size_t i;
	int error;

	cl_buf_clear(&ps->scratch);
	for (i = 0; i < n; i++)
		if (s[i] != '_' && (error = cl_buf_putc(&ps->scratch, s[i])) < 0)
			return error;
	text = cl_buf_cstr(&ps->scratch);
	if ((error = c_locale(&loc, ps)) < 0)
		return error;
	old = uselocale(loc);
	errno = 0;
	v = strtod(text, &endp);
	uselocale(old);
	if (endp != text + ps->scratch.size)
		CL_BUG("strtod disagrees with the TOML float grammar");
	if (errno == ERANGE && isinf(v)) {
		toml_show(shown, sizeof(shown), s, n);
		return toml_fail(ps, s, "float '%s' is out of range", shown);
	}
	if (ps->flags & CL_TOML_TAGGED)
		return tagged_new(out, "float", text, ps->scratch.size);
	*out = json_real(v);
	return *out ? 0 : toml_oom();
}

/* Decimal integers and floats, with an optional sign. */
static int parse_decimal(json_t **out, struct toml_parser *ps, const char *s, size_t n)
{
	size_t i = 0, j, k;
	int neg = 0;
	char shown[64];

	toml_show(shown, sizeof(shown), s, n);
	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		i = 1;
	}
	j = scan_digits(s, i, n, 10);
	if (j == i)
		return toml_fail(ps, s, "invalid value '%s'", shown);
	if (s[i] == '0' && j - i > 1)
		return toml_fail(ps, s, "leading zeros are not allowed: '%s'", shown);
	if (j == n) {
		uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;

		for (k = i; k < n; k++) {
			uint64_t d;

			if (s[k] == '_')
				continue;
			d = (uint64_t)(s[k] - '0');
			if (v > (limit - d) / 10)
				return toml_fail(ps, s, "integer '%s' does not fit in 64 bits", shown);
			v = v * 10 + d;
		}
		if (neg)
			return make_int(out, ps, v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v);
		return make_int(out, ps, (int64_t)v);
	}
	if (s[j] == '.') {
		k = scan_digits(s, j + 1, n, 10);
		if (k == j + 1)
			return toml_fail(ps, s, "invalid float '%s': a digit must follow the point", shown);
		j = k;
	}
	if (j < n && (s[j] == 'e' || s[j] == 'E')) {
		j++;
		if (j < n && (s[j] == '+' || s[j] == '-'))
			j++;
		k = scan_digits(s, j, n, 10);
		if (k == j)
			return toml_fail(ps, s, "invalid float '%s': a digit must follow the exponent mark", shown);
		j = k;
	}
	if (j != n)
		return toml_fail(ps, s, "invalid value '%s'", shown);
	return make_float(out, ps, s, n);
}

/* Two digits at s (bounds checked by the caller), or -1. */
static int two_digits(const char *s)
{
	if (!is_digit(s[0]) || !is_digit(s[1]))
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* HH:MM:SS[.fraction] at s[*i]; advances *i. 0, or -1 when it is not one. */
static int scan_time(const char *s, size_t n, size_t *i)
{
	size_t j = *i;
	int h, m, sec;

	if (n - j < 8 || s[j + 2] != ':' || s[j + 5] != ':')
		return -1;
	h = two_digits(s + j);
	m = two_digits(s + j + 3);
	sec = two_digits(s + j + 6);
	/* 60: RFC 3339 leap seconds */
	if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60)
		return -1;
	j += 8;
	if (j < n && s[j] == '.') {
		j++;
		if (j >= n || !is_digit(s[j]))
			return -1;
		while (j < n && is_digit(s[j]))
			j++;
	}
	*i = j;
	return 0;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/*
 * Offset date-time, local date-time, local date or local time, validated
 * against the calendar. The value is the text with the date/time
 * separator as "T" and a "z" offset as "Z".
 */
static int parse_datetime(json_t **out, struct toml_parser *ps, const char *s, size_t n)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char *type;
	char shown[64];
	size_t i = 0, j;
	int error;

	toml_show(shown, sizeof(shown), s, n);
	if (n >= 5 && s[4] == '-') {
		int y, mo, d;

		if (n < 10 || s[7] != '-' || two_digits(s) < 0 || two_digits(s + 2) < 0)
			return toml_fail(ps, s, "invalid date '%s'", shown);
		y = two_digits(s) * 100 + two_digits(s + 2);
		mo = two_digits(s + 5);
		d = two_digits(s + 8);
		if (mo < 1 || mo > 12 || d < 1)
			return toml_fail(ps, s, "invalid date '%s'", shown);
		if (d > mdays[mo - 1] + (mo == 2 && is_leap(y)))
			return toml_fail(ps, s, "invalid date '%s': no such day", shown);
		i = 10;
		if (i == n) {
			type = "date-local";
		} else {
			if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
				return toml_fail(ps, s, "invalid date-time '%s'", shown);
			i++;
			if (scan_time(s, n, &i) < 0)
				return toml_fail(ps, s, "invalid date-time '%s'", shown);
			if (i == n) {
				type = "datetime-local";
			} else if (s[i] == 'Z' || s[i] == 'z') {
				type = "datetime";
				i++;
			} else if ((s[i] == '+' || s[i] == '-') && n - i >= 6 && s[i + 3] == ':' &&
				   two_digits(s + i + 1) >= 0 && two_digits(s + i + 1) <= 23 &&
				   two_digits(s + i + 4) >= 0 && two_digits(s + i + 4) <= 59) {
				type = "datetime";
				i += 6;
			} else {
				return toml_fail(ps, s, "invalid date-time '%s'", shown);
			}
			if (i != n)
				return toml_fail(ps, s, "invalid date-time '%s'", shown);
		}
	} else {
		if (scan_time(s, n, &i) < 0 || i != n)
			return toml_fail(ps, s, "invalid time '%s'", shown);
		type = "time-local";
	}

	cl_buf_clear(&ps->scratch);
	if ((error = cl_buf_put(&ps->scratch, s, n)) < 0)
		return error;
	if (n > 10 && s[4] == '-')
		ps->scratch.ptr[10] = 'T';
	j = ps->scratch.size - 1;
	if (ps->scratch.ptr[j] == 'z')
		ps->scratch.ptr[j] = 'Z';
	if (ps->flags & CL_TOML_TAGGED)
		return tagged_new(out, type, ps->scratch.ptr, ps->scratch.size);
	*out = json_stringn_nocheck(ps->scratch.ptr, ps->scratch.size);
	return *out ? 0 : toml_oom();
}

/* inf and nan: no JSON real can hold them, so they are strings (toml.h). */
static int make_special(json_t **out, struct toml_parser *ps, const char *s, size_t n)
{
	const char *text = s[n - 1] == 'n' ? "nan" : s[0] == '-' ? "-inf" : "inf";

	if (ps->flags & CL_TOML_TAGGED)
		return tagged_new(out, "float", text, strlen(text));
	*out = json_string_nocheck(text);
	return *out ? 0 : toml_oom();
}

/* A bare value at the cursor: boolean, number, inf/nan, date or time. */
static int parse_token(json_t **out, struct toml_parser *ps)
{
	const char *s = ps->p, *e = ps->p;
	size_t n;
	char shown[64];

	while (e < ps->end && is_token_char((unsigned char)*e))
		e++;
	/* "1979-05-27 07:32:00": a space may stand for the T of a date-time */
	if (e - s == 10 && s[4] == '-' && s[7] == '-' && ps->end - e >= 4 &&
	    e[0] == ' ' && is_digit(e[1]) && is_digit(e[2]) && e[3] == ':') {
		e++;
		while (e < ps->end && is_token_char((unsigned char)*e))
			e++;
	}
	n = (size_t)(e - s);
	if (n == 0)
		return toml_expected(ps, s, "a value");
	ps->p = e;
	if ((n == 4 && memcmp(s, "true", 4) == 0) || (n == 5 && memcmp(s, "false", 5) == 0)) {
		if (ps->flags & CL_TOML_TAGGED)
			return tagged_new(out, "bool", s, n);
		*out = json_boolean(n == 4);
		return 0;
	}
	if ((n == 3 && (memcmp(s, "inf", 3) == 0 || memcmp(s, "nan", 3) == 0)) ||
	    (n == 4 && (s[0] == '+' || s[0] == '-') &&
	     (memcmp(s + 1, "inf", 3) == 0 || memcmp(s + 1, "nan", 3) == 0)))
		return make_special(out, ps, s, n);
	if ((n >= 3 && is_digit(s[0]) && is_digit(s[1]) && s[2] == ':') ||
	    (n >= 5 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) &&
	     s[4] == '-'))
		return parse_datetime(out, ps, s, n);
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b'))
		return parse_radix(out, ps, s, n);
	if (is_digit(s[0]) || ((s[0] == '+' || s[0] == '-') && n > 1 && is_digit(s[1])))
		return parse_decimal(out, ps, s, n);
	toml_show(shown, sizeof(shown), s, n);
	return toml_fail(ps, s, "invalid value '%s'", shown);
}

/* ---- 7. values, arrays and inline tables --------------------------------- */

static int parse_value(json_t **out, struct toml_parser *ps, unsigned int depth);
static int parse_keyval(struct toml_parser *ps, json_t *table, unsigned int depth,
			uint32_t section);

/* Blanks, newlines and comments, as allowed between array elements. */
static void skip_ws_comments_newlines(struct toml_parser *ps)
{
	while (ps->p < ps->end) {
		char c = *ps->p;

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			ps->p++;   /* a CR is always followed by LF here (encoding pass) */
		} else if (c == '#') {
			const char *nl = memchr(ps->p, '\n', (size_t)(ps->end - ps->p));

			ps->p = nl ? nl : ps->end;
		} else {
			break;
		}
	}
}

static int parse_array(json_t **out, struct toml_parser *ps, unsigned int depth)
{
	const char *open = ps->p;
	json_t *arr = json_array(), *v = NULL;
	int error = 0;

	if (!arr)
		return toml_oom();
	ps->p++;
	for (;;) {
		skip_ws_comments_newlines(ps);
		if (ps->p >= ps->end) {
			error = toml_fail(ps, open, "unterminated array");
			goto done;
		}
		if (*ps->p == ']')
			break;
		if ((error = parse_value(&v, ps, depth + 1)) < 0)
			goto done;
		if (json_array_append_new(arr, v) < 0) {
			error = toml_oom();
			goto done;
		}
		skip_ws_comments_newlines(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']')
			break;
		if (ps->p >= ps->end)
			error = toml_fail(ps, open, "unterminated array");
		else
			error = toml_expected(ps, ps->p, "',' or ']' in array");
		goto done;
	}
	ps->p++;
	*out = arr;
	arr = NULL;
done:
	json_decref(arr);
	return error;
}

/*
 * { k = v, ... } on one line, no trailing comma (both TOML 1.1 changes).
 * Dotted keys inside it make tables that only this inline table's own
 * key/values may extend, so it gets a section of its own; nothing outside
 * may add to it afterwards, which holds because the inline table itself
 * is never entered in the bookkeeping map.
 */
static int parse_inline_table(json_t **out, struct toml_parser *ps, unsigned int depth)
{
	const char *open = ps->p;
	json_t *t = json_object();
	uint32_t section = ++ps->next_section;
	int error = 0, first = 1;

	if (!t)
		return toml_oom();
	ps->p++;
	for (;;) {
		skip_ws(ps);
		if (ps->p >= ps->end) {
			error = toml_fail(ps, open, "unterminated inline table");
			goto done;
		}
		if (*ps->p == '\n' || *ps->p == '\r' || *ps->p == '#') {
			error = toml_fail(ps, ps->p, "inline table must be on one line (no newline or comment in it)");
			goto done;
		}
		if (*ps->p == '}') {
			if (!first) {
				error = toml_fail(ps, ps->p, "trailing comma in inline table (not allowed in TOML 1.0)");
				goto done;
			}
			break;   /* {} */
		}
		first = 0;
		if ((error = parse_keyval(ps, t, depth, section)) < 0)
			goto done;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}')
			break;
		if (ps->p >= ps->end)
			error = toml_fail(ps, open, "unterminated inline table");
		else if (*ps->p == '\n' || *ps->p == '\r' || *ps->p == '#')
			error = toml_fail(ps, ps->p, "inline table must be on one line (no newline or comment in it)");
		else
			error = toml_expected(ps, ps->p, "',' or '}' in inline table");
		goto done;
	}
	ps->p++;
	*out = t;
	t = NULL;
done:
	json_decref(t);
	return error;
}

/* A string value; multi-line and escaped ones go through ps->scratch. */
static int parse_string_value(json_t **out, struct toml_parser *ps)
{
	const char *s;
	size_t n;
	int error;

	cl_buf_clear(&ps->scratch);
	if (ps->end - ps->p >= 3 && ps->p[1] == ps->p[0] && ps->p[2] == ps->p[0]) {
		error = ps->p[0] == '"' ? parse_ml_basic(ps, &ps->scratch)
					: parse_ml_literal(ps, &ps->scratch);
		if (error < 0)
			return error;
		s = cl_buf_cstr(&ps->scratch);
		n = ps->scratch.size;
	} else if (*ps->p == '\'') {
		if ((error = parse_literal(&s, &n, ps)) < 0)
			return error;
	} else {
		/* the common case, no escape: straight from the document */
		const char *q = ps->p + 1;

		while (q < ps->end && *q != '"' && *q != '\\' && *q != '\n' && *q != '\r')
			q++;
		if (q < ps->end && *q == '"') {
			s = ps->p + 1;
			n = (size_t)(q - s);
			ps->p = q + 1;
		} else {
			if ((error = parse_basic(ps, &ps->scratch)) < 0)
				return error;
			s = cl_buf_cstr(&ps->scratch);
			n = ps->scratch.size;
		}
	}
	if (ps->flags & CL_TOML_TAGGED)
		return tagged_new(out, "string", s, n);
	*out = json_stringn_nocheck(s, n);
	return *out ? 0 : toml_oom();
}

/* Any value at the cursor; `depth` is its depth in the tree (root: 0). */
static int parse_value(json_t **out, struct toml_parser *ps, unsigned int depth)
{
	if (depth > ps->max_depth)
		return toml_fail(ps, ps->p, "nesting deeper than %u levels", ps->max_depth);
	if (ps->p >= ps->end || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '#')
		return toml_expected(ps, ps->p, "a value");
	switch (*ps->p) {
	case '"':
	case '\'':
		return parse_string_value(out, ps);
	case '[':
		return parse_array(out, ps, depth);
	case '{':
		return parse_inline_table(out, ps, depth);
	default:
		return parse_token(out, ps);
	}
}

/* ---- 8. key/value lines, table headers, the document --------------------- */

/* What a key or header was doing when it met a closed node (for why_closed). */
enum toml_ctx {
	CTX_DOTTED,     /* a dotted key walking through */
	CTX_HEADER,     /* a [header] walking through or defining */
	CTX_APPEND      /* a [[header]] appending */
};

/*
 * Why `child`, met on the way to a key, cannot be opened or extended: the
 * tail of a message, from ": " on.
 */
static const char *why_closed(const struct toml_parser *ps, const json_t *child,
			      enum toml_ctx ctx)
{
	const struct toml_meta *m = meta_find(ps, child);

	if (json_is_object(child)) {
		if (!m)
			return ": it is an inline table, which cannot be extended";
		if (ctx == CTX_APPEND)
			return ": it is a table, not an array of tables";
		if (ctx == CTX_HEADER)
			return ": it is already defined";
		if (m->kind == KIND_DEFINED)
			return ": it is a table defined by a [header], which dotted keys cannot extend";
		return ": dotted keys of an earlier section made it, and closed it after that section";
	}
	if (json_is_array(child)) {
		if (!m)
			return ": it is a static array, which cannot be extended";
		return ctx == CTX_DOTTED ? ": it is an array of tables, which dotted keys cannot extend"
					 : ": it is an array of tables";
	}
	return ": it is already a value";
}

/*
 * key = value, into `table` (at `depth`). Dotted keys walk or make tables
 * of kind KIND_DOTTED that belong to `section`; an implicit table (made by
 * a header path) that they walk through becomes theirs, as later headers
 * may then no longer define it.
 */
static int parse_keyval(struct toml_parser *ps, json_t *table, unsigned int depth,
			uint32_t section)
{
	size_t first, last, i;
	json_t *t = table, *v = NULL;
	char path[256];
	int error;

	if ((error = parse_key(&first, ps, depth)) < 0)
		return error;
	last = ps->nparts - 1;
	if (ps->p >= ps->end || *ps->p != '=') {
		char found[32];

		toml_path(ps, first, last, path, sizeof(path));
		toml_found(ps, ps->p, found, sizeof(found));
		return toml_fail(ps, ps->p, "expected '=' after key '%s', found %s", path, found);
	}
	ps->p++;
	skip_ws(ps);

	for (i = first; i < last; i++) {
		const struct toml_part *part = &ps->parts[i];
		json_t *child = json_object_getn(t, ps->keys.ptr + part->off, part->len);
		struct toml_meta *m;

		if (!child) {
			if ((error = table_add(&child, ps, t, part, KIND_DOTTED, section)) < 0)
				return error;
		} else {
			m = json_is_object(child) ? meta_find(ps, child) : NULL;
			if (m && m->kind == KIND_IMPLICIT) {
				m->kind = KIND_DOTTED;
				m->section = section;
			} else if (!m || m->kind != KIND_DOTTED || m->section != section) {
				toml_path(ps, first, i, path, sizeof(path));
				return toml_fail(ps, part->at, "cannot add keys to '%s'%s",
						 path, why_closed(ps, child, CTX_DOTTED));
			}
		}
		t = child;
	}
	if (json_object_getn(t, ps->keys.ptr + ps->parts[last].off, ps->parts[last].len)) {
		toml_path(ps, first, last, path, sizeof(path));
		return toml_fail(ps, ps->parts[last].at, "duplicate key '%s'", path);
	}
	if ((error = parse_value(&v, ps, depth + (unsigned int)(last - first + 1))) < 0)
		return error;
	/* the value's own keys were pushed and popped above ours: offsets still hold */
	if (json_object_setn_new_nocheck(t, ps->keys.ptr + ps->parts[last].off,
					 ps->parts[last].len, v) < 0)
		return toml_oom();
	key_pop(ps, first);
	return 0;
}

/* After a value or a header: blanks, then a comment, a newline or the end. */
static int expect_eol(struct toml_parser *ps, const char *after)
{
	char what[64];

	skip_ws(ps);
	if (ps->p >= ps->end)
		return 0;
	if (*ps->p == '#') {
		const char *nl = memchr(ps->p, '\n', (size_t)(ps->end - ps->p));

		ps->p = nl ? nl + 1 : ps->end;
		return 0;
	}
	if (*ps->p == '\n') {
		ps->p++;
		return 0;
	}
	if (*ps->p == '\r') {
		ps->p += 2;   /* CRLF: the encoding pass saw to the LF */
		return 0;
	}
	snprintf(what, sizeof(what), "a newline after %s", after);
	return toml_expected(ps, ps->p, what);
}

/*
 * [a.b.c] or [[a.b.c]]: walk from the root, making implicit tables, and
 * make ps->table the named table (or the new last element).
 */
static int parse_header(struct toml_parser *ps)
{
	const char *open = ps->p;
	int aot = 0, error;
	size_t first, last, i;
	unsigned int depth = 0;
	json_t *t = ps->root, *child;
	struct toml_meta *m;
	char path[256];

	ps->p++;
	if (ps->p < ps->end && *ps->p == '[') {
		aot = 1;
		ps->p++;
	}
	skip_ws(ps);
	if ((error = parse_key(&first, ps, 0)) < 0)
		return error;
	last = ps->nparts - 1;
	if (ps->p >= ps->end || *ps->p != ']')
		return toml_expected(ps, ps->p, aot ? "']]' to close the header" : "']' to close the header");
	ps->p++;
	if (aot) {
		if (ps->p >= ps->end || *ps->p != ']')
			return toml_expected(ps, ps->p, "']]' to close the header");
		ps->p++;
	}
	if ((error = expect_eol(ps, "the header")) < 0)
		return error;

	for (i = first; i <= last; i++) {
		const struct toml_part *part = &ps->parts[i];
		/* set when the header cannot go on: "HEAD'a.b'TAIL" */
		const char *head = NULL, *tail = "", *at = open;

		child = json_object_getn(t, ps->keys.ptr + part->off, part->len);
		m = child ? meta_find(ps, child) : NULL;
		if (i < last) {
			if (!child) {
				if ((error = table_add(&child, ps, t, part, KIND_IMPLICIT, 0)) < 0)
					return error;
			} else if (json_is_array(child) && m && m->kind == KIND_AOT) {
				/* [[a]] then [a.b]: b goes into the last element of a */
				child = json_array_get(child, json_array_size(child) - 1);
				depth++;
			} else if (!json_is_object(child) || !m) {
				head = "cannot open table ";
				tail = why_closed(ps, child, CTX_HEADER);
				at = part->at;
			}
		} else if (!aot) {
			if (!child) {
				if ((error = table_add(&child, ps, t, part, KIND_DEFINED, 0)) < 0)
					return error;
			} else if (json_is_object(child) && m && m->kind == KIND_IMPLICIT) {
				m->kind = KIND_DEFINED;
			} else if (json_is_object(child) && m && m->kind == KIND_DEFINED) {
				head = "table ";
				tail = " defined twice";
			} else if (json_is_object(child) && m) {
				head = "table ";
				tail = " already defined by dotted keys";
			} else {
				head = "cannot define table ";
				tail = why_closed(ps, child, CTX_HEADER);
			}
		} else if (!child) {
			child = json_array();
			if (!child || json_object_setn_new_nocheck(t, ps->keys.ptr + part->off,
								   part->len, child) < 0)
				return toml_oom();
			if ((error = meta_add(ps, child, KIND_AOT, 0)) < 0)
				return error;
		} else if (!json_is_array(child) || !m) {
			head = "cannot append with [[...]] to ";
			tail = why_closed(ps, child, CTX_APPEND);
		}
		if (head) {
			toml_path(ps, first, i, path, sizeof(path));
			return toml_fail(ps, at, "%s'%s'%s", head, path, tail);
		}
		if (i == last && aot) {
			json_t *elem = json_object();

			depth++;   /* the array */
			if (!elem || json_array_append_new(child, elem) < 0)
				return toml_oom();
			if ((error = meta_add(ps, elem, KIND_DEFINED, 0)) < 0)
				return error;
			child = elem;
		}
		t = child;
		depth++;
		if (depth > ps->max_depth)
			return toml_fail(ps, part->at, "nesting deeper than %u levels", ps->max_depth);
	}
	key_pop(ps, first);
	ps->table = t;
	ps->table_depth = depth;
	ps->section = ++ps->next_section;
	return 0;
}

static int parse_document(struct toml_parser *ps)
{
	int error;

	while (ps->p < ps->end) {
		skip_ws(ps);
		if (ps->p >= ps->end)
			break;
		switch (*ps->p) {
		case '#':
		case '\n':
		case '\r':
			if ((error = expect_eol(ps, "a comment")) < 0)
				return error;
			break;
		case '[':
			if ((error = parse_header(ps)) < 0)
				return error;
			break;
		default:
			if ((error = parse_keyval(ps, ps->table, ps->table_depth, ps->section)) < 0 ||
			    (error = expect_eol(ps, "the value")) < 0)
				return error;
			break;
		}
	}
	return 0;
}

int cl_toml_parse_ext(json_t **out, const struct cl_toml_options *opts,
		      const char *data, size_t len, const char *name)
{
	struct cl_toml_options defaults = CL_TOML_OPTIONS_INIT;
	struct toml_parser ps;
	int error;

	assert(out);
	assert(data || len == 0);
	if (!opts)
		opts = &defaults;
	if (!name)
		name = "<toml>";
	if (opts->max_size && len > opts->max_size)
		return cl_error_setc(CL_ETOOBIG, "%s: document of %zu bytes is over the limit of %zu",
				     name, len, opts->max_size);

	memset(&ps, 0, sizeof(ps));
	ps.name = name;
	ps.doc = ps.start = ps.p = data ? data : "";
	ps.end = ps.start + len;
	ps.flags = opts->flags;
	ps.max_depth = opts->max_depth ? opts->max_depth : CL_TOML_MAX_DEPTH_DEFAULT;
	ps.c_locale = (locale_t)0;
	/* decoded text is never longer than the text it came from */
	cl_buf_init(&ps.keys, len + 1);
	cl_buf_init(&ps.scratch, len + 1);

	if (len >= 3 && memcmp(ps.start, "\xEF\xBB\xBF", 3) == 0)
		ps.start = ps.p = ps.start + 3;
	if ((error = toml_check_text(&ps)) < 0)
		goto done;
	ps.root = json_object();
	if (!ps.root) {
		error = toml_oom();
		goto done;
	}
	ps.table = ps.root;
	ps.section = ++ps.next_section;
	if ((error = parse_document(&ps)) < 0)
		goto done;
	*out = ps.root;
	ps.root = NULL;
done:
	json_decref(ps.root);
	free(ps.meta);
	free(ps.parts);
	cl_buf_dispose(&ps.keys);
	cl_buf_dispose(&ps.scratch);
	if (ps.c_locale != (locale_t)0)
		freelocale(ps.c_locale);
	return error;
}

int cl_toml_parse(json_t **out, const char *data, size_t len, const char *name)
{
	return cl_toml_parse_ext(out, NULL, data, len, name);
}
