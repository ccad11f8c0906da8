/*
 * forge_github.c - what only GitHub (and GitHub Enterprise) does: check
 * runs with annotations, labels by name, teams by slug.
 */
#include "forge_priv.h"
#include "error.h"
#include "json_text.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* GitHub takes at most 50 annotations per create or update request. */
#define GH_ANNOTATIONS_PER_CALL 50

static const char *gh_level(enum cl_forge_annotation_level l)
{
	switch (l) {
	case CL_FORGE_NOTICE: return "notice";
	case CL_FORGE_WARNING: return "warning";
	case CL_FORGE_FAILURE_LEVEL: return "failure";
	}
	CL_BUG("unknown annotation level");
}

/* output {title, summary, annotations[from, from+50)} */
static json_t *gh_output(const struct cl_forge_check *check, size_t from)
{
	json_t *out = json_object(), *arr = json_array();
	size_t i;
	int bad = out == NULL || arr == NULL;

	bad = bad || cl_json_set_string(out, "title", check->title ? check->title : check->name) < 0;
	bad = bad || cl_json_set_string(out, "summary", check->summary ? check->summary : "") < 0;
	for (i = from; !bad && i < check->nannotations && i < from + GH_ANNOTATIONS_PER_CALL; i++) {
		const struct cl_forge_annotation *a = &check->annotations[i];
		json_t *o = json_object();
		unsigned int start = a->start_line ? a->start_line : 1;
		unsigned int end = a->end_line >= start ? a->end_line : start;
		bad = o == NULL || json_array_append_new(arr, o) < 0;
		bad = bad || cl_json_set_string(o, "path", a->path ? a->path : "") < 0;
		bad = bad || json_object_set_new(o, "start_line", json_integer(start)) < 0;
		bad = bad || json_object_set_new(o, "end_line", json_integer(end)) < 0;
		bad = bad || json_object_set_new(o, "annotation_level", json_string(gh_level(a->level))) < 0;
		bad = bad || cl_json_set_string(o, "message", a->message ? a->message : "") < 0;
		bad = bad || (a->title && cl_json_set_string(o, "title", a->title) < 0);
	}
	if (!bad && json_array_size(arr) > 0)
		bad = json_object_set(out, "annotations", arr) < 0;
	json_decref(arr);
	if (bad) {
		json_decref(out);
		return NULL;
	}
	return out;
}

static int gh_check_set(uint64_t *id, struct cl_forge *f, const struct cl_forge_repo *repo,
	const struct cl_forge_check *check)
{
	struct cl_buf url = CL_BUF_INIT;
	json_t *body = NULL, *resp = NULL;
	uint64_t run = *id;
	size_t from = 0;
	int error = 0, bad;

	cl_buf_init(&url, 8192);
	if ((error = cl_forge__repo_url(&url, f, repo)) < 0 || (error = cl_buf_puts(&url, "/check-runs")) < 0)
		goto done;
	body = json_object();
	CL_CHECK_ALLOC(body);
	bad = cl_json_set_string(body, "name", check->name) < 0;
	bad = bad || json_object_set_new(body, "status",
		json_string(check->completed ? "completed" : "in_progress")) < 0;
	bad = bad || (check->completed && json_object_set_new(body, "conclusion",
		json_string(check->conclusion == CL_FORGE_SUCCESS ? "success" : "failure")) < 0);
	bad = bad || (check->details_url && cl_json_set_string(body, "details_url", check->details_url) < 0);
	bad = bad || json_object_set_new(body, "output", gh_output(check, 0)) < 0;
	if (bad) {
		error = cl_error_set("out of memory");
		goto done;
	}
	if (run == 0) {
		if (json_object_set_new(body, "head_sha", json_string(check->head_sha)) < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
		if ((error = cl_forge__call(&resp, NULL, f, "POST", cl_buf_cstr(&url), body)) < 0)
			goto done;
		run = cl_forge__id(resp, "id");
		if (run == 0) {
			error = cl_error_set("github POST check-runs: answer has no id");
			goto done;
		}
	} else {
		size_t n = url.size;
		if ((error = cl_buf_printf(&url, "/%" PRIu64, run)) < 0 ||
		    (error = cl_forge__call(NULL, NULL, f, "PATCH", cl_buf_cstr(&url), body)) < 0)
			goto done;
		url.size = n;
		url.ptr[n] = '\0';
	}
	/* Annotations past the first 50 are appended by further updates of the run. */
	for (from = GH_ANNOTATIONS_PER_CALL; from < check->nannotations; from += GH_ANNOTATIONS_PER_CALL) {
		json_t *more = json_object();
		size_t n = url.size;
		CL_CHECK_ALLOC(more);
		if (json_object_set_new(more, "output", gh_output(check, from)) < 0) {
			json_decref(more);
			error = cl_error_set("out of memory");
			goto done;
		}
		if ((error = cl_buf_printf(&url, "/%" PRIu64, run)) == 0)
			error = cl_forge__call(NULL, NULL, f, "PATCH", cl_buf_cstr(&url), more);
		json_decref(more);
		url.size = n;
		url.ptr[n] = '\0';
		if (error < 0)
			goto done;
	}
	*id = run;
done:
	json_decref(body);
	json_decref(resp);
	cl_buf_dispose(&url);
	return error;
}

/* title/body/labels/assignees of a create or edit, NULL members left out. */
static json_t *gh_issue_body(const struct cl_forge_issue_spec *spec, int with_assignees)
{
	json_t *o = json_object();
	int bad = o == NULL;
	bad = bad || (spec->title && cl_json_set_string(o, "title", spec->title) < 0);
	bad = bad || (spec->body && cl_json_set_string(o, "body", spec->body) < 0);
	bad = bad || (spec->labels && json_object_set_new(o, "labels", cl_forge__string_array(spec->labels)) < 0);
	bad = bad || (with_assignees && spec->assignees &&
		json_object_set_new(o, "assignees", cl_forge__string_array(spec->assignees)) < 0);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int gh_issue_create(uint64_t *number, struct cl_forge *f, const struct cl_forge_repo *repo,
	const struct cl_forge_issue_spec *spec)
{
	struct cl_buf url = CL_BUF_INIT;
	json_t *body = NULL, *resp = NULL;
	int error;

	cl_buf_init(&url, 8192);
	if ((error = cl_forge__repo_url(&url, f, repo)) < 0 || (error = cl_buf_puts(&url, "/issues")) < 0)
		goto done;
	body = gh_issue_body(spec, 1);
	CL_CHECK_ALLOC(body);
	if ((error = cl_forge__call(&resp, NULL, f, "POST", cl_buf_cstr(&url), body)) < 0)
		goto done;
	if (number)
		*number = cl_forge__id(resp, "number");
done:
	json_decref(body);
	json_decref(resp);
	cl_buf_dispose(&url);
	return error;
}

static int gh_issue_edit(struct cl_forge *f, const struct cl_forge_repo *repo, uint64_t number,
	const struct cl_forge_issue_spec *spec)
{
	struct cl_buf url = CL_BUF_INIT;
	json_t *body = NULL;
	int error;

	cl_buf_init(&url, 8192);
	if ((error = cl_forge__repo_url(&url, f, repo)) < 0 ||
	    (error = cl_buf_printf(&url, "/issues/%" PRIu64, number)) < 0)
		goto done;
	body = gh_issue_body(spec, 0);
	CL_CHECK_ALLOC(body);
	error = cl_forge__call(NULL, NULL, f, "PATCH", cl_buf_cstr(&url), body);
done:
	json_decref(body);
	cl_buf_dispose(&url);
	return error;
}

static int gh_labels_add(struct cl_forge *f, const struct cl_forge_repo *repo, uint64_t number,
	const char *const *labels)
{
	struct cl_buf url = CL_BUF_INIT;
	json_t *body = NULL;
	int error;

	cl_buf_init(&url, 8192);
	if ((error = cl_forge__repo_url(&url, f, repo)) < 0 ||
	    (error = cl_buf_printf(&url, "/issues/%" PRIu64 "/labels", number)) < 0)
		goto done;
	body = json_object();
	CL_CHECK_ALLOC(body);
	if (json_object_set_new(body, "labels", cl_forge__string_array(labels)) < 0) {
		error = cl_error_set("out of memory");
		goto done;
	}
	error = cl_forge__call(NULL, NULL, f, "POST", cl_buf_cstr(&url), body);
done:
	json_decref(body);
	cl_buf_dispose(&url);
	return error;
}

static int gh_label_remove(struct cl_forge *f, const struct cl_forge_repo *repo, uint64_t number,
	const char *label)
{
	struct cl_buf url = CL_BUF_INIT;
	int error;

	cl_buf_init(&url, 8192);
	if ((error = cl_forge__repo_url(&url, f, repo)) < 0 ||
	    (error = cl_buf_printf(&url, "/issues/%" PRIu64 "/labels/", number)) < 0 ||
	    (error = cl_forge__esc(&url, label)) < 0)
		goto done;
	error = cl_forge__call(NULL, NULL, f, "DELETE", cl_buf_cstr(&url), NULL);
	/* GitHub answers 404 when the issue does not carry the label: already done. */
	if (error == CL_ENOTFOUND) {
		cl_error_clear();
		error = 0;
	}
done:
	cl_buf_dispose(&url);
	return error;
}

struct gh_login_walk {
	cl_forge_login_cb cb;
	void *payload;
};

static int gh_login_item(json_t *item, void *payload)
{
	struct gh_login_walk *w = payload;
	const char *login = json_string_value(json_object_get(item, "login"));
	return login ? w->cb(login, w->payload) : 0;
}

static int gh_team_members(struct cl_forge *f, const char *org, const char *team,
	cl_forge_login_cb cb, void *payload)
{
	struct cl_buf url = CL_BUF_INIT;
	struct gh_login_walk w = { cb, payload };
	int error;

	cl_buf_init(&url, 8192);
	if ((error = cl_buf_printf(&url, "%s/orgs/", f->base)) < 0 || (error = cl_forge__esc(&url, org)) < 0 ||
	    (error = cl_buf_puts(&url, "/teams/")) < 0 || (error = cl_forge__esc(&url, team)) < 0 ||
	    (error = cl_buf_puts(&url, "/members")) < 0)
		goto done;
	error = cl_forge__list(f, cl_buf_cstr(&url), gh_login_item, &w);
done:
	cl_buf_dispose(&url);
	return error;
}

/* api.github.com -> github.com; https://HOST/api/v3 -> https://HOST */
static int gh_web_root(struct cl_buf *out, const char *base)
{
	size_t n = strlen(base);
	if (strcmp(base, "https://api.github.com") == 0)
		return cl_buf_puts(out, "https://github.com");
	if (n >= 7 && strcmp(base + n - 7, "/api/v3") == 0)
		n -= 7;
	return cl_buf_put(out, base, n);
}

const struct cl_forge__ops cl_forge__github_ops = {
	"github", NULL, "per_page", 100, "state=all", 1, "x-access-token",
	gh_check_set, gh_issue_create, gh_issue_edit, gh_labels_add, gh_label_remove,
	gh_team_members, gh_web_root
};
