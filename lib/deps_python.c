/*
 * deps_python.c - requirements.txt, pyproject.toml, Pipfile, poetry.lock,
 * Pipfile.lock and uv.lock. What each reports is in deps_python.h.
 *
 * Divisions:
 *   1. shared helpers (names, splicing, loading TOML and JSON)
 *   2. PEP 508 requirement strings
 *   3. requirements files (a line format: a small strict reader)
 *   4. pyproject.toml and Pipfile
 *   5. poetry.lock, Pipfile.lock, uv.lock
 */
#include "deps_python.h"

#include "buf.h"
#include "error.h"
#include "json_arena.h"
#include "json_text.h"
#include "toml.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PY_MAX_SIZE ((size_t)64 * 1024 * 1024)

/* ---- 1. shared helpers ------------------------------------------------ */

void cl_deps_pypi_normalize(char *name)
{
	size_t r = 0, w = 0;

	while (name[r]) {
		char c = name[r];
		if (c == '-' || c == '_' || c == '.') {
			while (name[r] == '-' || name[r] == '_' || name[r] == '.')
				r++;
			name[w++] = '-';
			continue;
		}
		name[w++] = (char)tolower((unsigned char)c);
		r++;
	}
	name[w] = '\0';
}

/* Add `d` with its name normalised (d->name is copied first). */
static int py_add(struct cl_dep_list *list, const struct cl_dep *d)
{
	struct cl_dep copy = *d;
	char *name;
	int error;

	/* TOML strings may hold U+0000, which would cut a name to nothing. */
	if (d->name[0] == '\0')
		return cl_error_setc(CL_EINVALID, "%s: empty package name", d->manifest);
	name = strdup(d->name);
	if (!name)
		return cl_error_set("out of memory");
	cl_deps_pypi_normalize(name);
	copy.name = name;
	error = cl_dep_list_add(list, &copy);
	free(name);
	return error;
}

/* Move every item of `tmp` onto `out`, all or nothing. */
static int py_splice(struct cl_dep_list *out, struct cl_dep_list *tmp)
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

static int py_too_big(const char *path, size_t len)
{
	return cl_error_setc(CL_ETOOBIG, "%s: file of %zu bytes is over the limit of %zu", path, len, PY_MAX_SIZE);
}

static int py_load_toml(json_t **out, const char *path, const char *data, size_t len)
{
	struct cl_toml_options opts = CL_TOML_OPTIONS_INIT;

	if (len > PY_MAX_SIZE)
		return py_too_big(path, len);
	opts.max_size = PY_MAX_SIZE;
	return cl_toml_parse_ext(out, &opts, data, len, path);
}



/* A group name says test or dev; "main" (Poetry) is the runtime group. */
static enum cl_dep_scope py_group_scope(const char *group)
{
	char low[64];
	size_t i;

	for (i = 0; group[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)group[i]);
	low[i] = '\0';
	if (strcmp(low, "main") == 0 || strcmp(low, "default") == 0)
		return CL_DEP_RUNTIME;
	if (strstr(low, "test"))
		return CL_DEP_TEST;
	return CL_DEP_DEV;
}

/* ---- 2. PEP 508 requirement strings ----------------------------------- */

static int py_is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.';
}

static int py_is_spec_char(char c)
{
	return isalnum((unsigned char)c) || strchr("<>=!~.,*+-_", c) != NULL;
}

/*
 * Parse one PEP 508 requirement `s` (`n` bytes) into a name and a
 * version specifier (blanks removed; NULL when absent or a URL). On a
 * syntax error sets "WHERE: problem" (`where` names the file and line).
 * *name and *version are malloc'd; both NULL on failure.
 */
static int py_pep508(char **name, char **version, const char *s, size_t n, const char *where)
{
	size_t i = 0, a, w;
	char *nm = NULL, *ver = NULL;
	int error = 0;

	*name = *version = NULL;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	a = i;
	while (i < n && py_is_name_char(s[i]))
		i++;
	if (i == a || !isalnum((unsigned char)s[a]) || !isalnum((unsigned char)s[i - 1])) {
		error = cl_error_setc(CL_EINVALID, "%s: invalid requirement '%.*s'", where, (int)(n > 80 ? 80 : n), s);
		goto done;
	}
	nm = strndup(s + a, i - a);
	CL_CHECK_ALLOC(nm);
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	if (i < n && s[i] == '[') {
		while (i < n && s[i] != ']') {
			if (!py_is_name_char(s[i]) && s[i] != ',' && s[i] != '[' && !isspace((unsigned char)s[i])) {
				error = cl_error_setc(CL_EINVALID, "%s: invalid extras in requirement '%s'", where, nm);
				goto done;
			}
			i++;
		}
		if (i == n) {
			error = cl_error_setc(CL_EINVALID, "%s: unterminated extras in requirement '%s'", where, nm);
			goto done;
		}
		i++;
		while (i < n && isspace((unsigned char)s[i]))
			i++;
	}
	if (i < n && s[i] == '@') {
		/* A direct URL reference: no registry version. The URL ends at a blank. */
		i++;
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		a = i;
		while (i < n && !isspace((unsigned char)s[i]))
			i++;
		if (i == a) {
			error = cl_error_setc(CL_EINVALID, "%s: missing URL after '@' in requirement '%s'", where, nm);
			goto done;
		}
	} else {
		int paren = i < n && s[i] == '(';
		if (paren)
			i++;
		ver = malloc(n - i + 1);
		CL_CHECK_ALLOC(ver);
		w = 0;
		while (i < n && s[i] != ';' && !(paren && s[i] == ')')) {
			if (!isspace((unsigned char)s[i])) {
				if (!py_is_spec_char(s[i])) {
					error = cl_error_setc(CL_EINVALID, "%s: invalid version specifier in requirement '%s'",
							      where, nm);
					goto done;
				}
				ver[w++] = s[i];
			}
			i++;
		}
		ver[w] = '\0';
		if (paren) {
			if (i == n || s[i] != ')') {
				error = cl_error_setc(CL_EINVALID, "%s: missing ')' in requirement '%s'", where, nm);
				goto done;
			}
			i++;
		}
		if (w > 0 && !strchr("<>=!~", ver[0])) {
			error = cl_error_setc(CL_EINVALID, "%s: version specifier of '%s' must start with an operator",
					      where, nm);
			goto done;
		}
		if (w == 0) {
			free(ver);
			ver = NULL;
		}
	}
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	/* An environment marker follows ';'; it is deliberately not evaluated. */
	if (i < n && s[i] != ';') {
		error = cl_error_setc(CL_EINVALID, "%s: unexpected text after requirement '%s'", where, nm);
		goto done;
	}
	*name = nm;
	*version = ver;
	nm = ver = NULL;
done:
	free(nm);
	free(ver);
	return error;
}

/* Parse a PEP 508 string and add it. `where` prefixes messages. */
static int py_add_pep508(struct cl_dep_list *tmp, const char *s, size_t n, const char *where,
			 const struct cl_dep *proto)
{
	struct cl_dep d = *proto;
	char *name, *ver;
	int error;

	if ((error = py_pep508(&name, &ver, s, n, where)) < 0)
		return error;
	d.name = name;
	d.version = ver;
	error = py_add(tmp, &d);
	free(name);
	free(ver);
	return error;
}

/* ---- 3. requirements files -------------------------------------------- */

/* pip options that take a value and change no dependency. */
static const char *const py_req_value_opts[] = {
	"-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--no-binary", "--only-binary",
	"--trusted-host", "--use-feature", "--config-settings", "--global-option", "--install-option",
	"--hash",
};

/* pip options that take no value. */
static const char *const py_req_flag_opts[] = {
	"--no-index", "--pre", "--prefer-binary", "--require-hashes", "-Z", "--always-unzip",
};

static int py_in(const char *const *list, size_t n, const char *s, size_t len)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
			return 1;
	return 0;
}

/*
 * A line that is only a URL, a local path or an archive file: pip installs
 * it as a file, and it names no registry package.
 */
static int py_req_is_location(const char *s, size_t n)
{
	static const char *const ext[] = { ".whl", ".zip", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar" };
	size_t i, k;

	if (n > 0 && (s[0] == '.' || s[0] == '/' || s[0] == '~' || s[0] == '\\'))
		return 1;
	for (i = 0; i < n && (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '.' || s[i] == '-'); i++)
		;
	if (i > 0 && i + 2 < n && s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/')
		return 1;
	if (n > 5 && strncmp(s, "file:", 5) == 0)
		return 1;
	for (k = 0; k < sizeof(ext) / sizeof(ext[0]); k++) {
		size_t el = strlen(ext[k]);
		if (n >= el && memcmp(s + n - el, ext[k], el) == 0 && !memchr(s, '@', n) && !memchr(s, ';', n))
			return 1;
	}
	return memchr(s, '/', n) != NULL && !memchr(s, '@', n) && !memchr(s, ';', n);
}

static int py_include_add(struct cl_deps_include_list *list, const char *p, size_t n, int constraint,
			  unsigned int line)
{
	struct cl_deps_include inc;

	if (list->count == list->alloc) {
		size_t na = list->alloc ? list->alloc * 2 : 8;
		struct cl_deps_include *q = realloc(list->items, na * sizeof(*q));
		if (!q)
			return cl_error_set("out of memory");
		list->items = q;
		list->alloc = na;
	}
	inc.path = strndup(p, n);
	if (!inc.path)
		return cl_error_set("out of memory");
	inc.constraint = constraint;
	inc.line = line;
	list->items[list->count++] = inc;
	return 0;
}

void cl_deps_include_list_dispose(struct cl_deps_include_list *list)
{
	size_t i;
	for (i = 0; i < list->count; i++)
		free(list->items[i].path);
	free(list->items);
	list->items = NULL;
	list->count = list->alloc = 0;
}

static enum cl_dep_scope py_req_scope(const char *path)
{
	const char *base = strrchr(path, '/');
	char low[256];
	size_t i;

	base = base ? base + 1 : path;
	for (i = 0; base[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)base[i]);
	low[i] = '\0';
	if (strstr(low, "test"))
		return CL_DEP_TEST;
	if (strstr(low, "dev"))
		return CL_DEP_DEV;
	return CL_DEP_RUNTIME;
}

/* One logical line, comments and line joins already removed. */
static int py_req_line(struct cl_dep_list *deps, struct cl_deps_include_list *incs, const char *path,
		       const char *s, size_t n, unsigned int line)
{
	char where[1024];
	size_t i, o, v;

	snprintf(where, sizeof(where), "%s:%u:1", path, line);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	while (n > 0 && isspace((unsigned char)s[0])) {
		s++;
		n--;
	}
	if (n == 0)
		return 0;
	if (s[0] == '-') {
		for (o = 0; o < n && !isspace((unsigned char)s[o]) && s[o] != '='; o++)
			;
		for (v = o; v < n && (isspace((unsigned char)s[v]) || (v == o && s[v] == '=')); v++)
			;
		if ((o == 2 && memcmp(s, "-r", 2) == 0) || (o == 13 && memcmp(s, "--requirement", 13) == 0) ||
		    (o == 2 && memcmp(s, "-c", 2) == 0) || (o == 12 && memcmp(s, "--constraint", 12) == 0)) {
			if (v == n)
				return cl_error_setc(CL_EINVALID, "%s: option '%.*s' needs a file", where, (int)o, s);
			return incs ? py_include_add(incs, s + v, n - v, s[1] == 'c' || s[2] == 'c', line) : 0;
		}
		if ((o == 2 && memcmp(s, "-e", 2) == 0) || (o == 10 && memcmp(s, "--editable", 10) == 0)) {
			/* A local directory or a VCS URL: no registry package (see the header). */
			if (v == n)
				return cl_error_setc(CL_EINVALID, "%s: option '%.*s' needs a location", where, (int)o, s);
			return 0;
		}
		if (py_in(py_req_value_opts, sizeof(py_req_value_opts) / sizeof(py_req_value_opts[0]), s, o)) {
			if (v == n)
				return cl_error_setc(CL_EINVALID, "%s: option '%.*s' needs a value", where, (int)o, s);
			return 0;
		}
		if (py_in(py_req_flag_opts, sizeof(py_req_flag_opts) / sizeof(py_req_flag_opts[0]), s, o))
			return 0;
		return cl_error_setc(CL_EINVALID, "%s: unknown option '%.*s'", where, (int)(o > 60 ? 60 : o), s);
	}
	/* Per-requirement options start at the first blank-separated word beginning with '-'. */
	for (i = 1; i < n; i++) {
		if (s[i] == '-' && isspace((unsigned char)s[i - 1])) {
			size_t e = i;
			while (e < n && !isspace((unsigned char)s[e]) && s[e] != '=')
				e++;
			if (!py_in(py_req_value_opts, sizeof(py_req_value_opts) / sizeof(py_req_value_opts[0]),
				   s + i, e - i))
				return cl_error_setc(CL_EINVALID, "%s: unknown per-requirement option '%.*s'", where,
						     (int)(e - i > 60 ? 60 : e - i), s + i);
			n = i;
			while (n > 0 && isspace((unsigned char)s[n - 1]))
				n--;
			break;
		}
	}
	if (py_req_is_location(s, n))
		return 0;
	{
		struct cl_dep d;
		memset(&d, 0, sizeof(d));
		d.ecosystem = "pypi";
		d.relation = CL_DEP_DIRECT;
		d.scope = py_req_scope(path);
		d.manifest = path;
		d.line = line;
		return py_add_pep508(deps, s, n, where, &d);
	}
}

/* The reader shared by the parser and the include lister. */
static int py_req_read(struct cl_dep_list *deps, struct cl_deps_include_list *incs, const char *path,
		       const char *data, size_t len)
{
	struct cl_buf logical = CL_BUF_INIT;
	size_t pos = 0;
	unsigned int lineno = 0, start = 0;
	int error = 0, joining = 0;

	cl_buf_init(&logical, PY_MAX_SIZE);
	if (len > PY_MAX_SIZE) {
		error = py_too_big(path, len);
		goto done;
	}
	while (pos < len) {
		const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos, k;

		pos += n + (nl ? 1 : 0);
		lineno++;
		if (memchr(s, '\0', n)) {
			error = cl_error_setc(CL_EINVALID, "%s:%u:1: NUL byte in requirements file", path, lineno);
			goto done;
		}
		if ((k = cl_utf8_valid_prefix(s, n)) != n) {
			error = cl_error_setc(CL_EINVALID, "%s:%u:%zu: invalid UTF-8", path, lineno, k + 1);
			goto done;
		}
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (!joining) {
			cl_buf_clear(&logical);
			start = lineno;
		}
		joining = n > 0 && s[n - 1] == '\\';
		if (joining)
			n--;
		if ((error = cl_buf_put(&logical, s, n)) < 0)
			goto done;
		if (joining && pos < len)
			continue;
		joining = 0;
		/* pip drops comments after joining lines: '#' at the start or after a blank. */
		for (k = 0; k < logical.size; k++)
			if (logical.ptr[k] == '#' && (k == 0 || isspace((unsigned char)logical.ptr[k - 1])))
				break;
		if ((error = py_req_line(deps, incs, path, cl_buf_cstr(&logical), k, start)) < 0)
			goto done;
	}
done:
	cl_buf_dispose(&logical);
	return error;
}

int cl_deps_requirements_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	int error;

	if ((error = py_req_read(&tmp, NULL, path, data, len)) == 0)
		error = py_splice(out, &tmp);
	cl_dep_list_dispose(&tmp);
	return error;
}

int cl_deps_requirements_includes(struct cl_deps_include_list *out, const char *path, const char *data, size_t len)
{
	struct cl_deps_include_list tmp = CL_DEPS_INCLUDE_LIST_INIT;
	struct cl_dep_list deps = CL_DEP_LIST_INIT;
	size_t i;
	int error;

	/* Requirements are parsed too, so both functions agree on what is malformed. */
	if ((error = py_req_read(&deps, &tmp, path, data, len)) < 0)
		goto done;
	for (i = 0; i < tmp.count; i++) {
		if ((error = py_include_add(out, tmp.items[i].path, strlen(tmp.items[i].path), tmp.items[i].constraint,
					    tmp.items[i].line)) < 0) {
			/* Roll back: `out` is left as it was. */
			while (i-- > 0)
				free(out->items[--out->count].path);
			goto done;
		}
	}
done:
	cl_dep_list_dispose(&deps);
	cl_deps_include_list_dispose(&tmp);
	return error;
}

/* ---- 4. pyproject.toml and Pipfile ------------------------------------ */

/* An array of PEP 508 strings at `arr` (absent is fine). */
static int py_pep508_array(struct cl_dep_list *tmp, const char *path, const char *what, json_t *arr,
			   enum cl_dep_scope scope, int allow_tables)
{
	char where[512];
	struct cl_dep d;
	json_t *v;
	size_t i;
	int error;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return cl_error_setc(CL_EINVALID, "%s: %s must be an array of strings", path, what);
	memset(&d, 0, sizeof(d));
	d.ecosystem = "pypi";
	d.relation = CL_DEP_DIRECT;
	d.scope = scope;
	d.manifest = path;
	json_array_foreach(arr, i, v) {
		if (allow_tables && json_is_object(v) && json_is_string(json_object_get(v, "include-group")))
			continue;
		if (!json_is_string(v))
			return cl_error_setc(CL_EINVALID, "%s: %s must be an array of strings", path, what);
		snprintf(where, sizeof(where), "%s: %s", path, what);
		if ((error = py_add_pep508(tmp, json_string_value(v), json_string_length(v), where, &d)) < 0)
			return error;
	}
	return 0;
}

/* An object of group -> array of PEP 508 strings. */
static int py_pep508_groups(struct cl_dep_list *tmp, const char *path, const char *what, json_t *groups,
			    int optional, int allow_tables)
{
	const char *key;
	json_t *arr;
	int error;

	if (!groups)
		return 0;
	if (!json_is_object(groups))
		return cl_error_setc(CL_EINVALID, "%s: [%s] must be a table", path, what);
	json_object_foreach(groups, key, arr) {
		char w[256];
		snprintf(w, sizeof(w), "%s.%s", what, key);
		if ((error = py_pep508_array(tmp, path, w, arr, optional ? CL_DEP_OPTIONAL : py_group_scope(key),
					     allow_tables)) < 0)
			return error;
	}
	return 0;
}

/* A Poetry or Pipfile version value: string, table or array of tables. */
static int py_poetry_version(char **out, int *optional, const char *path, const char *what, const char *name,
			     json_t *v)
{
	struct cl_buf b = CL_BUF_INIT;
	json_t *e, *ver;
	size_t i;
	int error = 0;

	*out = NULL;
	*optional = 0;
	cl_buf_init(&b, PY_MAX_SIZE);
	if (json_is_string(v)) {
		error = cl_buf_puts(&b, json_string_value(v));
	} else if (json_is_object(v) || json_is_array(v)) {
		int is_arr = json_is_array(v);
		for (i = 0; i < (is_arr ? json_array_size(v) : 1); i++) {
			e = is_arr ? json_array_get(v, i) : v;
			if (!json_is_object(e)) {
				error = cl_error_setc(CL_EINVALID, "%s: [%s] '%s' must be a string, a table or tables",
						      path, what, name);
				goto done;
			}
			ver = json_object_get(e, "version");
			if (ver && !json_is_string(ver)) {
				error = cl_error_setc(CL_EINVALID, "%s: [%s] '%s': version must be a string", path, what, name);
				goto done;
			}
			if (json_is_true(json_object_get(e, "optional")))
				*optional = 1;
			if (!ver)
				continue;
			if (b.size && (error = cl_buf_puts(&b, " || ")) < 0)
				goto done;
			if ((error = cl_buf_puts(&b, json_string_value(ver))) < 0)
				goto done;
		}
	} else {
		error = cl_error_setc(CL_EINVALID, "%s: [%s] '%s' must be a string or a table", path, what, name);
		goto done;
	}
	if (error == 0 && b.size)
		*out = cl_buf_detach(&b);
done:
	cl_buf_dispose(&b);
	return error;
}

static int py_poetry_table(struct cl_dep_list *tmp, const char *path, const char *what, json_t *t,
			   enum cl_dep_scope scope)
{
	const char *key;
	json_t *v;
	int error;

	if (!t)
		return 0;
	if (!json_is_object(t))
		return cl_error_setc(CL_EINVALID, "%s: [%s] must be a table", path, what);
	json_object_foreach(t, key, v) {
		struct cl_dep d;
		char *ver;
		int optional;

		if (strcmp(key, "python") == 0)
			continue;   /* the interpreter, not a package */
		if (key[0] == '\0')
			return cl_error_setc(CL_EINVALID, "%s: [%s] has an empty package name", path, what);
		if ((error = py_poetry_version(&ver, &optional, path, what, key, v)) < 0)
			return error;
		memset(&d, 0, sizeof(d));
		d.ecosystem = "pypi";
		d.name = key;
		d.version = ver;
		d.relation = CL_DEP_DIRECT;
		d.scope = optional && scope == CL_DEP_RUNTIME ? CL_DEP_OPTIONAL : scope;
		d.manifest = path;
		error = py_add(tmp, &d);
		free(ver);
		if (error < 0)
			return error;
	}
	return 0;
}

int cl_deps_pyproject_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	json_t *root = NULL, *project, *poetry, *groups, *g;
	const char *key;
	int error;

	if ((error = py_load_toml(&root, path, data, len)) < 0)
		goto done;
	project = json_object_get(root, "project");
	if (project && !json_is_object(project)) {
		error = cl_error_setc(CL_EINVALID, "%s: [project] must be a table", path);
		goto done;
	}
	if ((error = py_pep508_array(&tmp, path, "project.dependencies", json_object_get(project, "dependencies"),
				     CL_DEP_RUNTIME, 0)) < 0 ||
	    (error = py_pep508_groups(&tmp, path, "project.optional-dependencies",
				      json_object_get(project, "optional-dependencies"), 1, 0)) < 0 ||
	    (error = py_pep508_groups(&tmp, path, "dependency-groups", json_object_get(root, "dependency-groups"),
				      0, 1)) < 0 ||
	    (error = py_pep508_array(&tmp, path, "build-system.requires",
				     json_object_get(json_object_get(root, "build-system"), "requires"),
				     CL_DEP_BUILD, 0)) < 0)
		goto done;
	poetry = json_object_get(json_object_get(root, "tool"), "poetry");
	if ((error = py_poetry_table(&tmp, path, "tool.poetry.dependencies", json_object_get(poetry, "dependencies"),
				     CL_DEP_RUNTIME)) < 0 ||
	    (error = py_poetry_table(&tmp, path, "tool.poetry.dev-dependencies",
				     json_object_get(poetry, "dev-dependencies"), CL_DEP_DEV)) < 0)
		goto done;
	groups = json_object_get(poetry, "group");
	if (groups && !json_is_object(groups)) {
		error = cl_error_setc(CL_EINVALID, "%s: [tool.poetry.group] must be a table", path);
		goto done;
	}
	json_object_foreach(groups, key, g) {
		char what[256];
		snprintf(what, sizeof(what), "tool.poetry.group.%s.dependencies", key);
		if ((error = py_poetry_table(&tmp, path, what, json_object_get(g, "dependencies"),
					     py_group_scope(key))) < 0)
			goto done;
	}
	error = py_splice(out, &tmp);
done:
	json_decref(root);
	cl_dep_list_dispose(&tmp);
	return error;
}

int cl_deps_pipfile_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	json_t *root = NULL;
	int error;

	if ((error = py_load_toml(&root, path, data, len)) < 0)
		goto done;
	if ((error = py_poetry_table(&tmp, path, "packages", json_object_get(root, "packages"), CL_DEP_RUNTIME)) < 0 ||
	    (error = py_poetry_table(&tmp, path, "dev-packages", json_object_get(root, "dev-packages"), CL_DEP_DEV)) < 0)
		goto done;
	error = py_splice(out, &tmp);
done:
	json_decref(root);
	cl_dep_list_dispose(&tmp);
	return error;
}

/* ---- 5. poetry.lock, Pipfile.lock, uv.lock ---------------------------- */

static int py_lock_package(json_t *pkg, const char *path, size_t i, int version_required)
{
	json_t *v = json_object_get(pkg, "version");

	if (!json_is_object(pkg) || !json_is_string(json_object_get(pkg, "name")) ||
	    json_string_length(json_object_get(pkg, "name")) == 0 || (v && !json_is_string(v)) ||
	    (version_required && !v))
		return cl_error_setc(CL_EINVALID, "%s: [[package]] number %zu needs a string name and version", path, i + 1);
	return 0;
}

static enum cl_dep_scope py_poetry_lock_scope(const char *path, json_t *pkg, int *error)
{
	json_t *cat = json_object_get(pkg, "category"), *groups = json_object_get(pkg, "groups"), *g;
	enum cl_dep_scope scope = CL_DEP_RUNTIME;
	size_t i;

	*error = 0;
	if (cat) {
		if (!json_is_string(cat)) {
			*error = cl_error_setc(CL_EINVALID, "%s: package category must be a string", path);
			return scope;
		}
		scope = strcmp(json_string_value(cat), "dev") == 0 ? CL_DEP_DEV : CL_DEP_RUNTIME;
	} else if (groups) {
		if (!json_is_array(groups) || json_array_size(groups) == 0) {
			*error = cl_error_setc(CL_EINVALID, "%s: package groups must be a non-empty array", path);
			return scope;
		}
		scope = CL_DEP_DEV;
		json_array_foreach(groups, i, g) {
			if (!json_is_string(g)) {
				*error = cl_error_setc(CL_EINVALID, "%s: package groups must be strings", path);
				return scope;
			}
			if (py_group_scope(json_string_value(g)) == CL_DEP_RUNTIME)
				scope = CL_DEP_RUNTIME;
			else if (scope != CL_DEP_RUNTIME && i == 0)
				scope = py_group_scope(json_string_value(g));
		}
	}
	if (scope == CL_DEP_RUNTIME && json_is_true(json_object_get(pkg, "optional")))
		scope = CL_DEP_OPTIONAL;
	return scope;
}

int cl_deps_poetry_lock_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	json_t *root = NULL, *pkgs, *pkg;
	size_t i;
	int error;

	if ((error = py_load_toml(&root, path, data, len)) < 0)
		goto done;
	pkgs = json_object_get(root, "package");
	if (pkgs && !json_is_array(pkgs)) {
		error = cl_error_setc(CL_EINVALID, "%s: 'package' must be an array of tables", path);
		goto done;
	}
	json_array_foreach(pkgs, i, pkg) {
		struct cl_dep d;
		if ((error = py_lock_package(pkg, path, i, 1)) < 0)
			goto done;
		memset(&d, 0, sizeof(d));
		d.scope = py_poetry_lock_scope(path, pkg, &error);
		if (error < 0)
			goto done;
		d.ecosystem = "pypi";
		d.name = json_string_value(json_object_get(pkg, "name"));
		d.version = json_string_value(json_object_get(pkg, "version"));
		d.relation = CL_DEP_UNKNOWN;
		d.manifest = path;
		if ((error = py_add(&tmp, &d)) < 0)
			goto done;
	}
	error = py_splice(out, &tmp);
done:
	json_decref(root);
	cl_dep_list_dispose(&tmp);
	return error;
}

static int py_pipfile_section(struct cl_dep_list *tmp, const char *path, json_t *root, const char *section,
			      enum cl_dep_scope scope)
{
	json_t *sec = json_object_get(root, section), *v, *ver;
	const char *key;
	int error;

	if (!sec)
		return 0;
	if (!json_is_object(sec))
		return cl_error_setc(CL_EINVALID, "%s: \"%s\" must be an object", path, section);
	json_object_foreach(sec, key, v) {
		struct cl_dep d;
		const char *s;

		ver = json_object_get(v, "version");
		if (!json_is_object(v) || (ver && !json_is_string(ver)) || key[0] == '\0')
			return cl_error_setc(CL_EINVALID, "%s: \"%s\" entry '%s' must be an object with a string version",
					     path, section, key);
		s = json_string_value(ver);
		if (s && strncmp(s, "===", 3) == 0)
			s += 3;
		else if (s && strncmp(s, "==", 2) == 0)
			s += 2;
		memset(&d, 0, sizeof(d));
		d.ecosystem = "pypi";
		d.name = key;
		d.version = s;
		d.relation = CL_DEP_UNKNOWN;
		d.scope = scope;
		d.manifest = path;
		if ((error = py_add(tmp, &d)) < 0)
			return error;
	}
	return 0;
}

int cl_deps_pipfile_lock_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_json_arena arena = CL_JSON_ARENA_INIT;
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	json_error_t jerr;
	json_t *root = NULL;
	int error;

	cl_json_arena_begin(&arena);
	if (len > PY_MAX_SIZE) {
		error = py_too_big(path, len);
		goto done;
	}
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		/* Jansson quotes the offending text, control characters included: keep one line. */
		char *c;
		for (c = jerr.text; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				*c = '?';
		error = cl_error_setc(CL_EINVALID, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
		goto done;
	}
	if (!json_is_object(root)) {
		error = cl_error_setc(CL_EINVALID, "%s: top level must be an object", path);
		goto done;
	}
	if ((error = py_pipfile_section(&tmp, path, root, "default", CL_DEP_RUNTIME)) < 0 ||
	    (error = py_pipfile_section(&tmp, path, root, "develop", CL_DEP_DEV)) < 0)
		goto done;
	error = py_splice(out, &tmp);
done:
	json_decref(root);
	cl_json_arena_end(&arena);
	cl_dep_list_dispose(&tmp);
	return error;
}

/* Record the names a project package lists in `arr` ([{name = ...}, ...]) with `scope`. */
static int py_uv_mark(json_t *direct, const char *path, json_t *arr, enum cl_dep_scope scope)
{
	json_t *e, *name, *old;
	size_t i;
	char *norm;

	if (!arr)
		return 0;
	if (!json_is_array(arr))
		return cl_error_setc(CL_EINVALID, "%s: package dependency lists must be arrays", path);
	json_array_foreach(arr, i, e) {
		name = json_object_get(e, "name");
		if (!json_is_string(name))
			return cl_error_setc(CL_EINVALID, "%s: package dependency entries need a string name", path);
		norm = strdup(json_string_value(name));
		if (!norm)
			return cl_error_set("out of memory");
		cl_deps_pypi_normalize(norm);
		old = json_object_get(direct, norm);
		/* A package both required and dev-required is runtime. */
		if ((!old || scope == CL_DEP_RUNTIME) && json_object_set_new(direct, norm, json_integer(scope)) < 0) {
			free(norm);
			return cl_error_set("out of memory");
		}
		free(norm);
	}
	return 0;
}

static int py_uv_mark_groups(json_t *direct, const char *path, json_t *groups, int optional)
{
	const char *key;
	json_t *arr;
	int error;

	if (!groups)
		return 0;
	if (!json_is_object(groups))
		return cl_error_setc(CL_EINVALID, "%s: dependency groups must be tables", path);
	json_object_foreach(groups, key, arr) {
		if ((error = py_uv_mark(direct, path, arr, optional ? CL_DEP_OPTIONAL : py_group_scope(key))) < 0)
			return error;
	}
	return 0;
}

/* A project package: a [manifest] member when there are members, else virtual or editable. */
static int py_uv_is_root(json_t *memberset, json_t *pkg)
{
	json_t *src = json_object_get(pkg, "source");

	if (memberset)
		return json_object_get(memberset, json_string_value(json_object_get(pkg, "name"))) != NULL;
	return json_object_get(src, "virtual") != NULL || json_object_get(src, "editable") != NULL;
}

/* A malloc'd PEP 503 form of the string `v`. */
static char *py_norm_dup(json_t *v)
{
	char *s = strdup(json_string_value(v));
	if (s)
		cl_deps_pypi_normalize(s);
	return s;
}

/*
 * The scope of every package reachable from the project's direct
 * dependencies: a breadth-first walk from the runtime ones first, then
 * optional, test and dev, so a package reachable at runtime is runtime and
 * one reachable only from dev tools is dev. `byname` maps a normalised
 * name to the array of its non-project packages; each is visited once
 * (`reach` records it), so the walk is linear in the lock's size.
 */
static int py_uv_walk(json_t *reach, json_t *direct, json_t *byname, const char *path)
{
	static const enum cl_dep_scope order[] = { CL_DEP_RUNTIME, CL_DEP_OPTIONAL, CL_DEP_TEST, CL_DEP_DEV };
	json_t *queue = json_array(), *v, *pkgs, *pkg, *deps, *e;
	const char *key;
	size_t o, head, i, j;
	int error = 0;

	CL_CHECK_ALLOC(queue);
	for (o = 0; o < sizeof(order) / sizeof(order[0]); o++) {
		json_array_clear(queue);
		json_object_foreach(direct, key, v) {
			if (json_integer_value(v) != (json_int_t)order[o] || json_object_get(reach, key))
				continue;
			if (json_object_set_new(reach, key, json_integer(order[o])) < 0 ||
			    json_array_append_new(queue, json_string(key)) < 0) {
				error = cl_error_set("out of memory");
				goto done;
			}
		}
		for (head = 0; head < json_array_size(queue); head++) {
			pkgs = json_object_get(byname, json_string_value(json_array_get(queue, head)));
			json_array_foreach(pkgs, i, pkg) {
				deps = json_object_get(pkg, "dependencies");
				if (deps && !json_is_array(deps)) {
					error = cl_error_setc(CL_EINVALID, "%s: package dependency lists must be arrays", path);
					goto done;
				}
				json_array_foreach(deps, j, e) {
					char *n;
					if (!json_is_string(json_object_get(e, "name"))) {
						error = cl_error_setc(CL_EINVALID, "%s: package dependency entries need a string name",
								      path);
						goto done;
					}
					n = py_norm_dup(json_object_get(e, "name"));
					CL_CHECK_ALLOC(n);
					if (!json_object_get(reach, n) &&
					    (json_object_set_new(reach, n, json_integer(order[o])) < 0 ||
					     json_array_append_new(queue, json_string(n)) < 0))
						error = cl_error_set("out of memory");
					free(n);
					if (error < 0)
						goto done;
				}
			}
		}
	}
done:
	json_decref(queue);
	return error;
}

int cl_deps_uv_lock_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	json_t *root = NULL, *direct = NULL, *reach = NULL, *byname = NULL, *memberset = NULL;
	json_t *pkgs, *pkg, *members, *m;
	char *norm = NULL;
	size_t i;
	int error, have_root = 0;

	if ((error = py_load_toml(&root, path, data, len)) < 0)
		goto done;
	direct = json_object();
	reach = json_object();
	byname = json_object();
	CL_CHECK_ALLOC(direct);
	CL_CHECK_ALLOC(reach);
	CL_CHECK_ALLOC(byname);
	pkgs = json_object_get(root, "package");
	if (pkgs && !json_is_array(pkgs)) {
		error = cl_error_setc(CL_EINVALID, "%s: 'package' must be an array of tables", path);
		goto done;
	}
	members = json_object_get(json_object_get(root, "manifest"), "members");
	if (members && !json_is_array(members)) {
		error = cl_error_setc(CL_EINVALID, "%s: manifest members must be an array", path);
		goto done;
	}
	if (members) {
		memberset = json_object();
		CL_CHECK_ALLOC(memberset);
		json_array_foreach(members, i, m) {
			if (!json_is_string(m)) {
				error = cl_error_setc(CL_EINVALID, "%s: manifest members must be strings", path);
				goto done;
			}
			if (json_object_set_new(memberset, json_string_value(m), json_true()) < 0) {
				error = cl_error_set("out of memory");
				goto done;
			}
		}
	}
	json_array_foreach(pkgs, i, pkg) {
		json_t *src, *list;
		if ((error = py_lock_package(pkg, path, i, 0)) < 0)
			goto done;
		src = json_object_get(pkg, "source");
		if (src && !json_is_object(src)) {
			error = cl_error_setc(CL_EINVALID, "%s: [[package]] number %zu: source must be a table", path, i + 1);
			goto done;
		}
		if (!py_uv_is_root(memberset, pkg)) {
			norm = py_norm_dup(json_object_get(pkg, "name"));
			CL_CHECK_ALLOC(norm);
			list = json_object_get(byname, norm);
			if (!list && (json_object_set_new(byname, norm, list = json_array()) < 0 || !list)) {
				error = cl_error_set("out of memory");
				goto done;
			}
			if (json_array_append(list, pkg) < 0) {
				error = cl_error_set("out of memory");
				goto done;
			}
			free(norm);
			norm = NULL;
			continue;
		}
		have_root = 1;
		if ((error = py_uv_mark(direct, path, json_object_get(pkg, "dependencies"), CL_DEP_RUNTIME)) < 0 ||
		    (error = py_uv_mark_groups(direct, path, json_object_get(pkg, "optional-dependencies"), 1)) < 0 ||
		    (error = py_uv_mark_groups(direct, path, json_object_get(pkg, "dev-dependencies"), 0)) < 0)
			goto done;
	}
	if ((error = py_uv_walk(reach, direct, byname, path)) < 0)
		goto done;
	json_array_foreach(pkgs, i, pkg) {
		struct cl_dep d;
		json_t *mark, *seen;

		if (py_uv_is_root(memberset, pkg))
			continue;
		norm = py_norm_dup(json_object_get(pkg, "name"));
		CL_CHECK_ALLOC(norm);
		mark = json_object_get(direct, norm);
		seen = json_object_get(reach, norm);
		memset(&d, 0, sizeof(d));
		d.ecosystem = "pypi";
		d.name = norm;
		d.version = json_string_value(json_object_get(pkg, "version"));
		d.relation = !have_root ? CL_DEP_UNKNOWN : mark ? CL_DEP_DIRECT : CL_DEP_TRANSITIVE;
		/* Not reachable from the project (a stale lock): runtime, the conservative choice. */
		d.scope = seen ? (enum cl_dep_scope)json_integer_value(seen) : CL_DEP_RUNTIME;
		d.manifest = path;
		error = norm[0] ? cl_dep_list_add(&tmp, &d)
			: cl_error_setc(CL_EINVALID, "%s: [[package]] number %zu has an empty name", path, i + 1);
		free(norm);
		norm = NULL;
		if (error < 0)
			goto done;
	}
	error = py_splice(out, &tmp);
done:
	free(norm);
	json_decref(memberset);
	json_decref(byname);
	json_decref(reach);
	json_decref(direct);
	json_decref(root);
	cl_dep_list_dispose(&tmp);
	return error;
}

const struct cl_dep_format cl_deps_python_formats[] = {
	{ "requirements.txt", "requirements*.txt", 0, cl_deps_requirements_parse },
	{ "pyproject.toml", "pyproject.toml", 0, cl_deps_pyproject_parse },
	{ "Pipfile", "Pipfile", 0, cl_deps_pipfile_parse },
	{ "poetry.lock", "poetry.lock", 1, cl_deps_poetry_lock_parse },
	{ "Pipfile.lock", "Pipfile.lock", 1, cl_deps_pipfile_lock_parse },
	{ "uv.lock", "uv.lock", 1, cl_deps_uv_lock_parse },
	{ NULL, NULL, 0, NULL }
};
