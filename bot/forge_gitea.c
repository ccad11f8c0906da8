/*
 * forge_gitea.c - what only Gitea and Forgejo do: labels by id (looked up,
 * and created when missing), label replacement through its own endpoint,
 * teams found by name. Gitea has no checks API: check runs are statuses,
 * which forge.c does when check_set is NULL.
 */
#include "forge_priv.h"
#include "error.h"
#include "json_text.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The color Gitea requires for a label the bot creates: GitHub's default grey. */
#define GITEA_LABEL_COLOR "#ededed"

struct gitea_label_walk {
	const char *const *names;
	uint64_t *ids;          /* one per name, 0 until found */
};

static int gitea_label_item(json_t *item, void *payload)
{
	struct gitea_label_walk *w = payload;
	const char *name = json_string_value(json_object_get(item, "name"));
	size_t i;
	for (i = 0; name && w->names[i]; i++)
		if (w->ids[i] == 0 && strcmp(w->names[i], name) == 0)
			w->ids[i] = cl_forge__id(item, "id");
	return 0;
}

/*
 * The ids of label `names` in the repository; with `create`, labels that
 * do not exist yet are created (an issue created with a label the policy
 * names should carry it, not silently lose it); without, missing ones are 0.
 */
static int gitea_label_ids(uint64_t **out, size_t *count, struct cl_forge *f,
	const struct cl_forge_repo *repo, const char *const *names, int create)
{
	struct cl_buf url = CL_BUF_INIT;
	struct gitea_label_walk w;
	json_t *body = NULL, *resp = NULL;
	size_t n = 0, i;
	int error = 0;

	while (names[n])
		n++;
	w.names = names;
	w.ids = calloc(n ? n : 1, sizeof(*w.ids));
	CL_CHECK_ALLOC(w.ids);
	cl_buf_init(&url, 8192);
	if ((error = cl_forge__repo_url(&url, f, repo)) < 0 || (error = cl_buf_puts(&url, "/labels")) < 0 ||
	    (error = cl_forge__list(f, cl_buf_cstr(&url), gitea_label_item, &w)) < 0)
		goto done;
	for (i = 0; create && i < n; i++) {
		if (w.ids[i] != 0)
			continue;
		body = json_object();
		CL_CHECK_ALLOC(body);
		if (cl_json_set_string(body, "name", names[i]) < 0 ||
		    json_object_set_new(body, "color", json_string(GITEA_LABEL_COLOR)) < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
		if ((error = cl_forge__call(&resp, NULL, f, "POST", cl_buf_cstr(&url), body)) < 0)
			goto done;
		w.ids[i] = cl_forge__id(resp, "id");
		json_decref(body);
		json_decref(resp);
		body = resp = NULL;
		if (w.ids[i] == 0) {
			error = cl_error_set("gitea POST labels: answer has no id");
			goto done;
		}
	}
	*out = w.ids;
	*count = n;
	w.ids = NULL;
done:
	free(w.ids);
	json_decref(body);
	json_decref(resp);
	cl_buf_dispose(&url);
	return error;
}

static json_t *gitea_id_array(const uint64_t *ids, size_t n)
{
	json_t *arr = json_array();
	size_t i;
	for (i = 0; arr && i < n; i++) {
		if (ids[i] == 0)
			continue;
		if (json_array_append_new(arr, json_integer((json_int_t)ids[i])) < 0) {
			json_decref(arr);
			return NULL;
		}
	}
	return arr;
}

static int gitea_issue_create(uint64_t *number, struct cl_forge *f, const struct cl_forge_repo *repo,
	const struct cl_forge_issue_spec *spec)
{
	struct cl_buf url = CL_BUF_INIT;
	json_t *body = NULL, *resp = NULL;
	uint64_t *ids = NULL;
	size_t nids = 0;
	int error = 0, bad;

	cl_buf_init(&url, 8192);
	if (spec->labels && spec->labels[0] &&
	    (error = gitea_label_ids(&ids, &nids, f, repo, spec->labels, 1)) < 0)
		goto done;
	if ((error = cl_forge__repo_url(&url, f, repo)) < 0 || (error = cl_buf_puts(&url, "/issues")) < 0)
		goto done;
	body = json_object();
	CL_CHECK_ALLOC(body);
	bad = cl_json_set_string(body, "title", spec->title) < 0;
	bad = bad || (spec->body && cl_json_set_string(body, "body", spec->body) < 0);
	bad = bad || (nids && json_object_set_new(body, "labels", gitea_id_array(ids, nids)) < 0);
	bad = bad || (spec->assignees &&
		json_object_set_new(body, "assignees", cl_forge__string_array(spec->assignees)) < 0);
	if (bad) {
		error = cl_error_set("out of memory");
		goto done;
	}
	if ((error = cl_forge__call(&resp, NULL, f, "POST", cl_buf_cstr(&url), body)) < 0)
		goto done;
	if (number)
		*number = cl_forge__id(resp, "number");
done:
	free(ids);
	json_decref(body);
	json_decref(resp);
	cl_buf_dispose(&url);
	return error;
}

static int gitea_labels_put(struct cl_forge *f, const struct cl_forge_repo *repo, uint64_t number,
	const char *method, const char *const *labels)
{
	struct cl_buf url = CL_BUF_INIT;
	json_t *body = NULL;
	uint64_t *ids = NULL;
	size_t nids = 0;
	int error;

	cl_buf_init(&url, 8192);
	if ((error = gitea_label_ids(&ids, &nids, f, repo, labels, 1)) < 0 ||
	    (error = cl_forge__repo_url(&url, f, repo)) < 0 ||
	    (error = cl_buf_printf(&url, "/issues/%" PRIu64 "/labels", number)) < 0)
		goto done;
	body = json_object();
	CL_CHECK_ALLOC(body);
	if (json_object_set_new(body, "labels", gitea_id_array(ids, nids)) < 0) {
		error = cl_error_set("out of memory");
		goto done;
	}
	error = cl_forge__call(NULL, NULL, f, method, cl_buf_cstr(&url), body);
done:
	free(ids);
	json_decref(body);
	cl_buf_dispose(&url);
	return error;
}

static int gitea_issue_edit(struct cl_forge *f, const struct cl_forge_repo *repo, uint64_t number,
	const struct cl_forge_issue_spec *spec)
{
	struct cl_buf url = CL_BUF_INIT;
	json_t *body = NULL;
	int error = 0, bad;

	cl_buf_init(&url, 8192);
	if (spec->title || spec->body) {
		if ((error = cl_forge__repo_url(&url, f, repo)) < 0 ||
		    (error = cl_buf_printf(&url, "/issues/%" PRIu64, number)) < 0)
			goto done;
		body = json_object();
		CL_CHECK_ALLOC(body);
		bad = spec->title && cl_json_set_string(body, "title", spec->title) < 0;
		bad = bad || (spec->body && cl_json_set_string(body, "body", spec->body) < 0);
		if (bad) {
			error = cl_error_set("out of memory");
			goto done;
		}
		if ((error = cl_forge__call(NULL, NULL, f, "PATCH", cl_buf_cstr(&url), body)) < 0)
			goto done;
	}
	/* Gitea's issue edit has no labels; replacing them is PUT .../labels. */
	if (spec->labels)
		error = gitea_labels_put(f, repo, number, "PUT", spec->labels);
done:
	json_decref(body);
	cl_buf_dispose(&url);
	return error;
}

static int gitea_labels_add(struct cl_forge *f, const struct cl_forge_repo *repo, uint64_t number,
	const char *const *labels)
{
	return gitea_labels_put(f, repo, number, "POST", labels);
}

static int gitea_label_remove(struct cl_forge *f, const struct cl_forge_repo *repo, uint64_t number,
	const char *label)
{
	struct cl_buf url = CL_BUF_INIT;
	const char *names[2] = { label, NULL };
	uint64_t *ids = NULL;
	size_t nids = 0;
	int error;

	cl_buf_init(&url, 8192);
	if ((error = gitea_label_ids(&ids, &nids, f, repo, names, 0)) < 0)
		goto done;
	if (ids[0] == 0) /* no such label in the repository: nothing to remove */
		goto done;
	if ((error = cl_forge__repo_url(&url, f, repo)) < 0 ||
	    (error = cl_buf_printf(&url, "/issues/%" PRIu64 "/labels/%" PRIu64, number, ids[0])) < 0)
		goto done;
	error = cl_forge__call(NULL, NULL, f, "DELETE", cl_buf_cstr(&url), NULL);
	if (error == CL_ENOTFOUND) {
		cl_error_clear();
		error = 0;
	}
done:
	free(ids);
	cl_buf_dispose(&url);
	return error;
}

struct gitea_login_walk {
	cl_forge_login_cb cb;
	void *payload;
};

static int gitea_login_item(json_t *item, void *payload)
{
	struct gitea_login_walk *w = payload;
	const char *login = json_string_value(json_object_get(item, "login"));
	return login ? w->cb(login, w->payload) : 0;
}

/* Gitea lists members by team id; the search answers {"ok":true,"data":[...]}. */
static int gitea_team_members(struct cl_forge *f, const char *org, const char *team,
	cl_forge_login_cb cb, void *payload)
{
	struct cl_buf url = CL_BUF_INIT;
	struct gitea_login_walk w = { cb, payload };
	json_t *resp = NULL, *item;
	uint64_t team_id = 0;
	size_t i;
	int error;

	cl_buf_init(&url, 8192);
	if ((error = cl_buf_printf(&url, "%s/orgs/", f->base)) < 0 || (error = cl_forge__esc(&url, org)) < 0 ||
	    (error = cl_buf_puts(&url, "/teams/search?q=")) < 0 || (error = cl_forge__esc(&url, team)) < 0 ||
	    (error = cl_buf_printf(&url, "&limit=%u", f->per_page)) < 0)
		goto done;
	if ((error = cl_forge__call(&resp, NULL, f, "GET", cl_buf_cstr(&url), NULL)) < 0)
		goto done;
	json_array_foreach(json_object_get(resp, "data"), i, item) {
		const char *name = json_string_value(json_object_get(item, "name"));
		if (name && strcasecmp(name, team) == 0) {
			team_id = cl_forge__id(item, "id");
			break;
		}
	}
	if (team_id == 0) {
		error = cl_error_setc(CL_ENOTFOUND, "gitea: no team '%s' in '%s'", team, org);
		goto done;
	}
	cl_buf_clear(&url);
	if ((error = cl_buf_printf(&url, "%s/teams/%" PRIu64 "/members", f->base, team_id)) < 0)
		goto done;
	error = cl_forge__list(f, cl_buf_cstr(&url), gitea_login_item, &w);
done:
	json_decref(resp);
	cl_buf_dispose(&url);
	return error;
}

/* https://HOST/api/v1 -> https://HOST */
static int gitea_web_root(struct cl_buf *out, const char *base)
{
	size_t n = strlen(base);
	if (n >= 7 && strcmp(base + n - 7, "/api/v1") == 0)
		n -= 7;
	return cl_buf_put(out, base, n);
}

const struct cl_forge__ops cl_forge__gitea_ops = {
	"gitea", "/api/v1", "limit", 50, "state=all&type=issues", 0, "clearance",
	NULL, gitea_issue_create, gitea_issue_edit, gitea_labels_add, gitea_label_remove,
	gitea_team_members, gitea_web_root
};
