/*
 * Proof of equivocation: a fork found in what a remote offers is kept as
 * evidence refs (refs/accord/evidence/), which travel like feeds and are
 * checked on their own; and listing a remote's feeds and evidence.
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "array.h"
#include "chain.h"
#include "encode.h"
#include "accord/error.h"
#include "accord/incident.h"
#include "json.h"
#include "accord/sync.h"
#include "accord/timefmt.h"
#include "accord/transport.h"

#include "ledger_impl.h"
#include "sync_impl.h"

/* A ref name's key id part: exactly 32 lowercase hex digits, else NULL. */
const char *accord_sync_feed_keyid(const char *ref, const char *prefix)
{
	size_t plen = strlen(prefix);
	const char *k = ref + plen;

	if (strncmp(ref, prefix, plen) != 0 || strlen(k) != ACCORD_KEYID_HEXLEN ||
	    !accord_is_lower_hex(k, ACCORD_KEYID_HEXLEN))
		return NULL;
	return k;
}

/* "<32 hex>/<40 hex>" after the evidence prefix: fills keyid and the commit it must name. */
static int evidence_name(char *keyid, git_oid *commit, const char *rest)
{
	if (strlen(rest) != ACCORD_KEYID_HEXLEN + 1 + GIT_OID_HEXSZ ||
	    rest[ACCORD_KEYID_HEXLEN] != '/' || !hex_span(rest, ACCORD_KEYID_HEXLEN) ||
	    !accord_is_lower_hex(rest + ACCORD_KEYID_HEXLEN + 1, GIT_OID_HEXSZ))
		return -1;
	memcpy(keyid, rest, ACCORD_KEYID_HEXLEN);
	keyid[ACCORD_KEYID_HEXLEN] = '\0';
	return git_oid_fromstr(commit, rest + ACCORD_KEYID_HEXLEN + 1) < 0 ? -1 : 0;
}

/*
 * Whether `e`'s key signs for this ledger: a member's; one an invitation
 * names, or a party's committed recovery key, whose first entry (the accept
 * or recovery) may be the very one that forked, so it never became a member
 * on a copy holding both sides (attack127 01).
 */
static int key_of_ledger(const accord_parties *p, const accord_entry *e)
{
	char hash[ACCORD_ID_HEXLEN + 1];
	size_t i;

	if (accord_parties_member(p, e->author.id) || accord_parties_invite_for(p, e->author.id))
		return 1;
	accord_recovery_hash(hash, &e->author);
	for (i = 0; i < p->party_count; i++)
		if (p->parties[i].recovery[0] && !strcmp(hash, p->parties[i].recovery))
			return 1;
	return 0;
}

/*
 * Evidence must prove equivocation: an entry of this ledger, signed by a
 * key of it (key_of_ledger), whose seq holds a different signed entry in this copy (on the
 * feed, or in another evidence commit). Anything else would be a false
 * charge, kept forever. Each check reads one commit: linear in the push.
 */
void accord_sync_check_evidence(evidence_item *items, size_t n, const accord_verification *v,
				const accord_ledger *l)
{
	const accord_parties *parties = &l->parties;
	size_t nf = 0;
	const accord_finding *fs = accord_ledger_findings(l, &nf);
	size_t i, j;

	for (i = 0; i < n; i++) {
		evidence_item *x = &items[i];
		const accord_verified_feed *f;
		const accord_verified_item *mine;
		int proof = 0;

		if (!x->e)
			continue;
		if (strcmp(x->e->ledger[0] ? x->e->ledger : x->e->id, v->ledger) != 0) {
			snprintf(x->why, sizeof(x->why), "it belongs to another ledger");
			continue;
		}
		if (!key_of_ledger(parties, x->e)) {
			snprintf(x->why, sizeof(x->why), "key %.12s is of no party of this ledger",
				 x->keyid);
			continue;
		}
		f = accord_verification_feed(v, x->keyid);
		mine = f ? accord_verified_feed_item(f, x->e->seq) : NULL;
		if (mine && !mine->sigfail && mine->id[0] && strcmp(mine->id, x->e->id) != 0)
			proof = 1;
		for (j = 0; j < n && !proof; j++)
			proof = j != i && items[j].e && !strcmp(items[j].keyid, x->keyid) &&
				items[j].e->seq == x->e->seq &&
				strcmp(items[j].e->id, x->e->id) != 0;
		if (!proof)
			snprintf(
				x->why, sizeof(x->why),
				"it proves no equivocation: no other signed entry of key %.12s has seq %lld here",
				x->keyid, (long long)x->e->seq);
	}
	/*
	 * A later entry of a side of a proven fork is kept too (both sides
	 * travel whole: another key's entry may depend on any of them), but
	 * only where this copy holds proof at or below its seq.
	 */
	for (i = 0; i < n; i++) {
		evidence_item *x = &items[i];

		if (!x->e || !x->why[0] || strncmp(x->why, "it proves no", 12) != 0)
			continue;
		for (j = 0; j < nf; j++)
			if (fs[j].kind == ACCORD_AUDIT_EQUIVOCATION &&
			    !strcmp(fs[j].feed, x->keyid) && fs[j].seq <= x->e->seq)
				x->why[0] = '\0';
		for (j = 0; j < n && x->why[0]; j++)
			if (j != i && items[j].e && !items[j].why[0] &&
			    !strcmp(items[j].keyid, x->keyid) && items[j].e->seq <= x->e->seq)
				x->why[0] = '\0';
	}
}

/* Whether `c` is `ancestor` or one of its descendants. */
static int reaches(accord_store *store, const git_oid *c, const git_oid *ancestor)
{
	int r;

	if (git_oid_equal(c, ancestor))
		return 1;
	r = accord_chain_descendant_of(store, c, ancestor);
	accord_error_clear();
	return r == 1;
}

/* The commits of key `keyid` kept under `kept_prefix`, and its feed's head under `feed_prefix`. */
static size_t kept_commits(git_oid **out, size_t *nrefs, accord_store *store,
			   const char *kept_prefix, const char *feed_prefix, const char *keyid)
{
	accord_buf q = ACCORD_BUF_INIT;
	git_strarray refs = { NULL, 0 };
	size_t n = 0, i;
	git_oid head;

	*out = NULL;
	accord_buf_printf(&q, "%s%s/", kept_prefix, keyid);
	if (accord_store_ref_list(&refs, store, q.ptr) == 0) {
		*out = accord_xcalloc(refs.count + 2, sizeof(**out));
		for (i = 0; i < refs.count; i++)
			if (accord_store_ref_get(&(*out)[n], store, refs.strings[i]) == 0)
				n++;
	}
	git_strarray_dispose(&refs);
	if (!*out)
		*out = accord_xcalloc(2, sizeof(**out));
	*nrefs = n;
	accord_buf_clear(&q);
	accord_buf_printf(&q, "%s%s", feed_prefix, keyid);
	if (accord_store_ref_get(&head, store, q.ptr) == 0)
		(*out)[n++] = head;
	accord_buf_dispose(&q);
	accord_error_clear();
	return n;
}

/*
 * Whether `c` keeps an entry of `need` that none of `kept` keeps: the one
 * reason to keep a ref past the bound, since another key's counted entry
 * depends on that entry, and it must travel.
 */
static int keeps_needed(accord_store *store, const git_oid *c, const accord_entry *const *need,
			size_t nneed, const git_oid *kept, size_t nkept)
{
	size_t i, j;

	for (i = 0; i < nneed; i++) {
		git_oid t;
		int covered = 0;

		if (git_oid_fromstr(&t, need[i]->commit) < 0 || !reaches(store, c, &t))
			continue;
		for (j = 0; j < nkept && !covered; j++)
			covered = reaches(store, &kept[j], &t);
		if (!covered)
			return 1;
	}
	return 0;
}

/*
 * The entries of `keyid` that a counted entry of another key names as deps,
 * one per such entry: an entry names the head it had seen of each other
 * feed, so one naming several of one key vouches for none of them, and a
 * second key of the forker's buys one ref past the bound per entry it
 * writes, never 32 (attack41 03).
 */
static size_t needed_of(const accord_entry ***out, const accord_ledger *l, const char *keyid)
{
	size_t n = 0, i, j, count = l ? accord_ledger_entry_count(l) : 0;

	*out = NULL;
	for (i = 0; i < count; i++) {
		const accord_entry *y = accord_ledger_entry_at(l, i), *one = NULL;
		size_t named = 0;

		if (!strcmp(y->author.id, keyid))
			continue;
		for (j = 0; j < y->dep_count; j++) {
			const accord_entry *t = accord_ledger_entry(l, y->deps[j]);

			if (t && !strcmp(t->author.id, keyid) && t->commit[0]) {
				one = t;
				named++;
			}
		}
		if (named == 1)
			ACCORD_PUSH(*out, n, one);
	}
	return n;
}

void accord_sync_bound_evidence(evidence_item *items, size_t n, const accord_ledger *l,
				accord_store *store, const char *kept_prefix,
				const char *feed_prefix)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		const char *k = items[i].keyid;
		const accord_entry **need = NULL;
		git_oid *kept = NULL;
		size_t nkept, held = 0, nneed = 0, first = 1;

		if (items[i].held || items[i].why[0] || items[i].declined)
			continue;
		for (j = 0; j < i && first; j++) /* each key once, at its first new item */
			first = strcmp(items[j].keyid, k) != 0 || items[j].held || items[j].why[0];
		if (!first)
			continue;
		nkept = kept_commits(&kept, &held, store, kept_prefix, feed_prefix, k);
		for (j = i; j < n; j++) {
			evidence_item *x = &items[j];

			if (strcmp(x->keyid, k) != 0 || x->held || x->why[0])
				continue;
			if (held < ACCORD_EVIDENCE_PER_KEY) {
				held++;
			} else {
				if (!need && !(nneed = needed_of(&need, l, k)))
					need = accord_xcalloc(1, sizeof(*need));
				if (!keeps_needed(store, &x->commit, need, nneed, kept, nkept)) {
					x->declined = 1;
					snprintf(
						x->why, sizeof(x->why),
						"it adds no proof: %zu refs prove key %.12s's fork here already (at most %d are kept, past them only one that keeps an entry another key depends on)",
						held, k, ACCORD_EVIDENCE_PER_KEY);
					continue;
				}
			}
			kept = accord_xrealloc(kept, (nkept + 1) * sizeof(*kept));
			kept[nkept++] = x->commit;
		}
		free(need);
		free(kept);
	}
}

/* Read evidence ref `rest` (after the evidence prefix) pointing at `target`. */
void accord_sync_read_evidence_item(evidence_item *x, accord_store *store, const char *rest,
				    const git_oid *target)
{
	accord_commit *c = NULL;
	git_oid named;

	memset(x, 0, sizeof(*x));
	x->commit = *target;
	if (evidence_name(x->keyid, &named, rest) < 0) {
		x->misnamed = 1;
		snprintf(x->why, sizeof(x->why), "evidence refs are named %s<key id>/<commit>",
			 ACCORD_EVIDENCE_PREFIX);
		return;
	}
	if (!git_oid_equal(&named, target)) {
		x->misnamed = 1;
		snprintf(x->why, sizeof(x->why), "the ref does not point at the commit it names");
		return;
	}
	if (accord_commit_read(&c, store, target) < 0 ||
	    accord_verify_commit(&x->e, NULL, c, x->keyid, NULL, 0) < 0)
		snprintf(x->why, sizeof(x->why), "it does not verify: %s", accord_error_last());
	accord_commit_free(c);
}

void accord_sync_evidence_items_free(evidence_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		accord_entry_free(items[i].e);
	free(items);
}

/* Number of commits from `head` back to `stop` (exclusive) or the root. */
size_t accord_sync_count_new(accord_store *store, const git_oid *head, const git_oid *stop)
{
	return accord_chain_count(store, head, stop, 100000000);
}

/* The commit on `head`'s side right after the fork point `base` (NULL: the root). */
static int first_after(git_oid *out, accord_store *store, const git_oid *head, const git_oid *base)
{
	git_oid at = *head;
	size_t steps = 0;

	for (;;) {
		git_oid parent;
		int error = accord_chain_parent(&parent, store, &at);

		if (error < 0)
			return accord_error_wrap(error, "walking a feed");
		if (git_oid_is_zero(&parent) || (base && git_oid_equal(&parent, base)) ||
		    ++steps > 100000000) {
			*out = at;
			return 0;
		}
		at = parent;
	}
}

int accord_sync_ref_create(accord_store *store, const char *name, const git_oid *id,
			   const git_oid *expect)
{
	int error = accord_store_ref_write(store, name, id, expect, "accord: sync");

	if (error == GIT_EMODIFIED || error == GIT_EEXISTS)
		return accord_error_set(ACCORD_EMODIFIED, "%s moved during the sync", name);
	return error < 0 ? accord_error_git(error, name) : 0;
}

int accord_sync_repeat_tail(int *out, git_oid *base, accord_store *store, const git_oid *local,
			    const git_oid *remote)
{
	accord_commit *c = NULL;
	accord_entry *e = NULL;
	git_oid dl;
	int error;

	*out = 0;
	if (accord_chain_merge_base(base, store, local, remote) < 0) {
		accord_error_clear();
		return 0; /* nothing shared: no tail of ours above it */
	}
	if ((error = first_after(&dl, store, local, base)) < 0)
		return error;
	/* unreadable or not an entry: the fork's usual path judges it */
	if (accord_commit_read(&c, store, &dl) == 0 &&
	    accord_entry_parse(&e, c->message, c->message_len) == 0)
		*out = e->seq <= (int64_t)accord_chain_count(store, base, NULL, 100000000);
	accord_entry_free(e);
	accord_commit_free(c);
	accord_error_clear();
	return 0;
}

/*
 * Neither head extends the other. Two valid entries by the same key with
 * the same sequence number prove equivocation: keep both as evidence.
 * Anything else is a rewritten feed, refused.
 */
int accord_sync_handle_fork(accord_sync_result *res, accord_store *store, const char *keyid,
			    const git_oid *local, const git_oid *remote)
{
	git_oid base, dl, dr;
	int has_base, error, news = 0;
	int64_t seq = 0;
	char lhex[GIT_OID_HEXSZ + 1], rhex[GIT_OID_HEXSZ + 1];
	accord_buf ref = ACCORD_BUF_INIT;

	has_base = accord_chain_merge_base(&base, store, local, remote) == 0;
	if ((error = first_after(&dl, store, local, has_base ? &base : NULL)) < 0 ||
	    (error = first_after(&dr, store, remote, has_base ? &base : NULL)) < 0)
		return error;
	git_oid_tostr(lhex, sizeof(lhex), &dl);
	git_oid_tostr(rhex, sizeof(rhex), &dr);
	if (accord_sync_verify_chain(&seq, store, keyid, &dr) < 0) {
		accord_sync_candidate *c = PUSH(res->refused, res->refused_count);
		char reason[600];

		snprintf(reason, sizeof(reason), "%s", accord_error_last());
		memcpy(c->head.keyid, keyid, sizeof(c->head.keyid));
		c->head.head = *remote;
		c->refused = 1;
		snprintf(c->entry, sizeof(c->entry), "%s", rhex);
		snprintf(c->reason, sizeof(c->reason),
			 "feed rewritten: the remote head does not extend ours (%s)", reason);
		return 0;
	}
	accord_buf_printf(&ref, "%s%s/%s", ACCORD_EVIDENCE_PREFIX, keyid, lhex);
	if (accord_store_ref_get(&base, store, ref.ptr) == ACCORD_ENOTFOUND) {
		if ((error = accord_sync_ref_create(store, ref.ptr, &dl, NULL)) < 0)
			goto done;
		news++;
	}
	accord_buf_clear(&ref);
	accord_buf_printf(&ref, "%s%s/%s", ACCORD_EVIDENCE_PREFIX, keyid, rhex);
	if (accord_store_ref_get(&base, store, ref.ptr) == ACCORD_ENOTFOUND) {
		if ((error = accord_sync_ref_create(store, ref.ptr, &dr, NULL)) < 0)
			goto done;
		news++;
	}
	/*
	 * Each side's tip too, when it has gone on past its first entry: both
	 * sides travel whole, since another key's entry may depend on any of
	 * their entries (docs/format.md, "Forks").
	 */
	{
		const git_oid *tips[2] = { local, remote };
		const git_oid *firsts[2] = { &dl, &dr };
		int t;

		for (t = 0; t < 2; t++) {
			char hex[GIT_OID_HEXSZ + 1];

			if (git_oid_equal(tips[t], firsts[t]))
				continue;
			git_oid_tostr(hex, sizeof(hex), tips[t]);
			accord_buf_clear(&ref);
			accord_buf_printf(&ref, "%s%s/%s", ACCORD_EVIDENCE_PREFIX, keyid, hex);
			if (accord_store_ref_get(&base, store, ref.ptr) == ACCORD_ENOTFOUND &&
			    (error = accord_sync_ref_create(store, ref.ptr, tips[t], NULL)) < 0)
				goto done;
		}
	}
	/* a fork this copy held proof of already is not news: audit lists it */
	if (news) {
		accord_sync_evidence *ev = PUSH(res->evidence, res->evidence_count);

		memcpy(ev->feed, keyid, sizeof(ev->feed));
		ev->seq = seq;
		memcpy(ev->local, lhex, sizeof(ev->local));
		memcpy(ev->remote, rhex, sizeof(ev->remote));
	}
	accord_error_clear();
	error = 0;
done:
	accord_buf_dispose(&ref);
	return error;
}

/* Feed heads under `prefix` (quarantine or local); malformed names go to *bad. */
int accord_sync_list_feeds(accord_head **out, size_t *count, accord_store *store,
			   const char *prefix, char ***bad, size_t *nbad)
{
	git_strarray refs = { NULL, 0 };
	accord_head *heads = NULL;
	size_t n = 0, i;
	int error;

	if ((error = accord_store_ref_list(&refs, store, prefix)) < 0)
		return error;
	for (i = 0; i < refs.count; i++) {
		const char *k = accord_sync_feed_keyid(refs.strings[i], prefix);
		accord_head *h;

		if (!k) {
			if (bad)
				*PUSH(*bad, *nbad) = accord_xstrdup(refs.strings[i]);
			continue;
		}
		h = PUSH(heads, n);
		memcpy(h->keyid, k, sizeof(h->keyid));
		if ((error = accord_store_ref_get(&h->head, store, refs.strings[i])) < 0)
			break;
	}
	git_strarray_dispose(&refs);
	if (error < 0) {
		free(heads);
		return error;
	}
	*out = heads ? heads : accord_xcalloc(1, sizeof(*heads));
	*count = n;
	return 0;
}

void accord_sync_add_refused(accord_sync_result *res, const char *feed, const char *entry,
			     const char *reason)
{
	accord_sync_candidate *c = PUSH(res->refused, res->refused_count);

	snprintf(c->head.keyid, sizeof(c->head.keyid), "%s", feed);
	snprintf(c->entry, sizeof(c->entry), "%s", entry ? entry : "");
	snprintf(c->reason, sizeof(c->reason), "%s", reason);
	c->refused = 1;
}

/*
 * Whether this copy holds proof of equivocation by `keyid` already (kept
 * before this sync, or found by it and reported as evidence).
 */
int accord_sync_has_evidence(accord_store *store, const char *keyid)
{
	git_strarray refs = { NULL, 0 };
	char prefix[128];
	int found;

	snprintf(prefix, sizeof(prefix), "%s%s/", ACCORD_EVIDENCE_PREFIX, keyid);
	if (accord_store_ref_list(&refs, store, prefix) < 0)
		return 0;
	found = refs.count > 0;
	git_strarray_dispose(&refs);
	return found;
}

/* The evidence refs under `qprefix` (a quarantine copy of refs/accord/evidence/), as heads. */
int accord_sync_list_evidence(accord_head **out, char ***names, size_t *count, accord_store *store,
			      const char *qprefix)
{
	git_strarray refs = { NULL, 0 };
	size_t i, n = 0, plen = strlen(qprefix);
	int error;

	*out = NULL;
	*names = NULL;
	*count = 0;
	if ((error = accord_store_ref_list(&refs, store, qprefix)) < 0)
		return error;
	*out = accord_xcalloc(refs.count + 1, sizeof(**out));
	*names = accord_xcalloc(refs.count + 1, sizeof(**names));
	for (i = 0; i < refs.count; i++) {
		const char *rest = refs.strings[i] + plen;

		if (accord_store_ref_get(&(*out)[n].head, store, refs.strings[i]) < 0)
			continue;
		snprintf((*out)[n].keyid, sizeof((*out)[n].keyid), "%.32s", rest);
		(*names)[n++] = accord_xstrdup(rest);
	}
	git_strarray_dispose(&refs);
	*count = n;
	return 0;
}

/*
 * Take the remote's evidence refs we do not have yet that prove
 * equivocation (`v`: the verification of the ledger after the sync); the
 * rest are reported as refused.
 */
int accord_sync_take_evidence(accord_sync_result *res, accord_store *store, const char *qprefix,
			      const accord_verification *v, const accord_ledger *l)
{
	accord_head *heads = NULL;
	evidence_item *items = NULL;
	char **names = NULL;
	size_t i, n = 0;
	int error;

	if ((error = accord_sync_list_evidence(&heads, &names, &n, store, qprefix)) < 0)
		return error;
	items = accord_xcalloc(n + 1, sizeof(*items));
	for (i = 0; i < n; i++) {
		accord_sync_read_evidence_item(&items[i], store, names[i], &heads[i].head);
		items[i].held = accord_sync_evidence_is_ours(store, names[i], &heads[i].head);
	}
	accord_sync_check_evidence(items, n, v, l);
	accord_sync_bound_evidence(items, n, l, store, ACCORD_EVIDENCE_PREFIX, ACCORD_FEED_PREFIX);
	for (i = 0; i < n && error == 0; i++) {
		accord_buf local = ACCORD_BUF_INIT;
		git_oid have;

		accord_buf_printf(&local, "%s%s", ACCORD_EVIDENCE_PREFIX, names[i]);
		if (accord_store_ref_get(&have, store, local.ptr) == 0) {
			accord_buf_dispose(&local);
			continue;
		}
		if (items[i].declined) {
			/* proof of a fork held here already: not taken, and no fault of the remote */
			res->evidence_declined++;
		} else if (!items[i].e || items[i].why[0]) {
			char hex[GIT_OID_HEXSZ + 1], why[700];

			/* the remote's ref, not the feed's: no member is named as its cause (attack128 02) */
			git_oid_tostr(hex, sizeof(hex), &heads[i].head);
			snprintf(
				why, sizeof(why),
				"refused its evidence ref %s%s, not taken (nothing of that feed is refused): %s",
				ACCORD_EVIDENCE_PREFIX, names[i], items[i].why);
			accord_sync_add_refused(res, "", hex, why);
		} else if ((error = accord_sync_ref_create(store, local.ptr, &heads[i].head,
							   NULL)) == 0) {
			/* proof received: said like proof found, since it changes what counts */
			accord_sync_evidence *ev = PUSH(res->evidence, res->evidence_count);

			memcpy(ev->feed, items[i].keyid, sizeof(ev->feed));
			ev->seq = items[i].e->seq;
			git_oid_tostr(ev->remote, sizeof(ev->remote), &heads[i].head);
		}
		accord_buf_dispose(&local);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(heads);
	accord_sync_evidence_items_free(items, n);
	return error;
}

int accord_sync_evidence_is_ours(accord_store *store, const char *rest, const git_oid *at)
{
	accord_buf ours = ACCORD_BUF_INIT;
	git_oid have;
	int held;

	accord_buf_printf(&ours, "%s%s", ACCORD_EVIDENCE_PREFIX, rest);
	held = accord_store_ref_get(&have, store, ours.ptr) == 0 && git_oid_equal(&have, at);
	accord_buf_dispose(&ours);
	accord_error_clear();
	return held;
}

/*
 * Whether every evidence ref the remote offered (under `qevidence`) is now
 * one of ours, at the same commit: then the sync's verification read what
 * a verification of the local refs would read.
 */
int accord_sync_offered_evidence_held(accord_store *store, const char *qevidence)
{
	git_strarray refs = { NULL, 0 };
	size_t i, plen = strlen(qevidence);
	int held = 1;

	if (accord_store_ref_list(&refs, store, qevidence) < 0) {
		accord_error_clear();
		return 0;
	}
	for (i = 0; i < refs.count && held; i++) {
		git_oid offered;

		held = accord_store_ref_get(&offered, store, refs.strings[i]) == 0 &&
		       accord_sync_evidence_is_ours(store, refs.strings[i] + plen, &offered);
	}
	accord_error_clear();
	git_strarray_dispose(&refs);
	return held;
}

int accord_sync_no_evidence(accord_store *store, const char *offered)
{
	git_strarray ours = { NULL, 0 }, theirs = { NULL, 0 };
	int error;

	if ((error = accord_store_ref_list(&ours, store, ACCORD_EVIDENCE_PREFIX)) < 0)
		return error;
	if (offered && (error = accord_store_ref_list(&theirs, store, offered)) < 0) {
		git_strarray_dispose(&ours);
		return error;
	}
	error = ours.count == 0 && theirs.count == 0;
	git_strarray_dispose(&ours);
	git_strarray_dispose(&theirs);
	return error;
}
