/*
 * Parties and their members: who may write what, entry by entry in ledger
 * order. This file holds the state, party names, founding a party
 * (genesis, party-accept) and the check every other entry's author
 * passes; accord_parties_apply sends each entry to its rule, and the
 * rules live in the file of their concern (party_impl.h).
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

void accord_parties_init(accord_parties *p)
{
	memset(p, 0, sizeof(*p));
}

static void free_incident(accord_party_incident *inc)
{
	if (inc) {
		free(inc->parties);
		free(inc->by);
		free(inc);
	}
}

void accord_parties_dispose(accord_parties *p)
{
	size_t i;

	for (i = 0; i < p->member_count; i++)
		free(p->members[i]);
	for (i = 0; i < p->incidents.size; i++)
		if (p->incidents.slots[i].key)
			free_incident(p->incidents.slots[i].value);
	for (i = 0; i < p->agreement_count; i++)
		accord_agreement_free(p->agreements[i]);
	free(p->agreements);
	free(p->members);
	free(p->parties);
	free(p->invites);
	free(p->offers);
	accord_idmap_dispose(&p->member_by_key);
	accord_idmap_dispose(&p->incidents);
	accord_idmap_dispose(&p->proposals);
	memset(p, 0, sizeof(*p));
}

const accord_member *accord_parties_member(const accord_parties *p, const char *keyid)
{
	return accord_idmap_get(&p->member_by_key, keyid);
}

const accord_party *accord_parties_find(const accord_parties *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->party_count; i++)
		if (strcmp(p->parties[i].name, name) == 0)
			return &p->parties[i];
	return NULL;
}

int accord_parties_index_brought_in(const accord_parties *p, size_t party, const char *by)
{
	size_t hops;

	/* each step goes to an earlier party: no more steps than parties */
	for (hops = 0; party < p->party_count && hops <= p->party_count; hops++) {
		if (accord_party_names_alike(p->parties[party].name, by))
			return 1;
		party = p->parties[party].inviter;
	}
	return 0;
}

int accord_parties_brought_in(const accord_parties *p, const char *name, const char *by)
{
	size_t i, found = 0;

	for (i = 0; i < p->party_count; i++) {
		if (!accord_party_names_alike(p->parties[i].name, name))
			continue;
		if (!accord_parties_index_brought_in(p, i, by))
			return 0; /* a namesake never hides a party another brought in (attack42 04) */
		found++;
	}
	return found > 0;
}

const accord_invite *accord_parties_pending_invite(const accord_parties *p, const char *keyid,
						   const char *party)
{
	size_t i;

	for (i = 0; i < p->invite_count; i++) {
		const accord_invite *inv = &p->invites[i];

		if (inv->accepted)
			continue;
		if ((keyid && strcmp(inv->key.id, keyid) == 0) ||
		    (party && strcmp(inv->party, party) == 0))
			return inv;
	}
	return NULL;
}

const accord_invite *accord_parties_invite_for(const accord_parties *p, const char *keyid)
{
	return accord_parties_pending_invite(p, keyid, NULL);
}

const accord_party_incident *accord_parties_incident(const accord_parties *p, const char *id)
{
	return accord_idmap_get(&p->incidents, id);
}

void accord_parties_label(char *out, size_t len, const accord_parties *p, const char *keyid)
{
	const accord_member *m = accord_parties_member(p, keyid);

	if (m)
		snprintf(out, len, "%s@%s", m->key.name, p->parties[m->party].name);
	else
		snprintf(out, len, "%.12s", keyid);
}

int accord_parties_deny(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return accord_error_set(ACCORD_EDENIED, "%s", msg);
}

/* A refusal by the revocation rule: past the key's cut. */
static int deny_cut(accord_parties *p, const accord_member *m, const accord_entry *e)
{
	p->last_rule = m->revocation && p->causal &&
				       accord_causal_in_past(p->causal, e, m->revocation) == 1
			       ? ACCORD_RULE_AFTER_REVOCATION
			       : ACCORD_RULE_PAST_CUT;
	return accord_parties_deny(
		"key %.12s (%s@%s) was revoked with cut %lld; this %s entry is seq %lld, beyond it%s",
		e->author.id, m->key.name, p->parties[m->party].name, (long long)m->cut, e->type,
		(long long)e->seq,
		/* without a graph (a state the index restored) neither can be told */
		!p->causal ? ""
		: p->last_rule == ACCORD_RULE_AFTER_REVOCATION
			? ", written after the revocation"
			: " (written before its author learned of the revocation)");
}

/*
 * 1 if entry `id` is in the causal past of `e`. Without a graph (a caller
 * checking its own entry against a state it holds whole) or an id (a
 * state restored by the index), everything known is.
 */
int accord_parties_seen_id(const accord_parties *p, const accord_entry *e, const char *id)
{
	const char *keyid = NULL;
	int64_t seq = 0;

	if (!p->causal || !id[0])
		return 1;
	if (!accord_causal_find(p->causal, id, &keyid, &seq))
		return 0;
	return accord_causal_seen(p->causal, e->id, keyid) >= seq;
}

/*
 * A name as a reader sees it (after Unicode TR39's "skeleton", for the
 * name alphabet [A-Za-z0-9._-]): case folded, I l 1 as l, O 0 as o, rn as
 * m, vv as w, and . _ - as one. NULL if it does not fit `out`.
 */
static const char *name_skeleton(char *out, size_t size, const char *name)
{
	size_t n = 0;

	for (; *name; name++) {
		char c = *name;

		if (c == 'I' || c == '1')
			c = 'l';
		else if (c == '0')
			c = 'o';
		else if (c == '_' || c == '.')
			c = '-';
		else if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (n && out[n - 1] == 'r' && c == 'n')
			out[n - 1] = 'm';
		else if (n && out[n - 1] == 'v' && c == 'v')
			out[n - 1] = 'w';
		else if (n + 1 < size)
			out[n++] = c;
		else
			return NULL;
	}
	out[n] = '\0';
	return out;
}

int accord_party_names_alike(const char *a, const char *b)
{
	char x[128], y[128];

	if (!name_skeleton(x, sizeof(x), a) || !name_skeleton(y, sizeof(y), b))
		return !strcmp(a, b); /* longer than any name the schema allows */
	return !strcmp(x, y);
}

/*
 * Whether party `name`, or one that looks like it, is joined or invited
 * in e's causal past: then e may not take the name (a reader does not
 * compare case or glyphs, so "Acme" or "acrne" beside "acme" is
 * impersonation).
 */
int accord_parties_name_taken(const accord_parties *p, const accord_entry *e, const char *name,
			      int invites)
{
	size_t i;

	for (i = 0; i < p->party_count; i++)
		if (accord_party_names_alike(p->parties[i].name, name) &&
		    accord_parties_seen_id(p, e, p->parties[i].joined_by))
			return 1;
	for (i = 0; invites && i < p->invite_count; i++)
		if (accord_party_names_alike(p->invites[i].party, name) &&
		    accord_parties_seen_id(p, e, p->invites[i].entry_id))
			return 1;
	return 0;
}

/* The key's cut, raised to what other keys of its party counted on (TRUST.md attack 1). */
static int64_t effective_cut(const accord_parties *p, const accord_member *m)
{
	int64_t floor = p->cut_floor ? p->cut_floor(p->cut_floor_arg, m->key.id) : 0;

	return floor > m->cut ? floor : m->cut;
}

static size_t add_party(accord_parties *p, const char *name, int64_t joined)
{
	accord_party *np;
	size_t i;

	for (i = 0; i < p->party_count; i++)
		if (accord_party_names_alike(p->parties[i].name, name))
			p->name_conflict = 1; /* concurrent joins of one name, or of two alike */
	if (!(np = realloc(p->parties, (p->party_count + 1) * sizeof(*np))))
		accord_oom();
	p->parties = np;
	memset(&np[p->party_count], 0, sizeof(*np));
	snprintf(np[p->party_count].name, sizeof(np->name), "%s", name);
	np[p->party_count].joined = joined;
	np[p->party_count].inviter = SIZE_MAX;
	return p->party_count++;
}

/* A zeroed record made the member `e` admitted: key, name, party, accepted. */
static void member_fill(accord_member *m, const accord_pubkey *key, const char *name, size_t party,
			const accord_entry *e)
{
	m->key = *key;
	snprintf(m->key.name, sizeof(m->key.name), "%s", name ? name : "");
	m->party = party;
	m->added = e->time;
	m->accepted = 1;
	m->admitted_by = e;
}

accord_member *accord_parties_add_member(accord_parties *p, const accord_pubkey *key,
					 const char *name, size_t party, const accord_entry *e)
{
	accord_member *m = calloc(1, sizeof(*m));
	accord_member **nm = realloc(p->members, (p->member_count + 1) * sizeof(*nm));

	if (!m || !nm)
		accord_oom();
	p->members = nm;
	member_fill(m, key, name, party, e);
	nm[p->member_count++] = m;
	accord_idmap_put(&p->member_by_key, m->key.id, m);
	return m;
}

size_t accord_parties_member_index(const accord_parties *p, const accord_member *m)
{
	size_t i;

	for (i = 0; i < p->member_count; i++)
		if (p->members[i] == m)
			break;
	return i;
}

accord_member *accord_parties_admit_key(accord_parties *p, const accord_pubkey *key,
					const char *name, size_t party, const accord_entry *e)
{
	accord_member *m = (accord_member *)accord_parties_member(p, key->id);

	if (!m)
		return accord_parties_add_member(p, key, name, party, e);
	/*
	 * Offered elsewhere at the same time, never taken up: this admission
	 * makes it, from a clean record. What the offer's party did to its
	 * offer (withdrew it: "revoked" with cut 0) was about that offer only
	 * (attack33 05, 06).
	 */
	memset(m, 0, sizeof(*m));
	member_fill(m, key, name, party, e);
	return m;
}

/* The recovery key hash a genesis, party-accept or party-recover commits to. */
void accord_parties_commit_recovery(accord_party *party, const accord_entry *e)
{
	const char *r = accord_entry_str(e, "recovery");

	snprintf(party->recovery, sizeof(party->recovery), "%s", r ? r : "");
}

/*
 * The SSH key type a body gives its key (or, in genesis, its author):
 * key_type and application for an sk key, neither for ssh-ed25519 (the
 * schema allows no other encoding).
 */
static int body_key_type(accord_pubkey *key, const accord_entry *e)
{
	const char *type = accord_entry_str(e, "key_type"),
		   *app = accord_entry_str(e, "application");

	key->type = ACCORD_KEY_ED25519;
	key->application[0] = '\0';
	if (!type && !app)
		return 0;
	if (!type || !app || strcmp(type, ACCORD_KEY_TYPE_SK) != 0 ||
	    !accord_sk_application_valid(app))
		return accord_parties_deny(
			"%s names a key type or FIDO application accord does not accept", e->type);
	key->type = ACCORD_KEY_SK_ED25519;
	memcpy(key->application, app, strlen(app) + 1);
	return 0;
}

void accord_body_add_key_type(cJSON *body, const accord_pubkey *key)
{
	if (key->type != ACCORD_KEY_SK_ED25519)
		return;
	cJSON_AddStringToObject(body, "key_type", ACCORD_KEY_TYPE_SK);
	cJSON_AddStringToObject(body, "application", key->application);
}

/* A public key given in a body as 64 hex digits, with its type. */
int accord_parties_body_key(accord_pubkey *out, const accord_entry *e)
{
	const char *hex = accord_entry_str(e, "key");

	memset(out, 0, sizeof(*out));
	if (!hex || accord_hex_decode(out->pk, sizeof(out->pk), hex) < 0)
		return accord_parties_deny("%s names no valid key", e->type);
	accord_pubkey_set_id(out);
	return body_key_type(out, e);
}

/*
 * An entry counts only when signed as the SSH key its author was admitted
 * as: a FIDO key's entries with the user-presence signature of that
 * application, a plain key's as ssh-ed25519. The same Ed25519 key signing
 * as the other type would skip the touch the member's type promises.
 */
int accord_parties_check_key_type(accord_parties *p, const accord_entry *e,
				  const accord_pubkey *want)
{
	if (accord_pubkey_same(&e->author, want))
		return 0;
	p->last_rule = ACCORD_RULE_WRONG_KEY;
	return accord_parties_deny(
		"signed as %s%s%s, but key %.12s was admitted as %s%s%s",
		accord_pubkey_type_name(&e->author),
		e->author.type == ACCORD_KEY_SK_ED25519 ? " with application " : "",
		e->author.application, e->author.id, accord_pubkey_type_name(want),
		want->type == ACCORD_KEY_SK_ED25519 ? " with application " : "", want->application);
}

/* The ledger's founding entry: its party, and that party's root. */
static int apply_genesis(accord_parties *p, const accord_entry *e)
{
	accord_member *m;
	accord_pubkey key;
	size_t idx;
	int error;

	if (p->party_count)
		return accord_parties_deny("a ledger has one genesis entry");
	key = e->author;
	if ((error = body_key_type(&key, e)) < 0 ||
	    (error = accord_parties_check_key_type(p, e, &key)) < 0)
		return error;
	idx = add_party(p, accord_entry_str(e, "party"), e->time);
	memcpy(p->parties[idx].joined_by, e->id, sizeof(e->id));
	accord_parties_commit_recovery(&p->parties[idx], e);
	m = accord_parties_add_member(p, &key, accord_entry_str(e, "member"), idx, e);
	m->root = m->admin = 1;
	p->parties[idx].root = p->member_count - 1;
	return 0;
}

/* An invited key joins: its party, with it as root, named by the invitation. */
static int apply_accept(accord_parties *p, const accord_entry *e)
{
	const char *name = accord_entry_str(e, "party"), *which = accord_entry_str(e, "invite");
	accord_invite *inv = NULL;
	accord_member *m = (accord_member *)accord_parties_member(p, e->author.id);
	size_t idx, i;
	int error;

	/* the invitation it names: a key invited twice at once takes up either */
	for (i = 0; i < p->invite_count; i++) {
		accord_invite *x = &p->invites[i];

		if (x->accepted || strcmp(x->key.id, e->author.id) != 0)
			continue;
		if (!inv || (which && !strcmp(x->entry_id, which)))
			inv = x;
		if (which && !strcmp(x->entry_id, which))
			break;
	}
	/* made root by a recovery it did not know of, it may still join (attack34 02) */
	if (m && m->accepted && !(m->recovered_by && e->seq == 1))
		return accord_parties_deny("key %.12s is a member already", e->author.id);
	if (!inv || strcmp(inv->party, name ? name : "") != 0)
		return accord_parties_deny("key %.12s was not invited to join %s", e->author.id,
					   name ? name : "");
	if (!which || strcmp(which, inv->entry_id) != 0)
		return accord_parties_deny("party-accept names invitation %.12s, not %.12s",
					   which ? which : "", inv->entry_id);
	if (strcmp(e->admission, inv->entry_id) != 0 || e->seq != 1)
		return accord_parties_deny(
			"party-accept is its key's first entry and names its invitation as its admission");
	if (p->causal && !accord_causal_find(p->causal, inv->entry_id, NULL, NULL))
		return accord_parties_deny(
			"the invitation is not in the causal past of party-accept");
	if (accord_parties_name_taken(p, e, inv->party, 0))
		return accord_parties_deny(
			"party %s exists already (names that differ only in case or look alike are one name)",
			inv->party);
	if ((error = accord_parties_check_key_type(p, e, &inv->key)) < 0)
		return error;
	inv->accepted = 1;
	idx = add_party(p, inv->party, e->time);
	memcpy(p->parties[idx].joined_by, e->id, sizeof(e->id));
	p->parties[idx].inviter = inv->by_party;
	accord_parties_commit_recovery(&p->parties[idx], e);
	if (m)
		accord_parties_release_root(p, m, idx);
	m = accord_parties_admit_key(p, &inv->key, inv->member, idx, e);
	m->root = m->admin = 1;
	p->parties[idx].root = accord_parties_member_index(p, m);
	return 0;
}

/* Whether member m may write `e` at all: admitted, accepted, its key's type, within its cut. */
static int check_author(accord_parties *p, const accord_entry *e, accord_member *m)
{
	int error;

	if (!m) {
		if (accord_parties_pending_invite(p, e->author.id, NULL))
			return accord_parties_deny(
				"key %.12s is invited but has not accepted: it may only write party-accept",
				e->author.id);
		return accord_parties_deny("key %.12s is not a member of any party", e->author.id);
	}
	/* revoked before it accepted its admission (cut 0): past the cut, set aside, not a fault */
	if (m->revoked && !m->accepted && e->seq > effective_cut(p, m) &&
	    !accord_parties_retired_taken_elsewhere(p, m, e))
		return deny_cut(p, m, e);
	if (e->seq == 1 && (error = accord_parties_accept_admission(p, m, e)) < 0)
		return error;
	if (!m->accepted)
		return accord_parties_deny("key %.12s has accepted no admission", e->author.id);
	if ((error = accord_parties_check_key_type(p, e, &m->key)) < 0)
		return error;
	if (m->revoked && e->seq > effective_cut(p, m))
		return deny_cut(p, m, e);
	return 0;
}

int accord_parties_accept_first(accord_parties *p, const accord_entry *e)
{
	accord_member *m = (accord_member *)accord_parties_member(p, e->author.id);

	if (!m || e->seq != 1 || m->accepted)
		return 0;
	return accord_parties_accept_admission(p, m, e);
}

/*
 * Three kinds of entry, in this order: those that found a party (genesis,
 * party-accept, party-recover: their author is no member yet), a member's
 * acts on the ledger (admissions, revocations, rotations, opens,
 * agreements), and a member's entries about an incident.
 */
int accord_parties_apply(accord_parties *p, const accord_entry *e)
{
	accord_member *m = (accord_member *)accord_parties_member(p, e->author.id);
	accord_party_incident *inc = NULL;
	const char *t = e->type;
	int error;

	p->last_rule = ACCORD_RULE_NONE;
	if ((!strcmp(t, "party-recover") || !strcmp(t, "genesis")) && e->admission[0])
		return accord_parties_deny("a %s entry names no admission", t);
	if (!strcmp(t, "party-recover"))
		return accord_parties_apply_recover(p, e);
	if (!strcmp(t, "genesis"))
		return apply_genesis(p, e);
	if (!strcmp(t, "party-accept"))
		return apply_accept(p, e);
	if ((error = check_author(p, e, m)) < 0)
		return error;
	if (!strcmp(t, "party-invite") || !strcmp(t, "member-add"))
		return accord_parties_apply_admit(p, e, m);
	if (!strcmp(t, "member-revoke"))
		return accord_parties_apply_revoke(p, e, m);
	if (!strcmp(t, "key-rotate"))
		return accord_parties_apply_rotate(p, e, m);
	if (!e->known)
		return 0; /* a newer accord's type: its author is a member; the rest is not read here */
	if (!strcmp(t, "open"))
		return accord_parties_apply_open(p, e, m);
	if (!strcmp(t, "checkpoint"))
		return 0; /* any active member may witness what it has verified */
	if (!strcmp(t, "agreement"))
		return accord_parties_apply_agreement(p, e, m);
	if (!strcmp(t, "cosign") && !e->incident[0])
		return accord_parties_apply_agreement_cosign(p, e, m);
	if (!strcmp(t, "retract") && !e->incident[0])
		return accord_parties_apply_agreement_retract(p, e, m);
	if (!e->incident[0])
		return accord_parties_deny("unknown entry type %s", t);
	if ((error = accord_parties_check_incident(p, e, m, &inc)) < 0)
		return error;
	return accord_parties_apply_on_incident(p, e, m, inc);
}

size_t accord_parties_restore_party(accord_parties *p, const char *name, int64_t joined)
{
	return add_party(p, name, joined);
}

accord_member *accord_parties_restore_member(accord_parties *p, const accord_pubkey *key,
					     size_t party)
{
	accord_member *m = calloc(1, sizeof(*m));
	accord_member **nm = realloc(p->members, (p->member_count + 1) * sizeof(*nm));

	if (!m || !nm)
		accord_oom();
	p->members = nm;
	m->key = *key;
	m->party = party;
	m->accepted = 1; /* the index says otherwise for a key that has not written yet */
	nm[p->member_count++] = m;
	accord_idmap_put(&p->member_by_key, m->key.id, m);
	return m;
}

accord_invite *accord_parties_restore_invite(accord_parties *p)
{
	accord_invite *ni = realloc(p->invites, (p->invite_count + 1) * sizeof(*ni));

	if (!ni)
		accord_oom();
	p->invites = ni;
	memset(&ni[p->invite_count], 0, sizeof(*ni));
	return &ni[p->invite_count++];
}
