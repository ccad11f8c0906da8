/*
 * deps_cargo.c - Cargo.toml and Cargo.lock, read through lib/toml.h.
 *
 * Divisions: 1. shared helpers  2. Cargo.toml  3. Cargo.lock
 */
#include "deps_cargo.h"

#include "error.h"
#include "toml.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CARGO_MAX_SIZE ((size_t)64 * 1024 * 1024)

/* ---- 1. shared helpers ------------------------------------------------ */

static int cargo_load(json_t **out, const char *path, const char *data, size_t len)
{
	struct cl_toml_options opts = CL_TOML_OPTIONS_INIT;

	if (len > CARGO_MAX_SIZE)
		return cl_error_setc(CL_ETOOBIG, "%s: file of %zu bytes is over the limit of %zu",
				     path, len, CARGO_MAX_SIZE);
	opts.max_size = CARGO_MAX_SIZE;
	return cl_toml_parse_ext(out, &opts, data, len, path);
}

/* Move every item of `tmp` onto `out`, all or nothing. */
static int cargo_splice(struct cl_dep_list *out, struct cl_dep_list *tmp)
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

/* ---- 2. Cargo.toml ---------------------------------------------------- */

struct cargo_table_kind {
	const char *key;
	enum cl_dep_scope scope;
};

static const struct cargo_table_kind cargo_tables[] = {
	{ "dependencies", CL_DEP_RUNTIME },
	{ "dev-dependencies", CL_DEP_DEV },
	{ "dev_dependencies", CL_DEP_DEV },
	{ "build-dependencies", CL_DEP_BUILD },
	{ "build_dependencies", CL_DEP_BUILD },
};

/* The requirement string of a workspace.dependencies entry, or NULL. */
static const char *cargo_ws_version(json_t *ws, const char *name)
{
	json_t *v = json_object_get(ws, name);
	if (json_is_string(v))
		return json_string_value(v);
	return json_string_value(json_object_get(v, "version"));
}

static int cargo_table(struct cl_dep_list *tmp, json_t *used, const char *path, const char *where,
		       json_t *deps, enum cl_dep_scope scope, json_t *ws)
{
	const char *key;
	json_t *val;

	if (!json_is_object(deps))
		return cl_error_setc(CL_EINVALID, "%s: [%s] must be a table", path, where);
	json_object_foreach(deps, key, val) {
		struct cl_dep d;
		json_t *pkg, *ver, *wsflag, *opt;

		memset(&d, 0, sizeof(d));
		d.ecosystem = "cargo";
		d.name = key;
		d.relation = CL_DEP_DIRECT;
		d.scope = scope;
		d.manifest = path;
		if (json_is_string(val)) {
			d.version = json_string_value(val);
		} else if (json_is_object(val)) {
			pkg = json_object_get(val, "package");
			ver = json_object_get(val, "version");
			wsflag = json_object_get(val, "workspace");
			opt = json_object_get(val, "optional");
			if ((pkg && !json_is_string(pkg)) || (ver && !json_is_string(ver)) ||
			    (wsflag && !json_is_boolean(wsflag)) || (opt && !json_is_boolean(opt)))
				return cl_error_setc(CL_EINVALID, "%s: dependency '%s' in [%s] has a key of the wrong type",
						     path, key, where);
			if (pkg)
				d.name = json_string_value(pkg);
			d.version = json_string_value(ver);
			if (json_is_true(wsflag)) {
				/* The workspace entry may itself rename the crate. */
				json_t *w = json_object_get(ws, key);
				const char *real = json_string_value(json_object_get(w, "package"));
				if (real && !pkg)
					d.name = real;
				d.version = cargo_ws_version(ws, key);
				if (json_object_set_new(used, key, json_true()) < 0)
					return cl_error_set("out of memory");
			}
			if (json_is_true(opt) && scope == CL_DEP_RUNTIME)
				d.scope = CL_DEP_OPTIONAL;
		} else {
			return cl_error_setc(CL_EINVALID, "%s: dependency '%s' in [%s] must be a string or a table",
					     path, key, where);
		}
		if (d.name[0] == '\0')
			return cl_error_setc(CL_EINVALID, "%s: empty dependency name in [%s]", path, where);
		if (cl_dep_list_add(tmp, &d) < 0)
			return CL_ERROR;
	}
	return 0;
}

/* The dependency tables of `t` (the document root or one target table). */
static int cargo_tables_of(struct cl_dep_list *tmp, json_t *used, const char *path, json_t *t,
			   const char *prefix, json_t *ws)
{
	char where[512];
	size_t i;
	int error;

	for (i = 0; i < sizeof(cargo_tables) / sizeof(cargo_tables[0]); i++) {
		json_t *deps = json_object_get(t, cargo_tables[i].key);
		if (!deps)
			continue;
		snprintf(where, sizeof(where), "%s%s", prefix, cargo_tables[i].key);
		if ((error = cargo_table(tmp, used, path, where, deps, cargo_tables[i].scope, ws)) < 0)
			return error;
	}
	return 0;
}

int cl_deps_cargo_toml_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	json_t *root = NULL, *used = NULL, *target, *ws, *val;
	const char *key;
	int error;

	if ((error = cargo_load(&root, path, data, len)) < 0)
		goto done;
	used = json_object();
	CL_CHECK_ALLOC(used);
	ws = json_object_get(json_object_get(root, "workspace"), "dependencies");
	if (ws && !json_is_object(ws)) {
		error = cl_error_setc(CL_EINVALID, "%s: [workspace.dependencies] must be a table", path);
		goto done;
	}
	if ((error = cargo_tables_of(&tmp, used, path, root, "", ws)) < 0)
		goto done;
	target = json_object_get(root, "target");
	if (target && !json_is_object(target)) {
		error = cl_error_setc(CL_EINVALID, "%s: [target] must be a table", path);
		goto done;
	}
	json_object_foreach(target, key, val) {
		char prefix[512];
		if (!json_is_object(val)) {
			error = cl_error_setc(CL_EINVALID, "%s: [target.'%s'] must be a table", path, key);
			goto done;
		}
		snprintf(prefix, sizeof(prefix), "target.'%s'.", key);
		if ((error = cargo_tables_of(&tmp, used, path, val, prefix, ws)) < 0)
			goto done;
	}
	if (ws) {
		/* Only the entries the file does not already use by `workspace = true`. */
		json_t *rest = json_object(), *none = json_object();
		if (!rest || !none) {
			json_decref(rest);
			json_decref(none);
			error = cl_error_set("out of memory");
			goto done;
		}
		json_object_foreach(ws, key, val) {
			if (!json_object_get(used, key) && json_object_set(rest, key, val) < 0) {
				error = cl_error_set("out of memory");
				break;
			}
		}
		if (error == 0)
			error = cargo_table(&tmp, none, path, "workspace.dependencies", rest, CL_DEP_RUNTIME, NULL);
		json_decref(rest);
		json_decref(none);
		if (error < 0)
			goto done;
	}
	error = cargo_splice(out, &tmp);
done:
	json_decref(used);
	json_decref(root);
	cl_dep_list_dispose(&tmp);
	return error;
}

/* ---- 3. Cargo.lock ---------------------------------------------------- */

/*
 * Record the crate a root's dependency string names. Forms: "name" (v2+,
 * unambiguous), "name version" (v2+ when several versions are locked),
 * "name version (source)" (v1). The set keys are "name" and
 * "name version", so a lookup by either finds it.
 */
static int cargo_lock_mark(json_t *direct, const char *path, const char *ref)
{
	const char *sp = strchr(ref, ' ');
	char key[1024];
	size_t n;

	if (ref[0] == '\0' || ref[0] == ' ')
		return cl_error_setc(CL_EINVALID, "%s: malformed dependency reference '%s'", path, ref);
	if (!sp)
		return json_object_set_new(direct, ref, json_true()) < 0 ? cl_error_set("out of memory") : 0;
	n = strcspn(sp + 1, " ");
	if (n == 0 || (sp[1 + n] != '\0' && sp[1 + n + 1] != '('))
		return cl_error_setc(CL_EINVALID, "%s: malformed dependency reference '%s'", path, ref);
	if ((size_t)(sp - ref) + 1 + n >= sizeof(key))
		return cl_error_setc(CL_EINVALID, "%s: dependency reference too long", path);
	memcpy(key, ref, (size_t)(sp - ref) + 1 + n);
	key[(sp - ref) + 1 + n] = '\0';
	return json_object_set_new(direct, key, json_true()) < 0 ? cl_error_set("out of memory") : 0;
}

static int cargo_lock_roots(json_t *direct, const char *path, json_t *pkg)
{
	json_t *deps = json_object_get(pkg, "dependencies"), *d;
	size_t i;
	int error;

	if (deps && !json_is_array(deps))
		return cl_error_setc(CL_EINVALID, "%s: package dependencies must be an array", path);
	json_array_foreach(deps, i, d) {
		if (!json_is_string(d))
			return cl_error_setc(CL_EINVALID, "%s: package dependencies must be strings", path);
		if ((error = cargo_lock_mark(direct, path, json_string_value(d))) < 0)
			return error;
	}
	return 0;
}

int cl_deps_cargo_lock_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	json_t *root = NULL, *direct = NULL, *pkgs, *pkg;
	size_t i;
	int error, have_root = 0;

	if ((error = cargo_load(&root, path, data, len)) < 0)
		goto done;
	direct = json_object();
	CL_CHECK_ALLOC(direct);
	pkgs = json_object_get(root, "package");
	if (pkgs && !json_is_array(pkgs)) {
		error = cl_error_setc(CL_EINVALID, "%s: 'package' must be an array of tables", path);
		goto done;
	}
	if (json_object_get(root, "root")) {
		if (!json_is_object(json_object_get(root, "root"))) {
			error = cl_error_setc(CL_EINVALID, "%s: [root] must be a table", path);
			goto done;
		}
		have_root = 1;
		if ((error = cargo_lock_roots(direct, path, json_object_get(root, "root"))) < 0)
			goto done;
	}
	json_array_foreach(pkgs, i, pkg) {
		if (!json_is_object(pkg) || !json_is_string(json_object_get(pkg, "name")) ||
		    !json_is_string(json_object_get(pkg, "version"))) {
			error = cl_error_setc(CL_EINVALID, "%s: [[package]] number %zu needs a string name and version",
					      path, i + 1);
			goto done;
		}
		if (json_object_get(pkg, "source") && !json_is_string(json_object_get(pkg, "source"))) {
			error = cl_error_setc(CL_EINVALID, "%s: [[package]] number %zu: source must be a string",
					      path, i + 1);
			goto done;
		}
		if (!json_object_get(pkg, "source")) {
			have_root = 1;
			if ((error = cargo_lock_roots(direct, path, pkg)) < 0)
				goto done;
		}
	}
	json_array_foreach(pkgs, i, pkg) {
		struct cl_dep d;
		const char *name = json_string_value(json_object_get(pkg, "name"));
		const char *ver = json_string_value(json_object_get(pkg, "version"));
		char key[1024];

		if (!json_object_get(pkg, "source"))
			continue;
		memset(&d, 0, sizeof(d));
		d.ecosystem = "cargo";
		d.name = name;
		d.version = ver;
		d.scope = CL_DEP_RUNTIME;
		d.manifest = path;
		if (!have_root) {
			d.relation = CL_DEP_UNKNOWN;
		} else {
			snprintf(key, sizeof(key), "%s %s", name, ver);
			d.relation = json_object_get(direct, name) || json_object_get(direct, key)
				? CL_DEP_DIRECT : CL_DEP_TRANSITIVE;
		}
		if (name[0] == '\0') {
			error = cl_error_setc(CL_EINVALID, "%s: [[package]] number %zu has an empty name", path, i + 1);
			goto done;
		}
		if ((error = cl_dep_list_add(&tmp, &d)) < 0)
			goto done;
	}
	error = cargo_splice(out, &tmp);
done:
	json_decref(direct);
	json_decref(root);
	cl_dep_list_dispose(&tmp);
	return error;
}

const struct cl_dep_format cl_deps_cargo_formats[] = {
	{ "Cargo.toml", "Cargo.toml", 0, cl_deps_cargo_toml_parse },
	{ "Cargo.lock", "Cargo.lock", 1, cl_deps_cargo_lock_parse },
	{ NULL, NULL, 0, NULL }
};
