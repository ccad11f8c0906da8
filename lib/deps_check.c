/*
 * deps_check.c - the dependency check (see deps_check.h).
 *
 * Divisions: 1. which directories changed  2. reading both sides
 *            3. licenses  4. deltas  5. findings
 */
#include "deps_check.h"
#include "buf.h"
#include "check.h"
#include "deps_license.h"
#include "deps_online.h"
#include "deps_tree.h"
#include "error.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>


/* ---- 1. which directories changed -------------------------------------- */

struct dir_set {
	char **dirs;      /* "" or "a/b/" */
	size_t count, alloc;
};

static void dir_set_dispose(struct dir_set *s)
{
	size_t i;
	for (i = 0; i < s->count; i++)
		free(s->dirs[i]);
	free(s->dirs);
	memset(s, 0, sizeof(*s));
}

static int dir_set_add(struct dir_set *s, const char *dir, size_t len)
{
	size_t i;

	for (i = 0; i < s->count; i++)
		if (strlen(s->dirs[i]) == len && !memcmp(s->dirs[i], dir, len))
			return 0;
	if (s->count == s->alloc) {
		size_t n = s->alloc ? 2 * s->alloc : 8;
		char **p = realloc(s->dirs, n * sizeof(*p));
		if (!p)
			return cl_error_set("out of memory");
		s->dirs = p;
		s->alloc = n;
	}
	if ((s->dirs[s->count] = strndup(dir, len)) == NULL)
		return cl_error_set("out of memory");
	s->count++;
	return 0;
}

/* Is any directory of `path` one that holds vendored copies? */
static int in_skipped_dir(const char *path)
{
	const char *p = path, *slash;
	char part[256];

	while ((slash = strchr(p, '/')) != NULL) {
		size_t n = (size_t)(slash - p);
		if (n < sizeof(part)) {
			memcpy(part, p, n);
			part[n] = '\0';
			if (cl_deps_tree_skipped_dir(part))
				return 1;
		}
		p = slash + 1;
	}
	return 0;
}

static int diff_file(struct dir_set *dirs, const git_diff_file *f)
{
	const char *slash;

	if (!f->path || !(f->flags & GIT_DIFF_FLAG_EXISTS))
		return 0;
	/* A submodule moved: .gitmodules (at the top) gives it its name. */
	if (f->mode == GIT_FILEMODE_COMMIT)
		return dir_set_add(dirs, "", 0);
	if (in_skipped_dir(f->path) || !cl_dep_format_for_path(f->path))
		return 0;
	slash = strrchr(f->path, '/');
	return dir_set_add(dirs, f->path, slash ? (size_t)(slash + 1 - f->path) : 0);
}

static int changed_dirs(struct dir_set *out, git_repository *repo, git_tree *old_tree, git_tree *new_tree)
{
	git_diff_options opts;
	git_diff *diff = NULL;
	size_t i, n;
	int error = 0;

	if (git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION) < 0)
		return cl_error_from_git("cannot set up a tree comparison");
	/* Blob ids are compared, never contents: nothing is read here. */
	opts.flags = GIT_DIFF_NORMAL;
	opts.ignore_submodules = GIT_SUBMODULE_IGNORE_NONE;
	if (git_diff_tree_to_tree(&diff, repo, old_tree, new_tree, &opts) < 0)
		return cl_error_from_git("cannot compare the trees");
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n && error >= 0; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if ((error = diff_file(out, &d->old_file)) >= 0)
			error = diff_file(out, &d->new_file);
	}
	git_diff_free(diff);
	return error;
}

/* ---- 2. reading both sides --------------------------------------------- */

struct side_reader {
	git_repository *repo;
	git_tree *old_tree, *new_tree;
	struct cl_dep_list *before, *after;
	struct cl_deps_deltas *out;
	struct cl_buf path;
};

static int add_problem(struct cl_deps_deltas *out, const char *path, int code, const char *message)
{
	struct cl_deps_problem *p = realloc(out->problems, (out->problem_count + 1) * sizeof(*p));

	if (!p)
		return cl_error_set("out of memory");
	out->problems = p;
	p = &out->problems[out->problem_count];
	p->code = code;
	p->path = strdup(path);
	p->message = strdup(message);
	if (!p->path || !p->message) {
		free(p->path);
		free(p->message);
		return cl_error_set("out of memory");
	}
	out->problem_count++;
	return 0;
}

/* The subtree `dir` ("" or "a/b/") of `tree`, or NULL when it has none. */
static int subtree(git_tree **out, git_repository *repo, git_tree *tree, const char *dir)
{
	git_tree_entry *e = NULL;
	char *d;
	int error = 0;

	*out = NULL;
	if (!tree)
		return 0;
	if (!*dir)
		return git_tree_dup(out, tree) < 0 ? cl_error_from_git("cannot read a tree") : 0;
	if ((d = strndup(dir, strlen(dir) - 1)) == NULL)
		return cl_error_set("out of memory");
	if (git_tree_entry_bypath(&e, tree, d) < 0 || git_tree_entry_type(e) != GIT_OBJECT_TREE) {
		git_error_clear();
		goto done;
	}
	if (git_tree_lookup(out, repo, git_tree_entry_id(e)) < 0)
		error = cl_error_from_git(d);
done:
	git_tree_entry_free(e);
	free(d);
	return error;
}

static const git_tree_entry *manifest_entry(git_tree *t, const char *name)
{
	const git_tree_entry *e = t ? git_tree_entry_byname(t, name) : NULL;
	git_filemode_t mode;

	if (!e)
		return NULL;
	mode = git_tree_entry_filemode(e);
	return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE ? e : NULL;
}

/* Parse `path` (blob `id` of `tree`) onto `list`; on the new side a failure is a problem. */
static int read_one(struct side_reader *r, struct cl_dep_list *list, git_tree *tree,
	const char *path, const git_oid *id, int new_side)
{
	struct cl_dep_list tmp = CL_DEP_LIST_INIT;
	size_t i;
	int error = cl_deps_from_blob(&tmp, r->repo, tree, path, id);

	if (error == CL_EINVALID || error == CL_ETOOBIG) {
		/* The old side is history: what it failed to say cannot be judged now. */
		if (new_side)
			error = add_problem(r->out, path, error, cl_error_last());
		else
			error = 0;
		cl_error_clear();
		goto done;
	}
	if (error == CL_ENOTFOUND) {
		cl_error_clear();
		error = 0;
		goto done;
	}
	for (i = 0; error >= 0 && i < tmp.count; i++)
		error = cl_dep_list_add(list, &tmp.items[i]);
done:
	cl_dep_list_dispose(&tmp);
	return error;
}

static int read_file(struct side_reader *r, const char *dir, const char *name,
	const git_tree_entry *eo, const git_tree_entry *en)
{
	int error;

	cl_buf_clear(&r->path);
	if ((error = cl_buf_printf(&r->path, "%s%s", dir, name)) < 0)
		return error;
	if (!cl_dep_format_for_path(cl_buf_cstr(&r->path)))
		return 0;
	/*
	 * An unchanged file is read once for both sides - except .gitmodules,
	 * whose versions are the gitlinks of its tree, not its own bytes.
	 */
	if (eo && en && git_oid_equal(git_tree_entry_id(eo), git_tree_entry_id(en)) &&
	    strcmp(name, ".gitmodules") != 0) {
		size_t start = r->after->count, i;
		if ((error = read_one(r, r->after, r->new_tree, cl_buf_cstr(&r->path),
				git_tree_entry_id(en), 1)) < 0)
			return error;
		for (i = start; i < r->after->count; i++)
			if ((error = cl_dep_list_add(r->before, &r->after->items[i])) < 0)
				return error;
		return 0;
	}
	if (eo && (error = read_one(r, r->before, r->old_tree, cl_buf_cstr(&r->path),
			git_tree_entry_id(eo), 0)) < 0)
		return error;
	if (en && (error = read_one(r, r->after, r->new_tree, cl_buf_cstr(&r->path),
			git_tree_entry_id(en), 1)) < 0)
		return error;
	return 0;
}

/* Every manifest of `dir`, on both sides. */
static int read_dir(struct side_reader *r, const char *dir)
{
	git_tree *to = NULL, *tn = NULL;
	size_t i;
	int error;

	if ((error = subtree(&to, r->repo, r->old_tree, dir)) < 0 ||
	    (error = subtree(&tn, r->repo, r->new_tree, dir)) < 0)
		goto done;
	for (i = 0; tn && i < git_tree_entrycount(tn); i++) {
		const char *name = git_tree_entry_name(git_tree_entry_byindex(tn, i));
		const git_tree_entry *en = manifest_entry(tn, name);
		if (en && (error = read_file(r, dir, name, manifest_entry(to, name), en)) < 0)
			goto done;
	}
	/* Files only the old side has: removed manifests. */
	for (i = 0; to && i < git_tree_entrycount(to); i++) {
		const char *name = git_tree_entry_name(git_tree_entry_byindex(to, i));
		const git_tree_entry *eo = manifest_entry(to, name);
		if (eo && !manifest_entry(tn, name) && (error = read_file(r, dir, name, eo, NULL)) < 0)
			goto done;
	}
done:
	git_tree_free(to);
	git_tree_free(tn);
	return error;
}

/* ---- 3. licenses ------------------------------------------------------- */

struct resolver {
	git_repository *repo;
	const struct cl_deps_options *opts;   /* may be NULL */
	struct cl_deps_online *online;
	int online_failed;                    /* a lookup failed: no more for this push */
	char online_error[256];               /* why the online source is not used */
};

static int set_note(char **out, const char *fmt, const char *what)
{
	struct cl_buf b = CL_BUF_INIT;

	if (cl_buf_printf(&b, fmt, what) < 0) {
		cl_buf_dispose(&b);
		return cl_error_set("out of memory");
	}
	*out = cl_buf_detach(&b);
	return *out ? 0 : cl_error_set("out of memory");
}

/*
 * The license of `dep` as found in `tree` (see deps_check.h for the order).
 * *out NULL when unknown; *note says why when a source failed.
 */
static int resolve(char **out, const char **source, char **note, struct resolver *rs,
	git_tree *tree, const struct cl_dep *dep)
{
	const struct cl_deps_known *known;
	int error;

	*out = NULL;
	*source = NULL;
	*note = NULL;
	if (dep->license && !cl_deps_license_is_unknown(dep->license)) {
		*source = "lock file";
		return (*out = strdup(dep->license)) ? 0 : cl_error_set("out of memory");
	}
	error = cl_deps_license_vendored(out, rs->repo, tree, dep);
	if (error == 0 && !cl_deps_license_is_unknown(*out)) {
		*source = "vendored metadata";
		return 0;
	}
	free(*out);
	*out = NULL;
	if (error < 0 && error != CL_ENOTFOUND)
		return error;
	known = rs->opts ? cl_deps_options_known(rs->opts, dep) : NULL;
	if (known) {
		*source = "deps.known";
		return (*out = strdup(known->license)) ? 0 : cl_error_set("out of memory");
	}
	if (!rs->opts || !rs->opts->online.enabled)
		return 0;
	if (rs->online && !rs->online_failed) {
		error = cl_deps_online_license(out, rs->online, dep);
		if (error == 0) {
			*source = "online";
			return 0;
		}
		if (error == CL_ENOTFOUND) {
			cl_error_clear();
			return 0;
		}
		*out = NULL;
		/*
		 * The license is then unknown, and the finding says why. One
		 * failure stops the lookups for this push: a service that hangs
		 * must not cost a timeout per dependency of a large lock file.
		 */
		rs->online_failed = 1;
		snprintf(rs->online_error, sizeof(rs->online_error), "%s", cl_error_last());
		error = set_note(note, "the online lookup failed: %s", cl_error_last());
		cl_error_clear();
		return error;
	}
	return set_note(note, "the online lookup is not available: %s", rs->online_error);
}

static int resolver_init(struct resolver *rs, git_repository *repo, const struct cl_deps_options *opts)
{
	memset(rs, 0, sizeof(*rs));
	rs->repo = repo;
	rs->opts = opts;
	snprintf(rs->online_error, sizeof(rs->online_error),
		"this clearance was built without the online source");
	if (!opts || !opts->online.enabled)
		return 0;
	{
		struct cl_deps_online_options o = CL_DEPS_ONLINE_OPTIONS_INIT;
		o.enabled = 1;
		o.provider = cl_deps_provider_name(opts->online.provider);
		o.base_url = opts->online.base_url;
		o.cache_path = opts->online.cache;
		/* An unreachable service makes licenses unknown, never the push fail. */
		if (cl_deps_online_new(&rs->online, &o) < 0) {
			snprintf(rs->online_error, sizeof(rs->online_error), "%s", cl_error_last());
			cl_error_clear();
			rs->online = NULL;
		}
	}
	return 0;
}

static void resolver_dispose(struct resolver *rs)
{
	cl_deps_online_free(rs->online);
	rs->online = NULL;
}

/* ---- 4. deltas --------------------------------------------------------- */

void cl_deps_deltas_dispose(struct cl_deps_deltas *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->count; i++) {
		free(d->items[i].before_license);
		free(d->items[i].after_license);
		free(d->items[i].after_note);
	}
	free(d->items);
	for (i = 0; i < d->problem_count; i++) {
		free(d->problems[i].path);
		free(d->problems[i].message);
	}
	free(d->problems);
	cl_dep_changes_dispose(&d->changes);
	memset(d, 0, sizeof(*d));
}

static int delta_fill(struct cl_deps_delta *x, struct resolver *rs, git_tree *old_tree,
	git_tree *new_tree, const struct cl_dep_change *c)
{
	char *ignored = NULL;
	int error = 0;

	memset(x, 0, sizeof(*x));
	x->kind = c->kind;
	x->before = c->before;
	x->after = c->after;
	if (c->after && (error = resolve(&x->after_license, &x->after_source, &x->after_note, rs,
			new_tree, c->after)) < 0)
		return error;
	if (c->before &&
	    (error = resolve(&x->before_license, &x->before_source, &ignored, rs, old_tree, c->before)) < 0)
		return error;
	free(ignored);
	if (x->kind == CL_DEP_VERSION_CHANGED && x->before_license && x->after_license &&
	    !cl_deps_license_equal(x->before_license, x->after_license))
		x->kind = CL_DEP_LICENSE_CHANGED;
	/* The OSPO pinned this version's license; the lock file now says otherwise. */
	if (c->after && c->after->license && rs->opts) {
		const struct cl_deps_known *k = cl_deps_options_known(rs->opts, c->after);
		if (k && !cl_deps_license_equal(k->license, c->after->license))
			x->known_conflict = k->license;
	}
	return 0;
}

/* "dir\neco\nname\nversion": a reconciled entry's identity and version. */
static int promo_key(struct cl_buf *b, const struct cl_dep *d)
{
	const char *slash = d->manifest ? strrchr(d->manifest, '/') : NULL;

	cl_buf_clear(b);
	return cl_buf_printf(b, "%.*s\n%s\n%s\n%s", slash ? (int)(slash - d->manifest) : 0,
		slash ? d->manifest : "", d->ecosystem, d->name, d->version ? d->version : "");
}

/* The deltas of dependencies that left an ignored scope at the same version. */
static int add_promotions(struct cl_deps_deltas *d, struct resolver *rs, git_tree *old_tree,
	git_tree *new_tree, const struct cl_deps_options *opts)
{
	const struct cl_dep_list *before = &d->changes.before, *after = &d->changes.after;
	struct cl_buf key = CL_BUF_INIT;
	json_t *ignored = NULL, *idx;
	size_t i;
	int error = 0;

	if (!opts || opts->ignore_scope_count == 0)
		return 0;
	ignored = json_object();
	CL_CHECK_ALLOC(ignored);
	for (i = 0; i < before->count; i++) {
		if (!cl_deps_options_ignores_scope(opts, before->items[i].scope))
			continue;
		if ((error = promo_key(&key, &before->items[i])) < 0)
			goto done;
		if (json_object_set_new_nocheck(ignored, cl_buf_cstr(&key), json_integer((json_int_t)i)) < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
	}
	for (i = 0; i < after->count && json_object_size(ignored); i++) {
		const struct cl_dep *a = &after->items[i];
		struct cl_dep_change c;
		struct cl_deps_delta *grown;

		if (cl_deps_options_ignores_scope(opts, a->scope))
			continue;
		if ((error = promo_key(&key, a)) < 0)
			goto done;
		if ((idx = json_object_get(ignored, cl_buf_cstr(&key))) == NULL)
			continue;
		grown = realloc(d->items, (d->count + 1) * sizeof(*grown));
		CL_CHECK_ALLOC(grown);
		d->items = grown;
		c.kind = CL_DEP_VERSION_CHANGED;
		c.before = &before->items[json_integer_value(idx)];
		c.after = a;
		d->count++;
		if ((error = delta_fill(&d->items[d->count - 1], rs, old_tree, new_tree, &c)) < 0)
			goto done;
		d->items[d->count - 1].scope_promoted = 1;
	}
done:
	json_decref(ignored);
	cl_buf_dispose(&key);
	return error;
}

int cl_deps_deltas_compute(struct cl_deps_deltas *out, git_repository *repo,
	git_tree *old_tree, git_tree *new_tree, const struct cl_deps_options *opts)
{
	struct cl_deps_deltas d = CL_DEPS_DELTAS_INIT;
	struct cl_dep_list before = CL_DEP_LIST_INIT, after = CL_DEP_LIST_INIT;
	struct dir_set dirs = { NULL, 0, 0 };
	struct side_reader r;
	struct resolver rs;
	size_t i;
	int error;

	memset(&r, 0, sizeof(r));
	if ((error = resolver_init(&rs, repo, opts)) < 0)
		return error;
	if ((error = changed_dirs(&dirs, repo, old_tree, new_tree)) < 0)
		goto done;
	r.repo = repo;
	r.old_tree = old_tree;
	r.new_tree = new_tree;
	r.before = &before;
	r.after = &after;
	r.out = &d;
	for (i = 0; i < dirs.count; i++)
		if ((error = read_dir(&r, dirs.dirs[i])) < 0)
			goto done;
	if ((error = cl_deps_diff(&d.changes, &before, &after)) < 0)
		goto done;
	if (d.changes.count) {
		d.items = calloc(d.changes.count, sizeof(*d.items));
		CL_CHECK_ALLOC(d.items);
	}
	for (i = 0; i < d.changes.count; i++) {
		d.count = i + 1;   /* so that a half-filled entry is disposed of */
		if ((error = delta_fill(&d.items[i], &rs, old_tree, new_tree, &d.changes.items[i])) < 0)
			goto done;
	}
	if ((error = add_promotions(&d, &rs, old_tree, new_tree, opts)) < 0)
		goto done;
	*out = d;
	memset(&d, 0, sizeof(d));
done:
	cl_deps_deltas_dispose(&d);
	cl_dep_list_dispose(&before);
	cl_dep_list_dispose(&after);
	dir_set_dispose(&dirs);
	cl_buf_dispose(&r.path);
	resolver_dispose(&rs);
	return error;
}

/* ---- 5. findings ------------------------------------------------------- */

/* How much a finding asks of people: notice < warning < review < error. The
 * running maximum is kept as rank + 1, so 0 means nothing was said yet. */
static int said_rank(int said, enum cl_severity sev)
{
	int rank = sev == CL_SEVERITY_ERROR ? 4 : sev == CL_SEVERITY_REVIEW ? 3 :
		sev == CL_SEVERITY_WARNING ? 2 : 1;
	return rank > said ? rank : said;
}

static enum cl_severity action_severity(enum cl_deps_action a)
{
	switch (a) {
	case CL_DEPS_NOTICE:
		return CL_SEVERITY_NOTICE;
	case CL_DEPS_REVIEW:
		return CL_SEVERITY_REVIEW;
	case CL_DEPS_REJECT:
		return CL_SEVERITY_ERROR;
	case CL_DEPS_ALLOW:
	default:
		CL_BUG("no severity for this deps action");
	}
}

/*
 * Verdicts by license text: a lock file of thousands of packages names a
 * few dozen licenses, and judging one compiles a pattern per license id.
 */
struct verdict_cache {
	char **texts;                           /* "" stands for no license */
	struct cl_deps_license_result *results;
	size_t count, alloc;
};

struct finding_ctx {
	struct cl_check_ctx *ctx;
	const struct cl_deps_options *opts;
	struct cl_buf what, msg, remedy, key, ref;
	struct verdict_cache verdicts;
};

static void verdict_cache_dispose(struct verdict_cache *c)
{
	size_t i;
	for (i = 0; i < c->count; i++) {
		free(c->texts[i]);
		cl_deps_license_result_dispose(&c->results[i]);
	}
	free(c->texts);
	free(c->results);
	memset(c, 0, sizeof(*c));
}

/* The verdict on `text` (NULL: none); *out points into the cache. */
static int judge_cached(const struct cl_deps_license_result **out, struct finding_ctx *fc, const char *text)
{
	struct verdict_cache *c = &fc->verdicts;
	const char *key = text ? text : "";
	size_t i;
	int error;

	for (i = 0; i < c->count; i++)
		if (!strcmp(c->texts[i], key)) {
			*out = &c->results[i];
			return 0;
		}
	if (c->count == c->alloc) {
		size_t n = c->alloc ? 2 * c->alloc : 16;
		char **t = realloc(c->texts, n * sizeof(*t));
		struct cl_deps_license_result *r;
		if (!t)
			return cl_error_set("out of memory");
		c->texts = t;
		if ((r = realloc(c->results, n * sizeof(*r))) == NULL)
			return cl_error_set("out of memory");
		c->results = r;
		c->alloc = n;
	}
	if ((c->texts[c->count] = strdup(key)) == NULL)
		return cl_error_set("out of memory");
	if ((error = cl_deps_license_judge(&c->results[c->count], text, &fc->opts->allow, &fc->opts->deny)) < 0) {
		free(c->texts[c->count]);
		return error;
	}
	*out = &c->results[c->count++];
	return 0;
}

static const char *ver(const struct cl_dep *d)
{
	return d && d->version ? d->version : "(none)";
}

/*
 * "npm:a 1.0.0 -> 2.0.0 (runtime)", "npm:a (none) -> 1.3.0 (new, direct, dev)"
 * or "npm:a 1.0.0 (runtime, was dev)": what the finding is about, versions first.
 */
static int describe(struct finding_ctx *fc, const struct cl_deps_delta *x)
{
	const struct cl_dep *d = x->after;

	cl_buf_clear(&fc->what);
	if (x->scope_promoted)
		return cl_buf_printf(&fc->what, "%s:%s %s (%s, was %s)", d->ecosystem, d->name, ver(d),
			cl_dep_scope_name(d->scope), cl_dep_scope_name(x->before->scope));
	if (x->before)
		return cl_buf_printf(&fc->what, "%s:%s %s -> %s (%s)", d->ecosystem, d->name,
			ver(x->before), ver(d), cl_dep_scope_name(d->scope));
	return cl_buf_printf(&fc->what, "%s:%s (none) -> %s (new, %s, %s)", d->ecosystem, d->name,
		ver(d), d->relation == CL_DEP_DIRECT ? "direct" : d->relation == CL_DEP_TRANSITIVE ?
		"transitive" : "relation unknown", cl_dep_scope_name(d->scope));
}

static int emit(struct finding_ctx *fc, const struct cl_dep *d, enum cl_severity sev, const char *rule)
{
	struct cl_finding f;
	int error;

	cl_buf_clear(&fc->key);
	if ((error = cl_buf_printf(&fc->key, "deps:%s:%s", d->ecosystem, d->name)) < 0)
		return error;
	memset(&f, 0, sizeof(f));
	f.check = "deps";
	f.severity = sev;
	f.ref = fc->ctx->ref;
	f.path = d->manifest;
	f.line = d->line;
	f.rule = rule;
	f.message = cl_buf_cstr(&fc->msg);
	f.remedy = fc->remedy.size ? cl_buf_cstr(&fc->remedy) : NULL;
	f.key = cl_buf_cstr(&fc->key);
	return cl_findings_add(fc->ctx->findings, &f);
}

static const char *lic(const char *s)
{
	return s ? s : "unknown";
}

/* The purl-ish name a policy would use: "npm:left-pad@1.3.0". */
static int policy_name(struct cl_buf *b, const struct cl_dep *d)
{
	cl_buf_clear(b);
	return d->version ? cl_buf_printf(b, "%s:%s@%s", d->ecosystem, d->name, d->version) :
		cl_buf_printf(b, "%s:%s", d->ecosystem, d->name);
}

static int judge_delta(struct finding_ctx *fc, const struct cl_deps_delta *x)
{
	const struct cl_deps_options *o = fc->opts;
	const struct cl_dep *d = x->after;
	const struct cl_deps_license_result *lr = NULL;
	const char *denied_pkg, *what, *ref;
	struct cl_deps_ref deny_ref;
	int said = 0, error;

	if (!d || cl_deps_options_ignores_scope(o, d->scope))
		return 0;
	if ((error = describe(fc, x)) < 0 || (error = policy_name(&fc->ref, d)) < 0)
		return error;
	what = cl_buf_cstr(&fc->what);
	ref = cl_buf_cstr(&fc->ref);

	if ((denied_pkg = cl_deps_options_denied_package(o, d)) != NULL) {
		int versioned = cl_deps_ref_parse(&deny_ref, denied_pkg) == 0 && deny_ref.version;
		cl_buf_clear(&fc->msg);
		cl_buf_clear(&fc->remedy);
		if ((error = cl_buf_printf(&fc->msg, "%s, license %s: the package is denied by deps.packages.deny '%s'",
				what, lic(x->after_license), denied_pkg)) < 0 ||
		    (error = cl_buf_printf(&fc->remedy, "remove %s from %s%s", ref, d->manifest,
				versioned ? ", or use a version the policy does not deny" : "")) < 0 ||
		    (error = emit(fc, d, CL_SEVERITY_ERROR, "deps.package-denied")) < 0)
			return error;
		/* Denied whatever its license: more findings about it would be noise. */
		return 0;
	}

	if ((error = judge_cached(&lr, fc, x->after_license)) < 0)
		return error;
	cl_buf_clear(&fc->msg);
	cl_buf_clear(&fc->remedy);
	switch (lr->verdict) {
	case CL_DEPS_LICENSE_ALLOWED:
		break;
	case CL_DEPS_LICENSE_DENIED:
		if ((error = cl_buf_printf(&fc->msg, "%s: license %s is denied (%s in deps.licenses.deny)",
				what, lr->expression, lr->detail)) < 0 ||
		    (error = cl_buf_printf(&fc->remedy,
				"replace %s with a dependency under an allowed license, or ask the OSPO "
				"for an exception", ref)) < 0 ||
		    (error = emit(fc, d, CL_SEVERITY_ERROR, "deps.license-denied")) < 0)
			goto done;
		said = said_rank(said, CL_SEVERITY_ERROR);
		break;
	case CL_DEPS_LICENSE_NOT_ALLOWED:
		if ((error = cl_buf_printf(&fc->msg, "%s: license %s is not allowed (%s not on deps.licenses.allow)",
				what, lr->expression, lr->detail)) < 0 ||
		    (error = cl_buf_printf(&fc->remedy,
				"replace %s with a dependency under an allowed license, or ask the OSPO "
				"to allow its license", ref)) < 0 ||
		    (error = emit(fc, d, CL_SEVERITY_ERROR, "deps.license-not-allowed")) < 0)
			goto done;
		said = said_rank(said, CL_SEVERITY_ERROR);
		break;
	case CL_DEPS_LICENSE_UNKNOWN:
		if ((error = cl_buf_printf(&fc->msg, "%s: license unknown (%s%s%s)", what, lr->detail,
				x->after_note ? "; " : "", x->after_note ? x->after_note : "")) < 0 ||
		    (error = cl_buf_printf(&fc->remedy,
				"ask the OSPO to review %s and record its license in the policy: "
				"deps.known: - %s: SPDX-EXPRESSION", ref, ref)) < 0 ||
		    (error = emit(fc, d, action_severity(o->on_unknown_license), "deps.license-unknown")) < 0)
			goto done;
		said = said_rank(said, action_severity(o->on_unknown_license));
		break;
	default:
		CL_BUG("unknown license verdict");
	}

	if (x->kind == CL_DEP_LICENSE_CHANGED || x->known_conflict) {
		const char *from = x->known_conflict ? x->known_conflict : x->before_license;
		cl_buf_clear(&fc->msg);
		cl_buf_clear(&fc->remedy);
		if (x->known_conflict)
			error = cl_buf_printf(&fc->msg, "%s: relicensed %s -> %s (deps.known pins %s to %s; "
				"%s says %s)", what, from, lic(x->after_license), ref, x->known_conflict,
				d->manifest, lic(d->license));
		else
			error = cl_buf_printf(&fc->msg, "%s: relicensed %s (%s) -> %s (%s)", what,
				lic(x->before_license), ver(x->before), lic(x->after_license), ver(d));
		if (error < 0 ||
		    (error = x->before ? cl_buf_printf(&fc->remedy,
				"pin %s:%s to %s (the last version under %s), or ask the OSPO to review "
				"the new license and update deps.known", d->ecosystem, d->name,
				ver(x->before), lic(from)) :
			cl_buf_printf(&fc->remedy, "ask the OSPO to review the new license and update "
				"deps.known for %s", ref)) < 0 ||
		    (error = emit(fc, d, action_severity(o->on_license_change), "deps.license-changed")) < 0)
			goto done;
		said = said_rank(said, action_severity(o->on_license_change));
	}

	/* A new dependency is still reported as new when what was said of it asks
	 * less of a person than deps.on_new does (an unknown license noticed, a
	 * new dependency to review). */
	if (x->kind == CL_DEP_ADDED && o->on_new != CL_DEPS_ALLOW &&
	    said < said_rank(0, action_severity(o->on_new))) {
		cl_buf_clear(&fc->msg);
		cl_buf_clear(&fc->remedy);
		if ((error = cl_buf_printf(&fc->msg, "%s, license %s: a new dependency", what,
				lic(lr->expression))) < 0 ||
		    (error = o->on_new == CL_DEPS_REJECT ?
			cl_buf_printf(&fc->remedy, "ask the OSPO to approve %s and add it to deps.known", ref) :
			o->on_new == CL_DEPS_REVIEW ?
			cl_buf_printf(&fc->remedy, "nothing to do now: the OSPO reviews new dependencies "
				"(deps.on_new: review)") : 0) < 0 ||
		    (error = emit(fc, d, action_severity(o->on_new), "deps.new")) < 0)
			goto done;
	}
done:
	return error;
}

static int problem_finding(struct finding_ctx *fc, const struct cl_deps_problem *p)
{
	struct cl_finding f;
	int error;

	cl_buf_clear(&fc->msg);
	cl_buf_clear(&fc->key);
	if ((error = cl_buf_printf(&fc->msg, "%s; its dependencies cannot be checked", p->message)) < 0 ||
	    (error = cl_buf_printf(&fc->key, "deps:file:%s", p->path)) < 0)
		return error;
	memset(&f, 0, sizeof(f));
	f.check = "deps";
	f.severity = CL_SEVERITY_ERROR;
	f.ref = fc->ctx->ref;
	f.path = p->path;
	f.rule = "deps.unparsable";
	f.message = cl_buf_cstr(&fc->msg);
	f.remedy = p->code == CL_ETOOBIG ?
		"a manifest this large is not one; remove it, or keep generated data out of manifests" :
		"fix the file so that its own tool reads it (regenerate a lock file with its package manager)";
	f.key = cl_buf_cstr(&fc->key);
	return cl_findings_add(fc->ctx->findings, &f);
}

/* The tree of `id` (a commit or a tag), or NULL for NULL. */
static int tip_tree(git_tree **out, git_repository *repo, const git_oid *id)
{
	git_object *obj = NULL, *tree = NULL;
	int error = 0;

	*out = NULL;
	if (!id)
		return 0;
	if (git_object_lookup(&obj, repo, id, GIT_OBJECT_ANY) < 0 ||
	    git_object_peel(&tree, obj, GIT_OBJECT_TREE) < 0) {
		error = cl_error_from_git("cannot read the tree of a pushed ref");
		goto done;
	}
	*out = (git_tree *)tree;
	tree = NULL;
done:
	git_object_free(tree);
	git_object_free(obj);
	return error;
}

int cl_deps_check(struct cl_check_ctx *ctx, const struct cl_deps_options *opts)
{
	struct cl_deps_deltas d = CL_DEPS_DELTAS_INIT;
	struct finding_ctx fc;
	git_tree *old_tree = NULL, *new_tree = NULL;
	size_t i;
	int error;

	memset(&fc, 0, sizeof(fc));
	fc.ctx = ctx;
	fc.opts = opts;
	if (!ctx->repo || !ctx->new_tip)
		return 0;
	if ((error = tip_tree(&old_tree, ctx->repo, ctx->old_tip)) < 0 ||
	    (error = tip_tree(&new_tree, ctx->repo, ctx->new_tip)) < 0)
		goto done;
	if ((error = cl_deps_deltas_compute(&d, ctx->repo, old_tree, new_tree, opts)) < 0)
		goto done;
	for (i = 0; i < d.problem_count; i++)
		if ((error = problem_finding(&fc, &d.problems[i])) < 0)
			goto done;
	for (i = 0; i < d.count; i++)
		if ((error = judge_delta(&fc, &d.items[i])) < 0)
			goto done;
done:
	cl_deps_deltas_dispose(&d);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	cl_buf_dispose(&fc.what);
	cl_buf_dispose(&fc.msg);
	cl_buf_dispose(&fc.remedy);
	cl_buf_dispose(&fc.key);
	cl_buf_dispose(&fc.ref);
	verdict_cache_dispose(&fc.verdicts);
	return error;
}
