/*
 * dispatch.c - the bot's processing function: decode a stored delivery and
 * route it to the review of a pull request or the follow-up of a push.
 *
 * Divisions: set-up; push follow-up; comments; cl_bot_process.
 */
#include "bot.h"
#include "approval_bot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <git2.h>

#include "buf.h"
#include "error.h"
#include "cla_store.h"
#include "events.h"
#include "followup.h"
#include "identities.h"
#include "metrics.h"
#include "queue.h"
#include "repo_check.h"
#include "review.h"
#include "webhook.h"

/* ---- set-up ---------------------------------------------------------------- */

static int bot_forge(struct cl_forge **out, const struct cl_bot_forge_config *fc,
	enum cl_forge_kind kind)
{
	struct cl_forge_options opts = CL_FORGE_OPTIONS_INIT;
	char app_id[32], installation[32];

	*out = NULL;
	if (!fc->token && !fc->app_id)
		return 0;   /* this forge only receives webhooks: nothing to report to */
	opts.kind = kind;
	opts.base_url = fc->base_url;
	opts.token = fc->token;
	if (fc->app_id) {
		snprintf(app_id, sizeof(app_id), "%lld", fc->app_id);
		snprintf(installation, sizeof(installation), "%lld", fc->installation_id);
		opts.app_id = app_id;
		opts.private_key_path = fc->private_key_path;
		opts.installation_id = fc->installation_id ? installation : NULL;
	}
	opts.user_agent = "clearance-bot";
	opts.team_cache_seconds = fc->team_cache_seconds;
	return cl_forge_new(out, &opts);
}

int cl_bot_new(struct cl_bot **out, const struct cl_bot_config *config)
{
	struct cl_bot *bot = calloc(1, sizeof(*bot));
	struct cl_buf path = CL_BUF_INIT, policy = CL_BUF_INIT;
	struct cl_db_options dbo = CL_DB_OPTIONS_INIT;
	sqlite3 *db = NULL;
	int error;

	if (!bot)
		return cl_error_set("out of memory");
	/* Counted by libgit2: balanced in cl_bot_free. */
	git_libgit2_init();
	bot->config = config;
	if ((error = bot_forge(&bot->github, &config->github, CL_FORGE_KIND_GITHUB)) < 0 ||
	    (error = bot_forge(&bot->gitea, &config->gitea, CL_FORGE_KIND_GITEA)) < 0)
		goto done;
	/* The server creates the data directory too, but after this runs. */
	if (mkdir(config->data_dir, 0755) < 0 && errno != EEXIST) {
		error = cl_error_from_errno(config->data_dir);
		goto done;
	}
	if ((error = cl_buf_printf(&path, "%s/mirrors", config->data_dir)) < 0)
		goto done;
	if (mkdir(path.ptr, 0755) < 0 && errno != EEXIST) {
		error = cl_error_from_errno(path.ptr);
		goto done;
	}
	bot->mirror_dir = path.ptr;
	cl_buf_init(&path, 0);   /* the string is the bot's now */
	if (config->policy_path) {
		cl_buf_init(&policy, CL_POLICY_MAX_SIZE + 1);
		if ((error = cl_buf_read_path(&policy, config->policy_path)) < 0)
			goto done;
		bot->default_policy = policy.ptr ? policy.ptr : strdup("");
		bot->default_policy_len = policy.size;
		cl_buf_init(&policy, 0);
		if (!(bot->default_policy_name = strdup(config->policy_path))) {
			error = cl_error_set("out of memory");
			goto done;
		}
	}
	if (config->bot_login && !(bot->self_login = strdup(config->bot_login))) {
		error = cl_error_set("out of memory");
		goto done;
	}
	/*
	 * The follow-up tables exist before the first worker needs them. This
	 * open may create the store, so it sets the page size the queue wants
	 * (queue.h): a page size holds only when set before the first table.
	 */
	dbo.page_size = CL_QUEUE_PAGE_SIZE;
	if ((error = cl_buf_printf(&path, "%s/clearance.db", config->data_dir)) < 0 ||
	    (error = cl_db_open(&db, path.ptr, &dbo, "followup", cl_followup_schema,
			cl_followup_schema_count)) < 0)
		goto done;
	/* and the hosted repositories' tables (events.h) */
	cl_db_close(db);
	db = NULL;
	if ((error = cl_events_store_open(&db, path.ptr, 1)) < 0)
		goto done;
	bot->store_path = path.ptr;
	cl_buf_init(&path, 0);
	*out = bot;
	bot = NULL;
done:
	cl_db_close(db);
	cl_buf_dispose(&path);
	cl_buf_dispose(&policy);
	cl_bot_free(bot);
	return error;
}

void cl_bot_free(struct cl_bot *bot)
{
	if (!bot)
		return;
	cl_forge_free(bot->github);
	cl_forge_free(bot->gitea);
	free(bot->mirror_dir);
	free(bot->store_path);
	free(bot->default_policy);
	free(bot->default_policy_name);
	free(bot->self_login);
	free(bot);
	git_libgit2_shutdown();
}

int cl_bot_forge_metrics(struct cl_buf *out, void *payload)
{
	struct cl_bot *bot = payload;
	struct cl_http_counts counts;
	int error = 0, first = 1;

	if (bot->github) {
		cl_forge_counts(&counts, bot->github);
		error = cl_bot_metrics_render_forge(out, "github", &counts, first);
		first = 0;
	}
	if (error == 0 && bot->gitea) {
		cl_forge_counts(&counts, bot->gitea);
		error = cl_bot_metrics_render_forge(out, "gitea", &counts, first);
		first = 0;
	}
	return error;   /* no forge configured: no forge calls to count */
}

/* ---- push follow-up -------------------------------------------------------- */

static int is_zero(const char *hex)
{
	return !hex || strspn(hex, "0") == strlen(hex);
}

/*
 * A push to an outbound fork is how it syncs with its upstream: when it
 * changes a license file or adds SPDX ids an approval did not record, the
 * approvals for that upstream go back to review (approval_bot.h). A new
 * branch, or a `before` the mirror never saw (a force push), brings no
 * change of its own to compare.
 */
static int push_relicense(struct cl_bot *bot, const struct cl_webhook_event *ev,
	git_repository *repo)
{
	git_oid before, after;
	git_odb *odb = NULL;
	char url[600];
	int known;

	if (is_zero(ev->push_before) || git_oid_fromstr(&before, ev->push_before) < 0 ||
	    git_oid_fromstr(&after, ev->push_after) < 0)
		return 0;
	if (git_repository_odb(&odb, repo) < 0)
		return cl_error_set("cannot read the mirror of '%s'", ev->repo_full_name);
	known = git_odb_exists(odb, &before);
	git_odb_free(odb);
	if (!known)
		return 0;
	snprintf(url, sizeof(url), "%s@%.12s (push to %s)", ev->repo_full_name, ev->push_after,
		ev->push_ref);   /* no web URL in the decoded event */
	return cl_bot_approvals_relicense(bot, ev->repo_full_name, repo, &before, &after, url);
}

static int bot_push(struct cl_bot *bot, struct cl_forge *forge, const char *forge_name,
	const struct cl_webhook_event *ev, sqlite3 *db)
{
	struct cl_repo_check rc;
	struct cl_repo_check_spec spec;
	struct cl_followup_target target;
	struct cl_followup_stats stats;
	const char **labels = NULL, **assignees = NULL;
	char refspec[600], owner[256];
	const char *refspecs[1];
	int error, enforced;

	memset(&target, 0, sizeof(target));

	if (!ev->push_ref || is_zero(ev->push_after) || strncmp(ev->push_ref, "refs/heads/", 11))
		return 0;   /* deletions and tags: nothing a person must follow up */
	if ((error = cl_forge_repo_parse(&target.tracker, owner, sizeof(owner),
			ev->repo_full_name)) < 0)
		return error;
	snprintf(refspec, sizeof(refspec), "+%s:%s", ev->push_ref, ev->push_ref);
	refspecs[0] = refspec;

	memset(&spec, 0, sizeof(spec));
	spec.full_name = ev->repo_full_name;
	spec.clone_url = ev->clone_url;
	spec.refspecs = refspecs;
	spec.refspec_count = 1;
	/* The pushed commits may change the policy; the one before them rules them. */
	spec.policy_rev = is_zero(ev->push_before) ? ev->push_after : ev->push_before;
	spec.tip = ev->push_after;
	spec.hide = is_zero(ev->push_before) ? NULL : ev->push_before;
	spec.label = ev->push_ref;
	memset(&rc, 0, sizeof(rc));
	if ((error = cl_repo_check_run(&rc, bot, forge, &spec)) < 0)
		return error;
	if (rc.repo && (error = push_relicense(bot, ev, rc.repo)) < 0)
		goto done;
	if (!rc.policy) {
		error = 0;   /* a broken policy is reported on pull requests, not as issues */
		goto done;
	}
	if ((enforced = cl_policy_ref_enforced(rc.policy, ev->push_ref)) <= 0) {
		error = enforced;
		goto done;
	}

	target.forge = forge;
	target.forge_name = forge_name;
	target.source = ev->repo_full_name;
	/* the policy's bot.labels / bot.assignees, and the bot config's defaults */
	if ((error = cl_bot_issue_people(&labels, &assignees, bot->config, rc.policy)) < 0)
		goto done;
	target.labels = labels;
	target.assignees = assignees;
	error = cl_followup_sync(&stats, db, &target, rc.repo, rc.policy, ev->push_ref,
		ev->push_before ? ev->push_before : "0", ev->push_after, rc.findings);
done:
	free(labels);
	free(assignees);
	cl_repo_check_dispose(&rc);
	return error;
}

/* ---- comments -------------------------------------------------------------- */

/* "/clearance recheck" on a line of its own, as people type it. */
static int wants_recheck(const char *body)
{
	const char *p = body;

	while (p && *p) {
		const char *line = p + strspn(p, " \t");
		if (!strncmp(line, "/clearance", 10)) {
			const char *arg = line + 10 + strspn(line + 10, " \t");
			if (!strncmp(arg, "recheck", 7) && strchr(" \t\r\n", arg[7]))
				return 1;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

/* The signing sentence, alone in the comment (case and surrounding blanks
 * aside, and a final period either way), as cla-assistant takes it. */
static int is_signing_comment(const char *body, const char *sentence)
{
	size_t blen, slen;

	while (*body == ' ' || *body == '\t' || *body == '\r' || *body == '\n')
		body++;
	blen = strlen(body);
	while (blen && strchr(" \t\r\n.", body[blen - 1]))
		blen--;
	slen = strlen(sentence);
	while (slen && sentence[slen - 1] == '.')
		slen--;
	return blen == slen && strncasecmp(body, sentence, slen) == 0;
}

/*
 * Record the commenter's signature of the policy's agreement. Only a
 * person whose commits are in the pull request signs here, and only for
 * themself: anyone else's comment is not a signature for the author.
 * @return 1 recorded (or already signed), 0 not a signature, < 0 error
 */
static int bot_sign(struct cl_bot *bot, struct cl_forge *forge, const struct cl_forge_repo *repo,
	const struct cl_webhook_event *ev, const struct cl_policy *policy)
{
	const struct cl_cla_options *cla = cl_policy_cla(policy);
	struct cl_bot_identities ids = CL_BOT_IDENTITIES_INIT;
	struct cl_cla_store *store = NULL;
	struct cl_cla_agreement agreement;
	struct cl_cla_signature sig;
	char buf[1024], evidence[512];
	int error;

	if (!cla->enabled || !cla->individual || !ev->comment_author ||
	    !is_signing_comment(ev->comment_body, cla->sign_sentence ? cla->sign_sentence :
			CL_CLA_SIGN_SENTENCE_DEFAULT))
		return 0;
	if ((error = cl_bot_identities_load(&ids, forge, repo, (uint64_t)ev->pr_number)) < 0)
		return error;
	if (!cl_bot_identities_email_of(&ids, ev->comment_author)) {
		error = 0;   /* not a committer of this pull request */
		goto done;
	}
	if ((error = cl_cla_store_open(&store, bot->store_path, 1)) < 0)
		goto done;
	/* The policy names the agreement; the store learns of it on first use. */
	error = cl_cla_agreement_get(&agreement, buf, sizeof(buf), store, cla->individual,
		cla->individual_version);
	if (error == CL_ENOTFOUND) {
		agreement.id = cla->individual;
		agreement.version = cla->individual_version;
		agreement.title = cla->individual;
		agreement.url = cla->sign_url;
		agreement.kind = CL_CLA_INDIVIDUAL;
		error = cl_cla_agreement_put(store, &agreement, "clearance-bot");
	}
	if (error < 0)
		goto done;
	snprintf(evidence, sizeof(evidence), "%s", ev->comment_url ? ev->comment_url : "");
	if (!ev->comment_url)
		snprintf(evidence, sizeof(evidence), "%s#%lld", ev->repo_full_name, ev->pr_number);
	memset(&sig, 0, sizeof(sig));
	sig.agreement = cla->individual;
	sig.version = cla->individual_version;
	sig.kind = CL_CLA_INDIVIDUAL;
	sig.login = ev->comment_author;
	sig.email = cl_bot_identities_email_of(&ids, ev->comment_author);
	sig.method = "comment";
	sig.evidence = evidence;
	error = cl_cla_sign(NULL, store, &sig, ev->comment_author);
	if (error == CL_EEXISTS)
		error = 0;
	if (error == 0)
		error = 1;
done:
	cl_cla_store_free(store);
	cl_bot_identities_dispose(&ids);
	return error;
}

static int bot_comment(struct cl_bot *bot, struct cl_forge *forge, const struct cl_webhook_event *ev)
{
	struct cl_webhook_event pr;
	struct cl_forge_pull pull;
	struct cl_forge_repo repo;
	struct cl_policy *policy = NULL;
	char owner[256];
	int error, recheck;

	if (!ev->comment_on_pr || !ev->comment_body || strcmp(ev->action ? ev->action : "", "created"))
		return 0;
	/* The bot's own comments quote commands and the signing sentence. */
	if (ev->comment_author && bot->self_login && !strcmp(ev->comment_author, bot->self_login))
		return 0;
	if (ev->comment_author && strstr(ev->comment_author, "[bot]"))
		return 0;
	if ((error = cl_forge_repo_parse(&repo, owner, sizeof(owner), ev->repo_full_name)) < 0)
		return error;
	recheck = wants_recheck(ev->comment_body);
	/* Cheap first: most comments are neither a command nor a signature. */
	if (!recheck && !is_signing_comment(ev->comment_body, CL_CLA_SIGN_SENTENCE_DEFAULT) &&
	    strlen(ev->comment_body) > 1024)
		return 0;
	/* The comment does not say where the pull request stands now: ask. */
	if ((error = cl_forge_pull_get(&pull, forge, &repo, (uint64_t)ev->pr_number)) < 0)
		return error;
	if (!recheck) {
		error = cl_repo_check_base_policy(&policy, bot, forge, ev->repo_full_name,
			ev->clone_url, pull.base_ref, pull.base_sha);
		if (error == CL_EINVALID || error == CL_ETOOBIG)
			error = 0;   /* a broken policy is reported by the next review */
		if (error < 0 || !policy)
			goto done;
		if ((error = bot_sign(bot, forge, &repo, ev, policy)) <= 0)
			goto done;
	}
	pr = *ev;
	pr.base_ref = pull.base_ref;
	pr.base_sha = pull.base_sha;
	pr.head_sha = pull.head_sha;
	error = cl_bot_review_pr(bot, forge, &pr);
done:
	cl_policy_free(policy);
	cl_forge_pull_dispose(&pull);
	return error;
}

/* ---- cl_bot_process -------------------------------------------------------- */

int cl_bot_process(const struct cl_delivery *d, void *payload)
{
	struct cl_bot *bot = payload;
	struct cl_webhook_event *ev = NULL;
	enum cl_webhook_forge which = !strcmp(d->forge, "gitea") ? CL_FORGE_GITEA : CL_FORGE_GITHUB;
	struct cl_forge *forge = which == CL_FORGE_GITEA ? bot->gitea : bot->github;
	int error;

	if (!strcmp(d->forge, CL_EVENTS_FORGE))
		return cl_bot_hosted_process(bot, d);   /* a hosted repository's post-receive */
	if ((error = cl_webhook_decode(&ev, which, d->event, d->body, d->body_len)) < 0)
		return error;
	if (!forge) {
		error = 0;   /* no credentials for this forge: accepted, nothing to report */
		goto done;
	}
	/* Outbound contribution approvals (approval_bot.h): the expiry sweep runs with
	 * every delivery; a failed one is logged and tried again with the next. */
	if (cl_bot_approvals_sweep(bot, forge, cl_bot_approvals_now()) < 0) {
		fprintf(stderr, "clearance: event=approvals-sweep error=\"%s\"\n", cl_error_last());
		cl_error_clear();
	}
	if ((error = cl_bot_approvals_event(bot, forge, ev)) != 0) {
		error = error > 0 ? 0 : error;   /* a request or a decision: handled */
		goto done;
	}
	if (!strcmp(ev->event, "pull_request") && ev->action &&
	    (!strcmp(ev->action, "opened") || !strcmp(ev->action, "reopened") ||
	     !strcmp(ev->action, "synchronize") || !strcmp(ev->action, "synchronized")))
		error = cl_bot_review_pr(bot, forge, ev);
	else if (!strcmp(ev->event, "push"))
		error = bot_push(bot, forge, d->forge, ev, d->db);
	else if (!strcmp(ev->event, "issue_comment"))
		error = bot_comment(bot, forge, ev);
done:
	cl_webhook_event_free(ev);
	return error;
}
