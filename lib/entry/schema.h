#ifndef ACCORD_SCHEMA_H
#define ACCORD_SCHEMA_H

#include <cJSON.h>

/*
 * A JSON Schema (draft-07) validator that interprets schema documents,
 * so schemas/ stays the single source of truth. Supported keywords are
 * listed in docs/schemas.md; unsupported keywords in a schema are an error
 * when the schema is added (never silently ignored).
 *
 * A registry holds schema documents keyed by their "$id" (an absolute
 * URI). "$ref" is resolved against the enclosing "$id" base, with JSON
 * pointers and plain-name fragments, across documents in the registry.
 */
typedef struct accord_schema_registry accord_schema_registry;

int accord_schema_registry_new(accord_schema_registry **out);
void accord_schema_registry_free(accord_schema_registry *reg);

/*
 * Add a schema document. `base_uri` names it when it has no "$id" (may be
 * NULL if it has one). The registry takes ownership of `doc` on success
 * only. ACCORD_EINVALID if it uses an unsupported keyword.
 */
int accord_schema_registry_add(accord_schema_registry *reg, cJSON *doc, const char *base_uri);

/*
 * Validate `instance` against the schema at `uri` (an "$id", optionally
 * with a fragment). 0 if valid; ACCORD_EINVALID if not, with a message
 * naming the failing location (JSON pointer into the instance) and the
 * keyword, e.g. "/body/severity: 7 is greater than maximum 4".
 * ACCORD_ENOTFOUND if `uri` is not in the registry.
 */
int accord_schema_validate(accord_schema_registry *reg, const char *uri, const cJSON *instance);

/* What made the last failed accord_schema_validate() of this thread fail. */
typedef enum {
	ACCORD_SCHEMA_BAD_VALUE = 0, /* a value the schema refuses (or a missing field) */
	ACCORD_SCHEMA_UNKNOWN_FIELD, /* a field the schema does not know */
} accord_schema_failure;

accord_schema_failure accord_schema_last_failure(void);

/*
 * The registry of accord's own schemas (the files of schemas/, compiled in).
 * Built on first use; owned by the library (freed by accord_schema_builtin_free()).
 */
int accord_schema_builtin(accord_schema_registry **out);
void accord_schema_builtin_free(void);
/* How many times this process has built them (tests count it). */
size_t accord_schema_builtin_builds(void);

/*
 * Base URI under which the builtin registry knows accord's schemas:
 * entry.schema.json is ACCORD_SCHEMA_BASE "entry.schema.json". The files' own
 * $ids are relative (their file names), so any validator resolves their
 * $refs from wherever the files are (file://...) with no registry of ours;
 * the base is a URN the project owns, never a domain that could lapse.
 */
#define ACCORD_SCHEMA_BASE "urn:accord:schemas/"

/*
 * As accord_schema_registry_add(), but keys that are not keywords are
 * ignored, as draft-07 says, instead of refused. For third-party schemas
 * (the JSON-Schema-Test-Suite); accord's own schemas use the strict form.
 */
int accord_schema_registry_add_lenient(accord_schema_registry *reg, cJSON *doc,
				       const char *base_uri);

/*
 * Check that every "$ref" in the registry resolves to a schema in it.
 * ACCORD_ENOTFOUND naming the first that does not. accord_schema_builtin()
 * runs it, so a dangling reference in schemas/ fails at first use.
 */
int accord_schema_registry_check(accord_schema_registry *reg);

#endif
