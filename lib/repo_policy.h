/*
 * repo_policy.h - where a hosted repository keeps its policy.
 *
 * Layer rule: the server side decides the policy, never the pushed commits
 * (DESIGN.md): git config `clearance.policy` (absolute, or relative to the
 * repository directory), else `clearance.yml` in the repository directory.
 */
#ifndef CL_REPO_POLICY_H
#define CL_REPO_POLICY_H

#include <git2.h>

#define CL_REPO_POLICY_FILE "clearance.yml"
#define CL_REPO_POLICY_CONFIG "clearance.policy"

/* The policy path for `repo` (malloc'd); the file need not exist. */
int cl_repo_policy_path(char **out, git_repository *repo);

/* Resolve `path` relative to the repository directory unless absolute (malloc'd). */
int cl_repo_path(char **out, git_repository *repo, const char *path);

#endif
