#include "oid_list.h"
#include "error.h"

#include <stdlib.h>

int cl_oid_list_add(struct cl_oid_list *list, const git_oid *id)
{
	if (list->count == list->alloc) {
		size_t n = list->alloc ? list->alloc * 2 : 16;
		git_oid *p = realloc(list->ids, n * sizeof(*p));
		if (!p)
			return cl_error_set("out of memory");
		list->ids = p;
		list->alloc = n;
	}
	git_oid_cpy(&list->ids[list->count++], id);
	return 0;
}

void cl_oid_list_dispose(struct cl_oid_list *list)
{
	free(list->ids);
	list->ids = NULL;
	list->count = list->alloc = 0;
}
