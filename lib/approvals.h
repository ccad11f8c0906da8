/*
 * approvals.h - outbound contribution approvals: the requests engineers
 * make to contribute to upstream projects, the OSPO's decisions on them,
 * and the audit trail of every change, kept in the shared SQLite store
 * (db.h, module "approvals").
 *
 * Layer rule: the only module that reads or writes the approval tables.
 * The bot (issue forms, slash commands, expiry), the CLI and the hooks'
 * enforcement all go through it, so they agree on what an approval covers.
 *
 * States and the moves between them (anything else is CL_EINVALID):
 *
 *   requested ──> approved | denied | needs-info
 *   needs-info ─> requested (the request was edited or answered) | approved | denied
 *   approved ───> expired | revoked | needs-re-review (license/CLA changed upstream)
 *   needs-re-review ─> approved | denied | revoked
 *   denied ─────> approved (reconsidered) | requested (asked again)
 *   expired, revoked: final; a new request starts over
 *
 * Every move commits together with an audit row (who, when, the comment
 * URL or "cli", the message). Records are never deleted.
 * Times are seconds since the epoch, passed in by the caller (`now`), so
 * tests and the expiry sweep run on a fixed clock.
 */
#ifndef CL_APPROVALS_H
#define CL_APPROVALS_H

#include <stddef.h>
#include <stdint.h>

enum cl_approval_state {
	CL_APPROVAL_REQUESTED = 0,
	CL_APPROVAL_APPROVED,
	CL_APPROVAL_DENIED,
	CL_APPROVAL_NEEDS_INFO,
	CL_APPROVAL_EXPIRED,
	CL_APPROVAL_REVOKED,
	CL_APPROVAL_NEEDS_RE_REVIEW,
	CL_APPROVAL_STATE_COUNT
};

enum cl_approval_scope {
	CL_SCOPE_ONE = 0,        /* one contribution (one pull request / patch series) */
	CL_SCOPE_PROJECT,        /* per-project blanket: any contribution to the project */
	CL_SCOPE_MAJOR,          /* until the upstream's next major release */
	CL_SCOPE_FULL_TRUST,     /* the person may contribute to the project without asking again */
	CL_SCOPE_COUNT
};

enum cl_approval_cla {
	CL_APPROVAL_CLA_NONE = 0,
	CL_APPROVAL_CLA_DCO,
	CL_APPROVAL_CLA_INDIVIDUAL,
	CL_APPROVAL_CLA_CORPORATE,
	CL_APPROVAL_CLA_COUNT
};

/* "requested", "needs-info", ...; parse accepts the same words (and '_' for '-'). */
const char *cl_approval_state_name(enum cl_approval_state state);
int cl_approval_state_parse(enum cl_approval_state *out, const char *text);
/* "one", "project", "major", "full-trust"; parse also takes the issue form's words. */
const char *cl_approval_scope_name(enum cl_approval_scope scope);
int cl_approval_scope_parse(enum cl_approval_scope *out, const char *text);
/* "none", "dco", "individual", "corporate"; parse also takes the form's words. */
const char *cl_approval_cla_name(enum cl_approval_cla cla);
int cl_approval_cla_parse(enum cl_approval_cla *out, const char *text);

/*
 * One approval record. Strings are borrowed: from the caller when writing,
 * from the store while a callback runs or until cl_approval_dispose when
 * reading (cl_approval_get copies them into the record).
 */
struct cl_approval {
	int64_t id;
	enum cl_approval_state state;
	/* the requester */
	const char *requester;        /* forge login (or the CLI's --requester) */
	const char *email;
	const char *business_unit;
	/* the upstream project */
	const char *upstream_url;     /* "https://github.com/libgit2/libgit2" */
	const char *upstream_host;    /* "github.com" */
	const char *upstream_owner;   /* "libgit2" */
	const char *upstream_repo;    /* "libgit2" */
	const char *license;          /* SPDX expression at request/approval time */
	const char *kind;             /* "bug fix", "feature", ... */
	long long expected_lines;     /* 0: not said */
	/* CLA/DCO the upstream requires */
	enum cl_approval_cla cla;
	const char *cla_document;     /* URL and/or version of the CLA text */
	const char *cla_signer;       /* who signs: "employee", "company", a name */
	/* what is asked / granted */
	enum cl_approval_scope scope;
	long long size_limit;         /* lines per contribution; 0: none */
	const char *justification;    /* the business reason */
	/* where it was asked */
	const char *forge;            /* "github", "gitea", or NULL for the CLI */
	const char *issue_repo;       /* "acme/ospo" */
	long long issue_number;       /* 0 for the CLI */
	const char *issue_url;
	/* the decision */
	const char *decided_by;
	int64_t decided_at;
	const char *decision_message;
	const char *decision_url;     /* the approving comment, or "cli" */
	const char *pre_approved_by;  /* "pre_approved[0]" when a policy rule approved it */
	int64_t expires_at;           /* 0: none (not approved) */
	int64_t warned_at;            /* the expiry warning was sent; 0: not yet */
	int64_t created_at, updated_at;
	/* scopes */
	const char *upstream_version; /* the upstream's release when asked ("2.4.0"), or NULL */
	const char *used_by;          /* scope one: "owner/fork:ref" that used it up, or NULL */
	int64_t used_at;
	const char *team;             /* "org/team": granted to the team's members, or NULL */
};

struct cl_approvals;

/*
 * Open the approval tables in the store at `path` (created with `create`).
 * @return 0, CL_ENOTFOUND (missing and !create), CL_EINVALID (newer schema),
 *   CL_ERROR. Thread safety: one thread at a time per handle.
 */
int cl_approvals_open(struct cl_approvals **out, const char *path, int create);
void cl_approvals_free(struct cl_approvals *store);

/* Release the strings of a record filled by cl_approval_get/_find_issue. */
void cl_approval_dispose(struct cl_approval *a);

/*
 * Record a new request (state requested) from `req` (id, state, decision
 * and times ignored). A request from an issue (forge, issue_repo and
 * issue_number set) that is already recorded is updated in place instead:
 * the issue was edited. An edit of a request in needs-info puts it back to
 * requested; an edit of an approved one changes nothing that was approved
 * (license, scope, project) without a new review: it moves to
 * needs-re-review when those facts differ. *id receives the record's id,
 * *created 1 for a new record (both may be NULL).
 * @return 0, CL_EINVALID (no upstream URL or requester), CL_ERROR
 */
int cl_approval_request(int64_t *id, int *created, struct cl_approvals *store,
	const struct cl_approval *req, const char *actor, const char *url, int64_t now);

/* What a decision says. Borrowed strings; NULL/0 members keep the record's. */
struct cl_approval_decision {
	const char *actor;            /* login, or the CLI's --actor */
	const char *message;          /* reason, question, or comment */
	const char *url;              /* the comment's URL, or "cli" */
	int has_scope;
	enum cl_approval_scope scope; /* approvals: the scope granted */
	long long size_limit;         /* approvals: lines per contribution; 0 keep */
	int64_t expires_at;           /* approvals: 0 = now + the policy's expiry */
	const char *rule;             /* approvals by a pre-approval rule: its name */
	const char *team;             /* approvals: granted to this "org/team"; NULL keep */
	const char *cla_signer;       /* approvals: who signed the upstream's CLA; NULL keep */
};
#define CL_APPROVAL_DECISION_INIT { NULL, NULL, NULL, 0, CL_SCOPE_ONE, 0, 0, NULL, NULL, NULL }

/*
 * Move record `id` to `to`. Refused with CL_EINVALID (and a message naming
 * both states) when the state machine above does not allow it; an approval
 * without expires_at is given `now + default_expiry` seconds.
 * @return 0, CL_ENOTFOUND, CL_EINVALID, CL_ERROR
 */
int cl_approval_transition(struct cl_approvals *store, int64_t id, enum cl_approval_state to,
	const struct cl_approval_decision *decision, int64_t default_expiry, int64_t now);

/* Is `from` -> `to` a move the state machine allows? 1 / 0 */
int cl_approval_can_move(enum cl_approval_state from, enum cl_approval_state to);

/* One record, copied into `out` (dispose it). @return 0, CL_ENOTFOUND, CL_ERROR */
int cl_approval_get(struct cl_approval *out, struct cl_approvals *store, int64_t id);

/* The record made from issue `number` of `repo` on `forge`. Same returns. */
int cl_approval_find_issue(struct cl_approval *out, struct cl_approvals *store,
	const char *forge, const char *repo, long long number);

typedef int (*cl_approval_cb)(const struct cl_approval *a, void *payload);

/* Every record (state < 0) or those in `state`, by id; non-zero from cb stops and is returned. */
int cl_approvals_foreach(struct cl_approvals *store, int state, cl_approval_cb cb, void *payload);

/* Audit rows of record `id` (0: all), oldest first. */
typedef int (*cl_approval_audit_cb)(int64_t at, int64_t approval, const char *actor,
	const char *action, const char *from_state, const char *to_state, const char *url,
	const char *message, void *payload);
int cl_approvals_audit_foreach(struct cl_approvals *store, int64_t id, cl_approval_audit_cb cb,
	void *payload);

enum cl_approval_due { CL_APPROVAL_DUE_EXPIRED = 0, CL_APPROVAL_DUE_WARN };
typedef int (*cl_approval_due_cb)(const struct cl_approval *a, enum cl_approval_due what,
	void *payload);

/*
 * The periodic sweep: approvals whose expiry has passed move to expired
 * (actor "clearance", audited); approvals expiring within `warn_seconds`
 * that were not warned yet are marked warned (audited) - each is reported
 * to `cb` once, after its change committed, so a warning is sent once
 * however often the sweep runs and however many workers run it. A callback
 * that fails returns its error after the remaining records were handled.
 * `forge` (or NULL: all) limits the sweep to requests made on that forge
 * and those made with the CLI: a bot answers on the forge its requests
 * came from, so another forge's records wait for a sweep that can.
 * @return 0 or the first error
 */
int cl_approvals_sweep(struct cl_approvals *store, int64_t now, int64_t warn_seconds,
	const char *forge, cl_approval_due_cb cb, void *payload);

/*
 * Split an upstream URL ("https://github.com/owner/repo[.git][/...]",
 * "git@host:owner/repo.git") into host, owner and repo (each `size` bytes).
 * @return 0, or CL_EINVALID saying what is wrong with it
 */
int cl_approval_split_url(char *host, char *owner, char *repo, size_t size, const char *url);

/*
 * The approval in force at `when` that covers a commit by `email` to a fork
 * of an upstream repository named `repo` (the fork keeps the upstream's
 * name; compared case-insensitively, as is the email): state approved,
 * decided at or before `when`, not expired. The newest such record wins.
 * Scopes: a "one" approval already used by another contribution than `use`
 * ("owner/fork:ref"; NULL: ignore uses) does not cover; a "major" approval
 * whose recorded upstream_version has a major below `fork_major` (the
 * highest release the fork carries; < 0: unknown) does not cover - the
 * upstream released a new major since it was given. An approval granted to
 * a team covers the author when `teams` (the author's teams, "org/team",
 * case-insensitive; from the policy's approvals.teams or the forge) names it.
 * @return 0 and *id, CL_ENOTFOUND, CL_ERROR
 */
int cl_approval_covering(int64_t *id, struct cl_approvals *store, const char *email,
	const char *repo, int64_t when, const char *use, int fork_major, char *const *teams,
	size_t team_count);

/*
 * Record that contribution `use` (first seen with `commit`) used up the
 * "one" approval `id`, audited as "used". A no-op when the approval has
 * another scope or was used already.
 * @return 0, CL_ERROR
 */
int cl_approval_use(struct cl_approvals *store, int64_t id, const char *use,
	const char *commit, int64_t now);

/*
 * The teams that approvals in force at `when` for upstream repositories
 * named `repo` were granted to, each once, to `cb` (non-zero stops and is
 * returned): the teams worth asking the forge about for a commit.
 * @return 0, CL_ERROR, or cb's value
 */
int cl_approval_teams_foreach(struct cl_approvals *store, const char *repo, int64_t when,
	int (*cb)(const char *team, void *payload), void *payload);

/* One outbound commit as the approval check judged it. */
struct cl_contribution {
	const char *repository;      /* the fork, "owner/name" */
	const char *commit;          /* hex id */
	const char *ref;             /* where it went; may be NULL */
	const char *upstream_repo;   /* the upstream project's name, as approvals record it */
	const char *author, *email;
	int64_t committed_at;        /* author time */
	int64_t seen_at;
	int64_t approval;            /* the approval that covered it; 0: none */
};

/*
 * Record an outbound commit (the tracking behind `clearance report
 * contributions` and the dashboard). Recording one again keeps the first
 * sighting, but an approval found later is kept. @return 0, CL_ERROR
 */
int cl_approval_contribution_record(struct cl_approvals *store,
	const struct cl_contribution *c);

/* The underlying connection (reports join other modules' tables). */
struct sqlite3;
struct sqlite3 *cl_approvals_db(struct cl_approvals *store);

#endif
