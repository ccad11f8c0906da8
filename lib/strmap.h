/*
 * strmap.h - a map from byte strings to pointers, for the per-run lookups
 * of the header check (directories of a tree, expressions already judged,
 * paths already collected) that tens of thousands of files repeat.
 *
 * Layer rule: leaf utility, libc only. Open addressing, grows at half
 * load; keys are copied into blocks the map owns, so a key costs no
 * allocation of its own. Values are the caller's. Not thread-safe.
 */
#ifndef CL_STRMAP_H
#define CL_STRMAP_H

#include <stddef.h>
#include <stdint.h>

/*
 * The hash the map uses, for our other tables of short strings (the npm
 * readers' merge table, the YAML loader's indexes): `len` bytes of `data`
 * folded into `seed`; chaining calls hashes several strings as one. Its
 * values are also kept on disk, as the checks of the bot's stored
 * payloads (bot/body_log.c): a change to it makes those read as damaged.
 */
uint64_t cl_hash_bytes(uint64_t seed, const void *data, size_t len);

struct cl_strmap_slot;
struct cl_strmap_block;

struct cl_strmap {
	struct cl_strmap_slot *slots;
	size_t count, size;
	struct cl_strmap_block *blocks;   /* the key bytes, newest block first */
};

#define CL_STRMAP_INIT { NULL, 0, 0, NULL }

/*
 * The value slot of `key` (`len` bytes), added with a NULL value when absent.
 * @param out     the slot: stays valid until the next cl_strmap_put or dispose
 * @param stored  optional: the map's NUL-terminated copy of the key, valid
 *                until cl_strmap_dispose (callers may keep it as their own)
 * @return 1 when the key was added, 0 when present, CL_ERROR when out of
 * memory (nothing added).
 */
int cl_strmap_put(void ***out, const char **stored, struct cl_strmap *map, const char *key,
	size_t len);

/*
 * Make room for `n` entries in all, so that putting them rehashes nothing:
 * for a caller that knows its count up front (a reader sizing its table
 * from the number of members a mapping has).
 * @return 0, or CL_ERROR when out of memory (the map is unchanged).
 */
int cl_strmap_reserve(struct cl_strmap *map, size_t n);

/* The value slot of `key`, or NULL when absent. */
void **cl_strmap_get(const struct cl_strmap *map, const char *key, size_t len);

/* Call `cb` on every entry, in no particular order; the key is NUL-terminated. */
void cl_strmap_foreach(const struct cl_strmap *map,
	void (*cb)(const char *key, size_t len, void *value, void *payload), void *payload);

/* Free the map's memory (not the values). */
void cl_strmap_dispose(struct cl_strmap *map);

#endif
