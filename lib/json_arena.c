/*
 * json_arena.c - a bump allocator for the Jansson trees of one parse
 * (see json_arena.h).
 */
#include "json_arena.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

/* The first chunk; each next one doubles, up to the cap. */
#define ARENA_FIRST_CHUNK ((size_t)64 * 1024)
#define ARENA_MAX_CHUNK ((size_t)8 * 1024 * 1024)
#define ARENA_ALIGN ((size_t)16)

struct cl_json_arena_chunk {
	struct cl_json_arena_chunk *next;
	char *end;
	/* the memory follows, aligned */
	_Alignas(16) char data[];
};

/*
 * The scope open on this thread. Like the error slot (error.h), this is
 * per thread by necessity: Jansson's allocator hook is process-wide and
 * takes no context, so the only way to tell one parse's allocations from
 * another thread's is the thread itself.
 */
static _Thread_local struct cl_json_arena *arena_current;

static int arena_owns(const struct cl_json_arena *a, const void *p)
{
	const struct cl_json_arena_chunk *c;

	for (c = a->chunks; c; c = c->next)
		if ((const char *)p >= c->data && (const char *)p < c->end)
			return 1;
	return 0;
}

static void *arena_grow(struct cl_json_arena *a, size_t n)
{
	size_t size = a->next_size ? a->next_size : ARENA_FIRST_CHUNK;
	struct cl_json_arena_chunk *c;
	void *p;

	while (size < n)
		size *= 2;
	c = malloc(sizeof(*c) + size);
	if (!c)
		return NULL;
	c->next = a->chunks;
	c->end = c->data + size;
	a->chunks = c;
	a->next_size = size < ARENA_MAX_CHUNK ? size * 2 : size;
	p = c->data;
	a->cur = c->data + n;
	a->end = c->end;
	return p;
}

static void *arena_malloc(size_t n)
{
	struct cl_json_arena *a = arena_current;
	void *p;

	if (!a)
		return malloc(n);
	if (n > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	n = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (n == 0)
		n = ARENA_ALIGN;
	if ((size_t)(a->end - a->cur) < n)
		return arena_grow(a, n);
	p = a->cur;
	a->cur += n;
	return p;
}

static void arena_free(void *p)
{
	struct cl_json_arena *a = arena_current;

	/* an arena's memory goes all at once in cl_json_arena_end */
	if (a && p && arena_owns(a, p))
		return;
	free(p);
}

void cl_json_arena_install(void)
{
	json_set_alloc_funcs(arena_malloc, arena_free);
}

void cl_json_arena_begin(struct cl_json_arena *arena)
{
	json_malloc_t m = NULL;
	json_free_t f = NULL;

	arena->active = 0;
	json_get_alloc_funcs(&m, &f);
	if (m != arena_malloc || f != arena_free || arena_current)
		return;
	arena->active = 1;
	arena_current = arena;
}

void cl_json_arena_end(struct cl_json_arena *arena)
{
	struct cl_json_arena_chunk *c, *next;

	if (arena->active && arena_current == arena)
		arena_current = NULL;
	for (c = arena->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	arena->chunks = NULL;
	arena->cur = arena->end = NULL;
	arena->next_size = 0;
	arena->active = 0;
}
