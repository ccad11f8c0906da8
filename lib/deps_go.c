/*
 * deps_go.c - go.mod.
 *
 * A small strict reader of the go.mod line grammar (golang.org/x/mod
 * modfile): a statement per line, `verb (` ... `)` blocks, `//` comments,
 * "interpreted" and `raw` quoted tokens, the `=>` of replace. Requirements
 * are collected first and the replacements applied at the end, since a
 * replace may come before or after the require it changes. Module paths
 * hold no NUL (lines with one are rejected), so they can key a hash.
 */
#include "deps_go.h"

#include "buf.h"
#include "error.h"
#include "json_text.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define GOMOD_MAX_SIZE ((size_t)64 * 1024 * 1024)
#define GOMOD_MAX_TOKENS 8

struct gomod_line {
	char *tok[GOMOD_MAX_TOKENS];   /* point into the scratch buffer */
	size_t ntok;
	const char *comment;           /* text after "//", trimmed; "" when none */
};

struct gomod_replace {
	char *old_path, *old_version;  /* old_version NULL: every version */
	char *new_version;             /* NULL: a local directory */
};

struct gomod_state {
	const char *path;
	struct gomod_replace *repl;
	size_t nrepl, arepl;
	char *scratch;
	size_t scratch_size;
};

static int gomod_err(const char *path, unsigned int line, size_t col, const char *msg)
{
	return cl_error_setc(CL_EINVALID, "%s:%u:%zu: %s", path, line, col, msg);
}



static int gomod_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Split one line into tokens, copied NUL-terminated into st->scratch (each
 * token costs at most its length plus one byte, so 2 * len + 1 suffices).
 */
static int gomod_lex(struct gomod_line *out, struct gomod_state *st, const char *s, size_t len,
		     unsigned int lineno)
{
	size_t i = 0, w = 0, need = 2 * len + 2;
	char *p;

	if (need > st->scratch_size) {
		p = realloc(st->scratch, need);
		if (!p)
			return cl_error_set("out of memory");
		st->scratch = p;
		st->scratch_size = need;
	}
	p = st->scratch;
	out->ntok = 0;
	out->comment = "";
	while (i < len) {
		char *tok = p + w;
		if (gomod_is_space(s[i])) {
			i++;
			continue;
		}
		if (s[i] == '/' && i + 1 < len && s[i + 1] == '/') {
			size_t a = i + 2, b = len;
			while (a < b && gomod_is_space(s[a]))
				a++;
			while (b > a && gomod_is_space(s[b - 1]))
				b--;
			memcpy(tok, s + a, b - a);
			tok[b - a] = '\0';
			out->comment = tok;
			return 0;
		}
		if (out->ntok == GOMOD_MAX_TOKENS)
			return gomod_err(st->path, lineno, i + 1, "too many tokens on one line");
		if (s[i] == '(' || s[i] == ')') {
			tok[0] = s[i++];
			tok[1] = '\0';
			w += 2;
		} else if (s[i] == '=' && i + 1 < len && s[i + 1] == '>') {
			memcpy(tok, "=>", 3);
			i += 2;
			w += 3;
		} else if (s[i] == '"' || s[i] == '`') {
			char q = s[i];
			size_t start = i++;
			for (;;) {
				if (i >= len)
					return gomod_err(st->path, lineno, start + 1, "unterminated quoted string");
				if (s[i] == q) {
					i++;
					break;
				}
				if (q == '"' && s[i] == '\\') {
					/* Module paths and versions never need more than these. */
					if (i + 1 >= len || (s[i + 1] != '\\' && s[i + 1] != '"'))
						return gomod_err(st->path, lineno, i + 1, "unsupported escape in quoted string");
					i++;
				}
				p[w++] = s[i++];
			}
			p[w++] = '\0';
		} else {
			while (i < len && !gomod_is_space(s[i]) && s[i] != '(' && s[i] != ')' && s[i] != '"' &&
			       s[i] != '`' && !(s[i] == '/' && i + 1 < len && s[i + 1] == '/') &&
			       !(s[i] == '=' && i + 1 < len && s[i + 1] == '>'))
				p[w++] = s[i++];
			p[w++] = '\0';
		}
		out->tok[out->ntok++] = tok;
	}
	return 0;
}

/* Go accepts "indirect" alone or followed by "; other comment". */
static int gomod_is_indirect(const char *comment)
{
	return strcmp(comment, "indirect") == 0 || strncmp(comment, "indirect;", 9) == 0;
}

static int gomod_is_local(const char *p)
{
	return strncmp(p, "./", 2) == 0 || strncmp(p, "../", 3) == 0 || p[0] == '/' ||
	       strncmp(p, ".\\", 2) == 0 || strncmp(p, "..\\", 3) == 0 || strcmp(p, ".") == 0 ||
	       strcmp(p, "..") == 0;
}

static int gomod_require(struct cl_dep_list *tmp, struct gomod_state *st, const struct gomod_line *ln,
			 size_t first, unsigned int lineno)
{
	struct cl_dep d;

	if (ln->ntok - first != 2 || ln->tok[first][0] == '\0' || ln->tok[first + 1][0] != 'v' ||
	    strcmp(ln->tok[first], "=>") == 0)
		return gomod_err(st->path, lineno, 1, "usage: require module/path v1.2.3");
	memset(&d, 0, sizeof(d));
	d.ecosystem = "golang";
	d.name = ln->tok[first];
	d.version = ln->tok[first + 1];
	d.relation = gomod_is_indirect(ln->comment) ? CL_DEP_TRANSITIVE : CL_DEP_DIRECT;
	d.scope = CL_DEP_RUNTIME;
	d.manifest = st->path;
	d.line = lineno;
	return cl_dep_list_add(tmp, &d);
}

static int gomod_replace(struct gomod_state *st, const struct gomod_line *ln, size_t first, unsigned int lineno)
{
	size_t n = ln->ntok - first, arrow;
	struct gomod_replace r = { NULL, NULL, NULL };
	const char *const *t = (const char *const *)ln->tok + first;

	if (n >= 3 && strcmp(t[1], "=>") == 0)
		arrow = 1;
	else if (n >= 4 && strcmp(t[2], "=>") == 0)
		arrow = 2;
	else
		return gomod_err(st->path, lineno, 1, "usage: replace module/path [v1.2.3] => other/module v1.4.5 or ../local");
	if (n - arrow - 1 == 1) {
		if (!gomod_is_local(t[arrow + 1]))
			return gomod_err(st->path, lineno, 1, "replacement without a version must be a directory path");
	} else if (n - arrow - 1 != 2 || t[arrow + 2][0] != 'v') {
		return gomod_err(st->path, lineno, 1, "usage: replace module/path [v1.2.3] => other/module v1.4.5 or ../local");
	}
	if (st->nrepl == st->arepl) {
		size_t na = st->arepl ? st->arepl * 2 : 8;
		struct gomod_replace *p = realloc(st->repl, na * sizeof(*p));
		if (!p)
			return cl_error_set("out of memory");
		st->repl = p;
		st->arepl = na;
	}
	r.old_path = strdup(t[0]);
	r.old_version = arrow == 2 ? strdup(t[1]) : NULL;
	r.new_version = n - arrow - 1 == 2 ? strdup(t[arrow + 2]) : NULL;
	if (!r.old_path || (arrow == 2 && !r.old_version) || (n - arrow - 1 == 2 && !r.new_version)) {
		free(r.old_path);
		free(r.old_version);
		free(r.new_version);
		return cl_error_set("out of memory");
	}
	st->repl[st->nrepl++] = r;
	return 0;
}

/*
 * A version-specific replacement wins over a wildcard one, as in cmd/go;
 * among equals the last one written wins. Looked up through a hash (a
 * Jansson object) so that a hostile file with a million requirements and
 * a million replacements stays linear.
 */
static int gomod_apply_replaces(struct cl_dep_list *tmp, struct gomod_state *st)
{
	json_t *index = json_object();
	struct cl_buf key = CL_BUF_INIT;
	size_t i;
	int error = 0;

	cl_buf_init(&key, 0);
	CL_CHECK_ALLOC(index);
	for (i = 0; i < st->nrepl; i++) {
		const struct gomod_replace *r = &st->repl[i];
		cl_buf_clear(&key);
		if ((error = cl_buf_printf(&key, "%s%s%s", r->old_path, r->old_version ? " " : "",
					   r->old_version ? r->old_version : "")) < 0)
			goto done;
		if (json_object_set_new_nocheck(index, cl_buf_cstr(&key), json_integer((json_int_t)i)) < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
	}
	for (i = 0; i < tmp->count && st->nrepl; i++) {
		struct cl_dep *d = &tmp->items[i];
		const struct gomod_replace *r;
		json_t *hit;
		char *v = NULL;

		cl_buf_clear(&key);
		if ((error = cl_buf_printf(&key, "%s %s", d->name, d->version)) < 0)
			goto done;
		hit = json_object_get(index, cl_buf_cstr(&key));
		if (!hit)
			hit = json_object_get(index, d->name);
		if (!hit)
			continue;
		r = &st->repl[json_integer_value(hit)];
		if (r->new_version && (v = strdup(r->new_version)) == NULL) {
			error = cl_error_set("out of memory");
			goto done;
		}
		free((char *)d->version);
		d->version = v;
	}
done:
	cl_buf_dispose(&key);
	json_decref(index);
	return error;
}

/* Move every item of `tmp` onto `out`, all or nothing. */
static int gomod_splice(struct cl_dep_list *out, struct cl_dep_list *tmp)
{
	if (out->alloc - out->count < tmp->count) {
		size_t n = out->count + tmp->count;
		struct cl_dep *p = realloc(out->items, n * sizeof(*p));
		if (!p)
			return cl_error_set("out of memory");
		out->items = p;
		out->alloc = n;
	}
	if (tmp->count)
		memcpy(out->items + out->count, tmp->items, tmp->count * sizeof(*tmp->items));
	out->count += tmp->count;
	tmp->count = 0;
	return 0;
}

struct gomod_verb {
	const char *name;
	int block;        /* may open a `( ... )` block */
	int kind;         /* 0 ignore, 1 require, 2 replace */
};

static const struct gomod_verb gomod_verbs[] = {
	{ "module", 0, 0 },   { "go", 0, 0 },       { "toolchain", 0, 0 }, { "require", 1, 1 },
	{ "replace", 1, 2 },  { "exclude", 1, 0 },  { "retract", 1, 0 },   { "godebug", 1, 0 },
	{ "tool", 1, 0 },     { "ignore", 1, 0 },
};

static const struct gomod_verb *gomod_find_verb(const char *name)
{
	size_t i;
	for (i = 0; i < sizeof(gomod_verbs) / sizeof(gomod_verbs[0]); i++)
		if (strcmp(gomod_verbs[i].name, name) == 0)
			return &gomod_verbs[i];
	return NULL;
}

static int gomod_statement(struct cl_dep_list *tmp, struct gomod_state *st, const struct gomod_verb *v,
			   const struct gomod_line *ln, size_t first, unsigned int lineno)
{
	size_t i;

	for (i = first; i < ln->ntok; i++)
		if (strcmp(ln->tok[i], "(") == 0 || strcmp(ln->tok[i], ")") == 0)
			return gomod_err(st->path, lineno, 1, "unexpected parenthesis");
	if (v->kind == 1)
		return gomod_require(tmp, st, ln, first, lineno);
	if (v->kind == 2)
		return gomod_replace(st, ln, first, lineno);
	if (ln->ntok == first && strcmp(v->name, "module") == 0)
		return gomod_err(st->path, lineno, 1, "usage: module module/path");
	return 0;
}

int cl_deps_gomod_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	struct gomod_state st;
	struct gomod_line ln;
	const struct gomod_verb *block = NULL;
	unsigned int lineno = 0, block_line = 0;
	size_t pos = 0, i;
	int error = 0;

	memset(&st, 0, sizeof(st));
	st.path = path;
	if (len > GOMOD_MAX_SIZE) {
		error = cl_error_setc(CL_ETOOBIG, "%s: file of %zu bytes is over the limit of %zu",
				      path, len, GOMOD_MAX_SIZE);
		goto done;
	}
	while (pos < len) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		const struct gomod_verb *v;

		pos += n + (nl ? 1 : 0);
		lineno++;
		if (memchr(s, '\0', n)) {
			error = gomod_err(path, lineno, 1, "NUL byte in go.mod");
			goto done;
		}
		if ((i = cl_utf8_valid_prefix(s, n)) != n) {
			error = gomod_err(path, lineno, i + 1, "invalid UTF-8");
			goto done;
		}
		if ((error = gomod_lex(&ln, &st, s, n, lineno)) < 0)
			goto done;
		if (ln.ntok == 0)
			continue;
		if (block) {
			if (strcmp(ln.tok[0], ")") == 0) {
				if (ln.ntok != 1) {
					error = gomod_err(path, lineno, 1, "unexpected text after ')'");
					goto done;
				}
				block = NULL;
				continue;
			}
			if ((error = gomod_statement(&tmp, &st, block, &ln, 0, lineno)) < 0)
				goto done;
			continue;
		}
		v = gomod_find_verb(ln.tok[0]);
		if (!v) {
			error = cl_error_setc(CL_EINVALID, "%s:%u:1: unknown directive '%s'", path, lineno, ln.tok[0]);
			goto done;
		}
		if (ln.ntok >= 2 && strcmp(ln.tok[1], "(") == 0) {
			if (!v->block || ln.ntok != 2) {
				error = gomod_err(path, lineno, 1, "misplaced '('");
				goto done;
			}
			block = v;
			block_line = lineno;
			continue;
		}
		if ((error = gomod_statement(&tmp, &st, v, &ln, 1, lineno)) < 0)
			goto done;
	}
	if (block) {
		error = gomod_err(path, block_line, 1, "block not closed with ')'");
		goto done;
	}
	if ((error = gomod_apply_replaces(&tmp, &st)) < 0)
		goto done;
	error = gomod_splice(out, &tmp);
done:
	for (i = 0; i < st.nrepl; i++) {
		free(st.repl[i].old_path);
		free(st.repl[i].old_version);
		free(st.repl[i].new_version);
	}
	free(st.repl);
	free(st.scratch);
	cl_dep_list_dispose(&tmp);
	return error;
}

const struct cl_dep_format cl_deps_go_formats[] = {
	{ "go.mod", "go.mod", 0, cl_deps_gomod_parse },
	{ NULL, NULL, 0, NULL }
};
