#ifndef ACCORD_LEDGER_H
#define ACCORD_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "accord/entry.h"
#include "accord/key.h"
#include "accord/party.h"
#include "accord/store.h"

/*
 * The ledger: every feed under refs/accord/feeds/, read and verified.
 *
 * Loading checks, for every entry: the commit's form (empty tree, one
 * parent per previous entry, no extra headers, committer time = entry
 * time), the SSH signature over the exact commit bytes by the entry's
 * author, the feed ref naming that author, the schema, the hash chain
 * (prev = id of the parent entry, seq counting up from 1, Lamport clock
 * increasing), the ledger id, and authorization (party.h) at the entry's
 * place in ledger order. Any failure fails the load with
 * ACCORD_EBADSIG and a message naming the commit, the feed and the reason:
 * nothing unverified is ever handed to a caller.
 *
 * Entries are then put in one order that every copy of the ledger
 * agrees on: by Lamport clock, then author key id, then sequence number.
 */

typedef struct {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	git_oid head;
	int64_t seq; /* entries in the feed */
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
} accord_ledger;

/*
 * Load and verify the ledger in `store`. ACCORD_ENOTFOUND if the
 * repository holds no ledger; ACCORD_EBADSIG on any verification failure.
 */
int accord_ledger_load(accord_ledger **out, accord_store *store);

/* A feed head: the key id and the commit at the tip of its feed. */
typedef struct {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	git_oid head;
} accord_head;

/*
 * The local feed heads (the refs under refs/accord/feeds/), sorted by key id. Caller
 * frees *out with free(). ACCORD_EBADSIG for a feed ref not named by a key id.
 */
int accord_ledger_local_heads(accord_head **out, size_t *count, accord_store *store);

/*
 * Load and verify the ledger made of exactly these feed heads, which need
 * not be refs (sync verifies fetched heads this way before taking them).
 * On a verification failure `failed_feed` (33 bytes, may be NULL) names
 * the feed whose entry failed.
 */
int accord_ledger_load_heads(accord_ledger **out, accord_store *store, const accord_head *heads,
			     size_t count, char *failed_feed);

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
 * key (member name from the key). ACCORD_EEXISTS if the repository
 * already holds a ledger. The ledger id is recorded in git config
 * accord.ledger. *out_id receives it (65 bytes).
 */
int accord_ledger_create(char *out_id, accord_store *store, const accord_key *key,
			 const char *party, const char *title);

#endif
