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
	 * at nesting level `skip_depth` or deeper (the top-level mapping is
	 * level 1) are parsed and checked but not stored: lock files are
	 * mostly integrity hashes and engine ranges, and building them costs
	 * more than parsing them.
	 */
	const char *const *skip;
	unsigned int skip_depth;
	/* when set: key -> 1-based line, for keys of mappings at level `line_depth` (first wins) */
	json_t *lines;
	unsigned int line_depth;
};

/*
 * Load a YAML document into a Jansson tree whose scalars are all strings
 * (keys included). Anchors, aliases, non-scalar keys, duplicate keys, more
 * than one document and nesting past opts->max_depth are refused with
 * CL_EINVALID "PATH:LINE:COLUMN: problem". An empty stream gives an empty
 * object.
 */
int cl_deps_npm__yaml_load(json_t **out, const char *path, const char *data, size_t len,
		const struct cl_npm_yaml_opts *opts);

/* The line recorded for `key` in opts->lines, or 0. */
unsigned int cl_deps_npm__line(const json_t *lines, const char *key);

/* Split "name@range" (the name may start with '@'): the index of the separating '@', or -1. */
long cl_deps_npm__split_at(const char *spec);

/* A string member of `obj`, or NULL when absent or not a string. */
const char *cl_deps_npm__str(const json_t *obj, const char *key);

#endif
