/*
 * What waits on a party: proposals it has not signed, incidents it has not
 * answered, action items it owns, conflicts where it is involved. Each
 * incident is derived once (accord_incident_each).
 */
#include <stdlib.h>
#include <string.h>

#include "accord/agreement.h"
#include "accord/buf.h"
#include "accord/clock.h"
#include "accord/error.h"
#include "accord/inbox.h"
#include "accord/incident.h"
#include "json.h"
#include "accord/party.h"
#include "accord/timefmt.h"

#include "array.h"
#include "figure.h"
#include "alloc.h"

const char *accord_inbox_kind_name(accord_inbox_kind kind)
{
	switch (kind) {
	case ACCORD_INBOX_PROPOSAL: return "proposal";
	case ACCORD_INBOX_INVOLVED: return "involved";
	case ACCORD_INBOX_CONFLICT: return "conflict";
	default: return "action";
	}
}

/* An item of `inc` (NULL: of no incident, an agreement), with the fields every kind has; the caller adds its own. */
static accord_inbox_item *add_item(accord_inbox *box, const accord_ledger *l,
				   const accord_incident *inc, accord_inbox_kind kind,
				   const accord_entry *e, const char *key, accord_buf *summary)
{
	accord_inbox_item it;
	cJSON *o = cJSON_CreateObject(), *i;

	memset(&it, 0, sizeof(it));
	it.kind = kind;
	it.entry = e;
	if (inc) {
		memcpy(it.incident, inc->id, sizeof(it.incident));
		it.severity = inc->severity;
	}
	it.since = e->time;
	it.summary = accord_buf_detach(summary);
	cJSON_AddStringToObject(o, "kind", accord_inbox_kind_name(kind));
	cJSON_AddStringToObject(o, "key", key);
	cJSON_AddStringToObject(o, "ledger", accord_ledger_id(l));
	cJSON_AddStringToObject(o, "party", box->party);
	if (inc) {
		i = cJSON_AddObjectToObject(o, "incident");
		cJSON_AddStringToObject(i, "id", inc->id);
		cJSON_AddStringToObject(i, "title", inc->title);
		cJSON_AddNumberToObject(i, "severity", (double)inc->severity);
		cJSON_AddStringToObject(i, "status", inc->status);
	} else
		cJSON_AddNullToObject(o, "incident");
	cJSON_AddStringToObject(o, "entry", e->id);
	accord_json_add_time(o, "since", e->time);
	cJSON_AddStringToObject(o, "summary", it.summary);
	it.json = o;
	ACCORD_PUSH(box->items, box->count, it);
	return &box->items[box->count - 1];
}

static const char *party_of(const accord_ledger *l, const accord_entry *e)
{
	const char *p = accord_party_of(accord_ledger_parties(l), e);

	return p ? p : "?";
}

static int owns(const accord_action *a, const char *party)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, a->owners)
		if (cJSON_IsString(o) && strcmp(o->valuestring, party) == 0)
			return 1;
	return 0;
}

/*
 * Proposals waiting for our cosignature (lib/ledger/incident_resolution.c decides which). A
 * new kind of proposal the incident knows of (an agreement) comes through
 * accord_incident_pending and needs only its wording here.
 */
static void add_proposals(accord_inbox *box, const accord_ledger *l, const accord_incident *inc)
{
	const accord_entry **pending;
	size_t n, i;

	pending = accord_incident_pending(inc, box->party, &n);
	for (i = 0; i < n; i++) {
		const accord_entry *e = pending[i];
		accord_buf s = ACCORD_BUF_INIT, key = ACCORD_BUF_INIT;
		const char *what = !strcmp(e->type, "impact") ? "impact figure" : e->type;
		accord_inbox_item *it;
		cJSON *p;

		accord_buf_printf(&s, "%s %.12s by %s waits for %s's cosignature", what, e->id,
				  party_of(l, e), box->party);
		accord_buf_printf(&key, "proposal:%s", e->id);
		it = add_item(box, l, inc, ACCORD_INBOX_PROPOSAL, e, key.ptr, &s);
		p = cJSON_AddObjectToObject(it->json, "proposal");
		cJSON_AddStringToObject(p, "id", e->id);
		cJSON_AddStringToObject(p, "type", e->type);
		cJSON_AddStringToObject(p, "by", party_of(l, e));
		accord_buf_dispose(&key);
	}
	free(pending);
}

/*
 * Our acknowledge clock on `inc` (lib/ledger/clock.c: the agreement in force,
 * business hours, pauses), into `s` and `o`; nothing without an agreement.
 */
static void add_acknowledge(accord_buf *s, cJSON *o, const accord_ledger *l,
			    const accord_incident *inc, const char *party, int64_t now)
{
	accord_clocks *c = NULL;
	size_t i;

	if (accord_clocks_compute(&c, inc, accord_ledger_parties(l), accord_incident_ledger_in_past,
				  (void *)l, now) < 0)
		return; /* the item stands without its clock */
	for (i = 0; i < c->party_count; i++) {
		const accord_clock *k = &c->parties[i].clocks[0];
		char elapsed[32], target[32];
		cJSON *a;

		if (strcmp(c->parties[i].party, party) != 0 || !k->state || k->target_s < 0)
			continue;
		accord_duration_format(elapsed, sizeof(elapsed), k->elapsed_s);
		accord_duration_format(target, sizeof(target), k->target_s);
		accord_buf_printf(s, "; acknowledge clock %s of %s: %s", elapsed, target, k->state);
		a = cJSON_AddObjectToObject(o, "acknowledge");
		cJSON_AddNumberToObject(a, "elapsed_s", (double)k->elapsed_s);
		cJSON_AddNumberToObject(a, "target_s", (double)k->target_s);
		cJSON_AddStringToObject(a, "state", k->state);
	}
	accord_clocks_free(c);
}

/*
 * An incident that involves us and holds nothing of ours yet: since the
 * involve that named us, or the open, with our acknowledge clock where
 * agreed terms are in force (issue 18).
 */
static void add_unanswered(accord_inbox *box, const accord_ledger *l, const accord_incident *inc,
			   int64_t now)
{
	cJSON *ack = cJSON_CreateObject();
	const accord_entry *since = NULL;
	accord_buf s = ACCORD_BUF_INIT, key = ACCORD_BUF_INIT;
	accord_inbox_item *it;
	size_t i;

	if (!strcmp(inc->status, "closed") || inc->closed_as ||
	    !strcmp(party_of(l, inc->open), box->party)) {
		cJSON_Delete(ack);
		return;
	}
	since = inc->open;
	for (i = 0; i < inc->timeline_count; i++) {
		const accord_entry *e = inc->timeline[i];
		const char *named;

		if (!strcmp(party_of(l, e), box->party)) {
			cJSON_Delete(ack);
			return; /* we answered */
		}
		named = !strcmp(e->type, "involve") ? accord_entry_str(e, "party") : NULL;
		if (named && !strcmp(named, box->party))
			since = e;
	}
	accord_buf_printf(&s, "involves %s, which has written nothing in it yet (%s named it)",
			  box->party, party_of(l, since));
	add_acknowledge(&s, ack, l, inc, box->party, now);
	accord_buf_printf(&key, "involved:%s", since->id);
	it = add_item(box, l, inc, ACCORD_INBOX_INVOLVED, since, key.ptr, &s);
	cJSON_AddStringToObject(ack, "by", party_of(l, since));
	cJSON_AddItemToObject(it->json, "involved", ack);
	accord_buf_dispose(&key);
}

static void add_actions(accord_inbox *box, const accord_ledger *l, const accord_incident *inc,
			int64_t now)
{
	const accord_resolution *r = accord_incident_actions(inc);
	size_t i;

	for (i = 0; r && i < r->action_count; i++) {
		const accord_action *a = &r->actions[i];
		accord_buf s = ACCORD_BUF_INIT, key = ACCORD_BUF_INIT;
		int overdue = accord_action_overdue(a, now);
		accord_inbox_item *it;
		cJSON *o;

		if (a->state != ACCORD_ACTION_OPEN || !owns(a, box->party))
			continue;
		accord_buf_printf(&s, "action %zu (%s)%s%s%s: %s", i + 1, a->id,
				  a->due ? (overdue ? " was due " : " due ") : "",
				  a->due ? a->due : "", overdue ? ", OVERDUE" : "", a->text);
		accord_buf_printf(&key, "action:%s:%s", inc->id, a->id);
		it = add_item(box, l, inc, overdue ? ACCORD_INBOX_OVERDUE : ACCORD_INBOX_ACTION,
			      a->last ? a->last : r->entry, key.ptr, &s);
		o = cJSON_AddObjectToObject(it->json, "action");
		cJSON_AddStringToObject(o, "id", a->id);
		cJSON_AddNumberToObject(o, "number", (double)(i + 1));
		cJSON_AddStringToObject(o, "text", a->text);
		cJSON_AddItemToObject(o, "owners", cJSON_Duplicate(a->owners, 1));
		if (a->due)
			cJSON_AddStringToObject(o, "due", a->due);
		else
			cJSON_AddNullToObject(o, "due");
		cJSON_AddBoolToObject(o, "overdue", overdue);
		if (a->owner)
			cJSON_AddStringToObject(o, "owner", a->owner);
		else
			cJSON_AddNullToObject(o, "owner");
		if (a->link)
			cJSON_AddStringToObject(o, "link", a->link);
		else
			cJSON_AddNullToObject(o, "link");
		accord_buf_dispose(&key);
	}
}

static void add_conflicts(accord_inbox *box, const accord_ledger *l, const accord_incident *inc)
{
	size_t i;

	for (i = 0; i < inc->conflict_count; i++) {
		const accord_conflict *c = &inc->conflicts[i];
		accord_buf s = ACCORD_BUF_INIT, key = ACCORD_BUF_INIT;
		accord_inbox_item *it;
		cJSON *o;

		accord_conflict_describe(&s, c, accord_ledger_parties(l), NULL);
		accord_buf_printf(&key, "conflict:%s:%s", c->a->id, c->b->id);
		it = add_item(box, l, inc, ACCORD_INBOX_CONFLICT, c->b, key.ptr, &s);
		it->other = c->a;
		o = cJSON_AddObjectToObject(it->json, "conflict");
		cJSON_AddStringToObject(o, "kind", c->kind);
		if (c->subject)
			cJSON_AddStringToObject(o, "subject", c->subject);
		else
			cJSON_AddNullToObject(o, "subject");
		cJSON_AddStringToObject(o, "in_effect", c->b->id);
		cJSON_AddStringToObject(o, "other", c->a->id);
		accord_buf_dispose(&key);
	}
}

/*
 * Agreements proposed to us (we are the provider) that we have not
 * co-signed: ledger-wide proposals, of no incident.
 */
static void add_agreements(accord_inbox *box, const accord_ledger *l)
{
	const accord_parties *p = accord_ledger_parties(l);
	size_t i;

	for (i = 0; i < p->agreement_count; i++) {
		const accord_agreement *a = p->agreements[i];
		const accord_entry *e = accord_ledger_entry(l, a->id);
		accord_buf s = ACCORD_BUF_INIT, key = ACCORD_BUF_INIT;
		char ack[32], mit[32], res[32];
		accord_inbox_item *it;
		cJSON *o;

		if (a->joint || a->withdrawn_by[0] || strcmp(a->provider, box->party) != 0 || !e)
			continue;
		accord_duration_format(ack, sizeof(ack), a->acknowledge_s);
		accord_duration_format(mit, sizeof(mit), a->mitigate_s);
		accord_duration_format(res, sizeof(res), a->restore_s);
		accord_buf_printf(&s, "agreement %.12s by %s waits for %s's cosignature: ", a->id,
				  a->customer, box->party);
		if (a->service)
			accord_buf_printf(&s, "service %s", a->service);
		else
			accord_buf_puts(&s, "every service");
		if (a->severity)
			accord_buf_printf(&s, ", SEV%lld", (long long)a->severity);
		else
			accord_buf_puts(&s, ", every severity");
		accord_buf_printf(&s, "; acknowledge %s, mitigate %s, restore %s", ack, mit, res);
		accord_buf_printf(&key, "proposal:%s", a->id);
		it = add_item(box, l, NULL, ACCORD_INBOX_PROPOSAL, e, key.ptr, &s);
		o = cJSON_AddObjectToObject(it->json, "proposal");
		cJSON_AddStringToObject(o, "id", a->id);
		cJSON_AddStringToObject(o, "type", "agreement");
		cJSON_AddStringToObject(o, "by", a->customer);
		accord_buf_dispose(&key);
	}
}

static int involves(const accord_incident *inc, const char *party)
{
	size_t i;

	for (i = 0; i < inc->party_count; i++)
		if (!strcmp(inc->parties[i], party))
			return 1;
	return 0;
}

/* Most urgent first: by kind, an action by its due day, then severity, then how long it waited. */
int accord_inbox_item_cmp(const accord_inbox_item *a, const accord_inbox_item *b)
{
	const char *da, *db;
	int c;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->kind == ACCORD_INBOX_OVERDUE || a->kind == ACCORD_INBOX_ACTION) {
		const cJSON *ja = cJSON_GetObjectItemCaseSensitive(a->json, "action");
		const cJSON *jb = cJSON_GetObjectItemCaseSensitive(b->json, "action");

		da = accord_json_str(ja, "due");
		db = accord_json_str(jb, "due");
		if ((da != NULL) != (db != NULL))
			return da ? -1 : 1;
		if (da && (c = strcmp(da, db)) != 0)
			return c;
	}
	if (a->severity != b->severity)
		return a->severity < b->severity ? -1 : 1;
	if (a->since != b->since)
		return a->since < b->since ? -1 : 1;
	return strcmp(accord_json_str(a->json, "key"), accord_json_str(b->json, "key"));
}

static int cmp_item(const void *x, const void *y)
{
	return accord_inbox_item_cmp(x, y);
}

struct build {
	accord_inbox *box;
	const accord_ledger *l;
	int64_t now;
};

static int visit(const accord_incident *inc, void *payload)
{
	struct build *b = payload;

	if (involves(inc, b->box->party)) {
		/* agreed void or a duplicate by every party: its figures ask nothing more (explore60b 08) */
		if (!inc->closed_as)
			add_proposals(b->box, b->l, inc);
		add_unanswered(b->box, b->l, inc, b->now);
		if (!inc->closed_as)
			add_conflicts(b->box, b->l, inc);
	}
	add_actions(b->box, b->l, inc,
		    b->now); /* owning an item is enough: owners must be involved anyway */
	return 0;
}

int accord_inbox_build(accord_inbox **out, const accord_ledger *l, const char *party, int64_t now)
{
	const accord_parties *p = accord_ledger_parties(l);
	struct build b = { NULL, l, now };
	size_t i;
	int error, known = 0;

	for (i = 0; i < p->party_count; i++)
		known |= strcmp(p->parties[i].name, party) == 0;
	if (!known)
		return accord_error_set(ACCORD_ENOTFOUND, "there is no party '%s' in this ledger",
					party);
	if (!(b.box = calloc(1, sizeof(*b.box))) || !(b.box->party = strdup(party)))
		accord_oom();
	if ((error = accord_incident_each(l, visit, &b)) < 0) {
		accord_inbox_free(b.box);
		return error;
	}
	add_agreements(b.box, l);
	if (b.box->count > 1)
		qsort(b.box->items, b.box->count, sizeof(*b.box->items), cmp_item);
	*out = b.box;
	return 0;
}

void accord_inbox_free(accord_inbox *box)
{
	size_t i;

	if (!box)
		return;
	for (i = 0; i < box->count; i++) {
		free(box->items[i].summary);
		cJSON_Delete(box->items[i].json);
	}
	free(box->items);
	free(box->party);
	free(box);
}
