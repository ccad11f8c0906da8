/*
 * forge_priv.h - what forge.c shares with the per-forge files
 * (forge_github.c, forge_gitea.c). Not a public header.
 */
#ifndef CL_FORGE_PRIV_H
#define CL_FORGE_PRIV_H

#include "forge.h"
#include "buf.h"
#include "github_app.h"
#include "team_cache.h"

#include <jansson.h>

/*
 * The operations whose wire format differs between forges. Everything the
 * forges share (statuses, comments, issue listing, open/close) is in
 * forge.c and reads the few data members below.
 */
struct cl_forge__ops {
	const char *name;           /* "github", "gitea": in error messages */
	const char *api_suffix;     /* "/api/v1" for Gitea: added to the base when missing */
	const char *page_param;     /* "per_page" (GitHub) or "limit" (Gitea) */
	unsigned int max_per_page;  /* the forge's own cap */
	const char *issue_query;    /* listing issues, not pull requests */
	int comments_paged;         /* Gitea lists an issue's comments in one answer, without pages */
	const char *git_user;       /* basic-auth user for git over HTTPS */
	int (*check_set)(uint64_t *id, struct cl_forge *f, const struct cl_forge_repo *repo,
		const struct cl_forge_check *check);
	int (*issue_create)(uint64_t *number, struct cl_forge *f, const struct cl_forge_repo *repo,
		const struct cl_forge_issue_spec *spec);
	int (*issue_edit)(struct cl_forge *f, const struct cl_forge_repo *repo, uint64_t number,
		const struct cl_forge_issue_spec *spec);
	int (*labels_add)(struct cl_forge *f, const struct cl_forge_repo *repo, uint64_t number,
		const char *const *labels);
	int (*label_remove)(struct cl_forge *f, const struct cl_forge_repo *repo, uint64_t number,
		const char *label);
	int (*team_members)(struct cl_forge *f, const char *org, const char *team,
		cl_forge_login_cb cb, void *payload);
	/* The web root the clone URLs hang from, derived from the API base. */
	int (*web_root)(struct cl_buf *out, const char *api_base);
};

extern const struct cl_forge__ops cl_forge__github_ops;
extern const struct cl_forge__ops cl_forge__gitea_ops;

struct cl_forge {
	enum cl_forge_kind kind;
	const struct cl_forge__ops *ops;
	char *base;                 /* API root, no trailing slash */
	char *token;                /* or NULL with app */
	struct cl_github_app *app;
	struct cl_http_client *http;
	const struct cl_http_sys *sys;
	unsigned int per_page;
	unsigned int max_pages;
	struct cl_team_cache *teams;  /* NULL: every question lists the team */
};

/* Append "BASE/repos/OWNER/NAME" with both names percent-encoded. */
int cl_forge__repo_url(struct cl_buf *url, struct cl_forge *f, const struct cl_forge_repo *repo);

/* Append `s` percent-encoded as one path segment or query value. */
int cl_forge__esc(struct cl_buf *out, const char *s);

/*
 * One request: `body` (or NULL) is serialised as JSON; on a 2xx answer
 * *json_out (or NULL) gets the parsed body (NULL for an empty one).
 * Non-2xx answers become errors (404 CL_ENOTFOUND, 422 CL_EINVALID) whose
 * message has the method, the path and the forge's own message.
 */
int cl_forge__call(json_t **json_out, long *status_out, struct cl_forge *f,
	const char *method, const char *url, json_t *body);

/* Each element of a (paginated) JSON array listing; the cb returns non-zero to stop. */
typedef int (*cl_forge__item_cb)(json_t *item, void *payload);
int cl_forge__list(struct cl_forge *f, const char *url, cl_forge__item_cb cb, void *payload);

/* The same for an endpoint without pages (no page-size parameter sent). */
int cl_forge__list_unpaged(struct cl_forge *f, const char *url, cl_forge__item_cb cb, void *payload);

/* The URL of a listing's first page: `url` plus the page-size parameter. */
int cl_forge__list_url(struct cl_buf *out, struct cl_forge *f, const char *url);

/* A JSON array of strings from a NULL-terminated list. NULL when out of memory. */
json_t *cl_forge__string_array(const char *const *list);

/* obj[key] as an unsigned id, or 0. */
uint64_t cl_forge__id(json_t *obj, const char *key);

#endif
