/*
 * deps_formats.c - which parser reads which file: the ecosystems' tables,
 * joined in one place so that adding an ecosystem is one line here.
 */
#include "deps.h"
#include "deps_actions.h"
#include "deps_cargo.h"
#include "deps_composer.h"
#include "deps_cpp.h"
#include "deps_git.h"
#include "deps_go.h"
#include "deps_gradle.h"
#include "deps_maven.h"
#include "deps_npm.h"
#include "deps_nuget.h"
#include "deps_python.h"
#include "deps_ruby.h"

#include <fnmatch.h>
#include <string.h>

static const struct cl_dep_format *const tables[] = {
	cl_deps_npm_formats,
	cl_deps_python_formats,
	cl_deps_go_formats,
	cl_deps_cargo_formats,
	cl_deps_maven_formats,
	cl_deps_gradle_formats,
	cl_deps_nuget_formats,
	cl_deps_ruby_formats,
	cl_deps_composer_formats,
	cl_deps_cpp_formats,
	cl_deps_git_formats,
	cl_deps_actions_formats,
};

const struct cl_dep_format *cl_dep_format_at(size_t i)
{
	size_t t;
	for (t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		const struct cl_dep_format *f;
		for (f = tables[t]; f->name; f++)
			if (i-- == 0)
				return f;
	}
	return NULL;
}

const struct cl_dep_format *cl_dep_format_for_path(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const struct cl_dep_format *f;
	size_t i;

	for (i = 0; (f = cl_dep_format_at(i)) != NULL; i++) {
		if (strchr(f->match, '/')) {
			if (fnmatch(f->match, path, FNM_PATHNAME) == 0)
				return f;
		} else if (fnmatch(f->match, base, 0) == 0) {
			return f;
		}
	}
	return NULL;
}
