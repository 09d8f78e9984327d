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
 *   {"v":2,"ledger":"<64 hex>"|null,"author":"<64 hex public key>",
 *    "seq":N,"prev":"<64 hex>"|null,"lamport":N,"time":"<RFC 3339 UTC>",
 *    "type":"<type>","incident":"<64 hex>"|null,"deps":["<64 hex>",...],
 *    "admission":"<64 hex>"|null,"body":{...}}
 *
 * Its id is the SHA-256 of those exact bytes. "prev" is the id of the
 * author's previous entry, so the chain does not rest on git's SHA-1.
 * The genesis entry has "ledger": null and its id is the ledger id that
 * every other entry names, so an entry cannot be replayed elsewhere.
 * The bytes are never re-serialized: what was signed is what is read.
 *
 * "deps" names the other feeds' entries the author had seen that its
 * previous entry did not depend on (sorted, no duplicates, at most 32);
 * "lamport" is 1 + the highest Lamport clock of prev and deps, and
 * "admission" names, on a feed's first entry, the entry that admitted its
 * key (docs/format.md, "Causal order"). Version 1 is not read.
 */

#define ACCORD_ENTRY_VERSION 2
#define ACCORD_DEPS_MAX 32     /* deps an entry may name */
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
	char (*deps)[ACCORD_ID_HEXLEN + 1]; /* sorted, owned; NULL when none */
	size_t dep_count;
	char admission[ACCORD_ID_HEXLEN + 1]; /* "" for null */
	int known;	   /* a type this version interprets (else only verified) */
	const cJSON *body; /* borrowed from json */

	char commit[41]; /* the git commit holding it, hex; set by the ledger layer */
	/*
	 * Set by a verification while it runs: 1 + its own number for the
	 * record holding this entry, so finding that record is an array
	 * read, not a hash of the id (verify.c). Checked before it is used:
	 * a number left by another run names another entry.
	 */
	size_t slot;
} accord_entry;

/* What the writer supplies; accord_entry_build serializes it in the fixed order above. */
typedef struct {
	const char *ledger; /* NULL for genesis */
	const accord_pubkey *author;
	int64_t seq;
	const char *prev; /* NULL for a feed's first entry */
	int64_t lamport;
	int64_t time;
	const char *type;
	const char *incident;			  /* NULL when the type concerns no incident */
	const char (*deps)[ACCORD_ID_HEXLEN + 1]; /* sorted by the caller, no duplicates */
	size_t dep_count;
	const char *admission; /* NULL except on a feed's first entry */
	const cJSON *body;
} accord_entry_fields;

/*
 * Serialize `f` into `out` (cleared first) and check the result with
 * accord_entry_parse, so nothing that would be refused on read is ever
 * written. ACCORD_EINVALID with the schema's message otherwise.
 */
int accord_entry_build(accord_buf *out, const accord_entry_fields *f);

/*
 * The encoder under accord_entry_build, for writers that serialize the
 * body themselves (bench/gen): `f` in the fixed order above with `body`
 * (body_len bytes of JSON, as cJSON_PrintUnformatted would print it) as
 * the body, into `out` (cleared first); f->body is not read. Nothing is
 * checked: the caller answers for the body, and accord_entry_parse, which
 * the ledger runs on read, says whether the result is an entry.
 */
void accord_entry_encode(accord_buf *out, const accord_entry_fields *f, const char *body,
			 size_t body_len);

/*
 * Parse and validate exact entry bytes: size limit, strict JSON (UTF-8,
 * duplicate keys, integers), then schemas/entry.schema.json for a known
 * type and schemas/envelope.schema.json for another; deps must be sorted. On success
 * *out owns a copy of the bytes. ACCORD_EINVALID with the reason otherwise.
 */
int accord_entry_parse(accord_entry **out, const char *raw, size_t len);

/*
 * The same without the schemas: for bytes that accord_entry_parse, as
 * this build has it (accord_entry_checks_fingerprint), accepted before,
 * which the caller knows from an authenticated memo (the verification
 * engine's, verify_check.c). Strict JSON and the envelope are still read.
 */
int accord_entry_parse_checked_before(accord_entry **out, const char *raw, size_t len);

/*
 * 32 bytes naming what accord_entry_parse accepts in this build: its
 * checks' version and the schemas compiled in. A memo of entries that
 * passed names it, so a build with other checks does not trust it.
 */
void accord_entry_checks_fingerprint(unsigned char *out);

void accord_entry_free(accord_entry *entry);

/*
 * Keep of a parsed entry only what the rules read (issue 14): free its
 * exact bytes (raw becomes NULL) and blank the free-text fields no rule
 * reads (a note's text, a feedback's comment, reasons, ...), so that a
 * verification of a large ledger does not hold them. For verifiers that
 * never show entries: show and report re-read them from the commits.
 */
void accord_entry_drop_text(accord_entry *entry);

/*
 * Free only a parsed entry's bytes (raw becomes NULL) and the JSON tree
 * of its envelope, whose fields are in the struct: its body stays whole.
 * For readers of fields and bodies that never print an entry's bytes
 * (the report), a third of what an entry holds.
 */
void accord_entry_drop_bytes(accord_entry *entry);

/* Whether this version interprets entries of `type` (else they are kept, verified, not read). */
int accord_entry_type_known(const char *type);

/* Index of `id` in e->deps, or -1. */
int accord_entry_dep_index(const accord_entry *e, const char *id);

/* Body member helpers (borrowed strings, NULL / default when absent). */
const char *accord_entry_str(const accord_entry *e, const char *key);
int64_t accord_entry_int(const accord_entry *e, const char *key, int64_t dflt);

#endif
