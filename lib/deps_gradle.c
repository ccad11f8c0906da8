/*
 * deps_gradle.c - dependency declarations of Gradle build scripts (Groovy
 * and Kotlin DSL) and the exact versions of gradle.lockfile.
 *
 * A build script is a program, not data: this reads it with a small
 * tokenizer (strings, comments, brackets, identifiers, newlines) and
 * recognises only declarations whose arguments are literals, inside a
 * `dependencies { }` block (also the one in `buildscript { }`):
 *   conf 'g:n:v'  conf("g:n:v")  conf 'g:n:v:classifier@ext', 'g2:n2:v2'
 *   conf group: 'g', name: 'n', version: 'v'     (Groovy map notation)
 *   conf(group = "g", name = "n", version = "v") (Kotlin named arguments)
 *   conf(platform("g:n:v")), conf enforcedPlatform('g:n:v')  (a BOM)
 *   conf(kotlin("stdlib"[, "v"]))   -> org.jetbrains.kotlin:kotlin-stdlib
 * and skips what names no external module: project(':x'), files(...),
 * fileTree(...), gradleApi(), and version-catalog accessors (libs.foo):
 * the catalog is another file (gradle/libs.versions.toml) this does not read.
 * A version with "$x"/"${x}" interpolation is kept as written, unresolved.
 * Entries of a `constraints { }` block have relation unknown (they pin a
 * version, as Maven's dependencyManagement does). The scope comes from the
 * configuration name (see gradle_conf_scope).
 * Slashy strings (/re/) are not recognised: a '/' is an operator here.
 */
#include "deps_gradle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "deps_maven.h"
#include "error.h"

#define GRADLE_MAX_DEPTH 256

/* A text file holds no NUL byte; C strings cut at one would misreport names. */
static int gradle_check_nul(const char *path, const char *data, size_t len)
{
	const char *nul = memchr(data, '\0', len), *p, *bol = data;
	unsigned int line = 1;

	if (!nul)
		return 0;
	for (p = data; p < nul; p++)
		if (*p == '\n') {
			line++;
			bol = p + 1;
		}
	return cl_error_setc(CL_EINVALID, "%s:%u:%u: NUL byte in a text file", path, line,
	                     (unsigned int)(nul - bol) + 1);
}

/* ---- configuration names -> scope ---- */

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * Test configurations are named test*, androidTest*, *TestImplementation,
 * testFixtures*; compile-only and processor configurations never ship.
 */
static enum cl_dep_scope gradle_conf_scope(const char *conf)
{
	static const char *const build_prefix[] = { "annotationProcessor", "kapt", "ksp", "classpath", "errorprone",
	                                            "lintChecks", "detekt", "compileOnly", "compileClasspath" };
	size_t i;

	if (starts_with(conf, "test") || strstr(conf, "Test"))
		return CL_DEP_TEST;
	if (starts_with(conf, "developmentOnly"))
		return CL_DEP_DEV;
	for (i = 0; i < sizeof(build_prefix) / sizeof(build_prefix[0]); i++)
		if (starts_with(conf, build_prefix[i]))
			return CL_DEP_BUILD;
	if (ends_with(conf, "CompileOnly") || ends_with(conf, "CompileOnlyApi") ||
	    ends_with(conf, "AnnotationProcessor") || ends_with(conf, "CompileClasspath"))
		return CL_DEP_BUILD;
	return CL_DEP_RUNTIME;
}

/* ---- tokenizer ---- */

enum gtok_type { GT_EOF, GT_NL, GT_IDENT, GT_STRING, GT_NUMBER, GT_PUNCT };

struct gtok {
	enum gtok_type type;
	const char *s;      /* points into the script: identifier, or a string's inside */
	size_t n;
	int triple;         /* a '''/""" string: escapes are read the same way */
	int interp;         /* a double-quoted string with $ templates */
	unsigned int line, col;
};

struct glex {
	const char *path, *p, *end, *bol;
	unsigned int line;
	struct gtok tok;    /* current */
};

static int glex_error(struct glex *lx, unsigned int line, unsigned int col, const char *what)
{
	return cl_error_setc(CL_EINVALID, "%s:%u:%u: %s", lx->path, line, col, what);
}

static int is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
}

static int is_ident_char(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

static void glex_newline(struct glex *lx, const char *after)
{
	lx->line++;
	lx->bol = after;
}

/* Skip a "${ ... }" template (lx->p just past "${"); nested strings skipped loosely. */
static int glex_template(struct glex *lx, unsigned int line, unsigned int col)
{
	int depth = 1;

	while (lx->p < lx->end) {
		char c = *lx->p++;

		if (c == '\n')
			glex_newline(lx, lx->p);
		else if (c == '{' && ++depth > GRADLE_MAX_DEPTH)
			return glex_error(lx, line, col, "string template nested too deeply");
		else if (c == '}' && --depth == 0)
			return 0;
		else if (c == '\'' || c == '"') {
			while (lx->p < lx->end && *lx->p != c && *lx->p != '\n') {
				if (*lx->p == '\\' && lx->p + 1 < lx->end)
					lx->p++;
				lx->p++;
			}
			if (lx->p < lx->end && *lx->p == c)
				lx->p++;
		}
	}
	return glex_error(lx, line, col, "unterminated string template");
}

static int glex_string(struct glex *lx, unsigned int line, unsigned int col)
{
	char q = *lx->p;
	int triple = lx->end - lx->p >= 3 && lx->p[1] == q && lx->p[2] == q;
	const char *start;

	lx->p += triple ? 3 : 1;
	start = lx->p;
	lx->tok.interp = 0;
	for (;;) {
		if (lx->p >= lx->end)
			return glex_error(lx, line, col, "unterminated string");
		if (*lx->p == '\\' && lx->p + 1 < lx->end) {
			if (lx->p[1] == '\n')
				glex_newline(lx, lx->p + 2);
			lx->p += 2;
			continue;
		}
		if (*lx->p == '\n') {
			if (!triple)
				return glex_error(lx, line, col, "unterminated string");
			glex_newline(lx, ++lx->p);
			continue;
		}
		if (q == '"' && *lx->p == '$' && lx->p + 1 < lx->end) {
			lx->tok.interp = 1;
			if (lx->p[1] == '{') {
				int error;

				lx->p += 2;
				if ((error = glex_template(lx, line, col)) < 0)
					return error;
				continue;
			}
		}
		if (*lx->p == q && (!triple || (lx->end - lx->p >= 3 && lx->p[1] == q && lx->p[2] == q)))
			break;
		lx->p++;
	}
	lx->tok.type = GT_STRING;
	lx->tok.s = start;
	lx->tok.n = (size_t)(lx->p - start);
	lx->tok.triple = triple;
	lx->p += triple ? 3 : 1;
	return 0;
}

/* Advance to the next token. */
static int glex_next(struct glex *lx)
{
	for (;;) {
		const char *p = lx->p;
		unsigned int line = lx->line, col = (unsigned int)(p - lx->bol) + 1;

		lx->tok.line = line;
		lx->tok.col = col;
		lx->tok.s = p;
		lx->tok.n = 1;
		if (p >= lx->end) {
			lx->tok.type = GT_EOF;
			lx->tok.n = 0;
			return 0;
		}
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f') {
			lx->p++;
			continue;
		}
		if (*p == '\\' && p + 1 < lx->end && p[1] == '\n') {
			/* a line continuation joins two lines into one statement */
			lx->p += 2;
			glex_newline(lx, lx->p);
			continue;
		}
		if (*p == '\n') {
			lx->p++;
			glex_newline(lx, lx->p);
			lx->tok.type = GT_NL;
			return 0;
		}
		if (*p == '/' && p + 1 < lx->end && p[1] == '/') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
			continue;
		}
		if (*p == '#' && p + 1 < lx->end && p[1] == '!' && line == 1 && col == 1) {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
			continue;
		}
		if (*p == '/' && p + 1 < lx->end && p[1] == '*') {
			lx->p += 2;
			while (lx->p + 1 < lx->end && !(lx->p[0] == '*' && lx->p[1] == '/')) {
				if (*lx->p == '\n')
					glex_newline(lx, lx->p + 1);
				lx->p++;
			}
			if (lx->p + 1 >= lx->end)
				return glex_error(lx, line, col, "unterminated comment");
			lx->p += 2;
			continue;
		}
		if (*p == '\'' || *p == '"')
			return glex_string(lx, line, col);
		if (*p == '`') {
			/* Kotlin backquoted identifier */
			const char *e = memchr(p + 1, '`', (size_t)(lx->end - p - 1));

			if (!e || memchr(p + 1, '\n', (size_t)(e - p - 1)))
				return glex_error(lx, line, col, "unterminated backquoted name");
			lx->tok.type = GT_IDENT;
			lx->tok.s = p + 1;
			lx->tok.n = (size_t)(e - p - 1);
			lx->p = e + 1;
			return 0;
		}
		if (is_ident_start(*p)) {
			while (lx->p < lx->end && is_ident_char(*lx->p))
				lx->p++;
			lx->tok.type = GT_IDENT;
			lx->tok.n = (size_t)(lx->p - p);
			return 0;
		}
		if (*p >= '0' && *p <= '9') {
			while (lx->p < lx->end && (is_ident_char(*lx->p) || *lx->p == '.'))
				lx->p++;
			lx->tok.type = GT_NUMBER;
			lx->tok.n = (size_t)(lx->p - p);
			return 0;
		}
		lx->p++;
		lx->tok.type = GT_PUNCT;
		return 0;
	}
}

static int tok_is(const struct gtok *t, const char *ident)
{
	return t->type == GT_IDENT && t->n == strlen(ident) && memcmp(t->s, ident, t->n) == 0;
}

static int tok_punct(const struct gtok *t, char c)
{
	return t->type == GT_PUNCT && *t->s == c;
}

/* The string token's value with escapes read (\x -> x, \n -> newline, ...). */
static int tok_string(char **out, const struct gtok *t)
{
	char *s = malloc(t->n + 1), *w = s;
	size_t i;

	if (!s)
		return cl_error_set("out of memory");
	for (i = 0; i < t->n; i++) {
		char c = t->s[i];

		if (c == '\\' && i + 1 < t->n) {
			c = t->s[++i];
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
		}
		*w++ = c;
	}
	*w = '\0';
	*out = s;
	return 0;
}

/* ---- declarations ---- */

enum gblock { GB_OTHER, GB_DEPS, GB_CONSTRAINTS };

struct gparse {
	struct glex lx;
	struct cl_dep_list *list;
	enum gblock stack[GRADLE_MAX_DEPTH];
	char closer[GRADLE_MAX_DEPTH];
	int depth;
};

struct gdecl {
	char *group, *name, *version;
	const char *fixed_name;  /* set instead of group/name for kotlin("x") */
	unsigned int line;
};

static void gdecl_dispose(struct gdecl *d)
{
	free(d->group);
	free(d->name);
	free(d->version);
	memset(d, 0, sizeof(*d));
}

static int gparse_push(struct gparse *gp, enum gblock kind, char closer)
{
	if (gp->depth >= GRADLE_MAX_DEPTH)
		return glex_error(&gp->lx, gp->lx.tok.line, gp->lx.tok.col, "brackets nested too deeply");
	gp->stack[gp->depth] = kind;
	gp->closer[gp->depth++] = closer;
	return 0;
}

static int gparse_pop(struct gparse *gp, char c)
{
	if (gp->depth == 0 || gp->closer[gp->depth - 1] != c) {
		char msg[64];

		snprintf(msg, sizeof(msg), "unbalanced '%c'", c);
		return glex_error(&gp->lx, gp->lx.tok.line, gp->lx.tok.col, msg);
	}
	gp->depth--;
	return 0;
}

/* Track one bracket token for the block structure. */
static int gparse_bracket(struct gparse *gp, enum gblock kind)
{
	const struct gtok *t = &gp->lx.tok;

	if (t->type != GT_PUNCT)
		return 0;
	switch (*t->s) {
	case '{':
		return gparse_push(gp, kind, '}');
	case '(':
		return gparse_push(gp, GB_OTHER, ')');
	case '[':
		return gparse_push(gp, GB_OTHER, ']');
	case '}':
	case ')':
	case ']':
		return gparse_pop(gp, *t->s);
	default:
		return 0;
	}
}

/* Skip tokens up to and including the bracket closing the one just read. */
static int gparse_skip_group(struct gparse *gp)
{
	int base = gp->depth - 1, error;

	while (gp->depth > base) {
		if ((error = glex_next(&gp->lx)) < 0)
			return error;
		if (gp->lx.tok.type == GT_EOF)
			return glex_error(&gp->lx, gp->lx.tok.line, gp->lx.tok.col, "unexpected end of file");
		if ((error = gparse_bracket(gp, GB_OTHER)) < 0)
			return error;
	}
	return 0;
}

/*
 * Read on from the current token (its bracket not yet counted) until the
 * depth is back to `depth`; the token closing the group is the current one.
 */
static int gparse_finish_group(struct gparse *gp, int depth)
{
	int error;

	for (;;) {
		if (gp->lx.tok.type == GT_EOF)
			return glex_error(&gp->lx, gp->lx.tok.line, gp->lx.tok.col, "unexpected end of file");
		if ((error = gparse_bracket(gp, GB_OTHER)) < 0)
			return error;
		if (gp->depth <= depth)
			return 0;
		if ((error = glex_next(&gp->lx)) < 0)
			return error;
	}
}

/* "g:n[:v[:classifier]][@ext]" into d; 0 and d->name NULL when it is no coordinate. */
static int gdecl_from_notation(struct gdecl *d, const struct gtok *t)
{
	char *s = NULL, *at, *c1, *c2, *c3;
	int error = 0;

	if ((error = tok_string(&s, t)) < 0)
		return error;
	at = strrchr(s, '@');
	if (at && !strchr(at, '}'))
		*at = '\0';
	c1 = strchr(s, ':');
	if (!c1 || c1 == s || c1[1] == '\0' || c1[1] == ':')
		goto done;
	*c1 = '\0';
	c2 = strchr(c1 + 1, ':');
	if (c2) {
		*c2 = '\0';
		c3 = strchr(c2 + 1, ':');
		if (c3)
			*c3 = '\0';
	}
	if (!(d->group = strdup(s)) || !(d->name = strdup(c1 + 1)) ||
	    (c2 && c2[1] && !(d->version = strdup(c2 + 1))))
		error = cl_error_set("out of memory");
done:
	free(s);
	return error;
}

static int gparse_emit(struct gparse *gp, struct gdecl *d, const char *conf, enum gblock block)
{
	struct cl_dep dep = { "maven", NULL, d->version, block == GB_CONSTRAINTS ? CL_DEP_UNKNOWN : CL_DEP_DIRECT,
	                      gradle_conf_scope(conf), NULL, gp->lx.path, d->line };
	char *name = NULL;
	size_t n;
	int error = 0;

	if (d->fixed_name) {
		dep.name = d->fixed_name;
	} else {
		if (!d->name || !d->name[0])
			goto done;
		n = (d->group ? strlen(d->group) : 0) + strlen(d->name) + 2;
		name = malloc(n);
		CL_CHECK_ALLOC(name);
		snprintf(name, n, "%s:%s", d->group ? d->group : "", d->name);
		dep.name = name;
	}
	error = cl_dep_list_add(gp->list, &dep);
done:
	free(name);
	return error;
}

/*
 * One argument list of a configuration call, ended by `closer` (')' for a
 * parenthesised call, '\n' for a Groovy command call). The current token is
 * the first of the arguments.
 */
static int gparse_args(struct gparse *gp, const char *conf, enum gblock block, char closer)
{
	struct glex *lx = &gp->lx;
	struct gdecl map = { NULL, NULL, NULL, NULL, 0 };
	int error = 0, nested = gp->depth, after_comma = 0;

	map.line = lx->tok.line;
	for (;;) {
		struct gtok *t = &lx->tok;

		/* a Groovy argument list goes on past a newline after a comma */
		if (closer == '\n' && t->type == GT_NL && after_comma) {
			if ((error = glex_next(lx)) < 0)
				goto done;
			continue;
		}
		if (t->type == GT_EOF || (closer == '\n' && (t->type == GT_NL || tok_punct(t, ';') || tok_punct(t, '}'))))
			break;
		after_comma = tok_punct(t, ',');
		if (closer == ')' && tok_punct(t, ')'))
			break;
		if (t->type == GT_STRING) {
			struct gdecl d = { NULL, NULL, NULL, NULL, t->line };

			if ((error = gdecl_from_notation(&d, t)) < 0 || (error = gparse_emit(gp, &d, conf, block)) < 0) {
				gdecl_dispose(&d);
				goto done;
			}
			gdecl_dispose(&d);
		} else if (t->type == GT_IDENT) {
			struct gtok id = *t;

			if ((error = glex_next(lx)) < 0)
				goto done;
			if (tok_punct(t, ':') || tok_punct(t, '=')) {
				/* group: 'x' / group = "x" */
				char **slot = tok_is(&id, "group") ? &map.group : tok_is(&id, "name") ? &map.name :
				              tok_is(&id, "version") ? &map.version : NULL;

				if ((error = glex_next(lx)) < 0)
					goto done;
				if (slot && t->type == GT_STRING && !*slot && (error = tok_string(slot, t)) < 0)
					goto done;
				if (t->type != GT_STRING)
					continue;
			} else if (tok_punct(t, '(')) {
				if ((error = gparse_bracket(gp, GB_OTHER)) < 0 || (error = glex_next(lx)) < 0)
					goto done;
				if (tok_is(&id, "platform") || tok_is(&id, "enforcedPlatform")) {
					/* a BOM: its own arguments are a declaration */
					if ((error = gparse_args(gp, conf, block, ')')) < 0)
						goto done;
				} else if (tok_is(&id, "kotlin") && t->type == GT_STRING) {
					struct gdecl d = { NULL, NULL, NULL, NULL, t->line };
					char *module = NULL;

					if ((error = tok_string(&module, t)) < 0)
						goto done;
					d.group = strdup("org.jetbrains.kotlin");
					d.name = malloc(strlen(module) + 8);
					if (d.name)
						snprintf(d.name, strlen(module) + 8, "kotlin-%s", module);
					free(module);
					if (!d.group || !d.name) {
						gdecl_dispose(&d);
						error = cl_error_set("out of memory");
						goto done;
					}
					if ((error = glex_next(lx)) < 0) {
						gdecl_dispose(&d);
						goto done;
					}
					if (tok_punct(t, ',') && (error = glex_next(lx)) == 0 && t->type == GT_STRING)
						error = tok_string(&d.version, t);
					if (error == 0)
						error = gparse_emit(gp, &d, conf, block);
					gdecl_dispose(&d);
					if (error < 0)
						goto done;
				}
				/* project(':x'), files(), libs.x.get() and the rest: no module */
				if ((error = gparse_finish_group(gp, nested)) < 0 || (error = glex_next(lx)) < 0)
					goto done;
			}
			/* identifiers (libs.foo, variables) name nothing literal */
			continue;
		} else if (t->type == GT_PUNCT) {
			if (tok_punct(t, '{') || tok_punct(t, '(') || tok_punct(t, '[')) {
				if ((error = gparse_bracket(gp, GB_OTHER)) < 0 || (error = gparse_skip_group(gp)) < 0)
					goto done;
			} else if (tok_punct(t, ')') || tok_punct(t, ']') || tok_punct(t, '}')) {
				if ((error = gparse_bracket(gp, GB_OTHER)) < 0)
					goto done;
			}
		}
		if ((error = glex_next(lx)) < 0)
			goto done;
	}
	if (map.name && (error = gparse_emit(gp, &map, conf, block)) < 0)
		goto done;
done:
	gdecl_dispose(&map);
	return error;
}

/* The current token is a configuration name at the start of a statement. */
static int gparse_decl(struct gparse *gp, enum gblock block)
{
	struct glex *lx = &gp->lx;
	char conf[128];
	int error;

	snprintf(conf, sizeof(conf), "%.*s", (int)(lx->tok.n < 127 ? lx->tok.n : 127), lx->tok.s);
	if ((error = glex_next(lx)) < 0)
		return error;
	if (tok_punct(&lx->tok, '(')) {
		if ((error = gparse_bracket(gp, GB_OTHER)) < 0 || (error = glex_next(lx)) < 0)
			return error;
		if ((error = gparse_args(gp, conf, block, ')')) < 0)
			return error;
		if (tok_punct(&lx->tok, ')') && (error = gparse_bracket(gp, GB_OTHER)) < 0)
			return error;
		return glex_next(lx);
	}
	if (lx->tok.type == GT_STRING || lx->tok.type == GT_IDENT)
		return gparse_args(gp, conf, block, '\n');
	return 0;
}

static int gparse_run(struct gparse *gp)
{
	struct glex *lx = &gp->lx;
	int at_start = 1, prev_deps = 0, prev_constraints = 0, error;

	if ((error = glex_next(lx)) < 0)
		return error;
	while (lx->tok.type != GT_EOF) {
		enum gblock top = gp->depth ? gp->stack[gp->depth - 1] : GB_OTHER;
		struct gtok *t = &lx->tok;

		if (t->type == GT_NL || tok_punct(t, ';')) {
			at_start = 1;
		} else if (tok_punct(t, '{')) {
			enum gblock kind = prev_deps ? GB_DEPS : prev_constraints && top == GB_DEPS ? GB_CONSTRAINTS : GB_OTHER;

			if ((error = gparse_bracket(gp, kind)) < 0)
				return error;
			at_start = 1;
			prev_deps = prev_constraints = 0;
		} else if (t->type == GT_IDENT && tok_is(t, "dependencies")) {
			prev_deps = 1;
			at_start = 0;
		} else if (t->type == GT_IDENT && tok_is(t, "constraints")) {
			prev_constraints = 1;
			at_start = 0;
		} else if (at_start && (t->type == GT_IDENT || t->type == GT_STRING) &&
		           (top == GB_DEPS || top == GB_CONSTRAINTS)) {
			/* Kotlin also allows "conf"("g:n:v") for a configuration with no accessor */
			if ((error = gparse_decl(gp, top)) < 0)
				return error;
			at_start = 0;
			continue;
		} else {
			if ((error = gparse_bracket(gp, GB_OTHER)) < 0)
				return error;
			at_start = tok_punct(t, '}');
			prev_deps = prev_constraints = 0;
		}
		if ((error = glex_next(lx)) < 0)
			return error;
	}
	if (gp->depth)
		return glex_error(lx, lx->line, (unsigned int)(lx->p - lx->bol) + 1, "unexpected end of file: unclosed bracket");
	return 0;
}

int cl_deps_gradle_parse_script(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	struct gparse *gp = NULL;
	int error = 0;

	if (len > CL_DEPS_GRADLE_MAX) {
		error = cl_error_setc(CL_ETOOBIG, "%s: file is larger than %zu bytes", path, CL_DEPS_GRADLE_MAX);
		goto done;
	}
	if ((error = gradle_check_nul(path, data, len)) < 0)
		goto done;
	gp = calloc(1, sizeof(*gp));
	CL_CHECK_ALLOC(gp);
	gp->lx.path = path;
	gp->lx.p = gp->lx.bol = data;
	gp->lx.end = data + len;
	gp->lx.line = 1;
	gp->list = &tmp;
	if ((error = gparse_run(gp)) < 0)
		goto done;
	error = cl_deps_maven__splice(out, &tmp);
done:
	free(gp);
	cl_dep_list_dispose(&tmp);
	return error;
}

/* ---- gradle.lockfile ---- */

/*
 * A locked module is on several classpaths; its scope is the widest of
 * them: runtime (a runtime classpath outside tests), else build (compile
 * classpaths, processors, tools), else dev, else test.
 */
static enum cl_dep_scope lock_scope(const char *confs, size_t n)
{
	static const enum cl_dep_scope rank[] = { CL_DEP_TEST, CL_DEP_DEV, CL_DEP_BUILD, CL_DEP_RUNTIME };
	int best = -1;
	size_t i = 0;

	while (i < n) {
		char conf[128];
		size_t j = i, k;
		enum cl_dep_scope s;

		while (j < n && confs[j] != ',')
			j++;
		snprintf(conf, sizeof(conf), "%.*s", (int)(j - i < 127 ? j - i : 127), confs + i);
		if (strstr(conf, "untimeClasspath") && !starts_with(conf, "test") && !strstr(conf, "Test"))
			s = starts_with(conf, "developmentOnly") ? CL_DEP_DEV : CL_DEP_RUNTIME;
		else if (starts_with(conf, "test") || strstr(conf, "Test"))
			s = CL_DEP_TEST;
		else if (starts_with(conf, "developmentOnly"))
			s = CL_DEP_DEV;
		else
			s = CL_DEP_BUILD;
		for (k = 0; k < sizeof(rank) / sizeof(rank[0]); k++)
			if (rank[k] == s && (int)k > best)
				best = (int)k;
		i = j + 1;
	}
	return best < 0 ? CL_DEP_RUNTIME : rank[best];
}

int cl_deps_gradle_parse_lockfile(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	const char *p = data, *end = data + len;
	unsigned int line = 0;
	char *name = NULL;
	size_t name_size = 0;
	int error = 0;

	if (len > CL_DEPS_GRADLE_LOCK_MAX) {
		error = cl_error_setc(CL_ETOOBIG, "%s: file is larger than %zu bytes", path, CL_DEPS_GRADLE_LOCK_MAX);
		goto done;
	}
	if ((error = gradle_check_nul(path, data, len)) < 0)
		goto done;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end, *eq, *c1, *c2, *c3;
		struct cl_dep d = { "maven", NULL, NULL, CL_DEP_UNKNOWN, CL_DEP_RUNTIME, NULL, path, ++line };
		size_t n;

		if (e > p && e[-1] == '\r')
			e--;
		if (e == p || *p == '#')
			goto next;
		eq = memchr(p, '=', (size_t)(e - p));
		if (eq && (size_t)(eq - p) == 5 && memcmp(p, "empty", 5) == 0)
			goto next;
		/* without '=': the per-configuration lock files of Gradle 6 and older */
		if (!eq)
			eq = e;
		c1 = memchr(p, ':', (size_t)(eq - p));
		c2 = c1 ? memchr(c1 + 1, ':', (size_t)(eq - c1 - 1)) : NULL;
		c3 = c2 ? memchr(c2 + 1, ':', (size_t)(eq - c2 - 1)) : NULL;
		if (!c1 || !c2 || c3 || c1 == p || c2 == c1 + 1 || c2 + 1 == eq ||
		    memchr(p, ' ', (size_t)(eq - p)) || memchr(p, '\t', (size_t)(eq - p))) {
			error = cl_error_setc(CL_EINVALID, "%s:%u:1: expected 'group:name:version=configurations'", path,
			                      line);
			goto done;
		}
		n = (size_t)(c2 - p) + 1;
		if (n > name_size) {
			char *q = realloc(name, n * 2);

			CL_CHECK_ALLOC(q);
			name = q;
			name_size = n * 2;
		}
		memcpy(name, p, n - 1);
		name[n - 1] = '\0';
		d.name = name;
		{
			char version[256];

			if ((size_t)(eq - c2 - 1) >= sizeof(version)) {
				error = cl_error_setc(CL_EINVALID, "%s:%u:%u: version too long", path, line,
				                      (unsigned int)(c2 - p) + 2);
				goto done;
			}
			snprintf(version, sizeof(version), "%.*s", (int)(eq - c2 - 1), c2 + 1);
			d.version = version;
			if (eq < e)
				d.scope = lock_scope(eq + 1, (size_t)(e - eq - 1));
			if ((error = cl_dep_list_add(&tmp, &d)) < 0)
				goto done;
		}
next:
		p = nl ? nl + 1 : end;
	}
	error = cl_deps_maven__splice(out, &tmp);
done:
	free(name);
	cl_dep_list_dispose(&tmp);
	return error;
}

const struct cl_dep_format cl_deps_gradle_formats[] = {
	{ "build.gradle", "*.gradle", 0, cl_deps_gradle_parse_script },
	{ "build.gradle.kts", "*.gradle.kts", 0, cl_deps_gradle_parse_script },
	{ "gradle.lockfile", "*gradle.lockfile", 1, cl_deps_gradle_parse_lockfile },
	{ NULL, NULL, 0, NULL },
};
