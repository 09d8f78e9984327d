/*
 * Reports on joint outcomes and customer impact: the figures (compute),
 * the JSON document, and the human formats (text, Markdown, CSV, HTML)
 * built from one list of blocks so that every format says the same thing.
 * docs/metrics.md defines each figure; the same definitions travel inside
 * every report.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/error.h"
#include "accord/escape.h"
#include "accord/idmap.h"
#include "accord/json.h"
#include "accord/report.h"
#include "accord/timefmt.h"

#include "array.h"
#include "ledger_impl.h"

#define DAY 86400
#define WEEK (7 * DAY)
#define MAX_WEEKS 156 /* three years of weekly bars; older weeks are left off the charts */
#define TOP_FACTORS 20

/* The definitions every format carries (docs/metrics.md says the same at more length). */
static const struct {
	const char *key, *label, *text;
} definitions[] = {
	{ "period", "period",
	  "An incident belongs to the period [since, until) when its impact start falls in it or one of "
	  "its joint or customer-facing party's impact windows overlaps it (an open window lasts until "
	  "now); another party's unconfirmed windows do not decide it. Its feedback, SLA measurements "
	  "and resolution count whenever recorded." },
	{ "incidents", "incidents",
	  "Incidents in the period by current status: resolved, closed, or open (investigating, waiting, "
	  "identified or mitigated); by severity (SEV1 is the worst) and by service." },
	{ "customers_affected", "customers affected",
	  "Per incident, the largest customer count among its impact windows in the period, summed over "
	  "incidents (a customer hit by two incidents counts twice)." },
	{ "customer_minutes", "customer-minutes",
	  "Sum over impact windows of customers x minutes, each window clipped to the period; an open "
	  "window runs until now. Sums saturate at their largest value rather than wrap, and say so." },
	{ "figures", "whose figures count",
	  "Each party's impact windows are its own. Customer-minutes take the joint windows (co-signed by "
	  "every other involved party), then the customer-facing party's (the agreement's customer side, else the opener's) windows outside "
	  "the time joint windows cover; when that party recorded none, the other parties' windows count "
	  "so, marked unconfirmed. Overlapping windows of different parties, none joint, are disputed: "
	  "listed beside the figure, not added. A duplicate counts only while the incident it names counts." },
	{ "excluded", "void and duplicate",
	  "An incident that every involved party agreed is void, or a duplicate of another, is left "
	  "out of every figure and counted apart." },
	{ "longest_impact", "longest impact",
	  "The longest single impact window, in minutes within the period." },
	{ "feedback", "feedback",
	  "Responses recorded for incidents in the period by each incident's customer-facing party; a "
	  "response recorded again under its response id counts once. Mean score on the 1-5 scale." },
	{ "csat", "CSAT%", "Responses scored 4 or 5, divided by all responses, x 100." },
	{ "lost_minutes", "lost minutes",
	  "Minutes of productive time customers reported losing: sum and median over the responses that "
	  "gave a figure (their count is shown)." },
	{ "sla", "SLA met %",
	  "SLA measurements recorded for incidents in the period; a measurement is met when actual <= "
	  "target. Met % = met / measurements x 100." },
	{ "watermelon", "watermelon",
	  "An incident whose SLA measurements (at least one) were all met while its customers were "
	  "unhappy: mean feedback score <= 2 (at least one response). Rate = watermelon incidents / "
	  "incidents with every SLA measurement met x 100, shown beside SLA met %." },
	{ "joint_share", "joint resolutions",
	  "Resolved incidents (status resolved or closed) whose current resolution is signed by every "
	  "involved party, divided by resolved incidents, x 100." },
	{ "time_to_joint", "time to joint resolution",
	  "Per incident with a joint resolution: from impact start to the signature that made the "
	  "resolution joint. Median and p90 by nearest rank, with the count." },
	{ "revisions", "revised before agreement",
	  "Joint resolutions agreed on a revision rather than the first proposal, and the proposals "
	  "revised before agreement (proposals - 1, summed)." },
	{ "waiting", "waiting for cosignature",
	  "Incidents whose current proposal still lacks the signature of an involved party, and which "
	  "parties." },
	{ "actions", "action items",
	  "Items of each incident's current resolution: done, open, and overdue (open after its due day "
	  "has ended, UTC). By owning party when one party owns the item; jointly owned when several do." },
	{ "factors", "contributing factors",
	  "Factors of each incident's current resolution, counted once per incident, compared ignoring "
	  "case and surrounding spaces; the most frequent first. Never attributed to a party." },
	{ "percentile", "percentiles",
	  "Nearest rank: the p-th percentile of n sorted values is the value at rank ceil(p/100 x n); "
	  "the median is p50." },
	{ "weeks", "weeks",
	  "Weeks start on Monday 00:00 UTC. Customer-minutes are split across the weeks they fall in; "
	  "SLA and feedback are charted in the week of the incident's impact start (or of the period "
	  "start, if earlier)." },
	{ "rounding", "rounding",
	  "Percentages and minutes are rounded to one decimal, mean scores to two. Text, Markdown and HTML "
	  "group thousands (1,500); JSON and CSV never do." },
	{ "clocks", "clocks",
	  "Per provider party (every involved party but the customer-facing one), computed from the signed "
	  "timeline: time to acknowledge (its involvement to its first entry that knew of it), to mitigate "
	  "and to restore (impact start to the first status mitigated, resolved), in the business hours "
	  "of the agreement in force at the incident's start, less pauses (status waiting on another "
	  "party; one that stops its setter's own clock counts once co-signed)." },
	{ "by_provider", "by provider",
	  "Over the incidents of the period that involve the provider: median and p90 of each stopped "
	  "clock; SLA met = clocks met / clocks decided against a target (stopped, or past it already); "
	  "CSAT% and lost minutes of those incidents' responses; watermelons = incidents with all three "
	  "clocks met and the agreement's experience target missed (CSAT% below its target, or lost "
	  "minutes above it; without targets, mean score <= 2); joint resolutions among resolved "
	  "incidents; its open and overdue action items. Beside each, the previous period of the same "
	  "length (with --since) and the change." },
};
#define NDEFS (sizeof(definitions) / sizeof(definitions[0]))

/* ---- small helpers ------------------------------------------------------ */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Monday 00:00 UTC of the week holding t (1970-01-01 was a Thursday). */
static int64_t week_start(int64_t t)
{
	int64_t day = floor_div(t, DAY);
	int64_t wd = ((day + 3) % 7 + 7) % 7;

	return (day - wd) * DAY;
}

static double round_to(double v, double scale)
{
	return round(v * scale) / scale;
}

static double minutes(int64_t seconds)
{
	return round_to((double)seconds / 60.0, 10);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int64_t accord_report_percentile(int64_t *values, size_t n, int p)
{
	size_t rank;

	if (n == 0)
		return 0;
	qsort(values, n, sizeof(*values), cmp_i64);
	/* ceil(p * n / 100) in integers, at least 1 */
	rank = ((size_t)p * n + 99) / 100;
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return values[rank - 1];
}

/* An action is overdue once its due day (UTC) has ended and it is still open. */
static int action_overdue(const accord_action *a, int64_t now)
{
	return accord_action_overdue(a, now);
}

/* How many of an incident's counted responses gave each indicator (accord_feedback_indicators order). */
static void indicator_counts(size_t *counts, const accord_incident *inc)
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

/* "had-to-repeat 2, slow 1" (most given first), or "none given". Caller frees. */
static char *indicators_text(const accord_incident *inc)
{
	size_t counts[16], k, best;
	int used[16] = { 0 };
	accord_buf b = ACCORD_BUF_INIT;
	char *t;

	indicator_counts(counts, inc);
	for (;;) {
		best = SIZE_MAX;
		for (k = 0; accord_feedback_indicators[k]; k++)
			if (!used[k] && counts[k] && (best == SIZE_MAX || counts[k] > counts[best]))
				best = k;
		if (best == SIZE_MAX)
			break;
		used[best] = 1;
		accord_buf_printf(&b, "%s%s %zu", b.size ? ", " : "",
				  accord_feedback_indicators[best], counts[best]);
	}
	t = strdup(b.size ? b.ptr : "none given");
	accord_buf_dispose(&b);
	if (!t)
		abort();
	return t;
}

static cJSON *indicators_json(const accord_incident *inc)
{
	size_t counts[16], k;
	cJSON *o = cJSON_CreateObject();

	indicator_counts(counts, inc);
	for (k = 0; accord_feedback_indicators[k]; k++)
		if (counts[k])
			cJSON_AddNumberToObject(o, accord_feedback_indicators[k],
						(double)counts[k]);
	return o;
}

/* Counters keyed by name, found through a hash map so that large ledgers stay linear. */
typedef struct {
	accord_report_tally *items;
	size_t count;
	accord_idmap index; /* name -> index + 1 */
} tally_set;

static accord_report_tally *tally_get(tally_set *s, const char *key, const char *name)
{
	size_t i = (size_t)(uintptr_t)accord_idmap_get(&s->index, key);
	accord_report_tally t = { 0 };

	if (i)
		return &s->items[i - 1];
	t.name = name;
	ACCORD_PUSH(s->items, s->count, t);
	accord_idmap_put(&s->index, key, (void *)(uintptr_t)s->count);
	return &s->items[s->count - 1];
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const accord_report_tally *)a)->name,
		      ((const accord_report_tally *)b)->name);
}

static int cmp_service(const void *a, const void *b)
{
	const accord_report_tally *x = a, *y = b;

	if (x->customer_seconds != y->customer_seconds)
		return x->customer_seconds < y->customer_seconds ? 1 : -1;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int cmp_factor(const void *a, const void *b)
{
	const accord_report_tally *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* Hand the tallies over, sorted; the map only served lookups. */
static void tally_take(accord_report_tally **out, size_t *count, tally_set *s,
		       int (*cmp)(const void *, const void *))
{
	if (s->count)
		qsort(s->items, s->count, sizeof(*s->items), cmp);
	*out = s->items;
	*count = s->count;
	accord_idmap_dispose(&s->index);
}

/* A factor's comparison key: surrounding spaces dropped, inner runs of space made one, ASCII lower case. */
static char *factor_key(const char *s)
{
	size_t n = strlen(s), j = 0;
	char *k = malloc(n + 1);
	int space = 0;

	if (!k)
		abort();
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isspace(c)) {
			space = j > 0;
			continue;
		}
		if (space)
			k[j++] = ' ';
		space = 0;
		k[j++] = (char)tolower(c);
	}
	k[j] = '\0';
	return k;
}

/* ---- compute ------------------------------------------------------------ */

typedef struct {
	const accord_entry *open;
	const accord_entry **entries;
	size_t count;
} bucket;

static int involves(const accord_incident *inc, const char *party)
{
	size_t i;
	const cJSON *o;

	for (i = 0; i < inc->party_count; i++)
		if (strcmp(inc->parties[i], party) == 0)
			return 1;
	if (inc->resolution)
		for (i = 0; i < inc->resolution->action_count; i++)
			cJSON_ArrayForEach(o, inc->resolution->actions[i].owners)
				if (cJSON_IsString(o) && strcmp(o->valuestring, party) == 0)
					return 1;
	return 0;
}

/* The window [s, e) of `w` with open windows ending now; whether it overlaps the period, and the clipped part. */
static int window_in_period(const accord_report *r, const accord_impact *w, int64_t *cs,
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
		    window_in_period(r, &inc->impact[i], &cs, &ce))
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

		if (inc->figures[i].disputed && window_in_period(r, &inc->figures[i], &cs, &ce))
			ACCORD_PUSH(ri->disputed, ri->disputed_count, &inc->figures[i]);
	}
}

/* Figures of one incident that need nothing but the incident and the period. */
static void measure(accord_report *r, accord_report_incident *ri)
{
	const accord_incident *inc = ri->incident;
	const accord_entry *last = NULL;
	size_t i;

	for (i = 0; i < inc->impact_count; i++) {
		const accord_impact *w = &inc->impact[i];
		int64_t cs, ce;

		if (!window_in_period(r, w, &cs, &ce))
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
		ri->sla_met += inc->sla[i].met != 0;
	}
	measure_disputes(r, ri);
	/* mean <= 2 without rounding: sum <= 2n */
	ri->watermelon = ri->sla_count > 0 && ri->sla_met == ri->sla_count &&
			 ri->feedback_count > 0 && ri->score_sum <= 2 * (int64_t)ri->feedback_count;
	ri->resolved = !strcmp(inc->status, "resolved") || !strcmp(inc->status, "closed");
	if (inc->resolution) {
		const accord_resolution *res = inc->resolution;

		ri->joint = res->joint;
		if (res->joint) {
			ri->time_to_joint_s = res->joint_at - inc->started_at;
			ri->revisions = (int)inc->proposal_count - 1;
		} else {
			ri->waiting = accord_incident_waiting(inc, &ri->waiting_count);
		}
		for (i = 0; i < res->action_count; i++) {
			/* an item that will not be done is neither: the report lists it with its reason */
			if (res->actions[i].state == ACCORD_ACTION_DONE)
				ri->actions_done++;
			else if (res->actions[i].state == ACCORD_ACTION_OPEN)
				ri->actions_open++;
			ri->actions_overdue += action_overdue(&res->actions[i], r->opts.now);
		}
	}
	{
		int64_t t = inc->started_at;

		if (t < r->since)
			t = r->since;
		if (t >= r->until)
			t = r->until - 1;
		ri->week = week_start(t);
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

static void weeks_init(accord_report *r)
{
	int64_t lo = INT64_MAX, hi, w;
	size_t i, n;

	if (r->opts.has_since) {
		lo = r->since;
	} else {
		for (i = 0; i < r->count; i++) {
			const accord_incident *inc = r->incidents[i].incident;
			size_t j;
			int64_t cs, ce;

			if (inc->started_at < lo)
				lo = inc->started_at;
			for (j = 0; j < inc->impact_count; j++)
				if (window_in_period(r, &inc->impact[j], &cs, &ce) && cs < lo)
					lo = cs;
		}
		if (lo == INT64_MAX)
			return;
	}
	hi = r->until - 1;
	if (hi > r->opts.now && r->opts.now >= lo)
		hi = r->opts.now;
	if (hi < lo)
		hi = lo;
	lo = week_start(lo);
	hi = week_start(hi);
	n = (size_t)((hi - lo) / WEEK) + 1;
	if (n > MAX_WEEKS) {
		lo = hi - (int64_t)(MAX_WEEKS - 1) * WEEK;
		n = MAX_WEEKS;
	}
	r->weeks = calloc(n, sizeof(*r->weeks));
	if (!r->weeks)
		abort();
	for (i = 0, w = lo; i < n; i++, w += WEEK)
		r->weeks[i].start = w;
	r->week_count = n;
}

static accord_report_week *week_of(accord_report *r, int64_t t)
{
	int64_t k;

	if (!r->week_count || t < r->weeks[0].start)
		return NULL;
	k = (t - r->weeks[0].start) / WEEK;
	return k < (int64_t)r->week_count ? &r->weeks[k] : NULL;
}

/* Spread one clipped window's customer-seconds over the weeks it covers. */
static void weeks_add_window(accord_report *r, int64_t customers, int64_t cs, int64_t ce)
{
	int64_t t = cs;

	if (!r->week_count)
		return;
	if (t < r->weeks[0].start)
		t = r->weeks[0].start;
	while (t < ce) {
		accord_report_week *w = week_of(r, t);
		int64_t end;

		if (!w)
			break;
		end = w->start + WEEK < ce ? w->start + WEEK : ce;
		w->customer_seconds =
			accord_sat_add(w->customer_seconds, accord_sat_mul(customers, end - t));
		t = end;
	}
}

/*
 * A party's name as the report shows it. Across ledgers, one name can
 * stand for different parties: a partner in one ledger can invite a party
 * named after another ledger's partner (attack26 finding 06). Parties are
 * one where their root keys are; a name alike (but for case) to another
 * ledger's party with a different root key is shown with its ledger,
 * "globex (acme-initech)", and its figures are never added to the other's.
 */
typedef struct {
	size_t ledger;
	const char *name;
	char *shown;
} apart_name;

/* Factor keys are the map keys while aggregating; kept here until the report goes. */
typedef struct {
	accord_report pub;
	char **keys;
	size_t key_count;
	apart_name *apart;
	size_t apart_count;
} report_impl;

static const char *party_as(const accord_report *r, size_t ledger, const char *name)
{
	const report_impl *impl = (const report_impl *)r;
	size_t i;

	for (i = 0; name && i < impl->apart_count; i++)
		if (impl->apart[i].ledger == ledger && !strcmp(impl->apart[i].name, name))
			return impl->apart[i].shown;
	return name;
}

/* Which parties of which ledgers are shown apart (party_as). */
static void find_apart(report_impl *impl, const accord_report_source *sources, size_t count)
{
	size_t i, j, k, l;

	for (i = 0; i < count; i++) {
		const accord_parties *a = &sources[i].ledger->parties;

		for (j = 0; j < a->party_count; j++) {
			const char *root = a->members[a->parties[j].root]->key.id;
			int apart = 0;

			for (k = 0; k < count && !apart; k++) {
				const accord_parties *b = &sources[k].ledger->parties;

				for (l = 0; k != i && l < b->party_count && !apart; l++)
					apart = accord_party_names_alike(a->parties[j].name,
									 b->parties[l].name) &&
						strcmp(root,
						       b->members[b->parties[l].root]->key.id) != 0;
			}
			if (apart) {
				apart_name an = { i, a->parties[j].name, NULL };
				accord_buf shown = ACCORD_BUF_INIT;

				/* named by the ledgers this party (this root key) is in */
				accord_buf_printf(&shown, "%s (", an.name);
				for (k = 0, apart = 0; k < count; k++) {
					const accord_parties *b = &sources[k].ledger->parties;

					for (l = 0; l < b->party_count; l++)
						if (accord_party_names_alike(a->parties[j].name,
									     b->parties[l].name) &&
						    !strcmp(root, b->members[b->parties[l].root]
									  ->key.id)) {
							accord_buf_printf(&shown, "%s%s",
									  apart++ ? ", " : "",
									  sources[k].name);
							break;
						}
				}
				accord_buf_putc(&shown, ')');
				an.shown = accord_buf_detach(&shown);
				ACCORD_PUSH(impl->apart, impl->apart_count, an);
			}
		}
	}
}

/*
 * Incident `ri`'s computed clocks decided against an agreement (stopped,
 * or missed already), over every provider, into a week; a disputed clock
 * is neither met nor missed (as in provider_add).
 */
static void week_add_clocks(accord_report_week *w, const accord_report_incident *ri)
{
	size_t i, k;

	for (i = 0; ri->clocks && i < ri->clocks->party_count; i++)
		for (k = 0; k < ACCORD_CLOCKS; k++) {
			const accord_clock *ck = &ri->clocks->parties[i].clocks[k];

			if (ck->dispute || ck->start_window || !ck->state ||
			    !(ck->stopped || !strcmp(ck->state, "missed")))
				continue;
			w->clocks_measured++;
			w->clocks_met += !strcmp(ck->state, "met");
		}
}

static void aggregate(accord_report *r, char ***owned_keys, size_t *owned_count)
{
	tally_set services = { 0 }, waiting = { 0 }, owners = { 0 }, factors = { 0 };
	int64_t *lost = NULL, *joint = NULL;
	size_t nlost = 0, njoint = 0, i, j;

	weeks_init(r);
	for (i = 0; i < r->count; i++) {
		accord_report_incident *ri = &r->incidents[i];
		const accord_incident *inc = ri->incident;
		accord_report_tally *t;
		accord_report_week *w;

		if (!strcmp(inc->status, "resolved"))
			r->resolved++;
		else if (!strcmp(inc->status, "closed"))
			r->closed++;
		else
			r->open++;
		if (inc->severity >= 1 && inc->severity <= 4)
			r->by_severity[inc->severity]++;
		t = tally_get(&services, inc->service, inc->service);
		t->count++;
		t->ledgers |= UINT64_C(1) << ri->ledger;
		t->customer_seconds = accord_sat_add(t->customer_seconds, ri->customer_seconds);

		r->customers = accord_sat_add(r->customers, ri->customers);
		r->customer_seconds = accord_sat_add(r->customer_seconds, ri->customer_seconds);
		r->disputed += ri->disputed_count;
		r->unconfirmed += ri->unconfirmed;
		if (ri->windows && (!r->longest || ri->longest_s > r->longest_s)) {
			r->longest = ri;
			r->longest_s = ri->longest_s;
		}
		for (j = 0; j < inc->impact_count; j++) {
			int64_t cs, ce;

			if (window_in_period(r, &inc->impact[j], &cs, &ce))
				weeks_add_window(r, inc->impact[j].customers, cs, ce);
		}

		r->feedback_count += ri->feedback_count;
		r->csat_count += ri->csat_count;
		r->score_sum = accord_sat_add(r->score_sum, ri->score_sum);
		r->lost_count += ri->lost_count;
		r->lost_sum = accord_sat_add(r->lost_sum, ri->lost_sum);
		for (j = 0; j < inc->feedback_count; j++)
			if (inc->feedback[j].lost_minutes >= 0)
				ACCORD_PUSH(lost, nlost, inc->feedback[j].lost_minutes);

		r->sla_count += ri->sla_count;
		r->sla_met += ri->sla_met;
		r->sla_incidents += ri->sla_count > 0;
		r->sla_all_met += ri->sla_count > 0 && ri->sla_met == ri->sla_count;
		r->watermelons += ri->watermelon;
		if ((w = week_of(r, ri->week))) {
			w->incidents++;
			w->sla_count += ri->sla_count;
			w->sla_met += ri->sla_met;
			week_add_clocks(w, ri);
			w->feedback_count += ri->feedback_count;
			w->csat_count += ri->csat_count;
		}

		if (ri->resolved) {
			r->resolved_total++;
			r->resolved_joint += ri->joint;
		}
		if (ri->joint) {
			r->joint_total++;
			ACCORD_PUSH(joint, njoint, ri->time_to_joint_s);
			if (ri->revisions > 0) {
				r->revised++;
				r->revisions += (size_t)ri->revisions;
			}
		}
		if (ri->waiting_count) {
			r->waiting_incidents++;
			for (j = 0; j < ri->waiting_count; j++) {
				const char *shown = party_as(r, ri->ledger, ri->waiting[j]);

				t = tally_get(&waiting, shown, shown);
				t->count++;
				t->ledgers |= UINT64_C(1) << ri->ledger;
			}
		}
		if (inc->resolution) {
			const accord_resolution *res = inc->resolution;
			const cJSON *f;
			accord_idmap seen = ACCORD_IDMAP_INIT;

			for (j = 0; j < res->action_count; j++) {
				const accord_action *a = &res->actions[j];
				int overdue = action_overdue(a, r->opts.now);
				size_t *open_c, *done_c, *over_c;

				if (cJSON_GetArraySize(a->owners) == 1 &&
				    cJSON_IsString(a->owners->child)) {
					const char *p = party_as(r, ri->ledger,
								 a->owners->child->valuestring);

					t = tally_get(&owners, p, p);
					open_c = &t->open, done_c = &t->done, over_c = &t->overdue;
					t->count++;
					t->ledgers |= UINT64_C(1) << ri->ledger;
				} else {
					open_c = &r->joint_open, done_c = &r->joint_done,
					over_c = &r->joint_overdue;
					r->joint_ledgers |= UINT64_C(1) << ri->ledger;
				}
				if (a->state == ACCORD_ACTION_DONE)
					(*done_c)++, r->actions_done++;
				else if (a->state == ACCORD_ACTION_OPEN)
					(*open_c)++, r->actions_open++;
				else
					r->actions_not_doing++;
				if (overdue)
					(*over_c)++, r->actions_overdue++;
			}
			cJSON_ArrayForEach(
				f, cJSON_GetObjectItemCaseSensitive(res->entry->body, "factors")) {
				char *key;

				if (!cJSON_IsString(f))
					continue;
				key = factor_key(f->valuestring);
				if (accord_idmap_get(&seen, key)) {
					free(key);
					continue;
				}
				ACCORD_PUSH(*owned_keys, *owned_count, key);
				accord_idmap_put(&seen, key, (void *)1);
				t = tally_get(&factors, key, f->valuestring);
				t->count++;
				t->ledgers |= UINT64_C(1) << ri->ledger;
			}
			accord_idmap_dispose(&seen);
		}
	}
	r->lost_median = accord_report_percentile(lost, nlost, 50);
	r->joint_median_s = accord_report_percentile(joint, njoint, 50);
	r->joint_p90_s = accord_report_percentile(joint, njoint, 90);
	free(lost);
	free(joint);
	tally_take(&r->services, &r->service_count, &services, cmp_service);
	tally_take(&r->waiting, &r->waiting_party_count, &waiting, cmp_name);
	tally_take(&r->owners, &r->owner_count, &owners, cmp_name);
	tally_take(&r->factors, &r->factor_count, &factors, cmp_factor);
}

/* How an incident was closed before any duplicate was followed. */
typedef struct {
	const char *kind, *of;
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
		abort();
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
		if (all[i]->closed_as)
			raw[i] = (raw_closure){ all[i]->closed_as->kind, all[i]->closed_as->of };
		accord_idmap_put(map, all[i]->id, &raw[i]);
	}
	*out = all;
	*raw_out = raw;
	return error < 0 ? error : 0;
}

static int map_closed_as(const char **kind, const char **of, const char *id, void *payload)
{
	const raw_closure *c = accord_idmap_get(payload, id);

	if (!c)
		return -1;
	*kind = c->kind;
	*of = c->of;
	return 0;
}

/*
 * Measure the incidents of one ledger that belong to the report (period,
 * filters) into r->incidents. Duplicates are settled within the ledger:
 * an incident can only duplicate another of its own ledger.
 */
static int measure_ledger(accord_report *r, const accord_ledger *ledger, size_t index)
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
		measure(r, &ri);
		if ((error = accord_clocks_compute(&ri.clocks, inc, &ledger->parties,
						   accord_incident_ledger_in_past, (void *)ledger,
						   r->opts.now)) < 0) {
			accord_incident_free(inc);
			free(ri.waiting);
			free(ri.disputed);
			break;
		}
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

/* Whether the customers of an incident had a worse experience than agreement `a` targets. */
static int experience_missed(const accord_report_incident *ri, const accord_agreement *a)
{
	int targets = a && (a->csat_target >= 0 || a->lost_minutes_target >= 0);

	if (!targets) /* the watermelon of docs/metrics.md: mean score <= 2, exactly */
		return ri->feedback_count > 0 && ri->score_sum <= 2 * (int64_t)ri->feedback_count;
	if (a->csat_target >= 0 && ri->feedback_count > 0 &&
	    (int64_t)ri->csat_count * 100 < a->csat_target * (int64_t)ri->feedback_count)
		return 1;
	return a->lost_minutes_target >= 0 && ri->lost_count > 0 &&
	       ri->lost_sum > a->lost_minutes_target;
}

static int owned_by(const accord_action *a, const char *party)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, a->owners)
		if (cJSON_IsString(o) && !strcmp(o->valuestring, party))
			return 1;
	return 0;
}

/* Add incident `ri`'s figures for provider clocks `pc` to `pv` (its stopped clocks to `vals`). */
static void provider_add(accord_report *r, accord_report_provider *pv, int64_t **vals,
			 const accord_report_incident *ri, const accord_party_clocks *pc)
{
	const accord_incident *inc = ri->incident;
	size_t k, met = 0, missed = 0, i;

	pv->incidents++;
	pv->ledgers |= UINT64_C(1) << ri->ledger;
	for (k = 0; k < ACCORD_CLOCKS; k++) {
		const accord_clock *ck = &pc->clocks[k];

		/* a disputed time: neither met nor missed, and no value a median may take as agreed */
		if (ck->dispute || ck->start_window) {
			pv->clocks_disputed++;
			continue;
		}
		if (ck->stopped) {
			int64_t *nv = realloc(vals[k], (pv->clock_n[k] + 1) * sizeof(*nv));

			if (!nv)
				abort();
			vals[k] = nv;
			nv[pv->clock_n[k]++] = ck->elapsed_s;
		}
		if (ck->state && (ck->stopped || !strcmp(ck->state, "missed"))) {
			pv->clocks_measured++;
			pv->clocks_met += !strcmp(ck->state, "met");
			met += !strcmp(ck->state, "met");
			missed += !strcmp(ck->state, "missed");
		}
	}
	pv->feedback_count += ri->feedback_count;
	pv->csat_count += ri->csat_count;
	pv->lost_count += ri->lost_count;
	pv->lost_sum = accord_sat_add(pv->lost_sum, ri->lost_sum);
	/* every clock met against the agreement, the experience target missed */
	if (met == ACCORD_CLOCKS && !missed && experience_missed(ri, pc->agreement)) {
		pv->watermelons++;
		ACCORD_PUSH(pv->watermelon_list, pv->watermelon_list_count, ri);
	}
	pv->resolved += ri->resolved != 0;
	pv->resolved_joint += ri->resolved && ri->joint;
	for (i = 0; inc->resolution && i < inc->resolution->action_count; i++) {
		const accord_action *a = &inc->resolution->actions[i];

		if (!owned_by(a, pc->party) || a->done)
			continue;
		pv->actions_open++;
		pv->actions_overdue += action_overdue(a, r->opts.now);
	}
}

static int cmp_provider(const void *a, const void *b)
{
	return strcmp(((const accord_report_provider *)a)->name,
		      ((const accord_report_provider *)b)->name);
}

/* The table per provider party (docs/metrics.md, "By provider"). */
static void aggregate_providers(accord_report *r)
{
	int64_t *(*vals)[ACCORD_CLOCKS] = NULL;
	size_t i, j, k;

	for (i = 0; i < r->count; i++) {
		const accord_clocks *c = r->incidents[i].clocks;

		for (j = 0; c && j < c->party_count; j++) {
			const accord_party_clocks *pc = &c->parties[j];
			size_t at;

			const char *shown = party_as(r, r->incidents[i].ledger, pc->party);

			for (at = 0;
			     at < r->provider_count && strcmp(r->providers[at].name, shown) != 0;
			     at++)
				;
			if (at == r->provider_count) {
				accord_report_provider pv;
				int64_t *(*nv)[ACCORD_CLOCKS] =
					realloc(vals, (at + 1) * sizeof(*nv));

				if (!nv)
					abort();
				vals = nv;
				memset(vals[at], 0, sizeof(vals[at]));
				memset(&pv, 0, sizeof(pv));
				pv.name = shown;
				ACCORD_PUSH(r->providers, r->provider_count, pv);
			}
			provider_add(r, &r->providers[at], vals[at], &r->incidents[i], pc);
		}
	}
	for (i = 0; i < r->provider_count; i++) {
		for (k = 0; k < ACCORD_CLOCKS; k++) {
			r->providers[i].clock_median_s[k] = accord_report_percentile(
				vals[i][k], r->providers[i].clock_n[k], 50);
			r->providers[i].clock_p90_s[k] = accord_report_percentile(
				vals[i][k], r->providers[i].clock_n[k], 90);
			free(vals[i][k]);
		}
	}
	free(vals);
	if (r->provider_count > 1) /* none: providers is NULL, which qsort must not get */
		qsort(r->providers, r->provider_count, sizeof(*r->providers), cmp_provider);
}

/* The provider `name` of report `r`, or NULL. */
static const accord_report_provider *provider_of(const accord_report *r, const char *name)
{
	size_t i;

	for (i = 0; r && i < r->provider_count; i++)
		if (!strcmp(r->providers[i].name, name))
			return &r->providers[i];
	return NULL;
}

static int compute(accord_report **out, const accord_report_source *sources, size_t count,
		   const accord_report_options *opts, int with_previous);

int accord_report_compute_many(accord_report **out, const accord_report_source *sources,
			       size_t count, const accord_report_options *opts)
{
	return compute(out, sources, count, opts, 1);
}

static int compute(accord_report **out, const accord_report_source *sources, size_t count,
		   const accord_report_options *opts, int with_previous)
{
	report_impl *impl;
	accord_report *r;
	size_t i;
	int error = 0;

	if (opts->has_since && opts->has_until && opts->until <= opts->since)
		return accord_error_set(
			ACCORD_EINVALID,
			"the period ends before it starts (--until is not after --since)");
	if (count == 0 || count > ACCORD_REPORT_MAX_LEDGERS)
		return accord_error_set(ACCORD_EINVALID, "a report reads 1 to %d ledgers, not %zu",
					ACCORD_REPORT_MAX_LEDGERS, count);
	for (i = 0; i < count; i++)
		if (count > 1 && !sources[i].name)
			return accord_error_set(ACCORD_EINVALID,
						"a report across ledgers names each of them");
	if (!(impl = calloc(1, sizeof(*impl))))
		return accord_error_set(ACCORD_ENOMEM, "out of memory");
	r = &impl->pub;
	r->opts = *opts;
	r->since = opts->has_since ? opts->since : INT64_MIN;
	r->until =
		opts->has_until ? opts->until : opts->now + 1; /* "now" itself is in the period */
	if (r->until <= r->since) {
		free(impl);
		return accord_error_set(ACCORD_EINVALID,
					"the period starts after now (--since is in the future)");
	}
	if (!(r->ledgers = calloc(count, sizeof(*r->ledgers))))
		abort();
	r->ledger_count = count;
	r->across = sources[0].name != NULL;
	if (!r->across)
		memcpy(r->ledger_id, sources[0].ledger->id, sizeof(r->ledger_id));
	for (i = 0; i < count && error == 0; i++) {
		const accord_parties *ps = &sources[i].ledger->parties;
		size_t j;

		memcpy(r->ledgers[i].id, sources[i].ledger->id, sizeof(r->ledgers[i].id));
		r->ledgers[i].name = sources[i].name;
		r->ledgers[i].title = accord_ledger_title(sources[i].ledger);
		for (j = 0; j < ps->party_count; j++)
			ACCORD_PUSH(r->ledgers[i].parties, r->ledgers[i].party_count,
				    (const char *)ps->parties[j].name);
		r->ledgers[i].entry_count = sources[i].ledger->count;
		r->entry_count += sources[i].ledger->count;
		error = measure_ledger(r, sources[i].ledger, i);
	}
	if (error < 0) {
		accord_report_free(r);
		return error;
	}
	if (r->across)
		find_apart(impl, sources, count);
	aggregate(r, &impl->keys, &impl->key_count);
	aggregate_providers(r);
	/* the period of the same length just before, for the trend of each provider figure */
	if (with_previous && opts->has_since) {
		accord_report_options prev = *opts;
		int64_t until = opts->has_until ? opts->until : opts->now;

		prev.has_since = prev.has_until = 1;
		prev.until = opts->since;
		prev.since = opts->since - (until - opts->since);
		if (prev.since < prev.until &&
		    (error = compute(&r->previous, sources, count, &prev, 0)) < 0) {
			accord_report_free(r);
			return error;
		}
	}
	*out = r;
	return 0;
}

int accord_report_compute(accord_report **out, const accord_ledger *ledger,
			  const accord_report_options *opts)
{
	accord_report_source one = { ledger, NULL };

	return accord_report_compute_many(out, &one, 1, opts);
}

void accord_report_ledger_names(accord_buf *out, const accord_report *r, uint64_t set)
{
	size_t i, n = 0;

	for (i = 0; i < r->ledger_count; i++)
		if (set & (UINT64_C(1) << i))
			accord_buf_printf(out, "%s%s", n++ ? ", " : "",
					  r->ledgers[i].name ? r->ledgers[i].name : "");
	if (!n)
		accord_buf_puts(out, "");
}

void accord_report_free(accord_report *r)
{
	report_impl *impl = (report_impl *)r;
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->count; i++) {
		accord_incident_free(r->incidents[i].incident);
		accord_clocks_free(r->incidents[i].clocks);
		free(r->incidents[i].waiting);
		free(r->incidents[i].disputed);
	}
	for (i = 0; r->ledgers && i < r->ledger_count; i++)
		free(r->ledgers[i].parties);
	for (i = 0; i < r->provider_count; i++)
		free(r->providers[i].watermelon_list);
	free(r->providers);
	accord_report_free(r->previous);
	free(r->incidents);
	free(r->services);
	free(r->waiting);
	free(r->owners);
	free(r->factors);
	free(r->weeks);
	free(r->ledgers);
	for (i = 0; i < impl->key_count; i++)
		free(impl->keys[i]);
	free(impl->keys);
	for (i = 0; i < impl->apart_count; i++)
		free(impl->apart[i].shown);
	free(impl->apart);
	free(impl);
}

/* ---- JSON --------------------------------------------------------------- */

static void add_date(cJSON *o, const char *key, int64_t t)
{
	char buf[ACCORD_TIME_LEN];

	accord_time_format(buf, t);
	buf[10] = '\0';
	cJSON_AddStringToObject(o, key, buf);
}

static void add_str_or_null(cJSON *o, const char *key, const char *s)
{
	if (s)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

/* a / b x 100 rounded to one decimal, or null when b is 0. */
static void add_pct(cJSON *o, const char *key, size_t a, size_t b)
{
	if (b)
		cJSON_AddNumberToObject(o, key, round_to(100.0 * (double)a / (double)b, 10));
	else
		cJSON_AddNullToObject(o, key);
}

static void add_mean(cJSON *o, const char *key, int64_t sum, size_t n)
{
	if (n)
		cJSON_AddNumberToObject(o, key, round_to((double)sum / (double)n, 100));
	else
		cJSON_AddNullToObject(o, key);
}

static void add_count(cJSON *o, const char *key, size_t n)
{
	cJSON_AddNumberToObject(o, key, (double)n);
}

static cJSON *string_array(const char **s, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(s[i]));
	return a;
}

static const char *resolution_state(const accord_incident *inc)
{
	return !inc->resolution ? "none" : inc->resolution->joint ? "joint" : "proposed";
}

/* Across ledgers: "ledgers": the names of the ledgers in `set`. Nothing for one ledger. */
static void add_ledgers(cJSON *o, const accord_report *r, uint64_t set)
{
	cJSON *a;
	size_t i;

	if (!r->across)
		return;
	a = cJSON_AddArrayToObject(o, "ledgers");
	for (i = 0; i < r->ledger_count; i++)
		if (set & (UINT64_C(1) << i))
			cJSON_AddItemToArray(a, cJSON_CreateString(r->ledgers[i].name));
}

/* What was verified and what was left out: of one ledger, or the sum of several. */
static void verification_json(cJSON *o, const accord_report_meta *meta, size_t entries)
{
	cJSON *a;
	size_t i;

	cJSON_AddStringToObject(o, "status", !meta || meta->verified ? "verified" : "partial");
	add_str_or_null(o, "message", meta && !meta->verified ? meta->verify_message : NULL);
	a = cJSON_AddArrayToObject(o, "excluded");
	for (i = 0; meta && i < meta->excluded_count; i++) {
		cJSON *x = cJSON_CreateObject();

		cJSON_AddStringToObject(x, "feed", meta->excluded_feeds[i]);
		add_str_or_null(x, "from_commit",
				meta->excluded_from ? meta->excluded_from[i] : NULL);
		cJSON_AddItemToArray(a, x);
	}
	a = cJSON_AddArrayToObject(o, "findings");
	for (i = 0; meta && i < meta->finding_count; i++) {
		const accord_finding *f = &meta->findings[i];
		cJSON *x = cJSON_CreateObject();

		cJSON_AddStringToObject(x, "kind", accord_audit_kind_name(f->kind));
		add_str_or_null(x, "feed", f->feed[0] ? f->feed : NULL);
		if (f->seq > 0)
			add_count(x, "seq", (size_t)f->seq);
		else
			cJSON_AddNullToObject(x, "seq");
		add_str_or_null(x, "commit", f->commit[0] ? f->commit : NULL);
		add_str_or_null(x, "entry", f->entry[0] ? f->entry : NULL);
		cJSON_AddStringToObject(x, "explanation", f->explanation ? f->explanation : "");
		cJSON_AddItemToArray(a, x);
	}
	add_count(o, "entries", entries);
}

/* Every party of the ledgers read, sorted, once each. Caller frees the array. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void report_party_names(const char ***out, size_t *count, const accord_report *r)
{
	const char **names = NULL;
	size_t n = 0, i, j, k = 0;

	for (i = 0; i < r->ledger_count; i++)
		for (j = 0; j < r->ledgers[i].party_count; j++)
			ACCORD_PUSH(names, n, party_as(r, i, r->ledgers[i].parties[j]));
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++)
		if (!k || strcmp(names[k - 1], names[i]) != 0)
			names[k++] = names[i];
	*out = names;
	*count = k;
}

static cJSON *meta_json(cJSON *doc, const accord_report *r, const accord_report_meta *meta)
{
	cJSON *o;
	size_t i;

	cJSON_AddStringToObject(doc, "report", "accord report");
	cJSON_AddNumberToObject(doc, "version", 1);
	accord_json_add_time(doc, "generated_at", r->opts.now);
	if (r->across)
		cJSON_AddNullToObject(doc, "ledger");
	else
		cJSON_AddStringToObject(doc, "ledger", r->ledger_id);
	o = cJSON_AddObjectToObject(doc, "generated_by");
	cJSON_AddStringToObject(o, "key", meta && meta->key_id ? meta->key_id : "none");
	add_str_or_null(o, "name", meta ? meta->key_name : NULL);
	o = cJSON_AddObjectToObject(doc, "filters");
	if (r->opts.has_since)
		accord_json_add_time(o, "since", r->opts.since);
	else
		cJSON_AddNullToObject(o, "since");
	accord_json_add_time(o, "until", r->opts.has_until ? r->opts.until : r->opts.now);
	add_str_or_null(o, "service", r->opts.service);
	add_str_or_null(o, "party", r->opts.party);
	verification_json(cJSON_AddObjectToObject(doc, "verification"), meta, r->entry_count);
	add_str_or_null(doc, "title", r->across ? NULL : r->ledgers[0].title);
	{
		const char **names = NULL;
		size_t n = 0;

		report_party_names(&names, &n, r);
		cJSON_AddItemToObject(doc, "parties", string_array(names, n));
		free(names);
	}
	if (r->across) {
		cJSON *a = cJSON_AddArrayToObject(doc, "ledgers");

		for (i = 0; i < r->ledger_count; i++) {
			cJSON *x = cJSON_CreateObject();
			const accord_report_meta *lm =
				meta && i < meta->ledger_count ? &meta->ledgers[i] : NULL;

			cJSON_AddStringToObject(x, "name", r->ledgers[i].name);
			cJSON_AddStringToObject(x, "ledger", r->ledgers[i].id);
			cJSON_AddStringToObject(x, "title",
						r->ledgers[i].title ? r->ledgers[i].title : "");
			verification_json(cJSON_AddObjectToObject(x, "verification"), lm,
					  r->ledgers[i].entry_count);
			cJSON_AddItemToArray(a, x);
		}
	}
	o = cJSON_AddObjectToObject(doc, "definitions");
	for (i = 0; i < NDEFS; i++)
		cJSON_AddStringToObject(o, definitions[i].key, definitions[i].text);
	return doc;
}

/* Each disputed window: whose, how many, when, and what it would add (clipped to the period). */
static cJSON *disputed_json(const accord_report *r, const accord_report_incident *ri)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < ri->disputed_count; i++) {
		const accord_impact *w = ri->disputed[i];
		cJSON *item = cJSON_CreateObject();
		int64_t cs = 0, ce = 0;

		window_in_period(r, w, &cs, &ce);
		cJSON_AddStringToObject(item, "party", w->party ? w->party : "");
		cJSON_AddNumberToObject(item, "customers", (double)w->customers);
		accord_json_add_time(item, "start", w->start);
		if (w->has_end)
			accord_json_add_time(item, "end", w->end);
		else
			cJSON_AddNullToObject(item, "end");
		cJSON_AddNumberToObject(item, "customer_minutes",
					minutes(accord_sat_mul(w->customers, ce - cs)));
		cJSON_AddBoolToObject(item, "counts", w->state != ACCORD_FIGURE_ASIDE);
		cJSON_AddStringToObject(item, "entry", w->entry->id);
		cJSON_AddItemToArray(arr, item);
	}
	return arr;
}

static cJSON *incident_row_json(const accord_report *r, const accord_report_incident *ri)
{
	const accord_incident *inc = ri->incident;
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "id", inc->id);
	if (r->across)
		cJSON_AddStringToObject(o, "ledger", r->ledgers[ri->ledger].name);
	cJSON_AddStringToObject(o, "title", inc->title);
	cJSON_AddStringToObject(o, "service", inc->service);
	cJSON_AddNumberToObject(o, "severity", (double)inc->severity);
	cJSON_AddStringToObject(o, "status", inc->status);
	accord_json_add_time(o, "started_at", inc->started_at);
	cJSON_AddItemToObject(o, "parties", string_array(inc->parties, inc->party_count));
	add_count(o, "impact_windows", ri->windows);
	cJSON_AddNumberToObject(o, "customers", (double)ri->customers);
	cJSON_AddNumberToObject(o, "customer_minutes", minutes(ri->customer_seconds));
	cJSON_AddBoolToObject(o, "customer_minutes_unconfirmed", ri->unconfirmed);
	cJSON_AddItemToObject(o, "disputed", disputed_json(r, ri));
	cJSON_AddNumberToObject(o, "longest_minutes", minutes(ri->longest_s));
	add_count(o, "responses", ri->feedback_count);
	add_mean(o, "mean_score", ri->score_sum, ri->feedback_count);
	add_pct(o, "csat_pct", ri->csat_count, ri->feedback_count);
	cJSON_AddNumberToObject(o, "lost_minutes", (double)ri->lost_sum);
	add_count(o, "sla_measurements", ri->sla_count);
	add_count(o, "sla_met", ri->sla_met);
	cJSON_AddBoolToObject(o, "watermelon", ri->watermelon);
	cJSON_AddItemToObject(o, "indicators", indicators_json(ri->incident));
	cJSON_AddStringToObject(o, "resolution", resolution_state(inc));
	if (ri->joint) {
		accord_json_add_time(o, "joint_at", inc->resolution->joint_at);
		cJSON_AddNumberToObject(o, "time_to_joint_s", (double)ri->time_to_joint_s);
		cJSON_AddNumberToObject(o, "revisions", ri->revisions);
	} else {
		cJSON_AddNullToObject(o, "joint_at");
		cJSON_AddNullToObject(o, "time_to_joint_s");
		cJSON_AddNullToObject(o, "revisions");
	}
	cJSON_AddItemToObject(o, "waiting_for", string_array(ri->waiting, ri->waiting_count));
	add_count(o, "actions_open", ri->actions_open);
	add_count(o, "actions_done", ri->actions_done);
	add_count(o, "actions_overdue", ri->actions_overdue);
	cJSON_AddItemToObject(o, "clocks",
			      ri->clocks ? accord_clocks_brief_json(ri->clocks)
					 : cJSON_CreateArray());
	return o;
}

static cJSON *action_counts(cJSON *o, size_t open, size_t done, size_t overdue)
{
	add_count(o, "open", open);
	add_count(o, "done", done);
	add_count(o, "overdue", overdue);
	return o;
}

static cJSON *provider_figures_json(const accord_report_provider *pv)
{
	cJSON *o = cJSON_CreateObject(), *c = cJSON_AddObjectToObject(o, "clocks"), *x;
	static const char *const names[ACCORD_CLOCKS] = { "acknowledge", "mitigate", "restore" };
	size_t k;

	add_count(o, "incidents", pv->incidents);
	for (k = 0; k < ACCORD_CLOCKS; k++) {
		x = cJSON_AddObjectToObject(c, names[k]);
		add_count(x, "n", pv->clock_n[k]);
		if (pv->clock_n[k]) {
			cJSON_AddNumberToObject(x, "median_s", (double)pv->clock_median_s[k]);
			cJSON_AddNumberToObject(x, "p90_s", (double)pv->clock_p90_s[k]);
		} else {
			cJSON_AddNullToObject(x, "median_s");
			cJSON_AddNullToObject(x, "p90_s");
		}
	}
	x = cJSON_AddObjectToObject(o, "sla");
	add_count(x, "measured", pv->clocks_measured);
	add_count(x, "met", pv->clocks_met);
	add_pct(x, "met_pct", pv->clocks_met, pv->clocks_measured);
	add_count(x, "disputed", pv->clocks_disputed);
	x = cJSON_AddObjectToObject(o, "experience");
	add_count(x, "responses", pv->feedback_count);
	add_pct(x, "csat_pct", pv->csat_count, pv->feedback_count);
	cJSON_AddNumberToObject(x, "lost_minutes", (double)pv->lost_sum);
	add_count(x, "lost_responses", pv->lost_count);
	add_count(o, "watermelons", pv->watermelons);
	x = cJSON_AddObjectToObject(o, "joint");
	add_count(x, "resolved", pv->resolved);
	add_count(x, "joint", pv->resolved_joint);
	add_pct(x, "joint_pct", pv->resolved_joint, pv->resolved);
	x = cJSON_AddObjectToObject(o, "actions");
	add_count(x, "open", pv->actions_open);
	add_count(x, "overdue", pv->actions_overdue);
	return o;
}

/* "providers": each provider's figures, and the previous period's beside them. */
static void providers_json(cJSON *doc, const accord_report *r)
{
	cJSON *a = cJSON_AddArrayToObject(doc, "providers");
	size_t i;

	for (i = 0; i < r->provider_count; i++) {
		const accord_report_provider *pv = &r->providers[i],
					     *prev = provider_of(r->previous, pv->name);
		cJSON *o = provider_figures_json(pv);

		cJSON_AddStringToObject(o, "party", pv->name);
		add_ledgers(o, r, pv->ledgers);
		{
			cJSON *wl = cJSON_AddArrayToObject(o, "watermelon_incidents");
			size_t w;

			for (w = 0; w < pv->watermelon_list_count; w++) {
				const accord_incident *inc = pv->watermelon_list[w]->incident;
				cJSON *x = cJSON_CreateObject();

				cJSON_AddStringToObject(x, "incident", inc->id);
				cJSON_AddStringToObject(x, "title", inc->title);
				cJSON_AddItemToObject(x, "indicators", indicators_json(inc));
				cJSON_AddItemToArray(wl, x);
			}
		}
		if (prev)
			cJSON_AddItemToObject(o, "previous", provider_figures_json(prev));
		else if (r->previous) {
			accord_report_provider none;

			memset(&none, 0, sizeof(none));
			cJSON_AddItemToObject(o, "previous", provider_figures_json(&none));
		} else
			cJSON_AddNullToObject(o, "previous");
		cJSON_AddItemToArray(a, o);
	}
	if (r->previous) {
		cJSON *p = cJSON_AddObjectToObject(doc, "previous_period");

		accord_json_add_time(p, "since", r->previous->opts.since);
		accord_json_add_time(p, "until", r->previous->opts.until);
	} else {
		cJSON_AddNullToObject(doc, "previous_period");
	}
}

cJSON *accord_report_to_json(const accord_report *r, const accord_report_meta *meta)
{
	cJSON *doc = meta_json(cJSON_CreateObject(), r, meta), *o, *a, *item;
	size_t i, j;

	o = cJSON_AddObjectToObject(doc, "incidents");
	add_count(o, "total", r->count);
	add_count(o, "resolved", r->resolved);
	add_count(o, "closed", r->closed);
	add_count(o, "open", r->open);
	add_count(o, "void", r->voided);
	add_count(o, "duplicate", r->duplicates);
	item = cJSON_AddObjectToObject(o, "by_severity");
	for (i = 1; i <= 4; i++) {
		char k[2] = { (char)('0' + i), 0 };

		add_count(item, k, r->by_severity[i]);
	}
	a = cJSON_AddArrayToObject(o, "by_service");
	for (i = 0; i < r->service_count; i++) {
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "service", r->services[i].name);
		add_count(item, "incidents", r->services[i].count);
		cJSON_AddNumberToObject(item, "customer_minutes",
					minutes(r->services[i].customer_seconds));
		add_ledgers(item, r, r->services[i].ledgers);
		cJSON_AddItemToArray(a, item);
	}

	o = cJSON_AddObjectToObject(doc, "customer_impact");
	cJSON_AddNumberToObject(o, "customers_affected", (double)r->customers);
	cJSON_AddNumberToObject(o, "customer_minutes", minutes(r->customer_seconds));
	cJSON_AddBoolToObject(o, "saturated", accord_saturated(r->customer_seconds));
	add_count(o, "disputed_figures", r->disputed);
	add_count(o, "unconfirmed_incidents", r->unconfirmed);
	if (r->longest) {
		item = cJSON_AddObjectToObject(o, "longest");
		cJSON_AddStringToObject(item, "incident", r->longest->incident->id);
		cJSON_AddStringToObject(item, "title", r->longest->incident->title);
		cJSON_AddNumberToObject(item, "minutes", minutes(r->longest_s));
	} else {
		cJSON_AddNullToObject(o, "longest");
	}

	o = cJSON_AddObjectToObject(doc, "experience");
	add_count(o, "responses", r->feedback_count);
	add_mean(o, "mean_score", r->score_sum, r->feedback_count);
	add_pct(o, "csat_pct", r->csat_count, r->feedback_count);
	add_count(o, "csat_responses", r->csat_count);
	item = cJSON_AddObjectToObject(o, "lost_minutes");
	cJSON_AddNumberToObject(item, "sum", (double)r->lost_sum);
	if (r->lost_count)
		cJSON_AddNumberToObject(item, "median", (double)r->lost_median);
	else
		cJSON_AddNullToObject(item, "median");
	add_count(item, "responses", r->lost_count);

	o = cJSON_AddObjectToObject(doc, "sla");
	add_count(o, "measurements", r->sla_count);
	add_count(o, "met", r->sla_met);
	add_pct(o, "met_pct", r->sla_met, r->sla_count);
	add_count(o, "incidents_measured", r->sla_incidents);
	add_count(o, "incidents_all_met", r->sla_all_met);

	o = cJSON_AddObjectToObject(doc, "watermelon");
	add_count(o, "count", r->watermelons);
	add_pct(o, "rate_pct", r->watermelons, r->sla_all_met);
	add_pct(o, "sla_met_pct", r->sla_met, r->sla_count);
	a = cJSON_AddArrayToObject(o, "incidents");
	for (i = 0; i < r->count; i++) {
		const accord_report_incident *ri = &r->incidents[i];

		if (!ri->watermelon)
			continue;
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "id", ri->incident->id);
		cJSON_AddStringToObject(item, "title", ri->incident->title);
		cJSON_AddStringToObject(item, "service", ri->incident->service);
		add_count(item, "sla_measurements", ri->sla_count);
		add_mean(item, "mean_score", ri->score_sum, ri->feedback_count);
		add_count(item, "responses", ri->feedback_count);
		cJSON_AddItemToArray(a, item);
	}

	o = cJSON_AddObjectToObject(doc, "joint");
	add_count(o, "resolved", r->resolved_total);
	add_count(o, "resolved_joint", r->resolved_joint);
	add_pct(o, "joint_pct", r->resolved_joint, r->resolved_total);
	add_count(o, "joint_resolutions", r->joint_total);
	item = cJSON_AddObjectToObject(o, "time_to_joint");
	add_count(item, "count", r->joint_total);
	if (r->joint_total) {
		cJSON_AddNumberToObject(item, "median_s", (double)r->joint_median_s);
		cJSON_AddNumberToObject(item, "p90_s", (double)r->joint_p90_s);
	} else {
		cJSON_AddNullToObject(item, "median_s");
		cJSON_AddNullToObject(item, "p90_s");
	}
	item = cJSON_AddObjectToObject(o, "revised_before_agreement");
	add_count(item, "incidents", r->revised);
	add_count(item, "revisions", r->revisions);
	item = cJSON_AddObjectToObject(o, "waiting");
	add_count(item, "incidents", r->waiting_incidents);
	a = cJSON_AddArrayToObject(item, "by_party");
	for (i = 0; i < r->waiting_party_count; i++) {
		cJSON *p = cJSON_CreateObject();

		cJSON_AddStringToObject(p, "party", r->waiting[i].name);
		add_count(p, "incidents", r->waiting[i].count);
		add_ledgers(p, r, r->waiting[i].ledgers);
		cJSON_AddItemToArray(a, p);
	}
	a = cJSON_AddArrayToObject(item, "list");
	for (i = 0; i < r->count; i++) {
		const accord_report_incident *ri = &r->incidents[i];
		cJSON *p;

		if (!ri->waiting_count)
			continue;
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "id", ri->incident->id);
		cJSON_AddStringToObject(p, "title", ri->incident->title);
		cJSON_AddItemToObject(p, "waiting_for",
				      string_array(ri->waiting, ri->waiting_count));
		cJSON_AddItemToArray(a, p);
	}

	o = action_counts(cJSON_AddObjectToObject(doc, "actions"), r->actions_open, r->actions_done,
			  r->actions_overdue);
	a = cJSON_AddArrayToObject(o, "by_party");
	for (i = 0; i < r->owner_count; i++) {
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "party", r->owners[i].name);
		action_counts(item, r->owners[i].open, r->owners[i].done, r->owners[i].overdue);
		add_ledgers(item, r, r->owners[i].ledgers);
		cJSON_AddItemToArray(a, item);
	}
	item = cJSON_AddObjectToObject(o, "jointly_owned");
	action_counts(item, r->joint_open, r->joint_done, r->joint_overdue);
	add_ledgers(item, r, r->joint_ledgers);
	a = cJSON_AddArrayToObject(o, "overdue_items");
	for (i = 0; i < r->count; i++) {
		const accord_resolution *res = r->incidents[i].incident->resolution;

		for (j = 0; res && j < res->action_count; j++) {
			if (!action_overdue(&res->actions[j], r->opts.now))
				continue;
			item = cJSON_CreateObject();
			cJSON_AddStringToObject(item, "incident", r->incidents[i].incident->id);
			cJSON_AddNumberToObject(item, "number", (double)(j + 1));
			cJSON_AddStringToObject(item, "text", res->actions[j].text);
			cJSON_AddItemToObject(item, "owners",
					      cJSON_Duplicate(res->actions[j].owners, 1));
			cJSON_AddStringToObject(item, "due", res->actions[j].due);
			cJSON_AddStringToObject(item, "id", res->actions[j].id);
			add_str_or_null(item, "owner", res->actions[j].owner);
			add_str_or_null(item, "link", res->actions[j].link);
			cJSON_AddItemToArray(a, item);
		}
	}
	add_count(o, "not_doing", r->actions_not_doing);
	a = cJSON_AddArrayToObject(o, "not_doing_items");
	for (i = 0; i < r->count; i++) {
		const accord_resolution *res = r->incidents[i].incident->resolution;

		for (j = 0; res && j < res->action_count; j++) {
			if (res->actions[j].state != ACCORD_ACTION_NOT_DOING)
				continue;
			item = cJSON_CreateObject();
			cJSON_AddStringToObject(item, "incident", r->incidents[i].incident->id);
			cJSON_AddNumberToObject(item, "number", (double)(j + 1));
			cJSON_AddStringToObject(item, "id", res->actions[j].id);
			cJSON_AddStringToObject(item, "text", res->actions[j].text);
			cJSON_AddItemToObject(item, "owners",
					      cJSON_Duplicate(res->actions[j].owners, 1));
			cJSON_AddStringToObject(item, "reason", res->actions[j].note);
			cJSON_AddItemToArray(a, item);
		}
	}

	o = cJSON_AddObjectToObject(doc, "factors");
	add_count(o, "distinct", r->factor_count);
	a = cJSON_AddArrayToObject(o, "top");
	for (i = 0; i < r->factor_count && i < TOP_FACTORS; i++) {
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "factor", r->factors[i].name);
		add_count(item, "incidents", r->factors[i].count);
		add_ledgers(item, r, r->factors[i].ledgers);
		cJSON_AddItemToArray(a, item);
	}

	a = cJSON_AddArrayToObject(doc, "weeks");
	for (i = 0; i < r->week_count; i++) {
		const accord_report_week *w = &r->weeks[i];

		item = cJSON_CreateObject();
		add_date(item, "start", w->start);
		add_count(item, "incidents", w->incidents);
		cJSON_AddNumberToObject(item, "customer_minutes", minutes(w->customer_seconds));
		add_count(item, "sla_measurements", w->sla_count);
		add_pct(item, "sla_met_pct", w->sla_met, w->sla_count);
		add_count(item, "clocks_measured", w->clocks_measured);
		add_pct(item, "clocks_met_pct", w->clocks_met, w->clocks_measured);
		add_count(item, "responses", w->feedback_count);
		add_pct(item, "csat_pct", w->csat_count, w->feedback_count);
		cJSON_AddItemToArray(a, item);
	}

	a = cJSON_AddArrayToObject(doc, "rows");
	for (i = 0; i < r->count; i++)
		cJSON_AddItemToArray(a, incident_row_json(r, &r->incidents[i]));
	providers_json(doc, r);
	return doc;
}

/* ---- the human formats: one list of blocks, rendered four ways ----------- */

enum { B_H1, B_H2, B_H3, B_P, B_WARN, B_KV, B_TABLE, B_DEFS, B_CHART };
enum { CHART_MINUTES, CHART_WATERMELON, CHART_JOINT };

typedef struct {
	int type;
	char *text;
	char **cells; /* rows x cols; for tables row 0 is the header */
	size_t cols, rows;
	unsigned right;	      /* bit i: column i holds numbers */
	unsigned char *alert; /* per row: draw attention (watermelons, overdue items) */
	int chart;
} block;

typedef struct {
	block *b;
	size_t n;
} rdoc;

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d)
		abort();
	return d;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	accord_buf b = ACCORD_BUF_INIT;
	va_list ap;
	char *s;
	int n;

	va_start(ap, f);
	n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	accord_buf_grow(&b, (size_t)n + 1);
	va_start(ap, f);
	vsnprintf(b.ptr, (size_t)n + 1, f, ap);
	va_end(ap);
	b.size = (size_t)n;
	s = accord_buf_detach(&b);
	return s ? s : xstrdup("");
}

/*
 * Text from other parties goes to terminals and documents: controls and
 * bidi overrides are shown escaped (accord_escape), in every format. Takes
 * `s` and returns its replacement.
 */
static char *sanitize(char *s)
{
	char *r = accord_escape_dup(s, 0);

	free(s);
	return r;
}

/* A number with at most `places` decimals and no trailing zeros: 50, 66.7, 1.25. */
static void dec(char *out, size_t len, double v, int places)
{
	char *p;

	snprintf(out, len, "%.*f", places, v);
	if (strchr(out, '.')) {
		for (p = out + strlen(out) - 1; *p == '0'; p--)
			*p = '\0';
		if (*p == '.')
			*p = '\0';
	}
	if (!strcmp(out, "-0"))
		strcpy(out, "0");
}

static char *num1(double v)
{
	char b[64];

	dec(b, sizeof(b), round_to(v, 10), 1);
	return xstrdup(b);
}

/*
 * Thousands separators for the human formats (text, md, html; never json
 * or csv, which programs read): "1234567.5" -> "1,234,567.5".
 */
static void group(char *out, size_t len, const char *num)
{
	const char *dot = strchr(num, '.'), *p = num;
	size_t digits, o = 0;

	if (*p == '-' && o + 1 < len)
		out[o++] = *p++;
	digits = (size_t)((dot ? dot : num + strlen(num)) - p);
	for (; *p && p != dot && o + 2 < len; p++, digits--) {
		out[o++] = *p;
		if (digits > 1 && (digits - 1) % 3 == 0)
			out[o++] = ',';
	}
	for (; *p && o + 1 < len; p++)
		out[o++] = *p;
	out[o] = '\0';
}

/* A count, grouped. */
static char *cnt(long long v)
{
	char b[32], g[48];

	snprintf(b, sizeof(b), "%lld", v);
	group(g, sizeof(g), b);
	return xstrdup(g);
}

/* cnt into the caller's buffer, for a figure inside a longer text. */
static const char *cnt_in(char *g, size_t n, long long v)
{
	char b[32];

	snprintf(b, sizeof(b), "%lld", v);
	group(g, n, b);
	return g;
}

/* num1, grouped. */
static char *num1g(double v)
{
	char b[64], g[96];

	dec(b, sizeof(b), round_to(v, 10), 1);
	group(g, sizeof(g), b);
	return xstrdup(g);
}

static const char *num1g_in(char *g, size_t n, double v)
{
	char b[64];

	dec(b, sizeof(b), round_to(v, 10), 1);
	group(g, n, b);
	return g;
}

static char *pct_text(size_t a, size_t b)
{
	char d[64];

	if (!b)
		return xstrdup("n/a");
	dec(d, sizeof(d), round_to(100.0 * (double)a / (double)b, 10), 1);
	return fmt("%s%%", d);
}

static char *mean_text(int64_t sum, size_t n)
{
	char d[64];

	if (!n)
		return xstrdup("n/a");
	dec(d, sizeof(d), round_to((double)sum / (double)n, 100), 2);
	return xstrdup(d);
}

static char *dur_text(int64_t s)
{
	char d[48];

	accord_duration_format(d, sizeof(d), s < 0 ? -s : s);
	return fmt("%s%s", s < 0 ? "-" : "", d);
}

static block *add_block(rdoc *d, int type)
{
	block b = { 0 };

	b.type = type;
	ACCORD_PUSH(d->b, d->n, b);
	return &d->b[d->n - 1];
}

static void add_text(rdoc *d, int type, char *text)
{
	block *b = add_block(d, type);

	b->text = sanitize(text);
}

static block *add_table(rdoc *d, int type, size_t cols, unsigned right)
{
	block *b = add_block(d, type);

	b->cols = cols;
	b->right = right;
	return b;
}

/* Append a row of `b->cols` cells, taking each (malloc'd) string. */
static void row(block *b, int alert, ...)
{
	va_list ap;
	size_t i;

	b->cells = realloc(b->cells, (b->rows + 1) * b->cols * sizeof(*b->cells));
	b->alert = realloc(b->alert, b->rows + 1);
	if (!b->cells || !b->alert)
		abort();
	va_start(ap, alert);
	for (i = 0; i < b->cols; i++) {
		char *c = va_arg(ap, char *);

		b->cells[b->rows * b->cols + i] = sanitize(c);
	}
	va_end(ap);
	b->alert[b->rows++] = (unsigned char)alert;
}

static void kv(block *b, int alert, const char *label, char *value)
{
	row(b, alert, xstrdup(label), value);
}

static void rdoc_free(rdoc *d)
{
	size_t i, j;

	for (i = 0; i < d->n; i++) {
		for (j = 0; j < d->b[i].rows * d->b[i].cols; j++)
			free(d->b[i].cells[j]);
		free(d->b[i].cells);
		free(d->b[i].alert);
		free(d->b[i].text);
	}
	free(d->b);
}

static char *short_id(const char *id)
{
	return fmt("%.12s", id);
}

/* "a, b": the ledgers of a row across ledgers (malloc'd). */
/* The ledgers any party's own action items came from. */
static uint64_t all_owner_ledgers(const accord_report *r)
{
	uint64_t set = 0;
	size_t i;

	for (i = 0; i < r->owner_count; i++)
		set |= r->owners[i].ledgers;
	return set;
}

static char *ledgers_text(const accord_report *r, uint64_t set)
{
	accord_buf b = ACCORD_BUF_INIT;
	char *s;

	accord_report_ledger_names(&b, r, set);
	s = xstrdup(b.ptr ? b.ptr : "");
	accord_buf_dispose(&b);
	return s;
}

static char *time_text(int64_t t)
{
	char b[ACCORD_TIME_LEN];

	accord_time_format(b, t);
	return xstrdup(b);
}

static void build_meta(rdoc *d, const accord_report *r, const accord_report_meta *meta)
{
	block *b;
	char *since, *until, gb[48];
	size_t i;

	add_text(
		d, B_H1,
		xstrdup(r->across
				? "accord report across ledgers: joint outcomes and customer impact"
				: "accord report: joint outcomes and customer impact"));
	if (meta && !meta->verified) {
		accord_buf ex = ACCORD_BUF_INIT;
		/* across ledgers each ledger says what it left out; the others' figures stand */
		const accord_report_meta *ms = meta->ledger_count ? meta->ledgers : meta;
		size_t n = meta->ledger_count ? meta->ledger_count : 1, k;

		for (k = 0; k < n; k++) {
			for (i = 0; i < ms[k].excluded_count; i++) {
				const char *from =
					ms[k].excluded_from ? ms[k].excluded_from[i] : NULL;

				accord_buf_printf(&ex, "%s", ex.size ? "; " : "");
				if (meta->ledger_count && k < r->ledger_count)
					accord_buf_printf(&ex, "ledger %s ", r->ledgers[k].name);
				accord_buf_printf(&ex, "feed %s", ms[k].excluded_feeds[i]);
				if (from)
					accord_buf_printf(&ex, " from commit %.12s on", from);
				else
					accord_buf_puts(&ex, " (all of it)");
			}
		}
		add_text(d, B_WARN,
			 fmt("PARTIAL: %s. These figures count only the entries that verify: each "
			     "feed up to its first entry that does not count. Left out: %s. "
			     "accord audit explains each finding.",
			     meta->verify_message ? meta->verify_message : "entries were left out",
			     ex.size ? ex.ptr : "none"));
		accord_buf_dispose(&ex);
	}
	b = add_table(d, B_KV, 2, 0);
	kv(b, 0, "generated at", time_text(r->opts.now));
	if (!r->across) {
		kv(b, 0, "ledger", xstrdup(r->ledger_id));
		kv(b, 0, "title",
		   xstrdup(r->ledgers[0].title && *r->ledgers[0].title ? r->ledgers[0].title
								       : "(none)"));
	}
	{
		accord_buf names = ACCORD_BUF_INIT;
		const char **list = NULL;
		size_t n = 0;

		report_party_names(&list, &n, r);
		for (i = 0; i < n; i++)
			accord_buf_printf(&names, "%s%s", i ? ", " : "", list[i]);
		kv(b, 0, "parties", xstrdup(n ? names.ptr : "none"));
		free(list);
		accord_buf_dispose(&names);
	}
	for (i = 0; r->across && i < r->ledger_count; i++) {
		const accord_report_meta *lm =
			meta && i < meta->ledger_count ? &meta->ledgers[i] : NULL;
		const accord_report_ledger *l = &r->ledgers[i];

		if (!lm || lm->verified)
			row(b, 0, fmt("ledger %s", l->name),
			    fmt("%s: verified (%s %s)%s%s%s", l->id,
				cnt_in(gb, sizeof(gb), (long long)l->entry_count),
				accord_plural((long long)l->entry_count, "entry", "entries"),
				l->title && *l->title ? ", title \"" : "", l->title ? l->title : "",
				l->title && *l->title ? "\"" : ""));
		else
			row(b, 1, fmt("ledger %s", l->name),
			    fmt("%s: PARTIAL: %s", l->id,
				lm->verify_message ? lm->verify_message : ""));
	}
	if (meta && meta->key_id)
		kv(b, 0, "generated by",
		   fmt("key %s (%s)", meta->key_id,
		       meta->key_name && *meta->key_name ? meta->key_name : "unnamed"));
	else
		kv(b, 0, "generated by", xstrdup("none (no key in the key home)"));
	since = r->opts.has_since ? time_text(r->opts.since) : xstrdup("the first entry");
	until = time_text(r->opts.has_until ? r->opts.until : r->opts.now);
	kv(b, 0, "period", fmt("from %s until %s", since, until));
	free(since);
	free(until);
	kv(b, 0, "filters",
	   r->opts.service || r->opts.party
		   ? fmt("%s%s%s%s%s", r->opts.service ? "service " : "",
			 r->opts.service ? r->opts.service : "",
			 r->opts.service && r->opts.party ? ", " : "",
			 r->opts.party ? "party " : "", r->opts.party ? r->opts.party : "")
		   : xstrdup("none"));
	if (!meta || meta->verified)
		kv(b, 0, "verification",
		   fmt("verified: every signature, chain and authorization (%s %s)",
		       cnt_in(gb, sizeof(gb), (long long)r->entry_count),
		       accord_plural((long long)r->entry_count, "entry", "entries")));
	else
		kv(b, 1, "verification",
		   fmt("PARTIAL: %s", meta->verify_message ? meta->verify_message : ""));
}

/* Disputed windows beside the figure they are not part of: "3f2a… globex: 1 customer, ..., 1 customer-minute". */
static void kv_disputed(block *b, const accord_report *r)
{
	size_t i, j, n = 0;
	char nb[64], gb[48];

	for (i = 0; i < r->count; i++) {
		const accord_report_incident *ri = &r->incidents[i];

		for (j = 0; j < ri->disputed_count; j++) {
			const accord_impact *w = ri->disputed[j];
			char *start = time_text(w->start),
			     *end = w->has_end ? time_text(w->end) : xstrdup("ongoing");
			int64_t cs = 0, ce = 0;

			window_in_period(r, w, &cs, &ce);
			kv(b, 0, n++ ? "" : "disputed figures",
			   fmt("%.12s %s: %s customers, %s to %s, %s customer-minutes (%s)",
			       ri->incident->id, w->party ? w->party : "?",
			       cnt_in(gb, sizeof(gb), (long long)w->customers), start, end,
			       num1g_in(nb, sizeof(nb),
					(double)accord_sat_mul(w->customers, ce - cs) / 60.0),
			       w->state == ACCORD_FIGURE_ASIDE ? "not counted" : "counted"));
			free(start);
			free(end);
		}
	}
}

static void build_sections(rdoc *d, const accord_report *r)
{
	block *b;
	size_t i, j;
	char nb[64], gb[48], gb2[48];

	add_text(d, B_H2, xstrdup("Incidents"));
	b = add_table(d, B_KV, 2, 0);
	kv(b, 0, "in the period", cnt((long long)r->count));
	kv(b, 0, "resolved", cnt((long long)r->resolved));
	kv(b, 0, "closed", cnt((long long)r->closed));
	kv(b, 0, "still open", cnt((long long)r->open));
	if (r->voided || r->duplicates)
		kv(b, 0, "left out",
		   fmt("%zu void, %zu %s (agreed by every involved party)", r->voided,
		       r->duplicates,
		       accord_plural((long long)r->duplicates, "duplicate", "duplicates")));
	kv(b, 0, "by severity",
	   fmt("SEV1 %zu, SEV2 %zu, SEV3 %zu, SEV4 %zu", r->by_severity[1], r->by_severity[2],
	       r->by_severity[3], r->by_severity[4]));
	if (r->service_count && !r->across) {
		b = add_table(d, B_TABLE, 3, 6);
		row(b, 0, xstrdup("service"), xstrdup("incidents"), xstrdup("customer-minutes"));
		for (i = 0; i < r->service_count; i++)
			row(b, 0, xstrdup(r->services[i].name),
			    cnt((long long)r->services[i].count),
			    num1g((double)r->services[i].customer_seconds / 60.0));
	} else if (r->service_count) {
		b = add_table(d, B_TABLE, 4, 6);
		row(b, 0, xstrdup("service"), xstrdup("incidents"), xstrdup("customer-minutes"),
		    xstrdup("ledgers"));
		for (i = 0; i < r->service_count; i++)
			row(b, 0, xstrdup(r->services[i].name),
			    cnt((long long)r->services[i].count),
			    num1g((double)r->services[i].customer_seconds / 60.0),
			    ledgers_text(r, r->services[i].ledgers));
	}

	add_text(d, B_H2, xstrdup("Customer impact"));
	b = add_table(d, B_KV, 2, 0);
	kv(b, 0, "customers affected", cnt((long long)r->customers));
	kv(b, 0, "customer-minutes",
	   fmt("%s%s", accord_saturated(r->customer_seconds) ? "at least " : "",
	       num1g_in(nb, sizeof(nb), (double)r->customer_seconds / 60.0)));
	if (r->unconfirmed)
		kv(b, 0, "unconfirmed",
		   fmt("%zu %s counted on another party's windows: the customer-facing party recorded none",
		       r->unconfirmed,
		       accord_plural((long long)r->unconfirmed, "incident", "incidents")));
	kv_disputed(b, r);
	if (r->longest) {
		char *m = num1g((double)r->longest_s / 60.0);

		kv(b, 0, "longest impact",
		   fmt("%s %s (%.12s %s)", m, strcmp(m, "1") ? "minutes" : "minute",
		       r->longest->incident->id, r->longest->incident->title));
		free(m);
	} else {
		kv(b, 0, "longest impact", xstrdup("n/a"));
	}

	add_text(d, B_H2, xstrdup("Customer experience"));
	b = add_table(d, B_KV, 2, 0);
	kv(b, 0, "feedback responses", cnt((long long)r->feedback_count));
	{
		char *mean = mean_text(r->score_sum, r->feedback_count);
		char *csat = pct_text(r->csat_count, r->feedback_count);

		kv(b, 0, "mean score",
		   fmt("%s of 5 (%zu %s)", mean, r->feedback_count,
		       accord_plural((long long)r->feedback_count, "response", "responses")));
		kv(b, 0, "CSAT%",
		   fmt("%s (%zu of %zu %s scored 4-5)", csat, r->csat_count, r->feedback_count,
		       accord_plural((long long)r->feedback_count, "response", "responses")));
		free(mean);
		free(csat);
	}
	if (r->lost_count)
		kv(b, 0, "lost minutes",
		   fmt("sum %s, median %s (%zu %s)", cnt_in(gb, sizeof(gb), (long long)r->lost_sum),
		       cnt_in(gb2, sizeof(gb2), (long long)r->lost_median), r->lost_count,
		       accord_plural((long long)r->lost_count, "response", "responses")));
	else
		kv(b, 0, "lost minutes", xstrdup("sum 0, median n/a (0 responses)"));

	add_text(d, B_H2, xstrdup("SLA and watermelons"));
	b = add_table(d, B_KV, 2, 0);
	{
		char *met = pct_text(r->sla_met, r->sla_count);
		char *rate = pct_text(r->watermelons, r->sla_all_met);

		kv(b, 0, "SLA met",
		   fmt("%s (%zu of %zu %s)", met, r->sla_met, r->sla_count,
		       accord_plural((long long)r->sla_count, "measurement", "measurements")));
		kv(b, r->watermelons > 0, "watermelons",
		   fmt("%zu (rate %s of %zu %s with every SLA met; SLA met %s)", r->watermelons,
		       rate, r->sla_all_met,
		       accord_plural((long long)r->sla_all_met, "incident", "incidents"), met));
		free(met);
		free(rate);
	}
	/* the same questions from the clocks and the agreements: the provider table's figures, summed */
	if (r->provider_count) {
		size_t measured = 0, clocks_met = 0, melons = 0;
		char *met;

		for (i = 0; i < r->provider_count; i++) {
			measured += r->providers[i].clocks_measured;
			clocks_met += r->providers[i].clocks_met;
			melons += r->providers[i].watermelons;
		}
		met = pct_text(clocks_met, measured);
		kv(b, 0, "SLA met (computed clocks)",
		   fmt("%s (%zu of %zu %s decided against an agreement; see By provider)", met,
		       clocks_met, measured,
		       accord_plural((long long)measured, "clock", "clocks")));
		kv(b, melons > 0, "watermelons (agreements)",
		   fmt("%zu (a provider's every clock met, its agreement's experience target missed; see By provider)",
		       melons));
		free(met);
	}
	if (r->watermelons) {
		b = add_table(d, B_TABLE, r->across ? 8 : 7, 8 | 16 | 32);
		if (r->across)
			row(b, 0, xstrdup("incident"), xstrdup("title"), xstrdup("service"),
			    xstrdup("SLA met"), xstrdup("mean score"), xstrdup("responses"),
			    xstrdup("why (indicators)"), xstrdup("ledger"));
		else
			row(b, 0, xstrdup("incident"), xstrdup("title"), xstrdup("service"),
			    xstrdup("SLA met"), xstrdup("mean score"), xstrdup("responses"),
			    xstrdup("why (indicators)"));
		for (i = 0; i < r->count; i++) {
			const accord_report_incident *ri = &r->incidents[i];

			if (ri->watermelon && r->across)
				row(b, 1, short_id(ri->incident->id), xstrdup(ri->incident->title),
				    xstrdup(ri->incident->service),
				    fmt("%zu/%zu", ri->sla_met, ri->sla_count),
				    mean_text(ri->score_sum, ri->feedback_count),
				    cnt((long long)ri->feedback_count),
				    indicators_text(ri->incident),
				    xstrdup(r->ledgers[ri->ledger].name));
			else if (ri->watermelon)
				row(b, 1, short_id(ri->incident->id), xstrdup(ri->incident->title),
				    xstrdup(ri->incident->service),
				    fmt("%zu/%zu", ri->sla_met, ri->sla_count),
				    mean_text(ri->score_sum, ri->feedback_count),
				    cnt((long long)ri->feedback_count),
				    indicators_text(ri->incident));
		}
	}

	add_text(d, B_H2, xstrdup("Joint outcomes"));
	b = add_table(d, B_KV, 2, 0);
	{
		char *share = pct_text(r->resolved_joint, r->resolved_total);

		kv(b, 0, "joint resolutions",
		   fmt("%s of resolved incidents (%zu of %zu)", share, r->resolved_joint,
		       r->resolved_total));
		free(share);
	}
	if (r->joint_total) {
		char *m = dur_text(r->joint_median_s), *p = dur_text(r->joint_p90_s);

		kv(b, 0, "time to joint resolution",
		   fmt("median %s, p90 %s (n=%zu)", m, p, r->joint_total));
		free(m);
		free(p);
	} else {
		kv(b, 0, "time to joint resolution", xstrdup("n/a (n=0)"));
	}
	kv(b, 0, "revised before agreement",
	   fmt("%zu %s, %zu %s", r->revised,
	       accord_plural((long long)r->revised, "incident", "incidents"), r->revisions,
	       accord_plural((long long)r->revisions, "revision", "revisions")));
	kv(b, r->waiting_incidents > 0, "waiting for cosignature",
	   fmt("%zu %s", r->waiting_incidents,
	       accord_plural((long long)r->waiting_incidents, "incident", "incidents")));
	if (r->waiting_incidents) {
		b = add_table(d, B_TABLE, r->across ? 4 : 3, 0);
		if (r->across)
			row(b, 0, xstrdup("incident"), xstrdup("title"), xstrdup("waiting for"),
			    xstrdup("ledger"));
		else
			row(b, 0, xstrdup("incident"), xstrdup("title"), xstrdup("waiting for"));
		for (i = 0; i < r->count; i++) {
			const accord_report_incident *ri = &r->incidents[i];
			accord_buf w = ACCORD_BUF_INIT;

			if (!ri->waiting_count)
				continue;
			for (j = 0; j < ri->waiting_count; j++)
				accord_buf_printf(&w, "%s%s", j ? ", " : "", ri->waiting[j]);
			if (r->across)
				row(b, 0, short_id(ri->incident->id), xstrdup(ri->incident->title),
				    xstrdup(w.ptr), xstrdup(r->ledgers[ri->ledger].name));
			else
				row(b, 0, short_id(ri->incident->id), xstrdup(ri->incident->title),
				    xstrdup(w.ptr));
			accord_buf_dispose(&w);
		}
	}

	add_text(d, B_H2, xstrdup("Shared action items"));
	if (!r->across) {
		b = add_table(d, B_TABLE, 4, 2 | 4 | 8);
		row(b, 0, xstrdup("owner"), xstrdup("open"), xstrdup("done"), xstrdup("overdue"));
		for (i = 0; i < r->owner_count; i++)
			row(b, r->owners[i].overdue > 0, xstrdup(r->owners[i].name),
			    cnt((long long)r->owners[i].open), cnt((long long)r->owners[i].done),
			    cnt((long long)r->owners[i].overdue));
		row(b, r->joint_overdue > 0, xstrdup("jointly owned"),
		    cnt((long long)r->joint_open), cnt((long long)r->joint_done),
		    cnt((long long)r->joint_overdue));
		row(b, r->actions_overdue > 0, xstrdup("all items"),
		    cnt((long long)r->actions_open), cnt((long long)r->actions_done),
		    cnt((long long)r->actions_overdue));
	} else {
		/* a party's items add up across the ledgers it shares with us, which are named */
		b = add_table(d, B_TABLE, 5, 2 | 4 | 8);
		row(b, 0, xstrdup("owner"), xstrdup("open"), xstrdup("done"), xstrdup("overdue"),
		    xstrdup("ledgers"));
		for (i = 0; i < r->owner_count; i++)
			row(b, r->owners[i].overdue > 0, xstrdup(r->owners[i].name),
			    cnt((long long)r->owners[i].open), cnt((long long)r->owners[i].done),
			    cnt((long long)r->owners[i].overdue),
			    ledgers_text(r, r->owners[i].ledgers));
		row(b, r->joint_overdue > 0, xstrdup("jointly owned"),
		    cnt((long long)r->joint_open), cnt((long long)r->joint_done),
		    cnt((long long)r->joint_overdue), ledgers_text(r, r->joint_ledgers));
		row(b, r->actions_overdue > 0, xstrdup("all items"),
		    cnt((long long)r->actions_open), cnt((long long)r->actions_done),
		    cnt((long long)r->actions_overdue),
		    ledgers_text(r, r->joint_ledgers | all_owner_ledgers(r)));
	}
	if (r->actions_overdue) {
		b = add_table(d, B_TABLE, r->across ? 6 : 5, 2);
		if (r->across)
			row(b, 0, xstrdup("incident"), xstrdup("item"), xstrdup("action"),
			    xstrdup("owners"), xstrdup("due"), xstrdup("ledger"));
		else
			row(b, 0, xstrdup("incident"), xstrdup("item"), xstrdup("action"),
			    xstrdup("owners"), xstrdup("due"));
		for (i = 0; i < r->count; i++) {
			const accord_resolution *res = r->incidents[i].incident->resolution;

			for (j = 0; res && j < res->action_count; j++) {
				accord_buf o = ACCORD_BUF_INIT;
				const cJSON *p;

				if (!action_overdue(&res->actions[j], r->opts.now))
					continue;
				cJSON_ArrayForEach(p, res->actions[j].owners)
					accord_buf_printf(&o, "%s%s", o.size ? ", " : "",
							  p->valuestring);
				if (r->across)
					row(b, 1, short_id(r->incidents[i].incident->id),
					    cnt((long long)j + 1), xstrdup(res->actions[j].text),
					    xstrdup(o.ptr), xstrdup(res->actions[j].due),
					    xstrdup(r->ledgers[r->incidents[i].ledger].name));
				else
					row(b, 1, short_id(r->incidents[i].incident->id),
					    cnt((long long)j + 1), xstrdup(res->actions[j].text),
					    xstrdup(o.ptr), xstrdup(res->actions[j].due));
				accord_buf_dispose(&o);
			}
		}
	}

	if (r->actions_not_doing) {
		add_text(d, B_P, xstrdup("Not doing, and why:"));
		b = add_table(d, B_TABLE, 4, 2);
		row(b, 0, xstrdup("incident"), xstrdup("item"), xstrdup("action"),
		    xstrdup("why not"));
		for (i = 0; i < r->count; i++) {
			const accord_resolution *res = r->incidents[i].incident->resolution;

			for (j = 0; res && j < res->action_count; j++)
				if (res->actions[j].state == ACCORD_ACTION_NOT_DOING)
					row(b, 0, short_id(r->incidents[i].incident->id),
					    fmt("%zu", j + 1), xstrdup(res->actions[j].text),
					    xstrdup(res->actions[j].note));
		}
	}

	add_text(d, B_H2, xstrdup("Contributing factors"));
	if (r->factor_count) {
		b = add_table(d, B_TABLE, r->across ? 3 : 2, 2);
		if (r->across)
			row(b, 0, xstrdup("factor"), xstrdup("incidents"), xstrdup("ledgers"));
		else
			row(b, 0, xstrdup("factor"), xstrdup("incidents"));
		for (i = 0; i < r->factor_count && i < TOP_FACTORS; i++) {
			if (r->across)
				row(b, 0, xstrdup(r->factors[i].name),
				    cnt((long long)r->factors[i].count),
				    ledgers_text(r, r->factors[i].ledgers));
			else
				row(b, 0, xstrdup(r->factors[i].name),
				    cnt((long long)r->factors[i].count));
		}
	}
	add_text(
		d, B_P,
		fmt("%zu distinct %s across all parties' resolutions; none is attributed to a party.",
		    r->factor_count,
		    accord_plural((long long)r->factor_count, "factor", "factors")));
}

static void build_weeks(rdoc *d, const accord_report *r)
{
	block *b;
	size_t i;

	add_text(d, B_H2, xstrdup("By week"));
	b = add_table(d, B_TABLE, 5, 2 | 4 | 8 | 16);
	row(b, 0, xstrdup("week of"), xstrdup("incidents"), xstrdup("customer-minutes"),
	    xstrdup("SLA met"), xstrdup("CSAT%"));
	for (i = 0; i < r->week_count; i++) {
		const accord_report_week *w = &r->weeks[i];
		char *t;

		if (!w->incidents && !w->customer_seconds)
			continue;
		t = time_text(w->start);
		t[10] = '\0';
		row(b,
		    w->sla_count && w->sla_met == w->sla_count && w->feedback_count &&
			    w->csat_count * 2 < w->feedback_count,
		    t, cnt((long long)w->incidents), num1g((double)w->customer_seconds / 60.0),
		    pct_text(w->sla_met, w->sla_count), pct_text(w->csat_count, w->feedback_count));
	}
}

static void build_incidents(rdoc *d, const accord_report *r)
{
	block *b;
	size_t i;

	add_text(d, B_H2, xstrdup("Incidents in the period"));
	if (r->across) {
		/* the same columns, the incident's ledger first */
		b = add_table(d, B_TABLE, 10, 4 | 32 | 64 | 128);
		row(b, 0, xstrdup("ledger"), xstrdup("incident"), xstrdup("sev"),
		    xstrdup("service"), xstrdup("status"), xstrdup("cust-min"), xstrdup("CSAT%"),
		    xstrdup("SLA met"), xstrdup("resolution"), xstrdup("title"));
	} else {
		b = add_table(d, B_TABLE, 9, 2 | 16 | 32 | 64);
		row(b, 0, xstrdup("incident"), xstrdup("sev"), xstrdup("service"),
		    xstrdup("status"), xstrdup("cust-min"), xstrdup("CSAT%"), xstrdup("SLA met"),
		    xstrdup("resolution"), xstrdup("title"));
	}
	for (i = 0; i < r->count; i++) {
		const accord_report_incident *ri = &r->incidents[i];
		const accord_incident *inc = ri->incident;

		if (r->across)
			row(b, ri->watermelon, xstrdup(r->ledgers[ri->ledger].name),
			    short_id(inc->id), fmt("SEV%lld", (long long)inc->severity),
			    xstrdup(inc->service), xstrdup(inc->status),
			    num1g((double)ri->customer_seconds / 60.0),
			    pct_text(ri->csat_count, ri->feedback_count),
			    fmt("%zu/%zu", ri->sla_met, ri->sla_count),
			    ri->joint ? fmt("joint r%d", ri->revisions + 1)
				      : xstrdup(resolution_state(inc)),
			    fmt("%s%s%s%s", inc->title, ri->watermelon ? " (watermelon)" : "",
				ri->unconfirmed ? " (unconfirmed figure)" : "",
				ri->disputed_count ? " (disputed figure)" : ""));
		else
			row(b, ri->watermelon, short_id(inc->id),
			    fmt("SEV%lld", (long long)inc->severity), xstrdup(inc->service),
			    xstrdup(inc->status), num1g((double)ri->customer_seconds / 60.0),
			    pct_text(ri->csat_count, ri->feedback_count),
			    fmt("%zu/%zu", ri->sla_met, ri->sla_count),
			    ri->joint ? fmt("joint r%d", ri->revisions + 1)
				      : xstrdup(resolution_state(inc)),
			    fmt("%s%s%s%s", inc->title, ri->watermelon ? " (watermelon)" : "",
				ri->unconfirmed ? " (unconfirmed figure)" : "",
				ri->disputed_count ? " (disputed figure)" : ""));
	}
}

/* A figure's change from the previous period: "+2", "-20m", "+12.5 pts", "n/a". */
static char *change_count(long long now, long long before)
{
	char g[48];

	cnt_in(g, sizeof(g), now - before);
	return fmt("%s%s", now > before ? "+" : "", g);
}

static char *change_dur(size_t n_now, int64_t now, size_t n_before, int64_t before)
{
	char *d, *t;

	if (!n_now || !n_before)
		return xstrdup("n/a");
	d = dur_text(now - before);
	t = fmt("%s%s", now > before ? "+" : "", d);
	free(d);
	return t;
}

static char *change_pct(size_t a, size_t b, size_t pa, size_t pb)
{
	char d[64];
	double x, y;

	if (!b || !pb)
		return xstrdup("n/a");
	x = round_to(100.0 * (double)a / (double)b, 10);
	y = round_to(100.0 * (double)pa / (double)pb, 10);
	dec(d, sizeof(d), round_to(x - y, 10), 1);
	return fmt("%s%s pts", x > y ? "+" : "", d);
}

static char *clock_text(const accord_report_provider *pv, size_t k)
{
	char *m, *p, *t;

	if (!pv->clock_n[k])
		return xstrdup("n/a");
	m = dur_text(pv->clock_median_s[k]);
	p = dur_text(pv->clock_p90_s[k]);
	t = fmt("%s / %s (n=%zu)", m, p, pv->clock_n[k]);
	free(m);
	free(p);
	return t;
}

static char *of_text(size_t a, size_t b)
{
	char *pct = pct_text(a, b), *t;
	char ga[48], gb[48];

	t = fmt("%s (%s of %s)", pct, cnt_in(ga, sizeof(ga), (long long)a),
		cnt_in(gb, sizeof(gb), (long long)b));
	free(pct);
	return t;
}

/*
 * A table per provider party: each figure, the previous period's beside it
 * and the change (docs/metrics.md, "By provider").
 */
static void build_providers(rdoc *d, const accord_report *r)
{
	static const char *const clock_labels[ACCORD_CLOCKS] = {
		"time to acknowledge, median / p90", "time to mitigate, median / p90",
		"time to restore, median / p90"
	};
	accord_report_provider none;
	size_t i, k;
	int prev = r->previous != NULL;

	if (!r->provider_count)
		return;
	memset(&none, 0, sizeof(none));
	add_text(d, B_H2, xstrdup("By provider"));
	if (prev) {
		char *a = time_text(r->previous->opts.since),
		     *b = time_text(r->previous->opts.until);

		add_text(
			d, B_P,
			fmt("Clocks computed from the signed timeline, against the agreement in force at each "
			    "incident's start; beside each figure the previous period of the same length "
			    "(%s to %s) and the change.",
			    a, b));
		free(a);
		free(b);
	} else {
		add_text(
			d, B_P,
			xstrdup("Clocks computed from the signed timeline, against the agreement in force at "
				"each incident's start (give --since to compare with the previous period)."));
	}
	for (i = 0; i < r->provider_count; i++) {
		const accord_report_provider *pv = &r->providers[i],
					     *pp = provider_of(r->previous, pv->name);
		block *b;

		if (!pp)
			pp = &none;
		if (r->across) {
			char *l = ledgers_text(r, pv->ledgers);

			add_text(d, B_H3, fmt("%s (ledgers: %s)", pv->name, l));
			free(l);
		} else {
			add_text(d, B_H3, fmt("%s", pv->name));
		}
		b = add_table(d, B_TABLE, prev ? 4 : 2, prev ? 14 : 2);
		if (prev)
			row(b, 0, xstrdup("figure"), xstrdup("this period"), xstrdup("previous"),
			    xstrdup("change"));
		else
			row(b, 0, xstrdup("figure"), xstrdup("this period"));
#define PROW(alert, label, now, before, change)                             \
	do {                                                                \
		if (prev)                                                   \
			row(b, alert, xstrdup(label), now, before, change); \
		else                                                        \
			row(b, alert, xstrdup(label), now);                 \
	} while (0)
		PROW(0, "incidents", cnt((long long)pv->incidents),
		     prev ? cnt((long long)pp->incidents) : NULL,
		     prev ? change_count((long long)pv->incidents, (long long)pp->incidents)
			  : NULL);
		for (k = 0; k < ACCORD_CLOCKS; k++)
			PROW(0, clock_labels[k], clock_text(pv, k), prev ? clock_text(pp, k) : NULL,
			     prev ? change_dur(pv->clock_n[k], pv->clock_median_s[k],
					       pp->clock_n[k], pp->clock_median_s[k])
				  : NULL);
		PROW(0, "SLA met (computed clocks)", of_text(pv->clocks_met, pv->clocks_measured),
		     prev ? of_text(pp->clocks_met, pp->clocks_measured) : NULL,
		     prev ? change_pct(pv->clocks_met, pv->clocks_measured, pp->clocks_met,
				       pp->clocks_measured)
			  : NULL);
		PROW(0, "clocks disputed (counted apart)", cnt((long long)pv->clocks_disputed),
		     prev ? cnt((long long)pp->clocks_disputed) : NULL,
		     prev ? change_count((long long)pv->clocks_disputed,
					 (long long)pp->clocks_disputed)
			  : NULL);
		PROW(0, "CSAT%", of_text(pv->csat_count, pv->feedback_count),
		     prev ? of_text(pp->csat_count, pp->feedback_count) : NULL,
		     prev ? change_pct(pv->csat_count, pv->feedback_count, pp->csat_count,
				       pp->feedback_count)
			  : NULL);
		PROW(0, "lost minutes", cnt((long long)pv->lost_sum),
		     prev ? cnt((long long)pp->lost_sum) : NULL,
		     prev ? change_count((long long)pv->lost_sum, (long long)pp->lost_sum) : NULL);
		PROW(pv->watermelons > 0, "watermelons", cnt((long long)pv->watermelons),
		     prev ? cnt((long long)pp->watermelons) : NULL,
		     prev ? change_count((long long)pv->watermelons, (long long)pp->watermelons)
			  : NULL);
		PROW(0, "joint resolutions", of_text(pv->resolved_joint, pv->resolved),
		     prev ? of_text(pp->resolved_joint, pp->resolved) : NULL,
		     prev ? change_pct(pv->resolved_joint, pv->resolved, pp->resolved_joint,
				       pp->resolved)
			  : NULL);
		PROW(0, "action items open", cnt((long long)pv->actions_open),
		     prev ? cnt((long long)pp->actions_open) : NULL,
		     prev ? change_count((long long)pv->actions_open, (long long)pp->actions_open)
			  : NULL);
		PROW(pv->actions_overdue > 0, "action items overdue",
		     cnt((long long)pv->actions_overdue),
		     prev ? cnt((long long)pp->actions_overdue) : NULL,
		     prev ? change_count((long long)pv->actions_overdue,
					 (long long)pp->actions_overdue)
			  : NULL);
#undef PROW
		for (k = 0; k < pv->watermelon_list_count; k++) {
			const accord_incident *inc = pv->watermelon_list[k]->incident;
			char *why = indicators_text(inc);

			add_text(
				d, B_P,
				fmt("watermelon %.12s %s: every clock met, the experience target missed; why: %s",
				    inc->id, inc->title, why));
			free(why);
		}
	}
}

static void build_doc(rdoc *d, const accord_report *r, const accord_report_meta *meta, int charts)
{
	size_t i;

	build_meta(d, r, meta);
	/* first: what each provider's clocks and customers say, beside the previous period */
	build_providers(d, r);
	if (charts) {
		add_text(d, B_H2, xstrdup("Charts"));
		add_block(d, B_CHART)->chart = CHART_MINUTES;
		add_block(d, B_CHART)->chart = CHART_WATERMELON;
		add_block(d, B_CHART)->chart = CHART_JOINT;
	}
	build_sections(d, r);
	build_weeks(d, r);
	build_incidents(d, r);
	add_text(d, B_H2, xstrdup("How each figure is defined"));
	{
		block *b = add_table(d, B_DEFS, 2, 0);

		for (i = 0; i < NDEFS; i++)
			row(b, 0, xstrdup(definitions[i].label), xstrdup(definitions[i].text));
	}
}

/* ---- text ------------------------------------------------------------------ */

#define BOLD "\033[1m"
#define RED "\033[1;31m"
#define RESET "\033[0m"
#define TEXT_CELL_MAX 60

/* Width in code points (UTF-8 continuation bytes do not count). */
static size_t width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Put `s` cut to `max` code points (ending in "..." when cut), padded to `w`. */
static void put_cell(accord_buf *out, const char *s, size_t w, size_t max, int right)
{
	size_t n = width(s), i, shown = n > max ? max : n;
	const char *p = s;

	if (right)
		for (i = shown; i < w; i++)
			accord_buf_putc(out, ' ');
	if (n > max) {
		size_t cps = 0;

		while (*p && cps < max - 3) {
			p++;
			while (((unsigned char)*p & 0xc0) == 0x80)
				p++;
			cps++;
		}
		accord_buf_put(out, s, (size_t)(p - s));
		accord_buf_puts(out, "...");
	} else {
		accord_buf_puts(out, s);
	}
	if (!right)
		for (i = shown; i < w; i++)
			accord_buf_putc(out, ' ');
}

/* Word-wrap `s` at `cols` columns; the cursor is at `col`, continuation lines start at `indent`. */
static void put_wrapped(accord_buf *out, const char *s, size_t col, size_t indent, size_t cols)
{
	int first = 1;
	size_t i;

	for (;;) {
		const char *e;
		size_t w;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		for (e = s; *e && *e != ' '; e++)
			;
		w = (size_t)(e - s);
		if (!first && col + 1 + w > cols) {
			accord_buf_putc(out, '\n');
			for (i = 0; i < indent; i++)
				accord_buf_putc(out, ' ');
			col = indent;
		} else if (!first) {
			accord_buf_putc(out, ' ');
			col++;
		}
		accord_buf_put(out, s, w);
		col += w;
		first = 0;
		s = e;
	}
	accord_buf_putc(out, '\n');
}

static void render_text(accord_buf *out, const rdoc *d, int colour)
{
	size_t i, r, c, w[16];

	for (i = 0; i < d->n; i++) {
		const block *b = &d->b[i];

		switch (b->type) {
		case B_H1:
			accord_buf_printf(out, "%s%s%s\n", colour ? BOLD : "", b->text,
					  colour ? RESET : "");
			for (c = width(b->text); c > 0; c--)
				accord_buf_putc(out, '=');
			accord_buf_putc(out, '\n');
			break;
		case B_H2:
			accord_buf_printf(out, "\n%s%s%s\n", colour ? BOLD : "", b->text,
					  colour ? RESET : "");
			break;
		case B_H3:
			accord_buf_printf(out, "  %s%s%s\n", colour ? BOLD : "", b->text,
					  colour ? RESET : "");
			break;
		case B_P:
			accord_buf_puts(out, "  ");
			put_wrapped(out, b->text, 2, 2, 100);
			break;
		case B_WARN:
			accord_buf_printf(out, "\n%s!!! ", colour ? RED : "");
			put_wrapped(out, b->text, 4, 4, 100);
			if (colour)
				accord_buf_puts(out, RESET);
			accord_buf_putc(out, '\n');
			break;
		case B_KV:
		case B_DEFS:
			w[0] = 0;
			for (r = 0; r < b->rows; r++)
				if (width(b->cells[r * 2]) > w[0])
					w[0] = width(b->cells[r * 2]);
			for (r = 0; r < b->rows; r++) {
				int hot = colour && b->alert[r];

				accord_buf_printf(out, "  %s", hot ? RED : "");
				put_cell(out, b->cells[r * 2], w[0], SIZE_MAX, 0);
				accord_buf_puts(out, "  ");
				if (b->type == B_DEFS)
					put_wrapped(out, b->cells[r * 2 + 1], w[0] + 4, w[0] + 4,
						    100);
				else
					accord_buf_printf(out, "%s%s\n", b->cells[r * 2 + 1],
							  hot ? RESET : "");
			}
			break;
		case B_TABLE:
			for (c = 0; c < b->cols && c < 16; c++) {
				w[c] = 0;
				for (r = 0; r < b->rows; r++) {
					size_t cw = width(b->cells[r * b->cols + c]);

					if (cw > TEXT_CELL_MAX)
						cw = TEXT_CELL_MAX;
					if (cw > w[c])
						w[c] = cw;
				}
			}
			for (r = 0; r < b->rows; r++) {
				int hot = colour && b->alert[r];

				accord_buf_printf(out, "  %s%s", r == 0 && colour ? BOLD : "",
						  hot ? RED : "");
				for (c = 0; c < b->cols && c < 16; c++) {
					int last = c + 1 == b->cols;

					put_cell(out, b->cells[r * b->cols + c],
						 last && !(b->right >> c & 1) ? 0 : w[c],
						 TEXT_CELL_MAX, b->right >> c & 1);
					if (!last)
						accord_buf_puts(out, "  ");
				}
				accord_buf_printf(out, "%s\n",
						  (r == 0 && colour) || hot ? RESET : "");
				if (r == 0) {
					size_t total = 0;

					for (c = 0; c < b->cols && c < 16; c++)
						total += w[c] + (c ? 2 : 0);
					accord_buf_puts(out, "  ");
					while (total--)
						accord_buf_putc(out, '-');
					accord_buf_putc(out, '\n');
				}
			}
			break;
		}
	}
}

/* ---- Markdown ------------------------------------------------------------ */

static void md_escape(accord_buf *out, const char *s)
{
	for (; *s; s++) {
		if (strchr("\\`*_[]<>|#", *s))
			accord_buf_putc(out, '\\');
		accord_buf_putc(out, *s);
	}
}

static void render_md(accord_buf *out, const rdoc *d)
{
	size_t i, r, c;

	for (i = 0; i < d->n; i++) {
		const block *b = &d->b[i];

		switch (b->type) {
		case B_H1:
			accord_buf_puts(out, "# ");
			md_escape(out, b->text);
			accord_buf_puts(out, "\n\n");
			break;
		case B_H2:
		case B_H3:
			accord_buf_puts(out, b->type == B_H2 ? "\n## " : "\n### ");
			md_escape(out, b->text);
			accord_buf_puts(out, "\n\n");
			break;
		case B_P:
			md_escape(out, b->text);
			accord_buf_puts(out, "\n");
			break;
		case B_WARN:
			accord_buf_puts(out, "> **WARNING: ");
			md_escape(out, b->text);
			accord_buf_puts(out, "**\n\n");
			break;
		case B_KV:
		case B_DEFS:
			for (r = 0; r < b->rows; r++) {
				accord_buf_puts(out, b->alert[r] ? "- **" : "- ");
				md_escape(out, b->cells[r * 2]);
				accord_buf_puts(out, b->alert[r] ? ":** " : ": ");
				md_escape(out, b->cells[r * 2 + 1]);
				accord_buf_putc(out, '\n');
			}
			accord_buf_putc(out, '\n');
			break;
		case B_TABLE:
			for (r = 0; r < b->rows; r++) {
				accord_buf_puts(out, "|");
				for (c = 0; c < b->cols; c++) {
					accord_buf_puts(out, b->alert[r] ? " **" : " ");
					md_escape(out, b->cells[r * b->cols + c]);
					accord_buf_puts(out, b->alert[r] ? "** |" : " |");
				}
				accord_buf_putc(out, '\n');
				if (r == 0) {
					accord_buf_puts(out, "|");
					for (c = 0; c < b->cols; c++)
						accord_buf_puts(out, b->right >> c & 1 ? " ---: |"
										       : " --- |");
					accord_buf_putc(out, '\n');
				}
			}
			accord_buf_putc(out, '\n');
			break;
		}
	}
}

/* ---- HTML ------------------------------------------------------------------ */

static void html_escape(accord_buf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': accord_buf_puts(out, "&amp;"); break;
		case '<': accord_buf_puts(out, "&lt;"); break;
		case '>': accord_buf_puts(out, "&gt;"); break;
		case '"': accord_buf_puts(out, "&quot;"); break;
		case '\'': accord_buf_puts(out, "&#39;"); break;
		default: accord_buf_putc(out, *s);
		}
	}
}

/* 1, 2 or 5 times a power of ten, at least v (and at least 1). */
static double nice_max(double v)
{
	double p = 1;

	if (v <= 1)
		return 1;
	while (p * 10 < v)
		p *= 10;
	if (p >= v)
		return p;
	if (2 * p >= v)
		return 2 * p;
	if (5 * p >= v)
		return 5 * p;
	return 10 * p;
}

#define SVG_W 960
#define SVG_H 270
#define PL 70
#define PR 20
#define PT 40
#define PB 45
#define PW (SVG_W - PL - PR)
#define PH (SVG_H - PT - PB)

static void svg_open(accord_buf *out, const char *title, const char *label)
{
	accord_buf_printf(
		out,
		"<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
		SVG_W, SVG_H, SVG_W, SVG_H);
	html_escape(out, label);
	accord_buf_puts(out, "\"><title>");
	html_escape(out, label);
	accord_buf_printf(
		out, "</title><rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>",
		SVG_W, SVG_H);
	accord_buf_printf(
		out,
		"<text x=\"%d\" y=\"22\" font-size=\"16\" font-weight=\"bold\" fill=\"#1d2330\">",
		PL);
	html_escape(out, title);
	accord_buf_puts(out, "</text>");
}

/* Horizontal grid lines with labels from 0 to `max` (suffix: "%" or ""). */
static void svg_axes(accord_buf *out, double max, const char *suffix)
{
	int i;

	for (i = 0; i <= 4; i++) {
		double v = max * i / 4, y = PT + PH - (double)PH * i / 4;
		char d[64];

		dec(d, sizeof(d), v, 1);
		accord_buf_printf(
			out,
			"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>",
			PL, y, PL + PW, y, i ? "#e3e6ee" : "#556");
		accord_buf_printf(
			out,
			"<text x=\"%d\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\" fill=\"#445\">%s%s</text>",
			PL - 6, y + 4, d, suffix);
	}
}

/* Week labels under the bars: at most about twelve, evenly spread. */
static void svg_week_labels(accord_buf *out, const accord_report *r)
{
	size_t i, step = r->week_count / 12 + 1;
	double bw = (double)PW / (double)r->week_count;

	for (i = 0; i < r->week_count; i += step) {
		char t[ACCORD_TIME_LEN];

		accord_time_format(t, r->weeks[i].start);
		t[10] = '\0';
		accord_buf_printf(
			out,
			"<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" fill=\"#445\">%s</text>",
			PL + bw * ((double)i + 0.5), PT + PH + 18, t + 5);
	}
	accord_buf_printf(
		out,
		"<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#445\">week of (MM-DD, weeks start Monday UTC)</text>",
		PL, PT + PH + 38);
}

static void svg_empty(accord_buf *out, const char *what)
{
	accord_buf_printf(
		out,
		"<text x=\"%d\" y=\"%d\" font-size=\"14\" text-anchor=\"middle\" fill=\"#667\">%s</text>",
		PL + PW / 2, PT + PH / 2, what);
}

static void chart_minutes(accord_buf *out, const accord_report *r)
{
	double max = 0, bw;
	size_t i;

	svg_open(out, "Customer-minutes per week", "Bar chart: customer-minutes per week");
	for (i = 0; i < r->week_count; i++)
		if ((double)r->weeks[i].customer_seconds / 60.0 > max)
			max = (double)r->weeks[i].customer_seconds / 60.0;
	max = nice_max(max);
	svg_axes(out, max, "");
	if (!r->week_count) {
		svg_empty(out, "no incidents in the period");
	} else {
		bw = (double)PW / (double)r->week_count;
		for (i = 0; i < r->week_count; i++) {
			double v = (double)r->weeks[i].customer_seconds / 60.0,
			       h = (double)PH * v / max;
			char t[ACCORD_TIME_LEN], d[64];

			if (v <= 0)
				continue;
			accord_time_format(t, r->weeks[i].start);
			t[10] = '\0';
			dec(d, sizeof(d), round_to(v, 10), 1);
			accord_buf_printf(
				out,
				"<rect class=\"bar-minutes\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#3b6ea5\"><title>week of %s: %s customer-minutes</title></rect>",
				PL + bw * (double)i + bw * 0.1, PT + PH - h, bw * 0.8, h, t, d);
		}
		svg_week_labels(out, r);
	}
	accord_buf_puts(
		out,
		"</svg><figcaption>Customers affected times minutes of impact, per week, clipped to the period.</figcaption></figure>\n");
}

static void chart_watermelon(accord_buf *out, const accord_report *r)
{
	double bw;
	size_t i;

	svg_open(out, "SLA met % beside CSAT % per week (the watermelon chart)",
		 "Grouped bars per week: SLA met percent (green) beside CSAT percent (red)");
	svg_axes(out, 100, "%");
	accord_buf_printf(
		out,
		"<rect x=\"%d\" y=\"12\" width=\"12\" height=\"12\" fill=\"#2e8b57\"/><text x=\"%d\" y=\"22\" font-size=\"12\" fill=\"#1d2330\">SLA met %%</text>"
		"<rect x=\"%d\" y=\"12\" width=\"12\" height=\"12\" fill=\"#d9434e\"/><text x=\"%d\" y=\"22\" font-size=\"12\" fill=\"#1d2330\">CSAT %%</text>",
		SVG_W - 260, SVG_W - 242, SVG_W - 150, SVG_W - 132);
	if (!r->week_count) {
		svg_empty(out, "no incidents in the period");
	} else {
		bw = (double)PW / (double)r->week_count;
		for (i = 0; i < r->week_count; i++) {
			const accord_report_week *w = &r->weeks[i];
			char t[ACCORD_TIME_LEN];
			double x = PL + bw * (double)i + bw * 0.1, half = bw * 0.4;

			accord_time_format(t, w->start);
			t[10] = '\0';
			/* the computed clocks where an agreement decided any, else the typed measurements */
			if (w->clocks_measured || w->sla_count) {
				size_t n = w->clocks_measured ? w->clocks_measured : w->sla_count;
				size_t met = w->clocks_measured ? w->clocks_met : w->sla_met;
				double v = 100.0 * (double)met / (double)n, h = PH * v / 100;

				if (h < 2)
					h = 2;
				accord_buf_printf(
					out,
					"<rect class=\"bar-sla\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#2e8b57\"><title>week of %s: SLA met %.1f%% (%zu %s)</title></rect>",
					x, PT + PH - h, half, h, t, v, n,
					w->clocks_measured
						? accord_plural((long long)n, "computed clock",
								"computed clocks")
						: accord_plural((long long)n, "measurement",
								"measurements"));
			}
			if (w->feedback_count) {
				double v = 100.0 * (double)w->csat_count /
					   (double)w->feedback_count,
				       h = PH * v / 100;

				/* zero still gets a sliver, so "measured, 0%" differs from "no data" */
				if (h < 2)
					h = 2;
				accord_buf_printf(
					out,
					"<rect class=\"bar-csat\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#d9434e\"><title>week of %s: CSAT %.1f%% (%zu %s)</title></rect>",
					x + half, PT + PH - h, half, h, t, v, w->feedback_count,
					accord_plural((long long)w->feedback_count, "response",
						      "responses"));
			}
		}
		svg_week_labels(out, r);
	}
	accord_buf_puts(
		out,
		"</svg><figcaption>Green outside, red inside: a tall green bar beside a short red one is a week whose SLA figures hide unhappy customers.</figcaption></figure>\n");
}

static void chart_joint(accord_buf *out, const accord_report *r)
{
	static const struct {
		const char *label;
		int64_t upto; /* exclusive upper bound in seconds */
	} buckets[] = {
		{ "< 1h", 3600 },	 { "1-4h", 4 * 3600 }, { "4-24h", DAY },
		{ "1-3d", 3 * DAY },	 { "3-7d", 7 * DAY },  { "7-30d", 30 * DAY },
		{ ">= 30d", INT64_MAX },
	};
	size_t counts[7] = { 0 }, i, k, nb = 7;
	double max = 0, bw = (double)PW / 7;
	char caption[160];

	for (i = 0; i < r->count; i++) {
		if (!r->incidents[i].joint)
			continue;
		for (k = 0; k < nb && r->incidents[i].time_to_joint_s >= buckets[k].upto; k++)
			;
		counts[k < nb ? k : nb - 1]++;
	}
	for (k = 0; k < nb; k++)
		if ((double)counts[k] > max)
			max = (double)counts[k];
	/* whole incidents on every grid line */
	max = max <= 4 ? 4 : 4 * ceil(max / 4);
	svg_open(out, "Time from impact start to joint resolution",
		 "Histogram: incidents by time from impact start to joint resolution");
	svg_axes(out, max, "");
	for (k = 0; k < nb; k++) {
		double h = (double)PH * (double)counts[k] / max;

		if (counts[k])
			accord_buf_printf(
				out,
				"<rect class=\"bar-joint\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#7a5aa6\"><title>%s: %zu %s</title></rect>",
				PL + bw * (double)k + bw * 0.15, PT + PH - h, bw * 0.7, h,
				buckets[k].label, counts[k],
				accord_plural((long long)counts[k], "incident", "incidents"));
		accord_buf_printf(
			out,
			"<text x=\"%.1f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" fill=\"#445\">%s</text>",
			PL + bw * ((double)k + 0.5), PT + PH + 18, buckets[k].label);
	}
	if (r->joint_total) {
		char *m = dur_text(r->joint_median_s), *p = dur_text(r->joint_p90_s);

		snprintf(caption, sizeof(caption), "median %s, p90 %s (n=%zu, nearest rank)", m, p,
			 r->joint_total);
		free(m);
		free(p);
	} else {
		snprintf(caption, sizeof(caption), "no joint resolutions in the period (n=0)");
	}
	accord_buf_printf(out,
			  "<text x=\"%d\" y=\"%d\" font-size=\"13\" fill=\"#1d2330\">%s</text>", PL,
			  PT + PH + 38, caption);
	accord_buf_puts(
		out,
		"</svg><figcaption>Incidents with a joint resolution, by time from impact start to the last needed signature.</figcaption></figure>\n");
}

static const char html_style[] =
	"body{font:14px/1.45 \"DejaVu Sans\",\"Liberation Sans\",Arial,sans-serif;margin:2rem auto;max-width:1100px;color:#1d2330;padding:0 1rem}"
	"h1{font-size:1.6rem;border-bottom:3px solid #2e8b57;padding-bottom:.3rem}"
	"h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccd3e0}"
	"table{border-collapse:collapse;margin:.5rem 0}"
	"th,td{padding:.2rem .7rem;border-bottom:1px solid #e3e6ee;text-align:left;vertical-align:top}"
	"thead th{background:#f2f4f8}"
	".n{text-align:right;font-variant-numeric:tabular-nums}"
	"tr.alert td{color:#b00020;font-weight:bold}"
	"table.kv th{font-weight:bold;color:#445;min-width:13rem}"
	".warn{border:3px solid #b00020;background:#fde8ea;color:#7a0014;padding:1rem;font-weight:bold;font-size:1.1rem;margin:1rem 0}"
	"figure.chart{margin:1rem 0}figcaption{color:#556;font-size:.9rem}"
	"svg{max-width:100%;height:auto;border:1px solid #e3e6ee}"
	"dt{font-weight:bold;margin-top:.4rem}dd{margin:0 0 0 1.5rem}"
	"@page{size:A4;margin:14mm}"
	"@media print{body{margin:0;max-width:none;font-size:10pt}h2{break-after:avoid}"
	"figure.chart,table,tr{break-inside:avoid}.warn,thead th,svg rect{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

static void render_html(accord_buf *out, const rdoc *d, const accord_report *r)
{
	size_t i, row_i, c;

	accord_buf_puts(
		out,
		"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<link rel=\"icon\" href=\"data:,\">\n<title>accord report ");
	{
		char t[ACCORD_TIME_LEN];

		accord_time_format(t, r->opts.now);
		accord_buf_puts(out, t);
	}
	accord_buf_printf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n", html_style);
	for (i = 0; i < d->n; i++) {
		const block *b = &d->b[i];

		switch (b->type) {
		case B_H1:
			accord_buf_puts(out, "<h1>");
			html_escape(out, b->text);
			accord_buf_puts(out, "</h1>\n");
			break;
		case B_H2:
		case B_H3:
			accord_buf_puts(out, b->type == B_H2 ? "<h2>" : "<h3>");
			html_escape(out, b->text);
			accord_buf_puts(out, b->type == B_H2 ? "</h2>\n" : "</h3>\n");
			break;
		case B_P:
			accord_buf_puts(out, "<p>");
			html_escape(out, b->text);
			accord_buf_puts(out, "</p>\n");
			break;
		case B_WARN:
			accord_buf_puts(out, "<div class=\"warn\" role=\"alert\">");
			html_escape(out, b->text);
			accord_buf_puts(out, "</div>\n");
			break;
		case B_KV:
			accord_buf_puts(out, "<table class=\"kv\">\n");
			for (row_i = 0; row_i < b->rows; row_i++) {
				accord_buf_printf(out, "<tr%s><th>",
						  b->alert[row_i] ? " class=\"alert\"" : "");
				html_escape(out, b->cells[row_i * 2]);
				accord_buf_puts(out, "</th><td>");
				html_escape(out, b->cells[row_i * 2 + 1]);
				accord_buf_puts(out, "</td></tr>\n");
			}
			accord_buf_puts(out, "</table>\n");
			break;
		case B_DEFS:
			accord_buf_puts(out, "<dl>\n");
			for (row_i = 0; row_i < b->rows; row_i++) {
				accord_buf_puts(out, "<dt>");
				html_escape(out, b->cells[row_i * 2]);
				accord_buf_puts(out, "</dt><dd>");
				html_escape(out, b->cells[row_i * 2 + 1]);
				accord_buf_puts(out, "</dd>\n");
			}
			accord_buf_puts(out, "</dl>\n");
			break;
		case B_TABLE:
			accord_buf_puts(out, "<table>\n");
			for (row_i = 0; row_i < b->rows; row_i++) {
				const char *cell = row_i ? "td" : "th";

				if (row_i == 0)
					accord_buf_puts(out, "<thead>");
				if (row_i == 1)
					accord_buf_puts(out, "<tbody>");
				accord_buf_printf(out, "<tr%s>",
						  b->alert[row_i] ? " class=\"alert\"" : "");
				for (c = 0; c < b->cols; c++) {
					accord_buf_printf(out, "<%s%s>", cell,
							  b->right >> c & 1 ? " class=\"n\"" : "");
					html_escape(out, b->cells[row_i * b->cols + c]);
					accord_buf_printf(out, "</%s>", cell);
				}
				accord_buf_puts(out, "</tr>");
				if (row_i == 0)
					accord_buf_puts(out, "</thead>");
				accord_buf_putc(out, '\n');
			}
			accord_buf_puts(out, b->rows > 1 ? "</tbody></table>\n" : "</table>\n");
			break;
		case B_CHART:
			if (b->chart == CHART_MINUTES)
				chart_minutes(out, r);
			else if (b->chart == CHART_WATERMELON)
				chart_watermelon(out, r);
			else
				chart_joint(out, r);
			break;
		}
	}
	accord_buf_puts(out, "</body>\n</html>\n");
}

/* ---- CSV ------------------------------------------------------------------- */

/*
 * Whether a spreadsheet might run `s` as a formula. Spreadsheets fold many
 * characters to = + - @ | (fullwidth, small and mathematical forms) and skip
 * many before them (every kind of space, invisible format characters), and
 * the lists differ between them: so anything that does not start with an
 * ASCII letter, digit or a punctuation mark no formula starts with counts.
 */
static int csv_formula(const char *s)
{
	unsigned char c = (unsigned char)s[0];

	if (!c)
		return 0;
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return 0;
	return !strchr("([{\"'#.,/_!?*&%$~^:;<>", c) || c >= 0x80;
}

/*
 * RFC 4180 quoting. `text` fields come from the ledger: escaped as every
 * output is (accord_escape), and given a leading quote when a spreadsheet
 * would run them as a formula.
 */
static void csv_field(accord_buf *out, const char *s, int text, int last)
{
	char *esc = text ? accord_escape_dup(s, 0) : NULL;
	const char *v = esc ? esc : s;
	/* U+2028 and U+2029 end lines for some readers: quoted like a newline */
	int quote = strpbrk(v, ",\"\r\n") != NULL || strstr(v, "\xe2\x80\xa8") ||
		    strstr(v, "\xe2\x80\xa9") || (*v && (v[0] == ' ' || v[strlen(v) - 1] == ' '));

	if (quote)
		accord_buf_putc(out, '"');
	if (text && csv_formula(s))
		accord_buf_putc(out, '\'');
	for (; *v; v++) {
		if (*v == '"')
			accord_buf_putc(out, '"');
		accord_buf_putc(out, *v);
	}
	if (quote)
		accord_buf_putc(out, '"');
	accord_buf_puts(out, last ? "\r\n" : ",");
	free(esc);
}

static void csv_num(accord_buf *out, const char *s)
{
	csv_field(out, s, 0, 0);
}

/* One "key,value" row of the metadata CSV. */
static void csv_meta_row(accord_buf *out, const char *key, const char *value)
{
	csv_field(out, key, 0, 0);
	csv_field(out, value, 1, 1);
}

void accord_report_render_csv_meta(accord_buf *out, const accord_report *r,
				   const accord_report_meta *meta)
{
	char t[ACCORD_TIME_LEN], b[64];
	size_t i;

	csv_meta_row(out, "key", "value");
	csv_meta_row(out, "report", "accord report");
	accord_time_format(t, r->opts.now);
	csv_meta_row(out, "generated_at", t);
	if (!r->across)
		csv_meta_row(out, "ledger", r->ledger_id);
	for (i = 0; r->across && i < r->ledger_count; i++) {
		const accord_report_meta *lm =
			meta && i < meta->ledger_count ? &meta->ledgers[i] : NULL;
		char key[128];

		snprintf(key, sizeof(key), "ledger %s", r->ledgers[i].name);
		csv_meta_row(out, key, r->ledgers[i].id);
		snprintf(key, sizeof(key), "verification %s", r->ledgers[i].name);
		if (!lm || lm->verified) {
			snprintf(b, sizeof(b), "verified (%zu %s)", r->ledgers[i].entry_count,
				 accord_plural((long long)r->ledgers[i].entry_count, "entry",
					       "entries"));
			csv_meta_row(out, key, b);
		} else {
			csv_meta_row(out, key, "PARTIAL");
			snprintf(key, sizeof(key), "verification_message %s", r->ledgers[i].name);
			csv_meta_row(out, key, lm->verify_message ? lm->verify_message : "");
		}
	}
	csv_meta_row(out, "generated_by", meta && meta->key_id ? meta->key_id : "none");
	if (r->opts.has_since)
		accord_time_format(t, r->opts.since);
	csv_meta_row(out, "since", r->opts.has_since ? t : "");
	accord_time_format(t, r->opts.has_until ? r->opts.until : r->opts.now);
	csv_meta_row(out, "until", t);
	csv_meta_row(out, "service", r->opts.service ? r->opts.service : "");
	csv_meta_row(out, "party", r->opts.party ? r->opts.party : "");
	if (!meta || meta->verified) {
		snprintf(b, sizeof(b), "verified (%zu %s)", r->entry_count,
			 accord_plural((long long)r->entry_count, "entry", "entries"));
		csv_meta_row(out, "verification", b);
	} else {
		csv_meta_row(out, "verification", "PARTIAL");
		csv_meta_row(out, "verification_message",
			     meta->verify_message ? meta->verify_message : "");
		csv_meta_row(
			out, "warning",
			"entries that do not count were left out (accord audit explains them)");
	}
	for (i = 0; i < NDEFS; i++) {
		char key[128];

		snprintf(key, sizeof(key), "definition %s", definitions[i].key);
		csv_meta_row(out, key, definitions[i].text);
	}
}

/*
 * One table, nothing else: a header row and one row per incident, so a
 * spreadsheet imports it cleanly. What the rows do not say is in
 * accord_report_render_csv_meta; the last column says whether every
 * entry counted, so a row computed without some can never pass for one
 * computed with all.
 */
static void render_csv(accord_buf *out, const accord_report *r, const accord_report_meta *meta)
{
	static const char *const cols[] = {
		"id",
		"title",
		"service",
		"severity",
		"status",
		"started_at",
		"parties",
		"impact_windows",
		"customers",
		"customer_minutes",
		"longest_minutes",
		"responses",
		"mean_score",
		"csat_pct",
		"lost_minutes",
		"sla_measurements",
		"sla_met",
		"watermelon",
		"resolution",
		"joint_at",
		"time_to_joint_s",
		"revisions",
		"waiting_for",
		"actions_open",
		"actions_done",
		"actions_overdue",
		"acknowledge",
		"mitigate",
		"restore",
		"verified",
	};
	size_t i, j, n = sizeof(cols) / sizeof(*cols);
	char t[ACCORD_TIME_LEN], b[64];
	const char *verified = !meta || meta->verified ? "yes" : "PARTIAL (entries left out)";

	if (r->across)
		csv_field(out, "ledger", 0, 0);
	for (i = 0; i < n; i++)
		csv_field(out, cols[i], 0, i + 1 == n);
	for (i = 0; i < r->count; i++) {
		const accord_report_incident *ri = &r->incidents[i];
		const accord_incident *inc = ri->incident;
		accord_buf list = ACCORD_BUF_INIT;
		char *s;

		/* across ledgers a row is as verified as its own ledger */
		if (r->across) {
			const accord_report_meta *lm = meta && ri->ledger < meta->ledger_count
							       ? &meta->ledgers[ri->ledger]
							       : NULL;

			csv_field(out, r->ledgers[ri->ledger].name, 1, 0);
			verified = !lm || lm->verified ? "yes" : "PARTIAL (entries left out)";
		}
		csv_field(out, inc->id, 0, 0);
		csv_field(out, inc->title, 1, 0);
		csv_field(out, inc->service, 1, 0);
		snprintf(b, sizeof(b), "%lld", (long long)inc->severity);
		csv_num(out, b);
		csv_field(out, inc->status, 0, 0);
		accord_time_format(t, inc->started_at);
		csv_num(out, t);
		for (j = 0; j < inc->party_count; j++)
			accord_buf_printf(&list, "%s%s", j ? ";" : "", inc->parties[j]);
		csv_field(out, list.ptr ? list.ptr : "", 1, 0);
		accord_buf_clear(&list);
		snprintf(b, sizeof(b), "%zu", ri->windows);
		csv_num(out, b);
		snprintf(b, sizeof(b), "%lld", (long long)ri->customers);
		csv_num(out, b);
		s = num1((double)ri->customer_seconds / 60.0);
		csv_num(out, s);
		free(s);
		s = num1((double)ri->longest_s / 60.0);
		csv_num(out, s);
		free(s);
		snprintf(b, sizeof(b), "%zu", ri->feedback_count);
		csv_num(out, b);
		s = ri->feedback_count ? mean_text(ri->score_sum, ri->feedback_count) : xstrdup("");
		csv_num(out, s);
		free(s);
		if (ri->feedback_count)
			dec(b, sizeof(b),
			    round_to(100.0 * (double)ri->csat_count / (double)ri->feedback_count,
				     10),
			    1);
		else
			b[0] = '\0';
		csv_num(out, b);
		snprintf(b, sizeof(b), "%lld", (long long)ri->lost_sum);
		csv_num(out, b);
		snprintf(b, sizeof(b), "%zu", ri->sla_count);
		csv_num(out, b);
		snprintf(b, sizeof(b), "%zu", ri->sla_met);
		csv_num(out, b);
		csv_num(out, ri->watermelon ? "yes" : "no");
		csv_num(out, resolution_state(inc));
		if (ri->joint) {
			accord_time_format(t, inc->resolution->joint_at);
			csv_num(out, t);
			snprintf(b, sizeof(b), "%lld", (long long)ri->time_to_joint_s);
			csv_num(out, b);
			snprintf(b, sizeof(b), "%d", ri->revisions);
			csv_num(out, b);
		} else {
			csv_num(out, "");
			csv_num(out, "");
			csv_num(out, "");
		}
		for (j = 0; j < ri->waiting_count; j++)
			accord_buf_printf(&list, "%s%s", j ? ";" : "", ri->waiting[j]);
		csv_field(out, list.ptr ? list.ptr : "", 1, 0);
		accord_buf_dispose(&list);
		snprintf(b, sizeof(b), "%zu", ri->actions_open);
		csv_num(out, b);
		snprintf(b, sizeof(b), "%zu", ri->actions_done);
		csv_num(out, b);
		snprintf(b, sizeof(b), "%zu", ri->actions_overdue);
		csv_num(out, b);
		/* each clock: party:verdict:seconds per provider (party names start with a letter or digit) */
		for (j = 0; j < ACCORD_CLOCKS; j++) {
			accord_buf cell = ACCORD_BUF_INIT;

			accord_clocks_brief_text(&cell, ri->clocks, j);
			csv_field(out, cell.ptr ? cell.ptr : "", 1, 0);
			accord_buf_dispose(&cell);
		}
		csv_field(out, verified, 0, 1);
	}
}

/* ---- entry points -------------------------------------------------------- */

int accord_report_format_parse(accord_report_format *out, const char *name)
{
	static const struct {
		const char *name;
		accord_report_format f;
	} names[] = {
		{ "text", ACCORD_REPORT_TEXT }, { "md", ACCORD_REPORT_MD },
		{ "csv", ACCORD_REPORT_CSV },	{ "json", ACCORD_REPORT_JSON },
		{ "html", ACCORD_REPORT_HTML },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++) {
		if (!strcmp(name, names[i].name)) {
			*out = names[i].f;
			return 0;
		}
	}
	return accord_error_set(ACCORD_EINVALID, "unknown format '%s' (text, json, csv, md, html)",
				name);
}

int accord_report_render(accord_buf *out, const accord_report *r, const accord_report_meta *meta,
			 accord_report_format format, int colour)
{
	rdoc d = { 0 };

	switch (format) {
	case ACCORD_REPORT_JSON: {
		cJSON *doc = accord_report_to_json(r, meta);
		char *text = cJSON_Print(doc);

		cJSON_Delete(doc);
		if (!text)
			return accord_error_set(ACCORD_ENOMEM, "out of memory printing the report");
		accord_escape_json(out, text);
		accord_buf_putc(out, '\n');
		cJSON_free(text);
		return 0;
	}
	case ACCORD_REPORT_CSV: render_csv(out, r, meta); return 0;
	case ACCORD_REPORT_TEXT:
	case ACCORD_REPORT_MD:
	case ACCORD_REPORT_HTML:
		build_doc(&d, r, meta, format == ACCORD_REPORT_HTML);
		if (format == ACCORD_REPORT_TEXT)
			render_text(out, &d, colour);
		else if (format == ACCORD_REPORT_MD)
			render_md(out, &d);
		else
			render_html(out, &d, r);
		rdoc_free(&d);
		return 0;
	}
	return accord_error_set(ACCORD_EINVALID, "unknown report format %d", (int)format);
}
