/*
 * deps_options.c - the options of the dependency check: lifetime, and the
 * matchers for packages.deny, deps.known and ignore_scopes.
 *
 * Layer rule: deps.h and pattern.h only. policy.c reads the YAML.
 */
#include "deps_options.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

/* The ecosystems the parsers report (deps.h); a policy naming another is a typo. */
static const char *const known_ecosystems[] = {
	"npm", "pypi", "golang", "cargo", "maven", "gem", "composer", "nuget",
	"vcpkg", "conan", "gitsubmodule", "githubactions", "docker",
};

const char *cl_deps_action_name(enum cl_deps_action action)
{
	static const char *const names[] = { "allow", "notice", "review", "reject" };
	if ((unsigned)action >= sizeof(names) / sizeof(names[0]))
		CL_BUG("deps action out of range");
	return names[action];
}

const char *cl_deps_provider_name(enum cl_deps_provider provider)
{
	static const char *const names[] = { "depsdev", "clearlydefined" };
	if ((unsigned)provider >= sizeof(names) / sizeof(names[0]))
		CL_BUG("deps provider out of range");
	return names[provider];
}

static void strings_free(char **items, size_t count)
{
	size_t i;
	for (i = 0; i < count; i++)
		free(items[i]);
	free(items);
}

void cl_deps_options_dispose(struct cl_deps_options *opts)
{
	static const struct cl_deps_options init = CL_DEPS_OPTIONS_INIT;
	size_t i;

	if (!opts)
		return;
	cl_pattern_list_dispose(&opts->allow);
	cl_pattern_list_dispose(&opts->deny);
	strings_free(opts->deny_packages, opts->deny_package_count);
	for (i = 0; i < opts->known_count; i++) {
		free(opts->known[i].package);
		free(opts->known[i].license);
	}
	free(opts->known);
	strings_free(opts->ignore_scopes, opts->ignore_scope_count);
	free(opts->online.base_url);
	free(opts->online.cache);
	*opts = init;
}

int cl_deps_ref_parse(struct cl_deps_ref *out, const char *text)
{
	const char *colon = strchr(text, ':'), *name, *at;
	size_t i, elen;

	if (!colon || colon == text)
		return cl_error_setc(CL_EINVALID, "'%s' does not start with an ecosystem", text);
	elen = (size_t)(colon - text);
	for (i = 0; i < sizeof(known_ecosystems) / sizeof(known_ecosystems[0]); i++)
		if (strlen(known_ecosystems[i]) == elen && !memcmp(known_ecosystems[i], text, elen))
			break;
	if (i == sizeof(known_ecosystems) / sizeof(known_ecosystems[0]))
		return cl_error_setc(CL_EINVALID, "unknown ecosystem '%.*s'", (int)elen, text);
	name = colon + 1;
	/* "@scope/pkg@1.0": the version starts at the last '@' past the first character. */
	at = strrchr(name, '@');
	if (at == name)
		at = NULL;
	if (*name == '\0' || (at && at == name + 1 && *name == '@'))
		return cl_error_setc(CL_EINVALID, "no package name after '%.*s:'", (int)elen, text);
	if (at && at[1] == '\0')
		return cl_error_setc(CL_EINVALID, "empty version after '@'");
	for (i = 0; name[i]; i++)
		if ((unsigned char)name[i] <= ' ' || name[i] == 0x7f)
			return cl_error_setc(CL_EINVALID, "blank or control character in the package reference");
	out->ecosystem = text;
	out->ecosystem_len = elen;
	out->name = name;
	out->name_len = at ? (size_t)(at - name) : strlen(name);
	out->version = at ? at + 1 : NULL;
	out->version_len = at ? strlen(at + 1) : 0;
	return 0;
}

static int pep503_char(char c)
{
	if (c == '_' || c == '.')
		return '-';
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* PEP 503: lowercase, and runs of '-', '_', '.' are one '-'. */
static int pep503_equal(const char *a, size_t alen, const char *b)
{
	size_t i = 0, j = 0, blen = strlen(b);

	while (i < alen && j < blen) {
		int ca = pep503_char(a[i]), cb = pep503_char(b[j]);
		if (ca != cb)
			return 0;
		if (ca == '-') {
			while (i < alen && pep503_char(a[i]) == '-')
				i++;
			while (j < blen && pep503_char(b[j]) == '-')
				j++;
			continue;
		}
		i++;
		j++;
	}
	return i == alen && j == blen;
}

int cl_deps_ref_matches(const struct cl_deps_ref *ref, const struct cl_dep *dep)
{
	if (strlen(dep->ecosystem) != ref->ecosystem_len ||
	    memcmp(dep->ecosystem, ref->ecosystem, ref->ecosystem_len) != 0)
		return 0;
	if (!strcmp(dep->ecosystem, "pypi")) {
		if (!pep503_equal(ref->name, ref->name_len, dep->name))
			return 0;
	} else if (strlen(dep->name) != ref->name_len || memcmp(dep->name, ref->name, ref->name_len) != 0) {
		return 0;
	}
	if (!ref->version)
		return 1;
	return dep->version && strlen(dep->version) == ref->version_len &&
	       memcmp(dep->version, ref->version, ref->version_len) == 0;
}

const char *cl_deps_options_denied_package(const struct cl_deps_options *opts,
	const struct cl_dep *dep)
{
	struct cl_deps_ref ref;
	size_t i;

	for (i = 0; i < opts->deny_package_count; i++) {
		/* The loader validated every entry; one that fails now matches nothing. */
		if (cl_deps_ref_parse(&ref, opts->deny_packages[i]) < 0) {
			cl_error_clear();
			continue;
		}
		if (cl_deps_ref_matches(&ref, dep))
			return opts->deny_packages[i];
	}
	return NULL;
}

const struct cl_deps_known *cl_deps_options_known(const struct cl_deps_options *opts,
	const struct cl_dep *dep)
{
	const struct cl_deps_known *any = NULL;
	struct cl_deps_ref ref;
	size_t i;

	for (i = 0; i < opts->known_count; i++) {
		if (cl_deps_ref_parse(&ref, opts->known[i].package) < 0) {
			cl_error_clear();
			continue;
		}
		if (!cl_deps_ref_matches(&ref, dep))
			continue;
		if (ref.version)
			return &opts->known[i];
		if (!any)
			any = &opts->known[i];
	}
	return any;
}

int cl_dep_scope_parse(enum cl_dep_scope *out, const char *name)
{
	int s;

	for (s = CL_DEP_RUNTIME; s <= CL_DEP_PEER; s++)
		if (!strcmp(cl_dep_scope_name((enum cl_dep_scope)s), name)) {
			*out = (enum cl_dep_scope)s;
			return 0;
		}
	return cl_error_setc(CL_EINVALID, "unknown dependency scope '%s'", name);
}

int cl_deps_options_ignores_scope(const struct cl_deps_options *opts, enum cl_dep_scope scope)
{
	const char *name = cl_dep_scope_name(scope);
	size_t i;

	for (i = 0; i < opts->ignore_scope_count; i++)
		if (!strcmp(opts->ignore_scopes[i], name))
			return 1;
	return 0;
}
