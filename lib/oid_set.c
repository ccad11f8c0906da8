#include "oid_set.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

/* Object ids are hashes already: their first bytes are a fine hash. */
static size_t oid_hash(const git_oid *id)
{
	size_t h;
	memcpy(&h, id->id, sizeof(h));
	return h;
}

static size_t set_find(const struct cl_oid_set *set, const git_oid *id)
{
	size_t mask = set->size - 1, i = oid_hash(id) & mask;
	while (set->used[i] && !git_oid_equal(&set->slots[i], id))
		i = (i + 1) & mask;
	return i;
}

static int set_grow(struct cl_oid_set *set)
{
	struct cl_oid_set bigger;
	size_t i;

	bigger.size = set->size ? set->size * 2 : 64;
	bigger.count = 0;
	bigger.slots = malloc(bigger.size * sizeof(*bigger.slots));
	bigger.used = calloc(bigger.size, 1);
	if (!bigger.slots || !bigger.used) {
		free(bigger.slots);
		free(bigger.used);
		return cl_error_set("out of memory");
	}
	for (i = 0; i < set->size; i++) {
		if (set->used[i]) {
			size_t j = set_find(&bigger, &set->slots[i]);
			git_oid_cpy(&bigger.slots[j], &set->slots[i]);
			bigger.used[j] = 1;
			bigger.count++;
		}
	}
	free(set->slots);
	free(set->used);
	*set = bigger;
	return 0;
}

int cl_oid_set_add(struct cl_oid_set *set, const git_oid *id)
{
	size_t i;
	int error;

	if ((set->count + 1) * 2 > set->size && (error = set_grow(set)) < 0)
		return error;
	i = set_find(set, id);
	if (set->used[i])
		return 0;
	git_oid_cpy(&set->slots[i], id);
	set->used[i] = 1;
	set->count++;
	return 1;
}

int cl_oid_set_contains(const struct cl_oid_set *set, const git_oid *id)
{
	if (!set->size)
		return 0;
	return set->used[set_find(set, id)];
}

void cl_oid_set_dispose(struct cl_oid_set *set)
{
	free(set->slots);
	free(set->used);
	memset(set, 0, sizeof(*set));
}
