#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "encode.h"
#include "accord/entry.h"
#include "accord/error.h"
#include "json.h"
#include "schema.h"
#include "accord/timefmt.h"
#include "alloc.h"
#include "schemas_gen.h"

/*
 * The types this version interprets. A type added here needs its schema in
 * entry.schema.json; any other type is checked against envelope.schema.json.
 */
static const char *const known_types[] = {
	"genesis",    "open",	       "note",	       "status",       "impact",
	"sla",	      "feedback",      "party-invite", "party-accept", "party-recover",
	"member-add", "member-revoke", "involve",      "resolution",   "cosign",
	"action",     "checkpoint",    "ticket",       "amend",	       "retract",
	"void",	      "duplicate",     "key-rotate",   "agreement",    "dispute",
};

int accord_entry_type_known(const char *type)
{
	size_t i;

	for (i = 0; type && i < sizeof(known_types) / sizeof(known_types[0]); i++)
		if (!strcmp(type, known_types[i]))
			return 1;
	return 0;
}

int accord_entry_dep_index(const accord_entry *e, const char *id)
{
	size_t lo = 0, hi = e->dep_count;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(e->deps[mid], id);

		if (!c)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static void put_hex_or_null(accord_buf *out, const char *hex)
{
	if (hex && *hex)
		accord_buf_printf(out, "\"%s\"", hex);
	else
		accord_buf_puts(out, "null");
}

void accord_entry_encode(accord_buf *out, const accord_entry_fields *f, const char *body,
			 size_t body_len)
{
	char author[2 * sizeof(f->author->pk) + 1], when[ACCORD_TIME_LEN];
	size_t i;

	accord_hex_encode(author, f->author->pk, sizeof(f->author->pk));
	accord_time_format(when, f->time);
	accord_buf_clear(out);
	accord_buf_printf(out, "{\"v\":%d,\"ledger\":", ACCORD_ENTRY_VERSION);
	put_hex_or_null(out, f->ledger);
	accord_buf_printf(out, ",\"author\":\"%s\",\"seq\":%lld,\"prev\":", author,
			  (long long)f->seq);
	put_hex_or_null(out, f->prev);
	accord_buf_printf(out, ",\"lamport\":%lld,\"time\":\"%s\",\"type\":", (long long)f->lamport,
			  when);
	accord_buf_put_json_str(out, f->type);
	accord_buf_puts(out, ",\"incident\":");
	put_hex_or_null(out, f->incident);
	accord_buf_puts(out, ",\"deps\":[");
	for (i = 0; i < f->dep_count; i++)
		accord_buf_printf(out, "%s\"%s\"", i ? "," : "", f->deps[i]);
	accord_buf_puts(out, "],\"admission\":");
	put_hex_or_null(out, f->admission);
	accord_buf_puts(out, ",\"body\":");
	accord_buf_put(out, body, body_len);
	accord_buf_putc(out, '}');
}

int accord_entry_build(accord_buf *out, const accord_entry_fields *f)
{
	accord_entry *check = NULL;
	char *body;
	int error;

	body = cJSON_PrintUnformatted(f->body);
	if (!body)
		return accord_error_set(ACCORD_ENOMEM, "can't serialize the entry body");
	accord_entry_encode(out, f, body, strlen(body));
	cJSON_free(body);

	error = accord_entry_parse(&check, out->ptr, out->size);
	accord_entry_free(check);
	return error;
}

static void copy_hex_field(char *dst, const cJSON *json, const char *key)
{
	const char *s = accord_json_str(json, key);

	dst[0] = '\0';
	if (s)
		snprintf(dst, ACCORD_ID_HEXLEN + 1, "%s", s);
}

/* deps: copied out, strictly ascending (one valid encoding of a set). */
static int copy_deps(accord_entry *e)
{
	const cJSON *deps = cJSON_GetObjectItemCaseSensitive(e->json, "deps"), *d;
	size_t n = 0;

	e->dep_count = (size_t)cJSON_GetArraySize(deps);
	if (!e->dep_count)
		return 0;
	e->deps = accord_xcalloc(e->dep_count, sizeof(*e->deps));
	cJSON_ArrayForEach(d, deps) {
		if (!cJSON_IsString(d) || strlen(d->valuestring) != ACCORD_ID_HEXLEN)
			return accord_error_set(ACCORD_EINVALID, "deps: not an entry id");
		memcpy(e->deps[n], d->valuestring, ACCORD_ID_HEXLEN + 1);
		if (n && strcmp(e->deps[n - 1], e->deps[n]) >= 0)
			return accord_error_set(
				ACCORD_EINVALID,
				"deps are not sorted without duplicates (one encoding per entry)");
		n++;
	}
	return 0;
}

static int parse(accord_entry **out, const char *raw, size_t len, int validate)
{
	accord_schema_registry *reg = NULL;
	accord_entry *e;
	const char *s;
	int error;

	if (len > ACCORD_ENTRY_MAX)
		return accord_error_set(ACCORD_EINVALID,
					"entry is %zu bytes, larger than the %d-byte limit", len,
					ACCORD_ENTRY_MAX);
	e = accord_xcalloc(1, sizeof(*e));
	if ((error = accord_json_parse_strict(&e->json, raw, len, ACCORD_ENTRY_MAX, 1)) < 0)
		goto fail;
	s = cJSON_IsObject(e->json) ? accord_json_str(e->json, "type") : NULL;
	e->known = accord_entry_type_known(s);
	/* another format version: say so, not which value each type's schema wants (attack135 01) */
	if (validate && cJSON_IsObject(e->json)) {
		int64_t v;

		if (accord_json_int(&v, e->json, "v") == 0 && v != ACCORD_ENTRY_VERSION) {
			error = accord_error_set(
				ACCORD_EINVALID,
				"/v: entry format version %lld; this accord reads version %d only (a newer accord may read it)",
				(long long)v, ACCORD_ENTRY_VERSION);
			goto fail;
		}
	}
	if (validate && ((error = accord_schema_builtin(&reg)) < 0 ||
			 (error = accord_schema_validate(
				  reg,
				  e->known || !s ? ACCORD_SCHEMA_BASE "entry.schema.json"
						 : ACCORD_SCHEMA_BASE "envelope.schema.json",
				  e->json)) < 0))
		goto fail;
	e->raw = accord_xmalloc(len + 1);
	memcpy(e->raw, raw, len);
	e->raw[len] = '\0';
	e->raw_len = len;
	accord_sha256(e->hash, raw, len);
	accord_hex_encode(e->id, e->hash, sizeof(e->hash));

	/* The schema guarantees the shapes below; parse defensively all the same. */
	copy_hex_field(e->ledger, e->json, "ledger");
	copy_hex_field(e->prev, e->json, "prev");
	copy_hex_field(e->incident, e->json, "incident");
	copy_hex_field(e->admission, e->json, "admission");
	if ((error = copy_deps(e)) < 0)
		goto fail;
	s = accord_json_str(e->json, "author");
	if (!s || accord_hex_decode(e->author.pk, sizeof(e->author.pk), s) < 0) {
		error = accord_error_set(ACCORD_EINVALID, "entry author is not a public key");
		goto fail;
	}
	accord_pubkey_set_id(&e->author);
	s = accord_json_str(e->json, "type");
	snprintf(e->type, sizeof(e->type), "%s", s ? s : "");
	s = accord_json_str(e->json, "time");
	if ((error = accord_json_int(&e->seq, e->json, "seq")) < 0 ||
	    (error = accord_json_int(&e->lamport, e->json, "lamport")) < 0 || !s ||
	    (error = accord_time_parse_canonical(&e->time, s)) < 0) {
		error = accord_error_wrap(ACCORD_EINVALID, "entry envelope");
		goto fail;
	}
	if (e->admission[0] && e->seq != 1) {
		error = accord_error_set(ACCORD_EINVALID,
					 "only a feed's first entry names an admission");
		goto fail;
	}
	e->body = cJSON_GetObjectItemCaseSensitive(e->json, "body");
	*out = e;
	return 0;
fail:
	accord_entry_free(e);
	return error < 0 ? error : ACCORD_EINVALID;
}

int accord_entry_parse(accord_entry **out, const char *raw, size_t len)
{
	return parse(out, raw, len, 1);
}

int accord_entry_parse_checked_before(accord_entry **out, const char *raw, size_t len)
{
	return parse(out, raw, len, 0);
}

/*
 * What accord_entry_parse accepts: its code (bump ENTRY_CHECKS when it
 * changes what it refuses) and the schemas compiled in.
 */
#define ENTRY_CHECKS "accord entry checks 1"

void accord_entry_checks_fingerprint(unsigned char *out)
{
	const struct accord_embedded_file *f;
	crypto_hash_sha256_state st;
	unsigned char len[8];
	size_t i;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)ENTRY_CHECKS, sizeof(ENTRY_CHECKS));
	for (f = accord_schema_files; f->name; f++) {
		crypto_hash_sha256_update(&st, (const unsigned char *)f->name, strlen(f->name) + 1);
		for (i = 0; i < 8; i++)
			len[i] = (unsigned char)((uint64_t)f->len >> (56 - 8 * i));
		crypto_hash_sha256_update(&st, len, sizeof(len));
		crypto_hash_sha256_update(&st, (const unsigned char *)f->data, f->len);
	}
	crypto_hash_sha256_final(&st, out);
}

void accord_entry_free(accord_entry *entry)
{
	if (!entry)
		return;
	free(entry->raw);
	free(entry->deps);
	cJSON_Delete(entry->json);
	free(entry);
}

/*
 * Free text that no rule reads: the authorization replay (party.c), the
 * causal checks and an incident's derivation (incident.c: its marks and
 * action ids) read none of these, only show and report print them.
 * Action texts of a resolution are not here: action ids are derived
 * from them.
 */
static const struct {
	const char *type, *field;
} free_text[] = {
	{ "note", "text" },	     { "feedback", "comment" },
	{ "impact", "description" }, { "status", "note" },
	{ "action", "note" },	     { "amend", "reason" },
	{ "duplicate", "reason" },   { "retract", "reason" },
	{ "void", "reason" },	     { "member-revoke", "reason" },
};

void accord_entry_drop_bytes(accord_entry *e)
{
	cJSON *body;

	free(e->raw);
	e->raw = NULL;
	e->raw_len = 0;
	/* the envelope is in the struct's fields: of the tree, only the body is read */
	if (e->json != e->body && /* not dropped already: a body may hold a "body" */
	    (body = cJSON_DetachItemFromObjectCaseSensitive(e->json, "body"))) {
		cJSON_Delete(e->json);
		e->json = body;
		e->body = body;
	}
}

void accord_entry_drop_text(accord_entry *e)
{
	size_t i;

	accord_entry_drop_bytes(e);
	if (!e->known)
		return;
	for (i = 0; i < sizeof(free_text) / sizeof(*free_text); i++) {
		cJSON *t;

		if (strcmp(e->type, free_text[i].type) != 0 ||
		    !cJSON_IsString(
			    t = cJSON_GetObjectItemCaseSensitive(e->body, free_text[i].field)))
			continue;
		/*
		 * "" in its place: present, as the schema found it, and without
		 * its bytes. A reference to a constant, which cJSON_Delete leaves.
		 */
		cJSON_free(t->valuestring);
		t->valuestring = (char *)"";
		t->type |= cJSON_IsReference;
	}
}

const char *accord_entry_str(const accord_entry *e, const char *key)
{
	return accord_json_str(e->body, key);
}

int64_t accord_entry_int(const accord_entry *e, const char *key, int64_t dflt)
{
	int64_t v;

	return accord_json_int(&v, e->body, key) == 0 ? v : dflt;
}
