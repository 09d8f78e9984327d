#ifndef ACCORD_AUDIT_H
#define ACCORD_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "accord/entry.h"
#include "accord/key.h"
#include "accord/party.h"
#include "accord/store.h"
#include "accord/verify.h"

/*
 * The audit: the verification engine's verdicts over every ref under
 * refs/accord/ (verify.h: the same verdicts every other path reaches), and
 * what only an audit checks: refs outside the layout, the partners'
 * checkpoints, and the heads a previous clean audit recorded.
 */

/* A finding (verify.h): what is wrong and where. */
typedef accord_finding accord_audit_finding;

typedef struct {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	size_t entries;	 /* commits read */
	size_t verified; /* entries with no finding */
	int64_t head_seq;
	char head_commit[41];
	char head_entry[ACCORD_ID_HEXLEN + 1];
	int64_t broken_at; /* seq (or position) of the first entry that does not count, 0 if none */
	int64_t witnessed_seq; /* highest seq a partner's checkpoint names, 0 if none */
	char witnessed_by[160];
	char label[160];
} accord_audit_feed;

typedef struct {
	char ledger[ACCORD_ID_HEXLEN + 1]; /* "" if no genesis could be found */
	char title[256];
	accord_audit_feed *feeds; /* sorted by key id */
	size_t feed_count;
	accord_audit_finding *findings; /* in the order found: feeds, evidence, ledger, refs */
	size_t finding_count;
	size_t entries;	 /* commits read on feeds */
	size_t verified; /* of those, entries that count */
	size_t evidence; /* commits read under refs/accord/evidence/ */
	size_t checkpoints;
	size_t replays; /* rounds of the rules' replay (accord_verification.replays) */
	int64_t first_time, last_time; /* period covered by verified entries (0 if none) */
	int had_record;		       /* a record of verified heads was compared */
	accord_parties parties;	       /* authorization state after the replay */
	/* private */
	accord_verification *v; /* owns the entries the parties point into */
} accord_audit;

typedef struct {
	unsigned int version;
	int threads; /* signature checking threads; 0 = one per CPU (at most 8) */
} accord_audit_options;

#define ACCORD_AUDIT_OPTIONS_VERSION 2
#define ACCORD_AUDIT_OPTIONS_INIT               \
	{                                       \
		ACCORD_AUDIT_OPTIONS_VERSION, 0 \
	}

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
