/*
 * buf.h - a growable byte buffer with a size cap.
 *
 * Layer rule: a leaf utility; depends on nothing but error.h. Every buffer
 * fed by the network, stdin or a repository blob is given a cap at init so
 * hostile input fails with CL_ETOOBIG instead of exhausting memory.
 */
#ifndef CL_BUF_H
#define CL_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct cl_buf {
	char *ptr;      /* always NUL-terminated when non-NULL */
	size_t size;    /* bytes used, excluding the NUL */
	size_t asize;   /* bytes allocated */
	size_t max;     /* cap on size; 0 means no cap */
};

#define CL_BUF_INIT { NULL, 0, 0, 0 }

/* Caller-owned struct lifecycle: init sets the cap, dispose frees. */
void cl_buf_init(struct cl_buf *buf, size_t max);
void cl_buf_dispose(struct cl_buf *buf);

/* Empty the buffer, keeping its memory and cap. */
void cl_buf_clear(struct cl_buf *buf);

/* Append bytes / a string / formatted text. @return 0, or CL_ETOOBIG / CL_ERROR */
int cl_buf_put(struct cl_buf *buf, const char *data, size_t len);
int cl_buf_puts(struct cl_buf *buf, const char *str);
int cl_buf_putc(struct cl_buf *buf, char c);
int cl_buf_printf(struct cl_buf *buf, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
int cl_buf_vprintf(struct cl_buf *buf, const char *fmt, va_list ap);

/* Read all of `fp` into buf, failing with CL_ETOOBIG past the cap. */
int cl_buf_read_file(struct cl_buf *buf, FILE *fp);

/* Read the whole file at `path`. */
int cl_buf_read_path(struct cl_buf *buf, const char *path);

/* Hand the string to the caller (free() it); the buffer becomes empty. */
char *cl_buf_detach(struct cl_buf *buf);

/* A NUL-terminated view that is "" for an empty buffer (never NULL). */
const char *cl_buf_cstr(const struct cl_buf *buf);

#endif
