/*
 * pending.c - actions kept until the front-end knows the push is accepted.
 */
#include "pending.h"

#include <stdio.h>
#include <stdlib.h>

#include "error.h"

struct pending_item {
	cl_pending_apply_fn apply;
	cl_pending_free_fn free_fn;
	void *payload;
};

struct cl_pending {
	struct pending_item *items;
	size_t count, alloc, applied;
};

int cl_pending_new(struct cl_pending **out)
{
	if ((*out = calloc(1, sizeof(**out))) == NULL)
		return cl_error_set("out of memory");
	return 0;
}

int cl_pending_add(struct cl_pending *p, cl_pending_apply_fn apply, cl_pending_free_fn free_fn,
	void *payload)
{
	if (p->count == p->alloc) {
		size_t n = p->alloc ? p->alloc * 2 : 4;
		struct pending_item *items = realloc(p->items, n * sizeof(*items));

		if (!items) {
			if (free_fn)
				free_fn(payload);
			return cl_error_set("out of memory");
		}
		p->items = items;
		p->alloc = n;
	}
	p->items[p->count].apply = apply;
	p->items[p->count].free_fn = free_fn;
	p->items[p->count].payload = payload;
	p->count++;
	return 0;
}

size_t cl_pending_count(const struct cl_pending *p)
{
	return p ? p->count : 0;
}

int cl_pending_apply(struct cl_pending *p)
{
	char first[512];
	int error = 0, rc;

	for (; p->applied < p->count; p->applied++) {
		struct pending_item *it = &p->items[p->applied];

		/* one failed write must not keep the others from being made */
		if ((rc = it->apply(it->payload)) < 0 && error == 0) {
			error = rc;
			snprintf(first, sizeof(first), "%s", cl_error_last());
		}
		if (it->free_fn)
			it->free_fn(it->payload);
		it->payload = NULL;
	}
	return error < 0 ? cl_error_setc(error, "%s", first) : 0;
}

void cl_pending_free(struct cl_pending *p)
{
	size_t i;

	if (!p)
		return;
	for (i = p->applied; i < p->count; i++)
		if (p->items[i].free_fn)
			p->items[i].free_fn(p->items[i].payload);
	free(p->items);
	free(p);
}
