/*
 * deps_git.h - git submodules: .gitmodules (purl-ish type "gitsubmodule").
 *
 * Layer rule: as deps.h; a small strict reader of the git-config syntax
 * (sections, subsections with escapes, quoted values, ';'/'#' comments,
 * backslash continuations). This module does not read git: the pinned
 * commit of a submodule is the gitlink entry in the tree, which only the
 * caller can see.
 *
 * One dependency per [submodule "NAME"] section that has a url or a path
 * (sections of the same NAME merge, the last value wins, as in git-config):
 * name = the url (the path when there is no url), version = NULL from the
 * plain parser, relation direct, scope runtime, line = the section header.
 *
 * Attaching gitlink commits: struct cl_dep has no field for the submodule's
 * path, so a commit cannot be attached to a parsed list afterwards by path.
 * Instead call cl_deps_gitmodules_parse_ext() with a callback that looks up
 * the gitlink at a submodule path in the tree being inspected; its answer
 * becomes the version.
 */
#ifndef CL_DEPS_GIT_H
#define CL_DEPS_GIT_H

#include "deps.h"

/*
 * Look up the gitlink at `sub_path` (as written in .gitmodules).
 * @param out_commit  set to the commit's hex id (copied before the next call)
 * @return 0, CL_ENOTFOUND when the tree has no gitlink there (the dependency
 *         is then reported without a version), or another negative code,
 *         which aborts the parse and is passed up unchanged.
 */
typedef int (*cl_deps_gitlink_cb)(const char **out_commit, const char *sub_path, void *payload);

/* The plain parser of the format table: versions are NULL. */
int cl_deps_gitmodules_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len);

/* As above, with versions from `cb` (NULL: none). Failure leaves `out` as it was. */
int cl_deps_gitmodules_parse_ext(struct cl_dep_list *out, const char *path, const char *data, size_t len,
				 cl_deps_gitlink_cb cb, void *payload);

/* {".gitmodules"}, then a zero entry. */
extern const struct cl_dep_format cl_deps_git_formats[];

#endif
