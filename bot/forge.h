/*
 * forge.h - one interface to the forges the bot reports to.
 *
 * Layer rule: bot-only. Callers speak of statuses, check runs, comments,
 * issues, labels and teams; which forge is behind (GitHub and GitHub
 * Enterprise over REST v3, Gitea and Forgejo over /api/v1) and how it
 * differs is handled here: Gitea takes label ids where GitHub takes names
 * (looked up, and created when missing), Gitea has no checks API (a check
 * run becomes a commit status), Gitea finds a team by name before listing
 * its members. HTTP, retries and rate limits are http_client.h's.
 *
 * Issues and comments the bot owns carry a hidden marker in their body,
 * `<!-- clearance:KEY -->` (cl_forge_marker), so they are found again
 * without a database and never duplicated.
 *
 * Thread-safety: a forge may be shared by workers; every call is
 * independent (the GitHub App token cache is locked). A GitHub App
 * installed on several accounts needs one forge per installation (the
 * delivery's installation.id), each with its own token.
 * Errors: CL_ENOTFOUND when the forge answers 404, CL_EINVALID for 422,
 * CL_ERATELIMITED (http_client.h), CL_ERROR otherwise; messages carry the
 * forge's own "message" and never a token.
 */
#ifndef CL_FORGE_H
#define CL_FORGE_H

#include "http_client.h"

#include <stddef.h>
#include <stdint.h>

struct cl_forge;

/* Same values as lib/webhook.h's enum cl_webhook_forge, so one converts to the other. */
enum cl_forge_kind {
	CL_FORGE_KIND_GITHUB = 0, /* github.com and GitHub Enterprise Server */
	CL_FORGE_KIND_GITEA = 1   /* Gitea and Forgejo */
};

struct cl_forge_options {
	enum cl_forge_kind kind;
	/*
	 * The API root: "https://api.github.com" (the default for GitHub),
	 * "https://HOST/api/v3" (GitHub Enterprise), "https://HOST" or
	 * "https://HOST/api/v1" (Gitea; "/api/v1" is added when missing).
	 */
	const char *base_url;
	const char *token;             /* a personal/bot token; or the three below */
	const char *app_id;            /* GitHub App: all three, no token */
	const char *private_key_path;
	const char *installation_id;
	const char *user_agent;        /* default "clearance" */
	long connect_timeout_ms;       /* 0: http_client's defaults */
	long timeout_ms;
	unsigned int max_retries;
	unsigned int per_page;         /* page size asked for; default 100 (Gitea caps at 50) */
	unsigned int max_pages;        /* stop listing after this many pages; default 100 */
	const struct cl_http_sys *sys; /* injectable sleep and clock; NULL: real */
	cl_http_log_cb log;            /* redacted one-line logs; NULL: none */
	void *log_payload;
	unsigned int team_cache_seconds;  /* team listings kept this long (team_cache.h); 0: none */
};

#define CL_FORGE_OPTIONS_INIT { CL_FORGE_KIND_GITHUB, NULL, NULL, NULL, NULL, NULL, NULL, \
	0, 0, 3, 0, 0, NULL, NULL, NULL, 0 }

/* A repository on the forge. Borrowed strings. */
struct cl_forge_repo {
	const char *owner;
	const char *name;
};

/*
 * Split "owner/name" (as webhook payloads write it) into `out`, the owner
 * copied into `owner` (`size` bytes); out->name points into `full_name`.
 * @return 0, or CL_EINVALID when it is not one owner and one name.
 */
int cl_forge_repo_parse(struct cl_forge_repo *out, char *owner, size_t size, const char *full_name);

/* ---- lifecycle ---- */

/*
 * Create a forge client. Reads the App key now (a missing key fails here,
 * at start-up, not at the first delivery) but makes no request.
 * @return 0, or CL_EINVALID (bad options), CL_ERROR
 */
int cl_forge_new(struct cl_forge **out, const struct cl_forge_options *opts);
void cl_forge_free(struct cl_forge *forge);

enum cl_forge_kind cl_forge_kind(const struct cl_forge *forge);

/* The client's HTTP call counters (for /metrics). */
void cl_forge_counts(struct cl_http_counts *out, struct cl_forge *forge);

/* Whether check runs are real (GitHub with App auth) or become statuses. */
int cl_forge_has_checks(const struct cl_forge *forge);

/* ---- commit statuses and check runs ---- */

enum cl_forge_state {
	CL_FORGE_PENDING, CL_FORGE_SUCCESS, CL_FORGE_FAILURE, CL_FORGE_ERROR
};

struct cl_forge_status {
	enum cl_forge_state state;
	const char *context;      /* "clearance/dco" */
	const char *description;  /* one line; cut to 140 bytes on a UTF-8 boundary */
	const char *target_url;   /* or NULL */
};

/* Set a commit status on `sha`. @return 0 or an error */
int cl_forge_status_set(struct cl_forge *forge, const struct cl_forge_repo *repo,
	const char *sha, const struct cl_forge_status *status);

enum cl_forge_annotation_level { CL_FORGE_NOTICE, CL_FORGE_WARNING, CL_FORGE_FAILURE_LEVEL };

struct cl_forge_annotation {
	const char *path;
	unsigned int start_line;  /* 1-based; 0 is sent as 1 (GitHub requires a line) */
	unsigned int end_line;    /* 0: same as start_line */
	enum cl_forge_annotation_level level;
	const char *title;        /* or NULL */
	const char *message;
};

struct cl_forge_check {
	const char *name;         /* "clearance/dco" */
	const char *head_sha;
	int completed;            /* 0: in_progress */
	/* When completed: SUCCESS, or FAILURE; ERROR is sent as "failure" too (a check that could not run must not pass). */
	enum cl_forge_state conclusion;
	const char *title;        /* output title; also the status description fallback */
	const char *summary;      /* output summary (Markdown) */
	const char *details_url;  /* or NULL */
	const struct cl_forge_annotation *annotations;
	size_t nannotations;      /* any number: sent 50 per request, GitHub's limit */
};

/*
 * Create (id == 0) or update (*id != 0) a check run; *id is set to the run's
 * id. Where checks are not available (Gitea, or GitHub with a plain token)
 * a commit status with the same name as context is set instead and *id is
 * left 0. @return 0 or an error
 */
int cl_forge_check_set(uint64_t *id, struct cl_forge *forge,
	const struct cl_forge_repo *repo, const struct cl_forge_check *check);

/* ---- comments on issues and pull requests ---- */

struct cl_forge_comment {
	uint64_t id;
	char *body;
	char *author;             /* login */
};

void cl_forge_comment_dispose(struct cl_forge_comment *comment);

/* Return non-zero to stop the walk (that value is returned). */
typedef int (*cl_forge_comment_cb)(const struct cl_forge_comment *comment, void *payload);

/*
 * Walk every comment of issue or pull request `number`, page by page.
 * @return 0, the callback's non-zero value, or an error
 */
int cl_forge_comments_foreach(struct cl_forge *forge, const struct cl_forge_repo *repo,
	uint64_t number, cl_forge_comment_cb cb, void *payload);

/*
 * Find the first comment whose body holds the marker of `key`.
 * @return 0 (out filled; dispose it), CL_ENOTFOUND, or an error
 */
int cl_forge_comment_find(struct cl_forge_comment *out, struct cl_forge *forge,
	const struct cl_forge_repo *repo, uint64_t number, const char *key);

/* Create a comment; *id (may be NULL) gets its id. */
int cl_forge_comment_create(uint64_t *id, struct cl_forge *forge,
	const struct cl_forge_repo *repo, uint64_t number, const char *body);

/* Replace a comment's body. */
int cl_forge_comment_edit(struct cl_forge *forge, const struct cl_forge_repo *repo,
	uint64_t comment_id, const char *body);

/*
 * Create the comment carrying `key`'s marker, or edit it in place when it
 * exists (the PR summary comment). `body` must already hold the marker.
 */
int cl_forge_comment_upsert(uint64_t *id, struct cl_forge *forge,
	const struct cl_forge_repo *repo, uint64_t number, const char *key, const char *body);

/* ---- issues ---- */

struct cl_forge_issue {
	uint64_t number;
	int open;
	char *title;
	char *body;
};

void cl_forge_issue_dispose(struct cl_forge_issue *issue);

struct cl_forge_issue_spec {
	const char *title;
	const char *body;                 /* should hold the key's marker */
	const char *const *labels;        /* NULL-terminated names, or NULL */
	const char *const *assignees;     /* NULL-terminated logins, or NULL */
};

/*
 * Find the issue (open or closed; never a pull request) whose body holds
 * `key`'s marker. `label` (or NULL) narrows the listing to issues with
 * that label, which keeps it short on busy repositories.
 * @return 0 (out filled; dispose it), CL_ENOTFOUND, or an error
 */
int cl_forge_issue_find(struct cl_forge_issue *out, struct cl_forge *forge,
	const struct cl_forge_repo *repo, const char *key, const char *label);

/* Create an issue; labels missing on Gitea are created. *number may be NULL. */
int cl_forge_issue_create(uint64_t *number, struct cl_forge *forge,
	const struct cl_forge_repo *repo, const struct cl_forge_issue_spec *spec);

/*
 * Edit an issue: NULL members of spec are left as they are; labels (when
 * not NULL) replace the issue's labels. assignees are not changed.
 */
int cl_forge_issue_edit(struct cl_forge *forge, const struct cl_forge_repo *repo,
	uint64_t number, const struct cl_forge_issue_spec *spec);

/* Comment (when `comment` is not NULL), then close. Closing a closed issue is fine. */
int cl_forge_issue_close(struct cl_forge *forge, const struct cl_forge_repo *repo,
	uint64_t number, const char *comment);

int cl_forge_issue_reopen(struct cl_forge *forge, const struct cl_forge_repo *repo,
	uint64_t number);

/* Add labels (NULL-terminated names) to an issue or pull request. */
int cl_forge_labels_add(struct cl_forge *forge, const struct cl_forge_repo *repo,
	uint64_t number, const char *const *labels);

/* Remove one label; a label the issue does not have is not an error. */
int cl_forge_label_remove(struct cl_forge *forge, const struct cl_forge_repo *repo,
	uint64_t number, const char *label);

/* ---- pull requests ---- */

struct cl_forge_pull {
	uint64_t number;
	int open;
	char *base_ref;           /* "main" */
	char *base_sha;
	char *head_sha;
};

/*
 * Where pull request `number` stands now (a comment event does not say).
 * @return 0 (dispose `out`), CL_ENOTFOUND, or an error
 */
int cl_forge_pull_get(struct cl_forge_pull *out, struct cl_forge *forge,
	const struct cl_forge_repo *repo, uint64_t number);
void cl_forge_pull_dispose(struct cl_forge_pull *pull);

/* One commit of a pull request: `login` is NULL when its author email
 * belongs to no account on the forge. Non-zero stops the walk. */
typedef int (*cl_forge_commit_cb)(const char *sha, const char *email, const char *login,
	void *payload);

/* Walk the commits of pull request `number` (paginated; GitHub lists at
 * most 250). @return 0, the callback's non-zero value, or an error */
int cl_forge_pull_commits_foreach(struct cl_forge *forge, const struct cl_forge_repo *repo,
	uint64_t number, cl_forge_commit_cb cb, void *payload);

/* ---- teams ---- */

typedef int (*cl_forge_login_cb)(const char *login, void *payload);

/*
 * Walk the logins of team `team` (GitHub: its slug; Gitea: its name) of
 * organisation `org`; with team_cache_seconds, from a listing at most that
 * old. @return 0, the callback's non-zero value, CL_ENOTFOUND (no such
 * team), or an error
 */
int cl_forge_team_members_foreach(struct cl_forge *forge, const char *org,
	const char *team, cl_forge_login_cb cb, void *payload);

/* ---- git access ---- */

/*
 * The HTTPS clone URL of a repository, without credentials (they go to
 * libgit2 through a credential callback, never into a URL that could be
 * logged or saved in a remote's config). malloc'd.
 */
int cl_forge_clone_url(char **out, struct cl_forge *forge, const struct cl_forge_repo *repo);

/*
 * Basic-auth credentials for git over HTTPS: GitHub "x-access-token" and
 * the (installation) token, Gitea "clearance" and the token. Both malloc'd;
 * wipe and free the password after use.
 */
int cl_forge_git_credentials(char **username, char **password, struct cl_forge *forge);

/* ---- helpers ---- */

/*
 * Append `<!-- clearance:KEY -->` to a caller buffer. Keys are at most 200
 * bytes, without control characters, '>' or "--" (they would end the comment).
 * @return 0, CL_EINVALID, or a cl_buf error
 */
int cl_forge_marker(struct cl_buf *out, const char *key);

#endif
