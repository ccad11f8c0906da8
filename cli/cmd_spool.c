/*
 * clearance spool flush|status [REPO]: the push events a hosted
 * repository's post-receive could not hand to the bot yet (hooks/deliver.h).
 * clearance overrides list: the admin overrides the bot recorded from them.
 */
#include "commands.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../bot/config.h"
#include "../bot/events.h"
#include "../bot/server.h"
#include "../hooks/deliver.h"
#include "error.h"
#include "policy.h"
#include "repo_policy.h"
#include "spool.h"

static void spool_usage(FILE *fp)
{
	fprintf(fp,
		"usage: clearance spool flush [REPO]\n"
		"       clearance spool status [REPO]\n"
		"\n"
		"post-receive spools each push event in REPO/clearance-spool/ and delivers it to the\n"
		"bot (its store, or its URL). When the bot was away, the events wait there.\n"
		"  flush    deliver them, oldest first; a corrupt file is moved to clearance-spool/bad/\n"
		"  status   how many wait, how many are corrupt\n"
		"REPO defaults to $GIT_DIR or the current directory.\n"
		"exit status: 0 nothing left waiting, 1 events left or corrupt files, 2 configuration error\n");
}

/*
 * The repository, its policy (NULL when it does not load: the git config may
 * still say where the bot is) and where the bot is.
 */
static int open_target(git_repository **repo, struct cl_policy **policy,
	struct hook_bot_target *target, const char *path)
{
	char *policy_path = NULL;
	int error;

	*repo = NULL;
	*policy = NULL;
	if (!path)
		path = getenv("GIT_DIR") && *getenv("GIT_DIR") ? getenv("GIT_DIR") : ".";
	if (git_repository_open_ext(repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
		return cl_error_from_git(path);
	if (cl_repo_policy_path(&policy_path, *repo) == 0 && cl_policy_load(policy, policy_path) < 0) {
		fprintf(stderr, "clearance: warning: %s (using the git config only)\n", cl_error_last());
		*policy = NULL;
	}
	free(policy_path);
	error = hook_bot_target_load(target, *repo, *policy);
	return error;
}

int cmd_spool(int argc, char **argv)
{
	struct hook_bot_target target;
	struct cl_policy *policy = NULL;
	git_repository *repo = NULL;
	const char *sub;
	int rc = CL_EXIT_CONFIG;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		spool_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CL_EXIT_CONFIG : CL_EXIT_OK;
	}
	sub = argv[1];
	if ((strcmp(sub, "flush") && strcmp(sub, "status")) || argc > 3) {
		spool_usage(stderr);
		return CL_EXIT_CONFIG;
	}
	memset(&target, 0, sizeof(target));
	git_libgit2_init();
	if (open_target(&repo, &policy, &target, argc == 3 ? argv[2] : NULL) < 0) {
		cli_error(NULL);
		goto done;
	}
	if (!strcmp(sub, "status")) {
		struct cl_spool_status st;
		if (cl_spool_status(&st, target.spool_dir, NULL, NULL) < 0) {
			cli_error(NULL);
			goto done;
		}
		printf("%s: %zu waiting, %zu corrupt, %zu in bad/\n", target.spool_dir, st.pending,
			st.corrupt, st.bad);
		rc = st.pending || st.corrupt ? CL_EXIT_REJECT : CL_EXIT_OK;
	} else {
		struct cl_spool_stats stats;
		int error = hook_spool_flush(&stats, &target, stderr);
		printf("%s: %zu delivered, %zu moved to bad/, %zu waiting\n", target.spool_dir,
			stats.delivered, stats.bad, stats.pending);
		if (error < 0 && !hook_bot_target_configured(&target)) {
			cli_error(NULL);
			goto done;
		}
		if (error < 0)
			cli_error("the bot did not take an event");
		rc = error < 0 || stats.bad ? CL_EXIT_REJECT : CL_EXIT_OK;
	}
done:
	hook_bot_target_dispose(&target);
	cl_policy_free(policy);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}

/* ---- clearance overrides list ------------------------------------------------ */

static int print_override(const struct cl_override_row *row, void *payload)
{
	(void)payload;
	printf("%s\t%s\t%s\t%s\t%lld\t%s\n", row->time ? row->time : "-", row->repository, row->ref,
		row->pusher ? row->pusher : "-", row->findings, row->reason);
	return 0;
}

int cmd_overrides(int argc, char **argv)
{
	const char *store = NULL, *config = NULL;
	struct cl_bot_config *cfg = NULL;
	sqlite3 *db = NULL;
	char *path = NULL;
	int i, rc = CL_EXIT_CONFIG;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--store") && i + 1 < argc)
			store = argv[++i];
		else if (!strcmp(argv[i], "--config") && i + 1 < argc)
			config = argv[++i];
		else
			break;
	}
	if (argc < 2 || strcmp(argv[1], "list") || i < argc) {
		fprintf(argc >= 2 && !strcmp(argv[1], "--help") ? stdout : stderr,
			"usage: clearance overrides list [--store PATH | --config bot.yml]\n"
			"Lists the overrides admins made on hosted repositories (git push -o\n"
			"clearance.override=REASON), as the bot recorded them from post-receive,\n"
			"newest first: time, repository, ref, pusher, findings, reason (tab-separated).\n");
		return argc >= 2 && !strcmp(argv[1], "--help") ? CL_EXIT_OK : CL_EXIT_CONFIG;
	}
	if (!store) {
		if (cl_bot_config_load(&cfg, config) < 0 || !(path = cl_bot_db_path(cfg->data_dir))) {
			cli_error("cannot find the bot's store");
			goto done;
		}
		store = path;
	}
	if (cl_events_store_open(&db, store, 0) < 0) {
		cli_error("cannot open the store");
		goto done;
	}
	if (cl_overrides_list(db, 0, print_override, NULL) < 0) {
		cli_error(NULL);
		goto done;
	}
	rc = CL_EXIT_OK;
done:
	cl_db_close(db);
	free(path);
	cl_bot_config_free(cfg);
	return rc;
}
