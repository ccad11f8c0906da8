/*
 * headers.c - the license-header check over the files a push adds or changes.
 *
 * Divisions:
 *   1. which files: paths changed by the new commits, content at the tip
 *      (or every commit's version with per_commit)
 *   2. reading a blob's head: only window_bytes, streamed when the object
 *      database can, each (path, blob) once per push; the tip's directories
 *      read once each (sidecars, the tip's version of a pushed path)
 *   3. judging one file: per-path rules, the scan, REUSE sidecars, REUSE.toml
 *      and .reuse/dep5 (through reuse.h), the expression against the SPDX
 *      list and the policy, LICENSES/ texts; an expression that drew no
 *      finding is remembered, not judged again (bench/headers.sh measures)
 */
#include "headers.h"
#include "buf.h"
#include "check.h"
#include "comment_style.h"
#include "error.h"
#include "header_scan.h"
#include "headers_priv.h"
#include "json_text.h"
#include "reuse.h"
#include "spdx.h"
#include "strmap.h"

#include <git2/sys/odb_backend.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct changed_file {
	const char *path;      /* points into header_run.paths */
	git_oid blob;          /* the version judged */
	size_t commit;         /* index in ctx->commits of the commit that brought it */
};

/*
 * What an expression text came to under one set of allowed licenses, kept
 * only when it drew no finding: most files of a tree repeat a handful of
 * expressions, so parsing, validating against the SPDX list and printing
 * the canonical form once each is enough.
 */
struct verdict {
	char *canonical;       /* the expression as stats->by_license counts it */
	size_t compliant;      /* files counted under it, flushed into stats at the end */
	size_t first_counted;  /* order of its first count: keeps by_license's key order */
	struct verdict *next;  /* all verdicts of the run, for the flush and the free */
};

struct header_run {
	struct cl_check_ctx *ctx;
	const struct cl_header_options *opts;
	struct cl_header_stats *stats;   /* may be NULL */
	git_tree *tip_tree;              /* where sidecars and LICENSES/ are looked up */
	git_odb *odb;                    /* the repository's (set on first use) */
	git_odb_backend *backends[8];    /* odb's first backends, in its order (set with odb) */
	size_t backend_count;
	struct cl_strmap tip_dirs;       /* directory path -> git_tree * at the tip (NULL: none) */
	json_t *license_texts;           /* ids with a text in LICENSES/ (set on first use) */
	struct cl_reuse *reuse;          /* the tip's REUSE.toml files and dep5 (set on first use) */
	int reuse_loaded;
	int file_failed;
	struct changed_file *files;
	size_t count, alloc;
	struct cl_strmap paths;  /* path -> 1 + position in files (tip mode: newest change wins);
	                            the keys are the files' paths */
	int paths_unique;        /* a tree walk: every path comes once, positions need no keeping */
	struct cl_strmap verdicts;   /* licenses pointer + expression -> struct verdict * */
	struct verdict *verdict_list;
	size_t counted;              /* verdict counts so far, for first_counted */
	size_t finding_count;        /* findings added by this run */
	struct cl_buf scratch;       /* names built for lookups */
	struct cl_pattern_index *skip;   /* opts->skip, indexed (set on first use) */
	struct cl_buf head;    /* the current blob's head */
};

/* ---- 1. which files --------------------------------------------------- */

static int files_add(struct header_run *run, const char *path, size_t len, const git_oid *blob,
	size_t commit)
{
	const char *stored;
	void **pos;
	int rc;

	if (run->count == run->alloc) {
		size_t n = run->alloc ? run->alloc * 2 : 64;
		struct changed_file *p = realloc(run->files, n * sizeof(*p));
		if (!p)
			return cl_error_set("out of memory");
		run->files = p;
		run->alloc = n;
	}
	if ((rc = cl_strmap_put(&pos, &stored, &run->paths, path, len)) < 0)
		return rc;
	/* A tree walk brings every path once: the map is only the paths' storage. */
	if (!run->paths_unique) {
		if (!rc && !run->opts->per_commit) {
			struct changed_file *f = &run->files[(uintptr_t)*pos - 1];
			git_oid_cpy(&f->blob, blob);
			f->commit = commit;
			return 0;
		}
		*pos = (void *)(uintptr_t)(run->count + 1);
	}
	run->files[run->count].path = stored;
	git_oid_cpy(&run->files[run->count].blob, blob);
	run->files[run->count].commit = commit;
	run->count++;
	return 0;
}

/* The files one commit adds or changes against its first parent. */
static int collect_commit(struct header_run *run, size_t idx)
{
	git_repository *repo = run->ctx->repo;
	git_commit *commit = NULL, *parent = NULL;
	git_tree *tree = NULL, *parent_tree = NULL;
	git_diff *diff = NULL;
	git_diff_options dopts;
	git_oid id;
	size_t i, n;
	int error = 0;

	/* The INIT macro leaves fields out, which -Wextra refuses. */
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	dopts.flags = GIT_DIFF_SKIP_BINARY_CHECK | GIT_DIFF_IGNORE_SUBMODULES;
	if (git_oid_fromstr(&id, run->ctx->commits[idx].id) < 0 ||
	    git_commit_lookup(&commit, repo, &id) < 0 ||
	    git_commit_tree(&tree, commit) < 0 ||
	    (git_commit_parentcount(commit) > 0 &&
	     (git_commit_parent(&parent, commit, 0) < 0 || git_commit_tree(&parent_tree, parent) < 0)) ||
	    git_diff_tree_to_tree(&diff, repo, parent_tree, tree, &dopts) < 0) {
		error = cl_error_from_git("cannot diff commit");
		goto done;
	}
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (d->status == GIT_DELTA_DELETED)
			continue;
		/* Symlinks and submodules carry no text of their own to license. */
		if (d->new_file.mode != GIT_FILEMODE_BLOB && d->new_file.mode != GIT_FILEMODE_BLOB_EXECUTABLE)
			continue;
		if ((error = files_add(run, d->new_file.path, strlen(d->new_file.path), &d->new_file.id, idx)) < 0)
			goto done;
	}
done:
	git_diff_free(diff);
	git_tree_free(parent_tree);
	git_tree_free(tree);
	git_commit_free(parent);
	git_commit_free(commit);
	return error;
}

/*
 * The directory `dir` (`len` bytes, no trailing '/') of the tip tree, or
 * NULL when the tip has no such directory. libgit2 caches only trees under
 * 4 KiB, so git_tree_entry_bypath would read (inflate and hash) every
 * directory on the way again for each lookup: with a sidecar lookup per
 * JSON file and a tip lookup per pushed file, that was 40% of the work.
 * Here each directory is read once per run.
 */
static int tip_dir(git_tree **out, struct header_run *run, const char *dir, size_t len)
{
	const git_tree_entry *entry;
	git_tree *parent, *tree = NULL;
	size_t cut = len;
	void **slot;
	int error;

	if (len == 0) {
		*out = run->tip_tree;
		return 0;
	}
	if ((slot = cl_strmap_get(&run->tip_dirs, dir, len)) != NULL) {
		*out = *slot;
		return 0;
	}
	while (cut > 0 && dir[cut - 1] != '/')
		cut--;
	if ((error = tip_dir(&parent, run, dir, cut ? cut - 1 : 0)) < 0)
		return error;
	if (parent) {
		cl_buf_clear(&run->scratch);
		if ((error = cl_buf_put(&run->scratch, dir + cut, len - cut)) < 0)
			return error;
		entry = git_tree_entry_byname(parent, cl_buf_cstr(&run->scratch));
		if (entry && git_tree_entry_type(entry) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&tree, run->ctx->repo, git_tree_entry_id(entry)) < 0)
			return cl_error_from_git("cannot read a directory of the tree");
	}
	if ((error = cl_strmap_put(&slot, NULL, &run->tip_dirs, dir, len)) < 0) {
		git_tree_free(tree);
		return error;
	}
	*slot = tree;
	*out = tree;
	return 0;
}

/* The tip's entry for `path`, or NULL; it belongs to the directory cache. */
static int tip_entry(const git_tree_entry **out, struct header_run *run, const char *path)
{
	const char *slash = strrchr(path, '/');
	git_tree *dir;
	int error;

	*out = NULL;
	if (!run->tip_tree)
		return 0;
	if ((error = tip_dir(&dir, run, path, slash ? (size_t)(slash - path) : 0)) < 0)
		return error;
	if (dir)
		*out = git_tree_entry_byname(dir, slash ? slash + 1 : path);
	return 0;
}

static void tip_dir_free(const char *key, size_t len, void *value, void *payload)
{
	(void)key;
	(void)len;
	(void)payload;
	git_tree_free(value);
}

/* ---- 2. reading a blob's head ----------------------------------------- */

/* Read up to `want` bytes of an open stream into run->head. */
static int read_stream(struct header_run *run, git_odb_stream *stream, size_t want)
{
	char chunk[4096];
	int error;

	while (run->head.size < want) {
		size_t ask = want - run->head.size < sizeof(chunk) ? want - run->head.size : sizeof(chunk);
		int n = git_odb_stream_read(stream, chunk, ask);
		if (n < 0)
			return cl_error_from_git("cannot read blob");
		if (n == 0)
			break;
		if ((error = cl_buf_put(&run->head, chunk, (size_t)n)) < 0)
			return error;
	}
	return 0;
}

/*
 * Only the head of a file can hold its header, so only window_bytes of a
 * blob are kept. git_odb_read hashes every object it reads again (strict
 * hash verification): a third of a whole-tree check went there. git does
 * not re-hash the blobs it reads either (grep, cat-file): a pack was
 * verified when it was received (index-pack, before any hook runs) and a
 * damaged object fails to inflate. So the backends are asked directly, in
 * the database's order (packs, loose objects, then alternates). One that
 * streams (loose objects) costs one window however large the file; the
 * pack backend does not stream in libgit2 and inflates the whole object,
 * which is then cut. When no backend has the object, git_odb_read looks
 * again after refreshing the pack list, and sets the error.
 */
static int read_head(struct header_run *run, const git_oid *blob, size_t *total)
{
	git_odb_stream *stream = NULL;
	git_odb_object *obj = NULL;
	git_object_t type;
	size_t want = run->opts->window_bytes, i, n;
	void *data = NULL;
	int error = 0, rc;

	cl_buf_clear(&run->head);
	if (!run->odb) {
		if (git_repository_odb(&run->odb, run->ctx->repo) < 0)
			return cl_error_from_git("cannot open object database");
		/* Each git_odb_get_backend takes the database's lock: ask once. A
		 * repository with more backends than kept here (alternates) finds
		 * the rest through git_odb_read below. */
		n = git_odb_num_backends(run->odb);
		for (i = 0; i < n && i < sizeof(run->backends) / sizeof(run->backends[0]); i++)
			if (git_odb_get_backend(&run->backends[run->backend_count], run->odb, i) == 0)
				run->backend_count++;
	}
	for (i = 0; i < run->backend_count; i++) {
		git_odb_backend *b = run->backends[i];
		if (b->readstream) {
			rc = b->readstream(&stream, total, &type, b, blob);
			if (rc == 0) {
				error = read_stream(run, stream, want);
				goto done;
			}
		} else if (b->read) {
			size_t len;
			rc = b->read(&data, &len, &type, b, blob);
			if (rc == 0) {
				*total = len;
				error = cl_buf_put(&run->head, data, len < want ? len : want);
				git_odb_backend_data_free(b, data);
				goto done;
			}
		} else {
			continue;
		}
		if (rc != GIT_ENOTFOUND && rc != GIT_PASSTHROUGH) {
			error = cl_error_from_git("cannot read blob");
			goto done;
		}
	}
	git_error_clear();
	if (git_odb_read(&obj, run->odb, blob) < 0) {
		error = cl_error_from_git("cannot read blob");
		goto done;
	}
	*total = git_odb_object_size(obj);
	error = cl_buf_put(&run->head, git_odb_object_data(obj), *total < want ? *total : want);
done:
	if (error == 0 && !run->head.ptr)
		error = cl_buf_put(&run->head, "", 0);
	git_odb_object_free(obj);
	git_odb_stream_free(stream);
	return error;
}

/* ---- 3. judging one file ---------------------------------------------- */

int cl_header_path_skipped(const struct cl_header_options *opts, const char *path)
{
	struct cl_header_effective rules;
	int error = cl_header_options_resolve(&rules, opts, path);
	return error < 0 ? error : rules.skip;
}

static int stats_count(json_t *counts, const char *key)
{
	json_t *n = json_object_get(counts, key);
	return json_object_set_new(counts, key, json_integer(n ? json_integer_value(n) + 1 : 1)) < 0 ?
		cl_error_set("out of memory") : 0;
}

/* The texts of one finding, reused from file to file. */
struct finding_text {
	struct cl_buf message, remedy, key;
};

static int add_finding(struct header_run *run, const struct changed_file *f, unsigned int line,
	const char *rule, struct finding_text *t)
{
	const struct cl_commit *c = f->commit < run->ctx->commit_count ? &run->ctx->commits[f->commit] : NULL;
	struct cl_finding finding;
	char subject[128];
	int error;

	memset(&finding, 0, sizeof(finding));
	if (c)
		cl_commit_subject(subject, sizeof(subject), c);
	cl_buf_clear(&t->key);
	if ((error = cl_buf_printf(&t->key, "header:%s", f->path)) < 0)
		return error;
	finding.check = "header";
	finding.severity = CL_SEVERITY_ERROR;
	finding.ref = run->ctx->ref;
	finding.commit = c ? c->id : NULL;
	finding.subject = c ? subject : NULL;
	finding.path = f->path;
	finding.line = line;
	finding.rule = rule;
	finding.message = cl_buf_cstr(&t->message);
	finding.remedy = t->remedy.size ? cl_buf_cstr(&t->remedy) : NULL;
	finding.key = cl_buf_cstr(&t->key);
	if ((error = cl_findings_add(run->ctx->findings, &finding)) < 0)
		return error;
	run->finding_count++;
	if (run->stats && (error = stats_count(run->stats->by_problem, rule)) < 0)
		return error;
	run->file_failed = 1;
	cl_buf_clear(&t->message);
	cl_buf_clear(&t->remedy);
	return 0;
}

/* A shell word for a path in a remedy: quoted only when it needs to be. */
static int put_shell_word(struct cl_buf *b, const char *s)
{
	const char *p;
	int error = 0;

	if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+@,:=") == strlen(s))
		return cl_buf_puts(b, s);
	error = cl_buf_putc(b, '\'');
	for (p = s; *p && error >= 0; p++)
		error = *p == '\'' ? cl_buf_puts(b, "'\\''") : cl_buf_putc(b, *p);
	return error < 0 ? error : cl_buf_putc(b, '\'');
}

/* The one literal id a policy allows, if it allows exactly one; else NULL. */
static const char *single_allowed(const struct cl_pattern_list *licenses)
{
	const char *t;
	if (licenses->count != 1)
		return NULL;
	t = cl_pattern_text(licenses->items[0]);
	return strpbrk(t, "*?\\") || !strncmp(t, "re:", 3) ? NULL : t;
}

static int fix_remedy(struct cl_buf *b, const struct changed_file *f, const char *license,
	const char *copyright)
{
	int error = cl_buf_puts(b, "clearance fix-headers");
	if (error >= 0 && license) {
		error = cl_buf_puts(b, " --license ");
		if (error >= 0)
			error = put_shell_word(b, license);
	}
	if (error >= 0 && copyright)
		error = cl_buf_printf(b, " --copyright '%s'", copyright);
	if (error >= 0)
		error = cl_buf_putc(b, ' ');
	if (error >= 0)
		error = put_shell_word(b, f->path);
	return error;
}

static int join_patterns(struct cl_buf *b, const struct cl_pattern_list *list)
{
	size_t i;
	int error = 0;
	for (i = 0; i < list->count && error >= 0; i++)
		error = cl_buf_printf(b, "%s%s", i ? ", " : "", cl_pattern_text(list->items[i]));
	return error;
}

struct validate_payload {
	struct header_run *run;
	const struct changed_file *file;
	unsigned int line;
	struct finding_text *t;
	int error;
};

static const struct {
	enum cl_spdx_problem_kind kind;
	const char *rule;
} problem_rules[] = {
	{ CL_SPDX_UNKNOWN_LICENSE, "header.unknown-license" },
	{ CL_SPDX_DEPRECATED_LICENSE, "header.deprecated-license" },
	{ CL_SPDX_UNKNOWN_EXCEPTION, "header.unknown-exception" },
	{ CL_SPDX_DEPRECATED_EXCEPTION, "header.deprecated-exception" },
	{ CL_SPDX_EXCEPTION_AS_LICENSE, "header.malformed" },
	{ CL_SPDX_LICENSE_AS_EXCEPTION, "header.malformed" },
};

static int on_problem(const struct cl_spdx_problem *p, void *payload)
{
	struct validate_payload *v = payload;
	const char *rule = "header.unknown-license";
	size_t i;

	for (i = 0; i < sizeof(problem_rules) / sizeof(problem_rules[0]); i++)
		if (problem_rules[i].kind == p->kind)
			rule = problem_rules[i].rule;
	if ((v->error = cl_buf_puts(&v->t->message, p->message)) < 0)
		return v->error;
	if (p->replacement)
		v->error = fix_remedy(&v->t->remedy, v->file, p->replacement, NULL);
	else if (p->kind == CL_SPDX_UNKNOWN_LICENSE)
		v->error = cl_buf_printf(&v->t->remedy, "use an id from https://spdx.org/licenses/, or "
			"LicenseRef-%s for a license that is not on the list", "<name>");
	if (v->error < 0)
		return v->error;
	v->error = add_finding(v->run, v->file, v->line, rule, v->t);
	return v->error;
}

struct id_payload {
	struct header_run *run;
	const struct changed_file *file;
	unsigned int line;
	struct finding_text *t;
	int error;
};

/* The license texts REUSE wants: LICENSES/<id>.<ext>, listed once per run. */
static int load_license_texts(struct header_run *run)
{
	git_tree_entry *entry = NULL;
	git_tree *dir = NULL;
	size_t i, n;
	int error = 0;

	if ((run->license_texts = json_object()) == NULL)
		return cl_error_set("out of memory");
	if (!run->tip_tree || git_tree_entry_bypath(&entry, run->tip_tree, "LICENSES") < 0) {
		git_error_clear();
		return 0;
	}
	if (git_tree_entry_type(entry) != GIT_OBJECT_TREE)
		goto done;
	if (git_tree_lookup(&dir, run->ctx->repo, git_tree_entry_id(entry)) < 0) {
		error = cl_error_from_git("cannot read LICENSES/");
		goto done;
	}
	n = git_tree_entrycount(dir);
	for (i = 0; i < n; i++) {
		const char *name = git_tree_entry_name(git_tree_entry_byindex(dir, i));
		const char *dot = strrchr(name, '.');
		size_t len = dot && dot != name ? (size_t)(dot - name) : strlen(name);
		char id[256];
		if (len >= sizeof(id))
			continue;
		memcpy(id, name, len);
		id[len] = '\0';
		if (json_object_set_new(run->license_texts, id, json_true()) < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
	}
done:
	git_tree_free(dir);
	git_tree_entry_free(entry);
	return error;
}

static int on_id(const char *id, int is_exception, void *payload)
{
	struct id_payload *p = payload;
	char plain[256];
	size_t len = strlen(id);
	(void)is_exception;

	/* "GPL-2.0+" is licensed by the text of GPL-2.0. */
	if (len && id[len - 1] == '+')
		len--;
	if (len >= sizeof(plain) || !strncmp(id, "DocumentRef-", 12))
		return 0;
	memcpy(plain, id, len);
	plain[len] = '\0';
	if (!p->run->license_texts && (p->error = load_license_texts(p->run)) < 0)
		return p->error;
	if (json_object_get(p->run->license_texts, plain))
		return 0;
	if ((p->error = cl_buf_printf(&p->t->message,
			"the tree has no text for '%s': REUSE wants it in LICENSES/%s.txt", plain, plain)) < 0 ||
	    (p->error = cl_buf_printf(&p->t->remedy, "add LICENSES/%s.txt%s%s%s", plain,
			strncmp(plain, "LicenseRef-", 11) ? " (the text is at https://spdx.org/licenses/" : "",
			strncmp(plain, "LicenseRef-", 11) ? plain : "",
			strncmp(plain, "LicenseRef-", 11) ? ".txt)" : " with your license's text")) < 0)
		return p->error;
	p->error = add_finding(p->run, p->file, p->line, "header.license-text-missing", p->t);
	return p->error;
}

/* Look for FILE.license, REUSE's sidecar, at the tip. 1 found (info filled), 0 none. */
static int read_sidecar(struct header_run *run, struct cl_header_info *info, const char *path,
	struct cl_buf *holder)
{
	const git_tree_entry *entry;
	git_oid id;
	size_t total;
	int error;

	cl_buf_clear(holder);
	if ((error = cl_buf_puts(holder, path)) < 0 || (error = cl_buf_puts(holder, ".license")) < 0 ||
	    (error = tip_entry(&entry, run, cl_buf_cstr(holder))) < 0)
		return error;
	if (!entry || git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
		return 0;
	git_oid_cpy(&id, git_tree_entry_id(entry));
	if ((error = read_head(run, &id, &total)) < 0)
		return error;
	/* The scan points into its input: keep the sidecar's bytes apart. */
	cl_buf_clear(holder);
	if ((error = cl_buf_put(holder, run->head.ptr, run->head.size)) < 0 ||
	    (error = cl_header_scan(info, cl_buf_cstr(holder), holder->size, NULL,
			run->opts->copyright_pattern)) < 0)
		return error;
	return info->found || info->copyright;
}


/* ---- REUSE.toml and .reuse/dep5 (lib/reuse.c reads them) -------------- */

struct reuse_payload {
	struct header_run *run;
	struct finding_text *t;
};

static const struct {
	enum cl_reuse_problem_kind kind;
	const char *rule;
	const char *remedy;
} reuse_problem_rules[] = {
	{ CL_REUSE_PROBLEM_TOML, "header.reuse-toml-invalid",
	  "fix %s (REUSE specification 3.3, section REUSE.toml)" },
	{ CL_REUSE_PROBLEM_DEP5, "header.dep5-invalid",
	  "fix %s (Debian copyright format 1.0), or better replace it with REUSE.toml: "
	  "`reuse convert-dep5` does it" },
	{ CL_REUSE_PROBLEM_BOTH, "header.dep5-invalid",
	  "move %s's paragraphs into REUSE.toml (`reuse convert-dep5`) and delete it" },
};

/* A broken REUSE.toml or dep5 is its own finding, on its own path, not the judged file's. */
static int reuse_on_problem(const struct cl_reuse_problem *p, void *payload)
{
	struct reuse_payload *rp = payload;
	struct header_run *run = rp->run;
	struct changed_file where;
	int failed = run->file_failed, error;
	size_t i;

	for (i = 0; i < sizeof(reuse_problem_rules) / sizeof(reuse_problem_rules[0]); i++)
		if (reuse_problem_rules[i].kind == p->kind)
			break;
	if (i == sizeof(reuse_problem_rules) / sizeof(reuse_problem_rules[0]))
		CL_BUG("REUSE problem kind out of range");
	memset(&where, 0, sizeof(where));
	where.path = (char *)p->path;
	where.commit = (size_t)-1;
	if (cl_buf_printf(&rp->t->message, "%s is not used: %s", p->path, p->message) < 0 ||
	    cl_buf_printf(&rp->t->remedy, reuse_problem_rules[i].remedy, p->path) < 0)
		return CL_ERROR;
	error = add_finding(run, &where, p->line, reuse_problem_rules[i].rule, rp->t);
	run->file_failed = failed;
	return error;
}

/* What REUSE.toml files and dep5 say of `path`; the tip's are read on first use. */
static int reuse_lookup(struct cl_reuse_info *out, struct header_run *run, struct finding_text *t,
	const char *path)
{
	int rc;

	if (!run->reuse_loaded) {
		struct reuse_payload rp = { run, t };
		run->reuse_loaded = 1;
		if (run->tip_tree &&
		    (rc = cl_reuse_load(&run->reuse, run->ctx->repo, run->tip_tree, reuse_on_problem, &rp)) < 0)
			return rc;
	}
	out->found = 0;
	return run->reuse ? cl_reuse_lookup(out, run->reuse, path) : 0;
}

/* Make `info` carry an expression that REUSE metadata declares. */
static void reuse_take(struct cl_header_info *info, const char *license)
{
	info->found = 1;
	info->conflicting = 0;
	info->expression = license;
	info->expression_len = strlen(license);
	info->line = 0;
}

/*
 * Apply what REUSE metadata says to the file's own tags (reuse.h has the
 * rules): override replaces them, closest fills what they lack, aggregate
 * adds to them, "(file) AND (annotation)".
 */
static int reuse_apply(struct cl_header_info *info, const struct cl_reuse_info *ri, struct cl_buf *aggregate)
{
	switch (ri->precedence) {
	case CL_REUSE_OVERRIDE:
		/* The file's own tags do not count, its copyright included. */
		info->found = 0;
		info->conflicting = 0;
		info->misspelled = 0;
		info->outside_comment = 0;
		info->copyright = ri->has_copyright;
		if (ri->license)
			reuse_take(info, ri->license);
		return 0;
	case CL_REUSE_CLOSEST:
		if (!info->found && ri->license)
			reuse_take(info, ri->license);
		if (ri->has_copyright)
			info->copyright = 1;
		return 0;
	case CL_REUSE_AGGREGATE:
		if (!info->found && ri->closest_license)
			reuse_take(info, ri->closest_license);
		if (ri->closest_has_copyright || ri->has_copyright)
			info->copyright = 1;
		if (!ri->license)
			return 0;
		if (!info->found) {
			reuse_take(info, ri->license);
			return 0;
		}
		{
			/* Both hold: the file is under its own license and the metadata's. */
			int error = cl_buf_printf(aggregate, "(%.*s) AND (%s)", (int)info->expression_len,
				info->expression, ri->license);
			if (error < 0)
				return error;
			info->expression = cl_buf_cstr(aggregate);
			info->expression_len = aggregate->size;
		}
		return 0;
	default:
		CL_BUG("REUSE precedence out of range");
	}
}

/* Count a compliant-so-far file under `v`'s expression (stats->by_license, at the end). */
static void verdict_count(struct header_run *run, struct verdict *v)
{
	if (!run->stats || run->file_failed)
		return;
	if (v->compliant++ == 0)
		v->first_counted = run->counted++;
}

static int verdict_order(const void *a, const void *b)
{
	const struct verdict *x = *(const struct verdict *const *)a, *y = *(const struct verdict *const *)b;
	return x->first_counted < y->first_counted ? -1 : x->first_counted > y->first_counted;
}

/*
 * Add the verdicts' counts to stats->by_license, keys in the order of their
 * first count as if each file had been counted as it came.
 */
static int verdict_flush(struct header_run *run)
{
	struct verdict **order = NULL, *v;
	size_t n = 0, i;
	int error = 0;

	if (!run->stats || run->counted == 0)
		return 0;
	order = malloc(run->counted * sizeof(*order));
	CL_CHECK_ALLOC(order);
	for (v = run->verdict_list; v; v = v->next)
		if (v->compliant)
			order[n++] = v;
	qsort(order, n, sizeof(*order), verdict_order);
	for (i = 0; i < n; i++) {
		json_t *have = json_object_get(run->stats->by_license, order[i]->canonical);
		json_int_t add = (json_int_t)order[i]->compliant;
		if (json_object_set_new(run->stats->by_license, order[i]->canonical,
				json_integer(have ? json_integer_value(have) + add : add)) < 0) {
			error = cl_error_set("out of memory");
			goto done;
		}
		order[i]->compliant = 0;
	}
	run->counted = 0;
done:
	free(order);
	return error;
}

static int judge_file(struct header_run *run, const struct changed_file *f, struct finding_text *t)
{
	const struct cl_header_options *opts = run->opts;
	struct cl_header_info info, side;
	struct cl_spdx_expr *expr = NULL;
	struct cl_buf sidecar = CL_BUF_INIT, canon = CL_BUF_INIT, aggregate = CL_BUF_INIT;
	struct cl_reuse_info reuse_info = CL_REUSE_INFO_INIT;
	const struct cl_comment_style *style;
	struct cl_header_effective rules;
	size_t total = 0, findings_before;
	void **slot;
	int error, rc, has_side = 0;

	run->file_failed = 0;
	if (!run->skip && (error = cl_pattern_index_new(&run->skip, &opts->skip)) < 0)
		return error;
	if ((error = cl_header_options__resolve(&rules, opts, run->skip, f->path)) < 0)
		return error;
	if (rules.skip) {
		if (run->stats)
			run->stats->skipped++;
		return 0;
	}
	if ((error = read_head(run, &f->blob, &total)) < 0)
		return error;
	style = cl_comment_style_for_path(f->path);
	if ((error = cl_header_scan(&info, cl_buf_cstr(&run->head), run->head.size, style,
			opts->copyright_pattern)) < 0)
		goto done;
	if (info.binary || total < opts->min_bytes) {
		if (run->stats)
			run->stats->skipped++;
		goto done;
	}
	if (run->stats)
		run->stats->files++;

	/* Sidecars hold always: they are the only header a JSON file or an image can have. */
	if ((!info.found || (!info.copyright && rules.copyright == CL_COPYRIGHT_REQUIRED)) &&
	    (rc = read_sidecar(run, &side, f->path, &sidecar)) != 0) {
		if (rc < 0) {
			error = rc;
			goto done;
		}
		/* REUSE: the sidecar's tags stand for the file's own. */
		has_side = 1;
		if (side.found)
			info = side;
		else
			info.copyright = side.copyright;
	}

	/* Like sidecars, REUSE.toml and dep5 declare licensing, so they hold whatever `reuse` says. */
	if ((error = reuse_lookup(&reuse_info, run, t, f->path)) < 0 ||
	    (reuse_info.found && (error = reuse_apply(&info, &reuse_info, &aggregate)) < 0))
		goto done;

	if (!info.found) {
		const char *lic = single_allowed(rules.licenses);
		if (info.misspelled) {
			error = cl_buf_printf(&t->message, "the license tag at line %u is misspelled: "
				"it must read exactly \"SPDX-License-Identifier: <expression>\"", info.misspelled_line);
			if (error >= 0)
				error = fix_remedy(&t->remedy, f, lic ? lic : "<SPDX-ID>", NULL);
			if (error >= 0)
				error = add_finding(run, f, info.misspelled_line, "header.misspelled", t);
		} else if (info.outside_comment && cl_comment_style_has_comments(style)) {
			error = cl_buf_printf(&t->message, "the SPDX-License-Identifier at line %u is not in a "
				"comment (code or a string literal does not count)", info.outside_line);
			if (error >= 0)
				error = fix_remedy(&t->remedy, f, lic ? lic : "<SPDX-ID>", NULL);
			if (error >= 0)
				error = add_finding(run, f, info.outside_line, "header.not-in-comment", t);
		} else {
			error = cl_buf_printf(&t->message, "no SPDX-License-Identifier in the first %zu bytes",
				opts->window_bytes);
			if (error >= 0 && !cl_comment_style_has_comments(style))
				error = cl_buf_printf(&t->remedy, "this file type cannot carry a comment: add a "
					"sidecar %s.license with the line \"SPDX-License-Identifier: %s\"", f->path,
					lic ? lic : "<SPDX-ID>");
			else if (error >= 0)
				error = fix_remedy(&t->remedy, f, lic ? lic : "<SPDX-ID>", NULL);
			if (error >= 0)
				error = add_finding(run, f, 0, "header.missing", t);
		}
		goto copyright;
	}

	if (info.conflicting &&
	    ((error = cl_buf_printf(&t->message, "the file carries %u SPDX-License-Identifier tags with "
		"different expressions; the first (line %u) is judged", info.tag_count, info.line)) < 0 ||
	     (error = add_finding(run, f, info.line, "header.conflicting", t)) < 0))
		goto done;

	/* The key: which allowed list (the options outlive the run) and the text. */
	cl_buf_clear(&run->scratch);
	if ((error = cl_buf_put(&run->scratch, (const char *)&rules.licenses, sizeof(rules.licenses))) < 0 ||
	    (error = cl_buf_put(&run->scratch, info.expression, info.expression_len)) < 0)
		goto done;
	if ((slot = cl_strmap_get(&run->verdicts, run->scratch.ptr, run->scratch.size)) != NULL) {
		verdict_count(run, *slot);
		goto copyright;
	}
	findings_before = run->finding_count;

	rc = cl_spdx_parse(&expr, info.expression, info.expression_len);
	if (rc == CL_EINVALID) {
		if ((error = cl_buf_printf(&t->message, "the license expression \"%.*s\" is malformed: %s",
				(int)(info.expression_len > 120 ? 120 : info.expression_len), info.expression,
				cl_error_last())) < 0 ||
		    (error = fix_remedy(&t->remedy, f, single_allowed(rules.licenses) ? single_allowed(rules.licenses) : "<SPDX-ID>", NULL)) < 0 ||
		    (error = add_finding(run, f, info.line, "header.malformed", t)) < 0)
			goto done;
		goto copyright;
	} else if (rc < 0) {
		error = rc;
		goto done;
	}
	{
		struct validate_payload vp = { run, f, info.line, t, 0 };
		if ((rc = cl_spdx_validate(expr, on_problem, &vp)) < 0 || vp.error < 0) {
			error = vp.error < 0 ? vp.error : rc;
			goto done;
		}
	}
	if (rules.licenses->count) {
		if ((rc = cl_spdx_satisfies(expr, rules.licenses)) < 0) {
			error = rc;
			goto done;
		}
		if (!rc) {
			if ((error = cl_spdx_expr_to_string(&canon, expr)) < 0 ||
			    (error = cl_buf_printf(&t->message, "license \"%s\" is not allowed here; the policy "
				"allows: ", cl_buf_cstr(&canon))) < 0 ||
			    (error = join_patterns(&t->message, rules.licenses)) < 0 ||
			    (error = cl_buf_puts(&t->remedy, "license the file under an allowed license (the "
				"copyright holders must agree), or ask the OSPO for a headers.paths rule")) < 0 ||
			    (error = add_finding(run, f, info.line, "header.license-not-allowed", t)) < 0)
				goto done;
		}
	}
	if (opts->reuse) {
		struct id_payload ip = { run, f, info.line, t, 0 };
		if ((rc = cl_spdx_expr_foreach_id(expr, on_id, &ip)) < 0 || ip.error < 0) {
			error = ip.error < 0 ? ip.error : rc;
			goto done;
		}
	}
	if (run->finding_count == findings_before) {
		/* Nothing to say about this text under these rules: remember it. */
		struct verdict *v = calloc(1, sizeof(*v));
		CL_CHECK_ALLOC(v);
		v->next = run->verdict_list;
		run->verdict_list = v;
		cl_buf_clear(&canon);
		if ((error = cl_spdx_expr_to_string(&canon, expr)) < 0)
			goto done;
		v->canonical = strdup(cl_buf_cstr(&canon));
		CL_CHECK_ALLOC(v->canonical);
		/* The key is still in scratch: nothing above builds lookup names. */
		if ((error = cl_strmap_put(&slot, NULL, &run->verdicts, run->scratch.ptr, run->scratch.size)) < 0)
			goto done;
		*slot = v;
		verdict_count(run, v);
	}
	/* Otherwise a finding was added, so the file is not compliant: no count. */

copyright:
	if (rules.copyright == CL_COPYRIGHT_REQUIRED && !info.copyright &&
	    ((error = cl_buf_printf(&t->message, "no copyright notice (SPDX-FileCopyrightText: or "
		"Copyright ...) in the first %zu bytes%s", opts->window_bytes,
		has_side ? " nor in its .license sidecar" : "")) < 0 ||
	     (error = fix_remedy(&t->remedy, f, NULL, "YEAR NAME <EMAIL>")) < 0 ||
	     (error = add_finding(run, f, 0, "header.copyright-missing", t)) < 0))
		goto done;
	if (run->stats && !run->file_failed)
		run->stats->compliant++;
done:
	cl_spdx_expr_free(expr);
	cl_buf_dispose(&sidecar);
	cl_buf_dispose(&canon);
	cl_buf_dispose(&aggregate);
	cl_reuse_info_dispose(&reuse_info);
	return error;
}

/* ---- the entry points ------------------------------------------------- */

static void run_dispose(struct header_run *run)
{
	struct verdict *v, *next;

	for (v = run->verdict_list; v; v = next) {
		next = v->next;
		free(v->canonical);
		free(v);
	}
	cl_strmap_dispose(&run->verdicts);
	free(run->files);
	cl_strmap_dispose(&run->paths);
	cl_strmap_foreach(&run->tip_dirs, tip_dir_free, NULL);
	cl_strmap_dispose(&run->tip_dirs);
	cl_buf_dispose(&run->scratch);
	cl_pattern_index_free(run->skip);
	git_odb_free(run->odb);
	json_decref(run->license_texts);
	cl_reuse_free(run->reuse);
	git_tree_free(run->tip_tree);
	cl_buf_dispose(&run->head);
}

/* A (path, blob) pair's identity in the push-wide set: the same blob under
 * another path may fall under other rules, so the path is part of it. */
static int seen_before(struct header_run *run, const struct changed_file *f)
{
	struct cl_buf *b = &run->scratch;
	git_oid key;
	int rc;

	if (!run->ctx->seen_blobs)
		return 0;
	cl_buf_clear(b);
	if ((rc = cl_buf_puts(b, f->path)) < 0 || (rc = cl_buf_put(b, "", 1)) < 0 ||
	    (rc = cl_buf_put(b, (const char *)f->blob.id, GIT_OID_RAWSZ)) < 0)
		return rc;
	/* A collision-resistant identity: a pusher must not be able to make one
	 * file pass for another already judged. */
	rc = git_odb_hash(&key, b->ptr, b->size, GIT_OBJECT_BLOB);
	if (rc < 0)
		return cl_error_from_git("cannot hash");
	rc = cl_oid_set_add(run->ctx->seen_blobs, &key);
	return rc < 0 ? rc : !rc;
}

static int judge_all(struct header_run *run)
{
	struct finding_text t;
	size_t i;
	int error = 0, rc;

	memset(&t, 0, sizeof(t));
	cl_buf_init(&run->head, 0);
	for (i = 0; i < run->count && error >= 0; i++) {
		if ((rc = seen_before(run, &run->files[i])) != 0) {
			error = rc < 0 ? rc : 0;
			continue;
		}
		error = judge_file(run, &run->files[i], &t);
	}
	if (error >= 0)
		error = verdict_flush(run);
	cl_buf_dispose(&t.message);
	cl_buf_dispose(&t.remedy);
	cl_buf_dispose(&t.key);
	return error;
}

int cl_headers_check(struct cl_check_ctx *ctx, const struct cl_header_options *opts)
{
	struct header_run run;
	git_commit *tip = NULL;
	git_oid id;
	size_t i;
	int error = 0;

	if (!opts->enabled || ctx->commit_count == 0 || !ctx->repo)
		return 0;
	memset(&run, 0, sizeof(run));
	run.ctx = ctx;
	run.opts = opts;
	/* Commits come oldest first, so the last is the tip of the update. */
	if (git_oid_fromstr(&id, ctx->commits[ctx->commit_count - 1].id) < 0 ||
	    git_commit_lookup(&tip, ctx->repo, &id) < 0 || git_commit_tree(&run.tip_tree, tip) < 0) {
		error = cl_error_from_git("cannot read the pushed tree");
		goto done;
	}
	for (i = 0; i < ctx->commit_count; i++)
		if ((error = collect_commit(&run, i)) < 0)
			goto done;
	if (!opts->per_commit) {
		/* Judge what the tip holds: a file changed and then fixed in the same push passes. */
		size_t kept = 0;
		for (i = 0; i < run.count; i++) {
			const git_tree_entry *e;
			if ((error = tip_entry(&e, &run, run.files[i].path)) < 0)
				goto done;
			if (!e || (git_tree_entry_filemode(e) != GIT_FILEMODE_BLOB &&
				   git_tree_entry_filemode(e) != GIT_FILEMODE_BLOB_EXECUTABLE))
				continue;
			git_oid_cpy(&run.files[i].blob, git_tree_entry_id(e));
			run.files[kept++] = run.files[i];
		}
		run.count = kept;
	}
	error = judge_all(&run);
done:
	git_commit_free(tip);
	run_dispose(&run);
	return error;
}

struct tree_walk {
	struct header_run *run;
	struct cl_buf path;
	int error;
};

static int on_tree_entry(const char *root, const git_tree_entry *entry, void *payload)
{
	struct tree_walk *w = payload;
	git_filemode_t mode = git_tree_entry_filemode(entry);

	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		return 0;
	cl_buf_clear(&w->path);
	if ((w->error = cl_buf_puts(&w->path, root)) >= 0 &&
	    (w->error = cl_buf_puts(&w->path, git_tree_entry_name(entry))) >= 0)
		w->error = files_add(w->run, w->path.ptr, w->path.size, git_tree_entry_id(entry), (size_t)-1);
	return w->error < 0 ? -1 : 0;
}

int cl_headers_check_tree(struct cl_findings *findings, struct cl_header_stats *stats,
	git_repository *repo, const struct cl_header_options *opts, const git_oid *commit_id,
	const char *label)
{
	struct cl_check_ctx ctx;
	struct header_run run;
	struct tree_walk walk;
	git_commit *commit = NULL;
	int error;

	memset(&ctx, 0, sizeof(ctx));
	ctx.repo = repo;
	ctx.ref = label;
	ctx.findings = findings;
	memset(&run, 0, sizeof(run));
	run.ctx = &ctx;
	run.opts = opts;
	run.stats = stats;
	run.paths_unique = 1;
	if (git_commit_lookup(&commit, repo, commit_id) < 0 || git_commit_tree(&run.tip_tree, commit) < 0) {
		error = cl_error_from_git("cannot read the tree");
		goto done;
	}
	walk.run = &run;
	walk.error = 0;
	cl_buf_init(&walk.path, 0);
	error = git_tree_walk(run.tip_tree, GIT_TREEWALK_PRE, on_tree_entry, &walk);
	cl_buf_dispose(&walk.path);
	if (walk.error < 0) {
		error = walk.error;
		goto done;
	}
	if (error < 0) {
		error = cl_error_from_git("cannot walk the tree");
		goto done;
	}
	error = judge_all(&run);
done:
	git_commit_free(commit);
	run_dispose(&run);
	return error;
}

int cl_header_stats_init(struct cl_header_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	stats->by_license = json_object();
	stats->by_problem = json_object();
	if (!stats->by_license || !stats->by_problem) {
		cl_header_stats_dispose(stats);
		return cl_error_set("out of memory");
	}
	return 0;
}

void cl_header_stats_dispose(struct cl_header_stats *stats)
{
	json_decref(stats->by_license);
	json_decref(stats->by_problem);
	stats->by_license = stats->by_problem = NULL;
}
