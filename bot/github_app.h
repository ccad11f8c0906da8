/*
 * github_app.h - GitHub App authentication: JWT (RS256) and installation tokens.
 *
 * Layer rule: bot-only; uses http_client.h for the one call it makes
 * (POST /app/installations/{id}/access_tokens) and OpenSSL for signing.
 * The private key stays inside this module; tokens and JWTs it makes are
 * registered as secrets with the HTTP client so they are never logged.
 *
 * Thread-safety: cl_github_app_token may be called from several workers;
 * one of them refreshes the cached token while the others wait for it.
 */
#ifndef CL_GITHUB_APP_H
#define CL_GITHUB_APP_H

#include "http_client.h"

#include <stddef.h>
#include <time.h>

struct cl_github_app;

/*
 * Load an app's identity. `pem` is the private key GitHub generated for
 * the app (PKCS#1 "RSA PRIVATE KEY" or PKCS#8), `pem_len` bytes.
 * @return 0, or CL_EINVALID (bad id, not an RSA key), CL_ERROR
 */
int cl_github_app_new(struct cl_github_app **out, const char *app_id,
	const char *installation_id, const char *pem, size_t pem_len);

/* Same, reading the key from a file. @return as above, or CL_ENOTFOUND / CL_ERROR when unreadable */
int cl_github_app_new_from_file(struct cl_github_app **out, const char *app_id,
	const char *installation_id, const char *pem_path);

void cl_github_app_free(struct cl_github_app *app);

/*
 * The app's JWT at time `now`: header {"alg":"RS256","typ":"JWT"}, claims
 * iat = now - 60 (GitHub's advice against clock drift), exp = now + 540
 * (under GitHub's 10-minute limit, with the same drift allowance), iss = app id.
 * @return 0 with a malloc'd string in *out, or CL_ERROR
 */
int cl_github_app_jwt(char **out, struct cl_github_app *app, time_t now);

/*
 * An installation access token, from the cache while it has more than
 * five minutes left (a token taken near the end could expire mid-job),
 * otherwise freshly made with POST {api_base}/app/installations/{id}/access_tokens.
 * @param api_base  "https://api.github.com" or "https://HOST/api/v3"
 * @return 0 with a malloc'd copy in *out, or CL_ERROR (forge refused,
 *         unreadable answer) with a message that holds no secret
 */
int cl_github_app_token(char **out, struct cl_github_app *app,
	struct cl_http_client *http, const char *api_base, time_t now);

/* When the cached token expires (0 when none is cached). For tests and /metrics. */
time_t cl_github_app_token_expiry(struct cl_github_app *app);

#endif
