/*
 * deps_npm.c - package.json and package-lock.json / npm-shrinkwrap.json
 * (lockfileVersion 1, 2 and 3), the npm format table, and the helpers the
 * yarn and pnpm readers share (result list with merging, YAML loading).
 *
 * Divisions: shared helpers; YAML to a compact tree; package.json; package-lock;
 * the format table.
 */
#include "deps_npm.h"
#include "deps_npm_priv.h"
#include "error.h"
#include "json_arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

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

static uint64_t npm_hash(const char *name, const char *version)
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (p = (const unsigned char *)(version ? version : ""); *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return h;
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
			if ((error = npm_rehash(ctx, ctx->slots ? ctx->nslots * 2 : 64)) < 0)
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

/* ---- YAML to a compact tree ------------------------------------------------ */

/*
 * Event-driven with an explicit stack, so hostile nesting costs memory we
 * bound, not C stack. Everything becomes a string: pnpm and yarn berry
 * quote inconsistently ('9.0' vs 5.4), and callers compare text anyway.
 *
 * Why not Jansson: a Jansson object is a hash table of its own and every
 * string a separate value; building them cost as much as libyaml's parse
 * of the same bytes (issue 4: pnpm-lock.yaml at 29 MB/s against libyaml's
 * 56). Here a node, its key and its text come from one bump arena that is
 * dropped whole, children are a list in file order, and only mappings
 * that grow past YTREE_INDEX_AT members get a hash index.
 */
#define YTREE_INDEX_AT 8

struct cl_ytree_chunk {
	struct cl_ytree_chunk *next;
};

static void *ytree_alloc(struct cl_ytree *t, size_t n)
{
	char *p;

	n = (n + 7) & ~(size_t)7;
	if ((size_t)(t->end - t->cur) < n) {
		/*
		 * Chunks stay under glibc's mmap threshold (128 KiB), so a
		 * parse reuses the heap that the previous one freed instead of
		 * faulting in fresh pages: the faults were a tenth of a parse.
		 */
		size_t size = 120 * 1024;
		struct cl_ytree_chunk *c;

		if (size < n + 16)
			size = n + 16;
		c = malloc(size);
		if (!c)
			return NULL;
		c->next = t->chunks;
		t->chunks = c;
		t->cur = (char *)c + 16;
		t->end = (char *)c + size;
	}
	p = t->cur;
	t->cur += n;
	return p;
}

static char *ytree_strdup(struct cl_ytree *t, const char *s, size_t len)
{
	char *p = ytree_alloc(t, len + 1);

	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void cl_deps_npm__ytree_dispose(struct cl_ytree *t)
{
	struct cl_ytree_chunk *c, *next;

	if (!t)
		return;
	for (c = t->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	memset(t, 0, sizeof(*t));
}

static uint32_t ytree_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Put `n` in the index of `map` (which has room). */
static void ytree_index_put(struct cl_ynode *map, struct cl_ynode *n)
{
	size_t mask = map->index_cap - 1, i = n->hash & mask;

	while (map->index[i])
		i = (i + 1) & mask;
	map->index[i] = n;
}

/* (Re)build the index of `map` with room for twice its members, at most half full. */
static int ytree_reindex(struct cl_ytree *t, struct cl_ynode *map)
{
	size_t cap = 16;
	struct cl_ynode *c;
	int first = map->index == NULL;

	while (cap < 4 * (map->count + 1))
		cap *= 2;
	map->index = ytree_alloc(t, cap * sizeof(*map->index));
	if (!map->index)
		return -1;
	memset(map->index, 0, cap * sizeof(*map->index));
	map->index_cap = (uint32_t)cap;
	for (c = map->first; c; c = c->next) {
		/* members added before the map was big were never hashed */
		if (first)
			c->hash = ytree_hash(c->key, c->key_len);
		ytree_index_put(map, c);
	}
	return 0;
}

static struct cl_ynode *ytree_find(const struct cl_ynode *map, const char *key, size_t len, uint32_t hash)
{
	const struct cl_ynode *c;

	if (map->index) {
		size_t mask = map->index_cap - 1, i = hash & mask;
		for (; (c = map->index[i]) != NULL; i = (i + 1) & mask)
			if (c->hash == hash && c->key_len == len && memcmp(c->key, key, len) == 0)
				return (struct cl_ynode *)c;
		return NULL;
	}
	for (c = map->first; c; c = c->next)
		if (c->key_len == len && memcmp(c->key, key, len) == 0)
			return (struct cl_ynode *)c;
	return NULL;
}

const struct cl_ynode *cl_deps_npm__yget(const struct cl_ynode *map, const char *key)
{
	size_t len;

	if (!map || map->kind != CL_YNODE_MAP)
		return NULL;
	len = strlen(key);
	return ytree_find(map, key, len, map->index ? ytree_hash(key, len) : 0);
}

const char *cl_deps_npm__ystr(const struct cl_ynode *map, const char *key)
{
	const struct cl_ynode *v = cl_deps_npm__yget(map, key);
	return v && v->kind == CL_YNODE_SCALAR ? v->str : NULL;
}

struct yaml_frame {
	struct cl_ynode *node;   /* mapping or sequence */
	/*
	 * The pending key of a mapping, when has_key; points into the arena.
	 * It becomes the member's key as it is, so a key costs one copy.
	 */
	const char *key;
	uint32_t key_len;
	uint32_t key_line;
	int has_key;
};

static int yaml_fail(const char *path, const yaml_mark_t *m, const char *problem)
{
	return cl_deps_npm__fail("%s:%lu:%lu: %s", path,
			(unsigned long)m->line + 1, (unsigned long)m->column + 1, problem);
}

/* Attach `v` to the top frame, or make it the root. */
static int yaml_attach(struct cl_ytree *t, struct yaml_frame *top, struct cl_ynode *v, const char *path,
		const yaml_mark_t *m)
{
	struct cl_ynode *map;

	if (!top) {
		t->root = v;
		return 0;
	}
	map = top->node;
	if (map->kind == CL_YNODE_MAP) {
		if (!top->has_key)
			return yaml_fail(path, m, "mapping key is not a scalar");
		top->has_key = 0;
		v->key = top->key;
		v->key_len = top->key_len;
		v->line = top->key_line;
		if (map->index)
			v->hash = ytree_hash(v->key, v->key_len);
		if (ytree_find(map, v->key, v->key_len, v->hash))
			return yaml_fail(path, m, "duplicate mapping key");
	}
	if (map->last)
		map->last->next = v;
	else
		map->first = v;
	map->last = v;
	map->count++;
	if (map->kind == CL_YNODE_MAP && map->count >= YTREE_INDEX_AT) {
		if (!map->index || 2 * map->count > map->index_cap) {
			if (ytree_reindex(t, map) < 0)
				return cl_error_set("out of memory");
		} else {
			ytree_index_put(map, v);
		}
	}
	return 0;
}

static int yaml_skipped(const char *key, const char *const *skip)
{
	/* every key below the skip level comes here: test the first byte before calling strcmp */
	for (; skip && *skip; skip++)
		if ((*skip)[0] == key[0] && strcmp(key, *skip) == 0)
			return 1;
	return 0;
}

int cl_deps_npm__yaml_load(struct cl_ytree *out, const char *path, const char *data, size_t len,
		const struct cl_npm_yaml_opts *opts)
{
	const unsigned int max_depth = opts->max_depth;
	struct cl_ytree t = { 0 };
	yaml_parser_t parser;
	yaml_event_t ev;
	struct yaml_frame *stack = NULL;
	size_t depth = 0, docs = 0, skipping = 0;   /* skipping: open collections of a dropped value */
	int error = 0, has_event = 0, done_stream = 0;

	/* every length in the tree is 32-bit; callers cap input far below */
	if (len > UINT32_MAX)
		return cl_deps_npm__fail("%s: too big for the YAML reader", path);
	if (!yaml_parser_initialize(&parser))
		return cl_error_set("out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	stack = calloc(max_depth + 1, sizeof(*stack));
	CL_CHECK_ALLOC(stack);

	while (!done_stream) {
		struct yaml_frame *top = depth ? &stack[depth - 1] : NULL;

		if (!yaml_parser_parse(&parser, &ev)) {
			error = yaml_fail(path, &parser.problem_mark, parser.problem ? parser.problem : "invalid YAML");
			goto done;
		}
		has_event = 1;
		if (skipping || (top && top->has_key && depth >= opts->skip_depth && yaml_skipped(top->key, opts->skip) &&
		    ev.type != YAML_ALIAS_EVENT)) {
			/* a dropped value: track its nesting (still bounded) and forget the key */
			if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) {
				if (depth + ++skipping > max_depth) {
					error = yaml_fail(path, &ev.start_mark, "nesting too deep");
					goto done;
				}
			} else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
				skipping--;
			}
			if (!skipping)
				top->has_key = 0;
			yaml_event_delete(&ev);
			has_event = 0;
			continue;
		}
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_STREAM_END_EVENT:
			done_stream = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				error = yaml_fail(path, &ev.start_mark, "more than one YAML document");
				goto done;
			}
			break;
		case YAML_ALIAS_EVENT:
			error = yaml_fail(path, &ev.start_mark, "YAML aliases are not supported here");
			goto done;
		case YAML_SCALAR_EVENT: {
			const char *text = (const char *)ev.data.scalar.value;
			size_t tlen = ev.data.scalar.length;
			struct cl_ynode *v;
			char *s;

			if (ev.data.scalar.anchor) {
				error = yaml_fail(path, &ev.start_mark, "YAML anchors are not supported here");
				goto done;
			}
			if (memchr(text, '\0', tlen)) {
				error = yaml_fail(path, &ev.start_mark, "NUL byte in a scalar");
				goto done;
			}
			/* libyaml's reader has already refused what is not UTF-8 */
			s = ytree_strdup(&t, text, tlen);
			CL_CHECK_ALLOC(s);
			if (top && top->node->kind == CL_YNODE_MAP && !top->has_key) {
				top->key = s;
				top->key_len = (uint32_t)tlen;
				top->has_key = 1;
				top->key_line = (uint32_t)ev.start_mark.line + 1;
				break;
			}
			v = ytree_alloc(&t, CL_YNODE_SCALAR_SIZE);
			CL_CHECK_ALLOC(v);
			memset(v, 0, CL_YNODE_SCALAR_SIZE);
			v->kind = CL_YNODE_SCALAR;
			v->str = s;
			v->len = (uint32_t)tlen;
			if ((error = yaml_attach(&t, top, v, path, &ev.start_mark)) < 0)
				goto done;
			break;
		}
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			int is_map = ev.type == YAML_MAPPING_START_EVENT;
			const yaml_char_t *anchor = is_map ? ev.data.mapping_start.anchor : ev.data.sequence_start.anchor;
			struct cl_ynode *v;

			if (anchor) {
				error = yaml_fail(path, &ev.start_mark, "YAML anchors are not supported here");
				goto done;
			}
			if (depth >= max_depth) {
				error = yaml_fail(path, &ev.start_mark, "nesting too deep");
				goto done;
			}
			v = ytree_alloc(&t, sizeof(*v));
			CL_CHECK_ALLOC(v);
			memset(v, 0, sizeof(*v));
			v->kind = is_map ? CL_YNODE_MAP : CL_YNODE_SEQ;
			if ((error = yaml_attach(&t, top, v, path, &ev.start_mark)) < 0)
				goto done;
			stack[depth].node = v;
			stack[depth].has_key = 0;
			depth++;
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (!depth)
				CL_BUG("YAML end event without a start");
			depth--;
			stack[depth].has_key = 0;
			break;
		case YAML_NO_EVENT:
		default:
			error = yaml_fail(path, &ev.start_mark, "unexpected YAML event");
			goto done;
		}
		yaml_event_delete(&ev);
		has_event = 0;
	}
	if (!t.root) {
		t.root = ytree_alloc(&t, sizeof(*t.root));
		CL_CHECK_ALLOC(t.root);
		memset(t.root, 0, sizeof(*t.root));
		t.root->kind = CL_YNODE_MAP;
	}
	*out = t;
	memset(&t, 0, sizeof(t));
done:
	if (has_event)
		yaml_event_delete(&ev);
	free(stack);
	cl_deps_npm__ytree_dispose(&t);
	yaml_parser_delete(&parser);
	return error;
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
