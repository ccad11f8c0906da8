/*
 * deps_actions.h - GitHub Actions: workflow files and composite/docker
 * action metadata (purl type "githubactions"; "docker" for docker://
 * images).
 *
 * Layer rule: as deps.h; YAML read with libyaml (events first, to bound the
 * nesting, then the document tree; anchors and aliases are followed without
 * expansion and each aliased steps list is read once).
 *
 * What is read (one parser for both kinds of file; keys that are absent are
 * simply not there):
 *   jobs.<id>.uses            a reusable workflow
 *   jobs.<id>.steps[].uses    an action
 *   runs.steps[].uses         an action used by a composite action.yml
 *   runs.image                a docker action's image, when "docker://..."
 * A `uses:` value is one of
 *   owner/repo@ref, owner/repo/path@ref  -> name "owner/repo" or
 *                                           "owner/repo/path", version = ref
 *   ./path, ../path                      -> a local action: not a dependency
 *   docker://image[:tag|@digest]         -> ecosystem "docker" (the purl
 *                                           type of container images): name
 *                                           = the image, version = the tag
 *                                           or digest (NULL when neither)
 * A remote action without "@ref" (GitHub rejects it) is still reported, with
 * version NULL, so that the policy sees it. Every dependency is direct, with
 * scope build (CI tooling: it runs on the build machines and does not ship),
 * and line = the line of the `uses:` value. Job containers and services
 * (jobs.<id>.container, .services) are not reported.
 *
 * The table's globs ("*.yml", "*.yaml") match on the base name only: the
 * caller must apply them only to files under .github/workflows/, and to
 * action.yml / action.yaml anywhere.
 */
#ifndef CL_DEPS_ACTIONS_H
#define CL_DEPS_ACTIONS_H

#include "deps.h"

int cl_deps_actions_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len);

/* {"action.yml", "action.yaml", "*.yml", "*.yaml"}, then a zero entry. */
extern const struct cl_dep_format cl_deps_actions_formats[];

#endif
