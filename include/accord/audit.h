#ifndef ACCORD_AUDIT_H
#define ACCORD_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "accord/entry.h"
#include "accord/key.h"
#include "accord/party.h"
#include "accord/store.h"

/*
 * The audit: every commit of every feed (and of every evidence ref)
 * checked on its own, then the feeds' chains, the ledger id, the
 * authorization replay in ledger order, the partners' checkpoints and
 * the heads a previous clean audit recorded. Unlike accord_ledger_load,
 * it does not stop at the first problem: every problem becomes a
 * finding, and the audit goes on (docs/audit.md says how it continues
 * past a broken feed).
 */

typedef enum {
	ACCORD_AUDIT_ENTRY_MODIFIED,	 /* (1) bytes changed after signing, proven by the chain or a record */
	ACCORD_AUDIT_WRONG_SIGNER,	 /* (2) valid signature, but by a key other than the author */
	ACCORD_AUDIT_ENTRY_MISSING,	 /* (3) sequence numbers skip: an entry was removed */
	ACCORD_AUDIT_REORDERED,		 /* (4) sequence numbers run backwards in the chain */
	ACCORD_AUDIT_ROLLBACK,		 /* (5) a feed no longer extends a head verified before */
	ACCORD_AUDIT_EQUIVOCATION,	 /* (6) two signed entries with one author and seq */
	ACCORD_AUDIT_FOREIGN_LEDGER,	 /* (7) an entry or feed of another ledger */
	ACCORD_AUDIT_UNKNOWN_KEY,	 /* (8) signed by a key of no party */
	ACCORD_AUDIT_REVOKED_KEY,	 /* (9) signed by a key after its revocation */
	ACCORD_AUDIT_BAD_COSIGN,	 /* (10) a cosign naming a missing or altered proposal */
	ACCORD_AUDIT_MALFORMED_ENTRY,	 /* (11) not strict JSON, bad UTF-8, duplicate keys, too big */
	ACCORD_AUDIT_UNKNOWN_TYPE,	 /* (12) an entry type no schema knows */
	ACCORD_AUDIT_UNKNOWN_FIELD,	 /* (12) a field no schema knows (a blame field, say) */
	ACCORD_AUDIT_SIGNATURE_MISMATCH, /* (13) the signature does not verify over the commit */
	ACCORD_AUDIT_UNKNOWN_REF,	 /* (14) a ref under refs/accord/ outside the layout */
	ACCORD_AUDIT_SPLIT_VIEW,	 /* a partner's checkpoint contradicts this copy */
	ACCORD_AUDIT_TIME_BACKWARDS,	 /* time runs backwards in a feed beyond the tolerance */
	ACCORD_AUDIT_SCHEMA_VIOLATION,	 /* a known field with a value its schema refuses */
	ACCORD_AUDIT_CHAIN_BROKEN,	 /* prev or Lamport clock does not follow the feed */
	ACCORD_AUDIT_WRONG_FEED,	 /* an entry stored in another key's feed */
	ACCORD_AUDIT_BAD_COMMIT,	 /* commit form: headers, tree, time, parents, object type */
	ACCORD_AUDIT_NOT_AUTHORIZED,	 /* any other authorization failure */
	ACCORD_AUDIT_KIND_COUNT
} accord_audit_kind;

/* The kind's stable name ("entry-modified", ...), as in --json and docs/audit.md. */
const char *accord_audit_kind_name(accord_audit_kind kind);
/* One line saying what the kind means, for reports. */
const char *accord_audit_kind_summary(accord_audit_kind kind);

typedef struct {
	accord_audit_kind kind;
	char feed[ACCORD_KEYID_HEXLEN + 1]; /* "" when about no feed (a ref) */
	int64_t seq;			    /* 0 when unknown */
	char commit[41];		    /* "" when none */
	char entry[ACCORD_ID_HEXLEN + 1];   /* "" when the bytes are no entry */
	char *ref;			    /* the ref it was found under */
	char *explanation;
	char label[160]; /* member@party of the feed, or the key id prefix */
} accord_audit_finding;

typedef struct {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	size_t entries;	 /* commits read */
	size_t verified; /* entries with no finding */
	int64_t head_seq;
	char head_commit[41];
	char head_entry[ACCORD_ID_HEXLEN + 1];
	int64_t broken_at;     /* seq (or position) of the first finding, 0 if none */
	int64_t witnessed_seq; /* highest seq a partner's checkpoint names, 0 if none */
	char witnessed_by[160];
	char label[160];
} accord_audit_feed;

typedef struct {
	char ledger[ACCORD_ID_HEXLEN + 1]; /* "" if no genesis could be found */
	char title[256];
	int64_t tolerance;
	accord_audit_feed *feeds; /* sorted by key id */
	size_t feed_count;
	accord_audit_finding *findings; /* in the order found: feeds, evidence, ledger, refs */
	size_t finding_count;
	size_t entries;	 /* commits read on feeds */
	size_t verified; /* of those, entries with no finding */
	size_t evidence; /* commits read under refs/accord/evidence/ */
	size_t checkpoints;
	int64_t first_time, last_time; /* period covered by verified entries (0 if none) */
	int had_record; /* a record of verified heads was compared */
	accord_parties parties; /* authorization state after the replay */
	/* private */
	accord_entry **owned;
	size_t owned_count;
} accord_audit;

typedef struct {
	unsigned int version;
	int64_t tolerance; /* seconds time may run backwards within a feed */
	int threads;	   /* signature checking threads; 0 = one per CPU (at most 8) */
} accord_audit_options;

#define ACCORD_AUDIT_OPTIONS_VERSION 1
#define ACCORD_AUDIT_DEFAULT_TOLERANCE 300
#define ACCORD_AUDIT_OPTIONS_INIT { ACCORD_AUDIT_OPTIONS_VERSION, ACCORD_AUDIT_DEFAULT_TOLERANCE, 0 }

/*
 * Audit the ledger in `store`. Findings are results, not failures: the
 * return is 0 whenever the audit ran (check (*out)->finding_count).
 * ACCORD_ENOTFOUND if the repository holds nothing under refs/accord/;
 * ACCORD_ERROR for I/O failures. `opts` may be NULL. Free with
 * accord_audit_free().
 */
int accord_audit_run(accord_audit **out, accord_store *store, const accord_audit_options *opts);

void accord_audit_free(accord_audit *audit);

/*
 * The record of verified heads, <gitdir>/accord/verified-heads: one line
 * "<key id> <seq> <entry id> <commit>" per feed after a comment line
 * "# accord verified heads <ledger id> <time>". A later audit reports any
 * feed that no longer extends its recorded head as a rollback.
 */
typedef struct {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	int64_t seq;
	char entry[ACCORD_ID_HEXLEN + 1];
	char commit[41];
} accord_verified_head;

/*
 * Read the record. ACCORD_ENOTFOUND if there is none, ACCORD_EINVALID if
 * it is malformed. *ledger (65 bytes, may be NULL) gets the ledger id it
 * was written for. Caller frees *out with free().
 */
int accord_audit_heads_read(accord_verified_head **out, size_t *count, char *ledger,
			    accord_store *store);

/*
 * Record the heads of a clean audit (atomically, by rename). Refuses
 * (ACCORD_EINVALID) an audit with findings: only verified heads are kept.
 */
int accord_audit_heads_write(accord_store *store, const accord_audit *audit);

#endif
