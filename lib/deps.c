#include "deps.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

static void dep_dispose(struct cl_dep *d)
{
	free((char *)d->ecosystem);
	free((char *)d->name);
	free((char *)d->version);
	free((char *)d->license);
	free((char *)d->manifest);
}

static int dup_or_null(const char **dst, const char *src)
{
	*dst = NULL;
	if (src && (*dst = strdup(src)) == NULL)
		return -1;
	return 0;
}

int cl_dep_list_add(struct cl_dep_list *list, const struct cl_dep *dep)
{
	struct cl_dep copy;

	if (list->count == list->alloc) {
		size_t n = list->alloc ? list->alloc * 2 : 32;
		struct cl_dep *p = realloc(list->items, n * sizeof(*p));
		if (!p)
			return cl_error_set("out of memory");
		list->items = p;
		list->alloc = n;
	}
	memset(&copy, 0, sizeof(copy));
	copy.relation = dep->relation;
	copy.scope = dep->scope;
	copy.line = dep->line;
	if (dup_or_null(&copy.ecosystem, dep->ecosystem) < 0 || dup_or_null(&copy.name, dep->name) < 0 ||
	    dup_or_null(&copy.version, dep->version) < 0 || dup_or_null(&copy.license, dep->license) < 0 ||
	    dup_or_null(&copy.manifest, dep->manifest) < 0) {
		dep_dispose(&copy);
		return cl_error_set("out of memory");
	}
	list->items[list->count++] = copy;
	return 0;
}

void cl_dep_list_dispose(struct cl_dep_list *list)
{
	size_t i;
	for (i = 0; i < list->count; i++)
		dep_dispose(&list->items[i]);
	free(list->items);
	list->items = NULL;
	list->count = list->alloc = 0;
}

const char *cl_dep_scope_name(enum cl_dep_scope scope)
{
	static const char *const names[] = { "runtime", "dev", "test", "build", "optional", "peer" };
	if ((unsigned)scope >= sizeof(names) / sizeof(names[0]))
		CL_BUG("dependency scope out of range");
	return names[scope];
}
