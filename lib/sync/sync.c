/*
 * Sync between parties over git remotes: one sync classifies what a remote
 * offers, takes what verifies, pushes what it lacks and reports what
 * arrived and what was refused. Verification, evidence, remotes and clone,
 * and the hub's pre-receive check have files of their own (sync_impl.h).
 * See include/accord/sync.h.
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

#define ZERO_OID_HEX "0000000000000000000000000000000000000000"

/* Heads each key recorded in its last checkpoint (`heads`, NULL for none): feed -> seq. */
static int64_t checkpoint_seq(const cJSON *heads, const char *feed)
{
	const cJSON *h;

	cJSON_ArrayForEach(h, heads) {
		const char *f = accord_json_str(h, "feed");
		int64_t seq = 0;

		if (f && strcmp(f, feed) == 0 && accord_json_int(&seq, h, "seq") == 0)
			return seq;
	}
	return 0;
}

/* accord_ledger_walk_feed: the heads the newest checkpoint records (into *arg), then stop. */
static int last_checkpoint(const accord_entry *e, void *arg)
{
	if (strcmp(e->type, "checkpoint") != 0)
		return 0;
	*(cJSON **)arg = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(e->body, "heads"), 1);
	return 1;
}

/* accord_ledger_walk_feed: stop at an entry other than a checkpoint. */
static int not_checkpoint(const accord_entry *e, void *arg)
{
	(void)arg;
	return strcmp(e->type, "checkpoint") != 0;
}

/*
 * Witness the verified heads of the other feeds in a checkpoint entry,
 * when any of them has gained an entry other than a checkpoint since our
 * last one: checkpoints answering checkpoints would never settle.
 * `l` is the ledger just verified and written, under the write lock;
 * after a failed append it may only be freed.
 */
static int write_checkpoint(char *out_id, accord_ledger *l, const accord_key *key,
			    const char *remote)
{
	const accord_member *m;
	cJSON *body = NULL, *heads, *last = NULL;
	size_t i, witnessed = 0;
	int error = 0, changed = 0;
	int64_t limit = accord_sat_add(accord_time_now(), ACCORD_FUTURE_SLACK_S);

	out_id[0] = '\0';
	m = accord_parties_member(&l->parties, key->pub.id);
	if (!m || m->revoked)
		goto done; /* not a member here: nothing to witness with */
	/*
	 * Feed by feed, newest first, read back from git: a ledger taken
	 * through the index holds only the entries it loaded.
	 */
	if ((error = accord_ledger_walk_feed(l, key->pub.id, 0, last_checkpoint, &last)) < 0)
		goto done;
	for (i = 0; i < l->feed_count && !changed; i++) {
		const accord_feed *f = &l->feeds[i];

		if (strcmp(f->keyid, key->pub.id) == 0)
			continue;
		if ((error = accord_ledger_walk_feed(l, f->keyid, checkpoint_seq(last, f->keyid),
						     not_checkpoint, NULL)) < 0)
			goto done;
		changed = error == 1;
	}
	error = 0;
	if (!changed)
		goto done;
	body = cJSON_CreateObject();
	heads = cJSON_AddArrayToObject(body, "heads");
	for (i = 0; i < l->feed_count; i++) {
		const accord_feed *f = &l->feeds[i];
		cJSON *h;

		if (strcmp(f->keyid, key->pub.id) == 0 || !f->last)
			continue;
		/* the writer does not depend on a head dated ahead of the clock, so cannot claim it */
		if (f->last->time > limit)
			continue;
		witnessed++;
		h = cJSON_CreateObject();
		cJSON_AddStringToObject(h, "feed", f->keyid);
		cJSON_AddNumberToObject(h, "seq", (double)f->seq);
		cJSON_AddStringToObject(h, "hash", f->last->id);
		cJSON_AddItemToArray(heads, h);
	}
	if (!witnessed)
		goto done;
	if (remote && *remote && strlen(remote) <= 200)
		cJSON_AddStringToObject(body, "remote", remote);
	error = accord_ledger_append(out_id, l, key, "checkpoint", NULL, body);
done:
	cJSON_Delete(body);
	cJSON_Delete(last);
	return error;
}

/*
 * Move *head back before the feed's first counting entry dated more than
 * the slack ahead of this machine's clock (a copy may hold one, fetched by
 * plain git): pushed, the hook would refuse it, and the whole push with it.
 * -1 when nothing of the feed is before it.
 */
static int early_before(git_oid *head, int64_t *held, int64_t *held_time, const accord_ledger *l,
			const accord_verification *v, const char *keyid)
{
	int64_t limit = accord_sat_add(accord_time_now(), ACCORD_FUTURE_SLACK_S), first = 0;
	const accord_verified_item *it;
	size_t i;

	for (i = 0; i < l->count; i++) {
		const accord_entry *e = l->entries[i];

		if (e->time > limit && !strcmp(e->author.id, keyid) && (!first || e->seq < first)) {
			first = e->seq;
			*held_time = e->time;
		}
	}
	if (!first)
		return 0;
	*held = first;
	if (first == 1 ||
	    !(it = accord_verified_feed_item(accord_verification_feed(v, keyid), first - 1)))
		return -1;
	git_oid_fromstr(head, it->commit);
	return 0;
}

/* Where the heads last seen on remote `name` are kept. */
int accord_sync_seen_path(char **out, accord_store *store, const char *name)
{
	accord_buf file = ACCORD_BUF_INIT;
	const char *p;
	int error;

	accord_buf_puts(&file, "remote-");
	for (p = name; *p; p++) {
		if (*p == '/' || *p == '%')
			accord_buf_printf(&file, "%%%02X", (unsigned char)*p);
		else
			accord_buf_putc(&file, *p);
	}
	accord_buf_puts(&file, ".heads");
	error = accord_store_state_path(out, store, file.ptr);
	accord_buf_dispose(&file);
	return error;
}

static void result_error(accord_sync_result *res)
{
	free(res->error);
	res->error = accord_xstrdup(accord_error_last());
}

/*
 * One round of a sync: fetch into the quarantine, verify, take what counts,
 * push. ACCORD_EMODIFIED when the remote moved between the fetch and the
 * push (nothing was pushed then).
 */
/* Refs under the remote's refs/accord/ outside the layout: each refused, named. */
static int refuse_outside_layout(accord_sync_result *res, accord_store *store, const char *name,
				 const accord_buf *qfeeds, const accord_buf *qevidence, char ***bad,
				 size_t *nbad)
{
	git_strarray all = { NULL, 0 };
	accord_buf q = ACCORD_BUF_INIT;
	size_t i;
	int error;

	accord_buf_printf(&q, "%s%s/", ACCORD_QUARANTINE_PREFIX, name);
	if ((error = accord_store_ref_list(&all, store, q.ptr)) < 0) {
		accord_buf_dispose(&q);
		return error;
	}
	for (i = 0; i < all.count; i++)
		if (strncmp(all.strings[i], qfeeds->ptr, qfeeds->size) != 0 &&
		    strncmp(all.strings[i], qevidence->ptr, qevidence->size) != 0)
			*PUSH(*bad, *nbad) = accord_xstrdup(all.strings[i]);
	git_strarray_dispose(&all);
	for (i = 0; i < *nbad; i++) {
		accord_buf why = ACCORD_BUF_INIT;

		accord_buf_printf(&why,
				  "the remote's ref %s%s is outside the ledger layout; ignored",
				  ACCORD_REF_PREFIX, (*bad)[i] + q.size);
		accord_sync_add_refused(res, "", NULL, why.ptr);
		accord_buf_dispose(&why);
	}
	accord_buf_dispose(&q);
	return 0;
}

/* Each remote feed against ours: new or ahead is a candidate, a fork is proof. */
static int classify_remote(accord_sync_result *res, accord_sync_candidate **cands, size_t *ncands,
			   accord_store *store, const accord_head *local, size_t nlocal,
			   const accord_head *remote, size_t nremote)
{
	size_t i;
	int error;

	for (i = 0; i < nremote; i++) {
		const accord_head *l = accord_sync_find_head(local, nlocal, remote[i].keyid);
		accord_sync_relation rel;
		git_oid base;
		size_t ahead;
		int repeat = 0;

		if (accord_sync_classify_counting(&rel, &ahead, store, l ? &l->head : NULL,
						  &remote[i].head) < 0) {
			char hex[GIT_OID_HEXSZ + 1];

			git_oid_tostr(hex, sizeof(hex), &remote[i].head);
			accord_sync_add_refused(res, remote[i].keyid, hex, accord_error_last());
			continue;
		}
		if (rel == ACCORD_SYNC_FORK &&
		    (error = accord_sync_repeat_tail(&repeat, &base, store, &l->head,
						     &remote[i].head)) < 0)
			return error;
		if (rel == ACCORD_SYNC_NEW || rel == ACCORD_SYNC_AHEAD ||
		    (rel == ACCORD_SYNC_FORK && repeat)) {
			accord_sync_candidate *c = PUSH(*cands, *ncands);

			/* over a tail that never counts, the ref moves from where it is (take_candidates) */
			c->head = remote[i];
			res->fetched += rel == ACCORD_SYNC_AHEAD
						? ahead
						: accord_sync_count_new(store, &remote[i].head,
									repeat ? &base : NULL);
		} else if (rel == ACCORD_SYNC_FORK &&
			   (error = accord_sync_handle_fork(res, store, remote[i].keyid, &l->head,
							    &remote[i].head)) < 0) {
			return error;
		}
	}
	return 0;
}

/* Move each feed ref onto what the verification took of its candidate, never past it. */
static int take_candidates(accord_sync_result *res, accord_store *store,
			   const accord_sync_candidate *cands, size_t ncands,
			   const accord_head *local, size_t nlocal, const accord_verification *vv,
			   const int64_t *was, const accord_ledger *verified)
{
	size_t i;
	int error;

	for (i = 0; i < ncands; i++) {
		const accord_head *l = accord_sync_find_head(local, nlocal, cands[i].head.keyid);
		const accord_feed *now = accord_ledger_feed(verified, cands[i].head.keyid);
		accord_sync_accepted *a;
		accord_buf ref = ACCORD_BUF_INIT;

		/* a fork this copy already holds proof of is not news: audit lists it */
		if (cands[i].refused && !(cands[i].kind == ACCORD_AUDIT_EQUIVOCATION &&
					  accord_sync_has_evidence(store, cands[i].head.keyid)))
			*PUSH(res->refused, res->refused_count) = cands[i];
		/* Never move a feed ref onto an entry that does not count. */
		if (git_oid_is_zero(&cands[i].take) ||
		    (l && git_oid_equal(&cands[i].take, &l->head)))
			continue;
		accord_buf_printf(&ref, "%s%s", ACCORD_FEED_PREFIX, cands[i].head.keyid);
		error = accord_sync_ref_create(store, ref.ptr, &cands[i].take, l ? &l->head : NULL);
		accord_buf_dispose(&ref);
		if (error < 0)
			return error;
		a = PUSH(res->accepted, res->accepted_count);
		memcpy(a->feed, cands[i].head.keyid, sizeof(a->feed));
		if (!vv) { /* taken through the index: every new entry counts */
			a->from = was[i];
			a->to = now ? now->seq : 0;
			continue;
		}
		a->from = accord_sync_local_seq(accord_verification_feed(vv, a->feed), l);
		/* where the ref now stands: beyond what counts when a rule set its tail aside */
		a->to = accord_sync_seq_of(accord_verification_feed(vv, a->feed), &cands[i].take);
		if (!a->to && now)
			a->to = now->seq;
	}
	return 0;
}

/*
 * Our feeds the remote lacks or is behind on, each only over what we saw
 * there: what counts or is set aside by a rule, up to the feed's first
 * fault, and nothing the remote would refuse as too early.
 */
static void plan_feed_pushes(accord_transport_update **pushes, size_t *npushes, accord_store *store,
			     accord_head *local, size_t nlocal, const accord_head *remote,
			     size_t nremote, const accord_ledger *verified,
			     const accord_verification *vv, accord_sync_result *res,
			     const char *own)
{
	size_t i;

	for (i = 0; i < nlocal; i++) {
		const accord_head *r = accord_sync_find_head(remote, nremote, local[i].keyid);
		const accord_beyond *beyond = accord_ledger_beyond(verified, local[i].keyid);
		accord_sync_relation rel;
		accord_buf ref = ACCORD_BUF_INIT;
		accord_transport_update *u;
		int64_t held = 0, held_time = 0;
		int none;

		if (beyond && git_oid_equal(&beyond->head, &local[i].head)) {
			const accord_verified_feed *f =
				accord_verification_feed(vv, local[i].keyid);

			if (!f || f->kept == 0)
				continue;
			local[i].head = f->kept_head;
		}
		none = early_before(&local[i].head, &held, &held_time, verified, vv,
				    local[i].keyid);

		/* ours: the writer must hear of it, or it would think them delivered */
		if (held && own && !strcmp(own, local[i].keyid)) {
			res->held_seq = held;
			res->held_time = held_time;
		}
		if (none < 0)
			continue;
		if (accord_sync_classify(&rel, store, &local[i].head, r ? &r->head : NULL) < 0) {
			/* the remote's ref names a tag or a tree, no feed: put ours back over it */
			if (!r || accord_chain_is_commit(store, &r->head) != 0)
				continue;
			accord_error_clear();
			rel = ACCORD_SYNC_BEHIND;
		}
		if (rel != ACCORD_SYNC_MISSING && rel != ACCORD_SYNC_BEHIND)
			continue;
		accord_buf_printf(&ref, "%s%s", ACCORD_FEED_PREFIX, local[i].keyid);
		u = PUSH(*pushes, *npushes);
		u->ref = accord_buf_detach(&ref);
		u->new_id = local[i].head;
		if (r)
			u->old_id = r->head;
	}
}

/*
 * Our evidence refs (proofs of forks) the remote does not hold, but for
 * those its hook would decline as proving nothing new (a key whose fork it
 * holds proof enough of, accord_sync_bound_evidence): pushed, they would
 * fail the whole push.
 */
static int plan_evidence_pushes(accord_transport_update **pushes, size_t *npushes,
				accord_store *store, const char *qevidence, const char *qfeeds,
				const accord_ledger *l)
{
	git_strarray ev = { NULL, 0 };
	evidence_item *items;
	size_t i, n = 0;
	int error;

	if ((error = accord_store_ref_list(&ev, store, ACCORD_EVIDENCE_PREFIX)) < 0)
		return error;
	items = accord_xcalloc(ev.count + 1, sizeof(*items));
	for (i = 0; i < ev.count; i++) {
		const char *rest = ev.strings[i] + strlen(ACCORD_EVIDENCE_PREFIX);
		accord_buf q = ACCORD_BUF_INIT;
		git_oid there;

		accord_buf_printf(&q, "%s%s", qevidence, rest);
		if (accord_store_ref_get(&there, store, q.ptr) == ACCORD_ENOTFOUND &&
		    accord_store_ref_get(&there, store, ev.strings[i]) == 0) {
			snprintf(items[n].keyid, sizeof(items[n].keyid), "%.32s", rest);
			items[n].commit = there;
			items[n].ref = ev.strings[i];
			n++;
		}
		accord_buf_dispose(&q);
	}
	accord_error_clear();
	accord_sync_bound_evidence(items, n, l, store, qevidence, qfeeds);
	for (i = 0; i < n; i++) {
		accord_transport_update *u;

		if (items[i].declined)
			continue;
		u = PUSH(*pushes, *npushes);
		u->ref = accord_xstrdup(items[i].ref);
		u->new_id = items[i].commit;
	}
	free(items);
	git_strarray_dispose(&ev);
	return 0;
}

/* What the remote took: listed, and its feed heads as now seen there (`after`). */
static void record_pushed(accord_sync_result *res, const accord_transport_update *pushes,
			  size_t npushes, accord_head *after, size_t *nafter)
{
	size_t i;

	for (i = 0; i < npushes; i++) {
		const char *ref = pushes[i].ref;

		if (pushes[i].status != ACCORD_PUSH_OK)
			continue;
		*PUSH(res->pushed, res->pushed_count) = accord_xstrdup(ref);
		if (strncmp(ref, ACCORD_FEED_PREFIX, strlen(ACCORD_FEED_PREFIX)) == 0) {
			const char *k = ref + strlen(ACCORD_FEED_PREFIX);
			accord_head *a = (accord_head *)accord_sync_find_head(after, *nafter, k);

			if (!a)
				a = &after[(*nafter)++];
			memcpy(a->keyid, k, sizeof(a->keyid));
			a->head = pushes[i].new_id;
		}
	}
}

/* The entries the candidates brought, taken through the index (accord_sync_verify_fast). */
static size_t new_entries(const accord_ledger *l, const accord_sync_candidate *cands, size_t ncands,
			  const int64_t *was)
{
	size_t i, n = 0;

	for (i = 0; i < ncands; i++) {
		const accord_feed *f = accord_ledger_feed(l, cands[i].head.keyid);

		if (f && f->seq > was[i])
			n += (size_t)(f->seq - was[i]);
	}
	return n;
}

/* One verification of the local feeds, the candidates and the incoming evidence. */
int accord_sync_verify_offer(accord_ledger **verified, accord_verification **vv,
			     accord_store *store, const accord_head *local, size_t nlocal,
			     accord_sync_candidate *cands, size_t ncands, const char *qevidence,
			     int lean)
{
	accord_head *evh = NULL;
	char **evnames = NULL;
	size_t nev = 0, i;
	int error;

	error = accord_sync_list_evidence(&evh, &evnames, &nev, store, qevidence);
	if (error == 0) {
		/*
		 * Evidence we hold already is read from our own refs: offered again,
		 * it would be read twice, and the verification would not be the one
		 * of the refs this sync leaves (which it hands over, keep_ledger).
		 */
		size_t kept = 0;

		for (i = 0; i < nev; i++)
			if (!accord_sync_evidence_is_ours(store, evnames[i], &evh[i].head))
				evh[kept++] = evh[i];
		error = (lean ? accord_sync_verify_lean : accord_sync_verify)(
			verified, vv, store, local, nlocal, cands, ncands, evh, kept);
	}
	for (i = 0; i < nev; i++)
		free(evnames[i]);
	free(evnames);
	free(evh);
	return error;
}

static int sync_once(accord_sync_result *res, accord_store *store, const char *name,
		     const accord_sync_options *opts)
{
	accord_head *local = NULL, *remote = NULL, *seen = NULL, *after = NULL;
	size_t nlocal = 0, nremote = 0, nseen = 0, nafter = 0, ncands = 0, nbad = 0, i;
	accord_sync_candidate *cands = NULL;
	accord_ledger *verified = NULL;
	accord_verification *vv = NULL;
	char **bad = NULL, *seenfile = NULL;
	accord_transport_update *pushes = NULL;
	int64_t *was = NULL;
	size_t npushes = 0;
	accord_buf qfeeds = ACCORD_BUF_INIT, qevidence = ACCORD_BUF_INIT,
		   quarantine = ACCORD_BUF_INIT;
	int error = 0, locked = 0, keep = 0, fast;

	/*
	 * The write lock covers the quarantine refs too, from the fetch to
	 * the ref updates; appends wait meanwhile. It is released before the
	 * push, so two ledgers syncing with each other never wait in a cycle.
	 */
	if ((error = accord_store_lock(store)) < 0)
		goto fail;
	locked = 1;
	accord_buf_printf(&quarantine, "%s%s/", ACCORD_QUARANTINE_PREFIX, name);
	if ((error = accord_transport_fetch(store, name, name, quarantine.ptr,
					    opts ? &opts->transport : NULL)) < 0)
		goto fail;
	if ((error = accord_ledger_local_heads(&local, &nlocal, store)) < 0)
		goto fail;
	if (nlocal == 0) {
		error = accord_error_set(ACCORD_ENOTFOUND,
					 "no ledger here to sync (use accord clone URL DIR)");
		goto fail;
	}
	accord_buf_printf(&qfeeds, "%s%s/feeds/", ACCORD_QUARANTINE_PREFIX, name);
	accord_buf_printf(&qevidence, "%s%s/evidence/", ACCORD_QUARANTINE_PREFIX, name);
	if ((error = accord_sync_list_feeds(&remote, &nremote, store, qfeeds.ptr, &bad, &nbad)) <
		    0 ||
	    (error = refuse_outside_layout(res, store, name, &qfeeds, &qevidence, &bad, &nbad)) <
		    0 ||
	    (error = classify_remote(res, &cands, &ncands, store, local, nlocal, remote, nremote)) <
		    0)
		goto fail;

	/* only the new commits when the index can judge them, else the whole ledger once */
	fast = opts && opts->cache_key &&
			       (error = accord_sync_no_evidence(store, qevidence.ptr)) == 1
		       ? accord_sync_verify_fast(&verified, &was, store, local, nlocal, cands,
						 ncands, opts->cache_key)
		       : 1;
	if (error < 0 || (error = fast) < 0)
		goto fail;
	/* bodies kept whole (not lean): the ledger stays the command's, which shows what arrived */
	if (fast == 1 && (error = accord_sync_verify_offer(&verified, &vv, store, local, nlocal,
							   cands, ncands, qevidence.ptr, 0)) < 0)
		goto fail;
	res->verified = vv ? verified->count : new_entries(verified, cands, ncands, was);
	if (opts && opts->progress)
		opts->progress(name, "verifying entries", res->verified, res->verified,
			       opts->payload);
	if ((error = take_candidates(res, store, cands, ncands, local, nlocal, vv, was, verified)) <
		    0 ||
	    (vv &&
	     (error = accord_sync_take_evidence(res, store, qevidence.ptr, vv, verified)) < 0))
		goto fail;
	/* the refs hold what the index took: it writes it before the checkpoint goes on top */
	if (!vv && (error = accord_ledger_keep(verified)) < 0)
		goto fail;

	/* Rollbacks: the remote's heads now against those seen there last time. */
	if ((error = accord_sync_seen_path(&seenfile, store, name)) < 0 ||
	    (error = accord_sync_heads_read(&seen, &nseen, seenfile)) < 0 ||
	    (error = accord_sync_rollbacks(&res->rollbacks, &res->rollback_count, store, seen,
					   nseen, remote, nremote)) < 0)
		goto fail;

	if (opts && opts->key && res->refused_count == 0 && res->evidence_count == 0 &&
	    (error = write_checkpoint(res->checkpoint, verified, opts->key, name)) ==
		    ACCORD_EDENIED) {
		/* optional: a key that may not write yet (two parties' offers) still syncs (attack125 02) */
		free(res->checkpoint_skipped);
		res->checkpoint_skipped = accord_xstrdup(accord_error_last());
		error = 0;
	}
	if (error < 0)
		goto fail;
	/* the checkpoint, if any, is in `verified` too: it is the ledger the refs now hold */
	keep = opts && opts->keep_ledger && accord_sync_offered_evidence_held(store, qevidence.ptr);
	/* what it read: our evidence refs now, under the lock (the index holds to it) */
	if (keep)
		accord_ledger_evidence_digest(verified->evidence, store);
	accord_store_unlock(store);
	locked = 0;

	/* Push what the remote lacks or is behind on, each only over what we saw there. */
	free(local);
	local = NULL;
	if ((error = accord_sync_list_feeds(&local, &nlocal, store, ACCORD_FEED_PREFIX, NULL,
					    NULL)) < 0)
		goto fail;
	after = accord_xcalloc(nremote + nlocal + 1, sizeof(*after));
	if (nremote)
		memcpy(after, remote, nremote * sizeof(*after));
	nafter = nremote;
	plan_feed_pushes(&pushes, &npushes, store, local, nlocal, remote, nremote, verified, vv,
			 res, opts && opts->key ? opts->key->pub.id : NULL);
	if ((error = plan_evidence_pushes(&pushes, &npushes, store, qevidence.ptr, qfeeds.ptr,
					  verified)) < 0)
		goto fail;
	if (npushes) {
		error = accord_transport_push(store, name, name, pushes, npushes,
					      opts ? &opts->transport : NULL);
		record_pushed(res, pushes, npushes, after, &nafter);
		if (error < 0) {
			result_error(res);
			/* What was seen stays recorded even when the push failed. */
			accord_sync_heads_write(seenfile, after, nafter);
			goto done;
		}
	}
	if ((error = accord_sync_heads_write(seenfile, after, nafter)) < 0)
		goto fail;
	error = (res->refused_count || res->evidence_count) ? ACCORD_EBADSIG : 0;
	goto done;
fail:
	result_error(res);
done:
	if (locked)
		accord_store_unlock(store);
	for (i = 0; i < nbad; i++)
		free(bad[i]);
	free(bad);
	for (i = 0; i < npushes; i++)
		free((char *)pushes[i].ref);
	free(pushes);
	if (keep) {
		accord_ledger_free(res->ledger);
		res->ledger = verified;
		verified = NULL;
	}
	accord_ledger_free(verified);
	accord_verification_free(vv);
	free(was);
	free(local);
	free(remote);
	free(seen);
	free(after);
	free(cands);
	free(seenfile);
	accord_buf_dispose(&qfeeds);
	accord_buf_dispose(&qevidence);
	accord_buf_dispose(&quarantine);
	return error;
}

/* Whether `c` is refused in res->refused[0..n) already (a later round found it again). */
static int refused_before(const accord_sync_result *res, size_t n, const accord_sync_candidate *c)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(res->refused[i].head.keyid, c->head.keyid) &&
		    !strcmp(res->refused[i].entry, c->entry) &&
		    !strcmp(res->refused[i].reason, c->reason))
			return 1;
	return 0;
}

/*
 * Fold what a further round found into the result: a feed taken in two
 * rounds is one feed taken from where it was to where it is, a refusal
 * said twice is said once.
 */
static void merge_round(accord_sync_result *res, size_t accepted0, size_t refused0)
{
	size_t i, j, n = accepted0, m = refused0;

	for (i = accepted0; i < res->accepted_count; i++) {
		for (j = 0; j < accepted0; j++)
			if (!strcmp(res->accepted[j].feed, res->accepted[i].feed))
				break;
		if (j < accepted0)
			res->accepted[j].to = res->accepted[i].to;
		else
			res->accepted[n++] = res->accepted[i];
	}
	res->accepted_count = n;
	for (i = refused0; i < res->refused_count; i++)
		if (!refused_before(res, refused0, &res->refused[i]))
			res->refused[m++] = res->refused[i];
	res->refused_count = m;
}

int accord_sync_remote(accord_sync_result **out, accord_store *store, const char *name,
		       const accord_sync_options *opts)
{
	accord_sync_result *res = accord_xcalloc(1, sizeof(*res));
	int error, round;

	res->remote = accord_xstrdup(name);
	if ((error = accord_sync_options_check(opts)) < 0 ||
	    (error = accord_sync_remote_url(&res->url, NULL, store, name)) < 0) {
		result_error(res);
		*out = res;
		return error;
	}
	/* A hub that moves between our fetch and our push: fetch, verify and push again. */
	for (round = 1;; round++) {
		size_t accepted0 = res->accepted_count, refused0 = res->refused_count;

		error = sync_once(res, store, name, opts);
		merge_round(res, accepted0, refused0);
		if (error != ACCORD_EMODIFIED)
			break;
		if (round == ACCORD_SYNC_ROUNDS) {
			error = accord_error_set(
				ACCORD_ERROR,
				"%s kept moving during the sync; gave up after %d rounds of fetch, verify and push",
				name, round);
			result_error(res);
			break;
		}
		free(res->error);
		res->error = NULL;
	}
	res->rounds = round;
	*out = res;
	return error;
}

void accord_sync_result_free(accord_sync_result *res)
{
	size_t i;

	if (!res)
		return;
	free(res->remote);
	free(res->url);
	free(res->checkpoint_skipped);
	free(res->accepted);
	free(res->refused);
	free(res->evidence);
	free(res->rollbacks);
	for (i = 0; i < res->pushed_count; i++)
		free(res->pushed[i]);
	free(res->pushed);
	free(res->error);
	accord_ledger_free(res->ledger);
	free(res);
}

cJSON *accord_sync_result_json(const accord_sync_result *res)
{
	cJSON *o = cJSON_CreateObject(), *a;
	size_t i;

	cJSON_AddStringToObject(o, "remote", res->remote);
	cJSON_AddStringToObject(o, "url", res->url ? res->url : "");
	cJSON_AddNumberToObject(o, "fetched", (double)res->fetched);
	a = cJSON_AddArrayToObject(o, "accepted");
	for (i = 0; i < res->accepted_count; i++) {
		cJSON *x = cJSON_CreateObject();

		cJSON_AddStringToObject(x, "feed", res->accepted[i].feed);
		cJSON_AddNumberToObject(x, "from", (double)res->accepted[i].from);
		cJSON_AddNumberToObject(x, "to", (double)res->accepted[i].to);
		cJSON_AddItemToArray(a, x);
	}
	a = cJSON_AddArrayToObject(o, "refused");
	for (i = 0; i < res->refused_count; i++) {
		cJSON *x = cJSON_CreateObject();

		cJSON_AddStringToObject(x, "feed", res->refused[i].head.keyid);
		if (res->refused[i].entry[0])
			cJSON_AddStringToObject(x, "entry", res->refused[i].entry);
		else
			cJSON_AddNullToObject(x, "entry");
		cJSON_AddStringToObject(x, "reason", res->refused[i].reason);
		cJSON_AddItemToArray(a, x);
	}
	cJSON_AddNumberToObject(o, "evidence_declined", (double)res->evidence_declined);
	a = cJSON_AddArrayToObject(o, "evidence");
	for (i = 0; i < res->evidence_count; i++) {
		cJSON *x = cJSON_CreateObject(), *e;

		cJSON_AddStringToObject(x, "feed", res->evidence[i].feed);
		cJSON_AddNumberToObject(x, "seq", (double)res->evidence[i].seq);
		e = cJSON_AddArrayToObject(x, "entries");
		cJSON_AddItemToArray(e, cJSON_CreateString(res->evidence[i].local));
		cJSON_AddItemToArray(e, cJSON_CreateString(res->evidence[i].remote));
		cJSON_AddItemToArray(a, x);
	}
	a = cJSON_AddArrayToObject(o, "rollbacks");
	for (i = 0; i < res->rollback_count; i++) {
		cJSON *x = cJSON_CreateObject();

		cJSON_AddStringToObject(x, "feed", res->rollbacks[i].feed);
		cJSON_AddStringToObject(x, "seen", res->rollbacks[i].seen);
		if (res->rollbacks[i].now[0])
			cJSON_AddStringToObject(x, "now", res->rollbacks[i].now);
		else
			cJSON_AddNullToObject(x, "now");
		cJSON_AddItemToArray(a, x);
	}
	a = cJSON_AddArrayToObject(o, "pushed");
	for (i = 0; i < res->pushed_count; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(res->pushed[i]));
	if (res->checkpoint[0])
		cJSON_AddStringToObject(o, "checkpoint", res->checkpoint);
	else
		cJSON_AddNullToObject(o, "checkpoint");
	if (res->held_seq) {
		char when[ACCORD_TIME_LEN];
		cJSON *x = cJSON_AddObjectToObject(o, "held_back");

		accord_time_format(when, res->held_time);
		cJSON_AddNumberToObject(x, "seq", (double)res->held_seq);
		cJSON_AddStringToObject(x, "time", when);
	} else {
		cJSON_AddNullToObject(o, "held_back");
	}
	cJSON_AddNumberToObject(o, "verified", (double)res->verified);
	cJSON_AddNumberToObject(o, "rounds", (double)res->rounds);
	if (res->error)
		cJSON_AddStringToObject(o, "error", res->error);
	return o;
}
