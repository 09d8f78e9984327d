/*
 * Revocation cuts in the verification engine (verify_impl.h): where a
 * revoked key's cut stands, how far what others built on raises it, what
 * gives authority beyond it, and the cuts and raises each replay round
 * learns.
 */
#include <stdint.h>
#include <string.h>

#include "accord/error.h"
#include "accord/incident.h"
#include "array.h"
#include "causal.h"
#include "json.h"
#include "verify_impl.h"

/* ---- how far a cut goes ---- */

/*
 * x's entry at seq `s` on the side of its fork that `by` has in its causal
 * past: the feed's, or the evidence's when that is the side `by` saw. A
 * copy that holds the other side as its feed judges the same entries
 * (attack113 03: it lost the raise a colleague gave the side it saw).
 */
static struct item *side_item(struct run *r, struct feed *g, const accord_entry *by, int64_t s)
{
	struct item *it = accord_verify_item_at(g, s);
	size_t i;

	if (!by || !g->forked_at || s < g->forked_at ||
	    (it && accord_causal_in_past(r->v->causal, by, it->e) == 1))
		return it;
	for (i = 0; i < r->nforks; i++) {
		struct item *f = r->forks[i];

		if (f->e->seq == s && !strcmp(f->e->author.id, g->keyid) &&
		    accord_causal_in_past(r->v->causal, by, f->e) == 1)
			return f;
	}
	return it;
}

/*
 * How far a raise of revoked member x's cut may go, up to `upto`: not past
 * an entry of x that has x's revocation in its causal past. Such an entry
 * was written knowing of the revocation, and no colleague depending on it
 * can make it count (else a revoked admin could add admins through any
 * member of its party).
 */
int64_t accord_verify_unaware_of_revocation(struct run *r, struct feed *g, const accord_member *x,
					    int64_t upto, const accord_entry *by)
{
	const accord_entry *rev = x->revocation;
	int64_t s;

	if (!rev)
		return upto;
	for (s = x->cut + 1; s <= upto; s++) {
		struct item *it = side_item(r, g, by, s);

		/* by entry, not seq: a rival rotation as the revocation is one side of a fork */
		if (!it || !it->e || accord_causal_in_past(r->v->causal, it->e, rev) == 1)
			return s - 1;
	}
	return upto;
}

/* Never raised over for another party, nor vouched for on a fork by another party. */
int accord_verify_gives_authority(const accord_entry *e)
{
	static const char *const types[] = { "genesis",	     "member-add",   "member-revoke",
					     "key-rotate",   "party-invite", "party-accept",
					     "party-recover" };
	size_t i;

	if (!e->known)
		return 1; /* a newer accord's type may be one */
	for (i = 0; i < sizeof(types) / sizeof(*types); i++)
		if (!strcmp(e->type, types[i]))
			return 1;
	return 0;
}

/* What a raise covers an entry by: its incident, else the entry itself. */
static const char *subject_of(const accord_entry *e)
{
	return e->incident[0] ? e->incident : e->id;
}

static int is_removal(const accord_entry *e)
{
	return !strcmp(e->type, "void") || !strcmp(e->type, "duplicate");
}

/*
 * A void or duplicate, or a co-signature of one: what takes an incident
 * out of the report. No other party's raise brings one back: only the
 * key's own party vouches for it (attack55 02: a thief's co-signature of
 * the provider's void; attack56: its void, co-signed by the provider),
 * so a revocation errs on showing an incident, never on hiding it.
 */
static int removes(struct run *r, const accord_entry *e)
{
	struct item *prop;

	if (is_removal(e))
		return 1;
	if (strcmp(e->type, "cosign") != 0)
		return 0;
	prop = accord_verify_item_by_id(r, accord_entry_str(e, "proposal"));
	return prop && prop->e && is_removal(prop->e);
}

/*
 * The steps of an incident: what a close or reopen rests on and what
 * makes it a party's incident (its open, involves, statuses, and
 * co-signatures of a resolution or a pause). A raise for a decision
 * covers these alone (attack52 02: a raise to a thief's close that never
 * took effect brought back its amend of the incident's service, and the
 * missed clock with it; attack54 01: its co-signature of a void).
 */
static int is_step(struct run *r, const accord_entry *e)
{
	struct item *prop;

	if (strcmp(e->type, "cosign") != 0)
		return !strcmp(e->type, "status") || !strcmp(e->type, "open") ||
		       !strcmp(e->type, "involve");
	prop = accord_verify_item_by_id(r, accord_entry_str(e, "proposal"));
	return prop && prop->e &&
	       (!strcmp(prop->e->type, "resolution") || !strcmp(prop->e->type, "status"));
}

/* Whether a raise of `kind` covers an entry like `e` at all. */
static int of_kind(struct run *r, enum cover_kind kind, const accord_entry *e)
{
	if (removes(r, e))
		return 0;
	return kind != COVER_STEPS || is_step(r, e);
}

/* What a raise of `kind` is keyed by: the entry itself, or its subject. */
static const char *cover_key(enum cover_kind kind, const accord_entry *e)
{
	return kind == COVER_ENTRY ? e->id : subject_of(e);
}

/*
 * What another party's raises of one feed cover: per kind, by subject,
 * the highest seq, and the highest of all (`top`, if any; `steps_top` for
 * decisions). `grew` is set when a raise other than a decision covers
 * more than it did: decisions are judged afresh after every round
 * (accord_verify_learn_cuts).
 */
struct cover {
	accord_idmap *map[COVER_KINDS];
	int64_t *top, *steps_top;
	int grew;
};

static void cover_entry(struct cover *c, const struct item *it, enum cover_kind kind)
{
	accord_idmap *map = c->map[kind];
	const char *subject = cover_key(kind, it->e);
	int64_t *top = kind == COVER_STEPS ? c->steps_top : c->top;

	if (it->e->seq <= (int64_t)(uintptr_t)accord_idmap_get(map, subject))
		return;
	accord_idmap_put(map, subject, (void *)(uintptr_t)it->e->seq);
	if (top && it->e->seq > *top)
		*top = it->e->seq;
	if (kind != COVER_STEPS)
		c->grew = 1;
}

/*
 * Cover every entry of revoked member x beyond its cut that `e` has in
 * its causal past, written unaware of the revocation, and that `match`es:
 * each by its subject, up to it (attack51 01, 02: a raise to x's close of
 * one incident brought back, as a bare seq, everything x wrote before it,
 * a thief's co-signature of a void of another incident among them). What
 * gives authority on the way stays set aside
 * (accord_verify_beyond_cut_authority), so a raise to it never brings back
 * a revoked admin's backdated member-add.
 */
static void cover_seen(struct cover *c, enum cover_kind kind, struct run *r, struct feed *g,
		       const accord_member *x, const accord_entry *e,
		       int (*match)(const accord_entry *, const void *), const void *arg)
{
	int64_t upto = accord_verify_unaware_of_revocation(
		r, g, x, accord_causal_seen(r->v->causal, e->id, x->key.id), e);
	int64_t s;

	for (s = x->cut + 1; s <= upto; s++) {
		struct item *it = side_item(r, g, e, s);

		if (!it || !it->e)
			break;
		if (match(it->e, arg))
			cover_entry(c, it, kind);
	}
}

static int open_naming(const accord_entry *e, const void *party)
{
	const cJSON *name;

	if (strcmp(e->type, "open") != 0)
		return 0;
	cJSON_ArrayForEach(name, cJSON_GetObjectItemCaseSensitive(e->body, "parties"))
		if (cJSON_IsString(name) && !strcmp(name->valuestring, party))
			return 1;
	return 0;
}

/* An entry on `incident`: its open (the incident's id), or any entry naming it. */
static int on_incident(const accord_entry *e, const void *incident)
{
	return !strcmp(e->incident, incident) || !strcmp(e->id, incident);
}

/* match arguments: the run, the authorization state, an incident (NULL: any) and a party */
struct decision_on {
	struct run *r;
	const accord_parties *p;
	const char *incident;
	size_t party;		  /* the raising party: (cosigns_proposal_of) the proposer's */
	size_t xparty;		  /* the revoked key's party */
	const char *name;	  /* (decides_for) a party involved in the incident */
	const accord_entry *seen; /* (decides_for) the entry that must have seen it involved */
};

/* Whether party `party` signed resolution `res` (proposed it, or co-signed it) as `e` knew it. */
static int signed_as_known(const struct decision_on *d, const accord_entry *res, size_t party,
			   const accord_entry *e)
{
	struct run *r = d->r;
	const accord_member *by = accord_parties_member(d->p, res->author.id);
	size_t i;

	if (by && by->party == party)
		return 1;
	for (i = accord_verify_first_on(r->signs, r->nsigns, res->incident);
	     i < r->nsigns && !strcmp(r->signs[i]->e->incident, res->incident); i++) {
		const accord_entry *s = r->signs[i]->e;
		const char *named = accord_entry_str(s, "proposal");

		if (!strcmp(s->type, "cosign") && named && !strcmp(named, res->id) &&
		    (by = accord_parties_member(d->p, s->author.id)) && by->party == party &&
		    accord_causal_in_past(r->v->causal, e, s) == 1)
			return 1;
	}
	return 0;
}

/*
 * Whether a resolution of `e`'s incident that `e` knew of was signed by
 * both the raising party (`d->party`) and the revoked key's (`d->xparty`)
 * (r->signs, sorted by incident). No close is joint without it, so a
 * close or reopen `e` can only be a decision that party went on from if
 * so (attack53 02: a thief's close that never took effect raised the cut
 * over its backdated statuses; attack54 01: so did one on the raising
 * party's own proposal, which the key's party never signed).
 */
static int signed_by_both(const struct decision_on *d, const accord_entry *e)
{
	struct run *r = d->r;
	size_t i;

	for (i = accord_verify_first_on(r->signs, r->nsigns, e->incident);
	     i < r->nsigns && !strcmp(r->signs[i]->e->incident, e->incident); i++) {
		const accord_entry *res = r->signs[i]->e;

		if (!strcmp(res->type, "resolution") &&
		    accord_causal_in_past(r->v->causal, e, res) == 1 &&
		    signed_as_known(d, res, d->party, e) && signed_as_known(d, res, d->xparty, e))
			return 1;
	}
	return 0;
}

static int is_close(const accord_entry *e)
{
	const char *st = accord_entry_str(e, "status");

	return st && !strcmp(st, "closed");
}

/* An open status: what reopens a closed incident (not a close, nor "resolved"). */
static int is_open_status(const accord_entry *e)
{
	static const char *const open[] = { "investigating", "identified", "mitigated", "waiting" };
	const char *st = accord_entry_str(e, "status");
	size_t i;

	for (i = 0; st && i < sizeof(open) / sizeof(*open); i++)
		if (!strcmp(st, open[i]))
			return 1;
	return 0;
}

/*
 * Whether status `e` reopened its incident as `e` knew it: an open
 * status with a close of it that counts in its causal past, and no other
 * open status that counts after that close there (r->statuses, sorted by
 * incident). A status written after another party's reopen only moves a
 * clock (attack56 01: a thief's backdated stops after the customer's
 * reopen counted as a reopen, raised by the provider's routine sync);
 * a status that took no effect (attack58 02: the provider's "resolved"
 * on the closed incident, planted to unmake its member's later reopen)
 * masks nothing. Nor does a status of a revoked key beyond its cut: it
 * counts only through a raise, the one of `e` among them, and masking
 * `e` with it undid that raise the next round, which brought it back
 * the round after (attack67 01: the swing ran to the round cap, whose
 * parity another key's fork chose).
 */
static int past_cut(const accord_parties *p, const accord_entry *t)
{
	const accord_member *m = accord_parties_member(p, t->author.id);

	return m && m->revoked && t->seq > m->cut;
}

static int reopens(struct run *r, const accord_parties *p, const accord_entry *e)
{
	size_t first = accord_verify_first_on(r->statuses, r->nstatuses, e->incident), i, j;

	if (!is_open_status(e))
		return 0;
	for (i = first; i < r->nstatuses && !strcmp(r->statuses[i]->e->incident, e->incident);
	     i++) {
		const accord_entry *c = r->statuses[i]->e;
		int reopened = 0;

		if (!is_close(c) || !r->statuses[i]->counted ||
		    accord_causal_in_past(r->v->causal, e, c) != 1)
			continue;
		for (j = first; !reopened && j < r->nstatuses &&
				!strcmp(r->statuses[j]->e->incident, e->incident);
		     j++) {
			const accord_entry *t = r->statuses[j]->e;

			reopened = t != e && r->statuses[j]->counted && is_open_status(t) &&
				   !past_cut(p, t) &&
				   accord_causal_in_past(r->v->causal, t, c) == 1 &&
				   accord_causal_in_past(r->v->causal, e, t) == 1;
		}
		if (!reopened)
			return 1;
	}
	return 0;
}

/* The causal oracle the incident's seat is decided with (accord_in_past_fn). */
static int seat_in_past(const accord_entry *later, const accord_entry *earlier, void *payload)
{
	struct run *r = payload;

	return accord_causal_in_past(r->v->causal, later, earlier) == 1;
}

static int cmp_kept_on(const void *a, const void *b)
{
	const struct kept_on *x = a, *y = b;
	int c = strcmp(x->incident, y->incident);

	return c ? c : (x->at > y->at) - (x->at < y->at);
}

/*
 * The customer-facing party of decision `e`'s incident as `e` knew it:
 * derived, as show derives it (accord_incident_build_from), from the
 * entries of the incident that count this round and that `e` has in its
 * causal past. NULL if its open does not count. Borrowed from `p`.
 *
 * As show derives it: an involve that a joint close did not know of
 * seats no one (attack62 01, 02: counted alone, a customer's involve of
 * a customer of its own, held back past the close, made it a provider
 * here while show still measured its provider). As `e` knew it: a party
 * that involves a customer of its own after its member's decision, out
 * of the decision's sight, does not change what that decision was.
 */
static const char *seat_as_known(struct run *r, const accord_parties *p, const accord_entry *e)
{
	const accord_entry **list = NULL;
	accord_incident *inc = NULL;
	const char *seat = accord_idmap_get(&r->seats, e->id);
	size_t n = 0, i, lo = 0, hi;

	/* asked once per decision a round: every entry of another party that saw it asks */
	if (seat)
		return *seat ? seat : NULL;
	if (!r->kept_on) {
		r->kept_on = accord_xcalloc(r->nkept + 1, sizeof(*r->kept_on));
		for (i = 0; i < r->nkept; i++) {
			const accord_entry *x = r->kept[i];
			const char *on = x->incident[0]		    ? x->incident
					 : !strcmp(x->type, "open") ? x->id
								    : NULL;

			if (on)
				r->kept_on[r->nkept_on++] = (struct kept_on){ on, i };
		}
		qsort(r->kept_on, r->nkept_on, sizeof(*r->kept_on), cmp_kept_on);
	}
	for (hi = r->nkept_on; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(r->kept_on[mid].incident, e->incident) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < r->nkept_on && !strcmp(r->kept_on[i].incident, e->incident); i++) {
		const accord_entry *x = r->kept[r->kept_on[i].at];

		if (x != e && accord_causal_in_past(r->v->causal, e, x) == 1)
			ACCORD_PUSH(list, n, x);
	}
	if (n && !strcmp(list[0]->id, e->incident) && !strcmp(list[0]->type, "open")) {
		if (accord_incident_build_from(&inc, p, list, n, seat_in_past, r) == 0)
			seat = inc->customer_party;
		else
			accord_error_clear(); /* no seat: nothing is kept */
	}
	accord_incident_free(inc);
	free(list);
	accord_idmap_put(&r->seats, e->id, (void *)(seat ? seat : ""));
	return seat;
}

/*
 * Whether a raise may keep the revoked key's close (or reopen) `e`. The
 * raises keep a decision so that the key's own party cannot undo it to
 * its gain: a customer un-closing (the closed days charged to its
 * providers, attack50 01), a provider taking a reopen away (the miss
 * after it, attack50 02). Kept for another, it would harm the other
 * side: a customer's reopen charges its providers, a provider's close
 * stops its customer's clocks. So a raise keeps a close only of the
 * incident's customer-facing party, and a reopen only of another party,
 * whoever raises (attack57 01, attack58 01, attack60 03: a thief's
 * backdated reopen with the customer's key stood through the provider's
 * routine sync, or a third party's, and charged the provider the closed
 * day). The seat is the one show decides, as the decision knew it
 * (seat_as_known; attack61: from the open alone, a provider that opened
 * alone and then involved its customer sat in the customer's seat): what
 * the terms between any two parties say, or a sock involved later, moves
 * nothing here (attack59 01, 02, attack60 01, 02: a party that made
 * itself a customer or a provider of a sock got back the power to undo
 * its own member's honest decision).
 */
static int harms_only_own(struct run *r, const accord_parties *p, size_t xparty,
			  const accord_entry *e, int close)
{
	const char *seat = seat_as_known(r, p, e);
	int customer;

	if (!seat)
		return 0;
	customer = !strcmp(seat, p->parties[xparty].name);
	return close ? customer : !customer;
}

/*
 * A close of the incident, or a reopen of it (reopens), after a
 * resolution of it both parties signed (signed_by_both), that can harm
 * only the key's own party (harms_only_own).
 */
static int decides(const accord_entry *e, const void *arg)
{
	const struct decision_on *d = arg;
	int close;

	if (strcmp(e->type, "status") != 0 || !e->incident[0] || !accord_entry_str(e, "status") ||
	    (d->incident && strcmp(e->incident, d->incident) != 0))
		return 0;
	close = is_close(e);
	return (close || reopens(d->r, d->p, e)) && signed_by_both(d, e) &&
	       harms_only_own(d->r, d->p, d->xparty, e, close);
}

/*
 * Whether party `name` is involved in `incident` as `seen` knows it: the
 * open names it, or an involve of it does (r->involves, sorted by incident).
 */
static int involved_as_seen(struct run *r, const char *incident, const char *name,
			    const accord_entry *seen)
{
	struct item *open = accord_verify_item_by_id(r, incident);
	size_t i;

	if (open && open->e && open_naming(open->e, name) &&
	    accord_causal_in_past(r->v->causal, seen, open->e) == 1)
		return 1;
	for (i = accord_verify_first_on(r->involves, r->ninvolves, incident);
	     i < r->ninvolves && !strcmp(r->involves[i]->e->incident, incident); i++) {
		const char *party = accord_entry_str(r->involves[i]->e, "party");

		if (party && !strcmp(party, name) &&
		    accord_causal_in_past(r->v->causal, seen, r->involves[i]->e) == 1)
			return 1;
	}
	return 0;
}

/* A close or reopen (decides) of an incident party `name` is involved in, as `seen` knows it. */
static int decides_for(const accord_entry *e, const void *arg)
{
	const struct decision_on *d = arg;

	return decides(e, arg) && involved_as_seen(d->r, e->incident, d->name, d->seen);
}

/*
 * A co-signature of a proposal on an incident (a resolution, a pause, a
 * figure, a void or duplicate) that party `party` made.
 */
static int cosigns_proposal_of(const accord_entry *e, const void *arg)
{
	const struct decision_on *d = arg;
	struct item *proposal;
	const accord_member *by;

	if (strcmp(e->type, "cosign") != 0 || !e->incident[0] ||
	    (d->incident && strcmp(e->incident, d->incident) != 0))
		return 0;
	proposal = accord_verify_item_by_id(d->r, accord_entry_str(e, "proposal"));
	by = proposal && proposal->e ? accord_parties_member(d->p, proposal->e->author.id) : NULL;
	return by && by->party == d->party;
}

/* match arguments: an incident and a party name */
struct involving {
	const char *incident, *party;
};

/* The open or an involve of an incident, naming a party: what makes it that party's incident. */
static int involves(const accord_entry *e, const void *arg)
{
	const struct involving *in = arg;
	const char *party = accord_entry_str(e, "party");

	if (!strcmp(e->type, "involve"))
		return !strcmp(e->incident, in->incident) && party && !strcmp(party, in->party);
	return !strcmp(e->id, in->incident) && open_naming(e, in->party);
}

static int is_entry(const accord_entry *e, const void *id)
{
	return !strcmp(e->id, id);
}

/* match arguments: what a cosign or an action names, and whether it must be a resolution */
struct naming {
	const char *id;
	int resolution;
};

/*
 * The entry a cosign or an action names, if it is one they may name: a
 * proposal (a resolution, a figure, a pause, a dispute, terms), for an
 * action a resolution. A cosign naming a plain status or an amend raises
 * nothing (attack57 02).
 */
static int named_proposal(const accord_entry *e, const void *arg)
{
	const struct naming *n = arg;
	const char *st = accord_entry_str(e, "status");

	if (strcmp(e->id, n->id) != 0)
		return 0;
	if (n->resolution)
		return !strcmp(e->type, "resolution");
	return !strcmp(e->type, "resolution") || !strcmp(e->type, "impact") ||
	       !strcmp(e->type, "dispute") || !strcmp(e->type, "agreement") ||
	       (!strcmp(e->type, "status") && st && !strcmp(st, "waiting"));
}

/* match arguments: the authorization state and a party name */
struct terms_of {
	const accord_parties *p;
	const char *party;
};

/* A co-signature that put in force terms `party` proposed (an agreement it is the customer of). */
static int cosigns_terms_of(const accord_entry *e, const void *arg)
{
	const struct terms_of *t = arg;
	const accord_agreement *a;

	if (strcmp(e->type, "cosign") != 0 || e->incident[0])
		return 0;
	a = accord_parties_agreement(t->p, accord_entry_str(e, "proposal"));
	return a && !strcmp(a->customer, t->party);
}

/*
 * What of revoked member x another party's entry `e` (of member m) rests
 * on, covered in `c` (TRUST.md attack 1: decisions of other parties
 * resting on the key's entries stand). Each raise covers what it names,
 * not the rest of x's work (attack51 01, 02), and never a void or
 * duplicate nor a co-signature of one (removes).
 *
 * A cosign raises it to the proposal it signs (a resolution, an
 * agreement's terms, a pause), an action to the resolution it updates
 * (attack27 06): that entry alone, and x's open of the incident. A close
 * raises it to x's entries on that incident in e's causal past: the
 * cosign, proposal or status it rests on, a pause x co-signed (attack26
 * finding 11, attack27 03, 04 and 07). Any other entry on an incident
 * raises it to x's open of it, to the open or involve of x that made it
 * e's party's incident (attack26 12, attack27 01), to x's co-signatures
 * of m's party's proposals on it, each alone, and to the steps up to x's
 * last close or reopen of it in e's causal past that can harm only x's
 * party (harms_only_own): decisions another party went on from, which a
 * revoker's cut cannot take away (attack50 01: the
 * customer's closer revoked from a stale copy, the closed days charged
 * again; 02: the provider's reopener revoked, the miss after it gone;
 * attack51 05: the member who co-signed the provider's pause revoked, the
 * wait charged). Another entry of x stays set aside: depending on it only
 * says it was seen, and x's statuses before an involve or a co-signature
 * are not what the other party went on from (attack56 02). A checkpoint
 * (a sync) raises it to x's open of an incident naming m's party
 * (attack26 07): a party that synced an incident opened for it keeps it;
 * and to x's closes and reopens of incidents m's party is involved in, as
 * the checkpoint knew them (attack51 03, 04: a party that only synced went
 * on from them too). Not to x's co-signatures of m's proposals: a sync is
 * no act on them (attack52 01). Any entry raises it to x's co-signature
 * of terms m's party proposed, which that party builds on (attack34 06).
 */
static void other_party_rests_on(struct cover *c, struct run *r, const accord_parties *p,
				 struct feed *g, const accord_member *x, const accord_member *m,
				 const accord_entry *e)
{
	const char *st = accord_entry_str(e, "status");
	const char *named = !strcmp(e->type, "cosign")	 ? accord_entry_str(e, "proposal")
			    : !strcmp(e->type, "action") ? accord_entry_str(e, "resolution")
							 : NULL;
	const char *name = p->parties[m->party].name;
	struct involving in = { e->incident, name };
	struct terms_of terms = { p, name };
	struct decision_on d = { r,    p, e->incident[0] ? e->incident : NULL, m->party, x->party,
				 name, e };

	if (named) {
		struct naming n = { named, !strcmp(e->type, "action") };

		/* x's open of the incident, if any, is covered below with every entry on it */
		cover_seen(c, COVER_ENTRY, r, g, x, e, named_proposal, &n);
	}
	cover_seen(c, COVER_ALL, r, g, x, e, cosigns_terms_of, &terms);
	if (!strcmp(e->type, "status") && st && !strcmp(st, "closed") && e->incident[0])
		cover_seen(c, COVER_ALL, r, g, x, e, on_incident, e->incident);
	else if (e->incident[0]) {
		cover_seen(c, COVER_STEPS, r, g, x, e, decides, &d);
		cover_seen(c, COVER_ENTRY, r, g, x, e, is_entry, e->incident);
		cover_seen(c, COVER_ENTRY, r, g, x, e, involves, &in);
		cover_seen(c, COVER_ENTRY, r, g, x, e, cosigns_proposal_of, &d);
	} else if (!strcmp(e->type, "checkpoint")) {
		cover_seen(c, COVER_ENTRY, r, g, x, e, open_naming, name);
		cover_seen(c, COVER_STEPS, r, g, x, e, decides_for, &d);
	}
}

void accord_verify_note_refused(struct round *rd, const accord_entry *e)
{
	if (rd->nrefused == rd->refused_cap) {
		rd->refused_cap = rd->refused_cap ? 2 * rd->refused_cap : 16;
		rd->refused = accord_xrealloc(rd->refused, rd->refused_cap * sizeof(*rd->refused));
	}
	rd->refused[rd->nrefused++] = e;
}

/*
 * When `e`, of another party and unaware of a revocation, was refused: the
 * revoked key's entries it rests on (other_party_rests_on) may be what was
 * cut, an open, an involve, what a close rests on. Raised once the cuts
 * hold (merge_rests), so a revoker cannot hide or undo the work of parties
 * that built on them. Judged after the round, on its whole state: during
 * it, a refused entry that sorted before the revocation saw the key
 * unrevoked, and a revoker sorted its revocation last by writing a few
 * entries first (attack56 03).
 */
static void rests_on_refused(struct run *r, struct round *rd, const accord_parties *p,
			     const accord_entry *e)
{
	const accord_member *m = accord_parties_member(p, e->author.id);
	size_t j;

	/* an entry that does not count for its own author's revocation rests on nothing (attack57 02) */
	if (m && m->revoked &&
	    (e->seq > m->cut ||
	     (m->revocation && accord_causal_in_past(r->v->causal, e, m->revocation) == 1)))
		return;
	for (j = 0; m && j < p->member_count; j++) {
		const accord_member *x = p->members[j];
		struct feed *g;
		struct cover c = { { NULL }, NULL, NULL, 0 };
		int k;

		if (!x->revoked || x->party == m->party ||
		    !(g = accord_verify_find_feed(r, x->key.id)) ||
		    (x->revocation && accord_causal_in_past(r->v->causal, e, x->revocation) == 1))
			continue;
		for (k = 0; k < COVER_KINDS; k++)
			c.map[k] = &rd->rested[k][g - r->feeds];
		other_party_rests_on(&c, r, p, g, x, m, e);
	}
}

int64_t accord_verify_cut_now(const struct round *rd, size_t fi, const accord_member *m,
			      const accord_entry **rev)
{
	*rev = rd->by[fi];
	if (m && m->revoked && m->cut < rd->precut[fi]) {
		*rev = m->revocation;
		return m->cut;
	}
	return rd->precut[fi];
}

/*
 * Whether `e` gives authority and is not what its key's cut names: beyond
 * the cut (counting, if at all, only through a raise), or, for a forked
 * key, at or below the cut's seq on the side the revocation did not see
 * (TRUST.md attack 2: cuts name entry ids). A raise brings back what
 * colleagues and partners built on (notes, cosigns, opens), never an
 * admission, revocation or invitation, whoever depends on it: else a
 * revoked admin adds admins through any colleague's or partner's entry.
 */
int accord_verify_beyond_cut_authority(struct run *r, const struct round *rd,
				       const accord_parties *p, const struct item *it)
{
	const accord_entry *e = it->e, *rev;
	const accord_member *m;
	size_t fi;
	int64_t cut;

	if (!accord_verify_gives_authority(
		    e)) /* most entries: no lookups on the replay's hot path */
		return 0;
	m = accord_parties_member(p, e->author.id);
	fi = (size_t)(accord_verify_find_feed(r, e->author.id) - r->feeds);
	if ((cut = accord_verify_cut_now(rd, fi, m, &rev)) == INT64_MAX)
		return 0;
	if (e->seq > cut)
		return e->seq <=
		       accord_verify_raise_of(rd, fi); /* beyond the raise, the cut's own finding */
	if (!it->fork || (rev && !strcmp(rev->id, e->id)))
		return 0; /* a rotation is its key's own cut: the entry the cut names */
	return !rev || accord_causal_in_past(r->v->causal, rev, e) != 1;
}

/*
 * Whether `it`, of feed `fi`, lies beyond its key's cut and within the
 * raise, but neither the key's own party vouched for it (the prefix) nor
 * does another party's raise cover its subject that far: set aside alone,
 * as what gives authority is (attack51 01, 02). Cheap for every feed
 * nothing raised.
 */
int accord_verify_raised_over(struct run *r, const struct round *rd, const accord_parties *p,
			      const struct item *it, size_t fi)
{
	const accord_entry *e = it->e, *rev;
	int64_t cut;
	int k;

	if (e->seq > accord_verify_raise_of(rd, fi) || e->seq <= rd->prefix[fi])
		return 0;
	if ((cut = accord_verify_cut_now(rd, fi, accord_parties_member(p, e->author.id), &rev)) ==
		    INT64_MAX ||
	    e->seq <= cut)
		return 0;
	for (k = 0; k < COVER_KINDS; k++)
		if (of_kind(r, k, e) && e->seq <= (int64_t)(uintptr_t)accord_idmap_get(
							  &rd->raised[k][fi], cover_key(k, e)))
			return 0;
	return 1;
}

/*
 * Set aside an entry that accord_verify_beyond_cut_authority names. Its feed goes on
 * past it: what the key wrote after it still counts as far as the raise
 * covers, since nothing there rests on it through the feed alone.
 */
void accord_verify_set_aside_hole(struct run *r, accord_parties *p, struct item *it)
{
	const accord_entry *e = it->e;
	const accord_member *m = accord_parties_member(p, e->author.id);
	int after =
		m && m->revocation && accord_causal_in_past(r->v->causal, e, m->revocation) == 1;

	accord_verify_finding(
		r, after ? ACCORD_AUDIT_REVOKED_KEY : ACCORD_AUDIT_PAST_CUT, e->author.id, it, NULL,
		"key %s was revoked, and this %s entry (seq %lld) is not within its cut: %s",
		e->author.id, e->type, (long long)e->seq,
		accord_verify_gives_authority(e)
			? "what other keys built on beyond a cut counts, never an entry that gives authority"
			: "what other parties built on beyond a cut counts, on the incident they went on from, and nothing built on this");
	it->hole = 1;
	it->aside = accord_verify_deps_sound(r, e);
	accord_parties_accept_first(p, e); /* what the raise brings back rests on it */
}

/* ---- after a round ---- */

/* Raise `to` (and *top) to what `from` covers. 1 if it grew. */
static int merge_cover(accord_idmap *to, int64_t *top, const accord_idmap *from)
{
	size_t k;
	int grew = 0;

	for (k = 0; k < from->size; k++) {
		int64_t seq = (int64_t)(uintptr_t)from->slots[k].value;

		if (!from->slots[k].key ||
		    seq <= (int64_t)(uintptr_t)accord_idmap_get(to, from->slots[k].key))
			continue;
		accord_idmap_put(to, from->slots[k].key, (void *)(uintptr_t)seq);
		if (seq > *top)
			*top = seq;
		grew = 1;
	}
	return grew;
}

/*
 * Cover in feed i's raise what refused entries of other parties rested
 * on. 1 if it grew, decisions aside (they are compared as a whole).
 */
static int merge_rests(struct round *rd, size_t i)
{
	int k, grew = 0;

	for (k = 0; k < COVER_KINDS; k++)
		if (k == COVER_STEPS)
			merge_cover(&rd->raised[k][i], &rd->steps_top[i], &rd->rested[k][i]);
		else
			grew |= merge_cover(&rd->raised[k][i], &rd->raise[i], &rd->rested[k][i]);
	return grew;
}

/*
 * A decision raise covers an incident's steps up to a seq: what both
 * rounds kept is the lower of the two. A swing between two of the key's
 * decisions on one incident must not take the earlier one, which both
 * rounds kept, with it (attack71 01).
 */
int accord_verify_settle_decisions(struct run *r, struct round *rd)
{
	size_t i, k;
	int dropped = 0;

	for (i = 0; i < r->nfeeds; i++) {
		accord_idmap *now = &rd->raised[COVER_STEPS][i], both = ACCORD_IDMAP_INIT;

		rd->steps_top[i] = 0;
		for (k = 0; k < now->size; k++) {
			int64_t seq = (int64_t)(uintptr_t)now->slots[k].value, was;

			if (!now->slots[k].key)
				continue;
			was = (int64_t)(uintptr_t)accord_idmap_get(&rd->prev_steps[i],
								   now->slots[k].key);
			if (was != seq)
				dropped = 1;
			if (was < seq)
				seq = was;
			if (!seq)
				continue;
			accord_idmap_put(&both, now->slots[k].key, (void *)(uintptr_t)seq);
			if (seq > rd->steps_top[i])
				rd->steps_top[i] = seq;
		}
		accord_idmap_dispose(now);
		*now = both;
	}
	return dropped;
}

/*
 * The first entry, in ledger order, on the other side of a contest from
 * rotation `it` (one that gives authority, neither in the other's causal
 * past), or NULL.
 */
static const accord_entry *rival_of(struct run *r, const struct item *it)
{
	const struct feed *f = accord_verify_find_feed(r, it->e->author.id);
	size_t i;

	if (!it->fork || !f || !f->contested)
		return NULL;
	for (i = 0; i < r->nforks; i++) {
		const accord_entry *y = r->forks[i]->e;

		if (y != it->e && !strcmp(y->author.id, it->e->author.id) &&
		    accord_verify_gives_authority(y) &&
		    accord_causal_in_past(r->v->causal, it->e, y) != 1 &&
		    accord_causal_in_past(r->v->causal, y, it->e) != 1)
			return y;
	}
	return NULL;
}

/*
 * Rotations that did not count this round, of a key revoked (or its root
 * replaced by a recovery) by an entry the rotation did not know of: the
 * revocation reaches the successor, which joins revoked with cut 0 from
 * the next round on, so what other parties built on it can be raised.
 * With the rotation one side of a fork (another copy of the old key wrote
 * at its seq), or a root's contested rotation the recovery ended, the
 * successor was no member at all, and a partner's close resting on its
 * co-signature fell with the stale revocation (attack115 01, 02). So it
 * was when a rival rotation on the other side of a contest set it aside,
 * with no revocation at all: the rival stands for it (rival_of, attack116
 * 01, 02), and for a successor so retired that rotated again (attack117
 * 01). Only grows, so rounds end. 1 if it grew.
 */
static int learn_retired(struct run *r, struct round *rd, const accord_parties *p)
{
	size_t i;
	int grew = 0;

	for (i = 0; i < r->nrotations; i++) {
		const struct item *it = r->rotations[i];
		const accord_member *m = accord_parties_member(p, it->e->author.id);
		const accord_entry *rev = m && m->revoked ? m->revocation : NULL;

		/* retired by its own rotation: no revocation (a successor's is any other key's entry) */
		if (rev && !strcmp(rev->author.id, it->e->author.id))
			rev = NULL;
		if (!rev)
			rev = rival_of(r, it);
		if (it->counted || !rev || accord_idmap_get(&rd->retire, it->e->id) ||
		    accord_causal_in_past(r->v->causal, it->e, rev) == 1)
			continue;
		accord_idmap_put(&rd->retire, it->e->id, (void *)rev);
		grew = 1;
	}
	return grew;
}

/* Whether two covers hold the same subjects, each to the same seq. */
static int same_cover(const accord_idmap *a, const accord_idmap *b)
{
	size_t k;

	if (a->count != b->count)
		return 0;
	for (k = 0; k < a->size; k++)
		if (a->slots[k].key && accord_idmap_get(b, a->slots[k].key) != a->slots[k].value)
			return 0;
	return 1;
}

/* A revoked key with a feed, for accord_verify_learn_cuts. */
struct revoked_feed {
	const accord_member *x;
	struct feed *g;
	long cix; /* its feed's index in the causal graph, -1 if none */
};

/*
 * After a round: cuts the round learnt too late (entries beyond them sorted
 * before their revocation), and cuts to raise because another key of the
 * revoked key's party counted on entries beyond them (TRUST.md attack 1).
 * Cuts only go down and raises only up, so rounds end. 1 if another round
 * is needed. Raises are learnt only once the cuts hold without them, so no
 * entry resting on what lies beyond a cut can raise that cut itself.
 */
int accord_verify_learn_cuts(struct run *r, accord_entry **kept, size_t k, const accord_parties *p,
			     struct round *rd, int raising)
{
	accord_idmap *decided = NULL;
	struct revoked_feed *revoked = NULL;
	size_t i, j, nrev = 0;
	int again = 0, changed = 0, repeats = 1;

	r->kept = kept;
	r->nkept = k;
	/* the revoked keys with a feed, in member order, looked up once: not for every entry */
	for (j = 0; raising && j < p->member_count; j++) {
		const accord_member *x = p->members[j];
		struct feed *g;

		if (!x->revoked || !(g = accord_verify_find_feed(r, x->key.id)))
			continue;
		revoked = accord_xrealloc(revoked, (nrev + 1) * sizeof(*revoked));
		revoked[nrev].x = x;
		revoked[nrev].g = g;
		revoked[nrev].cix = accord_causal_feed_index(r->v->causal, x->key.id);
		nrev++;
	}
	/*
	 * Decisions (a close or reopen kept, COVER_STEPS) are judged afresh on
	 * each round's state, not kept once raised: a seat decided in an early
	 * round, before a raise brought back the incident's terms, made a
	 * thief's reopen stand for good (attack63 01, 02). Raises of other
	 * kinds only grow, so rounds settle; the round cap ends any swing.
	 */
	if (raising) {
		decided = accord_xcalloc(r->nfeeds + 1, sizeof(*decided));
		for (i = 0; i < r->nfeeds; i++) {
			decided[i] = rd->raised[COVER_STEPS][i];
			memset(&rd->raised[COVER_STEPS][i], 0, sizeof(accord_idmap));
			accord_idmap_dispose(&rd->rested[COVER_STEPS][i]);
			rd->steps_top[i] = 0;
		}
	}
	for (i = 0; i < k; i++) {
		const accord_entry *e = kept[i];
		const accord_member *m = accord_parties_member(p, e->author.id);
		struct feed *f = accord_verify_find_feed(r, e->author.id);
		size_t fi = (size_t)(f - r->feeds), nfrontier;
		const uint32_t *frontier;

		if (m && m->revoked && m->cut < rd->precut[fi] &&
		    (e->seq > m->cut ||
		     accord_verify_beyond_cut_authority(r, rd, p, accord_verify_item_of(r, e)))) {
			rd->precut[fi] = m->cut;
			rd->by[fi] = m->revocation;
			again = 1;
		}
		/*
		 * An entry past its own author's cut counts only because others
		 * built on it: it vouches for nothing further (attack114 02: a
		 * successor's co-signature, raised for a partner's close, vouched
		 * as a colleague for everything the retired key wrote up to its
		 * rotation, an amend of another incident among it).
		 */
		if (!m || !raising || (m->revoked && e->seq > m->cut))
			continue;
		frontier = accord_causal_frontier(r->v->causal, e->id, &nfrontier);
		for (j = 0; j < nrev; j++) {
			const accord_member *x = revoked[j].x;
			struct feed *g = revoked[j].g;
			size_t gi;
			int64_t seen;

			if (x == m)
				continue;
			/*
			 * Everything below raises or covers only entries of x past its
			 * cut that e has in its past: when e saw none, skip the rest (the
			 * cost of an audit grew with entries times revoked keys).
			 */
			if (!frontier)
				seen = -1;
			else if (revoked[j].cix < 0 || (size_t)revoked[j].cix >= nfrontier)
				seen = 0;
			else
				seen = frontier[revoked[j].cix];
			if (seen <= x->cut)
				continue;
			/*
			 * Only a colleague unaware of the revocation raises it: one that
			 * knew (the revoker's own later entries among them) accepted the
			 * cut, and what it saw beyond it, however it came by it, stays
			 * set aside (else a revoked admin's backdated member-add would
			 * come back through any note that depends on it).
			 */
			if (x->revocation &&
			    accord_causal_in_past(r->v->causal, e, x->revocation) == 1)
				continue;
			gi = (size_t)(g - r->feeds);
			if (x->party != m->party) {
				struct cover c = { { &rd->raised[COVER_ALL][gi],
						     &rd->raised[COVER_STEPS][gi],
						     &rd->raised[COVER_ENTRY][gi] },
						   &rd->raise[gi],
						   &rd->steps_top[gi],
						   0 };

				other_party_rests_on(&c, r, p, g, x, m, e);
				again |= c.grew;
				continue;
			}
			/*
			 * A colleague vouches for everything of x it saw; not for a
			 * successor a contest retired (its rival is its revocation):
			 * only an admin's vouch chooses a side, else a thief's rival
			 * successor's notes counted as the member's once a colleague's
			 * routine sync saw that side first (attack88 01, attack91 01).
			 */
			if (x->revocation && strcmp(x->revocation->type, "member-revoke") != 0 &&
			    strcmp(x->revocation->type, "party-recover") != 0)
				continue;
			seen = accord_verify_unaware_of_revocation(
				r, g, x, accord_causal_seen(r->v->causal, e->id, x->key.id), e);
			if (seen > rd->prefix[gi] && seen > x->cut) {
				rd->prefix[gi] = seen;
				if (seen > rd->raise[gi])
					rd->raise[gi] = seen;
				again = 1;
			}
		}
	}
	for (i = 0; i < rd->nrefused; i++)
		rests_on_refused(r, rd, p, rd->refused[i]);
	again |= learn_retired(r, rd, p);
	for (i = 0; raising && i < r->nfeeds; i++) {
		again |= merge_rests(rd, i);
		if (!same_cover(&decided[i], &rd->raised[COVER_STEPS][i]))
			changed = 1;
		if (!same_cover(&rd->prev_steps[i], &rd->raised[COVER_STEPS][i]))
			repeats = 0;
		/* kept for accord_verify_settle_decisions */
		accord_idmap_dispose(&rd->prev2_steps[i]);
		rd->prev2_steps[i] = rd->prev_steps[i];
		rd->prev_steps[i] = decided[i];
	}
	free(decided);
	free(revoked);
	free(r->kept_on);
	r->kept_on = NULL;
	r->nkept_on = 0;
	accord_idmap_dispose(&r->seats);
	r->kept = NULL;
	r->nkept = 0;
	/*
	 * A cut holds only while the revocation naming it is within its own
	 * author's cut: one written past it (an admin revoked meanwhile, on a
	 * stale copy) has no effect at all (F2). Decided on the cuts alone,
	 * not on what else a round refused, so rounds settle.
	 */
	for (i = 0; i < r->nfeeds; i++) {
		const accord_entry *rev = rd->by[i];
		struct feed *g = rev ? accord_verify_find_feed(r, rev->author.id) : NULL;

		if (g && rd->precut[g - r->feeds] != INT64_MAX &&
		    rev->seq > rd->precut[g - r->feeds]) {
			rd->precut[i] = INT64_MAX;
			rd->by[i] = NULL;
			again = 1;
		}
	}
	/*
	 * Nothing but decisions changed in this round and the one before, and
	 * they are back to those of two rounds ago: the next round replays
	 * the one before this, and so on; no further round settles it.
	 */
	if (raising) {
		rd->quiet = again ? 0 : rd->quiet + 1;
		rd->swing = changed && repeats && rd->quiet >= 2;
	}
	return again || changed;
}

/* A revoked key is valid, for stock git, until the time of its last entry that counts. */
void accord_verify_set_valid_until(struct run *r, accord_parties *p)
{
	size_t i;

	for (i = 0; i < p->member_count; i++) {
		accord_member *m = p->members[i];
		struct feed *f;
		struct item *it;

		if (!m->revoked)
			continue;
		m->valid_until = m->added;
		f = accord_verify_find_feed(r, m->key.id);
		it = f && f->cut > 0 ? accord_verify_item_at(f, f->cut) : NULL;
		if (it && it->e && it->e->time > m->valid_until)
			m->valid_until = it->e->time;
	}
}
