/*
 * The TOML reader (lib/toml.c).
 *
 * 1. A table of {document, expected JSON or expected message}: every value
 *    type, keys, tables, arrays of tables, and each rule of TOML 1.0 that
 *    makes a document invalid. Expected trees are compared with
 *    json_equal(), which tells 1 from 1.0; messages are matched as
 *    substrings that include LINE:COLUMN. Each document is parsed from an
 *    exact-size heap copy, so ASan sees any read past its end.
 * 2. Fixture directories: tests/toml/valid/NAME.toml with NAME.json (real
 *    shapes: Cargo.toml, Cargo.lock, pyproject.toml PEP 621 and Poetry,
 *    poetry.lock, uv.lock, REUSE.toml), tests/toml/invalid/NAME.toml with
 *    NAME.err (the expected message from LINE:COLUMN on).
 * 3. What a table cannot show: key order, NUL in keys, the tagged mode,
 *    options and caps, messages, big documents (no quadratic behaviour).
 * 4. Conformance: the toml-test suite (BurntSushi/toml-test, shipped in
 *    Debian's golang-github-burntsushi-toml-dev under
 *    /usr/share/gocode/src/github.com/BurntSushi/toml/internal/toml-test/tests,
 *    or $CLEARANCE_TOML_TEST), in the tagged mode; skipped when absent.
 *    Also every TOML file of ../shared/conformance/deps-examples.
 *
 * Tests run from the repository root (tests/run-all.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <jansson.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "buf.h"
#include "error.h"
#include "toml.h"

/* A string literal and its length. */
#define LIT(s) (s), strlen(s)

#define TOML_TEST_DEFAULT "/usr/share/gocode/src/github.com/BurntSushi/toml/internal/toml-test/tests"

/* ---- helpers ---------------------------------------------------------- */

/* cl_buf appends that cannot fail quietly in a test. */
static void bprintf(struct cl_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void bprintf(struct cl_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = cl_buf_vprintf(b, fmt, ap);
	va_end(ap);
	assert_int_equal(rc, 0);
}

static void bputs(struct cl_buf *b, const char *s)
{
	assert_int_equal(cl_buf_puts(b, s), 0);
}

static void bputc(struct cl_buf *b, char c)
{
	assert_int_equal(cl_buf_putc(b, c), 0);
}

/* Parse from an exact-size heap copy: no terminator for the parser to lean on. */
static int parse_exact(json_t **out, const struct cl_toml_options *opts,
		       const char *doc, size_t len, const char *name)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, doc, len);
	rc = cl_toml_parse_ext(out, opts, copy, len, name);
	free(copy);
	return rc;
}

static char *dump(const json_t *j)
{
	return json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY | JSON_ENSURE_ASCII);
}

/* Check one document against its expectation; a message for failure, or NULL. */
static char *check_case(const char *name, const char *doc, size_t len,
			const char *want_json, const char *want_err)
{
	struct cl_buf msg = CL_BUF_INIT;
	json_t *got = (json_t *)0x1, *want;
	json_error_t jerr;
	int rc;

	cl_error_clear();
	rc = parse_exact(&got, NULL, doc, len, "t.toml");
	if (want_json) {
		want = json_loads(want_json, JSON_ALLOW_NUL, &jerr);
		if (!want) {
			bprintf(&msg, "%s: bad expected JSON: %s", name, jerr.text);
		} else if (rc != 0) {
			bprintf(&msg, "%s: parse failed (%d): %s", name, rc, cl_error_last());
		} else if (!json_is_object(got) || !json_equal(got, want)) {
			char *g = dump(got), *w = dump(want);

			bprintf(&msg, "%s:\n  got  %s\n  want %s", name, g, w);
			free(g);
			free(w);
		}
		if (rc == 0)
			json_decref(got);
		json_decref(want);
	} else {
		if (rc == 0) {
			char *g = dump(got);

			bprintf(&msg, "%s: accepted, gave %s; want error '%s'", name, g, want_err);
			free(g);
			json_decref(got);
		} else if (rc != CL_EINVALID) {
			bprintf(&msg, "%s: code %d, want CL_EINVALID", name, rc);
		} else if (got != (json_t *)0x1) {
			bprintf(&msg, "%s: *out written on failure", name);
		} else if (!strstr(cl_error_last(), want_err) ||
			   strncmp(cl_error_last(), "t.toml:", 7) != 0) {
			bprintf(&msg, "%s:\n  got  '%s'\n  want '...%s...'", name,
				      cl_error_last(), want_err);
		}
	}
	return msg.size ? cl_buf_detach(&msg) : NULL;
}

/* ---- 1. the table ------------------------------------------------------ */

struct toml_case {
	const char *name;
	const char *toml;
	size_t len;          /* 0: strlen(toml) */
	const char *json;    /* expected tree, or NULL */
	const char *err;     /* expected message part ("LINE:COL: problem"), or NULL */
};

#define OK(n, t, j)   { n, t, 0, j, NULL }
#define BAD(n, t, e)  { n, t, 0, NULL, e }
#define BADN(n, t, e) { n, t, sizeof(t) - 1, NULL, e }   /* holds NUL bytes */

static const struct toml_case cases[] = {
	/* documents */
	OK("empty", "", "{}"),
	OK("only blanks", " \t\n\n  \n", "{}"),
	OK("only comments", "# a\n  # b\n#", "{}"),
	OK("no final newline", "a = 1", "{\"a\":1}"),
	OK("comment after value", "a = 1 # one\nb = 2#two", "{\"a\":1,\"b\":2}"),
	OK("crlf", "a = 1\r\nb = 'x'\r\n# c\r\n[t]\r\n", "{\"a\":1,\"b\":\"x\",\"t\":{}}"),
	OK("bom at start", "\xEF\xBB\xBF" "a = 1\n", "{\"a\":1}"),
	OK("comment with any unicode", "# é ʞ 😀 \t tab\na = 1", "{\"a\":1}"),
	BAD("bom later", "a = 1\n\xEF\xBB\xBF" "b = 2\n", "2:1: expected a key, found a non-ASCII character"),
	BAD("bare cr", "a = 1\rb = 2", "1:6: carriage return not followed by a line feed"),
	BAD("cr at end", "a = 1\r", "1:6: carriage return not followed by a line feed"),
	BADN("nul in comment", "# a\0\n", "1:4: control character U+0000 is not allowed"),
	BADN("nul in string", "a = \"x\0\"", "1:7: control character U+0000"),
	BAD("del in comment", "# \x7F\n", "1:3: control character U+007F"),
	BAD("vertical tab", "a = 1\v\n", "1:6: control character U+000B"),
	BAD("escape in literal", "a = 'x\x1by'", "1:7: control character U+001B"),
	BAD("invalid utf8 lone continuation", "# \x80\n", "1:3: invalid UTF-8 (byte 0x80)"),
	BAD("invalid utf8 truncated", "a = \"\xE2\x82\"", "1:6: invalid UTF-8 (byte 0xE2)"),
	BAD("invalid utf8 at end", "a = 1 # \xF0\x9F\x98", "1:9: invalid UTF-8 (byte 0xF0)"),
	BAD("invalid utf8 overlong", "a = \"\xE0\x80\xAF\"", "1:6: invalid UTF-8 (byte 0xE0)"),
	BAD("invalid utf8 past U+10FFFF", "a = \"\xF4\x90\x80\x80\"", "1:6: invalid UTF-8 (byte 0xF4)"),
	BAD("invalid utf8 F5", "a = \"\xF5\x80\x80\x80\"", "1:6: invalid UTF-8 (byte 0xF5)"),
	BAD("invalid utf8 surrogate", "a = \"\xED\xBF\xBF\"", "1:6: invalid UTF-8 (byte 0xED)"),

	/* keys */
	OK("bare keys", "key = 1\nbare_key = 2\nbare-key = 3\n1234 = 4\nA-Z_09 = 5",
	   "{\"key\":1,\"bare_key\":2,\"bare-key\":3,\"1234\":4,\"A-Z_09\":5}"),
	OK("quoted keys", "\"127.0.0.1\" = 1\n\"character encoding\" = 2\n\"ʎǝʞ\" = 3\n'key2' = 4\n'quoted \"value\"' = 5",
	   "{\"127.0.0.1\":1,\"character encoding\":2,\"ʎǝʞ\":3,\"key2\":4,\"quoted \\\"value\\\"\":5}"),
	OK("escaped key", "\"a\\tb\\u00e9\" = 1", "{\"a\\tb\\u00e9\":1}"),
	OK("empty quoted keys", "\"\" = 1\n[x]\n'' = 2", "{\"\":1,\"x\":{\"\":2}}"),
	OK("keyword-like keys", "true = 1\nfalse = 2\ninf = 3\nnan = 4", "{\"true\":1,\"false\":2,\"inf\":3,\"nan\":4}"),
	OK("dotted keys", "name = 'Orange'\nphysical.color = 'orange'\nphysical.shape = 'round'\nsite.\"google.com\" = true",
	   "{\"name\":\"Orange\",\"physical\":{\"color\":\"orange\",\"shape\":\"round\"},\"site\":{\"google.com\":true}}"),
	OK("dotted with blanks", "fruit . color = 1\n fruit\t.\tflavor = 2", "{\"fruit\":{\"color\":1,\"flavor\":2}}"),
	OK("numeric dotted key", "3.14159 = 'pi'", "{\"3\":{\"14159\":\"pi\"}}"),
	OK("no blanks around =", "a=1\nb.c='x'", "{\"a\":1,\"b\":{\"c\":\"x\"}}"),
	OK("key case matters", "a = 1\nA = 2", "{\"a\":1,\"A\":2}"),
	BAD("no key", "= 1", "1:1: expected a key, found '='"),
	BAD("key then blank then key", "a b = 1", "1:3: expected '=' after key 'a', found 'b'"),
	BAD("key without value", "a\n", "1:2: expected '=' after key 'a', found end of line"),
	BAD("key at eof", "a", "1:2: expected '=' after key 'a', found end of input"),
	BAD("empty dotted part", "a..b = 1", "1:3: expected a key, found '.'"),
	BAD("leading dot", ".a = 1", "1:1: expected a key, found '.'"),
	BAD("trailing dot", "a. = 1", "1:4: expected a key, found '='"),
	BAD("unicode bare key", "é = 1", "1:1: expected a key, found a non-ASCII character"),
	BAD("multi-line key", "\"\"\"a\"\"\" = 1", "1:3: expected '=' after key '\"\"'"),
	BAD("newline in quoted key", "\"a\nb\" = 1", "1:1: unterminated string"),
	BAD("two equals", "a = = 1", "1:5: expected a value, found '='"),
	BAD("duplicate key", "a = 1\nb = 2\na = 3", "3:1: duplicate key 'a'"),
	BAD("duplicate bare vs quoted", "spelling = 1\n\"spelling\" = 2", "2:1: duplicate key 'spelling'"),
	BAD("duplicate dotted", "a.b = 1\na.b = 2", "2:3: duplicate key 'a.b'"),
	BAD("value then dotted", "a = 1\na.b = 2", "2:1: cannot add keys to 'a': it is already a value"),
	BAD("dotted then value", "a.b = 1\na = 2", "2:1: duplicate key 'a'"),
	BAD("duplicate escaped key", "\"\\u0061\" = 1\na = 2", "2:1: duplicate key 'a'"),
	BAD("hostile key in message", "\"a\\nb\" = 1\n\"a\\nb\" = 2", "2:1: duplicate key '\"a\\x0Ab\"'"),

	/* strings */
	OK("basic escapes", "s = \"\\b\\t\\n\\f\\r\\\"\\\\\"", "{\"s\":\"\\b\\t\\n\\f\\r\\\"\\\\\"}"),
	OK("unicode escapes", "s = \"\\u00E9 \\u20AC \\U0001F600 \\U0010FFFF \\u0000\"",
	   "{\"s\":\"\\u00e9 \\u20ac \\ud83d\\ude00 \\udbff\\udfff \\u0000\"}"),
	OK("tab in strings", "a = \"x\ty\"\nb = 'x\ty'\nc = \"\"\"x\ty\"\"\"", "{\"a\":\"x\\ty\",\"b\":\"x\\ty\",\"c\":\"x\\ty\"}"),
	OK("hash in strings", "a = \"# no comment\" # comment", "{\"a\":\"# no comment\"}"),
	OK("literal keeps backslashes", "p = 'C:\\Users\\nodejs'", "{\"p\":\"C:\\\\Users\\\\nodejs\"}"),
	OK("empty strings", "a = \"\"\nb = ''\nc = \"\"\"\"\"\"\nd = ''''''", "{\"a\":\"\",\"b\":\"\",\"c\":\"\",\"d\":\"\"}"),
	OK("ml basic trims first newline", "s = \"\"\"\nRoses\nViolets\"\"\"", "{\"s\":\"Roses\\nViolets\"}"),
	OK("ml basic trims only one newline", "s = \"\"\"\n\nx\"\"\"", "{\"s\":\"\\nx\"}"),
	OK("ml line-ending backslash", "s = \"\"\"\\\n   The quick \\\n\n   fox\\   \n  .\"\"\"", "{\"s\":\"The quick fox.\"}"),
	OK("ml backslash crlf", "s = \"\"\"a\\\r\n  b\r\nc\"\"\"", "{\"s\":\"ab\\nc\"}"),
	OK("ml quotes inside", "s = \"\"\"one \" two \"\" three \\\"\"\" \"\"\"", "{\"s\":\"one \\\" two \\\"\\\" three \\\"\\\"\\\" \"}"),
	OK("ml four quotes at end", "s = \"\"\"x\"\"\"\"", "{\"s\":\"x\\\"\"}"),
	OK("ml five quotes at end", "s = \"\"\"x\"\"\"\"\"", "{\"s\":\"x\\\"\\\"\"}"),
	OK("ml five quotes at start", "s = \"\"\"\"\"x\"\"\"", "{\"s\":\"\\\"\\\"x\"}"),
	OK("ml literal", "s = '''\nThe first newline is\ntrimmed.\n   \\n stays\n'''", "{\"s\":\"The first newline is\\ntrimmed.\\n   \\\\n stays\\n\"}"),
	OK("ml literal quotes", "s = '''It's ''quoted'' '''''", "{\"s\":\"It's ''quoted'' ''\"}"),
	OK("ml crlf normalised", "s = '''\r\na\r\nb'''", "{\"s\":\"a\\nb\"}"),
	OK("ml escapes", "s = \"\"\"\\u00e9\\t\\\\\"\"\"", "{\"s\":\"\\u00e9\\t\\\\\"}"),
	BAD("unknown escape", "s = \"\\a\"", "1:6: invalid escape sequence '\\a'"),
	BAD("escape e is 1.1", "s = \"\\e\"", "1:6: invalid escape sequence '\\e'"),
	BAD("escape x is 1.1", "s = \"\\x41\"", "1:6: invalid escape sequence '\\x'"),
	BAD("escape slash", "s = \"\\/\"", "1:6: invalid escape sequence '\\/'"),
	BAD("backslash space", "s = \"a\\ b\"", "1:7: invalid escape sequence: backslash followed by whitespace"),
	BAD("backslash at end of line", "s = \"a\\\nb\"", "1:7: invalid escape sequence: backslash followed by end of line"),
	BAD("short \\u", "s = \"\\u12\"", "1:6: invalid unicode escape: \\u takes 4 hex digits"),
	BAD("short \\U", "s = \"\\U0001F60\"", "1:6: invalid unicode escape: \\U takes 8 hex digits"),
	BAD("\\u at eof", "s = \"\\u12", "1:6: invalid unicode escape"),
	BAD("surrogate escape", "s = \"\\uDC00\"", "1:6: invalid unicode escape: U+DC00 is not a Unicode scalar value"),
	BAD("escape past 10FFFF", "s = \"\\U00110000\"", "1:6: invalid unicode escape: U+110000"),
	BAD("newline in basic", "s = \"a\nb\"", "1:5: unterminated string"),
	BAD("newline in literal", "s = 'a\nb'", "1:5: unterminated string"),
	BAD("unterminated basic", "s = \"abc", "1:5: unterminated string"),
	BAD("unterminated after backslash", "s = \"abc\\", "1:9: unterminated string"),
	BAD("unterminated literal", "s = 'abc", "1:5: unterminated string"),
	BAD("unterminated ml basic", "s = \"\"\"abc\n\"\"", "1:5: unterminated multi-line string"),
	BAD("unterminated ml literal", "s = '''abc''", "1:5: unterminated multi-line string"),
	BAD("ml six quotes", "s = \"\"\"x\"\"\"\"\"\"", "1:14: too many quotes"),
	BAD("ml literal six quotes", "s = '''x''''''", "1:14: too many quotes"),
	BAD("ml backslash space text", "s = \"\"\"a\\ b\"\"\"", "1:9: invalid escape sequence: backslash followed by whitespace"),
	BAD("ml bad escape", "s = \"\"\"\n\\q\"\"\"", "2:1: invalid escape sequence '\\q'"),
	BAD("control char in ml", "s = \"\"\"a\x01\"\"\"", "1:9: control character U+0001"),
	BAD("string concatenation", "s = \"a\" \"b\"", "1:9: expected a newline after the value, found '\"'"),

	/* integers */
	OK("integers", "a = +99\nb = 42\nc = 0\nd = -17\ne = +0\nf = -0\ng = 1_000\nh = 5_349_221\ni = 1_2_3_4_5",
	   "{\"a\":99,\"b\":42,\"c\":0,\"d\":-17,\"e\":0,\"f\":0,\"g\":1000,\"h\":5349221,\"i\":12345}"),
	OK("64-bit range", "max = 9223372036854775807\nmin = -9223372036854775808",
	   "{\"max\":9223372036854775807,\"min\":-9223372036854775808}"),
	OK("hex oct bin", "h1 = 0xDEADBEEF\nh2 = 0xdead_beef\no1 = 0o01234567\no2 = 0o755\nb1 = 0b11010110\nhmax = 0x7fffffffffffffff\nz = 0x00",
	   "{\"h1\":3735928559,\"h2\":3735928559,\"o1\":342391,\"o2\":493,\"b1\":214,\"hmax\":9223372036854775807,\"z\":0}"),
	BAD("integer too big", "a = 9223372036854775808", "1:5: integer '9223372036854775808' does not fit in 64 bits"),
	BAD("integer too small", "a = -9223372036854775809", "1:5: integer '-9223372036854775809' does not fit"),
	BAD("integer far too big", "a = 99999999999999999999999", "1:5: integer '99999999999999999999999' does not fit"),
	BAD("hex too big", "a = 0x8000000000000000", "1:5: integer '0x8000000000000000' does not fit"),
	BAD("bin too big", "a = 0b1_0000000000000000000000000000000000000000000000000000000000000000", "1:5: integer"),
	BAD("leading zero", "a = 012", "1:5: leading zeros are not allowed: '012'"),
	BAD("leading zero signed", "a = -012", "1:5: leading zeros are not allowed: '-012'"),
	BAD("double zero", "a = 00", "1:5: leading zeros are not allowed"),
	BAD("leading underscore", "a = _1", "1:5: invalid value '_1'"),
	BAD("trailing underscore", "a = 1_", "1:5: invalid value '1_'"),
	BAD("double underscore", "a = 1__2", "1:5: invalid value '1__2'"),
	BAD("signed hex", "a = +0x1", "1:5: invalid value '+0x1'"),
	BAD("negative oct", "a = -0o7", "1:5: invalid value '-0o7'"),
	BAD("capital prefix", "a = 0X1F", "1:5: invalid value '0X1F'"),
	BAD("empty hex", "a = 0x", "1:5: invalid hexadecimal integer '0x'"),
	BAD("bad octal digit", "a = 0o8", "1:5: invalid octal integer '0o8'"),
	BAD("bad binary digit", "a = 0b102", "1:5: invalid binary integer '0b102'"),
	BAD("hex underscore first", "a = 0x_1", "1:5: invalid hexadecimal integer '0x_1'"),
	BAD("sign only", "a = +", "1:5: invalid value '+'"),
	BAD("double sign", "a = +-1", "1:5: invalid value '+-1'"),
	BAD("integer then text", "a = 123abc", "1:5: invalid value '123abc'"),

	/* floats */
	OK("floats", "a = +1.0\nb = 3.1415\nc = -0.01\nd = 5e+22\ne = 1e06\nf = -2E-2\ng = 6.626e-34\nh = 224_617.445_991_228\ni = 0e0\nj = 1e1_0",
	   "{\"a\":1.0,\"b\":3.1415,\"c\":-0.01,\"d\":5e+22,\"e\":1000000.0,\"f\":-0.02,\"g\":6.626e-34,\"h\":224617.445991228,\"i\":0.0,\"j\":1e10}"),
	OK("floats that look like dates", "a = 2.5e-1\nb = 1.5e-3\nc = 12.5e-1\nd = 1234.5e-4", "{\"a\":0.25,\"b\":0.0015,\"c\":1.25,\"d\":0.12345}"),
	OK("zero floats", "a = 0.0\nb = +0.0\nc = -0.0", "{\"a\":0.0,\"b\":0.0,\"c\":-0.0}"),
	OK("float underflow is zero", "a = 1e-400", "{\"a\":0.0}"),
	OK("float extremes", "a = 1.7976931348623157e308\nb = 5e-324", "{\"a\":1.7976931348623157e308,\"b\":5e-324}"),
	OK("inf and nan as strings", "a = inf\nb = +inf\nc = -inf\nd = nan\ne = +nan\nf = -nan",
	   "{\"a\":\"inf\",\"b\":\"inf\",\"c\":\"-inf\",\"d\":\"nan\",\"e\":\"nan\",\"f\":\"nan\"}"),
	BAD("float overflow", "a = 1e999", "1:5: float '1e999' is out of range"),
	BAD("negative float overflow", "a = -1.5e400", "1:5: float '-1.5e400' is out of range"),
	BAD("leading point", "a = .5", "1:5: invalid value '.5'"),
	BAD("trailing point", "a = 5.", "1:5: invalid float '5.': a digit must follow the point"),
	BAD("point then exponent", "a = 1.e5", "1:5: invalid float '1.e5': a digit must follow the point"),
	BAD("empty exponent", "a = 1e", "1:5: invalid float '1e': a digit must follow the exponent mark"),
	BAD("exponent sign only", "a = 1e+", "1:5: invalid float '1e+'"),
	BAD("float leading zero", "a = 03.14", "1:5: leading zeros are not allowed: '03.14'"),
	BAD("underscore before point", "a = 1_.5", "1:5: invalid value '1_.5'"),
	BAD("underscore after point", "a = 1._5", "1:5: invalid float '1._5'"),
	BAD("two points", "a = 1.2.3", "1:5: invalid value '1.2.3'"),
	BAD("fraction in exponent", "a = 1e2.5", "1:5: invalid value '1e2.5'"),
	BAD("infinity spelled out", "a = infinity", "1:5: invalid value 'infinity'"),
	BAD("capital NaN", "a = NaN", "1:5: invalid value 'NaN'"),
	BAD("capital Inf", "a = Inf", "1:5: invalid value 'Inf'"),
	BAD("inf with underscore", "a = in_f", "1:5: invalid value 'in_f'"),

	/* booleans */
	OK("booleans", "t = true\nf = false", "{\"t\":true,\"f\":false}"),
	BAD("capital True", "a = True", "1:5: invalid value 'True'"),
	BAD("truthy", "a = truex", "1:5: invalid value 'truex'"),
	BAD("bare word", "a = yes", "1:5: invalid value 'yes'"),

	/* dates and times */
	OK("offset date-times", "a = 1979-05-27T07:32:00Z\nb = 1979-05-27T00:32:00-07:00\nc = 1979-05-27T00:32:00.999999-07:00\nd = 1979-05-27 07:32:00z\ne = 1979-05-27t07:32:00+05:30",
	   "{\"a\":\"1979-05-27T07:32:00Z\",\"b\":\"1979-05-27T00:32:00-07:00\",\"c\":\"1979-05-27T00:32:00.999999-07:00\",\"d\":\"1979-05-27T07:32:00Z\",\"e\":\"1979-05-27T07:32:00+05:30\"}"),
	OK("local date-times", "a = 1979-05-27T07:32:00\nb = 1979-05-27 00:32:00.999999",
	   "{\"a\":\"1979-05-27T07:32:00\",\"b\":\"1979-05-27T00:32:00.999999\"}"),
	OK("local date", "a = 1979-05-27\nb = 2000-02-29 # leap\nc = 1979-05-27 ", "{\"a\":\"1979-05-27\",\"b\":\"2000-02-29\",\"c\":\"1979-05-27\"}"),
	OK("local time", "a = 07:32:00\nb = 00:32:00.999999\nc = 23:59:60", "{\"a\":\"07:32:00\",\"b\":\"00:32:00.999999\",\"c\":\"23:59:60\"}"),
	OK("dates in arrays and inline tables", "a = [1979-05-27, 07:32:00]\nb = {d = 1979-05-27 07:32:00}",
	   "{\"a\":[\"1979-05-27\",\"07:32:00\"],\"b\":{\"d\":\"1979-05-27T07:32:00\"}}"),
	BAD("month 13", "a = 2023-13-01", "1:5: invalid date '2023-13-01'"),
	BAD("month 0", "a = 2023-00-01", "1:5: invalid date '2023-00-01'"),
	BAD("day 0", "a = 2023-01-00", "1:5: invalid date '2023-01-00'"),
	BAD("day 32", "a = 2023-01-32", "1:5: invalid date '2023-01-32': no such day"),
	BAD("april 31", "a = 2023-04-31", "1:5: invalid date '2023-04-31': no such day"),
	BAD("1900 not leap", "a = 1900-02-29", "1:5: invalid date '1900-02-29': no such day"),
	BAD("hour 24", "a = 24:00:00", "1:5: invalid time '24:00:00'"),
	BAD("minute 60", "a = 2023-01-01T00:60:00", "1:5: invalid date-time"),
	BAD("second 61", "a = 00:00:61", "1:5: invalid time '00:00:61'"),
	BAD("no seconds", "a = 1979-05-27T07:32Z", "1:5: invalid date-time '1979-05-27T07:32Z'"),
	BAD("time without seconds", "a = 07:32", "1:5: invalid time '07:32'"),
	BAD("empty fraction", "a = 07:32:00.", "1:5: invalid time '07:32:00.'"),
	BAD("trailing T", "a = 1979-05-27T", "1:5: invalid date-time '1979-05-27T'"),
	BAD("offset hour 24", "a = 1979-05-27T07:32:00+24:00", "1:5: invalid date-time"),
	BAD("offset without colon", "a = 1979-05-27T07:32:00+0700", "1:5: invalid date-time"),
	BAD("offset on a time", "a = 07:32:00Z", "1:5: invalid time '07:32:00Z'"),
	BAD("short year", "a = 979-05-27", "1:5: invalid value '979-05-27'"),
	BAD("one-digit month", "a = 1979-5-27", "1:5: invalid date '1979-5-27'"),
	BAD("one-digit hour", "a = 7:32:00", "1:5: invalid value '7:32:00'"),
	BAD("two spaces", "a = 1979-05-27  07:32:00", "1:17: expected a newline after the value, found '0'"),

	/* arrays */
	OK("arrays", "a = []\nb = [1, 2, 3]\nc = [ \"red\", 'yellow' ]\nd = [[1, 2], [\"a\"], [[[]]]]\ne = [1, 'mixed', 2.5, true, [], {}]",
	   "{\"a\":[],\"b\":[1,2,3],\"c\":[\"red\",\"yellow\"],\"d\":[[1,2],[\"a\"],[[[]]]],\"e\":[1,\"mixed\",2.5,true,[],{}]}"),
	OK("array layout", "a = [\n  1, # one\n  2 # two\n  , 3,\n  # last\n]\nb = [ # open\n]\nc = [1,]",
	   "{\"a\":[1,2,3],\"b\":[],\"c\":[1]}"),
	OK("array of inline tables", "p = [ { x = 1, y = 2 }, { x = 3 }, {} ]", "{\"p\":[{\"x\":1,\"y\":2},{\"x\":3},{}]}"),
	OK("bracket in comment in array", "a = [1 # ]\n]", "{\"a\":[1]}"),
	BAD("empty element", "a = [1,,2]", "1:8: expected a value, found ','"),
	BAD("only comma", "a = [,]", "1:6: expected a value, found ','"),
	BAD("missing comma", "a = [1 2]", "1:8: expected ',' or ']' in array, found '2'"),
	BAD("unterminated array", "a = [1, 2", "1:5: unterminated array"),
	BAD("unterminated nested", "a = [[1]\nb = 2", "2:1: expected ',' or ']' in array, found 'b'"),
	BAD("unterminated nested at eof", "a = [[1], [2]", "1:5: unterminated array"),
	BAD("array then text", "a = [1] x", "1:9: expected a newline after the value, found 'x'"),

	/* inline tables */
	OK("inline tables", "name = { first = \"Tom\", last = \"Preston-Werner\" }\npoint = {x=1,y=2}\nanimal = { type.name = \"pug\" }\nempty = {}\nnest = { a = { b = { c = [1] } } }",
	   "{\"name\":{\"first\":\"Tom\",\"last\":\"Preston-Werner\"},\"point\":{\"x\":1,\"y\":2},\"animal\":{\"type\":{\"name\":\"pug\"}},\"empty\":{},\"nest\":{\"a\":{\"b\":{\"c\":[1]}}}}"),
	OK("inline dotted keys share a table", "t = { a.b = 1, a.c = 2, d = 3 }", "{\"t\":{\"a\":{\"b\":1,\"c\":2},\"d\":3}}"),
	OK("inline multi-line string value", "t = { s = \"\"\"\nx\ny\"\"\", n = 1 }", "{\"t\":{\"s\":\"x\\ny\",\"n\":1}}"),
	OK("inline array spans lines", "t = { a = [\n1,\n2] }", "{\"t\":{\"a\":[1,2]}}"),
	BAD("inline trailing comma", "t = { a = 1, }", "1:14: trailing comma in inline table (not allowed in TOML 1.0)"),
	BAD("inline newline", "t = { a = 1,\nb = 2 }", "1:13: inline table must be on one line"),
	BAD("inline newline before close", "t = { a = 1\n}", "1:12: inline table must be on one line"),
	BAD("inline newline after open", "t = {\n}", "1:6: inline table must be on one line"),
	BAD("inline comment", "t = { a = 1 # c\n}", "1:13: inline table must be on one line"),
	BAD("inline double comma", "t = { a = 1,, b = 2 }", "1:13: expected a key, found ','"),
	BAD("inline only comma", "t = { , }", "1:7: expected a key, found ','"),
	BAD("inline missing comma", "t = { a = 1 b = 2 }", "1:13: expected ',' or '}' in inline table, found 'b'"),
	BAD("inline unterminated", "t = { a = 1", "1:5: unterminated inline table"),
	BAD("inline duplicate", "t = { a = 1, a = 2 }", "1:14: duplicate key 'a'"),
	BAD("inline extend inner inline", "t = { a = { b = 1 }, a.c = 2 }", "1:22: cannot add keys to 'a': it is an inline table"),
	BAD("inline dotted then table", "t = { a.b = 1, a = {} }", "1:16: duplicate key 'a'"),
	BAD("extend inline with dotted", "t = { a = 1 }\nt.b = 2", "2:1: cannot add keys to 't': it is an inline table"),
	BAD("extend inline with header", "t = { a = 1 }\n[t]\nb = 2", "2:1: cannot define table 't': it is an inline table"),
	BAD("extend inline sub-table with header", "t = { a = {} }\n[t.a]", "2:2: cannot open table 't': it is an inline table"),
	BAD("inline in array extended", "a = [{ b = 1 }]\n[a.c]", "2:2: cannot open table 'a': it is a static array"),

	/* tables */
	OK("tables", "[table-1]\nkey1 = \"some string\"\nkey2 = 123\n\n[table-2]\nkey1 = \"another string\"\nkey2 = 456",
	   "{\"table-1\":{\"key1\":\"some string\",\"key2\":123},\"table-2\":{\"key1\":\"another string\",\"key2\":456}}"),
	OK("header forms", "[dog.\"tater.man\"]\ntype.name = \"pug\"\n[ g .  h  . i ]\n[ j . \"ʞ\" . 'l' ]\n[\"\"]\n['a b']\n",
	   "{\"dog\":{\"tater.man\":{\"type\":{\"name\":\"pug\"}}},\"g\":{\"h\":{\"i\":{}}},\"j\":{\"ʞ\":{\"l\":{}}},\"\":{},\"a b\":{}}"),
	OK("header comment and eof", "[a] # c\n[b]", "{\"a\":{},\"b\":{}}"),
	OK("implicit then explicit", "[x.y.z.w]\n[x]\na = 1", "{\"x\":{\"y\":{\"z\":{\"w\":{}}},\"a\":1}}"),
	OK("sub-table after super-table", "[a]\n[a.b]\n[a.c]\nd = 1", "{\"a\":{\"b\":{},\"c\":{\"d\":1}}}"),
	OK("header through dotted table", "[fruit]\napple.color = 'red'\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true",
	   "{\"fruit\":{\"apple\":{\"color\":\"red\",\"taste\":{\"sweet\":true},\"texture\":{\"smooth\":true}}}}"),
	OK("dotted keys through implicit table", "[a.b.c]\nx = 1\n[a]\nb.d = 2", "{\"a\":{\"b\":{\"c\":{\"x\":1},\"d\":2}}}"),
	OK("root keys before tables", "a = 1\n[t]\nb = 2", "{\"a\":1,\"t\":{\"b\":2}}"),
	BAD("table twice", "[a]\nb = 1\n[a]\nc = 2", "3:1: table 'a' defined twice"),
	BAD("sub-table twice", "[a.b]\n[a]\n[a.b]", "3:1: table 'a.b' defined twice"),
	BAD("table after dotted", "a.b = 1\n[a]", "2:1: table 'a' already defined by dotted keys"),
	BAD("dotted table as header", "[fruit]\napple.color = 'red'\n[fruit.apple]", "3:1: table 'fruit.apple' already defined by dotted keys"),
	BAD("dotted table as header later", "[fruit]\napple.taste.sweet = true\n[x]\n[fruit.apple.taste]", "4:1: table 'fruit.apple.taste' already defined by dotted keys"),
	BAD("dotted into header table", "[a.b.c]\nz = 9\n[a]\nb.c.t = 1", "4:3: cannot add keys to 'b.c': it is a table defined by a [header]"),
	BAD("dotted made implicit table dotted", "[a.b.c]\n[a]\nb.d = 1\n[a.b]", "4:1: table 'a.b' already defined by dotted keys"),
	BAD("dotted keys from another section", "[a]\nb.c = 1\n[d]\n[a.e]\n[a]", "5:1: table 'a' defined twice"),
	BAD("header on a value", "a = 1\n[a]", "2:1: cannot define table 'a': it is already a value"),
	BAD("header through a value", "a = 1\n[a.b]", "2:2: cannot open table 'a': it is already a value"),
	BAD("header on a key of the table", "[a]\nb = 1\n[a.b]", "3:1: cannot define table 'a.b': it is already a value"),
	BAD("header on a static array", "a = []\n[a]", "2:1: cannot define table 'a': it is a static array"),
	BAD("empty header", "[]", "1:2: expected a key, found ']'"),
	BAD("header empty part", "[a.]", "1:4: expected a key, found ']'"),
	BAD("header leading dot", "[.a]", "1:2: expected a key, found '.'"),
	BAD("header unclosed", "[a\nb = 1", "1:3: expected ']' to close the header, found end of line"),
	BAD("header extra bracket", "[a]]", "1:4: expected a newline after the header, found ']'"),
	BAD("header then key", "[a] b = 1", "1:5: expected a newline after the header, found 'b'"),
	BAD("header with equals", "[a = 1]", "1:4: expected ']' to close the header, found '='"),
	BAD("header with hash", "[a#b]", "1:3: expected ']' to close the header, found '#'"),

	/* arrays of tables */
	OK("arrays of tables", "[[products]]\nname = \"Hammer\"\nsku = 738594937\n\n[[products]]\n\n[[products]]\nname = \"Nail\"\ncolor = \"gray\"",
	   "{\"products\":[{\"name\":\"Hammer\",\"sku\":738594937},{},{\"name\":\"Nail\",\"color\":\"gray\"}]}"),
	OK("nested arrays of tables", "[[fruits]]\nname = \"apple\"\n[fruits.physical]\ncolor = \"red\"\n[[fruits.varieties]]\nname = \"red delicious\"\n[[fruits.varieties]]\nname = \"granny smith\"\n[[fruits]]\nname = \"banana\"\n[[fruits.varieties]]\nname = \"plantain\"",
	   "{\"fruits\":[{\"name\":\"apple\",\"physical\":{\"color\":\"red\"},\"varieties\":[{\"name\":\"red delicious\"},{\"name\":\"granny smith\"}]},{\"name\":\"banana\",\"varieties\":[{\"name\":\"plantain\"}]}]}"),
	OK("sub-table per element", "[[a]]\n[a.b]\nx = 1\n[[a]]\n[a.b]\nx = 2", "{\"a\":[{\"b\":{\"x\":1}},{\"b\":{\"x\":2}}]}"),
	OK("array of tables under implicit", "[[a.b]]\n[a]\nc = 1", "{\"a\":{\"b\":[{}],\"c\":1}}"),
	OK("array of tables blanks", "[[ a . b ]]\n[[ 'a' . \"b\" ]]", "{\"a\":{\"b\":[{},{}]}}"),
	BAD("append to static array", "fruits = []\n[[fruits]]", "2:1: cannot append with [[...]] to 'fruits': it is a static array"),
	BAD("append to table", "[fruit]\n[[fruit]]", "2:1: cannot append with [[...]] to 'fruit': it is a table, not an array of tables"),
	BAD("table on array of tables", "[[fruit]]\n[fruit]", "2:1: cannot define table 'fruit': it is an array of tables"),
	BAD("sub-table clash in element", "[[fruits]]\nname = \"apple\"\n[[fruits.varieties]]\nname = \"red delicious\"\n[fruits.varieties]\nname = \"granny smith\"",
	    "5:1: cannot define table 'fruits.varieties': it is an array of tables"),
	BAD("element key then sub-array", "[[fruits]]\n[fruits.physical]\n[[fruits.physical]]", "3:1: cannot append with [[...]] to 'fruits.physical': it is a table"),
	BAD("dotted into array of tables", "[[a.b]]\n[a]\nb.y = 2", "3:1: cannot add keys to 'b': it is an array of tables"),
	BAD("append to dotted table", "a.b = 1\n[[a]]", "2:1: cannot append with [[...]] to 'a': it is a table"),
	BAD("aot unclosed", "[[a]\n", "1:5: expected ']]' to close the header, found end of line"),
	BAD("aot split open", "[ [a]]", "1:3: expected a key, found '['"),
	BAD("aot split close", "[[a] ]", "1:5: expected ']]' to close the header, found whitespace"),
	BAD("aot empty", "[[]]", "1:3: expected a key, found ']'"),

	/* one key/value per line */
	BAD("two pairs on a line", "a = 1 b = 2", "1:7: expected a newline after the value, found 'b'"),
	BAD("pair after string", "a = \"x\"b = 1", "1:8: expected a newline after the value, found 'b'"),
	BAD("pair after inline table", "a = {} b = 1", "1:8: expected a newline after the value, found 'b'"),
	BAD("missing value", "a =\nb = 1", "1:4: expected a value, found end of line"),
	BAD("missing value at eof", "a = ", "1:5: expected a value, found end of input"),
	BAD("missing value before comment", "a = # c", "1:5: expected a value, found '#'"),
};

static void test_cases(void **state)
{
	size_t i, failed = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct toml_case *c = &cases[i];
		char *why = check_case(c->name, c->toml, c->len ? c->len : strlen(c->toml),
				       c->json, c->err);

		if (why) {
			print_error("%s\n", why);
			free(why);
			failed++;
		}
	}
	print_message("toml cases: %zu, failed %zu\n", i, failed);
	assert_int_equal(failed, 0);
}

/* ---- 2. fixture directories -------------------------------------------- */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.toml names of `dir`, sorted; NULL when the directory is missing. */
static char **list_toml(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;

	*count = 0;
	if (!d)
		return NULL;
	for (;;) {
		size_t len;

		e = readdir(d);
		if (!e)
			break;
		len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".toml") != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
			assert_non_null(names);
		}
		names[n] = strdup(e->d_name);
		assert_non_null(names[n]);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	*count = n;
	return names ? names : calloc(1, sizeof(*names));
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The file at dir/base + ext, or NULL. */
static char *read_sibling(const char *dir, const char *name, const char *ext, size_t *len)
{
	struct cl_buf path = CL_BUF_INIT, data = CL_BUF_INIT;
	size_t base = strlen(name) - 5;   /* without ".toml" */

	bprintf(&path, "%s/%.*s%s", dir, (int)base, name, ext);
	if (cl_buf_read_path(&data, path.ptr) < 0) {
		cl_buf_dispose(&path);
		return NULL;
	}
	cl_buf_dispose(&path);
	*len = data.size;
	return cl_buf_detach(&data);
}

static void test_fixtures_valid(void **state)
{
	const char *dir = "tests/toml/valid";
	size_t n, i, failed = 0, len, jlen;
	char **names = list_toml(dir, &n);

	(void)state;
	if (!names)
		fail_msg("no fixture directory '%s' (run from the repository root)", dir);
	assert_true(n >= 10);
	for (i = 0; i < n; i++) {
		char *doc = read_sibling(dir, names[i], ".toml", &len);
		char *want = read_sibling(dir, names[i], ".json", &jlen);
		char *why = NULL;

		if (!doc || !want) {
			print_error("%s: cannot read the .toml or its .json\n", names[i]);
			failed++;
		} else {
			why = check_case(names[i], doc, len, want, NULL);
		}
		if (why) {
			print_error("%s\n", why);
			free(why);
			failed++;
		}
		free(doc);
		free(want);
	}
	print_message("valid fixtures: %zu, failed %zu\n", n, failed);
	free_names(names, n);
	assert_int_equal(failed, 0);
}

static void test_fixtures_invalid(void **state)
{
	const char *dir = "tests/toml/invalid";
	size_t n, i, failed = 0, len, elen;
	char **names = list_toml(dir, &n);

	(void)state;
	if (!names)
		fail_msg("no fixture directory '%s' (run from the repository root)", dir);
	assert_true(n >= 10);
	for (i = 0; i < n; i++) {
		char *doc = read_sibling(dir, names[i], ".toml", &len);
		char *want = read_sibling(dir, names[i], ".err", &elen);
		char *why = NULL;

		if (!doc || !want) {
			print_error("%s: cannot read the .toml or its .err\n", names[i]);
			failed++;
		} else {
			while (elen && (want[elen - 1] == '\n' || want[elen - 1] == '\r'))
				want[--elen] = '\0';
			why = check_case(names[i], doc, len, NULL, want);
		}
		if (why) {
			print_error("%s\n", why);
			free(why);
			failed++;
		}
		free(doc);
		free(want);
	}
	print_message("invalid fixtures: %zu, failed %zu\n", n, failed);
	free_names(names, n);
	assert_int_equal(failed, 0);
}

/* ---- 3. what a table cannot show ---------------------------------------- */

static json_t *parse_ok(const char *doc)
{
	json_t *j = NULL;

	if (parse_exact(&j, NULL, doc, strlen(doc), "t.toml") < 0)
		fail_msg("parse failed: %s", cl_error_last());
	return j;
}

static void test_key_order(void **state)
{
	static const char *const want[] = { "zeta", "alpha", "mid", "b", "a", "0" };
	static const char *const inner[] = { "z", "y", "x" };
	json_t *j = parse_ok("zeta = 1\nalpha = 2\nmid = 3\n[b]\nz = 1\ny.q = 2\nx = 3\n[a]\n[0]\n");
	const char *key;
	json_t *v;
	size_t i = 0;

	(void)state;
	json_object_foreach(j, key, v) {
		assert_true(i < 6);
		assert_string_equal(key, want[i]);
		i++;
	}
	assert_int_equal(i, 6);
	i = 0;
	json_object_foreach(json_object_get(j, "b"), key, v) {
		assert_string_equal(key, inner[i]);
		i++;
	}
	assert_int_equal(i, 3);
	json_decref(j);
}

static void test_nul_in_keys_and_strings(void **state)
{
	json_t *j = parse_ok("\"a\\u0000b\" = \"x\\u0000y\"\n\"a\" = 1\n");
	json_t *v;

	(void)state;
	assert_int_equal(json_object_size(j), 2);
	v = json_object_getn(j, "a\0b", 3);
	assert_non_null(v);
	assert_int_equal(json_string_length(v), 3);
	assert_memory_equal(json_string_value(v), "x\0y", 3);
	assert_int_equal(json_integer_value(json_object_get(j, "a")), 1);
	json_decref(j);

	/* "a\0b" and "a" are different keys, "a\0b" twice is not */
	assert_int_equal(cl_toml_parse(&j, LIT("\"a\\u0000b\" = 1\n'a' = 2\n\"a\\u0000b\" = 3\n"), "t"), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "t:3:1: duplicate key '\"a\\x00b\"'"));
}

static const char *tag_type(const json_t *j)
{
	return json_string_value(json_object_get(j, "type"));
}

static const char *tag_value(const json_t *j)
{
	return json_string_value(json_object_get(j, "value"));
}

static void test_tagged(void **state)
{
	static const struct { const char *key, *type, *value; } want[] = {
		{ "s", "string", "x\ty" },
		{ "l", "string", "C:\\x" },
		{ "i", "integer", "-1000" },
		{ "h", "integer", "255" },
		{ "f", "float", "1.5e3" },
		{ "inf", "float", "-inf" },
		{ "nan", "float", "nan" },
		{ "b", "bool", "false" },
		{ "odt", "datetime", "1979-05-27T07:32:00Z" },
		{ "ldt", "datetime-local", "1979-05-27T07:32:00.5" },
		{ "ld", "date-local", "1979-05-27" },
		{ "lt", "time-local", "07:32:00" },
	};
	struct cl_toml_options opts = CL_TOML_OPTIONS_INIT;
	const char *doc = "s = \"x\\ty\"\nl = 'C:\\x'\ni = -1_000\nh = 0xff\nf = 1_.5e3\n"
			  "inf = -inf\nnan = +nan\nb = false\nodt = 1979-05-27 07:32:00z\n"
			  "ldt = 1979-05-27t07:32:00.5\nld = 1979-05-27\nlt = 07:32:00\n"
			  "a = [1, {k = 'v'}]\n";
	json_t *j = NULL, *a;
	size_t i;

	(void)state;
	opts.flags = CL_TOML_TAGGED;
	/* "1_.5e3" is invalid: a tagged parse is as strict as a plain one */
	assert_int_equal(parse_exact(&j, &opts, doc, strlen(doc), "t"), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "t:5:5: invalid value '1_.5e3'"));
	doc = "s = \"x\\ty\"\nl = 'C:\\x'\ni = -1_000\nh = 0xff\nf = 1.5e3\n"
	      "inf = -inf\nnan = +nan\nb = false\nodt = 1979-05-27 07:32:00z\n"
	      "ldt = 1979-05-27t07:32:00.5\nld = 1979-05-27\nlt = 07:32:00\n"
	      "a = [1, {k = 'v'}]\n";
	assert_int_equal(parse_exact(&j, &opts, doc, strlen(doc), "t"), 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		json_t *v = json_object_get(j, want[i].key);

		assert_non_null(v);
		assert_int_equal(json_object_size(v), 2);
		assert_string_equal(tag_type(v), want[i].type);
		assert_string_equal(tag_value(v), want[i].value);
	}
	a = json_object_get(j, "a");
	assert_true(json_is_array(a));
	assert_string_equal(tag_type(json_array_get(a, 0)), "integer");
	assert_string_equal(tag_value(json_object_get(json_array_get(a, 1), "k")), "v");
	json_decref(j);
}

static void test_options_and_caps(void **state)
{
	struct cl_toml_options opts = CL_TOML_OPTIONS_INIT;
	json_t *j = (json_t *)0x1;
	char *big;
	size_t n = CL_TOML_MAX_SIZE_DEFAULT + 1;

	(void)state;
	opts.max_size = 10;
	assert_int_equal(cl_toml_parse_ext(&j, &opts, LIT("a = 1234567"), "Cargo.lock"), CL_ETOOBIG);
	assert_string_equal(cl_error_last(), "Cargo.lock: document of 11 bytes is over the limit of 10");
	assert_ptr_equal(j, (json_t *)0x1);
	assert_int_equal(cl_toml_parse_ext(&j, &opts, LIT("a = 123456"), "Cargo.lock"), 0);
	json_decref(j);

	/* the default cap: 16 MiB of blanks is fine, one byte more is not */
	big = malloc(n);
	assert_non_null(big);
	memset(big, ' ', n);
	assert_int_equal(cl_toml_parse(&j, big, n - 1, "big"), 0);
	json_decref(j);
	j = (json_t *)0x1;
	assert_int_equal(cl_toml_parse(&j, big, n, "big"), CL_ETOOBIG);
	assert_ptr_equal(j, (json_t *)0x1);
	opts.max_size = 0;   /* no cap */
	assert_int_equal(cl_toml_parse_ext(&j, &opts, big, n, "big"), 0);
	json_decref(j);
	free(big);

	/* a smaller depth limit: tables, arrays and dotted keys all count */
	opts = (struct cl_toml_options)CL_TOML_OPTIONS_INIT;
	opts.max_depth = 3;
	assert_int_equal(cl_toml_parse_ext(&j, &opts, LIT("a.b.c = 1"), "t"), 0);
	json_decref(j);
	assert_int_equal(cl_toml_parse_ext(&j, &opts, LIT("a.b.c.d = 1"), "t"), CL_EINVALID);
	assert_string_equal(cl_error_last(), "t:1:7: nesting deeper than 3 levels");
	assert_int_equal(cl_toml_parse_ext(&j, &opts, LIT("a = [[1]]"), "t"), 0);
	json_decref(j);
	assert_int_equal(cl_toml_parse_ext(&j, &opts, LIT("a = [[[1]]]"), "t"), CL_EINVALID);
	assert_int_equal(cl_toml_parse_ext(&j, &opts, LIT("[a.b]\nc = {}"), "t"), 0);
	json_decref(j);
	assert_int_equal(cl_toml_parse_ext(&j, &opts, LIT("[a.b]\nc = {d = 1}"), "t"), CL_EINVALID);
	assert_int_equal(cl_toml_parse_ext(&j, &opts, LIT("[[a]]\nb = 1"), "t"), 0);
	json_decref(j);
	assert_int_equal(cl_toml_parse_ext(&j, &opts, LIT("[[a]]\n[a.b]"), "t"), 0);
	json_decref(j);
	assert_int_equal(cl_toml_parse_ext(&j, &opts, LIT("[[a]]\n[a.b]\nc = 1"), "t"), CL_EINVALID);
	assert_int_equal(cl_toml_parse_ext(&j, &opts, LIT("[[a.b]]"), "t"), 0);
	json_decref(j);
	assert_int_equal(cl_toml_parse_ext(&j, &opts, LIT("[[a.b.c]]"), "t"), CL_EINVALID);
}

static void test_default_depth(void **state)
{
	struct cl_buf doc = CL_BUF_INIT;
	json_t *j = NULL;
	int i;

	(void)state;
	/* 127 arrays inside key "a" put the innermost value at depth 128: allowed */
	bputs(&doc, "a = ");
	for (i = 0; i < 127; i++)
		bputc(&doc, '[');
	bputc(&doc, '1');
	for (i = 0; i < 127; i++)
		bputc(&doc, ']');
	assert_int_equal(cl_toml_parse(&j, doc.ptr, doc.size, "t"), 0);
	json_decref(j);
	cl_buf_clear(&doc);
	bputs(&doc, "a = ");
	for (i = 0; i < 100000; i++)
		bputs(&doc, "{b=");
	assert_int_equal(cl_toml_parse(&j, doc.ptr, doc.size, "t"), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "nesting deeper than 128 levels"));
	cl_buf_dispose(&doc);
}

static void test_messages(void **state)
{
	json_t *j = NULL;

	(void)state;
	assert_int_equal(cl_toml_parse(&j, LIT("a = 1\na = 2"), NULL), CL_EINVALID);
	assert_string_equal(cl_error_last(), "<toml>:2:1: duplicate key 'a'");
	/* columns count characters; a BOM is no column */
	assert_int_equal(cl_toml_parse(&j, LIT("\xEF\xBB\xBF" "é = 1"), "x.toml"), CL_EINVALID);
	assert_string_equal(cl_error_last(), "x.toml:1:1: expected a key, found a non-ASCII character");
	assert_int_equal(cl_toml_parse(&j, LIT("k = \"ééé\" x"), "x.toml"), CL_EINVALID);
	assert_string_equal(cl_error_last(), "x.toml:1:11: expected a newline after the value, found 'x'");
	/* CRLF lines count once */
	assert_int_equal(cl_toml_parse(&j, LIT("a = 1\r\n\r\nb = ?"), "x"), CL_EINVALID);
	assert_string_equal(cl_error_last(), "x:3:5: expected a value, found '?'");
	/* very long keys and values are cut in messages */
	{
		struct cl_buf doc = CL_BUF_INIT;
		int i;

		for (i = 0; i < 2; i++) {
			int k;

			for (k = 0; k < 5000; k++)
				bputc(&doc, 'k');
			bputs(&doc, " = 1\n");
		}
		assert_int_equal(cl_toml_parse(&j, doc.ptr, doc.size, "x"), CL_EINVALID);
		assert_true(strlen(cl_error_last()) < 400);
		assert_non_null(strstr(cl_error_last(), "x:2:1: duplicate key 'kkkk"));
		assert_non_null(strstr(cl_error_last(), "...'"));
		cl_buf_dispose(&doc);
	}
}

/* Floats read the same under any LC_NUMERIC (the library may live in a localised program). */
static void test_locale(void **state)
{
	static const char *const locales[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "de_DE.utf8", "ru_RU.UTF-8" };
	json_t *j = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(locales) / sizeof(locales[0]); i++)
		if (setlocale(LC_NUMERIC, locales[i]))
			break;
	if (i == sizeof(locales) / sizeof(locales[0])) {
		print_message("locale: no locale with a decimal comma installed; checked in C only\n");
	}
	assert_int_equal(cl_toml_parse(&j, LIT("a = 1.5\nb = 2.5e-1"), "t"), 0);
	setlocale(LC_NUMERIC, "C");
	assert_true(json_real_value(json_object_get(j, "a")) == 1.5);
	assert_true(json_real_value(json_object_get(j, "b")) == 0.25);
	json_decref(j);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * Big documents of the shapes hostile input would use to find quadratic
 * work: many keys in one table, many tables, many array-of-table elements,
 * long arrays, long strings. The bound is loose (sanitizers are slow); a
 * quadratic step would take minutes at these sizes.
 */
static void test_big_documents(void **state)
{
	struct cl_buf doc = CL_BUF_INIT;
	struct timespec t0;
	json_t *j = NULL;
	int i;
	const int n = 100000;

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++)
		bprintf(&doc, "key%d = %d\n", i, i);
	assert_int_equal(cl_toml_parse(&j, doc.ptr, doc.size, "keys"), 0);
	assert_int_equal(json_object_size(j), (size_t)n);
	json_decref(j);
	bprintf(&doc, "key%d = 0\n", n / 2);
	assert_int_equal(cl_toml_parse(&j, doc.ptr, doc.size, "keys"), CL_EINVALID);
	assert_non_null(strstr(cl_error_last(), "keys:100001:1: duplicate key 'key50000'"));

	cl_buf_clear(&doc);
	for (i = 0; i < n; i++)
		bprintf(&doc, "[t%d.sub]\nx.y = %d\n", i, i);
	assert_int_equal(cl_toml_parse(&j, doc.ptr, doc.size, "tables"), 0);
	assert_int_equal(json_object_size(j), (size_t)n);
	json_decref(j);

	cl_buf_clear(&doc);
	for (i = 0; i < n; i++)
		bprintf(&doc, "[[package]]\nname = \"p%d\"\n[package.dependencies]\nx = 1\n", i);
	assert_int_equal(cl_toml_parse(&j, doc.ptr, doc.size, "aot"), 0);
	assert_int_equal(json_array_size(json_object_get(j, "package")), (size_t)n);
	json_decref(j);

	cl_buf_clear(&doc);
	bputs(&doc, "a = [");
	for (i = 0; i < n; i++)
		bputs(&doc, "1, ");
	bputs(&doc, "]\nb = { ");
	for (i = 0; i < n; i++)
		bprintf(&doc, "%sk%d.x = 1", i ? ", " : "", i);
	bputs(&doc, " }\nc = \"");
	for (i = 0; i < n; i++)
		bputs(&doc, "0123456789\\n");
	bputs(&doc, "\"\n");
	assert_int_equal(cl_toml_parse(&j, doc.ptr, doc.size, "long"), 0);
	assert_int_equal(json_array_size(json_object_get(j, "a")), (size_t)n);
	assert_int_equal(json_object_size(json_object_get(j, "b")), (size_t)n);
	assert_int_equal(json_string_length(json_object_get(j, "c")), (size_t)n * 11);
	json_decref(j);

	print_message("big documents: %.2f s\n", seconds_since(&t0));
	assert_true(seconds_since(&t0) < 60.0);
	cl_buf_dispose(&doc);
}

/* A Cargo.lock of 5,000 packages, the dependency check's bench size. */
static void test_generated_cargo_lock(void **state)
{
	struct cl_buf doc = CL_BUF_INIT;
	json_t *j = NULL, *pkgs, *p;
	int i;

	(void)state;
	bputs(&doc, "# This file is automatically @generated by Cargo.\nversion = 3\n");
	for (i = 0; i < 5000; i++) {
		bprintf(&doc, "\n[[package]]\nname = \"crate-%d\"\nversion = \"1.%d.0\"\n"
			      "source = \"registry+https://github.com/rust-lang/crates.io-index\"\n"
			      "checksum = \"%064x\"\n", i, i % 50, i);
		if (i % 3 == 0)
			bprintf(&doc, "dependencies = [\n \"crate-%d\",\n \"crate-%d 1.0.0\",\n]\n",
				      (i + 1) % 5000, (i + 2) % 5000);
	}
	assert_int_equal(cl_toml_parse(&j, doc.ptr, doc.size, "Cargo.lock"), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "version")), 3);
	pkgs = json_object_get(j, "package");
	assert_int_equal(json_array_size(pkgs), 5000);
	p = json_array_get(pkgs, 4998);
	assert_string_equal(json_string_value(json_object_get(p, "name")), "crate-4998");
	assert_string_equal(json_string_value(json_array_get(json_object_get(p, "dependencies"), 1)),
			    "crate-0 1.0.0");
	json_decref(j);
	cl_buf_dispose(&doc);
}

/* ---- 4. conformance ------------------------------------------------------ */

/* Date/time text compared as toml-test does: case, separator and trailing zeros aside. */
static void norm_datetime(char *dst, size_t cap, const char *s)
{
	size_t o = 0, frac_end = 0;
	int in_frac = 0;

	for (; *s && o + 1 < cap; s++) {
		char c = *s;

		if (c == 't' || c == ' ')
			c = 'T';
		else if (c == 'z')
			c = 'Z';
		if (in_frac && !(c >= '0' && c <= '9')) {
			o = frac_end;
			in_frac = 0;
		}
		dst[o++] = c;
		if (c == '.') {
			in_frac = 1;
			frac_end = o - 1;   /* drop the point when only zeros follow */
		} else if (in_frac && c != '0') {
			frac_end = o;
		}
	}
	if (in_frac)
		o = frac_end;
	dst[o] = '\0';
}

/* Compare our tagged tree with toml-test's expected JSON; a reason, or NULL. */
static const char *tagged_differs(const json_t *want, const json_t *have)
{
	const char *key;
	json_t *w;
	size_t i;

	if (json_is_object(want) && json_object_size(want) == 2 &&
	    json_is_string(json_object_get(want, "type")) && json_is_string(json_object_get(want, "value"))) {
		const char *type = tag_type(want), *wv = tag_value(want), *hv;

		if (!json_is_object(have) || !tag_type(have) || strcmp(type, tag_type(have)) != 0)
			return "type differs";
		hv = tag_value(have);
		if (!hv)
			return "no value";
		if (strcmp(type, "float") == 0) {
			double a = strtod(wv, NULL), b = strtod(hv, NULL);

			if (!(a == b || (isnan(a) && isnan(b))))
				return "float differs";
		} else if (strncmp(type, "date", 4) == 0 || strcmp(type, "time-local") == 0) {
			char na[128], nb[128];

			norm_datetime(na, sizeof(na), wv);
			norm_datetime(nb, sizeof(nb), hv);
			if (strcmp(na, nb) != 0)
				return "date/time differs";
		} else if (!json_equal(json_object_get(want, "value"), json_object_get(have, "value"))) {
			return "value differs";
		}
		return NULL;
	}
	if (json_is_object(want)) {
		if (!json_is_object(have) || json_object_size(have) != json_object_size(want))
			return "table differs";
		json_object_foreach((json_t *)want, key, w) {
			const char *why = tagged_differs(w, json_object_get(have, key));

			if (why)
				return why;
		}
		return NULL;
	}
	if (json_is_array(want)) {
		if (!json_is_array(have) || json_array_size(have) != json_array_size(want))
			return "array differs";
		for (i = 0; i < json_array_size(want); i++) {
			const char *why = tagged_differs(json_array_get(want, i), json_array_get(have, i));

			if (why)
				return why;
		}
		return NULL;
	}
	return "unexpected expected JSON";
}

struct conformance {
	const char *root;
	size_t valid, valid_failed, invalid, invalid_failed, excluded;
};

/* TOML 1.1 tests that a 1.0 reader must reject (toml-test's own 1.0.0 exclusions). */
static const char *const tests_of_1_1[] = { "valid/string/escape-esc.toml" };

static int is_1_1(const char *rel)
{
	size_t i;

	for (i = 0; i < sizeof(tests_of_1_1) / sizeof(tests_of_1_1[0]); i++)
		if (strcmp(rel, tests_of_1_1[i]) == 0)
			return 1;
	return 0;
}

static void conformance_file(struct conformance *c, const char *path, const char *rel)
{
	struct cl_toml_options opts = CL_TOML_OPTIONS_INIT;
	struct cl_buf doc = CL_BUF_INIT, jpath = CL_BUF_INIT, jdoc = CL_BUF_INIT;
	json_t *got = NULL, *want = NULL;
	json_error_t jerr;
	int rc, valid = strncmp(rel, "valid/", 6) == 0;

	opts.flags = CL_TOML_TAGGED;
	assert_int_equal(cl_buf_read_path(&doc, path), 0);
	rc = parse_exact(&got, &opts, doc.ptr ? doc.ptr : "", doc.size, rel);
	if (valid && is_1_1(rel)) {
		c->excluded++;
		if (rc == 0) {
			print_error("%s: TOML 1.1 syntax accepted\n", rel);
			c->invalid_failed++;
			json_decref(got);
		}
	} else if (valid) {
		c->valid++;
		bprintf(&jpath, "%.*s.json", (int)(strlen(path) - 5), path);
		if (rc != 0) {
			print_error("%s: rejected: %s\n", rel, cl_error_last());
			c->valid_failed++;
		} else if (cl_buf_read_path(&jdoc, jpath.ptr) < 0 ||
			   !(want = json_loads(jdoc.ptr, 0, &jerr))) {
			print_error("%s: cannot read the expected JSON\n", rel);
			c->valid_failed++;
		} else {
			const char *why = tagged_differs(want, got);

			if (why) {
				char *g = dump(got);

				print_error("%s: %s; got %s\n", rel, why, g);
				free(g);
				c->valid_failed++;
			}
		}
		json_decref(got);
		json_decref(want);
	} else {
		c->invalid++;
		if (rc == 0) {
			print_error("%s: accepted\n", rel);
			c->invalid_failed++;
			json_decref(got);
		} else if (rc != CL_EINVALID || strncmp(cl_error_last(), rel, strlen(rel)) != 0) {
			print_error("%s: code %d, message '%s'\n", rel, rc, cl_error_last());
			c->invalid_failed++;
		}
	}
	cl_buf_dispose(&doc);
	cl_buf_dispose(&jpath);
	cl_buf_dispose(&jdoc);
}

static void conformance_walk(struct conformance *c, const char *sub)
{
	struct cl_buf dir = CL_BUF_INIT;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;

	bprintf(&dir, "%s%s%s", c->root, *sub ? "/" : "", sub);
	d = opendir(dir.ptr);
	if (!d) {
		cl_buf_dispose(&dir);
		return;
	}
	for (;;) {
		e = readdir(d);
		if (!e)
			break;
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
			assert_non_null(names);
		}
		names[n] = strdup(e->d_name);
		assert_non_null(names[n]);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		struct cl_buf path = CL_BUF_INIT, rel = CL_BUF_INIT;
		struct stat st;
		size_t len = strlen(names[i]);

		bprintf(&path, "%s/%s", dir.ptr, names[i]);
		bprintf(&rel, "%s%s%s", sub, *sub ? "/" : "", names[i]);
		if (stat(path.ptr, &st) == 0 && S_ISDIR(st.st_mode))
			conformance_walk(c, rel.ptr);
		else if (len > 5 && strcmp(names[i] + len - 5, ".toml") == 0)
			conformance_file(c, path.ptr, rel.ptr);
		cl_buf_dispose(&path);
		cl_buf_dispose(&rel);
		free(names[i]);
	}
	free(names);
	cl_buf_dispose(&dir);
}

static void test_toml_test_suite(void **state)
{
	struct conformance c = { 0 };
	const char *env = getenv("CLEARANCE_TOML_TEST");
	struct stat st;

	(void)state;
	c.root = env && *env ? env : TOML_TEST_DEFAULT;
	if (stat(c.root, &st) != 0 || !S_ISDIR(st.st_mode)) {
		print_message("toml-test: SKIPPED, no suite at %s (apt-get install "
			      "golang-github-burntsushi-toml-dev, or set CLEARANCE_TOML_TEST)\n", c.root);
		skip();
	}
	conformance_walk(&c, "valid");
	conformance_walk(&c, "invalid");
	print_message("toml-test (%s): valid %zu/%zu, invalid %zu/%zu rejected, "
		      "%zu TOML 1.1 test(s) rejected as they must be\n", c.root,
		      c.valid - c.valid_failed, c.valid, c.invalid - c.invalid_failed, c.invalid,
		      c.excluded);
	assert_true(c.valid + c.invalid > 100);
	assert_int_equal(c.valid_failed, 0);
	assert_int_equal(c.invalid_failed, 0);
}

/* Every TOML manifest and lock file of the shared corpus parses. */
static void test_shared_examples(void **state)
{
	static const char *const files[] = {
		"rust/Cargo.toml", "rust/Cargo.subcrate.toml", "rust/Cargo.v1.lock",
		"rust/Cargo.v4.lock", "python/pyproject.pep621.toml",
		"python/pyproject.poetry.toml", "python/poetry.lock", "python/uv.lock",
	};
	const char *shared = getenv("CLEARANCE_SHARED");
	struct cl_buf root = CL_BUF_INIT;
	struct stat st;
	size_t i, parsed = 0;

	(void)state;
	bprintf(&root, "%s/conformance/deps-examples", shared && *shared ? shared : "../shared");
	if (stat(root.ptr, &st) != 0) {
		print_message("shared examples: SKIPPED, no %s\n", root.ptr);
		cl_buf_dispose(&root);
		skip();
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct cl_buf path = CL_BUF_INIT, doc = CL_BUF_INIT;
		json_t *j = NULL;

		bprintf(&path, "%s/%s", root.ptr, files[i]);
		if (cl_buf_read_path(&doc, path.ptr) == 0) {
			if (parse_exact(&j, NULL, doc.ptr, doc.size, files[i]) != 0)
				fail_msg("%s: %s", files[i], cl_error_last());
			assert_true(json_is_object(j));
			if (strstr(files[i], ".lock"))
				assert_true(json_array_size(json_object_get(j, "package")) > 0);
			json_decref(j);
			parsed++;
		}
		cl_buf_dispose(&path);
		cl_buf_dispose(&doc);
	}
	print_message("shared examples: %zu TOML files parsed\n", parsed);
	assert_true(parsed > 0);
	cl_buf_dispose(&root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_fixtures_valid),
		cmocka_unit_test(test_fixtures_invalid),
		cmocka_unit_test(test_key_order),
		cmocka_unit_test(test_nul_in_keys_and_strings),
		cmocka_unit_test(test_tagged),
		cmocka_unit_test(test_options_and_caps),
		cmocka_unit_test(test_default_depth),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_locale),
		cmocka_unit_test(test_big_documents),
		cmocka_unit_test(test_generated_cargo_lock),
		cmocka_unit_test(test_toml_test_suite),
		cmocka_unit_test(test_shared_examples),
	};

	return cmocka_run_group_tests_name("toml", tests, NULL, NULL);
}
