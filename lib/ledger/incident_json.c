/* An incident's derived state as the `show --json` document. */
#include <stdlib.h>
#include <string.h>

#include "accord/incident.h"
#include "json.h"

#include "figure.h"

cJSON *accord_entry_to_timeline_json(const accord_entry *e, const accord_parties *parties)
{
	cJSON *item = cJSON_CreateObject();
	char label[160];

	accord_parties_label(label, sizeof(label), parties, e->author.id);
	cJSON_AddStringToObject(item, "id", e->id);
	cJSON_AddStringToObject(item, "type", e->type);
	cJSON_AddStringToObject(item, "author", e->author.id);
	cJSON_AddStringToObject(item, "by", label);
	accord_json_add_time(item, "time", e->time);
	cJSON_AddNumberToObject(item, "lamport", (double)e->lamport);
	cJSON_AddItemToObject(item, "body", cJSON_Duplicate(e->body, 1));
	if (!e->known) /* verified and counted, written by a newer accord: not interpreted */
		cJSON_AddStringToObject(item, "needs", "a newer accord");
	return item;
}

static cJSON *string_list(const cJSON *arr)
{
	return arr ? cJSON_Duplicate(arr, 1) : cJSON_CreateArray();
}

static cJSON *names(const char *const *list, size_t count)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < count; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(list[i]));
	return arr;
}

static void add_str_or_null(cJSON *o, const char *key, const char *s)
{
	if (s)
		cJSON_AddStringToObject(o, key, s);
	else
		cJSON_AddNullToObject(o, key);
}

static cJSON *signatures_to_json(const accord_resolution *r)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < r->signature_count; i++) {
		const accord_signature *sig = &r->signatures[i];
		cJSON *item = cJSON_CreateObject();

		cJSON_AddStringToObject(item, "party", sig->party);
		cJSON_AddStringToObject(item, "member", sig->member->key.name);
		cJSON_AddStringToObject(item, "key", sig->member->key.id);
		accord_json_add_time(item, "time", sig->entry->time);
		cJSON_AddStringToObject(item, "entry", sig->entry->id);
		cJSON_AddStringToObject(item, "role",
					sig->entry == r->entry ? "proposer" : "cosigner");
		cJSON_AddItemToArray(arr, item);
	}
	return arr;
}

static cJSON *actions_to_json(const accord_resolution *r, int64_t now)
{
	cJSON *arr = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < r->action_count; i++) {
		const accord_action *a = &r->actions[i];
		cJSON *item = cJSON_CreateObject();

		cJSON_AddNumberToObject(item, "number", (double)(i + 1));
		cJSON_AddStringToObject(item, "id", a->id);
		cJSON_AddStringToObject(item, "text", a->text);
		cJSON_AddItemToObject(item, "owners", string_list(a->owners));
		add_str_or_null(item, "due", a->due);
		cJSON_AddStringToObject(item, "status", accord_action_state_name(a->state));
		cJSON_AddBoolToObject(item, "overdue", accord_action_overdue(a, now));
		add_str_or_null(item, "owner", a->owner);
		add_str_or_null(item, "link", a->link);
		add_str_or_null(item, "note", a->note);
		cJSON_AddItemToArray(arr, item);
	}
	return arr;
}

static cJSON *resolution_to_json(const accord_incident *inc, int64_t now)
{
	const accord_resolution *r = inc->resolution;
	const cJSON *body = r->entry->body;
	cJSON *o = cJSON_CreateObject();
	const char **waiting;
	size_t n;

	cJSON_AddStringToObject(o, "id", r->entry->id);
	cJSON_AddStringToObject(o, "state", r->joint ? "joint" : "proposed");
	cJSON_AddNumberToObject(o, "revision", r->revision);
	add_str_or_null(o, "revises", accord_json_str(body, "revises"));
	cJSON_AddStringToObject(o, "summary", accord_json_str(body, "summary"));
	cJSON_AddItemToObject(o, "factors",
			      string_list(cJSON_GetObjectItemCaseSensitive(body, "factors")));
	cJSON_AddItemToObject(o, "went_well",
			      string_list(cJSON_GetObjectItemCaseSensitive(body, "went_well")));
	cJSON_AddItemToObject(o, "went_wrong",
			      string_list(cJSON_GetObjectItemCaseSensitive(body, "went_wrong")));
	cJSON_AddItemToObject(o, "lucky",
			      string_list(cJSON_GetObjectItemCaseSensitive(body, "lucky")));
	cJSON_AddItemToObject(o, "signatures", signatures_to_json(r));
	waiting = accord_incident_waiting(inc, &n);
	cJSON_AddItemToObject(o, "waiting_for", names(waiting, n));
	free(waiting);
	if (r->joint)
		accord_json_add_time(o, "joint_at", r->joint_at);
	else
		cJSON_AddNullToObject(o, "joint_at");
	if (inc->kept_joint_revision) { /* the joint one that counts until this one is */
		cJSON *k = cJSON_AddObjectToObject(o, "kept_joint");

		cJSON_AddNumberToObject(k, "revision", inc->kept_joint_revision);
		accord_json_add_time(k, "joint_at", inc->kept_joint_at);
	} else {
		cJSON_AddNullToObject(o, "kept_joint");
	}
	cJSON_AddItemToObject(o, "actions", actions_to_json(r, now));
	return o;
}

static const char *figure_state(const accord_impact *w)
{
	static const char *const names[] = { "own", "joint", "unconfirmed", "not counted" };

	return names[w->state];
}

/* What window `w` adds to the incident's figure: all of it, its parts outside joint windows, or nothing. */
static int64_t counted_seconds(const accord_incident *inc, const accord_impact *w, int64_t now)
{
	int64_t sum = 0;
	size_t i;

	for (i = 0; i < inc->impact_count; i++)
		if (inc->impact[i].entry == w->entry)
			sum = accord_sat_add(
				sum, accord_impact_window_seconds(&inc->impact[i], now, NULL));
	return sum;
}

static cJSON *window_to_json(const accord_incident *inc, const accord_impact *w, int64_t now)
{
	cJSON *item = cJSON_CreateObject();
	int open = 0;
	int64_t cs;

	add_str_or_null(item, "party", w->party);
	cJSON_AddNumberToObject(item, "customers", (double)w->customers);
	accord_json_add_time(item, "start", w->start);
	if (w->has_end) {
		accord_json_add_time(item, "end", w->end);
		cJSON_AddNumberToObject(item, "minutes", (double)(w->end - w->start) / 60.0);
	} else {
		cJSON_AddNullToObject(item, "end");
	}
	cs = accord_impact_window_seconds(w, now, &open);
	cJSON_AddNumberToObject(item, "customer_minutes", accord_customer_minutes(cs));
	cJSON_AddBoolToObject(item, "running", open);
	cJSON_AddStringToObject(item, "state", figure_state(w));
	cJSON_AddBoolToObject(item, "counts", w->state != ACCORD_FIGURE_ASIDE);
	add_str_or_null(item, "why_not", w->aside);
	cJSON_AddBoolToObject(item, "clipped", w->clipped);
	cJSON_AddNumberToObject(item, "counted_customer_minutes",
				accord_customer_minutes(counted_seconds(inc, w, now)));
	cJSON_AddBoolToObject(item, "disputed", w->disputed);
	cJSON_AddItemToObject(item, "cosigned_by", names(w->signed_by, w->signed_count));
	if (w->description)
		cJSON_AddStringToObject(item, "description", w->description);
	cJSON_AddStringToObject(item, "entry", w->entry->id);
	return item;
}

static void add_impact(cJSON *o, const accord_incident *inc, int64_t now)
{
	cJSON *arr = cJSON_AddArrayToObject(o, "impact");
	int running = 0;
	int64_t cs;
	size_t i;

	for (i = 0; i < inc->figure_count; i++)
		cJSON_AddItemToArray(arr, window_to_json(inc, &inc->figures[i], now));
	cs = accord_incident_customer_seconds(inc, now, &running);
	cJSON_AddNumberToObject(o, "customer_minutes", accord_customer_minutes(cs));
	cJSON_AddBoolToObject(o, "customer_minutes_running", running);
	cJSON_AddBoolToObject(o, "customer_minutes_unconfirmed", inc->unconfirmed);
	cJSON_AddBoolToObject(o, "customer_minutes_saturated", accord_saturated(cs));
	cJSON_AddBoolToObject(o, "disputed", inc->disputed);
}

static cJSON *feedback_to_json(const accord_feedback *f, const char *why_not)
{
	cJSON *item = cJSON_CreateObject();

	add_str_or_null(item, "party", f->party);
	cJSON_AddStringToObject(item, "response", f->response);
	cJSON_AddNumberToObject(item, "score", (double)f->score);
	if (f->lost_minutes >= 0)
		cJSON_AddNumberToObject(item, "lost_minutes", (double)f->lost_minutes);
	if (f->comment)
		cJSON_AddStringToObject(item, "comment", f->comment);
	if (f->indicators)
		cJSON_AddItemToObject(item, "indicators", cJSON_Duplicate(f->indicators, 1));
	cJSON_AddBoolToObject(item, "counts", !why_not);
	add_str_or_null(item, "why_not", why_not);
	cJSON_AddStringToObject(item, "entry", f->entry->id);
	return item;
}

static void add_feedback_and_sla(cJSON *o, const accord_incident *inc)
{
	cJSON *arr = cJSON_AddArrayToObject(o, "sla");
	size_t i;

	for (i = 0; i < inc->sla_count; i++) {
		const accord_sla *s = &inc->sla[i];
		cJSON *item = cJSON_CreateObject();

		add_str_or_null(item, "party", s->party);
		cJSON_AddStringToObject(item, "name", s->name ? s->name : "");
		cJSON_AddNumberToObject(item, "target_s", (double)s->target);
		cJSON_AddNumberToObject(item, "actual_s", (double)s->actual);
		cJSON_AddBoolToObject(item, "met", s->met);
		cJSON_AddStringToObject(item, "entry", s->entry->id);
		cJSON_AddItemToArray(arr, item);
	}
	arr = cJSON_AddArrayToObject(o, "feedback");
	for (i = 0; i < inc->feedback_count; i++)
		cJSON_AddItemToArray(arr, feedback_to_json(&inc->feedback[i], NULL));
	for (i = 0; i < inc->feedback_refused_count; i++)
		cJSON_AddItemToArray(
			arr, feedback_to_json(&inc->feedback_refused[i],
					      "feedback is recorded by the customer-facing party"));
}

static void add_tickets(cJSON *o, const accord_incident *inc)
{
	cJSON *arr = cJSON_AddArrayToObject(o, "tickets");
	size_t i;

	for (i = 0; i < inc->ticket_count; i++) {
		cJSON *item = cJSON_CreateObject();

		cJSON_AddStringToObject(item, "party", inc->tickets[i].party);
		cJSON_AddStringToObject(item, "id", inc->tickets[i].id);
		add_str_or_null(item, "named_by", inc->tickets[i].named_by);
		cJSON_AddStringToObject(item, "entry", inc->tickets[i].entry->id);
		cJSON_AddItemToArray(arr, item);
	}
}

static void add_amendments(cJSON *o, const accord_incident *inc, const accord_parties *parties)
{
	cJSON *arr = cJSON_AddArrayToObject(o, "amendments");
	char label[160];
	size_t i;

	for (i = 0; i < inc->amendment_count; i++) {
		const accord_amendment *a = &inc->amendments[i];
		cJSON *item = cJSON_CreateObject();

		cJSON_AddStringToObject(item, "field", a->field);
		if (a->text)
			cJSON_AddStringToObject(item, "value", a->text);
		else
			cJSON_AddNumberToObject(item, "value", (double)a->number);
		accord_parties_label(label, sizeof(label), parties, a->entry->author.id);
		cJSON_AddStringToObject(item, "by", label);
		accord_json_add_time(item, "time", a->entry->time);
		cJSON_AddStringToObject(item, "entry", a->entry->id);
		cJSON_AddItemToArray(arr, item);
	}
}

static void add_closures(cJSON *o, const accord_incident *inc)
{
	cJSON *arr = cJSON_AddArrayToObject(o, "closures");
	size_t i;

	for (i = 0; i < inc->closure_count; i++) {
		const accord_closure *c = &inc->closures[i];
		cJSON *item = cJSON_CreateObject();

		cJSON_AddStringToObject(item, "kind", c->kind);
		add_str_or_null(item, "of", c->of);
		add_str_or_null(item, "reason", accord_entry_str(c->entry, "reason"));
		cJSON_AddStringToObject(item, "state",
					c->retracted ? "retracted"
					: c->joint   ? "joint"
						     : "proposed");
		cJSON_AddBoolToObject(item, "in_effect", inc->closed_as == c);
		cJSON_AddItemToObject(item, "signed_by", names(c->signed_by, c->signed_count));
		cJSON_AddStringToObject(item, "entry", c->entry->id);
		cJSON_AddItemToArray(arr, item);
	}
	if (inc->closed_as)
		cJSON_AddStringToObject(o, "closed_as", inc->closed_as->kind);
	else
		cJSON_AddNullToObject(o, "closed_as");
}

/* Concurrent changes, each with both sides and the line show prints. */
static void add_conflicts(cJSON *o, const accord_incident *inc, const accord_parties *parties)
{
	cJSON *arr = cJSON_AddArrayToObject(o, "conflicts");
	size_t i;

	for (i = 0; i < inc->conflict_count; i++) {
		const accord_conflict *c = &inc->conflicts[i];
		cJSON *item = cJSON_CreateObject();
		accord_buf line = ACCORD_BUF_INIT;

		accord_conflict_describe(&line, c, parties, NULL);
		cJSON_AddStringToObject(item, "kind", c->kind);
		add_str_or_null(item, "subject", c->subject);
		cJSON_AddStringToObject(item, "in_effect", c->b->id);
		cJSON_AddStringToObject(item, "other", c->a->id);
		cJSON_AddStringToObject(item, "text", line.ptr);
		cJSON_AddItemToArray(arr, item);
		accord_buf_dispose(&line);
	}
}

/* Disputed times: both claims, and whether the signer accepted the disputer's (docs/metrics.md). */
static void add_disputes(cJSON *o, const accord_incident *inc)
{
	cJSON *arr = cJSON_AddArrayToObject(o, "disputes");
	size_t i;

	for (i = 0; i < inc->dispute_count; i++) {
		const accord_dispute *d = &inc->disputes[i];
		cJSON *item = cJSON_CreateObject();

		cJSON_AddStringToObject(item, "entry", d->entry->id);
		add_str_or_null(item, "by", d->by);
		cJSON_AddStringToObject(item, "event", d->target->id);
		add_str_or_null(item, "event_by", d->target_party);
		accord_json_add_time(item, "claimed_at", d->target->time);
		accord_json_add_time(item, "at", d->at);
		add_str_or_null(item, "evidence", d->evidence);
		add_str_or_null(item, "reason", d->reason);
		add_str_or_null(item, "accepted_by", d->accepted_by ? d->accepted_by->id : NULL);
		cJSON_AddBoolToObject(item, "retracted", d->retracted);
		cJSON_AddItemToArray(arr, item);
	}
}

/* The open dispute of `e`'s time (the last not retracted), or NULL. */
static const accord_dispute *time_disputed(const accord_incident *inc, const accord_entry *e)
{
	size_t i;

	for (i = inc->dispute_count; i-- > 0;)
		if (inc->disputes[i].target == e && !inc->disputes[i].retracted)
			return &inc->disputes[i];
	return NULL;
}

static cJSON *timeline_item(const accord_incident *inc, const accord_entry *e,
			    const accord_parties *parties)
{
	cJSON *item = accord_entry_to_timeline_json(e, parties);
	const accord_mark *m = accord_incident_mark(inc, e);
	const accord_dispute *d = time_disputed(inc, e);

	add_str_or_null(item, "mark", m ? m->mark : NULL);
	if (d) {
		cJSON *x = cJSON_AddObjectToObject(item, "time_disputed");

		add_str_or_null(x, "by", d->by);
		accord_json_add_time(x, "at", d->at);
		cJSON_AddStringToObject(x, "dispute", d->entry->id);
		cJSON_AddBoolToObject(x, "accepted", d->accepted_by != NULL);
	} else {
		cJSON_AddNullToObject(item, "time_disputed");
	}
	return item;
}

cJSON *accord_incident_to_json(const accord_incident *inc, const accord_parties *parties,
			       int64_t now)
{
	cJSON *o = cJSON_CreateObject(), *arr;
	char label[160];
	size_t i;

	cJSON_AddStringToObject(o, "id", inc->id);
	cJSON_AddStringToObject(o, "title", inc->title ? inc->title : "");
	cJSON_AddNumberToObject(o, "severity", (double)inc->severity);
	cJSON_AddStringToObject(o, "service", inc->service ? inc->service : "");
	cJSON_AddStringToObject(o, "status", inc->status);
	accord_json_add_time(o, "status_at", inc->status_at);
	accord_json_add_time(o, "opened_at", inc->opened_at);
	accord_json_add_time(o, "started_at", inc->started_at);
	accord_json_add_time(o, "impact_start", accord_incident_impact_start(inc, NULL));
	accord_parties_label(label, sizeof(label), parties, inc->open->author.id);
	cJSON_AddStringToObject(o, "opened_by", label);
	add_str_or_null(o, "customer_party", inc->customer_party);
	cJSON_AddItemToObject(o, "parties", names(inc->parties, inc->party_count));
	add_tickets(o, inc);
	add_amendments(o, inc, parties);
	add_closures(o, inc);
	add_impact(o, inc, now);
	add_feedback_and_sla(o, inc);
	if (inc->resolution)
		cJSON_AddItemToObject(o, "resolution", resolution_to_json(inc, now));
	else
		cJSON_AddNullToObject(o, "resolution");
	cJSON_AddNumberToObject(o, "proposals", (double)inc->proposal_count);
	add_conflicts(o, inc, parties);
	add_disputes(o, inc);
	arr = cJSON_AddArrayToObject(o, "timeline");
	for (i = 0; i < inc->timeline_count; i++)
		cJSON_AddItemToArray(arr, timeline_item(inc, inc->timeline[i], parties));
	return o;
}
