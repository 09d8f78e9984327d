/*
 * Reports on joint outcomes and customer impact: computing the figures
 * (the period, the aggregates over the measured incidents, the weekly
 * series, parties shown apart across ledgers) and the public entry
 * points. Measuring each incident, the provider table and each format
 * have files of their own (report_impl.h lists them). docs/metrics.md
 * defines each figure; the same definitions travel inside every report.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/error.h"
#include "escape.h"
#include "accord/idmap.h"
#include "accord/report.h"

#include "array.h"
#include "ledger_impl.h"
#include "report_impl.h"
#include "alloc.h"

#define MAX_WEEKS 156 /* three years of weekly bars; older weeks are left off the charts */

/* The definitions every format carries (docs/metrics.md says the same at more length). */
const accord_report_definition accord_report_definitions[] = {
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
	  "the time other parties' joint windows cover; when that party recorded none, the other parties' windows count "
	  "so, marked unconfirmed. Overlapping windows of different parties, none joint, are disputed: "
	  "listed beside the figure, not added. A duplicate counts only while the incident it names counts." },
	{ "excluded", "void and duplicate",
	  "An incident that every involved party agreed is void, or a duplicate of another, is left "
	  "out of every figure and counted apart. Its impact does not leave with it: the incident it "
	  "duplicates counts the windows of whichever of the two holds more customer-minutes "
	  "(customer_minutes_from)." },
	{ "longest_impact", "longest impact",
	  "The longest single impact window, in minutes within the period." },
	{ "feedback", "feedback",
	  "Responses recorded for incidents in the period by each incident's customer-facing party; a "
	  "response recorded again under its response id counts once. Mean score on the 1-5 scale." },
	{ "csat", "CSAT%", "Responses scored 4 or 5, divided by all responses, x 100." },
	{ "lost_minutes", "lost minutes",
	  "Minutes of productive time customers reported losing: sum and median over the responses that "
	  "gave a figure (their count is shown)." },
	/* the rules report_measure.c applies (typed_met, verdicts), not an older reading: explore60b 05 */
	{ "sla", "SLA met %",
	  "The typed SLA measurements (accord sla) of the incidents in the period, every party's. A "
	  "measurement is met when actual <= target, unless the computed clock it names disagrees "
	  "with it (show marks it): then it counts as that clock decided it. Met % = met / "
	  "measurements x 100. Incidents with every SLA met are those green outside (see "
	  "watermelon); SLA met (computed clocks) is the provider table's (see by provider)." },
	{ "watermelon", "watermelon",
	  "An incident green outside while its customers were unhappy: mean feedback score <= 2 (at "
	  "least one response). Green outside: every SLA verdict it has (at least one) was met. Its "
	  "verdicts are its computed clocks decided against the terms in force (stopped, or missed "
	  "already; a clock counted apart is neither), over every provider; only an incident without "
	  "such a clock falls back to its typed SLA measurements, the customer-facing party's (every "
	  "party's when it typed none). Rate = watermelons / incidents green outside x 100, shown "
	  "beside SLA met %." },
	{ "joint_share", "joint resolutions",
	  "Resolved incidents (status resolved or closed) whose current resolution is signed by every "
	  "involved party, divided by resolved incidents, x 100." },
	{ "time_to_joint", "time to joint resolution",
	  "Per incident with a joint resolution: from impact start (as the clocks read it) to the "
	  "signature that made the "
	  "resolution joint. Median and p90 by nearest rank, with the count." },
	{ "revisions", "revised before agreement",
	  "Joint resolutions agreed on a revision rather than the first proposal, and the proposals "
	  "revised before agreement (proposals - 1, summed)." },
	{ "waiting", "waiting for cosignature",
	  "Incidents whose current proposal still lacks the signature of an involved party, and which "
	  "parties." },
	{ "actions", "action items",
	  "Items of each incident's current resolution (while it is not joint, of the last one every "
	  "involved party signed): done, open, and overdue (open after its due day has ended, UTC); an "
	  "item closed without doing it is neither, listed with its reason. By owning party when one "
	  "party owns the item; jointly owned when several do." },
	{ "factors", "contributing factors",
	  "Factors of each incident's current resolution, counted once per incident, compared ignoring "
	  "case, surrounding spaces and runs of inner spaces; the 20 most frequent first. Never "
	  "attributed to a party." },
	{ "percentile", "percentiles",
	  "Nearest rank: the p-th percentile of n sorted values is the value at rank ceil(p/100 x n); "
	  "the median is p50." },
	{ "weeks", "weeks",
	  "Weeks start on Monday 00:00 UTC, from the week of the period start (or of the earliest "
	  "incident in it) to that of the period end or now, whichever is earlier; at most the last 156. "
	  "Customer-minutes are split across the weeks they fall in; SLA met %, clocks met % (the "
	  "computed clocks decided against an agreement, as by provider) and CSAT% are over the "
	  "incidents charted in the week of their impact start (or of the period start, if earlier). "
	  "The HTML chart's SLA bar is the clocks met % where an agreement decided any clock that "
	  "week, else the typed measurements' SLA met %." },
	{ "rounding", "rounding",
	  "Percentages and minutes are rounded to one decimal, mean scores to two. Text, Markdown and HTML "
	  "group thousands (1,500); JSON and CSV never do." },
	{ "clocks", "clocks",
	  "Per provider party (every involved party but the customer-facing one), computed from the signed "
	  "timeline, never typed: time to acknowledge (its involvement to its first entry that knew of "
	  "it), to mitigate and to restore (impact start, as the clocks read it, to the first status "
	  "mitigated or resolved, or a later one, that stood), never before the terms took effect, in "
	  "the business hours of the agreement in force at the incident's start, less pauses (status "
	  "waiting on another party; one that stops its setter's own clock counts once co-signed). "
	  "Verdict: met, missed (past the target, stopped or not), running, or disputed (counted "
	  "apart: neither met nor missed)." },
	{ "by_provider", "by provider",
	  "Over the incidents of the period that involve the provider (those no independent customer "
	  "vouches for, its customer one it brought in or silent, in a row of their own): median and "
	  "p90 of each stopped clock; SLA met = clocks met / clocks decided against a target (stopped, "
	  "or past it already; disputed ones counted apart); "
	  "CSAT% and lost minutes of those incidents' responses; watermelons = incidents with all three "
	  "clocks met and the agreement's experience target missed (CSAT% below its target, or lost "
	  "minutes above it; without targets, mean score <= 2); joint resolutions among resolved "
	  "incidents; its open and overdue action items. Beside each, the previous period of the same "
	  "length (with --since) and the change." },
};
const size_t accord_report_definition_count =
	sizeof(accord_report_definitions) / sizeof(accord_report_definitions[0]);

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
		accord_oom();
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
				if (accord_report_window_in_period(r, &inc->impact[j], &cs, &ce) &&
				    cs < lo)
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
		accord_oom();
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
 * Incident `ri`'s computed clocks decided against an agreement (stopped,
 * or missed already), over every provider, into a week; a disputed clock
 * is neither met nor missed (as in provider_add, report_providers.c).
 */
static void week_add_clocks(accord_report_week *w, const accord_report_incident *ri)
{
	size_t i, k;

	for (i = 0; ri->clocks && i < ri->clocks->party_count; i++)
		for (k = 0; k < ACCORD_CLOCKS; k++) {
			const accord_clock *ck = &ri->clocks->parties[i].clocks[k];

			if (ck->apart || !ck->state ||
			    !(ck->stopped || !strcmp(ck->state, "missed")))
				continue;
			w->clocks_measured++;
			w->clocks_met += !strcmp(ck->state, "met");
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

const char *accord_report_party_as(const accord_report *r, size_t ledger, const char *name)
{
	const report_impl *impl = (const report_impl *)r;
	size_t i;

	for (i = 0; name && i < impl->apart_count; i++)
		if (impl->apart[i].ledger == ledger && !strcmp(impl->apart[i].name, name))
			return impl->apart[i].shown;
	return name;
}

/* Which parties of which ledgers are shown apart (accord_report_party_as). */
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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every party of the ledgers read, sorted, once each. Caller frees the array. */
void accord_report_party_names(const char ***out, size_t *count, const accord_report *r)
{
	const char **names = NULL;
	size_t n = 0, i, j, k = 0;

	for (i = 0; i < r->ledger_count; i++)
		for (j = 0; j < r->ledgers[i].party_count; j++)
			ACCORD_PUSH(names, n,
				    accord_report_party_as(r, i, r->ledgers[i].parties[j]));
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++)
		if (!k || strcmp(names[k - 1], names[i]) != 0)
			names[k++] = names[i];
	*out = names;
	*count = k;
}

/* What aggregate() fills, incident by incident, before it sorts and hands it over. */
typedef struct {
	tally_set services, waiting, owners, factors;
	int64_t *lost, *joint;
	size_t nlost, njoint;
	char ***owned_keys; /* factor keys, freed with the report */
	size_t *owned_count;
} aggregation;

/* By status, severity and service; the customer impact, and its weeks. */
static void add_impact(accord_report *r, aggregation *ag, const accord_report_incident *ri)
{
	const accord_incident *inc = ri->incident;
	accord_report_tally *t;
	size_t j;

	if (!strcmp(inc->status, "resolved"))
		r->resolved++;
	else if (!strcmp(inc->status, "closed"))
		r->closed++;
	else
		r->open++;
	if (inc->severity >= 1 && inc->severity <= 4)
		r->by_severity[inc->severity]++;
	t = tally_get(&ag->services, inc->service, inc->service);
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

		if (accord_report_window_in_period(r, &inc->impact[j], &cs, &ce))
			weeks_add_window(r, inc->impact[j].customers, cs, ce);
	}
}

/* Feedback, SLA measurements and watermelons, and the week the incident is charted in. */
static void add_experience(accord_report *r, aggregation *ag, const accord_report_incident *ri)
{
	const accord_incident *inc = ri->incident;
	accord_report_week *w;
	size_t j;

	r->feedback_count += ri->feedback_count;
	r->csat_count += ri->csat_count;
	r->score_sum = accord_sat_add(r->score_sum, ri->score_sum);
	r->lost_count += ri->lost_count;
	r->lost_sum = accord_sat_add(r->lost_sum, ri->lost_sum);
	for (j = 0; j < inc->feedback_count; j++)
		if (inc->feedback[j].lost_minutes >= 0)
			ACCORD_PUSH(ag->lost, ag->nlost, inc->feedback[j].lost_minutes);

	r->sla_count += ri->sla_count;
	r->sla_met += ri->sla_met;
	r->sla_incidents += ri->sla_count > 0;
	r->sla_all_met += ri->green;
	r->watermelons += ri->watermelon;
	if ((w = week_of(r, ri->week))) {
		w->incidents++;
		w->sla_count += ri->sla_count;
		w->sla_met += ri->sla_met;
		week_add_clocks(w, ri);
		w->feedback_count += ri->feedback_count;
		w->csat_count += ri->csat_count;
	}
}

/* Joint resolutions, their time and revisions, and who has yet to sign. */
static void add_joint(accord_report *r, aggregation *ag, const accord_report_incident *ri)
{
	accord_report_tally *t;
	size_t j;

	if (ri->resolved) {
		r->resolved_total++;
		r->resolved_joint += ri->joint;
	}
	if (ri->joint) {
		r->joint_total++;
		ACCORD_PUSH(ag->joint, ag->njoint, ri->time_to_joint_s);
		if (ri->revisions > 0) {
			r->revised++;
			r->revisions += (size_t)ri->revisions;
		}
	}
	if (ri->waiting_count) {
		r->waiting_incidents++;
		for (j = 0; j < ri->waiting_count; j++) {
			const char *shown = accord_report_party_as(r, ri->ledger, ri->waiting[j]);

			t = tally_get(&ag->waiting, shown, shown);
			t->count++;
			t->ledgers |= UINT64_C(1) << ri->ledger;
		}
	}
}

/* The current resolution's action items: by owning party, or jointly owned. */
static void add_actions(accord_report *r, aggregation *ag, const accord_report_incident *ri)
{
	const accord_resolution *res = accord_incident_actions(ri->incident);
	accord_report_tally *t;
	size_t j;

	for (j = 0; j < res->action_count; j++) {
		const accord_action *a = &res->actions[j];
		int overdue = action_overdue(a, r->opts.now);
		size_t *open_c, *done_c, *over_c;

		if (cJSON_GetArraySize(a->owners) == 1 && cJSON_IsString(a->owners->child)) {
			const char *p = accord_report_party_as(r, ri->ledger,
							       a->owners->child->valuestring);

			t = tally_get(&ag->owners, p, p);
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
}

/* The current resolution's contributing factors, each counted once per incident. */
static void add_factors(aggregation *ag, const accord_report_incident *ri)
{
	const accord_resolution *res = accord_incident_actions(ri->incident);
	const cJSON *f;
	accord_idmap seen = ACCORD_IDMAP_INIT;
	accord_report_tally *t;

	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(res->entry->body, "factors")) {
		char *key;

		if (!cJSON_IsString(f))
			continue;
		key = factor_key(f->valuestring);
		if (accord_idmap_get(&seen, key)) {
			free(key);
			continue;
		}
		ACCORD_PUSH(*ag->owned_keys, *ag->owned_count, key);
		accord_idmap_put(&seen, key, (void *)1);
		t = tally_get(&ag->factors, key, f->valuestring);
		t->count++;
		t->ledgers |= UINT64_C(1) << ri->ledger;
	}
	accord_idmap_dispose(&seen);
}

/* Every figure of the report over its measured incidents, and the weekly series. */
static void aggregate(accord_report *r, char ***owned_keys, size_t *owned_count)
{
	aggregation ag = { 0 };
	size_t i;

	ag.owned_keys = owned_keys;
	ag.owned_count = owned_count;
	weeks_init(r);
	for (i = 0; i < r->count; i++) {
		const accord_report_incident *ri = &r->incidents[i];

		add_impact(r, &ag, ri);
		r->brought_in += ri->by_provider != 0;
		add_experience(r, &ag, ri);
		add_joint(r, &ag, ri);
		if (ri->incident->resolution) {
			add_actions(r, &ag, ri);
			add_factors(&ag, ri);
		}
	}
	r->lost_median = accord_report_percentile(ag.lost, ag.nlost, 50);
	r->joint_median_s = accord_report_percentile(ag.joint, ag.njoint, 50);
	r->joint_p90_s = accord_report_percentile(ag.joint, ag.njoint, 90);
	free(ag.lost);
	free(ag.joint);
	tally_take(&r->services, &r->service_count, &ag.services, cmp_service);
	tally_take(&r->waiting, &r->waiting_party_count, &ag.waiting, cmp_name);
	tally_take(&r->owners, &r->owner_count, &ag.owners, cmp_name);
	tally_take(&r->factors, &r->factor_count, &ag.factors, cmp_factor);
}

static int compute(accord_report **out, const accord_report_source *sources, size_t count,
		   const accord_report_options *opts, int with_previous);

int accord_report_compute_many(accord_report **out, const accord_report_source *sources,
			       size_t count, const accord_report_options *opts)
{
	if (opts->version != ACCORD_REPORT_OPTIONS_VERSION)
		return accord_error_set(ACCORD_EINVALID,
					"accord_report_options version %u (want %u)", opts->version,
					ACCORD_REPORT_OPTIONS_VERSION);
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
	impl = accord_xcalloc(1, sizeof(*impl));
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
		accord_oom();
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
		error = accord_report_measure_ledger(r, sources[i].ledger, i);
	}
	if (error < 0) {
		accord_report_free(r);
		return error;
	}
	if (r->across)
		find_apart(impl, sources, count);
	aggregate(r, &impl->keys, &impl->key_count);
	accord_report_aggregate_providers(r);
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
		free(r->incidents[i].brought_in);
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
	case ACCORD_REPORT_CSV: accord_report_render_csv(out, r, meta); return 0;
	case ACCORD_REPORT_TEXT:
	case ACCORD_REPORT_MD:
	case ACCORD_REPORT_HTML:
		accord_report_build_doc(&d, r, meta, format == ACCORD_REPORT_HTML);
		if (format == ACCORD_REPORT_TEXT)
			accord_report_render_text(out, &d, colour);
		else if (format == ACCORD_REPORT_MD)
			accord_report_render_md(out, &d);
		else
			accord_report_render_html(out, &d, r);
		accord_report_doc_free(&d);
		return 0;
	}
	return accord_error_set(ACCORD_EINVALID, "unknown report format %d", (int)format);
}
