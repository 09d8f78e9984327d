#ifndef ACCORD_INCIDENT_H
#define ACCORD_INCIDENT_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "accord/buf.h"
#include "accord/ledger.h"

/*
 * An incident's current state, derived from its entries in ledger order.
 * Derivation is a pure function of the set of entries and their causal
 * graph, so every copy of a ledger computes the same view. Entries that a
 * rule would refuse (a transition that is not allowed, say, or a change to
 * a closed incident written without knowing of the close) stay in the
 * timeline, marked, but do not change the state.
 */

/*
 * Whether `earlier` is in the causal past of `later`: 1 yes, 0 no,
 * negative on error (accord_ledger_in_past has this shape). Derivation asks
 * only when its own entries cannot answer.
 */
typedef int (*accord_in_past_fn)(const accord_entry *later, const accord_entry *earlier,
				 void *payload);

/* How far past its own entry's time a recorded time may lie (clocks disagree a little). */
#define ACCORD_FUTURE_SLACK_S 300
/* The most customers one impact window counts (schemas/impact.schema.json). */
#define ACCORD_MAX_CUSTOMERS 10000000000LL

/*
 * Facts belong to the party that recorded them: an impact window is keyed
 * by (recording party, start), an SLA measurement by (party, name), a
 * feedback response by (party, response id). Only the same party supersedes
 * or retracts its own fact; another party's figure for the same time stands
 * beside it.
 *
 * How an impact window counts (docs/metrics.md, "Whose figures count"):
 */
typedef enum {
	ACCORD_FIGURE_OWN = 0, /* counts: the customer-facing party's own window */
	ACCORD_FIGURE_JOINT,   /* counts: co-signed by every other involved party */
	ACCORD_FIGURE_UNCONFIRMED, /* counts: another party's; the customer-facing party recorded none */
	ACCORD_FIGURE_ASIDE,	   /* does not count: see `aside` */
} accord_figure_state;

typedef struct {
	const accord_entry *entry;
	const char *party; /* the recording party */
	int64_t customers;
	int64_t start;
	int64_t end; /* valid only if has_end */
	int has_end;
	const char *description; /* NULL if none */
	accord_figure_state state;
	const char *aside; /* why it does not count (state ACCORD_FIGURE_ASIDE), else NULL */
	int covered;	   /* set aside because joint figures cover all of its time */
	int disputed;	   /* overlaps another party's window and no joint figure settles it */
	int clipped; /* counts only outside the time joint windows cover (inc->impact holds the parts) */
	const char **signed_by; /* parties that co-signed this very entry (borrowed names) */
	size_t signed_count;
	int was_joint; /* every other involved party co-signed it once: no longer retractable */
	int pending; /* a new version of a joint figure: counts once joint, the old one until then */
	int after_close; /* recorded after a close, or beside one that did not know of it: moves no clock's start */
	const accord_entry
		*first; /* the entry that first recorded this window (its first version) */
	const accord_entry *joint_by; /* the co-signature that made it joint, or NULL */
	/* the new version or retract a co-signature made it count over, or NULL */
	const accord_entry *reinstated_over;
} accord_impact;

typedef struct {
	const accord_entry *entry;
	const char *party; /* the measuring party */
	const char *name;
	int64_t target;
	int64_t actual;
	int met;
} accord_sla;

typedef struct {
	const accord_entry *entry;
	const char *party;
	const char *response; /* the response id: the body's, else the entry id */
	int64_t score;
	int64_t lost_minutes; /* -1 if not given */
	const char *comment;
	const cJSON *indicators; /* array of words from accord_feedback_indicators, or NULL */
} accord_feedback;

/*
 * The experience indicators a response may give (`accord feedback
 * --indicator`): why customers felt as they did. NULL-terminated.
 */
extern const char *const accord_feedback_indicators[];

/*
 * The entry types a member may retract (its own): the facts and proposals
 * that stop counting once withdrawn. An open or involve carries tickets but
 * is not one of them: retracting it has no effect. NULL-terminated.
 */
extern const char *const accord_retractable_types[];

/* 1 if an entry of `type` can be retracted. */
int accord_retractable(const char *type);

/* A ticket number and who named it. */
typedef struct {
	const accord_entry *entry; /* open, involve or ticket */
	const char *party;	   /* whose ticket */
	const char *id;
	const char *named_by; /* the party that wrote it down */
} accord_ticket;

/* One value of severity, title or service and the amend that set it (NULL: the open entry). */
typedef struct {
	const accord_entry *entry;
	const char *field; /* "severity", "title" or "service" */
	const char *text;  /* title or service */
	int64_t number;	   /* severity */
} accord_amendment;

/* An entry the derivation marked: retracted, not counted, refused. */
typedef struct {
	const accord_entry *entry;
	const char *mark;	/* "retracted", "not counted: ...", ... */
	const accord_entry *by; /* the entry that caused it (a retract), or NULL */
} accord_mark;

/*
 * Two entries of one kind written concurrently (neither author had seen
 * the other's): both shown until an entry of that kind that has both in
 * its causal past settles it.
 */
typedef struct {
	const char *kind;      /* "status", "proposal", "impact", "sla", "feedback" or "amend" */
	const char *subject;   /* what both set: the SLA name, window start, response id or
				   amended field; NULL for status and proposal */
	const accord_entry *a; /* the earlier in ledger order */
	const accord_entry *b; /* the later: the one in effect */
} accord_conflict;

typedef struct {
	const accord_entry *entry; /* the proposal or cosign that signs */
	const accord_member *member;
	const char *party;
} accord_signature;

/* An action item's state: what its owners last said of it. */
typedef enum {
	ACCORD_ACTION_OPEN = 0,
	ACCORD_ACTION_DONE,
	ACCORD_ACTION_NOT_DOING, /* closed without doing it; the note says why */
} accord_action_state;

/* The length of an action item's id: hex digits of accord_action_id(). */
#define ACCORD_ACTION_ID_LEN 8

/*
 * An action item of the current resolution. Its id is derived from the
 * incident and its text (accord_action_id), so a revision that inherits
 * the item keeps the id, and with it the state its owners gave it.
 */
typedef struct {
	char id[ACCORD_ACTION_ID_LEN + 1];
	const char *text;
	const cJSON *owners; /* array of party names, borrowed */
	const char *due;     /* YYYY-MM-DD or NULL: the last assign's, else the resolution's */
	accord_action_state state;
	int done;		  /* no longer open: done or not doing */
	const char *note;	  /* the note of the last state change, or NULL */
	const char *owner;	  /* the member that owns it (assign), or NULL */
	const char *link;	  /* the ticket in the owning party's tracker (assign), or NULL */
	const accord_entry *last; /* last action entry, or NULL */
} accord_action;

/*
 * Action item `text`'s id in incident `incident` (full id): the first
 * ACCORD_ACTION_ID_LEN hex digits of SHA-256 over the incident id, the
 * text and `occurrence` (1 for the first item with this text in the
 * resolution, 2 for the second, ...). `out` gets ACCORD_ACTION_ID_LEN + 1 bytes.
 */
void accord_action_id(char *out, const char *incident, const char *text, int occurrence);

/* "open", "done" or "not-doing". */
const char *accord_action_state_name(accord_action_state state);

/*
 * Whether action item `a` is overdue at `now`: open, with a due day (UTC)
 * that has ended.
 */
int accord_action_overdue(const accord_action *a, int64_t now);

/* A proposal to void an incident or mark it a duplicate, and who signed it. */
typedef struct {
	const accord_entry *entry;
	const char *kind;	/* "void" or "duplicate" */
	const char *of;		/* the other incident's id (duplicate), else NULL */
	const char **signed_by; /* parties (borrowed names); the proposer's first */
	size_t signed_count;
	int joint;
	int retracted;
} accord_closure;

/* The current proposal (the latest in ledger order) and who signed it. */
typedef struct {
	const accord_entry *entry;
	int revision; /* 1 for the first proposal */
	accord_signature *signatures;
	size_t signature_count;
	int joint;
	int was_joint; /* joint once (a party involved later unsets joint): no longer retractable */
	/* a signature had every party it knew involved signing: its items are what they signed */
	int joint_as_seen;
	int64_t joint_at;	      /* time of the signature that made it joint */
	const accord_entry *joint_by; /* the entry that made it joint: a new round must follow it */
	int reopened; /* the incident was reopened after a close on it: closing again takes a new proposal */
	int withdrawn; /* retracted by its author, or late: never the current proposal again */
	accord_action *actions;
	size_t action_count;
} accord_resolution;

/* One effective status change, in order: what the clocks measure. */
typedef struct {
	const accord_entry *entry; /* the open entry for the first, "investigating" */
	const char *status;
	const char *party; /* its author's party (borrowed), NULL if unknown */
} accord_status_step;

/*
 * A dispute of the time another party signed on an entry of the incident
 * (docs/metrics.md, "Disputed times"); lib/ledger/clock.c decides which clocks
 * read that time. Settled when the entry's party co-signs it (the
 * disputer's time is then agreed), ended when its author retracts it.
 */
typedef struct {
	const accord_entry *entry;  /* the dispute */
	const accord_entry *target; /* the entry whose time it disputes */
	const char *by;		    /* the disputing party (borrowed) */
	const char *target_party;   /* the party that signed the target (borrowed) */
	int64_t at; /* the disputer's time, held to [target's time, the dispute's] */
	const char *reason;
	const char *evidence;		 /* the disputer's entry `at` came from, or NULL */
	const accord_entry *accepted_by; /* the target's party's co-signature, or NULL */
	int retracted;
} accord_dispute;

/* A party's co-signature of a pause (a status waiting on that party). */
typedef struct {
	const accord_entry *pause;
	const char *party;
	const accord_entry *by;
} accord_pause_sign;

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
	const char *customer_party; /* the customer-facing party (customer_among in incident.c) */
	/*
	 * The terms that seated it (NULL: none, it opened), and whether other
	 * customers contested the seat: then, where no terms of its cover the
	 * incident's scope, those terms measure the provider (lib/ledger/clock.c).
	 */
	const accord_agreement *seat_terms;
	int seat_contested;
	const char *opener_party; /* the party of the member that opened it */
	accord_impact *figures;	  /* every party's current windows, counted or not */
	size_t figure_count;
	accord_impact
		*impact; /* the time that counts, a clipped window in parts: what every sum uses */
	size_t impact_count;
	int unconfirmed; /* some counted window is another party's, unconfirmed */
	/*
	 * Set by a report only: the duplicate whose counted windows `impact`
	 * holds instead of this incident's own, since they are more
	 * customer-minutes (lib/report/report_measure.c, carry_duplicates); else NULL.
	 */
	const char *impact_from;
	int disputed; /* some windows are disputed */
	accord_sla *sla;
	size_t sla_count;
	accord_feedback *feedback; /* the responses that count: the customer-facing party's */
	size_t feedback_count;
	accord_feedback *feedback_refused; /* other parties' feedback: shown, never counted */
	size_t feedback_refused_count;
	accord_ticket *tickets;
	size_t ticket_count;
	accord_amendment *amendments; /* every value severity, title and service had, in order */
	size_t amendment_count;
	accord_closure *closures; /* void and duplicate proposals */
	size_t closure_count;
	const accord_closure *closed_as; /* the joint void or duplicate, else NULL */
	accord_mark *marks;
	size_t mark_count;
	const accord_entry *closed_by; /* the close in effect, else NULL */
	accord_conflict *conflicts;    /* unsettled concurrent changes */
	size_t conflict_count;
	char **texts; /* mark texts made for this incident (owned) */
	size_t text_count;
	struct accord_derive *derive; /* private: set only while deriving */
	/*
	 * Every entry of the incident by time (ties in ledger order). Time never
	 * runs backwards along the causal graph (verified), so this order never
	 * puts an entry before one it depends on.
	 */
	const accord_entry **timeline;
	size_t timeline_count;
	/* the same entries in ledger order, the open first: what a close judged is a prefix of it (clock.c) */
	const accord_entry **ordered;
	size_t ordered_count;
	const char **parties; /* involved party names, in order of involvement */
	size_t party_count;
	accord_resolution *resolution; /* NULL until one is proposed */
	size_t proposal_count;
	/*
	 * A joint resolution a later proposal, not joint yet, replaced: it
	 * keeps counting until that one is joint (docs/metrics.md, "What every
	 * party signed stays shared"). Its revision, or 0; when it became joint.
	 */
	int kept_joint_revision;
	int64_t kept_joint_at;
	/* that revision itself (owned), its items as their owners left them, or NULL */
	accord_resolution *kept_joint;
	const accord_entry *
		*involved_by;	   /* beside parties: the open or involve that involved each */
	accord_status_step *steps; /* effective status changes, the open's "investigating" first */
	size_t step_count;
	accord_pause_sign *pause_signs; /* co-signatures of pauses by the party waited on */
	size_t pause_sign_count;
	accord_dispute *disputes; /* disputed times, in ledger order, retracted ones marked */
	size_t dispute_count;
} accord_incident;

/*
 * Derive incident `open` (an "open" entry of `ledger`), asking `ledger` what
 * its entries cannot answer about causal order. Free with accord_incident_free().
 */
int accord_incident_build(accord_incident **out, const accord_ledger *ledger,
			  const accord_entry *open);
void accord_incident_free(accord_incident *incident);

/*
 * The resolution whose action items count: the joint revision a later
 * proposal replaced, while that one is not joint (what its owners signed,
 * never rewritten by another party's proposal alone: attack82 01), else
 * the current one. NULL if none was proposed.
 */
const accord_resolution *accord_incident_actions(const accord_incident *inc);

/* Called for each incident by accord_incident_each; a negative return stops the walk with it. */
typedef int (*accord_incident_fn)(const accord_incident *incident, void *payload);
/*
 * Derive every incident of `ledger` (holding every entry) in ledger order
 * of their opens, each once from its own entries (grouped in one pass:
 * O(entries), not O(incidents x entries)), its duplicate settled, and call
 * `fn` with it; the incident is freed after. Returns the first error.
 */
int accord_incident_each(const accord_ledger *ledger, accord_incident_fn fn, void *payload);

/*
 * The same from the incident's own entries in ledger order, the open entry
 * first (entries of other incidents are skipped). `parties` gives member
 * and party names for signatures; `in_past` (required) answers causal
 * questions the entries cannot: give every path the same oracle's answers,
 * or they derive different incidents. Fails with the oracle's error.
 */
int accord_incident_build_from(accord_incident **out, const accord_parties *parties,
			       const accord_entry *const *entries, size_t count,
			       accord_in_past_fn in_past, void *payload);

/*
 * How far before the open's signed time a window of a party other than the
 * opener's may start: the opener's `started_at` is its claim, not a bound
 * on another party's figures (attack32 05).
 */
#define ACCORD_IMPACT_LOOKBACK_S (7 * 86400)

/*
 * The earliest start a window recorded by `party` may have: the incident's
 * start for the party that opened it, else the earlier of that start and
 * ACCORD_IMPACT_LOOKBACK_S before the open was signed.
 */
int64_t accord_incident_impact_floor(const accord_incident *incident, const char *party);

/* accord_in_past_fn over a ledger (payload: the const accord_ledger *). */
int accord_incident_ledger_in_past(const accord_entry *later, const accord_entry *earlier,
				   void *payload);

/*
 * The agreement in force for the incident opened by `open` (agreement.h):
 * joint, between two parties the open names (`customer` and `provider`
 * those, when not NULL), covering `service` and `severity` (the incident's
 * current ones: an amend re-scopes the terms, attack38 02), its co-signature in the open
 * entry's causal past (`in_past` answers), the most specific and then the
 * latest. Borrowed from `parties`; NULL when none.
 */
const accord_agreement *accord_incident_agreement(const accord_parties *parties,
						  const accord_entry *open, const char *service,
						  int64_t severity, const char *customer,
						  const char *provider, accord_in_past_fn in_past,
						  void *payload);

/*
 * How incident `id` (full id) was closed by every party, for following a
 * duplicate: *kind "void" or "duplicate" (then *of names the other), or
 * NULL when it counts; *later 1 when a later joint void or duplicate of it
 * might take effect should that one not. Strings borrowed from the
 * ledger's entries; negative if there is no such incident.
 */
typedef int (*accord_closed_as_fn)(const char **kind, const char **of, int *later, const char *id,
				   void *payload);

/*
 * Why incident `self` being a duplicate of `of` has no effect, or NULL: a
 * duplicate takes effect only while `of`, followed through the incidents it
 * is itself a duplicate of, ends at an incident that counts (not void, no
 * cycle back). Otherwise one party could make an incident vanish by voiding
 * or re-pointing the incident it was agreed to duplicate. The reason is a
 * static string.
 */
const char *accord_duplicate_why_not(const char *self, const char *of,
				     accord_closed_as_fn closed_as, void *payload);
/* The same, following the incidents in `ledger` (their entries are loaded as needed). */
const char *accord_duplicate_why_not_in(accord_ledger *ledger, const char *self, const char *of);
/*
 * Settle incident `inc`'s joint duplicate against the other incidents: when
 * it has no effect, closed_as is cleared and the duplicate entry marked why.
 * Show and report call this; accord_incident_build alone does not look at
 * other incidents.
 */
void accord_incident_settle_duplicate(accord_incident *inc, accord_closed_as_fn closed_as,
				      void *payload);
/* The same against the incidents of `ledger`. */
void accord_incident_settle_duplicate_in(accord_incident *inc, accord_ledger *ledger);

/*
 * One conflict as a line: "status: mitigated by globex, identified by acme"
 * (the one in effect first), or with `of` (an incident's short id, may be
 * NULL) "status of 3f2a: ...". Appended to `out`; parties name the writers.
 */
void accord_conflict_describe(accord_buf *out, const accord_conflict *conflict,
			      const accord_parties *parties, const char *of);

/* What the derivation says of `entry` ("retracted", "not counted: ...", "late: ..."), or NULL. */
const accord_mark *accord_incident_mark(const accord_incident *incident, const accord_entry *entry);

/*
 * The proposals of the incident that wait for `party`'s signature: the
 * current resolution, disputed windows of other parties, void and duplicate
 * proposals, each not yet joint and not signed for `party`. Caller frees the array.
 */
const accord_entry **accord_incident_pending(const accord_incident *incident, const char *party,
					     size_t *count);

/* Parties that still have to sign the current resolution (names, borrowed). Caller frees the array. */
const char **accord_incident_waiting(const accord_incident *incident, size_t *count);

/*
 * Whether status `to` may follow `from`: not the same status again; closed
 * only after resolved; from resolved or closed only back to an open status
 * (a reopening) or, from resolved, on to closed. ACCORD_EDENIED with a
 * message saying why not.
 */
int accord_incident_transition_ok(const char *from, const char *to);

/*
 * Customer-seconds at time `now`, the one definition behind show, list and
 * report (docs/metrics.md): over the impact windows, customers x the time
 * from the window's start to its end, where an open window runs until now
 * and no window counts past now. *running (may be NULL) is set to 1 when an
 * open window is still adding to the figure, else 0. Checked arithmetic: a
 * sum that would pass INT64_MAX saturates there (accord_saturated()).
 */
int64_t accord_impact_customer_seconds(const accord_impact *windows, size_t count, int64_t now,
				       int *running);
/* The same over an incident's windows. */
/*
 * When the impact began, as the clocks read it (docs/metrics.md, "Clocks"):
 * the earliest start of the customer-facing party's windows that count or
 * that joint windows cover, and of the joint windows, else the open's
 * started_at (the opener's claim). *disputed (if not NULL) says whether the
 * window it comes from is disputed.
 */
int64_t accord_incident_impact_start(const accord_incident *incident, int *disputed);

int64_t accord_incident_customer_seconds(const accord_incident *incident, int64_t now,
					 int *running);
/* Saturating arithmetic for every figure: INT64_MAX (or 0 below) instead of a wrap. */
int64_t accord_sat_add(int64_t a, int64_t b);
int64_t accord_sat_mul(int64_t a, int64_t b);
/* Whether a figure reached the saturation point (shown as "at least"). */
int accord_saturated(int64_t v);

/* One window's customer-seconds at `now` (checked). *running set when it is open and adding. */
int64_t accord_impact_window_seconds(const accord_impact *window, int64_t now, int *running);

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
