/*
 * shell_test_util.h - running shell commands from the end-to-end tests
 * (git set-up, the clearance CLI), with cmocka failures that show the
 * command. Included by one test program at a time (static functions).
 */
#ifndef SHELL_TEST_UTIL_H
#define SHELL_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define STU static __attribute__((unused))

/* Run a command; the test fails when it does. */
STU void sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
}

/* Run a command that must succeed; its stdout, without trailing newlines, in `out`. */
STU void sh_out(char *out, size_t size, const char *fmt, ...)
{
	char cmd[4096];
	FILE *p;
	va_list ap;
	size_t n;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_non_null(p = popen(cmd, "r"));
	n = fread(out, 1, size - 1, p);
	out[n] = '\0';
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	assert_int_equal(pclose(p), 0);
}

/* Run a command; return its exit status, its stdout+stderr in `out`. */
STU int sh_status(char *out, size_t size, const char *fmt, ...)
{
	char cmd[4096];
	FILE *p;
	va_list ap;
	size_t n;
	int st;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	assert_non_null(p = popen(cmd, "r"));
	n = fread(out, 1, size - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

STU void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

#endif
