/*
 * deps_tree.c - the dependencies of a whole tree (see deps_tree.h).
 */
#include "deps_tree.h"
#include "buf.h"
#include "deps_git.h"
#include "error.h"

#include <string.h>

/* Directories that hold vendored copies, never the project's own manifests. */
static const char *const skipped_dirs[] = { "node_modules", "vendor", ".git" };

struct tree_walk {
	struct cl_dep_list *out;
	git_repository *repo;
	git_tree *tree;
	git_odb *odb;
	cl_deps_problem_cb cb;
	void *payload;
	struct cl_buf path;
	int error;
};

/* Looks up gitlinks for .gitmodules in the directory `dir` of `tree`. */
struct gitlink_lookup {
	git_tree *tree;
	const char *dir;          /* "" or "sub/dir/", points into the walk's path */
	size_t dir_len;
	struct cl_buf path;
	char hex[GIT_OID_HEXSZ + 1];
};

static int tree_gitlink(const char **out_commit, const char *sub_path, void *payload)
{
	struct gitlink_lookup *g = payload;
	git_tree_entry *entry = NULL;
	int error;

	cl_buf_clear(&g->path);
	if ((error = cl_buf_put(&g->path, g->dir, g->dir_len)) < 0 ||
	    (error = cl_buf_puts(&g->path, sub_path)) < 0)
		return error;
	if (git_tree_entry_bypath(&entry, g->tree, cl_buf_cstr(&g->path)) < 0) {
		/* A submodule listed without its gitlink: reported without a version. */
		git_error_clear();
		return CL_ENOTFOUND;
	}
	if (git_tree_entry_filemode(entry) == GIT_FILEMODE_COMMIT) {
		git_oid_tostr(g->hex, sizeof(g->hex), git_tree_entry_id(entry));
		*out_commit = g->hex;
		error = 0;
	} else {
		error = CL_ENOTFOUND;
	}
	git_tree_entry_free(entry);
	return error;
}

/* Parse one blob as `format`; .gitmodules reads its gitlinks from `tree`. */
static int blob_parse(struct cl_dep_list *out, git_tree *tree, const struct cl_dep_format *format,
	const char *path, const char *data, size_t len)
{
	struct gitlink_lookup g;
	const char *slash;
	int error;

	if (format->parse != cl_deps_gitmodules_parse)
		return format->parse(out, path, data, len);
	/* Submodule paths in a .gitmodules are relative to its directory. */
	memset(&g, 0, sizeof(g));
	g.tree = tree;
	g.dir = path;
	slash = strrchr(path, '/');
	g.dir_len = slash ? (size_t)(slash + 1 - path) : 0;
	error = cl_deps_gitmodules_parse_ext(out, path, data, len, tree_gitlink, &g);
	cl_buf_dispose(&g.path);
	return error;
}

/* The size check, the read and the parse of one manifest blob. */
static int blob_read_parse(struct cl_dep_list *out, git_repository *repo, git_odb *odb,
	git_tree *tree, const struct cl_dep_format *format, const char *path, const git_oid *id)
{
	git_blob *blob = NULL;
	git_object_t type;
	size_t size;
	int error;

	/* The header first: git_blob_lookup would inflate a huge blob whole. */
	if (git_odb_read_header(&size, &type, odb, id) < 0) {
		error = cl_error_from_git(path);
		goto done;
	}
	if (size > CL_DEPS_TREE_MAX_BLOB) {
		error = cl_error_setc(CL_ETOOBIG, "%s: %zu bytes, over the %zu MiB limit for a manifest; not read",
			path, size, CL_DEPS_TREE_MAX_BLOB >> 20);
		goto done;
	}
	if (git_blob_lookup(&blob, repo, id) < 0) {
		error = cl_error_from_git(path);
		goto done;
	}
	error = blob_parse(out, tree, format, path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
done:
	git_blob_free(blob);
	return error;
}

int cl_deps_from_blob(struct cl_dep_list *out, git_repository *repo, git_tree *tree,
	const char *path, const git_oid *id)
{
	const struct cl_dep_format *format = cl_dep_format_for_path(path);
	git_odb *odb = NULL;
	int error;

	if (!format)
		return cl_error_setc(CL_ENOTFOUND, "%s: not a manifest or lock file clearance reads", path);
	if (git_repository_odb(&odb, repo) < 0)
		return cl_error_from_git("cannot open the object database");
	error = blob_read_parse(out, repo, odb, tree, format, path, id);
	git_odb_free(odb);
	return error;
}

/* Hand a file's problem to the callback, or fail with it when there is none. */
static int tree_problem(struct tree_walk *w, const char *path, int code)
{
	struct cl_buf msg = CL_BUF_INIT;
	int error;

	if (!w->cb)
		return code;
	if ((error = cl_buf_puts(&msg, cl_error_last())) < 0)
		return error;
	cl_error_clear();
	error = w->cb(path, code, cl_buf_cstr(&msg), w->payload);
	cl_buf_dispose(&msg);
	return error;
}

static int tree_file(struct tree_walk *w, const char *path, const git_oid *id)
{
	const struct cl_dep_format *format = cl_dep_format_for_path(path);
	int error;

	if (!format)
		return 0;
	error = blob_read_parse(w->out, w->repo, w->odb, w->tree, format, path, id);
	if (error == CL_EINVALID || error == CL_ETOOBIG)
		error = tree_problem(w, path, error);
	return error;
}

int cl_deps_tree_skipped_dir(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(skipped_dirs) / sizeof(skipped_dirs[0]); i++)
		if (!strcmp(name, skipped_dirs[i]))
			return 1;
	return 0;
}

static int tree_entry(const char *root, const git_tree_entry *entry, void *payload)
{
	struct tree_walk *w = payload;
	const char *name = git_tree_entry_name(entry);
	git_filemode_t mode = git_tree_entry_filemode(entry);

	if (mode == GIT_FILEMODE_TREE)
		return cl_deps_tree_skipped_dir(name); /* positive: git_tree_walk skips the subtree */
	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		return 0;
	cl_buf_clear(&w->path);
	if ((w->error = cl_buf_puts(&w->path, root)) < 0 || (w->error = cl_buf_puts(&w->path, name)) < 0)
		return -1;
	w->error = tree_file(w, cl_buf_cstr(&w->path), git_tree_entry_id(entry));
	return w->error < 0 ? -1 : 0;
}

int cl_deps_from_tree(struct cl_dep_list *out, git_repository *repo, git_tree *tree,
	cl_deps_problem_cb cb, void *payload)
{
	struct tree_walk w;
	int error;

	memset(&w, 0, sizeof(w));
	w.out = out;
	w.repo = repo;
	w.tree = tree;
	w.cb = cb;
	w.payload = payload;
	if (git_repository_odb(&w.odb, repo) < 0) {
		error = cl_error_from_git("cannot open the object database");
		goto done;
	}
	error = git_tree_walk(tree, GIT_TREEWALK_PRE, tree_entry, &w);
	if (w.error < 0)
		error = w.error;
	else if (error < 0)
		error = cl_error_from_git("cannot walk the tree");
done:
	git_odb_free(w.odb);
	cl_buf_dispose(&w.path);
	return error;
}
