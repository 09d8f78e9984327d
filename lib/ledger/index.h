#ifndef ACCORD_INDEX_H
#define ACCORD_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "ledger_impl.h"

/*
 * The index: the ledger module's private cache of what this repository has
 * already verified, so that everyday commands cost O(feeds + size of the
 * incident), not O(size of the ledger). Only lib/ledger/ledger.c opens it
 * (accord_ledger_open); callers never know whether it was used. It lives
 * in <gitdir>/accord/index/ and holds:
 *   state                  the verified feed heads, the Lamport clock, the
 *                          findings, the membership state after the last
 *                          entry, the count of incidents, and each feed's
 *                          furthest verified point (the rollback guard);
 *                          and the tags of the shelf files and of the
 *                          last line of `opens`;
 *   opens                  incident ids in ledger order, each line's tag
 *                          chained to the line before;
 *   incidents/<ab>/shelf   the tags of the bucket files of <ab>;
 *   incidents/<ab>/bucket-<c>
 *                          the ids of the incidents starting with <abc>,
 *                          each with the tag of its file;
 *   incidents/<ab>/<id>    each incident's entry commits in ledger order,
 *                          with its derived summary (for list);
 *   anchors                every 64th entry of each feed (seq, clock,
 *                          commit), where a causal question about old
 *                          entries starts each feed's walk; its tag is in
 *                          the state.
 *
 * Why it can be trusted no further than the refs:
 * - Authenticity. Every file carries a keyed BLAKE2b tag (libsodium
 *   crypto_generichash) under a key derived from the user's cache key
 *   (accord_ledger_cache_key, kept in the key home, outside the repository)
 *   and the repository's path, over the file's name and bytes. Whoever can
 *   write the repository but not the key home cannot make a file that
 *   authenticates, so a checksum recomputed by an editor is worthless here.
 * - Currency. The tags form a tree: the state records each shelf's tag
 *   and the last `opens` line's tag (each line's tag covers its place, its
 *   id and the tag before it); a shelf records each of its buckets' tags,
 *   and a bucket holds its incidents' lines.
 *   So an older file put back, though once authentic, is not the one its
 *   parent records. A file that does not match (edited, truncated,
 *   dropped, put back from earlier, from another repository or user) makes
 *   the ledger re-derive the whole index from the refs by a full
 *   verification; a reader that finds the state moved on since it read it
 *   (another process appended) takes the newer state's tree instead.
 * - Freshness. Opening compares every feed ref and the evidence refs with
 *   the heads the state recorded; new commits are verified (signature,
 *   chain, schema, ledger id, authorization) and recorded; anything else
 *   (a feed rewritten or gone, entries that sort before what is recorded,
 *   new evidence) re-derives the index by a full verification.
 * - Entries read through the index are verified again (signature, schema,
 *   their incident) when they are read.
 * An older state put back is the root of an older tree: consistent with
 * its own recorded heads, it is caught up from the refs, and any file
 * below it that does not match re-derives the index. Whoever can write
 * the repository can also delete the refs, so audit (which never reads
 * the index) stays the reference.
 */

struct accord_index;

/* A digest of refs/accord/evidence/ (names and targets). */
void accord_index_evidence_digest(char *out, accord_store *store);

/*
 * Open the ledger through the index, bringing the index up to date first
 * (taking the write lock for that if the caller does not hold it). The
 * ledger has feeds, membership, id and Lamport clock, but no entries until
 * an incident is loaded. `key`: the cache key (ACCORD_LEDGER_CACHE_KEY_LEN
 * bytes). ACCORD_EBADSIG as accord_ledger_open.
 */
int accord_index_open(accord_ledger **out, accord_store *store, const unsigned char *key);

/*
 * Make the index hold `full`, a ledger verified in full (not read through
 * the index) whose refs have not moved since (checked under the write
 * lock, taken if the caller does not hold it: ACCORD_EMODIFIED if they
 * moved). Only the buckets that changed are written. The next open
 * finds the index up to date instead of verifying the ledger again.
 */
int accord_index_adopt(const accord_ledger *full, const unsigned char *key);

/*
 * Resolve an incident id prefix and load that incident's entries (verified)
 * into `ledger`. ACCORD_ENOTFOUND, ACCORD_EAMBIGUOUS or ACCORD_EINVALID as
 * accord_ledger_find_incident.
 */
int accord_index_find_incident(const accord_entry **out, accord_ledger *ledger, const char *prefix);

/* Shortest unique prefix length (at least `min`) of incident `id`. */
size_t accord_index_short_len(accord_ledger *ledger, const char *id, size_t min);

/* accord_ledger_list through the index. */
int accord_index_list(accord_incident_summary **out, size_t *count, size_t *total,
		      accord_ledger *ledger, const char *status, size_t limit, int64_t now);

/* accord_ledger_duplicates through the index. */
int accord_index_duplicates(accord_incident_summary **out, size_t *count, accord_ledger *ledger,
			    const char *id, int64_t now);

/* accord_ledger_list over the entries a ledger without an index holds (all of them). */
int accord_index_list_entries(accord_incident_summary **out, size_t *count, size_t *total,
			      accord_ledger *ledger, const char *status, size_t limit, int64_t now);

/* Record an entry just appended to an indexed ledger (called by accord_ledger_append). */
int accord_index_record(accord_ledger *ledger, const accord_entry *entry);

/*
 * Refuse (ACCORD_EBADSIG) when feed `keyid`, now ending at `seq`, was once
 * verified further: the index keeps the furthest point of every feed
 * across rebuilds, so a rolled-back feed is never written on again (that
 * would sign a second entry with a used sequence number). Works on any
 * ledger, with or without an index: the marks are read from the state
 * file even when it does not authenticate, since a mark can only refuse.
 */
int accord_index_check_feed(const accord_ledger *ledger, const char *keyid, int64_t seq);

/*
 * Where a walk down feed `keyid` can start to reach every entry of it
 * with a clock up to `ceiling`, instead of at its head: the lowest anchor
 * with a clock at or above it and a seq at most `max_seq` (the feed's
 * head that counts). 1 and the anchor's commit, seq and clock; 0 if the
 * walk must start at the head. Reads the anchors file on first use; one
 * that does not authenticate against the state gives no anchor.
 */
int accord_index_anchor_at(git_oid *commit, int64_t *seq, int64_t *lamport,
			   struct accord_index *index, const char *keyid, int64_t max_seq,
			   int64_t ceiling);

/*
 * accord_ledger_offer and accord_ledger_keep (ledger_impl.h) through the
 * index; ACCORD_INDEX_NEED_FULL when only the engine can judge the offer.
 */
#define ACCORD_INDEX_NEED_FULL 1
int accord_index_offer(accord_ledger **out, int64_t *was, accord_store *store,
		       const unsigned char *cache_key, const accord_head *heads, size_t n,
		       int64_t not_after);
int accord_index_keep(accord_ledger *ledger);

/*
 * Whether entry `earlier` is in entry `later`'s past, as an incident loaded
 * through the index recorded it (its p lines): 1 or 0, -1 if none did.
 */
int accord_index_past(const struct accord_index *index, const char *later, const char *earlier);

/* Free what the index part of a ledger holds (called by accord_ledger_free). */
void accord_index_free(struct accord_index *index);

#endif
