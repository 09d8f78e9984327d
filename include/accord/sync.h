#ifndef ACCORD_SYNC_H
#define ACCORD_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>
#include <git2.h>

#include "accord/key.h"
#include "accord/ledger.h"
#include "accord/store.h"
#include "accord/transport.h"

/*
 * Exchanging a ledger with other parties over plain git remotes.
 *
 * A sync with remote NAME fetches the remote's refs/accord/... into the
 * quarantine namespace refs/quarantine/NAME/ (never onto local refs)
 * with the system git (transport.h),
 * compares every incoming feed head with the local one, verifies the
 * ledger that taking the incoming heads would make, fast-forwards the
 * feeds that pass (compare-and-swap, under the write lock), keeps proof of
 * equivocation under refs/accord/evidence/<key id>/<commit>, pushes
 * every local feed the remote lacks or is behind on (each only over the
 * head it saw there, in one atomic push; when the remote moved meanwhile,
 * it fetches, verifies and pushes again, ACCORD_SYNC_ROUNDS at most) and
 * remembers the heads it saw there, so that a remote moving backwards is
 * reported as a rollback.
 */

/* How an incoming feed head relates to the local one. */
typedef enum {
	ACCORD_SYNC_EQUAL = 0, /* same commit */
	ACCORD_SYNC_NEW,       /* we have no such feed: take it if it verifies */
	ACCORD_SYNC_AHEAD,     /* the remote extends ours: fast-forward candidate */
	ACCORD_SYNC_BEHIND,    /* ours extends the remote's: we push */
	ACCORD_SYNC_MISSING,   /* the remote has no such feed: we push */
	ACCORD_SYNC_FORK,      /* neither extends the other: refused */
} accord_sync_relation;

/*
 * Classify `remote` against `local` (either may be NULL for a missing
 * feed, not both). ACCORD_ERROR if an object is missing or not a commit.
 */
int accord_sync_classify(accord_sync_relation *out, accord_store *store, const git_oid *local,
			 const git_oid *remote);

/* An incoming feed head for accord_sync_verify. */
typedef struct {
	accord_head head;
	git_oid take; /* what to take: its last entry that counts (zero: nothing) */
	int refused;  /* set when entries of it do not count */
	int kind;     /* the finding's kind (accord_audit_kind), or -1 */
	int64_t seq;  /* the seq of the first entry refused */
	char entry[GIT_OID_HEXSZ + 1]; /* its commit, "" if unknown */
	char reason[768];
} accord_sync_candidate;

/*
 * Verify, in one pass of the engine (verify.h), the ledger made of the
 * local heads with each candidate replacing (or adding) its feed, and the
 * extra evidence heads. Each candidate gets `take`, its feed up to the
 * last entry that counts when that is beyond the local head, and, when
 * entries of it do not count, `refused` with the first finding. On success
 * *out (may be NULL) is the ledger as it will be once every `take` is in
 * place, and *out_v (may be NULL) the verification behind it (its verdicts
 * on every commit). ACCORD_EBADSIG if no genesis verifies; ACCORD_ENOTFOUND
 * if there is nothing.
 */
int accord_sync_verify(accord_ledger **out, accord_verification **out_v, accord_store *store,
		       const accord_head *local, size_t nlocal, accord_sync_candidate *cands,
		       size_t ncands, const accord_head *evidence, size_t nevidence);

/*
 * Verify a feed on its own, from its first entry to `head`: form,
 * signatures, schema, sequence and hash chain (not authorization).
 * *out_seq (may be NULL) gets the number of entries.
 */
int accord_sync_verify_chain(int64_t *out_seq, accord_store *store, const char *keyid,
			     const git_oid *head);

/*
 * Heads last seen on a remote, one "<key id> <commit>" line each. Reading
 * a missing file gives zero heads. Written atomically.
 */
int accord_sync_heads_read(accord_head **out, size_t *count, const char *path);
int accord_sync_heads_write(const char *path, const accord_head *heads, size_t count);

/* A remote feed that moved backwards since the last sync. */
typedef struct {
	char feed[ACCORD_KEYID_HEXLEN + 1];
	char seen[GIT_OID_HEXSZ + 1]; /* head last seen there */
	char now[GIT_OID_HEXSZ + 1];  /* head now, "" if the feed is gone */
} accord_sync_rollback;

/*
 * Compare heads last seen on a remote with its heads now: a feed that
 * is gone, or whose head does not extend the one seen, is a rollback.
 * Heads whose objects are unknown here are skipped. *out is malloc'd.
 */
int accord_sync_rollbacks(accord_sync_rollback **out, size_t *count, accord_store *store,
			  const accord_head *seen, size_t nseen, const accord_head *now,
			  size_t nnow);

/* Progress of accord's own work: `what` is "verifying entries" (git shows its own). */
typedef void (*accord_sync_progress_cb)(const char *remote, const char *what, size_t done,
					size_t total, void *payload);

typedef struct {
	unsigned int version; /* ACCORD_SYNC_OPTIONS_VERSION */
	accord_sync_progress_cb progress;
	void *payload;
	const accord_key *key;		    /* write a checkpoint with it (NULL: none) */
	const char *expect_ledger;	    /* clone: the ledger id to insist on (NULL: take any) */
	accord_transport_options transport; /* how git runs (transport.h) */
	/*
	 * Hand the ledger this sync verified to the caller (accord_sync_result
	 * .ledger), so that it need not verify the local refs again.
	 */
	int keep_ledger;
	/*
	 * The user's cache key (ACCORD_LEDGER_CACHE_KEY_LEN bytes, as
	 * accord_ledger_options). Clone: the new copy keeps what the clone
	 * verified (the memo of checked commits, the index), so its first
	 * command need not verify it again. Sync: an offer that only extends
	 * what this copy verified is judged through its index, verifying only
	 * the new commits (accord_ledger_offer), with the verdict a full
	 * verification would reach; any other goes through the engine in full.
	 * NULL: nothing is kept, every sync verifies the whole ledger.
	 */
	const unsigned char *cache_key;
} accord_sync_options;

#define ACCORD_SYNC_OPTIONS_VERSION 2
#define ACCORD_SYNC_OPTIONS_INIT                                     \
	{                                                            \
		ACCORD_SYNC_OPTIONS_VERSION, NULL, NULL, NULL, NULL, \
			ACCORD_TRANSPORT_OPTIONS_INIT, 0, NULL       \
	}

/*
 * How many rounds of fetch, verify and push a sync makes when the remote
 * moves between its fetch and its push before it gives up.
 */
#define ACCORD_SYNC_ROUNDS 3

typedef struct {
	char feed[ACCORD_KEYID_HEXLEN + 1];
	int64_t from, to; /* sequence numbers: ours before (0 if new) and after */
} accord_sync_accepted;

typedef struct {
	char feed[ACCORD_KEYID_HEXLEN + 1];
	int64_t seq;
	char local[GIT_OID_HEXSZ + 1]; /* the two entries with the same key and seq */
	char remote[GIT_OID_HEXSZ + 1];
} accord_sync_evidence;

/*
 * Evidence refs kept per key: enough for every fork an honest copy meets
 * (each fork leaves the first entry and the tip of both sides). Past it, a
 * ref is kept only if it keeps an entry another key's counted entry
 * depends on: a forked key cannot fill every copy with refs (attack38
 * paths 01).
 */
#define ACCORD_EVIDENCE_PER_KEY 32

/* What one sync with one remote did. Free with accord_sync_result_free(). */
typedef struct {
	char *remote;
	char *url;
	size_t fetched; /* new entries the remote offered */
	accord_sync_accepted *accepted;
	size_t accepted_count;
	accord_sync_candidate *refused;
	size_t refused_count;
	accord_sync_evidence *evidence;
	size_t evidence_count;
	/* evidence refs offered of a fork this copy holds proof enough of: not taken */
	size_t evidence_declined;
	accord_sync_rollback *rollbacks;
	size_t rollback_count;
	char **pushed; /* refs pushed */
	size_t pushed_count;
	char checkpoint[ACCORD_ID_HEXLEN + 1]; /* id of the checkpoint written, or "" */
	/* why none was written though one was due: the rules refuse the key's entry now, or NULL */
	char *checkpoint_skipped;
	/*
	 * The signing key's own entries not pushed, from held_seq on (0: none):
	 * dated held_time, more than the slack ahead of this machine's clock
	 * (a stale ACCORD_NOW, a clock that was fast), which the remote's hook
	 * would refuse until then.
	 */
	int64_t held_seq, held_time;
	char *error;	 /* why the sync failed (transport, push), or NULL */
	size_t verified; /* entries in the verified ledger */
	int rounds;	 /* rounds of fetch, verify and push (more than 1: the remote moved) */
	/*
	 * With opts->keep_ledger: the ledger as the last round verified it,
	 * its checkpoint included, when the refs then held exactly that (every
	 * evidence ref offered is ours); else NULL. Owned by the result; check
	 * accord_ledger_is_current() before trusting it later.
	 */
	accord_ledger *ledger;
} accord_sync_result;

void accord_sync_result_free(accord_sync_result *result);

/*
 * Sync with the git remote `name`, reached as `git fetch` and `git push`
 * reach it (url, pushurl, insteadOf; its configured refspecs are not
 * used). The result is filled even when
 * the sync fails: *out is always set unless ACCORD_ENOMEM. Returns 0 when
 * everything was taken and pushed; ACCORD_EBADSIG when something was
 * refused (the valid feeds were still taken); ACCORD_ERROR or
 * ACCORD_ENOTFOUND when the remote could not be reached or updated;
 * ACCORD_EDENIED when it refused the push.
 */
int accord_sync_remote(accord_sync_result **out, accord_store *store, const char *name,
		       const accord_sync_options *opts);

/* The result as one JSON object (see docs/hub.md). */
cJSON *accord_sync_result_json(const accord_sync_result *result);

/* The fetch refspec for remote `name`: "+refs/accord/<all>:refs/quarantine/<name>/<all>". Caller frees. */
char *accord_sync_refspec(const char *name);

/*
 * Create remote `name` for `url` with the quarantine fetch refspec, so a
 * plain `git fetch` never writes under refs/accord/. ACCORD_EEXISTS if
 * it exists; ACCORD_EINVALID for a bad name.
 */
int accord_sync_remote_add(accord_store *store, const char *name, const char *url);

/*
 * The url (and pushurl, NULL if unset; `pushurl` may be NULL) of git
 * remote `name`; the caller frees them. ACCORD_ENOTFOUND if there is none.
 */
int accord_sync_remote_url(char **url, char **pushurl, accord_store *store, const char *name);

/* The names of the git remotes (those with a url), sorted. Free with git_strarray_dispose(). */
int accord_sync_remote_list(git_strarray *out, accord_store *store);

/*
 * A new ledger at `dir` from `url`: create a repository (refusing a
 * non-empty `dir`), fetch, verify everything and only then write the
 * feed refs (each up to its last entry that counts), the evidence that
 * proves equivocation, git config accord.ledger and remote "origin". On
 * any failure nothing is left behind (`dir` is removed if this call
 * created it). ACCORD_EBADSIG only if no genesis verifies, or if
 * opts->expect_ledger is set and the ledger has another id (a look-alike
 * served in its place): entries that do not count are left out and
 * listed in *out_res (may be NULL; free with accord_sync_result_free()).
 * *out_id (65 bytes) receives the ledger id.
 */
int accord_sync_clone(char *out_id, accord_sync_result **out_res, const char *url, const char *dir,
		      const accord_sync_options *opts);

/* One line of a pre-receive hook's input. */
typedef struct {
	git_oid old_id; /* zero for a new ref */
	git_oid new_id; /* zero for a deletion */
	const char *ref;
} accord_ref_update;

/*
 * What a hub's pre-receive hook decides: refs outside refs/accord/ pass;
 * feed refs may only move forward (no deletion, no rewrite); evidence refs
 * may only be created, and must prove equivocation; nothing else under
 * refs/accord/ is allowed; and every entry the push adds must count (one
 * pass of the engine over the hub's feeds with the pushed ones). Findings
 * already on the hub never refuse a push. ACCORD_EDENIED (layout, rewrite)
 * or ACCORD_EBADSIG (verification) with a message naming each refused
 * entry.
 */
int accord_sync_check_push(accord_store *store, const accord_ref_update *updates, size_t count);

/*
 * The same with the hub user's cache key (ACCORD_LEDGER_CACHE_KEY_LEN
 * bytes, as accord_ledger_options; NULL: none): a push that only extends
 * what the hub verified is judged through its index, verifying only the
 * pushed commits, with the same verdict (docs/performance.md).
 */
int accord_sync_check_push_cached(accord_store *store, const accord_ref_update *updates,
				  size_t count, const unsigned char *cache_key);

#endif
