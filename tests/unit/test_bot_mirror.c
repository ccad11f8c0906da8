/*
 * Mirrors: first fetch creates, later fetches bring only what is new, over
 * file:// and git:// (a real `git daemon` on 127.0.0.1); names that could
 * escape the cache are refused; nothing about the remote lands in config.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "git_daemon_util.h"
#include "mirror.h"

static char root[64];

static void sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "/tmp/cl-mirror-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	git_libgit2_init();
	sh("cd %s && git init -q --bare src.git && git init -q work && cd work && "
	   "git config user.email a@example.com && git config user.name A && "
	   "echo one > f && git add f && git commit -qm one && "
	   "git push -q ../src.git HEAD:refs/heads/main && "
	   "echo two > g && git add g && git commit -qm two && "
	   "git push -q ../src.git HEAD:refs/pull/7/head", root);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sh("rm -rf %s", root);
	git_libgit2_shutdown();
	return 0;
}

static void assert_ref_matches(git_repository *mirror, const char *ref, const char *srcref)
{
	char src[256];
	git_repository *s;
	git_oid a, b;

	snprintf(src, sizeof(src), "%s/src.git", root);
	assert_int_equal(git_repository_open_bare(&s, src), 0);
	assert_int_equal(git_reference_name_to_id(&a, mirror, ref), 0);
	assert_int_equal(git_reference_name_to_id(&b, s, srcref), 0);
	assert_true(git_oid_equal(&a, &b));
	git_repository_free(s);
}

static void fetch_twice(const char *url)
{
	static const char *const specs[] = {
		"+refs/heads/*:refs/heads/*", "+refs/pull/7/head:refs/pull/7/head",
	};
	struct cl_mirror_options opts = CL_MIRROR_OPTIONS_INIT;
	struct cl_mirror_stats stats;
	git_repository *repo = NULL;
	char cache[128], config[256], buf[4096];
	FILE *f;
	size_t n;

	snprintf(cache, sizeof(cache), "%s/cache", root);
	opts.cache_dir = cache;
	opts.token = "sekrit-token-value";

	assert_int_equal(cl_mirror_fetch(&repo, &stats, &opts, "acme/widget", url, specs, 2), 0);
	assert_int_equal(stats.received_objects, 6);   /* 2 commits, 2 trees, 2 blobs */
	assert_true(git_repository_is_bare(repo));
	assert_ref_matches(repo, "refs/heads/main", "refs/heads/main");
	assert_ref_matches(repo, "refs/pull/7/head", "refs/pull/7/head");
	git_repository_free(repo);

	/* One new commit upstream: the second fetch downloads only its objects. */
	sh("cd %s/work && echo three > h && git add h && git commit -qm three && "
	   "git push -q ../src.git HEAD:refs/heads/main", root);
	assert_int_equal(cl_mirror_fetch(&repo, &stats, &opts, "acme/widget", url, specs, 2), 0);
	assert_int_equal(stats.received_objects, 3);
	assert_ref_matches(repo, "refs/heads/main", "refs/heads/main");
	git_repository_free(repo);

	/* Nothing new: nothing downloaded. */
	assert_int_equal(cl_mirror_fetch(&repo, &stats, &opts, "acme/widget", url, specs, 2), 0);
	assert_int_equal(stats.received_objects, 0);
	git_repository_free(repo);

	snprintf(config, sizeof(config), "%s/acme/widget.git/config", cache);
	assert_non_null(f = fopen(config, "r"));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_null(strstr(buf, "sekrit"));
	assert_null(strstr(buf, "remote"));
}

static void test_fetch_file_url(void **state)
{
	char url[256];
	(void)state;
	snprintf(url, sizeof(url), "file://%s/src.git", root);
	fetch_twice(url);
}

static void test_fetch_git_daemon(void **state)
{
	struct git_daemon d;
	char url[256];
	(void)state;

	assert_int_equal(git_daemon_start(&d, root, "src.git"), 0);
	snprintf(url, sizeof(url), "git://127.0.0.1:%d/src.git", d.port);
	fetch_twice(url);
	git_daemon_stop(&d);
}

static void test_unsafe_names_refused(void **state)
{
	static const char *const bad[] = {
		"../etc", "acme/../x", "acme", "acme/widget/extra", "/abs/x", "acme/.git",
		"acme/", "/widget", "acme/wid get", "",
	};
	static const char *const spec[] = { "+refs/heads/*:refs/heads/*" };
	struct cl_mirror_options opts = CL_MIRROR_OPTIONS_INIT;
	git_repository *repo = NULL;
	char cache[128];
	size_t i;
	(void)state;

	snprintf(cache, sizeof(cache), "%s/cache", root);
	opts.cache_dir = cache;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cl_mirror_fetch(&repo, NULL, &opts, bad[i], "file:///nonexistent",
			spec, 1), CL_EINVALID);
		assert_null(repo);
	}
}

static void test_failed_fetch_says_why(void **state)
{
	static const char *const spec[] = { "+refs/heads/*:refs/heads/*" };
	struct cl_mirror_options opts = CL_MIRROR_OPTIONS_INIT;
	git_repository *repo = NULL;
	char cache[128], url[256];
	(void)state;

	snprintf(cache, sizeof(cache), "%s/cache", root);
	snprintf(url, sizeof(url), "file://%s/missing.git", root);
	opts.cache_dir = cache;
	opts.token = "sekrit-token-value";
	assert_int_equal(cl_mirror_fetch(&repo, NULL, &opts, "acme/gone", url, spec, 1), CL_ERROR);
	assert_null(repo);
	assert_non_null(strstr(cl_error_last(), "cannot fetch 'acme/gone'"));
	assert_null(strstr(cl_error_last(), "sekrit"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fetch_file_url, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fetch_git_daemon, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsafe_names_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_fetch_says_why, setup, teardown),
	};
	return cmocka_run_group_tests_name("bot_mirror", tests, NULL, NULL);
}
