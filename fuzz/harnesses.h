/*
 * The fuzzing targets, shared by the libFuzzer harnesses (fuzz/<name>.c,
 * built by `make fuzz`) and by tests/test_fuzz_regress.c, which replays every
 * input kept in tests/fixtures/fuzz/ through the same code under `make test`.
 * Each target must never crash, leak or hang, whatever the bytes.
 */
#ifndef ACCORD_FUZZ_HARNESSES_H
#define ACCORD_FUZZ_HARNESSES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <accord.h>

/* the parsers fuzzed live behind the library's private headers */
#include "json.h"
#include "schema.h"
#include "sshsig.h"

/* Entry bytes: size limit, strict JSON, schema, envelope. */
static inline int fuzz_entry(const uint8_t *data, size_t size)
{
	accord_entry *e = NULL;

	if (accord_entry_parse(&e, (const char *)data, size) == 0) {
		/* what a parsed entry promises */
		if (strlen(e->id) != ACCORD_ID_HEXLEN || e->raw_len != size || e->seq < 1)
			__builtin_trap();
		accord_entry_free(e);
	}
	return 0;
}

/* "armor NUL message": an SSHSIG over a message, in the "git" namespace. */
static inline int fuzz_sshsig(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t alen = nul ? (size_t)(nul - data) : size;
	const uint8_t *msg = nul ? nul + 1 : data + size;
	size_t mlen = nul ? size - alen - 1 : 0;
	accord_pubkey signer;

	accord_sshsig_verify(&signer, (const char *)data, alen, "git", msg, mlen);
	return 0;
}

/* Strict JSON; the first byte chooses integers-only and the size limit. */
static inline int fuzz_json(const uint8_t *data, size_t size)
{
	cJSON *j = NULL;

	if (size < 1)
		return 0;
	if (accord_json_parse_strict(&j, (const char *)data + 1, size - 1,
				     data[0] & 2 ? 64 : ACCORD_ENTRY_MAX, data[0] & 1) == 0)
		cJSON_Delete(j);
	accord_utf8_valid((const char *)data, size);
	return 0;
}

/* Raw commit objects, as the store splits them for signature checking. */
static inline int fuzz_commit(const uint8_t *data, size_t size)
{
	accord_commit *c = NULL;

	if (accord_commit_parse(&c, (const char *)data, size) == 0) {
		if (c->message_len > size || c->payload.size > size + 1)
			__builtin_trap();
		accord_commit_free(c);
	}
	return 0;
}

/* The schema validator on the builtin registry: first byte picks the schema, the rest is any JSON. */
static inline int fuzz_schema(const uint8_t *data, size_t size)
{
	static const char *uris[] = {
		ACCORD_SCHEMA_BASE "entry.schema.json",
		ACCORD_SCHEMA_BASE "open.schema.json",
		ACCORD_SCHEMA_BASE "resolution.schema.json",
		ACCORD_SCHEMA_BASE "checkpoint.schema.json",
		ACCORD_SCHEMA_BASE "audit.schema.json",
		ACCORD_SCHEMA_BASE "common.schema.json#/definitions/envelope",
		ACCORD_SCHEMA_BASE "common.schema.json#/definitions/line",
		ACCORD_SCHEMA_BASE "party-invite.schema.json",
	};
	accord_schema_registry *reg = NULL;
	cJSON *j;

	if (size < 1 || accord_schema_builtin(&reg) < 0)
		return 0;
	j = cJSON_ParseWithLength((const char *)data + 1, size - 1);
	if (!j)
		return 0;
	accord_schema_validate(reg, uris[data[0] % (sizeof(uris) / sizeof(uris[0]))], j);
	cJSON_Delete(j);
	return 0;
}

#endif
