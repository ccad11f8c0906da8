/*
 * cla_store.h - Contributor License Agreements and their signatures, kept in
 * the shared SQLite store (db.h), with an audit row for every change.
 *
 * Layer rule: the only module that reads or writes the CLA tables. The
 * check (cla.h), the admin CLI and the bot's signing command all go
 * through it, so a hook and the bot judge the same way from the same rows.
 *
 * Signatures are never deleted: revoking one keeps the row and records who,
 * when and why. Corporate signatures cover email domains and named people;
 * a person removed from a corporate list keeps a row with `removed_at`.
 * Emails, domains and logins compare case-insensitively (as forges and
 * mail systems do); stored as given.
 */
#ifndef CL_CLA_STORE_H
#define CL_CLA_STORE_H

#include <stddef.h>
#include <stdint.h>

enum cl_cla_kind { CL_CLA_INDIVIDUAL = 0, CL_CLA_CORPORATE };

struct cl_cla_agreement {
	const char *id;        /* "acme-icla" */
	const char *version;   /* "2.0" */
	const char *title;     /* "Acme Individual CLA" */
	const char *url;       /* where the text is */
	enum cl_cla_kind kind;
};

/* A signature as stored; every string borrowed (from the caller when
 * writing, from the store's row while a callback runs when reading). */
struct cl_cla_signature {
	int64_t id;                /* assigned by the store */
	const char *agreement;     /* agreement id */
	const char *version;
	enum cl_cla_kind kind;
	const char *login;         /* forge login, or NULL */
	const char *email;         /* or NULL; at least one of login/email for individual */
	const char *name;          /* signer's name, or NULL */
	const char *company;       /* corporate: the company */
	const char *manager;       /* corporate: the CLA manager who keeps the lists */
	const char *method;        /* "comment", "import", "api", "cli" */
	const char *evidence;      /* e.g. the signing comment's URL */
	int64_t signed_at;         /* seconds since the epoch; 0 = now when signing */
	int64_t revoked_at;        /* 0 = in force */
	const char *revoked_by;
	const char *revoke_reason;
};

struct cl_cla_store;

/*
 * Open the CLA tables in the store at `path` (created with `create`).
 * @return 0, CL_ENOTFOUND (missing and !create), CL_EINVALID (newer schema),
 *   CL_ERROR. Thread safety: one thread at a time per handle.
 */
int cl_cla_store_open(struct cl_cla_store **out, const char *path, int create);
void cl_cla_store_free(struct cl_cla_store *store);

/* Record (or update the title/url of) an agreement version. */
int cl_cla_agreement_put(struct cl_cla_store *store, const struct cl_cla_agreement *agreement,
	const char *actor);

/*
 * Look up an agreement version; strings are copied into `buf` (`size`
 * bytes) that `out` points into. @return 0, CL_ENOTFOUND, CL_ERROR
 */
int cl_cla_agreement_get(struct cl_cla_agreement *out, char *buf, size_t size,
	struct cl_cla_store *store, const char *id, const char *version);

/*
 * Record a signature; *id (may be NULL) receives its id. Refused with
 * CL_EINVALID when the agreement version is unknown, when its kind differs
 * from the agreement's, when an individual signature names neither login
 * nor email, or a corporate one no company; CL_EEXISTS (error.h) when the
 * same person already holds an in-force signature of that version (the
 * existing id is still written to *id).
 */
int cl_cla_sign(int64_t *id, struct cl_cla_store *store, const struct cl_cla_signature *sig,
	const char *actor);

/* Revoke signature `id` with a reason. CL_ENOTFOUND, or CL_EINVALID when
 * it is already revoked. */
int cl_cla_revoke(struct cl_cla_store *store, int64_t id, const char *actor, const char *reason);

/* Corporate lists. `domain` is "example.com" (covers that domain only) or
 * "*.example.com" (covers its subdomains too). CL_EINVALID on a
 * non-corporate or revoked signature. */
int cl_cla_company_add_domain(struct cl_cla_store *store, int64_t id, const char *domain,
	const char *actor);
int cl_cla_company_add_person(struct cl_cla_store *store, int64_t id, const char *login,
	const char *email, const char *actor);
/* `who` matches the person's login or email. CL_ENOTFOUND when not listed. */
int cl_cla_company_remove_person(struct cl_cla_store *store, int64_t id, const char *who,
	const char *actor);

/* Find the newest in-force corporate signature of `company` for
 * `agreement` (NULL: any agreement; any version). @return 0 and *id, CL_ENOTFOUND */
int cl_cla_company_find(int64_t *id, struct cl_cla_store *store, const char *agreement,
	const char *company);

typedef int (*cl_cla_signature_cb)(const struct cl_cla_signature *sig, void *payload);

/* Every signature (revoked ones included), oldest first; a non-zero
 * callback return stops the walk and is returned. */
int cl_cla_signatures_foreach(struct cl_cla_store *store, cl_cla_signature_cb cb, void *payload);

/* Covered domains / named people of a corporate signature, for listings and
 * exports: one callback per entry (`person_login`/`person_email` NULL for a
 * domain entry; `domain` NULL for a person); removed people are skipped. */
typedef int (*cl_cla_member_cb)(const char *domain, const char *person_login,
	const char *person_email, void *payload);
int cl_cla_company_members_foreach(struct cl_cla_store *store, int64_t id, cl_cla_member_cb cb,
	void *payload);

enum cl_cla_coverage {
	CL_CLA_COVERED = 0,
	CL_CLA_NOT_SIGNED,     /* no signature of this agreement at all */
	CL_CLA_OLD_VERSION,    /* only signatures of other versions */
	CL_CLA_REVOKED         /* the matching signature was revoked */
};

struct cl_cla_verdict {
	enum cl_cla_coverage coverage;
	int64_t signature_id;        /* the signature that decided, 0 when none */
	char how[160];               /* "individual signature #4", "corporate: Acme Corp (domain acme.com)" */
	char version[64];            /* the version found when OLD_VERSION */
	char reason[256];            /* revoke reason when REVOKED */
};

/*
 * Is the person (forge `login` and/or `email`, either may be NULL) covered
 * by a signature of agreement `individual_id` or `corporate_id` (either may
 * be NULL) at the required versions? Individual signatures are matched by
 * login or email, corporate ones by named person or email domain.
 * @return 0 with the verdict, or CL_ERROR
 */
int cl_cla_covered(struct cl_cla_verdict *out, struct cl_cla_store *store,
	const char *individual_id, const char *individual_version,
	const char *corporate_id, const char *corporate_version,
	const char *login, const char *email);

/* Audit rows, oldest first: when, actor, action ("sign", "revoke",
 * "add-domain", ...), signature id (0 for agreement rows), detail JSON. */
typedef int (*cl_cla_audit_cb)(int64_t at, const char *actor, const char *action,
	int64_t signature_id, const char *detail, void *payload);
int cl_cla_audit_foreach(struct cl_cla_store *store, cl_cla_audit_cb cb, void *payload);

#endif
