/*
 * webhook.h - what a forge's webhook request says: its signature checked,
 * its JSON payload decoded into a small typed record.
 *
 * Layer rule: a library module over Jansson and OpenSSL, with no HTTP in
 * it; bot/intake.c hands it the raw bytes and headers it received. Every
 * input here comes from the network, so every size has a cap and the
 * decoder has a libFuzzer harness (tests/fuzz/fuzz_webhook.c).
 */
#ifndef CL_WEBHOOK_H
#define CL_WEBHOOK_H

#include <stddef.h>

enum cl_webhook_forge { CL_FORGE_GITHUB = 0, CL_FORGE_GITEA };

/* The forge's name as written in URLs, the store and metrics. */
const char *cl_webhook_forge_name(enum cl_webhook_forge forge);

/*
 * Deepest nesting of arrays and objects a payload may have. GitHub's own
 * payloads stay under 10 levels; Jansson's limit is 2048, which it reaches
 * by recursion, so a cheap scan refuses deep input before Jansson sees it.
 */
#define CL_WEBHOOK_MAX_DEPTH 64

/* Longest string field kept (a PR comment body is at most 65536 chars). */
#define CL_WEBHOOK_MAX_FIELD (256 * 1024)

/*
 * Check a signature header against HMAC-SHA256(secret, body), in constant
 * time. GitHub sends "sha256=<64 hex>" (X-Hub-Signature-256), Gitea and
 * Forgejo the bare hex; both spellings are accepted for either forge, in
 * either letter case.
 * @param header the header's value; NULL when the request had none
 * @return 0 when it matches; CL_EINVALID when missing, malformed or wrong.
 * Thread safety: reentrant.
 */
int cl_webhook_verify(const char *secret, size_t secret_len,
	const char *body, size_t body_len, const char *header);

/*
 * A webhook secret made ready for many checks: HMAC-SHA256 keyed once,
 * so that a check copies the keyed state instead of fetching the
 * algorithm and hashing the key again (about 2 us of a 25 KB delivery's
 * 20 us HMAC on the development machine). Immutable once made.
 */
struct cl_webhook_key;

/*
 * Key HMAC-SHA256 with `secret` (an empty one is valid HMAC).
 * @return 0; CL_ERROR when OpenSSL fails or memory runs out.
 */
int cl_webhook_key_new(struct cl_webhook_key **out, const char *secret, size_t secret_len);

/* Free a key (its keyed state is cleared by OpenSSL); NULL is a no-op. */
void cl_webhook_key_free(struct cl_webhook_key *key);

/*
 * cl_webhook_verify with a key made by cl_webhook_key_new.
 * @return 0 when it matches; CL_EINVALID when missing, malformed or wrong;
 *   CL_ERROR when OpenSSL fails.
 * Thread safety: any number of threads may check against one key at once.
 * Cost: one allocation (the copy of the keyed state) and the HMAC of the body.
 */
int cl_webhook_verify_key(const struct cl_webhook_key *key,
	const char *body, size_t body_len, const char *header);

/* The header value a forge would send for `body` ("sha256=..." when
 * `github_style`); for tests, benchmarks and the demo. `out` holds 72 bytes. */
void cl_webhook_sign(char out[72], const char *secret, size_t secret_len,
	const char *body, size_t body_len, int github_style);

/*
 * Is `body` within CL_WEBHOOK_MAX_DEPTH levels of nesting? A linear scan
 * that understands strings and escapes; it does not validate the JSON.
 * @return 0, or CL_EINVALID naming the depth.
 */
int cl_webhook_check_depth(const char *body, size_t len, int max_depth);

/*
 * The fields of a delivery the bot acts on. Absent fields are NULL / 0.
 * All strings are owned by the record, valid UTF-8 and NUL-free.
 */
struct cl_webhook_event {
	enum cl_webhook_forge forge;
	char *event;            /* "pull_request", "push", "issue_comment", ... */
	char *action;           /* "opened", "synchronize", ... */
	char *repo_full_name;   /* "owner/name" */
	char *clone_url;
	char *sender;           /* login of who caused the event */
	char *zen;              /* ping: GitHub's line of wisdom */
	long long installation_id;  /* GitHub App installations; 0 when none */
	long long pr_number;    /* pull_request, and issue_comment on a PR */
	char *base_ref, *base_sha, *head_ref, *head_sha;
	char *push_ref, *push_before, *push_after;
	char *comment_body, *comment_author;
	char *comment_url;      /* the comment's web address (the CLA signature's evidence) */
	int comment_on_pr;      /* issue_comment whose issue is a pull request */
	/* issues (opened, edited, ...): the number is in pr_number, as for issue_comment */
	char *issue_title, *issue_body, *issue_author, *issue_url, *issue_state;
	char *issue_labels;     /* the label names, one per line ("" when none) */
};

/*
 * Decode a payload. `event` is the event header's value (X-GitHub-Event,
 * X-Gitea-Event). The body must be one valid JSON text (RFC 8259, UTF-8)
 * holding an object, within CL_WEBHOOK_MAX_DEPTH; the fields the event is
 * expected to have must be there with the right types (a push without
 * "after", a pull_request without "number" are refused), a field we read
 * may not appear twice, and commit ids must be 40 or 64 hex digits.
 * Unknown events decode to the common fields only. Numbers outside the
 * fields read are checked for syntax only, not range.
 * @return 0; CL_EINVALID with a message naming the problem; CL_ERROR when
 *   out of memory. *out is written only on success.
 * Thread safety: reentrant. Cost: one pass over the body (no tree is built).
 */
int cl_webhook_decode(struct cl_webhook_event **out, enum cl_webhook_forge forge,
	const char *event, const char *body, size_t len);

/* Free a decoded record; NULL is a no-op. */
void cl_webhook_event_free(struct cl_webhook_event *ev);

#endif
