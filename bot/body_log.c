/*
 * body_log.c - append-only payload segments beside the store (body_log.h).
 */
#include "body_log.h"
#include "error.h"
#include "strmap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define RECORD_MAGIC "CLB1"
#define HEADER_BYTES 16
/* a record is two iovecs; writev takes IOV_MAX at a time */
#define IOV_PER_CALL (IOV_MAX & ~1)
#define CHECK_SEED 0x636c6231u

struct pending {
	unsigned char header[HEADER_BYTES];
	const char *body;
	size_t len;
};

struct cl_body_log {
	char *dir;
	int sync;
	/*
	 * Who may read and write the store's file may do the same with its
	 * payloads, no one else: new segments get its mode and, when root
	 * makes them (a hook run as root), its owner, as SQLite does for its
	 * -wal file. A root-owned segment would refuse the bot's appends.
	 */
	mode_t mode;
	uid_t uid;
	gid_t gid;
	int chown;
	/* the segment appended to: its number, descriptor and (in a batch) end */
	long long segment;
	int fd;
	long long end;          /* where the batch's next record goes */
	long long batch_start;
	struct pending *pending;
	size_t npending, cap;
	/* the segment last read, kept open: workers read in order */
	long long read_segment;
	int read_fd;
};

static void segment_path(char *out, size_t size, const char *dir, long long segment)
{
	snprintf(out, size, "%s/%08lld.log", dir, segment);
}

/* Give a new file or directory the store file's owner and permissions. */
static int adopt(int fd, const struct cl_body_log *log, mode_t mode, const char *path)
{
	if (log->chown && fchown(fd, log->uid, log->gid) < 0)
		return cl_error_from_errno(path);
	if (fchmod(fd, mode) < 0)
		return cl_error_from_errno(path);
	return 0;
}

/* The highest segment number in the directory; 1 when there is none. */
static long long last_segment(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	long long best = 1;

	if (!d)
		return best;
	while ((e = readdir(d)) != NULL) {
		char *end;
		long long n = strtoll(e->d_name, &end, 10);
		if (end != e->d_name && strcmp(end, ".log") == 0 && n > best)
			best = n;
	}
	closedir(d);
	return best;
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return cl_error_from_errno(dir);
	rc = fsync(fd);
	close(fd);
	return rc < 0 ? cl_error_from_errno(dir) : 0;
}

int cl_body_log_open(struct cl_body_log **out, const char *store_path, int sync)
{
	struct cl_body_log *log = calloc(1, sizeof(*log));
	size_t n = strlen(store_path);
	struct stat st;
	int error = 0;

	if (!log)
		return cl_error_set("out of memory");
	log->fd = log->read_fd = -1;
	log->sync = sync;
	if ((log->dir = malloc(n + sizeof("-bodies"))) == NULL) {
		free(log);
		return cl_error_set("out of memory");
	}
	memcpy(log->dir, store_path, n);
	memcpy(log->dir + n, "-bodies", sizeof("-bodies"));
	log->mode = 0600;
	if (stat(store_path, &st) == 0) {
		log->mode = st.st_mode & 0666;
		log->uid = st.st_uid;
		log->gid = st.st_gid;
		log->chown = geteuid() == 0 && (st.st_uid != 0 || st.st_gid != 0);
	}
	if (mkdir(log->dir, 0700) == 0) {
		/* the directory: searchable by whoever may read the store */
		int fd = open(log->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		error = fd < 0 ? cl_error_from_errno(log->dir) :
			adopt(fd, log, log->mode | (log->mode & 0444) >> 2, log->dir);
		if (fd >= 0)
			close(fd);
	} else if (errno != EEXIST) {
		error = cl_error_from_errno(log->dir);
	}
	if (error < 0) {
		cl_body_log_close(log);
		return error;
	}
	log->segment = last_segment(log->dir);
	*out = log;
	return 0;
}

void cl_body_log_close(struct cl_body_log *log)
{
	if (!log)
		return;
	if (log->fd >= 0)
		close(log->fd);
	if (log->read_fd >= 0)
		close(log->read_fd);
	free(log->pending);
	free(log->dir);
	free(log);
}

/* Open segment `segment` for appending, creating it. */
static int open_segment(struct cl_body_log *log, long long segment)
{
	char path[PATH_MAX];
	int created = 0, error;

	if (log->fd >= 0)
		close(log->fd);
	segment_path(path, sizeof(path), log->dir, segment);
	log->fd = open(path, O_WRONLY | O_CLOEXEC);
	if (log->fd < 0 && errno == ENOENT) {
		log->fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		created = log->fd >= 0;
	}
	if (log->fd < 0)
		return cl_error_from_errno(path);
	log->segment = segment;
	if (created && (error = adopt(log->fd, log, log->mode, path)) < 0)
		return error;
	/* a new file's name must survive a power loss as well as its bytes */
	if (created && log->sync)
		return sync_dir(log->dir);
	return 0;
}

int cl_body_log_begin(struct cl_body_log *log)
{
	struct stat st;
	int error;

	log->npending = 0;
	if (log->fd < 0 && (error = open_segment(log, log->segment)) < 0)
		return error;
	/*
	 * The real end, under the store's write lock: another process may
	 * have appended since, or a failed batch left bytes no row refers to.
	 */
	for (;;) {
		if (fstat(log->fd, &st) < 0)
			return cl_error_from_errno("store: payload segment");
		if (st.st_size < CL_BODY_LOG_SEGMENT_BYTES)
			break;
		if ((error = open_segment(log, log->segment + 1)) < 0)
			return error;
	}
	log->end = log->batch_start = st.st_size;
	return 0;
}

static void put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void cl_body_log_place(struct cl_body_log *log, struct cl_body_ref *ref, const char *body, size_t len)
{
	ref->segment = log->segment;
	ref->offset = log->end;
	ref->length = (long long)len;
	ref->check = (long long)cl_hash_bytes(CHECK_SEED, body, len);
}

static void encode_header(unsigned char *h, const struct cl_body_ref *ref)
{
	uint64_t check = (uint64_t)ref->check;

	memcpy(h, RECORD_MAGIC, 4);
	put_u32(h + 4, (uint32_t)ref->length);
	put_u32(h + 8, (uint32_t)check);
	put_u32(h + 12, (uint32_t)(check >> 32));
}

int cl_body_log_add(struct cl_body_log *log, const struct cl_body_ref *ref, const char *body)
{
	struct pending *p;

	if (ref->segment != log->segment || ref->offset != log->end || ref->length > UINT32_MAX)
		return cl_error_set("store: payload placed out of turn");
	if (log->npending == log->cap) {
		size_t cap = log->cap ? 2 * log->cap : 64;
		struct pending *np = realloc(log->pending, cap * sizeof(*np));
		if (!np)
			return cl_error_set("out of memory");
		log->pending = np;
		log->cap = cap;
	}
	p = &log->pending[log->npending++];
	encode_header(p->header, ref);
	p->body = body;
	p->len = (size_t)ref->length;
	log->end += HEADER_BYTES + ref->length;
	return 0;
}

int cl_body_log_write(struct cl_body_log *log)
{
	struct iovec iov[IOV_PER_CALL];
	long long off = log->batch_start;
	size_t next = 0;

	while (next < log->npending) {
		size_t n = 0, first = 0;
		ssize_t w;

		while (next < log->npending && n + 2 <= IOV_PER_CALL) {
			iov[n].iov_base = log->pending[next].header;
			iov[n++].iov_len = HEADER_BYTES;
			iov[n].iov_base = (void *)log->pending[next].body;
			iov[n++].iov_len = log->pending[next].len;
			next++;
		}
		/* a short write goes on from where it stopped */
		while (first < n) {
			w = pwritev(log->fd, iov + first, (int)(n - first), (off_t)off);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				log->npending = 0;
				return cl_error_from_errno("store: cannot write payloads");
			}
			off += w;
			while (first < n && (size_t)w >= iov[first].iov_len)
				w -= (ssize_t)iov[first++].iov_len;
			if (first < n) {
				iov[first].iov_base = (char *)iov[first].iov_base + w;
				iov[first].iov_len -= (size_t)w;
			}
		}
	}
	log->npending = 0;
	if (log->sync && off > log->batch_start && fdatasync(log->fd) < 0)
		return cl_error_from_errno("store: cannot sync payloads");
	return 0;
}

void cl_body_log_abort(struct cl_body_log *log)
{
	log->npending = 0;
}

static int damaged(const struct cl_body_ref *ref, const char *what)
{
	return cl_error_setc(CL_EINVALID, "store: payload %08lld.log at %lld: %s", ref->segment,
		ref->offset, what);
}

int cl_body_log_read(char **out, size_t *len, struct cl_body_log *log, const struct cl_body_ref *ref)
{
	const unsigned char *h;
	uint64_t check;
	char *buf;
	size_t got = 0, want;

	*out = NULL;
	if (ref->segment <= 0 || ref->offset < 0 || ref->length < 0 || ref->length > UINT32_MAX)
		return damaged(ref, "not a valid reference");
	if (log->read_fd < 0 || log->read_segment != ref->segment) {
		char path[PATH_MAX];
		if (log->read_fd >= 0)
			close(log->read_fd);
		segment_path(path, sizeof(path), log->dir, ref->segment);
		if ((log->read_fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return errno == ENOENT ? damaged(ref, "the segment is missing") : cl_error_from_errno(path);
		log->read_segment = ref->segment;
	}
	/* header and payload in one read; the payload then moves to the front */
	want = HEADER_BYTES + (size_t)ref->length;
	if ((buf = malloc(want + 1)) == NULL)
		return cl_error_set("out of memory");
	while (got < want) {
		ssize_t r = pread(log->read_fd, buf + got, want - got, (off_t)(ref->offset + (long long)got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			free(buf);
			return r < 0 ? cl_error_from_errno("store: cannot read a payload") :
				damaged(ref, "the segment ends before the record");
		}
		got += (size_t)r;
	}
	h = (const unsigned char *)buf;
	check = (uint64_t)get_u32(h + 8) | (uint64_t)get_u32(h + 12) << 32;
	if (memcmp(h, RECORD_MAGIC, 4) != 0 || get_u32(h + 4) != (uint32_t)ref->length) {
		free(buf);
		return damaged(ref, "no record of that length there");
	}
	memmove(buf, buf + HEADER_BYTES, (size_t)ref->length);
	if ((long long)check != ref->check ||
	    (long long)cl_hash_bytes(CHECK_SEED, buf, (size_t)ref->length) != ref->check) {
		free(buf);
		return damaged(ref, "the payload does not match its check");
	}
	buf[ref->length] = '\0';
	*out = buf;
	*len = (size_t)ref->length;
	return 0;
}
