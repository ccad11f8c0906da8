/*
 * post-receive: git runs it once the refs of a push moved, with the same
 * "<old> <new> <ref>" lines as pre-receive. Nothing here can refuse the
 * push any more; it tells the bot what a person must follow up (findings
 * that did not reject, an admin's override, the commits that went out),
 * as one event per push (lib/push_event.h).
 *
 * The event is spooled next to the repository first, then the spool is
 * delivered oldest first (hooks/deliver.h), so a bot that is down costs
 * the push nothing and loses no event. Exit status: 0, or the chained
 * post-receive's (git ignores it for the push, but shows its output).
 *
 * Cost: the checks again on old..new of each updated ref (a few ms to a
 * second: the blobs are hot in the page cache), the dependency inventory
 * of the new tip when deps are on, and the header check of the new tip's
 * whole tree when headers are on (what lets the bot close a header issue
 * without a copy of the repository).
 */
#include "../cli/commands.h"
#include "approval_check.h"
#include "approvals.h"
#include "buf.h"
#include "cla_run.h"
#include "deliver.h"
#include "deps_tree.h"
#include "engine.h"
#include "error.h"
#include "finding.h"
#include "headers.h"
#include "hook.h"
#include "json_text.h"
#include "override.h"
#include "policy.h"
#include "push.h"
#include "push_event.h"
#include "range.h"
#include "repo_policy.h"
#include "spool.h"

#include <git2.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Commits recorded per ref; a larger push (an import) is marked truncated. */
#define POST_MAX_COMMITS 1000
/* Other refs hidden when a new ref is created: its new commits are what no ref had. */
#define POST_MAX_HIDE 10000

static const char *env_get(const char *name, void *payload)
{
	(void)payload;
	return getenv(name);
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

struct post_state {
	git_repository *repo;
	struct cl_policy *policy;
	struct hook_bot_target target;
	char *pusher;
	size_t errors;   /* findings of severity error over the push: an override let them in */
	char fork[512];  /* "owner/name" when the repository is an outbound fork, else "" */
};

static int is_zero_oid(const git_oid *id)
{
	return git_oid_is_zero(id);
}

/* ---- the commits a ref update brought ------------------------------------- */

/* old when there was one; else every other ref's commit, as pre-receive's `--not --all`. */
static int hide_list(git_oid **out, size_t *count, git_repository *repo, const struct cl_push *push,
	const struct cl_ref_update *u)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	git_oid *ids;
	size_t n = 0, i;
	int error = 0;

	*out = NULL;
	*count = 0;
	if (!(ids = calloc(POST_MAX_HIDE, sizeof(*ids))))
		return cl_error_set("out of memory");
	if (!is_zero_oid(&u->old_id)) {
		ids[n++] = u->old_id;
		goto done;
	}
	if (git_reference_iterator_new(&it, repo) < 0) {
		error = cl_error_from_git("cannot list refs");
		goto done;
	}
	while (n < POST_MAX_HIDE && git_reference_next(&ref, it) == 0) {
		git_object *obj = NULL;
		int updated = 0;
		for (i = 0; i < push->count && !updated; i++)
			updated = !strcmp(push->updates[i].refname, git_reference_name(ref));
		if (!updated && git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT) == 0)
			ids[n++] = *git_object_id(obj);
		git_error_clear();
		git_object_free(obj);
		git_reference_free(ref);
	}
done:
	git_reference_iterator_free(it);
	if (error < 0) {
		free(ids);
		return error;
	}
	*out = ids;
	*count = n;
	return 0;
}

static int commits_json(json_t *ref_obj, git_repository *repo, const git_oid *tip,
	const git_oid *hide, size_t nhide)
{
	git_revwalk *walk = NULL;
	json_t *list = json_array();
	git_oid id;
	size_t i, n = 0;
	int error = 0, truncated = 0;

	if (!list)
		return cl_error_set("out of memory");
	if (git_revwalk_new(&walk, repo) < 0 || git_revwalk_push(walk, tip) < 0) {
		error = cl_error_from_git("cannot walk the pushed commits");
		goto done;
	}
	for (i = 0; i < nhide; i++)
		if (git_revwalk_hide(walk, &hide[i]) < 0)
			git_error_clear();   /* a ref to a missing commit hides nothing */
	while (git_revwalk_next(&id, walk) == 0) {
		git_commit *c = NULL;
		const git_signature *a;
		char hex[GIT_OID_HEXSZ + 1];
		json_t *o;

		if (n == POST_MAX_COMMITS) {
			truncated = 1;
			break;
		}
		if (git_commit_lookup(&c, repo, &id) < 0) {
			error = cl_error_from_git("cannot read a pushed commit");
			goto done;
		}
		a = git_commit_author(c);
		git_oid_tostr(hex, sizeof(hex), &id);
		o = json_pack("{s:s, s:o, s:o, s:I}", "id", hex,
			"author", cl_json_string_lossy(a && a->name ? a->name : ""),
			"email", cl_json_string_lossy(a && a->email ? a->email : ""),
			"time", (json_int_t)(a ? a->when.time : 0));
		git_commit_free(c);
		if (!o || json_array_append_new(list, o) < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
		n++;
	}
	git_error_clear();
	json_object_set_new(ref_obj, "commits", list);
	list = NULL;
	json_object_set_new(ref_obj, "commits_truncated", json_boolean(truncated));
done:
	json_decref(list);
	git_revwalk_free(walk);
	return error;
}

/* ---- what resolution needs --------------------------------------------------- */

static int skip_problem(const char *path, int code, const char *message, void *payload)
{
	(void)path;
	(void)code;
	(void)message;
	(void)payload;
	return 0;   /* an unreadable manifest still lets the others count */
}

/* Every "ecosystem:name" at the tip, once each. */
static int deps_json(json_t *ref_obj, git_repository *repo, const git_oid *tip)
{
	struct cl_dep_list deps = CL_DEP_LIST_INIT;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	json_t *seen = json_object(), *list = json_array();
	size_t i;
	int error = 0;

	if (!seen || !list) {
		error = cl_error_set("out of memory");
		goto done;
	}
	if (git_commit_lookup(&c, repo, tip) < 0 || git_commit_tree(&tree, c) < 0) {
		error = cl_error_from_git("cannot read the pushed tree");
		goto done;
	}
	if ((error = cl_deps_from_tree(&deps, repo, tree, skip_problem, NULL)) < 0)
		goto done;
	for (i = 0; i < deps.count; i++) {
		struct cl_buf key = CL_BUF_INIT;
		if ((error = cl_buf_printf(&key, "%s:%s", deps.items[i].ecosystem, deps.items[i].name)) == 0 &&
		    !json_object_get(seen, key.ptr)) {
			json_object_set_new(seen, key.ptr, json_true());
			if (json_array_append_new(list, cl_json_string_lossy(key.ptr)) < 0)
				error = cl_error_set("out of memory");
		}
		cl_buf_dispose(&key);
		if (error < 0)
			goto done;
	}
	json_object_set_new(ref_obj, "deps", list);
	list = NULL;
done:
	json_decref(seen);
	json_decref(list);
	cl_dep_list_dispose(&deps);
	git_tree_free(tree);
	git_commit_free(c);
	return error;
}

static int headers_json(json_t *ref_obj, struct post_state *st, const git_oid *tip, const char *ref)
{
	struct cl_findings *f = NULL;
	json_t *list = json_array();
	size_t i;
	int error;

	if (!list)
		return cl_error_set("out of memory");
	if ((error = cl_findings_new(&f)) < 0 ||
	    (error = cl_headers_check_tree(f, NULL, st->repo, cl_policy_headers(st->policy), tip, ref)) < 0)
		goto done;
	for (i = 0; i < cl_findings_count(f); i++) {
		const struct cl_finding *x = cl_findings_get(f, i);
		if (x->path && x->severity == CL_SEVERITY_ERROR &&
		    json_array_append_new(list, cl_json_string_lossy(x->path)) < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
	}
	json_object_set_new(ref_obj, "header_failing", list);
	list = NULL;
done:
	json_decref(list);
	cl_findings_free(f);
	return error;
}

/* ---- the event ------------------------------------------------------------- */

/* ---- the upstream relicenses -------------------------------------------------- */

/*
 * What update `u` of an outbound fork changed about licensing (the fork
 * syncing with an upstream that relicensed). @return 1 and *d, 0 when
 * nothing changed (or the update creates or deletes the ref), < 0
 */
static int license_change(struct cl_license_diff *d, const struct post_state *st,
	const struct cl_ref_update *u)
{
	int error;

	if (!st->fork[0] || is_zero_oid(&u->old_id) || is_zero_oid(&u->new_id))
		return 0;
	if ((error = cl_approval_license_diff(d, st->repo, &u->old_id, &u->new_id)) < 0)
		return error;
	return d->file[0] || d->id_count;
}

static int license_json(json_t *ref_obj, const struct post_state *st, const struct cl_ref_update *u)
{
	struct cl_license_diff d;
	json_t *lc, *ids;
	size_t i;
	int rc;

	if ((rc = license_change(&d, st, u)) <= 0)
		return rc;
	if (!(lc = json_pack("{s:s, s:s, s:[]}", "upstream", strchr(st->fork, '/') + 1,
			"file", d.file, "ids")))
		return cl_error_set("out of memory");
	ids = json_object_get(lc, "ids");
	for (i = 0; i < d.id_count; i++)
		json_array_append_new(ids, json_string(d.ids[i]));
	return json_object_set_new(ref_obj, "license_change", lc) < 0 ?
		cl_error_set("out of memory") : 0;
}

static int relicense_said(int64_t id, const char *why, void *payload)
{
	(void)payload;
	say("approval #%lld needs a new review: %s", (long long)id, why);
	return 0;
}

/* Are `a` and `b` the same file (both existing)? */
static int same_file(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];
	return a && b && realpath(a, ra) && realpath(b, rb) && !strcmp(ra, rb);
}

/*
 * Approvals kept next to the repository (the store the hooks enforce from)
 * go back to review here. When that store is the bot's own, the bot does
 * it on the push event instead, and tells the request issues as well.
 */
static int relicense_local(struct post_state *st, const struct cl_push *push)
{
	const struct cl_approval_options *o = cl_policy_approvals(st->policy);
	struct cl_approvals *store = NULL;
	struct cl_license_diff d;
	char *path = NULL, url[700];
	size_t i;
	int error, rc;

	if (!st->fork[0])
		return 0;
	if ((error = cl_cla_store_path(&path, st->repo, cl_policy_cla(st->policy))) < 0)
		return error;
	if (hook_bot_target_configured(&st->target) && same_file(path, st->target.store))
		goto done;
	if ((error = cl_approvals_open(&store, path, 0)) == CL_ENOTFOUND) {
		cl_error_clear();   /* no approvals kept here: none to send back */
		error = 0;
		goto done;
	}
	for (i = 0; error == 0 && i < push->count; i++) {
		const struct cl_ref_update *u = &push->updates[i];
		char hex[GIT_OID_HEXSZ + 1];

		if ((rc = license_change(&d, st, u)) <= 0) {
			error = rc;
			continue;
		}
		git_oid_tostr(hex, sizeof(hex), &u->new_id);
		snprintf(url, sizeof(url), "%s@%.12s (push to %s)", st->fork, hex, u->refname);
		error = cl_approvals_relicense(store, strchr(st->fork, '/') + 1, &d, url,
			(int64_t)o->expiry_days * 86400, (int64_t)time(NULL), relicense_said, NULL);
	}
done:
	cl_approvals_free(store);
	free(path);
	return error;
}

static int ref_json(json_t **out, struct post_state *st, const struct cl_push *push,
	const struct cl_ref_update *u)
{
	struct cl_findings *findings = NULL;
	struct cl_engine_stats stats;
	json_t *obj = NULL, *list;
	git_oid *hide = NULL;
	size_t nhide = 0, i;
	char old_hex[GIT_OID_HEXSZ + 1], new_hex[GIT_OID_HEXSZ + 1];
	int error;

	git_oid_tostr(old_hex, sizeof(old_hex), &u->old_id);
	git_oid_tostr(new_hex, sizeof(new_hex), &u->new_id);
	memset(&stats, 0, sizeof(stats));
	if (!(obj = json_pack("{s:o, s:s, s:s, s:[]}", "ref", cl_json_string_lossy(u->refname),
			"before", old_hex, "after", new_hex, "findings"))) {
		error = cl_error_set("out of memory");
		goto done;
	}
	if ((error = hide_list(&hide, &nhide, st->repo, push, u)) < 0 ||
	    (error = cl_findings_new(&findings)) < 0 ||
	    (error = cl_engine_check_range(findings, &stats, st->repo, st->policy, u->refname,
			&u->new_id, hide, nhide)) < 0)
		goto done;
	list = json_object_get(obj, "findings");
	for (i = 0; i < cl_findings_count(findings); i++) {
		const struct cl_finding *f = cl_findings_get(findings, i);
		json_t *fj;
		if (f->severity == CL_SEVERITY_ERROR)
			st->errors++;
		if ((error = cl_finding_to_json(&fj, f)) < 0)
			goto done;
		if (json_array_append_new(list, fj) < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
	}
	if ((error = commits_json(obj, st->repo, &u->new_id, hide, nhide)) < 0 ||
	    (error = license_json(obj, st, u)) < 0 ||
	    (cl_policy_deps(st->policy)->enabled && (error = deps_json(obj, st->repo, &u->new_id)) < 0) ||
	    (cl_policy_headers(st->policy)->enabled &&
	     (error = headers_json(obj, st, &u->new_id, u->refname)) < 0))
		goto done;
	*out = obj;
	obj = NULL;
done:
	json_decref(obj);
	cl_findings_free(findings);
	free(hide);
	return error;
}

static int strings_json(json_t *doc, const char *key, char *const *items, size_t count)
{
	json_t *list;
	size_t i;

	if (count == 0)
		return 0;
	if (!(list = json_array()))
		return cl_error_set("out of memory");
	for (i = 0; i < count; i++)
		json_array_append_new(list, cl_json_string_lossy(items[i]));
	return json_object_set_new(doc, key, list) < 0 ? cl_error_set("out of memory") : 0;
}

/* A stable id for this push: the repository, the ref lines, when, and who ran us. */
static int event_id(char *out, size_t size, const char *repo_path, const char *input, size_t len)
{
	struct cl_buf b = CL_BUF_INIT;
	struct timespec ts;
	git_oid id;
	char hex[GIT_OID_HEXSZ + 1];
	int error;

	clock_gettime(CLOCK_REALTIME, &ts);
	if ((error = cl_buf_printf(&b, "%s%c%lld.%09ld%c%ld%c", repo_path, 0, (long long)ts.tv_sec,
			ts.tv_nsec, 0, (long)getpid(), 0)) < 0 ||
	    (error = cl_buf_put(&b, input, len)) < 0)
		goto done;
	if (git_odb_hash(&id, b.ptr, b.size, GIT_OBJECT_BLOB) < 0) {
		error = cl_error_from_git("cannot hash the event id");
		goto done;
	}
	git_oid_tostr(hex, sizeof(hex), &id);
	snprintf(out, size, "push-%s", hex);
done:
	cl_buf_dispose(&b);
	return error;
}

static int event_build(char **out, struct post_state *st, const struct cl_push *push,
	const char *input, size_t len)
{
	const struct cl_policy_bot *pb = cl_policy_bot(st->policy);
	const struct cl_policy_overrides *ov = cl_policy_overrides(st->policy);
	json_t *doc = NULL, *refs;
	char id[64], when[32], *repo_path = NULL, *reason = NULL;
	time_t now = time(NULL);
	struct tm tm;
	size_t i, n;
	int error;

	if (!(repo_path = strdup(git_repository_path(st->repo)))) {
		error = cl_error_set("out of memory");
		goto done;
	}
	n = strlen(repo_path);
	while (n > 1 && repo_path[n - 1] == '/')
		repo_path[--n] = '\0';
	if ((error = event_id(id, sizeof(id), repo_path, input, len)) < 0)
		goto done;
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!(doc = json_pack("{s:s, s:i, s:s, s:s, s:o, s:o, s:[]}", "type", "clearance.push",
			"version", CL_PUSH_EVENT_VERSION, "id", id, "time", when,
			"repository", cl_json_string_lossy(repo_path),
			"pusher", cl_json_string_lossy(st->pusher), "refs"))) {
		error = cl_error_set("out of memory");
		goto done;
	}
	if (cl_json_set_string(doc, "name", pb->name) < 0 ||
	    cl_json_set_string(doc, "commit_url", pb->commit_url) < 0 ||
	    cl_json_set_string(doc, "tracker", pb->tracker) < 0 ||
	    (error = strings_json(doc, "labels", pb->labels, pb->label_count)) < 0 ||
	    (error = strings_json(doc, "assignees", pb->assignees, pb->assignee_count)) < 0) {
		error = error < 0 ? error : cl_error_set("out of memory");
		goto done;
	}
	refs = json_object_get(doc, "refs");
	for (i = 0; i < push->count; i++) {
		const struct cl_ref_update *u = &push->updates[i];
		json_t *r = NULL;
		int enforced;

		/* a deletion brings nothing; an unguarded ref is nobody's business */
		if (is_zero_oid(&u->new_id))
			continue;
		if ((enforced = cl_policy_ref_enforced(st->policy, u->refname)) < 0) {
			error = enforced;
			goto done;
		}
		if (!enforced)
			continue;
		if ((error = ref_json(&r, st, push, u)) < 0)
			goto done;
		json_array_append_new(refs, r);
	}
	/* git gives post-receive the push options too: the override is known again */
	error = cl_override_requested(&reason, ov, env_get, NULL);
	if (error < 0)
		cl_error_clear();   /* pre-receive refused that push already; nothing to record */
	else if (error == 1 && st->errors > 0 && ov->enabled && cl_policy_is_admin(st->policy, st->pusher))
		json_object_set_new(doc, "override", json_pack("{s:o, s:o, s:I}",
			"reason", cl_json_string_lossy(reason), "pusher", cl_json_string_lossy(st->pusher),
			"findings", (json_int_t)st->errors));
	error = 0;
	if (!(*out = json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII)))
		error = cl_error_set("cannot encode the push event");
done:
	json_decref(doc);
	free(repo_path);
	free(reason);
	return error;
}

/* ---- the hook -------------------------------------------------------------- */

static void post_report(const struct post_state *st, const struct cl_spool_stats *stats, int error)
{
	const char *where = st->target.store ? st->target.store : st->target.url;

	if (error >= 0)
		return;   /* no noise on success */
	say("the bot at '%s' did not take the push event: %s", where, cl_error_last());
	say("%zu event(s) wait in %s; the next push or `clearance spool flush` delivers them",
		stats->pending, st->target.spool_dir);
}

static void post_run(const struct cl_push *push, const char *input, size_t len)
{
	struct post_state st;
	struct cl_spool_stats stats;
	char *policy_path = NULL, *event = NULL;
	int error;

	memset(&st, 0, sizeof(st));
	memset(&stats, 0, sizeof(stats));
	if (cl_repo_open_from_env(&st.repo, ".") < 0 ||
	    cl_repo_policy_path(&policy_path, st.repo) < 0 ||
	    cl_policy_load(&st.policy, policy_path) < 0 ||
	    hook_bot_target_load(&st.target, st.repo, st.policy) < 0) {
		say("post-receive: %s (the bot is not told of this push)", cl_error_last());
		goto done;
	}
	if ((error = cl_approval_outbound(st.fork, sizeof(st.fork), st.repo, st.policy)) <= 0)
		st.fork[0] = '\0';
	if (error < 0 || relicense_local(&st, push) < 0)
		say("post-receive: approvals were not sent back to review: %s", cl_error_last());
	if (!hook_bot_target_configured(&st.target))
		goto done;   /* no bot: nothing to hand over */
	if (cl_identity_resolve(&st.pusher, cl_policy_identity(st.policy), env_get, NULL) < 0 ||
	    event_build(&event, &st, push, input, len) < 0) {
		say("post-receive: cannot describe the push for the bot: %s", cl_error_last());
		goto done;
	}
	{
		/* what the bot would refuse must not sit in the spool */
		struct cl_push_event *check = NULL;
		if (cl_push_event_parse(&check, event, strlen(event)) < 0) {
			say("post-receive: the push event is not valid: %s", cl_error_last());
			goto done;
		}
		error = cl_spool_put(NULL, st.target.spool_dir, check->id, event, strlen(event));
		cl_push_event_free(check);
	}
	if (error < 0) {
		say("post-receive: cannot spool the push event: %s (the bot is not told of this push)",
			cl_error_last());
		goto done;
	}
	error = hook_spool_flush(&stats, &st.target, stderr);
	post_report(&st, &stats, error);
done:
	free(event);
	free(policy_path);
	free(st.pusher);
	hook_bot_target_dispose(&st.target);
	cl_policy_free(st.policy);
	git_repository_free(st.repo);
}

int hook_post_receive(int argc, char **argv)
{
	struct cl_buf input;
	struct cl_push *push = NULL;
	int rc = 0;

	cl_buf_init(&input, CL_PUSH_MAX_INPUT);
	if (cl_buf_read_file(&input, stdin) < 0 ||
	    cl_push_parse(&push, cl_buf_cstr(&input), input.size) < 0) {
		/* the push landed whatever we think: say so, never fail it */
		say("post-receive: cannot read the ref updates from git: %s", cl_error_last());
		goto chained;
	}
	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
	post_run(push, cl_buf_cstr(&input), input.size);
	git_libgit2_shutdown();
chained:
	rc = hook_run_chained("post-receive", cl_buf_cstr(&input), input.size, argc, argv);
	cl_push_free(push);
	cl_buf_dispose(&input);
	return rc;
}
