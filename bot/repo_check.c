/*
 * repo_check.c - mirror, layered policy, engine.
 */
#include "repo_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval_check.h"
#include "buf.h"
#include "error.h"
#include "mirror.h"
#include "oid_list.h"
#include "policy_layers.h"

void cl_repo_check_dispose(struct cl_repo_check *rc)
{
	git_repository_free(rc->repo);
	cl_policy_free(rc->policy);
	free(rc->policy_error);
	cl_findings_free(rc->findings);
	memset(rc, 0, sizeof(*rc));
}

/* The policy file's text at `rev`, or CL_ENOTFOUND when the tree has none. */
static int read_repo_policy(struct cl_buf *out, git_repository *repo, const char *rev)
{
	git_oid id;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	int error = 0;

	if (git_oid_fromstr(&id, rev) < 0 || git_commit_lookup(&commit, repo, &id) < 0) {
		error = cl_error_from_git("cannot read the base commit");
		goto done;
	}
	if (git_commit_tree(&tree, commit) < 0) {
		error = cl_error_from_git("cannot read the base tree");
		goto done;
	}
	if (git_tree_entry_bypath(&entry, tree, CL_BOT_REPO_POLICY_FILE) < 0) {
		git_error_clear();
		error = CL_ENOTFOUND;
		goto done;
	}
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB ||
	    git_blob_lookup(&blob, repo, git_tree_entry_id(entry)) < 0) {
		error = cl_error_setc(CL_EINVALID, "%s is not a file", CL_BOT_REPO_POLICY_FILE);
		goto done;
	}
	if ((size_t)git_blob_rawsize(blob) > CL_POLICY_MAX_SIZE) {
		error = cl_error_setc(CL_ETOOBIG, "%s is larger than %d bytes",
			CL_BOT_REPO_POLICY_FILE, CL_POLICY_MAX_SIZE);
		goto done;
	}
	error = cl_buf_put(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
done:
	git_blob_free(blob);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(commit);
	return error;
}

int cl_repo_check_policy(struct cl_policy **out, struct cl_bot *bot, git_repository *repo,
	const char *full_name, const char *rev)
{
	struct cl_policy_layer layers[2];
	struct cl_buf text = CL_BUF_INIT;
	char name[512];
	size_t n = 0;
	int error;

	layers[n].data = bot->default_policy ? bot->default_policy : "";
	layers[n].len = bot->default_policy_len;
	layers[n].name = bot->default_policy_name ? bot->default_policy_name : "server default";
	n++;
	error = read_repo_policy(&text, repo, rev);
	if (error == 0) {
		snprintf(name, sizeof(name), "%s:%s@%.10s", full_name, CL_BOT_REPO_POLICY_FILE, rev);
		layers[n].data = text.ptr ? text.ptr : "";
		layers[n].len = text.size;
		layers[n].name = name;
		n++;
	} else if (error != CL_ENOTFOUND) {
		goto done;
	}
	error = cl_policy_load_layers(out, layers, n);
done:
	cl_buf_dispose(&text);
	return error;
}

/* The mirror options for `forge`: the token, if any, through the callback. */
static void mirror_options(struct cl_mirror_options *m, struct cl_bot *bot, struct cl_forge *forge,
	char **user, char **password)
{
	if (cl_forge_git_credentials(user, password, forge) == 0) {
		m->token_user = *user;
		m->token = *password;
	} else {
		cl_error_clear();   /* public repositories need no token */
	}
	m->cache_dir = bot->mirror_dir;
}

static void wipe(char *secret)
{
	if (secret) {
		memset(secret, 0, strlen(secret));
		free(secret);
	}
}

static int clone_url_of(char **out, struct cl_forge *forge, const char *full_name)
{
	struct cl_forge_repo fr;
	char owner[256];
	int error;

	if ((error = cl_forge_repo_parse(&fr, owner, sizeof(owner), full_name)) < 0)
		return error;
	return cl_forge_clone_url(out, forge, &fr);
}

int cl_repo_check_base_policy(struct cl_policy **out, struct cl_bot *bot, struct cl_forge *forge,
	const char *full_name, const char *clone_url, const char *base_ref, const char *base_sha)
{
	struct cl_mirror_options mopts = CL_MIRROR_OPTIONS_INIT;
	git_repository *repo = NULL;
	char *url = NULL, *user = NULL, *password = NULL, spec[600];
	const char *specs[1];
	int error;

	snprintf(spec, sizeof(spec), "+refs/heads/%s:refs/heads/%s", base_ref, base_ref);
	specs[0] = spec;
	if (!clone_url && (error = clone_url_of(&url, forge, full_name)) < 0)
		return error;
	mirror_options(&mopts, bot, forge, &user, &password);
	if ((error = cl_mirror_fetch(&repo, NULL, &mopts, full_name, clone_url ? clone_url : url,
			specs, 1)) == 0)
		error = cl_repo_check_policy(out, bot, repo, full_name, base_sha);
	git_repository_free(repo);
	wipe(password);
	free(user);
	free(url);
	return error;
}

static git_odb *odb_of(git_repository *repo)
{
	git_odb *odb = NULL;
	/* The repository keeps its own reference; this one is released at once. */
	if (git_repository_odb(&odb, repo) == 0)
		git_odb_free(odb);
	return odb;
}

/* The tips of every branch of the mirror but `except`. */
static int other_tips(struct cl_oid_list *out, git_repository *repo, const char *except)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	int error = 0;

	if (git_reference_iterator_glob_new(&it, repo, "refs/heads/*") < 0)
		return cl_error_from_git("cannot list the mirror's branches");
	while (git_reference_next(&ref, it) == 0) {
		const git_oid *id = git_reference_target(ref);
		if (id && strcmp(git_reference_name(ref), except) != 0 &&
		    (error = cl_oid_list_add(out, id)) < 0)
			break;
		git_reference_free(ref);
		ref = NULL;
	}
	git_reference_free(ref);
	git_reference_iterator_free(it);
	return error;
}

/*
 * An outbound repository's release tags: an approval "until the upstream's
 * next major release" ends with the first tag of a higher major the fork
 * carries (approval_check.h), so the mirror of an outbound fork needs its
 * tags as well as the refs under review. Fetched once the policy says the
 * repository is outbound; other mirrors are spared them.
 */
static int fetch_release_tags(struct cl_repo_check *rc, const struct cl_mirror_options *mopts,
	const struct cl_repo_check_spec *spec, const char *url)
{
	static const char *const tags[] = { "+refs/tags/*:refs/tags/*" };
	git_repository *fresh = NULL;
	int error;

	if (!cl_approval_check_enabled(rc->policy))
		return 0;
	if ((error = cl_pattern_list_match(&cl_policy_approvals(rc->policy)->outbound_repos,
			spec->full_name)) <= 0)
		return error;
	if ((error = cl_mirror_fetch(&fresh, NULL, mopts, spec->full_name, url, tags, 1)) < 0)
		return error;
	/* the open handle may hold the refs it read before the fetch */
	git_repository_free(rc->repo);
	rc->repo = fresh;
	return 0;
}

int cl_repo_check_run(struct cl_repo_check *out, struct cl_bot *bot, struct cl_forge *forge,
	const struct cl_repo_check_spec *spec)
{
	struct cl_mirror_options mopts = CL_MIRROR_OPTIONS_INIT;
	struct cl_repo_check rc;
	char *url = NULL, *user = NULL, *password = NULL;
	struct cl_oid_list others = CL_OID_LIST_INIT;
	git_oid tip, hide;
	int error, has_hide = 0;

	memset(&rc, 0, sizeof(rc));
	if ((error = cl_findings_new(&rc.findings)) < 0)
		goto done;
	if (!spec->clone_url && (error = clone_url_of(&url, forge, spec->full_name)) < 0)
		goto done;
	mirror_options(&mopts, bot, forge, &user, &password);
	if ((error = cl_mirror_fetch(&rc.repo, NULL, &mopts, spec->full_name,
			spec->clone_url ? spec->clone_url : url, spec->refspecs, spec->refspec_count)) < 0)
		goto done;

	if (git_oid_fromstr(&tip, spec->tip) < 0) {
		error = cl_error_setc(CL_EINVALID, "'%s' is not a commit id", spec->tip);
		goto done;
	}
	if (spec->hide && *spec->hide) {
		if (git_oid_fromstr(&hide, spec->hide) < 0) {
			error = cl_error_setc(CL_EINVALID, "'%s' is not a commit id", spec->hide);
			goto done;
		}
		has_hide = !git_oid_is_zero(&hide);
	}

	{
		git_oid prev;
		const char *rev = spec->policy_rev;
		/*
		 * After a force push the commit before it may be unknown to the
		 * mirror; the push has landed anyway (a forge cannot refuse it), so
		 * the follow-up runs under the policy at its tip.
		 */
		if (git_oid_fromstr(&prev, rev) < 0 || !git_odb_exists(odb_of(rc.repo), &prev))
			rev = spec->tip;
		error = cl_repo_check_policy(&rc.policy, bot, rc.repo, spec->full_name, rev);
	}
	if (error == CL_EINVALID || error == CL_ETOOBIG) {
		/* The repository's mistake, not the bot's: reported, not retried. */
		if (!(rc.policy_error = strdup(cl_error_last()))) {
			error = cl_error_set("out of memory");
			goto done;
		}
		error = 0;
		goto ok;
	}
	if (error < 0)
		goto done;
	if (bot->store_path && (error = cl_policy_set_cla_store(rc.policy, bot->store_path)) < 0)
		goto done;
	if ((error = fetch_release_tags(&rc, &mopts, spec, spec->clone_url ? spec->clone_url : url)) < 0)
		goto done;
	if (has_hide && !git_odb_exists(odb_of(rc.repo), &hide)) {
		/*
		 * A force push can name a `before` the mirror never saw. Then what
		 * is new is what no other branch of the mirror reaches, as for a
		 * new branch; never the whole history.
		 */
		if ((error = other_tips(&others, rc.repo, spec->label)) < 0)
			goto done;
		error = cl_engine_check_range_env(rc.findings, &rc.stats, rc.repo, rc.policy,
			spec->label, &tip, others.ids, others.count, spec->env);
	} else {
		error = cl_engine_check_range_env(rc.findings, &rc.stats, rc.repo, rc.policy,
			spec->label, &tip, has_hide ? &hide : NULL, has_hide ? 1 : 0, spec->env);
	}
	if (error < 0)
		goto done;
ok:
	*out = rc;
	memset(&rc, 0, sizeof(rc));
done:
	cl_oid_list_dispose(&others);
	wipe(password);
	free(user);
	free(url);
	cl_repo_check_dispose(&rc);
	return error;
}
