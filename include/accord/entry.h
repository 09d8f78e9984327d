#ifndef ACCORD_ENTRY_H
#define ACCORD_ENTRY_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "accord/buf.h"
#include "accord/key.h"

/*
 * An entry is one JSON object, stored byte for byte as a commit message:
 *
 *   {"v":1,"ledger":"<64 hex>"|null,"author":"<64 hex public key>",
 *    "seq":N,"prev":"<64 hex>"|null,"lamport":N,"time":"<RFC 3339 UTC>",
 *    "type":"<type>","incident":"<64 hex>"|null,"body":{...}}
 *
 * Its id is the SHA-256 of those exact bytes. "prev" is the id of the
 * author's previous entry, so the chain does not rest on git's SHA-1.
 * The genesis entry has "ledger": null and its id is the ledger id that
 * every other entry names, so an entry cannot be replayed elsewhere.
 * The bytes are never re-serialized: what was signed is what is read.
 */

#define ACCORD_ENTRY_VERSION 1
#define ACCORD_ENTRY_MAX 65536 /* bytes; larger entries are refused */
#define ACCORD_ID_HEXLEN 64

typedef struct {
	char *raw; /* exact bytes, NUL-terminated, owned */
	size_t raw_len;
	cJSON *json; /* parsed raw, owned */
	unsigned char hash[32];
	char id[ACCORD_ID_HEXLEN + 1];

	/* Envelope fields, copied out of json. Empty strings for null. */
	char ledger[ACCORD_ID_HEXLEN + 1];
	accord_pubkey author; /* author.name is empty: names come from membership */
	int64_t seq;
	char prev[ACCORD_ID_HEXLEN + 1];
	int64_t lamport;
	int64_t time;
	char type[32];
	char incident[ACCORD_ID_HEXLEN + 1];
	const cJSON *body; /* borrowed from json */

	char commit[41]; /* the git commit holding it, hex; set by the ledger layer */
} accord_entry;

/* What the writer supplies; accord_entry_build serializes it in the fixed order above. */
typedef struct {
	const char *ledger;   /* NULL for genesis */
	const accord_pubkey *author;
	int64_t seq;
	const char *prev;     /* NULL for a feed's first entry */
	int64_t lamport;
	int64_t time;
	const char *type;
	const char *incident; /* NULL when the type concerns no incident */
	const cJSON *body;
} accord_entry_fields;

/*
 * Serialize `f` into `out` (cleared first) and check the result with
 * accord_entry_parse, so nothing that would be refused on read is ever
 * written. ACCORD_EINVALID with the schema's message otherwise.
 */
int accord_entry_build(accord_buf *out, const accord_entry_fields *f);

/*
 * Parse and validate exact entry bytes: size limit, strict JSON (UTF-8,
 * duplicate keys, integers), then schemas/entry.schema.json. On success
 * *out owns a copy of the bytes. ACCORD_EINVALID with the reason otherwise.
 */
int accord_entry_parse(accord_entry **out, const char *raw, size_t len);

void accord_entry_free(accord_entry *entry);

/* Body member helpers (borrowed strings, NULL / default when absent). */
const char *accord_entry_str(const accord_entry *e, const char *key);
int64_t accord_entry_int(const accord_entry *e, const char *key, int64_t dflt);

#endif
