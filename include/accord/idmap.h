#ifndef ACCORD_IDMAP_H
#define ACCORD_IDMAP_H

#include <stddef.h>
#include <stdint.h>

/*
 * A hash map from hex ids (entry ids, key ids) to pointers. Keys are
 * borrowed: they must outlive the map. The hash is keyed per process, so
 * the order of the slots differs from one run to the next: a caller that
 * walks them must not let that order choose anything.
 */
/*
 * One slot: its key's hash beside the key, so a probe compares hashes and
 * reads a key's bytes only when they match. Reading the key of every slot
 * it passed, the verification's id lookups at a million entries spent
 * most of their time waiting on memory (issue 14).
 */
typedef struct {
	uint64_t hash;
	const char *key; /* NULL: the slot is free */
	void *value;	 /* NULL in a free slot: a lookup that ends there returns it */
} accord_idmap_slot;

typedef struct {
	accord_idmap_slot *slots;
	size_t size; /* slots, a power of two */
	size_t count;
} accord_idmap;

#define ACCORD_IDMAP_INIT  \
	{                  \
		NULL, 0, 0 \
	}

/* Insert or replace. Aborts on allocation failure, like accord_buf. */
void accord_idmap_put(accord_idmap *map, const char *key, void *value);
/* Insert unless `key` is held: then its value, changing nothing; NULL once inserted (value not NULL). */
void *accord_idmap_add(accord_idmap *map, const char *key, void *value);
/* The value for `key`, or NULL. */
void *accord_idmap_get(const accord_idmap *map, const char *key);
void accord_idmap_dispose(accord_idmap *map);

#endif
