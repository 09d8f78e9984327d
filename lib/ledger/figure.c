/*
 * Impact windows as party-owned figures: which count toward customer-minutes,
 * which are disputed, and the checked arithmetic every sum goes through.
 * The rules (docs/metrics.md, "Whose figures count"):
 *  - a window is keyed by (recording party, start); only that party
 *    supersedes it;
 *  - it is joint once every other involved party co-signed that very entry;
 *    a new version of a figure that was joint counts only once joint
 *    itself: until then the joint one does (no party unmakes an agreement),
 *    and a co-signature that never knew of the new version still signs the
 *    old one, whichever sorts first (accord_figure_cosign_replaced);
 *  - customer-minutes take the joint windows, then the customer-facing
 *    party's windows outside the time the other parties' joint windows
 *    cover (a window is clipped, possibly in two, never dropped for a
 *    partial overlap); one party's windows add up, so a co-signature of one
 *    of them never shrinks another (attack123 01); if
 *    that party recorded none, the other parties' windows count so,
 *    marked unconfirmed;
 *  - windows of different parties that overlap, none of them joint, are a
 *    dispute: both are shown;
 *  - a window is judged plausible against its own entry and the incident's
 *    open entry, never against the reader's clock.
 */
#include <math.h>
#include <stdint.h>

#include "figure.h"
#include "incident_impl.h"
#include "accord/timefmt.h"

int64_t accord_sat_add(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return a > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

int64_t accord_sat_mul(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_mul_overflow(a, b, &r))
		return (a < 0) != (b < 0) ? INT64_MIN : INT64_MAX;
	return r;
}

int accord_saturated(int64_t v)
{
	return v == INT64_MAX;
}

static void time_field(int64_t *out, const accord_entry *e, const char *key)
{
	const char *s = accord_entry_str(e, key);

	if (!s || accord_time_parse_canonical(out, s) < 0)
		*out = 0;
}

static void window_free(accord_impact *w)
{
	free(w->signed_by);
	w->signed_by = NULL;
	w->signed_count = 0;
}

int accord_figure_rescores(const accord_incident *inc, const accord_parties *p,
			   const accord_entry *e)
{
	const char *party = accord_party_of(p, e);
	int64_t start, end = 0;
	size_t i;

	time_field(&start, e, "start");
	if (accord_entry_str(e, "end"))
		time_field(&end, e, "end");
	for (i = 0; i < inc->figure_count; i++) {
		const accord_impact *w = &inc->figures[i];

		if (!accord_str_eq(w->party, party) || w->start != start)
			continue;
		if (!accord_derive_in_past((accord_incident *)inc, inc->closed_by, w->first))
			return 1; /* recorded after the close: late with it */
		/* ending a window still open, by the close at the latest, is how it gets its end (attack94 02) */
		return w->has_end || !end || end > inc->closed_by->time ||
		       w->customers != accord_entry_int(e, "customers", 0);
	}
	/* a new window re-scores what the close judged as much as a new version (attack102 01) */
	return 1;
}

void accord_figure_apply(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	accord_impact w = { 0 };
	size_t i;

	w.entry = e;
	w.first = e;
	w.party = accord_party_of(p, e);
	w.customers = accord_entry_int(e, "customers", 0);
	time_field(&w.start, e, "start");
	if (accord_entry_str(e, "end")) {
		time_field(&w.end, e, "end");
		w.has_end = 1;
	}
	w.description = accord_entry_str(e, "description");
	w.after_close = inc->derive->closed_once; /* set before closed_by */
	for (i = inc->figure_count; i-- > 0;) {
		accord_impact *old = &inc->figures[i];

		if (!accord_str_eq(old->party, w.party) || old->start != w.start)
			continue;
		if (inc->closed_by && old->was_joint && !old->has_end) {
			/* only its end, by the close (accord_figure_rescores): the agreed window ends (attack96 02) */
			old->end = w.end;
			old->has_end = w.has_end;
			return;
		}
		/* a joint figure stays until its new version is joint too */
		w.pending = old->was_joint || old->pending;
		w.first = old->first;
		if (old->was_joint)
			break;
		/* a new version: co-signatures named the old bytes, so they stay there */
		w.after_close = old->after_close; /* the same start */
		w.first = old->first;
		{
			accord_replaced_figure r = { *old, e };

			ACCORD_PUSH(inc->derive->replaced, inc->derive->replaced_count, r);
		}
		*old = w;
		return;
	}
	ACCORD_PUSH(inc->figures, inc->figure_count, w);
}

void accord_figure_cosigned(accord_incident *inc, accord_impact *w, const accord_entry *cosign)
{
	size_t i;

	if (!accord_figure_joint(inc, w))
		return;
	if (!w->was_joint)
		w->joint_by = cosign;
	w->was_joint = 1;
	if (!w->pending)
		return;
	w->pending = 0;
	/* the agreed new version replaces the joint one it waited on */
	for (i = 0; i < inc->figure_count; i++) {
		accord_impact *old = &inc->figures[i];

		if (old != w && accord_str_eq(old->party, w->party) && old->start == w->start) {
			window_free(old);
			memmove(old, old + 1, (inc->figure_count - i - 1) * sizeof(*old));
			inc->figure_count--;
			return;
		}
	}
}

accord_impact *accord_figure_cosign_replaced(accord_incident *inc, const accord_entry *cosign,
					     const char *id, const char *party)
{
	struct accord_derive *d = inc->derive;
	accord_replaced_figure *r = NULL;
	accord_impact *now = NULL;
	size_t i;

	for (i = 0; i < d->replaced_count && !r; i++)
		if (!strcmp(d->replaced[i].w.entry->id, id))
			r = &d->replaced[i];
	if (!r || accord_derive_in_past(inc, cosign, r->by))
		return NULL; /* it knew of the new version: a signature of what was replaced */
	if (inc->closed_by)
		return NULL; /* the close judged the new version (attack94 01): late, as a re-record */
	for (i = 0; i < inc->figure_count; i++)
		if (accord_str_eq(inc->figures[i].party, r->w.party) &&
		    inc->figures[i].start == r->w.start && !inc->figures[i].pending)
			now = &inc->figures[i];
	if (now && now->was_joint)
		return NULL;
	accord_sign_for(&r->w.signed_by, &r->w.signed_count, party);
	if (!accord_figure_joint(inc, &r->w))
		return &r->w; /* counted toward it, still replaced */
	/* joint: it counts again, and the version written without knowing waits to be joint too */
	r->w.was_joint = 1;
	r->w.joint_by = cosign;
	r->w.reinstated_over = r->by;
	if (now) /* a new version waits to be joint; a retract has no effect */
		now->pending = 1;
	ACCORD_PUSH(inc->figures, inc->figure_count, r->w);
	memmove(r, r + 1, (size_t)(d->replaced + d->replaced_count - r - 1) * sizeof(*r));
	d->replaced_count--;
	return &inc->figures[inc->figure_count - 1];
}

void accord_figure_on_close(accord_incident *inc, const accord_parties *p,
			    const accord_entry *close)
{
	struct accord_derive *d = inc->derive;
	size_t i, j;

	/*
	 * A new version or a retract that sorted before the close but that the
	 * close never saw: the close judged the window it replaced, which comes
	 * back; the change is late, as it would be after the close (attack96 01).
	 */
	for (i = d->replaced_count; i-- > 0;) {
		accord_replaced_figure r = d->replaced[i];

		if (!accord_derive_in_past(inc, close, r.w.entry) ||
		    accord_derive_in_past(inc, close, r.by))
			continue;
		for (j = inc->figure_count; j-- > 0;) {
			accord_impact *w = &inc->figures[j];

			/* the versions since, down a chain of them, that the close never saw */
			if (!accord_str_eq(w->party, r.w.party) || w->start != r.w.start ||
			    accord_derive_in_past(inc, close, w->entry))
				continue;
			accord_derive_mark_late(inc, p, w->entry, "close", close);
			window_free(w);
			memmove(w, w + 1, (inc->figure_count - j - 1) * sizeof(*w));
			inc->figure_count--;
		}
		accord_derive_mark_late(inc, p, r.by, "close", close);
		if (!strcmp(r.by->type,
			    "retract")) /* its "retracted" mark gives way (attack98 02) */
			accord_derive_mark(inc, r.w.entry, "counts: the close judged it", close);
		memmove(&d->replaced[i], &d->replaced[i + 1],
			(d->replaced_count - i - 1) * sizeof(*d->replaced));
		d->replaced_count--;
		ACCORD_PUSH(inc->figures, inc->figure_count, r.w);
	}

	for (i = inc->figure_count; i-- > 0;) {
		accord_impact *w = &inc->figures[i];
		int judged =
			w->reinstated_over && accord_derive_in_past(inc, close, w->reinstated_over);

		if (!w->joint_by || accord_derive_in_past(inc, close, w->joint_by))
			continue;
		for (j = 0; j < inc->figure_count && !judged; j++)
			judged = j != i && inc->figures[j].pending &&
				 accord_str_eq(inc->figures[j].party, w->party) &&
				 inc->figures[j].start == w->start &&
				 accord_derive_in_past(inc, close, inc->figures[j].entry);
		if (!judged) {
			/* the close judged it not joint: the co-signature is late (attack98 01) */
			if (accord_derive_in_past(inc, close, w->entry) && !w->reinstated_over) {
				const char *late = accord_party_of(p, w->joint_by);

				accord_derive_mark_late(inc, p, w->joint_by, "close", close);
				for (j = 0; j < w->signed_count; j++)
					if (accord_str_eq(w->signed_by[j], late))
						w->signed_by[j] = w->signed_by[--w->signed_count];
				w->was_joint = 0;
				w->joint_by = NULL;
			}
			continue;
		}
		/*
		 * The close never saw the window become joint, and judged the version
		 * (or the retract) that replaced it: the co-signature is late (attack94 01).
		 */
		accord_derive_mark_late(inc, p, w->joint_by, "close", close);
		for (j = 0; j < inc->figure_count; j++)
			if (j != i && accord_str_eq(inc->figures[j].party, w->party) &&
			    inc->figures[j].start == w->start)
				inc->figures[j].pending = 0;
		window_free(w);
		memmove(w, w + 1, (inc->figure_count - i - 1) * sizeof(*w));
		inc->figure_count--;
	}
}

accord_impact *accord_figure_find(accord_incident *inc, const char *id)
{
	size_t i;

	for (i = 0; i < inc->figure_count; i++)
		if (strcmp(inc->figures[i].entry->id, id) == 0)
			return &inc->figures[i];
	return NULL;
}

int accord_figure_remove(accord_incident *inc, const accord_entry *e, const accord_entry *by)
{
	size_t i;

	for (i = 0; i < inc->figure_count; i++) {
		if (inc->figures[i].entry == e) {
			accord_replaced_figure r = { inc->figures[i], by };

			/* kept aside as a replaced version: the retract may turn out late (attack96 01) */
			ACCORD_PUSH(inc->derive->replaced, inc->derive->replaced_count, r);
			memmove(&inc->figures[i], &inc->figures[i + 1],
				(inc->figure_count - i - 1) * sizeof(*inc->figures));
			inc->figure_count--;
			return 0;
		}
	}
	return -1;
}

int64_t accord_incident_impact_floor(const accord_incident *inc, const char *party)
{
	int64_t back = accord_sat_add(inc->opened_at, -ACCORD_IMPACT_LOOKBACK_S);

	if (accord_str_eq(party, inc->opener_party))
		return inc->started_at;
	return back < inc->started_at ? back : inc->started_at;
}

/* Why a window cannot be so, judged against its own entry and the incident's start; NULL if plausible. */
static const char *implausible(const accord_incident *inc, const accord_impact *w)
{
	int64_t limit = accord_sat_add(w->entry->time, ACCORD_FUTURE_SLACK_S);

	if (w->has_end && w->end < w->start)
		return "implausible: it ends before it starts";
	if (w->start < accord_incident_impact_floor(inc, w->party))
		return accord_str_eq(w->party, inc->opener_party)
			       ? "implausible: it starts before the incident's start"
			       : "implausible: it starts more than 7 days before the incident was opened";
	if (w->start > limit || (w->has_end && w->end > limit))
		return "implausible: it is later than the entry that records it";
	return NULL;
}

int accord_figure_joint(const accord_incident *inc, const accord_impact *w)
{
	size_t i, j;
	int others = 0;

	for (i = 0; i < inc->party_count; i++) {
		if (accord_str_eq(inc->parties[i], w->party))
			continue;
		others = 1;
		for (j = 0; j < w->signed_count && strcmp(w->signed_by[j], inc->parties[i]) != 0;
		     j++)
			;
		if (j == w->signed_count)
			return 0;
	}
	return others;
}

/* Half-open intervals; an open window has no end yet, so it overlaps all that follows. */
static int overlap(const accord_impact *a, const accord_impact *b)
{
	return (!b->has_end || a->start < b->end) && (!a->has_end || b->start < a->end);
}

/* A piece of a window: [start, end), or from start on when !has_end. */
typedef struct {
	int64_t start, end;
	int has_end;
} piece;

static int by_start(const void *a, const void *b)
{
	const piece *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

/*
 * The parts of window k that no joint window of another party covers, in
 * time order: a joint figure replaces only the time it covers, and only
 * figures it stands against. The recording party's own windows stand beside
 * it as they did before it was joint: otherwise co-signing a party's small
 * window would erase its larger one (attack123 01). Caller frees *out.
 * A window of zero length is one point: kept whole unless covered.
 */
static size_t uncovered(piece **out, const accord_incident *inc, size_t k)
{
	const accord_impact *w = &inc->figures[k];
	piece *joints = NULL, *res = NULL, p;
	size_t nj = 0, n = 0, i;
	int64_t cur = w->start;
	int open = 1;

	for (i = 0; i < inc->figure_count; i++) {
		const accord_impact *j = &inc->figures[i];
		piece jp = { j->start, j->end, j->has_end };

		if (i != k && j->state == ACCORD_FIGURE_JOINT && !accord_str_eq(j->party, w->party))
			ACCORD_PUSH(joints, nj, jp);
	}
	if (nj)
		qsort(joints, nj, sizeof(*joints), by_start);
	if (w->has_end && w->end <= w->start) {
		for (i = 0; i < nj && !(joints[i].start <= cur &&
					(!joints[i].has_end || cur < joints[i].end));
		     i++)
			;
		if (i == nj) {
			p = (piece){ w->start, w->end, 1 };
			ACCORD_PUSH(res, n, p);
		}
		open = 0;
	}
	for (i = 0; open && i < nj; i++) {
		if (joints[i].has_end && joints[i].end <= cur)
			continue;
		if (w->has_end && joints[i].start >= w->end)
			break;
		if (joints[i].start > cur) {
			p = (piece){ cur, joints[i].start, 1 };
			ACCORD_PUSH(res, n, p);
		}
		if (!joints[i].has_end)
			open = 0; /* the rest of time is covered */
		else
			cur = joints[i].end;
		if (w->has_end && cur >= w->end)
			open = 0;
	}
	if (open) {
		p = (piece){ cur, w->end, w->has_end };
		ACCORD_PUSH(res, n, p);
	}
	free(joints);
	*out = res;
	return n;
}

/* Whether joint windows cover all of window k's time. */
static int covered_by_joint(const accord_incident *inc, size_t k)
{
	piece *p;
	size_t n = uncovered(&p, inc, k);

	free(p);
	return n == 0;
}

/* Whether window k and the other party's window v overlap outside the joint windows' time. */
static int overlap_uncovered(const accord_incident *inc, size_t k, size_t v)
{
	piece *a, *b;
	size_t na = uncovered(&a, inc, k), nb = uncovered(&b, inc, v), i, j;
	int hit = 0;

	for (i = 0; i < na && !hit; i++)
		for (j = 0; j < nb && !hit; j++) {
			accord_impact x = { 0 }, y = { 0 };

			x.start = a[i].start, x.end = a[i].end, x.has_end = a[i].has_end;
			y.start = b[j].start, y.end = b[j].end, y.has_end = b[j].has_end;
			hit = overlap(&x, &y);
		}
	free(a);
	free(b);
	return hit;
}

static int disputed(const accord_incident *inc, size_t k)
{
	const accord_impact *w = &inc->figures[k];
	size_t i;

	if (w->state == ACCORD_FIGURE_JOINT ||
	    (w->aside && !strncmp(w->aside, "implausible", 11)) || covered_by_joint(inc, k))
		return 0;
	for (i = 0; i < inc->figure_count; i++) {
		const accord_impact *v = &inc->figures[i];

		if (i != k && !accord_str_eq(v->party, w->party) && overlap(v, w) &&
		    !(v->aside && !strncmp(v->aside, "implausible", 11)) &&
		    overlap_uncovered(inc, k, i))
			return 1;
	}
	return 0;
}

/* The first pass: implausible windows aside, joint ones found; whether the customer-facing party recorded any. */
static int first_pass(accord_incident *inc)
{
	int own = 0;
	size_t i;

	for (i = 0; i < inc->figure_count; i++) {
		accord_impact *w = &inc->figures[i];

		w->aside = implausible(inc, w);
		if (!w->aside && w->pending)
			w->aside =
				"not counted: a new version of a joint figure counts once every party co-signs it";
		w->state = w->aside			 ? ACCORD_FIGURE_ASIDE
			   : accord_figure_joint(inc, w) ? ACCORD_FIGURE_JOINT
							 : ACCORD_FIGURE_OWN;
		own |= !w->aside && accord_str_eq(w->party, inc->customer_party);
	}
	return own;
}

static void mark_window(accord_incident *inc, const accord_impact *w)
{
	accord_mark m = { w->entry, w->aside, NULL };

	if (w->aside)
		ACCORD_PUSH(inc->marks, inc->mark_count, m);
}

/* Count window k: joint windows whole, the others by the pieces no joint window covers. */
static void count_window(accord_incident *inc, size_t k)
{
	accord_impact w = inc->figures[k];
	piece *p = NULL;
	size_t n = 1, i;

	/* the counted copies share nothing they would free */
	w.signed_by = NULL;
	w.signed_count = 0;
	if (w.state != ACCORD_FIGURE_JOINT)
		n = uncovered(&p, inc, k);
	for (i = 0; i < n; i++) {
		if (p) {
			w.start = p[i].start;
			w.end = p[i].end;
			w.has_end = p[i].has_end;
		}
		ACCORD_PUSH(inc->impact, inc->impact_count, w);
	}
	inc->figures[k].clipped = p && (n != 1 || p[0].start != inc->figures[k].start ||
					p[0].has_end != inc->figures[k].has_end ||
					(p[0].has_end && p[0].end != inc->figures[k].end));
	free(p);
}

void accord_figure_settle(accord_incident *inc)
{
	int own = first_pass(inc);
	size_t i;

	for (i = 0; i < inc->figure_count; i++) {
		accord_impact *w = &inc->figures[i];

		if (w->state != ACCORD_FIGURE_OWN)
			continue;
		if ((w->covered = covered_by_joint(inc, i)))
			w->aside = "not counted: joint figures cover all of its time";
		else if (!accord_str_eq(w->party, inc->customer_party) && own)
			w->aside = "not counted: the customer-facing party's figures count";
		else if (!accord_str_eq(w->party, inc->customer_party))
			w->state = ACCORD_FIGURE_UNCONFIRMED;
		if (w->aside)
			w->state = ACCORD_FIGURE_ASIDE;
	}
	for (i = 0; i < inc->figure_count; i++) {
		accord_impact *w = &inc->figures[i];

		w->disputed = disputed(inc, i);
		inc->disputed |= w->disputed;
		mark_window(inc, w);
		if (w->state == ACCORD_FIGURE_ASIDE)
			continue;
		inc->unconfirmed |= w->state == ACCORD_FIGURE_UNCONFIRMED;
		count_window(inc, i);
	}
}

/*
 * Impact start: the earliest start of the customer-facing party's windows
 * that count or that joint figures cover, and of the joint figures, else
 * --started. A window covered by a joint one still says when the impact
 * began (attack40 01). One first recorded after a close does not: the
 * clocks were decided at the close (attack45 02).
 */
int64_t accord_incident_impact_start(const accord_incident *inc, int *disputed)
{
	int64_t start = 0;
	int found = 0;
	size_t i;

	if (disputed)
		*disputed = 0;
	for (i = 0; i < inc->figure_count; i++) {
		const accord_impact *w = &inc->figures[i];

		if (w->after_close || (w->state != ACCORD_FIGURE_JOINT &&
				       ((w->state == ACCORD_FIGURE_ASIDE && !w->covered) ||
					!accord_str_eq(w->party, inc->customer_party))))
			continue;
		if (!found || w->start < start) {
			start = w->start;
			if (disputed)
				*disputed = w->disputed;
		}
		found = 1;
	}
	return found ? start : inc->started_at;
}

int64_t accord_impact_window_seconds(const accord_impact *w, int64_t now, int *running)
{
	int64_t end = w->has_end && w->end < now ? w->end : now;

	if (!w->has_end && w->start < now && w->customers > 0 && running)
		*running = 1;
	if (end <= w->start)
		return 0;
	return accord_sat_mul(w->customers, accord_sat_add(end, -w->start));
}

int64_t accord_impact_customer_seconds(const accord_impact *windows, size_t count, int64_t now,
				       int *running)
{
	int64_t sum = 0;
	int run = 0;
	size_t i;

	for (i = 0; i < count; i++)
		sum = accord_sat_add(sum, accord_impact_window_seconds(&windows[i], now, &run));
	if (running)
		*running = run;
	return sum;
}

int64_t accord_incident_customer_seconds(const accord_incident *inc, int64_t now, int *running)
{
	return accord_impact_customer_seconds(inc->impact, inc->impact_count, now, running);
}

double accord_customer_minutes(int64_t customer_seconds)
{
	/* one decimal, half away from zero, as every report figure (docs/metrics.md) */
	return round((double)customer_seconds / 6.0) / 10.0;
}
