/*
 * deps.h - third-party dependencies as the manifest and lock-file parsers
 * report them (issue 4: the new-dependency check).
 *
 * Layer rule: one parser file per ecosystem (deps_npm.c, deps_python.c, ...),
 * each a pure function from a file's bytes to a list of struct cl_dep; the
 * table of formats (deps_formats.c) maps file names to parsers. Nothing here
 * reads git, the policy or the network. Structured formats are parsed with
 * real parsers (Jansson, libyaml, toml.h, libxml2), never with regexes.
 */
#ifndef CL_DEPS_H
#define CL_DEPS_H

#include <stddef.h>

enum cl_dep_scope {
	CL_DEP_RUNTIME = 0,
	CL_DEP_DEV,
	CL_DEP_TEST,
	CL_DEP_BUILD,
	CL_DEP_OPTIONAL,
	CL_DEP_PEER
};

enum cl_dep_relation {
	CL_DEP_UNKNOWN = -1,
	CL_DEP_TRANSITIVE = 0,
	CL_DEP_DIRECT = 1
};

/* One dependency. Strings passed to cl_dep_list_add are copied. */
struct cl_dep {
	const char *ecosystem;    /* purl type: "npm", "pypi", "golang", "cargo", "maven", "gem",
	                             "composer", "nuget", "vcpkg", "conan", "gitsubmodule",
	                             "githubactions" */
	const char *name;         /* as the ecosystem spells it ("@scope/pkg", "group:artifact") */
	const char *version;      /* the locked version, else the manifest's requirement; NULL = none */
	enum cl_dep_relation relation;
	enum cl_dep_scope scope;
	const char *license;      /* an SPDX expression the file declares; NULL when it does not */
	const char *manifest;     /* path of the file it came from */
	unsigned int line;        /* 1-based line in the manifest where known; 0 = unknown */
};

struct cl_dep_list {
	struct cl_dep *items;     /* strings owned by the list */
	size_t count, alloc;
};

#define CL_DEP_LIST_INIT { NULL, 0, 0 }

/*
 * Copy `dep` onto the end of the list. The list may keep name, ecosystem
 * and manifest in one allocation: never free or replace those three of
 * an item (version and license are separate, to replace at will).
 */
int cl_dep_list_add(struct cl_dep_list *list, const struct cl_dep *dep);
void cl_dep_list_dispose(struct cl_dep_list *list);

/* "runtime", "dev", "test", "build", "optional", "peer". */
const char *cl_dep_scope_name(enum cl_dep_scope scope);

/*
 * A parser: append the dependencies declared in `data` (`len` bytes, not
 * NUL-terminated) of the file at `path` to `out`. A malformed file returns
 * CL_EINVALID with "PATH:LINE:COLUMN: problem" (or "PATH: problem") and
 * leaves `out` as it was; CL_ETOOBIG past the parser's size cap.
 */
typedef int (*cl_dep_parse_fn)(struct cl_dep_list *out, const char *path, const char *data, size_t len);

struct cl_dep_format {
	const char *name;        /* "package-lock.json" */
	const char *match;       /* glob (fnmatch) on the file's base name, e.g.
	                            "requirements*.txt"; a glob with a '/' is matched
	                            against the whole path (the workflows directory) */
	int lockfile;            /* 1 for lock files (versions are exact) */
	cl_dep_parse_fn parse;
};

/*
 * The format of the file at `path` (relative to the top of the tree), or NULL
 * when no parser reads it. The first matching entry of the format tables wins.
 */
const struct cl_dep_format *cl_dep_format_for_path(const char *path);

/* Iterate the formats, for tests and `--help`: NULL past the end. */
const struct cl_dep_format *cl_dep_format_at(size_t i);

#endif
