#include "deps.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

/*
 * Name, ecosystem and manifest in one allocation, in that order: a lock
 * file adds thousands of entries with the same two short strings, and a
 * malloc each for them was half the cost of an add (pnpm: 4 mallocs per
 * package). Version and license get their own, as some readers replace
 * them after adding (deps_go.c, deps_nuget.c). cl_dep_list_add packs
 * every item that has a name and an ecosystem; the address test, rather
 * than a flag in the public struct (whose positional initializers would
 * all need it), also keeps an item built by hand from separate mallocs
 * from being taken for a packed one.
 */
static int dep_packed(const struct cl_dep *d)
{
	return d->name && d->ecosystem && d->ecosystem == d->name + strlen(d->name) + 1;
}

static void dep_dispose(struct cl_dep *d)
{
	if (!dep_packed(d)) {
		free((char *)d->ecosystem);
		free((char *)d->manifest);
	}
	free((char *)d->name);
	free((char *)d->version);
	free((char *)d->license);
}

static int dup_or_null(const char **dst, const char *src)
{
	*dst = NULL;
	if (src && (*dst = strdup(src)) == NULL)
		return -1;
	return 0;
}

/* Copy name, ecosystem (both non-NULL) and manifest into one allocation. */
static int dep_pack(struct cl_dep *copy, const struct cl_dep *dep)
{
	size_t nl = strlen(dep->name) + 1, el = strlen(dep->ecosystem) + 1;
	size_t ml = dep->manifest ? strlen(dep->manifest) + 1 : 0;
	char *p = malloc(nl + el + ml);

	if (!p)
		return -1;
	memcpy(p, dep->name, nl);
	memcpy(p + nl, dep->ecosystem, el);
	copy->name = p;
	copy->ecosystem = p + nl;
	if (dep->manifest) {
		memcpy(p + nl + el, dep->manifest, ml);
		copy->manifest = p + nl + el;
	}
	return 0;
}

int cl_dep_list_add(struct cl_dep_list *list, const struct cl_dep *dep)
{
	struct cl_dep copy;
	int error;

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
	if (dep->name && dep->ecosystem)
		error = dep_pack(&copy, dep);
	else
		error = dup_or_null(&copy.ecosystem, dep->ecosystem) < 0 ||
			dup_or_null(&copy.manifest, dep->manifest) < 0 ? -1 : 0;
	if (error < 0 || dup_or_null(&copy.version, dep->version) < 0 ||
	    dup_or_null(&copy.license, dep->license) < 0) {
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
