/*
 * fuzz_toml - the TOML reader on hostile documents.
 *
 * Input: one FLAGS byte, then the document, parsed from an exact-size heap
 * copy (no terminator) so ASan sees any read past `len`.
 *
 * FLAGS bits 0-2: the nesting limit (0: the default 128, else 2 * value);
 * bit 3: a size cap of 64 bytes, to exercise CL_ETOOBIG.
 *
 * The document is parsed twice, plain and tagged (CL_TOML_TAGGED). Beyond
 * "no crash, no leak, no hang":
 *   - both parses agree on the outcome, and it is 0 or CL_EINVALID (or
 *     CL_ETOOBIG under the cap, for documents over it, and only for them);
 *   - a failure leaves *out alone; CL_EINVALID says
 *     "fuzz.toml:LINE:COL: ..." on one line;
 *   - a success is a JSON object no deeper than the limit, with no null;
 *     plain leaves are strings, integers, reals or booleans, tagged leaves
 *     are {"type", "value": string} objects;
 *   - the tree survives a JSON round trip through Jansson's own writer and
 *     reader, which proves that every key and string is valid UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const tag_types[] = {
	"string", "integer", "float", "bool", "datetime", "datetime-local",
	"date-local", "time-local",
};

static int is_tag(const json_t *j)
{
	const char *type = json_string_value(json_object_get(j, "type"));
	size_t i;

	if (json_object_size(j) != 2 || !type || !json_is_string(json_object_get(j, "value")))
		return 0;
	for (i = 0; i < sizeof(tag_types) / sizeof(tag_types[0]); i++)
		if (strcmp(type, tag_types[i]) == 0)
			return 1;
	return 0;
}

/* Check the shape of `j` at `depth` (the root is 0); abort on a violation. */
static void check_tree(const json_t *j, unsigned int depth, unsigned int max, int tagged)
{
	const char *key;
	size_t i, klen;
	json_t *v;

	if (depth > max)
		abort();
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		if (tagged && depth > 0 && is_tag(j))
			return;
		json_object_keylen_foreach((json_t *)j, key, klen, v)
			check_tree(v, depth + 1, max, tagged);
		(void)klen;
		return;
	case JSON_ARRAY:
		for (i = 0; i < json_array_size(j); i++)
			check_tree(json_array_get(j, i), depth + 1, max, tagged);
		return;
	case JSON_STRING:
	case JSON_INTEGER:
	case JSON_REAL:
	case JSON_TRUE:
	case JSON_FALSE:
		if (tagged)
			abort();   /* every tagged scalar is a {type, value} object */
		return;
	case JSON_NULL:
	default:
		abort();   /* TOML has no null */
	}
}

static void check_message(void)
{
	const char *m = cl_error_last();
	size_t i = strlen("fuzz.toml:"), digits;
	int part;

	if (strncmp(m, "fuzz.toml:", i) != 0 || strchr(m, '\n'))
		abort();
	for (part = 0; part < 2; part++) {
		for (digits = 0; m[i] >= '0' && m[i] <= '9'; i++)
			digits++;
		if (digits == 0 || m[i] != ':')
			abort();
		i++;
	}
	if (m[i] != ' ' || m[i + 1] == '\0')
		abort();
}

static void check_round_trip(const json_t *j)
{
	json_error_t err;
	char *text = json_dumps(j, JSON_COMPACT);
	json_t *back;

	if (!text)
		abort();
	back = json_loads(text, JSON_ALLOW_NUL, &err);
	if (!back || !json_equal(back, j))
		abort();
	json_decref(back);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cl_toml_options opts = CL_TOML_OPTIONS_INIT;
	json_t *plain = (json_t *)0x1, *tagged = (json_t *)0x1;
	unsigned int max;
	char *doc;
	size_t len;
	int rc_plain, rc_tagged;

	if (size == 0)
		return 0;
	opts.max_depth = (data[0] & 0x07) * 2u;
	max = opts.max_depth ? opts.max_depth : CL_TOML_MAX_DEPTH_DEFAULT;
	if (data[0] & 0x08)
		opts.max_size = 64;
	len = size - 1;
	doc = malloc(len ? len : 1);
	if (!doc)
		return 0;
	memcpy(doc, data + 1, len);

	rc_plain = cl_toml_parse_ext(&plain, &opts, doc, len, "fuzz.toml");
	if (rc_plain == CL_EINVALID)
		check_message();
	opts.flags = CL_TOML_TAGGED;
	rc_tagged = cl_toml_parse_ext(&tagged, &opts, doc, len, "fuzz.toml");
	if (rc_tagged == CL_EINVALID)
		check_message();
	free(doc);

	if (rc_plain != rc_tagged)
		abort();
	if (rc_plain == CL_ETOOBIG) {
		if (!(data[0] & 0x08) || len <= 64 || plain != (json_t *)0x1)
			abort();
	} else if (rc_plain == CL_EINVALID) {
		if (plain != (json_t *)0x1 || tagged != (json_t *)0x1)
			abort();
	} else if (rc_plain == 0) {
		if (!json_is_object(plain) || !json_is_object(tagged))
			abort();
		if (json_object_size(plain) != json_object_size(tagged))
			abort();
		check_tree(plain, 0, max, 0);
		check_tree(tagged, 0, max, 1);
		check_round_trip(plain);
		check_round_trip(tagged);
		json_decref(plain);
		json_decref(tagged);
	} else {
		abort();   /* CL_ERROR: only allocation fails that way, and the fuzzer's malloc does not */
	}
	cl_error_clear();
	return 0;
}
