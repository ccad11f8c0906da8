/*
 * clearance doctor [REPO]: is a hosted repository's clearance set-up
 * healthy? Hooks, policy, the bot's store or URL, the spool; each problem
 * with the command that fixes it. Reads only: nothing is changed.
 */
#include "commands.h"

#include <errno.h>
#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../hooks/deliver.h"
#include "buf.h"
#include "error.h"
#include "policy.h"
#include "repo_policy.h"
#include "spool.h"

struct doctor {
	const char *repo_arg;
	int problems;
};

static void ok(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

static void ok(const char *fmt, ...)
{
	va_list ap;
	fputs("ok       ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

/* One problem: what is wrong, then the fix on its own line. */
static void problem(struct doctor *d, const char *fix, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static void problem(struct doctor *d, const char *fix, const char *fmt, ...)
{
	va_list ap;
	fputs("PROBLEM  ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n         fix: %s\n", fix);
	d->problems++;
}

static void doctor_hooks(struct doctor *d, git_repository *repo, const char *self)
{
	static const char *const required[] = { "pre-receive", "post-receive" };
	struct cl_buf dir = CL_BUF_INIT, fix = CL_BUF_INIT;
	size_t i;

	cl_buf_printf(&fix, "clearance install-hooks %s", d->repo_arg);
	if (cli_hooks_dir(&dir, repo) < 0) {
		problem(d, "check core.hooksPath in the repository's config", "hooks: %s", cl_error_last());
		goto done;
	}
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		char path[PATH_MAX], *real;
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", cl_buf_cstr(&dir), required[i]);
		if (lstat(path, &st) < 0) {
			problem(d, cl_buf_cstr(&fix), "hook %s: missing (%s)", required[i], path);
			continue;
		}
		if (access(path, X_OK) < 0) {
			problem(d, cl_buf_cstr(&fix), "hook %s: not executable (%s)", required[i], path);
			continue;
		}
		real = realpath(path, NULL);
		if (!real || strcmp(real, self) != 0) {
			problem(d, cl_buf_cstr(&fix), "hook %s: points at %s, not at this clearance (%s)",
				required[i], real ? real : "nothing", self);
			free(real);
			continue;
		}
		free(real);
		ok("hook %s -> %s", required[i], self);
	}
done:
	cl_buf_dispose(&dir);
	cl_buf_dispose(&fix);
}

static void report_corrupt(const char *name, const char *what, void *payload)
{
	struct doctor *d = payload;
	struct cl_buf fix = CL_BUF_INIT;
	cl_buf_printf(&fix, "clearance spool flush %s (moves it to clearance-spool/bad/ and delivers "
		"the others)", d->repo_arg);
	problem(d, cl_buf_cstr(&fix), "spool: '%s' is corrupt: %s", name, what);
	cl_buf_dispose(&fix);
}

static void doctor_bot(struct doctor *d, const struct hook_bot_target *t)
{
	struct cl_spool_status st;
	struct cl_buf fix = CL_BUF_INIT;
	int reachable = 0;

	if (!hook_bot_target_configured(t)) {
		ok("bot: none configured; post-receive sends nothing "
			"(install-hooks --store PATH or --bot URL --secret-file FILE to connect one)");
	} else if (t->store) {
		if (hook_bot_check(t) < 0)
			problem(d, "start the bot (clearance serve) with its data_dir holding this store, or "
				"point the repository at the right one: clearance install-hooks REPO --store PATH",
				"store %s: %s", t->store, cl_error_last());
		else {
			ok("store %s: opens, queue ready", t->store);
			reachable = 1;
		}
	} else {
		if (!t->secret_file)
			problem(d, "clearance install-hooks REPO --bot URL --secret-file FILE (the bot's "
				"events_secret)", "bot %s: no secret file to sign events with", t->url);
		else if (hook_bot_check(t) < 0)
			problem(d, "start the bot (clearance serve), or fix the URL: clearance install-hooks "
				"REPO --bot URL --secret-file FILE", "bot %s: %s", t->url, cl_error_last());
		else {
			ok("bot %s: /healthz answers, secret file readable", t->url);
			reachable = 1;
		}
	}
	if (cl_spool_status(&st, t->spool_dir, report_corrupt, d) < 0) {
		problem(d, "check the directory's owner and permissions (the hooks' user writes it)",
			"spool %s: %s", t->spool_dir, cl_error_last());
		return;
	}
	cl_buf_printf(&fix, "clearance spool flush %s", d->repo_arg);
	if (st.pending) {
		char when[32] = "?";
		time_t oldest = (time_t)st.oldest;
		struct tm tm;
		if (gmtime_r(&oldest, &tm))
			strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		problem(d, reachable ? cl_buf_cstr(&fix) : "bring the bot back, then the next push or "
			"`clearance spool flush REPO` delivers them", "spool %s: %zu event(s) waiting for the "
			"bot, the oldest since %s", t->spool_dir, st.pending, when);
	} else if (!st.corrupt) {
		ok("spool %s: empty", t->spool_dir);
	}
	if (st.bad)
		problem(d, "read them (JSON push events); delete each once you know what it was",
			"spool %s/bad: %zu file(s) set aside as corrupt", t->spool_dir, st.bad);
	cl_buf_dispose(&fix);
}

int cmd_doctor(int argc, char **argv)
{
	struct doctor d;
	struct hook_bot_target target;
	struct cl_policy *policy = NULL;
	git_repository *repo = NULL;
	char self[PATH_MAX], *policy_path = NULL;
	ssize_t n;
	int rc = CL_EXIT_CONFIG;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fprintf(argc == 2 && !strcmp(argv[1], "--help") ? stdout : stderr,
			"usage: clearance doctor [REPO]\n"
			"Checks a repository's clearance set-up: the hooks (present, executable, this\n"
			"clearance), the policy (loads), the bot (its store opens, or its /healthz answers),\n"
			"and the spool of push events (waiting, corrupt). Each problem comes with its fix.\n"
			"exit status: 0 healthy, 1 problems found, 2 the repository cannot be opened\n");
		return argc == 2 && !strcmp(argv[1], "--help") ? CL_EXIT_OK : CL_EXIT_CONFIG;
	}
	memset(&d, 0, sizeof(d));
	memset(&target, 0, sizeof(target));
	d.repo_arg = argc == 2 ? argv[1] : ".";
	git_libgit2_init();
	if (git_repository_open_ext(&repo, d.repo_arg, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		cl_error_from_git(d.repo_arg);
		cli_error("cannot open repository");
		goto done;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	printf("clearance doctor: %s\n", git_repository_path(repo));
	doctor_hooks(&d, repo, self);

	if (cl_repo_policy_path(&policy_path, repo) < 0 || cl_policy_load(&policy, policy_path) < 0) {
		struct cl_buf fix = CL_BUF_INIT;
		cl_buf_printf(&fix, "clearance policy check %s, then install a fixed one: clearance "
			"install-hooks %s --policy FILE", policy_path ? policy_path : "FILE", d.repo_arg);
		problem(&d, cl_buf_cstr(&fix), "policy: %s (every push is refused)", cl_error_last());
		cl_buf_dispose(&fix);
	} else {
		ok("policy %s loads", policy_path);
	}
	if (hook_bot_target_load(&target, repo, policy) < 0)
		problem(&d, "check clearance.botStore / clearance.botUrl in the repository's config",
			"bot: %s", cl_error_last());
	else
		doctor_bot(&d, &target);
	printf("%s\n", d.problems ? "clearance doctor: problems found" : "clearance doctor: healthy");
	rc = d.problems ? CL_EXIT_REJECT : CL_EXIT_OK;
done:
	hook_bot_target_dispose(&target);
	cl_policy_free(policy);
	free(policy_path);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}
