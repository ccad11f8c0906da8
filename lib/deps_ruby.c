/*
 * deps_ruby.c - Gemfile and Gemfile.lock (see deps_ruby.h).
 *
 * Divisions: shared helpers; Gemfile.lock; the Gemfile tokenizer; the
 * Gemfile reader; the format table.
 */
#include "deps_ruby.h"
#include "buf.h"
#include "error.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Both files are a few KB in practice; 64 MiB is hostile. */
#define RUBY_MAX_SIZE (64u * 1024 * 1024)
/* do/end and bracket nesting; real Gemfiles stay under 5 */
#define RUBY_MAX_DEPTH 256
/* tokens kept for one gem/group statement */
#define RUBY_MAX_STMT 4096

static const char RUBY_ECO[] = "gem";

/* ---- shared helpers ------------------------------------------------- */

/* Append `tmp` to `out` with the room reserved first: failure leaves `out` as it was. */
static int ruby_commit(struct cl_dep_list *out, struct cl_dep_list *tmp)
{
	size_t need = out->count + tmp->count;

	if (tmp->count == 0)
		return 0;
	if (need > out->alloc) {
		struct cl_dep *p = realloc(out->items, need * sizeof(*p));
		if (!p)
			return cl_error_set("out of memory");
		out->items = p;
		out->alloc = need;
	}
	memcpy(out->items + out->count, tmp->items, tmp->count * sizeof(*tmp->items));
	out->count = need;
	free(tmp->items);
	tmp->items = NULL;
	tmp->count = tmp->alloc = 0;
	return 0;
}

/* ---- Gemfile.lock ---------------------------------------------------- */

enum lock_section { LOCK_NONE, LOCK_SOURCE, LOCK_DEPS, LOCK_OTHER };

/* One "name (paren)!" entry; pointers into the line. */
struct lock_entry {
	const char *name, *paren;
	size_t name_len, paren_len;
	int bang;
};

/*
 * Split "name", "name (x)", "name!" or "name (x)!" as Bundler's lockfile
 * parser does. @return 0, or the 0-based offset + 1 of the first bad byte.
 */
static size_t lock_entry_split(struct lock_entry *out, const char *s, size_t n)
{
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	while (i < n && s[i] != ' ' && s[i] != '(' && s[i] != ')' && s[i] != '!' && s[i] != '\t' && s[i] != '\0')
		i++;
	if (i == 0)
		return 1;
	out->name = s;
	out->name_len = i;
	if (i + 1 < n && s[i] == ' ' && s[i + 1] == '(') {
		size_t j = i + 2;
		while (j < n && s[j] != ')' && s[j] != '(' && s[j] != '\0')
			j++;
		if (j == n || s[j] != ')' || j == i + 2)
			return j + 1;
		out->paren = s + i + 2;
		out->paren_len = j - (i + 2);
		i = j + 1;
	}
	if (i < n && s[i] == '!') {
		out->bang = 1;
		i++;
	}
	return i == n ? 0 : i + 1;
}

static int lock_is_header(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || s[i] == ' ' || s[i] == '_'))
			return 0;
	return n > 0;
}

int cl_deps_gemfile_lock_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	struct cl_buf name = CL_BUF_INIT, ver = CL_BUF_INIT;
	const char *p = data, *end = data + len;
	enum lock_section section = LOCK_NONE;
	json_t *direct = NULL;
	unsigned int lineno = 0;
	int in_specs = 0, have_deps = 0, error = 0;
	size_t i;

	if (len > RUBY_MAX_SIZE) {
		error = cl_error_setc(CL_ETOOBIG, "%s: file is larger than %u bytes", path, RUBY_MAX_SIZE);
		goto done;
	}
	direct = json_object();
	CL_CHECK_ALLOC(direct);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *s = p, *e = nl ? nl : end;
		struct lock_entry ent;
		size_t indent = 0, bad;

		p = nl ? nl + 1 : end;
		lineno++;
		if (e > s && e[-1] == '\r')
			e--;
		while (s + indent < e && s[indent] == ' ')
			indent++;
		if (s + indent == e)
			continue;   /* blank lines separate sections */
		if (indent == 0) {
			if (!lock_is_header(s, (size_t)(e - s))) {
				error = cl_error_setc(CL_EINVALID, "%s:%u:1: expected a section name such as GEM", path,
						      lineno);
				goto done;
			}
			in_specs = 0;
			if ((e - s == 3 && memcmp(s, "GEM", 3) == 0) || (e - s == 3 && memcmp(s, "GIT", 3) == 0) ||
			    (e - s == 4 && memcmp(s, "PATH", 4) == 0) ||
			    (e - s == 13 && memcmp(s, "PLUGIN SOURCE", 13) == 0)) {
				section = LOCK_SOURCE;
			} else if (e - s == 12 && memcmp(s, "DEPENDENCIES", 12) == 0) {
				section = LOCK_DEPS;
				have_deps = 1;
			} else {
				section = LOCK_OTHER;   /* PLATFORMS, RUBY VERSION, BUNDLED WITH, CHECKSUMS */
			}
			continue;
		}
		if (section == LOCK_NONE) {
			error = cl_error_setc(CL_EINVALID, "%s:%u:1: indented line before any section", path, lineno);
			goto done;
		}
		if (section == LOCK_OTHER)
			continue;
		if (section == LOCK_SOURCE && indent == 2) {
			/* "remote: URL", "revision: SHA", "specs:" */
			const char *colon = memchr(s + 2, ':', (size_t)(e - s - 2));
			if (!colon) {
				error = cl_error_setc(CL_EINVALID, "%s:%u:3: expected \"key: value\"", path, lineno);
				goto done;
			}
			in_specs = (size_t)(e - s) == 8 && memcmp(s + 2, "specs:", 6) == 0;
			continue;
		}
		if (section == LOCK_SOURCE && (indent == 4 || indent == 6)) {
			if (!in_specs) {
				error = cl_error_setc(CL_EINVALID, "%s:%u:%zu: gem outside \"specs:\"", path, lineno,
						      indent + 1);
				goto done;
			}
			bad = lock_entry_split(&ent, s + indent, (size_t)(e - s) - indent);
			if (bad || ent.bang || (indent == 4 && !ent.paren)) {
				error = cl_error_setc(CL_EINVALID, "%s:%u:%zu: expected \"name (version)\"", path,
						      lineno, indent + (bad ? bad : 1));
				goto done;
			}
			if (indent == 6)
				continue;   /* a requirement of the gem above: its own entry has the version */
			{
				const char *dash = memchr(ent.paren, '-', ent.paren_len);
				size_t vlen = dash ? (size_t)(dash - ent.paren) : ent.paren_len;
				struct cl_dep *prev = tmp.count ? &tmp.items[tmp.count - 1] : NULL;
				struct cl_dep dep;

				cl_buf_clear(&name);
				cl_buf_clear(&ver);
				if ((error = cl_buf_put(&name, ent.name, ent.name_len)) < 0 ||
				    (error = cl_buf_put(&ver, ent.paren, vlen)) < 0)
					goto done;
				if (vlen == 0) {
					error = cl_error_setc(CL_EINVALID, "%s:%u:%zu: empty version", path, lineno,
							      indent + ent.name_len + 3);
					goto done;
				}
				/* platform variants (nokogiri 1.16.0-x86_64-linux, -arm64-darwin) are one gem */
				if (prev && strcmp(prev->name, name.ptr) == 0 && strcmp(prev->version, ver.ptr) == 0)
					continue;
				memset(&dep, 0, sizeof(dep));
				dep.ecosystem = RUBY_ECO;
				dep.name = name.ptr;
				dep.version = ver.ptr;
				dep.scope = CL_DEP_RUNTIME;
				dep.manifest = path;
				dep.line = lineno;
				if ((error = cl_dep_list_add(&tmp, &dep)) < 0)
					goto done;
			}
			continue;
		}
		if (section == LOCK_DEPS && indent == 2) {
			bad = lock_entry_split(&ent, s + 2, (size_t)(e - s) - 2);
			if (bad) {
				error = cl_error_setc(CL_EINVALID, "%s:%u:%zu: expected \"name\" or \"name (requirement)\"",
						      path, lineno, 2 + bad);
				goto done;
			}
			if (json_object_setn_new_nocheck(direct, ent.name, ent.name_len, json_true()) < 0) {
				error = cl_error_set("out of memory");
				goto done;
			}
			continue;
		}
		error = cl_error_setc(CL_EINVALID, "%s:%u:%zu: unexpected indentation", path, lineno, indent + 1);
		goto done;
	}
	for (i = 0; i < tmp.count; i++) {
		struct cl_dep *d = &tmp.items[i];
		if (!have_deps)
			d->relation = CL_DEP_UNKNOWN;
		else
			d->relation = json_object_get(direct, d->name) ? CL_DEP_DIRECT : CL_DEP_TRANSITIVE;
	}
	error = ruby_commit(out, &tmp);
done:
	cl_buf_dispose(&name);
	cl_buf_dispose(&ver);
	cl_dep_list_dispose(&tmp);
	json_decref(direct);
	return error;
}

/* ---- the Gemfile tokenizer ------------------------------------------- */

enum gf_type { GF_EOF, GF_NL, GF_IDENT, GF_LABEL, GF_SYMBOL, GF_STRING, GF_NUMBER, GF_ARROW, GF_PUNCT };

struct gf_tok {
	enum gf_type type;
	const char *s;        /* points into the data: identifier, label, symbol or string body */
	size_t n;
	char c;               /* GF_PUNCT: the character; strings: the quote ('%' for %-literals) */
	unsigned int line, col;
};

#define GF_MAX_HEREDOCS 8

struct gf_lexer {
	const char *path, *p, *end, *line_start;
	unsigned int line;
	struct {
		const char *id;   /* points into the data */
		size_t n;
		int squiggly;     /* <<~ and <<-: the terminator may be indented */
		unsigned int line, col;
	} heredoc[GF_MAX_HEREDOCS];
	size_t nheredoc;
};

static int gf_ident_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int gf_ident_char(unsigned char c)
{
	return gf_ident_start(c) || (c >= '0' && c <= '9');
}

static int gf_error(struct gf_lexer *lx, unsigned int line, unsigned int col, const char *what)
{
	return cl_error_setc(CL_EINVALID, "%s:%u:%u: %s", lx->path, line, col, what);
}

static unsigned int gf_col(const struct gf_lexer *lx, const char *at)
{
	return (unsigned int)(at - lx->line_start) + 1;
}

/* Step over one newline at lx->p, keeping the line count. */
static void gf_newline(struct gf_lexer *lx)
{
	lx->p++;
	lx->line++;
	lx->line_start = lx->p;
}

/* Skip the bodies of the heredocs opened on the line just ended. */
static int gf_skip_heredocs(struct gf_lexer *lx)
{
	size_t i;

	for (i = 0; i < lx->nheredoc; i++) {
		for (;;) {
			const char *s = lx->p, *nl, *e;

			if (lx->p >= lx->end)
				return gf_error(lx, lx->heredoc[i].line, lx->heredoc[i].col, "unterminated heredoc");
			nl = memchr(lx->p, '\n', (size_t)(lx->end - lx->p));
			e = nl ? nl : lx->end;
			lx->p = e;
			if (nl)
				gf_newline(lx);
			if (e > s && e[-1] == '\r')
				e--;
			if (lx->heredoc[i].squiggly)
				while (s < e && (*s == ' ' || *s == '\t'))
					s++;
			if ((size_t)(e - s) == lx->heredoc[i].n && memcmp(s, lx->heredoc[i].id, lx->heredoc[i].n) == 0)
				break;
		}
	}
	lx->nheredoc = 0;
	return 0;
}

/* A quoted body from lx->p (just after the opening quote) to `close`. */
static int gf_scan_quoted(struct gf_lexer *lx, struct gf_tok *t, char open, char close)
{
	unsigned int line = lx->line, col = gf_col(lx, lx->p - 1);
	int nest = 0, interp = 0;

	t->s = lx->p;
	while (lx->p < lx->end) {
		char c = *lx->p;

		if (c == '\0')
			return gf_error(lx, lx->line, gf_col(lx, lx->p), "NUL byte in string");
		if (c == '\\' && lx->p + 1 < lx->end && open != '\'') {
			if (lx->p[1] == '\n') {
				lx->p++;
				gf_newline(lx);
			} else {
				lx->p += 2;
			}
			continue;
		}
		if (c == '\\' && lx->p + 1 < lx->end && (lx->p[1] == '\\' || lx->p[1] == close)) {
			lx->p += 2;   /* single quotes: only \\ and \' are escapes */
			continue;
		}
		if (c == '\n') {
			gf_newline(lx);
			continue;
		}
		/* "#{...}" may hold braces and the quote itself; count braces only */
		if (open == '"' && c == '#' && lx->p + 1 < lx->end && lx->p[1] == '{') {
			interp++;
			lx->p += 2;
			continue;
		}
		if (interp > 0) {
			if (c == '{')
				interp++;
			else if (c == '}')
				interp--;
			lx->p++;
			continue;
		}
		if (c == open && open != close) {
			nest++;
		} else if (c == close) {
			if (nest == 0) {
				t->n = (size_t)(lx->p - t->s);
				lx->p++;
				return 0;
			}
			nest--;
		}
		lx->p++;
	}
	return gf_error(lx, line, col, "unterminated string");
}

static char gf_closer(char open)
{
	switch (open) {
	case '(': return ')';
	case '[': return ']';
	case '{': return '}';
	case '<': return '>';
	default: return open;
	}
}

/* After an identifier or string: "name:" (not "name::") makes a hash label. */
static int gf_label_follows(const struct gf_lexer *lx)
{
	return lx->p < lx->end && *lx->p == ':' && (lx->p + 1 >= lx->end || lx->p[1] != ':');
}

static int gf_next(struct gf_lexer *lx, struct gf_tok *t)
{
	int error;

	for (;;) {
		const char *s;
		char c;

		memset(t, 0, sizeof(*t));
		t->line = lx->line;
		t->col = gf_col(lx, lx->p);
		t->s = lx->p;
		if (lx->p >= lx->end) {
			t->type = GF_EOF;
			return 0;
		}
		c = *lx->p;
		if (lx->p == lx->line_start) {
			size_t left = (size_t)(lx->end - lx->p);
			if (left >= 7 && memcmp(lx->p, "__END__", 7) == 0 &&
			    (left == 7 || lx->p[7] == '\n' || lx->p[7] == '\r')) {
				lx->p = lx->end;   /* the rest is data, not code */
				continue;
			}
			if (left >= 6 && memcmp(lx->p, "=begin", 6) == 0) {
				unsigned int line = lx->line;
				for (;;) {
					const char *nl = memchr(lx->p, '\n', (size_t)(lx->end - lx->p));
					if (!nl)
						return gf_error(lx, line, 1, "unterminated =begin comment");
					lx->p = nl;
					gf_newline(lx);
					if (lx->end - lx->p >= 4 && memcmp(lx->p, "=end", 4) == 0)
						break;
				}
				lx->p = memchr(lx->p, '\n', (size_t)(lx->end - lx->p));
				if (!lx->p)
					lx->p = lx->end;
				continue;
			}
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			lx->p++;
			continue;
		}
		if (c == '\\' && lx->p + 1 < lx->end && (lx->p[1] == '\n' || lx->p[1] == '\r')) {
			lx->p++;
			if (*lx->p == '\r')
				lx->p++;
			if (lx->p < lx->end && *lx->p == '\n')
				gf_newline(lx);
			continue;
		}
		if (c == '#') {
			s = memchr(lx->p, '\n', (size_t)(lx->end - lx->p));
			lx->p = s ? s : lx->end;
			continue;
		}
		if (c == '\n') {
			gf_newline(lx);
			if (lx->nheredoc && (error = gf_skip_heredocs(lx)) < 0)
				return error;
			t->type = GF_NL;
			return 0;
		}
		if (c == '"' || c == '\'' || c == '`') {
			lx->p++;
			t->type = GF_STRING;
			t->c = c;
			if ((error = gf_scan_quoted(lx, t, c, c)) < 0)
				return error;
			if (gf_label_follows(lx)) {
				t->type = GF_LABEL;
				lx->p++;
			}
			return 0;
		}
		if (c == ':') {
			if (lx->p + 1 < lx->end && lx->p[1] == ':') {
				lx->p += 2;
				t->type = GF_PUNCT;
				t->c = ':';
				return 0;
			}
			if (lx->p + 1 < lx->end && (lx->p[1] == '"' || lx->p[1] == '\'')) {
				char q = lx->p[1];
				lx->p += 2;
				t->type = GF_SYMBOL;
				t->c = q;
				return gf_scan_quoted(lx, t, q, q);
			}
			if (lx->p + 1 < lx->end && gf_ident_start((unsigned char)lx->p[1])) {
				lx->p++;
				t->s = lx->p;
				while (lx->p < lx->end && gf_ident_char((unsigned char)*lx->p))
					lx->p++;
				if (lx->p < lx->end && (*lx->p == '?' || *lx->p == '!'))
					lx->p++;
				t->n = (size_t)(lx->p - t->s);
				t->type = GF_SYMBOL;
				return 0;
			}
			lx->p++;
			t->type = GF_PUNCT;
			t->c = ':';
			return 0;
		}
		if (c >= '0' && c <= '9') {
			while (lx->p < lx->end && (gf_ident_char((unsigned char)*lx->p) || *lx->p == '.'))
				lx->p++;
			t->type = GF_NUMBER;
			t->n = (size_t)(lx->p - t->s);
			return 0;
		}
		if (gf_ident_start((unsigned char)c) || c == '@' || c == '$') {
			lx->p++;
			while (lx->p < lx->end && (gf_ident_char((unsigned char)*lx->p) || *lx->p == '@'))
				lx->p++;
			if (lx->p < lx->end && (*lx->p == '?' || *lx->p == '!') &&
			    (lx->p + 1 >= lx->end || lx->p[1] != '='))
				lx->p++;
			t->n = (size_t)(lx->p - t->s);
			t->type = GF_IDENT;
			if (gf_label_follows(lx)) {
				t->type = GF_LABEL;
				lx->p++;
			}
			return 0;
		}
		if (c == '%' && lx->p + 1 < lx->end) {
			const char *q = lx->p + 1;
			if (strchr("wWiIqQ", *q) && q + 1 < lx->end && *q != '\0')
				q++;
			if (q < lx->end && *q != '\0' && strchr("([{<|!/", *q)) {
				lx->p = q + 1;
				t->type = GF_STRING;
				t->c = '%';
				return gf_scan_quoted(lx, t, *q, gf_closer(*q));
			}
		}
		if (c == '<' && lx->end - lx->p >= 3 && lx->p[1] == '<') {
			const char *q = lx->p + 2;
			int squiggly = 0;
			char quote = 0;

			if (*q == '~' || *q == '-') {
				squiggly = 1;
				q++;
			}
			if (q < lx->end && (*q == '"' || *q == '\'')) {
				quote = *q;
				q++;
			}
			if (q < lx->end && ((*q >= 'A' && *q <= 'Z') || *q == '_' || ((squiggly || quote) && gf_ident_start((unsigned char)*q)))) {
				const char *id = q;
				while (q < lx->end && gf_ident_char((unsigned char)*q))
					q++;
				if (quote) {
					if (q >= lx->end || *q != quote)
						return gf_error(lx, t->line, t->col, "malformed heredoc");
					q++;
				}
				if (lx->nheredoc == GF_MAX_HEREDOCS)
					return gf_error(lx, t->line, t->col, "too many heredocs on one line");
				lx->heredoc[lx->nheredoc].id = id;
				lx->heredoc[lx->nheredoc].n = (size_t)(q - id) - (quote ? 1 : 0);
				lx->heredoc[lx->nheredoc].squiggly = squiggly;
				lx->heredoc[lx->nheredoc].line = t->line;
				lx->heredoc[lx->nheredoc].col = t->col;
				lx->nheredoc++;
				lx->p = q;
				t->type = GF_STRING;
				t->c = '<';
				t->n = 0;
				return 0;
			}
		}
		if (c == '=' && lx->p + 1 < lx->end && lx->p[1] == '>') {
			lx->p += 2;
			t->type = GF_ARROW;
			return 0;
		}
		if (c == '\0')
			return gf_error(lx, t->line, t->col, "NUL byte");
		lx->p++;
		t->type = GF_PUNCT;
		t->c = c;
		return 0;
	}
}

/* ---- the Gemfile reader ---------------------------------------------- */

enum gf_stmt_kind { GF_STMT_NONE, GF_STMT_GEM, GF_STMT_GROUP };

struct gf_block {
	int is_group;
	enum cl_dep_scope scope;
	unsigned int line;
};

struct gf_reader {
	struct gf_lexer lx;
	struct cl_dep_list *tmp;
	struct gf_block blocks[RUBY_MAX_DEPTH];
	size_t nblocks;
	struct gf_tok *stmt;     /* RUBY_MAX_STMT tokens of the gem/group statement */
	size_t nstmt;
	enum gf_stmt_kind kind;
	unsigned int stmt_line;
	int loop_stmt;           /* while/until/for: their optional `do` opens nothing */
	int collecting;          /* 0 after a modifier `if`/`unless` ends the arguments */
	struct cl_buf name, ver, sval;
};

static int gf_is(const struct gf_tok *t, enum gf_type type, const char *word)
{
	return t->type == type && t->n == strlen(word) && memcmp(t->s, word, t->n) == 0;
}

/* The value of a string or symbol token, with \\ and \<quote> unescaped. */
static int gf_string_value(struct cl_buf *out, const struct gf_tok *t)
{
	size_t i;

	cl_buf_clear(out);
	for (i = 0; i < t->n; i++) {
		char c = t->s[i];
		if (c == '\\' && i + 1 < t->n && (t->s[i + 1] == '\\' || t->s[i + 1] == t->c))
			c = t->s[++i];
		if (cl_buf_putc(out, c) < 0)
			return CL_ERROR;
	}
	return 0;
}

static int gf_is_literal(const struct gf_tok *t)
{
	return (t->type == GF_STRING && t->c != '%' && t->c != '<' && t->c != '`') || t->type == GF_SYMBOL;
}

/* The dev/test/optional/runtime reading of a group list; see the header. */
struct gf_groups {
	int dev, test, named, optional;
};

static void gf_group_name(struct gf_groups *g, const char *s, size_t n)
{
	if ((n == 11 && memcmp(s, "development", 11) == 0) || (n == 3 && memcmp(s, "dev", 3) == 0))
		g->dev = 1;
	else if (n == 4 && memcmp(s, "test", 4) == 0)
		g->test = 1;
	g->named = 1;
}

static enum cl_dep_scope gf_groups_scope(const struct gf_groups *g, enum cl_dep_scope inherited)
{
	if (g->dev)
		return CL_DEP_DEV;
	if (g->test)
		return CL_DEP_TEST;
	if (g->optional)
		return CL_DEP_OPTIONAL;
	return g->named ? CL_DEP_RUNTIME : inherited;
}

/* Groups named by the tokens [a, b): symbols, strings and arrays of them. */
static void gf_collect_groups(struct gf_groups *g, const struct gf_tok *t, size_t a, size_t b)
{
	size_t i;

	for (i = a; i < b; i++)
		if (gf_is_literal(&t[i]))
			gf_group_name(g, t[i].s, t[i].n);
}

/* Split the statement's arguments at top-level commas; calls `fn` per argument. */
static int gf_args(struct gf_reader *r, int (*fn)(struct gf_reader *r, size_t a, size_t b, size_t idx, void *payload),
		   void *payload)
{
	size_t i = 0, start, idx = 0, n = r->nstmt;
	int depth = 0, error;

	if (n > 0 && r->stmt[0].type == GF_PUNCT && r->stmt[0].c == '(')
		i = 1;   /* gem("x", ...) */
	start = i;
	for (; i <= n; i++) {
		const struct gf_tok *t = i < n ? &r->stmt[i] : NULL;
		int closes = t && t->type == GF_PUNCT && strchr(")]}", t->c) && depth == 0;

		if (!t || closes || (t->type == GF_PUNCT && t->c == ',' && depth == 0)) {
			if (i > start && (error = fn(r, start, i, idx++, payload)) < 0)
				return error;
			if (!t || closes)
				break;
			start = i + 1;
			continue;
		}
		if (t->type == GF_PUNCT && strchr("([{", t->c))
			depth++;
		else if (t->type == GF_PUNCT && strchr(")]}", t->c))
			depth--;
	}
	return 0;
}

struct gf_gem {
	int skip;              /* the name is not a literal */
	int have_name;
	unsigned int nreq;
	struct gf_groups groups;
};

static int gf_gem_arg(struct gf_reader *r, size_t a, size_t b, size_t idx, void *payload)
{
	struct gf_gem *g = payload;
	const struct gf_tok *t = r->stmt;
	size_t vstart = 0;
	const struct gf_tok *key = NULL;

	if (t[a].type == GF_LABEL) {
		key = &t[a];
		vstart = a + 1;
	} else if (b - a >= 2 && gf_is_literal(&t[a]) && t[a + 1].type == GF_ARROW) {
		key = &t[a];
		vstart = a + 2;
	}
	if (key) {
		if ((key->n == 5 && memcmp(key->s, "group", 5) == 0) ||
		    (key->n == 6 && memcmp(key->s, "groups", 6) == 0))
			gf_collect_groups(&g->groups, t, vstart, b);
		return 0;
	}
	if (idx == 0) {
		if (b - a != 1 || t[a].type != GF_STRING || t[a].c == '%' || t[a].c == '<' ||
		    t[a].n == 0) {
			g->skip = 1;
			return 0;
		}
		g->have_name = 1;
		if (gf_string_value(&r->name, &t[a]) < 0)
			return cl_error_set("out of memory");
		return 0;
	}
	if (b - a == 1 && t[a].type == GF_STRING && t[a].c != '<') {
		if (gf_string_value(&r->sval, &t[a]) < 0 || (g->nreq++ > 0 && cl_buf_puts(&r->ver, ", ") < 0) ||
		    cl_buf_put(&r->ver, r->sval.ptr ? r->sval.ptr : "", r->sval.size) < 0)
			return cl_error_set("out of memory");
	}
	return 0;
}

static enum cl_dep_scope gf_inherited(const struct gf_reader *r)
{
	size_t i = r->nblocks;

	while (i-- > 0)
		if (r->blocks[i].is_group)
			return r->blocks[i].scope;
	return CL_DEP_RUNTIME;
}

static int gf_finish_gem(struct gf_reader *r)
{
	struct gf_gem g;
	struct cl_dep dep;
	int error;

	memset(&g, 0, sizeof(g));
	cl_buf_clear(&r->name);
	cl_buf_clear(&r->ver);
	if ((error = gf_args(r, gf_gem_arg, &g)) < 0)
		return error;
	if (g.skip || !g.have_name)
		return 0;
	memset(&dep, 0, sizeof(dep));
	dep.ecosystem = RUBY_ECO;
	dep.name = cl_buf_cstr(&r->name);
	dep.version = g.nreq ? cl_buf_cstr(&r->ver) : NULL;
	dep.relation = CL_DEP_DIRECT;
	dep.scope = gf_groups_scope(&g.groups, gf_inherited(r));
	dep.manifest = r->lx.path;
	dep.line = r->stmt_line;
	return cl_dep_list_add(r->tmp, &dep);
}

static int gf_group_arg(struct gf_reader *r, size_t a, size_t b, size_t idx, void *payload)
{
	struct gf_groups *g = payload;
	const struct gf_tok *t = r->stmt;

	(void)idx;
	if (t[a].type == GF_LABEL || (b - a >= 2 && t[a + 1].type == GF_ARROW)) {
		size_t v = t[a].type == GF_LABEL ? a + 1 : a + 2;
		if (t[a].n == 8 && memcmp(t[a].s, "optional", 8) == 0 && v < b && gf_is(&t[v], GF_IDENT, "true"))
			g->optional = 1;
		return 0;
	}
	gf_collect_groups(g, t, a, b);
	return 0;
}

static int gf_push(struct gf_reader *r, int is_group, enum cl_dep_scope scope, unsigned int line, unsigned int col)
{
	if (r->nblocks == RUBY_MAX_DEPTH)
		return gf_error(&r->lx, line, col, "blocks nested too deeply");
	r->blocks[r->nblocks].is_group = is_group;
	r->blocks[r->nblocks].scope = scope;
	r->blocks[r->nblocks].line = line;
	r->nblocks++;
	return 0;
}

static int gf_end_stmt(struct gf_reader *r)
{
	int error = 0;

	if (r->kind == GF_STMT_GEM)
		error = gf_finish_gem(r);
	r->kind = GF_STMT_NONE;
	r->nstmt = 0;
	r->loop_stmt = 0;
	return error;
}

static int gf_keyword_opens(const struct gf_tok *t)
{
	static const char *const kw[] = { "if", "unless", "while", "until", "case", "begin", "def", "class",
					  "module", "for" };
	size_t i;

	for (i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (gf_is(t, GF_IDENT, kw[i]))
			return 1;
	return 0;
}

/*
 * Does a newline after `prev` continue the statement (a trailing comma,
 * operator, label)? Not after '|': that closes block parameters, `do |g|`.
 */
static int gf_continues(const struct gf_tok *prev)
{
	if (prev->type == GF_ARROW || prev->type == GF_LABEL)
		return 1;
	return prev->type == GF_PUNCT && !strchr(")]};|", prev->c);
}

int cl_deps_gemfile_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	struct gf_reader *r = NULL;
	struct gf_tok t, prev;
	int at_start = 1, depth = 0, error = 0;

	if (len > RUBY_MAX_SIZE) {
		error = cl_error_setc(CL_ETOOBIG, "%s: file is larger than %u bytes", path, RUBY_MAX_SIZE);
		goto done;
	}
	r = calloc(1, sizeof(*r));
	CL_CHECK_ALLOC(r);
	r->stmt = malloc(RUBY_MAX_STMT * sizeof(*r->stmt));
	CL_CHECK_ALLOC(r->stmt);
	r->lx.path = path;
	r->lx.p = r->lx.line_start = data;
	r->lx.end = data + len;
	r->lx.line = 1;
	r->tmp = &tmp;
	memset(&prev, 0, sizeof(prev));
	prev.type = GF_NL;
	for (;;) {
		int after_dot;

		if ((error = gf_next(&r->lx, &t)) < 0)
			goto done;
		if (t.type == GF_EOF)
			break;
		if (t.type == GF_NL) {
			if (depth == 0 && !gf_continues(&prev)) {
				if ((error = gf_end_stmt(r)) < 0)
					goto done;
				at_start = 1;
				prev = t;
			}
			continue;
		}
		if (t.type == GF_PUNCT && t.c == ';' && depth == 0) {
			if ((error = gf_end_stmt(r)) < 0)
				goto done;
			at_start = 1;
			prev = t;
			continue;
		}
		after_dot = prev.type == GF_PUNCT && prev.c == '.';
		if (at_start) {
			at_start = 0;
			if (gf_is(&t, GF_IDENT, "gem") || gf_is(&t, GF_IDENT, "group")) {
				r->kind = t.s[1] == 'e' ? GF_STMT_GEM : GF_STMT_GROUP;
				r->stmt_line = t.line;
				r->nstmt = 0;
				r->collecting = 1;
				prev = t;
				continue;
			}
			if (gf_keyword_opens(&t)) {
				if ((error = gf_push(r, 0, CL_DEP_RUNTIME, t.line, t.col)) < 0)
					goto done;
				r->loop_stmt = gf_is(&t, GF_IDENT, "while") || gf_is(&t, GF_IDENT, "until") ||
					       gf_is(&t, GF_IDENT, "for");
				prev = t;
				continue;
			}
		} else if (!after_dot && (gf_is(&t, GF_IDENT, "if") || gf_is(&t, GF_IDENT, "unless") ||
					  gf_is(&t, GF_IDENT, "while") || gf_is(&t, GF_IDENT, "until") ||
					  gf_is(&t, GF_IDENT, "case") || gf_is(&t, GF_IDENT, "begin"))) {
			/* `x = if c ... end` opens a block; `gem "x" if c` is a modifier */
			int expr = (prev.type == GF_PUNCT && strchr("=(,[{|&!", prev.c)) || prev.type == GF_ARROW ||
				   prev.type == GF_LABEL || gf_is(&prev, GF_IDENT, "return") ||
				   gf_is(&t, GF_IDENT, "case") || gf_is(&t, GF_IDENT, "begin");
			if (expr && (error = gf_push(r, 0, CL_DEP_RUNTIME, t.line, t.col)) < 0)
				goto done;
			if (!expr && depth == 0)
				r->collecting = 0;
			prev = t;
			continue;
		}
		if (!after_dot && gf_is(&t, GF_IDENT, "do")) {
			if (r->kind == GF_STMT_GROUP) {
				struct gf_groups g;
				memset(&g, 0, sizeof(g));
				if ((error = gf_args(r, gf_group_arg, &g)) < 0 ||
				    (error = gf_push(r, 1, gf_groups_scope(&g, gf_inherited(r)), t.line, t.col)) < 0)
					goto done;
				r->kind = GF_STMT_NONE;
			} else if (!r->loop_stmt) {
				if ((error = gf_push(r, 0, CL_DEP_RUNTIME, t.line, t.col)) < 0)
					goto done;
			}
			if ((error = gf_end_stmt(r)) < 0)
				goto done;
			at_start = 1;
			prev = t;
			continue;
		}
		if (!after_dot && (gf_is(&t, GF_IDENT, "then") || gf_is(&t, GF_IDENT, "else")) && depth == 0) {
			/* `if c then gem "a" else gem "b" end`: each branch starts a statement */
			if ((error = gf_end_stmt(r)) < 0)
				goto done;
			at_start = 1;
			prev = t;
			continue;
		}
		if (!after_dot && gf_is(&t, GF_IDENT, "end")) {
			if (r->nblocks == 0) {
				error = gf_error(&r->lx, t.line, t.col, "'end' without an open block");
				goto done;
			}
			/* `group :x do gem "a" end`: the gem belongs to the block */
			if ((error = gf_end_stmt(r)) < 0)
				goto done;
			r->nblocks--;
			prev = t;
			continue;
		}
		if (t.type == GF_PUNCT && strchr("([{", t.c)) {
			if (++depth > RUBY_MAX_DEPTH) {
				error = gf_error(&r->lx, t.line, t.col, "brackets nested too deeply");
				goto done;
			}
		} else if (t.type == GF_PUNCT && strchr(")]}", t.c)) {
			if (depth == 0) {
				error = gf_error(&r->lx, t.line, t.col, "unbalanced closing bracket");
				goto done;
			}
			depth--;
		}
		if (r->kind != GF_STMT_NONE && r->collecting) {
			if (r->nstmt == RUBY_MAX_STMT) {
				error = gf_error(&r->lx, r->stmt_line, 1, "statement too long");
				goto done;
			}
			r->stmt[r->nstmt++] = t;
		}
		prev = t;
	}
	if (depth > 0) {
		error = gf_error(&r->lx, r->lx.line, gf_col(&r->lx, r->lx.p), "unclosed bracket at end of file");
		goto done;
	}
	if (r->nblocks > 0) {
		error = gf_error(&r->lx, r->blocks[r->nblocks - 1].line, 1, "block without 'end'");
		goto done;
	}
	if ((error = gf_end_stmt(r)) < 0)
		goto done;
	error = ruby_commit(out, &tmp);
done:
	if (r) {
		cl_buf_dispose(&r->name);
		cl_buf_dispose(&r->ver);
		cl_buf_dispose(&r->sval);
		free(r->stmt);
		free(r);
	}
	cl_dep_list_dispose(&tmp);
	return error;
}

/* ---- the format table ------------------------------------------------ */

const struct cl_dep_format cl_deps_ruby_formats[] = {
	{ "Gemfile", "Gemfile", 0, cl_deps_gemfile_parse },
	{ "gems.rb", "gems.rb", 0, cl_deps_gemfile_parse },
	{ "Gemfile.lock", "Gemfile.lock", 1, cl_deps_gemfile_lock_parse },
	{ "gems.locked", "gems.locked", 1, cl_deps_gemfile_lock_parse },
	{ NULL, NULL, 0, NULL }
};
