/*
 * reuse.h - licensing declared outside the file, as REUSE 3.3 allows:
 * REUSE.toml files (in any directory) and the deprecated .reuse/dep5.
 *
 * Layer rule: reads blobs of one tree through libgit2, parses TOML with
 * toml.h and globs with pattern.h; knows nothing of headers, policies or
 * findings. What it cannot use it reports to a callback as a problem and
 * ignores; headers.c turns problems into findings.
 *
 * How a path is decided (REUSE 3.3, "REUSE.toml"; the same walk as
 * reuse-tool's NestedReuseTOML):
 *   - every REUSE.toml in a directory that holds the path is consulted, from
 *     the top of the tree down; in each, the LAST annotation whose `path`
 *     matches (relative to that REUSE.toml's directory) is the one it offers;
 *   - the first (outermost) `override` ends the walk: REUSE.toml files
 *     deeper down, and the file's own tags, are ignored;
 *   - every `aggregate` on the walk applies in addition to everything else;
 *   - of the `closest` annotations, the deepest one with a license gives
 *     the license and the deepest one with a copyright gives the copyright,
 *     each only where the file (or its .license sidecar) has none.
 * .reuse/dep5 (Debian copyright format 1.0) is one more source whose last
 * matching Files paragraph applies with `aggregate` precedence, as REUSE 3.2
 * defines for it. REUSE.toml and dep5 in the same tree is an error in REUSE:
 * it is reported and dep5 is ignored.
 */
#ifndef CL_REUSE_H
#define CL_REUSE_H

#include <git2.h>
#include <stddef.h>

#include "buf.h"

/* Caps against a hostile tree. */
#define CL_REUSE_FILE_MAX ((size_t)1024 * 1024)  /* bytes of one REUSE.toml or dep5 */
#define CL_REUSE_TOML_COUNT_MAX 1024u             /* REUSE.toml files read in one tree */

enum cl_reuse_precedence {
	CL_REUSE_CLOSEST = 0,   /* the file's own tags win; the annotation fills what they lack */
	CL_REUSE_AGGREGATE,     /* both apply: "(file) AND (annotation)" */
	CL_REUSE_OVERRIDE       /* the annotation alone applies */
};

enum cl_reuse_problem_kind {
	CL_REUSE_PROBLEM_TOML = 0,  /* a REUSE.toml that is not used (syntax, version, types, caps) */
	CL_REUSE_PROBLEM_DEP5,      /* a .reuse/dep5 that is not used (malformed) */
	CL_REUSE_PROBLEM_BOTH       /* REUSE.toml and .reuse/dep5 together; dep5 is not used */
};

struct cl_reuse_problem {
	enum cl_reuse_problem_kind kind;
	const char *path;      /* the file at fault, from the top of the tree ("sub/REUSE.toml") */
	unsigned int line;     /* 1-based, 0 when not known (TOML errors carry it in `message`) */
	const char *message;   /* one line, no final period; for TOML syntax "PATH:LINE:COL: ..." */
};

/*
 * Called once per problem, during cl_reuse_load. A negative return stops the
 * load and is returned by it.
 */
typedef int (*cl_reuse_problem_cb)(const struct cl_reuse_problem *problem, void *payload);

struct cl_reuse;

/* What the REUSE metadata says about one path. */
struct cl_reuse_info {
	int found;                           /* some annotation or dep5 paragraph covers the path */
	enum cl_reuse_precedence precedence; /* override if an override decided, else aggregate
	                                        if any aggregate applies, else closest */
	const char *license;                 /* the expression of that precedence, NULL when it
	                                        names none; with override, the aggregates above it
	                                        are ANDed in */
	int has_copyright;                   /* that precedence declares a copyright notice */
	const char *closest_license;         /* precedence aggregate only: a closest annotation's
	                                        expression for a file with no tag of its own, or NULL */
	int closest_has_copyright;           /* likewise for the copyright */
	const char *source;                  /* the file that decided ("REUSE.toml", "sub/REUSE.toml",
	                                        ".reuse/dep5"), for messages; NULL when !found */
	struct cl_buf text;                  /* owns composed expressions; the pointers above point
	                                        into it or into the struct cl_reuse */
};

#define CL_REUSE_INFO_INIT { 0, CL_REUSE_CLOSEST, NULL, 0, NULL, 0, NULL, CL_BUF_INIT }

/* Release what `info` owns (its pointers become invalid). */
void cl_reuse_info_dispose(struct cl_reuse_info *info);

/**
 * Read every REUSE.toml and .reuse/dep5 of `tree`.
 *
 * @param out      on success, the metadata (possibly empty: no file, or
 *                 every file unusable); untouched on failure
 * @param repo     where the tree's blobs are
 * @param tree     the tree (borrowed; not kept)
 * @param cb       told of each problem (may be NULL)
 * @param payload  passed to cb
 * @return 0; a callback's negative value; CL_ERROR when the repository
 *         cannot be read or memory runs out. A malformed file is not a
 *         failure: it is a problem, and it is ignored.
 *
 * Cost: one walk of the tree (every tree object is read once) plus the
 * parse of each metadata file, at most CL_REUSE_FILE_MAX bytes each and
 * CL_REUSE_TOML_COUNT_MAX REUSE.toml files (more is a problem on the
 * first one left out). Thread-safe for distinct trees.
 */
int cl_reuse_load(struct cl_reuse **out, git_repository *repo, git_tree *tree,
	cl_reuse_problem_cb cb, void *payload);

/**
 * What the metadata says about `path` (from the top of the tree, '/'
 * separated, no leading "./").
 *
 * @param out  filled on success; init it with CL_REUSE_INFO_INIT once and
 *             reuse it from path to path, then cl_reuse_info_dispose
 * @return 0 (out->found says whether anything covers the path); CL_ERROR
 *         when a glob hit its match limit or memory ran out.
 *
 * Cost: one hash lookup per ancestor directory of `path`, then the
 * annotations of the REUSE.toml files found there and the dep5 paragraphs,
 * last first; independent of the number of paths in the tree. Lookups on
 * one struct cl_reuse may run in parallel with distinct `out`.
 */
int cl_reuse_lookup(struct cl_reuse_info *out, const struct cl_reuse *reuse, const char *path);

/* The number of REUSE.toml files in use, and whether a dep5 is in use. */
size_t cl_reuse_toml_count(const struct cl_reuse *reuse);
int cl_reuse_has_dep5(const struct cl_reuse *reuse);

void cl_reuse_free(struct cl_reuse *reuse);

/* ---- the dep5 parser, public for tests and the fuzzer ------------------ */

struct cl_reuse_dep5;

/**
 * Parse a .reuse/dep5 document (Debian copyright format 1.0).
 *
 * @param out      on success, the Files paragraphs in order; untouched on failure
 * @param data     the document (borrowed; need not be NUL-terminated)
 * @param len      its length; more than CL_REUSE_FILE_MAX is CL_ETOOBIG
 * @param problem  on CL_EINVALID, the 1-based line at fault (may be NULL)
 * @return 0; CL_EINVALID with a message ("paragraph at line N: ...") for a
 *         document that is not usable; CL_ETOOBIG; CL_ERROR out of memory.
 *
 * Linear in `len`.
 */
int cl_reuse_dep5_parse(struct cl_reuse_dep5 **out, const char *data, size_t len,
	unsigned int *problem);

/* The number of Files paragraphs. */
size_t cl_reuse_dep5_count(const struct cl_reuse_dep5 *dep5);

/**
 * The last Files paragraph that covers `path`.
 * @param license  set to its License synopsis (points into dep5)
 * @param has_copyright  set to 1 when its Copyright field is not empty
 * @return 1 found, 0 none.
 */
int cl_reuse_dep5_match(const char **license, int *has_copyright,
	const struct cl_reuse_dep5 *dep5, const char *path);

/*
 * dep5's Files glob: '*' any run of characters, '/' included; '?' one
 * character; "\*", "\?" and "\\" the character itself. 1 match, 0 not.
 * Linear space, at worst O(len(glob) * len(path)) time.
 */
int cl_reuse_dep5_glob(const char *glob, size_t glob_len, const char *path);

void cl_reuse_dep5_free(struct cl_reuse_dep5 *dep5);

#endif
