/*
 * An incident's state, derived from its entries in ledger order; decisions
 * (a close, a new round) are judged on their own causal past. Facts
 * belong to the party that recorded them (lib/ledger/figure.c decides which impact
 * windows count); corrections (amend, retract, void, duplicate) are entries
 * of their own, so nothing is rewritten.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "accord/buf.h"
#include "accord/causal.h"
#include "accord/error.h"
#include "accord/idmap.h"
#include "accord/incident.h"
#include "accord/json.h"
#include "accord/timefmt.h"

#include "figure.h"
#include "ledger_impl.h"

/* One effective status change: the history a close looks back through (accord_status_step). */
typedef accord_status_step status_step;

/* What derivation needs only while it runs. */
struct accord_derive {
	accord_in_past_fn in_past;
	void *payload;
	accord_idmap held;  /* the incident's entries by id */
	int error;	    /* the oracle's first error */
	status_step *steps; /* effective status changes, the open's first */
	size_t step_count;
	const accord_entry **party_by; /* beside inc->parties: the entry that involved each */
	size_t party_by_count;
	accord_resolution *
		rival; /* the proposal the current one replaced: a cosign that knew only it may still make it joint */
	const accord_entry **statuses; /* every status entry so far, for a close to judge */
	size_t status_count;
	const accord_causal *causal; /* the engine's graph, when the parties came with it */
	accord_action *items;	     /* every action item's state by id, across revisions */
	size_t item_count;
};

/* schemas/feedback.schema.json holds the same list */
const char *const accord_feedback_indicators[] = {
	"fast", "kept-informed", "slow", "had-to-repeat", "not-fixed", "poor-communication", NULL
};

static const char *const statuses[] = { "investigating", "identified", "mitigated",
					"resolved",	 "closed",     "waiting" };

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
	/* waiting (a pause) is an open status, as investigating is */
	f = f == 5 ? 0 : f;
	t = t == 5 ? 0 : t;
	if (t == 4 && f != 3)
		return accord_error_set(
			ACCORD_EDENIED,
			"an incident is closed only after it is resolved (it is %s)", from);
	/* from resolved or closed, any open status is an explicit reopen */
	if (f >= 3 && t >= 3 && !(f == 3 && t == 4))
		return accord_error_set(
			ACCORD_EDENIED,
			"the incident is %s: reopen it with an open status (investigating, identified, mitigated or waiting) first",
			from);
	return 0;
}

static void time_field(int64_t *out, const accord_entry *e, const char *key)
{
	const char *s = accord_entry_str(e, key);

	if (!s || accord_time_parse_canonical(out, s) < 0)
		*out = 0;
}

/* What accord_agreement_in_force asks of an agreement for an incident. */
struct follows_arg {
	const accord_entry *open;
	accord_in_past_fn in_past;
	void *payload;
};

static int names_party(const accord_entry *open, const char *party)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(open->body, "parties"))
		if (cJSON_IsString(item) && !strcmp(item->valuestring, party))
			return 1;
	return 0;
}

/*
 * Whether the open entry has the agreement's co-signature in its causal
 * past: the oracle answers from the co-signature's place (key, seq, clock).
 */
static int open_follows(const accord_agreement *a, void *arg)
{
	struct follows_arg *x = arg;
	accord_entry *stub;
	int yes;

	if (x->open->lamport <= a->joint_lamport)
		return 0;
	if (!(stub = calloc(1, sizeof(*stub))))
		abort();
	memcpy(stub->id, a->joint_id, sizeof(stub->id));
	memcpy(stub->author.id, a->joint_key, sizeof(stub->author.id));
	stub->seq = a->joint_seq;
	stub->lamport = a->joint_lamport;
	stub->time = a->joint_at;
	yes = x->in_past(x->open, stub, x->payload);
	free(stub);
	return yes;
}

/* open_follows, for an agreement between two parties the open involves. */
static int open_follows_between(const accord_agreement *a, void *arg)
{
	struct follows_arg *x = arg;

	return names_party(x->open, a->customer) && names_party(x->open, a->provider) &&
	       open_follows(a, arg);
}

const accord_agreement *accord_incident_agreement(const accord_parties *p, const accord_entry *open,
						  const char *customer, const char *provider,
						  accord_in_past_fn in_past, void *payload)
{
	struct follows_arg x = { open, in_past, payload };

	return accord_agreement_in_force(p->agreements, p->agreement_count, customer, provider,
					 accord_entry_str(open, "service"),
					 accord_entry_int(open, "severity", 0),
					 open_follows_between, &x);
}

const char *accord_incident_customer_party(const accord_parties *p, const accord_entry *open,
					   accord_in_past_fn in_past, void *payload)
{
	const accord_agreement *a =
		accord_incident_agreement(p, open, NULL, NULL, in_past, payload);
	const accord_party *party = a ? accord_parties_find(p, a->customer) : NULL;

	/* the customer side of the agreement in force for the incident's service, else the opener */
	return party ? party->name : accord_party_of(p, open);
}

const char *accord_party_of(const accord_parties *p, const accord_entry *e)
{
	const accord_member *m = accord_parties_member(p, e->author.id);

	return m ? p->parties[m->party].name : NULL;
}

/* The same member: one party, one member name, whichever of its keys wrote. */
static int same_member(const accord_parties *p, const accord_entry *a, const accord_entry *b)
{
	const accord_member *x = accord_parties_member(p, a->author.id);
	const accord_member *y = accord_parties_member(p, b->author.id);

	return x && y && x->party == y->party && strcmp(x->key.name, y->key.name) == 0;
}

/*
 * Whether `earlier` is in `later`'s causal past, answered from the
 * incident's own entries when they can: the Lamport clock rules out what
 * cannot be, one feed compares by seq, and a walk through prev and deps
 * that reaches `earlier`'s feed at or past its seq proves it. Only a walk
 * that leaves the entries held asks the oracle. On the oracle's error the
 * answer is 0 and the build fails.
 */
static int in_past(accord_incident *inc, const accord_entry *later, const accord_entry *earlier)
{
	struct accord_derive *d = inc->derive;
	accord_idmap seen = ACCORD_IDMAP_INIT;
	const char **stack = NULL;
	size_t n = 0, i;
	int yes = 0, open_end = 0;

	if (later == earlier || later->lamport <= earlier->lamport)
		return 0;
	/*
	 * A forked key from the fork on: two entries share each seq, so only
	 * entry ids tell (both sides count where others depend on them).
	 */
	if (d->causal && accord_causal_fork_at(d->causal, earlier->author.id) &&
	    earlier->seq >= accord_causal_fork_at(d->causal, earlier->author.id) &&
	    (yes = accord_causal_in_past(d->causal, later, earlier)) >= 0)
		return yes;
	if (strcmp(later->author.id, earlier->author.id) == 0)
		return later->seq > earlier->seq;
	if (later->prev[0])
		ACCORD_PUSH(stack, n, later->prev);
	for (i = 0; i < later->dep_count; i++)
		ACCORD_PUSH(stack, n, later->deps[i]);
	while (n && !yes) {
		const char *id = stack[--n];
		const accord_entry *e;

		if (accord_idmap_get(&seen, id))
			continue;
		accord_idmap_put(&seen, id, (void *)id);
		if (!(e = accord_idmap_get(&d->held, id))) {
			open_end = 1;
			continue;
		}
		if (strcmp(e->author.id, earlier->author.id) == 0) {
			/* one feed: its entry at or past earlier's seq has it in its past; one before never */
			yes = e->seq >= earlier->seq;
			continue;
		}
		if (e->lamport <= earlier->lamport)
			continue;
		if (e->prev[0])
			ACCORD_PUSH(stack, n, e->prev);
		for (i = 0; i < e->dep_count; i++)
			ACCORD_PUSH(stack, n, e->deps[i]);
	}
	free(stack);
	accord_idmap_dispose(&seen);
	if (yes || !open_end)
		return yes;
	if ((yes = d->in_past(later, earlier, d->payload)) < 0) {
		if (!d->error)
			d->error = yes;
		return 0;
	}
	return yes;
}

int accord_incident_ledger_in_past(const accord_entry *later, const accord_entry *earlier,
				   void *payload)
{
	return accord_ledger_in_past(payload, later, earlier);
}

/* Keep a mark text made for this incident. */
static const char *keep_text(accord_incident *inc, char *text)
{
	if (!text)
		abort();
	ACCORD_PUSH(inc->texts, inc->text_count, text);
	return text;
}

static void mark(accord_incident *inc, const accord_entry *e, const char *text,
		 const accord_entry *by);

/* "late: written without knowing of the close by acme at 2026-03-01 14:02" */
static void mark_late(accord_incident *inc, const accord_parties *p, const accord_entry *e,
		      const char *what, const accord_entry *decision)
{
	const char *party = accord_party_of(p, decision);
	char t[ACCORD_TIME_LEN];
	accord_buf b = ACCORD_BUF_INIT;

	accord_time_format(t, decision->time);
	t[10] = ' ';
	t[16] = '\0';
	if (what)
		accord_buf_printf(&b, "late: written without knowing of the %s by %s at %s", what,
				  party ? party : "an unknown party", t);
	else
		accord_buf_printf(
			&b,
			"late: proposed on the incident closed by %s at %s, with no reopen before it",
			party ? party : "an unknown party", t);
	mark(inc, e, keep_text(inc, accord_buf_detach(&b)), decision);
}

/* A conflict of `kind` between `a` (earlier in ledger order) and `b`. */
static void add_conflict(accord_incident *inc, const char *kind, const char *subject,
			 const accord_entry *a, const accord_entry *b)
{
	accord_conflict c = { kind, subject, a, b };

	ACCORD_PUSH(inc->conflicts, inc->conflict_count, c);
}

/* An entry of `kind` (and `subject`) that has both sides of a conflict in its past settles it. */
static void settle_conflicts(accord_incident *inc, const char *kind, const char *subject,
			     const accord_entry *e)
{
	size_t i = 0;

	while (i < inc->conflict_count) {
		accord_conflict *c = &inc->conflicts[i];

		if (strcmp(c->kind, kind) == 0 &&
		    (!subject || accord_str_eq(c->subject, subject)) &&
		    (c->a == e || in_past(inc, e, c->a)) && (c->b == e || in_past(inc, e, c->b))) {
			memmove(c, c + 1, (inc->conflict_count - i - 1) * sizeof(*c));
			inc->conflict_count--;
		} else {
			i++;
		}
	}
}

static void mark(accord_incident *inc, const accord_entry *e, const char *text,
		 const accord_entry *by)
{
	accord_mark m = { e, text, by };

	ACCORD_PUSH(inc->marks, inc->mark_count, m);
}

/* What one side of a conflict set. */
static void conflict_value(accord_buf *out, const accord_conflict *c, const accord_entry *e)
{
	if (!strcmp(c->kind, "status")) {
		accord_buf_puts(out, accord_entry_str(e, "status"));
	} else if (!strcmp(c->kind, "proposal")) {
		accord_buf_printf(out, "%.12s", e->id);
	} else if (!strcmp(c->kind, "feedback")) {
		accord_buf_printf(out, "score %lld", (long long)accord_entry_int(e, "score", 0));
	} else if (!strcmp(c->kind, "amend")) {
		if (accord_str_eq(c->subject, "severity"))
			accord_buf_printf(out, "SEV%lld",
					  (long long)accord_entry_int(e, "severity", 0));
		else if (accord_entry_str(e, c->subject))
			accord_buf_puts(out, accord_entry_str(e, c->subject));
	} else if (!strcmp(c->kind, "impact")) {
		long long n = (long long)accord_entry_int(e, "customers", 0);
		const char *end = accord_entry_str(e, "end");

		accord_buf_printf(out, "%lld %s to %s", n, n == 1 ? "customer" : "customers",
				  end ? end : "now");
	} else {
		accord_buf_printf(out, "actual %llds",
				  (long long)accord_entry_int(e, "actual_s", 0));
	}
}

void accord_conflict_describe(accord_buf *out, const accord_conflict *c, const accord_parties *p,
			      const char *of)
{
	const char *pb = accord_party_of(p, c->b), *pa = accord_party_of(p, c->a);

	accord_buf_printf(out, "%s%s%s%s%s: ", c->kind, c->subject ? " " : "",
			  c->subject ? c->subject : "", of ? " of " : "", of ? of : "");
	conflict_value(out, c, c->b);
	accord_buf_printf(out, " by %s, ", pb ? pb : "?");
	conflict_value(out, c, c->a);
	accord_buf_printf(out, " by %s", pa ? pa : "?");
}

const accord_mark *accord_incident_mark(const accord_incident *inc, const accord_entry *e)
{
	size_t i;

	/* the last word counts: a figure first not counted, then retracted, shows as retracted */
	for (i = inc->mark_count; i-- > 0;)
		if (inc->marks[i].entry == e)
			return &inc->marks[i];
	return NULL;
}

static int involved(const accord_incident *inc, const char *party)
{
	size_t i;

	for (i = 0; party && i < inc->party_count; i++)
		if (strcmp(inc->parties[i], party) == 0)
			return 1;
	return 0;
}

/* Involve party `name` by entry `by` (the open, or an involve): a close looks at which it knows of. */
static void add_party_name(accord_incident *inc, const char *name, const accord_entry *by)
{
	struct accord_derive *d = inc->derive;

	if (name && !involved(inc, name)) {
		ACCORD_PUSH(inc->parties, inc->party_count, name);
		ACCORD_PUSH(d->party_by, d->party_by_count, by);
	}
}

/* Undo a party's involvement (an involve the close did not know of). */
static void drop_party(accord_incident *inc, size_t i)
{
	struct accord_derive *d = inc->derive;

	memmove(&inc->parties[i], &inc->parties[i + 1],
		(inc->party_count - i - 1) * sizeof(*inc->parties));
	memmove(&d->party_by[i], &d->party_by[i + 1],
		(d->party_by_count - i - 1) * sizeof(*d->party_by));
	inc->party_count--;
	d->party_by_count--;
}

/* A ticket counts when its party is involved; another is refused on read as on write. */
static void add_ticket(accord_incident *inc, const accord_entry *e, const char *party,
		       const char *id, const char *named_by)
{
	accord_ticket t = { e, party, id, named_by };

	if (!party || !id || !involved(inc, party)) {
		mark(inc, e, "ticket refused: its party is not involved", NULL);
		return;
	}
	ACCORD_PUSH(inc->tickets, inc->ticket_count, t);
}

/*
 * Two members of one party writing a window with the same start, neither
 * knowing of the other's: the later in ledger order replaces the earlier
 * (lib/ledger/figure.c), and both are shown as a conflict until a later version
 * knows of both.
 */
static void impact_conflict(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	const char *party = accord_party_of(p, e), *start = accord_entry_str(e, "start");
	size_t i;

	if (!start)
		return;
	settle_conflicts(inc, "impact", start, e);
	for (i = inc->figure_count; i-- > 0;) {
		const accord_impact *w = &inc->figures[i];

		if (accord_str_eq(w->party, party) &&
		    accord_str_eq(accord_entry_str(w->entry, "start"), start)) {
			if (!in_past(inc, e, w->entry))
				add_conflict(inc, "impact", start, w->entry, e);
			return;
		}
	}
}

static void apply_sla(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	accord_sla sla = { e,
			   accord_party_of(p, e),
			   accord_entry_str(e, "name"),
			   accord_entry_int(e, "target_s", 0),
			   accord_entry_int(e, "actual_s", 0),
			   0 };
	size_t i;

	sla.met = sla.actual <= sla.target;
	for (i = 0; i < inc->sla_count; i++) {
		if (accord_str_eq(inc->sla[i].party, sla.party) &&
		    accord_str_eq(inc->sla[i].name, sla.name)) {
			settle_conflicts(inc, "sla", sla.name, e);
			if (!in_past(inc, e, inc->sla[i].entry))
				add_conflict(inc, "sla", sla.name, inc->sla[i].entry, e);
			mark(inc, inc->sla[i].entry,
			     "superseded by the same party's later measurement", e);
			inc->sla[i] = sla;
			return;
		}
	}
	ACCORD_PUSH(inc->sla, inc->sla_count, sla);
}

/* Feedback is the customer-facing party's to record; a response id counts once. */
static void apply_feedback(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	accord_feedback fb = { e,
			       accord_party_of(p, e),
			       accord_entry_str(e, "response"),
			       accord_entry_int(e, "score", 0),
			       accord_entry_int(e, "lost_minutes", -1),
			       accord_entry_str(e, "comment"),
			       cJSON_GetObjectItemCaseSensitive(e->body, "indicators") };
	size_t i;

	if (!fb.response)
		fb.response = e->id;
	if (!accord_str_eq(fb.party, inc->customer_party)) {
		mark(inc, e, "not counted: feedback is recorded by the customer-facing party",
		     NULL);
		ACCORD_PUSH(inc->feedback_refused, inc->feedback_refused_count, fb);
		return;
	}
	settle_conflicts(inc, "feedback", fb.response, e);
	for (i = 0; i < inc->feedback_count; i++) {
		if (strcmp(inc->feedback[i].response, fb.response) == 0) {
			/* recorded twice at once: both shown until a version knowing both */
			if (!in_past(inc, e, inc->feedback[i].entry))
				add_conflict(inc, "feedback", fb.response, inc->feedback[i].entry,
					     e);
			mark(inc, inc->feedback[i].entry,
			     "superseded: the same response recorded again", e);
			inc->feedback[i] = fb;
			return;
		}
	}
	ACCORD_PUSH(inc->feedback, inc->feedback_count, fb);
}

/*
 * Two amends of one field, neither knowing of the other, are a conflict
 * (the later in ledger order is in effect) until an amend of that field
 * with both in its causal past settles it.
 */
static void amend_conflict(accord_incident *inc, const accord_entry *e, const char *field)
{
	size_t i;

	settle_conflicts(inc, "amend", field, e);
	for (i = inc->amendment_count; i-- > 0;)
		if (!strcmp(inc->amendments[i].field, field)) {
			if (!in_past(inc, e, inc->amendments[i].entry))
				add_conflict(inc, "amend", field, inc->amendments[i].entry, e);
			return;
		}
}

/* Severity, title and service change only through the customer-facing party's amend. */
static void apply_amend(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	const char *s;

	if (!accord_str_eq(accord_party_of(p, e), inc->customer_party)) {
		mark(inc, e, "no effect: the customer-facing party amends an incident", NULL);
		return;
	}
	if (cJSON_GetObjectItemCaseSensitive(e->body, "severity")) {
		accord_amendment a = { e, "severity", NULL, accord_entry_int(e, "severity", 0) };

		amend_conflict(inc, e, "severity");
		inc->severity = a.number;
		ACCORD_PUSH(inc->amendments, inc->amendment_count, a);
	}
	if ((s = accord_entry_str(e, "title"))) {
		accord_amendment a = { e, "title", s, 0 };

		amend_conflict(inc, e, "title");
		inc->title = s;
		ACCORD_PUSH(inc->amendments, inc->amendment_count, a);
	}
	if ((s = accord_entry_str(e, "service"))) {
		accord_amendment a = { e, "service", s, 0 };

		amend_conflict(inc, e, "service");
		inc->service = s;
		ACCORD_PUSH(inc->amendments, inc->amendment_count, a);
	}
}

void accord_action_id(char *out, const char *incident, const char *text, int occurrence)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state st;
	char n[16];

	/* the NUL bytes keep the fields apart: no text can pass for another split */
	snprintf(n, sizeof(n), "%d", occurrence);
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)incident, strlen(incident) + 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)text, strlen(text) + 1);
	crypto_hash_sha256_update(&st, (const unsigned char *)n, strlen(n));
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, ACCORD_ACTION_ID_LEN + 1, h, ACCORD_ACTION_ID_LEN / 2);
}

const char *accord_action_state_name(accord_action_state state)
{
	return state == ACCORD_ACTION_DONE	  ? "done"
	       : state == ACCORD_ACTION_NOT_DOING ? "not-doing"
						  : "open";
}

int accord_action_overdue(const accord_action *a, int64_t now)
{
	char buf[32];
	int64_t due;

	if (a->state != ACCORD_ACTION_OPEN || !a->due)
		return 0;
	snprintf(buf, sizeof(buf), "%sT00:00:00Z", a->due);
	if (accord_time_parse_canonical(&due, buf) < 0)
		return 0;
	return now >= due + 86400;
}

/* The action items of resolution entry `e`, with their ids and no state yet. */
static void actions_of(accord_action **out, size_t *count, const accord_incident *inc,
		       const accord_entry *e)
{
	const cJSON *a;

	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(e->body, "actions")) {
		accord_action act;
		int occurrence = 1;

		memset(&act, 0, sizeof(act));
		act.text = accord_json_str(a, "text");
		act.owners = cJSON_GetObjectItemCaseSensitive(a, "owners");
		act.due = accord_json_str(a, "due");
		for (size_t i = 0; i < *count; i++)
			occurrence += strcmp((*out)[i].text, act.text) == 0;
		accord_action_id(act.id, inc->id, act.text, occurrence);
		ACCORD_PUSH(*out, *count, act);
	}
}

static const accord_action *item_state(const accord_incident *inc, const char *id)
{
	for (size_t i = 0; i < inc->derive->item_count; i++)
		if (strcmp(inc->derive->items[i].id, id) == 0)
			return &inc->derive->items[i];
	return NULL;
}

/* What the owners said of an item (not its text or owners, which the resolution gives). */
static void item_carry(accord_action *to, const accord_action *from)
{
	to->state = from->state;
	to->done = from->done;
	to->note = from->note;
	to->owner = from->owner;
	to->link = from->link;
	if (from->due)
		to->due = from->due;
	to->last = from->last;
}

static void resolution_free(accord_resolution *r)
{
	if (r) {
		free(r->signatures);
		free(r->actions);
		free(r);
	}
}

/*
 * A new proposal starts a new round: earlier signatures do not carry over;
 * the action items it inherits (same text, so the same id) keep their
 * state. After a joint resolution it does so only if it knew of the
 * signature that made it joint, and never on a closed incident (a reopen
 * first); otherwise it is late. 0 if it took effect.
 */
static int apply_proposal(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	accord_resolution *old = inc->resolution, *r;

	/*
	 * A closed incident's joint resolution changes only through a reopen
	 * (issue 13, item 3), which clears closed_by: a proposal while it is
	 * set is late, whether it knew of the close or not.
	 */
	if (inc->closed_by) {
		mark_late(inc, p, e, in_past(inc, e, inc->closed_by) ? NULL : "close",
			  inc->closed_by);
		return -1;
	}
	if (old && old->was_joint && old->joint_by && !in_past(inc, e, old->joint_by)) {
		mark_late(inc, p, e, "joint resolution", old->joint_by);
		return -1;
	}
	settle_conflicts(inc, "proposal", NULL, e);
	if (!(r = calloc(1, sizeof(*r))))
		abort();
	resolution_free(inc->derive->rival);
	inc->derive->rival = NULL;
	if (old && !in_past(inc, e, old->entry))
		add_conflict(inc, "proposal", NULL, old->entry, e);
	/* a signature written without knowing of this proposal may still make the old one joint */
	inc->derive->rival = old;
	old = NULL;
	r->entry = e;
	r->revision = (int)++inc->proposal_count;
	actions_of(&r->actions, &r->action_count, inc, e);
	/* an item a revision inherits keeps the state its owners gave it */
	for (size_t i = 0; i < r->action_count; i++) {
		const accord_action *known = item_state(inc, r->actions[i].id);

		if (known)
			item_carry(&r->actions[i], known);
	}
	resolution_free(old);
	inc->resolution = r;
	return 0;
}

static void drop_conflicts_of(accord_incident *inc, const accord_entry *e)
{
	size_t i = 0;

	while (i < inc->conflict_count) {
		if (inc->conflicts[i].a == e || inc->conflicts[i].b == e) {
			memmove(&inc->conflicts[i], &inc->conflicts[i + 1],
				(inc->conflict_count - i - 1) * sizeof(*inc->conflicts));
			inc->conflict_count--;
		} else {
			i++;
		}
	}
}

static int has_signed(const accord_resolution *r, const char *party)
{
	size_t i;

	for (i = 0; i < r->signature_count; i++)
		if (strcmp(r->signatures[i].party, party) == 0)
			return 1;
	return 0;
}

/* After a signature or an involve (`e`): joint once every involved party signed. */
static void update_joint(accord_incident *inc, const accord_entry *e)
{
	accord_resolution *r = inc->resolution;
	size_t i;

	if (!r || inc->closed_by)
		return; /* a close decided it: only a reopen reopens the question */
	for (i = 0; i < inc->party_count; i++) {
		if (!has_signed(r, inc->parties[i])) {
			r->joint = 0;
			return;
		}
	}
	if (!r->joint) {
		r->joint = 1;
		r->was_joint = 1;
		r->joint_at = e->time;
		r->joint_by = e;
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

		ACCORD_PUSH(r->signatures, r->signature_count, sig);
	}
	update_joint(inc, e);
}

/* A party in a list of names, added once. */
static void sign_for(const char ***list, size_t *count, const char *party)
{
	size_t i;

	if (!party)
		return;
	for (i = 0; i < *count; i++)
		if (strcmp((*list)[i], party) == 0)
			return;
	ACCORD_PUSH(*list, *count, party);
}

/* Whether every involved party is in `list`: what makes a void or duplicate take effect. */
static int all_signed(const accord_incident *inc, const char *const *list, size_t count)
{
	size_t i, j;

	for (i = 0; i < inc->party_count; i++) {
		for (j = 0; j < count && strcmp(list[j], inc->parties[i]) != 0; j++)
			;
		if (j == count)
			return 0;
	}
	return 1;
}

static void update_closures(accord_incident *inc)
{
	size_t i;

	for (i = 0; i < inc->closure_count; i++) {
		accord_closure *c = &inc->closures[i];

		if (!c->retracted && !c->joint && all_signed(inc, c->signed_by, c->signed_count)) {
			c->joint = 1;
			if (!inc->closed_as)
				inc->closed_as = c;
		}
	}
}

static void apply_closure(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	accord_closure c = { e, e->type, accord_entry_str(e, "of"), NULL, 0, 0, 0 };

	size_t k = inc->closed_as ? (size_t)(inc->closed_as - inc->closures) : 0;

	sign_for(&c.signed_by, &c.signed_count, accord_party_of(p, e));
	ACCORD_PUSH(inc->closures, inc->closure_count, c);
	/* the array moved: closed_as must point into the new one */
	if (inc->closed_as)
		inc->closed_as = &inc->closures[k];
	update_closures(inc);
}

static accord_closure *find_closure(accord_incident *inc, const char *id)
{
	size_t i;

	for (i = 0; id && i < inc->closure_count; i++)
		if (strcmp(inc->closures[i].entry->id, id) == 0)
			return &inc->closures[i];
	return NULL;
}

/* A cosign counts for exactly one party, the signer's, and names one proposal. */
/* The pause (a status waiting) with id `id` among the incident's statuses, or NULL. */
static const accord_entry *find_pause(const accord_incident *inc, const char *id)
{
	const struct accord_derive *d = inc->derive;
	size_t i;

	for (i = 0; i < d->status_count; i++)
		if (!strcmp(d->statuses[i]->id, id) &&
		    accord_str_eq(accord_entry_str(d->statuses[i], "status"), "waiting"))
			return d->statuses[i];
	return NULL;
}

static accord_dispute *find_dispute(accord_incident *inc, const char *id)
{
	size_t i;

	for (i = 0; id && i < inc->dispute_count; i++)
		if (!strcmp(inc->disputes[i].entry->id, id))
			return &inc->disputes[i];
	return NULL;
}

/*
 * A dispute of another party's signed time on this incident. Its time is
 * held to the graph: never before the time the entry claims (a dispute
 * says it happened later) nor after the dispute itself, which has it in
 * its causal past.
 */
static void apply_dispute(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	const char *id = accord_entry_str(e, "entry");
	const accord_entry *target = id ? accord_idmap_get(&inc->derive->held, id) : NULL;
	accord_dispute dp;

	if (!target || target == e) {
		mark(inc, e, "no effect: it names no entry of this incident", NULL);
		return;
	}
	memset(&dp, 0, sizeof(dp));
	dp.entry = e;
	dp.target = target;
	dp.by = accord_party_of(p, e);
	dp.target_party = accord_party_of(p, target);
	if (!dp.by || accord_str_eq(dp.by, dp.target_party)) {
		mark(inc, e, "no effect: only another involved party disputes a party's time",
		     NULL);
		return;
	}
	time_field(&dp.at, e, "at");
	if (dp.at < target->time)
		dp.at = target->time;
	if (dp.at > e->time)
		dp.at = e->time;
	dp.reason = accord_entry_str(e, "reason");
	dp.evidence = accord_entry_str(e, "evidence");
	ACCORD_PUSH(inc->disputes, inc->dispute_count, dp);
}

static void apply_cosign(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	const char *id = accord_entry_str(e, "proposal");
	const char *party = accord_party_of(p, e);
	const accord_entry *pause;
	accord_dispute *dp;
	accord_closure *c;
	accord_impact *w;

	if (!id)
		return;
	if (inc->resolution && strcmp(id, inc->resolution->entry->id) == 0) {
		add_signature(inc, p, e);
	} else if (inc->derive->rival && strcmp(id, inc->derive->rival->entry->id) == 0 &&
		   !in_past(inc, e, inc->resolution->entry)) {
		/*
		 * A signature on the proposal a concurrent one replaced, by a signer
		 * that knew only the first: if it makes the first joint, the other
		 * was a new round written without knowing of the joint resolution.
		 */
		accord_resolution *current = inc->resolution;

		inc->resolution = inc->derive->rival;
		add_signature(inc, p, e);
		if (inc->resolution->joint) {
			inc->derive->rival = NULL;
			mark_late(inc, p, current->entry, "joint resolution", e);
			drop_conflicts_of(inc, current->entry);
			resolution_free(current);
			inc->proposal_count--;
		} else {
			inc->derive->rival = inc->resolution;
			inc->resolution = current;
		}
	} else if ((w = accord_figure_find(inc, id))) {
		sign_for(&w->signed_by, &w->signed_count, party);
		accord_figure_cosigned(inc, w);
	} else if ((c = find_closure(inc, id)) && !c->retracted) {
		sign_for(&c->signed_by, &c->signed_count, party);
		update_closures(inc);
	} else if ((pause = find_pause(inc, id)) && party &&
		   accord_str_eq(accord_entry_str(pause, "on"), party)) {
		accord_pause_sign ps = { pause, party, e };

		ACCORD_PUSH(inc->pause_signs, inc->pause_sign_count, ps);
	} else if ((dp = find_dispute(inc, id)) && !dp->retracted && party &&
		   accord_str_eq(party, accord_party_of(p, dp->target))) {
		/* the party whose time it disputes accepts the disputer's: settled */
		if (!dp->accepted_by)
			dp->accepted_by = e;
	} else {
		mark(inc, e, "no effect: it names no current proposal", NULL);
	}
}

/*
 * The fact `target` stops counting; a proposal that never was joint is
 * withdrawn. 0 if it was found. A figure or proposal every party signed
 * once is shared: its author alone cannot take it back.
 */
static int withdraw(accord_incident *inc, const accord_entry *target)
{
	accord_impact *w = accord_figure_find(inc, target->id);
	accord_closure *c;
	size_t i;

	if (w && w->was_joint)
		return -1;
	if (w && accord_figure_remove(inc, target) == 0)
		return 0;
	for (i = 0; i < inc->sla_count; i++) {
		if (inc->sla[i].entry == target) {
			memmove(&inc->sla[i], &inc->sla[i + 1],
				(inc->sla_count - i - 1) * sizeof(*inc->sla));
			inc->sla_count--;
			return 0;
		}
	}
	for (i = 0; i < inc->feedback_count; i++) {
		if (inc->feedback[i].entry == target) {
			memmove(&inc->feedback[i], &inc->feedback[i + 1],
				(inc->feedback_count - i - 1) * sizeof(*inc->feedback));
			inc->feedback_count--;
			return 0;
		}
	}
	for (i = 0; i < inc->ticket_count; i++) {
		if (inc->tickets[i].entry == target) {
			memmove(&inc->tickets[i], &inc->tickets[i + 1],
				(inc->ticket_count - i - 1) * sizeof(*inc->tickets));
			inc->ticket_count--;
			return 0;
		}
	}
	if (inc->resolution && inc->resolution->entry == target && !inc->resolution->was_joint) {
		resolution_free(inc->resolution);
		inc->resolution = NULL;
		return 0;
	}
	if ((c = find_closure(inc, target->id)) && !c->joint && !c->retracted) {
		c->retracted = 1;
		return 0;
	}
	/* a dispute the other side accepted is an agreed time: no longer the disputer's alone */
	for (i = 0; i < inc->dispute_count; i++) {
		if (inc->disputes[i].entry == target && !inc->disputes[i].retracted) {
			if (inc->disputes[i].accepted_by)
				return -1;
			inc->disputes[i].retracted = 1;
			return 0;
		}
	}
	return strcmp(target->type, "note") == 0 ? 0 : -1;
}

/*
 * A member retracts its own entry (any of its keys): the entry stays in the
 * log, marked, and stops counting. Anything else is shown with no effect.
 */
static void apply_retract(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	const char *id = accord_entry_str(e, "entry");
	const accord_entry *target = NULL;
	size_t i;

	for (i = 0; id && i < inc->timeline_count; i++)
		if (strcmp(inc->timeline[i]->id, id) == 0)
			target = inc->timeline[i];
	if (!target)
		mark(inc, e, "no effect: it names no earlier entry of this incident", NULL);
	else if (!same_member(p, target, e))
		mark(inc, e, "no effect: a member retracts only its own entries", NULL);
	else if (withdraw(inc, target) < 0)
		mark(inc, e, "no effect: that entry cannot be retracted, or every party signed it",
		     NULL);
	else
		mark(inc, target, "retracted", e);
}

static void push_step(accord_incident *inc, const accord_parties *p, const accord_entry *e,
		      const char *status)
{
	struct accord_derive *d = inc->derive;
	status_step st = { e, status, accord_party_of(p, e) };

	ACCORD_PUSH(d->steps, d->step_count, st);
	inc->status = status;
	inc->status_at = e->time;
}

/* Whether entry `e` is marked late. */
static int is_late(const accord_incident *inc, const accord_entry *e)
{
	const accord_mark *m = accord_incident_mark(inc, e);

	return m && strncmp(m->mark, "late:", 5) == 0;
}

/*
 * Whether the resolution was joint among the parties the close knew were
 * involved, on signatures the close knew of: an involve or a re-proposal
 * written concurrently cannot undo it.
 */
static int close_joint(accord_incident *inc, const accord_entry *close)
{
	struct accord_derive *d = inc->derive;
	accord_resolution *r = inc->resolution;
	size_t i, j;

	if (!r || (r->entry != close && !in_past(inc, close, r->entry)))
		return 0;
	for (i = 0; i < inc->party_count; i++) {
		if (d->party_by[i] != inc->open && !in_past(inc, close, d->party_by[i]))
			continue;
		for (j = 0; j < r->signature_count; j++)
			if (strcmp(r->signatures[j].party, inc->parties[i]) == 0 &&
			    in_past(inc, close, r->signatures[j].entry))
				break;
		if (j == r->signature_count)
			return 0;
	}
	return 1;
}

/*
 * A close is judged on its own causal past: the last status it knew of
 * must be resolved, and the resolution joint among what it knew. Status
 * changes and involves it did not know of, sorted before it, are late.
 */
static void apply_close(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	struct accord_derive *d = inc->derive;
	accord_resolution *r = inc->resolution;
	size_t base = d->step_count, i;

	while (base-- > 1 && !in_past(inc, e, d->steps[base].entry))
		;
	if (strcmp(d->steps[base].status, "resolved") != 0 || !close_joint(inc, e))
		return;
	/* every status sorted before it that it did not know of, whether it took effect or not */
	for (i = 0; i < d->status_count; i++)
		if (!is_late(inc, d->statuses[i]) && !in_past(inc, e, d->statuses[i]))
			mark_late(inc, p, d->statuses[i], "close", e);
	for (i = inc->party_count; i-- > 0;) {
		if (d->party_by[i] != inc->open && !in_past(inc, e, d->party_by[i])) {
			mark_late(inc, p, d->party_by[i], "close", e);
			drop_party(inc, i);
		}
	}
	d->step_count = base + 1;
	push_step(inc, p, e, "closed");
	inc->closed_by = e;
	if (!r->joint) {
		r->joint = 1;
		if (!r->was_joint || !r->joint_by) {
			r->was_joint = 1;
			r->joint_at = e->time;
			r->joint_by = e;
		}
	}
	/* what it settles: conflicts it knew both sides of, or whose sides it made late */
	i = 0;
	while (i < inc->conflict_count) {
		accord_conflict *c = &inc->conflicts[i];

		if (strcmp(c->kind, "status") == 0 &&
		    (is_late(inc, c->a) || in_past(inc, e, c->a)) &&
		    (is_late(inc, c->b) || in_past(inc, e, c->b))) {
			memmove(c, c + 1, (inc->conflict_count - i - 1) * sizeof(*c));
			inc->conflict_count--;
		} else {
			i++;
		}
	}
}

/*
 * Once closed, only a reopen that knew of the close changes the incident;
 * what did not know of it is late. Before that, statuses follow ledger
 * order, and two written concurrently are a conflict until a later status
 * knows of both.
 */
static void apply_status(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	struct accord_derive *d = inc->derive;
	const char *to = accord_entry_str(e, "status");
	const status_step *last = &d->steps[d->step_count - 1];

	if (!to)
		return;
	if (strcmp(to, "closed") != 0)
		ACCORD_PUSH(d->statuses, d->status_count, e);
	if (inc->closed_by) {
		if (!in_past(inc, e, inc->closed_by)) {
			mark_late(inc, p, e, "close", inc->closed_by);
		} else if (accord_incident_transition_ok(inc->status, to) == 0) {
			inc->closed_by = NULL;
			push_step(inc, p, e, to);
			update_joint(inc, e);
		}
		return;
	}
	if (strcmp(to, "closed") == 0) {
		apply_close(inc, p, e);
		return;
	}
	settle_conflicts(inc, "status", NULL, e);
	if (last->entry != inc->open && strcmp(last->status, to) != 0 &&
	    !in_past(inc, e, last->entry))
		add_conflict(inc, "status", NULL, last->entry, e);
	if (accord_incident_transition_ok(inc->status, to) == 0)
		push_step(inc, p, e, to);
}

/*
 * An action entry names an item by its resolution and number; the item's
 * id carries what it says to the current resolution, if that holds the
 * item (a revision may have inherited it). `assign` sets owner, link and
 * due; the other states set the state and its note.
 */
static void apply_action(accord_incident *inc, const accord_entry *e)
{
	const char *s = accord_entry_str(e, "resolution"), *state = accord_entry_str(e, "state");
	const accord_entry *res = s ? accord_idmap_get(&inc->derive->held, s) : NULL;
	int64_t n = accord_entry_int(e, "action", 0);
	accord_action *items = NULL, *rec = NULL;
	size_t count = 0, i;
	struct accord_derive *d = inc->derive;

	if (!res || strcmp(res->type, "resolution") != 0 || !state)
		return;
	/*
	 * Only an action on the current resolution counts: item ids follow the
	 * text, not the owners, so an action on a party's own rival or late
	 * revision, restating another party's item with itself as owner, would
	 * otherwise change that party's item in the resolution in effect.
	 */
	if (!inc->resolution || inc->resolution->entry != res)
		return;
	actions_of(&items, &count, inc, res);
	if (n < 1 || (size_t)n > count) {
		free(items);
		return;
	}
	for (i = 0; i < d->item_count && !rec; i++)
		if (strcmp(d->items[i].id, items[n - 1].id) == 0)
			rec = &d->items[i];
	if (!rec) {
		ACCORD_PUSH(d->items, d->item_count, items[n - 1]);
		rec = &d->items[d->item_count - 1];
	}
	free(items);
	if (strcmp(state, "assign") == 0) {
		if (accord_entry_str(e, "owner"))
			rec->owner = accord_entry_str(e, "owner");
		if (accord_entry_str(e, "link"))
			rec->link = accord_entry_str(e, "link");
		if (accord_entry_str(e, "due"))
			rec->due = accord_entry_str(e, "due");
	} else {
		rec->state = strcmp(state, "done") == 0	       ? ACCORD_ACTION_DONE
			     : strcmp(state, "not-doing") == 0 ? ACCORD_ACTION_NOT_DOING
							       : ACCORD_ACTION_OPEN;
		rec->done = rec->state != ACCORD_ACTION_OPEN;
		rec->note = accord_entry_str(e, "note");
	}
	rec->last = e;
	for (i = 0; inc->resolution && i < inc->resolution->action_count; i++)
		if (strcmp(inc->resolution->actions[i].id, rec->id) == 0)
			item_carry(&inc->resolution->actions[i], rec);
}

static void apply_entry(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	const char *t = e->type;

	if (!strcmp(t, "status")) {
		apply_status(inc, p, e);
	} else if (!strcmp(t, "impact")) {
		impact_conflict(inc, p, e);
		accord_figure_apply(inc, p, e);
	} else if (!strcmp(t, "sla")) {
		apply_sla(inc, p, e);
	} else if (!strcmp(t, "feedback")) {
		apply_feedback(inc, p, e);
	} else if (!strcmp(t, "involve")) {
		if (inc->closed_by && !in_past(inc, e, inc->closed_by)) {
			mark_late(inc, p, e, "close", inc->closed_by);
			return;
		}
		add_party_name(inc, accord_entry_str(e, "party"), e);
		if (accord_entry_str(e, "ticket"))
			add_ticket(inc, e, accord_entry_str(e, "party"),
				   accord_entry_str(e, "ticket"), accord_party_of(p, e));
		update_joint(inc, e); /* a newly involved party has not signed yet */
	} else if (!strcmp(t, "ticket")) {
		add_ticket(inc, e, accord_entry_str(e, "party"), accord_entry_str(e, "id"),
			   accord_party_of(p, e));
	} else if (!strcmp(t, "resolution")) {
		if (apply_proposal(inc, p, e) == 0)
			add_signature(inc, p, e); /* the proposer signs for its own party */
	} else if (!strcmp(t, "cosign")) {
		apply_cosign(inc, p, e);
	} else if (!strcmp(t, "action")) {
		apply_action(inc, e);
	} else if (!strcmp(t, "amend")) {
		apply_amend(inc, p, e);
	} else if (!strcmp(t, "retract")) {
		apply_retract(inc, p, e);
	} else if (!strcmp(t, "void") || !strcmp(t, "duplicate")) {
		apply_closure(inc, p, e);
	} else if (!strcmp(t, "dispute")) {
		apply_dispute(inc, p, e);
	}
}

/* What the open entry says: the first values, the parties, the tickets its author named. */
static void apply_open(accord_incident *inc, const accord_parties *p, const accord_entry *open)
{
	const char *by = accord_party_of(p, open);
	const cJSON *item;

	inc->open = open;
	inc->id = open->id;
	inc->title = accord_entry_str(open, "title");
	inc->service = accord_entry_str(open, "service");
	inc->severity = accord_entry_int(open, "severity", 0);
	inc->opened_at = open->time;
	time_field(&inc->started_at, open, "started_at");
	push_step(inc, p, open, "investigating");
	inc->customer_party =
		accord_incident_customer_party(p, open, inc->derive->in_past, inc->derive->payload);
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(open->body, "parties"))
		add_party_name(inc, cJSON_IsString(item) ? item->valuestring : NULL, open);
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(open->body, "tickets"))
		add_ticket(inc, open, accord_json_str(item, "party"), accord_json_str(item, "id"),
			   by);
	ACCORD_PUSH(inc->timeline, inc->timeline_count, open);
}

/* A timeline item, the time it is listed at, and its place in ledger order, which breaks ties. */
typedef struct {
	const accord_entry *entry;
	int64_t time;
	size_t place;
} placed;

static int by_time(const void *a, const void *b)
{
	const placed *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->place < y->place ? -1 : x->place > y->place;
}

/*
 * The time `e` is listed at: its signed time, or, once its party accepted
 * a dispute of it (co-signed it), the agreed time; and never before an
 * entry so moved that `e` has in its causal past, so the timeline still
 * never lists an entry before one it depends on. An open dispute moves
 * nothing: the signed claim stands, marked, until the signer accepts.
 * The oracle's error fails the build (in_past).
 */
static int64_t listed_time(accord_incident *inc, const accord_entry *e)
{
	int64_t t = e->time;
	size_t i;

	for (i = 0; i < inc->dispute_count; i++) {
		const accord_dispute *dp = &inc->disputes[i];

		if (!dp->retracted && dp->accepted_by && dp->at > t &&
		    (dp->target == e || in_past(inc, e, dp->target)))
			t = dp->at;
	}
	return t;
}

/* Show lists by time: offline work synced later reads in the order it happened. */
static void sort_timeline(accord_incident *inc)
{
	placed *items = calloc(inc->timeline_count + 1, sizeof(*items));
	size_t i;

	if (!items)
		abort();
	for (i = 0; i < inc->timeline_count; i++)
		items[i] = (placed){ inc->timeline[i], listed_time(inc, inc->timeline[i]), i };
	qsort(items, inc->timeline_count, sizeof(*items), by_time);
	for (i = 0; i < inc->timeline_count; i++)
		inc->timeline[i] = items[i].entry;
	free(items);
}

int accord_incident_build_from(accord_incident **out, const accord_parties *parties,
			       const accord_entry *const *entries, size_t count,
			       accord_in_past_fn in_past_fn, void *payload)
{
	struct accord_derive d = {
		in_past_fn, payload, ACCORD_IDMAP_INIT, 0, NULL, 0, NULL, 0, NULL, NULL, 0, NULL,
		NULL,	    0
	};
	accord_incident *inc;
	const accord_entry *open = count ? entries[0] : NULL;
	size_t i;
	int error;

	if (!open || strcmp(open->type, "open") != 0)
		return accord_error_set(ACCORD_EINVALID, "an incident starts with its open entry");
	if (!in_past_fn)
		return accord_error_set(ACCORD_EINVALID,
					"deriving an incident needs a causal oracle");
	if (!(inc = calloc(1, sizeof(*inc))))
		return accord_error_set(ACCORD_ENOMEM, "out of memory");
	inc->derive = &d;
	d.causal = parties ? parties->causal : NULL;
	for (i = 0; i < count; i++)
		if (i == 0 || strcmp(entries[i]->incident, open->id) == 0)
			accord_idmap_put(&d.held, entries[i]->id, (void *)entries[i]);
	apply_open(inc, parties, open);
	for (i = 1; i < count; i++) {
		if (strcmp(entries[i]->incident, open->id) != 0)
			continue;
		ACCORD_PUSH(inc->timeline, inc->timeline_count, entries[i]);
		apply_entry(inc, parties, entries[i]);
	}
	accord_figure_settle(inc);
	sort_timeline(inc);
	inc->derive = NULL;
	accord_idmap_dispose(&d.held);
	/* what the clocks (lib/ledger/clock.c) measure: the status history as decided, who involved whom */
	inc->steps = (accord_status_step *)d.steps;
	inc->step_count = d.step_count;
	inc->involved_by = d.party_by;
	resolution_free(d.rival);
	free(d.statuses);
	free(d.items);
	if ((error = d.error) < 0) {
		accord_incident_free(inc);
		return error;
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

	ACCORD_PUSH(list, n, open);
	for (i = 0; i < ledger->count; i++)
		if (strcmp(ledger->entries[i]->incident, open->id) == 0)
			ACCORD_PUSH(list, n, ledger->entries[i]);
	error = accord_incident_build_from(out, &ledger->parties, list, n,
					   accord_incident_ledger_in_past, (void *)ledger);
	free(list);
	return error;
}

/* The incident's entries, the open first, in ledger order. */
typedef struct {
	const accord_entry **entries;
	size_t count;
} entry_list;

int accord_incident_each(const accord_ledger *l, accord_incident_fn fn, void *payload)
{
	accord_idmap at = ACCORD_IDMAP_INIT;
	entry_list *lists = NULL;
	size_t nlists = 0, i, k;
	int error = 0;

	for (i = 0; i < l->count; i++) {
		const accord_entry *e = l->entries[i];
		const char *id = !strcmp(e->type, "open") ? e->id : e->incident;
		entry_list fresh = { NULL, 0 };

		if (!id || !id[0])
			continue;
		if (!strcmp(e->type, "open")) {
			ACCORD_PUSH(lists, nlists, fresh);
			accord_idmap_put(&at, e->id,
					 (void *)(uintptr_t)nlists); /* index + 1: never NULL */
		}
		if (!(k = (size_t)(uintptr_t)accord_idmap_get(&at, id)))
			continue; /* its open does not count */
		ACCORD_PUSH(lists[k - 1].entries, lists[k - 1].count, e);
	}
	for (k = 0; k < nlists && error == 0; k++) {
		accord_incident *inc = NULL;

		if ((error = accord_incident_build_from(
			     &inc, &l->parties, lists[k].entries, lists[k].count,
			     accord_incident_ledger_in_past, (void *)l)) < 0)
			break;
		accord_incident_settle_duplicate_in(inc, (accord_ledger *)l);
		error = fn(inc, payload);
		accord_incident_free(inc);
	}
	for (k = 0; k < nlists; k++)
		free(lists[k].entries);
	free(lists);
	accord_idmap_dispose(&at);
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

static int listed(const char *const *list, size_t count, const char *party)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (strcmp(list[i], party) == 0)
			return 1;
	return 0;
}

const accord_entry **accord_incident_pending(const accord_incident *inc, const char *party,
					     size_t *count)
{
	const accord_entry **out = NULL;
	size_t i, n = 0;

	if (inc->resolution && !inc->resolution->joint && !has_signed(inc->resolution, party))
		ACCORD_PUSH(out, n, inc->resolution->entry);
	for (i = 0; i < inc->figure_count; i++) {
		const accord_impact *w = &inc->figures[i];

		if ((w->disputed || w->pending) && !accord_str_eq(w->party, party) &&
		    !listed(w->signed_by, w->signed_count, party))
			ACCORD_PUSH(out, n, w->entry);
	}
	for (i = 0; i < inc->closure_count; i++) {
		const accord_closure *c = &inc->closures[i];

		if (!c->joint && !c->retracted && !listed(c->signed_by, c->signed_count, party))
			ACCORD_PUSH(out, n, c->entry);
	}
	/* a pause that stops its setter's own clock waits for the party waited on (lib/ledger/clock.c) */
	for (i = 1; i < inc->step_count; i++) {
		const accord_status_step *st = &inc->steps[i];
		const char *on = accord_entry_str(st->entry, "on");
		size_t j;

		if (strcmp(st->status, "waiting") != 0 || !accord_str_eq(on, party) ||
		    accord_str_eq(st->party, on) || accord_str_eq(st->party, inc->customer_party))
			continue;
		for (j = 0; j < inc->pause_sign_count && inc->pause_signs[j].pause != st->entry;
		     j++)
			;
		if (j == inc->pause_sign_count)
			ACCORD_PUSH(out, n, st->entry);
	}
	/* a dispute of the party's time waits for it: co-signing accepts the disputer's time */
	for (i = 0; i < inc->dispute_count; i++) {
		const accord_dispute *dp = &inc->disputes[i];

		if (!dp->retracted && !dp->accepted_by && accord_str_eq(dp->target_party, party))
			ACCORD_PUSH(out, n, dp->entry);
	}
	*count = n;
	return out;
}

void accord_incident_free(accord_incident *incident)
{
	size_t i;

	if (!incident)
		return;
	for (i = 0; i < incident->figure_count; i++)
		free(incident->figures[i].signed_by);
	for (i = 0; i < incident->closure_count; i++)
		free(incident->closures[i].signed_by);
	free(incident->figures);
	free(incident->impact);
	free(incident->sla);
	free(incident->feedback);
	free(incident->feedback_refused);
	free(incident->tickets);
	free(incident->amendments);
	free(incident->closures);
	free(incident->marks);
	free(incident->conflicts);
	for (i = 0; i < incident->text_count; i++)
		free(incident->texts[i]);
	free(incident->texts);
	free(incident->timeline);
	free(incident->parties);
	free(incident->involved_by);
	free(incident->steps);
	free(incident->pause_signs);
	free(incident->disputes);
	resolution_free(incident->resolution);
	free(incident);
}

const char *accord_duplicate_why_not(const char *self, const char *of,
				     accord_closed_as_fn closed_as, void *payload)
{
	const char **seen = NULL, *why = NULL, *cur = of;
	size_t n = 0, i;

	ACCORD_PUSH(seen, n, self);
	for (;;) {
		const char *kind = NULL, *next = NULL;

		for (i = 0; i < n && strcmp(seen[i], cur) != 0; i++)
			;
		if (i < n) {
			why = "no effect: the duplicates it leads through form a cycle";
			break;
		}
		if (closed_as(&kind, &next, cur, payload) < 0) {
			why = "no effect: it names no incident of this ledger";
			break;
		}
		if (!kind)
			break; /* ends at an incident that counts */
		if (strcmp(kind, "duplicate") != 0 || !next) {
			why = "no effect: the incident it duplicates is void";
			break;
		}
		ACCORD_PUSH(seen, n, cur);
		cur = next;
	}
	free(seen);
	return why;
}

static int ledger_closed_as(const char **kind, const char **of, const char *id, void *payload)
{
	accord_ledger *ledger = payload;
	const accord_entry *open;
	accord_incident *inc = NULL;

	if (accord_ledger_find_incident(&open, ledger, id) < 0 || strcmp(open->id, id) != 0 ||
	    accord_incident_build(&inc, ledger, open) < 0)
		return -1;
	*kind = inc->closed_as ? inc->closed_as->kind : NULL;
	*of = inc->closed_as ? inc->closed_as->of : NULL;
	accord_incident_free(inc);
	return 0;
}

const char *accord_duplicate_why_not_in(accord_ledger *ledger, const char *self, const char *of)
{
	return accord_duplicate_why_not(self, of, ledger_closed_as, ledger);
}

void accord_incident_settle_duplicate(accord_incident *inc, accord_closed_as_fn closed_as,
				      void *payload)
{
	size_t i;

	if (!inc->closed_as)
		return;
	/* the first joint void, or joint duplicate that takes effect; a later one may where an earlier cannot */
	for (i = inc->closed_as - inc->closures; i < inc->closure_count; i++) {
		accord_closure *c = &inc->closures[i];
		const char *why;

		if (!c->joint || c->retracted)
			continue;
		if (strcmp(c->kind, "duplicate") != 0 ||
		    !(why = accord_duplicate_why_not(inc->id, c->of ? c->of : "", closed_as,
						     payload))) {
			inc->closed_as = c;
			return;
		}
		mark(inc, c->entry, why, NULL);
	}
	inc->closed_as = NULL;
}

void accord_incident_settle_duplicate_in(accord_incident *inc, accord_ledger *ledger)
{
	accord_incident_settle_duplicate(inc, ledger_closed_as, ledger);
}
