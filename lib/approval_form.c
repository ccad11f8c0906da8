/*
 * approval_form.c - the rendered issue form, read into a request.
 *
 * Divisions: the form's fields (one table); sections; values; the parse.
 */
#include "approval_form.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "buf.h"
#include "error.h"
#include "spdx.h"

/* ---- the form's fields -------------------------------------------------- */

enum form_value { VALUE_URL, VALUE_LICENSE, VALUE_TEXT, VALUE_LINES, VALUE_CLA, VALUE_SCOPE,
	VALUE_EMAIL };

/*
 * One heading of templates/outbound-contribution.yml. The labels here and
 * there must agree; test_approval_form renders the template's labels and
 * checks each is found.
 */
struct form_field {
	const char *label;
	size_t offset;          /* char * in struct cl_approval_form */
	enum form_value value;
	int required;           /* 2: required when the CLA is individual or corporate */
};

#define AT(m) offsetof(struct cl_approval_form, m)
static const struct form_field form_fields[] = {
	{ "Upstream project URL", AT(upstream_url), VALUE_URL, 1 },
	{ "Upstream license", AT(license), VALUE_LICENSE, 1 },
	/* optional: a "major" approval lasts until the release after this one's major */
	{ "Upstream version", AT(upstream_version), VALUE_TEXT, 0 },
	{ "Kind of contribution", AT(kind), VALUE_TEXT, 1 },
	{ "Expected size", AT(size), VALUE_LINES, 1 },
	{ "CLA or DCO required", AT(cla_text), VALUE_CLA, 1 },
	{ "CLA document and signer", AT(cla_document), VALUE_TEXT, 2 },
	{ "Scope requested", AT(scope_text), VALUE_SCOPE, 1 },
	{ "Work email", AT(email), VALUE_EMAIL, 1 },
	{ "Business unit", AT(business_unit), VALUE_TEXT, 1 },
	{ "Business reason", AT(justification), VALUE_TEXT, 1 },
};
#define FORM_FIELDS (sizeof(form_fields) / sizeof(form_fields[0]))

static char **slot(struct cl_approval_form *f, size_t i)
{
	return (char **)(void *)((char *)f + form_fields[i].offset);
}

void cl_approval_form_dispose(struct cl_approval_form *form)
{
	size_t i;

	if (!form)
		return;
	for (i = 0; i < FORM_FIELDS; i++)
		free(*slot(form, i));
	free(form->problems);
	memset(form, 0, sizeof(*form));
}

/* ---- sections ------------------------------------------------------------- */

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The field whose label is the heading text [from, to), or -1. */
static int field_of(const char *from, const char *to)
{
	size_t i, len;

	while (from < to && is_blank(*from))
		from++;
	while (to > from && is_blank(to[-1]))
		to--;
	len = (size_t)(to - from);
	for (i = 0; i < FORM_FIELDS; i++)
		if (strlen(form_fields[i].label) == len && !strncasecmp(form_fields[i].label, from, len))
			return (int)i;
	return -1;
}

/* Is the line at p a "### " heading? */
static int heading_at(const char *p, const char *end)
{
	return end - p >= 4 && !memcmp(p, "### ", 4);
}

struct problems {
	struct cl_buf text;
	size_t count;
};

/*
 * One problem line. The quoted value `b` is the requester's text: it is cut
 * to 80 bytes (on a UTF-8 boundary) and its line breaks and control
 * characters become '?', so a problem is always one line of the answer.
 */
static void quote_into(char *q, size_t max, const char *b)
{
	size_t i = 0, o = 0;

	for (; b && b[i] && o < max; i++)
		q[o++] = (unsigned char)b[i] < ' ' || b[i] == 0x7f ? '?' : b[i];
	if (b && ((unsigned char)b[i] & 0xc0) == 0x80) {
		while (o > 0 && ((unsigned char)q[o - 1] & 0xc0) == 0x80)
			o--;
		if (o > 0)
			o--;
	}
	q[o] = '\0';
}

static int problem(struct problems *pr, const char *fmt, const char *a, const char *b)
{
	char q[84];

	quote_into(q, 80, b);
	pr->count++;
	if (cl_buf_printf(&pr->text, fmt, a, q) < 0 || cl_buf_putc(&pr->text, '\n') < 0)
		return CL_ERROR;
	return 0;
}

/* ---- values ----------------------------------------------------------------- */

/* Keep printable text: control characters other than newline and tab go. */
static char *clean_value(const char *from, const char *to)
{
	char *out, *o;

	while (from < to && is_blank(*from))
		from++;
	while (to > from && is_blank(to[-1]))
		to--;
	if ((size_t)(to - from) > CL_APPROVAL_FORM_FIELD_MAX) {
		to = from + CL_APPROVAL_FORM_FIELD_MAX;
		/* a cut must not leave half a UTF-8 sequence */
		while (to > from && ((unsigned char)*to & 0xc0) == 0x80)
			to--;
	}
	if ((out = malloc((size_t)(to - from) + 1)) == NULL)
		return NULL;
	for (o = out; from < to; from++)
		if ((unsigned char)*from >= ' ' || *from == '\n' || *from == '\t')
			*o++ = *from;
	*o = '\0';
	return out;
}

static int is_no_response(const char *v)
{
	return !*v || !strcmp(v, "_No response_") || !strcmp(v, "None provided");
}

/* The first whole number in `v` ("about 40 lines", "< 100"). */
static int first_number(long long *out, const char *v)
{
	const char *p = v;
	char *end;
	long long n;

	while (*p && !(*p >= '0' && *p <= '9'))
		p++;
	if (!*p)
		return -1;
	errno = 0;
	n = strtoll(p, &end, 10);
	if (errno || n <= 0 || n > 100000000)
		return -1;
	*out = n;
	return 0;
}

static int spdx_problem(const struct cl_spdx_problem *p, void *payload)
{
	(void)payload;
	return p->kind == CL_SPDX_UNKNOWN_LICENSE || p->kind == CL_SPDX_UNKNOWN_EXCEPTION ||
		p->kind == CL_SPDX_EXCEPTION_AS_LICENSE || p->kind == CL_SPDX_LICENSE_AS_EXCEPTION;
}

static int check_value(struct cl_approval_form *f, size_t i, const char *v, struct problems *pr)
{
	const char *label = form_fields[i].label;
	struct cl_spdx_expr *expr = NULL;
	int rc;

	switch (form_fields[i].value) {
	case VALUE_TEXT:
		return 0;
	case VALUE_URL:
		if (cl_approval_split_url(f->host, f->owner, f->repo, sizeof(f->host), v) == 0)
			return 0;
		cl_error_clear();
		return problem(pr, "%s: '%s' is not a repository URL such as "
			"https://github.com/OWNER/REPO", label, v);
	case VALUE_LICENSE:
		rc = cl_spdx_parse_ext(&expr, v, strlen(v), CL_SPDX_PARSE_LAX);
		if (rc == 0)
			rc = cl_spdx_validate(expr, spdx_problem, NULL);
		cl_spdx_expr_free(expr);
		if (rc == 0)
			return 0;
		if (rc == CL_ERROR && !strstr(cl_error_last(), "offset"))
			return rc;
		cl_error_clear();
		return problem(pr, "%s: '%s' is not an SPDX license expression such as MIT or "
			"Apache-2.0 (see https://spdx.org/licenses/)", label, v);
	case VALUE_LINES:
		if (first_number(&f->expected_lines, v) == 0)
			return 0;
		return problem(pr, "%s: '%s' is not a number of lines", label, v);
	case VALUE_CLA:
		if (cl_approval_cla_parse(&f->cla, v) == 0)
			return 0;
		cl_error_clear();
		return problem(pr, "%s: '%s' is not one of None, DCO, Individual CLA, Corporate CLA",
			label, v);
	case VALUE_SCOPE:
		if (cl_approval_scope_parse(&f->scope, v) == 0)
			return 0;
		cl_error_clear();
		return problem(pr, "%s: '%s' is not one of One contribution, Per-project blanket, "
			"Until next major release, Full trust", label, v);
	case VALUE_EMAIL: {
		const char *at = strchr(v, '@');
		if (at && at != v && strchr(at + 1, '.') && !strchr(at + 1, '@') && !strpbrk(v, " \t\n<>"))
			return 0;
		return problem(pr, "%s: '%s' is not an email address", label, v);
	}
	}
	CL_BUG("unknown form value kind");
}

/* ---- the parse ------------------------------------------------------------- */

int cl_approval_form_detect(const char *body, size_t len)
{
	const char *p = body, *end = body + len;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (heading_at(p, eol) && field_of(p + 4, eol) == 0)
			return 1;
		p = eol + 1;
	}
	return 0;
}

int cl_approval_form_parse(struct cl_approval_form *out, const char *body, size_t len)
{
	struct problems pr;
	const char *p = body, *end = body + len;
	int given[FORM_FIELDS];
	int current = -1, error = 0;
	const char *value_from = NULL;
	size_t i;

	memset(out, 0, sizeof(*out));
	memset(given, 0, sizeof(given));
	memset(&pr, 0, sizeof(pr));
	cl_buf_init(&pr.text, 64 * 1024);
	if (len > CL_APPROVAL_FORM_MAX)
		return cl_error_setc(CL_ETOOBIG, "issue body larger than %d bytes", CL_APPROVAL_FORM_MAX);
	if (memchr(body, '\0', len)) {
		error = problem(&pr, "the issue body holds a NUL byte%s%s", "", NULL);
		goto finish;
	}

	/* Each "### LABEL" line starts a section that runs to the next heading. */
	for (;;) {
		const char *eol = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
		int at_end = p >= end, head;

		if (!eol)
			eol = end;
		head = !at_end && heading_at(p, eol);
		if (at_end || head) {
			if (current >= 0) {
				char *v = clean_value(value_from, at_end ? end : p);
				if (!v) {
					error = cl_error_set("out of memory");
					goto finish;
				}
				if (given[current] > 1 || is_no_response(v)) {
					free(v);
				} else {
					*slot(out, (size_t)current) = v;
				}
			}
			if (at_end)
				break;
			current = field_of(p + 4, eol);
			if (current >= 0 && given[current]++ == 1 &&
			    (error = problem(&pr, "%s: the field is given twice; edit the issue to keep one",
					form_fields[current].label, NULL)) < 0)
				goto finish;
			value_from = eol < end ? eol + 1 : end;
		}
		p = eol < end ? eol + 1 : end;
	}

	for (i = 0; i < FORM_FIELDS && error == 0; i++) {
		const char *v = *slot(out, i);
		int required = form_fields[i].required == 1 || (form_fields[i].required == 2 &&
			out->cla_text && (out->cla == CL_APPROVAL_CLA_INDIVIDUAL ||
			out->cla == CL_APPROVAL_CLA_CORPORATE));
		if (!v) {
			if (required)
				error = problem(&pr, "missing: %s%s", form_fields[i].label, NULL);
			continue;
		}
		error = check_value(out, i, v, &pr);
	}
finish:
	if (error < 0) {
		cl_buf_dispose(&pr.text);
		return error;
	}
	out->problem_count = pr.count;
	out->problems = pr.text.ptr ? cl_buf_detach(&pr.text) : strdup("");
	cl_buf_dispose(&pr.text);
	if (!out->problems)
		return cl_error_set("out of memory");
	if (pr.count)
		return cl_error_setc(CL_EINVALID, "the request has %zu problem%s", pr.count,
			pr.count == 1 ? "" : "s");
	return 0;
}

void cl_approval_form_to_request(struct cl_approval *req, const struct cl_approval_form *f)
{
	req->upstream_url = f->upstream_url;
	req->upstream_host = f->host;
	req->upstream_owner = f->owner;
	req->upstream_repo = f->repo;
	req->license = f->license;
	req->kind = f->kind;
	req->expected_lines = f->expected_lines;
	req->cla = f->cla;
	req->cla_document = f->cla_document;
	req->scope = f->scope;
	req->email = f->email;
	req->business_unit = f->business_unit;
	req->justification = f->justification;
	req->upstream_version = f->upstream_version;
}

/* ---- slash commands ------------------------------------------------------- */

static const struct {
	const char *word;
	enum cl_approval_verb verb;
} verbs[] = {
	{ "/approve", CL_APPROVAL_CMD_APPROVE }, { "/deny", CL_APPROVAL_CMD_DENY },
	{ "/revoke", CL_APPROVAL_CMD_REVOKE }, { "/info", CL_APPROVAL_CMD_INFO },
};

/* The verb at the start of line [p, eol), or NONE; *rest is after it. */
static enum cl_approval_verb verb_at(const char *p, const char *eol, const char **rest)
{
	size_t i, n;

	while (p < eol && (*p == ' ' || *p == '\t'))
		p++;
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		n = strlen(verbs[i].word);
		if ((size_t)(eol - p) >= n && !memcmp(p, verbs[i].word, n) &&
		    (p + n == eol || p[n] == ' ' || p[n] == '\t' || p[n] == '\r')) {
			*rest = p + n;
			return verbs[i].verb;
		}
	}
	return CL_APPROVAL_CMD_NONE;
}

static int cmd_problem(struct cl_approval_command *out, const char *fmt, const char *arg)
{
	char q[44];

	quote_into(q, 40, arg);
	snprintf(out->problem, sizeof(out->problem), fmt, q);
	return cl_error_setc(CL_EINVALID, "%s", out->problem);
}

/* "/approve [SCOPE] [until DATE] [team:ORG/TEAM] [signed-by:WHO]": words on the rest of the line. */
static int parse_approve(struct cl_approval_command *out, const char *p, const char *eol)
{
	char word[140];

	for (;;) {
		const char *w;
		size_t n;

		while (p < eol && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p >= eol)
			return 1;
		w = p;
		while (p < eol && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		n = (size_t)(p - w);
		if (n >= sizeof(word))
			n = sizeof(word) - 1;
		memcpy(word, w, n);
		word[n] = '\0';
		if (!strcasecmp(word, "until")) {
			struct tm tm;
			const char *end;
			while (p < eol && (*p == ' ' || *p == '\t'))
				p++;
			w = p;
			while (p < eol && *p != ' ' && *p != '\t' && *p != '\r')
				p++;
			n = (size_t)(p - w);
			if (n == 0 || n >= sizeof(word))
				return cmd_problem(out, "'until' needs a date such as 2027-06-30%s", "");
			memcpy(word, w, n);
			word[n] = '\0';
			memset(&tm, 0, sizeof(tm));
			end = strptime(word, "%Y-%m-%d", &tm);
			if (!end || *end || tm.tm_year < 70 || tm.tm_year > 1100)
				return cmd_problem(out, "'%s' is not a date such as 2027-06-30", word);
			out->until = (long long)timegm(&tm) + 86399;
			continue;
		}
		/* words with a prefix carry a value; a longer one than the field is refused, not cut */
		if (!strncasecmp(word, "team:", 5) || !strncasecmp(word, "signed-by:", 10)) {
			int team = !strncasecmp(word, "team:", 5);
			const char *v = word + (team ? 5 : 10);
			char *dst = team ? out->team : out->cla_signer;
			if (!*v || (team && (!strchr(v, '/') || strchr(v, '/') == v ||
			    !strchr(v, '/')[1])) || (size_t)(p - w) >= sizeof(word) - 1)
				return cmd_problem(out, "'%s' needs a value such as team:acme/kernel or "
					"signed-by:jdoe", word);
			if (strlen(v) >= sizeof(out->team))
				return cmd_problem(out, "'%s' is too long", word);
			memcpy(dst, v, strlen(v) + 1);
			continue;
		}
		if (out->has_scope || cl_approval_scope_parse(&out->scope, word) < 0) {
			cl_error_clear();
			return cmd_problem(out, "'%s' is not a scope: write one, project, major or "
				"full-trust, and optionally until YYYY-MM-DD, team:ORG/TEAM, signed-by:WHO", word);
		}
		out->has_scope = 1;
	}
}

int cl_approval_command_parse(struct cl_approval_command *out, const char *body, size_t len)
{
	const char *p = body, *end = body + len;

	memset(out, 0, sizeof(*out));
	if (len > CL_APPROVAL_COMMAND_MAX)
		return cl_error_setc(CL_ETOOBIG, "comment larger than %d bytes", CL_APPROVAL_COMMAND_MAX);
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *rest = NULL;
		enum cl_approval_verb verb;

		if (!eol)
			eol = end;
		verb = verb_at(p, eol, &rest);
		if (verb != CL_APPROVAL_CMD_NONE) {
			out->verb = verb;
			if (verb == CL_APPROVAL_CMD_APPROVE)
				return parse_approve(out, rest, eol);
			{
				/* the reason: the rest of the comment, one line of blanks trimmed */
				const char *from = rest, *to = end;
				size_t n, i, o = 0;
				while (from < to && is_blank(*from))
					from++;
				while (to > from && is_blank(to[-1]))
					to--;
				n = (size_t)(to - from);
				for (i = 0; i < n && o + 1 < sizeof(out->text); i++)
					if ((unsigned char)from[i] >= ' ' || from[i] == '\n' || from[i] == '\t')
						out->text[o++] = from[i];
				/* a cut must not leave half a UTF-8 sequence */
				if (i < n) {
					while (o > 0 && ((unsigned char)out->text[o - 1] & 0xc0) == 0x80)
						o--;
					if (o > 0 && ((unsigned char)out->text[o - 1] & 0x80))
						o--;
				}
				out->text[o] = '\0';
			}
			if (!out->text[0])
				return cmd_problem(out, "%s needs a reason after it",
					verb == CL_APPROVAL_CMD_DENY ? "/deny" : verb == CL_APPROVAL_CMD_REVOKE ?
					"/revoke" : "/info (the question)");
			return 1;
		}
		p = eol < end ? eol + 1 : end;
	}
	return 0;
}
