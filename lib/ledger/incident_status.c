/*
 * An incident's status lifecycle: which transitions are allowed, the
 * effective status changes a close looks back through, and closes and
 * reopens judged on their own causal past.
 */
#include <stdint.h>
#include <string.h>

#include "accord/error.h"
#include "accord/incident.h"

#include "array.h"
#include "incident_impl.h"

static const char *const statuses[] = { "investigating", "identified", "mitigated",
					"resolved",	 "closed",     "waiting" };

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
	/* waiting (a pause) is an open status, as investigating is */
	f = f == 5 ? 0 : f;
	t = t == 5 ? 0 : t;
	if (t == 4 && f != 3)
		return accord_error_set(
			ACCORD_EDENIED,
			"an incident is closed only after it is resolved (it is %s)", from);
	/* from resolved or closed, any open status is an explicit reopen */
	if (f >= 3 && t >= 3 && !(f == 3 && t == 4))
		return accord_error_set(
			ACCORD_EDENIED,
			"the incident is %s: reopen it with an open status (investigating, identified, mitigated or waiting) first",
			from);
	return 0;
}

void accord_derive_push_step(accord_incident *inc, const accord_parties *p, const accord_entry *e,
			     const char *status)
{
	struct accord_derive *d = inc->derive;
	status_step st = { e, status, accord_party_of(p, e) };

	ACCORD_PUSH(d->steps, d->step_count, st);
	inc->status = status;
	inc->status_at = e->time;
}

/*
 * Whether the resolution was joint among the parties the close knew were
 * involved, on signatures the close knew of: an involve or a re-proposal
 * written concurrently cannot undo it.
 */
static int close_joint(accord_incident *inc, const accord_entry *close)
{
	accord_resolution *r = inc->resolution;
	size_t i, j;

	if (!r || r->reopened ||
	    (r->entry != close && !accord_derive_in_past(inc, close, r->entry)))
		return 0;
	for (i = 0; i < inc->party_count; i++) {
		if (!accord_derive_knew_involved(inc, close, i))
			continue;
		for (j = 0; j < r->signature_count; j++)
			if (strcmp(r->signatures[j].party, inc->parties[i]) == 0 &&
			    accord_derive_in_past(inc, close, r->signatures[j].entry))
				break;
		if (j == r->signature_count)
			return 0;
	}
	return 1;
}

int accord_derive_ahead_knew(accord_incident *inc, const accord_entry *x)
{
	struct accord_derive *d = inc->derive;
	size_t i;

	for (i = 0; i < d->ahead_count; i++)
		if (d->ahead[i] != x && accord_derive_in_past(inc, d->ahead[i], x))
			return 1;
	return 0;
}

int accord_derive_decision_knew(accord_incident *inc, const accord_entry *close,
				const accord_entry *x)
{
	return accord_derive_in_past(inc, close, x) || accord_derive_ahead_knew(inc, x);
}

/*
 * The closes of this round written at once with close `e` that sort after
 * it: each would close the round on its own (the resolution joint as it
 * knew it). The close that sorts first is the one that knew least (a
 * party's close clocks one above all it saw), so judging the round on its
 * view alone let a provider's idle device, or a backdated close, make late
 * the customer's dispute or amend that the customer's own close had
 * judged (attack109 01).
 */
static void find_ahead(accord_incident *inc, const accord_entry *e)
{
	struct accord_derive *d = inc->derive;
	size_t i;
	int after = 0;

	d->ahead_count = 0;
	for (i = 0; i < d->all_count; i++) {
		const accord_entry *s = d->all[i];
		const char *to;

		if (s == e) {
			after = 1;
			continue;
		}
		if (!after || strcmp(s->type, "status") != 0 ||
		    strcmp(s->incident, e->incident) != 0 ||
		    !(to = accord_entry_str(s, "status")) || strcmp(to, "closed") != 0 ||
		    accord_derive_in_past(inc, s, e) || accord_derive_in_past(inc, e, s) ||
		    !close_joint(inc, s))
			continue;
		ACCORD_PUSH(d->ahead, d->ahead_count, s);
	}
}

/*
 * The status history as close `e` knew it: the steps an earlier close and
 * its reopen decided, then the statuses since that the close had in its
 * causal past, replayed through the transitions. A status it did not know
 * of, sorted anywhere before it, is no step of it: a backdated mitigated,
 * step back or resolved from an idle device moves no clock and cannot
 * make the close's own resolved fail to count (attack50 03, 04, 05).
 */
static status_step *known_steps(accord_incident *inc, const accord_parties *p,
				const accord_entry *e, size_t *count)
{
	struct accord_derive *d = inc->derive;
	status_step *steps =
		accord_xmalloc((d->reopen_step + 1 + d->status_count) * sizeof(*steps));
	size_t n = d->reopen_step + 1, i;

	memcpy(steps, d->steps, n * sizeof(*steps));
	for (i = d->reopen_status; i < d->status_count; i++) {
		const accord_entry *s = d->statuses[i];
		const char *to = accord_entry_str(s, "status");

		if (accord_derive_is_late(inc, s) || !accord_derive_in_past(inc, e, s) ||
		    accord_incident_transition_ok(steps[n - 1].status, to) != 0)
			continue;
		steps[n].entry = s;
		steps[n].status = to;
		steps[n].party = accord_party_of(p, s);
		n++;
	}
	*count = n;
	return steps;
}

/*
 * A close is judged on its own causal past: the last status it knew of
 * must be resolved, and the resolution joint among what it knew. Status
 * changes and involves it did not know of, sorted before it, are late.
 */
static void apply_close(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	struct accord_derive *d = inc->derive;
	accord_resolution *r = inc->resolution;
	status_step *known;
	size_t n, i;

	known = known_steps(inc, p, e, &n);
	if (strcmp(known[n - 1].status, "resolved") != 0 || !close_joint(inc, e)) {
		/* never silent: a close that took no effect says so (attack109 02) */
		accord_derive_mark(inc, e,
				   r && r->reopened
					   ? "no effect: the resolution it closes on was reopened; "
					     "closing again takes a new proposal every party signs"
					   : "no effect: the incident was not resolved on a joint "
					     "resolution, as this close knew it",
				   NULL);
		free(known);
		return;
	}
	/* every status sorted before it that it did not know of, whether it took effect or not */
	for (i = 0; i < d->status_count; i++)
		if (!accord_derive_is_late(inc, d->statuses[i]) &&
		    !accord_derive_in_past(inc, e, d->statuses[i]))
			accord_derive_mark_late(inc, p, d->statuses[i], "close", e);
	for (i = inc->party_count; i-- > 0;) {
		if (!accord_derive_knew_involved(inc, e, i)) {
			size_t j;

			accord_derive_mark_late(inc, p, d->party_by[i], "close", e);
			for (j = 0; j < d->also_by_count; j++)
				if (!strcmp(accord_entry_str(d->also_by[j], "party"),
					    inc->parties[i]))
					accord_derive_mark_late(inc, p, d->also_by[j], "close", e);
			accord_derive_drop_party(inc, i);
		}
	}
	accord_figure_on_close(inc, p, e);
	find_ahead(inc, e);
	accord_derive_close_freeze(inc, p, e);
	d->once_before = d->closed_once;
	d->closed_once = 1;
	free(d->steps);
	d->steps = known;
	d->step_count = n;
	accord_derive_push_step(inc, p, e, "closed");
	inc->closed_by = e;
	if (!r->joint) {
		r->joint = 1;
		if (!r->was_joint || !r->joint_by) {
			r->was_joint = 1;
			r->joint_at = e->time;
			r->joint_by = e;
		}
	}
	/* what it settles: conflicts it knew both sides of, or whose sides it made late */
	i = 0;
	while (i < inc->conflict_count) {
		accord_conflict *c = &inc->conflicts[i];

		if (strcmp(c->kind, "status") == 0 &&
		    (accord_derive_is_late(inc, c->a) || accord_derive_in_past(inc, e, c->a)) &&
		    (accord_derive_is_late(inc, c->b) || accord_derive_in_past(inc, e, c->b))) {
			memmove(c, c + 1, (inc->conflict_count - i - 1) * sizeof(*c));
			inc->conflict_count--;
		} else {
			i++;
		}
	}
}

int accord_derive_knows_close(accord_incident *inc, const accord_entry *e)
{
	struct accord_derive *d = inc->derive;
	size_t i;

	if (accord_derive_in_past(inc, e, inc->closed_by))
		return 1;
	for (i = 0; i < d->close_count; i++)
		if (accord_derive_in_past(inc, e, d->closes[i]))
			return 1;
	return 0;
}

/*
 * The status history of a round closed at once by two closes is what both
 * knew: a status one close knew and the other did not (an idle device's
 * regression and re-resolve, written beside its own close that sorts
 * first) is late, and the clocks do not read it (attack112 01). Facts are
 * what either knew (accord_derive_decision_knew); the history the clocks
 * are measured on is what both agreed on.
 */
static void narrow_steps(accord_incident *inc, const accord_parties *p, const accord_entry *also)
{
	struct accord_derive *d = inc->derive;
	const accord_entry *close = inc->closed_by;
	status_step *steps;
	size_t n, i;

	for (i = d->reopen_status; i < d->status_count; i++) {
		const accord_entry *s = d->statuses[i];

		if (!accord_derive_is_late(inc, s) && accord_derive_in_past(inc, close, s) &&
		    !accord_derive_in_past(inc, also, s))
			accord_derive_mark_late(inc, p, s, "close", also);
	}
	/* what the close in effect knew, now without what `also` did not */
	steps = known_steps(inc, p, close, &n);
	steps = accord_xrealloc(steps, (n + 1) * sizeof(*steps));
	steps[n] = d->steps[d->step_count - 1]; /* the close in effect */
	free(d->steps);
	d->steps = steps;
	d->step_count = n + 1;
}

/*
 * Whether close `e`, written without knowing of the close in effect, would
 * have closed the same round on its own: what it knew ends in resolved,
 * on the resolution joint among what it knew. Such a close is the same
 * decision, not a late one: else a provider's close dated just after the
 * joint signature, sorting first, made the customer's own close late, and
 * with it the customer's reopen and all it recorded since (attack107 01).
 */
static int closes_same_round(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	size_t n;
	status_step *known = known_steps(inc, p, e, &n);
	int same = !strcmp(known[n - 1].status, "resolved") && close_joint(inc, e);

	free(known);
	return same;
}

/*
 * Once closed, only a reopen that knew of the close (or of a close written
 * at once with it) changes the incident; what did not know of it is late. Before that, statuses follow ledger
 * order, and two written concurrently are a conflict until a later status
 * knows of both.
 */
void accord_derive_apply_status(accord_incident *inc, const accord_parties *p,
				const accord_entry *e)
{
	struct accord_derive *d = inc->derive;
	const char *to = accord_entry_str(e, "status");
	const status_step *last = &d->steps[d->step_count - 1];

	if (!to)
		return;
	if (strcmp(to, "closed") != 0)
		ACCORD_PUSH(d->statuses, d->status_count, e);
	if (inc->closed_by) {
		if (!accord_derive_knows_close(inc, e)) {
			if (strcmp(to, "closed") == 0 && closes_same_round(inc, p, e)) {
				ACCORD_PUSH(d->closes, d->close_count, e);
				accord_derive_mark_closed_at_once(inc, p, e, inc->closed_by);
				narrow_steps(inc, p, e);
			} else {
				accord_derive_mark_late(inc, p, e, "close", inc->closed_by);
			}
		} else if (accord_incident_transition_ok(inc->status, to) == 0) {
			inc->closed_by = NULL;
			d->close_count = 0;
			d->ahead_count = 0;
			accord_derive_push_step(inc, p, e, to);
			d->reopen_step = d->step_count - 1;
			d->reopen_status = d->status_count;
			/* what it closed on did not hold: only a new proposal, made joint, closes it again (attack48 04) */
			if (inc->resolution) {
				inc->resolution->joint = 0;
				inc->resolution->reopened = 1;
			}
			for (size_t k = 0; k < d->made_count; k++)
				d->made[k]->reopened = 1; /* the rival, and what a revision kept */
		}
		return;
	}
	if (strcmp(to, "closed") == 0) {
		apply_close(inc, p, e);
		return;
	}
	accord_derive_settle_conflicts(inc, NULL, "status", NULL, e);
	if (last->entry != inc->open && strcmp(last->status, to) != 0 &&
	    !accord_derive_in_past(inc, e, last->entry))
		accord_derive_add_conflict(inc, "status", NULL, last->entry, e);
	if (accord_incident_transition_ok(inc->status, to) == 0)
		accord_derive_push_step(inc, p, e, to);
}
