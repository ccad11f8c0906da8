/*
 * REUSE metadata outside the file (lib/reuse.h): nested REUSE.toml with
 * REUSE 3.3's precedence rules, .reuse/dep5 and its globs, the both-files
 * error, malformed inputs. Trees are built with libgit2 in a temporary
 * bare repository, one per scenario, from {path, content} tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "reuse.h"

struct fixture {
	char dir[64];
	git_repository *repo;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	git_libgit2_init();
	snprintf(fx->dir, sizeof(fx->dir), "%s", "/tmp/clearance-reuse-XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	assert_int_equal(git_repository_init(&fx->repo, fx->dir, 1), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[128];
	git_repository_free(fx->repo);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
	git_libgit2_shutdown();
	return 0;
}

struct file {
	const char *path;
	const char *content;
};

/* An in-memory index has no repository: write the blob, then add its entry. */
static void add_file(git_repository *repo, git_index *index, const char *path, const char *content)
{
	git_index_entry e;
	memset(&e, 0, sizeof(e));
	e.path = path;
	e.mode = GIT_FILEMODE_BLOB;
	assert_int_equal(git_blob_create_from_buffer(&e.id, repo, content, strlen(content)), 0);
	assert_int_equal(git_index_add(index, &e), 0);
}

static git_tree *make_tree(struct fixture *fx, const struct file *files)
{
	git_index *index;
	git_tree *tree;
	git_oid id;
	size_t i;

	assert_int_equal(git_index_new(&index), 0);
	for (i = 0; files[i].path; i++)
		add_file(fx->repo, index, files[i].path, files[i].content);
	assert_int_equal(git_index_write_tree_to(&id, index, fx->repo), 0);
	assert_int_equal(git_tree_lookup(&tree, fx->repo, &id), 0);
	git_index_free(index);
	return tree;
}

/* Problems, flattened to "KIND PATH:LINE: MESSAGE" lines. */
struct problems {
	char text[4096];
	int count;
};

static int on_problem(const struct cl_reuse_problem *p, void *payload)
{
	struct problems *ps = payload;
	size_t used = strlen(ps->text);
	static const char *const kinds[] = { "toml", "dep5", "both" };
	snprintf(ps->text + used, sizeof(ps->text) - used, "%s %s:%u: %s\n", kinds[p->kind], p->path,
		p->line, p->message);
	ps->count++;
	return 0;
}

/* ---- dep5 globs --------------------------------------------------------- */

static const struct {
	const char *glob, *path;
	int match;
} glob_cases[] = {
	{ "*", "a", 1 },
	{ "*", "a/b/c.txt", 1 },                /* '*' crosses '/' in dep5 */
	{ "docs/*", "docs/a/b.md", 1 },
	{ "docs/*", "docsx/a", 0 },
	{ "*.png", "img/logo.png", 1 },
	{ "*.png", "img/logo.png.license", 0 },
	{ "a?c", "abc", 1 },
	{ "a?c", "a/c", 1 },                    /* '?' is any one character, '/' too */
	{ "a?c", "ac", 0 },
	{ "a\\*c", "a*c", 1 },
	{ "a\\*c", "abc", 0 },
	{ "a\\?c", "abc", 0 },
	{ "a\\\\c", "a\\c", 1 },
	{ "*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0 },
	{ "**", "", 1 },
	{ "x", "", 0 },
	{ "", "", 1 },
	{ "src/*/main.c", "src/a/b/main.c", 1 },
	{ "README", "README", 1 },
	{ "README", "README.md", 0 },
};

static void test_dep5_glob(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(glob_cases) / sizeof(glob_cases[0]); i++) {
		int got = cl_reuse_dep5_glob(glob_cases[i].glob, strlen(glob_cases[i].glob), glob_cases[i].path);
		if (got != glob_cases[i].match)
			fail_msg("glob '%s' on '%s': got %d", glob_cases[i].glob, glob_cases[i].path, got);
	}
}

/* ---- dep5 parsing ------------------------------------------------------- */

/* Shaped like the dep5 that reuse-tool's own repository carried, with CRLF in one place. */
static const char real_dep5[] =
	"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
	"Upstream-Name: reuse\n"
	"Upstream-Contact: Carmen Bianca Bakker <carmenbianca@fsfe.org>\n"
	"Source: https://github.com/fsfe/reuse-tool\n"
	"\n"
	"# Sample paragraph, commented out:\n"
	"#\n"
	"# Files: src/*\n"
	"# Copyright: $YEAR $NAME <$CONTACT>\n"
	"# License: ...\n"
	"\n"
	"Files: docs/reuse*.rst\n"
	"Copyright: 2017 Free Software Foundation Europe e.V. <https://fsfe.org>\n"
	"License: CC-BY-SA-4.0\n"
	"\n"
	"\n"
	"Files: tests/resources/*\r\n"
	"  po/*.pot\r\n"
	"Copyright: 2017 Free Software Foundation Europe e.V.\r\n"
	"           2019 Someone Else\r\n"
	"License: GPL-3.0-or-later\r\n"
	"\r\n"
	"Files: tests/resources/empty/*\n"
	"Copyright:\n"
	"License: CC0-1.0\n"
	"\n"
	"License: LicenseRef-Example\n"
	" The full text of a license, on continuation lines.\n"
	" .\n"
	" A second paragraph of it.\n";

static const struct {
	const char *path, *license;
	int has_copyright;
} real_lookups[] = {
	{ "docs/reuse-spec.rst", "CC-BY-SA-4.0", 1 },
	{ "docs/index.rst", NULL, 0 },
	{ "tests/resources/fake_module/__init__.py", "GPL-3.0-or-later", 1 },
	{ "po/reuse.pot", "GPL-3.0-or-later", 1 },
	{ "po/de.po", NULL, 0 },
	{ "tests/resources/empty/x", "CC0-1.0", 0 },   /* the later paragraph wins */
	{ "src/reuse/__init__.py", NULL, 0 },
};

static void test_dep5_real(void **state)
{
	struct cl_reuse_dep5 *d = NULL;
	size_t i;
	(void)state;

	assert_int_equal(cl_reuse_dep5_parse(&d, real_dep5, sizeof(real_dep5) - 1, NULL), 0);
	assert_int_equal(cl_reuse_dep5_count(d), 3);
	for (i = 0; i < sizeof(real_lookups) / sizeof(real_lookups[0]); i++) {
		const char *lic = NULL;
		int cp = -1;
		int found = cl_reuse_dep5_match(&lic, &cp, d, real_lookups[i].path);
		if (!real_lookups[i].license) {
			if (found)
				fail_msg("'%s' should match nothing, got %s", real_lookups[i].path, lic);
			continue;
		}
		if (!found)
			fail_msg("'%s' should match", real_lookups[i].path);
		assert_string_equal(lic, real_lookups[i].license);
		assert_int_equal(cp, real_lookups[i].has_copyright);
	}
	cl_reuse_dep5_free(d);
}

static const struct {
	const char *doc;
	unsigned int line;
	const char *message;
} bad_dep5[] = {
	{ "", 1, "header paragraph" },
	{ "\n\n# only comments\n", 1, "header paragraph" },
	{ "Files: *\nCopyright: x\nLicense: MIT\n", 1, "Format" },
	{ "Format: x\n\nFiles: *\nLicense: MIT\n", 3, "Copyright" },
	{ "Format: x\n\nFiles: *\nCopyright: x\n", 3, "License" },
	{ "Format: x\n\nFiles: *\nCopyright: x\nLicense:\n Text only.\n", 3, "License" },
	{ "Format: x\n\nFiles:\nCopyright: x\nLicense: MIT\n", 3, "no pattern" },
	{ "Format: x\n\nFiles: a\\b\nCopyright: x\nLicense: MIT\n", 3, "backslash" },
	{ "Format: x\n\nFiles: a\\\nCopyright: x\nLicense: MIT\n", 3, "backslash" },
	{ "Format: x\n\nFiles: *\nfiles: b\nCopyright: x\nLicense: MIT\n", 3, "twice" },
	{ "Format: x\n\nFiles: *\nCopyright: x\nLicense: MIT\nnot a field\n", 3, "neither" },
	{ " leading continuation\n", 1, "continuation" },
	{ "Format: x\n\nComment: only\n", 3, "needs a Files field" },
	{ "Format: x\n\nFiles: *\nCopy right: x\n", 3, "blank" },
	{ "Format: x\n\n: value\n", 3, "neither" },
};

static void test_dep5_malformed(void **state)
{
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(bad_dep5) / sizeof(bad_dep5[0]); i++) {
		struct cl_reuse_dep5 *d = NULL;
		unsigned int line = 99;
		int rc = cl_reuse_dep5_parse(&d, bad_dep5[i].doc, strlen(bad_dep5[i].doc), &line);
		if (rc != CL_EINVALID)
			fail_msg("case %zu: rc %d, wanted CL_EINVALID", i, rc);
		assert_null(d);
		if (line != bad_dep5[i].line)
			fail_msg("case %zu: line %u, wanted %u (%s)", i, line, bad_dep5[i].line, cl_error_last());
		if (!strstr(cl_error_last(), bad_dep5[i].message))
			fail_msg("case %zu: message '%s' lacks '%s'", i, cl_error_last(), bad_dep5[i].message);
	}
}

static void test_dep5_nul_and_size(void **state)
{
	struct cl_reuse_dep5 *d = NULL;
	static const char nul[] = "Format: x\0\n";
	char *big;
	(void)state;

	assert_int_equal(cl_reuse_dep5_parse(&d, nul, sizeof(nul) - 1, NULL), CL_EINVALID);
	big = malloc(CL_REUSE_FILE_MAX + 1);
	assert_non_null(big);
	memset(big, '#', CL_REUSE_FILE_MAX + 1);
	assert_int_equal(cl_reuse_dep5_parse(&d, big, CL_REUSE_FILE_MAX + 1, NULL), CL_ETOOBIG);
	assert_null(d);
	free(big);
}

/* ---- REUSE.toml scenarios ------------------------------------------------ */

#define MAX_FILES 8
#define MAX_LOOKUPS 9

struct lookup {
	const char *path;
	int found;
	enum cl_reuse_precedence precedence;
	const char *license;          /* NULL: none */
	int has_copyright;
	const char *closest_license;  /* aggregate only */
	const char *source;
};

struct scenario {
	const char *name;
	struct file files[MAX_FILES];
	struct lookup lookups[MAX_LOOKUPS];
	const char *problems;         /* substrings of the problem text, '|' separated; NULL: none */
};

#define TOML_ANY_MIT "version = 1\n[[annotations]]\npath = \"**\"\nSPDX-License-Identifier = \"MIT\"\n"

static const struct scenario scenarios[] = {
	{ "closest: the deeper REUSE.toml decides for its files, paths relative to it",
	  { { "REUSE.toml", TOML_ANY_MIT },
	    { "sub/REUSE.toml", "version = 1\n[[annotations]]\npath = \"*.txt\"\n"
	      "SPDX-License-Identifier = \"Apache-2.0\"\n" },
	    { "a.txt", "x" }, { "sub/a.txt", "x" }, { "sub/a.c", "x" }, { NULL, NULL } },
	  { { "sub/a.txt", 1, CL_REUSE_CLOSEST, "Apache-2.0", 0, NULL, "sub/REUSE.toml" },
	    { "sub/a.c", 1, CL_REUSE_CLOSEST, "MIT", 0, NULL, "REUSE.toml" },
	    { "a.txt", 1, CL_REUSE_CLOSEST, "MIT", 0, NULL, "REUSE.toml" },
	    { "sub/deep/a.txt", 1, CL_REUSE_CLOSEST, "MIT", 0, NULL, "REUSE.toml" },
	    { "subx/a.txt", 1, CL_REUSE_CLOSEST, "MIT", 0, NULL, "REUSE.toml" },
	    { NULL, 0, 0, NULL, 0, NULL, NULL } },
	  NULL },
	{ "closest: license and copyright are taken from the closest that has each",
	  { { "REUSE.toml", "version = 1\n[[annotations]]\npath = \"**\"\nSPDX-License-Identifier = \"MIT\"\n" },
	    { "sub/REUSE.toml", "version = 1\n[[annotations]]\npath = \"**\"\n"
	      "SPDX-FileCopyrightText = [\"2024 Jane\", \"2025 John\"]\n" },
	    { NULL, NULL } },
	  { { "sub/x", 1, CL_REUSE_CLOSEST, "MIT", 1, NULL, "sub/REUSE.toml" },
	    { "x", 1, CL_REUSE_CLOSEST, "MIT", 0, NULL, "REUSE.toml" },
	    { NULL, 0, 0, NULL, 0, NULL, NULL } },
	  NULL },
	{ "override: the outermost override wins over deeper REUSE.toml files",
	  { { "REUSE.toml", "version = 1\n[[annotations]]\npath = \"vendor/**\"\nprecedence = \"override\"\n"
	      "SPDX-License-Identifier = \"0BSD\"\nSPDX-FileCopyrightText = \"2020 Vendor\"\n" },
	    { "vendor/REUSE.toml", "version = 1\n[[annotations]]\npath = \"**\"\nprecedence = \"override\"\n"
	      "SPDX-License-Identifier = \"MIT\"\n" },
	    { NULL, NULL } },
	  { { "vendor/lib/x.c", 1, CL_REUSE_OVERRIDE, "0BSD", 1, NULL, "REUSE.toml" },
	    { "other.c", 0, CL_REUSE_CLOSEST, NULL, 0, NULL, NULL },
	    { NULL, 0, 0, NULL, 0, NULL, NULL } },
	  NULL },
	{ "override in a subdirectory; '*' stays within a directory",
	  { { "REUSE.toml", TOML_ANY_MIT },
	    { "sub/REUSE.toml", "version = 1\n[[annotations]]\npath = \"gen/*\"\nprecedence = \"override\"\n"
	      "SPDX-License-Identifier = \"CC0-1.0\"\n" },
	    { NULL, NULL } },
	  { { "sub/gen/a.c", 1, CL_REUSE_OVERRIDE, "CC0-1.0", 0, NULL, "sub/REUSE.toml" },
	    { "sub/gen/deeper/a.c", 1, CL_REUSE_CLOSEST, "MIT", 0, NULL, "REUSE.toml" },
	    { NULL, 0, 0, NULL, 0, NULL, NULL } },
	  NULL },
	{ "aggregate above closest: both are reported, the closest as a fallback",
	  { { "REUSE.toml", "version = 1\n[[annotations]]\npath = \"**\"\nprecedence = \"aggregate\"\n"
	      "SPDX-License-Identifier = \"MIT\"\nSPDX-FileCopyrightText = \"2024 Org\"\n" },
	    { "sub/REUSE.toml", "version = 1\n[[annotations]]\npath = \"**\"\n"
	      "SPDX-License-Identifier = \"Apache-2.0\"\n" },
	    { NULL, NULL } },
	  { { "sub/x", 1, CL_REUSE_AGGREGATE, "MIT", 1, "Apache-2.0", "REUSE.toml" },
	    { "x", 1, CL_REUSE_AGGREGATE, "MIT", 1, NULL, "REUSE.toml" },
	    { NULL, 0, 0, NULL, 0, NULL, NULL } },
	  NULL },
	{ "aggregates add up, and hold beside a deeper override",
	  { { "REUSE.toml", "version = 1\n[[annotations]]\npath = \"**\"\nprecedence = \"aggregate\"\n"
	      "SPDX-License-Identifier = \"MIT\"\n" },
	    { "a/REUSE.toml", "version = 1\n[[annotations]]\npath = \"**\"\nprecedence = \"aggregate\"\n"
	      "SPDX-License-Identifier = \"BSD-3-Clause\"\n" },
	    { "b/REUSE.toml", "version = 1\n[[annotations]]\npath = \"**\"\nprecedence = \"override\"\n"
	      "SPDX-License-Identifier = \"Apache-2.0\"\n" },
	    { "a/c/REUSE.toml", "version = 1\n[[annotations]]\npath = \"**\"\nprecedence = \"override\"\n"
	      "SPDX-License-Identifier = \"0BSD\"\n" },
	    { NULL, NULL } },
	  { { "a/x", 1, CL_REUSE_AGGREGATE, "(MIT) AND (BSD-3-Clause)", 0, NULL, "a/REUSE.toml" },
	    { "b/x", 1, CL_REUSE_OVERRIDE, "(Apache-2.0) AND (MIT)", 0, NULL, "b/REUSE.toml" },
	    { "a/c/x", 1, CL_REUSE_OVERRIDE, "(0BSD) AND (MIT) AND (BSD-3-Clause)", 0, NULL, "a/c/REUSE.toml" },
	    { NULL, 0, 0, NULL, 0, NULL, NULL } },
	  NULL },
	{ "in one REUSE.toml the last matching annotation wins; a list of expressions is ANDed",
	  { { "REUSE.toml", "version = 1\n"
	      "[[annotations]]\npath = [\"**\"]\nSPDX-License-Identifier = \"MIT\"\n"
	      "[[annotations]]\npath = [\"*.md\", \"docs/**\"]\n"
	      "SPDX-License-Identifier = [\"CC-BY-4.0\", \"MIT\"]\n"
	      "[[annotations]]\npath = \"a?.c\"\nSPDX-License-Identifier = \"Unlicense\"\n"
	      "[[annotations]]\npath = \"re:.*\"\nSPDX-License-Identifier = \"WTFPL\"\n"
	      "[[annotations]]\npath = \"**/*.h\"\nSPDX-License-Identifier = \"Zlib\"\n" },
	    { NULL, NULL } },
	  { { "README.md", 1, CL_REUSE_CLOSEST, "(CC-BY-4.0) AND (MIT)", 0, NULL, "REUSE.toml" },
	    { "sub/README.md", 1, CL_REUSE_CLOSEST, "MIT", 0, NULL, "REUSE.toml" },
	    { "docs/a/b.png", 1, CL_REUSE_CLOSEST, "(CC-BY-4.0) AND (MIT)", 0, NULL, "REUSE.toml" },
	    { "ab.c", 1, CL_REUSE_CLOSEST, "MIT", 0, NULL, "REUSE.toml" },     /* '?' is literal */
	    { "a?.c", 1, CL_REUSE_CLOSEST, "Unlicense", 0, NULL, "REUSE.toml" },
	    { "re:.*", 1, CL_REUSE_CLOSEST, "WTFPL", 0, NULL, "REUSE.toml" },
	    { "x.h", 1, CL_REUSE_CLOSEST, "Zlib", 0, NULL, "REUSE.toml" },  /* "**" + "/" may match no directory */
	    { "a/b/x.h", 1, CL_REUSE_CLOSEST, "Zlib", 0, NULL, "REUSE.toml" } },
	  NULL },
	{ "a broken nested REUSE.toml is a problem; the others still hold",
	  { { "REUSE.toml", TOML_ANY_MIT },
	    { "sub/REUSE.toml", "version = 1\n[[annotations]\npath = \"**\"\n" },
	    { "t/REUSE.toml", "version = 2\n" },
	    { "u/REUSE.toml", "version = 1\n[[annotations]]\nSPDX-License-Identifier = \"MIT\"\n" },
	    { "v/REUSE.toml", "version = 1\n[[annotations]]\npath = \"x\"\nprecedence = \"nearest\"\n" },
	    { "w/REUSE.toml", "version = 1\n[[annotations]]\npath = \"x\"\nSPDX-License-Identifier = 3\n" },
	    { "y/REUSE.toml", "version = 1\nannotations = 3\n" },
	    { NULL, NULL } },
	  { { "sub/x", 1, CL_REUSE_CLOSEST, "MIT", 0, NULL, "REUSE.toml" },
	    { NULL, 0, 0, NULL, 0, NULL, NULL } },
	  "toml sub/REUSE.toml:0: sub/REUSE.toml:2:|toml t/REUSE.toml:0: 'version = 1'|"
	  "toml u/REUSE.toml:0: annotation 1: an annotation needs 'path'|"
	  "toml v/REUSE.toml:0: annotation 1: 'precedence' must be|"
	  "toml w/REUSE.toml:0: annotation 1: 'SPDX-License-Identifier' must be|"
	  "toml y/REUSE.toml:0: 'annotations' must be" },
	{ "REUSE.toml and dep5 together: an error, and dep5 is ignored",
	  { { "REUSE.toml", "version = 1\n" },
	    { ".reuse/dep5", "Format: x\n\nFiles: *\nCopyright: x\nLicense: MIT\n" },
	    { NULL, NULL } },
	  { { "a.c", 0, CL_REUSE_CLOSEST, NULL, 0, NULL, NULL },
	    { NULL, 0, 0, NULL, 0, NULL, NULL } },
	  "both .reuse/dep5:0: REUSE.toml and .reuse/dep5 must not both exist" },
	{ "a broken REUSE.toml still forbids dep5",
	  { { "sub/REUSE.toml", "version = \n" },
	    { ".reuse/dep5", "Format: x\n\nFiles: *\nCopyright: x\nLicense: MIT\n" },
	    { NULL, NULL } },
	  { { "a.c", 0, CL_REUSE_CLOSEST, NULL, 0, NULL, NULL },
	    { NULL, 0, 0, NULL, 0, NULL, NULL } },
	  "toml sub/REUSE.toml|both .reuse/dep5" },
	{ "dep5 alone applies with aggregate precedence",
	  { { ".reuse/dep5", real_dep5 }, { NULL, NULL } },
	  { { "po/a.pot", 1, CL_REUSE_AGGREGATE, "GPL-3.0-or-later", 1, NULL, ".reuse/dep5" },
	    { "src/a.c", 0, CL_REUSE_CLOSEST, NULL, 0, NULL, NULL },
	    { NULL, 0, 0, NULL, 0, NULL, NULL } },
	  NULL },
	{ "a malformed dep5 is a problem with its line, and is ignored",
	  { { ".reuse/dep5", "Format: x\n\nFiles: *\nCopyright: x\n\nFiles: b\n" }, { NULL, NULL } },
	  { { "a.c", 0, CL_REUSE_CLOSEST, NULL, 0, NULL, NULL },
	    { NULL, 0, 0, NULL, 0, NULL, NULL } },
	  "dep5 .reuse/dep5:3: paragraph at line 3: a Files paragraph needs a License field" },
};

static void check_problems(const char *name, const struct problems *ps, const char *want)
{
	char copy[1024];
	char *save = NULL, *part;
	int n = 0;

	if (!want) {
		if (ps->count)
			fail_msg("%s: unexpected problems:\n%s", name, ps->text);
		return;
	}
	snprintf(copy, sizeof(copy), "%s", want);
	for (part = strtok_r(copy, "|", &save); part; part = strtok_r(NULL, "|", &save)) {
		n++;
		if (!strstr(ps->text, part))
			fail_msg("%s: no problem '%s' in:\n%s", name, part, ps->text);
	}
	if (n != ps->count)
		fail_msg("%s: %d problems, wanted %d:\n%s", name, ps->count, n, ps->text);
}

static void test_scenarios(void **state)
{
	struct fixture *fx = *state;
	size_t i, j;

	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		const struct scenario *sc = &scenarios[i];
		struct problems ps;
		struct cl_reuse *r = NULL;
		struct cl_reuse_info info = CL_REUSE_INFO_INIT;
		git_tree *tree = make_tree(fx, sc->files);

		memset(&ps, 0, sizeof(ps));
		if (cl_reuse_load(&r, fx->repo, tree, on_problem, &ps) < 0)
			fail_msg("%s: load: %s", sc->name, cl_error_last());
		check_problems(sc->name, &ps, sc->problems);
		for (j = 0; j < MAX_LOOKUPS && sc->lookups[j].path; j++) {
			const struct lookup *l = &sc->lookups[j];
			assert_int_equal(cl_reuse_lookup(&info, r, l->path), 0);
			if (info.found != l->found || (l->found && info.precedence != l->precedence))
				fail_msg("%s: '%s': found %d precedence %d", sc->name, l->path, info.found,
					(int)info.precedence);
			if (!l->found)
				continue;
			if ((l->license == NULL) != (info.license == NULL) ||
			    (l->license && strcmp(l->license, info.license)))
				fail_msg("%s: '%s': license '%s', wanted '%s'", sc->name, l->path,
					info.license ? info.license : "(null)", l->license ? l->license : "(null)");
			if (info.has_copyright != l->has_copyright)
				fail_msg("%s: '%s': has_copyright %d", sc->name, l->path, info.has_copyright);
			if ((l->closest_license == NULL) != (info.closest_license == NULL) ||
			    (l->closest_license && strcmp(l->closest_license, info.closest_license)))
				fail_msg("%s: '%s': closest_license '%s'", sc->name, l->path,
					info.closest_license ? info.closest_license : "(null)");
			if (!info.source || strcmp(info.source, l->source))
				fail_msg("%s: '%s': source '%s', wanted '%s'", sc->name, l->path,
					info.source ? info.source : "(null)", l->source);
		}
		cl_reuse_info_dispose(&info);
		cl_reuse_free(r);
		git_tree_free(tree);
	}
}

/* The cap on REUSE.toml files, and lookups that stay cheap over many paths. */
static void test_caps_and_scale(void **state)
{
	struct fixture *fx = *state;
	struct cl_reuse *r = NULL;
	struct cl_reuse_info info = CL_REUSE_INFO_INIT;
	struct problems ps;
	git_index *index;
	git_tree *tree;
	git_oid id;
	char path[64];
	size_t i;

	assert_int_equal(git_index_new(&index), 0);
	add_file(fx->repo, index, "REUSE.toml", TOML_ANY_MIT);
	for (i = 0; i < CL_REUSE_TOML_COUNT_MAX + 5; i++) {
		snprintf(path, sizeof(path), "d%04zu/REUSE.toml", i);
		add_file(fx->repo, index, path, "version = 1\n[[annotations]]\npath = \"*.c\"\n"
			"SPDX-License-Identifier = \"Apache-2.0\"\n");
	}
	assert_int_equal(git_index_write_tree_to(&id, index, fx->repo), 0);
	assert_int_equal(git_tree_lookup(&tree, fx->repo, &id), 0);
	git_index_free(index);

	memset(&ps, 0, sizeof(ps));
	assert_int_equal(cl_reuse_load(&r, fx->repo, tree, on_problem, &ps), 0);
	assert_int_equal(ps.count, 1);
	assert_non_null(strstr(ps.text, "only the first 1024 are read"));
	assert_int_equal(cl_reuse_toml_count(r), CL_REUSE_TOML_COUNT_MAX);
	/* 20,000 lookups: each is a binary search per ancestor, not a scan of the tomls. */
	for (i = 0; i < 20000; i++) {
		snprintf(path, sizeof(path), "d%04zu/sub/f%zu.c", i % 1000, i);
		assert_int_equal(cl_reuse_lookup(&info, r, path), 0);
		assert_int_equal(info.found, 1);
		assert_string_equal(info.license, "MIT");   /* "*.c" does not reach sub/ */
		snprintf(path, sizeof(path), "d%04zu/f%zu.c", i % 1000, i);
		assert_int_equal(cl_reuse_lookup(&info, r, path), 0);
		assert_string_equal(info.license, "Apache-2.0");
	}
	cl_reuse_info_dispose(&info);
	cl_reuse_free(r);
	git_tree_free(tree);
}

static void test_empty_tree(void **state)
{
	struct fixture *fx = *state;
	static const struct file none[] = { { "README", "x" }, { NULL, NULL } };
	struct cl_reuse *r = NULL;
	struct cl_reuse_info info = CL_REUSE_INFO_INIT;
	git_tree *tree = make_tree(fx, none);

	assert_int_equal(cl_reuse_load(&r, fx->repo, tree, NULL, NULL), 0);
	assert_int_equal(cl_reuse_toml_count(r), 0);
	assert_int_equal(cl_reuse_has_dep5(r), 0);
	assert_int_equal(cl_reuse_lookup(&info, r, "README"), 0);
	assert_int_equal(info.found, 0);
	cl_reuse_info_dispose(&info);
	cl_reuse_free(r);
	cl_reuse_free(NULL);
	git_tree_free(tree);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dep5_glob),
		cmocka_unit_test(test_dep5_real),
		cmocka_unit_test(test_dep5_malformed),
		cmocka_unit_test(test_dep5_nul_and_size),
		cmocka_unit_test_setup_teardown(test_scenarios, setup, teardown),
		cmocka_unit_test_setup_teardown(test_caps_and_scale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_tree, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
