#ifndef ACCORD_CLOCK_H
#define ACCORD_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "accord/agreement.h"
#include "accord/incident.h"

/*
 * Clocks computed from an incident's signed timeline, never typed (issue
 * 18, docs/metrics.md "Clocks"). For each involved provider party (every
 * involved party but the customer-facing one):
 *  - acknowledge: from the party's involvement (the open or the involve
 *    entry) to its first entry on the incident that has the involvement in
 *    its causal past;
 *  - mitigate, restore: from impact start (the earliest start among the
 *    customer-facing party's impact windows, else the open's started_at)
 *    to the first effective status mitigated (or later), resolved (or
 *    closed).
 * Each counts in the business hours of the agreement in force at the
 * incident's start (24x7 without one), less pauses: a status waiting on
 * party W stops every party's clock but W's until the next status; a pause
 * that stops its setter's own clock counts only once W co-signs it. An end
 * never counts before its start. A time another involved party disputes
 * makes the clock "disputed", measured on both claims; once the signer
 * co-signs the dispute, the disputer's time is the one measured.
 */

/* A pause: a status waiting on a party, until the next status. */
typedef struct {
	const accord_entry *entry;
	const char *setter;	       /* the party that set it */
	const char *on;		       /* the party waited on: its clock runs on */
	const char *note;	       /* NULL if none */
	int64_t start, end;	       /* end valid only if has_end, else it runs until now */
	const accord_entry *end_entry; /* the status that ended it, or NULL */
	int has_end;
	int needs_cosign;		 /* it stops its setter's own clock */
	const accord_entry *cosigned_by; /* `on`'s co-signature, or NULL */
	/*
	 * `on` is not the customer-facing party: the customer's clock it is,
	 * so the customer co-signs too (a party the setter brings in could
	 * confirm anything, attack34 05).
	 */
	int needs_customer;
	const accord_entry *customer_cosigned_by; /* the customer-facing party's, or NULL */
	int counts;
} accord_pause;

typedef struct {
	const char *name; /* "acknowledge", "mitigate", "restore" */
	int64_t from;	  /* where it starts */
	/*
	 * 1 when `from` is the agreement's co-signature: the involvement or
	 * impact began before the terms took effect, and no clock of theirs
	 * runs before them.
	 */
	int from_terms;
	int64_t began; /* the involvement or impact start, before that */
	const accord_entry
		*from_entry; /* the involvement for acknowledge; NULL when an impact start */
	int64_t to;	     /* where it stopped, valid only if stopped */
	const accord_entry *to_entry;
	int stopped;
	int64_t elapsed_s; /* business seconds less pauses, until `to` (or now) */
	int64_t paused_s;  /* business seconds the pauses took off */
	int64_t closed_s;  /* business seconds it stood closed before a reopen, also off */
	int64_t target_s;  /* the agreement's, -1 without one */
	const char *state; /* "met", "missed", "running", or NULL without an agreement */
	/*
	 * Its start is the customer-facing party's window that another party's
	 * overlapping window disputes (docs/metrics.md, "Whose figures count"):
	 * a dispute of the start by the impact-window mechanism, not by
	 * accord_dispute. Unless a time dispute (below) is in effect, it is
	 * measured the same way: state "disputed", claimed_state the verdict
	 * from the customer's start, and the dispute_* fields the clock from
	 * `start_window`'s start (the earliest disputed window of another party).
	 */
	int disputed;
	const accord_impact *start_window;
	const accord_sla *reported; /* the party's own typed measurement of it, or NULL */
	int disagrees; /* reported actual and the computed clock differ by more than a minute */
	/*
	 * A time it reads that another involved party disputes (accord_dispute),
	 * not settled: state is then "disputed", claimed_state the verdict on the
	 * signed times (elapsed_s, to), and the dispute_* fields the same clock
	 * on the disputer's times. A settled dispute (the signer co-signed it)
	 * is not this: its time is simply the one measured. NULL when none.
	 */
	const accord_dispute *dispute;
	const char *claimed_state;
	int64_t dispute_to; /* valid only if stopped */
	int64_t dispute_elapsed_s;
	const char *dispute_state; /* "met", "missed", "running", or NULL without an agreement */
	/*
	 * Counted apart (neither met nor missed, in no median): a time or start
	 * dispute by the customer-facing party. Any other party's dispute is
	 * shown (dispute, start_window) but leaves the verdict counted
	 * (attack38 06, 07, attack39 01, 02).
	 */
	int apart;
	/*
	 * After a reopen of a joint close: the reopen it resumed from (the
	 * earliest of that close's reopens, by time) and when, measured from
	 * the record of the close (accord_clocks.frozen). NULL otherwise.
	 */
	const accord_entry *resumed_entry;
	int64_t resumed_at;
} accord_clock;

#define ACCORD_CLOCKS 3

typedef struct {
	const char *party; /* the provider */
	const accord_agreement
		*agreement; /* in force at the incident's start (borrowed), or NULL */
	accord_clock clocks[ACCORD_CLOCKS]; /* acknowledge, mitigate, restore */
} accord_party_clocks;

typedef struct accord_clocks {
	const char *customer;	      /* the customer-facing party */
	accord_party_clocks *parties; /* in order of involvement */
	size_t party_count;
	accord_pause *pauses;
	size_t pause_count;
	/*
	 * Where the clocks stood at the last joint close that was reopened: the
	 * incident as that close judged it (a prefix of its entries) and its
	 * clocks, which the reopened clocks resume from. NULL when none. Owned:
	 * the clocks above may point into them.
	 */
	accord_incident *frozen_incident;
	struct accord_clocks *frozen;
} accord_clocks;

/*
 * The clocks of `inc` as of `now`, agreements from `parties`, causal
 * questions answered by `in_past` (accord_incident_ledger_in_past over the
 * ledger). Fails with the oracle's error. Free with accord_clocks_free().
 */
int accord_clocks_compute(accord_clocks **out, const accord_incident *inc,
			  const accord_parties *parties, accord_in_past_fn in_past, void *payload,
			  int64_t now);
void accord_clocks_free(accord_clocks *clocks);

/*
 * Each provider's clocks in brief, for list --json and the report's rows:
 * [{"party", "agreement" (id or null), "acknowledge": {"state", "elapsed_s",
 * "target_s", "running"}, "mitigate": ..., "restore": ...}], state being
 * the verdict: met, missed, running, disputed, or null without an agreement.
 */
cJSON *accord_clocks_brief_json(const accord_clocks *clocks);

/*
 * One clock of every provider as a line: "globex:met:600;initech::2700"
 * (party, verdict, elapsed seconds), for the report's CSV. Appended to `out`.
 */
void accord_clocks_brief_text(accord_buf *out, const accord_clocks *clocks, size_t clock);

/* The clocks as JSON: an object of "parties" and "pauses" (show --json's "clocks"). */
cJSON *accord_clocks_to_json(const accord_clocks *clocks, const accord_parties *parties);

#endif
