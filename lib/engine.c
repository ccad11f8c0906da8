#include "engine.h"
#include "buf.h"
#include "check.h"
#include "error.h"
#include "oid_list.h"
#include "range.h"

#include <stdlib.h>
#include <string.h>

struct collect_payload {
	const struct cl_policy *policy;
	struct cl_oid_list *list;
	int error;
};

static int collect_ref(git_reference *ref, void *payload)
{
	struct collect_payload *p = payload;
	git_reference *resolved = NULL;
	int enforced;

	enforced = cl_policy_ref_enforced(p->policy, git_reference_name(ref));
	if (enforced < 0) {
		p->error = enforced;
		goto stop;
	}
	if (!enforced)
		goto next;
	if (git_reference_resolve(&resolved, ref) < 0) {
		git_error_clear();   /* a dangling symbolic ref guards nothing */
		goto next;
	}
	if ((p->error = cl_oid_list_add(p->list, git_reference_target(resolved))) < 0)
		goto stop;
next:
	git_reference_free(resolved);
	git_reference_free(ref);
	return 0;
stop:
	git_reference_free(resolved);
	git_reference_free(ref);
	return -1;
}

/* Tips of every existing ref the policy guards: what counts as "already in". */
static int collect_enforced_tips(struct cl_oid_list *out, git_repository *repo,
	const struct cl_policy *policy)
{
	struct collect_payload p = { policy, out, 0 };
	int error = git_reference_foreach(repo, collect_ref, &p);
	if (p.error < 0)
		return p.error;
	if (error < 0)
		return cl_error_from_git("cannot list references");
	return 0;
}

static int run_checks(struct cl_findings *findings, struct cl_oid_set *seen_blobs,
	git_repository *repo, const struct cl_policy *policy, const char *ref,
	const struct cl_commit *commits, size_t n, const git_oid *old_tip, const git_oid *new_tip,
	const struct cl_engine_env *env)
{
	const struct cl_check *checks;
	size_t i, count;
	int error;

	checks = cl_checks(&count);
	for (i = 0; i < count; i++) {
		struct cl_check_ctx ctx = { repo, policy, ref, commits, n, findings, seen_blobs,
			old_tip, new_tip, env };
		if (!checks[i].enabled(policy))
			continue;
		if ((error = checks[i].run(&ctx)) < 0)
			return error;
	}
	return 0;
}

static int ref_rule_finding(struct cl_findings *findings, const struct cl_ref_update *u,
	const char *rule, const char *what, const char *remedy)
{
	struct cl_buf msg = CL_BUF_INIT, key = CL_BUF_INIT;
	struct cl_finding f;
	int error;

	memset(&f, 0, sizeof(f));
	if ((error = cl_buf_printf(&msg, "the policy does not allow %s '%s'", what, u->refname)) < 0 ||
	    (error = cl_buf_printf(&key, "%s:%s", rule, u->refname)) < 0)
		goto done;
	f.check = "refs";
	f.severity = CL_SEVERITY_ERROR;
	f.ref = u->refname;
	f.rule = rule;
	f.message = cl_buf_cstr(&msg);
	f.remedy = remedy;
	f.key = cl_buf_cstr(&key);
	error = cl_findings_add(findings, &f);
done:
	cl_buf_dispose(&msg);
	cl_buf_dispose(&key);
	return error;
}

static int check_ref_rules(struct cl_findings *findings, const struct cl_policy *policy,
	const struct cl_ref_update *u)
{
	const struct cl_policy_refs *refs = cl_policy_refs(policy);
	int rc;

	if (u->kind == CL_UPDATE_DELETE) {
		if ((rc = cl_pattern_list_match(&refs->deny_delete, u->refname)) < 0)
			return rc;
		if (rc)
			return ref_rule_finding(findings, u, "refs.delete-denied", "deleting",
				"keep the ref, or ask an admin to delete it with an override");
	}
	if (u->kind == CL_UPDATE_FORCE) {
		if ((rc = cl_pattern_list_match(&refs->deny_force_push, u->refname)) < 0)
			return rc;
		if (rc)
			return ref_rule_finding(findings, u, "refs.force-push-denied",
				"rewriting the history of",
				"git pull --rebase, then push without --force (or push to a new branch)");
	}
	return 0;
}

/* Peel `id` (a commit or a tag) to its commit, into *out; 0, or <0 when it is not one. */
static int peel_commit(git_oid *out, git_repository *repo, const git_oid *id)
{
	git_object *obj = NULL, *peeled = NULL;
	int error = 0;

	if (git_object_lookup(&obj, repo, id, GIT_OBJECT_ANY) < 0 ||
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		git_error_clear();
		error = CL_ENOTFOUND;
	} else {
		git_oid_cpy(out, git_object_id(peeled));
	}
	git_object_free(peeled);
	git_object_free(obj);
	return error;
}

/*
 * What a new ref forked from: the merge base of its tip with HEAD, else
 * with the first existing tip that shares history with it. CL_ENOTFOUND
 * when there is none (the first push to a repository, an orphan branch).
 */
static int fork_point(git_oid *out, git_repository *repo, const git_oid *tip,
	const git_oid *existing, size_t count)
{
	git_oid head, t, e;
	size_t i;

	if (peel_commit(&t, repo, tip) < 0)
		return CL_ENOTFOUND;
	if (git_reference_name_to_id(&head, repo, "HEAD") == 0 && peel_commit(&e, repo, &head) == 0 &&
	    git_merge_base(out, repo, &t, &e) == 0)
		return 0;
	git_error_clear();
	for (i = 0; i < count; i++) {
		if (peel_commit(&e, repo, &existing[i]) == 0 && git_merge_base(out, repo, &t, &e) == 0)
			return 0;
		git_error_clear();
	}
	return CL_ENOTFOUND;
}

int cl_engine_check_push(struct cl_findings *findings, struct cl_engine_stats *stats,
	git_repository *repo, const struct cl_policy *policy, const struct cl_push *push,
	const struct cl_engine_env *env)
{
	struct cl_oid_list hide = CL_OID_LIST_INIT;
	struct cl_oid_set seen_blobs = CL_OID_SET_INIT;
	struct cl_commit_batch *batch = NULL;
	size_t i;
	int error;

	memset(stats, 0, sizeof(*stats));
	if ((error = collect_enforced_tips(&hide, repo, policy)) < 0)
		goto done;

	for (i = 0; i < push->count; i++) {
		const struct cl_ref_update *u = &push->updates[i];
		int enforced = cl_policy_ref_enforced(policy, u->refname);

		if (enforced < 0) {
			error = enforced;
			goto done;
		}
		/* Ref protection is its own list of globs: it holds for excluded refs too. */
		if ((error = check_ref_rules(findings, policy, u)) < 0)
			goto done;
		if (!enforced) {
			stats->refs_skipped++;
			continue;
		}
		stats->refs_checked++;
		if (u->kind == CL_UPDATE_DELETE)
			continue;

		if ((error = cl_range_commits(&batch, repo, &u->new_id, hide.ids, hide.count)) < 0)
			goto done;
		stats->commits_checked += batch->count;
		{
			git_oid base;
			const git_oid *old_tip = NULL;

			if (u->kind != CL_UPDATE_CREATE)
				old_tip = &u->old_id;
			else if (fork_point(&base, repo, &u->new_id, hide.ids, hide.count) == 0)
				old_tip = &base;
			if ((error = run_checks(findings, &seen_blobs, repo, policy, u->refname,
					batch->commits, batch->count, old_tip, &u->new_id, env)) < 0)
				goto done;
		}
		cl_commit_batch_free(batch);
		batch = NULL;
		/* Later updates in this push need not check these commits again. */
		if ((error = cl_oid_list_add(&hide, &u->new_id)) < 0)
			goto done;
	}
done:
	cl_commit_batch_free(batch);
	cl_oid_list_dispose(&hide);
	cl_oid_set_dispose(&seen_blobs);
	return error;
}

int cl_engine_check_range(struct cl_findings *findings, struct cl_engine_stats *stats,
	git_repository *repo, const struct cl_policy *policy, const char *label,
	const git_oid *tip, const git_oid *hide, size_t hide_count)
{
	return cl_engine_check_range_env(findings, stats, repo, policy, label, tip, hide,
		hide_count, NULL);
}

int cl_engine_check_range_env(struct cl_findings *findings, struct cl_engine_stats *stats,
	git_repository *repo, const struct cl_policy *policy, const char *label,
	const git_oid *tip, const git_oid *hide, size_t hide_count, const struct cl_engine_env *env)
{
	struct cl_commit_batch *batch = NULL;
	int error;

	memset(stats, 0, sizeof(*stats));
	if ((error = cl_range_commits(&batch, repo, tip, hide, hide_count)) < 0)
		return error;
	stats->refs_checked = 1;
	stats->commits_checked = batch->count;
	/* `clearance check A..B`: the tree of A is what B is compared with. */
	error = run_checks(findings, NULL, repo, policy, label, batch->commits, batch->count,
		hide_count ? &hide[0] : NULL, tip, env);
	cl_commit_batch_free(batch);
	return error;
}
