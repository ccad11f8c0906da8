/*
 * json_text.c - JSON strings from bytes that need not be UTF-8.
 */
#include "json_text.h"
#include "error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Length of the well-formed UTF-8 sequence at s (1..4), or 0 when it is
 * ill-formed, with *bad set to the length of its maximal ill-formed prefix
 * (at least 1). The ranges are Table 3-7 of the Unicode standard; they
 * exclude overlongs, surrogates and code points past U+10FFFF, which
 * Jansson refuses too.
 */
static size_t utf8_sequence(size_t *bad, const unsigned char *s, size_t len)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t need, i;

	*bad = 1;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		need = 1;
	else if (c >= 0xE0 && c <= 0xEF)
		need = 2;
	else if (c >= 0xF0 && c <= 0xF4)
		need = 3;
	else
		return 0;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	for (i = 1; i <= need; i++) {
		if (i >= len || s[i] < lo || s[i] > hi) {
			*bad = i;
			return 0;
		}
		lo = 0x80;
		hi = 0xBF;
	}
	return need + 1;
}

json_t *cl_json_string_lossy(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len, i = 0, n, bad, out_len = 0;
	char *copy;
	json_t *str;

	if (!s)
		CL_BUG("cl_json_string_lossy of NULL");
	len = strlen(s);
	/* the common case: already valid, no copy */
	while (i < len && (n = utf8_sequence(&bad, p + i, len - i)) > 0)
		i += n;
	if (i == len)
		return json_stringn(s, len);

	/* each ill-formed byte grows into at most three */
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	if ((copy = malloc(len * 3 + 1)) == NULL)
		return NULL;
	memcpy(copy, s, i);
	out_len = i;
	while (i < len) {
		if ((n = utf8_sequence(&bad, p + i, len - i)) > 0) {
			memcpy(copy + out_len, s + i, n);
			out_len += n;
			i += n;
		} else {
			memcpy(copy + out_len, "\xEF\xBF\xBD", 3);
			out_len += 3;
			i += bad;
		}
	}
	str = json_stringn(copy, out_len);
	free(copy);
	return str;
}

size_t cl_utf8_valid_prefix(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, bad;

	while (i < len && (n = utf8_sequence(&bad, p + i, len - i)) > 0)
		i += n;
	return i;
}

int cl_json_set_string(json_t *obj, const char *key, const char *val)
{
	if (!val)
		return 0;
	return json_object_set_new(obj, key, cl_json_string_lossy(val));
}
