/*
 * clearance deps inventory [REV]: every dependency a tree declares, as CSV,
 * JSON or a CycloneDX 1.5 BOM (issue 4, "Outputs": the SBOM an OSPO keeps).
 * clearance deps diff A..B: what B changes in A's dependencies, as text,
 * JSON or a CycloneDX BOM of the added components.
 */
#include "commands.h"
#include "buf.h"
#include "deps.h"
#include "deps_check.h"
#include "deps_tree.h"
#include "policy.h"
#include "error.h"
#include "json_text.h"
#include "purl.h"

#include <errno.h>
#include <git2.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void deps_usage(FILE *fp)
{
	fprintf(fp,
		"usage: clearance deps inventory [REV] [--format csv|json|cyclonedx] [-C DIR]\n"
		"       clearance deps diff A..B [--format text|json|cyclonedx] [--policy FILE] [-C DIR]\n"
		"\n"
		"deps diff: the dependencies B adds, removes, upgrades and relicenses\n"
		"compared with A (\"A..\" or \"..B\" mean HEAD on the side left out), read\n"
		"from the manifests and lock files that changed, each with its license\n"
		"(from the file, vendored metadata, the policy's deps.known, or online when\n"
		"the policy enables it).\n"
		"  --format text       one line per change: + added, - removed, ~ upgraded,\n"
		"                      ! relicensed (the default)\n"
		"  --format json       an array of changes with both sides\n"
		"  --format cyclonedx  a CycloneDX 1.5 BOM of the added components\n"
		"\n"
		"List every dependency declared by the manifests and lock files of REV's\n"
		"tree (default HEAD), one entry per file that declares it.\n"
		"\n"
		"  --format csv        ecosystem,name,version,relation,scope,license,manifest\n"
		"                      (the default; RFC 4180 quoting)\n"
		"  --format json       an array of objects, with each dependency's purl\n"
		"  --format cyclonedx  a CycloneDX 1.5 JSON BOM; scope runtime is \"required\",\n"
		"                      optional and peer \"optional\", dev/test/build \"excluded\"\n"
		"  -C DIR              run in DIR\n"
		"\n"
		"Directories named node_modules and vendor are not walked: they hold vendored\n"
		"copies whose manifests are not the project's. A file that cannot be parsed is\n"
		"reported on stderr and the others are still listed.\n"
		"exit status: 0 all files read, 1 some file could not be read (see stderr),\n"
		"2 usage or repository error\n");
}

/* Indexed by enum cl_dep_relation + 1. */
static const char *const relation_names[] = { "unknown", "transitive", "direct" };

static const char *relation_name(enum cl_dep_relation relation)
{
	size_t i = (size_t)((int)relation + 1);
	if (i >= sizeof(relation_names) / sizeof(relation_names[0]))
		CL_BUG("dependency relation out of range");
	return relation_names[i];
}

/*
 * CycloneDX scopes say whether a component ships: "excluded" is for what
 * only builds or tests the software (CycloneDX 1.5 component.scope), which
 * is what dev, test and build dependencies are. A peer dependency is
 * supplied by whoever installs the package, so it is "optional" here.
 * Indexed by enum cl_dep_scope.
 */
static const char *const cyclonedx_scopes[] = {
	"required",     /* CL_DEP_RUNTIME */
	"excluded",     /* CL_DEP_DEV */
	"excluded",     /* CL_DEP_TEST */
	"excluded",     /* CL_DEP_BUILD */
	"optional",     /* CL_DEP_OPTIONAL */
	"optional",     /* CL_DEP_PEER */
};

static const char *cyclonedx_scope(enum cl_dep_scope scope)
{
	if ((unsigned)scope >= sizeof(cyclonedx_scopes) / sizeof(cyclonedx_scopes[0]))
		CL_BUG("dependency scope out of range");
	return cyclonedx_scopes[scope];
}

/* ---- files that could not be read --------------------------------------- */

struct inventory_problems {
	size_t count;
};

static int on_problem(const char *path, int code, const char *message, void *payload)
{
	struct inventory_problems *p = payload;
	(void)path;
	(void)code;
	fprintf(stderr, "clearance: %s\n", message);
	p->count++;
	return 0;
}

/* ---- csv ----------------------------------------------------------------- */

/* RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
static int csv_field(struct cl_buf *out, const char *s, int last)
{
	int error = 0;

	if (s && strpbrk(s, ",\"\r\n")) {
		const char *p;
		error = cl_buf_putc(out, '"');
		for (p = s; *p && error >= 0; p++)
			error = *p == '"' ? cl_buf_puts(out, "\"\"") : cl_buf_putc(out, *p);
		if (error >= 0)
			error = cl_buf_putc(out, '"');
	} else if (s) {
		error = cl_buf_puts(out, s);
	}
	if (error >= 0)
		error = cl_buf_putc(out, last ? '\n' : ',');
	return error;
}

static int render_csv(struct cl_buf *out, const struct cl_dep_list *deps)
{
	size_t i;
	int error;

	if ((error = cl_buf_puts(out, "ecosystem,name,version,relation,scope,license,manifest\n")) < 0)
		return error;
	for (i = 0; i < deps->count && error >= 0; i++) {
		const struct cl_dep *d = &deps->items[i];
		const char *fields[] = { d->ecosystem, d->name, d->version, relation_name(d->relation),
			cl_dep_scope_name(d->scope), d->license, d->manifest };
		size_t f;
		for (f = 0; f < sizeof(fields) / sizeof(fields[0]) && error >= 0; f++)
			error = csv_field(out, fields[f], f + 1 == sizeof(fields) / sizeof(fields[0]));
	}
	return error;
}

/* ---- json and cyclonedx -------------------------------------------------- */

/* Set obj[key] to the lossy string of val, or null when there is none. */
static int set_string_or_null(json_t *obj, const char *key, const char *val)
{
	if (val)
		return cl_json_set_string(obj, key, val);
	return json_object_set_new(obj, key, json_null());
}

/* The dependency's purl in *purl, empty when its ecosystem has none. */
static int dep_purl(struct cl_buf *purl, const struct cl_dep *dep)
{
	int error;

	cl_buf_clear(purl);
	error = cl_purl_from_dep(purl, dep);
	if (error == CL_EINVALID) {
		/* Listed without a purl rather than dropped: the name is still known. */
		cl_error_clear();
		cl_buf_clear(purl);
		error = 0;
	}
	return error;
}

static int render_json(json_t **out, const struct cl_dep_list *deps)
{
	struct cl_buf purl = CL_BUF_INIT;
	json_t *arr = json_array(), *obj = NULL;
	size_t i;
	int error = 0;

	CL_CHECK_ALLOC(arr);
	for (i = 0; i < deps->count; i++) {
		const struct cl_dep *d = &deps->items[i];
		if ((error = dep_purl(&purl, d)) < 0)
			goto done;
		obj = json_object();
		CL_CHECK_ALLOC(obj);
		if (cl_json_set_string(obj, "ecosystem", d->ecosystem) < 0 ||
		    cl_json_set_string(obj, "name", d->name) < 0 ||
		    set_string_or_null(obj, "version", d->version) < 0 ||
		    json_object_set_new(obj, "relation", json_string(relation_name(d->relation))) < 0 ||
		    json_object_set_new(obj, "scope", json_string(cl_dep_scope_name(d->scope))) < 0 ||
		    set_string_or_null(obj, "license", d->license) < 0 ||
		    cl_json_set_string(obj, "manifest", d->manifest) < 0 ||
		    json_object_set_new(obj, "line", d->line ? json_integer(d->line) : json_null()) < 0 ||
		    set_string_or_null(obj, "purl", purl.size ? cl_buf_cstr(&purl) : NULL) < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
		error = json_array_append_new(arr, obj);
		obj = NULL; /* json_array_append_new took it, even when it failed */
		if (error < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
	}
	*out = arr;
	arr = NULL;
done:
	json_decref(obj);
	json_decref(arr);
	cl_buf_dispose(&purl);
	return error;
}

/*
 * SOURCE_DATE_EPOCH (reproducible-builds.org) when set, so that a BOM made
 * twice from one tree is the same file; else now.
 */
static int bom_timestamp(char *out, size_t size)
{
	const char *env = getenv("SOURCE_DATE_EPOCH");
	time_t t = time(NULL);
	struct tm tm;

	if (env && *env) {
		char *end;
		long long v;
		errno = 0;
		v = strtoll(env, &end, 10);
		if (errno || *end || v < 0 || (long long)(time_t)v != v)
			return cl_error_setc(CL_EINVALID, "invalid SOURCE_DATE_EPOCH '%s'", env);
		t = (time_t)v;
	}
	if (!gmtime_r(&t, &tm) || !strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return cl_error_set("cannot format the time");
	return 0;
}

static int add_property(json_t *props, const char *name, const char *value)
{
	json_t *p = json_object();
	if (!p || json_object_set_new(p, "name", json_string(name)) < 0 ||
	    cl_json_set_string(p, "value", value) < 0 || json_array_append_new(props, p) < 0)
		return cl_error_set("out of memory");
	return 0;
}

/*
 * bom-refs must be unique in a BOM, and one package listed by a manifest
 * and its lock file has one purl: the later ones get "|manifest", then a
 * counter, which a purl never contains.
 */
static int unique_ref(struct cl_buf *ref, json_t *seen, const char *base, const char *manifest)
{
	size_t n = 2;
	int error;

	cl_buf_clear(ref);
	if ((error = cl_buf_puts(ref, base)) < 0)
		return error;
	if (json_object_get(seen, cl_buf_cstr(ref)) &&
	    (error = cl_buf_printf(ref, "|%s", manifest)) < 0)
		return error;
	while (json_object_get(seen, cl_buf_cstr(ref))) {
		cl_buf_clear(ref);
		if ((error = cl_buf_printf(ref, "%s|%s|%zu", base, manifest, n++)) < 0)
			return error;
	}
	if (json_object_set_new(seen, cl_buf_cstr(ref), json_true()) < 0)
		return cl_error_set("out of memory");
	return 0;
}

static int render_component(json_t *components, json_t *seen, const struct cl_dep *d,
	struct cl_buf *purl, struct cl_buf *ref)
{
	json_t *c = json_object(), *props = json_array(), *lic = NULL;
	int has_purl, error = 0;

	CL_CHECK_ALLOC(c);
	CL_CHECK_ALLOC(props);
	if ((error = dep_purl(purl, d)) < 0)
		goto done;
	has_purl = purl->size > 0;
	if (!has_purl && (error = cl_buf_printf(purl, "clearance:%s:%s", d->ecosystem, d->name)) < 0)
		goto done;
	if ((error = unique_ref(ref, seen, cl_buf_cstr(purl), d->manifest)) < 0)
		goto done;
	if (json_object_set_new(c, "type", json_string("library")) < 0 ||
	    cl_json_set_string(c, "bom-ref", cl_buf_cstr(ref)) < 0 ||
	    cl_json_set_string(c, "name", d->name) < 0 ||
	    cl_json_set_string(c, "version", d->version) < 0 ||
	    cl_json_set_string(c, "purl", has_purl ? cl_buf_cstr(purl) : NULL) < 0 ||
	    json_object_set_new(c, "scope", json_string(cyclonedx_scope(d->scope))) < 0) {
		error = cl_error_set("out of memory");
		goto done;
	}
	if (d->license) {
		/* "expression" takes any SPDX expression, a lone id included. */
		lic = json_object();
		CL_CHECK_ALLOC(lic);
		if (cl_json_set_string(lic, "expression", d->license) < 0 ||
		    json_object_set_new(c, "licenses", json_pack("[O]", lic)) < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
	}
	if ((error = add_property(props, "clearance:ecosystem", d->ecosystem)) < 0 ||
	    (error = add_property(props, "clearance:manifest", d->manifest)) < 0 ||
	    (error = add_property(props, "clearance:relation", relation_name(d->relation))) < 0 ||
	    (error = add_property(props, "clearance:scope", cl_dep_scope_name(d->scope))) < 0)
		goto done;
	if (json_object_set(c, "properties", props) < 0 || json_array_append(components, c) < 0)
		error = cl_error_set("out of memory");
done:
	json_decref(lic);
	json_decref(props);
	json_decref(c);
	return error;
}

static int render_cyclonedx(json_t **out, const struct cl_dep_list *deps)
{
	struct cl_buf purl = CL_BUF_INIT, ref = CL_BUF_INIT;
	json_t *bom = NULL, *components = json_array(), *seen = json_object();
	char stamp[32];
	size_t i;
	int error;

	CL_CHECK_ALLOC(components);
	CL_CHECK_ALLOC(seen);
	if ((error = bom_timestamp(stamp, sizeof(stamp))) < 0)
		goto done;
	for (i = 0; i < deps->count; i++)
		if ((error = render_component(components, seen, &deps->items[i], &purl, &ref)) < 0)
			goto done;
	bom = json_pack("{s:s,s:s,s:i,s:{s:s,s:{s:[{s:s,s:s}]}},s:O}",
		"bomFormat", "CycloneDX", "specVersion", "1.5", "version", 1,
		"metadata", "timestamp", stamp, "tools", "components", "type", "application",
		"name", "clearance", "components", components);
	CL_CHECK_ALLOC(bom);
	*out = bom;
	bom = NULL;
done:
	json_decref(bom);
	json_decref(components);
	json_decref(seen);
	cl_buf_dispose(&purl);
	cl_buf_dispose(&ref);
	return error;
}

/* ---- the command ---------------------------------------------------------- */

static int lookup_tree(git_tree **out, git_repository *repo, const char *rev)
{
	git_object *obj = NULL, *peeled = NULL;
	int error = 0;

	if (git_revparse_single(&obj, repo, rev) < 0 || git_object_peel(&peeled, obj, GIT_OBJECT_TREE) < 0) {
		error = cl_error_from_git(rev);
		goto done;
	}
	*out = (git_tree *)peeled;
	peeled = NULL;
done:
	git_object_free(peeled);
	git_object_free(obj);
	return error;
}

static int write_output(const struct cl_buf *text, json_t *doc)
{
	char *s = NULL;

	if (doc) {
		s = json_dumps(doc, JSON_INDENT(2));
		if (!s)
			return cl_error_set("out of memory");
		fputs(s, stdout);
		fputc('\n', stdout);
		free(s);
	} else {
		fputs(cl_buf_cstr(text), stdout);
	}
	/* A full disk or closed pipe must not pass for a complete inventory. */
	if (fflush(stdout) != 0 || ferror(stdout))
		return cl_error_from_errno("cannot write the inventory");
	return 0;
}

/* The options both subcommands take. */
struct deps_args {
	const char *operand;   /* REV or A..B */
	const char *dir;       /* -C */
	const char *format;
	const char *policy;    /* --policy (diff only) */
};

/*
 * Parse argv into `a` (format preset to the default), and check the format
 * against `formats`. @return 0 to go on, or 1 to stop with *status
 * (--help, or a usage error already reported).
 */
static int deps_parse_args(struct deps_args *a, int *status, int argc, char **argv,
	int allow_policy, const char *const *formats, size_t nformats)
{
	size_t f;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			deps_usage(stdout);
			*status = CL_EXIT_OK;
			return 1;
		} else if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			a->format = argv[++i];
		} else if (!strncmp(argv[i], "--format=", 9)) {
			a->format = argv[i] + 9;
		} else if (allow_policy && !strcmp(argv[i], "--policy") && i + 1 < argc) {
			a->policy = argv[++i];
		} else if (!strcmp(argv[i], "-C") && i + 1 < argc) {
			a->dir = argv[++i];
		} else if (argv[i][0] != '-' && !a->operand) {
			a->operand = argv[i];
		} else {
			deps_usage(stderr);
			*status = CL_EXIT_CONFIG;
			return 1;
		}
	}
	for (f = 0; f < nformats; f++)
		if (!strcmp(a->format, formats[f]))
			return 0;
	fprintf(stderr, "clearance: unknown format '%s' (%s, %s or %s)\n", a->format,
		formats[0], formats[1], formats[2]);
	*status = CL_EXIT_CONFIG;
	return 1;
}

static int deps_inventory(int argc, char **argv)
{
	static const char *const formats[] = { "csv", "json", "cyclonedx" };
	struct deps_args args = { NULL, NULL, "csv", NULL };
	const char *rev, *dir, *format;
	struct inventory_problems problems = { 0 };
	struct cl_dep_list deps = CL_DEP_LIST_INIT;
	struct cl_buf text = CL_BUF_INIT;
	git_repository *repo = NULL;
	git_tree *tree = NULL;
	json_t *doc = NULL;
	int rc = CL_EXIT_CONFIG, error;

	if (deps_parse_args(&args, &rc, argc, argv, 0, formats, 3))
		return rc;
	rev = args.operand;
	dir = args.dir;
	format = args.format;
	rc = CL_EXIT_CONFIG;

	git_libgit2_init();
	if (git_repository_open_ext(&repo, dir ? dir : ".", 0, NULL) < 0) {
		cl_error_from_git("not in a git repository");
		cli_error(NULL);
		goto done;
	}
	if (lookup_tree(&tree, repo, rev ? rev : "HEAD") < 0) {
		cli_error("cannot find the tree");
		goto done;
	}
	if (cl_deps_from_tree(&deps, repo, tree, on_problem, &problems) < 0) {
		cli_error("cannot list the dependencies");
		goto done;
	}
	if (!strcmp(format, "csv"))
		error = render_csv(&text, &deps);
	else if (!strcmp(format, "json"))
		error = render_json(&doc, &deps);
	else
		error = render_cyclonedx(&doc, &deps);
	if (error < 0 || write_output(&text, doc) < 0) {
		cli_error("cannot render the inventory");
		goto done;
	}
	if (problems.count)
		fprintf(stderr, "clearance: %zu file(s) could not be read; their dependencies are not listed\n",
			problems.count);
	rc = problems.count ? CL_EXIT_REJECT : CL_EXIT_OK;
done:
	json_decref(doc);
	cl_buf_dispose(&text);
	cl_dep_list_dispose(&deps);
	git_tree_free(tree);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}

/* ---- deps diff ----------------------------------------------------------- */

/* "+", "-", "~", "!" by enum cl_dep_change_kind. */
static const char change_marks[] = { '+', '-', '~', '!' };

static int diff_text(struct cl_buf *out, const struct cl_deps_deltas *d)
{
	size_t i, counts[4] = { 0, 0, 0, 0 };
	int error = 0;

	for (i = 0; i < d->count && error >= 0; i++) {
		const struct cl_deps_delta *x = &d->items[i];
		const struct cl_dep *dep = x->after ? x->after : x->before;
		const char *bl = x->before_license ? x->before_license : "unknown";
		const char *al = x->after_license ? x->after_license : "unknown";

		counts[x->kind]++;
		error = cl_buf_printf(out, "%c %s:%s ", change_marks[x->kind], dep->ecosystem, dep->name);
		if (error >= 0 && x->before && x->after)
			error = cl_buf_printf(out, "%s -> %s", x->before->version ? x->before->version : "(none)",
				x->after->version ? x->after->version : "(none)");
		else if (error >= 0)
			error = cl_buf_puts(out, dep->version ? dep->version : "(none)");
		if (error >= 0 && x->kind == CL_DEP_LICENSE_CHANGED)
			error = cl_buf_printf(out, " [%s -> %s]", bl, al);
		else if (error >= 0)
			error = cl_buf_printf(out, " [%s]", x->after ? al : bl);
		if (error >= 0)
			error = cl_buf_printf(out, " %s (%s, %s)\n", dep->manifest, cl_dep_scope_name(dep->scope),
				relation_name(dep->relation));
	}
	if (error >= 0)
		error = cl_buf_printf(out, "%zu added, %zu removed, %zu upgraded or downgraded, %zu relicensed\n",
			counts[CL_DEP_ADDED], counts[CL_DEP_REMOVED], counts[CL_DEP_VERSION_CHANGED],
			counts[CL_DEP_LICENSE_CHANGED]);
	return error;
}

static json_t *side_json(const struct cl_dep *d, const char *license, const char *source)
{
	json_t *o;

	if (!d)
		return json_null();
	if ((o = json_object()) == NULL)
		return NULL;
	if (set_string_or_null(o, "version", d->version) < 0 ||
	    set_string_or_null(o, "license", license) < 0 ||
	    set_string_or_null(o, "license_source", source) < 0 ||
	    cl_json_set_string(o, "manifest", d->manifest) < 0 ||
	    json_object_set_new(o, "scope", json_string(cl_dep_scope_name(d->scope))) < 0 ||
	    json_object_set_new(o, "relation", json_string(relation_name(d->relation))) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int diff_json(json_t **out, const struct cl_deps_deltas *d)
{
	struct cl_buf purl = CL_BUF_INIT;
	json_t *arr = json_array(), *obj = NULL;
	size_t i;
	int error = 0;

	CL_CHECK_ALLOC(arr);
	for (i = 0; i < d->count; i++) {
		const struct cl_deps_delta *x = &d->items[i];
		const struct cl_dep *dep = x->after ? x->after : x->before;

		if ((error = dep_purl(&purl, dep)) < 0)
			goto done;
		obj = json_object();
		CL_CHECK_ALLOC(obj);
		if (json_object_set_new(obj, "change", json_string(cl_dep_change_kind_name(x->kind))) < 0 ||
		    cl_json_set_string(obj, "ecosystem", dep->ecosystem) < 0 ||
		    cl_json_set_string(obj, "name", dep->name) < 0 ||
		    set_string_or_null(obj, "purl", purl.size ? cl_buf_cstr(&purl) : NULL) < 0 ||
		    json_object_set_new(obj, "before", side_json(x->before, x->before_license, x->before_source)) < 0 ||
		    json_object_set_new(obj, "after", side_json(x->after, x->after_license, x->after_source)) < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
		error = json_array_append_new(arr, obj);
		obj = NULL;
		if (error < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
	}
	*out = arr;
	arr = NULL;
done:
	json_decref(obj);
	json_decref(arr);
	cl_buf_dispose(&purl);
	return error;
}

/* The BOM of the added components, with the licenses the diff resolved. */
static int diff_cyclonedx(json_t **out, const struct cl_deps_deltas *d)
{
	struct cl_dep_list added = CL_DEP_LIST_INIT;
	size_t i;
	int error = 0;

	for (i = 0; i < d->count && error >= 0; i++) {
		struct cl_dep dep;
		if (d->items[i].kind != CL_DEP_ADDED)
			continue;
		dep = *d->items[i].after;
		dep.license = d->items[i].after_license;
		error = cl_dep_list_add(&added, &dep);
	}
	if (error >= 0)
		error = render_cyclonedx(out, &added);
	cl_dep_list_dispose(&added);
	return error;
}

/* "A..B", "A..", "..B": A and B, HEAD where left out. */
static int split_range(char **a, char **b, const char *range)
{
	const char *dots = strstr(range, "..");

	if (!dots || dots[2] == '.')
		return cl_error_setc(CL_EINVALID, "expected a range A..B, got '%s'", range);
	*a = dots == range ? strdup("HEAD") : strndup(range, (size_t)(dots - range));
	*b = dots[2] ? strdup(dots + 2) : strdup("HEAD");
	if (!*a || !*b) {
		free(*a);
		free(*b);
		return cl_error_set("out of memory");
	}
	return 0;
}

static int deps_diff(int argc, char **argv)
{
	static const char *const formats[] = { "text", "json", "cyclonedx" };
	struct deps_args args = { NULL, NULL, "text", NULL };
	const char *range, *dir, *format, *given;
	struct cl_deps_deltas deltas = CL_DEPS_DELTAS_INIT;
	struct cl_policy *policy = NULL;
	struct cl_buf text = CL_BUF_INIT;
	git_repository *repo = NULL;
	git_tree *ta = NULL, *tb = NULL;
	char *a = NULL, *b = NULL, *source = NULL;
	json_t *doc = NULL;
	size_t i;
	int rc = CL_EXIT_CONFIG, error;

	if (deps_parse_args(&args, &rc, argc, argv, 1, formats, 3))
		return rc;
	range = args.operand;
	dir = args.dir;
	format = args.format;
	given = args.policy;
	rc = CL_EXIT_CONFIG;
	if (!range) {
		deps_usage(stderr);
		return CL_EXIT_CONFIG;
	}
	if (split_range(&a, &b, range) < 0) {
		cli_error(NULL);
		return CL_EXIT_CONFIG;
	}

	git_libgit2_init();
	/*
	 * git itself does not re-hash objects it reads back; libgit2 does by
	 * default, which was an eighth of a large lock-file diff (bench/deps.sh).
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	if (git_repository_open_ext(&repo, dir ? dir : ".", 0, NULL) < 0) {
		cl_error_from_git("not in a git repository");
		cli_error(NULL);
		goto done;
	}
	if (cli_load_policy(&policy, &source, repo, given) < 0) {
		cli_error("cannot load the policy");
		goto done;
	}
	if (lookup_tree(&ta, repo, a) < 0 || lookup_tree(&tb, repo, b) < 0) {
		cli_error("cannot find the tree");
		goto done;
	}
	if (cl_deps_deltas_compute(&deltas, repo, ta, tb, cl_policy_deps(policy)) < 0) {
		cli_error("cannot compare the dependencies");
		goto done;
	}
	for (i = 0; i < deltas.problem_count; i++)
		fprintf(stderr, "clearance: %s\n", deltas.problems[i].message);
	if (!strcmp(format, "text"))
		error = diff_text(&text, &deltas);
	else if (!strcmp(format, "json"))
		error = diff_json(&doc, &deltas);
	else
		error = diff_cyclonedx(&doc, &deltas);
	if (error < 0 || write_output(&text, doc) < 0) {
		cli_error("cannot render the diff");
		goto done;
	}
	if (deltas.problem_count)
		fprintf(stderr, "clearance: %zu file(s) could not be read; their dependencies are not compared\n",
			deltas.problem_count);
	rc = deltas.problem_count ? CL_EXIT_REJECT : CL_EXIT_OK;
done:
	json_decref(doc);
	cl_buf_dispose(&text);
	cl_deps_deltas_dispose(&deltas);
	cl_policy_free(policy);
	free(source);
	free(a);
	free(b);
	git_tree_free(ta);
	git_tree_free(tb);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}

/* Subcommands of `clearance deps`. */
static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} deps_commands[] = {
	{ "inventory", deps_inventory },
	{ "diff", deps_diff },
};

int cmd_deps(int argc, char **argv)
{
	size_t i;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		deps_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CL_EXIT_CONFIG : CL_EXIT_OK;
	}
	for (i = 0; i < sizeof(deps_commands) / sizeof(deps_commands[0]); i++)
		if (!strcmp(argv[1], deps_commands[i].name))
			return deps_commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "clearance: unknown deps command '%s' (known: inventory, diff)\n", argv[1]);
	return CL_EXIT_CONFIG;
}
