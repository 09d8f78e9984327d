/*
 * What a member may write about an incident: opening one and naming its
 * parties and tickets, involving another party, proposals and cosigns,
 * action items, disputes and status changes, each only by a party the
 * incident involves.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "encode.h"
#include "accord/error.h"
#include "json.h"
#include "causal.h"
#include "accord/timefmt.h"
#include "accord/hours.h"
#include "accord/party.h"

#include "party_impl.h"
#include "alloc.h"

static int party_involved(const accord_party_incident *inc, size_t party)
{
	size_t i;

	for (i = 0; i < inc->party_count; i++)
		if (inc->parties[i] == party)
			return 1;
	return 0;
}

static void involve(accord_party_incident *inc, size_t party, const accord_entry *by)
{
	size_t *np;
	const accord_entry **nb;

	if (party_involved(inc, party))
		return;
	np = realloc(inc->parties, (inc->party_count + 1) * sizeof(*np));
	nb = realloc(inc->by, (inc->party_count + 1) * sizeof(*nb));
	if (!np || !nb)
		accord_oom();
	inc->parties = np;
	inc->by = nb;
	nb[inc->party_count] = by;
	np[inc->party_count++] = party;
}

/*
 * The party `e` means by `name`. Names are unique unless two invites were
 * concurrent (name_conflict): then it is the one of that name whose join
 * is in e's causal past, and an entry that saw both names neither. Without
 * an entry (restoring) or a graph, the first of that name.
 */
int accord_parties_party_index(const accord_parties *p, const accord_entry *e, const char *name,
			       size_t *out)
{
	const accord_party *party = name ? accord_parties_find(p, name) : NULL;
	size_t i, n = 0;

	if (!party)
		return accord_parties_deny("there is no party '%s'", name ? name : "");
	*out = (size_t)(party - p->parties);
	if (!p->name_conflict || !e)
		return 0;
	for (i = 0; i < p->party_count; i++) {
		if (strcmp(p->parties[i].name, name) != 0 ||
		    !accord_parties_seen_id(p, e, p->parties[i].joined_by))
			continue;
		*out = i;
		n++;
	}
	if (n == 1)
		return 0;
	{
		/* a member of one of them means its own: no concurrent invite takes a party's name from it */
		const accord_member *m = accord_parties_member(p, e->author.id);

		if (m && m->accepted && !strcmp(p->parties[m->party].name, name)) {
			*out = m->party;
			return 0;
		}
	}
	return accord_parties_deny(
		"%s names party '%s', and %s parties of that name are in its causal past "
		"(concurrent invitations): it cannot say which",
		e->type, name, n ? "several" : "no");
}

/* A ticket names a party the incident involves: never another party, nor one that does not exist. */
static int tickets_involved(const accord_parties *p, const accord_entry *e, const cJSON *parties)
{
	const cJSON *t, *item;

	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(e->body, "tickets")) {
		const char *party = accord_json_str(t, "party");
		int found = 0;

		cJSON_ArrayForEach(item, parties)
			found |= cJSON_IsString(item) && party && !strcmp(item->valuestring, party);
		if (!found)
			return accord_parties_deny(
				"ticket %s names party %s, which the incident does not involve",
				accord_json_str(t, "id") ? accord_json_str(t, "id") : "",
				party ? party : "");
	}
	(void)p;
	return 0;
}

int accord_parties_apply_open(accord_parties *p, const accord_entry *e, const accord_member *m)
{
	const cJSON *parties = cJSON_GetObjectItemCaseSensitive(e->body, "parties"), *item;
	accord_party_incident *inc;
	size_t idx;
	int error, own = 0;

	cJSON_ArrayForEach(item, parties) {
		if ((error = accord_parties_party_index(
			     p, e, cJSON_IsString(item) ? item->valuestring : NULL, &idx)) < 0)
			return error;
		own |= idx == m->party;
	}
	if (!own)
		return accord_parties_deny("an incident opened by %s must involve %s", m->key.name,
					   p->parties[m->party].name);
	if ((error = tickets_involved(p, e, parties)) < 0)
		return error;
	if (!(inc = calloc(1, sizeof(*inc))))
		accord_oom();
	inc->open = e;
	cJSON_ArrayForEach(item, parties) {
		accord_parties_party_index(p, e, item->valuestring, &idx);
		involve(inc, idx, e);
	}
	accord_idmap_put(&p->incidents, e->id, inc);
	return 0;
}

/* An entry about an incident: the incident exists and involves the author's party. */
int accord_parties_check_incident(accord_parties *p, const accord_entry *e, const accord_member *m,
				  accord_party_incident **out)
{
	accord_party_incident *inc = accord_idmap_get(&p->incidents, e->incident);

	if (!inc)
		return accord_parties_deny("incident %.12s does not exist", e->incident);
	if (!party_involved(inc, m->party))
		return accord_parties_deny("%s is not involved in incident %.12s",
					   p->parties[m->party].name, e->incident);
	*out = inc;
	return 0;
}

/* A status that pauses clocks: the party waited on co-signs it when it stops its setter's own clock. */
static int is_pause(const accord_entry *e)
{
	const char *s = accord_entry_str(e, "status");

	return !strcmp(e->type, "status") && s && !strcmp(s, "waiting");
}

/* What a cosign may name: a resolution, an impact window (a figure), a void, a duplicate, a pause, a dispute. */
static int is_proposal(const accord_entry *e)
{
	return !strcmp(e->type, "resolution") || !strcmp(e->type, "impact") ||
	       !strcmp(e->type, "void") || !strcmp(e->type, "duplicate") || is_pause(e) ||
	       !strcmp(e->type, "dispute");
}

/*
 * A dispute of another party's signed time (docs/metrics.md, "Disputed
 * times"): `at` no later than the dispute itself; the entry it names, and
 * its `evidence`, in its causal past; that entry another party's, the
 * evidence the disputer's own party's, with the entry in its causal past.
 * Whether a clock reads the entry's time is the derivation's (lib/ledger/clock.c).
 * Without a graph (the CLI checking its own entry) the CLI checked those.
 * The event's party may co-sign it: a cosign names it like a proposal.
 */
static int apply_dispute(accord_parties *p, const accord_entry *e, const accord_member *m)
{
	const char *id = accord_entry_str(e, "entry"), *ev = accord_entry_str(e, "evidence");
	const char *at = accord_entry_str(e, "at"), *keyid = NULL, *evkey = NULL;
	const accord_member *author, *witness;
	int64_t t, seq = 0, seen_at = 0;

	if (!id || !at || accord_time_parse_canonical(&t, at) < 0 || t > e->time)
		return accord_parties_deny(
			"dispute %.12s claims a time after its own: a party disputes what it has seen",
			e->id);
	if (!p->causal)
		goto ok;
	if (!accord_causal_find(p->causal, id, &keyid, &seq) || !accord_parties_seen_id(p, e, id))
		return accord_parties_deny(
			"dispute names entry %.12s, which is not in its causal past", id);
	author = accord_parties_member(p, keyid);
	if (!author || author->party == m->party)
		return accord_parties_deny(
			"%s disputes a time its own party signed (entry %.12s): only another involved party disputes it",
			p->parties[m->party].name, id);
	if (ev) {
		if (!accord_causal_find(p->causal, ev, &evkey, NULL) ||
		    !accord_parties_seen_id(p, e, ev) ||
		    !(witness = accord_parties_member(p, evkey)) || witness->party != m->party ||
		    accord_causal_seen(p->causal, ev, keyid) < seq)
			return accord_parties_deny(
				"dispute's evidence %.12s is no entry of %s in its causal past that has entry %.12s in its own",
				ev, p->parties[m->party].name, id);
		/* the evidence is when the disputer says it saw the entry: not before it (attack123 02) */
		if (accord_causal_time(p->causal, ev, &seen_at) && t > seen_at)
			return accord_parties_deny(
				"dispute %.12s claims a time after its own evidence %.12s: the entry existed by then",
				e->id, ev);
	}
ok:
	accord_idmap_put(&p->proposals, e->id, (void *)e);
	return 0;
}

/* A proposal named in a body (`field`) of the same incident; an action names a resolution. */
static int check_proposal(accord_parties *p, const accord_entry *e, const char *field,
			  const accord_entry **out)
{
	const char *id = accord_entry_str(e, field);
	const accord_entry *prop = id ? accord_idmap_get(&p->proposals, id) : NULL;

	if (!prop || (!strcmp(e->type, "action") && strcmp(prop->type, "resolution") != 0))
		return accord_parties_deny("%s names a %s %.12s that does not exist", e->type,
					   field, id ? id : "");
	if (strcmp(prop->incident, e->incident) != 0)
		return accord_parties_deny("%s names a %s of another incident", e->type, field);
	*out = prop;
	return 0;
}

/*
 * An assigned owner is a person of an owning party: a member name (any of
 * its keys, revoked or not, since a person keeps their name) there.
 */
static int owner_ok(const accord_parties *p, const accord_entry *e, const cJSON *owners)
{
	const char *owner = accord_entry_str(e, "owner");
	const cJSON *o;
	size_t i;

	if (!owner)
		return 0;
	for (i = 0; i < p->member_count; i++) {
		const accord_member *mm = p->members[i];

		if (strcmp(mm->key.name, owner) != 0)
			continue;
		cJSON_ArrayForEach(o, owners)
			if (cJSON_IsString(o) &&
			    strcmp(o->valuestring, p->parties[mm->party].name) == 0)
				return 0;
	}
	return accord_parties_deny("action owner %s is no member of a party that owns the item",
				   owner);
}

static int apply_action(accord_parties *p, const accord_entry *e, const accord_member *m)
{
	const accord_entry *prop;
	const cJSON *actions, *owners, *o;
	const char *id = accord_entry_str(e, "resolution");
	int64_t n = accord_entry_int(e, "action", 0);
	int error;

	/* an action on what a revoked key proposed unaware counts, to no effect (cosign, below) */
	if (id && !accord_idmap_get(&p->proposals, id) && p->set_aside &&
	    p->set_aside(p->cut_floor_arg, e, id))
		return 0;
	if ((error = check_proposal(p, e, "resolution", &prop)) < 0)
		return error;
	actions = cJSON_GetObjectItemCaseSensitive(prop->body, "actions");
	if (n < 1 || n > cJSON_GetArraySize(actions))
		return accord_parties_deny("resolution %.12s has no action item %lld", prop->id,
					   (long long)n);
	owners =
		cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(actions, (int)n - 1), "owners");
	cJSON_ArrayForEach(o, owners)
		if (cJSON_IsString(o) && strcmp(o->valuestring, p->parties[m->party].name) == 0)
			return owner_ok(p, e, owners);
	return accord_parties_deny("action item %lld is not owned by %s", (long long)n,
				   p->parties[m->party].name);
}

static int apply_involve(accord_parties *p, const accord_entry *e, accord_party_incident *inc)
{
	size_t idx, i;
	int error;

	if ((error = accord_parties_party_index(p, e, accord_entry_str(e, "party"), &idx)) < 0)
		return error;
	for (i = 0; i < inc->party_count; i++) {
		if (inc->parties[i] != idx)
			continue;
		/*
		 * Two members involved the party at once, neither knowing of
		 * the other: both count, the first in ledger order involved it.
		 * Refusing this one instead would make whichever sorts second a
		 * fault, whoever wrote it first (attack32 06, 07).
		 */
		if (inc->by[i] && !accord_parties_seen_id(p, e, inc->by[i]->id))
			return 0;
		return accord_parties_deny("%s is already involved", p->parties[idx].name);
	}
	involve(inc, idx, e);
	return 0;
}

static int apply_resolution(accord_parties *p, const accord_entry *e)
{
	const char *revises = accord_entry_str(e, "revises");
	const cJSON *a, *o;
	size_t idx;
	int error;

	/* revising what a revoked key proposed unaware is a new proposal (cosign, below) */
	if (revises && !accord_idmap_get(&p->proposals, revises) && p->set_aside &&
	    p->set_aside(p->cut_floor_arg, e, revises))
		revises = NULL;
	if (revises) {
		const accord_entry *prev = accord_idmap_get(&p->proposals, revises);

		if (!prev || strcmp(prev->incident, e->incident) != 0)
			return accord_parties_deny(
				"resolution revises %.12s, which is not a resolution of this incident",
				revises);
	}
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(e->body, "actions"))
		cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(a, "owners"))
			if ((error = accord_parties_party_index(p, e, o->valuestring, &idx)) < 0)
				return error;
	accord_idmap_put(&p->proposals, e->id, (void *)e);
	return 0;
}

static int apply_cosign(accord_parties *p, const accord_entry *e)
{
	const accord_entry *prop;
	const char *id = accord_entry_str(e, "proposal");

	/*
	 * Signing what a revoked key proposed before it heard of its cut is
	 * no fault of the signer: the cosign counts, to no effect
	 * (lib/ledger/incident_resolution.c), and the signer's later work stands.
	 */
	if (id && !accord_idmap_get(&p->proposals, id) && p->set_aside &&
	    p->set_aside(p->cut_floor_arg, e, id))
		return 0;
	return check_proposal(p, e, "proposal", &prop);
}

static int apply_ticket(accord_parties *p, const accord_entry *e, accord_party_incident *inc)
{
	size_t idx;
	int error;

	if ((error = accord_parties_party_index(p, e, accord_entry_str(e, "party"), &idx)) < 0)
		return error;
	if (!party_involved(inc, idx))
		return accord_parties_deny("ticket for %s, which incident %.12s does not involve",
					   p->parties[idx].name, e->incident);
	return 0;
}

/* impact, void, duplicate: proposals a cosign may name; whether they count is the incident's derivation */
static int apply_proposal(accord_parties *p, const accord_entry *e)
{
	const char *of = accord_entry_str(e, "of");

	if (!strcmp(e->type, "duplicate") &&
	    (!of || !accord_idmap_get(&p->incidents, of) || !strcmp(of, e->incident)))
		return accord_parties_deny("duplicate names %.12s, which is no other incident",
					   of ? of : "");
	accord_idmap_put(&p->proposals, e->id, (void *)e);
	return 0;
}

static int apply_status(accord_parties *p, const accord_entry *e, accord_party_incident *inc)
{
	size_t idx;
	int error;

	if (!is_pause(e))
		return 0;
	/* a pause names the involved party it waits on; a cosign may name it */
	if ((error = accord_parties_party_index(p, e, accord_entry_str(e, "on"), &idx)) < 0)
		return error;
	if (!party_involved(inc, idx))
		return accord_parties_deny(
			"status waiting on %s, which incident %.12s does not involve",
			p->parties[idx].name, e->incident);
	accord_idmap_put(&p->proposals, e->id, (void *)e);
	return 0;
}

/* An entry of a type about an incident that exists and involves its author's party. */
int accord_parties_apply_on_incident(accord_parties *p, const accord_entry *e,
				     const accord_member *m, accord_party_incident *inc)
{
	const char *t = e->type;

	if (!strcmp(t, "involve"))
		return apply_involve(p, e, inc);
	if (!strcmp(t, "resolution"))
		return apply_resolution(p, e);
	if (!strcmp(t, "cosign"))
		return apply_cosign(p, e);
	if (!strcmp(t, "action"))
		return apply_action(p, e, m);
	if (!strcmp(t, "ticket"))
		return apply_ticket(p, e, inc);
	if (!strcmp(t, "impact") || !strcmp(t, "void") || !strcmp(t, "duplicate"))
		return apply_proposal(p, e);
	if (!strcmp(t, "dispute"))
		return apply_dispute(p, e, m);
	if (!strcmp(t, "status"))
		return apply_status(p, e, inc);
	/* amend, retract: their effect is the derivation's (lib/ledger/incident.c), shown when it has none */
	if (!strcmp(t, "note") || !strcmp(t, "sla") || !strcmp(t, "feedback") ||
	    !strcmp(t, "amend") || !strcmp(t, "retract"))
		return 0;
	return accord_parties_deny("unknown entry type %s", t);
}

int accord_parties_restore_incident(accord_parties *p, const accord_entry *const *entries,
				    size_t count)
{
	accord_party_incident *inc;
	const cJSON *item;
	size_t i, idx = 0; /* set by accord_parties_party_index when it returns 0 */

	if (count == 0 || strcmp(entries[0]->type, "open") != 0)
		return accord_error_set(ACCORD_EINVALID, "an incident starts with its open entry");
	if (accord_idmap_get(&p->incidents, entries[0]->id))
		return 0;
	if (!(inc = calloc(1, sizeof(*inc))))
		accord_oom();
	inc->open = entries[0];
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(entries[0]->body, "parties"))
		if (cJSON_IsString(item) &&
		    accord_parties_party_index(p, NULL, item->valuestring, &idx) == 0)
			involve(inc, idx, entries[0]);
	for (i = 1; i < count; i++) {
		const accord_entry *e = entries[i];

		if (!strcmp(e->type, "involve") &&
		    accord_parties_party_index(p, NULL, accord_entry_str(e, "party"), &idx) == 0)
			involve(inc, idx, e);
		else if (is_proposal(e))
			accord_idmap_put(&p->proposals, e->id, (void *)e);
	}
	accord_idmap_put(&p->incidents, entries[0]->id, inc);
	return 0;
}
