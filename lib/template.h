/*
 * template.h - the one template engine: a Mustache subset over Jansson data.
 *
 * Layer rule: every text a person reads that is longer than a line is a file
 * in templates/, rendered here from a JSON object. Supported:
 *   {{name}}            value, HTML-escaped unless CL_TEMPLATE_RAW
 *   {{{name}}} {{&name}} value, never escaped
 *   {{a.b.c}}           dotted lookup; {{.}} is the current item ({{#.}} too)
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

/* Sections may nest this deep; deeper is CL_EINVALID. */
#define CL_TEMPLATE_MAX_DEPTH 32

/*
 * Render `tmpl` (`len` bytes) with `data` into `out` (appended).
 *
 * Lookup walks the context stack from the innermost section outwards; in
 * `{{a.b}}` only `a` is searched for, `b` must be inside it. Strings print
 * as they are, integers in decimal, reals with "%g", booleans as
 * "true"/"false"; null, missing, objects and lists print nothing. Falsy for
 * sections: missing, null, false, "", 0 and []. Partials and delimiter
 * changes are not supported (CL_EINVALID). `data` may be NULL.
 *
 * The whole template is checked before anything is rendered. Output is
 * capped by out's cap, or 16 MiB when out has none, and the work by a step
 * budget (lists nested in lists multiply). On failure `out` is left as it
 * was before the call.
 *
 * @return 0; CL_EINVALID with "NAME:LINE: problem" for a malformed template
 * (`name` is used in the message, "template" when NULL); CL_ETOOBIG past
 * the output cap or the step budget; CL_ERROR when out of memory.
 * Thread-safe for distinct `out` buffers.
 */
int cl_template_render(struct cl_buf *out, const char *name, const char *tmpl, size_t len,
	const json_t *data, unsigned int flags);

/*
 * Find a template by file name ("reject.txt"): first in the directory named
 * by the environment variable CLEARANCE_TEMPLATE_DIR when set (a template
 * missing there falls back to the built-in one), else the copy compiled
 * into the program from templates/. `*out` is borrowed (embedded) or owned
 * by `holder` (read from disk; holder's previous content is freed, its cap
 * kept; files over 1 MiB are refused). `*out` is NUL-terminated.
 * @return 0; CL_ENOTFOUND; CL_EINVALID for a name that is empty or holds
 * '/' or ".."; CL_ETOOBIG or CL_ERROR when the override file cannot be read.
 */
int cl_template_find(const char **out, size_t *len, struct cl_buf *holder, const char *name);

#endif
