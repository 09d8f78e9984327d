/*
 * The feeds in the verification engine (verify_impl.h): each feed's chain
 * (seqs, prev, clocks, time), the ledger id, evidence and the equivocation
 * it proves, the causal graph (pass 2a), and the entries of forked keys.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "causal.h"
#include "encode.h"
#include "accord/error.h"
#include "accord/idmap.h"
#include "json.h"
#include "accord/timefmt.h"
#include "array.h"
#include "verify_impl.h"

/* ---- checks on a feed's chain (main thread) ---- */

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* How many of the seqs strictly between lo and hi appear nowhere in the feed. */
static int64_t missing_between(const struct feed *f, int64_t lo, int64_t hi)
{
	int64_t present = 0, last = -1;
	size_t i;

	if (hi - lo <= 1)
		return 0;
	for (i = 0; i < f->nseqs; i++) {
		if (f->seqs[i] > lo && f->seqs[i] < hi && f->seqs[i] != last)
			present++;
		last = f->seqs[i];
	}
	return (hi - lo - 1) - present;
}

static int seq_count(const struct feed *f, int64_t seq)
{
	size_t lo = 0, hi = f->nseqs;
	int n = 0;

	while (lo < hi) { /* first index with seqs[i] >= seq */
		size_t mid = (lo + hi) / 2;

		if (f->seqs[mid] < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo < f->nseqs && f->seqs[lo++] == seq)
		n++;
	return n;
}

/* Every seq the chain claims, sorted (f->seqs). */
static void collect_seqs(struct feed *f)
{
	size_t i;

	f->nseqs = 0;
	if (!(f->seqs = calloc(f->n + 1, sizeof(*f->seqs))))
		accord_oom();
	for (i = 0; i < f->n; i++)
		if (f->items[i].env)
			f->seqs[f->nseqs++] = f->items[i].seq;
	qsort(f->seqs, f->nseqs, sizeof(*f->seqs), cmp_i64);
}

/* The feed's first entry, a root: entries missing before it, or a prev it should not have. */
static void root_findings(struct run *r, struct feed *f, struct item *it)
{
	int64_t gone = missing_between(f, 0, it->seq);

	if (gone > 0)
		accord_verify_finding(r, ACCORD_AUDIT_ENTRY_MISSING, f->keyid, it, NULL,
				      "the feed starts at seq %lld: %lld earlier entr%s missing",
				      (long long)it->seq, (long long)gone,
				      gone == 1 ? "y is" : "ies are");
	else if (it->seq == 1 && it->prev[0])
		accord_verify_finding(r, ACCORD_AUDIT_CHAIN_BROKEN, f->keyid, it, NULL,
				      "the first entry of the feed names a previous entry %.16s",
				      it->prev);
}

/* Entry `it` after `q`, the entry before it in the chain: seq, prev, clock and time. */
static void pair_findings(struct run *r, struct feed *f, struct item *q, struct item *it)
{
	char when[64];

	if (it->seq == q->seq + 1) {
		if (strcmp(it->prev, q->id) != 0) {
			if (q->sigfail && !q->modified_by)
				q->modified_by = xprintf(
					"the next entry (seq %lld, commit %.12s) names %.16s as its predecessor, but these bytes hash to %.16s",
					(long long)it->seq, it->pub->commit, it->prev, q->id);
			else if (!q->sigfail)
				accord_verify_finding(
					r, ACCORD_AUDIT_CHAIN_BROKEN, f->keyid, it, NULL,
					"prev names %.16s, not the previous entry %.16s (seq %lld)",
					it->prev[0] ? it->prev : "nothing", q->id,
					(long long)q->seq);
		} else if (it->lamport <= q->lamport) {
			accord_verify_finding(r, ACCORD_AUDIT_CHAIN_BROKEN, f->keyid, it, NULL,
					      "Lamport clock %lld does not increase over %lld",
					      (long long)it->lamport, (long long)q->lamport);
		}
		/* accord never writes an entry earlier than its predecessor: no tolerance */
		if (it->time < q->time) {
			accord_duration_format(when, sizeof(when), q->time - it->time);
			accord_verify_finding(r, ACCORD_AUDIT_TIME_BACKWARDS, f->keyid, it, NULL,
					      "the entry's time is %s before the previous entry's",
					      when);
		}
	} else if (it->seq > q->seq + 1) {
		int64_t gone = missing_between(f, q->seq, it->seq);

		if (gone > 0)
			accord_verify_finding(
				r, ACCORD_AUDIT_ENTRY_MISSING, f->keyid, it, NULL,
				"seq %lld follows seq %lld: %lld entr%s missing (prev names %.16s, which is not in the feed)",
				(long long)it->seq, (long long)q->seq, (long long)gone,
				gone == 1 ? "y is" : "ies are", it->prev[0] ? it->prev : "nothing");
		else
			accord_verify_finding(
				r, ACCORD_AUDIT_REORDERED, f->keyid, it, NULL,
				"seq %lld comes after seq %lld in the feed's commit chain",
				(long long)it->seq, (long long)q->seq);
	} else if (seq_count(f, it->seq) == 1) {
		accord_verify_finding(r, ACCORD_AUDIT_REORDERED, f->keyid, it, NULL,
				      "seq %lld comes after seq %lld in the feed's commit chain",
				      (long long)it->seq, (long long)q->seq);
	}
}

/* The same seq twice in one chain: equivocation if both are signed and differ. */
static void same_seq_findings(struct run *r, struct feed *f)
{
	size_t p, i;

	for (i = 1; i < f->nseqs && f->seqs[i] != f->seqs[i - 1]; i++)
		;
	if (i >= f->nseqs)
		return; /* no seq appears twice: the usual case */
	for (p = 0; p < f->n; p++) {
		struct item *x = &f->items[p];

		if (!x->env || seq_count(f, x->seq) < 2)
			continue;
		for (i = p + 1; i < f->n; i++) {
			struct item *y = &f->items[i];

			if (!y->env || y->seq != x->seq)
				continue;
			if (!strcmp(x->id, y->id))
				accord_verify_finding(
					r, ACCORD_AUDIT_REORDERED, f->keyid, y, NULL,
					"the entry of seq %lld appears twice in the chain (commits %.12s and %.12s)",
					(long long)y->seq, x->pub->commit, y->pub->commit);
			else if (x->authentic && y->authentic)
				accord_verify_finding(
					r, ACCORD_AUDIT_EQUIVOCATION, f->keyid, y, NULL,
					"two entries signed by %s with seq %lld: %.16s (commit %.12s) and %.16s (commit %.12s)",
					f->keyid, (long long)y->seq, x->id, x->pub->commit, y->id,
					y->pub->commit);
			else
				accord_verify_finding(
					r, ACCORD_AUDIT_REORDERED, f->keyid, y, NULL,
					"seq %lld appears twice in the chain (commits %.12s and %.12s)",
					(long long)y->seq, x->pub->commit, y->pub->commit);
			break;
		}
	}
}

/* Seqs, prev, Lamport clock and time along one feed's chain. */
static void chain_findings(struct run *r, struct feed *f)
{
	size_t p;
	struct item *q = NULL;

	collect_seqs(f);
	for (p = 0; p < f->n; p++) {
		struct item *it = &f->items[p];

		if (!it->env) {
			q = NULL; /* unreadable or no envelope: reported already, skip pairs over it */
			continue;
		}
		if (!q) {
			if (p == 0 && it->readable && it->parents == 0)
				root_findings(r, f, it);
			q = it;
			continue;
		}
		pair_findings(r, f, q, it);
		q = it;
	}
	same_seq_findings(r, f);
}

/* A failed signature is a modified entry when something signed names other bytes; else a mismatch. */
static void decide_sigfails(struct run *r, struct feed *f)
{
	size_t j;

	for (j = 0; j < f->n; j++) {
		struct item *it = &f->items[j];

		if (!it->sigfail)
			continue;
		if (it->modified_by)
			accord_verify_finding(
				r, ACCORD_AUDIT_ENTRY_MODIFIED, f->keyid, it,
				f->evidence ? f->ref : NULL,
				"the signature does not verify and %s: the entry was changed after it was signed",
				it->modified_by);
		else
			accord_verify_finding(
				r, ACCORD_AUDIT_SIGNATURE_MISMATCH, f->keyid, it,
				f->evidence ? f->ref : NULL,
				"the signature%s%s does not verify over this commit (%s): the commit was rewritten or its signature belongs to other bytes",
				it->has_signer ? " by key " : "", it->has_signer ? it->signer : "",
				it->sig_msg ? it->sig_msg : "bad signature");
	}
}

/*
 * Pass 1 for one feed: read, verify on every core, check the chain. The
 * feed counts up to the first commit that is not an authentic entry in
 * its place.
 */
int accord_verify_read_feed(struct run *r, struct feed *f, accord_verified_feed *o)
{
	size_t j;
	int error;

	if ((error = accord_verify_read_chain(r, f, &f->head, NULL, NULL)) < 0)
		return error;
	o->count = f->n;
	if (!(o->items = calloc(f->n + 1, sizeof(*o->items))))
		accord_oom();
	for (j = 0; j < f->n; j++) {
		f->items[j].pub = &o->items[j];
		git_oid_tostr(o->items[j].commit, sizeof(o->items[j].commit), &f->items[j].oid);
	}
	for (j = 0; j < f->n; j++)
		accord_verify_item_findings(r, f, &f->items[j]);
	chain_findings(r, f);
	decide_sigfails(r, f);
	f->cut = 0;
	for (j = 0; j < f->n; j++) {
		struct item *it = &f->items[j];

		if (!it->authentic || it->flagged || !it->env || it->seq != (int64_t)j + 1)
			break;
		f->cut = it->seq;
	}
	f->chain = f->cut;
	return 0;
}

/* ---- the ledger id ---- */

/* The ledger id: git config accord.ledger, else the genesis most entries name. */
static void choose_ledger(struct run *r, accord_entry **all, size_t n)
{
	char *configured = NULL;
	size_t i, best = 0;
	const accord_entry *pick = NULL;
	accord_verification *v = r->v;

	if (accord_store_config_get(&configured, r->store, "accord.ledger") == 0 &&
	    accord_is_lower_hex(configured, ACCORD_ID_HEXLEN) && !configured[ACCORD_ID_HEXLEN]) {
		memcpy(v->ledger, configured, sizeof(v->ledger));
		for (i = 0; i < n; i++)
			if (!strcmp(all[i]->type, "genesis") && !strcmp(all[i]->id, configured))
				pick = all[i];
		if (!pick)
			accord_verify_finding(
				r, ACCORD_AUDIT_ENTRY_MISSING, NULL, NULL, NULL,
				"the genesis entry %.16s of this ledger (git config accord.ledger) is in no feed",
				configured);
	} else {
		accord_idmap votes = ACCORD_IDMAP_INIT;

		/* one pass to count, one to pick: linear in the entries */
		for (i = 0; i < n; i++)
			if (!strcmp(all[i]->type, "genesis"))
				accord_idmap_put(&votes, all[i]->id, (void *)(uintptr_t)1);
		for (i = 0; i < n; i++) {
			void *c = accord_idmap_get(&votes, all[i]->ledger);

			if (c)
				accord_idmap_put(&votes, all[i]->ledger,
						 (void *)((uintptr_t)c + 1));
		}
		for (i = 0; i < n; i++) {
			size_t count;

			if (strcmp(all[i]->type, "genesis") != 0)
				continue;
			count = (size_t)(uintptr_t)accord_idmap_get(&votes, all[i]->id);
			if (!pick || count > best) {
				pick = all[i];
				best = count;
			}
		}
		accord_idmap_dispose(&votes);
		if (pick)
			memcpy(v->ledger, pick->id, sizeof(v->ledger));
		else
			accord_verify_finding(r, ACCORD_AUDIT_ENTRY_MISSING, NULL, NULL, NULL,
					      "no genesis entry: the ledger has no founding entry");
	}
	free(configured);
	if (pick) {
		const char *t = accord_entry_str(pick, "title");

		snprintf(v->title, sizeof(v->title), "%s", t ? t : "");
	}
}

/* The ledger id, before anything is judged against it (evidence too). */
void accord_verify_pick_ledger(struct run *r)
{
	accord_entry **all;
	size_t n = 0, i, j;

	for (i = 0; i < r->nfeeds; i++)
		n += r->feeds[i].n;
	if (!(all = calloc(n + 1, sizeof(*all))))
		accord_oom();
	n = 0;
	for (i = 0; i < r->nfeeds; i++)
		for (j = 0; j < r->feeds[i].n; j++)
			if (r->feeds[i].items[j].authentic)
				all[n++] = r->feeds[i].items[j].e;
	choose_ledger(r, all, n);
	free(all);
}

/* ---- evidence: chains kept to prove equivocation ---- */

struct stop_arg {
	accord_idmap *known;
};

static int stop_at_known(void *arg, const git_oid *oid)
{
	char hex[41];

	git_oid_tostr(hex, sizeof(hex), oid);
	return accord_idmap_get(((struct stop_arg *)arg)->known, hex) != NULL;
}

/* Whether an authentic entry belongs to the ledger chosen. */
static int of_this_ledger(const struct run *r, const accord_entry *e)
{
	return !strcmp(e->type, "genesis") ? !strcmp(e->id, r->v->ledger)
					   : !strcmp(e->ledger, r->v->ledger);
}

/*
 * The first authentic evidence item of the same key and seq seen so far, or
 * NULL (then `it` becomes that item): two evidence chains can prove a fork
 * on their own, even where this copy has no feed of that key. Keys of the
 * map are digests of "key id/seq", kept in `names` until the map goes.
 */
static struct item *other_evidence(accord_idmap *byseq, char ***names, size_t *nnames,
				   const char *keyid, struct item *it)
{
	char what[64], *name;
	unsigned char hash[32];
	struct item *first;

	snprintf(what, sizeof(what), "%s/%lld", keyid, (long long)it->seq);
	accord_sha256(hash, what, strlen(what));
	if (!(name = malloc(ACCORD_ID_HEXLEN + 1)))
		accord_oom();
	accord_hex_encode(name, hash, sizeof(hash));
	if ((first = accord_idmap_get(byseq, name))) {
		free(name);
		return first;
	}
	if (!(*names = realloc(*names, (*nnames + 1) * sizeof(**names))))
		accord_oom();
	(*names)[(*nnames)++] = name;
	accord_idmap_put(byseq, name, it);
	return NULL;
}

/* Whether an equivocation finding already names this key at or before `seq`. */
static int fork_known(struct run *r, const char *keyid, int64_t seq)
{
	size_t i;

	for (i = 0; i < r->v->finding_count; i++)
		if (r->v->findings[i].kind == ACCORD_AUDIT_EQUIVOCATION &&
		    !strcmp(r->v->findings[i].feed, keyid) && r->v->findings[i].seq <= seq)
			return 1;
	return 0;
}

/*
 * Each evidence commit must be authentic; a signed entry that differs from
 * the feed's entry of the same seq (compared by entry id, never by commit)
 * is proof: from that seq on, the key's entries do not count.
 */
int accord_verify_read_evidence(struct run *r)
{
	accord_idmap known = ACCORD_IDMAP_INIT, byseq = ACCORD_IDMAP_INIT;
	char **names = NULL;
	size_t nnames = 0;
	struct stop_arg sa = { &known };
	size_t i, j;
	int error = 0;

	if (!r->nev)
		return 0;
	for (i = 0; i < r->nfeeds; i++)
		for (j = 0; j < r->feeds[i].n; j++)
			accord_idmap_put(&known, r->feeds[i].items[j].pub->commit,
					 &r->feeds[i].items[j]);
	for (i = 0; i < r->nev; i++) {
		struct feed *ev = &r->ev[i];
		struct feed *f;

		if ((error = accord_verify_read_chain(r, ev, &ev->head, stop_at_known, &sa)) < 0)
			break;
		for (j = 0; j < ev->n; j++) {
			/* evidence items have no public view: keep the commit id somewhere stable */
			if (!(ev->items[j].pub = calloc(1, sizeof(*ev->items[j].pub))))
				accord_oom();
			git_oid_tostr(ev->items[j].pub->commit, sizeof(ev->items[j].pub->commit),
				      &ev->items[j].oid);
			/* chains that share commits are read once: linear in the evidence */
			accord_idmap_put(&known, ev->items[j].pub->commit, &ev->items[j]);
		}
		r->v->evidence += ev->n;
		f = accord_verify_find_feed(r, ev->keyid);
		for (j = 0; j < ev->n; j++) {
			struct item *it = &ev->items[j], *mine;

			accord_verify_item_findings(r, ev, it);
			if (it->sigfail)
				accord_verify_finding(
					r, ACCORD_AUDIT_SIGNATURE_MISMATCH, ev->keyid, it, ev->ref,
					"evidence commit: the signature does not verify: %s",
					it->sig_msg);
			if (!it->authentic)
				continue;
			/* an entry of another ledger proves nothing here, whoever signed it */
			if (!of_this_ledger(r, it->e)) {
				accord_verify_finding(
					r, ACCORD_AUDIT_FOREIGN_LEDGER, NULL, it, ev->ref,
					"evidence %s holds an entry of ledger %.16s, not of this one: it proves nothing here",
					ev->ref, it->e->ledger[0] ? it->e->ledger : it->e->id);
				continue;
			}
			mine = f ? accord_verify_item_at(f, it->seq) : NULL;
			if (mine && mine->authentic && !of_this_ledger(r, mine->e))
				mine = NULL;
			if (!mine || !mine->authentic)
				mine = other_evidence(&byseq, &names, &nnames, ev->keyid, it);
			else
				other_evidence(&byseq, &names, &nnames, ev->keyid, it);
			/*
			 * Proof whatever this copy's feed holds: a copy whose sync stopped
			 * the feed before the fork holds both sides as evidence only.
			 */
			if (mine && mine->authentic && strcmp(mine->id, it->id) != 0 &&
			    !fork_known(r, ev->keyid, it->seq)) {
				accord_verify_finding(
					r, ACCORD_AUDIT_EQUIVOCATION, ev->keyid, mine, ev->ref,
					"two entries signed by %s with seq %lld: %.16s (commit %.12s, %s) and %.16s (commit %.12s, kept under %s); from seq %lld on, this key's entries count only where a counted entry of another key depends on them",
					ev->keyid, (long long)it->seq, mine->id, mine->pub->commit,
					f && mine == accord_verify_item_at(f, it->seq)
						? "on the feed"
						: "kept as evidence",
					it->id, it->pub->commit, ev->ref, (long long)it->seq);
				if (f) {
					if (it->seq - 1 < f->cut)
						f->cut = it->seq - 1;
					if (!f->forked_at || it->seq < f->forked_at)
						f->forked_at = it->seq;
				}
			}
		}
	}
	accord_idmap_dispose(&known);
	accord_idmap_dispose(&byseq);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return error;
}

/* ---- pass 2a: the causal graph ---- */

/*
 * One entry against what it depends on: every dep held here (else it is
 * pending), none of its own feed, the Lamport clock exactly one above the
 * highest of prev and deps, and time not before any of them. 0 if it holds.
 */
static int causal_check(struct run *r, struct feed *f, struct item *it, const accord_entry *prev)
{
	const accord_entry *e = it->e;
	int64_t want = prev ? prev->lamport : 0;
	char gap[64];
	size_t i;

	for (i = 0; i < e->dep_count; i++) {
		const struct item *di = accord_idmap_get(&r->byid, e->deps[i]);
		const accord_entry *d = di ? di->e : NULL;

		if (!d) {
			accord_verify_finding(
				r, ACCORD_AUDIT_PENDING, f->keyid, it, NULL,
				"depends on entry %.16s, which this copy does not hold: pending until it arrives",
				e->deps[i]);
			/* the audit asks whether any feed here holds it, in any form */
			memcpy(r->v->findings[r->v->finding_count - 1].dep, e->deps[i],
			       sizeof(e->deps[i]));
			return -1;
		}
		if (!strcmp(d->author.id, e->author.id)) {
			accord_verify_finding(
				r, ACCORD_AUDIT_CHAIN_BROKEN, f->keyid, it, NULL,
				"deps name %.16s, an entry of its own feed (prev orders a feed)",
				d->id);
			return -1;
		}
		if (d->time > e->time) {
			accord_duration_format(gap, sizeof(gap), d->time - e->time);
			accord_verify_finding(
				r, ACCORD_AUDIT_TIME_BACKWARDS, f->keyid, it, NULL,
				"the entry's time is %s before that of entry %.16s, which it depends on",
				gap, d->id);
			return -1;
		}
		if (d->lamport > want)
			want = d->lamport;
	}
	if (e->lamport != want + 1) {
		accord_verify_finding(
			r, ACCORD_AUDIT_CHAIN_BROKEN, f->keyid, it, NULL,
			"Lamport clock %lld, but 1 + the highest clock of prev and deps is %lld: the clock is derived, not chosen",
			(long long)e->lamport, (long long)want + 1);
		return -1;
	}
	return 0;
}

/*
 * A checkpoint claims only what it can prove: each head it names must be
 * in its own causal past (reached through prev and deps), and be the
 * entry this copy holds there. So the verdict rests on the checkpoint's
 * past alone, the same on every copy holding it and never changed by what
 * arrives later: a claim about entries not written yet is false at once,
 * not a trap that turns false when the named feed's author writes, leaving
 * whatever depended on the checkpoint pending for ever. A feed proven
 * forked at or before the seq is exempt (the witness may hold the other
 * branch). 0 if it holds; else a finding against the checkpoint's author.
 */
static int checkpoint_check(struct run *r, struct feed *f, struct item *it)
{
	const cJSON *h;

	cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(it->e->body, "heads")) {
		const char *feed = accord_json_str(h, "feed"), *hash = accord_json_str(h, "hash");
		struct feed *g = feed ? accord_verify_find_feed(r, feed) : NULL;
		const struct item *mine;
		int64_t seq, seen;

		if (!feed || !hash || accord_json_int(&seq, h, "seq") < 0)
			continue; /* the schema refused it already */
		if (g && g->forked_at && g->forked_at <= seq)
			continue;
		seen = accord_causal_seen(r->v->causal, it->e->id, feed);
		if (seen < seq) {
			accord_verify_finding(
				r, ACCORD_AUDIT_FALSE_CHECKPOINT, f->keyid, it, NULL,
				"the checkpoint names entry %.16s as seq %lld of feed %s, which is not in its causal past (it depends on that feed up to seq %lld): a checkpoint claims only what it depends on",
				hash, (long long)seq, feed, (long long)(seen < 0 ? 0 : seen));
			return -1;
		}
		/* a copy of it that does not verify here is the dep chain's to judge (pending) */
		mine = g ? accord_verify_item_at(g, seq) : NULL;
		if (mine && mine->authentic && strcmp(mine->id, hash) != 0) {
			accord_verify_finding(
				r, ACCORD_AUDIT_FALSE_CHECKPOINT, f->keyid, it, NULL,
				"the checkpoint names entry %.16s as seq %lld of feed %s, but the entry there in its causal past is %.16s, and nothing here proves the feed forked",
				hash, (long long)seq, feed, mine->id);
			return -1;
		}
	}
	return 0;
}

/*
 * Every authentic entry of this ledger joins the causal graph, in ledger
 * order (deps first when clocks are right); those within their feed's cut
 * are checked against their deps, and a failure cuts the feed there.
 */
static void hold_item(struct run *r, accord_entry **every, size_t *n, struct item *it)
{
	if (accord_idmap_add(&r->byid, it->e->id, it))
		return; /* the same entry on the feed and as evidence (another commit of it) */
	every[(*n)++] = it->e;
	r->slots[r->nslots++] = it; /* room for every item: accord_verify_causal_pass */
	it->e->slot = r->nslots;
}

/*
 * Whether an entry of a forked key at or past the fork follows its prev,
 * found by entry id (two entries share each seq from the fork on): the
 * prev's seq one below, its own chain sound. 0 if it does.
 */
static int fork_chain_ok(struct run *r, const struct feed *f, const accord_entry *e,
			 const accord_entry **prev)
{
	const struct item *p;

	*prev = NULL;
	if (e->seq == 1)
		return !e->prev[0] ? 0 : -1;
	if (!(p = accord_verify_item_by_id(r, e->prev)) || p->e->seq != e->seq - 1 ||
	    strcmp(p->e->author.id, e->author.id) != 0)
		return -1;
	*prev = p->e;
	if (p->fork)
		return p->fork_ok ? 0 : -1;
	return p->e->seq <= f->chain ? 0 : -1;
}

/*
 * Every authentic entry of this ledger joins the causal graph, in ledger
 * order (deps first when clocks are right); those within their feed's cut
 * are checked against their deps, and a failure cuts the feed there.
 * A forked key's entries from the fork on join too, from the feed and
 * from the evidence alike (both sides, whichever this copy keeps where),
 * each checked against its prev found by id: whether they count is
 * decided by the replay (accord_verify_vouch_forks).
 */
void accord_verify_causal_pass(struct run *r)
{
	accord_entry **every;
	size_t n = 0, i, j;

	for (i = 0; i < r->nfeeds; i++)
		n += r->feeds[i].n;
	for (i = 0; i < r->nev; i++)
		n += r->ev[i].n;
	if (!(every = calloc(n + 1, sizeof(*every))) ||
	    !(r->slots = realloc(r->slots, (r->nslots + n + 1) * sizeof(*r->slots))))
		accord_oom();
	n = 0;
	for (i = 0; i < r->nfeeds; i++)
		for (j = 0; j < r->feeds[i].n; j++) {
			struct feed *f = &r->feeds[i];
			struct item *it = &f->items[j];

			if (!it->authentic || accord_verify_misplaced(f, j) ||
			    (r->v->ledger[0] && !of_this_ledger(r, it->e)))
				continue;
			hold_item(r, every, &n, it);
			if (f->forked_at && it->seq >= f->forked_at && it->seq <= f->chain) {
				it->fork = 1;
				ACCORD_PUSH(r->forks, r->nforks, it);
			}
		}
	for (i = 0; i < r->nev; i++)
		for (j = 0; j < r->ev[i].n; j++) {
			struct item *it = &r->ev[i].items[j];
			struct feed *f = accord_verify_find_feed(r, r->ev[i].keyid);

			if (!it->authentic || !f || !f->forked_at || it->seq < f->forked_at ||
			    strcmp(it->e->author.id, f->keyid) != 0 || !of_this_ledger(r, it->e) ||
			    accord_idmap_get(&r->byid, it->e->id))
				continue;
			hold_item(r, every, &n, it);
			it->fork = 1;
			ACCORD_PUSH(r->forks, r->nforks, it);
		}
	if (n)
		qsort(every, n, sizeof(*every), accord_verify_ledger_order_cmp);
	if (accord_causal_new(&r->v->causal) < 0)
		accord_oom();
	for (i = 0; i < n; i++) {
		accord_entry *e = every[i];
		struct feed *f = accord_verify_find_feed(r, e->author.id);
		struct item *it = accord_verify_item_of(r, e);
		const accord_entry *prev = NULL;

		if (it && it->fork) {
			it->fork_ok = fork_chain_ok(r, f, e, &prev) == 0 &&
				      causal_check(r, f, it, prev) == 0;
		} else if (it && e->seq <= f->cut) {
			struct item *p = e->seq > 1 ? accord_verify_item_at(f, e->seq - 1) : NULL;

			if (causal_check(r, f, it, p ? p->e : NULL) < 0)
				f->cut = e->seq - 1;
		}
		accord_causal_add(r->v->causal, e);
		/* its claims against its frontier, now known */
		if (it && e->seq <= f->cut && !strcmp(e->type, "checkpoint") &&
		    checkpoint_check(r, f, it) < 0)
			f->cut = e->seq - 1;
	}
	free(every);
}

/* ---- forks ---- */

/* Whether `x` is `y` or on `y`'s side of its key's fork, down y's prev chain (x->seq <= y->seq). */
static int same_side(struct run *r, const struct item *x, const struct item *y)
{
	while (y && y->e->seq > x->e->seq)
		y = y->e->prev[0] ? accord_verify_item_by_id(r, y->e->prev) : NULL;
	return y && !strcmp(y->e->id, x->e->id);
}

/*
 * A fork whose sides each hold an entry that gives authority (two
 * rotations of one key, a rotation against an invitation, a member-add
 * against a member-add) is a contest: only the key's own party's admins
 * choose (vouched_own; a root's fork excepted, lib/ledger/verify_rules.c).
 * A fork with authority on one side only is judged as any other (attack93
 * 01: a restored backup's note at the seq of a member-add others built on).
 */
void accord_verify_mark_contested(struct run *r)
{
	size_t i, j;

	for (i = 0; i < r->nforks; i++) {
		struct item *x = r->forks[i];
		struct feed *f;

		if (!accord_verify_gives_authority(x->e) ||
		    !(f = accord_verify_find_feed(r, x->e->author.id)) || f->contested)
			continue;
		for (j = 0; j < r->nforks && !f->contested; j++) {
			struct item *y = r->forks[j];

			if (y == x || strcmp(y->e->author.id, x->e->author.id) != 0 ||
			    !accord_verify_gives_authority(y->e))
				continue;
			f->contested =
				y->e->seq >= x->e->seq ? !same_side(r, x, y) : !same_side(r, y, x);
			f->rotated = f->contested && (!strcmp(x->e->type, "key-rotate") ||
						      !strcmp(y->e->type, "key-rotate"));
		}
	}
}

/*
 * Whether entry `e` of member `m` speaks for party `party` first-hand: an
 * entry of an admin (or root) of it that counts, and within its author's
 * revocation cut. An entry past the cut that counts only because another
 * key of the party built on it (a raise) vouches for nothing: a revoked
 * admin's vouch, written before it heard of its revocation, would seat a
 * thief once a colleague's routine sync rested on it (attack108 01, 03).
 */
static int speaks_for(const accord_member *m, const accord_entry *e, size_t party)
{
	return m && m->party == party && (m->admin || m->root) && !(m->revoked && e->seq > m->cut);
}

/* A key that a revocation on a side of a contest names, and the cut it names. */
struct contest_cut {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	int64_t cut;
};

/*
 * The revocations on either side of a contest (r->forks), counted or not,
 * that their author may sign: one no rule lets it sign (a member revoking
 * the root) cuts no one's vouch (attack114 01: a thief's forged
 * revocation of the root, at the seq of the member's rotation, made the
 * root's vouch for it choose nothing).
 */
static struct contest_cut *contest_cuts(struct run *r, const accord_parties *p, size_t *n)
{
	struct contest_cut *c = NULL;
	size_t i;

	*n = 0;
	for (i = 0; i < r->nforks; i++) {
		const accord_entry *e = r->forks[i]->e;
		const struct feed *f = accord_verify_find_feed(r, e->author.id);
		const char *hex = accord_entry_str(e, "key");
		struct contest_cut one;
		accord_pubkey key;

		if (!f || !f->contested || strcmp(e->type, "member-revoke") != 0 || !hex ||
		    accord_hex_decode(key.pk, sizeof(key.pk), hex) < 0)
			continue;
		accord_pubkey_set_id(&key);
		if (!accord_parties_may_revoke(p, accord_parties_member(p, e->author.id),
					       accord_parties_member(p, key.id)))
			continue;
		memcpy(one.keyid, key.id, sizeof(one.keyid));
		one.cut = accord_entry_int(e, "cut", -1);
		ACCORD_PUSH(c, *n, one);
	}
	return c;
}

/*
 * Whether `e` lies beyond the cut a side of a contest names for its
 * author. It vouches for no side: which side wins decides whether it
 * counts at all, so a revoked admin's checkpoint resting on the rival
 * side counted wherever that side sorted first, and carried it along
 * with the root's vouch for the revocation (attack105 01, in the order
 * the round's script did not reach).
 */
static int cut_by_contest(const struct contest_cut *c, size_t n, const accord_entry *e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (e->seq > c[i].cut && !strcmp(c[i].keyid, e->author.id))
			return 1;
	return 0;
}

/*
 * The party whose admins choose a side of a fork at an invited key's very
 * first entry (its accept): the party that invited it. No key of the new
 * party is above that fork, and each side commits to its own recovery key,
 * so without it the party could never join (attack127 02). Only when every
 * side accepts an invitation of that one party: sides that name two
 * parties' invitations (a thief's accept of another party's stale
 * invitation of the key, attack132 01) leave no one to choose, and neither
 * side counts. SIZE_MAX when no party chooses.
 */
static size_t accept_chooser(struct run *r, const accord_parties *p, const char *keyid)
{
	struct feed *f = accord_verify_find_feed(r, keyid);
	size_t i, j, chooser = SIZE_MAX;

	if (!f || f->forked_at != 1)
		return SIZE_MAX;
	for (i = 0; i < r->nforks; i++) {
		const accord_entry *e = r->forks[i]->e;
		const char *inv = accord_entry_str(e, "invite");
		size_t by = SIZE_MAX;

		if (e->seq != 1 || strcmp(e->author.id, keyid) != 0 ||
		    strcmp(e->type, "party-accept") != 0 || !inv)
			continue;
		for (j = 0; j < p->invite_count; j++)
			if (!strcmp(p->invites[j].entry_id, inv) &&
			    !strcmp(p->invites[j].key.id, keyid))
				by = p->invites[j].by_party;
		/*
		 * A side that accepts no invitation of this key can never count
		 * (the rules deny it): no contender, so a forged accept of a
		 * made-up invitation keeps no one from choosing (attack133 01).
		 */
		if (by == SIZE_MAX)
			continue;
		if (chooser != SIZE_MAX && chooser != by)
			return SIZE_MAX;
		chooser = by;
	}
	return chooser;
}

/*
 * Mark the forked key's entries from the fork on that a counted entry of
 * a key that did not fork has in its causal past: with `party` SIZE_MAX,
 * any such key (vouched), else only an admin of `party`, through entries
 * of that party's admins and forked keys alone (vouched_own, for the
 * forked keys of that party, each with own_by: the first such entry in
 * ledger order that has it in its past, which decides a contest).
 * 1 if a mark grew.
 */
static int vouch_walk(struct run *r, accord_entry **kept, size_t k, int64_t low,
		      const accord_parties *p, size_t party, const struct contest_cut *cuts,
		      size_t ncuts)
{
	accord_idmap seen = ACCORD_IDMAP_INIT;
	const char **stack = NULL;
	size_t n = 0, i, j;
	int grew = 0;

	/*
	 * One walk from each starting entry in ledger order, none entering
	 * what an earlier one reached: what a node reaches does not depend on
	 * the path to it, so each is reached first from the earliest entry
	 * that has it in its past.
	 */
	for (i = 0; i < k; i++) {
		struct feed *f = accord_verify_find_feed(r, kept[i]->author.id);

		if (f && f->forked_at)
			continue; /* a forked key vouches for nothing, not even the other side */
		if (party != SIZE_MAX &&
		    (!speaks_for(accord_parties_member(p, kept[i]->author.id), kept[i], party) ||
		     cut_by_contest(cuts, ncuts, kept[i])))
			continue;
		if (kept[i]->lamport <= low)
			continue;
		ACCORD_PUSH(stack, n, kept[i]->id);
		while (n) {
			const char *id = stack[--n];
			struct item *it = accord_verify_item_by_id(r, id);
			const accord_member *m = NULL;
			const accord_entry *e;
			int passes;

			if (!it || accord_idmap_get(&seen, id))
				continue;
			e = it->e;
			accord_idmap_put(&seen, e->id, it);
			m = accord_parties_member(p, e->author.id);
			/*
			 * What the party's admins saw first-hand only: an admin that saw
			 * a side through a partner's or a plain member's entry (its
			 * checkpoint of another hub, attack88 01, attack91 01) did not
			 * choose it, nor through an entry of an admin that does not
			 * count this round (past its cut: a revoked admin's forged
			 * checkpoint would carry the rival side along with the root's
			 * vouch, attack105 01). A forked key's entry that does not
			 * count yet leads down its own side only (its prev), not
			 * through its deps.
			 */
			passes = it->counted && speaks_for(m, e, party) &&
				 !cut_by_contest(cuts, ncuts, e);
			if (party != SIZE_MAX &&
			    !(m && m->party == party && (it->fork || passes)) &&
			    !(it->fork && !passes && accept_chooser(r, p, e->author.id) == party))
				continue;
			if (it->fork && party == SIZE_MAX && !it->vouched)
				grew = it->vouched = 1;
			if (it->fork && party != SIZE_MAX && !it->vouched_own) {
				grew = it->vouched_own = 1;
				it->own_by = i + 1;
			}
			if (e->lamport <= low)
				continue;
			if (e->prev[0])
				ACCORD_PUSH(stack, n, e->prev);
			if (party != SIZE_MAX && it->fork && !passes)
				continue;
			for (j = 0; j < e->dep_count; j++)
				ACCORD_PUSH(stack, n, e->deps[j]);
		}
	}
	free(stack);
	accord_idmap_dispose(&seen);
	return grew;
}

/*
 * A contest has one winner: of the sides an admin of the key's party
 * vouched for, the one vouched for first in ledger order (own_by; ties:
 * the side's entry first in ledger order). Another admin's later vouch
 * for another side, even knowing the first, chose nothing: else both
 * sides' admissions counted (attack108 02).
 */
static void settle_contests(struct run *r)
{
	size_t i, j;

	for (i = 0; i < r->nforks; i++) {
		struct item *w = r->forks[i];
		struct feed *f = accord_verify_find_feed(r, w->e->author.id);

		if (!f || !f->contested || !w->vouched_own)
			continue;
		/* the earliest-vouched item of this key: its side wins */
		for (j = 0; j < r->nforks; j++) {
			struct item *x = r->forks[j];

			if (x->vouched_own && !strcmp(x->e->author.id, w->e->author.id) &&
			    (x->own_by < w->own_by ||
			     (x->own_by == w->own_by &&
			      accord_verify_ledger_order_cmp(&x->e, &w->e) < 0)))
				w = x;
		}
		for (j = 0; j < r->nforks; j++) {
			struct item *x = r->forks[j];

			if (x == w || !x->vouched_own || strcmp(x->e->author.id, w->e->author.id))
				continue;
			if (x->e->seq >= w->e->seq ? !same_side(r, w, x) : !same_side(r, x, w))
				x->vouched_own =
					0; /* on another side than the earliest-vouched one */
		}
	}
}

/*
 * After a round: a forked key's entries from the fork on that a counted
 * entry of a key that did not fork has in its causal past are vouched
 * for, on whichever side of the fork they are (found by walking prev and
 * deps by entry id), and, for what gives authority, those an admin of the
 * key's own party vouches for. Vouching only grows, so rounds end; each
 * walk is linear in the entries above the fork's lowest clock, one walk,
 * plus one per party with a forked key. 1 if it grew.
 */
int accord_verify_vouch_forks(struct run *r, accord_entry **kept, size_t k, const accord_parties *p)
{
	size_t i, j, *parties = NULL, np = 0, ncuts;
	struct contest_cut *cuts;
	int64_t low = INT64_MAX;
	char *was;
	int grew;

	if (!r->nforks)
		return 0;
	cuts = contest_cuts(r, p, &ncuts);
	for (i = 0; i < r->nforks; i++)
		if (r->forks[i]->e->lamport < low)
			low = r->forks[i]->e->lamport;
	grew = vouch_walk(r, kept, k, low, p, SIZE_MAX, NULL, 0);
	/*
	 * An admin's vouch is taken again each round from the entries that count
	 * now: one a later round sets aside (past its author's cut) chooses
	 * nothing (attack103 02). The rounds stay bounded by VOUCH_ROUNDS.
	 */
	if (!(was = calloc(r->nforks + 1, 1)))
		accord_oom();
	for (i = 0; i < r->nforks; i++) {
		was[i] = (char)r->forks[i]->vouched_own;
		r->forks[i]->vouched_own = 0;
		r->forks[i]->own_by = 0;
	}
	for (i = 0; i < r->nforks; i++) {
		const accord_member *m = accord_parties_member(p, r->forks[i]->e->author.id);
		size_t chooser[2], c;

		chooser[0] = m ? m->party : SIZE_MAX;
		chooser[1] = accept_chooser(r, p, r->forks[i]->e->author.id);
		for (c = 0; c < 2; c++) {
			if (chooser[c] == SIZE_MAX)
				continue;
			for (j = 0; j < np && parties[j] != chooser[c]; j++)
				;
			if (j == np) {
				ACCORD_PUSH(parties, np, chooser[c]);
				vouch_walk(r, kept, k, low, p, chooser[c], cuts, ncuts);
			}
		}
	}
	settle_contests(r);
	/*
	 * A vouch that sets itself aside (a side that revokes the admin whose
	 * entry alone carries the vouch) comes and goes every other round: it
	 * chooses nothing, on every copy, whichever round the cap fell on
	 * (attack105 01, the swing round 104 left open). The contest waits
	 * for a vouch that stands.
	 */
	for (i = 0; i < r->nforks; i++) {
		struct item *it = r->forks[i];

		if (it->own_swing || (it->own_rounds > 0 && it->vouched_own == it->own_before &&
				      it->vouched_own != was[i])) {
			it->own_swing = 1;
			it->vouched_own = 0;
		}
		it->own_before = was[i];
		it->own_rounds++;
		grew |= was[i] != (char)it->vouched_own;
	}
	free(was);
	free(parties);
	free(cuts);
	return grew;
}

/*
 * A proven fork is a fault until its party deals with it: once the forked
 * key is revoked with a cut below the fork, nothing of either branch can
 * count any more (the member's work is re-recorded under new keys, accord
 * recover), so the proof stays listed, set aside as recovered.
 */
void accord_verify_settle_recovered_forks(accord_verification *v)
{
	accord_buf why = ACCORD_BUF_INIT;
	size_t i;

	for (i = 0; i < v->finding_count; i++) {
		accord_finding *f = &v->findings[i];
		const accord_member *m;

		if (f->kind != ACCORD_AUDIT_EQUIVOCATION || f->set_aside)
			continue;
		m = accord_parties_member(&v->parties, f->feed);
		if (!m || !m->revoked || f->seq <= 0 || m->cut >= f->seq)
			continue;
		accord_buf_clear(&why);
		accord_buf_printf(
			&why,
			"%s; recovered: the key is revoked with its cut at seq %lld, below the fork",
			f->explanation ? f->explanation : "", (long long)m->cut);
		free(f->explanation);
		f->explanation = accord_buf_detach(&why);
		f->set_aside = 1;
	}
	accord_buf_dispose(&why);
}
