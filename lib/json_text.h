/*
 * json_text.h - JSON strings from text that may not be UTF-8.
 *
 * Layer rule: commit messages, names and paths are bytes, and Jansson
 * refuses invalid UTF-8; every string taken from a repository or a request
 * goes into JSON through here, never through json_string() directly.
 */
#ifndef CL_JSON_TEXT_H
#define CL_JSON_TEXT_H

#include <jansson.h>
#include <stddef.h>

/*
 * Make a JSON string from bytes that may not be UTF-8: each maximal
 * ill-formed subsequence becomes one U+FFFD (the Unicode standard's
 * "substitution of maximal subparts", which the WHATWG decoder in
 * browsers also follows), so the damage stays as small as the bad bytes.
 * @return a new reference, or NULL when out of memory. `s` must not be NULL.
 */
json_t *cl_json_string_lossy(const char *s);

/* Set obj[key] to the lossy string of `val`; nothing when val is NULL. 0 or -1. */
int cl_json_set_string(json_t *obj, const char *key, const char *val);

/*
 * How many leading bytes of `s` (`len` bytes) are well-formed UTF-8 (no
 * overlongs, surrogates or code points past U+10FFFF): `len` when all are.
 */
size_t cl_utf8_valid_prefix(const char *s, size_t len);

#endif
