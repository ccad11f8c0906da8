/*
 * report.c - findings grouped for people and machines.
 *
 * Divisions:
 *   JSON         - cl_report_json: group by ref, then by commit
 *   text         - cl_report_text: the JSON document, trimmed and made
 *                  safe for a terminal, rendered through report.txt
 */
#include "report.h"
#include "error.h"
#include "json_text.h"
#include "template.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON ------------------------------------------------------------- */

struct report_group {
	json_t *obj;        /* borrowed from the "refs" array */
	json_t *findings;   /* borrowed from obj */
	json_t *commits;    /* borrowed from obj */
	json_t *by_id;      /* owned: commit id -> commit object, for grouping */
};

struct report_builder {
	json_t *refs;               /* borrowed from the document */
	struct report_group *groups;
	size_t count, alloc;
	json_t *by_ref;             /* owned: ref -> index in groups */
	size_t null_group;          /* index of the group without a ref, or SIZE_MAX */
	json_t *seen_commits;       /* owned: distinct commit ids */
};

static int set_str_or_null(json_t *obj, const char *key, const char *val)
{
	return json_object_set_new(obj, key, val ? cl_json_string_lossy(val) : json_null());
}

static void builder_dispose(struct report_builder *b)
{
	size_t i;

	for (i = 0; i < b->count; i++)
		json_decref(b->groups[i].by_id);
	free(b->groups);
	json_decref(b->by_ref);
	json_decref(b->seen_commits);
}

static int builder_group(struct report_group **out, struct report_builder *b, const char *ref)
{
	struct report_group *g;
	json_t *idx = ref ? json_object_get(b->by_ref, ref) : NULL;
	int error = 0;

	if (idx) {
		*out = &b->groups[json_integer_value(idx)];
		return 0;
	}
	if (!ref && b->null_group != SIZE_MAX) {
		*out = &b->groups[b->null_group];
		return 0;
	}
	if (b->count == b->alloc) {
		size_t alloc = b->alloc ? b->alloc * 2 : 8;
		struct report_group *p = realloc(b->groups, alloc * sizeof(*p));
		if (!p)
			return cl_error_set("out of memory");
		b->groups = p;
		b->alloc = alloc;
	}
	g = &b->groups[b->count];
	memset(g, 0, sizeof(*g));
	g->obj = json_object();
	g->findings = json_array();
	g->commits = json_array();
	g->by_id = json_object();
	if (!g->obj || !g->findings || !g->commits || !g->by_id ||
	    set_str_or_null(g->obj, "ref", ref) < 0 ||
	    json_object_set(g->obj, "findings", g->findings) < 0 ||
	    json_object_set(g->obj, "commits", g->commits) < 0 ||
	    json_array_append(b->refs, g->obj) < 0 ||
	    /* refs need not be UTF-8: the index is internal, never dumped */
	    (ref && json_object_set_new_nocheck(b->by_ref, ref, json_integer((json_int_t)b->count)) < 0)) {
		json_decref(g->by_id);
		error = cl_error_set("out of memory");
		goto done;
	}
	if (!ref)
		b->null_group = b->count;
	b->count++;
	*out = g;
done:
	/* the document holds the references that matter now */
	json_decref(g->obj);
	json_decref(g->findings);
	json_decref(g->commits);
	return error;
}

static int builder_commit(json_t **out, struct report_builder *b, struct report_group *g,
	const struct cl_finding *f)
{
	json_t *c = json_object_get(g->by_id, f->commit);
	char short_id[CL_REPORT_SHORT_ID + 1];
	int error = 0;

	if (c) {
		/* the first finding may not have known the subject; a later one may */
		if (f->subject && json_is_null(json_object_get(c, "subject")) &&
		    set_str_or_null(c, "subject", f->subject) < 0)
			return cl_error_set("out of memory");
		*out = c;
		return 0;
	}
	snprintf(short_id, sizeof(short_id), "%s", f->commit);
	if ((c = json_object()) == NULL)
		return cl_error_set("out of memory");
	if (cl_json_set_string(c, "commit", f->commit) < 0 || cl_json_set_string(c, "short", short_id) < 0 ||
	    set_str_or_null(c, "subject", f->subject) < 0 ||
	    json_object_set_new(c, "findings", json_array()) < 0 ||
	    json_array_append(g->commits, c) < 0 ||
	    json_object_set_nocheck(g->by_id, f->commit, c) < 0 ||
	    json_object_set_new_nocheck(b->seen_commits, f->commit, json_true()) < 0) {
		error = cl_error_set("out of memory");
		goto done;
	}
	*out = c;
done:
	json_decref(c);   /* g->commits keeps it alive */
	return error;
}

static json_t *summary_json(const struct cl_findings *findings, size_t commits,
	const struct cl_report_options *opts)
{
	json_t *s = json_object();
	int rc = 0;

	if (!s)
		return NULL;
	rc |= json_object_set_new(s, "problems", json_integer((json_int_t)cl_findings_count(findings)));
	rc |= json_object_set_new(s, "errors", json_integer((json_int_t)
		cl_findings_count_severity(findings, CL_SEVERITY_ERROR)));
	rc |= json_object_set_new(s, "warnings", json_integer((json_int_t)
		cl_findings_count_severity(findings, CL_SEVERITY_WARNING)));
	rc |= json_object_set_new(s, "notices", json_integer((json_int_t)
		cl_findings_count_severity(findings, CL_SEVERITY_NOTICE)));
	rc |= json_object_set_new(s, "reviews", json_integer((json_int_t)
		cl_findings_count_severity(findings, CL_SEVERITY_REVIEW)));
	rc |= json_object_set_new(s, "commits", json_integer((json_int_t)commits));
	if (opts->commits_checked)
		rc |= json_object_set_new(s, "checked", json_integer((json_int_t)opts->commits_checked));
	if (rc) {
		json_decref(s);
		return NULL;
	}
	return s;
}

int cl_report_json(json_t **out, const struct cl_findings *findings,
	const struct cl_report_options *opts)
{
	static const struct cl_report_options defaults = CL_REPORT_OPTIONS_INIT;
	struct report_builder b;
	json_t *doc = NULL, *item = NULL;
	const char *verdict;
	size_t i, n = cl_findings_count(findings);
	int error = 0;

	if (!opts)
		opts = &defaults;
	memset(&b, 0, sizeof(b));
	b.null_group = SIZE_MAX;
	verdict = opts->verdict ? opts->verdict :
		cl_findings_count_severity(findings, CL_SEVERITY_ERROR) ? "rejected" : "accepted";

	doc = json_object();
	b.refs = json_array();
	b.by_ref = json_object();
	b.seen_commits = json_object();
	if (!doc || !b.refs || !b.by_ref || !b.seen_commits) {
		error = cl_error_set("out of memory");
		goto done;
	}

	for (i = 0; i < n; i++) {
		const struct cl_finding *f = cl_findings_get(findings, i);
		struct report_group *g = NULL;
		json_t *list, *commit = NULL;

		if ((error = builder_group(&g, &b, f->ref)) < 0)
			goto done;
		list = g->findings;
		if (f->commit) {
			if ((error = builder_commit(&commit, &b, g, f)) < 0)
				goto done;
			list = json_object_get(commit, "findings");
		}
		if ((error = cl_finding_to_json(&item, f)) < 0)
			goto done;
		if (json_array_append_new(list, item) < 0) {
			item = NULL;
			error = cl_error_set("out of memory");
			goto done;
		}
		item = NULL;
	}

	/* Jansson keeps insertion order: the short facts first, for people reading a dump */
	if (cl_json_set_string(doc, "verdict", verdict) < 0 ||
	    json_object_set_new(doc, "summary", summary_json(findings,
		json_object_size(b.seen_commits), opts)) < 0 ||
	    cl_json_set_string(doc, "policy", opts->policy) < 0 ||
	    cl_json_set_string(doc, "hint", opts->hint) < 0 ||
	    json_object_set(doc, "refs", b.refs) < 0) {
		error = cl_error_set("out of memory");
		goto done;
	}
	*out = doc;
	doc = NULL;

done:
	json_decref(doc);
	json_decref(b.refs);
	builder_dispose(&b);
	return error;
}

/* ---- text ------------------------------------------------------------- */

/* Subjects are cut to this many characters: "remote: " plus the commit line fit 100 columns. */
#define TEXT_TITLE_MAX 64

/*
 * Characters that change how the rest of a line is shown without showing
 * themselves: bidirectional overrides and isolates (the "Trojan Source"
 * trick, CVE-2021-42574) and the Unicode line and paragraph separators.
 */
static int text_invisible_control(const unsigned char *s, size_t n)
{
	if (n != 3 || s[0] != 0xE2)
		return 0;
	if (s[1] == 0x80)
		return s[2] >= 0xA8 && s[2] <= 0xAE;   /* U+2028..U+202E */
	if (s[1] == 0x81)
		return s[2] >= 0xA6 && s[2] <= 0xA9;   /* U+2066..U+2069 */
	return 0;
}

/*
 * Make a string safe and tidy for a terminal: C0 and C1 control
 * characters (ESC and CSI start terminal escape sequences) and the
 * invisible controls above become '?';
 * a newline becomes a newline plus `indent` spaces, or a space when
 * indent < 0; trailing blanks and newlines go. `max_chars` > 0 cuts the
 * string at that many characters, ending it with "...".
 */
static json_t *text_clean(const char *s, int indent, size_t max_chars)
{
	struct cl_buf b = CL_BUF_INIT;
	size_t i = 0, len = strlen(s), chars = 0, cut = 0, end;
	json_t *out = NULL;
	int error = 0;

	end = len;
	while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\n' ||
	       s[end - 1] == '\r'))
		end--;
	while (i < end && error >= 0) {
		unsigned char c = (unsigned char)s[i];
		size_t n = 1;

		/* s is valid UTF-8 here (it went through cl_json_string_lossy) */
		if (c >= 0xF0)
			n = 4;
		else if (c >= 0xE0)
			n = 3;
		else if (c >= 0xC0)
			n = 2;
		if (n > end - i)
			n = end - i;
		if (max_chars && chars == max_chars - 3)
			cut = b.size;
		if (max_chars && chars == max_chars) {
			b.size = cut;
			error = cl_buf_puts(&b, "...");
			break;
		}
		if (c == '\n') {
			if (indent < 0)
				error = cl_buf_putc(&b, ' ');
			else
				error = cl_buf_printf(&b, "\n%*s", indent, "");
		} else if (c == '\r' && i + 1 < end && s[i + 1] == '\n') {
			/* CRLF messages: the LF does the work */
		} else if (c < 0x20 && c != '\t') {
			error = cl_buf_putc(&b, '?');
		} else if (c == 0x7F || (c == 0xC2 && n == 2 && (unsigned char)s[i + 1] < 0xA0) ||
			   text_invisible_control((const unsigned char *)s + i, n)) {
			error = cl_buf_putc(&b, '?');
		} else {
			error = cl_buf_put(&b, s + i, n);
		}
		i += n;
		chars++;
	}
	if (error >= 0)
		out = json_stringn(cl_buf_cstr(&b), b.size);
	cl_buf_dispose(&b);
	return out;
}

static int text_clean_field(json_t *obj, const char *key, int indent, size_t max_chars)
{
	json_t *v = json_object_get(obj, key);
	json_t *clean;

	if (!json_is_string(v))
		return 0;
	if ((clean = text_clean(json_string_value(v), indent, max_chars)) == NULL)
		return cl_error_set("out of memory");
	return json_object_set_new(obj, key, clean) < 0 ? cl_error_set("out of memory") : 0;
}

/*
 * `depth` is where the finding line starts (2 under a ref, 4 under a
 * commit); continuation lines of the message line up under its first
 * word, those of the remedy under the text after "fix: ".
 */
static int text_finding(json_t *f, int depth)
{
	static const char *single[] = { "check", "severity", "rule", "path", "ref", "commit",
		"subject", "key" };
	size_t i;
	int error;

	for (i = 0; i < sizeof(single) / sizeof(single[0]); i++)
		if ((error = text_clean_field(f, single[i], -1, 0)) < 0)
			return error;
	if ((error = text_clean_field(f, "message", depth + 2, 0)) < 0 ||
	    (error = text_clean_field(f, "remedy", depth + 7, 0)) < 0)
		return error;
	return 0;
}

/*
 * Keep the first `*budget` findings of `list`, cleaned for the terminal,
 * and drop the rest. A push of thousands of unsigned commits must not
 * scroll the one useful line, the summary, out of sight.
 */
static int text_trim_list(json_t *list, size_t *budget, int depth)
{
	size_t i;
	int error;

	while (json_array_size(list) > *budget)
		if (json_array_remove(list, json_array_size(list) - 1) < 0)
			return cl_error_set("cannot trim report");
	for (i = 0; i < json_array_size(list); i++)
		if ((error = text_finding(json_array_get(list, i), depth)) < 0)
			return error;
	*budget -= json_array_size(list);
	return 0;
}

static json_t *plural(size_t n, const char *one, const char *many)
{
	char s[64];
	snprintf(s, sizeof(s), "%zu %s", n, n == 1 ? one : many);
	return json_string(s);
}

static size_t summary_count(json_t *doc, const char *key)
{
	json_int_t v = json_integer_value(json_object_get(json_object_get(doc, "summary"), key));
	return v > 0 ? (size_t)v : 0;
}

/*
 * Turn the report document into what report.txt renders: cleaned strings,
 * short titles, at most CL_REPORT_TEXT_MAX_FINDINGS findings, and a
 * "text" object of ready-made phrases (templates cannot pluralise).
 */
static int text_prepare(json_t *doc)
{
	json_t *refs = json_object_get(doc, "refs"), *text;
	size_t budget = CL_REPORT_TEXT_MAX_FINDINGS, total, shown, r, c;
	int error, rc = 0;

	if ((error = text_clean_field(doc, "hint", -1, 0)) < 0 ||
	    (error = text_clean_field(doc, "policy", -1, 0)) < 0 ||
	    (error = text_clean_field(doc, "verdict", -1, 0)) < 0)
		return error;
	for (r = 0; r < json_array_size(refs); r++) {
		json_t *g = json_array_get(refs, r);
		json_t *commits = json_object_get(g, "commits");

		if ((error = text_clean_field(g, "ref", -1, 0)) < 0 ||
		    (error = text_trim_list(json_object_get(g, "findings"), &budget, 2)) < 0)
			return error;
		for (c = 0; c < json_array_size(commits); c++) {
			json_t *cm = json_array_get(commits, c);
			json_t *subject = json_object_get(cm, "subject");

			if (json_is_string(subject) &&
			    json_object_set(cm, "title", subject) < 0)
				return cl_error_set("out of memory");
			if ((error = text_clean_field(cm, "title", -1, TEXT_TITLE_MAX)) < 0 ||
			    (error = text_clean_field(cm, "short", -1, 0)) < 0 ||
			    (error = text_trim_list(json_object_get(cm, "findings"), &budget, 4)) < 0)
				return error;
			if (json_array_size(json_object_get(cm, "findings")) == 0 &&
			    json_array_remove(commits, c--) < 0)
				return cl_error_set("cannot trim report");
		}
		if (json_array_size(commits) == 0 &&
		    json_array_size(json_object_get(g, "findings")) == 0 &&
		    json_array_remove(refs, r--) < 0)
			return cl_error_set("cannot trim report");
	}

	total = summary_count(doc, "problems");
	shown = CL_REPORT_TEXT_MAX_FINDINGS - budget;
	if ((text = json_object()) == NULL)
		return cl_error_set("out of memory");
	rc |= json_object_set_new(text, "problems", plural(total, "problem", "problems"));
	rc |= json_object_set_new(text, "commits",
		plural(summary_count(doc, "commits"), "commit", "commits"));
	rc |= json_object_set_new(text, "errors",
		plural(summary_count(doc, "errors"), "error", "errors"));
	rc |= json_object_set_new(text, "warnings",
		plural(summary_count(doc, "warnings"), "warning", "warnings"));
	rc |= json_object_set_new(text, "notices",
		plural(summary_count(doc, "notices"), "notice", "notices"));
	rc |= json_object_set_new(text, "reviews",
		plural(summary_count(doc, "reviews"), "review", "reviews"));
	rc |= json_object_set_new(text, "checked",
		plural(summary_count(doc, "checked"), "commit", "commits"));
	if (total > shown)
		rc |= json_object_set_new(text, "omitted",
			plural(total - shown, "more problem", "more problems"));
	rc |= json_object_set_new(doc, "text", text);
	return rc ? cl_error_set("out of memory") : 0;
}

int cl_report_text(struct cl_buf *out, const struct cl_findings *findings,
	const struct cl_report_options *opts)
{
	static const struct cl_report_options defaults = CL_REPORT_OPTIONS_INIT;
	struct cl_buf holder = CL_BUF_INIT;
	json_t *doc = NULL;
	const char *tmpl;
	size_t len;
	int error;

	if (!opts)
		opts = &defaults;
	/* silence on success: a hook that chatters on every push trains people to skip it */
	if (cl_findings_count(findings) == 0 && !opts->verbose)
		return 0;
	if ((error = cl_report_json(&doc, findings, opts)) < 0 ||
	    (error = text_prepare(doc)) < 0 ||
	    (error = cl_template_find(&tmpl, &len, &holder, "report.txt")) < 0)
		goto done;
	error = cl_template_render(out, "report.txt", tmpl, len, doc, CL_TEMPLATE_RAW);
done:
	json_decref(doc);
	cl_buf_dispose(&holder);
	return error;
}
