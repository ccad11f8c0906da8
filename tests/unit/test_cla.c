/*
 * CLA store and check: individual, corporate by domain and by person,
 * revoked, old version, co-author, bot-exempt, unlinked emails; every change
 * audited; signatures never deleted.
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

#include "cla.h"
#include "error.h"

static char path[64];
static struct cl_cla_store *store;
static struct cl_cla_options opts;

static int setup(void **state)
{
	static const struct cl_cla_agreement icla1 = { "acme-icla", "1.0", "Acme ICLA", "https://acme.example/icla-1", CL_CLA_INDIVIDUAL };
	static const struct cl_cla_agreement icla2 = { "acme-icla", "2.0", "Acme ICLA", "https://acme.example/icla", CL_CLA_INDIVIDUAL };
	static const struct cl_cla_agreement ccla = { "acme-ccla", "2.0", "Acme CCLA", "https://acme.example/ccla", CL_CLA_CORPORATE };
	int fd;
	(void)state;

	snprintf(path, sizeof(path), "/tmp/cl-test-cla-XXXXXX");
	if ((fd = mkstemp(path)) < 0)
		return -1;
	close(fd);
	unlink(path);
	if (cl_cla_store_open(&store, path, 1) < 0 ||
	    cl_cla_agreement_put(store, &icla1, "ospo") < 0 ||
	    cl_cla_agreement_put(store, &icla2, "ospo") < 0 ||
	    cl_cla_agreement_put(store, &ccla, "ospo") < 0)
		return -1;
	cl_cla_options_init(&opts);
	opts.enabled = 1;
	opts.individual = strdup("acme-icla");
	opts.individual_version = strdup("2.0");
	opts.corporate = strdup("acme-ccla");
	opts.corporate_version = strdup("2.0");
	opts.sign_url = strdup("https://acme.example/cla");
	return cl_pattern_list_add(&opts.exempt, "*[bot]@users.noreply.github.com", CL_PATTERN_CASELESS);
}

static int teardown(void **state)
{
	char side[96];
	(void)state;
	cl_cla_store_free(store);
	store = NULL;
	cl_cla_options_dispose(&opts);
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	return 0;
}

static int64_t sign(const char *version, const char *login, const char *email)
{
	struct cl_cla_signature s;
	int64_t id = 0;

	memset(&s, 0, sizeof(s));
	s.agreement = "acme-icla";
	s.version = version;
	s.login = login;
	s.email = email;
	s.method = "cli";
	assert_int_equal(cl_cla_sign(&id, store, &s, "ospo"), 0);
	return id;
}

static int64_t company(const char *name)
{
	struct cl_cla_signature s;
	int64_t id = 0;

	memset(&s, 0, sizeof(s));
	s.agreement = "acme-ccla";
	s.version = "2.0";
	s.kind = CL_CLA_CORPORATE;
	s.company = name;
	s.manager = "boss";
	s.method = "import";
	assert_int_equal(cl_cla_sign(&id, store, &s, "ospo"), 0);
	return id;
}

/* Run the check on one commit; return the findings' rules joined by ','. */
static const char *judge(const char *name, const char *email, const char *message,
	cl_cla_login_fn fn)
{
	static char rules[256];
	struct cl_findings *f = NULL;
	struct cl_commit c;
	size_t i;

	memset(&c, 0, sizeof(c));
	memset(c.id, 'a', CL_OID_HEXSZ);
	c.author_name = name;
	c.author_email = email;
	c.committer_name = name;
	c.committer_email = email;
	c.message = message ? message : "subject\n";
	assert_int_equal(cl_findings_new(&f), 0);
	assert_true(cl_cla_check(f, &opts, store, "refs/heads/main", &c, 1, fn, NULL) >= 0);
	rules[0] = '\0';
	for (i = 0; i < cl_findings_count(f); i++) {
		const struct cl_finding *x = cl_findings_get(f, i);
		size_t len = strlen(rules);
		snprintf(rules + len, sizeof(rules) - len, "%s%s", i ? "," : "", x->rule);
		assert_string_equal(x->check, "cla");
		assert_non_null(x->remedy);
		assert_int_equal(strncmp(x->key, "cla:", 4), 0);
	}
	cl_findings_free(f);
	return rules;
}

static void test_individual(void **state)
{
	(void)state;
	assert_string_equal(judge("Jane", "jane@example.com", NULL, NULL), "cla.missing");
	sign("2.0", NULL, "Jane@Example.com");
	assert_string_equal(judge("Jane", "jane@example.com", NULL, NULL), "");
	/* By login, through a GitHub noreply address. */
	sign("2.0", "octocat", NULL);
	assert_string_equal(judge("Octo", "583231+octocat@users.noreply.github.com", NULL, NULL), "");
}

static void test_old_version_and_revoked(void **state)
{
	int64_t id;
	(void)state;

	sign("1.0", NULL, "old@example.com");
	assert_string_equal(judge("Old", "old@example.com", NULL, NULL), "cla.old-version");
	id = sign("2.0", NULL, "old@example.com");
	assert_string_equal(judge("Old", "old@example.com", NULL, NULL), "");
	assert_int_equal(cl_cla_revoke(store, id, "ospo", "signed by mistake"), 0);
	/* The 1.0 signature is still there, but the revoked 2.0 one decides. */
	assert_string_equal(judge("Old", "old@example.com", NULL, NULL), "cla.revoked");
	assert_int_equal(cl_cla_revoke(store, id, "ospo", "again"), CL_EINVALID);
	assert_int_equal(cl_cla_revoke(store, 9999, "ospo", "x"), CL_ENOTFOUND);
}

static void test_corporate(void **state)
{
	int64_t acme;
	(void)state;

	acme = company("Widgets Inc");
	assert_int_equal(cl_cla_company_add_domain(store, acme, "widgets.example", "boss"), 0);
	assert_int_equal(cl_cla_company_add_domain(store, acme, "*.widgets.test", "boss"), 0);
	assert_int_equal(cl_cla_company_add_domain(store, acme, "not a domain", "boss"), CL_EINVALID);
	assert_string_equal(judge("W", "w@widgets.example", NULL, NULL), "");
	assert_string_equal(judge("W", "w@WIDGETS.EXAMPLE", NULL, NULL), "");
	assert_string_equal(judge("W", "w@eu.widgets.test", NULL, NULL), "");
	assert_string_equal(judge("W", "w@widgets.test", NULL, NULL), "");
	/* A domain that merely ends the same way is not covered. */
	assert_string_equal(judge("W", "w@evilwidgets.example", NULL, NULL), "cla.missing");
	assert_string_equal(judge("W", "w@evilwidgets.test", NULL, NULL), "cla.missing");

	assert_int_equal(cl_cla_company_add_person(store, acme, "contractor", "c@gmail.example", "boss"), 0);
	assert_string_equal(judge("C", "c@gmail.example", NULL, NULL), "");
	assert_int_equal(cl_cla_company_remove_person(store, acme, "c@gmail.example", "boss"), 0);
	assert_string_equal(judge("C", "c@gmail.example", NULL, NULL), "cla.missing");
	assert_int_equal(cl_cla_company_remove_person(store, acme, "c@gmail.example", "boss"), CL_ENOTFOUND);

	assert_int_equal(cl_cla_revoke(store, acme, "ospo", "contract ended"), 0);
	assert_string_equal(judge("W", "w@widgets.example", NULL, NULL), "cla.revoked");
	assert_int_equal(cl_cla_company_add_domain(store, acme, "more.example", "boss"), CL_EINVALID);
}

static void test_co_authors_and_exempt(void **state)
{
	const char *msg = "subject\n\nbody\n\nCo-authored-by: Pal <pal@example.org>\n";
	(void)state;

	sign("2.0", NULL, "jane@example.com");
	assert_string_equal(judge("Jane", "jane@example.com", msg, NULL), "");
	opts.co_authors = 1;
	assert_string_equal(judge("Jane", "jane@example.com", msg, NULL), "cla.missing");
	sign("2.0", NULL, "pal@example.org");
	assert_string_equal(judge("Jane", "jane@example.com", msg, NULL), "");
	assert_string_equal(judge("dependabot[bot]",
		"49699333+dependabot[bot]@users.noreply.github.com", NULL, NULL), "");
}

static int no_account(char *login, size_t size, const char *email, void *payload)
{
	(void)login;
	(void)size;
	(void)payload;
	return strcmp(email, "known@example.com") == 0 ? (snprintf(login, size, "known"), 0)
		: CL_ENOTFOUND;
}

static void test_unlinked(void **state)
{
	(void)state;
	assert_string_equal(judge("root", "root@buildhost.(none)", NULL, NULL), "cla.unlinked");
	assert_string_equal(judge("me", "me@laptop", NULL, NULL), "cla.unlinked");
	assert_string_equal(judge("me", "", NULL, NULL), "cla.unlinked");
	/* With a forge to ask: an email no account holds is unlinked... */
	assert_string_equal(judge("x", "x@example.com", NULL, no_account), "cla.unlinked");
	/* ...unless a signature names the email itself. */
	sign("2.0", NULL, "x@example.com");
	assert_string_equal(judge("x", "x@example.com", NULL, no_account), "");
	/* A linked email is judged by its login. */
	assert_string_equal(judge("k", "known@example.com", NULL, no_account), "cla.missing");
	sign("2.0", "known", NULL);
	assert_string_equal(judge("k", "known@example.com", NULL, no_account), "");
}

struct audit_count { int sign, revoke, domain, person, removed; };

static int count_audit(int64_t at, const char *actor, const char *action, int64_t sig,
	const char *detail, void *payload)
{
	struct audit_count *n = payload;
	(void)sig;
	(void)detail;
	assert_true(at > 0);
	assert_non_null(actor);
	n->sign += strcmp(action, "sign") == 0;
	n->revoke += strcmp(action, "revoke") == 0;
	n->domain += strcmp(action, "add-domain") == 0;
	n->person += strcmp(action, "add-person") == 0;
	n->removed += strcmp(action, "remove-person") == 0;
	return 0;
}

static int count_sigs(const struct cl_cla_signature *s, void *payload)
{
	(void)s;
	++*(int *)payload;
	return 0;
}

static void test_refusals_and_audit(void **state)
{
	struct cl_cla_signature s;
	struct audit_count n = { 0, 0, 0, 0, 0 };
	int64_t id, again = 0, acme;
	int sigs = 0;
	(void)state;

	id = sign("2.0", "jane", "jane@example.com");
	memset(&s, 0, sizeof(s));
	s.agreement = "acme-icla";
	s.version = "2.0";
	s.email = "JANE@example.com";
	assert_int_equal(cl_cla_sign(&again, store, &s, "bot"), CL_EEXISTS);
	assert_int_equal(again, id);
	s.version = "3.0";
	assert_int_equal(cl_cla_sign(NULL, store, &s, "bot"), CL_EINVALID);
	s.version = "2.0";
	s.kind = CL_CLA_CORPORATE;
	s.company = "X";
	assert_int_equal(cl_cla_sign(NULL, store, &s, "bot"), CL_EINVALID);
	s.kind = CL_CLA_INDIVIDUAL;
	s.email = NULL;
	assert_int_equal(cl_cla_sign(NULL, store, &s, "bot"), CL_EINVALID);

	acme = company("Acme");
	assert_int_equal(cl_cla_company_add_domain(store, acme, "acme.example", "boss"), 0);
	assert_int_equal(cl_cla_company_add_domain(store, acme, "acme.example", "boss"), 0);
	assert_int_equal(cl_cla_company_add_person(store, acme, "p", NULL, "boss"), 0);
	assert_int_equal(cl_cla_company_remove_person(store, acme, "p", "boss"), 0);
	assert_int_equal(cl_cla_revoke(store, id, "ospo", "left"), 0);
	assert_int_equal(cl_cla_company_find(&again, store, "acme-ccla", "ACME"), 0);
	assert_int_equal(again, acme);

	assert_int_equal(cl_cla_audit_foreach(store, count_audit, &n), 0);
	assert_int_equal(n.sign, 2);
	assert_int_equal(n.revoke, 1);
	assert_int_equal(n.domain, 1);   /* the repeated add changed nothing */
	assert_int_equal(n.person, 1);
	assert_int_equal(n.removed, 1);
	/* Revoked, never deleted. */
	assert_int_equal(cl_cla_signatures_foreach(store, count_sigs, &sigs), 0);
	assert_int_equal(sigs, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_individual, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_version_and_revoked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corporate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_co_authors_and_exempt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unlinked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals_and_audit, setup, teardown),
	};
	return cmocka_run_group_tests_name("cla", tests, NULL, NULL);
}
