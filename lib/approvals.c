/*
 * approvals.c - approval records, the state machine and its audit rows.
 *
 * Divisions: names of states, scopes and CLA kinds; schema; statement
 * helpers; reading rows; requests; transitions; listings; the sweep;
 * upstream URLs.
 */
#include "approvals.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "buf.h"
#include "db.h"
#include "error.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- names -------------------------------------------------------------- */

static const char *const state_names[CL_APPROVAL_STATE_COUNT] = {
	"requested", "approved", "denied", "needs-info", "expired", "revoked", "needs-re-review",
};

static const char *const scope_names[CL_SCOPE_COUNT] = { "one", "project", "major", "full-trust" };

static const char *const cla_names[CL_APPROVAL_CLA_COUNT] = { "none", "dco", "individual", "corporate" };

/* Other spellings people and the issue form use. */
struct alias {
	const char *text;
	int value;
};

static const struct alias scope_aliases[] = {
	{ "one-contribution", CL_SCOPE_ONE }, { "one contribution", CL_SCOPE_ONE },
	{ "single", CL_SCOPE_ONE }, { "once", CL_SCOPE_ONE },
	{ "per-project", CL_SCOPE_PROJECT }, { "per-project blanket", CL_SCOPE_PROJECT },
	{ "blanket", CL_SCOPE_PROJECT },
	{ "until-next-major", CL_SCOPE_MAJOR }, { "until next major release", CL_SCOPE_MAJOR },
	{ "next-major", CL_SCOPE_MAJOR },
	{ "full trust", CL_SCOPE_FULL_TRUST }, { "trusted", CL_SCOPE_FULL_TRUST },
};

static const struct alias cla_aliases[] = {
	{ "no", CL_APPROVAL_CLA_NONE }, { "none needed", CL_APPROVAL_CLA_NONE },
	{ "dco sign-off", CL_APPROVAL_CLA_DCO }, { "dco (signed-off-by)", CL_APPROVAL_CLA_DCO },
	{ "individual cla", CL_APPROVAL_CLA_INDIVIDUAL }, { "icla", CL_APPROVAL_CLA_INDIVIDUAL },
	{ "corporate cla", CL_APPROVAL_CLA_CORPORATE }, { "ccla", CL_APPROVAL_CLA_CORPORATE },
};

/* Case-insensitive, '_' and '-' alike, surrounding blanks ignored. */
static int word_equal(const char *a, const char *b)
{
	size_t alen, blen = strlen(b), i;

	while (*a == ' ' || *a == '\t')
		a++;
	alen = strlen(a);
	while (alen && (a[alen - 1] == ' ' || a[alen - 1] == '\t' || a[alen - 1] == '\r'))
		alen--;
	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++) {
		char x = a[i] == '_' ? '-' : a[i], y = b[i] == '_' ? '-' : b[i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

static int parse_word(int *out, const char *text, const char *const *names, size_t count,
	const struct alias *aliases, size_t nalias, const char *what)
{
	size_t i;

	for (i = 0; text && i < count; i++)
		if (word_equal(text, names[i])) {
			*out = (int)i;
			return 0;
		}
	for (i = 0; text && i < nalias; i++)
		if (word_equal(text, aliases[i].text)) {
			*out = aliases[i].value;
			return 0;
		}
	return cl_error_setc(CL_EINVALID, "unknown %s '%.64s'", what, text ? text : "");
}

const char *cl_approval_state_name(enum cl_approval_state s)
{
	if ((unsigned)s >= CL_APPROVAL_STATE_COUNT)
		CL_BUG("unknown approval state");
	return state_names[s];
}

int cl_approval_state_parse(enum cl_approval_state *out, const char *text)
{
	int v = 0, error = parse_word(&v, text, state_names, CL_APPROVAL_STATE_COUNT, NULL, 0,
		"state (requested, approved, denied, needs-info, expired, revoked, needs-re-review)");
	if (error == 0)
		*out = (enum cl_approval_state)v;
	return error;
}

const char *cl_approval_scope_name(enum cl_approval_scope s)
{
	if ((unsigned)s >= CL_SCOPE_COUNT)
		CL_BUG("unknown approval scope");
	return scope_names[s];
}

int cl_approval_scope_parse(enum cl_approval_scope *out, const char *text)
{
	int v = 0, error = parse_word(&v, text, scope_names, CL_SCOPE_COUNT, scope_aliases,
		ARRAY_SIZE(scope_aliases), "scope (one, project, major, full-trust)");
	if (error == 0)
		*out = (enum cl_approval_scope)v;
	return error;
}

const char *cl_approval_cla_name(enum cl_approval_cla c)
{
	if ((unsigned)c >= CL_APPROVAL_CLA_COUNT)
		CL_BUG("unknown CLA kind");
	return cla_names[c];
}

int cl_approval_cla_parse(enum cl_approval_cla *out, const char *text)
{
	int v = 0, error = parse_word(&v, text, cla_names, CL_APPROVAL_CLA_COUNT, cla_aliases,
		ARRAY_SIZE(cla_aliases), "CLA requirement (none, dco, individual, corporate)");
	if (error == 0)
		*out = (enum cl_approval_cla)v;
	return error;
}

/* ---- schema --------------------------------------------------------------- */

static const struct cl_db_migration approvals_schema[] = {
	{ "approvals", 1,
	  "CREATE TABLE approvals ("
	  "  id INTEGER PRIMARY KEY, state TEXT NOT NULL,"
	  "  requester TEXT COLLATE NOCASE, email TEXT COLLATE NOCASE, business_unit TEXT,"
	  "  upstream_url TEXT NOT NULL, upstream_host TEXT COLLATE NOCASE,"
	  "  upstream_owner TEXT COLLATE NOCASE, upstream_repo TEXT COLLATE NOCASE,"
	  "  license TEXT, kind TEXT, expected_lines INTEGER NOT NULL DEFAULT 0,"
	  "  cla TEXT NOT NULL DEFAULT 'none', cla_document TEXT, cla_signer TEXT,"
	  "  scope TEXT NOT NULL DEFAULT 'one', size_limit INTEGER NOT NULL DEFAULT 0,"
	  "  justification TEXT,"
	  "  forge TEXT, issue_repo TEXT COLLATE NOCASE, issue_number INTEGER NOT NULL DEFAULT 0,"
	  "  issue_url TEXT,"
	  "  decided_by TEXT, decided_at INTEGER NOT NULL DEFAULT 0, decision_message TEXT,"
	  "  decision_url TEXT, pre_approved_by TEXT,"
	  "  expires_at INTEGER NOT NULL DEFAULT 0, warned_at INTEGER NOT NULL DEFAULT 0,"
	  "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);"
	  "CREATE UNIQUE INDEX approvals_issue ON approvals (forge, issue_repo, issue_number) "
	  "  WHERE issue_number > 0;"
	  "CREATE INDEX approvals_project ON approvals (upstream_host, upstream_owner, upstream_repo);"
	  "CREATE INDEX approvals_state ON approvals (state, expires_at);"
	  "CREATE TABLE approval_audit ("
	  "  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, approval INTEGER NOT NULL,"
	  "  actor TEXT NOT NULL, action TEXT NOT NULL, from_state TEXT, to_state TEXT,"
	  "  url TEXT, message TEXT);"
	  "CREATE INDEX approval_audit_approval ON approval_audit (approval);" },
	/* scopes enforced: the upstream release a "major" approval was given at,
	 * the contribution that used up a "one" approval; approvals to a team */
	{ "approvals", 2,
	  "ALTER TABLE approvals ADD COLUMN upstream_version TEXT;"
	  "ALTER TABLE approvals ADD COLUMN used_by TEXT;"
	  "ALTER TABLE approvals ADD COLUMN used_at INTEGER NOT NULL DEFAULT 0;"
	  "ALTER TABLE approvals ADD COLUMN team TEXT COLLATE NOCASE;" },
	/* outbound commits as the approval check judged them, with what covered each */
	{ "approvals", 3,
	  "CREATE TABLE contributions ("
	  "  repository TEXT NOT NULL, commit_id TEXT NOT NULL, ref TEXT,"
	  "  upstream_repo TEXT NOT NULL COLLATE NOCASE, author TEXT, email TEXT COLLATE NOCASE,"
	  "  committed_at INTEGER NOT NULL, seen_at INTEGER NOT NULL, approval INTEGER,"
	  "  PRIMARY KEY (repository, commit_id));"
	  "CREATE INDEX contributions_time ON contributions (committed_at);" },
};

struct cl_approvals {
	sqlite3 *db;
};

int cl_approvals_open(struct cl_approvals **out, const char *path, int create)
{
	struct cl_db_options opts = CL_DB_OPTIONS_INIT;
	struct cl_approvals *store;
	int error;

	opts.create = create;
	if ((store = calloc(1, sizeof(*store))) == NULL)
		return cl_error_set("out of memory");
	if ((error = cl_db_open(&store->db, path, &opts, "approvals", approvals_schema,
			ARRAY_SIZE(approvals_schema))) < 0) {
		free(store);
		return error;
	}
	*out = store;
	return 0;
}

void cl_approvals_free(struct cl_approvals *store)
{
	if (!store)
		return;
	cl_db_close(store->db);
	free(store);
}

struct sqlite3 *cl_approvals_db(struct cl_approvals *store)
{
	return store->db;
}

/* ---- statement helpers ---------------------------------------------------- */

static int ap_prepare(sqlite3_stmt **st, struct cl_approvals *store, const char *sql)
{
	return cl_db_prepare(st, store->db, sql, "approvals store");
}


static int ap_step_done(struct cl_approvals *store, sqlite3_stmt *st)
{
	return cl_db_step_done(store->db, st, "approvals store");
}

static int ap_begin(struct cl_approvals *store)
{
	return cl_db_begin(store->db);
}

static int ap_end(struct cl_approvals *store, int error)
{
	return cl_db_end(store->db, error);
}

/*
 * Every change and its audit row commit together: a trail with a gap, or
 * a change without its row, would be worse than none.
 */
static int ap_audit(struct cl_approvals *store, int64_t id, const char *actor, const char *action,
	const char *from, const char *to, const char *url, const char *message, int64_t now)
{
	sqlite3_stmt *st = NULL;
	int error;

	if ((error = ap_prepare(&st, store, "INSERT INTO approval_audit (at, approval, actor, action, "
			"from_state, to_state, url, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")) < 0)
		return error;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, id);
	cl_db_bind_text(st, 3, actor && *actor ? actor : "unknown");
	cl_db_bind_text(st, 4, action);
	cl_db_bind_text(st, 5, from);
	cl_db_bind_text(st, 6, to);
	cl_db_bind_text(st, 7, url);
	cl_db_bind_text(st, 8, message);
	return ap_step_done(store, st);
}

/* ---- reading rows ------------------------------------------------------- */

#define AP_COLUMNS "id, state, requester, email, business_unit, upstream_url, upstream_host, " \
	"upstream_owner, upstream_repo, license, kind, expected_lines, cla, cla_document, " \
	"cla_signer, scope, size_limit, justification, forge, issue_repo, issue_number, issue_url, " \
	"decided_by, decided_at, decision_message, decision_url, pre_approved_by, expires_at, " \
	"warned_at, created_at, updated_at, upstream_version, used_by, used_at, team"

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Fill `a` from a row of AP_COLUMNS; strings borrowed from the statement. */
static void ap_row(struct cl_approval *a, sqlite3_stmt *st)
{
	int v;

	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(st, 0);
	if (cl_approval_state_parse(&a->state, col(st, 1)) < 0)
		CL_BUG("a stored approval state this program does not know");
	a->requester = col(st, 2);
	a->email = col(st, 3);
	a->business_unit = col(st, 4);
	a->upstream_url = col(st, 5);
	a->upstream_host = col(st, 6);
	a->upstream_owner = col(st, 7);
	a->upstream_repo = col(st, 8);
	a->license = col(st, 9);
	a->kind = col(st, 10);
	a->expected_lines = sqlite3_column_int64(st, 11);
	v = 0;
	if (parse_word(&v, col(st, 12), cla_names, CL_APPROVAL_CLA_COUNT, NULL, 0, "cla") < 0)
		cl_error_clear();
	a->cla = (enum cl_approval_cla)v;
	a->cla_document = col(st, 13);
	a->cla_signer = col(st, 14);
	v = 0;
	if (parse_word(&v, col(st, 15), scope_names, CL_SCOPE_COUNT, NULL, 0, "scope") < 0)
		cl_error_clear();
	a->scope = (enum cl_approval_scope)v;
	a->size_limit = sqlite3_column_int64(st, 16);
	a->justification = col(st, 17);
	a->forge = col(st, 18);
	a->issue_repo = col(st, 19);
	a->issue_number = sqlite3_column_int64(st, 20);
	a->issue_url = col(st, 21);
	a->decided_by = col(st, 22);
	a->decided_at = sqlite3_column_int64(st, 23);
	a->decision_message = col(st, 24);
	a->decision_url = col(st, 25);
	a->pre_approved_by = col(st, 26);
	a->expires_at = sqlite3_column_int64(st, 27);
	a->warned_at = sqlite3_column_int64(st, 28);
	a->created_at = sqlite3_column_int64(st, 29);
	a->updated_at = sqlite3_column_int64(st, 30);
	a->upstream_version = col(st, 31);
	a->used_by = col(st, 32);
	a->used_at = sqlite3_column_int64(st, 33);
	a->team = col(st, 34);
}

#define AP_STRINGS(a) { &(a)->requester, &(a)->email, &(a)->business_unit, &(a)->upstream_url, \
	&(a)->upstream_host, &(a)->upstream_owner, &(a)->upstream_repo, &(a)->license, &(a)->kind, \
	&(a)->cla_document, &(a)->cla_signer, &(a)->justification, &(a)->forge, &(a)->issue_repo, \
	&(a)->issue_url, &(a)->decided_by, &(a)->decision_message, &(a)->decision_url, \
	&(a)->pre_approved_by, &(a)->upstream_version, &(a)->used_by, &(a)->team }

void cl_approval_dispose(struct cl_approval *a)
{
	const char **strings[] = AP_STRINGS(a);
	size_t i;

	if (!a)
		return;
	for (i = 0; i < ARRAY_SIZE(strings); i++)
		free((char *)*strings[i]);
	memset(a, 0, sizeof(*a));
}

/* Make every borrowed string of `a` its own copy. */
static int ap_own(struct cl_approval *a)
{
	const char **strings[] = AP_STRINGS(a);
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(strings); i++) {
		if (*strings[i] && (*strings[i] = strdup(*strings[i])) == NULL) {
			for (j = i + 1; j < ARRAY_SIZE(strings); j++)
				*strings[j] = NULL;   /* still borrowed: not ours to free */
			cl_approval_dispose(a);
			return cl_error_set("out of memory");
		}
	}
	return 0;
}

static int ap_get_where(struct cl_approval *out, struct cl_approvals *store, const char *where,
	int64_t id, const char *forge, const char *repo, long long number)
{
	sqlite3_stmt *st = NULL;
	char sql[1024];
	int error, rc;

	snprintf(sql, sizeof(sql), "SELECT " AP_COLUMNS " FROM approvals WHERE %s", where);
	if ((error = ap_prepare(&st, store, sql)) < 0)
		return error;
	if (id)
		sqlite3_bind_int64(st, 1, id);
	else {
		cl_db_bind_text(st, 1, forge);
		cl_db_bind_text(st, 2, repo);
		sqlite3_bind_int64(st, 3, number);
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		struct cl_approval a;
		ap_row(&a, st);
		if ((error = ap_own(&a)) == 0)
			*out = a;
	} else if (rc == SQLITE_DONE) {
		error = id ? cl_error_setc(CL_ENOTFOUND, "no approval #%lld", (long long)id) :
			cl_error_setc(CL_ENOTFOUND, "no approval for %s#%lld", repo ? repo : "", number);
	} else {
		error = cl_error_from_sqlite(store->db, "approvals store");
	}
	sqlite3_finalize(st);
	return error;
}

int cl_approval_get(struct cl_approval *out, struct cl_approvals *store, int64_t id)
{
	return ap_get_where(out, store, "id = ?1", id, NULL, NULL, 0);
}

int cl_approval_find_issue(struct cl_approval *out, struct cl_approvals *store,
	const char *forge, const char *repo, long long number)
{
	if (number <= 0)
		return cl_error_setc(CL_ENOTFOUND, "no approval for issue %lld", number);
	return ap_get_where(out, store, "forge IS ?1 AND issue_repo = ?2 AND issue_number = ?3",
		0, forge, repo, number);
}

/* ---- requests ------------------------------------------------------------ */

static int same_text(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

/* Bind the request's own facts as ?1..?17 (see the statements below). */
static void bind_request(sqlite3_stmt *st, const struct cl_approval *r, const char *host,
	const char *owner, const char *repo)
{
	cl_db_bind_text(st, 1, r->requester);
	cl_db_bind_text(st, 2, r->email);
	cl_db_bind_text(st, 3, r->business_unit);
	cl_db_bind_text(st, 4, r->upstream_url);
	cl_db_bind_text(st, 5, host);
	cl_db_bind_text(st, 6, owner);
	cl_db_bind_text(st, 7, repo);
	cl_db_bind_text(st, 8, r->license);
	cl_db_bind_text(st, 9, r->kind);
	sqlite3_bind_int64(st, 10, r->expected_lines);
	cl_db_bind_text(st, 11, cl_approval_cla_name(r->cla));
	cl_db_bind_text(st, 12, r->cla_document);
	cl_db_bind_text(st, 13, r->cla_signer);
	cl_db_bind_text(st, 14, cl_approval_scope_name(r->scope));
	sqlite3_bind_int64(st, 15, r->size_limit);
	cl_db_bind_text(st, 16, r->justification);
	cl_db_bind_text(st, 17, r->issue_url);
}

int cl_approval_request(int64_t *id, int *created, struct cl_approvals *store,
	const struct cl_approval *r, const char *actor, const char *url, int64_t now)
{
	struct cl_approval old;
	sqlite3_stmt *st = NULL;
	char host[256], owner[256], repo[256];
	int error, have_old = 0;
	int64_t new_id;

	memset(&old, 0, sizeof(old));
	if (!r->upstream_url || !*r->upstream_url)
		return cl_error_setc(CL_EINVALID, "a request needs the upstream project's URL");
	if (!r->requester || !*r->requester)
		return cl_error_setc(CL_EINVALID, "a request needs its requester");
	if ((error = cl_approval_split_url(host, owner, repo, sizeof(host), r->upstream_url)) < 0)
		return error;
	if ((error = ap_begin(store)) < 0)
		return error;
	if (r->issue_number > 0) {
		error = cl_approval_find_issue(&old, store, r->forge, r->issue_repo, r->issue_number);
		if (error == 0)
			have_old = 1;
		else if (error != CL_ENOTFOUND)
			goto done;
		else
			cl_error_clear();
		error = 0;
	}
	if (!have_old) {
		if ((error = ap_prepare(&st, store, "INSERT INTO approvals (requester, email, "
				"business_unit, upstream_url, upstream_host, upstream_owner, upstream_repo, "
				"license, kind, expected_lines, cla, cla_document, cla_signer, scope, size_limit, "
				"justification, issue_url, forge, issue_repo, issue_number, state, created_at, "
				"updated_at, upstream_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
				"?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, 'requested', ?21, ?21, ?22)")) < 0)
			goto done;
		bind_request(st, r, host, owner, repo);
		cl_db_bind_text(st, 18, r->forge);
		cl_db_bind_text(st, 19, r->issue_repo);
		sqlite3_bind_int64(st, 20, r->issue_number > 0 ? r->issue_number : 0);
		sqlite3_bind_int64(st, 21, now);
		cl_db_bind_text(st, 22, r->upstream_version);
		if ((error = ap_step_done(store, st)) < 0)
			goto done;
		new_id = sqlite3_last_insert_rowid(store->db);
		if ((error = ap_audit(store, new_id, actor, "request", NULL, "requested", url,
				r->justification, now)) < 0)
			goto done;
		if (id)
			*id = new_id;
		if (created)
			*created = 1;
		goto done;
	}

	/* The issue was edited: same record, new facts. */
	{
		enum cl_approval_state to = old.state;
		int facts_changed = !same_text(old.upstream_url, r->upstream_url) ||
			!same_text(old.license, r->license) || old.scope != r->scope ||
			old.cla != r->cla || (old.size_limit && r->expected_lines > old.size_limit);

		if (old.state == CL_APPROVAL_NEEDS_INFO)
			to = CL_APPROVAL_REQUESTED;   /* the question was answered by editing */
		else if (old.state == CL_APPROVAL_APPROVED && facts_changed)
			to = CL_APPROVAL_NEEDS_RE_REVIEW;
		if ((error = ap_prepare(&st, store, "UPDATE approvals SET requester = ?1, email = ?2, "
				"business_unit = ?3, upstream_url = ?4, upstream_host = ?5, upstream_owner = ?6, "
				"upstream_repo = ?7, license = ?8, kind = ?9, expected_lines = ?10, cla = ?11, "
				"cla_document = ?12, cla_signer = ?13, scope = ?14, size_limit = ?15, "
				"justification = ?16, issue_url = COALESCE(?17, issue_url), state = ?18, "
				"updated_at = ?19, upstream_version = COALESCE(?21, upstream_version) WHERE id = ?20")) < 0)
			goto done;
		bind_request(st, r, host, owner, repo);
		/* an approval's granted scope and limit are the approver's, not the edit's */
		if (old.state == CL_APPROVAL_APPROVED || old.state == CL_APPROVAL_NEEDS_RE_REVIEW) {
			cl_db_bind_text(st, 14, cl_approval_scope_name(old.scope));
			sqlite3_bind_int64(st, 15, old.size_limit);
		}
		cl_db_bind_text(st, 18, cl_approval_state_name(to));
		sqlite3_bind_int64(st, 19, now);
		sqlite3_bind_int64(st, 20, old.id);
		cl_db_bind_text(st, 21, r->upstream_version);
		if ((error = ap_step_done(store, st)) < 0)
			goto done;
		if ((error = ap_audit(store, old.id, actor, "edit", cl_approval_state_name(old.state),
				cl_approval_state_name(to), url, to == CL_APPROVAL_NEEDS_RE_REVIEW ?
				"the request's facts changed after approval" : NULL, now)) < 0)
			goto done;
		if (id)
			*id = old.id;
		if (created)
			*created = 0;
	}
done:
	cl_approval_dispose(&old);
	return ap_end(store, error);
}

/* ---- transitions ---------------------------------------------------------- */

int cl_approval_can_move(enum cl_approval_state from, enum cl_approval_state to)
{
	/* moves[from] is the set of states `from` may move to. */
	static const unsigned int moves[CL_APPROVAL_STATE_COUNT] = {
		[CL_APPROVAL_REQUESTED] = 1u << CL_APPROVAL_APPROVED | 1u << CL_APPROVAL_DENIED |
			1u << CL_APPROVAL_NEEDS_INFO,
		[CL_APPROVAL_NEEDS_INFO] = 1u << CL_APPROVAL_REQUESTED | 1u << CL_APPROVAL_APPROVED |
			1u << CL_APPROVAL_DENIED,
		[CL_APPROVAL_APPROVED] = 1u << CL_APPROVAL_EXPIRED | 1u << CL_APPROVAL_REVOKED |
			1u << CL_APPROVAL_NEEDS_RE_REVIEW,
		[CL_APPROVAL_NEEDS_RE_REVIEW] = 1u << CL_APPROVAL_APPROVED | 1u << CL_APPROVAL_DENIED |
			1u << CL_APPROVAL_REVOKED,
		[CL_APPROVAL_DENIED] = 1u << CL_APPROVAL_APPROVED | 1u << CL_APPROVAL_REQUESTED,
		[CL_APPROVAL_EXPIRED] = 0,
		[CL_APPROVAL_REVOKED] = 0,
	};
	if ((unsigned)from >= CL_APPROVAL_STATE_COUNT || (unsigned)to >= CL_APPROVAL_STATE_COUNT)
		return 0;
	return (moves[from] >> to) & 1u;
}

static const char *action_of(enum cl_approval_state to)
{
	switch (to) {
	case CL_APPROVAL_REQUESTED: return "reopen";
	case CL_APPROVAL_APPROVED: return "approve";
	case CL_APPROVAL_DENIED: return "deny";
	case CL_APPROVAL_NEEDS_INFO: return "info";
	case CL_APPROVAL_EXPIRED: return "expire";
	case CL_APPROVAL_REVOKED: return "revoke";
	case CL_APPROVAL_NEEDS_RE_REVIEW: return "re-review";
	case CL_APPROVAL_STATE_COUNT: break;
	}
	CL_BUG("unknown approval state");
}

/* The move itself, inside the caller's transaction. */
static int ap_move(struct cl_approvals *store, int64_t id, enum cl_approval_state to,
	const struct cl_approval_decision *d, int64_t default_expiry, int64_t now)
{
	struct cl_approval old;
	sqlite3_stmt *st = NULL;
	int error, decides = to == CL_APPROVAL_APPROVED || to == CL_APPROVAL_DENIED ||
		to == CL_APPROVAL_REVOKED;

	if ((error = cl_approval_get(&old, store, id)) < 0)
		return error;
	if (!cl_approval_can_move(old.state, to)) {
		error = cl_error_setc(CL_EINVALID, "approval #%lld is %s; it cannot become %s",
			(long long)id, cl_approval_state_name(old.state), cl_approval_state_name(to));
		goto done;
	}
	if ((error = ap_prepare(&st, store, "UPDATE approvals SET state = ?2, updated_at = ?3, "
			"decided_by = CASE WHEN ?4 THEN ?5 ELSE decided_by END, "
			"decided_at = CASE WHEN ?4 THEN ?3 ELSE decided_at END, "
			"decision_message = CASE WHEN ?4 THEN ?6 ELSE decision_message END, "
			"decision_url = CASE WHEN ?4 THEN ?7 ELSE decision_url END, "
			"scope = COALESCE(?8, scope), "
			"size_limit = CASE WHEN ?9 > 0 THEN ?9 ELSE size_limit END, "
			"expires_at = CASE WHEN ?2 = 'approved' THEN ?10 ELSE expires_at END, "
			"warned_at = CASE WHEN ?2 = 'approved' THEN 0 ELSE warned_at END, "
			"pre_approved_by = CASE WHEN ?2 = 'approved' THEN ?11 ELSE pre_approved_by END, "
			"team = CASE WHEN ?2 = 'approved' THEN COALESCE(?12, team) ELSE team END, "
			"cla_signer = CASE WHEN ?2 = 'approved' THEN COALESCE(?13, cla_signer) "
			"  ELSE cla_signer END "
			"WHERE id = ?1")) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, id);
	cl_db_bind_text(st, 2, cl_approval_state_name(to));
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int(st, 4, decides);
	cl_db_bind_text(st, 5, d->actor && *d->actor ? d->actor : "unknown");
	cl_db_bind_text(st, 6, d->message);
	cl_db_bind_text(st, 7, d->url);
	if (d->has_scope && to == CL_APPROVAL_APPROVED)
		cl_db_bind_text(st, 8, cl_approval_scope_name(d->scope));
	sqlite3_bind_int64(st, 9, to == CL_APPROVAL_APPROVED ? d->size_limit : 0);
	sqlite3_bind_int64(st, 10, d->expires_at ? d->expires_at : now + default_expiry);
	cl_db_bind_text(st, 11, d->rule);
	cl_db_bind_text(st, 12, d->team);
	cl_db_bind_text(st, 13, d->cla_signer);
	if ((error = ap_step_done(store, st)) < 0)
		goto done;
	error = ap_audit(store, id, d->actor, d->rule ? "pre-approve" : action_of(to),
		cl_approval_state_name(old.state), cl_approval_state_name(to), d->url, d->message, now);
done:
	cl_approval_dispose(&old);
	return error;
}

int cl_approval_transition(struct cl_approvals *store, int64_t id, enum cl_approval_state to,
	const struct cl_approval_decision *d, int64_t default_expiry, int64_t now)
{
	int error;

	if (d->expires_at && d->expires_at <= now && to == CL_APPROVAL_APPROVED)
		return cl_error_setc(CL_EINVALID, "an approval cannot expire before it is given");
	if ((to == CL_APPROVAL_DENIED || to == CL_APPROVAL_REVOKED || to == CL_APPROVAL_NEEDS_INFO) &&
	    !(d->message && *d->message))
		return cl_error_setc(CL_EINVALID, "%s needs a %s", action_of(to),
			to == CL_APPROVAL_NEEDS_INFO ? "question" : "reason");
	if ((error = ap_begin(store)) < 0)
		return error;
	error = ap_move(store, id, to, d, default_expiry, now);
	return ap_end(store, error);
}

/* ---- listings ------------------------------------------------------------ */

int cl_approvals_foreach(struct cl_approvals *store, int state, cl_approval_cb cb, void *payload)
{
	sqlite3_stmt *st = NULL;
	int error, rc;

	if ((error = ap_prepare(&st, store, "SELECT " AP_COLUMNS " FROM approvals "
			"WHERE ?1 IS NULL OR state = ?1 ORDER BY id")) < 0)
		return error;
	if (state >= 0)
		cl_db_bind_text(st, 1, cl_approval_state_name((enum cl_approval_state)state));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cl_approval a;
		ap_row(&a, st);
		if ((error = cb(&a, payload)) != 0)
			break;
	}
	if (error == 0 && rc != SQLITE_DONE)
		error = cl_error_from_sqlite(store->db, "approvals store");
	sqlite3_finalize(st);
	return error;
}

int cl_approvals_audit_foreach(struct cl_approvals *store, int64_t id, cl_approval_audit_cb cb,
	void *payload)
{
	sqlite3_stmt *st = NULL;
	int error, rc;

	if ((error = ap_prepare(&st, store, "SELECT at, approval, actor, action, from_state, to_state, "
			"url, message FROM approval_audit WHERE ?1 = 0 OR approval = ?1 ORDER BY id")) < 0)
		return error;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((error = cb(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), col(st, 2),
				col(st, 3), col(st, 4), col(st, 5), col(st, 6), col(st, 7), payload)) != 0)
			break;
	if (error == 0 && rc != SQLITE_DONE)
		error = cl_error_from_sqlite(store->db, "approvals store");
	sqlite3_finalize(st);
	return error;
}

int cl_approval_covering(int64_t *id, struct cl_approvals *store, const char *email,
	const char *repo, int64_t when, const char *use, int fork_major, char *const *teams,
	size_t team_count)
{
	sqlite3_stmt *st = NULL;
	struct cl_buf list = CL_BUF_INIT;
	size_t i;
	int error, rc;

	/* "\norg/a\norg/b\n": one parameter, so the statement stays fixed whatever the count */
	cl_buf_init(&list, 0);
	if ((error = cl_buf_puts(&list, "\n")) < 0)
		goto done;
	for (i = 0; i < team_count; i++) {
		if ((error = cl_buf_printf(&list, "%s\n", teams[i])) < 0)
			goto done;
	}
	for (i = 0; list.ptr[i]; i++)
		list.ptr[i] = (char)tolower((unsigned char)list.ptr[i]);

	/*
	 * CAST takes the leading integer of "v2.3.1" once the 'v' is gone, so
	 * the recorded version's major needs no parsing of its own here.
	 */
	if ((error = ap_prepare(&st, store, "SELECT id FROM approvals WHERE state = 'approved' AND "
			"(email = ?1 OR (team IS NOT NULL AND "
			"  instr(?6, char(10) || lower(team) || char(10)) > 0)) AND "
			"upstream_repo = ?2 AND decided_at <= ?3 AND "
			"(expires_at = 0 OR expires_at > ?3) AND "
			"(scope <> 'one' OR used_by IS NULL OR ?4 IS NULL OR used_by = ?4) AND "
			"(scope <> 'major' OR ?5 < 0 OR upstream_version IS NULL OR "
			" CAST(ltrim(upstream_version, 'vV') AS INTEGER) >= ?5) "
			"ORDER BY decided_at DESC, id DESC LIMIT 1")) < 0)
		goto done;
	cl_db_bind_text(st, 1, email);
	cl_db_bind_text(st, 2, repo);
	sqlite3_bind_int64(st, 3, when);
	cl_db_bind_text(st, 4, use);
	sqlite3_bind_int(st, 5, fork_major);
	sqlite3_bind_text(st, 6, list.ptr, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		error = cl_error_setc(CL_ENOTFOUND, "no approval covers '%s' for '%s'",
			email ? email : "", repo ? repo : "");
	else
		error = cl_error_from_sqlite(store->db, "approvals store");
done:
	sqlite3_finalize(st);
	cl_buf_dispose(&list);
	return error;
}

int cl_approval_teams_foreach(struct cl_approvals *store, const char *repo, int64_t when,
	int (*cb)(const char *team, void *payload), void *payload)
{
	sqlite3_stmt *st = NULL;
	int error, rc;

	if ((error = ap_prepare(&st, store, "SELECT DISTINCT lower(team) FROM approvals WHERE "
			"state = 'approved' AND team IS NOT NULL AND upstream_repo = ?1 AND "
			"decided_at <= ?2 AND (expires_at = 0 OR expires_at > ?2) ORDER BY 1")) < 0)
		return error;
	cl_db_bind_text(st, 1, repo);
	sqlite3_bind_int64(st, 2, when);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((error = cb(col(st, 0), payload)) != 0)
			break;
	if (error == 0 && rc != SQLITE_DONE)
		error = cl_error_from_sqlite(store->db, "approvals store");
	sqlite3_finalize(st);
	return error;
}

int cl_approval_use(struct cl_approvals *store, int64_t id, const char *use,
	const char *commit, int64_t now)
{
	sqlite3_stmt *st = NULL;
	char message[512];
	int error;

	if ((error = ap_begin(store)) < 0)
		return error;
	/* only the first contribution claims it; the same one coming back changes nothing */
	if ((error = ap_prepare(&st, store, "UPDATE approvals SET used_by = ?1, used_at = ?2, "
			"updated_at = ?2 WHERE id = ?3 AND scope = 'one' AND used_by IS NULL")) < 0)
		goto done;
	cl_db_bind_text(st, 1, use);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	if ((error = ap_step_done(store, st)) < 0 || sqlite3_changes(store->db) == 0)
		goto done;
	snprintf(message, sizeof(message), "used by %s (commit %s)", use, commit ? commit : "?");
	error = ap_audit(store, id, "clearance", "used", "approved", "approved", NULL, message, now);
done:
	return ap_end(store, error);
}

int cl_approval_contribution_record(struct cl_approvals *store,
	const struct cl_contribution *c)
{
	sqlite3_stmt *st = NULL;
	int error;

	if ((error = ap_begin(store)) < 0)
		return error;
	/*
	 * Seen again (a pull request reviewed once more, post-receive after
	 * pre-receive): the first sighting stands, except that a commit once
	 * seen uncovered and now covered keeps the approval that covers it.
	 */
	if ((error = ap_prepare(&st, store, "INSERT INTO contributions (repository, commit_id, ref, "
			"upstream_repo, author, email, committed_at, seen_at, approval) VALUES "
			"(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (repository, commit_id) DO UPDATE "
			"SET approval = excluded.approval WHERE contributions.approval IS NULL")) < 0)
		goto done;
	cl_db_bind_text(st, 1, c->repository);
	cl_db_bind_text(st, 2, c->commit);
	cl_db_bind_text(st, 3, c->ref);
	cl_db_bind_text(st, 4, c->upstream_repo);
	cl_db_bind_text(st, 5, c->author);
	cl_db_bind_text(st, 6, c->email);
	sqlite3_bind_int64(st, 7, c->committed_at);
	sqlite3_bind_int64(st, 8, c->seen_at);
	if (c->approval > 0)
		sqlite3_bind_int64(st, 9, c->approval);
	else
		sqlite3_bind_null(st, 9);
	error = ap_step_done(store, st);
done:
	return ap_end(store, error);
}

/* ---- the sweep ------------------------------------------------------------ */

/* Ids of approved records due for `what`, at most `max`. */
static int due_ids(int64_t *ids, size_t max, size_t *count, struct cl_approvals *store,
	enum cl_approval_due what, int64_t now, int64_t warn_seconds, const char *forge)
{
	sqlite3_stmt *st = NULL;
	int error, rc;

	*count = 0;
	if ((error = ap_prepare(&st, store, what == CL_APPROVAL_DUE_EXPIRED ?
			"SELECT id FROM approvals WHERE state = 'approved' AND expires_at > 0 AND "
			"expires_at <= ?1 AND (?4 IS NULL OR forge IS NULL OR forge = ?4) "
			"ORDER BY id LIMIT ?3" :
			"SELECT id FROM approvals WHERE state = 'approved' AND expires_at > ?1 AND "
			"expires_at <= ?1 + ?2 AND warned_at = 0 AND (?4 IS NULL OR forge IS NULL OR "
			"forge = ?4) ORDER BY id LIMIT ?3")) < 0)
		return error;
	cl_db_bind_text(st, 4, forge);
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, warn_seconds);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		ids[(*count)++] = sqlite3_column_int64(st, 0);
	if (rc != SQLITE_DONE)
		error = cl_error_from_sqlite(store->db, "approvals store");
	sqlite3_finalize(st);
	return error;
}

/*
 * Claim one due record: the UPDATE's WHERE repeats the condition, so of
 * several sweeps running at once exactly one changes the row (and reports it).
 * @return 1 claimed, 0 someone else did, < 0 error
 */
static int claim(struct cl_approvals *store, int64_t id, enum cl_approval_due what, int64_t now,
	int64_t warn_seconds)
{
	sqlite3_stmt *st = NULL;
	int error, changed;

	if ((error = ap_begin(store)) < 0)
		return error;
	if ((error = ap_prepare(&st, store, what == CL_APPROVAL_DUE_EXPIRED ?
			"UPDATE approvals SET state = 'expired', updated_at = ?2 WHERE id = ?1 AND "
			"state = 'approved' AND expires_at > 0 AND expires_at <= ?2" :
			"UPDATE approvals SET warned_at = ?2, updated_at = ?2 WHERE id = ?1 AND "
			"state = 'approved' AND warned_at = 0 AND expires_at > ?2 AND expires_at <= ?2 + ?3")) < 0)
		return ap_end(store, error);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	if (what == CL_APPROVAL_DUE_WARN)
		sqlite3_bind_int64(st, 3, warn_seconds);
	if ((error = ap_step_done(store, st)) < 0)
		return ap_end(store, error);
	changed = sqlite3_changes(store->db);
	if (changed && (error = ap_audit(store, id, "clearance", what == CL_APPROVAL_DUE_EXPIRED ?
			"expire" : "warn", "approved", what == CL_APPROVAL_DUE_EXPIRED ? "expired" :
			"approved", NULL, what == CL_APPROVAL_DUE_EXPIRED ? "the approval expired" :
			"the requester was told the approval expires soon", now)) < 0)
		return ap_end(store, error);
	if ((error = ap_end(store, 0)) < 0)
		return error;
	return changed ? 1 : 0;
}

#define SWEEP_BATCH 64

int cl_approvals_sweep(struct cl_approvals *store, int64_t now, int64_t warn_seconds,
	const char *forge, cl_approval_due_cb cb, void *payload)
{
	int64_t ids[SWEEP_BATCH];
	size_t count, i;
	int error, first = 0, what;

	/* Expire first: an approval past its date is not warned about. */
	for (what = CL_APPROVAL_DUE_EXPIRED; what <= CL_APPROVAL_DUE_WARN; what++) {
		do {
			if ((error = due_ids(ids, SWEEP_BATCH, &count, store, (enum cl_approval_due)what,
					now, warn_seconds, forge)) < 0)
				return error;
			for (i = 0; i < count; i++) {
				struct cl_approval a;
				int rc = claim(store, ids[i], (enum cl_approval_due)what, now, warn_seconds);
				if (rc < 0)
					return rc;
				if (rc == 0 || !cb)
					continue;
				if ((error = cl_approval_get(&a, store, ids[i])) < 0)
					return error;
				rc = cb(&a, (enum cl_approval_due)what, payload);
				cl_approval_dispose(&a);
				if (rc < 0 && first == 0)
					first = rc;
			}
		} while (count == SWEEP_BATCH);
	}
	return first;
}

/* ---- upstream URLs ------------------------------------------------------- */

static int url_part(char *dst, size_t size, const char *from, size_t len)
{
	static const char allowed[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		"0123456789._-~";
	size_t i;

	if (len == 0 || len >= size)
		return -1;
	for (i = 0; i < len; i++)
		if (!strchr(allowed, from[i]) || from[i] == '\0')
			return -1;
	memcpy(dst, from, len);
	dst[len] = '\0';
	return 0;
}

int cl_approval_split_url(char *host, char *owner, char *repo, size_t size, const char *url)
{
	const char *p = url, *slash, *end;
	size_t len;

	if (!strncmp(p, "https://", 8))
		p += 8;
	else if (!strncmp(p, "http://", 7))
		p += 7;
	else if (!strncmp(p, "git@", 4) && strchr(p, ':'))
		p += 4;
	else
		return cl_error_setc(CL_EINVALID, "'%.80s' is not an https:// URL of a repository", url);
	len = strcspn(p, "/:");
	if (url_part(host, size, p, len) < 0 || !strchr(host, '.'))
		return cl_error_setc(CL_EINVALID, "'%.80s' has no host name", url);
	p += len;
	if (*p != '/' && *p != ':')
		return cl_error_setc(CL_EINVALID, "'%.80s' names no owner/repository", url);
	p++;
	if (!(slash = strchr(p, '/')) || url_part(owner, size, p, (size_t)(slash - p)) < 0)
		return cl_error_setc(CL_EINVALID, "'%.80s' names no owner/repository", url);
	p = slash + 1;
	end = p + strcspn(p, "/?#");
	len = (size_t)(end - p);
	if (len > 4 && !strncmp(end - 4, ".git", 4))
		len -= 4;
	if (url_part(repo, size, p, len) < 0)
		return cl_error_setc(CL_EINVALID, "'%.80s' names no owner/repository", url);
	return 0;
}
