/*
 * clearance check [RANGE]: the hook's verdict, on the engineer's machine,
 * before the push.
 */
#include "commands.h"
#include "buf.h"
#include "engine.h"
#include "error.h"
#include "finding.h"
#include "headers.h"
#include "oid_list.h"
#include "policy.h"
#include "report.h"
#include "repo_policy.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void check_usage(FILE *fp)
{
	fprintf(fp,
		"usage: clearance check [RANGE] [--policy FILE] [--format text|json] [--verbose] [-C DIR]\n"
		"\n"
		"Check the commits of RANGE as the server hooks would.\n"
		"       clearance check --tree [REV] [--policy FILE] [--format text|json]\n"
		"\n"
		"  RANGE           A..B (an empty side means HEAD); default: @{upstream}..HEAD,\n"
		"                  or, without an upstream, the commits on no remote-tracking branch\n"
		"  --policy FILE   the policy to apply; default: the repository's (git config\n"
		"                  clearance.policy, .git/clearance.yml), else .clearance.yml at the\n"
		"                  top of the work tree, else the built-in default (DCO on)\n"
		"  --tree [REV]    check every file of REV's tree (default HEAD) for its license\n"
		"                  header, as when adopting clearance on an existing repository,\n"
		"                  and summarise: files checked, compliant, by license, by problem\n"
		"  --format json   print the findings as JSON\n"
		"  --verbose       say what was checked even when nothing is wrong\n"
		"  -C DIR          run in DIR\n"
		"exit status: 0 nothing wrong, 1 findings that a push would be rejected for, 2 error\n");
}

static int file_exists(const char *path)
{
	return access(path, R_OK) == 0;
}

int cli_load_policy(struct cl_policy **out, char **source, git_repository *repo, const char *given)
{
	char *path = NULL;
	const char *workdir;
	int error;

	if (given) {
		*source = strdup(given);
		return cl_policy_load(out, given);
	}
	if ((error = cl_repo_policy_path(&path, repo)) < 0)
		return error;
	if (file_exists(path)) {
		*source = path;
		return cl_policy_load(out, path);
	}
	free(path);
	path = NULL;
	workdir = git_repository_workdir(repo);
	if (workdir) {
		struct cl_buf p = CL_BUF_INIT;
		if ((error = cl_buf_printf(&p, "%s.clearance.yml", workdir)) < 0)
			return error;
		if (file_exists(cl_buf_cstr(&p))) {
			*source = cl_buf_detach(&p);
			return cl_policy_load(out, *source);
		}
		cl_buf_dispose(&p);
	}
	*source = strdup("(built-in default)");
	return cl_policy_default(out);
}

static int resolve(git_oid *out, git_repository *repo, const char *spec)
{
	git_object *obj = NULL, *peeled = NULL;
	int error = 0;

	if (git_revparse_single(&obj, repo, spec) < 0 ||
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		error = cl_error_from_git(spec);
		goto done;
	}
	git_oid_cpy(out, git_object_id(peeled));
done:
	git_object_free(peeled);
	git_object_free(obj);
	return error;
}

/* Without an upstream, "new" means: on no remote-tracking branch. */
static int hide_remotes(struct cl_oid_list *hide, git_repository *repo)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	int error;

	if (git_reference_iterator_glob_new(&it, repo, "refs/remotes/*") < 0)
		return cl_error_from_git("cannot list remote-tracking branches");
	while ((error = git_reference_next(&ref, it)) == 0) {
		if (git_reference_type(ref) == GIT_REFERENCE_DIRECT &&
		    cl_oid_list_add(hide, git_reference_target(ref)) < 0) {
			git_reference_free(ref);
			git_reference_iterator_free(it);
			return CL_ERROR;
		}
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	if (error != GIT_ITEROVER)
		return cl_error_from_git("cannot list remote-tracking branches");
	git_error_clear();
	return 0;
}

/*
 * The current branch's upstream, read from branch.<b>.remote/.merge and the
 * remote's fetch refspecs. Not git_revparse("@{upstream}"): libgit2 1.5's
 * remote lookup leaks its regex match data, and a leak-checked test suite
 * runs this command.
 * @return 0 with *out set, CL_ENOTFOUND when the branch has no upstream.
 */
static int upstream_of_head(git_oid *out, git_repository *repo)
{
	git_reference *head = NULL;
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *entry;
	git_buf remote = GIT_BUF_INIT, merge = GIT_BUF_INIT, mapped = GIT_BUF_INIT;
	struct cl_buf key = CL_BUF_INIT;
	const char *branch;
	int error = CL_ENOTFOUND, rc;

	if (git_repository_head(&head, repo) < 0 || !git_reference_is_branch(head))
		goto done;
	branch = git_reference_name(head) + strlen("refs/heads/");
	if (git_repository_config_snapshot(&cfg, repo) < 0)
		goto done;
	if (cl_buf_printf(&key, "branch.%s.remote", branch) < 0 ||
	    git_config_get_string_buf(&remote, cfg, cl_buf_cstr(&key)) < 0)
		goto done;
	cl_buf_clear(&key);
	if (cl_buf_printf(&key, "branch.%s.merge", branch) < 0 ||
	    git_config_get_string_buf(&merge, cfg, cl_buf_cstr(&key)) < 0)
		goto done;
	if (!strcmp(remote.ptr, ".")) {
		/* Tracking a local branch: the merge ref is the upstream itself. */
		if (git_reference_name_to_id(out, repo, merge.ptr) == 0)
			error = 0;
		goto done;
	}
	cl_buf_clear(&key);
	if (cl_buf_printf(&key, "remote.%s.fetch", remote.ptr) < 0 ||
	    git_config_multivar_iterator_new(&it, cfg, cl_buf_cstr(&key), NULL) < 0)
		goto done;
	while ((rc = git_config_next(&entry, it)) == 0) {
		git_refspec *spec;
		if (git_refspec_parse(&spec, entry->value, 1) < 0)
			continue;
		if (git_refspec_src_matches(spec, merge.ptr) &&
		    git_refspec_transform(&mapped, spec, merge.ptr) == 0 &&
		    git_reference_name_to_id(out, repo, mapped.ptr) == 0)
			error = 0;
		git_refspec_free(spec);
		if (error == 0)
			break;
	}
done:
	if (error)
		git_error_clear();
	git_config_iterator_free(it);
	git_buf_dispose(&remote);
	git_buf_dispose(&merge);
	git_buf_dispose(&mapped);
	cl_buf_dispose(&key);
	git_config_free(cfg);
	git_reference_free(head);
	return error;
}

static int print_counts(struct cl_buf *out, const char *title, json_t *counts)
{
	const char *key;
	json_t *value;
	int error = 0;

	if (json_object_size(counts) == 0)
		return 0;
	error = cl_buf_printf(out, "%s:\n", title);
	json_object_foreach(counts, key, value)
		if (error >= 0)
			error = cl_buf_printf(out, "  %-40s %6lld\n", key, (long long)json_integer_value(value));
	return error;
}

/* clearance check --tree: every file of a tree, for adopting the header check. */
static int check_tree(git_repository *repo, const struct cl_policy *policy, const char *source,
	const char *rev, const char *format, int verbose)
{
	struct cl_header_options opts = *cl_policy_headers(policy);
	struct cl_report_options ropts = CL_REPORT_OPTIONS_INIT;
	struct cl_header_stats stats;
	struct cl_findings *findings = NULL;
	struct cl_buf out = CL_BUF_INIT;
	json_t *doc = NULL;
	git_oid id;
	int rc = CL_EXIT_CONFIG;

	/* Asking for a tree check is asking for the header check, enabled or not. */
	opts.enabled = 1;
	if (cl_header_stats_init(&stats) < 0 || cl_findings_new(&findings) < 0 ||
	    resolve(&id, repo, rev) < 0 ||
	    cl_headers_check_tree(findings, &stats, repo, &opts, &id, rev) < 0) {
		cli_error("cannot check the tree");
		goto done;
	}
	ropts.verbose = verbose;
	ropts.verdict = cl_findings_count_severity(findings, CL_SEVERITY_ERROR) ? "not compliant" : "compliant";
	ropts.policy = source;
	if (!strcmp(format, "json")) {
		char *s;
		if (cl_report_json(&doc, findings, &ropts) < 0 ||
		    json_object_set_new(doc, "tree", json_pack("{s:s,s:I,s:I,s:I,s:O,s:O}", "rev", rev,
			"files", (json_int_t)stats.files, "compliant", (json_int_t)stats.compliant,
			"skipped", (json_int_t)stats.skipped, "by_license", stats.by_license,
			"by_problem", stats.by_problem)) < 0 ||
		    (s = json_dumps(doc, JSON_INDENT(2))) == NULL) {
			cli_error("cannot render report");
			goto done;
		}
		printf("%s\n", s);
		free(s);
	} else {
		if (cl_report_text(&out, findings, &ropts) < 0 ||
		    cl_buf_printf(&out, "%sfiles checked: %zu, compliant: %zu, not compliant: %zu, "
			"skipped by policy or binary: %zu\n", out.size ? "\n" : "", stats.files,
			stats.compliant, stats.files - stats.compliant, stats.skipped) < 0 ||
		    print_counts(&out, "by license", stats.by_license) < 0 ||
		    print_counts(&out, "by problem", stats.by_problem) < 0) {
			cli_error("cannot render report");
			goto done;
		}
		fputs(cl_buf_cstr(&out), stdout);
	}
	rc = cl_findings_count_severity(findings, CL_SEVERITY_ERROR) ? CL_EXIT_REJECT : CL_EXIT_OK;
done:
	json_decref(doc);
	cl_buf_dispose(&out);
	cl_findings_free(findings);
	cl_header_stats_dispose(&stats);
	return rc;
}

int cmd_check(int argc, char **argv)
{
	const char *range = NULL, *policy_file = NULL, *dir = NULL, *format = "text";
	struct cl_policy *policy = NULL;
	struct cl_engine_env env = { 0 };
	struct cl_findings *findings = NULL;
	struct cl_engine_stats stats;
	struct cl_report_options opts = CL_REPORT_OPTIONS_INIT;
	struct cl_buf out = CL_BUF_INIT, label = CL_BUF_INIT;
	struct cl_oid_list hide_storage = CL_OID_LIST_INIT, *hide = &hide_storage;
	git_repository *repo = NULL;
	char *source = NULL;
	git_oid tip, base;
	int i, verbose = 0, tree = 0, rc = CL_EXIT_CONFIG;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			check_usage(stdout);
			return CL_EXIT_OK;
		} else if (!strcmp(argv[i], "--tree")) {
			tree = 1;
		} else if (!strcmp(argv[i], "--policy") && i + 1 < argc) {
			policy_file = argv[++i];
		} else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			format = argv[++i];
		} else if (!strcmp(argv[i], "-C") && i + 1 < argc) {
			dir = argv[++i];
		} else if (!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v")) {
			verbose = 1;
		} else if (argv[i][0] != '-' && !range) {
			range = argv[i];
		} else {
			check_usage(stderr);
			return CL_EXIT_CONFIG;
		}
	}
	if (strcmp(format, "text") && strcmp(format, "json")) {
		fprintf(stderr, "clearance: unknown format '%s' (text or json)\n", format);
		return CL_EXIT_CONFIG;
	}

	git_libgit2_init();
	if (git_repository_open_ext(&repo, dir ? dir : ".", 0, NULL) < 0) {
		cl_error_from_git("not in a git repository");
		cli_error(NULL);
		goto done;
	}
	if (cli_load_policy(&policy, &source, repo, policy_file) < 0) {
		cli_error(NULL);
		goto done;
	}
	if (tree) {
		rc = check_tree(repo, policy, source, range ? range : "HEAD", format, verbose);
		goto done;
	}

	if (range) {
		const char *dots = strstr(range, "..");
		char *from = NULL;
		const char *to;
		if (!dots) {
			fprintf(stderr, "clearance: range '%s' must be A..B\n", range);
			goto done;
		}
		if (dots[2] == '.') {
			fprintf(stderr, "clearance: symmetric ranges (A...B) are not supported; use A..B\n");
			goto done;
		}
		from = strndup(range, (size_t)(dots - range));
		to = dots[2] ? dots + 2 : "HEAD";
		if (!from || resolve(&tip, repo, to) < 0 ||
		    resolve(&base, repo, *from ? from : "HEAD") < 0 || cl_oid_list_add(hide, &base) < 0) {
			free(from);
			cli_error(NULL);
			goto done;
		}
		free(from);
		cl_buf_puts(&label, range);
	} else {
		if (resolve(&tip, repo, "HEAD") < 0) {
			cli_error(NULL);
			goto done;
		}
		if (upstream_of_head(&base, repo) == 0) {
			if (cl_oid_list_add(hide, &base) < 0) {
				cli_error(NULL);
				goto done;
			}
			cl_buf_puts(&label, "@{upstream}..HEAD");
		} else {
			git_error_clear();
			if (hide_remotes(hide, repo) < 0) {
				cli_error(NULL);
				goto done;
			}
			cl_buf_puts(&label, "HEAD (not on any remote)");
		}
	}

	/* a local check is a rehearsal: what a push would write stays unwritten */
	memset(&env, 0, sizeof(env));
	if (cl_findings_new(&findings) < 0 || cl_pending_new(&env.pending) < 0 ||
	    cl_engine_check_range_env(findings, &stats, repo, policy, cl_buf_cstr(&label), &tip,
		hide->ids, hide->count, &env) < 0) {
		cli_error("cannot check");
		goto done;
	}
	opts.verbose = verbose;
	opts.verdict = cl_findings_count_severity(findings, CL_SEVERITY_ERROR) ? "would be rejected" : "ok";
	opts.commits_checked = stats.commits_checked;
	opts.policy = source;
	if (!strcmp(format, "json")) {
		json_t *doc = NULL;
		char *s = NULL;
		if (cl_report_json(&doc, findings, &opts) < 0 || !(s = json_dumps(doc, JSON_INDENT(2)))) {
			json_decref(doc);
			cli_error("cannot render report");
			goto done;
		}
		printf("%s\n", s);
		free(s);
		json_decref(doc);
	} else {
		if (cl_report_text(&out, findings, &opts) < 0) {
			cli_error("cannot render report");
			goto done;
		}
		fputs(cl_buf_cstr(&out), stdout);
	}
	rc = cl_findings_count_severity(findings, CL_SEVERITY_ERROR) ? CL_EXIT_REJECT : CL_EXIT_OK;
done:
	cl_buf_dispose(&out);
	cl_buf_dispose(&label);
	cl_pending_free(env.pending);
	cl_findings_free(findings);
	cl_policy_free(policy);
	free(source);
	cl_oid_list_dispose(&hide_storage);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}
