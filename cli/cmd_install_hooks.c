/*
 * clearance install-hooks REPO: make a bare repository enforce the policy.
 *
 * Idempotent: running it again changes nothing that is already right. An
 * admin's own hook is never destroyed: it is renamed to <hook>.chained and
 * run after ours, with the same input, when ours accepts.
 */
#include "commands.h"
#include "buf.h"
#include "error.h"
#include "fileio.h"
#include "policy.h"
#include "repo_policy.h"
#include "template.h"

#include <errno.h>
#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const known_hooks[] = { "pre-receive", "update", "post-receive" };

static void install_usage(FILE *fp)
{
	fprintf(fp,
		"usage: clearance install-hooks REPO [--policy FILE] [--hooks LIST] [--dry-run]\n"
		"                                    [--store PATH | --bot URL --secret-file FILE]\n"
		"\n"
		"Install clearance's server hooks into the repository REPO (bare or not).\n"
		"  --policy FILE   validate FILE and install it as REPO/clearance.yml; without it an\n"
		"                  existing policy is kept, and a new repository gets the sample policy\n"
		"  --hooks LIST    comma-separated hooks to install: pre-receive and post-receive\n"
		"                  (default), update (alone on servers that do not run pre-receive)\n"
		"  --store PATH    post-receive hands push events to the bot's store (its queue) at PATH\n"
		"  --bot URL       ... or posts them to the bot at URL (POST URL/events/push), signed\n"
		"                  with the secret in --secret-file FILE (the bot's events_secret)\n"
		"                  These go to the repository's git config (clearance.botStore,\n"
		"                  clearance.botUrl, clearance.botSecretFile), over the policy's bot:.\n"
		"An existing hook that is not clearance's is kept as <hook>.chained and run after\n"
		"clearance accepts. The repository's receive.advertisePushOptions is turned on so\n"
		"that admins can push with -o clearance.override=REASON.\n");
}

/* The absolute path of this program, which the hooks will point to. */
static int self_path(char *out, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", out, size - 1);
	if (n < 0 || (size_t)n >= size - 1)
		return cl_error_set("cannot find the clearance program's own path: %s", strerror(errno));
	out[n] = '\0';
	return 0;
}

static int is_ours(const char *hook, const char *self)
{
	char target[PATH_MAX], *real;
	int ours;
	ssize_t n = readlink(hook, target, sizeof(target) - 1);

	if (n < 0)
		return 0;
	target[n] = '\0';
	real = realpath(hook, NULL);
	ours = (real && strcmp(real, self) == 0);
	if (!ours) {
		/* A symlink to some clearance binary (an older install) is ours too. */
		const char *base = strrchr(target, '/');
		ours = strcmp(base ? base + 1 : target, "clearance") == 0;
	}
	free(real);
	return ours;
}

static int install_one(const char *hooks_dir, const char *name, const char *self, int dry_run)
{
	struct cl_buf hook = CL_BUF_INIT, chained = CL_BUF_INIT, tmp = CL_BUF_INIT;
	struct stat st;
	int error = 0;

	if ((error = cl_buf_printf(&hook, "%s/%s", hooks_dir, name)) < 0 ||
	    (error = cl_buf_printf(&chained, "%s/%s.chained", hooks_dir, name)) < 0 ||
	    (error = cl_buf_printf(&tmp, "%s/.%s.clearance-tmp", hooks_dir, name)) < 0)
		goto done;

	if (lstat(cl_buf_cstr(&hook), &st) == 0) {
		if (is_ours(cl_buf_cstr(&hook), self)) {
			char target[PATH_MAX];
			ssize_t n = readlink(cl_buf_cstr(&hook), target, sizeof(target) - 1);
			if (n >= 0 && (target[n] = '\0', strcmp(target, self) == 0)) {
				printf("  %s: up to date\n", name);
				goto done;
			}
		} else {
			if (lstat(cl_buf_cstr(&chained), &st) == 0) {
				error = cl_error_set("'%s' exists and is not clearance's, and '%s' is taken too; "
					"merge them by hand, then run install-hooks again",
					cl_buf_cstr(&hook), cl_buf_cstr(&chained));
				goto done;
			}
			printf("  %s: keeping the existing hook as %s.chained (runs after clearance)\n", name, name);
			if (!dry_run && rename(cl_buf_cstr(&hook), cl_buf_cstr(&chained)) < 0) {
				error = cl_error_set("cannot rename '%s': %s", cl_buf_cstr(&hook), strerror(errno));
				goto done;
			}
		}
	}
	printf("  %s -> %s\n", name, self);
	if (dry_run)
		goto done;
	/* Build the link aside and rename it in: a push never sees a missing hook. */
	unlink(cl_buf_cstr(&tmp));
	if (symlink(self, cl_buf_cstr(&tmp)) < 0 || rename(cl_buf_cstr(&tmp), cl_buf_cstr(&hook)) < 0) {
		error = cl_error_set("cannot install '%s': %s", cl_buf_cstr(&hook), strerror(errno));
		unlink(cl_buf_cstr(&tmp));
	}
done:
	cl_buf_dispose(&hook);
	cl_buf_dispose(&chained);
	cl_buf_dispose(&tmp);
	return error;
}

static int install_policy(git_repository *repo, const char *given, int dry_run)
{
	struct cl_buf data = CL_BUF_INIT, holder = CL_BUF_INIT;
	struct cl_policy *policy = NULL;
	char *path = NULL;
	const char *sample;
	size_t sample_len;
	int error;

	if ((error = cl_repo_policy_path(&path, repo)) < 0)
		goto done;
	if (given) {
		/* Never install a policy the hook would refuse to load. */
		cl_buf_init(&data, 1024 * 1024);
		if ((error = cl_buf_read_path(&data, given)) < 0 ||
		    (error = cl_policy_load_buffer(&policy, data.ptr, data.size, given)) < 0)
			goto done;
		printf("  policy: %s (from %s)\n", path, given);
		if (!dry_run)
			error = cl_file_write_atomic(path, data.ptr, data.size, 0644);
		goto done;
	}
	if (access(path, F_OK) == 0) {
		if ((error = cl_policy_load(&policy, path)) < 0)
			goto done;
		printf("  policy: %s (kept)\n", path);
		goto done;
	}
	if ((error = cl_template_find(&sample, &sample_len, &holder, "policy.yml")) < 0)
		goto done;
	printf("  policy: %s (the sample policy: DCO sign-off required; edit it to taste)\n", path);
	if (!dry_run)
		error = cl_file_write_atomic(path, sample, sample_len, 0644);
done:
	cl_policy_free(policy);
	cl_buf_dispose(&data);
	cl_buf_dispose(&holder);
	free(path);
	return error;
}

int cli_hooks_dir(struct cl_buf *out, git_repository *repo)
{
	git_config *cfg = NULL;
	git_buf value = GIT_BUF_INIT;
	int error;

	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return cl_error_from_git("cannot read repository config");
	/* git runs hooks from core.hooksPath when set, so that is where ours go. */
	error = git_config_get_path(&value, cfg, "core.hooksPath");
	if (error == 0) {
		if (value.ptr[0] == '/')
			error = cl_buf_puts(out, value.ptr);
		else
			error = cl_buf_printf(out, "%s%s", git_repository_path(repo), value.ptr);
	} else if (error == GIT_ENOTFOUND) {
		git_error_clear();
		error = cl_buf_printf(out, "%shooks", git_repository_path(repo));
	} else {
		error = cl_error_from_git("cannot read core.hooksPath");
	}
	git_buf_dispose(&value);
	git_config_free(cfg);
	return error;
}

/*
 * Where post-receive finds the bot, in the repository's git config: the
 * policy may be shared by many repositories, the bot's place is this
 * server's. A store path is made absolute (hooks run in the repository).
 */
static int install_bot(git_repository *repo, const char *store, const char *url,
	const char *secret_file, int dry_run)
{
	git_config *cfg = NULL;
	char *abs_store = NULL, *abs_secret = NULL;
	int error = 0;

	if ((store && !(abs_store = realpath(store, NULL))) ||
	    (secret_file && !(abs_secret = realpath(secret_file, NULL)))) {
		error = cl_error_set("cannot find '%s': %s", store && !abs_store ? store : secret_file,
			strerror(errno));
		goto done;
	}
	if (store)
		printf("  clearance.botStore = %s (post-receive queues push events there)\n", abs_store);
	if (url)
		printf("  clearance.botUrl = %s (post-receive posts push events to %s/events/push)\n", url, url);
	if (secret_file)
		printf("  clearance.botSecretFile = %s\n", abs_secret);
	if (dry_run)
		goto done;
	if (git_repository_config(&cfg, repo) < 0) {
		error = cl_error_from_git("cannot open the repository's config");
		goto done;
	}
	/* one place at a time: a store and a URL would leave the reader guessing */
	if (store) {
		git_config_delete_entry(cfg, "clearance.botUrl");
		git_error_clear();
		if (git_config_set_string(cfg, "clearance.botStore", abs_store) < 0)
			error = cl_error_from_git("cannot set clearance.botStore");
	} else if (url) {
		git_config_delete_entry(cfg, "clearance.botStore");
		git_error_clear();
		if (git_config_set_string(cfg, "clearance.botUrl", url) < 0)
			error = cl_error_from_git("cannot set clearance.botUrl");
	}
	if (error == 0 && secret_file &&
	    git_config_set_string(cfg, "clearance.botSecretFile", abs_secret) < 0)
		error = cl_error_from_git("cannot set clearance.botSecretFile");
done:
	free(abs_store);
	free(abs_secret);
	git_config_free(cfg);
	return error;
}

int cmd_install_hooks(int argc, char **argv)
{
	const char *repo_path = NULL, *policy_file = NULL, *hooks = "pre-receive,post-receive";
	const char *bot_store = NULL, *bot_url = NULL, *secret_file = NULL;
	struct cl_buf hooks_dir = CL_BUF_INIT;
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	char self[PATH_MAX], *list = NULL, *name, *save = NULL;
	int i, dry_run = 0, rc = CL_EXIT_CONFIG;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			install_usage(stdout);
			return CL_EXIT_OK;
		} else if (!strcmp(argv[i], "--policy") && i + 1 < argc) {
			policy_file = argv[++i];
		} else if (!strcmp(argv[i], "--hooks") && i + 1 < argc) {
			hooks = argv[++i];
		} else if (!strcmp(argv[i], "--store") && i + 1 < argc) {
			bot_store = argv[++i];
		} else if (!strcmp(argv[i], "--bot") && i + 1 < argc) {
			bot_url = argv[++i];
		} else if (!strcmp(argv[i], "--secret-file") && i + 1 < argc) {
			secret_file = argv[++i];
		} else if (!strcmp(argv[i], "--dry-run") || !strcmp(argv[i], "-n")) {
			dry_run = 1;
		} else if (argv[i][0] != '-' && !repo_path) {
			repo_path = argv[i];
		} else {
			install_usage(stderr);
			return CL_EXIT_CONFIG;
		}
	}
	if (!repo_path || (bot_store && bot_url)) {
		install_usage(stderr);
		return CL_EXIT_CONFIG;
	}
	if (bot_url && strncmp(bot_url, "http://", 7) && strncmp(bot_url, "https://", 8)) {
		fprintf(stderr, "clearance: --bot takes the bot's http:// or https:// URL\n");
		return CL_EXIT_CONFIG;
	}

	git_libgit2_init();
	if (self_path(self, sizeof(self)) < 0) {
		cli_error(NULL);
		goto done;
	}
	if (git_repository_open_ext(&repo, repo_path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		cl_error_from_git(repo_path);
		cli_error("cannot open repository");
		goto done;
	}
	printf("clearance: installing into %s%s\n", git_repository_path(repo), dry_run ? " (dry run)" : "");
	if (install_policy(repo, policy_file, dry_run) < 0) {
		cli_error("policy not installed");
		goto done;
	}
	if (cli_hooks_dir(&hooks_dir, repo) < 0) {
		cli_error(NULL);
		goto done;
	}
	if (!dry_run && mkdir(cl_buf_cstr(&hooks_dir), 0755) < 0 && errno != EEXIST) {
		cl_error_set("cannot create '%s': %s", cl_buf_cstr(&hooks_dir), strerror(errno));
		cli_error(NULL);
		goto done;
	}
	if ((list = strdup(hooks)) == NULL) {
		cl_error_set("out of memory");
		cli_error(NULL);
		goto done;
	}
	for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		size_t k;
		int known = 0;
		for (k = 0; k < sizeof(known_hooks) / sizeof(known_hooks[0]); k++)
			known |= !strcmp(name, known_hooks[k]);
		if (!known) {
			fprintf(stderr, "clearance: unknown hook '%s' (known: pre-receive, update, post-receive)\n", name);
			goto done;
		}
		if (install_one(cl_buf_cstr(&hooks_dir), name, self, dry_run) < 0) {
			cli_error(NULL);
			goto done;
		}
	}
	if (!dry_run) {
		if (git_repository_config(&cfg, repo) < 0 ||
		    git_config_set_bool(cfg, "receive.advertisePushOptions", 1) < 0) {
			cl_error_from_git("cannot set receive.advertisePushOptions");
			cli_error(NULL);
			goto done;
		}
	}
	printf("  receive.advertisePushOptions = true\n");
	if ((bot_store || bot_url || secret_file) &&
	    install_bot(repo, bot_store, bot_url, secret_file, dry_run) < 0) {
		cli_error("bot settings not written");
		goto done;
	}
	rc = CL_EXIT_OK;
done:
	free(list);
	cl_buf_dispose(&hooks_dir);
	git_config_free(cfg);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}
