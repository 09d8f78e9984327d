#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "accord/idmap.h"
#include "alloc.h"

static unsigned char hash_secret[crypto_shorthash_KEYBYTES];
static pthread_once_t hash_once = PTHREAD_ONCE_INIT;

static void hash_init(void)
{
	randombytes_buf(hash_secret, sizeof(hash_secret));
}

/*
 * SipHash with a key of this process: an entry's id is a hash its author
 * can grind, and an unkeyed hash (FNV-1a here before) let a writer pile
 * thousands of ids into one run of slots that every copy then walks on
 * every lookup. Keyed, no one knows where an id lands; and over 64 hex
 * digits it costs half of what FNV-1a did. Nothing reads the slots' order.
 */
static uint64_t hash_key(const char *k)
{
	unsigned char out[crypto_shorthash_BYTES];
	uint64_t h;

	pthread_once(&hash_once, hash_init);
	crypto_shorthash(out, (const unsigned char *)k, strlen(k), hash_secret);
	memcpy(&h, out, sizeof(h));
	return h;
}

/* The slot holding `key` (hash `h`), or the free slot where it would go. */
static accord_idmap_slot *probe(const accord_idmap *map, const char *key, uint64_t h)
{
	size_t mask = map->size - 1, i;

	for (i = (size_t)h & mask; map->slots[i].key; i = (i + 1) & mask)
		if (map->slots[i].hash == h && strcmp(map->slots[i].key, key) == 0)
			break;
	return &map->slots[i];
}

/* Twice the slots; the hashes kept are reused, no key is read. */
static void grow(accord_idmap *map)
{
	size_t size = map->size ? map->size * 2 : 64, mask = size - 1, i, j;
	accord_idmap_slot *slots = calloc(size, sizeof(*slots));

	if (!slots)
		accord_oom();
	for (i = 0; i < map->size; i++) {
		if (!map->slots[i].key)
			continue;
		for (j = (size_t)map->slots[i].hash & mask; slots[j].key; j = (j + 1) & mask)
			;
		slots[j] = map->slots[i];
	}
	free(map->slots);
	map->slots = slots;
	map->size = size;
}

/* The slot of `key`, taken for it (value NULL) unless *held says it was already. */
static accord_idmap_slot *slot_of(accord_idmap *map, const char *key, int *held)
{
	uint64_t h = hash_key(key);
	accord_idmap_slot *s;

	if ((map->count + 1) * 2 > map->size)
		grow(map);
	s = probe(map, key, h);
	if (!(*held = s->key != NULL)) {
		s->hash = h;
		s->key = key;
		map->count++;
	}
	return s;
}

void accord_idmap_put(accord_idmap *map, const char *key, void *value)
{
	int held;

	slot_of(map, key, &held)->value = value;
}

void *accord_idmap_add(accord_idmap *map, const char *key, void *value)
{
	int held;
	accord_idmap_slot *s = slot_of(map, key, &held);

	if (held)
		return s->value;
	s->value = value;
	return NULL;
}

void *accord_idmap_get(const accord_idmap *map, const char *key)
{
	if (!map->size)
		return NULL;
	return probe(map, key, hash_key(key))->value;
}

void accord_idmap_dispose(accord_idmap *map)
{
	free(map->slots);
	map->slots = NULL;
	map->size = map->count = 0;
}
