/*
 * Writing to the ledger: a new entry signed onto the author's own feed,
 * with the deps and admission it depends on chosen, checked as a reader
 * will check it, and recorded; and creating a ledger (its genesis).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "causal.h"
#include "encode.h"
#include "accord/error.h"
#include "accord/incident.h"
#include "json.h"
#include "schema.h"
#include "sshsig.h"
#include "accord/timefmt.h"

#include "array.h"
#include "index.h"
#include "ledger_impl.h"
#include "alloc.h"
#include "file.h"

/* The new entry joins the loaded ledger, last in ledger order, as a reload would place it. */
static void adopt_entry(accord_ledger *l, accord_entry *e, const git_oid *commit)
{
	accord_feed *feed = (accord_feed *)accord_ledger_feed(l, e->author.id);
	size_t alloc = l->count; /* push_entry grows from here */

	git_oid_tostr(e->commit, sizeof(e->commit), commit);
	accord_ledger_push_entry(&l->entries, &l->count, &alloc, e);
	if (!feed) {
		accord_feed *nf = realloc(l->feeds, (l->feed_count + 1) * sizeof(*nf));

		if (!nf)
			accord_oom();
		l->feeds = nf;
		feed = &nf[l->feed_count++];
		memset(feed, 0, sizeof(*feed));
		memcpy(feed->keyid, e->author.id, sizeof(feed->keyid));
	}
	feed->head = *commit;
	feed->seq = e->seq;
	feed->last = e;
	if (e->lamport > l->max_lamport)
		l->max_lamport = e->lamport;
}

/*
 * Build, check and write one entry. With a ledger, the author must be
 * allowed to write it there, and on success it joins the ledger.
 */
static int append_raw(char *out_id, accord_store *store, const accord_key *key,
		      const accord_feed *feed, const accord_entry_fields *f, accord_ledger *l)
{
	accord_buf raw = ACCORD_BUF_INIT, ref = ACCORD_BUF_INIT;
	accord_entry *e = NULL;
	git_oid commit;
	int error;

	if ((error = accord_entry_build(&raw, f)) < 0)
		goto done;
	if ((error = accord_entry_parse(&e, raw.ptr, raw.size)) < 0)
		goto done;
	/* signed with this key, as its type: what verification reads from the signature */
	e->author.type = key->pub.type;
	memcpy(e->author.application, key->pub.application, sizeof(e->author.application));
	/* its frontier first: authorization reads it (after a failure the ledger is only freed) */
	if (l && l->causal)
		accord_causal_add(l->causal, e);
	if (l && (error = accord_parties_apply(&l->parties, e)) < 0)
		goto done;
	accord_buf_printf(&ref, "%s%s", ACCORD_FEED_PREFIX, key->pub.id);
	error = accord_store_append(&commit, store, ref.ptr, feed ? &feed->head : NULL, raw.ptr,
				    raw.size, key, f->time);
	if (out_id && error == 0)
		memcpy(out_id, e->id, sizeof(e->id));
	if (l) {
		/* Authorization state may point at e now: it lives as long as the ledger. */
		if (error == 0) {
			adopt_entry(l, e, &commit);
			/* The entry is written: an index that lags is caught up by the next open. */
			accord_index_record(l, e);
		} else {
			accord_entry **no =
				realloc(l->orphans, (l->orphan_count + 1) * sizeof(*no));

			if (!no)
				accord_oom();
			l->orphans = no;
			no[l->orphan_count++] = e;
		}
		e = NULL;
	}
done:
	accord_entry_free(e);
	accord_buf_dispose(&raw);
	accord_buf_dispose(&ref);
	return error;
}

/*
 * Whether an entry of `feed` that does not count is a key-rotate naming
 * `keyid`; its id in `rotation` (if not NULL).
 */
static int excluded_rotation_to(char *rotation, const accord_ledger *l, const char *feed,
				const char *keyid)
{
	accord_entry **list = NULL;
	size_t i, n = 0;
	int found = 0;

	if (accord_ledger_excluded(&list, &n, l, feed, 1) < 0) {
		accord_error_clear();
		return 0;
	}
	for (i = 0; i < n; i++) {
		const char *hex = accord_entry_str(list[i], "key");
		accord_pubkey next;

		memset(&next, 0, sizeof(next));
		if (!found && !strcmp(list[i]->type, "key-rotate") && hex &&
		    accord_hex_decode(next.pk, sizeof(next.pk), hex) == 0) {
			accord_pubkey_set_id(&next);
			if ((found = !strcmp(next.id, keyid)) && rotation)
				memcpy(rotation, list[i]->id, ACCORD_ID_HEXLEN + 1);
		}
		accord_entry_free(list[i]);
	}
	free(list);
	return found;
}

/*
 * The rotation that named `keyid` as its successor, when a fork of the key
 * it retires set it aside (attack87 01): its id and that key's. 1 if so.
 */
static int rotation_forked(char *rotation, char *old, int64_t *fork_seq, const accord_ledger *l,
			   const char *keyid)
{
	size_t i;

	for (i = 0; i < l->finding_count; i++) {
		const accord_finding *f = &l->findings[i];

		if (f->kind == ACCORD_AUDIT_EQUIVOCATION && f->feed[0] &&
		    excluded_rotation_to(rotation, l, f->feed, keyid)) {
			memcpy(old, f->feed, ACCORD_KEYID_HEXLEN + 1);
			*fork_seq = f->seq;
			return 1;
		}
	}
	return 0;
}

/*
 * The key whose rotation a fork set aside, among `keyid` and the keys it
 * succeeds by rotations that did not count (a member who rotated again
 * after the contested rotation, attack118 01): rotation_forked for it.
 * NULL if none.
 */
static const char *forked_ancestor(char *rotation, char *old, int64_t *fork_seq,
				   const accord_ledger *l, const char *keyid)
{
	const accord_member *m;
	size_t hops, i;

	for (i = 0; i < l->finding_count; i++)
		if (l->findings[i].kind == ACCORD_AUDIT_EQUIVOCATION)
			break;
	if (i == l->finding_count)
		return NULL; /* no fork: nothing to look up on an everyday write */
	/*
	 * A key seated by an admission that counts holds its seat, whatever
	 * a rotation set aside names it: a thief's rival rotation naming
	 * another party's member froze that member's writes (attack120 01).
	 */
	if ((m = accord_parties_member(&l->parties, keyid)) && m->accepted && !m->revoked)
		return NULL;
	for (hops = 0; keyid && hops < 64; hops++) {
		if (rotation_forked(rotation, old, fork_seq, l, keyid))
			return keyid;
		m = accord_parties_member(&l->parties, keyid);
		keyid = m && m->added_by[0] && excluded_rotation_to(NULL, l, m->added_by, keyid)
				? m->added_by
				: NULL;
	}
	return NULL;
}

/*
 * Never write on a feed whose ref holds entries that do not count: the new
 * entry would either chain from one of them (and not count either) or fork
 * the feed (and prove equivocation against this key).
 */
static int check_own_feed(const accord_ledger *l, const accord_key *key)
{
	const accord_beyond *b = accord_ledger_beyond(l, key->pub.id);
	const accord_finding *why = NULL;
	char rotation[ACCORD_ID_HEXLEN + 1], old[ACCORD_KEYID_HEXLEN + 1];
	const accord_member *m;
	const char *first;
	int64_t fork_seq = 0;
	size_t i;

	/* a forked key writes nothing new, even where all of its side counts */
	for (i = 0; i < l->finding_count && !why; i++)
		if (!strcmp(l->findings[i].feed, key->pub.id) &&
		    l->findings[i].kind == ACCORD_AUDIT_EQUIVOCATION)
			why = &l->findings[i];
	/* a successor of a contested rotation, whatever of its own a raise counts */
	first = why ? NULL : forked_ancestor(rotation, old, &fork_seq, l, key->pub.id);
	if ((!b || b->holes) && !why && !first)
		return 0; /* entries set aside alone, each for what it named: nothing builds on them */
	for (i = 0; i < l->finding_count && !why; i++)
		if (!strcmp(l->findings[i].feed, key->pub.id))
			why = &l->findings[i];
	if (why && why->kind == ACCORD_AUDIT_EQUIVOCATION)
		return accord_error_set(
			ACCORD_EBADSIG,
			"key %s signed two different entries with seq %lld (the same key used on two machines?); "
			"from there on its entries count only where another key's counted entry depends on them, and it must not write again. "
			"Have an admin of your party add a new key for you (accord key new on this machine, "
			"then accord member add), and re-record your excluded entries with accord recover",
			key->pub.id, (long long)why->seq);
	if (first && (m = accord_parties_member(&l->parties, old)) && m->revoked)
		return accord_error_set(
			ACCORD_EBADSIG,
			"key %s took its place by the rotation %.12s of key %s, which does not count: key "
			"%s signed two different entries with seq %lld, and is retired or revoked here "
			"(its other rotation counts, if an admin of your party depended on it first: "
			"accord member list). If the key that took your place is not yours, have an admin "
			"revoke it and add a new key of yours (accord key new --force on this machine, "
			"then accord member add), and re-record your work with accord recover. This key "
			"must not write",
			key->pub.id, rotation, old, old, (long long)fork_seq);
	if (first)
		return accord_error_set(
			ACCORD_EBADSIG,
			"key %s took its place by the rotation %.12s of key %s, which does not count: "
			"key %s signed two different entries with seq %lld (a copy of the old key was "
			"used after the rotation: another machine, a backup, or someone else). An admin "
			"of your party who knows this key is yours makes the rotation count again with "
			"accord member vouch %.12s; sync after it. Until then this key must not write",
			key->pub.id, rotation, old, old, (long long)fork_seq, first);
	return accord_error_set(
		ACCORD_EBADSIG,
		"your feed %s holds entries that do not count (%s%s%s); writing would build on them. "
		"Run accord audit for the details",
		key->pub.id, why ? accord_audit_kind_name(why->kind) : "left out", why ? ": " : "",
		why ? why->explanation : "");
}

/* What the writer had seen: one dep, with its clock and time. */
struct dep {
	char id[ACCORD_ID_HEXLEN + 1];
	int64_t lamport, time;
	int must; /* kept whatever the cap (the feed a revocation names, an admission) */
};

static int cmp_dep_lamport(const void *a, const void *b)
{
	const struct dep *x = a, *y = b;

	if (x->must != y->must)
		return x->must ? -1 : 1;
	return x->lamport > y->lamport ? -1 : x->lamport < y->lamport;
}

static int cmp_dep_id(const void *a, const void *b)
{
	return strcmp(((const struct dep *)a)->id, ((const struct dep *)b)->id);
}

/*
 * The heads of the other feeds that the author's previous entry does not
 * already depend on (all of them when that is unknown, as when the ledger
 * was opened through the index): at most ACCORD_DEPS_MAX, the newest kept,
 * and the feed `must` names always. With `every` (a checkpoint), heads
 * already in the causal past are named too, so any copy checks its claims
 * against its deps alone (the index's catch-up among them), and a head
 * dated after `limit` (ahead of this machine's clock) is left out: sync's
 * witnessing never carries another member's clock into this author's time
 * (time >= deps). Other entries depend on all the author saw, since their
 * rule references (a cosign's proposal) must be in their causal past; a
 * copy holds a head that far ahead only if it was fetched around sync, and
 * sync then holds back what depends on it too. Sorted by id. Caller frees
 * *out.
 */
static void put_dep(struct dep *d, const accord_entry *e, int must)
{
	memcpy(d->id, e->id, sizeof(d->id));
	d->lamport = e->lamport;
	d->time = e->time;
	d->must = must;
}

static size_t choose_deps(struct dep **out, const accord_ledger *l, const accord_entry *prev,
			  const char *author, const char *must, int64_t limit, int every,
			  const accord_entry *vouch)
{
	struct dep *d = calloc(l->feed_count + 2, sizeof(*d));
	size_t i, n = 0;

	if (!d)
		accord_oom();
	/* the entry vouched for stands in for its feed's head, kept whatever the cap */
	if (vouch)
		put_dep(&d[n++], vouch, 1);
	for (i = 0; i < l->feed_count; i++) {
		const accord_feed *g = &l->feeds[i];

		if (!g->last || !strcmp(g->keyid, author) ||
		    (vouch && !strcmp(g->keyid, vouch->author.id)))
			continue;
		if (!every && prev && l->causal &&
		    accord_causal_seen(l->causal, prev->id, g->keyid) >= g->seq)
			continue; /* already in the causal past */
		if (every && !(must && !strcmp(g->keyid, must)) && g->last->time > limit)
			continue;
		put_dep(&d[n++], g->last, must && !strcmp(g->keyid, must));
	}
	if (n > ACCORD_DEPS_MAX) {
		qsort(d, n, sizeof(*d), cmp_dep_lamport);
		n = ACCORD_DEPS_MAX;
	}
	qsort(d, n, sizeof(*d), cmp_dep_id);
	*out = d;
	return n;
}

/*
 * The member-add a key's first entry accepts: the one offer in effect for
 * it, or the one of party `join` when several parties added it.
 * ACCORD_EDENIED when there is none, or several and no choice (accord does
 * not choose for the key's owner: an offer it never accepted has no effect).
 */
static int choose_admission(const accord_offer **out, const accord_ledger *l, const char *keyid,
			    const char *join)
{
	const accord_parties *p = &l->parties;
	const accord_offer *found = NULL;
	accord_buf which = ACCORD_BUF_INIT;
	size_t i, n = 0;
	int error, differ = 0;

	for (i = 0; i < p->offer_count; i++) {
		const accord_offer *o = &p->offers[i];
		char who[200];

		if (o->withdrawn || strcmp(o->key.id, keyid) != 0)
			continue;
		accord_parties_label(who, sizeof(who), p, o->adder->key.id);
		accord_buf_printf(&which, "%s%s (member-add %.12s by %s)", n ? ", " : "",
				  p->parties[o->party].name, o->entry->id, who);
		if (join[0] && strcmp(p->parties[o->party].name, join) != 0)
			continue;
		if (found && found->party == o->party) {
			/*
			 * Added twice by one party at once: the same offer if its
			 * name and role agree; else the root's, and between two
			 * admins accord does not choose (attack33 08).
			 */
			if (!strcmp(found->name, o->name) && found->admin == o->admin)
				continue;
			if (o->adder->root && !found->adder->root)
				found = o;
			else if (!found->adder->root)
				differ = 1;
			continue;
		}
		found = o;
		n++;
	}
	if (n == 1 && differ && !found->adder->root) {
		error = accord_error_set(
			ACCORD_EDENIED,
			"key %.12s was added by two admins of %s with different names or roles (%s); "
			"accord does not choose: an admin withdraws it (accord member revoke) and adds "
			"it once",
			keyid, p->parties[found->party].name, which.ptr);
	} else if (n == 1) {
		*out = found;
		error = 0;
	} else if (join[0]) {
		error = accord_error_set(ACCORD_EDENIED,
					 "key %.12s was not added by party %s (offers: %s)", keyid,
					 join, which.ptr ? which.ptr : "none");
	} else if (n == 0) {
		error = accord_error_set(
			ACCORD_EDENIED,
			"key %.12s is not a member of any party (no member-add names it)", keyid);
	} else {
		error = accord_error_set(
			ACCORD_EDENIED,
			"key %.12s was added by %zu parties: %s. Only the key's first entry decides which "
			"it joins; accord does not choose: accept one with accord member accept PARTY",
			keyid, n, which.ptr);
	}
	accord_buf_dispose(&which);
	return error;
}

int accord_ledger_set_join(accord_ledger *ledger, const char *party)
{
	if (party && strlen(party) >= sizeof(ledger->join))
		return accord_error_set(ACCORD_EINVALID, "party name '%.64s...' is too long",
					party);
	snprintf(ledger->join, sizeof(ledger->join), "%s", party ? party : "");
	return 0;
}

/*
 * Whether the first entry of key `m`, made root by a party-recover, takes
 * up that recovery: no other party added the key, or the user joins the
 * recovered party (attack34 01: the key's first entry decides).
 */
static int recovery_chosen(const accord_ledger *l, const accord_member *m, const char *join)
{
	const accord_parties *p = &l->parties;
	size_t i;

	if (join[0])
		return !strcmp(p->parties[m->party].name, join);
	for (i = 0; i < p->offer_count; i++)
		if (!p->offers[i].withdrawn && p->offers[i].entry != m->recovered_by &&
		    !strcmp(p->offers[i].key.id, m->key.id))
			return 0;
	return 1;
}

/*
 * The admission of a key's first entry, and the key id of the admin who
 * made it. Offers are kept by a full load only: a ledger opened through
 * the index loads the ledger once for this (a key's first entry only).
 */
static int first_admission(char *id, char *adder, const accord_ledger *l, const char *keyid)
{
	accord_ledger *full = NULL;
	const accord_offer *o = NULL;
	int error;

	const accord_member *m;

	if (l->index && (error = accord_ledger_load(&full, l->store)) < 0)
		return error;
	m = accord_parties_member(&(full ? full : l)->parties, keyid);
	if (m && m->recovered_by && recovery_chosen(full ? full : l, m, l->join)) {
		memcpy(id, m->recovered_by->id, ACCORD_ID_HEXLEN + 1);
		memcpy(adder, m->recovered_by->author.id, ACCORD_KEYID_HEXLEN + 1);
		error = 0;
	} else if (m && m->recovered_by && !l->join[0]) {
		error = accord_error_set(
			ACCORD_EDENIED,
			"key %.12s was made root of %s by a party-recover, and another party added or "
			"recovered it too. Only the key's first entry decides which it joins; accord "
			"does not choose: accept one with accord member accept PARTY",
			keyid, l->parties.parties[m->party].name);
	} else if ((error = choose_admission(&o, full ? full : l, keyid, l->join)) == 0) {
		memcpy(id, o->entry->id, ACCORD_ID_HEXLEN + 1);
		memcpy(adder, o->adder->key.id, ACCORD_KEYID_HEXLEN + 1);
	}
	accord_ledger_free(full);
	return error;
}

/* A member-revoke's cut: the revoked key's last entry this ledger holds, which deps then cover. */
static int revoke_body(cJSON **out, const accord_ledger *l, const cJSON *body, const char **target)
{
	const char *hex = accord_json_str(body, "key");
	accord_pubkey key;
	const accord_feed *g;
	cJSON *b;

	memset(&key, 0, sizeof(key));
	if (!hex || accord_hex_decode(key.pk, sizeof(key.pk), hex) < 0)
		return accord_error_set(ACCORD_EINVALID, "member-revoke names no valid key");
	accord_pubkey_set_id(&key);
	g = accord_ledger_feed(l, key.id);
	if (!(b = cJSON_Duplicate(body, 1)))
		return accord_error_set(ACCORD_ENOMEM, "out of memory");
	cJSON_DeleteItemFromObjectCaseSensitive(b, "cut");
	cJSON_AddNumberToObject(b, "cut", (double)(g ? g->seq : 0));
	*target = g ? g->keyid : NULL;
	*out = b;
	return 0;
}

/*
 * A checkpoint claims only heads in its causal past (docs/format.md): keep
 * the claims its deps name, or its prev's past holds; drop the rest (feeds
 * left out by the cap on deps). *out NULL when every claim stays.
 */
static int checkpoint_body(cJSON **out, const accord_ledger *l, const cJSON *body,
			   const accord_entry *prev, const struct dep *deps, size_t n)
{
	const cJSON *h;
	cJSON *b, *heads;
	size_t i, dropped = 0, kept = 0;

	*out = NULL;
	if (!(b = cJSON_Duplicate(body, 1)))
		return accord_error_set(ACCORD_ENOMEM, "out of memory");
	cJSON_DeleteItemFromObjectCaseSensitive(b, "heads");
	heads = cJSON_AddArrayToObject(b, "heads");
	cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(body, "heads")) {
		const char *feed = accord_json_str(h, "feed"), *hash = accord_json_str(h, "hash");
		int64_t seq = 0;
		int ok = 0;

		if (feed && hash && accord_json_int(&seq, h, "seq") == 0) {
			for (i = 0; i < n && !ok; i++)
				ok = !strcmp(deps[i].id, hash);
			if (!ok && prev && l->causal)
				ok = accord_causal_seen(l->causal, prev->id, feed) >= seq;
		}
		if (ok) {
			cJSON_AddItemToArray(heads, cJSON_Duplicate(h, 1));
			kept++;
		} else {
			dropped++;
		}
	}
	if (!dropped) {
		cJSON_Delete(b);
		return 0;
	}
	if (!kept) {
		cJSON_Delete(b);
		return accord_error_set(ACCORD_EINVALID,
					"the checkpoint names no head it depends on");
	}
	*out = b;
	return 0;
}

/*
 * Never write on a feed a remote holds further than this copy: a clone
 * takes a feed only as far as it counts, so after an entry of it stopped
 * counting the next append would sign a second entry with that entry's
 * seq, proof of equivocation against an honest key (attack28 finding 05).
 * What sync last saw there (refs/quarantine/REMOTE/feeds/KEY) must be
 * this copy's head or behind it.
 */
/*
 * Whether the chain down from `theirs` holds an entry signed by `keyid`
 * that is not this copy's (not `mine`, nor below it): a second entry with
 * a seq this key may sign next. Commits that are no entry of the key (a
 * hub operator's unsigned junk on the ref, attack90 01) prove nothing and
 * are walked past. 1 if so.
 */
static int signed_beyond(const accord_ledger *l, const char *keyid, const git_oid *theirs,
			 const git_oid *mine)
{
	git_repository *repo = accord_store_repo(l->store);
	git_oid at = *theirs;
	int found = 0;

	while (!found) {
		accord_commit *c = NULL;
		accord_entry *e = NULL;

		if (mine &&
		    (git_oid_equal(&at, mine) || git_graph_descendant_of(repo, mine, &at) == 1))
			break; /* this copy's own chain from here down */
		if (accord_commit_read(&c, l->store, &at) < 0) {
			accord_error_clear();
			break;
		}
		found = accord_verify_commit(&e, NULL, c, keyid, NULL, 0) == 0;
		accord_entry_free(e);
		accord_error_clear();
		if (c->parent_count != 1) {
			accord_commit_free(c);
			break;
		}
		at = c->parent;
		accord_commit_free(c);
	}
	return found;
}

static int check_remote_copies(const accord_ledger *l, const char *keyid)
{
	git_strarray refs = { NULL, 0 };
	git_oid mine, theirs;
	char suffix[64];
	size_t i, n = (size_t)snprintf(suffix, sizeof(suffix), "/feeds/%s", keyid);
	accord_buf ref = ACCORD_BUF_INIT;
	int error, have;

	accord_buf_printf(&ref, "%s%s", ACCORD_FEED_PREFIX, keyid);
	have = accord_store_ref_get(&mine, l->store, ref.ptr) == 0;
	accord_buf_dispose(&ref);
	if ((error = accord_store_ref_list(&refs, l->store, ACCORD_QUARANTINE_PREFIX)) < 0)
		return error;
	for (i = 0; i < refs.count && error == 0; i++) {
		const char *name = refs.strings[i];
		size_t len = strlen(name);

		if (len < n || strcmp(name + len - n, suffix) != 0 ||
		    accord_store_ref_get(&theirs, l->store, name) < 0 ||
		    !signed_beyond(l, keyid, &theirs, have ? &mine : NULL))
			continue;
		error = accord_error_set(
			ACCORD_EBADSIG,
			"%.*s holds entries of your feed %s that this copy does not count or does not have; "
			"writing would sign a second entry with the same sequence number. "
			"Run accord audit, and accord sync, to see why",
			(int)(len - n - strlen(ACCORD_QUARANTINE_PREFIX)),
			name + strlen(ACCORD_QUARANTINE_PREFIX), keyid);
	}
	git_strarray_dispose(&refs);
	return error;
}

/*
 * What a key home signed (key->home/signed/LEDGER-KEY: "SEQ ID"): the
 * last seq this key signed in this ledger. A copy can be short of it
 * with nothing on any remote to say so, when a hub's refs were rolled
 * back (a backup restored, an operator's update-ref the hook never sees)
 * and the member cloned again: the next append would sign a second entry
 * with a seq partners hold, proof of equivocation against an honest key
 * (attack79 01). *seq is 0 when there is no record.
 */
static void signed_path(accord_buf *out, const accord_key *key, const char *ledger_id)
{
	accord_buf_printf(out, "%s/signed/%s-%s", key->home, ledger_id, key->pub.id);
}

static void signed_last(int64_t *seq, char *id, const accord_key *key, const char *ledger_id)
{
	accord_buf path = ACCORD_BUF_INIT;
	char line[128];
	long long n = 0;
	FILE *f;

	*seq = 0;
	if (!key->home)
		return;
	signed_path(&path, key, ledger_id);
	f = fopen(path.ptr, "r");
	accord_buf_dispose(&path);
	if (!f)
		return;
	/* a record that does not read is none: it never stops a write for good */
	if (fgets(line, sizeof(line), f) && sscanf(line, "%lld %64[0-9a-f]", &n, id) == 2 &&
	    n > 0 && strlen(id) == ACCORD_ID_HEXLEN)
		*seq = n;
	fclose(f);
}

static int check_signed(const accord_ledger *l, const accord_key *key, int64_t next)
{
	char id[ACCORD_ID_HEXLEN + 1] = "";
	int64_t seq;

	signed_last(&seq, id, key, l->id);
	if (seq < next)
		return 0;
	return accord_error_set(
		ACCORD_EBADSIG,
		"your key %s already signed seq %lld of this ledger (entry %.12s), which this copy does not have: "
		"writing would sign a second entry with seq %lld, proof of equivocation against your own key. "
		"Sync with a copy that has it (a partner's, a backup); if none has it any more (a hub restored to an older state), "
		"ask an admin of your party to add a new key for you, and revoke this one",
		key->pub.id, (long long)seq, id, (long long)next);
}

/* Record that `key` signed entry `id` with `seq`; a failure only weakens check_signed. */
static void record_signed(const accord_key *key, const char *ledger_id, int64_t seq, const char *id)
{
	accord_buf path = ACCORD_BUF_INIT, dir = ACCORD_BUF_INIT;
	char line[128];
	int n = snprintf(line, sizeof(line), "%lld %s\n", (long long)seq, id);

	if (!key->home)
		return;
	accord_buf_printf(&dir, "%s/signed", key->home);
	signed_path(&path, key, ledger_id);
	if (accord_file_mkdirs(dir.ptr, 0700) < 0 ||
	    accord_file_write_atomic(path.ptr, line, (size_t)n, 0600) < 0)
		accord_error_clear();
	accord_buf_dispose(&dir);
	accord_buf_dispose(&path);
}

/*
 * A feed whose entries past what counts are all set aside alone (holes):
 * the next entry chains on its ref's head, the last of them, as the hub
 * and every copy hold it. `tail` gets that head and its entry (to free).
 */
static int holes_tail(accord_feed *tail, accord_entry **owned, const accord_ledger *l,
		      const accord_beyond *b)
{
	int error;

	if ((error = accord_ledger_read_verified(owned, NULL, l, &b->head)) < 0)
		return error;
	memcpy(tail->keyid, b->keyid, sizeof(tail->keyid));
	tail->head = b->head;
	tail->seq = (*owned)->seq;
	tail->last = *owned;
	return 0;
}

/* accord_ledger_append, with `vouch` (or NULL) among the deps: accord_ledger_vouch. */
static int append_entry(char *out_id, accord_ledger *ledger, const accord_key *key,
			const char *type, const char *incident, const cJSON *body,
			const accord_entry *vouch)
{
	const accord_feed *feed = accord_ledger_feed(ledger, key->pub.id);
	const accord_beyond *beyond = accord_ledger_beyond(ledger, key->pub.id);
	accord_entry *tail_entry = NULL;
	accord_feed tail;
	const accord_entry *prev;
	char admission[ACCORD_ID_HEXLEN + 1], adder[ACCORD_KEYID_HEXLEN + 1],
		id[ACCORD_ID_HEXLEN + 1];
	const char *must = NULL;
	accord_entry_fields f = { 0 };
	int64_t now = accord_time_now();
	struct dep *deps = NULL;
	char(*ids)[ACCORD_ID_HEXLEN + 1] = NULL;
	cJSON *own = NULL;
	size_t n, i;
	int error;

	if ((error = check_own_feed(ledger, key)) < 0 ||
	    (error = check_remote_copies(ledger, key->pub.id)) < 0)
		return error;
	if (beyond && beyond->holes) {
		if ((error = holes_tail(&tail, &tail_entry, ledger, beyond)) < 0)
			return error;
		feed = &tail;
	}
	prev = feed ? feed->last : NULL;
	if ((error = accord_index_check_feed(ledger, key->pub.id, feed ? feed->seq : 0)) < 0 ||
	    (error = check_signed(ledger, key, feed ? feed->seq + 1 : 1)) < 0)
		goto done;
	if (!strcmp(type, "member-revoke") && (error = revoke_body(&own, ledger, body, &must)) < 0)
		goto done;
	if (!feed && !strcmp(type, "party-accept"))
		f.admission = accord_json_str(body, "invite");
	else if (!feed && strcmp(type, "party-recover") != 0) {
		if ((error = first_admission(admission, adder, ledger, key->pub.id)) < 0)
			goto done;
		f.admission = admission;
		must = adder;
	}
	n = choose_deps(&deps, ledger, prev, key->pub.id, must,
			accord_sat_add(now, ACCORD_FUTURE_SLACK_S), !strcmp(type, "checkpoint"),
			vouch);
	if (!(ids = calloc(n + 1, sizeof(*ids))))
		accord_oom();
	f.lamport = prev ? prev->lamport : 0;
	/* Time never runs backwards along the causal graph, even if the clock does. */
	f.time = prev && prev->time > now ? prev->time : now;
	for (i = 0; i < n; i++) {
		memcpy(ids[i], deps[i].id, sizeof(ids[i]));
		if (deps[i].lamport > f.lamport)
			f.lamport = deps[i].lamport;
		if (deps[i].time > f.time)
			f.time = deps[i].time;
	}
	f.lamport++;
	/*
	 * After an entry dated ahead of the clock (a stale ACCORD_NOW, a clock
	 * that was fast) every entry takes that date, since a feed's time never
	 * runs back: partners refuse such entries until then and sync holds them
	 * back, so the writer would be cut off unawares (explore60a 04). Under a
	 * time fixed on purpose (ACCORD_NOW: demos, tests) the writer chose the
	 * times, and the entry takes its prev's, as a clock set back would.
	 */
	if (!accord_time_now_fixed() && f.time > accord_sat_add(now, ACCORD_FUTURE_SLACK_S)) {
		char when[ACCORD_TIME_LEN], clock[ACCORD_TIME_LEN], who[160] = "";
		const accord_entry *dep = NULL;

		accord_time_format(when, f.time);
		accord_time_format(clock, now);
		/* the writer's own feed, or a head of another it must depend on (review60 F3) */
		for (i = 0; !dep && i < ledger->feed_count && !(prev && prev->time == f.time); i++)
			if (ledger->feeds[i].last && ledger->feeds[i].last->time == f.time &&
			    strcmp(ledger->feeds[i].keyid, key->pub.id) != 0) {
				dep = ledger->feeds[i].last;
				/* by its feed: a head the index restored carries no author */
				accord_parties_label(who, sizeof(who), &ledger->parties,
						     ledger->feeds[i].keyid);
			}
		if (dep && !(prev && prev->time == f.time)) {
			error = accord_error_set(
				ACCORD_EDENIED,
				"entry %.12s of %s, which this entry must depend on, is dated %s, ahead of this machine's clock (%s): an entry after it cannot be dated earlier, and partners take no entry dated more than %d minutes ahead; nothing was written. Wait until then, or check the clocks (this machine's, and %s's)",
				dep->id, who, when, clock, ACCORD_FUTURE_SLACK_S / 60, who);
		} else {
			error = accord_error_set(
				ACCORD_EDENIED,
				"your feed's last entry is dated %s, ahead of this machine's clock (%s): an entry "
				"after it cannot be dated earlier, and partners take no entry dated more than %d "
				"minutes ahead, so they would refuse it until then; nothing was written. Check "
				"the clock and ACCORD_NOW; if that date was the mistake, ask an admin of your "
				"party to add a new key for you and revoke this one",
				when, clock, ACCORD_FUTURE_SLACK_S / 60);
		}
		goto done;
	}
	if (!strcmp(type, "checkpoint") &&
	    (error = checkpoint_body(&own, ledger, body, prev, deps, n)) < 0)
		goto done;
	f.deps = (const char(*)[ACCORD_ID_HEXLEN + 1]) ids;
	f.dep_count = n;
	f.ledger = ledger->id;
	f.author = &key->pub;
	f.seq = feed ? feed->seq + 1 : 1;
	f.prev = prev ? prev->id : NULL;
	f.type = type;
	f.incident = incident;
	f.body = own ? own : body;
	if ((error = append_raw(id, ledger->store, key, feed, &f, ledger)) == 0) {
		record_signed(key, ledger->id, f.seq, id);
		if (out_id)
			memcpy(out_id, id, sizeof(id));
	}
done:
	free(deps);
	free(ids);
	cJSON_Delete(own);
	accord_entry_free(tail_entry);
	return error;
}

int accord_ledger_append(char *out_id, accord_ledger *ledger, const accord_key *key,
			 const char *type, const char *incident, const cJSON *body)
{
	return append_entry(out_id, ledger, key, type, incident, body, NULL);
}

int accord_ledger_vouch(char *out_id, accord_ledger *ledger, const accord_key *key,
			const accord_entry *entry)
{
	cJSON *body, *head;
	int error;

	if (!strcmp(entry->author.id, key->pub.id))
		return accord_error_set(ACCORD_EINVALID, "a key cannot vouch for its own entry");
	body = cJSON_CreateObject();
	head = cJSON_CreateObject();
	cJSON_AddStringToObject(head, "feed", entry->author.id);
	cJSON_AddNumberToObject(head, "seq", (double)entry->seq);
	cJSON_AddStringToObject(head, "hash", entry->id);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(body, "heads"), head);
	error = append_entry(out_id, ledger, key, "checkpoint", NULL, body, entry);
	cJSON_Delete(body);
	return error;
}

void accord_recovery_hash(char *out, const accord_pubkey *key)
{
	unsigned char hash[32];

	accord_sha256(hash, key->pk, sizeof(key->pk));
	accord_hex_encode(out, hash, sizeof(hash));
}

int accord_ledger_create(char *out_id, accord_store *store, const accord_key *key,
			 const char *party, const char *title, const char *recovery)
{
	git_strarray refs = { NULL, 0 };
	accord_entry_fields f = { 0 };
	cJSON *body = cJSON_CreateObject();
	int error, tries;

	if (!body)
		return accord_error_set(ACCORD_ENOMEM, "out of memory");
	if ((error = accord_store_ref_list(&refs, store, ACCORD_REF_PREFIX)) < 0)
		goto done;
	if (refs.count > 0) {
		error = accord_error_set(ACCORD_EEXISTS, "%s already holds a ledger",
					 accord_store_gitdir(store));
		goto done;
	}
	cJSON_AddStringToObject(body, "title", title ? title : "");
	cJSON_AddStringToObject(body, "party", party);
	cJSON_AddStringToObject(body, "member", key->pub.name);
	if (recovery)
		cJSON_AddStringToObject(body, "recovery", recovery);
	accord_body_add_key_type(body, &key->pub);
	f.author = &key->pub;
	f.seq = 1;
	f.lamport = 1;
	f.time = accord_time_now();
	f.type = "genesis";
	f.body = body;
	/*
	 * The genesis' id is the ledger's. One key founding a ledger per
	 * partner within a second signed the same bytes twice: two ledgers, one
	 * id (explore60a 01). The key home records every ledger its key founded
	 * (check_signed): a genesis whose id it holds takes the next second. No
	 * field is added, so every build reads the ledger.
	 */
	for (tries = 0; tries < 3600; tries++) {
		accord_buf raw = ACCORD_BUF_INIT;
		unsigned char hash[32];
		char id[ACCORD_ID_HEXLEN + 1], last[ACCORD_ID_HEXLEN + 1] = "";
		int64_t seq;

		if ((error = accord_entry_build(&raw, &f)) < 0) {
			accord_buf_dispose(&raw);
			goto done;
		}
		accord_sha256(hash, raw.ptr, raw.size);
		accord_hex_encode(id, hash, sizeof(hash));
		accord_buf_dispose(&raw);
		signed_last(&seq, last, key, id);
		if (!seq)
			break;
		f.time++;
	}
	if ((error = append_raw(out_id, store, key, NULL, &f, NULL)) < 0)
		goto done;
	record_signed(key, out_id, 1, out_id);
	error = accord_store_config_set(store, "accord.ledger", out_id);
done:
	git_strarray_dispose(&refs);
	cJSON_Delete(body);
	return error;
}
