/*
 * push_event.c - reading a hosted push event (the format is in push_event.h).
 *
 * Divisions: field readers; findings; refs; cl_push_event_parse.
 */
#include "push_event.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "json_text.h"
#include "webhook.h"

/* Longest string kept: a finding's message, a commit author, a path. */
#define EVENT_MAX_FIELD (64 * 1024)

static void strings_free(char **items, size_t count)
{
	size_t i;
	for (i = 0; i < count; i++)
		free(items[i]);
	free(items);
}

void cl_push_event_free(struct cl_push_event *ev)
{
	size_t i, j;

	if (!ev)
		return;
	for (i = 0; i < ev->ref_count; i++) {
		struct cl_push_event_ref *r = &ev->refs[i];
		free(r->ref);
		free(r->before);
		free(r->after);
		cl_findings_free(r->findings);
		strings_free(r->deps, r->dep_count);
		strings_free(r->header_failing, r->header_failing_count);
		free(r->license_upstream);
		for (j = 0; j < r->commit_count; j++) {
			free(r->commits[j].id);
			free(r->commits[j].author);
			free(r->commits[j].email);
		}
		free(r->commits);
	}
	free(ev->refs);
	free(ev->id);
	free(ev->time);
	free(ev->repository);
	free(ev->name);
	free(ev->commit_url);
	free(ev->tracker);
	free(ev->pusher);
	strings_free(ev->labels, ev->label_count);
	strings_free(ev->assignees, ev->assignee_count);
	free(ev->override_reason);
	free(ev->override_pusher);
	free(ev);
}

int cl_push_event_id_valid(const char *id)
{
	size_t n = id ? strlen(id) : 0;

	if (n == 0 || n > CL_PUSH_EVENT_MAX_ID || id[0] == '.')
		return 0;
	return strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/* ---- field readers --------------------------------------------------------- */

/*
 * obj[key] as a new string: `required` refuses absence; a present key must be
 * a string of at most EVENT_MAX_FIELD bytes without NUL.
 */
static int get_string(char **out, const json_t *obj, const char *key, int required, const char *where)
{
	const json_t *v = json_object_get(obj, key);
	const char *s;
	size_t len;

	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required)
			return cl_error_setc(CL_EINVALID, "%s: missing '%s'", where, key);
		return 0;
	}
	if (!json_is_string(v))
		return cl_error_setc(CL_EINVALID, "%s: '%s' is not a string", where, key);
	s = json_string_value(v);
	len = json_string_length(v);
	if (len > EVENT_MAX_FIELD || strlen(s) != len)
		return cl_error_setc(CL_EINVALID, "%s: '%s' is too long or holds a NUL byte", where, key);
	if (!(*out = strdup(s)))
		return cl_error_set("out of memory");
	return 0;
}

static int is_hex_id(const char *s)
{
	size_t n = strlen(s);
	return (n == 40 || n == 64) && strspn(s, "0123456789abcdef") == n;
}

static int get_id(char **out, const json_t *obj, const char *key, const char *where)
{
	int error = get_string(out, obj, key, 1, where);
	if (error == 0 && !is_hex_id(*out)) {
		free(*out);
		*out = NULL;
		error = cl_error_setc(CL_EINVALID, "%s: '%s' is not a commit id", where, key);
	}
	return error;
}

/* obj[key] as a list of strings; *known says whether the key was there. */
static int get_strings(char ***out, size_t *count, int *known, const json_t *obj, const char *key,
	const char *where)
{
	const json_t *v = json_object_get(obj, key), *item;
	char **items = NULL;
	size_t i, n;

	*out = NULL;
	*count = 0;
	if (known)
		*known = 0;
	if (!v)
		return 0;
	if (!json_is_array(v))
		return cl_error_setc(CL_EINVALID, "%s: '%s' is not a list", where, key);
	n = json_array_size(v);
	if (n > CL_PUSH_EVENT_MAX_ITEMS)
		return cl_error_setc(CL_ETOOBIG, "%s: '%s' has more than %d entries", where, key,
			CL_PUSH_EVENT_MAX_ITEMS);
	if (!(items = calloc(n ? n : 1, sizeof(*items))))
		return cl_error_set("out of memory");
	json_array_foreach(v, i, item) {
		const char *s = json_string_value(item);
		if (!s || strlen(s) != json_string_length(item) || json_string_length(item) > EVENT_MAX_FIELD) {
			strings_free(items, i);
			return cl_error_setc(CL_EINVALID, "%s: entry %zu of '%s' is not a string", where, i, key);
		}
		if (!(items[i] = strdup(s))) {
			strings_free(items, i);
			return cl_error_set("out of memory");
		}
	}
	*out = items;
	*count = n;
	if (known)
		*known = 1;
	return 0;
}

static int get_int(long long *out, const json_t *obj, const char *key, const char *where)
{
	const json_t *v = json_object_get(obj, key);

	*out = 0;
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return cl_error_setc(CL_EINVALID, "%s: '%s' is not a whole number", where, key);
	*out = json_integer_value(v);
	return 0;
}

/* ---- findings -------------------------------------------------------------- */

static int finding_add(struct cl_findings *list, const json_t *obj, const char *where)
{
	static const char *const keys[] = { "check", "severity", "ref", "commit", "subject", "path",
		"rule", "message", "remedy", "key" };
	char *s[sizeof(keys) / sizeof(keys[0])];
	struct cl_finding f;
	long long line;
	size_t i;
	int error = 0;

	memset(s, 0, sizeof(s));
	if (!json_is_object(obj))
		return cl_error_setc(CL_EINVALID, "%s: a finding is not an object", where);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && error == 0; i++)
		error = get_string(&s[i], obj, keys[i], i < 2, where);
	if (error == 0)
		error = get_int(&line, obj, "line", where);
	if (error < 0)
		goto done;
	memset(&f, 0, sizeof(f));
	if (cl_severity_parse(&f.severity, s[1]) < 0) {
		error = cl_error_setc(CL_EINVALID, "%s: unknown severity '%.32s'", where, s[1]);
		goto done;
	}
	if (line > 0xffffffffLL) {
		error = cl_error_setc(CL_EINVALID, "%s: line %lld is out of range", where, line);
		goto done;
	}
	f.check = s[0];
	f.ref = s[2];
	f.commit = s[3];
	f.subject = s[4];
	f.path = s[5];
	f.rule = s[6];
	f.message = s[7];
	f.remedy = s[8];
	f.key = s[9];
	f.line = (unsigned int)line;
	error = cl_findings_add(list, &f);
done:
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		free(s[i]);
	return error;
}

/* ---- refs ------------------------------------------------------------------ */

static int commits_read(struct cl_push_event_ref *r, const json_t *list, const char *where)
{
	const json_t *c;
	size_t i, n;
	int error = 0;

	if (!list)
		return 0;
	if (!json_is_array(list))
		return cl_error_setc(CL_EINVALID, "%s: 'commits' is not a list", where);
	n = json_array_size(list);
	if (n > CL_PUSH_EVENT_MAX_ITEMS)
		return cl_error_setc(CL_ETOOBIG, "%s: more than %d commits", where, CL_PUSH_EVENT_MAX_ITEMS);
	if (!(r->commits = calloc(n ? n : 1, sizeof(*r->commits))))
		return cl_error_set("out of memory");
	json_array_foreach(list, i, c) {
		struct cl_push_event_commit *pc = &r->commits[i];
		r->commit_count = i + 1;
		if (!json_is_object(c))
			return cl_error_setc(CL_EINVALID, "%s: commit %zu is not an object", where, i);
		if ((error = get_id(&pc->id, c, "id", where)) < 0 ||
		    (error = get_string(&pc->author, c, "author", 0, where)) < 0 ||
		    (error = get_string(&pc->email, c, "email", 0, where)) < 0 ||
		    (error = get_int(&pc->time, c, "time", where)) < 0)
			return error;
	}
	return 0;
}

/* "license_change": a bounded copy into the comparison's fixed fields. */
static int license_read(struct cl_push_event_ref *r, const json_t *obj, const char *where)
{
	const json_t *lc = json_object_get(obj, "license_change"), *ids, *id;
	char *file = NULL;
	size_t i;
	int error;

	if (!lc)
		return 0;
	if (!json_is_object(lc))
		return cl_error_setc(CL_EINVALID, "%s: 'license_change' is not an object", where);
	if ((error = get_string(&r->license_upstream, lc, "upstream", 1, where)) < 0 ||
	    (error = get_string(&file, lc, "file", 0, where)) < 0)
		return error;
	if (!r->license_upstream[0] || strchr(r->license_upstream, '/') ||
	    (file && strlen(file) >= sizeof(r->license.file))) {
		free(file);
		return cl_error_setc(CL_EINVALID, "%s: 'license_change' names no upstream project or "
			"too long a file", where);
	}
	snprintf(r->license.file, sizeof(r->license.file), "%s", file ? file : "");
	free(file);
	ids = json_object_get(lc, "ids");
	if (ids && (!json_is_array(ids) || json_array_size(ids) > CL_LICENSE_DIFF_IDS))
		return cl_error_setc(CL_EINVALID, "%s: 'license_change.ids' is not a list of at most "
			"%d ids", where, CL_LICENSE_DIFF_IDS);
	json_array_foreach(ids, i, id) {
		const char *s = json_string_value(id);
		if (!s || !*s || strlen(s) != json_string_length(id) ||
		    strlen(s) >= sizeof(r->license.ids[0]))
			return cl_error_setc(CL_EINVALID, "%s: entry %zu of 'license_change.ids' is not "
				"a license id", where, i);
		memcpy(r->license.ids[i], s, strlen(s) + 1);
		r->license.id_count++;
	}
	return 0;
}

static int ref_read(struct cl_push_event_ref *r, const json_t *obj, size_t index)
{
	const json_t *findings, *f;
	char where[48];
	size_t i;
	int error;

	snprintf(where, sizeof(where), "push event ref %zu", index);
	if (!json_is_object(obj))
		return cl_error_setc(CL_EINVALID, "%s: not an object", where);
	if ((error = get_string(&r->ref, obj, "ref", 1, where)) < 0 ||
	    (error = get_id(&r->before, obj, "before", where)) < 0 ||
	    (error = get_id(&r->after, obj, "after", where)) < 0 ||
	    (error = cl_findings_new(&r->findings)) < 0)
		return error;
	if (strncmp(r->ref, "refs/", 5) != 0)
		return cl_error_setc(CL_EINVALID, "%s: '%.64s' is not a ref name", where, r->ref);
	findings = json_object_get(obj, "findings");
	if (findings && !json_is_array(findings))
		return cl_error_setc(CL_EINVALID, "%s: 'findings' is not a list", where);
	if (json_array_size(findings) > CL_PUSH_EVENT_MAX_ITEMS)
		return cl_error_setc(CL_ETOOBIG, "%s: more than %d findings", where, CL_PUSH_EVENT_MAX_ITEMS);
	json_array_foreach(findings, i, f)
		if ((error = finding_add(r->findings, f, where)) < 0)
			return error;
	if ((error = get_strings(&r->deps, &r->dep_count, &r->deps_known, obj, "deps", where)) < 0 ||
	    (error = get_strings(&r->header_failing, &r->header_failing_count, &r->headers_known, obj,
			"header_failing", where)) < 0 ||
	    (error = commits_read(r, json_object_get(obj, "commits"), where)) < 0 ||
	    (error = license_read(r, obj, where)) < 0)
		return error;
	r->commits_truncated = json_is_true(json_object_get(obj, "commits_truncated"));
	return 0;
}

/* ---- cl_push_event_parse --------------------------------------------------- */

static int event_read(struct cl_push_event *ev, const json_t *root)
{
	const char *where = "push event";
	const json_t *v, *refs, *r;
	size_t i;
	int error;

	if (!json_is_object(root))
		return cl_error_setc(CL_EINVALID, "%s: not a JSON object", where);
	v = json_object_get(root, "type");
	if (!json_is_string(v) || strcmp(json_string_value(v), "clearance.push") != 0)
		return cl_error_setc(CL_EINVALID, "%s: 'type' is not \"clearance.push\"", where);
	v = json_object_get(root, "version");
	if (!json_is_integer(v) || json_integer_value(v) != CL_PUSH_EVENT_VERSION)
		return cl_error_setc(CL_EINVALID, "%s: 'version' is not %d", where, CL_PUSH_EVENT_VERSION);
	if ((error = get_string(&ev->id, root, "id", 1, where)) < 0)
		return error;
	if (!cl_push_event_id_valid(ev->id))
		return cl_error_setc(CL_EINVALID, "%s: invalid id", where);
	if ((error = get_string(&ev->time, root, "time", 0, where)) < 0 ||
	    (error = get_string(&ev->repository, root, "repository", 1, where)) < 0 ||
	    (error = get_string(&ev->name, root, "name", 0, where)) < 0 ||
	    (error = get_string(&ev->commit_url, root, "commit_url", 0, where)) < 0 ||
	    (error = get_string(&ev->tracker, root, "tracker", 0, where)) < 0 ||
	    (error = get_string(&ev->pusher, root, "pusher", 0, where)) < 0 ||
	    (error = get_strings(&ev->labels, &ev->label_count, NULL, root, "labels", where)) < 0 ||
	    (error = get_strings(&ev->assignees, &ev->assignee_count, NULL, root, "assignees", where)) < 0)
		return error;
	if (ev->tracker) {
		const char *slash = strchr(ev->tracker, '/');
		if (!slash || slash == ev->tracker || !slash[1] || strchr(slash + 1, '/'))
			return cl_error_setc(CL_EINVALID, "%s: tracker is not owner/repo", where);
	}
	v = json_object_get(root, "override");
	if (v && !json_is_null(v)) {
		if (!json_is_object(v))
			return cl_error_setc(CL_EINVALID, "%s: 'override' is not an object", where);
		ev->has_override = 1;
		if ((error = get_string(&ev->override_reason, v, "reason", 1, where)) < 0 ||
		    (error = get_string(&ev->override_pusher, v, "pusher", 0, where)) < 0 ||
		    (error = get_int(&ev->override_findings, v, "findings", where)) < 0)
			return error;
	}
	refs = json_object_get(root, "refs");
	if (!json_is_array(refs))
		return cl_error_setc(CL_EINVALID, "%s: 'refs' is not a list", where);
	if (json_array_size(refs) > CL_PUSH_EVENT_MAX_REFS)
		return cl_error_setc(CL_ETOOBIG, "%s: more than %d refs", where, CL_PUSH_EVENT_MAX_REFS);
	if (!(ev->refs = calloc(json_array_size(refs) + 1, sizeof(*ev->refs))))
		return cl_error_set("out of memory");
	json_array_foreach(refs, i, r) {
		ev->ref_count = i + 1;   /* so that free sees what ref_read filled */
		if ((error = ref_read(&ev->refs[i], r, i)) < 0)
			return error;
	}
	return 0;
}

int cl_push_event_parse(struct cl_push_event **out, const char *body, size_t len)
{
	struct cl_push_event *ev = NULL;
	json_error_t jerr;
	json_t *root = NULL;
	int error;

	if (len > CL_PUSH_EVENT_MAX_BYTES)
		return cl_error_setc(CL_ETOOBIG, "push event of %zu bytes is over the limit of %d", len,
			CL_PUSH_EVENT_MAX_BYTES);
	if (cl_utf8_valid_prefix(body, len) != len)
		return cl_error_setc(CL_EINVALID, "push event is not UTF-8");
	if ((error = cl_webhook_check_depth(body, len, CL_WEBHOOK_MAX_DEPTH)) < 0)
		return error;
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return cl_error_setc(CL_EINVALID, "push event is not JSON: %s (line %d)", jerr.text, jerr.line);
	if (!(ev = calloc(1, sizeof(*ev)))) {
		error = cl_error_set("out of memory");
		goto done;
	}
	if ((error = event_read(ev, root)) < 0)
		goto done;
	*out = ev;
	ev = NULL;
done:
	cl_push_event_free(ev);
	json_decref(root);
	return error;
}
