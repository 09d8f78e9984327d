#ifndef ACCORD_AGREEMENT_H
#define ACCORD_AGREEMENT_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "accord/buf.h"
#include "accord/hours.h"

/*
 * Agreed terms (issue 18): an `agreement` entry proposes, from the
 * author's party (the customer side) to party `with` (the provider), the
 * times to acknowledge, mitigate and restore for a service and severity (or
 * all), with business hours and experience targets. It is in force once a
 * member of the provider co-signs it (`cosign` with `incident` null); a
 * later joint agreement for the same scope supersedes it. For an incident,
 * the agreement in force is the joint one whose co-signature the incident's
 * open entry causally follows (docs/format.md, "Agreements").
 *
 * The authorization state (party.h) keeps each agreement as this record,
 * copied out of its entries, so that the index can save it.
 */
/* A co-signature's place in the ledger: what a causal question about it needs. */
typedef struct {
	char id[65];
	char key[33];
	int64_t seq, lamport, time;
} accord_agreement_cosign;

typedef struct {
	char id[65];
	char customer[65];
	/*
	 * The proposer's party, by index (party.h): two parties can share a
	 * name (invited concurrently, one from a copy that had not seen the
	 * other), and a namesake's terms never replace the other's.
	 */
	int64_t customer_index;
	char provider[65];
	/* the party `provider` names in the proposal's causal past: only its members co-sign */
	int64_t provider_index;
	char *service;	  /* NULL: every service */
	int64_t severity; /* 0: every severity */
	int64_t acknowledge_s, mitigate_s, restore_s;
	char *week, *zone, *tz;	     /* business hours, NULL: 24x7 */
	int64_t csat_target;	     /* percent, -1 none */
	int64_t lost_minutes_target; /* -1 none */
	int64_t proposed_at;
	char proposed_by[33]; /* key id */
	int joint;
	int64_t joint_at;
	char joint_id[65];  /* the co-signature that made it joint */
	char joint_key[33]; /* its author's key id */
	int64_t joint_seq, joint_lamport;
	/*
	 * The provider's further co-signatures, after the first in ledger
	 * order: an open that saw any of them follows the terms, so a device
	 * that co-signs again out of sight (sorting first) cannot take the
	 * terms out of the past of opens that saw the first (attack44 03).
	 */
	accord_agreement_cosign *also;
	size_t also_count;
	/*
	 * Withdrawn while not joint: by a later proposal of the same customer
	 * for the same scope that has it in its causal past, or by its
	 * proposer's retract. A co-signature with this entry in its causal
	 * past is refused; one written without knowing of it still counts.
	 */
	char withdrawn_by[65]; /* "" when not withdrawn */
} accord_agreement;

/* When the terms took effect: the earliest of their co-signatures' times. */
int64_t accord_agreement_since(const accord_agreement *a);

/* From an agreement entry's body (fields of the body only); NULL if it does not read. Free with accord_agreement_free. */
accord_agreement *accord_agreement_from_body(const cJSON *body);
void accord_agreement_free(accord_agreement *a);

/* The record as one line of JSON (the index's state file), and back. NULL if it does not read. */
void accord_agreement_save(accord_buf *out, const accord_agreement *a);
accord_agreement *accord_agreement_load(const char *line);

/* Whether `a` covers an incident of `service` and `severity` (-1: any severity). */
int accord_agreement_covers(const accord_agreement *a, const char *service, int64_t severity);

/* Same parties and the same service and severity: a later joint one supersedes. */
int accord_agreement_same_scope(const accord_agreement *a, const accord_agreement *b);

/* The terms' business hours (always: round the clock, or `a` NULL). */
void accord_agreement_hours(accord_hours *h, const accord_agreement *a);

/* Whether joint `a` was co-signed later than joint `b` in ledger order. */
int accord_agreement_later(const accord_agreement *a, const accord_agreement *b);

/*
 * Of two agreements (either NULL), the stricter in effect: the shorter
 * restore, then mitigate, then acknowledge time, each as the longest
 * wall-clock time its business hours allow (accord_hours_worst_wall), then
 * the one co-signed first. Borrowed: `a` or `b`.
 */
const accord_agreement *accord_agreement_stricter(const accord_agreement *a,
						  const accord_agreement *b);

/*
 * The agreement in force among `all` for an incident of `service` and
 * `severity` between `customer` and `provider` (either may be NULL: any):
 * joint, covering it, with `follows` (the incident's open entry has the
 * co-signature in its causal past; NULL: every joint one counts), the most
 * specific scope (a service before a severity before neither), and of
 * those the latest co-signed. `follows` may answer 2: the terms bind the
 * opener although it had not seen them; such terms count only when none
 * the open had seen does, and of them the stricter wins, so terms signed
 * out of the opener's sight never replace terms it saw. Borrowed from
 * `all`; NULL when none.
 */
const accord_agreement *
accord_agreement_in_force(accord_agreement *const *all, size_t count, const char *customer,
			  const char *provider, const char *service, int64_t severity,
			  int (*follows)(const accord_agreement *a, void *payload), void *payload);

/* The terms as JSON, for list --json and show --json. */
cJSON *accord_agreement_to_json(const accord_agreement *a);

#endif
