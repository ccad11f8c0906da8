/*
 * deps_options.h - the options of the dependency check (the policy's `deps:`
 * section): their defaults, their lifetime, and the small matchers the check
 * applies with them (packages.deny, deps.known, ignore_scopes).
 *
 * Layer rule: depends on deps.h, pattern.h and spdx.h only. policy.c fills
 * the struct from YAML through its field table (as for headers.h); the
 * syntax checks it runs on each entry live here so that the loader and the
 * check agree on what "npm:left-pad@1.3.0" means.
 */
#ifndef CL_DEPS_OPTIONS_H
#define CL_DEPS_OPTIONS_H

#include <stddef.h>

#include "deps.h"
#include "pattern.h"

/*
 * What a finding of one kind does to the push. ALLOW reports nothing;
 * NOTICE and REVIEW are reported and accepted (REVIEW asks a person, and
 * the bot opens an issue for it); REJECT is an error.
 */
enum cl_deps_action {
	CL_DEPS_ALLOW = 0,
	CL_DEPS_NOTICE,
	CL_DEPS_REVIEW,
	CL_DEPS_REJECT
};

enum cl_deps_provider {
	CL_DEPS_PROVIDER_DEPSDEV = 0,
	CL_DEPS_PROVIDER_CLEARLYDEFINED
};

/* One `deps.known` entry: `- npm:left-pad@1.3.0: MIT`. */
struct cl_deps_known {
	char *package;      /* "npm:left-pad@1.3.0" as written (version optional) */
	char *license;      /* an SPDX expression, as written */
};

/* `deps.online`: parsed and validated here, used by deps_online.h. */
struct cl_deps_online_config {
	int enabled;                      /* [false] */
	enum cl_deps_provider provider;   /* [depsdev] */
	char *base_url;                   /* NULL: the provider's public API */
	char *cache;                      /* SQLite file; NULL: no cache */
};

struct cl_deps_options {
	int enabled;                          /* [false] */
	struct cl_pattern_list allow;         /* licenses.allow; [] = any license not denied */
	struct cl_pattern_list deny;          /* licenses.deny [] */
	char **deny_packages;                 /* packages.deny, "eco:name[@version]" [] */
	size_t deny_package_count;
	struct cl_deps_known *known;          /* deps.known, in file order [] */
	size_t known_count;
	enum cl_deps_action on_new;           /* [notice] */
	enum cl_deps_action on_unknown_license; /* [review]; never ALLOW */
	enum cl_deps_action on_license_change;  /* [review]; REVIEW or REJECT */
	char **ignore_scopes;                 /* scope names (deps.h) [] */
	size_t ignore_scope_count;
	struct cl_deps_online_config online;
};

#define CL_DEPS_OPTIONS_INIT \
	{ 0, CL_PATTERN_LIST_INIT, CL_PATTERN_LIST_INIT, NULL, 0, NULL, 0, \
	  CL_DEPS_NOTICE, CL_DEPS_REVIEW, CL_DEPS_REVIEW, NULL, 0, \
	  { 0, CL_DEPS_PROVIDER_DEPSDEV, NULL, NULL } }

/* "allow", "notice", "review", "reject"; "depsdev", "clearlydefined". */
const char *cl_deps_action_name(enum cl_deps_action action);
const char *cl_deps_provider_name(enum cl_deps_provider provider);

/* Release what the options own; the struct is left at CL_DEPS_OPTIONS_INIT. */
void cl_deps_options_dispose(struct cl_deps_options *opts);

/*
 * A package reference as the policy writes it: "ECOSYSTEM:NAME[@VERSION]".
 * ECOSYSTEM is a purl type of deps.h ("npm", "pypi", "golang", ...); NAME
 * as the ecosystem spells it ("@babel/core", "org.slf4j:slf4j-api"); the
 * version is the text after the last '@' that is not the name's first
 * character. Fields point into `text` and are not NUL-terminated.
 */
struct cl_deps_ref {
	const char *ecosystem;
	size_t ecosystem_len;
	const char *name;
	size_t name_len;
	const char *version;      /* NULL: any version */
	size_t version_len;
};

/*
 * Split `text` (see above). @return 0, or CL_EINVALID with a message
 * without position ("unknown ecosystem 'npmm'...") for the loader to place.
 */
int cl_deps_ref_parse(struct cl_deps_ref *out, const char *text);

/*
 * Does `ref` name `dep`? Ecosystems and names compare exactly (the parsers
 * normalise the ecosystems whose names are case-insensitive), except that
 * PyPI names compare as PEP 503 normalises them; a version, when given,
 * must equal the dependency's.
 */
int cl_deps_ref_matches(const struct cl_deps_ref *ref, const struct cl_dep *dep);

/*
 * The first packages.deny entry that names `dep`, or NULL.
 */
const char *cl_deps_options_denied_package(const struct cl_deps_options *opts,
	const struct cl_dep *dep);

/*
 * The deps.known entry for `dep`: the first entry naming its exact version,
 * else the first naming the package without a version; NULL when none.
 */
const struct cl_deps_known *cl_deps_options_known(const struct cl_deps_options *opts,
	const struct cl_dep *dep);

/* 1 when `scope` is listed in ignore_scopes. */
int cl_deps_options_ignores_scope(const struct cl_deps_options *opts, enum cl_dep_scope scope);

/* The scope named `name` ("runtime", "dev", ...): 0, or CL_EINVALID. */
int cl_dep_scope_parse(enum cl_dep_scope *out, const char *name);

#endif
