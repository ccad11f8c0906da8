/*
 * spdx.c - SPDX license expressions against the compiled-in SPDX list.
 *
 * Divisions: the list (lookup); the lexer; the parser; printing and walking;
 * validation; policy matching (satisfies).
 *
 * Trees are n-ary: a run of one operator ("A OR B OR C", or "(A OR B) OR C")
 * is one node with three children, so a long chain of ANDs costs no
 * recursion depth, and only parentheses (at most CL_SPDX_MAX_DEPTH) nest.
 * Every recursive function below therefore recurses at most about
 * CL_SPDX_MAX_DEPTH + 2 times, whatever the input.
 */
#define CL_SPDX_TABLE_INTERNAL
#include "spdx.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the list --------------------------------------------------------- */

static int fold(int c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

/*
 * ASCII case folding, independent of the locale (strcasecmp is not). Must
 * order exactly as tools/spdx-gen.c's fold_cmp, which sorted the tables.
 */
static int spdx_casecmp(const char *a, const char *b)
{
	while (*a && fold((unsigned char)*a) == fold((unsigned char)*b)) {
		a++;
		b++;
	}
	return fold((unsigned char)*a) - fold((unsigned char)*b);
}

static int spdx_caseeq_n(const char *a, const char *b, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (fold((unsigned char)a[i]) != fold((unsigned char)b[i]) || !b[i])
			return 0;
	return 1;
}

/*
 * Binary search over one of the generated tables. Both entry types start
 * with `const char *id`, so an entry's address is its id's address.
 */
static const void *spdx_bsearch(const void *table, size_t count, size_t stride, const char *key)
{
	size_t lo = 0, hi = count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const void *entry = (const char *)table + mid * stride;
		int c = spdx_casecmp(key, *(const char *const *)entry);

		if (c == 0)
			return entry;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct cl_spdx_license *cl_spdx_license_find(const char *id)
{
	if (!id)
		return NULL;
	return spdx_bsearch(cl_spdx__licenses, cl_spdx__license_count,
		sizeof(cl_spdx__licenses[0]), id);
}

const struct cl_spdx_exception *cl_spdx_exception_find(const char *id)
{
	if (!id)
		return NULL;
	return spdx_bsearch(cl_spdx__exceptions, cl_spdx__exception_count,
		sizeof(cl_spdx__exceptions[0]), id);
}

size_t cl_spdx_license_count(void)
{
	return cl_spdx__license_count;
}

const struct cl_spdx_license *cl_spdx_license_at(size_t i)
{
	return i < cl_spdx__license_count ? &cl_spdx__licenses[i] : NULL;
}

size_t cl_spdx_exception_count(void)
{
	return cl_spdx__exception_count;
}

const struct cl_spdx_exception *cl_spdx_exception_at(size_t i)
{
	return i < cl_spdx__exception_count ? &cl_spdx__exceptions[i] : NULL;
}

const char *cl_spdx_list_source(void)
{
	return cl_spdx__source;
}

/* ---- the tree --------------------------------------------------------- */

enum spdx_node {
	SPDX_LEAF = 0,
	SPDX_AND,
	SPDX_OR
};

struct cl_spdx_expr {
	enum spdx_node kind;
	/* SPDX_LEAF: "id[+] [WITH exception]" */
	char *id;              /* canonical spelling, no '+' */
	char *exception;       /* canonical spelling, or NULL */
	int plus;
	int id_is_ref;         /* LicenseRef-/DocumentRef-: user-defined, always valid */
	int exception_is_ref;  /* AdditionRef- */
	size_t id_offset, exception_offset;
	/* SPDX_AND, SPDX_OR: two or more children, none of the same kind */
	struct cl_spdx_expr **children;
	size_t count;
};

void cl_spdx_expr_free(struct cl_spdx_expr *expr)
{
	size_t i;

	if (!expr)
		return;
	for (i = 0; i < expr->count; i++)
		cl_spdx_expr_free(expr->children[i]);
	free(expr->children);
	free(expr->id);
	free(expr->exception);
	free(expr);
}

/* ---- the lexer -------------------------------------------------------- */

enum spdx_tok {
	TOK_END = 0,
	TOK_LPAREN,
	TOK_RPAREN,
	TOK_WORD,     /* an id, a LicenseRef, ..., with `plus` for a trailing '+' */
	TOK_AND,
	TOK_OR,
	TOK_WITH
};

struct spdx_token {
	enum spdx_tok kind;
	size_t start, len;     /* the word, '+' excluded */
	int plus;
	int miscased;          /* an operator not written in upper case */
};

struct spdx_parser {
	const char *text;
	size_t len, pos;
	unsigned int flags;
	struct spdx_token tok;
	int last_was_simple;   /* the last operand was a bare id: WITH could follow */
};

static const struct {
	const char *word;
	enum spdx_tok kind;
} spdx_operators[] = {
	{ "AND", TOK_AND },
	{ "OR", TOK_OR },
	{ "WITH", TOK_WITH },
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_idchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '-' || c == '.';
}

/*
 * A printable, bounded copy of text for messages: at most ~40 bytes, bytes
 * outside printable ASCII as \xNN, so a hostile header cannot put escape
 * sequences on a pusher's terminal through our error text.
 */
static const char *show(char *dst, size_t size, const char *s, size_t n)
{
	size_t i, used = 0;

	dst[0] = '\0';
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int w;

		if (used >= 40) {
			snprintf(dst + used, size - used, "...");
			break;
		}
		if (c >= 0x20 && c < 0x7f)
			w = snprintf(dst + used, size - used, "%c", c);
		else
			w = snprintf(dst + used, size - used, "\\x%02x", c);
		if (w < 0 || (size_t)w >= size - used)
			break;
		used += (size_t)w;
	}
	return dst;
}

#define SHOW_SIZE 64

static int lex_error_char(struct spdx_parser *p, size_t at)
{
	char shown[SHOW_SIZE];
	char c = p->text[at];
	const char *hint = "";

	if (c == '/')
		hint = " (write ' OR ' between alternatives)";
	else if (c == ',' || c == ';' || c == '&' || c == '|')
		hint = " (combine licenses with AND or OR)";
	else if ((unsigned char)c >= 0x80)
		hint = " (SPDX expressions are plain ASCII; a pasted non-breaking space?)";
	else if (at > 0 && is_idchar(p->text[at - 1]))
		hint = " (an SPDX id has only letters, digits, '-' and '.')";
	return cl_error_setc(CL_EINVALID, "offset %zu: unexpected character '%s'%s",
		at, show(shown, sizeof(shown), &p->text[at], 1), hint);
}

/* Advance p->tok to the next token. */
static int lex_next(struct spdx_parser *p)
{
	struct spdx_token *t = &p->tok;
	const char *s = p->text;
	size_t i;

	while (p->pos < p->len && is_space(s[p->pos]))
		p->pos++;
	memset(t, 0, sizeof(*t));
	t->start = p->pos;
	if (p->pos == p->len) {
		t->kind = TOK_END;
		return 0;
	}
	if (s[p->pos] == '(' || s[p->pos] == ')') {
		t->kind = s[p->pos] == '(' ? TOK_LPAREN : TOK_RPAREN;
		t->len = 1;
		p->pos++;
		return 0;
	}
	if (s[p->pos] == '+')
		return cl_error_setc(CL_EINVALID,
			"offset %zu: '+' must directly follow a license id (\"GPL-2.0+\")", p->pos);
	/* ':' belongs to words here; only "DocumentRef-x:LicenseRef-y" may use it. */
	while (p->pos < p->len && (is_idchar(s[p->pos]) || s[p->pos] == ':'))
		p->pos++;
	if (p->pos == t->start)
		return lex_error_char(p, p->pos);
	t->kind = TOK_WORD;
	t->len = p->pos - t->start;
	if (p->pos < p->len && s[p->pos] == '+') {
		t->plus = 1;
		p->pos++;
		if (p->pos < p->len && (is_idchar(s[p->pos]) || s[p->pos] == ':' || s[p->pos] == '+'))
			return cl_error_setc(CL_EINVALID,
				"offset %zu: '+' may only end a license id", p->pos - 1);
		return 0;
	}
	for (i = 0; i < sizeof(spdx_operators) / sizeof(spdx_operators[0]); i++) {
		const char *w = spdx_operators[i].word;
		if (t->len == strlen(w) && spdx_caseeq_n(s + t->start, w, t->len)) {
			t->kind = spdx_operators[i].kind;
			t->miscased = memcmp(s + t->start, w, t->len) != 0;
			break;
		}
	}
	return 0;
}

static const char *op_word(enum spdx_tok kind)
{
	switch (kind) {
	case TOK_AND:
		return "AND";
	case TOK_OR:
		return "OR";
	case TOK_WITH:
		return "WITH";
	case TOK_LPAREN:
		return "(";
	default:
		CL_BUG("op_word: not an operator");
	}
}

/* Consume the operator in p->tok, which must be written in upper case unless LAX. */
static int take_operator(struct spdx_parser *p)
{
	if (p->tok.miscased && !(p->flags & CL_SPDX_PARSE_LAX)) {
		char shown[SHOW_SIZE];
		return cl_error_setc(CL_EINVALID, "offset %zu: operator '%s' must be upper case: '%s'",
			p->tok.start, show(shown, sizeof(shown), p->text + p->tok.start, p->tok.len),
			op_word(p->tok.kind));
	}
	return lex_next(p);
}

/* ---- the parser ------------------------------------------------------- */

/*
 * "expected a license id" in all its forms: `after` is the operator or '('
 * just consumed (TOK_END when at the start).
 */
static int expected_id(struct spdx_parser *p, enum spdx_tok after, const char *what)
{
	char shown[SHOW_SIZE];
	const struct spdx_token *t = &p->tok;

	if (after == TOK_END && t->kind == TOK_END)
		return cl_error_setc(CL_EINVALID, "offset %zu: empty expression", t->start);
	if (after == TOK_LPAREN && t->kind == TOK_RPAREN)
		return cl_error_setc(CL_EINVALID, "offset %zu: empty parentheses", t->start);
	if (t->kind == TOK_END)
		return cl_error_setc(CL_EINVALID, "offset %zu: expected %s after '%s'",
			t->start, what, op_word(after));
	show(shown, sizeof(shown), p->text + t->start, t->len ? t->len : 1);
	if (after == TOK_END)
		return cl_error_setc(CL_EINVALID, "offset %zu: expected %s, found '%s'",
			t->start, what, shown);
	return cl_error_setc(CL_EINVALID, "offset %zu: expected %s after '%s', found '%s'",
		t->start, what, op_word(after), shown);
}

static int node_new(struct cl_spdx_expr **out, enum spdx_node kind)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return cl_error_set("out of memory");
	(*out)->kind = kind;
	return 0;
}

static int prefixed(const char *s, size_t n, const char *prefix)
{
	size_t plen = strlen(prefix);
	return n >= plen && spdx_caseeq_n(s, prefix, plen);
}

/*
 * The canonical text of the word in p->tok, in `buf`: "DocumentRef-",
 * "LicenseRef-" and "AdditionRef-" in their canonical case; `*ref_kind` says
 * which reference it is (0 none, 'L' LicenseRef, 'A' AdditionRef).
 */
static int word_canonical(struct cl_buf *buf, int *ref_kind, struct spdx_parser *p)
{
	static const char *const refs[] = { "LicenseRef-", "AdditionRef-" };
	const char *w = p->text + p->tok.start, *colon;
	size_t n = p->tok.len, i, at = p->tok.start;
	char shown[SHOW_SIZE];
	int error;

	*ref_kind = 0;
	colon = memchr(w, ':', n);
	if (prefixed(w, n, "DocumentRef-")) {
		size_t doc = strlen("DocumentRef-");
		if (!colon)
			return cl_error_setc(CL_EINVALID,
				"offset %zu: expected ':LicenseRef-...' after '%s'",
				at + n, show(shown, sizeof(shown), w, n));
		if ((size_t)(colon - w) == doc)
			return cl_error_setc(CL_EINVALID,
				"offset %zu: 'DocumentRef-' needs an id after it", at);
		if ((error = cl_buf_puts(buf, "DocumentRef-")) < 0 ||
		    (error = cl_buf_put(buf, w + doc, (size_t)(colon - w) - doc)) < 0 ||
		    (error = cl_buf_putc(buf, ':')) < 0)
			return error;
		at += (size_t)(colon - w) + 1;
		n -= (size_t)(colon - w) + 1;
		w = colon + 1;
		colon = memchr(w, ':', n);
		if (colon)
			return cl_error_setc(CL_EINVALID,
				"offset %zu: a DocumentRef has one ':' only", at + (size_t)(colon - w));
		if (!prefixed(w, n, refs[0]) && !prefixed(w, n, refs[1]))
			return cl_error_setc(CL_EINVALID,
				"offset %zu: expected 'LicenseRef-' or 'AdditionRef-' after ':'", at);
	} else if (colon) {
		return cl_error_setc(CL_EINVALID,
			"offset %zu: ':' may only follow 'DocumentRef-...' (\"DocumentRef-x:LicenseRef-y\")",
			at + (size_t)(colon - w));
	}
	for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		size_t plen = strlen(refs[i]);
		if (!prefixed(w, n, refs[i]))
			continue;
		if (n == plen)
			return cl_error_setc(CL_EINVALID, "offset %zu: '%s' needs an id after it",
				at, refs[i]);
		*ref_kind = refs[i][0];
		if ((error = cl_buf_puts(buf, refs[i])) < 0)
			return error;
		return cl_buf_put(buf, w + plen, n - plen);
	}
	return cl_buf_put(buf, w, n);
}

static int copy_string(char **out, const struct cl_buf *buf)
{
	*out = malloc(buf->size + 1);
	if (!*out)
		return cl_error_set("out of memory");
	memcpy(*out, cl_buf_cstr(buf), buf->size + 1);
	return 0;
}

/* The license part of a leaf, from the word in p->tok. */
static int parse_license(struct cl_spdx_expr *leaf, struct spdx_parser *p)
{
	struct cl_buf buf = CL_BUF_INIT;
	char shown[SHOW_SIZE];
	int error, ref;

	if ((error = word_canonical(&buf, &ref, p)) < 0)
		goto done;
	if (ref == 'A') {
		error = cl_error_setc(CL_EINVALID,
			"offset %zu: '%s' names an exception; it may only follow WITH",
			p->tok.start, show(shown, sizeof(shown), buf.ptr, buf.size));
		goto done;
	}
	if (ref == 'L' && p->tok.plus) {
		error = cl_error_setc(CL_EINVALID, "offset %zu: '+' cannot follow a LicenseRef",
			p->tok.start + p->tok.len);
		goto done;
	}
	if (!ref) {
		const struct cl_spdx_license *lic = cl_spdx_license_find(buf.ptr);
		const struct cl_spdx_exception *exc = lic ? NULL : cl_spdx_exception_find(buf.ptr);
		if (lic || exc) {
			cl_buf_clear(&buf);
			if ((error = cl_buf_puts(&buf, lic ? lic->id : exc->id)) < 0)
				goto done;
		}
	}
	if ((error = copy_string(&leaf->id, &buf)) < 0)
		goto done;
	leaf->id_is_ref = ref == 'L';
	leaf->plus = p->tok.plus;
	leaf->id_offset = p->tok.start;
done:
	cl_buf_dispose(&buf);
	return error;
}

/* The exception part of a leaf (after WITH), from the word in p->tok. */
static int parse_exception(struct cl_spdx_expr *leaf, struct spdx_parser *p)
{
	struct cl_buf buf = CL_BUF_INIT;
	char shown[SHOW_SIZE];
	int error, ref;

	if ((error = word_canonical(&buf, &ref, p)) < 0)
		goto done;
	if (ref == 'L') {
		error = cl_error_setc(CL_EINVALID,
			"offset %zu: '%s' names a license; after WITH write an exception id or AdditionRef-...",
			p->tok.start, show(shown, sizeof(shown), buf.ptr, buf.size));
		goto done;
	}
	if (p->tok.plus) {
		error = cl_error_setc(CL_EINVALID, "offset %zu: '+' cannot follow an exception id",
			p->tok.start + p->tok.len);
		goto done;
	}
	if (!ref) {
		const struct cl_spdx_exception *exc = cl_spdx_exception_find(buf.ptr);
		const struct cl_spdx_license *lic = exc ? NULL : cl_spdx_license_find(buf.ptr);
		if (lic || exc) {
			cl_buf_clear(&buf);
			if ((error = cl_buf_puts(&buf, exc ? exc->id : lic->id)) < 0)
				goto done;
		}
	}
	if ((error = copy_string(&leaf->exception, &buf)) < 0)
		goto done;
	leaf->exception_is_ref = ref == 'A';
	leaf->exception_offset = p->tok.start;
done:
	cl_buf_dispose(&buf);
	return error;
}

static int parse_or(struct cl_spdx_expr **out, struct spdx_parser *p, unsigned int depth,
	enum spdx_tok after);

/* "(" or ")" or "id[+] [WITH exception]". `after`: what came before, for messages. */
static int parse_primary(struct cl_spdx_expr **out, struct spdx_parser *p, unsigned int depth,
	enum spdx_tok after)
{
	struct cl_spdx_expr *node = NULL;
	int error;

	if (p->tok.kind == TOK_LPAREN) {
		size_t open = p->tok.start;

		if (depth >= CL_SPDX_MAX_DEPTH) {
			error = cl_error_setc(CL_EINVALID,
				"offset %zu: parentheses nested deeper than %d", open, CL_SPDX_MAX_DEPTH);
			goto done;
		}
		if ((error = lex_next(p)) < 0 ||
		    (error = parse_or(&node, p, depth + 1, TOK_LPAREN)) < 0)
			goto done;
		if (p->tok.kind == TOK_END) {
			error = cl_error_setc(CL_EINVALID,
				"offset %zu: missing ')' for the '(' at offset %zu", p->tok.start, open);
			goto done;
		}
		/* parse_or stops only at END or ')': anything else is its error. */
		if ((error = lex_next(p)) < 0)
			goto done;
		if (p->tok.kind == TOK_WITH) {
			error = cl_error_setc(CL_EINVALID,
				"offset %zu: WITH must follow a single license id, not a parenthesized expression",
				p->tok.start);
			goto done;
		}
		p->last_was_simple = 0;
		*out = node;
		node = NULL;
		goto done;
	}
	if (p->tok.kind != TOK_WORD) {
		error = expected_id(p, after, "a license id");
		goto done;
	}
	if ((error = node_new(&node, SPDX_LEAF)) < 0 ||
	    (error = parse_license(node, p)) < 0 ||
	    (error = lex_next(p)) < 0)
		goto done;
	p->last_was_simple = 1;
	if (p->tok.kind == TOK_WITH) {
		if ((error = take_operator(p)) < 0)
			goto done;
		if (p->tok.kind != TOK_WORD) {
			error = expected_id(p, TOK_WITH, "an exception id");
			goto done;
		}
		if ((error = parse_exception(node, p)) < 0 || (error = lex_next(p)) < 0)
			goto done;
		if (p->tok.kind == TOK_WITH) {
			error = cl_error_setc(CL_EINVALID,
				"offset %zu: a license takes one WITH exception at most", p->tok.start);
			goto done;
		}
		p->last_was_simple = 0;
	}
	*out = node;
	node = NULL;
done:
	cl_spdx_expr_free(node);
	return error;
}

/* Append `child` to `node`, splicing a child of the same kind: (A OR B) OR C. */
static int node_add(struct cl_spdx_expr *node, struct cl_spdx_expr **child, size_t *alloc)
{
	struct cl_spdx_expr *c = *child;
	size_t need = node->count + (c->kind == node->kind ? c->count : 1), i;

	if (need > *alloc) {
		size_t n = *alloc ? *alloc : 4;
		struct cl_spdx_expr **bigger;
		while (n < need)
			n *= 2;
		bigger = realloc(node->children, n * sizeof(*bigger));
		if (!bigger)
			return cl_error_set("out of memory");
		node->children = bigger;
		*alloc = n;
	}
	if (c->kind == node->kind) {
		for (i = 0; i < c->count; i++)
			node->children[node->count++] = c->children[i];
		c->count = 0;
		cl_spdx_expr_free(c);
	} else {
		node->children[node->count++] = c;
	}
	*child = NULL;
	return 0;
}

/* One operator level: `kind` joins operands that `operand` parses. */
static int parse_level(struct cl_spdx_expr **out, struct spdx_parser *p, unsigned int depth,
	enum spdx_tok after, enum spdx_tok op, enum spdx_node kind)
{
	struct cl_spdx_expr *first = NULL, *node = NULL, *next = NULL;
	size_t alloc = 0;
	int error;

	error = op == TOK_OR ? parse_level(&first, p, depth, after, TOK_AND, SPDX_AND)
		: parse_primary(&first, p, depth, after);
	if (error < 0)
		goto done;
	while (p->tok.kind == op) {
		if (!node) {
			if ((error = node_new(&node, kind)) < 0 ||
			    (error = node_add(node, &first, &alloc)) < 0)
				goto done;
		}
		if ((error = take_operator(p)) < 0)
			goto done;
		error = op == TOK_OR ? parse_level(&next, p, depth, TOK_OR, TOK_AND, SPDX_AND)
			: parse_primary(&next, p, depth, op);
		if (error < 0 || (error = node_add(node, &next, &alloc)) < 0)
			goto done;
	}
	*out = node ? node : first;
	node = first = NULL;
done:
	cl_spdx_expr_free(first);
	cl_spdx_expr_free(next);
	cl_spdx_expr_free(node);
	return error;
}

/* What may follow an operand at this point, and the message when it is not that. */
static int check_follow(struct spdx_parser *p, unsigned int depth)
{
	char shown[SHOW_SIZE];
	const struct spdx_token *t = &p->tok;

	if (t->kind == TOK_END || (t->kind == TOK_RPAREN && depth > 0))
		return 0;
	if (t->kind == TOK_RPAREN)
		return cl_error_setc(CL_EINVALID, "offset %zu: unbalanced ')'", t->start);
	show(shown, sizeof(shown), p->text + t->start, t->len);
	/* TOK_WORD or TOK_LPAREN: two operands side by side. */
	return cl_error_setc(CL_EINVALID, "offset %zu: expected %s before '%s'", t->start,
		p->last_was_simple ? "AND, OR or WITH" : "AND or OR", shown);
}

static int parse_or(struct cl_spdx_expr **out, struct spdx_parser *p, unsigned int depth,
	enum spdx_tok after)
{
	struct cl_spdx_expr *node = NULL;
	int error;

	if ((error = parse_level(&node, p, depth, after, TOK_OR, SPDX_OR)) < 0 ||
	    (error = check_follow(p, depth)) < 0)
		goto done;
	*out = node;
	node = NULL;
done:
	cl_spdx_expr_free(node);
	return error;
}

int cl_spdx_parse_ext(struct cl_spdx_expr **out, const char *text, size_t len,
	unsigned int flags)
{
	struct spdx_parser p;
	struct cl_spdx_expr *expr = NULL;
	int error;

	if (!out || (!text && len))
		CL_BUG("cl_spdx_parse: NULL argument");
	if (len > CL_SPDX_MAX_LEN)
		return cl_error_setc(CL_ETOOBIG, "license expression longer than %d bytes",
			CL_SPDX_MAX_LEN);
	memset(&p, 0, sizeof(p));
	p.text = text ? text : "";
	p.len = len;
	p.flags = flags;
	if ((error = lex_next(&p)) < 0 || (error = parse_or(&expr, &p, 0, TOK_END)) < 0)
		goto done;
	*out = expr;
	expr = NULL;
done:
	cl_spdx_expr_free(expr);
	return error;
}

int cl_spdx_parse(struct cl_spdx_expr **out, const char *text, size_t len)
{
	return cl_spdx_parse_ext(out, text, len, 0);
}

/* ---- printing and walking --------------------------------------------- */

static int print_node(struct cl_buf *out, const struct cl_spdx_expr *e)
{
	size_t i;
	int error = 0;

	if (e->kind == SPDX_LEAF)
		return cl_buf_printf(out, "%s%s%s%s", e->id, e->plus ? "+" : "",
			e->exception ? " WITH " : "", e->exception ? e->exception : "");
	for (i = 0; i < e->count && error >= 0; i++) {
		const struct cl_spdx_expr *c = e->children[i];
		/* Only an OR under an AND needs parentheses: AND binds tighter. */
		int paren = e->kind == SPDX_AND && c->kind == SPDX_OR;

		if (i > 0)
			error = cl_buf_puts(out, e->kind == SPDX_AND ? " AND " : " OR ");
		if (error >= 0 && paren)
			error = cl_buf_putc(out, '(');
		if (error >= 0)
			error = print_node(out, c);
		if (error >= 0 && paren)
			error = cl_buf_putc(out, ')');
	}
	return error;
}

int cl_spdx_expr_to_string(struct cl_buf *out, const struct cl_spdx_expr *expr)
{
	if (!out || !expr)
		CL_BUG("cl_spdx_expr_to_string: NULL argument");
	return print_node(out, expr);
}

int cl_spdx_expr_foreach_id(const struct cl_spdx_expr *expr, cl_spdx_id_cb cb, void *payload)
{
	size_t i;
	int rc;

	if (!expr || !cb)
		CL_BUG("cl_spdx_expr_foreach_id: NULL argument");
	if (expr->kind == SPDX_LEAF) {
		if ((rc = cb(expr->id, 0, payload)) != 0)
			return rc;
		return expr->exception ? cb(expr->exception, 1, payload) : 0;
	}
	for (i = 0; i < expr->count; i++)
		if ((rc = cl_spdx_expr_foreach_id(expr->children[i], cb, payload)) != 0)
			return rc;
	return 0;
}

/* ---- validation ------------------------------------------------------- */

struct spdx_report {
	cl_spdx_problem_cb cb;
	void *payload;
	struct cl_buf id, message, scratch;
};

static int report(struct spdx_report *r, enum cl_spdx_problem_kind kind, size_t offset,
	const char *replacement)
{
	struct cl_spdx_problem problem;

	problem.kind = kind;
	problem.id = cl_buf_cstr(&r->id);
	problem.replacement = replacement;
	problem.offset = offset;
	problem.message = cl_buf_cstr(&r->message);
	return r->cb(&problem, r->payload);
}

/*
 * For an unknown id: the list's id with ".0" appended ("Apache-2" is
 * "Apache-2.0", "GPL-2" is "GPL-2.0", whose own replacement then applies),
 * written to r->scratch. @return 1 when there is a suggestion.
 */
static int suggest(struct spdx_report *r, const char *id, int plus, int *error)
{
	const struct cl_spdx_license *lic;
	const char *repl;

	cl_buf_clear(&r->scratch);
	if ((*error = cl_buf_printf(&r->scratch, "%s.0", id)) < 0)
		return 0;
	lic = cl_spdx_license_find(r->scratch.ptr);
	cl_buf_clear(&r->scratch);
	if (!lic)
		return 0;
	repl = lic->deprecated ? (plus ? lic->replacement_plus : lic->replacement) : NULL;
	if (repl)
		*error = cl_buf_puts(&r->scratch, repl);
	else if (lic->deprecated)
		return 0;
	else
		*error = cl_buf_printf(&r->scratch, "%s%s", lic->id, plus ? "+" : "");
	return *error >= 0;
}

static int validate_license(struct spdx_report *r, const struct cl_spdx_expr *leaf)
{
	const struct cl_spdx_license *lic;
	const struct cl_spdx_exception *exc;
	const char *repl;
	int error = 0;

	if (leaf->id_is_ref)
		return 0;
	cl_buf_clear(&r->id);
	cl_buf_clear(&r->message);
	if ((error = cl_buf_printf(&r->id, "%s%s", leaf->id, leaf->plus ? "+" : "")) < 0)
		return error;
	lic = cl_spdx_license_find(leaf->id);
	if (lic) {
		if (!lic->deprecated)
			return 0;
		repl = leaf->plus ? lic->replacement_plus : lic->replacement;
		error = repl ? cl_buf_printf(&r->message, "deprecated license id '%s': use '%s'",
				r->id.ptr, repl)
			: cl_buf_printf(&r->message, "deprecated license id '%s' "
				"(no single replacement; see the SPDX license list)", r->id.ptr);
		return error < 0 ? error : report(r, CL_SPDX_DEPRECATED_LICENSE, leaf->id_offset, repl);
	}
	exc = cl_spdx_exception_find(leaf->id);
	if (exc) {
		error = cl_buf_printf(&r->message, "'%s' is an exception, not a license: "
			"write it after WITH, as in 'GPL-2.0-or-later WITH %s'", r->id.ptr, exc->id);
		return error < 0 ? error : report(r, CL_SPDX_EXCEPTION_AS_LICENSE, leaf->id_offset, NULL);
	}
	if (suggest(r, leaf->id, leaf->plus, &error))
		error = cl_buf_printf(&r->message, "unknown license id '%s': did you mean '%s'?",
			r->id.ptr, r->scratch.ptr);
	else if (error >= 0)
		error = cl_buf_printf(&r->message, "unknown license id '%s' (not on the SPDX "
			"license list; a license of your own is written 'LicenseRef-...')", r->id.ptr);
	if (error < 0)
		return error;
	return report(r, CL_SPDX_UNKNOWN_LICENSE, leaf->id_offset,
		r->scratch.size ? r->scratch.ptr : NULL);
}

static int validate_exception(struct spdx_report *r, const struct cl_spdx_expr *leaf)
{
	const struct cl_spdx_exception *exc;
	int error;

	if (!leaf->exception || leaf->exception_is_ref)
		return 0;
	cl_buf_clear(&r->id);
	cl_buf_clear(&r->message);
	if ((error = cl_buf_puts(&r->id, leaf->exception)) < 0)
		return error;
	exc = cl_spdx_exception_find(leaf->exception);
	if (exc) {
		if (!exc->deprecated)
			return 0;
		error = exc->replacement
			? cl_buf_printf(&r->message, "deprecated exception id '%s': use '%s'",
				exc->id, exc->replacement)
			: cl_buf_printf(&r->message, "deprecated exception id '%s' "
				"(no single replacement; see the SPDX exceptions list)", exc->id);
		return error < 0 ? error
			: report(r, CL_SPDX_DEPRECATED_EXCEPTION, leaf->exception_offset, exc->replacement);
	}
	if (cl_spdx_license_find(leaf->exception)) {
		error = cl_buf_printf(&r->message, "'%s' is a license, not an exception: "
			"combine licenses with AND, not WITH", leaf->exception);
		return error < 0 ? error
			: report(r, CL_SPDX_LICENSE_AS_EXCEPTION, leaf->exception_offset, NULL);
	}
	error = cl_buf_printf(&r->message, "unknown exception id '%s' (not on the SPDX "
		"exceptions list; an exception of your own is written 'AdditionRef-...')",
		leaf->exception);
	return error < 0 ? error
		: report(r, CL_SPDX_UNKNOWN_EXCEPTION, leaf->exception_offset, NULL);
}

static int validate_node(struct spdx_report *r, const struct cl_spdx_expr *e)
{
	size_t i;
	int rc;

	if (e->kind == SPDX_LEAF) {
		if ((rc = validate_license(r, e)) != 0)
			return rc;
		return validate_exception(r, e);
	}
	for (i = 0; i < e->count; i++)
		if ((rc = validate_node(r, e->children[i])) != 0)
			return rc;
	return 0;
}

int cl_spdx_validate(const struct cl_spdx_expr *expr, cl_spdx_problem_cb cb, void *payload)
{
	struct spdx_report r;
	int rc;

	if (!expr || !cb)
		CL_BUG("cl_spdx_validate: NULL argument");
	r.cb = cb;
	r.payload = payload;
	cl_buf_init(&r.id, 0);
	cl_buf_init(&r.message, 0);
	cl_buf_init(&r.scratch, 0);
	rc = validate_node(&r, expr);
	cl_buf_dispose(&r.id);
	cl_buf_dispose(&r.message);
	cl_buf_dispose(&r.scratch);
	return rc;
}

/* ---- policy matching -------------------------------------------------- */

/* An id alone, not an expression: a replacement usable as a candidate spelling. */
static int single_id(const char *s)
{
	for (; *s; s++)
		if (!is_idchar(*s))
			return 0;
	return 1;
}

/* Match the text in `buf` against the list. */
static int try_text(const struct cl_pattern_list *allowed, struct cl_buf *buf)
{
	return cl_pattern_list_match(allowed, cl_buf_cstr(buf));
}

static int try_string(const struct cl_pattern_list *allowed, struct cl_buf *buf, const char *s)
{
	int error;

	cl_buf_clear(buf);
	if ((error = cl_buf_puts(buf, s)) < 0)
		return error;
	return try_text(allowed, buf);
}

/* Whether the list has "<id minus `suffix`><other>", e.g. GPL-2.0-or-later -> GPL-2.0-only. */
static int try_sibling(const struct cl_pattern_list *allowed, struct cl_buf *buf,
	const char *id, const char *suffix, const char *other)
{
	size_t n = strlen(id), s = strlen(suffix);
	const struct cl_spdx_license *lic;
	int error;

	cl_buf_clear(buf);
	if (s) {
		if (n <= s || spdx_casecmp(id + n - s, suffix) != 0)
			return 0;
		n -= s;
	}
	if ((error = cl_buf_put(buf, id, n)) < 0 || (error = cl_buf_puts(buf, other)) < 0)
		return error;
	lic = cl_spdx_license_find(buf->ptr);
	if (!lic || lic->deprecated)
		return 0;
	return try_string(allowed, buf, lic->id);
}

/*
 * The candidate spellings of one "L[+] [WITH E]", as cl_spdx_satisfies
 * documents them, tried in turn until one is allowed.
 */
static int leaf_allowed(const struct cl_spdx_expr *leaf, const struct cl_pattern_list *allowed,
	struct cl_buf *buf)
{
	const struct cl_spdx_license *lic = leaf->id_is_ref ? NULL : cl_spdx_license_find(leaf->id);
	int rc;

	if (leaf->exception) {
		cl_buf_clear(buf);
		if ((rc = cl_buf_printf(buf, "%s%s WITH %s", leaf->id, leaf->plus ? "+" : "",
				leaf->exception)) < 0 ||
		    (rc = try_text(allowed, buf)) != 0)
			return rc;
	}
	if ((rc = try_string(allowed, buf, leaf->id)) != 0)
		return rc;
	if (lic && lic->deprecated && lic->replacement && single_id(lic->replacement) &&
	    (rc = try_string(allowed, buf, lic->replacement)) != 0)
		return rc;
	if (leaf->plus) {
		cl_buf_clear(buf);
		if ((rc = cl_buf_printf(buf, "%s+", leaf->id)) < 0 ||
		    (rc = try_text(allowed, buf)) != 0)
			return rc;
		if (lic && lic->deprecated && lic->replacement_plus && single_id(lic->replacement_plus) &&
		    (rc = try_string(allowed, buf, lic->replacement_plus)) != 0)
			return rc;
		if ((rc = try_sibling(allowed, buf, leaf->id, "-only", "-or-later")) != 0 ||
		    (rc = try_sibling(allowed, buf, leaf->id, "", "-or-later")) != 0)
			return rc;
	}
	if (lic && (rc = try_sibling(allowed, buf, lic->id, "-or-later", "-only")) != 0)
		return rc;
	return 0;
}

static int satisfies_node(const struct cl_spdx_expr *e, const struct cl_pattern_list *allowed,
	struct cl_buf *buf)
{
	size_t i;
	int rc;

	if (e->kind == SPDX_LEAF)
		return leaf_allowed(e, allowed, buf);
	for (i = 0; i < e->count; i++) {
		rc = satisfies_node(e->children[i], allowed, buf);
		if (rc < 0)
			return rc;
		if (e->kind == SPDX_OR && rc == 1)
			return 1;
		if (e->kind == SPDX_AND && rc == 0)
			return 0;
	}
	return e->kind == SPDX_AND;
}

int cl_spdx_satisfies(const struct cl_spdx_expr *expr, const struct cl_pattern_list *allowed)
{
	struct cl_buf buf;
	int rc;

	if (!expr || !allowed)
		CL_BUG("cl_spdx_satisfies: NULL argument");
	cl_buf_init(&buf, 0);
	rc = satisfies_node(expr, allowed, &buf);
	cl_buf_dispose(&buf);
	return rc < 0 ? rc : rc > 0;
}
