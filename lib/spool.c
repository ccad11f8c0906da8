/*
 * spool.c - the push-event spool (spool.h).
 *
 * Divisions: names; put; listing; flush; status.
 */
#include "spool.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "fileio.h"

/* A spool that grew past this is not read in one flush (a bot down for weeks). */
#define SPOOL_MAX_FILES 100000

/* ---- names ----------------------------------------------------------------- */

static int is_event_name(const char *name)
{
	size_t n = strlen(name), s = strlen(CL_SPOOL_SUFFIX);
	/* the temporary files of cl_file_write_atomic end in ".tmp.<pid>": never events */
	return n > s + 21 && name[0] != '.' && strspn(name, "0123456789") == 20 && name[20] == '-' &&
		strcmp(name + n - s, CL_SPOOL_SUFFIX) == 0;
}

/* ---- put ------------------------------------------------------------------- */

static int ensure_dir(const char *dir)
{
	if (mkdir(dir, 0750) < 0 && errno != EEXIST)
		return cl_error_set("cannot create spool '%s': %s", dir, strerror(errno));
	return 0;
}

int cl_spool_put(char **name, const char *dir, const char *event_id, const char *data, size_t len)
{
	struct cl_buf path = CL_BUF_INIT;
	struct timespec ts;
	char base[64 + CL_PUSH_EVENT_MAX_ID];
	int error;

	if (!cl_push_event_id_valid(event_id))
		return cl_error_setc(CL_EINVALID, "invalid event id");
	if ((error = ensure_dir(dir)) < 0)
		return error;
	/*
	 * Nanoseconds order the pushes of one repository (git runs post-receive
	 * after the refs moved, one push after another); the pid and the event
	 * id keep two pushes of the same nanosecond apart.
	 */
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(base, sizeof(base), "%020lld-%ld-%s%s",
		(long long)ts.tv_sec * 1000000000LL + ts.tv_nsec, (long)getpid(), event_id, CL_SPOOL_SUFFIX);
	if ((error = cl_buf_printf(&path, "%s/%s", dir, base)) < 0 ||
	    (error = cl_file_write_atomic(path.ptr, data, len, 0640)) < 0)
		goto done;
	if (name && !(*name = strdup(base)))
		error = cl_error_set("out of memory");
done:
	cl_buf_dispose(&path);
	return error;
}

/* ---- listing --------------------------------------------------------------- */

struct names {
	char **items;
	size_t count, alloc;
};

static void names_dispose(struct names *n)
{
	size_t i;
	for (i = 0; i < n->count; i++)
		free(n->items[i]);
	free(n->items);
	memset(n, 0, sizeof(*n));
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The event files of `dir`, sorted; a missing directory is empty. */
static int list_events(struct names *out, const char *dir, int *missing)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int error = 0;

	memset(out, 0, sizeof(*out));
	*missing = 0;
	if (!d) {
		if (errno == ENOENT) {
			*missing = 1;
			return 0;
		}
		return cl_error_set("cannot read spool '%s': %s", dir, strerror(errno));
	}
	while ((e = readdir(d)) != NULL) {
		if (!is_event_name(e->d_name))
			continue;
		if (out->count == SPOOL_MAX_FILES)
			break;   /* the rest waits for the next flush */
		if (out->count == out->alloc) {
			size_t n = out->alloc ? out->alloc * 2 : 16;
			char **p = realloc(out->items, n * sizeof(*p));
			if (!p) {
				error = cl_error_set("out of memory");
				break;
			}
			out->items = p;
			out->alloc = n;
		}
		if (!(out->items[out->count] = strdup(e->d_name))) {
			error = cl_error_set("out of memory");
			break;
		}
		out->count++;
	}
	closedir(d);
	if (error < 0)
		names_dispose(out);
	else if (out->count)
		qsort(out->items, out->count, sizeof(*out->items), name_cmp);
	return error;
}

/* Read and decode one spool file. @return 0, CL_EINVALID/CL_ETOOBIG (corrupt), < 0 */
static int read_event(struct cl_push_event **ev, struct cl_buf *data, const char *dir, const char *name)
{
	struct cl_buf path = CL_BUF_INIT;
	int error;

	cl_buf_init(data, CL_PUSH_EVENT_MAX_BYTES);
	if ((error = cl_buf_printf(&path, "%s/%s", dir, name)) < 0)
		goto done;
	if ((error = cl_buf_read_path(data, path.ptr)) < 0)
		goto done;
	error = cl_push_event_parse(ev, data->ptr ? data->ptr : "", data->size);
done:
	cl_buf_dispose(&path);
	return error;
}

static int move_bad(const char *dir, const char *name)
{
	struct cl_buf from = CL_BUF_INIT, bad = CL_BUF_INIT, to = CL_BUF_INIT;
	int error;

	if ((error = cl_buf_printf(&from, "%s/%s", dir, name)) < 0 ||
	    (error = cl_buf_printf(&bad, "%s/bad", dir)) < 0 ||
	    (error = cl_buf_printf(&to, "%s/bad/%s", dir, name)) < 0 ||
	    (error = ensure_dir(bad.ptr)) < 0)
		goto done;
	if (rename(from.ptr, to.ptr) < 0)
		error = cl_error_set("cannot move '%s' aside: %s", from.ptr, strerror(errno));
done:
	cl_buf_dispose(&from);
	cl_buf_dispose(&bad);
	cl_buf_dispose(&to);
	return error;
}

/* ---- flush ----------------------------------------------------------------- */

static int lock_spool(int *fd, const char *dir)
{
	struct cl_buf path = CL_BUF_INIT;
	int error = 0;

	if ((error = cl_buf_printf(&path, "%s/.lock", dir)) < 0)
		return error;
	*fd = open(path.ptr, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (*fd < 0)
		error = cl_error_set("cannot open '%s': %s", path.ptr, strerror(errno));
	else {
		while (flock(*fd, LOCK_EX) < 0) {
			if (errno == EINTR)
				continue;
			error = cl_error_set("cannot lock '%s': %s", path.ptr, strerror(errno));
			close(*fd);
			*fd = -1;
			break;
		}
	}
	cl_buf_dispose(&path);
	return error;
}

int cl_spool_flush(struct cl_spool_stats *stats, const char *dir, cl_spool_deliver_cb deliver,
	cl_spool_bad_cb bad, void *payload)
{
	struct names names;
	size_t i;
	int fd = -1, missing, error;

	memset(stats, 0, sizeof(*stats));
	memset(&names, 0, sizeof(names));
	if (access(dir, F_OK) < 0 && errno == ENOENT)
		return 0;
	if ((error = lock_spool(&fd, dir)) < 0)
		return error;
	/* listed under the lock: a file another flush delivered meanwhile is gone */
	if ((error = list_events(&names, dir, &missing)) < 0 || missing)
		goto done;
	for (i = 0; i < names.count; i++) {
		struct cl_push_event *ev = NULL;
		struct cl_buf data = CL_BUF_INIT, path = CL_BUF_INIT;

		error = read_event(&ev, &data, dir, names.items[i]);
		if (error == CL_EINVALID || error == CL_ETOOBIG) {
			char problem[512];
			snprintf(problem, sizeof(problem), "%s", cl_error_last());
			cl_buf_dispose(&data);
			if ((error = move_bad(dir, names.items[i])) < 0)
				goto done;
			stats->bad++;
			if (bad)
				bad(names.items[i], problem, payload);
			continue;
		}
		if (error == 0)
			error = deliver(ev, data.ptr, data.size, payload);
		if (error == 0 && (error = cl_buf_printf(&path, "%s/%s", dir, names.items[i])) == 0 &&
		    unlink(path.ptr) < 0)
			error = cl_error_set("cannot remove delivered '%s': %s", path.ptr, strerror(errno));
		cl_buf_dispose(&path);
		cl_buf_dispose(&data);
		cl_push_event_free(ev);
		if (error < 0) {
			stats->pending = names.count - i;
			goto done;
		}
		stats->delivered++;
	}
done:
	names_dispose(&names);
	if (fd >= 0)
		close(fd);   /* releases the lock */
	return error;
}

/* ---- status ---------------------------------------------------------------- */

int cl_spool_status(struct cl_spool_status *out, const char *dir, cl_spool_bad_cb bad, void *payload)
{
	struct names names, bad_names;
	struct cl_buf bad_dir = CL_BUF_INIT;
	size_t i;
	int missing, error;

	memset(out, 0, sizeof(*out));
	memset(&bad_names, 0, sizeof(bad_names));
	if ((error = list_events(&names, dir, &missing)) < 0)
		return error;
	for (i = 0; i < names.count; i++) {
		struct cl_push_event *ev = NULL;
		struct cl_buf data = CL_BUF_INIT;

		error = read_event(&ev, &data, dir, names.items[i]);
		cl_buf_dispose(&data);
		cl_push_event_free(ev);
		if (error == CL_EINVALID || error == CL_ETOOBIG) {
			out->corrupt++;
			if (bad)
				bad(names.items[i], cl_error_last(), payload);
			continue;
		}
		if (error < 0)
			goto done;
		if (!out->oldest)   /* the name starts with 20 digits of nanoseconds */
			out->oldest = strtoll(names.items[i], NULL, 10) / 1000000000LL;
		out->pending++;
	}
	if ((error = cl_buf_printf(&bad_dir, "%s/bad", dir)) < 0 ||
	    (error = list_events(&bad_names, bad_dir.ptr, &missing)) < 0)
		goto done;
	out->bad = bad_names.count;
done:
	names_dispose(&names);
	names_dispose(&bad_names);
	cl_buf_dispose(&bad_dir);
	return error;
}
