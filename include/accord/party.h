#ifndef ACCORD_PARTY_H
#define ACCORD_PARTY_H

#include <stddef.h>
#include <stdint.h>

#include "accord/agreement.h"
#include "accord/entry.h"
#include "accord/idmap.h"
#include "accord/key.h"
#include "accord/name.h"

/*
 * Parties, members and who may write what: authorization is part of
 * verification. The state is built by applying entries in ledger order;
 * each entry is checked against the state just before it, so an entry
 * counts only if its key was an active member at that point.
 *
 * The rules:
 *  - genesis founds the first party; its author is that party's root key;
 *  - party-invite (by a root or admin) proposes a new party and its root
 *    key; party-accept, signed by that key, completes the join. Until
 *    then the invited key may write nothing else. A party is its join,
 *    not its name: an invite or accept of a name already invited or
 *    joined in its own causal past is refused (only that entry), while
 *    concurrent ones all stand, a visible name conflict; an entry naming
 *    a party means the one of that name in its causal past, and is
 *    refused when it saw two;
 *  - a member is a key: keys with one name in one party are one person's
 *    devices (or a rotated key and its successor), each with its own feed;
 *    attribution is by (party, name), whichever key wrote;
 *  - member-add, by the party's root or an admin, offers a key a place in
 *    the signer's party; the key becomes a member only when its feed's
 *    first entry names that member-add ("admission") and has it in its
 *    causal past. An offer never accepted has no effect;
 *  - member-revoke, by the party's root (any key of the party) or an admin
 *    (keys of its own admission subtree only), names the cut: the revoked
 *    key's highest seq in the revocation's causal past. That key's entries
 *    beyond the cut never count. A root key cannot be revoked;
 *  - incident entries are written by active members of a party the
 *    incident involves; open names the parties, involve adds one;
 *  - cosign names a proposal of the same incident (a resolution, an impact
 *    window, a void or a duplicate); action marks an item owned by the
 *    signer's party; tickets name involved parties only; a duplicate names
 *    another incident;
 *  - checkpoint (witnessing verified feed heads) by any active member;
 *  - agreement (agreement.h), by a member of any party, names another
 *    party (`with`, the provider); only a member of that party co-signs
 *    it (a cosign with no incident), and its first such co-signature in
 *    ledger order makes it joint; hours must be a week and a TZ rule that
 *    read;
 *  - key-rotate, signed by a member key, names its successor: an admission
 *    of the new key with the same name, party and role (it accepts it as
 *    it would a member-add), and a cut of the signing key at this entry's
 *    seq, as if it were revoked there. A revocation that names a key
 *    retired by rotation revokes its successor too;
 *  - a key is admitted with its SSH key type (ssh-ed25519, or
 *    sk-ssh-ed25519@openssh.com and its FIDO application: key_type and
 *    application in the admitting entry's body); every entry of that key
 *    must be signed as that very type, else it is a wrong signer;
 *  - party-recover replaces a party's root key. Only the recovery key the
 *    party committed to (its hash in the genesis, party-accept or last
 *    party-recover) signs it, on its own feed; the old root is revoked and
 *    the entry names the next recovery key. No other party can do this.
 */

typedef struct {
	char name[65];
	size_t root;			     /* index into members */
	int64_t joined;			     /* time of genesis or accept */
	char recovery[ACCORD_ID_HEXLEN + 1]; /* SHA-256 hex of its recovery key, "" if none */
	char joined_by[ACCORD_ID_HEXLEN +
		       1]; /* its genesis or party-accept entry; "" when restored */
	size_t inviter;	   /* the party whose admin invited it; SIZE_MAX for the genesis party */
} accord_party;

typedef struct accord_member_s {
	accord_pubkey key; /* key.name is the member name */
	size_t party;	   /* index into parties */
	int root;
	int admin;
	int revoked;
	int64_t added; /* entry time of the add (or genesis/accept) */
	int64_t revoked_at;
	int accepted; /* its feed's first entry accepted an admission */
	char added_by[ACCORD_KEYID_HEXLEN +
		      1]; /* key id of the admin whose member-add it accepted; "" for roots */
	int64_t cut;	  /* with revoked: its entries beyond this seq never count */
	int64_t valid_until; /* with revoked: the time of its last entry that counts (set by the engine) */
	const accord_entry *revocation; /* the member-revoke, when revoked */
	/*
	 * The entry that made it a member (its genesis, party-accept,
	 * party-recover, or its first entry taking up an offer); NULL when
	 * restored by the index or not accepted yet.
	 */
	const accord_entry *admitted_by;
	const accord_entry *
		recovered_by; /* the party-recover that made it root, which its first entry names */
	const struct accord_member_s
		*rotated_to; /* with revoked by its own key-rotate: the key it named */
	/*
	 * Listed by accord_parties_retire_rotation, never seated: an admission
	 * that counts, which its first entry takes up, seats it instead
	 */
	int retired;
} accord_member;

/* An admission offered by a member-add, in effect once the key accepts it. */
typedef struct {
	const accord_entry *entry;
	accord_pubkey key;
	size_t party;
	int admin;
	int root; /* a key-rotate of the party's root: the new key is root */
	char name[65];
	const accord_member *adder; /* for a key-rotate, the key that rotated */
	int withdrawn;		    /* revoked before the key accepted it */
} accord_offer;

/* Why accord_parties_apply last refused an entry, when a rule rather than a fault. */
typedef enum {
	ACCORD_RULE_NONE = 0,
	ACCORD_RULE_PAST_CUT, /* beyond its key's cut, written without seeing the revocation */
	ACCORD_RULE_AFTER_REVOCATION, /* beyond its key's cut, the revocation in its causal past */
	ACCORD_RULE_WRONG_KEY	      /* a fault, not a rule: signed as another SSH key type or
					 FIDO application than the key was admitted with */
} accord_rule;

typedef struct {
	accord_pubkey key;
	char party[65];
	char member[65];
	char entry_id[ACCORD_ID_HEXLEN + 1]; /* the party-invite entry */
	size_t by_party;		     /* the inviting admin's party */
	int64_t time;
	int accepted;
} accord_invite;

/* What authorization needs to know about an incident. */
typedef struct {
	const accord_entry *open;
	size_t *parties;	 /* indexes into parties, in order of involvement */
	const accord_entry **by; /* beside parties: the open or involve that involved each */
	size_t party_count;
} accord_party_incident;

typedef struct {
	accord_party *parties;
	size_t party_count;
	accord_member **members; /* each allocated alone, so map keys stay put */
	size_t member_count;
	accord_invite *invites;
	size_t invite_count;
	accord_idmap member_by_key; /* key id -> accord_member */
	accord_idmap incidents;	    /* open entry id -> accord_party_incident */
	accord_idmap
		proposals; /* entry id -> what a cosign may name: resolution, impact, void, duplicate */
	accord_offer *offers;
	size_t offer_count;
	accord_agreement **agreements; /* in ledger order of their proposals */
	size_t agreement_count;
	int name_conflict; /* two parties share a name (concurrent invites): see party_index */
	/*
	 * Set by the verification engine: the causal graph of the entries
	 * (causal.h), so that admissions and cuts are checked against each
	 * entry's causal past; and a floor under cuts (TRUST.md attack 1).
	 * NULL where a caller builds entries it made itself.
	 */
	const struct accord_causal *causal;
	int64_t (*cut_floor)(void *arg, const char *keyid);
	void *cut_floor_arg;
	/*
	 * Also set by the engine: whether `id`, named by `e`, is a proposal of
	 * e's incident in e's causal past that a rule sets aside (beyond a cut).
	 * A cosign or an action naming it counts, without effect; a resolution
	 * revising it is a new proposal. Takes cut_floor_arg.
	 */
	int (*set_aside)(void *arg, const accord_entry *e, const char *id);
	accord_rule last_rule;
} accord_parties;

void accord_parties_init(accord_parties *p);
void accord_parties_dispose(accord_parties *p);

/*
 * Check `e` against the state and, if it is allowed, apply it.
 * ACCORD_EDENIED with the reason if not; the state is unchanged then.
 * `e` must outlive the state (it is referenced, not copied).
 */
int accord_parties_apply(accord_parties *p, const accord_entry *e);

/*
 * The first entry of a revoked key, set aside alone (beyond its cut, no
 * raise covering it): it still accepts the admission it names, which the
 * key's entries that a raise brings back rest on. Nothing else of it
 * applies. ACCORD_EDENIED if it names no admission it may accept.
 */
int accord_parties_accept_first(accord_parties *p, const accord_entry *e);

/*
 * When member `m` is the successor of a rotation that a contest set aside
 * (its rival stands as its revocation), or a successor of one that rotated
 * again: the key the contested rotation admitted, which `member vouch`
 * names. NULL otherwise.
 */
const accord_member *accord_parties_contested_successor(const accord_parties *p,
							const accord_member *m);

/*
 * Whether `x` was retired by a rotation its successor (x->rotated_to) took
 * up: the same holder, who keeps x's authority over what x admitted.
 */
int accord_parties_rotation_taken_up(const accord_parties *p, const accord_member *x);

/*
 * Whether member `by` may revoke member `target` at all: an admin or the
 * root of target's party, target no root, and in by's admission subtree
 * (the root's: every key of its party).
 */
int accord_parties_may_revoke(const accord_parties *p, const accord_member *by,
			      const accord_member *target);

/*
 * Key-rotate `e` of member `m`, which does not count (beyond m's cut, or
 * a side of m's fork) and was written before its author learned of
 * revocation `rev` (a member-revoke, or a party-recover of a root): its
 * successor joins m's party revoked with cut 0, so a raise can bring back
 * what other keys built on it. Nothing else of `e` applies.
 */
void accord_parties_retire_rotation(accord_parties *p, const accord_entry *e,
				    const accord_member *m, const accord_entry *rev);

/*
 * Rebuilding a state saved by the index (index.h) without replaying every
 * entry. The index saves only what it verified; these do no checks.
 */
size_t accord_parties_restore_party(accord_parties *p, const char *name, int64_t joined);
accord_member *accord_parties_restore_member(accord_parties *p, const accord_pubkey *key,
					     size_t party);
accord_invite *accord_parties_restore_invite(accord_parties *p);
/* An incident's facts from its own entries: the open entry, involve entries, proposals. */
int accord_parties_restore_incident(accord_parties *p, const accord_entry *const *entries,
				    size_t count);

/*
 * Add `key`'s SSH key type to the body of the entry that admits it
 * (genesis for its author; party-invite, member-add, key-rotate and
 * party-recover for their `key`): key_type and application for an sk
 * key, nothing for ssh-ed25519, its one encoding.
 */
void accord_body_add_key_type(cJSON *body, const accord_pubkey *key);

/* The member with key id `keyid` (revoked or not), or NULL. */
const accord_member *accord_parties_member(const accord_parties *p, const char *keyid);

/**
 * 1 if two party names are one name to a reader: equal but for ASCII case
 * and look-alike letters (I l 1, O 0, rn m, vv w, . _ -).
 */
int accord_party_names_alike(const char *a, const char *b);

/* The party named `name`, or NULL. */
const accord_party *accord_parties_find(const accord_parties *p, const char *name);
/*
 * Whether party `by` brought party `name` into the ledger: invited it, or
 * invited the party that invited it, and so on up to the genesis party.
 * A party brings in itself. Invitations are followed by party, not by
 * name; a name two parties share (a concurrent invitation) is brought in
 * only when each party of that name was, and `by` is any party of its name.
 */
int accord_parties_brought_in(const accord_parties *p, const char *name, const char *by);
/* The same for the party at index `party`. */
int accord_parties_index_brought_in(const accord_parties *p, size_t party, const char *by);

/*
 * The admissions of member m's key no entry accepted yet (0 once it
 * accepted one); *parties is set to 2 when they come from more than one
 * party, else 1. Several: the key has not chosen, and is nobody's member.
 */
size_t accord_parties_pending_offers(const accord_parties *p, const accord_member *m, int *parties);

/* The pending (not accepted) invite for key `keyid`, or NULL. */
const accord_invite *accord_parties_invite_for(const accord_parties *p, const char *keyid);

/* The agreement with entry id `id`, or NULL. */
const accord_agreement *accord_parties_agreement(const accord_parties *p, const char *id);

/* Restoring an agreement the index saved (takes ownership). */
void accord_parties_restore_agreement(accord_parties *p, accord_agreement *a);

/* Authorization facts of incident `id` (full id), or NULL. */
const accord_party_incident *accord_parties_incident(const accord_parties *p, const char *id);

/* "member@party" for key `keyid`, else the first 12 digits of the key id. */
void accord_parties_label(char *out, size_t len, const accord_parties *p, const char *keyid);

#endif
