/*
 * deps_online.c - a dependency's license from deps.dev or ClearlyDefined,
 * cached in the store (see deps_online.h).
 *
 * Divisions: the providers (URLs, reading answers); normalising to SPDX;
 * the cache; HTTP through libcurl; the object.
 */
#include "deps_online.h"
#include "deps_online_priv.h"
#include "buf.h"
#include "db.h"
#include "error.h"
#include "spdx.h"

#include <assert.h>
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A URL longer than this is refused: names and versions are short. */
#define ONLINE_MAX_URL ((size_t)8192)
/* The canonical expression we return; deps.dev's longest are a few hundred bytes. */
#define ONLINE_MAX_EXPR ((size_t)4096)

struct cl_deps_online {
	int enabled;
	const struct online_provider *provider;
	char *base_url;                 /* no trailing '/' */
	long timeout_ms;
	sqlite3 *db;                    /* NULL: no cache */
	CURL *curl;                     /* kept across lookups: one connection, kept alive */
	struct cl_deps_online_sys sys;
};

/* ---- the providers --------------------------------------------------------- */

/* One ecosystem as a provider names it. */
struct online_system {
	const char *ecosystem;   /* cl_dep.ecosystem */
	const char *type;        /* deps.dev system; ClearlyDefined type */
	const char *registry;    /* ClearlyDefined provider; NULL for deps.dev */
};

/* deps.dev v3 "System" values (lower case is accepted in paths). */
static const struct online_system depsdev_systems[] = {
	{ "npm", "npm", NULL },
	{ "pypi", "pypi", NULL },
	{ "golang", "go", NULL },
	{ "maven", "maven", NULL },
	{ "cargo", "cargo", NULL },
	{ "nuget", "nuget", NULL },
	{ "gem", "rubygems", NULL },
};

/* ClearlyDefined coordinates: type/provider (docs: "Coordinates"). */
static const struct online_system clearlydefined_systems[] = {
	{ "npm", "npm", "npmjs" },
	{ "pypi", "pypi", "pypi" },
	{ "golang", "go", "golang" },
	{ "maven", "maven", "mavencentral" },
	{ "cargo", "crate", "cratesio" },
	{ "nuget", "nuget", "nuget" },
	{ "gem", "gem", "rubygems" },
	{ "composer", "composer", "packagist" },
};

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const struct online_system *online_system_find(const struct online_system *table, size_t n,
	const char *ecosystem)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strcmp(table[i].ecosystem, ecosystem) == 0)
			return &table[i];
	return NULL;
}

/*
 * Append `s` (`len` bytes) as one path segment: everything but RFC 3986
 * unreserved is %XX. A segment "." or ".." is encoded whole, or libcurl
 * would remove it as a dot-segment and a package named ".." in a hostile
 * lock file would ask for another path.
 */
static int online_put_segment(struct cl_buf *url, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	int dots = (len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.');
	size_t i;
	int error;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[3];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || (c == '.' && !dots) || c == '_' || c == '~') {
			if ((error = cl_buf_putc(url, (char)c)) < 0)
				return error;
			continue;
		}
		esc[0] = '%';
		esc[1] = hex[c >> 4];
		esc[2] = hex[c & 15];
		if ((error = cl_buf_put(url, esc, 3)) < 0)
			return error;
	}
	return 0;
}

static int depsdev_url(struct cl_buf *url, const char *base, const struct cl_dep *dep)
{
	const struct online_system *sys = online_system_find(depsdev_systems, N_ELEMS(depsdev_systems),
		dep->ecosystem);
	int error;

	if (!sys)
		return CL_ENOTFOUND;
	if ((error = cl_buf_printf(url, "%s/v3/systems/%s/packages/", base, sys->type)) < 0 ||
	    (error = online_put_segment(url, dep->name, strlen(dep->name))) < 0 ||
	    (error = cl_buf_puts(url, "/versions/")) < 0 ||
	    (error = online_put_segment(url, dep->version, strlen(dep->version))) < 0)
		return error;
	return 0;
}

/*
 * ClearlyDefined splits a name into namespace and name, "-" when there is
 * no namespace: npm "@scope/name", Maven "group:artifact", Composer
 * "vendor/name", Go "host/path/name" (the namespace "host/path", one
 * encoded segment).
 */
static int clearlydefined_url(struct cl_buf *url, const char *base, const struct cl_dep *dep)
{
	const struct online_system *sys = online_system_find(clearlydefined_systems,
		N_ELEMS(clearlydefined_systems), dep->ecosystem);
	const char *name = dep->name, *sep = NULL;
	int error;

	if (!sys)
		return CL_ENOTFOUND;
	if (strcmp(sys->type, "maven") == 0)
		sep = strchr(name, ':');
	else if (strcmp(sys->type, "go") == 0)
		sep = strrchr(name, '/');
	else if ((strcmp(sys->type, "npm") == 0 && name[0] == '@') || strcmp(sys->type, "composer") == 0)
		sep = strchr(name, '/');
	if ((error = cl_buf_printf(url, "%s/definitions/%s/%s/", base, sys->type, sys->registry)) < 0)
		return error;
	if (sep && sep > name && sep[1]) {
		if ((error = online_put_segment(url, name, (size_t)(sep - name))) < 0)
			return error;
		name = sep + 1;
	} else if ((error = cl_buf_putc(url, '-')) < 0) {
		return error;
	}
	if ((error = cl_buf_putc(url, '/')) < 0 ||
	    (error = online_put_segment(url, name, strlen(name))) < 0 ||
	    (error = cl_buf_putc(url, '/')) < 0 ||
	    (error = online_put_segment(url, dep->version, strlen(dep->version))) < 0)
		return error;
	return 0;
}

/*
 * Read the license strings of an answer into `items` (pointers into
 * `root`). 0 with *n = 0 when the answer has none; CL_EINVALID (message
 * without the URL, which the caller adds) when the shape is wrong.
 */
typedef int (*online_read_fn)(const char **items, size_t max, size_t *n, const json_t *root);

/*
 * deps.dev: {"versionKey": ..., "licenses": ["MIT"], ...}. The API is
 * proto3 JSON, which leaves out empty lists, so no "licenses" is none.
 */
static int depsdev_read(const char **items, size_t max, size_t *n, const json_t *root)
{
	const json_t *licenses = json_object_get(root, "licenses"), *v;
	size_t i;

	*n = 0;
	if (!licenses)
		return 0;
	if (!json_is_array(licenses))
		return cl_error_setc(CL_EINVALID, "'licenses' is not an array");
	if (json_array_size(licenses) > max)
		return cl_error_setc(CL_EINVALID, "more than %zu licenses", max);
	json_array_foreach(licenses, i, v) {
		if (!json_is_string(v))
			return cl_error_setc(CL_EINVALID, "'licenses' holds a non-string");
		items[(*n)++] = json_string_value(v);
	}
	return 0;
}

/*
 * ClearlyDefined: {"licensed": {"declared": "MIT", ...}, ...}. A component
 * it has not harvested still answers 200, with no "declared".
 */
static int clearlydefined_read(const char **items, size_t max, size_t *n, const json_t *root)
{
	const json_t *licensed = json_object_get(root, "licensed"), *declared;

	*n = 0;
	(void)max;
	if (!licensed)
		return 0;
	if (!json_is_object(licensed))
		return cl_error_setc(CL_EINVALID, "'licensed' is not an object");
	declared = json_object_get(licensed, "declared");
	if (!declared)
		return 0;
	if (!json_is_string(declared))
		return cl_error_setc(CL_EINVALID, "'licensed.declared' is not a string");
	items[(*n)++] = json_string_value(declared);
	return 0;
}

struct online_provider {
	const char *name;
	const char *default_base;
	int (*url)(struct cl_buf *url, const char *base, const struct cl_dep *dep);
	online_read_fn read;
};

static const struct online_provider online_providers[] = {
	{ "depsdev", "https://api.deps.dev", depsdev_url, depsdev_read },
	{ "clearlydefined", "https://api.clearlydefined.io", clearlydefined_url, clearlydefined_read },
};

/* ---- normalising to SPDX ------------------------------------------------------- */

/* Ids that say "nobody knows": SPDX's own, deps.dev's and ClearlyDefined's. */
static const char *const online_unknown_ids[] = { "NOASSERTION", "NONE", "non-standard", "OTHER" };

static int online_unknown_id(const char *id, int is_exception, void *payload)
{
	size_t i;

	(void)is_exception;
	(void)payload;
	for (i = 0; i < N_ELEMS(online_unknown_ids); i++)
		if (strcasecmp(id, online_unknown_ids[i]) == 0)
			return 1;
	return 0;
}

/*
 * Join `items` with AND into one canonical expression. CL_ENOTFOUND when
 * there are none, or when any is empty, not SPDX, or names an unknown:
 * "MIT AND non-standard" is not MIT.
 */
static int online_normalise(char **out, const char *const *items, size_t n)
{
	struct cl_buf joined = CL_BUF_INIT, canon = CL_BUF_INIT;
	struct cl_spdx_expr *expr = NULL;
	size_t i;
	int error;

	cl_buf_init(&joined, ONLINE_MAX_EXPR);
	cl_buf_init(&canon, ONLINE_MAX_EXPR);
	if (n == 0) {
		error = CL_ENOTFOUND;
		goto done;
	}
	for (i = 0; i < n; i++) {
		if (items[i][strspn(items[i], " \t")] == '\0') {
			error = CL_ENOTFOUND;
			goto done;
		}
		if ((error = cl_buf_printf(&joined, "%s(%s)", i ? " AND " : "", items[i])) < 0)
			goto done;
	}
	/* lax: deps.dev passes some registries' "mit or apache-2.0" through */
	if (cl_spdx_parse_ext(&expr, joined.ptr, joined.size, CL_SPDX_PARSE_LAX) < 0 ||
	    cl_spdx_expr_foreach_id(expr, online_unknown_id, NULL) != 0) {
		error = CL_ENOTFOUND;
		goto done;
	}
	if ((error = cl_spdx_expr_to_string(&canon, expr)) < 0)
		goto done;
	*out = cl_buf_detach(&canon);
	CL_CHECK_ALLOC(*out);
	error = 0;
done:
	if (error == CL_ENOTFOUND || error == CL_ETOOBIG)
		cl_error_clear();
	if (error == CL_ETOOBIG)
		error = CL_ENOTFOUND;   /* an expression this long is not one a policy can judge */
	cl_spdx_expr_free(expr);
	cl_buf_dispose(&joined);
	cl_buf_dispose(&canon);
	return error;
}

/* ---- the cache ---------------------------------------------------------------- */

static const struct cl_db_migration online_migrations[] = {
	{ "license_cache", 1,
	  "CREATE TABLE license_cache ("
	  " provider TEXT NOT NULL, ecosystem TEXT NOT NULL, name TEXT NOT NULL, version TEXT NOT NULL,"
	  " license TEXT,"                 /* NULL: the source has none */
	  " fetched_at INTEGER NOT NULL,"  /* unix time of the answer */
	  " PRIMARY KEY (provider, ecosystem, name, version))" },
};

static time_t online_now(struct cl_deps_online *o)
{
	return o->sys.now ? o->sys.now(o->sys.ctx) : time(NULL);
}

static int online_bind_key(sqlite3_stmt *st, struct cl_deps_online *o, const struct cl_dep *dep)
{
	if (sqlite3_bind_text(st, 1, o->provider->name, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 2, dep->ecosystem, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_bind_text(st, 3, dep->name, -1, SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_bind_text(st, 4, dep->version, -1, SQLITE_TRANSIENT) != SQLITE_OK)
		return cl_error_from_sqlite(o->db, "cannot query the license cache");
	return 0;
}

/*
 * A fresh cached answer: 0 with *out_expr (NULL for "the source has none"),
 * CL_ENOTFOUND when there is no fresh entry, CL_ERROR when the store fails.
 */
static int online_cache_get(char **out_expr, struct cl_deps_online *o, const struct cl_dep *dep)
{
	sqlite3_stmt *st = NULL;
	char *expr = NULL;
	int error, rc;

	if (sqlite3_prepare_v2(o->db, "SELECT license, fetched_at FROM license_cache"
			" WHERE provider = ?1 AND ecosystem = ?2 AND name = ?3 AND version = ?4",
			-1, &st, NULL) != SQLITE_OK) {
		error = cl_error_from_sqlite(o->db, "cannot query the license cache");
		goto done;
	}
	if ((error = online_bind_key(st, o, dep)) < 0)
		goto done;
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		error = CL_ENOTFOUND;
		goto done;
	}
	if (rc != SQLITE_ROW) {
		error = cl_error_from_sqlite(o->db, "cannot query the license cache");
		goto done;
	}
	{
		const unsigned char *license = sqlite3_column_text(st, 0);
		long long age = (long long)online_now(o) - sqlite3_column_int64(st, 1);
		long ttl = license ? CL_DEPS_ONLINE_TTL : CL_DEPS_ONLINE_NEGATIVE_TTL;

		/* a clock set back makes a negative age: not fresh, ask again */
		if (age < 0 || age >= ttl) {
			error = CL_ENOTFOUND;
			goto done;
		}
		if (license) {
			expr = strdup((const char *)license);
			CL_CHECK_ALLOC(expr);
		}
	}
	*out_expr = expr;
	expr = NULL;
	error = 0;
done:
	free(expr);
	sqlite3_finalize(st);
	return error;
}

static int online_cache_put(struct cl_deps_online *o, const struct cl_dep *dep, const char *expr)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	if (sqlite3_prepare_v2(o->db, "INSERT OR REPLACE INTO license_cache"
			" (provider, ecosystem, name, version, license, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			-1, &st, NULL) != SQLITE_OK) {
		error = cl_error_from_sqlite(o->db, "cannot write the license cache");
		goto done;
	}
	if ((error = online_bind_key(st, o, dep)) < 0)
		goto done;
	if ((expr ? sqlite3_bind_text(st, 5, expr, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, 5)) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 6, (sqlite3_int64)online_now(o)) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE)
		error = cl_error_from_sqlite(o->db, "cannot write the license cache");
done:
	sqlite3_finalize(st);
	return error;
}

/* ---- HTTP through libcurl -------------------------------------------------------- */

struct online_sink {
	struct cl_buf *body;
	int error;          /* what cl_buf_put said when it refused */
};

static size_t online_write_cb(char *data, size_t size, size_t nmemb, void *payload)
{
	struct online_sink *sink = payload;
	size_t n = size * nmemb;

	/* a short count makes libcurl fail the transfer with CURLE_WRITE_ERROR */
	if ((sink->error = cl_buf_put(sink->body, data, n)) < 0)
		return 0;
	return n;
}

static int online_curl_get(long *status, struct cl_buf *body, const char *url, long timeout_ms, void *ctx)
{
	struct cl_deps_online *o = ctx;
	struct online_sink sink = { body, 0 };
	char errbuf[CURL_ERROR_SIZE];
	CURLcode rc;

	if (!o->curl && (o->curl = curl_easy_init()) == NULL)
		return cl_error_set("cannot start an HTTP request");
	curl_easy_reset(o->curl);
	errbuf[0] = '\0';
	curl_easy_setopt(o->curl, CURLOPT_URL, url);
	curl_easy_setopt(o->curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(o->curl, CURLOPT_USERAGENT, "clearance");
	curl_easy_setopt(o->curl, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(o->curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
	/* no SIGALRM for name-resolution timeouts: the hooks and the bot's threads own their signals */
	curl_easy_setopt(o->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(o->curl, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(o->curl, CURLOPT_WRITEFUNCTION, online_write_cb);
	curl_easy_setopt(o->curl, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(o->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(o->curl, CURLOPT_ACCEPT_ENCODING, "");
	rc = curl_easy_perform(o->curl);
	if (rc == CURLE_WRITE_ERROR && sink.error == CL_ETOOBIG)
		return cl_error_setc(CL_ETOOBIG, "response larger than %zu bytes", body->max);
	if (rc == CURLE_WRITE_ERROR && sink.error < 0)
		return sink.error;
	if (rc != CURLE_OK)
		return cl_error_set("%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
	curl_easy_getinfo(o->curl, CURLINFO_RESPONSE_CODE, status);
	return 0;
}

/* ---- the object ------------------------------------------------------------------- */

int cl_deps_online_new(struct cl_deps_online **out, const struct cl_deps_online_options *opts)
{
	static const struct cl_deps_online_options defaults = CL_DEPS_ONLINE_OPTIONS_INIT;
	struct cl_deps_online *o = NULL;
	const char *base;
	size_t i, len;
	int error = 0;

	assert(out);
	if (!opts)
		opts = &defaults;
	o = calloc(1, sizeof(*o));
	CL_CHECK_ALLOC(o);
	o->enabled = opts->enabled;
	o->timeout_ms = opts->timeout_ms;
	for (i = 0; i < N_ELEMS(online_providers); i++)
		if (opts->provider && strcmp(opts->provider, online_providers[i].name) == 0)
			o->provider = &online_providers[i];
	if (!o->provider) {
		error = cl_error_setc(CL_EINVALID, "unknown license source '%s' (depsdev or clearlydefined)",
			opts->provider ? opts->provider : "");
		goto done;
	}
	if (opts->timeout_ms <= 0) {
		error = cl_error_setc(CL_EINVALID, "license source timeout must be positive, not %ld", opts->timeout_ms);
		goto done;
	}
	base = opts->base_url ? opts->base_url : o->provider->default_base;
	if (strncmp(base, "https://", 8) != 0 && strncmp(base, "http://", 7) != 0) {
		error = cl_error_setc(CL_EINVALID, "license source URL '%s' is not http(s)", base);
		goto done;
	}
	len = strlen(base);
	while (len > 0 && base[len - 1] == '/')
		len--;
	o->base_url = strndup(base, len);
	CL_CHECK_ALLOC(o->base_url);
	if (o->enabled && opts->cache_path &&
	    (error = cl_db_open(&o->db, opts->cache_path, NULL, "license_cache", online_migrations,
			N_ELEMS(online_migrations))) < 0)
		goto done;
	*out = o;
	o = NULL;
done:
	cl_deps_online_free(o);
	return error;
}

void cl_deps_online__set_sys(struct cl_deps_online *o, const struct cl_deps_online_sys *sys)
{
	static const struct cl_deps_online_sys real = { NULL, NULL, NULL };
	o->sys = sys ? *sys : real;
}

/* Ask the source. 0 with *out (NULL: it has none), or an error naming `url`. */
static int online_fetch(char **out, struct cl_deps_online *o, const struct cl_dep *dep, const char *url)
{
	struct cl_buf body = CL_BUF_INIT;
	const char *items[64];
	char cause[512];   /* a copy: the message being built cannot read the slot it writes */
	json_error_t jerr;
	json_t *root = NULL;
	long status = 0;
	size_t n = 0;
	int error;

	cl_buf_init(&body, CL_DEPS_ONLINE_MAX_RESPONSE);
	error = o->sys.http_get ? o->sys.http_get(&status, &body, url, o->timeout_ms, o->sys.ctx)
				: online_curl_get(&status, &body, url, o->timeout_ms, o);
	if (error < 0) {
		snprintf(cause, sizeof(cause), "%s", cl_error_last());
		error = cl_error_set("license of %s:%s@%s: %s: %s", dep->ecosystem, dep->name, dep->version,
			url, cause);
		goto done;
	}
	if (status == 404) {
		*out = NULL;
		goto done;
	}
	if (status != 200) {
		error = cl_error_set("license of %s:%s@%s: %s: HTTP status %ld", dep->ecosystem, dep->name,
			dep->version, url, status);
		goto done;
	}
	root = json_loadb(body.ptr ? body.ptr : "", body.size, JSON_REJECT_DUPLICATES, &jerr);
	if (!root || !json_is_object(root)) {
		error = cl_error_set("license of %s:%s@%s: %s: malformed answer: %s", dep->ecosystem, dep->name,
			dep->version, url, root ? "not a JSON object" : jerr.text);
		goto done;
	}
	if ((error = o->provider->read(items, N_ELEMS(items), &n, root)) < 0) {
		snprintf(cause, sizeof(cause), "%s", cl_error_last());
		error = cl_error_set("license of %s:%s@%s: %s: malformed answer: %s", dep->ecosystem, dep->name,
			dep->version, url, cause);
		goto done;
	}
	*out = NULL;
	error = online_normalise(out, items, n);
	if (error == CL_ENOTFOUND)
		error = 0;   /* an answer all the same: the source does not know */
done:
	json_decref(root);
	cl_buf_dispose(&body);
	return error;
}

int cl_deps_online_license(char **out_expr, struct cl_deps_online *o, const struct cl_dep *dep)
{
	struct cl_buf url = CL_BUF_INIT;
	char *expr = NULL;
	int error;

	assert(out_expr && o && dep && dep->ecosystem);
	if (!o->enabled || !dep->version || !*dep->version || !dep->name || !*dep->name)
		return cl_error_setc(CL_ENOTFOUND, "no online license source for %s:%s", dep->ecosystem,
			dep->name ? dep->name : "");
	cl_buf_init(&url, ONLINE_MAX_URL);
	if ((error = o->provider->url(&url, o->base_url, dep)) < 0) {
		if (error == CL_ENOTFOUND)
			error = cl_error_setc(CL_ENOTFOUND, "%s does not know %s packages", o->provider->name,
				dep->ecosystem);
		else if (error == CL_ETOOBIG)
			error = cl_error_set("license of %s:%s: name or version too long for a URL", dep->ecosystem,
				dep->name);
		goto done;
	}
	if (o->db) {
		error = online_cache_get(&expr, o, dep);
		if (error == 0)
			goto found;
		if (error != CL_ENOTFOUND)
			goto done;
	}
	if ((error = online_fetch(&expr, o, dep, url.ptr)) < 0)
		goto done;
	/* a store that cannot be written costs a repeated request, not the answer */
	if (o->db && online_cache_put(o, dep, expr) < 0)
		cl_error_clear();
	error = 0;
found:
	if (!expr)
		error = cl_error_setc(CL_ENOTFOUND, "%s has no license for %s:%s@%s", o->provider->name,
			dep->ecosystem, dep->name, dep->version);
	if (error == 0) {
		*out_expr = expr;
		expr = NULL;
	}
done:
	free(expr);
	cl_buf_dispose(&url);
	return error;
}

void cl_deps_online_free(struct cl_deps_online *o)
{
	if (!o)
		return;
	if (o->curl)
		curl_easy_cleanup(o->curl);
	cl_db_close(o->db);
	free(o->base_url);
	free(o);
}
