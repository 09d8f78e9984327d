/*
 * Inside the verification engine (include/accord/verify.h says what it
 * does): what its files share. Never installed.
 *
 *   verify.c        the entry points, the run's set-up and teardown,
 *                   findings, ledger order, the results, refs, and one
 *                   commit on its own (accord_verify_commit)
 *   verify_check.c  pass 1: each commit checked on its own on the pool's
 *                   threads, the pass-1 memo, reading a chain of commits
 *   verify_chain.c  a feed's chain, the ledger id, evidence and
 *                   equivocation, the causal graph (pass 2a), forks vouched
 *                   for and recovered
 *   verify_cut.c    revocation cuts: how far a raise goes, authority
 *                   beyond a cut, the cuts and raises a round learns
 *   verify_rules.c  pass 2b: the replay in ledger order, deps counting,
 *                   entries set aside and holes
 *
 * Out of memory aborts, as in accord_buf.
 */
#ifndef ACCORD_VERIFY_IMPL_H
#define ACCORD_VERIFY_IMPL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/idmap.h"
#include "accord/party.h"
#include "sigcache.h"
#include "accord/verify.h"
#include "alloc.h"

enum { SIG_OK = 0, SIG_NONE = 1 };

/* One commit of a feed or of an evidence chain, root first. */
struct item {
	git_oid oid;
	accord_verified_item *pub; /* the caller's view of it */
	accord_commit *c;	   /* freed once verified */
	int readable;
	/* from the worker */
	int sig; /* SIG_OK, SIG_NONE, ACCORD_EINVALID (malformed) or ACCORD_EBADSIG */
	char signer[ACCORD_KEYID_HEXLEN + 1]; /* the id of the key that signed, when has_signer */
	int has_signer;
	char *sig_msg;
	accord_entry *e; /* parsed and schema-valid, else NULL */
	int parse_kind;	 /* -1, or the kind of the parse failure */
	char *parse_msg;
	char *form_msg; /* commit form problems, joined */
	int parents;
	/* the envelope, as far as it could be read */
	int env;
	int64_t seq, lamport, time;
	char id[ACCORD_ID_HEXLEN + 1];
	char prev[ACCORD_ID_HEXLEN + 1];
	char author[ACCORD_KEYID_HEXLEN + 1];
	char incident[ACCORD_ID_HEXLEN + 1]; /* as the bytes claim it, for naming it in findings */
	/* from the main thread */
	int authentic; /* signed by its author, parsed, in its author's feed */
	int flagged;   /* some finding is about it */
	int sigfail;   /* signature does not verify: modified or mismatched */
	int counted;   /* counts in the current replay round */
	int aside;     /* set aside by a rule this round, its own deps counting or set aside */
	int fork;      /* of a forked key, at or past the fork: counts only if vouched for */
	int fork_ok;   /* (fork) its chain and clock check out against its prev, found by id */
	int vouched;   /* (fork) in the causal past of a counted entry of a key that did not fork */
	int vouched_own; /* (fork) ... of such an entry of an admin of the forked key's party */
	int own_before; /* (fork) vouched_own two vouching rounds ago (accord_verify_vouch_forks) */
	int own_rounds; /* (fork) vouching rounds that set vouched_own */
	int own_swing;	/* (fork) its vouch undid itself and came back: it chooses nothing */
	size_t own_by; /* (fork, vouched_own) 1 + the index of the first vouching entry in ledger order */
	int hole; /* this round: beyond its key's cut, within a raise, set aside (raised_over) */
	char *modified_by; /* proof that the bytes changed (who names other bytes) */
};

struct feed {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	char *ref;
	git_oid head;
	struct item *items;
	size_t n;
	int64_t *seqs; /* every seq the chain claims, sorted */
	size_t nseqs;
	int evidence;
	int64_t cut; /* entries beyond this seq do not count (for good: equivocation, revocation) */
	int64_t forked_at; /* the seq where proof of equivocation starts, 0 if none */
	int contested; /* two sides of the fork each give authority (accord_verify_mark_contested) */
	int rotated;   /* (contested) a side rotates the key: a root's seat is contested too */
	int64_t chain; /* where the feed's own checks stop it, before any proof or rule */
};

struct run {
	accord_verification *v;
	accord_store *store;
	int threads;
	int lean;		   /* accord_verify_options.lean */
	accord_sigcache *sigcache; /* the store's, unless the options say otherwise */
	int memo;		   /* remember and skip pass 1 of commits (with sigcache) */
	struct pool *pool;	   /* checks commits on their own, for the whole run */
	unsigned char domain[32];  /* memo_domain */
	struct feed *feeds;
	size_t nfeeds;
	struct feed *ev;
	size_t nev;
	accord_idmap
		byid; /* entry id -> item: every authentic entry of the ledger, feeds and forks */
	struct item **slots; /* the same items, in the order held: an entry's `slot` - 1 */
	size_t nslots;
	struct item **forks; /* entries of forked keys from the fork on, both sides */
	size_t nforks;
	struct item **invites; /* every party-invite, for refusals naming a party set aside */
	size_t ninvites;
	struct item **rotations; /* every key-rotate, feeds and forks: successors a cut retires */
	size_t nrotations;
	struct item **involves; /* every involve, for refusals of a party's entry on an incident */
	size_t ninvolves;
	/* every status on an incident, sorted by incident: closes and reopens a cut cannot take away */
	struct item **statuses;
	size_t nstatuses;
	struct item **signs; /* every resolution and cosign on an incident, sorted by incident */
	size_t nsigns;
	/*
	 * While cuts are learnt after a round (verify_cut.c): the round's
	 * counted entries in ledger order, and, once a raise asks for an
	 * incident's seat, those on an incident sorted by it; the seat found
	 * for each decision (its id -> the party's name, or "" for none).
	 */
	accord_entry **kept;
	size_t nkept;
	struct kept_on {
		const char *incident; /* its incident's id (an open's own) */
		size_t at;	      /* in kept */
	} * kept_on;
	size_t nkept_on;
	accord_idmap seats;
};

static inline char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline char *xprintf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		accord_oom();
	va_end(ap);
	return s;
}

/*
 * The threads that check commits on their own, for the whole run: the
 * main thread reads a chain's commits out of git and appends them to the
 * items the pool checks, in chunks, as it goes; whenever more than a few
 * chunks wait it checks one itself, so no thread waits on another until
 * the chain's last chunk (issue 14: posting batches of 256 and helping
 * finish each one left a core idle for a chunk at every batch).
 */
struct pool {
	pthread_t tids[8];
	int started; /* worker threads running */
	int want;    /* threads to use, the main thread among them */
	pthread_mutex_t lock;
	pthread_cond_t work; /* items were appended, the chain ended, or stop */
	pthread_cond_t idle; /* no thread is checking a chunk */
	struct item *items;  /* the chain being read; moves only while held */
	size_t n, next;	     /* items appended, and the first item no thread took */
	size_t busy;	     /* threads checking a chunk of it */
	int closed;	     /* the chain is all read: take its last partial chunk too */
	size_t start;	     /* items appended before a thread is started */
	int held;	     /* the items are about to move: take nothing */
	int stop;
	int lean;
	accord_sigcache *cache;
	const unsigned char *domain;
};

/*
 * What a raise of another party covers of a revoked key's entries
 * (verify_cut.c): on a subject, every entry but a co-signature of a void
 * or duplicate, or an incident's steps only (a decision's: its open,
 * involves, statuses, co-signatures of a resolution or pause); or one
 * entry alone, the one another party went on from.
 */
enum cover_kind { COVER_ALL, COVER_STEPS, COVER_ENTRY, COVER_KINDS };

/* Per-round state of the replay: where each feed stops, and why. */
struct round {
	int64_t *stop;		 /* per feed: entries beyond do not count this round */
	int *aside;		 /* per feed: stopped by the revocation rule (set aside) */
	int64_t *precut;	 /* per feed: a cut learnt in an earlier round (INT64_MAX: none) */
	const accord_entry **by; /* per feed: the revocation that named that cut */
	int64_t *raise;	    /* per feed: a cut raised to what others counted on (the highest) */
	int64_t *steps_top; /* per feed: the highest the last round's decisions raised it to */
	accord_idmap *prev_steps;  /* per feed: the decisions of the round before that */
	accord_idmap *prev2_steps; /* per feed: those of the round before that one */
	/*
	 * Raising rounds in a row in which nothing but decisions changed, and
	 * whether the decisions just learnt are those of two rounds ago with
	 * nothing else changed since: a swing of period two, which no further
	 * round ends (accord_verify_learn_cuts sets it)
	 */
	int quiet, swing;
	int64_t *prefix; /* per feed: raised by the key's own party: everything up to it counts */
	/*
	 * per kind (enum cover_kind), per feed: what another party's raise
	 * covers, by subject (an entry's incident, else its own id; for
	 * COVER_ENTRY the entry's id) -> the highest seq: beyond the cut and
	 * the prefix, only an entry of that kind on a subject, up to its seq,
	 * counts
	 */
	accord_idmap *raised[COVER_KINDS];
	int64_t *sound; /* per feed: where faults, forks and missing deps stop it, rules aside */
	/* the same, for what refused entries of other parties, unaware, rested on */
	accord_idmap *rested[COVER_KINDS];
	/* this round's refused entries, looked at once the round's state is whole */
	const accord_entry **refused;
	size_t nrefused, refused_cap;
	/*
	 * key-rotate entry id -> the revocation (or recovery) of its key that
	 * it did not know of, learnt after a round: where the rotation does not
	 * count, its successor joins revoked (accord_parties_retire_rotation)
	 */
	accord_idmap retire;
};

/*
 * How far feed `fi`'s cut is raised: the raises that only grow, and the
 * decisions (COVER_STEPS) judged afresh after each round.
 */
static inline int64_t accord_verify_raise_of(const struct round *rd, size_t fi)
{
	return rd->raise[fi] > rd->steps_top[fi] ? rd->raise[fi] : rd->steps_top[fi];
}

/* ---- verify.c ---- */

/* A finding about `it` (or none), which flags it. */
void accord_verify_finding(struct run *r, accord_audit_kind kind, const char *feed, struct item *it,
			   const char *ref, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* The item of seq `seq` in a feed, or NULL (entries normally sit at seq - 1). */
struct item *accord_verify_item_at(struct feed *f, int64_t seq);
/* The first of `items` (n, sorted by incident: r->involves, r->statuses) on `incident`, or n. */
size_t accord_verify_first_on(struct item *const *items, size_t n, const char *incident);

/* The feed of key `keyid`, or NULL. */
struct feed *accord_verify_find_feed(struct run *r, const char *keyid);

/* The item holding entry `e`, or NULL. */
struct item *accord_verify_item_of(struct run *r, const accord_entry *e);

/* The item holding entry `id`, on a feed or on a fork's other side; NULL if none. */
struct item *accord_verify_item_by_id(struct run *r, const char *id);

/* qsort: ledger order (Lamport clock, author, seq, id). */
int accord_verify_ledger_order_cmp(const void *a, const void *b);

/* The entries that take part in the replay, in ledger order, into `all`; how many. */
size_t accord_verify_in_ledger_order(struct run *r, accord_entry **all);

/* ---- verify_check.c ---- */

/* What a pass-1 memo record names as checked (PASS1_CHECKS and this build's entry checks). */
void accord_verify_memo_domain(unsigned char *out);

/* Check one commit on its own (`cache`, `domain`: the memo, or NULL). */
void accord_verify_item(struct item *it, accord_sigcache *cache, const unsigned char *domain);

/* The findings of pass 1 on one commit, in feed `f`; sets it->authentic. */
void accord_verify_item_findings(struct run *r, struct feed *f, struct item *it);

/* Read and check, on the pool, the chain from `head` (to a commit `stop` names), root first. */
int accord_verify_read_chain(struct run *r, struct feed *f, const git_oid *head,
			     int (*stop)(void *, const git_oid *), void *stop_arg);

void accord_verify_pool_init(struct pool *p, int threads, int lean, accord_sigcache *cache,
			     const unsigned char *domain);
void accord_verify_pool_dispose(struct pool *p);
/*
 * Check items[0..n), read already, each on its own (accord_verify_item)
 * on `threads` threads, the calling one among them; each item's commit
 * is freed once checked.
 */
void accord_verify_check_items(struct item *items, size_t n, int threads, accord_sigcache *cache,
			       const unsigned char *domain);

/* ---- verify_chain.c ---- */

/*
 * Item j of feed f repeats a seq of the feed's sound chain further down it
 * (a second entry of seq N on top of the first: equivocation within one
 * chain, or the same entry twice). It never counts, nor joins the causal
 * graph: the ledger's rules go by seq, and the chain's own entry holds that
 * seq (attack136 01: both counted, and the entry was freed twice).
 */
static inline int accord_verify_misplaced(const struct feed *f, size_t j)
{
	return (int64_t)j >= f->chain && f->items[j].env && f->items[j].seq <= f->chain;
}

/* Pass 1 for one feed: read, check, the chain; where it stops on its own (f->cut). */
int accord_verify_read_feed(struct run *r, struct feed *f, accord_verified_feed *o);

/* The ledger id, before anything is judged against it. */
void accord_verify_pick_ledger(struct run *r);

/* The evidence chains, and the equivocation they prove. */
int accord_verify_read_evidence(struct run *r);

/* Pass 2a: the causal graph, each entry checked against its deps. */
void accord_verify_causal_pass(struct run *r);

/* After a round: vouch for forked keys' entries counted entries rest on. 1 if it grew. */
int accord_verify_vouch_forks(struct run *r, accord_entry **kept, size_t k,
			      const accord_parties *p);
/* Set feed->contested where two sides of a fork each give authority (after the causal pass). */
void accord_verify_mark_contested(struct run *r);
/* A type that gives authority (admits, revokes, invites, founds). */
int accord_verify_gives_authority(const accord_entry *e);

/* Proofs of forks the forked key's revocation dealt with: set aside as recovered. */
void accord_verify_settle_recovered_forks(accord_verification *v);

/* ---- verify_cut.c ---- */

/* How far a raise of revoked member x's cut may go, up to `upto`, on the side of a fork `by` saw. */
int64_t accord_verify_unaware_of_revocation(struct run *r, struct feed *g, const accord_member *x,
					    int64_t upto, const accord_entry *by);

/* `e` is refused this round: kept for accord_verify_learn_cuts, which may raise what it rests on. */
void accord_verify_note_refused(struct round *rd, const accord_entry *e);

/*
 * Where feed fi's cut stands this round (INT64_MAX: none), `m` its key's
 * member, and the revocation that names it in *rev: learnt in an earlier
 * round, or applied already in this one.
 */
int64_t accord_verify_cut_now(const struct round *rd, size_t fi, const accord_member *m,
			      const accord_entry **rev);

/* Whether an entry gives authority beyond (or beside) its key's cut. */
int accord_verify_beyond_cut_authority(struct run *r, const struct round *rd,
				       const accord_parties *p, const struct item *it);

/* Whether an entry of feed `fi` is beyond its cut, within the raise, on no subject it covers. */
int accord_verify_raised_over(struct run *r, const struct round *rd, const accord_parties *p,
			      const struct item *it, size_t fi);

/* Set aside an entry either of those names; its feed goes on. */
void accord_verify_set_aside_hole(struct run *r, accord_parties *p, struct item *it);

/* Keep only what the last two rounds' decisions both covered; 1 if that dropped any. */
int accord_verify_settle_decisions(struct run *r, struct round *rd);

/* After a round: cuts and raises learnt. 1 if another round is needed. */
int accord_verify_learn_cuts(struct run *r, accord_entry **kept, size_t k, const accord_parties *p,
			     struct round *rd, int raising);

/* A revoked key is valid, for stock git, until the time of its last entry that counts. */
void accord_verify_set_valid_until(struct run *r, accord_parties *p);

/* ---- verify_rules.c ---- */

/* Whether every dep of `e` counts or is set aside by a rule this round. */
int accord_verify_deps_sound(struct run *r, const accord_entry *e);

/* Pass 2: the causal graph, then every rule in ledger order until the cuts hold. */
int accord_verify_replay(struct run *r);

#endif
