/*
 * template.h - the one template engine: a Mustache subset over Jansson data.
 *
 * Layer rule: every text a person reads that is longer than a line is a file
 * in templates/, rendered here from a JSON object. Supported:
 *   {{name}}            value, HTML-escaped unless CL_TEMPLATE_RAW
 *   {{{name}}} {{&name}} value, never escaped
 *   {{a.b.c}}           dotted lookup; {{.}} is the current item
 *   {{#name}}..{{/name}} section: list = once per item, object = once with it
 *                       pushed on the context stack, truthy scalar = once
 *   {{^name}}..{{/name}} inverted section: when missing, false, null, "" , 0 or []
 *   {{! comment }}
 * Standalone section/comment tags on their own line leave no blank line, as
 * in the Mustache spec. Templates are untrusted input: nesting depth and
 * output size are capped, and errors name the line.
 */
#ifndef CL_TEMPLATE_H
#define CL_TEMPLATE_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"

#define CL_TEMPLATE_RAW (1u << 0)   /* plain-text output: do not HTML-escape */

/*
 * Render `tmpl` (`len` bytes) with `data` into `out` (appended).
 * @return 0, CL_EINVALID with "NAME:LINE: problem" for a malformed template
 * (`name` is used in the message), CL_ETOOBIG past out's cap.
 */
int cl_template_render(struct cl_buf *out, const char *name, const char *tmpl, size_t len,
	const json_t *data, unsigned int flags);

/*
 * Find a template by file name ("reject.txt"): first in the directory named
 * by the environment variable CLEARANCE_TEMPLATE_DIR when set, else the copy
 * compiled into the program from templates/. `*out` is borrowed (embedded)
 * or owned by `holder` (read from disk). @return 0 or CL_ENOTFOUND.
 */
int cl_template_find(const char **out, size_t *len, struct cl_buf *holder, const char *name);

#endif
