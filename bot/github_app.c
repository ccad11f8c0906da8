/*
 * github_app.c - RS256 JWTs and cached installation tokens for a GitHub App.
 */
#include "github_app.h"
#include "error.h"

#include <errno.h>
#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Refresh this long before expiry: a job may run for minutes with its token. */
#define APP_TOKEN_MARGIN 300
#define APP_ID_MAX 32

struct cl_github_app {
	char app_id[APP_ID_MAX];
	char installation_id[APP_ID_MAX];
	EVP_PKEY *key;
	pthread_mutex_t lock; /* token, expiry */
	char *token;
	time_t expires;
};

/* GitHub ids are decimal numbers; anything else would end up in a URL path. */
static int app_valid_id(const char *id)
{
	size_t i, n = id ? strlen(id) : 0;
	if (n == 0 || n >= APP_ID_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (id[i] < '0' || id[i] > '9')
			return 0;
	return 1;
}

int cl_github_app_new(struct cl_github_app **out, const char *app_id,
	const char *installation_id, const char *pem, size_t pem_len)
{
	struct cl_github_app *app = NULL;
	BIO *bio = NULL;
	int error = 0;

	if (!app_valid_id(app_id))
		return cl_error_setc(CL_EINVALID, "invalid github app id '%s'", app_id ? app_id : "");
	if (!app_valid_id(installation_id))
		return cl_error_setc(CL_EINVALID, "invalid github app installation id '%s'",
			installation_id ? installation_id : "");
	if (pem_len > 64 * 1024)
		return cl_error_setc(CL_EINVALID, "github app private key is too large");
	app = calloc(1, sizeof(*app));
	CL_CHECK_ALLOC(app);
	pthread_mutex_init(&app->lock, NULL);
	snprintf(app->app_id, sizeof(app->app_id), "%s", app_id);
	snprintf(app->installation_id, sizeof(app->installation_id), "%s", installation_id);
	bio = BIO_new_mem_buf(pem, (int)pem_len);
	CL_CHECK_ALLOC(bio);
	/* Reads PKCS#1 ("RSA PRIVATE KEY", what GitHub hands out) and PKCS#8. */
	app->key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	if (app->key == NULL || EVP_PKEY_base_id(app->key) != EVP_PKEY_RSA) {
		error = cl_error_setc(CL_EINVALID, "github app private key is not an RSA key in PEM form");
		goto done;
	}
	*out = app;
	app = NULL;
done:
	BIO_free(bio);
	cl_github_app_free(app);
	return error;
}

int cl_github_app_new_from_file(struct cl_github_app **out, const char *app_id,
	const char *installation_id, const char *pem_path)
{
	struct cl_buf pem = CL_BUF_INIT;
	int error;

	cl_buf_init(&pem, 64 * 1024);
	if ((error = cl_buf_read_path(&pem, pem_path)) < 0)
		goto done;
	error = cl_github_app_new(out, app_id, installation_id, cl_buf_cstr(&pem), pem.size);
done:
	if (pem.ptr)
		memset(pem.ptr, 0, pem.size);
	cl_buf_dispose(&pem);
	return error;
}

void cl_github_app_free(struct cl_github_app *app)
{
	if (app == NULL)
		return;
	EVP_PKEY_free(app->key);
	if (app->token) {
		memset(app->token, 0, strlen(app->token));
		free(app->token);
	}
	pthread_mutex_destroy(&app->lock);
	free(app);
}

/* base64url without padding (RFC 7515 section 2). */
static int app_b64url(struct cl_buf *out, const unsigned char *data, size_t len)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i;
	int error = 0;

	for (i = 0; i + 2 < len && error == 0; i += 3) {
		unsigned long v = ((unsigned long)data[i] << 16) | ((unsigned long)data[i + 1] << 8) | data[i + 2];
		char q[4] = { tab[(v >> 18) & 63], tab[(v >> 12) & 63], tab[(v >> 6) & 63], tab[v & 63] };
		error = cl_buf_put(out, q, 4);
	}
	if (error == 0 && len - i == 1) {
		unsigned long v = (unsigned long)data[i] << 16;
		char q[2] = { tab[(v >> 18) & 63], tab[(v >> 12) & 63] };
		error = cl_buf_put(out, q, 2);
	} else if (error == 0 && len - i == 2) {
		unsigned long v = ((unsigned long)data[i] << 16) | ((unsigned long)data[i + 1] << 8);
		char q[3] = { tab[(v >> 18) & 63], tab[(v >> 12) & 63], tab[(v >> 6) & 63] };
		error = cl_buf_put(out, q, 3);
	}
	return error;
}

int cl_github_app_jwt(char **out, struct cl_github_app *app, time_t now)
{
	struct cl_buf jwt = CL_BUF_INIT, claims = CL_BUF_INIT;
	static const char header[] = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
	EVP_MD_CTX *md = NULL;
	unsigned char *sig = NULL;
	size_t siglen = 0;
	int error = 0;

	cl_buf_init(&jwt, 16 * 1024);
	cl_buf_init(&claims, 1024);
	/* iss as a string: GitHub accepts both, and the id was validated as digits. */
	if ((error = cl_buf_printf(&claims, "{\"iat\":%lld,\"exp\":%lld,\"iss\":\"%s\"}",
		(long long)now - 60, (long long)now + 540, app->app_id)) < 0)
		goto done;
	if ((error = app_b64url(&jwt, (const unsigned char *)header, strlen(header))) < 0 ||
	    (error = cl_buf_putc(&jwt, '.')) < 0 ||
	    (error = app_b64url(&jwt, (const unsigned char *)claims.ptr, claims.size)) < 0)
		goto done;
	md = EVP_MD_CTX_new();
	CL_CHECK_ALLOC(md);
	if (EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, app->key) != 1 ||
	    EVP_DigestSign(md, NULL, &siglen, (const unsigned char *)jwt.ptr, jwt.size) != 1) {
		error = cl_error_set("cannot sign github app jwt");
		goto done;
	}
	sig = malloc(siglen);
	CL_CHECK_ALLOC(sig);
	if (EVP_DigestSign(md, sig, &siglen, (const unsigned char *)jwt.ptr, jwt.size) != 1) {
		error = cl_error_set("cannot sign github app jwt");
		goto done;
	}
	if ((error = cl_buf_putc(&jwt, '.')) < 0 || (error = app_b64url(&jwt, sig, siglen)) < 0)
		goto done;
	*out = cl_buf_detach(&jwt);
	CL_CHECK_ALLOC(*out);
done:
	EVP_MD_CTX_free(md);
	free(sig);
	cl_buf_dispose(&jwt);
	cl_buf_dispose(&claims);
	return error;
}

/* "2016-07-11T22:14:10Z" (what GitHub returns) to epoch seconds, or -1. */
static time_t app_parse_time(const char *s)
{
	struct tm tm;
	char z = 0;
	memset(&tm, 0, sizeof(tm));
	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon,
		&tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z) != 7 || z != 'Z')
		return (time_t)-1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

/* Ask GitHub for a new installation token. Called with app->lock held. */
static int app_fetch_token(struct cl_github_app *app, struct cl_http_client *http,
	const char *api_base, time_t now)
{
	struct cl_http_request req = CL_HTTP_REQUEST_INIT;
	struct cl_http_response resp = CL_HTTP_RESPONSE_INIT;
	struct cl_buf url = CL_BUF_INIT, auth = CL_BUF_INIT;
	const char *headers[5];
	char *jwt = NULL, *token = NULL;
	json_t *root = NULL;
	json_error_t jerr;
	const char *tok, *exp;
	time_t expires;
	size_t blen = strlen(api_base);
	int error;

	cl_buf_init(&url, 4096);
	cl_buf_init(&auth, 16 * 1024);
	if ((error = cl_github_app_jwt(&jwt, app, now)) < 0 ||
	    (error = cl_http_client_add_secret(http, jwt)) < 0)
		goto done;
	while (blen > 0 && api_base[blen - 1] == '/')
		blen--;
	if ((error = cl_buf_printf(&url, "%.*s/app/installations/%s/access_tokens",
		(int)blen, api_base, app->installation_id)) < 0 ||
	    (error = cl_buf_printf(&auth, "Authorization: Bearer %s", jwt)) < 0)
		goto done;
	headers[0] = auth.ptr;
	headers[1] = "Accept: application/vnd.github+json";
	headers[2] = "X-GitHub-Api-Version: 2022-11-28";
	headers[3] = "Content-Type: application/json";
	headers[4] = NULL;
	req.method = "POST";
	req.url = url.ptr;
	req.headers = headers;
	req.body = "{}";
	req.body_len = 2;
	if ((error = cl_http_client_send(&resp, http, &req)) < 0)
		goto done;
	if (resp.status != 201 && resp.status != 200) {
		error = cl_error_set("github app installation %s: token request answered %ld",
			app->installation_id, resp.status);
		goto done;
	}
	root = json_loadb(resp.body.ptr ? resp.body.ptr : "", resp.body.size, 0, &jerr);
	tok = json_string_value(json_object_get(root, "token"));
	exp = json_string_value(json_object_get(root, "expires_at"));
	expires = app_parse_time(exp);
	if (tok == NULL || *tok == '\0' || expires == (time_t)-1) {
		error = cl_error_set("github app installation %s: unreadable token answer",
			app->installation_id);
		goto done;
	}
	token = strdup(tok);
	CL_CHECK_ALLOC(token);
	if ((error = cl_http_client_add_secret(http, token)) < 0)
		goto done;
	if (app->token) {
		memset(app->token, 0, strlen(app->token));
		free(app->token);
	}
	app->token = token;
	app->expires = expires;
	token = NULL;
done:
	if (jwt) {
		memset(jwt, 0, strlen(jwt));
		free(jwt);
	}
	if (auth.ptr)
		memset(auth.ptr, 0, auth.size);
	free(token);
	json_decref(root);
	cl_http_response_dispose(&resp);
	cl_buf_dispose(&url);
	cl_buf_dispose(&auth);
	return error;
}

int cl_github_app_token(char **out, struct cl_github_app *app,
	struct cl_http_client *http, const char *api_base, time_t now)
{
	int error = 0;
	char *copy;

	pthread_mutex_lock(&app->lock);
	if (app->token == NULL || now + APP_TOKEN_MARGIN >= app->expires)
		if ((error = app_fetch_token(app, http, api_base, now)) < 0)
			goto done;
	copy = strdup(app->token);
	CL_CHECK_ALLOC(copy);
	*out = copy;
done:
	pthread_mutex_unlock(&app->lock);
	return error;
}

time_t cl_github_app_token_expiry(struct cl_github_app *app)
{
	time_t t;
	pthread_mutex_lock(&app->lock);
	t = app->token ? app->expires : 0;
	pthread_mutex_unlock(&app->lock);
	return t;
}
