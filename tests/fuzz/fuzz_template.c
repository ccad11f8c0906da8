/*
 * fuzz_template - the template engine on hostile templates and data.
 *
 * Input: TEMPLATE NUL JSON. Without a NUL the whole input is the template
 * and there is no data. Each input is rendered both escaped and raw, and
 * the template bytes also go through cl_json_string_lossy.
 *
 * Beyond "no crash": a malformed template fails the same way whatever the
 * flags, a failed render leaves the buffer as it was, and the lossy string
 * is always valid UTF-8 and equal to its input when that was valid.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "error.h"
#include "report.h"
#include "template.h"

static int render(struct cl_buf *out, const char *tmpl, size_t len, const json_t *data,
	unsigned int flags)
{
	int rc;

	cl_buf_init(out, 1 << 20);
	if (cl_buf_puts(out, "keep") < 0)
		abort();
	rc = cl_template_render(out, "fuzz", tmpl, len, data, flags);
	if (rc != 0 && rc != CL_EINVALID && rc != CL_ETOOBIG)
		abort();
	if (rc < 0 && (out->size != 4 || memcmp(out->ptr, "keep", 4) != 0))
		abort();
	if (rc == CL_EINVALID && strncmp(cl_error_last(), "fuzz:", 5) != 0)
		abort();
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t tlen = nul ? (size_t)(nul - data) : size;
	struct cl_buf escaped, raw;
	json_t *doc = NULL, *lossy, *strict;
	char *copy;
	int rc_escaped, rc_raw;

	if (nul)
		doc = json_loadb((const char *)nul + 1, size - tlen - 1,
			JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);

	rc_escaped = render(&escaped, (const char *)data, tlen, doc, 0);
	rc_raw = render(&raw, (const char *)data, tlen, doc, CL_TEMPLATE_RAW);
	/* validity is decided before any data is looked at */
	if ((rc_escaped == CL_EINVALID) != (rc_raw == CL_EINVALID))
		abort();
	/* escaping only ever lengthens */
	if (rc_escaped == 0 && rc_raw == 0 && escaped.size < raw.size)
		abort();
	cl_buf_dispose(&escaped);
	cl_buf_dispose(&raw);
	json_decref(doc);

	if ((copy = malloc(tlen + 1)) == NULL)
		return 0;
	memcpy(copy, data, tlen);
	copy[tlen] = '\0';
	lossy = cl_json_string_lossy(copy);
	if (!lossy)   /* NULL only when out of memory; json_stringn checked it is UTF-8 */
		abort();
	strict = json_string(copy);
	if (strict && strcmp(json_string_value(strict), json_string_value(lossy)) != 0)
		abort();
	json_decref(strict);
	json_decref(lossy);
	free(copy);
	return 0;
}
