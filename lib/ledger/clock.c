#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "accord/clock.h"
#include "accord/error.h"
#include "accord/hours.h"
#include "json.h"

#include "array.h"
#include "figure.h"
#include "alloc.h"

static const char *const clock_names[ACCORD_CLOCKS] = { "acknowledge", "mitigate", "restore" };

/*
 * Whether a typed `accord sla` measurement's name means clock k. Names are
 * compared lowercased with separators dropped, and by their roots, so a
 * provider cannot keep a made-up "Restore" or "time_to_restore" from being
 * judged against the computed clock (attack130 01). Restore is tried before
 * acknowledge: "resolution response" is a restore.
 */
static int sla_names_clock(const char *name, int k)
{
	static const char *const roots[ACCORD_CLOCKS][5] = {
		{ "acknowledg", "respon", NULL },
		{ "mitig", NULL },
		{ "restor", "resol", "recover", NULL },
	};
	static const char *const exact[ACCORD_CLOCKS][5] = {
		{ "ack", "tta", "mtta", NULL },
		{ "ttm", "mttm", NULL },
		{ "ttr", "mttr", "ttrs", NULL },
	};
	char norm[64];
	size_t i, n = 0;
	int c, which = -1;

	for (i = 0; name && name[i] && n + 1 < sizeof(norm); i++)
		if (strchr("-_ .", name[i]) == NULL)
			norm[n++] = (char)tolower((unsigned char)name[i]);
	norm[n] = '\0';
	for (c = ACCORD_CLOCKS - 1; c >= 0 && which < 0; c--)
		for (i = 0; which < 0 && (roots[c][i] || exact[c][i]); i++)
			if ((roots[c][i] && strstr(norm, roots[c][i])) ||
			    (exact[c][i] && !strcmp(norm, exact[c][i])))
				which = c;
	return which == k;
}

/* The pauses: each status waiting, until the next effective status. */
static void find_pauses(accord_clocks *c, const accord_incident *inc, const accord_parties *p)
{
	size_t i, j;

	for (i = 1; i < inc->step_count; i++) {
		const accord_entry *e = inc->steps[i].entry;
		accord_pause ps;

		if (strcmp(inc->steps[i].status, "waiting") != 0)
			continue;
		memset(&ps, 0, sizeof(ps));
		ps.entry = e;
		ps.setter = accord_party_of(p, e);
		ps.on = accord_entry_str(e, "on");
		ps.note = accord_entry_str(e, "note");
		ps.start = e->time;
		if (i + 1 < inc->step_count) {
			ps.has_end = 1;
			ps.end_entry = inc->steps[i + 1].entry;
			ps.end = ps.end_entry->time;
		}
		/*
		 * It stops the clocks of every party but `on`, the providers' under
		 * the customer's terms among them: unless the customer-facing party
		 * set it, `on` co-signs (setting it on itself is its word) and, when
		 * `on` is another party, the customer too (attack34 05, attack36 01).
		 */
		ps.needs_cosign =
			ps.setter && ps.on && !accord_str_eq(ps.setter, inc->customer_party);
		ps.needs_customer = ps.needs_cosign && inc->customer_party &&
				    !accord_str_eq(ps.on, inc->customer_party);
		for (j = 0; j < inc->pause_sign_count; j++) {
			const accord_pause_sign *s = &inc->pause_signs[j];

			if (s->pause != e)
				continue;
			if (!ps.cosigned_by && accord_str_eq(s->party, ps.on))
				ps.cosigned_by = s->by;
			else if (!ps.customer_cosigned_by &&
				 accord_str_eq(s->party, inc->customer_party))
				ps.customer_cosigned_by = s->by;
		}
		ps.counts = ps.on && (!ps.needs_cosign ||
				      ((ps.cosigned_by || accord_str_eq(ps.setter, ps.on)) &&
				       (!ps.needs_customer || ps.customer_cosigned_by)));
		ACCORD_PUSH(c->pauses, c->pause_count, ps);
	}
}

/*
 * The other side of a disputed impact start: the earliest disputed window
 * of a party other than the customer-facing one that starts elsewhere
 * than the impact (`start`), or NULL.
 */
static const accord_impact *disputing_window(const accord_incident *inc, int64_t start)
{
	const accord_impact *best = NULL;
	size_t i;

	for (i = 0; i < inc->figure_count; i++) {
		const accord_impact *w = &inc->figures[i];

		/* one that starts where the impact did disputes the count, not the start */
		if (w->disputed && !accord_str_eq(w->party, inc->customer_party) &&
		    w->start != start && (!best || w->start < best->start))
			best = w;
	}
	return best;
}

/*
 * The first effective status among `names` that stood: a later status
 * outside them (a reopen) runs the clock again, so a provider's early
 * "resolved" that the customer reopened stops nothing (attack38 05).
 * Waiting steps back from resolved (restore runs again: a provider's
 * "resolved" then "waiting on acme to confirm" restored nothing,
 * attack39 03) but not from mitigated: a pause after mitigation is not
 * the impact back (`waiting_neutral`). Among the steps from `from` on
 * (0: all of them). NULL while none stands.
 */
static const accord_entry *first_status(const accord_incident *inc, const char *const *names,
					int waiting_neutral, size_t from)
{
	const accord_entry *stop = NULL;
	size_t i, k;

	for (i = from ? from : 1; i < inc->step_count; i++) {
		if (waiting_neutral && !strcmp(inc->steps[i].status, "waiting"))
			continue;
		for (k = 0; names[k] && strcmp(inc->steps[i].status, names[k]) != 0; k++)
			;
		if (!names[k])
			stop = NULL;
		else if (!stop)
			stop = inc->steps[i].entry;
	}
	return stop;
}

/* Where mitigate (`k` 1) or restore (2) stops, among the steps from `from` on (first_status). */
static const accord_entry *clock_stop(const accord_incident *inc, size_t k, size_t from)
{
	static const char *const mitigated[] = { "mitigated", "resolved", "closed", NULL };
	static const char *const restored[] = { "resolved", "closed", NULL };

	return first_status(inc, k == 1 ? mitigated : restored, k == 1, from);
}

/*
 * Party `party`'s first entry on the incident that has `involved` in its
 * causal past (or is it): its acknowledgement. The timeline is in time
 * order, which never puts an entry before one it depends on.
 */
static int first_response(const accord_entry **out, const accord_incident *inc,
			  const accord_parties *p, const char *party, const accord_entry *involved,
			  accord_in_past_fn in_past, void *payload)
{
	size_t i;

	*out = NULL;
	if (accord_str_eq(accord_party_of(p, involved), party)) {
		*out = involved;
		return 0;
	}
	for (i = 0; i < inc->timeline_count; i++) {
		const accord_entry *e = inc->timeline[i];
		int yes;

		if (e->time < involved->time || !accord_str_eq(accord_party_of(p, e), party))
			continue;
		if ((yes = in_past(e, involved, payload)) < 0)
			return yes;
		if (yes) {
			*out = e;
			return 0;
		}
	}
	return 0;
}

/*
 * The dispute of `e`'s time in effect, none retracted: the customer-facing
 * party's last that the signer accepted, else its last, else the last in
 * ledger order, or NULL. The clock is the customer's: another party's
 * dispute, even one the signer accepted, never replaces the customer's
 * (attack40 05); and a time both agreed stays until they agree on another:
 * the customer's later dispute of it alone unmakes nothing (attack89 02).
 */
static const accord_dispute *dispute_of(const accord_incident *inc, const accord_entry *e)
{
	const accord_dispute *last = NULL, *customer = NULL;
	size_t i;

	for (i = inc->dispute_count; e && i-- > 0;) {
		const accord_dispute *d = &inc->disputes[i];

		if (d->target != e || d->retracted)
			continue;
		if (accord_str_eq(d->by, inc->customer_party)) {
			if (d->accepted_by)
				return d;
			if (!customer)
				customer = d;
		} else if (!last) {
			last = d;
		}
	}
	return customer ? customer : last;
}

/*
 * The time a clock reads for `e`: the time its signer claims, or the
 * disputer's once the signer accepted it (co-signed the dispute), or, in
 * the disputed view, the disputer's while the dispute is open.
 */
static int64_t when(const accord_incident *inc, const accord_entry *e, int disputed_view)
{
	const accord_dispute *d = dispute_of(inc, e);
	/* settled counts only where the customer is one side: a sock's dispute of the provider's pause, accepted, moves nothing (attack41 01) */
	int settled = d && d->accepted_by &&
		      (accord_str_eq(d->by, inc->customer_party) ||
		       accord_str_eq(d->target_party, inc->customer_party));

	return d && (settled || disputed_view) ? d->at : e->time;
}

/* An open dispute of `e`'s time, or NULL. */
static const accord_dispute *open_dispute(const accord_incident *inc, const accord_entry *e)
{
	const accord_dispute *d = dispute_of(inc, e);

	return d && !d->accepted_by ? d : NULL;
}

static int span_cmp(const void *x, const void *y)
{
	const int64_t *a = x, *b = y;

	return (a[0] > b[0]) - (a[0] < b[0]);
}

/*
 * Seconds of [a, b) in the hours during which the incident stood resolved
 * and closed before a reopen: both parties had agreed it was resolved, so
 * a reopen, however late and whoever's, resumes the clocks where the
 * close left them instead of charging the closed days (attack45 04,
 * attack47 10). Spans of sequential steps: they never overlap each other,
 * nor a pause.
 */
static int64_t closed_time(const accord_hours *h, const accord_incident *inc, int64_t a, int64_t b,
			   int view)
{
	const accord_dispute *d;
	int64_t sum = 0;
	size_t i;

	for (i = 1; i + 1 < inc->step_count; i++) {
		int64_t s, e;

		if (strcmp(inc->steps[i].status, "closed") != 0)
			continue;
		/*
		 * A close rests on the resolved step just before it (apply_close):
		 * at its signed time, or later where the customer disputes it
		 * (another party's dispute moves no clock, attack47 14).
		 */
		s = when(inc, inc->steps[i - 1].entry, 0);
		if ((d = dispute_of(inc, inc->steps[i - 1].entry)) &&
		    accord_str_eq(d->by, inc->customer_party) && d->at > s)
			s = d->at;
		e = when(inc, inc->steps[i + 1].entry, view);
		if (s < a)
			s = a;
		if (e > b)
			e = b;
		if (e > s)
			sum += accord_hours_between(h, s, e);
	}
	return sum;
}

/* Seconds of [a, b) in the hours, less the pauses that stop `party`'s clock, on the signed or the disputed times. */
static void measure(accord_clock *k, const accord_hours *h, const accord_clocks *c,
		    const accord_incident *inc, const char *party, int64_t a, int64_t b,
		    int64_t now, int view)
{
	int64_t paused = 0, (*spans)[2] = NULL;
	size_t i, n = 0;

	if (b < a)
		b = a;
	for (i = 0; i < c->pause_count; i++) {
		const accord_pause *ps = &c->pauses[i];
		int64_t start = when(inc, ps->entry, view),
			end = ps->has_end ? when(inc, ps->end_entry, view) : now;
		int64_t span[2] = { start > a ? start : a, end < b ? end : b };

		if (!ps->counts || accord_str_eq(ps->on, party) || span[1] <= span[0])
			continue;
		spans = accord_xrealloc(spans, (n + 1) * sizeof(*spans));
		memcpy(spans[n++], span, sizeof(span));
	}
	/* their union: pauses that overlap (two devices, concurrent steps) stop the clock once (attack40 04) */
	if (n)
		qsort(spans, n, sizeof(*spans), span_cmp);
	for (i = 0; i < n; i++) {
		int64_t s = spans[i][0], e = spans[i][1];

		while (i + 1 < n && spans[i + 1][0] <= e) {
			if (spans[i + 1][1] > e)
				e = spans[i + 1][1];
			i++;
		}
		paused += accord_hours_between(h, s, e);
	}
	free(spans);
	k->paused_s = paused;
	/* after a reopen nothing stands closed: a reopen sorted later does not stretch the close (attack48 02) */
	k->closed_s = k->resumed_entry ? 0 : closed_time(h, inc, a, b, view);
	k->elapsed_s = accord_hours_between(h, a, b) - paused - k->closed_s;
	if (k->elapsed_s < 0)
		k->elapsed_s = 0;
}

static const char *verdict(int64_t elapsed, int64_t target, int stopped)
{
	return elapsed > target ? "missed" : stopped ? "met" : "running";
}

/*
 * An open dispute of a time clock `ck` of `party` reads: where it starts
 * (the involvement, for acknowledge), where it stops, or where a pause
 * that stops it begins or ends, of the pauses not over by `since`. NULL
 * when none.
 */
static const accord_dispute *clock_dispute(const accord_clocks *c, const accord_incident *inc,
					   const char *party, const accord_clock *ck, int64_t since)
{
	const accord_dispute *d;
	size_t i;

	if ((d = open_dispute(inc, ck->from_entry)) || (d = open_dispute(inc, ck->to_entry)))
		return d;
	for (i = 0; i < c->pause_count; i++) {
		const accord_pause *ps = &c->pauses[i];

		if (!ps->counts || accord_str_eq(ps->on, party) ||
		    (ck->stopped && ps->start >= ck->to) || (ps->has_end && ps->end <= since))
			continue;
		if ((d = open_dispute(inc, ps->entry)) || (d = open_dispute(inc, ps->end_entry)))
			return d;
	}
	return NULL;
}

/*
 * A clock whose time another party disputes: measured again from `dfrom`
 * to `dto` (when stopped) in the disputer's `view`, and, with an agreement,
 * shown disputed beside the verdict on its signer's claim. The clock is the
 * customer's: only the customer-facing party's dispute takes it out of the
 * count. Any other party's (the provider's own window or dispute of the
 * customer's times, a party it invited, a third party) is shown beside it
 * and leaves the verdict on the signed claim counted (attack38 06, 07,
 * attack39 01, 02).
 */
static void measure_disputed(accord_clock *ck, const accord_hours *h, const accord_clocks *c,
			     const accord_incident *inc, const char *party, const char *disputer,
			     const accord_agreement *agreement, int64_t dfrom, int64_t dto,
			     int64_t now, int view)
{
	accord_clock alt;

	memset(&alt, 0, sizeof(alt));
	alt.resumed_entry = ck->resumed_entry;
	ck->dispute_to = ck->stopped ? dto : 0;
	measure(&alt, h, c, inc, party, dfrom, ck->stopped ? dto : (now > dfrom ? now : dfrom), now,
		view);
	ck->dispute_elapsed_s = alt.elapsed_s;
	ck->claimed_state = ck->state;
	ck->apart = accord_str_eq(disputer, inc->customer_party);
	if (agreement) {
		ck->dispute_state = verdict(alt.elapsed_s, ck->target_s, ck->stopped);
		/* where both claims give one verdict, that is the verdict (attack89 02) */
		if (ck->apart && ck->state && !strcmp(ck->dispute_state, ck->state))
			ck->apart = 0;
		if (ck->apart)
			ck->state = "disputed";
	}
}

/* Party `party`'s own typed measurement of clock `k`, and whether it disagrees with `ck`. */
static void reported(accord_clock *ck, const accord_incident *inc, const char *party, size_t k)
{
	size_t j;

	ck->reported = NULL;
	ck->disagrees = 0;
	for (j = 0; j < inc->sla_count; j++) {
		const accord_sla *s = &inc->sla[j];

		if (!accord_str_eq(s->party, party) || !sla_names_clock(s->name, (int)k))
			continue;
		ck->reported = s;
		ck->disagrees = s->actual > ck->elapsed_s + 60 || s->actual + 60 < ck->elapsed_s;
	}
}

/* The step of the last joint close that a reopen followed, or 0. */
static size_t reopened_close(const accord_incident *inc)
{
	size_t i;

	for (i = inc->step_count; i-- > 1;)
		if (i + 1 < inc->step_count && !strcmp(inc->steps[i].status, "closed"))
			return i;
	return 0;
}

/*
 * Where the clocks stood at close step `ci`: the incident derived from its
 * entries up to the close in ledger order (what the close judged; an entry
 * after it that did not know of it is late anyway) and its clocks at the
 * close. What is written after a reopen (a retract of the window the
 * close measured from, an amend of the scope, a dispute) cannot change the
 * time before the close (attack47 12, attack46 04).
 */
static int freeze(accord_clocks *c, const accord_incident *inc, const accord_parties *p,
		  accord_in_past_fn in_past, void *payload, size_t ci)
{
	const accord_entry *close = inc->steps[ci].entry, **upto;
	size_t n, k, i;
	int error;

	for (n = 0; n < inc->ordered_count && inc->ordered[n] != close; n++)
		;
	if (n == inc->ordered_count)
		return 0;
	/* and the closes of its round written at once with it: what the round's history is (attack112 02) */
	upto = accord_xmalloc((inc->ordered_count + 1) * sizeof(*upto));
	memcpy(upto, inc->ordered, (n + 1) * sizeof(*upto));
	for (k = n + 1, i = n + 1; i < inc->ordered_count; i++) {
		const accord_mark *m = accord_incident_mark(inc, inc->ordered[i]);

		if (m && m->by == close && !strncmp(m->mark, "no effect: closed at once", 25))
			upto[k++] = inc->ordered[i];
	}
	error = accord_incident_build_from(&c->frozen_incident, p, upto, k, in_past, payload);
	free(upto);
	if (error < 0)
		return error;
	if (c->frozen_incident->closed_by != close)
		return 0;
	return accord_clocks_compute(&c->frozen, c->frozen_incident, p, in_past, payload,
				     close->time);
}

/* The clocks `frozen` kept of `party`, or NULL. */
static const accord_party_clocks *frozen_of(const accord_clocks *frozen, const char *party)
{
	size_t i;

	for (i = 0; frozen && i < frozen->party_count; i++)
		if (accord_str_eq(frozen->parties[i].party, party))
			return &frozen->parties[i];
	return NULL;
}

/*
 * The reopen of close step `ci` the clocks resume from: the earliest by
 * signed time of the open statuses that knew of the close, before the
 * next close. Another status than the one that took effect counts too: a
 * provider's reopen written days later on a device whose feed sorts first
 * does not move the resume past the customer's (attack48 02); a status
 * that did not know of the close is late and counts for nothing.
 */
static int reopen_of(const accord_entry **out, const accord_incident *inc, size_t ci,
		     accord_in_past_fn in_past, void *payload)
{
	const accord_entry *close = inc->steps[ci].entry, *next = NULL;
	size_t i, j;
	int after = 0, yes;

	for (j = ci + 1; j < inc->step_count && !next; j++)
		if (!strcmp(inc->steps[j].status, "closed"))
			next = inc->steps[j].entry;
	*out = inc->steps[ci + 1].entry;
	for (i = 0; i < inc->ordered_count && inc->ordered[i] != next; i++) {
		const accord_entry *e = inc->ordered[i];
		const accord_mark *m = accord_incident_mark(inc, e);
		const char *to = accord_entry_str(e, "status");

		if (e == close)
			after = 1;
		if (!after || strcmp(e->type, "status") != 0 || !to || !strcmp(to, "resolved") ||
		    !strcmp(to, "closed") || e->time >= (*out)->time ||
		    (m && !strncmp(m->mark, "late:", 5)))
			continue;
		if ((yes = in_past(e, close, payload)) < 0)
			return yes;
		if (yes)
			*out = e;
	}
	return 0;
}

/*
 * Mitigate or restore (`k`) of `party` after reopen `r` of the joint close
 * at step `ci`: where the close left it (`f`) plus the time since the
 * reopen until a status that stands after it stops it again. Mitigate
 * resumes from where it stopped, not from the resolved the close rested
 * on (attack47 13). A dispute on either side keeps the clock disputed: a
 * provider's reopen and quick re-resolve does not launder a stop the
 * customer disputed before the close (attack46 07), but where both claims
 * give one verdict that is the verdict: a dispute kept in the record
 * cannot shield a miss after the reopen (attack48 03). The reopen's time
 * is its signer's claim, disputable like any time a clock reads.
 */
static void resume(accord_clock *ck, const accord_clock *f, const accord_hours *h,
		   const accord_clocks *c, const accord_incident *inc, const char *party,
		   const accord_agreement *agreement, size_t k, size_t ci, const accord_entry *r,
		   int64_t now)
{
	const accord_entry *stop = clock_stop(inc, k, ci + 1);
	int64_t closed_at = inc->steps[ci].entry->time, rt = when(inc, r, 0),
		dfrom = when(inc, r, 1);
	int had = f->dispute || f->start_window, f_cust, s_cust;
	accord_clock seg;

	if (rt < closed_at)
		rt = closed_at;
	if (dfrom < closed_at)
		dfrom = closed_at;
	memset(&seg, 0, sizeof(seg));
	seg.target_s = f->target_s;
	seg.from_entry = r;
	seg.resumed_entry = r;
	seg.to_entry = stop;
	seg.stopped = stop != NULL;
	seg.to = stop ? (when(inc, stop, 0) > rt ? when(inc, stop, 0) : rt) : 0;
	measure(&seg, h, c, inc, party, rt, seg.stopped ? seg.to : (now > rt ? now : rt), now, 0);
	if ((seg.dispute = clock_dispute(c, inc, party, &seg, rt)))
		measure_disputed(&seg, h, c, inc, party, seg.dispute->by, agreement, dfrom,
				 seg.stopped && when(inc, stop, 1) > dfrom ? when(inc, stop, 1)
									   : dfrom,
				 now, 1);
	*ck = *f;
	ck->resumed_entry = r;
	ck->resumed_at = rt;
	ck->to_entry = seg.to_entry;
	ck->stopped = seg.stopped;
	ck->to = seg.to;
	ck->elapsed_s = f->elapsed_s + seg.elapsed_s;
	ck->paused_s = f->paused_s + seg.paused_s;
	ck->closed_s = closed_time(h, inc, f->from, rt, 0);
	ck->state = agreement ? verdict(ck->elapsed_s, ck->target_s, ck->stopped) : NULL;
	ck->claimed_state = NULL;
	ck->dispute_state = NULL;
	ck->dispute_to = 0;
	if (!had && !seg.dispute)
		return;
	/*
	 * The view that counts apart is the customer's alone: its disputes on
	 * either side of the reopen, the signed claims elsewhere. Another
	 * party's dispute (the provider's of the reopen's time) is shown beside
	 * and never mixes into it (attack49 01).
	 */
	f_cust = had && f->apart;
	s_cust = seg.dispute && seg.apart;
	if (f_cust || s_cust) {
		had = f_cust;
		seg.dispute = s_cust ? seg.dispute : NULL;
	}
	ck->dispute_elapsed_s = (had ? f->dispute_elapsed_s : f->elapsed_s) +
				(seg.dispute ? seg.dispute_elapsed_s : seg.elapsed_s);
	ck->dispute_to = !ck->stopped ? 0 : seg.dispute ? seg.dispute_to : ck->to;
	if (!had)
		ck->dispute = seg.dispute;
	ck->apart = f_cust || s_cust;
	ck->claimed_state = ck->state;
	if (agreement) {
		ck->dispute_state = verdict(ck->dispute_elapsed_s, ck->target_s, ck->stopped);
		if (!strcmp(ck->dispute_state, ck->claimed_state))
			ck->apart = 0;
		if (ck->apart)
			ck->state = "disputed";
	}
}

int accord_clocks_compute(accord_clocks **out, const accord_incident *inc, const accord_parties *p,
			  accord_in_past_fn in_past, void *payload, int64_t now)
{
	accord_clocks *c = calloc(1, sizeof(*c));
	int64_t start, since;
	int disputed, error = 0;
	const accord_entry *reopen = NULL;
	size_t i, k, ci;

	if (!c)
		accord_oom();
	c->customer = inc->customer_party;
	find_pauses(c, inc, p);
	start = accord_incident_impact_start(inc, &disputed);
	/* only a window that starts elsewhere disputes when the impact began (attack54 05) */
	if (disputed && !disputing_window(inc, start))
		disputed = 0;
	if ((ci = reopened_close(inc)) > 0 &&
	    (error = freeze(c, inc, p, in_past, payload, ci)) == 0)
		error = reopen_of(&reopen, inc, ci, in_past, payload);
	for (i = 0; i < inc->party_count && error == 0; i++) {
		const char *party = inc->parties[i];
		const accord_entry *ends[ACCORD_CLOCKS], *ack = NULL;
		const accord_party_clocks *fz = frozen_of(c->frozen, party);
		accord_party_clocks pc;
		accord_hours h;

		if (accord_str_eq(party, inc->customer_party))
			continue;
		memset(&pc, 0, sizeof(pc));
		pc.party = party;
		if (fz) {
			/*
			 * Measured on the terms the close judged it on, from where
			 * it left each clock: acknowledge was decided before it.
			 */
			pc.agreement = fz->agreement;
			accord_agreement_hours(&h, pc.agreement);
			for (k = 0; k < ACCORD_CLOCKS; k++) {
				if (k == 0)
					pc.clocks[k] = fz->clocks[k];
				else
					resume(&pc.clocks[k], &fz->clocks[k], &h, c, inc, party,
					       pc.agreement, k, ci, reopen, now);
				reported(&pc.clocks[k], inc, party, k);
			}
			ACCORD_PUSH(c->parties, c->party_count, pc);
			continue;
		}
		pc.agreement =
			accord_incident_agreement(p, inc->open, inc->service, inc->severity,
						  inc->customer_party, party, in_past, payload);
		/*
		 * Seated over other customers by its terms: never measured on laxer
		 * ones. A sock seated by strict terms where none of its cover the
		 * filed severity leaves its provider measured on those, never on
		 * nothing (attack39 04), and its amend to a severity where it holds
		 * the provider to lax terms changes nothing (attack41 02).
		 */
		if (inc->seat_contested && inc->seat_terms &&
		    accord_str_eq(inc->seat_terms->provider, party))
			pc.agreement = accord_agreement_stricter(pc.agreement, inc->seat_terms);
		accord_agreement_hours(&h, pc.agreement);
		since = pc.agreement ? accord_agreement_since(pc.agreement) : 0;
		if ((error = first_response(&ack, inc, p, party, inc->involved_by[i], in_past,
					    payload)) < 0)
			break;
		ends[0] = ack;
		ends[1] = clock_stop(inc, 1, 0);
		ends[2] = clock_stop(inc, 2, 0);
		for (k = 0; k < ACCORD_CLOCKS; k++) {
			accord_clock *ck = &pc.clocks[k];
			int64_t from = k == 0 ? when(inc, inc->involved_by[i], 0) : start;

			/*
			 * Terms measure from when they took effect: an outage filed
			 * as started before the provider co-signed them runs none of
			 * their clocks before the co-signature (attack43 04), and
			 * terms that replaced others measure from their own
			 * (attack44 01).
			 */
			ck->began = from;
			ck->from_terms = pc.agreement && from < since;
			if (ck->from_terms)
				from = since;
			ck->name = clock_names[k];
			ck->from = from;
			ck->from_entry = k == 0 ? inc->involved_by[i] : NULL;
			ck->disputed = k > 0 && disputed;
			ck->to_entry = ends[k];
			ck->stopped = ends[k] != NULL;
			/* a time is its signer's claim: never before the clock's start */
			ck->to = ck->stopped ? (when(inc, ends[k], 0) > from ? when(inc, ends[k], 0)
									     : from)
					     : 0;
			measure(ck, &h, c, inc, party, from,
				ck->stopped ? ck->to : (now > from ? now : from), now, 0);
			ck->target_s = -1;
			if (pc.agreement) {
				ck->target_s = k == 0	? pc.agreement->acknowledge_s
					       : k == 1 ? pc.agreement->mitigate_s
							: pc.agreement->restore_s;
				ck->state = verdict(ck->elapsed_s, ck->target_s, ck->stopped);
			}
			/* another party disputes a time it reads: measured on both claims, shown disputed */
			if ((ck->dispute = clock_dispute(c, inc, party, ck, 0))) {
				int64_t dfrom = k == 0 ? when(inc, inc->involved_by[i], 1) : start;

				if (pc.agreement && dfrom < since)
					dfrom = since;

				measure_disputed(ck, &h, c, inc, party, ck->dispute->by,
						 pc.agreement, dfrom,
						 ck->stopped && when(inc, ends[k], 1) > dfrom
							 ? when(inc, ends[k], 1)
							 : dfrom,
						 now, 1);
			} else if (ck->disputed &&
				   (ck->start_window = disputing_window(inc, start))) {
				/* its start disputed by another party's window: measured from both starts, the same way */
				int64_t dfrom = ck->start_window->start;

				if (pc.agreement && dfrom < since)
					dfrom = since;

				measure_disputed(ck, &h, c, inc, party, ck->start_window->party,
						 pc.agreement, dfrom,
						 ck->stopped && ck->to > dfrom ? ck->to : dfrom,
						 now, 0);
			}
			reported(ck, inc, party, k);
		}
		ACCORD_PUSH(c->parties, c->party_count, pc);
	}
	if (error < 0) {
		accord_clocks_free(c);
		return error;
	}
	*out = c;
	return 0;
}

void accord_clocks_free(accord_clocks *c)
{
	if (!c)
		return;
	accord_clocks_free(c->frozen);
	accord_incident_free(c->frozen_incident);
	free(c->parties);
	free(c->pauses);
	free(c);
}

static void add_time_or_null(cJSON *o, const char *key, int has, int64_t t)
{
	if (has)
		accord_json_add_time(o, key, t);
	else
		cJSON_AddNullToObject(o, key);
}

static void add_str_or_null(cJSON *o, const char *key, const char *s)
{
	if (s)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

cJSON *accord_clocks_brief_json(const accord_clocks *c)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i, k;

	for (i = 0; i < c->party_count; i++) {
		const accord_party_clocks *pc = &c->parties[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "party", pc->party);
		add_str_or_null(o, "agreement", pc->agreement ? pc->agreement->id : NULL);
		for (k = 0; k < ACCORD_CLOCKS; k++) {
			const accord_clock *ck = &pc->clocks[k];
			cJSON *x = cJSON_AddObjectToObject(o, ck->name);

			add_str_or_null(x, "state", ck->state);
			cJSON_AddNumberToObject(x, "elapsed_s", (double)ck->elapsed_s);
			if (ck->target_s >= 0)
				cJSON_AddNumberToObject(x, "target_s", (double)ck->target_s);
			else
				cJSON_AddNullToObject(x, "target_s");
			cJSON_AddBoolToObject(x, "running", !ck->stopped);
		}
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

void accord_clocks_brief_text(accord_buf *out, const accord_clocks *c, size_t k)
{
	size_t i;

	for (i = 0; c && k < ACCORD_CLOCKS && i < c->party_count; i++) {
		const accord_clock *ck = &c->parties[i].clocks[k];

		accord_buf_printf(out, "%s%s:%s:%lld", i ? ";" : "", c->parties[i].party,
				  ck->state ? ck->state : "", (long long)ck->elapsed_s);
	}
}

cJSON *accord_clocks_to_json(const accord_clocks *c, const accord_parties *p)
{
	cJSON *doc = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(doc, "parties"), *pauses;
	size_t i, k;

	(void)p;
	for (i = 0; i < c->party_count; i++) {
		const accord_party_clocks *pc = &c->parties[i];
		cJSON *o = cJSON_CreateObject(), *clocks;

		cJSON_AddStringToObject(o, "party", pc->party);
		if (pc->agreement)
			cJSON_AddItemToObject(o, "agreement",
					      accord_agreement_to_json(pc->agreement));
		else
			cJSON_AddNullToObject(o, "agreement");
		clocks = cJSON_AddArrayToObject(o, "clocks");
		for (k = 0; k < ACCORD_CLOCKS; k++) {
			const accord_clock *ck = &pc->clocks[k];
			cJSON *x = cJSON_CreateObject();

			cJSON_AddStringToObject(x, "name", ck->name);
			accord_json_add_time(x, "from", ck->from);
			cJSON_AddBoolToObject(x, "from_terms", ck->from_terms);
			add_str_or_null(x, "from_entry",
					ck->from_entry ? ck->from_entry->id : NULL);
			add_time_or_null(x, "to", ck->stopped, ck->to);
			add_str_or_null(x, "to_entry", ck->to_entry ? ck->to_entry->id : NULL);
			cJSON_AddBoolToObject(x, "running", !ck->stopped);
			cJSON_AddNumberToObject(x, "elapsed_s", (double)ck->elapsed_s);
			cJSON_AddNumberToObject(x, "paused_s", (double)ck->paused_s);
			cJSON_AddNumberToObject(x, "closed_s", (double)ck->closed_s);
			add_str_or_null(x, "resumed_entry",
					ck->resumed_entry ? ck->resumed_entry->id : NULL);
			add_time_or_null(x, "resumed_at", ck->resumed_entry != NULL,
					 ck->resumed_at);
			if (ck->target_s >= 0)
				cJSON_AddNumberToObject(x, "target_s", (double)ck->target_s);
			else
				cJSON_AddNullToObject(x, "target_s");
			add_str_or_null(x, "state", ck->state);
			cJSON_AddBoolToObject(x, "disputed", ck->disputed);
			if (ck->reported) {
				cJSON *r = cJSON_AddObjectToObject(x, "reported");

				cJSON_AddStringToObject(r, "by", ck->reported->party);
				cJSON_AddStringToObject(r, "name", ck->reported->name);
				cJSON_AddNumberToObject(r, "actual_s",
							(double)ck->reported->actual);
				cJSON_AddNumberToObject(r, "target_s",
							(double)ck->reported->target);
				cJSON_AddStringToObject(r, "entry", ck->reported->entry->id);
				cJSON_AddBoolToObject(r, "disagrees", ck->disagrees);
			} else {
				cJSON_AddNullToObject(x, "reported");
			}
			if (ck->dispute) {
				cJSON *d = cJSON_AddObjectToObject(x, "dispute");

				cJSON_AddStringToObject(d, "by", ck->dispute->by);
				cJSON_AddStringToObject(d, "entry", ck->dispute->entry->id);
				cJSON_AddStringToObject(d, "event", ck->dispute->target->id);
				add_str_or_null(d, "event_by", ck->dispute->target_party);
				accord_json_add_time(d, "claimed_at", ck->dispute->target->time);
				accord_json_add_time(d, "at", ck->dispute->at);
				add_str_or_null(d, "evidence", ck->dispute->evidence);
				add_str_or_null(d, "reason", ck->dispute->reason);
				add_time_or_null(d, "to", ck->stopped, ck->dispute_to);
				cJSON_AddNumberToObject(d, "elapsed_s",
							(double)ck->dispute_elapsed_s);
				add_str_or_null(d, "state", ck->dispute_state);
				add_str_or_null(d, "claimed_state", ck->claimed_state);
			} else {
				cJSON_AddNullToObject(x, "dispute");
			}
			if (ck->start_window) {
				cJSON *d = cJSON_AddObjectToObject(x, "start_dispute");

				add_str_or_null(d, "by", ck->start_window->party);
				cJSON_AddStringToObject(d, "window", ck->start_window->entry->id);
				accord_json_add_time(d, "claimed_start", ck->began);
				accord_json_add_time(d, "start", ck->start_window->start);
				add_time_or_null(d, "to", ck->stopped, ck->dispute_to);
				cJSON_AddNumberToObject(d, "elapsed_s",
							(double)ck->dispute_elapsed_s);
				add_str_or_null(d, "state", ck->dispute_state);
				add_str_or_null(d, "claimed_state", ck->claimed_state);
			} else {
				cJSON_AddNullToObject(x, "start_dispute");
			}
			cJSON_AddItemToArray(clocks, x);
		}
		cJSON_AddItemToArray(arr, o);
	}
	pauses = cJSON_AddArrayToObject(doc, "pauses");
	for (i = 0; i < c->pause_count; i++) {
		const accord_pause *ps = &c->pauses[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "entry", ps->entry->id);
		add_str_or_null(o, "set_by", ps->setter);
		add_str_or_null(o, "on", ps->on);
		add_str_or_null(o, "note", ps->note);
		accord_json_add_time(o, "start", ps->start);
		add_time_or_null(o, "end", ps->has_end, ps->end);
		cJSON_AddBoolToObject(o, "needs_cosign", ps->needs_cosign);
		add_str_or_null(o, "cosigned_by", ps->cosigned_by ? ps->cosigned_by->id : NULL);
		cJSON_AddBoolToObject(o, "needs_customer", ps->needs_customer);
		add_str_or_null(o, "customer_cosigned_by",
				ps->customer_cosigned_by ? ps->customer_cosigned_by->id : NULL);
		cJSON_AddBoolToObject(o, "counts", ps->counts);
		cJSON_AddItemToArray(pauses, o);
	}
	return doc;
}
