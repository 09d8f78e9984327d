/*
 * An incident's state, derived from its entries in ledger order. Facts
 * belong to the party that recorded them (lib/figure.c decides which impact
 * windows count); corrections (amend, retract, void, duplicate) are entries
 * of their own, so nothing is rewritten.
 */
#include <stdlib.h>
#include <string.h>

#include "accord/error.h"
#include "accord/incident.h"
#include "accord/json.h"
#include "accord/timefmt.h"

#include "figure.h"
#include "ledger_impl.h"

static const char *const statuses[] = { "investigating", "identified", "mitigated",
					"resolved", "closed" };

static int status_rank(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(statuses) / sizeof(*statuses); i++)
		if (strcmp(s, statuses[i]) == 0)
			return (int)i;
	return -1;
}

int accord_incident_transition_ok(const char *from, const char *to)
{
	int f = status_rank(from), t = status_rank(to);

	if (f < 0 || t < 0)
		return accord_error_set(ACCORD_EINVALID, "unknown status '%s'", f < 0 ? from : to);
	if (f == t)
		return accord_error_set(ACCORD_EDENIED, "the incident is already %s", to);
	if (t == 4 && f != 3)
		return accord_error_set(ACCORD_EDENIED, "an incident is closed only after it is resolved (it is %s)",
					from);
	if (f >= 3 && t != 0 && !(f == 3 && t == 4))
		return accord_error_set(ACCORD_EDENIED,
					"the incident is %s: reopen it with status investigating first",
					from);
	return 0;
}

static void time_field(int64_t *out, const accord_entry *e, const char *key)
{
	const char *s = accord_entry_str(e, key);

	if (!s || accord_time_parse_canonical(out, s) < 0)
		*out = 0;
}

const char *accord_incident_customer_party(const accord_parties *p, const accord_entry *open)
{
	/* Issue 18: the customer side of the agreement in force for the service goes first here. */
	return accord_party_of(p, open);
}

const char *accord_party_of(const accord_parties *p, const accord_entry *e)
{
	const accord_member *m = accord_parties_member(p, e->author.id);

	return m ? p->parties[m->party].name : NULL;
}

/* The same member: one party, one member name, whichever of its keys wrote. */
static int same_member(const accord_parties *p, const accord_entry *a, const accord_entry *b)
{
	const accord_member *x = accord_parties_member(p, a->author.id);
	const accord_member *y = accord_parties_member(p, b->author.id);

	return x && y && x->party == y->party && strcmp(x->key.name, y->key.name) == 0;
}

static void mark(accord_incident *inc, const accord_entry *e, const char *text, const accord_entry *by)
{
	accord_mark m = { e, text, by };

	ACCORD_PUSH(inc->marks, inc->mark_count, m);
}

const accord_mark *accord_incident_mark(const accord_incident *inc, const accord_entry *e)
{
	size_t i;

	/* the last word counts: a figure first not counted, then retracted, shows as retracted */
	for (i = inc->mark_count; i-- > 0;)
		if (inc->marks[i].entry == e)
			return &inc->marks[i];
	return NULL;
}

static int involved(const accord_incident *inc, const char *party)
{
	size_t i;

	for (i = 0; party && i < inc->party_count; i++)
		if (strcmp(inc->parties[i], party) == 0)
			return 1;
	return 0;
}

static void add_party_name(accord_incident *inc, const char *name)
{
	if (name && !involved(inc, name))
		ACCORD_PUSH(inc->parties, inc->party_count, name);
}

/* A ticket counts when its party is involved; another is refused on read as on write. */
static void add_ticket(accord_incident *inc, const accord_entry *e, const char *party, const char *id,
		       const char *named_by)
{
	accord_ticket t = { e, party, id, named_by };

	if (!party || !id || !involved(inc, party)) {
		mark(inc, e, "ticket refused: its party is not involved", NULL);
		return;
	}
	ACCORD_PUSH(inc->tickets, inc->ticket_count, t);
}

static void apply_sla(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	accord_sla sla = { e, accord_party_of(p, e), accord_entry_str(e, "name"),
			   accord_entry_int(e, "target_s", 0), accord_entry_int(e, "actual_s", 0), 0 };
	size_t i;

	sla.met = sla.actual <= sla.target;
	for (i = 0; i < inc->sla_count; i++) {
		if (accord_str_eq(inc->sla[i].party, sla.party) && accord_str_eq(inc->sla[i].name, sla.name)) {
			mark(inc, inc->sla[i].entry, "superseded by the same party's later measurement", e);
			inc->sla[i] = sla;
			return;
		}
	}
	ACCORD_PUSH(inc->sla, inc->sla_count, sla);
}

/* Feedback is the customer-facing party's to record; a response id counts once. */
static void apply_feedback(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	accord_feedback fb = { e, accord_party_of(p, e), accord_entry_str(e, "response"),
			       accord_entry_int(e, "score", 0), accord_entry_int(e, "lost_minutes", -1),
			       accord_entry_str(e, "comment") };
	size_t i;

	if (!fb.response)
		fb.response = e->id;
	if (!accord_str_eq(fb.party, inc->customer_party)) {
		mark(inc, e, "not counted: feedback is recorded by the customer-facing party", NULL);
		ACCORD_PUSH(inc->feedback_refused, inc->feedback_refused_count, fb);
		return;
	}
	for (i = 0; i < inc->feedback_count; i++) {
		if (strcmp(inc->feedback[i].response, fb.response) == 0) {
			mark(inc, inc->feedback[i].entry, "superseded: the same response recorded again", e);
			inc->feedback[i] = fb;
			return;
		}
	}
	ACCORD_PUSH(inc->feedback, inc->feedback_count, fb);
}

/* Severity, title and service change only through the customer-facing party's amend. */
static void apply_amend(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	const char *s;

	if (!accord_str_eq(accord_party_of(p, e), inc->customer_party)) {
		mark(inc, e, "no effect: the customer-facing party amends an incident", NULL);
		return;
	}
	if (cJSON_GetObjectItemCaseSensitive(e->body, "severity")) {
		accord_amendment a = { e, "severity", NULL, accord_entry_int(e, "severity", 0) };

		inc->severity = a.number;
		ACCORD_PUSH(inc->amendments, inc->amendment_count, a);
	}
	if ((s = accord_entry_str(e, "title"))) {
		accord_amendment a = { e, "title", s, 0 };

		inc->title = s;
		ACCORD_PUSH(inc->amendments, inc->amendment_count, a);
	}
	if ((s = accord_entry_str(e, "service"))) {
		accord_amendment a = { e, "service", s, 0 };

		inc->service = s;
		ACCORD_PUSH(inc->amendments, inc->amendment_count, a);
	}
}

static void resolution_free(accord_resolution *r)
{
	if (r) {
		free(r->signatures);
		free(r->actions);
		free(r);
	}
}

/* A new proposal starts a new round: earlier signatures and action states do not carry over. */
static void apply_proposal(accord_incident *inc, const accord_entry *e)
{
	accord_resolution *r = calloc(1, sizeof(*r));
	const cJSON *a;

	if (!r)
		abort();
	r->entry = e;
	r->revision = (int)++inc->proposal_count;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(e->body, "actions")) {
		accord_action act = { accord_json_str(a, "text"),
				      cJSON_GetObjectItemCaseSensitive(a, "owners"),
				      accord_json_str(a, "due"), 0, NULL };

		ACCORD_PUSH(r->actions, r->action_count, act);
	}
	resolution_free(inc->resolution);
	inc->resolution = r;
}

static int has_signed(const accord_resolution *r, const char *party)
{
	size_t i;

	for (i = 0; i < r->signature_count; i++)
		if (strcmp(r->signatures[i].party, party) == 0)
			return 1;
	return 0;
}

static void update_joint(accord_incident *inc, int64_t when)
{
	accord_resolution *r = inc->resolution;
	size_t i;

	if (!r)
		return;
	for (i = 0; i < inc->party_count; i++) {
		if (!has_signed(r, inc->parties[i])) {
			r->joint = 0;
			return;
		}
	}
	if (!r->joint) {
		r->joint = 1;
		r->was_joint = 1;
		r->joint_at = when;
	}
}

static void add_signature(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	accord_resolution *r = inc->resolution;
	const accord_member *m = accord_parties_member(p, e->author.id);
	size_t i;

	if (!r || !m)
		return;
	for (i = 0; i < r->signature_count; i++)
		if (r->signatures[i].member == m)
			return; /* one signature per key */
	{
		accord_signature sig = { e, m, p->parties[m->party].name };

		ACCORD_PUSH(r->signatures, r->signature_count, sig);
	}
	update_joint(inc, e->time);
}

/* A party in a list of names, added once. */
static void sign_for(const char ***list, size_t *count, const char *party)
{
	size_t i;

	if (!party)
		return;
	for (i = 0; i < *count; i++)
		if (strcmp((*list)[i], party) == 0)
			return;
	ACCORD_PUSH(*list, *count, party);
}

/* Whether every involved party is in `list`: what makes a void or duplicate take effect. */
static int all_signed(const accord_incident *inc, const char *const *list, size_t count)
{
	size_t i, j;

	for (i = 0; i < inc->party_count; i++) {
		for (j = 0; j < count && strcmp(list[j], inc->parties[i]) != 0; j++)
			;
		if (j == count)
			return 0;
	}
	return 1;
}

static void update_closures(accord_incident *inc)
{
	size_t i;

	for (i = 0; i < inc->closure_count; i++) {
		accord_closure *c = &inc->closures[i];

		if (!c->retracted && !c->joint && all_signed(inc, c->signed_by, c->signed_count)) {
			c->joint = 1;
			if (!inc->closed_as)
				inc->closed_as = c;
		}
	}
}

static void apply_closure(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	accord_closure c = { e, e->type, accord_entry_str(e, "of"), NULL, 0, 0, 0 };

	size_t k = inc->closed_as ? (size_t)(inc->closed_as - inc->closures) : 0;

	sign_for(&c.signed_by, &c.signed_count, accord_party_of(p, e));
	ACCORD_PUSH(inc->closures, inc->closure_count, c);
	/* the array moved: closed_as must point into the new one */
	if (inc->closed_as)
		inc->closed_as = &inc->closures[k];
	update_closures(inc);
}

static accord_closure *find_closure(accord_incident *inc, const char *id)
{
	size_t i;

	for (i = 0; id && i < inc->closure_count; i++)
		if (strcmp(inc->closures[i].entry->id, id) == 0)
			return &inc->closures[i];
	return NULL;
}

/* A cosign counts for exactly one party, the signer's, and names one proposal. */
static void apply_cosign(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	const char *id = accord_entry_str(e, "proposal");
	const char *party = accord_party_of(p, e);
	accord_closure *c;
	accord_impact *w;

	if (!id)
		return;
	if (inc->resolution && strcmp(id, inc->resolution->entry->id) == 0) {
		add_signature(inc, p, e);
	} else if ((w = accord_figure_find(inc, id))) {
		sign_for(&w->signed_by, &w->signed_count, party);
		accord_figure_cosigned(inc, w);
	} else if ((c = find_closure(inc, id)) && !c->retracted) {
		sign_for(&c->signed_by, &c->signed_count, party);
		update_closures(inc);
	} else {
		mark(inc, e, "no effect: it names no current proposal", NULL);
	}
}

/*
 * The fact `target` stops counting; a proposal that never was joint is
 * withdrawn. 0 if it was found. A figure or proposal every party signed
 * once is shared: its author alone cannot take it back.
 */
static int withdraw(accord_incident *inc, const accord_entry *target)
{
	accord_impact *w = accord_figure_find(inc, target->id);
	accord_closure *c;
	size_t i;

	if (w && w->was_joint)
		return -1;
	if (w && accord_figure_remove(inc, target) == 0)
		return 0;
	for (i = 0; i < inc->sla_count; i++) {
		if (inc->sla[i].entry == target) {
			memmove(&inc->sla[i], &inc->sla[i + 1], (inc->sla_count - i - 1) * sizeof(*inc->sla));
			inc->sla_count--;
			return 0;
		}
	}
	for (i = 0; i < inc->feedback_count; i++) {
		if (inc->feedback[i].entry == target) {
			memmove(&inc->feedback[i], &inc->feedback[i + 1],
				(inc->feedback_count - i - 1) * sizeof(*inc->feedback));
			inc->feedback_count--;
			return 0;
		}
	}
	for (i = 0; i < inc->ticket_count; i++) {
		if (inc->tickets[i].entry == target) {
			memmove(&inc->tickets[i], &inc->tickets[i + 1],
				(inc->ticket_count - i - 1) * sizeof(*inc->tickets));
			inc->ticket_count--;
			return 0;
		}
	}
	if (inc->resolution && inc->resolution->entry == target && !inc->resolution->was_joint) {
		resolution_free(inc->resolution);
		inc->resolution = NULL;
		return 0;
	}
	if ((c = find_closure(inc, target->id)) && !c->joint && !c->retracted) {
		c->retracted = 1;
		return 0;
	}
	return strcmp(target->type, "note") == 0 ? 0 : -1;
}

/*
 * A member retracts its own entry (any of its keys): the entry stays in the
 * log, marked, and stops counting. Anything else is shown with no effect.
 */
static void apply_retract(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	const char *id = accord_entry_str(e, "entry");
	const accord_entry *target = NULL;
	size_t i;

	for (i = 0; id && i < inc->timeline_count; i++)
		if (strcmp(inc->timeline[i]->id, id) == 0)
			target = inc->timeline[i];
	if (!target)
		mark(inc, e, "no effect: it names no earlier entry of this incident", NULL);
	else if (!same_member(p, target, e))
		mark(inc, e, "no effect: a member retracts only its own entries", NULL);
	else if (withdraw(inc, target) < 0)
		mark(inc, e, "no effect: that entry cannot be retracted, or every party signed it", NULL);
	else
		mark(inc, target, "retracted", e);
}

static void apply_status(accord_incident *inc, const accord_entry *e)
{
	const char *to = accord_entry_str(e, "status");

	/* Closing needs a joint resolution; a close that came too early changes nothing. */
	if (to && accord_incident_transition_ok(inc->status, to) == 0 &&
	    (strcmp(to, "closed") != 0 || (inc->resolution && inc->resolution->joint))) {
		inc->status = to;
		inc->status_at = e->time;
	}
}

static void apply_action(accord_incident *inc, const accord_entry *e)
{
	const char *s = accord_entry_str(e, "resolution");
	int64_t n = accord_entry_int(e, "action", 0);

	if (inc->resolution && s && strcmp(s, inc->resolution->entry->id) == 0 && n >= 1 &&
	    (size_t)n <= inc->resolution->action_count) {
		accord_action *act = &inc->resolution->actions[n - 1];

		act->done = strcmp(accord_entry_str(e, "state"), "done") == 0;
		act->last = e;
	}
}

static void apply_entry(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	const char *t = e->type;

	if (!strcmp(t, "status")) {
		apply_status(inc, e);
	} else if (!strcmp(t, "impact")) {
		accord_figure_apply(inc, p, e);
	} else if (!strcmp(t, "sla")) {
		apply_sla(inc, p, e);
	} else if (!strcmp(t, "feedback")) {
		apply_feedback(inc, p, e);
	} else if (!strcmp(t, "involve")) {
		add_party_name(inc, accord_entry_str(e, "party"));
		if (accord_entry_str(e, "ticket"))
			add_ticket(inc, e, accord_entry_str(e, "party"), accord_entry_str(e, "ticket"),
				   accord_party_of(p, e));
		update_joint(inc, e->time); /* a newly involved party has not signed yet */
	} else if (!strcmp(t, "ticket")) {
		add_ticket(inc, e, accord_entry_str(e, "party"), accord_entry_str(e, "id"), accord_party_of(p, e));
	} else if (!strcmp(t, "resolution")) {
		apply_proposal(inc, e);
		add_signature(inc, p, e); /* the proposer signs for its own party */
	} else if (!strcmp(t, "cosign")) {
		apply_cosign(inc, p, e);
	} else if (!strcmp(t, "action")) {
		apply_action(inc, e);
	} else if (!strcmp(t, "amend")) {
		apply_amend(inc, p, e);
	} else if (!strcmp(t, "retract")) {
		apply_retract(inc, p, e);
	} else if (!strcmp(t, "void") || !strcmp(t, "duplicate")) {
		apply_closure(inc, p, e);
	}
}

/* What the open entry says: the first values, the parties, the tickets its author named. */
static void apply_open(accord_incident *inc, const accord_parties *p, const accord_entry *open)
{
	const char *by = accord_party_of(p, open);
	const cJSON *item;

	inc->open = open;
	inc->id = open->id;
	inc->title = accord_entry_str(open, "title");
	inc->service = accord_entry_str(open, "service");
	inc->severity = accord_entry_int(open, "severity", 0);
	inc->opened_at = open->time;
	time_field(&inc->started_at, open, "started_at");
	inc->status = "investigating";
	inc->status_at = open->time;
	inc->customer_party = accord_incident_customer_party(p, open);
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(open->body, "parties"))
		add_party_name(inc, cJSON_IsString(item) ? item->valuestring : NULL);
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(open->body, "tickets"))
		add_ticket(inc, open, accord_json_str(item, "party"), accord_json_str(item, "id"), by);
	ACCORD_PUSH(inc->timeline, inc->timeline_count, open);
}

/* A timeline item and its place in ledger order, which breaks ties in time. */
typedef struct {
	const accord_entry *entry;
	size_t place;
} placed;

static int by_time(const void *a, const void *b)
{
	const placed *x = a, *y = b;

	if (x->entry->time != y->entry->time)
		return x->entry->time < y->entry->time ? -1 : 1;
	return x->place < y->place ? -1 : x->place > y->place;
}

/* Show lists by time: offline work synced later reads in the order it happened. */
static void sort_timeline(accord_incident *inc)
{
	placed *items = calloc(inc->timeline_count + 1, sizeof(*items));
	size_t i;

	if (!items)
		abort();
	for (i = 0; i < inc->timeline_count; i++)
		items[i] = (placed){ inc->timeline[i], i };
	qsort(items, inc->timeline_count, sizeof(*items), by_time);
	for (i = 0; i < inc->timeline_count; i++)
		inc->timeline[i] = items[i].entry;
	free(items);
}

int accord_incident_build_from(accord_incident **out, const accord_parties *parties,
				const accord_entry *const *entries, size_t count)
{
	accord_incident *inc;
	const accord_entry *open = count ? entries[0] : NULL;
	size_t i;

	if (!open || strcmp(open->type, "open") != 0)
		return accord_error_set(ACCORD_EINVALID, "an incident starts with its open entry");
	if (!(inc = calloc(1, sizeof(*inc))))
		return accord_error_set(ACCORD_ENOMEM, "out of memory");
	apply_open(inc, parties, open);
	for (i = 1; i < count; i++) {
		if (strcmp(entries[i]->incident, open->id) != 0)
			continue;
		ACCORD_PUSH(inc->timeline, inc->timeline_count, entries[i]);
		apply_entry(inc, parties, entries[i]);
	}
	accord_figure_settle(inc);
	sort_timeline(inc);
	*out = inc;
	return 0;
}

int accord_incident_build(accord_incident **out, const accord_ledger *ledger,
			  const accord_entry *open)
{
	const accord_entry **list = NULL;
	size_t n = 0, i;
	int error;

	ACCORD_PUSH(list, n, open);
	for (i = 0; i < ledger->count; i++)
		if (strcmp(ledger->entries[i]->incident, open->id) == 0)
			ACCORD_PUSH(list, n, ledger->entries[i]);
	error = accord_incident_build_from(out, &ledger->parties, list, n);
	free(list);
	return error;
}

const char **accord_incident_waiting(const accord_incident *inc, size_t *count)
{
	const char **out = calloc(inc->party_count + 1, sizeof(*out));
	size_t i;

	*count = 0;
	if (!out)
		abort();
	for (i = 0; i < inc->party_count; i++)
		if (!inc->resolution || !has_signed(inc->resolution, inc->parties[i]))
			out[(*count)++] = inc->parties[i];
	return out;
}

static int listed(const char *const *list, size_t count, const char *party)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (strcmp(list[i], party) == 0)
			return 1;
	return 0;
}

const accord_entry **accord_incident_pending(const accord_incident *inc, const char *party,
					     size_t *count)
{
	const accord_entry **out = NULL;
	size_t i, n = 0;

	if (inc->resolution && !inc->resolution->joint && !has_signed(inc->resolution, party))
		ACCORD_PUSH(out, n, inc->resolution->entry);
	for (i = 0; i < inc->figure_count; i++) {
		const accord_impact *w = &inc->figures[i];

		if ((w->disputed || w->pending) && !accord_str_eq(w->party, party) &&
		    !listed(w->signed_by, w->signed_count, party))
			ACCORD_PUSH(out, n, w->entry);
	}
	for (i = 0; i < inc->closure_count; i++) {
		const accord_closure *c = &inc->closures[i];

		if (!c->joint && !c->retracted && !listed(c->signed_by, c->signed_count, party))
			ACCORD_PUSH(out, n, c->entry);
	}
	*count = n;
	return out;
}

void accord_incident_free(accord_incident *incident)
{
	size_t i;

	if (!incident)
		return;
	for (i = 0; i < incident->figure_count; i++)
		free(incident->figures[i].signed_by);
	for (i = 0; i < incident->closure_count; i++)
		free(incident->closures[i].signed_by);
	free(incident->figures);
	free(incident->impact);
	free(incident->sla);
	free(incident->feedback);
	free(incident->feedback_refused);
	free(incident->tickets);
	free(incident->amendments);
	free(incident->closures);
	free(incident->marks);
	free(incident->timeline);
	free(incident->parties);
	resolution_free(incident->resolution);
	free(incident);
}

const char *accord_duplicate_why_not(const char *self, const char *of, accord_closed_as_fn closed_as,
				     void *payload)
{
	const char **seen = NULL, *why = NULL, *cur = of;
	size_t n = 0, i;

	ACCORD_PUSH(seen, n, self);
	for (;;) {
		const char *kind = NULL, *next = NULL;

		for (i = 0; i < n && strcmp(seen[i], cur) != 0; i++)
			;
		if (i < n) {
			why = "no effect: the duplicates it leads through form a cycle";
			break;
		}
		if (closed_as(&kind, &next, cur, payload) < 0) {
			why = "no effect: it names no incident of this ledger";
			break;
		}
		if (!kind)
			break; /* ends at an incident that counts */
		if (strcmp(kind, "duplicate") != 0 || !next) {
			why = "no effect: the incident it duplicates is void";
			break;
		}
		ACCORD_PUSH(seen, n, cur);
		cur = next;
	}
	free(seen);
	return why;
}

static int ledger_closed_as(const char **kind, const char **of, const char *id, void *payload)
{
	accord_ledger *ledger = payload;
	const accord_entry *open;
	accord_incident *inc = NULL;

	if (accord_ledger_find_incident(&open, ledger, id) < 0 || strcmp(open->id, id) != 0 ||
	    accord_incident_build(&inc, ledger, open) < 0)
		return -1;
	*kind = inc->closed_as ? inc->closed_as->kind : NULL;
	*of = inc->closed_as ? inc->closed_as->of : NULL;
	accord_incident_free(inc);
	return 0;
}

const char *accord_duplicate_why_not_in(accord_ledger *ledger, const char *self, const char *of)
{
	return accord_duplicate_why_not(self, of, ledger_closed_as, ledger);
}

void accord_incident_settle_duplicate(accord_incident *inc, accord_closed_as_fn closed_as, void *payload)
{
	size_t i;

	if (!inc->closed_as)
		return;
	/* the first joint void, or joint duplicate that takes effect; a later one may where an earlier cannot */
	for (i = inc->closed_as - inc->closures; i < inc->closure_count; i++) {
		accord_closure *c = &inc->closures[i];
		const char *why;

		if (!c->joint || c->retracted)
			continue;
		if (strcmp(c->kind, "duplicate") != 0 ||
		    !(why = accord_duplicate_why_not(inc->id, c->of ? c->of : "", closed_as, payload))) {
			inc->closed_as = c;
			return;
		}
		mark(inc, c->entry, why, NULL);
	}
	inc->closed_as = NULL;
}

void accord_incident_settle_duplicate_in(accord_incident *inc, accord_ledger *ledger)
{
	accord_incident_settle_duplicate(inc, ledger_closed_as, ledger);
}
