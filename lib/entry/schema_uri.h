/*
 * URI references as JSON Schema uses them ("$id", "$ref"): RFC 3986
 * resolution against a base. Inside the schema module; not public.
 */
#ifndef ACCORD_SCHEMA_URI_H
#define ACCORD_SCHEMA_URI_H

#include <stddef.h>

/*
 * Resolve `ref` against `base` (RFC 3986 5.2.2; a NULL base leaves `ref`
 * as it is but for dot segments). An empty fragment is dropped. Returns a
 * malloc'd string; out of memory aborts.
 */
char *accord_uri_resolve(const char *base, const char *ref);

/* Whether `s` has a scheme. */
int accord_uri_is_absolute(const char *s);

/* Length of `s` without its fragment. */
size_t accord_uri_nofrag_len(const char *s);

/* Percent-decode `s` in place. -1 for a malformed escape or one of NUL. */
int accord_uri_pct_decode(char *s);

#endif
