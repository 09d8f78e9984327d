#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "accord/encode.h"
#include "accord/error.h"
#include "accord/json.h"
#include "accord/causal.h"
#include "accord/timefmt.h"
#include "accord/hours.h"
#include "accord/party.h"

void accord_parties_init(accord_parties *p)
{
	memset(p, 0, sizeof(*p));
}

static void free_incident(accord_party_incident *inc)
{
	if (inc) {
		free(inc->parties);
		free(inc);
	}
}

void accord_parties_dispose(accord_parties *p)
{
	size_t i;

	for (i = 0; i < p->member_count; i++)
		free(p->members[i]);
	for (i = 0; i < p->incidents.size; i++)
		if (p->incidents.keys[i])
			free_incident(p->incidents.values[i]);
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

static const accord_invite *pending_invite(const accord_parties *p, const char *keyid,
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
	return pending_invite(p, keyid, NULL);
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

static int deny(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int deny(const char *fmt, ...)
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
	return deny(
		"key %.12s (%s@%s) was revoked with cut %lld; this %s entry is seq %lld, beyond it%s",
		e->author.id, m->key.name, p->parties[m->party].name, (long long)m->cut, e->type,
		(long long)e->seq,
		p->last_rule == ACCORD_RULE_AFTER_REVOCATION
			? ", written after the revocation"
			: " (written before its author learned of the revocation)");
}

/*
 * 1 if entry `id` is in the causal past of `e`. Without a graph (a caller
 * checking its own entry against a state it holds whole) or an id (a
 * state restored by the index), everything known is.
 */
static int seen_id(const accord_parties *p, const accord_entry *e, const char *id)
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
static int name_taken(const accord_parties *p, const accord_entry *e, const char *name, int invites)
{
	size_t i;

	for (i = 0; i < p->party_count; i++)
		if (accord_party_names_alike(p->parties[i].name, name) &&
		    seen_id(p, e, p->parties[i].joined_by))
			return 1;
	for (i = 0; invites && i < p->invite_count; i++)
		if (accord_party_names_alike(p->invites[i].party, name) &&
		    seen_id(p, e, p->invites[i].entry_id))
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
		abort();
	p->parties = np;
	memset(&np[p->party_count], 0, sizeof(*np));
	snprintf(np[p->party_count].name, sizeof(np->name), "%s", name);
	np[p->party_count].joined = joined;
	return p->party_count++;
}

static accord_member *add_member(accord_parties *p, const accord_pubkey *key, const char *name,
				 size_t party, const accord_entry *e)
{
	accord_member *m = calloc(1, sizeof(*m));
	accord_member **nm = realloc(p->members, (p->member_count + 1) * sizeof(*nm));

	if (!m || !nm)
		abort();
	p->members = nm;
	m->key = *key;
	snprintf(m->key.name, sizeof(m->key.name), "%s", name ? name : "");
	m->party = party;
	m->added = e->time;
	m->accepted = 1;
	nm[p->member_count++] = m;
	accord_idmap_put(&p->member_by_key, m->key.id, m);
	return m;
}

/* The recovery key hash a genesis, party-accept or party-recover commits to. */
static void commit_recovery(accord_party *party, const accord_entry *e)
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
		return deny("%s names a key type or FIDO application accord does not accept",
			    e->type);
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
static int body_key(accord_pubkey *out, const accord_entry *e)
{
	const char *hex = accord_entry_str(e, "key");

	memset(out, 0, sizeof(*out));
	if (!hex || accord_hex_decode(out->pk, sizeof(out->pk), hex) < 0)
		return deny("%s names no valid key", e->type);
	accord_pubkey_set_id(out);
	return body_key_type(out, e);
}

/*
 * An entry counts only when signed as the SSH key its author was admitted
 * as: a FIDO key's entries with the user-presence signature of that
 * application, a plain key's as ssh-ed25519. The same Ed25519 key signing
 * as the other type would skip the touch the member's type promises.
 */
static int check_key_type(accord_parties *p, const accord_entry *e, const accord_pubkey *want)
{
	if (accord_pubkey_same(&e->author, want))
		return 0;
	p->last_rule = ACCORD_RULE_WRONG_KEY;
	return deny("signed as %s%s%s, but key %.12s was admitted as %s%s%s",
		    accord_pubkey_type_name(&e->author),
		    e->author.type == ACCORD_KEY_SK_ED25519 ? " with application " : "",
		    e->author.application, e->author.id, accord_pubkey_type_name(want),
		    want->type == ACCORD_KEY_SK_ED25519 ? " with application " : "",
		    want->application);
}

/*
 * A party's root key replaced by its recovery key: the author must be the
 * key whose hash the party committed to, and must be no member; the old
 * root is revoked, the new key is root, and the next recovery hash takes
 * the place of this one.
 */
static int apply_recover(accord_parties *p, const accord_entry *e)
{
	const char *name = accord_entry_str(e, "party");
	const accord_party *found = accord_parties_find(p, name ? name : "");
	unsigned char hash[32];
	char hex[ACCORD_ID_HEXLEN + 1];
	accord_member *old, *nm;
	accord_pubkey key;
	size_t idx, i;
	int error;

	if (!found)
		return deny("there is no party %s to recover", name ? name : "");
	accord_sha256(hash, e->author.pk, sizeof(e->author.pk));
	accord_hex_encode(hex, hash, sizeof(hash)); /* accord_recovery_hash, one layer down */
	/* of two parties with one name (a name conflict), the one that committed to this key */
	for (i = 0; i < p->party_count; i++)
		if (!strcmp(p->parties[i].name, found->name) && p->parties[i].recovery[0] &&
		    sodium_memcmp(hex, p->parties[i].recovery, ACCORD_ID_HEXLEN) == 0)
			found = &p->parties[i];
	idx = (size_t)(found - p->parties);
	if (!found->recovery[0])
		return deny("party %s committed to no recovery key", found->name);
	if (sodium_memcmp(hex, found->recovery, ACCORD_ID_HEXLEN) != 0)
		return deny("key %.12s is not the recovery key party %s committed to", e->author.id,
			    found->name);
	if (accord_parties_member(p, e->author.id))
		return deny("a recovery key is never a member key");
	if ((error = body_key(&key, e)) < 0)
		return error;
	if (accord_parties_member(p, key.id) || pending_invite(p, key.id, NULL))
		return deny("key %.12s is already known", key.id);
	{
		/* a recovery key is accord's own, made in the key home: ssh-ed25519 */
		accord_pubkey plain = e->author;

		plain.type = ACCORD_KEY_ED25519;
		plain.application[0] = '\0';
		if ((error = check_key_type(p, e, &plain)) < 0)
			return error;
	}
	old = p->members[found->root];
	old->revoked = 1;
	old->revoked_at = e->time;
	old->revocation = e;
	/* the old root's entries in the recovery's causal past stand; later ones do not */
	old->cut = p->causal ? accord_causal_seen(p->causal, e->id, old->key.id) : INT64_MAX;
	nm = add_member(p, &key, accord_entry_str(e, "member"), idx, e);
	nm->root = nm->admin = 1;
	nm->recovered_by = e;
	p->parties[idx].root = p->member_count - 1;
	commit_recovery(&p->parties[idx], e);
	return 0;
}

static accord_offer *find_offer(accord_parties *p, const char *keyid, const char *entry_id,
				size_t party, int by_party)
{
	size_t i;

	for (i = 0; i < p->offer_count; i++) {
		accord_offer *o = &p->offers[i];

		if (strcmp(o->key.id, keyid) != 0 || o->withdrawn)
			continue;
		if (by_party ? o->party == party : !strcmp(o->entry->id, entry_id))
			return o;
	}
	return NULL;
}

/* A member-add: an offer; the key's record shows the first offer until one is accepted. */
static int apply_offer(accord_parties *p, const accord_entry *e, const accord_member *adder,
		       const accord_pubkey *key)
{
	accord_member *known = (accord_member *)accord_parties_member(p, key->id);
	const char *name = accord_entry_str(e, "member");
	accord_offer *o;

	if (known && known->accepted)
		return deny("key %.12s is already known as a member", key->id);
	if (find_offer(p, key->id, NULL, adder->party, 1))
		return deny("key %.12s was already added to %s", key->id,
			    p->parties[adder->party].name);
	if (!(o = realloc(p->offers, (p->offer_count + 1) * sizeof(*o))))
		abort();
	p->offers = o;
	o = &o[p->offer_count++];
	memset(o, 0, sizeof(*o));
	o->entry = e;
	o->key = *key;
	o->party = adder->party;
	o->admin = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e->body, "admin"));
	o->adder = adder;
	snprintf(o->name, sizeof(o->name), "%s", name ? name : "");
	if (!known) {
		accord_member *nm = add_member(p, key, name, adder->party, e);

		nm->accepted = 0;
		nm->admin = o->admin;
		memcpy(nm->added_by, adder->key.id, sizeof(nm->added_by));
	}
	return 0;
}

/*
 * A member key's first entry accepts one admission: the member-add it
 * names, which must be in its causal past. Another party cannot claim a
 * key by adding it first (TRUST.md attack 3).
 */
static int accept_admission(accord_parties *p, accord_member *m, const accord_entry *e)
{
	accord_offer *o = e->admission[0] ? find_offer(p, e->author.id, e->admission, 0, 0) : NULL;
	int still_revoked = 0;

	/*
	 * A state restored by the index keeps members, not offers: there the
	 * writer's own new entry is checked by the engine on every other copy.
	 */
	if (!o && !p->causal && !p->offer_count) {
		m->accepted = 1;
		return 0;
	}
	if (m->recovered_by) { /* a root made by party-recover accepts that entry */
		if (strcmp(e->admission, m->recovered_by->id) != 0 ||
		    (p->causal && accord_causal_in_past(p->causal, e, m->recovered_by) != 1))
			return deny(
				"the first entry of key %.12s must name the party-recover that made it root, in its causal past",
				e->author.id);
		return 0;
	}
	if (!o && m->revoked && e->admission[0]) {
		size_t i;

		/*
		 * Revoked before it accepted (cut 0), and still counting: a raise
		 * covers it, because a colleague built on it. It accepts the
		 * admission the revocation withdrew; the key stays revoked.
		 */
		for (i = 0; i < p->offer_count && !o; i++)
			if (p->offers[i].withdrawn && !strcmp(p->offers[i].key.id, e->author.id) &&
			    !strcmp(p->offers[i].entry->id, e->admission))
				o = &p->offers[i];
		still_revoked = o != NULL;
	}
	if (!o)
		return deny(
			"the first entry of key %.12s names admission %.12s, which is no member-add of this key in effect",
			e->author.id, e->admission[0] ? e->admission : "(none)");
	if (p->causal && accord_causal_in_past(p->causal, e, o->entry) != 1)
		return deny(
			"the first entry of key %.12s names admission %.12s, which is not in its causal past",
			e->author.id, e->admission);
	m->party = o->party;
	m->admin = o->admin;
	m->root |= o->root;
	m->key.type = o->key.type; /* the offer accepted says the type, not the first one made */
	memcpy(m->key.application, o->key.application, sizeof(m->key.application));
	if (!still_revoked) {
		m->revoked = 0; /* a withdrawn offer of another party said so */
		m->revocation = NULL;
	}
	memcpy(m->added_by, o->adder->key.id, sizeof(m->added_by));
	m->added = o->entry->time;
	m->accepted = 1;
	memcpy(m->key.name, o->name,
	       sizeof(m->key.name) < sizeof(o->name) ? sizeof(m->key.name) : sizeof(o->name));
	m->key.name[sizeof(m->key.name) - 1] = '\0';
	return 0;
}

/* An admin revokes keys it admitted, directly or below; the root any key of its party. */
static int in_subtree(const accord_parties *revoker_state, const accord_member *revoker,
		      const accord_member *target)
{
	const char *at = target->added_by;
	const accord_member *m;
	size_t hops = 0;

	if (revoker->root)
		return 1;
	for (; *at && hops < 1000000; at = m->added_by, hops++) {
		if (!strcmp(at, revoker->key.id))
			return 1;
		if (!(m = accord_parties_member(revoker_state, at)))
			break;
	}
	return 0;
}

/*
 * A key-rotate: the author names its successor, which takes the author's
 * name, party and role once its first entry accepts this entry (as it
 * would a member-add); the author is cut at this entry's seq, as if
 * revoked here. Only the key itself signs it, so no one else can move a
 * member to a key of their choosing.
 */
static int apply_rotate(accord_parties *p, const accord_entry *e, accord_member *m)
{
	accord_member *nm;
	accord_offer *o;
	accord_pubkey key;
	int error;

	if (m->revoked)
		return deny("key %.12s is revoked: a revoked key cannot name a successor",
			    m->key.id);
	if ((error = body_key(&key, e)) < 0)
		return error;
	if (accord_parties_member(p, key.id) || pending_invite(p, key.id, NULL))
		return deny("key-rotate names key %.12s, which is already known", key.id);
	if (!(o = realloc(p->offers, (p->offer_count + 1) * sizeof(*o))))
		abort();
	p->offers = o;
	o = &o[p->offer_count++];
	memset(o, 0, sizeof(*o));
	o->entry = e;
	o->key = key;
	o->party = m->party;
	o->admin = m->admin;
	o->root = m->root;
	o->adder = m;
	memcpy(o->name, m->key.name,
	       sizeof(o->name) < sizeof(m->key.name) ? sizeof(o->name) : sizeof(m->key.name));
	o->name[sizeof(o->name) - 1] = '\0';
	nm = add_member(p, &key, o->name, m->party, e);
	nm->accepted = 0;
	nm->admin = m->admin;
	nm->root = m->root;
	/* below the old key in the admission tree: whoever could revoke it can revoke this one */
	memcpy(nm->added_by, m->key.id, sizeof(nm->added_by));
	if (m->root)
		p->parties[m->party].root = p->member_count - 1;
	m->revoked = 1;
	m->revoked_at = e->time;
	m->cut = e->seq;
	m->revocation = e;
	m->rotated_to = nm;
	return 0;
}

/*
 * Whether `e` revokes `target` again without having seen its earlier
 * revocation: two admins above one member revoking it at once. That is no
 * fault of either, so the second counts too, and the higher cut holds:
 * whatever any revoker saw of the key before revoking it was written
 * before that revocation. A revocation that saw the first is refused.
 */
static int revoked_concurrently(accord_parties *p, const accord_entry *e, accord_member *target,
				int64_t cut)
{
	const accord_entry *first = target->revocation;

	if (!p->causal || !first || !strcmp(first->type, "key-rotate") ||
	    accord_causal_in_past(p->causal, e, first) != 0)
		return 0;
	if (cut > target->cut) {
		target->cut = cut;
		target->revocation = e;
	}
	if (e->time < target->revoked_at)
		target->revoked_at = e->time;
	return 1;
}

static int apply_revoke(accord_parties *p, const accord_entry *e, const accord_member *m)
{
	accord_member *target;
	accord_pubkey key;
	int64_t cut = accord_entry_int(e, "cut", -1), seen;
	int error;

	if (!m->admin)
		return deny("only a party's root or an admin may revoke members");
	if ((error = body_key(&key, e)) < 0)
		return error;
	target = (accord_member *)accord_parties_member(p, key.id);
	if (target && !target->accepted) {
		accord_offer *o = find_offer(p, key.id, NULL, m->party, 1);

		/* a state restored by the index has the member, not the offer */
		if (!o && (p->offer_count || target->party != m->party))
			return deny("key %.12s is not a member of %s", key.id,
				    p->parties[m->party].name);
		if (o)
			o->withdrawn = 1; /* an admission withdrawn before it was accepted */
		if (target->party == m->party) {
			target->revoked = 1; /* shown as revoked until it accepts another party's */
			target->revoked_at = e->time;
			target->cut = 0;
			target->revocation = e;
		}
		return 0;
	}
	if (!target || target->party != m->party)
		return deny("key %.12s is not a member of %s", key.id, p->parties[m->party].name);
	if (target->revoked && target->rotated_to) {
		/*
		 * Retired by its own rotation, which may well be concurrent with
		 * this revocation: the revocation reaches the key that replaced it,
		 * so rotating cannot outrun a revocation.
		 */
		if (p->causal && (seen = accord_causal_seen(p->causal, e->id, key.id)) != cut)
			return deny(
				"the revocation names cut %lld, but seq %lld of key %.12s is the highest in its causal past",
				(long long)cut, (long long)seen, key.id);
		while (target->revoked && target->rotated_to)
			target = (accord_member *)target->rotated_to;
		if (target->revoked && target->accepted && p->causal &&
		    revoked_concurrently(p, e, target,
					 accord_causal_seen(p->causal, e->id, target->key.id)))
			return 0;
		if (target->revoked)
			return deny("key %.12s and the key that replaced it are revoked already",
				    key.id);
		if (target->root)
			return deny(
				"key %.12s was replaced by the party's root key, which cannot be revoked",
				key.id);
		if (!in_subtree(p, m, target))
			return deny("%s may revoke only keys it admitted (directly or below)",
				    m->key.name);
		if (!target->accepted) {
			accord_offer *o = find_offer(p, target->key.id, NULL, m->party, 1);

			if (o)
				o->withdrawn = 1;
			cut = 0;
		} else {
			cut = p->causal ? accord_causal_seen(p->causal, e->id, target->key.id)
					: INT64_MAX;
		}
		target->revoked = 1;
		target->revoked_at = e->time;
		target->cut = cut;
		target->revocation = e;
		return 0;
	}
	if (target->root)
		return deny("the root key of a party cannot be revoked");
	if (!in_subtree(p, m, target))
		return deny(
			"%s may revoke only keys it admitted (directly or below); %s was admitted by %s",
			m->key.name, target->key.name,
			target->added_by[0] ? target->added_by : "the root");
	if (p->causal && (seen = accord_causal_seen(p->causal, e->id, key.id)) != cut)
		return deny(
			"the revocation names cut %lld, but seq %lld of key %.12s is the highest in its causal past",
			(long long)cut, (long long)seen, key.id);
	if (target->revoked && revoked_concurrently(p, e, target, cut))
		return 0;
	if (target->revoked)
		return deny("key %.12s is revoked already", key.id);
	target->revoked = 1;
	target->revoked_at = e->time;
	target->cut = cut;
	target->revocation = e;
	return 0;
}

static int party_involved(const accord_party_incident *inc, size_t party)
{
	size_t i;

	for (i = 0; i < inc->party_count; i++)
		if (inc->parties[i] == party)
			return 1;
	return 0;
}

static void involve(accord_party_incident *inc, size_t party)
{
	size_t *np;

	if (party_involved(inc, party))
		return;
	np = realloc(inc->parties, (inc->party_count + 1) * sizeof(*np));
	if (!np)
		abort();
	inc->parties = np;
	np[inc->party_count++] = party;
}

/*
 * The party `e` means by `name`. Names are unique unless two invites were
 * concurrent (name_conflict): then it is the one of that name whose join
 * is in e's causal past, and an entry that saw both names neither. Without
 * an entry (restoring) or a graph, the first of that name.
 */
static int party_index(const accord_parties *p, const accord_entry *e, const char *name,
		       size_t *out)
{
	const accord_party *party = name ? accord_parties_find(p, name) : NULL;
	size_t i, n = 0;

	if (!party)
		return deny("there is no party '%s'", name ? name : "");
	*out = (size_t)(party - p->parties);
	if (!p->name_conflict || !e)
		return 0;
	for (i = 0; i < p->party_count; i++) {
		if (strcmp(p->parties[i].name, name) != 0 ||
		    !seen_id(p, e, p->parties[i].joined_by))
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
	return deny("%s names party '%s', and %s parties of that name are in its causal past "
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
			return deny("ticket %s names party %s, which the incident does not involve",
				    accord_json_str(t, "id") ? accord_json_str(t, "id") : "",
				    party ? party : "");
	}
	(void)p;
	return 0;
}

static int apply_open(accord_parties *p, const accord_entry *e, const accord_member *m)
{
	const cJSON *parties = cJSON_GetObjectItemCaseSensitive(e->body, "parties"), *item;
	accord_party_incident *inc;
	size_t idx;
	int error, own = 0;

	cJSON_ArrayForEach(item, parties) {
		if ((error = party_index(p, e, cJSON_IsString(item) ? item->valuestring : NULL,
					 &idx)) < 0)
			return error;
		own |= idx == m->party;
	}
	if (!own)
		return deny("an incident opened by %s must involve %s", m->key.name,
			    p->parties[m->party].name);
	if ((error = tickets_involved(p, e, parties)) < 0)
		return error;
	if (!(inc = calloc(1, sizeof(*inc))))
		abort();
	inc->open = e;
	cJSON_ArrayForEach(item, parties) {
		party_index(p, e, item->valuestring, &idx);
		involve(inc, idx);
	}
	accord_idmap_put(&p->incidents, e->id, inc);
	return 0;
}

/* An entry about an incident: the incident exists and involves the author's party. */
static int check_incident(accord_parties *p, const accord_entry *e, const accord_member *m,
			  accord_party_incident **out)
{
	accord_party_incident *inc = accord_idmap_get(&p->incidents, e->incident);

	if (!inc)
		return deny("incident %.12s does not exist", e->incident);
	if (!party_involved(inc, m->party))
		return deny("%s is not involved in incident %.12s", p->parties[m->party].name,
			    e->incident);
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
	int64_t t, seq = 0;

	if (!id || !at || accord_time_parse_canonical(&t, at) < 0 || t > e->time)
		return deny(
			"dispute %.12s claims a time after its own: a party disputes what it has seen",
			e->id);
	if (!p->causal)
		goto ok;
	if (!accord_causal_find(p->causal, id, &keyid, &seq) || !seen_id(p, e, id))
		return deny("dispute names entry %.12s, which is not in its causal past", id);
	author = accord_parties_member(p, keyid);
	if (!author || author->party == m->party)
		return deny(
			"%s disputes a time its own party signed (entry %.12s): only another involved party disputes it",
			p->parties[m->party].name, id);
	if (ev) {
		if (!accord_causal_find(p->causal, ev, &evkey, NULL) || !seen_id(p, e, ev) ||
		    !(witness = accord_parties_member(p, evkey)) || witness->party != m->party ||
		    accord_causal_seen(p->causal, ev, keyid) < seq)
			return deny(
				"dispute's evidence %.12s is no entry of %s in its causal past that has entry %.12s in its own",
				ev, p->parties[m->party].name, id);
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
		return deny("%s names a %s %.12s that does not exist", e->type, field,
			    id ? id : "");
	if (strcmp(prop->incident, e->incident) != 0)
		return deny("%s names a %s of another incident", e->type, field);
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
	return deny("action owner %s is no member of a party that owns the item", owner);
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
		return deny("resolution %.12s has no action item %lld", prop->id, (long long)n);
	owners =
		cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(actions, (int)n - 1), "owners");
	cJSON_ArrayForEach(o, owners)
		if (cJSON_IsString(o) && strcmp(o->valuestring, p->parties[m->party].name) == 0)
			return owner_ok(p, e, owners);
	return deny("action item %lld is not owned by %s", (long long)n, p->parties[m->party].name);
}

const accord_agreement *accord_parties_agreement(const accord_parties *p, const char *id)
{
	size_t i;

	for (i = 0; id && i < p->agreement_count; i++)
		if (!strcmp(p->agreements[i]->id, id))
			return p->agreements[i];
	return NULL;
}

void accord_parties_restore_agreement(accord_parties *p, accord_agreement *a)
{
	ACCORD_PUSH(p->agreements, p->agreement_count, a);
}

/*
 * An agreement: its author's party is the customer side, `with` another
 * party; hours, when given, must read here as they will be read by every
 * copy that computes a clock with them.
 */
static void withdraw_earlier(accord_parties *p, const accord_entry *e,
			     const accord_agreement *fresh);

static int apply_agreement(accord_parties *p, const accord_entry *e, const accord_member *m)
{
	accord_agreement *a;
	accord_hours h;
	size_t idx;
	int error;

	if ((error = party_index(p, e, accord_entry_str(e, "with"), &idx)) < 0)
		return error;
	if (idx == m->party)
		return deny("an agreement is between two parties: %s cannot agree with itself",
			    p->parties[idx].name);
	if (!(a = accord_agreement_from_body(e->body)))
		return deny("agreement %.12s does not read", e->id);
	if (a->week &&
	    (accord_hours_parse_week(&h, a->week) < 0 || accord_tzrule_parse(&h.tz, a->tz) < 0)) {
		accord_agreement_free(a);
		return deny("agreement %.12s: its business hours do not read: %s", e->id,
			    accord_error_last());
	}
	memcpy(a->id, e->id, sizeof(a->id));
	snprintf(a->customer, sizeof(a->customer), "%s", p->parties[m->party].name);
	a->proposed_at = e->time;
	memcpy(a->proposed_by, e->author.id, sizeof(a->proposed_by));
	withdraw_earlier(p, e, a);
	ACCORD_PUSH(p->agreements, p->agreement_count, a);
	return 0;
}

/*
 * New terms withdraw the customer's earlier proposals for the same scope
 * that it knew of (in e's causal past) and that are not joint: else the
 * provider could co-sign the laxer offer the customer replaced and have it
 * supersede the terms it co-signed since (judged by causal past, never by
 * the times the entries claim).
 */
static void withdraw_earlier(accord_parties *p, const accord_entry *e,
			     const accord_agreement *fresh)
{
	size_t i;

	for (i = 0; i < p->agreement_count; i++) {
		accord_agreement *old = p->agreements[i];

		if (!old->joint && !old->withdrawn_by[0] &&
		    accord_agreement_same_scope(old, fresh) && seen_id(p, e, old->id))
			memcpy(old->withdrawn_by, e->id, sizeof(old->withdrawn_by));
	}
}

/*
 * The proposer's retract of its agreement (a retract with no incident):
 * only its own member (any of its keys, one name), only while not joint.
 */
static int apply_agreement_retract(accord_parties *p, const accord_entry *e, const accord_member *m)
{
	const char *id = accord_entry_str(e, "entry");
	accord_agreement *a = (accord_agreement *)accord_parties_agreement(p, id);
	const accord_member *by = a ? accord_parties_member(p, a->proposed_by) : NULL;

	if (!a)
		return deny("retract names agreement %.12s, which does not exist", id ? id : "");
	if (!by || by->party != m->party || strcmp(by->key.name, m->key.name) != 0)
		return deny("agreement %.12s is not %s's: a member retracts only its own proposals",
			    a->id, m->key.name);
	if (a->joint)
		return deny("agreement %.12s is joint: %s co-signed it; propose new terms instead",
			    a->id, a->provider);
	if (!a->withdrawn_by[0])
		memcpy(a->withdrawn_by, e->id, sizeof(a->withdrawn_by));
	return 0;
}

/*
 * A co-signature of an agreement: only its provider's members sign it (the
 * customer proposed it). The first in ledger order makes it joint; a later
 * one (two members concurrently) counts, to no effect.
 */
static int apply_agreement_cosign(accord_parties *p, const accord_entry *e, const accord_member *m)
{
	const char *id = accord_entry_str(e, "proposal");
	accord_agreement *a = (accord_agreement *)accord_parties_agreement(p, id);

	if (!a) {
		if (id && p->set_aside && p->set_aside(p->cut_floor_arg, e, id))
			return 0; /* what a revoked key proposed unaware: counts, to no effect */
		return deny("cosign names an agreement %.12s that does not exist", id ? id : "");
	}
	if (strcmp(a->provider, p->parties[m->party].name) != 0)
		return deny("agreement %.12s is between %s and %s: only %s co-signs it", a->id,
			    a->customer, a->provider, a->provider);
	if (a->joint)
		return 0;
	if (a->withdrawn_by[0] && seen_id(p, e, a->withdrawn_by))
		return deny(
			"agreement %.12s was withdrawn by %.12s (new terms for the same scope, or a retract) before this co-signature",
			a->id, a->withdrawn_by);
	a->withdrawn_by[0] =
		'\0'; /* co-signed before the withdrawal reached the provider: it stands */
	a->joint = 1;
	a->joint_at = e->time;
	memcpy(a->joint_id, e->id, sizeof(a->joint_id));
	memcpy(a->joint_key, e->author.id, sizeof(a->joint_key));
	a->joint_seq = e->seq;
	a->joint_lamport = e->lamport;
	return 0;
}

/* The ledger's founding entry: its party, and that party's root. */
static int apply_genesis(accord_parties *p, const accord_entry *e)
{
	accord_member *m;
	accord_pubkey key;
	size_t idx;
	int error;

	if (p->party_count)
		return deny("a ledger has one genesis entry");
	key = e->author;
	if ((error = body_key_type(&key, e)) < 0 || (error = check_key_type(p, e, &key)) < 0)
		return error;
	idx = add_party(p, accord_entry_str(e, "party"), e->time);
	memcpy(p->parties[idx].joined_by, e->id, sizeof(e->id));
	commit_recovery(&p->parties[idx], e);
	m = add_member(p, &key, accord_entry_str(e, "member"), idx, e);
	m->root = m->admin = 1;
	p->parties[idx].root = p->member_count - 1;
	return 0;
}

/* An invited key joins: its party, with it as root, named by the invitation. */
static int apply_accept(accord_parties *p, const accord_entry *e)
{
	const char *name = accord_entry_str(e, "party"), *which = accord_entry_str(e, "invite");
	accord_invite *inv = (accord_invite *)pending_invite(p, e->author.id, NULL);
	accord_member *m;
	size_t idx;
	int error;

	if (!inv || strcmp(inv->party, name ? name : "") != 0)
		return deny("key %.12s was not invited to join %s", e->author.id, name ? name : "");
	if (!which || strcmp(which, inv->entry_id) != 0)
		return deny("party-accept names invitation %.12s, not %.12s", which ? which : "",
			    inv->entry_id);
	if (strcmp(e->admission, inv->entry_id) != 0 || e->seq != 1)
		return deny(
			"party-accept is its key's first entry and names its invitation as its admission");
	if (p->causal && !accord_causal_find(p->causal, inv->entry_id, NULL, NULL))
		return deny("the invitation is not in the causal past of party-accept");
	if (name_taken(p, e, inv->party, 0))
		return deny(
			"party %s exists already (names that differ only in case or look alike are one name)",
			inv->party);
	if ((error = check_key_type(p, e, &inv->key)) < 0)
		return error;
	inv->accepted = 1;
	idx = add_party(p, inv->party, e->time);
	memcpy(p->parties[idx].joined_by, e->id, sizeof(e->id));
	commit_recovery(&p->parties[idx], e);
	m = add_member(p, &inv->key, inv->member, idx, e);
	m->root = m->admin = 1;
	p->parties[idx].root = p->member_count - 1;
	return 0;
}

/* An admin's member-add (an offer its key accepts) or party-invite. */
static int apply_admit(accord_parties *p, const accord_entry *e, const accord_member *m)
{
	const char *name = accord_entry_str(e, "member"), *party = accord_entry_str(e, "party");
	accord_invite *ni;
	accord_pubkey key;
	int error;

	if (!m->admin)
		return deny("only a party's root or an admin may %s",
			    e->type[0] == 'p' ? "invite a party" : "add members");
	if ((error = body_key(&key, e)) < 0)
		return error;
	if (pending_invite(p, key.id, NULL))
		return deny("key %.12s is already invited", key.id);
	if (e->type[0] == 'm')
		return apply_offer(p, e, m, &key);
	if (accord_parties_member(p, key.id))
		return deny("key %.12s is already known as a member", key.id);
	/* only what the inviter saw: a concurrent invite of the name frames no one */
	if (name_taken(p, e, party ? party : "", 1))
		return deny(
			"party %s exists or is invited already (names that differ only in case or look alike are one name)",
			party);
	ni = realloc(p->invites, (p->invite_count + 1) * sizeof(*ni));
	if (!ni)
		abort();
	p->invites = ni;
	ni += p->invite_count++;
	memset(ni, 0, sizeof(*ni));
	ni->key = key;
	snprintf(ni->party, sizeof(ni->party), "%s", party);
	snprintf(ni->member, sizeof(ni->member), "%s", name ? name : "root");
	memcpy(ni->entry_id, e->id, sizeof(e->id));
	ni->time = e->time;
	return 0;
}

/* Whether member m may write `e` at all: admitted, accepted, its key's type, within its cut. */
static int check_author(accord_parties *p, const accord_entry *e, accord_member *m)
{
	int error;

	if (!m) {
		if (pending_invite(p, e->author.id, NULL))
			return deny(
				"key %.12s is invited but has not accepted: it may only write party-accept",
				e->author.id);
		return deny("key %.12s is not a member of any party", e->author.id);
	}
	/* revoked before it accepted its admission (cut 0): past the cut, set aside, not a fault */
	if (m->revoked && !m->accepted && e->seq > effective_cut(p, m))
		return deny_cut(p, m, e);
	if (e->seq == 1 && (error = accept_admission(p, m, e)) < 0)
		return error;
	if (!m->accepted)
		return deny("key %.12s has accepted no admission", e->author.id);
	if ((error = check_key_type(p, e, &m->key)) < 0)
		return error;
	if (m->revoked && e->seq > effective_cut(p, m))
		return deny_cut(p, m, e);
	return 0;
}

static int apply_involve(accord_parties *p, const accord_entry *e, accord_party_incident *inc)
{
	size_t idx;
	int error;

	if ((error = party_index(p, e, accord_entry_str(e, "party"), &idx)) < 0)
		return error;
	if (party_involved(inc, idx))
		return deny("%s is already involved", p->parties[idx].name);
	involve(inc, idx);
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
			return deny(
				"resolution revises %.12s, which is not a resolution of this incident",
				revises);
	}
	cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(e->body, "actions"))
		cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(a, "owners"))
			if ((error = party_index(p, e, o->valuestring, &idx)) < 0)
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

	if ((error = party_index(p, e, accord_entry_str(e, "party"), &idx)) < 0)
		return error;
	if (!party_involved(inc, idx))
		return deny("ticket for %s, which incident %.12s does not involve",
			    p->parties[idx].name, e->incident);
	return 0;
}

/* impact, void, duplicate: proposals a cosign may name; whether they count is the incident's derivation */
static int apply_proposal(accord_parties *p, const accord_entry *e)
{
	const char *of = accord_entry_str(e, "of");

	if (!strcmp(e->type, "duplicate") &&
	    (!of || !accord_idmap_get(&p->incidents, of) || !strcmp(of, e->incident)))
		return deny("duplicate names %.12s, which is no other incident", of ? of : "");
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
	if ((error = party_index(p, e, accord_entry_str(e, "on"), &idx)) < 0)
		return error;
	if (!party_involved(inc, idx))
		return deny("status waiting on %s, which incident %.12s does not involve",
			    p->parties[idx].name, e->incident);
	accord_idmap_put(&p->proposals, e->id, (void *)e);
	return 0;
}

/* An entry of a type about an incident that exists and involves its author's party. */
static int apply_on_incident(accord_parties *p, const accord_entry *e, const accord_member *m,
			     accord_party_incident *inc)
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
	return deny("unknown entry type %s", t);
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
		return deny("a %s entry names no admission", t);
	if (!strcmp(t, "party-recover"))
		return apply_recover(p, e);
	if (!strcmp(t, "genesis"))
		return apply_genesis(p, e);
	if (!strcmp(t, "party-accept"))
		return apply_accept(p, e);
	if ((error = check_author(p, e, m)) < 0)
		return error;
	if (!strcmp(t, "party-invite") || !strcmp(t, "member-add"))
		return apply_admit(p, e, m);
	if (!strcmp(t, "member-revoke"))
		return apply_revoke(p, e, m);
	if (!strcmp(t, "key-rotate"))
		return apply_rotate(p, e, m);
	if (!e->known)
		return 0; /* a newer accord's type: its author is a member; the rest is not read here */
	if (!strcmp(t, "open"))
		return apply_open(p, e, m);
	if (!strcmp(t, "checkpoint"))
		return 0; /* any active member may witness what it has verified */
	if (!strcmp(t, "agreement"))
		return apply_agreement(p, e, m);
	if (!strcmp(t, "cosign") && !e->incident[0])
		return apply_agreement_cosign(p, e, m);
	if (!strcmp(t, "retract") && !e->incident[0])
		return apply_agreement_retract(p, e, m);
	if (!e->incident[0])
		return deny("unknown entry type %s", t);
	if ((error = check_incident(p, e, m, &inc)) < 0)
		return error;
	return apply_on_incident(p, e, m, inc);
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
		abort();
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
		abort();
	p->invites = ni;
	memset(&ni[p->invite_count], 0, sizeof(*ni));
	return &ni[p->invite_count++];
}

int accord_parties_restore_incident(accord_parties *p, const accord_entry *const *entries,
				    size_t count)
{
	accord_party_incident *inc;
	const cJSON *item;
	size_t i, idx;

	if (count == 0 || strcmp(entries[0]->type, "open") != 0)
		return accord_error_set(ACCORD_EINVALID, "an incident starts with its open entry");
	if (accord_idmap_get(&p->incidents, entries[0]->id))
		return 0;
	if (!(inc = calloc(1, sizeof(*inc))))
		abort();
	inc->open = entries[0];
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(entries[0]->body, "parties"))
		if (cJSON_IsString(item) && party_index(p, NULL, item->valuestring, &idx) == 0)
			involve(inc, idx);
	for (i = 1; i < count; i++) {
		const accord_entry *e = entries[i];

		if (!strcmp(e->type, "involve") &&
		    party_index(p, NULL, accord_entry_str(e, "party"), &idx) == 0)
			involve(inc, idx);
		else if (is_proposal(e))
			accord_idmap_put(&p->proposals, e->id, (void *)e);
	}
	accord_idmap_put(&p->incidents, entries[0]->id, inc);
	return 0;
}

int accord_name_valid(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		int alnum =
			(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
			return 0;
	}
	return 1;
}
