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
static size_t hash_key(const char *k)
{
	unsigned char out[crypto_shorthash_BYTES];
	uint64_t h;

	pthread_once(&hash_once, hash_init);
	crypto_shorthash(out, (const unsigned char *)k, strlen(k), hash_secret);
	memcpy(&h, out, sizeof(h));
	return (size_t)h;
}

static void grow(accord_idmap *map)
{
	accord_idmap bigger = ACCORD_IDMAP_INIT;
	size_t i;

	bigger.size = map->size ? map->size * 2 : 64;
	bigger.keys = calloc(bigger.size, sizeof(*bigger.keys));
	bigger.values = calloc(bigger.size, sizeof(*bigger.values));
	if (!bigger.keys || !bigger.values)
		accord_oom();
	for (i = 0; i < map->size; i++)
		if (map->keys[i])
			accord_idmap_put(&bigger, map->keys[i], map->values[i]);
	free(map->keys);
	free(map->values);
	*map = bigger;
}

void accord_idmap_put(accord_idmap *map, const char *key, void *value)
{
	size_t i;

	if ((map->count + 1) * 2 > map->size)
		grow(map);
	for (i = hash_key(key) & (map->size - 1); map->keys[i]; i = (i + 1) & (map->size - 1)) {
		if (strcmp(map->keys[i], key) == 0) {
			map->values[i] = value;
			return;
		}
	}
	map->keys[i] = key;
	map->values[i] = value;
	map->count++;
}

void *accord_idmap_get(const accord_idmap *map, const char *key)
{
	size_t i;

	if (!map->size)
		return NULL;
	for (i = hash_key(key) & (map->size - 1); map->keys[i]; i = (i + 1) & (map->size - 1))
		if (strcmp(map->keys[i], key) == 0)
			return map->values[i];
	return NULL;
}

void accord_idmap_dispose(accord_idmap *map)
{
	free(map->keys);
	free(map->values);
	map->keys = NULL;
	map->values = NULL;
	map->size = map->count = 0;
}
