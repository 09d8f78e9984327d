/*
 * A party's members: admissions (party-invite, member-add) and the first
 * entry that takes one up, key rotations, revocations with their cut, and
 * recovering a party with its recovery key.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "encode.h"
#include "accord/error.h"
#include "json.h"
#include "causal.h"
#include "accord/timefmt.h"
#include "accord/hours.h"
#include "accord/party.h"

#include "party_impl.h"
#include "alloc.h"

/*
 * Whether `e` knew of what makes key `keyid` taken: its membership, or an
 * offer of it, each only if in e's causal past. An entry that did not know
 * is concurrent with it (an idle device, or two admins at once): refusing
 * it would make whichever sorts second a fault, and a later-written
 * duplicate could sort first (attack32 08-11). A state restored by the
 * index has no graph: everything in it was seen.
 */
static int saw_member(const accord_parties *p, const accord_entry *e, const accord_member *m)
{
	return m && m->accepted &&
	       accord_parties_seen_id(p, e, m->admitted_by ? m->admitted_by->id : "");
}

static int saw_offer(const accord_parties *p, const accord_entry *e, const char *keyid,
		     size_t party, int any_party)
{
	size_t i;

	for (i = 0; i < p->offer_count; i++) {
		const accord_offer *o = &p->offers[i];

		if (!o->withdrawn && !strcmp(o->key.id, keyid) &&
		    (any_party || o->party == party) && accord_parties_seen_id(p, e, o->entry->id))
			return 1;
	}
	return 0;
}

/* Withdraw every offer of `keyid` by `party`; how many there were. */
static size_t withdraw_offers(accord_parties *p, const char *keyid, size_t party)
{
	size_t i, n = 0;

	for (i = 0; i < p->offer_count; i++)
		if (!p->offers[i].withdrawn && p->offers[i].party == party &&
		    !strcmp(p->offers[i].key.id, keyid)) {
			p->offers[i].withdrawn = 1;
			n++;
		}
	return n;
}

/* Record entry e's offer of `key` to `party`, made by `adder` (a member-add, rotation or recovery). */
static accord_offer *add_offer(accord_parties *p, const accord_entry *e, const accord_pubkey *key,
			       size_t party, const accord_member *adder, const char *name)
{
	accord_offer *o = realloc(p->offers, (p->offer_count + 1) * sizeof(*o));

	if (!o)
		accord_oom();
	p->offers = o;
	o = &o[p->offer_count++];
	memset(o, 0, sizeof(*o));
	o->entry = e;
	o->key = *key;
	o->party = party;
	o->adder = adder;
	snprintf(o->name, sizeof(o->name), "%s", name ? name : "");
	return o;
}

/*
 * A party's root key replaced by its recovery key: the author must be the
 * key whose hash the party committed to, and must be no member; the old
 * root is revoked, the new key is root, and the next recovery hash takes
 * the place of this one.
 */
int accord_parties_apply_recover(accord_parties *p, const accord_entry *e)
{
	const char *name = accord_entry_str(e, "party");
	const accord_party *found = accord_parties_find(p, name ? name : "");
	unsigned char hash[32];
	char hex[ACCORD_ID_HEXLEN + 1];
	accord_member *old, *nm;
	accord_offer *o;
	accord_pubkey key;
	size_t idx, i;
	int error;

	if (!found)
		return accord_parties_deny("there is no party %s to recover", name ? name : "");
	accord_sha256(hash, e->author.pk, sizeof(e->author.pk));
	accord_hex_encode(hex, hash, sizeof(hash)); /* accord_recovery_hash, one layer down */
	/* of two parties with one name (a name conflict), the one that committed to this key */
	for (i = 0; i < p->party_count; i++)
		if (!strcmp(p->parties[i].name, found->name) && p->parties[i].recovery[0] &&
		    sodium_memcmp(hex, p->parties[i].recovery, ACCORD_ID_HEXLEN) == 0)
			found = &p->parties[i];
	idx = (size_t)(found - p->parties);
	if (!found->recovery[0])
		return accord_parties_deny("party %s committed to no recovery key", found->name);
	if (sodium_memcmp(hex, found->recovery, ACCORD_ID_HEXLEN) != 0)
		return accord_parties_deny(
			"key %.12s is not the recovery key party %s committed to", e->author.id,
			found->name);
	if (accord_parties_member(p, e->author.id))
		return accord_parties_deny("a recovery key is never a member key");
	if ((error = accord_parties_body_key(&key, e)) < 0)
		return error;
	nm = (accord_member *)accord_parties_member(p, key.id);
	/* offered or invited elsewhere, not taken up: one more offer, the key decides (attack36 03) */
	if (saw_member(p, e, nm))
		return accord_parties_deny("key %.12s is already known", key.id);
	{
		/* a recovery key is accord's own, made in the key home: ssh-ed25519 */
		accord_pubkey plain = e->author;

		plain.type = ACCORD_KEY_ED25519;
		plain.application[0] = '\0';
		if ((error = accord_parties_check_key_type(p, e, &plain)) < 0)
			return error;
	}
	old = p->members[found->root];
	/* revoked already (a root back after a key declined a recovery): its cut stands */
	if (!old->revoked || !old->revocation) {
		old->revoked = 1;
		old->revoked_at = e->time;
		old->revocation = e;
		/* the old root's entries in the recovery's causal past stand; later ones do not */
		old->cut =
			p->causal ? accord_causal_seen(p->causal, e->id, old->key.id) : INT64_MAX;
	}
	accord_parties_commit_recovery(&p->parties[idx], e);
	/*
	 * The key took up another admission meanwhile, unknown to the recovery
	 * (an old copy, an idle party): the recovery revokes the old root, and
	 * makes no one root (attack34 01, 02, 07). The next recovery key can.
	 */
	if (nm && nm->accepted && !nm->recovered_by)
		return 0;
	/* an offer the key's first entry takes up, like any admission (attack35 03) */
	o = add_offer(p, e, &key, idx, old, accord_entry_str(e, "member"));
	o->admin = o->root = 1;
	if (nm && nm->accepted) /* held by another recovery it did not know of: the key decides */
		return 0;
	nm = accord_parties_admit_key(p, &key, accord_entry_str(e, "member"), idx, e);
	nm->root = nm->admin = 1;
	nm->recovered_by = e;
	p->parties[idx].root = accord_parties_member_index(p, nm);
	return 0;
}

/* The offer of key `keyid` made by entry `entry_id`, not withdrawn, or NULL. */
static accord_offer *find_offer(accord_parties *p, const char *keyid, const char *entry_id)
{
	size_t i;

	for (i = 0; i < p->offer_count; i++) {
		accord_offer *o = &p->offers[i];

		if (!o->withdrawn && !strcmp(o->key.id, keyid) && !strcmp(o->entry->id, entry_id))
			return o;
	}
	return NULL;
}

/* A member-add: an offer; the key's record shows the first offer until one is accepted. */
static int apply_offer(accord_parties *p, const accord_entry *e, const accord_member *adder,
		       const accord_pubkey *key)
{
	accord_member *known = (accord_member *)accord_parties_member(p, key->id);
	const char *name = accord_entry_str(e, "member");
	accord_offer *o;

	if (known && known->accepted) {
		if (saw_member(p, e, known))
			return accord_parties_deny("key %.12s is already known as a member",
						   key->id);
		/*
		 * The key took up another admission meanwhile: this one has no
		 * effect, unless it is a recovery that the key's first entry may
		 * still decline for this offer (attack34 01).
		 */
		if (!known->recovered_by)
			return 0;
	}
	/* added twice at once (two admins, or an idle device): either offer can be taken up */
	if (saw_offer(p, e, key->id, adder->party, 0))
		return accord_parties_deny("key %.12s was already added to %s", key->id,
					   p->parties[adder->party].name);
	o = add_offer(p, e, key, adder->party, adder, name);
	o->admin = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e->body, "admin"));
	if (!known) {
		accord_member *nm = accord_parties_add_member(p, key, name, adder->party, e);

		nm->accepted = 0;
		nm->admin = o->admin;
		memcpy(nm->added_by, adder->key.id, sizeof(nm->added_by));
	}
	return 0;
}

/* Whether entry e (a party-recover) names key `keyid` as the new root. */
static int names_key(const accord_entry *e, const char *keyid)
{
	accord_pubkey key;

	if (strcmp(e->type, "party-recover") != 0 || accord_parties_body_key(&key, e) < 0) {
		accord_error_clear();
		return 0;
	}
	return !strcmp(key.id, keyid);
}

/*
 * Key `m` takes up an admission of party `party`: a party whose root
 * pointer a recovery or a rotation set to it (before its first entry) gets
 * back the root it replaced, revoked, since the key declined (attack34 01:
 * else the party's root would be another party's member).
 */
void accord_parties_release_root(accord_parties *p, const accord_member *m, size_t party)
{
	size_t me = accord_parties_member_index(p, m), j, k;

	for (j = 0; j < p->party_count; j++) {
		if (j == party || p->parties[j].root != me)
			continue;
		for (k = 0; k < p->member_count; k++) {
			const accord_member *x = p->members[k];

			if (x != m && x->party == j && x->root && x->revocation &&
			    (x->rotated_to == m || names_key(x->revocation, m->key.id))) {
				p->parties[j].root = k;
				break;
			}
		}
	}
}

/*
 * A member key's first entry accepts one admission: the member-add it
 * names, which must be in its causal past. Another party cannot claim a
 * key by adding it first (TRUST.md attack 3).
 */
int accord_parties_accept_admission(accord_parties *p, accord_member *m, const accord_entry *e)
{
	accord_offer *o = e->admission[0] ? find_offer(p, e->author.id, e->admission) : NULL;
	int still_revoked = 0;

	/*
	 * A state restored by the index keeps members, not offers: there the
	 * writer's own new entry is checked by the engine on every other copy.
	 */
	if (!o && !p->causal && !p->offer_count) {
		m->accepted = 1;
		return 0;
	}
	if (m->recovered_by && !strcmp(e->admission, m->recovered_by->id)) {
		/* a root made by party-recover accepts that entry */
		if (p->causal && accord_causal_in_past(p->causal, e, m->recovered_by) != 1)
			return accord_parties_deny(
				"the first entry of key %.12s must name the party-recover that made it root, in its causal past",
				e->author.id);
		return 0;
	}
	if (m->recovered_by && !o)
		return accord_parties_deny(
			"the first entry of key %.12s must name the party-recover that made it root, or another admission of it in effect",
			e->author.id);
	if (!o && m->revoked && e->admission[0]) {
		size_t i;

		/*
		 * Revoked before it accepted (cut 0), and still counting: a raise
		 * covers it, because a colleague built on it. It accepts the
		 * admission the revocation withdrew; the key stays revoked.
		 */
		for (i = 0; i < p->offer_count && !o; i++)
			if (p->offers[i].withdrawn && !strcmp(p->offers[i].key.id, e->author.id) &&
			    !strcmp(p->offers[i].entry->id, e->admission))
				o = &p->offers[i];
		still_revoked = o != NULL;
	}
	if (!o)
		return accord_parties_deny(
			"the first entry of key %.12s names admission %.12s, which is no member-add of this key in effect",
			e->author.id, e->admission[0] ? e->admission : "(none)");
	if (p->causal && accord_causal_in_past(p->causal, e, o->entry) != 1)
		return accord_parties_deny(
			"the first entry of key %.12s names admission %.12s, which is not in its causal past",
			e->author.id, e->admission);
	/* a recovery or rotation that made this key a party's root, which it declines, leaves it */
	accord_parties_release_root(p, m, o->party);
	m->recovered_by = !strcmp(o->entry->type, "party-recover") ? o->entry : NULL;
	m->party = o->party;
	m->admin = o->admin;
	m->root = o->root;
	if (o->root) /* a rotated or recovered root: its party's root from now on */
		p->parties[o->party].root = accord_parties_member_index(p, m);
	m->key.type = o->key.type; /* the offer accepted says the type, not the first one made */
	memcpy(m->key.application, o->key.application, sizeof(m->key.application));
	if (!still_revoked) {
		m->revoked = 0; /* a withdrawn offer of another party said so */
		m->revocation = NULL;
		m->retired = 0;
	}
	memcpy(m->added_by, o->adder->key.id, sizeof(m->added_by));
	m->added = o->entry->time;
	m->accepted = 1;
	m->admitted_by = e;
	memcpy(m->key.name, o->name,
	       sizeof(m->key.name) < sizeof(o->name) ? sizeof(m->key.name) : sizeof(o->name));
	m->key.name[sizeof(m->key.name) - 1] = '\0';
	return 0;
}

/* An admin revokes keys it admitted, directly or below; the root any key of its party. */
/*
 * Whether `x` is `holder`, or a key it replaced by rotations that count
 * (each successor took up the rotation naming it): an admin that rotated
 * keeps its authority over the keys its old key admitted (attack119 01).
 */
int accord_parties_rotation_taken_up(const accord_parties *p, const accord_member *x)
{
	if (!x->rotated_to)
		return 0;
	if (!p->causal && !x->revocation)
		return 1; /* restored by the index, which keeps only rotations taken up */
	return x->revocation && x->rotated_to->accepted && x->rotated_to->admitted_by &&
	       !strcmp(x->rotated_to->admitted_by->admission, x->revocation->id);
}

static int same_holder(const accord_parties *p, const accord_member *x, const accord_member *holder)
{
	size_t hops = 0;

	while (x && x != holder && hops++ < 1000000 && accord_parties_rotation_taken_up(p, x))
		x = x->rotated_to;
	return x == holder;
}

static int in_subtree(const accord_parties *revoker_state, const accord_member *revoker,
		      const accord_member *target)
{
	const char *at = target->added_by;
	const accord_member *m;
	size_t hops = 0;

	if (revoker->root)
		return 1;
	for (; *at && hops < 1000000; at = m->added_by, hops++) {
		m = accord_parties_member(revoker_state, at);
		if (!strcmp(at, revoker->key.id) || same_holder(revoker_state, m, revoker))
			return 1;
		if (!m)
			break;
	}
	return 0;
}

int accord_parties_may_revoke(const accord_parties *p, const accord_member *by,
			      const accord_member *target)
{
	return by && target && (by->admin || by->root) && target->party == by->party &&
	       !target->root && in_subtree(p, by, target);
}

/*
 * Whether admin m may withdraw its party's admission of key `keyid` that
 * no entry accepted yet: one it made, or one made below it, as it may
 * revoke (attack77: a sibling admin's withdrawal that sorts before the
 * key's first entry, its deps leaving that entry out, cut the key at 0).
 * Without an offer (a state the index restored), the member's adder.
 * 1 when m's party has nothing to withdraw: the caller says so.
 */
static int may_withdraw(const accord_parties *p, const accord_member *m,
			const accord_member *target, const char *keyid)
{
	size_t i;
	int offers = 0;

	if (m->root)
		return 1;
	for (i = 0; i < p->offer_count; i++) {
		const accord_offer *o = &p->offers[i];

		if (o->withdrawn || o->party != m->party || strcmp(o->key.id, keyid) != 0)
			continue;
		offers = 1;
		if (same_holder(p, o->adder, m) || (o->adder && in_subtree(p, m, o->adder)))
			return 1;
	}
	if (offers)
		return 0;
	/* nothing of m's party to withdraw: what follows says so */
	return !target || target->party != m->party || in_subtree(p, m, target);
}

/*
 * A key-rotate: the author names its successor, which takes the author's
 * name, party and role once its first entry accepts this entry (as it
 * would a member-add); the author is cut at this entry's seq, as if
 * revoked here. Only the key itself signs it, so no one else can move a
 * member to a key of their choosing.
 */
int accord_parties_apply_rotate(accord_parties *p, const accord_entry *e, accord_member *m)
{
	accord_member *nm;
	accord_offer *o;
	accord_pubkey key;
	int error;

	if (m->revoked)
		return accord_parties_deny(
			"key %.12s is revoked: a revoked key cannot name a successor", m->key.id);
	if ((error = accord_parties_body_key(&key, e)) < 0)
		return error;
	/*
	 * A successor offered or invited elsewhere without this key knowing
	 * (its key is public once named) is no reason to refuse the rotation:
	 * the successor's first entry takes up the rotation (attack32 09).
	 */
	nm = (accord_member *)accord_parties_member(p, key.id);
	/* offered or invited elsewhere, not taken up: one more offer (attack36 05) */
	if (saw_member(p, e, nm))
		return accord_parties_deny("key-rotate names key %.12s, which is already known",
					   key.id);
	/* a key admitted elsewhere unknown to it (a recovery naming it, attack35 01): it decides */
	o = add_offer(p, e, &key, m->party, m, m->key.name);
	o->admin = m->admin;
	o->root = m->root;
	if (!nm) {
		nm = accord_parties_add_member(p, &key, o->name, m->party, e);
		nm->accepted = 0;
		nm->admin = m->admin;
		nm->root = m->root;
		/* below the old key in the admission tree: whoever could revoke it can revoke this one */
		memcpy(nm->added_by, m->key.id, sizeof(nm->added_by));
	}
	if (m->root && !nm->accepted)
		p->parties[m->party].root = accord_parties_member_index(p, nm);
	m->revoked = 1;
	m->revoked_at = e->time;
	m->cut = e->seq;
	m->revocation = e;
	m->rotated_to = nm;
	return 0;
}

/*
 * A rotation that does not count (beyond its key's cut, or a side of its
 * key's fork), written before its author learned of revocation `rev` (or
 * of the recovery that replaced a root): the member went on with the
 * successor it names, and the revocation reaches that key too. The
 * successor is the member's, revoked before it accepted (cut 0: it was
 * never seated), so its entries count only as far as what other keys
 * built on raises them, never one that gives authority (attack113 01, 02:
 * the provider's close resting on the successor's co-signature, and the
 * terms it co-signed, fell with the rotation). It is never a root. `e`
 * itself stays set aside.
 */
void accord_parties_retire_rotation(accord_parties *p, const accord_entry *e,
				    const accord_member *m, const accord_entry *rev)
{
	accord_member *nm;
	accord_offer *o;
	accord_pubkey key;

	if (accord_parties_body_key(&key, e) < 0 || accord_parties_member(p, key.id))
		return;
	o = add_offer(p, e, &key, m->party, m, m->key.name);
	o->admin = m->admin;
	o->withdrawn = 1;
	nm = accord_parties_add_member(p, &key, o->name, m->party, e);
	nm->accepted = 0;
	nm->admin = m->admin;
	memcpy(nm->added_by, m->key.id, sizeof(nm->added_by));
	nm->revoked = 1;
	nm->revoked_at = rev->time;
	nm->cut = 0;
	nm->revocation = rev;
	nm->retired = 1;
}

int accord_parties_retired_taken_elsewhere(accord_parties *p, const accord_member *m,
					   const accord_entry *e)
{
	return m->retired && !m->accepted && e->seq == 1 && e->admission[0] &&
	       find_offer(p, m->key.id, e->admission) != NULL;
}

const accord_member *accord_parties_contested_successor(const accord_parties *p,
							const accord_member *m)
{
	const accord_entry *rev = m ? m->revocation : NULL;
	size_t hops = 0;

	if (!m || !m->revoked || !rev || !strcmp(rev->type, "member-revoke") ||
	    !strcmp(rev->type, "party-recover") || !strcmp(rev->author.id, m->key.id))
		return NULL;
	/* up the successors that rotated again, to the one the contested rotation admitted */
	while (m && strcmp(m->added_by, rev->author.id) != 0 && hops++ < 1000000)
		m = accord_parties_member(p, m->added_by);
	return m;
}

/*
 * Whether `e` revokes `target` again without having seen its earlier
 * revocation: two admins above one member revoking it at once. That is no
 * fault of either, so the second counts too, and the higher cut holds:
 * whatever any revoker saw of the key before revoking it was written
 * before that revocation. A revocation that saw the first is refused.
 */
static int revoked_concurrently(accord_parties *p, const accord_entry *e, accord_member *target,
				int64_t cut)
{
	const accord_entry *first = target->revocation;

	if (!p->causal || !first || !strcmp(first->type, "key-rotate") ||
	    accord_causal_in_past(p->causal, e, first) != 0)
		return 0;
	if (cut > target->cut) {
		target->cut = cut;
		target->revocation = e;
	}
	if (e->time < target->revoked_at)
		target->revoked_at = e->time;
	return 1;
}

/*
 * A revocation of a retired key that did not see its rotation names a cut
 * below it: the key is cut there, and the rotation, with whatever the key
 * wrote after the cut, lies beyond it (the next round sets it aside, and
 * accord_parties_retire_rotation revokes its successor). Else a revoked
 * admin's stale copy adds an admin and rotates, both sorting before the
 * revocation, and the rotation carried the add past the cut.
 */
static void cut_retired(accord_member *retired, const accord_entry *e, int64_t cut)
{
	if (cut < 0 || cut >= retired->cut)
		return;
	retired->cut = cut;
	retired->revocation = e;
	retired->revoked_at = e->time;
}

int accord_parties_apply_revoke(accord_parties *p, const accord_entry *e, const accord_member *m)
{
	accord_member *target, *retired;
	accord_pubkey key;
	int64_t cut = accord_entry_int(e, "cut", -1), seen, named;
	int error;

	if (!m->admin)
		return accord_parties_deny("only a party's root or an admin may revoke members");
	if ((error = accord_parties_body_key(&key, e)) < 0)
		return error;
	target = (accord_member *)accord_parties_member(p, key.id);
	if (target && !target->accepted) {
		/* an admission withdrawn before it was accepted (a state restored by the
		 * index has the member, not the offer) */
		if (!may_withdraw(p, m, target, key.id))
			return accord_parties_deny(
				"%s may withdraw only admissions it made (directly or below); key %.12s was added by %s",
				m->key.name, key.id,
				target->added_by[0] ? target->added_by : "another party");
		if (!withdraw_offers(p, key.id, m->party) &&
		    (p->offer_count || target->party != m->party))
			return accord_parties_deny("key %.12s is not a member of %s", key.id,
						   p->parties[m->party].name);
		if (target->party == m->party) {
			target->revoked = 1; /* shown as revoked until it accepts another party's */
			target->revoked_at = e->time;
			target->cut = 0;
			target->revocation = e;
		}
		return 0;
	}
	/* its own offer of a key that joined elsewhere meanwhile, unknown to it: withdrawn, no fault */
	if (target && target->party != m->party && may_withdraw(p, m, target, key.id) &&
	    withdraw_offers(p, key.id, m->party) && !saw_member(p, e, target))
		return 0;
	if (!target || target->party != m->party)
		return accord_parties_deny("key %.12s is not a member of %s", key.id,
					   p->parties[m->party].name);
	if (target->revoked && target->rotated_to) {
		/*
		 * Retired by its own rotation, which may well be concurrent with
		 * this revocation: the revocation reaches the key that replaced it,
		 * so rotating cannot outrun a revocation.
		 */
		if (p->causal && (seen = accord_causal_seen(p->causal, e->id, key.id)) != cut)
			return accord_parties_deny(
				"the revocation names cut %lld, but seq %lld of key %.12s is the highest in its causal past",
				(long long)cut, (long long)seen, key.id);
		retired = target;
		named = cut;
		/*
		 * Only to a successor that took up this rotation (or has not taken
		 * up anything yet): a key another party admitted, named by a
		 * rotation it never accepted, is not this member's (attack33 07).
		 */
		while (target->revoked && target->rotated_to &&
		       (!target->rotated_to->accepted || !target->rotated_to->admitted_by ||
			!strcmp(target->rotated_to->admitted_by->admission,
				target->revocation ? target->revocation->id : "")))
			target = (accord_member *)target->rotated_to;
		if (target->revoked && target->rotated_to) {
			cut_retired(retired, e, named);
			return 0; /* retired, and its successor is another's: nothing left to cut */
		}
		if (target->revoked && target->accepted && p->causal &&
		    revoked_concurrently(p, e, target,
					 accord_causal_seen(p->causal, e->id, target->key.id))) {
			cut_retired(retired, e, named);
			return 0;
		}
		if (target->revoked)
			return accord_parties_deny(
				"key %.12s and the key that replaced it are revoked already",
				key.id);
		if (target->root)
			return accord_parties_deny(
				"key %.12s was replaced by the party's root key, which cannot be revoked",
				key.id);
		if (!in_subtree(p, m, target))
			return accord_parties_deny(
				"%s may revoke only keys it admitted (directly or below)",
				m->key.name);
		if (!target->accepted) {
			withdraw_offers(p, target->key.id, m->party);
			cut = 0;
		} else {
			cut = p->causal ? accord_causal_seen(p->causal, e->id, target->key.id)
					: INT64_MAX;
		}
		target->revoked = 1;
		target->revoked_at = e->time;
		target->cut = cut;
		target->revocation = e;
		cut_retired(retired, e, named);
		return 0;
	}
	if (target->root)
		return accord_parties_deny("the root key of a party cannot be revoked");
	if (!in_subtree(p, m, target))
		return accord_parties_deny(
			"%s may revoke only keys it admitted (directly or below); %s was admitted by %s",
			m->key.name, target->key.name,
			target->added_by[0] ? target->added_by : "the root");
	if (p->causal && (seen = accord_causal_seen(p->causal, e->id, key.id)) != cut)
		return accord_parties_deny(
			"the revocation names cut %lld, but seq %lld of key %.12s is the highest in its causal past",
			(long long)cut, (long long)seen, key.id);
	if (target->revoked && revoked_concurrently(p, e, target, cut))
		return 0;
	if (target->revoked)
		return accord_parties_deny("key %.12s is revoked already", key.id);
	target->revoked = 1;
	target->revoked_at = e->time;
	target->cut = cut;
	target->revocation = e;
	return 0;
}

/* An admin's member-add (an offer its key accepts) or party-invite. */
int accord_parties_apply_admit(accord_parties *p, const accord_entry *e, const accord_member *m)
{
	const char *name = accord_entry_str(e, "member"), *party = accord_entry_str(e, "party");
	accord_invite *ni;
	accord_pubkey key;
	int error;

	if (!m->admin)
		return accord_parties_deny("only a party's root or an admin may %s",
					   e->type[0] == 'p' ? "invite a party" : "add members");
	if ((error = accord_parties_body_key(&key, e)) < 0)
		return error;
	/*
	 * Only what the admin saw, and only a member: an invitation or another
	 * party's offer of the key not taken up is one more offer, and the key's
	 * first entry decides (attack36 06).
	 */
	if (e->type[0] == 'm')
		return apply_offer(p, e, m, &key);
	if (saw_member(p, e, accord_parties_member(p, key.id)))
		return accord_parties_deny("key %.12s is already known as a member", key.id);
	/* only what the inviter saw: a concurrent invite of the name frames no one */
	if (accord_parties_name_taken(p, e, party ? party : "", 1))
		return accord_parties_deny(
			"party %s exists or is invited already (names that differ only in case or look alike are one name)",
			party);
	ni = realloc(p->invites, (p->invite_count + 1) * sizeof(*ni));
	if (!ni)
		accord_oom();
	p->invites = ni;
	ni += p->invite_count++;
	memset(ni, 0, sizeof(*ni));
	ni->key = key;
	snprintf(ni->party, sizeof(ni->party), "%s", party);
	snprintf(ni->member, sizeof(ni->member), "%s", name ? name : "root");
	memcpy(ni->entry_id, e->id, sizeof(e->id));
	ni->by_party = m->party;
	ni->time = e->time;
	return 0;
}

size_t accord_parties_pending_offers(const accord_parties *p, const accord_member *m, int *parties)
{
	size_t i, n = 0;

	*parties = 1;
	for (i = 0; !m->accepted && i < p->offer_count; i++)
		if (!p->offers[i].withdrawn && !strcmp(p->offers[i].key.id, m->key.id)) {
			n++;
			if (p->offers[i].party != m->party)
				*parties = 2;
		}
	return n;
}
