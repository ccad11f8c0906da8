/*
 * review.c - statuses, check runs and the summary comment of a pull request.
 */
#include "review.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval_bot.h"
#include "buf.h"
#include "check.h"
#include "error.h"
#include "identities.h"
#include "repo_check.h"
#include "report.h"
#include "template.h"

const char *cl_review_context(const char *check)
{
	static const struct { const char *check, *context; } names[] = {
		{ "dco", "clearance/dco" }, { "header", "clearance/headers" },
		{ "deps", "clearance/deps" }, { "cla", "clearance/cla" },
		{ "approval", "clearance/approval" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i].check, check))
			return names[i].context;
	return "clearance/policy";
}

struct review_tally {
	size_t errors, reviews, notes, commits;
	const char *first_rule;
};

static void review_count(struct review_tally *t, const struct cl_findings *findings,
	const char *check)
{
	size_t i, j, n = cl_findings_count(findings);

	memset(t, 0, sizeof(*t));
	for (i = 0; i < n; i++) {
		const struct cl_finding *f = cl_findings_get(findings, i);
		int seen = 0;

		if (strcmp(f->check, check) != 0)
			continue;
		if (f->severity != CL_SEVERITY_ERROR) {
			if (f->severity == CL_SEVERITY_REVIEW)
				t->reviews++;
			else
				t->notes++;
			continue;
		}
		if (!t->errors++)
			t->first_rule = f->rule;
		for (j = 0; j < i && f->commit && !seen; j++) {
			const struct cl_finding *g = cl_findings_get(findings, j);
			seen = g->severity == CL_SEVERITY_ERROR && !strcmp(g->check, check) &&
				g->commit && !strcmp(g->commit, f->commit);
		}
		if (f->commit && !seen)
			t->commits++;
	}
}

static void review_describe(char *out, size_t size, const struct review_tally *t,
	size_t commits_checked)
{
	if (t->errors && t->commits)
		snprintf(out, size, "%zu problem%s in %zu commit%s (%s)", t->errors,
			t->errors == 1 ? "" : "s", t->commits, t->commits == 1 ? "" : "s",
			t->first_rule ? t->first_rule : "see the summary comment");
	else if (t->errors)
		snprintf(out, size, "%zu problem%s (%s)", t->errors, t->errors == 1 ? "" : "s",
			t->first_rule ? t->first_rule : "see the summary comment");
	else if (t->reviews)
		snprintf(out, size, "passed; %zu item%s for the OSPO to review", t->reviews,
			t->reviews == 1 ? "" : "s");
	else
		snprintf(out, size, "passed (%zu commit%s checked)", commits_checked,
			commits_checked == 1 ? "" : "s");
}

static enum cl_forge_annotation_level review_level(enum cl_severity sev)
{
	return sev == CL_SEVERITY_ERROR ? CL_FORGE_FAILURE_LEVEL :
		sev == CL_SEVERITY_WARNING ? CL_FORGE_WARNING : CL_FORGE_NOTICE;
}

/* One check run, with an annotation per finding that names a file. */
static int review_check_run(struct cl_forge *forge, const struct cl_forge_repo *repo,
	const char *sha, const char *context, int failed, const char *description,
	const struct cl_findings *findings, const char *check)
{
	struct cl_forge_annotation *notes = NULL;
	struct cl_forge_check run;
	size_t i, n = cl_findings_count(findings), k = 0;
	uint64_t id = 0;
	int error;

	if (n && !(notes = calloc(n, sizeof(*notes))))
		return cl_error_set("out of memory");
	for (i = 0; i < n; i++) {
		const struct cl_finding *f = cl_findings_get(findings, i);
		if (strcmp(f->check, check) || !f->path)
			continue;
		notes[k].path = f->path;
		notes[k].start_line = f->line;
		notes[k].level = review_level(f->severity);
		notes[k].title = f->rule;
		notes[k].message = f->remedy ? f->remedy : f->message;
		k++;
	}
	memset(&run, 0, sizeof(run));
	run.name = context;
	run.head_sha = sha;
	run.completed = 1;
	run.conclusion = failed ? CL_FORGE_FAILURE : CL_FORGE_SUCCESS;
	run.title = description;
	run.summary = description;
	run.annotations = notes;
	run.nannotations = k;
	error = cl_forge_check_set(&id, forge, repo, &run);
	free(notes);
	return error;
}

static int review_comment(struct cl_forge *forge, const struct cl_forge_repo *repo,
	uint64_t number, const struct cl_findings *findings, json_t *checks,
	const char *policy_error, const char *head, size_t commits_checked)
{
	struct cl_report_options ropts = CL_REPORT_OPTIONS_INIT;
	struct cl_forge_comment existing;
	struct cl_buf body = CL_BUF_INIT, marker = CL_BUF_INIT, holder = CL_BUF_INIT;
	json_t *doc = NULL;
	const char *tmpl;
	size_t tlen;
	char short_head[11];
	int error, have_comment;

	memset(&existing, 0, sizeof(existing));
	error = cl_forge_comment_find(&existing, forge, repo, number, CL_REVIEW_COMMENT_KEY);
	if (error < 0 && error != CL_ENOTFOUND)
		return error;
	have_comment = error == 0;
	cl_forge_comment_dispose(&existing);
	/* A clean pull request gets no comment; a fixed one gets its comment updated. */
	if (!have_comment && !policy_error && cl_findings_count(findings) == 0)
		return 0;

	snprintf(short_head, sizeof(short_head), "%.10s", head);
	ropts.commits_checked = commits_checked;
	if ((error = cl_report_json(&doc, findings, &ropts)) < 0 ||
	    (error = cl_forge_marker(&marker, CL_REVIEW_COMMENT_KEY)) < 0)
		goto done;
	if (json_object_set_new(doc, "marker", json_string(marker.ptr)) < 0 ||
	    json_object_set(doc, "checks", checks) < 0 ||
	    json_object_set_new(doc, "head", json_string(short_head)) < 0 ||
	    (policy_error && json_object_set_new(doc, "policy_error",
			cl_json_string_lossy(policy_error)) < 0)) {
		error = cl_error_set("out of memory");
		goto done;
	}
	if ((error = cl_template_find(&tmpl, &tlen, &holder, "pr-comment.md")) < 0 ||
	    (error = cl_template_render(&body, "pr-comment.md", tmpl, tlen, doc, 0)) < 0)
		goto done;
	error = cl_forge_comment_upsert(NULL, forge, repo, number, CL_REVIEW_COMMENT_KEY, body.ptr);
done:
	json_decref(doc);
	cl_buf_dispose(&body);
	cl_buf_dispose(&marker);
	cl_buf_dispose(&holder);
	return error;
}

/* What the checks may ask of the bot while they judge a pull request. */
struct review_env {
	struct cl_bot_identities *ids;
	struct cl_forge *forge;
};

static int review_login(char *login, size_t size, const char *email, void *payload)
{
	return cl_bot_identities_login(login, size, email, ((struct review_env *)payload)->ids);
}

static int review_in_team(const char *login, const char *team, void *payload)
{
	return cl_bot_approvals_in_team(((struct review_env *)payload)->forge, login, team);
}

/*
 * The pull request's own changes (from where it forked off the base) may
 * relicense the upstream: approvals that recorded the old terms go back to
 * review (approval_bot.h).
 */
static int review_relicense(struct cl_bot *bot, const struct cl_webhook_event *ev,
	git_repository *repo)
{
	git_oid base, head, fork_point;
	char url[512];

	if (git_oid_fromstr(&base, ev->base_sha) < 0 || git_oid_fromstr(&head, ev->head_sha) < 0)
		return cl_error_setc(CL_EINVALID, "pull request with a malformed base or head");
	if (git_merge_base(&fork_point, repo, &base, &head) < 0)
		fork_point = base;   /* unrelated histories: compare with the base itself */
	snprintf(url, sizeof(url), "%s#%lld", ev->repo_full_name, ev->pr_number);   /* no web URL in the event */
	return cl_bot_approvals_relicense(bot, ev->repo_full_name, repo, &fork_point, &head,
		url);
}

int cl_bot_review_pr(struct cl_bot *bot, struct cl_forge *forge, const struct cl_webhook_event *ev)
{
	struct cl_repo_check rc;
	struct cl_repo_check_spec spec;
	struct cl_forge_repo repo;
	struct cl_bot_identities ids = CL_BOT_IDENTITIES_INIT;
	struct cl_engine_env env;
	struct review_env renv;
	const struct cl_check *table;
	char owner[256], base_spec[512], head_spec[128], label[64];
	const char *refspecs[2];
	json_t *checks = NULL;
	size_t count, i;
	int error;

	memset(&rc, 0, sizeof(rc));
	if (!ev->repo_full_name || !ev->pr_number || !ev->head_sha || !ev->base_sha || !ev->base_ref)
		return cl_error_setc(CL_EINVALID, "pull request event without repository, number, "
			"base or head");
	if ((error = cl_forge_repo_parse(&repo, owner, sizeof(owner), ev->repo_full_name)) < 0)
		return error;
	snprintf(base_spec, sizeof(base_spec), "+refs/heads/%s:refs/heads/%s", ev->base_ref, ev->base_ref);
	snprintf(head_spec, sizeof(head_spec), "+refs/pull/%lld/head:refs/pull/%lld/head",
		ev->pr_number, ev->pr_number);
	snprintf(label, sizeof(label), "refs/pull/%lld/head", ev->pr_number);
	refspecs[0] = base_spec;
	refspecs[1] = head_spec;
	memset(&spec, 0, sizeof(spec));
	spec.full_name = ev->repo_full_name;
	spec.clone_url = ev->clone_url;
	spec.refspecs = refspecs;
	spec.refspec_count = 2;
	spec.policy_rev = ev->base_sha;
	spec.tip = ev->head_sha;
	spec.hide = ev->base_sha;
	spec.label = label;
	if ((error = cl_bot_identities_load(&ids, forge, &repo, (uint64_t)ev->pr_number)) < 0)
		return error;
	renv.ids = &ids;
	renv.forge = forge;
	memset(&env, 0, sizeof(env));
	env.login_for_email = review_login;
	env.in_team = review_in_team;
	env.payload = &renv;
	spec.env = &env;
	if ((error = cl_repo_check_run(&rc, bot, forge, &spec)) < 0 ||
	    (rc.repo && (error = review_relicense(bot, ev, rc.repo)) < 0))
		goto done;

	if (!(checks = json_array())) {
		error = cl_error_set("out of memory");
		goto done;
	}
	table = cl_checks(&count);
	for (i = 0; i < count; i++) {
		struct review_tally t;
		struct cl_forge_status st;
		char description[160];
		const char *context = cl_review_context(table[i].name);

		if (rc.policy && !table[i].enabled(rc.policy))
			continue;
		if (!rc.policy && i > 0)
			break;   /* one status says the policy is broken */
		review_count(&t, rc.findings, table[i].name);
		if (rc.policy_error) {
			context = "clearance/policy";
			snprintf(description, sizeof(description), "policy not valid: %s", rc.policy_error);
		} else {
			review_describe(description, sizeof(description), &t, rc.stats.commits_checked);
		}
		memset(&st, 0, sizeof(st));
		st.state = rc.policy_error ? CL_FORGE_ERROR : t.errors ? CL_FORGE_FAILURE : CL_FORGE_SUCCESS;
		st.context = context;
		st.description = description;
		if (cl_forge_has_checks(forge) && !rc.policy_error)
			error = review_check_run(forge, &repo, ev->head_sha, context, t.errors > 0,
				description, rc.findings, table[i].name);
		else
			error = cl_forge_status_set(forge, &repo, ev->head_sha, &st);
		if (error < 0)
			goto done;
		if (json_array_append_new(checks, json_pack("{s:s, s:s, s:s}", "context", context,
				"state", st.state == CL_FORGE_SUCCESS ? "passed" :
				st.state == CL_FORGE_FAILURE ? "failed" : "error",
				"description", description)) < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
	}
	error = review_comment(forge, &repo, (uint64_t)ev->pr_number, rc.findings, checks,
		rc.policy_error, ev->head_sha, rc.stats.commits_checked);
done:
	json_decref(checks);
	cl_repo_check_dispose(&rc);
	cl_bot_identities_dispose(&ids);
	return error;
}
