/*
 * clearance fix-headers [PATHS...]: give files the license header the
 * policy wants, in their own comment syntax, so that the hook's rejection
 * comes with a command that ends it.
 */
#include "commands.h"
#include "buf.h"
#include "comment_style.h"
#include "error.h"
#include "fileio.h"
#include "header_scan.h"
#include "headers.h"
#include "policy.h"
#include "spdx.h"

#include <errno.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Source files larger than this are not rewritten (a header is at the top). */
#define FIX_MAX_FILE (64u * 1024 * 1024)

struct fix_opts {
	const char *license;      /* --license, may be NULL */
	char *copyright;          /* --copyright, or made from git config when required */
	int dry_run;
	const struct cl_header_options *policy;
	git_repository *repo;
	size_t changed, unchanged, failed;
};

static void fix_usage(FILE *fp)
{
	fprintf(fp,
		"usage: clearance fix-headers [--license EXPR] [--copyright TEXT] [--policy FILE]\n"
		"                             [--dry-run] [PATH...]\n"
		"\n"
		"Insert or repair the SPDX license header of each PATH (default: every tracked\n"
		"file the policy's headers section checks), in the file's comment syntax,\n"
		"after any shebang, XML prolog or encoding line. A wrong SPDX line is replaced,\n"
		"never doubled; a compliant file is left alone, so running it twice changes\n"
		"nothing. Files that cannot hold a comment (JSON, images) get a PATH.license\n"
		"sidecar, as REUSE specifies.\n"
		"  --license EXPR   the license expression; default: the one license the policy\n"
		"                   allows, or the file's own expression when it is valid\n"
		"  --copyright TEXT add \"SPDX-FileCopyrightText: TEXT\" when the file has no notice;\n"
		"                   default when the policy requires one: \"YEAR user.name <user.email>\"\n"
		"  --policy FILE    the policy (default: as 'clearance check' finds it)\n"
		"  --dry-run        print the changes as a diff, write nothing\n");
}

static int any_problem(const struct cl_spdx_problem *problem, void *payload)
{
	(void)problem;
	(void)payload;
	return 1;
}

/* The expression a file should carry, or NULL (with a message) when unknown. */
static const char *expression_for(struct fix_opts *o, const struct cl_header_info *info,
	struct cl_buf *holder)
{
	struct cl_spdx_expr *expr = NULL;
	const char *single = NULL;
	int valid = 0;

	if (o->license)
		return o->license;
	if (info->found && cl_spdx_parse(&expr, info->expression, info->expression_len) == 0) {
		valid = cl_spdx_validate(expr, any_problem, NULL) == 0;
		cl_buf_clear(holder);
		if (valid && cl_spdx_expr_to_string(holder, expr) == 0) {
			cl_spdx_expr_free(expr);
			return cl_buf_cstr(holder);
		}
	}
	cl_spdx_expr_free(expr);
	if (o->policy->licenses.count == 1) {
		single = cl_pattern_text(o->policy->licenses.items[0]);
		if (!strpbrk(single, "*?\\") && strncmp(single, "re:", 3))
			return single;
	}
	return NULL;
}

static int show_diff(const char *path, const char *old, size_t old_len, const char *new_text, size_t new_len)
{
	git_patch *patch = NULL;
	git_buf out = GIT_BUF_INIT;
	int error = 0;

	if (git_patch_from_buffers(&patch, old, old_len, path, new_text, new_len, path, NULL) < 0 ||
	    git_patch_to_buf(&out, patch) < 0)
		error = cl_error_from_git("cannot show the change");
	else
		fputs(out.ptr, stdout);
	git_buf_dispose(&out);
	git_patch_free(patch);
	return error;
}

static int write_keeping_mode(const char *path, const char *data, size_t len)
{
	struct stat st;
	mode_t mode = 0644;
	if (stat(path, &st) == 0)
		mode = st.st_mode & 07777;
	return cl_file_write_atomic(path, data, len, mode);
}

static int fix_sidecar(struct fix_opts *o, const char *path, const char *expression)
{
	struct cl_buf name = CL_BUF_INIT, text = CL_BUF_INIT;
	int error;

	if ((error = cl_buf_printf(&name, "%s.license", path)) < 0)
		goto done;
	if (access(cl_buf_cstr(&name), F_OK) == 0) {
		struct cl_buf old = CL_BUF_INIT;
		struct cl_header_info info;
		/* A sidecar is plain text: a tag at a line start counts (no style). */
		if ((error = cl_buf_read_path(&old, cl_buf_cstr(&name))) == 0 &&
		    (error = cl_header_scan(&info, cl_buf_cstr(&old), old.size, NULL, NULL)) == 0) {
			if (info.found)
				o->unchanged++;
			else {
				fprintf(stderr, "clearance: %s: its sidecar %s has no SPDX-License-Identifier "
					"line: add \"SPDX-License-Identifier: %s\" to it\n", path,
					cl_buf_cstr(&name), expression);
				o->failed++;
			}
		}
		cl_buf_dispose(&old);
		goto done;
	}
	if ((error = cl_buf_printf(&text, "SPDX-License-Identifier: %s\n", expression)) < 0 ||
	    (o->copyright && (error = cl_buf_printf(&text, "SPDX-FileCopyrightText: %s\n", o->copyright)) < 0))
		goto done;
	if (o->dry_run) {
		error = show_diff(cl_buf_cstr(&name), "", 0, text.ptr, text.size);
	} else {
		error = write_keeping_mode(cl_buf_cstr(&name), text.ptr, text.size);
		if (error == 0)
			printf("created %s\n", cl_buf_cstr(&name));
	}
	if (error == 0)
		o->changed++;
done:
	cl_buf_dispose(&name);
	cl_buf_dispose(&text);
	return error;
}

static int fix_one(struct fix_opts *o, const char *path)
{
	struct cl_buf data, fixed = CL_BUF_INIT, holder = CL_BUF_INIT;
	const struct cl_comment_style *style = cl_comment_style_for_path(path);
	struct cl_header_info info;
	const char *expression;
	int error;

	cl_buf_init(&data, FIX_MAX_FILE);
	if ((error = cl_buf_read_path(&data, path)) < 0)
		goto done;
	if ((error = cl_header_scan(&info, cl_buf_cstr(&data), data.size < o->policy->window_bytes ?
			data.size : o->policy->window_bytes, style, o->policy->copyright_pattern)) < 0)
		goto done;
	if (info.binary) {
		/* A binary cannot hold a header; REUSE's sidecar is the way. */
		style = NULL;
	}
	if ((expression = expression_for(o, &info, &holder)) == NULL) {
		fprintf(stderr, "clearance: %s: which license? give --license EXPR (the policy allows "
			"more than one)\n", path);
		o->failed++;
		goto done;
	}
	if (!cl_comment_style_has_comments(style)) {
		if (info.found)
			o->unchanged++;
		else
			error = fix_sidecar(o, path, expression);
		goto done;
	}
	if ((error = cl_header_fix(&fixed, cl_buf_cstr(&data), data.size, style, expression,
			o->copyright)) < 0)
		goto done;
	if (fixed.size == data.size && !memcmp(fixed.ptr, data.ptr, data.size)) {
		o->unchanged++;
		goto done;
	}
	o->changed++;
	if (o->dry_run)
		error = show_diff(path, data.ptr, data.size, fixed.ptr, fixed.size);
	else if ((error = write_keeping_mode(path, fixed.ptr, fixed.size)) == 0)
		printf("fixed %s\n", path);
done:
	if (error < 0) {
		fprintf(stderr, "clearance: %s: %s\n", path, cl_error_last());
		o->failed++;
		error = 0;
	}
	cl_buf_dispose(&data);
	cl_buf_dispose(&fixed);
	cl_buf_dispose(&holder);
	return error;
}

static int default_copyright(char **out, git_repository *repo)
{
	git_config *cfg = NULL;
	git_buf name = GIT_BUF_INIT, email = GIT_BUF_INIT;
	struct cl_buf b = CL_BUF_INIT;
	time_t now = time(NULL);
	struct tm tm;
	int error = 0;

	gmtime_r(&now, &tm);
	if (git_repository_config_snapshot(&cfg, repo) < 0 ||
	    git_config_get_string_buf(&name, cfg, "user.name") < 0) {
		error = cl_error_set("the policy requires a copyright notice: give --copyright TEXT "
			"(or set git config user.name)");
		goto done;
	}
	if (git_config_get_string_buf(&email, cfg, "user.email") == 0)
		error = cl_buf_printf(&b, "%d %s <%s>", tm.tm_year + 1900, name.ptr, email.ptr);
	else
		error = cl_buf_printf(&b, "%d %s", tm.tm_year + 1900, name.ptr);
	if (error == 0)
		*out = cl_buf_detach(&b);
done:
	git_error_clear();
	cl_buf_dispose(&b);
	git_buf_dispose(&name);
	git_buf_dispose(&email);
	git_config_free(cfg);
	return error;
}

/* No PATHS: every tracked file the policy's headers section would check. */
static int fix_index(struct fix_opts *o)
{
	git_index *index = NULL;
	const char *workdir = git_repository_workdir(o->repo);
	size_t i, n;
	int error = 0;

	if (!workdir)
		return cl_error_set("a bare repository has no files to fix");
	if (git_repository_index(&index, o->repo) < 0)
		return cl_error_from_git("cannot read the index");
	/* Index paths are relative to the top; so are the names we print. */
	if (chdir(workdir) < 0) {
		git_index_free(index);
		return cl_error_set("cannot enter '%s': %s", workdir, strerror(errno));
	}
	n = git_index_entrycount(index);
	for (i = 0; i < n && error >= 0; i++) {
		const git_index_entry *e = git_index_get_byindex(index, i);
		int skip;
		if ((e->mode != GIT_FILEMODE_BLOB && e->mode != GIT_FILEMODE_BLOB_EXECUTABLE))
			continue;
		if ((skip = cl_header_path_skipped(o->policy, e->path)) < 0) {
			error = skip;
			break;
		}
		if (skip)
			continue;
		error = fix_one(o, e->path);
	}
	git_index_free(index);
	return error;
}

int cmd_fix_headers(int argc, char **argv)
{
	struct fix_opts o;
	struct cl_policy *policy = NULL;
	const char *policy_file = NULL;
	char *source = NULL;
	int i, first_path = 0, rc = CL_EXIT_CONFIG;

	memset(&o, 0, sizeof(o));
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fix_usage(stdout);
			return CL_EXIT_OK;
		} else if (!strcmp(argv[i], "--license") && i + 1 < argc) {
			o.license = argv[++i];
		} else if (!strcmp(argv[i], "--copyright") && i + 1 < argc) {
			free(o.copyright);
			if ((o.copyright = strdup(argv[++i])) == NULL)
				return CL_EXIT_CONFIG;
		} else if (!strcmp(argv[i], "--policy") && i + 1 < argc) {
			policy_file = argv[++i];
		} else if (!strcmp(argv[i], "--dry-run") || !strcmp(argv[i], "-n")) {
			o.dry_run = 1;
		} else if (!strcmp(argv[i], "--")) {
			first_path = i + 1;
			break;
		} else if (argv[i][0] == '-') {
			fix_usage(stderr);
			free(o.copyright);
			return CL_EXIT_CONFIG;
		} else {
			first_path = i;
			break;
		}
	}

	git_libgit2_init();
	if (git_repository_open_ext(&o.repo, ".", 0, NULL) < 0) {
		cl_error_from_git("not in a git repository");
		cli_error(NULL);
		goto done;
	}
	if (cli_load_policy(&policy, &source, o.repo, policy_file) < 0) {
		cli_error(NULL);
		goto done;
	}
	o.policy = cl_policy_headers(policy);
	if (o.license) {
		struct cl_spdx_expr *e = NULL;
		if (cl_spdx_parse(&e, o.license, strlen(o.license)) < 0) {
			cli_error("--license");
			goto done;
		}
		cl_spdx_expr_free(e);
	}
	if (!o.copyright && o.policy->copyright == CL_COPYRIGHT_REQUIRED &&
	    default_copyright(&o.copyright, o.repo) < 0) {
		cli_error(NULL);
		goto done;
	}
	if (first_path) {
		for (i = first_path; i < argc; i++)
			if (fix_one(&o, argv[i]) < 0)
				break;
	} else if (fix_index(&o) < 0) {
		cli_error(NULL);
		goto done;
	}
	fprintf(stderr, "clearance: %zu file(s) %s, %zu already compliant, %zu failed\n", o.changed,
		o.dry_run ? "would change" : "changed", o.unchanged, o.failed);
	rc = o.failed ? CL_EXIT_REJECT : CL_EXIT_OK;
done:
	free(o.copyright);
	free(source);
	cl_policy_free(policy);
	git_repository_free(o.repo);
	git_libgit2_shutdown();
	return rc;
}
