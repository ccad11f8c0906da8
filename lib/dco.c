/*
 * dco.c - the Developer Certificate of Origin sign-off check.
 *
 * A commit passes when a Signed-off-by of its author (or, when allowed, its
 * committer) is where git itself would read it: in the trailer block
 * (trailer.h). In lenient mode any line of the message that the DCO GitHub
 * App would accept counts too (`^Signed-off-by: (.*) <(.*)>\s*$`, caseless,
 * per line), so repositories moving from the App keep their verdicts.
 *
 * Divisions:
 *   1. small text helpers (spans, caseless compare, line iteration)
 *   2. identities: "Name <email>" as a trailer value and as the App's regex
 *   3. collecting the sign-offs of one commit
 *   4. remediation commits (the App's "I, Name <email>, hereby add my ...")
 *   5. judging one commit
 *   6. findings: message and remedy text
 *   7. cl_dco_check
 *
 * Everything read from a commit is attacker-controlled: scans are bounded
 * by length, and text quoted back into findings is capped and has control
 * characters replaced, so a message cannot paint the pusher's terminal.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "dco.h"
#include "error.h"
#include "trailer.h"

#define DCO_NPOS          ((size_t)-1)
#define DCO_QUOTE_MAX     200   /* bytes of one quoted value in a message */
#define DCO_LIST_MAX      5     /* sign-offs listed in one mismatch message */
#define DCO_TEXT_MAX      (64 * 1024)
#define DCO_SHA_MIN       7     /* shortest abbreviation a remediation may use */

static const char dco_key[] = "Signed-off-by";
static const char dco_app_prefix[] = "Signed-off-by: ";   /* exactly one space, as the App's regex */
static const char dco_remediation_marker[] = ">, hereby add my Signed-off-by to this commit: ";
static const char dco_third_party_prefix[] = "On behalf of ";
static const char dco_third_party_middle[] = ">, I, ";

/* ---- 1. small text helpers -------------------------------------------- */

struct dco_span {
	const char *ptr;
	size_t len;
};

static int dco_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* ASCII-only folding: the App lower-cases with JavaScript, we do not try to. */
static int dco_span_eq_ci(struct dco_span a, struct dco_span b)
{
	size_t i;

	if (a.len != b.len)
		return 0;
	for (i = 0; i < a.len; i++)
		if (dco_lower((unsigned char)a.ptr[i]) != dco_lower((unsigned char)b.ptr[i]))
			return 0;
	return 1;
}

static int dco_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static struct dco_span dco_span_trim(struct dco_span s)
{
	while (s.len && dco_isspace((unsigned char)s.ptr[0])) {
		s.ptr++;
		s.len--;
	}
	while (s.len && dco_isspace((unsigned char)s.ptr[s.len - 1]))
		s.len--;
	return s;
}

static struct dco_span dco_span_str(const char *s)
{
	struct dco_span span = { s ? s : "", s ? strlen(s) : 0 };
	return span;
}

static int dco_starts_with_ci(struct dco_span s, const char *prefix)
{
	struct dco_span p = dco_span_str(prefix);

	if (s.len < p.len)
		return 0;
	s.len = p.len;
	return dco_span_eq_ci(s, p);
}

/* Last caseless occurrence of `needle` that starts in s[from..], or NPOS. */
static size_t dco_find_last_ci(struct dco_span s, size_t from, const char *needle)
{
	size_t nlen = strlen(needle), i;
	struct dco_span n = { needle, nlen };

	if (s.len < nlen || from > s.len - nlen)
		return DCO_NPOS;
	for (i = s.len - nlen + 1; i-- > from; ) {
		struct dco_span at = { s.ptr + i, nlen };
		if (dco_span_eq_ci(at, n))
			return i;
	}
	return DCO_NPOS;
}

/* Last " <" in s[from..to), or NPOS. */
static size_t dco_find_last_lt(struct dco_span s, size_t from, size_t to)
{
	size_t i;

	for (i = to; i >= from + 2; i--)
		if (s.ptr[i - 2] == ' ' && s.ptr[i - 1] == '<')
			return i - 2;
	return DCO_NPOS;
}

/*
 * The App's patterns are multi-line JavaScript regular expressions: '^' and
 * '$' also match around a lone '\r', and `\s*$` lets trailing blanks pass.
 * Each "line" handed to the callback is therefore split at '\n' and '\r',
 * stripped of trailing blanks, and numbered by '\n' only.
 */
typedef int (*dco_line_cb)(struct dco_span line, unsigned int lineno, void *payload);

static int dco_foreach_app_line(const char *msg, size_t len, dco_line_cb cb, void *payload)
{
	size_t pos = 0;
	unsigned int lineno = 1;
	int error;

	while (pos <= len) {
		size_t end = pos;
		struct dco_span line;

		while (end < len && msg[end] != '\n' && msg[end] != '\r')
			end++;
		line.ptr = msg + pos;
		line.len = end - pos;
		while (line.len && (line.ptr[line.len - 1] == ' ' || line.ptr[line.len - 1] == '\t' ||
		       line.ptr[line.len - 1] == '\v' || line.ptr[line.len - 1] == '\f'))
			line.len--;
		if ((error = cb(line, lineno, payload)) != 0)
			return error;
		if (end < len && msg[end] == '\n')
			lineno++;
		pos = end + 1;
	}
	return 0;
}

/* ---- 2. identities ---------------------------------------------------- */

struct dco_ident {
	struct dco_span name;
	struct dco_span email;
};

/*
 * A trailer value as git writes it: "Name <email>". The name is whatever
 * precedes the last '<' (trimmed), the email what the angle brackets hold,
 * untrimmed: "< a@b >" is not the address "a@b".
 */
static int dco_ident_parse(struct dco_ident *out, struct dco_span value)
{
	size_t lt;

	value = dco_span_trim(value);
	if (value.len < 3 || value.ptr[value.len - 1] != '>')
		return 0;
	for (lt = value.len - 1; lt > 0; lt--)
		if (value.ptr[lt - 1] == '<')
			break;
	if (lt == 0)
		return 0;
	lt--;
	out->name.ptr = value.ptr;
	out->name.len = lt;
	out->name = dco_span_trim(out->name);
	out->email.ptr = value.ptr + lt + 1;
	out->email.len = value.len - lt - 2;
	if (!out->name.len || !out->email.len || memchr(out->email.ptr, '>', out->email.len))
		return 0;
	return 1;
}

int cl_ident_parse(struct cl_ident *out, const char *value, size_t len)
{
	struct dco_span v = { value, len };
	struct dco_ident id;

	if (!dco_ident_parse(&id, v))
		return CL_EINVALID;
	out->name = id.name.ptr;
	out->name_len = id.name.len;
	out->email = id.email.ptr;
	out->email_len = id.email.len;
	return 0;
}

/*
 * The App's `(.*) <(.*)>` on a line already stripped of trailing blanks:
 * the greedy name runs to the last " <", the email to the final '>'.
 */
static int dco_ident_parse_app(struct dco_ident *out, struct dco_span s)
{
	size_t p;

	if (!s.len || s.ptr[s.len - 1] != '>')
		return 0;
	p = dco_find_last_lt(s, 0, s.len - 1);
	if (p == DCO_NPOS)
		return 0;
	out->name.ptr = s.ptr;
	out->name.len = p;
	out->email.ptr = s.ptr + p + 2;
	out->email.len = s.len - 1 - (p + 2);
	return 1;
}

/* Emails compare caselessly; names too, after trimming, when the mode asks. */
static int dco_ident_matches(const struct dco_ident *sig, const char *name, const char *email,
	enum cl_dco_match mode)
{
	if (!dco_span_eq_ci(sig->email, dco_span_str(email)))
		return 0;
	if (mode == CL_DCO_MATCH_EMAIL)
		return 1;
	return dco_span_eq_ci(dco_span_trim(sig->name), dco_span_trim(dco_span_str(name)));
}

static int dco_same_person(const char *name_a, const char *email_a, const char *name_b,
	const char *email_b, enum cl_dco_match mode)
{
	struct dco_ident a;

	a.name = dco_span_str(name_a);
	a.email = dco_span_str(email_a);
	return dco_ident_matches(&a, name_b, email_b, mode);
}

/* ---- 3. collecting the sign-offs of one commit ------------------------ */

enum dco_source {
	DCO_SRC_TRAILER,   /* a Signed-off-by trailer git reads */
	DCO_SRC_APP_LINE,  /* lenient: a line the App's regex accepts */
	DCO_SRC_STRAY      /* looks like a sign-off, but git does not read it */
};

struct dco_signoff {
	enum dco_source source;
	unsigned int line;
	struct dco_span text;     /* the value as written; points into the message or a trailer */
	int parsed;               /* ident is valid */
	struct dco_ident ident;
};

struct dco_scan {
	struct cl_trailers trailers;
	struct dco_signoff *items;   /* trailer sign-offs first, then lines; each run by line */
	size_t count, alloc;
	size_t ntrailers;            /* how many items come from trailers */
	int lenient;
};

static void dco_scan_reset(struct dco_scan *scan)
{
	cl_trailers_dispose(&scan->trailers);
	scan->count = 0;
	scan->ntrailers = 0;
}

static void dco_scan_dispose(struct dco_scan *scan)
{
	cl_trailers_dispose(&scan->trailers);
	free(scan->items);
	scan->items = NULL;
	scan->count = scan->alloc = 0;
}

static int dco_scan_add(struct dco_scan *scan, const struct dco_signoff *s)
{
	if (scan->count == scan->alloc) {
		size_t nalloc = scan->alloc ? scan->alloc * 2 : 8;
		struct dco_signoff *items = realloc(scan->items, nalloc * sizeof(*items));
		if (!items)
			return cl_error_set("out of memory");
		scan->items = items;
		scan->alloc = nalloc;
	}
	scan->items[scan->count++] = *s;
	return 0;
}

/*
 * Is there a sign-off on `line` already? Both runs of items are sorted by
 * line and lines arrive in order, so this stays logarithmic: a message of a
 * million sign-off lines must not make the hook quadratic.
 */
static int dco_scan_has_line(const struct dco_scan *scan, unsigned int line)
{
	size_t lo = 0, hi = scan->ntrailers;

	if (scan->count > scan->ntrailers && scan->items[scan->count - 1].line == line)
		return 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (scan->items[mid].line == line)
			return 1;
		if (scan->items[mid].line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/*
 * "Signed-off-by:" at the start of a line, in any case, with blanks allowed
 * before the colon as git allows them. Sets `value` to what follows.
 */
static int dco_signoff_like(struct dco_span line, struct dco_span *value)
{
	size_t i = sizeof(dco_key) - 1;

	if (!dco_starts_with_ci(line, dco_key))
		return 0;
	while (i < line.len && (line.ptr[i] == ' ' || line.ptr[i] == '\t'))
		i++;
	if (i >= line.len || line.ptr[i] != ':')
		return 0;
	value->ptr = line.ptr + i + 1;
	value->len = line.len - i - 1;
	*value = dco_span_trim(*value);
	return 1;
}

static int dco_collect_line(struct dco_span line, unsigned int lineno, void *payload)
{
	struct dco_scan *scan = payload;
	struct dco_signoff s;
	struct dco_span value;

	memset(&s, 0, sizeof(s));
	s.line = lineno;
	if (scan->lenient && dco_starts_with_ci(line, dco_app_prefix)) {
		size_t skip = sizeof(dco_app_prefix) - 1;
		struct dco_span rest = { line.ptr + skip, line.len - skip };
		if (dco_ident_parse_app(&s.ident, rest)) {
			/* The trailer (if any) on this line already counts. */
			if (dco_scan_has_line(scan, lineno))
				return 0;
			s.source = DCO_SRC_APP_LINE;
			s.parsed = 1;
			s.text = rest;
			return dco_scan_add(scan, &s);
		}
	}
	if (!dco_signoff_like(line, &value) || dco_scan_has_line(scan, lineno))
		return 0;
	s.source = DCO_SRC_STRAY;
	s.text = value;
	s.parsed = dco_ident_parse(&s.ident, value);
	return dco_scan_add(scan, &s);
}

static int dco_collect(struct dco_scan *scan, const char *msg, size_t len)
{
	size_t i;
	int error;

	if ((error = cl_trailers_parse(&scan->trailers, msg, len)) < 0)
		return error;
	for (i = 0; i < scan->trailers.count; i++) {
		const struct cl_trailer *t = &scan->trailers.items[i];
		struct dco_signoff s;

		if (strcasecmp(t->key, dco_key) != 0)
			continue;
		memset(&s, 0, sizeof(s));
		s.source = DCO_SRC_TRAILER;
		s.line = t->line;
		s.text = dco_span_str(t->value);
		s.parsed = dco_ident_parse(&s.ident, s.text);
		if ((error = dco_scan_add(scan, &s)) < 0)
			return error;
		scan->ntrailers++;
	}
	/* Sign-offs outside the block: accepted when lenient, explained when not. */
	return dco_foreach_app_line(msg, len, dco_collect_line, scan);
}

/* ---- 4. remediation commits ------------------------------------------- */

struct dco_decl {
	char sha[CL_OID_HEXSZ + 1];  /* lower-case hex, 7 to 40 digits */
	size_t commit;               /* index of the commit that holds the declaration */
	int third_party;
	struct dco_ident author;     /* third party: "On behalf of <author>" */
	struct dco_ident signer;     /* "I, <signer>" */
};

/* Sorted by sha once collected, so each commit finds its own in log time. */
struct dco_decls {
	struct dco_decl *items;
	size_t count, alloc;
	size_t commit;               /* the commit being scanned */
	int third_party;             /* look for third-party declarations too */
};

static int dco_decls_add(struct dco_decls *d, const struct dco_decl *decl)
{
	if (d->count == d->alloc) {
		size_t nalloc = d->alloc ? d->alloc * 2 : 8;
		struct dco_decl *items = realloc(d->items, nalloc * sizeof(*items));
		if (!items)
			return cl_error_set("out of memory");
		d->items = items;
		d->alloc = nalloc;
	}
	d->items[d->count++] = *decl;
	return 0;
}

static int dco_decl_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dco_decl *)a)->sha, ((const struct dco_decl *)b)->sha);
}

/* Split "name <email" (no closing '>') at its last " <". */
static int dco_split_ident(struct dco_ident *out, struct dco_span s, size_t from, size_t to)
{
	size_t p = dco_find_last_lt(s, from, to);

	if (p == DCO_NPOS)
		return 0;
	out->name.ptr = s.ptr + from;
	out->name.len = p - from;
	out->email.ptr = s.ptr + p + 2;
	out->email.len = to - (p + 2);
	return 1;
}

/*
 * A commit named by 7 to 40 hex digits, stored lower-case. The App wants
 * the full 40; an unambiguous abbreviation is what people paste from
 * `git log --oneline`, so we take that too.
 */
static int dco_sha_parse(char *out, struct dco_span sha)
{
	size_t i;

	sha = dco_span_trim(sha);
	if (sha.len < DCO_SHA_MIN || sha.len > CL_OID_HEXSZ)
		return 0;
	for (i = 0; i < sha.len; i++) {
		int c = dco_lower((unsigned char)sha.ptr[i]);
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return 0;
		out[i] = (char)c;
	}
	out[i] = '\0';
	return 1;
}

/*
 * The App's third-party pattern, `On behalf of (.*) <(.*)>, I, (.*) <(.*)>`
 * up to the marker at `m`: its greedy first name makes the split the latest
 * ">, I, " that still leaves " <" on both sides. Found in one backward
 * pass; trying each candidate split in turn would be quadratic.
 */
static int dco_split_third_party(struct dco_decl *decl, struct dco_span line, size_t from,
	size_t m)
{
	size_t mid_len = sizeof(dco_third_party_middle) - 1;
	struct dco_span mid = { dco_third_party_middle, mid_len };
	size_t lt_last = dco_find_last_lt(line, from, m), lt_first, q;

	if (lt_last == DCO_NPOS || lt_last < from + mid_len)
		return 0;
	for (lt_first = from; lt_first + 1 < m; lt_first++)
		if (line.ptr[lt_first] == ' ' && line.ptr[lt_first + 1] == '<')
			break;
	/* q + mid_len <= lt_last keeps " <" for the signer; q >= lt_first + 2 for the author. */
	for (q = lt_last - mid_len + 1; q-- > lt_first + 1; ) {
		struct dco_span at = { line.ptr + q, mid_len };
		if (q < lt_first + 2)
			break;
		if (dco_span_eq_ci(at, mid))
			return dco_split_ident(&decl->author, line, from, q) &&
				dco_split_ident(&decl->signer, line, q + mid_len, m);
	}
	return 0;
}

/*
 * The App's declarations, one per line:
 *   I, Name <email>, hereby add my Signed-off-by to this commit: <sha>
 *   On behalf of Name <email>, I, Name <email>, hereby add my Signed-off-by to this commit: <sha>
 */
static int dco_decl_line(struct dco_span line, unsigned int lineno, void *payload)
{
	struct dco_decls *d = payload;
	struct dco_decl decl;
	struct dco_span sha;
	size_t m, mlen = sizeof(dco_remediation_marker) - 1;

	(void)lineno;
	memset(&decl, 0, sizeof(decl));
	decl.commit = d->commit;
	m = dco_find_last_ci(line, 0, dco_remediation_marker);
	if (m == DCO_NPOS)
		return 0;
	sha.ptr = line.ptr + m + mlen;
	sha.len = line.len - m - mlen;
	if (!dco_sha_parse(decl.sha, sha))
		return 0;

	if (dco_starts_with_ci(line, "I, ")) {
		if (!dco_split_ident(&decl.signer, line, 3, m))
			return 0;
		return dco_decls_add(d, &decl);
	}
	if (d->third_party && dco_starts_with_ci(line, dco_third_party_prefix) &&
	    dco_split_third_party(&decl, line, sizeof(dco_third_party_prefix) - 1, m)) {
		decl.third_party = 1;
		return dco_decls_add(d, &decl);
	}
	return 0;
}

static int dco_decl_signs_off(const struct dco_decl *d, const struct cl_commit *commits,
	size_t count, size_t i, enum cl_dco_match mode)
{
	const struct cl_commit *c = &commits[i];
	const struct cl_commit *r;

	if (d->commit <= i || d->commit >= count)
		return 0;
	r = &commits[d->commit];
	if (!d->third_party)
		return dco_same_person(r->author_name, r->author_email, c->author_name,
				c->author_email, mode) &&
			dco_ident_matches(&d->signer, c->author_name, c->author_email, mode);
	return dco_ident_matches(&d->author, c->author_name, c->author_email, mode) &&
		(dco_ident_matches(&d->signer, r->author_name, r->author_email, mode) ||
		 dco_ident_matches(&d->signer, r->committer_name, r->committer_email, mode));
}

/*
 * A declaration in a later commit signs off commit `i` when it names it
 * and (individual) was made by the author about themselves in a commit they
 * authored, or (third party) names the author and is made by the author or
 * committer of the commit that holds it. The App also looks at earlier
 * commits, but a commit can only name a commit that existed before it.
 */
static int dco_remediated(const struct dco_decls *decls, const struct cl_commit *commits,
	size_t count, size_t i, enum cl_dco_match mode)
{
	char key[CL_OID_HEXSZ + 1];
	size_t len, idlen = strlen(commits[i].id);

	/* Every abbreviation of the id is a key the sorted list may hold. */
	for (len = DCO_SHA_MIN; len <= idlen && len <= CL_OID_HEXSZ; len++) {
		struct dco_span prefix = { commits[i].id, len };
		size_t lo = 0, hi = decls->count;

		if (!dco_sha_parse(key, prefix))
			return 0;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (strcmp(decls->items[mid].sha, key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < decls->count && strcmp(decls->items[lo].sha, key) == 0; lo++)
			if (dco_decl_signs_off(&decls->items[lo], commits, count, i, mode))
				return 1;
	}
	return 0;
}

/* ---- 5. judging one commit -------------------------------------------- */

enum dco_rule {
	DCO_PASS = 0,
	DCO_MISSING,
	DCO_MISMATCH,
	DCO_MISPLACED,
	DCO_MALFORMED
};

static const char *const dco_rule_ids[] = {
	NULL, "dco.missing", "dco.mismatch", "dco.misplaced", "dco.malformed"
};

struct dco_verdict {
	enum dco_rule rule;
	const struct dco_signoff *at;   /* the sign-off the finding points to, or NULL */
};

static int dco_counts(const struct dco_signoff *s)
{
	return s->parsed && (s->source == DCO_SRC_TRAILER || s->source == DCO_SRC_APP_LINE);
}

static int dco_by_signer(const struct dco_signoff *s, const struct cl_commit *c,
	const struct cl_dco_options *opts)
{
	if (dco_ident_matches(&s->ident, c->author_name, c->author_email, opts->match))
		return 1;
	return opts->accept_committer &&
		dco_ident_matches(&s->ident, c->committer_name, c->committer_email, opts->match);
}

/* How close a sign-off is to the author: same email beats same name. */
static int dco_closeness(const struct dco_signoff *s, const struct cl_commit *c)
{
	int score = 0;

	if (!s->parsed)
		return -1;
	if (dco_span_eq_ci(s->ident.email, dco_span_str(c->author_email)))
		score += 2;
	if (dco_span_eq_ci(dco_span_trim(s->ident.name), dco_span_trim(dco_span_str(c->author_name))))
		score += 1;
	return score;
}

static void dco_judge(struct dco_verdict *out, const struct dco_scan *scan,
	const struct cl_commit *c, const struct cl_dco_options *opts)
{
	const struct dco_signoff *stray_match = NULL, *stray = NULL, *nearest = NULL,
		*malformed = NULL;
	int best = -2;
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < scan->count; i++) {
		const struct dco_signoff *s = &scan->items[i];

		if (dco_counts(s) && dco_by_signer(s, c, opts))
			return;   /* DCO_PASS */
		if (s->source == DCO_SRC_STRAY && !opts->lenient) {
			if (!stray_match && s->parsed && dco_by_signer(s, c, opts))
				stray_match = s;
			if (!stray)
				stray = s;
		} else if (!s->parsed || s->source == DCO_SRC_STRAY) {
			/* Lenient: where a line is does not matter, only its form. */
			if (!malformed)
				malformed = s;
		} else if (dco_closeness(s, c) >= best) {
			/* Ties go to the later line: the one nearest the end. */
			best = dco_closeness(s, c);
			nearest = s;
		}
	}
	/* The most actionable explanation first. */
	if (stray_match) {
		out->rule = DCO_MISPLACED;
		out->at = stray_match;
	} else if (nearest) {
		out->rule = DCO_MISMATCH;
		out->at = nearest;
	} else if (malformed) {
		out->rule = DCO_MALFORMED;
		out->at = malformed;
	} else if (stray) {
		out->rule = DCO_MISPLACED;
		out->at = stray;
	} else {
		out->rule = DCO_MISSING;
	}
}

/* ---- 6. findings ------------------------------------------------------ */

/* Quote untrusted text: capped, control characters shown as '?'. */
static int dco_put_quoted(struct cl_buf *b, struct dco_span s)
{
	size_t i, n = s.len > DCO_QUOTE_MAX ? DCO_QUOTE_MAX : s.len;
	int error = cl_buf_putc(b, '"');

	for (i = 0; i < n && error >= 0; i++) {
		unsigned char ch = (unsigned char)s.ptr[i];
		error = cl_buf_putc(b, ch < 0x20 || ch == 0x7f ? '?' : (char)ch);
	}
	if (error >= 0 && n < s.len)
		error = cl_buf_puts(b, "...");
	if (error >= 0)
		error = cl_buf_putc(b, '"');
	return error;
}

static int dco_put_ident(struct cl_buf *b, const char *name, const char *email)
{
	struct cl_buf tmp = CL_BUF_INIT;
	int error;

	cl_buf_init(&tmp, DCO_TEXT_MAX);
	if ((error = cl_buf_printf(&tmp, "%s <%s>", name ? name : "", email ? email : "")) >= 0)
		error = dco_put_quoted(b, dco_span_str(cl_buf_cstr(&tmp)));
	cl_buf_dispose(&tmp);
	return error;
}

static int dco_put_expected(struct cl_buf *b, const struct cl_commit *c,
	const struct cl_dco_options *opts, int capital)
{
	int error = cl_buf_puts(b, capital ? "Expected " : "expected ");

	if (error >= 0)
		error = dco_put_ident(b, c->author_name, c->author_email);
	if (error >= 0 && opts->accept_committer &&
	    !dco_same_person(c->author_name, c->author_email, c->committer_name,
		c->committer_email, CL_DCO_MATCH_NAME_AND_EMAIL)) {
		error = cl_buf_puts(b, " (the author) or ");
		if (error >= 0)
			error = dco_put_ident(b, c->committer_name, c->committer_email);
		if (error >= 0)
			error = cl_buf_puts(b, " (the committer)");
	}
	return error;
}

static int dco_put_found(struct cl_buf *b, const struct dco_scan *scan, int strays)
{
	size_t i, listed = 0, skipped = 0;
	int error = 0;

	for (i = 0; i < scan->count && error >= 0; i++) {
		const struct dco_signoff *s = &scan->items[i];

		if ((s->source == DCO_SRC_STRAY) != strays)
			continue;
		if (listed == DCO_LIST_MAX) {
			skipped++;
			continue;
		}
		if (listed++)
			error = cl_buf_puts(b, ", ");
		if (error >= 0)
			error = dco_put_quoted(b, s->text);
		if (error >= 0)
			error = cl_buf_printf(b, " (line %u)", s->line);
	}
	if (error >= 0 && skipped)
		error = cl_buf_printf(b, " and %zu more", skipped);
	return error;
}

static int dco_message(struct cl_buf *b, const struct dco_verdict *v, const struct dco_scan *scan,
	const struct cl_commit *c, const struct cl_dco_options *opts)
{
	const char *how = opts->match == CL_DCO_MATCH_EMAIL
		? "the author's e-mail address"
		: "the author's name and e-mail address";
	int error = 0;

	switch (v->rule) {
	case DCO_MISSING:
		error = cl_buf_puts(b, "the sign-off is missing: the author must certify the "
			"Developer Certificate of Origin with a trailer ");
		if (error >= 0)
			error = cl_buf_puts(b, "\"Signed-off-by: ");
		if (error >= 0)
			error = cl_buf_printf(b, "%s <%s>\"", c->author_name ? c->author_name : "",
				c->author_email ? c->author_email : "");
		if (error >= 0)
			error = cl_buf_puts(b, " in the last paragraph of the commit message");
		break;
	case DCO_MISMATCH:
		error = dco_put_expected(b, c, opts, 1);
		if (error >= 0)
			error = cl_buf_puts(b, ", but got ");
		if (error >= 0)
			error = dco_put_found(b, scan, 0);
		if (error >= 0)
			error = cl_buf_printf(b, ". A sign-off must carry %s%s (case does not matter)",
				how, opts->accept_committer ? ", or the committer's" : "");
		break;
	case DCO_MISPLACED:
		error = cl_buf_printf(b, "the Signed-off-by at line %u is not in the trailer block, so "
			"git does not read it as a sign-off: it must be in the last paragraph of the "
			"message, with only trailers in that paragraph and nothing but blank or "
			"comment lines after it", v->at->line);
		if (error >= 0 && !v->at->parsed) {
			error = cl_buf_puts(b, ". It is not of the form \"Name <email>\" either: ");
			if (error >= 0)
				error = dco_put_expected(b, c, opts, 0);
		} else if (error >= 0 && !dco_by_signer(v->at, c, opts)) {
			error = cl_buf_puts(b, ". It does not name the author either: ");
			if (error >= 0)
				error = dco_put_expected(b, c, opts, 0);
			if (error >= 0)
				error = cl_buf_puts(b, ", but got ");
			if (error >= 0)
				error = dco_put_quoted(b, v->at->text);
		}
		break;
	case DCO_MALFORMED:
		error = cl_buf_printf(b, "the Signed-off-by at line %u reads ", v->at->line);
		if (error >= 0)
			error = dco_put_quoted(b, v->at->text);
		if (error >= 0)
			error = cl_buf_puts(b, ", which is not of the form "
				"\"Signed-off-by: Name <email>\"; ");
		if (error >= 0)
			error = dco_put_expected(b, c, opts, 0);
		break;
	case DCO_PASS:
	default:
		CL_BUG("dco_message: no finding for a passing commit");
	}
	return error;
}

/*
 * One command fixes every failing commit: amending when only the newest is
 * at fault, else rebasing from the parent of the oldest one. Remediation
 * commits are offered when the policy accepts them, since they avoid a
 * force push (the App's "hereby add my Signed-off-by" lines).
 */
static int dco_remedy(struct cl_buf *b, const struct cl_commit *commits, size_t count,
	const size_t *failing, size_t nfail, size_t i, const struct cl_dco_options *opts)
{
	const struct cl_commit *c = &commits[i];
	const struct cl_commit *oldest = &commits[failing[0]];
	const char *keep_merges = "";
	size_t k;
	int error;

	/* A plain rebase would flatten merges that come after the oldest failure. */
	for (k = failing[0]; k < count; k++)
		if (commits[k].parent_count > 1)
			keep_merges = " --rebase-merges";

	if (nfail == 1 && failing[0] == count - 1)
		error = cl_buf_puts(b, "git commit --amend --no-edit --signoff && "
			"git push --force-with-lease");
	else if (oldest->parent_count == 0)
		error = cl_buf_printf(b, "git rebase --signoff%s --root && "
			"git push --force-with-lease", keep_merges);
	else
		error = cl_buf_printf(b, "git rebase --signoff%s %s~1 && "
			"git push --force-with-lease", keep_merges, oldest->id);
	if (error >= 0)
		error = cl_buf_printf(b, " (git signs off as your user.name and user.email, "
			"which must be \"%s <%s>\")", c->author_name ? c->author_name : "",
			c->author_email ? c->author_email : "");
	if (error >= 0 && opts->remediation_individual) {
		error = cl_buf_printf(b, "; or, without rewriting history, push a new commit "
			"authored by \"%s <%s>\", itself signed off, whose message has the line: "
			"I, %s <%s>, hereby add my Signed-off-by to this commit: %s",
			c->author_name ? c->author_name : "", c->author_email ? c->author_email : "",
			c->author_name ? c->author_name : "", c->author_email ? c->author_email : "",
			c->id);
		if (error >= 0 && opts->remediation_third_party)
			error = cl_buf_printf(b, " (someone authorised to certify for the author "
				"may instead write: On behalf of %s <%s>, I, Your Name <your@email>, "
				"hereby add my Signed-off-by to this commit: %s)",
				c->author_name ? c->author_name : "",
				c->author_email ? c->author_email : "", c->id);
	}
	return error;
}

static int dco_add_finding(struct cl_findings *findings, const char *ref,
	const struct cl_commit *commits, size_t count, const size_t *failing, size_t nfail,
	size_t i, const struct dco_verdict *v, const struct dco_scan *scan,
	const struct cl_dco_options *opts)
{
	const struct cl_commit *c = &commits[i];
	struct cl_buf message, remedy, key;
	struct cl_finding f;
	char subject[256];
	int error;

	cl_buf_init(&message, DCO_TEXT_MAX);
	cl_buf_init(&remedy, DCO_TEXT_MAX);
	cl_buf_init(&key, DCO_TEXT_MAX);
	if ((error = dco_message(&message, v, scan, c, opts)) < 0 ||
	    (error = dco_remedy(&remedy, commits, count, failing, nfail, i, opts)) < 0 ||
	    (error = cl_buf_printf(&key, "dco:%s", c->id)) < 0)
		goto done;
	cl_commit_subject(subject, sizeof(subject), c);

	memset(&f, 0, sizeof(f));
	f.check = "dco";
	f.severity = CL_SEVERITY_ERROR;
	f.ref = ref;
	f.commit = c->id;
	f.subject = subject;
	f.line = v->at ? v->at->line : 0;
	f.rule = dco_rule_ids[v->rule];
	f.message = cl_buf_cstr(&message);
	f.remedy = cl_buf_cstr(&remedy);
	f.key = cl_buf_cstr(&key);
	error = cl_findings_add(findings, &f);
done:
	cl_buf_dispose(&message);
	cl_buf_dispose(&remedy);
	cl_buf_dispose(&key);
	return error;
}

/* ---- 7. cl_dco_check -------------------------------------------------- */

void cl_dco_options_dispose(struct cl_dco_options *opts)
{
	if (!opts)
		return;
	cl_pattern_list_dispose(&opts->exempt_authors);
}

static const char *dco_message_of(const struct cl_commit *c)
{
	return c->message ? c->message : "";
}

int cl_dco_check(struct cl_findings *findings, const struct cl_dco_options *opts,
	const char *ref, const struct cl_commit *commits, size_t count)
{
	struct dco_scan scan;
	struct dco_decls decls;
	size_t *failing = NULL, nfail = 0, i;
	int error = 0, rc;

	if (!findings || !opts || (!commits && count))
		CL_BUG("cl_dco_check: NULL argument");
	memset(&scan, 0, sizeof(scan));
	memset(&decls, 0, sizeof(decls));
	scan.lenient = opts->lenient;
	if (!opts->enabled || count == 0)
		return 0;

	failing = calloc(count, sizeof(*failing));
	CL_CHECK_ALLOC(failing);

	if (opts->remediation_individual) {
		decls.third_party = opts->remediation_third_party;
		for (i = 0; i < count; i++) {
			const char *msg = dco_message_of(&commits[i]);
			decls.commit = i;
			if ((error = dco_foreach_app_line(msg, strlen(msg), dco_decl_line, &decls)) < 0)
				goto done;
		}
		if (decls.count)
			qsort(decls.items, decls.count, sizeof(*decls.items), dco_decl_cmp);
	}

	/* First pass: verdicts. Findings need the whole picture for the remedy. */
	for (i = 0; i < count; i++) {
		const struct cl_commit *c = &commits[i];
		const char *msg = dco_message_of(c);
		struct dco_verdict v;

		if (!opts->check_merges && c->parent_count > 1)
			continue;
		if (opts->exempt_authors.count) {
			if ((rc = cl_pattern_list_match(&opts->exempt_authors,
				c->author_email ? c->author_email : "")) < 0) {
				error = rc;
				goto done;
			}
			if (rc)
				continue;
		}
		dco_scan_reset(&scan);
		if ((error = dco_collect(&scan, msg, strlen(msg))) < 0)
			goto done;
		dco_judge(&v, &scan, c, opts);
		if (v.rule != DCO_PASS && opts->remediation_individual &&
		    dco_remediated(&decls, commits, count, i, opts->match))
			v.rule = DCO_PASS;
		if (v.rule != DCO_PASS)
			failing[nfail++] = i;
	}

	/*
	 * Second pass, over the failing commits only: the remedy names the
	 * oldest of them, so findings wait until all verdicts are in, and the
	 * scan is redone rather than kept for every commit of a large push.
	 */
	for (i = 0; i < nfail; i++) {
		const struct cl_commit *c = &commits[failing[i]];
		const char *msg = dco_message_of(c);
		struct dco_verdict v;

		dco_scan_reset(&scan);
		if ((error = dco_collect(&scan, msg, strlen(msg))) < 0)
			goto done;
		dco_judge(&v, &scan, c, opts);
		if ((error = dco_add_finding(findings, ref, commits, count, failing, nfail,
			failing[i], &v, &scan, opts)) < 0)
			goto done;
	}
	error = (int)nfail;
done:
	dco_scan_dispose(&scan);
	free(decls.items);
	free(failing);
	return error;
}
