/*
 * Inside the incident module: the derivation's state while it runs, and
 * the steps its files share. Not part of the public API (callers use
 * include/accord/incident.h); never installed.
 *
 *   incident.c             building an incident from its entries: the
 *                          causal past, marks and conflicts, the open, the
 *                          timeline, settling duplicates; the public entry points
 *   incident_facts.c       what parties record: involvement, tickets, SLA
 *                          measurements, feedback, amendments
 *   incident_status.c      the status lifecycle: transitions, closes, reopens
 *   incident_resolution.c  proposals and their action items, signatures,
 *                          void and duplicate, disputes, retractions
 *   figure.c               impact windows as party-owned figures (figure.h)
 *
 * A step takes the incident being built; its state while deriving is
 * inc->derive. Out of memory aborts, as everywhere in derivation.
 */
#ifndef ACCORD_INCIDENT_IMPL_H
#define ACCORD_INCIDENT_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "causal.h"
#include "accord/idmap.h"
#include "accord/incident.h"

#include "figure.h"

/* One effective status change: the history a close looks back through (accord_status_step). */
typedef accord_status_step status_step;

/*
 * A window a new version of the same party replaced while it was not joint:
 * a co-signature that never knew of the new version may still make it joint,
 * whichever sorts first (attack89 01), as for a retract (8a316e8).
 */
typedef struct {
	accord_impact w;	/* with its co-signatures so far (owned) */
	const accord_entry *by; /* the version that replaced it */
} accord_replaced_figure;

/* What derivation needs only while it runs. */
struct accord_derive {
	accord_in_past_fn in_past;
	void *payload;
	accord_idmap held;  /* the incident's entries by id */
	int error;	    /* the oracle's first error */
	status_step *steps; /* effective status changes, the open's first */
	size_t step_count;
	const accord_entry **party_by; /* beside inc->parties: the entry that involved each */
	size_t party_by_count;
	const accord_entry **also_by; /* involves of a party already involved (written at once) */
	size_t also_by_count;
	accord_resolution *
		rival; /* the proposal the current one replaced: a cosign that knew only it may still make it joint */
	accord_resolution *
		*made; /* every proposal that took effect, in order: owned here, but the current */
	size_t made_count;
	const accord_entry **statuses; /* every status entry so far, for a close to judge */
	size_t status_count;
	const accord_causal *causal; /* the engine's graph, when the parties came with it */
	accord_action *items;	     /* every action item's state by id, across revisions */
	size_t item_count;
	accord_replaced_figure *replaced; /* lib/ledger/figure.c */
	size_t replaced_count;
	/*
	 * Closes of the round inc->closed_by closed, written at once with it
	 * (neither knew of the other): the same decision, so a reopen that
	 * knew any of them reopens (attack107 01). Emptied by the reopen.
	 */
	const accord_entry **closes;
	size_t close_count;
	/* the entries being derived, in ledger order (derive) */
	const accord_entry *const *all;
	size_t all_count;
	/*
	 * Closes of the same joint round that sort after the close being
	 * applied and were written at once with it: what they knew, the
	 * decision knew (accord_derive_decision_knew, attack109 01).
	 */
	const accord_entry **ahead;
	size_t ahead_count;
	int once_before;      /* closed_once before the close in effect took effect */
	int closed_once;      /* a close took effect: later windows move no clock's start */
	size_t reopen_step;   /* steps up to it were decided by an earlier close and its reopen */
	size_t reopen_status; /* statuses from it on came after that reopen */
};

/* ---- incident.c ---------------------------------------------------------- */

/* The value of time field `key` of `e`, or 0. */
void accord_derive_time_field(int64_t *out, const accord_entry *e, const char *key);

/*
 * Whether `earlier` is in `later`'s causal past, from the incident's own
 * entries where they can tell, else from the oracle (on its error: 0, and
 * the build fails).
 */
int accord_derive_in_past(accord_incident *inc, const accord_entry *later,
			  const accord_entry *earlier);

/* Mark entry `e` with `text` (borrowed: a literal, or kept by the incident), decided by `by` or NULL. */
void accord_derive_mark(accord_incident *inc, const accord_entry *e, const char *text,
			const accord_entry *by);

/* Mark `e` late: written without knowing of `decision` (a `what`; NULL: a proposal or an amend on a closed incident). */
void accord_derive_mark_late(accord_incident *inc, const accord_parties *p, const accord_entry *e,
			     const char *what, const accord_entry *decision);

/* Mark `e`, written while the incident stood closed, late: knowing of the close or not. */
void accord_derive_late_on_close(accord_incident *inc, const accord_parties *p,
				 const accord_entry *e);

/* Mark close `e` as one written at once with `close`, on the same joint resolution: no effect. */
void accord_derive_mark_closed_at_once(accord_incident *inc, const accord_parties *p,
				       const accord_entry *e, const accord_entry *close);

/* Whether the close being applied, or a close of its round written at once with it, knew `x`. */
int accord_derive_decision_knew(accord_incident *inc, const accord_entry *close,
				const accord_entry *x);

/* Whether a close of the round in effect, written at once with it and sorting after it, knew `x`. */
int accord_derive_ahead_knew(accord_incident *inc, const accord_entry *x);

/* Whether `e` knew the incident was closed: inc->closed_by, or a close written at once with it. */
int accord_derive_knows_close(accord_incident *inc, const accord_entry *e);

/* Whether entry `e` is marked late. */
int accord_derive_is_late(const accord_incident *inc, const accord_entry *e);

/* A conflict of `kind` between `a` (earlier in ledger order) and `b`. */
void accord_derive_add_conflict(accord_incident *inc, const char *kind, const char *subject,
				const accord_entry *a, const accord_entry *b);

/*
 * An entry of `kind` (and `subject`) that has both sides of a conflict in
 * its past settles it; with `own`, only an entry of the party both sides
 * are of (a figure is its party's: attack51 B 04).
 */
void accord_derive_settle_conflicts(accord_incident *inc, const accord_parties *own,
				    const char *kind, const char *subject, const accord_entry *e);

/* Before the derivation ends: the joint resolution a later proposal, not joint yet, replaced. */
void accord_derive_keep_joint(accord_incident *inc);

/* ---- incident_facts.c ---------------------------------------------------- */

/* Involve party `name` by entry `by` (the open, or an involve). */
void accord_derive_add_party_name(accord_incident *inc, const char *name, const accord_entry *by);

/* Whether `e` knew that party i of the incident is involved (any involve of it in its past). */
int accord_derive_knew_involved(accord_incident *inc, const accord_entry *e, size_t i);

/* Whether party `party` (NULL: none) is involved in the incident now. */
int accord_derive_involved(const accord_incident *inc, const char *party);
/* Undo the involvement of party `i` (an involve the close did not know of). */
void accord_derive_drop_party(accord_incident *inc, size_t i);
/* Record a ticket of `party`, named by `named_by`: refused unless the party is involved. */
void accord_derive_add_ticket(accord_incident *inc, const accord_entry *e, const char *party,
			      const char *id, const char *named_by);
/* Before impact window `e` is applied: the conflict it makes with a concurrent window of its party. */
void accord_derive_impact_conflict(accord_incident *inc, const accord_parties *p,
				   const accord_entry *e);
void accord_derive_apply_sla(accord_incident *inc, const accord_parties *p, const accord_entry *e);
void accord_derive_apply_feedback(accord_incident *inc, const accord_parties *p,
				  const accord_entry *e);
void accord_derive_apply_amend(accord_incident *inc, const accord_parties *p,
			       const accord_entry *e);
/* Set aside what was written beside `close` that it did not know of (incident_facts.c). */
void accord_derive_close_freeze(accord_incident *inc, const accord_parties *p,
				const accord_entry *close);

/* ---- incident_status.c --------------------------------------------------- */

/* Make `status`, set by `e`, the incident's status, and a step of its history. */
void accord_derive_push_step(accord_incident *inc, const accord_parties *p, const accord_entry *e,
			     const char *status);
void accord_derive_apply_status(accord_incident *inc, const accord_parties *p,
				const accord_entry *e);

/* ---- incident_resolution.c ----------------------------------------------- */

void accord_derive_resolution_free(accord_resolution *r);
/* Whether the current proposal is joint, after entry `e` (a signature, an involve, a reopen). */
void accord_derive_update_joint(accord_incident *inc, const accord_entry *e);
/* `e` signs the current proposal for its author's party. */
void accord_derive_add_signature(accord_incident *inc, const accord_parties *p,
				 const accord_entry *e);
/* A proposal (or a revision): 0 if it became the current one. */
int accord_derive_apply_proposal(accord_incident *inc, const accord_parties *p,
				 const accord_entry *e);
void accord_derive_apply_cosign(accord_incident *inc, const accord_parties *p,
				const accord_entry *e);
void accord_derive_apply_action(accord_incident *inc, const accord_entry *e);
void accord_derive_apply_retract(accord_incident *inc, const accord_parties *p,
				 const accord_entry *e);
/* A party was involved: a joint void or duplicate it has not signed waits for it. */
void accord_derive_closures_involve(accord_incident *inc);
/* A proposal that the incident is void, or a duplicate of another. */
void accord_derive_apply_closure(accord_incident *inc, const accord_parties *p,
				 const accord_entry *e);
void accord_derive_apply_dispute(accord_incident *inc, const accord_parties *p,
				 const accord_entry *e);

#endif
