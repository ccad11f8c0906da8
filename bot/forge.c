/*
 * forge.c - the forge interface: lifecycle, requests, pagination, and the
 * operations GitHub and Gitea share. The rest is forge_github.c and
 * forge_gitea.c behind struct cl_forge__ops.
 *
 * Divisions: lifecycle; requests and listings; statuses and checks;
 * comments; issues; labels and teams; git access.
 */
#include "forge_priv.h"
#include "error.h"
#include "json_text.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define FORGE_KEY_MAX 200
#define FORGE_DESC_MAX 140 /* GitHub refuses longer status descriptions */

/* ---- lifecycle ---- */

/* Teams whose listings the cache keeps at once; an OSPO names a handful. */
#define FORGE_TEAMS_KEPT 256

int cl_forge_new(struct cl_forge **out, const struct cl_forge_options *opts)
{
	struct cl_http_options hopts = CL_HTTP_OPTIONS_INIT;
	struct cl_forge *f = NULL;
	const char *base;
	size_t blen;
	int error = 0;

	if (opts->kind != CL_FORGE_KIND_GITHUB && opts->kind != CL_FORGE_KIND_GITEA)
		return cl_error_setc(CL_EINVALID, "unknown forge kind %d", (int)opts->kind);
	if ((opts->token == NULL || *opts->token == '\0') && opts->app_id == NULL)
		return cl_error_setc(CL_EINVALID, "forge needs a token or a github app");
	if (opts->app_id && (opts->kind != CL_FORGE_KIND_GITHUB || opts->private_key_path == NULL ||
		opts->installation_id == NULL))
		return cl_error_setc(CL_EINVALID,
			"github app auth needs app_id, private_key_path and installation_id (GitHub only)");
	base = opts->base_url;
	if (base == NULL || *base == '\0') {
		if (opts->kind == CL_FORGE_KIND_GITEA)
			return cl_error_setc(CL_EINVALID, "gitea forge needs a base url");
		base = "https://api.github.com";
	}
	if (strncmp(base, "https://", 8) != 0 && strncmp(base, "http://", 7) != 0)
		return cl_error_setc(CL_EINVALID, "forge base url '%s' is not http(s)", base);
	if (strchr(base, '@') || strchr(base, '?'))
		return cl_error_setc(CL_EINVALID,
			"forge base url must not carry credentials or a query; use the token option");

	f = calloc(1, sizeof(*f));
	CL_CHECK_ALLOC(f);
	f->kind = opts->kind;
	f->ops = opts->kind == CL_FORGE_KIND_GITHUB ? &cl_forge__github_ops : &cl_forge__gitea_ops;
	f->sys = opts->sys;
	blen = strlen(base);
	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	{
		struct cl_buf b = CL_BUF_INIT;
		const char *suf = f->ops->api_suffix;
		size_t sl = suf ? strlen(suf) : 0;
		cl_buf_init(&b, 4096);
		error = cl_buf_put(&b, base, blen);
		if (error == 0 && sl && (blen < sl || strncmp(base + blen - sl, suf, sl) != 0))
			error = cl_buf_puts(&b, suf);
		f->base = cl_buf_detach(&b);
		cl_buf_dispose(&b);
		if (error < 0)
			goto done;
		CL_CHECK_ALLOC(f->base);
	}
	f->per_page = opts->per_page ? opts->per_page : 100;
	if (f->per_page > f->ops->max_per_page)
		f->per_page = f->ops->max_per_page;
	f->max_pages = opts->max_pages ? opts->max_pages : 100;
	if (opts->team_cache_seconds &&
	    (error = cl_team_cache_new(&f->teams, opts->team_cache_seconds, FORGE_TEAMS_KEPT)) < 0)
		goto done;

	hopts.user_agent = opts->user_agent;
	hopts.connect_timeout_ms = opts->connect_timeout_ms;
	hopts.timeout_ms = opts->timeout_ms;
	hopts.max_retries = opts->max_retries;
	hopts.sys = opts->sys;
	hopts.log = opts->log;
	hopts.log_payload = opts->log_payload;
	if ((error = cl_http_client_new(&f->http, &hopts)) < 0)
		goto done;
	if (opts->token && *opts->token) {
		f->token = strdup(opts->token);
		CL_CHECK_ALLOC(f->token);
		if ((error = cl_http_client_add_secret(f->http, f->token)) < 0)
			goto done;
	} else if ((error = cl_github_app_new_from_file(&f->app, opts->app_id,
		opts->installation_id, opts->private_key_path)) < 0)
		goto done;
	*out = f;
	f = NULL;
done:
	cl_forge_free(f);
	return error;
}

void cl_forge_free(struct cl_forge *f)
{
	if (f == NULL)
		return;
	if (f->token) {
		memset(f->token, 0, strlen(f->token));
		free(f->token);
	}
	cl_github_app_free(f->app);
	cl_team_cache_free(f->teams);
	cl_http_client_free(f->http);
	free(f->base);
	free(f);
}

enum cl_forge_kind cl_forge_kind(const struct cl_forge *f)
{
	return f->kind;
}

void cl_forge_counts(struct cl_http_counts *out, struct cl_forge *f)
{
	cl_http_client_counts(out, f->http);
}

int cl_forge_has_checks(const struct cl_forge *f)
{
	return f->kind == CL_FORGE_KIND_GITHUB && f->app != NULL;
}

/* ---- requests and listings ---- */

int cl_forge__esc(struct cl_buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	int error = 0;
	for (; *s && error == 0; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    ch == '-' || ch == '.' || ch == '_' || ch == '~')
			error = cl_buf_putc(out, (char)ch);
		else {
			char e[3] = { '%', hex[ch >> 4], hex[ch & 15] };
			error = cl_buf_put(out, e, 3);
		}
	}
	return error;
}

/* A name used as a path segment: "." and ".." would walk the API tree. */
static int forge_valid_segment(const char *s)
{
	return s && *s && strcmp(s, ".") != 0 && strcmp(s, "..") != 0 && strlen(s) <= 255;
}

int cl_forge__repo_url(struct cl_buf *url, struct cl_forge *f, const struct cl_forge_repo *repo)
{
	int error;
	if (!forge_valid_segment(repo->owner) || !forge_valid_segment(repo->name))
		return cl_error_setc(CL_EINVALID, "invalid repository '%s/%s'",
			repo->owner ? repo->owner : "", repo->name ? repo->name : "");
	if ((error = cl_buf_puts(url, f->base)) < 0 || (error = cl_buf_puts(url, "/repos/")) < 0 ||
	    (error = cl_forge__esc(url, repo->owner)) < 0 || (error = cl_buf_putc(url, '/')) < 0 ||
	    (error = cl_forge__esc(url, repo->name)) < 0)
		return error;
	return 0;
}

static time_t forge_now(struct cl_forge *f)
{
	if (f->sys && f->sys->now)
		return f->sys->now(f->sys->ctx);
	return time(NULL);
}

/* The path of a URL for messages: the base is the same for every call. */
static const char *forge_path(struct cl_forge *f, const char *url)
{
	size_t n = strlen(f->base);
	return strncmp(url, f->base, n) == 0 && url[n] ? url + n : url;
}

static int forge_request(json_t **json_out, long *status_out, char **next_out,
	struct cl_forge *f, const char *method, const char *url, json_t *body)
{
	struct cl_http_request req = CL_HTTP_REQUEST_INIT;
	struct cl_http_response resp = CL_HTTP_RESPONSE_INIT;
	struct cl_buf auth = CL_BUF_INIT;
	const char *headers[6];
	char *token = NULL, *text = NULL;
	json_t *parsed = NULL;
	json_error_t jerr;
	size_t h = 0;
	int error = 0;

	cl_buf_init(&auth, 16 * 1024);
	if (f->app) {
		if ((error = cl_github_app_token(&token, f->app, f->http, f->base, forge_now(f))) < 0)
			goto done;
	} else {
		token = strdup(f->token);
		CL_CHECK_ALLOC(token);
	}
	/* Gitea documents "token"; both forges take "Bearer" as well. */
	if ((error = cl_buf_printf(&auth, "Authorization: %s %s",
		f->kind == CL_FORGE_KIND_GITEA ? "token" : "Bearer", token)) < 0)
		goto done;
	headers[h++] = auth.ptr;
	if (f->kind == CL_FORGE_KIND_GITHUB) {
		headers[h++] = "Accept: application/vnd.github+json";
		headers[h++] = "X-GitHub-Api-Version: 2022-11-28";
	} else {
		headers[h++] = "Accept: application/json";
	}
	if (body) {
		headers[h++] = "Content-Type: application/json";
		text = json_dumps(body, JSON_COMPACT);
		CL_CHECK_ALLOC(text);
		req.body = text;
		req.body_len = strlen(text);
	}
	headers[h] = NULL;
	req.method = method;
	req.url = url;
	req.headers = headers;
	if ((error = cl_http_client_send(&resp, f->http, &req)) < 0)
		goto done;
	if (status_out)
		*status_out = resp.status;
	if (resp.status < 200 || resp.status > 299) {
		struct cl_buf msg = CL_BUF_INIT;
		const char *fm = NULL;
		int code = resp.status == 404 ? CL_ENOTFOUND : resp.status == 422 ? CL_EINVALID : CL_ERROR;
		parsed = json_loadb(resp.body.ptr ? resp.body.ptr : "", resp.body.size, 0, &jerr);
		fm = json_string_value(json_object_get(parsed, "message"));
		cl_buf_init(&msg, 0);
		/* The forge's message is untrusted text: cut it, and redact it like ours. */
		if (cl_http_redact(&msg, f->http, fm ? fm : "") == 0 && msg.size > 200)
			msg.ptr[200] = '\0';
		error = cl_error_setc(code, "%s %s %s: answered %ld%s%s", f->ops->name, method,
			forge_path(f, url), resp.status, msg.size ? ": " : "", cl_buf_cstr(&msg));
		cl_buf_dispose(&msg);
		goto done;
	}
	if (json_out) {
		if (resp.body.size == 0) {
			*json_out = NULL;
		} else {
			parsed = json_loadb(resp.body.ptr, resp.body.size, 0, &jerr);
			if (parsed == NULL) {
				error = cl_error_set("%s %s %s: answer is not JSON", f->ops->name, method,
					forge_path(f, url));
				goto done;
			}
			*json_out = parsed;
			parsed = NULL;
		}
	}
	if (next_out) {
		*next_out = resp.next_url;
		resp.next_url = NULL;
	}
done:
	if (token) {
		memset(token, 0, strlen(token));
		free(token);
	}
	if (auth.ptr)
		memset(auth.ptr, 0, auth.size);
	cl_buf_dispose(&auth);
	free(text);
	json_decref(parsed);
	cl_http_response_dispose(&resp);
	return error;
}

int cl_forge__call(json_t **json_out, long *status_out, struct cl_forge *f,
	const char *method, const char *url, json_t *body)
{
	return forge_request(json_out, status_out, NULL, f, method, url, body);
}

int cl_forge__list_url(struct cl_buf *out, struct cl_forge *f, const char *url)
{
	return cl_buf_printf(out, "%s%c%s=%u", url, strchr(url, '?') ? '&' : '?',
		f->ops->page_param, f->per_page);
}

/* scheme://host[:port] of the base: next-page links must stay on it. */
static size_t forge_origin_len(const char *base)
{
	const char *p = strstr(base, "://");
	if (p == NULL)
		return 0;
	p += 3;
	return (size_t)(p - base) + strcspn(p, "/");
}

static int forge_list(struct cl_forge *f, const char *first_url, int paged,
	cl_forge__item_cb cb, void *payload)
{
	struct cl_buf url = CL_BUF_INIT;
	size_t origin = forge_origin_len(f->base);
	unsigned int page;
	int error = 0;

	cl_buf_init(&url, 8192);
	if ((error = paged ? cl_forge__list_url(&url, f, first_url) : cl_buf_puts(&url, first_url)) < 0)
		goto done;
	for (page = 0; page < f->max_pages; page++) {
		json_t *arr = NULL, *item;
		char *next = NULL;
		size_t i;
		if ((error = forge_request(&arr, NULL, &next, f, "GET", cl_buf_cstr(&url), NULL)) < 0)
			goto done;
		if (!json_is_array(arr)) {
			json_decref(arr);
			free(next);
			error = cl_error_set("%s GET %s: answer is not a list", f->ops->name,
				forge_path(f, cl_buf_cstr(&url)));
			goto done;
		}
		json_array_foreach(arr, i, item) {
			if ((error = cb(item, payload)) != 0)
				break;
		}
		json_decref(arr);
		if (error != 0 || next == NULL) {
			free(next);
			goto done;
		}
		if (strncmp(next, f->base, origin) != 0 || (next[origin] != '/' && next[origin] != '\0')) {
			free(next);
			error = cl_error_set("%s: next-page link leaves the forge's host; not followed",
				f->ops->name);
			goto done;
		}
		cl_buf_clear(&url);
		error = cl_buf_puts(&url, next);
		free(next);
		if (error < 0)
			goto done;
	}
	error = cl_error_set("%s GET: more than %u pages; listing cut short", f->ops->name, f->max_pages);
done:
	cl_buf_dispose(&url);
	return error;
}

int cl_forge__list(struct cl_forge *f, const char *url, cl_forge__item_cb cb, void *payload)
{
	return forge_list(f, url, 1, cb, payload);
}

int cl_forge__list_unpaged(struct cl_forge *f, const char *url, cl_forge__item_cb cb, void *payload)
{
	return forge_list(f, url, 0, cb, payload);
}

json_t *cl_forge__string_array(const char *const *list)
{
	json_t *arr = json_array();
	size_t i;
	if (arr == NULL)
		return NULL;
	for (i = 0; list && list[i]; i++) {
		if (json_array_append_new(arr, cl_json_string_lossy(list[i])) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

uint64_t cl_forge__id(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_integer(v) && json_integer_value(v) > 0 ? (uint64_t)json_integer_value(v) : 0;
}

/* Keys end up inside an HTML comment: "--" or a newline would end or break it. */
static int forge_valid_key(const char *key)
{
	size_t i, n = key ? strlen(key) : 0;
	if (n == 0 || n > FORGE_KEY_MAX || strstr(key, "--"))
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)key[i] < 0x20 || key[i] == '>' || key[i] == 0x7f)
			return 0;
	return 1;
}

int cl_forge_marker(struct cl_buf *out, const char *key)
{
	if (!forge_valid_key(key))
		return cl_error_setc(CL_EINVALID, "invalid marker key '%s'", key ? key : "");
	return cl_buf_printf(out, "<!-- clearance:%s -->", key);
}

/* ---- statuses and checks ---- */

static const char *forge_state_name(enum cl_forge_state s)
{
	switch (s) {
	case CL_FORGE_PENDING: return "pending";
	case CL_FORGE_SUCCESS: return "success";
	case CL_FORGE_FAILURE: return "failure";
	case CL_FORGE_ERROR: return "error";
	}
	CL_BUG("unknown forge state");
}

/* A sha is a hex object id (SHA-1 or SHA-256); anything else is refused before the URL. */
static int forge_valid_sha(const char *sha)
{
	size_t i, n = sha ? strlen(sha) : 0;
	if (n != 40 && n != 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((sha[i] >= '0' && sha[i] <= '9') || (sha[i] >= 'a' && sha[i] <= 'f')))
			return 0;
	return 1;
}

/*
 * One line, at most FORGE_DESC_MAX bytes, cut on a UTF-8 boundary with an
 * ellipsis: GitHub answers 422 to a longer description.
 */
static json_t *forge_description(const char *desc)
{
	char line[FORGE_DESC_MAX + 1];
	size_t n = 0, i;
	for (i = 0; desc[i] && n < sizeof(line) - 1; i++)
		line[n++] = (desc[i] == '\n' || desc[i] == '\r' || desc[i] == '\t') ? ' ' : desc[i];
	line[n] = '\0';
	if (desc[i] != '\0') {
		/* room for "..." then back off to a character start */
		n = FORGE_DESC_MAX - 3;
		while (n > 0 && ((unsigned char)line[n] & 0xC0) == 0x80)
			n--;
		memcpy(line + n, "...", 4);
	}
	return cl_json_string_lossy(line);
}

int cl_forge_status_set(struct cl_forge *f, const struct cl_forge_repo *repo,
	const char *sha, const struct cl_forge_status *st)
{
	struct cl_buf url = CL_BUF_INIT;
	json_t *body = NULL;
	int error;

	if (!forge_valid_sha(sha))
		return cl_error_setc(CL_EINVALID, "invalid commit id '%.80s'", sha ? sha : "");
	cl_buf_init(&url, 8192);
	if ((error = cl_forge__repo_url(&url, f, repo)) < 0 ||
	    (error = cl_buf_printf(&url, "/statuses/%s", sha)) < 0)
		goto done;
	body = json_object();
	CL_CHECK_ALLOC(body);
	if (json_object_set_new(body, "state", json_string(forge_state_name(st->state))) < 0 ||
	    (st->context && cl_json_set_string(body, "context", st->context) < 0) ||
	    (st->description && json_object_set_new(body, "description", forge_description(st->description)) < 0) ||
	    (st->target_url && cl_json_set_string(body, "target_url", st->target_url) < 0)) {
		error = cl_error_set("out of memory");
		goto done;
	}
	error = cl_forge__call(NULL, NULL, f, "POST", cl_buf_cstr(&url), body);
done:
	json_decref(body);
	cl_buf_dispose(&url);
	return error;
}

int cl_forge_check_set(uint64_t *id, struct cl_forge *f,
	const struct cl_forge_repo *repo, const struct cl_forge_check *check)
{
	struct cl_forge_status st;
	if (!forge_valid_sha(check->head_sha))
		return cl_error_setc(CL_EINVALID, "invalid commit id '%.80s'",
			check->head_sha ? check->head_sha : "");
	if (cl_forge_has_checks(f) && f->ops->check_set)
		return f->ops->check_set(id, f, repo, check);
	/* No checks API (Gitea, or a plain token on GitHub): the status says the same in one line. */
	st.state = !check->completed ? CL_FORGE_PENDING :
		check->conclusion == CL_FORGE_SUCCESS ? CL_FORGE_SUCCESS : CL_FORGE_FAILURE;
	st.context = check->name;
	st.description = check->title ? check->title : check->summary;
	st.target_url = check->details_url;
	if (id)
		*id = 0;
	return cl_forge_status_set(f, repo, check->head_sha, &st);
}

/* ---- comments ---- */

void cl_forge_comment_dispose(struct cl_forge_comment *c)
{
	if (c == NULL)
		return;
	free(c->body);
	free(c->author);
	memset(c, 0, sizeof(*c));
}

static int forge_issue_url(struct cl_buf *url, struct cl_forge *f,
	const struct cl_forge_repo *repo, uint64_t number, const char *suffix)
{
	int error;
	if (number == 0)
		return cl_error_setc(CL_EINVALID, "invalid issue number 0");
	if ((error = cl_forge__repo_url(url, f, repo)) < 0)
		return error;
	return cl_buf_printf(url, "/issues/%" PRIu64 "%s", number, suffix);
}

struct forge_comment_walk {
	cl_forge_comment_cb cb;
	void *payload;
};

static int forge_comment_item(json_t *item, void *payload)
{
	struct forge_comment_walk *w = payload;
	struct cl_forge_comment c;
	c.id = cl_forge__id(item, "id");
	c.body = (char *)json_string_value(json_object_get(item, "body"));
	c.author = (char *)json_string_value(json_object_get(json_object_get(item, "user"), "login"));
	if (c.body == NULL)
		c.body = "";
	if (c.author == NULL)
		c.author = "";
	return w->cb(&c, w->payload);
}

int cl_forge_comments_foreach(struct cl_forge *f, const struct cl_forge_repo *repo,
	uint64_t number, cl_forge_comment_cb cb, void *payload)
{
	struct cl_buf url = CL_BUF_INIT;
	struct forge_comment_walk w = { cb, payload };
	int error;
	cl_buf_init(&url, 8192);
	if ((error = forge_issue_url(&url, f, repo, number, "/comments")) == 0)
		error = f->ops->comments_paged ? cl_forge__list(f, cl_buf_cstr(&url), forge_comment_item, &w)
			: cl_forge__list_unpaged(f, cl_buf_cstr(&url), forge_comment_item, &w);
	cl_buf_dispose(&url);
	return error;
}

struct forge_find {
	const char *marker;
	struct cl_forge_comment found;
	int oom;
};

/* 1 stops the walk at the first match; the walk's result is then 1. */
static int forge_find_comment(const struct cl_forge_comment *c, void *payload)
{
	struct forge_find *ff = payload;
	if (strstr(c->body, ff->marker) == NULL)
		return 0;
	ff->found.id = c->id;
	ff->found.body = strdup(c->body);
	ff->found.author = strdup(c->author);
	if (ff->found.body == NULL || ff->found.author == NULL)
		ff->oom = 1;
	return 1;
}

int cl_forge_comment_find(struct cl_forge_comment *out, struct cl_forge *f,
	const struct cl_forge_repo *repo, uint64_t number, const char *key)
{
	struct cl_buf marker = CL_BUF_INIT;
	struct forge_find ff;
	int error;

	memset(&ff, 0, sizeof(ff));
	cl_buf_init(&marker, 512);
	if ((error = cl_forge_marker(&marker, key)) < 0)
		goto done;
	ff.marker = marker.ptr;
	error = cl_forge_comments_foreach(f, repo, number, forge_find_comment, &ff);
	if (error < 0)
		goto done;
	if (error == 0) {
		error = cl_error_setc(CL_ENOTFOUND, "no comment with marker '%s' on #%" PRIu64, key, number);
		goto done;
	}
	if (ff.oom) {
		error = cl_error_set("out of memory");
		goto done;
	}
	*out = ff.found;
	memset(&ff.found, 0, sizeof(ff.found));
	error = 0;
done:
	cl_forge_comment_dispose(&ff.found);
	cl_buf_dispose(&marker);
	return error;
}

static json_t *forge_body_object(const char *key, const char *value)
{
	json_t *o = json_object();
	if (o && cl_json_set_string(o, key, value) < 0) {
		json_decref(o);
		o = NULL;
	}
	return o;
}

int cl_forge_comment_create(uint64_t *id, struct cl_forge *f,
	const struct cl_forge_repo *repo, uint64_t number, const char *body)
{
	struct cl_buf url = CL_BUF_INIT;
	json_t *req = NULL, *resp = NULL;
	int error;

	cl_buf_init(&url, 8192);
	if ((error = forge_issue_url(&url, f, repo, number, "/comments")) < 0)
		goto done;
	req = forge_body_object("body", body);
	CL_CHECK_ALLOC(req);
	if ((error = cl_forge__call(&resp, NULL, f, "POST", cl_buf_cstr(&url), req)) < 0)
		goto done;
	if (id)
		*id = cl_forge__id(resp, "id");
done:
	json_decref(req);
	json_decref(resp);
	cl_buf_dispose(&url);
	return error;
}

int cl_forge_comment_edit(struct cl_forge *f, const struct cl_forge_repo *repo,
	uint64_t comment_id, const char *body)
{
	struct cl_buf url = CL_BUF_INIT;
	json_t *req = NULL;
	int error;

	cl_buf_init(&url, 8192);
	if ((error = cl_forge__repo_url(&url, f, repo)) < 0 ||
	    (error = cl_buf_printf(&url, "/issues/comments/%" PRIu64, comment_id)) < 0)
		goto done;
	req = forge_body_object("body", body);
	CL_CHECK_ALLOC(req);
	error = cl_forge__call(NULL, NULL, f, "PATCH", cl_buf_cstr(&url), req);
done:
	json_decref(req);
	cl_buf_dispose(&url);
	return error;
}

int cl_forge_comment_upsert(uint64_t *id, struct cl_forge *f,
	const struct cl_forge_repo *repo, uint64_t number, const char *key, const char *body)
{
	struct cl_forge_comment c = { 0, NULL, NULL };
	struct cl_buf marker = CL_BUF_INIT;
	int error;

	cl_buf_init(&marker, 512);
	if ((error = cl_forge_marker(&marker, key)) < 0)
		goto done;
	/* Without its marker the comment would not be found next time: a duplicate per push. */
	if (strstr(body, marker.ptr) == NULL) {
		error = cl_error_setc(CL_EINVALID, "comment body lacks the marker of '%s'", key);
		goto done;
	}
	error = cl_forge_comment_find(&c, f, repo, number, key);
	if (error == CL_ENOTFOUND) {
		cl_error_clear();
		error = cl_forge_comment_create(id, f, repo, number, body);
		goto done;
	}
	if (error < 0)
		goto done;
	/* Unchanged text: no edit, so the PR's history shows no empty "edited". */
	if (strcmp(c.body, body) != 0 && (error = cl_forge_comment_edit(f, repo, c.id, body)) < 0)
		goto done;
	if (id)
		*id = c.id;
done:
	cl_forge_comment_dispose(&c);
	cl_buf_dispose(&marker);
	return error;
}

/* ---- issues ---- */

void cl_forge_issue_dispose(struct cl_forge_issue *issue)
{
	if (issue == NULL)
		return;
	free(issue->title);
	free(issue->body);
	memset(issue, 0, sizeof(*issue));
}

struct forge_issue_find {
	const char *marker;
	struct cl_forge_issue found;
	int oom;
};

static int forge_find_issue(json_t *item, void *payload)
{
	struct forge_issue_find *ff = payload;
	const char *body = json_string_value(json_object_get(item, "body"));
	const char *state = json_string_value(json_object_get(item, "state"));
	/* GitHub lists pull requests among issues; they are marked so. */
	if (json_object_get(item, "pull_request") && !json_is_null(json_object_get(item, "pull_request")))
		return 0;
	if (body == NULL || strstr(body, ff->marker) == NULL)
		return 0;
	ff->found.number = cl_forge__id(item, "number");
	ff->found.open = state && strcmp(state, "open") == 0;
	ff->found.body = strdup(body);
	ff->found.title = strdup(json_string_value(json_object_get(item, "title")) ?
		json_string_value(json_object_get(item, "title")) : "");
	if (ff->found.body == NULL || ff->found.title == NULL)
		ff->oom = 1;
	return 1;
}

int cl_forge_issue_find(struct cl_forge_issue *out, struct cl_forge *f,
	const struct cl_forge_repo *repo, const char *key, const char *label)
{
	struct cl_buf url = CL_BUF_INIT, marker = CL_BUF_INIT;
	struct forge_issue_find ff;
	int error;

	memset(&ff, 0, sizeof(ff));
	cl_buf_init(&url, 8192);
	cl_buf_init(&marker, 512);
	if ((error = cl_forge_marker(&marker, key)) < 0 ||
	    (error = cl_forge__repo_url(&url, f, repo)) < 0 ||
	    (error = cl_buf_printf(&url, "/issues?%s", f->ops->issue_query)) < 0)
		goto done;
	if (label && *label &&
	    ((error = cl_buf_puts(&url, "&labels=")) < 0 || (error = cl_forge__esc(&url, label)) < 0))
		goto done;
	ff.marker = marker.ptr;
	if ((error = cl_forge__list(f, cl_buf_cstr(&url), forge_find_issue, &ff)) < 0)
		goto done;
	if (error == 0) {
		error = cl_error_setc(CL_ENOTFOUND, "no issue with marker '%s'", key);
		goto done;
	}
	if (ff.oom) {
		error = cl_error_set("out of memory");
		goto done;
	}
	*out = ff.found;
	memset(&ff.found, 0, sizeof(ff.found));
	error = 0;
done:
	cl_forge_issue_dispose(&ff.found);
	cl_buf_dispose(&url);
	cl_buf_dispose(&marker);
	return error;
}

int cl_forge_issue_create(uint64_t *number, struct cl_forge *f,
	const struct cl_forge_repo *repo, const struct cl_forge_issue_spec *spec)
{
	if (spec->title == NULL || *spec->title == '\0')
		return cl_error_setc(CL_EINVALID, "an issue needs a title");
	return f->ops->issue_create(number, f, repo, spec);
}

int cl_forge_issue_edit(struct cl_forge *f, const struct cl_forge_repo *repo,
	uint64_t number, const struct cl_forge_issue_spec *spec)
{
	return f->ops->issue_edit(f, repo, number, spec);
}

static int forge_issue_state(struct cl_forge *f, const struct cl_forge_repo *repo,
	uint64_t number, const char *state)
{
	struct cl_buf url = CL_BUF_INIT;
	json_t *req = NULL;
	int error;

	cl_buf_init(&url, 8192);
	if ((error = forge_issue_url(&url, f, repo, number, "")) < 0)
		goto done;
	req = forge_body_object("state", state);
	CL_CHECK_ALLOC(req);
	/* GitHub shows "closed as completed" rather than a bare close. */
	if (f->kind == CL_FORGE_KIND_GITHUB && strcmp(state, "closed") == 0 &&
	    json_object_set_new(req, "state_reason", json_string("completed")) < 0) {
		error = cl_error_set("out of memory");
		goto done;
	}
	error = cl_forge__call(NULL, NULL, f, "PATCH", cl_buf_cstr(&url), req);
done:
	json_decref(req);
	cl_buf_dispose(&url);
	return error;
}

int cl_forge_issue_close(struct cl_forge *f, const struct cl_forge_repo *repo,
	uint64_t number, const char *comment)
{
	int error;
	/* The comment first: a reader of the closed issue sees why at the bottom. */
	if (comment && (error = cl_forge_comment_create(NULL, f, repo, number, comment)) < 0)
		return error;
	return forge_issue_state(f, repo, number, "closed");
}

int cl_forge_issue_reopen(struct cl_forge *f, const struct cl_forge_repo *repo, uint64_t number)
{
	return forge_issue_state(f, repo, number, "open");
}

int cl_forge_repo_parse(struct cl_forge_repo *out, char *owner, size_t size, const char *full_name)
{
	const char *slash = full_name ? strchr(full_name, '/') : NULL;

	if (!slash || slash == full_name || !slash[1] || strchr(slash + 1, '/') ||
	    (size_t)(slash - full_name) >= size)
		return cl_error_setc(CL_EINVALID, "'%s' is not an owner/repo name",
			full_name ? full_name : "");
	memcpy(owner, full_name, (size_t)(slash - full_name));
	owner[slash - full_name] = '\0';
	out->owner = owner;
	out->name = slash + 1;
	return 0;
}

/* ---- pull requests ---- */

static int forge_pull_string(char **out, json_t *pr, const char *side, const char *key)
{
	const char *v = json_string_value(json_object_get(json_object_get(pr, side), key));

	if (!v || !*v)
		return cl_error_setc(CL_EINVALID, "pull request answer without %s.%s", side, key);
	if (!(*out = strdup(v)))
		return cl_error_set("out of memory");
	return 0;
}

int cl_forge_pull_get(struct cl_forge_pull *out, struct cl_forge *f,
	const struct cl_forge_repo *repo, uint64_t number)
{
	struct cl_forge_pull pull;
	struct cl_buf url = CL_BUF_INIT;
	json_t *pr = NULL;
	int error;

	memset(&pull, 0, sizeof(pull));
	if ((error = cl_forge__repo_url(&url, f, repo)) < 0 ||
	    (error = cl_buf_printf(&url, "/pulls/%llu", (unsigned long long)number)) < 0 ||
	    (error = cl_forge__call(&pr, NULL, f, "GET", url.ptr, NULL)) < 0)
		goto done;
	pull.number = number;
	pull.open = json_is_string(json_object_get(pr, "state")) &&
		!strcmp(json_string_value(json_object_get(pr, "state")), "open");
	if ((error = forge_pull_string(&pull.base_ref, pr, "base", "ref")) < 0 ||
	    (error = forge_pull_string(&pull.base_sha, pr, "base", "sha")) < 0 ||
	    (error = forge_pull_string(&pull.head_sha, pr, "head", "sha")) < 0)
		goto done;
	*out = pull;
	memset(&pull, 0, sizeof(pull));
done:
	cl_forge_pull_dispose(&pull);
	json_decref(pr);
	cl_buf_dispose(&url);
	return error;
}

struct forge_commit_walk {
	cl_forge_commit_cb cb;
	void *payload;
};

static int forge_commit_item(json_t *item, void *payload)
{
	struct forge_commit_walk *w = payload;
	json_t *author = json_object_get(json_object_get(item, "commit"), "author");
	const char *sha = json_string_value(json_object_get(item, "sha"));
	const char *email = json_string_value(json_object_get(author, "email"));
	/* "author" is the forge account, null when the email belongs to none. */
	const char *login = json_string_value(json_object_get(json_object_get(item, "author"), "login"));

	if (!sha)
		return 0;
	return w->cb(sha, email ? email : "", login, w->payload);
}

int cl_forge_pull_commits_foreach(struct cl_forge *f, const struct cl_forge_repo *repo,
	uint64_t number, cl_forge_commit_cb cb, void *payload)
{
	struct forge_commit_walk w = { cb, payload };
	struct cl_buf url = CL_BUF_INIT;
	int error;

	if ((error = cl_forge__repo_url(&url, f, repo)) == 0 &&
	    (error = cl_buf_printf(&url, "/pulls/%llu/commits", (unsigned long long)number)) == 0)
		error = cl_forge__list(f, url.ptr, forge_commit_item, &w);
	cl_buf_dispose(&url);
	return error;
}

void cl_forge_pull_dispose(struct cl_forge_pull *pull)
{
	free(pull->base_ref);
	free(pull->base_sha);
	free(pull->head_sha);
	memset(pull, 0, sizeof(*pull));
}

/* ---- labels and teams ---- */

int cl_forge_labels_add(struct cl_forge *f, const struct cl_forge_repo *repo,
	uint64_t number, const char *const *labels)
{
	if (labels == NULL || labels[0] == NULL)
		return 0;
	return f->ops->labels_add(f, repo, number, labels);
}

int cl_forge_label_remove(struct cl_forge *f, const struct cl_forge_repo *repo,
	uint64_t number, const char *label)
{
	if (label == NULL || *label == '\0')
		return cl_error_setc(CL_EINVALID, "empty label name");
	return f->ops->label_remove(f, repo, number, label);
}

/* A team's logins as the forge lists them, for the cache. */
struct team_listing {
	char **logins;
	size_t count, alloc;
};

static int team_listing_add(const char *login, void *payload)
{
	struct team_listing *l = payload;

	if (l->count == l->alloc) {
		size_t n = l->alloc ? l->alloc * 2 : 16;
		char **p = realloc(l->logins, n * sizeof(*p));
		if (!p)
			return cl_error_set("out of memory");
		l->logins = p;
		l->alloc = n;
	}
	if (!(l->logins[l->count] = strdup(login)))
		return cl_error_set("out of memory");
	l->count++;
	return 0;
}

static int team_replay(char *const *logins, size_t count, cl_forge_login_cb cb, void *payload)
{
	size_t i;
	int rc;

	for (i = 0; i < count; i++)
		if ((rc = cb(logins[i], payload)) != 0)
			return rc;
	return 0;
}

/* List the team into the cache, then walk what was listed. */
static int team_members_cached(struct cl_forge *f, const char *org, const char *team,
	const char *key, cl_forge_login_cb cb, void *payload)
{
	struct team_listing l = { NULL, 0, 0 };
	char **logins = NULL;
	size_t i;
	int exists = 1, error;

	if ((error = cl_team_cache_get(&logins, &exists, f->teams, key, forge_now(f))) == 1) {
		for (i = 0; logins[i]; i++)
			;
		error = exists ? team_replay(logins, i, cb, payload) :
			cl_error_setc(CL_ENOTFOUND, "%s: no team '%s'", f->ops->name, key);
		cl_team_cache_logins_free(logins);
		return error;
	}
	if (error < 0)
		return error;
	error = f->ops->team_members(f, org, team, team_listing_add, &l);
	if (error == CL_ENOTFOUND)
		exists = 0;
	else if (error < 0)
		goto done;
	if ((error = cl_team_cache_put(f->teams, key, l.logins, l.count, exists, forge_now(f))) < 0)
		goto done;
	error = exists ? team_replay(l.logins, l.count, cb, payload) :
		cl_error_setc(CL_ENOTFOUND, "%s: no team '%s'", f->ops->name, key);
done:
	for (i = 0; i < l.count; i++)
		free(l.logins[i]);
	free(l.logins);
	return error;
}

int cl_forge_team_members_foreach(struct cl_forge *f, const char *org,
	const char *team, cl_forge_login_cb cb, void *payload)
{
	char key[512];

	if (!forge_valid_segment(org) || !forge_valid_segment(team))
		return cl_error_setc(CL_EINVALID, "invalid team '%s/%s'", org ? org : "", team ? team : "");
	if (!f->teams || (size_t)snprintf(key, sizeof(key), "%s/%s", org, team) >= sizeof(key))
		return f->ops->team_members(f, org, team, cb, payload);
	return team_members_cached(f, org, team, key, cb, payload);
}

/* ---- git access ---- */

int cl_forge_clone_url(char **out, struct cl_forge *f, const struct cl_forge_repo *repo)
{
	struct cl_buf url = CL_BUF_INIT;
	int error;

	if (!forge_valid_segment(repo->owner) || !forge_valid_segment(repo->name))
		return cl_error_setc(CL_EINVALID, "invalid repository '%s/%s'",
			repo->owner ? repo->owner : "", repo->name ? repo->name : "");
	cl_buf_init(&url, 8192);
	if ((error = f->ops->web_root(&url, f->base)) < 0 || (error = cl_buf_putc(&url, '/')) < 0 ||
	    (error = cl_forge__esc(&url, repo->owner)) < 0 || (error = cl_buf_putc(&url, '/')) < 0 ||
	    (error = cl_forge__esc(&url, repo->name)) < 0 || (error = cl_buf_puts(&url, ".git")) < 0)
		goto done;
	*out = cl_buf_detach(&url);
	CL_CHECK_ALLOC(*out);
done:
	cl_buf_dispose(&url);
	return error;
}

int cl_forge_git_credentials(char **username, char **password, struct cl_forge *f)
{
	char *user = NULL, *pass = NULL;
	int error = 0;

	if (f->app) {
		if ((error = cl_github_app_token(&pass, f->app, f->http, f->base, forge_now(f))) < 0)
			goto done;
	} else {
		pass = strdup(f->token);
		CL_CHECK_ALLOC(pass);
	}
	user = strdup(f->ops->git_user);
	CL_CHECK_ALLOC(user);
	*username = user;
	*password = pass;
	user = pass = NULL;
done:
	free(user);
	if (pass) {
		memset(pass, 0, strlen(pass));
		free(pass);
	}
	return error;
}
