/*
 * The report as a JSON document (schemas/report.schema.json): every figure
 * unrounded but for percentages, means and minutes, no thousands grouping,
 * and the definitions of docs/metrics.md inside.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "accord/report.h"
#include "accord/timefmt.h"

#include "report_impl.h"

static cJSON *indicators_json(const accord_incident *inc)
{
	size_t counts[16], k;
	cJSON *o = cJSON_CreateObject();

	accord_report_indicator_counts(counts, inc);
	for (k = 0; accord_feedback_indicators[k]; k++)
		if (counts[k])
			cJSON_AddNumberToObject(o, accord_feedback_indicators[k],
						(double)counts[k]);
	return o;
}

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

		accord_report_party_names(&names, &n, r);
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
	for (i = 0; i < accord_report_definition_count; i++)
		cJSON_AddStringToObject(o, accord_report_definitions[i].key,
					accord_report_definitions[i].text);
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

		accord_report_window_in_period(r, w, &cs, &ce);
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

/*
 * "green": whether every SLA verdict was met, and what the verdicts were:
 * the clocks decided against terms, else the typed measurements
 * (report_measure.c verdicts()).
 */
static void green_json(cJSON *o, const accord_report_incident *ri)
{
	cJSON *g = cJSON_AddObjectToObject(o, "green");

	cJSON_AddBoolToObject(g, "all_met", ri->green);
	cJSON_AddStringToObject(g, "from", ri->from_clocks ? "clocks" : "measurements");
	add_count(g, "verdicts", ri->verdicts);
	add_count(g, "met", ri->verdicts_met);
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
	accord_json_add_time(o, "impact_start", accord_incident_impact_start(inc, NULL));
	cJSON_AddItemToObject(o, "parties", string_array(inc->parties, inc->party_count));
	add_count(o, "impact_windows", ri->windows);
	cJSON_AddNumberToObject(o, "customers", (double)ri->customers);
	cJSON_AddNumberToObject(o, "customer_minutes", minutes(ri->customer_seconds));
	cJSON_AddBoolToObject(o, "customer_minutes_unconfirmed", ri->unconfirmed);
	if (inc->impact_from)
		cJSON_AddStringToObject(o, "customer_minutes_from", inc->impact_from);
	else
		cJSON_AddNullToObject(o, "customer_minutes_from");
	cJSON_AddBoolToObject(o, "invited_by_provider", ri->by_provider);
	cJSON_AddItemToObject(o, "disputed", disputed_json(r, ri));
	add_count(o, "conflicts", inc->conflict_count);
	cJSON_AddNumberToObject(o, "longest_minutes", minutes(ri->longest_s));
	add_count(o, "responses", ri->feedback_count);
	add_mean(o, "mean_score", ri->score_sum, ri->feedback_count);
	add_pct(o, "csat_pct", ri->csat_count, ri->feedback_count);
	cJSON_AddNumberToObject(o, "lost_minutes", (double)ri->lost_sum);
	add_count(o, "sla_measurements", ri->sla_count);
	add_count(o, "sla_met", ri->sla_met);
	green_json(o, ri);
	cJSON_AddBoolToObject(o, "watermelon", ri->watermelon);
	cJSON_AddItemToObject(o, "indicators", indicators_json(ri->incident));
	cJSON_AddStringToObject(o, "resolution", resolution_state(inc));
	if (ri->joint) {
		accord_json_add_time(o, "joint_at", ri->joint_at);
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
	add_count(o, "invited_by_provider", pv->brought_in);
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
					     *prev = accord_report_provider_of(
						     r->previous, pv->name, pv->admitted);
		cJSON *o = provider_figures_json(pv);

		cJSON_AddStringToObject(o, "party", pv->name);
		cJSON_AddBoolToObject(o, "admitted", pv->admitted);
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

/* "incidents": by status, severity and service. */
static void incidents_json(cJSON *doc, const accord_report *r)
{
	cJSON *o, *a, *item;
	size_t i;

	o = cJSON_AddObjectToObject(doc, "incidents");
	add_count(o, "total", r->count);
	add_count(o, "resolved", r->resolved);
	add_count(o, "closed", r->closed);
	add_count(o, "open", r->open);
	add_count(o, "void", r->voided);
	add_count(o, "duplicate", r->duplicates);
	add_count(o, "invited_by_provider", r->brought_in);
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
}

/* "customer_impact": customers, customer-minutes, the longest window. */
static void impact_json(cJSON *doc, const accord_report *r)
{
	cJSON *o, *item;

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
}

/* "experience": feedback, CSAT and lost minutes. */
static void experience_json(cJSON *doc, const accord_report *r)
{
	cJSON *o, *item;

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
}

/* "sla" and "watermelon": SLA measurements, and the incidents whose customers were unhappy anyway. */
static void sla_json(cJSON *doc, const accord_report *r)
{
	cJSON *o, *a, *item;
	size_t i;

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
		green_json(item, ri);
		add_mean(item, "mean_score", ri->score_sum, ri->feedback_count);
		add_count(item, "responses", ri->feedback_count);
		cJSON_AddItemToArray(a, item);
	}
}

/* "joint": joint resolutions, their time and revisions, and who is yet to sign. */
static void joint_json(cJSON *doc, const accord_report *r)
{
	cJSON *o, *a, *item;
	size_t i;

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
}

/* "actions": action items by owner, the overdue ones and those not being done. */
static void actions_json(cJSON *doc, const accord_report *r)
{
	cJSON *o, *a, *item;
	size_t i, j;

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
		const accord_resolution *res = accord_incident_actions(r->incidents[i].incident);

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
		const accord_resolution *res = accord_incident_actions(r->incidents[i].incident);

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
}

/* "factors": the most frequent contributing factors. */
static void factors_json(cJSON *doc, const accord_report *r)
{
	cJSON *o, *a, *item;
	size_t i;

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
}

/* "weeks": the weekly series the charts draw. */
static void weeks_json(cJSON *doc, const accord_report *r)
{
	cJSON *a, *item;
	size_t i;

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
}

cJSON *accord_report_to_json(const accord_report *r, const accord_report_meta *meta)
{
	cJSON *doc = meta_json(cJSON_CreateObject(), r, meta), *a;
	size_t i;

	incidents_json(doc, r);
	impact_json(doc, r);
	experience_json(doc, r);
	sla_json(doc, r);
	joint_json(doc, r);
	actions_json(doc, r);
	factors_json(doc, r);
	weeks_json(doc, r);
	a = cJSON_AddArrayToObject(doc, "rows");
	for (i = 0; i < r->count; i++)
		cJSON_AddItemToArray(a, incident_row_json(r, &r->incidents[i]));
	providers_json(doc, r);
	return doc;
}
