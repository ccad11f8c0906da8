/*
 * policy.c - read, validate and print the policy file.
 *
 * Divisions:
 *   the policy object and its defaults
 *   the schema: one table of fields per YAML mapping
 *   the loader: libyaml events read straight against the schema
 *   values: booleans, strings, lists, patterns, enums, sizes, lists of mappings
 *   public entry points and accessors
 *   printing the effective policy
 *
 * The loader never builds a YAML tree; it reads the libyaml event stream
 * twice. The first pass checks structure only: YAML syntax, the nesting
 * depth (capped, so a megabyte of '[' cannot grow libyaml's stacks), one
 * document, and no anchors, aliases or tags. Aliases are refused on sight, so
 * nothing is ever expanded ("billion laughs" has nothing to bite). Doing this
 * first means a YAML mistake is always reported as one, not as whatever odd
 * value it made the next key read. The second pass matches each event
 * against the field table of the mapping it is in, so every value is checked
 * where it stands; memory is bounded by what the schema keeps (lists are
 * capped too).
 */
#include "policy.h"
#include "buf.h"
#include "deps_license.h"
#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define POLICY_MAX_FIELDS 16   /* fields of the largest mapping */
#define POLICY_MAX_DEPTH 4     /* mappings nested in the schema, plus one */
#define POLICY_MAX_NESTING 16  /* YAML collections; the schema needs 5 */
#define POLICY_QUOTE_MAX 40    /* bytes of user text quoted in a message */
#define POLICY_KEY_MAX 48      /* longer unknown keys get no suggestion */
/*
 * Items per list. Real policies list a handful of refs and admins; the cap
 * keeps a hostile megabyte of "[a,a,a,...]" from compiling 200000 regexes.
 */
#define POLICY_MAX_ITEMS 1000

/*
 * copyright_pattern is compiled as "re:" RE_SEARCH_HEAD EXPR RE_SEARCH_TAIL,
 * so that it is found anywhere in a line; the cap leaves room for the
 * wrapping inside pattern.c's own limit of 4096 bytes.
 */
#define RE_SEARCH_HEAD ".*(?:"
#define RE_SEARCH_TAIL ").*"
#define POLICY_REGEX_MAX 4000

/* Enum fields are stored through an int pointer (see FIELD_ENUM). */
_Static_assert(sizeof(enum cl_dco_match) == sizeof(int), "enum cl_dco_match must be int-sized");
_Static_assert(sizeof(enum cl_copyright_rule) == sizeof(int), "enum cl_copyright_rule must be int-sized");
_Static_assert(sizeof(enum cl_deps_action) == sizeof(int), "enum cl_deps_action must be int-sized");
_Static_assert(sizeof(enum cl_deps_provider) == sizeof(int), "enum cl_deps_provider must be int-sized");

/* ---- the policy object and its defaults ------------------------------- */

struct cl_policy {
	char *source;
	int version;
	struct cl_policy_refs refs;
	struct cl_policy_overrides overrides;
	struct cl_policy_identity identity;
	struct cl_dco_options dco;
	struct cl_cla_options cla;
	struct cl_header_options headers;
	struct cl_deps_options deps;
	struct cl_approval_options approvals;
	struct cl_policy_bot bot;
};

static const char *const default_include[] = { "refs/heads/**", "refs/tags/**" };
static const char *const default_env[] = {
	"GITHUB_USER_LOGIN", "GL_USERNAME", "GL_USER", "REMOTE_USER"
};
#define DEFAULT_PUSH_OPTION "clearance.override"
#define DEFAULT_AUDIT_LOG "clearance-audit.log"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void strings_free(char **items, size_t count)
{
	size_t i;
	for (i = 0; i < count; i++)
		free(items[i]);
	free(items);
}

static int strings_copy(char ***out, size_t *out_count, const char *const *src, size_t count)
{
	char **items;
	size_t i;

	if ((items = calloc(count ? count : 1, sizeof(*items))) == NULL)
		return cl_error_set("out of memory");
	for (i = 0; i < count; i++) {
		if ((items[i] = strdup(src[i])) == NULL) {
			strings_free(items, i);
			return cl_error_set("out of memory");
		}
	}
	*out = items;
	*out_count = count;
	return 0;
}

void cl_policy_free(struct cl_policy *policy)
{
	if (!policy)
		return;
	free(policy->source);
	cl_pattern_list_dispose(&policy->refs.include);
	cl_pattern_list_dispose(&policy->refs.exclude);
	cl_pattern_list_dispose(&policy->refs.deny_delete);
	cl_pattern_list_dispose(&policy->refs.deny_force_push);
	strings_free(policy->overrides.admins, policy->overrides.admin_count);
	free(policy->overrides.push_option);
	free(policy->overrides.audit_log);
	strings_free(policy->identity.env, policy->identity.env_count);
	cl_dco_options_dispose(&policy->dco);
	cl_header_options_dispose(&policy->headers);
	cl_deps_options_dispose(&policy->deps);
	cl_cla_options_dispose(&policy->cla);
	cl_approval_options_dispose(&policy->approvals);
	free(policy->bot.store);
	free(policy->bot.url);
	free(policy->bot.secret_file);
	free(policy->bot.tracker);
	free(policy->bot.name);
	free(policy->bot.commit_url);
	strings_free(policy->bot.labels, policy->bot.label_count);
	strings_free(policy->bot.assignees, policy->bot.assignee_count);
	free(policy);
}

/* Every key at its default; the loader then overwrites what the file sets. */
static int policy_new(struct cl_policy **out, const char *source)
{
	static const struct cl_dco_options dco_init = CL_DCO_OPTIONS_INIT;
	static const struct cl_deps_options deps_init = CL_DEPS_OPTIONS_INIT;
	struct cl_policy *p;
	size_t i;
	int error = 0;

	p = calloc(1, sizeof(*p));
	CL_CHECK_ALLOC(p);
	p->version = CL_POLICY_VERSION;
	p->dco = dco_init;
	p->deps = deps_init;
	p->overrides.enabled = 1;
	p->source = strdup(source);
	CL_CHECK_ALLOC(p->source);
	p->overrides.push_option = strdup(DEFAULT_PUSH_OPTION);
	CL_CHECK_ALLOC(p->overrides.push_option);
	p->overrides.audit_log = strdup(DEFAULT_AUDIT_LOG);
	CL_CHECK_ALLOC(p->overrides.audit_log);
	if ((error = strings_copy(&p->overrides.admins, &p->overrides.admin_count, NULL, 0)) < 0 ||
	    (error = strings_copy(&p->identity.env, &p->identity.env_count,
			default_env, ARRAY_SIZE(default_env))) < 0)
		goto done;
	for (i = 0; i < ARRAY_SIZE(default_include); i++)
		if ((error = cl_pattern_list_add(&p->refs.include, default_include[i], CL_PATTERN_PATH)) < 0)
			goto done;
	if ((error = cl_header_options_init(&p->headers)) < 0 ||
	    (error = cl_approval_options_init(&p->approvals)) < 0)
		goto done;
	*out = p;
	p = NULL;
done:
	cl_policy_free(p);
	return error;
}

/* ---- the schema --------------------------------------------------------- */

struct loader;

enum field_kind {
	FIELD_VERSION,      /* int: must be CL_POLICY_VERSION */
	FIELD_BOOL,         /* int: true / false */
	FIELD_STRING,       /* char *: non-empty */
	FIELD_STRINGS,      /* char ** plus a size_t count at count_off */
	FIELD_PATTERNS,     /* struct cl_pattern_list, compiled with pattern_flags */
	FIELD_ENUM,         /* int-sized: one of values[] */
	FIELD_MAPPING,      /* a nested mapping; its fields are relative to off */
	FIELD_UNAVAILABLE,  /* int: a check of a later version; only false loads */
	FIELD_SIZE,         /* size_t: a number of bytes from min to max */
	FIELD_PATTERN,      /* struct cl_pattern *: one glob, compiled with pattern_flags */
	FIELD_REGEX,        /* struct cl_pattern *, found anywhere in a line; its text at text_off */
	FIELD_RULES,        /* a list of mappings: an array of elem_size-byte structs at off
	                       (each zeroed, then read with sub), its length at count_off */
	FIELD_PAIRS         /* a list of one-entry mappings `- KEY: VALUE` (or one mapping),
	                       both strings: struct cl_deps_known at off, its length at
	                       count_off; `check` judges each key, `value_check` each value */
};

struct enum_value {
	const char *text;
	int value;
};

/* Extra validation of one string; returns 0 or a loader error. */
typedef int (*string_check_fn)(struct loader *ld, const yaml_mark_t *mark,
	const char *what, const char *value);

struct mapping;

struct field {
	const char *key;
	enum field_kind kind;
	size_t off;                       /* of the value in the mapping's base */
	size_t count_off;                 /* FIELD_STRINGS, FIELD_RULES */
	unsigned int pattern_flags;       /* FIELD_PATTERNS, FIELD_PATTERN, FIELD_REGEX */
	const struct enum_value *values;  /* FIELD_ENUM; ends with { NULL, 0 } */
	const struct mapping *sub;        /* FIELD_MAPPING, FIELD_RULES (one entry) */
	string_check_fn check;            /* FIELD_STRING, FIELD_STRINGS, FIELD_PATTERNS; may be NULL */
	const char *hint;                 /* FIELD_PATTERNS, FIELD_PATTERN: on a bad pattern;
	                                     NULL: the hint for ref and e-mail patterns */
	size_t min, max;                  /* FIELD_SIZE, inclusive */
	size_t text_off;                  /* FIELD_REGEX: char *, the expression as written */
	size_t elem_size;                 /* FIELD_RULES */
	void (*elem_dispose)(void *elem); /* FIELD_RULES */
	string_check_fn value_check;      /* FIELD_PAIRS */
};

/* Where each field of one mapping was given (for duplicates and finish). */
struct seen {
	yaml_mark_t start;                /* the mapping itself */
	int given[POLICY_MAX_FIELDS];
	yaml_mark_t key[POLICY_MAX_FIELDS];
	yaml_mark_t value[POLICY_MAX_FIELDS];
};

struct mapping {
	const struct field *fields;
	size_t count;
	const char *note;   /* appended to the unknown-key hint; may be NULL */
	/* Cross-field rules, run once the whole mapping was read; may be NULL. */
	int (*finish)(struct loader *ld, const struct mapping *m, char *base, const struct seen *seen);
};

static int check_login(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value);
static int check_env_name(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value);
static int check_option_name(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value);
static int check_license_id(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value);
static int check_dep_ref(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value);
static int check_dep_license(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value);
static int check_dep_scope(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value);
static int check_url(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value);
static int finish_remediation(struct loader *ld, const struct mapping *m, char *base, const struct seen *seen);
static int finish_path_rule(struct loader *ld, const struct mapping *m, char *base, const struct seen *seen);
static int finish_cla(struct loader *ld, const struct mapping *m, char *base, const struct seen *seen);
static void path_rule_dispose(void *elem);
/* approvals: (approval_options.h) */
static int check_team(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value);
static int check_domain(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value);
static int check_repo_name(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value);
static int check_label(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value);
static int finish_approvals(struct loader *ld, const struct mapping *m, char *base, const struct seen *seen);
static int finish_approval_rule(struct loader *ld, const struct mapping *m, char *base, const struct seen *seen);
static void approval_rule_dispose(void *elem);
static int finish_approval_team(struct loader *ld, const struct mapping *m, char *base, const struct seen *seen);
static void approval_team_dispose(void *elem);

#define MAPPING(fields, note, finish) { fields, ARRAY_SIZE(fields), note, finish }

static const struct field refs_fields[] = {
	{ .key = "include", .kind = FIELD_PATTERNS, .pattern_flags = CL_PATTERN_PATH,
	  .off = offsetof(struct cl_policy_refs, include) },
	{ .key = "exclude", .kind = FIELD_PATTERNS, .pattern_flags = CL_PATTERN_PATH,
	  .off = offsetof(struct cl_policy_refs, exclude) },
	{ .key = "deny_delete", .kind = FIELD_PATTERNS, .pattern_flags = CL_PATTERN_PATH,
	  .off = offsetof(struct cl_policy_refs, deny_delete) },
	{ .key = "deny_force_push", .kind = FIELD_PATTERNS, .pattern_flags = CL_PATTERN_PATH,
	  .off = offsetof(struct cl_policy_refs, deny_force_push) },
};
static const struct mapping refs_mapping = MAPPING(refs_fields, NULL, NULL);

static const struct field overrides_fields[] = {
	{ .key = "enabled", .kind = FIELD_BOOL, .off = offsetof(struct cl_policy_overrides, enabled) },
	{ .key = "admins", .kind = FIELD_STRINGS, .check = check_login,
	  .off = offsetof(struct cl_policy_overrides, admins),
	  .count_off = offsetof(struct cl_policy_overrides, admin_count) },
	{ .key = "push_option", .kind = FIELD_STRING, .check = check_option_name,
	  .off = offsetof(struct cl_policy_overrides, push_option) },
	{ .key = "audit_log", .kind = FIELD_STRING,
	  .off = offsetof(struct cl_policy_overrides, audit_log) },
};
static const struct mapping overrides_mapping = MAPPING(overrides_fields, NULL, NULL);

static const struct field identity_fields[] = {
	{ .key = "env", .kind = FIELD_STRINGS, .check = check_env_name,
	  .off = offsetof(struct cl_policy_identity, env),
	  .count_off = offsetof(struct cl_policy_identity, env_count) },
};
static const struct mapping identity_mapping = MAPPING(identity_fields, NULL, NULL);

static const struct enum_value merge_values[] = { { "skip", 0 }, { "check", 1 }, { NULL, 0 } };
static const struct enum_value match_values[] = {
	{ "email", CL_DCO_MATCH_EMAIL }, { "name-and-email", CL_DCO_MATCH_NAME_AND_EMAIL }, { NULL, 0 }
};

/* Its fields live in struct cl_dco_options itself, hence .off = 0 below. */
static const struct field remediation_fields[] = {
	{ .key = "individual", .kind = FIELD_BOOL,
	  .off = offsetof(struct cl_dco_options, remediation_individual) },
	{ .key = "third_party", .kind = FIELD_BOOL,
	  .off = offsetof(struct cl_dco_options, remediation_third_party) },
};
static const struct mapping remediation_mapping = MAPPING(remediation_fields, NULL, finish_remediation);

static const struct field dco_fields[] = {
	{ .key = "enabled", .kind = FIELD_BOOL, .off = offsetof(struct cl_dco_options, enabled) },
	{ .key = "merge_commits", .kind = FIELD_ENUM, .values = merge_values,
	  .off = offsetof(struct cl_dco_options, check_merges) },
	{ .key = "exempt_authors", .kind = FIELD_PATTERNS, .pattern_flags = CL_PATTERN_CASELESS,
	  .off = offsetof(struct cl_dco_options, exempt_authors) },
	{ .key = "match", .kind = FIELD_ENUM, .values = match_values,
	  .off = offsetof(struct cl_dco_options, match) },
	{ .key = "accept_committer", .kind = FIELD_BOOL,
	  .off = offsetof(struct cl_dco_options, accept_committer) },
	{ .key = "remediation", .kind = FIELD_MAPPING, .sub = &remediation_mapping, .off = 0 },
	{ .key = "lenient", .kind = FIELD_BOOL, .off = offsetof(struct cl_dco_options, lenient) },
};
static const struct mapping dco_mapping = MAPPING(dco_fields, NULL, NULL);

static const struct enum_value copyright_values[] = {
	{ "required", CL_COPYRIGHT_REQUIRED }, { "optional", CL_COPYRIGHT_OPTIONAL }, { NULL, 0 }
};

#define LICENSE_HINT "list SPDX license ids one per entry, such as [MIT, Apache-2.0]; " \
	"* and ? are wildcards, and 're:' starts a PCRE2 regular expression"
#define PATH_GLOB_HINT "paths are relative to the top of the tree: * and ? stay within a " \
	"directory, ** crosses directories, \\ escapes; 're:' starts a PCRE2 regular expression"

/* One `headers.paths` entry; finish_path_rule sets the has_ flags. */
static const struct field path_rule_fields[] = {
	{ .key = "match", .kind = FIELD_PATTERN, .pattern_flags = CL_PATTERN_PATH, .hint = PATH_GLOB_HINT,
	  .off = offsetof(struct cl_header_path_rule, match) },
	{ .key = "licenses", .kind = FIELD_PATTERNS, .pattern_flags = CL_PATTERN_CASELESS,
	  .check = check_license_id, .hint = LICENSE_HINT,
	  .off = offsetof(struct cl_header_path_rule, licenses) },
	{ .key = "skip", .kind = FIELD_BOOL, .off = offsetof(struct cl_header_path_rule, skip) },
	{ .key = "copyright", .kind = FIELD_ENUM, .values = copyright_values,
	  .off = offsetof(struct cl_header_path_rule, copyright) },
};
static const struct mapping path_rule_mapping = MAPPING(path_rule_fields, NULL, finish_path_rule);

static const struct field headers_fields[] = {
	{ .key = "enabled", .kind = FIELD_BOOL, .off = offsetof(struct cl_header_options, enabled) },
	{ .key = "licenses", .kind = FIELD_PATTERNS, .pattern_flags = CL_PATTERN_CASELESS,
	  .check = check_license_id, .hint = LICENSE_HINT,
	  .off = offsetof(struct cl_header_options, licenses) },
	{ .key = "copyright", .kind = FIELD_ENUM, .values = copyright_values,
	  .off = offsetof(struct cl_header_options, copyright) },
	{ .key = "copyright_pattern", .kind = FIELD_REGEX,
	  .off = offsetof(struct cl_header_options, copyright_pattern),
	  .text_off = offsetof(struct cl_header_options, copyright_pattern_text) },
	{ .key = "window_bytes", .kind = FIELD_SIZE, .min = 1, .max = CL_HEADER_WINDOW_MAX,
	  .off = offsetof(struct cl_header_options, window_bytes) },
	{ .key = "min_bytes", .kind = FIELD_SIZE, .min = 0, .max = CL_HEADER_MIN_BYTES_MAX,
	  .off = offsetof(struct cl_header_options, min_bytes) },
	{ .key = "per_commit", .kind = FIELD_BOOL, .off = offsetof(struct cl_header_options, per_commit) },
	{ .key = "reuse", .kind = FIELD_BOOL, .off = offsetof(struct cl_header_options, reuse) },
	{ .key = "skip", .kind = FIELD_PATTERNS, .pattern_flags = CL_PATTERN_PATH, .hint = PATH_GLOB_HINT,
	  .off = offsetof(struct cl_header_options, skip) },
	{ .key = "paths", .kind = FIELD_RULES, .sub = &path_rule_mapping,
	  .elem_size = sizeof(struct cl_header_path_rule), .elem_dispose = path_rule_dispose,
	  .off = offsetof(struct cl_header_options, paths),
	  .count_off = offsetof(struct cl_header_options, path_count) },
};
static const struct mapping headers_mapping = MAPPING(headers_fields, NULL, NULL);

#define DEP_LICENSE_HINT "list SPDX license ids one per entry, such as [MIT, Apache-2.0], or globs " \
	"over ids such as GPL-*; 're:' starts a PCRE2 regular expression; a dependency passes " \
	"when one OR branch of its expression has only allowed, non-denied licenses"

static const struct field deps_licenses_fields[] = {
	{ .key = "allow", .kind = FIELD_PATTERNS, .pattern_flags = CL_PATTERN_CASELESS,
	  .check = check_license_id, .hint = DEP_LICENSE_HINT,
	  .off = offsetof(struct cl_deps_options, allow) },
	{ .key = "deny", .kind = FIELD_PATTERNS, .pattern_flags = CL_PATTERN_CASELESS,
	  .check = check_license_id, .hint = DEP_LICENSE_HINT,
	  .off = offsetof(struct cl_deps_options, deny) },
};
static const struct mapping deps_licenses_mapping = MAPPING(deps_licenses_fields, NULL, NULL);

static const struct field deps_packages_fields[] = {
	{ .key = "deny", .kind = FIELD_STRINGS, .check = check_dep_ref,
	  .off = offsetof(struct cl_deps_options, deny_packages),
	  .count_off = offsetof(struct cl_deps_options, deny_package_count) },
};
static const struct mapping deps_packages_mapping = MAPPING(deps_packages_fields, NULL, NULL);

static const struct enum_value provider_values[] = {
	{ "depsdev", CL_DEPS_PROVIDER_DEPSDEV }, { "clearlydefined", CL_DEPS_PROVIDER_CLEARLYDEFINED },
	{ NULL, 0 }
};

static const struct field deps_online_fields[] = {
	{ .key = "enabled", .kind = FIELD_BOOL, .off = offsetof(struct cl_deps_online_config, enabled) },
	{ .key = "provider", .kind = FIELD_ENUM, .values = provider_values,
	  .off = offsetof(struct cl_deps_online_config, provider) },
	{ .key = "base_url", .kind = FIELD_STRING, .check = check_url,
	  .off = offsetof(struct cl_deps_online_config, base_url) },
	{ .key = "cache", .kind = FIELD_STRING, .off = offsetof(struct cl_deps_online_config, cache) },
};
static const struct mapping deps_online_mapping = MAPPING(deps_online_fields, NULL, NULL);

static const struct enum_value on_new_values[] = {
	{ "allow", CL_DEPS_ALLOW }, { "notice", CL_DEPS_NOTICE }, { "review", CL_DEPS_REVIEW },
	{ "reject", CL_DEPS_REJECT }, { NULL, 0 }
};
/* An unknown license is never silently fine: "allow" is not offered. */
static const struct enum_value on_unknown_values[] = {
	{ "notice", CL_DEPS_NOTICE }, { "review", CL_DEPS_REVIEW }, { "reject", CL_DEPS_REJECT },
	{ NULL, 0 }
};
/* A relicensing always needs a person: at least a review. */
static const struct enum_value on_change_values[] = {
	{ "review", CL_DEPS_REVIEW }, { "reject", CL_DEPS_REJECT }, { NULL, 0 }
};

static const struct field deps_fields[] = {
	{ .key = "enabled", .kind = FIELD_BOOL, .off = offsetof(struct cl_deps_options, enabled) },
	{ .key = "licenses", .kind = FIELD_MAPPING, .sub = &deps_licenses_mapping, .off = 0 },
	{ .key = "packages", .kind = FIELD_MAPPING, .sub = &deps_packages_mapping, .off = 0 },
	{ .key = "known", .kind = FIELD_PAIRS, .check = check_dep_ref, .value_check = check_dep_license,
	  .off = offsetof(struct cl_deps_options, known),
	  .count_off = offsetof(struct cl_deps_options, known_count) },
	{ .key = "on_new", .kind = FIELD_ENUM, .values = on_new_values,
	  .off = offsetof(struct cl_deps_options, on_new) },
	{ .key = "on_unknown_license", .kind = FIELD_ENUM, .values = on_unknown_values,
	  .off = offsetof(struct cl_deps_options, on_unknown_license) },
	{ .key = "on_license_change", .kind = FIELD_ENUM, .values = on_change_values,
	  .off = offsetof(struct cl_deps_options, on_license_change) },
	{ .key = "ignore_scopes", .kind = FIELD_STRINGS, .check = check_dep_scope,
	  .off = offsetof(struct cl_deps_options, ignore_scopes),
	  .count_off = offsetof(struct cl_deps_options, ignore_scope_count) },
	{ .key = "online", .kind = FIELD_MAPPING, .sub = &deps_online_mapping,
	  .off = offsetof(struct cl_deps_options, online) },
};
static const struct mapping deps_mapping = MAPPING(deps_fields, NULL, NULL);

static const struct enum_value with_dco_values[] = {
	{ "both", CL_CLA_WITH_DCO_BOTH }, { "either", CL_CLA_WITH_DCO_EITHER }, { NULL, 0 }
};

static const struct field cla_fields[] = {
	{ .key = "enabled", .kind = FIELD_BOOL, .off = offsetof(struct cl_cla_options, enabled) },
	{ .key = "store", .kind = FIELD_STRING, .off = offsetof(struct cl_cla_options, store) },
	{ .key = "agreement", .kind = FIELD_STRING, .off = offsetof(struct cl_cla_options, individual) },
	{ .key = "version", .kind = FIELD_STRING,
	  .off = offsetof(struct cl_cla_options, individual_version) },
	{ .key = "corporate_agreement", .kind = FIELD_STRING,
	  .off = offsetof(struct cl_cla_options, corporate) },
	{ .key = "corporate_version", .kind = FIELD_STRING,
	  .off = offsetof(struct cl_cla_options, corporate_version) },
	{ .key = "sign_url", .kind = FIELD_STRING, .off = offsetof(struct cl_cla_options, sign_url) },
	{ .key = "sign_sentence", .kind = FIELD_STRING,
	  .off = offsetof(struct cl_cla_options, sign_sentence) },
	{ .key = "co_authors", .kind = FIELD_BOOL, .off = offsetof(struct cl_cla_options, co_authors) },
	{ .key = "exempt_authors", .kind = FIELD_PATTERNS, .pattern_flags = CL_PATTERN_CASELESS,
	  .off = offsetof(struct cl_cla_options, exempt) },
	{ .key = "with_dco", .kind = FIELD_ENUM, .values = with_dco_values,
	  .off = offsetof(struct cl_cla_options, with_dco) },
};
static const struct mapping cla_mapping = MAPPING(cla_fields, NULL, finish_cla);

#define PROJECT_GLOB_HINT "a project is HOST/OWNER/REPO, such as github.com/libgit2/*; * and ? " \
	"stay within a path segment, ** crosses them; 're:' starts a PCRE2 regular expression"

/* One `approvals.pre_approved` entry (struct cl_approval_rule). */
static const struct field approval_rule_fields[] = {
	{ .key = "licenses", .kind = FIELD_PATTERNS, .pattern_flags = CL_PATTERN_CASELESS,
	  .check = check_license_id, .hint = LICENSE_HINT,
	  .off = offsetof(struct cl_approval_rule, licenses) },
	{ .key = "projects", .kind = FIELD_PATTERNS,
	  .pattern_flags = CL_PATTERN_PATH | CL_PATTERN_CASELESS, .hint = PROJECT_GLOB_HINT,
	  .off = offsetof(struct cl_approval_rule, projects) },
	{ .key = "max_lines", .kind = FIELD_SIZE, .min = 1, .max = 10000000,
	  .off = offsetof(struct cl_approval_rule, max_lines) },
};
static const struct mapping approval_rule_mapping = MAPPING(approval_rule_fields, NULL,
	finish_approval_rule);

static const struct field approval_labels_fields[] = {
	{ .key = "requested", .kind = FIELD_STRING, .check = check_label,
	  .off = offsetof(struct cl_approval_labels, requested) },
	{ .key = "approved", .kind = FIELD_STRING, .check = check_label,
	  .off = offsetof(struct cl_approval_labels, approved) },
	{ .key = "denied", .kind = FIELD_STRING, .check = check_label,
	  .off = offsetof(struct cl_approval_labels, denied) },
	{ .key = "needs_info", .kind = FIELD_STRING, .check = check_label,
	  .off = offsetof(struct cl_approval_labels, needs_info) },
	{ .key = "expired", .kind = FIELD_STRING, .check = check_label,
	  .off = offsetof(struct cl_approval_labels, expired) },
	{ .key = "revoked", .kind = FIELD_STRING, .check = check_label,
	  .off = offsetof(struct cl_approval_labels, revoked) },
	{ .key = "needs_re_review", .kind = FIELD_STRING, .check = check_label,
	  .off = offsetof(struct cl_approval_labels, needs_re_review) },
};
static const struct mapping approval_labels_mapping = MAPPING(approval_labels_fields, NULL, NULL);

/* One `approvals.teams` entry (struct cl_approval_team). */
static const struct field approval_team_fields[] = {
	{ .key = "name", .kind = FIELD_STRING, .check = check_team,
	  .off = offsetof(struct cl_approval_team, name) },
	{ .key = "members", .kind = FIELD_STRINGS,
	  .off = offsetof(struct cl_approval_team, members),
	  .count_off = offsetof(struct cl_approval_team, member_count) },
};
static const struct mapping approval_team_mapping = MAPPING(approval_team_fields, NULL,
	finish_approval_team);

static const struct field approvals_fields[] = {
	{ .key = "enabled", .kind = FIELD_BOOL, .off = offsetof(struct cl_approval_options, enabled) },
	{ .key = "repository", .kind = FIELD_STRING, .check = check_repo_name,
	  .off = offsetof(struct cl_approval_options, repository) },
	{ .key = "approvers", .kind = FIELD_STRINGS, .check = check_login,
	  .off = offsetof(struct cl_approval_options, approvers),
	  .count_off = offsetof(struct cl_approval_options, approver_count) },
	{ .key = "approver_teams", .kind = FIELD_STRINGS, .check = check_team,
	  .off = offsetof(struct cl_approval_options, approver_teams),
	  .count_off = offsetof(struct cl_approval_options, approver_team_count) },
	{ .key = "expiry_days", .kind = FIELD_SIZE, .min = 1, .max = 3660,
	  .off = offsetof(struct cl_approval_options, expiry_days) },
	{ .key = "warn_days", .kind = FIELD_SIZE, .min = 0, .max = 365,
	  .off = offsetof(struct cl_approval_options, warn_days) },
	{ .key = "pre_approved", .kind = FIELD_RULES, .sub = &approval_rule_mapping,
	  .elem_size = sizeof(struct cl_approval_rule), .elem_dispose = approval_rule_dispose,
	  .off = offsetof(struct cl_approval_options, pre_approved),
	  .count_off = offsetof(struct cl_approval_options, pre_approved_count) },
	{ .key = "labels", .kind = FIELD_MAPPING, .sub = &approval_labels_mapping,
	  .off = offsetof(struct cl_approval_options, labels) },
	{ .key = "request_url", .kind = FIELD_STRING, .check = check_url,
	  .off = offsetof(struct cl_approval_options, request_url) },
	{ .key = "outbound_repos", .kind = FIELD_PATTERNS,
	  .pattern_flags = CL_PATTERN_PATH | CL_PATTERN_CASELESS,
	  .hint = "a repository is OWNER/REPO, such as acme-forks/*; * and ? stay within a segment",
	  .off = offsetof(struct cl_approval_options, outbound_repos) },
	{ .key = "employee_domains", .kind = FIELD_STRINGS, .check = check_domain,
	  .off = offsetof(struct cl_approval_options, employee_domains),
	  .count_off = offsetof(struct cl_approval_options, employee_domain_count) },
	{ .key = "teams", .kind = FIELD_RULES, .sub = &approval_team_mapping,
	  .elem_size = sizeof(struct cl_approval_team), .elem_dispose = approval_team_dispose,
	  .off = offsetof(struct cl_approval_options, teams),
	  .count_off = offsetof(struct cl_approval_options, team_count) },
};
static const struct mapping approvals_mapping = MAPPING(approvals_fields, NULL, finish_approvals);

/* bot: (struct cl_policy_bot) */
static int check_tracker(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value);
static const struct field bot_fields[] = {
	{ .key = "store", .kind = FIELD_STRING, .off = offsetof(struct cl_policy_bot, store) },
	{ .key = "url", .kind = FIELD_STRING, .check = check_url, .off = offsetof(struct cl_policy_bot, url) },
	{ .key = "secret_file", .kind = FIELD_STRING, .off = offsetof(struct cl_policy_bot, secret_file) },
	{ .key = "tracker", .kind = FIELD_STRING, .check = check_tracker,
	  .off = offsetof(struct cl_policy_bot, tracker) },
	{ .key = "name", .kind = FIELD_STRING, .off = offsetof(struct cl_policy_bot, name) },
	{ .key = "commit_url", .kind = FIELD_STRING, .check = check_url,
	  .off = offsetof(struct cl_policy_bot, commit_url) },
	{ .key = "labels", .kind = FIELD_STRINGS, .off = offsetof(struct cl_policy_bot, labels),
	  .count_off = offsetof(struct cl_policy_bot, label_count) },
	{ .key = "assignees", .kind = FIELD_STRINGS, .check = check_login,
	  .off = offsetof(struct cl_policy_bot, assignees),
	  .count_off = offsetof(struct cl_policy_bot, assignee_count) },
};
static const struct mapping bot_mapping = MAPPING(bot_fields, NULL, NULL);

static const struct field top_fields[] = {
	{ .key = "version", .kind = FIELD_VERSION, .off = offsetof(struct cl_policy, version) },
	{ .key = "refs", .kind = FIELD_MAPPING, .sub = &refs_mapping, .off = offsetof(struct cl_policy, refs) },
	{ .key = "overrides", .kind = FIELD_MAPPING, .sub = &overrides_mapping,
	  .off = offsetof(struct cl_policy, overrides) },
	{ .key = "identity", .kind = FIELD_MAPPING, .sub = &identity_mapping,
	  .off = offsetof(struct cl_policy, identity) },
	{ .key = "dco", .kind = FIELD_MAPPING, .sub = &dco_mapping, .off = offsetof(struct cl_policy, dco) },
	{ .key = "cla", .kind = FIELD_MAPPING, .sub = &cla_mapping, .off = offsetof(struct cl_policy, cla) },
	{ .key = "headers", .kind = FIELD_MAPPING, .sub = &headers_mapping,
	  .off = offsetof(struct cl_policy, headers) },
	{ .key = "deps", .kind = FIELD_MAPPING, .sub = &deps_mapping, .off = offsetof(struct cl_policy, deps) },
	{ .key = "approvals", .kind = FIELD_MAPPING, .sub = &approvals_mapping,
	  .off = offsetof(struct cl_policy, approvals) },
	{ .key = "bot", .kind = FIELD_MAPPING, .sub = &bot_mapping, .off = offsetof(struct cl_policy, bot) },
};
static const struct mapping top_mapping = MAPPING(top_fields, NULL, NULL);

/* ---- the loader ------------------------------------------------------- */

struct loader {
	yaml_parser_t parser;
	yaml_event_t event;          /* the current event, valid while has_event */
	int has_event;
	const char *name;            /* file name for messages */
	const unsigned char *data;   /* the whole input (for positions of reader errors) */
	size_t len;
	const char *path[POLICY_MAX_DEPTH];  /* keys of the enclosing mappings */
	char entry[POLICY_MAX_DEPTH][POLICY_KEY_MAX + 24];  /* "paths[3]": path[] of list entries */
	size_t depth;
};

/*
 * "FILE:LINE:COLUMN: problem (hint: ...)". The problem is formatted first
 * into a local buffer, so arguments may point into the error slot itself.
 */
static int loader_error_at(struct loader *ld, size_t line, size_t column, const char *hint,
	const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;

static int loader_error_at(struct loader *ld, size_t line, size_t column, const char *hint,
	const char *fmt, ...)
{
	char problem[640];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(problem, sizeof(problem), fmt, ap);
	va_end(ap);
	return cl_error_setc(CL_EINVALID, "%s:%zu:%zu: %s (hint: %s)", ld->name, line, column,
		problem, hint);
}

#define loader_error(ld, mark, hint, ...) \
	loader_error_at((ld), (mark)->line + 1, (mark)->column + 1, (hint), __VA_ARGS__)

/*
 * Copy at most POLICY_QUOTE_MAX bytes of user text for a message: control
 * characters become '?', and a cut never splits a UTF-8 sequence.
 */
static const char *quote(char *dst, size_t size, const char *src, size_t len)
{
	size_t i = 0, o = 0, limit = POLICY_QUOTE_MAX;

	if (limit > size - 4)
		limit = size - 4;
	while (i < len && o < limit) {
		unsigned char c = (unsigned char)src[i];
		/* C1 controls (U+0080..U+009F) too: some terminals obey them. */
		if (c == 0xc2 && i + 1 < len && (unsigned char)src[i + 1] >= 0x80 &&
		    (unsigned char)src[i + 1] <= 0x9f) {
			dst[o++] = '?';
			i += 2;
			continue;
		}
		dst[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
		i++;
	}
	if (i < len) {
		/* A cut inside a UTF-8 sequence drops the sequence's first bytes too. */
		if (((unsigned char)src[i] & 0xc0) == 0x80) {
			while (o > 0 && ((unsigned char)dst[o - 1] & 0xc0) == 0x80)
				o--;
			if (o > 0)
				o--;
		}
		memcpy(dst + o, "...", 3);
		o += 3;
	}
	dst[o] = '\0';
	return dst;
}

/* "dco.remediation.third_party": the enclosing keys, then `key` (if not NULL). */
static const char *key_path(char *dst, size_t size, const struct loader *ld, const char *key)
{
	size_t i, o = 0;
	int n;

	dst[0] = '\0';
	for (i = 0; i <= ld->depth && o < size; i++) {
		const char *part = i < ld->depth ? ld->path[i] : key;
		if (!part)
			break;
		n = snprintf(dst + o, size - o, "%s%s", o ? "." : "", part);
		if (n < 0)
			break;
		o += (size_t)n;
	}
	return dst;
}

/* Where the mapping being read is named in a message. */
static const char *where(char *dst, size_t size, const struct loader *ld)
{
	char path[128];
	if (ld->depth == 0)
		snprintf(dst, size, "at the top level");
	else
		snprintf(dst, size, "in '%s'", key_path(path, sizeof(path), ld, NULL));
	return dst;
}

/* Byte offset of a 0-based line and character column, or len when past the end. */
static size_t offset_of(const struct loader *ld, size_t line, size_t column)
{
	size_t i = 0;
	while (line > 0 && i < ld->len) {
		if (ld->data[i++] == '\n')
			line--;
	}
	while (column > 0 && i < ld->len && ld->data[i] != '\n') {
		i++;
		while (i < ld->len && (ld->data[i] & 0xc0) == 0x80)
			i++;
		column--;
	}
	return i;
}

/* Does the line holding `offset` have a tab in its indentation, or at `offset`? */
static int tab_near(const struct loader *ld, size_t offset)
{
	size_t start = offset;
	if (offset < ld->len && ld->data[offset] == '\t')
		return 1;
	while (start > 0 && ld->data[start - 1] != '\n')
		start--;
	while (start < ld->len && (ld->data[start] == ' ' || ld->data[start] == '\t')) {
		if (ld->data[start] == '\t')
			return 1;
		start++;
	}
	return 0;
}

static int syntax_error(struct loader *ld)
{
	const yaml_parser_t *p = &ld->parser;
	const char *problem = p->problem ? p->problem : "unknown problem";
	const char *hint = "check the indentation and the quoting at this place";
	char context[160] = "";

	if (p->error == YAML_MEMORY_ERROR)
		return cl_error_set("out of memory");
	if (p->error == YAML_READER_ERROR) {
		/* Reader errors carry a byte offset, not a mark. */
		size_t off = p->problem_offset < ld->len ? p->problem_offset : ld->len;
		size_t i, line = 1, column = 1;
		for (i = 0; i < off; i++) {
			if (ld->data[i] == '\n') {
				line++;
				column = 1;
			} else if ((ld->data[i] & 0xc0) != 0x80) {
				column++;
			}
		}
		if (p->problem_value >= 0)
			snprintf(context, sizeof(context), " (0x%02X)", (unsigned)p->problem_value);
		if (ld->len >= 2 && ((ld->data[0] == 0xff && ld->data[1] == 0xfe) ||
		    (ld->data[0] == 0xfe && ld->data[1] == 0xff)))
			hint = "the file is UTF-16; save the policy as UTF-8";
		else
			hint = "a policy is UTF-8 text without control characters other than tab and newline";
		return loader_error_at(ld, line, column, hint, "invalid YAML: %s%s", problem, context);
	}
	if (tab_near(ld, offset_of(ld, p->problem_mark.line, p->problem_mark.column)))
		hint = "indent with spaces: YAML does not allow tabs for indentation";
	else if (strstr(problem, "unknown escape"))
		hint = "in \"double quotes\" a backslash starts an escape; write patterns with backslashes in 'single quotes'";
	if (p->context)
		snprintf(context, sizeof(context), ", %s that starts at line %zu", p->context,
			p->context_mark.line + 1);
	return loader_error(ld, &p->problem_mark, hint, "invalid YAML: %s%s", problem, context);
}

/* Anchors, aliases and tags change what a value means far from where it is written. */
static int refuse_yaml_features(struct loader *ld)
{
	const yaml_event_t *ev = &ld->event;
	const yaml_char_t *anchor = NULL, *tag = NULL;
	char q[64];

	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return loader_error(ld, &ev->start_mark,
			"write the value out again where it is needed",
			"YAML aliases are not supported ('*%s')",
			quote(q, sizeof(q), (const char *)ev->data.alias.anchor,
				strlen((const char *)ev->data.alias.anchor)));
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
		break;
	default:
		return 0;
	}
	if (anchor)
		return loader_error(ld, &ev->start_mark,
			"remove '&name' and write the value out wherever it is needed",
			"YAML anchors are not supported ('&%s')",
			quote(q, sizeof(q), (const char *)anchor, strlen((const char *)anchor)));
	if (tag) {
		/* Show "!!bool" as written, not libyaml's expanded "tag:yaml.org,2002:bool". */
		static const char core[] = "tag:yaml.org,2002:";
		const char *t = (const char *)tag;
		int shorthand = strncmp(t, core, sizeof(core) - 1) == 0;
		if (shorthand)
			t += sizeof(core) - 1;
		return loader_error(ld, &ev->start_mark,
			"remove the tag; quote a value to make it a string",
			"YAML tags are not supported ('%s%s')", shorthand ? "!!" : "",
			quote(q, sizeof(q), t, strlen(t)));
	}
	return 0;
}

static int loader_next(struct loader *ld)
{
	if (ld->has_event) {
		yaml_event_delete(&ld->event);
		ld->has_event = 0;
	}
	if (!yaml_parser_parse(&ld->parser, &ld->event))
		return syntax_error(ld);
	ld->has_event = 1;
	return refuse_yaml_features(ld);
}

/* ---- values ------------------------------------------------------------- */

enum scalar_class { SCALAR_NULL, SCALAR_TRUE, SCALAR_FALSE, SCALAR_INT, SCALAR_FLOAT, SCALAR_STRING };

static int is_one_of(const char *s, size_t len, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == len && memcmp(s, *words, len) == 0)
			return 1;
	return 0;
}

static int all_of(const char *s, size_t len, const char *set)
{
	size_t i;
	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!s[i] || !strchr(set, s[i]))
			return 0;
	return 1;
}

/* The YAML 1.2 core schema's reading of a plain scalar; quoted ones are strings. */
static enum scalar_class scalar_class(const yaml_event_t *ev)
{
	static const char *const nulls[] = { "~", "null", "Null", "NULL", NULL };
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE", NULL };
	static const char *const special_floats[] = { ".inf", ".Inf", ".INF", "+.inf", "+.Inf",
		"+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN", NULL };
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length, i = 0, digits = 0;

	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return SCALAR_STRING;
	if (len == 0 || is_one_of(s, len, nulls))
		return SCALAR_NULL;
	if (is_one_of(s, len, trues))
		return SCALAR_TRUE;
	if (is_one_of(s, len, falses))
		return SCALAR_FALSE;
	if (len > 2 && s[0] == '0' && s[1] == 'o' && all_of(s + 2, len - 2, "01234567"))
		return SCALAR_INT;
	if (len > 2 && s[0] == '0' && s[1] == 'x' && all_of(s + 2, len - 2, "0123456789abcdefABCDEF"))
		return SCALAR_INT;
	if (is_one_of(s, len, special_floats))
		return SCALAR_FLOAT;
	if (s[i] == '-' || s[i] == '+')
		i++;
	if (all_of(s + i, len - i, "0123456789"))
		return SCALAR_INT;
	/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, digits++;
	}
	if (digits == 0)
		return SCALAR_STRING;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		if (i == len || !all_of(s + i, len - i, "0123456789"))
			return SCALAR_STRING;
		i = len;
	}
	return i == len ? SCALAR_FLOAT : SCALAR_STRING;
}

/* "a list", "a boolean 'yes'"... for "expected X, got Y". */
static const char *describe(char *dst, size_t size, const yaml_event_t *ev)
{
	char q[64];
	const char *kind;

	switch (ev->type) {
	case YAML_SEQUENCE_START_EVENT:
		return "a list";
	case YAML_MAPPING_START_EVENT:
		return "a mapping";
	case YAML_SCALAR_EVENT:
		break;
	default:
		CL_BUG("a value event that is not a node");
	}
	switch (scalar_class(ev)) {
	case SCALAR_NULL:
		return "an empty value";
	case SCALAR_TRUE:
	case SCALAR_FALSE:
		kind = "a boolean";
		break;
	case SCALAR_INT:
	case SCALAR_FLOAT:
		kind = "a number";
		break;
	case SCALAR_STRING:
		kind = "a string";
		break;
	default:
		CL_BUG("unknown scalar class");
	}
	snprintf(dst, size, "%s '%s'", kind, quote(q, sizeof(q),
		(const char *)ev->data.scalar.value, ev->data.scalar.length));
	return dst;
}

static int type_error(struct loader *ld, const char *expected, const char *key, const char *hint)
{
	char path[128], got[96];
	return loader_error(ld, &ld->event.start_mark, hint, "expected %s for '%s', got %s",
		expected, key_path(path, sizeof(path), ld, key), describe(got, sizeof(got), &ld->event));
}

static int get_bool(struct loader *ld, const char *key, int *out)
{
	static const char *const yaml11[] = { "yes", "Yes", "YES", "no", "No", "NO", "on", "On",
		"ON", "off", "Off", "OFF", "y", "Y", "n", "N", NULL };
	const yaml_event_t *ev = &ld->event;
	const char *hint = "write true or false";

	if (ev->type == YAML_SCALAR_EVENT) {
		enum scalar_class c = scalar_class(ev);
		const char *s = (const char *)ev->data.scalar.value;
		size_t len = ev->data.scalar.length;
		if (c == SCALAR_TRUE || c == SCALAR_FALSE) {
			*out = c == SCALAR_TRUE;
			return 0;
		}
		if (c == SCALAR_STRING && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		    is_one_of(s, len, yaml11))
			hint = "write true or false; YAML 1.1 words such as yes, no, on and off are not booleans here";
		else if (c == SCALAR_STRING && (!strcmp(s, "true") || !strcmp(s, "false")))
			hint = "remove the quotes: a quoted \"true\" is a string";
	}
	return type_error(ld, "a boolean", key, hint);
}

/*
 * The current scalar as a C string (borrowed from the event). Empty values,
 * booleans and lists are refused: in a string field they are mistakes.
 */
static int get_string(const char **out, struct loader *ld, const char *key, const char *expected,
	string_check_fn check, int in_list)
{
	const yaml_event_t *ev = &ld->event;
	const char *s;
	char path[128];
	enum scalar_class c;

	if (ev->type != YAML_SCALAR_EVENT)
		return type_error(ld, expected, key, "write a single value, quoted if it has special characters");
	s = (const char *)ev->data.scalar.value;
	c = scalar_class(ev);
	if (c == SCALAR_NULL || c == SCALAR_TRUE || c == SCALAR_FALSE)
		return type_error(ld, expected, key, "write a non-empty text; quote it if it looks like a boolean");
	if (ev->data.scalar.length == 0)
		return loader_error(ld, &ev->start_mark,
			in_list ? "remove the empty entry" : "remove the key to get the default",
			"empty string for '%s'", key_path(path, sizeof(path), ld, key));
	if (memchr(s, '\0', ev->data.scalar.length))
		return loader_error(ld, &ev->start_mark, "remove the \\0 escape",
			"NUL character in '%s'", key_path(path, sizeof(path), ld, key));
	if (check) {
		int error = check(ld, &ev->start_mark, key_path(path, sizeof(path), ld, key), s);
		if (error < 0)
			return error;
	}
	*out = s;
	return 0;
}

static int check_login(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value)
{
	const unsigned char *p;
	char q[64];
	for (p = (const unsigned char *)value; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return loader_error(ld, mark, "an admin is a login as the git server names the pusher, without spaces",
				"invalid login '%s' in '%s'", quote(q, sizeof(q), value, strlen(value)), what);
	return 0;
}

static int check_env_name(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value)
{
	static const char first[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";
	static const char rest[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0123456789";
	char q[64];
	if (!strchr(first, value[0]) || strspn(value, rest) != strlen(value))
		return loader_error(ld, mark,
			"a variable name is letters, digits and '_', and does not start with a digit",
			"invalid environment variable name '%s' in '%s'",
			quote(q, sizeof(q), value, strlen(value)), what);
	return 0;
}

/* "org/team-slug": the forge's organisation and team. */
static int check_team(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value)
{
	static const char allowed[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
	const char *slash = strchr(value, '/');
	char q[64];

	if (!slash || slash == value || !slash[1] || strspn(value, allowed) != (size_t)(slash - value) ||
	    strspn(slash + 1, allowed) != strlen(slash + 1))
		return loader_error(ld, mark, "write ORG/TEAM-SLUG, such as acme/ospo-approvers",
			"invalid team '%s' in '%s'", quote(q, sizeof(q), value, strlen(value)), what);
	return 0;
}

static int check_repo_name(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value)
{
	if (check_team(ld, mark, what, value) == 0)
		return 0;
	{
		char q[64];
		return loader_error(ld, mark, "write OWNER/REPO, such as acme/ospo",
			"invalid repository '%s' in '%s'", quote(q, sizeof(q), value, strlen(value)), what);
	}
}

/* "example.com" or "*.example.com", as CLA domains are written. */
static int check_domain(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value)
{
	static const char allowed[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-";
	const char *p = strncmp(value, "*.", 2) == 0 ? value + 2 : value;
	char q[64];

	if (!*p || *p == '.' || *p == '-' || !strchr(p, '.') || strstr(p, "..") ||
	    p[strlen(p) - 1] == '.' || strspn(p, allowed) != strlen(p))
		return loader_error(ld, mark, "write a mail domain, such as example.com, or *.example.com "
			"for its subdomains too", "invalid domain '%s' in '%s'",
			quote(q, sizeof(q), value, strlen(value)), what);
	return 0;
}

/* Forges cap label names (GitHub: 50 characters) and refuse control characters. */
static int check_label(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value)
{
	const unsigned char *p;
	char q[64];

	for (p = (const unsigned char *)value; *p; p++)
		if (*p < ' ' || *p == 0x7f || *p == ',')
			break;
	if (*p || strlen(value) > 50)
		return loader_error(ld, mark, "a label is at most 50 characters, without commas or control characters",
			"invalid label '%s' in '%s'", quote(q, sizeof(q), value, strlen(value)), what);
	return 0;
}

static int check_option_name(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value)
{
	static const char allowed[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
	char q[64];
	if (strspn(value, allowed) != strlen(value))
		return loader_error(ld, mark,
			"use letters, digits, '.', '_' and '-'; pushers write git push -o NAME=REASON",
			"invalid push option name '%s' in '%s'", quote(q, sizeof(q), value, strlen(value)), what);
	return 0;
}

/*
 * An allowed license is an id or a glob over ids, or one license with its
 * exception ("GPL-2.0-only WITH Classpath-exception-2.0", allowing only that
 * combination), never an expression: an entry "MIT OR Apache-2.0" would
 * match no single license and allow nothing.
 */
static int check_license_id(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value)
{
	static const char allowed[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-+:*?";
	static const char with[] = " WITH ";
	size_t len = strlen(value), id = strspn(value, allowed);
	char q[64];

	if (strncmp(value, "re:", 3) == 0)
		return 0;
	if (id > 0 && id < len && strncmp(value + id, with, sizeof(with) - 1) == 0) {
		const char *exception = value + id + sizeof(with) - 1;
		if (*exception && strspn(exception, allowed) == strlen(exception))
			return 0;
	}
	if (id != len)
		return loader_error(ld, mark, LICENSE_HINT, "invalid license id '%s' in '%s'",
			quote(q, sizeof(q), value, len), what);
	return 0;
}

/* "npm:left-pad@1.3.0": a package as packages.deny and known name it (deps_options.h). */
static int check_dep_ref(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value)
{
	struct cl_deps_ref ref;
	char why[160], q[64];

	if (cl_deps_ref_parse(&ref, value) == 0)
		return 0;
	snprintf(why, sizeof(why), "%s", cl_error_last());
	return loader_error(ld, mark,
		"write ECOSYSTEM:NAME or ECOSYSTEM:NAME@VERSION, such as npm:event-stream@3.3.6 or "
		"pypi:requests; ecosystems are npm, pypi, golang, cargo, maven, gem, composer, nuget, "
		"vcpkg, conan, gitsubmodule, githubactions, docker",
		"invalid package '%s' in '%s': %s", quote(q, sizeof(q), value, strlen(value)), what, why);
}

/* A whole SPDX expression, as deps.known pins one per package. */
static int check_dep_license(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value)
{
	struct cl_spdx_expr *expr = NULL;
	char why[160], q[64];
	int error = cl_deps_license_parse(&expr, value);

	cl_spdx_expr_free(expr);
	if (error == 0)
		return 0;
	if (error != CL_EINVALID && error != CL_ETOOBIG)
		return error;
	snprintf(why, sizeof(why), "%s", cl_error_last());
	return loader_error(ld, mark,
		"write the package's SPDX license expression, such as MIT or (MIT OR Apache-2.0)",
		"invalid license expression '%s' for '%s': %s", quote(q, sizeof(q), value, strlen(value)),
		what, why);
}

static int check_dep_scope(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value)
{
	enum cl_dep_scope scope;
	char q[64];

	if (cl_dep_scope_parse(&scope, value) == 0)
		return 0;
	cl_error_clear();
	return loader_error(ld, mark, "scopes are runtime, dev, test, build, optional and peer",
		"invalid scope '%s' in '%s'", quote(q, sizeof(q), value, strlen(value)), what);
}

/* "owner/repo" on the forge the bot files issues in. */
static int check_tracker(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value)
{
	static const char allowed[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
	const char *slash = strchr(value, '/');
	char q[64];

	if (!slash || slash == value || !slash[1] || strspn(value, allowed) != (size_t)(slash - value) ||
	    strspn(slash + 1, allowed) != strlen(slash + 1))
		return loader_error(ld, mark, "write OWNER/REPO of the OSPO tracker, such as acme/ospo",
			"invalid repository '%s' in '%s'", quote(q, sizeof(q), value, strlen(value)), what);
	return 0;
}

static int check_url(struct loader *ld, const yaml_mark_t *mark, const char *what, const char *value)
{
	const char *p;
	char q[64];

	if (strncmp(value, "https://", 8) && strncmp(value, "http://", 7))
		return loader_error(ld, mark, "write an http:// or https:// URL, such as https://api.deps.dev",
			"invalid URL '%s' for '%s'", quote(q, sizeof(q), value, strlen(value)), what);
	for (p = value; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return loader_error(ld, mark, "a URL has no blanks; percent-encode them",
				"invalid URL '%s' for '%s'", quote(q, sizeof(q), value, strlen(value)), what);
	return 0;
}

static int parse_version(struct loader *ld, const char *key, int *out)
{
	const yaml_event_t *ev = &ld->event;
	const char *s = (const char *)ev->data.scalar.value;
	char *end;
	long v;

	if (ev->type != YAML_SCALAR_EVENT || scalar_class(ev) != SCALAR_INT)
		return type_error(ld, "an integer", key, "write version: 1");
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v != CL_POLICY_VERSION) {
		char q[64];
		return loader_error(ld, &ev->start_mark,
			"this clearance reads policy version 1: write version: 1, or upgrade clearance",
			"unsupported policy version %s", quote(q, sizeof(q), s, ev->data.scalar.length));
	}
	*out = (int)v;
	return 0;
}

static int parse_enum(struct loader *ld, const char *key, const struct enum_value *values, int *out)
{
	const struct enum_value *v;
	struct cl_buf allowed = CL_BUF_INIT;
	const char *s;
	char path[128], q[64];
	int error;

	/* Refuse lists and mappings with the list of values, as for a bad word. */
	if (ld->event.type != YAML_SCALAR_EVENT)
		s = NULL;
	else if ((error = get_string(&s, ld, key, "a string", NULL, 0)) < 0)
		return error;
	for (v = values; s && v->text; v++) {
		if (!strcmp(s, v->text)) {
			*out = v->value;
			return 0;
		}
	}
	error = cl_buf_puts(&allowed, "allowed values are: ");
	for (v = values; error >= 0 && v->text; v++)
		error = cl_buf_printf(&allowed, "%s%s", v == values ? "" : ", ", v->text);
	if (error < 0)
		goto done;
	if (!s)
		error = type_error(ld, "a string", key, cl_buf_cstr(&allowed));
	else
		error = loader_error(ld, &ld->event.start_mark, cl_buf_cstr(&allowed),
			"invalid value '%s' for '%s'", quote(q, sizeof(q), s, strlen(s)),
			key_path(path, sizeof(path), ld, key));
done:
	cl_buf_dispose(&allowed);
	return error;
}

static int expect_list(struct loader *ld, const char *key, const char *what)
{
	char expected[64];
	if (ld->event.type == YAML_SEQUENCE_START_EVENT)
		return 0;
	snprintf(expected, sizeof(expected), "a list of %s", what);
	return type_error(ld, expected, key,
		"write [a, b] or one '- item' per line; [] is the empty list");
}

static int too_many(struct loader *ld, const char *key, int patterns)
{
	char path[128];
	return loader_error(ld, &ld->event.start_mark, patterns ?
		"a policy list is a handful of entries; one ** glob or re: pattern can cover many" :
		"a policy list is a handful of entries",
		"more than %d items in '%s'", POLICY_MAX_ITEMS, key_path(path, sizeof(path), ld, key));
}

static int parse_strings(struct loader *ld, const struct field *f, char *base)
{
	char **items = NULL, **grown;
	size_t count = 0, alloc = 8;
	const char *s;
	int error;

	if ((error = expect_list(ld, f->key, "strings")) < 0)
		return error;
	if ((items = calloc(alloc, sizeof(*items))) == NULL)
		return cl_error_set("out of memory");
	for (;;) {
		if ((error = loader_next(ld)) < 0)
			goto done;
		if (ld->event.type == YAML_SEQUENCE_END_EVENT)
			break;
		if (count == POLICY_MAX_ITEMS) {
			error = too_many(ld, f->key, 0);
			goto done;
		}
		if ((error = get_string(&s, ld, f->key, "a string", f->check, 1)) < 0)
			goto done;
		if (count == alloc) {
			grown = realloc(items, 2 * alloc * sizeof(*items));
			CL_CHECK_ALLOC(grown);
			items = grown;
			alloc *= 2;
		}
		items[count] = strdup(s);
		CL_CHECK_ALLOC(items[count]);
		count++;
	}
	strings_free(*(char ***)(base + f->off), *(size_t *)(base + f->count_off));
	*(char ***)(base + f->off) = items;
	*(size_t *)(base + f->count_off) = count;
	items = NULL;
done:
	if (items)
		strings_free(items, count);
	return error;
}

/* The current scalar `s` did not compile as a pattern of `f`; cl_error_last() says why. */
static int pattern_error(struct loader *ld, const struct field *f, const char *s)
{
	char why[256], path[128], q[64];

	snprintf(why, sizeof(why), "%s", cl_error_last());
	return loader_error(ld, &ld->event.start_mark, f->hint ? f->hint :
		"globs use * (within a path segment for refs), ** and ?, with \\ to escape; "
		"'re:' starts a PCRE2 regular expression",
		"invalid pattern '%s' in '%s': %s", quote(q, sizeof(q), s, strlen(s)),
		key_path(path, sizeof(path), ld, f->key), why);
}

static int parse_patterns(struct loader *ld, const struct field *f, char *base)
{
	struct cl_pattern_list list = CL_PATTERN_LIST_INIT;
	struct cl_pattern_list *target = (struct cl_pattern_list *)(base + f->off);
	const char *s;
	int error;

	if ((error = expect_list(ld, f->key, "patterns")) < 0)
		return error;
	for (;;) {
		if ((error = loader_next(ld)) < 0)
			goto done;
		if (ld->event.type == YAML_SEQUENCE_END_EVENT)
			break;
		if (list.count == POLICY_MAX_ITEMS) {
			error = too_many(ld, f->key, 1);
			goto done;
		}
		if ((error = get_string(&s, ld, f->key, "a pattern", f->check, 1)) < 0)
			goto done;
		if ((error = cl_pattern_list_add(&list, s, f->pattern_flags)) < 0) {
			if (error == CL_EINVALID)
				error = pattern_error(ld, f, s);
			goto done;
		}
	}
	cl_pattern_list_dispose(target);
	*target = list;
	list.items = NULL;
	list.count = 0;
done:
	cl_pattern_list_dispose(&list);
	return error;
}

/*
 * A byte count: an unquoted YAML integer (decimal, 0x hex or 0o octal) from
 * f->min to f->max. Units ("4k") and quoted numbers are refused rather than
 * guessed at.
 */
static int parse_size(struct loader *ld, const struct field *f, char *base)
{
	const yaml_event_t *ev = &ld->event;
	const char *s, *digits;
	char hint[128], path[128], q[64], *end;
	int radix = 10;
	long v;

	snprintf(hint, sizeof(hint), "write a whole number of bytes from %zu to %zu, without a unit",
		f->min, f->max);
	if (ev->type != YAML_SCALAR_EVENT)
		return type_error(ld, "an integer", f->key, hint);
	s = (const char *)ev->data.scalar.value;
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE && ev->data.scalar.length > 0 &&
	    strspn(s, "0123456789") == ev->data.scalar.length)
		return type_error(ld, "an integer", f->key, "remove the quotes: a quoted number is a string");
	if (scalar_class(ev) != SCALAR_INT)
		return type_error(ld, "an integer", f->key, hint);
	digits = s;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'o')) {
		radix = s[1] == 'x' ? 16 : 8;
		digits = s + 2;
	}
	errno = 0;
	v = strtol(digits, &end, radix);
	/* scalar_class vouched for the digits; anything left over is a bug here. */
	if (end == digits || *end)
		CL_BUG("an integer scalar strtol does not read");
	if (v < 0 || (errno != ERANGE && (unsigned long)v < f->min))
		return loader_error(ld, &ev->start_mark, hint, "invalid value %s for '%s': the minimum is %zu",
			quote(q, sizeof(q), s, ev->data.scalar.length), key_path(path, sizeof(path), ld, f->key),
			f->min);
	if (errno == ERANGE || (unsigned long)v > f->max)
		return loader_error(ld, &ev->start_mark, hint, "invalid value %s for '%s': the maximum is %zu",
			quote(q, sizeof(q), s, ev->data.scalar.length), key_path(path, sizeof(path), ld, f->key),
			f->max);
	*(size_t *)(base + f->off) = (size_t)v;
	return 0;
}

static int parse_pattern(struct loader *ld, const struct field *f, char *base)
{
	struct cl_pattern **target = (struct cl_pattern **)(base + f->off), *pat;
	const char *s;
	int error;

	if ((error = get_string(&s, ld, f->key, "a pattern", f->check, 0)) < 0)
		return error;
	if ((error = cl_pattern_compile(&pat, s, f->pattern_flags)) < 0)
		return error == CL_EINVALID ? pattern_error(ld, f, s) : error;
	cl_pattern_free(*target);
	*target = pat;
	return 0;
}

/*
 * pattern.c counts offsets in the text it was given; the user wrote less.
 * Rewrite "... at offset N" to count from `skip` bytes in, at most `len`.
 */
static void shift_offset(char *dst, size_t size, const char *msg, size_t skip, size_t len)
{
	static const char marker[] = " at offset ";
	const char *at = NULL, *p = msg, *digits;
	unsigned long n;
	char *end;

	while ((p = strstr(p, marker)) != NULL)
		at = p++;
	if (at) {
		digits = at + sizeof(marker) - 1;
		errno = 0;
		n = strtoul(digits, &end, 10);
		if (errno == 0 && end != digits && *end == '\0' && *digits >= '0' && *digits <= '9') {
			n = n > skip ? n - skip : 0;
			snprintf(dst, size, "%.*s at offset %lu", (int)(at - msg), msg, n < len ? n : (unsigned long)len);
			return;
		}
	}
	snprintf(dst, size, "%s", msg);
}

/*
 * One PCRE2 expression, found anywhere in the text it is matched against
 * (pattern.c anchors at both ends, so it is compiled as ".*(?:EXPR).*").
 * A leading "re:" is allowed, as in pattern lists, and dropped.
 */
static int parse_regex(struct loader *ld, const struct field *f, char *base)
{
	struct cl_pattern **target = (struct cl_pattern **)(base + f->off), *pat = NULL;
	char **text_target = (char **)(base + f->text_off), *text = NULL;
	struct cl_buf re = CL_BUF_INIT;
	const char *hint = "write one PCRE2 regular expression in 'single quotes'; it may match "
		"anywhere in a line, and (?i) makes it ignore case";
	const char *s, *expr;
	char why[256], path[128], q[64];
	int error;

	if ((error = get_string(&s, ld, f->key, "a regular expression", NULL, 0)) < 0)
		return error;
	expr = strncmp(s, "re:", 3) == 0 ? s + 3 : s;
	if (!*expr) {
		/* It would match every line: every file would have a notice. */
		error = loader_error(ld, &ld->event.start_mark, "remove the key to get the default",
			"empty regular expression in '%s'", key_path(path, sizeof(path), ld, f->key));
		goto done;
	}
	if (strlen(expr) > POLICY_REGEX_MAX) {
		error = loader_error(ld, &ld->event.start_mark, hint,
			"regular expression longer than %d bytes in '%s'", POLICY_REGEX_MAX,
			key_path(path, sizeof(path), ld, f->key));
		goto done;
	}
	if ((error = cl_buf_printf(&re, "re:" RE_SEARCH_HEAD "%s" RE_SEARCH_TAIL, expr)) < 0)
		goto done;
	if ((error = cl_pattern_compile(&pat, cl_buf_cstr(&re), f->pattern_flags)) < 0) {
		if (error != CL_EINVALID)
			goto done;
		/* Offsets from pattern.c count "re:" and the head; the user's count from s. */
		shift_offset(why, sizeof(why), cl_error_last(),
			3 + sizeof(RE_SEARCH_HEAD) - 1 - (size_t)(expr - s), strlen(s));
		error = loader_error(ld, &ld->event.start_mark, hint,
			"invalid regular expression '%s' in '%s': %s", quote(q, sizeof(q), s, strlen(s)),
			key_path(path, sizeof(path), ld, f->key), why);
		goto done;
	}
	text = strdup(expr);
	CL_CHECK_ALLOC(text);
	cl_pattern_free(*target);
	free(*text_target);
	*target = pat;
	*text_target = text;
	pat = NULL;
done:
	cl_pattern_free(pat);
	cl_buf_dispose(&re);
	return error;
}

static int parse_mapping(struct loader *ld, const struct mapping *m, char *base);

/*
 * A list of mappings read with f->sub, each into a zeroed element. Entries
 * are named "key[N]" (from 0) in messages, so a problem in the fifth of
 * many look-alike entries can be found.
 */
static int parse_rules(struct loader *ld, const struct field *f, char *base)
{
	char **target = (char **)(base + f->off), *items = NULL, *grown;
	size_t *target_count = (size_t *)(base + f->count_off), count = 0, alloc = 0, i;
	char *name;
	int error = 0;

	if (ld->event.type != YAML_SEQUENCE_START_EVENT)
		return type_error(ld, "a list of mappings", f->key,
			"write one '- match: GLOB' entry per line, its other keys indented under it; "
			"[] is the empty list");
	if (ld->depth + 1 >= POLICY_MAX_DEPTH)
		CL_BUG("the schema nests deeper than POLICY_MAX_DEPTH");
	name = ld->entry[ld->depth];
	for (;;) {
		if ((error = loader_next(ld)) < 0)
			goto done;
		if (ld->event.type == YAML_SEQUENCE_END_EVENT)
			break;
		if (count == POLICY_MAX_ITEMS) {
			error = too_many(ld, f->key, 0);
			goto done;
		}
		snprintf(name, sizeof(ld->entry[0]), "%s[%zu]", f->key, count);
		if (ld->event.type != YAML_MAPPING_START_EVENT) {
			error = type_error(ld, "a mapping", name,
				"write each entry as '- match: GLOB' with its other keys indented under it, "
				"or as {match: GLOB, ...}");
			goto done;
		}
		if (count == alloc) {
			alloc = alloc ? 2 * alloc : 4;
			grown = realloc(items, alloc * f->elem_size);
			CL_CHECK_ALLOC(grown);
			items = grown;
		}
		/* Counted before it is read, so a half-read entry is disposed of too. */
		memset(items + count * f->elem_size, 0, f->elem_size);
		count++;
		ld->path[ld->depth++] = name;
		error = parse_mapping(ld, f->sub, items + (count - 1) * f->elem_size);
		ld->depth--;
		if (error < 0)
			goto done;
	}
	for (i = 0; i < *target_count; i++)
		f->elem_dispose(*target + i * f->elem_size);
	free(*target);
	*target = items;
	*target_count = count;
	items = NULL;
	count = 0;
done:
	for (i = 0; i < count; i++)
		f->elem_dispose(items + i * f->elem_size);
	free(items);
	return error;
}

/*
 * `- KEY: VALUE` entries (a list of one-entry mappings, as deps.known is
 * written), or one mapping of them; both strings. A later entry for the
 * same key is an error: two pins for one package cannot both hold.
 */
static int parse_pairs(struct loader *ld, const struct field *f, char *base)
{
	struct cl_deps_known **target = (struct cl_deps_known **)(base + f->off), *items = NULL, *grown;
	size_t *target_count = (size_t *)(base + f->count_off), count = 0, alloc = 0, i;
	const char *hint = "write one '- ECOSYSTEM:NAME@VERSION: SPDX-EXPRESSION' entry per line, "
		"such as - npm:left-pad@1.3.0: MIT; [] is the empty list";
	int in_list = ld->event.type == YAML_SEQUENCE_START_EVENT, depth_open = 0;
	char name[POLICY_KEY_MAX + 24], path[128];
	int error = 0;

	if (!in_list && ld->event.type != YAML_MAPPING_START_EVENT)
		return type_error(ld, "a list of 'package: license' entries", f->key, hint);
	for (;;) {
		const char *s;
		yaml_mark_t key_mark;

		if ((error = loader_next(ld)) < 0)
			goto done;
		if (in_list && !depth_open) {
			if (ld->event.type == YAML_SEQUENCE_END_EVENT)
				break;
			snprintf(name, sizeof(name), "%s[%zu]", f->key, count);
			if (ld->event.type != YAML_MAPPING_START_EVENT) {
				error = type_error(ld, "a 'package: license' entry", name, hint);
				goto done;
			}
			depth_open = 1;
			continue;
		}
		if (ld->event.type == YAML_MAPPING_END_EVENT) {
			if (!in_list)
				break;
			depth_open = 0;
			continue;
		}
		if (count == POLICY_MAX_ITEMS) {
			error = too_many(ld, f->key, 0);
			goto done;
		}
		key_mark = ld->event.start_mark;
		if ((error = get_string(&s, ld, f->key, "a package", f->check, 1)) < 0)
			goto done;
		for (i = 0; i < count; i++)
			if (!strcmp(items[i].package, s)) {
				char q[64];
				error = loader_error(ld, &key_mark, "keep one entry per package and version",
					"duplicate entry '%s' in '%s'", quote(q, sizeof(q), s, strlen(s)),
					key_path(path, sizeof(path), ld, f->key));
				goto done;
			}
		if (count == alloc) {
			alloc = alloc ? 2 * alloc : 4;
			grown = realloc(items, alloc * sizeof(*items));
			CL_CHECK_ALLOC(grown);
			items = grown;
		}
		memset(&items[count], 0, sizeof(items[count]));
		items[count].package = strdup(s);
		count++;
		CL_CHECK_ALLOC(items[count - 1].package);
		if ((error = loader_next(ld)) < 0)
			goto done;
		if ((error = get_string(&s, ld, f->key, "an SPDX license expression", NULL, 0)) < 0)
			goto done;
		if ((error = f->value_check(ld, &ld->event.start_mark,
				key_path(path, sizeof(path), ld, f->key), s)) < 0)
			goto done;
		items[count - 1].license = strdup(s);
		CL_CHECK_ALLOC(items[count - 1].license);
	}
	for (i = 0; i < *target_count; i++) {
		free((*target)[i].package);
		free((*target)[i].license);
	}
	free(*target);
	*target = items;
	*target_count = count;
	items = NULL;
	count = 0;
done:
	for (i = 0; i < count; i++) {
		free(items[i].package);
		free(items[i].license);
	}
	free(items);
	return error;
}

static int parse_field(struct loader *ld, const struct field *f, char *base)
{
	char path[128];
	const char *s;
	int error, value;

	switch (f->kind) {
	case FIELD_VERSION:
		return parse_version(ld, f->key, (int *)(base + f->off));
	case FIELD_BOOL:
		return get_bool(ld, f->key, (int *)(base + f->off));
	case FIELD_UNAVAILABLE:
		if ((error = get_bool(ld, f->key, &value)) < 0)
			return error;
		if (value) {
			char hint[160];
			/* Never let a check the file asks for pass silently unimplemented. */
			snprintf(hint, sizeof(hint), "set enabled: false, or remove the '%s' section",
				ld->path[ld->depth - 1]);
			return loader_error(ld, &ld->event.start_mark, hint,
				"check '%s' is not available in this version of clearance",
				ld->path[ld->depth - 1]);
		}
		*(int *)(base + f->off) = 0;
		return 0;
	case FIELD_STRING:
		if ((error = get_string(&s, ld, f->key, "a string", f->check, 0)) < 0)
			return error;
		if ((s = strdup(s)) == NULL)
			return cl_error_set("out of memory");
		free(*(char **)(base + f->off));
		*(char **)(base + f->off) = (char *)s;
		return 0;
	case FIELD_STRINGS:
		return parse_strings(ld, f, base);
	case FIELD_PATTERNS:
		return parse_patterns(ld, f, base);
	case FIELD_PATTERN:
		return parse_pattern(ld, f, base);
	case FIELD_REGEX:
		return parse_regex(ld, f, base);
	case FIELD_SIZE:
		return parse_size(ld, f, base);
	case FIELD_RULES:
		return parse_rules(ld, f, base);
	case FIELD_PAIRS:
		return parse_pairs(ld, f, base);
	case FIELD_ENUM:
		return parse_enum(ld, f->key, f->values, (int *)(base + f->off));
	case FIELD_MAPPING:
		if (ld->event.type != YAML_MAPPING_START_EVENT) {
			char hint[160];
			snprintf(hint, sizeof(hint), "indent the keys of '%s' under it, or write {} for all defaults",
				key_path(path, sizeof(path), ld, f->key));
			return type_error(ld, "a mapping", f->key, hint);
		}
		if (ld->depth + 1 >= POLICY_MAX_DEPTH)
			CL_BUG("the schema nests deeper than POLICY_MAX_DEPTH");
		ld->path[ld->depth++] = f->key;
		error = parse_mapping(ld, f->sub, base + f->off);
		ld->depth--;
		return error;
	default:
		CL_BUG("unknown field kind");
	}
}

/* Lower-case, '-' and camelCase humps to '_': "thirdParty" -> "third_party". */
static int normalize_key(char *dst, size_t size, const char *key, size_t len)
{
	size_t i, o = 0;
	for (i = 0; i < len; i++) {
		char c = key[i];
		if (o + 2 >= size)
			return -1;
		if (c >= 'A' && c <= 'Z') {
			if (i > 0 && ((key[i - 1] >= 'a' && key[i - 1] <= 'z') || (key[i - 1] >= '0' && key[i - 1] <= '9')))
				dst[o++] = '_';
			c = (char)(c - 'A' + 'a');
		} else if (c == '-' || c == ' ') {
			c = '_';
		}
		dst[o++] = c;
	}
	dst[o] = '\0';
	return 0;
}

/* Optimal string alignment distance: edits plus adjacent transpositions. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t rows[3][POLICY_KEY_MAX + 2];
	size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2], *t;

	if (la > POLICY_KEY_MAX || lb > POLICY_KEY_MAX)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = prev[j - 1] + cost;
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

static const char *suggest(const struct mapping *m, const char *key, size_t len)
{
	char norm[POLICY_KEY_MAX + 1];
	const char *best = NULL;
	size_t i, best_d = SIZE_MAX;

	if (normalize_key(norm, sizeof(norm), key, len) < 0)
		return NULL;
	for (i = 0; i < m->count; i++) {
		const char *known = m->fields[i].key;
		size_t klen = strlen(known), d = edit_distance(norm, known);
		/* Close enough that the typo is more likely than a different word. */
		int close = d <= 2 && 2 * d < klen;
		int prefix = strlen(norm) >= 3 && strncmp(known, norm, strlen(norm)) == 0;
		if ((close || prefix) && (d < best_d)) {
			best = known;
			best_d = d;
		}
	}
	return best;
}

static int unknown_key(struct loader *ld, const struct mapping *m)
{
	const yaml_event_t *ev = &ld->event;
	const char *key = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length, i;
	struct cl_buf hint = CL_BUF_INIT;
	const char *guess = suggest(m, key, len);
	char place[160], q[64];
	int error;

	if (guess) {
		error = cl_buf_printf(&hint, "did you mean '%s'?", guess);
	} else {
		error = cl_buf_puts(&hint, ld->depth ? "the keys here are: " : "the top-level keys are: ");
		for (i = 0; error >= 0 && i < m->count; i++)
			error = cl_buf_printf(&hint, "%s%s", i ? ", " : "", m->fields[i].key);
	}
	if (error >= 0 && m->note)
		error = cl_buf_printf(&hint, "; %s", m->note);
	if (error >= 0)
		error = loader_error(ld, &ev->start_mark, cl_buf_cstr(&hint), "unknown key '%s' %s",
			quote(q, sizeof(q), key, len), where(place, sizeof(place), ld));
	cl_buf_dispose(&hint);
	return error;
}

/* The current event is the MAPPING-START; consumes through MAPPING-END. */
static int parse_mapping(struct loader *ld, const struct mapping *m, char *base)
{
	struct seen seen;
	size_t i;
	int error;

	if (m->count > POLICY_MAX_FIELDS)
		CL_BUG("a mapping with more fields than POLICY_MAX_FIELDS");
	memset(&seen, 0, sizeof(seen));
	seen.start = ld->event.start_mark;
	for (;;) {
		const struct field *f = NULL;
		const yaml_event_t *ev = &ld->event;
		char got[96], place[160], path[128];

		if ((error = loader_next(ld)) < 0)
			return error;
		if (ev->type == YAML_MAPPING_END_EVENT)
			break;
		if (ev->type != YAML_SCALAR_EVENT || scalar_class(ev) == SCALAR_NULL)
			return loader_error(ld, &ev->start_mark, "keys are plain words such as 'enabled'",
				"expected a key %s, got %s", where(place, sizeof(place), ld),
				describe(got, sizeof(got), ev));
		for (i = 0; i < m->count; i++) {
			if (strlen(m->fields[i].key) == ev->data.scalar.length &&
			    !memcmp(m->fields[i].key, ev->data.scalar.value, ev->data.scalar.length)) {
				f = &m->fields[i];
				break;
			}
		}
		if (!f)
			return unknown_key(ld, m);
		if (seen.given[i]) {
			char hint[96];
			snprintf(hint, sizeof(hint), "it was first given at line %zu; keep one",
				seen.key[i].line + 1);
			return loader_error(ld, &ev->start_mark, hint, "duplicate key '%s'",
				key_path(path, sizeof(path), ld, f->key));
		}
		seen.given[i] = 1;
		seen.key[i] = ev->start_mark;
		if ((error = loader_next(ld)) < 0)
			return error;
		seen.value[i] = ev->start_mark;
		if ((error = parse_field(ld, f, base)) < 0)
			return error;
	}
	return m->finish ? m->finish(ld, m, base, &seen) : 0;
}

static size_t field_index(const struct mapping *m, const char *key)
{
	size_t i;
	for (i = 0; i < m->count; i++)
		if (!strcmp(m->fields[i].key, key))
			return i;
	CL_BUG("a field the schema does not have");
}

static int finish_remediation(struct loader *ld, const struct mapping *m, char *base, const struct seen *seen)
{
	const struct cl_dco_options *dco = (const struct cl_dco_options *)base;
	size_t i = field_index(m, "third_party");
	char path[128], needs[128];

	/* The DCO app ignores third-party remediation without individual; we refuse it. */
	if (dco->remediation_third_party && !dco->remediation_individual)
		return loader_error(ld, &seen->value[i],
			"set individual: true as well; third-party remediation builds on it",
			"'%s' needs '%s'", key_path(path, sizeof(path), ld, "third_party"),
			key_path(needs, sizeof(needs), ld, "individual"));
	return 0;
}

/* An agreement needs its version (signatures are per version), and an
 * enabled check needs at least one agreement to check against. */
static int finish_cla(struct loader *ld, const struct mapping *m, char *base, const struct seen *seen)
{
	const struct cl_cla_options *cla = (const struct cl_cla_options *)base;
	char path[128], needs[128];

	if (cla->individual && !cla->individual_version)
		return loader_error(ld, &seen->key[field_index(m, "agreement")],
			"write the version of the agreement text people must have signed, "
			"such as version: \"2.0\"", "'%s' needs '%s'",
			key_path(path, sizeof(path), ld, "agreement"), key_path(needs, sizeof(needs), ld, "version"));
	if (cla->corporate && !cla->corporate_version)
		return loader_error(ld, &seen->key[field_index(m, "corporate_agreement")],
			"write the version of the corporate agreement, such as corporate_version: \"1.0\"",
			"'%s' needs '%s'", key_path(path, sizeof(path), ld, "corporate_agreement"),
			key_path(needs, sizeof(needs), ld, "corporate_version"));
	if (cla->enabled && !cla->individual && !cla->corporate)
		return loader_error(ld, &seen->start,
			"name the agreement: agreement: ID and version: V (and/or corporate_agreement)",
			"'%s' is enabled without an agreement", key_path(path, sizeof(path), ld, "enabled"));
	return 0;
}

/* ---- approvals: ---------------------------------------------------------- */

static void approval_rule_dispose(void *elem)
{
	cl_approval_rule_dispose(elem);
}

/* A rule with neither licenses nor projects would approve every request. */
static int finish_approval_rule(struct loader *ld, const struct mapping *m, char *base,
	const struct seen *seen)
{
	struct cl_approval_rule *rule = (struct cl_approval_rule *)base;
	char path[128];

	rule->has_licenses = seen->given[field_index(m, "licenses")];
	rule->has_projects = seen->given[field_index(m, "projects")];
	if (!rule->has_licenses && !rule->has_projects)
		return loader_error(ld, &seen->start,
			"say what the rule approves: licenses: [MIT, Apache-2.0] and/or "
			"projects: [\"github.com/owner/*\"], with max_lines for trivial patches",
			"'%s' needs 'licenses' or 'projects'", key_path(path, sizeof(path), ld, NULL));
	return 0;
}

static void approval_team_dispose(void *elem)
{
	cl_approval_team_dispose(elem);
}

/* A team approval names the team; without members it would cover nobody. */
static int finish_approval_team(struct loader *ld, const struct mapping *m, char *base,
	const struct seen *seen)
{
	const struct cl_approval_team *t = (const struct cl_approval_team *)base;
	char path[128];

	(void)m;
	if (!t->name || t->member_count == 0)
		return loader_error(ld, &seen->start,
			"write each team as {name: org/team, members: [login, user@example.com]}",
			"'%s' needs 'name' and 'members'", key_path(path, sizeof(path), ld, NULL));
	return 0;
}

/* Requests arrive as issues in one repository, and someone must decide them. */
static int finish_approvals(struct loader *ld, const struct mapping *m, char *base,
	const struct seen *seen)
{
	const struct cl_approval_options *a = (const struct cl_approval_options *)base;
	char path[128];

	if (a->warn_days >= a->expiry_days && a->warn_days > 0)
		return loader_error(ld, &seen->value[field_index(m, "warn_days")],
			"warn fewer days ahead than an approval lasts (expiry_days)",
			"'%s' is not less than '%s'", key_path(path, sizeof(path), ld, "warn_days"),
			"expiry_days");
	if (a->enabled && a->approver_count == 0 && a->approver_team_count == 0)
		return loader_error(ld, &seen->start,
			"name who decides: approvers: [login] and/or approver_teams: [org/team]",
			"'%s' is enabled without approvers", key_path(path, sizeof(path), ld, NULL));
	return 0;
}

static void path_rule_dispose(void *elem)
{
	cl_header_path_rule_dispose(elem);
}

static int finish_path_rule(struct loader *ld, const struct mapping *m, char *base, const struct seen *seen)
{
	struct cl_header_path_rule *rule = (struct cl_header_path_rule *)base;
	size_t licenses = field_index(m, "licenses"), copyright = field_index(m, "copyright");
	char path[128];

	if (!seen->given[field_index(m, "match")])
		return loader_error(ld, &seen->start,
			"every entry names the paths it covers, such as match: \"docs/**\"",
			"missing key 'match' in '%s'", key_path(path, sizeof(path), ld, NULL));
	rule->has_licenses = seen->given[licenses];
	rule->has_copyright = seen->given[copyright];
	/* A setting that can never apply is a mistake worth hearing about. */
	if (rule->skip && (rule->has_licenses || rule->has_copyright)) {
		size_t i = rule->has_licenses ? licenses : copyright;
		return loader_error(ld, &seen->key[i],
			"a skipped path is not checked at all: remove the key, or remove skip: true",
			"'%s' has no effect with skip: true",
			key_path(path, sizeof(path), ld, m->fields[i].key));
	}
	return 0;
}

/* Pass one: everything but the schema (see the top of this file). */
static int check_structure(struct loader *ld)
{
	const yaml_event_t *ev = &ld->event;
	size_t nesting = 0;
	int documents = 0, error;

	for (;;) {
		if ((error = loader_next(ld)) < 0)
			return error;
		switch (ev->type) {
		case YAML_STREAM_END_EVENT:
			return 0;
		case YAML_DOCUMENT_START_EVENT:
			if (++documents > 1)
				return loader_error(ld, &ev->start_mark,
					"a policy is one YAML document; remove the second '---'",
					"more than one YAML document");
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++nesting > POLICY_MAX_NESTING)
				return loader_error(ld, &ev->start_mark,
					"a policy needs five levels at most, as in headers.paths[].licenses",
					"values nested deeper than %d levels", POLICY_MAX_NESTING);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			nesting--;
			break;
		default:
			break;
		}
	}
}

/* Pass two: the schema. The structure is known to be sound. */
static int parse_stream(struct loader *ld, struct cl_policy *p)
{
	const yaml_event_t *ev = &ld->event;
	char got[96];
	int error;

	if ((error = loader_next(ld)) < 0)   /* STREAM-START */
		return error;
	if ((error = loader_next(ld)) < 0)
		return error;
	if (ev->type == YAML_STREAM_END_EVENT)
		return 0;   /* empty, or only comments: the defaults */
	if ((error = loader_next(ld)) < 0)   /* past DOCUMENT-START */
		return error;
	if (ev->type == YAML_MAPPING_START_EVENT)
		return parse_mapping(ld, &top_mapping, (char *)p);
	if (ev->type != YAML_SCALAR_EVENT || scalar_class(ev) != SCALAR_NULL)
		return loader_error(ld, &ev->start_mark,
			"a policy is a mapping of sections such as 'version: 1' and 'dco:'",
			"the policy must be a mapping, got %s", describe(got, sizeof(got), ev));
	return 0;
}

static void loader_dispose(struct loader *ld)
{
	if (ld->has_event)
		yaml_event_delete(&ld->event);
	ld->has_event = 0;
	yaml_parser_delete(&ld->parser);
}

static int loader_start(struct loader *ld)
{
	if (!yaml_parser_initialize(&ld->parser))
		return cl_error_set("out of memory");
	/* Bytes, not a guessed encoding: a UTF-16 file fails loudly instead. */
	yaml_parser_set_encoding(&ld->parser, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&ld->parser, ld->data, ld->len);
	return 0;
}

/* ---- public entry points and accessors -------------------------------- */

int cl_policy_load_buffer(struct cl_policy **out, const char *data, size_t len, const char *name)
{
	struct cl_policy *p = NULL;
	struct loader ld;
	int error;

	memset(&ld, 0, sizeof(ld));
	ld.name = name ? name : "<policy>";
	ld.data = (const unsigned char *)data;
	ld.len = len;
	if (len > CL_POLICY_MAX_SIZE)
		return cl_error_setc(CL_ETOOBIG,
			"%s:1:1: policy larger than %d bytes (hint: a policy is a few hundred lines; is this the right file?)",
			ld.name, CL_POLICY_MAX_SIZE);
	if ((error = policy_new(&p, ld.name)) < 0)
		return error;
	if (!ld.data) {
		if (len)
			CL_BUG("cl_policy_load_buffer: NULL data with a length");
		ld.data = (const unsigned char *)"";
	}
	if ((error = loader_start(&ld)) < 0)
		goto done;
	error = check_structure(&ld);
	loader_dispose(&ld);
	if (error < 0 || (error = loader_start(&ld)) < 0)
		goto done;
	error = parse_stream(&ld, p);
	loader_dispose(&ld);
	if (error < 0)
		goto done;
	*out = p;
	p = NULL;
done:
	cl_policy_free(p);
	return error;
}

int cl_policy_load(struct cl_policy **out, const char *path)
{
	struct cl_buf data;
	FILE *fp;
	int error;

	cl_buf_init(&data, CL_POLICY_MAX_SIZE);
	if ((fp = fopen(path, "rb")) == NULL)
		return cl_error_setc(errno == ENOENT || errno == ENOTDIR ? CL_ENOTFOUND : CL_ERROR,
			"cannot open policy '%s': %s", path, strerror(errno));
	error = cl_buf_read_file(&data, fp);
	if (error == CL_ETOOBIG)
		error = cl_error_setc(CL_ETOOBIG,
			"%s:1:1: policy larger than %d bytes (hint: a policy is a few hundred lines; is this the right file?)",
			path, CL_POLICY_MAX_SIZE);
	else if (error < 0)
		error = cl_error_set("cannot read policy '%s': %s", path, strerror(errno));
	fclose(fp);
	if (error >= 0)
		error = cl_policy_load_buffer(out, data.ptr, data.size, path);
	cl_buf_dispose(&data);
	return error;
}

int cl_policy_default(struct cl_policy **out)
{
	return policy_new(out, "(built-in default)");
}

const struct cl_policy_refs *cl_policy_refs(const struct cl_policy *policy)
{
	return &policy->refs;
}

const struct cl_policy_overrides *cl_policy_overrides(const struct cl_policy *policy)
{
	return &policy->overrides;
}

const struct cl_policy_identity *cl_policy_identity(const struct cl_policy *policy)
{
	return &policy->identity;
}

const struct cl_dco_options *cl_policy_dco(const struct cl_policy *policy)
{
	return &policy->dco;
}

int cl_policy_set_cla_store(struct cl_policy *policy, const char *path)
{
	char *copy = strdup(path);

	if (!copy)
		return cl_error_set("out of memory");
	free(policy->cla.store);
	policy->cla.store = copy;
	return 0;
}

const struct cl_cla_options *cl_policy_cla(const struct cl_policy *policy)
{
	return &policy->cla;
}

const struct cl_header_options *cl_policy_headers(const struct cl_policy *policy)
{
	return &policy->headers;
}

const struct cl_deps_options *cl_policy_deps(const struct cl_policy *policy)
{
	return &policy->deps;
}

const struct cl_policy_bot *cl_policy_bot(const struct cl_policy *policy)
{
	return &policy->bot;
}

const struct cl_approval_options *cl_policy_approvals(const struct cl_policy *policy)
{
	return &policy->approvals;
}

const char *cl_policy_source(const struct cl_policy *policy)
{
	return policy->source;
}

int cl_policy_ref_enforced(const struct cl_policy *policy, const char *refname)
{
	int rc;
	if ((rc = cl_pattern_list_match(&policy->refs.include, refname)) <= 0)
		return rc;
	if ((rc = cl_pattern_list_match(&policy->refs.exclude, refname)) < 0)
		return rc;
	return !rc;
}

int cl_policy_is_admin(const struct cl_policy *policy, const char *login)
{
	size_t i;
	if (!login)
		return 0;
	for (i = 0; i < policy->overrides.admin_count; i++)
		if (!strcmp(policy->overrides.admins[i], login))
			return 1;
	return 0;
}

/* ---- printing the effective policy ------------------------------------ */

/* Decode one UTF-8 sequence at `s`; its length, or 0 if it is not valid. */
static size_t utf8_decode(uint32_t *cp, const unsigned char *s)
{
	size_t n, i;
	uint32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, v = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, v = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, v = s[0] & 0x07u;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3fu);
	}
	if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/*
 * A double-quoted YAML scalar: always a string, whatever it looks like.
 * Characters YAML will not take raw (controls, C1 controls, the BOM) and
 * those it would fold as line breaks (NEL, LS, PS) are escaped, so the text
 * reads back unchanged. Strings come from libyaml, which only yields valid
 * UTF-8; a stray invalid byte would print as U+FFFD.
 */
static int put_quoted(struct cl_buf *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	int error = cl_buf_putc(out, '"');

	while (error >= 0 && *s) {
		uint32_t cp;
		size_t n = utf8_decode(&cp, s);

		if (n == 0) {
			error = cl_buf_puts(out, "\\uFFFD");
			s++;
			continue;
		}
		if (cp == '"' || cp == '\\')
			error = cl_buf_printf(out, "\\%c", (char)cp);
		else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			error = cl_buf_printf(out, "\\x%02X", (unsigned)cp);
		else if (cp == 0x2028 || cp == 0x2029 || cp == 0xfeff || cp == 0xfffe || cp == 0xffff)
			error = cl_buf_printf(out, "\\u%04X", (unsigned)cp);
		else
			error = cl_buf_put(out, (const char *)s, n);
		s += n;
	}
	if (error >= 0)
		error = cl_buf_putc(out, '"');
	return error;
}

static int put_strings(struct cl_buf *out, const char *indent, const char *key,
	const char *const *items, size_t count)
{
	size_t i;
	int error;

	if (count == 0)
		return cl_buf_printf(out, "%s%s: []\n", indent, key);
	if ((error = cl_buf_printf(out, "%s%s:\n", indent, key)) < 0)
		return error;
	for (i = 0; i < count; i++) {
		if ((error = cl_buf_printf(out, "%s  - ", indent)) < 0 ||
		    (error = put_quoted(out, items[i])) < 0 ||
		    (error = cl_buf_putc(out, '\n')) < 0)
			return error;
	}
	return 0;
}

static int put_patterns(struct cl_buf *out, const char *indent, const char *key,
	const struct cl_pattern_list *list)
{
	const char **texts;
	size_t i;
	int error;

	if ((texts = calloc(list->count ? list->count : 1, sizeof(*texts))) == NULL)
		return cl_error_set("out of memory");
	for (i = 0; i < list->count; i++)
		texts[i] = cl_pattern_text(list->items[i]);
	error = put_strings(out, indent, key, texts, list->count);
	free(texts);
	return error;
}

static const char *bool_text(int v)
{
	return v ? "true" : "false";
}

static const char *enum_text(const struct enum_value *values, int v)
{
	for (; values->text; values++)
		if (values->value == v)
			return values->text;
	CL_BUG("an enum value without a name");
}

static int put_path_rule(struct cl_buf *out, const struct cl_header_path_rule *rule)
{
	int error;

	if ((error = cl_buf_puts(out, "    - match: ")) < 0 ||
	    (error = put_quoted(out, cl_pattern_text(rule->match))) < 0 ||
	    (error = cl_buf_printf(out, "\n      skip: %s\n", bool_text(rule->skip))) < 0)
		return error;
	/* Keys the entry left out stay out: they mean "the section's value". */
	if (rule->has_licenses && (error = put_patterns(out, "      ", "licenses", &rule->licenses)) < 0)
		return error;
	if (rule->has_copyright && (error = cl_buf_printf(out, "      copyright: %s\n",
			enum_text(copyright_values, (int)rule->copyright))) < 0)
		return error;
	return 0;
}

static int put_headers(struct cl_buf *out, const struct cl_header_options *h)
{
	size_t i;
	int error;

	if ((error = cl_buf_printf(out, "headers:\n  enabled: %s\n", bool_text(h->enabled))) < 0 ||
	    (error = put_patterns(out, "  ", "licenses", &h->licenses)) < 0 ||
	    (error = cl_buf_printf(out, "  copyright: %s\n", enum_text(copyright_values, (int)h->copyright))) < 0)
		return error;
	/* There is no way to write "none" as a value; the comment keeps the key visible. */
	if (h->copyright_pattern_text)
		error = cl_buf_puts(out, "  copyright_pattern: ");
	else
		error = cl_buf_puts(out, "  # copyright_pattern: none");
	if (error < 0 ||
	    (h->copyright_pattern_text && (error = put_quoted(out, h->copyright_pattern_text)) < 0) ||
	    (error = cl_buf_printf(out, "\n  window_bytes: %zu\n  min_bytes: %zu\n"
			"  per_commit: %s\n  reuse: %s\n", h->window_bytes, h->min_bytes,
			bool_text(h->per_commit), bool_text(h->reuse))) < 0 ||
	    (error = put_patterns(out, "  ", "skip", &h->skip)) < 0)
		return error;
	if (h->path_count == 0)
		return cl_buf_puts(out, "  paths: []\n");
	if ((error = cl_buf_puts(out, "  paths:\n")) < 0)
		return error;
	for (i = 0; i < h->path_count; i++)
		if ((error = put_path_rule(out, &h->paths[i])) < 0)
			return error;
	return 0;
}

/* A string key that may be absent: "none" cannot be written, so a comment keeps it visible. */
static int put_optional(struct cl_buf *out, const char *indent, const char *key, const char *value)
{
	int error;

	if (!value)
		return cl_buf_printf(out, "%s# %s: none\n", indent, key);
	if ((error = cl_buf_printf(out, "%s%s: ", indent, key)) < 0 ||
	    (error = put_quoted(out, value)) < 0)
		return error;
	return cl_buf_putc(out, '\n');
}

static int put_deps(struct cl_buf *out, const struct cl_deps_options *d)
{
	size_t i;
	int error;

	if ((error = cl_buf_printf(out, "deps:\n  enabled: %s\n  licenses:\n", bool_text(d->enabled))) < 0 ||
	    (error = put_patterns(out, "    ", "allow", &d->allow)) < 0 ||
	    (error = put_patterns(out, "    ", "deny", &d->deny)) < 0 ||
	    (error = cl_buf_puts(out, "  packages:\n")) < 0 ||
	    (error = put_strings(out, "    ", "deny", (const char *const *)d->deny_packages,
			d->deny_package_count)) < 0)
		return error;
	if (d->known_count == 0)
		error = cl_buf_puts(out, "  known: []\n");
	else
		error = cl_buf_puts(out, "  known:\n");
	for (i = 0; error >= 0 && i < d->known_count; i++) {
		if ((error = cl_buf_puts(out, "    - ")) < 0 ||
		    (error = put_quoted(out, d->known[i].package)) < 0 ||
		    (error = cl_buf_puts(out, ": ")) < 0 ||
		    (error = put_quoted(out, d->known[i].license)) < 0)
			return error;
		error = cl_buf_putc(out, '\n');
	}
	if (error < 0 ||
	    (error = cl_buf_printf(out, "  on_new: %s\n  on_unknown_license: %s\n  on_license_change: %s\n",
			enum_text(on_new_values, (int)d->on_new),
			enum_text(on_unknown_values, (int)d->on_unknown_license),
			enum_text(on_change_values, (int)d->on_license_change))) < 0 ||
	    (error = put_strings(out, "  ", "ignore_scopes", (const char *const *)d->ignore_scopes,
			d->ignore_scope_count)) < 0 ||
	    (error = cl_buf_printf(out, "  online:\n    enabled: %s\n    provider: %s\n",
			bool_text(d->online.enabled), enum_text(provider_values, (int)d->online.provider))) < 0 ||
	    (error = put_optional(out, "    ", "base_url", d->online.base_url)) < 0 ||
	    (error = put_optional(out, "    ", "cache", d->online.cache)) < 0)
		return error;
	return 0;
}

static int put_cla(struct cl_buf *out, const struct cl_cla_options *c)
{
	int error;

	if ((error = cl_buf_printf(out, "cla:\n  enabled: %s\n", bool_text(c->enabled))) < 0 ||
	    (error = put_optional(out, "  ", "store", c->store)) < 0 ||
	    (error = put_optional(out, "  ", "agreement", c->individual)) < 0 ||
	    (error = put_optional(out, "  ", "version", c->individual_version)) < 0 ||
	    (error = put_optional(out, "  ", "corporate_agreement", c->corporate)) < 0 ||
	    (error = put_optional(out, "  ", "corporate_version", c->corporate_version)) < 0 ||
	    (error = put_optional(out, "  ", "sign_url", c->sign_url)) < 0 ||
	    (error = put_optional(out, "  ", "sign_sentence", c->sign_sentence)) < 0 ||
	    (error = cl_buf_printf(out, "  co_authors: %s\n", bool_text(c->co_authors))) < 0 ||
	    (error = put_patterns(out, "  ", "exempt_authors", &c->exempt)) < 0)
		return error;
	return cl_buf_printf(out, "  with_dco: %s\n", enum_text(with_dco_values, (int)c->with_dco));
}

static int put_approvals(struct cl_buf *out, const struct cl_approval_options *a)
{
	const struct cl_approval_labels *l = &a->labels;
	size_t i;
	int error;

	if ((error = cl_buf_printf(out, "approvals:\n  enabled: %s\n", bool_text(a->enabled))) < 0 ||
	    (error = put_optional(out, "  ", "repository", a->repository)) < 0 ||
	    (error = put_strings(out, "  ", "approvers", (const char *const *)a->approvers,
			a->approver_count)) < 0 ||
	    (error = put_strings(out, "  ", "approver_teams", (const char *const *)a->approver_teams,
			a->approver_team_count)) < 0 ||
	    (error = cl_buf_printf(out, "  expiry_days: %zu\n  warn_days: %zu\n", a->expiry_days,
			a->warn_days)) < 0)
		return error;
	error = cl_buf_puts(out, a->pre_approved_count ? "  pre_approved:\n" : "  pre_approved: []\n");
	for (i = 0; error >= 0 && i < a->pre_approved_count; i++) {
		const struct cl_approval_rule *r = &a->pre_approved[i];
		/* Keys the entry left out stay out: an absent key does not restrict. */
		if ((error = cl_buf_puts(out, "    -\n")) < 0 ||
		    (r->has_licenses && (error = put_patterns(out, "      ", "licenses", &r->licenses)) < 0) ||
		    (r->has_projects && (error = put_patterns(out, "      ", "projects", &r->projects)) < 0) ||
		    (r->max_lines && (error = cl_buf_printf(out, "      max_lines: %zu\n", r->max_lines)) < 0))
			return error;
	}
	if (error < 0 ||
	    (error = cl_buf_puts(out, "  labels:\n")) < 0 ||
	    (error = put_optional(out, "    ", "requested", l->requested)) < 0 ||
	    (error = put_optional(out, "    ", "approved", l->approved)) < 0 ||
	    (error = put_optional(out, "    ", "denied", l->denied)) < 0 ||
	    (error = put_optional(out, "    ", "needs_info", l->needs_info)) < 0 ||
	    (error = put_optional(out, "    ", "expired", l->expired)) < 0 ||
	    (error = put_optional(out, "    ", "revoked", l->revoked)) < 0 ||
	    (error = put_optional(out, "    ", "needs_re_review", l->needs_re_review)) < 0 ||
	    (error = put_optional(out, "  ", "request_url", a->request_url)) < 0 ||
	    (error = put_patterns(out, "  ", "outbound_repos", &a->outbound_repos)) < 0)
		return error;
	if ((error = put_strings(out, "  ", "employee_domains",
			(const char *const *)a->employee_domains, a->employee_domain_count)) < 0)
		return error;
	error = cl_buf_puts(out, a->team_count ? "  teams:\n" : "  teams: []\n");
	for (i = 0; error >= 0 && i < a->team_count; i++) {
		if ((error = cl_buf_puts(out, "    -\n")) < 0 ||
		    (error = put_optional(out, "      ", "name", a->teams[i].name)) < 0)
			return error;
		error = put_strings(out, "      ", "members", (const char *const *)a->teams[i].members,
			a->teams[i].member_count);
	}
	return error;
}

static int put_bot(struct cl_buf *out, const struct cl_policy_bot *b)
{
	int error;

	if ((error = cl_buf_puts(out, "bot:\n")) < 0 ||
	    (error = put_optional(out, "  ", "store", b->store)) < 0 ||
	    (error = put_optional(out, "  ", "url", b->url)) < 0 ||
	    (error = put_optional(out, "  ", "secret_file", b->secret_file)) < 0 ||
	    (error = put_optional(out, "  ", "tracker", b->tracker)) < 0 ||
	    (error = put_optional(out, "  ", "name", b->name)) < 0 ||
	    (error = put_optional(out, "  ", "commit_url", b->commit_url)) < 0 ||
	    (error = put_strings(out, "  ", "labels", (const char *const *)b->labels, b->label_count)) < 0)
		return error;
	return put_strings(out, "  ", "assignees", (const char *const *)b->assignees, b->assignee_count);
}

int cl_policy_write_yaml(struct cl_buf *out, const struct cl_policy *p)
{
	const struct cl_dco_options *dco = &p->dco;
	int error;

	if ((error = cl_buf_printf(out, "version: %d\nrefs:\n", p->version)) < 0 ||
	    (error = put_patterns(out, "  ", "include", &p->refs.include)) < 0 ||
	    (error = put_patterns(out, "  ", "exclude", &p->refs.exclude)) < 0 ||
	    (error = put_patterns(out, "  ", "deny_delete", &p->refs.deny_delete)) < 0 ||
	    (error = put_patterns(out, "  ", "deny_force_push", &p->refs.deny_force_push)) < 0)
		return error;
	if ((error = cl_buf_printf(out, "overrides:\n  enabled: %s\n", bool_text(p->overrides.enabled))) < 0 ||
	    (error = put_strings(out, "  ", "admins", (const char *const *)p->overrides.admins,
			p->overrides.admin_count)) < 0 ||
	    (error = cl_buf_puts(out, "  push_option: ")) < 0 ||
	    (error = put_quoted(out, p->overrides.push_option)) < 0 ||
	    (error = cl_buf_puts(out, "\n  audit_log: ")) < 0 ||
	    (error = put_quoted(out, p->overrides.audit_log)) < 0 ||
	    (error = cl_buf_puts(out, "\nidentity:\n")) < 0 ||
	    (error = put_strings(out, "  ", "env", (const char *const *)p->identity.env,
			p->identity.env_count)) < 0)
		return error;
	if ((error = cl_buf_printf(out, "dco:\n  enabled: %s\n  merge_commits: %s\n",
			bool_text(dco->enabled), enum_text(merge_values, dco->check_merges))) < 0 ||
	    (error = put_patterns(out, "  ", "exempt_authors", &dco->exempt_authors)) < 0 ||
	    (error = cl_buf_printf(out,
			"  match: %s\n  accept_committer: %s\n"
			"  remediation:\n    individual: %s\n    third_party: %s\n  lenient: %s\n",
			enum_text(match_values, (int)dco->match), bool_text(dco->accept_committer),
			bool_text(dco->remediation_individual), bool_text(dco->remediation_third_party),
			bool_text(dco->lenient))) < 0)
		return error;
	/* In the schema's order: cla, headers, deps, approvals. */
	if ((error = put_cla(out, &p->cla)) < 0 ||
	    (error = put_headers(out, &p->headers)) < 0 ||
	    (error = put_deps(out, &p->deps)) < 0 ||
	    (error = put_approvals(out, &p->approvals)) < 0 ||
	    (error = put_bot(out, &p->bot)) < 0)
		return error;
	return 0;
}
