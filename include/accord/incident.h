#ifndef ACCORD_INCIDENT_H
#define ACCORD_INCIDENT_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "accord/ledger.h"

/*
 * An incident's current state, derived from its entries in ledger order.
 * Derivation is a pure function of the set of entries, so every copy of a
 * ledger computes the same view. Entries that a rule would refuse (a
 * transition that is not allowed, say, written concurrently by two
 * parties) stay in the timeline but do not change the state.
 */

typedef struct {
	const accord_entry *entry;
	int64_t customers;
	int64_t start;
	int64_t end; /* valid only if has_end */
	int has_end;
	const char *description; /* NULL if none */
} accord_impact;

typedef struct {
	const accord_entry *entry;
	const char *name;
	int64_t target;
	int64_t actual;
	int met;
} accord_sla;

typedef struct {
	const accord_entry *entry;
	int64_t score;
	int64_t lost_minutes; /* -1 if not given */
	const char *comment;
} accord_feedback;

typedef struct {
	const accord_entry *entry; /* the proposal or cosign that signs */
	const accord_member *member;
	const char *party;
} accord_signature;

typedef struct {
	const char *text;
	const cJSON *owners; /* array of party names, borrowed */
	const char *due;     /* YYYY-MM-DD or NULL */
	int done;
	const accord_entry *last; /* last action entry, or NULL */
} accord_action;

/* The current proposal (the latest in ledger order) and who signed it. */
typedef struct {
	const accord_entry *entry;
	int revision; /* 1 for the first proposal */
	accord_signature *signatures;
	size_t signature_count;
	int joint;
	int64_t joint_at; /* time of the signature that made it joint */
	accord_action *actions;
	size_t action_count;
} accord_resolution;

typedef struct {
	const accord_entry *open;
	const char *id;
	const char *title;
	const char *service;
	int64_t severity;
	int64_t opened_at;
	int64_t started_at;
	const char *status;
	int64_t status_at;
	accord_impact *impact;
	size_t impact_count;
	accord_sla *sla;
	size_t sla_count;
	accord_feedback *feedback;
	size_t feedback_count;
	const accord_entry **timeline; /* every entry of the incident, ledger order */
	size_t timeline_count;
	const char **parties; /* involved party names, in order of involvement */
	size_t party_count;
	cJSON *tickets; /* [{party, id}] from open and involve, owned */
	accord_resolution *resolution; /* NULL until one is proposed */
	size_t proposal_count;
} accord_incident;

/* Derive incident `open` (an "open" entry of `ledger`). Free with accord_incident_free(). */
int accord_incident_build(accord_incident **out, const accord_ledger *ledger,
			  const accord_entry *open);
void accord_incident_free(accord_incident *incident);

/*
 * The same from the incident's own entries in ledger order, the open entry
 * first (entries of other incidents are skipped). `parties` gives member
 * and party names for signatures.
 */
int accord_incident_build_from(accord_incident **out, const accord_parties *parties,
				const accord_entry *const *entries, size_t count);

/* Parties that still have to sign the current resolution (names, borrowed). Caller frees the array. */
const char **accord_incident_waiting(const accord_incident *incident, size_t *count);

/*
 * Whether status `to` may follow `from`: not the same status again; closed
 * only after resolved; from resolved or closed only back to investigating
 * (a reopening) or, from resolved, on to closed. ACCORD_EDENIED with a
 * message saying why not.
 */
int accord_incident_transition_ok(const char *from, const char *to);

/*
 * Customer-seconds at time `now`, the one definition behind show, list and
 * report (docs/metrics.md): over the impact windows, customers x the time
 * from the window's start to its end, where an open window runs until now
 * and no window counts past now. *running (may be NULL) is set to 1 when an
 * open window is still adding to the figure, else 0.
 */
int64_t accord_impact_customer_seconds(const accord_impact *windows, size_t count, int64_t now,
				       int *running);
/* The same over an incident's windows. */
int64_t accord_incident_customer_seconds(const accord_incident *incident, int64_t now, int *running);
/* Customer-seconds as the customer-minutes shown: one decimal, half away from zero. */
double accord_customer_minutes(int64_t customer_seconds);

/*
 * The `show --json` document (ids in full; labels from `parties`), with
 * customer-minutes as of `now`.
 */
cJSON *accord_incident_to_json(const accord_incident *incident, const accord_parties *parties,
			       int64_t now);

/* One timeline item as JSON (id, type, author key id and label, time, lamport, body). */
cJSON *accord_entry_to_timeline_json(const accord_entry *entry, const accord_parties *parties);

#endif
