#include <stddef.h>
#include <string.h>

#include "commit.h"

void cl_commit_subject(char *out, size_t size, const struct cl_commit *commit)
{
	const char *msg = commit->message ? commit->message : "";
	size_t len = strcspn(msg, "\n");

	if (size == 0)
		return;
	if (len < size) {
		memcpy(out, msg, len);
		out[len] = '\0';
		return;
	}
	if (size < 4) {
		out[0] = '\0';
		return;
	}
	memcpy(out, msg, size - 4);
	memcpy(out + size - 4, "...", 4);
}
