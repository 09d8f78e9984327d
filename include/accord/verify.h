#ifndef ACCORD_VERIFY_H
#define ACCORD_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "accord/entry.h"
#include "accord/party.h"
#include "accord/store.h"

/*
 * The verification engine: the one place that decides whether an entry
 * counts. Loading, the index, sync, clone, the hub's hook, the reading
 * commands and the audit all ask it, so every path reaches the same
 * verdict on the same entries (docs/audit.md, "Verdicts").
 *
 * Given a set of feed heads it reads every feed from its head back to its
 * root and gives each entry a verdict. Problems are records, never
 * errors: an invalid entry is set aside with a finding (what is wrong,
 * where), and the rest of the ledger stays usable. Containment: an invalid
 * entry takes with it only
 *   - the later entries of its own feed (they chain from it), and
 *   - what rests on it through a rule (a key it admitted, a cosign of it),
 *     which the authorization replay then refuses on its own account.
 *
 * Two passes. Pass 1, per feed and on every core: the commit's form and
 * its one valid encoding, the signature by the entry's author, the
 * schema, the hash chain (seq, prev, Lamport clock, time). Pass 2, in
 * ledger order: the ledger id, authorization, revocation, equivocation
 * (two signed entries of one key with one seq, compared by entry id).
 */

/* A feed head: the key id and the commit at the tip of its feed. */
typedef struct {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	git_oid head;
} accord_head;

typedef enum {
	ACCORD_AUDIT_ENTRY_MODIFIED, /* (1) bytes changed after signing, proven by the chain or a record */
	ACCORD_AUDIT_WRONG_SIGNER,   /* (2) valid signature, but by a key other than the author */
	ACCORD_AUDIT_ENTRY_MISSING,  /* (3) sequence numbers skip: an entry was removed */
	ACCORD_AUDIT_REORDERED,	     /* (4) sequence numbers run backwards in the chain */
	ACCORD_AUDIT_ROLLBACK,	     /* (5) a feed no longer extends a head verified before */
	ACCORD_AUDIT_EQUIVOCATION,   /* (6) two signed entries with one author and seq */
	ACCORD_AUDIT_FOREIGN_LEDGER, /* (7) an entry or feed of another ledger */
	ACCORD_AUDIT_UNKNOWN_KEY,    /* (8) signed by a key of no party */
	ACCORD_AUDIT_REVOKED_KEY, /* (9) signed by a key past its cut, its revocation in its causal past */
	ACCORD_AUDIT_BAD_COSIGN,      /* (10) a cosign naming a missing or altered proposal */
	ACCORD_AUDIT_MALFORMED_ENTRY, /* (11) not strict JSON, bad UTF-8, duplicate keys, too big */
	ACCORD_AUDIT_UNKNOWN_TYPE, /* (12) a type that is no type name (others are kept, not read) */
	ACCORD_AUDIT_UNKNOWN_FIELD,	 /* (12) a field no schema knows (a blame field, say) */
	ACCORD_AUDIT_SIGNATURE_MISMATCH, /* (13) the signature does not verify over the commit */
	ACCORD_AUDIT_UNKNOWN_REF,	 /* (14) a ref under refs/accord/ outside the layout */
	ACCORD_AUDIT_SPLIT_VIEW,	 /* a partner's checkpoint contradicts this copy */
	ACCORD_AUDIT_TIME_BACKWARDS,	 /* time runs backwards within a feed */
	ACCORD_AUDIT_SCHEMA_VIOLATION,	 /* a known field with a value its schema refuses */
	ACCORD_AUDIT_CHAIN_BROKEN,	 /* prev or Lamport clock does not follow the feed */
	ACCORD_AUDIT_WRONG_FEED,	 /* an entry stored in another key's feed */
	ACCORD_AUDIT_BAD_COMMIT,	 /* commit form: headers, tree, time, parents, encoding */
	ACCORD_AUDIT_NOT_AUTHORIZED,	 /* any other authorization failure */
	ACCORD_AUDIT_FALSE_CHECKPOINT, /* a checkpoint names a head this copy holds otherwise, with no proof */
	ACCORD_AUDIT_PAST_CUT, /* beyond its key's cut, or resting on such an entry: set aside */
	ACCORD_AUDIT_PENDING,  /* names deps this copy does not hold: not valid yet */
	ACCORD_AUDIT_LATE, /* a decision's change not caused by the decision: recorded, no effect */
	ACCORD_AUDIT_FORKED, /* a forked key's entry from the fork on that no other key counted on */
	ACCORD_AUDIT_KIND_COUNT
} accord_audit_kind;

/* The kind's stable name ("entry-modified", ...), as in --json and docs/audit.md. */
const char *accord_audit_kind_name(accord_audit_kind kind);
/* One line saying what the kind means, for reports. */
const char *accord_audit_kind_summary(accord_audit_kind kind);

/* One problem: what is wrong and where. Nothing parses the explanation. */
typedef struct {
	accord_audit_kind kind;
	char feed[ACCORD_KEYID_HEXLEN + 1]; /* "" when about no feed (a ref) */
	int64_t seq;			    /* 0 when unknown */
	char commit[41];		    /* "" when none */
	char entry[ACCORD_ID_HEXLEN + 1];   /* "" when the bytes are no entry */
	char incident[ACCORD_ID_HEXLEN +
		      1]; /* the incident the entry is about (its open entry's id), or "" */
	char *ref;	  /* the ref it was found under, or NULL */
	char *explanation;
	char label[160]; /* member@party of the feed, or the key id prefix */
	int set_aside;	 /* left out by a documented rule (past a revocation), not a fault found */
	char dep[ACCORD_ID_HEXLEN + 1]; /* (pending) the dep this copy holds no entry of, or "" */
} accord_finding;

/* Whether findings of `kind` set entries aside by a rule rather than report a fault. */
int accord_audit_kind_sets_aside(accord_audit_kind kind);

/* What became of one commit of a feed. */
typedef enum {
	ACCORD_VERDICT_VALID = 0, /* counts */
	ACCORD_VERDICT_INVALID,	  /* fails on its own: a finding names it */
	ACCORD_VERDICT_FOLLOWS,	  /* comes after an entry of its feed that does not count */
} accord_verdict;

/* One commit of a feed, root first. */
typedef struct {
	int64_t seq;		       /* from the entry, or the position when unreadable */
	char id[ACCORD_ID_HEXLEN + 1]; /* "" when the bytes are no entry */
	char commit[41];
	accord_verdict verdict;
	int sigfail; /* the signature does not verify (modified, or signed over other bytes) */
	int hole;    /* set aside alone, its feed going on past it (docs/format.md, "Revocation") */
} accord_verified_item;

typedef struct {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	char *ref;		     /* the ref it was read from, NULL for heads given */
	git_oid head;		     /* the head given (zero if the ref named no commit) */
	accord_verified_item *items; /* every commit read, root first */
	size_t count;
	int64_t valid;		  /* entries that count: seq 1 .. valid */
	git_oid valid_head;	  /* the last of them (zero when valid == 0) */
	const accord_entry *last; /* its entry, NULL when valid == 0 */
	/*
	 * Entries that count or are set aside by a rule (beyond a cut, resting
	 * on such an entry): seq 1 .. kept. What travels: the author's signed
	 * words, which other copies need as deps (docs/format.md).
	 */
	int64_t kept;
	git_oid kept_head; /* the last of them (zero when kept == 0) */
} accord_verified_feed;

typedef struct {
	char ledger[ACCORD_ID_HEXLEN + 1]; /* "" if no genesis could be found */
	char title[256];
	const accord_entry *genesis; /* NULL if none counts */
	accord_entry **entries;	     /* entries that count, in ledger order, owned */
	size_t count;
	accord_verified_feed *feeds; /* sorted by key id */
	size_t feed_count;
	accord_finding *findings; /* sorted by feed, seq, kind */
	size_t finding_count;
	size_t read;	  /* commits read on feeds */
	size_t left_out;  /* of those, the ones that do not count */
	size_t fork_side; /* entries of a fork's other side, kept as evidence, that count */
	size_t evidence;  /* commits read on evidence chains */
	size_t replays;	  /* times the rules were replayed in ledger order until the cuts held */
	int64_t max_lamport;
	int64_t first_time, last_time; /* period covered by the entries that count */
	struct accord_causal *causal;  /* frontiers of the entries read (causal.h), owned */
	accord_parties parties;	       /* membership after the last entry that counts */
	/* private */
	size_t finding_cap;
	/*
	 * Entries read that do not count, owned: the parties may still name
	 * them (a rotation set aside admits a retired successor, a contest's
	 * rival stands as its revocation).
	 */
	accord_entry **held;
	size_t held_count;
} accord_verification;

typedef struct {
	unsigned int version;
	int threads;		     /* signature-checking threads; 0 = one per CPU (at most 8) */
	const accord_head *evidence; /* evidence heads beyond the repository's evidence refs */
	size_t evidence_count;
	int no_evidence_refs; /* do not read refs/accord/evidence/ */
	/*
	 * Keep of each entry only what the rules read, once its signature and
	 * schema are checked (accord_entry_drop_text): the verdicts are the
	 * same, the entries in the result have no raw bytes and no free text.
	 * For the audit, which shows no entry; memory then stays far below
	 * the ledger's size. ACCORD_VERIFY_LEAN_BYTES drops only the bytes
	 * and the envelope's tree (accord_entry_drop_bytes), for readers of
	 * bodies: the report.
	 */
	int lean;
	/*
	 * Check every signature, also those the store's memo of verified
	 * signatures (accord_store_set_sigcache) holds: the audit's way.
	 */
	int no_signature_cache;
} accord_verify_options;

#define ACCORD_VERIFY_LEAN_BYTES 2 /* lean: no bytes, every body whole */

#define ACCORD_VERIFY_OPTIONS_VERSION 1
#define ACCORD_VERIFY_OPTIONS_INIT                                 \
	{                                                          \
		ACCORD_VERIFY_OPTIONS_VERSION, 0, NULL, 0, 0, 0, 0 \
	}

#define ACCORD_EVIDENCE_PREFIX "refs/accord/evidence/"

/*
 * No entry's Lamport clock may exceed this: honest ledgers never get near
 * it (each entry adds one), and one entry claiming 2^53 - 1 would leave no
 * clock for anyone's next entry.
 */
#define ACCORD_LAMPORT_MAX ((int64_t)1 << 48)

/*
 * Verify the ledger made of exactly these feed heads (which need not be
 * refs: sync and the hook verify fetched or pushed heads this way), with
 * the evidence refs of the repository. Findings are results: the return
 * is 0 whenever the verification ran. ACCORD_ERROR for I/O failures.
 * `opts` may be NULL. Free with accord_verification_free().
 */
int accord_verify_heads(accord_verification **out, accord_store *store, const accord_head *heads,
			size_t count, const accord_verify_options *opts);

/*
 * The same over every ref under refs/accord/: refs outside the layout, and
 * feed refs that name no commit, are findings too. ACCORD_ENOTFOUND if the
 * repository holds nothing under refs/accord/.
 */
int accord_verify_refs(accord_verification **out, accord_store *store,
		       const accord_verify_options *opts);

void accord_verification_free(accord_verification *v);

/* The feed of `keyid`, or NULL. */
const accord_verified_feed *accord_verification_feed(const accord_verification *v,
						     const char *keyid);

/* The commit of seq `seq` in feed `f` (the first one read, if several claim it), or NULL. */
const accord_verified_item *accord_verified_feed_item(const accord_verified_feed *f, int64_t seq);

/* Whether the entry with this commit counts. */
int accord_verification_counts(const accord_verification *v, const char *keyid, int64_t seq,
			       const char *entry_id);

/*
 * Record a finding found by a caller (the audit's checkpoint and record
 * checks). `item` (may be NULL) names where.
 */
void accord_verification_add(accord_verification *v, accord_audit_kind kind, const char *feed,
			     const accord_verified_item *item, const char *ref, const char *fmt,
			     ...) __attribute__((format(printf, 6, 7)));

/* Sort the findings (feed, seq, kind) and label them; after accord_verification_add. */
void accord_verification_sort(accord_verification *v);

/*
 * Verify one commit of feed `keyid` on its own and parse its entry: form,
 * encoding, signature by the entry's author, feed, schema; with `prev`
 * (NULL for a feed's first entry) and expect_seq > 0 also the chain. With
 * expect_seq 0 the seq and chain checks are skipped (re-reading an entry
 * whose place was verified before); with `keyid` NULL, so is the feed
 * check. ACCORD_EBADSIG with *finding (may be NULL) saying what.
 */
int accord_verify_commit(accord_entry **out, accord_finding *finding, const accord_commit *c,
			 const char *keyid, const accord_entry *prev, int64_t expect_seq);

/*
 * The same with `memo` (may be NULL), the store's memo of commits that
 * passed these checks before (accord_store_sigcache): a commit it holds
 * is parsed without its signature and schema checked again, as pass 1 of
 * a verification does; one that passes now is remembered (in memory,
 * until something saves the memo).
 */
int accord_verify_commit_memo(accord_entry **out, accord_finding *finding, const accord_commit *c,
			      const char *keyid, const accord_entry *prev, int64_t expect_seq,
			      struct accord_sigcache *memo);

/*
 * Verify a chain of `n` commits of feed `keyid`, oldest first, that follow
 * `prev` (NULL: the first is the feed's first) from seq first_seq (> 0):
 * accord_verify_commit on each, the checks of each commit on its own run
 * on every core. The commits are taken (freed, and set to NULL). out[i]
 * gets commit i's entry, its `commit` set; on ACCORD_EBADSIG (*finding, may
 * be NULL, says why) those before the first that fails, the rest NULL.
 */
int accord_verify_chain(accord_entry **out, accord_finding *finding, accord_commit **commits,
			size_t n, const char *keyid, const accord_entry *prev, int64_t first_seq);

/*
 * How many commits this process has checked in full on their own (pass 1:
 * signature, form, schema), not answered by the memo of commits checked
 * before: tests count them.
 */
size_t accord_verify_pass1_count(void);

/* How many threads this process has started to check commits on: tests count them. */
size_t accord_verify_thread_count(void);

/*
 * How many verifications of a whole ledger (pass 1, then every rule over
 * every entry) this process has run: tests count them.
 */
size_t accord_verify_run_count(void);

/* Free what a finding owns. */
void accord_finding_dispose(accord_finding *f);

#endif
