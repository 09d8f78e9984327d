#ifndef ACCORD_JSON_H
#define ACCORD_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

/*
 * Strict JSON parsing on top of cJSON, which on its own accepts
 * duplicate keys, invalid UTF-8 and trailing garbage. Entries are
 * evidence: two readers must never disagree on what one says.
 */

#define ACCORD_JSON_MAX_DEPTH 32

/*
 * Parse exactly `len` bytes as one JSON value. Refuses, with
 * ACCORD_EINVALID and a message saying why and where:
 *  - len > max_size;
 *  - NUL bytes, invalid UTF-8 (overlongs, surrogates, > U+10FFFF) in the raw
 *    bytes, and \u escapes that decode to lone surrogates or U+0000;
 *  - syntax errors and anything after the value but whitespace;
 *  - duplicate keys in any object;
 *  - nesting deeper than ACCORD_JSON_MAX_DEPTH;
 *  - numbers that are not integers in [-(2^53-1), 2^53-1] when
 *    `integers_only` is set (entries keep numbers integral).
 * The caller frees *out with cJSON_Delete().
 */
int accord_json_parse_strict(cJSON **out, const char *data, size_t len, size_t max_size,
			     int integers_only);

/*
 * One code point of well-formed UTF-8 at `s` (no overlongs, no surrogates):
 * its length, with the code point in *cp; 0 if malformed. Reads no further
 * than a NUL byte.
 */
size_t accord_utf8_decode(uint32_t *cp, const unsigned char *s);

/* True if the `len` bytes are valid UTF-8 with no NUL byte. */
int accord_utf8_valid(const char *s, size_t len);

/* Case-sensitive member lookups; NULL if absent or of another type. */
const char *accord_json_str(const cJSON *obj, const char *key);
/* Integer member into *out; ACCORD_ENOTFOUND if absent, ACCORD_EINVALID if not integral. */
int accord_json_int(int64_t *out, const cJSON *obj, const char *key);

/* Add `t` (epoch seconds) to `obj` as a canonical RFC 3339 UTC string. */
void accord_json_add_time(cJSON *obj, const char *key, int64_t t);

#endif
