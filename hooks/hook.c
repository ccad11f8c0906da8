#include "hook.h"
#include "../cli/commands.h"
#include "buf.h"
#include "engine.h"
#include "error.h"
#include "fileio.h"
#include "finding.h"
#include "override.h"
#include "policy.h"
#include "range.h"
#include "report.h"
#include "repo_policy.h"

#include <errno.h>
#include <git2.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Commits are copied out as the walk goes; a small cache keeps memory flat. */
#define HOOK_OBJECT_CACHE_BYTES (16 * 1024 * 1024)

static const char *env_get(const char *name, void *payload)
{
	(void)payload;
	return getenv(name);
}

struct hook_state {
	const char *hook_name;
	git_repository *repo;
	struct cl_policy *policy;
	char *policy_path;
	struct cl_findings *findings;
	struct cl_engine_stats stats;
	struct cl_engine_env env;          /* its `pending`: writes made only when accepted */
	char *pusher;
	char *override_reason;
	int override_requested;
	int verbose;
	int json;
};

static void hook_state_dispose(struct hook_state *st)
{
	cl_policy_free(st->policy);
	free(st->policy_path);
	cl_findings_free(st->findings);
	cl_pending_free(st->env.pending);
	free(st->pusher);
	free(st->override_reason);
	git_repository_free(st->repo);
}

static void say(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

static void say(const char *fmt, ...)
{
	va_list ap;
	fputs("clearance: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Run hooks/<name>.chained (an admin's earlier hook) with our stdin and args. */
static int run_chained(const char *hook_name, const char *input, size_t input_len, int argc, char **argv)
{
	struct cl_buf path = CL_BUF_INIT;
	const char *slash = strrchr(argv[0], '/');
	struct sigaction ign, old;
	struct stat st;
	int fds[2], status, rc = 0;
	pid_t pid;

	/* Only when git ran us as a hook do we know where the hooks live. */
	if (!slash || strcmp(slash + 1, hook_name) != 0)
		return 0;
	if (cl_buf_printf(&path, "%.*s/%s.chained", (int)(slash - argv[0]), argv[0], hook_name) < 0)
		return 1;
	if (stat(cl_buf_cstr(&path), &st) < 0 || !(st.st_mode & S_IXUSR)) {
		cl_buf_dispose(&path);
		return 0;
	}
	if (pipe(fds) < 0) {
		say("cannot run chained hook '%s': %s", cl_buf_cstr(&path), strerror(errno));
		cl_buf_dispose(&path);
		return 1;
	}
	fflush(stderr);
	if ((pid = fork()) < 0) {
		say("cannot run chained hook '%s': %s", cl_buf_cstr(&path), strerror(errno));
		close(fds[0]);
		close(fds[1]);
		cl_buf_dispose(&path);
		return 1;
	}
	if (pid == 0) {
		char **args = calloc((size_t)argc + 1, sizeof(*args));
		int i;
		dup2(fds[0], 0);
		close(fds[0]);
		close(fds[1]);
		if (!args)
			_exit(127);
		args[0] = (char *)cl_buf_cstr(&path);
		for (i = 1; i < argc; i++)
			args[i] = argv[i];
		execv(args[0], args);
		fprintf(stderr, "clearance: cannot run chained hook '%s': %s\n", args[0], strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	/* A chained hook that does not read all its input must not kill us. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	/* A hook that exits without reading everything is its own verdict. */
	if (cl_write_all(fds[1], input, input_len, "to the chained hook") < 0)
		cl_error_clear();
	close(fds[1]);
	sigaction(SIGPIPE, &old, NULL);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			rc = 1;
			goto done;
		}
	}
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
done:
	cl_buf_dispose(&path);
	return rc;
}

int hook_run_chained(const char *hook_name, const char *input, size_t input_len, int argc, char **argv)
{
	return run_chained(hook_name, input, input_len, argc, argv);
}

static json_t *push_to_json(const struct cl_push *push)
{
	json_t *refs = json_array();
	size_t i;
	for (i = 0; refs && i < push->count; i++) {
		char old_hex[GIT_OID_HEXSZ + 1], new_hex[GIT_OID_HEXSZ + 1];
		git_oid_tostr(old_hex, sizeof(old_hex), &push->updates[i].old_id);
		git_oid_tostr(new_hex, sizeof(new_hex), &push->updates[i].new_id);
		json_array_append_new(refs, json_pack("{s:o,s:s,s:s,s:s}",
			"ref", cl_json_string_lossy(push->updates[i].refname),
			"old", old_hex, "new", new_hex,
			"kind", cl_update_kind_name(push->updates[i].kind)));
	}
	return refs;
}

/* Record an admin's bypass next to the repository, before the push lands. */
static int write_audit(struct hook_state *st, const struct cl_push *push)
{
	const struct cl_policy_overrides *ov = cl_policy_overrides(st->policy);
	json_t *rec = NULL, *findings = NULL;
	char *path = NULL, when[32];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;
	int error;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	findings = json_array();
	for (i = 0; findings && i < cl_findings_count(st->findings); i++) {
		json_t *f;
		if (cl_finding_to_json(&f, cl_findings_get(st->findings, i)) == 0)
			json_array_append_new(findings, f);
	}
	rec = json_pack("{s:s,s:s,s:s,s:o,s:o,s:s,s:o,s:o}",
		"time", when, "event", "override", "hook", st->hook_name,
		"repository", cl_json_string_lossy(git_repository_path(st->repo)),
		"pusher", cl_json_string_lossy(st->pusher),
		"policy", st->policy_path,
		"reason", cl_json_string_lossy(st->override_reason),
		"refs", push_to_json(push));
	if (!rec || !findings) {
		error = cl_error_set("out of memory");
		goto done;
	}
	json_object_set_new(rec, "findings", findings);
	findings = NULL;
	if ((error = cl_repo_path(&path, st->repo, ov->audit_log)) < 0)
		goto done;
	error = cl_audit_append(path, rec);
done:
	json_decref(findings);
	json_decref(rec);
	free(path);
	return error;
}

static void print_report(struct hook_state *st, const char *verdict, const char *hint)
{
	struct cl_report_options opts = CL_REPORT_OPTIONS_INIT;
	struct cl_buf out = CL_BUF_INIT;

	opts.verbose = st->verbose;
	opts.verdict = verdict;
	opts.hint = hint;
	opts.commits_checked = st->stats.commits_checked;
	opts.policy = st->policy_path;
	if (st->json) {
		json_t *doc = NULL;
		char *s;
		if (cl_report_json(&doc, st->findings, &opts) == 0 &&
		    (s = json_dumps(doc, JSON_INDENT(2))) != NULL) {
			fprintf(stderr, "%s\n", s);
			free(s);
		} else {
			say("cannot render report: %s", cl_error_last());
		}
		json_decref(doc);
	} else if (cl_report_text(&out, st->findings, &opts) == 0) {
		fputs(cl_buf_cstr(&out), stderr);
	} else {
		say("cannot render report: %s", cl_error_last());
	}
	cl_buf_dispose(&out);
}

static int admins_hint(struct cl_buf *hint, const struct cl_policy_overrides *ov)
{
	size_t i;
	if (!ov->enabled || ov->admin_count == 0)
		return 0;
	cl_buf_puts(hint, "In an emergency an admin (");
	for (i = 0; i < ov->admin_count; i++)
		cl_buf_printf(hint, "%s%s", i ? ", " : "", ov->admins[i]);
	return cl_buf_printf(hint, ") may push with: git push -o %s=\"REASON\"", ov->push_option);
}

int hook_judge(const char *hook_name, struct cl_push *push, const char *input, size_t input_len,
	int argc, char **argv)
{
	struct hook_state st;
	const struct cl_policy_overrides *ov;
	struct cl_buf hint = CL_BUF_INIT;
	size_t errors;
	int rc = 1, error, is_admin;

	memset(&st, 0, sizeof(st));
	st.hook_name = hook_name;
	git_libgit2_init();
	/* git already chose to run us in this repository; libgit2 must not second-guess it. */
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)HOOK_OBJECT_CACHE_BYTES);
	/*
	 * receive-pack's index-pack already hashed every pushed object, and git
	 * itself does not re-hash objects it reads; doing it again here was an
	 * eighth of the hook's time on a large push.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);

	if (cl_repo_open_from_env(&st.repo, ".") < 0) {
		say("push refused: %s", cl_error_last());
		goto done;
	}
	if (cl_repo_policy_path(&st.policy_path, st.repo) < 0) {
		say("push refused: %s", cl_error_last());
		goto done;
	}
	if ((error = cl_policy_load(&st.policy, st.policy_path)) < 0) {
		say("push refused: the policy could not be loaded, so nothing can be accepted");
		say("%s", cl_error_last());
		say("an admin can find the problem with: clearance policy check %s", st.policy_path);
		goto done;
	}
	ov = cl_policy_overrides(st.policy);
	st.verbose = (getenv("CLEARANCE_VERBOSE") && *getenv("CLEARANCE_VERBOSE")) ||
		cl_push_option(NULL, "clearance.verbose", env_get, NULL) == 1;
	{
		char *fmt = NULL;
		if (cl_push_option(&fmt, "clearance.format", env_get, NULL) == 1)
			st.json = strcmp(fmt, "json") == 0;
		free(fmt);
	}
	if (cl_findings_new(&st.findings) < 0 || cl_pending_new(&st.env.pending) < 0 ||
	    cl_push_classify(push, st.repo) < 0 ||
	    cl_engine_check_push(st.findings, &st.stats, st.repo, st.policy, push, &st.env) < 0) {
		say("push refused: %s", cl_error_last());
		goto done;
	}
	if (cl_identity_resolve(&st.pusher, cl_policy_identity(st.policy), env_get, NULL) < 0) {
		say("push refused: %s", cl_error_last());
		goto done;
	}
	error = cl_override_requested(&st.override_reason, ov, env_get, NULL);
	if (error < 0) {
		say("push refused: %s", cl_error_last());
		goto done;
	}
	st.override_requested = error == 1;
	is_admin = ov->enabled && cl_policy_is_admin(st.policy, st.pusher);
	errors = cl_findings_count_severity(st.findings, CL_SEVERITY_ERROR);

	if (st.override_requested && !is_admin) {
		struct cl_buf who = CL_BUF_INIT;
		size_t i;
		for (i = 0; i < ov->admin_count; i++)
			cl_buf_printf(&who, "%s%s", i ? ", " : "", ov->admins[i]);
		if (!ov->enabled)
			say("override refused: overrides are disabled by the policy");
		else
			say("override refused: '%s' is not an admin; only %s may override", st.pusher,
				ov->admin_count ? cl_buf_cstr(&who) : "nobody (overrides.admins is empty)");
		cl_buf_dispose(&who);
	}

	if (errors == 0) {
		print_report(&st, "accepted", NULL);
		rc = 0;
	} else if (st.override_requested && is_admin) {
		if (write_audit(&st, push) < 0) {
			/* An override that cannot be recorded is not granted. */
			say("push refused: the override could not be recorded: %s", cl_error_last());
			goto done;
		}
		print_report(&st, "accepted by override", NULL);
		say("override by '%s' recorded: %s", st.pusher, st.override_reason);
		rc = 0;
	} else {
		/* git hands push options to pre-receive only: no override to offer here. */
		if (strcmp(hook_name, "update") != 0)
			admins_hint(&hint, ov);
		print_report(&st, "rejected", hint.size ? cl_buf_cstr(&hint) : NULL);
		rc = 1;
	}
	if (rc == 0)
		rc = run_chained(hook_name, input, input_len, argc, argv);
	/*
	 * Only now is the push accepted. A write that fails here cannot refuse
	 * it any more (git may already be updating refs for the update hook's
	 * siblings); the pusher and the admin hear of it instead.
	 */
	if (rc == 0 && cl_pending_apply(st.env.pending) < 0)
		say("warning: %s", cl_error_last());
done:
	cl_buf_dispose(&hint);
	hook_state_dispose(&st);
	git_libgit2_shutdown();
	return rc;
}
