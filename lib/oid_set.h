/*
 * oid_set.h - a set of object ids, so each blob of a push is read once
 * however many commits and refs bring it.
 *
 * Layer rule: leaf utility over libgit2's git_oid; open addressing, grows
 * at half load. Not thread-safe: one set per push.
 */
#ifndef CL_OID_SET_H
#define CL_OID_SET_H

#include <git2.h>
#include <stddef.h>

struct cl_oid_set {
	git_oid *slots;
	unsigned char *used;
	size_t count, size;
};

#define CL_OID_SET_INIT { NULL, NULL, 0, 0 }

/* Add `id`. @return 1 when it was new, 0 when already present, <0 on error. */
int cl_oid_set_add(struct cl_oid_set *set, const git_oid *id);

/* 1 when present, 0 when not. */
int cl_oid_set_contains(const struct cl_oid_set *set, const git_oid *id);

void cl_oid_set_dispose(struct cl_oid_set *set);

#endif
