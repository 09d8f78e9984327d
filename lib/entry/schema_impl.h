/*
 * Inside the schema module: the registry's structure, the compiled form of
 * a schema object, and the small helpers its parts share. Not part of the
 * interface (callers use schema.h beside it); never installed.
 *
 *   schema.c           the registry: its lifetime, the node map, "$ref"
 *                      lookup, discriminators, accord's own schemas
 *   schema_add.c       adding a document: the walk that checks and compiles it
 *   schema_uri.c       URI references (RFC 3986)
 *   schema_regex.c     ECMA-262 patterns onto POSIX regcomp, and a fast matcher
 *   schema_validate.c  validating an instance, keyword by keyword
 *   schema_failure.c   recording failures and choosing the message reported
 *
 * Out of memory aborts (accord_xrealloc, lib/util/alloc.h), as everywhere
 * in the library.
 */
#ifndef ACCORD_SCHEMA_IMPL_H
#define ACCORD_SCHEMA_IMPL_H

#include <ctype.h>
#include <locale.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "schema.h"
#include "schema_regex.h"
#include "alloc.h"

/*
 * Nested schema objects a document may have, and nested evaluations
 * (subschemas plus $ref hops) one validation may make: generous for real
 * schemas, small enough that a hostile or looping one cannot exhaust the
 * stack (each level costs well under 2 KiB).
 */
#define WALK_MAX_DEPTH 128
#define EVAL_MAX_DEPTH 256

enum kw {
	KW_ID,
	KW_SCHEMA,
	KW_REF,
	KW_COMMENT,
	KW_TITLE,
	KW_DESCRIPTION,
	KW_DEFAULT,
	KW_EXAMPLES,
	KW_FORMAT,
	KW_DEFINITIONS,
	KW_TYPE,
	KW_ENUM,
	KW_CONST,
	KW_PROPERTIES,
	KW_REQUIRED,
	KW_ADDITIONAL_PROPERTIES,
	KW_PATTERN_PROPERTIES,
	KW_PROPERTY_NAMES,
	KW_MIN_PROPERTIES,
	KW_MAX_PROPERTIES,
	KW_DEPENDENCIES,
	KW_ITEMS,
	KW_ADDITIONAL_ITEMS,
	KW_MIN_ITEMS,
	KW_MAX_ITEMS,
	KW_UNIQUE_ITEMS,
	KW_CONTAINS,
	KW_MINIMUM,
	KW_MAXIMUM,
	KW_EXCLUSIVE_MINIMUM,
	KW_EXCLUSIVE_MAXIMUM,
	KW_MULTIPLE_OF,
	KW_MIN_LENGTH,
	KW_MAX_LENGTH,
	KW_PATTERN,
	KW_ALL_OF,
	KW_ANY_OF,
	KW_ONE_OF,
	KW_NOT,
	KW_IF,
	KW_THEN,
	KW_ELSE,
	KW_COUNT
};

/* The keywords' names, indexed by enum kw. */
extern const char *const accord_schema_kw_names[KW_COUNT];

/* "type" names as bits: what a schema object allows (struct snode) or an instance is. */
enum {
	TY_NULL = 1,
	TY_BOOLEAN = 2,
	TY_OBJECT = 4,
	TY_ARRAY = 8,
	TY_NUMBER = 16,
	TY_INTEGER = 32,
	TY_STRING = 64,
};

/* Identifier of a (sub)schema: an absolute URI, maybe with a plain-name fragment. */
struct uri_entry {
	char *uri;
	const cJSON *node;
	char *base; /* in a registry, one of its bases */
};

/* What we know about one node: its base if it has an "$id", its regex if it is a pattern. */
struct node_info {
	const cJSON *node;
	char *base; /* in a registry, one of its bases */
	accord_regex *re;
	struct snode *sn;
};

/*
 * A oneOf whose alternatives each fix one member with "const" (an entry's
 * "type"): at most the alternative whose const equals the instance's member
 * can match, so it alone is tried first (see one_of_fast()). An alternative
 * that cannot end in a hard error ("safe") and whose const differs can only
 * fail, so the general oneOf skips it too.
 */
struct disc {
	const char *key;
	size_t n;
	const cJSON **alt, **want;
	const struct snode **alt_sn; /* compiled alt, or NULL */
	unsigned char *safe;
	int all_safe;
	int height; /* deepest evaluation nesting any safe alternative can reach */
};

/*
 * The member names an object schema looks up in every instance: those of
 * "properties" and "required", hashed when the schema is added, so that
 * validation finds a member's subschema and ticks off required fields
 * without a strcmp down each list per member.
 */
struct pname {
	const char *name;
	uint32_t hash;
	const cJSON *prop;	     /* the first "properties" member of this name, or NULL */
	const struct snode *prop_sn; /* what the registry compiled for prop, if anything */
};

struct ptable {
	struct pname *names;
	size_t n;
	uint32_t *slot; /* open addressing: index into names + 1, 0 for empty */
	size_t mask;
	size_t *req; /* "required", in order, as indexes into names */
	size_t nreq;
};

/* FNV-1a: member names are short, and this needs no length first. */
static inline uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The index in t->names of `name` (not NULL), or -1. */
static inline long ptable_find(const struct ptable *t, const char *name)
{
	uint32_t h = name_hash(name), k;
	size_t i;

	for (i = h & t->mask; (k = t->slot[i]) != 0; i = (i + 1) & t->mask)
		if (t->names[k - 1].hash == h && strcmp(t->names[k - 1].name, name) == 0)
			return (long)k - 1;
	return -1;
}

/*
 * A schema object as the add walk compiled it: its keywords found once
 * (instead of by name on every visit), and its "$ref" resolved once the
 * target is in the registry. Validation only reads these.
 */
struct snode {
	const cJSON *kw[KW_COUNT];
	struct ptable *names; /* NULL if it has neither "properties" nor "required" */
	/*
	 * What the registry's node map holds beside this, copied by
	 * accord_schema_finalize() so that validation need not ask the map:
	 * the base of its "$id" and the regex of its "pattern".
	 */
	const char *base;
	const accord_regex *pattern_re;
	const cJSON *ref_target;
	const struct snode *ref_sn;	  /* compiled ref_target, or NULL */
	const char *ref_tbase, *ref_base; /* borrowed from the registry */
	struct disc *disc;
	unsigned types;	  /* "type" as TY_* bits (the walk checked its names); 0 if none */
	int mark, height; /* for safe_height() */
};

/* Every "$ref" seen while adding, so accord_schema_registry_check() can resolve them all. */
struct ref_site {
	const cJSON *node;
	char *base; /* in a registry, one of its bases */
	char *where;
};

struct accord_schema_registry {
	cJSON **docs;
	size_t ndocs, adocs;
	struct uri_entry *uris;
	size_t nuris, auris;
	uint32_t *uri_slot; /* uris by name_hash(): index + 1, 0 for empty */
	size_t uri_mask;
	/*
	 * Every base URI of uris, map and refs, each string once: equal bases
	 * are the same pointer, so validation compares them by address.
	 */
	char **bases;
	size_t nbases, abases;
	struct node_info *map; /* open addressing keyed by node pointer */
	size_t map_cap, map_len;
	struct ref_site *refs;
	size_t nrefs, arefs;
	/* Regexes run in UTF-8 so that "." and {n} count code points, not bytes. */
	locale_t utf8;
};

static inline char *xstrndup(const char *s, size_t n)
{
	char *p = accord_xrealloc(NULL, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static inline char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/*
 * Number helpers without libm: the Makefile links libaccord.a without -lm.
 * 2^53: from there on every double is an integer.
 */
#define TWO53 9007199254740992.0

static inline double dabs(double v)
{
	return v < 0 ? -v : v;
}

static inline int is_integral(double v)
{
	if (!isfinite(v))
		return 0;
	if (dabs(v) >= TWO53)
		return 1;
	return v == (double)(int64_t)v;
}

/* A count keyword's value ("minLength", "maxItems", ...): a non-negative integer. */
static inline int is_count(const cJSON *v)
{
	return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble <= 1e15 &&
	       is_integral(v->valuedouble);
}

#define GROW(arr, n, a)                                                       \
	do {                                                                  \
		if ((n) == (a)) {                                             \
			(a) = (a) ? (a)*2 : 8;                                \
			(arr) = accord_xrealloc((arr), (a) * sizeof(*(arr))); \
		}                                                             \
	} while (0)

static inline int hexval(const char *p, int n, unsigned long *out)
{
	unsigned long v = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)p[i]))
			return -1;
		v = v * 16 + (unsigned long)(isdigit((unsigned char)p[i])
						     ? p[i] - '0'
						     : (tolower((unsigned char)p[i]) - 'a' + 10));
	}
	*out = v;
	return 0;
}

/* The index of keyword `name` in enum kw, or -1. */
int accord_schema_kw_lookup(const char *name);

/* First occurrence of each keyword of `s`, as cJSON_GetObjectItem would find it. */
void accord_schema_kw_collect(const cJSON *s, const cJSON *kw[KW_COUNT]);

/* The node map: open addressing keyed by node pointer. */
static inline size_t ptr_hash(const void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x;
}

/* What the registry knows about `node`, or NULL. Inline: validation asks at each schema object. */
static inline struct node_info *accord_schema_map_get(const accord_schema_registry *reg,
						      const cJSON *node)
{
	size_t i;

	if (!reg->map_cap)
		return NULL;
	for (i = ptr_hash(node) & (reg->map_cap - 1); reg->map[i].node;
	     i = (i + 1) & (reg->map_cap - 1))
		if (reg->map[i].node == node)
			return &reg->map[i];
	return NULL;
}

/* The entry for `node`, added (zeroed) if it has none. */
struct node_info *accord_schema_map_slot(accord_schema_registry *reg, const cJSON *node);

/* The entry of `v` (n of them) indexed under `uri`, or NULL. */
const struct uri_entry *accord_schema_uri_find(const struct uri_entry *v, size_t n,
					       const char *uri);

/* The registry's entry indexed under `uri`, or NULL: by hash, as validation asks at each start. */
const struct uri_entry *accord_schema_uri_get(const accord_schema_registry *reg, const char *uri);

/* Index reg->uris by hash again, after an add appended to them. */
void accord_schema_uri_reindex(accord_schema_registry *reg);

/* The registry's copy of base URI `owned`, which it frees if it has one already. */
char *accord_schema_base_intern(accord_schema_registry *reg, char *owned);

/*
 * Find the schema named by the absolute URI `uri`: a document or "$id"
 * plus a JSON-pointer fragment, or a plain-name fragment. Sets *node and
 * *base (borrowed from the registry). ACCORD_ENOTFOUND if absent.
 */
int accord_schema_lookup(const accord_schema_registry *reg, const char *uri, const cJSON **node,
			 const char **base);

/*
 * After each add: resolve the "$ref"s whose targets are now in the
 * registry, and find discriminators for oneOfs not yet given one.
 */
void accord_schema_finalize(accord_schema_registry *reg);

/* Free a compiled schema object. NULL-safe. */
void accord_schema_snode_free(struct snode *sn);

/* JSON equality: numbers by value (1 == 1.0), objects regardless of key order. */
int accord_schema_json_equal(const cJSON *a, const cJSON *b);

#endif
