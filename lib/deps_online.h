/*
 * deps_online.h - a dependency's license from an online source: deps.dev
 * (API v3) or ClearlyDefined, disabled by default (issue 4, item 3: offline
 * first; this is the last resort before "unknown").
 *
 * Layer rule: libcurl for the request, Jansson for the answer, the SQLite
 * store (db.h, module "license_cache") for the cache; nothing here knows the
 * policy. The network and the clock go through a table (deps_online_priv.h)
 * so that tests can stand in for both.
 *
 * Requests (one per dependency not yet cached):
 *   deps.dev        GET {base}/v3/systems/{system}/packages/{name}/versions/{version}
 *                   -> "licenses": [SPDX expression, ...]
 *                   systems: npm, pypi, go, maven, cargo, nuget, rubygems
 *   ClearlyDefined  GET {base}/definitions/{type}/{provider}/{namespace}/{name}/{revision}
 *                   -> "licensed": {"declared": SPDX expression}
 *                   types: npm, pypi, go, maven, crate, nuget, gem, composer
 * Every path segment is percent-encoded ("@types/node" is one segment,
 * "%40types%2Fnode"). Other ecosystems (vcpkg, conan, submodules, actions)
 * are CL_ENOTFOUND without a request.
 *
 * Answers are normalised to one canonical SPDX expression (spdx.h): several
 * deps.dev licenses are all in force, so they are joined with AND. NOASSERTION,
 * NONE, "non-standard", ClearlyDefined's OTHER, an empty list, an expression
 * that is not SPDX, or any one of several licenses being such, mean the
 * source does not know: CL_ENOTFOUND, the policy's "unknown license".
 *
 * Cache: both kinds of answer are kept, a license for CL_DEPS_ONLINE_TTL and
 * "the source has none" for CL_DEPS_ONLINE_NEGATIVE_TTL (packages get
 * curated, so the negative answer is asked again sooner). Errors (timeouts,
 * 5xx, malformed answers) are never cached.
 */
#ifndef CL_DEPS_ONLINE_H
#define CL_DEPS_ONLINE_H

#include "deps.h"

/* How long an answer stays in the cache, in seconds. */
#define CL_DEPS_ONLINE_TTL (30L * 24 * 3600)
#define CL_DEPS_ONLINE_NEGATIVE_TTL (24L * 3600)

/* A response body larger than this is refused: a version's record is a few KiB. */
#define CL_DEPS_ONLINE_MAX_RESPONSE ((size_t)1 << 20)

struct cl_deps_online_options {
	int enabled;              /* 0: every lookup is CL_ENOTFOUND, no request */
	const char *provider;     /* "depsdev" | "clearlydefined" */
	const char *base_url;     /* NULL: https://api.deps.dev or https://api.clearlydefined.io */
	const char *cache_path;   /* the SQLite store; NULL: no cache */
	long timeout_ms;          /* whole request, connection included */
};

#define CL_DEPS_ONLINE_OPTIONS_INIT { 0, "depsdev", NULL, NULL, 5000 }

struct cl_deps_online;

/*
 * Make a license source. Opens (creating, migrating) the cache store when
 * `opts->cache_path` is set and the source is enabled; makes no request.
 * @param opts  NULL: CL_DEPS_ONLINE_OPTIONS_INIT (disabled)
 * @return 0; CL_EINVALID for an unknown provider, a base URL that is not
 *         http(s), or a timeout <= 0; what cl_db_open returns; CL_ERROR when
 *         out of memory. Nothing is left allocated on failure.
 */
int cl_deps_online_new(struct cl_deps_online **out, const struct cl_deps_online_options *opts);

/*
 * The license the source records for `dep` (ecosystem, name, version).
 * @param out_expr  on success a malloc'd canonical SPDX expression, which
 *                  the caller frees
 * @return 0; CL_ENOTFOUND when the source has none (disabled, unsupported
 *         ecosystem, no version, HTTP 404, no or unknown license); CL_ERROR
 *         for a transport failure or timeout, another HTTP status, a body
 *         over CL_DEPS_ONLINE_MAX_RESPONSE, or a malformed answer, with a
 *         message naming the dependency and the URL; cache write failures
 *         are not errors (the answer is returned, uncached).
 * Cost: one cache read; on a miss one HTTP request of at most timeout_ms.
 * Thread safety: one object per thread.
 */
int cl_deps_online_license(char **out_expr, struct cl_deps_online *o, const struct cl_dep *dep);

/* Close the cache and the connection; NULL is a no-op. */
void cl_deps_online_free(struct cl_deps_online *o);

#endif
