/*
 * webhook.c - webhook signatures and the payload decoder.
 *
 * Divisions: signatures (HMAC-SHA256, constant-time compare), the depth
 * scan, the decoder (field tables per event, one scanning pass).
 *
 * The decoder does not build a JSON tree. A GitHub pull_request payload is
 * 25 KB with hundreds of keys of which we want a dozen; building Jansson's
 * tree for it cost more than everything else a delivery costs together
 * (profiled at ~45% of the intake's CPU). Instead one pass validates the
 * whole text against the JSON grammar (RFC 8259: UTF-8, escapes, surrogate
 * pairs, numbers, depth) and copies out only the values at the paths the
 * field tables name. fuzz_webhook checks it against Jansson.
 */
#include "webhook.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <jansson.h>

#include "error.h"
#include "json_text.h"

const char *cl_webhook_forge_name(enum cl_webhook_forge forge)
{
	switch (forge) {
	case CL_FORGE_GITHUB: return "github";
	case CL_FORGE_GITEA: return "gitea";
	}
	CL_BUG("unknown forge");
}

/* ---- signatures ------------------------------------------------------- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int webhook_hmac(unsigned char md[32], const char *secret, size_t secret_len,
	const char *body, size_t body_len)
{
	unsigned int mdlen = 0;
	/* HMAC() with an empty key is valid HMAC, but OpenSSL wants a non-NULL pointer */
	if (!HMAC(EVP_sha256(), secret_len ? secret : "", (int)secret_len,
			(const unsigned char *)(body_len ? body : ""), body_len, md, &mdlen) || mdlen != 32)
		return cl_error_set("hmac-sha256 failed");
	return 0;
}

struct cl_webhook_key {
	EVP_MAC_CTX *keyed;   /* HMAC-SHA256 after init with the secret; only ever copied */
};

int cl_webhook_key_new(struct cl_webhook_key **out, const char *secret, size_t secret_len)
{
	struct cl_webhook_key *key = calloc(1, sizeof(*key));
	EVP_MAC *mac = NULL;
	OSSL_PARAM params[2];
	int error = 0;

	CL_CHECK_ALLOC(key);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	/* an empty key is valid HMAC, but OpenSSL wants a non-NULL pointer */
	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL ||
	    (key->keyed = EVP_MAC_CTX_new(mac)) == NULL ||
	    !EVP_MAC_init(key->keyed, (const unsigned char *)(secret_len ? secret : ""), secret_len, params)) {
		error = cl_error_set("hmac-sha256 failed");
		goto done;
	}
	*out = key;
	key = NULL;
done:
	EVP_MAC_free(mac);   /* the context holds its own reference */
	cl_webhook_key_free(key);
	return error;
}

void cl_webhook_key_free(struct cl_webhook_key *key)
{
	if (!key)
		return;
	EVP_MAC_CTX_free(key->keyed);
	free(key);
}

static int key_hmac(unsigned char md[32], const struct cl_webhook_key *key,
	const char *body, size_t body_len)
{
	/* a copy per check: the keyed context itself is shared by threads */
	EVP_MAC_CTX *ctx = EVP_MAC_CTX_dup(key->keyed);
	size_t mdlen = 0;
	int ok = ctx && EVP_MAC_update(ctx, (const unsigned char *)(body_len ? body : ""), body_len) &&
		EVP_MAC_final(ctx, md, &mdlen, 32) && mdlen == 32;

	EVP_MAC_CTX_free(ctx);
	return ok ? 0 : cl_error_set("hmac-sha256 failed");
}

int cl_webhook_verify(const char *secret, size_t secret_len,
	const char *body, size_t body_len, const char *header)
{
	struct cl_webhook_key *key = NULL;
	int error;

	if ((error = cl_webhook_key_new(&key, secret, secret_len)) < 0)
		return error;
	error = cl_webhook_verify_key(key, body, body_len, header);
	cl_webhook_key_free(key);
	return error;
}

int cl_webhook_verify_key(const struct cl_webhook_key *key,
	const char *body, size_t body_len, const char *header)
{
	unsigned char want[32], got[32];
	size_t i;

	if (!header)
		return cl_error_setc(CL_EINVALID, "missing signature header");
	if (strncmp(header, "sha256=", 7) == 0)
		header += 7;
	if (strlen(header) != 64)
		return cl_error_setc(CL_EINVALID, "malformed signature: expected 64 hex digits");
	for (i = 0; i < 32; i++) {
		int hi = hexval((unsigned char)header[2 * i]), lo = hexval((unsigned char)header[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return cl_error_setc(CL_EINVALID, "malformed signature: expected 64 hex digits");
		got[i] = (unsigned char)(hi << 4 | lo);
	}
	if (key_hmac(want, key, body, body_len) < 0)
		return CL_ERROR;
	/* constant time: the comparison must not tell an attacker how many bytes matched */
	if (CRYPTO_memcmp(want, got, 32) != 0)
		return cl_error_setc(CL_EINVALID, "signature does not match the body");
	return 0;
}

void cl_webhook_sign(char out[72], const char *secret, size_t secret_len,
	const char *body, size_t body_len, int github_style)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	size_t i, o = 0;

	if (webhook_hmac(md, secret, secret_len, body, body_len) < 0)
		memset(md, 0, sizeof(md));
	if (github_style) {
		memcpy(out, "sha256=", 7);
		o = 7;
	}
	for (i = 0; i < 32; i++) {
		out[o++] = hex[md[i] >> 4];
		out[o++] = hex[md[i] & 15];
	}
	out[o] = '\0';
}

/* ---- depth ------------------------------------------------------------ */

int cl_webhook_check_depth(const char *body, size_t len, int max_depth)
{
	int depth = 0, in_string = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = body[i];
		if (in_string) {
			if (c == '\\')
				i++;   /* the escaped character cannot end the string */
			else if (c == '"')
				in_string = 0;
			continue;
		}
		if (c == '"') {
			in_string = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > max_depth)
				return cl_error_setc(CL_EINVALID, "JSON nested deeper than %d levels", max_depth);
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return 0;
}

/* ---- decoder: field tables ------------------------------------------- */

/* WANT_NAMES: a list of objects, their "name" members kept one per line (labels). */
enum want { WANT_STRING, WANT_SHA, WANT_INT, WANT_BOOL, WANT_OBJECT, WANT_NAMES };

/*
 * One field: a path of up to four keys from the payload's root, where it
 * goes in the record, and whether its absence refuses the payload. The
 * tables below are the whole knowledge of which event carries what.
 */
#define PATH_MAX_KEYS 4
struct field {
	const char *path[PATH_MAX_KEYS];
	enum want want;
	size_t offset;
	int required;
};

#define AT(m) offsetof(struct cl_webhook_event, m)

static const struct field common_fields[] = {
	{ { "action" }, WANT_STRING, AT(action), 0 },
	{ { "repository", "full_name" }, WANT_STRING, AT(repo_full_name), 0 },
	{ { "repository", "clone_url" }, WANT_STRING, AT(clone_url), 0 },
	{ { "sender", "login" }, WANT_STRING, AT(sender), 0 },
	{ { "installation", "id" }, WANT_INT, AT(installation_id), 0 },
	{ { "zen" }, WANT_STRING, AT(zen), 0 },
};

static const struct field pull_request_fields[] = {
	{ { "repository", "full_name" }, WANT_STRING, AT(repo_full_name), 1 },
	{ { "number" }, WANT_INT, AT(pr_number), 1 },
	{ { "pull_request", "base", "ref" }, WANT_STRING, AT(base_ref), 1 },
	{ { "pull_request", "base", "sha" }, WANT_SHA, AT(base_sha), 1 },
	{ { "pull_request", "head", "ref" }, WANT_STRING, AT(head_ref), 1 },
	{ { "pull_request", "head", "sha" }, WANT_SHA, AT(head_sha), 1 },
};

static const struct field push_fields[] = {
	{ { "repository", "full_name" }, WANT_STRING, AT(repo_full_name), 1 },
	{ { "ref" }, WANT_STRING, AT(push_ref), 1 },
	{ { "before" }, WANT_SHA, AT(push_before), 1 },
	{ { "after" }, WANT_SHA, AT(push_after), 1 },
};

static const struct field issue_comment_fields[] = {
	{ { "repository", "full_name" }, WANT_STRING, AT(repo_full_name), 1 },
	{ { "issue", "number" }, WANT_INT, AT(pr_number), 1 },
	{ { "comment", "body" }, WANT_STRING, AT(comment_body), 1 },
	{ { "comment", "user", "login" }, WANT_STRING, AT(comment_author), 1 },
	{ { "comment", "html_url" }, WANT_STRING, AT(comment_url), 0 },
	/* GitHub marks a PR's issue with a pull_request object, Gitea with is_pull */
	{ { "issue", "pull_request" }, WANT_OBJECT, AT(comment_on_pr), 0 },
	{ { "is_pull" }, WANT_BOOL, AT(comment_on_pr), 0 },
};

/* An issue opened or edited (the outbound contribution requests of approvals.h). */
static const struct field issues_fields[] = {
	{ { "repository", "full_name" }, WANT_STRING, AT(repo_full_name), 1 },
	{ { "issue", "number" }, WANT_INT, AT(pr_number), 1 },
	{ { "issue", "title" }, WANT_STRING, AT(issue_title), 0 },
	{ { "issue", "body" }, WANT_STRING, AT(issue_body), 0 },
	{ { "issue", "user", "login" }, WANT_STRING, AT(issue_author), 1 },
	{ { "issue", "html_url" }, WANT_STRING, AT(issue_url), 0 },
	{ { "issue", "state" }, WANT_STRING, AT(issue_state), 0 },
	{ { "issue", "labels" }, WANT_NAMES, AT(issue_labels), 0 },
};

struct event_fields {
	const char *event;
	const struct field *fields;
	size_t count;
};

#define TABLE(t) t, sizeof(t) / sizeof(t[0])
static const struct event_fields event_table[] = {
	{ "pull_request", TABLE(pull_request_fields) },
	{ "push", TABLE(push_fields) },
	{ "issue_comment", TABLE(issue_comment_fields) },
	{ "issues", TABLE(issues_fields) },
};

#define MAX_FIELDS 16

/* ---- decoder: the scanner --------------------------------------------- */

/* A level of the current path. */
struct key {
	unsigned int mask;   /* fields whose path begins with the keys down to this one */
};

struct scanner {
	const char *p, *end, *start;
	int depth;
	struct key path[PATH_MAX_KEYS];   /* the enclosing levels that a field could still match */
	size_t path_len;                  /* enclosing levels, arrays included */
	const struct field *fields[MAX_FIELDS];
	size_t key_len[MAX_FIELDS][PATH_MAX_KEYS];   /* strlen of each path key, measured once */
	unsigned char seen[MAX_FIELDS];
	size_t nfields;
	struct cl_webhook_event *ev;
};

static int scan_error(struct scanner *s, const char *what)
{
	return cl_error_setc(CL_EINVALID, "invalid JSON at byte %zu: %s", (size_t)(s->p - s->start), what);
}

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws_run(struct scanner *s)
{
	/* a local cursor: through s->p every byte would be a store, since a
	 * char pointer may alias the scanner itself */
	const char *p = s->p, *end = s->end;

#if defined(__SSE2__)
	/* pretty-printed JSON: a line break, then a run of indentation */
	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i ws = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
			_mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))), _mm_or_si128(
			_mm_cmpeq_epi8(v, _mm_set1_epi8('\t')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
		unsigned int m = (unsigned int)_mm_movemask_epi8(ws) ^ 0xFFFFu;
		if (m) {
			s->p = p + __builtin_ctz(m);
			return;
		}
		p += 16;
	}
#endif
	while (p < end && is_ws(*p))
		p++;
	s->p = p;
}

/* Called before every token, so the common case (compact JSON: the next
 * byte is no blank) stays inline and only a run of blanks costs a call. */
static inline void skip_ws(struct scanner *s)
{
	if (s->p < s->end && (unsigned char)*s->p <= ' ')
		skip_ws_run(s);
}

static int hex4(const char *p, unsigned int *out)
{
	unsigned int v = 0;
	int i;
	for (i = 0; i < 4; i++) {
		int h = hexval((unsigned char)p[i]);
		if (h < 0)
			return -1;
		v = v << 4 | (unsigned int)h;
	}
	*out = v;
	return 0;
}

/* Word-at-a-time byte tests (exact: nonzero iff some byte matches). */
#define SWAR_ONES 0x0101010101010101ULL
#define SWAR_HIGHS 0x8080808080808080ULL
static uint64_t swar_has(uint64_t w, unsigned char b)
{
	uint64_t x = w ^ (SWAR_ONES * b);
	return (x - SWAR_ONES) & ~x & SWAR_HIGHS;
}

static uint64_t swar_has_below(uint64_t w, unsigned char n)
{
	return (w - SWAR_ONES * n) & ~w & SWAR_HIGHS;
}

/*
 * The first byte at or after p that ends a run of plain string text: '"',
 * '\\', a control character or a non-ASCII byte (checked as UTF-8 by the
 * caller); `end` when there is none. Most of a payload is long strings
 * (URLs, bodies) with nothing to look at inside, so they are skipped 16
 * bytes at a time (SSE2, part of every x86-64) or else 8 (plain words).
 */
static const char *plain_run(const char *p, const char *end)
{
#if defined(__SSE2__)
	const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'),
		control = _mm_set1_epi8(0x1f);

	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* min(v, 0x1f) == v exactly for the bytes 0x00..0x1f (unsigned) */
		__m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote),
			_mm_cmpeq_epi8(v, backslash)), _mm_cmpeq_epi8(_mm_min_epu8(v, control), v));
		/* the byte mask of v itself is its high bits: the non-ASCII bytes */
		unsigned int m = (unsigned int)(_mm_movemask_epi8(stop) | _mm_movemask_epi8(v));
		if (m)
			return p + __builtin_ctz(m);
		p += 16;
	}
#endif
	while (end - p >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		if (swar_has(w, '"') | swar_has(w, '\\') | swar_has_below(w, 0x20) | (w & SWAR_HIGHS))
			break;
		p += 8;
	}
	for (; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
			break;
	}
	return p;
}

/*
 * Check a string starting at the opening quote; leave p after the closing
 * one. [*from, *to) is the raw content; *escaped when it holds a backslash.
 * JSON text is UTF-8 (RFC 8259 8.1) and bytes past ASCII are only valid
 * inside strings, so this is where the encoding is checked: one sequence
 * wherever the run of plain text stops at one.
 */
static int scan_string(struct scanner *s, const char **from, const char **to, int *escaped)
{
	const char *p = s->p + 1;

	*escaped = 0;
	*from = p;
	for (;;) {
		unsigned char c;
		p = plain_run(p, s->end);
		if (p >= s->end) {
			s->p = p;
			return scan_error(s, "unterminated string");
		}
		c = (unsigned char)*p;
		if (c == '"')
			break;
		if (c >= 0x80) {
			size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
			if ((size_t)(s->end - p) < n || cl_utf8_valid_prefix(p, n) != n) {
				s->p = p;
				return scan_error(s, "not UTF-8");
			}
			p += n;
			continue;
		}
		if (c < 0x20) {
			s->p = p;
			return scan_error(s, "control character in a string");
		}
		/* a backslash */
		*escaped = 1;
		if (p + 1 >= s->end) {
			s->p = p;
			return scan_error(s, "unterminated string");
		}
		switch (p[1]) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
			p += 2;
			continue;
		case 'u': {
			unsigned int u, lo;
			if (s->end - p < 6 || hex4(p + 2, &u) < 0) {
				s->p = p;
				return scan_error(s, "invalid \\u escape");
			}
			p += 6;
			if (u >= 0xDC00 && u <= 0xDFFF) {
				s->p = p;
				return scan_error(s, "lone low surrogate");
			}
			if (u >= 0xD800 && u <= 0xDBFF) {
				if (s->end - p < 6 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &lo) < 0 ||
				    lo < 0xDC00 || lo > 0xDFFF) {
					s->p = p;
					return scan_error(s, "high surrogate without its low half");
				}
				p += 6;
			}
			continue;
		}
		default:
			s->p = p;
			return scan_error(s, "invalid escape");
		}
	}
	*to = p;
	s->p = p + 1;
	return 0;
}

/* Unescape a checked string into a new NUL-terminated one; *len its length. */
static char *unescape(const char *from, const char *to, size_t *len)
{
	char *out = malloc((size_t)(to - from) + 1), *o = out;
	const char *p = from;

	if (!out)
		return NULL;
	while (p < to) {
		unsigned int u, lo;
		if (*p != '\\') {
			*o++ = *p++;
			continue;
		}
		switch (p[1]) {
		case 'b': *o++ = '\b'; p += 2; continue;
		case 'f': *o++ = '\f'; p += 2; continue;
		case 'n': *o++ = '\n'; p += 2; continue;
		case 'r': *o++ = '\r'; p += 2; continue;
		case 't': *o++ = '\t'; p += 2; continue;
		case 'u':
			hex4(p + 2, &u);
			p += 6;
			if (u >= 0xD800 && u <= 0xDBFF) {
				hex4(p + 2, &lo);
				p += 6;
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			}
			/* UTF-8 is never longer than the escape it replaces (6 or 12 bytes) */
			if (u < 0x80) {
				*o++ = (char)u;
			} else if (u < 0x800) {
				*o++ = (char)(0xC0 | u >> 6);
				*o++ = (char)(0x80 | (u & 0x3F));
			} else if (u < 0x10000) {
				*o++ = (char)(0xE0 | u >> 12);
				*o++ = (char)(0x80 | ((u >> 6) & 0x3F));
				*o++ = (char)(0x80 | (u & 0x3F));
			} else {
				*o++ = (char)(0xF0 | u >> 18);
				*o++ = (char)(0x80 | ((u >> 12) & 0x3F));
				*o++ = (char)(0x80 | ((u >> 6) & 0x3F));
				*o++ = (char)(0x80 | (u & 0x3F));
			}
			continue;
		default:   /* '"', '\\', '/' */
			*o++ = p[1];
			p += 2;
			continue;
		}
	}
	*o = '\0';
	*len = (size_t)(o - out);
	return out;
}

static int scan_number(struct scanner *s)
{
	const char *p = s->p;
	if (p < s->end && *p == '-')
		p++;
	if (p >= s->end || !(*p >= '0' && *p <= '9'))
		return scan_error(s, "invalid number");
	if (*p == '0')
		p++;
	else
		while (p < s->end && *p >= '0' && *p <= '9')
			p++;
	if (p < s->end && *p == '.') {
		p++;
		if (p >= s->end || !(*p >= '0' && *p <= '9'))
			return scan_error(s, "invalid number");
		while (p < s->end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < s->end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < s->end && (*p == '+' || *p == '-'))
			p++;
		if (p >= s->end || !(*p >= '0' && *p <= '9'))
			return scan_error(s, "invalid number");
		while (p < s->end && *p >= '0' && *p <= '9')
			p++;
	}
	s->p = p;
	return 0;
}

static int scan_literal(struct scanner *s, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return scan_error(s, "invalid literal");
	s->p += n;
	return 0;
}

static void path_text(char *dst, size_t size, const struct field *f)
{
	size_t i, o = 0;
	dst[0] = '\0';
	for (i = 0; i < PATH_MAX_KEYS && f->path[i]; i++) {
		int n = snprintf(dst + o, size - o, "%s%s", i ? "." : "", f->path[i]);
		if (n < 0 || (size_t)n >= size - o)
			return;
		o += (size_t)n;
	}
}

/*
 * The field whose path is the current path (path_len keys), or -1. Each
 * level keeps the set of fields still matching (struct key.mask), so most
 * values - those under keys no field names - cost one test here.
 */
static int match_field(const struct scanner *s)
{
	unsigned int mask;
	size_t i;
	if (s->path_len == 0 || s->path_len > PATH_MAX_KEYS)
		return -1;
	mask = s->path[s->path_len - 1].mask;
	for (i = 0; mask && i < s->nfields; i++, mask >>= 1)
		if ((mask & 1) && (s->path_len == PATH_MAX_KEYS || !s->fields[i]->path[s->path_len]))
			return (int)i;
	return -1;
}

static int is_sha(const char *v, size_t len)
{
	size_t i;
	if (len != 40 && len != 64)
		return 0;
	for (i = 0; i < len; i++)
		if (hexval((unsigned char)v[i]) < 0)
			return 0;
	return 1;
}

static int type_error(const struct field *f, const char *what)
{
	char where[128];
	path_text(where, sizeof(where), f);
	return cl_error_setc(CL_EINVALID, "payload field '%s' is not %s", where, what);
}

/*
 * The "name" members of a list of objects [from, to) (checked JSON text),
 * one per line. The list is small (an issue's labels), so Jansson reads
 * just that slice; names with a line break or NUL are skipped (no label
 * has one), and the whole is capped like any field.
 */
static int capture_names(const struct field *f, char **slot, const char *from, const char *to)
{
	json_error_t jerr;
	json_t *list, *item;
	size_t i, len = 0, n;
	char *out = NULL;

	list = json_loadb(from, (size_t)(to - from), JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, &jerr);
	if (!json_is_array(list)) {
		json_decref(list);
		return type_error(f, "a list of labels");
	}
	if ((out = calloc(1, 1)) == NULL) {
		json_decref(list);
		return cl_error_set("out of memory");
	}
	json_array_foreach(list, i, item) {
		json_t *name = json_object_get(item, "name");
		const char *v = json_string_value(name);
		char *grown;
		n = json_string_length(name);
		if (!v || n == 0 || memchr(v, '\0', n) || memchr(v, '\n', n))
			continue;
		if (len + n + 1 > CL_WEBHOOK_MAX_FIELD) {
			free(out);
			json_decref(list);
			return type_error(f, "a list of labels within the size cap");
		}
		if ((grown = realloc(out, len + n + 2)) == NULL) {
			free(out);
			json_decref(list);
			return cl_error_set("out of memory");
		}
		out = grown;
		memcpy(out + len, v, n);
		len += n;
		out[len++] = '\n';
		out[len] = '\0';
	}
	json_decref(list);
	free(*slot);
	*slot = out;
	return 0;
}

/* Store the value that starts at s->p (already checked) for field `i`. */
static int capture(struct scanner *s, int i, const char *from, const char *to, int escaped)
{
	const struct field *f = s->fields[i];
	char *base = (char *)s->ev, where[128];

	if (s->seen[i]) {
		path_text(where, sizeof(where), f);
		/* two values for one path: two readers of the payload could act on different ones */
		return cl_error_setc(CL_EINVALID, "payload has '%s' twice", where);
	}
	s->seen[i] = 1;
	switch (f->want) {
	case WANT_STRING:
	case WANT_SHA: {
		char **slot = (char **)(void *)(base + f->offset), *v;
		size_t len;
		if (!from)
			return type_error(f, "a string");
		if ((size_t)(to - from) > CL_WEBHOOK_MAX_FIELD) {
			path_text(where, sizeof(where), f);
			return cl_error_setc(CL_EINVALID, "payload field '%s' is longer than %d bytes",
				where, CL_WEBHOOK_MAX_FIELD);
		}
		if (escaped) {
			if ((v = unescape(from, to, &len)) == NULL)
				return cl_error_set("out of memory");
		} else {
			len = (size_t)(to - from);
			if ((v = malloc(len + 1)) == NULL)
				return cl_error_set("out of memory");
			memcpy(v, from, len);
			v[len] = '\0';
		}
		if (strlen(v) != len || (f->want == WANT_SHA && !is_sha(v, len))) {
			free(v);
			return type_error(f, f->want == WANT_SHA ? "a commit id" : "a string without NUL");
		}
		free(*slot);   /* a common field may be named again by the event's table */
		*slot = v;
		return 0;
	}
	case WANT_INT: {
		long long *slot = (long long *)(void *)(base + f->offset), v = 0;
		const char *p;
		if (!from || to - from > 18 || to == from)
			return type_error(f, "a whole number");
		for (p = from; p < to; p++) {
			if (*p < '0' || *p > '9')
				return type_error(f, "a whole number");
			v = v * 10 + (*p - '0');
		}
		*slot = v;
		return 0;
	}
	case WANT_NAMES:
		return capture_names(f, (char **)(void *)(base + f->offset), from, to);
	case WANT_BOOL:
	case WANT_OBJECT:
		/* two fields say "this issue is a PR" (GitHub, Gitea): either is enough */
		if (from)
			*(int *)(void *)(base + f->offset) = 1;
		return 0;
	}
	CL_BUG("unknown field kind");
}

static int scan_value(struct scanner *s);

/* Does the checked key text [from, to) hold the escape of U+0000? */
static int key_has_nul(const char *from, const char *to)
{
	const char *p = from;
	unsigned int u;

	while (p < to) {
		if (*p != '\\') {
			p++;
			continue;
		}
		if (p[1] == 'u' && hex4(p + 2, &u) == 0 && u == 0)
			return 1;
		p += p[1] == 'u' ? 6 : 2;
	}
	return 0;
}

/* Enter a member: narrow the parent's set of matching fields by its key. */
static int push_key(struct scanner *s, const char *from, const char *to, int escaped)
{
	size_t level = s->path_len++, i, len = (size_t)(to - from);
	unsigned int parent, mask = 0;
	char *u = NULL;

	/* RFC 8259 allows it, but Jansson refuses such an object, and the
	 * decoder accepts only what Jansson does (fuzz_webhook holds it to
	 * that; it found this case). No forge sends a NUL in a key. */
	if (escaped && key_has_nul(from, to))
		return cl_error_setc(CL_EINVALID, "invalid JSON at byte %zu: \\u0000 in an object key",
			(size_t)(from - s->start));
	if (level >= PATH_MAX_KEYS)
		return 0;   /* deeper than any field: nothing to narrow */
	parent = level == 0 ? (1u << s->nfields) - 1 : s->path[level - 1].mask;
	if (parent && escaped) {
		if ((u = unescape(from, to, &len)) == NULL)
			return cl_error_set("out of memory");
		from = u;
	}
	for (i = 0; parent && i < s->nfields; i++, parent >>= 1) {
		const char *want = s->fields[i]->path[level];
		if ((parent & 1) && want && s->key_len[i][level] == len && memcmp(want, from, len) == 0)
			mask |= 1u << i;
	}
	s->path[level].mask = mask;
	free(u);
	return 0;
}

/* Enter an array element: no key, so no field matches below it. */
static void push_element(struct scanner *s)
{
	if (s->path_len < PATH_MAX_KEYS)
		s->path[s->path_len].mask = 0;
	s->path_len++;
}

static int scan_object(struct scanner *s)
{
	int error;
	s->p++;
	skip_ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		return 0;
	}
	for (;;) {
		const char *from, *to;
		int escaped;
		skip_ws(s);
		if (s->p >= s->end || *s->p != '"')
			return scan_error(s, "expected a key");
		if ((error = scan_string(s, &from, &to, &escaped)) < 0)
			return error;
		skip_ws(s);
		if (s->p >= s->end || *s->p != ':')
			return scan_error(s, "expected ':'");
		s->p++;
		if ((error = push_key(s, from, to, escaped)) < 0)
			return error;
		error = scan_value(s);
		s->path_len--;
		if (error < 0)
			return error;
		skip_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == '}') {
			s->p++;
			return 0;
		}
		return scan_error(s, "expected ',' or '}'");
	}
}

static int scan_array(struct scanner *s)
{
	int error;
	s->p++;
	skip_ws(s);
	if (s->p < s->end && *s->p == ']') {
		s->p++;
		return 0;
	}
	for (;;) {
		push_element(s);
		error = scan_value(s);
		s->path_len--;
		if (error < 0)
			return error;
		skip_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == ']') {
			s->p++;
			return 0;
		}
		return scan_error(s, "expected ',' or ']'");
	}
}

static int scan_value(struct scanner *s)
{
	const char *from = NULL, *to = NULL;
	int error, escaped = 0, field;

	skip_ws(s);
	if (s->p >= s->end)
		return scan_error(s, "unexpected end of input");
	field = match_field(s);
	switch (*s->p) {
	case '{':
	case '[':
		if (++s->depth > CL_WEBHOOK_MAX_DEPTH)
			return cl_error_setc(CL_EINVALID, "JSON nested deeper than %d levels", CL_WEBHOOK_MAX_DEPTH);
		if (field >= 0 && s->fields[field]->want != WANT_OBJECT &&
		    !(s->fields[field]->want == WANT_NAMES && *s->p == '['))
			return type_error(s->fields[field], s->fields[field]->want == WANT_NAMES ?
				"a list" : "a scalar");
		from = s->p;
		error = *s->p == '{' ? scan_object(s) : scan_array(s);
		s->depth--;
		if (error < 0)
			return error;
		if (field >= 0 && s->fields[field]->want == WANT_NAMES)
			return capture(s, field, from, s->p, 0);
		if (field >= 0)
			return capture(s, field, s->p, s->p, 0);   /* an object: present */
		return 0;
	case '"':
		if ((error = scan_string(s, &from, &to, &escaped)) < 0)
			return error;
		if (field >= 0 && s->fields[field]->want != WANT_STRING && s->fields[field]->want != WANT_SHA)
			return type_error(s->fields[field], s->fields[field]->want == WANT_INT ?
				"a whole number" : s->fields[field]->want == WANT_NAMES ? "a list" : "a boolean");
		break;
	case 't':
	case 'f':
		from = s->p;
		if ((error = scan_literal(s, *s->p == 't' ? "true" : "false")) < 0)
			return error;
		if (field >= 0 && s->fields[field]->want != WANT_BOOL)
			return type_error(s->fields[field], "a boolean here");
		if (field >= 0 && *from == 'f')
			from = NULL;   /* false: absent */
		break;
	case 'n':
		if ((error = scan_literal(s, "null")) < 0)
			return error;
		return 0;   /* null: the field is absent */
	default:
		from = s->p;
		if ((error = scan_number(s)) < 0)
			return error;
		to = s->p;
		if (field >= 0 && s->fields[field]->want != WANT_INT)
			return type_error(s->fields[field], "a number here");
		break;
	}
	if (field < 0)
		return 0;
	return capture(s, field, from, to, escaped);
}

int cl_webhook_decode(struct cl_webhook_event **out, enum cl_webhook_forge forge,
	const char *event, const char *body, size_t len)
{
	struct scanner s;
	size_t i, j;
	int error = 0;

	if (!event || !*event || strlen(event) > 64)
		return cl_error_setc(CL_EINVALID, "missing or overlong event name");
	for (i = 0; event[i]; i++)
		if (!((event[i] >= 'a' && event[i] <= 'z') || event[i] == '_' ||
		      (event[i] >= '0' && event[i] <= '9')))
			return cl_error_setc(CL_EINVALID, "event name '%.64s' is not [a-z0-9_]", event);
	memset(&s, 0, sizeof(s));
	s.p = s.start = body;
	s.end = body + len;
	for (i = 0; i < sizeof(common_fields) / sizeof(common_fields[0]); i++)
		s.fields[s.nfields++] = &common_fields[i];
	for (i = 0; i < sizeof(event_table) / sizeof(event_table[0]); i++)
		if (!strcmp(event_table[i].event, event))
			for (j = 0; j < event_table[i].count && s.nfields < MAX_FIELDS; j++)
				s.fields[s.nfields++] = &event_table[i].fields[j];
	for (i = 0; i < s.nfields; i++)
		for (j = 0; j < PATH_MAX_KEYS && s.fields[i]->path[j]; j++)
			s.key_len[i][j] = strlen(s.fields[i]->path[j]);
	s.ev = calloc(1, sizeof(*s.ev));
	if (!s.ev)
		return cl_error_set("out of memory");
	s.ev->forge = forge;
	if ((s.ev->event = strdup(event)) == NULL) {
		error = cl_error_set("out of memory");
		goto done;
	}

	skip_ws(&s);
	if (s.p >= s.end || *s.p != '{') {
		error = s.p < s.end && *s.p == '[' ? cl_error_setc(CL_EINVALID, "payload is not a JSON object") :
			scan_error(&s, s.p >= s.end ? "empty input" : "expected '{'");
		goto done;
	}
	if ((error = scan_value(&s)) < 0)
		goto done;
	skip_ws(&s);
	if (s.p != s.end) {
		error = scan_error(&s, "text after the JSON value");
		goto done;
	}
	for (i = 0; i < s.nfields; i++) {
		char where[128];
		/* a field named by both tables counts as seen when either saw it */
		int seen = s.seen[i];
		for (j = 0; j < s.nfields && !seen; j++)
			if (s.fields[j]->offset == s.fields[i]->offset && s.seen[j])
				seen = 1;
		if (s.fields[i]->required && !seen) {
			path_text(where, sizeof(where), s.fields[i]);
			error = cl_error_setc(CL_EINVALID, "payload has no '%s'", where);
			goto done;
		}
	}
	*out = s.ev;
	s.ev = NULL;
done:
	cl_webhook_event_free(s.ev);
	return error;
}

void cl_webhook_event_free(struct cl_webhook_event *ev)
{
	if (!ev)
		return;
	free(ev->event);
	free(ev->action);
	free(ev->repo_full_name);
	free(ev->clone_url);
	free(ev->sender);
	free(ev->zen);
	free(ev->base_ref);
	free(ev->base_sha);
	free(ev->head_ref);
	free(ev->head_sha);
	free(ev->push_ref);
	free(ev->push_before);
	free(ev->push_after);
	free(ev->comment_body);
	free(ev->comment_author);
	free(ev->comment_url);
	free(ev->issue_title);
	free(ev->issue_body);
	free(ev->issue_author);
	free(ev->issue_url);
	free(ev->issue_state);
	free(ev->issue_labels);
	free(ev);
}
