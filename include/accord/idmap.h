#ifndef ACCORD_IDMAP_H
#define ACCORD_IDMAP_H

#include <stddef.h>

/*
 * A hash map from hex ids (entry ids, key ids) to pointers. Keys are
 * borrowed: they must outlive the map. The hash is keyed per process, so
 * the order of the slots differs from one run to the next: a caller that
 * walks them must not let that order choose anything.
 */
typedef struct {
	const char **keys;
	void **values;
	size_t size; /* slots, a power of two */
	size_t count;
} accord_idmap;

#define ACCORD_IDMAP_INIT        \
	{                        \
		NULL, NULL, 0, 0 \
	}

/* Insert or replace. Aborts on allocation failure, like accord_buf. */
void accord_idmap_put(accord_idmap *map, const char *key, void *value);
/* The value for `key`, or NULL. */
void *accord_idmap_get(const accord_idmap *map, const char *key);
void accord_idmap_dispose(accord_idmap *map);

#endif
