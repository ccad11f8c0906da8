/*
 * approval_bot.c - outbound contribution requests as issues, decisions as
 * slash commands, and the expiry sweep.
 *
 * Divisions: set-up (policy, store, clock); answers (template, labels,
 * open/closed); the issue form; slash commands; the sweep; routing.
 */
#include "approval_bot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "approval_check.h"
#include "approval_form.h"
#include "approvals.h"
#include "buf.h"
#include "error.h"
#include "policy.h"
#include "template.h"

#define DAY 86400
#define STATUS_KEY "approval-status"

/* ---- set-up ------------------------------------------------------------------ */

int64_t cl_bot_approvals_now(void)
{
	const char *fixed = getenv("CLEARANCE_NOW");
	char *end;
	long long v;

	if (fixed && *fixed) {
		errno = 0;
		v = strtoll(fixed, &end, 10);
		if (!errno && !*end && v > 0)
			return v;
	}
	return (int64_t)time(NULL);
}

/*
 * The server's policy when it enables approvals, else NULL (0). A policy
 * that does not load is an error of the server's configuration: serve
 * refuses to start with one, so here it only means the file changed.
 */
static int approvals_policy(struct cl_policy **out, struct cl_bot *bot)
{
	struct cl_policy *p = NULL;
	int error;

	*out = NULL;
	if (!bot->default_policy)
		return 0;
	if ((error = cl_policy_load_buffer(&p, bot->default_policy, bot->default_policy_len,
			bot->default_policy_name)) < 0)
		return error;
	if (!cl_policy_approvals(p)->enabled || !cl_policy_approvals(p)->repository) {
		cl_policy_free(p);
		return 0;
	}
	*out = p;
	return 0;
}

struct ctx {
	struct cl_bot *bot;
	struct cl_forge *forge;
	const char *forge_name;
	const struct cl_approval_options *opts;
	struct cl_forge_repo repo;      /* the approvals repository */
	char owner[256];
	int64_t now;
};

static int ctx_init(struct ctx *c, struct cl_bot *bot, struct cl_forge *forge,
	const struct cl_policy *policy)
{
	const char *full = cl_policy_approvals(policy)->repository, *slash = strchr(full, '/');

	memset(c, 0, sizeof(*c));
	c->bot = bot;
	c->forge = forge;
	c->forge_name = cl_forge_kind(forge) == CL_FORGE_KIND_GITEA ? "gitea" : "github";
	c->opts = cl_policy_approvals(policy);
	if (!slash || (size_t)(slash - full) >= sizeof(c->owner))
		return cl_error_setc(CL_EINVALID, "approvals.repository '%s' is not OWNER/REPO", full);
	snprintf(c->owner, sizeof(c->owner), "%.*s", (int)(slash - full), full);
	c->repo.owner = c->owner;
	c->repo.name = slash + 1;
	c->now = cl_bot_approvals_now();
	return 0;
}

/* ---- answers ---------------------------------------------------------------- */

static const char *label_of(const struct cl_approval_options *o, enum cl_approval_state s)
{
	switch (s) {
	case CL_APPROVAL_REQUESTED: return o->labels.requested;
	case CL_APPROVAL_APPROVED: return o->labels.approved;
	case CL_APPROVAL_DENIED: return o->labels.denied;
	case CL_APPROVAL_NEEDS_INFO: return o->labels.needs_info;
	case CL_APPROVAL_EXPIRED: return o->labels.expired;
	case CL_APPROVAL_REVOKED: return o->labels.revoked;
	case CL_APPROVAL_NEEDS_RE_REVIEW: return o->labels.needs_re_review;
	case CL_APPROVAL_STATE_COUNT: break;
	}
	CL_BUG("unknown approval state");
}

/*
 * The issue shows the record's state: its state label on, the other state
 * labels off (removing an absent label is not an error), open while a
 * person must act, closed once decided.
 */
static int sync_issue(struct ctx *c, long long number, enum cl_approval_state state)
{
	const char *labels[2] = { label_of(c->opts, state), NULL };
	int s, error, open_states = state == CL_APPROVAL_REQUESTED || state == CL_APPROVAL_NEEDS_INFO ||
		state == CL_APPROVAL_NEEDS_RE_REVIEW;

	if ((error = cl_forge_labels_add(c->forge, &c->repo, (uint64_t)number, labels)) < 0)
		return error;
	for (s = 0; s < CL_APPROVAL_STATE_COUNT; s++) {
		const char *other = label_of(c->opts, (enum cl_approval_state)s);
		if (s != (int)state && strcmp(other, labels[0]) &&
		    (error = cl_forge_label_remove(c->forge, &c->repo, (uint64_t)number, other)) < 0)
			return error;
	}
	if (open_states)
		return cl_forge_issue_reopen(c->forge, &c->repo, (uint64_t)number);
	return cl_forge_issue_close(c->forge, &c->repo, (uint64_t)number, NULL);
}

static void fmt_day(char *out, size_t size, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t || !gmtime_r(&tt, &tm) || !strftime(out, size, "%Y-%m-%d", &tm))
		snprintf(out, size, "-");
}

static int approvers_text(struct cl_buf *out, const struct cl_approval_options *o)
{
	size_t i;
	int error = 0;

	for (i = 0; error == 0 && i < o->approver_count; i++)
		error = cl_buf_printf(out, "%s@%s", out->size ? ", " : "", o->approvers[i]);
	for (i = 0; error == 0 && i < o->approver_team_count; i++)
		error = cl_buf_printf(out, "%s@%s", out->size ? ", " : "", o->approver_teams[i]);
	return error;
}

/*
 * Render approval-comment.md with `doc` (plus the common keys) and post it:
 * as the issue's status comment (edited in place) when `status`, else as a
 * new comment.
 */
static int answer(struct ctx *c, long long number, json_t *doc, const struct cl_approval *a,
	int status)
{
	struct cl_buf body = CL_BUF_INIT, marker = CL_BUF_INIT, holder = CL_BUF_INIT, who = CL_BUF_INIT;
	const char *tmpl;
	char until[32], project[800];
	size_t tlen;
	int error;

	if (a) {
		fmt_day(until, sizeof(until), a->expires_at);
		snprintf(project, sizeof(project), "%s/%s/%s", a->upstream_host ? a->upstream_host : "",
			a->upstream_owner ? a->upstream_owner : "", a->upstream_repo ? a->upstream_repo : "");
		if (json_object_set_new(doc, "id", json_integer(a->id)) < 0 ||
		    json_object_set_new(doc, "until", json_string(until)) < 0 ||
		    json_object_set_new(doc, "project", json_string(project)) < 0 ||
		    json_object_set_new(doc, "scope", json_string(cl_approval_scope_name(a->scope))) < 0 ||
		    (a->requester && !json_object_get(doc, "requester") &&
		     json_object_set_new(doc, "requester", json_string(a->requester)) < 0)) {
			error = cl_error_set("out of memory");
			goto done;
		}
	}
	if ((error = approvers_text(&who, c->opts)) < 0 ||
	    (error = cl_forge_marker(&marker, STATUS_KEY)) < 0)
		goto done;
	if (json_object_set_new(doc, "approvers", json_string(who.size ? who.ptr : "none")) < 0 ||
	    json_object_set_new(doc, "marker", json_string(status ? marker.ptr : "")) < 0) {
		error = cl_error_set("out of memory");
		goto done;
	}
	if ((error = cl_template_find(&tmpl, &tlen, &holder, "approval-comment.md")) < 0 ||
	    (error = cl_template_render(&body, "approval-comment.md", tmpl, tlen, doc, 0)) < 0)
		goto done;
	if (status)
		error = cl_forge_comment_upsert(NULL, c->forge, &c->repo, (uint64_t)number, STATUS_KEY,
			body.ptr);
	else
		error = cl_forge_comment_create(NULL, c->forge, &c->repo, (uint64_t)number, body.ptr);
done:
	cl_buf_dispose(&body);
	cl_buf_dispose(&marker);
	cl_buf_dispose(&holder);
	cl_buf_dispose(&who);
	return error;
}

/* The answer for a record in `state`, named as the template's flag. */
static const char *flag_of(enum cl_approval_state s)
{
	switch (s) {
	case CL_APPROVAL_REQUESTED: return "recorded";
	case CL_APPROVAL_APPROVED: return "approved";
	case CL_APPROVAL_DENIED: return "denied";
	case CL_APPROVAL_NEEDS_INFO: return "needs_info";
	case CL_APPROVAL_EXPIRED: return "expired";
	case CL_APPROVAL_REVOKED: return "revoked";
	case CL_APPROVAL_NEEDS_RE_REVIEW: return "re_review";
	case CL_APPROVAL_STATE_COUNT: break;
	}
	CL_BUG("unknown approval state");
}

/* ---- the issue form ----------------------------------------------------------- */

static int on_issue(struct ctx *c, struct cl_approvals *store, const struct cl_webhook_event *ev)
{
	struct cl_approval_form form;
	struct cl_approval req, rec;
	json_t *doc = NULL;
	char project[800];
	int64_t id = 0;
	int created = 0, error, have_rec = 0, rule;
	const char *body = ev->issue_body ? ev->issue_body : "";

	memset(&rec, 0, sizeof(rec));
	error = cl_approval_find_issue(&rec, store, c->forge_name, ev->repo_full_name, ev->pr_number);
	if (error == 0)
		have_rec = 1;
	else if (error != CL_ENOTFOUND)
		return error;
	cl_error_clear();
	/* Questions and discussions in the OSPO's repository are not requests. */
	if (!have_rec && !cl_approval_form_detect(body, strlen(body)))
		return 0;
	if (!(doc = json_pack("{s:s}", "requester", ev->issue_author))) {
		error = cl_error_set("out of memory");
		goto done;
	}
	error = cl_approval_form_parse(&form, body, strlen(body));
	if (error == CL_EINVALID || error == CL_ETOOBIG) {
		json_t *list = json_array();
		const char *p = form.problems ? form.problems : "";
		if (error == CL_ETOOBIG)
			json_array_append_new(list, json_string("the issue is too long to read"));
		while (*p) {
			const char *nl = strchr(p, '\n');
			json_array_append_new(list, json_stringn(p, nl ? (size_t)(nl - p) : strlen(p)));
			p = nl ? nl + 1 : p + strlen(p);
		}
		cl_approval_form_dispose(&form);
		cl_error_clear();
		json_object_set_new(doc, "problems", list);
		json_object_set_new(doc, "has_problems", json_true());
		/* The record, if any, stays as it was: a half-edited form changes nothing. */
		if ((error = answer(c, ev->pr_number, doc, have_rec ? &rec : NULL, 1)) < 0)
			goto done;
		if (!have_rec) {
			const char *labels[2] = { c->opts->labels.needs_info, NULL };
			error = cl_forge_labels_add(c->forge, &c->repo, (uint64_t)ev->pr_number, labels);
		}
		goto done;
	}
	if (error < 0) {
		cl_approval_form_dispose(&form);
		goto done;
	}

	memset(&req, 0, sizeof(req));
	cl_approval_form_to_request(&req, &form);
	req.requester = ev->issue_author;
	req.forge = c->forge_name;
	req.issue_repo = ev->repo_full_name;
	req.issue_number = ev->pr_number;
	req.issue_url = ev->issue_url;
	error = cl_approval_request(&id, &created, store, &req, ev->issue_author, ev->issue_url, c->now);
	snprintf(project, sizeof(project), "%s/%s/%s", form.host, form.owner, form.repo);
	rule = error < 0 ? error : cl_approval_pre_approved(c->opts, project, form.license,
		form.expected_lines);
	cl_approval_form_dispose(&form);
	if (error < 0)
		goto done;
	if (rule < 0 && rule != CL_ENOTFOUND) {
		error = rule;
		goto done;
	}
	cl_error_clear();
	cl_approval_dispose(&rec);
	have_rec = 0;
	if ((error = cl_approval_get(&rec, store, id)) < 0)
		goto done;
	have_rec = 1;
	if (rule >= 0 && rec.state == CL_APPROVAL_REQUESTED) {
		struct cl_approval_decision d = CL_APPROVAL_DECISION_INIT;
		char name[64];
		snprintf(name, sizeof(name), "pre_approved[%d]", rule);
		d.actor = "clearance";
		d.rule = name;
		/* a rule for trivial patches approves that size, and the check holds it to it */
		d.size_limit = (long long)c->opts->pre_approved[rule].max_lines;
		d.url = ev->issue_url;
		d.message = "pre-approved by the policy";
		if ((error = cl_approval_transition(store, id, CL_APPROVAL_APPROVED, &d,
				(int64_t)c->opts->expiry_days * DAY, c->now)) < 0)
			goto done;
		cl_approval_dispose(&rec);
		have_rec = 0;
		if ((error = cl_approval_get(&rec, store, id)) < 0)
			goto done;
		have_rec = 1;
		json_object_set_new(doc, "pre_approved", json_string(name));
	} else if (rec.state == CL_APPROVAL_REQUESTED || rec.state == CL_APPROVAL_NEEDS_RE_REVIEW) {
		json_object_set_new(doc, flag_of(rec.state), json_true());
	} else {
		/* decided (or expired): an edit changes facts, not the decision */
		json_object_set_new(doc, "unchanged", json_string(cl_approval_state_name(rec.state)));
	}
	if ((error = answer(c, ev->pr_number, doc, &rec, 1)) < 0)
		goto done;
	error = sync_issue(c, ev->pr_number, rec.state);
done:
	if (have_rec)
		cl_approval_dispose(&rec);
	json_decref(doc);
	return error;
}

/* ---- slash commands -------------------------------------------------------- */

struct team_search {
	const char *login;
	int found;
};

static int team_member(const char *login, void *payload)
{
	struct team_search *t = payload;
	if (!strcasecmp(login, t->login)) {
		t->found = 1;
		return 1;
	}
	return 0;
}

int cl_bot_approvals_in_team(struct cl_forge *forge, const char *login, const char *team)
{
	struct team_search t = { login, 0 };
	const char *slash = strchr(team, '/');
	char org[256];
	int error;

	if (!slash || (size_t)(slash - team) >= sizeof(org))
		return 0;
	snprintf(org, sizeof(org), "%.*s", (int)(slash - team), team);
	error = cl_forge_team_members_foreach(forge, org, slash + 1, team_member, &t);
	if (error == CL_ENOTFOUND) {
		cl_error_clear();   /* a team that does not exist has nobody in it */
		return 0;
	}
	return error < 0 ? error : t.found;
}

/* Named in approvers, or a member of an approver team (asked of the forge). 1 / 0 / < 0 */
static int is_approver(struct ctx *c, const char *login)
{
	size_t i;
	int rc;

	if (cl_approval_is_named_approver(c->opts, login))
		return 1;
	for (i = 0; i < c->opts->approver_team_count; i++)
		if ((rc = cl_bot_approvals_in_team(c->forge, login, c->opts->approver_teams[i])) != 0)
			return rc;
	return 0;
}

static enum cl_approval_state target_of(enum cl_approval_verb v)
{
	switch (v) {
	case CL_APPROVAL_CMD_APPROVE: return CL_APPROVAL_APPROVED;
	case CL_APPROVAL_CMD_DENY: return CL_APPROVAL_DENIED;
	case CL_APPROVAL_CMD_REVOKE: return CL_APPROVAL_REVOKED;
	case CL_APPROVAL_CMD_INFO: return CL_APPROVAL_NEEDS_INFO;
	case CL_APPROVAL_CMD_NONE: break;
	}
	CL_BUG("no target state for no command");
}

static int on_comment(struct ctx *c, struct cl_approvals *store, const struct cl_webhook_event *ev)
{
	struct cl_approval_command cmd;
	struct cl_approval rec;
	json_t *doc = NULL;
	enum cl_approval_state to;
	int rc, error, approver;

	rc = cl_approval_command_parse(&cmd, ev->comment_body, strlen(ev->comment_body));
	if (rc == 0 || rc == CL_ETOOBIG) {
		cl_error_clear();
		return 0;
	}
	error = cl_approval_find_issue(&rec, store, c->forge_name, ev->repo_full_name, ev->pr_number);
	if (error == CL_ENOTFOUND) {
		cl_error_clear();
		return 0;   /* a command on an issue that is no request: not ours to answer */
	}
	if (error < 0)
		return error;
	if (!(doc = json_pack("{s:s}", "actor", ev->comment_author))) {
		error = cl_error_set("out of memory");
		goto done;
	}
	/* A redelivery of the comment that already moved the record: only the labels again. */
	if (ev->comment_url && rec.decision_url && !strcmp(rec.decision_url, ev->comment_url)) {
		error = sync_issue(c, ev->pr_number, rec.state);
		goto done;
	}
	if ((approver = is_approver(c, ev->comment_author)) < 0) {
		error = approver;
		goto done;
	}
	if (!approver) {
		json_object_set_new(doc, "refused", json_true());
		error = answer(c, ev->pr_number, doc, &rec, 0);
		goto done;
	}
	if (rc == CL_EINVALID) {
		cl_error_clear();
		json_object_set_new(doc, "invalid", json_string(cmd.problem));
		error = answer(c, ev->pr_number, doc, &rec, 0);
		goto done;
	}
	to = target_of(cmd.verb);
	{
		struct cl_approval_decision d = CL_APPROVAL_DECISION_INIT;
		d.actor = ev->comment_author;
		d.url = ev->comment_url;
		d.message = cmd.text[0] ? cmd.text : NULL;
		d.has_scope = cmd.has_scope;
		d.scope = cmd.scope;
		d.expires_at = cmd.until;
		d.team = cmd.team[0] ? cmd.team : NULL;
		d.cla_signer = cmd.cla_signer[0] ? cmd.cla_signer : NULL;
		error = cl_approval_transition(store, rec.id, to, &d, (int64_t)c->opts->expiry_days * DAY,
			c->now);
	}
	if (error == CL_EINVALID) {
		/* not a move the state machine allows: say so, change nothing */
		json_object_set_new(doc, "invalid", json_string(cl_error_last()));
		cl_error_clear();
		error = answer(c, ev->pr_number, doc, &rec, 0);
		goto done;
	}
	if (error < 0)
		goto done;
	{
		int64_t id = rec.id;
		cl_approval_dispose(&rec);
		error = cl_approval_get(&rec, store, id);
	}
	if (error < 0) {
		memset(&rec, 0, sizeof(rec));
		goto done;
	}
	json_object_set_new(doc, flag_of(rec.state), json_true());
	if (cmd.text[0])
		json_object_set_new(doc, "message", json_string(cmd.text));
	if ((error = answer(c, ev->pr_number, doc, &rec, 0)) < 0)
		goto done;
	error = sync_issue(c, ev->pr_number, rec.state);
done:
	cl_approval_dispose(&rec);
	json_decref(doc);
	return error;
}

/* ---- the sweep ---------------------------------------------------------------- */

static int on_due(const struct cl_approval *a, enum cl_approval_due what, void *payload)
{
	struct ctx *c = payload;
	json_t *doc;
	int error;

	/* Only requests made on this forge's issues can be answered there. */
	if (!a->issue_number || !a->forge || strcmp(a->forge, c->forge_name))
		return 0;
	if (!(doc = json_pack("{s:b}", what == CL_APPROVAL_DUE_EXPIRED ? "expired" : "warn", 1)))
		return cl_error_set("out of memory");
	error = answer(c, a->issue_number, doc, a, 0);
	json_decref(doc);
	if (error == 0 && what == CL_APPROVAL_DUE_EXPIRED)
		error = sync_issue(c, a->issue_number, CL_APPROVAL_EXPIRED);
	return error;
}

int cl_bot_approvals_sweep(struct cl_bot *bot, struct cl_forge *forge, int64_t now)
{
	struct cl_policy *policy = NULL;
	struct cl_approvals *store = NULL;
	struct ctx c;
	int error;

	if ((error = approvals_policy(&policy, bot)) < 0 || !policy)
		return error;
	if ((error = ctx_init(&c, bot, forge, policy)) < 0 ||
	    (error = cl_approvals_open(&store, bot->store_path, 1)) < 0)
		goto done;
	c.now = now;
	error = cl_approvals_sweep(store, now, (int64_t)c.opts->warn_days * DAY, c.forge_name,
		on_due, &c);
done:
	cl_approvals_free(store);
	cl_policy_free(policy);
	return error;
}

/* ---- routing ---------------------------------------------------------------- */

int cl_bot_approvals_event(struct cl_bot *bot, struct cl_forge *forge,
	const struct cl_webhook_event *ev)
{
	struct cl_policy *policy = NULL;
	struct cl_approvals *store = NULL;
	const char *action = ev->action ? ev->action : "";
	struct ctx c;
	int error, is_issue = !strcmp(ev->event, "issues"), is_comment;

	is_comment = !strcmp(ev->event, "issue_comment") && !ev->comment_on_pr &&
		!strcmp(action, "created") && ev->comment_body && ev->comment_author;
	if (is_issue && strcmp(action, "opened") && strcmp(action, "edited") && strcmp(action, "reopened"))
		return 0;
	if ((!is_issue && !is_comment) || !ev->repo_full_name || ev->pr_number <= 0)
		return 0;
	/* The bot's own comments quote the commands. */
	if (is_comment && ((bot->self_login && !strcasecmp(ev->comment_author, bot->self_login)) ||
	    strstr(ev->comment_author, "[bot]")))
		return 0;
	if (is_issue && !ev->issue_author)
		return 0;
	if ((error = approvals_policy(&policy, bot)) < 0 || !policy)
		return error;
	if (strcasecmp(cl_policy_approvals(policy)->repository, ev->repo_full_name)) {
		error = 0;
		goto done;
	}
	if ((error = ctx_init(&c, bot, forge, policy)) < 0 ||
	    (error = cl_approvals_open(&store, bot->store_path, 1)) < 0)
		goto done;
	error = is_issue ? on_issue(&c, store, ev) : on_comment(&c, store, ev);
	if (error == 0)
		error = 1;
done:
	cl_approvals_free(store);
	cl_policy_free(policy);
	return error;
}

/* ---- the upstream relicenses ----------------------------------------------------- */

struct relicense_tell {
	struct cl_bot *bot;
	const struct cl_policy *policy;
	struct cl_approvals *store;
	const char *url;
};

/*
 * A record cl_approvals_relicense moved: its request issue hears why and
 * is relabelled, on the forge it was made on (a hosted push comes from
 * neither forge), when the bot has credentials for it.
 */
static int relicense_told(int64_t id, const char *why, void *payload)
{
	struct relicense_tell *t = payload;
	struct cl_forge *forge = NULL;
	struct cl_approval a;
	struct ctx c;
	json_t *doc;
	int error;

	if ((error = cl_approval_get(&a, t->store, id)) < 0)
		return error;
	if (a.issue_number && a.forge)
		forge = !strcmp(a.forge, "gitea") ? t->bot->gitea :
			!strcmp(a.forge, "github") ? t->bot->github : NULL;
	if (forge && (error = ctx_init(&c, t->bot, forge, t->policy)) == 0) {
		if (!(doc = json_pack("{s:b, s:s, s:s?}", "relicensed", 1, "message", why,
				"source", t->url)))
			error = cl_error_set("out of memory");
		else
			error = answer(&c, a.issue_number, doc, &a, 0);
		json_decref(doc);
		if (error == 0)
			error = sync_issue(&c, a.issue_number, CL_APPROVAL_NEEDS_RE_REVIEW);
	}
	cl_approval_dispose(&a);
	return error;
}

int cl_bot_approvals_relicensed(struct cl_bot *bot, const char *upstream,
	const struct cl_license_diff *d, const char *url)
{
	struct cl_policy *policy = NULL;
	struct cl_approvals *store = NULL;
	struct relicense_tell tell;
	const struct cl_approval_options *o;
	int error;

	if (!d->file[0] && d->id_count == 0)
		return 0;   /* nothing about licensing changed */
	if ((error = approvals_policy(&policy, bot)) < 0 || !policy)
		return error;
	o = cl_policy_approvals(policy);
	if ((error = cl_approvals_open(&store, bot->store_path, 1)) < 0)
		goto done;
	tell.bot = bot;
	tell.policy = policy;
	tell.store = store;
	tell.url = url;
	error = cl_approvals_relicense(store, upstream, d, url, (int64_t)o->expiry_days * DAY,
		cl_bot_approvals_now(), relicense_told, &tell);
done:
	cl_approvals_free(store);
	cl_policy_free(policy);
	return error;
}

int cl_bot_approvals_relicense(struct cl_bot *bot, const char *fork,
	struct git_repository *repo, const struct git_oid *from, const struct git_oid *to,
	const char *url)
{
	struct cl_policy *policy = NULL;
	struct cl_license_diff d;
	const char *slash = strchr(fork, '/');
	int error, rc;

	if ((error = approvals_policy(&policy, bot)) < 0 || !policy || !slash)
		goto done;
	if ((rc = cl_pattern_list_match(&cl_policy_approvals(policy)->outbound_repos, fork)) <= 0) {
		error = rc;
		goto done;
	}
	if ((error = cl_approval_license_diff(&d, repo, from, to)) == 0)
		error = cl_bot_approvals_relicensed(bot, slash + 1, &d, url);
done:
	cl_policy_free(policy);
	return error;
}
