/*
 * deps_bench.c - the measuring half of bench/deps.sh (issue 4, performance).
 *
 *   deps_bench parse [-r RUNS] FILE...
 *       parse each file RUNS times with the parser its name selects and
 *       print size, dependencies and median throughput (MB/s)
 *   deps_bench diff [-r RUNS] [-q] REPO A B
 *       the dependency diff of the range A..B: the manifests and lock files
 *       whose blob changed are parsed at both ends and diffed (lib/deps_diff.h);
 *       prints the median wall time of RUNS in-process runs (or, with -q and
 *       RUNS 1, just runs once so that the caller can time the process)
 *
 * The diff here is what the dependency check does before judging; when
 * `clearance deps diff A..B` exists, bench/deps.sh times that instead.
 */
#include "buf.h"
#include "deps.h"
#include "deps_diff.h"
#include "error.h"
#include "json_arena.h"

#include <git2.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

#define BENCH_MAX_RUNS 1000

static double bench_clock(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double bench_now(void)
{
	return bench_clock(CLOCK_MONOTONIC);
}

/*
 * Parse throughput is CPU time of this thread: the parsers are single
 * threaded and CPU bound, and the machine running the benchmark may be
 * shared, where wall time would measure the neighbours.
 */
static double bench_cpu(void)
{
	return bench_clock(CLOCK_THREAD_CPUTIME_ID);
}

static int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double bench_median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof(*t), bench_cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static int bench_runs(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 1 || v > BENCH_MAX_RUNS) {
		fprintf(stderr, "deps_bench: runs must be 1..%d, not '%s'\n", BENCH_MAX_RUNS, s);
		exit(2);
	}
	return (int)v;
}

/* ---- parse ---------------------------------------------------------------- */

/*
 * The floor a parser cannot beat: the library it is built on reading the
 * same bytes and nothing else (json_loadb into an arena and dropping the
 * tree; libyaml's event loop). 0 when the format has no such library.
 */
static int bench_floor_once(const char *name, const char *data, size_t len)
{
	size_t n = strlen(name);

	if ((n > 5 && strcmp(name + n - 5, ".json") == 0) || strcmp(name, "composer.lock") == 0 ||
	    strcmp(name, "Pipfile.lock") == 0) {
		struct cl_json_arena arena = CL_JSON_ARENA_INIT;
		json_t *root;

		cl_json_arena_begin(&arena);
		root = json_loadb(data, len, JSON_REJECT_DUPLICATES, NULL);
		json_decref(root);
		cl_json_arena_end(&arena);
		return root ? 1 : -1;
	}
	if (strcmp(name, "pnpm-lock.yaml") == 0 || (strcmp(name, "yarn.lock") == 0 && strstr(data, "__metadata:"))) {
		yaml_parser_t parser;
		yaml_event_t ev;
		int done = 0, ok = 1;

		if (!yaml_parser_initialize(&parser))
			return -1;
		yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
		while (!done && ok) {
			if (!yaml_parser_parse(&parser, &ev)) {
				ok = 0;
				break;
			}
			done = ev.type == YAML_STREAM_END_EVENT;
			yaml_event_delete(&ev);
		}
		yaml_parser_delete(&parser);
		return ok ? 1 : -1;
	}
	return 0;
}

static int bench_parse_file(const char *path, int runs)
{
	const struct cl_dep_format *f = cl_dep_format_for_path(path);
	struct cl_buf b = CL_BUF_INIT;
	double t[BENCH_MAX_RUNS], tf[BENCH_MAX_RUNS];
	size_t count = 0;
	int r, error, has_floor = 1;

	if (!f) {
		fprintf(stderr, "deps_bench: no parser reads '%s'\n", path);
		return -1;
	}
	if ((error = cl_buf_read_path(&b, path)) < 0) {
		fprintf(stderr, "deps_bench: %s\n", cl_error_last());
		return error;
	}
	/*
	 * Each run parses once and then reads the same bytes through the
	 * floor, so both see the same machine: on a shared host the speed of
	 * either swings by a quarter within minutes, their ratio far less.
	 */
	for (r = 0; r < runs; r++) {
		struct cl_dep_list list = CL_DEP_LIST_INIT;
		double t0 = bench_cpu();
		int rc;
		error = f->parse(&list, path, b.ptr, b.size);
		t[r] = bench_cpu() - t0;
		count = list.count;
		cl_dep_list_dispose(&list);
		if (error < 0) {
			fprintf(stderr, "deps_bench: %s\n", cl_error_last());
			cl_buf_dispose(&b);
			return error;
		}
		t0 = bench_cpu();
		rc = bench_floor_once(f->name, b.ptr, b.size);
		tf[r] = bench_cpu() - t0;
		if (rc <= 0)
			has_floor = 0;
	}
	{
		double med = bench_median(t, runs), best = t[0];   /* bench_median sorts t */
		double mb = (double)b.size / 1e6;

		printf("%-20s %7.2f %6zu %8.2f %8.1f %8.1f", f->name, mb, count, med * 1e3, mb / med, mb / best);
		if (has_floor)
			printf(" %10.1f\n", mb / bench_median(tf, runs));
		else
			printf(" %10s\n", "-");
	}
	cl_buf_dispose(&b);
	return 0;
}

static int bench_parse(int argc, char **argv)
{
	int runs = 20, i = 0, failed = 0;

	if (argc >= 2 && strcmp(argv[0], "-r") == 0) {
		runs = bench_runs(argv[1]);
		i = 2;
	}
	printf("%-20s %7s %6s %8s %8s %8s %10s\n", "format", "MB", "deps", "cpu ms", "MB/s", "best", "lib MB/s");
	for (; i < argc; i++)
		if (bench_parse_file(argv[i], runs) < 0)
			failed = 1;
	return failed;
}

/* ---- diff ----------------------------------------------------------------- */

struct bench_range {
	git_repository *repo;
	struct cl_dep_list before, after;
};

static int bench_parse_blob(struct cl_dep_list *out, git_repository *repo, const git_diff_file *file,
	const struct cl_dep_format *f)
{
	git_blob *blob = NULL;
	int error;

	if (!(file->flags & GIT_DIFF_FLAG_EXISTS))
		return 0;
	if (git_blob_lookup(&blob, repo, &file->id) < 0)
		return cl_error_from_git("cannot read blob");
	error = f->parse(out, file->path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return error;
}

static int bench_delta(struct bench_range *r, const git_diff_delta *delta)
{
	const struct cl_dep_format *f;
	int error;

	f = cl_dep_format_for_path(delta->new_file.path);
	if (!f)
		return 0;
	if ((error = bench_parse_blob(&r->before, r->repo, &delta->old_file, f)) < 0 ||
	    (error = bench_parse_blob(&r->after, r->repo, &delta->new_file, f)) < 0)
		return error;
	return 0;
}

static int bench_tree(git_tree **out, git_repository *repo, const char *spec)
{
	git_object *obj = NULL;
	int error = 0;

	if (git_revparse_single(&obj, repo, spec) < 0 ||
	    git_object_peel((git_object **)out, obj, GIT_OBJECT_TREE) < 0)
		error = cl_error_from_git(spec);
	git_object_free(obj);
	return error;
}

/* One diff of the range: trees, changed blobs, parse, cl_deps_diff. */
static int bench_diff_once(size_t *out_changes, const char *path, const char *a, const char *b)
{
	struct bench_range r = { NULL, CL_DEP_LIST_INIT, CL_DEP_LIST_INIT };
	struct cl_dep_changes changes = CL_DEP_CHANGES_INIT;
	git_tree *ta = NULL, *tb = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	size_t i;
	int error;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);

	if (git_repository_open_ext(&r.repo, path, 0, NULL) < 0) {
		error = cl_error_from_git(path);
		goto done;
	}
	if ((error = bench_tree(&ta, r.repo, a)) < 0 || (error = bench_tree(&tb, r.repo, b)) < 0)
		goto done;
	if (git_diff_tree_to_tree(&diff, r.repo, ta, tb, &opts) < 0) {
		error = cl_error_from_git("cannot diff the trees");
		goto done;
	}
	/* git_diff_get_delta, not git_diff_foreach: that one reads every blob to detect binaries */
	for (i = 0; i < git_diff_num_deltas(diff); i++)
		if ((error = bench_delta(&r, git_diff_get_delta(diff, i))) < 0)
			goto done;
	if ((error = cl_deps_diff(&changes, &r.before, &r.after)) < 0)
		goto done;
	*out_changes = changes.count;
done:
	cl_dep_changes_dispose(&changes);
	cl_dep_list_dispose(&r.before);
	cl_dep_list_dispose(&r.after);
	git_diff_free(diff);
	git_tree_free(ta);
	git_tree_free(tb);
	git_repository_free(r.repo);
	return error;
}

static int bench_diff(int argc, char **argv)
{
	double t[BENCH_MAX_RUNS], c[BENCH_MAX_RUNS];
	int runs = 10, quiet = 0, i = 0, r;
	size_t changes = 0;

	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) {
			runs = bench_runs(argv[i + 1]);
			i += 2;
		} else if (strcmp(argv[i], "-q") == 0) {
			quiet = 1;
			i++;
		} else {
			break;
		}
	}
	if (argc - i != 3) {
		fprintf(stderr, "usage: deps_bench diff [-r RUNS] [-q] REPO A B\n");
		return 2;
	}
	/* as the pre-receive hook runs (hooks/hook.c): index-pack already hashed the objects */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	for (r = 0; r < runs; r++) {
		double t0 = bench_now(), c0 = bench_cpu();
		if (bench_diff_once(&changes, argv[i], argv[i + 1], argv[i + 2]) < 0) {
			fprintf(stderr, "deps_bench: %s\n", cl_error_last());
			return 1;
		}
		t[r] = bench_now() - t0;
		c[r] = bench_cpu() - c0;
	}
	if (!quiet)
		printf("%zu changes, median %.2f ms of %d runs, cpu %.2f ms\n", changes, bench_median(t, runs) * 1e3,
			runs, bench_median(c, runs) * 1e3);
	return 0;
}

int main(int argc, char **argv)
{
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: deps_bench parse [-r RUNS] FILE...\n"
				"       deps_bench diff [-r RUNS] [-q] REPO A B\n");
		return 2;
	}
	if (!getenv("DEPS_BENCH_NO_ARENA"))
		cl_json_arena_install();
	git_libgit2_init();
	if (strcmp(argv[1], "parse") == 0)
		rc = bench_parse(argc - 2, argv + 2);
	else if (strcmp(argv[1], "diff") == 0)
		rc = bench_diff(argc - 2, argv + 2);
	else {
		fprintf(stderr, "deps_bench: unknown mode '%s'\n", argv[1]);
		rc = 2;
	}
	git_libgit2_shutdown();
	return rc;
}
