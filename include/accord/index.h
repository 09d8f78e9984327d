#ifndef ACCORD_INDEX_H
#define ACCORD_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "accord/ledger.h"

/*
 * The index: a local record of what this repository has already verified,
 * so that everyday commands cost O(size of the incident), not O(size of
 * the ledger). It lives in <gitdir>/accord/index/ and holds:
 *   state                  the verified feed heads, the Lamport clock and
 *                          the membership state after the last entry;
 *   opens                  incident ids in ledger order;
 *   incidents/<ab>/<id>    each incident's entry commits in ledger order,
 *                          with its derived summary (for list).
 *
 * It is built only from verified entries and is never trusted over the
 * refs: opening compares every feed ref with the recorded heads, verifies
 * the new commits (signature, chain, schema, ledger id, authorization) and
 * records them; anything else (a feed rewritten, entries that sort before
 * what is recorded, a missing or damaged index) rebuilds it from a full
 * verification. Entries read through the index are verified again
 * (signature and schema) when they are read.
 */

struct accord_index;

/* A line of `accord list`, as derived when the incident last changed. */
typedef struct {
	char id[ACCORD_ID_HEXLEN + 1];
	char status[16];
	int64_t severity;
	int64_t opened_at;
	int64_t started_at;
	int64_t status_at;
	int64_t customer_seconds; /* as of `now` (accord_incident_customer_seconds) */
	int customer_running;     /* an open impact window still adds to it */
	char service[256];
	char title[256];
} accord_index_summary;

/*
 * Open the ledger through the index, bringing the index up to date first
 * (taking the write lock for that if the caller does not hold it). The
 * ledger has feeds, membership, id and Lamport clock, but no entries until
 * an incident is loaded. ACCORD_EBADSIG as accord_ledger_load.
 */
int accord_index_open(accord_ledger **out, accord_store *store);

/*
 * Resolve an incident id prefix and load that incident's entries (verified)
 * into `ledger`. ACCORD_ENOTFOUND, ACCORD_EAMBIGUOUS or ACCORD_EINVALID as
 * accord_ledger_find_incident.
 */
int accord_index_find_incident(const accord_entry **out, accord_ledger *ledger,
			       const char *prefix);

/* Shortest unique prefix length (at least `min`) of incident `id`. */
size_t accord_index_short_len(accord_ledger *ledger, const char *id, size_t min);

/*
 * The summaries of the most recent incidents (at most `limit`, 0 for all),
 * optionally only those with `status` ("open" = not resolved or closed),
 * oldest first, with customer-seconds as of `now`. *total is the number of
 * incidents in the ledger. Caller frees *out.
 */
int accord_index_list(accord_index_summary **out, size_t *count, size_t *total,
		      accord_ledger *ledger, const char *status, size_t limit, int64_t now);

/* Record an entry just appended to an indexed ledger (called by accord_ledger_append). */
int accord_index_record(accord_ledger *ledger, const accord_entry *entry);

/*
 * Refuse (ACCORD_EBADSIG) when feed `keyid`, now ending at `seq`, was once
 * verified further: the index keeps the furthest point of every feed
 * across rebuilds, so a rolled-back feed is never written on again (that
 * would sign a second entry with a used sequence number).
 */
int accord_index_check_feed(const accord_ledger *ledger, const char *keyid, int64_t seq);

/* Free what the index part of a ledger holds (called by accord_ledger_free). */
void accord_index_free(struct accord_index *index);

#endif
