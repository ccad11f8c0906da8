/*
 * `clearance approvals` and `clearance report contributions` as the OSPO
 * runs them: requests, decisions audited under --actor, refusals with exit
 * status 2, listings and exports; then the report's numbers on a seeded
 * data set (outbound commits as the hooks and the bot record them, in the
 * "outbound" module's table of bot/events.h, plus approvals), with a fixed
 * clock ($CLEARANCE_NOW).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "events.h"

static char clearance_bin[1024];
static char dir[64], store[128];

#define T_DECIDED 1765800000LL   /* 2025-12-15 */
#define T_NOW 1767225600LL       /* 2026-01-01 */

/* Run the program with a fixed clock; its stdout into `out`; its exit status. */
static int run(char *out, size_t size, const char *fmt, ...)
{
	char args[2048], cmd[4096];
	va_list ap;
	FILE *p;
	size_t n;
	int status;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "CLEARANCE_NOW=%lld %s %s 2>&1", T_NOW, clearance_bin, args);
	assert_non_null(p = popen(cmd, "r"));
	n = fread(out, 1, size - 1, p);
	out[n] = '\0';
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/cl-approvals-cli-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(store, sizeof(store), "%s/clearance.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[256];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static void test_commands(void **state)
{
	char out[16384];
	json_t *j;
	(void)state;

	/* Reading commands do not create a store. */
	assert_int_equal(run(out, sizeof(out), "approvals --store %s list", store), 2);

	assert_int_equal(run(out, sizeof(out), "approvals --store %s --actor dev request "
		"--upstream https://github.com/libgit2/libgit2 --license GPL-2.0-only --requester dev "
		"--email dev@acme.example --unit Platform --lines 40 --reason 'a crash'", store), 0);
	assert_string_equal(out, "approval #1 requested\n");
	assert_int_equal(run(out, sizeof(out), "approvals --store %s --actor ann request "
		"--upstream https://github.com/curl/curl --license curl --requester ann "
		"--email ann@acme.example --scope project --cla corporate "
		"--cla-document 'https://example.org/ccla v2' --cla-signer 'Acme Corp (legal)'", store), 0);
	assert_int_equal(run(out, sizeof(out), "approvals --store %s show 2", store), 0);
	assert_non_null(strstr(out, "  CLA/DCO      corporate, https://example.org/ccla v2, signed by Acme Corp (legal)\n"));
	assert_int_equal(run(out, sizeof(out), "approvals --store %s --actor ann request "
		"--upstream https://gitlab.com/x/y --license MIT --requester ann --lines 5", store), 0);

	/* Decisions, audited under --actor; a refused move exits 2 and says why. */
	assert_int_equal(run(out, sizeof(out), "approvals --store %s --actor olivia approve 1 "
		"--scope project --until 2026-12-31", store), 0);
	assert_string_equal(out, "approval #1 approved\n");
	assert_int_equal(run(out, sizeof(out), "approvals --store %s --actor olivia deny 2", store), 2);
	assert_non_null(strstr(out, "--reason is required"));
	assert_int_equal(run(out, sizeof(out), "approvals --store %s --actor olivia deny 2 "
		"--reason 'we maintain a fork'", store), 0);
	assert_int_equal(run(out, sizeof(out), "approvals --store %s --actor olivia revoke 2 "
		"--reason x", store), 2);
	assert_non_null(strstr(out, "approval #2 is denied; it cannot become revoked"));
	assert_int_equal(run(out, sizeof(out), "approvals --store %s --actor olivia info 3 "
		"--question 'which component?'", store), 0);

	assert_int_equal(run(out, sizeof(out), "approvals --store %s list", store), 0);
	assert_string_equal(out,
		"#1    approved        https://github.com/libgit2/libgit2       dev              project    until 2026-12-31T23:59:59Z\n"
		"#2    denied          https://github.com/curl/curl             ann              project    \n"
		"#3    needs-info      https://gitlab.com/x/y                   ann              one        \n");
	assert_int_equal(run(out, sizeof(out), "approvals --store %s list --state denied --format csv", store), 0);
	assert_non_null(strstr(out, "id,state,requester,email,"));
	assert_non_null(strstr(out, "\n2,denied,ann,ann@acme.example,"));
	assert_null(strstr(out, "\n1,"));
	assert_int_equal(run(out, sizeof(out), "approvals --store %s list --expiring 365", store), 0);
	assert_non_null(strstr(out, "#1 "));
	assert_null(strstr(out, "#2 "));

	assert_int_equal(run(out, sizeof(out), "approvals --store %s show 1", store), 0);
	assert_non_null(strstr(out, "approval #1: approved\n"));
	assert_non_null(strstr(out, "  upstream     https://github.com/libgit2/libgit2 (github.com/libgit2/libgit2)\n"));
	assert_non_null(strstr(out, "request     dev       - -> requested  cli  a crash\n"));
	assert_non_null(strstr(out, "approve     olivia    requested -> approved  cli\n"));

	assert_int_equal(run(out, sizeof(out), "approvals --store %s export", store), 0);
	j = json_loads(out, 0, NULL);
	assert_non_null(j);
	assert_int_equal(json_array_size(json_object_get(j, "approvals")), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j,
		"approvals"), 0), "decided_by")), "olivia");
	json_decref(j);

	/* With the policy: a request its rule covers is approved at once, recorded as such. */
	{
		char policy[160];
		FILE *f;
		snprintf(policy, sizeof(policy), "%s/policy.yml", dir);
		assert_non_null(f = fopen(policy, "w"));
		fputs("approvals:\n  enabled: true\n  approvers: [olivia]\n  pre_approved:\n"
			"    - {licenses: [MIT], max_lines: 100}\n", f);
		fclose(f);
		assert_int_equal(run(out, sizeof(out), "approvals --store %s --policy %s request "
			"--upstream https://github.com/a/b --license MIT --requester dev --lines 10",
			store, policy), 0);
		assert_string_equal(out, "approval #4 requested\n"
			"approval #4 approved by the policy's pre_approved[0]\n");
		assert_int_equal(run(out, sizeof(out), "approvals --store %s show 4", store), 0);
		assert_non_null(strstr(out, "pre-approved by the policy's pre_approved[0]"));
		assert_non_null(strstr(out, "pre-approve clearance requested -> approved"));
		/* the upstream relicensed: the OSPO sends it back to review, then approves again */
		assert_int_equal(run(out, sizeof(out), "approvals --store %s --actor olivia re-review 4 "
			"--reason 'relicensed to BUSL-1.1'", store), 0);
		assert_string_equal(out, "approval #4 needs-re-review\n");
		assert_int_equal(run(out, sizeof(out), "approvals --store %s --actor olivia approve 4",
			store), 0);
	}
}

/*
 * `clearance check` on an outbound repository is a rehearsal of the push:
 * it says the commit is covered, uses up no "one contribution" approval
 * and records no contribution (only an accepted push does).
 */
static void test_local_check_writes_nothing(void **state)
{
	char out[16384], work[256], cmd[2048], db[256];
	FILE *f;
	(void)state;

	snprintf(work, sizeof(work), "%s/acme/libgit2", dir);
	snprintf(db, sizeof(db), "%s/outbound.db", dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s && cd %s && git init -q -b main && "
		"git config user.name Dev && git config user.email dev@example.com", work, work);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/.clearance.yml", work);
	assert_non_null(f = fopen(cmd, "w"));
	fprintf(f, "version: 1\ndco: {enabled: false}\ncla: {store: %s}\napprovals:\n"
		"  enabled: true\n  approvers: [olivia]\n  outbound_repos: [acme/libgit2]\n"
		"  employee_domains: [example.com]\n", db);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "cd %s && echo 'int x;' >fix.c && git add -A && "
		"git commit -q -m 'The fix'", work);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(run(out, sizeof(out), "approvals --store %s --actor dev request "
		"--upstream https://github.com/libgit2/libgit2 --license MIT --requester dev "
		"--email dev@example.com --scope one", db), 0);
	assert_int_equal(run(out, sizeof(out), "approvals --store %s --actor olivia approve 1 "
		"--scope one --until 2099-12-31", db), 0);

	assert_int_equal(run(out, sizeof(out), "check -C %s", work), 0);
	assert_int_equal(run(out, sizeof(out), "approvals --store %s show 1", db), 0);
	assert_non_null(strstr(out, "approved"));
	assert_null(strstr(out, "used by"));
	assert_int_equal(run(out, sizeof(out), "report contributions --store %s --since 2000-01-01 "
		"--format csv", db), 0);
	assert_non_null(strstr(out, "# contributions per project\nrepository,commits,engineers,"
		"covered\n# contributions per engineer"));
}

/*
 * The report over seeded outbound commits, as the approval check records
 * them (with the approval that covered each): per project, engineer, month.
 */
static void test_report(void **state)
{
	static const struct { const char *repo, *sha, *email; long long at; int approval; } commits[] = {
		{ "acme-forks/libgit2", "a1", "dev@acme.example", 1767400000LL, 1 },   /* 2026-01-03 */
		{ "acme-forks/libgit2", "a2", "dev@acme.example", 1768000000LL, 1 },   /* 2026-01-09 */
		{ "acme-forks/libgit2", "a3", "dev@acme.example", 1770000000LL, 1 },   /* 2026-02-02 */
		{ "acme-forks/curl", "c1", "ann@acme.example", 1770100000LL, 0 },      /* 2026-02-03 */
		{ "acme-forks/curl", "c2", "ann@acme.example", 1770200000LL, 0 },      /* 2026-02-04 */
		{ "acme-forks/curl", "c0", "ann@acme.example", 1764000000LL, 0 },      /* 2025-11: before --since */
	};
	sqlite3 *db = NULL;
	char out[16384], sql[512];
	json_t *j, *rows;
	size_t i;
	(void)state;

	assert_int_equal(sqlite3_open(store, &db), SQLITE_OK);
	for (i = 0; i < sizeof(commits) / sizeof(commits[0]); i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO contributions (repository, commit_id, ref, "
			"upstream_repo, author, email, committed_at, seen_at, approval) VALUES ('%s', '%s', "
			"'refs/heads/main', '%s', 'x', '%s', %lld, %lld, %s)", commits[i].repo, commits[i].sha,
			strchr(commits[i].repo, '/') + 1, commits[i].email, commits[i].at, commits[i].at,
			commits[i].approval ? "1" : "NULL");
		assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	}
	sqlite3_close(db);

	assert_int_equal(run(out, sizeof(out), "report contributions --store %s --since 2026-01-01 "
		"--format json", store), 0);
	assert_non_null(j = json_loads(out, 0, NULL));
	rows = json_object_get(j, "per_project");
	assert_int_equal(json_array_size(rows), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "repository")),
		"acme-forks/libgit2");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "commits")), 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "covered")), 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 1), "commits")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 1), "covered")), 0);
	rows = json_object_get(j, "per_engineer");
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "email")),
		"dev@acme.example");
	rows = json_object_get(j, "per_month");
	assert_int_equal(json_array_size(rows), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "month")), "2026-01");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 0), "commits")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(rows, 1), "commits")), 3);
	json_decref(j);

	assert_int_equal(run(out, sizeof(out), "report contributions --store %s --since 2025-01-01 "
		"--format csv", store), 0);
	assert_non_null(strstr(out, "# contributions per project\nrepository,commits,engineers,covered\n"
		"acme-forks/curl,3,1,0\nacme-forks/libgit2,3,1,3\n"));
	assert_non_null(strstr(out, "# approvals by state\nstate,approvals\napproved,2\ndenied,1\n"
		"needs-info,1\n"));
	assert_non_null(strstr(out, "# contributions per month\nmonth,commits,covered\n2025-11,1,0\n"
		"2026-01,2,2\n2026-02,3,1\n"));
	assert_int_equal(run(out, sizeof(out), "report contributions --store %s", store), 2);
	assert_non_null(strstr(out, "--since is required"));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_local_check_writes_nothing),
	};
	char *copy;
	(void)argc;

	copy = strdup(argv[0]);
	snprintf(clearance_bin, sizeof(clearance_bin), "%s/../clearance", dirname(copy));
	free(copy);
	return cmocka_run_group_tests_name("approvals_cli", tests, setup, teardown);
}
