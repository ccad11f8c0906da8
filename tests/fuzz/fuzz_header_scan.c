/*
 * fuzz_header_scan - the header scanner and fix-headers on hostile files.
 *
 * Input: STYLE OPTIONS CONTENT...
 *   STYLE    picks the comment style: byte % (styles + 1), the last value
 *            meaning no style (an unknown file type)
 *   OPTIONS  bits 0-1 the expression, bits 2-3 the copyright text to fix
 *            with, bit 4 scans the whole content instead of the 4 KiB head
 *
 * Beyond "no crash": the scan reports only spans inside what it was given;
 * fix either refuses (CL_EINVALID) or returns a file the scan accepts (the
 * tag with the asked expression, the notice when asked), and fixing that
 * file again changes nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "comment_style.h"
#include "error.h"
#include "header_scan.h"
#include "pattern.h"

static const char *const expressions[] = {
	"MIT", "Apache-2.0 OR MIT", "GPL-2.0-only WITH Classpath-exception-2.0", "LicenseRef-x.1",
};
static const char *const copyrights[] = {
	NULL, "2024 Fuzz Authors", "\xc2\xa9 2024 F\xc3\xbcnf <f@example.org>", "",
};

/* Built once: the harness, not the library, keeps this across inputs. */
static struct cl_pattern *extra;

static void check_span(const char *p, size_t len, const char *data, size_t size)
{
	if (len && (!p || p < data || p + len > data + size))
		abort();
}

static void check_info(const struct cl_header_info *i, const char *data, size_t size)
{
	if (i->binary && (i->found || i->copyright || i->misspelled || i->outside_comment))
		abort();
	if (i->found != (i->line != 0) || (i->found && i->tag_count == 0))
		abort();
	if (i->conflicting && i->tag_count < 2)
		abort();
	if (i->misspelled != (i->misspelled_line != 0) || i->copyright != (i->copyright_line != 0))
		abort();
	check_span(i->expression, i->expression_len, data, size);
	check_span(i->copyright_text, i->copyright_len, data, size);
	if (i->copyright && i->copyright_len == 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
	const struct cl_comment_style *st;
	const char *data, *expr, *copyright;
	struct cl_header_info info;
	struct cl_buf out, again;
	size_t len, n;
	unsigned int opts;
	int rc;

	if (size < 2)
		return 0;
	if (!extra && cl_pattern_compile(&extra, "re:.*\\bAcme\\b.*", 0) < 0)
		abort();
	n = cl_comment_style_count();
	st = bytes[0] % (n + 1) == n ? NULL : cl_comment_style_at(bytes[0] % (n + 1));
	opts = bytes[1];
	expr = expressions[opts & 3];
	copyright = copyrights[(opts >> 2) & 3];
	data = (const char *)bytes + 2;
	len = size - 2;

	/* the head only, or everything: never a byte more than given */
	n = (opts & 16) || len < CL_HEADER_WINDOW ? len : CL_HEADER_WINDOW;
	if (cl_header_scan(&info, data, n, st, extra) < 0)
		abort();
	check_info(&info, data, n);

	cl_buf_init(&out, 0);
	rc = cl_header_fix(&out, data, len, st, expr, copyright);
	if (rc != 0) {
		if (rc != CL_EINVALID || out.size != 0)
			abort();
		/* a refusal always says why */
		if (!cl_error_last()[0])
			abort();
		cl_buf_dispose(&out);
		return 0;
	}
	if (!cl_comment_style_has_comments(st) || memchr(data, '\0', len))
		abort();

	n = out.size < CL_HEADER_WINDOW ? out.size : CL_HEADER_WINDOW;
	if (cl_header_scan(&info, out.ptr, n, st, NULL) < 0)
		abort();
	check_info(&info, out.ptr, n);
	if (!info.found || info.misspelled || info.expression_len != strlen(expr) ||
	    memcmp(info.expression, expr, info.expression_len) != 0)
		abort();
	/* a second tag cut by the window may read short; within the window, none differs */
	if (out.size <= CL_HEADER_WINDOW && info.conflicting)
		abort();
	if (copyright && *copyright && !info.copyright)
		abort();

	cl_buf_init(&again, 0);
	if (cl_header_fix(&again, out.ptr, out.size, st, expr, copyright) != 0)
		abort();
	if (again.size != out.size || memcmp(again.ptr, out.ptr, out.size) != 0)
		abort();
	cl_buf_dispose(&again);
	cl_buf_dispose(&out);
	return 0;
}
