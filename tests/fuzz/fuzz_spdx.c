/*
 * fuzz_spdx - the SPDX expression parser, validator, printer and matcher on
 * hostile text.
 *
 * Input: one FLAGS byte (bit 0: CL_SPDX_PARSE_LAX), then the expression,
 * parsed from an exact-size heap copy so ASan sees any read past `len`.
 *
 * Beyond "no crash":
 *  - a failure is CL_EINVALID or CL_ETOOBIG with a one-line message of
 *    printable ASCII that starts with "offset N:" within the input (hostile
 *    bytes never reach a terminal through our messages);
 *  - a success round-trips: the canonical text parses in strict mode, prints
 *    identically, and has the same ids, problems and policy verdict;
 *  - every problem has a kind, an id that is in its message, and a message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "pattern.h"
#include "spdx.h"

static struct cl_pattern_list allowed = CL_PATTERN_LIST_INIT;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const globs[] = {
		"MIT", "GPL-*-or-later", "LicenseRef-*", "Apache-2.0 WITH *", "bsd-3-clause",
	};
	size_t i;

	(void)argc;
	(void)argv;
	for (i = 0; i < sizeof(globs) / sizeof(globs[0]); i++)
		if (cl_pattern_list_add(&allowed, globs[i], CL_PATTERN_CASELESS) < 0)
			abort();
	return 0;
}

static int record_id(const char *id, int is_exception, void *payload)
{
	struct cl_buf *out = payload;

	if (!*id || (is_exception != 0 && is_exception != 1))
		abort();
	if (cl_buf_printf(out, "%s%s;", id, is_exception ? "(e)" : "") < 0)
		abort();
	return 0;
}

static int record_problem(const struct cl_spdx_problem *p, void *payload)
{
	struct cl_buf *out = payload;

	if (p->kind < CL_SPDX_UNKNOWN_LICENSE || p->kind > CL_SPDX_LICENSE_AS_EXCEPTION)
		abort();
	if (!p->id || !*p->id || !p->message || !strstr(p->message, p->id))
		abort();
	if (cl_buf_printf(out, "%d:%s>%s;", (int)p->kind, p->id,
			p->replacement ? p->replacement : "") < 0)
		abort();
	return 0;
}

/* Everything one expression tells: its ids, its problems, its verdict. */
static void facts(struct cl_buf *out, const struct cl_spdx_expr *expr)
{
	int rc;

	if (cl_spdx_expr_foreach_id(expr, record_id, out) != 0 ||
	    cl_spdx_validate(expr, record_problem, out) != 0)
		abort();
	rc = cl_spdx_satisfies(expr, &allowed);
	if (rc < 0 || rc > 1 || cl_buf_printf(out, "=%d", rc) < 0)
		abort();
}

static void check_error(int rc, size_t len)
{
	const char *msg = cl_error_last(), *p;
	char *end;
	unsigned long long at;

	if (rc != CL_EINVALID && rc != CL_ETOOBIG)
		abort();
	for (p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			abort();
	if (rc == CL_ETOOBIG) {
		if (len <= CL_SPDX_MAX_LEN)
			abort();
		return;
	}
	if (strncmp(msg, "offset ", 7) != 0 || strlen(msg) > 300)
		abort();
	at = strtoull(msg + 7, &end, 10);
	if (end == msg + 7 || *end != ':' || at > len)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cl_spdx_expr *expr = NULL, *again = NULL;
	struct cl_buf first = CL_BUF_INIT, second = CL_BUF_INIT;
	struct cl_buf facts1 = CL_BUF_INIT, facts2 = CL_BUF_INIT;
	unsigned int flags;
	char *exact;
	size_t len;
	int rc;

	if (size == 0)
		return 0;
	flags = (data[0] & 1) ? CL_SPDX_PARSE_LAX : 0;
	len = size - 1;
	exact = malloc(len ? len : 1);
	if (!exact)
		return 0;
	memcpy(exact, data + 1, len);
	rc = cl_spdx_parse_ext(&expr, exact, len, flags);
	free(exact);
	if (rc < 0) {
		if (expr)
			abort();
		check_error(rc, len);
		cl_error_clear();
		return 0;
	}

	/* The canonical text is strict SPDX and a fixed point of parse + print. */
	if (cl_spdx_expr_to_string(&first, expr) < 0)
		abort();
	if (cl_spdx_parse(&again, first.ptr, first.size) < 0) {
		fprintf(stderr, "canonical '%s' does not parse: %s\n", first.ptr, cl_error_last());
		abort();
	}
	if (cl_spdx_expr_to_string(&second, again) < 0)
		abort();
	if (strcmp(first.ptr, second.ptr) != 0) {
		fprintf(stderr, "not a fixed point: '%s' -> '%s'\n", first.ptr, second.ptr);
		abort();
	}
	facts(&facts1, expr);
	facts(&facts2, again);
	if (strcmp(cl_buf_cstr(&facts1), cl_buf_cstr(&facts2)) != 0) {
		fprintf(stderr, "facts differ: '%s' vs '%s'\n", cl_buf_cstr(&facts1),
			cl_buf_cstr(&facts2));
		abort();
	}

	cl_spdx_expr_free(expr);
	cl_spdx_expr_free(again);
	cl_buf_dispose(&first);
	cl_buf_dispose(&second);
	cl_buf_dispose(&facts1);
	cl_buf_dispose(&facts2);
	cl_error_clear();
	return 0;
}
