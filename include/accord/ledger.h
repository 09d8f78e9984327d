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
	git_oid head; /* the commit of its last entry that counts */
	int64_t seq;  /* entries that count */
	const accord_entry *last;
} accord_feed;

/* Opaque: read it through the functions below. */
typedef struct accord_ledger accord_ledger;

/* Hold every entry of the ledger, not only the incidents asked for (log, export, report). */
#define ACCORD_LEDGER_OPEN_ENTRIES 1u
/*
 * With ACCORD_LEDGER_OPEN_ENTRIES: entries without their bytes (raw is
 * NULL), every field and body kept (accord_entry_drop_bytes), for a reader
 * that prints no entry's bytes (report). Not with opts->heads: those
 * entries are whole.
 */
#define ACCORD_LEDGER_OPEN_NO_BYTES 2u

typedef struct {
	unsigned int version;
	unsigned int flags; /* ACCORD_LEDGER_OPEN_* */
	const accord_head
		*heads; /* judge exactly these feed heads (need not be refs), not the refs */
	size_t head_count;
	const unsigned char *
		cache_key; /* ACCORD_LEDGER_CACHE_KEY_LEN bytes (accord_ledger_cache_key), or NULL */
} accord_ledger_options;

#define ACCORD_LEDGER_OPTIONS_VERSION 1
#define ACCORD_LEDGER_OPTIONS_INIT                              \
	{                                                       \
		ACCORD_LEDGER_OPTIONS_VERSION, 0, NULL, 0, NULL \
	}
#define ACCORD_LEDGER_CACHE_KEY_LEN 32

/*
 * Open the ledger in `store`: what counts of its feed refs (or of
 * opts->heads), as the verification engine judges it. The one way in.
 *
 * With opts->cache_key (and no opts->heads) the ledger keeps a private cache
 * of what this repository already verified (the index, lib/ledger/index.h), so
 * that opening costs O(feeds + new entries); the cache is authenticated
 * with that key and re-derived from the refs, by a full verification,
 * whenever it does not authenticate or the refs moved in a way it cannot
 * follow. Without ACCORD_LEDGER_OPEN_ENTRIES the ledger holds the entries
 * of the incidents found with accord_ledger_find_incident (and may hold
 * more); with it, every entry that counts. `opts` may be NULL (no cache,
 * every entry). ACCORD_ENOTFOUND if the repository (or opts->heads) holds
 * no ledger; ACCORD_EBADSIG if no genesis verifies.
 */
int accord_ledger_open(accord_ledger **out, accord_store *store, const accord_ledger_options *opts);

/*
 * Read the cache key in file `path` (0600), creating it with a fresh
 * random key on first use. It must live outside every repository (the
 * CLI keeps it in the key home): whoever can write the index could
 * otherwise forge it. out: ACCORD_LEDGER_CACHE_KEY_LEN bytes.
 */
int accord_ledger_cache_key(unsigned char *out, const char *path);

/* The ledger id (the genesis entry's id, 64 hex). */
const char *accord_ledger_id(const accord_ledger *ledger);

/* The title its genesis gives (borrowed; "" when it has none). */
const char *accord_ledger_title(const accord_ledger *ledger);

/* Membership and authorization after the last entry that counts (borrowed). */
const accord_parties *accord_ledger_parties(const accord_ledger *ledger);

/* The entries the ledger holds, in ledger order (see accord_ledger_open). */
size_t accord_ledger_entry_count(const accord_ledger *ledger);
const accord_entry *accord_ledger_entry_at(const accord_ledger *ledger, size_t i);

/* Why entries were left out, sorted by feed and seq (borrowed). */
const accord_finding *accord_ledger_findings(const accord_ledger *ledger, size_t *count);

/* How many commits on feed refs do not count. */
size_t accord_ledger_left_out(const accord_ledger *ledger);

/* The feed refs that point past what counts (borrowed). */
const struct accord_beyond *accord_ledger_beyonds(const accord_ledger *ledger, size_t *count);

/* A line of `accord list`: an incident as derived from its entries that count. */
typedef struct {
	char id[ACCORD_ID_HEXLEN + 1];
	char status[16];
	int64_t severity;
	int64_t opened_at;
	int64_t started_at;
	int64_t status_at;
	int64_t customer_seconds; /* as of `now` (accord_incident_customer_seconds) */
	int customer_running;	  /* an open impact window still adds to it */
	char service[256];
	char title[256];
	/* "void" or "duplicate" when every party agreed and it takes effect, else "" */
	char closed_as[16];
	char of[ACCORD_ID_HEXLEN + 1]; /* the incident a duplicate names */
} accord_incident_summary;

/*
 * The summaries of the most recent incidents (at most `limit`, 0 for all),
 * optionally only those with `status` ("open" = not resolved or closed),
 * oldest first, with customer-seconds as of `now`. *total is the number of
 * incidents in the ledger. Caller frees *out.
 */
int accord_ledger_list(accord_incident_summary **out, size_t *count, size_t *total,
		       accord_ledger *ledger, const char *status, size_t limit, int64_t now);

/*
 * The summaries (as accord_ledger_list gives them) of the incidents closed
 * as duplicates of incident `id`, the duplicate in effect: what reports
 * leave out and count at `id`. Through the index it reads those incidents
 * alone, not every one. Caller frees *out.
 */
int accord_ledger_duplicates(accord_incident_summary **out, size_t *count, accord_ledger *ledger,
			     const char *id, int64_t now);

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
	int holes; /* every entry past what counts is set aside alone: the key may write on */
	/*
	 * The highest of its entries past what counts that an entry that counts
	 * has in its causal past (0: none), and its commit: how far down a
	 * causal walk reads the part that does not count (attack35 B 01).
	 */
	int64_t seen_top;
	git_oid seen_at;
} accord_beyond;

/* The ref of feed `keyid` when it points past what counts, else NULL. */
const accord_beyond *accord_ledger_beyond(const accord_ledger *ledger, const char *keyid);

/*
 * The local feed heads (the refs under refs/accord/feeds/), sorted by key id. Caller
 * frees *out with free(). Refs not named by a key id are skipped (audit reports them).
 */
int accord_ledger_local_heads(accord_head **out, size_t *count, accord_store *store);

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
 * clock, then author key id, then sequence number, then entry id for the
 * two sides of a fork): a topological order of the causal graph.
 */
int accord_ledger_order_cmp(const void *a, const void *b);

/*
 * Whether `earlier` is in the causal past of `later` (reachable through
 * prev and deps; an entry is not in its own past): 1 yes, 0 no. Two
 * entries are concurrent when neither is in the other's past. One
 * comparison of frontiers; a ledger opened through the index builds them
 * on the first call, reading its counted feeds back to the clock of
 * `earlier` (the index verified them), and deeper when a later call asks.
 * Negative (ACCORD_ENOTFOUND, or a read error) when `later` is not an
 * entry of this ledger.
 */
int accord_ledger_in_past(const accord_ledger *ledger, const accord_entry *later,
			  const accord_entry *earlier);

/*
 * How many entries this process has read from git to build the frontiers
 * of ledgers opened through the index (accord_ledger_in_past reads only the
 * entries whose clock is at or above the earliest one asked about; those a
 * catch-up just took are not read again): tests count them.
 */
size_t accord_ledger_causal_read_count(void);

/*
 * How many entries this process has put into those frontiers, counting an
 * entry again each time its window's graph is built again: tests count them.
 */
size_t accord_ledger_causal_graph_count(void);

/* How many incident files of the index this process has read: tests count them. */
size_t accord_ledger_index_read_count(void);

/*
 * Keep `ledger`, loaded in full (ACCORD_LEDGER_OPEN_ENTRIES or a sync's
 * keep_ledger) and still current, as the cache that everyday commands
 * read (the index, keyed by `cache_key` as accord_ledger_options), so that
 * the next open need not verify the ledger again. ACCORD_EMODIFIED when
 * the refs moved since it was verified; ACCORD_EINVALID for a ledger
 * opened through the cache.
 */
int accord_ledger_save_index(const accord_ledger *ledger, const unsigned char *cache_key);

/*
 * 1 when the feed refs of the ledger's store are what `ledger` verified:
 * no ref moved, appeared or went since (evidence refs are not compared).
 * 0 otherwise, or when the refs cannot be read.
 */
int accord_ledger_is_current(const accord_ledger *ledger);

/* The feed of `keyid`, or NULL if that key has written nothing. */
const accord_feed *accord_ledger_feed(const accord_ledger *ledger, const char *keyid);

/* The i-th feed that holds entries that count (any order), or NULL past the last one. Borrowed. */
const accord_feed *accord_ledger_feed_at(const accord_ledger *ledger, size_t i);

/* The entry with id `id` (full hex), or NULL. */
const accord_entry *accord_ledger_entry(const accord_ledger *ledger, const char *id);

/*
 * Resolve an incident id prefix (at least 4 hex digits) to its "open"
 * entry, and make the ledger hold that incident's entries.
 * ACCORD_ENOTFOUND, ACCORD_EAMBIGUOUS (listing the candidates) or
 * ACCORD_EINVALID for a malformed prefix.
 */
int accord_ledger_find_incident(const accord_entry **out, accord_ledger *ledger,
				const char *prefix);

/* Shortest unique prefix length (at least `min`) of incident `id` among incident ids. */
size_t accord_ledger_short_len(accord_ledger *ledger, const char *id, size_t min);

/*
 * The party whose member-add a key's first entry accepts (accord_ledger_append)
 * when several parties added the key: accord never chooses for the key's
 * owner, since an offer the key never accepted has no effect. NULL or ""
 * clears it. ACCORD_EINVALID if the name is too long.
 */
int accord_ledger_set_join(accord_ledger *ledger, const char *party);

/*
 * Append an entry by `key` to a ledger opened while holding the store's
 * write lock (accord_store_lock, then accord_ledger_open), so that seq,
 * prev and the Lamport clock are current and checks the caller made on
 * `ledger` still hold. Validates the entry, writes the commit and moves
 * the feed ref by compare-and-swap. ACCORD_EDENIED if the key may not
 * write this entry (not a member, revoked, party not involved);
 * ACCORD_EBADSIG if the key's feed was rolled back below what this
 * repository once verified (checked whether or not a cache exists). On success
 * the new entry is part of `ledger`, so appends can follow; after a failure
 * the ledger may only be freed. On success *out_id (65 bytes, may be
 * NULL) holds the new entry's id. On failure refs/accord/ is unchanged.
 * The caller keeps `body`.
 */
int accord_ledger_append(char *out_id, accord_ledger *ledger, const accord_key *key,
			 const char *type, const char *incident, const cJSON *body);

/*
 * Vouch for `entry`, an entry of another key that this copy holds and that
 * does not count (a side of a fork of that key): append a checkpoint by
 * `key` whose deps name `entry` in place of its feed's head, and that
 * claims it. A side of a fork counts where another key's counted entry
 * depends on it (docs/format.md), so the next open may count it. As
 * accord_ledger_append otherwise, but `ledger` is stale afterwards: open
 * it again (through no index) to see the verdict.
 */
int accord_ledger_vouch(char *out_id, accord_ledger *ledger, const accord_key *key,
			const accord_entry *entry);

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
