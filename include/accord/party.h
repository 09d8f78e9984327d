#ifndef ACCORD_PARTY_H
#define ACCORD_PARTY_H

#include <stddef.h>
#include <stdint.h>

#include "accord/entry.h"
#include "accord/idmap.h"
#include "accord/key.h"

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
 *    then the invited key may write nothing else;
 *  - member-add and member-revoke, by the party's root or an admin, add a
 *    key to (or remove it from) the signer's own party; a root key cannot
 *    be revoked, and a revoked key is never re-added;
 *  - incident entries are written by active members of a party the
 *    incident involves; open names the parties, involve adds one;
 *  - cosign names a proposal of the same incident (a resolution, an impact
 *    window, a void or a duplicate); action marks an item owned by the
 *    signer's party; tickets name involved parties only; a duplicate names
 *    another incident;
 *  - checkpoint (witnessing verified feed heads) by any active member;
 *  - party-recover replaces a party's root key. Only the recovery key the
 *    party committed to (its hash in the genesis, party-accept or last
 *    party-recover) signs it, on its own feed; the old root is revoked and
 *    the entry names the next recovery key. No other party can do this.
 */

typedef struct {
	char name[65];
	size_t root; /* index into members */
	int64_t joined; /* time of genesis or accept */
	char recovery[ACCORD_ID_HEXLEN + 1]; /* SHA-256 hex of its recovery key, "" if none */
} accord_party;

typedef struct {
	accord_pubkey key; /* key.name is the member name */
	size_t party;      /* index into parties */
	int root;
	int admin;
	int revoked;
	int64_t added;   /* entry time of the add (or genesis/accept) */
	int64_t revoked_at;
} accord_member;

typedef struct {
	accord_pubkey key;
	char party[65];
	char member[65];
	char entry_id[ACCORD_ID_HEXLEN + 1]; /* the party-invite entry */
	int64_t time;
	int accepted;
} accord_invite;

/* What authorization needs to know about an incident. */
typedef struct {
	const accord_entry *open;
	size_t *parties; /* indexes into parties, in order of involvement */
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
	accord_idmap incidents;     /* open entry id -> accord_party_incident */
	accord_idmap proposals;     /* entry id -> what a cosign may name: resolution, impact, void, duplicate */
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

/* The member with key id `keyid` (revoked or not), or NULL. */
const accord_member *accord_parties_member(const accord_parties *p, const char *keyid);

/* The party named `name`, or NULL. */
const accord_party *accord_parties_find(const accord_parties *p, const char *name);

/* The pending (not accepted) invite for key `keyid`, or NULL. */
const accord_invite *accord_parties_invite_for(const accord_parties *p, const char *keyid);

/* Authorization facts of incident `id` (full id), or NULL. */
const accord_party_incident *accord_parties_incident(const accord_parties *p, const char *id);

/* "member@party" for key `keyid`, else the first 12 digits of the key id. */
void accord_parties_label(char *out, size_t len, const accord_parties *p, const char *keyid);

#endif
