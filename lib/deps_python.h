/*
 * deps_python.h - Python package dependencies (ecosystem "pypi").
 *
 * Layer rule: pure parsers over deps.h, toml.h and Jansson; no files, no
 * network. Every name is normalised as PEP 503 says (lowercase, each run
 * of "-", "_" and "." becomes one "-"), so "Django" in a manifest and
 * "django" in a lock file are the same package.
 *
 * requirements*.txt (pip's requirements-file format): one PEP 508
 * requirement per logical line ("\" joins lines, "#" at the start or after
 * white space starts a comment). Version = the specifier without blanks
 * (">=2.8.1,==2.8.*"), NULL when there is none; extras are dropped.
 * Environment markers (after ";") are NOT evaluated: the dependency is
 * kept whatever the marker says, since the check must see what any
 * platform could install. Per-requirement options (--hash=...) are
 * ignored. `name @ URL` is kept with version NULL. Lines that are only a
 * URL, an archive file name or a local path (`./pkg`, `-e .`, `-e git+...`)
 * name no registry package and are skipped. `-r FILE` / `-c FILE` cannot be
 * followed by a pure parser: cl_deps_requirements_includes() lists them
 * for the caller. Global options (-i, --extra-index-url, ...) are
 * accepted and ignored; an unknown option is an error, as it is for pip.
 * All requirements are direct; the scope is dev when the file's base name
 * contains "dev", test when it contains "test", else runtime.
 *
 * pyproject.toml: PEP 621 [project] dependencies (runtime) and
 * optional-dependencies (optional); PEP 735 [dependency-groups] (test for
 * a group whose name contains "test", else dev; {include-group} entries
 * are skipped, since the included group is listed on its own); PEP 518
 * [build-system] requires (build); Poetry [tool.poetry.dependencies]
 * (runtime, "python" skipped, `optional = true` makes it optional),
 * [tool.poetry.dev-dependencies] (dev) and [tool.poetry.group.G.dependencies]
 * (G "main": runtime; G containing "test": test; else dev). All direct;
 * version = the requirement as written, NULL for git/path/url entries;
 * a Poetry multiple-constraint array joins its versions with " || ".
 *
 * Pipfile: [packages] (runtime) and [dev-packages] (dev), direct.
 *
 * poetry.lock: every [[package]] with its locked version; scope from
 * `category` (old) or `groups` (Poetry 2: "main" present means runtime,
 * else test/dev by the group's name), `optional = true` makes a runtime
 * package optional. The lock does not say which packages the project
 * requires itself (that is in pyproject.toml), so relation is unknown.
 *
 * Pipfile.lock: "default" (runtime) and "develop" (dev); "==1.2.3" becomes
 * "1.2.3"; VCS and path entries have version NULL; relation unknown (the
 * lock mixes direct and transitive packages without saying which).
 *
 * uv.lock: the project's own packages are the [manifest] members when
 * the lock lists them, else the packages whose source is `virtual` or
 * `editable`; they are not reported. Every other [[package]] is, with its
 * locked version (NULL for a dynamic one). Direct: named by a project
 * package's `dependencies` (runtime), `optional-dependencies` (optional)
 * or `dev-dependencies` (test/dev by group name); else transitive with
 * scope runtime (the lock does not say which root pulled it in).
 */
#ifndef CL_DEPS_PYTHON_H
#define CL_DEPS_PYTHON_H

#include "deps.h"

int cl_deps_requirements_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len);
int cl_deps_pyproject_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len);
int cl_deps_pipfile_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len);
int cl_deps_poetry_lock_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len);
int cl_deps_pipfile_lock_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len);
int cl_deps_uv_lock_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len);

/* One `-r FILE` or `-c FILE` line of a requirements file. */
struct cl_deps_include {
	char *path;              /* as written: relative to the including file's directory */
	int constraint;          /* 1 for -c/--constraint (pins versions, adds no dependency) */
	unsigned int line;
};

struct cl_deps_include_list {
	struct cl_deps_include *items;
	size_t count, alloc;
};

#define CL_DEPS_INCLUDE_LIST_INIT { NULL, 0, 0 }

/**
 * List the files a requirements file includes, so that the caller, who
 * can read the tree, can parse them too (resolving each path against the
 * including file's directory and guarding against cycles and paths that
 * leave the tree). URLs are listed as written; the caller decides.
 *
 * @param out   appended to; unchanged on failure
 * @return 0; CL_EINVALID / CL_ETOOBIG as cl_deps_requirements_parse()
 */
int cl_deps_requirements_includes(struct cl_deps_include_list *out, const char *path,
				  const char *data, size_t len);
void cl_deps_include_list_dispose(struct cl_deps_include_list *list);

/* Lowercase and fold runs of "-_." into "-" (PEP 503), in place. */
void cl_deps_pypi_normalize(char *name);

/* requirements*.txt, pyproject.toml, Pipfile, poetry.lock, Pipfile.lock, uv.lock. */
extern const struct cl_dep_format cl_deps_python_formats[];

#endif
