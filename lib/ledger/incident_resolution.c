/*
 * An incident's resolution: proposals and revisions with their action
 * items (whose state carries across revisions), the signatures that make
 * one joint, proposals that the incident is void or a duplicate, disputed
 * clock times, retractions, and who still has to sign.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "accord/idmap.h"
#include "accord/incident.h"
#include "json.h"
#include "accord/timefmt.h"

#include "array.h"
#include "incident_impl.h"
#include "alloc.h"

void accord_action_id(char *out, const char *incident, const char *text, int occurrence)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;
	char n[16];

	/* the NUL bytes keep the fields apart: no text can pass for another split */
	snprintf(n, sizeof(n), "%d", occurrence);
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)incident, strlen(incident) + 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)text, strlen(text) + 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)n, strlen(n));
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, ACCORD_ACTION_ID_LEN + 1, h, ACCORD_ACTION_ID_LEN / 2);
}

const char *accord_action_state_name(accord_action_state state)
{
	return state == ACCORD_ACTION_DONE	  ? "done"
	       : state == ACCORD_ACTION_NOT_DOING ? "not-doing"
						  : "open";
}

int accord_action_overdue(const accord_action *a, int64_t now)
{
	char buf[32];
	int64_t due;

	if (a->state != ACCORD_ACTION_OPEN || !a->due)
		return 0;
	snprintf(buf, sizeof(buf), "%sT00:00:00Z", a->due);
	if (accord_time_parse_canonical(&due, buf) < 0)
		return 0;
	return now >= due + 86400;
}

/* The action items of resolution entry `e`, with their ids and no state yet. */
static void actions_of(accord_action **out, size_t *count, const accord_incident *inc,
		       const accord_entry *e)
{
	const cJSON *a;

	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(e->body, "actions")) {
		accord_action act;
		int occurrence = 1;

		memset(&act, 0, sizeof(act));
		act.text = accord_json_str(a, "text");
		act.owners = cJSON_GetObjectItemCaseSensitive(a, "owners");
		act.due = accord_json_str(a, "due");
		for (size_t i = 0; i < *count; i++)
			occurrence += strcmp((*out)[i].text, act.text) == 0;
		accord_action_id(act.id, inc->id, act.text, occurrence);
		ACCORD_PUSH(*out, *count, act);
	}
}

static const accord_action *item_state(const accord_incident *inc, const char *id)
{
	for (size_t i = 0; i < inc->derive->item_count; i++)
		if (strcmp(inc->derive->items[i].id, id) == 0)
			return &inc->derive->items[i];
	return NULL;
}

/* What the owners said of an item (not its text or owners, which the resolution gives). */
static void item_carry(accord_action *to, const accord_action *from)
{
	to->state = from->state;
	to->done = from->done;
	to->note = from->note;
	to->owner = from->owner;
	to->link = from->link;
	if (from->due)
		to->due = from->due;
	to->last = from->last;
}

void accord_derive_resolution_free(accord_resolution *r)
{
	if (r) {
		free(r->signatures);
		free(r->actions);
		free(r);
	}
}

/*
 * A new proposal starts a new round: earlier signatures do not carry over;
 * the action items it inherits (same text, so the same id) keep their
 * state. After a joint resolution it does so only if it knew of the
 * signature that made it joint, and never on a closed incident (a reopen
 * first); otherwise it is late. 0 if it took effect.
 */
int accord_derive_apply_proposal(accord_incident *inc, const accord_parties *p,
				 const accord_entry *e)
{
	accord_resolution *old = inc->resolution, *r;

	/*
	 * A closed incident's joint resolution changes only through a reopen
	 * (issue 13, item 3), which clears closed_by: a proposal while it is
	 * set is late, whether it knew of the close or not.
	 */
	if (inc->closed_by) {
		accord_derive_late_on_close(inc, p, e);
		return -1;
	}
	if (old && old->was_joint && old->joint_by &&
	    !accord_derive_in_past(inc, e, old->joint_by)) {
		accord_derive_mark_late(inc, p, e, "joint resolution", old->joint_by);
		return -1;
	}
	accord_derive_settle_conflicts(inc, NULL, "proposal", NULL, e);
	if (!(r = calloc(1, sizeof(*r))))
		accord_oom();
	ACCORD_PUSH(inc->derive->made, inc->derive->made_count, r);
	if (old && !accord_derive_in_past(inc, e, old->entry))
		accord_derive_add_conflict(inc, "proposal", NULL, old->entry, e);
	/* a signature written without knowing of this proposal may still make the old one joint */
	inc->derive->rival = old;
	r->entry = e;
	r->revision = (int)++inc->proposal_count;
	actions_of(&r->actions, &r->action_count, inc, e);
	/* an item a revision inherits keeps the state its owners gave it */
	for (size_t i = 0; i < r->action_count; i++) {
		const accord_action *known = item_state(inc, r->actions[i].id);

		if (known)
			item_carry(&r->actions[i], known);
	}
	inc->resolution = r;
	return 0;
}

static void drop_conflicts_of(accord_incident *inc, const accord_entry *e)
{
	size_t i = 0;

	while (i < inc->conflict_count) {
		if (inc->conflicts[i].a == e || inc->conflicts[i].b == e) {
			memmove(&inc->conflicts[i], &inc->conflicts[i + 1],
				(inc->conflict_count - i - 1) * sizeof(*inc->conflicts));
			inc->conflict_count--;
		} else {
			i++;
		}
	}
}

static int has_signed(const accord_resolution *r, const char *party)
{
	size_t i;

	for (i = 0; i < r->signature_count; i++)
		if (strcmp(r->signatures[i].party, party) == 0)
			return 1;
	return 0;
}

const accord_resolution *accord_incident_actions(const accord_incident *inc)
{
	return inc->kept_joint ? inc->kept_joint : inc->resolution;
}

/*
 * The resolution whose action items count while `cur`, the current
 * proposal, is not joint: the last one that every party involved then
 * signed, not withdrawn, even if a reopen or a later involve undid its
 * decision (attack83 01, 02): the items are what their owners signed, and
 * only a joint revision replaces them. NULL when `cur` is joint, or none is.
 */
static accord_resolution *items_joint(const struct accord_derive *d, const accord_resolution *cur)
{
	size_t k;

	if (!cur || cur->joint)
		return NULL;
	for (k = d->made_count; k-- > 0;)
		if (d->made[k] != cur && !d->made[k]->withdrawn &&
		    (d->made[k]->was_joint || d->made[k]->joint_as_seen))
			return d->made[k];
	return NULL;
}

void accord_derive_keep_joint(accord_incident *inc)
{
	const struct accord_derive *d = inc->derive;
	accord_resolution *items = items_joint(d, inc->resolution);
	size_t k, i;

	if (items) {
		inc->kept_joint = items;
		for (i = 0; i < items->action_count; i++)
			for (k = 0; k < d->item_count; k++)
				if (!strcmp(d->items[k].id, items->actions[i].id))
					item_carry(&items->actions[i], &d->items[k]);
	}
	if (!inc->resolution || inc->resolution->joint || inc->resolution->reopened)
		return;
	for (k = d->made_count; k-- > 0;) {
		const accord_resolution *r = d->made[k];

		if (r == inc->resolution || r->withdrawn || !r->joint)
			continue;
		/* joint still: no reopen undid it, and every party involved now signed it (attack52 03, 04) */
		if (r->reopened)
			return;
		for (i = 0; i < inc->party_count; i++)
			if (!has_signed(r, inc->parties[i]))
				return;
		inc->kept_joint_revision = r->revision;
		inc->kept_joint_at = r->joint_at;
		return;
	}
}

/* After a signature or an involve (`e`): joint once every involved party signed. */
void accord_derive_update_joint(accord_incident *inc, const accord_entry *e)
{
	accord_resolution *r = inc->resolution;
	size_t i;
	int all = 1, seen = 1;

	if (!r || inc->closed_by || r->reopened)
		return; /* a close decided it: only a reopen reopens the question, and a new proposal answers it */
	for (i = 0; i < inc->party_count; i++)
		if (!has_signed(r, inc->parties[i])) {
			all = 0;
			seen = seen && !accord_derive_knew_involved(inc, e, i);
		}
	/*
	 * A signature that every party it knew involved had signed: an
	 * involve it did not know of (concurrent, or with a low clock) leaves
	 * the decision open, never what the items' owners signed (attack85 01)
	 */
	if (seen && strcmp(e->type, "involve") != 0)
		r->joint_as_seen = 1;
	if (!all) {
		r->joint = 0;
		return;
	}
	if (!r->joint) {
		r->joint = 1;
		r->was_joint = 1;
		r->joint_at = e->time;
		r->joint_by = e;
	}
}

void accord_derive_add_signature(accord_incident *inc, const accord_parties *p,
				 const accord_entry *e)
{
	accord_resolution *r = inc->resolution;
	const accord_member *m = accord_parties_member(p, e->author.id);
	size_t i;

	if (!r || !m)
		return;
	for (i = 0; i < r->signature_count; i++)
		if (r->signatures[i].member == m)
			return; /* one signature per key */
	{
		accord_signature sig = { e, m, p->parties[m->party].name };

		ACCORD_PUSH(r->signatures, r->signature_count, sig);
	}
	accord_derive_update_joint(inc, e);
}

/* Whether every involved party is in `list`: what makes a void or duplicate take effect. */
static int all_signed(const accord_incident *inc, const char *const *list, size_t count)
{
	size_t i, j;

	for (i = 0; i < inc->party_count; i++) {
		for (j = 0; j < count && strcmp(list[j], inc->parties[i]) != 0; j++)
			;
		if (j == count)
			return 0;
	}
	return 1;
}

static void update_closures(accord_incident *inc)
{
	size_t i;

	for (i = 0; i < inc->closure_count; i++) {
		accord_closure *c = &inc->closures[i];

		if (!c->retracted && !c->joint && all_signed(inc, c->signed_by, c->signed_count)) {
			c->joint = 1;
			if (!inc->closed_as)
				inc->closed_as = c;
		}
	}
}

void accord_derive_closures_involve(accord_incident *inc)
{
	size_t i;

	/*
	 * A party involved after a void or duplicate became joint has not
	 * signed it: it takes effect again once that party co-signs, as a
	 * resolution does, so no party voids an incident alone and involves
	 * its partner after (attack32 03).
	 */
	for (i = 0; i < inc->closure_count; i++) {
		accord_closure *c = &inc->closures[i];

		if (c->joint && !all_signed(inc, c->signed_by, c->signed_count))
			c->joint = 0;
	}
	if (inc->closed_as && !inc->closed_as->joint)
		inc->closed_as = NULL;
	update_closures(inc);
}

void accord_derive_apply_closure(accord_incident *inc, const accord_parties *p,
				 const accord_entry *e)
{
	accord_closure c = { e, e->type, accord_entry_str(e, "of"), NULL, 0, 0, 0 };

	size_t k = inc->closed_as ? (size_t)(inc->closed_as - inc->closures) : 0;

	accord_sign_for(&c.signed_by, &c.signed_count, accord_party_of(p, e));
	ACCORD_PUSH(inc->closures, inc->closure_count, c);
	/* the array moved: closed_as must point into the new one */
	if (inc->closed_as)
		inc->closed_as = &inc->closures[k];
	update_closures(inc);
}

static accord_closure *find_closure(accord_incident *inc, const char *id)
{
	size_t i;

	for (i = 0; id && i < inc->closure_count; i++)
		if (strcmp(inc->closures[i].entry->id, id) == 0)
			return &inc->closures[i];
	return NULL;
}

/* A cosign counts for exactly one party, the signer's, and names one proposal. */
/* The pause (a status waiting) with id `id` among the incident's statuses, or NULL. */
static const accord_entry *find_pause(const accord_incident *inc, const char *id)
{
	const struct accord_derive *d = inc->derive;
	size_t i;

	for (i = 0; i < d->status_count; i++)
		if (!strcmp(d->statuses[i]->id, id) &&
		    accord_str_eq(accord_entry_str(d->statuses[i], "status"), "waiting"))
			return d->statuses[i];
	return NULL;
}

static accord_dispute *find_dispute(accord_incident *inc, const char *id)
{
	size_t i;

	for (i = 0; id && i < inc->dispute_count; i++)
		if (!strcmp(inc->disputes[i].entry->id, id))
			return &inc->disputes[i];
	return NULL;
}

/*
 * A later dispute of the same time by the same party that co-signature
 * `e` has in its causal past, or NULL: the disputer's claim is the last
 * one, and accepting one it replaced settles nothing (attack96 03).
 */
static const accord_dispute *superseded(accord_incident *inc, const accord_dispute *dp,
					const accord_entry *e)
{
	size_t i;

	for (i = (size_t)(dp - inc->disputes) + 1; i < inc->dispute_count; i++) {
		const accord_dispute *d = &inc->disputes[i];

		if (d->target == dp->target && !d->retracted && accord_str_eq(d->by, dp->by) &&
		    accord_derive_in_past(inc, e, d->entry))
			return d;
	}
	return NULL;
}

/*
 * A dispute of another party's signed time on this incident. Its time is
 * held to the graph: never before the time the entry claims (a dispute
 * says it happened later) nor after the dispute itself, which has it in
 * its causal past.
 */
void accord_derive_apply_dispute(accord_incident *inc, const accord_parties *p,
				 const accord_entry *e)
{
	const char *id = accord_entry_str(e, "entry");
	const accord_entry *target = id ? accord_idmap_get(&inc->derive->held, id) : NULL;
	accord_dispute dp;

	if (!target || target == e) {
		accord_derive_mark(inc, e, "no effect: it names no entry of this incident", NULL);
		return;
	}
	/* the times a joint close rested on are settled until a reopen (attack46 03) */
	if (inc->closed_by) {
		accord_derive_late_on_close(inc, p, e);
		return;
	}
	memset(&dp, 0, sizeof(dp));
	dp.entry = e;
	dp.target = target;
	dp.by = accord_party_of(p, e);
	dp.target_party = accord_party_of(p, target);
	if (!dp.by || accord_str_eq(dp.by, dp.target_party)) {
		accord_derive_mark(inc, e,
				   "no effect: only another involved party disputes a party's time",
				   NULL);
		return;
	}
	accord_derive_time_field(&dp.at, e, "at");
	if (dp.at < target->time)
		dp.at = target->time;
	if (dp.at > e->time)
		dp.at = e->time;
	dp.reason = accord_entry_str(e, "reason");
	dp.evidence = accord_entry_str(e, "evidence");
	ACCORD_PUSH(inc->disputes, inc->dispute_count, dp);
}

void accord_derive_apply_cosign(accord_incident *inc, const accord_parties *p,
				const accord_entry *e)
{
	const char *id = accord_entry_str(e, "proposal");
	const char *party = accord_party_of(p, e);
	const accord_entry *pause;
	accord_dispute *dp;
	accord_closure *c;
	accord_impact *w;

	if (!id)
		return;
	if (inc->resolution && strcmp(id, inc->resolution->entry->id) == 0) {
		accord_derive_add_signature(inc, p, e);
	} else if (inc->derive->rival && strcmp(id, inc->derive->rival->entry->id) == 0 &&
		   !accord_derive_in_past(inc, e, inc->resolution->entry)) {
		/*
		 * A signature on the proposal a concurrent one replaced, by a signer
		 * that knew only the first: if it makes the first joint, the other
		 * was a new round written without knowing of the joint resolution.
		 */
		accord_resolution *current = inc->resolution;

		inc->resolution = inc->derive->rival;
		accord_derive_add_signature(inc, p, e);
		if (inc->resolution->joint) {
			inc->derive->rival = NULL;
			accord_derive_mark_late(inc, p, current->entry, "joint resolution", e);
			drop_conflicts_of(inc, current->entry);
			current->withdrawn = 1;
			inc->proposal_count--;
		} else {
			inc->derive->rival = inc->resolution;
			inc->resolution = current;
		}
	} else if ((w = accord_figure_find(inc, id)) && inc->closed_by) {
		/*
		 * A joint window counts over the others: making one joint while the
		 * close stands re-scores what it judged, whether the close saw the
		 * window (attack98 01) or it was recorded after (attack100 01).
		 */
		accord_derive_late_on_close(inc, p, e);
	} else if ((w = accord_figure_find(inc, id))) {
		accord_sign_for(&w->signed_by, &w->signed_count, party);
		accord_figure_cosigned(inc, w, e);
	} else if (party && accord_figure_cosign_replaced(inc, e, id, party)) {
		/* signed a window whose new version it never saw (accord_figure_cosign_replaced) */
	} else if ((c = find_closure(inc, id)) && !c->retracted) {
		accord_sign_for(&c->signed_by, &c->signed_count, party);
		update_closures(inc);
	} else if ((pause = find_pause(inc, id)) && party &&
		   (accord_str_eq(accord_entry_str(pause, "on"), party) ||
		    accord_str_eq(inc->customer_party, party))) {
		/* the party waited on, and the customer whose clock it is (lib/ledger/clock.c) */
		accord_pause_sign ps = { pause, party, e };

		ACCORD_PUSH(inc->pause_signs, inc->pause_sign_count, ps);
	} else if ((dp = find_dispute(inc, id)) && !dp->retracted && party &&
		   accord_str_eq(party, accord_party_of(p, dp->target))) {
		const accord_dispute *later = superseded(inc, dp, e);

		/* the party whose time it disputes accepts the disputer's: settled */
		if (later)
			accord_derive_mark(inc, e,
					   "no effect: the disputer disputed that time again since",
					   later->entry);
		else if (!dp->accepted_by)
			dp->accepted_by = e;
	} else {
		accord_derive_mark(inc, e, "no effect: it names no current proposal", NULL);
	}
}

/* The latest proposal before `r` that was not withdrawn, or NULL. */
static accord_resolution *proposal_before(const struct accord_derive *d, const accord_resolution *r)
{
	size_t i = d->made_count;

	while (i > 0 && d->made[i - 1] != r)
		i--;
	while (i > 1 && d->made[i - 2]->withdrawn)
		i--;
	return i > 1 ? d->made[i - 2] : NULL;
}

/* Where `r` stands among the proposals made, in ledger order. */
static size_t made_at(const struct accord_derive *d, const accord_resolution *r)
{
	size_t i;

	for (i = 0; i < d->made_count && d->made[i] != r; i++)
		;
	return i;
}

/*
 * A withdrawn proposal's conflicts go back to the version of its side it
 * replaced, while that one and the other side still know nothing of each
 * other; else they are settled (attack75 04: retracting a revision made a
 * conflict between two standing proposals vanish, and `cosign INCIDENT`
 * then signed whichever sorts last).
 */
static void conflicts_back(accord_incident *inc, const accord_resolution *r)
{
	const struct accord_derive *d = inc->derive;
	const accord_entry *was = NULL, *other;
	size_t i = made_at(d, r), k = 0;

	while (i-- > 0 && !was)
		if (!d->made[i]->withdrawn &&
		    accord_derive_in_past(inc, r->entry, d->made[i]->entry))
			was = d->made[i]->entry;
	while (k < inc->conflict_count) {
		accord_conflict *c = &inc->conflicts[k];

		if (strcmp(c->kind, "proposal") != 0 || (c->a != r->entry && c->b != r->entry)) {
			k++;
			continue;
		}
		other = c->a == r->entry ? c->b : c->a;
		if (!was || was == other || accord_derive_in_past(inc, was, other) ||
		    accord_derive_in_past(inc, other, was)) {
			memmove(c, c + 1, (inc->conflict_count - k - 1) * sizeof(*c));
			inc->conflict_count--;
			continue;
		}
		/* a is the earlier in ledger order, b the one in effect */
		for (i = 0;
		     i < d->made_count && d->made[i]->entry != was && d->made[i]->entry != other;
		     i++)
			;
		c->a = i < d->made_count && d->made[i]->entry == was ? was : other;
		c->b = c->a == was ? other : was;
		k++;
	}
}

/*
 * A proposal that never was joint, withdrawn by its author: it is never
 * current again, and what it replaced is current again (attack51 B 01,
 * 02: retracting one's own revision dropped the joint resolution it
 * revised, or another party's proposal and the action items it gave).
 * Its conflicts go with it. -1 if `target` is no such proposal.
 */
static int withdraw_proposal(accord_incident *inc, const accord_entry *target)
{
	struct accord_derive *d = inc->derive;
	accord_resolution *r = NULL;
	size_t i;

	for (i = 0; i < d->made_count && !r; i++)
		if (d->made[i]->entry == target)
			r = d->made[i];
	if (!r || r->was_joint || r->withdrawn)
		return -1;
	r->withdrawn = 1;
	conflicts_back(inc, r);
	if (inc->resolution == r)
		inc->resolution = proposal_before(d, r);
	d->rival = inc->resolution ? proposal_before(d, inc->resolution) : NULL;
	return 0;
}

/*
 * The fact `target` stops counting; a proposal that never was joint is
 * withdrawn. 0 if it was found. A figure or proposal every party signed
 * once is shared: its author alone cannot take it back.
 */
static int withdraw(accord_incident *inc, const accord_entry *target, const accord_entry *by)
{
	accord_impact *w = accord_figure_find(inc, target->id);
	accord_closure *c;
	size_t i;

	if (w && w->was_joint)
		return -1;
	if (w && accord_figure_remove(inc, target, by) == 0)
		return 0;
	for (i = 0; i < inc->sla_count; i++) {
		if (inc->sla[i].entry == target) {
			memmove(&inc->sla[i], &inc->sla[i + 1],
				(inc->sla_count - i - 1) * sizeof(*inc->sla));
			inc->sla_count--;
			return 0;
		}
	}
	for (i = 0; i < inc->feedback_count; i++) {
		if (inc->feedback[i].entry == target) {
			memmove(&inc->feedback[i], &inc->feedback[i + 1],
				(inc->feedback_count - i - 1) * sizeof(*inc->feedback));
			inc->feedback_count--;
			return 0;
		}
	}
	for (i = 0; i < inc->ticket_count; i++) {
		if (inc->tickets[i].entry == target) {
			memmove(&inc->tickets[i], &inc->tickets[i + 1],
				(inc->ticket_count - i - 1) * sizeof(*inc->tickets));
			inc->ticket_count--;
			return 0;
		}
	}
	if (withdraw_proposal(inc, target) == 0)
		return 0;
	if ((c = find_closure(inc, target->id)) && !c->joint && !c->retracted) {
		c->retracted = 1;
		return 0;
	}
	/* a dispute the other side accepted is an agreed time: no longer the disputer's alone */
	for (i = 0; i < inc->dispute_count; i++) {
		if (inc->disputes[i].entry == target && !inc->disputes[i].retracted) {
			if (inc->disputes[i].accepted_by)
				return -1;
			inc->disputes[i].retracted = 1;
			return 0;
		}
	}
	return strcmp(target->type, "note") == 0 ? 0 : -1;
}

/* The same member: one party, one member name, whichever of its keys wrote. */
static int same_member(const accord_parties *p, const accord_entry *a, const accord_entry *b)
{
	const accord_member *x = accord_parties_member(p, a->author.id);
	const accord_member *y = accord_parties_member(p, b->author.id);

	return x && y && x->party == y->party && strcmp(x->key.name, y->key.name) == 0;
}

/* Whether `c` (NULL: no) is a co-signature naming `target`. */
static int cosign_of(const accord_entry *c, const accord_entry *target)
{
	const char *named = c ? accord_entry_str(c, "proposal") : NULL;

	return named && !strcmp(c->type, "cosign") && !strcmp(named, target->id);
}

/*
 * Whether retract `e` had in its causal past a co-signature of `target` by
 * m's party: it withdrew what that party had accepted, knowing it, so
 * another co-signature of that party (signed again, its deps left out)
 * changes nothing (attack83 03).
 */
static int knew_party_signed(accord_incident *inc, const accord_parties *p, const accord_entry *e,
			     const accord_entry *target, const accord_member *m)
{
	const accord_idmap *held = &inc->derive->held;
	const accord_member *x;
	size_t k;

	for (k = 0; k < held->size; k++) {
		const accord_entry *c = held->slots[k].key ? held->slots[k].value : NULL;

		if (cosign_of(c, target) && (x = accord_parties_member(p, c->author.id)) &&
		    x->party == m->party && accord_derive_in_past(inc, e, c))
			return 1;
	}
	return 0;
}

/*
 * A co-signature of `target` by a member of another involved party that
 * may sign it (of a dispute: the party whose time it disputes), that
 * neither had retract `e` in its causal past nor was in e's: the two were
 * written unaware of each other. NULL if none. Scans the incident's
 * entries, which only a retract does.
 */
static const accord_entry *cosigned_concurrently(accord_incident *inc, const accord_parties *p,
						 const accord_entry *e, const accord_entry *target)
{
	const accord_idmap *held = &inc->derive->held;
	const accord_member *by = accord_parties_member(p, e->author.id), *m, *owner = NULL;
	const accord_entry *event = NULL, *found = NULL;
	size_t k;

	/* a dispute is co-signed by the party whose time it disputes, and only by it (attack80 01) */
	if (!strcmp(target->type, "dispute") &&
	    (!(event = accord_idmap_get(held, accord_entry_str(target, "entry"))) ||
	     !(owner = accord_parties_member(p, event->author.id))))
		return NULL;
	for (k = 0; by && k < held->size; k++) {
		const accord_entry *c = held->slots[k].key ? held->slots[k].value : NULL;

		if (!cosign_of(c, target) || !(m = accord_parties_member(p, c->author.id)) ||
		    m->party == by->party || (owner && m->party != owner->party))
			continue;
		/* the lowest id of them: the map's slots are in no order two copies share */
		if (accord_derive_involved(inc, p->parties[m->party].name) &&
		    !accord_derive_in_past(inc, c, e) && !accord_derive_in_past(inc, e, c) &&
		    !knew_party_signed(inc, p, e, target, m) &&
		    (!found || strcmp(c->id, found->id) < 0))
			found = c;
	}
	return found;
}

/*
 * A member retracts its own entry (any of its keys): the entry stays in the
 * log, marked, and stops counting. Anything else is shown with no effect.
 * One written unaware of another party's co-signature, which was written
 * unaware of it, has no effect whichever sorts first, as an acceptance sent
 * before the withdrawal arrived (attack78: sorted first, it made the
 * co-signature, and the close or void that rested on it, count for
 * nothing; with deps left out on purpose, after the fact).
 */
void accord_derive_apply_retract(accord_incident *inc, const accord_parties *p,
				 const accord_entry *e)
{
	const char *id = accord_entry_str(e, "entry");
	const accord_entry *target = NULL, *c;
	const accord_impact *w;
	size_t i;

	for (i = 0; id && i < inc->timeline_count; i++)
		if (strcmp(inc->timeline[i]->id, id) == 0)
			target = inc->timeline[i];
	if (!target)
		accord_derive_mark(inc, e, "no effect: it names no earlier entry of this incident",
				   NULL);
	else if (!accord_retractable(target->type))
		/* an open or involve names tickets, but is no fact of its own (attack70 01) */
		accord_derive_mark(inc, e, "no effect: that entry cannot be retracted", NULL);
	else if (!same_member(p, target, e))
		accord_derive_mark(inc, e, "no effect: a member retracts only its own entries",
				   NULL);
	else if ((c = cosigned_concurrently(inc, p, e, target)))
		accord_derive_mark(
			inc, e,
			"no effect: another party co-signed that entry without knowing of this retract",
			c);
	else if (inc->closed_by && (w = accord_figure_find(inc, target->id)) &&
		 accord_derive_in_past(inc, inc->closed_by, w->first))
		/* a window the close judged the clocks' start on stays until a reopen (attack46 02) */
		accord_derive_late_on_close(inc, p, e);
	else if (withdraw(inc, target, e) < 0)
		accord_derive_mark(
			inc, e,
			"no effect: that entry cannot be retracted, or every party signed it",
			NULL);
	else {
		accord_derive_mark(inc, target, "retracted", e);
		if (inc->resolution) /* a proposal current again: joint as its signers now stand */
			accord_derive_update_joint(inc, e);
	}
}

/*
 * An action entry names an item by its resolution and number; the item's
 * id carries what it says to the current resolution, if that holds the
 * item (a revision may have inherited it). `assign` sets owner, link and
 * due; the other states set the state and its note.
 */
/* Whether `res` is an earlier revision of the current resolution (on its chain of revises). */
static int revised_into_current(const accord_incident *inc, const accord_entry *res)
{
	const accord_entry *r = inc->resolution ? inc->resolution->entry : NULL;
	size_t hops = 0;
	const char *up;

	while (r && hops++ < 100000 && (up = accord_entry_str(r, "revises")))
		if ((r = accord_idmap_get(&inc->derive->held, up)) == res)
			return 1;
	return 0;
}

/*
 * Whether `res` is the joint revision whose items count while the current
 * proposal is not joint (items_joint, accord_incident_actions): its owners
 * keep acting on them meanwhile (attack82 01).
 */
static int counts_joint(const accord_incident *inc, const accord_entry *res)
{
	const accord_resolution *r = items_joint(inc->derive, inc->resolution);

	return r && r->entry == res;
}

void accord_derive_apply_action(accord_incident *inc, const accord_entry *e)
{
	const char *s = accord_entry_str(e, "resolution"), *state = accord_entry_str(e, "state");
	const accord_entry *res = s ? accord_idmap_get(&inc->derive->held, s) : NULL;
	int64_t n = accord_entry_int(e, "action", 0);
	accord_action *items = NULL, *rec = NULL;
	size_t count = 0, i;
	struct accord_derive *d = inc->derive;

	if (!res || strcmp(res->type, "resolution") != 0 || !state)
		return;
	/*
	 * Only an action on the current resolution counts: item ids follow the
	 * text, not the owners, so an action on a party's own rival or late
	 * revision, restating another party's item with itself as owner, would
	 * otherwise change that party's item in the resolution in effect.
	 */
	if (!inc->resolution || (inc->resolution->entry != res && !revised_into_current(inc, res)))
		return;
	actions_of(&items, &count, inc, res);
	if (n < 1 || (size_t)n > count) {
		free(items);
		return;
	}
	/*
	 * An action on the revision before, written while the resolution was
	 * revised: it is the same item if the revision kept it, with the same
	 * owners (attack32 01); else it is shown to have had no effect.
	 */
	if (inc->resolution->entry != res && !counts_joint(inc, res)) {
		const accord_action *cur = NULL;

		for (i = 0; i < inc->resolution->action_count && !cur; i++)
			if (!strcmp(inc->resolution->actions[i].id, items[n - 1].id))
				cur = &inc->resolution->actions[i];
		if (!cur || !cJSON_Compare(cur->owners, items[n - 1].owners, 1)) {
			accord_derive_mark(
				inc, e, "no effect: the resolution was revised without this item",
				inc->resolution->entry);
			free(items);
			return;
		}
	}
	for (i = 0; i < d->item_count && !rec; i++)
		if (strcmp(d->items[i].id, items[n - 1].id) == 0)
			rec = &d->items[i];
	if (!rec) {
		ACCORD_PUSH(d->items, d->item_count, items[n - 1]);
		rec = &d->items[d->item_count - 1];
	}
	free(items);
	if (strcmp(state, "assign") == 0) {
		if (accord_entry_str(e, "owner"))
			rec->owner = accord_entry_str(e, "owner");
		if (accord_entry_str(e, "link"))
			rec->link = accord_entry_str(e, "link");
		if (accord_entry_str(e, "due"))
			rec->due = accord_entry_str(e, "due");
	} else {
		rec->state = strcmp(state, "done") == 0	       ? ACCORD_ACTION_DONE
			     : strcmp(state, "not-doing") == 0 ? ACCORD_ACTION_NOT_DOING
							       : ACCORD_ACTION_OPEN;
		rec->done = rec->state != ACCORD_ACTION_OPEN;
		rec->note = accord_entry_str(e, "note");
	}
	rec->last = e;
	for (i = 0; inc->resolution && i < inc->resolution->action_count; i++)
		if (strcmp(inc->resolution->actions[i].id, rec->id) == 0)
			item_carry(&inc->resolution->actions[i], rec);
}

const char **accord_incident_waiting(const accord_incident *inc, size_t *count)
{
	const char **out = calloc(inc->party_count + 1, sizeof(*out));
	size_t i;

	*count = 0;
	if (!out)
		accord_oom();
	for (i = 0; i < inc->party_count; i++)
		if (!inc->resolution || !has_signed(inc->resolution, inc->parties[i]))
			out[(*count)++] = inc->parties[i];
	return out;
}

static int listed(const char *const *list, size_t count, const char *party)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (strcmp(list[i], party) == 0)
			return 1;
	return 0;
}

const accord_entry **accord_incident_pending(const accord_incident *inc, const char *party,
					     size_t *count)
{
	const accord_entry **out = NULL;
	size_t i, n = 0;

	if (inc->resolution && !inc->resolution->joint && !has_signed(inc->resolution, party))
		ACCORD_PUSH(out, n, inc->resolution->entry);
	/* no co-signature makes a window joint while a close stands: nothing to ask (attack129 02) */
	for (i = 0; i < inc->figure_count && !inc->closed_by; i++) {
		const accord_impact *w = &inc->figures[i];

		if ((w->disputed || w->pending) && !accord_str_eq(w->party, party) &&
		    !listed(w->signed_by, w->signed_count, party))
			ACCORD_PUSH(out, n, w->entry);
	}
	for (i = 0; i < inc->closure_count; i++) {
		const accord_closure *c = &inc->closures[i];

		if (!c->joint && !c->retracted && !listed(c->signed_by, c->signed_count, party))
			ACCORD_PUSH(out, n, c->entry);
	}
	/*
	 * A pause that stops its setter's own clock waits for the party waited
	 * on, and for the customer-facing party when that is another
	 * (lib/ledger/clock.c).
	 */
	for (i = 1; i < inc->step_count; i++) {
		const accord_status_step *st = &inc->steps[i];
		const char *on = accord_entry_str(st->entry, "on");
		size_t j;

		if (strcmp(st->status, "waiting") != 0 || !on ||
		    accord_str_eq(st->party, inc->customer_party) ||
		    !(accord_str_eq(on, party) || accord_str_eq(inc->customer_party, party)) ||
		    (accord_str_eq(st->party, on) && accord_str_eq(on, party)))
			continue;
		for (j = 0; j < inc->pause_sign_count &&
			    !(inc->pause_signs[j].pause == st->entry &&
			      accord_str_eq(inc->pause_signs[j].party, party));
		     j++)
			;
		if (j == inc->pause_sign_count)
			ACCORD_PUSH(out, n, st->entry);
	}
	/* a dispute of the party's time waits for it: co-signing accepts the disputer's time */
	for (i = 0; i < inc->dispute_count; i++) {
		const accord_dispute *dp = &inc->disputes[i];

		if (!dp->retracted && !dp->accepted_by && accord_str_eq(dp->target_party, party))
			ACCORD_PUSH(out, n, dp->entry);
	}
	*count = n;
	return out;
}
