#ifndef ACCORD_LEDGER_H
#define ACCORD_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "accord/entry.h"
#include "accord/key.h"
#include "accord/party.h"
#include "accord/store.h"
#include "accord/verify.h"

/*
 * The ledger: the entries of refs/accord/feeds/ that count, as the
 * verification engine (verify.h) judged them, in one order that every copy
 * agrees on: by Lamport clock, then author key id, then sequence number.
 *
 * Loading never fails because of an entry: what does not count is left out
 * and described in `findings` (a reading command says how many it left
 * out). It fails only when no genesis entry of this ledger verifies.
 */

/* A feed as far as it counts. */
typedef struct {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	git_oid head;	/* the commit of its last entry that counts */
	int64_t seq;	/* entries that count */
	const accord_entry *last;
} accord_feed;

typedef struct {
	accord_store *store; /* borrowed */
	char id[ACCORD_ID_HEXLEN + 1];
	const accord_entry *genesis;
	accord_entry **entries; /* owned, in ledger order */
	size_t count;
	accord_feed *feeds;
	size_t feed_count;
	int64_t max_lamport;
	accord_parties parties; /* membership and authorization after the last entry */
	accord_entry **orphans; /* checked but not written (a failed append); freed with the ledger */
	size_t orphan_count;
	struct accord_index *index; /* set when opened through the index (index.h): entries are partial */
	accord_finding *findings;   /* why entries were left out, sorted by feed and seq */
	size_t finding_count;
	size_t left_out;	    /* commits on feeds that do not count */
	struct accord_beyond *beyond; /* feed refs pointing past what counts (or at nothing that does) */
	size_t beyond_count;
} accord_ledger;

/*
 * The entries signed by `keyid` that this copy holds but that do not count
 * (past a fork, a bad entry or a revocation): its feed ref beyond what
 * counts, and with `with_evidence` its evidence chains too (the other
 * machine's branch of a fork). Each is checked on its own (signature by
 * that key, schema), so they are the key's own words. Sorted by time, then
 * seq; duplicates (one entry on two refs) once. What a member re-records
 * under a new key (accord recover). Caller frees each entry and the array.
 */
int accord_ledger_excluded(accord_entry ***out, size_t *count, const accord_ledger *ledger,
			   const char *keyid, int with_evidence);

/* A feed ref that points past what counts. */
typedef struct accord_beyond {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	git_oid head;	   /* where the ref points */
	git_oid first_out; /* the first commit of its chain that does not count (zero: none read) */
	int64_t first_seq; /* its seq (its place in the chain when it has none) */
} accord_beyond;

/* The ref of feed `keyid` when it points past what counts, else NULL. */
const accord_beyond *accord_ledger_beyond(const accord_ledger *ledger, const char *keyid);

/*
 * The ledger that a verification's verdicts leave (what counts), taking
 * what it needs from `v` (which must still be freed). ACCORD_EBADSIG if no
 * genesis counts.
 */
int accord_ledger_from_verification(accord_ledger **out, accord_store *store,
				    accord_verification *v);

/*
 * Load the ledger in `store` (its feed refs). ACCORD_ENOTFOUND if the
 * repository holds no ledger; ACCORD_EBADSIG if no genesis verifies.
 */
int accord_ledger_load(accord_ledger **out, accord_store *store);

/*
 * The local feed heads (the refs under refs/accord/feeds/), sorted by key id. Caller
 * frees *out with free(). Refs not named by a key id are skipped (audit reports them).
 */
int accord_ledger_local_heads(accord_head **out, size_t *count, accord_store *store);

/*
 * Load the ledger made of exactly these feed heads, which need not be refs.
 * ACCORD_ENOTFOUND for no heads; ACCORD_EBADSIG when no genesis verifies.
 */
int accord_ledger_load_heads(accord_ledger **out, accord_store *store, const accord_head *heads,
			     size_t count);

/*
 * Verify one commit of feed `keyid` and parse its entry: form, signature
 * by the entry's author, feed, schema, seq (= expect_seq) and chain to
 * `prev` (the feed's previous entry, NULL for the first). Authorization
 * and the ledger id are checked over the whole ledger, not here. With
 * expect_seq 0 the seq and chain checks are skipped (re-reading an entry
 * whose place was verified before); with `keyid` NULL, so is the feed check.
 * ACCORD_EBADSIG with a message naming the commit and the reason.
 */
int accord_ledger_verify_commit(accord_entry **out, const accord_commit *c, const char *keyid,
				const accord_entry *prev, int64_t expect_seq);

void accord_ledger_free(accord_ledger *ledger);

/*
 * qsort comparator over accord_entry pointers: ledger order (Lamport
 * clock, then author key id, then sequence number).
 */
int accord_ledger_order_cmp(const void *a, const void *b);

/* The feed of `keyid`, or NULL if that key has written nothing. */
const accord_feed *accord_ledger_feed(const accord_ledger *ledger, const char *keyid);

/* The entry with id `id` (full hex), or NULL. */
const accord_entry *accord_ledger_entry(const accord_ledger *ledger, const char *id);

/*
 * Resolve an incident id prefix (at least 4 hex digits) to the id of an
 * "open" entry. ACCORD_ENOTFOUND, ACCORD_EAMBIGUOUS (listing the
 * candidates) or ACCORD_EINVALID for a malformed prefix.
 */
int accord_ledger_find_incident(const accord_entry **out, const accord_ledger *ledger,
				const char *prefix);

/* Shortest unique prefix length (at least 8) for `id` among incident ids. */
size_t accord_ledger_short_len(const accord_ledger *ledger);

/*
 * Append an entry by `key` to a ledger loaded while holding the store's
 * write lock (accord_store_lock, then accord_ledger_load), so that seq,
 * prev and the Lamport clock are current and checks the caller made on
 * `ledger` still hold. Validates the entry, writes the commit and moves
 * the feed ref by compare-and-swap. ACCORD_EDENIED if the key may not
 * write this entry (not a member, revoked, party not involved). On success
 * the new entry is part of `ledger`, so appends can follow; after a failure
 * the ledger may only be freed. On success *out_id (65 bytes, may be
 * NULL) holds the new entry's id. On failure refs/accord/ is unchanged.
 * The caller keeps `body`.
 */
int accord_ledger_append(char *out_id, accord_ledger *ledger, const accord_key *key,
			 const char *type, const char *incident, const cJSON *body);

/*
 * Write a genesis entry founding party `party` with `key` as its root
 * key (member name from the key), committing to the recovery key whose
 * SHA-256 is `recovery` (64 hex, NULL for none). ACCORD_EEXISTS if the
 * repository already holds a ledger. The ledger id is recorded in git
 * config accord.ledger. *out_id receives it (65 bytes).
 */
int accord_ledger_create(char *out_id, accord_store *store, const accord_key *key,
			 const char *party, const char *title, const char *recovery);

/* The SHA-256 (hex, 65 bytes) of a public key: what a party commits to for its recovery key. */
void accord_recovery_hash(char *out, const accord_pubkey *key);

#endif
