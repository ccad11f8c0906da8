/*
 * push_event.h - what a hosted repository's post-receive hands the bot
 * about one push: the findings that did not reject it, the facts that
 * decide when an issue is resolved, the override, the outbound commits.
 *
 * Layer rule: a library module over Jansson. The hook writes the JSON
 * (hooks/post_receive.c), the spool keeps it (spool.h), the bot reads it
 * back (bot/events.c); this file is the one reader and the one place the
 * format is defined. Every byte of it may have sat on disk or crossed the
 * network, so every size has a cap and the reader has a libFuzzer harness
 * (tests/fuzz/fuzz_push_event.c).
 *
 * Format (version 1), one JSON object:
 *   type        "clearance.push"
 *   version     1
 *   id          the event id: [A-Za-z0-9._-]{1,128}; the bot's delivery id
 *   time        "2026-11-23T15:00:00Z" (optional)
 *   repository  the hosted repository's path on its server
 *   name        what issues call it (optional; default: repository)
 *   commit_url  prefix a commit id is appended to for a link (optional)
 *   tracker     "owner/repo" of the OSPO tracker (optional: the bot's)
 *   labels, assignees   lists of strings for the issues (optional)
 *   pusher      who pushed (optional)
 *   override    {reason, pusher, findings: N} when an admin bypassed (optional)
 *   refs        [{ref, before, after (hex ids; before all zeros for a new
 *               ref), findings: [finding objects as cl_finding_to_json],
 *               deps: ["npm:left-pad", ...] every dependency at `after`
 *               (absent: not known), header_failing: [paths] every file
 *               at `after` failing the header check (absent: not known),
 *               commits: [{id, author, email, time}], commits_truncated,
 *               license_change: {upstream, file, ids} when the ref is of an
 *               outbound fork and the push changed a license file ("file")
 *               or added SPDX ids ("ids", at most CL_LICENSE_DIFF_IDS);
 *               "upstream" is the upstream project's name (optional)}]
 */
#ifndef CL_PUSH_EVENT_H
#define CL_PUSH_EVENT_H

#include <stddef.h>

#include "approval_check.h"
#include "finding.h"

#define CL_PUSH_EVENT_VERSION 1
/* A push event larger than this is refused unread (spool files, HTTP bodies). */
#define CL_PUSH_EVENT_MAX_BYTES (16 * 1024 * 1024)
#define CL_PUSH_EVENT_MAX_REFS 1000
#define CL_PUSH_EVENT_MAX_ITEMS 100000   /* findings, deps, paths, commits per ref */
#define CL_PUSH_EVENT_MAX_ID 128

struct cl_push_event_commit {
	char *id, *author, *email;
	long long time;                  /* unix seconds; 0 when not given */
};

struct cl_push_event_ref {
	char *ref, *before, *after;
	struct cl_findings *findings;
	char **deps;                     /* "ecosystem:name" */
	size_t dep_count;
	int deps_known;                  /* 0: the event does not say what is in the tree */
	char **header_failing;
	size_t header_failing_count;
	int headers_known;
	struct cl_push_event_commit *commits;
	size_t commit_count;
	int commits_truncated;
	char *license_upstream;          /* NULL: no license_change */
	struct cl_license_diff license;  /* what changed, as the hook compared it */
};

/* A decoded event; every string is owned by it. Absent optional strings are NULL. */
struct cl_push_event {
	char *id, *time, *repository, *name, *commit_url, *tracker, *pusher;
	char **labels;
	size_t label_count;
	char **assignees;
	size_t assignee_count;
	int has_override;
	char *override_reason, *override_pusher;
	long long override_findings;
	struct cl_push_event_ref *refs;
	size_t ref_count;
};

/*
 * Decode an event. The body must be one JSON object (UTF-8, within
 * CL_WEBHOOK_MAX_DEPTH levels, at most CL_PUSH_EVENT_MAX_BYTES) of the
 * format above; unknown keys are ignored so that later versions may add.
 * @return 0; CL_EINVALID naming the problem; CL_ETOOBIG; CL_ERROR when out
 *   of memory. *out only on success. Thread safety: reentrant.
 */
int cl_push_event_parse(struct cl_push_event **out, const char *body, size_t len);

void cl_push_event_free(struct cl_push_event *ev);

/* Is `id` a valid event id (the charset and length above)? 1 / 0. */
int cl_push_event_id_valid(const char *id);

#endif
