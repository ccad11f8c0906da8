/*
 * error.h - return codes and the one error-detail facility of clearance.
 *
 * Layer rule: every library module reports failure by returning a negative
 * code and, before returning, setting a one-line message here. Front-ends
 * (cli/, hooks/, bot/) read it with cl_error_last() and decide how to print.
 */
#ifndef CL_ERROR_H
#define CL_ERROR_H

#include <stdarg.h>

enum {
	CL_OK = 0,
	CL_ERROR = -1,      /* generic failure; detail in cl_error_last() */
	CL_ENOTFOUND = -3,  /* the thing asked for does not exist */
	CL_EINVALID = -4,   /* input is malformed (policy, stdin, trailer) */
	CL_ETOOBIG = -5,    /* input exceeded a configured size cap */
	CL_EEXISTS = -6,    /* the thing to create is already there */
	CL_ITEROVER = -31   /* an iterator has no more items */
};

/*
 * Set the calling thread's error message (printf-style). Always returns
 * CL_ERROR so that `return cl_error_set(...)` reads naturally.
 */
int cl_error_set(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

/* Like cl_error_set, but returns `code` instead of CL_ERROR. */
int cl_error_setc(int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* Set the message from the last libgit2 error, prefixed by `what`. */
int cl_error_from_git(const char *what);

/* Set the message from errno, prefixed by `what` (e.g. "cannot open 'x'"). */
int cl_error_from_errno(const char *what);

/* The calling thread's last message, or "" when none was set. Never NULL. */
const char *cl_error_last(void);

/* Forget the calling thread's message (after an error was handled). */
void cl_error_clear(void);

/* For impossible states: report and abort (an unreachable `default:`). */
#define CL_BUG(msg) cl__bug(__FILE__, __LINE__, (msg))
void cl__bug(const char *file, int line, const char *msg)
#if defined(__GNUC__)
	__attribute__((noreturn))
#endif
	;

/* Allocation check: sets "out of memory" and jumps to the cleanup label. */
#define CL_CHECK_ALLOC(ptr) do { \
	if ((ptr) == NULL) { error = cl_error_set("out of memory"); goto done; } \
} while (0)

#endif
