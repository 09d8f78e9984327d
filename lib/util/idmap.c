#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accord/idmap.h"
#include "alloc.h"

/* FNV-1a: ids are random already, but keys may be short or hostile. */
static size_t hash_key(const char *k)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ULL;
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
