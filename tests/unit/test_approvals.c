/*
 * Outbound contribution approvals: the issue form read back (complete,
 * incomplete, edited), every move of the state machine and its audit row,
 * pre-approval rules from a real policy, and the expiry sweep on a fixed
 * clock (expired once, warned once).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "approval_check.h"
#include "approval_form.h"
#include "approvals.h"
#include "buf.h"
#include "error.h"
#include "policy.h"
#include "template.h"
#include "webhook.h"

#define DAY 86400
#define T0 1780000000   /* the fixed clock */

static const char *srcdir(void)
{
	const char *d = getenv("CLEARANCE_SRCDIR");
	return d && *d ? d : ".";
}

static char *read_src(const char *rel)
{
	struct cl_buf b = CL_BUF_INIT;
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", srcdir(), rel);
	cl_buf_init(&b, 0);
	assert_int_equal(cl_buf_read_path(&b, path), 0);
	return cl_buf_detach(&b);
}

/* ---- the form ---- */

static void test_form_complete(void **state)
{
	struct cl_approval_form f;
	char *body = read_src("tests/approvals/form-complete.md");
	(void)state;

	assert_int_equal(cl_approval_form_detect(body, strlen(body)), 1);
	assert_int_equal(cl_approval_form_parse(&f, body, strlen(body)), 0);
	assert_string_equal(f.problems, "");
	assert_string_equal(f.upstream_url, "https://github.com/libgit2/libgit2");
	assert_string_equal(f.host, "github.com");
	assert_string_equal(f.owner, "libgit2");
	assert_string_equal(f.repo, "libgit2");
	assert_string_equal(f.license, "GPL-2.0-only WITH GCC-exception-2.0");
	assert_int_equal(f.expected_lines, 40);
	assert_int_equal(f.cla, CL_APPROVAL_CLA_NONE);
	assert_null(f.cla_document);   /* _No response_ */
	assert_int_equal(f.scope, CL_SCOPE_ONE);
	assert_string_equal(f.email, "dev@acme.example");
	assert_string_equal(f.justification,
		"Our push server crashes on a malformed pack; the fix belongs upstream.");
	cl_approval_form_dispose(&f);
	free(body);
}

/* Exactly what is missing or wrong, in the form's order. */
static void test_form_incomplete(void **state)
{
	struct cl_approval_form f;
	char *body = read_src("tests/approvals/form-incomplete.md");
	(void)state;

	assert_int_equal(cl_approval_form_parse(&f, body, strlen(body)), CL_EINVALID);
	assert_string_equal(f.problems,
		"Upstream project URL: 'github.com/libgit2' is not a repository URL such as https://github.com/OWNER/REPO\n"
		"Upstream license: 'Apache 2' is not an SPDX license expression such as MIT or Apache-2.0 (see https://spdx.org/licenses/)\n"
		"missing: Expected size\n"
		"missing: CLA document and signer\n"
		"Scope requested: 'Forever' is not one of One contribution, Per-project blanket, Until next major release, Full trust\n"
		"Work email: 'dev at acme' is not an email address\n"
		"missing: Business unit\n"
		"missing: Business reason\n");
	assert_int_equal(f.problem_count, 8);
	cl_approval_form_dispose(&f);
	free(body);

	/* Not the form at all, a field twice, a NUL, too large. */
	assert_int_equal(cl_approval_form_detect("just a question", 15), 0);
	assert_int_equal(cl_approval_form_parse(&f, "hello", 5), CL_EINVALID);
	assert_non_null(strstr(f.problems, "missing: Upstream project URL\n"));
	cl_approval_form_dispose(&f);
	{
		static const char twice[] = "### Work email\n\na@b.example\n\n### Work email\n\nc@d.example\n";
		assert_int_equal(cl_approval_form_parse(&f, twice, sizeof(twice) - 1), CL_EINVALID);
		assert_non_null(strstr(f.problems, "Work email: the field is given twice"));
		assert_string_equal(f.email, "a@b.example");
		cl_approval_form_dispose(&f);
		assert_int_equal(cl_approval_form_parse(&f, "### Work\0email", 14), CL_EINVALID);
		cl_approval_form_dispose(&f);
	}
	{
		size_t n = CL_APPROVAL_FORM_MAX + 1;
		char *big = malloc(n);
		assert_non_null(big);
		memset(big, 'a', n);
		assert_int_equal(cl_approval_form_parse(&f, big, n), CL_ETOOBIG);
		cl_approval_form_dispose(&f);
		free(big);
	}
}

/* Every label of the shipped form is one the parser reads. */
static void test_form_template_labels(void **state)
{
	static const char *const labels[] = { "Upstream project URL", "Upstream license",
		"Kind of contribution", "Expected size", "CLA or DCO required",
		"CLA document and signer", "Scope requested", "Work email", "Business unit",
		"Business reason" };
	const char *tmpl;
	struct cl_buf holder = CL_BUF_INIT;
	size_t len, i;
	char want[128];
	(void)state;

	assert_int_equal(cl_template_find(&tmpl, &len, &holder, "outbound-contribution.yml"), 0);
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		snprintf(want, sizeof(want), "label: %s\n", labels[i]);
		assert_non_null(strstr(tmpl, want));
	}
	cl_buf_dispose(&holder);
}

/* ---- the store ---- */

static char store_path[64];

static struct cl_approvals *open_store(void)
{
	struct cl_approvals *s = NULL;
	snprintf(store_path, sizeof(store_path), "/tmp/cl-approvals-XXXXXX");
	{
		int fd = mkstemp(store_path);
		assert_true(fd >= 0);
		close(fd);
		unlink(store_path);
	}
	assert_int_equal(cl_approvals_open(&s, store_path, 1), 0);
	return s;
}

static void close_store(struct cl_approvals *s)
{
	char path[128];
	cl_approvals_free(s);
	unlink(store_path);
	snprintf(path, sizeof(path), "%s-wal", store_path);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", store_path);
	unlink(path);
}

static void sample_request(struct cl_approval *r, long long issue)
{
	memset(r, 0, sizeof(*r));
	r->requester = "dev";
	r->email = "dev@acme.example";
	r->business_unit = "Platform";
	r->upstream_url = "https://github.com/libgit2/libgit2";
	r->license = "GPL-2.0-only WITH GCC-exception-2.0";
	r->kind = "Bug fix";
	r->expected_lines = 40;
	r->justification = "a crash";
	if (issue) {
		r->forge = "github";
		r->issue_repo = "acme/ospo";
		r->issue_number = issue;
		r->issue_url = "https://github.com/acme/ospo/issues/1";
	}
}

static enum cl_approval_state state_of(struct cl_approvals *s, int64_t id)
{
	struct cl_approval a;
	enum cl_approval_state st;
	assert_int_equal(cl_approval_get(&a, s, id), 0);
	st = a.state;
	cl_approval_dispose(&a);
	return st;
}

static int64_t new_request(struct cl_approvals *s, long long issue)
{
	struct cl_approval r;
	int64_t id = 0;
	int created = -1;
	sample_request(&r, issue);
	assert_int_equal(cl_approval_request(&id, &created, s, &r, "dev", "https://x/1", T0), 0);
	assert_int_equal(created, 1);
	return id;
}

static int move(struct cl_approvals *s, int64_t id, enum cl_approval_state to, const char *msg)
{
	struct cl_approval_decision d = CL_APPROVAL_DECISION_INIT;
	d.actor = "olivia";
	d.message = msg;
	d.url = "https://github.com/acme/ospo/issues/1#issuecomment-9";
	return cl_approval_transition(s, id, to, &d, 365 * DAY, T0 + 10);
}

/* Every pair of states: allowed moves work (and are audited), others are refused. */
static void test_transitions(void **state)
{
	/* a path to each state from requested, by allowed moves */
	static const enum cl_approval_state paths[CL_APPROVAL_STATE_COUNT][3] = {
		[CL_APPROVAL_REQUESTED] = { CL_APPROVAL_REQUESTED },
		[CL_APPROVAL_APPROVED] = { CL_APPROVAL_APPROVED },
		[CL_APPROVAL_DENIED] = { CL_APPROVAL_DENIED },
		[CL_APPROVAL_NEEDS_INFO] = { CL_APPROVAL_NEEDS_INFO },
		[CL_APPROVAL_EXPIRED] = { CL_APPROVAL_APPROVED, CL_APPROVAL_EXPIRED },
		[CL_APPROVAL_REVOKED] = { CL_APPROVAL_APPROVED, CL_APPROVAL_REVOKED },
		[CL_APPROVAL_NEEDS_RE_REVIEW] = { CL_APPROVAL_APPROVED, CL_APPROVAL_NEEDS_RE_REVIEW },
	};
	struct cl_approvals *s = open_store();
	int from, to, allowed = 0, refused = 0;
	(void)state;

	for (from = 0; from < CL_APPROVAL_STATE_COUNT; from++) {
		for (to = 0; to < CL_APPROVAL_STATE_COUNT; to++) {
			int64_t id = new_request(s, 0);
			int k, rc;
			for (k = 0; k < 3 && paths[from][k] != CL_APPROVAL_REQUESTED; k++)
				assert_int_equal(move(s, id, paths[from][k], "because"), 0);
			assert_int_equal(state_of(s, id), from);
			rc = move(s, id, (enum cl_approval_state)to, "because");
			if (cl_approval_can_move((enum cl_approval_state)from, (enum cl_approval_state)to)) {
				assert_int_equal(rc, 0);
				assert_int_equal(state_of(s, id), to);
				allowed++;
			} else {
				assert_int_equal(rc, CL_EINVALID);
				assert_non_null(strstr(cl_error_last(), "cannot become"));
				assert_int_equal(state_of(s, id), from);
				refused++;
			}
		}
	}
	assert_int_equal(allowed, 14);
	assert_int_equal(refused, 35);

	/* Deny, revoke and info need their reason or question. */
	{
		int64_t id = new_request(s, 0);
		assert_int_equal(move(s, id, CL_APPROVAL_DENIED, NULL), CL_EINVALID);
		assert_int_equal(move(s, id, CL_APPROVAL_NEEDS_INFO, ""), CL_EINVALID);
		assert_int_equal(state_of(s, id), CL_APPROVAL_REQUESTED);
	}
	close_store(s);
}

struct audit_rows { int n; char last[256]; };

static int count_audit(int64_t at, int64_t approval, const char *actor, const char *action,
	const char *from, const char *to, const char *url, const char *message, void *payload)
{
	struct audit_rows *r = payload;
	(void)approval;
	r->n++;
	snprintf(r->last, sizeof(r->last), "%lld %s %s %s->%s %s %s", (long long)at, actor, action,
		from ? from : "-", to ? to : "-", url ? url : "-", message ? message : "-");
	return 0;
}

static void test_approve_records_decision(void **state)
{
	struct cl_approvals *s = open_store();
	struct cl_approval_decision d = CL_APPROVAL_DECISION_INIT;
	struct cl_approval a;
	struct audit_rows rows = { 0, "" };
	int64_t id = new_request(s, 1);
	(void)state;

	d.actor = "olivia";
	d.url = "https://github.com/acme/ospo/issues/1#issuecomment-7";
	d.has_scope = 1;
	d.scope = CL_SCOPE_PROJECT;
	d.size_limit = 500;
	assert_int_equal(cl_approval_transition(s, id, CL_APPROVAL_APPROVED, &d, 365 * DAY, T0 + 60), 0);
	assert_int_equal(cl_approval_get(&a, s, id), 0);
	assert_int_equal(a.state, CL_APPROVAL_APPROVED);
	assert_string_equal(a.decided_by, "olivia");
	assert_int_equal(a.decided_at, T0 + 60);
	assert_string_equal(a.decision_url, d.url);
	assert_int_equal(a.scope, CL_SCOPE_PROJECT);
	assert_int_equal(a.size_limit, 500);
	assert_int_equal(a.expires_at, T0 + 60 + 365 * DAY);
	assert_string_equal(a.upstream_host, "github.com");
	assert_string_equal(a.upstream_owner, "libgit2");
	cl_approval_dispose(&a);

	assert_int_equal(cl_approvals_audit_foreach(s, id, count_audit, &rows), 0);
	assert_int_equal(rows.n, 2);
	assert_string_equal(rows.last, "1780000060 olivia approve requested->approved "
		"https://github.com/acme/ospo/issues/1#issuecomment-7 -");
	close_store(s);
}

/* Scopes in the store: "one" is used up by its first contribution, "major"
 * ends with the upstream's next major release. */
static void test_scopes_covering(void **state)
{
	struct cl_approvals *s = open_store();
	struct cl_approval r, a;
	struct audit_rows rows = { 0, "" };
	int64_t one, major, id = 0;
	(void)state;

	one = new_request(s, 0);
	assert_int_equal(move(s, one, CL_APPROVAL_APPROVED, NULL), 0);
	/* any contribution until one uses it; then only that one */
	assert_int_equal(cl_approval_covering(&id, s, "DEV@acme.example", "libgit2", T0 + 20,
		"acme/libgit2:refs/heads/a", -1, NULL, 0), 0);
	assert_int_equal(id, one);
	assert_int_equal(cl_approval_use(s, one, "acme/libgit2:refs/heads/a", "c0ffee", T0 + 20), 0);
	assert_int_equal(cl_approval_use(s, one, "acme/libgit2:refs/heads/b", "beef", T0 + 30), 0);
	assert_int_equal(cl_approval_get(&a, s, one), 0);
	assert_string_equal(a.used_by, "acme/libgit2:refs/heads/a");
	assert_int_equal(a.used_at, T0 + 20);
	cl_approval_dispose(&a);
	assert_int_equal(cl_approvals_audit_foreach(s, one, count_audit, &rows), 0);
	assert_int_equal(rows.n, 3);   /* request, approve, one use: the second claim is a no-op */
	assert_string_equal(rows.last, "1780000020 clearance used approved->approved - "
		"used by acme/libgit2:refs/heads/a (commit c0ffee)");
	assert_int_equal(cl_approval_covering(&id, s, "dev@acme.example", "libgit2", T0 + 40,
		"acme/libgit2:refs/heads/a", -1, NULL, 0), 0);
	assert_int_equal(cl_approval_covering(&id, s, "dev@acme.example", "libgit2", T0 + 40,
		"acme/libgit2:refs/heads/b", -1, NULL, 0), CL_ENOTFOUND);
	cl_error_clear();

	/* "major", given at 2.1: covers while the fork's newest release is 2.x */
	sample_request(&r, 0);
	r.upstream_version = "v2.1.0";
	assert_int_equal(cl_approval_request(&major, NULL, s, &r, "dev", "cli", T0), 0);
	{
		struct cl_approval_decision d = CL_APPROVAL_DECISION_INIT;
		d.actor = "olivia";
		d.url = "cli";
		d.has_scope = 1;
		d.scope = CL_SCOPE_MAJOR;
		assert_int_equal(cl_approval_transition(s, major, CL_APPROVAL_APPROVED, &d, 365 * DAY,
			T0 + 50), 0);
	}
	assert_int_equal(cl_approval_covering(&id, s, "dev@acme.example", "libgit2", T0 + 60,
		"acme/libgit2:refs/heads/b", 2, NULL, 0), 0);
	assert_int_equal(id, major);
	assert_int_equal(cl_approval_covering(&id, s, "dev@acme.example", "libgit2", T0 + 60,
		"acme/libgit2:refs/heads/b", -1, NULL, 0), 0);
	assert_int_equal(cl_approval_covering(&id, s, "dev@acme.example", "libgit2", T0 + 60,
		"acme/libgit2:refs/heads/b", 3, NULL, 0), CL_ENOTFOUND);
	cl_error_clear();
	/* the used "one" approval still covers its own contribution after 3.0 */
	assert_int_equal(cl_approval_covering(&id, s, "dev@acme.example", "libgit2", T0 + 60,
		"acme/libgit2:refs/heads/a", 3, NULL, 0), 0);
	assert_int_equal(id, one);
	close_store(s);
}

/* A team approval covers the team's members (policy approvals.teams), and
 * the decision records who signed the upstream's CLA. */
static void test_team_approval(void **state)
{
	static const char yml[] =
		"approvals:\n"
		"  enabled: true\n"
		"  approvers: [olivia]\n"
		"  teams:\n"
		"    - {name: acme/kernel, members: [Kim@acme.example, lee]}\n"
		"    - {name: acme/web, members: [web@acme.example]}\n";
	static const char bad[] =
		"approvals:\n  enabled: true\n  approvers: [olivia]\n  teams:\n    - {name: acme/x}\n";
	struct cl_approvals *s = open_store();
	struct cl_approval_decision d = CL_APPROVAL_DECISION_INIT;
	struct cl_policy *p = NULL, *q = NULL;
	struct cl_approval a;
	const char *teams[4];
	int64_t id, got = 0;
	(void)state;

	assert_int_equal(cl_policy_load_buffer(&p, yml, sizeof(yml) - 1, "t.yml"), 0);
	assert_int_equal(cl_policy_approvals(p)->team_count, 2);
	assert_int_equal(cl_approval_teams_of(teams, 4, cl_policy_approvals(p), "kim@ACME.example",
		NULL), 1);
	assert_string_equal(teams[0], "acme/kernel");
	assert_int_equal(cl_approval_teams_of(teams, 4, cl_policy_approvals(p), "x@acme.example",
		"Lee"), 1);
	assert_int_equal(cl_approval_teams_of(teams, 4, cl_policy_approvals(p), "x@acme.example",
		NULL), 0);
	assert_int_equal(cl_policy_load_buffer(&q, bad, sizeof(bad) - 1, "t.yml") < 0, 1);
	assert_null(q);
	cl_error_clear();

	id = new_request(s, 0);
	d.actor = "olivia";
	d.url = "cli";
	d.has_scope = 1;
	d.scope = CL_SCOPE_PROJECT;
	d.team = "acme/kernel";
	d.cla_signer = "Acme Corp (corporate CLA, signed by legal)";
	assert_int_equal(cl_approval_transition(s, id, CL_APPROVAL_APPROVED, &d, 365 * DAY, T0 + 5), 0);
	assert_int_equal(cl_approval_get(&a, s, id), 0);
	assert_string_equal(a.team, "acme/kernel");
	assert_string_equal(a.cla_signer, "Acme Corp (corporate CLA, signed by legal)");
	cl_approval_dispose(&a);
	/* kim is no requester, but in the team */
	assert_int_equal(cl_approval_teams_of(teams, 4, cl_policy_approvals(p), "kim@acme.example",
		NULL), 1);
	assert_int_equal(cl_approval_covering(&got, s, "kim@acme.example", "libgit2", T0 + 9, NULL,
		-1, (char *const *)teams, 1), 0);
	assert_int_equal(got, id);
	teams[0] = "acme/web";
	assert_int_equal(cl_approval_covering(&got, s, "web@acme.example", "libgit2", T0 + 9, NULL,
		-1, (char *const *)teams, 1), CL_ENOTFOUND);
	assert_int_equal(cl_approval_covering(&got, s, "kim@acme.example", "libgit2", T0 + 9, NULL,
		-1, NULL, 0), CL_ENOTFOUND);
	cl_error_clear();
	cl_policy_free(p);
	close_store(s);
}

/* The form's CLA answer (and the upstream's version) reach the record;
 * /approve signed-by: says who signed. */
static void test_form_cla_recorded(void **state)
{
	static const char body[] =
		"### Upstream project URL\n\nhttps://github.com/envoyproxy/envoy\n\n"
		"### Upstream license\n\nApache-2.0\n\n### Upstream version\n\nv1.31.2\n\n"
		"### Kind of contribution\n\nFeature\n\n"
		"### Expected size\n\n300\n\n### CLA or DCO required\n\nCorporate CLA\n\n"
		"### CLA document and signer\n\nhttps://cla.example/envoy v2, signed by the company\n\n"
		"### Scope requested\n\nPer-project blanket\n\n### Work email\n\ndev@acme.example\n\n"
		"### Business unit\n\nEdge\n\n### Business reason\n\nWe run it.\n";
	struct cl_approvals *s = open_store();
	struct cl_approval_form f;
	struct cl_approval_command c;
	struct cl_approval_decision d = CL_APPROVAL_DECISION_INIT;
	struct cl_approval r, a;
	int64_t id = 0;
	static const char cmd[] = "/approve signed-by:acme-legal";
	(void)state;

	assert_int_equal(cl_approval_form_parse(&f, body, sizeof(body) - 1), 0);
	memset(&r, 0, sizeof(r));
	cl_approval_form_to_request(&r, &f);
	r.requester = "dev";
	assert_int_equal(cl_approval_request(&id, NULL, s, &r, "dev", "u", T0), 0);
	cl_approval_form_dispose(&f);
	assert_int_equal(cl_approval_command_parse(&c, cmd, sizeof(cmd) - 1), 1);
	d.actor = "olivia";
	d.url = "u";
	d.cla_signer = c.cla_signer;
	assert_int_equal(cl_approval_transition(s, id, CL_APPROVAL_APPROVED, &d, DAY, T0 + 1), 0);
	assert_int_equal(cl_approval_get(&a, s, id), 0);
	assert_int_equal(a.cla, CL_APPROVAL_CLA_CORPORATE);
	assert_string_equal(a.cla_document, "https://cla.example/envoy v2, signed by the company");
	assert_string_equal(a.cla_signer, "acme-legal");
	assert_string_equal(a.upstream_version, "v1.31.2");   /* for a "major" scope */
	cl_approval_dispose(&a);
	close_store(s);
}

/* What sends an approval back to review when a change relicenses, as a table. */
static void test_license_differs(void **state)
{
	static const struct {
		const char *file, *ids[3], *license;
		int differs;
		const char *why;
	} cases[] = {
		{ "", { NULL }, "MIT", 0, NULL },
		{ "LICENSE", { NULL }, "MIT", 1, "the license file 'LICENSE' changed" },
		{ "", { "MIT" }, "mit", 0, NULL },
		{ "", { "Apache-2.0", "MIT" }, "MIT OR Apache-2.0", 0, NULL },
		{ "", { "GPL-2.0-only", "GCC-exception-2.0" }, "GPL-2.0-only WITH GCC-exception-2.0", 0, NULL },
		{ "", { "GPL-3.0-only" }, "(MIT OR BSD-3-Clause)", 1,
		  "an SPDX header now says 'GPL-3.0-only', which the approved license "
		  "'(MIT OR BSD-3-Clause)' does not name" },
		{ "", { "MIT" }, NULL, 1, NULL },
	};
	size_t i, j;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cl_license_diff d;
		char why[256] = "";
		memset(&d, 0, sizeof(d));
		snprintf(d.file, sizeof(d.file), "%s", cases[i].file);
		for (j = 0; j < 3 && cases[i].ids[j]; j++)
			snprintf(d.ids[d.id_count++], sizeof(d.ids[0]), "%s", cases[i].ids[j]);
		assert_int_equal(cl_approval_license_differs(why, sizeof(why), &d, cases[i].license),
			cases[i].differs);
		if (cases[i].why)
			assert_string_equal(why, cases[i].why);
	}
}

/* The issue is edited: the same record; needs-info goes back to requested,
 * an approval whose facts change goes back to review. */
static void test_edit(void **state)
{
	struct cl_approvals *s = open_store();
	struct cl_approval r;
	int64_t id = new_request(s, 5), again = 0;
	int created = -1;
	(void)state;

	assert_int_equal(move(s, id, CL_APPROVAL_NEEDS_INFO, "which component?"), 0);
	sample_request(&r, 5);
	r.justification = "the pack parser";
	assert_int_equal(cl_approval_request(&again, &created, s, &r, "dev", NULL, T0 + 20), 0);
	assert_int_equal(again, id);
	assert_int_equal(created, 0);
	assert_int_equal(state_of(s, id), CL_APPROVAL_REQUESTED);

	assert_int_equal(move(s, id, CL_APPROVAL_APPROVED, NULL), 0);
	/* an edit that changes nothing approved keeps the approval */
	r.business_unit = "Platform Infra";
	assert_int_equal(cl_approval_request(&again, &created, s, &r, "dev", NULL, T0 + 30), 0);
	assert_int_equal(state_of(s, id), CL_APPROVAL_APPROVED);
	/* a new license needs a new review */
	r.license = "SSPL-1.0";
	assert_int_equal(cl_approval_request(&again, &created, s, &r, "dev", NULL, T0 + 40), 0);
	assert_int_equal(state_of(s, id), CL_APPROVAL_NEEDS_RE_REVIEW);
	close_store(s);
}

/* ---- expiry on a fixed clock ---- */

struct due_log { int expired, warned; int64_t ids[8]; };

static int on_due(const struct cl_approval *a, enum cl_approval_due what, void *payload)
{
	struct due_log *l = payload;
	if (what == CL_APPROVAL_DUE_EXPIRED)
		l->expired++;
	else
		l->warned++;
	l->ids[(l->expired + l->warned - 1) & 7] = a->id;
	return 0;
}

static void test_sweep(void **state)
{
	struct cl_approvals *s = open_store();
	struct cl_approval_decision d = CL_APPROVAL_DECISION_INIT;
	struct due_log log;
	int64_t soon = new_request(s, 0), later = new_request(s, 0), past = new_request(s, 0);
	int64_t asked = new_request(s, 0);
	(void)state;

	d.actor = "olivia";
	d.expires_at = T0 + 10 * DAY;
	assert_int_equal(cl_approval_transition(s, soon, CL_APPROVAL_APPROVED, &d, 0, T0), 0);
	d.expires_at = T0 + 100 * DAY;
	assert_int_equal(cl_approval_transition(s, later, CL_APPROVAL_APPROVED, &d, 0, T0), 0);
	d.expires_at = T0 + DAY;
	assert_int_equal(cl_approval_transition(s, past, CL_APPROVAL_APPROVED, &d, 0, T0), 0);
	(void)asked;

	/* Two days on: `past` expired, `soon` (8 days left) warned, `later` untouched. */
	memset(&log, 0, sizeof(log));
	assert_int_equal(cl_approvals_sweep(s, T0 + 2 * DAY, 14 * DAY, NULL, on_due, &log), 0);
	assert_int_equal(log.expired, 1);
	assert_int_equal(log.warned, 1);
	assert_int_equal(state_of(s, past), CL_APPROVAL_EXPIRED);
	assert_int_equal(state_of(s, soon), CL_APPROVAL_APPROVED);
	assert_int_equal(state_of(s, later), CL_APPROVAL_APPROVED);

	/* Again, a minute later: nothing new (the warning is not repeated). */
	memset(&log, 0, sizeof(log));
	assert_int_equal(cl_approvals_sweep(s, T0 + 2 * DAY + 60, 14 * DAY, NULL, on_due, &log), 0);
	assert_int_equal(log.expired + log.warned, 0);

	/* Eleven days on: `soon` expires; `later` is still far. */
	memset(&log, 0, sizeof(log));
	assert_int_equal(cl_approvals_sweep(s, T0 + 11 * DAY, 14 * DAY, NULL, on_due, &log), 0);
	assert_int_equal(log.expired, 1);
	assert_int_equal(log.ids[0], soon);
	assert_int_equal(state_of(s, soon), CL_APPROVAL_EXPIRED);
	/* an expired approval is final */
	assert_int_equal(move(s, soon, CL_APPROVAL_APPROVED, NULL), CL_EINVALID);

	/* A request made on GitHub waits for a sweep that can answer there. */
	{
		int64_t gh = new_request(s, 7);
		d.expires_at = T0 + 12 * DAY;
		assert_int_equal(cl_approval_transition(s, gh, CL_APPROVAL_APPROVED, &d, 0, T0), 0);
		memset(&log, 0, sizeof(log));
		assert_int_equal(cl_approvals_sweep(s, T0 + 13 * DAY, 14 * DAY, "gitea", on_due, &log), 0);
		assert_int_equal(log.expired, 0);
		assert_int_equal(state_of(s, gh), CL_APPROVAL_APPROVED);
		assert_int_equal(cl_approvals_sweep(s, T0 + 13 * DAY, 14 * DAY, "github", on_due, &log), 0);
		assert_int_equal(log.expired, 1);
		assert_int_equal(state_of(s, gh), CL_APPROVAL_EXPIRED);
	}
	close_store(s);
}

/* ---- pre-approval rules from a policy ---- */

static void test_pre_approval(void **state)
{
	static const char yml[] =
		"approvals:\n"
		"  enabled: true\n"
		"  approvers: [olivia]\n"
		"  pre_approved:\n"
		"    - {licenses: [MIT, \"BSD-*\", Apache-2.0], max_lines: 100}\n"
		"    - projects: [\"github.com/acme-friends/*\"]\n";
	struct cl_policy *p = NULL;
	const struct cl_approval_options *o;
	(void)state;

	assert_int_equal(cl_policy_load_buffer(&p, yml, sizeof(yml) - 1, "t.yml"), 0);
	o = cl_policy_approvals(p);
	assert_true(o->enabled);
	assert_int_equal(o->expiry_days, 365);
	assert_int_equal(o->warn_days, 14);
	assert_int_equal(o->pre_approved_count, 2);
	assert_int_equal(cl_approval_pre_approved(o, "github.com/x/y", "MIT", 40), 0);
	assert_int_equal(cl_approval_pre_approved(o, "github.com/x/y", "BSD-3-Clause", 100), 0);
	assert_int_equal(cl_approval_pre_approved(o, "github.com/x/y", "MIT OR Apache-2.0", 10), 0);
	/* too large, copyleft, a branch the rule does not allow, no size said */
	assert_int_equal(cl_approval_pre_approved(o, "github.com/x/y", "MIT", 101), CL_ENOTFOUND);
	assert_int_equal(cl_approval_pre_approved(o, "github.com/x/y", "GPL-2.0-only", 5), CL_ENOTFOUND);
	assert_int_equal(cl_approval_pre_approved(o, "github.com/x/y", "MIT OR GPL-3.0-only", 5), CL_ENOTFOUND);
	assert_int_equal(cl_approval_pre_approved(o, "github.com/x/y", "MIT", 0), CL_ENOTFOUND);
	assert_int_equal(cl_approval_pre_approved(o, "github.com/x/y", "not a license(", 5), CL_ENOTFOUND);
	/* the project rule: any license, any size */
	assert_int_equal(cl_approval_pre_approved(o, "github.com/acme-friends/tool", "AGPL-3.0-only", 9000), 1);
	assert_int_equal(cl_approval_pre_approved(o, "github.com/acme-friends/a/b", "AGPL-3.0-only", 1), CL_ENOTFOUND);
	assert_true(cl_approval_is_named_approver(o, "Olivia"));
	assert_false(cl_approval_is_named_approver(o, "mallory"));
	cl_policy_free(p);
}

static void test_split_url(void **state)
{
	char h[64], o[64], r[64];
	(void)state;
	assert_int_equal(cl_approval_split_url(h, o, r, 64, "https://gitlab.com/group/proj.git"), 0);
	assert_string_equal(h, "gitlab.com");
	assert_string_equal(o, "group");
	assert_string_equal(r, "proj");
	assert_int_equal(cl_approval_split_url(h, o, r, 64, "git@github.com:o/r.git"), 0);
	assert_string_equal(r, "r");
	assert_int_equal(cl_approval_split_url(h, o, r, 64, "https://github.com/o/r/tree/main"), 0);
	assert_string_equal(r, "r");
	assert_int_equal(cl_approval_split_url(h, o, r, 64, "ftp://x.org/o/r"), CL_EINVALID);
	assert_int_equal(cl_approval_split_url(h, o, r, 64, "https://github.com/o"), CL_EINVALID);
	assert_int_equal(cl_approval_split_url(h, o, r, 64, "https://localhost/o/r"), CL_EINVALID);
	assert_int_equal(cl_approval_split_url(h, o, r, 64, "https://github.com/o/r%00"), CL_EINVALID);
}

/* The `issues` event decodes strictly: the published example, and a list of labels. */
static void test_issues_event(void **state)
{
	char *body = read_src("tests/bot/webhooks/github/issues.opened.json");
	struct cl_webhook_event *ev = NULL;
	static const char labels[] = "{\"action\":\"edited\",\"repository\":{\"full_name\":\"a/b\"},"
		"\"issue\":{\"number\":3,\"user\":{\"login\":\"x\"},\"labels\":[{\"name\":\"l1\"},"
		"{\"name\":\"l\\n2\"},{\"id\":1e999},\"s\",{\"name\":\"approval: requested\"}]}}";
	(void)state;

	assert_int_equal(cl_webhook_decode(&ev, CL_FORGE_GITHUB, "issues", body, strlen(body)), 0);
	assert_string_equal(ev->action, "opened");
	assert_int_equal(ev->pr_number, 1);
	assert_string_equal(ev->issue_title, "Spelling error in the README file");
	assert_string_equal(ev->issue_author, "Codertocat");
	assert_string_equal(ev->issue_url, "https://github.com/Codertocat/Hello-World/issues/1");
	assert_string_equal(ev->issue_labels, "bug\n");
	assert_string_equal(ev->issue_state, "open");
	cl_webhook_event_free(ev);
	free(body);

	/* 1e999 is past Jansson's range: the labels are refused, not guessed */
	assert_int_equal(cl_webhook_decode(&ev, CL_FORGE_GITHUB, "issues", labels, strlen(labels)),
		CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "issue.labels"));
	{
		static const char ok[] = "{\"repository\":{\"full_name\":\"a/b\"},\"issue\":{\"number\":3,"
			"\"user\":{\"login\":\"x\"},\"labels\":[{\"name\":\"l1\"},{\"name\":\"l\\n2\"},"
			"\"s\",{\"name\":\"approval: requested\"}]}}";
		assert_int_equal(cl_webhook_decode(&ev, CL_FORGE_GITEA, "issues", ok, strlen(ok)), 0);
		assert_string_equal(ev->issue_labels, "l1\napproval: requested\n");
		cl_webhook_event_free(ev);
	}
	/* an issue without its author, labels that are not a list: refused */
	assert_int_equal(cl_webhook_decode(&ev, CL_FORGE_GITHUB, "issues",
		"{\"repository\":{\"full_name\":\"a/b\"},\"issue\":{\"number\":3}}", 55), CL_EINVALID);
	assert_int_equal(cl_webhook_decode(&ev, CL_FORGE_GITHUB, "issues",
		"{\"repository\":{\"full_name\":\"a/b\"},\"issue\":{\"number\":3,\"user\":{\"login\":\"x\"},"
		"\"labels\":\"bug\"}}", 91), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "'issue.labels' is not a list"));
}

/* Slash commands as approvers type them. */
static void test_commands(void **state)
{
	struct cl_approval_command c;
	static const char approve[] = "LGTM\n  /approve per-project until 2027-06-30\nthanks";
	static const char deny[] = "/deny  the project is SSPL-licensed\nand we do not go there  \n";
	(void)state;

	assert_int_equal(cl_approval_command_parse(&c, approve, strlen(approve)), 1);
	assert_int_equal(c.verb, CL_APPROVAL_CMD_APPROVE);
	assert_true(c.has_scope);
	assert_int_equal(c.scope, CL_SCOPE_PROJECT);
	assert_int_equal(c.until, 1814399999LL);   /* 2027-06-30T23:59:59Z */
	assert_int_equal(cl_approval_command_parse(&c, deny, strlen(deny)), 1);
	assert_int_equal(c.verb, CL_APPROVAL_CMD_DENY);
	assert_string_equal(c.text, "the project is SSPL-licensed\nand we do not go there");
	assert_int_equal(cl_approval_command_parse(&c, "/approve", 8), 1);
	assert_false(c.has_scope);
	assert_int_equal(c.until, 0);

	assert_int_equal(cl_approval_command_parse(&c, "/revoke", 7), CL_EINVALID);
	assert_string_equal(c.problem, "/revoke needs a reason after it");
	assert_int_equal(cl_approval_command_parse(&c, "/approve forever", 16), CL_EINVALID);
	assert_non_null(strstr(c.problem, "'forever' is not a scope"));
	assert_int_equal(cl_approval_command_parse(&c, "/approve until 2027-13-01", 25), CL_EINVALID);
	assert_non_null(strstr(c.problem, "is not a date"));
	assert_int_equal(cl_approval_command_parse(&c, "/approve one project", 20), CL_EINVALID);
	/* a team approval, and who signed the upstream's CLA */
	{
		static const char body[] = "/approve project team:acme/kernel signed-by:olivia\n";
		assert_int_equal(cl_approval_command_parse(&c, body, sizeof(body) - 1), 1);
		assert_int_equal(c.scope, CL_SCOPE_PROJECT);
		assert_string_equal(c.team, "acme/kernel");
		assert_string_equal(c.cla_signer, "olivia");
	}
	assert_int_equal(cl_approval_command_parse(&c, "/approve team:kernel", 20), CL_EINVALID);
	assert_non_null(strstr(c.problem, "needs a value such as team:"));
	assert_int_equal(cl_approval_command_parse(&c, "/approve signed-by:", 19), CL_EINVALID);
	/* not commands: in the middle of a line, a longer word, quoted */
	assert_int_equal(cl_approval_command_parse(&c, "please /approve", 15), 0);
	assert_int_equal(cl_approval_command_parse(&c, "/approved already", 17), 0);
	assert_int_equal(cl_approval_command_parse(&c, "> /deny x", 9), 0);
	assert_int_equal(c.verb, CL_APPROVAL_CMD_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_complete),
		cmocka_unit_test(test_form_incomplete),
		cmocka_unit_test(test_form_cla_recorded),
		cmocka_unit_test(test_form_template_labels),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_approve_records_decision),
		cmocka_unit_test(test_scopes_covering),
		cmocka_unit_test(test_team_approval),
		cmocka_unit_test(test_license_differs),
		cmocka_unit_test(test_edit),
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_pre_approval),
		cmocka_unit_test(test_split_url),
		cmocka_unit_test(test_issues_event),
		cmocka_unit_test(test_commands),
	};
	return cmocka_run_group_tests_name("approvals", tests, NULL, NULL);
}
