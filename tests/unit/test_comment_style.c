/*
 * test_comment_style.c - file names to comment styles, as a table of
 * {path, style, language}, and the table itself: at least 60 languages,
 * every row reachable by a lookup, every style written somewhere and
 * usable for writing a header.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "comment_style.h"

struct path_case {
	const char *path;
	const char *style;      /* NULL: unknown file type */
	const char *language;   /* NULL: not checked */
};

static const struct path_case path_cases[] = {
	/* C family: .c/.h get the block-comment style; .C is C too (case-blind,
	   and a block comment is valid C++) */
	{ "src/main.c", "c", "C" },
	{ "include/clearance/api.h", "c", "C" },
	{ "LEGACY.C", "c", "C" },
	{ "kernel/vmlinux.lds", "c", "Linker script" },
	{ "widget.cpp", "cpp", "C++" },
	{ "widget.cc", "cpp", "C++" },
	{ "widget.cxx", "cpp", "C++" },
	{ "widget.hpp", "cpp", "C++" },
	{ "widget.H++", "cpp", "C++" },
	{ "view.mm", "cpp", "Objective-C++" },
	{ "kernel.cu", "cpp", "CUDA" },
	{ "kernel.cuh", "cpp", "CUDA" },
	{ "arch/arm/boot/dts/board.dts", "cpp", "Devicetree" },
	/* // languages */
	{ "cmd/server/main.go", "cpp", "Go" },
	{ "go.mod", "cpp", "Go module" },
	{ "src/lib.rs", "rust", "Rust" },
	{ "Main.java", "cpp", "Java" },
	{ "App.kt", "cpp", "Kotlin" },
	{ "build.gradle.kts", "cpp", "Kotlin" },
	{ "build.gradle", "cpp", "Gradle" },
	{ "Main.scala", "cpp", "Scala" },
	{ "build.sbt", "cpp", "Scala" },
	{ "Tool.groovy", "cpp", "Groovy" },
	{ "Jenkinsfile", "cpp", "Jenkinsfile" },
	{ "App.swift", "cpp", "Swift" },
	{ "main.dart", "cpp", "Dart" },
	{ "Program.cs", "cpp", "C#" },
	{ "Program.fs", "fsharp", "F#" },
	{ "index.js", "cpp", "JavaScript" },
	{ "index.mjs", "cpp", "JavaScript" },
	{ "index.cjs", "cpp", "JavaScript" },
	{ "App.jsx", "cpp", "JavaScript" },
	{ "index.ts", "cpp", "TypeScript" },
	{ "types/index.d.ts", "cpp", "TypeScript" },   /* double extension: .d.ts is not D */
	{ "App.tsx", "cpp", "TypeScript" },
	{ "api.proto", "cpp", "Protocol Buffers" },
	{ "api.thrift", "cpp", "Thrift" },
	{ "main.zig", "cpp", "Zig" },
	{ "main.v", "cpp", NULL },
	{ "app.d", "d", "D" },
	{ "settings.jsonc", "cpp", "JSON with comments" },
	{ "config.json5", "cpp", "JSON5" },
	{ "tsconfig.json", "cpp", "JSON with comments" },  /* name beats extension */
	/* stylesheets */
	{ "site.css", "css", "CSS" },
	{ "site.scss", "c", "SCSS" },
	{ "site.sass", "c", "Sass" },
	{ "site.less", "c", "Less" },
	/* PHP and templates */
	{ "index.php", "php", "PHP" },
	{ "welcome.blade.php", "blade", "Blade" },   /* compound extension first */
	{ "page.j2", "jinja", "Jinja" },
	{ "page.jinja2", "jinja", "Jinja" },
	{ "card.hbs", "handlebars", "Handlebars" },
	{ "mail.mustache", "mustache", "Mustache" },
	{ "templates/deployment.tpl", "gotmpl", NULL },
	{ "show.html.erb", "erb", "ERB" },
	{ "Index.cshtml", "razor", "Razor" },
	{ "Default.aspx", "aspx", "ASP.NET" },
	{ "page.jsp", "aspx", "JSP" },
	/* # with shebangs */
	{ "tool.py", "python", "Python" },
	{ "stubs.pyi", "python", "Python" },
	{ "SConstruct", "python", "SCons" },
	{ "build.sh", "shell", "Shell" },
	{ "build.bash", "shell", "Bash" },
	{ "prompt.zsh", "shell", "Zsh" },
	{ "config.fish", "shell", "fish" },
	{ "env.ksh", "shell", "Korn shell" },
	{ ".bashrc", "shell", "Bash" },
	{ "tool.pl", "shell", "Perl" },
	{ "Module.pm", "shell", "Perl" },
	{ "build.tcl", "shell", "Tcl" },
	{ "sum.awk", "shell", "AWK" },
	{ "analysis.R", "shell", "R" },
	{ "mix.exs", "shell", "Elixir" },
	{ "app.rb", "ruby", "Ruby" },
	{ "Gemfile", "ruby", "Ruby (Gemfile)" },
	{ "Rakefile", "ruby", "Ruby (Rakefile)" },
	{ "Vagrantfile", "ruby", "Ruby (Vagrantfile)" },
	{ "setup.ps1", "powershell", "PowerShell" },
	{ "solve.jl", "julia", "Julia" },
	{ "hello.nim", "nim", "Nim" },
	/* # data and build files */
	{ ".github/workflows/ci.yml", "hash", "YAML" },
	{ "chart/values.yaml", "hash", "YAML" },
	{ "Cargo.toml", "hash", "TOML" },
	{ "BUILD", "hash", "Starlark (Bazel BUILD)" },
	{ "pkg/BUILD.bazel", "hash", "Starlark" },
	{ "WORKSPACE", "hash", "Starlark (Bazel WORKSPACE)" },
	{ "defs.bzl", "hash", "Starlark" },
	{ "meson.build", "hash", "Meson" },
	{ "schema.graphql", "hash", "GraphQL" },
	{ "main.tf", "hcl", "Terraform" },
	{ "config.hcl", "hcl", "HCL" },
	{ "default.nix", "nix", "Nix" },
	{ "Makefile", "make", "Makefile" },
	{ "makefile", "make", "Makefile" },
	{ "GNUmakefile", "make", "Makefile" },
	{ "Makefile.am", "make", "Automake" },
	{ "Makefile.linux", "make", "Makefile" },      /* by prefix */
	{ "mk/rules.mk", "make", "Makefile" },
	{ "CMakeLists.txt", "cmake", "CMake" },
	{ "cmake/FindFoo.cmake", "cmake", "CMake" },
	{ "Dockerfile", "dockerfile", "Dockerfile" },
	{ "Containerfile", "dockerfile", "Dockerfile" },
	{ "docker/Dockerfile.prod", "dockerfile", "Dockerfile" },
	{ "api.dockerfile", "dockerfile", "Dockerfile" },
	{ ".gitignore", "gitignore", "gitignore" },
	{ ".gitattributes", "gitignore", "gitattributes" },
	{ ".dockerignore", "gitignore", "gitignore" },
	{ "CODEOWNERS", "gitignore", "CODEOWNERS" },
	{ ".editorconfig", "ini", "EditorConfig" },
	{ "tox.ini", "ini", "INI" },
	{ "setup.cfg", "ini", "INI" },
	{ ".gitmodules", "ini", "git config" },
	{ "app.properties", "properties", "Java properties" },
	{ ".env", "hash", "dotenv" },
	{ ".env.production", "hash", "dotenv" },
	{ "requirements.txt", "hash", "pip requirements" },
	{ "requirements-dev.txt", "hash", "pip requirements" },
	/* -- and friends */
	{ "schema.sql", "sql", "SQL" },
	{ "Main.hs", "haskell", "Haskell" },
	{ "Main.elm", "haskell", "Elm" },
	{ "demo.cabal", "cabal", "Cabal" },
	{ "init.lua", "lua", "Lua" },
	{ "hello.adb", "ada", "Ada" },
	{ "top.vhd", "ada", "VHDL" },
	{ "top.sv", "cpp", "SystemVerilog" },
	{ "Basic.lean", "lean", "Lean" },
	{ "notify.applescript", "applescript", "AppleScript" },
	{ "main.ml", "ocaml", "OCaml" },
	{ "main.mli", "ocaml", "OCaml" },
	{ "hello.pas", "pascal", "Pascal" },
	/* ; % ! and words */
	{ "core.lisp", "lisp", "Common Lisp" },
	{ "main.scm", "lisp", "Scheme" },
	{ "main.rkt", "lisp", "Racket" },
	{ "core.clj", "lisp", "Clojure" },
	{ "init.el", "lisp", "Emacs Lisp" },
	{ "boot.asm", "asm", "Assembly" },
	{ "start.S", "gas", "Assembly (GNU as)" },
	{ "start.s", "gas", "Assembly (GNU as)" },
	{ "solver.f90", "fortran", "Fortran" },
	{ "legacy.f", "fortran-fixed", "Fortran (fixed form)" },
	{ "LEGACY.FOR", "fortran-fixed", "Fortran (fixed form)" },
	{ "solve.m", "matlab", "MATLAB/Octave" },
	{ "paper.tex", "tex", "TeX/LaTeX" },
	{ "style.sty", "tex", "TeX/LaTeX" },
	{ "server.erl", "erlang", "Erlang" },
	{ "src/app.app.src", "erlang", "Erlang" },
	{ "configure.ac", "m4", "Autoconf" },
	{ "m4/ax_check.m4", "m4", "M4" },
	{ "plugin.vim", "vim", "Vim script" },
	{ ".vimrc", "vim", "Vim script" },
	{ "build.bat", "batch", "Batch" },
	{ "BUILD.CMD", "batch", "Batch" },
	{ "Module1.vb", "vb", "Visual Basic" },
	{ "man/tool.1", "roff", "roff" },
	{ "manual.texi", "texinfo", "Texinfo" },
	{ "query.xq", "xquery", "XQuery" },
	{ "flow.puml", "plantuml", "PlantUML" },
	{ "mail.vm", "velocity", "Velocity" },
	{ "page.ftl", "ftl", "FreeMarker" },
	/* markup */
	{ "index.html", "html", "HTML" },
	{ "index.htm", "html", "HTML" },
	{ "page.xhtml", "html", "XHTML" },
	{ "App.vue", "html", "Vue" },
	{ "App.svelte", "html", "Svelte" },
	{ "pom.xml", "xml", "XML" },
	{ "style.xsl", "xml", "XSLT" },
	{ "icon.svg", "xml", "SVG" },
	{ "app.csproj", "xml", "MSBuild" },
	{ "README.md", "markdown", "Markdown" },
	{ "report.Rmd", "markdown", "R Markdown" },
	{ "index.rst", "rst", "reStructuredText" },
	{ "guide.adoc", "asciidoc", "AsciiDoc" },
	/* no comment syntax */
	{ "package.json", "none", "JSON" },
	{ "data.csv", "none", "CSV" },
	{ "notebook.ipynb", "none", "Jupyter notebook" },
	{ "logo.png.license", "none", "REUSE .license sidecar" },
	{ "go.sum", "none", "Go checksums" },
	/* unknown */
	{ "README", NULL, NULL },
	{ "LICENSE", NULL, NULL },
	{ "notes.txt", NULL, NULL },
	{ "archive.tar.gz", NULL, NULL },
	{ "logo.png", NULL, NULL },
	{ "file.xyz", NULL, NULL },
	{ "dir.c/README", NULL, NULL },     /* only the last component counts */
	{ "trailing.", NULL, NULL },
	{ ".hidden", NULL, NULL },
	{ "", NULL, NULL },
	{ "dir/", NULL, NULL },
};

static void test_path_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(path_cases) / sizeof(path_cases[0]); i++) {
		const struct path_case *c = &path_cases[i];
		const struct cl_comment_map *row = cl_comment_map_for_path(c->path);
		const struct cl_comment_style *st = cl_comment_style_for_path(c->path);

		if (!c->style) {
			if (st)
				fail_msg("'%s': expected no style, got '%s'", c->path, st->name);
			assert_null(row);
			continue;
		}
		if (!st)
			fail_msg("'%s': expected style '%s', got none", c->path, c->style);
		if (strcmp(st->name, c->style) != 0)
			fail_msg("'%s': expected style '%s', got '%s'", c->path, c->style, st->name);
		assert_non_null(row);
		assert_ptr_equal(row->style, st);
		if (c->language && strcmp(row->language, c->language) != 0)
			fail_msg("'%s': expected language '%s', got '%s'", c->path, c->language,
				row->language);
	}
	assert_null(cl_comment_style_for_path(NULL));
	assert_null(cl_comment_map_for_path(NULL));
}

/* Languages the issue and the brief name; each must have a row. */
static const char *const required_languages[] = {
	"C", "C++", "Objective-C++", "CUDA", "Go", "Rust", "Java", "Kotlin", "Scala", "Groovy",
	"Swift", "Dart", "C#", "F#", "JavaScript", "TypeScript", "Python", "Shell", "Bash", "Zsh",
	"fish", "Korn shell", "PowerShell", "Ruby", "Perl", "PHP", "Lua", "R", "Julia", "Haskell",
	"Elm", "Erlang", "Elixir", "Clojure", "Common Lisp", "Scheme", "Racket", "OCaml", "Nim",
	"Zig", "D", "Fortran", "Ada", "Pascal", "Visual Basic", "MATLAB/Octave", "SQL", "HTML",
	"XML", "XSLT", "SVG", "XHTML", "Vue", "Svelte", "CSS", "SCSS", "Sass", "Less", "YAML",
	"TOML", "INI", "JSON", "JSON5", "Markdown", "reStructuredText", "AsciiDoc", "TeX/LaTeX",
	"Makefile", "CMake", "Dockerfile", "Starlark", "Protocol Buffers", "Thrift", "GraphQL",
	"Terraform", "HCL", "Nix", "Jinja", "Handlebars", "Mustache", "Vim script", "Emacs Lisp",
	"Assembly", "Batch", "Gradle", "Java properties", "gitignore", "VHDL", "SystemVerilog",
	"Tcl", "AWK", "M4", "Meson", "EditorConfig",
};

static int language_seen(const char *const *seen, size_t n, const char *language)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strcmp(seen[i], language) == 0)
			return 1;
	return 0;
}

static void test_language_count(void **state)
{
	size_t i, n = cl_comment_map_count(), distinct = 0;
	const char **seen = calloc(n, sizeof(*seen));

	(void)state;
	assert_non_null(seen);
	for (i = 0; i < n; i++) {
		const struct cl_comment_map *row = cl_comment_map_at(i);
		assert_non_null(row);
		if (!language_seen(seen, distinct, row->language))
			seen[distinct++] = row->language;
	}
	assert_null(cl_comment_map_at(n));
	if (distinct < 60)
		fail_msg("the table covers %zu languages; the issue asks for at least 60", distinct);
	for (i = 0; i < sizeof(required_languages) / sizeof(required_languages[0]); i++)
		if (!language_seen(seen, distinct, required_languages[i]))
			fail_msg("no table row for the language '%s'", required_languages[i]);
	print_message("comment styles: %zu styles, %zu rows, %zu languages\n",
		cl_comment_style_count(), n, distinct);
	free(seen);
}

/* Every row is found again by a lookup (sorted for the binary search, no shadowing). */
static void test_rows_reachable(void **state)
{
	struct cl_buf path = CL_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < cl_comment_map_count(); i++) {
		const struct cl_comment_map *row = cl_comment_map_at(i), *got;
		const char *k;

		for (k = row->key; *k; k++)
			if (*k >= 'A' && *k <= 'Z')
				fail_msg("key '%s' is not lower-case", row->key);
		cl_buf_clear(&path);
		switch (row->kind) {
		case CL_COMMENT_MAP_NAME:
			assert_int_equal(cl_buf_printf(&path, "some/dir/%s", row->key), 0);
			break;
		case CL_COMMENT_MAP_EXT:
			assert_int_equal(cl_buf_printf(&path, "some/dir/file%s", row->key), 0);
			break;
		case CL_COMMENT_MAP_PREFIX:
			assert_int_equal(cl_buf_printf(&path, "%sx", row->key), 0);
			break;
		}
		got = cl_comment_map_for_path(cl_buf_cstr(&path));
		if (got != row)
			fail_msg("'%s' finds row '%s' instead of its own row '%s'", cl_buf_cstr(&path),
				got ? got->key : "(none)", row->key);
		/* keys ignore case */
		{
			char *upper = strdup(cl_buf_cstr(&path)), *u;
			assert_non_null(upper);
			for (u = upper; *u; u++)
				if (*u >= 'a' && *u <= 'z')
					*u = (char)(*u - ('a' - 'A'));
			assert_ptr_equal(cl_comment_map_for_path(upper), row);
			free(upper);
		}
	}
	cl_buf_dispose(&path);
}

static void test_styles(void **state)
{
	size_t i, j, n = cl_comment_style_count();
	int none_seen = 0;

	(void)state;
	assert_true(n >= 40);
	assert_null(cl_comment_style_at(n));
	assert_null(cl_comment_style_by_name("no-such-style"));
	assert_null(cl_comment_style_by_name(NULL));
	assert_int_equal(cl_comment_style_has_comments(NULL), 0);
	for (i = 0; i < n; i++) {
		const struct cl_comment_style *st = cl_comment_style_at(i);
		int used = 0;

		assert_non_null(st->name);
		assert_non_null(st->description);
		assert_non_null(st->quotes);
		assert_ptr_equal(cl_comment_style_by_name(st->name), st);
		for (j = 0; j < i; j++)
			assert_string_not_equal(cl_comment_style_at(j)->name, st->name);
		for (j = 0; j < cl_comment_map_count() && !used; j++)
			used = cl_comment_map_at(j)->style == st;
		if (!used)
			fail_msg("style '%s' is used by no row", st->name);
		if (st->flags & CL_COMMENT_NONE) {
			none_seen = 1;
			assert_false(cl_comment_style_has_comments(st));
			assert_null(st->line[0]);
			assert_null(st->block[0].start);
			continue;
		}
		assert_true(cl_comment_style_has_comments(st));
		/* a header can be written: line comments, or a block with its parts */
		if (st->flags & CL_COMMENT_WRITE_BLOCK) {
			assert_non_null(st->block[0].start);
			assert_non_null(st->write_start);
			assert_non_null(st->write_middle);
			assert_non_null(st->write_end);
		} else {
			assert_non_null(st->line[0]);
		}
		for (j = 0; st->block[j].start; j++) {
			assert_non_null(st->block[j].end);
			assert_true(st->block[j].start[0] && st->block[j].end[0]);
		}
		for (j = 0; st->line[j]; j++)
			assert_true(st->line[j][0] != '\0');
	}
	assert_true(none_seen);
	/* a few styles in detail */
	{
		const struct cl_comment_style *c = cl_comment_style_by_name("c");
		const struct cl_comment_style *html = cl_comment_style_by_name("html");
		const struct cl_comment_style *py = cl_comment_style_by_name("python");
		const struct cl_comment_style *bat = cl_comment_style_by_name("batch");
		assert_string_equal(c->block[0].start, "/*");
		assert_string_equal(c->block[0].end, "*/");
		assert_string_equal(c->write_middle, " *");
		assert_true(c->flags & CL_COMMENT_WRITE_BLOCK);
		assert_string_equal(html->write_start, "<!--");
		assert_string_equal(html->write_middle, "");
		assert_true(html->flags & CL_COMMENT_XML_PROLOG);
		assert_string_equal(py->line[0], "#");
		assert_true(py->flags & CL_COMMENT_SHEBANG);
		assert_true(py->flags & CL_COMMENT_CODING);
		assert_string_equal(bat->line[0], "@REM");
		assert_true(bat->flags & CL_COMMENT_CASELESS);
		assert_true(cl_comment_style_by_name("php")->flags & CL_COMMENT_PHP_OPEN);
		assert_true(cl_comment_style_by_name("dockerfile")->flags & CL_COMMENT_DOCKER_DIRECTIVE);
		assert_true(cl_comment_style_by_name("markdown")->flags & CL_COMMENT_FRONT_MATTER);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_table),
		cmocka_unit_test(test_language_count),
		cmocka_unit_test(test_rows_reachable),
		cmocka_unit_test(test_styles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
