/*
 * Agreements between two parties (SLA and XLA terms): proposing one,
 * co-signing it, retracting it, and which one is in force.
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

const accord_agreement *accord_parties_agreement(const accord_parties *p, const char *id)
{
	size_t i;

	for (i = 0; id && i < p->agreement_count; i++)
		if (!strcmp(p->agreements[i]->id, id))
			return p->agreements[i];
	return NULL;
}

void accord_parties_restore_agreement(accord_parties *p, accord_agreement *a)
{
	ACCORD_PUSH(p->agreements, p->agreement_count, a);
}

/*
 * An agreement: its author's party is the customer side, `with` another
 * party; hours, when given, must read here as they will be read by every
 * copy that computes a clock with them.
 */
static void withdraw_earlier(accord_parties *p, const accord_entry *e,
			     const accord_agreement *fresh);

int accord_parties_apply_agreement(accord_parties *p, const accord_entry *e, const accord_member *m)
{
	accord_agreement *a;
	accord_hours h;
	size_t idx;
	int error;

	if ((error = accord_parties_party_index(p, e, accord_entry_str(e, "with"), &idx)) < 0)
		return error;
	if (idx == m->party)
		return accord_parties_deny(
			"an agreement is between two parties: %s cannot agree with itself",
			p->parties[idx].name);
	if (!(a = accord_agreement_from_body(e->body)))
		return accord_parties_deny("agreement %.12s does not read", e->id);
	if (a->week &&
	    (accord_hours_parse_week(&h, a->week) < 0 || accord_tzrule_parse(&h.tz, a->tz) < 0)) {
		accord_agreement_free(a);
		return accord_parties_deny("agreement %.12s: its business hours do not read: %s",
					   e->id, accord_error_last());
	}
	memcpy(a->id, e->id, sizeof(a->id));
	snprintf(a->customer, sizeof(a->customer), "%s", p->parties[m->party].name);
	a->customer_index = (int64_t)m->party;
	a->provider_index = (int64_t)idx;
	a->proposed_at = e->time;
	memcpy(a->proposed_by, e->author.id, sizeof(a->proposed_by));
	withdraw_earlier(p, e, a);
	ACCORD_PUSH(p->agreements, p->agreement_count, a);
	return 0;
}

/*
 * New terms withdraw the customer's earlier proposals for the same scope
 * that it knew of (in e's causal past) and that are not joint: else the
 * provider could co-sign the laxer offer the customer replaced and have it
 * supersede the terms it co-signed since (judged by causal past, never by
 * the times the entries claim).
 */
static void withdraw_earlier(accord_parties *p, const accord_entry *e,
			     const accord_agreement *fresh)
{
	size_t i;

	for (i = 0; i < p->agreement_count; i++) {
		accord_agreement *old = p->agreements[i];

		if (!old->joint && !old->withdrawn_by[0] &&
		    accord_agreement_same_scope(old, fresh) &&
		    accord_parties_seen_id(p, e, old->id))
			memcpy(old->withdrawn_by, e->id, sizeof(old->withdrawn_by));
	}
}

/* Whether e has in its causal past a co-signature of agreement a. */
static int saw_cosign(const accord_parties *p, const accord_entry *e, const accord_agreement *a)
{
	size_t i;

	if (accord_parties_seen_id(p, e, a->joint_id))
		return 1;
	for (i = 0; i < a->also_count; i++)
		if (accord_parties_seen_id(p, e, a->also[i].id))
			return 1;
	return 0;
}

/*
 * The proposer's retract of its agreement (a retract with no incident):
 * only its own member (any of its keys, one name), only while not joint.
 */
int accord_parties_apply_agreement_retract(accord_parties *p, const accord_entry *e,
					   const accord_member *m)
{
	const char *id = accord_entry_str(e, "entry");
	accord_agreement *a = (accord_agreement *)accord_parties_agreement(p, id);
	const accord_member *by = a ? accord_parties_member(p, a->proposed_by) : NULL;

	if (!a)
		return accord_parties_deny("retract names agreement %.12s, which does not exist",
					   id ? id : "");
	if (!by || by->party != m->party || strcmp(by->key.name, m->key.name) != 0)
		return accord_parties_deny(
			"agreement %.12s is not %s's: a member retracts only its own proposals",
			a->id, m->key.name);
	if (a->joint) {
		/*
		 * Judged on the retract's own causal past (attack76 03): one
		 * concurrent with the co-signature counts, to no effect, as it
		 * does when it sorts before it; one that saw it is refused.
		 */
		if (saw_cosign(p, e, a))
			return accord_parties_deny(
				"agreement %.12s is joint: %s co-signed it; propose new terms instead",
				a->id, a->provider);
		return 0;
	}
	if (!a->withdrawn_by[0])
		memcpy(a->withdrawn_by, e->id, sizeof(a->withdrawn_by));
	return 0;
}

/*
 * A co-signature of an agreement: only its provider's members sign it (the
 * customer proposed it). The first in ledger order makes it joint; a later
 * one (two members concurrently) counts, to no effect.
 */
int accord_parties_apply_agreement_cosign(accord_parties *p, const accord_entry *e,
					  const accord_member *m)
{
	const char *id = accord_entry_str(e, "proposal");
	accord_agreement *a = (accord_agreement *)accord_parties_agreement(p, id);

	if (!a) {
		if (id && p->set_aside && p->set_aside(p->cut_floor_arg, e, id))
			return 0; /* what a revoked key proposed unaware: counts, to no effect */
		return accord_parties_deny("cosign names an agreement %.12s that does not exist",
					   id ? id : "");
	}
	if (strcmp(a->provider, p->parties[m->party].name) != 0)
		return accord_parties_deny(
			"agreement %.12s is between %s and %s: only %s co-signs it", a->id,
			a->customer, a->provider, a->provider);
	/* a namesake of the provider (two parties of one name) never signs for it (attack44 04) */
	if ((int64_t)m->party != a->provider_index)
		return accord_parties_deny(
			"agreement %.12s names the party %s its proposer knew; this co-signature is of another party of that name",
			a->id, a->provider);
	if (a->joint) {
		accord_agreement_cosign x = { 0 };

		memcpy(x.id, e->id, sizeof(x.id));
		memcpy(x.key, e->author.id, sizeof(x.key));
		x.seq = e->seq;
		x.lamport = e->lamport;
		x.time = e->time;
		ACCORD_PUSH(a->also, a->also_count, x);
		return 0;
	}
	if (a->withdrawn_by[0] && accord_parties_seen_id(p, e, a->withdrawn_by))
		return accord_parties_deny(
			"agreement %.12s was withdrawn by %.12s (new terms for the same scope, or a retract) before this co-signature",
			a->id, a->withdrawn_by);
	a->withdrawn_by[0] =
		'\0'; /* co-signed before the withdrawal reached the provider: it stands */
	a->joint = 1;
	a->joint_at = e->time;
	memcpy(a->joint_id, e->id, sizeof(a->joint_id));
	memcpy(a->joint_key, e->author.id, sizeof(a->joint_key));
	a->joint_seq = e->seq;
	a->joint_lamport = e->lamport;
	return 0;
}
