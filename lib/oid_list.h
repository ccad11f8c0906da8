/*
 * oid_list.h - a growable array of object ids (refs to hide in a walk).
 * Layer rule: leaf utility over libgit2's git_oid.
 */
#ifndef CL_OID_LIST_H
#define CL_OID_LIST_H

#include <git2.h>
#include <stddef.h>

struct cl_oid_list {
	git_oid *ids;
	size_t count, alloc;
};

#define CL_OID_LIST_INIT { NULL, 0, 0 }

int cl_oid_list_add(struct cl_oid_list *list, const git_oid *id);
void cl_oid_list_dispose(struct cl_oid_list *list);

#endif
