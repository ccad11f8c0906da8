/*
 * test_header_scan.c - finding SPDX tags and copyright notices, and
 * writing them (fix-headers).
 *
 * Fixtures are files: tests/headers/STYLE/NAME is a real-shaped file of
 * that comment style (tests/headers/unknown/ holds files of no known
 * type), and fixture_rows below says what a scan of its first 4 KiB must
 * find. Every style has a directory, every file a row, and every fixture
 * goes through fix-headers twice (idempotence). The tables after the
 * fixtures pin the rules one line at a time: tag spellings, notice forms,
 * REUSE-Ignore blocks, comments against strings, windows cut anywhere.
 *
 * Run from the top of the source tree (as `make test` does), or set
 * CLEARANCE_SRCDIR to it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "comment_style.h"
#include "error.h"
#include "header_scan.h"
#include "pattern.h"

static const char *srcdir(void)
{
	const char *d = getenv("CLEARANCE_SRCDIR");
	return d && *d ? d : ".";
}

static void read_fixture(struct cl_buf *b, const char *rel)
{
	struct cl_buf path = CL_BUF_INIT;

	assert_int_equal(cl_buf_printf(&path, "%s/tests/headers/%s", srcdir(), rel), 0);
	cl_buf_init(b, 1 << 20);
	if (cl_buf_read_path(b, cl_buf_cstr(&path)) < 0)
		fail_msg("cannot read fixture '%s': %s (run from the source tree or set "
			"CLEARANCE_SRCDIR)", cl_buf_cstr(&path), cl_error_last());
	cl_buf_dispose(&path);
}

static const struct cl_comment_style *style(const char *name)
{
	const struct cl_comment_style *st;
	if (!name)
		return NULL;
	st = cl_comment_style_by_name(name);
	if (!st)
		fail_msg("no style '%s'", name);
	return st;
}

static size_t window(size_t size)
{
	return size < CL_HEADER_WINDOW ? size : CL_HEADER_WINDOW;
}

static void expect_span(const char *what, const char *ctx, const char *got, size_t len,
	const char *want)
{
	if (strlen(want) != len || memcmp(got, want, len) != 0)
		fail_msg("%s: %s is '%.*s', expected '%s'", ctx, what, (int)len, got ? got : "", want);
}

/* ---- fixtures ------------------------------------------------------------ */

struct fixture {
	const char *path;       /* under tests/headers/; the directory is the style */
	int binary, bom, crlf;
	const char *expr;       /* NULL: no tag found */
	unsigned int line;
	unsigned int tags;      /* 0 means 1 when expr is set */
	int conflicting;
	unsigned int cline;     /* copyright notice line, 0: none */
	unsigned int mline;     /* misspelled tag line, 0: none */
	unsigned int oline;     /* tag outside comments, 0: none */
	const char *ctext;      /* the notice, when checked */
};

static const struct fixture fixture_rows[] = {
	{ "ada/hello.adb", .expr = "GPL-3.0-or-later WITH GCC-exception-3.1", .line = 1 },
	{ "applescript/notify.applescript", .expr = "MIT", .line = 1 },
	{ "asciidoc/guide.adoc", .expr = "CC-BY-4.0", .line = 1 },
	{ "asm/boot.asm", .expr = "MIT", .line = 1 },
	{ "aspx/Default.aspx", .expr = "MIT", .line = 1 },
	{ "batch/build.bat", .crlf = 1, .expr = "MIT", .line = 2 },
	{ "blade/welcome.blade.php", .expr = "MIT", .line = 1 },
	{ "c/banner_3646.c", .expr = "curl", .line = 56, .cline = 8,
	  .ctext = "Copyright (C) Example Banner Authors, <banner@example.org>, et al." },
	{ "c/block_one_line.h", .expr = "GPL-2.0-only", .line = 1 },
	{ "c/framed.c", .expr = "Apache-2.0 WITH LLVM-exception", .line = 3 },
	{ "c/hello.c", .expr = "MIT", .line = 5, .cline = 4,
	  .ctext = "SPDX-FileCopyrightText: 2024 Example Org" },
	{ "c/lowercase.c", .mline = 1 },
	{ "c/reuse_ignore.c", .expr = "BSD-2-Clause", .line = 3, .cline = 2 },
	{ "c/string_literal.c", .oline = 6 },
	{ "c/too_late.c", .expr = NULL },
	{ "c/two_ids.c", .expr = "MIT", .line = 1, .tags = 2, .conflicting = 1 },
	{ "c/uppercase.c", .mline = 2 },
	{ "cabal/demo.cabal", .expr = "BSD-3-Clause", .line = 2 },
	{ "cmake/CMakeLists.txt", .expr = "BSD-3-Clause", .line = 3, .cline = 2 },
	{ "cpp/Main.java", .expr = "EPL-2.0", .line = 4, .cline = 2,
	  .ctext = "Copyright (c) 2019 Example Corp." },
	/* "@copyright" is not a notice: REUSE matches "Copyright" case-sensitively */
	{ "cpp/app.ts", .expr = "MIT", .line = 5 },
	{ "cpp/server.go", .expr = "BSD-3-Clause", .line = 2, .cline = 1, .oline = 6 },
	{ "cpp/widget.cpp", .expr = "Apache-2.0", .line = 2, .cline = 1 },
	{ "css/site.css", .expr = "CC0-1.0", .line = 3, .cline = 2 },
	{ "d/app.d", .expr = "BSL-1.0", .line = 1 },
	{ "dockerfile/Dockerfile", .expr = "Apache-2.0", .line = 2, .oline = 4 },
	{ "erb/show.html.erb", .expr = "MIT", .line = 1 },
	{ "erlang/server.erl", .expr = "Apache-2.0", .line = 1 },
	{ "fortran-fixed/legacy.f", .expr = "BSD-3-Clause", .line = 1 },
	{ "fortran/solver.f90", .expr = "BSD-3-Clause", .line = 1 },
	{ "fsharp/Program.fs", .expr = "MIT", .line = 1 },
	{ "ftl/page.ftl", .expr = "Apache-2.0", .line = 1 },
	{ "gas/start.S", .expr = "GPL-2.0-only", .line = 1 },
	{ "gitignore/.gitignore", .expr = "CC0-1.0", .line = 1 },
	{ "gotmpl/deployment.tpl", .expr = "Apache-2.0", .line = 1 },
	{ "handlebars/card.hbs", .expr = "MIT", .line = 1 },
	{ "hash/BUILD", .expr = "Apache-2.0", .line = 1 },
	{ "hash/Cargo.toml", .expr = "MIT OR Apache-2.0", .line = 1 },
	{ "hash/config.yaml", .expr = "CC0-1.0", .line = 2, .cline = 1 },
	{ "haskell/Main.hs", .expr = "BSD-3-Clause", .line = 2 },
	{ "hcl/main.tf", .expr = "MPL-2.0", .line = 2 },
	{ "html/App.vue", .expr = "MIT", .line = 2 },
	{ "html/comment.html", .expr = "MIT", .line = 3, .cline = 2, .oline = 5 },
	{ "ini/setup.cfg", .expr = "MIT", .line = 1 },
	{ "jinja/page.j2", .expr = "MIT", .line = 1 },
	{ "julia/solve.jl", .expr = "MIT", .line = 3, .cline = 2 },
	{ "lean/Basic.lean", .expr = "Apache-2.0", .line = 2 },
	{ "lisp/init.el", .expr = "GPL-3.0-or-later", .line = 2 },
	{ "lua/init.lua", .expr = "MIT", .line = 2 },
	{ "m4/configure.ac", .expr = "FSFAP", .line = 1 },
	{ "make/Makefile", .expr = "GPL-2.0-only", .line = 1 },
	{ "markdown/README.md", .expr = "CC-BY-4.0", .line = 3, .cline = 2, .oline = 8 },
	{ "markdown/front_matter.md", .expr = "CC-BY-4.0", .line = 4 },
	{ "matlab/solve.m", .expr = "BSD-2-Clause", .line = 1 },
	{ "mustache/mail.mustache", .expr = "MIT", .line = 1 },
	{ "nim/hello.nim", .expr = "MIT", .line = 2 },
	{ "nix/default.nix", .expr = "MIT", .line = 1 },
	{ "none/logo.png.license", .expr = "CC-BY-4.0", .line = 3, .cline = 1 },
	{ "none/package.json", .oline = 3 },
	{ "ocaml/main.ml", .expr = "LGPL-2.1-only WITH OCaml-LGPL-linking-exception", .line = 2 },
	{ "pascal/hello.pas", .expr = "MPL-2.0", .line = 1 },
	{ "php/index.php", .expr = "GPL-2.0-or-later", .line = 4, .cline = 3 },
	{ "plantuml/flow.puml", .expr = "CC-BY-4.0", .line = 1 },
	{ "powershell/setup.ps1", .expr = "MIT", .line = 4 },
	{ "properties/app.properties", .expr = "Apache-2.0", .line = 1 },
	{ "python/bom.py", .bom = 1, .expr = "0BSD", .line = 1 },
	{ "python/crlf.py", .crlf = 1, .expr = "MIT", .line = 1, .cline = 2,
	  .ctext = "Copyright 2024 CRLF Authors" },
	{ "python/docstring.py", .oline = 4 },
	{ "python/shebang_cookie.py", .expr = "GPL-3.0-or-later", .line = 5, .cline = 3,
	  .ctext = "SPDX-FileCopyrightText: \xc2\xa9 2024 Jane Doe <jane@example.org>" },
	{ "razor/Index.cshtml", .expr = "MIT", .line = 1 },
	{ "roff/tool.1", .expr = "MIT", .line = 1 },
	{ "rst/index.rst", .expr = "CC-BY-4.0", .line = 1 },
	{ "ruby/Gemfile", .expr = "MIT", .line = 2 },
	{ "rust/lib.rs", .expr = "MIT OR Apache-2.0", .line = 2, .cline = 1 },
	{ "shell/build.sh", .expr = "MIT", .line = 3, .cline = 2, .oline = 5 },
	{ "sql/schema.sql", .expr = "PostgreSQL", .line = 2, .cline = 1, .oline = 3 },
	{ "tex/paper.tex", .expr = "CC-BY-4.0", .line = 2 },
	{ "texinfo/manual.texi", .expr = "GFDL-1.3-or-later", .line = 2 },
	{ "unknown/NOTES", .expr = "CC0-1.0", .line = 1 },
	{ "unknown/pixel.bin", .binary = 1 },
	{ "vb/Module1.vb", .expr = "MIT", .line = 1 },
	{ "velocity/mail.vm", .expr = "Apache-2.0", .line = 1 },
	{ "vim/plugin.vim", .expr = "Vim", .line = 1 },
	{ "xml/icon.svg", .expr = "CC-BY-SA-4.0", .line = 1 },
	{ "xml/prolog.xml", .expr = "Apache-2.0", .line = 4, .cline = 3 },
	{ "xquery/query.xq", .expr = "MIT", .line = 1 },
};
#define FIXTURE_COUNT (sizeof(fixture_rows) / sizeof(fixture_rows[0]))

/* The style a fixture's directory names; NULL for unknown/. */
static const struct cl_comment_style *fixture_style(const char *path)
{
	char dir[64];
	const char *slash = strchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;

	assert_true(n > 0 && n < sizeof(dir));
	memcpy(dir, path, n);
	dir[n] = '\0';
	return strcmp(dir, "unknown") == 0 ? NULL : style(dir);
}

static void check_info(const char *ctx, const struct cl_header_info *i, const struct fixture *f)
{
	unsigned int tags = f->tags ? f->tags : (f->expr ? 1 : 0);

	if (i->binary != f->binary || i->bom != f->bom || i->crlf != f->crlf)
		fail_msg("%s: binary/bom/crlf %d/%d/%d, expected %d/%d/%d", ctx, i->binary, i->bom,
			i->crlf, f->binary, f->bom, f->crlf);
	if (i->found != (f->expr != NULL))
		fail_msg("%s: found=%d, expected %d", ctx, i->found, f->expr != NULL);
	if (f->expr) {
		expect_span("expression", ctx, i->expression, i->expression_len, f->expr);
		if (i->line != f->line)
			fail_msg("%s: tag on line %u, expected %u", ctx, i->line, f->line);
	} else {
		assert_int_equal(i->line, 0);
	}
	if (i->tag_count != tags || i->conflicting != f->conflicting)
		fail_msg("%s: %u tags (conflicting %d), expected %u (%d)", ctx, i->tag_count,
			i->conflicting, tags, f->conflicting);
	if (i->copyright != (f->cline != 0) || i->copyright_line != f->cline)
		fail_msg("%s: copyright %d on line %u, expected line %u", ctx, i->copyright,
			i->copyright_line, f->cline);
	if (f->ctext)
		expect_span("copyright", ctx, i->copyright_text, i->copyright_len, f->ctext);
	if (i->misspelled != (f->mline != 0) || i->misspelled_line != f->mline)
		fail_msg("%s: misspelled %d on line %u, expected line %u", ctx, i->misspelled,
			i->misspelled_line, f->mline);
	if (i->outside_comment != (f->oline != 0) || i->outside_line != f->oline)
		fail_msg("%s: outside-comment %d on line %u, expected line %u", ctx,
			i->outside_comment, i->outside_line, f->oline);
}

static void test_fixture_scan(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < FIXTURE_COUNT; k++) {
		const struct fixture *f = &fixture_rows[k];
		const struct cl_comment_style *st = fixture_style(f->path);
		struct cl_header_info info;
		struct cl_buf b;

		/* the fixture's name leads to its directory's style */
		if (cl_comment_style_for_path(f->path) != st)
			fail_msg("'%s' is in the directory of style '%s' but its name maps to '%s'",
				f->path, st ? st->name : "unknown",
				cl_comment_style_for_path(f->path) ?
				cl_comment_style_for_path(f->path)->name : "(none)");
		read_fixture(&b, f->path);
		assert_int_equal(cl_header_scan(&info, b.ptr, window(b.size), st, NULL), 0);
		check_info(f->path, &info, f);
		cl_buf_dispose(&b);
	}
}

static int fixture_listed(const char *rel)
{
	size_t k;
	for (k = 0; k < FIXTURE_COUNT; k++)
		if (strcmp(fixture_rows[k].path, rel) == 0)
			return 1;
	return 0;
}

/* Every file has a row, every row a file, every style a directory. */
static void test_fixture_inventory(void **state)
{
	struct cl_buf root = CL_BUF_INIT, sub = CL_BUF_INIT, rel = CL_BUF_INIT;
	DIR *top, *d;
	struct dirent *e, *f;
	size_t files = 0, i;

	(void)state;
	assert_int_equal(cl_buf_printf(&root, "%s/tests/headers", srcdir()), 0);
	top = opendir(cl_buf_cstr(&root));
	if (!top)
		fail_msg("cannot open '%s' (run from the source tree or set CLEARANCE_SRCDIR)",
			cl_buf_cstr(&root));
	while ((e = readdir(top)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		cl_buf_clear(&sub);
		assert_int_equal(cl_buf_printf(&sub, "%s/%s", cl_buf_cstr(&root), e->d_name), 0);
		d = opendir(cl_buf_cstr(&sub));
		if (!d)
			fail_msg("'%s' is not a directory of fixtures", cl_buf_cstr(&sub));
		if (strcmp(e->d_name, "unknown") != 0 && !cl_comment_style_by_name(e->d_name))
			fail_msg("tests/headers/%s/ names no comment style", e->d_name);
		while ((f = readdir(d)) != NULL) {
			if (strcmp(f->d_name, ".") == 0 || strcmp(f->d_name, "..") == 0)
				continue;
			cl_buf_clear(&rel);
			assert_int_equal(cl_buf_printf(&rel, "%s/%s", e->d_name, f->d_name), 0);
			if (!fixture_listed(cl_buf_cstr(&rel)))
				fail_msg("fixture '%s' has no row in fixture_rows", cl_buf_cstr(&rel));
			files++;
		}
		closedir(d);
	}
	closedir(top);
	assert_int_equal(files, FIXTURE_COUNT);
	for (i = 0; i < cl_comment_style_count(); i++) {
		const struct cl_comment_style *st = cl_comment_style_at(i);
		size_t k;
		int has = 0;
		for (k = 0; k < FIXTURE_COUNT && !has; k++)
			has = fixture_style(fixture_rows[k].path) == st;
		if (!has)
			fail_msg("style '%s' has no fixture under tests/headers/%s/", st->name, st->name);
	}
	cl_buf_dispose(&root);
	cl_buf_dispose(&sub);
	cl_buf_dispose(&rel);
}

/* curl puts its tag after an ASCII-art banner at byte 3,646: inside the default window. */
static void test_window(void **state)
{
	const struct cl_comment_style *c = style("c");
	struct cl_header_info info;
	struct cl_buf b;
	const char *tag;

	(void)state;
	read_fixture(&b, "c/banner_3646.c");
	tag = strstr(b.ptr, "SPDX-License-Identifier");
	assert_non_null(tag);
	assert_int_equal(tag - b.ptr, 3646);
	assert_true(b.size < CL_HEADER_WINDOW);
	assert_int_equal(cl_header_scan(&info, b.ptr, window(b.size), c, NULL), 0);
	assert_true(info.found);
	assert_false(info.expression_cut);
	expect_span("expression", "banner", info.expression, info.expression_len, "curl");
	/* a smaller window misses it, or cuts it */
	assert_int_equal(cl_header_scan(&info, b.ptr, 3600, c, NULL), 0);
	assert_false(info.found);
	assert_int_equal(cl_header_scan(&info, b.ptr, 3646 + 27, c, NULL), 0);
	assert_true(info.found);
	assert_true(info.expression_cut);
	expect_span("expression", "banner cut", info.expression, info.expression_len, "cu");
	cl_buf_dispose(&b);

	read_fixture(&b, "c/too_late.c");
	assert_true(strstr(b.ptr, "SPDX") - b.ptr > CL_HEADER_WINDOW);
	assert_int_equal(cl_header_scan(&info, b.ptr, CL_HEADER_WINDOW, c, NULL), 0);
	assert_false(info.found);
	assert_int_equal(cl_header_scan(&info, b.ptr, b.size, c, NULL), 0);
	assert_true(info.found);
	cl_buf_dispose(&b);
}

/* ---- scan rules, one line at a time ---------------------------------------- */

struct scan_case {
	const char *style;      /* NULL: unknown file type */
	const char *text;
	const char *expr;       /* NULL: not found */
	unsigned int line;      /* 0 means 1 when expr is set */
	const char *ctext;      /* NULL: no notice */
	int misspelled, outside, conflicting;
	unsigned int tags;      /* 0 means 1 when expr is set */
};

#define PY "python"

static const struct scan_case scan_cases[] = {
	/* tag spellings (REUSE matches the tag case-sensitively) */
	{ .style = PY, .text = "# SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	{ .style = PY, .text = "# SPDX-License-Identifier:\tMIT\n", .expr = "MIT" },
	{ .style = PY, .text = "#SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	{ .style = PY, .text = "# SPDX-License-Identifier: MIT   \n", .expr = "MIT" },
	{ .style = PY, .text = "# SPDX-License-Identifier: (MIT OR Apache-2.0) AND BSD-2-Clause\n",
	  .expr = "(MIT OR Apache-2.0) AND BSD-2-Clause" },
	{ .style = PY, .text = "# SPDX-License-Identifier:\n", .expr = "" },
	{ .style = PY, .text = "# see SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	{ .style = PY, .text = "x = 1  # SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	{ .style = PY, .text = "# spdx-license-identifier: MIT\n", .misspelled = 1 },
	{ .style = PY, .text = "# SPDX-LICENSE-IDENTIFIER: MIT\n", .misspelled = 1 },
	{ .style = PY, .text = "# SPDX-Licence-Identifier: MIT\n", .misspelled = 1 },
	{ .style = PY, .text = "# SPDX-License-Identifier:MIT\n", .misspelled = 1 },
	{ .style = PY, .text = "# SPDX-License-Identifier : MIT\n", .misspelled = 1 },
	{ .style = PY, .text = "# SPDX-License-Identifier MIT\n" },
	{ .style = PY, .text = "# SPDX-License-Identifiers: MIT\n" },
	{ .style = PY, .text = "x = 'SPDX-License-Identifier: MIT'\n", .outside = 1 },
	{ .style = PY, .text = "x = \"# SPDX-License-Identifier: MIT\"\n", .outside = 1 },
	{ .style = PY, .text = "SPDX-License-Identifier: MIT\n", .outside = 1 },
	{ .style = PY, .text = "# SPDX-License-Identifier: MIT\n# SPDX-License-Identifier: MIT\n",
	  .expr = "MIT", .tags = 2 },
	{ .style = PY,
	  .text = "# SPDX-License-Identifier: MIT\n# SPDX-License-Identifier: GPL-2.0-only\n",
	  .expr = "MIT", .tags = 2, .conflicting = 1 },
	{ .style = PY, .text = "# SPDX-License-Identifier: MIT # SPDX-License-Identifier: X\n",
	  .expr = "MIT # SPDX-License-Identifier: X" },
	{ .style = PY, .text = "# SPDX-License-Identifier: MIT #\n",
	  .expr = "MIT" },   /* a frame, as REUSE strips it */
	/* copyright notices, as REUSE accepts them */
	{ .style = PY, .text = "# SPDX-FileCopyrightText: 2020 Jane\n",
	  .ctext = "SPDX-FileCopyrightText: 2020 Jane" },
	{ .style = PY, .text = "# SPDX-SnippetCopyrightText: 2020 Jane\n",
	  .ctext = "SPDX-SnippetCopyrightText: 2020 Jane" },
	{ .style = PY, .text = "# SPDX-FileCopyrightText: \xc2\xa9 2020 Jane\n",
	  .ctext = "SPDX-FileCopyrightText: \xc2\xa9 2020 Jane" },
	{ .style = PY, .text = "# Copyright 2020 Jane\n", .ctext = "Copyright 2020 Jane" },
	{ .style = PY, .text = "# Copyright (C) 2020 Jane\n", .ctext = "Copyright (C) 2020 Jane" },
	{ .style = PY, .text = "# Copyright (c) 2020 Jane\n", .ctext = "Copyright (c) 2020 Jane" },
	{ .style = PY, .text = "# Copyright(C) 2020 Jane\n", .ctext = "Copyright(C) 2020 Jane" },
	{ .style = PY, .text = "# Copyright \xc2\xa9 2020 Jane\n",
	  .ctext = "Copyright \xc2\xa9 2020 Jane" },
	{ .style = PY, .text = "# \xc2\xa9 2020 Jane\n", .ctext = "\xc2\xa9 2020 Jane" },
	{ .style = PY, .text = "# Portions Copyright 2020 Jane\n", .ctext = "Copyright 2020 Jane" },
	{ .style = PY,
	  .text = "# (C) 2020 Jane\n" },                  /* REUSE does not take a bare (C) */
	{ .style = PY, .text = "# (c) 2020 Jane\n" },
	{ .style = PY, .text = "# copyright 2020 jane\n" },
	{ .style = PY, .text = "# COPYRIGHT 2020 JANE\n" },
	{ .style = PY, .text = "# Copyrighted by Jane\n" },
	{ .style = PY, .text = "# Copyright\n" },
	{ .style = PY, .text = "# SPDX-FileCopyrightText:\n" },
	{ .style = PY, .text = "# SPDX-FileContributor: Jane\n" },
	{ .style = PY, .text = "notice = 'Copyright 2020 Jane'\n" },
	{ .style = PY, .text = "# Copyright 2020 A\n# Copyright 2021 B\n",
	  .ctext = "Copyright 2020 A" },
	/* REUSE-IgnoreStart/End: the text between is not read */
	{ .style = PY,
	  .text = "# REUSE-IgnoreStart\n# SPDX-License-Identifier: GPL-3.0-only\n# REUSE-IgnoreEnd\n"
	  "# SPDX-License-Identifier: MIT\n", .expr = "MIT", .line = 4 },
	{ .style = PY, .text = "# SPDX-License-Identifier: MIT\n# REUSE-IgnoreStart\n"
	  "# SPDX-License-Identifier: GPL-3.0-only\n", .expr = "MIT" },
	{ .style = PY, .text = "# REUSE-IgnoreEnd\n# SPDX-License-Identifier: MIT\n",
	  .expr = "MIT", .line = 2 },
	{ .style = PY,
	  .text = "# REUSE-IgnoreStart Copyright 2020 X REUSE-IgnoreEnd Copyright 2021 Y\n",
	  .ctext = "Copyright 2021 Y" },
	{ .style = PY,
	  .text = "# REUSE-IgnoreStart\nx = 'SPDX-License-Identifier: MIT'\n# REUSE-IgnoreEnd\n" },
	{ .style = PY,
	  .text = "# a REUSE-IgnoreStart b REUSE-IgnoreStart\n# SPDX-License-Identifier: X\n"
	  "# REUSE-IgnoreEnd\n# SPDX-License-Identifier: MIT\n", .expr = "MIT", .line = 4 },
	/* C: block comments, strings, characters */
	{ .style = "c", .text = "/* SPDX-License-Identifier: MIT */\n", .expr = "MIT" },
	{ .style = "c", .text = "/* SPDX-License-Identifier: MIT*/\n", .expr = "MIT" },
	{ .style = "c", .text = "/*SPDX-License-Identifier: MIT*/ int x;\n", .expr = "MIT" },
	{ .style = "c", .text = "/* a */ int x; /* SPDX-License-Identifier: MIT */\n",
	  .expr = "MIT" },
	{ .style = "c", .text = "/*\nSPDX-License-Identifier: MIT\n*/\n", .expr = "MIT",
	  .line = 2 },
	{ .style = "c", .text = "int x; /* start\n * SPDX-License-Identifier: MIT\n */\n",
	  .expr = "MIT", .line = 2 },
	{ .style = "c", .text = "// SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	{ .style = "c", .text = "char *s = \"/* SPDX-License-Identifier: MIT */\";\n",
	  .outside = 1 },
	{ .style = "c", .text = "char *s = \"\\\" /* SPDX-License-Identifier: MIT */\";\n",
	  .outside = 1 },
	{ .style = "c", .text = "char q = '\"'; /* SPDX-License-Identifier: MIT */\n",
	  .expr = "MIT" },
	{ .style = "c", .text = "char *s = \"unterminated\n/* SPDX-License-Identifier: MIT */\n",
	  .expr = "MIT", .line = 2 },
	{ .style = "c", .text = "/* Copyright 2020 A */ /* SPDX-License-Identifier: MIT */\n",
	  .expr = "MIT", .ctext = "Copyright 2020 A" },
	{ .style = "c",
	  .text = "/* x */ printf(\"SPDX-License-Identifier: MIT\"); // SPDX-License-Identifier: 0BSD\n",
	  .expr = "0BSD", .outside = 1 },
	{ .style = "cpp", .text = "auto s = R\"(x)\"; // SPDX-License-Identifier: MIT\n",
	  .expr = "MIT" },
	{ .style = "css",
	  .text = "a { background: url(//x.org/a.png) } /* SPDX-License-Identifier: MIT */\n",
	  .expr = "MIT" },
	{ .style = "css", .text = "// SPDX-License-Identifier: MIT\n", .outside = 1 },
	{ .style = "rust", .text = "fn f<'a>(x: &'a str) {} // SPDX-License-Identifier: MIT\n",
	  .expr = "MIT" },
	{ .style = "d", .text = "/+ SPDX-License-Identifier: BSL-1.0 +/\n", .expr = "BSL-1.0" },
	/* markup and templates */
	{ .style = "html", .text = "<!-- SPDX-License-Identifier: MIT -->\n", .expr = "MIT" },
	{ .style = "html", .text = "<p>SPDX-License-Identifier: MIT</p>\n", .outside = 1 },
	{ .style = "html",
	  .text = "<!--\n  Copyright 2020 A\n  SPDX-License-Identifier: MIT\n-->\n",
	  .expr = "MIT", .line = 3, .ctext = "Copyright 2020 A" },
	{ .style = "jinja", .text = "{# SPDX-License-Identifier: MIT #}\n", .expr = "MIT" },
	{ .style = "handlebars", .text = "{{! SPDX-License-Identifier: MIT }}\n", .expr = "MIT" },
	{ .style = "handlebars", .text = "{{!-- SPDX-License-Identifier: MIT --}}\n",
	  .expr = "MIT" },
	{ .style = "gotmpl", .text = "{{/* SPDX-License-Identifier: MIT */}}\n", .expr = "MIT" },
	{ .style = "xquery", .text = "(: SPDX-License-Identifier: MIT :)\n", .expr = "MIT" },
	{ .style = "ocaml", .text = "(* SPDX-License-Identifier: MIT *)\n", .expr = "MIT" },
	{ .style = "pascal", .text = "(* SPDX-License-Identifier: MIT *)\n", .expr = "MIT" },
	{ .style = "pascal", .text = "{ SPDX-License-Identifier: MIT }\n", .expr = "MIT" },
	{ .style = "lua", .text = "--[[ SPDX-License-Identifier: MIT ]]\n", .expr = "MIT" },
	{ .style = "lua", .text = "-- SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	{ .style = "haskell", .text = "{- SPDX-License-Identifier: MIT -}\n", .expr = "MIT" },
	{ .style = "powershell", .text = "<# SPDX-License-Identifier: MIT #>\n", .expr = "MIT" },
	{ .style = "julia", .text = "#= SPDX-License-Identifier: MIT =#\n", .expr = "MIT" },
	/* blocks and prefixes that only count at the start of a line */
	{ .style = "ruby", .text = "=begin\nSPDX-License-Identifier: MIT\n=end\n", .expr = "MIT",
	  .line = 2 },
	{ .style = "ruby", .text = "x = 1 =begin\nSPDX-License-Identifier: MIT\n", .outside = 1 },
	{ .style = "matlab", .text = "%{\nSPDX-License-Identifier: MIT\n%}\n", .expr = "MIT",
	  .line = 2 },
	{ .style = "asciidoc", .text = "////\nSPDX-License-Identifier: MIT\n////\n",
	  .expr = "MIT", .line = 2 },
	{ .style = "gitignore", .text = "build/ # SPDX-License-Identifier: MIT\n", .outside = 1 },
	{ .style = "gitignore", .text = "  # SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	{ .style = "dockerfile", .text = "RUN make # SPDX-License-Identifier: MIT\n",
	  .outside = 1 },
	{ .style = "vim", .text = "let x = 1 \" SPDX-License-Identifier: MIT\n", .outside = 1 },
	{ .style = "rst", .text = ".. SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	/* words as prefixes: whole words, case as the style says */
	{ .style = "batch", .text = "rem SPDX-License-Identifier: MIT\r\n", .expr = "MIT" },
	{ .style = "batch", .text = "@Rem SPDX-License-Identifier: MIT\r\n", .expr = "MIT" },
	{ .style = "batch", .text = ":: SPDX-License-Identifier: MIT\r\n", .expr = "MIT" },
	{ .style = "batch", .text = "echo REM SPDX-License-Identifier: MIT\r\n", .outside = 1 },
	{ .style = "batch", .text = "REMARK SPDX-License-Identifier: MIT\r\n", .outside = 1 },
	{ .style = "vb", .text = "Dim remaining = 1 ' SPDX-License-Identifier: MIT\n",
	  .expr = "MIT" },
	{ .style = "vb", .text = "Rem SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	{ .style = "m4", .text = "dnl SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	{ .style = "m4", .text = "AC_INIT(dnlx) SPDX-License-Identifier: MIT\n", .outside = 1 },
	{ .style = "fortran-fixed", .text = "c SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	{ .style = "fortran-fixed", .text = "C SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	{ .style = "fortran-fixed", .text = "* SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	{ .style = "texinfo", .text = "@c SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	{ .style = "texinfo", .text = "@comment SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	{ .style = "texinfo", .text = "@code{SPDX-License-Identifier: MIT}\n", .outside = 1 },
	{ .style = "roff", .text = ".\\\" SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	{ .style = "lisp", .text = ";;; SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	{ .style = "erlang", .text = "%% SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	{ .style = "sql", .text = "SELECT '--' AS x; -- SPDX-License-Identifier: MIT\n",
	  .expr = "MIT" },
	{ .style = "sql", .text = "SELECT '-- SPDX-License-Identifier: MIT';\n", .outside = 1 },
	/* no style: at a line start after punctuation only, as REUSE reads it */
	{ .style = NULL, .text = "SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	{ .style = NULL, .text = " * SPDX-License-Identifier: MIT */\n", .expr = "MIT" },
	{ .style = NULL, .text = "<!-- SPDX-License-Identifier: MIT -->\n", .expr = "MIT" },
	{ .style = NULL, .text = "{{!-- SPDX-License-Identifier: MIT --}}\n", .expr = "MIT" },
	{ .style = NULL, .text = "print('SPDX-License-Identifier: MIT')\n", .outside = 1 },
	{ .style = NULL, .text = "# Copyright 2020 Jane\n", .ctext = "Copyright 2020 Jane" },
	{ .style = NULL, .text = "x = 'Copyright 2020 Jane'\n" },
	{ .style = "none",
	  .text = "SPDX-FileCopyrightText: 2020 Jane\n\nSPDX-License-Identifier: MIT\n",
	  .expr = "MIT", .line = 3, .ctext = "SPDX-FileCopyrightText: 2020 Jane" },
	{ .style = "none", .text = "{\"license\": \"SPDX-License-Identifier: MIT\"}\n",
	  .outside = 1 },
	/* line ends and the byte-order mark */
	{ .style = "c", .text = "// SPDX-License-Identifier: MIT\r\n", .expr = "MIT" },
	{ .style = "c", .text = "\xef\xbb\xbf// SPDX-License-Identifier: MIT\n", .expr = "MIT" },
	{ .style = "c", .text = "\xef\xbb\xbf" },
	{ .style = "c", .text = "" },
	{ .style = "c", .text = "\n\n\n// SPDX-License-Identifier: MIT", .expr = "MIT", .line = 4 },
	/*
	 * With the tag and a notice found, the scan skips a rest that holds no
	 * "spdx-licen" in any case: whatever does hold one must still count.
	 */
	{ .style = "c",
	  .text = "// SPDX-FileCopyrightText: Jane\n// SPDX-License-Identifier: MIT\nint x;\n"
		  "int y; // SPDX-License-Identifier: GPL-2.0-only\n",
	  .expr = "MIT", .line = 2, .ctext = "SPDX-FileCopyrightText: Jane", .tags = 2,
	  .conflicting = 1 },
	{ .style = "c",
	  .text = "// SPDX-FileCopyrightText: Jane\n// SPDX-License-Identifier: MIT\n/* a - b -\n"
		  " - spdx-LICENSE-identifier: MIT */\n",
	  .expr = "MIT", .line = 2, .ctext = "SPDX-FileCopyrightText: Jane", .misspelled = 1 },
	{ .style = "c",
	  .text = "/* SPDX-FileCopyrightText: Jane\n * SPDX-License-Identifier: MIT\n */\n"
		  "const char *s = \"x-y SPDX-License-Identifier: MIT\";\n",
	  .expr = "MIT", .line = 2, .ctext = "SPDX-FileCopyrightText: Jane", .outside = 1 },
	{ .style = "c",
	  .text = "// SPDX-FileCopyrightText: Jane\n// SPDX-License-Identifier: MIT\n"
		  "/* SPDX-License-Identifier: MIT\n",
	  .expr = "MIT", .line = 2, .ctext = "SPDX-FileCopyrightText: Jane", .tags = 2 },
	{ .style = NULL,
	  .text = "# Copyright 2020 Jane\n# SPDX-License-Identifier: MIT\nx - y\n"
		  "# SPDX-License-Identifier: Apache-2.0\n",
	  .expr = "MIT", .line = 2, .ctext = "Copyright 2020 Jane", .tags = 2, .conflicting = 1 },
};

static void test_scan_cases(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(scan_cases) / sizeof(scan_cases[0]); k++) {
		const struct scan_case *c = &scan_cases[k];
		struct cl_header_info i;
		char ctx[160];
		unsigned int line = c->line ? c->line : (c->expr ? 1 : 0);
		unsigned int tags = c->tags ? c->tags : (c->expr ? 1 : 0);

		snprintf(ctx, sizeof(ctx), "case %zu (%s) '%.60s'", k, c->style ? c->style : "none",
			c->text);
		assert_int_equal(cl_header_scan(&i, c->text, strlen(c->text), style(c->style), NULL), 0);
		if (i.found != (c->expr != NULL))
			fail_msg("%s: found=%d", ctx, i.found);
		if (c->expr)
			expect_span("expression", ctx, i.expression, i.expression_len, c->expr);
		if (i.line != line || i.tag_count != tags || i.conflicting != c->conflicting)
			fail_msg("%s: line %u, %u tags, conflicting %d; expected %u, %u, %d", ctx,
				i.line, i.tag_count, i.conflicting, line, tags, c->conflicting);
		if (i.copyright != (c->ctext != NULL))
			fail_msg("%s: copyright=%d", ctx, i.copyright);
		if (c->ctext)
			expect_span("copyright", ctx, i.copyright_text, i.copyright_len, c->ctext);
		if (i.misspelled != c->misspelled || i.outside_comment != c->outside)
			fail_msg("%s: misspelled %d, outside %d; expected %d, %d", ctx, i.misspelled,
				i.outside_comment, c->misspelled, c->outside);
		assert_int_equal(i.bom, strncmp(c->text, "\xef\xbb\xbf", 3) == 0);
		assert_int_equal(i.crlf, strstr(c->text, "\r\n") != NULL);
	}
}

/* A blob head may end anywhere: mid-line, mid-tag, mid-UTF-8 sequence. */
static void test_scan_cut_anywhere(void **state)
{
	static const char text[] =
		"\xef\xbb\xbf/*\r\n * SPDX-FileCopyrightText: \xc2\xa9 2020 J\xc3\xa4ne\r\n"
		" * SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception\r\n */\r\n"
		"char *s = \"\\\"// SPDX-License-Identifier: MIT\";\r\n";
	const struct cl_comment_style *st = style("c");
	struct cl_header_info full, i;
	size_t len = sizeof(text) - 1, cut;

	(void)state;
	assert_int_equal(cl_header_scan(&full, text, len, st, NULL), 0);
	assert_true(full.found && full.copyright && full.outside_comment && full.bom && full.crlf);
	expect_span("expression", "full", full.expression, full.expression_len,
		"Apache-2.0 WITH LLVM-exception");
	for (cut = 0; cut <= len; cut++) {
		/* a copy of exactly `cut` bytes, so a read past the window is caught by ASan */
		char *head = malloc(cut ? cut : 1);
		assert_non_null(head);
		memcpy(head, text, cut);
		assert_int_equal(cl_header_scan(&i, head, cut, st, NULL), 0);
		if (i.found) {
			assert_true(i.expression >= head && i.expression + i.expression_len <= head + cut);
			/* a tag on the last, unfinished line says so */
			if (i.expression_len < full.expression_len)
				assert_true(i.expression_cut);
		}
		if (i.copyright)
			assert_true(i.copyright_text + i.copyright_len <= head + cut);
		free(head);
	}
	/* a NUL anywhere in the window: binary, and nothing else is reported */
	assert_int_equal(cl_header_scan(&i, "// SPDX-License-Identifier: MIT\n\0", 33, st, NULL), 0);
	assert_true(i.binary);
	assert_false(i.found);
}

static void test_extra_copyright(void **state)
{
	static const char text[] =
		"/*\n"
		" * (c) Acme Corp 2020, all rights reserved\n"
		" * SPDX-License-Identifier: MIT\n"
		" */\n"
		"const char *who = \"(c) Acme Corp\";\n";
	struct cl_pattern *glob = NULL, *re = NULL, *miss = NULL;
	struct cl_header_info i;

	(void)state;
	assert_int_equal(cl_header_scan(&i, text, sizeof(text) - 1, style("c"), NULL), 0);
	assert_false(i.copyright);   /* a bare "(c)" is not a REUSE notice */
	assert_int_equal(cl_pattern_compile(&glob, "(c) Acme Corp*", 0), 0);
	assert_int_equal(cl_header_scan(&i, text, sizeof(text) - 1, style("c"), glob), 0);
	assert_true(i.copyright);
	assert_int_equal(i.copyright_line, 2);
	expect_span("copyright", "glob", i.copyright_text, i.copyright_len,
		"(c) Acme Corp 2020, all rights reserved");
	assert_int_equal(cl_pattern_compile(&re, "re:\\(c\\) Acme Corp \\d{4}.*", 0), 0);
	assert_int_equal(cl_header_scan(&i, text, sizeof(text) - 1, style("c"), re), 0);
	assert_true(i.copyright);
	/* the pattern sees comment text only: the string literal on line 5 does not count */
	assert_int_equal(cl_pattern_compile(&miss, "*Acme Corp\"*", 0), 0);
	assert_int_equal(cl_header_scan(&i, text, sizeof(text) - 1, style("c"), miss), 0);
	assert_false(i.copyright);
	/* the built-in forms still count with a pattern given */
	assert_int_equal(cl_header_scan(&i, "# Copyright 2020 X\n", 19, style(PY), miss), 0);
	assert_true(i.copyright);
	cl_pattern_free(glob);
	cl_pattern_free(re);
	cl_pattern_free(miss);
}

/* ---- fix ------------------------------------------------------------------- */

/* fix, then checks that hold for any successful fix */
static int fix(struct cl_buf *out, const char *data, size_t len,
	const struct cl_comment_style *st, const char *expr, const char *copyright)
{
	struct cl_buf again = CL_BUF_INIT;
	struct cl_header_info i;
	int rc;

	cl_buf_init(out, 0);
	rc = cl_header_fix(out, data, len, st, expr, copyright);
	if (rc < 0) {
		assert_int_equal(out->size, 0);
		return rc;
	}
	/* the result passes the check ... */
	assert_int_equal(cl_header_scan(&i, out->ptr, window(out->size), st, NULL), 0);
	if (!i.found || i.misspelled || i.conflicting)
		fail_msg("fixed file does not pass: found %d misspelled %d conflicting %d\n%s",
			i.found, i.misspelled, i.conflicting, out->ptr);
	expect_span("fixed expression", out->ptr, i.expression, i.expression_len, expr);
	if (copyright && *copyright && !i.copyright)
		fail_msg("fixed file has no notice:\n%s", out->ptr);
	/* ... and fixing it again changes nothing */
	assert_int_equal(cl_header_fix(&again, out->ptr, out->size, st, expr, copyright), 0);
	if (again.size != out->size || memcmp(again.ptr, out->ptr, out->size) != 0)
		fail_msg("fix is not idempotent:\n--- once\n%s--- twice\n%s", out->ptr, again.ptr);
	cl_buf_dispose(&again);
	/* the byte-order mark and the line ends are kept */
	assert_int_equal(len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0,
		out->size >= 3 && memcmp(out->ptr, "\xef\xbb\xbf", 3) == 0);
	if (memchr(data, '\n', len) && ((const char *)memchr(data, '\n', len) > data) &&
	    ((const char *)memchr(data, '\n', len))[-1] == '\r') {
		size_t k;
		for (k = 0; k < out->size; k++)
			if (out->ptr[k] == '\n' && (k == 0 || out->ptr[k - 1] != '\r'))
				fail_msg("a bare LF in a CRLF file:\n%s", out->ptr);
	}
	return rc;
}

static void test_fix_fixtures(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < FIXTURE_COUNT; k++) {
		const struct fixture *f = &fixture_rows[k];
		const struct cl_comment_style *st = fixture_style(f->path);
		struct cl_buf b, out;

		read_fixture(&b, f->path);
		if (f->binary || !cl_comment_style_has_comments(st)) {
			cl_buf_init(&out, 0);
			assert_int_equal(cl_header_fix(&out, b.ptr, b.size, st, "MIT", NULL), CL_EINVALID);
			assert_int_equal(out.size, 0);
			cl_buf_dispose(&b);
			continue;
		}
		/* a compliant file comes back unchanged, with or without a notice asked for */
		if (f->expr && !f->conflicting && !f->mline && f->expr[0]) {
			assert_int_equal(fix(&out, b.ptr, b.size, st, f->expr, NULL), 0);
			if (out.size != b.size || memcmp(out.ptr, b.ptr, b.size) != 0)
				fail_msg("%s: a compliant file was changed:\n%s", f->path, out.ptr);
			cl_buf_dispose(&out);
			if (f->cline) {
				assert_int_equal(fix(&out, b.ptr, b.size, st, f->expr, "2024 Someone"), 0);
				assert_int_equal(out.size, b.size);
				cl_buf_dispose(&out);
			}
		}
		/* another license and a notice: rewritten or added, found, idempotent */
		if (fix(&out, b.ptr, b.size, st, "LicenseRef-Fixed", "2024 Fixer") < 0)
			fail_msg("%s: fix failed: %s", f->path, cl_error_last());
		if (f->expr || f->mline) {
			/* the old tag was rewritten in place, not joined by a second header */
			struct cl_header_info i;
			assert_int_equal(cl_header_scan(&i, out.ptr, window(out.size), st, NULL), 0);
			if (i.line > (f->line ? f->line : f->mline) + 1)
				fail_msg("%s: tag moved from line %u to %u:\n%s", f->path,
					f->line ? f->line : f->mline, i.line, out.ptr);
		}
		cl_buf_dispose(&out);
		cl_buf_dispose(&b);
	}
}

/* Every style can receive a header, into any kind of file. */
static void test_fix_each_style(void **state)
{
	static const char *const bodies[] = {
		"", "body\n", "body", "body\r\nmore\r\n", "\xef\xbb\xbf" "body\n", "\n", "\r\n",
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < cl_comment_style_count(); i++) {
		const struct cl_comment_style *st = cl_comment_style_at(i);
		if (!cl_comment_style_has_comments(st))
			continue;
		for (j = 0; j < sizeof(bodies) / sizeof(bodies[0]); j++) {
			struct cl_buf out;
			if (fix(&out, bodies[j], strlen(bodies[j]), st, "MIT", NULL) < 0)
				fail_msg("style %s: %s", st->name, cl_error_last());
			cl_buf_dispose(&out);
			if (fix(&out, bodies[j], strlen(bodies[j]), st, "GPL-2.0-or-later WITH Classpath-exception-2.0",
				"2024 Jane Doe <jane@example.org>") < 0)
				fail_msg("style %s: %s", st->name, cl_error_last());
			/* the body is still there, after the header */
			if (strlen(bodies[j]) > 3 && !strstr(out.ptr, "body"))
				fail_msg("style %s lost the body:\n%s", st->name, out.ptr);
			cl_buf_dispose(&out);
		}
	}
}

struct fix_case {
	const char *path;
	const char *in;
	const char *expr;
	const char *copyright;
	const char *out;
};

static const struct fix_case fix_cases[] = {
	/* insert, per style */
	{ "a.c", "int x;\n", "MIT", NULL,
	  "/*\n * SPDX-License-Identifier: MIT\n */\n\nint x;\n" },
	{ "a.c", "int x;\n", "MIT", "2024 Acme",
	  "/*\n * SPDX-FileCopyrightText: 2024 Acme\n *\n * SPDX-License-Identifier: MIT\n */\n\n"
	  "int x;\n" },
	{ "a.go", "package a\n", "BSD-3-Clause", NULL,
	  "// SPDX-License-Identifier: BSD-3-Clause\n\npackage a\n" },
	{ "a.ml", "let x = 1\n", "MIT", NULL, "(*\n * SPDX-License-Identifier: MIT\n *)\n\nlet x = 1\n" },
	{ "a.hbs", "<div/>\n", "MIT", NULL, "{{!--\nSPDX-License-Identifier: MIT\n--}}\n\n<div/>\n" },
	{ "a.sql", "SELECT 1;\n", "MIT", "2024 Acme",
	  "-- SPDX-FileCopyrightText: 2024 Acme\n--\n-- SPDX-License-Identifier: MIT\n\nSELECT 1;\n" },
	{ "a.rst", "Title\n=====\n", "CC-BY-4.0", NULL,
	  ".. SPDX-License-Identifier: CC-BY-4.0\n\nTitle\n=====\n" },
	{ "empty.py", "", "MIT", NULL, "# SPDX-License-Identifier: MIT\n" },
	{ "blank.py", "\nx = 1\n", "MIT", NULL, "# SPDX-License-Identifier: MIT\n\nx = 1\n" },
	/* what must stay first */
	{ "a.py", "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\nimport os\n", "Apache-2.0", NULL,
	  "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# SPDX-License-Identifier: Apache-2.0\n\n"
	  "import os\n" },
	{ "a.py", "# vim: set fileencoding=latin-1 :\nimport os\n", "MIT", NULL,
	  "# vim: set fileencoding=latin-1 :\n# SPDX-License-Identifier: MIT\n\nimport os\n" },
	{ "a.py", "import os\n# -*- coding: utf-8 -*-\n", "MIT", NULL,
	  "# SPDX-License-Identifier: MIT\n\nimport os\n# -*- coding: utf-8 -*-\n" },
	{ "run.sh", "#!/bin/sh", "MIT", NULL, "#!/bin/sh\n# SPDX-License-Identifier: MIT\n" },
	{ "a.rb", "# frozen_string_literal: true\nputs 1\n", "MIT", NULL,
	  "# frozen_string_literal: true\n# SPDX-License-Identifier: MIT\n\nputs 1\n" },
	{ "lib.rs", "#![allow(dead_code)]\nfn main() {}\n", "MIT", NULL,
	  "// SPDX-License-Identifier: MIT\n\n#![allow(dead_code)]\nfn main() {}\n" },
	{ "a.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE x [\n  <!ENTITY a \"<b>\">\n]>\n<x/>\n", "MIT",
	  NULL, "<?xml version=\"1.0\"?>\n<!DOCTYPE x [\n  <!ENTITY a \"<b>\">\n]>\n"
	  "<!--\nSPDX-License-Identifier: MIT\n-->\n\n<x/>\n" },
	{ "a.svg", "<?xml version=\"1.0\"?><svg/>\n", "CC0-1.0", NULL,
	  "<?xml version=\"1.0\"?><svg/>\n<!--\nSPDX-License-Identifier: CC0-1.0\n-->\n" },
	{ "a.html", "<!DOCTYPE html>\n<html></html>\n", "MIT", NULL,
	  "<!DOCTYPE html>\n<!--\nSPDX-License-Identifier: MIT\n-->\n\n<html></html>\n" },
	{ "a.php", "<?php\necho 1;\n", "MIT", NULL,
	  "<?php\n// SPDX-License-Identifier: MIT\n\necho 1;\n" },
	{ "a.php", "<?PHP declare(strict_types=1);\necho 1;\n", "MIT", NULL,
	  "<?PHP declare(strict_types=1);\n// SPDX-License-Identifier: MIT\n\necho 1;\n" },
	{ "a.php", "<p>hi</p>\n", "MIT", NULL,
	  "<?php\n// SPDX-License-Identifier: MIT\n?>\n<p>hi</p>\n" },
	{ "a.php", "<?php include 'x.php'; ?>\n<p>hi</p>\n", "MIT", NULL,
	  "<?php\n// SPDX-License-Identifier: MIT\n?>\n<?php include 'x.php'; ?>\n<p>hi</p>\n" },
	{ "tool.php", "#!/usr/bin/env php\n<?php\necho 1;\n", "MIT", NULL,
	  "#!/usr/bin/env php\n<?php\n// SPDX-License-Identifier: MIT\n\necho 1;\n" },
	{ "Dockerfile", "# syntax=docker/dockerfile:1\n# escape=`\nFROM x\n", "MIT", NULL,
	  "# syntax=docker/dockerfile:1\n# escape=`\n# SPDX-License-Identifier: MIT\n\nFROM x\n" },
	{ "Dockerfile", "# a comment first\n# syntax=docker/dockerfile:1\nFROM x\n", "MIT", NULL,
	  "# SPDX-License-Identifier: MIT\n\n# a comment first\n# syntax=docker/dockerfile:1\nFROM x\n" },
	{ "post.md", "---\ntitle: x\n---\n# Hi\n", "CC-BY-4.0", NULL,
	  "---\ntitle: x\n---\n<!--\nSPDX-License-Identifier: CC-BY-4.0\n-->\n\n# Hi\n" },
	{ "notes.md", "---\nnot front matter\n", "CC-BY-4.0", NULL,
	  "<!--\nSPDX-License-Identifier: CC-BY-4.0\n-->\n\n---\nnot front matter\n" },
	{ "paper.tex", "% !TEX program = xelatex\n\\documentclass{article}\n", "CC-BY-4.0", NULL,
	  "% !TEX program = xelatex\n% SPDX-License-Identifier: CC-BY-4.0\n\n\\documentclass{article}\n" },
	{ "a.cabal", "cabal-version: 3.0\nname: a\n", "BSD-3-Clause", NULL,
	  "cabal-version: 3.0\n-- SPDX-License-Identifier: BSD-3-Clause\n\nname: a\n" },
	{ "a.texi", "\\input texinfo\n@settitle A\n", "GFDL-1.3-or-later", NULL,
	  "\\input texinfo\n@c SPDX-License-Identifier: GFDL-1.3-or-later\n\n@settitle A\n" },
	{ "init.el", ";;; init.el --- x  -*- lexical-binding: t -*-\n(x)\n", "GPL-3.0-or-later", NULL,
	  ";;; init.el --- x  -*- lexical-binding: t -*-\n;; SPDX-License-Identifier: GPL-3.0-or-later\n\n(x)\n" },
	/* line ends and BOM are kept */
	{ "build.bat", "@echo off\r\necho hi\r\n", "MIT", NULL,
	  "@REM SPDX-License-Identifier: MIT\r\n\r\n@echo off\r\necho hi\r\n" },
	{ "bom.py", "\xef\xbb\xbf# x\n", "MIT", NULL, "\xef\xbb\xbf# SPDX-License-Identifier: MIT\n\n# x\n" },
	{ "bom.py", "\xef\xbb\xbf#!/usr/bin/python\r\nx\r\n", "MIT", NULL,
	  "\xef\xbb\xbf#!/usr/bin/python\r\n# SPDX-License-Identifier: MIT\r\n\r\nx\r\n" },
	/* a wrong tag is replaced in place, keeping its comment syntax */
	{ "a.go", "// SPDX-License-Identifier: GPL-2.0\npackage a\n", "GPL-2.0-only", NULL,
	  "// SPDX-License-Identifier: GPL-2.0-only\npackage a\n" },
	{ "a.h", "/* SPDX-License-Identifier: GPL-2.0 */\n", "GPL-2.0-only", NULL,
	  "/* SPDX-License-Identifier: GPL-2.0-only */\n" },
	{ "a.c", "/*\n * Copyright 2020 A\n * SPDX-License-Identifier: MIT\n */\n", "Apache-2.0", "2024 B",
	  "/*\n * Copyright 2020 A\n * SPDX-License-Identifier: Apache-2.0\n */\n" },
	{ "a.html", "<!--SPDX-License-Identifier: MIT-->\n", "0BSD", NULL,
	  "<!--SPDX-License-Identifier: 0BSD-->\n" },
	{ "a.py", "# spdx-license-identifier: mit\n", "MIT", NULL, "# SPDX-License-Identifier: MIT\n" },
	{ "a.py", "#   SPDX-License-Identifier:MIT\n", "MIT", NULL, "#   SPDX-License-Identifier: MIT\n" },
	{ "a.py", "# SPDX-Licence-Identifier : MIT\n", "MIT", NULL, "# SPDX-License-Identifier: MIT\n" },
	{ "a.rs", "// SPDX-License-Identifier: MIT\n// SPDX-License-Identifier: Apache-2.0\n", "MIT", NULL,
	  "// SPDX-License-Identifier: MIT\n// SPDX-License-Identifier: MIT\n" },
	{ "a.c", "// SPDX-License-Identifier: X\r\nint x;\r\n", "MIT", NULL,
	  "// SPDX-License-Identifier: MIT\r\nint x;\r\n" },
	{ "a.py", "#\tSPDX-License-Identifier:\tMIT\n", "MIT", NULL, "#\tSPDX-License-Identifier:\tMIT\n" },
	{ "a.py", "  # SPDX-License-Identifier:  MIT  \n", "MIT", NULL,
	  "  # SPDX-License-Identifier:  MIT  \n" },
	/* a notice is added when asked for and missing, next to the tag */
	{ "a.py", "# SPDX-License-Identifier: MIT\n", "MIT", "2024 Acme",
	  "# SPDX-FileCopyrightText: 2024 Acme\n# SPDX-License-Identifier: MIT\n" },
	{ "a.py", "# SPDX-License-Identifier: MIT\n", "MIT", NULL, "# SPDX-License-Identifier: MIT\n" },
	{ "a.py", "# SPDX-License-Identifier: MIT\n", "MIT", "", "# SPDX-License-Identifier: MIT\n" },
	{ "a.py", "# Copyright 2020 Jane\n# SPDX-License-Identifier: MIT\n", "MIT", "2024 Acme",
	  "# Copyright 2020 Jane\n# SPDX-License-Identifier: MIT\n" },
	{ "a.html", "<!-- SPDX-License-Identifier: MIT -->\n<p/>\n", "MIT", "2024 Acme",
	  "<!-- SPDX-FileCopyrightText: 2024 Acme -->\n<!-- SPDX-License-Identifier: MIT -->\n<p/>\n" },
	{ "a.c", "/* SPDX-License-Identifier: MIT\n */\n", "MIT", "2024 Acme",
	  "/* SPDX-License-Identifier: MIT\n * SPDX-FileCopyrightText: 2024 Acme\n */\n" },
	{ "a.c", "\t/* SPDX-License-Identifier: MIT", "MIT", "2024 Acme",
	  "\t/* SPDX-License-Identifier: MIT\n\t * SPDX-FileCopyrightText: 2024 Acme" },
	{ "a.c", "/*\n * SPDX-License-Identifier: MIT\n */\n", "MIT", "2024 Acme",
	  "/*\n * SPDX-FileCopyrightText: 2024 Acme\n * SPDX-License-Identifier: MIT\n */\n" },
	{ "a.c", "int x; // SPDX-License-Identifier: MIT\n", "MIT", "2024 Acme",
	  "/* SPDX-FileCopyrightText: 2024 Acme */\nint x; // SPDX-License-Identifier: MIT\n" },
	{ "a.lua", "  -- SPDX-License-Identifier: MIT\n", "MIT", "2024 Acme",
	  "  -- SPDX-FileCopyrightText: 2024 Acme\n  -- SPDX-License-Identifier: MIT\n" },
	{ "a.bat", "rem SPDX-License-Identifier: MIT\r\n", "MIT", "2024 Acme",
	  "rem SPDX-FileCopyrightText: 2024 Acme\r\nrem SPDX-License-Identifier: MIT\r\n" },
	{ "run.sh", "#!/bin/sh # SPDX-License-Identifier: MIT\necho\n", "MIT", "2024 Acme",
	  "#!/bin/sh # SPDX-License-Identifier: MIT\n# SPDX-FileCopyrightText: 2024 Acme\necho\n" },
	/* tags that do not count get a real header above them */
	{ "a.c", "puts(\"SPDX-License-Identifier: MIT\");\n", "MIT", NULL,
	  "/*\n * SPDX-License-Identifier: MIT\n */\n\nputs(\"SPDX-License-Identifier: MIT\");\n" },
	{ "a.py", "# REUSE-IgnoreStart\n# SPDX-License-Identifier: GPL-3.0\n# REUSE-IgnoreEnd\n", "MIT", NULL,
	  "# SPDX-License-Identifier: MIT\n\n# REUSE-IgnoreStart\n# SPDX-License-Identifier: GPL-3.0\n"
	  "# REUSE-IgnoreEnd\n" },
};

static void test_fix_cases(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(fix_cases) / sizeof(fix_cases[0]); k++) {
		const struct fix_case *c = &fix_cases[k];
		const struct cl_comment_style *st = cl_comment_style_for_path(c->path);
		struct cl_buf out;

		if (fix(&out, c->in, strlen(c->in), st, c->expr, c->copyright) < 0)
			fail_msg("case %zu (%s): %s", k, c->path, cl_error_last());
		if (strcmp(out.ptr, c->out) != 0)
			fail_msg("case %zu (%s):\n--- got\n%s--- expected\n%s---", k, c->path, out.ptr,
				c->out);
		cl_buf_dispose(&out);
	}
}

/* A tag past the window is not seen by the check, so fix adds one it will see. */
static void test_fix_window(void **state)
{
	const struct cl_comment_style *c = style("c");
	struct cl_buf b, out;
	struct cl_header_info i;

	(void)state;
	read_fixture(&b, "c/too_late.c");
	assert_int_equal(fix(&out, b.ptr, b.size, c, "MIT", NULL), 0);
	assert_int_equal(cl_header_scan(&i, out.ptr, window(out.size), c, NULL), 0);
	assert_int_equal(i.line, 2);
	assert_int_equal(strncmp(out.ptr, "/*\n * SPDX-License-Identifier: MIT\n */\n\n", 39), 0);
	cl_buf_dispose(&out);
	cl_buf_dispose(&b);

	/* the banner's tag is inside the window: rewritten where it is */
	read_fixture(&b, "c/banner_3646.c");
	assert_int_equal(fix(&out, b.ptr, b.size, c, "MIT", NULL), 0);
	assert_int_equal(strstr(out.ptr, "SPDX-License-Identifier: MIT") - out.ptr, 3646);
	assert_int_equal(out.size, b.size - 1);
	cl_buf_dispose(&out);
	cl_buf_dispose(&b);

	/* front matter too long for the header to land in the window: refused */
	{
		struct cl_buf md = CL_BUF_INIT;
		int n;
		assert_int_equal(cl_buf_puts(&md, "---\n"), 0);
		for (n = 0; n < 400; n++)
			assert_int_equal(cl_buf_printf(&md, "key%03d: value\n", n), 0);
		assert_int_equal(cl_buf_puts(&md, "---\n# Title\n"), 0);
		cl_buf_init(&out, 0);
		assert_int_equal(cl_header_fix(&out, md.ptr, md.size, style("markdown"), "MIT", NULL),
			CL_EINVALID);
		assert_non_null(strstr(cl_error_last(), "4096"));
		assert_int_equal(out.size, 0);
		cl_buf_dispose(&md);
	}
}

struct fix_error {
	const char *style;
	const char *in;
	size_t len;           /* 0: strlen(in) */
	const char *expr;
	const char *copyright;
	const char *message;  /* a substring of the error */
};

static const struct fix_error fix_errors[] = {
	{ NULL, "x\n", 0, "MIT", NULL, "no comment syntax" },
	{ "none", "{}\n", 0, "MIT", NULL, "no comment syntax" },
	{ "c", "a\0b", 3, "MIT", NULL, "binary" },
	{ "c", "x\n", 0, "", NULL, "empty license expression" },
	{ "c", "x\n", 0, "   ", NULL, "empty license expression" },
	{ "c", "x\n", 0, NULL, NULL, "empty license expression" },
	{ "c", "x\n", 0, "MIT */", NULL, "'*/', which would end the c comment" },
	{ "html", "x\n", 0, "MIT", "Jane --> Doe", "copyright text contains '-->'" },
	{ "php", "x\n", 0, "MIT ?> x", NULL, "'?>'" },
	{ "python", "x\n", 0, "MIT\nGPL", NULL, "control character" },
	{ "python", "x\n", 0, "MIT", "a\rb", "control character" },
	{ "python", "x\n", 0, "SPDX-License-Identifier: MIT", NULL, "SPDX license tag" },
	{ "python", "x\n", 0, "MIT", "REUSE-IgnoreStart", "REUSE-Ignore" },
	{ "python", "x\n", 0, "MIT", "2024 \xff\xfe", "UTF-8" },
};

static void test_fix_errors(void **state)
{
	char long_expr[600];
	struct cl_buf out;
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(fix_errors) / sizeof(fix_errors[0]); k++) {
		const struct fix_error *e = &fix_errors[k];
		cl_buf_init(&out, 0);
		assert_int_equal(cl_buf_puts(&out, "keep"), 0);
		assert_int_equal(cl_header_fix(&out, e->in, e->len ? e->len : strlen(e->in),
			style(e->style), e->expr, e->copyright), CL_EINVALID);
		if (!strstr(cl_error_last(), e->message))
			fail_msg("case %zu: error '%s' does not say '%s'", k, cl_error_last(), e->message);
		/* a failure leaves out as it was */
		assert_string_equal(cl_buf_cstr(&out), "keep");
		cl_buf_dispose(&out);
	}
	memset(long_expr, 'A', sizeof(long_expr) - 1);
	long_expr[sizeof(long_expr) - 1] = '\0';
	cl_buf_init(&out, 0);
	assert_int_equal(cl_header_fix(&out, "x", 1, style("c"), long_expr, NULL), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "longer than"));
	/* out's cap is honoured */
	cl_buf_dispose(&out);
	cl_buf_init(&out, 16);
	assert_int_equal(cl_header_fix(&out, "x\n", 2, style("c"), "MIT", NULL), CL_ETOOBIG);
	assert_int_equal(out.size, 0);
	cl_buf_dispose(&out);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* The header comes from templates/header.txt, which a deployment may replace. */
static void test_fix_template_override(void **state)
{
	char dir[] = "/tmp/cl-header-XXXXXX", path[256];
	struct cl_buf out;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/header.txt", dir);
	write_file(path, "This file is part of Demo.\n{{#copyright}}\n"
		"SPDX-FileCopyrightText: {{copyright}}\n{{/copyright}}\n"
		"SPDX-License-Identifier: {{license}}\n\n\n");
	setenv("CLEARANCE_TEMPLATE_DIR", dir, 1);
	assert_int_equal(fix(&out, "x = 1\n", 6, style(PY), "MIT", "2024 <Acme & Co>"), 0);
	/* plain text: nothing HTML-escaped; trailing blank lines dropped */
	assert_string_equal(out.ptr, "# This file is part of Demo.\n"
		"# SPDX-FileCopyrightText: 2024 <Acme & Co>\n# SPDX-License-Identifier: MIT\n\nx = 1\n");
	cl_buf_dispose(&out);

	/* a template that loses the tag is refused, not written */
	write_file(path, "Licensed under {{license}}.\n");
	cl_buf_init(&out, 0);
	assert_int_equal(cl_header_fix(&out, "x = 1\n", 6, style(PY), "MIT", NULL), CL_EINVALID);
	assert_int_equal(out.size, 0);
	write_file(path, "{{#license}}\n");
	assert_int_equal(cl_header_fix(&out, "x = 1\n", 6, style(PY), "MIT", NULL), CL_EINVALID);
	write_file(path, "{{! nothing }}\n");
	assert_int_equal(cl_header_fix(&out, "x = 1\n", 6, style(PY), "MIT", NULL), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "empty header"));
	cl_buf_dispose(&out);

	unsetenv("CLEARANCE_TEMPLATE_DIR");
	remove(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_scan),
		cmocka_unit_test(test_fixture_inventory),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_scan_cases),
		cmocka_unit_test(test_scan_cut_anywhere),
		cmocka_unit_test(test_extra_copyright),
		cmocka_unit_test(test_fix_fixtures),
		cmocka_unit_test(test_fix_each_style),
		cmocka_unit_test(test_fix_cases),
		cmocka_unit_test(test_fix_window),
		cmocka_unit_test(test_fix_errors),
		cmocka_unit_test(test_fix_template_override),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
