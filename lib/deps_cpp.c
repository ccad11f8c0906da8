/*
 * deps_cpp.c - vcpkg.json and conanfile.txt (see deps_cpp.h).
 *
 * Divisions: shared helpers; vcpkg.json; conanfile.txt; the format table.
 */
#include "deps_cpp.h"
#include "buf.h"
#include "error.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Both formats are hand-written manifests of a few KB; 64 MiB is hostile. */
#define CPP_MAX_SIZE (64u * 1024 * 1024)

/* ---- shared helpers ------------------------------------------------- */

/* Append `tmp` to `out` with the room reserved first: failure leaves `out` as it was. */
static int cpp_commit(struct cl_dep_list *out, struct cl_dep_list *tmp)
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

/*
 * Jansson's message quotes the offending input ("near '...'"), which may hold
 * newlines and control bytes; our messages are one printable line.
 */
static int cpp_syntax_error(const char *path, const json_error_t *jerr)
{
	char text[JSON_ERROR_TEXT_LENGTH];
	size_t i;

	for (i = 0; i + 1 < sizeof(text) && jerr->text[i]; i++)
		text[i] = (unsigned char)jerr->text[i] < 0x20 || jerr->text[i] == 0x7f ? '?' : jerr->text[i];
	text[i] = '\0';
	return cl_error_setc(CL_EINVALID, "%s:%d:%d: %s", path, jerr->line, jerr->column > 0 ? jerr->column : 1, text);
}

/* ---- vcpkg.json ------------------------------------------------------ */

static const char VCPKG_ECO[] = "vcpkg";

/* The exact version an "overrides" entry pins, into `out` ("" when none). */
static int vcpkg_override_version(struct cl_buf *out, const char *path, json_t *ov, size_t idx)
{
	static const char *const keys[] = { "version", "version-semver", "version-date", "version-string" };
	json_t *port = json_object_get(ov, "port-version");
	const char *v = NULL;
	size_t i;

	cl_buf_clear(out);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && !v; i++) {
		json_t *j = json_object_get(ov, keys[i]);
		if (j && !json_is_string(j))
			return cl_error_setc(CL_EINVALID, "%s: overrides[%zu].%s is not a string", path, idx, keys[i]);
		v = json_string_value(j);
	}
	if (!v)
		return cl_error_setc(CL_EINVALID, "%s: overrides[%zu] has no version", path, idx);
	if (port && !json_is_integer(port))
		return cl_error_setc(CL_EINVALID, "%s: overrides[%zu].port-version is not an integer", path, idx);
	if (cl_buf_puts(out, v) < 0 ||
	    (port && json_integer_value(port) > 0 &&
	     cl_buf_printf(out, "#%lld", (long long)json_integer_value(port)) < 0))
		return cl_error_set("out of memory");
	return 0;
}

int cl_deps_vcpkg_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	struct cl_buf ver = CL_BUF_INIT;
	json_t *root = NULL, *deps, *overrides, *d, *by_name = NULL;
	json_error_t jerr;
	size_t i;
	int error = 0;

	if (len > CPP_MAX_SIZE) {
		error = cl_error_setc(CL_ETOOBIG, "%s: file is larger than %u bytes", path, CPP_MAX_SIZE);
		goto done;
	}
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		error = cpp_syntax_error(path, &jerr);
		goto done;
	}
	if (!json_is_object(root)) {
		error = cl_error_setc(CL_EINVALID, "%s: top level is not an object", path);
		goto done;
	}
	overrides = json_object_get(root, "overrides");
	if (overrides && !json_is_array(overrides)) {
		error = cl_error_setc(CL_EINVALID, "%s: \"overrides\" is not an array", path);
		goto done;
	}
	/* by name, so that many overrides and many dependencies stay linear */
	by_name = json_object();
	CL_CHECK_ALLOC(by_name);
	json_array_foreach(overrides, i, d) {
		const char *n = json_string_value(json_object_get(d, "name"));
		if (!json_is_object(d) || !n || !*n) {
			error = cl_error_setc(CL_EINVALID, "%s: overrides[%zu] has no \"name\" string", path, i);
			goto done;
		}
		if ((error = vcpkg_override_version(&ver, path, d, i)) < 0)
			goto done;
		if (json_object_set_nocheck(by_name, n, d) < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
	}
	deps = json_object_get(root, "dependencies");
	if (deps && !json_is_array(deps)) {
		error = cl_error_setc(CL_EINVALID, "%s: \"dependencies\" is not an array", path);
		goto done;
	}
	json_array_foreach(deps, i, d) {
		struct cl_dep dep;
		const char *name;
		json_t *min = NULL, *host = NULL, *ov;

		if (json_is_string(d)) {
			name = json_string_value(d);
		} else if (json_is_object(d)) {
			name = json_string_value(json_object_get(d, "name"));
			min = json_object_get(d, "version>=");
			host = json_object_get(d, "host");
			if ((min && !json_is_string(min)) || (host && !json_is_boolean(host))) {
				error = cl_error_setc(CL_EINVALID, "%s: dependencies[%zu]: \"%s\" has the wrong type",
						      path, i, min && !json_is_string(min) ? "version>=" : "host");
				goto done;
			}
		} else {
			error = cl_error_setc(CL_EINVALID, "%s: dependencies[%zu] is neither a string nor an object",
					      path, i);
			goto done;
		}
		if (!name || !*name) {
			error = cl_error_setc(CL_EINVALID, "%s: dependencies[%zu] has no \"name\" string", path, i);
			goto done;
		}
		cl_buf_clear(&ver);
		ov = json_object_get(by_name, name);
		if (ov)
			error = vcpkg_override_version(&ver, path, ov, 0);
		else if (min)
			error = cl_buf_printf(&ver, ">=%s", json_string_value(min));
		if (error < 0)
			goto done;
		memset(&dep, 0, sizeof(dep));
		dep.ecosystem = VCPKG_ECO;
		dep.name = name;
		dep.version = ver.size ? cl_buf_cstr(&ver) : NULL;
		dep.relation = CL_DEP_DIRECT;
		dep.scope = json_is_true(host) ? CL_DEP_BUILD : CL_DEP_RUNTIME;
		dep.manifest = path;
		if ((error = cl_dep_list_add(&tmp, &dep)) < 0)
			goto done;
	}
	error = cpp_commit(out, &tmp);
done:
	cl_buf_dispose(&ver);
	cl_dep_list_dispose(&tmp);
	json_decref(by_name);
	json_decref(root);
	return error;
}

/* ---- conanfile.txt --------------------------------------------------- */

static const char CONAN_ECO[] = "conan";

enum conan_section { CONAN_OTHER = -1, CONAN_NONE = -2 };

static const struct {
	const char *name;
	enum cl_dep_scope scope;
} conan_sections[] = {
	{ "requires", CL_DEP_RUNTIME },
	{ "tool_requires", CL_DEP_BUILD },
	{ "build_requires", CL_DEP_BUILD },
	{ "test_requires", CL_DEP_TEST },
};

/* Conan's reference pattern: [a-zA-Z0-9_][a-zA-Z0-9_+.-]* for every part. */
static int conan_name_char(char c, int first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
		return 1;
	return !first && (c == '+' || c == '.' || c == '-');
}

/* Length of a name-like part starting at s (bounded by e); 0 when none. */
static size_t conan_part(const char *s, const char *e)
{
	size_t n = 0;

	while (s + n < e && conan_name_char(s[n], n == 0))
		n++;
	return n;
}

static int conan_line(struct cl_dep_list *tmp, const char *path, unsigned int lineno, const char *ls,
		      const char *s, const char *e, enum cl_dep_scope scope)
{
	struct cl_buf name = CL_BUF_INIT, ver = CL_BUF_INIT;
	const char *p = s, *v;
	struct cl_dep dep;
	size_t n;
	int error = 0;

	n = conan_part(p, e);
	if (n == 0 || p + n >= e || p[n] != '/') {
		error = cl_error_setc(CL_EINVALID, "%s:%u:%zu: expected a reference \"name/version\"", path, lineno,
				      (size_t)(p + n - ls) + 1);
		goto done;
	}
	if ((error = cl_buf_put(&name, p, n)) < 0)
		goto done;
	p += n + 1;
	v = p;
	if (p < e && *p == '[') {
		/* a version range, e.g. [>=1.2 <2.0]: taken as written */
		while (p < e && *p != ']')
			p++;
		if (p == e) {
			error = cl_error_setc(CL_EINVALID, "%s:%u:%zu: unterminated version range", path, lineno,
					      (size_t)(v - ls) + 1);
			goto done;
		}
		p++;
	} else {
		p += conan_part(p, e);
	}
	if (p == v) {
		error = cl_error_setc(CL_EINVALID, "%s:%u:%zu: missing version", path, lineno, (size_t)(v - ls) + 1);
		goto done;
	}
	if ((error = cl_buf_put(&ver, v, (size_t)(p - v))) < 0)
		goto done;
	if (p < e && *p == '@') {
		/* @user/channel (or @user alone in Conan 2) */
		p++;
		n = conan_part(p, e);
		/* "name/1.0@" is Conan 2's spelling of "no user/channel" */
		if (n == 0 && p < e && *p != '#') {
			error = cl_error_setc(CL_EINVALID, "%s:%u:%zu: missing user after '@'", path, lineno,
					      (size_t)(p - ls) + 1);
			goto done;
		}
		p += n;
		if (n > 0 && p < e && *p == '/') {
			p++;
			n = conan_part(p, e);
			if (n == 0) {
				error = cl_error_setc(CL_EINVALID, "%s:%u:%zu: missing channel", path, lineno,
						      (size_t)(p - ls) + 1);
				goto done;
			}
			p += n;
		}
	}
	if (p < e && *p == '#') {
		p++;
		n = conan_part(p, e);
		if (n == 0) {
			error = cl_error_setc(CL_EINVALID, "%s:%u:%zu: missing revision after '#'", path, lineno,
					      (size_t)(p - ls) + 1);
			goto done;
		}
		p += n;
	}
	if (p != e) {
		error = cl_error_setc(CL_EINVALID, "%s:%u:%zu: unexpected character in reference", path, lineno,
				      (size_t)(p - ls) + 1);
		goto done;
	}
	memset(&dep, 0, sizeof(dep));
	dep.ecosystem = CONAN_ECO;
	dep.name = cl_buf_cstr(&name);
	dep.version = cl_buf_cstr(&ver);
	dep.relation = CL_DEP_DIRECT;
	dep.scope = scope;
	dep.manifest = path;
	dep.line = lineno;
	error = cl_dep_list_add(tmp, &dep);
done:
	cl_buf_dispose(&name);
	cl_buf_dispose(&ver);
	return error;
}

static int conan_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

int cl_deps_conanfile_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	const char *p = data, *end = data + len;
	int section = CONAN_NONE;
	unsigned int lineno = 0;
	int error = 0;

	if (len > CPP_MAX_SIZE) {
		error = cl_error_setc(CL_ETOOBIG, "%s: file is larger than %u bytes", path, CPP_MAX_SIZE);
		goto done;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *ls = p, *le = nl ? nl : end, *s = ls, *e = le;

		p = nl ? nl + 1 : end;
		lineno++;
		while (s < e && conan_is_space(*s))
			s++;
		while (e > s && conan_is_space(e[-1]))
			e--;
		if (s == e || *s == '#')
			continue;
		if (memchr(s, '\0', (size_t)(e - s))) {
			error = cl_error_setc(CL_EINVALID, "%s:%u: NUL byte in line", path, lineno);
			goto done;
		}
		if (*s == '[') {
			size_t i, n = (size_t)(e - s);

			if (e[-1] != ']' || n < 3) {
				error = cl_error_setc(CL_EINVALID, "%s:%u:%zu: malformed section header", path, lineno,
						      (size_t)(s - ls) + 1);
				goto done;
			}
			section = CONAN_OTHER;
			for (i = 0; i < sizeof(conan_sections) / sizeof(conan_sections[0]); i++)
				if (strlen(conan_sections[i].name) == n - 2 &&
				    memcmp(conan_sections[i].name, s + 1, n - 2) == 0)
					section = (int)i;
			continue;
		}
		if (section == CONAN_NONE) {
			error = cl_error_setc(CL_EINVALID, "%s:%u:%zu: text before the first [section]", path, lineno,
					      (size_t)(s - ls) + 1);
			goto done;
		}
		if (section == CONAN_OTHER)
			continue;
		if ((error = conan_line(&tmp, path, lineno, ls, s, e, conan_sections[section].scope)) < 0)
			goto done;
	}
	error = cpp_commit(out, &tmp);
done:
	cl_dep_list_dispose(&tmp);
	return error;
}

/* ---- the format table ------------------------------------------------ */

const struct cl_dep_format cl_deps_cpp_formats[] = {
	{ "vcpkg.json", "vcpkg.json", 0, cl_deps_vcpkg_parse },
	{ "conanfile.txt", "conanfile.txt", 0, cl_deps_conanfile_parse },
	{ NULL, NULL, 0, NULL }
};
