/*
 * deps_npm.c - package.json and package-lock.json / npm-shrinkwrap.json
 * (lockfileVersion 1, 2 and 3), the npm format table, and the helpers the
 * yarn and pnpm readers share (result list with merging); their YAML
 * loading is in deps_npm_yaml.c.
 *
 * Divisions: shared helpers; package.json; package-lock; the format table.
 */
#include "deps_npm.h"
#include "deps_npm_priv.h"
#include "error.h"
#include "strmap.h"
#include "json_arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* v1 locks nest "dependencies" per level of node_modules; real trees stay far below this. */
#define NPM_LOCK_MAX_NESTING 256

/* ---- shared helpers ----------------------------------------------------- */

void cl_deps_npm__init(struct cl_npm_ctx *ctx, const char *path, int merge)
{
	struct cl_dep_list empty = CL_DEP_LIST_INIT;

	ctx->path = path;
	ctx->tmp = empty;
	ctx->slots = NULL;
	ctx->nslots = merge ? 1 : 0;   /* 1: merging wanted, table not yet allocated */
}

void cl_deps_npm__dispose(struct cl_npm_ctx *ctx)
{
	cl_dep_list_dispose(&ctx->tmp);
	free(ctx->slots);
	ctx->slots = NULL;
	ctx->nslots = 0;
}

int cl_deps_npm__check_size(const char *path, size_t len)
{
	if (len > CL_DEPS_NPM_MAX_SIZE)
		return cl_error_setc(CL_ETOOBIG, "%s: file too big (%zu bytes, limit %zu)",
				path, len, CL_DEPS_NPM_MAX_SIZE);
	return 0;
}

int cl_deps_npm__fail(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	char *p;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return cl_error_setc(CL_EINVALID, "%s", msg);
}

/* Keys are "name" and "version" hashed as one (strmap.h's hash). */
static uint64_t npm_hash(const char *name, const char *version)
{
	const char *v = version ? version : "";

	return cl_hash_bytes(cl_hash_bytes(0x9e3779b97f4a7c15ULL, name, strlen(name)), v, strlen(v));
}

static int npm_same(const struct cl_dep *d, const char *name, const char *version)
{
	const char *v = version ? version : "";
	return strcmp(d->name, name) == 0 && strcmp(d->version ? d->version : "", v) == 0;
}

/* Slots hold index + 1; 0 is empty. The table is kept at most half full. */
static int npm_rehash(struct cl_npm_ctx *ctx, size_t n)
{
	size_t *slots = calloc(n, sizeof(*slots));
	size_t i;

	if (!slots)
		return cl_error_set("out of memory");
	for (i = 0; i < ctx->tmp.count; i++) {
		const struct cl_dep *d = &ctx->tmp.items[i];
		size_t s = (size_t)npm_hash(d->name, d->version) & (n - 1);
		while (slots[s])
			s = (s + 1) & (n - 1);
		slots[s] = i + 1;
	}
	free(ctx->slots);
	ctx->slots = slots;
	ctx->nslots = n;
	return 0;
}

static int scope_rank(enum cl_dep_scope s)
{
	switch (s) {
	case CL_DEP_RUNTIME: return 0;
	case CL_DEP_BUILD: return 1;
	case CL_DEP_PEER: return 2;
	case CL_DEP_OPTIONAL: return 3;
	case CL_DEP_TEST: return 4;
	case CL_DEP_DEV: return 5;
	default: CL_BUG("dependency scope out of range");
	}
}

int cl_deps_npm__emit(struct cl_npm_ctx *ctx, const char *name, const char *version,
		enum cl_dep_relation relation, enum cl_dep_scope scope, const char *license, unsigned int line)
{
	struct cl_dep dep;
	size_t s = 0;
	int error;

	if (!name || !*name)
		return cl_deps_npm__fail("%s: dependency with an empty name", ctx->path);
	if (ctx->nslots) {
		if (ctx->slots == NULL || (ctx->tmp.count + 1) * 2 > ctx->nslots) {
			size_t n = ctx->slots ? ctx->nslots * 2 : 64;
			/*
			 * A reader that reserved the list for the packages it
			 * will emit (pnpm) gets a table that never rehashes.
			 */
			while (!ctx->slots && n / 2 < ctx->tmp.alloc)
				n *= 2;
			if ((error = npm_rehash(ctx, n)) < 0)
				return error;
		}
		s = (size_t)npm_hash(name, version) & (ctx->nslots - 1);
		while (ctx->slots[s]) {
			struct cl_dep *d = &ctx->tmp.items[ctx->slots[s] - 1];
			if (npm_same(d, name, version)) {
				if (relation == CL_DEP_DIRECT || (relation == CL_DEP_TRANSITIVE && d->relation == CL_DEP_UNKNOWN))
					d->relation = relation;
				if (scope_rank(scope) < scope_rank(d->scope))
					d->scope = scope;
				if (!d->license && license && (d->license = strdup(license)) == NULL)
					return cl_error_set("out of memory");
				return 0;
			}
			s = (s + 1) & (ctx->nslots - 1);
		}
	}
	memset(&dep, 0, sizeof(dep));
	dep.ecosystem = "npm";
	dep.name = name;
	dep.version = version;
	dep.relation = relation;
	dep.scope = scope;
	dep.license = license && *license ? license : NULL;
	dep.manifest = ctx->path;
	dep.line = line;
	if ((error = cl_dep_list_add(&ctx->tmp, &dep)) < 0)
		return error;
	if (ctx->nslots)
		ctx->slots[s] = ctx->tmp.count;
	return 0;
}

int cl_deps_npm__commit(struct cl_dep_list *out, struct cl_npm_ctx *ctx)
{
	size_t need = out->count + ctx->tmp.count;

	if (ctx->tmp.count == 0)
		return 0;
	if (need > out->alloc) {
		struct cl_dep *p = realloc(out->items, need * sizeof(*p));
		if (!p)
			return cl_error_set("out of memory");
		out->items = p;
		out->alloc = need;
	}
	/* the strings change owner: tmp forgets them without freeing */
	memcpy(out->items + out->count, ctx->tmp.items, ctx->tmp.count * sizeof(*ctx->tmp.items));
	out->count = need;
	free(ctx->tmp.items);
	ctx->tmp.items = NULL;
	ctx->tmp.count = ctx->tmp.alloc = 0;
	return 0;
}

long cl_deps_npm__split_at(const char *spec)
{
	const char *at = strchr(spec[0] == '@' ? spec + 1 : spec, '@');
	return at ? (long)(at - spec) : -1;
}

const char *cl_deps_npm__str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* ---- JSON loading --------------------------------------------------------- */

static int npm_json_load(json_t **out, const char *path, const char *data, size_t len)
{
	json_error_t err;
	json_t *root;
	int error;

	if ((error = cl_deps_npm__check_size(path, len)) < 0)
		return error;
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
	if (!root)
		return cl_deps_npm__fail("%s:%d:%d: %s", path, err.line, err.column, err.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return cl_deps_npm__fail("%s: top level is not an object", path);
	}
	*out = root;
	return 0;
}

/* The "license" of a package entry: a string, or the legacy {"type": ...} object. */
static const char *npm_license(const json_t *pkg)
{
	const json_t *l = json_object_get(pkg, "license");

	if (json_is_string(l))
		return json_string_value(l);
	if (json_is_object(l))
		return cl_deps_npm__str(l, "type");
	return NULL;
}

/* ---- package.json ------------------------------------------------------- */

static const struct {
	const char *key;
	enum cl_dep_scope scope;
} manifest_sections[] = {
	{ "dependencies", CL_DEP_RUNTIME },
	{ "devDependencies", CL_DEP_DEV },
	{ "optionalDependencies", CL_DEP_OPTIONAL },
	{ "peerDependencies", CL_DEP_PEER },
};

#define N_SECTIONS (sizeof(manifest_sections) / sizeof(manifest_sections[0]))

static int manifest_section(const json_t **out, const json_t *root, const char *path, const char *key)
{
	const json_t *sec = json_object_get(root, key);

	*out = NULL;
	if (!sec || json_is_null(sec))
		return 0;
	if (!json_is_object(sec))
		return cl_deps_npm__fail("%s: '%s' is not an object", path, key);
	*out = sec;
	return 0;
}

int cl_deps_npm_parse_manifest(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_npm_ctx ctx;
	json_t *root = NULL;
	const json_t *optional = NULL;
	size_t i;
	int error;

	cl_deps_npm__init(&ctx, path, 0);
	if ((error = npm_json_load(&root, path, data, len)) < 0)
		goto done;
	if ((error = manifest_section(&optional, root, path, "optionalDependencies")) < 0)
		goto done;
	/*
	 * The package's own "license" is not a dependency's: it is not
	 * reported here (vendored node_modules/x/package.json files are read
	 * for it by the license resolver, not by this parser).
	 */
	for (i = 0; i < N_SECTIONS; i++) {
		const json_t *sec, *v;
		const char *name;

		if ((error = manifest_section(&sec, root, path, manifest_sections[i].key)) < 0)
			goto done;
		if (!sec)
			continue;
		json_object_foreach((json_t *)sec, name, v) {
			if (!json_is_string(v)) {
				error = cl_deps_npm__fail("%s: '%s' entry '%s' is not a string",
						path, manifest_sections[i].key, name);
				goto done;
			}
			/* npm lets optionalDependencies override the same name in dependencies */
			if (manifest_sections[i].scope == CL_DEP_RUNTIME && optional && json_object_get(optional, name))
				continue;
			if ((error = cl_deps_npm__emit(&ctx, name, json_string_value(v), CL_DEP_DIRECT,
					manifest_sections[i].scope, NULL, 0)) < 0)
				goto done;
		}
	}
	error = cl_deps_npm__commit(out, &ctx);
done:
	json_decref(root);
	cl_deps_npm__dispose(&ctx);
	return error;
}

/* ---- package-lock.json -------------------------------------------------- */

static int lock_flag(int *out, const json_t *pkg, const char *key, const char *path, const char *where)
{
	const json_t *v = json_object_get(pkg, key);

	*out = 0;
	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return cl_deps_npm__fail("%s: '%s' of '%s' is not a boolean", path, key, where);
	*out = json_is_true(v);
	return 0;
}

static int lock_scope(enum cl_dep_scope *out, const json_t *pkg, const char *path, const char *where)
{
	int dev, devopt, opt, peer, error;

	if ((error = lock_flag(&dev, pkg, "dev", path, where)) < 0 ||
	    (error = lock_flag(&devopt, pkg, "devOptional", path, where)) < 0 ||
	    (error = lock_flag(&opt, pkg, "optional", path, where)) < 0 ||
	    (error = lock_flag(&peer, pkg, "peer", path, where)) < 0)
		return error;
	/*
	 * devOptional: a dev dependency and also an optional one of the
	 * production tree, so a production install with optional packages
	 * has it: optional, not dev.
	 */
	if (dev)
		*out = CL_DEP_DEV;
	else if (opt || devopt)
		*out = CL_DEP_OPTIONAL;
	else if (peer)
		*out = CL_DEP_PEER;
	else
		*out = CL_DEP_RUNTIME;
	return 0;
}

/* Names listed by a project entry (the root, or a workspace) of "packages". */
static int lock_add_direct(json_t *direct, const json_t *entry, const char *path, const char *where)
{
	size_t i;

	for (i = 0; i < N_SECTIONS; i++) {
		const json_t *sec = json_object_get(entry, manifest_sections[i].key), *v;
		const char *name;

		if (!sec)
			continue;
		if (!json_is_object(sec))
			return cl_deps_npm__fail("%s: '%s' of '%s' is not an object",
					path, manifest_sections[i].key, where);
		json_object_foreach((json_t *)sec, name, v) {
			if (json_object_set(direct, name, json_true()) < 0)
				return cl_error_set("out of memory");
		}
	}
	return 0;
}

/* v2/v3: "packages" keyed by install path; "" is the root project. */
static int lock_packages(struct cl_npm_ctx *ctx, const json_t *packages)
{
	const char *path = ctx->path, *key;
	json_t *direct = json_object(), *pkg;
	int error = 0;

	if (!direct)
		return cl_error_set("out of memory");
	/* pass 1: the projects (root and workspaces) say which names are direct */
	json_object_foreach((json_t *)packages, key, pkg) {
		if (!json_is_object(pkg)) {
			error = cl_deps_npm__fail("%s: package '%s' is not an object", path, key);
			goto done;
		}
		if (strstr(key, "node_modules/") == NULL &&
		    (error = lock_add_direct(direct, pkg, path, key)) < 0)
			goto done;
	}
	json_object_foreach((json_t *)packages, key, pkg) {
		const char *nm = NULL, *p, *name, *version;
		enum cl_dep_scope scope;
		enum cl_dep_relation relation;
		const json_t *link = json_object_get(pkg, "link");

		for (p = key; (p = strstr(p, "node_modules/")) != NULL; p += strlen("node_modules/"))
			nm = p;
		/* projects themselves, and links to them, are not third-party packages */
		if (!nm || json_is_true(link))
			continue;
		name = cl_deps_npm__str(pkg, "name");   /* set for aliases ("node_modules/a" installing "b") */
		if (!name)
			name = nm + strlen("node_modules/");
		version = cl_deps_npm__str(pkg, "version");
		if (json_object_get(pkg, "version") && !version) {
			error = cl_deps_npm__fail("%s: 'version' of '%s' is not a string", path, key);
			goto done;
		}
		if ((error = lock_scope(&scope, pkg, path, key)) < 0)
			goto done;
		/* a project's own node_modules (not a package's) holds its direct dependencies, when hoisted */
		relation = CL_DEP_TRANSITIVE;
		if (strstr(key, "node_modules/") == nm &&
		    json_object_get(direct, nm + strlen("node_modules/")))
			relation = CL_DEP_DIRECT;
		if ((error = cl_deps_npm__emit(ctx, name, version, relation, scope, npm_license(pkg), 0)) < 0)
			goto done;
	}
done:
	json_decref(direct);
	return error;
}

/*
 * v1: nested "dependencies" objects mirror node_modules. The lock has no
 * root entry, so top-level packages are of unknown relation (the manifest
 * decides); anything nested below another package is transitive.
 */
static int lock_v1_deps(struct cl_npm_ctx *ctx, const json_t *deps, unsigned int level)
{
	const char *name;
	json_t *pkg;
	int error;

	if (level > NPM_LOCK_MAX_NESTING)
		return cl_deps_npm__fail("%s: dependencies nested too deep", ctx->path);
	json_object_foreach((json_t *)deps, name, pkg) {
		const json_t *sub;
		const char *version;
		enum cl_dep_scope scope;

		if (!json_is_object(pkg))
			return cl_deps_npm__fail("%s: dependency '%s' is not an object", ctx->path, name);
		version = cl_deps_npm__str(pkg, "version");
		if (json_object_get(pkg, "version") && !version)
			return cl_deps_npm__fail("%s: 'version' of '%s' is not a string", ctx->path, name);
		if ((error = lock_scope(&scope, pkg, ctx->path, name)) < 0)
			return error;
		if ((error = cl_deps_npm__emit(ctx, name, version, level ? CL_DEP_TRANSITIVE : CL_DEP_UNKNOWN,
				scope, npm_license(pkg), 0)) < 0)
			return error;
		sub = json_object_get(pkg, "dependencies");
		if (!sub)
			continue;
		if (!json_is_object(sub))
			return cl_deps_npm__fail("%s: 'dependencies' of '%s' is not an object", ctx->path, name);
		if ((error = lock_v1_deps(ctx, sub, level + 1)) < 0)
			return error;
	}
	return 0;
}

int cl_deps_npm_parse_lock(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_json_arena arena = CL_JSON_ARENA_INIT;
	struct cl_npm_ctx ctx;
	json_t *root = NULL;
	const json_t *packages, *deps, *ver;
	int error;

	cl_deps_npm__init(&ctx, path, 0);
	cl_json_arena_begin(&arena);
	if ((error = npm_json_load(&root, path, data, len)) < 0)
		goto done;
	ver = json_object_get(root, "lockfileVersion");
	if (ver && (!json_is_integer(ver) || json_integer_value(ver) < 1 || json_integer_value(ver) > 3)) {
		error = cl_deps_npm__fail("%s: unsupported lockfileVersion", path);
		goto done;
	}
	packages = json_object_get(root, "packages");
	deps = json_object_get(root, "dependencies");
	/* v2 carries both: "packages" is the complete one */
	if (packages) {
		if (!json_is_object(packages)) {
			error = cl_deps_npm__fail("%s: 'packages' is not an object", path);
			goto done;
		}
		error = lock_packages(&ctx, packages);
	} else if (deps) {
		if (!json_is_object(deps)) {
			error = cl_deps_npm__fail("%s: 'dependencies' is not an object", path);
			goto done;
		}
		error = lock_v1_deps(&ctx, deps, 0);
	} else if (!ver) {
		error = cl_deps_npm__fail("%s: not a package lock (no lockfileVersion)", path);
	}
	if (error < 0)
		goto done;
	error = cl_deps_npm__commit(out, &ctx);
done:
	json_decref(root);
	cl_json_arena_end(&arena);
	cl_deps_npm__dispose(&ctx);
	return error;
}

/* ---- the format table --------------------------------------------------- */

const struct cl_dep_format cl_deps_npm_formats[] = {
	{ "package.json", "package.json", 0, cl_deps_npm_parse_manifest },
	{ "package-lock.json", "package-lock.json", 1, cl_deps_npm_parse_lock },
	{ "npm-shrinkwrap.json", "npm-shrinkwrap.json", 1, cl_deps_npm_parse_lock },
	{ "yarn.lock", "yarn.lock", 1, cl_deps_yarn_parse },
	{ "pnpm-lock.yaml", "pnpm-lock.yaml", 1, cl_deps_pnpm_parse },
	{ NULL, NULL, 0, NULL }
};
