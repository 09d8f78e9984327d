/*
 * Verifying what a remote offers: how a candidate feed relates to ours,
 * its chain, entries dated ahead of this machine's clock held back; and
 * the heads last seen on each remote, against which a rollback shows.
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
#include "file.h"
#include "accord/incident.h"
#include "json.h"
#include "accord/sync.h"
#include "accord/timefmt.h"
#include "accord/transport.h"

#include "ledger_impl.h"
#include "sync_impl.h"

int accord_sync_classify(accord_sync_relation *out, accord_store *store, const git_oid *local,
			 const git_oid *remote)
{
	size_t ahead;

	return accord_sync_classify_counting(out, &ahead, store, local, remote);
}

int accord_sync_classify_counting(accord_sync_relation *out, size_t *ahead, accord_store *store,
				  const git_oid *local, const git_oid *remote)
{
	int r;

	*ahead = 0;
	if (!local && !remote)
		return accord_error_set(ACCORD_EINVALID, "nothing to classify");
	if (!local) {
		*out = ACCORD_SYNC_NEW;
		return 0;
	}
	if (!remote) {
		*out = ACCORD_SYNC_MISSING;
		return 0;
	}
	if (git_oid_equal(local, remote)) {
		*out = ACCORD_SYNC_EQUAL;
		return 0;
	}
	/* along first parents read raw: a commit libgit2 cannot parse is the engine's to judge */
	if ((r = accord_chain_steps_to(ahead, store, remote, local)) < 0)
		return accord_error_wrap(r, "comparing feed heads");
	if (r) {
		*out = ACCORD_SYNC_AHEAD;
		return 0;
	}
	if ((r = accord_chain_descendant_of(store, local, remote)) < 0)
		return accord_error_wrap(r, "comparing feed heads");
	*out = r ? ACCORD_SYNC_BEHIND : ACCORD_SYNC_FORK;
	return 0;
}

static int verify_chain_head(int64_t *out_seq, accord_entry **out_head, accord_store *store,
			     const char *keyid, const git_oid *head);

int accord_sync_verify_chain(int64_t *out_seq, accord_store *store, const char *keyid,
			     const git_oid *head)
{
	return verify_chain_head(out_seq, NULL, store, keyid, head);
}

/*
 * Commits of a chain checked per call of accord_verify_chain: each is
 * checked on every core, and only one run's entries are held at a time,
 * whatever the chain's length.
 */
#define CHAIN_RUN 512

/* accord_sync_verify_chain, also handing over the head's entry (*out_head, caller frees). */
static int verify_chain_head(int64_t *out_seq, accord_entry **out_head, accord_store *store,
			     const char *keyid, const git_oid *head)
{
	accord_commit **commits = NULL;
	accord_entry *prev = NULL, **run = NULL;
	size_t n = 0, i, k;
	git_oid at = *head;
	int error = 0;

	for (;;) {
		accord_commit *c = NULL;

		if ((error = accord_commit_read(&c, store, &at)) < 0)
			goto done;
		commits = accord_xrealloc(commits, (n + 1) * sizeof(*commits));
		commits[n++] = c;
		if (c->parent_count == 0)
			break;
		if (c->parent_count > 1 || n > 100000000) {
			error = accord_error_set(ACCORD_EBADSIG, "commit in feed %s has %u parents",
						 keyid, c->parent_count);
			goto done;
		}
		at = c->parent;
	}
	/* root first, as the chain is judged */
	for (i = 0; i < n / 2; i++) {
		accord_commit *t = commits[i];

		commits[i] = commits[n - 1 - i];
		commits[n - 1 - i] = t;
	}
	run = accord_xcalloc(CHAIN_RUN, sizeof(*run));
	for (i = 0; i < n; i += k) {
		size_t j;

		k = n - i < CHAIN_RUN ? n - i : CHAIN_RUN;
		error = accord_verify_chain(run, NULL, commits + i, k, keyid, prev, (int64_t)i + 1);
		accord_entry_free(prev);
		prev = error < 0 ? NULL : run[k - 1];
		for (j = 0; j < k; j++)
			if (error < 0 || j < k - 1)
				accord_entry_free(run[j]);
		if (error < 0)
			goto done;
	}
	if (out_seq)
		*out_seq = (int64_t)n;
	if (out_head) {
		*out_head = prev;
		prev = NULL;
	}
done:
	accord_entry_free(prev);
	for (i = 0; i < n; i++)
		accord_commit_free(commits[i]); /* those accord_verify_chain did not take */
	free(commits);
	free(run);
	return error;
}

/* Local heads with the candidates in place (each replacing or adding its feed). */
static accord_head *merge_heads(size_t *count, const accord_head *local, size_t nlocal,
				const accord_sync_candidate *cands, size_t ncands)
{
	accord_head *h = accord_xcalloc(nlocal + ncands + 1, sizeof(*h));
	size_t n = nlocal, i, j;

	if (nlocal)
		memcpy(h, local, nlocal * sizeof(*h));
	for (i = 0; i < ncands; i++) {
		for (j = 0; j < n; j++)
			if (strcmp(h[j].keyid, cands[i].head.keyid) == 0)
				break;
		h[j] = cands[i].head;
		if (j == n)
			n++;
	}
	*count = n;
	return h;
}

int accord_sync_verify_fast(accord_ledger **out, int64_t **was_out, accord_store *store,
			    const accord_head *local, size_t nlocal, accord_sync_candidate *cands,
			    size_t ncands, const unsigned char *cache_key)
{
	/* the policy of accord_sync_verify: what is dated ahead of the clock waits (the full path) */
	int64_t limit = accord_sat_add(accord_time_now(), ACCORD_FUTURE_SLACK_S);
	size_t n, i, j;
	accord_head *heads = merge_heads(&n, local, nlocal, cands, ncands);
	int64_t *was = accord_xcalloc(n + 1, sizeof(*was)),
		*cwas = accord_xcalloc(ncands + 1, sizeof(*cwas));
	int error = accord_ledger_offer(out, was, store, cache_key, heads, n, limit);

	if (error == 0) {
		for (i = 0; i < ncands; i++) {
			accord_sync_candidate *c = &cands[i];

			c->take = c->head.head; /* every new entry counts */
			c->refused = 0;
			c->reason[0] = c->entry[0] = '\0';
			for (j = 0; j < n; j++)
				if (!strcmp(heads[j].keyid, c->head.keyid))
					cwas[i] = was[j];
		}
		*was_out = cwas;
		cwas = NULL;
	}
	free(heads);
	free(was);
	free(cwas);
	return error;
}

/*
 * Why the first commit of a feed that does not count (`first`) does not:
 * its own finding, else the first finding of that feed (the one it follows,
 * or a rule such as equivocation that cut it), else NULL.
 */
static const accord_finding *finding_for(const accord_verification *v, const char *keyid,
					 const accord_verified_item *first)
{
	size_t i;

	for (i = 0; first && i < v->finding_count; i++)
		if (!strcmp(v->findings[i].feed, keyid) &&
		    !strcmp(v->findings[i].commit, first->commit))
			return &v->findings[i];
	for (i = 0; i < v->finding_count; i++)
		if (!strcmp(v->findings[i].feed, keyid))
			return &v->findings[i];
	return NULL;
}

/* What sync and the hook hold back of a candidate: entries dated ahead of this machine's clock. */
struct early {
	accord_head head; /* the candidate's head as verified: before its first early entry */
	int gone; /* nothing of it is verified (its first new entry is early, no local feed) */
	int64_t seq, time;
	char commit[GIT_OID_HEXSZ + 1];
};

int64_t accord_sync_local_seq(const accord_verified_feed *vf, const accord_head *was)
{
	return was ? accord_sync_seq_of(vf, &was->head) : 0;
}

int64_t accord_sync_seq_of(const accord_verified_feed *vf, const git_oid *commit)
{
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;

	if (!vf)
		return 0;
	git_oid_tostr(hex, sizeof(hex), commit);
	for (i = 0; i < vf->count; i++)
		if (!strcmp(vf->items[i].commit, hex))
			return vf->items[i].seq;
	return 0;
}

/*
 * Hold back each candidate's first new entry that counts and is dated
 * after `limit`, with what follows it in its feed. Anything depending on
 * it is dated after it too (time >= deps), so what is left is closed under
 * the causal past. 1 if a head moved (verify again), else 0.
 */
static int hold_back_early(struct early *x, const accord_sync_candidate *cands, size_t ncands,
			   const accord_head *local, size_t nlocal, const accord_verification *v,
			   int64_t limit)
{
	size_t i, k, j;
	int moved = 0;

	for (i = 0; i < v->count; i++) {
		const accord_entry *e = v->entries[i];
		const accord_verified_feed *vf;
		const accord_verified_item *before;
		const accord_head *was = NULL;
		int64_t from;

		if (e->time <= limit)
			continue;
		for (k = 0; k < ncands && strcmp(cands[k].head.keyid, e->author.id) != 0; k++)
			;
		if (k == ncands)
			continue; /* held here already: the verdict is not the clock's */
		for (j = 0; j < nlocal; j++)
			if (!strcmp(local[j].keyid, e->author.id))
				was = &local[j];
		vf = accord_verification_feed(v, e->author.id);
		from = accord_sync_local_seq(vf, was);
		if (e->seq <= from || (x[k].seq && x[k].seq <= e->seq))
			continue;
		x[k].seq = e->seq;
		x[k].time = e->time;
		snprintf(x[k].commit, sizeof(x[k].commit), "%s", e->commit);
		if (e->seq - 1 <= from) {
			if (was)
				x[k].head = *was;
			else
				x[k].gone = 1;
		} else if ((before = accord_verified_feed_item(vf, e->seq - 1)) != NULL) {
			git_oid_fromstr(&x[k].head.head, before->commit);
		} else {
			x[k].gone = 1;
		}
		moved = 1;
	}
	return moved;
}

/* Refuse (for now) what waits for the clock, naming the first entry that does. */
static void mark_early(accord_sync_candidate *c, const struct early *x)
{
	char when[ACCORD_TIME_LEN];

	accord_time_format(when, x->time);
	c->refused = 1;
	c->kind = -1;
	c->seq = x->seq;
	snprintf(c->entry, sizeof(c->entry), "%s", x->commit);
	snprintf(
		c->reason, sizeof(c->reason),
		"too early at seq %lld, commit %s: it is dated %s, more than %d minutes ahead of this machine's clock; "
		"it and what follows it wait until then (a clock set ahead?)",
		(long long)x->seq, x->commit, when, ACCORD_FUTURE_SLACK_S / 60);
}

/* accord_sync_verify, keeping only what the rules read of each entry when `lean`. */
static int verify(accord_ledger **out, accord_verification **out_v, accord_store *store,
		  const accord_head *local, size_t nlocal, accord_sync_candidate *cands,
		  size_t ncands, const accord_head *evidence, size_t nevidence, int lean)
{
	accord_verify_options vo = ACCORD_VERIFY_OPTIONS_INIT;
	accord_verification *v = NULL;
	accord_ledger *l = NULL;
	accord_sync_candidate *use = accord_xcalloc(ncands + 1, sizeof(*use));
	struct early *x = accord_xcalloc(ncands + 1, sizeof(*x));
	/*
	 * Not a verdict: a policy of what to take now. An entry dated more than
	 * a few minutes ahead of this machine's clock waits, like a pending one,
	 * so no member's clock can drag others' signed times (time >= deps)
	 * into the future. Verdicts on what is held never read the clock.
	 */
	int64_t limit = accord_sat_add(accord_time_now(), ACCORD_FUTURE_SLACK_S);
	accord_head *heads;
	size_t n, i, nuse;
	int error;

	for (i = 0; i < ncands; i++)
		x[i].head = cands[i].head;
	vo.evidence = evidence;
	vo.evidence_count = nevidence;
	/* the command shows what arrived from entries' fields and bodies, never their bytes */
	vo.lean = lean ? 1 : ACCORD_VERIFY_LEAN_BYTES;
	/* One verification of everything: cost linear in the entries, however many feeds are bad. */
	for (;;) {
		for (i = nuse = 0; i < ncands; i++)
			if (!x[i].gone) {
				use[nuse] = cands[i];
				use[nuse++].head = x[i].head;
			}
		heads = merge_heads(&n, local, nlocal, use, nuse);
		if (n == 0) {
			free(heads);
			error = accord_error_set(ACCORD_ENOTFOUND, "nothing to verify");
			goto fail;
		}
		error = accord_verify_heads(&v, store, heads, n, &vo);
		free(heads);
		if (error < 0)
			goto fail;
		/* rare (a clock far ahead): verify again without what waits */
		if (!hold_back_early(x, cands, ncands, local, nlocal, v, limit))
			break;
		accord_verification_free(v);
		v = NULL;
	}
	for (i = 0; i < ncands; i++) {
		accord_sync_candidate *c = &cands[i];
		const accord_verified_feed *vf = accord_verification_feed(v, c->head.keyid);
		const accord_head *was = NULL;
		const accord_verified_item *first;
		const accord_finding *why;
		size_t j;

		for (j = 0; j < nlocal; j++)
			if (!strcmp(local[j].keyid, c->head.keyid))
				was = &local[j];
		memset(&c->take, 0, sizeof(c->take));
		c->refused = 0;
		c->reason[0] = c->entry[0] = '\0';
		/*
		 * Entries set aside by a rule travel with the feed: they are the
		 * author's signed words, shown as excluded, and other copies need
		 * them as deps. Only faults and pending entries are refused.
		 */
		if (x[i].gone)
			vf = NULL;
		if (vf && (size_t)vf->kept == vf->count && !git_oid_is_zero(&vf->head)) {
			c->take = vf->head;
			if (x[i].seq)
				mark_early(c, &x[i]);
			continue;
		}
		/* Take the feed up to its last entry that counts or is set aside, if that is new here. */
		if (vf && vf->kept > 0 &&
		    (!was || accord_chain_descendant_of(store, &vf->kept_head, &was->head) == 1))
			c->take = vf->kept_head;
		c->refused = 1;
		first = vf && (size_t)vf->kept < vf->count ? &vf->items[vf->kept] : NULL;
		why = vf ? finding_for(v, c->head.keyid, first) : NULL;
		c->kind = why ? (int)why->kind : -1;
		c->seq = first ? first->seq : (vf ? vf->valid + 1 : 0);
		snprintf(c->entry, sizeof(c->entry), "%s", first ? first->commit : "");
		/* what was taken up to there is in the accepted list; the hook takes nothing */
		snprintf(c->reason, sizeof(c->reason), "%s at seq %lld, commit %s: %s",
			 why ? accord_audit_kind_name(why->kind) : "left out", (long long)c->seq,
			 c->entry[0] ? c->entry : "(none)",
			 why ? why->explanation : "it rests on entries that do not count");
		if (first && vf->count - (size_t)vf->kept > 1) {
			size_t used = strlen(c->reason);

			snprintf(c->reason + used, sizeof(c->reason) - used,
				 " (and the %zu later entries of this feed, which follow it)",
				 vf->count - (size_t)vf->kept - 1);
		}
		if (x[i].seq && (!first || first->seq >= x[i].seq))
			mark_early(c, &x[i]);
	}
	error = accord_ledger_from_verification(&l, store, v);
	if (error < 0)
		goto fail;
	if (out_v)
		*out_v = v;
	else
		accord_verification_free(v);
	if (out)
		*out = l;
	else
		accord_ledger_free(l);
	free(use);
	free(x);
	return 0;
fail:
	accord_verification_free(v);
	free(use);
	free(x);
	return error;
}

int accord_sync_verify(accord_ledger **out, accord_verification **out_v, accord_store *store,
		       const accord_head *local, size_t nlocal, accord_sync_candidate *cands,
		       size_t ncands, const accord_head *evidence, size_t nevidence)
{
	return verify(out, out_v, store, local, nlocal, cands, ncands, evidence, nevidence, 0);
}

int accord_sync_verify_lean(accord_ledger **out, accord_verification **out_v, accord_store *store,
			    const accord_head *local, size_t nlocal, accord_sync_candidate *cands,
			    size_t ncands, const accord_head *evidence, size_t nevidence)
{
	return verify(out, out_v, store, local, nlocal, cands, ncands, evidence, nevidence, 1);
}

static int cmp_head(const void *a, const void *b)
{
	return strcmp(((const accord_head *)a)->keyid, ((const accord_head *)b)->keyid);
}

int accord_sync_heads_read(accord_head **out, size_t *count, const char *path)
{
	accord_buf text = ACCORD_BUF_INIT;
	accord_head *heads = NULL;
	size_t n = 0;
	const char *p, *end;
	int error;

	if ((error = accord_buf_read_regular(&text, path, 64 << 20)) < 0) {
		accord_buf_dispose(&text);
		if (access(path, F_OK) < 0 && errno == ENOENT) {
			*out = accord_xcalloc(1, sizeof(accord_head));
			*count = 0;
			return 0;
		}
		return error;
	}
	p = text.ptr ? text.ptr : "";
	end = p + text.size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		accord_head h;

		if (len != ACCORD_KEYID_HEXLEN + 1 + GIT_OID_HEXSZ ||
		    p[ACCORD_KEYID_HEXLEN] != ' ' || !hex_span(p, ACCORD_KEYID_HEXLEN) ||
		    !hex_span(p + ACCORD_KEYID_HEXLEN + 1, GIT_OID_HEXSZ)) {
			free(heads);
			accord_buf_dispose(&text);
			return accord_error_set(ACCORD_EINVALID, "%s: malformed line", path);
		}
		memcpy(h.keyid, p, ACCORD_KEYID_HEXLEN);
		h.keyid[ACCORD_KEYID_HEXLEN] = '\0';
		git_oid_fromstrn(&h.head, p + ACCORD_KEYID_HEXLEN + 1, GIT_OID_HEXSZ);
		*(accord_head *)PUSH(heads, n) = h;
		p = nl ? nl + 1 : end;
	}
	accord_buf_dispose(&text);
	if (!heads)
		heads = accord_xcalloc(1, sizeof(*heads));
	*out = heads;
	*count = n;
	return 0;
}

int accord_sync_heads_write(const char *path, const accord_head *heads, size_t count)
{
	accord_buf text = ACCORD_BUF_INIT;
	accord_head *sorted = accord_xcalloc(count + 1, sizeof(*sorted));
	size_t i;
	int error;

	if (count)
		memcpy(sorted, heads, count * sizeof(*sorted));
	qsort(sorted, count, sizeof(*sorted), cmp_head);
	for (i = 0; i < count; i++) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof(hex), &sorted[i].head);
		accord_buf_printf(&text, "%s %s\n", sorted[i].keyid, hex);
	}
	free(sorted);
	error = accord_file_write_atomic(path, text.ptr, text.size, 0600);
	accord_buf_dispose(&text);
	return error;
}

const accord_head *accord_sync_find_head(const accord_head *heads, size_t n, const char *keyid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(heads[i].keyid, keyid) == 0)
			return &heads[i];
	return NULL;
}

int accord_sync_rollbacks(accord_sync_rollback **out, size_t *count, accord_store *store,
			  const accord_head *seen, size_t nseen, const accord_head *now,
			  size_t nnow)
{
	accord_sync_rollback *rb = NULL;
	git_odb *odb = NULL;
	size_t n = 0, i;
	int error;

	if ((error = git_repository_odb(&odb, accord_store_repo(store))) < 0)
		return accord_error_git(error, "opening the object database");
	for (i = 0; i < nseen; i++) {
		const accord_head *h = accord_sync_find_head(now, nnow, seen[i].keyid);
		accord_sync_rollback *r;

		if (h && git_oid_equal(&h->head, &seen[i].head))
			continue;
		/* Without the objects we cannot tell; say nothing rather than guess. */
		if (!git_odb_exists(odb, &seen[i].head) || (h && !git_odb_exists(odb, &h->head)))
			continue;
		if (h && accord_chain_descendant_of(store, &h->head, &seen[i].head) == 1)
			continue;
		r = PUSH(rb, n);
		memcpy(r->feed, seen[i].keyid, sizeof(r->feed));
		git_oid_tostr(r->seen, sizeof(r->seen), &seen[i].head);
		if (h)
			git_oid_tostr(r->now, sizeof(r->now), &h->head);
	}
	git_odb_free(odb);
	*out = rb;
	*count = n;
	return 0;
}

char *accord_sync_refspec(const char *name)
{
	accord_buf spec = ACCORD_BUF_INIT;

	accord_buf_printf(&spec, "+%s*:%s%s/*", ACCORD_REF_PREFIX, ACCORD_QUARANTINE_PREFIX, name);
	return accord_buf_detach(&spec);
}
