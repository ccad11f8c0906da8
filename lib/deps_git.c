/*
 * deps_git.c - .gitmodules (see deps_git.h).
 *
 * The reader follows git's config.c: a section header is
 * [name] or [name "subsection"] (or the legacy [name.subsection]); a
 * variable is `key = value` or a bare `key` (boolean true); values may be
 * partly quoted, know the escapes \\ \" \n \t \b and continue over a
 * backslash-newline; '#' and ';' start comments outside quotes.
 */
#include "deps_git.h"
#include "buf.h"
#include "error.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A .gitmodules of a huge monorepo is tens of KB; 64 MiB is hostile. */
#define GIT_MAX_SIZE (64u * 1024 * 1024)

static const char GIT_ECO[] = "gitsubmodule";

struct git_sub {
	char *path, *url;
	unsigned int line;
};

struct git_reader {
	const char *path, *p, *end, *line_start;
	unsigned int line;
	struct git_sub *subs;
	size_t nsubs, asubs;
	json_t *by_name;          /* subsection name -> index in subs */
	long cur;                 /* index of the current [submodule] section, -1 when another */
	int in_section;           /* a header was seen: variables are allowed */
	struct cl_buf name, value;
};

/* Append `tmp` to `out` with the room reserved first: failure leaves `out` as it was. */
static int git_commit(struct cl_dep_list *out, struct cl_dep_list *tmp)
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

static int git_error(struct git_reader *r, const char *what)
{
	return cl_error_setc(CL_EINVALID, "%s:%u:%u: %s", r->path, r->line, (unsigned int)(r->p - r->line_start) + 1,
			     what);
}

static void git_newline(struct git_reader *r)
{
	r->p++;
	r->line++;
	r->line_start = r->p;
}

static int git_is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Enter the submodule section `name` (creating it on first sight). */
static int git_enter(struct git_reader *r, const char *name, unsigned int line)
{
	json_t *idx = json_object_get(r->by_name, name);

	/* git allows any bytes in a subsection name: the index skips the UTF-8 check */
	if (idx) {
		r->cur = (long)json_integer_value(idx);
		return 0;
	}
	if (r->nsubs == r->asubs) {
		size_t n = r->asubs ? r->asubs * 2 : 16;
		struct git_sub *s = realloc(r->subs, n * sizeof(*s));
		if (!s)
			return cl_error_set("out of memory");
		r->subs = s;
		r->asubs = n;
	}
	memset(&r->subs[r->nsubs], 0, sizeof(r->subs[0]));
	r->subs[r->nsubs].line = line;
	if (json_object_set_new_nocheck(r->by_name, name, json_integer((json_int_t)r->nsubs)) < 0)
		return cl_error_set("out of memory");
	r->cur = (long)r->nsubs++;
	return 0;
}

static int git_header(struct git_reader *r)
{
	unsigned int line = r->line;
	const char *sec;
	size_t seclen;
	int has_sub = 0;

	r->p++;   /* '[' */
	sec = r->p;
	while (r->p < r->end && (git_is_alnum(*r->p) || *r->p == '-' || *r->p == '.'))
		r->p++;
	seclen = (size_t)(r->p - sec);
	if (seclen == 0)
		return git_error(r, "expected a section name");
	cl_buf_clear(&r->name);
	if (r->p < r->end && (*r->p == ' ' || *r->p == '\t')) {
		while (r->p < r->end && (*r->p == ' ' || *r->p == '\t'))
			r->p++;
		if (r->p >= r->end || *r->p != '"')
			return git_error(r, "expected '\"' to start the subsection");
		r->p++;
		for (;;) {
			if (r->p >= r->end || *r->p == '\n' || *r->p == '\0')
				return git_error(r, "unterminated subsection name");
			if (*r->p == '"')
				break;
			if (*r->p == '\\') {
				r->p++;
				if (r->p >= r->end || *r->p == '\n')
					return git_error(r, "unterminated subsection name");
			}
			if (cl_buf_putc(&r->name, *r->p) < 0)
				return cl_error_set("out of memory");
			r->p++;
		}
		r->p++;
		has_sub = 1;
	}
	if (r->p >= r->end || *r->p != ']')
		return git_error(r, "expected ']' to close the section header");
	r->p++;
	if (has_sub && seclen == 9 && strncasecmp(sec, "submodule", 9) == 0)
		return git_enter(r, cl_buf_cstr(&r->name), line);
	if (!has_sub && seclen > 10 && strncasecmp(sec, "submodule.", 10) == 0) {
		/* legacy [submodule.name]: git lowercases the subsection */
		size_t i;
		for (i = 10; i < seclen; i++) {
			char c = sec[i];
			if (cl_buf_putc(&r->name, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c)) < 0)
				return cl_error_set("out of memory");
		}
		return git_enter(r, cl_buf_cstr(&r->name), line);
	}
	r->cur = -1;
	return 0;
}

/* The value after '=' into r->value, up to the end of the (continued) line. */
static int git_value(struct git_reader *r)
{
	size_t keep = 0;   /* length without trailing unquoted whitespace */
	int quoted = 0;

	cl_buf_clear(&r->value);
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t'))
		r->p++;
	while (r->p < r->end && *r->p != '\n') {
		char c = *r->p;

		if (c == '\0')
			return git_error(r, "NUL byte in value");
		if (c == '\r' && r->p + 1 < r->end && r->p[1] == '\n' && !quoted) {
			r->p++;
			continue;
		}
		if (c == '\\') {
			r->p++;
			if (r->p < r->end && *r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n')
				r->p++;
			if (r->p >= r->end)
				return git_error(r, "backslash at end of file");
			switch (*r->p) {
			case '\n': git_newline(r); continue;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'b': c = '\b'; break;
			case '\\': c = '\\'; break;
			case '"': c = '"'; break;
			default: return git_error(r, "bad escape in value");
			}
			r->p++;
			if (cl_buf_putc(&r->value, c) < 0)
				return cl_error_set("out of memory");
			keep = r->value.size;
			continue;
		}
		if (c == '"') {
			quoted = !quoted;
			r->p++;
			keep = r->value.size;
			continue;
		}
		if (!quoted && (c == '#' || c == ';')) {
			while (r->p < r->end && *r->p != '\n')
				r->p++;
			break;
		}
		if (cl_buf_putc(&r->value, c) < 0)
			return cl_error_set("out of memory");
		if (quoted || (c != ' ' && c != '\t'))
			keep = r->value.size;
		r->p++;
	}
	if (quoted)
		return git_error(r, "unterminated quote in value");
	r->value.size = keep;
	if (r->value.ptr)
		r->value.ptr[keep] = '\0';
	return 0;
}

static int git_set(char **field, const struct cl_buf *v)
{
	char *s = strdup(cl_buf_cstr(v));

	if (!s)
		return cl_error_set("out of memory");
	free(*field);
	*field = s;
	return 0;
}

static int git_variable(struct git_reader *r)
{
	const char *key = r->p;
	size_t klen;
	int error;

	while (r->p < r->end && (git_is_alnum(*r->p) || *r->p == '-'))
		r->p++;
	klen = (size_t)(r->p - key);
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\r'))
		r->p++;
	if (r->p < r->end && *r->p == '=') {
		r->p++;
		if ((error = git_value(r)) < 0)
			return error;
	} else if (r->p >= r->end || *r->p == '\n' || *r->p == '#' || *r->p == ';') {
		cl_buf_clear(&r->value);   /* a bare key: boolean true, no string value */
		return 0;
	} else {
		return git_error(r, "expected '=' after the variable name");
	}
	if (r->cur < 0)
		return 0;
	if (klen == 4 && strncasecmp(key, "path", 4) == 0)
		return git_set(&r->subs[r->cur].path, &r->value);
	if (klen == 3 && strncasecmp(key, "url", 3) == 0)
		return git_set(&r->subs[r->cur].url, &r->value);
	return 0;
}

int cl_deps_gitmodules_parse_ext(struct cl_dep_list *out, const char *path, const char *data, size_t len,
				 cl_deps_gitlink_cb cb, void *payload)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	struct git_reader r;
	size_t i;
	int error = 0;

	memset(&r, 0, sizeof(r));
	r.path = path;
	r.p = r.line_start = data;
	r.end = data + len;
	r.line = 1;
	r.cur = -1;
	if (len > GIT_MAX_SIZE) {
		error = cl_error_setc(CL_ETOOBIG, "%s: file is larger than %u bytes", path, GIT_MAX_SIZE);
		goto done;
	}
	r.by_name = json_object();
	CL_CHECK_ALLOC(r.by_name);
	while (r.p < r.end) {
		char c = *r.p;

		if (c == ' ' || c == '\t' || c == '\r') {
			r.p++;
		} else if (c == '\n') {
			git_newline(&r);
		} else if (c == '#' || c == ';') {
			while (r.p < r.end && *r.p != '\n')
				r.p++;
		} else if (c == '[') {
			if ((error = git_header(&r)) < 0)
				goto done;
			r.in_section = 1;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			if (!r.in_section) {
				error = git_error(&r, "variable outside any section");
				goto done;
			}
			if ((error = git_variable(&r)) < 0)
				goto done;
		} else if (c == (char)0xEF && r.p == data && len >= 3 && (unsigned char)data[1] == 0xBB &&
			   (unsigned char)data[2] == 0xBF) {
			r.p += 3;   /* a UTF-8 byte order mark, which git skips */
		} else {
			error = git_error(&r, "unexpected character");
			goto done;
		}
	}
	for (i = 0; i < r.nsubs; i++) {
		struct git_sub *s = &r.subs[i];
		const char *commit = NULL;
		struct cl_dep dep;

		if ((!s->url || !*s->url) && (!s->path || !*s->path))
			continue;   /* git ignores a submodule with neither */
		if (cb && s->path && *s->path) {
			error = cb(&commit, s->path, payload);
			if (error == CL_ENOTFOUND) {
				cl_error_clear();
				commit = NULL;
				error = 0;
			}
			if (error < 0)
				goto done;
		}
		memset(&dep, 0, sizeof(dep));
		dep.ecosystem = GIT_ECO;
		dep.name = s->url && *s->url ? s->url : s->path;
		dep.version = commit;
		dep.relation = CL_DEP_DIRECT;
		dep.scope = CL_DEP_RUNTIME;
		dep.manifest = path;
		dep.line = s->line;
		if ((error = cl_dep_list_add(&tmp, &dep)) < 0)
			goto done;
	}
	error = git_commit(out, &tmp);
done:
	for (i = 0; i < r.nsubs; i++) {
		free(r.subs[i].path);
		free(r.subs[i].url);
	}
	free(r.subs);
	json_decref(r.by_name);
	cl_buf_dispose(&r.name);
	cl_buf_dispose(&r.value);
	cl_dep_list_dispose(&tmp);
	return error;
}

int cl_deps_gitmodules_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	return cl_deps_gitmodules_parse_ext(out, path, data, len, NULL, NULL);
}

const struct cl_dep_format cl_deps_git_formats[] = {
	{ ".gitmodules", ".gitmodules", 0, cl_deps_gitmodules_parse },
	{ NULL, NULL, 0, NULL }
};
