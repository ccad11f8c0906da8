/*
 * clearance approvals ... and clearance report contributions: the OSPO's
 * commands over the outbound contribution approvals the bot records (and
 * requests made here), and its numbers.
 *
 * Divisions: options and helpers; request; decisions; list, show, export;
 * the sweep; the contributions report; dispatch.
 */
#include "commands.h"
#include "cli_options.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "approvals.h"
#include "buf.h"
#include "csv.h"
#include "db.h"
#include "error.h"
#include "policy.h"

#define AP_DEFAULT_STORE "clearance-data/clearance.db"
#define DAY 86400

static void approvals_usage(FILE *fp)
{
	fprintf(fp,
		"usage: clearance approvals [--store PATH] [--actor WHO] [--policy FILE] COMMAND ...\n"
		"\n"
		"  request --upstream URL --license SPDX --requester LOGIN [--email E] [--unit BU]\n"
		"          [--kind K] [--lines N] [--cla none|dco|individual|corporate]\n"
		"          [--cla-document TEXT] [--cla-signer WHO] [--scope one|project|major|full-trust]\n"
		"          [--reason TEXT] [--upstream-version V]\n"
		"  list [--state S] [--expiring DAYS] [--format text|csv|json]\n"
		"  show ID [--format text|json]         the record and its audit trail\n"
		"  export [--format json|csv]           every record\n"
		"  approve ID [--scope S] [--until YYYY-MM-DD] [--size-limit N] [--message M]\n"
		"          [--team ORG/TEAM] [--cla-signer WHO]\n"
		"  deny ID --reason TEXT\n"
		"  revoke ID --reason TEXT\n"
		"  info ID --question TEXT              ask the requester (state needs-info)\n"
		"  re-review ID --reason TEXT           the upstream's license or CLA changed: review again\n"
		"  expire                               expire what is due (the bot does this too)\n"
		"\n"
		"The store is --store, else $CLEARANCE_STORE, else " AP_DEFAULT_STORE " (the bot's).\n"
		"With --policy, a request a pre-approval rule covers is approved at once, and\n"
		"approvals last the policy's expiry_days (default 365). Decisions are audited\n"
		"under --actor (default: $USER). $CLEARANCE_NOW (seconds since the epoch) fixes\n"
		"the clock, for tests.\n"
		"exit status: 0 done, 2 bad usage or the store refused the change\n");
}

/* ---- options and helpers --------------------------------------------------- */

static int ap_fail(const char *what)
{
	cli_error(what);
	return CL_EXIT_CONFIG;
}

static int64_t ap_now(void)
{
	const char *fixed = getenv("CLEARANCE_NOW");
	char *end;
	long long v;

	if (fixed && *fixed) {
		errno = 0;
		v = strtoll(fixed, &end, 10);
		if (!errno && !*end && v > 0)
			return v;
	}
	return (int64_t)time(NULL);
}

static int ap_number(long long *out, const char *s, long long min, long long max)
{
	char *end;
	long long v;

	if (!s)
		return 0;
	if (*s == '#')
		s++;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* "2027-01-31" (the end of that day, UTC) or "2027-01-31T12:00:00Z". */
static int ap_date(int64_t *out, const char *s, int end_of_day)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end && !*end) {
		*out = (int64_t)timegm(&tm);
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%d", &tm);
	if (!end || *end)
		return cl_error_setc(CL_EINVALID, "'%s' is not a date like 2027-01-31", s);
	*out = (int64_t)timegm(&tm) + (end_of_day ? DAY - 1 : 0);
	return 0;
}

static void ap_time(char *out, size_t size, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t == 0 || !gmtime_r(&tt, &tm) || !strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		out[0] = '\0';
}

static int ap_id(int64_t *id, const char *s)
{
	long long v = 0;
	if (!s || ap_number(&v, s, 1, INT64_MAX) < 0) {
		fprintf(stderr, "clearance: approvals: '%s' is not an approval number\n", s ? s : "");
		return -1;
	}
	*id = v;
	return 0;
}

struct ap_ctx {
	struct cl_approvals *store;
	const char *actor;
	struct cl_policy *policy;   /* or NULL */
	int64_t now;
};

static int64_t ap_expiry(const struct ap_ctx *c)
{
	return (int64_t)(c->policy ? cl_policy_approvals(c->policy)->expiry_days :
		CL_APPROVAL_EXPIRY_DAYS_DEFAULT) * DAY;
}

/* ---- request --------------------------------------------------------------- */

static int ap_request(struct ap_ctx *c, int argc, char **argv)
{
	const char *upstream = NULL, *license = NULL, *requester = NULL, *email = NULL, *unit = NULL;
	const char *kind = NULL, *lines = NULL, *cla = NULL, *cla_document = NULL, *scope = NULL;
	const char *reason = NULL, *cla_signer = NULL, *version = NULL;
	const struct cli_opt opts[] = {
		{ "--upstream", &upstream }, { "--license", &license }, { "--requester", &requester },
		{ "--email", &email }, { "--unit", &unit }, { "--kind", &kind }, { "--lines", &lines },
		{ "--cla", &cla }, { "--cla-document", &cla_document }, { "--scope", &scope },
		{ "--reason", &reason }, { "--cla-signer", &cla_signer },
		{ "--upstream-version", &version },
	};
	struct cl_approval r;
	int64_t id = 0;
	long long n = 0;
	int nops, rule = CL_ENOTFOUND;
	char project[800];

	if (cli_parse_options(argc, argv, opts, sizeof(opts) / sizeof(opts[0]), NULL, &nops, 0,
			"approvals") < 0 || cli_need(upstream, "--upstream", "approvals") < 0 ||
	    cli_need(license, "--license", "approvals") < 0 || cli_need(requester, "--requester", "approvals") < 0)
		return CL_EXIT_CONFIG;
	memset(&r, 0, sizeof(r));
	r.requester = requester;
	r.email = email;
	r.business_unit = unit;
	r.upstream_url = upstream;
	r.license = license;
	r.kind = kind;
	r.cla_document = cla_document;
	r.cla_signer = cla_signer;
	r.justification = reason;
	r.upstream_version = version;
	if (lines && ap_number(&n, lines, 1, 100000000) < 0) {
		fprintf(stderr, "clearance: approvals: --lines is a whole number, not '%s'\n", lines);
		return CL_EXIT_CONFIG;
	}
	r.expected_lines = n;
	if ((cla && cl_approval_cla_parse(&r.cla, cla) < 0) ||
	    (scope && cl_approval_scope_parse(&r.scope, scope) < 0))
		return ap_fail("bad request");
	if (cl_approval_request(&id, NULL, c->store, &r, c->actor, "cli", c->now) < 0)
		return ap_fail("cannot record request");
	printf("approval #%" PRId64 " requested\n", id);
	if (c->policy) {
		struct cl_approval a;
		if (cl_approval_get(&a, c->store, id) < 0)
			return ap_fail("cannot read request");
		snprintf(project, sizeof(project), "%s/%s/%s", a.upstream_host, a.upstream_owner,
			a.upstream_repo);
		rule = cl_approval_pre_approved(cl_policy_approvals(c->policy), project, license, n);
		cl_approval_dispose(&a);
		if (rule < 0 && rule != CL_ENOTFOUND)
			return ap_fail("cannot judge the pre-approval rules");
	}
	if (rule >= 0) {
		struct cl_approval_decision d = CL_APPROVAL_DECISION_INIT;
		char name[64];
		snprintf(name, sizeof(name), "pre_approved[%d]", rule);
		d.actor = "clearance";
		d.rule = name;
		d.size_limit = (long long)cl_policy_approvals(c->policy)->pre_approved[rule].max_lines;
		d.url = "cli";
		d.message = "pre-approved by the policy";
		if (cl_approval_transition(c->store, id, CL_APPROVAL_APPROVED, &d, ap_expiry(c), c->now) < 0)
			return ap_fail("cannot pre-approve");
		printf("approval #%" PRId64 " approved by the policy's %s\n", id, name);
	}
	cl_error_clear();
	return CL_EXIT_OK;
}

/* ---- decisions ------------------------------------------------------------- */

static int ap_decide(struct ap_ctx *c, enum cl_approval_state to, int argc, char **argv)
{
	const char *scope = NULL, *until = NULL, *limit = NULL, *message = NULL, *reason = NULL;
	const char *question = NULL, *team = NULL, *signer = NULL;
	const struct cli_opt opts[] = {
		{ "--scope", &scope }, { "--until", &until }, { "--size-limit", &limit },
		{ "--message", &message }, { "--reason", &reason }, { "--question", &question },
		{ "--team", &team }, { "--cla-signer", &signer },
	};
	struct cl_approval_decision d = CL_APPROVAL_DECISION_INIT;
	char *ops[1];
	int64_t id;
	long long n = 0;
	int nops;

	if (cli_parse_options(argc, argv, opts, sizeof(opts) / sizeof(opts[0]), ops, &nops, 1, "approvals") < 0)
		return CL_EXIT_CONFIG;
	if (nops != 1 || ap_id(&id, ops[0]) < 0) {
		fprintf(stderr, "clearance: approvals: usage: approvals %s ID ...\n",
			to == CL_APPROVAL_APPROVED ? "approve" : to == CL_APPROVAL_DENIED ? "deny" :
			to == CL_APPROVAL_REVOKED ? "revoke" : to == CL_APPROVAL_NEEDS_RE_REVIEW ? "re-review" :
			"info");
		return CL_EXIT_CONFIG;
	}
	if (to == CL_APPROVAL_DENIED || to == CL_APPROVAL_REVOKED || to == CL_APPROVAL_NEEDS_RE_REVIEW) {
		if (cli_need(reason, "--reason", "approvals") < 0)
			return CL_EXIT_CONFIG;
		d.message = reason;
	} else if (to == CL_APPROVAL_NEEDS_INFO) {
		if (cli_need(question, "--question", "approvals") < 0)
			return CL_EXIT_CONFIG;
		d.message = question;
	} else {
		d.message = message;
		if (scope) {
			if (cl_approval_scope_parse(&d.scope, scope) < 0)
				return ap_fail("bad --scope");
			d.has_scope = 1;
		}
		if (until && ap_date(&d.expires_at, until, 1) < 0)
			return ap_fail("bad --until");
		if (limit && ap_number(&n, limit, 1, 100000000) < 0) {
			fprintf(stderr, "clearance: approvals: --size-limit is a whole number of lines\n");
			return CL_EXIT_CONFIG;
		}
		d.size_limit = n;
		d.team = team;
		d.cla_signer = signer;
	}
	d.actor = c->actor;
	d.url = "cli";
	if (cl_approval_transition(c->store, id, to, &d, ap_expiry(c), c->now) < 0)
		return ap_fail("refused");
	printf("approval #%" PRId64 " %s\n", id, cl_approval_state_name(to));
	return CL_EXIT_OK;
}

/* ---- list, show, export ---------------------------------------------------- */

static const char *const ap_columns[] = {
	"id", "state", "requester", "email", "business_unit", "upstream_url", "upstream_host",
	"upstream_owner", "upstream_repo", "license", "kind", "expected_lines", "cla",
	"cla_document", "cla_signer", "scope", "size_limit", "justification", "issue_url",
	"decided_by", "decided_at", "decision_message", "decision_url", "pre_approved_by",
	"expires_at", "created_at", "updated_at",
};
#define AP_NCOLUMNS (sizeof(ap_columns) / sizeof(ap_columns[0]))

struct ap_listing {
	const char *format;
	int64_t now, expiring;      /* expiring: only approvals expiring before now + this (0: all) */
	struct cl_buf out;
	json_t *array;
	size_t count;
};

static json_t *ap_json(const struct cl_approval *a)
{
	char decided[32], expires[32], created[32], updated[32], used[32];
	json_t *o, *more;

	ap_time(decided, sizeof(decided), a->decided_at);
	ap_time(expires, sizeof(expires), a->expires_at);
	ap_time(created, sizeof(created), a->created_at);
	ap_time(updated, sizeof(updated), a->updated_at);
	o = json_pack("{s:I, s:s, s:s?, s:s?, s:s?, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:I, s:s, "
		"s:s?, s:s?, s:s, s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s, s:s}",
		"id", (json_int_t)a->id, "state", cl_approval_state_name(a->state),
		"requester", a->requester, "email", a->email, "business_unit", a->business_unit,
		"upstream_url", a->upstream_url, "upstream_host", a->upstream_host,
		"upstream_owner", a->upstream_owner, "upstream_repo", a->upstream_repo,
		"license", a->license, "kind", a->kind, "expected_lines", (json_int_t)a->expected_lines,
		"cla", cl_approval_cla_name(a->cla), "cla_document", a->cla_document,
		"cla_signer", a->cla_signer, "scope", cl_approval_scope_name(a->scope),
		"size_limit", (json_int_t)a->size_limit, "justification", a->justification,
		"issue_url", a->issue_url, "decided_by", a->decided_by,
		"decided_at", a->decided_at ? decided : NULL, "decision_message", a->decision_message,
		"decision_url", a->decision_url, "pre_approved_by", a->pre_approved_by,
		"expires_at", a->expires_at ? expires : NULL, "created_at", created,
		"updated_at", updated);
	/* added with scope enforcement: after the older keys, so their order holds */
	ap_time(used, sizeof(used), a->used_at);
	more = json_pack("{s:s?, s:s?, s:s?, s:s?}", "upstream_version", a->upstream_version,
		"used_by", a->used_by, "used_at", a->used_at ? used : NULL, "team", a->team);
	if (o && (!more || json_object_update(o, more) < 0)) {
		json_decref(o);
		o = NULL;
	}
	json_decref(more);
	return o;
}

static int ap_list_one(const struct cl_approval *a, void *payload)
{
	struct ap_listing *l = payload;
	char expires[32], lines[32], limit[32], id[32], decided[32], created[32], updated[32];
	json_t *o;

	if (l->expiring && (a->state != CL_APPROVAL_APPROVED || a->expires_at > l->now + l->expiring))
		return 0;
	l->count++;
	ap_time(expires, sizeof(expires), a->expires_at);
	if (!strcmp(l->format, "text")) {
		return cl_buf_printf(&l->out, "#%-4" PRId64 " %-15s %-40s %-16s %-10s %s%s\n", a->id,
			cl_approval_state_name(a->state), a->upstream_url, a->requester ? a->requester : "-",
			cl_approval_scope_name(a->scope), a->expires_at ? "until " : "",
			a->expires_at ? expires : "");
	}
	if (!strcmp(l->format, "csv")) {
		const char *row[AP_NCOLUMNS];
		snprintf(id, sizeof(id), "%" PRId64, a->id);
		snprintf(lines, sizeof(lines), "%lld", a->expected_lines);
		snprintf(limit, sizeof(limit), "%lld", a->size_limit);
		ap_time(decided, sizeof(decided), a->decided_at);
		ap_time(created, sizeof(created), a->created_at);
		ap_time(updated, sizeof(updated), a->updated_at);
		row[0] = id; row[1] = cl_approval_state_name(a->state); row[2] = a->requester;
		row[3] = a->email; row[4] = a->business_unit; row[5] = a->upstream_url;
		row[6] = a->upstream_host; row[7] = a->upstream_owner; row[8] = a->upstream_repo;
		row[9] = a->license; row[10] = a->kind; row[11] = lines;
		row[12] = cl_approval_cla_name(a->cla); row[13] = a->cla_document; row[14] = a->cla_signer;
		row[15] = cl_approval_scope_name(a->scope); row[16] = limit; row[17] = a->justification;
		row[18] = a->issue_url; row[19] = a->decided_by; row[20] = decided;
		row[21] = a->decision_message; row[22] = a->decision_url; row[23] = a->pre_approved_by;
		row[24] = expires; row[25] = created; row[26] = updated;
		return cl_csv_put_record(&l->out, row, AP_NCOLUMNS);
	}
	if (!(o = ap_json(a)) || json_array_append_new(l->array, o) < 0)
		return cl_error_set("out of memory");
	return 0;
}

static int ap_list(struct ap_ctx *c, int argc, char **argv, const char *default_format)
{
	const char *format = default_format, *state = NULL, *expiring = NULL;
	const struct cli_opt opts[] = { { "--format", &format }, { "--state", &state },
		{ "--expiring", &expiring } };
	struct ap_listing l;
	enum cl_approval_state st = CL_APPROVAL_REQUESTED;
	long long days = 0;
	int nops, error;

	if (cli_parse_options(argc, argv, opts, 3, NULL, &nops, 0, "approvals") < 0)
		return CL_EXIT_CONFIG;
	if (strcmp(format, "text") && strcmp(format, "csv") && strcmp(format, "json")) {
		fprintf(stderr, "clearance: approvals: unknown format '%s' (text, csv or json)\n", format);
		return CL_EXIT_CONFIG;
	}
	if (state && cl_approval_state_parse(&st, state) < 0)
		return ap_fail("bad --state");
	if (expiring && ap_number(&days, expiring, 1, 36600) < 0) {
		fprintf(stderr, "clearance: approvals: --expiring is a number of days\n");
		return CL_EXIT_CONFIG;
	}
	memset(&l, 0, sizeof(l));
	l.format = format;
	l.now = c->now;
	l.expiring = days * DAY;
	l.array = json_array();
	if (!strcmp(format, "csv"))
		cl_csv_put_record(&l.out, ap_columns, AP_NCOLUMNS);
	error = cl_approvals_foreach(c->store, state ? (int)st : -1, ap_list_one, &l);
	if (error == 0 && !strcmp(format, "json")) {
		char *text = json_dumps(l.array, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (!text || cl_buf_printf(&l.out, "{\"approvals\": %s}\n", text) < 0)
			error = cl_error_set("out of memory");
		free(text);
	}
	if (error == 0 && !strcmp(format, "text") && l.count == 0)
		error = cl_buf_puts(&l.out, "no approvals\n");
	if (error == 0 && l.out.size)
		fwrite(l.out.ptr, 1, l.out.size, stdout);
	cl_buf_dispose(&l.out);
	json_decref(l.array);
	return error < 0 ? ap_fail("cannot list approvals") : CL_EXIT_OK;
}

struct ap_trail {
	int json;
	json_t *array;
};

static int ap_audit_row(int64_t at, int64_t approval, const char *actor, const char *action,
	const char *from, const char *to, const char *url, const char *message, void *payload)
{
	struct ap_trail *t = payload;
	char when[32];

	(void)approval;
	ap_time(when, sizeof(when), at);
	if (t->json)
		return json_array_append_new(t->array, json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?}",
			"at", when, "actor", actor, "action", action, "from", from, "to", to, "url", url,
			"message", message)) < 0 ? cl_error_set("out of memory") : 0;
	printf("  %s  %-11s %-9s %s -> %s%s%s%s%s\n", when, action, actor, from ? from : "-",
		to ? to : "-", url ? "  " : "", url ? url : "", message ? "  " : "",
		message ? message : "");
	return 0;
}

static int ap_show(struct ap_ctx *c, int argc, char **argv)
{
	const char *format = "text";
	const struct cli_opt opts[] = { { "--format", &format } };
	struct ap_trail t = { 0, NULL };
	struct cl_approval a;
	char *ops[1], expires[32], decided[32];
	int64_t id;
	int nops, error;

	if (cli_parse_options(argc, argv, opts, 1, ops, &nops, 1, "approvals") < 0 || nops != 1 ||
	    ap_id(&id, ops[0]) < 0)
		return CL_EXIT_CONFIG;
	if (cl_approval_get(&a, c->store, id) < 0)
		return ap_fail("cannot show");
	t.json = !strcmp(format, "json");
	if (t.json) {
		json_t *o = ap_json(&a);
		char *text;
		t.array = json_array();
		error = cl_approvals_audit_foreach(c->store, id, ap_audit_row, &t);
		if (error == 0 && o && json_object_set(o, "audit", t.array) == 0 &&
		    (text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) != NULL) {
			printf("%s\n", text);
			free(text);
		}
		json_decref(o);
		json_decref(t.array);
	} else {
		ap_time(expires, sizeof(expires), a.expires_at);
		ap_time(decided, sizeof(decided), a.decided_at);
		printf("approval #%" PRId64 ": %s\n"
			"  upstream     %s (%s/%s/%s)\n"
			"  license      %s\n"
			"  requester    %s%s%s%s%s\n"
			"  contribution %s, about %lld lines\n"
			"  CLA/DCO      %s%s%s%s%s\n"
			"  scope        %s%s\n"
			"  reason       %s\n",
			a.id, cl_approval_state_name(a.state), a.upstream_url, a.upstream_host,
			a.upstream_owner, a.upstream_repo, a.license ? a.license : "-",
			a.requester ? a.requester : "-", a.email ? " <" : "", a.email ? a.email : "",
			a.email ? ">" : "", a.business_unit ? ", " : "", a.kind ? a.kind : "-",
			a.expected_lines, cl_approval_cla_name(a.cla), a.cla_document ? ", " : "",
			a.cla_document ? a.cla_document : "", a.cla_signer ? ", signed by " : "",
			a.cla_signer ? a.cla_signer : "", cl_approval_scope_name(a.scope),
			a.size_limit ? " (size limit set)" : "", a.justification ? a.justification : "-");
		if (a.business_unit)
			printf("  unit         %s\n", a.business_unit);
		if (a.issue_url)
			printf("  issue        %s\n", a.issue_url);
		if (a.decided_by)
			printf("  decided      by %s at %s%s%s\n", a.decided_by, decided,
				a.decision_message ? ": " : "", a.decision_message ? a.decision_message : "");
		if (a.pre_approved_by)
			printf("  pre-approved by the policy's %s\n", a.pre_approved_by);
		if (a.size_limit)
			printf("  size limit   %lld lines per contribution\n", a.size_limit);
		if (a.upstream_version)
			printf("  upstream at  %s (a \"major\" approval ends with the next major)\n",
				a.upstream_version);
		if (a.used_by)
			printf("  used by      %s\n", a.used_by);
		if (a.team)
			printf("  team         %s (covers its members)\n", a.team);
		if (a.expires_at)
			printf("  expires      %s\n", expires);
		printf("audit:\n");
		error = cl_approvals_audit_foreach(c->store, id, ap_audit_row, &t);
	}
	cl_approval_dispose(&a);
	return error < 0 ? ap_fail("cannot read the audit trail") : CL_EXIT_OK;
}

/* ---- the sweep --------------------------------------------------------------- */

static int ap_due_print(const struct cl_approval *a, enum cl_approval_due what, void *payload)
{
	(void)payload;
	printf("approval #%" PRId64 " %s\n", a->id,
		what == CL_APPROVAL_DUE_EXPIRED ? "expired" : "expires soon (requester to be warned)");
	return 0;
}

static int ap_expire(struct ap_ctx *c)
{
	int64_t warn = (int64_t)(c->policy ? cl_policy_approvals(c->policy)->warn_days :
		CL_APPROVAL_WARN_DAYS_DEFAULT) * DAY;
	if (cl_approvals_sweep(c->store, c->now, warn, NULL, ap_due_print, NULL) < 0)
		return ap_fail("cannot expire approvals");
	return CL_EXIT_OK;
}

/* ---- dispatch -------------------------------------------------------------- */

static int ap_open(struct ap_ctx *c, const char *store_path, const char *policy_path, int create)
{
	if (policy_path && cl_policy_load(&c->policy, policy_path) < 0)
		return ap_fail(NULL);
	if (cl_approvals_open(&c->store, store_path, create) < 0) {
		cl_policy_free(c->policy);
		c->policy = NULL;
		return ap_fail("cannot open the approvals store");
	}
	return 0;
}

int cmd_approvals(int argc, char **argv)
{
	const char *store_path = getenv("CLEARANCE_STORE"), *policy_path = NULL;
	struct ap_ctx c;
	const char *cmd;
	int i = 1, rc, reading;

	memset(&c, 0, sizeof(c));
	c.actor = getenv("USER");
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			approvals_usage(stdout);
			return CL_EXIT_OK;
		} else if (!strcmp(argv[i], "--store") && i + 1 < argc) {
			store_path = argv[++i];
		} else if (!strcmp(argv[i], "--actor") && i + 1 < argc) {
			c.actor = argv[++i];
		} else if (!strcmp(argv[i], "--policy") && i + 1 < argc) {
			policy_path = argv[++i];
		} else {
			fprintf(stderr, "clearance: approvals: unknown option '%s'\n", argv[i]);
			approvals_usage(stderr);
			return CL_EXIT_CONFIG;
		}
	}
	if (i >= argc) {
		approvals_usage(stderr);
		return CL_EXIT_CONFIG;
	}
	cmd = argv[i++];
	if (!store_path || !*store_path)
		store_path = AP_DEFAULT_STORE;
	if (!c.actor || !*c.actor)
		c.actor = "unknown";
	c.now = ap_now();
	if (strcmp(cmd, "request") && strcmp(cmd, "list") && strcmp(cmd, "show") &&
	    strcmp(cmd, "export") && strcmp(cmd, "approve") && strcmp(cmd, "deny") &&
	    strcmp(cmd, "revoke") && strcmp(cmd, "info") && strcmp(cmd, "expire") &&
	    strcmp(cmd, "re-review")) {
		fprintf(stderr, "clearance: approvals: unknown command '%s'\n", cmd);
		approvals_usage(stderr);
		return CL_EXIT_CONFIG;
	}
	/* Reading commands must not create an empty store by a typo in --store. */
	reading = !strcmp(cmd, "list") || !strcmp(cmd, "show") || !strcmp(cmd, "export");
	if (ap_open(&c, store_path, policy_path, !reading) != 0)
		return CL_EXIT_CONFIG;

	if (!strcmp(cmd, "request"))
		rc = ap_request(&c, argc - i, argv + i);
	else if (!strcmp(cmd, "list"))
		rc = ap_list(&c, argc - i, argv + i, "text");
	else if (!strcmp(cmd, "export"))
		rc = ap_list(&c, argc - i, argv + i, "json");
	else if (!strcmp(cmd, "show"))
		rc = ap_show(&c, argc - i, argv + i);
	else if (!strcmp(cmd, "approve"))
		rc = ap_decide(&c, CL_APPROVAL_APPROVED, argc - i, argv + i);
	else if (!strcmp(cmd, "deny"))
		rc = ap_decide(&c, CL_APPROVAL_DENIED, argc - i, argv + i);
	else if (!strcmp(cmd, "revoke"))
		rc = ap_decide(&c, CL_APPROVAL_REVOKED, argc - i, argv + i);
	else if (!strcmp(cmd, "info"))
		rc = ap_decide(&c, CL_APPROVAL_NEEDS_INFO, argc - i, argv + i);
	else if (!strcmp(cmd, "re-review"))
		rc = ap_decide(&c, CL_APPROVAL_NEEDS_RE_REVIEW, argc - i, argv + i);
	else
		rc = ap_expire(&c);
	cl_approvals_free(c.store);
	cl_policy_free(c.policy);
	return rc;
}

/* ---- the contributions report ------------------------------------------- */

/*
 * Numbers the OSPO asks for: contributions per project, per engineer, per
 * month, from the outbound commits the approval check recorded (hooks and
 * bot alike, each with the approval that covered it when it was seen);
 * approvals by state and those expiring within 30 days.
 */
struct report {
	sqlite3 *db;
	int64_t since, until;
	json_t *root;
};

static int report_rows(struct report *r, const char *key, const char *sql, int columns,
	const char *const *names)
{
	sqlite3_stmt *st = NULL;
	json_t *list = json_array();
	int rc, i, error = 0;

	if (!list)
		return cl_error_set("out of memory");
	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
		json_decref(list);
		return cl_error_from_sqlite(r->db, "report");
	}
	sqlite3_bind_int64(st, 1, r->since);
	sqlite3_bind_int64(st, 2, r->until);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *row = json_object();
		for (i = 0; row && i < columns; i++) {
			json_t *v = sqlite3_column_type(st, i) == SQLITE_INTEGER ?
				json_integer(sqlite3_column_int64(st, i)) :
				sqlite3_column_type(st, i) == SQLITE_NULL ? json_null() :
				json_string((const char *)sqlite3_column_text(st, i));
			json_object_set_new(row, names[i], v);
		}
		if (!row || json_array_append_new(list, row) < 0) {
			error = cl_error_set("out of memory");
			break;
		}
	}
	if (error == 0 && rc != SQLITE_DONE)
		error = cl_error_from_sqlite(r->db, "report");
	sqlite3_finalize(st);
	if (error == 0)
		error = json_object_set_new(r->root, key, list) < 0 ? cl_error_set("out of memory") : 0;
	else
		json_decref(list);
	return error;
}

static int report_csv_section(struct cl_buf *out, const char *title, json_t *rows,
	const char *const *names, int columns)
{
	size_t i;
	json_t *row;
	int c, error;

	if ((error = cl_buf_printf(out, "# %s\n", title)) < 0 ||
	    (error = cl_csv_put_record(out, names, (size_t)columns)) < 0)
		return error;
	json_array_foreach(rows, i, row) {
		for (c = 0; c < columns; c++) {
			json_t *v = json_object_get(row, names[c]);
			char num[32];
			const char *text = json_string_value(v);
			if (json_is_integer(v)) {
				snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
				text = num;
			}
			if ((error = cl_csv_put_field(out, text, c == columns - 1)) < 0)
				return error;
		}
	}
	return 0;
}

int cmd_report(int argc, char **argv)
{
	static const char *const proj[] = { "repository", "commits", "engineers", "covered" };
	static const char *const eng[] = { "email", "commits", "repositories", "covered" };
	static const char *const month[] = { "month", "commits", "covered" };
	static const char *const app_proj[] = { "project", "approvals", "approved", "engineers" };
	static const char *const by_state[] = { "state", "approvals" };
	static const char *const expiring[] = { "id", "project", "requester", "expires_at" };
	const char *store_path = getenv("CLEARANCE_STORE"), *since = NULL, *until = NULL;
	const char *format = "text";
	const struct cli_opt opts[] = { { "--store", &store_path }, { "--since", &since },
		{ "--until", &until }, { "--format", &format } };
	struct cl_approvals *store = NULL;
	struct report r;
	char *ops[1], *text = NULL;
	int nops, error = 0;
	int64_t now = ap_now();

	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: clearance report contributions [--store PATH] --since YYYY-MM-DD "
			"[--until YYYY-MM-DD] [--format text|csv|json]\n"
			"Outbound contributions per project, per engineer and per month (the outbound\n"
			"commits the approval check saw, in hooks and bot), approvals per project, by state,\n"
			"and those expiring within 30 days.\n");
		return CL_EXIT_OK;
	}
	if (cli_parse_options(argc - 1, argv + 1, opts, 4, ops, &nops, 1, "report") < 0)
		return CL_EXIT_CONFIG;
	if (nops != 1 || strcmp(ops[0], "contributions")) {
		fprintf(stderr, "clearance: report: usage: report contributions --since DATE "
			"[--format text|csv|json]\n");
		return CL_EXIT_CONFIG;
	}
	if (strcmp(format, "text") && strcmp(format, "csv") && strcmp(format, "json")) {
		fprintf(stderr, "clearance: report: unknown format '%s' (text, csv or json)\n", format);
		return CL_EXIT_CONFIG;
	}
	memset(&r, 0, sizeof(r));
	r.until = INT64_MAX;
	if (cli_need(since, "--since", "approvals") < 0)
		return CL_EXIT_CONFIG;
	if (ap_date(&r.since, since, 0) < 0 || (until && ap_date(&r.until, until, 1) < 0))
		return ap_fail("report");
	if (!store_path || !*store_path)
		store_path = AP_DEFAULT_STORE;
	if (cl_approvals_open(&store, store_path, 0) < 0)
		return ap_fail("cannot open the store");
	r.db = cl_approvals_db(store);
	r.root = json_pack("{s:s, s:s?}", "since", since, "until", until);
	if (!r.root) {
		error = cl_error_set("out of memory");
		goto done;
	}
	if ((error = report_rows(&r, "per_project", "SELECT repository, COUNT(*), "
			"COUNT(DISTINCT email), SUM(approval IS NOT NULL) FROM contributions "
			"WHERE committed_at BETWEEN ?1 AND ?2 GROUP BY repository ORDER BY 2 DESC, 1",
			4, proj)) < 0 ||
	    (error = report_rows(&r, "per_engineer", "SELECT email, COUNT(*), "
			"COUNT(DISTINCT repository), SUM(approval IS NOT NULL) FROM contributions "
			"WHERE committed_at BETWEEN ?1 AND ?2 GROUP BY email ORDER BY 2 DESC, 1",
			4, eng)) < 0 ||
	    (error = report_rows(&r, "per_month", "SELECT strftime('%Y-%m', committed_at, "
			"'unixepoch'), COUNT(*), SUM(approval IS NOT NULL) FROM contributions "
			"WHERE committed_at BETWEEN ?1 AND ?2 GROUP BY 1 ORDER BY 1", 3, month)) < 0)
		goto done;
	if ((error = report_rows(&r, "approvals_per_project", "SELECT upstream_host || '/' || "
			"upstream_owner || '/' || upstream_repo, COUNT(*), SUM(state = 'approved'), "
			"COUNT(DISTINCT requester) FROM approvals WHERE created_at BETWEEN ?1 AND ?2 "
			"GROUP BY 1 ORDER BY 2 DESC, 1", 4, app_proj)) < 0 ||
	    (error = report_rows(&r, "approvals_by_state", "SELECT state, COUNT(*) FROM approvals "
			"WHERE created_at BETWEEN ?1 AND ?2 GROUP BY state ORDER BY state", 2, by_state)) < 0)
		goto done;
	r.since = now;
	r.until = now + 30 * DAY;
	if ((error = report_rows(&r, "expiring_soon", "SELECT id, upstream_host || '/' || "
			"upstream_owner || '/' || upstream_repo, requester, strftime('%Y-%m-%dT%H:%M:%SZ', "
			"expires_at, 'unixepoch') FROM approvals WHERE state = 'approved' AND expires_at "
			"BETWEEN ?1 AND ?2 ORDER BY expires_at", 4, expiring)) < 0)
		goto done;

	if (!strcmp(format, "json")) {
		if (!(text = json_dumps(r.root, JSON_INDENT(2) | JSON_PRESERVE_ORDER))) {
			error = cl_error_set("out of memory");
			goto done;
		}
		printf("%s\n", text);
	} else {
		struct cl_buf out = CL_BUF_INIT;
		if (((error = report_csv_section(&out, "contributions per project",
				json_object_get(r.root, "per_project"), proj, 4)) < 0 ||
		     (error = report_csv_section(&out, "contributions per engineer",
				json_object_get(r.root, "per_engineer"), eng, 4)) < 0 ||
		     (error = report_csv_section(&out, "contributions per month",
				json_object_get(r.root, "per_month"), month, 3)) < 0))
			goto text_done;
		if ((error = report_csv_section(&out, "approvals per project",
				json_object_get(r.root, "approvals_per_project"), app_proj, 4)) < 0 ||
		    (error = report_csv_section(&out, "approvals by state",
				json_object_get(r.root, "approvals_by_state"), by_state, 2)) < 0 ||
		    (error = report_csv_section(&out, "approvals expiring within 30 days",
				json_object_get(r.root, "expiring_soon"), expiring, 4)) < 0)
			goto text_done;
		fwrite(out.ptr, 1, out.size, stdout);
text_done:
		cl_buf_dispose(&out);
	}
done:
	free(text);
	json_decref(r.root);
	cl_approvals_free(store);
	return error < 0 ? ap_fail("report") : CL_EXIT_OK;
}
