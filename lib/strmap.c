#include "strmap.h"
#include "error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct cl_strmap_slot {
	const char *key;     /* points into a block; NULL: empty slot */
	size_t len;
	size_t hash;
	void *value;
};

#define STRMAP_BLOCK 65536

struct cl_strmap_block {
	struct cl_strmap_block *next;
	size_t used, size;
	char data[];
};

/*
 * The last `len` (< 8) bytes as one word: two loads that may overlap for
 * four to seven bytes, three byte reads that may repeat one for one to
 * three. A loop over the bytes cost a fifth of a short key's hash. On a
 * little-endian host the word holds the bytes in order, as the 8-byte
 * steps read theirs.
 */
static uint64_t hash_tail(const unsigned char *p, size_t len)
{
	uint32_t a, b;

	if (len >= 4) {
		memcpy(&a, p, 4);
		memcpy(&b, p + len - 4, 4);
		return a | (uint64_t)b << (8 * (len - 4));
	}
	if (len == 0)
		return 0;
	return (uint64_t)p[0] | (uint64_t)p[len / 2] << (8 * (len / 2)) | (uint64_t)p[len - 1] << (8 * (len - 1));
}

/*
 * Eight bytes a step, then a multiply-xorshift finish (the mixer of
 * MurmurHash3's fmix64): keys are paths, expressions and "name@version"
 * strings of 20 to 60 bytes, and FNV-1a's byte-at-a-time loop was a third
 * of a lookup in the pnpm reader's profile. The tables are ours alone, so
 * no secret seed against chosen collisions; linear probing copes with a
 * bad spread.
 */
uint64_t cl_hash_bytes(uint64_t seed, const void *data, size_t len)
{
	const uint64_t k = 0xff51afd7ed558ccdULL;
	const unsigned char *p = data;
	uint64_t h = seed ^ len, w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * k;
		h ^= h >> 32;
	}
	h = (h ^ hash_tail(p, len)) * k;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

static size_t strmap_hash(const char *key, size_t len)
{
	return (size_t)cl_hash_bytes(0, key, len);
}

static struct cl_strmap_slot *strmap_find(const struct cl_strmap *map, const char *key, size_t len,
	size_t hash)
{
	size_t mask = map->size - 1, i = hash & mask;
	while (map->slots[i].key &&
	       !(map->slots[i].hash == hash && map->slots[i].len == len &&
		 memcmp(map->slots[i].key, key, len) == 0))
		i = (i + 1) & mask;
	return &map->slots[i];
}

/* Move to a table of `size` slots (a power of two, at least twice count). */
static int strmap_resize(struct cl_strmap *map, size_t size)
{
	struct cl_strmap_slot *slots = calloc(size, sizeof(*slots)), *old = map->slots;
	size_t old_size = map->size, i;

	if (!slots)
		return cl_error_set("out of memory");
	map->slots = slots;
	map->size = size;
	for (i = 0; i < old_size; i++)
		if (old[i].key)
			*strmap_find(map, old[i].key, old[i].len, old[i].hash) = old[i];
	free(old);
	return 0;
}

int cl_strmap_reserve(struct cl_strmap *map, size_t n)
{
	size_t size = map->size ? map->size : 64;

	/* put grows when the next entry would fill more than half */
	if (n > SIZE_MAX / 2 / sizeof(struct cl_strmap_slot))
		return cl_error_set("out of memory");
	while (n * 2 > size)
		size *= 2;
	return size == map->size ? 0 : strmap_resize(map, size);
}

static const char *strmap_keep(struct cl_strmap *map, const char *key, size_t len)
{
	struct cl_strmap_block *b = map->blocks;
	char *copy;

	if (!b || b->size - b->used < len + 1) {
		size_t size = len + 1 > STRMAP_BLOCK ? len + 1 : STRMAP_BLOCK;
		if ((b = malloc(sizeof(*b) + size)) == NULL)
			return NULL;
		b->next = map->blocks;
		b->used = 0;
		b->size = size;
		map->blocks = b;
	}
	copy = b->data + b->used;
	memcpy(copy, key, len);
	copy[len] = '\0';
	b->used += len + 1;
	return copy;
}

int cl_strmap_put(void ***out, const char **stored, struct cl_strmap *map, const char *key,
	size_t len)
{
	size_t hash = strmap_hash(key, len);
	struct cl_strmap_slot *slot;
	int error;

	if ((map->count + 1) * 2 > map->size &&
	    (error = strmap_resize(map, map->size ? map->size * 2 : 64)) < 0)
		return error;
	slot = strmap_find(map, key, len, hash);
	if (slot->key) {
		*out = &slot->value;
		if (stored)
			*stored = slot->key;
		return 0;
	}
	if ((slot->key = strmap_keep(map, key, len)) == NULL)
		return cl_error_set("out of memory");
	slot->len = len;
	slot->hash = hash;
	slot->value = NULL;
	map->count++;
	*out = &slot->value;
	if (stored)
		*stored = slot->key;
	return 1;
}

void **cl_strmap_get(const struct cl_strmap *map, const char *key, size_t len)
{
	struct cl_strmap_slot *slot;

	if (!map->size)
		return NULL;
	slot = strmap_find(map, key, len, strmap_hash(key, len));
	return slot->key ? &slot->value : NULL;
}

void cl_strmap_foreach(const struct cl_strmap *map,
	void (*cb)(const char *key, size_t len, void *value, void *payload), void *payload)
{
	size_t i;
	for (i = 0; i < map->size; i++)
		if (map->slots[i].key)
			cb(map->slots[i].key, map->slots[i].len, map->slots[i].value, payload);
}

void cl_strmap_dispose(struct cl_strmap *map)
{
	struct cl_strmap_block *b = map->blocks, *next;

	for (; b; b = next) {
		next = b->next;
		free(b);
	}
	free(map->slots);
	memset(map, 0, sizeof(*map));
}
