#include "buf.h"
#include "error.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void cl_buf_init(struct cl_buf *buf, size_t max)
{
	buf->ptr = NULL;
	buf->size = 0;
	buf->asize = 0;
	buf->max = max;
}

void cl_buf_dispose(struct cl_buf *buf)
{
	if (!buf)
		return;
	free(buf->ptr);
	buf->ptr = NULL;
	buf->size = buf->asize = 0;
}

void cl_buf_clear(struct cl_buf *buf)
{
	buf->size = 0;
	if (buf->ptr)
		buf->ptr[0] = '\0';
}

static int buf_grow(struct cl_buf *buf, size_t extra)
{
	size_t need, nsize;
	char *p;

	if (extra > SIZE_MAX - buf->size - 1)
		return cl_error_setc(CL_ETOOBIG, "buffer size overflow");
	need = buf->size + extra + 1;
	if (buf->max && need - 1 > buf->max)
		return cl_error_setc(CL_ETOOBIG, "input larger than the limit of %zu bytes", buf->max);
	if (need <= buf->asize)
		return 0;
	nsize = buf->asize ? buf->asize : 64;
	while (nsize < need)
		nsize = nsize > SIZE_MAX / 2 ? need : nsize * 2;
	if ((p = realloc(buf->ptr, nsize)) == NULL)
		return cl_error_set("out of memory");
	buf->ptr = p;
	buf->asize = nsize;
	return 0;
}

int cl_buf_put(struct cl_buf *buf, const char *data, size_t len)
{
	int error;
	if ((error = buf_grow(buf, len)) < 0)
		return error;
	if (len)
		memcpy(buf->ptr + buf->size, data, len);
	buf->size += len;
	buf->ptr[buf->size] = '\0';
	return 0;
}

int cl_buf_puts(struct cl_buf *buf, const char *str)
{
	return cl_buf_put(buf, str, strlen(str));
}

int cl_buf_putc(struct cl_buf *buf, char c)
{
	return cl_buf_put(buf, &c, 1);
}

int cl_buf_vprintf(struct cl_buf *buf, const char *fmt, va_list ap)
{
	va_list cp;
	int n, error;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return cl_error_set("cannot format text");
	if ((error = buf_grow(buf, (size_t)n)) < 0)
		return error;
	vsnprintf(buf->ptr + buf->size, (size_t)n + 1, fmt, ap);
	buf->size += (size_t)n;
	return 0;
}

int cl_buf_printf(struct cl_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int error;
	va_start(ap, fmt);
	error = cl_buf_vprintf(buf, fmt, ap);
	va_end(ap);
	return error;
}

int cl_buf_read_file(struct cl_buf *buf, FILE *fp)
{
	char chunk[8192];
	size_t n;
	int error;

	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if ((error = cl_buf_put(buf, chunk, n)) < 0)
			return error;
	if (ferror(fp))
		return cl_error_from_errno("cannot read input");
	if (!buf->ptr)
		return cl_buf_put(buf, "", 0);
	return 0;
}

int cl_buf_read_path(struct cl_buf *buf, const char *path)
{
	FILE *fp;
	int error;

	if ((fp = fopen(path, "rb")) == NULL) {
		if (errno == ENOENT)
			return cl_error_setc(CL_ENOTFOUND, "cannot open '%s': %s", path, strerror(errno));
		return cl_error_set("cannot open '%s': %s", path, strerror(errno));
	}
	error = cl_buf_read_file(buf, fp);
	if (error < 0 && error != CL_ETOOBIG)
		cl_error_set("cannot read '%s': %s", path, strerror(errno));
	fclose(fp);
	return error;
}

char *cl_buf_detach(struct cl_buf *buf)
{
	char *p = buf->ptr;
	if (!p)
		p = strdup("");
	buf->ptr = NULL;
	buf->size = buf->asize = 0;
	return p;
}

const char *cl_buf_cstr(const struct cl_buf *buf)
{
	return buf->ptr ? buf->ptr : "";
}
