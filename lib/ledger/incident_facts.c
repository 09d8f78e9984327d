/*
 * What parties record about an incident, besides impact windows
 * (figure.c): who is involved and their tickets, SLA measurements,
 * customer feedback, and amendments of severity, title or service. Two
 * members of one party writing the same fact concurrently make a conflict,
 * shown until a later entry knows of both.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accord/incident.h"

#include "array.h"
#include "incident_impl.h"

int accord_derive_involved(const accord_incident *inc, const char *party)
{
	size_t i;

	for (i = 0; party && i < inc->party_count; i++)
		if (strcmp(inc->parties[i], party) == 0)
			return 1;
	return 0;
}

/* Involve party `name` by entry `by` (the open, or an involve): a close looks at which it knows of. */
void accord_derive_add_party_name(accord_incident *inc, const char *name, const accord_entry *by)
{
	struct accord_derive *d = inc->derive;

	if (name && !accord_derive_involved(inc, name)) {
		ACCORD_PUSH(inc->parties, inc->party_count, name);
		ACCORD_PUSH(d->party_by, d->party_by_count, by);
	} else if (name) {
		ACCORD_PUSH(d->also_by, d->also_by_count, by);
	}
}

/*
 * Whether `e` knew that party i is involved: the open named it, or one of
 * the involves of it (two members may have written one at once) is in e's
 * causal past.
 */
int accord_derive_knew_involved(accord_incident *inc, const accord_entry *e, size_t i)
{
	struct accord_derive *d = inc->derive;
	size_t j;

	if (d->party_by[i] == inc->open || accord_derive_in_past(inc, e, d->party_by[i]))
		return 1;
	for (j = 0; j < d->also_by_count; j++) {
		const char *name = accord_entry_str(d->also_by[j], "party");

		if (name && !strcmp(name, inc->parties[i]) &&
		    accord_derive_in_past(inc, e, d->also_by[j]))
			return 1;
	}
	return 0;
}

/* Undo a party's involvement (an involve the close did not know of). */
void accord_derive_drop_party(accord_incident *inc, size_t i)
{
	struct accord_derive *d = inc->derive;

	memmove(&inc->parties[i], &inc->parties[i + 1],
		(inc->party_count - i - 1) * sizeof(*inc->parties));
	memmove(&d->party_by[i], &d->party_by[i + 1],
		(d->party_by_count - i - 1) * sizeof(*d->party_by));
	inc->party_count--;
	d->party_by_count--;
}

/* A ticket counts when its party is involved; another is refused on read as on write. */
void accord_derive_add_ticket(accord_incident *inc, const accord_entry *e, const char *party,
			      const char *id, const char *named_by)
{
	accord_ticket t = { e, party, id, named_by };

	if (!party || !id || !accord_derive_involved(inc, party)) {
		accord_derive_mark(inc, e, "ticket refused: its party is not involved", NULL);
		return;
	}
	ACCORD_PUSH(inc->tickets, inc->ticket_count, t);
}

/*
 * Two members of one party writing a window with the same start, neither
 * knowing of the other's: the later in ledger order replaces the earlier
 * (lib/ledger/figure.c), and both are shown as a conflict until a later version
 * knows of both.
 */
void accord_derive_impact_conflict(accord_incident *inc, const accord_parties *p,
				   const accord_entry *e)
{
	const char *party = accord_party_of(p, e), *start = accord_entry_str(e, "start");
	size_t i;

	if (!start)
		return;
	accord_derive_settle_conflicts(inc, p, "impact", start, e);
	for (i = inc->figure_count; i-- > 0;) {
		const accord_impact *w = &inc->figures[i];

		if (accord_str_eq(w->party, party) &&
		    accord_str_eq(accord_entry_str(w->entry, "start"), start)) {
			if (!accord_derive_in_past(inc, e, w->entry))
				accord_derive_add_conflict(inc, "impact", start, w->entry, e);
			return;
		}
	}
}

void accord_derive_apply_sla(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	accord_sla sla = { e,
			   accord_party_of(p, e),
			   accord_entry_str(e, "name"),
			   accord_entry_int(e, "target_s", 0),
			   accord_entry_int(e, "actual_s", 0),
			   0 };
	size_t i;

	sla.met = sla.actual <= sla.target;
	for (i = 0; i < inc->sla_count; i++) {
		if (accord_str_eq(inc->sla[i].party, sla.party) &&
		    accord_str_eq(inc->sla[i].name, sla.name)) {
			accord_derive_settle_conflicts(inc, p, "sla", sla.name, e);
			if (!accord_derive_in_past(inc, e, inc->sla[i].entry))
				accord_derive_add_conflict(inc, "sla", sla.name, inc->sla[i].entry,
							   e);
			accord_derive_mark(inc, inc->sla[i].entry,
					   "superseded by the same party's later measurement", e);
			inc->sla[i] = sla;
			return;
		}
	}
	ACCORD_PUSH(inc->sla, inc->sla_count, sla);
}

/* Feedback is the customer-facing party's to record; a response id counts once. */
void accord_derive_apply_feedback(accord_incident *inc, const accord_parties *p,
				  const accord_entry *e)
{
	accord_feedback fb = { e,
			       accord_party_of(p, e),
			       accord_entry_str(e, "response"),
			       accord_entry_int(e, "score", 0),
			       accord_entry_int(e, "lost_minutes", -1),
			       accord_entry_str(e, "comment"),
			       cJSON_GetObjectItemCaseSensitive(e->body, "indicators") };
	size_t i;

	if (!fb.response)
		fb.response = e->id;
	if (!accord_str_eq(fb.party, inc->customer_party)) {
		accord_derive_mark(inc, e,
				   "not counted: feedback is recorded by the customer-facing party",
				   NULL);
		ACCORD_PUSH(inc->feedback_refused, inc->feedback_refused_count, fb);
		return;
	}
	accord_derive_settle_conflicts(inc, NULL, "feedback", fb.response, e);
	for (i = 0; i < inc->feedback_count; i++) {
		if (strcmp(inc->feedback[i].response, fb.response) == 0) {
			/* recorded twice at once: both shown until a version knowing both */
			int at_once = !accord_derive_in_past(inc, e, inc->feedback[i].entry);

			if (at_once)
				accord_derive_add_conflict(inc, "feedback", fb.response,
							   inc->feedback[i].entry, e);
			/* at once, neither replaced the other: the mark says which counts for now (attack124 02) */
			accord_derive_mark(
				inc, inc->feedback[i].entry,
				at_once ? "conflict: the same response recorded at once, the other counts until one knowing both"
					: "superseded: the same response recorded again",
				e);
			inc->feedback[i] = fb;
			return;
		}
	}
	ACCORD_PUSH(inc->feedback, inc->feedback_count, fb);
}

/*
 * Two amends of one field, neither knowing of the other, are a conflict
 * (the later in ledger order is in effect) until an amend of that field
 * with both in its causal past settles it.
 */
static void amend_conflict(accord_incident *inc, const accord_entry *e, const char *field)
{
	size_t i;

	accord_derive_settle_conflicts(inc, NULL, "amend", field, e);
	for (i = inc->amendment_count; i-- > 0;)
		if (!strcmp(inc->amendments[i].field, field)) {
			if (!accord_derive_in_past(inc, e, inc->amendments[i].entry))
				accord_derive_add_conflict(inc, "amend", field,
							   inc->amendments[i].entry, e);
			return;
		}
}

/* Severity, title and service change only through the customer-facing party's amend. */
void accord_derive_apply_amend(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	const char *s;

	if (!accord_str_eq(accord_party_of(p, e), inc->customer_party)) {
		accord_derive_mark(inc, e,
				   "no effect: the customer-facing party amends an incident", NULL);
		return;
	}
	/*
	 * A closed incident's scope is what its clocks were judged on: an
	 * amend changes it only after a reopen, as a proposal does (attack45
	 * 02); one that did not know of the close is late (attack45 03, and
	 * accord_derive_close_freeze for one sorted before the close).
	 */
	if (inc->closed_by) {
		accord_derive_late_on_close(inc, p, e);
		return;
	}
	if (cJSON_GetObjectItemCaseSensitive(e->body, "severity")) {
		accord_amendment a = { e, "severity", NULL, accord_entry_int(e, "severity", 0) };

		amend_conflict(inc, e, "severity");
		inc->severity = a.number;
		ACCORD_PUSH(inc->amendments, inc->amendment_count, a);
	}
	if ((s = accord_entry_str(e, "title"))) {
		accord_amendment a = { e, "title", s, 0 };

		amend_conflict(inc, e, "title");
		inc->title = s;
		ACCORD_PUSH(inc->amendments, inc->amendment_count, a);
	}
	if ((s = accord_entry_str(e, "service"))) {
		accord_amendment a = { e, "service", s, 0 };

		amend_conflict(inc, e, "service");
		inc->service = s;
		ACCORD_PUSH(inc->amendments, inc->amendment_count, a);
	}
}

/*
 * What a close judged the clocks on, against what was written beside it
 * (an idle device's entries, sorted before it, that neither it nor a close
 * of its round written at once with it knew of):
 * such amends are late and the scope goes back to the open and the amends
 * it knew of (attack45 03); such disputes are late (attack46 03); such
 * windows still count in the figures but move no clock's start (attack46
 * 01).
 */
void accord_derive_close_freeze(accord_incident *inc, const accord_parties *p,
				const accord_entry *close)
{
	size_t i, kept = 0;

	inc->title = accord_entry_str(inc->open, "title");
	inc->service = accord_entry_str(inc->open, "service");
	inc->severity = accord_entry_int(inc->open, "severity", 0);
	for (i = 0; i < inc->amendment_count; i++) {
		accord_amendment *a = &inc->amendments[i];

		if (!accord_derive_decision_knew(inc, close, a->entry)) {
			if (!accord_incident_mark(inc, a->entry))
				accord_derive_mark_late(inc, p, a->entry, "close", close);
			continue;
		}
		if (!strcmp(a->field, "severity"))
			inc->severity = a->number;
		else if (!strcmp(a->field, "title"))
			inc->title = a->text;
		else
			inc->service = a->text;
		inc->amendments[kept++] = *a;
	}
	inc->amendment_count = kept;
	/* a conflict with a late side is no conflict: the late side changes nothing */
	for (i = 0, kept = 0; i < inc->conflict_count; i++) {
		const accord_conflict *c = &inc->conflicts[i];

		if (!strcmp(c->kind, "amend") &&
		    (accord_derive_is_late(inc, c->a) || accord_derive_is_late(inc, c->b)))
			continue;
		inc->conflicts[kept++] = *c;
	}
	inc->conflict_count = kept;
	for (i = 0, kept = 0; i < inc->dispute_count; i++) {
		if (!accord_derive_decision_knew(inc, close, inc->disputes[i].entry)) {
			accord_derive_mark_late(inc, p, inc->disputes[i].entry, "close", close);
			continue;
		}
		inc->disputes[kept++] = inc->disputes[i];
	}
	inc->dispute_count = kept;
	for (i = 0; i < inc->figure_count; i++)
		if (!accord_derive_decision_knew(inc, close, inc->figures[i].entry))
			inc->figures[i].after_close = 1;
}
