/* accord_idmap: put, get, replace, growth, collisions, and walking the slots. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/idmap.h"

/*
 * FNV-1a, the unkeyed hash the map used before: what anyone can compute,
 * and so grind ids against (test_idmap_hostile_keys_spread).
 */
static size_t fnv1a(const char *k)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211ULL;
	return (size_t)h;
}

/* The slot `k` lands in when put first into an empty map of 64 slots (white-box, any hash). */
static size_t home_slot(const char *k)
{
	accord_idmap m = ACCORD_IDMAP_INIT;
	size_t i;

	accord_idmap_put(&m, k, (void *)k);
	for (i = 0; i < m.size && m.slots[i].key != k; i++)
		;
	assert_int_equal(m.size, 64);
	accord_idmap_dispose(&m);
	return i;
}

/* Every slot holds a key or nothing, count agrees, and every key maps to its value. */
static void assert_map_consistent(const accord_idmap *m)
{
	size_t i, used = 0;

	if (!m->size) {
		assert_int_equal(m->count, 0);
		return;
	}
	assert_int_equal(m->size & (m->size - 1), 0); /* a power of two */
	assert_true(m->count * 2 <= m->size);	      /* never more than half full */
	for (i = 0; i < m->size; i++) {
		if (!m->slots[i].key) {
			assert_null(m->slots[i].value);
			continue;
		}
		used++;
		assert_ptr_equal(accord_idmap_get(m, m->slots[i].key), m->slots[i].value);
	}
	assert_int_equal(used, m->count);
}

static void test_idmap_empty(void **state)
{
	accord_idmap m = ACCORD_IDMAP_INIT;

	(void)state;
	assert_null(accord_idmap_get(&m, "anything"));
	assert_null(accord_idmap_get(&m, ""));
	assert_int_equal(m.count, 0);
	assert_int_equal(m.size, 0);
	accord_idmap_dispose(&m); /* nothing to free */
	accord_idmap_dispose(&m);
	assert_null(m.slots);
}

static void test_idmap_put_get_replace(void **state)
{
	accord_idmap m = ACCORD_IDMAP_INIT;
	int a = 1, b = 2, c = 3;
	char other[] = "alpha"; /* equal text, another pointer */

	(void)state;
	accord_idmap_put(&m, "alpha", &a);
	accord_idmap_put(&m, "beta", &b);
	assert_int_equal(m.count, 2);
	assert_int_equal(m.size, 64);
	assert_ptr_equal(accord_idmap_get(&m, "alpha"), &a);
	assert_ptr_equal(accord_idmap_get(&m, "beta"), &b);
	assert_null(accord_idmap_get(&m, "gamma"));
	assert_null(accord_idmap_get(&m, "alph"));   /* a prefix is not a match */
	assert_null(accord_idmap_get(&m, "alphaa")); /* nor an extension */
	assert_null(accord_idmap_get(&m, "ALPHA"));  /* keys are case-sensitive */
	/* keys compare by content: an equal string elsewhere finds and replaces */
	assert_ptr_equal(accord_idmap_get(&m, other), &a);
	accord_idmap_put(&m, other, &c);
	assert_int_equal(m.count, 2);
	assert_ptr_equal(accord_idmap_get(&m, "alpha"), &c);
	assert_ptr_equal(accord_idmap_get(&m, "beta"), &b);
	/* replace with NULL: get cannot tell it from absent, but the key stays counted */
	accord_idmap_put(&m, "beta", NULL);
	assert_null(accord_idmap_get(&m, "beta"));
	assert_int_equal(m.count, 2);
	/* the empty string is a key like any other */
	accord_idmap_put(&m, "", &a);
	assert_ptr_equal(accord_idmap_get(&m, ""), &a);
	assert_int_equal(m.count, 3);
	accord_idmap_dispose(&m);
	assert_int_equal(m.count, 0);
	assert_int_equal(m.size, 0);
	assert_null(accord_idmap_get(&m, "alpha"));
	/* usable again after dispose */
	accord_idmap_put(&m, "again", &b);
	assert_ptr_equal(accord_idmap_get(&m, "again"), &b);
	accord_idmap_dispose(&m);
}

/* add: inserts what is absent, and for a key held returns its value and changes nothing. */
static void test_idmap_add_keeps_what_is_held(void **state)
{
	accord_idmap m = ACCORD_IDMAP_INIT;
	char keys[200][16], other[] = "k7";
	int vals[200];
	size_t i;

	(void)state;
	for (i = 0; i < 200; i++) { /* through several growths */
		snprintf(keys[i], sizeof(keys[i]), "k%zu", i);
		vals[i] = (int)i;
		assert_null(accord_idmap_add(&m, keys[i], &vals[i]));
		assert_int_equal(m.count, i + 1);
	}
	for (i = 0; i < 200; i++) {
		int x = -1;

		assert_ptr_equal(accord_idmap_add(&m, keys[i], &x), &vals[i]);
		assert_ptr_equal(accord_idmap_get(&m, keys[i]), &vals[i]);
	}
	assert_int_equal(m.count, 200);
	/* an equal string elsewhere is the same key; the pointer kept is the first */
	assert_ptr_equal(accord_idmap_add(&m, other, &vals[0]), &vals[7]);
	for (i = 0; i < m.size; i++)
		assert_true(m.slots[i].key != other);
	assert_map_consistent(&m);
	accord_idmap_dispose(&m);
}

#define MANY 20000

static void test_idmap_many_keys_rehash(void **state)
{
	accord_idmap m = ACCORD_IDMAP_INIT;
	char(*keys)[33] = malloc(MANY * sizeof(*keys));
	size_t i, last_size = 0, grows = 0;

	(void)state;
	assert_non_null(keys);
	for (i = 0; i < MANY; i++) {
		/* id-like keys: 32 hex digits */
		snprintf(keys[i], sizeof(keys[i]), "%016zx%016zx",
			 (size_t)(i * 0x9e3779b97f4a7c15ULL), i);
		accord_idmap_put(&m, keys[i], &keys[i]);
		assert_int_equal(m.count, i + 1);
		if (m.size != last_size) {
			grows++;
			last_size = m.size;
			/* at each rehash everything put so far is still there */
			assert_map_consistent(&m);
		}
	}
	/* 64 doubled until 20000 fit at half load: 64 -> 65536, 11 tables */
	assert_int_equal(m.size, 65536);
	assert_int_equal(grows, 11);
	for (i = 0; i < MANY; i++)
		assert_ptr_equal(accord_idmap_get(&m, keys[i]), &keys[i]);
	/* replacing every value neither grows nor duplicates */
	for (i = 0; i < MANY; i++)
		accord_idmap_put(&m, keys[i], &keys[MANY - 1 - i]);
	assert_int_equal(m.count, MANY);
	assert_int_equal(m.size, 65536);
	for (i = 0; i < MANY; i++)
		assert_ptr_equal(accord_idmap_get(&m, keys[i]), &keys[MANY - 1 - i]);
	assert_null(accord_idmap_get(&m, "ffffffffffffffffffffffffffffffff"));
	assert_map_consistent(&m);
	accord_idmap_dispose(&m);
	free(keys);
}

static void test_idmap_growth_boundary(void **state)
{
	accord_idmap m = ACCORD_IDMAP_INIT;
	char keys[33][8];
	size_t i;

	(void)state;
	for (i = 0; i < 33; i++)
		snprintf(keys[i], sizeof(keys[i]), "k%zu", i);
	/* half of 64 fits; the 33rd key doubles the table */
	for (i = 0; i < 32; i++)
		accord_idmap_put(&m, keys[i], keys[i]);
	assert_int_equal(m.size, 64);
	/* replacing at the boundary must not be refused or lose anything */
	accord_idmap_put(&m, keys[0], keys[1]);
	assert_int_equal(m.count, 32);
	accord_idmap_put(&m, keys[32], keys[32]);
	assert_int_equal(m.size, 128);
	assert_int_equal(m.count, 33);
	assert_ptr_equal(accord_idmap_get(&m, keys[0]), keys[1]);
	for (i = 1; i < 33; i++)
		assert_ptr_equal(accord_idmap_get(&m, keys[i]), keys[i]);
	assert_map_consistent(&m);
	accord_idmap_dispose(&m);
}

/*
 * Keys whose hash picks the same slot of the 64-slot first table, the
 * last slot among them so that probing wraps to slot 0: each is still
 * found, and absent keys of the same slot are not.
 */
static void test_idmap_collisions_in_small_table(void **state)
{
	accord_idmap m = ACCORD_IDMAP_INIT;
	char keys[8][16], absent[2][16];
	size_t n = 0, nabsent = 0, i, slot;
	unsigned long j;

	(void)state;
	for (j = 0; n < 8 || nabsent < 2; j++) {
		char k[16];

		snprintf(k, sizeof(k), "c%lu", j);
		if (home_slot(k) != 63)
			continue;
		if (n < 8)
			memcpy(keys[n++], k, sizeof(k));
		else
			memcpy(absent[nabsent++], k, sizeof(k));
	}
	for (i = 0; i < 8; i++)
		accord_idmap_put(&m, keys[i], keys[i]);
	assert_int_equal(m.size, 64);
	assert_int_equal(m.count, 8);
	/* linear probing from slot 63: 63, 0, 1, ... 6 in insertion order */
	for (i = 0; i < 8; i++) {
		slot = (63 + i) & 63;
		assert_string_equal(m.slots[slot].key, keys[i]);
	}
	for (i = 0; i < 8; i++)
		assert_ptr_equal(accord_idmap_get(&m, keys[i]), keys[i]);
	for (i = 0; i < 2; i++)
		assert_null(accord_idmap_get(&m, absent[i]));
	/* replace one deep in the chain */
	accord_idmap_put(&m, keys[6], keys[0]);
	assert_int_equal(m.count, 8);
	assert_ptr_equal(accord_idmap_get(&m, keys[6]), keys[0]);
	assert_ptr_equal(accord_idmap_get(&m, keys[7]), keys[7]);
	assert_map_consistent(&m);
	accord_idmap_dispose(&m);
}

/*
 * Ids are hashes their authors can grind: 600 keys that an unkeyed hash
 * (FNV-1a, as before) sends to one slot of the 2,048-slot table would make
 * one run of 600 slots that every lookup walks. The map's hash is keyed
 * per process, so the same keys spread: the longest run of occupied slots
 * stays short (about 10 for random keys at this load).
 */
static void test_idmap_hostile_keys_spread(void **state)
{
	accord_idmap m = ACCORD_IDMAP_INIT;
	char(*keys)[24] = malloc(600 * sizeof(*keys));
	size_t n = 0, i, run = 0, longest = 0;
	unsigned long j;

	(void)state;
	assert_non_null(keys);
	for (j = 0; n < 600; j++) {
		snprintf(keys[n], sizeof(keys[n]), "h%lu", j);
		if ((fnv1a(keys[n]) & 2047) == 0)
			n++;
	}
	for (i = 0; i < n; i++)
		accord_idmap_put(&m, keys[i], keys[i]);
	assert_int_equal(m.size, 2048);
	for (i = 0; i < 2 * m.size; i++) { /* twice round: a run may wrap */
		run = m.slots[i & (m.size - 1)].key ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	print_message("600 keys sharing an FNV-1a slot: longest run %zu slots\n", longest);
	assert_true(longest < 100);
	for (i = 0; i < n; i++)
		assert_ptr_equal(accord_idmap_get(&m, keys[i]), keys[i]);
	assert_map_consistent(&m);
	accord_idmap_dispose(&m);
	free(keys);
}

/* The map owns neither keys nor values: a caller frees values by walking the slots. */
static void test_idmap_iterate_and_free_values(void **state)
{
	accord_idmap m = ACCORD_IDMAP_INIT;
	char keys[100][8];
	int seen[100] = { 0 };
	size_t i, visited = 0;
	long sum = 0;

	(void)state;
	for (i = 0; i < 100; i++) {
		int *v = malloc(sizeof(*v));

		assert_non_null(v);
		*v = (int)i;
		snprintf(keys[i], sizeof(keys[i]), "id%zu", i);
		accord_idmap_put(&m, keys[i], v);
	}
	for (i = 0; i < m.size; i++) {
		int *v = m.slots[i].value;

		if (!m.slots[i].key)
			continue;
		visited++;
		assert_non_null(v);
		assert_true(*v >= 0 && *v < 100);
		assert_int_equal(seen[*v]++, 0);	    /* each key once */
		assert_ptr_equal(m.slots[i].key, keys[*v]); /* borrowed: the very pointer given */
		sum += *v;
		free(v);
		m.slots[i].value = NULL;
	}
	assert_int_equal(visited, 100);
	assert_int_equal(sum, 99 * 100 / 2);
	accord_idmap_dispose(&m); /* valgrind: nothing left behind */
	assert_null(m.slots);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idmap_empty),
		cmocka_unit_test(test_idmap_add_keeps_what_is_held),
		cmocka_unit_test(test_idmap_put_get_replace),
		cmocka_unit_test(test_idmap_many_keys_rehash),
		cmocka_unit_test(test_idmap_growth_boundary),
		cmocka_unit_test(test_idmap_collisions_in_small_table),
		cmocka_unit_test(test_idmap_hostile_keys_spread),
		cmocka_unit_test(test_idmap_iterate_and_free_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
