/*
 * clearance cla ...: the CLA manager's and the OSPO's commands over the
 * signature store that the hooks and the bot read.
 *
 * Divisions: options; agreements, signing, revoking; corporate lists;
 * listing and export; import; dispatch.
 */
#include "commands.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "cli_options.h"
#include "cla_store.h"
#include "csv.h"
#include "error.h"

#define CLA_DEFAULT_STORE "clearance-data/clearance.db"
#define CLA_IMPORT_MAX (64 * 1024 * 1024)

static void cla_usage(FILE *fp)
{
	fprintf(fp,
		"usage: clearance cla [--store PATH] [--actor WHO] COMMAND ...\n"
		"\n"
		"  agreement add ID VERSION --kind individual|corporate [--title T] [--url U]\n"
		"  sign --agreement ID --version V (--login L | --email E) [--name N]\n"
		"       [--evidence URL] [--method cli|api|comment]\n"
		"  revoke SIGNATURE --reason TEXT      revoke (never delete) a signature\n"
		"  list [--format text|csv|json]       every signature, revoked ones marked\n"
		"  export [--format json|csv]          signatures with corporate domains and people\n"
		"  import FILE [--format json|csv]     signatures exported here or by another tool\n"
		"  audit                               every change: when, who, what\n"
		"  company add --agreement ID --version V --company NAME [--manager WHO]\n"
		"  company add-domain COMPANY DOMAIN   DOMAIN: example.com or *.example.com\n"
		"  company add-person COMPANY (--login L | --email E)\n"
		"  company remove-person COMPANY WHO   WHO: the person's login or email\n"
		"\n"
		"COMPANY is a corporate signature's number (#12 or 12) or its company name.\n"
		"The store is --store, else $CLEARANCE_STORE, else " CLA_DEFAULT_STORE "\n"
		"(the bot's default); the hooks read the one named by the policy's cla.store.\n"
		"Every change is audited under --actor (default: $USER).\n"
		"exit status: 0 done, 2 bad usage or the store refused the change\n");
}

/* ---- options -------------------------------------------------------------- */

static int cla_fail(const char *what)
{
	cli_error(what);
	return CL_EXIT_CONFIG;
}

static int cla_parse_id(int64_t *out, const char *s)
{
	char *end;
	long long v;

	if (*s == '#')
		s++;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v <= 0)
		return -1;
	*out = v;
	return 0;
}

/* "#12", "12" or a company name. */
static int cla_company(int64_t *out, struct cl_cla_store *store, const char *ref)
{
	if (cla_parse_id(out, ref) == 0)
		return 0;
	return cl_cla_company_find(out, store, NULL, ref);
}

/* ---- agreements, signing, revoking ---------------------------------------- */

static int cla_agreement(struct cl_cla_store *store, const char *actor, int argc, char **argv)
{
	const char *kind = NULL, *title = NULL, *url = NULL;
	const struct cli_opt opts[] = { { "--kind", &kind }, { "--title", &title }, { "--url", &url } };
	struct cl_cla_agreement a;
	char *ops[3];
	int nops;

	if (cli_parse_options(argc, argv, opts, 3, ops, &nops, 3, "cla") < 0)
		return CL_EXIT_CONFIG;
	if (nops != 3 || strcmp(ops[0], "add") != 0) {
		fprintf(stderr, "clearance: cla: usage: cla agreement add ID VERSION --kind K\n");
		return CL_EXIT_CONFIG;
	}
	if (cli_need(kind, "--kind", "cla") < 0)
		return CL_EXIT_CONFIG;
	if (strcmp(kind, "individual") && strcmp(kind, "corporate")) {
		fprintf(stderr, "clearance: cla: --kind is individual or corporate, not '%s'\n", kind);
		return CL_EXIT_CONFIG;
	}
	a.id = ops[1];
	a.version = ops[2];
	a.title = title;
	a.url = url;
	a.kind = strcmp(kind, "corporate") == 0 ? CL_CLA_CORPORATE : CL_CLA_INDIVIDUAL;
	if (cl_cla_agreement_put(store, &a, actor) < 0)
		return cla_fail("cannot record agreement");
	printf("agreement %s version %s (%s) recorded\n", a.id, a.version, kind);
	return CL_EXIT_OK;
}

static int cla_sign_cmd(struct cl_cla_store *store, const char *actor, int argc, char **argv)
{
	const char *agreement = NULL, *version = NULL, *login = NULL, *email = NULL, *name = NULL;
	const char *evidence = NULL, *method = "cli";
	const struct cli_opt opts[] = {
		{ "--agreement", &agreement }, { "--version", &version }, { "--login", &login },
		{ "--email", &email }, { "--name", &name }, { "--evidence", &evidence },
		{ "--method", &method },
	};
	struct cl_cla_signature s;
	int64_t id = 0;
	int nops, error;

	if (cli_parse_options(argc, argv, opts, 7, NULL, &nops, 0, "cla") < 0 ||
	    cli_need(agreement, "--agreement", "cla") < 0 || cli_need(version, "--version", "cla") < 0)
		return CL_EXIT_CONFIG;
	memset(&s, 0, sizeof(s));
	s.agreement = agreement;
	s.version = version;
	s.login = login;
	s.email = email;
	s.name = name;
	s.evidence = evidence;
	s.method = method;
	error = cl_cla_sign(&id, store, &s, actor);
	if (error == CL_EEXISTS) {
		printf("already signed: signature #%" PRId64 "\n", id);
		return CL_EXIT_OK;
	}
	if (error < 0)
		return cla_fail("cannot sign");
	printf("signature #%" PRId64 " recorded\n", id);
	return CL_EXIT_OK;
}

static int cla_revoke_cmd(struct cl_cla_store *store, const char *actor, int argc, char **argv)
{
	const char *reason = NULL;
	const struct cli_opt opts[] = { { "--reason", &reason } };
	char *ops[1];
	int64_t id;
	int nops;

	if (cli_parse_options(argc, argv, opts, 1, ops, &nops, 1, "cla") < 0 || cli_need(reason, "--reason", "cla") < 0)
		return CL_EXIT_CONFIG;
	if (nops != 1 || cla_parse_id(&id, ops[0]) < 0) {
		fprintf(stderr, "clearance: cla: usage: cla revoke SIGNATURE --reason TEXT\n");
		return CL_EXIT_CONFIG;
	}
	if (cl_cla_revoke(store, id, actor, reason) < 0)
		return cla_fail("cannot revoke");
	printf("signature #%" PRId64 " revoked\n", id);
	return CL_EXIT_OK;
}

/* ---- corporate lists ---------------------------------------------------- */

static int cla_company_cmd(struct cl_cla_store *store, const char *actor, int argc, char **argv)
{
	const char *agreement = NULL, *version = NULL, *company = NULL, *manager = NULL;
	const char *login = NULL, *email = NULL;
	const struct cli_opt opts[] = {
		{ "--agreement", &agreement }, { "--version", &version }, { "--company", &company },
		{ "--manager", &manager }, { "--login", &login }, { "--email", &email },
	};
	char *ops[3];
	int64_t id = 0;
	int nops;

	if (cli_parse_options(argc, argv, opts, 6, ops, &nops, 3, "cla") < 0)
		return CL_EXIT_CONFIG;
	if (nops >= 1 && strcmp(ops[0], "add") == 0 && nops == 1) {
		struct cl_cla_signature s;
		if (cli_need(agreement, "--agreement", "cla") < 0 || cli_need(version, "--version", "cla") < 0 ||
		    cli_need(company, "--company", "cla") < 0)
			return CL_EXIT_CONFIG;
		memset(&s, 0, sizeof(s));
		s.agreement = agreement;
		s.version = version;
		s.kind = CL_CLA_CORPORATE;
		s.company = company;
		s.manager = manager;
		s.method = "cli";
		if (cl_cla_sign(&id, store, &s, actor) < 0)
			return cla_fail("cannot add company");
		printf("corporate signature #%" PRId64 " for %s recorded\n", id, company);
		return CL_EXIT_OK;
	}
	if (nops >= 2 && cla_company(&id, store, ops[1]) < 0)
		return cla_fail(NULL);
	if (nops == 3 && strcmp(ops[0], "add-domain") == 0) {
		if (cl_cla_company_add_domain(store, id, ops[2], actor) < 0)
			return cla_fail("cannot add domain");
		printf("signature #%" PRId64 " covers %s\n", id, ops[2]);
		return CL_EXIT_OK;
	}
	if (nops == 2 && strcmp(ops[0], "add-person") == 0) {
		if (cl_cla_company_add_person(store, id, login, email, actor) < 0)
			return cla_fail("cannot add person");
		printf("signature #%" PRId64 " covers %s\n", id, login ? login : email);
		return CL_EXIT_OK;
	}
	if (nops == 3 && strcmp(ops[0], "remove-person") == 0) {
		if (cl_cla_company_remove_person(store, id, ops[2], actor) < 0)
			return cla_fail("cannot remove person");
		printf("signature #%" PRId64 " no longer covers %s\n", id, ops[2]);
		return CL_EXIT_OK;
	}
	fprintf(stderr, "clearance: cla: usage: cla company add|add-domain|add-person|"
		"remove-person ... (see clearance cla --help)\n");
	return CL_EXIT_CONFIG;
}

/* ---- listing and export ------------------------------------------------- */

static const char *const cla_columns[] = {
	"id", "agreement", "version", "kind", "login", "email", "name", "company", "manager",
	"method", "evidence", "signed_at", "revoked_at", "revoked_by", "revoke_reason",
	"domains", "people",
};
#define CLA_NCOLUMNS (sizeof(cla_columns) / sizeof(cla_columns[0]))

static void cla_time(char *out, size_t size, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t == 0 || !gmtime_r(&tt, &tm) || !strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		out[0] = '\0';
}

static int cla_time_parse(int64_t *out, const char *s)
{
	struct tm tm;
	const char *end;

	*out = 0;
	if (!s || !*s)
		return 0;
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end)
		return cl_error_setc(CL_EINVALID, "'%s' is not a time like 2026-01-31T12:00:00Z", s);
	*out = (int64_t)timegm(&tm);
	return 0;
}

struct cla_members {
	struct cl_buf domains, people;
	json_t *jdomains, *jpeople;
};

static int cla_collect_member(const char *domain, const char *login, const char *email, void *payload)
{
	struct cla_members *m = payload;

	if (domain)
		return (m->domains.size && cl_buf_putc(&m->domains, ';') < 0) ||
			cl_buf_puts(&m->domains, domain) < 0 ||
			json_array_append_new(m->jdomains, json_string(domain)) < 0 ? CL_ERROR : 0;
	/* One person: "login|email" in CSV, an object in JSON. */
	return (m->people.size && cl_buf_putc(&m->people, ';') < 0) ||
		cl_buf_printf(&m->people, "%s|%s", login ? login : "", email ? email : "") < 0 ||
		json_array_append_new(m->jpeople, json_pack("{s:s?, s:s?}", "login", login,
			"email", email)) < 0 ? CL_ERROR : 0;
}

struct cla_listing {
	struct cl_cla_store *store;
	const char *format;
	struct cl_buf out;
	json_t *array;
};

static int cla_list_one(const struct cl_cla_signature *s, void *payload)
{
	struct cla_listing *l = payload;
	struct cla_members m = { CL_BUF_INIT, CL_BUF_INIT, json_array(), json_array() };
	char id[32], signed_at[32], revoked_at[32];
	int error = 0;

	snprintf(id, sizeof(id), "%" PRId64, s->id);
	cla_time(signed_at, sizeof(signed_at), s->signed_at);
	cla_time(revoked_at, sizeof(revoked_at), s->revoked_at);
	if (!m.jdomains || !m.jpeople) {
		error = cl_error_set("out of memory");
		goto done;
	}
	if (s->kind == CL_CLA_CORPORATE &&
	    (error = cl_cla_company_members_foreach(l->store, s->id, cla_collect_member, &m)) < 0)
		goto done;

	if (!strcmp(l->format, "text")) {
		error = cl_buf_printf(&l->out, "#%-4s %-10s %s@%s  %s%s%s  signed %s%s%s%s%s\n", id,
			s->kind == CL_CLA_CORPORATE ? "corporate" : "individual", s->agreement, s->version,
			s->kind == CL_CLA_CORPORATE ? s->company : (s->login ? s->login : ""),
			s->kind == CL_CLA_CORPORATE || !s->email ? "" : s->login ? " " : "",
			s->kind == CL_CLA_CORPORATE || !s->email ? "" : s->email, signed_at,
			s->revoked_at ? "  REVOKED " : "", revoked_at[0] && s->revoked_at ? revoked_at : "",
			s->revoked_at ? ": " : "", s->revoked_at && s->revoke_reason ? s->revoke_reason : "");
		if (error == 0 && s->kind == CL_CLA_CORPORATE)
			error = cl_buf_printf(&l->out, "      domains: %s  people: %s\n",
				m.domains.size ? m.domains.ptr : "-", m.people.size ? m.people.ptr : "-");
	} else if (!strcmp(l->format, "csv")) {
		const char *row[CLA_NCOLUMNS] = {
			id, s->agreement, s->version, s->kind == CL_CLA_CORPORATE ? "corporate" : "individual",
			s->login, s->email, s->name, s->company, s->manager, s->method, s->evidence,
			signed_at, revoked_at, s->revoked_by, s->revoke_reason, m.domains.ptr, m.people.ptr,
		};
		error = cl_csv_put_record(&l->out, row, CLA_NCOLUMNS);
	} else {
		json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, "
			"s:s, s:s?, s:s?, s:s?}",
			"id", (json_int_t)s->id, "agreement", s->agreement, "version", s->version,
			"kind", s->kind == CL_CLA_CORPORATE ? "corporate" : "individual",
			"login", s->login, "email", s->email, "name", s->name, "company", s->company,
			"manager", s->manager, "method", s->method, "evidence", s->evidence,
			"signed_at", signed_at, "revoked_at", s->revoked_at ? revoked_at : NULL,
			"revoked_by", s->revoked_by, "revoke_reason", s->revoke_reason);
		if (!o || (s->kind == CL_CLA_CORPORATE &&
		    (json_object_set(o, "domains", m.jdomains) < 0 ||
		     json_object_set(o, "people", m.jpeople) < 0)) ||
		    json_array_append_new(l->array, o) < 0)
			error = cl_error_set("out of memory");
	}
done:
	cl_buf_dispose(&m.domains);
	cl_buf_dispose(&m.people);
	json_decref(m.jdomains);
	json_decref(m.jpeople);
	return error;
}

static int cla_list(struct cl_cla_store *store, int argc, char **argv, const char *default_format)
{
	const char *format = default_format;
	const struct cli_opt opts[] = { { "--format", &format } };
	struct cla_listing l;
	int nops, error;

	if (cli_parse_options(argc, argv, opts, 1, NULL, &nops, 0, "cla") < 0)
		return CL_EXIT_CONFIG;
	if (strcmp(format, "text") && strcmp(format, "csv") && strcmp(format, "json")) {
		fprintf(stderr, "clearance: cla: unknown format '%s' (text, csv or json)\n", format);
		return CL_EXIT_CONFIG;
	}
	memset(&l, 0, sizeof(l));
	l.store = store;
	l.format = format;
	l.array = json_array();
	if (!strcmp(format, "csv"))
		cl_csv_put_record(&l.out, cla_columns, CLA_NCOLUMNS);
	error = cl_cla_signatures_foreach(store, cla_list_one, &l);
	if (error == 0 && !strcmp(format, "json")) {
		char *text = json_dumps(l.array, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (!text || cl_buf_printf(&l.out, "{\"signatures\": %s}\n", text) < 0)
			error = cl_error_set("out of memory");
		free(text);
	}
	if (error == 0 && l.out.size)
		fwrite(l.out.ptr, 1, l.out.size, stdout);
	cl_buf_dispose(&l.out);
	json_decref(l.array);
	return error < 0 ? cla_fail("cannot list signatures") : CL_EXIT_OK;
}

static int cla_print_audit(int64_t at, const char *actor, const char *action, int64_t sig,
	const char *detail, void *payload)
{
	char when[32];
	(void)payload;
	cla_time(when, sizeof(when), at);
	if (sig)
		printf("%s  %-14s #%-4" PRId64 " by %s  %s\n", when, action, sig, actor,
			detail ? detail : "");
	else
		printf("%s  %-14s       by %s  %s\n", when, action, actor, detail ? detail : "");
	return 0;
}

/* ---- import ------------------------------------------------------------- */

static int cla_where(int code, const char *where)
{
	return cl_error_setc(code, "%s: %s", where, cl_error_last());
}

struct cla_import {
	struct cl_cla_store *store;
	const char *actor;
	size_t added, skipped;
};

/* One imported signature with its lists and revocation; `where` for messages. */
static int cla_import_one(struct cla_import *im, struct cl_cla_signature *s, const char *revoked_at,
	const char *domains, json_t *jdomains, const char *people, json_t *jpeople, const char *where)
{
	int64_t id = 0;
	int error;

	if (!s->method || !*s->method)
		s->method = "import";
	error = cl_cla_sign(&id, im->store, s, im->actor);
	if (error == CL_EEXISTS) {
		im->skipped++;
		return 0;
	}
	if (error < 0)
		return cla_where(error, where);
	im->added++;
	if (s->kind == CL_CLA_CORPORATE) {
		size_t i;
		json_t *v;

		if (domains && *domains) {
			char *copy = strdup(domains), *p = copy, *semi;
			if (!copy)
				return cl_error_set("out of memory");
			for (; p; p = semi) {
				if ((semi = strchr(p, ';')))
					*semi++ = '\0';
				if (*p && (error = cl_cla_company_add_domain(im->store, id, p, im->actor)) < 0)
					break;
			}
			free(copy);
		}
		json_array_foreach(jdomains, i, v)
			if (error == 0 && json_is_string(v))
				error = cl_cla_company_add_domain(im->store, id, json_string_value(v), im->actor);
		if (error == 0 && people && *people) {
			char *copy = strdup(people), *p = copy, *semi, *bar;
			if (!copy)
				return cl_error_set("out of memory");
			for (; p && error == 0; p = semi) {
				if ((semi = strchr(p, ';')))
					*semi++ = '\0';
				if (!*p)
					continue;
				if ((bar = strchr(p, '|')))
					*bar++ = '\0';
				error = cl_cla_company_add_person(im->store, id, *p ? p : NULL,
					bar && *bar ? bar : NULL, im->actor);
			}
			free(copy);
		}
		json_array_foreach(jpeople, i, v)
			if (error == 0)
				error = cl_cla_company_add_person(im->store, id,
					json_string_value(json_object_get(v, "login")),
					json_string_value(json_object_get(v, "email")), im->actor);
		if (error < 0)
			return cla_where(error, where);
	}
	if (revoked_at && *revoked_at &&
	    (error = cl_cla_revoke(im->store, id, im->actor, s->revoke_reason && *s->revoke_reason ?
			s->revoke_reason : "revoked before import")) < 0)
		return cla_where(error, where);
	return 0;
}

static const char *cla_field(struct cl_csv_record *rec, const int *col, size_t which)
{
	int c = col[which];
	return c >= 0 && (size_t)c < rec->count && rec->fields[c][0] ? rec->fields[c] : NULL;
}

static int cla_import_csv(struct cla_import *im, const char *data, size_t len, const char *path)
{
	struct cl_csv_reader *r = NULL;
	struct cl_csv_record *rec;
	int col[CLA_NCOLUMNS], error;
	size_t i, j;
	char where[512];

	if ((error = cl_csv_reader_new(&r, data, len, 64, 64 * 1024)) < 0)
		return error;
	if ((error = cl_csv_next(&rec, r)) < 0) {
		if (error == CL_ITEROVER)
			error = cl_error_setc(CL_EINVALID, "%s: empty file", path);
		goto done;
	}
	for (i = 0; i < CLA_NCOLUMNS; i++) {
		col[i] = -1;
		for (j = 0; j < rec->count; j++)
			if (!strcmp(rec->fields[j], cla_columns[i]))
				col[i] = (int)j;
	}
	if (col[1] < 0 || col[2] < 0) {
		error = cl_error_setc(CL_EINVALID, "%s:1: the header row needs at least the columns "
			"agreement and version (hint: clearance cla export --format csv)", path);
		goto done;
	}
	while ((error = cl_csv_next(&rec, r)) == 0) {
		struct cl_cla_signature s;
		const char *kind = cla_field(rec, col, 3);

		memset(&s, 0, sizeof(s));
		snprintf(where, sizeof(where), "%s:%u", path, rec->line);
		s.agreement = cla_field(rec, col, 1);
		s.version = cla_field(rec, col, 2);
		s.kind = kind && !strcmp(kind, "corporate") ? CL_CLA_CORPORATE : CL_CLA_INDIVIDUAL;
		s.login = cla_field(rec, col, 4);
		s.email = cla_field(rec, col, 5);
		s.name = cla_field(rec, col, 6);
		s.company = cla_field(rec, col, 7);
		s.manager = cla_field(rec, col, 8);
		s.method = cla_field(rec, col, 9);
		s.evidence = cla_field(rec, col, 10);
		s.revoke_reason = cla_field(rec, col, 14);
		if ((error = cla_time_parse(&s.signed_at, cla_field(rec, col, 11))) < 0) {
			error = cla_where(error, where);
			goto done;
		}
		if ((error = cla_import_one(im, &s, cla_field(rec, col, 12), cla_field(rec, col, 15),
				NULL, cla_field(rec, col, 16), NULL, where)) < 0)
			goto done;
	}
	if (error == CL_ITEROVER)
		error = 0;
	else
		error = cla_where(error, path);
done:
	cl_csv_reader_free(r);
	return error;
}

static int cla_import_json(struct cla_import *im, const char *data, size_t len, const char *path)
{
	json_error_t jerr;
	json_t *root, *sigs, *v;
	size_t i;
	char where[512];
	int error = 0;

	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return cl_error_setc(CL_EINVALID, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
	sigs = json_object_get(root, "signatures");
	if (!json_is_array(sigs)) {
		error = cl_error_setc(CL_EINVALID, "%s: no \"signatures\" array (hint: clearance cla "
			"export --format json)", path);
		goto done;
	}
	json_array_foreach(sigs, i, v) {
		struct cl_cla_signature s;
		const char *kind = json_string_value(json_object_get(v, "kind"));

		snprintf(where, sizeof(where), "%s: signature %zu", path, i + 1);
		if (!json_is_object(v)) {
			error = cl_error_setc(CL_EINVALID, "%s: not an object", where);
			goto done;
		}
		memset(&s, 0, sizeof(s));
		s.agreement = json_string_value(json_object_get(v, "agreement"));
		s.version = json_string_value(json_object_get(v, "version"));
		s.kind = kind && !strcmp(kind, "corporate") ? CL_CLA_CORPORATE : CL_CLA_INDIVIDUAL;
		s.login = json_string_value(json_object_get(v, "login"));
		s.email = json_string_value(json_object_get(v, "email"));
		s.name = json_string_value(json_object_get(v, "name"));
		s.company = json_string_value(json_object_get(v, "company"));
		s.manager = json_string_value(json_object_get(v, "manager"));
		s.method = json_string_value(json_object_get(v, "method"));
		s.evidence = json_string_value(json_object_get(v, "evidence"));
		s.revoke_reason = json_string_value(json_object_get(v, "revoke_reason"));
		if (!s.agreement || !s.version) {
			error = cl_error_setc(CL_EINVALID, "%s: needs \"agreement\" and \"version\"", where);
			goto done;
		}
		if ((error = cla_time_parse(&s.signed_at,
				json_string_value(json_object_get(v, "signed_at")))) < 0) {
			error = cla_where(error, where);
			goto done;
		}
		if ((error = cla_import_one(im, &s, json_string_value(json_object_get(v, "revoked_at")),
				NULL, json_object_get(v, "domains"), NULL, json_object_get(v, "people"),
				where)) < 0)
			goto done;
	}
done:
	json_decref(root);
	return error;
}

static int cla_import(struct cl_cla_store *store, const char *actor, int argc, char **argv)
{
	const char *format = NULL;
	const struct cli_opt opts[] = { { "--format", &format } };
	struct cla_import im = { store, actor, 0, 0 };
	struct cl_buf data = CL_BUF_INIT;
	char *ops[1];
	size_t len;
	int nops, error;

	if (cli_parse_options(argc, argv, opts, 1, ops, &nops, 1, "cla") < 0)
		return CL_EXIT_CONFIG;
	if (nops != 1) {
		fprintf(stderr, "clearance: cla: usage: cla import FILE [--format json|csv]\n");
		return CL_EXIT_CONFIG;
	}
	len = strlen(ops[0]);
	if (!format)
		format = len > 4 && !strcmp(ops[0] + len - 4, ".csv") ? "csv" : "json";
	cl_buf_init(&data, CLA_IMPORT_MAX);
	if ((error = cl_buf_read_path(&data, ops[0])) < 0) {
		cl_buf_dispose(&data);
		return cla_fail("cannot read import file");
	}
	if (!strcmp(format, "csv"))
		error = cla_import_csv(&im, data.ptr ? data.ptr : "", data.size, ops[0]);
	else if (!strcmp(format, "json"))
		error = cla_import_json(&im, data.ptr ? data.ptr : "", data.size, ops[0]);
	else
		error = cl_error_setc(CL_EINVALID, "unknown format '%s' (json or csv)", format);
	cl_buf_dispose(&data);
	printf("imported %zu signature(s), %zu already present\n", im.added, im.skipped);
	return error < 0 ? cla_fail("import stopped") : CL_EXIT_OK;
}

/* ---- dispatch ------------------------------------------------------------ */

int cmd_cla(int argc, char **argv)
{
	const char *store_path = getenv("CLEARANCE_STORE"), *actor = getenv("USER");
	struct cl_cla_store *store = NULL;
	const char *cmd;
	int i = 1, rc;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			cla_usage(stdout);
			return CL_EXIT_OK;
		} else if (!strcmp(argv[i], "--store") && i + 1 < argc) {
			store_path = argv[++i];
		} else if (!strcmp(argv[i], "--actor") && i + 1 < argc) {
			actor = argv[++i];
		} else {
			fprintf(stderr, "clearance: cla: unknown option '%s'\n", argv[i]);
			cla_usage(stderr);
			return CL_EXIT_CONFIG;
		}
	}
	if (i >= argc) {
		cla_usage(stderr);
		return CL_EXIT_CONFIG;
	}
	cmd = argv[i++];
	if (!store_path || !*store_path)
		store_path = CLA_DEFAULT_STORE;
	if (!actor || !*actor)
		actor = "unknown";
	if (strcmp(cmd, "agreement") && strcmp(cmd, "sign") && strcmp(cmd, "revoke") &&
	    strcmp(cmd, "list") && strcmp(cmd, "export") && strcmp(cmd, "import") &&
	    strcmp(cmd, "audit") && strcmp(cmd, "company")) {
		fprintf(stderr, "clearance: cla: unknown command '%s'\n", cmd);
		cla_usage(stderr);
		return CL_EXIT_CONFIG;
	}
	/* Reading commands must not create an empty store by a typo in --store. */
	if (cl_cla_store_open(&store, store_path, strcmp(cmd, "list") && strcmp(cmd, "export") &&
			strcmp(cmd, "audit")) < 0)
		return cla_fail("cannot open CLA store");

	if (!strcmp(cmd, "agreement"))
		rc = cla_agreement(store, actor, argc - i, argv + i);
	else if (!strcmp(cmd, "sign"))
		rc = cla_sign_cmd(store, actor, argc - i, argv + i);
	else if (!strcmp(cmd, "revoke"))
		rc = cla_revoke_cmd(store, actor, argc - i, argv + i);
	else if (!strcmp(cmd, "list"))
		rc = cla_list(store, argc - i, argv + i, "text");
	else if (!strcmp(cmd, "export"))
		rc = cla_list(store, argc - i, argv + i, "json");
	else if (!strcmp(cmd, "import"))
		rc = cla_import(store, actor, argc - i, argv + i);
	else if (!strcmp(cmd, "audit"))
		rc = cl_cla_audit_foreach(store, cla_print_audit, NULL) < 0 ?
			cla_fail("cannot read audit") : CL_EXIT_OK;
	else
		rc = cla_company_cmd(store, actor, argc - i, argv + i);
	cl_cla_store_free(store);
	return rc;
}
