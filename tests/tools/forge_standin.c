/*
 * forge_standin.c - a local stand-in for GitHub's and Gitea's REST APIs.
 *
 * The forge cannot be reached from the tests, so they talk to this: a
 * libmicrohttpd server on 127.0.0.1 that keeps issues, comments, labels,
 * statuses and check runs in memory and answers in each forge's wire
 * format (201 on create, 404, 422, Link pagination). GitHub requests are
 * validated against tests/bot/openapi/github-subset.json (cut from GitHub's
 * published OpenAPI description); Gitea's (under /api/v1) against
 * gitea-subset.json (cut from Gitea's swagger, through npm gitea-js). A request that fails validation is answered 404/422 and
 * logged with a "violation" member that the tests assert never appears.
 *
 * usage: forge_standin --openapi FILE [--openapi-gitea FILE] --port-file FILE
 *                      --log FILE [--token T]
 *   Binds an ephemeral port, writes it to the port file, serves until
 *   SIGTERM/SIGINT. Every request is one JSON line in the log: method,
 *   path, query, headers (Authorization left out), body, status, and
 *   "violation"/"fault" when there was one.
 *
 * Control endpoints (not logged, no auth):
 *   POST /_standin/faults {"path": SUBSTRING, "method": M?, "status": N,
 *        "count": N, "retry_after": "1"?, "ratelimit_reset": EPOCH?}
 *        the next `count` matching requests answer `status` (with
 *        Retry-After, or X-RateLimit-Remaining: 0 + X-RateLimit-Reset)
 *   POST /_standin/teams {"org", "slug", "members": [logins]} (again: new members)
 *   POST /_standin/pulls {"owner", "repo", "title", "base"?, "head"?} a pull
 *        request (it is listed among issues, as GitHub does); base and head
 *        ({ref, sha}) are what GET .../pulls/N answers, "commits" what
 *        GET .../pulls/N/commits lists
 *   GET  /_standin/state the whole in-memory state
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define BODY_MAX (1024 * 1024)
#define MAX_PARAMS 8

struct standin {
	json_t *openapi;   /* GitHub's operations */
	json_t *gitea_ops; /* Gitea's, or NULL: then only the routes below judge */
	json_t *state;     /* {"repos": {"o/r": {...}}, "teams": [...], "faults": [...]} */
	FILE *log;
	const char *token;
	unsigned int port;
	long long next_id;
	long long tokens_issued;
};

struct req {
	char *body;
	size_t body_len;
	int too_big;
	const char *method;
	const char *url;       /* as received, decoded by MHD */
	const char *path;      /* after the /api/v1 or /api/v3 prefix */
	int gitea;
	json_t *query;
	json_t *headers;
	json_t *json;          /* parsed body or NULL */
	char violation[512];
	char *params[MAX_PARAMS];
	int nparams;
};

struct answer {
	int status;
	json_t *body;          /* owned */
	char link[2048];
	const char *hname[3];
	char hval[3][64];
	int nh;
	const char *fault;
};

static void violate(struct req *rq, const char *fmt, ...)
{
	va_list ap;
	size_t n = strlen(rq->violation);
	if (n + 3 >= sizeof(rq->violation))
		return;
	if (n)
		rq->violation[n++] = ';', rq->violation[n++] = ' ', rq->violation[n] = '\0';
	va_start(ap, fmt);
	vsnprintf(rq->violation + n, sizeof(rq->violation) - n, fmt, ap);
	va_end(ap);
}

static void set_answer(struct answer *a, int status, json_t *body)
{
	json_decref(a->body);
	a->status = status;
	a->body = body;
}

static void error_answer(struct answer *a, int status, const char *msg)
{
	set_answer(a, status, json_pack("{s:s, s:s}", "message", msg,
		"documentation_url", "https://docs.github.com/rest"));
}

static void add_header(struct answer *a, const char *name, const char *fmt, ...)
{
	va_list ap;
	if (a->nh >= 3)
		return;
	a->hname[a->nh] = name;
	va_start(ap, fmt);
	vsnprintf(a->hval[a->nh], sizeof(a->hval[0]), fmt, ap);
	va_end(ap);
	a->nh++;
}

/* ---- path matching ---- */

/* Does `path` match `tmpl` ("/repos/{owner}/{repo}")? Segments of {x} go to params. */
static int path_match(const char *tmpl, const char *path, struct req *rq)
{
	const char *t = tmpl, *p = path;
	int n = 0;
	char *caps[MAX_PARAMS];

	while (*t && *p) {
		size_t tl, pl;
		if (*t != '/' || *p != '/')
			goto fail;
		t++;
		p++;
		tl = strcspn(t, "/");
		pl = strcspn(p, "/");
		if (tl > 1 && t[0] == '{' && t[tl - 1] == '}') {
			if (pl == 0 || n >= MAX_PARAMS)
				goto fail;
			caps[n++] = strndup(p, pl);
		} else if (tl != pl || strncmp(t, p, tl) != 0) {
			goto fail;
		}
		t += tl;
		p += pl;
	}
	if (*t || *p)
		goto fail;
	if (rq) {
		int i;
		for (i = 0; i < rq->nparams; i++)
			free(rq->params[i]);
		for (i = 0; i < n; i++)
			rq->params[i] = caps[i];
		rq->nparams = n;
	} else {
		while (n > 0)
			free(caps[--n]);
	}
	return 1;
fail:
	while (n > 0)
		free(caps[--n]);
	return 0;
}

/* ---- state ---- */

static json_t *repo_state(struct standin *st, const char *owner, const char *name)
{
	json_t *repos = json_object_get(st->state, "repos"), *r;
	char key[600];
	snprintf(key, sizeof(key), "%s/%s", owner, name);
	r = json_object_get(repos, key);
	if (r == NULL) {
		r = json_pack("{s:[], s:[], s:[], s:[], s:[], s:I}", "issues", "comments", "statuses",
			"check_runs", "labels", "next_number", (json_int_t)1);
		json_object_set_new(repos, key, r);
	}
	return r;
}

static long long parse_ll(const char *s)
{
	char *end;
	long long v;
	if (s == NULL || *s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	return errno || *end ? -1 : v;
}

static json_t *find_by(json_t *arr, const char *key, long long v)
{
	size_t i;
	json_t *it;
	json_array_foreach(arr, i, it) {
		if (json_integer_value(json_object_get(it, key)) == v)
			return it;
	}
	return NULL;
}

static json_t *find_label(json_t *repo, const char *name)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(repo, "labels"), i, it) {
		if (strcmp(json_string_value(json_object_get(it, "name")), name) == 0)
			return it;
	}
	return NULL;
}

static json_t *make_label(struct standin *st, json_t *repo, const char *name, const char *color)
{
	json_t *l = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)++st->next_id, "name", name,
		"color", color ? color : "ededed");
	json_array_append_new(json_object_get(repo, "labels"), l);
	return l;
}

/* Resolve the labels of a request: names (GitHub, created on use) or ids (Gitea). */
static json_t *resolve_labels(struct standin *st, struct req *rq, json_t *repo, json_t *in,
	struct answer *a)
{
	json_t *out = json_array(), *v;
	size_t i;
	json_array_foreach(in, i, v) {
		json_t *l = NULL;
		if (rq->gitea) {
			if (!json_is_integer(v)) {
				violate(rq, "gitea labels must be ids");
				error_answer(a, 422, "labels must be ids");
				json_decref(out);
				return NULL;
			}
			l = find_by(json_object_get(repo, "labels"), "id", json_integer_value(v));
			if (l == NULL) {
				error_answer(a, 422, "label does not exist");
				json_decref(out);
				return NULL;
			}
		} else {
			if (!json_is_string(v)) {
				violate(rq, "github labels must be names");
				error_answer(a, 422, "labels must be names");
				json_decref(out);
				return NULL;
			}
			l = find_label(repo, json_string_value(v));
			if (l == NULL)
				l = make_label(st, repo, json_string_value(v), NULL);
		}
		json_array_append(out, l);
	}
	return out;
}

static void merge_labels(json_t *issue, json_t *add)
{
	json_t *cur = json_object_get(issue, "labels"), *l;
	size_t i;
	json_array_foreach(add, i, l) {
		if (!find_by(cur, "id", json_integer_value(json_object_get(l, "id"))))
			json_array_append(cur, l);
	}
}

/* ---- pagination ---- */

static void append_escaped(char *out, size_t size, const char *s)
{
	char *e = curl_easy_escape(NULL, s, 0);
	size_t n = strlen(out);
	snprintf(out + n, size - n, "%s", e ? e : "");
	curl_free(e);
}

static void page_link(struct standin *st, struct req *rq, char *out, size_t size, long long page)
{
	const char *k;
	json_t *v;
	char num[32];
	int first = 1;
	snprintf(out, size, "http://127.0.0.1:%u", st->port);
	{
		size_t n = strlen(out);
		snprintf(out + n, size - n, "%s", rq->url);
	}
	json_object_foreach(rq->query, k, v) {
		size_t n;
		if (strcmp(k, "page") == 0)
			continue;
		n = strlen(out);
		snprintf(out + n, size - n, "%c%s=", first ? '?' : '&', k);
		append_escaped(out, size, json_string_value(v));
		first = 0;
	}
	snprintf(num, sizeof(num), "%lld", page);
	{
		size_t n = strlen(out);
		snprintf(out + n, size - n, "%cpage=%s", first ? '?' : '&', num);
	}
}

/* Answer 200 with a page of `items` (stolen) and a Link header like the forge's. */
static void answer_list(struct standin *st, struct req *rq, struct answer *a, json_t *items)
{
	const char *pp = json_string_value(json_object_get(rq->query, rq->gitea ? "limit" : "per_page"));
	long long per = pp ? parse_ll(pp) : 30, page = 1, total = (long long)json_array_size(items);
	const char *pg = json_string_value(json_object_get(rq->query, "page"));
	json_t *out = json_array();
	long long i, last;
	if (per <= 0)
		per = 30;
	if (per > (rq->gitea ? 50 : 100))
		per = rq->gitea ? 50 : 100;
	if (pg && (page = parse_ll(pg)) < 1)
		page = 1;
	for (i = (page - 1) * per; i < total && i < page * per; i++)
		json_array_append(out, json_array_get(items, (size_t)i));
	last = total ? (total + per - 1) / per : 1;
	if (page < last) {
		char next[900], lastl[900];
		page_link(st, rq, next, sizeof(next), page + 1);
		page_link(st, rq, lastl, sizeof(lastl), last);
		snprintf(a->link, sizeof(a->link), "<%s>; rel=\"next\", <%s>; rel=\"last\"", next, lastl);
	}
	json_decref(items);
	set_answer(a, 200, out);
}

/* ---- handlers ---- */

#define P(i) (rq->params[i])

static json_t *req_repo(struct standin *st, struct req *rq)
{
	return repo_state(st, P(0), P(1));
}

static json_t *find_issue(json_t *repo, const char *num)
{
	return find_by(json_object_get(repo, "issues"), "number", parse_ll(num));
}

static const char *jstr(struct req *rq, const char *k)
{
	return json_string_value(json_object_get(rq->json, k));
}

static void h_status(struct standin *st, struct req *rq, struct answer *a)
{
	static const char *const states[] = { "pending", "success", "failure", "error", "warning", NULL };
	const char *state = jstr(rq, "state");
	json_t *s;
	int i, ok = 0;
	for (i = 0; state && states[i]; i++)
		ok |= strcmp(state, states[i]) == 0 && (rq->gitea || i < 4);
	if (!ok) {
		violate(rq, "invalid status state");
		error_answer(a, 422, "Validation Failed");
		return;
	}
	if (strlen(P(2)) != 40 && strlen(P(2)) != 64) {
		error_answer(a, 422, "No commit found for SHA");
		return;
	}
	if (jstr(rq, "description") && strlen(jstr(rq, "description")) > 140) {
		violate(rq, "status description longer than 140");
		error_answer(a, 422, "description is too long (maximum is 140 characters)");
		return;
	}
	s = json_deep_copy(rq->json);
	json_object_set_new(s, "id", json_integer(++st->next_id));
	json_object_set_new(s, "sha", json_string(P(2)));
	json_array_append(json_object_get(req_repo(st, rq), "statuses"), s);
	set_answer(a, 201, s);
}

static void check_output(struct req *rq, json_t *run, json_t *output, struct answer *a)
{
	json_t *ann = json_object_get(output, "annotations"), *x;
	size_t i;
	if (output == NULL)
		return;
	if (!json_is_string(json_object_get(output, "title")) || !json_is_string(json_object_get(output, "summary"))) {
		violate(rq, "check output needs title and summary");
		error_answer(a, 422, "Invalid request");
		return;
	}
	if (json_array_size(ann) > 50) {
		violate(rq, "more than 50 annotations in one request");
		error_answer(a, 422, "Only 50 annotations may be sent at a time");
		return;
	}
	json_array_foreach(ann, i, x) {
		if (!json_is_string(json_object_get(x, "path")) || !json_is_integer(json_object_get(x, "start_line")) ||
		    !json_is_integer(json_object_get(x, "end_line")) ||
		    !json_is_string(json_object_get(x, "annotation_level")) ||
		    !json_is_string(json_object_get(x, "message"))) {
			violate(rq, "annotation lacks a required field");
			error_answer(a, 422, "Invalid annotation");
			return;
		}
		json_array_append(json_object_get(run, "annotations"), x);
	}
	json_object_set(run, "output_title", json_object_get(output, "title"));
	json_object_set(run, "output_summary", json_object_get(output, "summary"));
}

static void h_check_create(struct standin *st, struct req *rq, struct answer *a)
{
	json_t *run = json_pack("{s:I, s:O, s:O, s:O, s:O, s:[]}", "id", (json_int_t)++st->next_id,
		"name", json_object_get(rq->json, "name"), "head_sha", json_object_get(rq->json, "head_sha"),
		"status", json_object_get(rq->json, "status") ? json_object_get(rq->json, "status") : json_null(),
		"conclusion", json_object_get(rq->json, "conclusion") ? json_object_get(rq->json, "conclusion") : json_null(),
		"annotations");
	set_answer(a, 201, NULL);
	check_output(rq, run, json_object_get(rq->json, "output"), a);
	if (a->status != 201) {
		json_decref(run);
		return;
	}
	json_array_append(json_object_get(req_repo(st, rq), "check_runs"), run);
	set_answer(a, 201, run);
}

static void h_check_update(struct standin *st, struct req *rq, struct answer *a)
{
	json_t *run = find_by(json_object_get(req_repo(st, rq), "check_runs"), "id", parse_ll(P(2)));
	const char *k[] = { "name", "status", "conclusion", NULL };
	int i;
	if (run == NULL) {
		error_answer(a, 404, "Not Found");
		return;
	}
	set_answer(a, 200, NULL);
	check_output(rq, run, json_object_get(rq->json, "output"), a);
	if (a->status != 200)
		return;
	for (i = 0; k[i]; i++)
		if (json_object_get(rq->json, k[i]))
			json_object_set(run, k[i], json_object_get(rq->json, k[i]));
	set_answer(a, 200, json_incref(run));
}

static void h_comments_list(struct standin *st, struct req *rq, struct answer *a)
{
	json_t *repo = req_repo(st, rq), *out, *c;
	long long n = parse_ll(P(2));
	size_t i;
	if (!find_issue(repo, P(2))) {
		error_answer(a, 404, "Not Found");
		return;
	}
	out = json_array();
	json_array_foreach(json_object_get(repo, "comments"), i, c) {
		if (json_integer_value(json_object_get(c, "issue_number")) == n)
			json_array_append(out, c);
	}
	if (rq->gitea) /* Gitea answers an issue's comments in one list, without pages */
		set_answer(a, 200, out);
	else
		answer_list(st, rq, a, out);
}

static void h_comment_create(struct standin *st, struct req *rq, struct answer *a)
{
	json_t *repo = req_repo(st, rq), *c;
	if (!find_issue(repo, P(2))) {
		error_answer(a, 404, "Not Found");
		return;
	}
	if (!jstr(rq, "body")) {
		violate(rq, "comment without body");
		error_answer(a, 422, "Validation Failed");
		return;
	}
	c = json_pack("{s:I, s:s, s:{s:s}, s:I}", "id", (json_int_t)++st->next_id, "body", jstr(rq, "body"),
		"user", "login", "clearance-bot", "issue_number", (json_int_t)parse_ll(P(2)));
	json_array_append(json_object_get(repo, "comments"), c);
	set_answer(a, 201, c);
}

static void h_comment_edit(struct standin *st, struct req *rq, struct answer *a)
{
	json_t *c = find_by(json_object_get(req_repo(st, rq), "comments"), "id", parse_ll(P(2)));
	if (c == NULL) {
		error_answer(a, 404, "Not Found");
		return;
	}
	if (!jstr(rq, "body")) {
		violate(rq, "comment edit without body");
		error_answer(a, 422, "Validation Failed");
		return;
	}
	json_object_set(c, "body", json_object_get(rq->json, "body"));
	set_answer(a, 200, json_incref(c));
}

static int has_label(json_t *issue, const char *name)
{
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(issue, "labels"), i, l) {
		if (strcmp(json_string_value(json_object_get(l, "name")), name) == 0)
			return 1;
	}
	return 0;
}

static void h_issues_list(struct standin *st, struct req *rq, struct answer *a)
{
	const char *state = json_string_value(json_object_get(rq->query, "state"));
	const char *labels = json_string_value(json_object_get(rq->query, "labels"));
	const char *type = json_string_value(json_object_get(rq->query, "type"));
	json_t *out = json_array(), *it;
	size_t i;
	if (state == NULL)
		state = "open";
	json_array_foreach(json_object_get(req_repo(st, rq), "issues"), i, it) {
		const char *s = json_string_value(json_object_get(it, "state"));
		int ok = strcmp(state, "all") == 0 || strcmp(state, s) == 0;
		if (type && strcmp(type, "issues") == 0 && json_object_get(it, "pull_request"))
			ok = 0;
		if (labels && *labels) {
			char *copy = strdup(labels), *save = NULL, *tok;
			for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
				ok = ok && has_label(it, tok);
			free(copy);
		}
		if (ok)
			json_array_append(out, it);
	}
	answer_list(st, rq, a, out);
}

static void h_issue_create(struct standin *st, struct req *rq, struct answer *a)
{
	json_t *repo = req_repo(st, rq), *issue, *labels = json_array(), *assignees = json_array(), *v;
	long long number = json_integer_value(json_object_get(repo, "next_number"));
	size_t i;
	if (!jstr(rq, "title") || !*jstr(rq, "title")) {
		violate(rq, "issue without title");
		error_answer(a, 422, "Validation Failed");
		json_decref(labels);
		json_decref(assignees);
		return;
	}
	if (json_object_get(rq->json, "labels")) {
		json_decref(labels);
		if ((labels = resolve_labels(st, rq, repo, json_object_get(rq->json, "labels"), a)) == NULL) {
			json_decref(assignees);
			return;
		}
	}
	json_array_foreach(json_object_get(rq->json, "assignees"), i, v) {
		json_array_append_new(assignees, json_pack("{s:O}", "login", v));
	}
	issue = json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:o, s:{s:s}}", "id", (json_int_t)++st->next_id,
		"number", (json_int_t)number, "title", jstr(rq, "title"), "body", jstr(rq, "body") ? jstr(rq, "body") : "",
		"state", "open", "labels", labels, "assignees", assignees, "user", "login", "clearance-bot");
	json_object_set_new(repo, "next_number", json_integer(number + 1));
	json_array_append(json_object_get(repo, "issues"), issue);
	set_answer(a, 201, issue);
}

static void h_issue_get(struct standin *st, struct req *rq, struct answer *a)
{
	json_t *issue = find_issue(req_repo(st, rq), P(2));
	if (issue == NULL)
		error_answer(a, 404, "Not Found");
	else
		set_answer(a, 200, json_incref(issue));
}

/* A pull request is an issue with a "pull_request" member, as on GitHub. */
static void h_pull_get(struct standin *st, struct req *rq, struct answer *a)
{
	json_t *issue = find_issue(req_repo(st, rq), P(2));
	if (issue == NULL || !json_object_get(issue, "pull_request"))
		error_answer(a, 404, "Not Found");
	else
		set_answer(a, 200, json_incref(issue));
}

/* The commits given at creation: [{sha, commit: {author: {name, email}}, author: {login}|null}] */
static void h_pull_commits(struct standin *st, struct req *rq, struct answer *a)
{
	json_t *issue = find_issue(req_repo(st, rq), P(2)), *commits;
	if (issue == NULL || !json_object_get(issue, "pull_request")) {
		error_answer(a, 404, "Not Found");
		return;
	}
	commits = json_object_get(issue, "commits");
	set_answer(a, 200, commits ? json_incref(commits) : json_array());
}

static void h_issue_edit(struct standin *st, struct req *rq, struct answer *a)
{
	json_t *repo = req_repo(st, rq), *issue = find_issue(repo, P(2)), *v;
	const char *state = jstr(rq, "state");
	if (issue == NULL) {
		error_answer(a, 404, "Not Found");
		return;
	}
	if (state && strcmp(state, "open") != 0 && strcmp(state, "closed") != 0) {
		violate(rq, "invalid issue state");
		error_answer(a, 422, "Validation Failed");
		return;
	}
	if ((v = json_object_get(rq->json, "labels")) != NULL) {
		json_t *labels;
		if (rq->gitea) /* Gitea's EditIssueOption has no labels; it would ignore them */
			violate(rq, "gitea issue edit does not take labels");
		if ((labels = resolve_labels(st, rq, repo, v, a)) == NULL)
			return;
		json_object_set_new(issue, "labels", labels);
	}
	if (jstr(rq, "title"))
		json_object_set(issue, "title", json_object_get(rq->json, "title"));
	if (jstr(rq, "body"))
		json_object_set(issue, "body", json_object_get(rq->json, "body"));
	if (state)
		json_object_set_new(issue, "state", json_string(state));
	if (jstr(rq, "state_reason"))
		json_object_set(issue, "state_reason", json_object_get(rq->json, "state_reason"));
	set_answer(a, 200, json_incref(issue));
}

static void h_issue_labels(struct standin *st, struct req *rq, struct answer *a, int replace)
{
	json_t *repo = req_repo(st, rq), *issue = find_issue(repo, P(2)), *labels;
	if (issue == NULL) {
		error_answer(a, 404, "Not Found");
		return;
	}
	if (!json_is_array(json_object_get(rq->json, "labels"))) {
		violate(rq, "labels request without a labels array");
		error_answer(a, 422, "Validation Failed");
		return;
	}
	if ((labels = resolve_labels(st, rq, repo, json_object_get(rq->json, "labels"), a)) == NULL)
		return;
	if (replace)
		json_object_set_new(issue, "labels", json_array());
	merge_labels(issue, labels);
	json_decref(labels);
	set_answer(a, 200, json_incref(json_object_get(issue, "labels")));
}

static void h_labels_add(struct standin *st, struct req *rq, struct answer *a)
{
	h_issue_labels(st, rq, a, 0);
}

static void h_labels_put(struct standin *st, struct req *rq, struct answer *a)
{
	h_issue_labels(st, rq, a, 1);
}

static void h_label_remove(struct standin *st, struct req *rq, struct answer *a)
{
	json_t *repo = req_repo(st, rq), *issue = find_issue(repo, P(2)), *cur, *l;
	size_t i;
	if (issue == NULL) {
		error_answer(a, 404, "Not Found");
		return;
	}
	cur = json_object_get(issue, "labels");
	json_array_foreach(cur, i, l) {
		int hit = rq->gitea ? json_integer_value(json_object_get(l, "id")) == parse_ll(P(3))
			: strcmp(json_string_value(json_object_get(l, "name")), P(3)) == 0;
		if (hit) {
			json_array_remove(cur, i);
			if (rq->gitea)
				set_answer(a, 204, NULL);
			else
				set_answer(a, 200, json_incref(cur));
			return;
		}
	}
	error_answer(a, 404, "Label does not exist");
}

static void h_repo_labels(struct standin *st, struct req *rq, struct answer *a)
{
	answer_list(st, rq, a, json_copy(json_object_get(req_repo(st, rq), "labels")));
}

static void h_repo_label_create(struct standin *st, struct req *rq, struct answer *a)
{
	json_t *repo = req_repo(st, rq);
	if (!jstr(rq, "name") || !jstr(rq, "color")) {
		violate(rq, "gitea label create needs name and color");
		error_answer(a, 422, "Validation Failed");
		return;
	}
	if (find_label(repo, jstr(rq, "name"))) {
		error_answer(a, 409, "label exists");
		return;
	}
	set_answer(a, 201, json_incref(make_label(st, repo, jstr(rq, "name"), jstr(rq, "color"))));
}

static json_t *find_team(struct standin *st, const char *org, const char *slug, long long id)
{
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(st->state, "teams"), i, t) {
		if (id > 0 ? json_integer_value(json_object_get(t, "id")) == id :
		    strcmp(json_string_value(json_object_get(t, "org")), org) == 0 &&
		    strcasecmp(json_string_value(json_object_get(t, "slug")), slug) == 0)
			return t;
	}
	return NULL;
}

static json_t *member_list(json_t *team)
{
	json_t *out = json_array(), *m;
	size_t i;
	json_array_foreach(json_object_get(team, "members"), i, m) {
		json_array_append_new(out, json_pack("{s:O, s:I}", "login", m, "id", (json_int_t)(i + 1)));
	}
	return out;
}

static void h_gh_team_members(struct standin *st, struct req *rq, struct answer *a)
{
	json_t *t = find_team(st, P(0), P(1), 0);
	if (t == NULL)
		error_answer(a, 404, "Not Found");
	else
		answer_list(st, rq, a, member_list(t));
}

static int contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return n == 0;
}

static void h_gitea_team_search(struct standin *st, struct req *rq, struct answer *a)
{
	const char *q = json_string_value(json_object_get(rq->query, "q"));
	json_t *data = json_array(), *t;
	size_t i;
	json_array_foreach(json_object_get(st->state, "teams"), i, t) {
		if (strcmp(json_string_value(json_object_get(t, "org")), P(0)) == 0 &&
		    (q == NULL || contains_nocase(json_string_value(json_object_get(t, "slug")), q)))
			json_array_append_new(data, json_pack("{s:O, s:O}", "id", json_object_get(t, "id"),
				"name", json_object_get(t, "slug")));
	}
	set_answer(a, 200, json_pack("{s:b, s:o}", "ok", 1, "data", data));
}

static void h_gitea_team_members(struct standin *st, struct req *rq, struct answer *a)
{
	json_t *t = find_team(st, NULL, NULL, parse_ll(P(0)));
	if (t == NULL)
		error_answer(a, 404, "Not Found");
	else
		answer_list(st, rq, a, member_list(t));
}

static void h_access_token(struct standin *st, struct req *rq, struct answer *a)
{
	char tok[64], exp[32];
	time_t t = time(NULL) + 3600;
	struct tm tm;
	(void)rq;
	snprintf(tok, sizeof(tok), "ghs_standin%06lld", ++st->tokens_issued);
	gmtime_r(&t, &tm);
	strftime(exp, sizeof(exp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_array_append_new(json_object_get(st->state, "app_tokens"), json_string(tok));
	set_answer(a, 201, json_pack("{s:s, s:s}", "token", tok, "expires_at", exp));
}

typedef void (*handler_fn)(struct standin *st, struct req *rq, struct answer *a);

/* Which forge a route belongs to. */
enum { GH = 1, GT = 2, BOTH = 3 };

static const struct route {
	int forges;
	const char *method;
	const char *path;
	handler_fn fn;
} routes[] = {
	{ BOTH, "POST", "/repos/{owner}/{repo}/statuses/{sha}", h_status },
	{ GH, "POST", "/repos/{owner}/{repo}/check-runs", h_check_create },
	{ GH, "PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}", h_check_update },
	{ BOTH, "GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments", h_comments_list },
	{ BOTH, "POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", h_comment_create },
	{ BOTH, "PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", h_comment_edit },
	{ BOTH, "GET", "/repos/{owner}/{repo}/issues", h_issues_list },
	{ BOTH, "POST", "/repos/{owner}/{repo}/issues", h_issue_create },
	{ BOTH, "GET", "/repos/{owner}/{repo}/issues/{issue_number}", h_issue_get },
	{ BOTH, "GET", "/repos/{owner}/{repo}/pulls/{pull_number}", h_pull_get },
	{ BOTH, "GET", "/repos/{owner}/{repo}/pulls/{pull_number}/commits", h_pull_commits },
	{ BOTH, "PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", h_issue_edit },
	{ BOTH, "POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels", h_labels_add },
	{ GT, "PUT", "/repos/{owner}/{repo}/issues/{issue_number}/labels", h_labels_put },
	{ BOTH, "DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", h_label_remove },
	{ GT, "GET", "/repos/{owner}/{repo}/labels", h_repo_labels },
	{ GT, "POST", "/repos/{owner}/{repo}/labels", h_repo_label_create },
	{ GH, "GET", "/orgs/{org}/teams/{team_slug}/members", h_gh_team_members },
	{ GT, "GET", "/orgs/{org}/teams/search", h_gitea_team_search },
	{ GT, "GET", "/teams/{id}/members", h_gitea_team_members },
	{ GH, "POST", "/app/installations/{installation_id}/access_tokens", h_access_token },
};

/* ---- GitHub OpenAPI validation ---- */

static int type_ok(const char *type, json_t *v)
{
	if (json_is_null(v) || strcmp(type, "any") == 0)
		return 1;
	if (strncmp(type, "array:", 6) == 0) {
		size_t i;
		json_t *e;
		if (!json_is_array(v))
			return 0;
		json_array_foreach(v, i, e) {
			if (!type_ok(type + 6, e))
				return 0;
		}
		return 1;
	}
	if (strcmp(type, "string") == 0)
		return json_is_string(v);
	if (strcmp(type, "integer") == 0)
		return json_is_integer(v);
	if (strcmp(type, "number") == 0)
		return json_is_number(v);
	if (strcmp(type, "boolean") == 0)
		return json_is_boolean(v);
	if (strcmp(type, "array") == 0)
		return json_is_array(v);
	if (strcmp(type, "object") == 0)
		return json_is_object(v);
	return 1;
}

/* 0 when valid; otherwise the answer is set and the violation recorded. */
static int validate(json_t *ops, struct req *rq, struct answer *a)
{
	json_t *op = NULL, *it, *body, *v;
	const char *k;
	size_t i;

	json_array_foreach(ops, i, it) {
		if (strcmp(json_string_value(json_object_get(it, "method")), rq->method) == 0 &&
		    path_match(json_string_value(json_object_get(it, "path")), rq->path, NULL)) {
			op = it;
			break;
		}
	}
	if (op == NULL) {
		violate(rq, "no %s operation %s %s", rq->gitea ? "Gitea" : "GitHub", rq->method, rq->path);
		error_answer(a, 404, "Not Found");
		return -1;
	}
	json_object_foreach(rq->query, k, v) {
		int known = 0;
		size_t j;
		json_t *q;
		json_array_foreach(json_object_get(op, "query"), j, q) {
			known |= strcmp(json_string_value(q), k) == 0;
		}
		if (!known)
			violate(rq, "unknown query parameter '%s' for %s", k,
				json_string_value(json_object_get(op, "operation_id")));
	}
	body = json_object_get(op, "body");
	if (body == NULL) {
		if (rq->body_len > 0)
			violate(rq, "%s takes no body", json_string_value(json_object_get(op, "operation_id")));
		return 0;
	}
	if (rq->body_len == 0) {
		if (json_is_true(json_object_get(op, "body_required"))) {
			violate(rq, "missing body");
			error_answer(a, 422, "Invalid request");
			return -1;
		}
		return 0;
	}
	if (!json_is_object(rq->json)) {
		violate(rq, "body is not a JSON object");
		error_answer(a, 400, "Problems parsing JSON");
		return -1;
	}
	json_array_foreach(json_object_get(body, "required"), i, it) {
		if (!json_object_get(rq->json, json_string_value(it))) {
			violate(rq, "missing required field '%s'", json_string_value(it));
			error_answer(a, 422, "Invalid request");
			return -1;
		}
	}
	json_object_foreach(rq->json, k, v) {
		json_t *t = json_object_get(json_object_get(body, "fields"), k);
		if (t == NULL) {
			violate(rq, "unknown field '%s'", k);
			error_answer(a, 422, "Invalid request");
			return -1;
		}
		if (!type_ok(json_string_value(t), v)) {
			violate(rq, "field '%s' is not of type %s", k, json_string_value(t));
			error_answer(a, 422, "Invalid request");
			return -1;
		}
	}
	return 0;
}

/* ---- control ---- */

static void control(struct standin *st, struct req *rq, struct answer *a)
{
	if (strcmp(rq->url, "/_standin/state") == 0) {
		set_answer(a, 200, json_incref(st->state));
	} else if (strcmp(rq->url, "/_standin/faults") == 0 && json_is_object(rq->json)) {
		json_array_append(json_object_get(st->state, "faults"), rq->json);
		set_answer(a, 201, json_object());
	} else if (strcmp(rq->url, "/_standin/teams") == 0 && json_is_object(rq->json)) {
		/* a team is one per org and slug: posting it again sets its members */
		json_t *teams = json_object_get(st->state, "teams"), *t = json_deep_copy(rq->json), *old = NULL;
		size_t i;
		json_object_set_new(t, "id", json_integer(++st->next_id));
		json_array_foreach(teams, i, old)
			if (json_equal(json_object_get(old, "org"), json_object_get(t, "org")) &&
			    json_equal(json_object_get(old, "slug"), json_object_get(t, "slug")))
				break;
		if (i < json_array_size(teams)) {
			json_object_set(t, "id", json_object_get(old, "id"));
			json_array_set_new(teams, i, t);
		} else {
			json_array_append_new(teams, t);
		}
		set_answer(a, 201, json_object());
	} else if (strcmp(rq->url, "/_standin/pulls") == 0 && json_is_object(rq->json)) {
		json_t *repo = repo_state(st, json_string_value(json_object_get(rq->json, "owner")),
			json_string_value(json_object_get(rq->json, "repo")));
		long long number = json_integer_value(json_object_get(repo, "next_number"));
		json_t *pr = json_pack("{s:I, s:I, s:O, s:s, s:s, s:[], s:{s:s}}", "id", (json_int_t)++st->next_id,
			"number", (json_int_t)number, "title", json_object_get(rq->json, "title"), "body",
			json_string_value(json_object_get(rq->json, "body")) ? json_string_value(json_object_get(rq->json, "body")) : "",
			"state", "open", "labels", "pull_request", "url", "pr");
		json_object_set_new(repo, "next_number", json_integer(number + 1));
		/* base {ref, sha} and head {ref, sha}, for GET .../pulls/N */
		if (json_object_get(rq->json, "base"))
			json_object_set(pr, "base", json_object_get(rq->json, "base"));
		if (json_object_get(rq->json, "head"))
			json_object_set(pr, "head", json_object_get(rq->json, "head"));
		if (json_object_get(rq->json, "commits"))
			json_object_set(pr, "commits", json_object_get(rq->json, "commits"));
		json_array_append_new(json_object_get(repo, "issues"), pr);
		set_answer(a, 201, json_pack("{s:I}", "number", (json_int_t)number));
	} else {
		error_answer(a, 404, "unknown control endpoint");
	}
}

/* A scripted fault for this request? Answers it and returns 1. */
static int fault(struct standin *st, struct req *rq, struct answer *a)
{
	json_t *faults = json_object_get(st->state, "faults"), *f;
	size_t i;
	json_array_foreach(faults, i, f) {
		const char *p = json_string_value(json_object_get(f, "path"));
		const char *m = json_string_value(json_object_get(f, "method"));
		long long count = json_integer_value(json_object_get(f, "count"));
		int status = (int)json_integer_value(json_object_get(f, "status"));
		const char *ra = json_string_value(json_object_get(f, "retry_after"));
		long long reset = json_integer_value(json_object_get(f, "ratelimit_reset"));
		if (count <= 0 || (p && !strstr(rq->url, p)) || (m && strcmp(m, rq->method) != 0))
			continue;
		json_object_set_new(f, "count", json_integer(count - 1));
		error_answer(a, status ? status : 502, status == 403 ?
			"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
			: "Server Error");
		if (ra)
			add_header(a, "Retry-After", "%s", ra);
		if (reset > 0) {
			add_header(a, "X-RateLimit-Remaining", "0");
			add_header(a, "X-RateLimit-Reset", "%lld", reset);
		}
		a->fault = "scripted";
		return 1;
	}
	return 0;
}

/* ---- auth ---- */

static int authorised(struct standin *st, struct req *rq, const char *auth)
{
	const char *v;
	size_t i;
	json_t *t;
	if (auth == NULL)
		return 0;
	if (strncmp(rq->path, "/app/", 5) == 0) {
		/* The App's JWT: three base64url parts (the unit test verifies the signature). */
		const char *d1, *d2;
		if (strncmp(auth, "Bearer ", 7) != 0)
			return 0;
		d1 = strchr(auth + 7, '.');
		d2 = d1 ? strchr(d1 + 1, '.') : NULL;
		return d1 && d2 && !strchr(d2 + 1, '.') && d2[1];
	}
	if (strncmp(auth, "Bearer ", 7) == 0)
		v = auth + 7;
	else if (strncmp(auth, "token ", 6) == 0)
		v = auth + 6;
	else
		return 0;
	if (st->token && strcmp(v, st->token) == 0)
		return 1;
	json_array_foreach(json_object_get(st->state, "app_tokens"), i, t) {
		if (strcmp(json_string_value(t), v) == 0)
			return 1;
	}
	return 0;
}

/* ---- the server ---- */

static int collect(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	json_t *obj = cls;
	(void)kind;
	if (strcasecmp(key, "authorization") == 0)
		return MHD_YES;
	json_object_set_new(obj, key, json_string(value ? value : ""));
	return MHD_YES;
}

static void log_request(struct standin *st, struct req *rq, struct answer *a)
{
	json_t *line = json_pack("{s:s, s:s, s:O, s:O, s:i}", "method", rq->method, "path", rq->url,
		"query", rq->query, "headers", rq->headers, "status", a->status);
	char *text;
	if (rq->json)
		json_object_set(line, "body", rq->json);
	else if (rq->body_len)
		json_object_set_new(line, "body", json_stringn(rq->body, rq->body_len));
	if (rq->violation[0])
		json_object_set_new(line, "violation", json_string(rq->violation));
	if (a->fault)
		json_object_set_new(line, "fault", json_string(a->fault));
	text = json_dumps(line, JSON_COMPACT);
	if (text) {
		fprintf(st->log, "%s\n", text);
		fflush(st->log);
		free(text);
	}
	json_decref(line);
}

static void dispatch(struct standin *st, struct req *rq, struct answer *a, const char *auth)
{
	size_t i;
	int want = rq->gitea ? GT : GH;

	if (rq->json == NULL && rq->body_len) {
		violate(rq, "body is not JSON");
		error_answer(a, 400, "Problems parsing JSON");
		return;
	}
	if (fault(st, rq, a))
		return;
	if (!authorised(st, rq, auth)) {
		error_answer(a, 401, "Bad credentials");
		return;
	}
	if (!rq->gitea) {
		const char *acc = json_string_value(json_object_get(rq->headers, "Accept"));
		const char *ver = json_string_value(json_object_get(rq->headers, "X-GitHub-Api-Version"));
		const char *ua = json_string_value(json_object_get(rq->headers, "User-Agent"));
		if (!acc || strcmp(acc, "application/vnd.github+json") != 0)
			violate(rq, "Accept is not application/vnd.github+json");
		if (!ver || strcmp(ver, "2022-11-28") != 0)
			violate(rq, "X-GitHub-Api-Version is not 2022-11-28");
		if (!ua || !*ua)
			violate(rq, "no User-Agent (GitHub refuses such requests)");
		if (validate(st->openapi, rq, a) < 0)
			return;
	} else if (st->gitea_ops) {
		if (validate(st->gitea_ops, rq, a) < 0)
			return;
	}
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if ((routes[i].forges & want) && strcmp(routes[i].method, rq->method) == 0 &&
		    path_match(routes[i].path, rq->path, rq)) {
			routes[i].fn(st, rq, a);
			return;
		}
	}
	violate(rq, "no %s route %s %s", rq->gitea ? "gitea" : "github", rq->method, rq->path);
	error_answer(a, 404, "Not Found");
}

static void req_free(struct req *rq)
{
	int i;
	if (rq == NULL)
		return;
	free(rq->body);
	json_decref(rq->query);
	json_decref(rq->headers);
	json_decref(rq->json);
	for (i = 0; i < rq->nparams; i++)
		free(rq->params[i]);
	free(rq);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
	enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	req_free(*con_cls);
	*con_cls = NULL;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
	const char *method, const char *version, const char *upload_data, size_t *upload_data_size,
	void **con_cls)
{
	struct standin *st = cls;
	struct req *rq = *con_cls;
	struct answer a;
	struct MHD_Response *resp;
	char *text = NULL;
	enum MHD_Result ret;
	int i;
	(void)version;

	if (rq == NULL) {
		rq = calloc(1, sizeof(*rq));
		if (rq == NULL)
			return MHD_NO;
		*con_cls = rq;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (rq->body_len + *upload_data_size > BODY_MAX) {
			rq->too_big = 1;
		} else {
			char *grown = realloc(rq->body, rq->body_len + *upload_data_size + 1);
			if (grown == NULL)
				return MHD_NO;
			rq->body = grown;
			memcpy(rq->body + rq->body_len, upload_data, *upload_data_size);
			rq->body_len += *upload_data_size;
			rq->body[rq->body_len] = '\0';
		}
		*upload_data_size = 0;
		return MHD_YES;
	}

	memset(&a, 0, sizeof(a));
	rq->method = method;
	rq->url = url;
	rq->query = json_object();
	rq->headers = json_object();
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, (MHD_KeyValueIterator)collect, rq->query);
	MHD_get_connection_values(conn, MHD_HEADER_KIND, (MHD_KeyValueIterator)collect, rq->headers);
	if (rq->body_len)
		rq->json = json_loadb(rq->body, rq->body_len, 0, NULL);
	if (strncmp(url, "/api/v1/", 8) == 0) {
		rq->gitea = 1;
		rq->path = url + 7;
	} else if (strncmp(url, "/api/v3/", 8) == 0) {
		rq->path = url + 7;
	} else {
		rq->path = url;
	}

	if (rq->too_big) {
		error_answer(&a, 413, "body too large");
	} else if (strncmp(url, "/_standin/", 10) == 0) {
		control(st, rq, &a);
	} else {
		dispatch(st, rq, &a, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization"));
		log_request(st, rq, &a);
	}

	if (a.body)
		text = json_dumps(a.body, JSON_COMPACT);
	resp = MHD_create_response_from_buffer(text ? strlen(text) : 0, text ? text : (char *)"",
		text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (resp == NULL) {
		free(text);
		json_decref(a.body);
		return MHD_NO;
	}
	if (text)
		MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
	if (a.link[0])
		MHD_add_response_header(resp, "Link", a.link);
	for (i = 0; i < a.nh; i++)
		MHD_add_response_header(resp, a.hname[i], a.hval[i]);
	ret = MHD_queue_response(conn, (unsigned int)a.status, resp);
	MHD_destroy_response(resp);
	json_decref(a.body);
	return ret;
}

int main(int argc, char **argv)
{
	struct standin st;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	const char *openapi = NULL, *openapi_gitea = NULL, *port_file = NULL, *log_file = NULL;
	json_t *spec;
	json_error_t jerr;
	sigset_t set;
	int sig, i;
	FILE *pf;

	memset(&st, 0, sizeof(st));
	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--openapi") == 0)
			openapi = argv[i + 1];
		else if (strcmp(argv[i], "--openapi-gitea") == 0)
			openapi_gitea = argv[i + 1];
		else if (strcmp(argv[i], "--port-file") == 0)
			port_file = argv[i + 1];
		else if (strcmp(argv[i], "--log") == 0)
			log_file = argv[i + 1];
		else if (strcmp(argv[i], "--token") == 0)
			st.token = argv[i + 1];
	}
	if (!openapi || !port_file || !log_file) {
		fprintf(stderr, "usage: forge_standin --openapi FILE --port-file FILE --log FILE [--token T]\n");
		return 2;
	}
	spec = json_load_file(openapi, 0, &jerr);
	if (spec == NULL || !json_is_array(json_object_get(spec, "operations"))) {
		fprintf(stderr, "forge_standin: cannot read '%s': %s\n", openapi, jerr.text);
		return 1;
	}
	st.openapi = json_incref(json_object_get(spec, "operations"));
	json_decref(spec);
	if (openapi_gitea) {
		spec = json_load_file(openapi_gitea, 0, &jerr);
		if (spec == NULL || !json_is_array(json_object_get(spec, "operations"))) {
			fprintf(stderr, "forge_standin: cannot read '%s': %s\n", openapi_gitea, jerr.text);
			return 1;
		}
		st.gitea_ops = json_incref(json_object_get(spec, "operations"));
		json_decref(spec);
	}
	st.state = json_pack("{s:{}, s:[], s:[], s:[]}", "repos", "teams", "faults", "app_tokens");
	st.log = fopen(log_file, "a");
	if (st.log == NULL) {
		fprintf(stderr, "forge_standin: cannot open '%s': %s\n", log_file, strerror(errno));
		return 1;
	}
	/* Signals are taken by sigwait below, not by the server thread. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	{
		/* Loopback only: the tests never reach beyond 127.0.0.1. */
		struct sockaddr_in sa;
		memset(&sa, 0, sizeof(sa));
		sa.sin_family = AF_INET;
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sa.sin_port = 0;
		d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
			handle, &st,
			MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
			MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
			MHD_OPTION_END);
	}
	if (d == NULL) {
		fprintf(stderr, "forge_standin: cannot start the server\n");
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	st.port = info ? info->port : 0;
	{
		/* Written whole, then renamed: a reader never sees half a number. */
		char tmp[4096];
		snprintf(tmp, sizeof(tmp), "%s.tmp", port_file);
		pf = fopen(tmp, "w");
		if (pf == NULL || fprintf(pf, "%u\n", st.port) < 0 || fclose(pf) != 0 || rename(tmp, port_file) != 0) {
			fprintf(stderr, "forge_standin: cannot write '%s'\n", port_file);
			MHD_stop_daemon(d);
			return 1;
		}
	}
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	fclose(st.log);
	json_decref(st.state);
	json_decref(st.openapi);
	json_decref(st.gitea_ops);
	return 0;
}
