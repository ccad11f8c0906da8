/*
 * The dependency check: the `deps:` policy section, license evaluation,
 * vendored metadata, and the diff of two trees for every ecosystem - all as
 * tables, with repositories built in memory through libgit2.
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

#include "buf.h"
#include "check.h"
#include "deps_check.h"
#include "deps_license.h"
#include "deps_options.h"
#include "deps_tree.h"
#include "error.h"
#include "finding.h"
#include "policy.h"
#include "report.h"

/* ---- helpers ----------------------------------------------------------- */

static struct cl_policy *policy_from(const char *yaml)
{
	struct cl_policy *p = NULL;
	if (cl_policy_load_buffer(&p, yaml, strlen(yaml), "t.yml") < 0)
		fail_msg("policy did not load: %s\n%s", cl_error_last(), yaml);
	return p;
}

struct file {
	const char *path;
	const char *content;   /* NULL ends a list; for a gitlink, the commit id in hex */
	int gitlink;
};

static char repo_dir[64];

static git_repository *repo_new(void)
{
	git_repository *repo = NULL;

	snprintf(repo_dir, sizeof(repo_dir), "/tmp/cl-deps-check-XXXXXX");
	assert_non_null(mkdtemp(repo_dir));
	assert_int_equal(git_repository_init(&repo, repo_dir, 1), 0);
	return repo;
}

static void repo_free(git_repository *repo)
{
	char cmd[128];
	git_repository_free(repo);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", repo_dir);
	assert_int_equal(system(cmd), 0);
}

/* A tree of `files`, written through an in-memory index (nested paths welcome). */
static git_tree *tree_of(git_repository *repo, const struct file *files)
{
	git_index *index = NULL;
	git_tree *tree = NULL;
	git_oid id;

	assert_int_equal(git_index_new(&index), 0);
	for (; files && files->content; files++) {
		git_index_entry e;
		memset(&e, 0, sizeof(e));
		e.path = files->path;
		if (files->gitlink) {
			e.mode = GIT_FILEMODE_COMMIT;
			assert_int_equal(git_oid_fromstr(&e.id, files->content), 0);
			assert_int_equal(git_index_add(index, &e), 0);
		} else {
			e.mode = GIT_FILEMODE_BLOB;
			assert_int_equal(git_blob_create_from_buffer(&e.id, repo, files->content,
				strlen(files->content)), 0);
			assert_int_equal(git_index_add(index, &e), 0);
		}
	}
	assert_int_equal(git_index_write_tree_to(&id, index, repo), 0);
	assert_int_equal(git_tree_lookup(&tree, repo, &id), 0);
	git_index_free(index);
	return tree;
}

/* Each delta as "MARK eco:name v[>v] [lic>lic]", joined with " | ". */
static void render(struct cl_buf *out, const struct cl_deps_deltas *d)
{
	static const char marks[] = "+-~!";
	size_t i;

	for (i = 0; i < d->count; i++) {
		const struct cl_deps_delta *x = &d->items[i];
		const struct cl_dep *dep = x->after ? x->after : x->before;
		assert_int_equal(cl_buf_printf(out, "%s%c %s:%s ", i ? " | " : "", marks[x->kind],
			dep->ecosystem, dep->name), 0);
		if (x->before && x->after)
			assert_int_equal(cl_buf_printf(out, "%s>%s", x->before->version, x->after->version), 0);
		else
			assert_int_equal(cl_buf_puts(out, dep->version ? dep->version : "-"), 0);
		if (x->kind == CL_DEP_LICENSE_CHANGED)
			assert_int_equal(cl_buf_printf(out, " [%s>%s]", x->before_license, x->after_license), 0);
	}
}

/* ---- the policy section ------------------------------------------------- */

static void test_policy_defaults(void **state)
{
	struct cl_policy *p = NULL;
	const struct cl_deps_options *d;
	(void)state;

	assert_int_equal(cl_policy_default(&p), 0);
	d = cl_policy_deps(p);
	assert_false(d->enabled);
	assert_int_equal(d->allow.count, 0);
	assert_int_equal(d->deny.count, 0);
	assert_int_equal(d->deny_package_count, 0);
	assert_int_equal(d->known_count, 0);
	assert_int_equal(d->on_new, CL_DEPS_NOTICE);
	assert_int_equal(d->on_unknown_license, CL_DEPS_REVIEW);
	assert_int_equal(d->on_license_change, CL_DEPS_REVIEW);
	assert_int_equal(d->ignore_scope_count, 0);
	assert_false(d->online.enabled);
	assert_int_equal(d->online.provider, CL_DEPS_PROVIDER_DEPSDEV);
	assert_null(d->online.base_url);
	assert_null(d->online.cache);
	cl_policy_free(p);
}

static void test_policy_full(void **state)
{
	struct cl_policy *p = policy_from(
		"deps:\n"
		"  enabled: true\n"
		"  licenses: {allow: [MIT, \"BSD-*\"], deny: [\"GPL-*\"]}\n"
		"  packages:\n"
		"    deny: [npm:event-stream@3.3.6, \"npm:@scope/x\"]\n"
		"  known:\n"
		"    - npm:left-pad@1.3.0: MIT\n"
		"    - pypi:Requests: Apache-2.0\n"
		"  on_new: reject\n"
		"  on_unknown_license: notice\n"
		"  on_license_change: reject\n"
		"  ignore_scopes: [dev, test]\n"
		"  online: {enabled: true, provider: clearlydefined, base_url: \"https://cd.example\", cache: c.db}\n");
	const struct cl_deps_options *d = cl_policy_deps(p);
	struct cl_dep dep;
	struct cl_buf yaml = CL_BUF_INIT, again = CL_BUF_INIT;
	struct cl_policy *p2 = NULL;
	(void)state;

	assert_true(d->enabled);
	assert_int_equal(d->allow.count, 2);
	assert_int_equal(d->deny.count, 1);
	assert_int_equal(d->deny_package_count, 2);
	assert_int_equal(d->known_count, 2);
	assert_string_equal(d->known[0].package, "npm:left-pad@1.3.0");
	assert_string_equal(d->known[0].license, "MIT");
	assert_int_equal(d->on_new, CL_DEPS_REJECT);
	assert_int_equal(d->on_unknown_license, CL_DEPS_NOTICE);
	assert_int_equal(d->on_license_change, CL_DEPS_REJECT);
	assert_true(cl_deps_options_ignores_scope(d, CL_DEP_DEV));
	assert_true(cl_deps_options_ignores_scope(d, CL_DEP_TEST));
	assert_false(cl_deps_options_ignores_scope(d, CL_DEP_RUNTIME));
	assert_true(d->online.enabled);
	assert_int_equal(d->online.provider, CL_DEPS_PROVIDER_CLEARLYDEFINED);
	assert_string_equal(d->online.base_url, "https://cd.example");
	assert_string_equal(d->online.cache, "c.db");

	/* Matching: versions exact or any, scoped npm names, PEP 503 for PyPI. */
	memset(&dep, 0, sizeof(dep));
	dep.ecosystem = "npm";
	dep.name = "event-stream";
	dep.version = "3.3.6";
	assert_string_equal(cl_deps_options_denied_package(d, &dep), "npm:event-stream@3.3.6");
	dep.version = "3.3.5";
	assert_null(cl_deps_options_denied_package(d, &dep));
	dep.name = "@scope/x";
	assert_string_equal(cl_deps_options_denied_package(d, &dep), "npm:@scope/x");
	dep.ecosystem = "pypi";
	dep.name = "requests";
	dep.version = "2.0";
	assert_string_equal(cl_deps_options_known(d, &dep)->license, "Apache-2.0");

	/* `policy show` writes it back to the same policy. */
	assert_int_equal(cl_policy_write_yaml(&yaml, p), 0);
	if (cl_policy_load_buffer(&p2, yaml.ptr, yaml.size, "show") < 0)
		fail_msg("%s\n%s", cl_error_last(), yaml.ptr);
	assert_int_equal(cl_policy_write_yaml(&again, p2), 0);
	assert_string_equal(yaml.ptr, again.ptr);
	cl_buf_dispose(&yaml);
	cl_buf_dispose(&again);
	cl_policy_free(p2);
	cl_policy_free(p);
}

/* Every error carries FILE:LINE:COL; the full texts are in tests/policy/bad/deps-*. */
static void test_policy_errors(void **state)
{
	static const struct {
		const char *yaml, *expect;
	} cases[] = {
		{ "deps: {on_new: maybe}", "t.yml:1:16: invalid value 'maybe' for 'deps.on_new'" },
		{ "deps: {on_unknown_license: allow}", "t.yml:1:28: invalid value 'allow'" },
		{ "deps: {on_license_change: notice}", "t.yml:1:27: invalid value 'notice'" },
		{ "deps: {packages: {deny: [\"npmm:x\"]}}", "unknown ecosystem 'npmm'" },
		{ "deps: {packages: {deny: [\"npm:\"]}}", "no package name" },
		{ "deps: {packages: {deny: [\"npm:x@\"]}}", "empty version" },
		{ "deps: {known: [\"npm:x\"]}", "expected a 'package: license' entry for 'deps.known[0]'" },
		{ "deps: {known: [{\"npm:x\": \"MIT OR\"}]}", "invalid license expression 'MIT OR'" },
		{ "deps: {known: [{\"npm:x\": MIT}, {\"npm:x\": ISC}]}", "duplicate entry 'npm:x'" },
		{ "deps: {ignore_scopes: [devel]}", "invalid scope 'devel'" },
		{ "deps: {online: {provider: github}}", "invalid value 'github' for 'deps.online.provider'" },
		{ "deps: {online: {base_url: \"ftp://x\"}}", "invalid URL 'ftp://x'" },
		{ "deps: {licenses: {allow: [\"MIT OR ISC\"]}}", "invalid license id 'MIT OR ISC'" },
		{ "deps: {enabeld: true}", "did you mean 'enabled'?" },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cl_policy *p = NULL;
		int rc = cl_policy_load_buffer(&p, cases[i].yaml, strlen(cases[i].yaml), "t.yml");
		if (rc != CL_EINVALID || !strstr(cl_error_last(), cases[i].expect))
			fail_msg("%s: rc %d, '%s', expected '%s'", cases[i].yaml, rc, cl_error_last(),
				cases[i].expect);
		assert_null(p);
	}
}

/* ---- license evaluation ------------------------------------------------- */

static void patterns(struct cl_pattern_list *l, const char *csv)
{
	char buf[256], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", csv);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		assert_int_equal(cl_pattern_list_add(l, tok, CL_PATTERN_CASELESS), 0);
}

static void test_license_judge(void **state)
{
	static const struct {
		const char *expr, *allow, *deny;
		enum cl_deps_license_verdict verdict;
	} cases[] = {
		{ "MIT", "MIT,Apache-2.0", "", CL_DEPS_LICENSE_ALLOWED },
		{ "mit", "MIT", "", CL_DEPS_LICENSE_ALLOWED },
		{ "ISC", "MIT", "", CL_DEPS_LICENSE_NOT_ALLOWED },
		{ "ISC", "", "", CL_DEPS_LICENSE_ALLOWED },                       /* no allowlist */
		/* OR: one branch wholly allowed is enough. */
		{ "MIT OR GPL-3.0-only", "MIT", "GPL-*", CL_DEPS_LICENSE_ALLOWED },
		{ "GPL-2.0-only OR GPL-3.0-only", "MIT", "GPL-*", CL_DEPS_LICENSE_DENIED },
		/* AND needs every part. */
		{ "Apache-2.0 AND MIT", "MIT,Apache-2.0", "", CL_DEPS_LICENSE_ALLOWED },
		{ "Apache-2.0 AND ISC", "MIT,Apache-2.0", "", CL_DEPS_LICENSE_NOT_ALLOWED },
		{ "MIT AND GPL-3.0-only", "", "GPL-*", CL_DEPS_LICENSE_DENIED },
		{ "(MIT AND ISC) OR Apache-2.0", "Apache-2.0", "", CL_DEPS_LICENSE_ALLOWED },
		/* Deny wins over allow. */
		{ "GPL-3.0-only", "*", "GPL-*", CL_DEPS_LICENSE_DENIED },
		{ "AGPL-3.0-or-later", "AGPL-*", "AGPL-*", CL_DEPS_LICENSE_DENIED },
		/* Globs over families; "+" and -or-later. */
		{ "BSD-3-Clause", "BSD-*", "", CL_DEPS_LICENSE_ALLOWED },
		{ "GPL-2.0+", "GPL-2.0-or-later", "", CL_DEPS_LICENSE_ALLOWED },
		{ "SSPL-1.0", "MIT", "SSPL-1.0", CL_DEPS_LICENSE_DENIED },
		/* WITH: an exception only adds permissions; a grouped WITH is read, not "invalid". */
		{ "GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only", "", CL_DEPS_LICENSE_ALLOWED },
		{ "(MIT OR GPL-2.0-only) WITH Classpath-exception-2.0", "MIT", "GPL-*", CL_DEPS_LICENSE_ALLOWED },
		{ "(Apache-2.0 OR MIT) and BSD-2-Clause", "MIT,BSD-*", "", CL_DEPS_LICENSE_ALLOWED },
		/* Unknown: never "invalid". */
		{ NULL, "", "", CL_DEPS_LICENSE_UNKNOWN },
		{ "", "", "", CL_DEPS_LICENSE_UNKNOWN },
		{ "NOASSERTION", "*", "", CL_DEPS_LICENSE_UNKNOWN },
		{ "non-standard", "*", "", CL_DEPS_LICENSE_UNKNOWN },
		{ "UNLICENSED", "", "", CL_DEPS_LICENSE_UNKNOWN },
		{ "SEE LICENSE IN LICENSE.md", "", "", CL_DEPS_LICENSE_UNKNOWN },
		{ "MIT/X11 and stuff", "", "", CL_DEPS_LICENSE_UNKNOWN },
		{ "Some-Made-Up-License", "", "", CL_DEPS_LICENSE_UNKNOWN },
		{ "LicenseRef-acme", "LicenseRef-acme", "", CL_DEPS_LICENSE_ALLOWED },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cl_pattern_list allow = CL_PATTERN_LIST_INIT, deny = CL_PATTERN_LIST_INIT;
		struct cl_deps_license_result r;

		patterns(&allow, cases[i].allow);
		patterns(&deny, cases[i].deny);
		assert_int_equal(cl_deps_license_judge(&r, cases[i].expr, &allow, &deny), 0);
		if (r.verdict != cases[i].verdict)
			fail_msg("'%s' allow [%s] deny [%s]: %s (%s), expected %s", cases[i].expr ? cases[i].expr : "(null)",
				cases[i].allow, cases[i].deny, cl_deps_license_verdict_name(r.verdict),
				r.detail ? r.detail : "", cl_deps_license_verdict_name(cases[i].verdict));
		if (r.verdict != CL_DEPS_LICENSE_ALLOWED)
			assert_non_null(r.detail);
		cl_deps_license_result_dispose(&r);
		cl_pattern_list_dispose(&allow);
		cl_pattern_list_dispose(&deny);
	}
}

static void test_license_equal(void **state)
{
	(void)state;
	assert_true(cl_deps_license_equal("MIT", "mit"));
	assert_true(cl_deps_license_equal("(MIT OR Apache-2.0)", "MIT or Apache-2.0"));
	assert_false(cl_deps_license_equal("BSD-3-Clause", "SSPL-1.0"));
	assert_false(cl_deps_license_equal("MIT", NULL));
	assert_true(cl_deps_license_equal(NULL, NULL));
	assert_true(cl_deps_license_equal("not an expr!", "NOT AN EXPR!"));
}

/* ---- metadata formats --------------------------------------------------- */

static void test_package_json(void **state)
{
	static const struct {
		const char *json, *expect;   /* NULL: CL_ENOTFOUND */
	} cases[] = {
		{ "{\"name\":\"a\",\"license\":\"MIT\"}", "MIT" },
		{ "{\"license\":\"(MIT OR Apache-2.0)\"}", "(MIT OR Apache-2.0)" },
		{ "{\"license\":{\"type\":\"ISC\",\"url\":\"x\"}}", "ISC" },
		{ "{\"licenses\":[{\"type\":\"MIT\"},{\"type\":\"GPL-2.0\"}]}", "MIT OR GPL-2.0" },
		{ "{\"licenses\":[\"BSD-2-Clause\"]}", "BSD-2-Clause" },
		{ "{\"name\":\"a\"}", NULL },
		{ "{\"license\":42}", NULL },
	};
	size_t i;
	char *out = NULL;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = cl_deps_license_from_package_json(&out, cases[i].json, strlen(cases[i].json));
		if (!cases[i].expect) {
			assert_int_equal(rc, CL_ENOTFOUND);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_string_equal(out, cases[i].expect);
		free(out);
	}
	assert_int_equal(cl_deps_license_from_package_json(&out, "[1]", 3), CL_EINVALID);
	assert_int_equal(cl_deps_license_from_package_json(&out, "{\"lic", 5), CL_EINVALID);
}

static void test_metadata(void **state)
{
	static const struct {
		const char *text, *expect;
	} cases[] = {
		{ "Metadata-Version: 2.4\nName: a\nLicense-Expression: MIT OR Apache-2.0\nLicense: BSD\n", "MIT OR Apache-2.0" },
		{ "Metadata-Version: 2.1\nName: a\nLicense: Apache-2.0\n", "Apache-2.0" },
		{ "Metadata-Version: 2.1\nName: a\nLicense: Apache License, Version 2.0\n"
		  "Classifier: License :: OSI Approved :: Apache Software License\n", "Apache-2.0" },
		{ "Name: a\nClassifier: License :: OSI Approved :: MIT License\n"
		  "Classifier: License :: OSI Approved :: GNU General Public License v3 (GPLv3)\n",
		  "MIT OR GPL-3.0-only" },
		{ "Name: a\r\nLicense: MIT\r\n\r\nLicense-Expression: GPL-3.0-only\r\n", "MIT" },
		{ "Name: a\nClassifier: License :: OSI Approved :: BSD License\n", NULL },
		{ "Name: a\nLicense: UNKNOWN\n", NULL },
		{ "", NULL },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = NULL;
		int rc = cl_deps_license_from_metadata(&out, cases[i].text, strlen(cases[i].text));
		if (!cases[i].expect) {
			assert_int_equal(rc, CL_ENOTFOUND);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_string_equal(out, cases[i].expect);
		free(out);
	}
}

static void test_vendored(void **state)
{
	static const struct file files[] = {
		{ "web/package-lock.json", "{}", 0 },
		{ "web/node_modules/left-pad/package.json", "{\"name\":\"left-pad\",\"license\":\"WTFPL\"}", 0 },
		{ "web/node_modules/@scope/x/package.json", "{\"license\":{\"type\":\"ISC\"}}", 0 },
		{ "py/requirements.txt", "", 0 },
		{ "py/vendor/Foo_Bar-1.2.dist-info/METADATA", "Name: Foo-Bar\nLicense-Expression: MPL-2.0\n", 0 },
		{ "py/site-packages/baz-2.0.dist-info/METADATA", "Name: baz\nClassifier: License :: OSI Approved :: MIT License\n", 0 },
		{ NULL, NULL, 0 },
	};
	static const struct {
		const char *eco, *name, *version, *manifest, *expect;
	} cases[] = {
		{ "npm", "left-pad", "1.3.0", "web/package-lock.json", "WTFPL" },
		{ "npm", "@scope/x", "1.0.0", "web/package-lock.json", "ISC" },
		{ "npm", "left-pad", "1.3.0", "package-lock.json", NULL },      /* other directory */
		{ "pypi", "foo-bar", "1.2", "py/requirements.txt", "MPL-2.0" },
		{ "pypi", "foo-bar", "1.3", "py/requirements.txt", NULL },      /* other version */
		{ "pypi", "baz", NULL, "py/requirements.txt", "MIT" },
		{ "golang", "example.com/x", "v1", "go.mod", NULL },
	};
	git_repository *repo = repo_new();
	git_tree *tree = tree_of(repo, files);
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cl_dep dep;
		char *out = NULL;
		int rc;

		memset(&dep, 0, sizeof(dep));
		dep.ecosystem = cases[i].eco;
		dep.name = cases[i].name;
		dep.version = cases[i].version;
		dep.manifest = cases[i].manifest;
		rc = cl_deps_license_vendored(&out, repo, tree, &dep);
		if (!cases[i].expect) {
			assert_int_equal(rc, CL_ENOTFOUND);
			continue;
		}
		if (rc != 0)
			fail_msg("%s:%s: %d %s", cases[i].eco, cases[i].name, rc, cl_error_last());
		assert_string_equal(out, cases[i].expect);
		free(out);
	}
	git_tree_free(tree);
	repo_free(repo);
}

/* ---- two trees, every ecosystem ---------------------------------------- */

/*
 * Each row: the same file before and after, where dependency A goes from
 * V1 to V2, B is removed and C added. Run twice: without a policy (A is an
 * upgrade) and with deps.known pinning A@V1 to BSD-3-Clause and A@V2 to
 * SSPL-1.0 (A is a relicensing, both licenses and versions reported).
 */
static const struct eco_case {
	const char *eco, *path, *before, *after;
	const char *a, *v1, *v2, *b, *bv, *c, *cv;
} eco_cases[] = {
	{ "npm", "package-lock.json",
	  "{\"lockfileVersion\":3,\"packages\":{\"\":{\"dependencies\":{\"aaa\":\"1.0.0\",\"bbb\":\"1.0.0\"}},"
	  "\"node_modules/aaa\":{\"version\":\"1.0.0\"},\"node_modules/bbb\":{\"version\":\"1.0.0\"}}}",
	  "{\"lockfileVersion\":3,\"packages\":{\"\":{\"dependencies\":{\"aaa\":\"2.0.0\",\"ccc\":\"1.0.0\"}},"
	  "\"node_modules/aaa\":{\"version\":\"2.0.0\"},\"node_modules/ccc\":{\"version\":\"1.0.0\"}}}",
	  "aaa", "1.0.0", "2.0.0", "bbb", "1.0.0", "ccc", "1.0.0" },
	{ "npm", "yarn.lock",
	  "aaa@^1.0.0:\n  version \"1.0.0\"\n\nbbb@^1.0.0:\n  version \"1.0.0\"\n",
	  "aaa@^2.0.0:\n  version \"2.0.0\"\n\nccc@^1.0.0:\n  version \"1.0.0\"\n",
	  "aaa", "1.0.0", "2.0.0", "bbb", "1.0.0", "ccc", "1.0.0" },
	{ "pypi", "requirements.txt", "aaa==1.0.0\nbbb==1.0.0\n", "aaa==2.0.0\nccc==1.0.0\n",
	  "aaa", "==1.0.0", "==2.0.0", "bbb", "==1.0.0", "ccc", "==1.0.0" },
	{ "golang", "go.mod",
	  "module example.com/app\n\ngo 1.22\n\nrequire (\n\texample.com/aaa v1.0.0\n\texample.com/bbb v1.0.0\n)\n",
	  "module example.com/app\n\ngo 1.22\n\nrequire (\n\texample.com/aaa v2.0.0\n\texample.com/ccc v1.0.0\n)\n",
	  "example.com/aaa", "v1.0.0", "v2.0.0", "example.com/bbb", "v1.0.0", "example.com/ccc", "v1.0.0" },
	{ "cargo", "Cargo.lock",
	  "version = 3\n\n[[package]]\nname = \"aaa\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n"
	  "[[package]]\nname = \"bbb\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
	  "version = 3\n\n[[package]]\nname = \"aaa\"\nversion = \"2.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n"
	  "[[package]]\nname = \"ccc\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
	  "aaa", "1.0.0", "2.0.0", "bbb", "1.0.0", "ccc", "1.0.0" },
	{ "maven", "pom.xml",
	  "<project><modelVersion>4.0.0</modelVersion><groupId>x</groupId><artifactId>app</artifactId><version>1</version><dependencies>"
	  "<dependency><groupId>org.a</groupId><artifactId>aaa</artifactId><version>1.0.0</version></dependency>"
	  "<dependency><groupId>org.b</groupId><artifactId>bbb</artifactId><version>1.0.0</version></dependency></dependencies></project>",
	  "<project><modelVersion>4.0.0</modelVersion><groupId>x</groupId><artifactId>app</artifactId><version>1</version><dependencies>"
	  "<dependency><groupId>org.a</groupId><artifactId>aaa</artifactId><version>2.0.0</version></dependency>"
	  "<dependency><groupId>org.c</groupId><artifactId>ccc</artifactId><version>1.0.0</version></dependency></dependencies></project>",
	  "org.a:aaa", "1.0.0", "2.0.0", "org.b:bbb", "1.0.0", "org.c:ccc", "1.0.0" },
	{ "maven", "gradle.lockfile",
	  "org.a:aaa:1.0.0=compileClasspath\norg.b:bbb:1.0.0=compileClasspath\nempty=\n",
	  "org.a:aaa:2.0.0=compileClasspath\norg.c:ccc:1.0.0=compileClasspath\nempty=\n",
	  "org.a:aaa", "1.0.0", "2.0.0", "org.b:bbb", "1.0.0", "org.c:ccc", "1.0.0" },
	{ "gem", "Gemfile.lock",
	  "GEM\n  remote: https://rubygems.org/\n  specs:\n    aaa (1.0.0)\n    bbb (1.0.0)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  aaa\n  bbb\n",
	  "GEM\n  remote: https://rubygems.org/\n  specs:\n    aaa (2.0.0)\n    ccc (1.0.0)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  aaa\n  ccc\n",
	  "aaa", "1.0.0", "2.0.0", "bbb", "1.0.0", "ccc", "1.0.0" },
	{ "composer", "composer.lock",
	  "{\"packages\":[{\"name\":\"a/aaa\",\"version\":\"1.0.0\"},{\"name\":\"b/bbb\",\"version\":\"1.0.0\"}],\"packages-dev\":[]}",
	  "{\"packages\":[{\"name\":\"a/aaa\",\"version\":\"2.0.0\"},{\"name\":\"c/ccc\",\"version\":\"1.0.0\"}],\"packages-dev\":[]}",
	  "a/aaa", "1.0.0", "2.0.0", "b/bbb", "1.0.0", "c/ccc", "1.0.0" },
	{ "nuget", "packages.lock.json",
	  "{\"version\":1,\"dependencies\":{\"net8.0\":{\"Aaa\":{\"type\":\"Direct\",\"resolved\":\"1.0.0\"},"
	  "\"Bbb\":{\"type\":\"Direct\",\"resolved\":\"1.0.0\"}}}}",
	  "{\"version\":1,\"dependencies\":{\"net8.0\":{\"Aaa\":{\"type\":\"Direct\",\"resolved\":\"2.0.0\"},"
	  "\"Ccc\":{\"type\":\"Direct\",\"resolved\":\"1.0.0\"}}}}",
	  "Aaa", "1.0.0", "2.0.0", "Bbb", "1.0.0", "Ccc", "1.0.0" },
	{ "vcpkg", "vcpkg.json",
	  "{\"name\":\"app\",\"dependencies\":[{\"name\":\"aaa\",\"version>=\":\"1.0.0\"},{\"name\":\"bbb\",\"version>=\":\"1.0.0\"}]}",
	  "{\"name\":\"app\",\"dependencies\":[{\"name\":\"aaa\",\"version>=\":\"2.0.0\"},{\"name\":\"ccc\",\"version>=\":\"1.0.0\"}]}",
	  "aaa", ">=1.0.0", ">=2.0.0", "bbb", ">=1.0.0", "ccc", ">=1.0.0" },
	{ "conan", "conanfile.txt", "[requires]\naaa/1.0.0\nbbb/1.0.0\n", "[requires]\naaa/2.0.0\nccc/1.0.0\n",
	  "aaa", "1.0.0", "2.0.0", "bbb", "1.0.0", "ccc", "1.0.0" },
	{ "githubactions", ".github/workflows/ci.yml",
	  "on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: aaa/aaa@v1\n      - uses: bbb/bbb@v1\n",
	  "on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: aaa/aaa@v2\n      - uses: ccc/ccc@v1\n",
	  "aaa/aaa", "v1", "v2", "bbb/bbb", "v1", "ccc/ccc", "v1" },
};

static void test_ecosystems(void **state)
{
	git_repository *repo = repo_new();
	size_t i;
	int pass;
	(void)state;

	for (i = 0; i < sizeof(eco_cases) / sizeof(eco_cases[0]); i++) {
		const struct eco_case *c = &eco_cases[i];
		struct file before[] = { { c->path, c->before, 0 }, { NULL, NULL, 0 } };
		struct file after[] = { { c->path, c->after, 0 }, { NULL, NULL, 0 } };
		git_tree *tb = tree_of(repo, before), *ta = tree_of(repo, after);

		for (pass = 0; pass < 2; pass++) {
			struct cl_deps_deltas d = CL_DEPS_DELTAS_INIT;
			struct cl_buf got = CL_BUF_INIT, want = CL_BUF_INIT, yaml = CL_BUF_INIT;
			struct cl_policy *p = NULL;

			if (pass == 1) {
				assert_int_equal(cl_buf_printf(&yaml, "deps:\n  known:\n"
					"    - \"%s:%s@%s\": BSD-3-Clause\n    - \"%s:%s@%s\": SSPL-1.0\n",
					c->eco, c->a, c->v1, c->eco, c->a, c->v2), 0);
				p = policy_from(yaml.ptr);
			}
			if (cl_deps_deltas_compute(&d, repo, tb, ta, p ? cl_policy_deps(p) : NULL) < 0)
				fail_msg("%s: %s", c->path, cl_error_last());
			render(&got, &d);
			assert_int_equal(cl_buf_printf(&want, "%c %s:%s %s>%s%s | - %s:%s %s | + %s:%s %s",
				pass ? '!' : '~', c->eco, c->a, c->v1, c->v2,
				pass ? " [BSD-3-Clause>SSPL-1.0]" : "",
				c->eco, c->b, c->bv, c->eco, c->c, c->cv), 0);
			if (strcmp(got.ptr ? got.ptr : "", want.ptr) != 0 || d.problem_count)
				fail_msg("%s (pass %d):\n  got:  %s\n  want: %s\n  problems: %zu %s", c->path, pass,
					cl_buf_cstr(&got), want.ptr, d.problem_count,
					d.problem_count ? d.problems[0].message : "");
			cl_deps_deltas_dispose(&d);
			cl_buf_dispose(&got);
			cl_buf_dispose(&want);
			cl_buf_dispose(&yaml);
			cl_policy_free(p);
		}
		git_tree_free(tb);
		git_tree_free(ta);
	}
	repo_free(repo);
}

/*
 * Submodules: the version is the gitlink's commit, so a bumped gitlink is an
 * upgrade even when .gitmodules did not change.
 */
static void test_submodules(void **state)
{
	static const char mods_ab[] =
		"[submodule \"aaa\"]\n\tpath = aaa\n\turl = https://example.com/aaa.git\n"
		"[submodule \"bbb\"]\n\tpath = bbb\n\turl = https://example.com/bbb.git\n";
	static const char mods_ac[] =
		"[submodule \"aaa\"]\n\tpath = aaa\n\turl = https://example.com/aaa.git\n"
		"[submodule \"ccc\"]\n\tpath = ccc\n\turl = https://example.com/ccc.git\n";
	static const char c1[] = "1111111111111111111111111111111111111111";
	static const char c2[] = "2222222222222222222222222222222222222222";
	static const char c3[] = "3333333333333333333333333333333333333333";
	const struct file before[] = {
		{ ".gitmodules", mods_ab, 0 }, { "aaa", c1, 1 }, { "bbb", c1, 1 }, { NULL, NULL, 0 },
	};
	const struct file after[] = {
		{ ".gitmodules", mods_ac, 0 }, { "aaa", c2, 1 }, { "ccc", c3, 1 }, { NULL, NULL, 0 },
	};
	const struct file bumped[] = {
		{ ".gitmodules", mods_ab, 0 }, { "aaa", c3, 1 }, { "bbb", c1, 1 }, { NULL, NULL, 0 },
	};
	git_repository *repo = repo_new();
	git_tree *tb = tree_of(repo, before), *ta = tree_of(repo, after), *tc = tree_of(repo, bumped);
	struct cl_deps_deltas d = CL_DEPS_DELTAS_INIT;
	struct cl_buf got = CL_BUF_INIT;
	(void)state;

	assert_int_equal(cl_deps_deltas_compute(&d, repo, tb, ta, NULL), 0);
	render(&got, &d);
	assert_string_equal(got.ptr,
		"~ gitsubmodule:https://example.com/aaa.git 1111111111111111111111111111111111111111>"
		"2222222222222222222222222222222222222222"
		" | - gitsubmodule:https://example.com/bbb.git 1111111111111111111111111111111111111111"
		" | + gitsubmodule:https://example.com/ccc.git 3333333333333333333333333333333333333333");
	cl_deps_deltas_dispose(&d);
	cl_buf_clear(&got);
	assert_int_equal(cl_deps_deltas_compute(&d, repo, tb, tc, NULL), 0);
	render(&got, &d);
	assert_string_equal(got.ptr,
		"~ gitsubmodule:https://example.com/aaa.git 1111111111111111111111111111111111111111>"
		"3333333333333333333333333333333333333333");
	cl_deps_deltas_dispose(&d);
	cl_buf_dispose(&got);
	git_tree_free(tb);
	git_tree_free(ta);
	git_tree_free(tc);
	repo_free(repo);
}

/* A lock file next to its manifest: reconciled, and only changed directories are read. */
static void test_reconcile_and_siblings(void **state)
{
	static const struct file before[] = {
		{ "web/package.json", "{\"dependencies\":{\"aaa\":\"^1.0.0\"},\"devDependencies\":{\"ddd\":\"1\"}}", 0 },
		{ "web/package-lock.json", "{\"lockfileVersion\":3,\"packages\":{\"\":{\"dependencies\":{\"aaa\":\"^1.0.0\"},"
		  "\"devDependencies\":{\"ddd\":\"1\"}},\"node_modules/aaa\":{\"version\":\"1.0.0\"},"
		  "\"node_modules/ddd\":{\"version\":\"1.0.0\",\"dev\":true}}}", 0 },
		{ "api/go.mod", "module x\n\nrequire example.com/zzz v1.0.0\n", 0 },
		{ NULL, NULL, 0 },
	};
	static const struct file after[] = {
		{ "web/package.json", "{\"dependencies\":{\"aaa\":\"^1.0.0\"},\"devDependencies\":{\"ddd\":\"1\"}}", 0 },
		{ "web/package-lock.json", "{\"lockfileVersion\":3,\"packages\":{\"\":{\"dependencies\":{\"aaa\":\"^1.0.0\"},"
		  "\"devDependencies\":{\"ddd\":\"1\"}},\"node_modules/aaa\":{\"version\":\"1.1.0\",\"license\":\"MIT\"},"
		  "\"node_modules/ddd\":{\"version\":\"2.0.0\",\"dev\":true}}}", 0 },
		{ "api/go.mod", "module x\n\nrequire example.com/zzz v1.0.0\n", 0 },
		/* Vendored copies are never manifests. */
		{ "web/node_modules/aaa/package.json", "{\"dependencies\":{\"evil\":\"1.0.0\"}}", 0 },
		{ NULL, NULL, 0 },
	};
	git_repository *repo = repo_new();
	git_tree *tb = tree_of(repo, before), *ta = tree_of(repo, after);
	struct cl_deps_deltas d = CL_DEPS_DELTAS_INIT;
	struct cl_buf got = CL_BUF_INIT;
	(void)state;

	assert_int_equal(cl_deps_deltas_compute(&d, repo, tb, ta, NULL), 0);
	render(&got, &d);
	assert_string_equal(got.ptr, "~ npm:aaa 1.0.0>1.1.0 | ~ npm:ddd 1.0.0>2.0.0");
	assert_int_equal(d.items[0].after->relation, CL_DEP_DIRECT);
	assert_int_equal(d.items[1].after->scope, CL_DEP_DEV);
	assert_string_equal(d.items[0].after_source, "lock file");
	cl_deps_deltas_dispose(&d);
	cl_buf_dispose(&got);

	/* A brand-new repository: everything is added. */
	assert_int_equal(cl_deps_deltas_compute(&d, repo, NULL, ta, NULL), 0);
	assert_int_equal(d.count, 3);
	assert_int_equal(d.items[0].kind, CL_DEP_ADDED);
	cl_deps_deltas_dispose(&d);
	git_tree_free(tb);
	git_tree_free(ta);
	repo_free(repo);
}

/* A dev dependency that becomes a runtime one at the same version is judged again. */
static void test_scope_promotion(void **state)
{
	static const struct file before[] = {
		{ "package-lock.json", "{\"lockfileVersion\":3,\"packages\":{"
		  "\"node_modules/aaa\":{\"version\":\"1.0.0\",\"dev\":true},"
		  "\"node_modules/bbb\":{\"version\":\"1.0.0\",\"dev\":true}}}", 0 },
		{ NULL, NULL, 0 },
	};
	static const struct file after[] = {
		{ "package-lock.json", "{\"lockfileVersion\":3,\"packages\":{"
		  "\"node_modules/aaa\":{\"version\":\"1.0.0\"},"
		  "\"node_modules/bbb\":{\"version\":\"1.0.0\",\"dev\":true}}}", 0 },
		{ NULL, NULL, 0 },
	};
	git_repository *repo = repo_new();
	git_tree *tb = tree_of(repo, before), *ta = tree_of(repo, after);
	struct cl_policy *p = policy_from("deps: {ignore_scopes: [dev]}\n");
	struct cl_deps_deltas d = CL_DEPS_DELTAS_INIT;
	(void)state;

	assert_int_equal(cl_deps_deltas_compute(&d, repo, tb, ta, NULL), 0);
	assert_int_equal(d.count, 0);   /* a scope change alone is no diff */
	cl_deps_deltas_dispose(&d);
	assert_int_equal(cl_deps_deltas_compute(&d, repo, tb, ta, cl_policy_deps(p)), 0);
	assert_int_equal(d.count, 1);
	assert_true(d.items[0].scope_promoted);
	assert_string_equal(d.items[0].after->name, "aaa");
	assert_int_equal(d.items[0].before->scope, CL_DEP_DEV);
	assert_int_equal(d.items[0].after->scope, CL_DEP_RUNTIME);
	cl_deps_deltas_dispose(&d);
	cl_policy_free(p);
	git_tree_free(tb);
	git_tree_free(ta);
	repo_free(repo);
}

/* An online source that cannot be reached makes the license unknown, and says why. */
static void test_online_unreachable(void **state)
{
	static const struct file after[] = {
		{ "package-lock.json", "{\"lockfileVersion\":3,\"packages\":{"
		  "\"node_modules/aaa\":{\"version\":\"1.0.0\"},\"node_modules/bbb\":{\"version\":\"1.0.0\"}}}", 0 },
		{ NULL, NULL, 0 },
	};
	git_repository *repo = repo_new();
	git_tree *ta = tree_of(repo, after);
	struct cl_policy *p = policy_from("deps: {online: {enabled: true, base_url: \"http://127.0.0.1:9\"}}\n");
	struct cl_deps_deltas d = CL_DEPS_DELTAS_INIT;
	(void)state;

	assert_int_equal(cl_deps_deltas_compute(&d, repo, NULL, ta, cl_policy_deps(p)), 0);
	assert_int_equal(d.count, 2);
	assert_null(d.items[0].after_license);
	assert_non_null(d.items[0].after_note);
	assert_non_null(strstr(d.items[0].after_note, "online lookup"));
	/* The second does not try again. */
	assert_non_null(d.items[1].after_note);
	assert_non_null(strstr(d.items[1].after_note, "not available"));
	cl_deps_deltas_dispose(&d);
	cl_policy_free(p);
	git_tree_free(ta);
	repo_free(repo);
}

/* ---- the check --------------------------------------------------------- */

/* The findings as "severity[rule] key" lines. */
static void findings_text(struct cl_buf *out, const struct cl_findings *f)
{
	size_t i;
	for (i = 0; i < cl_findings_count(f); i++) {
		const struct cl_finding *x = cl_findings_get(f, i);
		assert_int_equal(cl_buf_printf(out, "%s[%s] %s\n", cl_severity_name(x->severity), x->rule, x->key), 0);
	}
}

static void run_check(struct cl_buf *out, struct cl_findings **findings, const char *policy,
	const struct file *before, const struct file *after)
{
	git_repository *repo = repo_new();
	git_tree *tb = before ? tree_of(repo, before) : NULL, *ta = tree_of(repo, after);
	struct cl_policy *p = policy_from(policy);
	struct cl_check_ctx ctx;

	assert_int_equal(cl_findings_new(findings), 0);
	memset(&ctx, 0, sizeof(ctx));
	ctx.repo = repo;
	ctx.policy = p;
	ctx.ref = "refs/heads/main";
	ctx.findings = *findings;
	ctx.old_tip = tb ? git_tree_id(tb) : NULL;
	ctx.new_tip = git_tree_id(ta);
	if (cl_deps_check(&ctx, cl_policy_deps(p)) < 0)
		fail_msg("check failed: %s", cl_error_last());
	findings_text(out, *findings);
	cl_policy_free(p);
	git_tree_free(tb);
	git_tree_free(ta);
	repo_free(repo);
}

static void test_check_findings(void **state)
{
	static const char policy[] =
		"deps:\n"
		"  enabled: true\n"
		"  licenses: {allow: [MIT, \"BSD-*\"], deny: [\"GPL-*\", SSPL-1.0]}\n"
		"  packages: {deny: [\"npm:event-stream@3.3.6\"]}\n"
		"  known:\n"
		"    - npm:pinned@1.0.0: MIT\n"
		"  on_new: review\n"
		"  on_unknown_license: notice\n"
		"  on_license_change: reject\n"
		"  ignore_scopes: [dev]\n";
	static const struct file before[] = {
		{ "package-lock.json", "{\"lockfileVersion\":3,\"packages\":{"
		  "\"node_modules/redis\":{\"version\":\"1.0.0\",\"license\":\"BSD-3-Clause\"}}}", 0 },
		{ NULL, NULL, 0 },
	};
	static const struct file after[] = {
		{ "package-lock.json", "{\"lockfileVersion\":3,\"packages\":{"
		  "\"node_modules/redis\":{\"version\":\"2.0.0\",\"license\":\"SSPL-1.0\"},"
		  "\"node_modules/fine\":{\"version\":\"1.0.0\",\"license\":\"MIT\"},"
		  "\"node_modules/gpl\":{\"version\":\"1.0.0\",\"license\":\"GPL-3.0-only\"},"
		  "\"node_modules/isc\":{\"version\":\"1.0.0\",\"license\":\"ISC\"},"
		  "\"node_modules/mystery\":{\"version\":\"1.0.0\"},"
		  "\"node_modules/event-stream\":{\"version\":\"3.3.6\",\"license\":\"MIT\"},"
		  "\"node_modules/pinned\":{\"version\":\"1.0.0\",\"license\":\"SSPL-1.0\"},"
		  "\"node_modules/devgpl\":{\"version\":\"1.0.0\",\"license\":\"GPL-3.0-only\",\"dev\":true}}}", 0 },
		{ "go.mod", "module x\nrequire (\n", 0 },
		{ NULL, NULL, 0 },
	};
	struct cl_buf got = CL_BUF_INIT;
	struct cl_findings *f = NULL;
	const struct cl_finding *relicense = NULL;
	size_t i;
	(void)state;

	run_check(&got, &f, policy, before, after);
	assert_string_equal(got.ptr,
		"error[deps.unparsable] deps:file:go.mod\n"
		"error[deps.package-denied] deps:npm:event-stream\n"
		"review[deps.new] deps:npm:fine\n"
		"error[deps.license-denied] deps:npm:gpl\n"
		"error[deps.license-not-allowed] deps:npm:isc\n"
		"notice[deps.license-unknown] deps:npm:mystery\n"
		/* only noticed for its license, so still reviewed for being new */
		"review[deps.new] deps:npm:mystery\n"
		"error[deps.license-denied] deps:npm:pinned\n"
		"error[deps.license-changed] deps:npm:pinned\n"
		"error[deps.license-denied] deps:npm:redis\n"
		"error[deps.license-changed] deps:npm:redis\n");
	for (i = 0; i < cl_findings_count(f); i++) {
		const struct cl_finding *x = cl_findings_get(f, i);
		assert_string_equal(x->check, "deps");
		assert_non_null(x->remedy);
		if (!strcmp(x->rule, "deps.license-changed") && !strcmp(x->key, "deps:npm:redis"))
			relicense = x;
	}
	/* Both licenses and both versions, and the manifest. */
	assert_non_null(relicense);
	assert_non_null(strstr(relicense->message, "1.0.0 -> 2.0.0"));
	assert_non_null(strstr(relicense->message, "BSD-3-Clause (1.0.0) -> SSPL-1.0 (2.0.0)"));
	assert_string_equal(relicense->path, "package-lock.json");
	cl_findings_free(f);
	cl_buf_dispose(&got);
}

/* Hostile manifests give a finding, never a crash or a hang. */
static void test_check_hostile(void **state)
{
	static const char policy[] = "deps: {enabled: true, on_new: allow}\n";
	struct cl_buf deep = CL_BUF_INIT, got = CL_BUF_INIT;
	struct cl_findings *f = NULL;
	char *huge;
	size_t i, huge_len = CL_DEPS_TREE_MAX_BLOB + 2;
	(void)state;

	for (i = 0; i < 100000; i++)
		assert_int_equal(cl_buf_putc(&deep, '['), 0);
	/* Past the blob cap: refused before it is inflated, let alone parsed. */
	huge = malloc(huge_len + 1);
	assert_non_null(huge);
	memset(huge, ' ', huge_len);
	huge[0] = '{';
	huge[huge_len - 1] = '}';
	huge[huge_len] = '\0';
	{
		struct file after[] = {
			{ "go.mod", huge, 0 },
			{ "package-lock.json", deep.ptr, 0 },
			{ "composer.lock", "{\"packages\":[{\"name\":\"a/b\",\"vers", 0 },
			{ "Cargo.lock", "[[package]]\nname = \"x\nversion = 1", 0 },
			{ "pom.xml", "<project><dependencies><dependency>", 0 },
			{ NULL, NULL, 0 },
		};
		run_check(&got, &f, policy, NULL, after);
	}
	assert_string_equal(got.ptr,
		"error[deps.unparsable] deps:file:Cargo.lock\n"
		"error[deps.unparsable] deps:file:composer.lock\n"
		"error[deps.unparsable] deps:file:go.mod\n"
		"error[deps.unparsable] deps:file:package-lock.json\n"
		"error[deps.unparsable] deps:file:pom.xml\n");
	assert_non_null(strstr(cl_findings_get(f, 2)->message, "over the 64 MiB limit"));
	assert_string_equal(cl_findings_get(f, 2)->remedy,
		"a manifest this large is not one; remove it, or keep generated data out of manifests");
	free(huge);
	cl_findings_free(f);
	cl_buf_dispose(&got);
	cl_buf_dispose(&deep);
}

/* "review" is its own severity: shown and counted, never rejecting. */
static void test_review_severity(void **state)
{
	struct cl_findings *f = NULL;
	struct cl_finding x;
	struct cl_buf text = CL_BUF_INIT;
	enum cl_severity sev;
	json_t *doc = NULL;
	(void)state;

	assert_string_equal(cl_severity_name(CL_SEVERITY_REVIEW), "review");
	assert_int_equal(cl_severity_parse(&sev, "review"), 0);
	assert_int_equal(sev, CL_SEVERITY_REVIEW);
	assert_int_equal(cl_findings_new(&f), 0);
	memset(&x, 0, sizeof(x));
	x.check = "deps";
	x.severity = CL_SEVERITY_REVIEW;
	x.ref = "refs/heads/main";
	x.path = "package-lock.json";
	x.rule = "deps.new";
	x.message = "npm:a (none) -> 1.0.0 (new, direct, runtime), license MIT: a new dependency";
	x.key = "deps:npm:a";
	assert_int_equal(cl_findings_add(f, &x), 0);
	assert_int_equal(cl_report_json(&doc, f, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(doc, "verdict")), "accepted");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "summary"), "reviews")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(doc, "summary"), "errors")), 0);
	assert_int_equal(cl_report_text(&text, f, NULL), 0);
	assert_non_null(strstr(text.ptr, "review[deps.new]: package-lock.json: npm:a"));
	assert_non_null(strstr(text.ptr, "0 errors, 0 warnings, 1 review for the OSPO"));
	json_decref(doc);
	cl_buf_dispose(&text);
	cl_findings_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_defaults),
		cmocka_unit_test(test_policy_full),
		cmocka_unit_test(test_policy_errors),
		cmocka_unit_test(test_license_judge),
		cmocka_unit_test(test_license_equal),
		cmocka_unit_test(test_package_json),
		cmocka_unit_test(test_metadata),
		cmocka_unit_test(test_vendored),
		cmocka_unit_test(test_ecosystems),
		cmocka_unit_test(test_submodules),
		cmocka_unit_test(test_reconcile_and_siblings),
		cmocka_unit_test(test_scope_promotion),
		cmocka_unit_test(test_online_unreachable),
		cmocka_unit_test(test_check_findings),
		cmocka_unit_test(test_check_hostile),
		cmocka_unit_test(test_review_severity),
	};
	int rc;

	git_libgit2_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
