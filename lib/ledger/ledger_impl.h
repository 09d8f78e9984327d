#ifndef ACCORD_LEDGER_IMPL_H
#define ACCORD_LEDGER_IMPL_H

/*
 * The ledger's inside, for the library's own modules (report, incident,
 * sync, the index): never installed, never included by cmd/. Everyone
 * else reads a ledger through include/accord/ledger.h.
 */

#include "accord/idmap.h"
#include "accord/ledger.h"

struct accord_index;

/* A digest of refs/accord/evidence/ (names and targets) into `out` (64 hex + NUL). */
void accord_ledger_evidence_digest(char *out, accord_store *store);

struct accord_ledger {
	accord_store *store; /* borrowed */
	char id[ACCORD_ID_HEXLEN + 1];
	const accord_entry *genesis;
	accord_entry **entries; /* owned, in ledger order */
	size_t count;
	accord_feed *feeds;
	size_t feed_count;
	int64_t max_lamport;
	accord_parties parties; /* membership and authorization after the last entry */
	accord_entry *
		*orphans; /* checked but not written (a failed append); freed with the ledger */
	size_t orphan_count;
	struct accord_index *index; /* the private cache (index.h): entries are only those loaded */
	/*
	 * Digest of the evidence refs (accord_ledger_evidence_digest) the
	 * verification of this ledger read, "" when unknown: the index takes
	 * a ledger only while the refs still have it.
	 */
	char evidence[ACCORD_ID_HEXLEN + 1];
	accord_finding *findings; /* why entries were left out, sorted by feed and seq */
	size_t finding_count;
	size_t left_out; /* commits on feeds that do not count */
	struct accord_beyond
		*beyond; /* feed refs pointing past what counts (or at nothing that does) */
	size_t beyond_count;
	struct accord_causal
		*causal; /* frontiers (causal.h); built on demand when opened through the index */
	int64_t causal_floor; /* the lowest clock `causal` holds entries from; 0: all of them */
	int causal_deeper; /* times a window was built again to reach further down, up to 3 (ledger.c) */
	struct causal_window *window; /* what built `causal` through the index (ledger.c) */
	/*
	 * What the causal window reads of the commits a catch-up verified and
	 * took, by commit (accord_ledger_keep_taken): the incidents it then
	 * writes ask about those very entries, which were read from git again.
	 */
	accord_idmap taken;
	char join
		[65]; /* accord_ledger_set_join: the party a key's first entry accepts, "" to not choose */
	/*
	 * short_len_held's answer for `short_len_min`, while the ledger holds
	 * `short_len_count` entries (entries are only added): it is the same
	 * for every incident, and a sync names hundreds of them.
	 */
	size_t short_len_count, short_len_min, short_len;
	/*
	 * Lookups by entry id and by incident (ledger_lookups in ledger.c),
	 * built on first use while the ledger holds `lookup_count` entries:
	 * a command that builds many incidents (sync naming what arrived,
	 * list) scanned the whole ledger for each.
	 */
	size_t lookup_count;
	accord_idmap lookup_ids;       /* entry id -> the first entry of that id */
	accord_idmap lookup_incidents; /* incident id -> index + 1 into lookup_lists */
	struct accord_entry_list {
		const accord_entry **entries; /* in ledger order */
		size_t count;
	} * lookup_lists;
	size_t lookup_list_count;
};

/*
 * The entries naming incident `id` (not its open), in ledger order, and
 * how many; NULL and 0 for none. Borrowed from the ledger until it changes.
 */
const accord_entry *const *accord_ledger_naming(const accord_ledger *ledger, const char *id,
						size_t *count);

/*
 * The ledger that a verification's verdicts leave (what counts), taking
 * what it needs from `v` (which must still be freed). ACCORD_EBADSIG if no
 * genesis counts.
 */
int accord_ledger_from_verification(accord_ledger **out, accord_store *store,
				    accord_verification *v);

/* Every entry that counts among these heads: a full verification, no cache. */
int accord_ledger_load_heads(accord_ledger **out, accord_store *store, const accord_head *heads,
			     size_t count);

/* The same over the feed refs. */
int accord_ledger_load(accord_ledger **out, accord_store *store);

/*
 * The same, keeping of each entry only what the rules read (the
 * verification's `lean`): the same verdicts, entries without their bytes
 * or free text. For the index's rebuild, whose files carry neither: show
 * and report read entries back from the commits.
 */
int accord_ledger_load_lean(accord_ledger **out, accord_store *store);

/*
 * Take an offer of feed heads (a sync's or a push's: every feed the refs
 * hold, each at its ref or beyond it, and new feeds) through the index,
 * verifying only the new commits, when the index alone can judge them as
 * it does catching up with the refs (docs/performance.md, "Incremental"):
 * the new entries sort after everything verified here, depend only on
 * feed heads or on each other, change no authority, wait for nothing, and
 * none is dated after `not_after`; this copy holds no proof of a fork
 * that still counts, no feed with entries that do not count, and none
 * dated after `not_after`. Then 0, *out the ledger with the offer taken
 * in memory, and was[i] the seq feed heads[i].keyid had here (0 if new):
 * a full verification of the same heads would count every new entry and
 * change no verdict. Nothing is written until accord_ledger_keep.
 * 1 when only a full verification can judge the offer (or there is no
 * index: `cache_key` NULL), an error otherwise.
 */
int accord_ledger_offer(accord_ledger **out, int64_t *was, accord_store *store,
			const unsigned char *cache_key, const accord_head *heads, size_t n,
			int64_t not_after);

/*
 * Write what `l` (from accord_ledger_offer) took into the index, once the
 * refs hold it, under the write lock. ACCORD_EMODIFIED if they do not.
 */
int accord_ledger_keep(accord_ledger *l);

/*
 * Call `fn` on the entries of feed `keyid` that count, newest first, down
 * to seq `down_to` + 1, until it returns nonzero (returned). They are read
 * back from git, so this serves a ledger read through the index as well as
 * one loaded in full, with the same answer.
 */
int accord_ledger_walk_feed(const accord_ledger *l, const char *keyid, int64_t down_to,
			    int (*fn)(const accord_entry *e, void *arg), void *arg);

/* ---- shared by ledger.c and ledger_append.c ------------------------------ */

/* Append `e` to an array that doubles as it grows; out of memory aborts. */
void accord_ledger_push_entry(accord_entry ***arr, size_t *count, size_t *alloc, accord_entry *e);

/*
 * Keep what the causal window reads of `e`, just verified and taken by a
 * catch-up, its commit's parent `parent` (zero for a feed's root): a walk
 * over that commit reads it from here, not from git. Bytes under a commit
 * id never change, so this is what reading them again would give.
 */
void accord_ledger_keep_taken(accord_ledger *l, const accord_entry *e, const git_oid *parent);

/* 1 with the seq, clock and parent of the commit `at` if a catch-up took it here, else 0. */
int accord_ledger_taken_at(const accord_ledger *l, const git_oid *at, int64_t *seq,
			   int64_t *lamport, git_oid *parent);

/*
 * The entry of commit `at`, parsed, no signature checked: for commits a
 * verification judged already. `parent` (may be NULL) gets its parent,
 * zero for a root.
 */
int accord_ledger_read_verified(accord_entry **out, git_oid *parent, const accord_ledger *l,
				const git_oid *at);

#endif
