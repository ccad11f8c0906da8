/*
 * approval_check.c - outbound commits must be covered by an approval.
 */
#include "approval_check.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "approvals.h"
#include "cla_run.h"
#include "engine.h"
#include "error.h"

int cl_approval_check_enabled(const struct cl_policy *policy)
{
	const struct cl_approval_options *o = cl_policy_approvals(policy);
	return o->enabled && o->outbound_repos.count > 0 && o->employee_domain_count > 0;
}

int cl_approval_is_employee(const char *email, char *const *domains, size_t count)
{
	const char *at = email ? strrchr(email, '@') : NULL, *host;
	size_t i, hlen, dlen;

	if (!at || !at[1])
		return 0;
	host = at + 1;
	hlen = strlen(host);
	for (i = 0; i < count; i++) {
		const char *d = domains[i];
		if (!strncmp(d, "*.", 2)) {
			d += 2;
			dlen = strlen(d);
			/* the domain itself or any subdomain of it */
			if (!strcasecmp(host, d) || (hlen > dlen + 1 && host[hlen - dlen - 1] == '.' &&
			    !strcasecmp(host + hlen - dlen, d)))
				return 1;
		} else if (!strcasecmp(host, d)) {
			return 1;
		}
	}
	return 0;
}

/* "owner/name" from the repository's directory (".../owner/name.git/"). */
static int repo_name(char *out, size_t size, git_repository *repo)
{
	const char *path = git_repository_is_bare(repo) ? git_repository_path(repo) :
		git_repository_workdir(repo);
	char buf[4096], *end, *name, *owner;
	size_t len;

	if (!path || (len = strlen(path)) == 0 || len >= sizeof(buf))
		return CL_ENOTFOUND;
	memcpy(buf, path, len + 1);
	while (len > 1 && buf[len - 1] == '/')
		buf[--len] = '\0';
	if (len > 4 && !strcmp(buf + len - 4, ".git"))
		buf[len -= 4] = '\0';
	if (!(end = strrchr(buf, '/')))
		return CL_ENOTFOUND;
	name = end + 1;
	*end = '\0';
	owner = strrchr(buf, '/');
	owner = owner ? owner + 1 : buf;
	if (!*name || !*owner || (size_t)snprintf(out, size, "%s/%s", owner, name) >= size)
		return CL_ENOTFOUND;
	return 0;
}

/*
 * The highest major release among the fork's tags ("v2.3.0", "2.3",
 * "v3"), or -1 when it has none: a fork synced with its upstream carries
 * the upstream's release tags, which is how a hook (no forge, no network)
 * learns that the upstream moved to a new major.
 */
static int fork_major(git_repository *repo)
{
	git_strarray tags = { NULL, 0 };
	int best = -1;
	size_t i;

	if (git_tag_list(&tags, repo) < 0)
		return -1;   /* unknown: "major" approvals are judged as if no release came */
	for (i = 0; i < tags.count; i++) {
		const char *t = tags.strings[i];
		char *end;
		long v;

		if (*t == 'v' || *t == 'V')
			t++;
		if (*t < '0' || *t > '9')
			continue;
		v = strtol(t, &end, 10);
		if ((*end != '\0' && *end != '.') || v < 0 || v > 100000)
			continue;
		if ((int)v > best)
			best = (int)v;
	}
	git_strarray_dispose(&tags);
	return best;
}

/* Lines added plus deleted by `c` against its first parent (a root: the empty tree). */
static int commit_lines(size_t *out, git_repository *repo, const struct cl_commit *c)
{
	git_oid oid;
	git_commit *commit = NULL, *parent = NULL;
	git_tree *tree = NULL, *parent_tree = NULL;
	git_diff *diff = NULL;
	git_diff_stats *stats = NULL;
	int error;

	/* a merge brings in others' work (syncing with upstream); its own lines are its parents' */
	if (c->parent_count > 1) {
		*out = 0;
		return 0;
	}
	if ((error = git_oid_fromstr(&oid, c->id)) < 0 ||
	    (error = git_commit_lookup(&commit, repo, &oid)) < 0 ||
	    (error = git_commit_tree(&tree, commit)) < 0 ||
	    (git_commit_parentcount(commit) > 0 &&
	     ((error = git_commit_parent(&parent, commit, 0)) < 0 ||
	      (error = git_commit_tree(&parent_tree, parent)) < 0)) ||
	    (error = git_diff_tree_to_tree(&diff, repo, parent_tree, tree, NULL)) < 0 ||
	    (error = git_diff_get_stats(&stats, diff)) < 0) {
		error = cl_error_set("approval check: cannot count the lines of commit '%s'", c->id);
		goto done;
	}
	*out = git_diff_stats_insertions(stats) + git_diff_stats_deletions(stats);
done:
	git_diff_stats_free(stats);
	git_diff_free(diff);
	git_tree_free(parent_tree);
	git_tree_free(tree);
	git_commit_free(parent);
	git_commit_free(commit);
	return error;
}

#define APPROVAL_TEAMS_MAX 32

/* The author's teams so far; names the forge confirmed are copied here. */
struct author_teams {
	const char *names[APPROVAL_TEAMS_MAX];
	char asked[APPROVAL_TEAMS_MAX][128];
	size_t count, asked_count;
	const struct cl_engine_env *env;
	const char *login;
};

static int ask_team(const char *team, void *payload)
{
	struct author_teams *t = payload;
	int rc;

	if (t->count == APPROVAL_TEAMS_MAX || t->asked_count == APPROVAL_TEAMS_MAX ||
	    strlen(team) >= sizeof(t->asked[0]))
		return 0;
	if ((rc = t->env->in_team(t->login, team, t->env->payload)) < 0)
		return rc;
	if (rc > 0) {
		memcpy(t->asked[t->asked_count], team, strlen(team) + 1);
		t->names[t->count++] = t->asked[t->asked_count++];
	}
	return 0;
}

/*
 * The author's teams: the policy's (approvals.teams) that list the author
 * by email or, where the front-end can tell it (the bot), by forge login;
 * and there, the teams approvals for this upstream were granted to, asked
 * of the forge (only those: a forge cannot list a person's teams cheaply).
 */
static int author_teams(struct author_teams *out, struct cl_check_ctx *ctx,
	struct cl_approvals *store, const struct cl_commit *c, const char *repo, int64_t now)
{
	const struct cl_approval_options *o = cl_policy_approvals(ctx->policy);
	char login[256];
	int error;

	memset(out, 0, sizeof(*out));
	login[0] = '\0';
	if (ctx->env && ctx->env->login_for_email &&
	    ctx->env->login_for_email(login, sizeof(login), c->author_email, ctx->env->payload) < 0) {
		cl_error_clear();   /* no login known: the email still matches */
		login[0] = '\0';
	}
	out->count = cl_approval_teams_of(out->names, APPROVAL_TEAMS_MAX, o, c->author_email,
		login);
	if (!ctx->env || !ctx->env->in_team || !login[0])
		return 0;
	out->env = ctx->env;
	out->login = login;
	error = cl_approval_teams_foreach(store, repo, now, ask_team, out);
	out->login = NULL;   /* pointed into this frame */
	return error;
}

/* One approval that covered commits of this push: what they add up to. */
struct approval_use {
	int64_t id;
	size_t lines;
	size_t first;   /* index of its first commit */
};

static int add_finding(struct cl_check_ctx *ctx, const struct cl_commit *c, const char *rule,
	const char *message, const char *remedy, const char *name)
{
	struct cl_finding f;
	char subject[128], key[600];

	cl_commit_subject(subject, sizeof(subject), c);
	/* the missing approval keeps the key it had before size limits existed (baselines) */
	snprintf(key, sizeof(key), "%s:%s:%s", strcmp(rule, "approval.missing") ? rule : "approval",
		name, c->author_email);
	memset(&f, 0, sizeof(f));
	f.check = "approval";
	f.severity = CL_SEVERITY_ERROR;
	f.ref = ctx->ref;
	f.commit = c->id;
	f.subject = subject;
	f.rule = rule;
	f.message = message;
	f.remedy = remedy;
	f.key = key;
	return cl_findings_add(ctx->findings, &f);
}

/*
 * What judging a push writes to the store: the outbound commits seen (with
 * the approval that covered each) and the "one contribution" approvals
 * used up. Made at once where the commits already landed (the bot's
 * review, post-receive), or kept in the front-end's pending list until the
 * push is accepted (pre-receive), so a refused push writes nothing.
 */
struct write_use {
	int64_t id;
	char commit[CL_OID_HEXSZ + 1];   /* the first commit that used it */
};

struct approval_writes {
	char *store_path, *repository, *upstream, *ref, *use;
	int64_t now;
	struct cl_commit *commits;   /* copies: the ctx's are borrowed */
	int64_t *approvals;          /* per commit; 0: not covered */
	size_t commit_count;
	struct write_use *uses;
	size_t use_count;
	char *strings;               /* the commits' ids and names, in one block */
};

static void writes_free(void *payload)
{
	struct approval_writes *w = payload;

	if (!w)
		return;
	free(w->store_path);
	free(w->repository);
	free(w->upstream);
	free(w->ref);
	free(w->use);
	free(w->commits);
	free(w->approvals);
	free(w->uses);
	free(w->strings);
	free(w);
}

static int writes_new(struct approval_writes **out, const char *store_path, const char *repository,
	const char *upstream, const char *ref, const char *use, size_t max_commits, int64_t now)
{
	struct approval_writes *w = calloc(1, sizeof(*w));

	if (!w || !(w->store_path = strdup(store_path)) || !(w->repository = strdup(repository)) ||
	    !(w->upstream = strdup(upstream)) || (ref && !(w->ref = strdup(ref))) ||
	    (use && !(w->use = strdup(use))) ||
	    !(w->commits = calloc(max_commits ? max_commits : 1, sizeof(*w->commits))) ||
	    !(w->approvals = calloc(max_commits ? max_commits : 1, sizeof(*w->approvals))) ||
	    !(w->uses = calloc(max_commits ? max_commits : 1, sizeof(*w->uses)))) {
		writes_free(w);
		return cl_error_set("out of memory");
	}
	w->now = now;
	*out = w;
	return 0;
}

/* Seen: commit `c`, covered by `approval` (0: none). Its strings are copied once all are known. */
static void writes_commit(struct approval_writes *w, const struct cl_commit *c, int64_t approval)
{
	w->commits[w->commit_count] = *c;
	w->approvals[w->commit_count++] = approval;
}

/* The commits' borrowed strings, copied into one block, so the writes can outlive the ctx. */
static int writes_own_strings(struct approval_writes *w)
{
	size_t i, size = 0;
	char *p;

	for (i = 0; i < w->commit_count; i++)
		size += strlen(w->commits[i].author_name) + strlen(w->commits[i].author_email) + 2;
	if (!(w->strings = p = malloc(size ? size : 1)))
		return cl_error_set("out of memory");
	for (i = 0; i < w->commit_count; i++) {
		struct cl_commit *c = &w->commits[i];
		size_t n = strlen(c->author_name) + 1, m = strlen(c->author_email) + 1;

		memcpy(p, c->author_name, n);
		c->author_name = p;
		memcpy(p + n, c->author_email, m);
		c->author_email = p + n;
		p += n + m;
		c->message = c->committer_name = c->committer_email = NULL;
	}
	return 0;
}

static int writes_apply_to(struct cl_approvals *store, const struct approval_writes *w)
{
	size_t i;
	int error = 0;

	for (i = 0; error == 0 && i < w->commit_count; i++) {
		struct cl_contribution c;

		memset(&c, 0, sizeof(c));
		c.repository = w->repository;
		c.commit = w->commits[i].id;
		c.ref = w->ref;
		c.upstream_repo = w->upstream;
		c.author = w->commits[i].author_name;
		c.email = w->commits[i].author_email;
		c.committed_at = w->commits[i].time;
		c.seen_at = w->now;
		c.approval = w->approvals[i];
		error = cl_approval_contribution_record(store, &c);
	}
	for (i = 0; error == 0 && i < w->use_count; i++)
		if ((error = cl_approval_use(store, w->uses[i].id, w->use, w->uses[i].commit, w->now)) < 0)
			error = cl_error_setc(error, "approval #%lld could not be marked as used by %s: %s",
				(long long)w->uses[i].id, w->use, cl_error_last());
	return error;
}

static int writes_apply(void *payload)
{
	const struct approval_writes *w = payload;
	struct cl_approvals *store = NULL;
	int error;

	if ((error = cl_approvals_open(&store, w->store_path, 0)) == 0)
		error = writes_apply_to(store, w);
	cl_approvals_free(store);
	return error < 0 ? cl_error_setc(error, "the outbound commits of %s were not recorded: %s",
		w->repository, cl_error_last()) : 0;
}

/* Write now, or hand the writes to the front-end's pending list (which then owns them). */
static int writes_commit_all(struct cl_check_ctx *ctx, struct cl_approvals *store,
	struct approval_writes *w)
{
	int error;

	if ((error = writes_own_strings(w)) < 0) {
		writes_free(w);
		return error;
	}
	if (ctx->env && ctx->env->pending)
		return cl_pending_add(ctx->env->pending, writes_apply, writes_free, w);
	error = writes_apply_to(store, w);
	writes_free(w);
	return error;
}

/*
 * Uses are decided after every commit was judged, and only for approvals
 * whose size limit held: a push refused for its size must not use up the
 * "one contribution" it asked to be covered by.
 */
static int check_uses(struct cl_check_ctx *ctx, struct cl_approvals *store,
	struct approval_writes *w, const struct approval_use *uses, size_t count, const char *name,
	const char *request)
{
	char message[1024], remedy[700];
	size_t i;
	int error = 0;

	for (i = 0; i < count; i++) {
		const struct cl_commit *c = &ctx->commits[uses[i].first];
		struct cl_approval a;

		if ((error = cl_approval_get(&a, store, uses[i].id)) < 0)
			return error;
		if (a.size_limit > 0 && uses[i].lines > (unsigned long long)a.size_limit) {
			snprintf(message, sizeof(message), "%s <%s> changes %zu lines of %s, more than "
				"the %lld its approval #%lld allows", c->author_name, c->author_email,
				uses[i].lines, name, a.size_limit, (long long)a.id);
			snprintf(remedy, sizeof(remedy), "split the contribution, or ask the OSPO for a "
				"larger one%s%s", request ? ": " : "", request ? request : "");
			error = add_finding(ctx, c, "approval.size", message, remedy, name);
		} else if (a.scope == CL_SCOPE_ONE && w->use) {
			w->uses[w->use_count].id = a.id;
			memcpy(w->uses[w->use_count++].commit, c->id, sizeof(c->id));
		}
		cl_approval_dispose(&a);
		if (error < 0)
			return error;
	}
	return 0;
}

int cl_approval_outbound(char *name, size_t size, git_repository *repo,
	const struct cl_policy *policy)
{
	if (!cl_approval_check_enabled(policy) || repo_name(name, size, repo) < 0)
		return 0;   /* no repository to name: nothing is outbound */
	return cl_pattern_list_match(&cl_policy_approvals(policy)->outbound_repos, name);
}

int cl_approval_run(struct cl_check_ctx *ctx)
{
	const struct cl_approval_options *o = cl_policy_approvals(ctx->policy);
	struct cl_approvals *store = NULL;
	struct approval_use *uses = NULL;
	struct approval_writes *writes = NULL;
	char name[512], message[1024], remedy[600], use[1200], *path = NULL;
	const char *short_name;
	int64_t now = (int64_t)time(NULL), id;
	size_t i, j, use_count = 0, lines = 0;
	int error, rc, major;

	if (!ctx->repo)
		return 0;   /* commits from nowhere: nothing is outbound */
	if ((rc = cl_approval_outbound(name, sizeof(name), ctx->repo, ctx->policy)) <= 0)
		return rc;
	short_name = strchr(name, '/') + 1;
	for (i = 0; i < ctx->commit_count; i++)
		if (cl_approval_is_employee(ctx->commits[i].author_email, o->employee_domains,
				o->employee_domain_count))
			break;
	if (i == ctx->commit_count)
		return 0;   /* syncing the fork with upstream: nobody's commits to judge */
	if ((error = cl_cla_store_path(&path, ctx->repo, cl_policy_cla(ctx->policy))) < 0)
		return error;
	if ((error = cl_approvals_open(&store, path, 0)) < 0 && error != CL_ENOTFOUND) {
		error = cl_error_setc(error, "approval check: %s", cl_error_last());
		goto done;
	}
	cl_error_clear();
	error = 0;
	/* one contribution is one ref of one fork: a pull request's branch, a pushed topic */
	if (ctx->ref)
		snprintf(use, sizeof(use), "%s:%s", name, ctx->ref);
	major = fork_major(ctx->repo);
	if (ctx->commit_count && (uses = calloc(ctx->commit_count, sizeof(*uses))) == NULL) {
		error = cl_error_set("out of memory");
		goto done;
	}
	if (store && (error = writes_new(&writes, path, name, short_name, ctx->ref,
			ctx->ref ? use : NULL, ctx->commit_count, now)) < 0)
		goto done;
	for (i = 0; i < ctx->commit_count; i++) {
		const struct cl_commit *c = &ctx->commits[i];

		if (!cl_approval_is_employee(c->author_email, o->employee_domains,
				o->employee_domain_count))
			continue;
		if (store) {
			struct author_teams teams;

			if ((error = author_teams(&teams, ctx, store, c, short_name, now)) < 0)
				goto done;
			rc = cl_approval_covering(&id, store, c->author_email, short_name, now,
				ctx->ref ? use : NULL, major, (char *const *)teams.names, teams.count);
			if (rc == 0) {
				if ((error = commit_lines(&lines, ctx->repo, c)) < 0)
					goto done;
				for (j = 0; j < use_count && uses[j].id != id; j++)
					;
				if (j == use_count) {
					uses[use_count].id = id;
					uses[use_count].first = i;
					use_count++;
				}
				uses[j].lines += lines;
				writes_commit(writes, c, id);
				continue;
			}
			if (rc != CL_ENOTFOUND) {
				error = rc;
				goto done;
			}
			cl_error_clear();
			writes_commit(writes, c, 0);
		}
		snprintf(message, sizeof(message), "%s <%s> has no approval in force to contribute to "
			"the upstream project of %s (outbound repository)", c->author_name,
			c->author_email, name);
		snprintf(remedy, sizeof(remedy), "ask the OSPO for an outbound contribution approval%s%s",
			o->request_url ? ": " : " (clearance approvals request)",
			o->request_url ? o->request_url : "");
		if ((error = add_finding(ctx, c, "approval.missing", message, remedy, name)) < 0)
			goto done;
	}
	if (store && (error = check_uses(ctx, store, writes, uses, use_count, name,
			o->request_url)) == 0) {
		error = writes_commit_all(ctx, store, writes);
		writes = NULL;
	}
done:
	writes_free(writes);
	free(uses);
	cl_approvals_free(store);
	free(path);
	return error < 0 ? error : 0;
}

/* ---- license changes -------------------------------------------------------- */

static int is_license_file(const char *path)
{
	static const char *const prefixes[] = { "license", "licence", "copying" };
	const char *base = strrchr(path, '/');
	size_t i;

	base = base ? base + 1 : path;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncasecmp(base, prefixes[i], strlen(prefixes[i])))
			return 1;
	return 0;
}

/* The expression's words that are license ids: not operators, not parentheses. */
typedef int (*license_id_cb)(const char *id, size_t len, void *payload);

static int foreach_license_id(const char *expr, size_t len, license_id_cb cb, void *payload)
{
	static const char *const ops[] = { "AND", "OR", "WITH" };
	const char *p = expr, *end = expr + len;
	int rc;

	while (p < end) {
		const char *w;
		size_t n, i;

		while (p < end && (isspace((unsigned char)*p) || *p == '(' || *p == ')'))
			p++;
		w = p;
		while (p < end && !isspace((unsigned char)*p) && *p != '(' && *p != ')')
			p++;
		if ((n = (size_t)(p - w)) == 0)
			continue;
		for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
			if (strlen(ops[i]) == n && !strncasecmp(w, ops[i], n))
				break;
		/* "WITH exception": the exception is part of the license, not another one */
		if (i < sizeof(ops) / sizeof(ops[0]))
			continue;
		if ((rc = cb(w, n, payload)) != 0)
			return rc;
	}
	return 0;
}

static int add_id(const char *id, size_t len, void *payload)
{
	struct cl_license_diff *d = payload;
	size_t i;

	if (len >= sizeof(d->ids[0]))
		len = sizeof(d->ids[0]) - 1;
	for (i = 0; i < d->id_count; i++)
		if (strlen(d->ids[i]) == len && !strncasecmp(d->ids[i], id, len))
			return 0;
	if (d->id_count == CL_LICENSE_DIFF_IDS)
		return 0;   /* enough to tell: more ids change no decision */
	memcpy(d->ids[d->id_count], id, len);
	d->ids[d->id_count++][len] = '\0';
	return 0;
}

static int diff_file(const git_diff_delta *delta, float progress, void *payload)
{
	struct cl_license_diff *d = payload;
	const char *path = delta->new_file.path ? delta->new_file.path : delta->old_file.path;

	(void)progress;
	if (!d->file[0] && path && (is_license_file(path) ||
	    (delta->old_file.path && is_license_file(delta->old_file.path))))
		snprintf(d->file, sizeof(d->file), "%s", path);
	return 0;
}

static int diff_line(const git_diff_delta *delta, const git_diff_hunk *hunk,
	const git_diff_line *line, void *payload)
{
	static const char tag[] = "SPDX-License-Identifier:";
	const char *p, *end, *eol;
	size_t n = sizeof(tag) - 1;

	(void)delta;
	(void)hunk;
	if (line->origin != GIT_DIFF_LINE_ADDITION)
		return 0;
	end = line->content + line->content_len;
	for (p = line->content; p + n <= end; p++)
		if (!strncasecmp(p, tag, n))
			break;
	if (p + n > end)
		return 0;
	p += n;
	/* up to the end of the line or a comment's closing */
	for (eol = p; eol < end && *eol != '\n' && *eol != '\r' && !(*eol == '*' && eol + 1 < end &&
			eol[1] == '/') && !(*eol == '-' && eol + 2 < end && eol[1] == '-' && eol[2] == '>');
			eol++)
		;
	return foreach_license_id(p, (size_t)(eol - p), add_id, payload);
}

int cl_approval_license_diff(struct cl_license_diff *out, git_repository *repo,
	const git_oid *from, const git_oid *to)
{
	git_commit *a = NULL, *b = NULL;
	git_tree *ta = NULL, *tb = NULL;
	git_diff *diff = NULL;
	struct cl_license_diff d;
	int error;

	memset(&d, 0, sizeof(d));
	if ((from && ((error = git_commit_lookup(&a, repo, from)) < 0 ||
	              (error = git_commit_tree(&ta, a)) < 0)) ||
	    (error = git_commit_lookup(&b, repo, to)) < 0 ||
	    (error = git_commit_tree(&tb, b)) < 0 ||
	    (error = git_diff_tree_to_tree(&diff, repo, ta, tb, NULL)) < 0 ||
	    (error = git_diff_foreach(diff, diff_file, NULL, NULL, diff_line, &d)) < 0) {
		error = cl_error_set("cannot compare the licenses of '%s'", git_oid_tostr_s(to));
		goto done;
	}
	*out = d;
done:
	git_diff_free(diff);
	git_tree_free(tb);
	git_tree_free(ta);
	git_commit_free(b);
	git_commit_free(a);
	return error;
}

struct id_search {
	const char *id;
	int found;
};

static int find_id(const char *id, size_t len, void *payload)
{
	struct id_search *s = payload;
	if (strlen(s->id) == len && !strncasecmp(s->id, id, len)) {
		s->found = 1;
		return 1;
	}
	return 0;
}

int cl_approval_license_differs(char *why, size_t size, const struct cl_license_diff *d,
	const char *license)
{
	size_t i;

	if (d->file[0]) {
		snprintf(why, size, "the license file '%s' changed", d->file);
		return 1;
	}
	for (i = 0; i < d->id_count; i++) {
		struct id_search s = { d->ids[i], 0 };
		if (license)
			foreach_license_id(license, strlen(license), find_id, &s);
		if (!s.found) {
			snprintf(why, size, "an SPDX header now says '%s', which the approved license "
				"'%s' does not name", d->ids[i], license ? license : "unknown");
			return 1;
		}
	}
	return 0;
}

/* ---- sending approvals back to review ----------------------------------------- */

struct relicense_row {
	int64_t id;
	char license[256];
};

struct relicense_scan {
	const char *repo;              /* the upstream's name */
	struct relicense_row *rows;
	size_t count, alloc;
};

static int relicense_collect(const struct cl_approval *a, void *payload)
{
	struct relicense_scan *s = payload;

	if (!a->upstream_repo || strcasecmp(a->upstream_repo, s->repo))
		return 0;
	if (s->count == s->alloc) {
		size_t n = s->alloc ? s->alloc * 2 : 8;
		struct relicense_row *r = realloc(s->rows, n * sizeof(*r));
		if (!r)
			return cl_error_set("out of memory");
		s->rows = r;
		s->alloc = n;
	}
	s->rows[s->count].id = a->id;
	snprintf(s->rows[s->count].license, sizeof(s->rows[0].license), "%s",
		a->license ? a->license : "");
	s->count++;
	return 0;
}

int cl_approvals_relicense(struct cl_approvals *store, const char *upstream,
	const struct cl_license_diff *d, const char *url, int64_t default_expiry, int64_t now,
	cl_approval_relicensed_cb moved, void *payload)
{
	struct relicense_scan scan;
	char why[512];
	size_t i;
	int error;

	if (!d->file[0] && d->id_count == 0)
		return 0;   /* nothing about licensing changed */
	memset(&scan, 0, sizeof(scan));
	scan.repo = upstream;
	/* collected first: moving records while the listing's statement is open would not be safe */
	if ((error = cl_approvals_foreach(store, CL_APPROVAL_APPROVED, relicense_collect, &scan)) < 0)
		goto done;
	for (i = 0; i < scan.count; i++) {
		struct cl_approval_decision dec = CL_APPROVAL_DECISION_INIT;

		if (!cl_approval_license_differs(why, sizeof(why), d,
				scan.rows[i].license[0] ? scan.rows[i].license : NULL))
			continue;
		dec.actor = "clearance";
		dec.url = url;
		dec.message = why;
		if ((error = cl_approval_transition(store, scan.rows[i].id, CL_APPROVAL_NEEDS_RE_REVIEW,
				&dec, default_expiry, now)) < 0 ||
		    (moved && (error = moved(scan.rows[i].id, why, payload)) < 0))
			goto done;
	}
done:
	free(scan.rows);
	return error;
}
