#include "repo_policy.h"
#include "buf.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

int cl_repo_path(char **out, git_repository *repo, const char *path)
{
	struct cl_buf buf = CL_BUF_INIT;
	const char *gitdir = git_repository_path(repo);   /* ends with '/' */
	int error;

	if (path[0] == '/')
		error = cl_buf_puts(&buf, path);
	else
		error = cl_buf_printf(&buf, "%s%s", gitdir, path);
	if (error < 0) {
		cl_buf_dispose(&buf);
		return error;
	}
	*out = cl_buf_detach(&buf);
	return *out ? 0 : cl_error_set("out of memory");
}

int cl_repo_policy_path(char **out, git_repository *repo)
{
	git_config *cfg = NULL;
	git_buf value = GIT_BUF_INIT;
	int error;

	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return cl_error_from_git("cannot read repository config");
	error = git_config_get_string_buf(&value, cfg, CL_REPO_POLICY_CONFIG);
	if (error == GIT_ENOTFOUND) {
		git_error_clear();
		error = cl_repo_path(out, repo, CL_REPO_POLICY_FILE);
	} else if (error < 0) {
		error = cl_error_from_git("cannot read " CL_REPO_POLICY_CONFIG);
	} else {
		error = cl_repo_path(out, repo, value.ptr);
	}
	git_buf_dispose(&value);
	git_config_free(cfg);
	return error;
}
