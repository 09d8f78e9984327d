/*
 * Which incidents of a ledger a report counts (period, filters, void and
 * duplicate settled within the ledger), and the figures of each that need
 * nothing but the incident and the period (docs/metrics.md).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accord/idmap.h"
#include "accord/report.h"

#include "array.h"
#include "ledger_impl.h"
#include "report_impl.h"
#include "alloc.h"

/* How many of an incident's counted responses gave each indicator (accord_feedback_indicators order). */
void accord_report_indicator_counts(size_t *counts, const accord_incident *inc)
{
	size_t i, k;

	for (k = 0; accord_feedback_indicators[k]; k++)
		counts[k] = 0;
	for (i = 0; i < inc->feedback_count; i++) {
		const cJSON *w;

		cJSON_ArrayForEach(w, inc->feedback[i].indicators)
			for (k = 0; cJSON_IsString(w) && accord_feedback_indicators[k]; k++)
				counts[k] += !strcmp(w->valuestring, accord_feedback_indicators[k]);
	}
}

typedef struct {
	const accord_entry *open;
	const accord_entry **entries;
	size_t count;
} bucket;

static int involves(const accord_incident *inc, const char *party)
{
	const accord_resolution *items;
	size_t i;
	const cJSON *o;

	for (i = 0; i < inc->party_count; i++)
		if (strcmp(inc->parties[i], party) == 0)
			return 1;
	if ((items = accord_incident_actions(inc)))
		for (i = 0; i < items->action_count; i++)
			cJSON_ArrayForEach(o, items->actions[i].owners)
				if (cJSON_IsString(o) && strcmp(o->valuestring, party) == 0)
					return 1;
	return 0;
}

/* The window [s, e) of `w` with open windows ending now; whether it overlaps the period, and the clipped part. */
int accord_report_window_in_period(const accord_report *r, const accord_impact *w, int64_t *cs,
				   int64_t *ce)
{
	int64_t s = w->start, e = w->has_end ? w->end : r->opts.now;

	if (e < s)
		e = s;
	if (s == e) {
		if (s < r->since || s >= r->until)
			return 0;
	} else if (!(s < r->until && e > r->since)) {
		return 0;
	}
	*cs = s > r->since ? s : r->since;
	*ce = e < r->until ? e : r->until;
	if (*ce < *cs)
		*ce = *cs;
	return 1;
}

/*
 * By the signed start of the incident and the windows the customer-facing
 * party recorded or every party signed: another party's unconfirmed
 * figures never move an incident, and its watermelon, out of a period.
 */
static int belongs(const accord_report *r, const accord_incident *inc)
{
	size_t i;
	int64_t cs, ce;

	if (inc->started_at >= r->since && inc->started_at < r->until)
		return 1;
	for (i = 0; i < inc->impact_count; i++)
		if (inc->impact[i].state != ACCORD_FIGURE_UNCONFIRMED &&
		    accord_report_window_in_period(r, &inc->impact[i], &cs, &ce))
			return 1;
	return 0;
}

/* Disputed windows in the period: listed beside the figure, never added to it. */
static void measure_disputes(accord_report *r, accord_report_incident *ri)
{
	const accord_incident *inc = ri->incident;
	size_t i;

	ri->unconfirmed = inc->unconfirmed;
	for (i = 0; i < inc->figure_count; i++) {
		int64_t cs, ce;

		if (inc->figures[i].disputed &&
		    accord_report_window_in_period(r, &inc->figures[i], &cs, &ce))
			ACCORD_PUSH(ri->disputed, ri->disputed_count, &inc->figures[i]);
	}
}

/*
 * Without a clock decided against terms, the typed SLA measurements of the
 * customer-facing party decide, as its feedback does: another party's,
 * made up to miss, would take the customer's unhappy incident off the
 * watermelon count (attack81 01). If it typed none, every party's count.
 */
static void typed_verdicts(accord_report_incident *ri)
{
	const accord_incident *inc = ri->incident;
	const char *customer = inc->customer_party;
	size_t i;

	for (i = 0; customer && i < inc->sla_count; i++) {
		if (!inc->sla[i].party || strcmp(inc->sla[i].party, customer) != 0)
			continue;
		ri->verdicts++;
		ri->verdicts_met += inc->sla[i].met != 0;
	}
	if (!ri->verdicts) {
		ri->verdicts = ri->sla_count;
		ri->verdicts_met = ri->sla_met;
	}
}

/*
 * What decides whether incident `ri` was green outside: its clocks decided
 * against terms (stopped, or missed already; none counted apart), and
 * without one the typed SLA measurements. With terms in force a party's
 * own typed measurement, met or made up to miss, never decides it
 * (attack39 05).
 */
static void verdicts(accord_report_incident *ri)
{
	const accord_clocks *c = ri->clocks;
	size_t i, k;

	ri->verdicts = ri->verdicts_met = 0;
	for (i = 0; c && i < c->party_count; i++)
		for (k = 0; k < ACCORD_CLOCKS; k++) {
			const accord_clock *ck = &c->parties[i].clocks[k];

			if (ck->apart || !ck->state ||
			    !(ck->stopped || !strcmp(ck->state, "missed")))
				continue;
			ri->verdicts++;
			ri->verdicts_met += !strcmp(ck->state, "met");
		}
	ri->from_clocks = ri->verdicts > 0;
	if (!ri->verdicts)
		typed_verdicts(ri);
	ri->green = ri->verdicts > 0 && ri->verdicts_met == ri->verdicts;
}

/*
 * Whether a typed SLA measurement counts as met: as typed, unless the
 * clock it names, computed from the signed timeline under the terms,
 * disagrees with it (show marks it so): then as the clock says (attack129
 * 03: a provider's made-up "restore 10m" of a clock it missed by hours).
 */
static int typed_met(const accord_report_incident *ri, const accord_sla *s)
{
	const accord_clocks *c = ri->clocks;
	size_t i, k;

	for (i = 0; c && i < c->party_count; i++)
		for (k = 0; k < ACCORD_CLOCKS; k++) {
			const accord_clock *ck = &c->parties[i].clocks[k];

			if (ck->reported == s && ck->disagrees && ck->state)
				return !strcmp(ck->state, "met");
		}
	return s->met != 0;
}

/* Figures of one incident from the incident, its clocks and the period. */
static void measure(accord_report *r, accord_report_incident *ri)
{
	const accord_incident *inc = ri->incident;
	const accord_resolution *items;
	const accord_entry *last = NULL;
	size_t i;

	for (i = 0; i < inc->impact_count; i++) {
		const accord_impact *w = &inc->impact[i];
		int64_t cs, ce;

		if (!accord_report_window_in_period(r, w, &cs, &ce))
			continue;
		/* a window clipped by joint ones comes in parts: it is still one window */
		ri->windows += w->entry != last;
		last = w->entry;
		if (w->customers > ri->customers)
			ri->customers = w->customers;
		ri->customer_seconds =
			accord_sat_add(ri->customer_seconds, accord_sat_mul(w->customers, ce - cs));
		if (ce - cs > ri->longest_s)
			ri->longest_s = ce - cs;
	}
	for (i = 0; i < inc->feedback_count; i++) {
		const accord_feedback *f = &inc->feedback[i];

		ri->feedback_count++;
		ri->score_sum = accord_sat_add(ri->score_sum, f->score);
		ri->csat_count += f->score >= 4;
		if (f->lost_minutes >= 0) {
			ri->lost_count++;
			ri->lost_sum = accord_sat_add(ri->lost_sum, f->lost_minutes);
		}
	}
	for (i = 0; i < inc->sla_count; i++) {
		ri->sla_count++;
		ri->sla_met += typed_met(ri, &inc->sla[i]);
	}
	measure_disputes(r, ri);
	verdicts(ri);
	/* mean <= 2 without rounding: sum <= 2n */
	ri->watermelon = ri->green && ri->feedback_count > 0 &&
			 ri->score_sum <= 2 * (int64_t)ri->feedback_count;
	ri->resolved = !strcmp(inc->status, "resolved") || !strcmp(inc->status, "closed");
	if (inc->resolution) {
		const accord_resolution *res = inc->resolution;

		ri->joint = res->joint || inc->kept_joint_revision;
		ri->joint_at = res->joint ? res->joint_at : inc->kept_joint_at;
		if (ri->joint) {
			/* from when the impact began as the clocks read it, not the opener's claim (attack129 04) */
			ri->time_to_joint_s =
				ri->joint_at - accord_incident_impact_start(inc, NULL);
			if (ri->time_to_joint_s < 0) /* an agreement signed with an earlier time */
				ri->time_to_joint_s = 0;
			ri->revisions = res->joint ? (int)inc->proposal_count - 1
						   : inc->kept_joint_revision - 1;
		}
		if (!res->joint) /* a revision waits even while the joint one it replaced counts */
			ri->waiting = accord_incident_waiting(inc, &ri->waiting_count);
		items = accord_incident_actions(inc);
		for (i = 0; i < items->action_count; i++) {
			/* an item that will not be done is neither: the report lists it with its reason */
			if (items->actions[i].state == ACCORD_ACTION_DONE)
				ri->actions_done++;
			else if (items->actions[i].state == ACCORD_ACTION_OPEN)
				ri->actions_open++;
			ri->actions_overdue += action_overdue(&items->actions[i], r->opts.now);
		}
	}
	{
		int64_t t = accord_incident_impact_start(inc, NULL);

		if (t < r->since)
			t = r->since;
		if (t >= r->until)
			t = r->until - 1;
		ri->week = week_start(t);
	}
}

/*
 * Whether no party named `name` (the customer-facing party, or a namesake
 * of it) wrote on the incident (opened it, scored it, recorded a window
 * or a note; a void, a duplicate, a co-signature of either, a retract or
 * a dispute says nothing for it: attack46 09, attack47 11), but
 * those `by` brought in. Such an incident rests on the
 * providers' word alone: a provider that opens probes facing its real
 * customer and resolves them at once (attack45 01), or whose namesake of
 * the customer scores them (attack44 02), pads nothing.
 */
/* Whether `e` co-signs a void or duplicate proposal of the incident (attack47 11). */
static int cosigns_closure(const accord_incident *inc, const accord_entry *e)
{
	const char *id = strcmp(e->type, "cosign") == 0 ? accord_entry_str(e, "proposal") : NULL;
	size_t i;

	for (i = 0; id && i < inc->timeline_count; i++)
		if (!strcmp(inc->timeline[i]->id, id))
			return !strcmp(inc->timeline[i]->type, "void") ||
			       !strcmp(inc->timeline[i]->type, "duplicate");
	return 0;
}

static int customer_silent(const accord_incident *inc, const accord_parties *parties,
			   const char *name, const char *by)
{
	size_t i;

	for (i = 0; i < inc->timeline_count; i++) {
		const accord_entry *e = inc->timeline[i];
		const accord_member *m = accord_parties_member(parties, e->author.id);

		if (!strcmp(e->type, "void") || !strcmp(e->type, "duplicate") ||
		    !strcmp(e->type, "retract") || !strcmp(e->type, "dispute") ||
		    cosigns_closure(inc, e))
			continue;
		if (m && m->party < parties->party_count &&
		    accord_party_names_alike(parties->parties[m->party].name, name) &&
		    !accord_parties_index_brought_in(parties, m->party, by))
			return 0;
	}
	return 1;
}

/*
 * For which providers of incident `ri` no independent customer vouches:
 * they brought its customer-facing party into the ledger (a party a
 * provider invited, or one its invitees invited, is a customer it could
 * have made up, opening incidents and scoring them itself, under lax
 * terms or none: attack40 03, attack42 02), or that party never wrote on
 * it. Such incidents go to a row of that provider's apart, never into its
 * own row; a real customer it onboarded is shown there too, so nothing is
 * dropped (attack42 05, attack43 02).
 */
static void brought_in(accord_report_incident *ri, const accord_parties *parties)
{
	const accord_clocks *c = ri->clocks;
	const char *customer = ri->incident->customer_party;
	size_t j;

	if (!c || !c->party_count || !customer)
		return;
	ri->brought_in = calloc(c->party_count, 1);
	if (!ri->brought_in)
		accord_oom();
	for (j = 0; j < c->party_count; j++) {
		const char *by = c->parties[j].party;

		/* a name shared with a party `by` brought in counts only the other's word (attack42 03) */
		if (strcmp(by, customer) != 0 &&
		    (accord_parties_brought_in(parties, customer, by) ||
		     customer_silent(ri->incident, parties, customer, by)))
			ri->brought_in[j] = 1, ri->by_provider = 1;
	}
}

/* Group entries by incident once, so building every incident stays linear in the ledger. */
static int collect(bucket **out, size_t *count, const accord_ledger *ledger)
{
	accord_idmap map = ACCORD_IDMAP_INIT;
	bucket *b = NULL;
	size_t n = 0, i;

	for (i = 0; i < ledger->count; i++) {
		const accord_entry *e = ledger->entries[i];
		bucket nb = { e, NULL, 0 };

		if (strcmp(e->type, "open") != 0)
			continue;
		ACCORD_PUSH(b, n, nb);
		accord_idmap_put(&map, e->id, (void *)(uintptr_t)n);
	}
	for (i = 0; i < ledger->count; i++) {
		const accord_entry *e = ledger->entries[i];
		size_t k;

		if (!e->incident[0] ||
		    !(k = (size_t)(uintptr_t)accord_idmap_get(&map, e->incident)))
			continue;
		ACCORD_PUSH(b[k - 1].entries, b[k - 1].count, e);
	}
	accord_idmap_dispose(&map);
	*out = b;
	*count = n;
	return 0;
}

/* How an incident was closed before any duplicate was followed. */
typedef struct {
	const char *kind, *of;
	int later; /* a later joint void or duplicate might take effect (accord_closed_as_fn) */
} raw_closure;

/*
 * Every incident of the ledger: a duplicate takes effect only when the
 * incident it names counts, which needs the other incidents. `map` gives,
 * by id, how each was closed before any duplicate was followed, so the
 * verdicts do not depend on the order they are reached in.
 */
static int build_all(accord_incident ***out, raw_closure **raw_out, accord_idmap *map,
		     const bucket *b, size_t nb, const accord_ledger *ledger)
{
	accord_incident **all = calloc(nb + 1, sizeof(*all));
	raw_closure *raw = calloc(nb + 1, sizeof(*raw));
	size_t i;
	int error = 0;

	if (!all || !raw)
		accord_oom();
	for (i = 0; i < nb && error == 0; i++) {
		const accord_entry **list = NULL;
		size_t n = 0, j;

		/*
		 * The incident's own entries: the same result as accord_incident_build,
		 * without a scan per incident; causal questions go to the ledger itself.
		 */
		ACCORD_PUSH(list, n, b[i].open);
		for (j = 0; j < b[i].count; j++)
			ACCORD_PUSH(list, n, b[i].entries[j]);
		error = accord_incident_build_from(&all[i], &ledger->parties, list, n,
						   accord_incident_ledger_in_past, (void *)ledger);
		free(list);
		if (error < 0)
			break;
		if (all[i]->closed_as) {
			const accord_closure *c = all[i]->closed_as;

			raw[i] = (raw_closure){ c->kind, c->of, 0 };
			for (j = (size_t)(c - all[i]->closures) + 1; j < all[i]->closure_count; j++)
				raw[i].later |=
					all[i]->closures[j].joint && !all[i]->closures[j].retracted;
		}
		accord_idmap_put(map, all[i]->id, &raw[i]);
	}
	*out = all;
	*raw_out = raw;
	return error < 0 ? error : 0;
}

static int map_closed_as(const char **kind, const char **of, int *later, const char *id,
			 void *payload)
{
	const raw_closure *c = accord_idmap_get(payload, id);

	if (!c)
		return -1;
	*kind = c->kind;
	*of = c->of;
	*later = c->later;
	return 0;
}

/* Customer-seconds of `inc`'s counted windows within the report's period. */
static int64_t period_seconds(const accord_report *r, const accord_incident *inc)
{
	int64_t sum = 0, cs, ce;
	size_t i;

	for (i = 0; i < inc->impact_count; i++)
		if (accord_report_window_in_period(r, &inc->impact[i], &cs, &ce))
			sum = accord_sat_add(sum,
					     accord_sat_mul(inc->impact[i].customers, ce - cs));
	return sum;
}

/*
 * Whether every party involved in `to` when duplicate `from` was proposed
 * (its involve in the proposal's causal past) is involved in `from` too. A
 * party involved in `to` since, by one party alone, changes nothing
 * (attack128 01: the provider involved a sock of its own to stop the lending).
 */
static int parties_within(const accord_incident *to, const accord_incident *from,
			  const accord_ledger *ledger)
{
	const accord_entry *proposal = from->closed_as->entry;
	size_t i, j;

	for (i = 0; i < to->party_count; i++) {
		const accord_entry *by = to->involved_by ? to->involved_by[i] : NULL;

		if (by && by->incident[0] &&
		    accord_incident_ledger_in_past(proposal, by, (void *)ledger) != 1)
			continue; /* involved later, or at once: not when the duplicate was proposed */
		for (j = 0; j < from->party_count && strcmp(from->parties[j], to->parties[i]) != 0;
		     j++)
			;
		if (j == from->party_count)
			return 0;
	}
	return 1;
}

/*
 * A duplicate in effect leaves the report, and the incident its chain ends
 * at stands for the outage. Its customer-minutes in the period are the
 * larger of its own and each such duplicate's: whichever holds the most
 * lends its counted windows. So the figures the customer recorded on its
 * incident cannot leave the report with it, whatever the other incident's
 * figures became after the duplicate was signed (attack124 01: the
 * provider's bait window on its own incident, shrunk once the customer
 * co-signed). Only a duplicate that every party involved in that incident
 * signed lends (its parties include them all: a duplicate is joint among
 * its own parties): a party alone cannot re-score another's incident with
 * an incident of its own (attack126 01). Judged within the period, so no
 * window moves another period's figures into this one or out (attack126 02).
 */
static void carry_duplicates(const accord_report *r, accord_incident **all, const raw_closure *raw,
			     accord_idmap *map, size_t nb, const accord_ledger *ledger)
{
	size_t *best = accord_xcalloc(nb + 1, sizeof(*best));
	int64_t *most = accord_xcalloc(nb + 1, sizeof(*most));
	size_t i, j, steps;

	for (i = 0; i < nb; i++) {
		best[i] = i;
		most[i] = period_seconds(r, all[i]);
	}
	for (i = 0; i < nb; i++) {
		const raw_closure *to;

		if (!all[i]->closed_as || strcmp(all[i]->closed_as->kind, "duplicate") != 0)
			continue;
		/* the settled chain ends at an incident that counts; steps bound it anyway */
		for (j = i, steps = 0; steps <= nb && all[j]->closed_as && all[j]->closed_as->of &&
				       (to = accord_idmap_get(map, all[j]->closed_as->of));
		     steps++)
			j = (size_t)(to - raw);
		if (all[j]->closed_as || j == i || !parties_within(all[j], all[i], ledger))
			continue;
		/* most[i] is still i's own: a duplicate is no chain's end, so it lends, never borrows */
		if (most[i] > most[j]) {
			most[j] = most[i];
			best[j] = i;
		}
	}
	for (j = 0; j < nb; j++) {
		const accord_incident *from = all[best[j]];
		accord_incident *to = all[j];

		if (best[j] == j)
			continue;
		free(to->impact);
		to->impact = accord_xmalloc((from->impact_count + 1) * sizeof(*to->impact));
		memcpy(to->impact, from->impact, from->impact_count * sizeof(*to->impact));
		to->impact_count = from->impact_count;
		to->unconfirmed = from->unconfirmed;
		to->impact_from = from->id;
	}
	free(best);
	free(most);
}

/*
 * Measure the incidents of one ledger that belong to the report (period,
 * filters) into r->incidents. Duplicates are settled within the ledger:
 * an incident can only duplicate another of its own ledger.
 */
int accord_report_measure_ledger(accord_report *r, const accord_ledger *ledger, size_t index)
{
	accord_idmap map = ACCORD_IDMAP_INIT;
	accord_incident **all = NULL;
	raw_closure *raw = NULL;
	bucket *b = NULL;
	size_t nb = 0, i;
	int error;

	collect(&b, &nb, ledger);
	if ((error = build_all(&all, &raw, &map, b, nb, ledger)) == 0)
		for (i = 0; i < nb; i++)
			accord_incident_settle_duplicate(all[i], map_closed_as, &map);
	if (error == 0)
		carry_duplicates(r, all, raw, &map, nb, ledger);
	for (i = 0; error == 0 && i < nb; i++) {
		accord_incident *inc = all[i];
		accord_report_incident ri = { 0 };

		all[i] = NULL;
		if ((r->opts.service && strcmp(inc->service, r->opts.service) != 0) ||
		    (r->opts.party && !involves(inc, r->opts.party)) || !belongs(r, inc)) {
			accord_incident_free(inc);
			continue;
		}
		/* agreed by every party to be no incident (or another's): counted apart, nothing else */
		if (inc->closed_as) {
			if (!strcmp(inc->closed_as->kind, "void"))
				r->voided++;
			else
				r->duplicates++;
			accord_incident_free(inc);
			continue;
		}
		ri.incident = inc;
		ri.ledger = index;
		if ((error = accord_clocks_compute(&ri.clocks, inc, &ledger->parties,
						   accord_incident_ledger_in_past, (void *)ledger,
						   r->opts.now)) < 0) {
			accord_incident_free(inc);
			break;
		}
		measure(r, &ri);
		brought_in(&ri, &ledger->parties);
		ACCORD_PUSH(r->incidents, r->count, ri);
	}
	for (i = 0; i < nb; i++) {
		free(b[i].entries);
		accord_incident_free(all ? all[i] : NULL);
	}
	free(b);
	free(all);
	free(raw);
	accord_idmap_dispose(&map);
	return error < 0 ? error : 0;
}
