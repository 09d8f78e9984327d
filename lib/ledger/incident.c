/*
 * An incident's state, derived from its entries in ledger order; decisions
 * (a close, a new round) are judged on their own causal past. Facts
 * belong to the party that recorded them (lib/ledger/figure.c decides which impact
 * windows count); corrections (amend, retract, void, duplicate) are entries
 * of their own, so nothing is rewritten. This file builds an incident: the
 * causal past, marks and conflicts, the open, the timeline, duplicates;
 * each kind of entry is applied in the file of its concern (incident_impl.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/buf.h"
#include "causal.h"
#include "accord/error.h"
#include "accord/idmap.h"
#include "accord/incident.h"
#include "json.h"
#include "accord/timefmt.h"

#include "figure.h"
#include "incident_impl.h"
#include "ledger_impl.h"
#include "alloc.h"

/* schemas/feedback.schema.json holds the same list */
const char *const accord_feedback_indicators[] = {
	"fast", "kept-informed", "slow", "had-to-repeat", "not-fixed", "poor-communication", NULL
};

const char *const accord_retractable_types[] = { "note",    "impact",	  "sla",  "feedback",
						 "ticket",  "resolution", "void", "duplicate",
						 "dispute", "agreement",  NULL };

int accord_retractable(const char *type)
{
	size_t i;

	for (i = 0; type && accord_retractable_types[i]; i++)
		if (strcmp(type, accord_retractable_types[i]) == 0)
			return 1;
	return 0;
}

void accord_derive_time_field(int64_t *out, const accord_entry *e, const char *key)
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
	int vouched;		     /* the caller names both parties, involved in the incident */
	const char *const *involved; /* the parties involved, NULL: those the open names */
	size_t involved_count;
	const accord_parties *p;       /* for customer_top: the agreements */
	const accord_entry *const *by; /* beside involved: the open or involve of each, or NULL */
	const char *service;	       /* the scope the terms must cover; severity -1: any */
	int64_t severity;
};

static int names_party(const accord_entry *open, const char *party)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(open->body, "parties"))
		if (cJSON_IsString(item) && !strcmp(item->valuestring, party))
			return 1;
	return 0;
}

/* Whether the open was signed by a member of `party`, or of a party it brought into the ledger. */
static int opened_by(const struct follows_arg *x, const char *party)
{
	const accord_member *m = x->p ? accord_parties_member(x->p, x->open->author.id) : NULL;

	return m && accord_parties_index_brought_in(x->p, m->party, party);
}

/*
 * Whether the terms apply to the open: 1 when it has the agreement's
 * co-signature in its causal past (the oracle answers from the
 * co-signature's place: key, seq, clock). An open by the provider, or by
 * a party the provider brought in, is held to the terms the provider
 * co-signed unless the co-signature saw the open (it provably came first):
 * 2, terms that bind it unseen (accord_agreement_in_force). A device of the
 * provider's, or of its sock, that never fetches again cannot open its
 * customer's outages outside them (attack40 07, attack42 01), what the
 * provider opened before it signed stays as it was, and a co-signature
 * written out of sight of the open never replaces terms the open saw
 * (attack42 06).
 */
/* The terms' i-th co-signature (0: the one that made them joint) as a stand-in entry. */
static void cosign_stub(accord_entry *stub, const accord_agreement *a, size_t i)
{
	const accord_agreement_cosign *c = i ? &a->also[i - 1] : NULL;

	memcpy(stub->id, c ? c->id : a->joint_id, sizeof(stub->id));
	memcpy(stub->author.id, c ? c->key : a->joint_key, sizeof(stub->author.id));
	stub->seq = c ? c->seq : a->joint_seq;
	stub->lamport = c ? c->lamport : a->joint_lamport;
	stub->time = c ? c->time : a->joint_at;
}

static int open_follows(const accord_agreement *a, void *arg)
{
	struct follows_arg *x = arg;
	accord_entry *stub;
	size_t i, n = 1 + a->also_count;
	int yes = 0, first = 1;

	if (!(stub = calloc(1, sizeof(*stub))))
		accord_oom();
	/*
	 * Every co-signature of the terms counts: the open follows them if it
	 * saw any, and came first only if every one saw it (attack44 03).
	 */
	for (i = 0; i < n && yes == 0; i++) {
		cosign_stub(stub, a, i);
		if (x->open->lamport > stub->lamport)
			yes = x->in_past(x->open, stub, x->payload);
	}
	if (yes == 0 && opened_by(x, a->provider)) {
		for (i = 0; i < n && first > 0; i++) {
			cosign_stub(stub, a, i);
			first = stub->lamport > x->open->lamport
					? x->in_past(stub, x->open, x->payload)
					: 0;
		}
		yes = first < 0 ? first : first ? 0 : 2;
	}
	free(stub);
	return yes;
}

static int involved(const struct follows_arg *x, const char *party)
{
	size_t i;

	if (!x->involved)
		return names_party(x->open, party);
	for (i = 0; i < x->involved_count; i++)
		if (x->involved[i] && !strcmp(x->involved[i], party))
			return 1;
	return 0;
}

/*
 * open_follows, for an agreement between two parties the incident
 * involves, named by the open or involved later: a provider that opens
 * alone and involves its customer after is still held to the terms
 * (attack32 02).
 */
static int open_follows_between(const accord_agreement *a, void *arg)
{
	struct follows_arg *x = arg;

	if (!x->vouched && !(involved(x, a->customer) && involved(x, a->provider)))
		return 0;
	return open_follows(a, arg);
}

const accord_agreement *accord_incident_agreement(const accord_parties *p, const accord_entry *open,
						  const char *service, int64_t severity,
						  const char *customer, const char *provider,
						  accord_in_past_fn in_past, void *payload)
{
	struct follows_arg x = { open, in_past, payload, customer && provider, NULL, 0, p,
				 NULL, service, severity };

	return accord_agreement_in_force(p->agreements, p->agreement_count, customer, provider,
					 service, severity, open_follows_between, &x);
}

/*
 * open_follows_between, for an agreement whose customer is no provider of
 * another agreement in force among the parties involved: the end of the
 * chain is the customer, not a provider that signed terms as the customer
 * of a party of its own (attack33 02).
 */
static int customer_top(const accord_agreement *a, void *arg)
{
	struct follows_arg *x = arg, mine = *x;
	const char **names = NULL;
	size_t n = 0, i;
	int top, f;

	if ((f = open_follows_between(a, arg)) <= 0)
		return f;
	/*
	 * A provider of parties the open names or that its own party involved:
	 * another party (its own provider) cannot make it one by involving its
	 * customer (attack35 04).
	 */
	if (x->involved && x->by) {
		ACCORD_PUSH(names, n, a->customer);
		for (i = 0; i < x->involved_count; i++)
			if (x->by[i] == x->open ||
			    accord_str_eq(accord_party_of(x->p, x->by[i]), a->customer))
				ACCORD_PUSH(names, n, x->involved[i]);
		mine.involved = names;
		mine.involved_count = n;
	}
	top = !accord_agreement_in_force(x->p->agreements, x->p->agreement_count, NULL, a->customer,
					 x->service, x->severity, open_follows_between, &mine);
	free(names);
	return top ? f : 0;
}

/*
 * One more end of the chain: its terms weigh against the others' as
 * stricter or not (accord_agreement_stricter), those that bind the
 * opener's party (*bound) before any between other parties (*other): a
 * customer of a sock's sock, held to any terms, never displaces one the
 * opener answers to (attack38 04).
 */
static void end_of_chain(const accord_agreement **bound, const accord_agreement **other,
			 const char *opener, const accord_agreement *a, int *ends)
{
	*ends += a != NULL;
	if (a && accord_str_eq(a->provider, opener))
		*bound = accord_agreement_stricter(*bound, a);
	else if (a)
		*other = accord_agreement_stricter(*other, a);
}

/*
 * The terms that hold `customer`, an end of the chain (customer_top), to
 * its provider: those covering the open's severity, else those for its
 * service at any severity. The severity is the opener's to choose: filed
 * under one the customer's terms do not cover, a sock's lax terms there
 * would otherwise outrank the customer's (attack39 04).
 */
static const accord_agreement *end_terms(const accord_parties *p, const char *customer,
					 struct follows_arg *x)
{
	const accord_agreement *a;
	int64_t severity = x->severity;

	a = accord_agreement_in_force(p->agreements, p->agreement_count, customer, NULL, x->service,
				      severity, customer_top, x);
	if (!a && severity >= 0) {
		x->severity = -1;
		a = accord_agreement_in_force(p->agreements, p->agreement_count, customer, NULL,
					      x->service, -1, customer_top, x);
		x->severity = severity;
	}
	return a;
}

/*
 * The agreement in force among the parties involved (`names`; NULL: those
 * the open names) whose customer is the end of the chain (customer_top).
 * Of several ends, the opener's party, else the stricter terms in effect
 * of those that bind the opener's party, else of any (end_of_chain):
 * neither the order the opener named or involved them in nor the more
 * specific terms of a sock party displace a customer held to tighter
 * terms (attack34 03, attack37 02, attack38 04).
 */
static const accord_agreement *agreement_among(const accord_parties *p, const accord_entry *open,
					       int64_t severity, const char *const *names,
					       const accord_entry *const *by, size_t count,
					       accord_in_past_fn in_past, void *payload, int *ends)
{
	const char *service = accord_entry_str(open, "service"), *opener = accord_party_of(p, open);
	struct follows_arg x = {
		open, in_past, payload, 0, names, count, p, by, service, severity
	};
	const accord_agreement *a = NULL, *other = NULL;
	const char **mine = NULL;
	const accord_entry **mine_by = NULL;
	const cJSON *item;
	size_t i, n = 0, nb = 0;

	/*
	 * The parties the open names and those its opener's party involved:
	 * another party's involve never takes the seat from the opener's party,
	 * whether by a customer of its own, its own provider or a sock (attack36
	 * 02, attack37 01); a provider that opened alone and involves its
	 * customer is held to the terms (attack32 02).
	 */
	for (i = 0; names && by && i < count; i++)
		if (by[i] == open || accord_str_eq(accord_party_of(p, by[i]), opener)) {
			ACCORD_PUSH(mine, n, names[i]);
			ACCORD_PUSH(mine_by, nb, by[i]);
		}
	if (names && by) {
		x.involved = names = mine;
		x.by = by = mine_by;
		x.involved_count = count = n;
		if (!n) { /* not even the opener's: no chain */
			free(mine);
			free(mine_by);
			return NULL;
		}
	}
	if (opener)
		a = end_terms(p, opener, &x);
	if (a) {
		*ends = 1;
		goto done;
	}
	if (!names)
		cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(open->body, "parties"))
			if (cJSON_IsString(item))
				end_of_chain(&a, &other, opener,
					     end_terms(p, item->valuestring, &x), ends);
	for (i = 0; names && i < count; i++)
		if (names[i])
			end_of_chain(&a, &other, opener, end_terms(p, names[i], &x), ends);
	if (!a)
		a = other;
done:
	free(mine);
	free(mine_by);
	return a;
}

/*
 * The customer-facing party: the customer side of the agreement in force
 * between parties the open names; without one, of an agreement in force
 * among all the parties involved (`names`; a provider that opens alone and
 * involves its customer after is held to the terms, attack32 02); each
 * customer weighed by its terms covering the open's severity, else by its
 * terms for the service at any severity (end_terms): a provider that files
 * its customer's outage under a severity the customer's terms do not cover
 * still answers to that customer, who can amend it (attack38 01), even
 * when a sock's lax terms cover that severity (attack39 04); else the
 * opener. An involve never replaces a customer-facing party that the
 * open's parties' agreement decided. `*terms` (when not NULL) is the
 * agreement that decided it, and `*contested` whether other customers
 * contested the seat.
 */
static const char *customer_among(const accord_parties *p, const accord_entry *open,
				  const char *const *names, const accord_entry *const *by,
				  size_t count, accord_in_past_fn in_past, void *payload,
				  const accord_agreement **terms, int *contested)
{
	int64_t severity = accord_entry_int(open, "severity", 0);
	const accord_agreement *a;
	const accord_party *party;
	int ends = 0;

	a = agreement_among(p, open, severity, NULL, NULL, 0, in_past, payload, &ends);
	if (!a && names) {
		ends = 0;
		a = agreement_among(p, open, severity, names, by, count, in_past, payload, &ends);
	}
	party = a ? accord_parties_find(p, a->customer) : NULL;
	if (terms)
		*terms = party ? a : NULL;
	if (contested)
		*contested = party && ends > 1;
	return party ? party->name : accord_party_of(p, open);
}

const char *accord_party_of(const accord_parties *p, const accord_entry *e)
{
	const accord_member *m = accord_parties_member(p, e->author.id);

	return m ? p->parties[m->party].name : NULL;
}

/*
 * Whether `earlier` is in `later`'s causal past, answered from the
 * incident's own entries when they can: the Lamport clock rules out what
 * cannot be, one feed compares by seq, and a walk through prev and deps
 * that reaches `earlier`'s feed at or past its seq proves it. Only a walk
 * that leaves the entries held asks the oracle. On the oracle's error the
 * answer is 0 and the build fails.
 */
int accord_derive_in_past(accord_incident *inc, const accord_entry *later,
			  const accord_entry *earlier)
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
		accord_oom();
	ACCORD_PUSH(inc->texts, inc->text_count, text);
	return text;
}

/* What an entry of `type` did to a closed incident, for its late mark. */
static const char *late_verb(const char *type)
{
	if (!strcmp(type, "amend"))
		return "amends";
	if (!strcmp(type, "dispute"))
		return "disputes a time of";
	if (!strcmp(type, "retract"))
		return "retracts a window of";
	return "proposed on";
}

/* Who wrote `decision` and when, as marks name it: "acme", "2026-03-01 14:02". */
static const char *decided(char t[ACCORD_TIME_LEN], const accord_parties *p,
			   const accord_entry *decision)
{
	const char *party = accord_party_of(p, decision);

	accord_time_format(t, decision->time);
	t[10] = ' ';
	t[16] = '\0';
	return party ? party : "an unknown party";
}

/* "late: written without knowing of the close by acme at 2026-03-01 14:02" */
void accord_derive_mark_late(accord_incident *inc, const accord_parties *p, const accord_entry *e,
			     const char *what, const accord_entry *decision)
{
	char t[ACCORD_TIME_LEN];
	const char *party = decided(t, p, decision);
	accord_buf b = ACCORD_BUF_INIT;

	if (what)
		accord_buf_printf(&b, "late: written without knowing of the %s by %s at %s", what,
				  party, t);
	else
		accord_buf_printf(
			&b, "late: %s the incident closed by %s at %s, with no reopen before it",
			late_verb(e->type), party, t);
	accord_derive_mark(inc, e, keep_text(inc, accord_buf_detach(&b)), decision);
}

/* "no effect: closed at once with the close by globex at 2026-03-01 13:05, ..." */
void accord_derive_mark_closed_at_once(accord_incident *inc, const accord_parties *p,
				       const accord_entry *e, const accord_entry *close)
{
	char t[ACCORD_TIME_LEN];
	const char *party = decided(t, p, close);
	accord_buf b = ACCORD_BUF_INIT;

	accord_buf_printf(&b,
			  "no effect: closed at once with the close by %s at %s, on the same "
			  "joint resolution",
			  party, t);
	accord_derive_mark(inc, e, keep_text(inc, accord_buf_detach(&b)), close);
}

void accord_derive_late_on_close(accord_incident *inc, const accord_parties *p,
				 const accord_entry *e)
{
	accord_derive_mark_late(inc, p, e, accord_derive_knows_close(inc, e) ? NULL : "close",
				inc->closed_by);
}

int accord_derive_is_late(const accord_incident *inc, const accord_entry *e)
{
	const accord_mark *m = accord_incident_mark(inc, e);

	return m && strncmp(m->mark, "late:", 5) == 0;
}

/* A conflict of `kind` between `a` (earlier in ledger order) and `b`, once. */
void accord_derive_add_conflict(accord_incident *inc, const char *kind, const char *subject,
				const accord_entry *a, const accord_entry *b)
{
	accord_conflict c = { kind, subject, a, b };
	size_t i;

	for (i = 0; i < inc->conflict_count; i++)
		if (inc->conflicts[i].a == a && inc->conflicts[i].b == b &&
		    !strcmp(inc->conflicts[i].kind, kind))
			return;
	ACCORD_PUSH(inc->conflicts, inc->conflict_count, c);
}

/*
 * An entry of `kind` (and `subject`) that has both sides of a conflict in
 * its past settles it. One that has a single side in its past is a later
 * version of that side, still unaware of the other: the conflict is now
 * between it and the other side (attack72 01: a corrected figure left the
 * conflict naming the version it replaced, shown as the one in effect).
 */
void accord_derive_settle_conflicts(accord_incident *inc, const accord_parties *own,
				    const char *kind, const char *subject, const accord_entry *e)
{
	size_t i = 0;

	while (i < inc->conflict_count) {
		accord_conflict *c = &inc->conflicts[i];
		int knows_a, knows_b;

		if (strcmp(c->kind, kind) != 0 ||
		    (subject && !accord_str_eq(c->subject, subject)) ||
		    (own && !accord_str_eq(accord_party_of(own, c->a), accord_party_of(own, e)))) {
			i++;
			continue;
		}
		knows_a = c->a == e || accord_derive_in_past(inc, e, c->a);
		knows_b = c->b == e || accord_derive_in_past(inc, e, c->b);
		if (knows_a && knows_b) {
			memmove(c, c + 1, (inc->conflict_count - i - 1) * sizeof(*c));
			inc->conflict_count--;
			continue;
		}
		if (knows_a)
			c->a = c->b;
		if (knows_a || knows_b)
			c->b = e;
		i++;
	}
}

void accord_derive_mark(accord_incident *inc, const accord_entry *e, const char *text,
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

static void apply_entry_now(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	const char *t = e->type;

	if (!strcmp(t, "status")) {
		accord_derive_apply_status(inc, p, e);
	} else if (!strcmp(t, "impact")) {
		if (inc->closed_by && accord_figure_rescores(inc, p, e)) {
			/* a new version is a retract by another name: late while the close stands (attack92 01) */
			accord_derive_late_on_close(inc, p, e);
			return;
		}
		accord_derive_impact_conflict(inc, p, e);
		accord_figure_apply(inc, p, e);
	} else if (!strcmp(t, "sla")) {
		accord_derive_apply_sla(inc, p, e);
	} else if (!strcmp(t, "feedback")) {
		accord_derive_apply_feedback(inc, p, e);
	} else if (!strcmp(t, "involve")) {
		if (inc->closed_by && !accord_derive_knows_close(inc, e)) {
			accord_derive_mark_late(inc, p, e, "close", inc->closed_by);
			return;
		}
		accord_derive_add_party_name(inc, accord_entry_str(e, "party"), e);
		if (accord_entry_str(e, "ticket"))
			accord_derive_add_ticket(inc, e, accord_entry_str(e, "party"),
						 accord_entry_str(e, "ticket"),
						 accord_party_of(p, e));
		accord_derive_update_joint(inc, e); /* a newly involved party has not signed yet */
		accord_derive_closures_involve(inc);
	} else if (!strcmp(t, "ticket")) {
		accord_derive_add_ticket(inc, e, accord_entry_str(e, "party"),
					 accord_entry_str(e, "id"), accord_party_of(p, e));
	} else if (!strcmp(t, "resolution")) {
		if (accord_derive_apply_proposal(inc, p, e) == 0)
			accord_derive_add_signature(inc, p,
						    e); /* the proposer signs for its own party */
	} else if (!strcmp(t, "cosign")) {
		accord_derive_apply_cosign(inc, p, e);
	} else if (!strcmp(t, "action")) {
		accord_derive_apply_action(inc, e);
	} else if (!strcmp(t, "amend")) {
		accord_derive_apply_amend(inc, p, e);
	} else if (!strcmp(t, "retract")) {
		accord_derive_apply_retract(inc, p, e);
	} else if (!strcmp(t, "void") || !strcmp(t, "duplicate")) {
		accord_derive_apply_closure(inc, p, e);
	} else if (!strcmp(t, "dispute")) {
		accord_derive_apply_dispute(inc, p, e);
	}
}

/*
 * A window, amend, dispute or retract that sorts after the close in effect
 * but that a close of the same round, written at once with it and sorting
 * later, knew of: the decision judged it, as if it sorted before the close
 * (attack109 01). Else the close that sorts first, the one that knew
 * least, made it late.
 */
static void apply_entry(accord_incident *inc, const accord_parties *p, const accord_entry *e)
{
	struct accord_derive *d = inc->derive;
	const accord_entry *close = inc->closed_by;
	int once = d->closed_once;

	if (!close ||
	    (strcmp(e->type, "impact") != 0 && strcmp(e->type, "amend") != 0 &&
	     strcmp(e->type, "dispute") != 0 && strcmp(e->type, "retract") != 0) ||
	    !accord_derive_ahead_knew(inc, e)) {
		apply_entry_now(inc, p, e);
		return;
	}
	inc->closed_by = NULL;
	d->closed_once = d->once_before;
	apply_entry_now(inc, p, e);
	inc->closed_by = close;
	d->closed_once = once;
}

/* What the open entry says: the first values, the parties, the tickets its author named. */
static void apply_open(accord_incident *inc, const accord_parties *p, const accord_entry *open,
		       const char *const *involved_names, const accord_entry *const *involved_by,
		       size_t involved_count)
{
	const char *by = accord_party_of(p, open);
	const cJSON *item;

	inc->open = open;
	inc->id = open->id;
	inc->title = accord_entry_str(open, "title");
	inc->service = accord_entry_str(open, "service");
	inc->severity = accord_entry_int(open, "severity", 0);
	inc->opened_at = open->time;
	inc->opener_party = by;
	accord_derive_time_field(&inc->started_at, open, "started_at");
	/* an impact cannot start after it was reported: a forged open's later start would move the clocks (attack40 02) */
	if (inc->started_at > open->time)
		inc->started_at = open->time;
	accord_derive_push_step(inc, p, open, "investigating");
	inc->customer_party = customer_among(p, open, involved_names, involved_by, involved_count,
					     inc->derive->in_past, inc->derive->payload,
					     &inc->seat_terms, &inc->seat_contested);
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(open->body, "parties"))
		accord_derive_add_party_name(inc, cJSON_IsString(item) ? item->valuestring : NULL,
					     open);
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(open->body, "tickets"))
		accord_derive_add_ticket(inc, open, accord_json_str(item, "party"),
					 accord_json_str(item, "id"), by);
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
		    (dp->target == e || accord_derive_in_past(inc, e, dp->target)))
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
		accord_oom();
	for (i = 0; i < inc->timeline_count; i++)
		items[i] = (placed){ inc->timeline[i], listed_time(inc, inc->timeline[i]), i };
	qsort(items, inc->timeline_count, sizeof(*items), by_time);
	for (i = 0; i < inc->timeline_count; i++)
		inc->timeline[i] = items[i].entry;
	free(items);
}

/* Derive the incident, taking its customer-facing party among `names` (apply_open). */
static int derive(accord_incident **out, const accord_parties *parties,
		  const accord_entry *const *entries, size_t count, accord_in_past_fn in_past_fn,
		  void *payload, const char *const *names, const accord_entry *const *by, size_t n)
{
	struct accord_derive d;
	accord_incident *inc;
	const accord_entry *open = count ? entries[0] : NULL;
	size_t i;
	int error;

	memset(&d, 0, sizeof(d));
	d.in_past = in_past_fn;
	d.payload = payload;
	d.all = entries;
	d.all_count = count;
	if (!open || strcmp(open->type, "open") != 0)
		return accord_error_set(ACCORD_EINVALID, "an incident starts with its open entry");
	if (!in_past_fn)
		return accord_error_set(ACCORD_EINVALID,
					"deriving an incident needs a causal oracle");
	inc = accord_xcalloc(1, sizeof(*inc));
	inc->derive = &d;
	d.causal = parties ? parties->causal : NULL;
	for (i = 0; i < count; i++)
		if (i == 0 || strcmp(entries[i]->incident, open->id) == 0)
			accord_idmap_put(&d.held, entries[i]->id, (void *)entries[i]);
	apply_open(inc, parties, open, names, by, n);
	for (i = 1; i < count; i++) {
		if (strcmp(entries[i]->incident, open->id) != 0)
			continue;
		ACCORD_PUSH(inc->timeline, inc->timeline_count, entries[i]);
		apply_entry(inc, parties, entries[i]);
	}
	accord_figure_settle(inc);
	inc->ordered = accord_xmalloc((inc->timeline_count + 1) * sizeof(*inc->ordered));
	memcpy(inc->ordered, inc->timeline, inc->timeline_count * sizeof(*inc->ordered));
	inc->ordered_count = inc->timeline_count;
	sort_timeline(inc);
	accord_derive_keep_joint(inc);
	inc->derive = NULL;
	accord_idmap_dispose(&d.held);
	/* what the clocks (lib/ledger/clock.c) measure: the status history as decided, who involved whom */
	inc->steps = (accord_status_step *)d.steps;
	inc->step_count = d.step_count;
	inc->involved_by = d.party_by;
	for (size_t k = 0; k < d.made_count; k++)
		if (d.made[k] != inc->resolution && d.made[k] != inc->kept_joint)
			accord_derive_resolution_free(d.made[k]);
	free(d.made);
	for (i = 0; i < d.replaced_count; i++)
		free(d.replaced[i].w.signed_by);
	free(d.replaced);
	free(d.statuses);
	free(d.closes);
	free(d.ahead);
	free(d.also_by);
	free(d.items);
	if ((error = d.error) < 0) {
		accord_incident_free(inc);
		return error;
	}
	*out = inc;
	return 0;
}

int accord_incident_build_from(accord_incident **out, const accord_parties *parties,
			       const accord_entry *const *entries, size_t count,
			       accord_in_past_fn in_past_fn, void *payload)
{
	const accord_entry *open = count ? entries[0] : NULL;
	const char **names = NULL, *final;
	const accord_entry **by = NULL;
	accord_incident *inc = NULL;
	const cJSON *item;
	size_t n = 0, nb = 0, i;
	int error;

	if (!open || strcmp(open->type, "open") != 0 || !in_past_fn)
		return derive(out, parties, entries, count, in_past_fn, payload, NULL, NULL, 0);
	/* first every party any involve names, then those that stayed involved */
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(open->body, "parties"))
		if (cJSON_IsString(item)) {
			ACCORD_PUSH(by, nb, open);
			ACCORD_PUSH(names, n, item->valuestring);
		}
	for (i = 1; i < count; i++)
		if (!strcmp(entries[i]->incident, open->id) &&
		    !strcmp(entries[i]->type, "involve") && accord_entry_str(entries[i], "party")) {
			ACCORD_PUSH(by, nb, entries[i]);
			ACCORD_PUSH(names, n, accord_entry_str(entries[i], "party"));
		}
	error = derive(&inc, parties, entries, count, in_past_fn, payload, names, by, n);
	free(names);
	free(by);
	names = NULL;
	n = 0;
	if (error < 0)
		return error;
	/*
	 * An involve the close made late (without effect) involves no one: the
	 * customer-facing party is taken again among the parties that stayed,
	 * and the incident derived with it (attack33 03).
	 */
	final = customer_among(parties, open, inc->parties, inc->involved_by, inc->party_count,
			       in_past_fn, payload, NULL, NULL);
	if (!accord_str_eq(final, inc->customer_party)) {
		by = NULL;
		nb = 0;
		for (i = 0; i < inc->party_count; i++) {
			ACCORD_PUSH(names, n, inc->parties[i]);
			ACCORD_PUSH(by, nb, inc->involved_by[i]);
		}
		accord_incident_free(inc);
		inc = NULL;
		error = derive(&inc, parties, entries, count, in_past_fn, payload, names, by, n);
		free(names);
		free(by);
		if (error < 0)
			return error;
	}
	*out = inc;
	return 0;
}

int accord_incident_build(accord_incident **out, const accord_ledger *ledger,
			  const accord_entry *open)
{
	const accord_entry **list = NULL;
	size_t n = 0, i, count;
	const accord_entry *const *naming = accord_ledger_naming(ledger, open->id, &count);
	int error;

	ACCORD_PUSH(list, n, open);
	for (i = 0; i < count; i++)
		ACCORD_PUSH(list, n, naming[i]);
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
	free(incident->ordered);
	free(incident->parties);
	free(incident->involved_by);
	free(incident->steps);
	free(incident->pause_signs);
	free(incident->disputes);
	if (incident->kept_joint != incident->resolution)
		accord_derive_resolution_free(incident->kept_joint);
	accord_derive_resolution_free(incident->resolution);
	free(incident);
}

/*
 * A link of the chain that is broken (the incident it names is void, is no
 * incident, or the links come back to one passed) has no effect, so the
 * incident holding it counts, and a chain from further back ends there
 * (attack126 03): A duplicates B, B duplicates C, C void: B counts, A stays
 * its duplicate. Only when that incident has no later joint void or
 * duplicate, which might take effect instead (the callback tells); else,
 * as for a broken first link, the duplicate has no effect.
 */
const char *accord_duplicate_why_not(const char *self, const char *of,
				     accord_closed_as_fn closed_as, void *payload)
{
	const char **seen = NULL, *why = NULL, *cur = of;
	int *later_of = NULL, later = 0;
	size_t n = 0, i;

	ACCORD_PUSH(seen, n, self);
	later_of = accord_xcalloc(1, sizeof(*later_of));
	for (;;) {
		const char *kind = NULL, *next = NULL;
		int *grown;

		for (i = 0; i < n && strcmp(seen[i], cur) != 0; i++)
			;
		if (i < n) {
			/* a cycle: its links have no effect; one not through self ends where it was entered */
			if (i == 0 || later_of[i])
				why = "no effect: the duplicates it leads through form a cycle";
			break;
		}
		if (closed_as(&kind, &next, &later, cur, payload) < 0) {
			if (n == 1 || later_of[n - 1])
				why = "no effect: it names no incident of this ledger";
			break;
		}
		if (!kind)
			break; /* ends at an incident that counts */
		if (strcmp(kind, "duplicate") != 0 || !next) {
			if (n == 1 || later_of[n - 1])
				why = "no effect: the incident it duplicates is void";
			break;
		}
		ACCORD_PUSH(seen, n, cur);
		if (!(grown = realloc(later_of, n * sizeof(*later_of))))
			accord_oom();
		later_of = grown;
		later_of[n - 1] = later;
		cur = next;
	}
	free(seen);
	free(later_of);
	return why;
}

static int later_closures(const accord_incident *inc)
{
	size_t i;

	for (i = inc->closed_as ? (size_t)(inc->closed_as - inc->closures) + 1 : inc->closure_count;
	     i < inc->closure_count; i++)
		if (inc->closures[i].joint && !inc->closures[i].retracted)
			return 1;
	return 0;
}

static int ledger_closed_as(const char **kind, const char **of, int *later, const char *id,
			    void *payload)
{
	accord_ledger *ledger = payload;
	const accord_entry *open;
	accord_incident *inc = NULL;

	if (accord_ledger_find_incident(&open, ledger, id) < 0 || strcmp(open->id, id) != 0 ||
	    accord_incident_build(&inc, ledger, open) < 0)
		return -1;
	*kind = inc->closed_as ? inc->closed_as->kind : NULL;
	*of = inc->closed_as ? inc->closed_as->of : NULL;
	*later = later_closures(inc);
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
		accord_derive_mark(inc, c->entry, why, NULL);
	}
	inc->closed_as = NULL;
}

void accord_incident_settle_duplicate_in(accord_incident *inc, accord_ledger *ledger)
{
	accord_incident_settle_duplicate(inc, ledger_closed_as, ledger);
}
