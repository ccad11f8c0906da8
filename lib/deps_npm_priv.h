/*
 * deps_npm_priv.h - helpers shared by deps_npm.c, deps_yarn.c and
 * deps_pnpm.c; not part of the public interface.
 *
 * Layer rule: used only by the npm-family parsers.
 */
#ifndef CL_DEPS_NPM_PRIV_H
#define CL_DEPS_NPM_PRIV_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "deps.h"

/*
 * A parse in progress: dependencies go to a private list and, when the
 * lock file asks for it, are merged by name and version (pnpm and yarn
 * berry list one package under several keys).
 */
struct cl_npm_ctx {
	const char *path;
	struct cl_dep_list tmp;
	/* open-addressing index "name\0version" -> position in tmp; NULL when not merging */
	size_t *slots;
	size_t nslots;
};

void cl_deps_npm__init(struct cl_npm_ctx *ctx, const char *path, int merge);
void cl_deps_npm__dispose(struct cl_npm_ctx *ctx);

/*
 * Record one dependency (strings copied). With merging on, a second
 * record of the same name and version only upgrades the first: direct
 * wins over transitive/unknown, runtime over peer, optional, dev.
 */
int cl_deps_npm__emit(struct cl_npm_ctx *ctx, const char *name, const char *version,
		enum cl_dep_relation relation, enum cl_dep_scope scope, const char *license, unsigned int line);

/* Move everything recorded to the end of `out`: all or nothing. */
int cl_deps_npm__commit(struct cl_dep_list *out, struct cl_npm_ctx *ctx);

/*
 * Set a CL_EINVALID message (printf-style) and return CL_EINVALID. Names
 * and versions in it come from the file, so control characters are
 * replaced by '?' to keep the message on one line.
 */
int cl_deps_npm__fail(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* CL_ETOOBIG when `len` is past CL_DEPS_NPM_MAX_SIZE. */
int cl_deps_npm__check_size(const char *path, size_t len);

/* How cl_deps_npm__yaml_load builds its tree. */
struct cl_npm_yaml_opts {
	unsigned int max_depth;       /* collections nested deeper are refused */
	/*
	 * Values of these mapping keys (NULL-terminated, or NULL) in mappings
	 * at nesting level `skip_depth` (the top-level mapping is level 1:
	 * the level of a package's fields) are parsed and checked but not
	 * stored: lock files are mostly integrity hashes and engine ranges,
	 * and building them costs more than parsing them. Only that level:
	 * deeper, the same words are the names of dependencies ("os", "bin").
	 */
	const char *const *skip;
	unsigned int skip_depth;
};

enum cl_ynode_kind { CL_YNODE_SCALAR = 1, CL_YNODE_MAP, CL_YNODE_SEQ };

/*
 * A node of a loaded YAML document. Everything points into the tree's
 * arena and lives until cl_deps_npm__ytree_dispose. A 64 MiB file can
 * hold tens of millions of scalars, so sizes are 32-bit (the loader
 * refuses bigger input) and a scalar is allocated without the trailing
 * collection fields: read first, last, count and index only of a node
 * whose kind is CL_YNODE_MAP or CL_YNODE_SEQ.
 */
struct cl_ynode {
	const char *key;               /* in the parent mapping (NUL-terminated), else NULL */
	const char *str;               /* a scalar's text, NUL-terminated */
	struct cl_ynode *next;         /* the next member of the parent */
	uint32_t key_len, len;
	uint32_t hash;                 /* of key, once the parent mapping is indexed */
	uint32_t line;                 /* 1-based line of the key, in a mapping */
	/*
	 * Free for the caller: a graph walk over the tree marks the nodes it
	 * has visited here rather than in a map of their keys.
	 */
	uint32_t mark;
	enum cl_ynode_kind kind;
	/* mappings and sequences only */
	struct cl_ynode *first, *last; /* members, in file order */
	struct cl_ynode **index;       /* a mapping's hash index once it is big, else NULL */
	uint32_t count, index_cap;
};

#define CL_YNODE_SCALAR_SIZE offsetof(struct cl_ynode, first)

struct cl_ytree_chunk;

/* A loaded document: caller-owned, zero it before use. */
struct cl_ytree {
	struct cl_ynode *root;
	struct cl_ytree_chunk *chunks;
	char *cur, *end;
	size_t next_size;
};

/*
 * Load a YAML document into a tree whose scalars are all strings (keys
 * included), from libyaml's tokens (lib/deps_npm_yaml.c). Anchors,
 * aliases, non-scalar keys, duplicate keys, %TAG directives and named tag
 * handles (no lock file writes them), more than one document and nesting
 * past opts->max_depth are refused with CL_EINVALID "PATH:LINE:COLUMN:
 * problem", also inside values the readers skip. An empty stream gives an
 * empty mapping. On failure *out is untouched.
 */
int cl_deps_npm__yaml_load(struct cl_ytree *out, const char *path, const char *data, size_t len,
		const struct cl_npm_yaml_opts *opts);

/* Free a tree's memory; NULL-safe, and the tree is zeroed after. */
void cl_deps_npm__ytree_dispose(struct cl_ytree *tree);

/* The member `key` of a mapping; NULL when absent or when `map` is NULL or not a mapping. */
const struct cl_ynode *cl_deps_npm__yget(const struct cl_ynode *map, const char *key);

/* cl_deps_npm__yget for a key of `len` bytes whose length the caller has already. */
const struct cl_ynode *cl_deps_npm__ygetn(const struct cl_ynode *map, const char *key, size_t len);

/* A scalar member of a mapping, or NULL. */
const char *cl_deps_npm__ystr(const struct cl_ynode *map, const char *key);

static inline int cl_deps_npm__yis_map(const struct cl_ynode *n)
{
	return n && n->kind == CL_YNODE_MAP;
}

/* A scalar's text, or NULL when `n` is NULL or not a scalar. */
static inline const char *cl_deps_npm__yval(const struct cl_ynode *n)
{
	return n && n->kind == CL_YNODE_SCALAR ? n->str : NULL;
}

/* Split "name@range" (the name may start with '@'): the index of the separating '@', or -1. */
long cl_deps_npm__split_at(const char *spec);

/* A string member of `obj`, or NULL when absent or not a string. */
const char *cl_deps_npm__str(const json_t *obj, const char *key);

#endif
