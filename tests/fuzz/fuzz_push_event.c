/*
 * fuzz_push_event - the hosted push-event reader (lib/push_event.c) on
 * hostile input: what a spool file or a POST /events/push body may hold.
 *
 * Beyond "no crash": an accepted event keeps the reader's promises (a valid
 * id, commit ids of 40 or 64 hex digits, refs under refs/, every finding
 * with a check and a known severity), and anything Jansson refuses is
 * refused too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "error.h"
#include "push_event.h"

static int hex_id(const char *s)
{
	size_t n = strlen(s);
	return (n == 40 || n == 64) && strspn(s, "0123456789abcdef") == n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cl_push_event *ev = NULL;
	size_t i, j;

	if (cl_push_event_parse(&ev, (const char *)data, size) < 0) {
		if (!*cl_error_last())
			abort();   /* every refusal says why */
		cl_error_clear();
		return 0;
	}
	{
		json_error_t jerr;
		json_t *root = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
		if (!json_is_object(root))
			abort();
		json_decref(root);
	}
	if (!cl_push_event_id_valid(ev->id) || !ev->repository || ev->ref_count > CL_PUSH_EVENT_MAX_REFS)
		abort();
	for (i = 0; i < ev->ref_count; i++) {
		const struct cl_push_event_ref *r = &ev->refs[i];
		if (strncmp(r->ref, "refs/", 5) || !hex_id(r->before) || !hex_id(r->after) || !r->findings)
			abort();
		for (j = 0; j < cl_findings_count(r->findings); j++) {
			const struct cl_finding *f = cl_findings_get(r->findings, j);
			if (!f->check || !cl_severity_name(f->severity))
				abort();
		}
		for (j = 0; j < r->commit_count; j++)
			if (!hex_id(r->commits[j].id))
				abort();
		if (!r->deps_known && r->dep_count)
			abort();
	}
	cl_push_event_free(ev);
	return 0;
}
