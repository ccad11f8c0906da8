#include "finding.h"
#include "error.h"
#include "json_text.h"

#include <stdlib.h>
#include <string.h>

struct cl_findings {
	struct cl_finding *items;
	size_t count, alloc;
};

static const char *severity_names[] = { "error", "warning", "notice", "review" };

int cl_findings_new(struct cl_findings **out)
{
	struct cl_findings *list = calloc(1, sizeof(*list));
	if (!list)
		return cl_error_set("out of memory");
	*out = list;
	return 0;
}

static void finding_dispose(struct cl_finding *f)
{
	free((char *)f->check);
	free((char *)f->ref);
	free((char *)f->commit);
	free((char *)f->subject);
	free((char *)f->path);
	free((char *)f->rule);
	free((char *)f->message);
	free((char *)f->remedy);
	free((char *)f->key);
}

void cl_findings_free(struct cl_findings *list)
{
	size_t i;
	if (!list)
		return;
	for (i = 0; i < list->count; i++)
		finding_dispose(&list->items[i]);
	free(list->items);
	free(list);
}

static int dup_field(const char **dst, const char *src)
{
	if (!src) {
		*dst = NULL;
		return 0;
	}
	if ((*dst = strdup(src)) == NULL)
		return -1;
	return 0;
}

int cl_findings_add(struct cl_findings *list, const struct cl_finding *f)
{
	struct cl_finding copy;

	if (list->count == list->alloc) {
		size_t n = list->alloc ? list->alloc * 2 : 16;
		struct cl_finding *p = realloc(list->items, n * sizeof(*p));
		if (!p)
			return cl_error_set("out of memory");
		list->items = p;
		list->alloc = n;
	}
	memset(&copy, 0, sizeof(copy));
	copy.severity = f->severity;
	copy.line = f->line;
	if (dup_field(&copy.check, f->check) < 0 || dup_field(&copy.ref, f->ref) < 0 ||
	    dup_field(&copy.commit, f->commit) < 0 || dup_field(&copy.subject, f->subject) < 0 ||
	    dup_field(&copy.path, f->path) < 0 || dup_field(&copy.rule, f->rule) < 0 ||
	    dup_field(&copy.message, f->message) < 0 || dup_field(&copy.remedy, f->remedy) < 0 ||
	    dup_field(&copy.key, f->key) < 0) {
		finding_dispose(&copy);
		return cl_error_set("out of memory");
	}
	list->items[list->count++] = copy;
	return 0;
}

size_t cl_findings_count(const struct cl_findings *list)
{
	return list->count;
}

const struct cl_finding *cl_findings_get(const struct cl_findings *list, size_t i)
{
	return i < list->count ? &list->items[i] : NULL;
}

size_t cl_findings_count_severity(const struct cl_findings *list, enum cl_severity sev)
{
	size_t i, n = 0;
	for (i = 0; i < list->count; i++)
		if (list->items[i].severity == sev)
			n++;
	return n;
}

const char *cl_severity_name(enum cl_severity sev)
{
	if ((unsigned)sev >= sizeof(severity_names) / sizeof(severity_names[0]))
		CL_BUG("severity out of range");
	return severity_names[sev];
}

int cl_severity_parse(enum cl_severity *out, const char *name)
{
	size_t i;
	for (i = 0; i < sizeof(severity_names) / sizeof(severity_names[0]); i++)
		if (strcmp(name, severity_names[i]) == 0) {
			*out = (enum cl_severity)i;
			return 0;
		}
	return cl_error_setc(CL_EINVALID, "unknown severity '%s'", name);
}

int cl_finding_to_json(json_t **out, const struct cl_finding *f)
{
	json_t *obj = json_object();
	int rc = 0;

	if (!obj)
		return cl_error_set("out of memory");
	rc |= cl_json_set_string(obj, "check", f->check);
	rc |= cl_json_set_string(obj, "severity", cl_severity_name(f->severity));
	rc |= cl_json_set_string(obj, "ref", f->ref);
	rc |= cl_json_set_string(obj, "commit", f->commit);
	rc |= cl_json_set_string(obj, "subject", f->subject);
	rc |= cl_json_set_string(obj, "path", f->path);
	if (f->line)
		rc |= json_object_set_new(obj, "line", json_integer(f->line));
	rc |= cl_json_set_string(obj, "rule", f->rule);
	rc |= cl_json_set_string(obj, "message", f->message);
	rc |= cl_json_set_string(obj, "remedy", f->remedy);
	rc |= cl_json_set_string(obj, "key", f->key);
	if (rc) {
		json_decref(obj);
		return cl_error_set("out of memory");
	}
	*out = obj;
	return 0;
}
