#ifndef ACCORD_CAUSAL_H
#define ACCORD_CAUSAL_H

#include <stddef.h>
#include <stdint.h>

#include "accord/entry.h"

/*
 * The causal graph of a ledger: for each entry, its frontier, the highest
 * seq of each feed in its causal past (everything reachable through prev
 * and deps, the entry itself included). "Is X in Y's past" is then one
 * comparison, and a revocation's cut is one lookup (TRUST.md, attack 10).
 *
 * Entries are added in an order where prev and deps come first (ledger
 * order is one). Memory: one uint32 per feed per entry.
 */
typedef struct accord_causal accord_causal;

/* An empty graph. Free with accord_causal_free(). */
int accord_causal_new(accord_causal **out);

/*
 * Add `e` (what the graph needs is copied). Its frontier joins those of prev and deps that are in the graph.
 * Returns how many of prev and deps are not in the graph (0: complete).
 * Adding an entry twice changes nothing.
 */
size_t accord_causal_add(accord_causal *c, const accord_entry *e);

/*
 * 1 if the entry with id `id` is in the graph, with its author's key id
 * (borrowed from the graph) and seq in the outputs that are not NULL; else 0.
 */
int accord_causal_find(const accord_causal *c, const char *id, const char **keyid, int64_t *seq);

/* 1 if entry `id` is in the graph, with the time it claims in *time; else 0. */
int accord_causal_time(const accord_causal *c, const char *id, int64_t *time);

/*
 * The highest seq of feed `keyid` in the causal past of entry `id` (the
 * entry's own seq for its own feed), 0 when none; -1 if `id` is unknown.
 */
int64_t accord_causal_seen(const accord_causal *c, const char *id, const char *keyid);

/*
 * The same for many feeds at once, with the lookups done once: the index
 * of feed `keyid` in the graph (-1 if unknown), and entry `id`'s frontier,
 * *n seqs by feed index (feeds past *n: 0), or NULL if `id` is unknown.
 * Valid until the next accord_causal_add.
 */
long accord_causal_feed_index(const accord_causal *c, const char *keyid);
const uint32_t *accord_causal_frontier(const accord_causal *c, const char *id, size_t *n);

/*
 * The lowest seq of feed `keyid` at which the graph holds two entries
 * (the feed forked there: equivocation), 0 if none.
 */
int64_t accord_causal_fork_at(const accord_causal *c, const char *keyid);

/*
 * 1 if `earlier` is in the strict causal past of `later`, 0 if not, -1 if
 * `later` is not in the graph. One comparison of frontiers, except for an
 * entry of a forked feed from the fork on, where two entries share a seq:
 * then a walk through prev and deps compares entry ids.
 */
int accord_causal_in_past(const accord_causal *c, const accord_entry *later,
			  const accord_entry *earlier);

void accord_causal_free(accord_causal *c);

#endif
