#include "error.h"

#include <errno.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The one piece of mutable global state the library allows (STYLE.md 7.1):
 * a per-thread slot, so bot workers never see each other's messages.
 */
static _Thread_local char error_msg[1024];

/*
 * Formatted aside first: callers wrap the previous message
 * (cl_error_set("x: %s", cl_error_last())), and vsnprintf into the buffer
 * it reads from is undefined (it came out as "x: x: ...ated").
 */
static void error_vset(const char *fmt, va_list ap)
{
	char msg[sizeof(error_msg)];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	memcpy(error_msg, msg, sizeof(msg));
}

int cl_error_set(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(fmt, ap);
	va_end(ap);
	return CL_ERROR;
}

int cl_error_setc(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_vset(fmt, ap);
	va_end(ap);
	return code;
}

int cl_error_from_git(const char *what)
{
	const git_error *e = git_error_last();
	return cl_error_set("%s: %s", what, e && e->message ? e->message : "unknown libgit2 error");
}

int cl_error_from_errno(const char *what)
{
	return cl_error_set("%s: %s", what, strerror(errno));
}

const char *cl_error_last(void)
{
	return error_msg;
}

void cl_error_clear(void)
{
	error_msg[0] = '\0';
}

void cl__bug(const char *file, int line, const char *msg)
{
	fprintf(stderr, "clearance: BUG at %s:%d: %s\n", file, line, msg);
	abort();
}
