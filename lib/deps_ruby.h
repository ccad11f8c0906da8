/*
 * deps_ruby.h - Bundler's Gemfile and Gemfile.lock (purl type "gem").
 *
 * Layer rule: as deps.h. Both are read by small hand-written readers: the
 * Gemfile by a Ruby tokenizer (strings, symbols, labels, comments, heredocs,
 * %-literals, brackets and do/end blocks) driving a reader of the Bundler
 * DSL; the Gemfile.lock by a strict reader of its indented line format.
 * Nothing is evaluated.
 *
 *   Gemfile       `gem NAME[, REQ...][, options]`: direct; version = the
 *                 requirements joined with ", " (NULL when none); scope from
 *                 the `group:`/`groups:` option or the innermost enclosing
 *                 `group ... do` block: a group list naming development (or
 *                 dev) -> dev, else naming test -> test, else a group block
 *                 with `optional: true` -> optional, else runtime. A gem
 *                 whose name is not a string literal (`gem name`) cannot be
 *                 known without running Ruby and is skipped. `gemspec`,
 *                 `source`, `ruby`, `platforms`, `git`, `path` and
 *                 conditionals are understood as structure only.
 *   Gemfile.lock  every "    name (version)" line of the GEM, GIT and PATH
 *                 sections' specs is a locked gem; its version is the part
 *                 before a "-platform" suffix (as Bundler splits it), and
 *                 platform variants of one version are reported once. Gems
 *                 named in DEPENDENCIES are direct, the others transitive
 *                 (unknown when the lock has no DEPENDENCIES section). The
 *                 lock does not record groups: scope is runtime; reconcile
 *                 with the Gemfile for dev/test.
 */
#ifndef CL_DEPS_RUBY_H
#define CL_DEPS_RUBY_H

#include "deps.h"

int cl_deps_gemfile_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len);
int cl_deps_gemfile_lock_parse(struct cl_dep_list *out, const char *path, const char *data, size_t len);

/* {"Gemfile", "Gemfile.lock"} (also gems.rb / gems.locked), then a zero entry. */
extern const struct cl_dep_format cl_deps_ruby_formats[];

#endif
