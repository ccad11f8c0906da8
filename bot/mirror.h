/*
 * mirror.h - the bot's local copies of forge repositories.
 *
 * Layer rule: the only place the bot fetches. One bare mirror per forge
 * repository under a cache directory, fetched incrementally with libgit2
 * (only the objects the mirror lacks cross the wire); checks then read the
 * mirror like any repository.
 *
 * Credentials are handed to libgit2 through its credential callback and
 * never written into the mirror's config or URL, so a token cannot leak
 * through `git config` or an error message that quotes the URL.
 */
#ifndef CL_MIRROR_H
#define CL_MIRROR_H

#include <git2.h>
#include <stddef.h>

struct cl_mirror_options {
	const char *cache_dir;    /* root of all mirrors; created when missing */
	const char *token;        /* for private repositories; NULL = anonymous */
	const char *token_user;   /* user name sent with the token; NULL = "x-access-token" */
};
#define CL_MIRROR_OPTIONS_INIT { NULL, NULL, NULL }

struct cl_mirror_stats {
	size_t received_objects;  /* objects this fetch downloaded */
	size_t received_bytes;
};

/*
 * Bring the mirror of `name` ("owner/repo", as the forge names it) up to
 * date from `url` with `refspecs` (e.g. "+refs/heads/main:refs/heads/main",
 * "+refs/pull/7/head:refs/pull/7/head"), creating it on first use, and open it.
 * Fetches of one mirror are serialised with a lock file beside it, so two
 * workers handling the same repository take turns.
 * @param stats may be NULL
 * @return 0; CL_EINVALID when `name` is not a safe owner/repo pair;
 *   CL_ERROR when the fetch fails (the message never contains the token).
 *   On failure nothing is opened; an existing mirror is left as it was.
 */
int cl_mirror_fetch(git_repository **out, struct cl_mirror_stats *stats,
	const struct cl_mirror_options *opts, const char *name, const char *url,
	const char *const *refspecs, size_t refspec_count);

/* The mirror's directory for `name` into `buf` (cache_dir/owner/repo.git). */
int cl_mirror_path(char *buf, size_t size, const char *cache_dir, const char *name);

#endif
