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
#include "strmap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PNPM_MAX_DEPTH 64

/* package fields that say nothing about identity, scope or the graph */
static const char *const pnpm_skip[] = {
	"resolution", "engines", "cpu", "os", "libc", "bin", "hasBin", "peerDependencies", "peerDependenciesMeta",
	"transitivePeerDependencies", "requiresBuild", "deprecated", "funding", NULL
};

/*
 * A scratch string, reused: the walk and the package loop split and join
 * keys tens of thousands of times, and a malloc and free for each showed
 * in profiles.
 */
struct pnpm_buf {
	char *p;
	size_t cap;
};

/* Room for `len` bytes and a NUL in `b`; NULL when out of memory. */
static char *pnpm_buf_grow(struct pnpm_buf *b, size_t len)
{
	if (len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;
		while (cap < len + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			return NULL;
		b->p = p;
		b->cap = cap;
	}
	return b->p;
}

static char *pnpm_buf_copy(struct pnpm_buf *b, const char *s, size_t len)
{
	char *p = pnpm_buf_grow(b, len);

	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* "name@version" in `b` */
static char *pnpm_buf_join(struct pnpm_buf *b, const char *name, const char *version)
{
	size_t nl = strlen(name), vl = strlen(version);
	char *p = pnpm_buf_grow(b, nl + 1 + vl);

	if (!p)
		return NULL;
	memcpy(p, name, nl);
	p[nl] = '@';
	memcpy(p + nl + 1, version, vl + 1);
	return p;
}

struct pnpm {
	struct cl_npm_ctx *ctx;
	long major;
	struct cl_strmap direct;   /* "name@version" -> scope + 1 of the importers' entries */
	const struct cl_ynode *root;   /* the document, for pnpm_line */
	struct cl_strmap reach;    /* 9.0: "name@version" -> 1 runtime, 2 dev-only reach */
	struct pnpm_buf kbuf, abuf;  /* scratch for splitting and joining keys */
};

/* Values of st->direct and st->reach are small integers kept in the pointer. */
#define PNPM_INT(slot) ((int)(intptr_t)*(slot))
#define PNPM_VAL(i) ((void *)(intptr_t)(i))

/*
 * Whether an importer or snapshot version names another package ("b@1.0.0",
 * an npm: alias) rather than a version of this one: an '@' before any peer
 * suffix "(p@1)". URLs and local paths are versions.
 */
static int pnpm_is_alias(const char *v)
{
	long at = cl_deps_npm__split_at(v);
	const char *paren;

	/* most versions have no '@' at all: look for a peer suffix only when one does */
	if (at <= 0)
		return 0;
	paren = strchr(v, '(');
	if (paren && paren < v + at)
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
 * "/a@1.0.0(p@1)" (6.x), "a@1.0.0" (9.0). Both point into `b`, valid until
 * its next use. 1 when the key has another shape (tarball and git keys like
 * "github.com/u/r/sha" in 5.x/6.x).
 */
static int pnpm_split_key(char **name, char **version, struct pnpm_buf *b, const char *key, long major)
{
	char *s, *sep;

	if (key[0] == '/')
		key++;
	s = pnpm_buf_copy(b, key, strlen(key));
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
	if (!sep || sep == s || sep[1] == '\0')
		return 1;
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
static int pnpm_resolve(char **out, struct pnpm_buf *b, const char *name, const char *version, long major)
{
	char *s;

	if (strncmp(version, "link:", 5) == 0)
		return 1;
	if (version[0] == '/' || (major >= 6 && pnpm_is_alias(version))) {
		char *an, *av;
		int rc = pnpm_split_key(&an, &av, b, version, major);
		if (rc < 0)
			return rc;
		if (rc == 0) {
			s = pnpm_at(an, av);
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
static int pnpm_importer(struct pnpm *st, const struct cl_ynode *imp, const char *where)
{
	const char *path = st->ctx->path;
	size_t i;
	int error;

	for (i = 0; i < sizeof(pnpm_sections) / sizeof(pnpm_sections[0]); i++) {
		const struct cl_ynode *sec = cl_deps_npm__yget(imp, pnpm_sections[i].key), *v;

		if (!sec)
			continue;
		if (!cl_deps_npm__yis_map(sec))
			return cl_deps_npm__fail("%s: '%s' of importer '%s' is not a mapping",
					path, pnpm_sections[i].key, where);
		for (v = sec->first; v; v = v->next) {
			const char *name = v->key;
			const char *version = cl_deps_npm__yis_map(v) ? cl_deps_npm__ystr(v, "version") :
				cl_deps_npm__yval(v);
			char *key = NULL;
			void **old;
			int rc;

			if (!version)
				return cl_deps_npm__fail("%s: dependency '%s' of importer '%s' has no version",
						path, name, where);
			if ((rc = pnpm_resolve(&key, &st->kbuf, name, version, st->major)) < 0)
				return rc;
			if (rc > 0)
				continue;
			error = cl_strmap_put(&old, NULL, &st->direct, key, strlen(key));
			free(key);
			if (error < 0)
				return error;
			/* RUNTIME (0) < DEV (1) < OPTIONAL (4): lower wins, as production installs it */
			if (error > 0 || PNPM_INT(old) - 1 > (int)pnpm_sections[i].scope)
				*old = PNPM_VAL((int)pnpm_sections[i].scope + 1);
		}
	}
	return 0;
}

/*
 * The walk's queue: NUL-terminated snapshot keys back to back in one
 * buffer, kept across roots and passes so that a walk of tens of thousands
 * of edges costs a few reallocs, not a malloc per edge.
 */
struct pnpm_queue {
	char *buf;
	size_t len, cap;
};

static int pnpm_queue_push(struct pnpm_queue *q, const char *a, size_t alen, const char *b, size_t blen)
{
	size_t need = q->len + alen + (b ? blen + 1 : 0) + 1;

	if (need > q->cap) {
		size_t cap = q->cap ? q->cap : 4096;
		char *p;
		while (cap < need)
			cap *= 2;
		p = realloc(q->buf, cap);
		if (!p)
			return cl_error_set("out of memory");
		q->buf = p;
		q->cap = cap;
	}
	memcpy(q->buf + q->len, a, alen);
	q->len += alen;
	if (b) {
		q->buf[q->len++] = '@';
		memcpy(q->buf + q->len, b, blen);
		q->len += blen;
	}
	q->buf[q->len++] = '\0';
	return 0;
}

/* 9.0: mark everything reachable from `key` in the snapshot graph with `mark` (1 runtime, 2 dev). */
static int pnpm_walk(struct pnpm *st, struct pnpm_queue *q, const struct cl_ynode *snapshots,
		const char *root, int mark)
{
	size_t head = 0;
	int error = 0;

	q->len = 0;
	if ((error = pnpm_queue_push(q, root, strlen(root), NULL, 0)) < 0)
		return error;
	/*
	 * iterative, so a long chain in a hostile file cannot exhaust the
	 * stack; a snapshot's node keeps the number of the pass that last
	 * visited it, so the walk of a pass is linear in the graph
	 */
	while (head < q->len) {
		const char *skey = q->buf + head;
		size_t slen = strlen(skey);
		const struct cl_ynode *snap, *deps, *v;
		char *name, *version;
		void **slot;
		size_t i;
		int rc;

		head += slen + 1;
		/* found before anything is pushed: the push may move the buffer under skey */
		snap = cl_deps_npm__ygetn(snapshots, skey, slen);
		if (snap) {
			/*
			 * A key with no snapshot is not marked: visiting it again
			 * sets the same reach and pushes nothing. A snapshot the
			 * runtime pass reached has reach 1 already, which the dev
			 * pass never lowers: skip it before splitting its key.
			 */
			if (snap->mark == (unsigned int)mark || (mark == 2 && snap->mark == 1))
				continue;
			((struct cl_ynode *)snap)->mark = (unsigned int)mark;
		}
		if ((rc = pnpm_split_key(&name, &version, &st->kbuf, skey, st->major)) < 0)
			return rc;
		if (rc > 0)
			continue;
		/* "name@version" is the split buffer with its separator put back as '@' */
		version[-1] = '@';
		rc = cl_strmap_put(&slot, NULL, &st->reach, name, (size_t)(version - name) + strlen(version));
		if (rc < 0)
			return rc;
		if (mark == 2 && PNPM_INT(slot) == 1)
			continue;   /* production already needs it, and so everything below it */
		*slot = PNPM_VAL(mark);
		for (i = 0; i < 2 && cl_deps_npm__yis_map(snap); i++) {
			deps = cl_deps_npm__yget(snap, i ? "optionalDependencies" : "dependencies");
			if (!cl_deps_npm__yis_map(deps))
				continue;
			for (v = deps->first; v; v = v->next) {
				const char *ver = cl_deps_npm__yval(v);
				if (!ver)
					continue;
				if (pnpm_is_alias(ver))   /* an alias: "b@1.0.0" */
					error = pnpm_queue_push(q, ver, v->len, NULL, 0);
				else
					error = pnpm_queue_push(q, v->key, v->key_len, ver, v->len);
				if (error < 0)
					return error;
			}
		}
	}
	return 0;
}

static int pnpm_reach(struct pnpm *st, const struct cl_ynode *importers, const struct cl_ynode *snapshots)
{
	const struct cl_ynode *imp, *v;
	size_t i;
	struct pnpm_queue q = { NULL, 0, 0 };
	int pass, error = 0;

	/* runtime roots first so that the dev pass only marks what production does not need */
	for (pass = 1; pass <= 2; pass++) {
		for (imp = importers->first; imp; imp = imp->next) {
			for (i = 0; i < sizeof(pnpm_sections) / sizeof(pnpm_sections[0]); i++) {
				const struct cl_ynode *sec = cl_deps_npm__yget(imp, pnpm_sections[i].key);
				if ((pnpm_sections[i].scope == CL_DEP_DEV) != (pass == 2) || !cl_deps_npm__yis_map(sec))
					continue;
				for (v = sec->first; v; v = v->next) {
					const char *name = v->key;
					const char *ver = cl_deps_npm__yis_map(v) ? cl_deps_npm__ystr(v, "version") : NULL;
					char *root;
					if (!ver || strncmp(ver, "link:", 5) == 0)
						continue;
					if (pnpm_is_alias(ver)) {
						root = strdup(ver);
					} else {
						root = pnpm_at(name, ver);
					}
					if (!root) {
						error = cl_error_set("out of memory");
						goto done;
					}
					error = pnpm_walk(st, &q, snapshots, root, pass);
					free(root);
					if (error < 0)
						goto done;
				}
			}
		}
	}
done:
	free(q.buf);
	return error;
}

static int pnpm_flag(const struct cl_ynode *pkg, const char *key)
{
	const char *v = cl_deps_npm__ystr(pkg, key);
	return v && strcmp(v, "true") == 0;
}

/*
 * The line of a package key: where the key first occurs among the keys of
 * the top-level mappings (as the importers' or snapshots' sections repeat
 * package keys, the first is the one a reader would look for when it
 * comes before "packages").
 */
static unsigned int pnpm_line(const struct cl_ynode *root, const struct cl_ynode *packages,
		const struct cl_ynode *member)
{
	const struct cl_ynode *m, *c;

	for (m = root->first; m && m != packages; m = m->next)
		if (cl_deps_npm__yis_map(m) && (c = cl_deps_npm__ygetn(m, member->key, member->key_len)) != NULL)
			return c->line;
	return member->line;
}

static int pnpm_packages(struct pnpm *st, const struct cl_ynode *packages)
{
	const char *path = st->ctx->path;
	const struct cl_ynode *member;
	int error;

	for (member = packages->first; member; member = member->next) {
		const char *key = member->key;
		const struct cl_ynode *pkg = member;
		char *sname = NULL, *sversion = NULL, *full;
		const char *name, *version, *fname, *fversion;
		size_t flen;
		void **d;
		enum cl_dep_scope scope = CL_DEP_RUNTIME;
		enum cl_dep_relation relation = CL_DEP_TRANSITIVE;
		int rc;

		if (!cl_deps_npm__yis_map(pkg)) {
			if (pkg->kind == CL_YNODE_SCALAR && pkg->len == 0)
				pkg = NULL;   /* "key:" with no fields */
			else
				return cl_deps_npm__fail("%s: package '%s' is not a mapping", path, key);
		}
		if ((rc = pnpm_split_key(&sname, &sversion, &st->kbuf, key, st->major)) < 0)
			return rc;
		name = sname;
		version = sversion;
		/* git and tarball entries say who they are in fields */
		fname = cl_deps_npm__ystr(pkg, "name");
		fversion = cl_deps_npm__ystr(pkg, "version");
		if (rc > 0 && !fname) {
			return cl_deps_npm__fail("%s: package key '%s' names no package", path, key);
		}
		if (fname && (rc > 0 || strcmp(fname, name) != 0)) {
			name = fname;
			version = NULL;
		}
		if (fversion)
			version = fversion;
		if (!version)
			return cl_deps_npm__fail("%s: package '%s' has no version", path, key);
		full = pnpm_buf_join(&st->abuf, name, version);
		if (!full)
			return cl_error_set("out of memory");
		flen = strlen(full);
		if ((d = cl_strmap_get(&st->direct, full, flen)) != NULL) {
			relation = CL_DEP_DIRECT;
			scope = (enum cl_dep_scope)(PNPM_INT(d) - 1);
		} else if (st->major >= 9) {
			d = cl_strmap_get(&st->reach, full, flen);
			scope = d && PNPM_INT(d) == 2 ? CL_DEP_DEV : CL_DEP_RUNTIME;
		}
		if (st->major < 9 && pkg) {
			if (pnpm_flag(pkg, "dev"))
				scope = CL_DEP_DEV;
			else if (pnpm_flag(pkg, "optional"))
				scope = CL_DEP_OPTIONAL;
			else if (relation == CL_DEP_TRANSITIVE || scope == CL_DEP_DEV)
				scope = CL_DEP_RUNTIME;
		}
		error = cl_deps_npm__emit(st->ctx, name, version, relation, scope, NULL,
				pnpm_line(st->root, packages, member));
		if (error < 0)
			return error;
	}
	return 0;
}

/*
 * Room in the result list for `n` packages up front. Each package emits
 * one entry at most, and the merge table of cl_deps_npm__emit is sized
 * from the list's room when it is first made, so emitting them moves
 * nothing and rehashes nothing.
 */
static int pnpm_reserve(struct cl_npm_ctx *ctx, size_t n)
{
	struct cl_dep *items;

	if (n <= ctx->tmp.alloc)
		return 0;
	if (n > SIZE_MAX / sizeof(*items) || (items = realloc(ctx->tmp.items, n * sizeof(*items))) == NULL)
		return cl_error_set("out of memory");
	ctx->tmp.items = items;
	ctx->tmp.alloc = n;
	return 0;
}

int cl_deps_pnpm_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len)
{
	struct cl_npm_ctx ctx;
	struct pnpm st;
	struct cl_npm_yaml_opts yopts = { PNPM_MAX_DEPTH, pnpm_skip, 3 };
	struct cl_ytree tree = { 0 };
	const struct cl_ynode *root, *importers, *packages, *snapshots, *imp;
	const char *ver;
	char *end;
	int error;

	if ((error = cl_deps_npm__check_size(path, len)) < 0)
		return error;
	cl_deps_npm__init(&ctx, path, 1);
	memset(&st, 0, sizeof(st));
	st.ctx = &ctx;
	if ((error = cl_deps_npm__yaml_load(&tree, path, data, len, &yopts)) < 0)
		goto done;
	root = st.root = tree.root;
	if (!cl_deps_npm__yis_map(root)) {
		error = cl_deps_npm__fail("%s: top level is not a mapping", path);
		goto done;
	}
	ver = cl_deps_npm__ystr(root, "lockfileVersion");
	if (!ver) {
		error = cl_deps_npm__fail("%s: no lockfileVersion", path);
		goto done;
	}
	st.major = strtol(ver, &end, 10);
	if (end == ver || (*end != '\0' && *end != '.') || st.major < 5 || st.major > 9) {
		error = cl_deps_npm__fail("%s: unsupported lockfileVersion '%s'", path, ver);
		goto done;
	}
	importers = cl_deps_npm__yget(root, "importers");
	if (importers) {
		if (!cl_deps_npm__yis_map(importers)) {
			error = cl_deps_npm__fail("%s: 'importers' is not a mapping", path);
			goto done;
		}
		for (imp = importers->first; imp; imp = imp->next) {
			if (!cl_deps_npm__yis_map(imp)) {
				error = cl_deps_npm__fail("%s: importer '%s' is not a mapping", path, imp->key);
				goto done;
			}
			if ((error = pnpm_importer(&st, imp, imp->key)) < 0)
				goto done;
		}
	} else if ((error = pnpm_importer(&st, root, ".")) < 0) {
		goto done;
	}
	packages = cl_deps_npm__yget(root, "packages");
	snapshots = cl_deps_npm__yget(root, "snapshots");
	if ((packages && !cl_deps_npm__yis_map(packages)) || (snapshots && !cl_deps_npm__yis_map(snapshots))) {
		error = cl_deps_npm__fail("%s: 'packages' or 'snapshots' is not a mapping", path);
		goto done;
	}
	/*
	 * each snapshot adds one package at most to the reach, so the walk
	 * grows it only for edges to missing snapshots (a broken file)
	 */
	if (st.major >= 9 && snapshots && importers &&
	    ((error = cl_strmap_reserve(&st.reach, snapshots->count)) < 0 ||
	     (error = pnpm_reach(&st, importers, snapshots)) < 0))
		goto done;
	if (packages && ((error = pnpm_reserve(&ctx, packages->count)) < 0 ||
			 (error = pnpm_packages(&st, packages)) < 0))
		goto done;
	error = cl_deps_npm__commit(out, &ctx);
done:
	cl_strmap_dispose(&st.direct);
	cl_strmap_dispose(&st.reach);
	free(st.kbuf.p);
	free(st.abuf.p);
	cl_deps_npm__ytree_dispose(&tree);
	cl_deps_npm__dispose(&ctx);
	return error;
}
