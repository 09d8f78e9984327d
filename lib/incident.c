#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "accord/error.h"
#include "accord/incident.h"
#include "accord/json.h"
#include "accord/timefmt.h"

#include "ledger_impl.h"

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

/* One window's customer-seconds at `now`: from its start to its end or now, whichever is earlier. */
static int64_t window_customer_seconds(const accord_impact *w, int64_t now, int *running)
{
	int64_t end = w->has_end && w->end < now ? w->end : now;

	if (!w->has_end && w->start < now && w->customers > 0)
		*running = 1;
	return end > w->start ? w->customers * (end - w->start) : 0;
}

int64_t accord_impact_customer_seconds(const accord_impact *windows, size_t count, int64_t now,
				       int *running)
{
	int64_t sum = 0;
	int run = 0;
	size_t i;

	for (i = 0; i < count; i++)
		sum += window_customer_seconds(&windows[i], now, &run);
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

static void resolution_free(accord_resolution *r)
{
	if (r) {
		free(r->signatures);
		free(r->actions);
		free(r);
	}
}

/* A new proposal starts a new round: earlier signatures and action states do not carry over. */
static void apply_proposal(accord_incident *inc, const accord_entry *e)
{
	accord_resolution *r = calloc(1, sizeof(*r));
	const cJSON *a;

	if (!r)
		abort();
	r->entry = e;
	r->revision = (int)++inc->proposal_count;
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(e->body, "actions")) {
		accord_action act = { accord_json_str(a, "text"),
				      cJSON_GetObjectItemCaseSensitive(a, "owners"),
				      accord_json_str(a, "due"), 0, NULL };

		PUSH(r->actions, r->action_count, act);
	}
	resolution_free(inc->resolution);
	inc->resolution = r;
}

static int has_signed(const accord_resolution *r, const char *party)
{
	size_t i;

	for (i = 0; i < r->signature_count; i++)
		if (strcmp(r->signatures[i].party, party) == 0)
			return 1;
	return 0;
}

static void update_joint(accord_incident *inc, int64_t when)
{
	accord_resolution *r = inc->resolution;
	size_t i;

	if (!r)
		return;
	for (i = 0; i < inc->party_count; i++) {
		if (!has_signed(r, inc->parties[i])) {
			r->joint = 0;
			return;
		}
	}
	if (!r->joint) {
		r->joint = 1;
		r->joint_at = when;
	}
}

static void add_signature(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	accord_resolution *r = inc->resolution;
	const accord_member *m = accord_parties_member(p, e->author.id);
	size_t i;

	if (!r || !m)
		return;
	for (i = 0; i < r->signature_count; i++)
		if (r->signatures[i].member == m)
			return; /* one signature per key */
	{
		accord_signature sig = { e, m, p->parties[m->party].name };

		PUSH(r->signatures, r->signature_count, sig);
	}
	update_joint(inc, e->time);
}

static void add_party_name(accord_incident *inc, const char *name)
{
	size_t i;

	for (i = 0; i < inc->party_count; i++)
		if (strcmp(inc->parties[i], name) == 0)
			return;
	PUSH(inc->parties, inc->party_count, name);
}

static void add_ticket(accord_incident *inc, const char *party, const char *id)
{
	cJSON *t = cJSON_CreateObject();

	cJSON_AddStringToObject(t, "party", party);
	cJSON_AddStringToObject(t, "id", id);
	cJSON_AddItemToArray(inc->tickets, t);
}

static void apply_entry(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	const char *s;

	if (strcmp(e->type, "status") == 0) {
		const char *to = accord_entry_str(e, "status");

		/* Closing needs a joint resolution; a close that came too early changes nothing. */
		if (to && accord_incident_transition_ok(inc->status, to) == 0 &&
		    (strcmp(to, "closed") != 0 || (inc->resolution && inc->resolution->joint))) {
			inc->status = to;
			inc->status_at = e->time;
		}
	} else if (strcmp(e->type, "impact") == 0) {
		apply_impact(inc, e);
	} else if (strcmp(e->type, "sla") == 0) {
		accord_sla sla = { e, accord_entry_str(e, "name"), accord_entry_int(e, "target_s", 0),
				   accord_entry_int(e, "actual_s", 0), 0 };

		sla.met = sla.actual <= sla.target;
		PUSH(inc->sla, inc->sla_count, sla);
	} else if (strcmp(e->type, "feedback") == 0) {
		accord_feedback fb = { e, accord_entry_int(e, "score", 0),
				       accord_entry_int(e, "lost_minutes", -1),
				       accord_entry_str(e, "comment") };

		PUSH(inc->feedback, inc->feedback_count, fb);
	} else if (strcmp(e->type, "involve") == 0) {
		add_party_name(inc, accord_entry_str(e, "party"));
		if ((s = accord_entry_str(e, "ticket")))
			add_ticket(inc, accord_entry_str(e, "party"), s);
		update_joint(inc, e->time); /* a newly involved party has not signed yet */
	} else if (strcmp(e->type, "resolution") == 0) {
		apply_proposal(inc, e);
		add_signature(inc, p, e); /* the proposer signs for its own party */
	} else if (strcmp(e->type, "cosign") == 0) {
		if (inc->resolution && (s = accord_entry_str(e, "resolution")) &&
		    strcmp(s, inc->resolution->entry->id) == 0)
			add_signature(inc, p, e);
	} else if (strcmp(e->type, "action") == 0) {
		int64_t n = accord_entry_int(e, "action", 0);

		if (inc->resolution && (s = accord_entry_str(e, "resolution")) &&
		    strcmp(s, inc->resolution->entry->id) == 0 && n >= 1 &&
		    (size_t)n <= inc->resolution->action_count) {
			accord_action *act = &inc->resolution->actions[n - 1];

			act->done = strcmp(accord_entry_str(e, "state"), "done") == 0;
			act->last = e;
		}
	}
}

int accord_incident_build_from(accord_incident **out, const accord_parties *parties,
				const accord_entry *const *entries, size_t count)
{
	accord_incident *inc;
	const accord_entry *open = count ? entries[0] : NULL;
	const cJSON *item;
	size_t i;

	if (!open || strcmp(open->type, "open") != 0)
		return accord_error_set(ACCORD_EINVALID, "an incident starts with its open entry");
	if (!(inc = calloc(1, sizeof(*inc))))
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
	inc->tickets = cJSON_CreateArray();
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(open->body, "parties"))
		add_party_name(inc, item->valuestring);
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(open->body, "tickets"))
		add_ticket(inc, accord_json_str(item, "party"), accord_json_str(item, "id"));
	PUSH(inc->timeline, inc->timeline_count, open);

	for (i = 1; i < count; i++) {
		if (strcmp(entries[i]->incident, open->id) != 0)
			continue;
		PUSH(inc->timeline, inc->timeline_count, entries[i]);
		apply_entry(inc, parties, entries[i]);
	}
	*out = inc;
	return 0;
}

int accord_incident_build(accord_incident **out, const accord_ledger *ledger,
			  const accord_entry *open)
{
	const accord_entry **list = NULL;
	size_t n = 0, i;
	int error;

	PUSH(list, n, open);
	for (i = 0; i < ledger->count; i++)
		if (strcmp(ledger->entries[i]->incident, open->id) == 0)
			PUSH(list, n, ledger->entries[i]);
	error = accord_incident_build_from(out, &ledger->parties, list, n);
	free(list);
	return error;
}

const char **accord_incident_waiting(const accord_incident *inc, size_t *count)
{
	const char **out = calloc(inc->party_count + 1, sizeof(*out));
	size_t i;

	*count = 0;
	if (!out)
		abort();
	for (i = 0; i < inc->party_count; i++)
		if (!inc->resolution || !has_signed(inc->resolution, inc->parties[i]))
			out[(*count)++] = inc->parties[i];
	return out;
}

void accord_incident_free(accord_incident *incident)
{
	if (!incident)
		return;
	free(incident->impact);
	free(incident->sla);
	free(incident->feedback);
	free(incident->timeline);
	free(incident->parties);
	cJSON_Delete(incident->tickets);
	resolution_free(incident->resolution);
	free(incident);
}

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
	return item;
}

static cJSON *string_list(const cJSON *arr)
{
	return arr ? cJSON_Duplicate(arr, 1) : cJSON_CreateArray();
}

static cJSON *resolution_to_json(const accord_incident *inc)
{
	const accord_resolution *r = inc->resolution;
	const cJSON *body = r->entry->body;
	cJSON *o = cJSON_CreateObject(), *arr;
	const char **waiting;
	size_t i, n;

	cJSON_AddStringToObject(o, "id", r->entry->id);
	cJSON_AddStringToObject(o, "state", r->joint ? "joint" : "proposed");
	cJSON_AddNumberToObject(o, "revision", r->revision);
	if (accord_json_str(body, "revises"))
		cJSON_AddStringToObject(o, "revises", accord_json_str(body, "revises"));
	else
		cJSON_AddNullToObject(o, "revises");
	cJSON_AddStringToObject(o, "summary", accord_json_str(body, "summary"));
	cJSON_AddItemToObject(o, "factors", string_list(cJSON_GetObjectItemCaseSensitive(body, "factors")));
	cJSON_AddItemToObject(o, "went_well", string_list(cJSON_GetObjectItemCaseSensitive(body, "went_well")));
	cJSON_AddItemToObject(o, "went_wrong", string_list(cJSON_GetObjectItemCaseSensitive(body, "went_wrong")));
	cJSON_AddItemToObject(o, "lucky", string_list(cJSON_GetObjectItemCaseSensitive(body, "lucky")));
	arr = cJSON_AddArrayToObject(o, "signatures");
	for (i = 0; i < r->signature_count; i++) {
		const accord_signature *sig = &r->signatures[i];
		cJSON *item = cJSON_CreateObject();

		cJSON_AddStringToObject(item, "party", sig->party);
		cJSON_AddStringToObject(item, "member", sig->member->key.name);
		cJSON_AddStringToObject(item, "key", sig->member->key.id);
		accord_json_add_time(item, "time", sig->entry->time);
		cJSON_AddStringToObject(item, "entry", sig->entry->id);
		cJSON_AddStringToObject(item, "role", sig->entry == r->entry ? "proposer" : "cosigner");
		cJSON_AddItemToArray(arr, item);
	}
	waiting = accord_incident_waiting(inc, &n);
	arr = cJSON_AddArrayToObject(o, "waiting_for");
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(waiting[i]));
	free(waiting);
	if (r->joint)
		accord_json_add_time(o, "joint_at", r->joint_at);
	else
		cJSON_AddNullToObject(o, "joint_at");
	arr = cJSON_AddArrayToObject(o, "actions");
	for (i = 0; i < r->action_count; i++) {
		const accord_action *a = &r->actions[i];
		cJSON *item = cJSON_CreateObject();

		cJSON_AddNumberToObject(item, "number", (double)(i + 1));
		cJSON_AddStringToObject(item, "text", a->text);
		cJSON_AddItemToObject(item, "owners", string_list(a->owners));
		if (a->due)
			cJSON_AddStringToObject(item, "due", a->due);
		else
			cJSON_AddNullToObject(item, "due");
		cJSON_AddStringToObject(item, "status", a->done ? "done" : "open");
		cJSON_AddItemToArray(arr, item);
	}
	return o;
}

cJSON *accord_incident_to_json(const accord_incident *inc, const accord_parties *parties,
				int64_t now)
{
	cJSON *o = cJSON_CreateObject(), *arr;
	char label[160];
	int64_t cs;
	int running = 0;
	size_t i;

	cJSON_AddStringToObject(o, "id", inc->id);
	cJSON_AddStringToObject(o, "title", inc->title ? inc->title : "");
	cJSON_AddNumberToObject(o, "severity", (double)inc->severity);
	cJSON_AddStringToObject(o, "service", inc->service ? inc->service : "");
	cJSON_AddStringToObject(o, "status", inc->status);
	accord_json_add_time(o, "status_at", inc->status_at);
	accord_json_add_time(o, "opened_at", inc->opened_at);
	accord_json_add_time(o, "started_at", inc->started_at);
	accord_parties_label(label, sizeof(label), parties, inc->open->author.id);
	cJSON_AddStringToObject(o, "opened_by", label);
	arr = cJSON_AddArrayToObject(o, "parties");
	for (i = 0; i < inc->party_count; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(inc->parties[i]));
	cJSON_AddItemToObject(o, "tickets", cJSON_Duplicate(inc->tickets, 1));

	arr = cJSON_AddArrayToObject(o, "impact");
	for (i = 0; i < inc->impact_count; i++) {
		const accord_impact *w = &inc->impact[i];
		cJSON *item = cJSON_CreateObject();
		int open = 0;

		cJSON_AddNumberToObject(item, "customers", (double)w->customers);
		accord_json_add_time(item, "start", w->start);
		if (w->has_end) {
			accord_json_add_time(item, "end", w->end);
			cJSON_AddNumberToObject(item, "minutes", (double)(w->end - w->start) / 60.0);
		} else {
			cJSON_AddNullToObject(item, "end");
		}
		cJSON_AddNumberToObject(item, "customer_minutes",
					accord_customer_minutes(window_customer_seconds(w, now, &open)));
		cJSON_AddBoolToObject(item, "running", open);
		if (w->description)
			cJSON_AddStringToObject(item, "description", w->description);
		cJSON_AddStringToObject(item, "entry", w->entry->id);
		cJSON_AddItemToArray(arr, item);
	}
	cs = accord_incident_customer_seconds(inc, now, &running);
	cJSON_AddNumberToObject(o, "customer_minutes", accord_customer_minutes(cs));
	cJSON_AddBoolToObject(o, "customer_minutes_running", running);

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

	if (inc->resolution)
		cJSON_AddItemToObject(o, "resolution", resolution_to_json(inc));
	else
		cJSON_AddNullToObject(o, "resolution");
	cJSON_AddNumberToObject(o, "proposals", (double)inc->proposal_count);

	arr = cJSON_AddArrayToObject(o, "timeline");
	for (i = 0; i < inc->timeline_count; i++)
		cJSON_AddItemToArray(arr, accord_entry_to_timeline_json(inc->timeline[i], parties));
	return o;
}
