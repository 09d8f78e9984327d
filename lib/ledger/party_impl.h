/*
 * Inside the party module: what its files share. Not part of the public
 * API (callers use include/accord/party.h); never installed.
 *
 *   party.c            the parties' state, names, founding a party
 *                      (genesis, accept), the author check, and
 *                      accord_parties_apply, which sends each entry on
 *   party_member.c     membership: admissions (invite, member-add) and
 *                      accepting them, rotations, revocations, recovery
 *   party_incident.c   what a member may write about an incident
 *   party_agreement.c  agreements between two parties, their cosigns and
 *                      retractions
 *
 * Each rule returns 0 or ACCORD_EDENIED (through accord_parties_deny),
 * setting p->last_rule when a rule has a name.
 */
#ifndef ACCORD_PARTY_IMPL_H
#define ACCORD_PARTY_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "accord/party.h"

/* ---- party.c --------------------------------------------------------------- */

/* ACCORD_EDENIED with the message (the rules' one way to refuse). */
int accord_parties_deny(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* 1 if entry `id` is in the causal past of `e` (always, without a graph or an id). */
int accord_parties_seen_id(const accord_parties *p, const accord_entry *e, const char *id);

/* The first invitation not yet accepted for key `keyid` or to party `party`, or NULL. */
const accord_invite *accord_parties_pending_invite(const accord_parties *p, const char *keyid,
						   const char *party);

/* A new member of party `party`, admitted by `e`. */
accord_member *accord_parties_add_member(accord_parties *p, const accord_pubkey *key,
					 const char *name, size_t party, const accord_entry *e);
/* Where member `m` is in p->members (member_count if it is not there). */
size_t accord_parties_member_index(const accord_parties *p, const accord_member *m);
/* Key `m` takes up an admission of `party`: parties it was made root of get their old root back. */
void accord_parties_release_root(accord_parties *p, const accord_member *m, size_t party);
/*
 * A member made by a founding admission (party-accept, party-recover): the
 * key's record taken over if another party offered it at the same time and
 * it never took that up, else a new one.
 */
accord_member *accord_parties_admit_key(accord_parties *p, const accord_pubkey *key,
					const char *name, size_t party, const accord_entry *e);

/* Whether party `name`, or one alike, joined (or, with `invites`, was invited) in e's causal past. */
int accord_parties_name_taken(const accord_parties *p, const accord_entry *e, const char *name,
			      int invites);

/* A public key given in a body as 64 hex digits, with its type. */
int accord_parties_body_key(accord_pubkey *out, const accord_entry *e);

/* An entry counts only when signed as the SSH key its author was admitted as. */
int accord_parties_check_key_type(accord_parties *p, const accord_entry *e,
				  const accord_pubkey *want);

/* The recovery key hash a genesis, party-accept or party-recover commits to. */
void accord_parties_commit_recovery(accord_party *party, const accord_entry *e);

/* ---- party_member.c -------------------------------------------------------- */

/* An admin's member-add (an offer its key accepts) or party-invite. */
int accord_parties_apply_admit(accord_parties *p, const accord_entry *e, const accord_member *m);

/*
 * Whether `e`, the first entry of a key accord_parties_retire_rotation
 * listed, takes up another admission in effect (its own party's rotation
 * or member-add): that one seats it (attack121 01).
 */
int accord_parties_retired_taken_elsewhere(accord_parties *p, const accord_member *m,
					   const accord_entry *e);

/* A key-rotate: the author names its successor, and is cut at this entry. */
int accord_parties_apply_rotate(accord_parties *p, const accord_entry *e, accord_member *m);

/* A member-revoke: the target is cut at the seq the entry names. */
int accord_parties_apply_revoke(accord_parties *p, const accord_entry *e, const accord_member *m);

/* A party's root key replaced by its recovery key. */
int accord_parties_apply_recover(accord_parties *p, const accord_entry *e);

/* A member key's first entry accepts one admission. */
int accord_parties_accept_admission(accord_parties *p, accord_member *m, const accord_entry *e);

/* ---- party_incident.c ------------------------------------------------------ */

/* The party `e` means by `name`. */
int accord_parties_party_index(const accord_parties *p, const accord_entry *e, const char *name,
			       size_t *out);

/* An open: its parties and tickets name parties the author knew of. */
int accord_parties_apply_open(accord_parties *p, const accord_entry *e, const accord_member *m);

/* An entry about an incident: the incident exists and involves the author's party. */
int accord_parties_check_incident(accord_parties *p, const accord_entry *e, const accord_member *m,
				  accord_party_incident **out);

/* An entry of a type about an incident that exists and involves its author's party. */
int accord_parties_apply_on_incident(accord_parties *p, const accord_entry *e,
				     const accord_member *m, accord_party_incident *inc);

/* ---- party_agreement.c ----------------------------------------------------- */

/* An agreement: its author's party is the customer side, `with` another party. */
int accord_parties_apply_agreement(accord_parties *p, const accord_entry *e,
				   const accord_member *m);

/* A co-signature of an agreement. */
int accord_parties_apply_agreement_cosign(accord_parties *p, const accord_entry *e,
					  const accord_member *m);

/* The proposer's retract of its agreement (a retract with no incident). */
int accord_parties_apply_agreement_retract(accord_parties *p, const accord_entry *e,
					   const accord_member *m);

#endif
