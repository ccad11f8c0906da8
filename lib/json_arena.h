/*
 * json_arena.h - a bump allocator for the Jansson trees of one parse.
 *
 * Why: a 5,000-package package-lock.json is some 150,000 Jansson values,
 * each one or two malloc() calls to build and as many free() calls to drop.
 * Profiles of the lock-file parsers showed malloc and free (and glibc's
 * malloc_consolidate behind them) at a quarter to a third of the parse,
 * and json_decref of the tree at another fifth (issue 4: 50 MB/s). Jansson
 * has no per-call allocator, only the process-wide json_set_alloc_funcs(),
 * which its manual says must be called before any other Jansson call.
 *
 * So the process entry point calls cl_json_arena_install() once, first
 * thing; the installed functions are plain malloc()/free() except on a
 * thread that is inside cl_json_arena_begin() .. cl_json_arena_end(), where
 * Jansson's allocations come from big chunks and frees of them are no-ops.
 * Without the install (a test, another program linking the library) the
 * arena is simply not used and the parsers behave and cost as before.
 *
 * Layer rule: a leaf utility over Jansson and libc.
 *
 * Hazard: a Jansson value created inside the scope must not be used after
 * cl_json_arena_end(): its memory is gone, and a json_decref() of it then
 * would hand free() a pointer malloc() never returned. The parsers create
 * their trees, copy what they keep into struct cl_dep_list (plain malloc),
 * and drop the trees before the scope ends. Scopes do not nest: an inner
 * begin while one is active on the thread is inactive, and its values live
 * in the outer arena.
 */
#ifndef CL_JSON_ARENA_H
#define CL_JSON_ARENA_H

#include <stddef.h>

struct cl_json_arena_chunk;

/* Caller-owned; zero it or use CL_JSON_ARENA_INIT. */
struct cl_json_arena {
	struct cl_json_arena_chunk *chunks;   /* newest first */
	char *cur, *end;                       /* free space of the newest chunk */
	size_t next_size;                      /* size of the next chunk */
	int active;                            /* this scope feeds Jansson */
};

#define CL_JSON_ARENA_INIT { NULL, NULL, NULL, 0, 0 }

/*
 * Route Jansson's allocations through this module. Call once at process
 * start, before any other Jansson call and before any thread exists.
 * Idempotent.
 */
void cl_json_arena_install(void);

/*
 * Open a scope on the calling thread: Jansson values created until
 * cl_json_arena_end() come from `arena`. A no-op (arena->active stays 0)
 * when cl_json_arena_install() was not called, when another allocator has
 * been installed since, or when a scope is already open on this thread.
 * Cannot fail: an arena that cannot grow makes Jansson's allocation fail,
 * which Jansson reports as out of memory.
 */
void cl_json_arena_begin(struct cl_json_arena *arena);

/* Close the scope and free its memory; `arena` may be begun again. */
void cl_json_arena_end(struct cl_json_arena *arena);

#endif
