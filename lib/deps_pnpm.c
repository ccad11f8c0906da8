/*
 * deps_pnpm.c - pnpm-lock.yaml, lockfileVersion 5.x, 6.x and 9.0.
 *
 * The shapes differ by version:
 *   5.x  packages "/name/1.0.0" or "/@s/n/1.0.0_peer@2"; importer (or
 *        top-level) dependencies map name -> "1.0.0_peer@2"
 *   6.x  packages "/name@1.0.0(peer@2)"; dependencies map name ->
 *        {specifier, version: "1.0.0(peer@2)"}
 *   9.0  packages "name@1.0.0" (no dev flags), snapshots "name@1.0.0(peer)"
 *        with the dependency graph; importers as in 6.x
 * Direct dependencies are what an importer lists; the rest is transitive.
 * 5.x/6.x say dev/optional per package; 9.0 does not, so there the scope of
 * a transitive package comes from walking the snapshot graph from the
 * importers' production and dev roots.
 */
#include "deps_npm.h"
#include "deps_npm_priv.h"
#include "error.h"
#include "json_arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PNPM_MAX_DEPTH 64

/* package fields that say nothing about identity, scope or the graph */
static const char *const pnpm_skip[] = {
	"resolution", "engines", "cpu", "os", "libc", "bin", "hasBin", "peerDependencies", "peerDependenciesMeta",
	"transitivePeerDependencies", "requiresBuild", "deprecated", "funding", NULL
};

struct pnpm {
	struct cl_npm_ctx *ctx;
	long major;
	json_t *direct;     /* "name@version" -> scope (integer) of the importers' entries */
	json_t *reach;      /* 9.0: "name@version" -> 1 runtime, 2 dev-only reach */
	json_t *seen;       /* 9.0: snapshot keys visited in the current pass of the walk */
	json_t *lines;      /* "packages" key -> line */
};

/*
 * Whether an importer or snapshot version names another package ("b@1.0.0",
 * an npm: alias) rather than a version of this one: an '@' before any peer
 * suffix "(p@1)". URLs and local paths are versions.
 */
static int pnpm_is_alias(const char *v)
{
	long at = cl_deps_npm__split_at(v);
	const char *paren = strchr(v, '(');

	if (at <= 0 || (paren && paren < v + at))
		return 0;
	return strncmp(v, "file:", 5) != 0 && strncmp(v, "link:", 5) != 0 && strstr(v, "://") == NULL;
}

/* Cut a version at its peer suffix: "1.0.0(a@1)" or (5.x) "1.0.0_a@1". */
static void pnpm_cut_peers(char *v, long major)
{
	char *p = strchr(v, '(');
	if (p)
		*p = '\0';
	if (major < 6 && (p = strchr(v, '_')) != NULL)
		*p = '\0';
}

/*
 * "name@version", malloc'd; NULL when out of memory. Not snprintf: a
 * 5,000-package lock builds some 30,000 of these, and formatting them was a
 * tenth of the parse.
 */
static char *pnpm_at(const char *name, const char *version)
{
	size_t nl = strlen(name), vl = strlen(version);
	char *s = malloc(nl + vl + 2);

	if (!s)
		return NULL;
	memcpy(s, name, nl);
	s[nl] = '@';
	memcpy(s + nl + 1, version, vl + 1);
	return s;
}

/*
 * A "packages"/"snapshots" key to "name" and "version": "/a/1.0.0" (5.x),
 * "/a@1.0.0(p@1)" (6.x), "a@1.0.0" (9.0). Both allocated in one block: *name
 * must be freed, *version points into it. -1 when the key has another shape
 * (tarball and git keys like "github.com/u/r/sha" in 5.x/6.x).
 */
static int pnpm_split_key(char **name, char **version, const char *key, long major)
{
	char *s, *sep;

	s = strdup(key[0] == '/' ? key + 1 : key);
	if (!s)
		return cl_error_set("out of memory");
	if (major < 6) {
		char *slash = strchr(s[0] == '@' ? (strchr(s, '/') ? strchr(s, '/') + 1 : s + strlen(s)) : s, '/');
		sep = slash;
	} else {
		long at = cl_deps_npm__split_at(s);
		/* a 9.0 key may carry a URL version ("a@https://..."); keep it whole */
		sep = at > 0 ? s + at : NULL;
	}
	if (!sep || sep == s || sep[1] == '\0') {
		free(s);
		return 1;
	}
	*sep = '\0';
	pnpm_cut_peers(sep + 1, major);
	*name = s;
	*version = sep + 1;
	return 0;
}

/*
 * What an importer's entry resolves to: a version (cut at peers), or an
 * alias "/b/1.0.0" (5.x) / "b@1.0.0" (6+) naming another package. Returns 1
 * for local "link:"/"file:" entries to skip.
 */
static int pnpm_resolve(char **out, const char *name, const char *version, long major)
{
	char *s;

	if (strncmp(version, "link:", 5) == 0)
		return 1;
	if (version[0] == '/' || (major >= 6 && pnpm_is_alias(version))) {
		char *an, *av;
		int rc = pnpm_split_key(&an, &av, version, major);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			s = pnpm_at(an, av);
			free(an);
			goto have;
		}
	}
	s = pnpm_at(name, version);
	if (s)
		pnpm_cut_peers(s + strlen(name) + 1, major);
have:
	if (!s)
		return cl_error_set("out of memory");
	*out = s;
	return 0;
}

static const struct {
	const char *key;
	enum cl_dep_scope scope;
} pnpm_sections[] = {
	{ "dependencies", CL_DEP_RUNTIME },
	{ "devDependencies", CL_DEP_DEV },
	{ "optionalDependencies", CL_DEP_OPTIONAL },
};

/* One importer (or the 5.x/6.x top level for a single project). */
static int pnpm_importer(struct pnpm *st, const json_t *imp, const char *where)
{
	const char *path = st->ctx->path;
	size_t i;
	int error;

	for (i = 0; i < sizeof(pnpm_sections) / sizeof(pnpm_sections[0]); i++) {
		const json_t *sec = json_object_get(imp, pnpm_sections[i].key), *v;
		const char *name;

		if (!sec)
			continue;
		if (!json_is_object(sec))
			return cl_deps_npm__fail("%s: '%s' of importer '%s' is not a mapping",
					path, pnpm_sections[i].key, where);
		json_object_foreach((json_t *)sec, name, v) {
			const char *version = json_is_object(v) ? cl_deps_npm__str(v, "version") : json_string_value(v);
			char *key = NULL;
			json_t *old;
			int rc;

			if (!version)
				return cl_deps_npm__fail("%s: dependency '%s' of importer '%s' has no version",
						path, name, where);
			if ((rc = pnpm_resolve(&key, name, version, st->major)) < 0)
				return rc;
			if (rc > 0)
				continue;
			old = json_object_get(st->direct, key);
			if (!old || json_integer_value(old) > (json_int_t)pnpm_sections[i].scope) {
				/* RUNTIME (0) < DEV (1) < OPTIONAL (4): lower wins, as production installs it */
				error = json_object_set_new(st->direct, key, json_integer(pnpm_sections[i].scope));
				if (error < 0) {
					free(key);
					return cl_error_set("out of memory");
				}
			}
			free(key);
		}
	}
	return 0;
}

/* 9.0: mark everything reachable from `key` in the snapshot graph with `mark` (1 runtime, 2 dev). */
static int pnpm_walk(struct pnpm *st, const json_t *snapshots, const char *root, int mark)
{
	json_t *queue = json_array(), *seen = st->seen;
	size_t head = 0;
	int error = 0;

	/* `seen` is shared by all roots of a pass, so the walk is linear in the graph */
	if (!queue || json_array_append_new(queue, json_string(root)) < 0) {
		error = cl_error_set("out of memory");
		goto done;
	}
	/* iterative, so a long chain in a hostile file cannot exhaust the stack */
	while (head < json_array_size(queue)) {
		const char *skey = json_string_value(json_array_get(queue, head++)), *dname;
		const json_t *snap, *deps, *v;
		char *name, *version, *pkey;
		size_t i;
		int rc;

		if (!skey || json_object_get(seen, skey))
			continue;
		if (json_object_set(seen, skey, json_true()) < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
		if ((rc = pnpm_split_key(&name, &version, skey, st->major)) < 0) {
			error = rc;
			goto done;
		}
		if (rc > 0)
			continue;
		pkey = pnpm_at(name, version);
		free(name);
		if (!pkey) {
			error = cl_error_set("out of memory");
			goto done;
		}
		if (mark == 2 && json_integer_value(json_object_get(st->reach, pkey)) == 1) {
			/* production already needs it, and so everything below it */
			free(pkey);
			continue;
		}
		rc = json_object_set_new(st->reach, pkey, json_integer(mark));
		free(pkey);
		if (rc < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
		snap = json_object_get(snapshots, skey);
		for (i = 0; i < 2 && json_is_object(snap); i++) {
			deps = json_object_get(snap, i ? "optionalDependencies" : "dependencies");
			if (!json_is_object(deps))
				continue;
			json_object_foreach((json_t *)deps, dname, v) {
				const char *ver = json_string_value(v);
				char *child;
				if (!ver)
					continue;
				if (pnpm_is_alias(ver)) {
					child = strdup(ver);   /* an alias: "b@1.0.0" */
				} else {
					child = pnpm_at(dname, ver);
				}
				if (!child || json_array_append_new(queue, json_string(child)) < 0) {
					free(child);
					error = cl_error_set("out of memory");
					goto done;
				}
				free(child);
			}
		}
	}
done:
	json_decref(queue);
	return error;
}

static int pnpm_reach(struct pnpm *st, const json_t *importers, const json_t *snapshots)
{
	const char *ik, *name;
	const json_t *imp, *v;
	size_t i;
	int pass, error;

	/* runtime roots first so that the dev pass only marks what production does not need */
	for (pass = 1; pass <= 2; pass++) {
		json_object_clear(st->seen);
		json_object_foreach((json_t *)importers, ik, imp) {
			for (i = 0; i < sizeof(pnpm_sections) / sizeof(pnpm_sections[0]); i++) {
				const json_t *sec = json_object_get(imp, pnpm_sections[i].key);
				if ((pnpm_sections[i].scope == CL_DEP_DEV) != (pass == 2) || !json_is_object(sec))
					continue;
				json_object_foreach((json_t *)sec, name, v) {
					const char *ver = json_is_object(v) ? cl_deps_npm__str(v, "version") : NULL;
					char *root;
					if (!ver || strncmp(ver, "link:", 5) == 0)
						continue;
					if (pnpm_is_alias(ver)) {
						root = strdup(ver);
					} else {
						root = pnpm_at(name, ver);
					}
					if (!root)
						return cl_error_set("out of memory");
					error = pnpm_walk(st, snapshots, root, pass);
					free(root);
					if (error < 0)
						return error;
				}
			}
		}
	}
	return 0;
}

static int pnpm_flag(const json_t *pkg, const char *key)
{
	const json_t *v = json_object_get(pkg, key);
	return json_is_string(v) && strcmp(json_string_value(v), "true") == 0;
}

static int pnpm_packages(struct pnpm *st, const json_t *packages)
{
	const char *path = st->ctx->path, *key;
	json_t *pkg;
	int error;

	json_object_foreach((json_t *)packages, key, pkg) {
		char *name = NULL, *version = NULL, *full;
		const char *fname, *fversion;
		const json_t *d;
		enum cl_dep_scope scope = CL_DEP_RUNTIME;
		enum cl_dep_relation relation = CL_DEP_TRANSITIVE;
		int rc;

		if (!json_is_object(pkg)) {
			if (json_is_string(pkg) && json_string_length(pkg) == 0)
				pkg = NULL;   /* "key:" with no fields */
			else
				return cl_deps_npm__fail("%s: package '%s' is not a mapping", path, key);
		}
		if ((rc = pnpm_split_key(&name, &version, key, st->major)) < 0)
			return rc;
		/* git and tarball entries say who they are in fields */
		fname = cl_deps_npm__str(pkg, "name");
		fversion = cl_deps_npm__str(pkg, "version");
		if (rc > 0 && !fname) {
			return cl_deps_npm__fail("%s: package key '%s' names no package", path, key);
		}
		if (fname && (rc > 0 || strcmp(fname, name) != 0)) {
			free(name);
			name = strdup(fname);
			version = NULL;
			if (!name)
				return cl_error_set("out of memory");
		}
		if (fversion)
			version = (char *)fversion;
		if (!version) {
			free(name);
			return cl_deps_npm__fail("%s: package '%s' has no version", path, key);
		}
		full = pnpm_at(name, version);
		if (!full) {
			free(name);
			return cl_error_set("out of memory");
		}
		if ((d = json_object_get(st->direct, full)) != NULL) {
			relation = CL_DEP_DIRECT;
			scope = (enum cl_dep_scope)json_integer_value(d);
		} else if (st->major >= 9) {
			d = json_object_get(st->reach, full);
			scope = json_integer_value(d) == 2 ? CL_DEP_DEV : CL_DEP_RUNTIME;
		}
		if (st->major < 9 && pkg) {
			if (pnpm_flag(pkg, "dev"))
				scope = CL_DEP_DEV;
			else if (pnpm_flag(pkg, "optional"))
				scope = CL_DEP_OPTIONAL;
			else if (relation == CL_DEP_TRANSITIVE || scope == CL_DEP_DEV)
				scope = CL_DEP_RUNTIME;
		}
		free(full);
		error = cl_deps_npm__emit(st->ctx, name, version, relation, scope, NULL,
				cl_deps_npm__line(st->lines, key));
		free(name);
		if (error < 0)
			return error;
	}
	return 0;
}

int cl_deps_pnpm_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_npm_ctx ctx;
	struct pnpm st;
	struct cl_npm_yaml_opts yopts = { PNPM_MAX_DEPTH, pnpm_skip, 3, NULL, 2 };
	struct cl_json_arena arena = CL_JSON_ARENA_INIT;
	json_t *root = NULL;
	const json_t *importers, *packages, *snapshots;
	const char *ver, *ik;
	json_t *imp;
	char *end;
	int error;

	if ((error = cl_deps_npm__check_size(path, len)) < 0)
		return error;
	cl_deps_npm__init(&ctx, path, 1);
	cl_json_arena_begin(&arena);
	memset(&st, 0, sizeof(st));
	st.ctx = &ctx;
	st.lines = json_object();
	if (!st.lines) {
		error = cl_error_set("out of memory");
		goto done;
	}
	yopts.lines = st.lines;
	if ((error = cl_deps_npm__yaml_load(&root, path, data, len, &yopts)) < 0)
		goto done;
	if (!json_is_object(root)) {
		error = cl_deps_npm__fail("%s: top level is not a mapping", path);
		goto done;
	}
	ver = cl_deps_npm__str(root, "lockfileVersion");
	if (!ver) {
		error = cl_deps_npm__fail("%s: no lockfileVersion", path);
		goto done;
	}
	st.major = strtol(ver, &end, 10);
	if (end == ver || (*end != '\0' && *end != '.') || st.major < 5 || st.major > 9) {
		error = cl_deps_npm__fail("%s: unsupported lockfileVersion '%s'", path, ver);
		goto done;
	}
	st.direct = json_object();
	st.reach = json_object();
	st.seen = json_object();
	if (!st.direct || !st.reach || !st.seen) {
		error = cl_error_set("out of memory");
		goto done;
	}
	importers = json_object_get(root, "importers");
	if (importers) {
		if (!json_is_object(importers)) {
			error = cl_deps_npm__fail("%s: 'importers' is not a mapping", path);
			goto done;
		}
		json_object_foreach((json_t *)importers, ik, imp) {
			if (!json_is_object(imp)) {
				error = cl_deps_npm__fail("%s: importer '%s' is not a mapping", path, ik);
				goto done;
			}
			if ((error = pnpm_importer(&st, imp, ik)) < 0)
				goto done;
		}
	} else if ((error = pnpm_importer(&st, root, ".")) < 0) {
		goto done;
	}
	packages = json_object_get(root, "packages");
	snapshots = json_object_get(root, "snapshots");
	if ((packages && !json_is_object(packages)) || (snapshots && !json_is_object(snapshots))) {
		error = cl_deps_npm__fail("%s: 'packages' or 'snapshots' is not a mapping", path);
		goto done;
	}
	if (st.major >= 9 && snapshots && importers && (error = pnpm_reach(&st, importers, snapshots)) < 0)
		goto done;
	if (packages && (error = pnpm_packages(&st, packages)) < 0)
		goto done;
	error = cl_deps_npm__commit(out, &ctx);
done:
	json_decref(st.direct);
	json_decref(st.reach);
	json_decref(st.seen);
	json_decref(st.lines);
	json_decref(root);
	cl_json_arena_end(&arena);
	cl_deps_npm__dispose(&ctx);
	return error;
}
