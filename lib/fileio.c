#include "fileio.h"
#include "buf.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int cl_write_all(int fd, const char *data, size_t len, const char *what)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int saved = n < 0 ? errno : EIO;
			cl_error_set("cannot write %s: %s", what, strerror(saved));
			errno = saved;
			return CL_ERROR;
		}
		off += (size_t)n;
	}
	return 0;
}

int cl_file_write_atomic(const char *path, const char *data, size_t len, mode_t mode)
{
	struct cl_buf tmp = CL_BUF_INIT;
	int fd = -1, error;

	if ((error = cl_buf_printf(&tmp, "%s.tmp.%ld", path, (long)getpid())) < 0)
		goto done;
	if ((fd = open(cl_buf_cstr(&tmp), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)) < 0) {
		error = cl_error_set("cannot write '%s': %s", cl_buf_cstr(&tmp), strerror(errno));
		goto done;
	}
	if ((error = cl_write_all(fd, data, len, cl_buf_cstr(&tmp))) < 0)
		goto done;
	if (fsync(fd) < 0) {
		error = cl_error_set("cannot flush '%s': %s", cl_buf_cstr(&tmp), strerror(errno));
		goto done;
	}
	if (close(fd) < 0) {
		fd = -1;
		error = cl_error_set("cannot write '%s': %s", cl_buf_cstr(&tmp), strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(cl_buf_cstr(&tmp), path) < 0)
		error = cl_error_set("cannot replace '%s': %s", path, strerror(errno));
done:
	if (fd >= 0)
		close(fd);
	if (error < 0 && tmp.ptr)
		unlink(cl_buf_cstr(&tmp));
	cl_buf_dispose(&tmp);
	return error;
}
