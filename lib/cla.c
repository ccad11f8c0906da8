/*
 * cla.c - the CLA check over commits.
 */
#include "cla.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "dco.h"
#include "error.h"
#include "trailer.h"

void cl_cla_options_init(struct cl_cla_options *opts)
{
	memset(opts, 0, sizeof(*opts));
}

void cl_cla_options_dispose(struct cl_cla_options *opts)
{
	free(opts->store);
	free(opts->individual);
	free(opts->individual_version);
	free(opts->corporate);
	free(opts->corporate_version);
	free(opts->sign_url);
	free(opts->sign_sentence);
	cl_pattern_list_dispose(&opts->exempt);
	cl_cla_options_init(opts);
}

struct cla_person {
	char name[256];
	char email[256];
	char login[128];
	const char *role;     /* "author", "co-author" */
};

/*
 * Addresses no mail reaches and no forge account holds: what git writes
 * when user.email was never set ("root@host.(none)"), local host names.
 */
static int cla_email_unlinkable(const char *email)
{
	const char *at = strrchr(email, '@');
	const char *domain;
	size_t len;

	if (!at || at == email || !at[1])
		return 1;
	domain = at + 1;
	len = strlen(domain);
	if (!strchr(domain, '.'))
		return 1;
	if ((len >= 7 && strcasecmp(domain + len - 7, ".(none)") == 0) ||
	    (len >= 6 && strcasecmp(domain + len - 6, ".local") == 0) ||
	    strcasecmp(domain, "localhost.localdomain") == 0)
		return 1;
	return 0;
}

/* "12345+octocat@users.noreply.github.com" and "octocat@users.noreply.github.com". */
static void cla_noreply_login(char *login, size_t size, const char *email)
{
	static const char suffix[] = "@users.noreply.github.com";
	size_t len = strlen(email), slen = sizeof(suffix) - 1;
	const char *start = email, *plus;

	if (len <= slen || strcasecmp(email + len - slen, suffix) != 0)
		return;
	plus = memchr(email, '+', len - slen);
	if (plus)
		start = plus + 1;
	if ((size_t)(email + len - slen - start) < size)
		snprintf(login, size, "%.*s", (int)(email + len - slen - start), start);
}

static void cla_lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static int cla_report(struct cl_findings *findings, const struct cl_cla_options *opts,
	const char *ref, const struct cl_commit *c, const struct cla_person *p,
	const struct cl_cla_verdict *v, int unlinked)
{
	struct cl_buf msg = CL_BUF_INIT, remedy = CL_BUF_INIT, key = CL_BUF_INIT;
	struct cl_finding f;
	char subject[128];
	const char *agreement = opts->individual ? opts->individual : opts->corporate;
	const char *version = opts->individual ? opts->individual_version : opts->corporate_version;
	const char *sentence = opts->sign_sentence ? opts->sign_sentence : CL_CLA_SIGN_SENTENCE_DEFAULT;
	int error;

	memset(&f, 0, sizeof(f));
	cl_commit_subject(subject, sizeof(subject), c);
	if ((error = cl_buf_printf(&msg, "%s %s <%s>%s%s%s ", p->role, p->name, p->email,
			p->login[0] ? " (@" : "", p->login, p->login[0] ? ")" : "")) < 0)
		goto done;
	if (unlinked) {
		f.rule = "cla.unlinked";
		error = cl_buf_printf(&msg, "cannot be tied to any person: the email belongs to no "
			"account and no signature names it, so no CLA can cover it");
		if (error == 0)
			error = cl_buf_printf(&remedy, "commit with an email you can sign with "
				"(git config user.email YOU@EXAMPLE.COM, then "
				"git rebase --exec 'git commit --amend --no-edit --reset-author' <base>) "
				"or add this email to your account, then push again");
	} else {
		switch (v->coverage) {
		case CL_CLA_NOT_SIGNED:
			f.rule = "cla.missing";
			error = cl_buf_printf(&msg, "has not signed the CLA '%s'%s%s%s", agreement,
				version ? " (version " : "", version ? version : "", version ? ")" : "");
			break;
		case CL_CLA_OLD_VERSION:
			f.rule = "cla.old-version";
			error = cl_buf_printf(&msg, "signed version %s of '%s' (%s), but version %s "
				"is now required: please sign again", v->version, agreement, v->how,
				version ? version : "?");
			break;
		case CL_CLA_REVOKED:
			f.rule = "cla.revoked";
			error = cl_buf_printf(&msg, "is covered only by %s, which was revoked%s%s",
				v->how, v->reason[0] ? ": " : "", v->reason);
			break;
		default:
			CL_BUG("cla_report on a covered person");
		}
		if (error == 0)
			error = cl_buf_printf(&remedy, "read the agreement%s%s and sign it by commenting "
				"on a pull request: \"%s\"; or have your company's CLA manager add you "
				"(clearance cla company add-person); then push again",
				opts->sign_url ? " at " : "", opts->sign_url ? opts->sign_url : "", sentence);
	}
	if (error < 0)
		goto done;
	if ((error = cl_buf_printf(&key, "cla:%s", p->email[0] ? p->email : p->login)) < 0)
		goto done;
	cla_lower(key.ptr);

	f.check = "cla";
	f.severity = CL_SEVERITY_ERROR;
	f.ref = ref;
	f.commit = c->id;
	f.subject = subject;
	f.message = msg.ptr;
	f.remedy = remedy.ptr;
	f.key = key.ptr;
	error = cl_findings_add(findings, &f);
done:
	cl_buf_dispose(&msg);
	cl_buf_dispose(&remedy);
	cl_buf_dispose(&key);
	return error;
}

/* @return 1 when the person failed (finding added), 0 when covered or exempt, < 0 error. */
static int cla_judge(struct cl_findings *findings, const struct cl_cla_options *opts,
	struct cl_cla_store *store, const char *ref, const struct cl_commit *c,
	struct cla_person *p, cl_cla_login_fn login_for_email, void *payload)
{
	struct cl_cla_verdict v;
	int error, linked = 1;

	if (p->email[0]) {
		if ((error = cl_pattern_list_match(&opts->exempt, p->email)) < 0)
			return error;
		if (error == 1)
			return 0;
	}
	cla_noreply_login(p->login, sizeof(p->login), p->email);
	if (!p->login[0] && login_for_email && p->email[0]) {
		error = login_for_email(p->login, sizeof(p->login), p->email, payload);
		if (error == CL_ENOTFOUND) {
			linked = 0;
			p->login[0] = '\0';
		} else if (error < 0) {
			return error;
		} else if (error > 0) {
			p->login[0] = '\0';   /* cannot tell: the email alone decides */
		}
	}
	if ((error = cl_cla_covered(&v, store, opts->individual, opts->individual_version,
			opts->corporate, opts->corporate_version,
			p->login[0] ? p->login : NULL, p->email[0] ? p->email : NULL)) < 0)
		return error;
	if (v.coverage == CL_CLA_COVERED)
		return 0;
	/* A signature that names the email ties it to a person, linked or not. */
	if (v.coverage == CL_CLA_NOT_SIGNED && !p->login[0] &&
	    (!linked || cla_email_unlinkable(p->email)))
		return (error = cla_report(findings, opts, ref, c, p, &v, 1)) < 0 ? error : 1;
	return (error = cla_report(findings, opts, ref, c, p, &v, 0)) < 0 ? error : 1;
}

static int cla_check_commit(struct cl_findings *findings, const struct cl_cla_options *opts,
	struct cl_cla_store *store, const char *ref, const struct cl_commit *c,
	cl_cla_login_fn login_for_email, void *payload)
{
	struct cl_trailers trailers = CL_TRAILERS_INIT;
	struct cla_person p;
	size_t i;
	int error, failed = 0;

	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "%s", c->author_name);
	snprintf(p.email, sizeof(p.email), "%s", c->author_email);
	p.role = "author";
	if ((error = cla_judge(findings, opts, store, ref, c, &p, login_for_email, payload)) < 0)
		return error;
	failed |= error;
	if (!opts->co_authors || !c->message)
		return failed;

	if ((error = cl_trailers_parse(&trailers, c->message, strlen(c->message))) < 0)
		return error;
	for (i = 0; i < trailers.count; i++) {
		struct cl_ident id;
		const char *value = trailers.items[i].value;

		if (strcasecmp(trailers.items[i].key, "Co-authored-by") != 0 ||
		    cl_ident_parse(&id, value, strlen(value)) < 0)
			continue;
		memset(&p, 0, sizeof(p));
		snprintf(p.name, sizeof(p.name), "%.*s", (int)id.name_len, id.name);
		snprintf(p.email, sizeof(p.email), "%.*s", (int)id.email_len, id.email);
		p.role = "co-author";
		/* The author is judged already; a co-author line naming them adds nothing. */
		if (strcasecmp(p.email, c->author_email) == 0)
			continue;
		if ((error = cla_judge(findings, opts, store, ref, c, &p, login_for_email,
				payload)) < 0)
			goto done;
		failed |= error;
	}
	error = failed;
done:
	cl_trailers_dispose(&trailers);
	return error;
}

int cl_cla_check(struct cl_findings *findings, const struct cl_cla_options *opts,
	struct cl_cla_store *store, const char *ref, const struct cl_commit *commits, size_t count,
	cl_cla_login_fn login_for_email, void *payload)
{
	size_t i;
	int failing = 0, error;

	for (i = 0; i < count; i++) {
		if ((error = cla_check_commit(findings, opts, store, ref, &commits[i],
				login_for_email, payload)) < 0)
			return error;
		failing += error;
	}
	return failing;
}
