/*
 * Reconciliation and diff of dependency sets: tables of hand-built lists,
 * each change rendered as one line so that a case reads like the report.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "deps.h"
#include "deps_diff.h"
#include "error.h"

#define MAX_ITEMS 16

/* One input entry; a NULL manifest ends a list. */
struct spec {
	const char *manifest, *ecosystem, *name, *version, *license;
	enum cl_dep_relation relation;
	enum cl_dep_scope scope;
};

#define D(m, e, n, v, l) { m, e, n, v, l, CL_DEP_DIRECT, CL_DEP_RUNTIME }
#define T(m, e, n, v, l) { m, e, n, v, l, CL_DEP_TRANSITIVE, CL_DEP_RUNTIME }
#define U(m, e, n, v, l) { m, e, n, v, l, CL_DEP_UNKNOWN, CL_DEP_RUNTIME }
#define DEV(m, e, n, v, l) { m, e, n, v, l, CL_DEP_DIRECT, CL_DEP_DEV }
#define END { NULL, NULL, NULL, NULL, NULL, CL_DEP_UNKNOWN, CL_DEP_RUNTIME }

static void build(struct cl_dep_list *out, const struct spec *s)
{
	for (; s->manifest; s++) {
		struct cl_dep d;

		memset(&d, 0, sizeof(d));
		d.manifest = s->manifest;
		d.ecosystem = s->ecosystem;
		d.name = s->name;
		d.version = s->version;
		d.license = s->license;
		d.relation = s->relation;
		d.scope = s->scope;
		assert_int_equal(cl_dep_list_add(out, &d), 0);
	}
}

static const char *str_or(const char *s, const char *dflt)
{
	return s ? s : dflt;
}

/* "kind eco:name before-version>after-version before-license>after-license" with the path. */
static void render_change(char *buf, size_t size, const struct cl_dep_change *c)
{
	const struct cl_dep *d = c->after ? c->after : c->before;

	snprintf(buf, size, "%s %s %s:%s %s>%s %s>%s", cl_dep_change_kind_name(c->kind),
		 d->manifest, d->ecosystem, d->name,
		 c->before ? str_or(c->before->version, "?") : "-",
		 c->after ? str_or(c->after->version, "?") : "-",
		 c->before ? str_or(c->before->license, "?") : "-",
		 c->after ? str_or(c->after->license, "?") : "-");
}

static const char *rel_name(enum cl_dep_relation r)
{
	return r == CL_DEP_DIRECT ? "direct" : r == CL_DEP_TRANSITIVE ? "transitive" : "unknown";
}

/* "path eco:name@version relation scope license" */
static void render_dep(char *buf, size_t size, const struct cl_dep *d)
{
	snprintf(buf, size, "%s %s:%s@%s %s %s %s", d->manifest, d->ecosystem, d->name,
		 str_or(d->version, "?"), rel_name(d->relation), cl_dep_scope_name(d->scope),
		 str_or(d->license, "?"));
}

/* ---- diff table ------------------------------------------------------- */

struct diff_case {
	const char *what;
	struct spec before[MAX_ITEMS];
	struct spec after[MAX_ITEMS];
	const char *expect[MAX_ITEMS];   /* NULL-terminated, in output order */
};

static const struct diff_case diff_cases[] = {
	{ "empty lists", { END }, { END }, { NULL } },
	{ "nothing changed",
	  { D("Cargo.lock", "cargo", "serde", "1.0.200", "MIT OR Apache-2.0"), END },
	  { D("Cargo.lock", "cargo", "serde", "1.0.200", "MIT OR Apache-2.0"), END },
	  { NULL } },
	{ "added",
	  { END },
	  { D("package.json", "npm", "left-pad", "^1.3.0", NULL), END },
	  { "added package.json npm:left-pad ->^1.3.0 ->?", NULL } },
	{ "removed",
	  { D("go.mod", "golang", "golang.org/x/text", "v0.14.0", NULL), END },
	  { END },
	  { "removed go.mod golang:golang.org/x/text v0.14.0>- ?>-", NULL } },
	{ "upgrade",
	  { D("Cargo.lock", "cargo", "rand", "0.8.5", "MIT OR Apache-2.0"), END },
	  { D("Cargo.lock", "cargo", "rand", "0.9.0", "MIT OR Apache-2.0"), END },
	  { "version-changed Cargo.lock cargo:rand 0.8.5>0.9.0 MIT OR Apache-2.0>MIT OR Apache-2.0", NULL } },
	{ "downgrade, natural order of versions",
	  { D("Gemfile.lock", "gem", "rack", "3.0.10", NULL), END },
	  { D("Gemfile.lock", "gem", "rack", "3.0.9", NULL), END },
	  { "version-changed Gemfile.lock gem:rack 3.0.10>3.0.9 ?>?", NULL } },
	{ "relicense on upgrade reports both versions and licenses",
	  { D("composer.lock", "composer", "acme/search", "7.10.2", "BSD-3-Clause"), END },
	  { D("composer.lock", "composer", "acme/search", "7.11.0", "SSPL-1.0"), END },
	  { "license-changed composer.lock composer:acme/search 7.10.2>7.11.0 BSD-3-Clause>SSPL-1.0", NULL } },
	{ "relicense without a version change",
	  { D("composer.lock", "composer", "acme/db", "2.0.0", "BSD-3-Clause"), END },
	  { D("composer.lock", "composer", "acme/db", "2.0.0", "BUSL-1.1"), END },
	  { "license-changed composer.lock composer:acme/db 2.0.0>2.0.0 BSD-3-Clause>BUSL-1.1", NULL } },
	{ "unknown -> known license, same version: not a relicensing",
	  { D("composer.lock", "composer", "acme/db", "2.0.0", NULL), END },
	  { D("composer.lock", "composer", "acme/db", "2.0.0", "MIT"), END },
	  { NULL } },
	{ "known -> unknown license, same version: left to the unknown-license finding",
	  { D("composer.lock", "composer", "acme/db", "2.0.0", "MIT"), END },
	  { D("composer.lock", "composer", "acme/db", "2.0.0", NULL), END },
	  { NULL } },
	{ "unknown -> known on upgrade is a version change carrying both",
	  { D("composer.lock", "composer", "acme/db", "2.0.0", NULL), END },
	  { D("composer.lock", "composer", "acme/db", "2.1.0", "MIT"), END },
	  { "version-changed composer.lock composer:acme/db 2.0.0>2.1.0 ?>MIT", NULL } },
	{ "known -> unknown on upgrade is a version change carrying both",
	  { D("composer.lock", "composer", "acme/db", "2.0.0", "MIT"), END },
	  { D("composer.lock", "composer", "acme/db", "2.1.0", NULL), END },
	  { "version-changed composer.lock composer:acme/db 2.0.0>2.1.0 MIT>?", NULL } },
	{ "SPDX ids are case-insensitive",
	  { D("composer.lock", "composer", "acme/db", "2.0.0", "mit"), END },
	  { D("composer.lock", "composer", "acme/db", "2.0.0", "MIT"), END },
	  { NULL } },
	{ "same name in two directories is two dependencies",
	  { D("web/package-lock.json", "npm", "lodash", "4.17.20", NULL),
	    D("api/package-lock.json", "npm", "lodash", "4.17.20", NULL), END },
	  { D("web/package-lock.json", "npm", "lodash", "4.17.21", NULL),
	    D("api/package-lock.json", "npm", "lodash", "4.17.20", NULL),
	    D("tools/package.json", "npm", "lodash", "^4.17.0", NULL), END },
	  { "added tools/package.json npm:lodash ->^4.17.0 ->?",
	    "version-changed web/package-lock.json npm:lodash 4.17.20>4.17.21 ?>?", NULL } },
	{ "same name in two ecosystems is two dependencies",
	  { D("requirements.txt", "pypi", "six", "==1.16.0", NULL), END },
	  { D("requirements.txt", "pypi", "six", "==1.16.0", NULL),
	    D("package.json", "npm", "six", "^1.0.0", NULL), END },
	  { "added package.json npm:six ->^1.0.0 ->?", NULL } },
	{ "manifest + lock: a direct dependency once, with its locked version",
	  { D("package.json", "npm", "express", "^4.18.0", NULL),
	    D("package-lock.json", "npm", "express", "4.18.2", "MIT"),
	    T("package-lock.json", "npm", "qs", "6.11.0", "BSD-3-Clause"), END },
	  { D("package.json", "npm", "express", "^4.18.0", NULL),
	    D("package-lock.json", "npm", "express", "4.19.2", "MIT"),
	    T("package-lock.json", "npm", "qs", "6.11.0", "BSD-3-Clause"),
	    T("package-lock.json", "npm", "side-channel", "1.0.6", "MIT"), END },
	  { "version-changed package-lock.json npm:express 4.18.2>4.19.2 MIT>MIT",
	    "added package-lock.json npm:side-channel ->1.0.6 ->MIT", NULL } },
	{ "a lock file appears next to its manifest",
	  { D("Cargo.toml", "cargo", "log", "0.4", NULL), END },
	  { D("Cargo.toml", "cargo", "log", "0.4", NULL),
	    U("Cargo.lock", "cargo", "log", "0.4.21", NULL), END },
	  { "version-changed Cargo.lock cargo:log 0.4>0.4.21 ?>?", NULL } },
	{ "multiple versions: only the one that moved",
	  { D("package-lock.json", "npm", "debug", "4.3.4", NULL),
	    T("package-lock.json", "npm", "debug", "2.6.9", NULL), END },
	  { D("package-lock.json", "npm", "debug", "4.3.5", NULL),
	    T("package-lock.json", "npm", "debug", "2.6.9", NULL), END },
	  { "version-changed package-lock.json npm:debug 4.3.4>4.3.5 ?>?", NULL } },
	{ "multiple versions collapse: the newest pair, the rest removed",
	  { D("package-lock.json", "npm", "debug", "4.3.4", NULL),
	    T("package-lock.json", "npm", "debug", "2.6.9", NULL), END },
	  { D("package-lock.json", "npm", "debug", "4.3.5", NULL), END },
	  { "removed package-lock.json npm:debug 2.6.9>- ?>-",
	    "version-changed package-lock.json npm:debug 4.3.4>4.3.5 ?>?", NULL } },
	{ "a second version appears",
	  { D("Cargo.lock", "cargo", "syn", "2.0.60", NULL), END },
	  { D("Cargo.lock", "cargo", "syn", "1.0.109", NULL),
	    D("Cargo.lock", "cargo", "syn", "2.0.60", NULL), END },
	  { "added Cargo.lock cargo:syn ->1.0.109 ->?", NULL } },
	{ "duplicate entries count once",
	  { D("Cargo.lock", "cargo", "cc", "1.0.90", NULL),
	    D("Cargo.lock", "cargo", "cc", "1.0.90", NULL), END },
	  { D("Cargo.lock", "cargo", "cc", "1.0.94", NULL),
	    D("Cargo.lock", "cargo", "cc", "1.0.94", NULL), END },
	  { "version-changed Cargo.lock cargo:cc 1.0.90>1.0.94 ?>?", NULL } },
	{ "no version on either side is the same dependency",
	  { D("build.gradle", "maven", "org.slf4j:slf4j-api", NULL, NULL), END },
	  { D("build.gradle", "maven", "org.slf4j:slf4j-api", NULL, NULL), END },
	  { NULL } },
	{ "a version appears",
	  { D("build.gradle", "maven", "org.slf4j:slf4j-api", NULL, NULL), END },
	  { D("build.gradle", "maven", "org.slf4j:slf4j-api", "2.0.13", NULL), END },
	  { "version-changed build.gradle maven:org.slf4j:slf4j-api ?>2.0.13 ?>?", NULL } },
	{ "go.mod alone",
	  { D("svc/go.mod", "golang", "github.com/spf13/cobra", "v1.8.0", NULL), END },
	  { D("svc/go.mod", "golang", "github.com/spf13/cobra", "v1.8.1", NULL), END },
	  { "version-changed svc/go.mod golang:github.com/spf13/cobra v1.8.0>v1.8.1 ?>?", NULL } },
	{ "order: directory, ecosystem, name, whatever the input order",
	  { D("b/package.json", "npm", "z", "1", NULL),
	    D("a/requirements.txt", "pypi", "y", "1", NULL), END },
	  { D("b/package.json", "npm", "a", "1", NULL),
	    D("a/package.json", "npm", "x", "1", NULL),
	    D("Gemfile", "gem", "w", "1", NULL), END },
	  { "added Gemfile gem:w ->1 ->?",
	    "added a/package.json npm:x ->1 ->?",
	    "removed a/requirements.txt pypi:y 1>- ?>-",
	    "added b/package.json npm:a ->1 ->?",
	    "removed b/package.json npm:z 1>- ?>-", NULL } },
};

static void test_diff_table(void **state)
{
	size_t i, k;
	(void)state;
	for (i = 0; i < sizeof(diff_cases) / sizeof(diff_cases[0]); i++) {
		const struct diff_case *c = &diff_cases[i];
		struct cl_dep_list before = CL_DEP_LIST_INIT, after = CL_DEP_LIST_INIT;
		struct cl_dep_changes changes = CL_DEP_CHANGES_INIT;
		size_t nexp = 0;
		char got[512];

		build(&before, c->before);
		build(&after, c->after);
		if (cl_deps_diff(&changes, &before, &after) < 0)
			fail_msg("%s: %s", c->what, cl_error_last());
		/* The changes point into their own copies: the inputs may go first. */
		cl_dep_list_dispose(&before);
		cl_dep_list_dispose(&after);
		while (c->expect[nexp])
			nexp++;
		for (k = 0; k < changes.count || k < nexp; k++) {
			if (k < changes.count)
				render_change(got, sizeof(got), &changes.items[k]);
			else
				snprintf(got, sizeof(got), "(nothing)");
			if (k >= nexp || strcmp(got, c->expect[k]) != 0) {
				print_error("%s: change %zu\n  got      %s\n  expected %s\n", c->what, k, got,
					    k < nexp ? c->expect[k] : "(nothing)");
				cl_dep_changes_dispose(&changes);
				fail();
			}
		}
		cl_dep_changes_dispose(&changes);
	}
}

/* ---- reconciliation table --------------------------------------------- */

struct reconcile_case {
	const char *what;
	struct spec in[MAX_ITEMS];
	const char *expect[MAX_ITEMS];   /* rendered entries in output order */
};

static const struct reconcile_case reconcile_cases[] = {
	{ "empty", { END }, { NULL } },
	{ "npm: direct once with the locked version and the manifest's scope",
	  { DEV("package.json", "npm", "jest", "^29.0.0", NULL),
	    D("package-lock.json", "npm", "jest", "29.7.0", "MIT"),
	    T("package-lock.json", "npm", "expect", "29.7.0", "MIT"), END },
	  { "package-lock.json npm:expect@29.7.0 transitive runtime MIT",
	    "package-lock.json npm:jest@29.7.0 direct dev MIT", NULL } },
	{ "Cargo.lock without root information: the manifest claims it",
	  { D("Cargo.toml", "cargo", "serde", "1", NULL),
	    U("Cargo.lock", "cargo", "serde", "1.0.200", NULL),
	    U("Cargo.lock", "cargo", "serde_derive", "1.0.200", NULL), END },
	  { "Cargo.lock cargo:serde@1.0.200 direct runtime ?",
	    "Cargo.lock cargo:serde_derive@1.0.200 unknown runtime ?", NULL } },
	{ "npm nesting: two locked versions stay two, only the top one is direct",
	  { D("package.json", "npm", "debug", "^4.3.0", NULL),
	    D("package-lock.json", "npm", "debug", "4.3.4", NULL),
	    T("package-lock.json", "npm", "debug", "2.6.9", NULL), END },
	  { "package-lock.json npm:debug@2.6.9 transitive runtime ?",
	    "package-lock.json npm:debug@4.3.4 direct runtime ?", NULL } },
	{ "stale lock that calls a declared dependency transitive: the manifest wins",
	  { D("pyproject.toml", "pypi", "requests", ">=2.31", NULL),
	    T("poetry.lock", "pypi", "requests", "2.32.3", "Apache-2.0"), END },
	  { "poetry.lock pypi:requests@2.32.3 direct runtime Apache-2.0", NULL } },
	{ "uv.lock: the same rules",
	  { D("pyproject.toml", "pypi", "httpx", ">=0.27", NULL),
	    D("uv.lock", "pypi", "httpx", "0.27.0", NULL),
	    T("uv.lock", "pypi", "anyio", "4.4.0", NULL), END },
	  { "uv.lock pypi:anyio@4.4.0 transitive runtime ?",
	    "uv.lock pypi:httpx@0.27.0 direct runtime ?", NULL } },
	{ "a declared dependency the lock lacks stays as declared",
	  { D("Gemfile", "gem", "rails", "~> 7.1", NULL),
	    D("Gemfile", "gem", "puma", ">= 6", NULL),
	    D("Gemfile.lock", "gem", "rails", "7.1.3", NULL), END },
	  { "Gemfile gem:puma@>= 6 direct runtime ?",
	    "Gemfile.lock gem:rails@7.1.3 direct runtime ?", NULL } },
	{ "license: the lock's wins, the manifest's fills a gap",
	  { D("composer.json", "composer", "a/x", "^1.0", "GPL-2.0-only"),
	    D("composer.lock", "composer", "a/x", "1.2.0", "MIT"),
	    D("composer.json", "composer", "a/y", "^2.0", "ISC"),
	    D("composer.lock", "composer", "a/y", "2.1.0", NULL), END },
	  { "composer.lock composer:a/x@1.2.0 direct runtime MIT",
	    "composer.lock composer:a/y@2.1.0 direct runtime ISC", NULL } },
	{ "go.mod alone passes through",
	  { D("go.mod", "golang", "golang.org/x/net", "v0.25.0", NULL),
	    T("go.mod", "golang", "golang.org/x/sys", "v0.20.0", NULL), END },
	  { "go.mod golang:golang.org/x/net@v0.25.0 direct runtime ?",
	    "go.mod golang:golang.org/x/sys@v0.20.0 transitive runtime ?", NULL } },
	{ "manifest and lock in different directories are not merged",
	  { D("web/package.json", "npm", "react", "^18.2.0", NULL),
	    D("package-lock.json", "npm", "react", "18.3.1", NULL), END },
	  { "package-lock.json npm:react@18.3.1 direct runtime ?",
	    "web/package.json npm:react@^18.2.0 direct runtime ?", NULL } },
	{ "duplicates merge: direct wins, the widest scope wins, first license",
	  { { "package.json", "npm", "ts", "^5", NULL, CL_DEP_DIRECT, CL_DEP_DEV },
	    { "package.json", "npm", "ts", "^5", NULL, CL_DEP_DIRECT, CL_DEP_PEER },
	    { "yarn.lock", "npm", "ts", "5.4.5", "Apache-2.0", CL_DEP_TRANSITIVE, CL_DEP_DEV },
	    { "yarn.lock", "npm", "ts", "5.4.5", "MIT", CL_DEP_DIRECT, CL_DEP_RUNTIME },
	    { "yarn.lock", "npm", "ts", "5.4.5", NULL, CL_DEP_UNKNOWN, CL_DEP_DEV }, END },
	  { "yarn.lock npm:ts@5.4.5 direct dev Apache-2.0", NULL } },
	{ "two manifests pinning differently without a lock stay two",
	  { D("requirements.txt", "pypi", "django", "==4.2.13", NULL),
	    DEV("requirements-dev.txt", "pypi", "django", "==4.2.11", NULL),
	    D("requirements.txt", "pypi", "django", "==4.2.13", NULL), END },
	  { "requirements-dev.txt pypi:django@==4.2.11 direct dev ?",
	    "requirements.txt pypi:django@==4.2.13 direct runtime ?", NULL } },
	{ "versions in natural order",
	  { T("Cargo.lock", "cargo", "x", "1.10.0", NULL),
	    T("Cargo.lock", "cargo", "x", "1.9.0", NULL),
	    T("Cargo.lock", "cargo", "x", "1.09.1", NULL), END },
	  { "Cargo.lock cargo:x@1.9.0 transitive runtime ?",
	    "Cargo.lock cargo:x@1.09.1 transitive runtime ?",
	    "Cargo.lock cargo:x@1.10.0 transitive runtime ?", NULL } },
};

static void check_list(const char *what, const struct cl_dep_list *got, const char *const *expect)
{
	size_t k, nexp = 0;
	char line[512];

	while (expect[nexp])
		nexp++;
	for (k = 0; k < got->count || k < nexp; k++) {
		if (k < got->count)
			render_dep(line, sizeof(line), &got->items[k]);
		else
			snprintf(line, sizeof(line), "(nothing)");
		if (k >= nexp || strcmp(line, expect[k]) != 0)
			fail_msg("%s: entry %zu\n  got      %s\n  expected %s", what, k, line,
				 k < nexp ? expect[k] : "(nothing)");
	}
}

static void test_reconcile_table(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(reconcile_cases) / sizeof(reconcile_cases[0]); i++) {
		const struct reconcile_case *c = &reconcile_cases[i];
		struct cl_dep_list in = CL_DEP_LIST_INIT, once = CL_DEP_LIST_INIT, twice = CL_DEP_LIST_INIT;

		build(&in, c->in);
		assert_int_equal(cl_deps_reconcile(&once, &in), 0);
		cl_dep_list_dispose(&in);
		/* Reconciling is idempotent: cl_deps_diff may be handed either. */
		assert_int_equal(cl_deps_reconcile(&twice, &once), 0);
		check_list(c->what, &once, c->expect);
		check_list(c->what, &twice, c->expect);
		cl_dep_list_dispose(&once);
		cl_dep_list_dispose(&twice);
	}
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(cl_dep_change_kind_name(CL_DEP_ADDED), "added");
	assert_string_equal(cl_dep_change_kind_name(CL_DEP_REMOVED), "removed");
	assert_string_equal(cl_dep_change_kind_name(CL_DEP_VERSION_CHANGED), "version-changed");
	assert_string_equal(cl_dep_change_kind_name(CL_DEP_LICENSE_CHANGED), "license-changed");
}

static void test_dispose_empty(void **state)
{
	struct cl_dep_changes c = CL_DEP_CHANGES_INIT;
	(void)state;
	cl_dep_changes_dispose(&c);
	cl_dep_changes_dispose(&c);
	cl_dep_changes_dispose(NULL);
}

/* ---- performance sanity ----------------------------------------------- */

#define PERF_N 5000

/*
 * A package.json of 100 direct dependencies and a package-lock.json of
 * 5,000 packages; the push bumps every 10th, relicenses every 100th, drops
 * 50 and adds 50. A quadratic diff takes seconds here under ASan.
 */
static void perf_build(struct cl_dep_list *out, int after)
{
	char name[64], version[64], range[64];
	int i;

	for (i = 0; i < PERF_N + 50; i++) {
		struct cl_dep d;
		int bump = after && i % 10 == 0;

		if (after ? i < 50 : i >= PERF_N)
			continue;   /* before: 0..4999; after: 50..5049 */
		memset(&d, 0, sizeof(d));
		snprintf(name, sizeof(name), "pkg-%05d", i);
		snprintf(version, sizeof(version), "1.%d.%d", i % 7, bump ? 10 : 9);
		d.ecosystem = "npm";
		d.name = name;
		d.version = version;
		d.license = after && i % 100 == 0 ? "SSPL-1.0" : "MIT";
		d.manifest = "app/package-lock.json";
		d.relation = i % 50 == 0 ? CL_DEP_DIRECT : CL_DEP_TRANSITIVE;
		assert_int_equal(cl_dep_list_add(out, &d), 0);
		if (i % 50 == 0) {
			snprintf(range, sizeof(range), "^1.%d.0", i % 7);
			d.version = range;
			d.license = NULL;
			d.manifest = "app/package.json";
			assert_int_equal(cl_dep_list_add(out, &d), 0);
		}
	}
}

static void test_perf_5000(void **state)
{
	struct cl_dep_list before = CL_DEP_LIST_INIT, after = CL_DEP_LIST_INIT;
	struct cl_dep_changes changes = CL_DEP_CHANGES_INIT;
	size_t k, n[4] = { 0, 0, 0, 0 };
	struct timespec t0, t1;
	double ms;
	(void)state;

	perf_build(&before, 0);
	perf_build(&after, 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(cl_deps_diff(&changes, &before, &after), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	print_message("5,000 vs 5,000 packages: %zu changes in %.1f ms\n", changes.count, ms);
	assert_true(ms < 1000.0);

	for (k = 0; k < changes.count; k++)
		n[changes.items[k].kind]++;
	/* 50 of 5000 dropped, 50 new; of the 4950 kept, 495 bumped, 49 of them relicensed. */
	assert_int_equal(n[CL_DEP_REMOVED], 50);
	assert_int_equal(n[CL_DEP_ADDED], 50);
	assert_int_equal(n[CL_DEP_LICENSE_CHANGED], 49);
	assert_int_equal(n[CL_DEP_VERSION_CHANGED], 495 - 49);
	assert_int_equal(changes.before.count, PERF_N);
	assert_int_equal(changes.after.count, PERF_N);
	for (k = 1; k < changes.count; k++) {
		const struct cl_dep *a = changes.items[k - 1].after ? changes.items[k - 1].after : changes.items[k - 1].before;
		const struct cl_dep *b = changes.items[k].after ? changes.items[k].after : changes.items[k].before;
		assert_true(strcmp(a->name, b->name) < 0);
	}
	cl_dep_changes_dispose(&changes);
	cl_dep_list_dispose(&before);
	cl_dep_list_dispose(&after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff_table),
		cmocka_unit_test(test_reconcile_table),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_dispose_empty),
		cmocka_unit_test(test_perf_5000),
	};
	return cmocka_run_group_tests_name("deps_diff", tests, NULL, NULL);
}
