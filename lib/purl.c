/*
 * purl.c - package URLs for dependencies (see purl.h for the mapping).
 *
 * Divisions: 1. encoding helpers  2. one builder per purl shape
 *            3. the ecosystem table and cl_purl_from_dep
 */
#include "purl.h"
#include "deps_python.h"
#include "error.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- 1. encoding helpers ---------------------------------------------- */

/*
 * The spec's percent-encoding: unreserved characters stay, and so does ':'
 * (purl-spec "Character encoding": the colon is never encoded), everything
 * else, '/' and '@' included, becomes %XX so it cannot be read as a
 * separator. `lower` folds ASCII letters first, for the types whose names
 * are case-insensitive.
 */
static int purl_put_enc(struct cl_buf *out, const char *s, size_t len, int lower)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;
	int error = 0;

	for (i = 0; i < len && error >= 0; i++) {
		unsigned char c = (unsigned char)s[i];
		if (lower && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '-' || c == '_' || c == '~' || c == ':') {
			error = cl_buf_putc(out, (char)c);
		} else {
			char esc[3] = { '%', hex[c >> 4], hex[c & 15] };
			error = cl_buf_put(out, esc, sizeof(esc));
		}
	}
	return error;
}

/*
 * Segments separated by '/', each encoded on its own; empty segments are
 * dropped (the spec strips them from namespaces and subpaths). The caller
 * has checked that at least one segment is not empty.
 */
static int purl_put_path(struct cl_buf *out, const char *s, size_t len, int lower)
{
	size_t start = 0, i;
	int first = 1, error = 0;

	for (i = 0; i <= len && error >= 0; i++) {
		if (i < len && s[i] != '/')
			continue;
		if (i > start) {
			if (!first)
				error = cl_buf_putc(out, '/');
			if (error >= 0)
				error = purl_put_enc(out, s + start, i - start, lower);
			first = 0;
		}
		start = i + 1;
	}
	return error;
}

/* Whether the segments of `s` include a non-empty one. */
static int purl_has_segment(const char *s, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++)
		if (s[i] != '/')
			return 1;
	return 0;
}

/* A requirement ("^1.2", ">=2,<3", "[1.0,2.0)") names no single version. */
static int purl_version_is_exact(const char *v)
{
	return v && *v && strpbrk(v, " ^~<>=*,|![(") == NULL;
}

static int purl_put_version(struct cl_buf *out, const char *v)
{
	int error;
	if (!purl_version_is_exact(v))
		return 0;
	if ((error = cl_buf_putc(out, '@')) < 0)
		return error;
	return purl_put_enc(out, v, strlen(v), 0);
}

/* "?key=value" with the value encoded. */
static int purl_put_qualifier(struct cl_buf *out, const char *key, const char *v, size_t len)
{
	int error;
	if ((error = cl_buf_printf(out, "?%s=", key)) < 0)
		return error;
	return purl_put_enc(out, v, len, 0);
}

static int purl_bad_name(const struct cl_dep *dep, const char *why)
{
	return cl_error_setc(CL_EINVALID, "cannot make a purl of %s package '%s': %s",
		dep->ecosystem, dep->name, why);
}

/* ---- 2. builders: each appends what follows "pkg:TYPE/" ---------------- */

/* name@version, the name one segment (a '/' in it is encoded). */
static int purl_simple(struct cl_buf *out, const struct cl_dep *dep, int lower)
{
	int error;
	if ((error = purl_put_enc(out, dep->name, strlen(dep->name), lower)) < 0)
		return error;
	return purl_put_version(out, dep->version);
}

static int build_plain(struct cl_buf *out, const struct cl_dep *dep)
{
	return purl_simple(out, dep, 0);
}

/* "@scope/name": the scope is the namespace, its '@' encoded as %40. */
static int build_npm(struct cl_buf *out, const struct cl_dep *dep)
{
	const char *slash = strchr(dep->name, '/');
	int error;

	if (dep->name[0] != '@' || !slash)
		return purl_simple(out, dep, 0);
	if (slash == dep->name + 1 || !slash[1])
		return purl_bad_name(dep, "empty scope or name");
	if ((error = purl_put_enc(out, dep->name, (size_t)(slash - dep->name), 0)) < 0 ||
	    (error = cl_buf_putc(out, '/')) < 0 ||
	    (error = purl_put_enc(out, slash + 1, strlen(slash + 1), 0)) < 0)
		return error;
	return purl_put_version(out, dep->version);
}

static int build_pypi(struct cl_buf *out, const struct cl_dep *dep)
{
	char *norm = strdup(dep->name);
	int error;

	if (!norm)
		return cl_error_set("out of memory");
	cl_deps_pypi_normalize(norm);
	error = purl_put_enc(out, norm, strlen(norm), 0);
	free(norm);
	if (error < 0)
		return error;
	return purl_put_version(out, dep->version);
}

/* "group:artifact" -> group/artifact. */
static int build_maven(struct cl_buf *out, const struct cl_dep *dep)
{
	const char *colon = strchr(dep->name, ':');
	int error;

	if (!colon || colon == dep->name || !colon[1])
		return purl_bad_name(dep, "not group:artifact");
	if ((error = purl_put_enc(out, dep->name, (size_t)(colon - dep->name), 0)) < 0 ||
	    (error = cl_buf_putc(out, '/')) < 0 ||
	    (error = purl_put_enc(out, colon + 1, strlen(colon + 1), 0)) < 0)
		return error;
	return purl_put_version(out, dep->version);
}

/* Namespace segments and name from a '/'-separated path (Go, Composer). */
static int purl_path_name(struct cl_buf *out, const struct cl_dep *dep, int lower)
{
	int error;
	if (!purl_has_segment(dep->name, strlen(dep->name)))
		return purl_bad_name(dep, "empty name");
	if ((error = purl_put_path(out, dep->name, strlen(dep->name), lower)) < 0)
		return error;
	return purl_put_version(out, dep->version);
}

static int build_golang(struct cl_buf *out, const struct cl_dep *dep)
{
	return purl_path_name(out, dep, 0);
}

static int build_composer(struct cl_buf *out, const struct cl_dep *dep)
{
	return purl_path_name(out, dep, 1);
}

/* owner/repo[@ref][#sub/path] from "owner/repo[/sub/path]" of `len` bytes. */
static int purl_github(struct cl_buf *out, const struct cl_dep *dep, const char *name, size_t len,
	const char *ref)
{
	const char *slash = memchr(name, '/', len), *sub;
	size_t repo_len;
	int error;

	if (!slash || slash == name)
		return purl_bad_name(dep, "not owner/repo");
	sub = memchr(slash + 1, '/', len - (size_t)(slash + 1 - name));
	repo_len = sub ? (size_t)(sub - slash - 1) : len - (size_t)(slash + 1 - name);
	if (repo_len == 0)
		return purl_bad_name(dep, "not owner/repo");
	if ((error = purl_put_enc(out, name, (size_t)(slash - name), 1)) < 0 ||
	    (error = cl_buf_putc(out, '/')) < 0 ||
	    (error = purl_put_enc(out, slash + 1, repo_len, 1)) < 0 ||
	    (error = purl_put_version(out, ref)) < 0)
		return error;
	if (sub && purl_has_segment(sub, len - (size_t)(sub - name))) {
		if ((error = cl_buf_putc(out, '#')) < 0)
			return error;
		error = purl_put_path(out, sub, len - (size_t)(sub - name), 0);
	}
	return error;
}

static int build_actions(struct cl_buf *out, const struct cl_dep *dep)
{
	return purl_github(out, dep, dep->name, strlen(dep->name), dep->version);
}

/*
 * docker image references: a first segment with '.' or ':' or "localhost"
 * is a registry (docker's own rule for telling a host from a user name),
 * which the spec puts in the repository_url qualifier.
 */
static int build_docker(struct cl_buf *out, const struct cl_dep *dep)
{
	const char *name = dep->name, *slash = strchr(name, '/');
	size_t reg_len = 0;
	int error;

	if (slash && (memchr(name, '.', (size_t)(slash - name)) || memchr(name, ':', (size_t)(slash - name)) ||
	    ((size_t)(slash - name) == 9 && !memcmp(name, "localhost", 9)))) {
		reg_len = (size_t)(slash - name);
		name = slash + 1;
	}
	if (!purl_has_segment(name, strlen(name)))
		return purl_bad_name(dep, "no image name");
	if ((error = purl_put_path(out, name, strlen(name), 0)) < 0 ||
	    (error = purl_put_version(out, dep->version)) < 0)
		return error;
	if (reg_len)
		error = purl_put_qualifier(out, "repository_url", dep->name, reg_len);
	return error;
}

/* The "owner/repo" of a github.com remote url, without ".git"; 0 if none. */
static int purl_github_url(const char **start, size_t *len, const char *url)
{
	static const char *const prefixes[] = {
		"https://github.com/", "http://github.com/", "git://github.com/",
		"ssh://git@github.com/", "git@github.com:",
	};
	size_t i, n;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t plen = strlen(prefixes[i]);
		if (strncmp(url, prefixes[i], plen))
			continue;
		*start = url + plen;
		n = strlen(*start);
		while (n && (*start)[n - 1] == '/')
			n--;
		if (n > 4 && !memcmp(*start + n - 4, ".git", 4))
			n -= 4;
		*len = n;
		return 1;
	}
	return 0;
}

/* A submodule's name is its url (its path when it has none). */
static int build_submodule(struct cl_buf *out, const struct cl_dep *dep)
{
	const char *gh, *slash, *base, *end;
	size_t gh_len;
	int error;

	/* Exactly owner/repo: a deeper github.com path is no repository. */
	slash = purl_github_url(&gh, &gh_len, dep->name) ? memchr(gh, '/', gh_len) : NULL;
	if (slash && !memchr(slash + 1, '/', gh_len - (size_t)(slash + 1 - gh))) {
		if ((error = cl_buf_puts(out, "github/")) < 0)
			return error;
		return purl_github(out, dep, gh, gh_len, dep->version);
	}
	end = dep->name + strlen(dep->name);
	while (end > dep->name && (end[-1] == '/' || end[-1] == ':'))
		end--;
	if (end - dep->name > 4 && !memcmp(end - 4, ".git", 4))
		end -= 4;
	for (base = end; base > dep->name && base[-1] != '/' && base[-1] != ':'; base--)
		;
	if (base == end)
		return purl_bad_name(dep, "no name in the url");
	if ((error = cl_buf_puts(out, "generic/")) < 0 ||
	    (error = purl_put_enc(out, base, (size_t)(end - base), 0)) < 0 ||
	    (error = purl_put_version(out, dep->version)) < 0)
		return error;
	return purl_put_qualifier(out, "vcs_url", dep->name, strlen(dep->name));
}

/* ---- 3. the table ------------------------------------------------------ */

static const struct {
	const char *ecosystem;
	const char *type;         /* NULL: the builder writes "TYPE/" itself */
	int (*build)(struct cl_buf *out, const struct cl_dep *dep);
} purl_types[] = {
	{ "npm", "npm", build_npm },
	{ "pypi", "pypi", build_pypi },
	{ "golang", "golang", build_golang },
	{ "cargo", "cargo", build_plain },
	{ "maven", "maven", build_maven },
	{ "gem", "gem", build_plain },
	{ "composer", "composer", build_composer },
	{ "nuget", "nuget", build_plain },
	{ "conan", "conan", build_plain },
	{ "vcpkg", "generic", build_plain },
	{ "githubactions", "github", build_actions },
	{ "docker", "docker", build_docker },
	{ "gitsubmodule", NULL, build_submodule },
};

int cl_purl_from_dep(struct cl_buf *out, const struct cl_dep *dep)
{
	size_t i;
	int error;

	if (!dep->ecosystem || !dep->name || !*dep->name)
		return cl_error_setc(CL_EINVALID, "cannot make a purl of a dependency without a name");
	for (i = 0; i < sizeof(purl_types) / sizeof(purl_types[0]); i++) {
		if (strcmp(dep->ecosystem, purl_types[i].ecosystem))
			continue;
		if ((error = cl_buf_puts(out, "pkg:")) < 0)
			return error;
		if (purl_types[i].type && (error = cl_buf_printf(out, "%s/", purl_types[i].type)) < 0)
			return error;
		return purl_types[i].build(out, dep);
	}
	return cl_error_setc(CL_EINVALID, "no purl type for ecosystem '%s'", dep->ecosystem);
}
