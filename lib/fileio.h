/*
 * fileio.h - writing files so that a crash or a concurrent reader never
 * sees half of them.
 *
 * Layer rule: leaf module over POSIX; every write of a file that matters
 * (policies, audit logs, hook input to a chained hook) goes through here.
 */
#ifndef CL_FILEIO_H
#define CL_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Write all `len` bytes to `fd`, retrying short writes and EINTR.
 * @return 0, or CL_ERROR with errno kept (the message names `what`).
 */
int cl_write_all(int fd, const char *data, size_t len, const char *what);

/*
 * Replace `path` with `data`: written to a temporary file beside it,
 * fsync'd, then renamed over it, so readers see the old or the new file.
 */
int cl_file_write_atomic(const char *path, const char *data, size_t len, mode_t mode);

#endif
