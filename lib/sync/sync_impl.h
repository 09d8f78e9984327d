/*
 * Inside the sync module: what its files share. Not part of the public
 * API (callers use include/accord/sync.h); never installed.
 *
 *   sync.c           one sync with a remote: classify what it offers, take
 *                    what verifies, push what it lacks, checkpoints, and the
 *                    result (what arrived, what was refused) as JSON
 *   sync_verify.c    verifying candidate feeds, entries dated ahead held
 *                    back; the heads last seen on a remote, rollbacks
 *   sync_evidence.c  proof of equivocation (forks) and the evidence refs
 *                    that carry it; listing a remote's feeds and evidence
 *   sync_remote.c    remotes in the git config, and clone
 *   sync_hub.c       the checks a hub's pre-receive hook makes
 *
 * Out of memory aborts (accord_oom, lib/util/alloc.h), as everywhere.
 */
#ifndef ACCORD_SYNC_IMPL_H
#define ACCORD_SYNC_IMPL_H

#include <stdlib.h>
#include <string.h>

#include "accord/error.h"
#include "accord/sync.h"

#include "alloc.h"

/* 0 if `opts` is of this library's version (or NULL), else ACCORD_EINVALID: never misread. */
static inline int accord_sync_options_check(const accord_sync_options *opts)
{
	if (opts && opts->version != ACCORD_SYNC_OPTIONS_VERSION)
		return accord_error_set(ACCORD_EINVALID, "accord_sync_options version %u (want %u)",
					opts->version, ACCORD_SYNC_OPTIONS_VERSION);
	return 0;
}

/* True if the first `n` bytes of `s` are lowercase hex (what follows does not matter). */
static inline int hex_span(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* Grow an array by one element and return a zeroed pointer to it. */
#define PUSH(arr, count)                                                 \
	((arr) = accord_xrealloc((arr), ((count) + 1) * sizeof(*(arr))), \
	 memset(&(arr)[(count)], 0, sizeof(*(arr))), &(arr)[(count)++])

/* An evidence commit read and checked on its own. */
typedef struct {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	git_oid commit;
	accord_entry *e; /* NULL if it does not verify */
	int misnamed;	 /* the ref's name does not fit the layout or its commit */
	const char *ref; /* its ref's full name where the caller needs it (borrowed), else NULL */
	int held;     /* this copy holds it already: it counts toward the bound, not against it */
	int declined; /* it proves a fork, but one this copy holds proof enough of */
	char why[512];
} evidence_item;

/* ---- sync.c ---------------------------------------------------------------- */

/* Where the heads last seen on remote `name` are kept. */
int accord_sync_seen_path(char **out, accord_store *store, const char *name);

/*
 * The candidates judged through the index when it alone can
 * (accord_ledger_offer, ledger_impl.h): only their new commits are
 * verified. 0: every candidate takes its head, *out is the ledger with
 * them in memory (accord_ledger_keep writes it once the refs hold them)
 * and (*was)[i] the seq cands[i]'s feed had here. 1: only a full
 * verification can judge them (accord_sync_verify). Otherwise an error.
 */
int accord_sync_verify_fast(accord_ledger **out, int64_t **was, accord_store *store,
			    const accord_head *local, size_t nlocal, accord_sync_candidate *cands,
			    size_t ncands, const unsigned char *cache_key);

/*
 * One verification of the local feeds, the candidates and the incoming
 * evidence (the evidence refs under `qevidence`), as accord_sync_verify,
 * or accord_sync_verify_lean when `lean`.
 */
int accord_sync_verify_offer(accord_ledger **verified, accord_verification **vv,
			     accord_store *store, const accord_head *local, size_t nlocal,
			     accord_sync_candidate *cands, size_t ncands, const char *qevidence,
			     int lean);

/* ---- sync_verify.c --------------------------------------------------------- */

/*
 * accord_sync_verify keeping of each entry only what the rules read
 * (accord_verify_options.lean): the same verdicts, a ledger whose entries
 * have no bytes or free text. For a clone and the hub's hook, which show
 * no entry (nor does the index a clone writes): a million entries' text
 * is gigabytes.
 */
int accord_sync_verify_lean(accord_ledger **out, accord_verification **out_v, accord_store *store,
			    const accord_head *local, size_t nlocal, accord_sync_candidate *cands,
			    size_t ncands, const accord_head *evidence, size_t nevidence);

/* The head of feed `keyid` among `heads`, or NULL. */
const accord_head *accord_sync_find_head(const accord_head *heads, size_t n, const char *keyid);

/* The seq of `local`'s head in the verified feed `vf`, 0 when there is none. */
int64_t accord_sync_local_seq(const accord_verified_feed *vf, const accord_head *local);

/* The seq of `commit` in the verified feed `vf`, 0 when it is not there. */
int64_t accord_sync_seq_of(const accord_verified_feed *vf, const git_oid *commit);

/* ---- sync_evidence.c ------------------------------------------------------- */

/*
 * Whether every evidence ref offered under `qevidence` is now one of ours,
 * at the same commit: then a verification that read the offer read what a
 * verification of the local refs reads.
 */
int accord_sync_offered_evidence_held(accord_store *store, const char *qevidence);

/*
 * 1 when this copy holds no evidence ref, nor the offer any under
 * `offered` (NULL: no offer), 0 when either does, or an error: proof of a
 * fork is the engine's to weigh, so the index's fast path needs none.
 */
int accord_sync_no_evidence(accord_store *store, const char *offered);

/* Whether our evidence ref `rest` (after the evidence prefix) exists and is at `at`. */
int accord_sync_evidence_is_ours(accord_store *store, const char *rest, const git_oid *at);

/* A ref name's key id part: exactly 32 lowercase hex digits, else NULL. */
const char *accord_sync_feed_keyid(const char *ref, const char *prefix);

/* Mark each evidence item that does not prove equivocation by a member key (its `why`). */
void accord_sync_check_evidence(evidence_item *items, size_t n, const accord_verification *v,
				const accord_ledger *l);

/*
 * Decline, past ACCORD_EVIDENCE_PER_KEY refs of a key kept under
 * `kept_prefix` (with its feed under `feed_prefix`), each new item that
 * keeps no entry another key's counted entry in `l` depends on and that no
 * kept ref or earlier item keeps already: `declined` and `why` say so.
 * The hook, sync's take and sync's push plan all judge by it.
 */
void accord_sync_bound_evidence(evidence_item *items, size_t n, const accord_ledger *l,
				accord_store *store, const char *kept_prefix,
				const char *feed_prefix);

/* Read evidence ref `rest` (after the evidence prefix) pointing at `target`. */
void accord_sync_read_evidence_item(evidence_item *x, accord_store *store, const char *rest,
				    const git_oid *target);

/* Free `n` evidence items and the array. */
void accord_sync_evidence_items_free(evidence_item *items, size_t n);

/* Number of commits from `head` back to `stop` (exclusive) or the root. */
size_t accord_sync_count_new(accord_store *store, const git_oid *head, const git_oid *stop);

/*
 * accord_sync_classify, with the remote's commits past ours into *ahead
 * when it is ACCORD_SYNC_AHEAD (else 0): the walk that finds ours on its
 * chain counts them, instead of a second walk reading them again.
 */
int accord_sync_classify_counting(accord_sync_relation *out, size_t *ahead, accord_store *store,
				  const git_oid *local, const git_oid *remote);

/* Create ref `name` at `id`, only if it is at `expect` (NULL: only if it does not exist). */
int accord_sync_ref_create(accord_store *store, const char *name, const git_oid *id,
			   const git_oid *expect);

/*
 * Neither head extends the other, and ours went on from where they part
 * with an entry repeating a seq of what lies below (attack137 01): a tail
 * that never counts on any copy (verify: accord_verify_misplaced). *out 1
 * then, with where they part in *base, and the remote's head is a
 * candidate like one that extends ours.
 */
int accord_sync_repeat_tail(int *out, git_oid *base, accord_store *store, const git_oid *local,
			    const git_oid *remote);

/* Neither head extends the other: equivocation kept as evidence, or a rewritten feed refused. */
int accord_sync_handle_fork(accord_sync_result *res, accord_store *store, const char *keyid,
			    const git_oid *local, const git_oid *remote);

/* Feed heads under `prefix` (quarantine or local); malformed names go to *bad. */
int accord_sync_list_feeds(accord_head **out, size_t *count, accord_store *store,
			   const char *prefix, char ***bad, size_t *nbad);

/* Report feed `feed` (entry `entry`, or none) as refused, and why. */
void accord_sync_add_refused(accord_sync_result *res, const char *feed, const char *entry,
			     const char *reason);

/* Whether this copy holds proof of equivocation by `keyid` already. */
int accord_sync_has_evidence(accord_store *store, const char *keyid);

/* The evidence refs under `qprefix` (a quarantine copy of refs/accord/evidence/), as heads. */
int accord_sync_list_evidence(accord_head **out, char ***names, size_t *count, accord_store *store,
			      const char *qprefix);

/* Take the remote's new evidence refs that prove equivocation (`v`: the ledger after the sync). */
int accord_sync_take_evidence(accord_sync_result *res, accord_store *store, const char *qprefix,
			      const accord_verification *v, const accord_ledger *l);

#endif
