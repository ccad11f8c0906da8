/*
 * The online license source (lib/deps_online.c) against a stand-in for
 * deps.dev and ClearlyDefined on 127.0.0.1 (libmicrohttpd): request paths,
 * normalising, the cache (hits, negative answers and their TTL), and every
 * way a request fails (404, 500, malformed, too big, timeout).
 *
 * Provenance of the canned answers: their shapes follow the providers'
 * documentation - deps.dev API v3 "GetVersion" (docs.deps.dev/api/v3/,
 * fields versionKey, publishedAt, isDefault, licenses, licenseDetails,
 * advisoryKeys, links, registries, relatedProjects; a 404 carries
 * {"code": 5, "message": ...}) and ClearlyDefined "GET /definitions/{type}/
 * {provider}/{namespace}/{name}/{revision}" (api.clearlydefined.io/api-docs,
 * fields described, licensed.declared, licensed.facets, coordinates,
 * _meta, scores; a component not yet harvested answers 200 without
 * licensed.declared). Values were written for these tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "deps_online.h"
#include "deps_online_priv.h"
#include "error.h"

/* ---- the stand-in ------------------------------------------------------------- */

static const char depsdev_colors[] =
	"{\"versionKey\":{\"system\":\"NPM\",\"name\":\"@colors/colors\",\"version\":\"1.5.0\"},"
	"\"publishedAt\":\"2022-02-12T07:39:04Z\",\"isDefault\":false,\"isDeprecated\":false,"
	"\"licenses\":[\"MIT\"],\"licenseDetails\":[{\"license\":\"MIT\",\"spdx\":\"MIT\"}],"
	"\"advisoryKeys\":[],\"links\":[{\"label\":\"SOURCE_REPO\",\"url\":\"git+https://github.com/DABH/colors.js.git\"}],"
	"\"slsaProvenances\":[],\"registries\":[\"https://registry.npmjs.org/\"],"
	"\"relatedProjects\":[{\"projectKey\":{\"id\":\"github.com/dabh/colors.js\"},"
	"\"relationProvenance\":\"UNVERIFIED_METADATA\",\"relationType\":\"SOURCE_REPO\"}]}";

static const char depsdev_two[] =
	"{\"versionKey\":{\"system\":\"CARGO\",\"name\":\"serde\",\"version\":\"1.0.200\"},"
	"\"isDefault\":true,\"licenses\":[\"mit or apache-2.0\",\"Unicode-DFS-2016\"],\"advisoryKeys\":[]}";

static const char depsdev_nonstandard[] =
	"{\"versionKey\":{\"system\":\"PYPI\",\"name\":\"oddball\",\"version\":\"0.1\"},"
	"\"licenses\":[\"non-standard\"],\"licenseDetails\":[{\"license\":\"Custom\"}]}";

static const char depsdev_nolicenses[] =
	"{\"versionKey\":{\"system\":\"GO\",\"name\":\"example.com/m\",\"version\":\"v1.0.0\"},\"isDefault\":true}";

static const char depsdev_404[] = "{\"code\":5,\"message\":\"version not found\",\"details\":[]}";

static const char depsdev_badtype[] = "{\"versionKey\":{},\"licenses\":\"MIT\"}";

static const char cd_commons[] =
	"{\"described\":{\"releaseDate\":\"2021-02-26\",\"urls\":{\"registry\":\"https://mvnrepository.com/artifact/"
	"org.apache.commons/commons-lang3\"},\"hashes\":{\"sha1\":\"c6842c86792ff03b9f1d1fe2aab8dc23aa6c6f0e\"},"
	"\"files\":208,\"tools\":[\"clearlydefined/1.3.4\",\"scancode/30.3.0\"],\"toolScore\":{\"total\":100,"
	"\"date\":30,\"source\":70},\"score\":{\"total\":100,\"date\":30,\"source\":70}},"
	"\"licensed\":{\"declared\":\"Apache-2.0\",\"toolScore\":{\"total\":60,\"declared\":30},"
	"\"facets\":{\"core\":{\"attribution\":{\"unknown\":200},\"discovered\":{\"unknown\":190,"
	"\"expressions\":[\"Apache-2.0\"]},\"files\":208}}},"
	"\"coordinates\":{\"type\":\"maven\",\"provider\":\"mavencentral\",\"namespace\":\"org.apache.commons\","
	"\"name\":\"commons-lang3\",\"revision\":\"3.12.0\"},\"_meta\":{\"schemaVersion\":\"1.6.1\","
	"\"updated\":\"2023-05-02T10:00:00.000Z\"},\"scores\":{\"effective\":80,\"tool\":80}}";

static const char cd_babel[] =
	"{\"described\":{\"tools\":[\"clearlydefined/1.3.4\"]},\"licensed\":{\"declared\":\"MIT\"},"
	"\"coordinates\":{\"type\":\"npm\",\"provider\":\"npmjs\",\"namespace\":\"@babel\",\"name\":\"core\","
	"\"revision\":\"7.0.0\"},\"_meta\":{\"schemaVersion\":\"1.6.1\"},\"scores\":{\"effective\":87,\"tool\":87}}";

static const char cd_noassertion[] =
	"{\"described\":{},\"licensed\":{\"declared\":\"NOASSERTION\"},\"coordinates\":{\"type\":\"pypi\","
	"\"provider\":\"pypi\",\"name\":\"mystery\",\"revision\":\"1.0\"},\"scores\":{\"effective\":12}}";

/* Not harvested yet: ClearlyDefined answers 200 with an empty definition. */
static const char cd_unharvested[] =
	"{\"described\":{\"tools\":[]},\"coordinates\":{\"type\":\"crate\",\"provider\":\"cratesio\","
	"\"name\":\"fresh\",\"revision\":\"0.0.1\"},\"_meta\":{\"schemaVersion\":\"1.6.1\"},"
	"\"scores\":{\"effective\":0,\"tool\":0}}";

struct route {
	const char *path;       /* raw, as sent: percent-encoding kept */
	unsigned int status;
	const char *body;       /* NULL: the big body */
	unsigned int delay_ms;
	unsigned int hits;
};

static struct route routes[] = {
	{ "/v3/systems/npm/packages/%40colors%2Fcolors/versions/1.5.0", 200, depsdev_colors, 0, 0 },
	{ "/v3/systems/cargo/packages/serde/versions/1.0.200", 200, depsdev_two, 0, 0 },
	{ "/v3/systems/pypi/packages/oddball/versions/0.1", 200, depsdev_nonstandard, 0, 0 },
	{ "/v3/systems/go/packages/example.com%2Fm/versions/v1.0.0", 200, depsdev_nolicenses, 0, 0 },
	{ "/v3/systems/npm/packages/gone/versions/1.0.0", 404, depsdev_404, 0, 0 },
	{ "/v3/systems/npm/packages/broken/versions/1.0.0", 500, "{\"code\":13,\"message\":\"internal\"}", 0, 0 },
	{ "/v3/systems/npm/packages/garbled/versions/1.0.0", 200, "{\"licenses\": [\"MIT\"", 0, 0 },
	{ "/v3/systems/npm/packages/badtype/versions/1.0.0", 200, depsdev_badtype, 0, 0 },
	{ "/v3/systems/npm/packages/huge/versions/1.0.0", 200, NULL, 0, 0 },
	{ "/v3/systems/npm/packages/slow/versions/1.0.0", 200, depsdev_colors, 1500, 0 },
	{ "/v3/systems/maven/packages/org.apache.commons%3Acommons-lang3/versions/3.12.0", 200,
	  depsdev_colors, 0, 0 },
	{ "/definitions/maven/mavencentral/org.apache.commons/commons-lang3/3.12.0", 200, cd_commons, 0, 0 },
	{ "/definitions/npm/npmjs/%40babel/core/7.0.0", 200, cd_babel, 0, 0 },
	{ "/definitions/pypi/pypi/-/mystery/1.0", 200, cd_noassertion, 0, 0 },
	{ "/definitions/crate/cratesio/-/fresh/0.0.1", 200, cd_unharvested, 0, 0 },
};

#define N_ROUTES (sizeof(routes) / sizeof(routes[0]))

static pthread_mutex_t standin_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int standin_unknown;      /* requests for paths not in the table */
static char standin_last_unknown[256];
static char *big_body;
static size_t big_len;

/* Keep the path as sent, so that tests see the percent-encoding. */
static size_t standin_no_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

static enum MHD_Result standin_handle(void *cls, struct MHD_Connection *conn, const char *url,
	const char *method, const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
	struct MHD_Response *resp;
	struct route *r = NULL;
	enum MHD_Result ret;
	size_t i;

	(void)cls;
	(void)version;
	(void)upload_data;
	(void)upload_size;
	(void)con_cls;
	if (strcmp(method, "GET") != 0)
		return MHD_NO;
	pthread_mutex_lock(&standin_lock);
	for (i = 0; i < N_ROUTES; i++)
		if (strcmp(routes[i].path, url) == 0)
			r = &routes[i];
	if (r) {
		r->hits++;
	} else {
		standin_unknown++;
		snprintf(standin_last_unknown, sizeof(standin_last_unknown), "%s", url);
	}
	pthread_mutex_unlock(&standin_lock);
	if (!r) {
		resp = MHD_create_response_from_buffer(strlen(depsdev_404), (void *)depsdev_404, MHD_RESPMEM_PERSISTENT);
		ret = MHD_queue_response(conn, 404, resp);
		MHD_destroy_response(resp);
		return ret;
	}
	if (r->delay_ms)
		usleep(r->delay_ms * 1000u);
	if (r->body)
		resp = MHD_create_response_from_buffer(strlen(r->body), (void *)r->body, MHD_RESPMEM_PERSISTENT);
	else
		resp = MHD_create_response_from_buffer(big_len, big_body, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(resp, "Content-Type", "application/json");
	ret = MHD_queue_response(conn, r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static unsigned int hits(const char *path)
{
	unsigned int n = 0;
	size_t i;

	pthread_mutex_lock(&standin_lock);
	for (i = 0; i < N_ROUTES; i++)
		if (strcmp(routes[i].path, path) == 0)
			n = routes[i].hits;
	pthread_mutex_unlock(&standin_lock);
	return n;
}

static unsigned int total_hits(void)
{
	unsigned int n;
	size_t i;

	pthread_mutex_lock(&standin_lock);
	n = standin_unknown;
	for (i = 0; i < N_ROUTES; i++)
		n += routes[i].hits;
	pthread_mutex_unlock(&standin_lock);
	return n;
}

struct fixture {
	struct MHD_Daemon *daemon;
	char base[64];
	char dir[64];
	char cache[128];
	time_t now;           /* the source's clock */
};

static time_t fake_now(void *ctx)
{
	return ((struct fixture *)ctx)->now;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct sockaddr_in sa;
	const union MHD_DaemonInfo *info;

	if (!fx)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0;
	fx->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL,
		standin_handle, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_UNESCAPE_CALLBACK, standin_no_unescape, NULL,
		MHD_OPTION_END);
	if (!fx->daemon)
		return -1;
	info = MHD_get_daemon_info(fx->daemon, MHD_DAEMON_INFO_BIND_PORT);
	if (!info || !info->port)
		return -1;
	snprintf(fx->base, sizeof(fx->base), "http://127.0.0.1:%u/", (unsigned int)info->port);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/clearance-online.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->cache, sizeof(fx->cache), "%s/store.db", fx->dir);
	fx->now = 1700000000;
	pthread_mutex_lock(&standin_lock);
	for (size_t i = 0; i < N_ROUTES; i++)
		routes[i].hits = 0;
	standin_unknown = 0;
	pthread_mutex_unlock(&standin_lock);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char path[192];

	MHD_stop_daemon(fx->daemon);
	snprintf(path, sizeof(path), "%s/store.db", fx->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/store.db-wal", fx->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/store.db-shm", fx->dir);
	unlink(path);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static struct cl_deps_online *source(struct fixture *fx, const char *provider, int cache, long timeout_ms)
{
	struct cl_deps_online_options opts = CL_DEPS_ONLINE_OPTIONS_INIT;
	struct cl_deps_online_sys sys = { NULL, fake_now, NULL };
	struct cl_deps_online *o = NULL;

	opts.enabled = 1;
	opts.provider = provider;
	opts.base_url = fx->base;
	opts.cache_path = cache ? fx->cache : NULL;
	opts.timeout_ms = timeout_ms;
	if (cl_deps_online_new(&o, &opts) < 0)
		fail_msg("cl_deps_online_new: %s", cl_error_last());
	sys.ctx = fx;
	cl_deps_online__set_sys(o, &sys);
	return o;
}

static int lookup(char **expr, struct cl_deps_online *o, const char *eco, const char *name, const char *version)
{
	struct cl_dep dep = { eco, name, version, CL_DEP_DIRECT, CL_DEP_RUNTIME, NULL, "package.json", 0 };
	*expr = NULL;
	return cl_deps_online_license(expr, o, &dep);
}

/* ---- tests ------------------------------------------------------------------------ */

static void test_depsdev_found_and_cached(void **state)
{
	struct fixture *fx = *state;
	struct cl_deps_online *o = source(fx, "depsdev", 1, 5000);
	const char *path = "/v3/systems/npm/packages/%40colors%2Fcolors/versions/1.5.0";
	char *expr;

	assert_int_equal(lookup(&expr, o, "npm", "@colors/colors", "1.5.0"), 0);
	assert_string_equal(expr, "MIT");
	free(expr);
	assert_int_equal(hits(path), 1);
	/* the second lookup is the cache's */
	assert_int_equal(lookup(&expr, o, "npm", "@colors/colors", "1.5.0"), 0);
	assert_string_equal(expr, "MIT");
	free(expr);
	assert_int_equal(hits(path), 1);
	cl_deps_online_free(o);

	/* the cache is the store's: a new source on the same file asks nobody */
	o = source(fx, "depsdev", 1, 5000);
	assert_int_equal(lookup(&expr, o, "npm", "@colors/colors", "1.5.0"), 0);
	free(expr);
	assert_int_equal(hits(path), 1);
	/* until the answer is older than its TTL */
	fx->now += CL_DEPS_ONLINE_TTL;
	assert_int_equal(lookup(&expr, o, "npm", "@colors/colors", "1.5.0"), 0);
	free(expr);
	assert_int_equal(hits(path), 2);
	cl_deps_online_free(o);
}

static void test_depsdev_normalises(void **state)
{
	struct fixture *fx = *state;
	struct cl_deps_online *o = source(fx, "depsdev", 0, 5000);
	char *expr;

	/* several licenses are all in force; lax operators become SPDX's */
	assert_int_equal(lookup(&expr, o, "cargo", "serde", "1.0.200"), 0);
	assert_string_equal(expr, "(MIT OR Apache-2.0) AND Unicode-DFS-2016");
	free(expr);
	/* Maven's "group:artifact" is one segment */
	assert_int_equal(lookup(&expr, o, "maven", "org.apache.commons:commons-lang3", "3.12.0"), 0);
	free(expr);
	assert_int_equal(hits("/v3/systems/maven/packages/org.apache.commons%3Acommons-lang3/versions/3.12.0"), 1);
	/* no "licenses" (proto3 JSON leaves empty lists out) */
	assert_int_equal(lookup(&expr, o, "golang", "example.com/m", "v1.0.0"), CL_ENOTFOUND);
	assert_null(expr);
	cl_deps_online_free(o);
}

static void test_negative_answers_cached(void **state)
{
	struct fixture *fx = *state;
	struct cl_deps_online *o = source(fx, "depsdev", 1, 5000);
	const char *path = "/v3/systems/pypi/packages/oddball/versions/0.1";
	char *expr;

	assert_int_equal(lookup(&expr, o, "pypi", "oddball", "0.1"), CL_ENOTFOUND);
	assert_null(expr);
	assert_int_equal(lookup(&expr, o, "pypi", "oddball", "0.1"), CL_ENOTFOUND);
	assert_int_equal(hits(path), 1);
	/* negative answers expire sooner */
	fx->now += CL_DEPS_ONLINE_NEGATIVE_TTL;
	assert_int_equal(lookup(&expr, o, "pypi", "oddball", "0.1"), CL_ENOTFOUND);
	assert_int_equal(hits(path), 2);

	/* 404 is "none", and cached as such */
	assert_int_equal(lookup(&expr, o, "npm", "gone", "1.0.0"), CL_ENOTFOUND);
	assert_int_equal(lookup(&expr, o, "npm", "gone", "1.0.0"), CL_ENOTFOUND);
	assert_int_equal(hits("/v3/systems/npm/packages/gone/versions/1.0.0"), 1);
	cl_deps_online_free(o);
}

static void test_errors_not_cached(void **state)
{
	struct fixture *fx = *state;
	struct cl_deps_online *o = source(fx, "depsdev", 1, 5000);
	char *expr;

	assert_int_equal(lookup(&expr, o, "npm", "broken", "1.0.0"), CL_ERROR);
	assert_non_null(strstr(cl_error_last(), "HTTP status 500"));
	assert_non_null(strstr(cl_error_last(), "npm:broken@1.0.0"));
	assert_int_equal(lookup(&expr, o, "npm", "broken", "1.0.0"), CL_ERROR);
	assert_int_equal(hits("/v3/systems/npm/packages/broken/versions/1.0.0"), 2);

	assert_int_equal(lookup(&expr, o, "npm", "garbled", "1.0.0"), CL_ERROR);
	assert_non_null(strstr(cl_error_last(), "malformed answer"));
	assert_int_equal(lookup(&expr, o, "npm", "badtype", "1.0.0"), CL_ERROR);
	assert_non_null(strstr(cl_error_last(), "'licenses' is not an array"));
	assert_int_equal(lookup(&expr, o, "npm", "huge", "1.0.0"), CL_ERROR);
	assert_non_null(strstr(cl_error_last(), "larger than"));
	assert_null(expr);
	cl_deps_online_free(o);
}

static void test_timeout(void **state)
{
	struct fixture *fx = *state;
	struct cl_deps_online *o = source(fx, "depsdev", 0, 200);
	struct timespec t0, t1;
	char *expr;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(lookup(&expr, o, "npm", "slow", "1.0.0"), CL_ERROR);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(secs < 1.2);
	assert_non_null(strstr(cl_error_last(), "npm:slow@1.0.0"));
	cl_deps_online_free(o);
}

static void test_clearlydefined(void **state)
{
	struct fixture *fx = *state;
	struct cl_deps_online *o = source(fx, "clearlydefined", 1, 5000);
	char *expr;

	assert_int_equal(lookup(&expr, o, "maven", "org.apache.commons:commons-lang3", "3.12.0"), 0);
	assert_string_equal(expr, "Apache-2.0");
	free(expr);
	assert_int_equal(hits("/definitions/maven/mavencentral/org.apache.commons/commons-lang3/3.12.0"), 1);
	assert_int_equal(lookup(&expr, o, "npm", "@babel/core", "7.0.0"), 0);
	assert_string_equal(expr, "MIT");
	free(expr);
	assert_int_equal(lookup(&expr, o, "npm", "@babel/core", "7.0.0"), 0);
	free(expr);
	assert_int_equal(hits("/definitions/npm/npmjs/%40babel/core/7.0.0"), 1);
	assert_int_equal(lookup(&expr, o, "pypi", "mystery", "1.0"), CL_ENOTFOUND);
	assert_int_equal(lookup(&expr, o, "cargo", "fresh", "0.0.1"), CL_ENOTFOUND);
	assert_int_equal(lookup(&expr, o, "cargo", "fresh", "0.0.1"), CL_ENOTFOUND);
	assert_int_equal(hits("/definitions/crate/cratesio/-/fresh/0.0.1"), 1);
	cl_deps_online_free(o);
}

static void test_no_request(void **state)
{
	struct fixture *fx = *state;
	struct cl_deps_online_options opts = CL_DEPS_ONLINE_OPTIONS_INIT;
	struct cl_deps_online *o = NULL;
	char *expr;

	/* disabled by default: no request, no store */
	opts.base_url = fx->base;
	opts.cache_path = fx->cache;
	assert_int_equal(cl_deps_online_new(&o, &opts), 0);
	assert_int_equal(lookup(&expr, o, "npm", "@colors/colors", "1.5.0"), CL_ENOTFOUND);
	cl_deps_online_free(o);
	assert_int_equal(access(fx->cache, F_OK), -1);

	o = source(fx, "depsdev", 0, 5000);
	assert_int_equal(lookup(&expr, o, "vcpkg", "zlib", "1.3"), CL_ENOTFOUND);
	assert_int_equal(lookup(&expr, o, "npm", "left-pad", NULL), CL_ENOTFOUND);
	/* dot-segments are encoded, not resolved away: the stand-in sees this path and answers 404 */
	assert_int_equal(lookup(&expr, o, "npm", "..", ".."), CL_ENOTFOUND);
	assert_int_equal(total_hits(), 1);
	assert_string_equal(standin_last_unknown, "/v3/systems/npm/packages/%2E%2E/versions/%2E%2E");
	assert_int_equal(lookup(&expr, o, "composer", "monolog/monolog", "2.2.0"), CL_ENOTFOUND);
	cl_deps_online_free(o);
	cl_deps_online_free(NULL);
}

static void test_options(void **state)
{
	struct cl_deps_online_options opts = CL_DEPS_ONLINE_OPTIONS_INIT;
	struct cl_deps_online *o = NULL;

	(void)state;
	opts.enabled = 1;
	opts.provider = "npmjs";
	assert_int_equal(cl_deps_online_new(&o, &opts), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "'npmjs'"));
	opts.provider = "clearlydefined";
	opts.base_url = "ftp://example.com";
	assert_int_equal(cl_deps_online_new(&o, &opts), CL_EINVALID);
	opts.base_url = NULL;
	opts.timeout_ms = 0;
	assert_int_equal(cl_deps_online_new(&o, &opts), CL_EINVALID);
	assert_null(o);
	/* NULL options: the defaults, disabled */
	assert_int_equal(cl_deps_online_new(&o, NULL), 0);
	cl_deps_online_free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_depsdev_found_and_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depsdev_normalises, setup, teardown),
		cmocka_unit_test_setup_teardown(test_negative_answers_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_not_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clearlydefined, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_request, setup, teardown),
		cmocka_unit_test(test_options),
	};
	int rc;

	/* a body over CL_DEPS_ONLINE_MAX_RESPONSE, still valid JSON */
	big_len = CL_DEPS_ONLINE_MAX_RESPONSE * 2;
	big_body = malloc(big_len);
	if (!big_body)
		return 1;
	memset(big_body, ' ', big_len);
	big_body[0] = '{';
	big_body[big_len - 1] = '}';
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(big_body);
	return rc;
}
