/*
 * mirror.c - bare mirrors of forge repositories, fetched with libgit2.
 */
#include "mirror.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

/* A forge name segment: what GitHub and Gitea allow in owner and repo names. */
static int mirror_segment_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 100 || s[0] == '.')
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

int cl_mirror_path(char *buf, size_t size, const char *cache_dir, const char *name)
{
	const char *slash = strchr(name, '/');
	int n;

	if (!slash || strchr(slash + 1, '/') ||
	    !mirror_segment_ok(name, (size_t)(slash - name)) ||
	    !mirror_segment_ok(slash + 1, strlen(slash + 1)))
		return cl_error_setc(CL_EINVALID, "'%s' is not an owner/repo repository name", name);
	n = snprintf(buf, size, "%s/%.*s/%s.git", cache_dir, (int)(slash - name), name, slash + 1);
	if (n < 0 || (size_t)n >= size)
		return cl_error_setc(CL_EINVALID, "mirror path for '%s' is too long", name);
	return 0;
}

static int mirror_mkdirs(const char *path)
{
	char tmp[4096];
	size_t i, len = strlen(path);

	if (len >= sizeof(tmp))
		return cl_error_set("path too long '%s'", path);
	memcpy(tmp, path, len + 1);
	for (i = 1; i <= len; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		tmp[i] = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return cl_error_from_errno(tmp);
		if (i < len)
			tmp[i] = '/';
	}
	return 0;
}

struct mirror_auth {
	const struct cl_mirror_options *opts;
	int tries;
};

static int mirror_credentials(git_credential **out, const char *url,
	const char *username_from_url, unsigned int allowed_types, void *payload)
{
	struct mirror_auth *auth = payload;
	(void)url;
	(void)username_from_url;

	/* libgit2 asks again after a rejected credential; once is enough. */
	if (!auth->opts->token || auth->tries++ > 0 ||
	    !(allowed_types & GIT_CREDENTIAL_USERPASS_PLAINTEXT))
		return GIT_PASSTHROUGH;
	return git_credential_userpass_plaintext_new(out,
		auth->opts->token_user ? auth->opts->token_user : "x-access-token",
		auth->opts->token);
}

/* libgit2 may quote the URL in its message; a URL never carries the token
 * here (it goes through the callback), so the message is safe to show. */
static int mirror_git_error(const char *what, const char *name)
{
	const git_error *e = git_error_last();
	return cl_error_set("%s '%s': %s", what, name, e && e->message ? e->message : "unknown error");
}

static int mirror_open(git_repository **out, const char *path, const char *name)
{
	if (git_repository_open_bare(out, path) == 0)
		return 0;
	if (git_repository_init(out, path, 1) < 0)
		return mirror_git_error("cannot create mirror of", name);
	return 0;
}

int cl_mirror_fetch(git_repository **out, struct cl_mirror_stats *stats,
	const struct cl_mirror_options *opts, const char *name, const char *url,
	const char *const *refspecs, size_t refspec_count)
{
	char path[4096], lock[4200];
	git_repository *repo = NULL;
	git_remote *remote = NULL;
	git_fetch_options fetch;
	git_remote_create_options create;
	git_strarray specs = { (char **)refspecs, refspec_count };
	struct mirror_auth auth = { opts, 0 };
	int lock_fd = -1, error;

	if ((error = cl_mirror_path(path, sizeof(path), opts->cache_dir, name)) < 0)
		return error;
	if ((error = mirror_mkdirs(path)) < 0)
		return error;
	snprintf(lock, sizeof(lock), "%s.lock", path);
	if ((lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0)
		return cl_error_from_errno(lock);
	while ((error = flock(lock_fd, LOCK_EX)) < 0 && errno == EINTR)
		;
	if (error < 0) {
		error = cl_error_from_errno(lock);
		goto done;
	}

	if ((error = mirror_open(&repo, path, name)) < 0)
		goto done;
	git_remote_create_options_init(&create, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	/*
	 * Anonymous: nothing about the forge, least of all a token, lands in
	 * config. No insteadOf rewriting either: the forge's URL is the URL,
	 * whatever the host's ~/.gitconfig says.
	 */
	create.repository = repo;
	create.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if (git_remote_create_with_opts(&remote, url, &create) < 0) {
		error = mirror_git_error("cannot set up fetch for", name);
		goto done;
	}
	git_fetch_options_init(&fetch, GIT_FETCH_OPTIONS_VERSION);
	fetch.callbacks.credentials = mirror_credentials;
	fetch.callbacks.payload = &auth;
	fetch.prune = GIT_FETCH_NO_PRUNE;
	fetch.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	fetch.update_fetchhead = 0;
	if (git_remote_fetch(remote, &specs, &fetch, NULL) < 0) {
		error = mirror_git_error("cannot fetch", name);
		goto done;
	}
	if (stats) {
		const git_indexer_progress *p = git_remote_stats(remote);
		stats->received_objects = p->received_objects;
		stats->received_bytes = p->received_bytes;
	}
	*out = repo;
	repo = NULL;
done:
	git_remote_free(remote);
	git_repository_free(repo);
	if (lock_fd >= 0)
		close(lock_fd);   /* releases the flock */
	return error;
}
