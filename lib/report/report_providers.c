/*
 * The table per provider party (docs/metrics.md, "By provider"): over the
 * incidents of the period that involve it, its computed clocks, the SLA met
 * from them against the agreements in force, its customers' experience,
 * watermelons, joint resolutions and its action items.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accord/report.h"

#include "array.h"
#include "report_impl.h"
#include "alloc.h"

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
	const accord_resolution *items = accord_incident_actions(inc);
	size_t k, met = 0, missed = 0, i;

	pv->incidents++;
	pv->ledgers |= UINT64_C(1) << ri->ledger;
	for (k = 0; k < ACCORD_CLOCKS; k++) {
		const accord_clock *ck = &pc->clocks[k];

		/* a disputed time: neither met nor missed, and no value a median may take as agreed */
		if (ck->apart) {
			pv->clocks_disputed++;
			continue;
		}
		if (ck->stopped) {
			int64_t *nv = realloc(vals[k], (pv->clock_n[k] + 1) * sizeof(*nv));

			if (!nv)
				accord_oom();
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
	for (i = 0; items && i < items->action_count; i++) {
		const accord_action *a = &items->actions[i];

		if (!owned_by(a, pc->party) || a->done)
			continue;
		pv->actions_open++;
		pv->actions_overdue += action_overdue(a, r->opts.now);
	}
}

/* By name, each provider's own row before the row of the customers it brought in. */
static int cmp_provider(const void *a, const void *b)
{
	const accord_report_provider *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : x->admitted - y->admitted;
}

/* The table per provider party (docs/metrics.md, "By provider"). */
void accord_report_aggregate_providers(accord_report *r)
{
	int64_t *(*vals)[ACCORD_CLOCKS] = NULL;
	size_t i, j, k;

	for (i = 0; i < r->count; i++) {
		const accord_clocks *c = r->incidents[i].clocks;

		for (j = 0; c && j < c->party_count; j++) {
			const accord_party_clocks *pc = &c->parties[j];
			size_t at;

			const char *shown =
				accord_report_party_as(r, r->incidents[i].ledger, pc->party);
			int apart = r->incidents[i].brought_in && r->incidents[i].brought_in[j];

			for (at = 0;
			     at < r->provider_count && (strcmp(r->providers[at].name, shown) != 0 ||
							r->providers[at].admitted != apart);
			     at++)
				;
			if (at == r->provider_count) {
				accord_report_provider pv;
				int64_t *(*nv)[ACCORD_CLOCKS] =
					realloc(vals, (at + 1) * sizeof(*nv));

				if (!nv)
					accord_oom();
				vals = nv;
				memset(vals[at], 0, sizeof(vals[at]));
				memset(&pv, 0, sizeof(pv));
				pv.name = shown;
				pv.admitted = apart;
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
	/* each row says how many of its provider's incidents the other row holds */
	for (i = 0; i < r->provider_count; i++) {
		const accord_report_provider *other = accord_report_provider_of(
			r, r->providers[i].name, !r->providers[i].admitted);

		r->providers[i].brought_in = r->providers[i].admitted ? r->providers[i].incidents
					     : other		      ? other->incidents
								      : 0;
	}
	if (r->provider_count > 1) /* none: providers is NULL, which qsort must not get */
		qsort(r->providers, r->provider_count, sizeof(*r->providers), cmp_provider);
}

/* The row of provider `name` of report `r` (`admitted`: of the customers it brought in), or NULL. */
const accord_report_provider *accord_report_provider_of(const accord_report *r, const char *name,
							int admitted)
{
	size_t i;

	for (i = 0; r && i < r->provider_count; i++)
		if (!strcmp(r->providers[i].name, name) && r->providers[i].admitted == admitted)
			return &r->providers[i];
	return NULL;
}
