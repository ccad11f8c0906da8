/*
 * reuse.c - REUSE.toml (any directory) and .reuse/dep5, read from one tree.
 *
 * Divisions:
 *   1. dep5: the Debian copyright format 1.0 parser and its globs
 *   2. REUSE.toml: one file's annotations
 *   3. loading a tree: finding every REUSE.toml, the caps, the both-files error
 *   4. lookups: the nested precedence walk (reuse.h says the rules)
 *
 * Simplifications against REUSE 3.3 and reuse-tool, on purpose:
 *   - REUSE.toml globs are clearance's CL_PATTERN_PATH globs, in which
 *     "**" + "/" may match no directory at all (reuse-tool turns "**" + "/x"
 *     into ".*x", which also matches "ax"); '?' and a leading "re:" are
 *     made literal, as REUSE gives them no meaning;
 *   - a REUSE.toml or dep5 that cannot be used is ignored as a whole (reuse
 *     lint refuses the whole project), and the both-files error ignores dep5
 *     but keeps the REUSE.toml files;
 *   - REUSE.toml files that git-ignored paths would hide do not exist in a
 *     tree, so no .gitignore logic is needed.
 */
#include "reuse.h"
#include "error.h"
#include "pattern.h"
#include "toml.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- 1. dep5 ---------------------------------------------------------- */

struct dep5_glob {
	const char *text;      /* points into cl_reuse_dep5.text */
	size_t len;
};

struct dep5_para {
	size_t first, count;   /* its globs in cl_reuse_dep5.globs */
	const char *license;   /* the License synopsis; points into text */
	int has_copyright;
};

struct cl_reuse_dep5 {
	char *text;            /* an owned copy, lines NUL-terminated in place */
	struct dep5_glob *globs;
	size_t glob_count, glob_alloc;
	struct dep5_para *paras;
	size_t count, alloc;
};

/* Element of a dep5 glob at `g`: 0 literal (char in *c), 1 '*', 2 '?'; its width in *w. */
static int dep5_elem(const char *g, size_t left, char *c, size_t *w)
{
	*w = 1;
	if (g[0] == '\\' && left > 1) {
		*w = 2;
		*c = g[1];
		return 0;
	}
	*c = g[0];
	return g[0] == '*' ? 1 : g[0] == '?' ? 2 : 0;
}

int cl_reuse_dep5_glob(const char *glob, size_t glob_len, const char *path)
{
	size_t gi = 0, si = 0, star_g = (size_t)-1, star_s = 0;
	size_t plen = strlen(path);

	/*
	 * The greedy matcher with one backtrack point: since '*' crosses '/',
	 * only the last star seen needs retrying, so it never recurses.
	 */
	while (si < plen) {
		char c;
		size_t w;
		int kind = gi < glob_len ? dep5_elem(glob + gi, glob_len - gi, &c, &w) : -1;
		if (kind == 1) {
			star_g = gi + w;
			star_s = si;
			gi += w;
		} else if (kind == 2 || (kind == 0 && c == path[si])) {
			gi += w;
			si++;
		} else if (star_g != (size_t)-1) {
			gi = star_g;
			si = ++star_s;
		} else {
			return 0;
		}
	}
	while (gi < glob_len && glob[gi] == '*')
		gi++;
	return gi == glob_len;
}

void cl_reuse_dep5_free(struct cl_reuse_dep5 *dep5)
{
	if (!dep5)
		return;
	free(dep5->text);
	free(dep5->globs);
	free(dep5->paras);
	free(dep5);
}

size_t cl_reuse_dep5_count(const struct cl_reuse_dep5 *dep5)
{
	return dep5->count;
}

int cl_reuse_dep5_match(const char **license, int *has_copyright,
	const struct cl_reuse_dep5 *dep5, const char *path)
{
	size_t i, j;

	/* The format says the last matching paragraph wins. */
	for (i = dep5->count; i-- > 0;) {
		const struct dep5_para *p = &dep5->paras[i];
		for (j = 0; j < p->count; j++) {
			const struct dep5_glob *g = &dep5->globs[p->first + j];
			if (cl_reuse_dep5_glob(g->text, g->len, path)) {
				*license = p->license;
				*has_copyright = p->has_copyright;
				return 1;
			}
		}
	}
	return 0;
}

/* The fields of one paragraph that matter here. */
enum dep5_field { DEP5_FORMAT = 0, DEP5_FILES, DEP5_COPYRIGHT, DEP5_LICENSE, DEP5_OTHER };

static const char *const dep5_field_names[] = { "Format", "Files", "Copyright", "License" };

struct dep5_state {
	struct cl_reuse_dep5 *d;
	unsigned int start;            /* first line of the paragraph, 0: none open */
	unsigned int seen;             /* bit per enum dep5_field */
	int current;                   /* the field continuation lines belong to, -1: none */
	int copyright_text;            /* Copyright has a non-blank word */
	const char *license;           /* License synopsis, NULL: empty */
	size_t first_glob;
	size_t index;                  /* paragraphs closed so far, the header included */
	unsigned int *problem;
};

static int dep5_fail(struct dep5_state *s, unsigned int line, const char *what)
{
	if (s->problem)
		*s->problem = line;
	return cl_error_setc(CL_EINVALID, "paragraph at line %u: %s", line, what);
}

static int dep5_add_globs(struct dep5_state *s, char *value, unsigned int line)
{
	struct cl_reuse_dep5 *d = s->d;
	char *p = value;

	for (;;) {
		char *start;
		size_t i;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return 0;
		start = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		/* Only \*, \? and \\ are escapes; anything else is an error in the format. */
		for (i = 0; start + i < p; i++) {
			if (start[i] != '\\')
				continue;
			if (start + i + 1 >= p || !strchr("*?\\", start[i + 1]))
				return dep5_fail(s, line, "a Files pattern has a backslash that escapes nothing");
			i++;
		}
		if (d->glob_count == d->glob_alloc) {
			size_t n = d->glob_alloc ? d->glob_alloc * 2 : 16;
			struct dep5_glob *g = realloc(d->globs, n * sizeof(*g));
			if (!g)
				return cl_error_set("out of memory");
			d->globs = g;
			d->glob_alloc = n;
		}
		d->globs[d->glob_count].text = start;
		d->globs[d->glob_count].len = (size_t)(p - start);
		d->glob_count++;
	}
}

static char *dep5_trim(char *s)
{
	size_t n;
	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

/* Close the open paragraph: the header needs Format, a Files paragraph the rest. */
static int dep5_close(struct dep5_state *s)
{
	struct cl_reuse_dep5 *d = s->d;
	unsigned int line = s->start;

	if (!line)
		return 0;
	s->start = 0;
	s->current = -1;
	if (s->index++ == 0) {
		if (!(s->seen & (1u << DEP5_FORMAT)))
			return dep5_fail(s, line, "the first paragraph must be the header, with a Format field");
		s->seen = 0;
		return 0;
	}
	if (!(s->seen & (1u << DEP5_FILES))) {
		s->seen = 0;
		/* A stand-alone License paragraph holds a license's text: nothing to look up. */
		if (s->license)
			return 0;
		return dep5_fail(s, line, "a paragraph needs a Files field (or a License field, for a license text)");
	}
	if (!(s->seen & (1u << DEP5_COPYRIGHT)))
		return dep5_fail(s, line, "a Files paragraph needs a Copyright field");
	if (!s->license)
		return dep5_fail(s, line, "a Files paragraph needs a License field whose first line is the license");
	if (d->glob_count == s->first_glob)
		return dep5_fail(s, line, "the Files field lists no pattern");
	if (d->count == d->alloc) {
		size_t n = d->alloc ? d->alloc * 2 : 16;
		struct dep5_para *p = realloc(d->paras, n * sizeof(*p));
		if (!p)
			return cl_error_set("out of memory");
		d->paras = p;
		d->alloc = n;
	}
	d->paras[d->count].first = s->first_glob;
	d->paras[d->count].count = d->glob_count - s->first_glob;
	d->paras[d->count].license = s->license;
	d->paras[d->count].has_copyright = s->copyright_text;
	d->count++;
	s->seen = 0;
	return 0;
}

/* One "Name: value" line (NUL-terminated, no line end). */
static int dep5_field_line(struct dep5_state *s, char *line, unsigned int lineno)
{
	char *colon = strchr(line, ':'), *value;
	size_t name_len, i;
	int field = DEP5_OTHER;

	if (!colon || colon == line)
		return dep5_fail(s, s->start ? s->start : lineno, "a line is neither \"Field: value\" nor a "
			"continuation (which starts with a blank)");
	name_len = (size_t)(colon - line);
	for (i = 0; i < name_len; i++)
		if ((unsigned char)line[i] <= ' ' || (unsigned char)line[i] == 0x7f)
			return dep5_fail(s, s->start ? s->start : lineno, "a field name holds a blank or a control character");
	if (!s->start) {
		s->start = lineno;
		s->seen = 0;
		s->copyright_text = 0;
		s->license = NULL;
		s->first_glob = s->d->glob_count;
	}
	for (i = 0; i < sizeof(dep5_field_names) / sizeof(dep5_field_names[0]); i++)
		if (strlen(dep5_field_names[i]) == name_len && !strncasecmp(line, dep5_field_names[i], name_len))
			field = (int)i;
	s->current = field;
	value = colon + 1;
	if (field == DEP5_OTHER)
		return 0;
	if (s->seen & (1u << field))
		return dep5_fail(s, s->start, "a field appears twice");
	s->seen |= 1u << field;
	switch (field) {
	case DEP5_FORMAT:
		return 0;
	case DEP5_FILES:
		return dep5_add_globs(s, value, s->start);
	case DEP5_COPYRIGHT:
		s->copyright_text = *dep5_trim(value) != '\0';
		return 0;
	case DEP5_LICENSE:
		value = dep5_trim(value);
		s->license = *value ? value : NULL;
		return 0;
	default:
		CL_BUG("dep5 field out of range");
	}
}

int cl_reuse_dep5_parse(struct cl_reuse_dep5 **out, const char *data, size_t len,
	unsigned int *problem)
{
	struct cl_reuse_dep5 *d = NULL;
	struct dep5_state s;
	char *p, *end;
	unsigned int lineno = 0;
	int error = 0;

	if (len > CL_REUSE_FILE_MAX)
		return cl_error_setc(CL_ETOOBIG, "it is larger than 1 MiB");
	if (len && memchr(data, '\0', len)) {
		if (problem)
			*problem = 0;
		return cl_error_setc(CL_EINVALID, "it holds a NUL byte");
	}
	d = calloc(1, sizeof(*d));
	CL_CHECK_ALLOC(d);
	d->text = malloc(len + 1);
	CL_CHECK_ALLOC(d->text);
	if (len)
		memcpy(d->text, data, len);
	d->text[len] = '\0';
	memset(&s, 0, sizeof(s));
	s.d = d;
	s.current = -1;
	s.problem = problem;

	for (p = d->text, end = d->text + len; p <= end; ) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *line = p, *q;
		size_t n;

		lineno++;
		if (nl)
			*nl = '\0';
		p = nl ? nl + 1 : end + 1;
		n = strlen(line);
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		for (q = line; *q == ' ' || *q == '\t'; q++)
			;
		if (!*q) {
			/* Blank lines, as many as there are, separate paragraphs. */
			if ((error = dep5_close(&s)) < 0)
				goto done;
		} else if (line[0] == '#') {
			continue;      /* deb822 comment */
		} else if (line[0] == ' ' || line[0] == '\t') {
			if (s.current < 0) {
				error = dep5_fail(&s, s.start ? s.start : lineno,
					"a continuation line (it starts with a blank) follows no field");
				goto done;
			}
			if (s.current == DEP5_FILES && (error = dep5_add_globs(&s, line, s.start)) < 0)
				goto done;
			/* " ." stands for an empty line; it is no copyright holder. */
			if (s.current == DEP5_COPYRIGHT && strcmp(q, ".") != 0)
				s.copyright_text = 1;
		} else if ((error = dep5_field_line(&s, line, lineno)) < 0) {
			goto done;
		}
	}
	if ((error = dep5_close(&s)) < 0)
		goto done;
	if (s.index == 0) {
		error = dep5_fail(&s, 1, "the header paragraph (Format: ...) is missing");
		goto done;
	}
	*out = d;
	d = NULL;
done:
	cl_reuse_dep5_free(d);
	return error;
}

/* ---- 2. REUSE.toml ---------------------------------------------------- */

struct reuse_annotation {
	struct cl_pattern_list paths;       /* relative to the REUSE.toml's directory */
	enum cl_reuse_precedence precedence;
	const char *license;                /* points into doc or owned_license; may be NULL */
	char *owned_license;                /* a list of expressions, ANDed */
	int has_copyright;
};

struct reuse_toml {
	char *dir;                          /* "" at the top, else "sub/dir/" */
	char *path;                         /* dir + "REUSE.toml" */
	json_t *doc;
	struct reuse_annotation *items;
	size_t count;
};

static void toml_dispose(struct reuse_toml *t)
{
	size_t i;
	for (i = 0; i < t->count; i++) {
		cl_pattern_list_dispose(&t->items[i].paths);
		free(t->items[i].owned_license);
	}
	free(t->items);
	json_decref(t->doc);
	free(t->dir);
	free(t->path);
	memset(t, 0, sizeof(*t));
}

/* Set *why to a reason and return CL_EINVALID (CL_ERROR when memory runs out). */
static int toml_invalid(struct cl_buf *why, const char *fmt, const char *arg)
{
	cl_buf_clear(why);
	return cl_buf_printf(why, fmt, arg) < 0 ? CL_ERROR : CL_EINVALID;
}

/*
 * REUSE globs give '?' no meaning and know no "re:" prefix, which
 * cl_pattern has: make both literal so that a path means what REUSE says.
 */
static int toml_add_glob(struct cl_pattern_list *list, const char *glob, struct cl_buf *why)
{
	struct cl_buf text = CL_BUF_INIT;
	const char *p;
	int error = 0;

	if (!strncmp(glob, "re:", 3))
		error = cl_buf_putc(&text, '\\');
	for (p = glob; *p && error >= 0; p++) {
		if (*p == '\\' && p[1]) {
			error = cl_buf_put(&text, p, 2);
			p++;
		} else {
			error = *p == '?' ? cl_buf_puts(&text, "\\?") : cl_buf_putc(&text, *p);
		}
	}
	if (error >= 0 && (error = cl_pattern_list_add(list, cl_buf_cstr(&text), CL_PATTERN_PATH)) == CL_EINVALID) {
		struct cl_buf msg = CL_BUF_INIT;
		error = cl_buf_printf(&msg, "bad path '%s': %s", glob, cl_error_last()) < 0 ? CL_ERROR :
			toml_invalid(why, "%s", cl_buf_cstr(&msg));
		cl_buf_dispose(&msg);
	}
	cl_buf_dispose(&text);
	return error;
}

/* A string, or a list of strings (empty allowed when `empty_ok`). 1 yes, 0 no. */
static int string_or_list(const json_t *v, int empty_ok)
{
	size_t i;
	if (json_is_string(v))
		return 1;
	if (!json_is_array(v) || (!empty_ok && json_array_size(v) == 0))
		return 0;
	for (i = 0; i < json_array_size(v); i++)
		if (!json_is_string(json_array_get(v, i)))
			return 0;
	return 1;
}

static const struct {
	const char *name;
	enum cl_reuse_precedence value;
} precedences[] = {
	{ "closest", CL_REUSE_CLOSEST },
	{ "aggregate", CL_REUSE_AGGREGATE },
	{ "override", CL_REUSE_OVERRIDE },
};

static int toml_parse_annotation(struct reuse_annotation *a, json_t *table, struct cl_buf *why)
{
	json_t *paths = json_object_get(table, "path"), *prec = json_object_get(table, "precedence");
	json_t *lic = json_object_get(table, "SPDX-License-Identifier");
	json_t *copy = json_object_get(table, "SPDX-FileCopyrightText");
	size_t i;
	int error;

	if (!string_or_list(paths, 0))
		return toml_invalid(why, "%s", "an annotation needs 'path' (a string or a list of strings)");
	if (json_is_string(paths)) {
		if ((error = toml_add_glob(&a->paths, json_string_value(paths), why)) < 0)
			return error;
	} else {
		for (i = 0; i < json_array_size(paths); i++)
			if ((error = toml_add_glob(&a->paths, json_string_value(json_array_get(paths, i)), why)) < 0)
				return error;
	}
	if (prec) {
		const char *v = json_string_value(prec);
		for (i = 0; v && i < sizeof(precedences) / sizeof(precedences[0]); i++)
			if (!strcmp(v, precedences[i].name))
				break;
		if (!v || i == sizeof(precedences) / sizeof(precedences[0]))
			return toml_invalid(why, "%s", "'precedence' must be closest, aggregate or override");
		a->precedence = precedences[i].value;
	}
	if (lic && !string_or_list(lic, 1))
		return toml_invalid(why, "%s", "'SPDX-License-Identifier' must be a string or a list of strings");
	if (copy && !string_or_list(copy, 1))
		return toml_invalid(why, "%s", "'SPDX-FileCopyrightText' must be a string or a list of strings");
	if (json_is_string(lic)) {
		a->license = json_string_value(lic);
	} else if (json_array_size(lic) == 1) {
		a->license = json_string_value(json_array_get(lic, 0));
	} else if (json_array_size(lic) > 1) {
		/* REUSE applies every expression it finds: all of them hold. */
		struct cl_buf b = CL_BUF_INIT;
		for (i = 0, error = 0; i < json_array_size(lic) && error >= 0; i++)
			error = cl_buf_printf(&b, "%s(%s)", i ? " AND " : "", json_string_value(json_array_get(lic, i)));
		if (error < 0) {
			cl_buf_dispose(&b);
			return error;
		}
		a->owned_license = cl_buf_detach(&b);
		a->license = a->owned_license;
	}
	if (json_is_string(copy))
		a->has_copyright = json_string_length(copy) > 0;
	for (i = 0; json_is_array(copy) && i < json_array_size(copy); i++)
		if (json_string_length(json_array_get(copy, i)) > 0)
			a->has_copyright = 1;
	return 0;
}

/* Parse one REUSE.toml; CL_EINVALID with *why set when it is not usable. */
static int toml_parse(struct reuse_toml *t, const char *data, size_t len, struct cl_buf *why)
{
	json_t *annotations, *version;
	size_t i;
	int error;

	if (len > CL_REUSE_FILE_MAX)
		return toml_invalid(why, "%s", "it is larger than 1 MiB");
	error = cl_toml_parse(&t->doc, data, len, t->path);
	if (error == CL_EINVALID || error == CL_ETOOBIG)
		return toml_invalid(why, "%s", cl_error_last());
	if (error < 0)
		return error;
	version = json_object_get(t->doc, "version");
	if (!json_is_integer(version) || json_integer_value(version) != 1)
		return toml_invalid(why, "%s", "'version = 1' is missing or not 1");
	annotations = json_object_get(t->doc, "annotations");
	if (annotations && !json_is_array(annotations))
		return toml_invalid(why, "%s", "'annotations' must be an array of tables ([[annotations]])");
	t->items = calloc(json_array_size(annotations) + 1, sizeof(*t->items));
	if (!t->items)
		return cl_error_set("out of memory");
	for (i = 0; i < json_array_size(annotations); i++) {
		json_t *table = json_array_get(annotations, i);
		/* Counted first, so that dispose sees what a failure half built. */
		t->count++;
		error = json_is_object(table) ? toml_parse_annotation(&t->items[i], table, why) :
			toml_invalid(why, "%s", "an annotation must be a table");
		if (error == CL_EINVALID) {
			struct cl_buf msg = CL_BUF_INIT;
			error = cl_buf_printf(&msg, "annotation %zu: %s", i + 1, cl_buf_cstr(why)) < 0 ? CL_ERROR :
				toml_invalid(why, "%s", cl_buf_cstr(&msg));
			cl_buf_dispose(&msg);
		}
		if (error < 0)
			return error;
	}
	return 0;
}

/* ---- 3. loading a tree ------------------------------------------------ */

struct cl_reuse {
	struct reuse_toml *tomls;   /* sorted by dir (strcmp), for the lookup's binary search */
	size_t count, alloc;
	struct cl_reuse_dep5 *dep5;
};

size_t cl_reuse_toml_count(const struct cl_reuse *reuse)
{
	return reuse->count;
}

int cl_reuse_has_dep5(const struct cl_reuse *reuse)
{
	return reuse->dep5 != NULL;
}

void cl_reuse_free(struct cl_reuse *reuse)
{
	size_t i;
	if (!reuse)
		return;
	for (i = 0; i < reuse->count; i++)
		toml_dispose(&reuse->tomls[i]);
	free(reuse->tomls);
	cl_reuse_dep5_free(reuse->dep5);
	free(reuse);
}

struct found_toml {
	char *dir;
	git_oid id;
};

struct load_walk {
	struct found_toml *found;
	size_t count, alloc;
	size_t seen;                 /* REUSE.toml blobs met, kept or not */
	char *first_dropped;         /* the first one past the cap */
	int error;
};

static int on_walk_entry(const char *root, const git_tree_entry *entry, void *payload)
{
	struct load_walk *w = payload;
	git_filemode_t mode = git_tree_entry_filemode(entry);

	if ((mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) ||
	    strcmp(git_tree_entry_name(entry), "REUSE.toml") != 0)
		return 0;
	if (++w->seen > CL_REUSE_TOML_COUNT_MAX) {
		if (!w->first_dropped) {
			struct cl_buf b = CL_BUF_INIT;
			if ((w->error = cl_buf_printf(&b, "%sREUSE.toml", root)) < 0)
				return -1;
			w->first_dropped = cl_buf_detach(&b);
		}
		return 0;
	}
	if (w->count == w->alloc) {
		size_t n = w->alloc ? w->alloc * 2 : 8;
		struct found_toml *f = realloc(w->found, n * sizeof(*f));
		if (!f) {
			w->error = cl_error_set("out of memory");
			return -1;
		}
		w->found = f;
		w->alloc = n;
	}
	if ((w->found[w->count].dir = strdup(root)) == NULL) {
		w->error = cl_error_set("out of memory");
		return -1;
	}
	git_oid_cpy(&w->found[w->count].id, git_tree_entry_id(entry));
	w->count++;
	return 0;
}

static int report(cl_reuse_problem_cb cb, void *payload, enum cl_reuse_problem_kind kind,
	const char *path, unsigned int line, const char *message)
{
	struct cl_reuse_problem p;

	if (!cb)
		return 0;
	p.kind = kind;
	p.path = path;
	p.line = line;
	p.message = message;
	return cb(&p, payload);
}

static int toml_cmp(const void *a, const void *b)
{
	return strcmp(((const struct reuse_toml *)a)->dir, ((const struct reuse_toml *)b)->dir);
}

/* Read and parse one REUSE.toml; a problem is reported and the file left out. */
static int load_toml(struct cl_reuse *r, git_repository *repo, const struct found_toml *f,
	cl_reuse_problem_cb cb, void *payload)
{
	struct reuse_toml t;
	struct cl_buf why = CL_BUF_INIT;
	git_blob *blob = NULL;
	int error = 0;

	memset(&t, 0, sizeof(t));
	if ((t.dir = strdup(f->dir)) == NULL || cl_buf_printf(&why, "%sREUSE.toml", f->dir) < 0) {
		error = cl_error_set("out of memory");
		goto done;
	}
	t.path = cl_buf_detach(&why);
	if (git_blob_lookup(&blob, repo, &f->id) < 0) {
		error = cl_error_setc(CL_ERROR, "cannot read '%s': %s", t.path,
			git_error_last() ? git_error_last()->message : "unknown error");
		goto done;
	}
	error = git_blob_rawsize(blob) > (git_object_size_t)CL_REUSE_FILE_MAX ?
		toml_invalid(&why, "%s", "it is larger than 1 MiB") :
		toml_parse(&t, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), &why);
	if (error == CL_EINVALID) {
		cl_error_clear();
		error = report(cb, payload, CL_REUSE_PROBLEM_TOML, t.path, 0, cl_buf_cstr(&why));
		goto done;
	}
	if (error < 0)
		goto done;
	r->tomls[r->count++] = t;
	memset(&t, 0, sizeof(t));
done:
	toml_dispose(&t);
	cl_buf_dispose(&why);
	git_blob_free(blob);
	return error;
}

static int load_dep5(struct cl_reuse *r, git_repository *repo, git_tree *tree,
	cl_reuse_problem_cb cb, void *payload, size_t tomls_seen)
{
	static const char dep5_path[] = ".reuse/dep5";
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	unsigned int line = 0;
	int error = 0;

	if (git_tree_entry_bypath(&entry, tree, dep5_path) < 0) {
		git_error_clear();
		return 0;
	}
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
		goto done;
	if (tomls_seen) {
		error = report(cb, payload, CL_REUSE_PROBLEM_BOTH, dep5_path, 0,
			"REUSE.toml and .reuse/dep5 must not both exist (REUSE 3.3)");
		goto done;
	}
	if (git_blob_lookup(&blob, repo, git_tree_entry_id(entry)) < 0) {
		error = cl_error_from_git("cannot read .reuse/dep5");
		goto done;
	}
	error = git_blob_rawsize(blob) > (git_object_size_t)CL_REUSE_FILE_MAX ?
		cl_error_setc(CL_ETOOBIG, "it is larger than 1 MiB") :
		cl_reuse_dep5_parse(&r->dep5, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), &line);
	if (error == CL_EINVALID || error == CL_ETOOBIG) {
		struct cl_buf msg = CL_BUF_INIT;
		if (cl_buf_puts(&msg, cl_error_last()) < 0) {
			error = CL_ERROR;
		} else {
			cl_error_clear();
			error = report(cb, payload, CL_REUSE_PROBLEM_DEP5, dep5_path, line, cl_buf_cstr(&msg));
		}
		cl_buf_dispose(&msg);
	}
done:
	git_blob_free(blob);
	git_tree_entry_free(entry);
	return error;
}

int cl_reuse_load(struct cl_reuse **out, git_repository *repo, git_tree *tree,
	cl_reuse_problem_cb cb, void *payload)
{
	struct cl_reuse *r = NULL;
	struct load_walk w;
	size_t i;
	int error = 0, rc;

	memset(&w, 0, sizeof(w));
	r = calloc(1, sizeof(*r));
	CL_CHECK_ALLOC(r);
	rc = git_tree_walk(tree, GIT_TREEWALK_PRE, on_walk_entry, &w);
	if (w.error < 0) {
		error = w.error;
		goto done;
	}
	if (rc < 0) {
		error = cl_error_from_git("cannot walk the tree for REUSE.toml");
		goto done;
	}
	if (w.count) {
		r->tomls = calloc(w.count, sizeof(*r->tomls));
		CL_CHECK_ALLOC(r->tomls);
		r->alloc = w.count;
	}
	for (i = 0; i < w.count; i++)
		if ((error = load_toml(r, repo, &w.found[i], cb, payload)) < 0)
			goto done;
	if (w.first_dropped) {
		struct cl_buf msg = CL_BUF_INIT;
		if (cl_buf_printf(&msg, "the tree holds %zu REUSE.toml files; only the first %u are read",
				w.seen, CL_REUSE_TOML_COUNT_MAX) < 0)
			error = CL_ERROR;
		else
			error = report(cb, payload, CL_REUSE_PROBLEM_TOML, w.first_dropped, 0, cl_buf_cstr(&msg));
		cl_buf_dispose(&msg);
		if (error < 0)
			goto done;
	}
	if (r->count > 1)
		qsort(r->tomls, r->count, sizeof(*r->tomls), toml_cmp);
	/* A broken REUSE.toml still exists: REUSE forbids dep5 beside it all the same. */
	if ((error = load_dep5(r, repo, tree, cb, payload, w.seen)) < 0)
		goto done;
	*out = r;
	r = NULL;
done:
	for (i = 0; i < w.count; i++)
		free(w.found[i].dir);
	free(w.found);
	free(w.first_dropped);
	cl_reuse_free(r);
	return error;
}

/* ---- 4. lookups ------------------------------------------------------- */

void cl_reuse_info_dispose(struct cl_reuse_info *info)
{
	cl_buf_dispose(&info->text);
}

/* The REUSE.toml whose directory is exactly path[0..len), or NULL. */
static const struct reuse_toml *find_dir(const struct cl_reuse *r, const char *path, size_t len)
{
	size_t lo = 0, hi = r->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *dir = r->tomls[mid].dir;
		size_t dlen = strlen(dir);
		int c = memcmp(dir, path, dlen < len ? dlen : len);
		if (c == 0)
			c = dlen < len ? -1 : dlen > len ? 1 : 0;
		if (c == 0)
			return &r->tomls[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The last annotation of `t` that matches `rel`, in *out (NULL: none). */
static int toml_match(const struct reuse_annotation **out, const struct reuse_toml *t, const char *rel)
{
	size_t i;
	int rc;

	*out = NULL;
	for (i = t->count; i-- > 0;) {
		if ((rc = cl_pattern_list_match(&t->items[i].paths, rel)) < 0)
			return rc;
		if (rc) {
			*out = &t->items[i];
			return 0;
		}
	}
	return 0;
}

/*
 * Append `license` to the ANDed list in info->text, where `*first` is the
 * sole expression so far (kept as a pointer until a second one comes).
 */
static int and_license(struct cl_reuse_info *info, const char **first, size_t *n, const char *license)
{
	int error = 0;

	if (!license)
		return 0;
	if ((*n)++ == 0) {
		*first = license;
		return 0;
	}
	if (*n == 2)
		error = cl_buf_printf(&info->text, "(%s)", *first);
	if (error >= 0)
		error = cl_buf_printf(&info->text, " AND (%s)", license);
	return error;
}

int cl_reuse_lookup(struct cl_reuse_info *out, const struct cl_reuse *reuse, const char *path)
{
	const struct reuse_annotation *a, *override = NULL;
	const char *closest_lic = NULL, *agg_first = NULL, *source = NULL, *closest_src = NULL;
	int closest_cp = 0, agg_cp = 0, closest_found = 0, agg_found = 0;
	size_t k, len = strlen(path), agg_n = 0;
	int error;

	cl_buf_clear(&out->text);
	out->found = 0;
	out->precedence = CL_REUSE_CLOSEST;
	out->license = out->closest_license = NULL;
	out->has_copyright = out->closest_has_copyright = 0;
	out->source = NULL;

	/* The ancestors from the top down: "", then each prefix ending in '/'. */
	for (k = 0; k <= len && reuse->count; k++) {
		const struct reuse_toml *t;
		if (k > 0 && path[k - 1] != '/')
			continue;
		if ((t = find_dir(reuse, path, k)) == NULL)
			continue;
		if ((error = toml_match(&a, t, path + k)) < 0)
			return error;
		if (!a)
			continue;
		switch (a->precedence) {
		case CL_REUSE_OVERRIDE:
			/* The outermost override ends the walk: nothing closer counts. */
			override = a;
			source = t->path;
			break;
		case CL_REUSE_AGGREGATE:
			if ((error = and_license(out, &agg_first, &agg_n, a->license)) < 0)
				return error;
			agg_cp |= a->has_copyright;
			agg_found = 1;
			source = t->path;
			break;
		case CL_REUSE_CLOSEST:
			/* Deeper wins, license and copyright each on its own (reuse-tool does the same). */
			if (a->license)
				closest_lic = a->license;
			closest_cp |= a->has_copyright;
			closest_found = 1;
			closest_src = t->path;
			break;
		default:
			CL_BUG("precedence out of range");
		}
		if (override)
			break;
	}
	if (!reuse->count && reuse->dep5) {
		const char *lic = NULL;
		int cp = 0;
		if (cl_reuse_dep5_match(&lic, &cp, reuse->dep5, path)) {
			/* REUSE 3.2 gives dep5 aggregate precedence. */
			if ((error = and_license(out, &agg_first, &agg_n, lic)) < 0)
				return error;
			agg_cp |= cp;
			agg_found = 1;
			source = ".reuse/dep5";
		}
	}
	if (override) {
		out->found = 1;
		out->precedence = CL_REUSE_OVERRIDE;
		out->has_copyright = override->has_copyright || agg_cp;
		out->source = source;
		if (!agg_n) {
			out->license = override->license;
		} else if (!override->license) {
			out->license = agg_n > 1 ? cl_buf_cstr(&out->text) : agg_first;
		} else {
			/* The aggregates above the override still hold beside it. */
			struct cl_buf aggs = CL_BUF_INIT;
			error = agg_n > 1 ? cl_buf_puts(&aggs, cl_buf_cstr(&out->text)) :
				cl_buf_printf(&aggs, "(%s)", agg_first);
			cl_buf_clear(&out->text);
			if (error >= 0)
				error = cl_buf_printf(&out->text, "(%s) AND %s", override->license, cl_buf_cstr(&aggs));
			cl_buf_dispose(&aggs);
			if (error < 0)
				return error;
			out->license = cl_buf_cstr(&out->text);
		}
		return 0;
	}
	if (agg_found) {
		out->found = 1;
		out->precedence = CL_REUSE_AGGREGATE;
		out->license = agg_n > 1 ? cl_buf_cstr(&out->text) : agg_first;
		out->has_copyright = agg_cp;
		out->closest_license = closest_lic;
		out->closest_has_copyright = closest_cp;
		out->source = source;
		return 0;
	}
	if (closest_found) {
		out->found = 1;
		out->license = closest_lic;
		out->has_copyright = closest_cp;
		out->source = closest_src;
	}
	return 0;
}
