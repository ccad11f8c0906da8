/*
 * template.c - the Mustache subset of template.h.
 *
 * Divisions:
 *   parsing    - the template is turned into a flat node array first, so
 *                a malformed template fails the same way whatever the data
 *                (a section that is never entered is still checked)
 *   lookup     - names against the context stack
 *   rendering  - walks the node array; recursion only per section level,
 *                so at most CL_TEMPLATE_MAX_DEPTH deep
 *   finding    - override directory, then the embedded table
 *
 * Both template and data are treated as hostile. Nesting is capped while
 * parsing; output is capped by the buffer (or by RENDER_MAX_OUTPUT when
 * the buffer has no cap); and the work is capped by RENDER_MAX_STEPS,
 * because output size alone does not bound it: `{{#a}}{{#a}}...{{/a}}{{/a}}`
 * nested 32 deep over a ten-item list is 10^32 iterations of nothing.
 */
#include "template.h"
#include "error.h"
#include "templates_data.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ample for real templates (a report of 100 findings takes ~3000 steps). */
#define RENDER_MAX_STEPS ((size_t)1 << 20)
#define RENDER_MAX_OUTPUT ((size_t)16 << 20)
/* Templates are a few KiB; anything this big in the override dir is a mistake. */
#define TEMPLATE_MAX_FILE ((size_t)1 << 20)

enum tmpl_kind {
	TK_TEXT,
	TK_VAR,        /* {{name}}, escaped unless CL_TEMPLATE_RAW */
	TK_RAW,        /* {{{name}}} and {{&name}} */
	TK_SECTION,
	TK_INVERTED
};

struct tmpl_node {
	enum tmpl_kind kind;
	const char *str;      /* points into the template: the text, or the tag name */
	size_t len;
	size_t end;           /* sections: index one past the section's last node */
	unsigned int line;    /* 1-based, for messages */
};

struct tmpl {
	const char *name;     /* borrowed, for messages */
	struct tmpl_node *nodes;
	size_t count, alloc;
};

/* ---- parsing ---------------------------------------------------------- */

static const char *tmpl_display_name(const char *name)
{
	return name ? name : "template";
}

static const char *find_seq(const char *s, size_t from, size_t len, const char *seq, size_t seqlen)
{
	size_t i;

	if (len < seqlen)
		return NULL;
	for (i = from; i + seqlen <= len; i++) {
		const char *p = memchr(s + i, seq[0], len - seqlen + 1 - i);
		if (!p)
			return NULL;
		i = (size_t)(p - s);
		if (memcmp(p, seq, seqlen) == 0)
			return p;
	}
	return NULL;
}

static unsigned int count_newlines(const char *s, size_t from, size_t to)
{
	unsigned int n = 0;
	const char *p = s + from, *end = s + to;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

static int tmpl_push(struct tmpl *t, enum tmpl_kind kind, const char *str, size_t len,
	unsigned int line)
{
	struct tmpl_node *n;

	if (t->count == t->alloc) {
		size_t alloc = t->alloc ? t->alloc * 2 : 32;
		struct tmpl_node *p;
		if (alloc > SIZE_MAX / sizeof(*p))
			return cl_error_set("out of memory");
		if ((p = realloc(t->nodes, alloc * sizeof(*p))) == NULL)
			return cl_error_set("out of memory");
		t->nodes = p;
		t->alloc = alloc;
	}
	n = &t->nodes[t->count++];
	n->kind = kind;
	n->str = str;
	n->len = len;
	n->end = 0;
	n->line = line;
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int is_space(char c)
{
	return is_blank(c) || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * "." alone, or dot-separated non-empty components without whitespace or
 * braces. Braces are refused because a name holding "{{" is always a typo
 * for a missing "}}" earlier on the line.
 */
static int name_valid(const char *s, size_t len)
{
	size_t i;
	int prev_dot = 1;

	if (len == 1 && s[0] == '.')
		return 1;
	for (i = 0; i < len; i++) {
		if (is_space(s[i]) || s[i] == '{' || s[i] == '}')
			return 0;
		if (s[i] == '.') {
			if (prev_dot)
				return 0;
			prev_dot = 1;
		} else {
			prev_dot = 0;
		}
	}
	return !prev_dot;
}

/*
 * The Mustache "standalone" rule: a section, inverted, close or comment tag
 * that is alone on its line, apart from blanks, takes the whole line with
 * it, so templates can put control tags on their own lines without leaving
 * blank lines in the output. Returns whether the tag is standalone and, if
 * so, the bounds of its line.
 */
static int standalone_line(size_t *line_start, size_t *line_end, const char *s, size_t len,
	size_t tag_start, size_t tag_end)
{
	size_t ls = tag_start, le = tag_end;

	while (ls > 0 && is_blank(s[ls - 1]))
		ls--;
	if (ls > 0 && s[ls - 1] != '\n')
		return 0;
	while (le < len && is_blank(s[le]))
		le++;
	if (le < len) {
		if (s[le] == '\n')
			le++;
		else if (s[le] == '\r' && le + 1 < len && s[le + 1] == '\n')
			le += 2;
		else
			return 0;
	}
	*line_start = ls;
	*line_end = le;
	return 1;
}

/* Tag names come from untrusted templates: keep messages to one short line. */
#define NAME_SHOWN(len) ((int)((len) > 40 ? 40 : (len)))
#define NAME_MORE(len) ((len) > 40 ? "..." : "")

static int parse_error(const struct tmpl *t, unsigned int line, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static int parse_error(const struct tmpl *t, unsigned int line, const char *fmt, ...)
{
	char problem[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(problem, sizeof(problem), fmt, ap);
	va_end(ap);
	return cl_error_setc(CL_EINVALID, "%s:%u: %s", tmpl_display_name(t->name), line, problem);
}

static int tmpl_parse(struct tmpl *t, const char *s, size_t len)
{
	size_t open[CL_TEMPLATE_MAX_DEPTH];
	size_t depth = 0, pos = 0;
	unsigned int line = 1;   /* line of s[pos] */
	int error = 0;

	while (pos < len) {
		const char *o = find_seq(s, pos, len, "{{", 2);
		size_t tag_start, tag_end, inner, close, ls, le;
		unsigned int tag_line;
		enum tmpl_kind kind = TK_VAR;
		char sigil = 0;
		const char *name;
		size_t nlen;

		if (!o) {
			error = tmpl_push(t, TK_TEXT, s + pos, len - pos, line);
			break;
		}
		tag_start = (size_t)(o - s);
		tag_line = line + count_newlines(s, pos, tag_start);
		inner = tag_start + 2;
		if (inner < len && s[inner] == '{') {
			const char *c = find_seq(s, inner + 1, len, "}}}", 3);
			if (!c)
				return parse_error(t, tag_line, "unclosed tag (no closing braces)");
			close = (size_t)(c - s);
			tag_end = close + 3;
			inner++;
			kind = TK_RAW;
		} else {
			const char *c = find_seq(s, inner, len, "}}", 2);
			if (!c)
				return parse_error(t, tag_line, "unclosed tag (no closing braces)");
			close = (size_t)(c - s);
			tag_end = close + 2;
			/* templates may hold NUL bytes, which strchr would match */
			if (inner < close && s[inner] != '\0' && strchr("#^/!&>=", s[inner]) != NULL)
				sigil = s[inner++];
		}

		name = s + inner;
		nlen = close - inner;
		while (nlen > 0 && is_space(name[0])) {
			name++;
			nlen--;
		}
		while (nlen > 0 && is_space(name[nlen - 1]))
			nlen--;

		switch (sigil) {
		case 0:
			break;
		case '#':
			kind = TK_SECTION;
			break;
		case '^':
			kind = TK_INVERTED;
			break;
		case '&':
			kind = TK_RAW;
			break;
		case '/':
		case '!':
			break;
		case '>':
			return parse_error(t, tag_line, "partials ({{>name}}) are not supported");
		case '=':
			return parse_error(t, tag_line, "changing delimiters ({{=...=}}) is not supported");
		default:
			CL_BUG("tag sigil not handled");
		}

		if (sigil != '!') {
			if (nlen == 0)
				return parse_error(t, tag_line, "empty tag name");
			if (!name_valid(name, nlen))
				return parse_error(t, tag_line, "invalid tag name '%.*s%s'",
					NAME_SHOWN(nlen), name, NAME_MORE(nlen));
		}

		if ((sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!') &&
		    standalone_line(&ls, &le, s, len, tag_start, tag_end)) {
			/* ls >= pos: anything but blanks between them would have failed the test */
			if (ls > pos && (error = tmpl_push(t, TK_TEXT, s + pos, ls - pos, line)) < 0)
				return error;
			line = tag_line + count_newlines(s, tag_start, le);
			pos = le;
		} else {
			if (tag_start > pos &&
			    (error = tmpl_push(t, TK_TEXT, s + pos, tag_start - pos, line)) < 0)
				return error;
			line = tag_line + count_newlines(s, tag_start, tag_end);
			pos = tag_end;
		}

		if (sigil == '!')
			continue;
		if (sigil == '/') {
			struct tmpl_node *sec;
			if (depth == 0)
				return parse_error(t, tag_line, "'{{/%.*s%s}}' closes no open section",
					NAME_SHOWN(nlen), name, NAME_MORE(nlen));
			sec = &t->nodes[open[depth - 1]];
			if (sec->len != nlen || memcmp(sec->str, name, nlen) != 0)
				return parse_error(t, tag_line, "mismatched close: '{{/%.*s%s}}' "
					"where '{{/%.*s%s}}' (opened on line %u) was expected",
					NAME_SHOWN(nlen), name, NAME_MORE(nlen),
					NAME_SHOWN(sec->len), sec->str, NAME_MORE(sec->len), sec->line);
			sec->end = t->count;
			depth--;
			continue;
		}
		if (kind == TK_SECTION || kind == TK_INVERTED) {
			if (depth == CL_TEMPLATE_MAX_DEPTH)
				return parse_error(t, tag_line, "sections nested deeper than %d",
					CL_TEMPLATE_MAX_DEPTH);
			open[depth++] = t->count;
		}
		if ((error = tmpl_push(t, kind, name, nlen, tag_line)) < 0)
			return error;
	}
	if (error < 0)
		return error;
	if (depth > 0) {
		const struct tmpl_node *sec = &t->nodes[open[depth - 1]];
		return parse_error(t, sec->line, "unclosed section '{{%c%.*s%s}}'",
			sec->kind == TK_INVERTED ? '^' : '#',
			NAME_SHOWN(sec->len), sec->str, NAME_MORE(sec->len));
	}
	return 0;
}

/* ---- lookup ----------------------------------------------------------- */

struct render {
	struct cl_buf *out;
	const struct tmpl *t;
	unsigned int flags;
	/* the root plus one entry per section level */
	const json_t *stack[CL_TEMPLATE_MAX_DEPTH + 1];
	size_t depth;
	size_t steps;
};

/*
 * Mustache lookup: the first component is searched from the innermost
 * context outwards; the rest resolve strictly inside what it found, so
 * `{{a.b}}` never picks up a `b` from an outer context when `a` lacks it.
 */
static const json_t *render_lookup(const struct render *r, const char *name, size_t len)
{
	const json_t *v = NULL;
	const char *dot, *end = name + len;
	size_t i, n;

	if (len == 1 && name[0] == '.')
		return r->stack[r->depth - 1];
	dot = memchr(name, '.', len);
	n = dot ? (size_t)(dot - name) : len;
	for (i = r->depth; i > 0 && !v; i--)
		if (json_is_object(r->stack[i - 1]))
			v = json_object_getn(r->stack[i - 1], name, n);
	while (v && dot) {
		name = dot + 1;
		dot = memchr(name, '.', (size_t)(end - name));
		n = dot ? (size_t)(dot - name) : (size_t)(end - name);
		v = json_is_object(v) ? json_object_getn(v, name, n) : NULL;
	}
	return v;
}

static int value_truthy(const json_t *v)
{
	if (!v)
		return 0;
	switch (json_typeof(v)) {
	case JSON_NULL:
	case JSON_FALSE:
		return 0;
	case JSON_TRUE:
	case JSON_OBJECT:
		return 1;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) < 0 || json_real_value(v) > 0;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	}
	CL_BUG("json type not handled");
}

/* ---- rendering -------------------------------------------------------- */

static int put_escaped(struct cl_buf *out, const char *s, size_t len)
{
	size_t i, run = 0;
	int error;

	for (i = 0; i < len; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		if ((error = cl_buf_put(out, s + run, i - run)) < 0 ||
		    (error = cl_buf_puts(out, rep)) < 0)
			return error;
		run = i + 1;
	}
	return cl_buf_put(out, s + run, len - run);
}

static int put_value(struct render *r, const json_t *v, int escape)
{
	if (!v)
		return 0;
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (escape)
			return put_escaped(r->out, json_string_value(v), json_string_length(v));
		return cl_buf_put(r->out, json_string_value(v), json_string_length(v));
	case JSON_INTEGER:
		return cl_buf_printf(r->out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	case JSON_REAL:
		return cl_buf_printf(r->out, "%g", json_real_value(v));
	case JSON_TRUE:
		return cl_buf_puts(r->out, "true");
	case JSON_FALSE:
		return cl_buf_puts(r->out, "false");
	case JSON_NULL:
	case JSON_OBJECT:
	case JSON_ARRAY:
		/* no useful text form; printing "[object]" would only leak into mail */
		return 0;
	}
	CL_BUG("json type not handled");
}

static int render_step(struct render *r)
{
	if (++r->steps > RENDER_MAX_STEPS)
		return cl_error_setc(CL_ETOOBIG, "%s: rendering takes more than %zu steps",
			tmpl_display_name(r->t->name), RENDER_MAX_STEPS);
	return 0;
}

static int render_range(struct render *r, size_t from, size_t to);

static int render_with(struct render *r, const json_t *ctx, size_t from, size_t to)
{
	int error;

	/* the parser caps nesting, so this cannot overflow; check anyway */
	if (r->depth >= sizeof(r->stack) / sizeof(r->stack[0]))
		CL_BUG("template context stack overflow");
	r->stack[r->depth++] = ctx;
	error = render_range(r, from, to);
	r->depth--;
	return error;
}

static int render_range(struct render *r, size_t from, size_t to)
{
	size_t i = from, k;
	int error;

	while (i < to) {
		const struct tmpl_node *n = &r->t->nodes[i];
		const json_t *v;

		if ((error = render_step(r)) < 0)
			return error;
		switch (n->kind) {
		case TK_TEXT:
			error = cl_buf_put(r->out, n->str, n->len);
			break;
		case TK_VAR:
		case TK_RAW:
			v = render_lookup(r, n->str, n->len);
			error = put_value(r, v, n->kind == TK_VAR && !(r->flags & CL_TEMPLATE_RAW));
			break;
		case TK_SECTION:
			v = render_lookup(r, n->str, n->len);
			if (json_is_array(v)) {
				for (k = 0; k < json_array_size(v) && error >= 0; k++)
					if ((error = render_step(r)) >= 0)
						error = render_with(r, json_array_get(v, k), i + 1, n->end);
			} else if (value_truthy(v)) {
				/* scalars are pushed too, so {{.}} inside prints them */
				error = render_with(r, v, i + 1, n->end);
			}
			i = n->end;
			break;
		case TK_INVERTED:
			v = render_lookup(r, n->str, n->len);
			if (!value_truthy(v))
				error = render_range(r, i + 1, n->end);
			i = n->end;
			break;
		default:
			CL_BUG("template node kind not handled");
		}
		if (error < 0)
			return error;
		if (n->kind != TK_SECTION && n->kind != TK_INVERTED)
			i++;
	}
	return 0;
}

int cl_template_render(struct cl_buf *out, const char *name, const char *tmpl, size_t len,
	const json_t *data, unsigned int flags)
{
	struct tmpl t;
	struct render r;
	size_t start = out->size, saved_max = out->max;
	int error;

	memset(&t, 0, sizeof(t));
	t.name = name;
	if (tmpl == NULL && len > 0)
		CL_BUG("template text missing");
	if ((error = tmpl_parse(&t, tmpl ? tmpl : "", len)) < 0)
		goto done;

	memset(&r, 0, sizeof(r));
	r.out = out;
	r.t = &t;
	r.flags = flags;
	r.stack[0] = data;
	r.depth = 1;
	if (out->max == 0 || out->max - start > RENDER_MAX_OUTPUT)
		out->max = start + RENDER_MAX_OUTPUT;
	error = render_range(&r, 0, t.count);
	out->max = saved_max;
	if (error == CL_ETOOBIG && r.steps <= RENDER_MAX_STEPS)
		cl_error_setc(CL_ETOOBIG, "%s: output larger than the limit of %zu bytes",
			tmpl_display_name(name), out->max ? out->max - start : RENDER_MAX_OUTPUT);

done:
	if (error < 0 && out->ptr) {
		/* leave the buffer as it was, not half a document */
		out->size = start;
		out->ptr[start] = '\0';
	}
	free(t.nodes);
	return error;
}

/* ---- finding ---------------------------------------------------------- */

static int template_name_valid(const char *name)
{
	return name[0] != '\0' && strchr(name, '/') == NULL && strstr(name, "..") == NULL;
}

int cl_template_find(const char **out, size_t *len, struct cl_buf *holder, const char *name)
{
	const char *dir = getenv("CLEARANCE_TEMPLATE_DIR");
	struct cl_buf path = CL_BUF_INIT, file = CL_BUF_INIT;
	const struct cl_embedded_file *e;
	int error = 0;

	/* the name may reach us from configuration; never let it leave the directory */
	if (!template_name_valid(name))
		return cl_error_setc(CL_EINVALID, "invalid template name '%s'", name);

	if (dir && dir[0]) {
		cl_buf_init(&file, TEMPLATE_MAX_FILE);
		if ((error = cl_buf_printf(&path, "%s/%s", dir, name)) < 0)
			goto done;
		error = cl_buf_read_path(&file, cl_buf_cstr(&path));
		if (error == 0) {
			size_t max = holder->max;
			cl_buf_dispose(holder);
			*holder = file;
			holder->max = max;
			file.ptr = NULL;
			*out = cl_buf_cstr(holder);
			*len = holder->size;
			goto done;
		}
		/* a directory may override only some templates; the rest are built in */
		if (error != CL_ENOTFOUND)
			goto done;
		cl_error_clear();
		error = 0;
	}

	for (e = cl_embedded_templates; e->name; e++)
		if (strcmp(e->name, name) == 0) {
			*out = e->data;
			*len = e->len;
			goto done;
		}
	error = cl_error_setc(CL_ENOTFOUND, "no template named '%s'", name);

done:
	cl_buf_dispose(&path);
	cl_buf_dispose(&file);
	return error;
}
