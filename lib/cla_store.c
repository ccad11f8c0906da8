/*
 * cla_store.c - CLA agreements, signatures, corporate lists and audit rows.
 *
 * Divisions: schema; small statement helpers; agreements; signing and
 * revoking; corporate lists; coverage; listings.
 */
#include "cla_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "db.h"
#include "error.h"

static const struct cl_db_migration cla_schema[] = {
	{ "cla", 1,
	  "CREATE TABLE cla_agreements ("
	  "  id TEXT NOT NULL, version TEXT NOT NULL, title TEXT, url TEXT,"
	  "  kind TEXT NOT NULL CHECK (kind IN ('individual', 'corporate')),"
	  "  created_at INTEGER NOT NULL, PRIMARY KEY (id, version));"
	  "CREATE TABLE cla_signatures ("
	  "  id INTEGER PRIMARY KEY, agreement TEXT NOT NULL, version TEXT NOT NULL,"
	  "  kind TEXT NOT NULL, login TEXT COLLATE NOCASE, email TEXT COLLATE NOCASE, name TEXT,"
	  "  company TEXT, manager TEXT, method TEXT NOT NULL, evidence TEXT,"
	  "  signed_at INTEGER NOT NULL, revoked_at INTEGER NOT NULL DEFAULT 0,"
	  "  revoked_by TEXT, revoke_reason TEXT,"
	  "  FOREIGN KEY (agreement, version) REFERENCES cla_agreements (id, version));"
	  "CREATE INDEX cla_signatures_login ON cla_signatures (login);"
	  "CREATE INDEX cla_signatures_email ON cla_signatures (email);"
	  "CREATE TABLE cla_domains ("
	  "  signature INTEGER NOT NULL REFERENCES cla_signatures (id),"
	  "  domain TEXT NOT NULL COLLATE NOCASE, added_at INTEGER NOT NULL,"
	  "  PRIMARY KEY (signature, domain));"
	  "CREATE TABLE cla_people ("
	  "  signature INTEGER NOT NULL REFERENCES cla_signatures (id),"
	  "  login TEXT COLLATE NOCASE, email TEXT COLLATE NOCASE,"
	  "  added_at INTEGER NOT NULL, removed_at INTEGER NOT NULL DEFAULT 0);"
	  "CREATE INDEX cla_people_signature ON cla_people (signature);"
	  "CREATE TABLE cla_audit ("
	  "  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL,"
	  "  action TEXT NOT NULL, signature INTEGER NOT NULL DEFAULT 0, detail TEXT);" },
};

struct cl_cla_store {
	sqlite3 *db;
};

int cl_cla_store_open(struct cl_cla_store **out, const char *path, int create)
{
	struct cl_db_options opts = CL_DB_OPTIONS_INIT;
	struct cl_cla_store *store;
	int error;

	opts.create = create;
	store = calloc(1, sizeof(*store));
	if (!store)
		return cl_error_set("out of memory");
	if ((error = cl_db_open(&store->db, path, &opts, "cla", cla_schema,
			sizeof(cla_schema) / sizeof(cla_schema[0]))) < 0) {
		free(store);
		return error;
	}
	*out = store;
	return 0;
}

void cl_cla_store_free(struct cl_cla_store *store)
{
	if (!store)
		return;
	cl_db_close(store->db);
	free(store);
}

/* ---- statement helpers ------------------------------------------------- */

static int cla_prepare(sqlite3_stmt **st, struct cl_cla_store *store, const char *sql)
{
	return cl_db_prepare(st, store->db, sql, "cla store");
}


static int cla_step_done(struct cl_cla_store *store, sqlite3_stmt *st)
{
	return cl_db_step_done(store->db, st, "cla store");
}

static const char *kind_text(enum cl_cla_kind kind)
{
	return kind == CL_CLA_CORPORATE ? "corporate" : "individual";
}

static enum cl_cla_kind kind_parse(const unsigned char *s)
{
	return s && strcmp((const char *)s, "corporate") == 0 ? CL_CLA_CORPORATE : CL_CLA_INDIVIDUAL;
}

/*
 * Every change and its audit row commit together: an audit trail with a
 * gap, or a change without its row, would be worse than none.
 */
static int cla_audit(struct cl_cla_store *store, const char *actor, const char *action,
	int64_t signature, json_t *detail)
{
	sqlite3_stmt *st = NULL;
	char *text = NULL;
	int error;

	if (detail && !(text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS)))
		return cl_error_set("out of memory");
	if ((error = cla_prepare(&st, store, "INSERT INTO cla_audit (at, actor, action, signature, "
			"detail) VALUES (?1, ?2, ?3, ?4, ?5)")) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)time(NULL));
	cl_db_bind_text(st, 2, actor && *actor ? actor : "unknown");
	cl_db_bind_text(st, 3, action);
	sqlite3_bind_int64(st, 4, signature);
	cl_db_bind_text(st, 5, text);
	error = cla_step_done(store, st);
done:
	free(text);
	return error;
}

static int cla_begin(struct cl_cla_store *store)
{
	return cl_db_begin(store->db);
}

static int cla_end(struct cl_cla_store *store, int error)
{
	return cl_db_end(store->db, error);
}

/* ---- agreements ---------------------------------------------------------- */

int cl_cla_agreement_put(struct cl_cla_store *store, const struct cl_cla_agreement *a,
	const char *actor)
{
	sqlite3_stmt *st = NULL;
	json_t *detail = NULL;
	int error;

	if (!a->id || !*a->id || !a->version || !*a->version)
		return cl_error_setc(CL_EINVALID, "an agreement needs an id and a version");
	if ((error = cla_begin(store)) < 0)
		return error;
	if ((error = cla_prepare(&st, store, "INSERT INTO cla_agreements "
			"(id, version, title, url, kind, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
			"ON CONFLICT (id, version) DO UPDATE SET title = ?3, url = ?4 "
			"WHERE kind = ?5")) < 0)
		goto done;
	cl_db_bind_text(st, 1, a->id);
	cl_db_bind_text(st, 2, a->version);
	cl_db_bind_text(st, 3, a->title);
	cl_db_bind_text(st, 4, a->url);
	cl_db_bind_text(st, 5, kind_text(a->kind));
	sqlite3_bind_int64(st, 6, (sqlite3_int64)time(NULL));
	if ((error = cla_step_done(store, st)) < 0)
		goto done;
	if (sqlite3_changes(store->db) == 0) {
		error = cl_error_setc(CL_EINVALID, "agreement '%s' version '%s' exists as %s",
			a->id, a->version, a->kind == CL_CLA_CORPORATE ? "individual" : "corporate");
		goto done;
	}
	detail = json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "agreement", a->id, "version", a->version,
		"kind", kind_text(a->kind), "title", a->title, "url", a->url);
	error = cla_audit(store, actor, "agreement", 0, detail);
done:
	json_decref(detail);
	return cla_end(store, error);
}

static int copy_into(const char **out, char **pos, char *end, const unsigned char *s)
{
	size_t len;

	if (!s) {
		*out = NULL;
		return 0;
	}
	len = strlen((const char *)s);
	if ((size_t)(end - *pos) < len + 1)
		return cl_error_set("agreement text too long");
	memcpy(*pos, s, len + 1);
	*out = *pos;
	*pos += len + 1;
	return 0;
}

int cl_cla_agreement_get(struct cl_cla_agreement *out, char *buf, size_t size,
	struct cl_cla_store *store, const char *id, const char *version)
{
	sqlite3_stmt *st = NULL;
	char *pos = buf, *end = buf + size;
	int error, rc;

	if ((error = cla_prepare(&st, store, "SELECT id, version, title, url, kind "
			"FROM cla_agreements WHERE id = ?1 AND version = ?2")) < 0)
		return error;
	cl_db_bind_text(st, 1, id);
	cl_db_bind_text(st, 2, version);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		error = cl_error_setc(CL_ENOTFOUND, "no agreement '%s' version '%s'", id, version);
	} else if (rc != SQLITE_ROW) {
		error = cl_error_from_sqlite(store->db, "cla store");
	} else if ((error = copy_into(&out->id, &pos, end, sqlite3_column_text(st, 0))) == 0 &&
		   (error = copy_into(&out->version, &pos, end, sqlite3_column_text(st, 1))) == 0 &&
		   (error = copy_into(&out->title, &pos, end, sqlite3_column_text(st, 2))) == 0 &&
		   (error = copy_into(&out->url, &pos, end, sqlite3_column_text(st, 3))) == 0) {
		out->kind = kind_parse(sqlite3_column_text(st, 4));
	}
	sqlite3_finalize(st);
	return error;
}

/* ---- signing and revoking ------------------------------------------------ */

static int agreement_kind(enum cl_cla_kind *out, struct cl_cla_store *store, const char *id,
	const char *version)
{
	sqlite3_stmt *st = NULL;
	int error, rc;

	if ((error = cla_prepare(&st, store,
			"SELECT kind FROM cla_agreements WHERE id = ?1 AND version = ?2")) < 0)
		return error;
	cl_db_bind_text(st, 1, id);
	cl_db_bind_text(st, 2, version);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = kind_parse(sqlite3_column_text(st, 0));
	else if (rc == SQLITE_DONE)
		error = cl_error_setc(CL_EINVALID, "unknown agreement '%s' version '%s' "
			"(hint: clearance cla agreement add)", id ? id : "", version ? version : "");
	else
		error = cl_error_from_sqlite(store->db, "cla store");
	sqlite3_finalize(st);
	return error;
}

/* An in-force signature of this version by the same signer, or the very
 * same signing event (same signed_at), if any. */
static int find_existing(int64_t *out, struct cl_cla_store *store, const struct cl_cla_signature *s)
{
	sqlite3_stmt *st = NULL;
	int error, rc;

	if ((error = cla_prepare(&st, store, s->kind == CL_CLA_CORPORATE ?
			"SELECT id FROM cla_signatures WHERE agreement = ?1 AND version = ?2 "
			"AND (revoked_at = 0 OR signed_at = ?6) AND company = ?3 COLLATE NOCASE" :
			"SELECT id FROM cla_signatures WHERE agreement = ?1 AND version = ?2 "
			"AND (revoked_at = 0 OR signed_at = ?6) AND ((?4 IS NOT NULL AND login = ?4) OR "
			"(?5 IS NOT NULL AND email = ?5))")) < 0)
		return error;
	cl_db_bind_text(st, 1, s->agreement);
	cl_db_bind_text(st, 2, s->version);
	/* A given signing time names one signing event: importing it twice, even
	 * once it was revoked, must not make a second signature. */
	if (s->signed_at)
		sqlite3_bind_int64(st, 6, s->signed_at);
	if (s->kind == CL_CLA_CORPORATE) {
		cl_db_bind_text(st, 3, s->company);
	} else {
		cl_db_bind_text(st, 4, s->login);
		cl_db_bind_text(st, 5, s->email);
	}
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		error = CL_ENOTFOUND;
	else
		error = cl_error_from_sqlite(store->db, "cla store");
	sqlite3_finalize(st);
	return error;
}

int cl_cla_sign(int64_t *id, struct cl_cla_store *store, const struct cl_cla_signature *s,
	const char *actor)
{
	enum cl_cla_kind kind = CL_CLA_INDIVIDUAL;
	sqlite3_stmt *st = NULL;
	json_t *detail = NULL;
	int64_t existing = 0, new_id;
	int error;

	if (s->kind == CL_CLA_INDIVIDUAL && !(s->login && *s->login) && !(s->email && *s->email))
		return cl_error_setc(CL_EINVALID, "an individual signature needs a login or an email");
	if (s->kind == CL_CLA_CORPORATE && !(s->company && *s->company))
		return cl_error_setc(CL_EINVALID, "a corporate signature needs a company");
	if ((error = cla_begin(store)) < 0)
		return error;
	if ((error = agreement_kind(&kind, store, s->agreement, s->version)) < 0)
		goto done;
	if (kind != s->kind) {
		error = cl_error_setc(CL_EINVALID, "agreement '%s' is %s, not %s", s->agreement,
			kind_text(kind), kind_text(s->kind));
		goto done;
	}
	error = find_existing(&existing, store, s);
	if (error == 0) {
		if (id)
			*id = existing;
		error = cl_error_setc(CL_EEXISTS, "already signed: signature #%lld",
			(long long)existing);
		goto done;
	}
	if (error != CL_ENOTFOUND)
		goto done;
	if ((error = cla_prepare(&st, store, "INSERT INTO cla_signatures (agreement, version, "
			"kind, login, email, name, company, manager, method, evidence, signed_at) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")) < 0)
		goto done;
	cl_db_bind_text(st, 1, s->agreement);
	cl_db_bind_text(st, 2, s->version);
	cl_db_bind_text(st, 3, kind_text(s->kind));
	cl_db_bind_text(st, 4, s->login);
	cl_db_bind_text(st, 5, s->email);
	cl_db_bind_text(st, 6, s->name);
	cl_db_bind_text(st, 7, s->company);
	cl_db_bind_text(st, 8, s->manager);
	cl_db_bind_text(st, 9, s->method && *s->method ? s->method : "api");
	cl_db_bind_text(st, 10, s->evidence);
	sqlite3_bind_int64(st, 11, s->signed_at ? s->signed_at : (sqlite3_int64)time(NULL));
	if ((error = cla_step_done(store, st)) < 0)
		goto done;
	new_id = sqlite3_last_insert_rowid(store->db);
	detail = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?}", "agreement", s->agreement,
		"version", s->version, "kind", kind_text(s->kind), "login", s->login, "email", s->email,
		"company", s->company, "method", s->method, "evidence", s->evidence);
	if ((error = cla_audit(store, actor, "sign", new_id, detail)) < 0)
		goto done;
	if (id)
		*id = new_id;
done:
	json_decref(detail);
	return cla_end(store, error);
}

/* The signature's kind and whether it is in force. */
static int signature_state(enum cl_cla_kind *kind, int *revoked, struct cl_cla_store *store,
	int64_t id)
{
	sqlite3_stmt *st = NULL;
	int error, rc;

	if ((error = cla_prepare(&st, store,
			"SELECT kind, revoked_at FROM cla_signatures WHERE id = ?1")) < 0)
		return error;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*kind = kind_parse(sqlite3_column_text(st, 0));
		*revoked = sqlite3_column_int64(st, 1) != 0;
	} else if (rc == SQLITE_DONE) {
		error = cl_error_setc(CL_ENOTFOUND, "no signature #%lld", (long long)id);
	} else {
		error = cl_error_from_sqlite(store->db, "cla store");
	}
	sqlite3_finalize(st);
	return error;
}

int cl_cla_revoke(struct cl_cla_store *store, int64_t id, const char *actor, const char *reason)
{
	enum cl_cla_kind kind = CL_CLA_INDIVIDUAL;
	sqlite3_stmt *st = NULL;
	json_t *detail = NULL;
	int revoked = 0, error;

	if (!reason || !*reason)
		return cl_error_setc(CL_EINVALID, "revoking a signature needs a reason");
	if ((error = cla_begin(store)) < 0)
		return error;
	if ((error = signature_state(&kind, &revoked, store, id)) < 0)
		goto done;
	if (revoked) {
		error = cl_error_setc(CL_EINVALID, "signature #%lld is already revoked", (long long)id);
		goto done;
	}
	if ((error = cla_prepare(&st, store, "UPDATE cla_signatures SET revoked_at = ?2, "
			"revoked_by = ?3, revoke_reason = ?4 WHERE id = ?1")) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
	cl_db_bind_text(st, 3, actor && *actor ? actor : "unknown");
	cl_db_bind_text(st, 4, reason);
	if ((error = cla_step_done(store, st)) < 0)
		goto done;
	detail = json_pack("{s:s}", "reason", reason);
	error = cla_audit(store, actor, "revoke", id, detail);
done:
	json_decref(detail);
	return cla_end(store, error);
}

/* ---- corporate lists ----------------------------------------------------- */

static int corporate_in_force(struct cl_cla_store *store, int64_t id)
{
	enum cl_cla_kind kind = CL_CLA_INDIVIDUAL;
	int revoked = 0, error;

	if ((error = signature_state(&kind, &revoked, store, id)) < 0)
		return error;
	if (kind != CL_CLA_CORPORATE)
		return cl_error_setc(CL_EINVALID, "signature #%lld is not a corporate signature",
			(long long)id);
	if (revoked)
		return cl_error_setc(CL_EINVALID, "signature #%lld is revoked", (long long)id);
	return 0;
}

static int domain_valid(const char *d)
{
	const char *p = d;
	int dots = 0;

	if (strncmp(p, "*.", 2) == 0)
		p += 2;
	if (!*p || *p == '.' || *p == '-')
		return 0;
	for (; *p; p++) {
		if (*p == '.') {
			if (p[1] == '.' || p[1] == '\0')
				return 0;
			dots++;
		} else if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			     (*p >= '0' && *p <= '9') || *p == '-')) {
			return 0;
		}
	}
	return dots > 0;
}

int cl_cla_company_add_domain(struct cl_cla_store *store, int64_t id, const char *domain,
	const char *actor)
{
	sqlite3_stmt *st = NULL;
	json_t *detail = NULL;
	int error;

	if (!domain || !domain_valid(domain))
		return cl_error_setc(CL_EINVALID, "'%s' is not a domain (hint: example.com or "
			"*.example.com)", domain ? domain : "");
	if ((error = cla_begin(store)) < 0)
		return error;
	if ((error = corporate_in_force(store, id)) < 0)
		goto done;
	if ((error = cla_prepare(&st, store, "INSERT OR IGNORE INTO cla_domains "
			"(signature, domain, added_at) VALUES (?1, ?2, ?3)")) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, id);
	cl_db_bind_text(st, 2, domain);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
	if ((error = cla_step_done(store, st)) < 0)
		goto done;
	if (sqlite3_changes(store->db) == 0)
		goto done;   /* already listed: nothing changed, nothing to audit */
	detail = json_pack("{s:s}", "domain", domain);
	error = cla_audit(store, actor, "add-domain", id, detail);
done:
	json_decref(detail);
	return cla_end(store, error);
}

int cl_cla_company_add_person(struct cl_cla_store *store, int64_t id, const char *login,
	const char *email, const char *actor)
{
	sqlite3_stmt *st = NULL;
	json_t *detail = NULL;
	int error;

	if (!(login && *login) && !(email && *email))
		return cl_error_setc(CL_EINVALID, "a covered person needs a login or an email");
	if ((error = cla_begin(store)) < 0)
		return error;
	if ((error = corporate_in_force(store, id)) < 0)
		goto done;
	if ((error = cla_prepare(&st, store, "INSERT INTO cla_people (signature, login, email, "
			"added_at) SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS (SELECT 1 FROM cla_people "
			"WHERE signature = ?1 AND removed_at = 0 AND login IS ?2 AND email IS ?3)")) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, id);
	cl_db_bind_text(st, 2, login);
	cl_db_bind_text(st, 3, email);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)time(NULL));
	if ((error = cla_step_done(store, st)) < 0)
		goto done;
	if (sqlite3_changes(store->db) == 0)
		goto done;
	detail = json_pack("{s:s?, s:s?}", "login", login, "email", email);
	error = cla_audit(store, actor, "add-person", id, detail);
done:
	json_decref(detail);
	return cla_end(store, error);
}

int cl_cla_company_remove_person(struct cl_cla_store *store, int64_t id, const char *who,
	const char *actor)
{
	sqlite3_stmt *st = NULL;
	json_t *detail = NULL;
	int error;

	if ((error = cla_begin(store)) < 0)
		return error;
	if ((error = cla_prepare(&st, store, "UPDATE cla_people SET removed_at = ?3 "
			"WHERE signature = ?1 AND removed_at = 0 AND (login = ?2 OR email = ?2)")) < 0)
		goto done;
	sqlite3_bind_int64(st, 1, id);
	cl_db_bind_text(st, 2, who);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
	if ((error = cla_step_done(store, st)) < 0)
		goto done;
	if (sqlite3_changes(store->db) == 0) {
		error = cl_error_setc(CL_ENOTFOUND, "'%s' is not listed on signature #%lld",
			who ? who : "", (long long)id);
		goto done;
	}
	detail = json_pack("{s:s}", "person", who);
	error = cla_audit(store, actor, "remove-person", id, detail);
done:
	json_decref(detail);
	return cla_end(store, error);
}

int cl_cla_company_find(int64_t *id, struct cl_cla_store *store, const char *agreement,
	const char *company)
{
	sqlite3_stmt *st = NULL;
	int error, rc;

	if ((error = cla_prepare(&st, store, "SELECT id FROM cla_signatures WHERE (?1 IS NULL OR agreement = ?1) "
			"AND kind = 'corporate' AND revoked_at = 0 AND company = ?2 COLLATE NOCASE "
			"ORDER BY id DESC LIMIT 1")) < 0)
		return error;
	cl_db_bind_text(st, 1, agreement);
	cl_db_bind_text(st, 2, company);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		error = cl_error_setc(CL_ENOTFOUND, "no corporate signature in force for '%s'",
			company ? company : "");
	else
		error = cl_error_from_sqlite(store->db, "cla store");
	sqlite3_finalize(st);
	return error;
}

/* ---- coverage -------------------------------------------------------------- */

/*
 * Candidate signatures for a person, best first: one in force at the
 * required version; then the required version revoked (signing an older
 * text again would not help); then other versions; newest first. Individual ones match
 * login or email; corporate ones a named, not removed, person or the
 * email's domain (exact, or a listed "*.parent" for subdomains).
 */
static const char coverage_sql[] =
	"SELECT s.id, s.kind, s.version, s.revoked_at, s.revoke_reason, s.company, s.login, "
	"  (SELECT d.domain FROM cla_domains d WHERE d.signature = s.id AND ?6 IS NOT NULL AND "
	"     (d.domain = ?6 OR (d.domain LIKE '*.%' AND (?6 = substr(d.domain, 3) OR "
	"      ?6 LIKE '%.' || substr(d.domain, 3)))) LIMIT 1) AS by_domain, "
	"  EXISTS (SELECT 1 FROM cla_people p WHERE p.signature = s.id AND p.removed_at = 0 AND "
	"     ((?4 IS NOT NULL AND p.login = ?4) OR (?5 IS NOT NULL AND p.email = ?5))) AS by_name, "
	"  (CASE s.kind WHEN 'individual' THEN s.version IS ?3 ELSE s.version IS ?7 END) AS right_version "
	"FROM cla_signatures s "
	"WHERE (s.kind = 'individual' AND s.agreement = ?1 AND "
	"       ((?4 IS NOT NULL AND s.login = ?4) OR (?5 IS NOT NULL AND s.email = ?5))) "
	"   OR (s.kind = 'corporate' AND s.agreement = ?2 AND (by_domain IS NOT NULL OR by_name)) "
	"ORDER BY (s.revoked_at = 0 AND right_version) DESC, right_version DESC, "
	"  (s.revoked_at = 0) DESC, s.id DESC";

int cl_cla_covered(struct cl_cla_verdict *out, struct cl_cla_store *store,
	const char *individual_id, const char *individual_version,
	const char *corporate_id, const char *corporate_version,
	const char *login, const char *email)
{
	sqlite3_stmt *st = NULL;
	const char *at = email ? strrchr(email, '@') : NULL;
	int error, rc;

	memset(out, 0, sizeof(*out));
	out->coverage = CL_CLA_NOT_SIGNED;
	if ((error = cla_prepare(&st, store, coverage_sql)) < 0)
		return error;
	cl_db_bind_text(st, 1, individual_id);
	cl_db_bind_text(st, 2, corporate_id);
	cl_db_bind_text(st, 3, individual_version);
	cl_db_bind_text(st, 4, login);
	cl_db_bind_text(st, 5, email);
	/* LIKE is case-insensitive for ASCII, and the domain column is NOCASE. */
	cl_db_bind_text(st, 6, at && at[1] ? at + 1 : NULL);
	cl_db_bind_text(st, 7, corporate_version);

	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		enum cl_cla_kind kind = kind_parse(sqlite3_column_text(st, 1));
		const char *version = (const char *)sqlite3_column_text(st, 2);
		const char *wanted = kind == CL_CLA_CORPORATE ? corporate_version : individual_version;
		const char *company = (const char *)sqlite3_column_text(st, 5);
		const char *domain = (const char *)sqlite3_column_text(st, 7);
		int64_t id = sqlite3_column_int64(st, 0);

		out->signature_id = id;
		if (kind == CL_CLA_CORPORATE)
			snprintf(out->how, sizeof(out->how), "corporate signature #%lld: %s (%s%s)",
				(long long)id, company ? company : "?",
				domain ? "domain " : "named person", domain ? domain : "");
		else
			snprintf(out->how, sizeof(out->how), "individual signature #%lld", (long long)id);
		if (sqlite3_column_int64(st, 3) != 0) {
			const char *reason = (const char *)sqlite3_column_text(st, 4);
			out->coverage = CL_CLA_REVOKED;
			snprintf(out->reason, sizeof(out->reason), "%s", reason ? reason : "");
		} else if (wanted && version && strcmp(wanted, version) != 0) {
			out->coverage = CL_CLA_OLD_VERSION;
			snprintf(out->version, sizeof(out->version), "%s", version);
		} else {
			out->coverage = CL_CLA_COVERED;
		}
	} else if (rc != SQLITE_DONE) {
		error = cl_error_from_sqlite(store->db, "cla store");
	}
	sqlite3_finalize(st);
	return error;
}

/* ---- listings -------------------------------------------------------------- */

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int cl_cla_signatures_foreach(struct cl_cla_store *store, cl_cla_signature_cb cb, void *payload)
{
	sqlite3_stmt *st = NULL;
	int error, rc;

	if ((error = cla_prepare(&st, store, "SELECT id, agreement, version, kind, login, email, "
			"name, company, manager, method, evidence, signed_at, revoked_at, revoked_by, "
			"revoke_reason FROM cla_signatures ORDER BY id")) < 0)
		return error;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cl_cla_signature s;
		s.id = sqlite3_column_int64(st, 0);
		s.agreement = col(st, 1);
		s.version = col(st, 2);
		s.kind = kind_parse(sqlite3_column_text(st, 3));
		s.login = col(st, 4);
		s.email = col(st, 5);
		s.name = col(st, 6);
		s.company = col(st, 7);
		s.manager = col(st, 8);
		s.method = col(st, 9);
		s.evidence = col(st, 10);
		s.signed_at = sqlite3_column_int64(st, 11);
		s.revoked_at = sqlite3_column_int64(st, 12);
		s.revoked_by = col(st, 13);
		s.revoke_reason = col(st, 14);
		if ((error = cb(&s, payload)) != 0)
			break;
	}
	if (error == 0 && rc != SQLITE_DONE)
		error = cl_error_from_sqlite(store->db, "cla store");
	sqlite3_finalize(st);
	return error;
}

int cl_cla_company_members_foreach(struct cl_cla_store *store, int64_t id, cl_cla_member_cb cb,
	void *payload)
{
	sqlite3_stmt *st = NULL;
	int error, rc;

	if ((error = cla_prepare(&st, store,
			"SELECT domain, NULL, NULL FROM cla_domains WHERE signature = ?1 "
			"UNION ALL SELECT NULL, login, email FROM cla_people "
			"WHERE signature = ?1 AND removed_at = 0")) < 0)
		return error;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((error = cb(col(st, 0), col(st, 1), col(st, 2), payload)) != 0)
			break;
	if (error == 0 && rc != SQLITE_DONE)
		error = cl_error_from_sqlite(store->db, "cla store");
	sqlite3_finalize(st);
	return error;
}

int cl_cla_audit_foreach(struct cl_cla_store *store, cl_cla_audit_cb cb, void *payload)
{
	sqlite3_stmt *st = NULL;
	int error, rc;

	if ((error = cla_prepare(&st, store, "SELECT at, actor, action, signature, detail "
			"FROM cla_audit ORDER BY id")) < 0)
		return error;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((error = cb(sqlite3_column_int64(st, 0), col(st, 1), col(st, 2),
				sqlite3_column_int64(st, 3), col(st, 4), payload)) != 0)
			break;
	if (error == 0 && rc != SQLITE_DONE)
		error = cl_error_from_sqlite(store->db, "cla store");
	sqlite3_finalize(st);
	return error;
}
