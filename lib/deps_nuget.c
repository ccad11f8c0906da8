/*
 * deps_nuget.c - NuGet dependencies of .NET projects.
 *
 *   .csproj, .fsproj, .vbproj, Directory.Build.props, Directory.Packages.props
 *     <PackageReference Include="X" Version="1.2.3"/>: direct, the version
 *     range as written (a bare "1.2.3" means ">= 1.2.3" to NuGet). Update=
 *     (changing an item from an imported file) counts like Include. The
 *     version may be a child element; VersionOverride (central management)
 *     wins over it. PrivateAssets="all" marks a development-only package
 *     (analyzers, build tasks) that does not flow to consumers: scope build.
 *     <PackageVersion> (central package management) pins a version and has
 *     relation unknown, as Maven's dependencyManagement does. The same
 *     reference in two conditional ItemGroups is reported once per version.
 *     $(Property) versions stay as written: MSBuild evaluation is out of
 *     scope.
 *   packages.config: every package the project restores, direct or not
 *     (the format does not say): relation unknown, exact version,
 *     developmentDependency="true" -> dev.
 *   packages.lock.json: per target framework, "Direct" / "Transitive" /
 *     "CentralTransitive" with the exact "resolved" version. "Project"
 *     entries are other projects of the same solution, not third-party
 *     code, and are skipped. One entry per name and version across target
 *     frameworks (and runtime-specific sections), direct when it is direct
 *     in any of them.
 */
#include "deps_nuget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "deps_maven.h"
#include "error.h"
#include "json_arena.h"

/* ---- MSBuild XML ---- */

static int elem_is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Attribute or child element `name`, trimmed; *out NULL when absent or empty. */
static int msb_value(char **out, const xmlNode *n, const char *name)
{
	xmlChar *raw = xmlGetProp(n, (const xmlChar *)name);
	const xmlNode *c;
	const char *s, *e;
	int error = 0;

	*out = NULL;
	for (c = n->children; !raw && c; c = c->next)
		if (elem_is(c, name))
			raw = xmlNodeGetContent(c);
	if (!raw)
		return 0;
	s = (const char *)raw;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	if (e > s && !(*out = strndup(s, (size_t)(e - s))))
		error = cl_error_set("out of memory");
	xmlFree(raw);
	return error;
}

static int same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static int msb_seen(const struct cl_dep_list *l, const struct cl_dep *d)
{
	size_t i;

	/* project files hold tens of references: a linear scan is enough */
	for (i = 0; i < l->count; i++)
		if (strcasecmp(l->items[i].name, d->name) == 0 && same(l->items[i].version, d->version) &&
		    l->items[i].scope == d->scope && l->items[i].relation == d->relation)
			return 1;
	return 0;
}

/*
 * Update= changes the items an earlier Include made (in this file or an
 * imported one): set their version; a reference to an imported item is
 * reported on its own.
 */
static int msb_update(struct cl_dep_list *l, const struct cl_dep *d)
{
	size_t i;
	int found = 0;

	for (i = 0; i < l->count; i++) {
		char *v;

		if (strcasecmp(l->items[i].name, d->name) != 0 || l->items[i].relation != d->relation)
			continue;
		v = strdup(d->version);
		if (!v)
			return cl_error_set("out of memory");
		free((char *)l->items[i].version);
		l->items[i].version = v;
		found = 1;
	}
	return found || msb_seen(l, d) ? 0 : cl_dep_list_add(l, d);
}

static int msb_walk(struct cl_dep_list *tmp, const char *path, const xmlNode *parent)
{
	const xmlNode *n;
	int error = 0;

	/* recursion is bounded by libxml2's own depth limit (256) */
	for (n = parent->children; n; n = n->next) {
		char *name = NULL, *version = NULL, *override = NULL, *private_assets = NULL;
		int is_ref, is_pin, is_update = 0;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		is_ref = elem_is(n, "PackageReference") || elem_is(n, "GlobalPackageReference");
		is_pin = elem_is(n, "PackageVersion");
		if (!is_ref && !is_pin) {
			if ((error = msb_walk(tmp, path, n)) < 0)
				return error;
			continue;
		}
		if ((error = msb_value(&name, n, "Include")) == 0 && !name) {
			error = msb_value(&name, n, "Update");
			is_update = name != NULL;
		}
		if (error == 0)
			error = msb_value(&version, n, "Version");
		if (error == 0)
			error = msb_value(&override, n, "VersionOverride");
		if (error == 0)
			error = msb_value(&private_assets, n, "PrivateAssets");
		if (error == 0 && !name)
			error = cl_error_setc(CL_EINVALID, "%s:%u: %s without Include or Update", path, cl_deps_maven__line(n),
			                      (const char *)n->name);
		if (error == 0) {
			struct cl_dep d = { "nuget", name, override ? override : version,
			                    is_pin ? CL_DEP_UNKNOWN : CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL, path,
			                    cl_deps_maven__line(n) };

			/* a global reference is an analyzer or build tool for every project */
			if ((private_assets && strcasecmp(private_assets, "all") == 0) ||
			    elem_is(n, "GlobalPackageReference"))
				d.scope = CL_DEP_BUILD;
			if (is_update && d.version)
				error = msb_update(tmp, &d);
			else if (!msb_seen(tmp, &d))
				error = cl_dep_list_add(tmp, &d);
		}
		free(name);
		free(version);
		free(override);
		free(private_assets);
		if (error < 0)
			return error;
	}
	return 0;
}

int cl_deps_nuget_parse_project(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	xmlDocPtr doc = NULL;
	const xmlNode *root;
	int error = 0;

	if ((error = cl_deps_maven__read_xml((void **)&doc, path, data, len)) < 0)
		goto done;
	root = xmlDocGetRootElement(doc);
	if (!elem_is(root, "Project")) {
		error = cl_error_setc(CL_EINVALID, "%s:%u: root element is '%s', not an MSBuild 'Project'", path,
		                      cl_deps_maven__line(root), (const char *)root->name);
		goto done;
	}
	if ((error = msb_walk(&tmp, path, root)) < 0)
		goto done;
	error = cl_deps_maven__splice(out, &tmp);
done:
	cl_dep_list_dispose(&tmp);
	xmlFreeDoc(doc);
	return error;
}

int cl_deps_nuget_parse_packages_config(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	xmlDocPtr doc = NULL;
	const xmlNode *root, *n;
	int error = 0;

	if ((error = cl_deps_maven__read_xml((void **)&doc, path, data, len)) < 0)
		goto done;
	root = xmlDocGetRootElement(doc);
	if (!elem_is(root, "packages")) {
		error = cl_error_setc(CL_EINVALID, "%s:%u: root element is '%s', not 'packages'", path,
		                      cl_deps_maven__line(root), (const char *)root->name);
		goto done;
	}
	for (n = root->children; n; n = n->next) {
		char *id = NULL, *version = NULL, *dev = NULL;

		if (!elem_is(n, "package"))
			continue;
		if ((error = msb_value(&id, n, "id")) == 0 && (error = msb_value(&version, n, "version")) == 0)
			error = msb_value(&dev, n, "developmentDependency");
		if (error == 0 && !id)
			error = cl_error_setc(CL_EINVALID, "%s:%u: package without id", path, cl_deps_maven__line(n));
		if (error == 0) {
			struct cl_dep d = { "nuget", id, version, CL_DEP_UNKNOWN,
			                    dev && strcasecmp(dev, "true") == 0 ? CL_DEP_DEV : CL_DEP_RUNTIME, NULL, path,
			                    cl_deps_maven__line(n) };

			error = cl_dep_list_add(&tmp, &d);
		}
		free(id);
		free(version);
		free(dev);
		if (error < 0)
			goto done;
	}
	error = cl_deps_maven__splice(out, &tmp);
done:
	cl_dep_list_dispose(&tmp);
	xmlFreeDoc(doc);
	return error;
}

/* ---- packages.lock.json ---- */

struct lock_entry {
	const char *name, *version;   /* point into the JSON document */
	enum cl_dep_relation relation;
	size_t order;
};

static int lock_cmp_key(const void *a, const void *b)
{
	const struct lock_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (!c)
		c = strcmp(x->version, y->version);
	if (!c)
		c = x->order < y->order ? -1 : x->order > y->order;
	return c;
}

static int lock_cmp_order(const void *a, const void *b)
{
	const struct lock_entry *x = a, *y = b;

	return x->order < y->order ? -1 : x->order > y->order;
}

static enum cl_dep_relation lock_relation(const char *type, int *skip)
{
	*skip = 0;
	if (strcmp(type, "Direct") == 0)
		return CL_DEP_DIRECT;
	if (strcmp(type, "Transitive") == 0 || strcmp(type, "CentralTransitive") == 0)
		return CL_DEP_TRANSITIVE;
	if (strcmp(type, "Project") == 0)
		*skip = 1;
	return CL_DEP_UNKNOWN;
}

int cl_deps_nuget_parse_lock(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_json_arena arena = CL_JSON_ARENA_INIT;
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	struct lock_entry *v = NULL;
	size_t nv = 0, av = 0, i, w;
	json_t *root = NULL, *deps, *fw, *pkg;
	json_error_t jerr;
	const char *fw_name, *pkg_name;
	int error = 0;

	if (len > CL_DEPS_NUGET_LOCK_MAX) {
		error = cl_error_setc(CL_ETOOBIG, "%s: file is larger than %zu bytes", path, CL_DEPS_NUGET_LOCK_MAX);
		goto done;
	}
	cl_json_arena_begin(&arena);
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		error = cl_error_setc(CL_EINVALID, "%s:%d:%d: %s", path, jerr.line > 0 ? jerr.line : 1,
		                      jerr.column > 0 ? jerr.column : 1, jerr.text);
		goto done;
	}
	if (!json_is_object(root)) {
		error = cl_error_setc(CL_EINVALID, "%s: expected a JSON object", path);
		goto done;
	}
	if (json_object_get(root, "version") && !json_is_integer(json_object_get(root, "version"))) {
		error = cl_error_setc(CL_EINVALID, "%s: 'version' is not an integer", path);
		goto done;
	}
	deps = json_object_get(root, "dependencies");
	if (!json_is_object(deps)) {
		error = cl_error_setc(CL_EINVALID, "%s: 'dependencies' is %s", path, deps ? "not an object" : "missing");
		goto done;
	}
	json_object_foreach(deps, fw_name, fw) {
		if (!json_is_object(fw)) {
			error = cl_error_setc(CL_EINVALID, "%s: dependencies.'%s' is not an object", path, fw_name);
			goto done;
		}
		json_object_foreach(fw, pkg_name, pkg) {
			json_t *type = json_object_get(pkg, "type"), *resolved = json_object_get(pkg, "resolved");
			int skip;
			enum cl_dep_relation rel;

			if (!json_is_object(pkg) || !json_is_string(type) || (resolved && !json_is_string(resolved))) {
				error = cl_error_setc(CL_EINVALID, "%s: dependencies.'%s'.'%s': expected an object with "
				                      "string 'type' and 'resolved'", path, fw_name, pkg_name);
				goto done;
			}
			rel = lock_relation(json_string_value(type), &skip);
			if (skip)
				continue;
			if (!resolved || !pkg_name[0]) {
				error = cl_error_setc(CL_EINVALID, "%s: dependencies.'%s'.'%s': no resolved version", path,
				                      fw_name, pkg_name);
				goto done;
			}
			if (nv == av) {
				size_t a = av ? av * 2 : 64;
				struct lock_entry *p = realloc(v, a * sizeof(*p));

				CL_CHECK_ALLOC(p);
				v = p;
				av = a;
			}
			v[nv].name = pkg_name;
			v[nv].version = json_string_value(resolved);
			v[nv].relation = rel;
			v[nv].order = nv;
			nv++;
		}
	}
	/* one per name@version: sort, merge (direct wins), back to file order */
	if (nv)
		qsort(v, nv, sizeof(*v), lock_cmp_key);
	for (i = 0, w = 0; i < nv; i++) {
		if (w && strcmp(v[w - 1].name, v[i].name) == 0 && strcmp(v[w - 1].version, v[i].version) == 0) {
			if (v[i].relation == CL_DEP_DIRECT || v[w - 1].relation == CL_DEP_UNKNOWN)
				v[w - 1].relation = v[i].relation;
			continue;
		}
		v[w++] = v[i];
	}
	nv = w;
	if (nv)
		qsort(v, nv, sizeof(*v), lock_cmp_order);
	for (i = 0; i < nv; i++) {
		struct cl_dep d = { "nuget", v[i].name, v[i].version, v[i].relation, CL_DEP_RUNTIME, NULL, path, 0 };

		if ((error = cl_dep_list_add(&tmp, &d)) < 0)
			goto done;
	}
	error = cl_deps_maven__splice(out, &tmp);
done:
	free(v);
	json_decref(root);
	cl_json_arena_end(&arena);
	cl_dep_list_dispose(&tmp);
	return error;
}

const struct cl_dep_format cl_deps_nuget_formats[] = {
	{ "*.csproj", "*.csproj", 0, cl_deps_nuget_parse_project },
	{ "*.fsproj", "*.fsproj", 0, cl_deps_nuget_parse_project },
	{ "*.vbproj", "*.vbproj", 0, cl_deps_nuget_parse_project },
	{ "Directory.Build.props", "Directory.Build.props", 0, cl_deps_nuget_parse_project },
	{ "Directory.Packages.props", "Directory.Packages.props", 0, cl_deps_nuget_parse_project },
	{ "packages.config", "packages.config", 0, cl_deps_nuget_parse_packages_config },
	{ "packages.lock.json", "packages.lock.json", 1, cl_deps_nuget_parse_lock },
	{ NULL, NULL, 0, NULL },
};
