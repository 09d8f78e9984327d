#include <stdlib.h>
#include <string.h>

#include "accord/error.h"
#include "accord/incident.h"
#include "accord/json.h"
#include "accord/timefmt.h"

static const char *const statuses[] = { "investigating", "identified", "mitigated",
					"resolved", "closed" };

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
	if (t == 4 && f != 3)
		return accord_error_set(ACCORD_EDENIED, "an incident is closed only after it is resolved (it is %s)",
					from);
	if (f >= 3 && t != 0 && !(f == 3 && t == 4))
		return accord_error_set(ACCORD_EDENIED,
					"the incident is %s: reopen it with status investigating first",
					from);
	return 0;
}

#define PUSH(arr, count, item)                                                   \
	do {                                                                     \
		void *p_ = realloc((arr), ((count) + 1) * sizeof(*(arr)));       \
		if (!p_)                                                         \
			abort();                                                 \
		(arr) = p_;                                                      \
		(arr)[(count)++] = (item);                                       \
	} while (0)

static void time_field(int64_t *out, const accord_entry *e, const char *key)
{
	const char *s = accord_entry_str(e, key);

	if (!s || accord_time_parse_canonical(out, s) < 0)
		*out = 0;
}

/* A window with the same start as an earlier one updates it (that is how an open window gets its end). */
static void apply_impact(accord_incident *inc, const accord_entry *e)
{
	accord_impact w = { 0 };
	size_t i;

	w.entry = e;
	w.customers = accord_entry_int(e, "customers", 0);
	time_field(&w.start, e, "start");
	if (accord_entry_str(e, "end")) {
		time_field(&w.end, e, "end");
		w.has_end = w.end >= w.start;
	}
	w.description = accord_entry_str(e, "description");
	for (i = 0; i < inc->impact_count; i++) {
		if (inc->impact[i].start == w.start) {
			inc->impact[i] = w;
			return;
		}
	}
	PUSH(inc->impact, inc->impact_count, w);
}

int accord_incident_build(accord_incident **out, const accord_ledger *ledger,
			  const accord_entry *open)
{
	accord_incident *inc = calloc(1, sizeof(*inc));
	size_t i;

	if (!inc)
		return accord_error_set(ACCORD_ENOMEM, "out of memory");
	inc->open = open;
	inc->id = open->id;
	inc->title = accord_entry_str(open, "title");
	inc->service = accord_entry_str(open, "service");
	inc->severity = accord_entry_int(open, "severity", 0);
	inc->opened_at = open->time;
	time_field(&inc->started_at, open, "started_at");
	inc->status = "investigating";
	inc->status_at = open->time;
	PUSH(inc->timeline, inc->timeline_count, open);

	for (i = 0; i < ledger->count; i++) {
		const accord_entry *e = ledger->entries[i];

		if (strcmp(e->incident, open->id) != 0)
			continue;
		PUSH(inc->timeline, inc->timeline_count, e);
		if (strcmp(e->type, "status") == 0) {
			const char *to = accord_entry_str(e, "status");

			if (to && accord_incident_transition_ok(inc->status, to) == 0) {
				inc->status = to;
				inc->status_at = e->time;
			}
		} else if (strcmp(e->type, "impact") == 0) {
			apply_impact(inc, e);
		} else if (strcmp(e->type, "sla") == 0) {
			accord_sla s = { e, accord_entry_str(e, "name"), accord_entry_int(e, "target_s", 0),
					 accord_entry_int(e, "actual_s", 0), 0 };

			s.met = s.actual <= s.target;
			PUSH(inc->sla, inc->sla_count, s);
		} else if (strcmp(e->type, "feedback") == 0) {
			accord_feedback fb = { e, accord_entry_int(e, "score", 0),
					       accord_entry_int(e, "lost_minutes", -1),
					       accord_entry_str(e, "comment") };

			PUSH(inc->feedback, inc->feedback_count, fb);
		}
	}
	for (i = 0; i < inc->impact_count; i++)
		if (inc->impact[i].has_end)
			inc->customer_seconds += inc->impact[i].customers *
						 (inc->impact[i].end - inc->impact[i].start);
	*out = inc;
	return 0;
}

void accord_incident_free(accord_incident *incident)
{
	if (!incident)
		return;
	free(incident->impact);
	free(incident->sla);
	free(incident->feedback);
	free(incident->timeline);
	free(incident);
}

static void add_time(cJSON *obj, const char *key, int64_t t)
{
	char buf[ACCORD_TIME_LEN];

	accord_time_format(buf, t);
	cJSON_AddStringToObject(obj, key, buf);
}

cJSON *accord_entry_to_timeline_json(const accord_entry *e)
{
	cJSON *item = cJSON_CreateObject();

	cJSON_AddStringToObject(item, "id", e->id);
	cJSON_AddStringToObject(item, "type", e->type);
	cJSON_AddStringToObject(item, "author", e->author.id);
	add_time(item, "time", e->time);
	cJSON_AddNumberToObject(item, "lamport", (double)e->lamport);
	cJSON_AddItemToObject(item, "body", cJSON_Duplicate(e->body, 1));
	return item;
}

cJSON *accord_incident_to_json(const accord_incident *inc)
{
	cJSON *o = cJSON_CreateObject(), *arr;
	const cJSON *tickets = cJSON_GetObjectItemCaseSensitive(inc->open->body, "tickets");
	const cJSON *parties = cJSON_GetObjectItemCaseSensitive(inc->open->body, "parties");
	size_t i;

	cJSON_AddStringToObject(o, "id", inc->id);
	cJSON_AddStringToObject(o, "title", inc->title ? inc->title : "");
	cJSON_AddNumberToObject(o, "severity", (double)inc->severity);
	cJSON_AddStringToObject(o, "service", inc->service ? inc->service : "");
	cJSON_AddStringToObject(o, "status", inc->status);
	add_time(o, "status_at", inc->status_at);
	add_time(o, "opened_at", inc->opened_at);
	add_time(o, "started_at", inc->started_at);
	cJSON_AddStringToObject(o, "opened_by", inc->open->author.id);
	cJSON_AddItemToObject(o, "parties", parties ? cJSON_Duplicate(parties, 1) : cJSON_CreateArray());
	cJSON_AddItemToObject(o, "tickets", tickets ? cJSON_Duplicate(tickets, 1) : cJSON_CreateArray());

	arr = cJSON_AddArrayToObject(o, "impact");
	for (i = 0; i < inc->impact_count; i++) {
		const accord_impact *w = &inc->impact[i];
		cJSON *item = cJSON_CreateObject();

		cJSON_AddNumberToObject(item, "customers", (double)w->customers);
		add_time(item, "start", w->start);
		if (w->has_end) {
			add_time(item, "end", w->end);
			cJSON_AddNumberToObject(item, "minutes", (double)(w->end - w->start) / 60.0);
			cJSON_AddNumberToObject(item, "customer_minutes",
						(double)(w->customers * (w->end - w->start)) / 60.0);
		} else {
			cJSON_AddNullToObject(item, "end");
		}
		if (w->description)
			cJSON_AddStringToObject(item, "description", w->description);
		cJSON_AddStringToObject(item, "entry", w->entry->id);
		cJSON_AddItemToArray(arr, item);
	}
	cJSON_AddNumberToObject(o, "customer_minutes", (double)inc->customer_seconds / 60.0);

	arr = cJSON_AddArrayToObject(o, "sla");
	for (i = 0; i < inc->sla_count; i++) {
		const accord_sla *s = &inc->sla[i];
		cJSON *item = cJSON_CreateObject();

		cJSON_AddStringToObject(item, "name", s->name ? s->name : "");
		cJSON_AddNumberToObject(item, "target_s", (double)s->target);
		cJSON_AddNumberToObject(item, "actual_s", (double)s->actual);
		cJSON_AddBoolToObject(item, "met", s->met);
		cJSON_AddStringToObject(item, "entry", s->entry->id);
		cJSON_AddItemToArray(arr, item);
	}

	arr = cJSON_AddArrayToObject(o, "feedback");
	for (i = 0; i < inc->feedback_count; i++) {
		const accord_feedback *f = &inc->feedback[i];
		cJSON *item = cJSON_CreateObject();

		cJSON_AddNumberToObject(item, "score", (double)f->score);
		if (f->lost_minutes >= 0)
			cJSON_AddNumberToObject(item, "lost_minutes", (double)f->lost_minutes);
		if (f->comment)
			cJSON_AddStringToObject(item, "comment", f->comment);
		cJSON_AddStringToObject(item, "entry", f->entry->id);
		cJSON_AddItemToArray(arr, item);
	}

	arr = cJSON_AddArrayToObject(o, "timeline");
	for (i = 0; i < inc->timeline_count; i++)
		cJSON_AddItemToArray(arr, accord_entry_to_timeline_json(inc->timeline[i]));
	return o;
}
